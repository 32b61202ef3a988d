"""The matcher's word-start gate: which literals a pattern must open with, and that it never
drops a rule that would have matched (it is a necessary condition, not a heuristic)."""

from __future__ import annotations

import pytest

from classifier.engine import Engine
from classifier.openings import rule_start_literals, start_literals
from classifier.segment import split_spans


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:impos|levi)(?:ed|es)\s+sanctions", {"impos", "levi"}),  # ends after one group
    (r"\b(?:Global\s+)?Magnitsky\b", {"global", "magnitsky"}),
    (r"\b(?:air\s?|missile\s+)?strikes?\s", {"air", "missile", "strike", "strikes"}),
    (r"\b(?<!\brebel\s)mobili[sz]e", {"mobili"}),
    (r"\bU\.S\. Treasury", {"u.s. treasury"}),
])
def test_openings(pattern: str, expected: set[str]) -> None:
    assert start_literals(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"sanctions",            # no \b: a match may start inside a word
    r"\b\d+ percent",        # a class opens it
    r"\bx?abc",              # "x" is too short to gate on
    r"\b\$\d",               # \b before a non-word character means the opposite
    r"\b(?:foo){e<=1}",      # regex's fuzzy matching: the text may differ from the literal
    r"\b(?:a|bc)d|e",        # a top-level alternative without \b
    r"\p{L}+",               # regex-only syntax
])
def test_no_gate_when_in_doubt(pattern: str) -> None:
    assert start_literals(pattern) is None


def test_a_rule_is_gated_only_if_every_pattern_is() -> None:
    from classifier.model import Rule

    gated = Rule(id="x.a", action="sanctions", patterns=(r"\bimpos\w+", r"\blevi\w+"))
    mixed = Rule(id="x.b", action="sanctions", patterns=(r"\bimpos\w+", r"sanction"))
    assert rule_start_literals(gated) == {"impos", "levi"}
    assert rule_start_literals(mixed) == frozenset()


def test_the_gate_keeps_every_hit_of_the_rule_examples() -> None:
    engine = Engine(entry_points=False)
    checked = 0
    for rule in engine.rules:
        for text in rule.examples.match + rule.examples.no_match:
            spans = split_spans(text)
            for matcher in {id(m): m for m in map(engine.matcher, ("en", "es", "xx"))}.values():
                gated = matcher.match(text, spans)[0]
                matcher.gate = False
                try:
                    assert matcher.match(text, spans)[0] == gated, (rule.id, text)
                finally:
                    matcher.gate = True
                checked += 1
    assert checked > 500
