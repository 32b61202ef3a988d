"""Hyperscan is only a faster way to the same hits: every prefilter gives identical results.

The rewritten patterns must be necessary conditions (see classifier/matching/hsform.py), so
these tests compare the hits of each prefilter on text built to break that: non-ASCII letters
beside ``\\b`` and ``\\w``, case folding that crosses into ASCII, sentence edges cut inside a
word, overlapping hits, and every built-in rule's own examples.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import regex

from classifier.matching import hsscan, prefilter
from classifier.matching.casefold import FOLDS_TO_ASCII
from classifier.matching.factstore import CACHE_ENV, FactStore
from classifier.matching.hsform import hs_form
from classifier.matching.hsimage import scan_bytes
from classifier.matching.matcher import Matcher
from classifier.matching.patterncache import PatternCache
from classifier.matching.patterncheck import compile_flags
from classifier.matching.segment import split_spans
from classifier.model import Rule
from classifier.pipeline.engine import Engine

pytestmark = pytest.mark.skipif(hsscan.hyperscan is None, reason="the hyperscan package is not installed")

PREFILTERS = ("hyperscan", "aho-corasick", "regex")
# Tests of what ``auto`` does with Hyperscan; a run with POLICY_CLASSIFIER_HYPERSCAN=off skips them.
needs_auto = pytest.mark.skipif(not hsscan.available(), reason="POLICY_CLASSIFIER_HYPERSCAN is off")
FLAGS = compile_flags(False)

TOY_RULES = (
    Rule("t.cafe", "toy", (r"\bcafé\b", r"\bñandú"), lang="es"),
    Rule("t.cion", "toy", (r"\w+ción\b",), lang="es"),
    Rule("t.istanbul", "toy", (r"\bistanbul\b",)),
    Rule("t.strasse", "toy", (r"stra(?:ß|ss)e\b",)),
    Rule("t.kelvin", "toy", (r"\bk\w+ed\b", r"\bsanctions?\b")),
    Rule("t.long_s", "toy", (r"\bſanction",)),
    Rule("t.name", "toy", (r"(?-i:\b[A-Z][a-z]+)\s+(?:imposed|levied)\s+(?:\w+\s+){0,3}?tariffs\b",)),
    Rule("t.edge", "toy", (r"\bban\b", r"ban$", r"^the\b")),
    Rule("t.look", "toy", (r"(?<!no )\bstrikes?\b(?!\s+out)",), exclude=(r"\bbowling\b",)),
    Rule("t.quote", "toy", (r"\w+[’']s\s+(?:navy|army)\b",)),
    Rule("t.emoji", "toy", (r"\W{1,3}\s*alert\b",)),
    Rule("t.digits", "toy", (r"\b\d+\s*%\s+tariffs?",)),
    Rule("t.overlap", "toy", (r"\bsanctions\s+on\b", r"\bon\s+iran\b", r"sanctions\s+on\s+iran")),
    Rule("t.negclass", "toy", (r"\bwar[^a-z]{1,2}ship",)),
    Rule("t.alt", "toy", (r"\b(?:ataque|ofensiva)\s+(?:a[eé]rea?|militar)",)),
)

PIECES = ("café", "Café", "CAFÉ", "ñandú", "Ñandú", "nación", "NACIÓN", "acción", "İstanbul",
          "ıstanbul", "istanbul", "ISTANBUL", "straße", "STRASSE", "strasse", "\u212aicked",
          "kicked", "sanction", "ſanction", "\u017fanctions", "Sanctions", "Mexico", "imposed",
          "levied", "new", "tariffs", "ban", "urban", "bané", "éban", "the", "no", "strike",
          "strikes", "out", "bowling", "Navy’s", "army's", "navy", "army", "🚨", "⚠️", "alert",
          "25", "٣", "%", "on", "Iran", "war-ship", "war\u00a0ship", "warship", "ataque", "aéreo",
          "aereo", "militar", "Ofensiva", "ß", "é", "ñ", "—", "“", "”", "\u00a0", "\u2009",
          ".", ",", "!", "?", "\n", " ", " ", " ", " ", "  ")


def random_texts(count: int, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 40))]
        joiners = [rng.choice(("", " ", " ", " ", ". ", "\n")) for _ in parts]
        texts.append("".join(p + j for p, j in zip(parts, joiners)))
    return texts


def cut_everywhere(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """Spans a plugin's splitter might give: cut at random places, inside words too."""
    cuts = sorted({0, len(text), *(rng.randrange(len(text) + 1) for _ in range(4))})
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


