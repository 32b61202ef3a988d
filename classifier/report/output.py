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
from typing import Iterable, TextIO

from classifier.errors import ConfigError
from classifier.model import ArticleProfile, ErrorRecord, Tag
from classifier.pipeline.merge import strongest_modality
from classifier.report.csvout import CsvWriter
from classifier.report.explain import BOLD, COLORS, RESET, highlight
from classifier.report.htmlreport import HtmlWriter
from classifier.report.terminal import printable
from classifier.report.writer import JsonLinesWriter, Record, Writer, record_dict

OUTPUT_FORMATS = ("json", "jsonl", "table", "csv", "html")


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
        self.out.write(f"{self._paint(printable(record.id or '-'), BOLD)}  lang={printable(record.lang)}{when}"
                       f"  dominant={dominant}\n")
        if not record.actions:
            self.out.write("  (no policy actions found)\n")
        for name, summary in record.actions.items():
            strongest = strongest_modality(summary)
            modality = ", ".join(self._paint(f"{m} {n}", MODALITY_COLORS.get(m, ""))
                                 for m, n in summary.modality.items())
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
                self.out.write(printable(f"        {tag.action}: {tag.modality}{cue}{who}{figures}"
                                         f"  rule={tag.rule}") + "\n")


def make_writer(fmt: str, out: TextIO, *, actions: Iterable[str] | None = None,
                color: bool = False, verbose: bool = False, with_date: bool = False,
                title: str = "Policy actions report") -> Writer:
    """The writer for ``fmt`` (one of :data:`OUTPUT_FORMATS`).

    ``actions``: the engine's action names, in order (``list(engine.actions)``); required for
    ``csv`` (its columns), used for colours by ``table`` and ``html``. ``color``/``verbose``:
    ``table`` only. ``with_date``: ``csv`` gets a ``date`` column. ``title``: ``html`` only.
    """
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
