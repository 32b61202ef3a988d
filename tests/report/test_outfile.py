"""Where output goes: -o never destroys an input or leaves half a file, a bad -o is one line,
plugins that print cannot corrupt JSON Lines on stdout, and terminals get no raw control codes.

Some of these run the installed command in a subprocess, because what they check (file
descriptor 1, a real device) does not exist under pytest's in-process capture.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RECORDS = [
    {"id": "a", "text": "The U.S. imposed sanctions on Iran."},
    {"id": "b", "text": "Nothing to see here."},
    {"id": "c", "text": "Mexico extradited 29 people to the United States."},
]


def run(*argv: object, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "classifier", *map(str, argv)], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "v.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("spelling", ["same", "hard link", "symlink", "dotted path"])
def test_the_output_may_not_be_an_input(cli, corpus, spelling):
    before = corpus.read_bytes()
    output = {
        "same": corpus,
        "hard link": corpus.with_name("hard.jsonl"),
        "symlink": corpus.with_name("soft.jsonl"),
        "dotted path": corpus.parent / "." / corpus.name,
    }[spelling]
    if spelling == "hard link":
        os.link(corpus, output)
    elif spelling == "symlink":
        output.symlink_to(corpus.name)
    code, out, err = cli("classify", corpus, "-o", output)
    assert code == 2 and out == ""
    assert "is also an input" in one_error_line(err)
    assert corpus.read_bytes() == before  # 3 records stay 3 records


def test_the_output_goes_through_a_temporary_file(cli, corpus, tmp_path):
    target = tmp_path / "profiles.jsonl"
    target.write_text("old content\n")
    mode = 0o640
    os.chmod(target, mode)
    code, _, _ = cli("classify", corpus, "-o", target)
    assert code == 0
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == ["a", "b", "c"]
    assert os.stat(target).st_mode & 0o777 == mode  # the file's permissions are kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles.jsonl", "v.jsonl"]


def test_a_run_that_fails_leaves_the_old_output_whole(cli, corpus, tmp_path, write):
    """--strict with a plugin that breaks on the second record: exit 2, old file untouched."""
    plugin = write("breaks.py", """
        from classifier import hookimpl

        @hookimpl
        def policy_classifier_refine_tags(sentence, tags, article):
            if article.id == "c":
                raise RuntimeError("broken on purpose")
    """)
    target = tmp_path / "profiles.jsonl"
    target.write_text("old content\n")
    code, _, err = cli("classify", corpus, "-o", target, "--plugin", plugin, "--strict")
    assert code == 2
    assert "broken on purpose" in one_error_line(err)
    assert target.read_text() == "old content\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_writing_through_a_symlink_writes_the_file_it_names(cli, corpus, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real.name)
    assert cli("classify", corpus, "-o", link).code == 0
    assert link.is_symlink() and len(real.read_text().splitlines()) == 3


@pytest.mark.parametrize("where, reason", [
    ("/dev/full", "No space left on device"),
    ("missing-folder/out.jsonl", "does not exist"),
    (".", "it is a folder"),
])
def test_an_output_that_cannot_be_written_is_one_line(corpus, tmp_path, where, reason):
    if where == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    done = run("classify", corpus, "-o", where, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    line = one_error_line(done.stderr)
    assert line.startswith(f"policy-classify: error: cannot write -o {where}") and reason in line


def test_dev_null_is_written_in_place(corpus, tmp_path):
    done = run("classify", corpus, "-o", "/dev/null", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert Path("/dev/null").is_char_device()


def test_summarize_refuses_its_input_as_output(cli, corpus, tmp_path):
    profiles = tmp_path / "profiles.jsonl"
    assert cli("classify", corpus, "-o", profiles).code == 0
    before = profiles.read_bytes()
    code, _, err = cli("summarize", profiles, "-o", profiles)
    assert code == 2 and "is also an input" in one_error_line(err)
    assert profiles.read_bytes() == before


PRINTING = """
import os, sys
print("loaded and chatty")
from classifier import hookimpl

@hookimpl
def policy_classifier_refine_tags(sentence, tags, article):
    print("refining", article.id)
    sys.stdout.flush()
    os.write(1, b"raw bytes on fd 1\\n")
    return None
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_printing_plugin_cannot_corrupt_jsonl_on_stdout(corpus, tmp_path, jobs):
    plugin = tmp_path / "chatty.py"
    plugin.write_text(PRINTING)
    done = run("classify", corpus, "--plugin", plugin, "--jobs", jobs)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert "loaded and chatty" in done.stderr and "raw bytes on fd 1" in done.stderr


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b]8;;http://x.invalid\x07link\x1b]8;;\x07\u202e"


def test_control_characters_never_reach_a_terminal_raw(cli, tmp_path):
    corpus = tmp_path / "esc.jsonl"
    corpus.write_text(json.dumps({"id": f"id{ESCAPES}", "text": f"The U.S. imposed {ESCAPES} sanctions on Iran."})
                      + "\n" + json.dumps({"id": f"bad{ESCAPES}", "text": None}) + "\n")
    code, out, err = cli("classify", corpus, "--format", "table", "-v", "--color", "never")
    assert code == 1
    for stream in (out, err):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "\\x1b[2J" in out and "\\u202e" in out  # spelled out, so the user still sees them
    assert len(err.strip().splitlines()) == 2  # the failed record's line and the summary


def test_explain_spells_out_control_characters(cli):
    code, out, _ = cli("explain", f"The U.S. imposed sanctions{ESCAPES} on Iran.")
    assert code == 0 and "\x1b" not in out and "\\x1b" in out


def test_json_output_keeps_the_text_exactly(cli, tmp_path):
    corpus = tmp_path / "esc.jsonl"
    corpus.write_text(json.dumps({"id": "e", "text": f"Sanctions{ESCAPES} were imposed on Iran."}) + "\n")
    code, out, _ = cli("classify", corpus, "--all-sentences")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and ESCAPES in record["sentences"][0]["text"]
