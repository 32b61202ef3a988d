"""A rule pattern rewritten for Hyperscan: a byte pattern that matches *at least* where it does.

Why a rewrite and not the pattern as it is: rule patterns are ``regex`` patterns over Unicode
text, compiled with ``IGNORECASE | UNICODE``; Hyperscan matches bytes, knows no look-arounds,
and its ``\\w``, ``\\b`` and case folding are ASCII unless it runs in UCP mode, which compiles
many times slower. So the matcher hands Hyperscan a one-byte-per-character image of the article
(:mod:`classifier.matching.hsimage`: byte offsets are ``str`` offsets) and this module
turns each pattern into a pattern over that image that is a *necessary condition*: wherever
``regex`` finds a match in a sentence, the rewritten pattern has a match ending at the same
place. Hyperscan then only proposes (rule, sentence) pairs; ``regex`` still decides.

The rewrite is read from Python's ``re`` parse tree (the subset of ``regex`` syntax the rule
packs use; anything it does not read, or reads differently, is refused and that pattern keeps
the Aho-Corasick path):

- each character class becomes the set of bytes whose characters it may match, asked of
  ``regex`` itself with the rule's flags (so case folding and Unicode ``\\w``/``\\s``/``\\d``
  are exactly ``regex``'s), plus every high byte wherever it may match other characters
  (keeping ``\\x80`` alone there instead made Hyperscan compile several times slower);
- look-arounds, ``^``, ``$`` and ``\\B`` are dropped (the sentence, not the article, is what
  ``^`` and ``$`` see), which only widens the pattern;
- ``\\b`` stays only where the pattern's own character beside it is surely an ASCII word
  character: Hyperscan's ``\\b`` then agrees with ``regex``'s or is wider (a non-ASCII letter on
  the other side counts as a non-word byte). Elsewhere it is dropped. The matcher checks the
  one place this could still differ, a sentence edge glued to a word character.

Any run of a pattern's top-level items is a necessary condition too (the piece of a match it
covers lies inside the match's sentence and ends inside it), so each pattern (each
alternative of a top-level ``|``) is cut to the run Hyperscan scans fast (:func:`_core`): not
across a wide unbounded repeat such as ``[\\s\\S]{0,250}``, not from a leading alternation of
common words, not past :data:`MAX_EXPRESSION`, and without trailing optional parts (one match
end where ``\\w+`` gave many callbacks). Bounded repeats above :data:`WIDEN_ABOVE` become
unbounded, and every pattern is compiled with ``HS_FLAG_PREFILTER``, which lets Hyperscan
simplify further, again only towards more matches. On the built-in packs these cuts make both
the compile and the scan several times faster (figures in ``benchmarks/README.md``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

import regex

from classifier.matching.anchors import requirement
from classifier.matching.hsimage import WORD_BYTES, Unsupported, class_bytes, render
from classifier.matching.wordfreq import literal_cost

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

WIDEN_ABOVE = 20  # a counted repeat bound above this becomes unbounded (a superset, compiles fast)
# Longer expressions lose their tail: Hyperscan refuses the longest rule patterns as "too
# large", and in prefilter mode it then matches nearly everywhere; a prefix stays selective.
MAX_EXPRESSION = 8192

# Syntax that ``regex`` reads but Python's ``re`` does not, or reads differently: refused.
_FOREIGN = ("[:", "\\p", "\\P", "\\N", "\\X", "\\G", "\\K", "\\L", "\\m", "\\M", "\\h", "(?V",
            "(?f", "(?r", "(?w", "(?|", "(?&", "(?R", "(?P>", "(?(", "(?x", "(?b", "(?e", "(?p",
            "(?0", "(?1", "(?2", "(?3", "(?4", "(?5", "(?6", "(?7", "(?8", "(?9",
            "{e", "{i", "{d", "{s", "\\Y", "\\y")
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) + tuple(
    getattr(sre_constants, name) for name in ("POSSESSIVE_REPEAT",) if hasattr(sre_constants, name)
)
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)
@dataclass(frozen=True)
class HsForm:
    """A pattern's Hyperscan expression (ASCII bytes, non-ASCII written ``\\xHH``)."""

    expression: bytes


