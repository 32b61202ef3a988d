"""The ASGI app behind ``policy-classify serve``: one Engine, JSON in and out.

Why records are read by the CLI's own JSONL reader (:func:`classifier.inputs.readers.iter_records`): a batch
line that is not JSON, not an object, or has no text gets the same error record in its place as
``classify`` would give it (``JSONDecodeError``, ``InvalidRecord``, ``MissingText``...), and
invalid UTF-8 or lone surrogates become U+FFFD with a ``DecodeWarning`` in the profile, as in a
file. ``POST /classify`` reads its one object the same way (line breaks between JSON tokens are
spaces, so a pretty-printed object is one line to the reader) and answers a bad one with a
4xx whose body is ``{"error": {"type", "message"}}``: bad input never costs a 500.

Why classification runs in a worker thread: an article is pure-Python CPU work that grows with
its length. On the event loop it would stall every other connection for as long as it takes --
health checks, uploads, the lines of a streaming batch. In a thread, the loop still gets the
interpreter at every GIL switch (5 ms), so it keeps accepting, reading and streaming.

Why one article at a time per worker process (a limiter of 1): threads would not add CPU (the
GIL), while each article in flight holds its memory; ``--workers`` processes, each with its own
engine, do add CPU. Waiting requests queue on the limiter, not in memory being classified. (An
Engine is safe to share between threads: this server's load test found the refiners' per-article
state shared between threads, which is now kept per thread and per call.)

Why a body is read whole (up to ``--max-body-mb``) before the answer starts: the status line
goes out first, so a batch with too many records must be refused (413) before its first output
line; the body is bounded, so memory is too. The output of a batch is streamed, one line per
record in input order, each sent as soon as it is classified.
"""

from __future__ import annotations

import hmac
import io
import json
import os
from collections import deque
from contextlib import asynccontextmanager
from dataclasses import replace
from http import HTTPStatus
from itertools import islice
from typing import Any, AsyncIterator, Callable, Iterator, Mapping, TypeVar

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from classifier import __version__
from classifier.errors import ClassifierError
from classifier.inputs.readers import InputRecord, ReadOptions, iter_records
from classifier.model import ErrorRecord
from classifier.pipeline.runner import Result, classify_record
from classifier.report.writer import render_jsonl
from classifier.service.api import openapi
from classifier.service.options import ServeOptions

DATE_FIELD = "date"  # copied to the profile's top-level "date", as `classify --date-field date`
READ = ReadOptions(input_format="jsonl", keep_fields=(DATE_FIELD,))
JSON, NDJSON = "application/json", "application/x-ndjson"
T = TypeVar("T")
OPEN_PATHS = frozenset({"/health"})  # answered without the token: for load balancers and probes


