"""The real-news evaluation sets: manifests in the repository, sentence text outside it.

    python scripts/realnews.py manifest   # text/*.jsonl -> tests/data/realnews/<lang>-<part>.jsonl
    python scripts/realnews.py build      # manifests + text -> text/gold-<lang>-<part>.jsonl
    python scripts/realnews.py score [--part tune|test] [--errors]
                                          # the classifier, in article context, and a keyword
                                          # spotter on the same sentences, per language

Why this split: the sentences are quoted from public news pages, third-party text that must not
enter the repository, while the labels are ours. The manifest keeps for each sentence what finds
it again (url and query), what proves it is the same text (sha256 and length) and our labels;
the git-ignored ``text/`` folder keeps what the labellers saved, and ``build`` joins the two,
naming any manifest line whose text is missing. ``REALNEWS_TEXT`` moves that folder.

The part (tune or test) is fixed by the page: ``sha256(url)`` as a number, mod 100, below 40 is
test. So one article's sentences never straddle the parts, and the test part was frozen the
moment its pages were labelled. Pages of later batches (``"batch": 2``...), read after the first
round of tuning, all go to tune: the test part stays the one frozen before any rule changed,
and a new batch scored before it is tuned on (``score --batch 2``) is a second honest estimate.
``score --part test`` prints figures only: the test part is never read for errors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parent.parent
MANIFESTS = REPO / "tests" / "data" / "realnews"
TEXT = Path(os.environ.get("REALNEWS_TEXT", MANIFESTS / "text"))
LABELS = ("military", "sanctions", "tariffs", "extradition", "rewards")
MODALITIES = ("asserted", "threatened", "negated", "other")
TEST_SHARE = 40  # of 100 buckets


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def part_of(url: str) -> str:
    return "test" if int(sha(url)[:8], 16) % 100 < TEST_SHARE else "tune"


def _labelled(paths: Iterable[Path]) -> Iterable[tuple[Path, int, dict[str, Any]]]:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield path, number, json.loads(line)


def _problem(row: dict[str, Any]) -> str | None:
    labels = row.get("labels")
    if not isinstance(row.get("text"), str) or not row["text"].strip():
        return "no text"
    if not isinstance(labels, list) or any(label not in LABELS for label in labels):
        return f"labels {labels!r}"
    modality = row.get("modality") or {}
    if set(modality) != set(labels) or any(m not in MODALITIES for m in modality.values()):
        return f"modality {modality!r} does not match labels {labels!r}"
    for key in ("actor", "target"):
        value = row.get(key) or {}
        if not isinstance(value, dict) or not set(value) <= set(labels):
            return f"{key} {value!r}"
    return None


def manifest(_: argparse.Namespace) -> int:
    """Every labelled sentence once (the first labelling of a text wins), split by page."""
    seen: set[str] = set()
    parts: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    refused = 0
    for path, number, row in _labelled(sorted(TEXT.glob("*.jsonl"))):
        if path.name.startswith("gold-"):
            continue
        problem = _problem(row)
        if problem:
            print(f"{path.name}:{number}: skipped: {problem}", file=sys.stderr)
            refused += 1
            continue
        text = row["text"].strip()
        digest = sha(text)
        if digest in seen:
            continue
        seen.add(digest)
        lang, url = row.get("lang", "en"), row["url"]
        labels = [label for label in LABELS if label in row["labels"]]
        batch = int(row.get("batch", 1))
        entry = {
            "id": f"rn-{lang}-{digest[:10]}", "url": url, "query": row.get("query", ""),
            "doc": sha(url)[:12], "pos": row.get("pos", 0), "sha256": digest, "length": len(text),
            "lang": lang, "part": part_of(url) if batch == 1 else "tune", "batch": batch,
            "labels": labels,
            "modality": {k: row["modality"][k] for k in labels},
            "actor": {k: (row.get("actor") or {}).get(k, "") for k in labels},
            "target": {k: (row.get("target") or {}).get(k, "") for k in labels},
            "destination": {k: v for k, v in (row.get("destination") or {}).items() if k in labels},
            "via_context": [k for k in row.get("via_context") or [] if k in labels],
        }
        if row.get("note"):
            entry["note"] = row["note"]
        parts[(lang, entry["part"])].append(entry)
    for (lang, part), entries in sorted(parts.items()):
        entries.sort(key=lambda e: (e["doc"], e["pos"], e["sha256"]))
        with open(MANIFESTS / f"{lang}-{part}.jsonl", "w", encoding="utf-8") as out:
            for entry in entries:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        print(f"{lang}-{part}: {len(entries)} sentences, "
              f"{len({e['doc'] for e in entries})} pages")
    return 1 if refused else 0


def build(args: argparse.Namespace) -> int:
    """Gold files for ``policy-classify eval``: each manifest line with its text. The test
    part's are written only when asked (``--with-test``), so that no error list of it is lying
    around while rules are tuned."""
    texts = {sha(row["text"].strip()): row["text"].strip()
             for _, _, row in _labelled(p for p in TEXT.glob("*.jsonl") if not p.name.startswith("gold-"))}
    missing = 0
    for manifest_path in sorted(MANIFESTS.glob("*-*.jsonl")):
        if manifest_path.stem.endswith("-test") and not args.with_test:
            continue
        out_path = TEXT / f"gold-{manifest_path.name}"
        with open(manifest_path, encoding="utf-8") as handle, open(out_path, "w", encoding="utf-8") as out:
            for line in handle:
                entry = json.loads(line)
                text = texts.get(entry["sha256"])
                if text is None:
                    print(f"{manifest_path.name}: {entry['id']}: text missing; find it again at "
                          f"{entry['url']} (query: {entry['query']})", file=sys.stderr)
                    missing += 1
                    continue
                out.write(json.dumps({**entry, "text": text}, ensure_ascii=False) + "\n")
        print(f"wrote {out_path}")
    return 1 if missing else 0


# A broad keyword spotter, one regex per label in both languages: the baseline the classifier
# must beat (a label is predicted when its regex finds anything in the sentence).
SPOTTER = {
    "military": r"\b(?:air ?strikes?|airstrikes?|strikes?|struck|bomb\w*|missiles?|troops|military|"
                r"army|navy|invasion|invad\w+|attack\w*|ataques?|bombarde\w+|tropas|ejército|"
                r"militar\w*|misil\w*|ofensiva)\b",
    "sanctions": r"\b(?:sanction\w*|sancion\w*|embargo\w*|asset freeze|blacklist\w*|ofac)\b",
    "tariffs": r"\b(?:tariffs?|duties|levies|aranceles?|arancelari\w*)\b",
    "extradition": r"\b(?:extradit\w*|extradi\w*)\b",
    "rewards": r"\b(?:rewards?|bount\w*|recompensas?)\b",
}


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def spotter_macro_f1(records: list[dict[str, Any]]) -> float:
    compiled = {k: re.compile(v, re.IGNORECASE) for k, v in SPOTTER.items()}
    scores = []
    for label, pattern in compiled.items():
        tp = fp = fn = 0
        for record in records:
            said, gold = bool(pattern.search(record["text"])), label in record["labels"]
            tp += said and gold
            fp += said and not gold
            fn += gold and not said
        if tp + fp + fn:
            scores.append(_f1(tp, fp, fn)[2])
    return sum(scores) / len(scores) if scores else 0.0


def score(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(REPO))
    from classifier.authoring.evaluate import evaluate, render_text
    from classifier.pipeline.engine import Engine

    engine = Engine(entry_points=False)
    for lang in ("en", "es"):
        path = TEXT / f"gold-{lang}-{args.part}.jsonl"
        if not path.exists():
            continue
        records = [json.loads(line) for line in open(path, encoding="utf-8")]
        if args.batch is not None:
            records = [r for r in records if r.get("batch", 1) == args.batch]
        if args.no_context:
            records = [{k: v for k, v in r.items() if k not in ("doc", "pos")} for r in records]
        report = evaluate(engine, records)
        print(f"== {lang} {args.part}: spotter macro-F1 {spotter_macro_f1(records):.3f}")
        sys.stdout.write(render_text(report, details=args.errors and args.part != "test"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("manifest").set_defaults(run=manifest)
    building = sub.add_parser("build")
    building.add_argument("--with-test", action="store_true", help="the test part's gold files too")
    building.set_defaults(run=build)
    scoring = sub.add_parser("score")
    scoring.add_argument("--part", choices=("tune", "test"), default="tune")
    scoring.add_argument("--errors", action="store_true", help="list errors (tune part only)")
    scoring.add_argument("--no-context", action="store_true", help="each sentence on its own")
    scoring.add_argument("--batch", type=int, help="only the sentences of this labelling batch")
    scoring.set_defaults(run=score)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
