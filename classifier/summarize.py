"""Corpus-level figures from saved profiles: what a reader of thousands of articles asks first.

Per action type: how many articles and mentions, the modality mix (mentions, and articles by
their strongest modality), the actors and targets named most often, who acts on whom, and the
figures (money per currency, people, percentage rates seen); per date bucket when the records
carry a date. Error records are counted, never fatal: a corpus summary must survive the few
records that failed.

Why an accumulator class: the ``summarize`` command reads a JSONL file of any size, and the HTML
report builds its overview while it streams; both add one record at a time and keep only
counters, never the records. Counting conventions: actors, targets and pairs count *articles*
(an article naming the U.S. five times counts once); figures are summed over articles, each
article counting each of its distinct figures once (two articles reporting the same reward
count it twice, as a news corpus does).

Why saved lines are checked before they are counted (:func:`profile_problem`): a profiles file
may have been edited, concatenated or written by another tool, and one badly typed line (a list
where an object belongs, a string for a count) must cost that line, named as FILE:LINE on stderr,
never the whole summary.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import math
import os
import re
import stat
import sys
from collections import Counter, abc
from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable, Generator, Iterable, Iterator, Mapping, TextIO

from classifier.errors import ConfigError
from classifier.merge import strongest_modality
from classifier.model import MODALITIES, ActionSummary

BUCKETS = ("day", "month", "year")
SUMMARY_FORMATS = ("table", "json", "csv")
_DATE = re.compile(r"^\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_WIDTH = {"year": 1, "month": 2, "day": 3}


def date_key(value: Any) -> str | None:
    """The ISO day (or month/year, if that is all there is) of a date string, else None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    parts = [match.group(1)] + [f"{int(p):02d}" for p in match.groups()[1:] if p]
    return "-".join(parts)


def bucket_of(key: str, bucket: str) -> str:
    """Truncate an ISO date key to a ``day``/``month``/``year`` bucket."""
    return "-".join(key.split("-")[: _WIDTH[bucket]])


def record_date(record: Mapping[str, Any], field: str = "date") -> Any:
    """A record's date: ``record[field]`` at top level, else the input field the CLI kept in
    ``extra.fields``."""
    if record.get(field) is not None:
        return record.get(field)
    fields = (record.get("extra") or {}).get("fields") or {}
    return fields.get(field) if isinstance(fields, Mapping) else None


class _ActionStats:
    """Counters for one action type across the corpus."""

    def __init__(self) -> None:
        self.articles = 0
        self.mentions = 0
        self.score = 0.0
        self.modality: Counter[str] = Counter()
        self.strongest: Counter[str] = Counter()
        self.dominant = 0
        self.actors: Counter[str] = Counter()
        self.targets: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str, str]] = Counter()
        self.totals: dict[str, float] = {}
        self.rates: set[float] = set()  # ints kept as ints

    def add(self, name: str, data: Mapping[str, Any], pairs: set[tuple[str, str, str]],
            asserted: list[Mapping[str, Any]] | None = None) -> None:
        """Count one article's summary of this action. ``pairs``: its (actor, target,
        modality) triples; ``asserted``: the figures of its asserted tags, the only ones the
        totals add up (a requested extradition of 29 people is not 29 people extradited).
        Without tags (``asserted`` None) the summary's own figures are used."""
        modality = {str(k): int(v) for k, v in (data.get("modality") or {}).items()}
        summary = ActionSummary(name, int(data.get("mentions", 0)), (),
                                float(data.get("score", 0.0)), modality)
        self.articles += 1
        self.mentions += summary.mentions
        self.score += summary.score
        self.modality.update(modality)
        if modality:
            self.strongest[strongest_modality(summary)] += 1
        self.actors.update(set(data.get("actors") or ()))
        self.targets.update(set(data.get("targets") or ()))
        self.pairs.update(pairs)
        for amount in data.get("amounts") or ():  # rates seen: at any modality
            if amount.get("unit") == "percent" and _finite(amount.get("value")):
                self.rates.add(amount["value"])  # not float(): a 400-digit int would overflow
        for amount in (data.get("amounts") or ()) if asserted is None else asserted:
            unit, value = amount.get("unit"), amount.get("value")
            if isinstance(value, (int, float)) and _finite(value) and unit and unit != "percent":
                self.totals[str(unit)] = _sum(self.totals.get(str(unit), 0), value)

    def result(self, top: int) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "mentions": self.mentions,
            "score": round(self.score, 4),
            "dominant": self.dominant,
            "modality": _ordered_modality(self.modality),
            "strongest": _ordered_modality(self.strongest),
            "actors": _top(self.actors, top),
            "targets": _top(self.targets, top),
            "pairs": [{"actor": a, "target": t, "modality": m, "articles": n}
                      for (a, t, m), n in sorted(self.pairs.items(), key=lambda i: (-i[1], i[0]))[:top]],
            "amounts": {"totals": {u: _number(v) for u, v in sorted(self.totals.items())},
                        "rates": [_number(r) for r in sorted(self.rates)]},
        }


