"""The Dask adapter gives the same profiles as a local Engine, on real worker processes.

Why a LocalCluster with processes: the adapter's promise is about what happens on other
machines -- each worker process builds its own engine once, from pickled arguments -- and only
separate processes exercise pickling and the per-process cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
pandas = pytest.importorskip("pandas")

from classifier.integrations.daskbag import classify_bag, classify_dataframe, classify_pandas, engine_for  # noqa: E402
from classifier.integrations.dataframe import profiles_to_dataframe  # noqa: E402
from classifier.pipeline.engine import Engine  # noqa: E402

pytestmark = pytest.mark.dask

DATA = Path(__file__).resolve().parents[1] / "data"
ENGINE_KWARGS = {"entry_points": False}


def _records() -> list[dict[str, object]]:
    """Gold sentences grouped into small articles (EN and ES), plus records that must fail."""
    sentences = [json.loads(line) for line in (DATA / "dev.jsonl").read_text("utf-8").splitlines()]
    records: list[dict[str, object]] = []
    for start in range(0, 120, 4):
        group = sentences[start:start + 4]
        records.append({"id": f"a{start}", "text": " ".join(str(s["text"]) for s in group)})
    spanish = [s for s in sentences if s.get("lang") == "es"][:6]
    records.append({"id": "es", "text": " ".join(str(s["text"]) for s in spanish)})
    records.append({"id": "no-text"})  # an error record in its place, not a lost record
    records.append({"id": "empty", "text": ""})
    return records


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=40)
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def local_profiles() -> list[object]:
    return list(Engine(**ENGINE_KWARGS).classify_many(_records()))


def test_bag_gives_the_local_profiles_in_order(client, local_profiles) -> None:  # type: ignore[no-untyped-def]
    bag = dask_bag.from_sequence(_records(), npartitions=6)
    got = classify_bag(bag, **ENGINE_KWARGS).compute()
    expected = [p.to_dict() for p in local_profiles]
    for record in expected:  # a partition cannot know a record's position in the whole bag
        record.get("error", {}).pop("line", None)
    assert got == expected
    assert any(p["actions"] for p in got if "actions" in p)  # the data does hold actions
    assert got[-2]["error"]["type"] == "MissingText"


def test_each_worker_builds_its_engine_once(client) -> None:  # type: ignore[no-untyped-def]
    bag = dask_bag.from_sequence(_records(), npartitions=8)
    classify_bag(bag, **ENGINE_KWARGS).compute()
    classify_bag(bag, **ENGINE_KWARGS).compute()
    misses = client.run(lambda: engine_for.cache_info().misses)
    assert len(misses) == 2
    assert all(n <= 1 for n in misses.values()), misses


def test_dataframe_gives_the_local_columns(client, local_profiles) -> None:  # type: ignore[no-untyped-def]
    records = [r for r in _records() if "text" in r]
    frame = pandas.DataFrame({"id": [r["id"] for r in records], "text": [r["text"] for r in records]})
    ddf = dask_dataframe.from_pandas(frame, npartitions=3)
    got = classify_dataframe(ddf, **ENGINE_KWARGS).compute()
    engine = Engine(**ENGINE_KWARGS)
    expected = profiles_to_dataframe(list(engine.classify_many(records)),
                                     actions=list(engine.actions), date_field=None)
    pandas.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)
    assert {"id", "dominant", "sanctions_mentions", "sanctions_score"} <= set(got.columns)
    assert got["dominant"].notna().any()


def test_classify_pandas_is_the_spark_building_block() -> None:
    frame = pandas.DataFrame({"text": ["The EU imposed sanctions on Iran.", "Rain in Lima."],
                              "id": ["x", "y"]})
    out = classify_pandas(frame, **ENGINE_KWARGS)
    assert out["dominant"].tolist()[0] == "sanctions"
    assert out["sanctions_mentions"].tolist() == [1, 0]


def test_spark_recipe_pieces_agree() -> None:
    from classifier.integrations.daskbag import iter_pandas, spark_schema

    frames = [pandas.DataFrame({"id": ["a"], "text": ["Washington imposed a 25% tariff on steel."]})]
    (out,) = list(iter_pandas(iter(frames), **ENGINE_KWARGS))
    schema = spark_schema(**ENGINE_KWARGS)
    assert [part.split()[0] for part in schema.split(", ")] == list(out.columns)
    assert "tariffs_mentions bigint" in schema and "tariffs_score double" in schema
    assert out["tariffs_mentions"].tolist() == [1]
