"""The modality refiner's cues: what a cue is, how a language's cues are loaded from the cue
file and searched, and how an outer cue combines with the reading inside it.

Why a module of its own: :mod:`classifier.plugins.modality` reads a chain of cues around each
match; this is the data it reads, and the rules for loading it (each cue's pattern checked,
its anchors derived, its modalities known), which users meet when they edit the cue file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import regex

from classifier.errors import ConfigError
from classifier.model import MODALITIES, Examples
from classifier.pluginkit import FactStore, pattern_anchors

try:
    import ahocorasick
except ImportError:  # pragma: no cover - the substring loop below does the same, slower
    ahocorasick = None

FLAGS = regex.IGNORECASE
Compile = Callable[[str, int], Any]  # regex.compile, or a memo's compile


@dataclass(frozen=True)
class Cue:
    """One cue of the data file: a regex that decides a modality."""

    id: str
    modality: str
    pattern: str
    where: str = "before"
    anchors: tuple[str, ...] = ()  # lowercased literals one of which every match contains
    when_negated: str | None = None
    over: Mapping[str, str] = field(default_factory=dict)
    reach: bool = False  # governs every cue after it in its clause, however far
    as_action: Mapping[str, str] = field(default_factory=dict)  # {action: modality} for its tags
    firm: bool = False  # a decided fact (a start date, a state in force): see ``over.firm``
    examples: Examples = field(default_factory=Examples)  # sentences it must and must not decide


@dataclass(frozen=True)
class CueHit:
    """Where a cue matched, in the coordinates of the text given to :meth:`decide`."""

    cue: Cue
    start: int
    end: int


@dataclass(frozen=True)
class Decision:
    """The modality of one match, the cue text shown to users and every cue that took part."""

    modality: str
    cue: str | None
    hits: tuple[CueHit, ...] = ()


class CueSet:
    """The cues of one language and position, each compiled alone, behind a keyword prefilter.

    Why not one alternation: trying every cue at every word of the window costs several times
    more than finding the cues whose anchors occur (Aho-Corasick over the window's few dozen
    characters) and running only those. Cues without anchors are always tried.
    """

    def __init__(self, cues: Sequence[Cue], after: bool, compile: Compile = regex.compile) -> None:
        start = r"(?:^|\b(?=\w))" if after else r"\b(?=\w)"  # cues start at a word
        self.cues = tuple(cues)
        self.compiled = tuple(compile(start + f"(?:{c.pattern})", FLAGS) for c in cues)
        self.always = tuple(i for i, c in enumerate(cues) if not c.anchors)
        anchored = [(a, i) for i, c in enumerate(cues) for a in c.anchors]
        self._automaton: Any = None
        if ahocorasick is not None and anchored:
            owners: dict[str, list[int]] = {}
            for anchor, i in anchored:
                owners.setdefault(anchor, []).append(i)
            self._automaton = ahocorasick.Automaton()
            for anchor, indices in owners.items():
                self._automaton.add_word(anchor, tuple(indices))
            self._automaton.make_automaton()
        self._anchored = tuple(anchored)
        # the same cue read for one action's tags: suspending sanctions is a lifting, "other";
        # suspending tariffs before they bite is "negated"
        self.variants = {
            (i, action): replace(c, modality=modality, as_action={})
            for i, c in enumerate(cues) for action, modality in c.as_action.items()
        }

    def cue_for(self, index: int, action: str | None) -> Cue:
        """Cue ``index`` as it reads for a tag of ``action`` (its ``as_action`` variant)."""
        if action is not None and self.variants:
            variant = self.variants.get((index, action))
            if variant is not None:
                return variant
        return self.cues[index]

    def candidates(self, lowered: str) -> list[int]:
        """Indices of the cues worth trying on ``lowered`` text, in file order."""
        found = set(self.always)
        if self._automaton is not None:
            for _, indices in self._automaton.iter(lowered):
                found.update(indices)
        else:
            found.update(i for anchor, i in self._anchored if anchor in lowered)
        return sorted(found)


@dataclass(frozen=True)
class LangCues:
    before: CueSet
    after: CueSet
    clause_before: Any
    clause_after: Any
    complementiser: Any
    complementiser_start: Any
    predicate: Any
    aside_after: Any = None
    coordinator: Any = None
    coordination_echo: Any = None


def combine(outer: Cue, inner: str | None, inner_cue: Cue | None) -> str:
    """The modality when ``outer`` governs a match whose own modality is ``inner``.

    ``inner`` is None when nothing nearer decided (a bare match reads as asserted).
    """
    if inner is None:
        return outer.modality
    if inner_cue is not None and inner_cue.firm and "firm" in outer.over:
        return outer.over["firm"]  # "will impose tariffs beginning Jan. 1": the date decides
    if inner in outer.over:
        return outer.over[inner]
    kind = outer.modality
    if kind == "asserted":  # "announced plans to" keeps the plan
        return inner
    if kind == "threatened":  # "would impose" -> threatened; "will not" -> negated
        return "threatened" if inner in ("asserted", "threatened") else inner
    if kind == "negated":
        if inner in ("asserted", "threatened"):
            return "negated"
        if inner == "negated":  # "did not rule out": still possible; but "refused to
            # exempt", "refused to suspend": the measure the exemption would have stopped stays
            return (inner_cue.when_negated if inner_cue else None) or "threatened"
        return (inner_cue.when_negated if inner_cue else None) or "negated"
    if inner == "negated" and outer.when_negated:
        # "removing the sanctions is out of the question", "blocked the lifting of the
        # sanctions": the removal is what is negated, so the sanctions stay
        return outer.when_negated
    return "other"  # offers, talks, conditions and lifting swallow what they govern


def load_lang_cues(path: Path, lang: str, section: Mapping[str, Any], memo: FactStore) -> LangCues:
    """One language's section of the cue file, compiled; ConfigError names what is wrong."""
    compile = memo.code.compile

    def pattern(key: str) -> Any:
        try:
            return compile(section[key], FLAGS)
        except KeyError:
            raise ConfigError(f"{path}: [{lang}] has no '{key}'") from None
        except regex.error as exc:
            raise ConfigError(f"{path}: [{lang}] {key}: bad regex: {exc}") from exc

    cues: dict[str, Cue] = {}
    for modality in MODALITIES:
        for item in section.get(modality, []):
            cue = _cue(path, lang, modality, item, memo)
            if any(c.id == cue.id for c in cues.values()):
                raise ConfigError(f"{path}: duplicate cue id '{cue.id}'")
            cues[f"c{len(cues)}"] = cue

    compl = section.get("complementiser", r"(?!)")
    # "denied on Tuesday that ...", "negó este martes que ...": a time adverbial may stand
    # between a verb and its "that"-clause
    when = section.get("time_adverbial")
    between = rf"(?:\s*,?\s*(?:{when}))?" if when else ""
    return LangCues(
        before=CueSet([c for c in cues.values() if c.where == "before"], False, compile),
        after=CueSet([c for c in cues.values() if c.where == "after"], True, compile),
        clause_before=pattern("clause_before"), clause_after=pattern("clause_after"),
        complementiser=compile(compl, FLAGS),
        complementiser_start=compile(rf"{between}\W*(?:{compl})", FLAGS),
        predicate=pattern("predicate"),
        aside_after=pattern("aside_after") if "aside_after" in section else None,
        coordinator=(compile(rf"(?:{section['coordinator']})\s*$", FLAGS)
                     if "coordinator" in section else None),
        coordination_echo=(compile(section["coordination_echo"], FLAGS)
                           if "coordination_echo" in section else None),
    )

