"""``policy-classify summarize``: read saved profiles from files or stdin, print the corpus summary.

Why apart from :mod:`classifier.report.summarize`: that module counts records handed to it, for
the command and for the HTML report alike; this one owns what only the command does -- paths,
stdin, byte-order marks, and one stderr line per line it must skip.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from typing import Iterable, Iterator, TextIO

from classifier.errors import ConfigError, os_reason
from classifier.report.profilecheck import profile_problem
from classifier.report.savedlines import iter_saved
from classifier.report.summarize import RENDERERS, CorpusSummary


def summarize_command(paths: Iterable[str], fmt: str = "table", bucket: str = "month",
                      top: int = 10, date_field: str = "date", out: TextIO | None = None,
                      err: TextIO | None = None) -> int:
    """What ``policy-classify summarize`` does: read each path ('-' is stdin), print the summary.

    Returns 0, or 1 when a line was skipped: each line that is not JSON, or not a profile or
    error record with the types summarize reads, is one line on ``err`` (stderr) naming
    FILE:LINE and what was expected, and is left out of the summary.

    Raises :class:`~classifier.errors.ConfigError` (exit 2 in the CLI) for a path that cannot
    be read, checked before any is read.
    """
    paths = list(paths)
    for path in paths:
        _check_input(path)
    summary = CorpusSummary(date_field=date_field)
    skipped = 0
    for path in paths:
        name = "<stdin>" if path == "-" else path
        for where, kind, message in _summarize_file(path, summary):
            skipped += 1
            print(f"policy-classify: {name}:{where}: {kind}: {message}; line skipped", file=err or sys.stderr)
    (out or sys.stdout).write(RENDERERS[fmt](summary.result(bucket=bucket, top=top)))
    return 1 if skipped else 0


def _check_input(path: str) -> None:
    """A path that does not exist or is a folder stops the command before anything is read."""
    if path == "-":
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise ConfigError("<stdin>: stdin is closed; nothing to read")
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open: {os_reason(exc)}") from exc
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{path}: is a folder; summarize reads files of saved profiles (JSONL or JSON)")


def _summarize_file(path: str, summary: CorpusSummary) -> Iterator[tuple[int, str, str]]:
    """Add each good record of ``path`` to ``summary``; ``(line, type, message)`` for each bad one."""
    try:
        with _opened(path) as stream:
            for saved in iter_saved(stream):
                problem = saved.problem
                if problem is None:
                    why = profile_problem(saved.value)
                    problem = None if why is None else ("InvalidProfile", why)
                if problem is None:
                    summary.count_accepted(saved.value)
                else:
                    yield saved.line, *problem
    except OSError as exc:  # unreadable, or a read that failed part-way
        raise ConfigError(f"{'<stdin>' if path == '-' else path}: cannot read: {os_reason(exc)}") from exc


@contextlib.contextmanager
def _opened(path: str) -> Iterator[TextIO]:
    """A profiles file as text: UTF-8 with or without a byte-order mark, invalid bytes as U+FFFD
    (stdin too: its own encoding is the locale's, and strict)."""
    if path != "-":
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            yield handle
        return
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes under it (an embedding program's)
        yield sys.stdin
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace")
    try:
        yield stream
    finally:
        with contextlib.suppress(ValueError):
            stream.detach()  # stdin stays open for whoever reads it next
