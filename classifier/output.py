"""Write profiles and error records as they come: JSON, JSON Lines, a terminal table, CSV, HTML.

Why streaming writers: output starts with the first article and memory stays flat however
large the corpus. ``json`` still follows its contract (one object for one input, an array for
several) by holding back only the first record until a second one shows up.

Every writer takes ``write(record, text=None, date=None)`` so the CLI can call them all alike:
``text`` is the article (only the HTML report shows it), ``date`` an input field such as the
publication date (JSON/JSONL add it as a top-level ``"date"`` key, which ``summarize`` reads;
the table shows it; CSV has a ``date`` column when built with ``with_date=True``; the HTML
report draws a timeline from it).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, TextIO

from classifier.errors import ConfigError
from classifier.explain import BOLD, COLORS, RESET, highlight
from classifier.merge import strongest_modality
from classifier.model import ArticleProfile, ErrorRecord, Tag
from classifier.terminal import printable

OUTPUT_FORMATS = ("json", "jsonl", "table", "csv", "html")
Record = ArticleProfile | ErrorRecord


def dumps(obj: dict[str, Any]) -> str:
    """Deterministic compact JSON, UTF-8 characters kept (no \\u escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def record_dict(record: Record, date: str | None = None) -> dict[str, Any]:
    """``record.to_dict()``, with ``"date"`` right after ``"id"`` when a date is given."""
    data = record.to_dict()
    if date is None:
        return data
    return {"id": data.pop("id"), "date": date, **data}


class Writer:
    """Base writer: ``write`` each record, then ``close``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        self.out.write(jsonl_line(record, date))

    def write_rendered(self, line: str) -> None:
        """A line :func:`render_jsonl` made (in a ``--jobs`` worker)."""
        self.out.write(line)


def jsonl_line(record: Record, date: str | None = None) -> str:
    """One record as a JSON Lines line, newline included."""
    return dumps(record_dict(record, date)) + "\n"


def record_date(record: Any, date_field: str | None) -> str | None:
    """The date an input record carries in ``date_field`` (kept in its ``fields``), as text."""
    value = dict(record.fields).get(date_field) if date_field else None
    return None if value is None else str(value)


def render_jsonl(date_field: str | None, record: Any, result: Record) -> str:
    """The JSONL line of ``result``, as :class:`JsonLinesWriter` writes it; ``record`` is the
    input record. Module-level so worker processes can run it."""
    return jsonl_line(result, record_date(record, date_field))


class JsonWriter(Writer):
    """One pretty object for a single record, else an array of them."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self._first: str | None = None
        self._count = 0

    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        rendered = json.dumps(record_dict(record, date), ensure_ascii=False, indent=2, allow_nan=False)
        self._count += 1
        if self._count == 1:
            self._first = rendered
            return
        if self._count == 2:
            self.out.write("[\n" + self._first + ",\n")  # type: ignore[operator]
            self._first = None
        else:
            self.out.write(",\n")
        self.out.write(rendered)

    def close(self) -> None:
        if self._count == 0:
            self.out.write("[]\n")
        elif self._count == 1:
            self.out.write(self._first + "\n")  # type: ignore[operator]
        else:
            self.out.write("\n]\n")
        super().close()


MODALITY_COLORS = {"asserted": "\033[32m", "threatened": "\033[33m", "negated": "\033[90m"}
RED = "\033[31m"


class TableWriter(Writer):
    """A short readable block per article: actions, modality, actors and figures.

    ``color`` adds ANSI colours (pass ``sys.stdout.isatty()``: never colour a file or a pipe).
    ``verbose`` adds the evidence: each tagged sentence with its tags highlighted (colour, or
    ``[[brackets]]`` without it) and one line per tag with rule, modality, actor and figures.
    ``actions`` fixes each action's colour (pass ``list(engine.actions)``).
    """

    def __init__(self, out: TextIO, color: bool = False, verbose: bool = False,
                 actions: Iterable[str] = ()) -> None:
        super().__init__(out)
        self.color = color
        self.verbose = verbose
        self.palette: dict[str, str] = {}
        for name in actions:
            self._action_color(name)

    def _action_color(self, name: str) -> str:
        if name not in self.palette:
            self.palette[name] = COLORS[len(self.palette) % len(COLORS)]
        return self.palette[name]

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.color and code else text

    def write(self, record: Record, text: str | None = None, date: str | None = None) -> None:
        when = f"  date={printable(date)}" if date else ""
        if isinstance(record, ErrorRecord):
            message = self._paint(printable(f"ERROR {record.type}: {record.message}"), RED)
            self.out.write(f"{printable(record.id or '?')}{when}  {message}\n\n")
            return
        for name in record.actions:
            self._action_color(name)
        dominant = self._paint(record.dominant, BOLD + self.palette[record.dominant]) if record.dominant else "-"
        self.out.write(f"{self._paint(printable(record.id or '-'), BOLD)}  lang={printable(record.lang)}{when}  dominant={dominant}\n")
        if not record.actions:
            self.out.write("  (no policy actions found)\n")
        for name, summary in record.actions.items():
            strongest = strongest_modality(summary)
            modality = ", ".join(self._paint(f"{m} {n}", MODALITY_COLORS.get(m, "")) for m, n in summary.modality.items())
            label = self._paint(f"{name:<14}", self.palette[name])
            line = f"  {label} mentions {summary.mentions:<3} score {summary.score:5.2f}  {modality}"
            if len(summary.modality) > 1:
                line += f"  (strongest: {strongest})"
            if summary.actors:
                line += printable(f"  actors: {'; '.join(summary.actors)}")
            if summary.targets:
                line += printable(f"  targets: {'; '.join(summary.targets)}")
            if summary.amounts:
                line += printable("  amounts: " + "; ".join(a.text for a in summary.amounts))
            self.out.write(line + "\n")
        if self.verbose:
            self._evidence(record)
        for error in record.errors:
            self.out.write(self._paint(printable(f"  ! {error.type}: {error.message}"), RED) + "\n")
        self.out.write("\n")

    def _evidence(self, record: ArticleProfile) -> None:
        by_sentence: dict[int, list[Tag]] = {}
        for tag in record.tags:
            by_sentence.setdefault(tag.sentence, []).append(tag)
        for sentence in record.sentences:
            tags = by_sentence.get(sentence.index, [])
            if not tags:
                continue
            flat = " ".join(highlight(sentence, tags, self.color, self.palette).split())
            self.out.write(f"    [{sentence.index}] {flat}\n")
            for tag in tags:
                cue = f" ({tag.cue})" if tag.cue else ""
                who = f"  {tag.actor or '-'} -> {tag.target or '-'}" if tag.actor or tag.target else ""
                figures = "  " + "; ".join(a.text for a in tag.amounts) if tag.amounts else ""
                self.out.write(printable(f"        {tag.action}: {tag.modality}{cue}{who}{figures}  rule={tag.rule}") + "\n")


def make_writer(fmt: str, out: TextIO, *, actions: Iterable[str] | None = None,
                color: bool = False, verbose: bool = False, with_date: bool = False,
                title: str = "Policy actions report") -> Writer:
    """The writer for ``fmt`` (one of :data:`OUTPUT_FORMATS`).

    ``actions``: the engine's action names, in order (``list(engine.actions)``); required for
    ``csv`` (its columns), used for colours by ``table`` and ``html``. ``color``/``verbose``:
    ``table`` only. ``with_date``: ``csv`` gets a ``date`` column. ``title``: ``html`` only.
    """
    from classifier.csvout import CsvWriter
    from classifier.htmlreport import HtmlWriter

    if fmt == "csv":
        if actions is None:
            raise ConfigError("the csv format needs the action types for its columns "
                              "(make_writer('csv', out, actions=list(engine.actions)))")
        return CsvWriter(out, actions, with_date=with_date)
    if fmt == "html":
        return HtmlWriter(out, actions=actions or (), title=title)
    if fmt == "table":
        return TableWriter(out, color=color, verbose=verbose, actions=actions or ())
    writers = {"json": JsonWriter, "jsonl": JsonLinesWriter}
    if fmt not in writers:
        raise ConfigError(f"unknown output format {fmt!r} (choose from {', '.join(OUTPUT_FORMATS)})")
    return writers[fmt](out)
