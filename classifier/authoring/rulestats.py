"""``policy-classify rules stats``: how each rule behaves on a corpus (Snorkel's LF summary).

Why: examples show that a rule *can* fire; a corpus shows how often it does, whether it only
repeats what other rules of its action already find (overlaps), whether it fires where another
action's rules do too (conflicts: a sign that one of them is too loose), and -- with gold
labels -- how often it is right. These are the figures Snorkel's ``LFAnalysis`` gives for
labeling functions, plus the action-by-action overlap matrix.

Counts are per *sentence* and use raw rule hits (before refiners and the merging of overlapping
tags), because that is what a rule author controls. Precision is per gold *item*: a rule that
fires anywhere in an item counts as correct when its action is among the item's labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from classifier.inputs.readers import InputRecord, ReadOptions

if TYPE_CHECKING:
    from classifier.pipeline.engine import Engine


@dataclass(frozen=True)
class RuleStats:
    """One rule's figures on a corpus (and on gold items, when given)."""

    rule: str
    action: str
    sentences: int  # sentences the rule fired in
    coverage: float  # share of all corpus sentences
    overlaps: int  # of those, sentences where another rule of the same action fired too
    conflicts: int  # of those, sentences where a rule of another action fired
    gold_hits: int = 0  # gold items the rule fired in
    gold_correct: int = 0  # of those, items whose labels include the rule's action

    @property
    def precision(self) -> float | None:
        return self.gold_correct / self.gold_hits if self.gold_hits else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule, "action": self.action, "sentences": self.sentences,
            "coverage": round(self.coverage, 6), "overlaps": self.overlaps,
            "conflicts": self.conflicts,
        }
        if self.gold_hits:
            out.update(gold_hits=self.gold_hits, gold_correct=self.gold_correct,
                       precision=round(self.precision or 0.0, 4))
        return out


@dataclass(frozen=True)
class StatsReport:
    """Per-rule figures, the action overlap matrix and the corpus size."""

    records: int
    sentences: int
    failed_records: int
    rules: tuple[RuleStats, ...]
    actions: tuple[str, ...]
    matrix: Mapping[str, Mapping[str, int]]  # action -> action -> sentences tagged by both
    gold_items: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records, "sentences": self.sentences,
            "failed_records": self.failed_records, "gold_items": self.gold_items,
            "rules": [r.to_dict() for r in self.rules],
            "action_overlap": {a: dict(row) for a, row in self.matrix.items()},
        }


def sentence_rules(engine: "Engine", text: str) -> tuple[int, list[set[str]]]:
    """The number of sentences of ``text`` and, per sentence, the ids of the rules that fired."""
    profile = engine.classify(text, all_sentences=True)
    spans = [(s.start, s.end) for s in profile.sentences]
    fired: list[set[str]] = [set() for _ in spans]
    for hit in engine.matcher(profile.lang).match(text, spans)[0]:
        fired[hit.sentence].add(hit.rule.id)
    return len(spans), fired


def _labels(record: InputRecord, field: str) -> set[str] | None:
    value = dict(record.fields).get(field)
    if isinstance(value, list):
        return {str(v) for v in value}
    return None