class _Writer:
    """Walks one parse tree; ``flags`` are the rule's ``regex`` flags."""

    def __init__(self, flags: int) -> None:
        self.flags = flags

    def sequence(self, items: Sequence[tuple[Any, Any]]) -> str:
        out = []
        for i, (op, arg) in enumerate(items):
            if op is sre_constants.AT:
                if arg is sre_constants.AT_BOUNDARY and self._word_beside(items, i):
                    out.append(r"\b")
                continue  # ^, $, \B, or a \b that cannot be trusted: dropped (wider)
            if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                continue
            out.append(self.item(op, arg))
        return "".join(out)

    def item(self, op: Any, arg: Any) -> str:
        chars = class_bytes(op, arg, self.flags)
        if chars is not None:
            return render(chars)
        if op is sre_constants.SUBPATTERN:
            return "(?:" + self._scoped(arg[1], arg[2]).sequence(arg[-1]) + ")"
        if _ATOMIC is not None and op is _ATOMIC:
            return "(?:" + self.sequence(arg) + ")"
        if op is sre_constants.BRANCH:
            return "(?:" + "|".join(self.sequence(b) for b in arg[1]) + ")"
        if op in _REPEATS:
            low, high, body = arg
            inner = "(?:" + self.sequence(body) + ")"
            if high is sre_constants.MAXREPEAT or high > WIDEN_ABOVE:
                return inner + ("*" if low == 0 else "+" if low == 1 else f"{{{min(low, WIDEN_ABOVE)},}}")
            return inner + f"{{{low},{high}}}"
        raise Unsupported(f"item {op}")

    def _scoped(self, add: int, remove: int) -> "_Writer":
        """The writer for a group with inline flags: only ``(?i:...)``/``(?-i:...)`` change
        what a class matches; any other flag is refused."""
        if (add | remove) & ~sre_constants.SRE_FLAG_IGNORECASE:
            raise Unsupported("scoped inline flags other than i")
        if not (add or remove):
            return self
        flags = self.flags & ~int(regex.IGNORECASE) if remove else self.flags | int(regex.IGNORECASE)
        return _Writer(flags)

    def _word_beside(self, items: Sequence[tuple[Any, Any]], i: int) -> bool:
        """Does the character matched just after (or before) ``items[i]`` surely have an ASCII
        word byte? Then Hyperscan's ``\\b`` there is at least as wide as ``regex``'s."""
        after = self._edge(items[i + 1:], first=True)
        if after is not None and after <= WORD_BYTES:
            return True
        before = self._edge(list(reversed(items[:i])), first=False)
        return before is not None and before <= WORD_BYTES

    def _edge(self, items: Sequence[tuple[Any, Any]], first: bool) -> frozenset[int] | None:
        """Bytes the first (``first``) or last character matched by ``items`` may have (items
        given in the order they are met); None when unknown or when they may match nothing."""
        for op, arg in items:
            if op in _ZERO_WIDTH:
                continue
            return self._item_edge(op, arg, first)
        return None

    def _item_edge(self, op: Any, arg: Any, first: bool) -> frozenset[int] | None:
        chars = class_bytes(op, arg, self.flags)
        if chars is not None:
            return chars
        if op is sre_constants.SUBPATTERN:
            return self._scoped(arg[1], arg[2])._edge(_ordered(arg[-1], first), first)
        if _ATOMIC is not None and op is _ATOMIC:
            return self._edge(_ordered(arg, first), first)
        if op is sre_constants.BRANCH:
            found: set[int] = set()
            for branch in arg[1]:
                edge = self._edge(_ordered(branch, first), first)
                if edge is None:
                    return None
                found |= edge
            return frozenset(found)
        if op in _REPEATS and arg[0] >= 1:
            return self._edge(_ordered(arg[2], first), first)
        return None  # optional, or not known: say nothing


COMMON = 20.0  # occurrences per thousand words (wordfreq): "the", "its", "they", "de"


def _common(items: Sequence[tuple[Any, Any]]) -> bool:
    """Is the best literal set every match of ``items`` holds missing, short, or does it
    include a word so common ("the") that Hyperscan would wake at most words of an article?"""
    literals = requirement(items)
    return (not literals or min(len(x) for x in literals) < 3
            or max(literal_cost(x.lower()) for x in literals) >= COMMON)


