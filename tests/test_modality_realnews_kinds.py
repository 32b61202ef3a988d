"""Kinds of real news reporting that the modality cues must read right (our own sentences).

The cue file's examples test each cue alone; these test the mechanisms the kinds rely on: a cue
that reads differently per action (``as_action``), a firm fact that a plain future keeps
(``firm``), and a reference that reads as the explicit mention beside it.
"""

from __future__ import annotations

import pytest

from classifier.engine import Engine
from classifier.plugins.modality import plugin


def decide(marked: str, lang: str = "en", action: str | None = None) -> str:
    start = marked.index("[[")
    text = marked.replace("[[", "").replace("]]", "")
    end = marked.index("]]") - 2
    return plugin.decide(text, start, end, lang, action).modality


@pytest.mark.parametrize("sentence, lang, action, expected", [
    # suspending sanctions in force lifts them; suspending tariffs or one extradition negates
    ("The bloc suspended several [[sanctions]] on the country's banks.", "en", "sanctions", "other"),
    ("The bloc suspended the new [[tariffs]] before they took effect.", "en", "tariffs", "negated"),
    ("The bloc suspended several [[sanctions]] on the country's banks.", "en", None, "negated"),
    ("The [[sanctions]] were suspended after the election.", "en", "sanctions", "other"),
    ("El Consejo suspendió varias [[sanciones]] al banco central.", "es", "sanctions", "other"),
    ("Un juez suspendió la [[extradición]] del empresario.", "es", "extradition", "negated"),
    # suspending visas IS the sanction
    ("Washington suspended visas for the [[regime's]] officials.", "en", "sanctions", "asserted"),
    # refusing to suspend keeps the sanctions in force
    ("The council refused to suspend the [[sanctions]].", "en", "sanctions", "asserted"),
])
def test_a_cue_reads_per_action(sentence, lang, action, expected):
    assert decide(sentence, lang, action) == expected


@pytest.mark.parametrize("sentence, lang, expected", [
    ("Ottawa will impose [[tariffs]] on Chinese steel beginning Oct. 1.", "en", "asserted"),
    ("Ottawa will impose [[tariffs]] on Chinese steel.", "en", "threatened"),
    ("Ottawa could impose [[tariffs]] on Chinese steel beginning Oct. 1.", "en", "threatened"),
    ("Ottawa threatened to impose [[tariffs]] on Chinese steel beginning Oct. 1.", "en", "threatened"),
    ("The [[sanctions]] will remain in force until the vote.", "en", "asserted"),
    ("Officials said the suspect will be [[handed over]] next week.", "en", "threatened"),
    ("La UE impondrá [[aranceles]] a los coches durante los próximos cinco años.", "es", "asserted"),
    ("La UE impondrá [[aranceles]] a los coches.", "es", "threatened"),
    ("Las [[sanciones]] se mantendrán vigentes para la cúpula.", "es", "asserted"),
])
def test_a_plain_future_keeps_a_firm_fact(sentence, lang, expected):
    assert decide(sentence, lang) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The army said no civilians were hurt in the [[airstrike]].", "asserted"),
    ("The command did not say which jets carried out the [[strike]].", "asserted"),
    ("The council failed to adopt new [[sanctions]] on the junta.", "negated"),
    ("A court denied the banker's appeal of the [[extradition]].", "asserted"),
    ("The president followed through on his threat to impose [[tariffs]].", "asserted"),
    ("Officials said a decision on [[tariffs]] would come later.", "threatened"),
])
def test_reporting_kinds_en(sentence, expected):
    assert decide(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("El Congreso aprobó una ley que permite la [[extradición]] de nacionales.", "other"),
    ("Trump anunció el fin de las [[sanciones]] al país.", "other"),
    ("La policía lo arrestó con una orden de captura para su [[extradición]].", "threatened"),
    ("Los drones no tripulados [[atacaron]] la refinería.", "asserted"),
])
def test_reporting_kinds_es(sentence, expected):
    assert decide(sentence, "es") == expected


def test_a_reference_reads_as_the_explicit_mention_in_its_sentence():
    engine = Engine(entry_points=False)
    text = ("El Tesoro impuso sanciones al banco. "
            "Esta acción refleja la política de ofrecer un alivio de sanciones al sector.")
    profile = engine.classify(text, lang="es")
    second = [t for t in profile.tags if t.action == "sanctions" and t.sentence == 1]
    assert any(t.via == "context" for t in second), profile.tags
    assert {t.modality for t in second} == {"other"}
    first = [t for t in profile.tags if t.action == "sanctions" and t.sentence == 0]
    assert {t.modality for t in first} == {"asserted"}
