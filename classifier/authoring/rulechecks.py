"""Checks of one rule on its own, for ``rules lint``: examples, anchors, slow patterns.

Why a module of its own: these look at a single rule (its fields, its patterns on generated
hostile text); :mod:`classifier.authoring.lint` gathers the packs and runs the checks that need
every rule at once (duplicates, shadowing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterator

from classifier.matching.anchors import pattern_anchors
from classifier.matching.patterncache import PatternCache
from classifier.matching.patterncheck import compile_flags
from classifier.matching.wordfreq import requirement_cost
from classifier.model import Rule

ERROR, WARNING = "error", "warning"
SLOW_MS = 50.0  # a pattern slower than this on one hostile string is reported
TIMEOUT = 0.25  # seconds: the budget under which hostile strings are tried


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, which rule, and what was expected."""

    level: str
    code: str
    where: str
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        rule = f"rule '{self.rule}': " if self.rule and not self.message.startswith("rule '") else ""
        where = f"{self.where}: " if self.where else ""
        return f"{where}{self.level}: [{self.code}] {rule}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "where": self.where,
                "rule": self.rule, "message": self.message}


def hostile_inputs(rule: Rule) -> Iterator[tuple[str, str]]:
    """``(description, text)`` pairs that make backtracking regexes explode.

    Short runs (30 units) expose exponential blow-up, long runs (2,000 units, ~4,000 chars, a
    long unpunctuated "sentence") polynomial blow-up; each run also comes after one of the rule's
    own anchors, so patterns that need a literal get past it, and ends in '!' so that a pattern
    anchored at an end fails only at the last character.
    """
    anchor = rule.anchors[0] if rule.anchors else "the"
    units = (("letters", "a"), ("words", "a "), ("comma-separated words", "a, "), ("numbers", "1 "))
    for count in (30, 2000):
        for name, unit in units:
            for ending in ("", "!"):
                run = unit * count + ending
                yield f"{count} {name}{' then !' if ending else ''}", run
                yield f"'{anchor}' then {count} {name}{' then !' if ending else ''}", f"{anchor} {run}"


def slow_patterns(rule: Rule, slow_ms: float = SLOW_MS, timeout: float = TIMEOUT,
                  cache: PatternCache | None = None) -> list[Finding]:
    """One warning per pattern that times out, or runs over ``slow_ms``, on a hostile string.

    ``cache`` shares compiled patterns with the shadowing check (compiling is the slow part).
    """
    findings: list[Finding] = []
    flags = compile_flags(rule.case_sensitive)
    cache = cache if cache is not None else PatternCache()
    for field_name, patterns in (("pattern", rule.patterns), ("exclude pattern", rule.exclude)):
        for number, pattern in enumerate(patterns, 1):
            compiled = cache.get(pattern, flags)
            for description, text in hostile_inputs(rule):
                started = time.perf_counter()
                try:
                    compiled.search(text, timeout=timeout)
                except TimeoutError:
                    findings.append(Finding(
                        WARNING, "catastrophic-pattern", rule.source, f"{field_name} {number} did not "
                        f"finish within {timeout:g} s on {description} ({len(text)} chars): "
                        "catastrophic backtracking; avoid nested quantifiers like (\\w+\\s?)+", rule.id))
                    break
                elapsed = (time.perf_counter() - started) * 1000
                if elapsed > slow_ms:  # once more, the faster of two: a busy machine is not a slow regex
                    started = time.perf_counter()
                    try:
                        compiled.search(text, timeout=timeout)
                        elapsed = min(elapsed, (time.perf_counter() - started) * 1000)
                    except TimeoutError:
                        pass
                if elapsed > slow_ms:
                    findings.append(Finding(
                        WARNING, "slow-pattern", rule.source, f"{field_name} {number} took "
                        f"{elapsed:.0f} ms on {description} ({len(text)} chars); expected under "
                        f"{slow_ms:g} ms", rule.id))
                    break
    return findings


def static_warnings(rule: Rule) -> list[Finding]:
    """What reading the rule alone shows: missing examples, no usable anchor, weak anchors."""
    findings: list[Finding] = []
    missing = [kind for kind in ("match", "no_match") if not getattr(rule.examples, kind)]
    if missing:
        findings.append(Finding(WARNING, "no-examples", rule.source,
                                f"no {' or '.join(missing)} examples; add examples."
                                f"{missing[0]} = [...] so `rules test` can check it", rule.id))
    derived = [pattern_anchors(pattern) for pattern in rule.patterns]
    if not rule.anchors:
        unanchored = [str(n) for n, found in enumerate(derived, 1) if found is None]
        findings.append(Finding(WARNING, "no-anchor", rule.source,
                                f"pattern {', '.join(unanchored) or '?'} has no literal of 3+ characters "
                                "that every match contains, so the rule is tried on every sentence "
                                "(slow); add a literal or declare anchors = [...]", rule.id))
    if rule.anchors and all(d is not None for d in derived):
        own = frozenset().union(*(d for d in derived if d is not None))
        if own != frozenset(rule.anchors) and requirement_cost(own) < requirement_cost(frozenset(rule.anchors)):
            findings.append(Finding(
                WARNING, "weak-anchors", rule.source,
                f"declared anchors ({', '.join(rule.anchors[:5])}...) are commoner in news than the "
                f"literals its patterns require ({', '.join(sorted(own)[:5])}...), so more sentences "
                "are searched; drop `anchors = [...]`", rule.id))
    return findings
