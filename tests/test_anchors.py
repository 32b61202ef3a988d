"""The prefilter's anchors: literals that every match of a pattern must contain."""

import pytest

from classifier.anchors import pattern_anchors, rule_anchors


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\b(?:impos|levi)\w*\s+sanctions?\b", {"sanction"}),
        (r"\b(?:extradit|hand(?:ed)? over)", {"extradit", "hand over", "handed over"}),
        (r"extradi[cs]i[oó]n", {"extradición", "extradicion", "extradisión", "extradision"}),
        (r"\$\s?\d+\s*(?:million|billion)\s+reward", {"reward"}),
        (r"(?:troops|soldiers)\s+(?:were\s+)?deployed", {"deployed"}),
        (r"AIRSTRIKE", {"airstrike"}),
    ],
)
def test_required_literals_are_found(pattern, expected):
    assert pattern_anchors(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [r"(\w+\s?)+;", r"\bwe\b", r"\p{Lu}\w+ troops", r"(?:a|b|cd)\w+", r"x?y?z?"],
)
def test_patterns_without_a_usable_literal_have_no_anchor(pattern):
    # "troops" in the third one is required, but `re` cannot parse \p{..}: no anchor, still safe.
    assert pattern_anchors(pattern) is None


def test_declared_anchors_win_and_an_unanchored_pattern_disables_derivation():
    assert rule_anchors([r"sanctions"], declared=["Embargo"]) == ("embargo",)
    assert rule_anchors([r"sanctions", r"(\w+)+!"]) == ()
    assert rule_anchors([r"sanctions", r"embargo(?:es)?"]) == ("embargo", "sanctions")
