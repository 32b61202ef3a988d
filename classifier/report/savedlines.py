"""Saved profiles read back record by record: JSON Lines, or one JSON document.

Why a module of its own: ``summarize`` and the HTML report read what ``classify`` wrote, which
may be JSON Lines or one pretty array (``--format json``), from a file or a stream that cannot
seek, and may be cut off or concatenated. Each record comes with the line it starts on, so a bad
one is named as FILE:LINE, and a damaged record never makes the rest unreadable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generator, Iterator, Mapping, TextIO


@dataclass(frozen=True)
class SavedLine:
    """One record of a saved profiles file: the line it starts on, and its parsed value or why
    it could not be parsed (``problem``: ``(type, message)``)."""

    line: int
    value: Any = None
    problem: tuple[str, str] | None = None


def read_profiles(stream: TextIO) -> Iterator[Mapping[str, Any]]:
    """Profile dicts from JSON Lines (or one JSON array/object, as ``--format json`` writes).

    A line that is not JSON yields ``{"id": None, "error": {"type": "InvalidJSON", ...}}`` so
    it is counted as an error record instead of stopping the summary.
    """
    for saved in iter_saved(stream):
        if saved.problem is None:
            yield saved.value
        else:
            yield {"id": None, "error": {"type": saved.problem[0], "message": f"line {saved.line}: {saved.problem[1]}"}}


_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


def iter_saved(stream: TextIO) -> Iterator[SavedLine]:
    """The records of a saved file, each with its line: JSON Lines, or one JSON document (a pretty
    object, or an array of records) when the first non-blank line does not hold a whole record."""
    lines: Iterator[tuple[int, str]] = (
        (number, text) for number, text in enumerate(iter(stream.readline, ""), 1) if text.strip())
    first = next(lines, None)
    if first is None:
        return
    number, text = first
    value, problem = _parse_line(text)
    an_array = problem is None and isinstance(value, list)
    an_opening = problem is not None and _unfinished(text)  # "[" or "{" of an indented document?
    if an_array or an_opening:
        after = next(lines, None)  # what follows decides
        if an_array and after is None:  # the file is one array on one line
            yield from (SavedLine(number, item) for item in value)
            return
        if an_opening and not _is_record_line(after):
            blank = "\n" * (after[0] - number - 1) if after else ""  # keeps the line numbers
            yield from _document(text + blank + (after[1] if after else "") + stream.read(), number)
            return
        lines = chain([after], lines) if after else lines
    yield SavedLine(number, value, problem)
    for number, text in lines:
        value, problem = _parse_line(text)
        yield SavedLine(number, value, problem)


def _parse_line(text: str) -> tuple[Any, tuple[str, str] | None]:
    """A line's JSON value, or why it is not JSON this reader can use."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, ("InvalidJSON", f"not JSON ({exc.msg} at column {exc.colno}); expected one JSON object per line")
    except RecursionError:
        return None, ("InvalidJSON", "JSON nested too deeply to read; expected one JSON object per line")
    except ValueError as exc:  # an integer longer than Python's 4,300-digit limit
        return None, ("InvalidJSON", f"JSON this reader refuses ({str(exc).splitlines()[0]}); "
                                     "expected one JSON object per line")


def _unfinished(text: str) -> bool:
    """Whether a first line that is not JSON may open a multi-line document: it starts with "["
    or "{" and is only cut short by the end of the line (a broken line fails before its end)."""
    if text.lstrip()[:1] not in ("[", "{"):
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.pos >= len(text.rstrip())
    except (ValueError, RecursionError):  # too many digits, too deep: a line, not an opening
        return False
    return False


def _is_record_line(numbered: tuple[int, str] | None) -> bool:
    """Whether a line is a whole JSON object: then the lines before it are JSON Lines (a first
    line cut short by a writer that died), not the start of one indented document."""
    if numbered is None:
        return False
    value, problem = _parse_line(numbered[1])
    return problem is None and isinstance(value, dict)


class _LineCounter:
    """The line of each offset into one text, for offsets that only grow: each newline is
    counted once, so numbering a whole document costs one pass."""

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._counted = 0
        self._line = first_line

    def at(self, pos: int) -> int:
        self._line += self._text.count("\n", self._counted, pos)
        self._counted = max(self._counted, pos)
        return self._line


_DECODER = json.JSONDecoder()
_REST_UNREAD = "the rest of the document is not read"


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]


def _document(text: str, first_line: int) -> Iterator[SavedLine]:
    """The records of one JSON document (an object, or an array of records), each with the line
    it starts on; a syntax error ends it with a problem at its line (nothing after it is read)."""
    lines = _LineCounter(text, first_line)
    pos = _skip(text, 0)
    if text.startswith("[", pos):
        end = yield from _array(text, _skip(text, pos + 1), lines)
    else:
        end = yield from _record(text, pos, lines)
    if end is not None and end < len(text):
        yield SavedLine(lines.at(end), problem=("InvalidJSON", "extra data after the JSON document; not read"))


def _array(text: str, pos: int, lines: _LineCounter) -> Generator[SavedLine, None, int | None]:
    """The records of an array whose "[" is behind ``pos``; returns the offset after its "]"
    and the whitespace after it, or None after a problem."""
    if text.startswith("]", pos):
        return _skip(text, pos + 1)
    while True:
        after = yield from _record(text, pos, lines)
        if after is None:
            return None
        if text.startswith(",", after):
            pos = _skip(text, after + 1)
        elif text.startswith("]", after):
            return _skip(text, after + 1)
        else:
            yield SavedLine(lines.at(after),
                            problem=("InvalidJSON", f"expected ',' or ']' after a record; {_REST_UNREAD}"))
            return None


def _record(text: str, pos: int, lines: _LineCounter) -> Generator[SavedLine, None, int | None]:
    """The JSON value at ``pos``; returns the offset after it and its trailing whitespace, or
    None after a problem."""
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        yield SavedLine(lines.at(exc.pos), problem=("InvalidJSON", f"not JSON ({exc.msg}); {_REST_UNREAD}"))
        return None
    except (RecursionError, ValueError) as exc:  # nested too deeply; an integer of 4,300+ digits
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
        yield SavedLine(lines.at(pos), problem=("InvalidJSON", f"JSON this reader refuses ({why}); {_REST_UNREAD}"))
        return None
    yield SavedLine(lines.at(pos), value)
    return _skip(text, end)
