"""The CLI end to end: formats, inputs, exit codes, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from classifier.cli.main import main

PACK = """
[pack]
name = "cli_test"
lang = "en"

[[rules]]
id = "sanctions.cli_test"
action = "sanctions"
patterns = ['\\bquarantined\\s+(?:the\\s+)?accounts\\b']
examples.match = ["Rome quarantined the accounts of the firm."]
examples.no_match = ["The ship was quarantined."]
"""

TEXT = "The ministry quarantined the accounts of three banks on Friday. Markets were calm."


@pytest.fixture(autouse=True)
def only_sanctions(monkeypatch):
    """Only the sanctions plugin; the test pack's wording is one no built-in rule matches."""
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment,sanctions")


@pytest.fixture
def pack(write):
    return write("pack.toml", PACK)


def test_classify_a_text_file_as_json(cli, pack, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    code, out, err = cli("classify", article, "--rules", pack, "--format", "json", "--no-entry-points")
    assert code == 0, err
    profile = json.loads(out)
    assert profile["id"] == str(article)
    assert profile["actions"]["sanctions"]["mentions"] >= 1
    tag = profile["sentences"][0]["tags"][0]
    assert TEXT[tag["span"][0]:tag["span"][1]] == tag["text"]


def test_json_gives_an_array_for_several_inputs(cli, pack, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT)
    code, out, _ = cli("classify", tmp_path / "a.txt", tmp_path / "b.txt", "--rules", pack, "--format", "json")
    assert code == 0 and [p["id"] for p in json.loads(out)] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_jsonl_input_with_custom_fields_and_a_bad_line(cli, pack, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"doc": "d1", "body": TEXT}) + "\n"
        + "{not json\n"
        + json.dumps({"doc": "d3", "body": 5}) + "\n"
        + json.dumps({"doc": "d4", "body": "Nothing to see."}) + "\n"
    )
    code, out, err = cli("classify", corpus, "--rules", pack, "--text-field", "body", "--id-field", "doc")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r.get("id") for r in lines] == ["d1", None, "d3", "d4"]
    assert lines[1]["error"]["type"] == "JSONDecodeError" and lines[1]["error"]["line"] == 2
    assert lines[2]["error"]["type"] == "InvalidText"
    assert "corpus.jsonl:2" in err and "2 records ok, 2 failed" in err


def test_stdin_text_and_jsonl(cli, pack, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    code, out, _ = cli("classify", "--rules", pack)
    assert code == 0 and "sanctions" in json.loads(out)["actions"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps({"id": 1, "text": TEXT}).encode())))
    code, out, _ = cli("classify", "-", "--rules", pack)
    assert code == 0 and json.loads(out)["id"] == "1"


def test_table_format(cli, pack, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    code, out, _ = cli("classify", tmp_path / "a.txt", "--rules", pack, "--format", "table")
    assert code == 0 and "dominant=sanctions" in out and "mentions 1" in out


def test_output_file(cli, pack, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    code, out, _ = cli("classify", tmp_path / "a.txt", "--rules", pack, "-o", tmp_path / "out.jsonl")
    assert code == 0 and out == ""
    assert json.loads((tmp_path / "out.jsonl").read_text())["dominant"] == "sanctions"


def test_missing_input_file_gives_an_error_record_and_exit_1(cli, pack, tmp_path):
    code, out, err = cli("classify", tmp_path / "missing.txt", "--rules", pack)
    assert code == 1 and json.loads(out)["error"]["type"] == "FileNotFound"


def test_a_broken_rule_pack_exits_2_with_one_line(cli, write, tmp_path):
    bad = write("bad.toml", PACK.replace("quarantined", "(quarantined"))
    (tmp_path / "a.txt").write_text(TEXT)
    code, out, err = cli("classify", tmp_path / "a.txt", "--rules", bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "bad.toml" in err and "sanctions.cli_test" in err
    assert "Traceback" not in err


def test_usage_error_exits_2(cli):
    with pytest.raises(SystemExit) as exc:
        main(["classify", "--format", "xml"])
    assert exc.value.code == 2


def test_explain_shows_rule_span_and_why(cli, pack):
    code, out, _ = cli("explain", TEXT, "--rules", pack, "--verbose")
    assert code == 0
    assert "[[quarantined the accounts]]" in out and "rule=sanctions.cli_test" in out


def test_explain_takes_a_long_sentence_as_text_not_as_a_file_name(cli, pack):
    # Longer than a file name may be (255 bytes): asking the OS whether it is a file failed
    # with "File name too long" before it was read as the text to explain.
    long_text = " ".join([TEXT] * 12)
    assert len(long_text.encode()) > 255 and "\n" not in long_text
    code, out, err = cli("explain", long_text, "--rules", pack)
    assert code == 0 and "Traceback" not in err
    assert out.count("[[quarantined the accounts]]") == 12


def test_plugins_and_rules_list(cli, pack):
    code, out, _ = cli("plugins", "--rules", pack)
    assert code == 0 and "sanctions" in out and "action types: sanctions" in out
    code, out, _ = cli("rules", "list", "--rules", pack)
    assert code == 0 and "sanctions.cli_test\tsanctions\ten" in out


def test_a_failing_plugin_is_a_warning_and_strict_makes_it_fatal(cli, pack, tmp_path):
    bad = tmp_path / "badplugin.py"
    bad.write_text("raise RuntimeError('cannot start')\n")
    (tmp_path / "a.txt").write_text(TEXT)
    code, out, err = cli("classify", tmp_path / "a.txt", "--rules", pack, "--plugin", bad)
    assert code == 0 and "plugin 'badplugin'" in err and "skipped" in err
    code, out, err = cli("classify", tmp_path / "a.txt", "--rules", pack, "--plugin", bad, "--strict")
    assert code == 2 and "plugin 'badplugin'" in err and "Traceback" not in err


def test_python_dash_m_runs_the_same_cli(pack, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    done = subprocess.run([sys.executable, "-m", "classifier", "classify", str(tmp_path / "a.txt"),
                           "--rules", str(pack)], capture_output=True, text=True, timeout=120)
    # the exit code first: a negative one is a signal (a crash at exit), which stderr may not say
    assert done.returncode == 0, f"exit {done.returncode}; stderr tail: {done.stderr[-1500:]}"
    assert json.loads(done.stdout)["dominant"] == "sanctions"
