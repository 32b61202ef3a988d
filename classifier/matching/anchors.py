"""Derive prefilter anchors from a rule's regexes: literals that any match must contain.

Why: the matcher must not run every rule's regex on every sentence. If every match of a pattern
contains one of a few literal strings (``"sanction"``, or one of ``"impos" | "levi"``), a single
Aho-Corasick scan of the lowercased article finds the few sentences and rules worth trying.
This is the idea behind RE2's FilteredRE2 and Google Code Search, reduced to what rule packs need.

The analysis walks the parse tree of Python's ``re`` parser, which reads the common subset of
``regex`` syntax. A pattern it cannot read, or one without a required literal of at least
``MIN_ANCHOR_LENGTH`` characters, yields no anchors: its rule is then tried on every sentence
(correct, only slower), and ``rules lint`` reports it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from classifier.matching.casefold import lowercase_same_length
from classifier.matching.wordfreq import requirement_cost

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_ANCHOR_LENGTH = 3

# A requirement is a set of alternatives: every match contains at least one of these strings.
Requirement = Optional[frozenset[str]]

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_IN = sre_constants.IN
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) + tuple(
    getattr(sre_constants, name) for name in ("POSSESSIVE_REPEAT",) if hasattr(sre_constants, name)
)
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)
# Zero-width items that neither add text nor break a run of literals.
_ZERO_WIDTH = (sre_constants.AT,)
# Bounds that keep the expansion of exact strings small.
_MAX_EXACT = 16
_MAX_CLASS = 4


def _rank(req: frozenset[str]) -> tuple[bool, float, int]:
    """Sort key, lowest best: a literal too short to anchor on loses; then the estimated
    frequency in news (:mod:`classifier.matching.wordfreq`: "officials" or "over" let most sentences
    through, "froze" few); then fewer alternatives."""
    too_short = min(len(s.strip()) for s in req) < MIN_ANCHOR_LENGTH
    return (too_short, requirement_cost(req), len(req))


def _best(candidates: Iterable[frozenset[str]]) -> Requirement:
    best: Requirement = None
    for cand in candidates:
        if cand and (best is None or _rank(cand) < _rank(best)):
            best = cand
    return best


def _exact(op: int, arg: Any) -> frozenset[str] | None:
    """The finite set of strings an item matches, when small (``hand(?:ed)?`` -> 2), else None."""
    if op == _LITERAL:
        return frozenset([chr(arg)])
    if op in _ZERO_WIDTH:
        return frozenset([""])
    if op == _IN and isinstance(arg, list) and 0 < len(arg) <= _MAX_CLASS:
        if all(kind == _LITERAL for kind, _ in arg):
            return frozenset(chr(code) for _, code in arg)
        return None
    if op == _SUBPATTERN:
        return _exact_sequence(list(arg[-1]))
    if op == _BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _exact_sequence(list(branch))
            if sub is None:
                return None
            out |= sub
        return frozenset(out) if len(out) <= _MAX_EXACT else None
    if op in _REPEATS:
        low, high, body = arg
        sub = _exact_sequence(list(body))
        if sub is None or high > 3:
            return None
        out = {""} if low == 0 else set()
        current = {""}
        for count in range(1, high + 1):
            current = {a + b for a in current for b in sub}
            if len(current) > _MAX_EXACT:
                return None
            if count >= low:
                out |= current
        return frozenset(out)
    return None


def _exact_sequence(items: list[tuple[int, Any]]) -> frozenset[str] | None:
    out: frozenset[str] = frozenset([""])
    for op, arg in items:
        sub = _exact(op, arg)
        if sub is None:
            return None
        out = frozenset(a + b for a in out for b in sub)
        if len(out) > _MAX_EXACT:
            return None
    return out


def _sequence(items: list[tuple[int, Any]]) -> Requirement:
    """The best requirement of a concatenation: a run of exactly-known items, or a sub-item's."""
    candidates: list[frozenset[str]] = []
    run: frozenset[str] | None = None

    def close_run() -> None:
        nonlocal run
        if run is not None and "" not in run:
            candidates.append(run)
        run = None

    for op, arg in items:
        exact = _exact(op, arg)
        if exact is not None:
            grown = frozenset(a + b for a in (run or {""}) for b in exact)
            if len(grown) <= _MAX_EXACT:
                run = grown
                continue
            close_run()
            run = exact
            continue
        close_run()
        sub = _item(op, arg)
        if sub is not None:
            candidates.append(sub)
    close_run()
    return _best(candidates)


def _item(op: int, arg: Any) -> Requirement:
    """The requirement of one item that matches too many strings to list."""
    if op == _SUBPATTERN:
        return _sequence(list(arg[-1]))
    if _ATOMIC is not None and op == _ATOMIC:
        return _sequence(list(arg))
    if op in _REPEATS:
        low, _high, body = arg
        return _sequence(list(body)) if low >= 1 else None
    if op == _BRANCH:
        alternatives: set[str] = set()
        for branch in arg[1]:
            req = _sequence(list(branch))
            if req is None:
                return None
            alternatives |= req
        return frozenset(alternatives)
    return None


def requirement(items: Iterable[tuple[Any, Any]]) -> Requirement:
    """The literals one of which every match of a parsed item sequence contains, or None."""
    return _sequence(list(items))


def pattern_anchors(pattern: str) -> frozenset[str] | None:
    """Lowercased literals, one of which every match of ``pattern`` contains; None if unknown.

    >>> sorted(pattern_anchors(r"\\b(?:impos|levi)\\w*\\s+sanctions?\\b"))
    ['sanction']
    >>> sorted(pattern_anchors(r"\\b(?:extradit|hand(?:ed)? over)"))
    ['extradit', 'hand over', 'handed over']
    """
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # the `regex` module accepts syntax that `re` does not; fall back safely
        return None
    req = _sequence(list(parsed))
    if req is None:
        return None
    lowered = {lowercase_same_length(s) for s in req}
    if min(len(s.strip()) for s in lowered) < MIN_ANCHOR_LENGTH:
        return None
    # A literal that contains another one adds nothing: where it occurs, the shorter one does too.
    return frozenset(s for s in lowered if not any(o != s and o in s for o in lowered))


def rule_anchors(patterns: Iterable[str], declared: Iterable[str] = (),
                 derive: Callable[[str], frozenset[str] | None] | None = None) -> tuple[str, ...]:
    """The anchors of a rule: declared ones win; else the union over its patterns.

    Returns ``()`` when some pattern has no usable anchor: the rule is then tried everywhere.
    """
    declared = tuple(lowercase_same_length(a) for a in declared if a)
    if declared:
        return tuple(sorted(set(declared)))
    union: set[str] = set()
    for pattern in patterns:
        anchors = (derive or pattern_anchors)(pattern)
        if anchors is None:
            return ()
        union |= anchors
    return tuple(sorted(union))
