"""Bracketed asides: what rules see of them, and that tags still point into the original text."""

from __future__ import annotations

import pytest

from classifier.matching.asides import blank_asides
from classifier.pipeline.engine import Engine


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("a P2 million (S$57,000) reward", "a P2 million            reward"),
        ("about $3 million (2.8 million euros) reward", "about $3 million                     reward"),
        ("the Armed Forces (AFP) attacked", "the Armed Forces  AFP  attacked"),
        ("Sen. Kaine (D-Va.) said", "Sen. Kaine  D-Va.  said"),
        # words in brackets may be the very ones a rule needs: kept
        ("one gun (hit), two launchers", "one gun (hit), two launchers"),
        ("This (latest round of sanctions) is", "This (latest round of sanctions) is"),
        # no space before, one character, or too long a figure: kept
        ("Section 7031(c) and (c)", "Section 7031(c) and (c)"),
        ("x (a b c d e 1 f) y", "x (a b c d e 1 f) y"),
        ("no brackets at all", "no brackets at all"),
    ],
)
def test_what_rules_see(text: str, seen: str) -> None:
    assert blank_asides(text) == seen
    assert len(blank_asides(text)) == len(text)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(entry_points=False)


def test_a_conversion_inside_a_reward_phrase_no_longer_hides_it(engine: Engine) -> None:
    text = "The governor offered a P3 million (US$52,000) reward for information on the gunmen."
    tags = [t for t in engine.classify(text).tags if t.action == "rewards"]
    assert tags, "the reward was missed"
    # the evidence is the article's own text, brackets and all
    assert "(US$52,000)" in tags[0].text
    assert text[tags[0].span[0]:tags[0].span[1]] == tags[0].text


def test_an_acronym_between_subject_and_verb(engine: Engine) -> None:
    text = "The Royal Thai Armed Forces (RTARF) attacked a smugglers' camp near the border."
    tags = [t for t in engine.classify(text).tags if t.action == "military"]
    assert tags and "(RTARF) attacked" in tags[0].text
