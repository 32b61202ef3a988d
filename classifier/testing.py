"""Helpers for testing rule packs with pytest: the same machinery the project's own tests use.

A plugin author writes::

    from classifier import Engine
    from classifier.testing import example_cases, check_example
    import pytest

    ENGINE = Engine(plugins=[my_plugin])
    CASES = example_cases(ENGINE, plugin="my_plugin")

    @pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
    def test_rule_example(case):
        problem = check_example(ENGINE, case)
        assert problem is None, problem

Each rule's ``match`` examples must produce a hit of that rule *and* a tag of its action in the
final profile; ``no_match`` examples must produce no hit of that rule. ``todo_*`` examples are
known gaps: :func:`check_example` reports whether they still fail, and tests mark them xfail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from classifier.model import Rule

if TYPE_CHECKING:
    from classifier.engine import Engine

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
    fired = any(hit.rule.id == case.rule.id for hit in hits)
    others = sorted({h.rule.id for h in hits if h.rule.action == case.rule.action} - {case.rule.id})
    return fired, others


def check_example(engine: "Engine", case: ExampleCase) -> str | None:
    """None when the example behaves as its kind says, else a one-line reason."""
    fired, others = example_outcome(engine, case)
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
