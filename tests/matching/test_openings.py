"""The matcher's word-start gate: which literals a pattern must open with, and that it never
drops a rule that would have matched (it is a necessary condition, not a heuristic)."""

from __future__ import annotations

import pytest

from classifier.matching.openings import rule_start_literals, start_literals
from classifier.matching.prefilter import literal_name
from classifier.matching.segment import split_spans
from classifier.pipeline.engine import Engine


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:impos|levi)(?:ed|es)\s+sanctions", {"impos", "levi"}),  # ends after one group
    (r"\b(?:Global\s+)?Magnitsky\b", {"global", "magnitsky"}),
    (r"\b(?:air\s?|missile\s+)?strikes?\s", {"air", "missile", "strike"}),  # "strikes" adds nothing
    (r"\bimpos(?:e|es|ed|ing)\b", {"impose", "imposing"}),  # not "imposes", "imposed"
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


# The gates of the anchor path, so that path is forced: rules Hyperscan covers skip them.
ANCHOR_PATH = literal_name()  # Aho-Corasick where installed, else the regex scanner


def test_the_gate_keeps_every_hit_of_the_rule_examples() -> None:
    engine = Engine(entry_points=False, prefilter=ANCHOR_PATH)
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


def test_per_pattern_anchors_keep_every_hit_of_the_rule_examples() -> None:
    # A pattern is tried only where one of its own anchors is; without that filter the hits
    # must be the same, on every example of every built-in rule.
    engine = Engine(entry_points=False, prefilter=ANCHOR_PATH)
    matcher = engine.matcher("xx")  # the catch-all matcher holds every rule
    filtered = [r.id for r, own in zip(matcher.rules, matcher._pattern_anchor_ids) if own is not None]
    assert len(filtered) > 20  # most multi-pattern rules take part
    texts = [t for rule in engine.rules for t in rule.examples.match + rule.examples.no_match]
    with_filter = [matcher.match(t, split_spans(t))[0] for t in texts]
    matcher._pattern_anchor_ids = tuple(None for _ in matcher.rules)
    assert [matcher.match(t, split_spans(t))[0] for t in texts] == with_filter
