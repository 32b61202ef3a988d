"""Hyperscan over the rules' exclude patterns: one scan of a sentence answers most of them.

Why: a rule that matches a sentence is dropped when one of its exclude patterns is found there,
and excludes are long alternations of common words that ``regex`` searches slowly. On news
with many policy sentences most ``regex`` searches of an article were exclude searches (several
rules of a family match the same sentence, each with excludes of its own), and nearly all of
them found nothing. Here the exclude patterns of each rule pack form one Hyperscan database
(rewritten as necessary conditions by :mod:`classifier.matching.hsform`, kept in the memo and
built in the background like the rule patterns' databases, :mod:`classifier.matching.hsscan`).
The first time a sentence needs an exclude verdict of a pack, that pack's database scans the
sentence once; an exclude it does not report cannot be found by ``regex`` in that sentence and
is not searched; one it reports is searched as before. So the verdicts, and the hits, are the
same.

Why the sentence and not the article: excludes are only asked about in sentences where a rule
has matched, a few per article, and scanning the whole article for them cost more than the
searches it saved (``benchmarks/README.md``). The sentence is scanned as its own image, exactly
the string ``regex`` searches, so the rewrite's care about sentence edges does not arise.
"""

from __future__ import annotations

from typing import Sequence

from classifier.matching.hsscan import ChunkDb, HsScanner, PatternId
from classifier.matching.patterncheck import compile_flags
from classifier.model import Rule

Place = tuple[int, int]  # (scanner, expression) of one exclude pattern


def exclude_groups(rules: Sequence[Rule]) -> list[set[PatternId]]:
    """The exclude patterns of each (language, pack): one database each."""
    groups: dict[tuple[str, str], set[PatternId]] = {}
    for rule in rules:
        if rule.exclude:
            flags = compile_flags(rule.case_sensitive)
            groups.setdefault((rule.lang, rule.pack), set()).update((p, flags) for p in rule.exclude)
    return list(groups.values())


class HsExcludes:
    """Which exclude patterns may be found in a sentence, from the databases the memo holds.

    ``places[rule]`` is None when no exclude of the rule is covered, else per exclude pattern
    its (scanner, expression), or None for one that is not covered (``regex`` always decides it).
    """

    def __init__(self, rules: Sequence[Rule], databases: Sequence[ChunkDb]) -> None:
        self._scanners = tuple(HsScanner([db], [range(len(db.covered))]) for db in databases)
        where: dict[PatternId, Place] = {}
        for number, db in enumerate(databases):
            for expression, pid in enumerate(db.covered):
                where.setdefault(pid, (number, expression))
        places: list[tuple[Place | None, ...] | None] = []
        for rule in rules:
            flags = compile_flags(rule.case_sensitive)
            own = tuple(where.get((p, flags)) for p in rule.exclude)
            places.append(own if any(p is not None for p in own) else None)
        self.places = tuple(places)

    def found(self, scanner: int, sentence_text: str) -> frozenset[int]:
        """The expressions of one database with a match in ``sentence_text``."""
        return frozenset(slot for slot, _ in self._scanners[scanner].scan(sentence_text))
