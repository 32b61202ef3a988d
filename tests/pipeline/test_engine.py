"""The engine end to end on rules and plugins defined here, independent of the built-in packs."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest

from classifier import Engine, ErrorRecord, Rule, Tag, hookimpl
from classifier.matching.prefilter import literal_name
from classifier.model import Examples

ONLY_SPLITTER = {"POLICY_CLASSIFIER_PLUGINS": "segment"}

PACK = """
[pack]
name = "toy"
lang = "en"

[[rules]]
id = "embargo.impose"
action = "embargo"
patterns = ['\\b(?:impos|announc)\\w*\\s+(?:\\w+\\s+){0,3}?embargo(?:es)?\\b', '\\bembargo(?:es)? (?:on|against)\\b']
exclude = ['\\bpress embargo\\b']
weight = 0.8
examples.match = ["Ottawa imposed an arms embargo on the junta."]
examples.no_match = ["Reporters broke the press embargo on the report."]

[[rules]]
id = "embargo.lift"
action = "embargo"
patterns = ['\\blift\\w*\\s+(?:the\\s+)?embargo']
weight = 0.6
examples.match = ["Brussels lifted the embargo after the vote."]
examples.no_match = ["The embargo stays."]

[[rules]]
id = "bounty.offer"
action = "bounty"
patterns = ['\\$\\s?\\d+(?:\\.\\d+)?\\s*(?:million|billion)\\s+(?:bounty|reward)\\b']
examples.match = ["A $5 million bounty was posted."]
examples.no_match = ["A bounty hunter was hired."]
"""


class ToyPlugin:
    """Registers two action types and a pack written to a temporary folder."""

    name = "toy"

    def __init__(self, pack_path):
        self.pack_path = pack_path

    @hookimpl
    def policy_classifier_register_actions(self, register):
        register("embargo", "Trade embargoes")
        register("bounty", "Bounties on wanted people")

    @hookimpl
    def policy_classifier_register_rules(self, register):
        register(self.pack_path)


@pytest.fixture
def toy_engine(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    return Engine(plugins=[ToyPlugin(pack)], entry_points=False, env=ONLY_SPLITTER)


ARTICLE = (
    "Canada imposed a sweeping embargo on arms sales to the junta on Monday. "
    "Officials said the embargo on arms would stay until elections.\n"
    "Separately, a $5 million bounty was posted for the commander. "
    "Reporters respected the press embargo imposed on the report."
)


def test_profile_follows_the_json_contract(toy_engine):
    profile = toy_engine.classify(ARTICLE, id="a1", lang="en")
    data = json.loads(json.dumps(profile.to_dict()))
    assert set(data) >= {"id", "lang", "actions", "dominant", "sentences", "errors"}
    assert data["id"] == "a1" and data["lang"] == "en"
    assert set(data["actions"]) == {"embargo", "bounty"}
    embargo = data["actions"]["embargo"]
    assert embargo["mentions"] == 2
    assert embargo["sentences"] == [0, 1]
    assert embargo["modality"] == {"asserted": 2}
    assert embargo["score"] == pytest.approx(1.6)
    assert data["dominant"] == "embargo"
    tag = data["sentences"][0]["tags"][0]
    assert set(tag) >= {"action", "rule", "plugin", "span", "text", "modality", "cue",
                        "score", "actor", "target", "amounts"}
    assert tag["plugin"] == "toy" and tag["rule"] == "embargo.impose"


def test_every_span_is_in_article_coordinates(toy_engine):
    profile = toy_engine.classify(ARTICLE, lang="en")
    assert profile.tags
    for tag in profile.tags:
        assert ARTICLE[tag.span[0]:tag.span[1]] == tag.text
        sentence = next(s for s in profile.sentences if s.index == tag.sentence)
        assert sentence.start <= tag.span[0] < tag.span[1] <= sentence.end
        assert ARTICLE[sentence.start:sentence.end] == sentence.text


def test_exclude_pattern_vetoes_the_sentence(toy_engine):
    profile = toy_engine.classify(ARTICLE, lang="en")
    assert 3 not in {tag.sentence for tag in profile.tags}


def test_only_tagged_sentences_unless_all_sentences(toy_engine):
    assert [s.index for s in toy_engine.classify(ARTICLE, lang="en").sentences] == [0, 1, 2]
    full = toy_engine.classify(ARTICLE, lang="en", all_sentences=True)
    assert [s.index for s in full.sentences] == [0, 1, 2, 3]


def test_overlapping_tags_of_one_action_collapse_to_the_strongest(toy_engine):
    text = "Ottawa announced an embargo on arms to the junta."
    profile = toy_engine.classify(text, lang="en")
    assert [(t.rule, t.score) for t in profile.tags] == [("embargo.impose", 0.8)]


def test_no_action_gives_an_empty_profile(toy_engine):
    profile = toy_engine.classify("The weather was mild and markets were quiet.", lang="en")
    assert profile.actions == {} and profile.dominant is None and profile.tags == ()


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x00", "日本語の文章です。", "." * 1000])
def test_odd_text_gives_a_profile(toy_engine, text):
    profile = toy_engine.classify(text, lang="en")
    assert profile.actions == {}


def test_non_string_text_is_a_type_error(toy_engine):
    with pytest.raises(TypeError):
        toy_engine.classify(None)  # type: ignore[arg-type]


def test_classify_many_keeps_order_and_reports_bad_records(toy_engine):
    records = ["Canada imposed an embargo on arms.", {"id": 7, "text": "Nothing here."},
               {"id": "x"}, ("t", "A $2 million bounty was posted."), 42]
    results = list(toy_engine.classify_many(records))
    assert len(results) == len(records)
    assert "embargo" in results[0].actions
    assert results[1].id == "7"
    assert isinstance(results[2], ErrorRecord) and results[2].id == "x"
    assert "bounty" in results[3].actions
    assert isinstance(results[4], ErrorRecord)


def test_output_is_deterministic(toy_engine, tmp_path):
    first = json.dumps(toy_engine.classify(ARTICLE).to_dict())
    pack = tmp_path / "toy2.toml"
    pack.write_text(PACK, encoding="utf-8")
    other = Engine(plugins=[ToyPlugin(pack)], entry_points=False, env=ONLY_SPLITTER)
    assert json.dumps(other.classify(ARTICLE).to_dict()) == first


@pytest.mark.skipif(literal_name() != "aho-corasick", reason="pyahocorasick is not installed here")
def test_both_prefilters_give_identical_profiles(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    engines = [Engine(plugins=[ToyPlugin(pack)], entry_points=False, env=ONLY_SPLITTER, prefilter=p)
               for p in ("aho-corasick", "regex")]
    texts = [ARTICLE, ARTICLE.upper(), "embargoes on embargo imposed embargo " * 20]
    for text in texts:
        a, b = (json.dumps(e.classify(text, lang="en").to_dict()) for e in engines)
        assert a == b


def _toy_engine_with(tmp_path, rule: Rule) -> Engine:
    """The toy pack's engine with one more rule passed as an object."""
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    return Engine(plugins=[ToyPlugin(pack)], rules=[rule], entry_points=False, env=ONLY_SPLITTER)


