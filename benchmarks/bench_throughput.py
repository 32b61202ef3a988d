"""End-to-end throughput of ``policy-classify classify`` against the minimal keyword spotter.

Both run as separate processes over the same generated JSONL corpus, in the same run, best of
``--repeat`` runs each, so the ratio is meaningful on any machine:

    python benchmarks/bench_throughput.py --mb 10
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import ensure  # noqa: E402


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def sentences_in(path: Path) -> int:
    from classifier.segment import split_spans

    with open(path, encoding="utf-8") as handle:
        return sum(len(split_spans(json.loads(line)["text"])) for line in handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    corpus = ensure(args.mb)
    size_mb = corpus.stat().st_size / 1e6
    spotter = [sys.executable, str(HERE / "spotter.py"), str(corpus)]
    classify = [sys.executable, "-m", "classifier", "classify", str(corpus), "--no-entry-points",
                "--jobs", str(args.jobs)]
    if args.jobs == 1:
        classify = classify[:-2]
    spot = min(timed(spotter) for _ in range(args.repeat))
    full = min(timed(classify) for _ in range(args.repeat))
    n = sentences_in(corpus)
    print(f"corpus: {size_mb:.1f} MB, {n:,} sentences ({corpus.name})")
    print(f"keyword spotter : {spot:6.2f} s  {size_mb / spot:6.2f} MB/s  {n / spot:10,.0f} sentences/s")
    print(f"policy-classify : {full:6.2f} s  {size_mb / full:6.2f} MB/s  {n / full:10,.0f} sentences/s")
    print(f"ratio classify/spotter: {full / spot:.2f}x  (target <= 2.0x, goal 1.5x)")


if __name__ == "__main__":
    main()
