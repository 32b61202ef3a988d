"""Helpers the benchmark scripts share: timing a command, peak memory, the classify command line.

Why subprocesses: users run the CLI, so the figures include start-up, reading and writing, and
the ratios compare like with like (each side pays its own interpreter start).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def classify_cmd(corpus: Path, *extra: str) -> list[str]:
    """``policy-classify classify`` on ``corpus`` without third-party plugins (reproducible)."""
    return [sys.executable, "-m", "classifier", "classify", str(corpus), "--no-entry-points",
            "--no-progress", *extra]


def timed(cmd: list[str], output: Path | None = None) -> float:
    """Wall-clock seconds of ``cmd``; stdout to ``output`` (or discarded). Fails loudly."""
    start = time.perf_counter()
    with open(output or os.devnull, "wb") as out:
        subprocess.run(cmd, check=True, stdout=out)
    return time.perf_counter() - start


def best_of(repeat: int, cmd: list[str], output: Path | None = None) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by the rest of the machine."""
    return min(timed(cmd, output) for _ in range(repeat))


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
    from classifier.engine import Engine

    words = sorted({a for rule in Engine(entry_points=False).rules for a in rule.anchors})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path
