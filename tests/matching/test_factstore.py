"""The on-disk memo of pattern facts: later start-ups read it, and it never changes a result."""

from __future__ import annotations

import os
import pickle
import time

import pytest
import regex

from classifier.errors import ConfigError
from classifier.matching.factstore import CACHE_ENV, STALE_AFTER, FactStore, default_folder, prune
from classifier.pipeline.engine import Engine

ARTICLE = ("The U.S. Treasury imposed sanctions on two shipping firms on Monday. Washington "
           "threatened a 25% tariff on steel. Colombia extradited 12 suspects to the United States.")

BAD_PACK = """\
[pack]
name = "bad"
lang = "en"

[[rules]]
id = "sanctions.bad"
action = "sanctions"
patterns = ['\\bsanction(']
"""


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Every pattern ``regex.compile`` is asked to compile from now on (clear it to start)."""
    seen: list[str] = []
    real_compile = regex.compile
    monkeypatch.setattr(regex, "compile", lambda p, f=0, **k: seen.append(p) or real_compile(p, f, **k))
    return seen


def _engine(folder, **kwargs) -> Engine:
    return Engine(entry_points=False, env={CACHE_ENV: str(folder)}, **kwargs)


def _compiled_at_load(engine: Engine) -> int:
    return len(engine.matcher("en")._cache._patterns)


@pytest.mark.slow
def test_a_warm_start_compiles_nothing_and_classifies_the_same(tmp_path):
    cold = _engine(tmp_path)
    assert list(tmp_path.glob("pattern-facts-*.json")), "the first load writes the memo"
    assert _compiled_at_load(cold) > 100  # validation compiled every pattern
    warm = _engine(tmp_path)
    assert _compiled_at_load(warm) == 0  # known-valid patterns wait until a sentence needs them
    assert [r.anchors for r in warm.rules] == [r.anchors for r in cold.rules]
    uncached = Engine(entry_points=False, env={CACHE_ENV: "off"})
    assert warm.classify(ARTICLE) == cold.classify(ARTICLE) == uncached.classify(ARTICLE)


@pytest.mark.slow
def test_a_bad_pattern_is_rejected_on_every_run(tmp_path, write):
    pack = write("bad.toml", BAD_PACK)
    for _ in range(2):  # the second time from the memo
        with pytest.raises(ConfigError, match=r"bad.toml:6: rule 'sanctions.bad': pattern 1 is not a valid regex"):
            _engine(tmp_path / "cache", rules=[pack])


@pytest.mark.slow
def test_a_corrupt_or_unwritable_memo_is_ignored(tmp_path):
    folder = tmp_path / "cache"
    _engine(folder)
    for memo in folder.glob("*.json"):
        memo.write_text("{not json", encoding="utf-8")
    assert _engine(folder).classify(ARTICLE).tags  # reads nothing, recomputes, rewrites
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    assert _engine(blocked).classify(ARTICLE).tags  # cannot write there: still works


def test_off_writes_nothing_and_the_default_is_the_xdg_cache(tmp_path):
    assert default_folder({CACHE_ENV: "off"}) is None
    assert default_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "policy-classifier"
    assert default_folder({CACHE_ENV: str(tmp_path / "x")}) == tmp_path / "x"
    store = FactStore(None)
    assert store.remember("k", "p", 0, lambda: ["a"], lambda v: True) == ["a"]
    store.save()  # nowhere to write: no error


def test_a_stored_answer_of_the_wrong_shape_is_recomputed(tmp_path):
    store = FactStore(tmp_path)
    store.remember("anchors", "x", 0, lambda: 42, lambda v: True)  # a bad value gets stored...
    store.save()
    again = FactStore(tmp_path)
    checked = again.remember("anchors", "x", 0, lambda: ["fixed"], lambda v: isinstance(v, list))
    assert checked == ["fixed"]  # ...and is not trusted when read back


@pytest.mark.slow
def test_a_warm_start_reads_compiled_patterns_instead_of_compiling(tmp_path, compiles):
    cold = _engine(tmp_path)
    assert list(tmp_path.glob("pattern-compiled-*.pickle")), "the first load keeps the compiled code"
    compiles.clear()
    warm = _engine(tmp_path)
    profile = warm.classify(ARTICLE)
    assert compiles == []  # every rule pattern the article needed came from the memo
    assert profile == cold.classify(ARTICLE) == Engine(
        entry_points=False, env={CACHE_ENV: "off"}).classify(ARTICLE)
    assert warm.matcher("en")._cache._patterns  # ...and it did need some


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo tampered > /dev/null",))


@pytest.mark.slow
def test_a_tampered_compiled_memo_is_refused_not_run(tmp_path):
    _engine(tmp_path)
    (memo,) = tmp_path.glob("pattern-compiled-*.pickle")
    memo.write_bytes(pickle.dumps({"x": b"y", "evil": _Boom()}))
    assert FactStore(tmp_path).code.get("anything", 0) is None  # the whole file is refused
    one = {f"{regex.I | regex.U}\x00\\bsanctions\\b": pickle.dumps(_Boom())}
    memo.write_bytes(pickle.dumps(one))
    assert FactStore(tmp_path).code.get("\\bsanctions\\b", regex.I | regex.U) is None  # an entry
    assert _engine(tmp_path).classify(ARTICLE).tags  # compiles again and works


def test_the_refiners_read_their_own_patterns_back_too(tmp_path, monkeypatch, compiles):
    from classifier.plugins.actors import ActorRefiner
    from classifier.plugins.modality import ModalityRefiner

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    cold_modality, cold_actors = ModalityRefiner(), ActorRefiner()
    compiles.clear()
    warm_modality, warm_actors = ModalityRefiner(), ActorRefiner()
    assert compiles == []
    text = "Canada would not impose sanctions on Venezuela, officials said."
    start = text.index("impose")
    assert (warm_modality.decide(text, start, start + 16, "en")
            == cold_modality.decide(text, start, start + 16, "en"))
    assert (warm_actors.find(text, start, start + 16, "sanctions", "en")
            == cold_actors.find(text, start, start + 16, "sanctions", "en") == ("Canada", "Venezuela"))


def test_stores_saving_one_after_the_other_keep_each_others_entries(tmp_path):
    first, second = FactStore(tmp_path), FactStore(tmp_path)  # both read an empty folder
    first.remember("anchors", "a", 0, lambda: ["a"], lambda v: True)
    first.code.compile("alpha")
    second.remember("anchors", "b", 0, lambda: ["b"], lambda v: True)
    second.code.compile("beta")
    first.save()
    second.save()
    again = FactStore(tmp_path)
    assert again.remember("anchors", "a", 0, lambda: ["lost"], lambda v: True) == ["a"]
    assert again.remember("anchors", "b", 0, lambda: ["lost"], lambda v: True) == ["b"]
    assert again.code.has("alpha", 0) and again.code.has("beta", 0)


def test_old_versions_memo_files_are_pruned_after_a_month_and_ours_kept(tmp_path):
    old = [tmp_path / "pattern-facts-0123456789abcdef.json", tmp_path / "compiled-0123456789abcdef.pickle",
           tmp_path / "tmpabc.tmp"]
    recent = tmp_path / "pattern-facts-fedcba9876543210.json"
    for path in (*old, recent):
        path.write_text("{}", encoding="utf-8")
    month_ago = time.time() - STALE_AFTER - 60
    for path in old:
        os.utime(path, (month_ago, month_ago))
    store = FactStore(tmp_path)
    store.remember("anchors", "x", 0, lambda: ["x"], lambda v: True)
    store.save()
    assert not any(path.exists() for path in old)
    assert recent.exists()  # another version's file, but used lately: kept
    assert store.path is not None and store.path.exists()
    os.utime(store.path, (month_ago, month_ago))
    prune(tmp_path)
    assert store.path.exists()  # this version's own file is never pruned


@pytest.mark.slow
def test_a_memo_without_compiled_code_gets_it_at_the_next_load(tmp_path, compiles):
    _engine(tmp_path)
    for memo in tmp_path.glob("pattern-compiled-*.pickle"):
        memo.unlink()  # facts known, code not: as after an upgrade that only added the code file
    _engine(tmp_path)  # learns the code at load, since matchers compile later than it saves
    assert list(tmp_path.glob("pattern-compiled-*.pickle"))
    compiles.clear()
    _engine(tmp_path).classify(ARTICLE)
    assert compiles == []


DATED_PACK = """\
[pack]
name = "dated"
lang = "en"

