"""Hostile patterns: a catastrophic regex costs bounded time and is reported, once.

Times are CPU seconds of the test's thread (``time.thread_time``): the ``regex`` module's
timeout counts CPU time, so this is what the engine bounds; a loaded CI machine stretches wall
time but not this. The wall-clock assertions are loose for the same reason.

The limits are tested on the anchor path (``ANCHOR_PATH``), which searches these patterns:
Hyperscan sees that they cannot match this text and never searches them (the last test), so
with it, whether a hostile rule is searched would depend on what the memo holds yet.
"""

from __future__ import annotations

import json
import time

import pytest

from classifier.cli.main import main
from classifier.matching import hsscan
from classifier.matching.matcher import ARTICLE_BUDGET, RULE_STRIKES
from classifier.matching.prefilter import literal_name
from classifier.pipeline.engine import Engine

HOSTILE = """
[pack]
name = "hostile"
lang = "en"

[[rules]]
id = "sanctions.hostile"
action = "sanctions"
patterns = ['(\\w+\\s?)+;']

[[rules]]
id = "sanctions.decent"
action = "sanctions"
patterns = ['\\bimpounded\\s+the\\s+cargo\\b']
"""

SECOND_HOSTILE = """
[pack]
name = "hostile_too"
lang = "en"

[[rules]]
id = "sanctions.hostile_too"
action = "sanctions"
patterns = ['(\\w+\\W?\\w+)+;']
"""

ONLY_SANCTIONS = {"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions"}
ANCHOR_PATH = literal_name()  # Aho-Corasick where installed, else the regex scanner
WORDS_5000 = " ".join(["word"] * 5000) + " !;"  # no ';' right after a word: the search backtracks


def cpu_seconds(function, *args, **kwargs):
    started = time.thread_time()
    result = function(*args, **kwargs)
    return result, time.thread_time() - started


@pytest.fixture
def hostile(write):
    return write("hostile.toml", HOSTILE)


def test_a_catastrophic_pattern_on_5000_words_finishes_under_2_seconds(hostile):
    engine = Engine(rules=[hostile], entry_points=False, env=ONLY_SANCTIONS,
                    prefilter=ANCHOR_PATH)  # default timeout
    text = WORDS_5000 + "\nCustoms impounded the cargo at dawn."
    profile, spent = cpu_seconds(engine.classify, text)
    assert spent < 2.0
    assert [tag.rule for tag in profile.tags] == ["sanctions.decent"]  # the other rule still ran
    (timeout,) = [e for e in profile.errors if e.type == "RuleTimeout"]
    assert timeout.rule == "sanctions.hostile"
    assert "exceeded its time limit (0.5 s) on sentence 0 and was skipped there" in timeout.message


def test_many_timing_out_sentences_stay_bounded(hostile, write):
    """60 hostile sentences, two hostile rules: without strikes and a budget, 60 x 2 x 0.5 s."""
    engine = Engine(rules=[hostile, write("two.toml", SECOND_HOSTILE)], entry_points=False,
                    env=ONLY_SANCTIONS, prefilter=ANCHOR_PATH)
    sentence = " ".join(["word"] * 2000) + " !;"
    text = "\n".join([sentence] * 60) + "\nCustoms impounded the cargo at dawn."
    profile, spent = cpu_seconds(engine.classify, text)
    assert spent < ARTICLE_BUDGET + 1.0
    kinds = [e.type for e in profile.errors]
    assert "RuleTimeout" in kinds
    budget = [e for e in profile.errors if e.type == "ArticleBudgetExceeded"]
    struck = [e for e in profile.errors if f"timed out {RULE_STRIKES} times" in e.message]
    assert budget or struck
    for error in budget:
        assert "candidate sentence(s)" in error.message and "were not matched" in error.message


def test_strikes_skip_a_rule_for_the_rest_of_the_article(hostile):
    engine = Engine(rules=[hostile], entry_points=False, env=ONLY_SANCTIONS,
                    prefilter=ANCHOR_PATH, timeout=0.05)
    sentence = " ".join(["word"] * 2000) + " !;"
    text = "\n".join([sentence] * 50) + "\nCustoms impounded the cargo at dawn."
    profile = engine.classify(text)
    timeouts = [e for e in profile.errors if e.rule == "sanctions.hostile"]
    assert len(timeouts) == RULE_STRIKES + 1  # each strike, then "skipped ... to the end"
    assert timeouts[-1].message == (f"rule 'sanctions.hostile' timed out {RULE_STRIKES} times and was "
                                    f"skipped from sentence {RULE_STRIKES - 1} to the end of the article")
    assert [tag.rule for tag in profile.tags] == ["sanctions.decent"]


def test_the_next_article_starts_with_a_fresh_budget(hostile):
    engine = Engine(rules=[hostile], entry_points=False, env=ONLY_SANCTIONS,
                    prefilter=ANCHOR_PATH, timeout=0.05)
    first = engine.classify(WORDS_5000)
    second = engine.classify("Customs impounded the cargo at dawn.")
    assert any(e.type == "RuleTimeout" for e in first.errors)
    assert second.errors == () and [t.rule for t in second.tags] == ["sanctions.decent"]


def test_the_cli_reports_a_timing_out_rule_once_per_run(hostile, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment,sanctions")
    corpus = tmp_path / "corpus.jsonl"
    lines = [{"id": f"r{n}", "text": " ".join(["word"] * 1500) + " !;"} for n in range(3)]
    lines.append({"id": "calm", "text": "Customs impounded the cargo."})
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    started = time.perf_counter()
    code = main(["classify", str(corpus), "--rules", str(hostile), "--no-entry-points",
                 "--prefilter", ANCHOR_PATH])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0  # a timeout is reported, not a failed record
    assert [r["id"] for r in records] == ["r0", "r1", "r2", "calm"]
    for record in records[:3]:
        assert [e["rule"] for e in record["errors"]] == ["sanctions.hostile"]
    assert records[3]["actions"]["sanctions"]["mentions"] == 1
    warnings = [line for line in err.splitlines() if "sanctions.hostile" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("policy-classify: warning: r0: RuleTimeout: rule 'sanctions.hostile'")
    assert err.splitlines()[-1] == "policy-classify: 4 records ok, 0 failed"
    assert time.perf_counter() - started < 60  # 3 x 0.5 CPU-s, with room for a loaded machine


@pytest.mark.skipif(not hsscan.available(), reason="the hyperscan package is not installed")
def test_hyperscan_never_searches_a_pattern_that_cannot_match_here(hostile):
    """Its form of ``(\\w+\\s?)+;`` needs a ';' right after a word: not in this text."""
    engine = Engine(rules=[hostile], entry_points=False, env=ONLY_SANCTIONS, prefilter="hyperscan")
    engine.matcher("en")  # its databases compiled before the clock starts
    text = WORDS_5000 + "\nCustoms impounded the cargo at dawn."
    profile, spent = cpu_seconds(engine.classify, text)
    assert profile.errors == () and [tag.rule for tag in profile.tags] == ["sanctions.decent"]
    assert spent < 0.5
