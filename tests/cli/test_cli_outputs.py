"""The output formats and ``summarize`` through the CLI, as an analyst would run them."""

from __future__ import annotations

import csv
import io
import json

import pytest

RECORDS = [
    {"id": "a", "published": "2026-01-05",
     "text": "The United States imposed sanctions on Venezuela. Washington threatened 25% tariffs on Mexico."},
    {"id": "b", "published": "2026-02-10",
     "text": "Mexico extradited 29 cartel members to the United States. Fans shouted =cmd|' /C calc'!A0."},
    {"id": "c", "published": "2026-02-11", "text": 17},
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_csv_has_one_row_per_record_and_every_action_column(cli, corpus):
    code, out, err = cli("classify", corpus, "--format", "csv", "--no-entry-points")
    assert code == 1 and "records ok" in err  # record c has no text
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["sanctions_modality"] == "asserted" and rows[0]["tariffs_modality"] == "threatened"
    assert rows[1]["extradition_mentions"] == "1" and rows[1]["dominant"] == "extradition"
    assert rows[2]["errors"].startswith("InvalidText") or "text" in rows[2]["errors"]
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["id", "lang", "dominant"] and header[-1] == "errors"
    for action in ("military", "sanctions", "tariffs", "extradition", "rewards"):
        assert f"{action}_score" in header


def test_csv_to_file_with_date_column(cli, corpus, tmp_path):
    target = tmp_path / "p.csv"
    cli("classify", corpus, "--format", "csv", "--date-field", "published", "-o", target)
    raw = target.read_bytes()
    assert raw.count(b"\r\n") == 4 and b"\r\r\n" not in raw  # RFC 4180 line ends, no doubling
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0]["date"] == "2026-01-05"


def test_table_verbose_shows_evidence(cli, corpus):
    code, out, _ = cli("classify", corpus, "--format", "table", "-v", "--color", "never")
    assert "[[United States imposed sanctions]]" in out or "imposed sanctions" in out
    assert "threatened" in out and "\x1b[" not in out


def test_html_report_is_one_file_with_a_row_per_record(cli, corpus, tmp_path):
    target = tmp_path / "r.html"
    cli("classify", corpus, "--format", "html", "-o", target, "--date-field", "published")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('class="pc-rec"') == 3
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_summarize_saved_profiles(cli, corpus, tmp_path):
    profiles = tmp_path / "p.jsonl"
    cli("classify", corpus, "--date-field", "published", "-o", profiles)
    code, out, _ = cli("summarize", profiles, "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert summary["records"] == 3
    assert [b["date"] for b in summary["dates"]["series"]][:2] == ["2026-01", "2026-02"]
    code, _, err = cli("summarize", tmp_path / "missing.jsonl")
    assert code == 2 and "missing.jsonl" in err
