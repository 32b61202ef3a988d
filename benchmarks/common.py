"""Helpers the benchmark scripts share: timing a command, peak memory, the classify command line.

Why subprocesses: users run the CLI, so the figures include start-up, reading and writing, and
the ratios compare like with like (each side pays its own interpreter start).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def classify_cmd(corpus: Path, *extra: str) -> list[str]:
    """``policy-classify classify`` on ``corpus`` without third-party plugins (reproducible).

    Run with :func:`run_env`, whose ``PYTHONSAFEPATH`` keeps the current folder off the import
    path: from the repository, ``-m`` would import the source folder classifier/, which lacks
    the plugins and packs, instead of the installed package."""
    return [sys.executable, "-m", "classifier", "classify", str(corpus), "--no-entry-points",
            "--no-progress", *extra]


# The classifier keeps what it learns about rule patterns in an on-disk memo
# (classifier/matching/factstore.py); the benchmarks use their own, so they neither read nor fill the
# user's ~/.cache. Timed runs are warm, like every run after a user's first one; the scripts
# that report start-up also time a cold one, with an empty memo.
CACHE = OUT / "pattern-facts"


def run_env(cold: bool = False) -> dict[str, str]:
    """The environment of a timed run: the benchmarks' own memo (emptied first when ``cold``),
    and ``PYTHONSAFEPATH`` so ``python -m classifier`` imports the installed package."""
    folder = OUT / "pattern-facts-cold" if cold else CACHE
    if cold and folder.exists():
        shutil.rmtree(folder)
    return {**os.environ, "POLICY_CLASSIFIER_CACHE": str(folder), "PYTHONSAFEPATH": "1"}


def timed(cmd: list[str], output: Path | None = None, cold: bool = False) -> float:
    """Wall-clock seconds of ``cmd``; stdout to ``output`` (or discarded). Fails loudly.

    ``cold``: with an empty pattern memo, as on a first run."""
    env = run_env(cold)
    start = time.perf_counter()
    with open(output or os.devnull, "wb") as out:
        subprocess.run(cmd, check=True, stdout=out, env=env)
    return time.perf_counter() - start


def best_of_each(repeat: int, cmds: Sequence[list[str]],
                 outputs: Sequence[Path | None] | None = None) -> list[float]:
    """The fastest of ``repeat`` warm runs of each command, run round-robin: each round runs
    every command once. An untimed first run fills the memo, so no timed run is a cold one.

    Why round-robin: this machine's speed drifts over minutes, and running all repeats of one
    command before the next let that drift decide the ratio between them (identical built-in
    and +10,000-rule runs, back to back, differed by 0.2 s in one pair and 1.6 s in another)."""
    for cmd in cmds:
        warm_up(cmd)
    outs = outputs or [None] * len(cmds)
    best = [float("inf")] * len(cmds)
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            best[i] = min(best[i], timed(cmd, outs[i]))
    return best


def one_record() -> Path:
    """A JSONL file of one short record: running classify on it times start-up alone."""
    one = OUT / "one-record.jsonl"
    one.parent.mkdir(parents=True, exist_ok=True)
    one.write_text('{"id": "x", "text": "Rain in Lima."}\n', encoding="utf-8")
    return one


def warm_up(cmd: list[str]) -> None:
    """Run ``cmd``'s start-up once (on a one-record file) so the pattern memo is filled.

    With ``--prefilter hyperscan``, so the memo also holds the Hyperscan databases, as on every
    run after a user's first (a first run leaves them to a background build, which may still be
    going when the next run starts); a tree without that option (``bench_compare.py --old``)
    warms up without it."""
    if "classify" not in cmd:
        return
    at = cmd.index("classify") + 1
    one = [*cmd[:at], str(one_record()), *cmd[at + 1:]]
    try:
        timed([*one, "--prefilter", "hyperscan"])
    except subprocess.CalledProcessError:  # an older tree, or no hyperscan package here
        timed(one)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_keywords(path: Path) -> Path:
    """Every anchor of the built-in rules, one per line: the spotter's vocabulary.

    Written before timing so that the spotter does not pay for loading the classifier.
    """
    from classifier.pipeline.engine import Engine

    engine = Engine(entry_points=False, env={"POLICY_CLASSIFIER_CACHE": str(CACHE)})
    words = sorted({a for rule in engine.rules for a in rule.anchors})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path
