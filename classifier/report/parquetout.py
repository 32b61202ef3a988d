"""Profiles, tags and corpus summaries as Parquet: typed columns for pandas, DuckDB and Spark.

Why Parquet: a corpus of millions of profiles is queried, not read line by line. JSON Lines makes
every query parse every line; Parquet keeps each column typed and compressed, so DuckDB or
pandas read only the columns a query names (``SELECT sum(sanctions_mentions) FROM
'profiles.parquet'`` reads one integer column).

Why flat per-action columns (``<action>_mentions``, ``<action>_asserted``...), as the CSV has,
and not one nested column of actions: SQL and pandas then need no unnesting for the questions
asked most (how many articles, mentions, of which modality), the names match ``--format csv``,
and the schema is fixed by the engine's action types, so files from different runs concatenate.
What is a list in the profile stays a list here (actors, targets, amounts as structs).

Why row groups: rows are buffered up to :data:`ROW_GROUP_ROWS` (tags also up to
:data:`ROW_GROUP_BYTES` of text) and then written, so memory stays flat however large the
corpus; the Parquet footer is written by :meth:`ParquetWriter.close`.

pyarrow is the ``[parquet]`` extra, imported only when a Parquet writer is made.
"""

from __future__ import annotations

import json
import math
from typing import Any, BinaryIO, Iterable, Mapping

from classifier.errors import ConfigError
from classifier.model import MODALITIES, Amount, ArticleProfile, ErrorRecord, Tag
from classifier.pipeline.merge import strongest_modality

MISSING_PYARROW = ('the parquet format needs pyarrow, which is not installed: '
                   'pip install "policy-classifier[parquet]"')
ROW_GROUP_ROWS = 4096  # profiles (or tags) per row group: big enough for fast scans
ROW_GROUP_BYTES = 16 << 20  # tag text buffered before a row group is written anyway
ACTION_COLUMNS = ("mentions", "score", "modality", *MODALITIES, "sentences", "actors", "targets",
                  "destinations", "amounts")
Record = ArticleProfile | ErrorRecord


