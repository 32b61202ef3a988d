"""The prefilter's anchors: literals that every match of a pattern must contain."""

import pytest

from classifier.matching.anchors import pattern_anchors, rule_anchors


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


@pytest.mark.parametrize(
    "pattern, expected",
    [
        # "air" is in "airline", "affairs", "chair": the strike nouns are rarer.
        (r"\bair[\s-]?(?:strikes?|raids?)\b", {"strike", "raid"}),
        # "officials" and "leaders" are in most articles; the verbs are not.
        (r"\b(?:officials|leaders)\s+(?:\w+\s+){0,3}(?:froze|seized)\b", {"froze", "seized"}),
        # "over" hides in "government" and "overall": "handed" is the rarer requirement.
        (r"\bhanded\s+(?:\w+\s+){0,4}over\b", {"handed"}),
    ],
)
def test_the_rarest_required_literal_is_chosen_not_the_longest(pattern, expected):
    assert pattern_anchors(pattern) == expected


def test_the_frequency_estimate_ranks_common_news_words_above_rare_ones():
    from classifier.matching.wordfreq import literal_cost

    assert literal_cost("the") > literal_cost("officials") > literal_cost("froze") > literal_cost("sanction")
    assert literal_cost("over") > literal_cost("handed")  # substrings of common words count
    assert literal_cost("price on") < literal_cost("price")  # two words side by side are rarer
    assert literal_cost(" ") >= 100  # whitespace only: everywhere
