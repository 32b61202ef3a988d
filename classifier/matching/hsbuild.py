"""Building the missing Hyperscan databases for later runs, without ever delaying this one.

Why a detached process: the run that finds a database missing never uses what is built (it
covers only what the memo held when it started, see :mod:`classifier.matching.hsplan`), so
nothing is gained by building inside it, and much is risked: a daemon thread in a user's
script competes with it for the GIL, and one still inside Hyperscan's compiler when the
interpreter exits is stopped there (a crash at exit was the cost once). So the build goes to
one detached process at low priority, started at once (one ``Popen``, milliseconds; the
request goes in a sealed memo file): it outlives a short run (the demo article, a test) and
never holds the run back. Each database is written whole or not at all
(:func:`hsscan.save_chunk`).

A per-chunk ``flock`` keeps processes from compiling the same chunk twice; the kernel drops it
when its holder dies, so none outlives its builder. A process waits for the locks it could not
take at first (such as another run's builder's), then builds what is still missing. Never
raises: a build that fails is tried again by a later run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Sequence

from classifier.matching.factstore import code_fingerprint
from classifier.matching.hsscan import Chunk, compile_chunk, hyperscan, load_chunk, save_chunk
from classifier.matching.seal import memo_key, read_sealed, write_sealed

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: builds are then not coordinated
    fcntl = None  # type: ignore[assignment]

# The detached process: the same package as this one, whatever the current folder holds.
_CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); "
          "from classifier.matching.hsbuild import build_from_request; "
          "build_from_request(sys.argv[2], sys.argv[3])")


def build_missing(folder: Path, chunks: Sequence[Chunk], wait: bool = False) -> int:
    """Compile and store each chunk that is not stored yet and that no other process is
    building now (``wait``: then wait for it and look again); the number built."""
    built, busy = 0, []
    for chunk in chunks:
        result = _build_one(folder, chunk, blocking=False)
        if result is None:
            busy.append(chunk)
            continue
        built += result
    for chunk in busy if wait else ():
        built += _build_one(folder, chunk, blocking=True) or 0
    return built


def _build_one(folder: Path, chunk: Chunk, blocking: bool) -> int | None:
    """1 if built here, 0 if stored already or failed, None if another builder holds it."""
    try:
        with _BuildLock(folder, chunk.key, blocking) as mine:
            if not mine:
                return None
            if load_chunk(folder, chunk) is not None:
                return 0
            compiled = compile_chunk(chunk)
            return 1 if compiled is not None and save_chunk(folder, compiled) else 0
    except Exception:  # pragma: no cover - a background build must never break a run
        return 0


class Builder:
    """The background build of ``chunks`` into the memo ``folder``: a detached process (see the
    module docstring); ``process`` is None when none could be started."""

    def __init__(self, folder: Path, chunks: Sequence[Chunk]) -> None:
        self.folder = folder
        self.chunks = tuple(chunks)
        self.process = self._start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the build to end (tests and benchmarks; a run never waits)."""
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass

    def _start(self) -> subprocess.Popen[bytes] | None:
        request = self.folder / f"hyperscan-{code_fingerprint()}-request-{uuid.uuid4().hex}.json"
        payload = json.dumps([[chunk.key, chunk.patterns] for chunk in self.chunks],
                             ensure_ascii=False).encode("utf-8")
        if not write_sealed(request, memo_key(self.folder), payload):
            return None
        root = Path(__file__).resolve().parents[2]  # the folder that holds this package
        try:
            return subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(root), str(self.folder), str(request)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, close_fds=True)
        except OSError:  # pragma: no cover - no process to be had: a later run builds it
            return None


def build_in_background(folder: Path, chunks: Sequence[Chunk]) -> Builder | None:
    """A :class:`Builder` of the chunks, started; None when there is nothing to build."""
    if not chunks or hyperscan is None:
        return None
    return Builder(folder, chunks)


def build_from_request(folder: str, request: str) -> None:
    """The detached process's work: build the chunks a :class:`Builder` handed off."""
    try:
        os.nice(10)  # after the user's own work
    except (AttributeError, OSError):  # pragma: no cover - no nice() here
        pass
    where, path = Path(folder), Path(request)
    payload = read_sealed(path, memo_key(where))
    try:
        path.unlink()
    except OSError:
        pass
    if payload is None:
        return
    try:
        chunks = [Chunk(str(key), tuple((str(p), int(f)) for p, f in patterns))
                  for key, patterns in json.loads(payload.decode("utf-8"))]
    except (ValueError, TypeError):
        return
    build_missing(where, chunks, wait=True)


class _BuildLock:
    """An exclusive ``flock`` on the chunk's lock file (``blocking``: wait for it): True when
    held. The kernel drops it when the process dies, so no lock outlives its builder."""

    def __init__(self, folder: Path, key: str, blocking: bool = False) -> None:
        self.path = folder / f"hyperscan-{code_fingerprint()}-{key}.lock"
        self.blocking = blocking
        self.fd: int | None = None

    def __enter__(self) -> bool:
        if fcntl is None:
            return True
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if self.blocking else fcntl.LOCK_NB))
        except OSError:
            return False
        return True

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            os.close(self.fd)
