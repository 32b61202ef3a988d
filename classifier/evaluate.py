"""Score the classifier against gold sentences: per-label P/R/F1, macro-F1, modality accuracy.

Why it reports rules and sentences, not only numbers: a figure says *that* a label is weak, the
rules behind each false positive and the text of each false negative say *what to fix*.

Gold lines: ``{"id", "text", "labels": [...], "modality": {label: m}, "lang": optional}``.
Figures are also kept per language (the gold ``lang``, else the detected one), because one pooled
macro-F1 hides a weak language behind a strong one: targets differ per language, and so do fixes.
A predicted label is any action with at least one tag in the text; its modality is the
action's strongest (see :func:`classifier.merge.strongest_modality`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from classifier.errors import ConfigError
from classifier.merge import strongest_modality

if TYPE_CHECKING:
    from classifier.engine import Engine


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    labels: dict[str, LabelScore] = field(default_factory=dict)
    modality_right: int = 0
    modality_total: int = 0
    confusions: dict[str, dict[str, int]] = field(default_factory=dict)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    modality_errors: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    by_lang: dict[str, "Report"] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        scored = [s for s in self.labels.values() if s.support or s.fp]
        return sum(s.f1 for s in scored) / len(scored) if scored else 0.0

    @property
    def modality_accuracy(self) -> float:
        return self.modality_right / self.modality_total if self.modality_total else 0.0

    def scores(self) -> dict[str, Any]:
        """The figures only, without error lists (what a per-language entry holds)."""
        return {
            "records": self.records,
            "labels": {
                name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                       "f1": round(s.f1, 4), "support": s.support, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                for name, s in self.labels.items()
            },
            "macro_f1": round(self.macro_f1, 4),
            "modality_accuracy": round(self.modality_accuracy, 4),
            "modality_evaluated": self.modality_total,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "by_lang": {lang: sub.scores() for lang, sub in sorted(self.by_lang.items())},
            **self.scores(),
            "modality_confusion": self.confusions,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "modality_errors": self.modality_errors,
        }


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
                    or not isinstance(record.get("labels", []), list):
                raise ConfigError(f"{path}:{number}: expected an object with 'text' and 'labels'")
            records.append(record)
    return records


def evaluate(engine: "Engine", records: Iterable[dict[str, Any]],
             labels: Iterable[str] | None = None) -> Report:
    """Classify each gold record and compare; ``labels`` defaults to every registered action."""
    report = Report()
    names = list(labels) if labels is not None else list(engine.actions)
    report.labels = {name: LabelScore() for name in names}
    for record in records:
        profile = engine.classify(record["text"], id=record.get("id"), lang=record.get("lang"))
        lang = record.get("lang") or profile.lang or "?"
        sub = report.by_lang.setdefault(lang, Report(labels={name: LabelScore() for name in names}))
        _score(report, record, profile, names)
        _score(sub, record, profile, names)
    return report


def _score(report: Report, record: dict[str, Any], profile: Any, names: list[str]) -> None:
    """Add one record's outcome to ``report`` (called for the pooled and the language report)."""
    report.records += 1
    gold = set(record.get("labels", [])) & set(names)
    gold_modality = record.get("modality", {}) or {}
    predicted = set(profile.actions) & set(names)
    for name in names:
        score = report.labels[name]
        if name in gold and name in predicted:
            score.tp += 1
            want = gold_modality.get(name)
            got = strongest_modality(profile.actions[name])
            if want:
                report.modality_total += 1
                report.confusions.setdefault(want, {}).setdefault(got, 0)
                report.confusions[want][got] += 1
                if want == got:
                    report.modality_right += 1
                else:
                    cues = [t.cue for t in profile.tags if t.action == name and t.cue]
                    report.modality_errors.append({"id": record.get("id"), "label": name,
                                                   "gold": want, "predicted": got, "cues": cues,
                                                   "text": record["text"]})
        elif name in predicted:
            score.fp += 1
            rules = sorted({t.rule for t in profile.tags if t.action == name})
            report.false_positives.append({"id": record.get("id"), "label": name,
                                           "rules": rules, "text": record["text"]})
        elif name in gold:
            score.fn += 1
            report.false_negatives.append({"id": record.get("id"), "label": name,
                                           "text": record["text"]})


def _label_rows(report: Report, indent: str = "") -> list[str]:
    rows = [f"{indent}{'label':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}{'fp':>6}"]
    for name, s in report.labels.items():
        rows.append(f"{indent}{name:<16}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}"
                    f"{s.support:>9}{s.fp:>6}")
    return rows


def format_report(report: Report, details: bool = True, by_lang: bool = False) -> str:
    """The text report: per-label rows, macro-F1, modality accuracy, one line per language
    (per-label rows too with ``by_lang``), then with ``details`` the errors to fix."""
    lines = [f"records: {report.records}", "", *_label_rows(report), ""]
    lines.append(f"macro-F1: {report.macro_f1:.3f} (labels with support or false positives)")
    lines.append(f"modality accuracy: {report.modality_accuracy:.3f} "
                 f"({report.modality_right}/{report.modality_total} true positives)")
    if report.by_lang:
        lines += ["", "per language:"]
        for lang, sub in sorted(report.by_lang.items()):
            lines.append(f"  {lang}: records {sub.records}, macro-F1 {sub.macro_f1:.3f}, modality accuracy "
                         f"{sub.modality_accuracy:.3f} ({sub.modality_right}/{sub.modality_total})")
            if by_lang:
                lines += [*_label_rows(sub, indent="    "), ""]
    if details:
        if report.false_positives:
            lines += ["", "false positives (label, rules, text):"]
            lines += [f"  {fp['label']}  {','.join(fp['rules'])}  {fp['id']}: {fp['text']}"
                      for fp in report.false_positives]
        if report.false_negatives:
            lines += ["", "false negatives (label, text):"]
            lines += [f"  {fn['label']}  {fn['id']}: {fn['text']}" for fn in report.false_negatives]
        if report.modality_errors:
            lines += ["", "modality errors (label, gold -> predicted, cues, text):"]
            lines += [f"  {m['label']}  {m['gold']} -> {m['predicted']}  {m['cues']}  {m['id']}: {m['text']}"
                      for m in report.modality_errors]
    return "\n".join(lines) + "\n"
