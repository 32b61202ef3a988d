"""Hostile rule packs: parser bombs and expensive patterns are refused in one line, quickly; slow
searches count against the article's budget; an empty match is never a tag; long articles are
matched in full.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from classifier.matching.limits import LIMITS
from classifier.matching.matcher import ARTICLE_BUDGET, SENTENCE_ALLOWANCE, Matcher
from classifier.matching.prefilter import literal_name
from classifier.model import Rule
from classifier.pipeline.engine import Engine

HEAD = '[pack]\nname = "hostile"\nlang = "en"\n\n'
RULE = '[[rules]]\nid = "sanctions.hostile"\naction = "sanctions"\npatterns = [{pattern}]\n'


def refused(cli, pack: Path, seconds: float = 10.0) -> str:
    started = time.perf_counter()
    code, out, err = cli("rules", "list", "--rules", pack, "--no-entry-points")
    assert time.perf_counter() - started < seconds
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert str(pack) in lines[0]
    return lines[0]


def test_a_nesting_bomb_is_one_line(cli, tmp_path):
    pack = tmp_path / "bomb.toml"
    pack.write_text(HEAD + "x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert f"nested more than {LIMITS.max_nesting} levels deep" in refused(cli, pack)


def test_an_inline_table_bomb_is_one_line(cli, tmp_path):
    pack = tmp_path / "tables.toml"
    pack.write_text(HEAD + "x = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n")
    assert "nested more than" in refused(cli, pack)


def test_a_key_of_100000_dotted_parts_is_refused_quickly(cli, tmp_path):
    pack = tmp_path / "dots.toml"
    pack.write_text(HEAD + "a" + ".a" * 100_000 + " = 1\n")
    assert "dotted parts" in refused(cli, pack, seconds=5.0)


def test_an_oversized_pack_file_is_refused_before_it_is_read(cli, tmp_path):
    pack = tmp_path / "huge.toml"
    with open(pack, "w") as out:
        out.write(HEAD)
        out.seek(LIMITS.max_bytes + 1)
        out.write("\n")
    assert "bytes; at most" in refused(cli, pack)


def test_strings_and_comments_may_hold_brackets_and_dots(cli, tmp_path):
    text = (HEAD + "# " + "[" * 100 + "." * 100 + "\n"
            + RULE.format(pattern="'\\bembargoed\\b'")
            + 'description = "' + "[" * 100 + "." * 100 + '"\n'
            + "[rules.examples]\nmatch = ['''They embargoed it " + "{" * 50 + "''']\n")
    pack = tmp_path / "fine.toml"
    pack.write_text(text)
    code, out, err = cli("rules", "list", "--rules", pack, "--no-entry-points")
    assert code == 0 and "sanctions.hostile" in out, err


@pytest.mark.parametrize("pattern, reason", [
    ("'(?:(?:(?:a{1000}){1000}){1000})x'", "expands to over"),
    ("'(?:a{200}){300}'", "expands to over"),
    ("'a{5000}'", "repeats 5,000 times"),
    ("'" + "a" * 30_000 + "'", "characters long"),
])
def test_patterns_too_costly_to_compile_are_refused(cli, tmp_path, pattern, reason):
    pack = tmp_path / "costly.toml"
    pack.write_text(HEAD + RULE.format(pattern=pattern))
    line = refused(cli, pack, seconds=5.0)
    assert "rule 'sanctions.hostile': pattern 1" in line and reason in line


@pytest.mark.parametrize("pattern", ["'\\bsanctions\\b|\\b'", "'sanctions|(?=\\s)'", "'sanctions|$'",
                                     "'(?:sanctions)?'"])
def test_a_pattern_with_an_empty_alternative_is_refused(cli, tmp_path, pattern):
    pack = tmp_path / "empty.toml"
    pack.write_text(HEAD + RULE.format(pattern=pattern))
    assert "can match the empty string" in refused(cli, pack)


def test_the_matcher_drops_an_empty_match_that_slips_through():
    rule = Rule(id="sanctions.empty", action="sanctions", patterns=("sanctions|(?<=q)",),
                anchors=("sanctions", "q"))
    matcher = Matcher([rule])
    text = "Iraq q."
    hits, _ = matcher.match(text, [(0, len(text))])
    assert hits == []



def test_every_slow_search_counts_against_the_article_budget(write):
    """200 patterns that each stay under the per-search timeout used to cost one article 43 s."""
    rules = "".join(
        f'[[rules]]\nid = "sanctions.slow{n}"\naction = "sanctions"\n'
        f"patterns = ['(\\w+\\s?)+;|\\bqq{{{n}}}\\b']\nanchors = [\"word\"]\n\n"
        for n in range(200))
    pack = write("slow.toml", HEAD + rules)
    # The anchor path, which searches these patterns; Hyperscan sees they cannot match here.
    engine = Engine(rules=[pack], entry_points=False, env={"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions"},
                    timeout=0.4, prefilter=literal_name())
    sentence = " ".join(["word"] * 150) + " !;"  # ~60 ms a search: under the timeout
    started = time.thread_time()
    profile = engine.classify(sentence)
    spent = time.thread_time() - started
    assert spent < ARTICLE_BUDGET + SENTENCE_ALLOWANCE + 1.0
    assert [e.type for e in profile.errors] == ["ArticleBudgetExceeded"]


def test_a_long_ordinary_article_is_matched_in_full(engine):
    """2,000 sentences with an action each: no budget error, every one tagged."""
    sentence = "Officials said the U.S. imposed sanctions on three more firms on Tuesday. "
    profile = engine.classify(sentence * 2000)
    assert profile.errors == ()
    assert profile.actions["sanctions"].mentions == 2000
