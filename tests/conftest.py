"""Shared fixtures: a default engine built once, and helpers to write rule packs and plugins."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from classifier.cli import main
from classifier.engine import Engine

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _pattern_fact_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep the on-disk pattern memo in this session's temporary folder, never in ~/.cache:
    a run starts cold, then warms up like a user's runs do (CLI subprocesses inherit it)."""
    import os

    from classifier.factstore import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("pattern-facts"))
    yield
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
