"""Roles as real news tells them: targets as written, extradition destinations, actors whose
name sits inside the matched span, and peso amounts that follow the article's country.

Every sentence is written for these tests, modelled on kinds of wire reporting.
"""

from __future__ import annotations

import re

import pytest

from classifier.model import Article, Sentence, Tag
from classifier.plugins.actors import plugin
from classifier.plugins.amounts import _debug, peso_currency
from classifier.plugins.amounts import plugin as amounts


def roles(sentence: str, action: str, lang: str = "en"):
    m = re.search(r"\[\[(.+?)\]\]", sentence)
    assert m, sentence
    text = sentence[:m.start()] + m.group(1) + sentence[m.end():]
    return plugin.find_roles(text, m.start(), m.start() + len(m.group(1)), action, lang)


CASES = [
    # the subject inside the matched span is still the actor
    ("The U.S. [[imposed sanctions]] on 14 firms tied to the fuel smuggling ring.", "sanctions",
     "en", ("United States", "14 firms", None)),
    # handovers: the sending state acts, the receiving one is the destination, the person is
    # the target
    ("Guatemala [[handed over]] a former mayor to the United States on Tuesday.", "extradition",
     "en", ("Guatemala", "a former mayor", "United States")),
    ("The ex-governor [[was extradited]] from the United States, as requested by Peru.",
     "extradition", "en", ("United States", "The ex-governor", "Peru")),
    ("Ecuador [[extraditó]] a dos cabecillas de Los Lobos a Estados Unidos.", "extradition", "es",
     ("Ecuador", "dos cabecillas de Los Lobos", "United States")),
    ("El exalcalde [[fue extraditado]] a España.", "extradition", "es",
     (None, "El exalcalde", "Spain")),
    # round 4: the requesting state receives ("wanted by", "a petición de", "a U.S.
    # extradition request", the subject of a request noun), and "a los EE.UU."
    ("Peru [[extradited]] two smugglers wanted by the United States.", "extradition", "en",
     ("Peru", "two smugglers wanted", "United States")),
    ("Bolivia rejects the Brazilian [[extradition]] request for the pilot.", "extradition",
     "en", ("Bolivia", "the pilot", "Brazil")),
    ("Italian prosecutors filed an [[extradition]] request with the Spanish court.",
     "extradition", "en", (None, None, "Italy")),
    ("El exgobernador fue [[extraditado]] a petición de Lima.", "extradition", "es",
     (None, "El exgobernador", "Peru")),
    ("Panamá [[extraditó]] a un contador a los EE.UU.", "extradition", "es",
     ("Panama", "un contador", "United States")),
    # the name after the match's preposition is its object, not its actor, except a Spanish
    # genitive
    ("Ankara also [[imposes duties on US imports]] of rice.", "tariffs", "en",
     ("Turkey", "US imports of rice", None)),
    ("Critican el [[bloqueo de Estados Unidos]] a Cuba.", "sanctions", "es",
     ("United States", "Cuba", None)),
    # rewards: the wanted person after "arrests and/or convictions of"
    ("The State Department [[offers rewards]] for information leading to the arrests and/or "
     "convictions of two fugitive bankers.", "rewards", "en",
     ("United States", "two fugitive bankers", None)),
    # missiles launched by X at Y's cities
    ("Russia [[launched missiles]] at Ukrainian cities before dawn.", "military", "en",
     ("Russia", "Ukrainian cities", None)),
    # named targets: cartels, aliases, goods
    ("The Treasury [[sanctioned]] the Gulf Cartel and three of its money launderers.",
     "sanctions", "en", ("United States", "the Gulf Cartel and three of its money launderers",
                         None)),
    ("Washington [[offered a reward]] of up to $5 million for information leading to the arrest "
     "of Juan Pérez, alias El Flaco.", "rewards", "en",
     ("United States", "Juan Pérez, alias El Flaco", None)),
    ("El Gobierno colombiano [[ofreció una recompensa]] de 300 millones de pesos por alias "
     "Chucho.", "rewards", "es", ("Colombia", "alias Chucho", None)),
    ("Brasil [[impuso aranceles]] a los autos chinos.", "tariffs", "es",
     ("Brazil", "los autos chinos", None)),
    ("Ottawa [[slapped tariffs]] on steel imports from South Korea.", "tariffs", "en",
     ("Canada", "steel imports from South Korea", None)),
    # Spanish speech: the speaking ministry acts when "el país" takes it up again; the people
    # after the match's own verb are acted on, not acting
    ("La Cancillería de Chile informó que el país [[sancionó a dos funcionarios nicaragüenses]].",
     "sanctions", "es", ("Chile", "dos funcionarios nicaragüenses", None)),
    ("El Ministerio de Defensa de Perú dijo que [[atacaron]] un campamento ilegal.", "military",
     "es", ("Peru", "un campamento ilegal", None)),
    # national institutions named without their country
    ("El Ministerio de Seguridad de la Nación [[ofreció una recompensa]] por datos del prófugo.",
     "rewards", "es", ("Argentina", "datos del prófugo", None)),
    ("El Mingob [[ofreció una recompensa]] por información sobre los reos fugados.", "rewards",
     "es", ("Guatemala", "los reos", None)),
    # a noun match followed by its own verb: not the object of the match, but what the strikes
    # hit, as what they killed or destroyed, is the struck target
    ("Officials said the [[strikes]] hit a fuel depot.", "military", "en",
     (None, "fuel depot", None)),
    # states, organs and leaders outside the Americas
    ("Thai F-16 jets [[bombed]] two border posts on Friday.", "military", "en",
     ("Thailand", "two border posts", None)),
    ("The Tatmadaw [[carried out air strikes]] on a village in Sagaing.", "military", "en",
     ("Myanmar", "a village", None)),
    ("Israeli forces [[struck]] a school compound in the north of the strip.", "military", "en",
     ("Israel", "a school compound", None)),
    ("The Saudi-led coalition [[launched air strikes]] on rebel positions.", "military", "en",
     ("Saudi Arabia", "rebel positions", None)),
    ("The EU Council [[adopted sanctions]] against nine officials of the regime.", "sanctions",
     "en", ("European Union", "nine officials of the regime", None)),
    ("Nigeria's air force [[bombed]] a bandit hideout.", "military", "en",
     ("Nigeria", "a bandit hideout", None)),
    # a progressive verb is not a passive: the subject acts
    ("Ottawa is [[slapping tariffs]] on electric cars made abroad.", "tariffs", "en",
     ("Canada", "electric cars", None)),
    # the preposition inside the match still introduces the target
    ("New Delhi imposed a [[40% duty on onion exports]].", "tariffs", "en",
     ("India", "onion exports", None)),
    # extradition: the state before the receiving one sends
    ("Mexico [[sent 26 fugitives to the United States]] on Tuesday.", "extradition", "en",
     ("Mexico", "26 fugitives", "United States")),
    ("The Audiencia Nacional [[approved the extradition]] of the banker to Mexico.",
     "extradition", "en", ("Spain", "the banker", "Mexico")),
    # round 5: forces sent somewhere are not the target; the place or foe they go to is
    ("The alliance has no plans to [[send troops]] to Moldova.", "military", "en",
     (None, "Moldova", None)),
    ("Lima [[sent more soldiers]] to help fight the rebels in the valley.", "military", "en",
     ("Peru", "the rebels", None)),
    ("El gobierno [[envió más soldados]] a la frontera norte.", "military", "es",
     (None, "la frontera norte", None)),
    # round 5: the people or things a strike killed or destroyed
    ("Officials said the [[drone strike]] killed 12 insurgents near the dam.", "military", "en",
     (None, "12 insurgents", None)),
    ("The army said it had killed 20 fighters in [[air raids]] overnight.", "military", "en",
     (None, "20 fighters", None)),
    ("Nine gunmen were killed in the [[raid]], the ministry said.", "military", "en",
     (None, "Nine gunmen", None)),
    # round 5: a verb after "to" is not a target; nor is a Spanish infinitive
    ("Officials in Ottawa did not expect the [[tariffs]] to take effect.", "tariffs", "en",
     (None, None, None)),
]


