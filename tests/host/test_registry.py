"""Plugins load from every source, and a failing plugin is named and isolated."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from classifier import Engine, PluginError, Tag, hookimpl

ONLY_SPLITTER = {"POLICY_CLASSIFIER_PLUGINS": "segment"}

PLUGIN_SOURCE = '''
from classifier import hookimpl, Rule

__version__ = "2.1"

@hookimpl
def policy_classifier_register_actions(register):
    register("{action}", "A test action")

@hookimpl
def policy_classifier_register_rules(register):
    register(Rule(id="{action}.word", action="{action}", patterns=(r"\\bquarantine\\b",)))
'''


def plugin_file(folder: Path, name: str, action: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(PLUGIN_SOURCE.format(action=action), encoding="utf-8")
    return path


def test_plugin_from_a_file(tmp_path):
    path = plugin_file(tmp_path, "quarantines", "quarantine")
    engine = Engine(plugin_paths=[path], entry_points=False, env=ONLY_SPLITTER)
    assert engine.plugin_info["quarantines"].version == "2.1"
    assert "quarantine" in engine.actions
    assert engine.classify("Ships face a quarantine.").tags[0].plugin == "quarantines"


def test_plugins_from_a_folder(tmp_path):
    plugin_file(tmp_path, "one", "first")
    (tmp_path / "two.py").write_text(PLUGIN_SOURCE.format(action="second").replace("quarantine", "lockdown"))
    engine = Engine(plugin_paths=[tmp_path], entry_points=False, env=ONLY_SPLITTER)
    assert {"first", "second"} <= set(engine.actions)


def test_plugin_from_an_entry_point(tmp_path, monkeypatch):
    """A real (fake-installed) distribution with an entry point in the policy_classifier group."""
    site = tmp_path / "site"
    site.mkdir()
    plugin_file(site, "epplugin_mod", "curfew")
    dist = site / "epplugin-3.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: epplugin\nVersion: 3.0\n")
    (dist / "entry_points.txt").write_text("[policy_classifier]\ncurfews = epplugin_mod\n")
    monkeypatch.syspath_prepend(str(site))
    engine = Engine(env=ONLY_SPLITTER | {"POLICY_CLASSIFIER_PLUGINS": "segment,curfews"})
    assert engine.plugin_info["curfews"].version == "3.0"
    assert "curfew" in engine.actions
    # The environment variable restricts which installed plugins load.
    assert "curfews" not in Engine(env=ONLY_SPLITTER).plugin_info
    sys.modules.pop("epplugin_mod", None)


def test_plugin_objects_passed_to_the_api():
    class Obj:
        name = "obj"

        @hookimpl
        def policy_classifier_register_actions(self, register):
            register("obj_action", "")

    engine = Engine(plugins=[Obj()], entry_points=False, env=ONLY_SPLITTER)
    assert engine.actions["obj_action"].plugin == "obj"


def test_environment_variable_restricts_built_in_plugins():
    engine = Engine(entry_points=False, env={"POLICY_CLASSIFIER_PLUGINS": "segment,tariffs"})
    assert set(engine.actions) == {"tariffs"}
    assert set(engine.plugin_info) == {"segment", "tariffs"}


def test_a_plugin_that_fails_to_import_is_named_and_skipped(tmp_path):
    bad = tmp_path / "broken_plugin.py"
    bad.write_text("import not_a_module_anywhere\n")
    good = plugin_file(tmp_path, "good", "quarantine")
    engine = Engine(plugin_paths=[bad, good], entry_points=False, env=ONLY_SPLITTER)
    assert "quarantine" in engine.actions
    [problem] = engine.load_problems
    assert problem.plugin == "broken_plugin"
    assert "ModuleNotFoundError" in str(problem) and "broken_plugin.py" in str(problem)
    with pytest.raises(PluginError, match="plugin 'broken_plugin'.*ModuleNotFoundError"):
        Engine(plugin_paths=[bad], entry_points=False, env=ONLY_SPLITTER, strict=True)


def test_a_plugin_that_raises_while_registering_is_dropped_whole():
    class Raiser:
        name = "raiser"

        @hookimpl
        def policy_classifier_register_actions(self, register):
            register("half", "")
            raise RuntimeError("database down")

    engine = Engine(plugins=[Raiser()], entry_points=False, env=ONLY_SPLITTER)
    assert "half" not in engine.actions and "raiser" not in engine.plugin_info
    assert "policy_classifier_register_actions" in str(engine.load_problems[0])
    assert "database down" in str(engine.load_problems[0])


def test_a_misspelled_hook_is_caught():
    class Typo:
        name = "typo"

        @hookimpl
        def policy_classifier_refine_tag(self, sentence, tags, article):
            return None

    engine = Engine(plugins=[Typo()], entry_points=False, env=ONLY_SPLITTER)
    [problem] = engine.load_problems
    assert problem.plugin == "typo" and problem.hook == "policy_classifier_refine_tag"
    assert "does not exist" in problem.message
    with pytest.raises(PluginError, match="typo"):
        Engine(plugins=[Typo()], entry_points=False, env=ONLY_SPLITTER, strict=True)


class FlakyRefiner:
    name = "flaky"

    @hookimpl
    def policy_classifier_refine_tags(self, sentence, tags, article):
        raise ValueError("boom")


def test_a_plugin_that_raises_per_article_is_isolated(tmp_path):
    path = plugin_file(tmp_path, "q", "quarantine")
    engine = Engine(plugins=[FlakyRefiner()], plugin_paths=[path], entry_points=False, env=ONLY_SPLITTER)
    profile = engine.classify("Ships face a quarantine.")
    assert "quarantine" in profile.actions
    [error] = profile.errors
    assert error.plugin == "flaky" and "ValueError: boom" in error.message
    strict = Engine(plugins=[FlakyRefiner()], plugin_paths=[path], entry_points=False,
                    env=ONLY_SPLITTER, strict=True)
    with pytest.raises(PluginError, match="flaky.*policy_classifier_refine_tags"):
        strict.classify("Ships face a quarantine.")


class OutOfBounds:
    name = "outofbounds"

    @hookimpl
    def policy_classifier_tag_sentence(self, sentence, article):
        return [Tag("quarantine", "x.y", "outofbounds", sentence.index, (0, 10_000), "x")]


class UnknownAction:
    name = "unknownaction"

    @hookimpl
    def policy_classifier_tag_sentence(self, sentence, article):
        return [Tag("nonsense", "x.y", "unknownaction", sentence.index,
                    (sentence.start, sentence.start + 1), article.text[sentence.start])]


@pytest.mark.parametrize("plugin, message", [
    (OutOfBounds(), "outside sentence"), (UnknownAction(), "unknown action 'nonsense'"),
])
def test_plugin_output_that_breaks_the_contract_is_rejected(tmp_path, plugin, message):
    path = plugin_file(tmp_path, "q", "quarantine")
    engine = Engine(plugins=[plugin], plugin_paths=[path], entry_points=False, env=ONLY_SPLITTER)
    profile = engine.classify("Ships face a quarantine.")
    assert [t.plugin for t in profile.tags] == ["q"]
    assert any(e.plugin == plugin.name and message in e.message for e in profile.errors)


def test_a_missing_plugin_path_is_a_config_error(tmp_path):
    from classifier import ConfigError

    with pytest.raises(ConfigError, match="no such plugin file"):
        Engine(plugin_paths=[tmp_path / "missing.py"], entry_points=False)
