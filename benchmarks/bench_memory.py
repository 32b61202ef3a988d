"""Peak memory while streaming a large JSONL corpus through ``policy-classify classify``.

The peak is the largest sum of resident memory (VmRSS) over the classify process and its
workers, sampled every 0.1 s from /proc (Linux), and cross-checked with the kernel's own
high-water mark for the main process (``ru_maxrss`` of the reaped child).

    python benchmarks/bench_memory.py --mb 1000 [--jobs 1] [--keep]

The corpus is generated under benchmarks/out/ (git-ignored) and deleted afterwards unless
``--keep`` is given: a 1 GB file should not linger on a developer's disk.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import classify_cmd, run_env  # noqa: E402
from corpus import ensure  # noqa: E402


def _tree_rss_kb(root: int) -> int:
    """Resident kB of ``root`` and all its descendants (0 for processes that vanished)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000.0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args()
    corpus = ensure(args.mb)
    size_mb = corpus.stat().st_size / 1e6
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen(classify_cmd(corpus, "--jobs", str(args.jobs)), stdout=sink, env=run_env())
        peak = 0
        while child.poll() is None:
            peak = max(peak, _tree_rss_kb(child.pid))
            time.sleep(0.1)
    elapsed = time.perf_counter() - start
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB on Linux
    print(f"corpus: {size_mb:,.0f} MB ({corpus.name}); --jobs {args.jobs}; exit {child.returncode}")
    print(f"time: {elapsed:,.0f} s  ({size_mb / elapsed:.2f} MB/s)")
    print(f"peak RSS, all processes: {peak / 1024:,.0f} MB; largest single process "
          f"(ru_maxrss): {maxrss / 1024:,.0f} MB  (target < 300 MB)")
    if not args.keep:
        corpus.unlink()


if __name__ == "__main__":
    main()
