"""Read input records lazily from files, folders and stdin; one record in, one record out.

Why lazy generators: users point the CLI at corpora far larger than memory, so nothing here
reads more than one record ahead. Why :class:`InputRecord` carries an ``error``: a malformed
line must still produce an output record in its place (an error record), so readers never
skip -- they report.

Why every reader caps a record (:attr:`ReadOptions.max_record_bytes`): a path may be a pipe or a
device (``/dev/zero``, process substitution), and a corpus may hold a line that never ends; one
record must cost at most the cap in memory, and the records after it must still be read.

What a record is lives in :mod:`classifier.inputs.records`, the CSV reader in :mod:`classifier.inputs.csvinput`;
this module finds the inputs (files, folders, stdin), tells their formats apart and reads text
and JSON Lines.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from classifier.errors import ConfigError, os_reason
from classifier.inputs.csvinput import read_csv
from classifier.inputs.records import (  # noqa: F401 - InputRecord, ReadOptions... are this module's API too
    DEFAULT_MAX_RECORD_BYTES,
    SKIP_CHUNK,
    InputRecord,
    ReadOptions,
    cap_text,
    from_mapping,
    missing_text,
    too_large,
)

FORMATS = ("auto", "text", "jsonl", "csv")
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
BINARY_SNIFF = 8192
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark: written by Excel and Notepad, never content
READ_CHUNK = 1 << 20  # bytes per read of a text input


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
            yield InputRecord(name, None, name, error=(kind, f"cannot open: {os_reason(exc)}"))
            continue
        if is_dir:
            yield from _read_folder(path, options)
        else:
            yield from _read_file(path, options)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as ids and messages show it: a file name that is not valid UTF-8 (Python keeps
    its bytes as lone surrogates) gets U+FFFD, so the JSON output stays valid UTF-8."""
    return os.fsencode(path).decode("utf-8", errors="replace")



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
        yield InputRecord(source, None, source, line, ("ReadError", f"reading stopped{where}: {os_reason(exc)}"))


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
            yield InputRecord(name, None, name, error=("FileError", f"cannot open folder: {os_reason(exc)}"))
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
        yield InputRecord(where, None, where, error=("FileError", f"cannot list folder: {os_reason(exc)}"))


def _read_file(path: Path, options: ReadOptions, regular_only: bool = False) -> Iterator[InputRecord]:
    """The records of one file. ``regular_only`` (a file found in a folder) opens it without
    blocking and skips it unless it is still a regular file once open."""
    source = _shown(path)
    try:
        handle = open(path, "rb", opener=_open_nonblocking if regular_only else None)
    except OSError as exc:  # no permission, a dangling link, a symlink loop, a vanished file
        kind = "FileNotFound" if isinstance(exc, FileNotFoundError) else "FileError"
        yield InputRecord(source, None, source, error=(kind, f"cannot read: {os_reason(exc)}"))
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
        yield from read_csv(stream, source, options)
    else:
        yield _read_text(stream, source, options.max_record_bytes)


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
        return InputRecord(source, None, source, error=too_large("", cap, "skipped"))
    data = b"".join(chunks)
    del chunks
    if b"\x00" in data[:BINARY_SNIFF] and source != "<stdin>":
        return InputRecord(source, None, source,
                           error=("BinaryFile", "looks binary (NUL bytes in the first 8 KiB); skipped"))
    text, warning = _decode(data[len(BOM):] if data.startswith(BOM) else data)
    return InputRecord(source, text, source, warning=warning)


def _read_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[InputRecord]:
    """One record per non-blank line; a line that is not a JSON object gets an error record."""
    cap = options.max_record_bytes
    for number, raw in _capped_lines(stream, cap):
        if raw is None:
            yield InputRecord(None, None, source, number, too_large("line ", cap, "skipped"))
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
            yield InputRecord(None, None, source, number,
                              ("JSONDecodeError", f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        except RecursionError:  # "[[[[..." nested deeper than Python's stack
            yield InputRecord(None, None, source, number, ("JSONDecodeError", "invalid JSON: nested too deeply"))
            continue
        except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
            yield InputRecord(None, None, source, number,
                              ("JSONDecodeError", f"invalid JSON: {str(exc).splitlines()[0]}"))
            continue
        yield from_mapping(obj, source, number, fallback_id, options, warning)


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


def _not_a_number(name: str) -> None:
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, but Python's own writer and some
    scrapers emit them (a missing date as ``NaN``). Read as ``null``, so the record is kept and
    no output can carry a value strict JSON cannot hold."""
    return None


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