def _cue(path: Path, lang: str, modality: str, item: Mapping[str, Any], memo: FactStore) -> Cue:
    where = f"{path}: [[{lang}.{modality}]] '{item.get('id', '?')}'"
    if not item.get("id") or not item.get("pattern"):
        raise ConfigError(f"{where}: needs an id and a pattern")
    try:
        memo.code.compile(item["pattern"], FLAGS)
    except regex.error as exc:
        raise ConfigError(f"{where}: bad regex: {exc}") from exc
    if item.get("where", "before") not in ("before", "after"):
        raise ConfigError(f"{where}: 'where' must be 'before' or 'after'")
    anchors = item.get("anchors") or memo.remember(
        "cue-anchors", item["pattern"], 0, lambda: sorted(pattern_anchors(item["pattern"]) or ()),
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v))
    over = dict(item.get("over", {}))
    as_action = dict(item.get("as_action", {}))
    for value in [item.get("when_negated"), *(k for k in over if k != "firm"), *over.values(),
                  *as_action.values()]:
        if value is not None and value not in MODALITIES:
            raise ConfigError(f"{where}: unknown modality {value!r}; use one of {MODALITIES}")
    return Cue(
        id=item["id"], modality=modality, pattern=item["pattern"],
        where=item.get("where", "before"), when_negated=item.get("when_negated"), over=over,
        reach=bool(item.get("reach", False)), as_action=as_action,
        firm=bool(item.get("firm", False)),
        anchors=tuple(a.lower() for a in anchors),
        examples=Examples(match=tuple(item.get("match", ())),
                          no_match=tuple(item.get("no_match", ()))),
    )
