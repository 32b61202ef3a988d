"""Read input records lazily from files, folders and stdin; one record in, one record out.

Why lazy generators: users point the CLI at corpora far larger than memory, so nothing here
reads more than one record ahead. Why :class:`InputRecord` carries an ``error``: a malformed
line must still produce an output record in its place (an error record), so readers never
skip -- they report.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Mapping

from classifier.errors import ConfigError

FORMATS = ("auto", "text", "jsonl", "csv")
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
BINARY_SNIFF = 8192


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
    input_format: str = "auto"
    text_field: str = "text"
    id_field: str = "id"
    keep_fields: tuple[str, ...] = ()


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
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            yield from _read_file(Path(root) / name, options)
    yield from _folder_errors(unreadable)


def _folder_errors(errors: list[OSError]) -> Iterator[InputRecord]:
    while errors:
        exc = errors.pop(0)
        where = _shown(exc.filename) if exc.filename else "?"
        yield InputRecord(where, None, where, error=("FileError", f"cannot list folder: {_reason(exc)}"))


def _read_file(path: Path, options: ReadOptions) -> Iterator[InputRecord]:
    source = _shown(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:  # no permission, a dangling link, a symlink loop, a vanished file
        kind = "FileNotFound" if isinstance(exc, FileNotFoundError) else "FileError"
        yield InputRecord(source, None, source, error=(kind, f"cannot read: {_reason(exc)}"))
        return
    with handle:
        yield from _guarded(_read_stream(handle, source, options, _format_for(path, options)), source)


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", errors="replace"), f"invalid UTF-8 at byte {exc.start}; replaced with U+FFFD"


def _read_stream(stream: BinaryIO, source: str, options: ReadOptions, fmt: str) -> Iterator[InputRecord]:
    if fmt == "auto":  # stdin: JSON Lines if the first non-blank byte opens an object
        head = stream.read(BINARY_SNIFF)
        fmt = "jsonl" if head.lstrip()[:1] == b"{" else "text"
        stream = io.BufferedReader(_Concat(head, stream))  # type: ignore[assignment,type-var]
    if fmt == "jsonl":
        yield from _read_jsonl(stream, source, options)
    elif fmt == "csv":
        yield from _read_csv(stream, source, options)
    else:
        data = stream.read()
        if b"\x00" in data[:BINARY_SNIFF] and source != "<stdin>":
            yield InputRecord(source, None, source, error=("BinaryFile", "looks binary (NUL bytes in the first 8 KiB); skipped"))
            return
        text, warning = _decode(data)
        yield InputRecord(source, text, source, warning=warning)


def _read_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
    """One record per non-blank line; a line that is not a JSON object gets an error record."""
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark
            raw = raw[3:]
        if not raw.strip():
            continue
        line, warning = _decode(raw)
        fallback_id = f"{source}:{number}"
        try:
            obj = json.loads(line)
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


def _read_csv(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
    text_stream = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
    csv.field_size_limit(1 << 30)
    reader = csv.DictReader(text_stream)
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # one broken row gets an error record; the next rows still count
            yield InputRecord(None, None, source, reader.line_num, ("CSVError", f"invalid CSV: {exc}"))
            if reader.line_num == before:  # nothing consumed: stop rather than loop
                return
            continue
        number = reader.line_num
        yield _from_mapping(row, source, number, f"{source}:{number}", options, None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str) -> tuple[str, bool]:
    """JSON can spell a lone UTF-16 surrogate (``"\\ud800"``, from scrapers that split a pair);
    no UTF-8 output can hold one, so it becomes U+FFFD here rather than crash the writer."""
    if _SURROGATE.search(value) is None:
        return value, False
    return _SURROGATE.sub("\ufffd", value), True


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