def _finite(value: object) -> bool:
    """A figure that can be added: an int, or a float that is neither NaN nor infinite (tags
    written by other tools may hold either)."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and math.isfinite(value))


def _sum(total: float, value: float) -> float:
    """``total + value``, exact when a huge integer meets a float (which would overflow)."""
    try:
        return total + value
    except OverflowError:
        return int(total) + int(value)


def _ordered_modality(counts: Counter[str]) -> dict[str, int]:
    out = {m: counts[m] for m in MODALITIES if counts[m]}
    out.update({m: n for m, n in sorted(counts.items()) if m not in out and n})
    return out


def _top(counter: Counter[str], top: int) -> list[dict[str, Any]]:
    return [{"name": k, "articles": n} for k, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))[:top]]


def _number(value: float) -> float:
    """A figure as JSON shows it. An integer stays exact, however large the sum of figures
    (``float()`` of a 400-digit total would overflow)."""
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else round(value, 4)


def _tag_pairs(record: Mapping[str, Any]) -> dict[str, set[tuple[str, str, str]]]:
    """Distinct (actor, target, modality) per action, from the tags of the record's sentences:
    "Mexico -> Otoniel" asserted and negated are different facts."""
    pairs: dict[str, set[tuple[str, str, str]]] = {}
    for sentence in record.get("sentences") or ():
        for tag in sentence.get("tags") or ():
            if tag.get("actor") and tag.get("target"):
                pairs.setdefault(tag.get("action"), set()).add(
                    (tag["actor"], tag["target"], str(tag.get("modality") or "asserted")))
    return pairs


def _asserted_amounts(record: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]] | None:
    """Per action, the distinct figures of its asserted tags; None when the record has no
    tagged sentences to read them from (a profile written without them)."""
    sentences = [s for s in record.get("sentences") or () if isinstance(s, Mapping)]
    tags = [t for s in sentences if isinstance(s.get("tags"), list) for t in s["tags"]
            if isinstance(t, Mapping)]
    if not tags:
        return None
    found: dict[str, dict[tuple[str, str, str], Mapping[str, Any]]] = {}
    for tag in tags:
        if tag.get("modality", "asserted") != "asserted" or not isinstance(tag.get("amounts"), list):
            continue
        for amount in tag["amounts"]:
            if isinstance(amount, Mapping):
                key = (repr(amount.get("value")), repr(amount.get("unit")), repr(amount.get("text")))
                found.setdefault(str(tag.get("action")), {}).setdefault(key, amount)
    return {action: list(amounts.values()) for action, amounts in found.items()}


# -- what a saved line must look like -----------------------------------------------------------
#
# Each check returns the first problem as "path: expected X, got Y", the path relative to what it
# was given (its caller puts its own part in front), or None.


def _is_object(value: Any) -> bool:
    return isinstance(value, dict) or isinstance(value, abc.Mapping)  # dict first: fast


def _is_number(value: Any) -> bool:
    """A finite JSON number (not a boolean, not NaN or Infinity, not too big for a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer of hundreds of digits
        return False


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
NUMBER = _Type("a finite number", _is_number)
NUMBER_OR_NULL = _Type("a finite number or null", lambda v: v is None or _is_number(v))


def _kind(value: Any) -> str:
    """A JSON value's type in words, for "expected X, got Y"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity"
    if isinstance(value, (int, float)):
        return "a number" if _is_number(value) else "a number too large for a float"
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


class CorpusSummary:
    """Add profile dicts (``ArticleProfile.to_dict()`` or a saved JSON line) one at a time."""

    def __init__(self, date_field: str = "date") -> None:
        self.date_field = date_field
        self.records = 0
        self.profiles = 0
        self.with_actions = 0
        self.errors: Counter[str] = Counter()
        self.article_errors: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()
        self.actions: dict[str, _ActionStats] = {}
        self.days: dict[str, Counter[str]] = {}
        self.undated = 0

    def add(self, record: Mapping[str, Any]) -> None:
        """Count one record; anything that is not a well-typed profile or error record counts as
        an error record of type ``InvalidRecord`` (:func:`profile_problem` says why)."""
        if profile_problem(record) is not None:
            self.records += 1
            self.errors["InvalidRecord"] += 1
            return
        self._count(record)

    def _count(self, record: Mapping[str, Any]) -> None:
        """Count a record :func:`profile_problem` accepted."""
        self.records += 1
        if "error" in record:
            self.errors[record["error"]["type"]] += 1
            return
        self.profiles += 1
        self.langs[str(record.get("lang") or "?")] += 1
        for error in record.get("errors") or ():
            self.article_errors[str(error.get("type", "Error"))] += 1
        actions: Mapping[str, Any] = record["actions"]
        if actions:
            self.with_actions += 1
        pairs = _tag_pairs(record)
        asserted = _asserted_amounts(record)
        for name, data in actions.items():
            self.actions.setdefault(name, _ActionStats()).add(
                name, data or {}, pairs.get(name, set()),
                None if asserted is None else asserted.get(name, []))
        dominant = record.get("dominant")
        if dominant in self.actions:
            self.actions[dominant].dominant += 1
        key = date_key(record_date(record, self.date_field))
        if key is None:
            self.undated += 1
            return
        day = self.days.setdefault(key, Counter())
        day["articles"] += 1
        day.update(f"action:{name}" for name in actions)
        if dominant:
            day[f"dominant:{dominant}"] += 1

    def result(self, bucket: str = "month", top: int = 10, fill_gaps: bool = False) -> dict[str, Any]:
        """The summary as plain JSON-ready data. ``fill_gaps`` adds empty buckets between the
        first and last date, so a chart's x axis is time (the HTML timeline uses it)."""
        if bucket not in BUCKETS:
            raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
        series: dict[str, Counter[str]] = {}
        for key, counts in self.days.items():
            series.setdefault(bucket_of(key, bucket), Counter()).update(counts)
        if fill_gaps:
            for key in _missing_buckets(sorted(series), bucket):
                series[key] = Counter()
        return {
            "records": self.records,
            "articles": self.profiles,
            "with_actions": self.with_actions,
            "error_records": sum(self.errors.values()),
            "error_types": dict(sorted(self.errors.items())),
            "article_errors": dict(sorted(self.article_errors.items())),
            "langs": dict(sorted(self.langs.items(), key=lambda i: (-i[1], i[0]))),
            "actions": {name: stats.result(top) for name, stats in
                        sorted(self.actions.items(), key=lambda i: (-i[1].articles, i[0]))},
            "dates": {
                "bucket": bucket,
                "undated": self.undated,
                "series": [
                    {"date": key, "articles": c["articles"],
                     "actions": {k[7:]: n for k, n in sorted(c.items()) if k.startswith("action:")},
                     "dominant": {k[9:]: n for k, n in sorted(c.items()) if k.startswith("dominant:")}}
                    for key, c in sorted(series.items())
                ],
            },
        }


MAX_FILL = 5000  # never invent more empty buckets than this (a stray year 1900 date)


def _missing_buckets(keys: list[str], bucket: str) -> list[str]:
    """The bucket keys between the first and last of ``keys`` that are absent (none when a key
    is not a valid date at that precision, or the span is implausibly long)."""
    if len(keys) < 2:
        return []
    try:
        first, last = (_bucket_date(k, bucket) for k in (keys[0], keys[-1]))
    except ValueError:
        return []
    if bucket == "day":
        span = (last - first).days
        step = [first + datetime.timedelta(days=i) for i in range(span + 1)] if span <= MAX_FILL else []
        wanted = [d.isoformat() for d in step]
    elif bucket == "month":
        months = (last.year - first.year) * 12 + last.month - first.month
        wanted = [f"{first.year + (first.month - 1 + i) // 12:04d}-{(first.month - 1 + i) % 12 + 1:02d}"
                  for i in range(months + 1)] if months <= MAX_FILL else []
    else:
        wanted = [f"{y:04d}" for y in range(first.year, last.year + 1)] if last.year - first.year <= MAX_FILL else []
    present = set(keys)
    return [k for k in wanted if k not in present]


def _bucket_date(key: str, bucket: str) -> datetime.date:
    parts = [int(p) for p in key.split("-")]
    if len(parts) != _WIDTH[bucket]:
        raise ValueError(key)
    return datetime.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))


