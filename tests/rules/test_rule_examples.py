"""Every built-in rule's inline examples, run through the whole engine (one test per example).

The same helpers a plugin author uses (``classifier.testing``), so the project eats its own food.
"""

from __future__ import annotations

import pytest

from classifier.pipeline.engine import Engine
from classifier.testing import assert_example, parametrize_examples

ENGINE = Engine(entry_points=False)


@parametrize_examples(ENGINE)
def test_rule_example(case):
    assert_example(ENGINE, case)


@pytest.mark.parametrize("rule", ENGINE.rules, ids=[rule.id for rule in ENGINE.rules])
def test_every_rule_has_examples_both_ways(rule):
    assert rule.examples.match, f"{rule.id} ({rule.source}) has no match examples"
    assert rule.examples.no_match, f"{rule.id} ({rule.source}) has no no_match examples"


def test_every_action_has_english_and_spanish_rules():
    by_action: dict[str, set[str]] = {}
    for rule in ENGINE.rules:
        by_action.setdefault(rule.action, set()).add(rule.lang)
    assert set(by_action) == {"military", "sanctions", "tariffs", "extradition", "rewards"}
    for action, langs in by_action.items():
        assert {"en", "es"} <= langs, f"{action} lacks rules in {({'en', 'es'} - langs)}"
