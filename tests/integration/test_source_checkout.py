"""`python -m pytest` and `python -m classifier` from the repository root work, however installed.

From the root, `python -m` puts the source folder classifier/ first on the import path; it does
not hold the built-in plugins and packs (they are plugins/ and rules/ at the top level,
installed into the package), so every built-in plugin used to fail to import there after a
regular `pip install .`. What a user checks: the CLI run from the root lists every built-in
plugin without a warning, and the source package finds its plugins and packs beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _from_root(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}  # as a user runs it
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_cli_run_from_the_root_loads_every_built_in_plugin() -> None:
    done = _from_root("-m", "classifier", "plugins", "--no-entry-points")
    assert done.returncode == 0 and done.stderr == ""
    for name in ("segment", "langdetect", "military", "sanctions", "tariffs", "extradition",
                 "rewards", "modality", "actors", "amounts"):
        assert f"{name}  " in done.stdout


def test_the_source_package_finds_its_plugins_and_packs_beside_it() -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import classifier, classifier.plugins.actors as a, "
            "classifier.rules as r; print(classifier.__file__); print(a.__file__); print(r.__file__)")
    done = _from_root("-c", code, str(ROOT))
    assert done.returncode == 0, done.stderr
    package, plugin, rules = (Path(line) for line in done.stdout.split())
    if package.parent == ROOT / "classifier":  # the source package was imported (not a wheel)
        assert plugin == ROOT / "plugins" / "actors.py"
        assert rules == ROOT / "rules" / "__init__.py"