def _core(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The run of ``items`` that Hyperscan scans for. Any run of a match's top-level items
    matches a piece of it, which ends inside its sentence, so each choice keeps the necessary
    condition; they keep Hyperscan fast. Split at a wide unbounded repeat
    (``[\\s\\S]{0,250}``), which makes its automata run everywhere, keeping the first part
    with a literal that is not a common word; then start at the first item whose literals are
    not common words (a reference such as ``(?:the|these|such)\\s+(?:\\w+\\s+)?measures`` is
    looked for from "measure")."""
    branches = _alternatives(items)
    if branches is not None:
        return [(sre_constants.BRANCH, (None, [_core(b) for b in branches]))]
    parts: list[list[tuple[Any, Any]]] = []
    current: list[tuple[Any, Any]] = []
    for item in items:
        if _wide_repeat(*item):
            parts.append(current)
            current = []
        else:
            current.append(item)
    parts.append(current)
    if len(parts) > 1:
        kept = [p for p in parts if p]
        items = next((p for p in kept if not _common(p)), kept[0] if kept else items)
    for index, (op, _arg) in enumerate(items):
        if op is sre_constants.LITERAL and index and items[index - 1][0] is sre_constants.LITERAL:
            continue  # inside a run of literals: judged from its first letter
        if op in _ZERO_WIDTH:
            continue
        run = index + 1
        while op is sre_constants.LITERAL and run < len(items) and items[run][0] is sre_constants.LITERAL:
            run += 1
        if not _common(items[index:run]):
            if index and items[index - 1] == (sre_constants.AT, sre_constants.AT_BOUNDARY):
                index -= 1
            return items[index:]
    return items


def _alternatives(items: list[tuple[Any, Any]]) -> list[list[tuple[Any, Any]]] | None:
    """The alternatives of a pattern that is one ``|`` (in a plain group or not), with the
    zero-width items around it moved into each (``\\b(?:a|b)`` -> ``\\ba|\\bb``: the parser
    factors a shared ``\\b`` out), so each alternative is cut on its own; None otherwise."""
    consuming = [i for i, (op, _) in enumerate(items) if op not in _ZERO_WIDTH]
    if len(consuming) != 1:
        return None
    index = consuming[0]
    op, arg = items[index]
    while op is sre_constants.SUBPATTERN and not (arg[1] or arg[2]) and len(arg[-1]) == 1:
        op, arg = list(arg[-1])[0]
    if op is not sre_constants.BRANCH:
        return None
    before, after = items[:index], items[index + 1:]
    return [[*before, *branch, *after] for branch in arg[1]]


def _wide_repeat(op: Any, arg: Any) -> bool:
    if op not in _REPEATS or not (arg[1] is sre_constants.MAXREPEAT or arg[1] > WIDEN_ABOVE):
        return False
    body = list(arg[2])
    if len(body) != 1:
        return False
    try:
        chars = class_bytes(body[0][0], body[0][1], int(regex.UNICODE | regex.IGNORECASE))
    except Unsupported:
        return False
    return chars is not None and {ord("a"), ord(" ")} <= chars  # runs across words


def _trimmed(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """``items`` without what may follow their shortest match: trailing zero-width items and
    optional repeats go, and a trailing repeat keeps its least count (one alternative of a
    top-level ``|`` likewise). A prefix of a match inside a sentence ends inside it too, so
    this keeps the necessary condition, and Hyperscan reports one end where ``\\w+`` gave many."""
    branches = _alternatives(items)
    if branches is not None:
        return [(sre_constants.BRANCH, (None, [_trimmed(b) for b in branches]))]
    while items and (items[-1][0] in _ZERO_WIDTH or (items[-1][0] in _REPEATS and items[-1][1][0] == 0)):
        items = items[:-1]
    if items and items[-1][0] in _REPEATS:
        op, (low, _high, body) = items[-1]
        items = [*items[:-1], (op, (low, low, body))]
    return items


def _ordered(items: Any, first: bool) -> list[tuple[Any, Any]]:
    listed = list(items)
    return listed if first else list(reversed(listed))


@functools.lru_cache(maxsize=1 << 16)
def hs_form(pattern: str, flags: int) -> HsForm | None:
    """``pattern`` (compiled by ``regex`` with ``flags``) as a Hyperscan expression over the
    article's image, or None when it cannot be rewritten soundly."""
    if any(mark in pattern for mark in _FOREIGN):
        return None
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:
        return None
    if parsed.state.flags & ~(sre_constants.SRE_FLAG_UNICODE):
        return None  # inline global flags: the rule's flags are what regex uses, keep it simple
    try:
        items = _trimmed(_core(list(parsed)))
        expression = _Writer(flags).sequence(items)
        while len(expression) > MAX_EXPRESSION and len(items) > 1:
            items = _trimmed(items[:-1])  # a prefix: still a necessary condition
            expression = _Writer(flags).sequence(items)
    except (Unsupported, regex.error, RecursionError):
        return None
    if not expression:
        return None
    return HsForm(expression.encode("ascii"))
