"""The actors refiner: who acts and on whom, in canonical names, or nothing when unsure.

Sentences mark the tagged span with [[...]]; every one is written for these tests.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import read_seed

from classifier.errors import ConfigError
from classifier.model import Article, Sentence, Tag
from classifier.plugins.actors import ActorRefiner, find_actor_target, plugin


def marked(sentence: str) -> tuple[str, int, int]:
    m = re.search(r"\[\[(.+?)\]\]", sentence)
    assert m, sentence
    text = sentence[:m.start()] + m.group(1) + sentence[m.end():]
    return text, m.start(), m.start() + len(m.group(1))


def who(sentence: str, action: str, lang: str = "en") -> tuple[str | None, str | None]:
    text, start, end = marked(sentence)
    return find_actor_target(text, start, end, action, lang)


CASES = [
    # subject acts, preposition names the target
    ("Washington [[imposed sanctions]] on Caracas's oil company.", "sanctions",
     "United States", "Caracas's oil company"),
    ("OFAC [[sanctioned]] four Tren de Aragua leaders on Thursday.", "sanctions",
     "United States", "four Tren de Aragua leaders"),
    ("The EU agreed new [[sanctions]] against Belarus.", "sanctions", "European Union", "Belarus"),
    ("The UN Security Council voted to extend [[sanctions]] on North Korea.", "sanctions",
     "UN", "North Korea"),
    ("Ottawa slapped [[tariffs]] on Chinese electric vehicles.", "tariffs", "Canada", "Chinese electric vehicles"),
    ("Trump announced 25% [[tariffs]] on imports from Mexico.", "tariffs",
     "United States", "imports from Mexico"),
    ("The Pentagon said [[strikes]] against the Houthis would continue.", "military",
     None, "the Houthis"),
    ("Israeli warplanes [[bombed]] Hamas positions overnight.", "military", "Israel", "Hamas positions"),
    ("The White House ordered [[military action]] against the Sinaloa Cartel.", "military",
     "United States", "the Sinaloa Cartel"),
    # organs map to their state
    ("The Justice Department [[offered a reward]] of $10 million for a CJNG leader.", "rewards",
     "United States", "a CJNG leader"),
    ("Venezuelan President Nicolás Maduro [[ordered troops]] to the border.", "military",
     "Venezuela", None),
    # the agent of a passive, and the passive subject as target
    ("Fresh [[sanctions]] were imposed on Russian banks by London.", "sanctions",
     "United Kingdom", "Russian banks"),
    ("Cuba was hit with new [[sanctions]] on Friday.", "sanctions", None, "Cuba"),
    # extradition: actor hands over, target receives
    ("Guatemala [[extradited]] two traffickers to the United States.", "extradition",
     "Guatemala", "two traffickers"),
    ("The banker [[was extradited]] from Spain to Argentina.", "extradition",
     "Spain", "The banker"),
    ("Bogotá has requested the [[extradition]] of the former senator.", "extradition",
     None, "the former senator"),
    ("An MS-13 leader [[was extradited]] on Tuesday.", "extradition", None, "An MS-13 leader"),
    # speakers are not actors
    ("Despite Mexican President Claudia Sheinbaum's reassurance that these [[military actions]] "
     "will not breach Mexican borders, tensions remain.", "military", None, None),
    ("Mexico said the [[strikes]] violated international law.", "military", None, None),
    ("Mexico said its navy [[struck]] a drug lab in the mountains.", "military", "Mexico", "a drug lab"),
    ("According to Moscow, the [[strikes]] hit an airfield.", "military", None, "an airfield"),
    # an opinion about the action is not the action
    ("Mexico rejected any unilateral [[military action]] on its soil.", "military", None, None),
    ("Ukraine called for new [[sanctions]] on Russian banks.", "sanctions", None, "Russian banks"),
    ("Mexico rejected the [[extradition]] of its citizen to Peru.", "extradition",
     "Mexico", None),
    # names that contain a state's name but are not the state
    ("Latin American leaders condemned the [[strikes]].", "military", None, None),
    ("Ships in the Gulf of Mexico were [[struck]] by the storm.", "military", None, "Ships in the Gulf of Mexico"),
    # nationality adjectives and state modifiers
    ("Israeli [[strikes]] on Hamas tunnels resumed.", "military", "Israel", "Hamas tunnels"),
    ("Chinese [[tariffs]] on Canadian canola doubled.", "tariffs", "China", "Canadian canola"),
    ("U.S. [[sanctions]] on Iran took effect.", "sanctions", "United States", "Iran"),
    ("Brussels renewed the Russia [[sanctions]] on Monday.", "sanctions", "European Union",
     "Russia"),
    ("Iran [[sanctions]] were extended.", "sanctions", None, None),  # by or on Iran? unsure
    # a target after a new predicate is not the action's target
    ("The use of [[sanctions]] is a central theme of Trump's plan.", "sanctions", None, None),
]

SPANISH = [
    ("Estados Unidos [[impuso sanciones]] a funcionarios venezolanos.", "sanctions",
     "United States", "funcionarios venezolanos"),
    ("El Tesoro [[sancionó]] al Cártel de Sinaloa.", "sanctions", "United States",
     "Cártel de Sinaloa"),
    ("México [[extraditó]] a 29 narcotraficantes a Estados Unidos.", "extradition",
     "Mexico", "29 narcotraficantes"),
    ("El capo [[fue extraditado]] desde Colombia a España.", "extradition", "Colombia", "El capo"),
    ("La Unión Europea aprobó [[aranceles]] al acero chino.", "tariffs", "European Union", "acero chino"),
    ("Las fuerzas estadounidenses [[atacaron]] una lancha del Tren de Aragua.", "military",
     "United States", "una lancha del Tren de Aragua"),
    ("La presidenta Sheinbaum dijo que los [[ataques]] no violaron la soberanía.", "military",
     None, None),
    ("Washington dijo que [[impondrá aranceles]] a Canadá.", "tariffs", "United States", "Canadá"),
    ("Sheinbaum dijo que México no aceptará una [[intervención militar]].", "military",
     None, None),
    ("Según Caracas, los [[bombardeos]] dejaron tres muertos.", "military", None, None),
    ("Sheinbaum rechazó una [[intervención militar]] estadounidense en suelo mexicano.",
     "military", "United States", "suelo mexicano"),
]


@pytest.mark.parametrize("sentence, action, actor, target", CASES, ids=[c[0] for c in CASES])
def test_english(sentence, action, actor, target):
    assert who(sentence, action) == (actor, target)


@pytest.mark.parametrize("sentence, action, actor, target", SPANISH, ids=[c[0] for c in SPANISH])
def test_spanish(sentence, action, actor, target):
    assert who(sentence, action, "es") == (actor, target)


@pytest.mark.parametrize("text, expected", [
    ("The U.S. Treasury and OFAC", ["United States", "United States", "United States"]),
    ("EE.UU., EE. UU. y EEUU", ["United States", "United States", "United States"]),
    ("Trump's envoy met Maduro’s aides", ["United States", "Venezuela"]),
    ("el gobierno mexicano y las fuerzas estadounidenses", ["Mexico", "United States"]),
    ("U.S.-led strikes", ["United States"]),
    ("New Mexico and Latin America", []),
    ("us and them", []),  # a pronoun, not the United States
])
def test_mentions_map_aliases_to_states(text, expected):
    assert [m.actor() for m in plugin.mentions(text)] == expected


def test_people_keep_their_name_as_target_and_their_state_as_actor():
    (maduro,) = plugin.mentions("Maduro")
    assert (maduro.actor(), maduro.target()) == ("Venezuela", "Nicolás Maduro")
    (treasury,) = plugin.mentions("the Treasury")
    assert (treasury.actor(), treasury.target()) == ("United States", "United States")
    (chinese,) = plugin.mentions("Chinese steel")
    assert (chinese.actor(), chinese.target()) == (None, "China")


def test_unknown_language_falls_back_to_english_cues():
    assert who("Ottawa [[imposed tariffs]] on Chinese steel.", "tariffs", "pt") == (
        "Canada", "Chinese steel")


# -- the hook, end to end without the engine ------------------------------------------------

def test_hook_fills_actor_and_target():
    prefix = "Markets fell. "
    body = "The Treasury imposed sanctions on Iran's central bank."
    text = prefix + body
    start = text.index("imposed sanctions")
    sentence = Sentence(1, len(prefix), len(text), body)
    tag = Tag("sanctions", "sanctions.t", "t", 1, (start, start + 17), "imposed sanctions")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article(None, text, "en"))
    assert (out.actor, out.target) == ("United States", "Iran's central bank")
    assert (out.span, out.modality, out.amounts) == (tag.span, tag.modality, tag.amounts)


def test_extradition_without_a_destination_takes_the_articles_receiving_state():
    first = "A court ruled that the banker can be extradited to Brazil."
    body = "He has been fighting extradition for two years."
    text = first + " " + body
    start = text.index("extradition for")
    sentence = Sentence(1, len(first) + 1, len(text), body)
    tag = Tag("extradition", "e.t", "t", 1, (start, start + 11), "extradition")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article(None, text, "en"))
    assert out.destination == "Brazil"


def test_hook_keeps_what_another_plugin_set():
    body = "The Treasury imposed sanctions on Iran."
    sentence = Sentence(0, 0, len(body), body)
    tag = Tag("sanctions", "s.t", "t", 0, (13, 30), body[13:30], actor="Someone")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article(None, body, "en"))
    assert (out.actor, out.target) == ("Someone", "Iran")
    both = replace(tag, target="Elsewhere")
    article = Article(None, body, "en")
    assert plugin.policy_classifier_refine_tags(sentence, [both], article) == [both]


def test_seed_article_military_actor_is_the_united_states():
    text = read_seed()
    first = text.split("\n", 1)[0]
    start = first.index("military actions")
    assert find_actor_target(first, start, start + 16, "military", "en")[0] == "United States"
    line = next(s for s in text.split(". ") if "reassurance" in s)
    start = line.index("military actions")
    assert find_actor_target(line, start, start + 16, "military", "en") == (None, None)


# -- the data file ----------------------------------------------------------------------------

EXAMPLES = list(plugin.iter_examples())


@pytest.mark.parametrize("example", [e for _, e in EXAMPLES], ids=[i for i, _ in EXAMPLES])
def test_data_file_example(example):
    assert plugin.check_example(example) is None


def test_every_group_of_entries_has_examples():
    groups = {e.get("group") for _, e in EXAMPLES}
    assert {"states and organs", "extradition", "rewards", "groups", "demonyms"} <= groups


@pytest.mark.parametrize("entity, message", [
    ('name = "Navy"\nkind = "organ"\ncountry = "Atlantis"\naliases = ["Navy"]', "country"),
    ('name = "X"\nkind = "tribe"\naliases = ["X"]', "kind"),
    ('name = "Other Mexico"\nkind = "state"\naliases = ["Mexico"]', "already names"),
    ('name = "Y"\nkind = "group"\npatterns = ["(unclosed"]', "bad pattern"),
])
def test_a_bad_entry_is_refused_with_a_reason(tmp_path, entity, message):
    path = tmp_path / "actors.toml"
    path.write_text(Path(plugin.path).read_text(encoding="utf-8") + f"\n[[entity]]\n{entity}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ActorRefiner(path)


def test_a_user_can_add_a_state(tmp_path):
    path = tmp_path / "actors.toml"
    path.write_text(Path(plugin.path).read_text(encoding="utf-8") + (
        '\n[[entity]]\nname = "Freedonia"\nkind = "state"\naliases = ["Freedonia"]\n'
        'demonyms = ["Freedonian"]\n'), encoding="utf-8")
    custom = ActorRefiner(path)
    text, start, end = marked("Freedonia [[imposed tariffs]] on Canadian timber.")
    assert custom.find(text, start, end, "tariffs", "en") == ("Freedonia", "Canadian timber")
    text, start, end = marked("Canada [[imposed tariffs]] on Freedonian timber.")
    assert custom.find(text, start, end, "tariffs", "en") == ("Canada", "Freedonian timber")
    (freedonian,) = custom.mentions("Freedonian")
    assert freedonian.target() == "Freedonia"  # the gazetteer still knows whose timber it is


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "abc .,;'’-UuSsMexicoVnzlaTrpgdfhoHEbñáé" ) , max_size=100), st.data())
def test_any_text_and_span_gives_names_or_none(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for action in ("sanctions", "extradition", "military", "visa_bans"):
        for lang in ("en", "es", "fr"):
            actor, target = find_actor_target(text, start, end, action, lang)
            assert actor is None or isinstance(actor, str) and actor
            assert target is None or isinstance(target, str) and target
            assert actor is None or actor != target


@pytest.mark.parametrize("text", ["Mexico", "in Mexico.", "Maduro's arrest"])
def test_mention_spans_cover_the_name_only(text):
    (m,) = plugin.mentions(text)
    assert text[m.start:m.end] in ("Mexico", "Maduro")


def test_a_language_alias_must_name_an_entity(tmp_path):
    path = tmp_path / "actors.toml"
    path.write_text(Path(plugin.path).read_text(encoding="utf-8").replace(
        '"EU" = "United States"', '"EU" = "Atlantis"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="lang_aliases.es.*Atlantis"):
        ActorRefiner(path)


def test_a_province_names_the_article_s_country_when_no_state_is_named():
    """Local news names its state by a province or city only: the reward is Australia's, the
    deployment Mexico's; a place is never the actor of a sentence that names a state."""
    from classifier.pipeline.engine import Engine

    engine = Engine(entry_points=False)
    reward = engine.classify("NSW Police have offered a $1 million reward for information on a "
                             "1994 murder.")
    assert {t.actor for t in reward.tags if t.action == "rewards"} == {"Australia"}
    deployment = engine.classify("Nine hundred soldiers were deployed to Sinaloa on Friday after "
                                 "a week of gang violence in Culiacán.")
    assert {t.actor for t in deployment.tags if t.action == "military"} == {"Mexico"}
    named = engine.classify("Washington sent 300 troops to Sinaloa on Friday.")
    assert {t.actor for t in named.tags if t.action == "military"} == {"United States"}


def test_a_place_needs_a_known_country(tmp_path):
    path = tmp_path / "actors.toml"
    path.write_text(Path(plugin.path).read_text(encoding="utf-8")
                    + '\n[[entity]]\nname = "Gotham"\nkind = "place"\ncountry = "Atlantis"\n'
                    'aliases = ["Gotham"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="place needs a country"):
        ActorRefiner(path)


def test_the_receiving_state_is_not_the_extraditing_one():
    """'Indian authorities said his extradition ended a hunt': India receives him; the state
    that sends him is the one the article named before, and India is the destination."""
    from classifier.pipeline.engine import Engine

    profile = Engine(entry_points=False).classify(
        "The United Arab Emirates extradited the businessman Ravi Menon to India on Monday. "
        "Indian authorities said his extradition ended a six-year hunt.")
    second = [t for t in profile.tags if t.action == "extradition" and t.sentence == 1]
    assert second and {(t.actor, t.destination) for t in second} == {
        ("United Arab Emirates", "India")}
