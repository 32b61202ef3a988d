"""A one-line progress bar on stderr: records, MB, MB/s and, when the input size is known, ETA.

Why hand-written and not tqdm: the bar needs four numbers and a carriage return; tqdm would be a
new dependency of the core package for that. Why stderr only: stdout carries the profiles, and a
byte of progress there would corrupt a JSONL stream piped to another tool. Why off unless stderr
is a terminal: in a pipeline or a log file a bar is noise (``--progress`` forces it on).

Bytes are the characters of the article texts processed, so against the input's size on disk
the fraction (and the ETA) slightly under-counts JSON framing and multi-byte characters; it is
an estimate, which is all an ETA is.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable, TextIO

REFRESH = 0.25  # seconds between redraws: cheap enough, and readable


def wants_progress(choice: bool | None, stream: TextIO) -> bool:
    """``--progress`` (True) / ``--no-progress`` (False) / neither (None: only on a terminal)."""
    if choice is not None:
        return choice
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def input_size(paths: Iterable[str]) -> int | None:
    """Total bytes of the input files (folders walked), or None when a stream is unsized."""
    total = 0
    for raw in paths:
        if raw == "-":
            try:
                stat = os.fstat(0)
            except OSError:
                return None
            if not (stat.st_mode & 0o170000 == 0o100000):  # stdin is not a regular file
                return None
            total += stat.st_size
            continue
        path = Path(raw)
        if path.is_dir():
            for root, _, files in os.walk(path, followlinks=True):
                for name in files:
                    if not name.startswith("."):
                        try:
                            total += os.stat(os.path.join(root, name)).st_size
                        except OSError:
                            pass
        elif path.is_file():
            total += path.stat().st_size
    return total


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Count records and bytes; redraw at most every ``REFRESH`` seconds; ``close`` ends the line.

    A disabled bar costs one attribute test per record.
    """

    def __init__(self, stream: TextIO, enabled: bool, total_bytes: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total = total_bytes or None
        self.records = 0
        self.bytes = 0
        self._clock = clock
        self._start = clock()
        self._next = self._start + REFRESH
        isatty = getattr(stream, "isatty", None)
        self._erase = "\x1b[K" if isatty and isatty() else ""  # clear the rest of the line
        self._open = False  # a bar is drawn and its line not yet ended
        self._done = False  # the input is exhausted: 100% whatever the estimate says

    def update(self, text: str | None) -> None:
        """One more record done, whose article text was ``text`` (None for an error record)."""
        if not self.enabled:
            return
        self.records += 1
        if text:
            self.bytes += len(text)
        now = self._clock()
        if now >= self._next:
            self._next = now + REFRESH
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The bar's text: records, MB, MB/s, and percentage and ETA when the size is known."""
        elapsed = max((self._clock() if now is None else now) - self._start, 1e-9)
        megabytes = self.bytes / 1e6
        rate = megabytes / elapsed
        parts = [f"{self.records:,} records", f"{megabytes:,.1f} MB", f"{rate:,.2f} MB/s"]
        if self.total:
            fraction = 1.0 if self._done else min(self.bytes / self.total, 1.0)
            parts.append(f"{fraction:4.0%}")
            if rate > 0 and fraction < 1.0:
                parts.append(f"ETA {_clock((self.total - self.bytes) / 1e6 / rate)}")
        parts.append(f"{_clock(elapsed)} elapsed")
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line(now) + self._erase)
        self.stream.flush()
        self._open = True

    def interrupt(self) -> None:
        """End the bar's line so that a message printed next gets a line of its own."""
        if self._open:
            self.stream.write("\n")
            self._open = False

    def close(self) -> None:
        """Draw the final figures and end the line (only if the bar is on)."""
        if not self.enabled:
            return
        self._done = True
        self._draw(self._clock())
        self.stream.write("\n")
        self.stream.flush()
