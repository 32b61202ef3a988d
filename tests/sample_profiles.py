"""Hand-built profiles for the output-format tests: deterministic, whatever the rule packs say.

Profiles are assembled from real :class:`Sentence`/:class:`Tag` objects through the engine's own
merge step (``build_profile``), so they have exactly the shape the engine produces.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.matching.segment import split_spans
from classifier.model import Amount, ArticleProfile, ErrorInfo, Sentence, Tag
from classifier.pipeline.merge import build_profile

ACTIONS = ["extradition", "military", "rewards", "sanctions", "tariffs"]


@dataclass(frozen=True)
class Mark:
    """Tag the first occurrence of ``phrase`` (after ``after``) as ``action``."""

    phrase: str
    action: str
    modality: str = "asserted"
    cue: str | None = None
    actor: str | None = None
    target: str | None = None
    amounts: tuple[tuple[float, str, str], ...] = ()  # (value, unit, text found in the sentence)
    score: float = 1.0
    after: int = 0


def make_profile(article_id: str | None, text: str, marks: list[Mark], lang: str = "en",
                 errors: tuple[ErrorInfo, ...] = (), all_sentences: bool = False) -> ArticleProfile:
    """A profile of ``text`` with one tag per mark (spans found by ``str.find``)."""
    spans = split_spans(text, lang)
    sentences = [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]
    tags: list[Tag] = []
    for mark in marks:
        start = text.find(mark.phrase, mark.after)
        assert start >= 0, mark.phrase
        end = start + len(mark.phrase)
        sentence = next(s for s in sentences if s.start <= start < s.end)
        amounts = tuple(Amount(v, u, t, (text.find(t, sentence.start), text.find(t, sentence.start) + len(t)))
                        for v, u, t in mark.amounts)
        tags.append(Tag(mark.action, f"{mark.action}.en.test_{len(tags)}", mark.action, sentence.index,
                        (start, end), mark.phrase, mark.modality, mark.cue, mark.score,
                        mark.actor, mark.target, amounts))
    tagged = sorted({t.sentence for t in tags})
    kept = sentences if all_sentences else [sentences[i] for i in tagged]
    return build_profile(article_id, lang, kept, sorted(tags, key=lambda t: t.span), errors, {})


REWARD_TEXT = (
    "The State Department offered a reward of $10 million for information on the cartel leader. "
    "Officials said the offer stands until the end of the year."
)
SANCTIONS_TEXT = (
    "Washington imposed sanctions on three Iranian shipping firms on Tuesday. "
    "Tehran threatened to impose tariffs of 25% on American grain in response. "
    "The European Union refused to impose sanctions of its own."
)
EXTRADITION_TEXT = (
    "Mexico extradited 29 cartel members to the United States on Thursday, officials said."
)


def reward_profile() -> ArticleProfile:
    return make_profile("reward-1", REWARD_TEXT, [
        Mark("offered a reward of $10 million", "rewards", actor="United States",
             target="cartel leader", amounts=((10_000_000, "USD", "$10 million"),)),
    ])


def sanctions_profile() -> ArticleProfile:
    return make_profile("sanctions-1", SANCTIONS_TEXT, [
        Mark("imposed sanctions", "sanctions", actor="United States", target="Iran"),
        Mark("impose tariffs of 25%", "tariffs", modality="threatened", cue="threatened to",
             actor="Iran", target="United States", amounts=((25, "percent", "25%"),), score=0.8),
        Mark("impose sanctions", "sanctions", modality="negated", cue="refused to",
             actor="European Union", after=SANCTIONS_TEXT.index("European")),
    ])


def extradition_profile() -> ArticleProfile:
    return make_profile("extradition-1", EXTRADITION_TEXT, [
        Mark("extradited 29 cartel members", "extradition", actor="Mexico", target="United States",
             amounts=((29, "people", "29 cartel members"),)),
    ])


def empty_profile() -> ArticleProfile:
    return make_profile("quiet-1", "The council met to discuss the budget. Nothing was decided.", [])


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "\u2028line\u2029sep <!-- x",
]


def hostile_profile() -> ArticleProfile:
    """Hostile text everywhere a field can carry text: id, article text, actor, cue, errors."""
    text = (f"Officials {HOSTILE[0]} imposed sanctions on {HOSTILE[1]} today. "
            f"They also {HOSTILE[2]} threatened tariffs {HOSTILE[3]}.")
    return make_profile(HOSTILE[1] + HOSTILE[0], text, [
        Mark("imposed sanctions", "sanctions", actor=HOSTILE[0], target=HOSTILE[1], cue=HOSTILE[2]),
        Mark("threatened tariffs", "tariffs", modality="threatened", cue=HOSTILE[2], actor=HOSTILE[3]),
    ], errors=(ErrorInfo("PluginError", HOSTILE[2] + " " + HOSTILE[1]),))
