"""The plugin's own tests: every inline example of its packs, plus what a user will check.

Run with ``python -m pytest`` from this folder once the plugin is installed
(``pip install -e ".[test]"``).
"""

from __future__ import annotations

import policy_classifier_visa

from classifier import Engine
from classifier.testing import assert_example, parametrize_examples

# Only this plugin and the built-ins: an engine that does not depend on what else is installed.
ENGINE = Engine(plugins=[policy_classifier_visa], entry_points=False)
PLUGIN = "policy_classifier_visa"  # an object passed to Engine is named after its module


@parametrize_examples(ENGINE, plugin=PLUGIN)
def test_rule_example(case):
    """Every inline match / no_match example of the plugin's packs holds."""
    assert_example(ENGINE, case)


def test_the_action_type_is_registered():
    """The plugin registers its action type under its own name."""
    assert ENGINE.actions["visa_restrictions"].plugin == PLUGIN


def test_a_visa_ban_is_tagged_with_its_target_size():
    """An imposed ban is asserted, and the number of people it targets is read as an amount."""
    profile = ENGINE.classify("The State Department imposed visa restrictions on 300 Guatemalan officials.")
    summary = profile.actions["visa_restrictions"]
    assert summary.modality == {"asserted": 1}
    assert [(a.value, a.unit) for a in summary.amounts] == [(300, "people")]


def test_a_threat_is_tagged_as_threatened():
    """A ban only threatened is tagged as threatened, not asserted."""
    profile = ENGINE.classify("The minister threatened visa bans on the coup leaders.")
    assert profile.actions["visa_restrictions"].modality == {"threatened": 1}


def test_spanish_articles_use_the_spanish_pack():
    """A Spanish article is matched by the plugin's Spanish rules."""
    # Language detection needs a little text; a one-line article would be read as English.
    profile = ENGINE.classify("El Gobierno de Estados Unidos revocó las visas a doce diputados de "
                              "la oposición, según informó la embajada en un comunicado.")
    assert profile.lang == "es"
    assert [t.rule for t in profile.tags if t.action == "visa_restrictions"] == [
        "visa_restrictions.es.revocar_visas"
    ]
