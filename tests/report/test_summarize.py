"""Corpus summaries of saved profiles: counts, modality mix, actors, figures, dates, renderers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sample_profiles import (
    Mark,
    empty_profile,
    extradition_profile,
    make_profile,
    reward_profile,
    sanctions_profile,
)

from classifier.cli.summarize import summarize_command
from classifier.errors import ConfigError
from classifier.report.output import make_writer
from classifier.report.summarize import (
    date_key,
    read_profiles,
    render_csv,
    render_json,
    render_table,
    summarize_profiles,
)
from classifier.report.writer import dumps


def saved(profile, date=None):
    """A profile as a saved JSON line reads back (what `summarize` sees)."""
    data = json.loads(dumps(profile.to_dict()))
    if date is not None:
        data["date"] = date
    return data


def corpus():
    second_reward = make_profile("reward-2", "Washington offered a reward of $5 million for the fugitive.", [
        Mark("offered a reward of $5 million", "rewards", actor="United States", target="fugitive",
             amounts=((5_000_000, "USD", "$5 million"),)),
    ])
    euro_reward = make_profile("reward-3", "Paris offered a reward of €2 million for the suspect.", [
        Mark("offered a reward of €2 million", "rewards", actor="France",
             amounts=((2_000_000, "EUR", "€2 million"),)),
    ])
    return [
        saved(reward_profile(), "2024-03-05"),
        saved(second_reward, "2024-03-20T08:00:00Z"),
        saved(euro_reward, "2024-04-02"),
        saved(sanctions_profile(), "2024-04-02"),
        saved(extradition_profile()),
        saved(empty_profile(), "not a date"),
        {"id": "broken", "error": {"type": "MissingText", "message": "no text", "line": 9}},
        {"id": "weird"},  # neither profile nor error record
    ]


def test_counts_and_error_records():
    summary = summarize_profiles(corpus())
    assert summary["records"] == 8
    assert summary["articles"] == 6
    assert summary["with_actions"] == 5
    assert summary["error_records"] == 2
    assert summary["error_types"] == {"InvalidRecord": 1, "MissingText": 1}
    assert summary["langs"] == {"en": 6}


def test_per_action_counts_modality_and_actors():
    actions = summarize_profiles(corpus())["actions"]
    assert list(actions)[0] == "rewards"  # most articles first
    rewards = actions["rewards"]
    assert (rewards["articles"], rewards["mentions"], rewards["dominant"]) == (3, 3, 3)
    assert rewards["actors"] == [{"name": "United States", "articles": 2}, {"name": "France", "articles": 1}]
    sanctions = actions["sanctions"]
    assert sanctions["mentions"] == 2
    assert sanctions["modality"] == {"asserted": 1, "negated": 1}
    assert sanctions["strongest"] == {"asserted": 1}
    assert actions["tariffs"]["strongest"] == {"threatened": 1}
    assert actions["tariffs"]["pairs"] == [
        {"actor": "Iran", "target": "United States", "modality": "threatened", "articles": 1}
    ]


def test_amounts_money_per_currency_people_and_rates():
    actions = summarize_profiles(corpus())["actions"]
    assert actions["rewards"]["amounts"]["totals"] == {"EUR": 2_000_000, "USD": 15_000_000}
    assert actions["extradition"]["amounts"]["totals"] == {"people": 29}
    assert actions["tariffs"]["amounts"] == {"totals": {}, "rates": [25]}


@pytest.mark.parametrize("bucket, expected", [
    ("month", [("2024-03", 2), ("2024-04", 2)]),
    ("day", [("2024-03-05", 1), ("2024-03-20", 1), ("2024-04-02", 2)]),
    ("year", [("2024", 4)]),
])
def test_date_buckets(bucket, expected):
    dates = summarize_profiles(corpus(), bucket=bucket)["dates"]
    assert dates["bucket"] == bucket
    assert [(p["date"], p["articles"]) for p in dates["series"]] == expected
    assert dates["undated"] == 2  # no date, and "not a date"


def test_date_series_per_action_and_dominant():
    april = summarize_profiles(corpus())["dates"]["series"][1]
    assert april["actions"] == {"rewards": 1, "sanctions": 1, "tariffs": 1}
    assert april["dominant"] == {"rewards": 1, "sanctions": 1}


def test_date_from_kept_input_fields_and_date_keys():
    record = saved(reward_profile())
    record["extra"] = {"fields": {"published": "2023/7/4"}}
    summary = summarize_profiles([record], bucket="day", date_field="published")
    assert summary["dates"]["series"][0]["date"] == "2023-07-04"
    assert date_key("2024-05") == "2024-05" and date_key(20240501) is None and date_key("May 1") is None


def test_bad_bucket():
    with pytest.raises(ValueError, match="bucket"):
        summarize_profiles([], bucket="week")


def test_empty_corpus():
    summary = summarize_profiles([])
    assert summary["records"] == 0 and summary["actions"] == {} and summary["dates"]["series"] == []
    assert "0 records" in render_table(summary)


def test_renderers():
    summary = summarize_profiles(corpus())
    assert json.loads(render_json(summary)) == summary
    text = render_table(summary)
    assert "rewards: 3 articles, 3 mentions" in text
    assert "totals (asserted): 2,000,000 EUR; 15,000,000 USD" in text
    assert "Iran -> United States [threatened] (1)" in text
    assert "2024-04  2 articles" in text
    rows = list(csv.reader(io.StringIO(render_csv(summary), newline="")))
    assert rows[0] == ["metric", "action", "key", "value"]
    assert ["total", "rewards", "USD", "15000000"] in rows
    assert ["rate", "tariffs", "percent", "25"] in rows
    assert ["month_articles", "", "2024-04", "2"] in rows


def test_csv_summary_guards_formula_cells():
    hostile = make_profile("h", "Rome imposed sanctions on the firm.", [
        Mark("imposed sanctions", "sanctions", actor='=cmd|"/C calc"!A0', target="@evil")])
    rows = list(csv.reader(io.StringIO(render_csv(summarize_profiles([saved(hostile)])), newline="")))
    assert ["actor", "sanctions", "'=cmd|\"/C calc\"!A0", "1"] in rows
    assert ["target", "sanctions", "'@evil", "1"] in rows


def test_read_profiles_jsonl_with_a_bad_line_json_array_and_pretty_object(tmp_path):
    lines = [dumps(reward_profile().to_dict()), "{not json", "", dumps(empty_profile().to_dict())]
    records = list(read_profiles(io.StringIO("\n".join(lines) + "\n")))
    assert [r.get("id") for r in records] == ["reward-1", None, "quiet-1"]
    assert records[1]["error"]["type"] == "InvalidJSON"
    array = json.dumps([reward_profile().to_dict(), empty_profile().to_dict()], indent=2)
    assert len(list(read_profiles(io.StringIO(array)))) == 2
    pretty = tmp_path / "one.json"
    pretty.write_text(json.dumps(reward_profile().to_dict(), indent=2), encoding="utf-8")
    with open(pretty, encoding="utf-8") as handle:
        assert [r["id"] for r in read_profiles(handle)] == ["reward-1"]


def test_summarize_command_reads_what_the_writers_wrote(tmp_path):
    path = tmp_path / "profiles.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        writer = make_writer("jsonl", out)
        writer.write(reward_profile(), date="2024-01-02")
        writer.write(extradition_profile(), date="2024-02-03")
        writer.close()
    out = io.StringIO()
    assert summarize_command([str(path)], fmt="json", bucket="month", out=out) == 0
    summary = json.loads(out.getvalue())
    assert summary["articles"] == 2
    assert [p["date"] for p in summary["dates"]["series"]] == ["2024-01", "2024-02"]
    with pytest.raises(ConfigError, match="missing.jsonl"):
        summarize_command([str(tmp_path / "missing.jsonl")], out=io.StringIO())


def test_summary_of_real_engine_profiles(write):
    from classifier.pipeline.engine import Engine

    pack = write("pack.toml", """
        [pack]
        name = "summary_test"
        lang = "en"

        [[rules]]
        id = "extradition.summary_test"
        action = "extradition"
        patterns = ['\\bextradited\\b']
        examples.match = ["Peru extradited the suspect."]
        examples.no_match = ["Peru arrested the suspect."]
    """)
    engine = Engine(rules=[pack], entry_points=False,
                    env={"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions,military,rewards,tariffs,extradition"})
    texts = ["Peru extradited two suspects to Spain.", "The weather was mild.", "Chile extradited a banker."]
    summary = summarize_profiles(saved(engine.classify(t, id=str(i))) for i, t in enumerate(texts))
    assert summary["actions"]["extradition"]["articles"] == 2
    assert summary["with_actions"] == 2


def test_fill_gaps_adds_empty_buckets_between_dates():
    from classifier.report.summarize import CorpusSummary

    summary = CorpusSummary()
    for date in ("2023-11-30", "0001-01-01"):  # a stray date: no millions of empty buckets
        summary.add(saved(reward_profile(), date))
    assert len(summary.result(bucket="day", fill_gaps=True)["dates"]["series"]) == 2
    assert len(summary.result(bucket="year", fill_gaps=True)["dates"]["series"]) == 2023  # under the cap
    summary = CorpusSummary()
    for date in ("2023-11-30", "2024-02-01"):
        summary.add(saved(reward_profile(), date))
    months = summary.result(bucket="month", fill_gaps=True)["dates"]["series"]
    assert [(p["date"], p["articles"]) for p in months] == [
        ("2023-11", 1), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert len(summary.result(bucket="day", fill_gaps=True)["dates"]["series"]) == 64
    assert len(summary.result(bucket="day")["dates"]["series"]) == 2
