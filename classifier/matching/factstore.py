"""An on-disk memo of what loading learns about each rule pattern, so start-up stays short.

Why: validating a pattern means compiling it, and choosing its anchors and word-start literals
means parsing it; both parsers are Python, so every pattern costs a noticeable slice of a
start-up, and for the built-in packs, let alone 10,000 user rules, that adds up to most of the
time a short job spends. The answers only depend on the pattern, its flags, the ``regex``
version and the code that derives them, so they are kept in one JSON file under the user's cache
folder and reused. A pattern known to be valid is then compiled only when a sentence first needs
it (:class:`classifier.matching.patterncache.PatternCache`), so rules that never become
candidates cost nothing.

Compiled patterns are kept too, in a second file: ``regex`` pickles a pattern as the code its
compiler produced (``_regex.compile`` and its arguments), not as its source, so reading one back
costs a small fraction of compiling it. A run over 10 MB compiles ~480 rule patterns on first
use, which was a large share of every run and is now next to nothing. The file is read with an
unpickler that accepts nothing but ``regex._regex.compile``, so a tampered cache cannot run
code; and every memo file is sealed with an HMAC under this user's key
(:mod:`classifier.matching.seal`) and read only when it verifies, because ``regex`` trusts the
code it is given and a damaged byte crashed the process.

The file name includes a fingerprint of the deriving modules' source, so editing them (or
upgrading ``regex``) starts a fresh file. A missing, unreadable, damaged or foreign file is
treated as empty and a
folder that cannot be written is skipped: the cache can only make loading faster, never change
its result or make it fail. ``POLICY_CLASSIFIER_CACHE=off`` turns it off; a path moves it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

import regex

from classifier.matching.seal import memo_key, read_sealed, write_sealed

CACHE_ENV = "POLICY_CLASSIFIER_CACHE"
# The modules whose code decides the answers a store keeps: a change to any of them (or a move,
# since the fingerprint hashes where each one is found) makes every older memo file a stranger.
_DERIVING_MODULES = ("classifier.matching.anchors", "classifier.matching.openings",
                     "classifier.matching.wordfreq", "classifier.matching.patterncheck",
                     "classifier.matching.limits", "classifier.host.rulepack",
                     "classifier.matching.factstore", "classifier.model", "classifier.matching.seal",
                     "classifier.matching.casefold")
T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A short hash of the code whose answers the file holds, and of the ``regex`` version.

    Read once per process: every store, its compiled memo and every prune ask for it (six
    times a start-up), and the installed files it hashes do not change under a run."""
    digest = hashlib.sha256(f"{regex.__version__} {sys.version_info[:2]}".encode())
    add_module_sources(digest, _DERIVING_MODULES, with_names=True)
    return digest.hexdigest()[:16]


def add_module_sources(digest: Any, modules: Iterable[str], with_names: bool = False) -> None:
    """Feed ``digest`` the source of each module (and its name, if asked): what a memo keyed
    by code must change with. A module without a source file adds nothing."""
    for name in modules:
        if with_names:
            digest.update(name.encode())
        spec = importlib.util.find_spec(name)
        try:
            digest.update(Path(spec.origin).read_bytes() if spec and spec.origin else b"")
        except OSError:  # pragma: no cover - an installation without sources
            pass


def default_folder(env: Mapping[str, str] | None = None) -> Path | None:
    """Where the memo lives: ``$POLICY_CLASSIFIER_CACHE``, else the XDG cache folder; None if off."""
    env = os.environ if env is None else env
    chosen = env.get(CACHE_ENV, "").strip()
    if chosen.lower() in ("off", "0", "no", "false", "none"):
        return None
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "policy-classifier"


class CompiledMemo:
    """``compile(pattern, flags)``: ``regex.compile``, read back from an earlier run when it can be.

    The rule patterns go through it (via the engine's :class:`FactStore`), and so do the fixed
    patterns the built-in refiners compile at import, via a store of their own named
    ``"refiner"``, so they do not read the engine's, which grows with the user's rule packs
    (before, compiling the 95 modality cues afresh was a large share of every start-up).
    :meth:`save` merges into the file rather than overwriting it, since an engine's memo and a
    plugin's, or several ``--jobs`` workers, each add their own entries.
    """

    def __init__(self, folder: Path | None, name: str = "pattern", key: bytes | None = None) -> None:
        self.path = (None if folder is None
                     else folder / f"{name}-compiled-{code_fingerprint()}.pickle")
        self._key = key if key is not None or folder is None else memo_key(folder)
        self._code: dict[str, bytes] = self._read()
        self._added: dict[str, bytes] = {}

    def _read(self) -> dict[str, bytes]:
        if self.path is None:
            return {}
        payload = read_sealed(self.path, self._key)
        if payload is None:  # missing, damaged or not sealed by this user: start afresh
            return {}
        try:
            data = _CodeUnpickler(io.BytesIO(payload)).load()
        except Exception:
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, bytes)}

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern[str]:
        """The compiled pattern; raises ``regex.error`` for a bad one, like ``regex.compile``."""
        found = self.get(pattern, flags)
        if found is None:
            found = regex.compile(pattern, flags)
            self.keep(pattern, flags, found)
        return found

    def has(self, pattern: str, flags: int) -> bool:
        """Is the pattern's compiled code here (from an earlier run or this one)?"""
        return f"{flags}\x00{pattern}" in self._code

    def get(self, pattern: str, flags: int) -> regex.Pattern[str] | None:
        """The pattern as compiled on an earlier run, or None."""
        blob = self._code.get(f"{flags}\x00{pattern}")
        if blob is None:
            return None
        try:
            found = _CodeUnpickler(io.BytesIO(blob)).load()
        except Exception:  # a damaged entry: compile again rather than fail
            return None
        if isinstance(found, regex.Pattern) and found.pattern == pattern and found.flags & flags == flags:
            return found
        return None

    def keep(self, pattern: str, flags: int, compiled: regex.Pattern[str]) -> None:
        """Remember ``compiled`` for the next run (written by :meth:`save`)."""
        key = f"{flags}\x00{pattern}"
        if key not in self._code:
            self._code[key] = self._added[key] = pickle.dumps(
                compiled, protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def pending(self) -> bool:
        """Is there compiled code that :meth:`save` has yet to write?"""
        return bool(self._added)

    def save(self) -> None:
        """Add what was compiled here to the file (atomically); silently skip when impossible."""
        if self.path is None or not self._added:
            return
        merged = {**self._read(), **self._added}
        if write_sealed(self.path, self._key, pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL)):
            self._added = {}