@pytest.mark.parametrize("sentence, action, lang, expected", CASES, ids=[c[0] for c in CASES])
def test_roles(sentence, action, lang, expected):
    assert roles(sentence, action, lang) == expected


def test_the_un_and_its_council_are_one_actor():
    assert roles("The Security Council [[imposed sanctions]] on the junta.", "sanctions")[0] == "UN"


def test_a_bare_organ_takes_the_article_state():
    text = "Turkish jets struck depots in the north. The military said it carried out strikes."
    start = text.index("The military")
    body = text[start:]
    sentence = Sentence(1, start, len(text), body)
    at = text.index("carried out strikes")
    tag = Tag("military", "m.t", "t", 1, (at, at + 19), "carried out strikes")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article("a", text, "en"))
    assert out.actor == "Turkey"


def _refine(text: str, at_text: str, action: str, lang: str = "en") -> Tag:
    """The refined tag of ``at_text`` in the last sentence of ``text`` (earlier ones, joined
    with newlines, give the article)."""
    start = text.rindex("\n") + 1 if "\n" in text else 0
    sentence = Sentence(text.count("\n"), start, len(text), text[start:])
    at = text.index(at_text, start)
    tag = Tag(action, "x.t", "t", 0, (at, at + len(at_text)), at_text)
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article("a", text, lang))
    return out


def test_a_passive_sentence_takes_the_actor_the_article_found_for_the_action():
    text = ("Lithuania banned the transit of sanctioned goods through its territory.\n"
            "The restrictions on coal and metals took effect at midnight.")
    assert _refine(text, "restrictions", "sanctions").actor == "Lithuania"


