"""Where a command's output goes: ``-o FILE`` written safely, or stdout kept for records alone.

Why a module of its own: output is where a run can destroy data. ``-o`` used to open the file
for writing before the first input was read, so ``classify v.jsonl -o v.jsonl`` emptied its own
input, and a run that failed half-way left half a file where the old one had been. Here:

- an output that is one of the inputs (the same file, also through a link) is refused before
  anything is opened;
- a regular file is written to a temporary file beside it and renamed over the target only when
  the run finished, so the target holds either the old content or the whole new one; a device or
  FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written in place, since renaming over it
  would replace the device;
- a write that fails (a full disk, a folder named as the file, a missing folder) is one
  :class:`OutputError` line, not a traceback;
- on stdout, with :func:`records_only_stdout`, plugins that ``print`` cannot corrupt JSON Lines:
  file descriptor 1 points at stderr while the run lasts, and the records go to a duplicate of
  the real stdout.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from classifier.errors import ClassifierError, os_reason


class OutputError(ClassifierError):
    """The output cannot be written; the message names the path and the reason."""



def refuse_input_as_output(output: str, inputs: Iterable[str]) -> None:
    """Raise :class:`OutputError` when ``output`` is one of ``inputs`` (the same file on disk,
    however it is spelled, hard and symbolic links included)."""
    try:
        out = os.stat(output)
    except OSError:
        return  # not there yet: it cannot be an input
    if not stat.S_ISREG(out.st_mode):
        return  # /dev/null, a FIFO: nothing to lose
    for raw in inputs:
        if raw == "-":
            continue
        try:
            info = os.stat(raw)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (out.st_dev, out.st_ino):
            raise OutputError(
                f"-o {output}: is also an input ({raw}); writing it would destroy the input "
                "before it is read. Choose another output file")


@contextmanager
def output_file(path: str, newline: str = "\n") -> Iterator[TextIO]:
    """A text handle for ``path``: a temporary file renamed over ``path`` at the end when it is
    (or will be) a regular file, the file itself otherwise. Any failure to open, write or
    rename raises :class:`OutputError`; a run that raises leaves ``path`` as it was."""
    target = Path(os.path.realpath(path))  # through a symlink to the file it names
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write -o {path}: {os_reason(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write -o {path}: it is a folder; name a file")
    if info is not None and not stat.S_ISREG(info.st_mode):
        yield from _in_place(path, newline)
        return
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write -o {path}: folder {folder} does not exist")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write -o {path}: {os_reason(exc)}") from None
    done = False
    try:
        os.chmod(temp, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        with open(handle, "w", encoding="utf-8", newline=newline) as out:
            yield out
        os.replace(temp, target)
        done = True
    except OSError as exc:
        raise OutputError(f"cannot write -o {path}: {os_reason(exc)}") from None
    finally:
        if not done:
            try:
                os.unlink(temp)
            except OSError:
                pass


def _in_place(path: str, newline: str) -> Iterator[TextIO]:
    try:
        with open(path, "w", encoding="utf-8", newline=newline) as out:
            yield out
    except OSError as exc:
        raise OutputError(f"cannot write -o {path}: {os_reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def records_only_stdout(newline: str = "\n") -> Iterator[TextIO]:
    """A handle on the real stdout for the records, while anything else printed during the
    run (a plugin's ``print``, a C library's output, a worker's) goes to stderr.

    With a real stdout (file descriptor 1), fd 1 is pointed at stderr and the records are
    written to a duplicate of the old fd 1; it is put back at the end. Otherwise (stdout
    replaced, as under a test's capture) only Python's ``sys.stdout`` is redirected."""
    original = sys.stdout
    try:
        fd = original.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd != 1:
        with redirect_stdout(sys.stderr):
            yield original
        return
    original.flush()
    try:
        saved = os.dup(1)
        os.dup2(sys.stderr.fileno(), 1)
    except (OSError, ValueError, AttributeError):  # no stderr to point at: keep stdout as is
        with redirect_stdout(sys.stderr):
            yield original
        return
    out = open(saved, "w", encoding=original.encoding or "utf-8", errors=original.errors,
               newline=newline, closefd=False)
    try:
        with redirect_stdout(sys.stderr):
            yield out
        out.flush()
    finally:
        try:
            out.close()  # flushes what is left; closefd=False keeps `saved` open
        except (OSError, ValueError):
            pass  # a reader that went away (`| head`): the caller has its BrokenPipeError
        os.dup2(saved, 1)
        os.close(saved)
