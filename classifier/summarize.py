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
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections import Counter
from typing import Any, Iterable, Iterator, Mapping, TextIO

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
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.totals: dict[str, float] = {}
        self.rates: set[float] = set()

    def add(self, name: str, data: Mapping[str, Any], pairs: set[tuple[str, str]]) -> None:
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
        for amount in data.get("amounts") or ():
            unit, value = amount.get("unit"), amount.get("value")
            if not isinstance(value, (int, float)) or not unit:
                continue
            if unit == "percent":
                self.rates.add(float(value))
            else:
                self.totals[str(unit)] = self.totals.get(str(unit), 0) + value

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
            "pairs": [{"actor": a, "target": t, "articles": n}
                      for (a, t), n in sorted(self.pairs.items(), key=lambda i: (-i[1], i[0]))[:top]],
            "amounts": {"totals": {u: _number(v) for u, v in sorted(self.totals.items())},
                        "rates": [_number(r) for r in sorted(self.rates)]},
        }


def _ordered_modality(counts: Counter[str]) -> dict[str, int]:
    out = {m: counts[m] for m in MODALITIES if counts[m]}
    out.update({m: n for m, n in sorted(counts.items()) if m not in out and n})
    return out


def _top(counter: Counter[str], top: int) -> list[dict[str, Any]]:
    return [{"name": k, "articles": n} for k, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))[:top]]


def _number(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 4)


def _tag_pairs(record: Mapping[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """Distinct (actor, target) pairs per action, from the tags of the record's sentences."""
    pairs: dict[str, set[tuple[str, str]]] = {}
    for sentence in record.get("sentences") or ():
        for tag in sentence.get("tags") or ():
            if tag.get("actor") and tag.get("target"):
                pairs.setdefault(tag.get("action"), set()).add((tag["actor"], tag["target"]))
    return pairs


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
        """Count one record; anything that is not a profile counts as an error record."""
        self.records += 1
        if not isinstance(record, Mapping) or "error" in record or not isinstance(record.get("actions"), Mapping):
            error = record.get("error") if isinstance(record, Mapping) else None
            kind = error.get("type") if isinstance(error, Mapping) else None
            self.errors[str(kind or "InvalidRecord")] += 1
            return
        self.profiles += 1
        self.langs[str(record.get("lang") or "?")] += 1
        for error in record.get("errors") or ():
            self.article_errors[str(error.get("type", "Error"))] += 1
        actions: Mapping[str, Any] = record["actions"]
        if actions:
            self.with_actions += 1
        pairs = _tag_pairs(record)
        for name, data in actions.items():
            self.actions.setdefault(name, _ActionStats()).add(name, data or {}, pairs.get(name, set()))
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


def read_profiles(stream: TextIO) -> Iterator[Mapping[str, Any]]:
    """Profile dicts from JSON Lines (or one JSON array/object, as ``--format json`` writes).

    A line that is not JSON yields ``{"id": None, "error": {"type": "InvalidJSON", ...}}`` so
    it is counted as an error record instead of stopping the summary.
    """
    first = stream.read(1)
    while first and first.isspace():
        first = stream.read(1)
    if first == "[" or (first == "{" and _looks_pretty(stream)):
        data = json.loads(first + stream.read())
        yield from (data if isinstance(data, list) else [data])
        return
    for number, line in enumerate(_lines(first, stream), 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": {"type": "InvalidJSON", "message": f"line {number}: {exc}"}}


def _looks_pretty(stream: TextIO) -> bool:
    """True for an indented single object (``--format json`` with one record). Peeks only when
    the stream can seek back; a non-seekable stream is read as JSON Lines."""
    if not stream.seekable():
        return False
    where = stream.tell()
    rest = stream.readline()
    stream.seek(where)
    return not rest.strip()


def _lines(first: str, stream: TextIO) -> Iterator[str]:
    line = first + stream.readline()
    while line:
        yield line
        line = stream.readline()


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
            lines.append(f"  {pair['actor']} -> {pair['target']} ({pair['articles']})")
        totals, rates = stats["amounts"]["totals"], stats["amounts"]["rates"]
        if totals:
            lines.append("  totals: " + "; ".join(f"{_fmt(v)} {u}" for u, v in totals.items()))
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
            yield "pair", name, f"{p['actor']} -> {p['target']}", p["articles"]
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
                      top: int = 10, date_field: str = "date", out: TextIO | None = None) -> int:
    """What ``policy-classify summarize`` does: read each path ('-' is stdin), print, return 0.

    Raises :class:`~classifier.errors.ConfigError` (exit 2 in the CLI) for an unreadable file.
    """
    import sys

    summary = CorpusSummary(date_field=date_field)
    for path in paths:
        if path == "-":
            for record in read_profiles(sys.stdin):
                summary.add(record)
            continue
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                for record in read_profiles(handle):
                    summary.add(record)
        except OSError as exc:
            raise ConfigError(f"{path}: {exc.strerror or exc}") from exc
        except json.JSONDecodeError as exc:  # a whole-file JSON document that is broken
            raise ConfigError(f"{path}: not JSON Lines or JSON: {exc}") from exc
    (out or sys.stdout).write(RENDERERS[fmt](summary.result(bucket=bucket, top=top)))
    return 0
