"""Write profiles and error records as they come: JSON, JSON Lines or a terminal table.

Why streaming writers: output starts with the first article and memory stays flat however
large the corpus. ``json`` still follows its contract (one object for one input, an array for
several) by holding back only the first record until a second one shows up.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from classifier.model import ArticleProfile, ErrorRecord

OUTPUT_FORMATS = ("json", "jsonl", "table")


def dumps(obj: dict[str, Any]) -> str:
    """Deterministic compact JSON, UTF-8 characters kept (no \\u escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Writer:
    """Base writer: ``write`` each record, then ``close``."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, record: ArticleProfile | ErrorRecord) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonLinesWriter(Writer):
    def write(self, record: ArticleProfile | ErrorRecord) -> None:
        self.out.write(dumps(record.to_dict()))
        self.out.write("\n")


class JsonWriter(Writer):
    """One pretty object for a single record, else an array of them."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self._first: str | None = None
        self._count = 0

    def _render(self, record: ArticleProfile | ErrorRecord) -> str:
        return json.dumps(record.to_dict(), ensure_ascii=False, indent=2)

    def write(self, record: ArticleProfile | ErrorRecord) -> None:
        self._count += 1
        if self._count == 1:
            self._first = self._render(record)
            return
        if self._count == 2:
            self.out.write("[\n" + self._first + ",\n")  # type: ignore[operator]
            self._first = None
        else:
            self.out.write(",\n")
        self.out.write(self._render(record))

    def close(self) -> None:
        if self._count == 0:
            self.out.write("[]\n")
        elif self._count == 1:
            self.out.write(self._first + "\n")  # type: ignore[operator]
        else:
            self.out.write("\n]\n")
        super().close()


class TableWriter(Writer):
    """A short readable block per article: actions, modality, actors and figures."""

    def write(self, record: ArticleProfile | ErrorRecord) -> None:
        if isinstance(record, ErrorRecord):
            self.out.write(f"{record.id or '?'}  ERROR {record.type}: {record.message}\n\n")
            return
        self.out.write(f"{record.id or '-'}  lang={record.lang}  dominant={record.dominant or '-'}\n")
        if not record.actions:
            self.out.write("  (no policy actions found)\n")
        for name, summary in record.actions.items():
            modality = ", ".join(f"{m} {n}" for m, n in summary.modality.items())
            line = f"  {name:<14} mentions {summary.mentions:<3} score {summary.score:5.2f}  {modality}"
            if summary.actors:
                line += f"  actors: {'; '.join(summary.actors)}"
            if summary.targets:
                line += f"  targets: {'; '.join(summary.targets)}"
            if summary.amounts:
                line += "  amounts: " + "; ".join(a.text for a in summary.amounts)
            self.out.write(line + "\n")
        for error in record.errors:
            self.out.write(f"  ! {error.type}: {error.message}\n")
        self.out.write("\n")


def make_writer(fmt: str, out: TextIO) -> Writer:
    writers = {"json": JsonWriter, "jsonl": JsonLinesWriter, "table": TableWriter}
    return writers[fmt](out)
