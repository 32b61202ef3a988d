"""End-to-end throughput of ``policy-classify classify`` against the minimal keyword spotter.

Both run as separate processes over the same generated JSONL corpus, in the same run, best of
``--repeat`` runs each, so the ratio is meaningful on any machine. Also printed: the
classifier's start-up (loading plugins and rule packs, measured on a one-record file), so the
per-corpus cost can be told apart from the fixed one.

Two densities, side by side: a *sparse* corpus (~5% policy sentences, as general news) and a
*dense* one (``--dense-share``, default 40%, as an analyst's pre-filtered corpus), since the
classifier's cost grows with what it finds while the spotter's hardly does.

    python benchmarks/bench_throughput.py --mb 10
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import OUT, best_of_each, classify_cmd, one_record, timed, write_keywords  # noqa: E402
from corpus import ensure  # noqa: E402


def sentences_in(path: Path) -> int:
    from classifier.matching.segment import split_spans

    with open(path, encoding="utf-8") as handle:
        return sum(len(split_spans(json.loads(line)["text"])) for line in handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dense-share", type=float, default=0.4,
                        help="share of policy sentences in the dense corpus (default 0.4)")
    args = parser.parse_args()
    for label, share in (("sparse", 0.05), ("dense", args.dense_share)):
        run(label, ensure(args.mb, policy_share=share), args)


def run(label: str, corpus: Path, args: argparse.Namespace) -> None:
    """Time the spotter and classify on one corpus and print the block for it."""
    size_mb = corpus.stat().st_size / 1e6
    keywords = write_keywords(OUT / "keywords.txt")
    one = one_record()
    spotter = [sys.executable, str(HERE / "spotter.py"), str(keywords), str(corpus)]
    jobs = ["--jobs", str(args.jobs)]
    spot, full, startup = best_of_each(
        args.repeat, [spotter, classify_cmd(corpus, *jobs), classify_cmd(one)])
    cold = timed(classify_cmd(one), cold=True)
    n = sentences_in(corpus)
    print(f"== {label}: {size_mb:.1f} MB, {n:,} sentences ({corpus.name}); --jobs {args.jobs}; "
          f"best of {args.repeat} rounds, run round-robin")
    print(f"keyword spotter : {spot:6.2f} s  {size_mb / spot:6.2f} MB/s  {n / spot:10,.0f} sentences/s")
    print(f"policy-classify : {full:6.2f} s  {size_mb / full:6.2f} MB/s  {n / full:10,.0f} sentences/s"
          f"  (of which start-up {startup:.2f} s; a first run, empty pattern memo: {cold:.2f} s)")
    target = "3x" if label == "sparse" else "8x"
    print(f"ratio classify/spotter ({label}): {full / spot:.2f}x  (target <= {target})", flush=True)


if __name__ == "__main__":
    main()
