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
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from classifier.errors import ClassifierError
from classifier.inputs.readers import InputRecord
from classifier.model import ArticleProfile, ErrorInfo, ErrorRecord

Result = ArticleProfile | ErrorRecord
Render = Callable[[InputRecord, Result], str]
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
    except BaseException as exc:  # one bad record must not cost the run
        if isinstance(exc, KeyboardInterrupt):
            raise
        return ErrorRecord(record.id, type(exc).__name__, str(exc) or repr(exc), line=record.line,
                           source=record.source)
    extra = dict(profile.extra)
    if record.fields:
        extra.update({"fields": dict(record.fields)})
    if record.warning:
        profile = replace(profile, errors=profile.errors + (ErrorInfo("DecodeWarning", record.warning),))
    return replace(profile, extra=extra) if extra != profile.extra else profile


def _init_worker(engine_kwargs: dict[str, Any]) -> None:
    # An exception here would break the pool before any record: keep it for _work to raise.
    global _WORKER_ENGINE
    from classifier.pipeline.engine import Engine

    try:
        _WORKER_ENGINE = Engine(**engine_kwargs)
    except BaseException as exc:  # SystemExit too: a plugin must not end the run
        if isinstance(exc, KeyboardInterrupt):
            raise
        _WORKER_ENGINE = exc


def _work(chunk: list[InputRecord], render: Render | None) -> list[Any]:
    if isinstance(_WORKER_ENGINE, BaseException):
        raise _WORKER_ENGINE
    results = [classify_record(_WORKER_ENGINE, record) for record in chunk]
    if render is None:
        return results
    return [(_needs_parent(result), render(record, result)) for record, result in zip(chunk, results)]


def _needs_parent(result: Result) -> Result | None:
    """What the parent must see of a rendered result: errors and warnings go to its stderr and
    its counts; a clean profile needs only to be counted, so it does not travel back."""
    if isinstance(result, ErrorRecord) or result.errors:
        return result
    return None


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def resolve_jobs(jobs: int) -> int:
    """``0`` means every core; anything else at least 1."""
    return (os.cpu_count() or 1) if jobs == 0 else max(1, jobs)


def run(
    records: Iterable[InputRecord], engine: Any, jobs: int = 1,
    engine_kwargs: dict[str, Any] | None = None, render: Render | None = None,
) -> Iterator[tuple[InputRecord, Any]]:
    """Yield ``(record, result)`` in input order.

    With ``jobs > 1`` the results come from worker processes that rebuild the engine from
    ``engine_kwargs``; at most ``WINDOW`` chunks per worker are in flight, so memory stays
    bounded however long the input (``Pool.imap`` would read the whole input ahead).

    With ``render`` (a picklable ``render(record, result) -> str``), each result comes as
    ``(result_or_None, text)``: the worker renders the output, and sends the result itself only
    when it is an error record or carries errors (None for a clean profile). Why: on two cores
    the parent shares a core with the workers, and unpickling profiles and encoding JSON was
    most of its work.

    A worker that dies (killed, out of memory) stops the run with a :class:`WorkerDied` error
    instead of waiting forever for its results.
    """
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        for record in records:
            result = classify_record(engine, record)
            yield record, (result if render is None else (_needs_parent(result), render(record, result)))
        return
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[list[InputRecord], Future[list[Any]]]] = deque()
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                               initargs=(engine_kwargs or {},))
    try:
        for chunk in _chunks(records, CHUNK):
            pending.append((chunk, pool.submit(_work, chunk, render)))
            if len(pending) >= WINDOW * jobs:
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


class WorkerDied(ClassifierError):
    """A ``--jobs`` worker process ended without returning its records' results."""


def _collect(item: tuple[list[InputRecord], Future[list[Any]]]) -> Iterator[tuple[InputRecord, Any]]:
    chunk, future = item
    try:
        results = future.result()
    except BrokenProcessPool:
        first = chunk[0]
        where = f"{first.source}:{first.line}" if first.line else (first.source or "the input")
        raise WorkerDied(
            f"a --jobs worker process stopped unexpectedly (killed, or out of memory?) while "
            f"classifying the records from {where}; rerun with --jobs 1 to see which record"
        ) from None
    yield from zip(chunk, results)