def import_pyarrow() -> Any:
    """``pyarrow`` (with ``pyarrow.parquet`` loaded), or a one-line :class:`ConfigError` naming
    the extra to install."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401  (loads the submodule)
    except ImportError as exc:
        raise ConfigError(MISSING_PYARROW) from exc
    return pyarrow


def _amount_type(pa: Any) -> Any:
    return pa.struct([("value", pa.float64()), ("unit", pa.string()), ("text", pa.string()),
                      ("start", pa.int64()), ("end", pa.int64())])


def profile_schema(actions: Iterable[str]) -> Any:
    """The profiles table: ``record`` (0-based position in the output), ``id``, ``date``,
    ``lang``, ``dominant``; per action ``<action>_`` + each of :data:`ACTION_COLUMNS`; then the
    profile's ``errors`` (warnings), an error record's ``error_type``, ``error_message``,
    ``error_line``, ``error_source``, and ``extra`` (plugin contributions, as JSON text)."""
    pa = import_pyarrow()
    strings = pa.list_(pa.string())
    fields = [("record", pa.int64()), ("id", pa.string()), ("date", pa.string()),
              ("lang", pa.string()), ("dominant", pa.string())]
    for action in actions:
        fields += [(f"{action}_mentions", pa.int64()), (f"{action}_score", pa.float64()),
                   (f"{action}_modality", pa.string())]
        fields += [(f"{action}_{m}", pa.int64()) for m in MODALITIES]
        fields += [(f"{action}_sentences", pa.list_(pa.int64())), (f"{action}_actors", strings),
                   (f"{action}_targets", strings), (f"{action}_destinations", strings),
                   (f"{action}_amounts", pa.list_(_amount_type(pa)))]
    fields += [("errors", pa.list_(pa.struct([("type", pa.string()), ("message", pa.string()),
                                              ("plugin", pa.string()), ("rule", pa.string())]))),
               ("error_type", pa.string()), ("error_message", pa.string()),
               ("error_line", pa.int64()), ("error_source", pa.string()), ("extra", pa.string())]
    names = [name for name, _ in fields]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise ConfigError(f"action names give duplicate Parquet columns: {', '.join(clash)}")
    return pa.schema(fields)


def tag_schema() -> Any:
    """The tags table: one row per tag, ``record`` and ``id`` naming the article."""
    pa = import_pyarrow()
    return pa.schema([
        ("record", pa.int64()), ("id", pa.string()), ("sentence", pa.int64()),
        ("action", pa.string()), ("rule", pa.string()), ("plugin", pa.string()),
        ("modality", pa.string()), ("cue", pa.string()), ("score", pa.float64()),
        ("actor", pa.string()), ("target", pa.string()), ("destination", pa.string()),
        ("via", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
        ("amounts", pa.list_(_amount_type(pa))),
    ])


def _amounts(amounts: Iterable[Amount]) -> list[dict[str, Any]]:
    return [{"value": float(a.value), "unit": a.unit, "text": a.text,
             "start": a.span[0] if a.span else None, "end": a.span[1] if a.span else None}
            for a in amounts]


def profile_row(record: Record, index: int, actions: Iterable[str],
                date: str | None = None) -> dict[str, Any]:
    """One row of the profiles table (see :func:`profile_schema`)."""
    row: dict[str, Any] = {"record": index, "id": record.id, "date": date}
    if isinstance(record, ErrorRecord):
        row.update(error_type=record.type, error_message=record.message,
                   error_line=record.line, error_source=record.source)
        found: Mapping[str, Any] = {}
    else:
        row.update(lang=record.lang, dominant=record.dominant,
                   errors=[{"type": e.type, "message": e.message, "plugin": e.plugin,
                            "rule": e.rule} for e in record.errors],
                   extra=json.dumps(dict(record.extra), ensure_ascii=False, sort_keys=True)
                   if record.extra else None)
        found = record.actions
    for action in actions:
        summary = found.get(action)
        modality = summary.modality if summary is not None else {}
        row[f"{action}_mentions"] = summary.mentions if summary else 0
        row[f"{action}_score"] = round(summary.score, 4) if summary else 0.0
        row[f"{action}_modality"] = strongest_modality(summary) if summary else None
        for name in MODALITIES:
            row[f"{action}_{name}"] = int(modality.get(name, 0))
        row[f"{action}_sentences"] = list(summary.sentences) if summary else []
        row[f"{action}_actors"] = list(summary.actors) if summary else []
        row[f"{action}_targets"] = list(summary.targets) if summary else []
        row[f"{action}_destinations"] = list(summary.destinations) if summary else []
        row[f"{action}_amounts"] = _amounts(summary.amounts) if summary else []
    return row


def tag_row(tag: Tag, index: int, article_id: str | None) -> dict[str, Any]:
    """One row of the tags table (see :func:`tag_schema`)."""
    return {
        "record": index, "id": article_id, "sentence": tag.sentence, "action": tag.action,
        "rule": tag.rule, "plugin": tag.plugin, "modality": tag.modality, "cue": tag.cue,
        "score": round(tag.score, 4), "actor": tag.actor, "target": tag.target,
        "destination": tag.destination, "via": tag.via, "start": tag.span[0],
        "end": tag.span[1], "text": tag.text, "amounts": _amounts(tag.amounts),
    }


class _Table:
    """One Parquet file written in row groups of buffered rows."""

    def __init__(self, out: BinaryIO, schema: Any, rows: int, size: int) -> None:
        self._pa = import_pyarrow()
        self._schema = schema
        self._writer = self._pa.parquet.ParquetWriter(out, schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []
        self._size = 0
        self._max_rows, self._max_size = rows, size

    def add(self, row: dict[str, Any], size: int = 0) -> None:
        self._rows.append(row)
        self._size += size
        if len(self._rows) >= self._max_rows or self._size >= self._max_size:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            batch = self._pa.RecordBatch.from_pylist(self._rows, schema=self._schema)
            self._writer.write_batch(batch)
            self._rows, self._size = [], 0

    def close(self) -> None:
        self.flush()
        self._writer.close()  # the footer; the caller closes the file itself


class ParquetWriter:
    """Streaming Parquet writer with the CLI writers' interface (``write``, ``close``).

    ``out``: a binary file for the profiles table; ``actions`` fixes its per-action columns
    (pass ``list(engine.actions)``); ``tags_out``: a binary file for the tags table, or None.
    Every record (profile or error record) is one row of ``out``, in order.
    """

    def __init__(self, out: BinaryIO, actions: Iterable[str], tags_out: BinaryIO | None = None,
                 row_group_rows: int | None = None) -> None:
        self.actions = tuple(actions)
        row_group_rows = row_group_rows or ROW_GROUP_ROWS
        self._profiles = _Table(out, profile_schema(self.actions), row_group_rows, ROW_GROUP_BYTES)
        self._tags = (_Table(tags_out, tag_schema(), row_group_rows, ROW_GROUP_BYTES)
                      if tags_out is not None else None)
        self._count = 0

    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        index = self._count
        self._count += 1
        self._profiles.add(profile_row(record, index, self.actions, date))
        if self._tags is not None and isinstance(record, ArticleProfile):
            for tag in record.tags:
                self._tags.add(tag_row(tag, index, record.id), len(tag.text))

    def close(self) -> None:
        self._profiles.close()
        if self._tags is not None:
            self._tags.close()


def _number(value: Any) -> float:
    """A summary figure as a double (an integer total too large for one becomes infinity)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def write_summary(summary: Mapping[str, Any], out: BinaryIO) -> None:
    """A corpus summary (``summarize``'s JSON) as one Parquet table of tidy rows, the rows of
    ``--format csv``: ``metric``, ``action`` and ``key`` (null where the CSV has an empty
    cell), ``value`` (a double: counts, totals and rates)."""
    from classifier.report.summarize import summary_rows

    pa = import_pyarrow()
    schema = pa.schema([("metric", pa.string()), ("action", pa.string()), ("key", pa.string()),
                        ("value", pa.float64())])
    table = _Table(out, schema, ROW_GROUP_ROWS, ROW_GROUP_BYTES)
    for metric, action, key, value in summary_rows(summary):
        table.add({"metric": metric, "action": action or None, "key": key or None,
                   "value": _number(value)})
    table.close()
