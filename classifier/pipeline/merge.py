"""Merge a sentence's raw tags and an article's tags into an :class:`ArticleProfile`.

Why merging is its own step: several rules of one action often fire on the same words ("imposed
sanctions" and "sanctions on"). Counting each as a mention would inflate the profile, while
dropping all but one would lose explanations. Overlapping tags of one action in one sentence
therefore collapse into the strongest one; tags of one action that do not overlap stay separate
mentions ("froze the assets of A ... and imposed sanctions on B").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping, Sequence

from classifier.model import (
    MODALITIES,
    ActionSummary,
    Amount,
    ArticleProfile,
    ErrorInfo,
    Sentence,
    Tag,
)


def collapse_overlaps(tags: Sequence[Tag]) -> list[Tag]:
    """Keep, per action, the strongest of each group of overlapping spans; order by position."""
    kept: list[Tag] = []
    # Strongest first, so a weaker overlapping tag finds its winner already kept.
    for tag in sorted(tags, key=lambda t: (-t.score, t.span, t.rule)):
        if not any(
            other.action == tag.action and other.span[0] < tag.span[1] and tag.span[0] < other.span[1]
            for other in kept
        ):
            kept.append(tag)
    return sorted(kept, key=lambda t: (t.span, t.action, t.rule))


def summarize(tags: Iterable[Tag]) -> dict[str, ActionSummary]:
    """One :class:`ActionSummary` per action found, in order of first appearance."""
    grouped: dict[str, list[Tag]] = {}
    for tag in tags:
        grouped.setdefault(tag.action, []).append(tag)
    return {action: _summary(action, group) for action, group in grouped.items()}


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


# The cue words of a phrase that names an earlier event as the reason for the main one ("threatened
# to shell the port in retaliation for an air raid"): the cues *.asserted.background of
# plugins/data/modality.toml. Keep the two in step (tests/plugins/test_modality.py checks it).
BACKGROUND_CUE = re.compile(
    r"^(?:in\s+)?(?:retaliation|reprisals?|revenge)\s+for\b|^in\s+response\s+to\b"
    r"|^(?:respond(?:s|ed|ing)?|retaliat(?:e|es|ed|ing))\s+(?:to|against|for)\b"
    r"|^(?:en\s+)?(?:represalia|venganza)\s+por\b|^en\s+respuesta\s+a\b",
    re.IGNORECASE,
)


def _main_clause(tags: list[Tag]) -> list[Tag]:
    """The tags whose modality the summary counts: in a sentence that mentions the action both
    in its main clause and in a background phrase ("in retaliation for an air raid"), only the
    main-clause mentions, so that "threatened to shell ... in retaliation for an air raid" reads
    as threatened. Every other tag counts."""
    def background(tag: Tag) -> bool:
        return bool(tag.cue and BACKGROUND_CUE.match(tag.cue))

    main_sentences = {tag.sentence for tag in tags if not background(tag)}
    return [tag for tag in tags if not (background(tag) and tag.sentence in main_sentences)]


def _summary(action: str, tags: list[Tag]) -> ActionSummary:
    counts = Counter(tag.modality for tag in _main_clause(tags))
    modality = {m: counts[m] for m in MODALITIES if counts[m]}
    modality.update({m: n for m, n in sorted(counts.items()) if m not in modality})
    amounts: dict[tuple[float, str, str], Amount] = {}
    for tag in tags:
        for amount in tag.amounts:
            amounts.setdefault((amount.value, amount.unit, amount.text), amount)
    return ActionSummary(
        action=action,
        mentions=len(tags),
        sentences=tuple(sorted({tag.sentence for tag in tags})),
        score=sum(tag.score for tag in tags),
        modality=modality,
        actors=_unique(tag.actor for tag in tags),
        targets=_unique(tag.target for tag in tags),
        amounts=tuple(amounts.values()),
        destinations=_unique(tag.destination for tag in tags),
    )


STRENGTH = ("asserted", "threatened", "negated", "other")


def strongest_modality(summary: ActionSummary) -> str:
    """The one modality that best describes an action in a text: an action carried out anywhere
    in it is asserted, else threatened, else negated, else other."""
    present = [m for m, n in summary.modality.items() if n]
    return strongest_of(present, next(iter(summary.modality), "asserted"))


def strongest_of(modalities: Iterable[str], default: str) -> str:
    """The strongest of ``modalities`` by :data:`STRENGTH`; ``default`` when none is known."""
    present = set(modalities)
    return next((m for m in STRENGTH if m in present), default)


def dominant_action(summaries: Mapping[str, ActionSummary]) -> str | None:
    """The action the article is most about, ignoring actions only ever negated: the highest
    total score; on a tie, the most asserted mentions; then the action mentioned first; then
    the name. Each step is a reason a reader would give, and the last makes it total."""
    eligible = [
        s for s in summaries.values() if any(n for m, n in s.modality.items() if m != "negated")
    ]
    if not eligible:
        return None
    return min(eligible, key=lambda s: (-round(s.score, 9), -s.modality.get("asserted", 0),
                                        s.sentences[0] if s.sentences else 0, s.action)).action


def reference_supported(action: str, sentence: int, window: int | None,
                        explicit: Mapping[str, Sequence[int]]) -> bool:
    """Whether a reference to ``action`` in ``sentence`` is backed by an explicit mention
    (``explicit``: action -> sentences of its explicit tags): anywhere in the article, or with
    a ``window``, that many sentences away at most and no other action's mention nearer."""
    if not explicit.get(action):
        return False
    if window is None:
        return True

    def distance(actions: Iterable[str]) -> int:
        return min((abs(i - sentence) for a in actions for i in explicit[a]), default=1 << 30)

    own = distance((action,))
    return own <= window and distance(a for a in explicit if a != action) >= own


def keep_supported(tags: Sequence[Tag], windows: Mapping[str, int] | None = None) -> list[Tag]:
    """Drop tags found by reference (``via == "context"``) whose action the article never
    names explicitly: "the strikes" is a military mention only beside one that says so. A
    rule with a window (``windows``: rule id -> sentences) needs the explicit mention that
    near, and no other action's nearer: "the measures" two sentences after "imposed duties of
    25%" is the duties, in a long article it may be anything (:func:`reference_supported`)."""
    explicit: dict[str, list[int]] = {}
    for tag in tags:
        if tag.via != "context":
            explicit.setdefault(tag.action, []).append(tag.sentence)
    return [tag for tag in tags if tag.via != "context" or reference_supported(
        tag.action, tag.sentence, (windows or {}).get(tag.rule), explicit)]


def build_profile(
    article_id: str | None,
    lang: str,
    sentences: Sequence[Sentence],
    tags: Sequence[Tag],
    errors: Sequence[ErrorInfo],
    extra: Mapping[str, object],
) -> ArticleProfile:
    """The article's :class:`ArticleProfile`: its tags summarized per action and the dominant
    action chosen, alongside its sentences, errors and extra fields."""
    summaries = summarize(tags)
    return ArticleProfile(
        id=article_id,
        lang=lang,
        actions=summaries,
        dominant=dominant_action(summaries),
        sentences=tuple(sentences),
        tags=tuple(tags),
        errors=tuple(errors),
        extra=dict(extra),
    )
