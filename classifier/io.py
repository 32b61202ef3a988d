"""Read input records lazily from files, folders and stdin; one record in, one record out.

Why lazy generators: users point the CLI at corpora far larger than memory, so nothing here
reads more than one record ahead. Why :class:`InputRecord` carries an ``error``: a malformed
line must still produce an output record in its place (an error record), so readers never
skip -- they report.

Why every reader caps a record (:attr:`ReadOptions.max_record_bytes`): a path may be a pipe or a
device (``/dev/zero``, process substitution), and a corpus may hold a line that never ends; one
record must cost at most the cap in memory, and the records after it must still be read.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Mapping, TextIO

from classifier.errors import ConfigError

FORMATS = ("auto", "text", "jsonl", "csv")
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
BINARY_SNIFF = 8192
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark: written by Excel and Notepad, never content
DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024
READ_CHUNK = 1 << 20  # bytes per read of a text input
SKIP_CHUNK = 64 * 1024  # bytes (or characters) per read while skipping a record over the cap


@dataclass(frozen=True)
class InputRecord:
    """One article to classify, or the reason it cannot be read (``error``)."""

    id: str | None
    text: str | None
    source: str
    line: int | None = None
    error: tuple[str, str] | None = None  # (type, message)
    warning: str | None = None
    fields: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs. ``max_record_bytes`` caps one record (a text input, a JSONL line, a
    CSV row): a bigger one becomes a ``RecordTooLarge`` error record, read no further than the
    cap, so no input can exhaust memory."""

    input_format: str = "auto"
    text_field: str = "text"
    id_field: str = "id"
    keep_fields: tuple[str, ...] = ()
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES

    def __post_init__(self) -> None:
        cap = self.max_record_bytes
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
            raise ConfigError(f"max_record_bytes must be a whole number of bytes, at least 1; got {cap!r}")


def iter_records(paths: Iterable[str], options: ReadOptions, stdin: BinaryIO | None = None) -> Iterator[InputRecord]:
    """Every record of every path ('-' is stdin), folders walked recursively in sorted order."""
    if options.input_format not in FORMATS:
        raise ConfigError(f"--input-format must be one of {', '.join(FORMATS)}")
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
            if stream is None:  # started with stdin closed (`<&-`): say so, in the record's place
                yield InputRecord("<stdin>", None, "<stdin>", error=("StdinClosed", "stdin is closed; nothing to read"))
                continue
            yield from _guarded(_read_stream(stream, "<stdin>", options, _format_for(None, options)), "<stdin>")
            continue
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as exc:  # missing, a dangling link, a symlink loop, no permission
            kind = "FileNotFound" if isinstance(exc, FileNotFoundError) else "FileError"
            name = _shown(raw)
            yield InputRecord(name, None, name, error=(kind, f"cannot open: {_reason(exc)}"))
            continue
        if is_dir:
            yield from _read_folder(path, options)
        else:
            yield from _read_file(path, options)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as ids and messages show it: a file name that is not valid UTF-8 (Python keeps
    its bytes as lone surrogates) gets U+FFFD, so the JSON output stays valid UTF-8."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _reason(exc: OSError) -> str:
    """``strerror`` in words ("Permission denied", "Too many levels of symbolic links")."""
    return exc.strerror or str(exc) or type(exc).__name__


def _guarded(records: Iterator[InputRecord], source: str) -> Iterator[InputRecord]:
    """Records of one stream; a read that fails part-way (EIO, a vanished pipe or mount) ends
    the stream with an error record naming the last line read, instead of a traceback."""
    line: int | None = None
    try:
        for record in records:
            line = record.line
            yield record
    except OSError as exc:
        where = f" after line {line}" if line else ""
        yield InputRecord(source, None, source, line, ("ReadError", f"reading stopped{where}: {_reason(exc)}"))


def _format_for(path: Path | None, options: ReadOptions) -> str:
    if options.input_format != "auto":
        return options.input_format
    if path is None:
        return "auto"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    return "text"


