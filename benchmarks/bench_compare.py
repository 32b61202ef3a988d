"""This tree's ``classify`` against another source tree's, on the same corpus, in one run.

Why: a change that adds rules or refiner work (issue 14: broad triggers, context rules, roles)
must say what it costs next to the code before it, measured round-robin on the same machine
minute, not against a figure from another day. Point ``--old`` at a checkout of the earlier
commit (``git worktree add /tmp/old <commit>``); its package is imported from there.

    python benchmarks/bench_compare.py --old /tmp/old --mb 10 --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import OUT, best_of_each, classify_cmd  # noqa: E402
from corpus import ensure  # noqa: E402


def with_tree(cmd: list[str], tree: Path) -> list[str]:
    """``cmd`` run with ``tree``'s classifier first on the import path."""
    root = importable(tree)
    return ["env", f"PYTHONPATH={root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", *cmd]


def importable(tree: Path) -> Path:
    """A folder from which ``tree``'s package imports as installed. A tree of the card's layout
    (plugins/ and rules/ beside classifier/, installed as classifier.plugins and .rules) is
    copied into one package under benchmarks/out/; an older, flat tree is used as it is."""
    if not ((tree / "plugins").is_dir() and (tree / "rules").is_dir()):
        return tree
    stage = OUT / f"stage-{hashlib.sha256(str(tree).encode()).hexdigest()[:8]}"
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(tree / "classifier", stage / "classifier",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("plugins", "rules"):
        shutil.copytree(tree / part, stage / "classifier" / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="source tree of the earlier code")
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = ensure(args.mb)
    new = with_tree(classify_cmd(corpus), HERE.parent)
    old = with_tree(classify_cmd(corpus), args.old.resolve())
    old_s, new_s = best_of_each(args.repeat, [old, new])
    mb = corpus.stat().st_size / 1e6
    print(f"corpus: {mb:.1f} MB")
    print(f"old ({args.old}): {old_s:.2f} s  ({mb / old_s:.2f} MB/s)")
    print(f"new (this tree): {new_s:.2f} s  ({mb / new_s:.2f} MB/s)")
    print(f"new / old: {new_s / old_s:.3f}x")


if __name__ == "__main__":
    main()
