"""A plugin cannot end the run or spoil the output: SystemExit is isolated like any exception,
and every value a hook returns is checked where it enters the engine.

Each case: 3 records in, 3 profiles out, exit 0, the profile's ``errors`` naming the plugin and
the hook, and output that a strict JSON parser accepts.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from classifier import Engine, PluginError

RECORDS = [
    {"id": "a", "text": "The U.S. imposed sanctions on Iran."},
    {"id": "b", "text": "Nothing to see here."},
    {"id": "c", "text": "Mexico extradited 29 people to the United States."},
]

HEADER = """
import dataclasses
from classifier import hookimpl
from classifier.model import Amount, Tag
"""

REFINER_RESULTS = {
    "a set": "return set(tags)",
    "bytes": "return b'tags'",
    "an object": "return object()",
    "a dict": "return {'tags': list(tags)}",
    "a span of strings": "return [dataclasses.replace(t, span=('0', '5')) for t in tags]",
    "a span of three": "return [dataclasses.replace(t, span=(t.span[0], t.span[1], 0)) for t in tags]",
    "a span of booleans": "return [dataclasses.replace(t, span=(False, True)) for t in tags]",
    "a NaN score": "return [dataclasses.replace(t, score=float('nan')) for t in tags]",
    "an infinite score": "return [dataclasses.replace(t, score=float('inf')) for t in tags]",
    "a score too big for a float": "return [dataclasses.replace(t, score=10 ** 400) for t in tags]",
    "a text score": "return [dataclasses.replace(t, score='high') for t in tags]",
    "an unknown modality": "return [dataclasses.replace(t, modality='bogus') for t in tags]",
    "a NaN amount": "return [dataclasses.replace(t, amounts=(Amount(float('nan'), 'USD', '$'),)) for t in tags]",
    "amounts as a list of dicts": "return [dataclasses.replace(t, amounts=[{'value': 1}]) for t in tags]",
    "an actor that is a number": "return [dataclasses.replace(t, actor=7) for t in tags]",
    "a generator that raises": "yield from tags\nraise RuntimeError('generator broke')",
}


def plugin_file(tmp_path: Path, hook: str, body: str, name: str = "hostile") -> Path:
    args = {
        "policy_classifier_refine_tags": "sentence, tags, article",
        "policy_classifier_tag_sentence": "sentence, article",
        "policy_classifier_contribute_profile": "article, tags",
        "policy_classifier_detect_language": "text",
        "policy_classifier_split_sentences": "text, lang",
    }[hook]
    source = HEADER + f"\n@hookimpl\ndef {hook}({args}):\n" + textwrap.indent(body, "    ") + "\n"
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return path


def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


def strict_json(out: str) -> list[dict]:
    def refuse(value: str) -> None:
        raise ValueError(f"not JSON: {value}")

    return [json.loads(line, parse_constant=refuse) for line in out.splitlines()]


def assert_isolated(result, plugin: str, hook: str) -> list[dict]:
    code, out, err = result
    assert code == 0, err
    assert "Traceback" not in err
    records = strict_json(out)
    assert [r["id"] for r in records] == ["a", "b", "c"]
    named = [e for r in records for e in r["errors"] if e.get("plugin") == plugin]
    assert named and all(hook in e["message"] for e in named)
    return records


@pytest.mark.parametrize("what", list(REFINER_RESULTS))
def test_a_refiner_returning_the_wrong_thing_loses_only_its_contribution(cli, tmp_path, what):
    plugin = plugin_file(tmp_path, "policy_classifier_refine_tags", REFINER_RESULTS[what])
    records = assert_isolated(cli("classify", corpus(tmp_path), "--plugin", plugin),
                              "hostile", "policy_classifier_refine_tags")
    assert records[0]["actions"]["sanctions"]["modality"] == {"asserted": 1}  # built-ins kept


@pytest.mark.parametrize("hook, body", [
    ("policy_classifier_refine_tags", "raise SystemExit(5)"),
    ("policy_classifier_refine_tags", "raise GeneratorExit()"),
    ("policy_classifier_contribute_profile", "raise SystemExit(3)"),
    ("policy_classifier_tag_sentence", "import sys; sys.exit('bye')"),
])
def test_system_exit_in_a_hook_is_isolated(cli, tmp_path, hook, body):
    plugin = plugin_file(tmp_path, hook, body)
    assert_isolated(cli("classify", corpus(tmp_path), "--plugin", plugin), "hostile", hook)


def test_system_exit_at_import_skips_the_plugin_with_a_warning(cli, tmp_path):
    plugin = tmp_path / "leaves.py"
    plugin.write_text("raise SystemExit(3)\n")
    code, out, err = cli("classify", corpus(tmp_path), "--plugin", plugin)
    assert code == 0 and len(strict_json(out)) == 3
    assert err.strip() == ("policy-classify: warning: plugin 'leaves': failed to import "
                           f"{plugin}: SystemExit: 3; skipped")


def test_system_exit_at_import_with_strict_is_one_line(cli, tmp_path):
    plugin = tmp_path / "leaves.py"
    plugin.write_text("raise SystemExit(3)\n")
    code, out, err = cli("classify", corpus(tmp_path), "--plugin", plugin, "--strict")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_system_exit_in_a_load_time_hook_skips_the_plugin(tmp_path):
    plugin = plugin_file(tmp_path, "policy_classifier_refine_tags", "return None")
    plugin.write_text(plugin.read_text() + "\n@hookimpl\ndef policy_classifier_register_actions(register):\n"
                      "    raise SystemExit(4)\n")
    engine = Engine(plugin_paths=[plugin], entry_points=False)
    assert [p.plugin for p in engine.load_problems] == ["hostile"]
    assert "SystemExit" in engine.load_problems[0].message


@pytest.mark.parametrize("hook, body, problem", [
    ("policy_classifier_contribute_profile", "d = {}\nd['self'] = d\nreturn d", "Circular reference"),
    ("policy_classifier_contribute_profile", "return {'ratio': float('nan')}", "not JSON-ready"),
    ("policy_classifier_contribute_profile", "return {'ids': {1, 2}}", "not JSON-ready"),
    ("policy_classifier_contribute_profile", "return ['not', 'a', 'dict']", "expected a JSON-ready dict"),
    ("policy_classifier_tag_sentence", "return {1, 2}", "returned set"),
    ("policy_classifier_tag_sentence", "return 'sanctions'", "returned str"),
    ("policy_classifier_detect_language", "return 42", "expected a language code"),
    ("policy_classifier_detect_language", "return 'en\\x1b[2J'", "a language code holds"),
])
def test_other_hooks_results_are_checked(cli, tmp_path, hook, body, problem):
    plugin = plugin_file(tmp_path, hook, body)
    records = assert_isolated(cli("classify", corpus(tmp_path), "--plugin", plugin), "hostile", hook)
    messages = [e["message"] for r in records for e in r["errors"]]
    assert any(problem in m for m in messages), messages


@pytest.mark.parametrize("body", [
    "return [('0', '5')]",
    "return [(0, 5, 9)]",
    "def spans():\n    yield (0, 3)\n    raise ValueError('splitter broke')\nreturn spans()",
    "return {(0, 3)}",
])
def test_a_bad_splitter_falls_back_to_the_built_in_one(cli, tmp_path, body):
    plugin = plugin_file(tmp_path, "policy_classifier_split_sentences", body)
    records = assert_isolated(cli("classify", corpus(tmp_path), "--plugin", plugin),
                              "hostile", "policy_classifier_split_sentences")
    assert "sanctions" in records[0]["actions"]  # classified with the built-in splitter


def test_strict_turns_a_bad_result_into_an_error(tmp_path):
    plugin = plugin_file(tmp_path, "policy_classifier_refine_tags", REFINER_RESULTS["a NaN score"])
    engine = Engine(plugin_paths=[plugin], entry_points=False, strict=True)
    with pytest.raises(PluginError, match="hostile.*finite number"):
        engine.classify(RECORDS[0]["text"])


def test_keyboard_interrupt_still_stops_the_run(tmp_path):
    plugin = plugin_file(tmp_path, "policy_classifier_refine_tags", "raise KeyboardInterrupt")
    engine = Engine(plugin_paths=[plugin], entry_points=False)
    with pytest.raises(KeyboardInterrupt):
        engine.classify(RECORDS[0]["text"])
