"""``summarize`` over profile files that were edited, concatenated or written by another tool.

Each bad line is one stderr line naming FILE:LINE and what was expected, and is left out; the
good lines are still summarized; exit 1 if any line was bad. Never a traceback.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from typing import Any, Iterator

import pytest
from sample_profiles import extradition_profile, reward_profile, sanctions_profile

from classifier.report.summarize import iter_saved, profile_problem, summarize_profiles
from classifier.report.writer import dumps


def good(profile: Any = None) -> dict[str, Any]:
    return json.loads(dumps((profile or reward_profile()).to_dict()))


GOOD = good()
assert GOOD["actions"] and GOOD["sentences"][0]["tags"][0]["amounts"]  # every part the checks cover


def with_(path: tuple, value: Any) -> dict[str, Any]:
    """GOOD with the value at ``path`` (keys and indexes) replaced."""
    record = copy.deepcopy(GOOD)
    node = record
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return record


ACTION = next(iter(GOOD["actions"]))

# (a bad line, a word its message must contain)
BAD_LINES: list[tuple[str, str]] = [
    ("[1, 2]", "got an array"),
    ('["a", {"actions": {}}]', "got an array"),
    ("42", "got a number"),
    ("null", "got null"),
    ('"a string"', "got a string"),
    ("true", "got a boolean"),
    ("{}", "neither"),
    ('{"id": "weird", "lang": "en"}', "neither"),
    ("{not json", "not JSON"),
    ('{"id": "cut", "actions": {"x": {"mentions": 1', "not JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"actions": {}, "extra": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
    ('{"id": ' + "7" * 5000 + ', "actions": {}}', "refuses"),
    ('{"actions": []}', "actions: expected an object"),
    ('{"actions": "sanctions"}', "actions: expected an object"),
    ('{"actions": null}', "actions: expected an object"),
    ('{"actions": {"sanctions": []}}', "actions.sanctions: expected an object or null"),
    ('{"actions": {"sanctions": 3}}', "actions.sanctions"),
    ('{"actions": {"sanctions": {"mentions": "3"}}}',
     "actions.sanctions.mentions: expected a whole number, got a string"),
    ('{"actions": {"sanctions": {"mentions": 2.5}}}', "mentions: expected a whole number"),
    ('{"actions": {"sanctions": {"mentions": true}}}', "got a boolean"),
    ('{"actions": {"sanctions": {"mentions": null}}}', "got null"),
    ('{"actions": {"sanctions": {"score": "high"}}}', "score: expected a finite number"),
    ('{"actions": {"sanctions": {"score": NaN}}}', "got NaN"),
    ('{"actions": {"sanctions": {"score": Infinity}}}', "got Infinity"),
    ('{"actions": {"sanctions": {"score": 1e400}}}', "got Infinity"),
    ('{"actions": {"sanctions": {"modality": 5}}}', "modality: expected an object or null"),
    ('{"actions": {"sanctions": {"modality": ["asserted"]}}}', "modality"),
    ('{"actions": {"sanctions": {"modality": {"asserted": "1"}}}}', "modality.asserted: expected a whole number"),
    ('{"actions": {"sanctions": {"actors": "Iran"}}}', "actors: expected an array or null"),
    ('{"actions": {"sanctions": {"actors": [["Iran"]]}}}', "actors[0]: expected a string, got an array"),
    ('{"actions": {"sanctions": {"targets": [{"name": "x"}]}}}', "targets[0]: expected a string"),
    ('{"actions": {"sanctions": {"amounts": 5}}}', "amounts: expected an array or null"),
    ('{"actions": {"sanctions": {"amounts": {"value": 5}}}}', "amounts: expected an array"),
    ('{"actions": {"sanctions": {"amounts": [5]}}}', "amounts[0]: expected an object"),
    ('{"actions": {"sanctions": {"amounts": [{"value": "5", "unit": "USD"}]}}}', "amounts[0].value"),
    ('{"actions": {"sanctions": {"amounts": [{"value": 5, "unit": ["USD"]}]}}}', "amounts[0].unit"),
    ('{"actions": {"sanctions": {"amounts": [{"value": ' + "9" * 400 + ', "unit": "USD"}]}}}', "too large"),
    ('{"actions": {"a\\nb": []}}', 'actions."a\\nb"'),
    ('{"actions": {"' + "k" * 500 + '": []}}', '..."'),
    ('{"actions": {}, "dominant": ["sanctions"]}', "dominant: expected a string or null"),
    ('{"actions": {}, "dominant": {"x": 1}}', "dominant"),
    ('{"actions": {}, "lang": 7}', "lang: expected a string or null"),
    ('{"actions": {}, "errors": "oops"}', "errors: expected an array or null"),
    ('{"actions": {}, "errors": ["oops"]}', "errors[0]: expected an object"),
    ('{"actions": {}, "errors": [{"type": 3}]}', "errors[0].type: expected a string"),
    ('{"actions": {}, "sentences": {"0": {}}}', "sentences: expected an array"),
    ('{"actions": {}, "sentences": [[]]}', "sentences[0]: expected an object"),
    ('{"actions": {}, "sentences": [{"tags": "x"}]}', "sentences[0].tags: expected an array"),
    ('{"actions": {}, "sentences": [{"tags": [1]}]}', "sentences[0].tags[0]: expected an object"),
    ('{"actions": {}, "sentences": [{"tags": [{"action": "x", "actor": ["a"], "target": "b"}]}]}', "actor"),
    ('{"actions": {}, "sentences": [{"tags": [{"action": ["x"], "actor": "a", "target": "b"}]}]}', "action"),
    ('{"actions": {}, "extra": []}', "extra: expected an object or null"),
    ('{"actions": {}, "extra": "fields"}', "extra"),
    ('{"id": "e", "error": "MissingText"}', "error: expected an object"),
    ('{"id": "e", "error": {"message": "no type"}}', "error.type: expected a string, got null"),
    ('{"id": "e", "error": {"type": ["MissingText"]}}', "error.type"),
]


@pytest.fixture
def summarize(cli, tmp_path):
    """summarize(lines) -> (exit code, summary as JSON or None, stderr lines), for a file of
    those lines (str) or of those bytes."""

    def _summarize(lines: list[str] | bytes, *argv: object, name: str = "p.jsonl"):
        path = tmp_path / name
        if isinstance(lines, bytes):
            path.write_bytes(lines)
        else:
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, out, err = cli("summarize", path, "--format", "json", *argv)
        assert "Traceback" not in err
        return code, json.loads(out) if out else None, err.splitlines(), path

    return _summarize


@pytest.mark.parametrize("line, expected", BAD_LINES, ids=[f"bad{i}" for i in range(len(BAD_LINES))])
def test_a_bad_line_is_one_stderr_line_and_the_good_ones_are_summarized(summarize, line, expected):
    code, summary, err, path = summarize([dumps(GOOD), line, dumps(good(sanctions_profile()))])
    assert len(err) == 1, err
    assert err[0].startswith(f"policy-classify: {path}:2: ")
    assert err[0].endswith("; line skipped") and expected in err[0]
    assert "expected" in err[0]
    assert summary["records"] == 2 and summary["articles"] == 2
    assert code == 1


@pytest.mark.parametrize("line, expected", BAD_LINES, ids=[f"first{i}" for i in range(len(BAD_LINES))])
def test_a_bad_first_line_is_still_one_line(summarize, line, expected):
    """The first line also decides between JSON Lines and one JSON document: a bad one must not
    make the good lines after it unreadable."""
    code, summary, err, path = summarize([line, dumps(GOOD), dumps(good(sanctions_profile()))])
    assert len(err) == 1 and err[0].startswith(f"policy-classify: {path}:1: ") and expected in err[0], err
    assert summary["records"] == 2 and code == 1


def mutations(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every place in GOOD, each with values of every JSON type (and the hostile numbers)."""
    if path:
        for value in ([], {}, "s", 3, -1, 2.5, True, None, float("nan"), float("inf"), 10 ** 400,
                      [[[["deep"]]]], {"a": {"b": []}}, [None], [{}], "\n"):
            yield path, value
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from mutations(child, path + (key,))


