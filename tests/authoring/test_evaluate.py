"""The eval report: pooled and per-language figures, and the CLI flag that shows the latter."""

from __future__ import annotations

import json

from classifier.authoring.evaluate import evaluate, render_text
from classifier.pipeline.engine import Engine

ENGINE = Engine(entry_points=False)

# Written for this test: one hit per language and one hard negative each.
GOLD = [
    {"id": "e1", "lang": "en", "text": "The Treasury imposed sanctions on three shipping firms.",
     "labels": ["sanctions"], "modality": {"sanctions": "asserted"}},
    {"id": "e2", "lang": "en", "text": "The referee sanctioned two players after the brawl.",
     "labels": [], "modality": {}},
    {"id": "s1", "lang": "es", "text": "El Gobierno impuso aranceles del 30% al acero importado.",
     "labels": ["tariffs"], "modality": {"tariffs": "asserted"}},
    {"id": "s2", "text": "La universidad subió el arancel de la matrícula para el próximo curso.",
     "labels": [], "modality": {}},  # no gold lang: the detected one is used
]


def test_per_language_reports_add_up_to_the_pooled_one():
    report = evaluate(ENGINE, GOLD)
    assert set(report.by_lang) == {"en", "es"}
    assert sum(sub.records for sub in report.by_lang.values()) == report.records == 4
    assert report.by_lang["en"].labels["sanctions"].tp == 1
    assert report.by_lang["es"].labels["tariffs"].tp == 1
    assert report.by_lang["es"].records == 2
    for name, pooled in report.labels.items():
        assert pooled.tp == sum(sub.labels[name].tp for sub in report.by_lang.values())
        assert pooled.fp == sum(sub.labels[name].fp for sub in report.by_lang.values())


def test_text_report_always_has_a_line_per_language_and_rows_on_request():
    report = evaluate(ENGINE, GOLD)
    short = render_text(report, details=False)
    assert "  en: records 2, macro-F1" in short and "  es: records 2, macro-F1" in short
    assert short.count("precision") == 1
    long = render_text(report, details=False, by_lang=True)
    assert long.count("precision") == 3


def test_json_report_has_by_lang(tmp_path, capsys):
    from classifier.cli.main import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in GOLD), encoding="utf-8")
    assert main(["eval", str(gold), "--format", "json", "--no-entry-points"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_lang"]["en"]["records"] == 2
    assert "macro_f1" in data["by_lang"]["es"]
    assert main(["eval", str(gold), "--summary", "--by-lang", "--no-entry-points"]) == 0
    assert "per language:" in capsys.readouterr().out


def test_actors_agree_by_canonical_name_and_its_common_spellings():
    from classifier.authoring.evaluate import same_party

    assert same_party("United Nations", "UN", exact=True)
    assert same_party("U.S.", "United States", exact=True)
    assert same_party("México", "Mexico", exact=True)
    # two short names are not one party just because both are short
    assert not same_party("UN", "EU", exact=True)
    assert not same_party("United States", "United Kingdom", exact=True)
