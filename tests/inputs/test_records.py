"""Records: every input record gives exactly one output record, in input order.

What a user checks after an unattended run over scraped data: as many lines out as records in,
each bad record replaced by an error record that says what and where (file and line), stderr
naming each failed record and ending with a count, and the exit status telling whether anything
failed. Runs the real CLI in-process (``main``), with one worker and with two.
"""

from __future__ import annotations

import io
import json
import sys
import time

import pytest

PACK = """
[pack]
name = "records_test"
lang = "en"

[[rules]]
id = "sanctions.records_test"
action = "sanctions"
patterns = ['\\bfroze\\s+the\\s+holdings\\b']
"""

# One line per case; the expected kind of output for each, in order.
LINES: list[tuple[bytes, str]] = [
    (b'{"id": "good", "text": "The treasury froze the holdings of two traders."}', "profile"),
    (b'{"id": "broken", "text": "no closing quote}', "JSONDecodeError"),
    (b'{"id": "no-text"}', "MissingText"),
    (b'{"id": "number", "text": 42}', "InvalidText"),
    (b'{"id": "list", "text": ["a", "b"]}', "InvalidText"),
    (b'{"id": "null-text", "text": null}', "MissingText"),
    (b"null", "InvalidRecord"),
    (b'"just a string"', "InvalidRecord"),
    (b'{"id": "empty", "text": ""}', "profile"),
    (b'{"id": "blank", "text": "  \\t \\n "}', "profile"),
    (b"\x00\x01\x02\xfe\xff binary junk \x80\x81", "JSONDecodeError"),
    (b'{"id": "latin1", "text": "Caf\xe9 owners said the city froze the holdings."}', "profile"),
    (b'{"id": "nul", "text": "before\\u0000after, they froze the holdings"}', "profile"),
    ('{"id": "scripts", "text": "Москва. 北京。 القاهرة؟ दिल्ली। Αθήνα; 🙂"}'.encode(), "profile"),
    (b'{"id": "last", "text": "Nothing happened today."}', "profile"),
]


@pytest.fixture(autouse=True)
def only_sanctions(monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment,sanctions")


@pytest.fixture
def pack(write):
    return write("pack.toml", PACK)




@pytest.mark.parametrize("jobs", [1, 2])
def test_each_bad_record_gets_its_own_error_record_in_place(tmp_path, pack, cli, jobs):
    corpus = tmp_path / "scraped.jsonl"
    corpus.write_bytes(b"\n".join(line for line, _ in LINES) + b"\n")
    code, out, err = cli("classify", corpus, "--rules", pack, "--no-entry-points",
                             "--jobs", jobs)
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(LINES)
    for number, (record, (_, expected)) in enumerate(zip(records, LINES), 1):
        if expected == "profile":
            assert "error" not in record, record
        else:
            assert record["error"]["type"] == expected
            assert record["error"]["line"] == number
            assert record["error"]["message"]
            assert f"scraped.jsonl:{number}: {expected}" in err
    messages = {r["id"]: r["error"]["message"] for r in records if "error" in r and "id" in r}
    assert messages["null-text"] == "field 'text' is null"
    assert messages["no-text"] == "record has no 'text' field"
    failed = sum(1 for _, kind in LINES if kind != "profile")
    assert err.splitlines()[-1] == f"policy-classify: {len(LINES) - failed} records ok, {failed} failed"
    assert code == 1
    assert "Traceback" not in err


def test_profiles_of_odd_text_say_what_happened(tmp_path, pack, cli):
    corpus = tmp_path / "odd.jsonl"
    corpus.write_bytes(b"\n".join(line for line, _ in LINES) + b"\n")
    _, out, _ = cli("classify", corpus, "--rules", pack, "--no-entry-points")
    by_id = {r["id"]: r for r in map(json.loads, out.splitlines()) if "error" not in r}
    assert by_id["good"]["actions"]["sanctions"]["mentions"] == 1
    assert by_id["empty"]["sentences"] == [] and by_id["empty"]["errors"] == []
    assert by_id["blank"]["sentences"] == []
    decode = [e for e in by_id["latin1"]["errors"] if e["type"] == "DecodeWarning"]
    assert decode and "invalid UTF-8" in decode[0]["message"]
    assert by_id["latin1"]["actions"]["sanctions"]["mentions"] == 1  # still classified
    nul_tag = by_id["nul"]["sentences"][0]["tags"][0]
    assert nul_tag["text"] == "froze the holdings"
    assert by_id["scripts"]["errors"] == []


def test_a_clean_run_exits_0(tmp_path, pack, cli):
    corpus = tmp_path / "clean.jsonl"
    corpus.write_text('{"id": 1, "text": "The bank froze the holdings."}\n{"id": 2, "text": "Calm."}\n')
    code, out, err = cli("classify", corpus, "--rules", pack, "--no-entry-points")
    assert code == 0
    assert len(out.splitlines()) == 2
    assert err == ""


def test_a_truncated_last_line_from_a_closed_pipe_is_one_error_record(pack, cli, monkeypatch):
    """The producer died mid-record: the half line gets an error record, the rest is kept."""
    data = b'{"id": "a", "text": "Quiet day."}\n{"id": "b", "text": "They froze the hol'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = cli("classify", "-", "--rules", pack, "--no-entry-points")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r.get("id") for r in records] == ["a", None]
    assert records[1]["error"] == {"type": "JSONDecodeError", "line": 2, "source": "<stdin>",
                                   "message": records[1]["error"]["message"]}
    assert "<stdin>:2: JSONDecodeError" in err
    assert code == 1


