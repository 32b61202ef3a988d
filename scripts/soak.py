#!/usr/bin/env python
"""Soak test: a million generated records, 5% broken, through ``policy-classify classify --jobs 2``.

Why: the promise "every input record gives exactly one output record, in order, and memory stays
flat" only shows over a long run -- a leak of a few hundred bytes per record, or a reader that
drops a record after a rare broken one, is invisible in unit tests. This script streams records
into the CLI's stdin as they are generated (nothing is held in memory here either), reads its
stdout as it goes, and checks that output record ``i`` belongs to input line ``i + 1`` (by id
for profiles, by line number for error records). It samples the resident memory of the CLI and
its worker processes every few seconds.

Usage::

    python scripts/soak.py --records 1000000 --jobs 2 [--report soak-report.json]

Exit status 1 if any record was lost, duplicated or out of order, or stdout/stderr disagree with
the counts. Linux only (reads /proc for memory).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Iterator

SENTENCES = (
    "The United States imposed sanctions on three shipping firms on Monday.",
    "Mexico extradited 12 suspects to the U.S. last week.",
    "The ministry raised tariffs on imported steel to 25%.",
    "Officials offered a $2 million reward for information on the attack.",
    "The weather was mild and the markets were quiet.",
    "Talks between the two delegations will resume in spring.",
    "El gobierno anunció nuevas sanciones contra la empresa.",
    "Local elections drew a record turnout in the northern province.",
)
BROKEN_KINDS = ("bad_json", "non_string", "null_text", "binary", "invalid_utf8")


def generate(count: int, broken_share: float, seed: int) -> Iterator[tuple[bytes, bool]]:
    """``(line, is_broken)`` for each record: 1-3 sentences, or one of five kinds of damage."""
    rng = random.Random(seed)
    for index in range(count):
        if rng.random() < broken_share:
            kind = rng.choice(BROKEN_KINDS)
            if kind == "bad_json":
                line = b'{"id": "%d", "text": "unterminated' % index
            elif kind == "non_string":
                line = b'{"id": "%d", "text": [1, 2, 3]}' % index
            elif kind == "null_text":
                line = b'{"id": "%d", "text": null}' % index
            elif kind == "binary":
                line = bytes(rng.choice(range(256)) for _ in range(40)).replace(b"\n", b" ")
            else:  # invalid UTF-8 inside a valid JSON string: still a profile, with a warning
                line = b'{"id": "%d", "text": "caf\xe9 sanctions \xff\xfe imposed."}' % index
                yield line + b"\n", False
                continue
            yield line + b"\n", True
        else:
            text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 3)))
            yield json.dumps({"id": str(index), "text": text}).encode() + b"\n", False


def rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--broken", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--report", help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    command = [sys.executable, "-m", "classifier", "classify", "--jobs", str(args.jobs),
               "--no-entry-points", "--input-format", "jsonl", "--no-progress"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    sent = {"records": 0, "broken": 0}
    samples: list[tuple[float, int, int]] = []  # (seconds, records out, rss KiB)
    out_count = [0]
    stderr_lines: list[bytes] = []
    started = time.perf_counter()

    def feed(stdin: IO[bytes]) -> None:
        try:
            for line, broken in generate(args.records, args.broken, args.seed):
                stdin.write(line)
                sent["records"] += 1
                sent["broken"] += broken
        finally:
            stdin.close()

    def drain_stderr(stream: IO[bytes]) -> None:
        for line in stream:
            if not line.startswith(b"policy-classify: <stdin>:"):  # keep only the unusual
                stderr_lines.append(line)

    def sample() -> None:
        while proc.poll() is None:
            samples.append((round(time.perf_counter() - started, 1), out_count[0], rss_kb(proc.pid)))
            time.sleep(args.interval)

    threads = [threading.Thread(target=feed, args=(proc.stdin,), daemon=True),
               threading.Thread(target=drain_stderr, args=(proc.stderr,), daemon=True),
               threading.Thread(target=sample, daemon=True)]
    for thread in threads:
        thread.start()

    problems: list[str] = []
    profiles = errors = 0
    assert proc.stdout is not None
    for number, raw in enumerate(proc.stdout, 1):
        out_count[0] = number
        record = json.loads(raw)
        if "error" in record:
            errors += 1
            if record["error"].get("line") != number and len(problems) < 10:
                problems.append(f"output {number}: error record for line {record['error'].get('line')}")
        else:
            profiles += 1
            if record["id"] != str(number - 1) and len(problems) < 10:
                problems.append(f"output {number}: profile for id {record['id']}")
    code = proc.wait()
    for thread in threads[:2]:
        thread.join()
    elapsed = time.perf_counter() - started
    summary = [line.decode(errors="replace").strip() for line in stderr_lines]
    # "start" is the first sample once records flow (before that the workers are still importing)
    rss = [kb for _, out, kb in samples if kb and out >= 1000] or [kb for _, _, kb in samples if kb]
    figures = {
        "records_in": sent["records"], "broken_in": sent["broken"], "records_out": out_count[0],
        "profiles_out": profiles, "error_records_out": errors,
        "lost": sent["records"] - out_count[0], "order_problems": problems,
        "exit_code": code, "seconds": round(elapsed, 1),
        "records_per_second": round(out_count[0] / elapsed) if elapsed else None,
        "rss_kib": {"start": rss[0] if rss else None, "peak": max(rss) if rss else None,
                    "end": rss[-1] if rss else None},
        "rss_samples": samples, "stderr_tail": summary[-5:],
    }
    print(json.dumps({k: v for k, v in figures.items() if k != "rss_samples"}, indent=2))
    if args.report:
        Path(args.report).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    ok = (not problems and figures["lost"] == 0 and errors == sent["broken"]
          and code == (1 if sent["broken"] else 0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
