"""The baseline: a minimal keyword spotter (read JSONL, one regex alternation per text, write JSONL).

It knows the same vocabulary as the classifier (the anchors of every loaded rule) but does none
of the work that makes a tag trustworthy: no sentences, no confirmation, no modality. The
throughput benchmark measures the classifier against it.

    python benchmarks/spotter.py corpus.jsonl > spotted.jsonl
"""

from __future__ import annotations

import json
import sys

import regex


def keywords() -> list[str]:
    from classifier.engine import Engine

    return sorted({anchor for rule in Engine(entry_points=False).rules for anchor in rule.anchors})


def main(path: str) -> None:
    words = keywords()
    pattern = regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)),
                            regex.IGNORECASE)
    write = sys.stdout.write
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            found = sorted({m.lower() for m in pattern.findall(record["text"])})
            write(json.dumps({"id": record["id"], "keywords": found}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
