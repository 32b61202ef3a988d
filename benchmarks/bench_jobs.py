"""``--jobs 2`` against ``--jobs 1`` on the same corpus, and a check that the output is identical.

    python benchmarks/bench_jobs.py --mb 50
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import OUT, best_of_each, classify_cmd, sha256  # noqa: E402
from corpus import ensure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus = ensure(args.mb)
    size_mb = corpus.stat().st_size / 1e6
    one_out, many_out = OUT / "jobs-1.jsonl", OUT / f"jobs-{args.jobs}.jsonl"
    one, many = best_of_each(
        args.repeat,
        [classify_cmd(corpus, "--jobs", "1"), classify_cmd(corpus, "--jobs", str(args.jobs))],
        [one_out, many_out])
    same = sha256(one_out) == sha256(many_out)
    print(f"corpus: {size_mb:.1f} MB ({corpus.name}); best of {args.repeat}")
    print(f"--jobs 1       : {one:7.2f} s  {size_mb / one:6.2f} MB/s")
    print(f"--jobs {args.jobs:<8}: {many:7.2f} s  {size_mb / many:6.2f} MB/s")
    print(f"speed-up: {one / many:.2f}x  (target >= 1.7x on 2 cores); output byte-identical: {same}")
    one_out.unlink()
    many_out.unlink()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
