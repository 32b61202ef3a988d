"""Every rule pattern compiled once per engine, and what loading learns about each one.

Why one :class:`PatternCache` per engine: ``regex.compile`` is slow (its parser is Python) and
loading must compile every pattern anyway to validate it. The loader validates through the
cache, so each pattern is compiled exactly once and every matcher of the engine (one per
language, sharing most rules) reuses it. Measured on the built-in packs: recompiling ~700
patterns had been most of the first pass over the dev set. The price is memory for very large
packs: +10,000 generated rules hold ~80 MB more (226 MB peak instead of 145 MB) because their
compiled patterns are kept rather than dropped. A cache used without a loader (``rules lint``,
tests) still compiles on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import regex

from classifier.matching.anchors import pattern_anchors
from classifier.matching.factstore import FactStore
from classifier.matching.openings import start_literals
from classifier.matching.patterncheck import compile_flags, pattern_problem
from classifier.model import Rule


def _sorted_or_none(literals: frozenset[str] | None) -> list[str] | None:
    return None if literals is None else sorted(literals)


class PatternCache:
    """``regex.compile`` once per (pattern, flags), shared by an engine's matchers; and, with a
    :class:`~classifier.matching.factstore.FactStore`, what loading learns about each pattern.

    Without a store, :meth:`problem` validates by compiling through the cache (so no pattern is
    compiled twice). With one, a pattern the store knows to be valid is not compiled at load:
    :meth:`get` compiles it when a matcher first needs it, so start-up reads a file instead of
    running ``regex``'s parser ~700 times (or 14,000 times with 10,000 user rules).

    Filling it is the only mutation after construction; a race between two threads can at
    worst compile the same pattern twice and store equal objects, so no lock is needed.
    """

    def __init__(self, facts: FactStore | None = None) -> None:
        self._patterns: dict[tuple[str, int], regex.Pattern[str]] = {}
        self._derived: dict[tuple[str, str], frozenset[str] | None] = {}
        self.facts = facts

    def get(self, pattern: str, flags: int) -> regex.Pattern[str]:
        key = (pattern, flags)
        compiled = self._patterns.get(key)
        if compiled is None:
            compile = regex.compile if self.facts is None else self.facts.code.compile
            compiled = self._patterns[key] = compile(pattern, flags)
        return compiled

    def problem(self, pattern: str, flags: int) -> str | None:
        """Why ``pattern`` cannot be a rule pattern (see :func:`patterncheck.pattern_problem`)."""
        if self.facts is None:
            return pattern_problem(pattern, flags, self.get)
        return self.facts.remember("problem", pattern, flags,
                                   lambda: pattern_problem(pattern, flags, self.get),
                                   lambda v: v is None or isinstance(v, str))

    def anchors(self, pattern: str) -> frozenset[str] | None:
        """:func:`classifier.matching.anchors.pattern_anchors`, remembered."""
        return self._literals("anchors", pattern, pattern_anchors)

    def starts(self, pattern: str) -> frozenset[str] | None:
        """:func:`classifier.matching.openings.start_literals`, remembered."""
        return self._literals("starts", pattern, start_literals)

    def _literals(self, kind: str, pattern: str,
                  derive: Callable[[str], frozenset[str] | None]) -> frozenset[str] | None:
        key = (kind, pattern)
        if key in self._derived:  # asked again by each language's matcher and at save
            return self._derived[key]
        if self.facts is None:
            literals = derive(pattern)
        else:
            found = self.facts.remember(
                kind, pattern, 0, lambda: _sorted_or_none(derive(pattern)),
                lambda v: v is None or (isinstance(v, list) and all(isinstance(x, str) for x in v)))
            literals = None if found is None else frozenset(found)
        self._derived[key] = literals
        return literals

    def known_pack(self, key: str) -> object | None:
        """A rule pack's rules as :func:`classifier.host.rulepack.load_pack` stored them, or None."""
        return None if self.facts is None else self.facts.recall_pack(key)

    def keep_pack(self, key: str, rules: object) -> None:
        if self.facts is not None:
            self.facts.keep_pack(key, rules)

    def remember_all(self, rules: Iterable[Rule]) -> None:
        """Fill the memo with all a later start-up needs about ``rules``, and save it.

        Matchers are built, and patterns compiled, only when an article needs them, which is
        after the engine has saved its memo. So this learns every pattern's word-start
        literals and compiled code now; it costs nothing when the memo already has them (every
        run after the first), and a full compile per pattern when it does not."""
        if self.facts is None:
            return
        code = self.facts.code
        for rule in rules:
            flags = compile_flags(rule.case_sensitive)
            for pattern in rule.patterns:
                self.starts(pattern)
            for pattern in (*rule.patterns, *rule.exclude):
                if (pattern, flags) not in self._patterns and not code.has(pattern, flags):
                    self.get(pattern, flags)
        self.facts.save()

    def rule(self, rule: Rule) -> "CompiledRule":
        flags = compile_flags(rule.case_sensitive)
        return CompiledRule(
            rule=rule,
            patterns=tuple(self.get(p, flags) for p in rule.patterns),
            exclude=tuple(self.get(p, flags) for p in rule.exclude),
        )


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its regexes compiled once."""

    rule: Rule
    patterns: tuple[regex.Pattern[str], ...]
    exclude: tuple[regex.Pattern[str], ...]
