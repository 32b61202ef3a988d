"""The literals a rule's matches must open with, at a word start: the matcher's second gate.

Why a module of its own: it reads patterns with Python's ``re`` parser, a concern of its own
next to the matcher's hot loop (see the module docstring of :mod:`classifier.matching.matcher` for why
the gate exists). Kept apart from :mod:`classifier.matching.anchors`, which chooses the prefilter's
anchors: an opening literal is a different, second necessary condition.
"""

from __future__ import annotations

import functools
from typing import Any, Sequence

import regex

from classifier.matching.casefold import lowercase_same_length
from classifier.model import Rule

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


MIN_START_LITERAL = 2  # one letter would pass almost every sentence
_FUZZY = regex.compile(r"\{[eids]\s*[<=]|\{[eids]\}")  # regex's fuzzy matching: not literal


def is_word(char: str) -> bool:
    r"""Surely a ``\w`` character for ``regex`` (checked over all of Unicode); when unsure,
    False, which keeps a candidate: the gate may let through, never wrongly drop."""
    return char.isalpha() or char.isdecimal() or char == "_"


_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) + tuple(
    getattr(sre_constants, name) for name in ("POSSESSIVE_REPEAT",) if hasattr(sre_constants, name)
)


def _prefixes(items: Sequence[tuple[Any, Any]]) -> list[str]:
    """Lowercased literals that every match of the item sequence starts with ("" if none)."""
    out = [""]
    for position, (op, arg) in enumerate(items):
        if op in _ZERO_WIDTH:  # \b, ^, look-arounds: they consume nothing
            continue
        if op is sre_constants.LITERAL:
            char = lowercase_same_length(chr(arg))  # as the matcher lowers the article
            out = [p + char for p in out]
            continue
        if op is sre_constants.SUBPATTERN:
            tail = _prefixes(arg[-1])  # type: ignore[index]
        elif op is sre_constants.BRANCH:
            tail = sorted({q for alt in arg[1] for q in _prefixes(alt)})  # type: ignore[index]
        elif op in _REPEATS and arg[0] == 0:  # type: ignore[index]
            # optional: a match opens with the repeated item or with what follows it
            rest = _prefixes(items[position + 1:])
            tail = sorted(set(_prefixes(arg[2])) | set(rest))  # type: ignore[index]
        elif op in _REPEATS:  # at least once: opens with the repeated item
            tail = _prefixes(arg[2])  # type: ignore[index]
        else:  # a class, anything not surely literal: the prefix ends here
            break
        return [p + q for p in out for q in tail]
    return out


@functools.lru_cache(maxsize=1 << 16)  # pure; an engine's matchers share most patterns
def start_literals(pattern: str) -> frozenset[str] | None:
    """The literals one of which opens a word where every match of ``pattern`` starts, or None;
    none of them is an extension of another.

    Only for patterns that begin with ``\b`` followed by literal text or an alternation of
    literal openings (``\b(?:impos|levi)ed``), each at least ``MIN_START_LITERAL`` characters
    and starting with a word character (so ``\b`` means: no word character before it). Read
    with Python's ``re`` parser like :mod:`classifier.matching.anchors`; any doubt gives None.
    """
    if _FUZZY.search(pattern):
        return None
    try:
        parsed = list(sre_parse.parse(pattern))
    except Exception:  # regex-only syntax: no gate for this pattern
        return None
    if not parsed or parsed[0] != (sre_constants.AT, sre_constants.AT_BOUNDARY):
        return None
    literals = set(_prefixes(parsed[1:]))
    if not literals or any(len(x) < MIN_START_LITERAL or not is_word(x[0]) for x in literals):
        return None
    # A literal that extends another one ("approved" after "approv") adds nothing: where it
    # opens a word, so does the shorter one. Dropping it leaves the gate's answers the same and
    # makes it much smaller: inflected alternations ("impos(?:e|es|ed|ing)") otherwise expand
    # to every ending (10,000 generated rules: 81,812 literals -> 21,296).
    return frozenset(x for x in literals if not any(o != x and x.startswith(o) for o in literals))


def rule_start_literals(rule: Rule) -> frozenset[str]:
    """A rule matches only where one of its patterns matches: the union of their literals, or
    nothing (no gate) when any pattern has none."""
    found: set[str] = set()
    for pattern in rule.patterns:
        literals = start_literals(pattern)
        if literals is None:
            return frozenset()
        found |= literals
    return frozenset(found)
