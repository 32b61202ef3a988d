"""Scale out on Dask (and Spark): the same profiles as a local run, on many machines.

Why Dask and not a home-made cluster runner: users who classify a firehose already run Dask or
Spark; an adapter lets them point the classifier at a bag or dataframe they already have, with
the scheduler, retries and data locality those systems give (DESIGN principle 6).

Why an engine cache per process: building an :class:`~classifier.pipeline.engine.Engine` loads every plugin
and rule pack (about a second), so it must happen once per worker process, not once per
partition or record. Tasks carry the engine's keyword arguments pickled into bytes; equal bytes
name the same engine, so :func:`engine_for` (an ``lru_cache``) builds it on a worker's first
task and reuses it afterwards. Nothing is module-global state a test would have to reload: the
cache is keyed by the arguments, and a new set of arguments simply builds another engine.

Only :func:`classify_bag` and :func:`classify_dataframe` import Dask (the ``[dask]`` extra);
:func:`classify_pandas` needs pandas alone, which is what the Spark recipe in the README uses.
"""

from __future__ import annotations

import functools
import pickle
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from classifier.model import ErrorRecord
from classifier.pipeline.engine import Engine

if TYPE_CHECKING:
    import pandas

MISSING_DASK = ("classifier.integrations.daskbag needs Dask: pip install 'policy-classifier[dask]' "
                "(dask[bag,dataframe] and distributed)")
ENGINE_CACHE_SIZE = 4  # distinct engine configurations kept per worker process


def engine_key(**engine_kwargs: Any) -> bytes:
    """The engine's keyword arguments as bytes: what tasks carry, and the cache key."""
    return pickle.dumps(dict(sorted(engine_kwargs.items())), protocol=4)


@functools.lru_cache(maxsize=ENGINE_CACHE_SIZE)
def engine_for(key: bytes) -> Engine:
    """This process's engine for ``key`` (see :func:`engine_key`), built on first use."""
    return Engine(**pickle.loads(key))


def classify_records(records: Iterable[Any], key: bytes, text_field: str = "text",
                     id_field: str = "id") -> list[dict[str, Any]]:
    """Profile dicts (``ArticleProfile.to_dict()``, or an error record's) for ``records``.

    Records are mappings, ``(id, text)`` pairs or strings, as :meth:`Engine.classify_many`
    takes them; every record gives exactly one dict, in order. An error record has no
    ``line``: a partition does not know its records' positions in the whole bag (its ``id``
    names the record instead).
    """
    engine = engine_for(key)
    out = []
    for result in engine.classify_many(records, text_field, id_field):
        if isinstance(result, ErrorRecord):
            result = replace(result, line=None)
        out.append(result.to_dict())
    return out


def _import_dask() -> Any:
    try:
        import dask.bag
        import dask.dataframe
    except ImportError as exc:
        raise ImportError(MISSING_DASK) from exc
    return dask


def classify_bag(bag: Any, text_field: str = "text", id_field: str = "id",
                 **engine_kwargs: Any) -> Any:
    """A ``dask.bag.Bag`` of profile dicts, one per record of ``bag``, in the same order.

    ``engine_kwargs`` are :class:`Engine`'s (``rules=[...]``, ``lang="en"``...): paths must be
    readable on every worker, plugin objects must pickle.
    """
    _import_dask()
    key = engine_key(**engine_kwargs)
    return bag.map_partitions(classify_records, key, text_field, id_field)


def classify_pandas(frame: "pandas.DataFrame", text_col: str = "text", id_col: str = "id",
                    **engine_kwargs: Any) -> "pandas.DataFrame":
    """One row per article of a pandas frame: ``id``, ``lang``, ``dominant``, then per action
    ``<action>_mentions``, ``<action>_score``, ``<action>_modality``, and ``errors``.

    The columns are :func:`classifier.integrations.dataframe.profiles_to_dataframe`'s (and so the CSV's),
    one set per action the engine knows, whether found or not, so every partition has the same
    columns. Used per partition by :func:`classify_dataframe` and by Spark's ``mapInPandas``.
    """
    return _frame(frame, engine_key(**engine_kwargs), text_col, id_col)


def _frame(frame: "pandas.DataFrame", key: bytes, text_col: str, id_col: str) -> "pandas.DataFrame":
    from classifier.integrations.dataframe import profiles_to_dataframe

    engine = engine_for(key)
    ids = frame[id_col].tolist() if id_col in frame.columns else [None] * len(frame)
    records = (
        {"id": None if _missing(i) else i, "text": None if _missing(t) else t}
        for i, t in zip(ids, frame[text_col].tolist())
    )
    profiles = list(engine.classify_many(records, "text", "id"))
    out = profiles_to_dataframe(profiles, actions=list(engine.actions), date_field=None)
    out.index = frame.index
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # None or NaN


def classify_dataframe(ddf: Any, text_col: str = "text", id_col: str = "id",
                       **engine_kwargs: Any) -> Any:
    """A ``dask.dataframe.DataFrame`` of per-article columns (see :func:`classify_pandas`),
    with ``ddf``'s index and partitions."""
    _import_dask()
    import pandas

    key = engine_key(**engine_kwargs)
    sample = pandas.DataFrame({text_col: ["."], id_col: ["meta"]})
    meta = _frame(sample, key, text_col, id_col).iloc[:0]
    return ddf.map_partitions(_frame, key, text_col, id_col, meta=meta)


def iter_pandas(frames: Iterable["pandas.DataFrame"], text_col: str = "text", id_col: str = "id",
                **engine_kwargs: Any) -> Iterator["pandas.DataFrame"]:
    """``mapInPandas``'s shape: frames in, per-article frames out (one engine per process)."""
    key = engine_key(**engine_kwargs)
    for frame in frames:
        yield _frame(frame, key, text_col, id_col)


def spark_schema(**engine_kwargs: Any) -> str:
    """The DDL schema string of :func:`iter_pandas`'s frames, for ``mapInPandas(f, schema)``."""
    from classifier.report.csvout import columns

    engine = engine_for(engine_key(**engine_kwargs))
    types = {"mentions": "bigint", "score": "double"}
    return ", ".join(
        f"{name} {types.get(name.rpartition('_')[2], 'string')}"
        for name in columns(engine.actions)
    )
