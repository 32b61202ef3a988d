"""``policy-classify rules stats``: coverage, overlaps, conflicts, the action matrix, precision.

Exact figures come from a two-action plugin with three rules on a hand-counted corpus; the CLI
tests check that a user gets them in text and JSON, with gold from the same file or another.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.authoring.rulestats import read_options, render_text, rule_stats
from classifier.cli.main import main
from classifier.hookspecs import hookimpl
from classifier.inputs.readers import iter_records
from classifier.pipeline.engine import Engine

PACK = r"""
[pack]
name = "stats_pack"
lang = "*"

[[rules]]
id = "alpha.wide"
action = "alpha"
patterns = ['\bfroze\b']

[[rules]]
id = "alpha.narrow"
action = "alpha"
patterns = ['\bfroze\s+assets\b']

[[rules]]
id = "beta.any"
action = "beta"
patterns = ['\bembargo\b']
"""

# 6 sentences. alpha.wide fires in 3 (one also alpha.narrow, one also beta.any);
# alpha.narrow in 1; beta.any in 2 (one shared with alpha).
CORPUS = [
    {"id": "1", "text": "Rome froze assets of a bank. Rain fell.", "labels": ["alpha"]},
    {"id": "2", "text": "The lake froze early.", "labels": []},
    {"id": "3", "text": "Oslo froze ties and set an embargo.", "labels": ["alpha", "beta"]},
    {"id": "4", "text": "An embargo began. Trade slowed.", "labels": []},
]


class TwoActions:
    name = "two_actions"

    @hookimpl
    def policy_classifier_register_actions(self, register):
        register("alpha", "test action")
        register("beta", "test action")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("stats")
    (folder / "pack.toml").write_text(PACK, encoding="utf-8")
    (folder / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in CORPUS), encoding="utf-8")
    (folder / "plugin.py").write_text(
        "from classifier import hookimpl\n\n@hookimpl\ndef policy_classifier_register_actions(register):\n"
        "    register('alpha', 'test')\n    register('beta', 'test')\n", encoding="utf-8")
    return {"pack": folder / "pack.toml", "gold": folder / "gold.jsonl", "plugin": folder / "plugin.py"}


@pytest.fixture(scope="module")
def engine(files) -> Engine:
    # Only the sentence splitter and the two test actions: figures independent of built-in rules.
    return Engine(plugins=[TwoActions()], rules=[files["pack"]], entry_points=False, lang="en",
                  env={"POLICY_CLASSIFIER_PLUGINS": "segment"})


def test_coverage_overlaps_and_conflicts_per_rule(engine, files):
    report = rule_stats(engine, iter_records([str(files["gold"])], read_options(labels_field=None)))
    assert (report.records, report.sentences, report.gold_items) == (4, 6, 0)
    by_rule = {r.rule: r for r in report.rules}
    wide, narrow, beta = by_rule["alpha.wide"], by_rule["alpha.narrow"], by_rule["beta.any"]
    assert (wide.sentences, wide.overlaps, wide.conflicts) == (3, 1, 1)
    assert wide.coverage == pytest.approx(3 / 6)
    assert (narrow.sentences, narrow.overlaps, narrow.conflicts) == (1, 1, 0)
    assert (beta.sentences, beta.overlaps, beta.conflicts) == (2, 0, 1)
    assert wide.precision is None  # no gold given


def test_action_overlap_matrix_counts_sentences_tagged_by_both(engine, files):
    report = rule_stats(engine, iter_records([str(files["gold"])], read_options(labels_field=None)))
    assert report.matrix == {"alpha": {"alpha": 3, "beta": 1}, "beta": {"alpha": 1, "beta": 2}}


def test_precision_per_rule_from_gold_labels(engine, files):
    report = rule_stats(engine, iter_records([str(files["gold"])], read_options()))
    by_rule = {r.rule: r for r in report.rules}
    assert report.gold_items == 4
    assert (by_rule["alpha.wide"].gold_correct, by_rule["alpha.wide"].gold_hits) == (2, 3)
    assert by_rule["alpha.wide"].precision == pytest.approx(2 / 3)
    assert by_rule["alpha.narrow"].precision == 1.0
    assert by_rule["beta.any"].precision == pytest.approx(1 / 2)
    text = render_text(report)
    assert text.splitlines()[4].startswith("alpha.wide")  # most coverage first
    assert "66.7% (2/3)" in text


def _stats(*args: object) -> tuple[int, str]:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["rules", "stats", *[str(a) for a in args], "--no-entry-points"])
    return code, out.getvalue()


def test_cli_json_with_gold_from_another_file(files, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in CORPUS), encoding="utf-8")
    code, out = _stats(corpus, "--gold", files["gold"], "--plugin", files["plugin"],
                       "--rules", files["pack"], "--lang", "en", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert (report["records"], report["sentences"], report["gold_items"]) == (4, 6, 4)
    wide = next(r for r in report["rules"] if r["rule"] == "alpha.wide")
    assert wide == {"rule": "alpha.wide", "action": "alpha", "sentences": 3, "coverage": 0.5,
                    "overlaps": 1, "conflicts": 1, "gold_hits": 3, "gold_correct": 2,
                    "precision": 0.6667}
    assert report["action_overlap"]["alpha"]["beta"] == 1


def test_cli_text_on_built_in_rules_with_one_file_as_corpus_and_gold(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "a", "text": "The Treasury imposed sanctions on two shipping firms.",
                    "labels": ["sanctions"]}) + "\n"
        + json.dumps({"id": "b", "text": "The club was fined after the match.", "labels": []}) + "\n",
        encoding="utf-8")
    code, out = _stats(gold, "--gold", gold)
    assert code == 0
    assert out.startswith("2 records, 2 sentences, 2 gold items")
    assert "sanctions.impose" in out and "100.0% (1/1)" in out
    assert "sentences tagged by both actions (diagonal: by the action):" in out
    assert "never fired" in out