def hits_of(matcher: Matcher, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    hits, timeouts = matcher.match(text, spans)
    assert timeouts == []
    return [(h.rule.id, h.sentence, h.start, h.end) for h in hits]


@pytest.fixture(scope="module")
def toy_matchers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Matcher]:
    patterns = PatternCache(FactStore(tmp_path_factory.mktemp("toy-memo")))
    matchers = {name: Matcher(TOY_RULES, prefilter=name, patterns=patterns) for name in PREFILTERS}
    assert matchers["hyperscan"]._hs is not None and matchers["hyperscan"]._hs.rules == set(
        range(len(TOY_RULES)))  # every toy rule is covered: the comparisons test Hyperscan
    return matchers


def test_the_fold_table_is_regex_s_own():
    """Every non-ASCII character that a case-insensitive ASCII letter matches is in the table."""
    everything = "".join(chr(i) for i in range(0x80, 0x110000) if not 0xD800 <= i < 0xE000)
    found = {}
    for code in range(128):
        for match in regex.finditer(regex.escape(chr(code)), everything, FLAGS):
            found[match.group()] = chr(code).lower()
    assert found == FOLDS_TO_ASCII


def test_the_image_keeps_offsets():
    text = "İstanbul’s café 🚨 straße \u212a ſ ñ\n"
    image = scan_bytes(text)
    assert len(image) == len(text)
    assert image.decode("latin-1")[text.index("café"):][:4] == "café"
    assert image[0:1] == b"i" and image[text.index("🚨")] == 0x80


@pytest.mark.parametrize("texts", ["split", "cut"])
def test_every_prefilter_gives_the_same_hits_on_hostile_text(toy_matchers, texts):
    rng = random.Random(5)
    for text in random_texts(300):
        spans = split_spans(text) if texts == "split" else cut_everywhere(text, rng)
        if not spans:
            continue
        expected = hits_of(toy_matchers["regex"], text, spans)
        for name in ("hyperscan", "aho-corasick"):
            assert hits_of(toy_matchers[name], text, spans) == expected, (name, text, spans)


def test_hyperscan_proposes_fewer_candidates_than_it_confirms_nothing_else(toy_matchers):
    """The plan is smaller, never missing: a sentence it drops has no hit."""
    text = "The urban ban. Sanctions on Iran were imposed. Nothing here at all."
    spans = split_spans(text)
    hs = toy_matchers["hyperscan"]
    plan = hs._plan(text, spans, None)[0]
    assert 2 not in plan  # "Nothing here at all." holds no near-match of any toy pattern
    assert hits_of(hs, text, spans) == hits_of(toy_matchers["regex"], text, spans)


def test_patterns_that_cannot_be_rewritten_keep_the_anchor_path():
    assert hs_form(r"\p{L}+ sanctions", FLAGS) is None  # regex-only syntax
    assert hs_form(r"(\w+)\s+\1", FLAGS) is None  # a back-reference and nothing else
    assert hs_form(r"(\w+) \1 sanctions", FLAGS) is not None  # looked for from "sanctions"
    rules = (Rule("x.backref", "toy", (r"\b(\w+)\s+\1\b",), anchors=("the",)),
             Rule("x.plain", "toy", (r"\bsanctions\b",)))
    matcher = Matcher(rules, prefilter="hyperscan")
    assert matcher._hs is not None and matcher._hs.rules == {1}
    text = "They said the the sanctions. Then sanctions."
    spans = split_spans(text)
    assert hits_of(matcher, text, spans) == hits_of(Matcher(rules, prefilter="regex"), text, spans)


