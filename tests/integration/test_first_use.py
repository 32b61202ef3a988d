"""What a new user hit on first use (issue 15), each pinned by a test that failed before the fix."""

from __future__ import annotations

import json

import pytest

from classifier import Engine
from classifier.errors import ConfigError
from classifier.model import ActionSummary, ErrorRecord
from classifier.pipeline.merge import dominant_action


def test_rules_stats_names_a_missing_input_and_exits_1(cli, tmp_path):
    missing = tmp_path / "nonexistent.txt"
    code, _, err = cli("rules", "stats", missing, "--no-entry-points")
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line == f"policy-classify: {missing}: FileNotFound: cannot open: No such file or directory"


def test_an_unknown_language_is_a_usage_error_listing_the_known_ones(cli, tmp_path):
    code, out, err = cli("classify", "-", "--lang", "xx", "--no-entry-points")
    assert code == 2 and out == ""
    assert err.strip() == ("policy-classify: error: --lang 'xx': no rules are written for this "
                           "language; use 'auto' (detect per article) or one of: en, es")


def test_a_known_language_and_auto_are_accepted():
    assert Engine(entry_points=False, lang="es").lang == "es"
    assert Engine(entry_points=False, lang="auto").lang is None
    with pytest.raises(ConfigError):
        Engine(entry_points=False, lang="fr")


def test_the_api_and_the_cli_name_failures_alike(engine):
    results = list(engine.classify_many([{"id": "a"}, {"id": "b", "text": None},
                                         {"id": "c", "text": 42}, 42]))
    assert [type(r) for r in results] == [ErrorRecord] * 4
    assert [r.type for r in results] == ["MissingText", "MissingText", "InvalidText", "InvalidRecord"]  # type: ignore[union-attr]
    assert results[0].message == "record has no 'text' field"  # type: ignore[union-attr]
    assert results[1].message == "field 'text' is null"  # type: ignore[union-attr]


def test_the_cli_uses_the_same_types(cli, tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "a"}\n{"id": "c", "text": 42}\n')
    _, out, _ = cli("classify", corpus, "--no-entry-points")
    assert [json.loads(line)["error"]["type"] for line in out.splitlines()] == ["MissingText", "InvalidText"]


def test_rules_test_lists_known_gaps_without_verbose(cli, write):
    pack = write("gaps.toml", """
        [pack]
        name = "gaps"
        lang = "en"

        [[rules]]
        id = "sanctions.gaps"
        action = "sanctions"
        patterns = ['\\bembargoed\\b']
        examples.match = ["Ministers embargoed the shipment."]
        examples.todo_match = ["Ministers put the shipment under embargo."]
    """)
    code, out, _ = cli("rules", "test", pack, "--no-entry-points")
    assert code == 0
    assert "known gap (todo_match): 'Ministers put the shipment under embargo.'" in out


def summary(action: str, score: float, first: int, asserted: int, threatened: int = 0) -> ActionSummary:
    modality = {k: v for k, v in (("asserted", asserted), ("threatened", threatened)) if v}
    return ActionSummary(action, asserted + threatened, (first,), score, modality)


def test_dominant_ties_go_to_asserted_mentions_then_the_first_mentioned():
    tied_on_score = {
        "tariffs": summary("tariffs", 2.0, first=0, asserted=0, threatened=2),
        "sanctions": summary("sanctions", 2.0, first=5, asserted=2),
    }
    assert dominant_action(tied_on_score) == "sanctions"  # more asserted mentions
    tied_on_both = {
        "tariffs": summary("tariffs", 1.0, first=3, asserted=1),
        "sanctions": summary("sanctions", 1.0, first=1, asserted=1),
    }
    assert dominant_action(tied_on_both) == "sanctions"  # mentioned first
    assert dominant_action({**tied_on_both, "sanctions": summary("sanctions", 1.0, first=4, asserted=1)}) == "tariffs"


def test_summarize_totals_count_asserted_actions_and_pairs_carry_modality(cli, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "done", "text": "Mexico extradited 12 people to the United States on Friday."}) + "\n"
        + json.dumps({"id": "asked", "text": "The United States asked Mexico to extradite 29 people."}) + "\n")
    profiles = tmp_path / "p.jsonl"
    assert cli("classify", corpus, "-o", profiles, "--no-entry-points").code == 0
    code, out, _ = cli("summarize", profiles, "--format", "json")
    extradition = json.loads(out)["actions"]["extradition"]
    assert code == 0 and extradition["modality"] == {"asserted": 1, "threatened": 1}
    assert extradition["amounts"]["totals"] == {"people": 12}  # the request is not 29 more extradited
    assert {p["modality"] for p in extradition["pairs"]} <= {"asserted", "threatened"}
    assert all("modality" in p for p in extradition["pairs"])