def test_extradition_from_the_article_is_not_the_receiving_state():
    text = ("Thailand's appeals court ruled that the arms dealer should be sent to the United "
            "States.\n"
            "The extradition was delayed again on Monday, lawyers for the United States said.")
    out = _refine(text, "extradition", "extradition")
    assert out.actor == "Thailand"


def test_the_hook_sets_the_destination():
    body = "Honduras extradited a police chief to the United States."
    sentence = Sentence(0, 0, len(body), body)
    at = body.index("extradited")
    tag = Tag("extradition", "e.t", "t", 0, (at, at + 10), "extradited")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article(None, body, "en"))
    assert (out.actor, out.target, out.destination) == (
        "Honduras", "a police chief", "United States")


# -- pesos follow the article's country ---------------------------------------------------------

@pytest.mark.parametrize("text, unit", [
    ("una recompensa de 200 millones de pesos colombianos", "COP"),
    ("a reward of 3 million Argentine pesos", "ARS"),
    ("un millón de pesos chilenos", "CLP"),
    ("a P5 million bounty", "PHP"),
    ("10 millones de pesos mexicanos", "MXN"),
])
def test_a_qualified_peso_is_read_as_said(text, unit):
    (figure,) = _debug(text, "es")
    assert figure["unit"] == unit


def test_a_bare_peso_follows_the_article():
    assert peso_currency("La Policía de Bogotá y el Gobierno colombiano ofrecieron...") == "COP"
    assert peso_currency("El gobierno argentino, desde Buenos Aires, ...") == "ARS"
    assert peso_currency("Sin país nombrado.") == "MXN"
    text = "En Medellín, la Fiscalía de Colombia ofreció 50 millones de pesos por el prófugo."
    sentence = Sentence(0, 0, len(text), text)
    at = text.index("ofreció")
    tag = Tag("rewards", "r.t", "t", 0, (at, at + 7), "ofreció")
    (out,) = amounts.policy_classifier_refine_tags(sentence, [tag], Article(None, text, "es"))
    assert [a.unit for a in out.amounts] == ["COP"]


def test_a_lone_p_is_not_a_peso():
    assert _debug("Step 3 of plan P4", "en") == []


# -- targets: the person extradited, the party spared, what a measure targets ------------------

@pytest.mark.parametrize("text, at, lang, target", [
    # a charge, a date or a body is never the person; the reading goes on to one that is
    ("A judge approved the extradition to Peru of the former mayor on charges of fraud.",
     "extradition", "en", "the former mayor"),
    ("Un tribunal concedió la extradición a Chile del exmilitar por delitos de tortura.",
     "extradición", "es", "exmilitar"),
    ("El cambista fue ayer extraditado a Brasil por tráfico de drogas y lavado de dinero.",
     "extraditado", "es", "El cambista"),
    # the possessor before the match, not the verb before it
    ("The minister has ordered Ravi Kumar's extradition to India.", "extradition", "en",
     "Ravi Kumar"),
    # a passive subject keeps its head past "of" and "in"
    ("A senior member of the Gulf gang in Honduras was extradited to the United States.",
     "extradited", "en", "A senior member of the Gulf gang in Honduras"),
])
def test_the_extradited_person_is_a_person(text, at, lang, target):
    assert _refine(text, at, "extradition", lang).target == target


@pytest.mark.parametrize("text, at, action, lang, target, actor", [
    ("Washington granted Hungary a one-year exemption from the sanctions on oil.", "sanctions",
     "sanctions", "en", "Hungary", "United States"),
    ("The president had exempted car makers from the new tariffs for a month.", "tariffs",
     "tariffs", "en", "car makers", None),
    ("Beijing said the countermeasures target 12 American defence firms.", "countermeasures",
     "sanctions", "en", "12 American defence firms", None),
    ("Esos aranceles afectaron de manera directa a los productores de soja.", "aranceles",
     "tariffs", "es", "los productores de soja", None),
])
def test_the_target_of_a_measure_read_from_its_verb(text, at, action, lang, target, actor):
    out = _refine(text, at, action, lang)
    assert out.target == target
    if actor is not None:
        assert out.actor == actor


@pytest.mark.parametrize("text, at, actor, target, destination", [
    # the state asked inside the match hands the person over; the asking one receives
    ("Estados Unidos solicitó a Chile la extradición del exmilitar detenido.",
     "solicitó a Chile la extradición", "Chile", None, "United States"),
    # "al gobierno de X" is an object, not the organ of the subject's state
    ("El presidente de Colombia notificó al gobierno de Estados Unidos que no extraditará a "
     "dos capos.", "extraditará", "Colombia", "dos capos", None),
])
def test_spanish_extradition_roles(text, at, actor, target, destination):
    out = _refine(text, at, "extradition", "es")
    assert out.actor == actor
    if target is not None:
        assert out.target == target
    if destination is not None:
        assert out.destination == destination
