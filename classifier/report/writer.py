"""The writer base and the one JSON Lines encoding every output path shares.

Why a module of its own: the format writers (CSV, HTML, the ones in :mod:`output`) all build
on :class:`Writer`, and the CLI, the ``--jobs`` workers and the HTTP service all write JSON
Lines; with both here, :mod:`output` can import every writer without any writer importing it.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from classifier.model import ArticleProfile, ErrorRecord

Record = ArticleProfile | ErrorRecord


def dumps(obj: dict[str, Any]) -> str:
    """Deterministic compact JSON, UTF-8 characters kept (no \\u escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def record_dict(record: Record, date: str | None = None) -> dict[str, Any]:
    """``record.to_dict()``, with ``"date"`` right after ``"id"`` when a date is given."""
    data = record.to_dict()
    if date is None:
        return data
    return {"id": data.pop("id"), "date": date, **data}


class Writer:
    """Base writer: ``write`` each record, then ``close``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    """One JSON object per profile and line, the format other tools and ``summarize`` read.
    """
    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        self.out.write(jsonl_line(record, date))

    def write_rendered(self, line: str) -> None:
        """A line :func:`render_jsonl` made (in a ``--jobs`` worker)."""
        self.out.write(line)


def jsonl_line(record: Record, date: str | None = None) -> str:
    """One record as a JSON Lines line, newline included."""
    return dumps(record_dict(record, date)) + "\n"


def record_date(record: Any, date_field: str | None) -> str | None:
    """The date an input record carries in ``date_field`` (kept in its ``fields``), as text."""
    value = dict(record.fields).get(date_field) if date_field else None
    return None if value is None else str(value)


def render_jsonl(date_field: str | None, record: Any, result: Record) -> str:
    """The JSONL line of ``result``, as :class:`JsonLinesWriter` writes it; ``record`` is the
    input record. Module-level so worker processes can run it."""
    return jsonl_line(result, record_date(record, date_field))