def test_fuzz_every_field_of_a_profile_with_every_type(summarize, tmp_path):
    """No mutation of a real profile gives a traceback: each is counted or is one skipped line."""
    cases = list(mutations(GOOD))
    assert len(cases) > 500
    lines = [dumps(GOOD)] + [json.dumps(with_(path, value)) for path, value in cases]
    code, summary, err, path = summarize(lines)
    skipped = [int(line.split(":")[2]) for line in err]
    assert all(line.startswith(f"policy-classify: {path}:") and line.endswith("; line skipped") for line in err)
    assert len(set(skipped)) == len(skipped) and 1 not in skipped
    assert summary["records"] == len(lines) - len(skipped)
    assert code == 1
    for number, (case_path, value) in enumerate(cases, 2):  # what the API says agrees
        record = json.loads(lines[number - 1])
        assert (profile_problem(record) is not None) == (number in skipped), (case_path, value)


def test_fuzz_the_api_never_raises():
    """``summarize_profiles`` (the HTML report's path) counts every bad record as InvalidRecord."""
    records = [json.loads(line) for line, _ in BAD_LINES if _loads_ok(line)]
    records += [with_(path, value) for path, value in mutations(GOOD)]
    summary = summarize_profiles(records)
    assert summary["records"] == len(records)
    assert summary["error_types"]["InvalidRecord"] >= len(BAD_LINES) - 5


