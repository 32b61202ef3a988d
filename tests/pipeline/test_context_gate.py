"""Context rules are tried only where an explicit rule of their action hit, with the same profiles.

A context rule ("the strikes", "la medida") tags a reference, and its tag is kept only when the
article names the action explicitly; the engine therefore skips its searches in the articles
where nothing explicit of that action was found. What a user checks: the profiles are exactly
the ones a match of every rule gives, and the skipped work is really skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.matching.matcher import Matcher
from classifier.model import Rule
from classifier.pipeline.engine import Engine

DEV = Path(__file__).resolve().parents[1] / "data" / "dev.jsonl"

ARTICLES = [
    # explicit, then a reference: both tagged
    "The air force struck three depots on Monday. The strikes destroyed a fuel store.",
    # a reference alone: nothing is tagged, and no context rule needs to run
    "The strikes ended on Friday after the unions won a pay rise. The measures were welcome.",
    "El Tesoro sancionó a cinco empresas. La medida entra en vigor el lunes.",
    "La medida fue bien recibida por los vecinos del barrio.",
]


def _articles() -> list[str]:
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    # Neighbouring dev sentences joined into articles, so references meet explicit mentions.
    return ARTICLES + [" ".join(texts[i:i + 6]) for i in range(0, len(texts), 6)]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(entry_points=False)


def test_profiles_are_those_of_matching_every_rule(engine, monkeypatch):
    gated = [engine.classify(text).to_dict() for text in _articles()]
    every = Matcher.match

    def match_all(self, text, spans, scanned=None, supported_context_only=False):
        return every(self, text, spans, scanned, supported_context_only=False)

    monkeypatch.setattr(Matcher, "match", match_all)
    assert [engine.classify(text).to_dict() for text in _articles()] == gated


def test_a_reference_without_support_costs_no_context_search(engine):
    matcher = engine.matcher("en")
    text = ARTICLES[1]
    spans = [(0, 60), (61, len(text))]
    everything, _ = matcher.match(text, spans)
    gated, _ = matcher.match(text, spans, supported_context_only=True)
    assert any(hit.rule.context for hit in everything), "a context rule should match 'the strikes'"
    assert gated == [hit for hit in everything if not hit.rule.context]


def test_context_hits_stay_in_sentence_then_rule_order(engine):
    matcher = engine.matcher("en")
    text = ARTICLES[0]
    spans = [(0, 44), (45, len(text))]
    everything, _ = matcher.match(text, spans)
    gated, _ = matcher.match(text, spans, supported_context_only=True)
    assert gated == everything and any(hit.rule.context for hit in gated)


# -- a reference kept only near its explicit mention (``context = N``) --------------------------

def _rules() -> list[Rule]:
    """A plugin author's rules: two explicit ones and the same reference for two actions."""
    near = dict(patterns=(r"\bthe\s+squeeze\b",), context=True, context_window=1, weight=0.4)
    return [Rule(id="sanctions.test_explicit", action="sanctions",
                 patterns=(r"\bembargoed\s+the\s+port\b",)),
            Rule(id="sanctions.test_near", action="sanctions", **near),
            Rule(id="military.test_explicit", action="military",
                 patterns=(r"\bshelled\s+the\s+harbour\b",)),
            Rule(id="military.test_near", action="military", **near)]


@pytest.fixture(scope="module")
def windowed() -> Engine:
    return Engine(rules=_rules(), entry_points=False)


def _near(engine: Engine, text: str) -> list[tuple[str, int]]:
    return [(t.action, t.sentence) for t in engine.classify(text, lang="en").tags
            if t.rule.endswith("test_near")]


def test_a_windowed_reference_needs_its_explicit_mention_that_near(windowed):
    assert _near(windowed, "They embargoed the port. The squeeze hurt.") == [("sanctions", 1)]
    far = "They embargoed the port. Rain fell. Schools opened. The squeeze hurt."
    assert _near(windowed, far) == []  # three sentences away: the reference may be anything


def test_a_windowed_reference_goes_to_the_nearest_action(windowed):
    text = "They embargoed the port. Talks failed. Ships shelled the harbour. The squeeze hurt."
    assert _near(windowed, text) == [("military", 3)]  # military is one sentence away, sanctions three
