"""Input edge cases: byte-order marks, broken CSV, dot-folders, FIFOs, devices and huge records.

What a user checks after pointing the CLI at whatever a scraper or an export left behind: records
in = records out, one stderr line per failed record and no traceback, exit 1 when a record
failed, and a run that ends (a FIFO or ``/dev/zero`` must not hang it or eat all memory).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from classifier.inputs.readers import DEFAULT_MAX_RECORD_BYTES, ReadOptions, iter_records

BOM = b"\xef\xbb\xbf"
MIB = 1 << 20


@pytest.fixture(autouse=True)
def only_splitter(monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment")


@pytest.fixture
def classify(cli):
    """classify(path, ...) -> (exit code, JSONL records, stderr lines other than the count)."""

    def _classify(*argv: object) -> tuple[int, list[dict], list[str]]:
        result = cli("classify", *argv, "--no-entry-points")
        assert "Traceback" not in result.err
        lines = [line for line in result.err.splitlines() if not line.endswith(" failed")]
        return result.code, result.records, lines

    return _classify


def read(path: Path | str, **options: object) -> list:
    return list(iter_records([str(path)], ReadOptions(**options)))  # type: ignore[arg-type]


def run_python(code: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter with at most 2 GiB of address space: a reader that ignores
    its cap fails here with MemoryError (or the timeout) instead of taking the machine down."""

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit_memory,
                          env={**os.environ, "POLICY_CLASSIFIER_PLUGINS": "segment"}, **kwargs)


# -- 9: a UTF-8 byte-order mark is not content -------------------------------------------------


