"""What one input record is, and how a mapping (a JSON object, a CSV row) becomes one.

Why a module of its own: every reader (text, JSON Lines, CSV, and the service's request bodies)
produces the same :class:`InputRecord`, with the same error types and the same cap, and builds it
from a mapping the same way; keeping that here lets each reader be a module of its own without
importing the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from classifier.errors import ConfigError

DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024
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


def cap_text(cap: int) -> str:
    """The cap as messages name it: "1,048,576 bytes (1 MiB)"."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if cap >= size and cap % size == 0:
            return f"{cap:,} bytes ({cap // size:,} {unit})"
    return f"{cap:,} bytes"


def too_large(what: str, cap: int, action: str) -> tuple[str, str]:
    """The ``RecordTooLarge`` error for a record over the size cap, worded the same by every reader."""
    return ("RecordTooLarge", f"{what}larger than the record size cap of {cap_text(cap)}; {action}")


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


def from_mapping(obj: object, source: str, number: int, fallback_id: str,
                  options: ReadOptions, warning: str | None) -> InputRecord:
    """One parsed JSON value as an :class:`InputRecord`: a value that is not an object or lacks a
    string text becomes an error record, so one bad line never stops a run."""
    if not isinstance(obj, dict):
        return InputRecord(None, None, source, number,
                           ("InvalidRecord", f"expected a JSON object, got {type(obj).__name__}"))
    raw_id = obj.get(options.id_field)
    record_id, _ = _without_surrogates(fallback_id if raw_id is None else str(raw_id))
    text = obj.get(options.text_field)
    fields = tuple((k, _without_surrogates(v)[0] if isinstance(v, str) else v)
                   for k, v in ((k, obj.get(k)) for k in options.keep_fields if k in obj))
    if text is None:
        return InputRecord(record_id, None, source, number,
                           ("MissingText", missing_text(obj, options.text_field)), fields=fields)
    if not isinstance(text, str):
        return InputRecord(record_id, None, source, number,
                           ("InvalidText", f"field '{options.text_field}' must be a string, "
                                           f"got {type(text).__name__}"),
                           fields=fields)
    text, replaced = _without_surrogates(text)
    if replaced:
        note = "lone UTF-16 surrogates in the text; replaced with U+FFFD"
        warning = f"{warning}; {note}" if warning else note
    return InputRecord(record_id, text, source, number, warning=warning, fields=fields)
