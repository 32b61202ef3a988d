"""Is a saved line a profile (or an error record) that ``summarize`` can count?

Why a module of its own: a profiles file may have been edited, concatenated or written by
another tool, and one badly typed line (a list where an object belongs, a string for a count, a
NaN) must cost that line, named as FILE:LINE with what was expected, never the whole summary.
:func:`profile_problem` checks every field the summary reads, and nothing else.
"""

from __future__ import annotations

import json
import math
import re
from collections import abc
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from classifier.host.hookresults import finite_number

# -- what a saved line must look like -----------------------------------------------------------
#
# Each check returns the first problem as "path: expected X, got Y", the path relative to what it
# was given (its caller puts its own part in front), or None.


def _is_object(value: Any) -> bool:
    return isinstance(value, dict) or isinstance(value, abc.Mapping)  # dict first: fast


@dataclass(frozen=True)
class _Type:
    """An expected JSON type: its name in messages and its test."""

    name: str
    test: Callable[[Any], bool]


OBJECT = _Type("an object", _is_object)
OBJECT_OR_NULL = _Type("an object or null", lambda v: v is None or _is_object(v))
STRING = _Type("a string", lambda v: isinstance(v, str))
STRING_OR_NULL = _Type("a string or null", lambda v: v is None or isinstance(v, str))
WHOLE_NUMBER = _Type("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool))
NUMBER = _Type("a finite number", finite_number)
NUMBER_OR_NULL = _Type("a finite number or null", lambda v: v is None or finite_number(v))


def _kind(value: Any) -> str:
    """A JSON value's type in words, for "expected X, got Y"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity"
    if isinstance(value, (int, float)):
        return "a number" if finite_number(value) else "a number too large for a float"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")


def _key(name: str) -> str:
    """A key as a message path shows it: plain, or JSON-quoted and cut to 60 characters, so a
    key with a newline or a megabyte of text cannot break the one-line message."""
    if _PLAIN_KEY.fullmatch(name):
        return name
    quoted = json.dumps(name[:60])
    return quoted if len(name) <= 60 else quoted[:-1] + '..."'


def _check(data: Mapping[str, Any], key: str, expected: _Type) -> str | None:
    """``data[key]``, when present, must be of the ``expected`` type."""
    if key in data and not expected.test(data[key]):
        return f"{key}: expected {expected.name}, got {_kind(data[key])}"
    return None


def _each(data: Mapping[str, Any], key: str, expected: _Type,
          inner: Callable[[Any], str | None] | None = None) -> str | None:
    """``data[key]`` is absent, null, or an array of items of the ``expected`` type, each
    passing ``inner``."""
    items = data.get(key)
    if items is None:
        return None
    if not isinstance(items, list):
        return f"{key}: expected an array or null, got {_kind(items)}"
    for index, item in enumerate(items):
        if not expected.test(item):
            return f"{key}[{index}]: expected {expected.name}, got {_kind(item)}"
        problem = inner(item) if inner is not None else None
        if problem:
            return f"{key}[{index}].{problem}"
    return None


def _modality_problem(data: Mapping[str, Any]) -> str | None:
    modality = data.get("modality")
    if modality is None:
        return None
    if not _is_object(modality):
        return f"modality: expected {OBJECT_OR_NULL.name}, got {_kind(modality)}"
    for name, count in modality.items():
        if not WHOLE_NUMBER.test(count):
            return f"modality.{_key(name)}: expected {WHOLE_NUMBER.name}, got {_kind(count)}"
    return None


def _amount_problem(amount: Mapping[str, Any]) -> str | None:
    return _check(amount, "value", NUMBER_OR_NULL) or _check(amount, "unit", STRING_OR_NULL)


def _action_problem(data: Mapping[str, Any]) -> str | None:
    return (_check(data, "mentions", WHOLE_NUMBER) or _check(data, "score", NUMBER)
            or _modality_problem(data) or _each(data, "actors", STRING) or _each(data, "targets", STRING)
            or _each(data, "amounts", OBJECT, _amount_problem))


def _tag_problem(tag: Mapping[str, Any]) -> str | None:
    return (_check(tag, "action", STRING_OR_NULL) or _check(tag, "actor", STRING_OR_NULL)
            or _check(tag, "target", STRING_OR_NULL))


def _sentence_problem(sentence: Mapping[str, Any]) -> str | None:
    return _each(sentence, "tags", OBJECT, _tag_problem)


def _error_info_problem(error: Mapping[str, Any]) -> str | None:
    return _check(error, "type", STRING)


def _actions_problem(actions: Any) -> str | None:
    if not _is_object(actions):
        return f"actions: expected an object (action name -> summary), got {_kind(actions)}"
    for name, data in actions.items():
        if data is None:
            continue
        if not _is_object(data):
            return f"actions.{_key(name)}: expected {OBJECT_OR_NULL.name}, got {_kind(data)}"
        problem = _action_problem(data)
        if problem:
            return f"actions.{_key(name)}.{problem}"
    return None


def profile_problem(record: Any) -> str | None:
    """Why a saved record cannot be counted, as "where: expected X, got Y"; None for a profile or
    an error record whose fields have the types ``summarize`` reads (other fields are not its
    business and are not checked)."""
    if not _is_object(record):
        return f"expected a JSON object (a profile or an error record), got {_kind(record)}"
    if "error" in record:
        error = record["error"]
        if not _is_object(error):
            return f"error: expected an object with a string \"type\", got {_kind(error)}"
        if not isinstance(error.get("type"), str):  # absent reads as null
            return f"error.type: expected a string, got {_kind(error.get('type'))}"
        return None
    if "actions" not in record:
        return 'expected a profile (with "actions") or an error record (with "error"), got an object with neither'
    return (_actions_problem(record["actions"]) or _check(record, "lang", STRING_OR_NULL)
            or _check(record, "dominant", STRING_OR_NULL) or _check(record, "extra", OBJECT_OR_NULL)
            or _each(record, "errors", OBJECT, _error_info_problem)
            or _each(record, "sentences", OBJECT, _sentence_problem))
