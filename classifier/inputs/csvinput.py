"""CSV input: one record per row, rows framed here so that no row can swallow the file.

Why rows are framed here rather than by ``csv.reader`` alone: a quote that never closes makes the
csv module swallow every following row into one cell without a word; a row must be capped in
bounded memory; and invalid UTF-8 must be reported with its physical line.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator, TextIO

from classifier.inputs.records import SKIP_CHUNK, InputRecord, ReadOptions, from_mapping, too_large


def read_csv(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
    """One record per CSV row (the header row names the fields), as ``csv.DictReader`` reads it.

    Why rows are framed here rather than by ``csv.reader`` alone: a quote that never closes makes
    the csv module swallow every following row into one cell without a word; a row must be
    capped in bounded memory; and invalid UTF-8 must be reported with its physical line.
    """
    # A row of at most ``cap`` bytes has no field longer than ``cap`` characters. (The limit is
    # the csv module's process-wide setting: raised as needed, never lowered.)
    if csv.field_size_limit() < options.max_record_bytes:
        csv.field_size_limit(min(options.max_record_bytes, sys.maxsize))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        header: list[str] | None = None
        for row in _csv_rows(_csv_lines(text, options.max_record_bytes), options.max_record_bytes):
            if row.error is not None:
                yield InputRecord(None, None, source, row.first, row.error)
                continue
            try:
                parsed = list(csv.reader(row.lines))
            except csv.Error as exc:  # one broken row gets an error record; the next rows still count
                yield InputRecord(None, None, source, row.last, ("CSVError", f"invalid CSV: {exc}"))
                continue
            for values in (v for v in parsed if v):  # a blank line is not a row
                if header is None:
                    header = values
                    continue
                yield from_mapping(_row_mapping(header, values), source, row.last,
                                    f"{source}:{row.last}", options, row.warning)
    finally:
        with contextlib.suppress(ValueError):  # the stream is the caller's to close, not ours
            text.detach()


def _row_mapping(header: list[str], values: list[str]) -> dict[str | None, object]:
    """A row as ``csv.DictReader`` gives it: extra values in a list under None, missing ones None."""
    row: dict[str | None, object] = dict(zip(header, values))
    if len(values) > len(header):
        row[None] = values[len(header):]
    for name in header[len(values):]:
        row[name] = None
    return row


@dataclass(frozen=True)
class _CsvRow:
    """The physical lines of one CSV row (``first`` to ``last``), or why it has none (``error``)."""

    first: int
    last: int
    lines: tuple[str, ...] = ()
    warning: str | None = None
    error: tuple[str, str] | None = None


# Where csv's parser is between characters (its default dialect: ',' and '"', doubled quotes).
_FIELD_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED = range(4)
_ESCAPED = re.compile("[\udc80-\udcff]")  # an undecodable byte, kept by "surrogateescape"


def _scan(text: str, state: int) -> tuple[int, bool]:
    """The parser's state after ``text`` (part of a line, without its line end), and whether a
    quoted field opened in it. Mirrors csv's non-strict reader: a quote opens a field only at its
    start; inside, a doubled quote is a quote; any other quote closes it."""
    if state != _QUOTED and '"' not in text:  # most lines: no quote at all
        return (_FIELD_START if text.endswith(",") else _UNQUOTED) if text else state, False
    opened = False
    i = 0
    while i < len(text):
        if state == _QUOTED:
            i = text.find('"', i)
            if i < 0:
                return state, opened
            state = _QUOTE_IN_QUOTED
        elif state == _UNQUOTED:
            i = text.find(",", i)
            if i < 0:
                return state, opened
            state = _FIELD_START
        elif text[i] == '"':
            opened = opened or state == _FIELD_START
            state = _QUOTED
        else:
            state = _FIELD_START if text[i] == "," else _UNQUOTED
        i += 1
    return state, opened


@dataclass(frozen=True)
class _CsvLine:
    """One physical line of a CSV input, and the quote state at its end."""

    number: int
    text: str | None  # None when longer than the cap (then not kept)
    size: int  # in bytes, line end included
    bad_byte: int | None  # offset of the first invalid UTF-8 byte in the line
    quoted: bool  # a quoted field is still open at the end: the row goes on
    opened: bool  # a quoted field opened on this line


def _csv_lines(stream: TextIO, cap: int) -> Iterator[_CsvLine]:
    """The physical lines of a CSV text stream, each read to at most ``cap + 1`` characters; the
    rest of a longer line is read in ``SKIP_CHUNK`` pieces, scanned for quotes, and dropped."""
    number, state = 0, _FIELD_START
    while True:
        parts: list[str] = []
        chars, opened = 0, False
        while chunk := stream.readline(cap + 1 - chars if chars <= cap else SKIP_CHUNK):
            ends_line = chunk.endswith(("\n", "\r"))
            state, opened_here = _scan(chunk.rstrip("\r\n") if ends_line else chunk, state)
            opened = opened or opened_here
            if chars <= cap:
                parts.append(chunk)
            chars += len(chunk)
            if ends_line:
                break
        if not chars:
            return
        number += 1
        quoted = state == _QUOTED
        state = _QUOTED if quoted else _FIELD_START
        if chars > cap:
            yield _CsvLine(number, None, chars, None, quoted, opened)
            continue
        text, size, bad_byte = _line_text(parts)
        yield _CsvLine(number, text if size <= cap else None, size, bad_byte, quoted, opened)


def _line_text(parts: list[str]) -> tuple[str, int, int | None]:
    """A physical line from its pieces: the text (U+FFFD for invalid UTF-8), its size in bytes,
    and the offset of its first invalid byte (None if none)."""
    line = "".join(parts)
    if line.isascii():
        return line, len(line), None
    raw = line.encode("utf-8", "surrogateescape")
    bad = _ESCAPED.search(line)
    if bad is None:
        return line, len(raw), None
    offset = len(line[:bad.start()].encode("utf-8", "surrogateescape"))
    return raw.decode("utf-8", "replace"), len(raw), offset


def _csv_rows(lines: Iterable[_CsvLine], cap: int) -> Iterator[_CsvRow]:
    """Physical lines grouped into rows of at most ``cap`` bytes: a row that grows past the cap
    drops its lines and is read on to where it ends; a quote still open at the end of the input
    is an error naming the line where it opened."""
    first: int | None = None
    kept: list[str] = []
    size, opened_at, last = 0, 0, 0
    warning: str | None = None
    for line in lines:
        first = line.number if first is None else first
        last = line.number
        size += line.size
        if line.text is not None and size <= cap:
            kept.append(line.text)
        else:
            kept.clear()
        if line.bad_byte is not None and warning is None:
            warning = f"invalid UTF-8 at line {line.number} (byte {line.bad_byte}); replaced with U+FFFD"
        if line.quoted:
            opened_at = line.number if line.opened else opened_at
            continue
        yield _finished_row(first, last, kept, warning, size, cap)
        first, kept, size, warning = None, [], 0, None
    if first is not None:  # the input ended inside a quoted field
        yield _CsvRow(opened_at, last, error=("CSVError", _unterminated(opened_at, last - opened_at)))


def _unterminated(opened_at: int, swallowed: int) -> str:
    if not swallowed:
        return f"unterminated quote: the quoted field opened on line {opened_at} never closes (the input ends first)"
    lines = f"{swallowed:,} line" + ("" if swallowed == 1 else "s")
    return (f"unterminated quote: the quoted field opened on line {opened_at} never closes, so it "
            f"swallowed the {lines} after it, to the end of the input")


def _finished_row(first: int, last: int, lines: list[str], warning: str | None,
                  size: int, cap: int) -> _CsvRow:
    if size > cap:
        where = f"lines {first}-{last}" if last > first else f"line {first}"
        return _CsvRow(first, last, error=too_large("row ", cap, f"skipped ({where})"))
    return _CsvRow(first, last, tuple(lines), warning)
