"""The plugin documentation states every hook with its exact signature."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from classifier import hookspecs

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("policy_classifier_"))


def signature_text(name: str) -> str:
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"`{name}({params}) -> {sig.return_annotation}`"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_signature(hook):
    assert signature_text(hook) in DOC, f"docs/plugins.md lacks {signature_text(hook)}"


def test_every_hook_has_a_docstring():
    for hook in HOOKS:
        assert (getattr(hookspecs, hook).__doc__ or "").strip(), hook


def test_docs_mention_no_hook_that_does_not_exist():
    import re

    mentioned = set(re.findall(r"policy_classifier_[a-z_]+(?=\()", DOC))
    assert mentioned <= set(HOOKS), mentioned - set(HOOKS)


def test_python_samples_in_the_plugin_docs_run(engine, monkeypatch):
    import classifier

    # Samples that build Engine(entry_points=False) reuse the session's one (same options);
    # a sample that passes plugins gets an engine of its own.
    real = classifier.Engine
    monkeypatch.setattr(classifier, "Engine",
                        lambda *a, **k: real(*a, **k) if a or k.get("plugins") else engine)
    import re

    samples = re.findall(r"```python\n(.*?)\n```", DOC, re.S)
    assert samples
    for number, sample in enumerate(samples, 1):
        exec(compile(sample, f"docs/plugins.md python sample {number}", "exec"), {"__name__": "doc_sample"})


@pytest.mark.parametrize("name", ["example_cases", "check_example", "parametrize_examples", "assert_example"])
def test_testing_helpers_named_in_the_docs_exist(name):
    from classifier import testing

    assert f"`{name}" in DOC or f"{name}(" in DOC, f"docs/plugins.md does not mention {name}"
    assert callable(getattr(testing, name))


def test_the_example_plugin_named_in_the_docs_exists():
    root = Path(__file__).resolve().parents[2]
    assert (root / "examples" / "visa-restrictions-plugin" / "pyproject.toml").is_file()
    assert "examples/visa-restrictions-plugin/" in DOC
