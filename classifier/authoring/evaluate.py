"""Score the classifier against gold sentences: per-label P/R/F1, macro-F1, modality accuracy,
and how often the actor, the target and the destination agree with the gold roles.

Why it reports rules and sentences, not only numbers: a figure says *that* a label is weak, the
rules behind each false positive and the text of each false negative say *what to fix*.

Gold lines: ``{"id", "text", "labels": [...], "modality": {label: m}, "lang": optional}``, and
optionally ``"actor"``, ``"target"``, ``"destination"`` (``{label: name}``; "" for not said) and
``"doc"`` with ``"pos"``. Lines that share a ``doc`` are one article: they are joined in ``pos``
order (one per line) and classified together, and each sentence is scored on the tags that fall
in it. That is how real news is read: "the strikes" two sentences after "U.S. forces struck"
is a mention only the article makes clear (see the engine's article context).

Figures are also kept per language (the gold ``lang``, else the detected one), because one pooled
macro-F1 hides a weak language behind a strong one: targets differ per language, and so do fixes.
A predicted label is any action with at least one tag in the sentence; its modality is the
action's strongest (see :func:`classifier.pipeline.merge.strongest_modality`). A role agrees when some
tag of the label names the gold actor (the same canonical state) or a target that shares a
name with the gold target (see :func:`same_party`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from classifier.errors import ConfigError
from classifier.model import Tag
from classifier.pipeline.merge import strongest_of

if TYPE_CHECKING:
    from classifier.pipeline.engine import Engine


@dataclass
class LabelScore:
    """One label's true positives, false positives and false negatives, and the scores they give.
    """
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
    """What :func:`evaluate` found: per-label scores, modality and role agreement, and the
    sentences behind each error (overall, and per language in ``by_lang``).
    """
    labels: dict[str, LabelScore] = field(default_factory=dict)
    modality_right: int = 0
    modality_total: int = 0
    confusions: dict[str, dict[str, int]] = field(default_factory=dict)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    modality_errors: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    by_lang: dict[str, "Report"] = field(default_factory=dict)
    roles: dict[str, list[int]] = field(default_factory=dict)  # role -> [agree, gold given]
    role_errors: list[dict[str, Any]] = field(default_factory=list)

    def role_agreement(self, role: str) -> float:
        right, total = self.roles.get(role, [0, 0])
        return right / total if total else 0.0

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
            "roles": {role: {"agreement": round(self.role_agreement(role), 4), "right": r, "evaluated": t}
                      for role, (r, t) in sorted(self.roles.items())},
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "by_lang": {lang: sub.scores() for lang, sub in sorted(self.by_lang.items())},
            **self.scores(),
            "modality_confusion": self.confusions,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "modality_errors": self.modality_errors,
            "role_errors": self.role_errors,
        }


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """The records of a gold JSONL file; a malformed line is a :class:`ConfigError` naming it,
    since scores computed on a silently shortened gold set would mislead."""
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
    """Classify each gold record (in its article, when records carry ``doc``) and compare;
    ``labels`` defaults to every registered action."""
    report = Report()
    names = list(labels) if labels is not None else list(engine.actions)
    report.labels = {name: LabelScore() for name in names}
    for article in _articles(list(records)):
        for record, lang, tags in _classified(engine, article):
            sub = report.by_lang.setdefault(lang, Report(labels={name: LabelScore() for name in names}))
            _score(report, record, tags, names)
            _score(sub, record, tags, names)
    return report


def _articles(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Records grouped into articles by ``doc`` (in ``pos`` order), in order of first
    appearance; a record without ``doc`` is an article of its own."""
    groups: dict[object, list[dict[str, Any]]] = {}
    for number, record in enumerate(records):
        groups.setdefault(record.get("doc", ("alone", number)), []).append(record)
    return [sorted(group, key=lambda r: r.get("pos", 0)) for group in groups.values()]


def _classified(engine: "Engine", article: Sequence[dict[str, Any]]
                ) -> list[tuple[dict[str, Any], str, list[Tag]]]:
    """Each record of an article with its language and the tags inside its sentence."""
    starts, pieces, offset = [], [], 0
    for record in article:
        starts.append(offset)
        pieces.append(record["text"])
        offset += len(record["text"]) + 1
    text = "\n".join(pieces)
    first = article[0]
    profile = engine.classify(text, id=first.get("id"), lang=first.get("lang"))
    out = []
    for record, start in zip(article, starts):
        end = start + len(record["text"])
        inside = [t for t in profile.tags if start <= t.span[0] < end]
        out.append((record, record.get("lang") or profile.lang or "?", inside))
    return out


