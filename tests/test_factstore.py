"""The on-disk memo of pattern facts: later start-ups read it, and it never changes a result."""

from __future__ import annotations

import pytest

from classifier.engine import Engine
from classifier.errors import ConfigError
from classifier.factstore import CACHE_ENV, FactStore, default_folder

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


def _engine(folder, **kwargs) -> Engine:
    return Engine(entry_points=False, env={CACHE_ENV: str(folder)}, **kwargs)


def _compiled_at_load(engine: Engine) -> int:
    return len(engine.matcher("en")._cache._patterns)


def test_a_warm_start_compiles_nothing_and_classifies_the_same(tmp_path):
    cold = _engine(tmp_path)
    assert list(tmp_path.glob("pattern-facts-*.json")), "the first load writes the memo"
    assert _compiled_at_load(cold) > 100  # validation compiled every pattern
    warm = _engine(tmp_path)
    assert _compiled_at_load(warm) == 0  # known-valid patterns wait until a sentence needs them
    assert [r.anchors for r in warm.rules] == [r.anchors for r in cold.rules]
    uncached = Engine(entry_points=False, env={CACHE_ENV: "off"})
    assert warm.classify(ARTICLE) == cold.classify(ARTICLE) == uncached.classify(ARTICLE)


def test_a_bad_pattern_is_rejected_on_every_run(tmp_path, write):
    pack = write("bad.toml", BAD_PACK)
    for _ in range(2):  # the second time from the memo
        with pytest.raises(ConfigError, match=r"bad.toml:6: rule 'sanctions.bad': pattern 1 is not a valid regex"):
            _engine(tmp_path / "cache", rules=[pack])


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
