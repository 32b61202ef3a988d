"""Property-based tests (hypothesis) over the splitter, the matcher and the whole engine.

The promises checked on arbitrary text: nothing raises; sentences are ordered, disjoint, trimmed
and cover every non-whitespace character; every tag's span lies inside its sentence and
``text[start:end]`` is the tag's text; the output is deterministic.

CI runs the short "ci" profile (the default). A long local session::

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/integration/test_properties.py

(``scripts/fuzz.py`` is the faster, 100,000-input version of the same checks.)
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.matching.matcher import Matcher
from classifier.matching.prefilter import literal_name
from classifier.matching.segment import split_spans
from classifier.model import Rule

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Pieces that exercise the splitter's and the rules' special cases, mixed with arbitrary text.
PIECES = [
    "The U.S. imposed sanctions on Iran. ", "Mr. Smith said no. ", "Gen. Ruiz arrived at 5 p.m. ",
    "Mexico extradited 14 people to the U.S. Prosecutors cheered. ", "No. 2 ", "J.R.R. ", "etc. ",
    "Tariffs rose to 25%. ", "a $5 million reward ", "¿Habrá aranceles? ", "«Basta», dijo. ",
    "北京宣布制裁。", "Москва ввела санкции. ", "\n\n", "...", "?!", "\u2028", "\x00", "\ufffd",
    " ", "\t", "(", ")", "“", "”", "'", "İ", "ß", "ﬁ", "🙂", "1.", "a.", "St. Louis ",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=25).map("".join),
    st.text(alphabet=".!?…\"'“”«»()[] \n\tAaZz.¿¡。", max_size=200),
)


@PROFILE
@given(texts)
def test_sentences_cover_the_text_in_order_without_overlap(text):
    spans = split_spans(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()  # trimmed, hence non-empty
        assert not text[previous:start].strip()  # nothing but whitespace is left out
        previous = end
    assert not text[previous:].strip()
    assert split_spans(text) == spans


TOY_RULES = (
    Rule("sanctions.toy", "sanctions", (r"\bsanctions?\b",), anchors=("sanction",)),
    Rule("tariffs.toy", "tariffs", (r"\btariffs?\b.{0,20}\d+%",), anchors=("tariff",)),
    Rule("anything.toy", "anything", (r"[A-Z]\w+\.",)),  # unanchored: tried on every sentence
)


@PROFILE
@given(texts)
def test_every_match_lies_inside_its_sentence(text):
    spans = split_spans(text)
    for prefilter in dict.fromkeys((literal_name(), "regex")):
        hits, timeouts = Matcher(TOY_RULES, prefilter=prefilter).match(text, spans)
        assert timeouts == []
        for hit in hits:
            start, end = spans[hit.sentence]
            assert start <= hit.start < hit.end <= end


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 2))
@given(texts)
def test_the_engine_never_raises_and_every_tag_is_honest(engine, text):
    profile = engine.classify(text, id="p")
    sentences = {s.index: s for s in profile.sentences}
    for sentence in profile.sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    for tag in profile.tags:
        sentence = sentences[tag.sentence]
        assert sentence.start <= tag.span[0] < tag.span[1] <= sentence.end
        assert text[tag.span[0]:tag.span[1]] == tag.text
        assert tag.action in engine.actions
    assert set(profile.actions) == {tag.action for tag in profile.tags}
    first = json.dumps(profile.to_dict(), ensure_ascii=False)
    assert json.dumps(engine.classify(text, id="p").to_dict(), ensure_ascii=False) == first


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
@given(texts)
def test_all_sentences_lists_exactly_the_splitters_sentences(engine, text):
    profile = engine.classify(text, all_sentences=True)
    assert [(s.start, s.end) for s in profile.sentences] == split_spans(text)


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
@given(st.lists(texts, max_size=6))
def test_classify_many_gives_one_result_per_record(engine, batch):
    records = batch + [None, 3.5]  # and two records that are not text at all
    results = list(engine.classify_many(records))
    assert len(results) == len(records)
    assert [type(r).__name__ for r in results[-2:]] == ["ErrorRecord", "ErrorRecord"]