def test_a_timing_out_pattern_is_still_bounded(toy_matchers):
    rule = Rule("x.slow", "toy", (r"(?:a|aa)+$",), anchors=("aaa",))
    matcher = Matcher((rule,), prefilter="hyperscan", timeout=0.05)
    assert matcher._hs is not None and matcher._hs.rules == {0}
    text = "a" * 5000 + "b."
    hits, timeouts = matcher.match(text, split_spans(text))
    assert hits == [] and [t.rule for t in timeouts] == ["x.slow"]


def test_without_the_package_auto_falls_back_and_hyperscan_is_refused(monkeypatch):
    monkeypatch.setattr(hsscan, "hyperscan", None)
    assert prefilter.prefilter_name("auto") == prefilter.literal_name()
    with pytest.raises(ValueError, match="hyperscan"):
        prefilter.prefilter_name("hyperscan")
    matcher = Matcher(TOY_RULES)
    assert matcher._hs is None and matcher.prefilter_name == "aho-corasick"


def test_the_env_var_turns_it_off(monkeypatch):
    monkeypatch.setenv(hsscan.HS_ENV, "off")
    assert prefilter.prefilter_name("auto") == prefilter.literal_name()
    assert Matcher(TOY_RULES).prefilter_name != "hyperscan"


@needs_auto
def test_auto_uses_what_the_memo_holds_and_builds_the_rest_in_the_background(tmp_path):
    patterns = PatternCache(FactStore(tmp_path))
    first = Matcher(TOY_RULES, prefilter="auto", patterns=patterns)
    assert first._hs is not None and first._hs.rules == set()  # nothing stored yet: anchors serve
    assert first._hs.builder is not None
    first._hs.builder.join(timeout=120)
    assert list(tmp_path.glob("hyperscan-*.db")) and not list(tmp_path.glob("*.tmp"))
    second = Matcher(TOY_RULES, prefilter="auto", patterns=patterns)
    assert second._hs is not None and second._hs.rules == set(range(len(TOY_RULES)))
    assert second._hs.builder is None
    text = "The Café in İstanbul. Mexico imposed new tariffs. A war-ship."
    spans = split_spans(text)
    assert hits_of(first, text, spans) == hits_of(second, text, spans) != []


@needs_auto
def test_the_build_runs_in_its_own_process_and_leaves_no_request_or_lock(tmp_path):
    """No thread of the build runs in the user's process (one still inside the compiler at exit
    is stopped there); the detached process cleans up after itself."""
    patterns = PatternCache(FactStore(tmp_path))
    threads = threading.active_count()
    matcher = Matcher(TOY_RULES, prefilter="auto", patterns=patterns)
    assert matcher._hs is not None and matcher._hs.builder is not None
    assert matcher._hs.builder.process is not None and threading.active_count() == threads
    matcher._hs.builder.join(timeout=120)
    assert matcher._hs.builder.process.returncode == 0
    assert list(tmp_path.glob("hyperscan-*.db"))
    assert not list(tmp_path.glob("*request*")) and not list(tmp_path.glob("*.lock"))


