"""Kinds of real news reporting that the modality cues must read right (our own sentences).

The cue file's examples test each cue alone; these test the mechanisms the kinds rely on: a cue
that reads differently per action (``as_action``), a firm fact that a plain future keeps
(``firm``), and a reference that reads as the explicit mention beside it.
"""

from __future__ import annotations

import pytest

from classifier.pipeline.engine import Engine
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
    # round 6: the effects of a listing, and a start date put first
    ("The three firms' [[assets will be frozen]], the ministry said.", "en", "asserted"),
    ("The three firms' [[assets could be frozen]], the ministry said.", "en", "threatened"),
    ("From Monday, importers will pay [[duties]] of 12% on the valves.", "en", "asserted"),
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


@pytest.mark.parametrize("sentence, lang, action, expected", [
    # court stages: a ruling that someone should be sent is a decision; a hearing, a warrant or
    # efforts to obtain the handover are a request still pending; a refusal negates
    ("A judge ruled that the broker should be [[extradited]] to Madrid.", "en", "extradition", "asserted"),
    ("A judge ruled that the broker should not be [[extradited]].", "en", "extradition", "negated"),
    ("The broker's [[extradition]] hearing opens on Monday.", "en", "extradition", "threatened"),
    ("Lima stepped up efforts to have the broker [[extradited]].", "en", "extradition", "threatened"),
    ("El broker afronta un [[proceso de extradición]] en Madrid.", "es", "extradition", "threatened"),
    ("El tribunal decidió rechazar la [[entrega]] del broker.", "es", "extradition", "negated"),
    ("La Audiencia ha denegado la [[extradición]] del broker.", "es", "extradition", "negated"),
    ("El tribunal acogió la solicitud de [[extradición]] del broker.", "es", "extradition", "asserted"),
    # the same hearing word read for another action is nothing
    ("The [[sanctions]] case goes back to court in May.", "en", "sanctions", "asserted"),
])
def test_extradition_stages(sentence, lang, action, expected):
    assert decide(sentence, lang, action) == expected


@pytest.mark.parametrize("sentence, lang, expected", [
    # dates, stages and measures already in force stay decided under a plain future
    ("The new quotas are final and will [[take effect]] on 3 May.", "en", "asserted"),
    ("Brussels will impose [[provisional duties]] on the bikes.", "en", "asserted"),
    ("The decree will make the existing [[safeguard duties]] easier to collect.", "en", "asserted"),
    ("Pekín impondrá [[aranceles provisionales]] al vino.", "es", "asserted"),
    ("El Diario Oficial publicó la recomendación de [[sobretasas]] al acero.", "es", "asserted"),
    # a commission recommends, a government pledges: not yet decided
    ("La comisión recomendó imponer [[sobretasas]] al acero.", "es", "threatened"),
    # ending a measure, or cutting a duty, is "other"
    ("Congress moved to revoke the [[sanctions]] on the bank.", "en", "other"),
    ("The decree says the [[sanctions law]] of 2015 is hereby repealed.", "en", "other"),
    ("El bloque aprobó una rebaja del 10% del [[arancel externo]].", "es", "other"),
    ("La [[sobretasa del 20%]] se reducirá al 5% en marzo.", "es", "other"),
    # revoking visas IS the sanction
    ("The embassy announced the revocation of the judges' [[visas]].", "en", "asserted"),
])
def test_measures_in_force_and_ended(sentence, lang, expected):
    assert decide(sentence, lang) == expected


@pytest.mark.parametrize("sentence, lang, expected", [
    # a negation of a side detail leaves the act standing
    ("The command has not confirmed the [[airstrikes]] on the village.", "en", "asserted"),
    ("Sin embargo, el Ejército [[bombardeó]] la pista.", "es", "asserted"),
    ("Anunció sin precisar detalles un nuevo [[arancel]] al cobre.", "es", "asserted"),
    ("Forty people feared dead after army [[air strikes]] on the market.", "en", "asserted"),
    ("The minister, who had vowed to avenge the [[attack]], visited the site.", "en", "asserted"),
    # a quote opened after a modal keeps the modal
    ("The command said it would \u201claunch merciless [[retaliatory strikes]].\u201d", "en", "threatened"),
    # left out of the measure, or never carried out
    ("Medicines are [[excluded from the tariffs]].", "en", "negated"),
    ("Las misiones humanitarias están excluidas del [[embargo]].", "es", "negated"),
    ("Su [[entrega]] nunca se concretó por la pandemia.", "es", "negated"),
])
def test_side_details_and_exclusions(sentence, lang, expected):
    assert decide(sentence, lang) == expected


@pytest.mark.parametrize("sentence, lang, action, expected", [
    # overturning a refusal grants the request; overturning an order annuls it
    ("The ruling overturns a lower court's rejection of the [[extradition]] request.", "en", "extradition", "asserted"),
    ("The appeals court overturned the [[extradition]] order.", "en", "extradition", "negated"),
    # a bill about extradition is a law in general; a sanctions bill is a proposal
    ("Critics of the [[extradition]] bill filled the square.", "en", "extradition", "other"),
    ("The senator tabled a [[sanctions]] bill on Tuesday.", "en", "sanctions", "threatened"),
    # the results of an operation, or enforcing a measure, presuppose the act
    ("The command will review the results of [[this operation]] soon.", "en", "military", "asserted"),
    ("El mando seguirá evaluando los resultados de este [[ataque aéreo]].", "es", "military", "asserted"),
    ("Officials said they will enforce the [[embargo]] at sea.", "en", "sanctions", "asserted"),
])
def test_overturned_refusals_laws_and_outcomes(sentence, lang, action, expected):
    assert decide(sentence, lang, action) == expected


@pytest.mark.parametrize("sentence, lang, action, expected", [
    # a refused exemption or postponement leaves the measure in force
    ("Ottawa hit back at the capital's refusal to exempt its mills from the [[tariffs]].", "en", "tariffs", "asserted"),
    ("El gobierno se negó a posponer los [[aranceles]] al cobre.", "es", "tariffs", "asserted"),
    # a refusal past the word limit governs the "that"-clause the match stands in
    ("La ministra descartó este lunes durante su conferencia diaria que el país responda con "
     "[[aranceles]].", "es", "tariffs", "negated"),
    ("El gobierno negó este martes que esté preparando [[sanciones]] contra el vecino.", "es", "sanctions", "negated"),
    # a quoted predicate still says what happened to the action
    ("The premier said [[foreign troops]] were \"out of the question\" for now.", "en", "military", "negated"),
    # a licence issued to authorise dealings eases the sanctions
    ("Treasury has issued a license authorizing trade with the [[blacklisted]] port.", "en", "sanctions", "other"),
])
def test_refusals_quotes_and_licences(sentence, lang, action, expected):
    assert decide(sentence, lang, action) == expected
