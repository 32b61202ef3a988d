"""How a corpus summary is shown: a table for people, JSON, and tidy CSV rows for pandas.

Kept apart from the counting (:mod:`classifier.report.summarize`) so that a new format is a new
function here, and the counting never learns about output.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator, Mapping

# -- renderers ------------------------------------------------------------------------------


def render_json(summary: Mapping[str, Any]) -> str:
    """The summary as indented JSON."""
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
    from classifier.report.csvout import guard_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["metric", "action", "key", "value"])
    for row in summary_rows(summary):
        writer.writerow([guard_cell(cell) for cell in row])
    return buffer.getvalue()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}