@pytest.mark.slow
@needs_auto
def test_a_short_first_run_leaves_the_databases_for_the_next(tmp_path):
    """The run ends long before a pack compiles; a detached process finishes the build."""
    memo = tmp_path / "memo"
    env = {**os.environ, CACHE_ENV: str(memo)}
    run = subprocess.run([sys.executable, "-m", "classifier", "classify", "-", "--no-entry-points"],
                         input="The U.S. imposed sanctions on Iran.", capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0 and run.stderr == ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (list(memo.glob("*request*")) or list(memo.glob("*.lock"))):
        time.sleep(0.5)
    assert list(memo.glob("hyperscan-*.db")) and not list(memo.glob("*request*"))
    matcher = Engine(entry_points=False, env={CACHE_ENV: str(memo)}).matcher("en")
    assert matcher._hs is not None and matcher._hs.builder is None  # nothing left to build
    assert len(matcher._hs.rules) > 0.9 * len(matcher.rules)


@needs_auto
@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_database_file_is_ignored_and_rebuilt(tmp_path, damage):
    patterns = PatternCache(FactStore(tmp_path))
    Matcher(TOY_RULES, prefilter="hyperscan", patterns=patterns)  # builds and stores
    files = list(tmp_path.glob("hyperscan-*.db"))
    assert files
    for path in files:
        data = bytearray(path.read_bytes())
        if damage == "flip":
            data[len(data) // 2] ^= 0x41
        elif damage == "truncate":
            data = data[: len(data) // 3]
        elif damage == "empty":
            data = bytearray()
        else:
            data = bytearray(b"\x00garbage" * 100)
        path.write_bytes(bytes(data))
    damaged = Matcher(TOY_RULES, prefilter="auto", patterns=patterns)
    assert damaged._hs is not None and damaged._hs.rules == set()  # read as absent
    damaged._hs.builder.join(timeout=120)
    healed = Matcher(TOY_RULES, prefilter="auto", patterns=patterns)
    assert healed._hs is not None and healed._hs.rules == set(range(len(TOY_RULES)))
    text = "Sanctions on Iran. The urban ban."
    spans = split_spans(text)
    assert hits_of(damaged, text, spans) == hits_of(healed, text, spans) != []


def test_explain_s_candidates_do_not_depend_on_the_memo(toy_matchers):
    text = "The ban on strikes. Sanctions on Iran."
    spans = split_spans(text)
    assert toy_matchers["hyperscan"].candidates(text, spans) == toy_matchers["aho-corasick"].candidates(text, spans)


# -- the built-in packs: one database per test session --------------------------------------


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    """An engine per prefilter; the Hyperscan one compiles the built-in packs once, into a
    memo of this session."""
    memo = tmp_path_factory.mktemp("hs-memo")
    return {name: Engine(entry_points=False, prefilter=name, env={CACHE_ENV: str(memo)})
            for name in PREFILTERS}


@pytest.mark.slow
def test_every_rule_example_gives_the_same_hits_with_each_prefilter(engines):
    hs = engines["hyperscan"]
    for lang in ("en", "es"):
        assert hs.matcher(lang)._hs is not None and len(hs.matcher(lang)._hs.rules) > 0.9 * len(
            hs.matcher(lang).rules)
    for rule in hs.rules:
        lang = None if rule.lang == "*" else rule.lang
        for text in (*rule.examples.match, *rule.examples.no_match):
            results = {name: [(h.rule.id, h.start, h.end) for h in engine.hits(text, lang=lang)]
                       for name, engine in engines.items()}
            assert results["hyperscan"] == results["regex"] == results["aho-corasick"], (rule.id, text)


@pytest.mark.slow
def test_profiles_are_identical_on_the_dev_set_with_each_prefilter(engines):
    path = Path(__file__).resolve().parents[1] / "data" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][:150]
    texts = [r["text"] for r in records] + random_texts(60, seed=3)
    for text in texts:
        profiles = {name: json.dumps(e.classify(text).to_dict()) for name, e in engines.items()}
        assert profiles["hyperscan"] == profiles["regex"] == profiles["aho-corasick"]


@pytest.mark.slow
def test_an_exclude_the_sentence_scan_does_not_report_is_never_found_by_regex(engines):
    """The exclude gate (classifier.matching.hsexclude) is a necessary condition: wherever
    ``regex`` finds an exclude pattern in a sentence, that sentence's scan reports it."""
    hs = engines["hyperscan"]
    for lang in ("en", "es"):
        matcher = hs.matcher(lang)
        gate = matcher._hs.excludes
        texts = [t for r in matcher.rules for t in (*r.examples.no_match, *r.examples.match)]
        texts += random_texts(80, seed=11)
        checked: dict[tuple[int, int], regex.Pattern[str]] = {}
        for index, places in enumerate(gate.places):
            for pattern, place in zip(matcher.compiled(index).exclude, places or ()):
                if place is not None:
                    checked[place] = pattern
        assert len(checked) > 50  # the built-in excludes are covered: this tests Hyperscan
        found = {(db, text): gate.found(db, text) for text in texts for db, _ in checked}
        for (db, expression), pattern in checked.items():
            for text in texts:
                if pattern.search(text) is not None:
                    assert expression in found[db, text], (pattern.pattern, text)