def test_a_10_mb_line_without_a_newline(tmp_path, pack, cli):
    words = "word " * 2_000_000  # 10 MB of one sentence, no line end anywhere
    corpus = tmp_path / "long.jsonl"
    corpus.write_text(json.dumps({"id": "long", "text": words + "They froze the holdings."}))
    plain = tmp_path / "long.txt"
    plain.write_text(words)
    started = time.perf_counter()
    code, out, err = cli("classify", corpus, plain, "--rules", pack, "--no-entry-points")
    assert code == 0, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["actions"]["sanctions"]["mentions"] == 1
    assert second["id"] == str(plain) and second["errors"] == []
    assert time.perf_counter() - started < 60


@pytest.mark.slow
def test_one_article_of_50_mb(tmp_path, pack, cli):
    # Long sentences: the cost under test is the size, not two million sentence boundaries.
    paragraph = "The long report listed " + "rivers, hills, valleys and lakes, " * 60 + "in order.\n"
    body = paragraph * (50_000_000 // len(paragraph) + 1)
    article = tmp_path / "huge.txt"
    article.write_text(body[:25_000_000] + "The regulator froze the holdings of the fund. "
                       + body[25_000_000:50_000_000])
    assert article.stat().st_size >= 50_000_000
    code, out, err = cli("classify", article, "--rules", pack, "--no-entry-points")
    assert code == 0, err
    (profile,) = (json.loads(line) for line in out.splitlines())
    tag = profile["sentences"][0]["tags"][0]
    assert tag["text"] == "froze the holdings"
    assert tag["span"][0] > 25_000_000


def test_csv_rows_keep_their_line_numbers(tmp_path, pack, cli):
    corpus = tmp_path / "rows.csv"
    corpus.write_text('id,text\nr1,They froze the holdings.\nr2,\nr3,"Calm day."\n', encoding="utf-8")
    code, out, err = cli("classify", corpus, "--rules", pack, "--no-entry-points")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["r1", "r2", "r3"]
    assert records[0]["actions"]["sanctions"]["mentions"] == 1
    assert "error" not in records[1]  # an empty text field is an empty article, not an error
    assert code == 0, err


def test_the_api_reports_bad_records_in_place(engine):
    results = list(engine.classify_many(["Calm.", ("id-2", None), 7, {"id": "x", "text": "Fine."}]))
    assert len(results) == 4
    assert type(results[1]).__name__ == "ErrorRecord" and results[1].line == 2
    assert type(results[2]).__name__ == "ErrorRecord" and results[2].line == 3
    assert results[3].id == "x"


def test_empty_input_gives_no_records_and_exit_0(tmp_path, pack, cli):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    code, out, err = cli("classify", empty, "--rules", pack, "--no-entry-points")
    assert (code, out, err) == (0, "", "")


def test_a_file_of_binary_junk_named_jsonl(tmp_path, pack, cli):
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(bytes(range(256)) * 4)  # 4 "lines" split wherever 0x0a falls
    code, out, err = cli("classify", junk, "--rules", pack, "--no-entry-points")
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(r["error"]["type"] == "JSONDecodeError" for r in records)
    assert [r["error"]["line"] for r in records] == list(range(1, len(records) + 1))
    assert code == 1


def test_json_that_breaks_the_parser_itself_is_an_error_record(tmp_path, pack, cli):
    """Nested 100,000 deep (RecursionError) or an integer past Python's digit limit (ValueError):
    not JSONDecodeError inside ``json``, but still one error record each, and the run goes on."""
    corpus = tmp_path / "parser.jsonl"
    corpus.write_text("\n".join([
        "[" * 100_000 + "]" * 100_000,
        '{"id": ' + "7" * 5000 + ', "text": "Big id."}',
        '{"id": "after", "text": "They froze the holdings."}',
    ]) + "\n")
    code, out, err = cli("classify", corpus, "--rules", pack, "--no-entry-points")
    records = [json.loads(line) for line in out.splitlines()]
    assert records[0]["error"] == {"type": "JSONDecodeError", "message": "invalid JSON: nested too deeply",
                                   "line": 1, "source": str(corpus)}
    assert records[1]["error"]["type"] == "JSONDecodeError" and records[1]["error"]["line"] == 2
    assert records[2]["id"] == "after" and records[2]["actions"]["sanctions"]["mentions"] == 1
    assert code == 1 and "Traceback" not in err


def test_lone_surrogates_are_replaced_and_reported(tmp_path, pack, cli):
    """``"\\ud800"`` is valid JSON but cannot be written as UTF-8: it must not crash the writer."""
    corpus = tmp_path / "surrogates.jsonl"
    corpus.write_text('{"id": "half\\udfff", "text": "They froze the holdings \\ud800 today."}\n'
                      '{"id": "next", "text": "Calm."}\n')
    code, out, err = cli("classify", corpus, "--rules", pack, "--no-entry-points")
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["id"] == "half\ufffd"
    assert first["sentences"][0]["text"] == "They froze the holdings \ufffd today."
    assert first["errors"] == [{"type": "DecodeWarning",
                                "message": "lone UTF-16 surrogates in the text; replaced with U+FFFD"}]
    assert second["id"] == "next"
    assert code == 0
