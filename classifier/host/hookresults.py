"""What a plugin's per-article hook may return, checked where its result enters the engine.

Why a boundary check for every field: a :class:`~classifier.model.Tag` is a dataclass, and
dataclasses do not check types. A refiner that returned a set of tags, a span of strings, a NaN
score or an unknown modality used to fail whole records with bare tracebacks far from the cause,
or write ``NaN`` into output that then was not JSON. Each check here returns a problem in words
(None when the value keeps the contract); the engine records it against the plugin and hook and
keeps what the chain had before.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping

from classifier.model import MODALITIES, ActionType, Amount, Sentence, Tag

MAX_LANG = 16  # characters in a language code a detector may return ("en", "pt-BR", "zh-Hant")


class ResultError(Exception):
    """A hook result that breaks the contract; the message says how."""


def materialise(result: Any, what: str) -> list[Any]:
    """A hook's sequence result as a list: a list, a tuple or an iterator (consumed here, so a
    generator that raises is caught at the boundary). Sets and mappings are refused because
    their order is not defined (output must be deterministic), str and bytes because they are
    not sequences of ``what``."""
    if isinstance(result, (list, tuple)):
        return list(result)
    if isinstance(result, (str, bytes, bytearray, set, frozenset, Mapping)):
        raise ResultError(f"returned {type(result).__name__}; expected a list of {what}")
    try:
        iterator = iter(result)
    except TypeError:
        raise ResultError(f"returned {type(result).__name__}; expected a list of {what}") from None
    return list(iterator)  # an exception inside it is the caller's to isolate


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def finite_number(value: object) -> bool:
    """A number JSON can hold: not a boolean, not NaN or infinite, not an integer too big for a
    float (``math.isfinite`` raises on one of hundreds of digits). Saved profiles are checked
    with it too (:mod:`classifier.report.profilecheck`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _span_problem(span: object) -> str | None:
    if not (isinstance(span, tuple) and len(span) == 2 and all(_is_int(x) for x in span)):
        return f"span must be a (start, end) tuple of two integers, got {span!r:.60}"
    return None


def amount_problem(amount: object) -> str | None:
    """What is wrong with one of a tag's amounts as a plugin returned it, or None."""
    if not isinstance(amount, Amount):
        return f"amounts hold {type(amount).__name__}, expected classifier.model.Amount"
    if not finite_number(amount.value):
        return f"amount value must be a finite number, got {amount.value!r:.40}"
    if not isinstance(amount.unit, str) or not isinstance(amount.text, str):
        return "amount unit and text must be strings"
    if amount.span is not None:
        return _span_problem(amount.span)
    return None


def tag_problem(tag: Any, sentence: Sentence, text: str,
                actions: Mapping[str, ActionType]) -> str | None:
    """Why ``tag`` cannot stand in ``sentence`` of ``text``, or None.

    Every tag of every refiner passes here (tens per dense article), so the usual tag -- exact
    built-in types -- is accepted by one expression of built-in tests; anything else, or
    anything that expression doubts, goes through :func:`_tag_problem`, the check field by field
    that words the problem. The quick test accepts only what that check accepts."""
    if _plainly_valid(tag, sentence, text, actions):
        return None
    return _tag_problem(tag, sentence, text, actions)


_OK_TEXT = (str, type(None))


def _plainly_valid(tag: Any, sentence: Sentence, text: str,
                   actions: Mapping[str, ActionType]) -> bool:
    """A sufficient condition for :func:`_tag_problem` to find nothing: exact built-in types
    (no bool or int subclass, no str subclass) and float scores and values that are finite
    (NaN and the infinities fail ``x - x == 0``); False means only "look closer"."""
    if type(tag) is not Tag or type(tag.amounts) is not tuple:
        return False
    for amount in tag.amounts:
        if not (type(amount) is Amount and type(value := amount.value) is float
                and value - value == 0.0 and type(amount.unit) is str
                and type(amount.text) is str
                and ((where := amount.span) is None
                     or (type(where) is tuple and len(where) == 2
                         and type(where[0]) is int and type(where[1]) is int))):
            return False
    span, action, score = tag.span, tag.action, tag.score
    if not (type(span) is tuple and len(span) == 2 and type(action) is str and action in actions):
        return False
    start, end = span
    return (type(start) is int and type(end) is int
            and sentence.start <= start < end <= sentence.end
            and type(tag.text) is str and text[start:end] == tag.text
            and type(tag.rule) is str and type(tag.plugin) is str and type(tag.sentence) is int
            and tag.modality in MODALITIES
            and type(score) is float and score - score == 0.0
            and type(tag.cue) in _OK_TEXT and type(tag.actor) in _OK_TEXT
            and type(tag.target) in _OK_TEXT
            and type(getattr(tag, "destination", None)) in _OK_TEXT
            and type(getattr(tag, "via", None)) in _OK_TEXT)


def _tag_problem(tag: Any, sentence: Sentence, text: str,
                 actions: Mapping[str, ActionType]) -> str | None:
    """:func:`tag_problem`, field by field."""
    if not isinstance(tag, Tag):
        return f"returned {type(tag).__name__}, expected classifier.model.Tag"
    if not isinstance(tag.action, str) or tag.action not in actions:
        return f"tag has unknown action {tag.action!r:.40} (registered: {', '.join(sorted(actions))})"
    problem = _span_problem(tag.span)
    if problem:
        return f"tag {problem}"
    start, end = tag.span
    if not (sentence.start <= start < end <= sentence.end):
        return f"tag span {list(tag.span)} lies outside sentence {sentence.index} [{sentence.start}, {sentence.end}]"
    if not isinstance(tag.text, str) or text[start:end] != tag.text:
        return f"tag text {tag.text!r:.60} differs from the article text at its span"
    if not (isinstance(tag.rule, str) and isinstance(tag.plugin, str) and _is_int(tag.sentence)):
        return "tag rule and plugin must be strings and sentence an integer"
    if tag.modality not in MODALITIES:
        return f"tag modality {tag.modality!r:.40} is not one of {', '.join(MODALITIES)}"
    if not finite_number(tag.score):
        return f"tag score must be a finite number, got {tag.score!r:.40}"
    if not (_is_text(tag.cue) and _is_text(tag.actor) and _is_text(tag.target)):
        return "tag cue, actor and target must be strings or None"
    if not isinstance(tag.amounts, tuple):
        return f"tag amounts must be a tuple of Amount, got {type(tag.amounts).__name__}"
    for amount in tag.amounts:
        problem = amount_problem(amount)
        if problem:
            return problem
    return _extra_fields_problem(tag)


def _extra_fields_problem(tag: Tag) -> str | None:
    for name in ("destination", "via"):
        if not _is_text(getattr(tag, name, None)):
            return f"tag {name} must be a string or None"
    return None


def checked_spans(spans: Iterable[Any], length: int) -> list[tuple[int, int]] | None:
    """A splitter's spans as a list, or None unless ordered, non-overlapping, non-empty,
    integer and inside a text of ``length`` characters."""
    out: list[tuple[int, int]] = []
    previous_end = 0
    for item in spans:
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            return None
        start, end = item
        if not (_is_int(start) and _is_int(end)):
            return None
        if start < previous_end or end <= start or end > length:
            return None
        out.append((start, end))
        previous_end = end
    return out


def language_problem(lang: object) -> str | None:
    """Why a detector's answer is not a language code, or None."""
    if not isinstance(lang, str) or not lang.strip() or len(lang) > MAX_LANG:
        return f"returned {lang!r:.40}; expected a language code such as 'en'"
    if not all(c.isalnum() or c in "-_" for c in lang):
        return f"returned {lang!r:.40}; a language code holds letters, digits and '-'"
    return None


def json_problem(value: object) -> str | None:
    """Why ``value`` cannot go into a profile's JSON (cycles, NaN, sets, objects), or None."""
    if not isinstance(value, dict):
        return f"returned {type(value).__name__}; expected a JSON-ready dict"
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        return f"returned a value that is not JSON-ready: {str(exc).splitlines()[0][:80]}"
    return None
