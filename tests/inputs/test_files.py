"""Files: missing, unreadable, binary, looping and closed inputs are one clear line each.

Every path the user names (and every file below a folder) yields at least one output record, so
a problem with a file is visible in the output where the file's records would have been, and on
stderr as one line naming the file. Binary files are given an error record (``BinaryFile``)
rather than skipped, so counting output records still accounts for every input file (README,
"Errors and reliability").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from classifier.cli.main import main
from classifier.inputs.readers import ReadOptions, iter_records


@pytest.fixture(autouse=True)
def only_splitter(monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment")


@pytest.fixture
def classify(cli):
    """classify(path, ...) -> (exit code, JSONL records, stderr), without installed plugins."""

    def _classify(*argv: object) -> tuple[int, list[dict], str]:
        result = cli("classify", *argv, "--no-entry-points")
        return result.code, result.records, result.err

    return _classify


def one_line_errors(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if not line.endswith(" failed")]


def test_a_missing_path_is_an_error_record_naming_it(tmp_path, classify):
    missing = tmp_path / "nowhere" / "gone.txt"
    code, records, err = classify(missing)
    assert records == [{"id": str(missing), "error": {
        "type": "FileNotFound", "message": "cannot open: No such file or directory", "source": str(missing)}}]
    assert one_line_errors(err) == [f"policy-classify: {missing}: FileNotFound: cannot open: No such file or directory"]
    assert code == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads a chmod 000 file anyway; the simulated case below covers it")
def test_an_unreadable_file_really_chmod_000(tmp_path, classify):
    secret = tmp_path / "secret.txt"
    secret.write_text("Nothing to see.")
    secret.chmod(0)
    try:
        code, records, err = classify(secret)
    finally:
        secret.chmod(0o644)
    assert records[0]["error"]["type"] == "FileError"
    assert "Permission denied" in records[0]["error"]["message"]
    assert code == 1


def test_an_unreadable_file_simulated(tmp_path, classify, monkeypatch):
    """Whoever runs the tests (root included): ``open`` refusing the file as the OS would."""
    import classifier.inputs.readers as io_module

    secret = tmp_path / "secret.txt"
    secret.write_text("Nothing to see.")
    other = tmp_path / "other.txt"
    other.write_text("Still read.")

    def refusing_open(path, *args, **kwargs):
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(io_module, "open", refusing_open, raising=False)
    code, records, err = classify(secret, other)
    assert records[0] == {"id": str(secret), "error": {
        "type": "FileError", "message": "cannot read: Permission denied", "source": str(secret)}}
    assert records[1]["id"] == str(other) and "error" not in records[1]
    assert one_line_errors(err) == [f"policy-classify: {secret}: FileError: cannot read: Permission denied"]
    assert code == 1


def test_a_folder_that_cannot_be_listed_is_not_skipped_silently(tmp_path, classify, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("Readable.")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("Hidden behind permissions.")
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    code, records, err = classify(tmp_path)
    assert [r["id"] for r in records] == [str(locked), str(tmp_path / "ok" / "a.txt")]  # sorted
    assert records[0]["error"] == {"type": "FileError", "source": str(locked),
                                   "message": "cannot list folder: Permission denied"}
    assert code == 1


def test_a_folder_with_mixed_content(tmp_path, classify):
    folder = tmp_path / "drop"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text("A plain article about the weather.", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"id": "j1", "text": "One."}\n{"id": "j2", "text": "Two."}\n')
    (folder / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "nested" / "d.csv").write_text("id,text\nc1,From a table.\n")
    (folder / "e.txt").write_bytes(b"latin-1 text: se\xf1or")
    (folder / ".hidden.txt").write_text("Editors' swap files and dotfiles are not articles.")
    code, records, err = classify(folder)
    ids = [r["id"] for r in records]
    assert ids == [str(folder / "a.txt"), "j1", "j2", str(folder / "c.png"), str(folder / "e.txt"), "c1"]
    binary = records[3]["error"]
    assert binary["type"] == "BinaryFile" and "binary" in binary["message"]
    assert records[4]["errors"][0]["type"] == "DecodeWarning"
    assert one_line_errors(err) == [
        f"policy-classify: {folder / 'c.png'}: BinaryFile: {binary['message']}",
        f"policy-classify: warning: {folder / 'e.txt'}: DecodeWarning: {records[4]['errors'][0]['message']}"
        " (reported once per run; each profile lists its own)",
    ]
    assert code == 1


def test_symlink_loops_are_walked_once_and_named(tmp_path, classify):
    folder = tmp_path / "tree"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("Only once.")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)  # tree/sub/back -> tree
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a link to itself
    code, records, err = classify(folder, folder / "self.txt")
    ids = [r["id"] for r in records]
    assert ids.count(str(folder / "sub" / "a.txt")) == 1
    loops = [r for r in records if "error" in r]
    assert [r["error"]["type"] for r in loops] == ["FileError", "FileError"]
    assert all("symbolic links" in r["error"]["message"] for r in loops)
    assert code == 1


def test_stdin_closed_before_start_is_one_error_line(tmp_path):
    """Run from a script with stdin closed (``<&-``): no traceback, one record, exit 1."""
    done = subprocess.run(
        [sys.executable, "-m", "classifier", "classify", "--no-entry-points"],
        stdin=None, capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: os.close(0),
        env={**os.environ, "POLICY_CLASSIFIER_PLUGINS": "segment"},
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"]["type"] == "StdinClosed"
    assert done.stderr.splitlines()[0] == "policy-classify: <stdin>: StdinClosed: stdin is closed; nothing to read"
    assert "Traceback" not in done.stderr


class FailingStream:
    """A pipe that delivers two lines and then fails the way a dead NFS mount or device does."""

    def __init__(self) -> None:
        self._lines = [b'{"id": "1", "text": "First."}\n', b'{"id": "2", "text": "Second."}\n']

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        if self._lines:
            return self._lines.pop(0)
        raise OSError(5, "Input/output error")

    def read(self, size: int = -1) -> bytes:
        raise OSError(5, "Input/output error")


def test_a_read_that_fails_part_way_ends_with_an_error_record():
    records = list(iter_records(["-"], ReadOptions(input_format="jsonl"), stdin=FailingStream()))
    assert [r.id for r in records] == ["1", "2", "<stdin>"]
    assert records[-1].error == ("ReadError", "reading stopped after line 2: Input/output error")


def test_a_bad_input_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["classify", "--input-format", "xml", "x"])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that stores raw bytes in names")
def test_a_file_name_that_is_not_utf8_keeps_the_output_valid_utf8(tmp_path, capsysbinary):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("An ordinary article.")
    code = main(["classify", str(folder), "--no-entry-points"])
    out = capsysbinary.readouterr().out.decode("utf-8")  # strict: raises on any invalid byte
    assert json.loads(out)["id"] == str(folder / "caf\ufffd.txt")
    assert code == 0