class ApiError(Exception):
    """A request the service refuses: HTTP status, error type and a one-line reason."""

    def __init__(self, status: int, type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.type, self.message = status, type, message


def error_response(status: int, type: str, message: str,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The JSON error body every refusal shares, ``{"error": {"type", "message"}}``, so clients
    parse one shape."""
    return JSONResponse({"error": {"type": type, "message": message}}, status, headers=headers)


def read_records(body: bytes) -> Iterator[InputRecord]:
    """The records of a JSON Lines body, as ``classify`` reads a JSONL file; a record without
    an id gets ``None`` (the reader's fallback names stdin, which means nothing here), and a
    ``date`` that strict JSON cannot hold (``NaN``, which Python's reader accepts) becomes text."""
    for record in iter_records(["-"], READ, stdin=io.BytesIO(body)):
        if record.id == f"<stdin>:{record.line}":
            record = replace(record, id=None)
        if record.fields:
            record = replace(record, fields=tuple((k, _strict(v)) for k, v in record.fields))
        yield record


def _strict(value: Any) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return str(value)
    return value


def one_record(body: bytes) -> InputRecord:
    """The one article of a ``POST /classify`` body, or an :class:`ApiError` (400 for a body
    that is not one JSON value, 422 for a value that is not an article)."""
    flat = body.replace(b"\r", b" ").replace(b"\n", b" ")  # JSON strings hold no raw breaks
    record = next(read_records(flat), None)
    if record is None:
        raise ApiError(400, "EmptyBody", 'the body is empty; send one JSON object: {"id": ..., "text": ...}')
    if record.error is not None:
        kind, message = record.error
        raise ApiError(400 if kind == "JSONDecodeError" else 422, kind, message)
    return record


def work(engine: Any, record: InputRecord) -> tuple[Result, str]:
    """Classify one record and render its JSON line (in a worker thread: both cost CPU)."""
    try:
        result = classify_record(engine, record)
    except ClassifierError as exc:  # a --strict plugin failure: this record's, not the service's
        result = ErrorRecord(record.id, type(exc).__name__, str(exc), line=record.line)
    if isinstance(result, ErrorRecord):
        result = replace(result, source=None)
    return result, render_jsonl(DATE_FIELD, record, result)


class Service:
    """The endpoints over one engine."""

    def __init__(self, engine: Any, options: ServeOptions) -> None:
        self.engine = engine
        self.options = options
        self.limiter: anyio.CapacityLimiter | None = None  # made in the lifespan, on the loop
        # (a limiter of 1: one article at a time on this engine, see the module docstring)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker thread, one at a time (parsing a body costs CPU too:
        a large body, of JSON or of blank lines, would hold the event loop far too long)."""
        return await anyio.to_thread.run_sync(function, *args, limiter=self.limiter)

    async def _body(self, request: Request) -> bytes:
        limit = self.options.max_body_bytes
        too_large = f"the request body is over the limit of {limit:,} bytes (--max-body-mb)"
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise ApiError(413, "RequestTooLarge", too_large)
        chunks, size = [], 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, "RequestTooLarge", too_large)
                chunks.append(chunk)
        except ClientDisconnect:
            raise ApiError(400, "ClientDisconnect", "the client closed the connection mid-body") from None
        return b"".join(chunks)

    async def classify(self, request: Request) -> Response:
        body = await self._body(request)
        result, line = await self._run(lambda: work(self.engine, one_record(body)))
        if isinstance(result, ErrorRecord):  # the input was fine: the failure is ours
            raise ApiError(500, result.type, result.message)
        return Response(line, media_type=JSON)

    async def batch(self, request: Request) -> Response:
        body = await self._body(request)
        limit = self.options.max_batch
        records = await self._run(lambda: deque(islice(read_records(body), limit + 1)))
        body = b""  # the lambda's cell: the bytes are freed while the answer streams
        if len(records) > limit:
            raise ApiError(413, "BatchTooLarge",
                           f"more than {limit:,} records in one batch (--max-batch); split it")
        return StreamingResponse(self._lines(records), media_type=NDJSON)

    async def _lines(self, records: deque[InputRecord]) -> AsyncIterator[str]:
        while records:
            yield (await self._run(work, self.engine, records.popleft()))[1]

    async def health(self, request: Request) -> Response:
        engine = self.engine
        return JSONResponse({"status": "ok", "version": __version__, "lang": engine.lang or "auto",
                             "actions": list(engine.actions), "rules": len(engine.rules),
                             "pid": os.getpid()})

    async def plugins(self, request: Request) -> Response:
        return JSONResponse(plugin_list(self.engine))

    async def rules(self, request: Request) -> Response:
        return JSONResponse([
            {"id": r.id, "action": r.action, "lang": r.lang, "weight": r.weight, "plugin": r.plugin,
             "pack": r.pack, "source": r.source, "anchors": list(r.anchors), "context": r.context,
             "context_window": r.context_window,
             "description": r.description}
            for r in self.engine.rules])

    async def spec(self, request: Request) -> Response:
        return JSONResponse(openapi(__version__, self.options.token is not None))


def plugin_list(engine: Any) -> list[dict[str, Any]]:
    """What ``policy-classify plugins`` prints, as data; ``--rules`` packs are plugin ``user``."""
    counts: dict[str, int] = {}
    for rule in engine.rules:
        counts[rule.plugin] = counts.get(rule.plugin, 0) + 1
    out = []
    for name, info in engine.plugin_info.items():
        hooks = engine.pm.get_hookcallers(engine.pm.get_plugin(name)) or []
        out.append({"name": name, "version": info.version, "source": info.source,
                    "hooks": sorted(h.name.removeprefix("policy_classifier_") for h in hooks),
                    "actions": sorted(a.name for a in engine.actions.values() if a.plugin == name),
                    "rules": counts.get(name, 0)})
    if counts.get("user"):
        out.append({"name": "user", "version": None, "source": "--rules", "hooks": [],
                    "actions": [], "rules": counts["user"]})
    return out


class BearerAuth:
    """Pure ASGI middleware: every request but ``GET /health`` needs ``Authorization: Bearer
    <token>`` (compared in constant time). Pure ASGI, not ``BaseHTTPMiddleware``, so streamed
    responses pass through untouched."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            given = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
            scheme, _, credential = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(credential.strip(), self.token):
                why = "a bearer token is required" if not given else "the bearer token is not valid"
                response = error_response(401, "Unauthorized", f"{why} (Authorization: Bearer ...)",
                                          {"WWW-Authenticate": 'Bearer realm="policy-classifier"'})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.type, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = HTTPStatus(exc.status_code).phrase.title().replace(" ", "").replace("-", "")
    message = {404: f"no endpoint {request.url.path}; see GET /openapi.json",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
    return error_response(exc.status_code, kind, message, getattr(exc, "headers", None))


async def _internal_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "InternalError", f"{type(exc).__name__}: the service failed on this request")


def create_app(engine: Any, options: ServeOptions) -> Any:
    """The ASGI app for ``engine`` with ``options`` (wrapped in :class:`BearerAuth` when a token
    is set)."""
    service = Service(engine, options)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service.limiter = anyio.CapacityLimiter(1)
        yield

    app = Starlette(
        routes=[
            Route("/classify", service.classify, methods=["POST"]),
            Route("/classify/batch", service.batch, methods=["POST"]),
            Route("/health", service.health, methods=["GET"]),
            Route("/plugins", service.plugins, methods=["GET"]),
            Route("/rules", service.rules, methods=["GET"]),
            Route("/openapi.json", service.spec, methods=["GET"]),
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error,
                            Exception: _internal_error},
        lifespan=lifespan,
    )
    return BearerAuth(app, options.token) if options.token else app
