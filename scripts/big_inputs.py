#!/usr/bin/env python
"""The two input sizes too slow for CI: one huge article, and an endless stream with no record end.

    python scripts/big_inputs.py article --mb 50     # a 50 MB article, profiled in full
    python scripts/big_inputs.py stream --gb 1       # 1 GB without a newline, on stdin

``article`` writes an article of ``--mb`` megabytes built from news-like sentences (about one in
two names an action), runs ``policy-classify classify`` on it, and checks: one record out, no
``ArticleBudgetExceeded`` (every candidate sentence was matched), the mention count equals the
number of action sentences written, and it reports seconds and the peak memory of the run.

``stream`` pipes ``--gb`` gigabytes of a single unterminated line into ``classify -`` and
checks that the run ends with one ``RecordTooLarge`` error record, exit 1, and memory bounded by
the record cap (``--max-record-mb``, default the CLI's own), never by the input.

Exit status 1 if a check fails. Linux only (peak memory from ``resource``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTIONS = (
    ("sanctions", "The United States imposed sanctions on three shipping firms on Monday."),
    ("extradition", "Mexico extradited 12 suspects to the U.S. last week."),
    ("tariffs", "The ministry raised tariffs on imported steel to 25%."),
    ("rewards", "Officials offered a $2 million reward for information on the attack."),
)
QUIET = (
    "The weather was mild and the markets were quiet.",
    "Talks between the two delegations will resume in spring.",
    "Local elections drew a record turnout in the northern province.",
    "Rain is expected across the region by the weekend.",
)


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def article(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    expected: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        size = 0
        with open(path, "w", encoding="utf-8") as out:
            while size < args.mb * 1_000_000:
                if rng.random() < 0.5:
                    action, sentence = rng.choice(ACTIONS)
                    expected[action] = expected.get(action, 0) + 1
                else:
                    sentence = rng.choice(QUIET)
                out.write(sentence + " ")
                size += len(sentence) + 1
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "classifier", "classify", str(path),
                               "--no-entry-points", "-o", str(Path(folder) / "out.jsonl")],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        lines = (Path(folder) / "out.jsonl").read_text(encoding="utf-8").splitlines()
    profile = json.loads(lines[0]) if len(lines) == 1 else {}
    mentions = {name: s["mentions"] for name, s in profile.get("actions", {}).items()}
    errors = [e["type"] for e in profile.get("errors", [])]
    ok = done.returncode == 0 and len(lines) == 1 and not errors and mentions == expected
    print(json.dumps({"mb": args.mb, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_child_mb()),
                      "records_out": len(lines), "errors": errors, "mentions": mentions,
                      "expected": expected, "exit": done.returncode, "ok": ok}))
    return 0 if ok else 1


def stream(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", "classifier", "classify", "-", "--no-entry-points"]
    if args.max_record_mb is not None:
        command += ["--max-record-mb", str(args.max_record_mb)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    chunk = b"x" * (1 << 20)
    sent = 0
    try:
        while sent < args.gb * (1 << 30):
            process.stdin.write(chunk)  # type: ignore[union-attr]
            sent += len(chunk)
    except BrokenPipeError:
        pass  # the reader gave up on the record, as it should
    finally:
        try:
            process.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
    out = process.stdout.read()  # type: ignore[union-attr]
    err = process.stderr.read()  # type: ignore[union-attr]
    process.wait()
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in out.decode().splitlines()]
    types = [r.get("error", {}).get("type") for r in records]
    ok = process.returncode == 1 and types == ["RecordTooLarge"]
    print(json.dumps({"gb_offered": args.gb, "mb_sent_before_stop": sent >> 20, "seconds": round(seconds, 1),
                      "peak_rss_mb": round(peak_child_mb()), "records_out": len(records), "types": types,
                      "stderr": err.decode().strip().splitlines()[:2], "exit": process.returncode,
                      "ok": ok}))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("article")
    one.add_argument("--mb", type=float, default=50)
    one.add_argument("--seed", type=int, default=1)
    one.set_defaults(run=article)
    endless = sub.add_parser("stream")
    endless.add_argument("--gb", type=float, default=1)
    endless.add_argument("--max-record-mb", type=int, default=None)
    endless.set_defaults(run=stream)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