def summarize_profiles(records: Iterable[Mapping[str, Any]], bucket: str = "month",
                       top: int = 10, date_field: str = "date") -> dict[str, Any]:
    """Aggregate profile dicts (and error records) into one corpus summary."""
    summary = CorpusSummary(date_field=date_field)
    for record in records:
        summary.add(record)
    return summary.result(bucket=bucket, top=top)


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
        return None, ("InvalidJSON", f"JSON this reader refuses ({str(exc).splitlines()[0]}); expected one JSON object per line")


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
            yield SavedLine(lines.at(after), problem=("InvalidJSON", f"expected ',' or ']' after a record; {_REST_UNREAD}"))
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


# -- renderers ------------------------------------------------------------------------------


def render_json(summary: Mapping[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _fmt(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def render_table(summary: Mapping[str, Any]) -> str:
    """A plain-text report for the terminal."""
    lines = [
        f"{_n(summary['records'], 'record')}: {_n(summary['articles'], 'profile')} "
        f"({summary['with_actions']:,} with policy actions), {_n(summary['error_records'], 'error')}",
    ]
    if summary["error_types"]:
        lines.append("  errors: " + ", ".join(f"{k} {v}" for k, v in summary["error_types"].items()))
    for name, stats in summary["actions"].items():
        lines.append("")
        lines.append(f"{name}: {_n(stats['articles'], 'article')}, {_n(stats['mentions'], 'mention')}, "
                     f"dominant in {stats['dominant']:,}")
        lines.append("  modality (mentions): " + ", ".join(f"{m} {n}" for m, n in stats["modality"].items()))
        lines.append("  strongest (articles): " + ", ".join(f"{m} {n}" for m, n in stats["strongest"].items()))
        if stats["actors"]:
            lines.append("  actors: " + "; ".join(f"{a['name']} ({a['articles']})" for a in stats["actors"]))
        if stats["targets"]:
            lines.append("  targets: " + "; ".join(f"{a['name']} ({a['articles']})" for a in stats["targets"]))
        for pair in stats["pairs"]:
            lines.append(f"  {pair['actor']} -> {pair['target']} [{pair['modality']}] ({pair['articles']})")
        totals, rates = stats["amounts"]["totals"], stats["amounts"]["rates"]
        if totals:
            lines.append("  totals (asserted): " + "; ".join(f"{_fmt(v)} {u}" for u, v in totals.items()))
        if rates:
            lines.append("  rates seen: " + ", ".join(f"{_fmt(r)}%" for r in rates))
    dates = summary["dates"]
    if dates["series"]:
        lines.append("")
        lines.append(f"by {dates['bucket']} (undated: {dates['undated']}):")
        for point in dates["series"]:
            acts = ", ".join(f"{k} {v}" for k, v in point["actions"].items())
            lines.append(f"  {point['date']}  {_n(point['articles'], 'article')}" + (f"  ({acts})" if acts else ""))
    return "\n".join(lines) + "\n"


def summary_rows(summary: Mapping[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """The summary as tidy ``(metric, action, key, value)`` rows, the shape pandas pivots best."""
    yield "records", "", "", summary["records"]
    yield "articles", "", "", summary["articles"]
    yield "with_actions", "", "", summary["with_actions"]
    for kind, n in summary["error_types"].items():
        yield "error_records", "", kind, n
    for name, s in summary["actions"].items():
        yield "articles", name, "", s["articles"]
        yield "mentions", name, "", s["mentions"]
        yield "dominant", name, "", s["dominant"]
        for m, n in s["modality"].items():
            yield "modality_mentions", name, m, n
        for m, n in s["strongest"].items():
            yield "strongest_articles", name, m, n
        for a in s["actors"]:
            yield "actor", name, a["name"], a["articles"]
        for a in s["targets"]:
            yield "target", name, a["name"], a["articles"]
        for p in s["pairs"]:
            yield "pair", name, f"{p['actor']} -> {p['target']} [{p['modality']}]", p["articles"]
        for unit, total in s["amounts"]["totals"].items():
            yield "total", name, unit, total
        for rate in s["amounts"]["rates"]:
            yield "rate", name, "percent", rate
    for point in summary["dates"]["series"]:
        yield f"{summary['dates']['bucket']}_articles", "", point["date"], point["articles"]
        for name, n in point["actions"].items():
            yield f"{summary['dates']['bucket']}_articles", name, point["date"], n


def render_csv(summary: Mapping[str, Any]) -> str:
    """Tidy CSV (``metric,action,key,value``), text cells guarded against formula injection."""
    from classifier.csvout import guard_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["metric", "action", "key", "value"])
    for row in summary_rows(summary):
        writer.writerow([guard_cell(cell) for cell in row])
    return buffer.getvalue()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}


def summarize_command(paths: Iterable[str], fmt: str = "table", bucket: str = "month",
                      top: int = 10, date_field: str = "date", out: TextIO | None = None,
                      err: TextIO | None = None) -> int:
    """What ``policy-classify summarize`` does: read each path ('-' is stdin), print the summary.

    Returns 0, or 1 when a line was skipped: each line that is not JSON, or not a profile or
    error record with the types summarize reads, is one line on ``err`` (stderr) naming
    FILE:LINE and what was expected, and is left out of the summary.

    Raises :class:`~classifier.errors.ConfigError` (exit 2 in the CLI) for a path that cannot
    be read, checked before any is read.
    """
    paths = list(paths)
    for path in paths:
        _check_input(path)
    summary = CorpusSummary(date_field=date_field)
    skipped = 0
    for path in paths:
        name = "<stdin>" if path == "-" else path
        for where, kind, message in _summarize_file(path, summary):
            skipped += 1
            print(f"policy-classify: {name}:{where}: {kind}: {message}; line skipped", file=err or sys.stderr)
    (out or sys.stdout).write(RENDERERS[fmt](summary.result(bucket=bucket, top=top)))
    return 1 if skipped else 0


def _check_input(path: str) -> None:
    """A path that does not exist or is a folder stops the command before anything is read."""
    if path == "-":
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise ConfigError("<stdin>: stdin is closed; nothing to read")
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{path}: is a folder; summarize reads files of saved profiles (JSONL or JSON)")


def _summarize_file(path: str, summary: CorpusSummary) -> Iterator[tuple[int, str, str]]:
    """Add each good record of ``path`` to ``summary``; ``(line, type, message)`` for each bad one."""
    try:
        with _opened(path) as stream:
            for saved in iter_saved(stream):
                problem = saved.problem
                if problem is None:
                    why = profile_problem(saved.value)
                    problem = None if why is None else ("InvalidProfile", why)
                if problem is None:
                    summary._count(saved.value)
                else:
                    yield saved.line, *problem
    except OSError as exc:  # unreadable, or a read that failed part-way
        raise ConfigError(f"{'<stdin>' if path == '-' else path}: cannot read: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def _opened(path: str) -> Iterator[TextIO]:
    """A profiles file as text: UTF-8 with or without a byte-order mark, invalid bytes as U+FFFD
    (stdin too: its own encoding is the locale's, and strict)."""
    if path != "-":
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            yield handle
        return
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes under it (an embedding program's)
        yield sys.stdin
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace")
    try:
        yield stream
    finally:
        with contextlib.suppress(ValueError):
            stream.detach()  # stdin stays open for whoever reads it next