[[rules]]
id = "sanctions.dated"
action = "sanctions"
patterns = ['\\\\bblacklisted\\\\b']
reviewed = 2026-11-30
"""


def test_a_pack_read_before_is_not_parsed_again_until_it_changes(tmp_path, write, monkeypatch):
    from classifier.host import rulepack

    pack = write("mine.toml", BAD_PACK.replace("sanction(", "sanctioned\\\\b"))
    cold = _engine(tmp_path / "cache", rules=[pack])
    parses: list[str] = []
    real_loads = rulepack.tomllib.loads
    monkeypatch.setattr(rulepack.tomllib, "loads", lambda text: parses.append(text) or real_loads(text))
    warm = _engine(tmp_path / "cache", rules=[pack])
    assert parses == [] and warm.rules == cold.rules  # every field, source line included
    pack.write_text(pack.read_text(encoding="utf-8").replace("sanctioned", "embargoed"), encoding="utf-8")
    edited = _engine(tmp_path / "cache", rules=[pack])
    assert len(parses) == 1 and "embargoed" in edited.rules[-1].patterns[0]


def test_a_pack_whose_fields_are_not_json_still_loads_every_time(tmp_path, write):
    pack = write("dated.toml", DATED_PACK)
    for _ in range(2):
        rules = _engine(tmp_path / "cache", rules=[pack]).rules
        assert str(rules[-1].meta["reviewed"]) == "2026-11-30"


def test_a_damaged_pack_memo_is_read_afresh(tmp_path):
    folder = tmp_path / "cache"
    cold = _engine(folder)
    for memo in folder.glob("pack-*.json"):
        memo.write_text('["not a rule", 3]', encoding="utf-8")
    assert _engine(folder).rules == cold.rules
