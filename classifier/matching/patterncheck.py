"""Whether a string can be a rule pattern, and the flags every rule pattern is compiled with.

Why a module of its own: the pattern cache (matching) and the rule-pack reader (host) both ask
these questions, and the answers are kept in the memo, so they live below both, in one place.
"""

from __future__ import annotations

from typing import Any, Callable

import regex

from classifier.matching.limits import pattern_size_problem

# How a pattern is compiled: ``regex.compile`` or a cache's ``get`` with the same signature.
Compile = Callable[[str, int], Any]


# Plain ints: RegexFlag arithmetic and formatting go through the enum machinery, slow enough
# per call to show in the start-up of a large rule pack.
_FLAGS = {True: int(regex.UNICODE), False: int(regex.UNICODE | regex.IGNORECASE)}


def compile_flags(case_sensitive: bool) -> int:
    """The `regex` flags every rule pattern is compiled with."""
    return _FLAGS[bool(case_sensitive)]


def pattern_problem(pattern: str, flags: int, compile: Compile = regex.compile) -> str | None:
    """Why ``pattern`` cannot be a rule pattern, or None.

    Besides regex syntax and the size limits of :mod:`classifier.matching.limits`: a pattern that
    matches the empty string (``(sanction)?``, ``x*``, or one alternative of it, as in
    ``sanctions|\\b``) would tag sentences with an empty span, which no user means and which
    breaks the promise that a tag's text is the matched evidence. Every match on a few probe
    texts must be non-empty (the matcher also drops an empty match that slips through).
    """
    size = pattern_size_problem(pattern)
    if size:
        return size
    try:
        compiled = compile(pattern, flags)
    except (regex.error, ValueError, TypeError, OverflowError, MemoryError, RecursionError) as exc:
        return f"is not a valid regex ({str(exc)[:200]})"
    try:
        empty = any(m.start() == m.end() for probe in EMPTY_PROBES
                    for m in compiled.finditer(probe, timeout=0.1))
    except TimeoutError:  # pragma: no cover - the probes are a few characters long
        empty = False
    return "can match the empty string (every sentence would be tagged)" if empty else None


# Texts on which a rule pattern must not find an empty match: word and non-word edges, digits,
# punctuation, Spanish letters and a line end, so look-arounds and \b alone are caught.
EMPTY_PROBES = ("", "a", "a b", "The 1 sanction, ñ.\n", " ")
