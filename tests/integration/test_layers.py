"""The architecture as rules a test can check: what plugins may import, module size, the layers.

The layers of ``classifier/`` are import-linter contracts (``pyproject.toml``), run by CI as
``lint-imports``; they are run here too when import-linter is installed. The built-in plugins
live outside ``classifier/`` in the source tree, where import-linter cannot see them, so their
rule is checked here from their source: a plugin sees the engine only through its contract.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_MAY_IMPORT = ("classifier.model", "classifier.hookspecs", "classifier.errors",
                     "classifier.pluginkit", "classifier.plugins")
MAX_LINES = 360  # "~350": a module over this says why in its docstring
LONG_REASON = "Why this module is long:"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports from ``classifier``, function-level imports included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "classifier":
                found += [(node.lineno, f"classifier.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "classifier"]


def _allowed(name: str) -> bool:
    # `from classifier import hookimpl` reads as classifier.hookimpl: the package's own API.
    return (name in ("classifier", "classifier.hookimpl")
            or any(name == allowed or name.startswith(allowed + ".") for allowed in PLUGIN_MAY_IMPORT))


def test_built_in_plugins_import_only_the_contract_and_the_plugin_kit() -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line}: imports {name}"
             for path in sorted((ROOT / "plugins").rglob("*.py"))
             for line, name in _imports(path) if not _allowed(name)]
    assert wrong == [], "plugins may import only " + ", ".join(PLUGIN_MAY_IMPORT)


def test_the_plugin_rule_catches_a_reach_into_the_engine(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def hook():\n    from classifier.pipeline.engine import Engine\n")
    assert [name for _, name in _imports(sneaky) if not _allowed(name)] == ["classifier.pipeline.engine"]


def test_modules_stay_small_or_say_why() -> None:
    long = []
    for path in sorted([*(ROOT / "classifier").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]):
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_LINES and LONG_REASON not in (ast.get_docstring(ast.parse(source)) or ""):
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert long == [], f"split these, or give the reason in the docstring ('{LONG_REASON} ...')"


def test_import_layers_hold() -> None:
    if shutil.which("lint-imports") is None:
        pytest.skip("import-linter is not installed (pip install '.[lint]'); CI runs it")
    done = subprocess.run(["lint-imports", "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
