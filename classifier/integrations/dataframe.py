"""Profiles as a pandas DataFrame: one row per article, the same columns as ``--format csv``.

Why it is optional: pandas is large and most users of the classifier never need it, so it is
the ``[pandas]`` extra and is imported only when this function is called. The rows come from
:func:`classifier.report.csvout.flatten`, so the DataFrame and the CSV cannot disagree; unlike the CSV,
cells are not guarded against spreadsheet formulas (a DataFrame is not a spreadsheet: pandas'
own ``to_excel``/``to_csv`` are the caller's to guard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from classifier.model import ArticleProfile, ErrorRecord
from classifier.report.csvout import Record, columns, flatten
from classifier.report.summarize import record_date

if TYPE_CHECKING:
    import pandas

MISSING_PANDAS = ("profiles_to_dataframe needs pandas, which is not installed: "
                  "pip install 'policy-classifier[pandas]' (or pip install pandas)")


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(MISSING_PANDAS) from exc
    return pandas


def _action_names(records: Sequence[Record]) -> list[str]:
    """Every action found, in order of first appearance (when the caller gave none)."""
    names: dict[str, None] = {}
    for record in records:
        if isinstance(record, ErrorRecord):
            continue
        found = record.actions if isinstance(record, ArticleProfile) else record.get("actions") or {}
        names.update(dict.fromkeys(found))
    return list(names)


def _date(record: Record, field: str) -> Any:
    """A dict's top-level ``field``, or the input field kept in ``extra['fields']``."""
    if isinstance(record, ErrorRecord):
        return None
    if isinstance(record, ArticleProfile):
        return record_date({"extra": record.extra}, field)
    return record_date(record, field)


def profiles_to_dataframe(profiles: Iterable[Record], actions: Sequence[str] | None = None,
                          date_field: str | None = "date") -> "pandas.DataFrame":
    """One row per profile or error record (objects or their JSON dicts).

    Columns: ``id``, ``date`` (only when some record has one), ``lang``, ``dominant``, then per
    action ``<action>_mentions`` (int), ``<action>_score`` (float), ``<action>_modality`` (the
    strongest: asserted > threatened > negated > other; empty when absent), and ``errors``.
    ``actions`` fixes the per-action columns (``list(engine.actions)``); by default every
    action found, in order of first appearance.
    """
    pandas = _import_pandas()
    records = list(profiles)
    names = list(actions) if actions is not None else _action_names(records)
    rows: list[dict[str, Any]] = []
    has_date = False
    for record in records:
        row = flatten(record, names)
        date = _date(record, date_field) if date_field else None
        if date is not None:
            row["date"] = date
            has_date = True
        rows.append(row)
    header = columns(names, with_date=has_date)
    frame = pandas.DataFrame([[row.get(c) for c in header] for row in rows], columns=header)
    for name in names:
        frame[f"{name}_mentions"] = frame[f"{name}_mentions"].astype("int64")
        frame[f"{name}_score"] = frame[f"{name}_score"].astype("float64")
    return frame
