"""Shared fixtures: a default engine built once, and helpers to write rule packs and plugins."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from installed import importable_outside

from classifier.cli.main import main
from classifier.pipeline.engine import Engine

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


_CACHE_STATE: dict[str, Any] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Keep the on-disk pattern memo in a temporary folder of this session, never in ~/.cache:
    a run starts cold, then warms up like a user's runs do (CLI subprocesses inherit it). Set
    before collection, since the built-in refiners compile their patterns at import."""
    from classifier.matching.factstore import CACHE_ENV

    _CACHE_STATE["previous"] = os.environ.get(CACHE_ENV)
    _CACHE_STATE["folder"] = tempfile.mkdtemp(prefix="pattern-facts-")
    os.environ[CACHE_ENV] = _CACHE_STATE["folder"]
    # The tests' `python -m classifier` subprocesses run what a user's `policy-classify` runs:
    # the installed package and installed plugins, not the copies in the current folder, which
    # `-m` would put first on the path (that hid an example-plugin bug once). PYTHONSAFEPATH
    # (Python 3.11+) keeps the current folder off it; tests/integration/test_source_checkout.py
    # checks the run from the source folder on its own.
    _CACHE_STATE["safepath"] = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    # Run from a source folder where the package is not installed (`python -m pytest` puts the
    # folder on the path), the subprocesses would find no package at all: give them the folder
    # the tests import from, so they run the very code under test.
    _CACHE_STATE["pythonpath"] = os.environ.get("PYTHONPATH")
    if not importable_outside("classifier"):
        import classifier

        source = str(Path(classifier.__file__).resolve().parent.parent)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (source, _CACHE_STATE["pythonpath"]) if p)


def pytest_unconfigure(config: pytest.Config) -> None:
    from classifier.matching.factstore import CACHE_ENV

    if _CACHE_STATE.get("safepath") is None:
        os.environ.pop("PYTHONSAFEPATH", None)
    else:
        os.environ["PYTHONSAFEPATH"] = _CACHE_STATE["safepath"]
    if _CACHE_STATE.get("pythonpath") is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = _CACHE_STATE["pythonpath"]

    if "folder" not in _CACHE_STATE:
        return
    shutil.rmtree(_CACHE_STATE.pop("folder"), ignore_errors=True)
    previous = _CACHE_STATE.pop("previous")
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default engine: built-in plugins only (no entry points), so results are reproducible."""
    return Engine(entry_points=False)


@pytest.fixture
def write(tmp_path: Path):
    """write('name.toml', text) -> path, with the text dedented."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return _write


class CliResult(NamedTuple):
    """What a user sees from one ``policy-classify`` command: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def records(self) -> list[dict[str, Any]]:
        """stdout read as JSON Lines."""
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """cli("classify", path, ...) -> CliResult: the CLI's main() in-process, output captured.
    Unpacks as ``code, out, err``; arguments may be paths or numbers."""

    def _cli(*argv: object) -> CliResult:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return _cli
