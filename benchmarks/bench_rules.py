"""Does the time stay flat as rules grow? Built-in rules vs +1,000 and +10,000 generated ones.

The generated rules (``rules_gen.py``) look like real ones but match nothing in the corpus.
Each configuration runs ``policy-classify classify`` end to end on the same corpus, in the same
run; start-up (loading and validating the packs) is measured separately on a one-record file
so the per-corpus cost can be seen on its own. Timed runs are warm: the pattern memo
(classifier/matching/factstore.py) is filled by an untimed first run, as it is after a user's first
run; the last column is that first run's start-up, with an empty memo.

    python benchmarks/bench_rules.py --mb 10
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import OUT, best_of_each, classify_cmd, one_record, sha256, timed  # noqa: E402
from corpus import ensure  # noqa: E402
from rules_gen import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extra", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    corpus = ensure(args.mb)
    one = one_record()
    configs: list[tuple[str, list[str]]] = [("built-in", [])]
    for count in args.extra:
        folder = generate(OUT / f"rules-{count}", count)
        configs.append((f"+{count:,} rules", ["--rules", str(folder)]))
    outputs = [OUT / f"rules-bench-{label.strip('+').replace(',', '').replace(' ', '-')}.jsonl"
               for label, _ in configs]
    totals = best_of_each(args.repeat, [classify_cmd(corpus, *extra) for _, extra in configs],
                          outputs)
    startups = best_of_each(args.repeat, [classify_cmd(one, *extra) for _, extra in configs])
    rows = []
    for i, (label, extra) in enumerate(configs):
        cold = timed(classify_cmd(one, *extra), cold=True)
        rows.append((label, totals[i], startups[i], sha256(outputs[i]), cold))
        outputs[i].unlink()
    size_mb = corpus.stat().st_size / 1e6
    base_total, base_startup = rows[0][1], rows[0][2]
    print(f"corpus: {size_mb:.1f} MB ({corpus.name}); best of {args.repeat} rounds, "
          f"each round running every configuration once (common.best_of_each)")
    print(f"{'rules':<16}{'total s':>9}{'start-up s':>12}{'corpus s':>10}{'MB/s':>8}"
          f"{'total ratio':>13}{'corpus ratio':>14}  output   first-run start-up")
    for label, total, startup, digest, cold in rows:
        corpus_s = total - startup
        print(f"{label:<16}{total:9.2f}{startup:12.2f}{corpus_s:10.2f}{size_mb / total:8.2f}"
              f"{total / base_total:12.2f}x{corpus_s / (base_total - base_startup):13.2f}x"
              f"  {'same' if digest == rows[0][3] else 'DIFFERENT':<9}{cold:8.2f} s")
    print("target: total ratio <= 1.2x at +10,000 rules; outputs must be the same (no rule matches)")


if __name__ == "__main__":
    main()
