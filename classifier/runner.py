"""Turn a stream of input records into a stream of results, on one core or several.

Why a module of its own: the CLI, the Dask adapter and the benchmarks all need the same promise
-- every input record gives exactly one result, in input order, whatever fails -- and the
parallel path must keep it too. Workers are separate processes (the regex work holds the GIL),
each builds its Engine once, and records travel in chunks so the inter-process cost stays small
next to the classification itself.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace
from collections import deque
from itertools import islice
from typing import Any, Iterable, Iterator

from classifier.errors import ClassifierError
from classifier.io import InputRecord
from classifier.model import ArticleProfile, ErrorInfo, ErrorRecord

Result = ArticleProfile | ErrorRecord
CHUNK = 32  # records per inter-process message: amortises pickling without hurting latency
WINDOW = 4  # chunks in flight per worker: keeps workers busy, bounds memory

_WORKER_ENGINE: Any = None  # one per worker process, set by _init_worker (never in the parent)


def classify_record(engine: Any, record: InputRecord) -> Result:
    """One record's result: a profile, or an error record in its place (never an exception,
    except configuration errors, which must stop the run)."""
    if record.error is not None:
        return ErrorRecord(record.id, record.error[0], record.error[1], line=record.line,
                           source=record.source)
    try:
        profile = engine.classify(record.text or "", id=record.id)
    except ClassifierError:
        raise
    except Exception as exc:  # one bad record must not cost the run
        return ErrorRecord(record.id, type(exc).__name__, str(exc) or repr(exc), line=record.line,
                           source=record.source)
    extra = dict(profile.extra)
    if record.fields:
        extra.update({"fields": dict(record.fields)})
    if record.warning:
        profile = replace(profile, errors=profile.errors + (ErrorInfo("DecodeWarning", record.warning),))
    return replace(profile, extra=extra) if extra != profile.extra else profile


def _init_worker(engine_kwargs: dict[str, Any]) -> None:
    # An exception here would make the pool restart workers forever: keep it for _work.
    global _WORKER_ENGINE
    from classifier.engine import Engine

    try:
        _WORKER_ENGINE = Engine(**engine_kwargs)
    except Exception as exc:
        _WORKER_ENGINE = exc


def _work(chunk: list[InputRecord]) -> list[Result]:
    if isinstance(_WORKER_ENGINE, Exception):
        raise _WORKER_ENGINE
    return [classify_record(_WORKER_ENGINE, record) for record in chunk]


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def resolve_jobs(jobs: int) -> int:
    """``0`` means every core; anything else at least 1."""
    return (os.cpu_count() or 1) if jobs == 0 else max(1, jobs)


def run(
    records: Iterable[InputRecord], engine: Any, jobs: int = 1,
    engine_kwargs: dict[str, Any] | None = None,
) -> Iterator[tuple[InputRecord, Result]]:
    """Yield ``(record, result)`` in input order.

    With ``jobs > 1`` the results come from worker processes that rebuild the engine from
    ``engine_kwargs``; at most ``WINDOW`` chunks per worker are in flight, so memory stays
    bounded however long the input (``Pool.imap`` would read the whole input ahead).
    """
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        for record in records:
            yield record, classify_record(engine, record)
        return
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[list[InputRecord], Any]] = deque()
    with context.Pool(jobs, initializer=_init_worker, initargs=(engine_kwargs or {},)) as pool:
        for chunk in _chunks(records, CHUNK):
            pending.append((chunk, pool.apply_async(_work, (chunk,))))
            if len(pending) >= WINDOW * jobs:
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())


def _collect(item: tuple[list[InputRecord], Any]) -> Iterator[tuple[InputRecord, Result]]:
    chunk, async_result = item
    yield from zip(chunk, async_result.get())
