"""An on-disk memo of what loading learns about each rule pattern, so start-up stays short.

Why: validating a pattern means compiling it, and choosing its anchors and word-start literals
means parsing it; both parsers are Python, ~2-5 ms per pattern. For the built-in packs that is
over a second on every run, for 10,000 user rules over half a minute -- most of the time a
short job spends. The answers only depend on the pattern, its flags, the ``regex`` version and
the code that derives them, so they are kept in one JSON file under the user's cache folder
and reused. A pattern known to be valid is then compiled only when a sentence first needs it
(:class:`classifier.matcher.PatternCache`), so rules that never become candidates cost nothing.

The key includes a fingerprint of the deriving modules' source, so editing them (or upgrading
``regex``) starts a fresh file. A missing, unreadable or corrupt file is treated as empty and a
folder that cannot be written is skipped: the cache can only make loading faster, never change
its result or make it fail. ``POLICY_CLASSIFIER_CACHE=off`` turns it off; a path moves it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Mapping, TypeVar

import regex

CACHE_ENV = "POLICY_CLASSIFIER_CACHE"
_DERIVING_MODULES = ("anchors.py", "openings.py", "wordfreq.py", "rulepack.py", "factstore.py")
T = TypeVar("T")


def code_fingerprint() -> str:
    """A short hash of the code whose answers the file holds, and of the ``regex`` version."""
    digest = hashlib.sha256(f"{regex.__version__} {sys.version_info[:2]}".encode())
    here = Path(__file__).resolve().parent
    for name in _DERIVING_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - an installation without sources
            digest.update(name.encode())
    return digest.hexdigest()[:16]


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


class FactStore:
    """``remember(kind, pattern, flags, compute)``: the stored answer, or compute and store it.

    Answers must be JSON values (strings, lists, None). Not thread-safe for writing; an Engine
    fills it while loading, in one thread, and saves it once at the end.
    """

    def __init__(self, folder: Path | None) -> None:
        self.path = None if folder is None else folder / f"pattern-facts-{code_fingerprint()}.json"
        self._facts: dict[str, object] = self._read()
        self._added = 0

    def _read(self) -> dict[str, object]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def remember(self, kind: str, pattern: str, flags: int, compute: Callable[[], T],
                 check: Callable[[object], bool]) -> T:
        """The answer for ``(kind, pattern, flags)``; ``check`` vets a stored one's shape."""
        key = f"{kind}\x00{flags}\x00{pattern}"
        if key in self._facts and check(stored := self._facts[key]):
            return stored  # type: ignore[return-value]
        value = compute()
        self._facts[key] = value
        self._added += 1
        return value

    def save(self) -> None:
        """Write the file if anything was added (atomically); silently skip when impossible."""
        if self.path is None or not self._added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        except OSError:
            return  # no folder we may write to: the next run computes the answers again
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self._facts, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, self.path)
            self._added = 0
        except OSError:
            try:
                os.unlink(temp)
            except OSError:
                pass