def test_jsonl_on_stdin_with_a_bom_is_still_jsonl(cli, monkeypatch):
    data = BOM + b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n{"id": "c", "text": "Three."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = cli("classify", "-", "--no-entry-points")
    assert [r["id"] for r in result.records] == ["a", "b", "c"]
    assert (result.code, result.err) == (0, "")


def test_text_on_stdin_with_a_bom_loses_it():
    records = list(iter_records(["-"], ReadOptions(), stdin=io.BytesIO(BOM + "Plain words.".encode())))
    assert [r.text for r in records] == ["Plain words."]


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_a_jsonl_file_with_a_bom(tmp_path, fmt):
    corpus = tmp_path / "bom.jsonl"
    corpus.write_bytes(BOM + b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    assert [(r.id, r.error) for r in read(corpus, input_format=fmt)] == [("a", None), ("b", None)]


def test_a_csv_with_a_bom_names_its_first_column_id(tmp_path, classify):
    corpus = tmp_path / "bom.csv"
    corpus.write_bytes(BOM + b"id,text\nr1,First row.\nr2,Second row.\n")
    code, records, err = classify(corpus)
    assert [r["id"] for r in records] == ["r1", "r2"]
    assert (code, err) == (0, [])


def test_a_text_file_with_a_bom_does_not_keep_it(tmp_path):
    article = tmp_path / "bom.txt"
    article.write_bytes(BOM + "Caf\u00e9 owners met.".encode())
    (record,) = read(article)
    assert record.text == "Caf\u00e9 owners met."
    assert record.warning is None


def test_only_a_leading_bom_goes(tmp_path):
    article = tmp_path / "inner.txt"
    article.write_bytes(b"Before" + BOM + b"after.")
    assert read(article)[0].text == "Before\ufeffafter."


# -- 10: broken CSV --------------------------------------------------------------------------


def test_a_csv_quote_that_never_closes_is_an_error_record_naming_its_line(tmp_path, classify):
    corpus = tmp_path / "quote.csv"
    corpus.write_text('id,text\nr1,Fine.\nr2,"never closed\nr3,swallowed\nr4,swallowed too\n',
                      encoding="utf-8")
    code, records, err = classify(corpus)
    assert records[0]["id"] == "r1" and "error" not in records[0]
    error = records[1]["error"]
    assert len(records) == 2
    assert error["type"] == "CSVError" and error["line"] == 3
    assert "line 3" in error["message"] and "2 lines" in error["message"]
    assert err == [f"policy-classify: {corpus}:3: CSVError: {error['message']}"]
    assert code == 1


def test_quotes_that_csv_accepts_are_not_reported(tmp_path, classify):
    corpus = tmp_path / "ok.csv"
    corpus.write_text('id,text\nr1,"Two\nlines, one cell."\nr2,A 5" screen.\nr3,"Said ""no""."\n'
                      'r4,"x"y"z\nr5,last\n', encoding="utf-8")
    code, records, err = classify(corpus)
    assert [r["id"] for r in records] == ["r1", "r2", "r3", "r4", "r5"]
    assert (code, err) == (0, [])


def test_csv_rows_match_the_csv_module(tmp_path):
    import csv

    text = ('id,text,n\r\n"a","multi\r\nline",1\r\nb,"quoted ""inner""\n\nstill",2\r\n'
            'c,plain "quote",3\r\n\r\nd,,4\re,old mac,5\n,,\nf,"x""\n""y",6')
    corpus = tmp_path / "mixed.csv"
    corpus.write_bytes(text.encode())
    expected = list(csv.DictReader(io.StringIO(text, newline="")))
    records = read(corpus, id_field="id", keep_fields=("n",))
    assert [(r.id, r.text, dict(r.fields).get("n")) for r in records] == [
        (row["id"], row["text"], row["n"]) for row in expected]
    assert [r.line for r in records] == [3, 6, 7, 9, 10, 11, 13]  # the line each row ends on


def test_invalid_utf8_in_a_csv_is_a_warning_with_its_line(tmp_path, classify):
    corpus = tmp_path / "latin1.csv"
    corpus.write_bytes(b'id,text\nr1,Clean.\nr2,"First line,\nthen caf\xe9 latin-1"\nr3,Clean again.\n')
    code, records, err = classify(corpus)
    assert [r["id"] for r in records] == ["r1", "r2", "r3"]
    (warning,) = records[1]["errors"]
    assert warning["type"] == "DecodeWarning"
    assert warning["message"].startswith("invalid UTF-8 at line 4")
    assert "replaced with U+FFFD" in warning["message"]
    assert records[0]["errors"] == [] and records[2]["errors"] == []
    assert err == [f"policy-classify: warning: r2: DecodeWarning: {warning['message']}"
                   " (reported once per run; each profile lists its own)"]
    assert code == 0


def test_the_replaced_csv_text_has_u_fffd(tmp_path):
    corpus = tmp_path / "latin1.csv"
    corpus.write_bytes(b"id,text\nr1,caf\xe9\n")
    (record,) = read(corpus)
    assert record.text == "caf\ufffd"
    assert record.warning == "invalid UTF-8 at line 2 (byte 6); replaced with U+FFFD"


# -- 11: dot-folders are not walked ------------------------------------------------------------


def test_dot_folders_are_skipped_when_walking(tmp_path, classify):
    (tmp_path / "t" / ".git").mkdir(parents=True)
    (tmp_path / "t" / ".git" / "x.txt").write_text("Git internals, not an article.")
    (tmp_path / "t" / "sub" / ".cache").mkdir(parents=True)
    (tmp_path / "t" / "sub" / ".cache" / "y.txt").write_text("A cache.")
    (tmp_path / "t" / "a.txt").write_text("An article.")
    code, records, err = classify(tmp_path / "t")
    assert [r["id"] for r in records] == [str(tmp_path / "t" / "a.txt")]
    assert (code, err) == (0, [])


def test_a_dot_folder_named_directly_is_read(tmp_path, classify):
    (tmp_path / "t" / ".git").mkdir(parents=True)
    (tmp_path / "t" / ".git" / "x.txt").write_text("Asked for by name.")
    code, records, _ = classify(tmp_path / "t" / ".git")
    assert [r["id"] for r in records] == [str(tmp_path / "t" / ".git" / "x.txt")]
    assert code == 0


# -- 12: FIFOs, devices and records over the cap -----------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_in_a_folder_does_not_hang_the_run(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("Before the pipe.")
    os.mkfifo(folder / "b.pipe")
    (folder / "c.txt").write_text("After the pipe.")
    done = subprocess.run([sys.executable, "-m", "classifier", "classify", str(folder), "--no-entry-points"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "POLICY_CLASSIFIER_PLUGINS": "segment"})
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == [str(folder / n) for n in ("a.txt", "b.pipe", "c.txt")]
    error = records[1]["error"]
    assert error["type"] == "NotARegularFile" and "FIFO" in error["message"]
    assert done.stderr.splitlines() == [
        f"policy-classify: {folder / 'b.pipe'}: NotARegularFile: {error['message']}",
        "policy-classify: 2 records ok, 1 failed",
    ]
    assert done.returncode == 1


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_in_a_folder_is_skipped_not_read(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    done = run_python(f"""
        from classifier.inputs.readers import ReadOptions, iter_records
        for record in iter_records([{str(tmp_path)!r}], ReadOptions()):
            print(record.id, record.error)
    """)
    assert done.stderr == ""
    assert done.stdout.splitlines() == [f"{tmp_path / 'zero'} ('NotARegularFile', "
                                        "'is a character device; skipped (only regular files are read from a folder)')"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_named_directly_stops_at_the_cap():
    done = run_python("""
        from classifier.inputs.readers import ReadOptions, iter_records
        for record in iter_records(["/dev/zero"], ReadOptions(max_record_bytes=1 << 20)):
            print(record.id, record.error)
    """, timeout=60)
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "/dev/zero ('RecordTooLarge', 'larger than the record size cap of 1,048,576 bytes (1 MiB); skipped')"]


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash for <(...)")
def test_a_pipe_named_directly_is_read(tmp_path):
    """Process substitution hands the CLI a path like /dev/fd/63: a pipe, read like a file."""
    done = subprocess.run(["/bin/bash", "-c", f"{sys.executable} -m classifier classify --no-entry-points "
                           "<(printf 'Words from a pipe.')"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "POLICY_CLASSIFIER_PLUGINS": "segment"})
    (record,) = (json.loads(line) for line in done.stdout.splitlines())
    assert record["id"].startswith("/dev/fd/") and "error" not in record
    assert (done.returncode, done.stderr) == (0, "")


def test_the_default_cap_is_256_mib():
    assert DEFAULT_MAX_RECORD_BYTES == 256 * MIB
    assert ReadOptions().max_record_bytes == DEFAULT_MAX_RECORD_BYTES


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_a_cap_that_is_not_a_positive_whole_number_is_a_config_error(bad):
    from classifier.errors import ConfigError

    with pytest.raises(ConfigError, match="max_record_bytes"):
        ReadOptions(max_record_bytes=bad)  # type: ignore[arg-type]


def test_a_text_file_at_the_cap_is_read_and_one_byte_over_is_not(tmp_path):
    at = tmp_path / "at.txt"
    at.write_bytes(b"x" * 1000)
    over = tmp_path / "over.txt"
    over.write_bytes(b"x" * 1001)
    first, second = list(iter_records([str(at), str(over)], ReadOptions(max_record_bytes=1000)))
    assert first.error is None and len(first.text) == 1000
    assert second.error == ("RecordTooLarge", "larger than the record size cap of 1,000 bytes; skipped")
    assert (second.id, second.source) == (str(over), str(over))


def test_text_on_stdin_over_the_cap():
    records = list(iter_records(["-"], ReadOptions(max_record_bytes=100), stdin=io.BytesIO(b"y" * 20_000)))
    assert [(r.id, r.error[0]) for r in records] == [("<stdin>", "RecordTooLarge")]


def test_a_jsonl_line_over_the_cap_is_skipped_in_bounded_memory(tmp_path):
    corpus = tmp_path / "big.jsonl"
    with open(corpus, "wb") as out:
        out.write(b'{"id": "before", "text": "Fine."}\n')
        out.write(b'{"id": "huge", "text": "' + b"word " * (8 * MIB // 5) + b'"}\n')
        out.write(b'{"id": "after", "text": "Fine too."}\n')
        out.write(b'{"id": "last", "text": "' + b"z" * (2 * MIB) + b'"}')  # no newline at the end
    options = ReadOptions(max_record_bytes=64 * 1024)
    tracemalloc.start()
    try:
        records = list(iter_records([str(corpus)], options))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.id, r.line, r.error and r.error[0]) for r in records] == [
        ("before", 1, None), (None, 2, "RecordTooLarge"), ("after", 3, None), (None, 4, "RecordTooLarge")]
    assert records[1].error[1] == "line larger than the record size cap of 65,536 bytes (64 KiB); skipped"
    assert peak < 4 * MIB, peak  # the 8 MiB line was never held whole


def test_a_jsonl_line_over_the_cap_through_the_cli(tmp_path, classify):
    corpus = tmp_path / "big.jsonl"
    corpus.write_text('{"id": "a", "text": "Fine."}\n{"id": "b", "text": "' + "w" * MIB + '"}\n'
                      '{"id": "c", "text": "Fine."}\n')
    code, records, err = classify(corpus, "--max-record-mb", 1)
    assert [r.get("id") for r in records] == ["a", None, "c"]
    assert records[1]["error"] == {"type": "RecordTooLarge", "line": 2, "source": str(corpus), "message":
                                   "line larger than the record size cap of 1,048,576 bytes (1 MiB); skipped"}
    assert err == [f"policy-classify: {corpus}:2: RecordTooLarge: {records[1]['error']['message']}"]
    assert code == 1


@pytest.mark.slow
def test_a_csv_row_over_the_cap_is_skipped_and_the_next_rows_are_read(tmp_path):
    corpus = tmp_path / "big.csv"
    with open(corpus, "wb") as out:
        out.write(b"id,text\nr1,Fine.\n")
        out.write(b'r2,"' + b"a quoted, long\nfield over lines\n" * 200_000 + b'"\n')  # lines 3..200003
        out.write(b"r3,Fine too.\n")
    tracemalloc.start()
    try:
        records = read(corpus, max_record_bytes=64 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.id, r.line, r.error and r.error[0]) for r in records] == [
        ("r1", 2, None), (None, 3, "RecordTooLarge"), ("r3", 400_004, None)]
    assert records[1].error[1] == ("row larger than the record size cap of 65,536 bytes (64 KiB); "
                                   "skipped (lines 3-400003)")
    assert peak < 4 * MIB, peak


def test_a_csv_row_over_the_cap_whose_quote_never_closes(tmp_path):
    corpus = tmp_path / "open.csv"
    corpus.write_bytes(b'id,text\nr1,"' + b"x" * 5000 + b"\nmore\nand more\n")
    (record,) = read(corpus, max_record_bytes=1000)
    assert record.error[0] == "CSVError" and record.line == 2
    assert "line 2" in record.error[1] and "2 lines" in record.error[1]
