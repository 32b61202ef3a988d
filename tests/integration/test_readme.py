"""The README's code samples still work: docs tested against the code.

- ``python`` blocks are executed.
- ``toml`` blocks that hold a rule pack are loaded beside the built-in packs and their inline
  examples must pass (``rules test``).
- ``bash`` blocks: every ``policy-classify`` command (also after ``&&``) is run through the
  CLI's ``main`` from the repository root and must exit 0, when the files it reads ship with the
  repository. A command that names a placeholder file (``article.txt``, ``corpus.jsonl``) is
  illustration, not a runnable sample, and is left out; ``-o FILE`` is redirected to a temporary
  folder.
- A block preceded by ``<!-- not-tested -->`` is skipped on purpose.

Engines are shared between samples (built once per set of options) to keep this fast.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

import classifier
import classifier.pipeline.engine
from classifier.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"(?P<marker><!--\s*not-tested[^>]*-->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)\n```", re.S)
FILEISH = re.compile(r"(?:/|\.(?:txt|jsonl|json|csv|html|toml|py|png)$)")
OUTPUT_OPTIONS = {"-o", "--output"}


def blocks(lang: str) -> list[tuple[int, str]]:
    """(line number, body) of every tested block of one language."""
    return [
        (README.count("\n", 0, m.start("body")) + 1, m.group("body"))
        for m in BLOCK.finditer(README)
        if m.group("lang") == lang and not m.group("marker")
    ]


def cli_commands() -> list[tuple[int, list[str]]]:
    """Every ``policy-classify`` command in bash blocks whose input files exist."""
    found: list[tuple[int, list[str]]] = []
    for first_line, body in blocks("bash"):
        for offset, line in enumerate(body.splitlines()):
            for segment in line.split("&&"):
                try:
                    words = shlex.split(segment, comments=True)
                except ValueError:
                    continue
                if not words or words[0] != "policy-classify" or any(w in ("|", "<", ">") for w in words):
                    continue
                inputs = [w for i, w in enumerate(words[1:], 1)
                          if FILEISH.search(w) and " " not in w and words[i - 1] not in OUTPUT_OPTIONS]
                if all((ROOT / w).exists() for w in inputs):
                    found.append((first_line + offset, words[1:]))
    return found


@pytest.fixture(scope="module")
def engine_cache() -> dict[str, Any]:
    return {}


@pytest.fixture
def shared_engines(monkeypatch, engine_cache):
    """One Engine per set of options for all samples: building one compiles every rule pack."""
    real = classifier.pipeline.engine.Engine

    def engine(*args: Any, **kwargs: Any) -> Any:
        key = repr((args, sorted(kwargs.items())))
        if key not in engine_cache:
            engine_cache[key] = real(*args, **kwargs)
        return engine_cache[key]

    monkeypatch.setattr(classifier.pipeline.engine, "Engine", engine)
    monkeypatch.setattr(classifier, "Engine", engine)
    monkeypatch.chdir(ROOT)


COMMANDS = cli_commands()


def test_the_readme_has_runnable_cli_samples():
    ran = {" ".join(words[:2]) for _, words in COMMANDS}
    assert {"classify examples/demo-article.txt", "rules test", "plugins",
            "eval tests/data/dev.jsonl"} <= ran, ran  # eval and its gold format are documented


@pytest.mark.parametrize("line,words", COMMANDS, ids=[" ".join(w) for _, w in COMMANDS])
def test_cli_sample_runs(line, words, shared_engines, tmp_path, capsys):
    argv = [str(tmp_path / Path(w).name) if i and words[i - 1] in OUTPUT_OPTIONS else w
            for i, w in enumerate(words)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, f"README.md:{line}: policy-classify {' '.join(words)} exited {code}\n{err}"
    assert out.strip() or any(w in OUTPUT_OPTIONS for w in words), f"README.md:{line}: no output"


@pytest.mark.parametrize("line,body", blocks("python"), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_python_sample_runs(line, body, shared_engines, tmp_path):
    namespace = {"__name__": f"readme_sample_{line}", "__file__": str(tmp_path / "sample.py")}
    exec(compile(body, f"README.md:{line}", "exec"), namespace)


@pytest.mark.parametrize("line,body", [(n, b) for n, b in blocks("toml") if "[pack]" in b],
                         ids=lambda v: str(v) if isinstance(v, int) else "")
def test_rule_pack_sample_loads_and_its_examples_pass(line, body, shared_engines, tmp_path, capsys):
    pack = tmp_path / "readme_pack.toml"
    pack.write_text(body, encoding="utf-8")
    code = main(["rules", "test", str(pack), "--no-entry-points"])
    out, err = capsys.readouterr()
    assert code == 0, f"README.md:{line}: the sample rule pack fails `rules test`:\n{out}{err}"
