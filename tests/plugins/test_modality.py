"""The modality refiner: carried out, threatened, negated or only talked about, and why.

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
from classifier.model import MODALITIES, Article, Sentence, Tag
from classifier.plugins.modality import ModalityRefiner, detect_modality, plugin


def marked(sentence: str) -> tuple[str, int, int]:
    """'a [[b]] c' -> ('a b c', 2, 3)."""
    m = re.search(r"\[\[(.+?)\]\]", sentence)
    assert m, sentence
    text = sentence[:m.start()] + m.group(1) + sentence[m.end():]
    return text, m.start(), m.start() + len(m.group(1))


def modality_of(sentence: str, lang: str = "en") -> tuple[str, str | None]:
    text, start, end = marked(sentence)
    return detect_modality(text, start, end, lang)


ENGLISH = [
    # carried out, decided, in force
    ("The Treasury [[imposed sanctions]] on two shipping firms on Monday.", "asserted"),
    ("Two suspects [[were extradited]] to Spain last week.", "asserted"),
    ("The State Department has offered a $5 million [[reward]] for the fugitive.", "asserted"),
    ("U.S. forces [[struck]] a camp near the border overnight.", "asserted"),
    ("The president announced 25% [[tariffs]] on imported cars.", "asserted"),
    ("The [[tariffs]] took effect at midnight.", "asserted"),
    ("Officials said the [[sanctions]] remain in force.", "asserted"),
    ("Washington refused to lift the [[sanctions]] on the airline.", "asserted"),
    # threatened, planned, requested
    ("The White House threatened [[tariffs]] on European wine.", "threatened"),
    ("Ottawa is weighing retaliatory [[tariffs]] on American steel.", "threatened"),
    ("The minister said the army could [[strike]] the camps within days.", "threatened"),
    ("Lawmakers called for [[sanctions]] against the junta.", "threatened"),
    ("The government plans to impose [[tariffs]] on solar panels.", "threatened"),
    ("The United States asked Colombia to [[extradite]] the banker.", "threatened"),
    ("The court is reviewing an [[extradition]] request from Peru.", "threatened"),
    ("The [[sanctions]] on the refinery would be expanded next month.", "threatened"),
    ("The president vowed to answer with [[tariffs]] of his own.", "threatened"),
    # negated
    ("Mexico will not [[extradite]] the former governor.", "negated"),
    ("The prime minister ruled out [[military action]] against the rebels.", "negated"),
    ("The Treasury has no plans to [[impose sanctions]] on the exchange.", "negated"),
    ("A judge blocked the [[extradition]] of the journalist.", "negated"),
    ("Canadian lumber was exempted from the [[tariffs]].", "negated"),
    ("The [[sanctions]] were not imposed after the deal.", "negated"),
    ("The president suspended the [[tariffs]] before they took effect.", "negated"),
    ("Moscow denied that its jets [[bombed]] the market.", "negated"),
    # other: lifting, offers, talks, hypotheticals, programme descriptions
    ("Washington lifted [[sanctions]] on the country's gold sector.", "other"),
    ("The deal promises [[sanctions]] relief within a year.", "other"),
    ("The withdrawal of [[troops]] from the valley began on Sunday.", "other"),
    ("Libya offered to [[hand over]] the two suspects.", "other"),
    ("Negotiators held talks on [[tariffs]] for farm goods.", "other"),
    ("If the U.S. [[imposed tariffs]] on Canada, prices would climb.", "other"),
    ("The program pays [[rewards]] for tips that lead to convictions.", "other"),
    # double negation: not ruled out is still on the table
    ("The minister did not rule out [[military action]].", "threatened"),
    # a denial of a negated predicate: it goes ahead
    ("Officials denied reports that the [[extradition]] had been delayed.", "asserted"),
    ("The president said he would not hesitate to use [[military force]].", "threatened"),
    # a negated removal: the action stays in force
    ("Officials said that lifting the [[sanctions]] on the junta is out of the question.", "asserted"),
    ("Hungary blocked the lifting of the [[sanctions]] on the bank.", "asserted"),
    # announced decisions, denied delays, and what is off the table
    ("The alliance confirmed on Friday it would tighten the [[naval blockade]] of the port.", "asserted"),
    ("Officials insisted the [[tariffs]] would not be delayed despite pressure from retailers.", "asserted"),
    ("An aide said [[military action]] is off the table for now.", "negated"),
    ("The administration decided against imposing [[sanctions]] on the oil company.", "negated"),
    ("The EU is preparing a fresh package of [[sanctions]] against the regime.", "threatened"),
]

SPANISH = [
    ("El Tesoro [[impuso sanciones]] a dos navieras.", "asserted"),
    ("El narcotraficante [[fue extraditado]] a Estados Unidos.", "asserted"),
    ("La Casa Blanca anunció [[aranceles]] del 25 por ciento.", "asserted"),
    ("Trump amenazó con imponer [[aranceles]] a México.", "threatened"),
    ("La amenaza de [[aranceles]] obligó a Canadá a negociar.", "threatened"),
    ("Washington podría imponer [[sanciones]] a la petrolera.", "threatened"),
    ("El gobierno analiza nuevas [[sanciones]] contra el régimen.", "threatened"),
    ("Estados Unidos pidió la [[extradición]] del exgobernador.", "threatened"),
    ("Washington solicitó a España la [[extradición]] del empresario.", "threatened"),
    ("La presidenta descartó una [[intervención militar]].", "negated"),
    ("México no [[extraditará]] a sus ciudadanos.", "negated"),
    ("El gobierno no [[impondrá aranceles]] al maíz.", "negated"),
    ("El tribunal rechazó la [[extradición]] del periodista.", "negated"),
    ("Trump suspendió los [[aranceles]] durante un mes.", "negated"),
    ("Washington levantó las [[sanciones]] al sector del oro.", "other"),
    ("El acuerdo prevé el levantamiento de las [[sanciones]].", "other"),
    ("El presidente advirtió que está dispuesto a usar la [[fuerza militar]] contra los cárteles.", "threatened"),
    ("El Gobierno aún no ha decidido si ofrecerá una [[recompensa]] por los secuestradores.", "threatened"),
]


@pytest.mark.parametrize("sentence, expected", ENGLISH, ids=[s for s, _ in ENGLISH])
def test_english_modality(sentence, expected):
    assert modality_of(sentence, "en")[0] == expected


@pytest.mark.parametrize("sentence, expected", SPANISH, ids=[s for s, _ in SPANISH])
def test_spanish_modality(sentence, expected):
    assert modality_of(sentence, "es")[0] == expected


@pytest.mark.parametrize("sentence, cue", [
    ("The White House threatened [[tariffs]] on wine.", "threatened"),
    ("Washington refused to lift the [[sanctions]].", "refused to lift"),
    ("The minister did not rule out [[military action]].", "not rule out"),
    ("A $50 million [[reward]] has been announced for information.", "has been announced"),
    ("México no [[extraditará]] a sus ciudadanos.", "no extraditará"),
    ("No [[sanctions]] have been imposed so far.", "No … have been imposed"),
])
def test_cue_shows_the_words_that_decided(sentence, cue):
    lang = "es" if "México" in sentence else "en"
    assert modality_of(sentence, lang)[1] == cue


@pytest.mark.parametrize("sentence", [
    # the negation is of another verb, not of the action
    "Despite Mexican President Claudia Sheinbaum's reassurance that these [[military actions]] "
    "will not breach Mexican borders, tensions remain.",
    "Mexico denied that the [[strikes]] breached its border.",
    # a cue in another clause does not reach the action
    "Mexico denied that the strikes breached its border, as U.S. forces [[struck]] two boats.",
    "After the talks were rejected, Washington [[imposed sanctions]] on the port.",
    "The plan was dropped; the navy [[shelled]] the harbour the next day.",
    # reporting verbs and "not only" change nothing
    "According to officials, the Treasury [[imposed sanctions]] on the bank.",
    "The administration isn't relying solely on [[military measures]].",
    "In May, the Treasury [[imposed sanctions]] on the refinery.",
])
def test_scope_stays_in_the_clause(sentence):
    assert modality_of(sentence)[0] == "asserted"


# -- a comma-bracketed clause after the match is stepped over ---------------------------------

@pytest.mark.parametrize("sentence, lang, expected", [
    ("The [[sanctions]], which took effect in April, have yet to be enforced by customs.", "en",
     "threatened"),
    ("The [[duties]], first floated by the trade minister in May, were shelved on Friday.", "en",
     "negated"),
    ("The [[export ban]], part of a package agreed last year, remains suspended.", "en", "negated"),
    ("The [[tariffs]] (announced in the spring) were paused for ninety days.", "en", "negated"),
    ("Los [[aranceles]], que el Gobierno anunció en enero, fueron suspendidos el lunes.", "es",
     "negated"),
    ("Las [[sanciones]], aprobadas en marzo, fueron suspendidas por un tribunal.", "es",
     "negated"),
    ("Las [[sanciones]], que el Consejo aprobó en marzo, todavía no se han aplicado.", "es",
     "threatened"),
    ("The [[export ban]], which ministers agreed in June, has not yet been enforced.", "en",
     "threatened"),
])
def test_after_window_skips_a_bracketed_aside(sentence, lang, expected):
    assert modality_of(sentence, lang)[0] == expected


@pytest.mark.parametrize("sentence", [
    # a list, not an aside: the second comma is followed by "and"
    "Ottawa named the [[sanctions]], widened last year, and the duties as its main tools, "
    "which were suspended later.",
    # the aside is not closed: nothing after it to read
    "The [[sanctions]], which were announced in March",
])
def test_an_open_aside_or_a_list_is_not_stepped_over(sentence):
    assert modality_of(sentence)[0] == "asserted"


# -- coordinated verb phrases share the cue that governs the first one ------------------------

@pytest.mark.parametrize("sentence, lang, expected", [
    # "announced it would" is a decision; the second "would" belongs to the same announcement
    ("The ministry announced on Tuesday that it would ban imports of rough diamonds from the "
     "region and would deny [[visas]] to the traders involved.", "en", "asserted"),
    ("The ministry announced it would ban the imports and would [[freeze the assets]] of the "
     "brokers.", "en", "asserted"),
    # a negation in the second phrase still applies to it
    ("The cabinet announced it would raise the levy on timber and would not [[impose tariffs]] "
     "on grain.", "en", "negated"),
    # no decision cue in front: the coordinated modal stays a threat
    ("The minister said Ottawa would review the quotas and would [[impose tariffs]] on steel.",
     "en", "threatened"),
    ("The army struck the depots and could [[strike]] the bridges next.", "en", "threatened"),
    # Spanish: the conditionals differ by verb; "y que" joins the two phrases
    ("El ministerio anunció que vetaría las compras de crudo y que impondría [[aranceles]] al "
     "acero.", "es", "asserted"),
    ("El ministro dijo que Ottawa revisaría las cuotas y que impondría [[aranceles]] al acero.",
     "es", "threatened"),
    ("Colombia extraditó a dos acusados y podría [[extraditar]] a un tercero.", "es",
     "threatened"),
])
def test_coordinated_modal_shares_the_governing_cue(sentence, lang, expected):
    assert modality_of(sentence, lang)[0] == expected


def test_no_cue_means_asserted_with_no_cue():
    assert modality_of("The [[sanctions]] target three banks.") == ("asserted", None)


def test_unknown_language_falls_back_to_english():
    assert modality_of("Ottawa threatened [[tariffs]] on steel.", "de")[0] == "threatened"


# -- the hook, end to end without the engine ------------------------------------------------

def make(article_text: str, phrase: str, action: str = "sanctions", lang: str = "en",
         prefix: str = "") -> tuple[Sentence, Tag, Article]:
    """An article whose one sentence (after ``prefix``) is tagged on ``phrase``."""
    text = prefix + article_text
    start = text.index(phrase, len(prefix))
    sentence = Sentence(0, len(prefix), len(text), text[len(prefix):])
    tag = Tag(action=action, rule=f"{action}.test", plugin="test", sentence=0,
              span=(start, start + len(phrase)), text=phrase)
    return sentence, tag, Article("a1", text, lang)


def test_hook_sets_modality_and_cue_in_article_coordinates():
    sentence, tag, article = make("Beijing threatened tariffs on soybeans.", "tariffs",
                                  "tariffs", prefix="An unrelated first sentence. ")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], article)
    assert (out.modality, out.cue) == ("threatened", "threatened")
    assert (out.span, out.text, out.action, out.rule) == (tag.span, tag.text, tag.action, tag.rule)


def test_hook_handles_each_tag_of_a_sentence_on_its_own():
    text = "Mexico denied that the strikes breached its border, as U.S. forces struck two boats."
    sentence, first, article = make(text, "strikes", "military")
    second = replace(first, span=(text.index("struck"), text.index("struck") + 6), text="struck")
    out = plugin.policy_classifier_refine_tags(sentence, [first, second], article)
    assert [t.modality for t in out] == ["asserted", "asserted"]
    assert out[1].cue == "struck"


def test_hook_keeps_a_modality_another_plugin_decided():
    sentence, tag, article = make("The Treasury imposed sanctions.", "sanctions")
    decided = replace(tag, modality="other", cue="by hand")
    assert plugin.policy_classifier_refine_tags(sentence, [decided], article) == [decided]


def test_hook_leaves_a_span_outside_the_sentence_alone():
    sentence, tag, article = make("The Treasury imposed sanctions.", "sanctions")
    stray = replace(tag, span=(500, 510))
    assert plugin.policy_classifier_refine_tags(sentence, [stray], article) == [stray]


def test_unknown_action_gets_the_same_generic_logic():
    sentence, tag, article = make("Ottawa will not ban the visas.", "ban the visas", "visa_bans")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], article)
    assert out.modality == "negated"


# -- the seed article -------------------------------------------------------------------------

def seed_tag(phrase: str, occurrence: int = 0) -> tuple[str, str | None]:
    text = read_seed()
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(phrase, at + 1)
    # the sentence: from after the previous ". " or newline to the next one
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    stop = min(i for i in (text.find(". ", at), text.find("\n", at), len(text)) if i != -1)
    return detect_modality(text[start:stop], at - start, at - start + len(phrase), "en")


@pytest.mark.parametrize("phrase, expected", [
    ("tariffs", "threatened"),  # "the threat of tariffs"
    ("threat of tariffs", "threatened"),
    ("reward", "asserted"),  # "A $50 million reward has been announced"
    ("$50 million reward", "asserted"),
    ("extradition", "asserted"),  # "facilitated the extradition of 29 cartel members"
    ("extradition of 29 cartel members", "asserted"),
    ("military actions", "asserted"),
    ("U.S. forces", "asserted"),
    ("military force", "threatened"),  # "has previously suggested military force"
])
def test_seed_article(phrase, expected):
    assert seed_tag(phrase)[0] == expected


def test_seed_will_not_breach_is_not_a_negation_of_the_military_action():
    assert seed_tag("military actions", occurrence=1) == ("asserted", None)


# -- the data file ----------------------------------------------------------------------------

EXAMPLES = list(plugin.examples())


@pytest.mark.parametrize("lang, cue, kind, sentence", EXAMPLES,
                         ids=[f"{c.id}:{k}:{i}" for i, (_, c, k, _) in enumerate(EXAMPLES)])
def test_data_file_example(lang, cue, kind, sentence):
    assert plugin.check_example(lang, cue, kind, sentence) is None


def test_every_cue_has_examples_both_ways():
    for cues in plugin.langs.values():
        for cue in cues.before.cues + cues.after.cues:
            assert len(cue.examples.match) >= 2 and len(cue.examples.no_match) >= 2, cue.id


def test_a_user_file_can_add_a_cue(tmp_path):
    path = tmp_path / "modality.toml"
    path.write_text(
        (Path(plugin.path).read_text(encoding="utf-8"))
        + "\n[[en.threatened]]\nid = \"en.threatened.mulls_over\"\n"
        + "pattern = '''\\bis\\s+eyeing\\b'''\n",
        encoding="utf-8",
    )
    custom = ModalityRefiner(path)
    text, start, end = marked("Ottawa is eyeing [[tariffs]] on steel.")
    assert custom.decide(text, start, end, "en").modality == "threatened"
    assert detect_modality(text, start, end, "en")[0] == "asserted"  # built-in file unchanged


@pytest.mark.parametrize("body, message", [
    ("[en]\nclause_before=';'\nclause_after=';'\npredicate='x'\n"
     "[[en.negated]]\nid='en.negated.bad'\npattern='(unclosed'\n", "en.negated.bad"),
    ("[en]\nclause_before=';'\nclause_after=';'\npredicate='x'\n"
     "[[en.other]]\nid='x'\npattern='a'\nwhen_negated='maybe'\n", "unknown modality"),
    ("[es]\nclause_before=';'\nclause_after=';'\npredicate='x'\n", "fallback"),
    ("not toml at all [", "cannot read"),
])
def test_a_bad_data_file_is_refused_with_a_reason(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ModalityRefiner(path)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120), st.data())
def test_any_text_and_span_gives_a_valid_answer(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for lang in ("en", "es", "xx"):
        modality, cue = detect_modality(text, start, end, lang)
        assert modality in MODALITIES
        assert cue is None or isinstance(cue, str)


# -- mixed modality in one sentence: each tag takes its own clause's cue ----------------------

@pytest.mark.parametrize("sentence, lang, expected", [
    ("Moscow threatened to pound the city again in retaliation for the [[drone strikes]] on its "
     "refinery.", "en", "asserted"),
    ("Moscow threatened to [[pound the city]] again in retaliation for the drone strikes on its "
     "refinery.", "en", "threatened"),
    ("Ottawa said it was weighing countermeasures in response to the [[tariffs]] on its lumber.",
     "en", "asserted"),
    # a cue inside the background phrase still counts there
    ("Ottawa vowed to act in response to possible [[tariffs]] on its lumber.", "en", "threatened"),
    ("El grupo armado amenazó con atacar el puerto en represalia por el [[bombardeo]] del ejército.",
     "es", "asserted"),
    # what is responded to happened; what one responds with belongs to the main clause
    ("Seoul said it would retaliate against the [[tariffs]] with duties on U.S. beef.",
     "en", "asserted"),
    ("Seoul said it would retaliate against the tariffs with [[duties]] on U.S. beef.",
     "en", "threatened"),
])
def test_background_phrase_is_a_clause_of_its_own(sentence, lang, expected):
    assert modality_of(sentence, lang)[0] == expected


def _tag(sentence: int, span: tuple[int, int], modality: str, cue: str | None) -> Tag:
    return Tag(action="military", rule="r", plugin="p", sentence=sentence, span=span, text="x",
               modality=modality, cue=cue)


def test_summary_prefers_the_main_clause_over_a_background_mention():
    from classifier.pipeline.merge import strongest_modality, summarize

    main = _tag(0, (10, 18), "threatened", "threatened")
    background = _tag(0, (50, 60), "asserted", "in retaliation for")
    summary = summarize([main, background])["military"]
    assert summary.mentions == 2
    assert dict(summary.modality) == {"threatened": 1}
    assert strongest_modality(summary) == "threatened"


def test_background_mention_counts_when_its_sentence_has_nothing_else():
    from classifier.pipeline.merge import strongest_modality, summarize

    # alone in its sentence, or next to a main mention in another sentence, it still counts
    alone = _tag(1, (5, 12), "asserted", "en represalia por")
    threat = _tag(0, (3, 9), "threatened", "threatened")
    summary = summarize([threat, alone])["military"]
    assert dict(summary.modality) == {"asserted": 1, "threatened": 1}
    assert strongest_modality(summary) == "asserted"


def test_merge_knows_every_background_cue_of_the_data_file():
    from classifier.pipeline.merge import BACKGROUND_CUE

    background = [(lang, cue, s) for lang, cue, kind, s in plugin.examples()
                  if cue.id.endswith(".asserted.background") and kind == "match"]
    assert {cue.id for _, cue, _ in background} == {"en.asserted.background",
                                                    "es.asserted.background"}
    for lang, _, sentence in background:
        cue = modality_of(sentence, lang)[1]
        assert cue and BACKGROUND_CUE.match(cue), (sentence, cue)


# -- a later mention with no cue that continues an earlier one's phrase ---------------------

def _two_tags(text: str, first: str, second: str, action: str = "tariffs",
              second_action: str | None = None) -> list[Tag]:
    sentence, tag1, article = make(text, first, action, prefix="A first sentence. ")
    start = article.text.index(second, tag1.span[1])
    tag2 = replace(tag1, action=second_action or action, span=(start, start + len(second)),
                   text=second)
    return plugin.policy_classifier_refine_tags(sentence, [tag1, tag2], article)


def test_a_continuing_mention_takes_the_earlier_mentions_modality():
    out = _two_tags("The trade office proposed duties of up to 80% on imported cranes under "
                    "Section 301.", "duties", "Section 301")
    assert [(t.modality, t.cue) for t in out] == [("threatened", "proposed")] * 2


@pytest.mark.parametrize("text, first, second, action2, expected", [
    # a clause boundary between them: the later mention keeps its own reading
    ("Ottawa proposed duties on steel after Washington raised tariffs on lumber.",
     "duties", "tariffs", None, "asserted"),
    # a comma between them
    ("Ottawa proposed duties on steel, and tariffs on lumber remain in place.",
     "duties", "tariffs on lumber", None, "asserted"),
    # another action is not a continuation
    ("Ottawa proposed duties on steel from firms in three countries that broke the sanctions "
     "on the regime.",
     "duties", "sanctions", "sanctions", "asserted"),
])
def test_no_continuation_across_a_boundary_or_another_action(text, first, second, action2,
                                                              expected):
    out = _two_tags(text, first, second, second_action=action2)
    assert out[1].modality == expected


# -- the chain may continue past the word limit when its farthest cue sits at the edge ------

@pytest.mark.parametrize("sentence, expected", [
    # "announced it would" starts beyond eight words back: its "would" alone made a threat
    ("The agency announced it would add eleven Chinese chip designers to the [[Entity List]].",
     "asserted"),
    # a clause boundary at the edge still stops it: the response is to something that happened
    ("Brussels said it would retaliate against the sweeping new American [[duties]] on wine.",
     "asserted"),
    # no cue in the window at all: nothing to extend from
    ("The agency said on Monday after a long review of export records that the [[Entity List]] "
     "had grown.", "asserted"),
])
def test_chain_continues_past_the_word_limit(sentence, expected):
    assert modality_of(sentence)[0] == expected


@pytest.mark.parametrize("sentence, expected", [
    # a condition covers its clause, however far the action stands from "if"
    ("If the sanctions committee ever approved new [[sanctions]], prices would rise.", "other"),
    ("Seoul would leave the talks if Pyongyang pressed ahead with its planned [[missile strikes]].",
     "other"),
    # but not across a comma into the main clause
    ("If the talks fail next week, Ottawa will impose [[tariffs]] on steel.", "threatened"),
])
def test_a_condition_reaches_across_its_clause(sentence, expected):
    assert modality_of(sentence)[0] == expected