def _read_folder(folder: Path, options: ReadOptions) -> Iterator[InputRecord]:
    """Every file below ``folder``, sorted; a folder that cannot be listed gets an error record
    (``os.walk`` would skip it silently), and a symlink loop is walked once."""
    seen: set[tuple[int, int]] = set()
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable.append):
        yield from _folder_errors(unreadable)
        try:
            info = os.stat(root)
        except OSError as exc:
            name = _shown(root)
            yield InputRecord(name, None, name, error=("FileError", f"cannot open folder: {_reason(exc)}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:  # a symlink loop: do not walk the same folder twice
            dirs[:] = []
            continue
        seen.add(key)
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))  # .git, .cache...
        for name in sorted(files):
            if name.startswith("."):
                continue
            yield from _read_walked_file(Path(root) / name, options)
    yield from _folder_errors(unreadable)


def _read_walked_file(path: Path, options: ReadOptions) -> Iterator[InputRecord]:
    """A file found by walking a folder: only a regular file is read. Why: a FIFO blocks the run
    until something writes to it and a device like ``/dev/zero`` never ends; the user named the
    folder, not them. (A path named directly is read whatever it is: ``<(cmd)`` is a pipe.)"""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a dangling link, a loop: opening it reports why
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        yield _not_regular(path, mode)
        return
    yield from _read_file(path, options, regular_only=True)


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(path: Path, mode: int) -> InputRecord:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    source = _shown(path)
    return InputRecord(source, None, source, error=(
        "NotARegularFile", f"is {kind}; skipped (only regular files are read from a folder)"))


def _open_nonblocking(path: str, flags: int) -> int:
    """Open without waiting for a writer: a file that became a FIFO after it was checked must not
    block the run (the check after opening catches it)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _folder_errors(errors: list[OSError]) -> Iterator[InputRecord]:
    while errors:
        exc = errors.pop(0)
        where = _shown(exc.filename) if exc.filename else "?"
        yield InputRecord(where, None, where, error=("FileError", f"cannot list folder: {_reason(exc)}"))


def _read_file(path: Path, options: ReadOptions, regular_only: bool = False) -> Iterator[InputRecord]:
    """The records of one file. ``regular_only`` (a file found in a folder) opens it without
    blocking and skips it unless it is still a regular file once open."""
    source = _shown(path)
    try:
        handle = open(path, "rb", opener=_open_nonblocking if regular_only else None)
    except OSError as exc:  # no permission, a dangling link, a symlink loop, a vanished file
        kind = "FileNotFound" if isinstance(exc, FileNotFoundError) else "FileError"
        yield InputRecord(source, None, source, error=(kind, f"cannot read: {_reason(exc)}"))
        return
    with handle:
        if regular_only:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                yield _not_regular(path, mode)
                return
            os.set_blocking(handle.fileno(), True)
        yield from _guarded(_read_stream(handle, source, options, _format_for(path, options)), source)


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", errors="replace"), f"invalid UTF-8 at byte {exc.start}; replaced with U+FFFD"


def _read_stream(stream: BinaryIO, source: str, options: ReadOptions, fmt: str) -> Iterator[InputRecord]:
    if fmt == "auto":  # stdin: JSON Lines if the first non-blank byte opens an object
        head = stream.read(BINARY_SNIFF).removeprefix(BOM)  # a BOM says nothing about the format
        fmt = "jsonl" if head.lstrip()[:1] == b"{" else "text"
        stream = io.BufferedReader(_Concat(head, stream))  # type: ignore[assignment,type-var]
    if fmt == "jsonl":
        yield from _read_jsonl(stream, source, options)
    elif fmt == "csv":
        yield from _read_csv(stream, source, options)
    else:
        yield _read_text(stream, source, options.max_record_bytes)


def _cap_text(cap: int) -> str:
    """The cap as messages name it: "1,048,576 bytes (1 MiB)"."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if cap >= size and cap % size == 0:
            return f"{cap:,} bytes ({cap // size:,} {unit})"
    return f"{cap:,} bytes"


def _too_large(what: str, cap: int, action: str) -> tuple[str, str]:
    return ("RecordTooLarge", f"{what}larger than the record size cap of {_cap_text(cap)}; {action}")


