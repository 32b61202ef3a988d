"""The article as Hyperscan sees it: one byte per character, and what a class matches there.

Why a module of its own: :mod:`classifier.matching.hsform` rewrites patterns over this image,
and :mod:`classifier.matching.hsscan` scans it; both must agree on it byte for byte. ASCII and
Latin-1 characters stay one byte each; the characters that ``regex``'s simple case folding
makes equal to an ASCII letter become that letter; every other character becomes ``\\x80``.
So byte offsets are ``str`` offsets, with no mapping back; encoding with an error handler keeps
ASCII and Latin-1 text at C speed. Which bytes a character class may match is asked of ``regex``
itself, with the rule's flags, so case folding and Unicode ``\\w``/``\\s``/``\\d`` are
exactly ``regex``'s.
"""

from __future__ import annotations

import codecs
import functools
from typing import Any, Sequence

import regex

from classifier.matching.casefold import FOLDS_TO_ASCII

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]

OTHER = 0x80  # the byte every other non-Latin-1 character becomes
_ALL = frozenset(range(256))
_HIGH = frozenset(range(0x80, 0x100))
WORD_BYTES = frozenset(b for b in range(128) if chr(b).isalnum() or chr(b) == "_")
_CATEGORY_SOURCE = {
    sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W",
}


class Unsupported(Exception):
    """The pattern cannot be rewritten; it keeps the Aho-Corasick path."""


def _characters(byte: int) -> tuple[str, ...]:
    """The characters of the article that the image shows as ``byte`` (``\\x80``: many more,
    which the class rules below cover by adding every high byte)."""
    return (chr(byte), *(c for c, a in FOLDS_TO_ASCII.items() if ord(a) == byte))


@functools.lru_cache(maxsize=4096)
def _class_bytes(source: str, flags: int, wide: bool) -> frozenset[int]:
    """The bytes of the image a one-character ``regex`` class may match; ``wide``: it may match
    characters outside Latin-1 too, so every high byte is in (``\\x80`` alone, which stands for
    them, made Hyperscan compile several times slower)."""
    compiled = regex.compile(source, flags)
    found = {b for b in range(256) if any(compiled.fullmatch(c) for c in _characters(b))}
    return frozenset(found | _HIGH) if wide else frozenset(found)


def _code(point: int) -> str:
    return f"\\U{point:08x}"


def _set_source(items: Sequence[tuple[Any, Any]]) -> tuple[str, bool]:
    """A ``regex`` class source for the parsed class items, and whether it may match a
    character outside Latin-1."""
    parts, negate, wide = [], False, False
    for op, arg in items:
        if op is sre_constants.NEGATE:
            negate = wide = True
        elif op is sre_constants.LITERAL:
            parts.append(_code(arg))
            wide = wide or arg > 0x7F
        elif op is sre_constants.RANGE:
            parts.append(f"{_code(arg[0])}-{_code(arg[1])}")
            wide = wide or arg[1] > 0x7F
        elif op is sre_constants.CATEGORY and arg in _CATEGORY_SOURCE:
            parts.append(_CATEGORY_SOURCE[arg])
            wide = True
        else:
            raise Unsupported(f"class item {op}")
    return ("[^" if negate else "[") + "".join(parts) + "]", wide


def class_bytes(op: Any, arg: Any, flags: int) -> frozenset[int] | None:
    """The byte set of a one-character parsed item (literal, class, ``.``, ``\\w``...), or None
    if the item is not one; :class:`Unsupported` for a class item it cannot read."""
    if op is sre_constants.LITERAL:
        return _class_bytes(_code(arg), flags, arg > 0x7F)
    if op is sre_constants.NOT_LITERAL:
        return _class_bytes("[^" + _code(arg) + "]", flags, True)
    if op is sre_constants.ANY:
        return _class_bytes(".", flags, True)
    if op is sre_constants.CATEGORY:
        if arg not in _CATEGORY_SOURCE:
            raise Unsupported(f"category {arg}")
        return _class_bytes(_CATEGORY_SOURCE[arg], flags, True)
    if op is sre_constants.IN:
        source, wide = _set_source(arg)
        return _class_bytes(source, flags, wide)
    return None


def render(chars: frozenset[int]) -> str:
    """A byte set as a Hyperscan class (a single byte as itself), in ASCII with ``\\xHH``."""
    if chars == _ALL:
        return r"[\x00-\xff]"
    if len(chars) == 1:
        return _byte(next(iter(chars)))
    ordered, runs = sorted(chars), []
    start = prev = ordered[0]
    for b in ordered[1:]:
        if b != prev + 1:
            runs.append((start, prev))
            start = b
        prev = b
    runs.append((start, prev))
    return "[" + "".join(_byte(a) if a == b else f"{_byte(a)}-{_byte(b)}" for a, b in runs) + "]"


def _byte(b: int) -> str:
    return chr(b) if chr(b).isalnum() and b < 0x80 else f"\\x{b:02x}"


def _to_image(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):  # pragma: no cover - only encoding calls it
        raise error
    piece = error.object[error.start:error.end]
    return "".join(FOLDS_TO_ASCII.get(c, "\x80") for c in piece), error.end


_ERRORS = "policy-classifier-image"
codecs.register_error(_ERRORS, _to_image)


def scan_bytes(text: str) -> bytes:
    """The article's one-byte-per-character image that the rewritten patterns match."""
    return text.encode("latin-1", _ERRORS)
