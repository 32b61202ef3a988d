"""The data model: frozen dataclasses that every part of the classifier exchanges.

Why frozen: a profile is evidence. Once the engine or a plugin has produced a tag, nothing later
mutates it behind the user's back; refiners return new tags (``dataclasses.replace``). Why one
``to_dict`` per class: JSON, CSV and HTML writers all start from the same plain-dict view, so the
formats cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping, TypeVar

MODALITIES: tuple[str, ...] = ("asserted", "threatened", "negated", "other")
_D = TypeVar("_D")


def replaced(obj: _D, **changes: Any) -> _D:
    """``dataclasses.replace`` for :class:`Tag` and :class:`Amount`, a few times faster.

    Why: the refiners replace every tag they refine, several times an article, and
    ``dataclasses.replace`` reads the class's fields and calls ``__init__`` each time. These two
    classes have no ``__post_init__`` and every field is an ``__init__`` argument, so copying the
    instance's fields and setting the changed ones builds the same value. Anything else (another
    class, a subclass, an unknown field name) goes to ``dataclasses.replace``.
    """
    names = _FAST_FIELDS.get(type(obj))
    if names is None or not names.issuperset(changes):
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    new = object.__new__(type(obj))
    values = new.__dict__
    values.update(obj.__dict__)
    values.update(changes)
    return new


@dataclass(frozen=True)
class ActionType:
    """A kind of policy action that rules can tag (``sanctions``, ``military``...)."""

    name: str
    description: str
    plugin: str


@dataclass(frozen=True)
class Examples:
    """Sentences a rule must (``match``) and must not (``no_match``) tag; ``todo_*`` are known gaps."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    todo_match: tuple[str, ...] = ()
    todo_no_match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One rule: regex patterns for one action type, with its provenance and examples."""

    id: str
    action: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    case_sensitive: bool = False
    weight: float = 1.0
    description: str = ""
    lang: str = "*"
    pack: str = ""
    source: str = ""
    plugin: str = ""
    examples: Examples = field(default_factory=Examples)
    meta: Mapping[str, Any] = field(default_factory=dict)
    context: bool = False  # a reference ("the strikes"): tags only beside an explicit mention
    # with ``context``: the explicit mention must lie within this many sentences (None: anywhere)
    context_window: int | None = None


@dataclass(frozen=True)
class Amount:
    """A normalised figure attached to a tag: money, people or a percentage."""

    value: float
    unit: str
    text: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"value": value, "unit": self.unit, "text": self.text}
        if self.span is not None:
            out["span"] = list(self.span)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Amount:
        """The inverse of :meth:`to_dict`: a figure read back from a saved profile (a span
        that is not two whole numbers reads as no span)."""
        span = data.get("span")
        whole = (isinstance(span, (list, tuple)) and len(span) == 2
                 and all(isinstance(i, int) and not isinstance(i, bool) for i in span))
        return cls(float(data["value"]), str(data["unit"]), str(data["text"]),
                   (int(span[0]), int(span[1])) if whole and span is not None else None)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article; ``start``/``end`` are offsets in the article text."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Article:
    """What per-article hooks see: the raw text, its id and its (detected or given) language."""

    id: str | None
    text: str
    lang: str


@dataclass(frozen=True)
class Tag:
    """One piece of evidence: an action found in a sentence by a rule (or a tagger plugin).

    ``span`` is in article coordinates, so ``article[span[0]:span[1]] == text``.
    ``destination``: where the action sends someone (extradition: the receiving state).
    ``via``: how the tag was found when not by a rule's own words: ``"context"`` for a
    reference ("the strikes", "la medida") kept because the article names the action
    explicitly elsewhere. Both are written only when set.
    """

    action: str
    rule: str
    plugin: str
    sentence: int
    span: tuple[int, int]
    text: str
    modality: str = "asserted"
    cue: str | None = None
    score: float = 1.0
    actor: str | None = None
    target: str | None = None
    amounts: tuple[Amount, ...] = ()
    destination: str | None = None
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "action": self.action,
            "rule": self.rule,
            "plugin": self.plugin,
            "span": [self.span[0], self.span[1]],
            "text": self.text,
            "modality": self.modality,
            "cue": self.cue,
            "score": round(self.score, 4),
            "actor": self.actor,
            "target": self.target,
            "amounts": [a.to_dict() for a in self.amounts],
        }
        if self.destination is not None:
            out["destination"] = self.destination
        if self.via is not None:
            out["via"] = self.via
        return out


@dataclass(frozen=True)
class ActionSummary:
    """All tags of one action type in one article, merged."""

    action: str
    mentions: int
    sentences: tuple[int, ...]
    score: float
    modality: Mapping[str, int]
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    destinations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mentions": self.mentions,
            "score": round(self.score, 4),
            "modality": dict(self.modality),
            "sentences": list(self.sentences),
            "actors": list(self.actors),
            "targets": list(self.targets),
            "amounts": [a.to_dict() for a in self.amounts],
        }
        if self.destinations:
            out["destinations"] = list(self.destinations)
        return out

    @classmethod
    def from_dict(cls, action: str, data: Mapping[str, Any]) -> ActionSummary:
        """The inverse of :meth:`to_dict`: one action of a saved profile (a JSON line), so saved
        and live profiles go through the same code (the CSV writer, ``summarize``).

        Lenient where a saved line may be loose (it may come from another tool, or an older
        version): fields left out read as empty, and list items of the wrong type are left
        out rather than failing the line. :func:`classifier.report.profilecheck.profile_problem`
        has already checked the counts, score and modality by then."""
        return cls(
            action=action,
            mentions=int(data.get("mentions", 0)),
            sentences=tuple(i for i in _items(data.get("sentences")) if isinstance(i, int) and not isinstance(i, bool)),
            score=float(data.get("score", 0.0)),
            modality={str(name): int(count) for name, count in (data.get("modality") or {}).items()},
            actors=_strings(data.get("actors")),
            targets=_strings(data.get("targets")),
            amounts=tuple(Amount.from_dict(a) for a in _items(data.get("amounts")) if _is_amount(a)),
            destinations=_strings(data.get("destinations")),
        )


def _items(value: Any) -> list[Any] | tuple[Any, ...]:
    return value if isinstance(value, (list, tuple)) else ()


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(item for item in _items(value) if isinstance(item, str))


def _is_amount(item: Any) -> bool:
    return (isinstance(item, Mapping) and isinstance(item.get("value"), (int, float))
            and not isinstance(item.get("value"), bool) and isinstance(item.get("unit"), str)
            and isinstance(item.get("text"), str))


@dataclass(frozen=True)
class ErrorInfo:
    """Something that went wrong while profiling one article, kept in the profile."""

    type: str
    message: str
    plugin: str | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.plugin:
            out["plugin"] = self.plugin
        if self.rule:
            out["rule"] = self.rule
        return out


@dataclass(frozen=True)
class ArticleProfile:
    """The classifier's answer for one article."""

    id: str | None
    lang: str
    actions: Mapping[str, ActionSummary]
    dominant: str | None
    sentences: tuple[Sentence, ...]
    tags: tuple[Tag, ...]
    errors: tuple[ErrorInfo, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_sentence: dict[int, list[dict[str, Any]]] = {}
        for tag in self.tags:
            by_sentence.setdefault(tag.sentence, []).append(tag.to_dict())
        sentences = []
        for sentence in self.sentences:
            item = sentence.to_dict()
            item["tags"] = by_sentence.get(sentence.index, [])
            sentences.append(item)
        out: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "actions": {name: s.to_dict() for name, s in self.actions.items()},
            "dominant": self.dominant,
            "sentences": sentences,
            "errors": [e.to_dict() for e in self.errors],
        }
        if self.extra:
            out["extra"] = dict(self.extra)
        return out


@dataclass(frozen=True)
class ErrorRecord:
    """The output record for an input that could not be profiled at all (nothing is lost)."""

    id: str | None
    type: str
    message: str
    line: int | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.line is not None:
            error["line"] = self.line
        if self.source is not None:
            error["source"] = self.source
        return {"id": self.id, "error": error}


# The classes :func:`replaced` copies directly, with their field names.
_FAST_FIELDS: Mapping[type, frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls)) for cls in (Tag, Amount)}
