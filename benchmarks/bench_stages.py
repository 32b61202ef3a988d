"""Where an article's time goes: each step of ``classify`` against the keyword spotter's work.

``bench_throughput.py`` compares whole commands; this script explains its ratio. In one process,
over the same records, it times the spotter's per-record work (parse the JSON line, one keyword
regex over the lowercased text, write a JSON line) and each step the classifier takes per
article, best of ``--repeat`` passes each, and prints every step in microseconds per article
and as a multiple of the spotter.

The line to read is the *floor*: parsing the record, detecting its language, scanning it (one
Hyperscan scan, or the rules' anchors with ``--prefilter aho-corasick``), splitting its
sentences (only when the scan found something, as the engine does) and writing its profile.
Every profile needs those steps before a single rule is confirmed: it reports the language, and
its evidence is quoted by sentence. The scan does the spotter's whole job. When the floor alone
is near or over 2x the spotter, confirming rules, modality, actors and figures cannot fit in
what is left.

    python benchmarks/bench_stages.py --mb 10
    python benchmarks/bench_stages.py --mb 10 --policy-share 0.4   # the dense corpus
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import OUT, write_keywords  # noqa: E402
from corpus import ensure  # noqa: E402
from spotter import trie_pattern  # noqa: E402


def best(repeat: int, run: Callable[[], object]) -> float:
    """Fastest of ``repeat`` timed passes, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--records", type=int, default=3000, help="articles timed (from the start)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--policy-share", type=float, default=0.05,
                        help="share of policy sentences: 0.05 (sparse news, default) or 0.4 (dense)")
    parser.add_argument("--prefilter", default="auto",
                        help="auto (Hyperscan when installed), hyperscan, aho-corasick or regex")
    args = parser.parse_args()

    from classifier.matching.prefilter import prefilter_name
    from classifier.matching.segment import split_spans
    from classifier.pipeline.engine import Engine
    from classifier.plugins.langdetect import detect_language
    from classifier.report.writer import jsonl_line

    corpus = ensure(args.mb, policy_share=args.policy_share)
    with open(corpus, encoding="utf-8") as handle:
        lines = [line for _, line in zip(range(args.records), handle)]
    records = [json.loads(line) for line in lines]
    texts = [record["text"] for record in records]
    words = write_keywords(OUT / "keywords.txt").read_text(encoding="utf-8").split("\n")
    keyword = re.compile(r"\b" + trie_pattern([w.strip() for w in words if w.strip()]))

    # Hyperscan's databases are built (or read from the memo) first, so every pass is warm.
    prefilter = prefilter_name(args.prefilter)
    engine = Engine(entry_points=False, prefilter=prefilter)
    for record in records[:200]:  # warm: matchers built, patterns compiled
        engine.classify(record["text"], id=record["id"])
    langs = [detect_language(text) or "en" for text in texts]
    spans = [split_spans(text, lang) for text, lang in zip(texts, langs)]
    matchers = [engine.matcher(lang) for lang in langs]
    scans = [matcher.scan(text) for matcher, text in zip(matchers, texts)]
    profiles = [engine.classify(r["text"], id=r["id"]) for r in records]

    def spot() -> None:
        for line in lines:
            record = json.loads(line)
            found = sorted(set(keyword.findall(record["text"].lower())))
            json.dumps({"id": record["id"], "keywords": found})

    def read() -> None:
        for line in lines:
            json.loads(line)

    def detect() -> None:
        for text in texts:
            detect_language(text)

    def split() -> None:  # as the engine does: only where the scan found an anchor
        for text, lang, found in zip(texts, langs, scans):
            if found:
                split_spans(text, lang)

    def scan() -> None:
        for matcher, text in zip(matchers, texts):
            matcher.scan(text)

    def match() -> None:
        for matcher, text, found, pieces in zip(matchers, texts, scans, spans):
            if found:
                matcher.match(text, pieces, found)

    def classify() -> None:
        for record in records:
            engine.classify(record["text"], id=record["id"])

    def write() -> None:
        for profile in profiles:
            jsonl_line(profile)

    n = len(records)
    spotter = best(args.repeat, spot)
    steps: Sequence[tuple[str, Callable[[], None]]] = (
        ("read the JSON line", read), ("detect the language", detect),
        (f"scan ({prefilter})", scan), ("split sentences (if an anchor)", split),
        ("match rules (scan done)", match),
        ("classify (all steps)", classify), ("write the profile line", write),
    )
    took = {name: best(args.repeat, run) for name, run in steps}
    tagged = sum(1 for p in profiles if p.tags)

    def row(name: str, seconds: float) -> None:
        print(f"  {name:<42} {seconds / n * 1e6:8.0f} us  {seconds / spotter:6.2f}x")

    print(f"{n:,} articles of {corpus.name} ({sum(map(len, lines)) / n:,.0f} bytes, "
          f"{sum(map(len, spans)) / n:.1f} sentences each; {tagged / n:.0%} tagged); "
          f"best of {args.repeat}, in one process")
    row("keyword spotter, per record", spotter)
    for name, seconds in took.items():
        row(name, seconds)
    floor = sum(took[name] for name in ("read the JSON line", "detect the language", f"scan ({prefilter})",
                                        "split sentences (if an anchor)", "write the profile line"))
    whole = took["read the JSON line"] + took["classify (all steps)"] + took["write the profile line"]
    print(f"floor (read + detect + scan + split + write): {floor / spotter:.2f}x the spotter")
    print(f"read + classify + write: {whole / spotter:.2f}x the spotter "
          f"(the refiners and building the profile are the rest of classify)")


if __name__ == "__main__":
    main()