def rule_stats(
    engine: "Engine",
    corpus: Iterable[InputRecord],
    gold: Iterable[InputRecord] | None = None,
    labels_field: str = "labels",
) -> StatsReport:
    """Count every rule's hits on ``corpus``; with ``gold``, also its precision on gold items.

    ``gold`` may be the same records as ``corpus`` (records that carry ``labels``); pass
    ``gold=None`` and records with labels still count towards precision, so one file can be both.
    """
    action_of = {rule.id: rule.action for rule in engine.rules}
    actions = tuple(engine.actions)
    fired_in: dict[str, int] = {}
    overlaps: dict[str, int] = {}
    conflicts: dict[str, int] = {}
    gold_hits: dict[str, int] = {}
    gold_correct: dict[str, int] = {}
    matrix = {a: {b: 0 for b in actions} for a in actions}
    records = sentences = failed = gold_items = 0

    def add_gold(fired: list[set[str]], labels: set[str]) -> None:
        for rule in set().union(*fired) if fired else set():
            gold_hits[rule] = gold_hits.get(rule, 0) + 1
            if action_of[rule] in labels:
                gold_correct[rule] = gold_correct.get(rule, 0) + 1

    for record in corpus:
        if record.text is None:
            failed += 1
            continue
        records += 1
        count, fired = sentence_rules(engine, record.text)
        sentences += count
        for rules in fired:
            tagged = {action_of[r] for r in rules}
            for rule in rules:
                fired_in[rule] = fired_in.get(rule, 0) + 1
                if any(action_of[o] == action_of[rule] for o in rules - {rule}):
                    overlaps[rule] = overlaps.get(rule, 0) + 1
                if tagged - {action_of[rule]}:
                    conflicts[rule] = conflicts.get(rule, 0) + 1
            for a in tagged:
                for b in tagged:
                    matrix[a][b] += 1
        labels = _labels(record, labels_field)
        if gold is None and labels is not None:
            gold_items += 1
            add_gold(fired, labels)
    for record in gold or ():
        labels = _labels(record, labels_field)
        if record.text is None or labels is None:
            continue
        gold_items += 1
        add_gold(sentence_rules(engine, record.text)[1], labels)
    stats = tuple(
        RuleStats(
            rule=rule.id, action=rule.action, sentences=fired_in.get(rule.id, 0),
            coverage=fired_in.get(rule.id, 0) / sentences if sentences else 0.0,
            overlaps=overlaps.get(rule.id, 0), conflicts=conflicts.get(rule.id, 0),
            gold_hits=gold_hits.get(rule.id, 0),
            gold_correct=gold_correct.get(rule.id, 0),
        )
        for rule in engine.rules
    )
    return StatsReport(records, sentences, failed, stats, actions, matrix, gold_items)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render_text(report: StatsReport, top: int | None = None) -> str:
    """Rules that fired, most coverage first; rules that never fired; the action matrix."""
    gold = report.gold_items > 0
    lines = [f"{report.records} records, {report.sentences} sentences"
             + (f", {report.gold_items} gold items" if gold else "")
             + (f", {report.failed_records} unreadable records" if report.failed_records else "")]
    fired = sorted((r for r in report.rules if r.sentences or r.gold_hits),
                   key=lambda r: (-r.sentences, r.rule))
    shown = fired if top is None else fired[:top]
    width = max([len(r.rule) for r in shown] + [4])
    header = f"{'rule':<{width}}  {'action':<12} {'sent':>5} {'cover':>6} {'overlap':>7} {'conflict':>8}"
    lines += ["", header + ("  precision (correct/hits)" if gold else ""), "-" * (len(header) + (25 if gold else 0))]
    for r in shown:
        line = (f"{r.rule:<{width}}  {r.action:<12} {r.sentences:>5} {_pct(r.coverage):>6} "
                f"{r.overlaps:>7} {r.conflicts:>8}")
        if gold:
            line += f"  {_pct(r.precision) if r.precision is not None else '-':>9} ({r.gold_correct}/{r.gold_hits})"
        lines.append(line)
    if top is not None and len(fired) > top:
        lines.append(f"... {len(fired) - top} more rules fired (--top to show more)")
    silent = [r.rule for r in report.rules if not r.sentences and not r.gold_hits]
    if silent:
        lines += ["", f"never fired ({len(silent)}): " + ", ".join(silent)]
    lines += ["", "sentences tagged by both actions (diagonal: by the action):"]
    cell = max([len(a) for a in report.actions] + [5])
    lines.append(" " * cell + "  " + " ".join(f"{a[:cell]:>{cell}}" for a in report.actions))
    for a in report.actions:
        lines.append(f"{a:<{cell}}  " + " ".join(f"{report.matrix[a][b]:>{cell}}" for b in report.actions))
    return "\n".join(lines) + "\n"


def render_json(report: StatsReport) -> str:
    """The report as indented JSON (strict: no NaN), for scripts that compare runs."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def read_options(text_field: str = "text", id_field: str = "id",
                 labels_field: str | None = "labels") -> ReadOptions:
    """Reading options that keep each record's gold labels (unless ``labels_field`` is None)."""
    return ReadOptions("auto", text_field, id_field,
                       keep_fields=(labels_field,) if labels_field else ())
