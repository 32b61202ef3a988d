"""``policy-classify rules test``: run every rule's inline examples and report per rule.

Why a command as well as a pytest helper: rule authors edit TOML, not Python, and want one
command that says which rule broke on which sentence -- without writing a test file. It uses the
very same checks as :mod:`classifier.testing` (``example_cases`` / ``check_example``), so the
command, the project's own test suite and a plugin author's tests cannot disagree.

Besides pass/fail it reports *overlaps*: ``match`` examples that another rule of the same action
also hits. Overlaps are not errors (two rules may rightly cover one sentence), but an author who
sees that every example of a new rule is already covered has learnt something.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from classifier.host.rulepack import iter_pack_files
from classifier.model import Rule
from classifier.testing import ExampleCase, check_example, example_cases, example_outcome

if TYPE_CHECKING:
    from classifier.pipeline.engine import Engine


@dataclass(frozen=True)
class ExampleResult:
    """One example's outcome: ``problem`` is None when it behaves as its kind says."""

    case: ExampleCase
    problem: str | None
    overlaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    """Every example of one rule, with the verdicts a rule author reads."""

    rule: Rule
    examples: tuple[ExampleResult, ...]

    @property
    def failures(self) -> tuple[ExampleResult, ...]:
        """Non-todo examples that misbehave: these make the command exit 1."""
        return tuple(e for e in self.examples if e.problem and not e.case.is_todo)

    @property
    def todo_gaps(self) -> tuple[ExampleResult, ...]:
        """Known gaps that are still gaps (expected)."""
        return tuple(e for e in self.examples if e.problem and e.case.is_todo)

    @property
    def todo_fixed(self) -> tuple[ExampleResult, ...]:
        """Known gaps that now behave as wanted: the author should promote them."""
        return tuple(e for e in self.examples if not e.problem and e.case.is_todo)

    @property
    def overlaps(self) -> tuple[ExampleResult, ...]:
        return tuple(e for e in self.examples if e.overlaps)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class TestReport:
    """The results of ``rules test`` for the selected rules, in rule order."""

    results: tuple[RuleResult, ...]

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, object]:
        """JSON view for CI and editors: one entry per rule with its failing examples."""
        return {
            "ok": self.ok,
            "rules": [
                {
                    "rule": r.rule.id,
                    "source": r.rule.source,
                    "passed": r.passed,
                    "examples": len(r.examples),
                    "failures": [{"kind": e.case.kind, "text": e.case.text, "problem": e.problem}
                                 for e in r.failures],
                    "todo_gaps": [{"kind": e.case.kind, "text": e.case.text} for e in r.todo_gaps],
                    "todo_fixed": [{"kind": e.case.kind, "text": e.case.text} for e in r.todo_fixed],
                    "overlaps": [{"text": e.case.text, "rules": list(e.overlaps)} for e in r.overlaps],
                }
                for r in self.results
            ],
        }


def run_examples(engine: "Engine", rules: Iterable[Rule] | None = None) -> TestReport:
    """Check every example of ``rules`` (default: every loaded rule) through ``engine``."""
    selected = list(engine.rules if rules is None else rules)
    by_rule: dict[str, list[ExampleResult]] = {rule.id: [] for rule in selected}
    for case in example_cases(engine, rules=selected):
        outcome = example_outcome(engine, case)
        problem = check_example(engine, case, outcome)
        overlaps = tuple(outcome[1]) if case.kind == "match" else ()
        by_rule[case.rule.id].append(ExampleResult(case, problem, overlaps))
    return TestReport(tuple(RuleResult(rule, tuple(by_rule[rule.id])) for rule in selected))


def source_file(rule: Rule) -> Path | None:
    """The pack file a rule was read from (``Rule.source`` is ``path`` or ``path:line``)."""
    if not rule.source or rule.source.startswith("plugin '"):
        return None
    head, sep, tail = rule.source.rpartition(":")
    path = head if sep and tail.isdigit() else rule.source
    return Path(path).resolve()


def select_packs(loaded: Sequence[Rule], packs: Sequence[str | os.PathLike[str]]) -> list[Rule]:
    """The loaded rules that come from the given pack files or folders.

    Raises :class:`~classifier.errors.ConfigError` for a path that does not exist.
    """
    wanted = {file.resolve() for pack in packs for file in iter_pack_files(pack)}
    return [rule for rule in loaded if source_file(rule) in wanted]


def _reason(example: ExampleResult) -> str:
    """The problem without its ``rule::kind::text: `` prefix, which the report already shows."""
    problem = example.problem or ""
    prefix = f"{example.case.id}: "
    return problem[len(prefix):] if problem.startswith(prefix) else problem


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def render_text(report: TestReport, verbose: bool = False) -> str:
    """Per-rule lines (``PASS``/``FAIL``), each failing example named, then a summary line."""
    lines: list[str] = []
    for result in report.results:
        counts = f"{len(result.examples)} examples"
        if not result.examples:
            lines.append(f"NOEX  {result.rule.id}  (no examples; add examples.match / no_match)")
            continue
        if result.passed and not verbose and not result.todo_fixed and not result.todo_gaps:
            lines.append(f"PASS  {result.rule.id}  ({counts})")
        else:
            lines.append(f"{'PASS' if result.passed else 'FAIL'}  {result.rule.id}  ({counts})  "
                         f"{result.rule.source}")
        for example in result.failures:
            lines.append(f"      {example.case.kind}: {_short(example.case.text)!r}")
            lines.append(f"        -> {_reason(example)}")
        for example in result.todo_fixed:
            lines.append(f"      {example.case.kind} now passes, promote it: {_short(example.case.text)!r}")
        for example in result.todo_gaps:  # always: a known gap is part of what a rule does
            lines.append(f"      known gap ({example.case.kind}): {_short(example.case.text)!r}")
    overlaps = [(r, e) for r in report.results for e in r.overlaps]
    if overlaps:
        lines.append("")
        lines.append("Overlaps (match examples also hit by another rule of the same action):")
        for result, example in overlaps:
            lines.append(f"  {result.rule.id} <- {', '.join(example.overlaps)}: {_short(example.case.text, 70)!r}")
    total = sum(len(r.examples) for r in report.results)
    failing = sum(len(r.failures) for r in report.results)
    gaps = sum(len(r.todo_gaps) for r in report.results)
    fixed = sum(len(r.todo_fixed) for r in report.results)
    lines.append("")
    lines.append(
        f"{len(report.results)} rules, {total} examples: {failing} failing in "
        f"{len(report.failed)} rules, {gaps} known gaps (todo), {fixed} todo now passing, "
        f"{len(overlaps)} overlaps"
    )
    if report.failed:
        lines.append("failing rules: " + ", ".join(r.rule.id for r in report.failed))
    return "\n".join(lines) + "\n"
