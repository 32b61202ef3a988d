"""`--format parquet`: a corpus written as Parquet reads back, by pandas and by DuckDB, to the same
figures as its JSONL profiles and as `summarize`.

The corpus is the benchmark corpus (benchmarks/corpus.py, 60 kB with a high policy share) plus
English and Spanish sentences of the dev set with dates, and the records that go wrong (invalid
JSON, no text, empty text). Each command runs once per module.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
duckdb = pytest.importorskip("duckdb")
import pyarrow.parquet as pq  # noqa: E402

from classifier.cli.main import main  # noqa: E402
from classifier.model import MODALITIES  # noqa: E402
from classifier.report.parquetout import ROW_GROUP_ROWS  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
ACTIONS = ("extradition", "military", "rewards", "sanctions", "tariffs")


def _benchmark_corpus(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.generate(path, 0.06, seed=11, policy_share=0.3)


def run(*argv: object) -> int:
    return main([str(a) for a in argv])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parquet")
    source = _benchmark_corpus(folder / "bench.jsonl")
    lines = source.read_text(encoding="utf-8").splitlines()
    with open(REPO / "tests" / "data" / "dev.jsonl", encoding="utf-8") as handle:
        dev = [json.loads(line) for line in handle][::12]
    for number, record in enumerate(dev):
        day = f"2026-{number % 12 + 1:02d}-{number % 28 + 1:02d}" if number % 5 else None
        lines.append(json.dumps({"id": record["id"], "text": record["text"], "date": day}))
    lines[5:5] = ["{not json", json.dumps({"id": "no-text"}), json.dumps({"id": "empty", "text": ""})]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = {"corpus": path, "jsonl": folder / "profiles.jsonl", "parquet": folder / "profiles.parquet",
           "tags": folder / "tags.parquet", "summary_json": folder / "summary.json",
           "summary_csv": folder / "summary.csv", "summary_parquet": folder / "summary.parquet"}
    common = ("--date-field", "date", "--no-entry-points", "--no-progress")
    assert run("classify", path, *common, "-o", out["jsonl"]) == 1  # two records fail
    assert run("classify", path, *common, "--format", "parquet", "-o", out["parquet"],
               "--tags-out", out["tags"]) == 1
    for fmt in ("json", "csv", "parquet"):
        assert run("summarize", out["jsonl"], "--format", fmt, "--top", "1000",
                   "-o", out[f"summary_{fmt}"]) == 0
    return out


@pytest.fixture(scope="module")
def profiles(corpus: dict[str, Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in corpus["jsonl"].read_text(encoding="utf-8").splitlines()]


def _amounts(items: Any) -> list[dict[str, Any]]:
    return [{"value": a["value"], "unit": a["unit"], "text": a["text"],
             **({"span": [a["start"], a["end"]]} if a["start"] is not None else {})} for a in items]


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def test_every_record_is_one_row_with_the_jsonl_figures(corpus, profiles):
    frame = pd.read_parquet(corpus["parquet"])
    assert len(frame) == len(profiles) > 150
    assert frame["record"].tolist() == list(range(len(profiles)))
    for action in ACTIONS:
        assert frame[f"{action}_mentions"].dtype == "int64"
        assert frame[f"{action}_score"].dtype == "float64"
    for row, profile in zip(frame.to_dict("records"), profiles):
        assert _none(row["id"]) == profile["id"]
        assert _none(row["date"]) == profile.get("date")
        if "error" in profile:
            assert row["error_type"] == profile["error"]["type"]
            assert row["error_message"] == profile["error"]["message"]
            assert int(row["error_line"]) == profile["error"]["line"]
            assert row["error_source"] == profile["error"]["source"]
            assert all(row[f"{a}_mentions"] == 0 for a in ACTIONS)
            continue
        assert _none(row["error_type"]) is None
        assert (row["lang"], _none(row["dominant"])) == (profile["lang"], profile["dominant"])
        assert [dict(e) for e in row["errors"]] == [
            {"type": e["type"], "message": e["message"], "plugin": e.get("plugin"), "rule": e.get("rule")}
            for e in profile["errors"]]
        assert json.loads(row["extra"]) == profile["extra"] if profile.get("extra") else _none(row["extra"]) is None
        for action in ACTIONS:
            found = profile["actions"].get(action)
            if found is None:
                assert row[f"{action}_mentions"] == 0 and _none(row[f"{action}_modality"]) is None
                assert len(row[f"{action}_actors"]) == 0 and len(row[f"{action}_amounts"]) == 0
                continue
            assert row[f"{action}_mentions"] == found["mentions"]
            assert row[f"{action}_score"] == found["score"]
            assert {m: row[f"{action}_{m}"] for m in MODALITIES if row[f"{action}_{m}"]} == found["modality"]
            assert list(row[f"{action}_sentences"]) == found["sentences"]
            assert list(row[f"{action}_actors"]) == found["actors"]
            assert list(row[f"{action}_targets"]) == found["targets"]
            assert list(row[f"{action}_destinations"]) == found.get("destinations", [])
            assert _amounts(row[f"{action}_amounts"]) == found["amounts"]


def test_every_tag_is_one_row_of_the_tags_table(corpus, profiles):
    expected = []
    for index, profile in enumerate(profiles):
        for sentence in profile.get("sentences", ()):
            for tag in sentence["tags"]:
                expected.append({
                    "record": index, "id": profile["id"], "sentence": sentence["index"],
                    **{k: tag.get(k) for k in ("action", "rule", "plugin", "modality", "cue", "score",
                                               "actor", "target", "destination", "via", "text")},
                    "start": tag["span"][0], "end": tag["span"][1], "amounts": tag["amounts"]})
    rows = pq.read_table(corpus["tags"]).to_pylist()
    for row in rows:
        row["amounts"] = _amounts(row["amounts"])
    assert len(rows) == len(expected) > 100
    assert rows == expected
    text = json.loads(corpus["corpus"].read_text(encoding="utf-8").splitlines()[0])["text"]
    first = [r for r in rows if r["record"] == 0]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in first)


def test_duckdb_sums_to_the_summarize_figures(corpus):
    summary = json.loads(corpus["summary_json"].read_text(encoding="utf-8"))
    db = duckdb.connect()
    db.execute(f"CREATE VIEW p AS SELECT * FROM read_parquet('{corpus['parquet']}')")
    db.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{corpus['tags']}')")
    records, articles, errors = db.execute(
        "SELECT count(*), count(*) FILTER (error_type IS NULL), count(error_type) FROM p").fetchone()
    assert (records, articles, errors) == (summary["records"], summary["articles"], summary["error_records"])
    assert summary["error_records"] == 2
    for action, figures in summary["actions"].items():
        got = db.execute(
            f"SELECT count(*) FILTER ({action}_mentions > 0), sum({action}_mentions), "
            f"count(*) FILTER (dominant = '{action}'), "
            + ", ".join(f"sum({action}_{m})" for m in MODALITIES) + " FROM p").fetchone()
        modality = {m: n for m, n in zip(MODALITIES, got[3:]) if n}
        assert got[:3] == (figures["articles"], figures["mentions"], figures["dominant"])
        assert modality == figures["modality"]
        strongest = dict(db.execute(f"SELECT {action}_modality, count(*) FROM p WHERE "
                                    f"{action}_modality IS NOT NULL GROUP BY ALL").fetchall())
        assert strongest == figures["strongest"]
        # totals add up the distinct figures of each article's asserted tags
        totals = dict(db.execute(
            "SELECT unit, sum(value) FROM (SELECT DISTINCT record, a.value, a.unit, a.text FROM "
            "(SELECT record, unnest(amounts) AS a FROM t WHERE action = ? AND modality = 'asserted')) "
            "WHERE unit <> 'percent' GROUP BY ALL", [action]).fetchall())
        assert totals == pytest.approx(figures["amounts"]["totals"])
    months = dict(db.execute("SELECT substr(date, 1, 7), count(*) FROM p WHERE date IS NOT NULL "
                             "AND error_type IS NULL GROUP BY ALL").fetchall())
    assert months == {point["date"]: point["articles"] for point in summary["dates"]["series"]}


def test_summarize_parquet_holds_the_csv_rows_typed(corpus):
    with open(corpus["summary_csv"], encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    table = pq.read_table(corpus["summary_parquet"])
    assert table.schema.field("value").type == pa.float64()
    got = [(m, a or "", k or "", v) for m, a, k, v in
           zip(*(table.column(c).to_pylist() for c in ("metric", "action", "key", "value")))]
    assert [(m, a, k, float(v)) for m, a, k, v in rows] == got


def test_the_readme_duckdb_queries_run(corpus, monkeypatch):
    section = README.split("## Serving and Parquet", 1)[1].split("\n## ", 1)[0]
    queries = re.findall(r"```sql\n(.*?)\n```", section, re.S)
    assert queries, "README: no ```sql block in 'Serving and Parquet'"
    monkeypatch.chdir(corpus["parquet"].parent)  # the queries name 'profiles.parquet', 'tags.parquet'
    db = duckdb.connect()
    for query in queries:
        for statement in filter(str.strip, query.split(";")):
            assert db.execute(statement).fetchall(), statement


def test_row_groups_stream_and_an_empty_run_has_the_schema(tmp_path, monkeypatch):
    monkeypatch.setattr("classifier.report.parquetout.ROW_GROUP_ROWS", 7)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": "Canada imposed tariffs on steel."}) + "\n"
                              for i in range(30)), encoding="utf-8")
    out, tags = tmp_path / "p.parquet", tmp_path / "t.parquet"
    assert run("classify", corpus, "--format", "parquet", "-o", out, "--tags-out", tags,
               "--no-entry-points") == 0
    assert ROW_GROUP_ROWS > 7
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == 30 and meta.num_row_groups == 5  # 7 rows a group: not held to the end
    assert pq.ParquetFile(tags).metadata.num_rows == 30
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert run("classify", empty, "--format", "parquet", "-o", out, "--no-entry-points") == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and "tariffs_amounts" in table.schema.names


def test_parquet_usage_errors_are_one_line(cli, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Canada imposed tariffs on steel.", encoding="utf-8")
    code, out, err = cli("classify", source, "--format", "parquet", "--no-entry-points")
    assert code == 2 and out == "" and "-o FILE" in err and len(err.splitlines()) == 1
    code, _, err = cli("classify", source, "--tags-out", tmp_path / "t.parquet", "--no-entry-points")
    assert code == 2 and "--tags-out needs --format parquet" in err
    same = tmp_path / "p.parquet"
    code, _, err = cli("classify", source, "--format", "parquet", "-o", same, "--tags-out", same)
    assert code == 2 and "also the -o file" in err and not same.exists()
    code, _, err = cli("summarize", "-", "--format", "parquet")
    assert code == 2 and "-o FILE" in err


def test_a_missing_pyarrow_names_the_extra(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    source = tmp_path / "a.txt"
    source.write_text("Canada imposed tariffs on steel.", encoding="utf-8")
    out = tmp_path / "p.parquet"
    code, stdout, err = cli("classify", source, "--format", "parquet", "-o", out, "--no-entry-points")
    assert code == 2 and not out.exists() and err.splitlines() == [
        'policy-classify: error: the parquet format needs pyarrow, which is not installed: '
        'pip install "policy-classifier[parquet]"']
    code, _, err = cli("summarize", source, "--format", "parquet", "-o", out)
    assert code == 2 and "policy-classifier[parquet]" in err


def test_a_failed_run_leaves_no_partial_file(cli, tmp_path):
    out = tmp_path / "p.parquet"
    code, _, err = cli("classify", tmp_path / "a.txt", "--format", "parquet", "-o", out,
                       "--rules", tmp_path / "missing.toml", "--no-entry-points")
    assert code == 2 and not out.exists() and not list(tmp_path.glob(".p.parquet*"))
    assert len(err.splitlines()) == 1
