"""Hyperscan databases of the rule patterns: one scan of the article for every pattern it holds.

Why: the Aho-Corasick prefilter only knows one literal per pattern ("sanction", "over"), so most
candidates it proposes fail their ``regex`` confirmation. A Hyperscan database of the patterns
themselves (rewritten as necessary conditions by :mod:`classifier.matching.hsform`) proposes a
(rule, sentence) pair only where the pattern nearly matches, in one C pass over the article.

Why per-pack databases, kept in the memo and built in the background: compiling the built-in
patterns into Hyperscan takes seconds (``benchmarks/README.md``), as long again as a new user's
whole first run, which must stay short, and a user's own large packs take longer. So the
patterns of each rule pack form one chunk; a chunk's database is serialised into the memo
folder (sealed like every memo file, see :mod:`classifier.matching.seal`, and written
atomically), keyed by the chunk's patterns, the rewriting code and the Hyperscan version. A
matcher uses the chunks it finds there and the Aho-Corasick path serves the rules of the
others, while the missing chunks are built for later runs (:mod:`classifier.matching.hsbuild`:
a thread, then a detached process if the run ends first). Per pack, so a user's pack never
invalidates the built-in ones. A missing, damaged or foreign database file reads as absent and
is built again: it can make a run slower, never different or failing.

``--prefilter hyperscan`` compiles what the memo lacks before the first article instead (the
user asked for Hyperscan; the tests and benchmarks use it), and ``POLICY_CLASSIFIER_HYPERSCAN=off``
or ``--prefilter aho-corasick`` keeps the compiled path out entirely.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from classifier.matching.factstore import add_module_sources, code_fingerprint
from classifier.matching.hsform import hs_form
from classifier.matching.hsimage import scan_bytes
from classifier.matching.seal import memo_key, read_sealed, write_sealed

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised by monkeypatching in tests
    hyperscan = None  # type: ignore[assignment]

HS_ENV = "POLICY_CLASSIFIER_HYPERSCAN"  # "off": never use the compiled path
_FLAGS = ("HS_FLAG_PREFILTER",)  # not CASELESS: the rewritten classes say each case

PatternId = tuple[str, int]  # (pattern, regex flags)


def available(env: Mapping[str, str] | None = None) -> bool:
    """Is Hyperscan importable here and not turned off with ``POLICY_CLASSIFIER_HYPERSCAN=off``?"""
    env = os.environ if env is None else env
    off = env.get(HS_ENV, "").strip().lower() in ("off", "0", "no", "false", "none")
    return hyperscan is not None and not off


@dataclass(frozen=True)
class Chunk:
    """The distinct patterns of one rule pack, and the key their database is stored under."""

    key: str
    patterns: tuple[PatternId, ...]


@dataclass(frozen=True)
class ChunkDb:
    """A compiled chunk: expression ``i`` of ``database`` is the rewritten ``covered[i]``."""

    key: str
    covered: tuple[PatternId, ...]
    database: Any


@functools.lru_cache(maxsize=1)
def _hs_fingerprint() -> str:
    """What a database depends on besides its patterns: the memo's code fingerprint (``regex``
    version included), the rewriting code, and the Hyperscan version."""
    digest = hashlib.sha256(f"{code_fingerprint()} {getattr(hyperscan, '__version__', '')}".encode())
    add_module_sources(digest, ("classifier.matching.hsform", "classifier.matching.hsimage",
                                "classifier.matching.hsscan"))
    return digest.hexdigest()[:16]


def make_chunks(groups: Iterable[Iterable[PatternId]]) -> tuple[Chunk, ...]:
    """One :class:`Chunk` per group of patterns, keyed by content (order does not matter)."""
    chunks = []
    prefix = _hs_fingerprint()
    for group in groups:
        patterns = tuple(sorted(set(group)))
        if not patterns:
            continue
        digest = hashlib.sha256(prefix.encode())
        digest.update(json.dumps(patterns, ensure_ascii=False).encode("utf-8"))
        chunks.append(Chunk(digest.hexdigest()[:32], patterns))
    return tuple(chunks)


def compile_chunk(chunk: Chunk) -> ChunkDb | None:
    """The chunk's database: every pattern that rewrites and compiles, or None if none does."""
    if hyperscan is None:
        return None
    flags = 0
    for name in _FLAGS:
        flags |= getattr(hyperscan, name)
    forms = [(pid, form.expression) for pid in chunk.patterns
             if (form := hs_form(*pid)) is not None]
    database = _compile([e for _, e in forms], flags)
    if database is None:  # one expression spoils a multi-compile: keep those that compile alone
        forms = [(pid, e) for pid, e in forms if _compile([e], flags) is not None]
        database = _compile([e for _, e in forms], flags)
    if database is None:
        return None
    return ChunkDb(chunk.key, tuple(pid for pid, _ in forms), database)


