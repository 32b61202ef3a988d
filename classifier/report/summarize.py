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

import datetime
import math
import re
from collections import Counter
from typing import Any, Iterable, Mapping

from classifier.model import MODALITIES, ActionSummary
from classifier.pipeline.merge import strongest_modality
from classifier.report.profilecheck import profile_problem
from classifier.report.savedlines import SavedLine, iter_saved, read_profiles  # noqa: F401 - re-exported
from classifier.report.summaryrender import (  # noqa: F401 - re-exported
    RENDERERS,
    render_csv,
    render_json,
    render_table,
    summary_rows,
)

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
        summary = ActionSummary.from_dict(name, data)
        modality = dict(summary.modality)
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
        self.count_accepted(record)

    def count_accepted(self, record: Mapping[str, Any]) -> None:
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