class FactStore:
    """``remember(kind, pattern, flags, compute)``: the stored answer, or compute and store it;
    ``code``: the compiled patterns.

    Answers must be JSON values (strings, lists, None). Not thread-safe for writing; an Engine
    fills it while loading, in one thread, and saves it once at the end.
    """

    def __init__(self, folder: Path | None, name: str = "pattern") -> None:
        self.folder = folder
        self._fingerprint = code_fingerprint()
        self.path = None if folder is None else folder / f"{name}-facts-{self._fingerprint}.json"
        self._key = None if folder is None else memo_key(folder)
        self._facts: dict[str, object] = self._read()
        self._added: dict[str, object] = {}
        self._packs: dict[str, object] = {}
        self.code = CompiledMemo(folder, name, self._key)

    def _read(self) -> dict[str, object]:
        data = _json_payload(self.path, self._key)
        return data if isinstance(data, dict) else {}

    def remember(self, kind: str, pattern: str, flags: int, compute: Callable[[], T],
                 check: Callable[[object], bool]) -> T:
        """The answer for ``(kind, pattern, flags)``; ``check`` vets a stored one's shape."""
        key = f"{kind}\x00{flags}\x00{pattern}"
        if key in self._facts and check(stored := self._facts[key]):
            return stored  # type: ignore[return-value]
        value = self._facts[key] = self._added[key] = compute()
        return value

    def recall_pack(self, key: str) -> object | None:
        """The rules :meth:`keep_pack` stored under ``key`` on an earlier run, or None.

        One file per pack, read only when that pack is loaded: a user's 10,000 rules must
        not slow down a run that does not use them."""
        path = self._pack_path(key)
        stored = _json_payload(path, self._key)
        return self._packs.get(key) if stored is None else stored

    def keep_pack(self, key: str, rules: object) -> None:
        """Store a pack's rules, as JSON values, for :meth:`recall_pack` (written by :meth:`save`)."""
        self._packs[key] = rules

    def _pack_path(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"pack-{self._fingerprint}-{digest}.json"

    def save(self) -> None:
        """Add what was learnt here to the files (atomically); silently skip when impossible.

        Merged into what the file holds now, since an engine and the built-in refiners each
        keep their own store, and ``--jobs`` workers may save at the same time. Writing
        anything also prunes other versions' old files (see :func:`prune`)."""
        if self.folder is None or not (self._added or self._packs or self.code.pending):
            return
        if self.path is not None and self._added:
            merged = {**self._read(), **self._added}
            facts = json.dumps(merged, ensure_ascii=False, separators=(",", ":"))
            if write_sealed(self.path, self._key, facts.encode("utf-8")):
                self._added = {}
        for key, rules in list(self._packs.items()):
            path = self._pack_path(key)
            data = json.dumps(rules, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if path is not None and write_sealed(path, self._key, data):
                del self._packs[key]
        self.code.save()
        prune(self.folder)


STALE_AFTER = 30 * 24 * 3600  # seconds: memo files of other versions older than this go


def _json_payload(path: Path | None, key: bytes | None) -> object | None:
    """The JSON value a sealed memo file holds; None if missing, damaged or foreign."""
    payload = None if path is None else read_sealed(path, key)
    if payload is None:
        return None
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def prune(folder: Path, now: float | None = None) -> None:
    """Delete memo files that other versions of the code wrote and nobody rewrote for
    :data:`STALE_AFTER` (each upgrade starts new files, so old ones would pile up), and
    temporary files that a killed run left behind (Hyperscan databases and their lock files
    included). Files of this version stay. Not a shorter limit: two installed versions sharing
    the folder would delete each other's."""
    current = code_fingerprint()
    cutoff = (time.time() if now is None else now) - STALE_AFTER
    for pattern in ("*-facts-*.json", "*compiled-*.pickle", "pack-*.json", "*.tmp", "hyperscan-*"):
        for path in folder.glob(pattern):
            try:
                if current not in path.name and path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass  # gone already, or not ours to delete


class _CodeUnpickler(pickle.Unpickler):
    """Reads the compiled-pattern file: plain containers, and ``regex``'s own constructor of
    compiled code; anything else (a file someone tampered with) is refused."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the compiled-pattern memo")
