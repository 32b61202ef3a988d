"""Helpers for testing rule packs with pytest: the same machinery the project's own tests use.

A plugin author writes, in one test file::

    import my_plugin
    from classifier import Engine
    from classifier.testing import assert_example, parametrize_examples

    ENGINE = Engine(plugins=[my_plugin], entry_points=False)

    @parametrize_examples(ENGINE, plugin="my_plugin")
    def test_rule_example(case):
        assert_example(ENGINE, case)

which gives one pytest case per example, with ids ``rule_id::kind::example``. The lower-level
pieces (:func:`example_cases`, :func:`check_example`) are what ``policy-classify rules test``
and the project's own tests use, so all three judge examples the same way.

Each rule's ``match`` examples must produce a hit of that rule *and* a tag of its action in the
final profile; ``no_match`` examples must produce no hit of that rule. ``todo_*`` examples are
known gaps: :func:`check_example` reports whether they still fail, and tests mark them xfail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from classifier.model import Rule
from classifier.pipeline.merge import reference_supported

if TYPE_CHECKING:
    from classifier.pipeline.engine import Engine

KINDS = ("match", "no_match", "todo_match", "todo_no_match")


@dataclass(frozen=True)
class ExampleCase:
    """One inline example of one rule."""

    rule: Rule
    kind: str
    text: str

    @property
    def id(self) -> str:
        """``rule_id::kind::text`` (text shortened) -- readable pytest ids."""
        short = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.rule.id}::{self.kind}::{short}"

    @property
    def is_todo(self) -> bool:
        return self.kind.startswith("todo_")


def example_cases(
    engine: "Engine", plugin: str | None = None, rules: Iterable[Rule] | None = None
) -> list[ExampleCase]:
    """Every example of every rule (of one plugin, or of the given rules), in a stable order."""
    selected = list(rules) if rules is not None else [
        r for r in engine.rules if plugin is None or r.plugin == plugin
    ]
    return [
        ExampleCase(rule, kind, text)
        for rule in selected
        for kind in KINDS
        for text in getattr(rule.examples, kind)
    ]


def example_outcome(engine: "Engine", case: ExampleCase) -> tuple[bool, list[str]]:
    """Whether the rule hit the example, and the other rules of its action that hit it."""
    lang = None if case.rule.lang == "*" else case.rule.lang
    hits = engine.hits(case.text, lang=lang)
    explicit: dict[str, list[int]] = {}
    for hit in hits:
        if not hit.rule.context:
            explicit.setdefault(hit.rule.action, []).append(hit.sentence)
    # a reference counts only where an explicit mention supports it, as in a profile
    fired = any(hit.rule.id == case.rule.id and (not case.rule.context or reference_supported(
        case.rule.action, hit.sentence, case.rule.context_window, explicit)) for hit in hits)
    others = sorted({h.rule.id for h in hits if h.rule.action == case.rule.action} - {case.rule.id})
    return fired, others


def check_example(
    engine: "Engine", case: ExampleCase, outcome: tuple[bool, list[str]] | None = None
) -> str | None:
    """None when the example behaves as its kind says, else a one-line reason.

    ``outcome`` is :func:`example_outcome`'s answer when the caller already has it.
    """
    fired, others = outcome if outcome is not None else example_outcome(engine, case)
    want_match = case.kind in ("match", "todo_match")
    if want_match and not fired:
        extra = f" (matched instead by {', '.join(others)})" if others else ""
        return f"{case.id}: rule '{case.rule.id}' should match but did not{extra}"
    if not want_match and fired:
        return f"{case.id}: rule '{case.rule.id}' should not match but did"
    if want_match:
        lang = None if case.rule.lang == "*" else case.rule.lang
        profile = engine.classify(case.text, lang=lang)
        if case.rule.action not in profile.actions:
            return (f"{case.id}: rule '{case.rule.id}' matched, but a refiner dropped the "
                    f"'{case.rule.action}' tag from the profile")
    return None


def parametrize_examples(
    engine: "Engine", plugin: str | None = None, rules: Iterable[Rule] | None = None,
    argname: str = "case",
) -> Callable[[Callable[..., Any]], Any]:
    """``pytest.mark.parametrize`` over every example of a plugin's rules, ids ``rule::kind::text``.

    Raises ValueError when nothing is selected, because an empty parameter set would make pytest
    skip silently -- a misspelt plugin name must not look like a passing suite.
    """
    import pytest  # only needed by test code: pytest is not a dependency of the classifier

    cases = example_cases(engine, plugin=plugin, rules=rules)
    if not cases:
        loaded = sorted({rule.plugin for rule in engine.rules})
        raise ValueError(f"no rule examples found for plugin {plugin!r}; plugins with rules: "
                         f"{', '.join(loaded) or 'none'}")
    return pytest.mark.parametrize(argname, cases, ids=[case.id for case in cases])


def assert_example(engine: "Engine", case: ExampleCase) -> None:
    """Fail the test when the example misbehaves; xfail a known gap (``todo_*``) that still is
    one, and fail a gap that is now fixed so it gets promoted to ``match`` / ``no_match``."""
    import pytest

    problem = check_example(engine, case)
    if case.is_todo:
        if problem is None:
            pytest.fail(f"{case.id}: a todo example now behaves as wanted; promote it")
        pytest.xfail(problem)
    assert problem is None, problem
