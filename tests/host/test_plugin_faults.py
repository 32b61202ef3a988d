"""Plugins: a failing plugin is named with its hook, its contribution dropped, the run
goes on -- and ``--strict`` turns each of these into one clean line and exit 2.

Plugins here are real files passed with ``--plugin``, the way a user adds a colleague's plugin.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from classifier import Engine, PluginError

PACK = """
[pack]
name = "plugin_reliability"
lang = "en"

[[rules]]
id = "sanctions.plugin_reliability"
action = "sanctions"
patterns = ['\\bseized\\s+the\\s+yachts\\b']
"""

ARTICLES = [
    {"id": "a1", "text": "Port officers seized the yachts of the minister."},
    {"id": "a2", "text": "A quiet day with no news at all."},
    {"id": "a3", "text": "Police seized the yachts again, and this time kaboom."},
]

PLUGINS = {
    "import_fails": "import a_module_nobody_wrote\n",
    "syntax_error": "def broken(:\n",
    "register_raises": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_register_actions(register):
            register("curfews", "never registered")
            raise KeyError("settings file missing")
    """,
    "refine_raises": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_refine_tags(sentence, tags, article):
            if "kaboom" in sentence.text:
                raise RuntimeError("refiner hit a sentence it cannot handle")
            return None
    """,
    "contribute_raises": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_contribute_profile(article, tags):
            return {"ratio": 1 / len(tags)}
    """,
    "detect_raises": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_detect_language(text):
            raise UnicodeError("detector choked")
    """,
    "span_outside": """
        from classifier import Tag, hookimpl

        @hookimpl
        def policy_classifier_tag_sentence(sentence, article):
            return [Tag("sanctions", "x.outside", "span_outside", sentence.index,
                        (sentence.end, sentence.end + 5), "xxxxx")]
    """,
    "unknown_action": """
        from classifier import Tag, hookimpl

        @hookimpl
        def policy_classifier_tag_sentence(sentence, article):
            return [Tag("piracy", "x.unknown", "unknown_action", sentence.index,
                        (sentence.start, sentence.start + 1), sentence.text[0])]
    """,
    "wrong_text": """
        from classifier import Tag, hookimpl

        @hookimpl
        def policy_classifier_tag_sentence(sentence, article):
            return [Tag("sanctions", "x.text", "wrong_text", sentence.index,
                        (sentence.start, sentence.start + 3), "not what is there")]
    """,
    "bad_splitter": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_split_sentences(text, lang):
            return [(5, 2), (0, len(text) + 100)]
    """,
    "refine_returns_junk": """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_refine_tags(sentence, tags, article):
            return ["not a tag"]
    """,
}