def _compile(expressions: Sequence[bytes], flags: int) -> Any:
    if not expressions:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=list(expressions), ids=list(range(len(expressions))),
                         elements=len(expressions), flags=[flags] * len(expressions))
    except hyperscan.error:
        return None
    return database


def _path(folder: Path, key: str) -> Path:
    """The code fingerprint in the name lets the memo's pruning drop other versions' files."""
    return folder / f"hyperscan-{code_fingerprint()}-{key}.db"


def load_chunk(folder: Path | None, chunk: Chunk) -> ChunkDb | None:
    """The chunk's database from the memo folder; None when absent, damaged or foreign."""
    if folder is None or hyperscan is None:
        return None
    payload = read_sealed(_path(folder, chunk.key), memo_key(folder))
    if payload is None or len(payload) < 4:
        return None
    size = int.from_bytes(payload[:4], "big")
    try:
        header = json.loads(payload[4:4 + size].decode("utf-8"))
        covered = tuple((str(p), int(f)) for p, f in header)
        database = hyperscan.loadb(payload[4 + size:], hyperscan.HS_MODE_BLOCK)
    except Exception:  # a file this code did not write: build it again
        return None
    if not set(covered) <= set(chunk.patterns):
        return None
    return ChunkDb(chunk.key, covered, database)


def save_chunk(folder: Path | None, compiled: ChunkDb) -> bool:
    """Write the database into the memo folder, sealed and atomically; False if it cannot."""
    if folder is None or hyperscan is None:
        return False
    header = json.dumps(compiled.covered, ensure_ascii=False).encode("utf-8")
    payload = len(header).to_bytes(4, "big") + header + hyperscan.dumpb(compiled.database)
    return write_sealed(_path(folder, compiled.key), memo_key(folder), payload)


class HsScanner:
    """Scans an article with a set of chunk databases; ``slots[c][i]`` is the caller's number
    for expression ``i`` of chunk ``c``. Scratch space is per thread, as Hyperscan requires."""

    def __init__(self, databases: Sequence[ChunkDb], slots: Sequence[Sequence[int]]) -> None:
        self._databases = tuple(d.database for d in databases)
        self._slots = tuple(tuple(s) for s in slots)
        self._local = threading.local()

    def _scratches(self) -> tuple[Any, ...]:
        scratches = getattr(self._local, "scratches", None)
        if scratches is None:
            scratches = self._local.scratches = tuple(hyperscan.Scratch(d) for d in self._databases)
        return scratches

    def scan(self, text: str) -> list[tuple[int, int]]:
        """``(slot, end)`` for every match end of every expression in ``text`` (str offsets)."""
        image = scan_bytes(text)
        found: list[tuple[int, int]] = []
        add = found.append  # the handler maps each event to its slot at once: no second pass
        for database, scratch, slots in zip(self._databases, self._scratches(), self._slots):
            database.scan(image, match_event_handler=lambda i, _s, end, _f, _c, slots=slots:
                          add((slots[i], end)), scratch=scratch)
        return found