def _score(report: Report, record: dict[str, Any], tags: list[Tag], names: list[str]) -> None:
    """Add one record's outcome to ``report`` (called for the pooled and the language report)."""
    report.records += 1
    gold = set(record.get("labels", [])) & set(names)
    gold_modality = record.get("modality", {}) or {}
    by_action: dict[str, list[Tag]] = {}
    for tag in tags:
        by_action.setdefault(tag.action, []).append(tag)
    predicted = set(by_action) & set(names)
    for name in names:
        score = report.labels[name]
        if name in gold and name in predicted:
            score.tp += 1
            _score_roles(report, record, name, by_action[name])
            want = gold_modality.get(name)
            got = _strongest(by_action[name])
            if want:
                report.modality_total += 1
                report.confusions.setdefault(want, {}).setdefault(got, 0)
                report.confusions[want][got] += 1
                if want == got:
                    report.modality_right += 1
                else:
                    cues = [t.cue for t in by_action[name] if t.cue]
                    report.modality_errors.append({"id": record.get("id"), "label": name,
                                                   "gold": want, "predicted": got, "cues": cues,
                                                   "text": record["text"]})
        elif name in predicted:
            score.fp += 1
            rules = sorted({t.rule for t in by_action[name]})
            report.false_positives.append({"id": record.get("id"), "label": name,
                                           "rules": rules, "text": record["text"]})
        elif name in gold:
            score.fn += 1
            report.false_negatives.append({"id": record.get("id"), "label": name,
                                           "text": record["text"]})


def _strongest(tags: list[Tag]) -> str:
    """The sentence's modality for a label, ranked as :func:`strongest_modality` ranks an
    article's: asserted, then threatened, negated, other."""
    return strongest_of((tag.modality for tag in tags), tags[0].modality)


ROLES = ("actor", "target", "destination")


def _score_roles(report: Report, record: dict[str, Any], name: str, tags: list[Tag]) -> None:
    for role in ROLES:
        want = (record.get(role) or {}).get(name)
        if not isinstance(want, str) or not want.strip():
            continue
        got = [value for t in tags if (value := getattr(t, role, None))]
        agree = any(same_party(want, value, exact=role == "actor") for value in got)
        tally = report.roles.setdefault(role, [0, 0])
        tally[0] += agree
        tally[1] += 1
        if not agree:
            report.role_errors.append({"id": record.get("id"), "label": name, "role": role,
                                       "gold": want, "predicted": got, "text": record["text"]})


_GENERIC = {
    "the", "of", "and", "de", "del", "la", "las", "el", "los", "y", "en", "a", "to", "from",
    "for", "on", "in", "his", "her", "its", "their", "su", "sus", "por", "con", "al",
}


# Gold actors are written by people, who spell a few canonical names their own way: the same
# party, so the same actor ("United Nations" for the gazetteer's "UN").
_ALIASES = {
    "united nations": "un", "u n": "un", "eu": "european union", "us": "united states",
    "usa": "united states", "u s": "united states", "uk": "united kingdom", "u k": "united kingdom",
    "britain": "united kingdom", "great britain": "united kingdom",
}


def _folded_words(text: str) -> list[str]:
    """The words of ``text``, case and accents aside."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in plain).split()


def _canonical(name: str) -> str:
    key = " ".join(_folded_words(name))
    return _ALIASES.get(key, key)


def _words(text: str) -> set[str]:
    return {w for w in _folded_words(text) if w not in _GENERIC and len(w) > 2}


def same_party(gold: str, predicted: str, exact: bool = False) -> bool:
    """Do a gold role and a predicted one name the same party? Actors are canonical state
    names, compared whole (case and accents aside); targets are written as the sentence
    says them ("Joaquin 'El Chapo' Guzman" and "Joaquín Guzmán", "Chinese steel" and "steel
    imports from China"), so they agree when they share a name word."""
    if exact:
        return _canonical(gold) == _canonical(predicted)
    g, p = _words(gold), _words(predicted)
    return bool(g & p)


def _label_rows(report: Report, indent: str = "") -> list[str]:
    rows = [f"{indent}{'label':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}{'fp':>6}"]
    for name, s in report.labels.items():
        rows.append(f"{indent}{name:<16}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}"
                    f"{s.support:>9}{s.fp:>6}")
    return rows


def render_text(report: Report, details: bool = True, by_lang: bool = False) -> str:
    """The text report: per-label rows, macro-F1, modality accuracy, one line per language
    (per-label rows too with ``by_lang``), then with ``details`` the errors to fix."""
    lines = [f"records: {report.records}", "", *_label_rows(report), ""]
    lines.append(f"macro-F1: {report.macro_f1:.3f} (labels with support or false positives)")
    lines.append(f"modality accuracy: {report.modality_accuracy:.3f} "
                 f"({report.modality_right}/{report.modality_total} true positives)")
    lines += _role_lines(report)
    if report.by_lang:
        lines += ["", "per language:"]
        for lang, sub in sorted(report.by_lang.items()):
            roles = "".join(f", {role} {sub.role_agreement(role):.3f}" for role in ROLES if role in sub.roles)
            lines.append(f"  {lang}: records {sub.records}, macro-F1 {sub.macro_f1:.3f}, modality accuracy "
                         f"{sub.modality_accuracy:.3f} ({sub.modality_right}/{sub.modality_total}){roles}")
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
        if report.role_errors:
            lines += ["", "role errors (label, role, gold -> predicted, text):"]
            lines += [f"  {r['label']}  {r['role']}  {r['gold']} -> {r['predicted']}  {r['id']}: {r['text']}"
                      for r in report.role_errors]
    return "\n".join(lines) + "\n"


def _role_lines(report: Report) -> list[str]:
    return [f"{role} agreement: {report.role_agreement(role):.3f} "
            f"({report.roles[role][0]}/{report.roles[role][1]} true positives with a gold {role})"
            for role in ROLES if role in report.roles]
