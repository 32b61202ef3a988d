"""One CSV row per article, with a fixed set of columns per action type.

Why fixed columns: a CSV is read by pandas and spreadsheets, which want the same columns in the
same order for every row and every run. A profile only lists the actions it found, so the writer
is given the engine's action names up front (``engine.actions``, built-in and plugin-added) and
writes ``<action>_mentions``, ``<action>_score`` and ``<action>_modality`` for each of them, in
that order, whether or not a row has the action.

Why the apostrophe: article ids, actor names and error messages come from untrusted input. A
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some programs,
a tab or carriage return) as a formula ("CSV injection"). Such text cells get a leading ``'``,
which spreadsheets show as text; numeric cells are written as numbers and left alone. A reader
that wants the original value strips one leading apostrophe from those cells.
"""

from __future__ import annotations

import csv
from typing import Any, Iterable, Mapping, Sequence, TextIO

from classifier.model import ActionSummary, ArticleProfile, ErrorRecord
from classifier.pipeline.merge import strongest_modality
from classifier.report.writer import Writer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ACTION_FIELDS = ("mentions", "score", "modality")
Record = ArticleProfile | ErrorRecord | Mapping[str, Any]


def guard_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def columns(actions: Iterable[str], with_date: bool = False) -> list[str]:
    """The header: ``id, [date,] lang, dominant``, three columns per action in the given
    order, then ``errors``."""
    out = ["id", "date", "lang", "dominant"] if with_date else ["id", "lang", "dominant"]
    for action in actions:
        out.extend(f"{action}_{field}" for field in ACTION_FIELDS)
    out.append("errors")
    return out


def _error_text(error: Mapping[str, Any]) -> str:
    return f"{error.get('type', 'Error')}: {error.get('message', '')}"


def flatten(record: Record, actions: Sequence[str]) -> dict[str, Any]:
    """One flat row (column -> value, no guarding) for a profile, an error record, or the
    JSON dict of either. Actions not in ``actions`` get no columns (the engine registers
    every action a profile can hold, so passing ``engine.actions`` loses nothing)."""
    if isinstance(record, (ArticleProfile, ErrorRecord)):
        record = record.to_dict() if isinstance(record, ErrorRecord) else _profile_view(record)
    row: dict[str, Any] = {"id": record.get("id"), "lang": record.get("lang"),
                           "dominant": record.get("dominant")}
    found: Mapping[str, Any] = record.get("actions") or {}
    for action in actions:
        data = found.get(action)
        if isinstance(data, ActionSummary):
            summary: ActionSummary | None = data
        elif isinstance(data, Mapping):
            summary = ActionSummary.from_dict(action, data)
        else:
            summary = None
        row[f"{action}_mentions"] = summary.mentions if summary else 0
        row[f"{action}_score"] = round(summary.score, 4) if summary else 0.0
        row[f"{action}_modality"] = strongest_modality(summary) if summary else ""
    error = record.get("error")
    if isinstance(error, Mapping):
        row["errors"] = _error_text(error)
    else:
        row["errors"] = "; ".join(_error_text(e) for e in record.get("errors") or ())
    return row


def _profile_view(profile: ArticleProfile) -> dict[str, Any]:
    """The fields of a live profile that a row needs, without serialising its sentences."""
    return {
        "id": profile.id, "lang": profile.lang, "dominant": profile.dominant,
        "actions": dict(profile.actions), "errors": [e.to_dict() for e in profile.errors],
    }


class CsvWriter(Writer):
    """Streaming CSV writer: the header at construction, one row per ``write``.

    ``actions`` fixes the per-action columns (pass ``list(engine.actions)``); ``with_date``
    adds a ``date`` column filled from ``write(..., date=...)``. Rows use the
    ``csv`` module's minimal quoting and ``\\r\\n`` line ends (RFC 4180); open the output with
    ``encoding="utf-8"`` and ``newline=""`` or ``newline="\\n"``.
    """

    def __init__(self, out: TextIO, actions: Iterable[str], with_date: bool = False) -> None:
        super().__init__(out)
        self.actions = tuple(actions)
        self.columns = columns(self.actions, with_date)
        self._csv = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._csv.writerow(self.columns)

    def write(self, record: ArticleProfile | ErrorRecord, text: str | None = None,
              date: str | None = None) -> None:
        row = flatten(record, self.actions)
        row["date"] = date
        self._csv.writerow(["" if row[c] is None else guard_cell(row[c]) for c in self.columns])
