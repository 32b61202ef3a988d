"""Render why an article got its tags: each sentence, its highlighted spans and their rules.

Why it exists: a rule-based tool is only as trustworthy as its explanations. For every tag this
shows the action, the rule and plugin behind it, the modality and the cue that decided it,
actor and target, figures, and the rule's own description; with ``verbose`` also the rules the
prefilter proposed that did not match, which is what an author needs to debug a rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from classifier.model import ArticleProfile, Sentence, Tag
from classifier.report.terminal import printable

if TYPE_CHECKING:
    from classifier.pipeline.engine import Engine

BOLD, RESET = "\033[1m", "\033[0m"
COLORS = ("\033[31m", "\033[34m", "\033[32m", "\033[35m", "\033[33m", "\033[36m")


def highlight(sentence: Sentence, tags: list[Tag], color: bool, palette: dict[str, str]) -> str:
    """The sentence with each tag's span marked: ANSI colour on a TTY, [[brackets]] otherwise."""
    out: list[str] = []
    cursor = sentence.start
    text = sentence.text
    for tag in sorted(tags, key=lambda t: t.span):
        start, end = max(tag.span[0], cursor), tag.span[1]
        if start >= end:
            continue
        out.append(printable(text[cursor - sentence.start:start - sentence.start], newlines=True))
        piece = printable(text[start - sentence.start:end - sentence.start], newlines=True)
        out.append(f"{palette[tag.action]}{BOLD}{piece}{RESET}" if color else f"[[{piece}]]")
        cursor = end
    out.append(printable(text[cursor - sentence.start:], newlines=True))
    return "".join(out)


def _tag_lines(tag: Tag, description: str) -> list[str]:
    lines = [f"    {tag.action}  rule={tag.rule}  plugin={tag.plugin}  score={tag.score:g}"]
    cue = f" (cue: {tag.cue!r})" if tag.cue else ""
    lines.append(f"      modality: {tag.modality}{cue}")
    if tag.actor or tag.target:
        lines.append(printable(f"      actor: {tag.actor or '-'}  ->  target: {tag.target or '-'}"))
    if tag.amounts:
        amounts = "; ".join(f"{a.text} = {a.to_dict()['value']} {a.unit}" for a in tag.amounts)
        lines.append(printable("      amounts: " + amounts))
    lines.append(f"      matched: {tag.text!r} at {list(tag.span)}")
    if description:
        lines.append(f"      why: {description}")
    return lines


def explain_profile(engine: "Engine", profile: ArticleProfile, text: str,
                    verbose: bool = False, color: bool = False) -> str:
    """A profile rendered for a person: each tagged sentence highlighted with its tags and rules;
    ``verbose`` adds the candidate rules that did not match or were merged away, to debug a rule."""
    palette = {name: COLORS[i % len(COLORS)] for i, name in enumerate(engine.actions)}
    descriptions = {rule.id: rule.description for rule in engine.rules}
    by_sentence: dict[int, list[Tag]] = {}
    for tag in profile.tags:
        by_sentence.setdefault(tag.sentence, []).append(tag)
    lines = [f"lang={profile.lang}  dominant={profile.dominant or '-'}  "
             f"actions={', '.join(profile.actions) or 'none'}"]
    candidates: dict[int, list[int]] = {}
    raw_hits: dict[int, set[str]] = {}
    if verbose:
        spans = [(s.start, s.end) for s in profile.sentences]
        matcher = engine.matcher(profile.lang)
        candidates = matcher.candidates(text, spans)
        for hit in matcher.match(text, spans)[0]:
            raw_hits.setdefault(hit.sentence, set()).add(hit.rule.id)
    for sentence in profile.sentences:
        tags = by_sentence.get(sentence.index, [])
        if not tags and sentence.index not in candidates:
            continue
        lines.append("")
        lines.append(f"[{sentence.index}] {highlight(sentence, tags, color, palette)}")
        for tag in tags:
            lines.extend(_tag_lines(tag, descriptions.get(tag.rule, "")))
        if verbose:
            fired = {tag.rule for tag in tags}
            missed = [engine.matcher(profile.lang).rules[i].id for i in candidates.get(sentence.index, [])]
            merged = [rule for rule in missed if rule not in fired and rule in raw_hits.get(sentence.index, ())]
            missed = [rule for rule in missed if rule not in fired and rule not in merged]
            if merged:
                lines.append(f"    matched but merged into a stronger overlapping tag: {', '.join(merged)}")
            if missed:
                lines.append(f"    candidates that did not match: {', '.join(missed)}")
    for error in profile.errors:
        lines.append(printable(f"! {error.type}: {error.message}"))
    return "\n".join(lines) + "\n"


def explain_text(engine: "Engine", text: str, verbose: bool = False, color: bool = False) -> str:
    """Classify ``text`` (every sentence kept) and render the explanation."""
    profile = engine.classify(text, all_sentences=True)
    return explain_profile(engine, profile, text, verbose=verbose, color=color)