def test_rule_objects_can_be_passed_to_the_engine(tmp_path):
    rule = Rule(id="bounty.price_on_head", action="bounty", patterns=(r"price on (?:his|her) head",),
                examples=Examples(match=("There is a price on his head.",)))
    engine = _toy_engine_with(tmp_path, rule)
    loaded = next(r for r in engine.rules if r.id == "bounty.price_on_head")
    assert loaded.plugin == "user" and loaded.anchors == ("price on her head", "price on his head")
    assert engine.classify("There is a price on his head.").tags[0].rule == "bounty.price_on_head"


def test_engine_can_be_shared_across_threads(toy_engine):
    expected = json.dumps(toy_engine.classify(ARTICLE, lang="en").to_dict())
    results: list[str] = []

    def work():
        for _ in range(50):
            results.append(json.dumps(toy_engine.classify(ARTICLE, lang="en").to_dict()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and set(results) == {expected}


class Refiner:
    name = "refiner"

    @hookimpl
    def policy_classifier_refine_tags(self, sentence, tags, article):
        return [replace(t, modality="threatened", cue="test") for t in tags]


def test_refiners_change_tags_and_summaries(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    engine = Engine(plugins=[ToyPlugin(pack), Refiner()], entry_points=False, env=ONLY_SPLITTER)
    profile = engine.classify("Canada imposed an embargo on arms.", lang="en")
    assert profile.tags[0].modality == "threatened" and profile.tags[0].cue == "test"
    assert dict(profile.actions["embargo"].modality) == {"threatened": 1}


class NegatingRefiner:
    name = "negator"

    @hookimpl
    def policy_classifier_refine_tags(self, sentence, tags, article):
        return [replace(t, modality="negated") if t.action == "embargo" else t for t in tags]


def test_dominant_ignores_actions_that_are_only_negated(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    engine = Engine(plugins=[ToyPlugin(pack), NegatingRefiner()], entry_points=False, env=ONLY_SPLITTER)
    text = "Canada imposed an embargo on arms. Canada imposed an embargo on oil. A $1 million bounty was posted."
    profile = engine.classify(text, lang="en")
    assert profile.actions["embargo"].score > profile.actions["bounty"].score
    assert profile.dominant == "bounty"


class Tagger:
    name = "tagger"

    @hookimpl
    def policy_classifier_tag_sentence(self, sentence, article):
        at = sentence.text.find("blockade")
        if at < 0:
            return None
        start = sentence.start + at
        return [Tag("embargo", "tagger.blockade", "tagger", sentence.index, (start, start + 8), "blockade")]


def test_tagger_plugins_add_tags(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(PACK, encoding="utf-8")
    engine = Engine(plugins=[ToyPlugin(pack), Tagger()], entry_points=False, env=ONLY_SPLITTER)
    profile = engine.classify("Quiet day. The navy kept its blockade of the port.", lang="en")
    assert [(t.rule, t.sentence, t.text) for t in profile.tags] == [("tagger.blockade", 1, "blockade")]


OVERLAPPING = PACK + """
[[rules]]
id = "embargo.on"
action = "embargo"
patterns = ['\\bembargo on \\w+']
weight = 0.5  # weaker than embargo.impose, whose match it overlaps
examples = { match = ["An embargo on arms."], no_match = ["The embargo stays."] }
"""


class Recorder:
    name = "recorder"

    def __init__(self, drop: bool = False) -> None:
        self.seen: list[tuple[str, ...]] = []
        self.drop = drop

    @hookimpl
    def policy_classifier_refine_tags(self, sentence, tags, article):
        self.seen.append(tuple(t.rule for t in tags))
        return [t for t in tags if t.rule != "embargo.impose"] if self.drop else None


def test_refiners_see_only_the_tags_that_survive_overlap_collapse(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(OVERLAPPING, encoding="utf-8")
    recorder = Recorder()
    engine = Engine(plugins=[ToyPlugin(pack), recorder], entry_points=False, env=ONLY_SPLITTER)
    assert [h.rule.id for h in engine.hits("Canada imposed an embargo on arms.", "en")] == [
        "embargo.impose", "embargo.on"]
    profile = engine.classify("Canada imposed an embargo on arms.", lang="en")
    assert recorder.seen == [("embargo.impose",)]  # the weaker overlapping tag was not refined
    assert [t.rule for t in profile.tags] == ["embargo.impose"]


def test_a_tag_a_refiner_drops_does_not_leave_its_weaker_overlap_behind(tmp_path):
    pack = tmp_path / "toy.toml"
    pack.write_text(OVERLAPPING, encoding="utf-8")
    engine = Engine(plugins=[ToyPlugin(pack), Recorder(drop=True)], entry_points=False,
                    env=ONLY_SPLITTER)
    profile = engine.classify("Canada imposed an embargo on arms.", lang="en")
    assert profile.tags == () and "embargo" not in profile.actions


def test_a_shared_exclude_is_searched_once_per_sentence_and_still_vetoes_each_rule():
    """Rule families share exclude patterns; the matcher asks each one once per sentence."""
    from classifier.matching.matcher import Matcher
    from classifier.matching.patterncache import PatternCache

    searched: list[str] = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text, *args, **kwargs):
            searched.append(text)
            return self.pattern.search(text, *args, **kwargs)

    class CountingCache(PatternCache):
        proxies: dict = {}  # one object per pattern, as PatternCache gives

        def get(self, pattern, flags):
            compiled = super().get(pattern, flags)
            if pattern != r"\bdrill\b":
                return compiled
            return self.proxies.setdefault(pattern, Counting(compiled))

    shared = (r"\bdrill\b",)
    rules = [
        Rule(id="fleet.sail", action="military", patterns=(r"\bwarships?\s+sailed\b",), exclude=shared),
        Rule(id="fleet.fire", action="military", patterns=(r"\bwarships?\s+sailed\s+and\s+fired\b",),
             exclude=shared),
    ]
    matcher = Matcher(rules, patterns=CountingCache())
    text = "Two warships sailed and fired during the drill. Two warships sailed and fired at dawn."
    spans = [(0, 47), (48, len(text))]
    hits, _ = matcher.match(text, spans)
    assert [(h.rule.id, h.sentence) for h in hits] == [("fleet.sail", 1), ("fleet.fire", 1)]
    assert len(searched) == 2  # once in each sentence, though two rules hit each


def test_evidence_ends_at_the_end_of_a_word(tmp_path):
    """A pattern may stop on a stem ('percen', 'Ka'): the tag's evidence takes the whole word."""
    rule = Rule(id="bounty.stem", action="bounty", patterns=(r"bounty of \d+ percen",),
                examples=Examples(match=("A bounty of 5 percent.",)))
    engine = _toy_engine_with(tmp_path, rule)
    tag = next(t for t in engine.classify("They set a bounty of 20 percent. Done.").tags
               if t.rule == "bounty.stem")
    assert tag.text == "bounty of 20 percent" and tag.span == (11, 31)