def _read_text(stream: BinaryIO, source: str, cap: int) -> InputRecord:
    """A whole input as one article, read in chunks and never more than ``cap + 1`` bytes: a
    device or an endless pipe gets an error record instead of all the memory there is."""
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = stream.read(min(READ_CHUNK, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        return InputRecord(source, None, source, error=_too_large("", cap, "skipped"))
    data = b"".join(chunks)
    del chunks
    if b"\x00" in data[:BINARY_SNIFF] and source != "<stdin>":
        return InputRecord(source, None, source, error=("BinaryFile", "looks binary (NUL bytes in the first 8 KiB); skipped"))
    text, warning = _decode(data[len(BOM):] if data.startswith(BOM) else data)
    return InputRecord(source, text, source, warning=warning)


def _read_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
    """One record per non-blank line; a line that is not a JSON object gets an error record."""
    cap = options.max_record_bytes
    for number, raw in _capped_lines(stream, cap):
        if raw is None:
            yield InputRecord(None, None, source, number, _too_large("line ", cap, "skipped"))
            continue
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        if not raw.strip():
            continue
        line, warning = _decode(raw)
        fallback_id = f"{source}:{number}"
        try:
            obj = json.loads(line, parse_constant=_not_a_number)
        except json.JSONDecodeError as exc:
            yield InputRecord(None, None, source, number, ("JSONDecodeError", f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        except RecursionError:  # "[[[[..." nested deeper than Python's stack
            yield InputRecord(None, None, source, number, ("JSONDecodeError", "invalid JSON: nested too deeply"))
            continue
        except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
            yield InputRecord(None, None, source, number, ("JSONDecodeError", f"invalid JSON: {str(exc).splitlines()[0]}"))
            continue
        yield _from_mapping(obj, source, number, fallback_id, options, warning)


def _capped_lines(stream: BinaryIO, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for each line; None for a line longer than ``cap`` (line end
    aside), which is then skipped in ``SKIP_CHUNK`` reads up to its newline -- after the None is
    yielded, so its error record is out before an endless line is skipped."""
    readline = getattr(stream, "readline", None)
    if readline is None:  # a plain iterable of lines (a test's stream): each is in memory already
        for number, raw in enumerate(stream, 1):
            yield number, raw if len(raw.rstrip(b"\n")) <= cap else None
        return
    number = 0
    while raw := readline(cap + 1):
        number += 1
        if len(raw) <= cap or raw.endswith(b"\n"):
            yield number, raw
            continue
        yield number, None
        while (rest := readline(SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass


def _read_csv(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
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
                yield _from_mapping(_row_mapping(header, values), source, row.last,
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
        return _CsvRow(first, last, error=_too_large("row ", cap, f"skipped ({where})"))
    return _CsvRow(first, last, tuple(lines), warning)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str) -> tuple[str, bool]:
    """JSON can spell a lone UTF-16 surrogate (``"\\ud800"``, from scrapers that split a pair);
    no UTF-8 output can hold one, so it becomes U+FFFD here rather than crash the writer."""
    if _SURROGATE.search(value) is None:
        return value, False
    return _SURROGATE.sub("\ufffd", value), True


def _not_a_number(name: str) -> None:
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, but Python's own writer and some
    scrapers emit them (a missing date as ``NaN``). Read as ``null``, so the record is kept and
    no output can carry a value strict JSON cannot hold."""
    return None


def missing_text(record: Mapping[str, Any], field: str) -> str:
    """Why a record's text is None: the field is absent, or present and null."""
    return f"field '{field}' is null" if field in record else f"record has no '{field}' field"


def _from_mapping(obj: object, source: str, number: int, fallback_id: str,
                  options: ReadOptions, warning: str | None) -> InputRecord:
    if not isinstance(obj, dict):
        return InputRecord(None, None, source, number, ("InvalidRecord", f"expected a JSON object, got {type(obj).__name__}"))
    raw_id = obj.get(options.id_field)
    record_id, _ = _without_surrogates(fallback_id if raw_id is None else str(raw_id))
    text = obj.get(options.text_field)
    fields = tuple((k, _without_surrogates(v)[0] if isinstance(v, str) else v)
                   for k, v in ((k, obj.get(k)) for k in options.keep_fields if k in obj))
    if text is None:
        return InputRecord(record_id, None, source, number,
                           ("MissingText", missing_text(obj, options.text_field)), fields=fields)
    if not isinstance(text, str):
        return InputRecord(record_id, None, source, number, ("InvalidText", f"field '{options.text_field}' must be a string, got {type(text).__name__}"), fields=fields)
    text, replaced = _without_surrogates(text)
    if replaced:
        note = "lone UTF-16 surrogates in the text; replaced with U+FFFD"
        warning = f"{warning}; {note}" if warning else note
    return InputRecord(record_id, text, source, number, warning=warning, fields=fields)


class _Concat(io.RawIOBase):
    """Bytes already read (to sniff stdin), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
