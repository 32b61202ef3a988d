"""Whether the package under test is installed, or only importable from this source folder.

`python -m pytest` run from a source folder puts the folder on the path, so the tests import the
package even where it is not installed; subprocesses started elsewhere (or with PYTHONSAFEPATH)
then find none. conftest.py gives them the source folder; tests that need an installed package
ask here and skip with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile


def importable_outside(package: str) -> bool:
    """Whether a fresh interpreter, started outside this folder with no PYTHONPATH, imports
    ``package``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONSAFEPATH"] = "1"
    done = subprocess.run([sys.executable, "-c", f"import {package}"], cwd=tempfile.gettempdir(),
                          env=env, capture_output=True, timeout=120)
    return done.returncode == 0