def _loads_ok(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def test_valid_odd_records_are_not_bad_lines(summarize):
    lines = [
        dumps(GOOD),
        '{"id": "x", "error": {"type": "MissingText", "message": "no text", "line": 3}}',
        '{"actions": {}}',  # the least a profile can be
        '{"actions": {"sanctions": null}, "lang": null, "dominant": null, "errors": null, "sentences": null}',
        '{"actions": {"sanctions": {}}, "unknown": [1, {"free": "form"}], "extra": {"fields": [1]}}',
        '{"actions": {"sanctions": {"mentions": 1, "amounts": [{"value": null, "unit": null}]}}}',
        '{"actions": {}, "date": ["not", "a", "date"]}',
        "",
        "   ",
    ]
    code, summary, err, _ = summarize(lines)
    assert (code, err) == (0, [])
    assert summary["records"] == 7 and summary["error_types"] == {"MissingText": 1}


def test_huge_integer_figures_sum_without_overflow(summarize):
    line = json.dumps({"actions": {"rewards": {"amounts": [{"value": 10 ** 300, "unit": "USD"}]}}})
    code, summary, err, _ = summarize([line] * 3)
    assert (code, err) == (0, [])
    assert summary["actions"]["rewards"]["amounts"]["totals"]["USD"] == 3 * 10 ** 300


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_every_format_survives_bad_lines(summarize, fmt, cli, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([dumps(GOOD), '{"actions": []}', "[1]", dumps(GOOD)]) + "\n", encoding="utf-8")
    code, out, err = cli("summarize", path, "--format", fmt)
    assert code == 1 and "Traceback" not in err and len(err.splitlines()) == 2
    assert out


# -- documents, not lines --------------------------------------------------------------------


def test_a_json_array_document_names_the_line_of_a_bad_record(summarize):
    document = json.dumps([GOOD, {"actions": []}, good(extradition_profile())], indent=2).encode()
    code, summary, err, path = summarize(document, name="p.json")
    bad_line = document[:document.index(b'"actions": []')].count(b"\n")  # the "{" above it
    assert err == [f"policy-classify: {path}:{bad_line}: InvalidProfile: actions: expected an object "
                   "(action name -> summary), got an array; line skipped"]
    assert summary["records"] == 2 and code == 1


def test_a_broken_json_document_keeps_the_records_before_the_break(summarize):
    document = json.dumps([GOOD, GOOD], indent=2)
    broken = document[: document.rindex("}")] + ",,]"  # a syntax error in the second record
    code, summary, err, path = summarize(broken.encode(), name="p.json")
    assert len(err) == 1 and err[0].startswith(f"policy-classify: {path}:")
    assert "InvalidJSON" in err[0] and "rest of the document is not read" in err[0]
    assert summary["records"] == 1 and code == 1


@pytest.mark.parametrize("text, ids", [
    (json.dumps([GOOD, GOOD]), [GOOD["id"]] * 2),  # one line, the whole document
    (json.dumps(GOOD, indent=2), [GOOD["id"]]),
    ("[]", []),
    ("\n\n  [\n]\n", []),
    (dumps(GOOD) + "\n" + dumps(GOOD), [GOOD["id"]] * 2),
])
def test_documents_and_lines_are_told_apart(text, ids):
    saved = list(iter_saved(io.StringIO(text)))
    assert [s.value["id"] for s in saved] == ids and all(s.problem is None for s in saved)


def test_records_of_a_document_keep_their_line_numbers_across_blank_lines():
    text = '\n[\n\n\n  {"actions": {}},\n\n  {"actions": []},\n  7]\n'
    assert [(s.line, s.value) for s in iter_saved(io.StringIO(text))] == [
        (5, {"actions": {}}), (7, {"actions": []}), (8, 7)]


def test_a_first_line_that_is_an_array_in_a_jsonl_file_is_one_bad_line(summarize):
    code, summary, err, path = summarize(["[1, 2]", dumps(GOOD), dumps(GOOD)])
    assert err == [f"policy-classify: {path}:1: InvalidProfile: expected a JSON object (a profile or an "
                   "error record), got an array; line skipped"]
    assert summary["records"] == 2 and code == 1


def test_lines_are_numbered_as_in_the_file(summarize):
    code, _, err, path = summarize(["", dumps(GOOD), "", "", "oops", dumps(GOOD), "[]"])
    assert [line.split(": ")[1] for line in err] == [f"{path}:5", f"{path}:7"]


# -- inputs ------------------------------------------------------------------------------------


def test_a_missing_input_is_one_line_naming_it(cli, tmp_path):
    good_file = tmp_path / "good.jsonl"
    good_file.write_text(dumps(GOOD) + "\n", encoding="utf-8")
    missing = tmp_path / "nowhere" / "missing.jsonl"
    code, out, err = cli("summarize", good_file, missing)
    assert err.splitlines() == [f"policy-classify: error: {missing}: cannot open: No such file or directory"]
    assert (code, out) == (2, "")


def test_a_folder_as_input_is_one_line_naming_it(cli, tmp_path):
    code, out, err = cli("summarize", tmp_path)
    assert err.splitlines() == [f"policy-classify: error: {tmp_path}: is a folder; summarize reads files "
                                "of saved profiles (JSONL or JSON)"]
    assert (code, out) == (2, "")


def test_invalid_utf8_and_a_bom_on_stdin(cli, monkeypatch):
    data = b"\xef\xbb\xbf" + dumps(GOOD).encode() + b"\n" + b'{"id": "caf\xe9", "actions": {}}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, err = cli("summarize", "-", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["records"] == 2


def test_bad_lines_on_stdin_are_named_stdin(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{}\n" + dumps(GOOD).encode())))
    code, _, err = cli("summarize", "-", "--format", "json")
    assert err.splitlines()[0].startswith("policy-classify: <stdin>:1: InvalidProfile: expected a profile")
    assert code == 1


def test_summarize_with_stdin_closed_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "classifier", "summarize"], capture_output=True,
                          text=True, timeout=120, preexec_fn=lambda: os.close(0))
    assert done.stderr.splitlines() == ["policy-classify: error: <stdin>: stdin is closed; nothing to read"]
    assert done.returncode == 2


def test_a_real_run_through_the_installed_command(tmp_path):
    profiles = tmp_path / "p.jsonl"
    profiles.write_text("\n".join([dumps(GOOD), '{"actions": {"x": {"amounts": 5}}}']) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "classifier", "summarize", str(profiles)],
                          capture_output=True, text=True, timeout=120)
    assert done.stderr.splitlines() == [
        f"policy-classify: {profiles}:2: InvalidProfile: actions.x.amounts: expected an array or null, "
        "got a number; line skipped"]
    assert done.returncode == 1 and "1 record" in done.stdout
