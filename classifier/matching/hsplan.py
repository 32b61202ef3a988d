"""The matcher's Hyperscan gate: which rules it covers, and where each may match in an article.

Why a module of its own: :mod:`classifier.matching.matcher` keeps the Aho-Corasick planning of
the rules Hyperscan does not cover; this turns one Hyperscan scan into the same kind of plan
(sentence -> candidate rules, and per rule the patterns worth trying), so the two merge and
the confirmation by ``regex`` is shared. A rule is covered only when every one of its patterns
is in a loaded database (see :mod:`classifier.matching.hsscan` for when that is); a rule with
one pattern left out keeps the anchor path whole, so each rule has exactly one gate.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Mapping, Sequence

from classifier.matching.casefold import FOLDS_TO_ASCII
from classifier.matching.hsbuild import build_in_background
from classifier.matching.hsexclude import HsExcludes, exclude_groups
from classifier.matching.hsscan import (
    Chunk,
    ChunkDb,
    HsScanner,
    PatternId,
    compile_chunk,
    load_chunk,
    make_chunks,
    save_chunk,
)
from classifier.matching.patterncache import PatternCache
from classifier.matching.patterncheck import compile_flags
from classifier.model import Rule

# Characters Hyperscan's \b takes for word characters in the article's image.
_HS_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(
    FOLDS_TO_ASCII)


class HsGate:
    """Hyperscan over one matcher's rules.

    ``build``: ``"wait"`` compiles the chunks the memo lacks before returning (``--prefilter
    hyperscan``: the user asked for it), ``"background"`` leaves them to a detached process for
    later runs and covers only what the memo holds (``auto``: a first run stays fast).
    """

    def __init__(self, rules: Sequence[Rule], patterns: PatternCache, build: str) -> None:
        folder = patterns.facts.folder if patterns.facts is not None else None
        groups: dict[tuple[str, str], set[PatternId]] = {}
        for rule in rules:
            flags = compile_flags(rule.case_sensitive)
            groups.setdefault((rule.lang, rule.pack), set()).update((p, flags) for p in rule.patterns)
        chunks = make_chunks(groups.values())
        exclude_chunks = make_chunks(exclude_groups(rules))
        missing: list[Chunk] = []
        databases = _loaded(folder, chunks, build, missing)
        # the exclude patterns' databases (classifier.matching.hsexclude), built alongside
        self.excludes = HsExcludes(rules, _loaded(folder, exclude_chunks, build, missing))
        # The detached process that builds the missing chunks for later runs (None: nothing to build).
        self.builder = (build_in_background(folder, missing)
                        if missing and build == "background" and folder is not None else None)
        available = {pid for database in databases for pid in database.covered}
        covered = []
        slot_of: dict[PatternId, int] = {}
        users: list[list[tuple[int, int]]] = []

        def slot(pid: PatternId) -> int:
            found = slot_of.setdefault(pid, len(slot_of))
            if found == len(users):
                users.append([])
            return found

        for index, rule in enumerate(rules):
            flags = compile_flags(rule.case_sensitive)
            if not rule.patterns or not all((p, flags) in available for p in rule.patterns):
                continue
            covered.append(index)
            for position, pattern in enumerate(rule.patterns):
                users[slot((pattern, flags))].append((index, position))
        self.rules = frozenset(covered)
        self._users = tuple(tuple(u) for u in users)
        used = [d for d in databases if any(pid in slot_of for pid in d.covered)]
        self._scanner = HsScanner(used, [[slot_of.get(pid, -1) for pid in d.covered] for d in used])
        self.chunks, self.loaded = len(chunks), len(databases)

    def scan(self, text: str) -> list[tuple[int, int]]:
        """``(end, slot)`` of every pattern match end in the article (one scan per chunk)."""
        if not self.rules:
            return []
        return [(end, slot) for slot, end in self._scanner.scan(text) if slot >= 0]

    def plan(self, text: str, spans: Sequence[tuple[int, int]], found: Sequence[tuple[int, int]]
             ) -> dict[int, dict[int, frozenset[int] | None]]:
        """Sentence -> covered rule -> the indexes of its patterns worth trying there (None:
        all of them).

        Exclude patterns are not in the databases: measured, their long alternations of common
        words made the scan cost more than the searches they would save.

        A match ending in a sentence makes it a candidate; a pattern's matches lie inside one
        sentence, so every sentence where ``regex`` can match is proposed. Where a sentence
        edge touches a word character on both sides (a plugin's splitter may cut so), ``\\b``
        reads differently inside the sentence than in the article, so there every covered rule
        is tried in full."""
        plan: dict[int, dict[int, set[int] | None]] = {}
        if not self.rules:
            return {}
        starts = [start for start, _ in spans]
        users = self._users
        for end, slot in found:
            last = end - 1
            sentence = bisect_right(starts, last) - 1
            if sentence < 0 or last >= spans[sentence][1]:
                continue
            rules = plan.get(sentence)
            if rules is None:
                rules = plan[sentence] = {}
            for rule, pattern in users[slot]:
                allowed = rules.get(rule)
                if allowed is None:
                    rules[rule] = {pattern}
                else:
                    allowed.add(pattern)
        for sentence in _glued(text, spans):
            plan[sentence] = dict.fromkeys(self.rules)
        return {s: {r: None if p is None else frozenset(p) for r, p in rules.items()}
                for s, rules in plan.items()}


def _loaded(folder: Path | None, chunks: Sequence[Chunk], build: str,
            missing: list[Chunk]) -> list[ChunkDb]:
    """The chunks' databases the memo holds (with ``build == "wait"``, compiled first when it
    does not); the others are added to ``missing``."""
    databases: list[ChunkDb] = []
    for chunk in chunks:
        found = load_chunk(folder, chunk)
        if found is None and build == "wait":
            found = compile_chunk(chunk)
            if found is not None:
                save_chunk(folder, found)
        if found is None:
            missing.append(chunk)
        else:
            databases.append(found)
    return databases


def _glued(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Sentences with an edge between two word characters of the image."""
    glued, word, size = [], _HS_WORD, len(text)
    for index, (start, end) in enumerate(spans):
        if (start and text[start] in word and text[start - 1] in word) or (
                end < size and text[end - 1] in word and text[end] in word):
            glued.append(index)
    return glued


def merged(plan: dict[int, list[int]], hs_plan: Mapping[int, Mapping[int, object]]) -> None:
    """Add the Hyperscan candidates to the anchor path's plan, keeping rule order."""
    for sentence, rules in hs_plan.items():
        existing = plan.get(sentence)
        plan[sentence] = sorted(rules) if not existing else sorted({*existing, *rules})
