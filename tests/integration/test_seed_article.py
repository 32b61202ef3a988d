"""The seed article end to end: the figures a reader of that article must be able to trust.

The article lives in ../shared (not in the repository), so every test here skips with a reason
when it is absent, as in CI. Checks: all five actions; tariffs only threatened (a "threat of
tariffs" is not a tariff imposed); the reward's $50 million; the 29 people extradited; the United
States as the military actor; the reassurance that the actions "will not breach Mexican borders"
kept asserted (see plugins/modality.py); and a bare mention of foreign terrorist
organizations, with no designating verb, not read as a designation.
"""

from __future__ import annotations

import pytest
from seed import read_seed

from classifier.pipeline.engine import Engine

ENGINE = Engine(entry_points=False)


@pytest.fixture(scope="module")
def profile():
    return ENGINE.classify(read_seed(), id="seed")


def sentence_text(profile, index: int) -> str:
    return next(s.text for s in profile.sentences if s.index == index)


def test_all_five_actions_are_found(profile):
    assert set(profile.actions) == {"military", "sanctions", "tariffs", "extradition", "rewards"}


def test_tariffs_are_only_threatened(profile):
    tariffs = [t for t in profile.tags if t.action == "tariffs"]
    assert tariffs and {t.modality for t in tariffs} == {"threatened"}


def test_reward_amount_is_fifty_million_dollars(profile):
    amounts = [a for t in profile.tags if t.action == "rewards" for a in t.amounts]
    assert any(a.value == 50_000_000 and a.unit == "USD" for a in amounts), amounts


def test_extradition_counts_twenty_nine_people(profile):
    amounts = [a for t in profile.tags if t.action == "extradition" for a in t.amounts]
    assert any(a.value == 29 and a.unit == "people" for a in amounts), amounts


def test_military_actor_is_the_united_states(profile):
    assert "United States" in profile.actions["military"].actors


def test_reassurance_about_borders_is_not_a_negated_military_action(profile):
    tags = [t for t in profile.tags if t.action == "military"
            and "will not breach" in sentence_text(profile, t.sentence)]
    assert tags and all(t.modality == "asserted" for t in tags)
    assert "negated" not in profile.actions["military"].modality


def test_bare_mention_of_terrorist_organizations_is_not_a_designation(profile):
    for tag in profile.tags:
        if tag.action == "sanctions":
            assert "exploitation of" not in sentence_text(profile, tag.sentence), tag
    designations = [t for t in profile.tags if t.rule == "sanctions.terrorist_designation"]
    assert len(designations) >= 3  # labeled as / designated ... as / classified ... as / the designation as