@pytest.fixture(autouse=True)
def only_sanctions(monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment,sanctions")


@pytest.fixture
def files(tmp_path, write):
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return corpus, write("pack.toml", PACK)


def plugin(tmp_path, name: str):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(PLUGINS[name]).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def classify(cli):
    """classify(corpus, pack, ...) -> (exit code, JSONL records, stderr); never a traceback."""

    def _classify(corpus, pack, *extra) -> tuple[int, list[dict], str]:
        result = cli("classify", corpus, "--rules", pack, "--no-entry-points", *extra)
        assert "Traceback" not in result.err
        return result.code, result.records, result.err

    return _classify


@pytest.mark.parametrize("name, hook, reason", [
    ("import_fails", None, "failed to import"),
    ("syntax_error", None, "SyntaxError"),
    ("register_raises", "policy_classifier_register_actions", "raised KeyError: 'settings file missing'"),
])
def test_a_plugin_that_fails_at_load_is_named_and_skipped(tmp_path, files, classify, name, hook, reason):
    corpus, pack = files
    code, records, err = classify(corpus, pack, "--plugin", plugin(tmp_path, name))
    assert code == 0
    assert [r["id"] for r in records] == ["a1", "a2", "a3"]
    assert records[0]["actions"]["sanctions"]["mentions"] == 1  # the rest of the run is intact
    (warning,) = [line for line in err.splitlines() if f"plugin '{name}'" in line]
    assert warning.startswith(f"policy-classify: warning: plugin '{name}'")
    assert reason in warning and warning.endswith("; skipped")
    if hook:
        assert f"hook {hook}" in warning


@pytest.mark.parametrize("name", ["import_fails", "syntax_error", "register_raises"])
def test_strict_makes_a_load_failure_exit_2_before_any_record(tmp_path, files, classify, name):
    corpus, pack = files
    code, records, err = classify(corpus, pack, "--plugin", plugin(tmp_path, name), "--strict")
    assert code == 2 and records == []
    assert err.count("\n") == 1 and err.startswith(f"policy-classify: error: plugin '{name}'")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plugin_raising_per_article_is_isolated_to_that_article(tmp_path, files, classify, jobs):
    corpus, pack = files
    code, records, err = classify(corpus, pack, "--plugin", plugin(tmp_path, "refine_raises"),
                                 "--jobs", jobs)
    assert code == 0
    assert records[0]["errors"] == [] and records[1]["errors"] == []
    (error,) = records[2]["errors"]
    assert error == {"type": "PluginError", "plugin": "refine_raises",
                     "message": "policy_classifier_refine_tags raised RuntimeError: "
                                "refiner hit a sentence it cannot handle"}
    assert records[2]["actions"]["sanctions"]["mentions"] == 1  # its tags kept, unrefined
    assert len([line for line in err.splitlines() if "refine_raises" in line]) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_strict_turns_a_per_article_failure_into_one_clean_line(tmp_path, files, classify, jobs):
    corpus, pack = files
    code, _, err = classify(corpus, pack, "--plugin", plugin(tmp_path, "refine_raises"),
                           "--strict", "--jobs", jobs)
    assert code == 2
    assert err.splitlines()[-1] == (
        "policy-classify: error: plugin 'refine_raises', hook policy_classifier_refine_tags: "
        "raised RuntimeError: refiner hit a sentence it cannot handle")


@pytest.mark.parametrize("name, hook", [
    ("contribute_raises", "policy_classifier_contribute_profile"),
    ("detect_raises", "policy_classifier_detect_language"),
])
def test_other_per_article_hooks_are_isolated_too(tmp_path, files, classify, name, hook):
    corpus, pack = files
    code, records, _ = classify(corpus, pack, "--plugin", plugin(tmp_path, name))
    assert code == 0 and len(records) == 3
    assert records[0]["actions"]["sanctions"]["mentions"] == 1
    failing = [r for r in records if r["errors"]]
    assert failing
    for record in failing:
        assert all(e["plugin"] == name and e["message"].startswith(hook) for e in record["errors"])


@pytest.mark.parametrize("name, hook, problem", [
    ("span_outside", "policy_classifier_tag_sentence", "lies outside sentence"),
    ("unknown_action", "policy_classifier_tag_sentence", "unknown action 'piracy'"),
    ("wrong_text", "policy_classifier_tag_sentence", "differs from the article text"),
    ("bad_splitter", "policy_classifier_split_sentences", "not ordered, non-overlapping"),
    ("refine_returns_junk", "policy_classifier_refine_tags", "expected classifier.model.Tag"),
])
def test_output_breaking_the_contract_is_rejected_naming_the_plugin(tmp_path, files, classify, name, hook, problem):
    corpus, pack = files
    code, records, _ = classify(corpus, pack, "--plugin", plugin(tmp_path, name))
    assert code == 0
    first = records[0]
    assert first["actions"]["sanctions"]["mentions"] == 1  # the rule's own tag survives
    assert all(tag["plugin"] != name for s in first["sentences"] for tag in s["tags"])
    rejected = [e for e in first["errors"] if e["plugin"] == name]
    assert rejected and rejected[0]["type"] == "PluginContractError"
    assert rejected[0]["message"].startswith(hook) and problem in rejected[0]["message"]


def test_strict_rejects_contract_breaking_output_with_the_plugin_named(tmp_path, write):
    engine = Engine(plugin_paths=[plugin(tmp_path, "span_outside")], rules=[write("p.toml", PACK)],
                    entry_points=False, strict=True)
    with pytest.raises(PluginError, match=r"plugin 'span_outside', hook policy_classifier_tag_sentence: .*outside"):
        engine.classify("Port officers seized the yachts.")
