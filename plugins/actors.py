"""Refiner: who acts (``Tag.actor``) and on whom (``Tag.target``), without a parser.

Why no parser: a dependency parse costs milliseconds per sentence and a model download; news
reports name actors in a few stable shapes ("X imposed sanctions on Y", "Y was extradited to X").
A gazetteer (``plugins/data/actors.toml``, which users extend, with the cue words of the
heuristics per language) plus positional heuristics gets those right and leaves the rest empty.
**Precision over recall**: a wrong actor misleads an analyst more than a missing one, so
whenever the cues disagree we leave ``None``.

Names are canonical: organs ("the Treasury", "OFAC", "Mexican President", "las fuerzas
estadounidenses") map to their state as actor. As a target, an organ also maps to its state,
except people ("a reward for Maduro's arrest" -> "Nicolás Maduro").

Heuristics, in order:

* **Actor** = a ``by``-agent after the match ("sanctions imposed by the EU"); else the nearest
  state/organ/organisation before (or inside) the match in its clause that is not the object of
  a preposition ("sanctions on Iran" does not make Iran an actor) and not only a demonym
  ("Chinese steel"). A candidate that only *reports* ("Sheinbaum's reassurance that these
  military actions ...", "Mexico said the strikes ...") is a speaker, not an actor: we return
  None unless a pronoun ties the action back to it ("Mexico said its forces ..."). So is one
  that only judges the action ("Mexico rejected a military intervention", "Lawmakers called
  for sanctions"; not for extradition, where the refusing state is the one that extradites).
  In a passive
  ("Venezuela was hit with sanctions") the subject is the target. For military action and
  tariffs a nationality adjective next to the match names the actor ("Israeli strikes",
  "intervención militar estadounidense"). A state right before "sanctions" is ambiguous ("U.S.
  sanctions" vs "Iran sanctions"): it is the actor only when a target follows, the target when
  another actor precedes it, and otherwise neither.
* **Target** = the first entity after the match that follows a target preposition
  (on/against/to/from/for/of/targeting; contra/a/de/sobre...) within a few words, or the direct
  object of a verb match ("the Treasury sanctioned Tren de Aragua"). Demonyms count here
  ("tariffs on Chinese steel" -> China).
* **Extradition** follows one convention: ``actor`` = the state that hands the person over,
  ``target`` = the receiving state when it is known ("to the United States"; or the requesting
  state: "Washington asked Mexico to extradite ..." -> actor Mexico, target United States;
  "Trump facilitated the extradition of ..." -> target United States); otherwise ``target`` = the
  named group or person being handed over. The people extradited also appear as an amount.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Collection, Iterator, Mapping, Sequence

import regex

from classifier.errors import ConfigError
from classifier.pluginkit import FactStore, default_folder
from classifier.hookspecs import hookimpl
from classifier.model import Article, Sentence, Tag
from classifier.plugins._roles_phrase import noun_phrase, noun_phrase_back

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = Path(__file__).resolve().parent / "data" / "actors.toml"
KINDS = ("state", "organ", "organisation", "group")
ACTOR_KINDS = ("state", "organ", "organisation")
# Actions whose nationality adjective names the actor: "Israeli strikes", "Chinese tariffs".
# Not sanctions: "Venezuela sanctions", "Russian sanctions" usually name the target.
NATIONAL_ACTIONS = frozenset({"military", "tariffs"})
_I = regex.IGNORECASE
_SPAN = regex.compile(r"\[\[(.+?)\]\]")


# Words with inner dots and hyphens ("U.S.", "EE.UU.", "MS-13") and the possessive "'s".
_TOKEN = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*\.?|['’]s\b")
_DIRECT = regex.compile(r"\s*(?:[\w'’-]+\s+){0,2}", _I)  # "sanctioned four Tren de Aragua ..."
# The per-language cue regexes, read from the [cues.<lang>] tables of the data file.
CUE_NAMES = ("clause", "prep_before", "of_organ", "target_prep", "to", "from", "agent",
             "speech", "pronoun", "source", "passive", "opinion", "request", "verb_end",
             "predicate", "np_stop", "np_skip", "np_back_stop", "aux_before", "wanted",
             "wanted_after", "reward_skip", "bare_organ", "object_lead", "np_verb", "np_det",
             "np_trail", "np_lead", "np_keep", "verb_in", "bare_sanctions",
             "aux_in", "active_start", "np_pre", "requester", "request_noun", "handover")
# the prepositions after a match that introduce its target, per action (``[cues.<lang>.np_preps]``)
_GENITIVE = regex.compile(r"\b(?:de|del)\s+(?:los\s+|las\s+|la\s+|el\s+)?$", _I)
_DUTY = regex.compile(r"\b(?:tariffs?|dut(?:y|ies)|levy|levies|surcharges?|surtax(?:es)?)\b", _I)


def _state(mention: "Mention | None") -> str | None:
    return mention.actor() if mention else None


def _name(mention: "Mention | None") -> str | None:
    return mention.target() if mention else None


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry."""

    name: str
    kind: str
    country: str | None = None
    person: bool = False

    def actor(self) -> str | None:
        if self.kind == "organ":
            return self.country
        return self.name if self.kind in ACTOR_KINDS else None

    def target(self) -> str:
        if self.kind == "organ" and not self.person and self.country:
            return self.country
        return self.name


@dataclass(frozen=True)
class Mention:
    """An entity named in a sentence; ``demonym`` mentions can only be targets."""

    start: int
    end: int
    entity: Entity
    demonym: bool = False

    def actor(self) -> str | None:
        return None if self.demonym else self.entity.actor()

    def target(self) -> str:
        return self.entity.name if self.demonym else self.entity.target()


def _clean(phrase: str) -> str | None:
    """A target phrase on one line, without quotes around it or a possessive at its end."""
    out = " ".join(phrase.split()).strip("'‘’\"“”«» ")
    if out.endswith(".") and not regex.search(r"(?:\b\w\.){2,}$", out):
        out = out[:-1]  # the sentence's full stop, not "U.S."
    if out.endswith(("'s", "’s")):
        out = out[:-2]
    return out or None


def _join(words: Sequence[str]) -> str:
    return " ".join(words).replace("’", "'")


class ActorRefiner:
    """The plugin: the gazetteer as dictionaries of token n-grams, built once from the TOML file.

    Why n-grams and not one big regex: an alternation of ~800 names costs ~300 µs per sentence
    in either regex engine (no trie); looking up the few n-grams that start with a known first
    word costs ~20 µs.
    """

    name = "actors"

    def __init__(self, path: str | Path = DATA) -> None:
        self.path = Path(path)
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read the gazetteer: {exc}") from exc
        memo = FactStore(default_folder(), "refiner")  # its patterns, read back from earlier runs
        self.examples: tuple[Mapping[str, Any], ...] = tuple(data.get("example", ()))
        self.cues: dict[str, dict[str, Any]] = {}
        for lang, table in data.get("cues", {}).items():
            missing = [name for name in CUE_NAMES if name not in table]
            if missing:
                raise ConfigError(f"{self.path}: [cues.{lang}] lacks {', '.join(missing)}")
            try:
                self.cues[lang] = {name: memo.code.compile(table[name], _I) for name in CUE_NAMES}
                preps = table.get("np_preps", {})
                self.cues[lang]["np_preps"] = {
                    action: memo.code.compile(
                        r"\W{0,3}(?:[\w$%€£₱.,'’-]+\s+){0," + ("6" if action == "rewards" else "2")
                        + r"}?\b(?:" + words + r")\s+", _I)
                    for action, words in preps.items()}
            except regex.error as exc:
                raise ConfigError(f"{self.path}: [cues.{lang}]: bad regex: {exc}") from exc
        if "en" not in self.cues:
            raise ConfigError(f"{self.path}: no [cues.en] table (the fallback language)")
        # n-gram key -> (entity, or None for a blocked phrase; is it a demonym)
        self._ci: dict[str, tuple[Entity | None, bool]] = {}
        self._cs: dict[str, tuple[Entity | None, bool]] = {}
        self._patterns: list[tuple[Entity, Any]] = []
        for phrase in data.get("block", {}).get("phrases", []):
            self._ci[self._key(phrase, False)] = (None, False)
        states = {e.get("name") for e in data.get("entity", [])
                  if e.get("kind") in ("state", "organisation")}  # an organ's country
        for item in data.get("entity", []):
            self._add(item, states, memo.code.compile)
        nouns = data.get("organ_nouns", {})
        self._organ_en = {self._key(n, False) for n in nouns.get("en", [])}
        self._organ_es = {self._key(n, False) for n in nouns.get("es", [])}
        # first word -> the longest n-gram starting with it, per dictionary
        self._first: dict[str, int] = {}
        for table in (self._ci, self._cs):
            for key in table:
                words = key.casefold().split(" ")
                self._first[words[0]] = max(self._first.get(words[0], 0), len(words))
        self._organ_first = {k.split(" ")[0] for k in self._organ_en | self._organ_es}
        organs = self._organ_en | self._organ_es
        self._organ_len = max((len(k.split(" ")) for k in organs), default=0)
        # Per-article state, per thread: (the Article object of the classify call, its value).
        # Keyed by the object, not its text: the engine makes one Article per call, so the same
        # text classified twice starts afresh (output must not depend on what ran before), and
        # threads sharing this plugin never see each other's article.
        self._local = threading.local()
        memo.save()

    @staticmethod
    def _key(alias: str, case_sensitive: bool) -> str:
        words = _TOKEN.findall(alias)
        return _join(words) if case_sensitive else _join(words).casefold()

    def _add(self, item: Mapping[str, Any], states: set[Any],
             compile: Callable[[str, int], Any] = regex.compile) -> None:
        where = f"{self.path}: entity {item.get('name', '?')!r}"
        kind = item.get("kind")
        if not item.get("name") or kind not in KINDS:
            raise ConfigError(f"{where}: needs a name and a kind in {KINDS}")
        if kind == "organ" and item.get("country") not in states:
            raise ConfigError(f"{where}: an organ needs a country that is a state (or "
                              "organisation) entity")
        entity = Entity(item["name"], kind, item.get("country"), bool(item.get("person", False)))
        for field_name, table, dem in (("aliases", self._ci, False),
                                       ("aliases_cs", self._cs, False),
                                       ("demonyms", self._ci, True)):
            for alias in item.get(field_name, []):
                k = self._key(alias, table is self._cs)
                if not k:
                    raise ConfigError(f"{where}: alias {alias!r} has no words")
                old = table.get(k)
                if old is not None and old[0] is not None and old[0] != entity:
                    raise ConfigError(f"{where}: alias {alias!r} already names {old[0].name!r}")
                if old is None or old[0] is None or not dem:  # "China" stays a name, not a demonym
                    table[k] = (entity, dem)
        for pattern in item.get("patterns", []):
            try:
                self._patterns.append((entity, compile(pattern, _I)))
            except regex.error as exc:
                raise ConfigError(f"{where}: bad pattern {pattern!r}: {exc}") from exc

    # -- mentions -----------------------------------------------------------------------------

    def _lookup(self, words: Sequence[str], i: int, n: int
                ) -> tuple[Entity | None, bool, int] | None:
        """The entry named by ``words[i:i+n]``, and how many characters to drop at the end."""
        key = _join(words[i:i + n])
        for candidate, cut in ((key, 0), (key[:-1], 1) if key.endswith(".") else (None, 0)):
            if candidate:
                hit = self._cs.get(candidate) or self._ci.get(candidate.casefold())
                if hit is not None:
                    return hit[0], hit[1], cut
        return None

    def _organ(self, table: set[str], words: Sequence[str], i: int) -> int:
        """How many (casefolded) words from ``i`` form an organ noun ("armed forces"), or 0."""
        if i >= len(words) or words[i].rstrip(".") not in self._organ_first:
            return 0
        for n in range(min(self._organ_len, len(words) - i), 0, -1):
            if _join(words[i:i + n]).rstrip(".") in table:
                return n
        return 0

    def mentions(self, text: str) -> list[Mention]:
        """Every gazetteer entity named in ``text``, left to right, longest first."""
        found = list(_TOKEN.finditer(text))
        words = [m.group() for m in found]
        folded = [w.casefold() for w in words]
        first, organ_first = self._first, self._organ_first
        out: list[Mention] = []
        i = 0
        while i < len(words):
            word = folded[i]
            longest = first.get(word) or (first.get(word[:-1], 0) if word[-1] == "." else 0)
            if not longest and word not in organ_first and "-" not in word:
                i += 1  # the common case: a word that starts no name
                continue
            hit = None
            for n in range(min(longest, len(words) - i), 0, -1):
                entry = self._lookup(words, i, n)
                if entry is not None:
                    hit = (n, *entry)
                    break
            if hit is None and "-" in word:  # "U.S.-led", "Saudi-led"
                head = words[i].split("-")[0]
                entry = self._lookup([head], 0, 1)
                if entry is not None and entry[0] is not None:
                    at = found[i].start()
                    out.append(Mention(at, at + len(head) - entry[2], entry[0], entry[1]))
            if hit is None:
                organ = self._organ(self._organ_es, folded, i)  # "el gobierno mexicano"
                dem = self._lookup(words, i + organ, 1) if organ else None
                if dem is not None and dem[0] is not None and dem[1]:
                    out.append(Mention(found[i].start(), found[i + organ].end() - dem[2], dem[0]))
                    i += organ + 1
                else:
                    i += 1
                continue
            n, entity, demonym, cut = hit
            end = found[i + n - 1].end() - cut
            if entity is not None and demonym:
                organ = self._organ(self._organ_en, folded, i + n)  # "Mexican President"
                if organ:
                    end, demonym, n = found[i + n + organ - 1].end(), False, n + organ
            if entity is not None:
                out.append(Mention(found[i].start(), end, entity, demonym))
            i += n
        for entity, pattern in self._patterns:
            for m in pattern.finditer(text):
                out = [o for o in out if o.end <= m.start() or o.start >= m.end()]
                out.append(Mention(m.start(), m.end(), entity))
        out.sort(key=lambda m: m.start)
        return out

    # -- actor and target ---------------------------------------------------------------------

    def find(self, text: str, start: int, end: int, action: str, lang: str,
             mentions: Sequence[Mention] | None = None) -> tuple[str | None, str | None]:
        """``(actor, target)`` for the match ``text[start:end]`` of ``action``; None if unsure."""
        return self.find_roles(text, start, end, action, lang, mentions)[:2]

    def find_roles(self, text: str, start: int, end: int, action: str, lang: str,
                   mentions: Sequence[Mention] | None = None
                   ) -> tuple[str | None, str | None, str | None]:
        """``(actor, target, destination)`` for the match ``text[start:end]`` of ``action``.

        The actor is a canonical state name; the target is written as the sentence says it
        ("Chinese steel", "the leader of the Sinaloa Cartel"); the destination is the receiving
        state of an extradition. Each is None when the cues do not say.
        """
        cue = self.cues.get(lang) or self.cues["en"]
        found = self.mentions(text) if mentions is None else mentions
        lo = max((m.end() for m in cue["clause"].finditer(text, 0, start)), default=0)
        stop = cue["clause"].search(text, end)
        hi = stop.start() if stop else len(text)
        reach = 16 if action == "rewards" else 10
        predicate = cue["predicate"].search(text, end, hi)  # "... is a central theme of X"
        near = predicate.start() if predicate else hi
        before = [m for m in found if lo <= m.start and m.end <= end]
        ahead = [m for m in found if start < m.start and m.end <= near
                 and len(text[end:m.start].split()) <= reach]
        agents = [m for m in found if start < m.start and m.end <= hi]
        actor_m, passive = self._actor(text, start, end, hi, cue, before, agents)
        if actor_m is not None and action != "extradition" and actor_m.end <= start and cue[
                "opinion"].search(text, actor_m.end, start):
            actor_m = None  # "Mexico rejected a U.S. intervention": Mexico judges, others act
        if action in NATIONAL_ACTIONS:  # "Israeli strikes", "ataques estadounidenses"
            actor_m = self._national(text, start, end, found) or actor_m
        if action == "extradition":
            requester, swap = self._requester(text, start, end, hi, cue, actor_m, before, agents)
            if requester is not None and not swap and actor_m is not None and (
                    actor_m.start, actor_m.end) == (requester.start, requester.end):
                earlier = [m for m in before if m.end <= requester.start]
                actor_m = self._actor(text, start, end, hi, cue, earlier, ())[0]
            actor, destination = self._extradition(text, lo, start, end, hi, cue, actor_m,
                                                   passive, before, ahead)
            if requester is not None:  # the requesting state receives the person
                giving = destination if swap else actor  # "request made by India to the US"
                actor, destination = giving, requester.actor()
            target = self._extradited(text, lo, start, end, near, cue, ahead, passive, found)
            if destination == actor:
                destination = None
            return actor, target, destination
        target_m = self._target(text, start, end, cue, ahead, actor_m) or passive
        if (action == "sanctions" and actor_m is not None and target_m is None
                and actor_m.entity.kind == "state" and actor_m.end <= start
                and not text[actor_m.end:start].strip() and cue["bare_sanctions"].match(
                    text, start, end)
                and self._after_prep(text, end, near, action, cue) is None):
            # "U.S. sanctions on Iran" (actor) but "Washington extended the Venezuela
            # sanctions" (target): with no other clue, leave both empty.
            earlier = [m for m in before if m.end <= actor_m.start]
            other = self._actor(text, start, end, hi, cue, earlier, ())[0]
            actor_m, target_m = other, (actor_m if other else None)
        actor = actor_m.actor() if actor_m else None
        target = self._phrase_target(text, lo, start, end, near, action, cue, target_m,
                                     passive, actor_m, found)
        return actor, target, None

    # -- the target as written ------------------------------------------------------------------

    def _after_prep(self, text: str, end: int, near: int, action: str,
                    cue: Mapping[str, Any]) -> tuple[int, int] | None:
        """The target after the action's preposition ("tariffs on Chinese steel")."""
        preps = cue["np_preps"].get(action) or cue["np_preps"].get("*")
        if preps is None:
            return None
        pos = end
        for _ in range(3):
            m = preps.match(text, pos, near)
            if m is None:
                return None
            np = noun_phrase(text, m.end(), near, cue)
            if np is not None and not cue["np_skip"].match(text, np[0], np[1]):
                return np
            pos = m.end()
        return None

    def _phrase_target(self, text: str, lo: int, start: int, end: int, near: int, action: str,
                       cue: Mapping[str, Any], target_m: Mention | None,
                       passive: Mention | None, actor_m: Mention | None,
                       found: Sequence[Mention]) -> str | None:
        span: tuple[int, int] | None = None
        if action == "rewards":
            span = self._wanted(text, end, near, cue, start)
        aux = self._aux(text, lo, start, end, cue)
        if span is None and aux is not None:  # "Buildings ... were bombed": the subject
            span = noun_phrase_back(text, lo, aux.start(), cue)
            if span is not None and cue["np_skip"].match(text, span[0], span[1]):
                span = None  # "We are considering ...": a pronoun, not a target
        if span is None:
            span = self._object_in(text, start, end, near, cue)
        if span is None and cue["verb_end"].search(text, start, end):
            lead = cue["object_lead"].match(text, end, near)
            span = noun_phrase(text, lead.end() if lead else end, near, cue)
            if span is not None and (cue["np_skip"].match(text, span[0], span[1]) or (
                    cue["np_verb"].match(text, span[0], span[1])
                    and not cue["np_verb"].search(text, start, end))):
                span = None  # "the strikes hit an airfield": a noun match, then its verb
        if span is None:
            span = self._after_prep(text, end, near, action, cue) or self._after_prep(
                text, start, near, action, cue)  # "[[duty on onion exports]]"
        if span is None and action == "tariffs":  # "steel tariffs", "[[steel tariff]]"
            noun = _DUTY.search(text, start, end)
            pre = cue["np_pre"].search(text, lo, noun.start() if noun else start)
            head = pre.group(1).split()[0] if pre else ""
            if pre and not (cue["np_verb"].fullmatch(head) or head.endswith(("ing", "es"))):
                span = pre.span(1)  # not a verb: "imposed tariffs", "slapping duties"
        if span is None and target_m is not None and target_m is not passive:
            limit = start if target_m.start < start else near  # "the Venezuela sanctions"
            span = noun_phrase(text, target_m.start, limit, cue) or (target_m.start, target_m.end)
        if span is None and passive is not None:
            aux = self._aux(text, lo, start, end, cue)
            span = noun_phrase_back(text, lo, aux.start(), cue) if aux else None
            span = span or (passive.start, passive.end)
        if span is None:
            return None
        if actor_m is not None and actor_m.start >= span[0] and actor_m.end <= span[1] and \
                not text[span[0]:actor_m.start].strip() and not text[actor_m.end:span[1]].strip():
            return None  # the phrase is the actor's own name
        return _clean(text[span[0]:span[1]])

    @staticmethod
    def _aux(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any]) -> Any:
        """The auxiliary of a passive match ("was extradited"), not of a progressive one
        ("is slapping tariffs")."""
        if cue["active_start"].match(text, start, end):
            return None
        return cue["aux_before"].search(text, lo, start) or cue["aux_in"].match(text, start, end)

    def _object_in(self, text: str, start: int, end: int, near: int, cue: Mapping[str, Any]
                   ) -> tuple[int, int] | None:
        """The object of a verb inside the match: "sent 26 fugitives", "bombs a rebel camp"."""
        verbs = list(cue["verb_in"].finditer(text, start, end))
        if not verbs:
            return None
        lead = cue["object_lead"].match(text, verbs[-1].end(), near)
        span = noun_phrase(text, lead.end() if lead else verbs[-1].end(), near, cue)
        if span is None or cue["np_skip"].match(text, span[0], span[1]) or cue[
                "np_verb"].match(text, span[0], span[1]):
            return None  # "the strikes hit an airfield": a noun, then its own verb
        return span

    def _wanted(self, text: str, end: int, near: int, cue: Mapping[str, Any],
                start: int | None = None) -> tuple[int, int] | None:
        """The wanted person of a reward: "for information leading to the arrest of X",
        "X's capture", "a bounty on X's head". The search starts inside the match, which may
        end in the middle of its own "... leading to the arrest[s and/or convictions] of X"."""
        limit = min(len(text), max(near, end + 220))
        m = cue["wanted"].search(text, end if start is None else start, limit)
        if m is not None:
            np = noun_phrase(text, m.end(), limit, cue)
            if np is not None:
                return np
        m = cue["wanted_after"].search(text, end, limit)
        if m is not None:
            return noun_phrase_back(text, end, m.start(), cue)
        prep = cue["np_preps"].get("rewards")
        pos = end
        for _ in range(3):
            p = prep.match(text, pos, limit) if prep is not None else None
            if p is None:
                return None
            if not cue["reward_skip"].match(text, p.end()):
                np = noun_phrase(text, p.end(), limit, cue)
                if np is not None and not cue["np_skip"].match(text, np[0], np[1]):
                    return np
            pos = p.end()
        return None

    def _extradited(self, text: str, lo: int, start: int, end: int, near: int,
                    cue: Mapping[str, Any], ahead: Sequence[Mention], passive: Mention | None,
                    found: Sequence[Mention]) -> str | None:
        """The person (or people) extradited, as written."""
        aux = self._aux(text, lo, start, end, cue)
        span = noun_phrase_back(text, lo, aux.start(), cue) if aux else None  # "X was extradited"
        if span is None:  # "sent 26 fugitives to the United States"
            span = self._object_in(text, start, end, near, cue)
        if span is None and cue["verb_end"].search(text, start, end):  # "extradited X to Y"
            lead = cue["object_lead"].match(text, end, near)
            span = noun_phrase(text, lead.end() if lead else end, near, cue)
        if span is None:  # "the extradition of X"
            span = self._after_prep(text, end, near, "extradition", cue)
        if span is not None and any(m.actor() and not m.demonym and m.start == span[0]
                                    and m.end >= span[1] - 1 for m in found):
            span = None  # "extradited to the United States": a state, not the person
        if span is None and aux is None:
            back = noun_phrase_back(text, lo, start, cue)
            if back is not None and (aux or not any(
                    m.actor() and not m.demonym and back[0] <= m.start < back[1] for m in found)):
                span = back  # "X was extradited", "Otoniel extradited to US" (a headline)
        if span is None:
            person = next((m for m in ahead if not m.demonym and not m.actor()), None)
            group = person or (passive if passive is not None and not passive.actor() else None)
            return group.target() if group else None
        return _clean(text[span[0]:span[1]])

    def _actor(self, text: str, start: int, end: int, hi: int, cue: Mapping[str, Any],
               before: Sequence[Mention], ahead: Sequence[Mention]
               ) -> tuple[Mention | None, Mention | None]:
        """The acting mention, and the passive subject (a target) when the match is passive."""
        agents = {m.start: m for m in ahead if m.actor()}
        for agent in cue["agent"].finditer(text, start, hi):
            if agent.end() in agents:
                return agents[agent.end()], None  # "sanctions imposed by the EU"
        for m in sorted(before, key=lambda m: -m.start):
            head = text[max(0, m.start - 40):m.start]
            # "the end of U.S. strikes", "the Trump administration's strikes": still the actor
            # ... but not a name inside the match after its preposition ("duties on US
            # imports"), unless that is a Spanish genitive ("bloqueo de Estados Unidos")
            modifier = (m.end <= start and text[m.end:start].strip() in ("", "'s", "’s")) or (
                m.start > start and _GENITIVE.search(text, start, m.start) is not None)
            object_of = cue["prep_before"].search(head) and not cue["of_organ"].search(head)
            if not modifier and (object_of or cue["source"].search(head)):
                continue  # an object ("sanctions on Iran") or a source ("according to X")
            between = text[m.end:start]
            speech = cue["speech"].search(between)
            if speech and not cue["pronoun"].search(between[speech.end():]):
                return None, None  # a speaker; the action belongs to someone unnamed
            if cue["passive"].search(text, max(m.end, start - 30), end):
                return None, m  # "Venezuela had been hit with sanctions": a target
            if m.actor():
                return self._first_of_pair(text, m, before), None
        return None, None

    @staticmethod
    def _first_of_pair(text: str, m: Mention, before: Sequence[Mention]) -> Mention:
        """"The United States and Britain launched strikes": the first named leads."""
        for other in before:
            if other.end < m.start and other.actor() and not other.demonym and regex.fullmatch(
                    r"\s*(?:and|y|e)\s+(?:the\s+)?", text[other.end:m.start], _I):
                return other
        return m

    @staticmethod
    def _national(text: str, start: int, end: int, found: Sequence[Mention]) -> Mention | None:
        """A demonym right before (English) or after (Spanish) the match names its actor."""
        for m in found:
            if m.demonym and (m.end <= start and not text[m.end:start].strip()
                              or m.start >= end and not text[end:m.start].strip()):
                return Mention(m.start, m.end, m.entity)
        return None

    def _requester(self, text: str, start: int, end: int, hi: int, cue: Mapping[str, Any],
                   actor_m: Mention | None, before: Sequence[Mention],
                   agents: Sequence[Mention]) -> tuple[Mention | None, bool]:
        """Extradition: the state that asked for the person, and whether it was read as the
        actor of a request ("India made requests to the US": swap the two roles).

        "wanted by the United States", "a petición de Lima"; a state or demonym right before
        the noun ("a U.S. extradition request", but not "Mexico's extradition of X"); the
        subject of a request noun ("South African authorities submitted an extradition
        request")."""
        for m in agents:
            if m.actor() and m.entity.kind != "organisation" and len(
                    text[end:m.start].split()) <= 16 and cue["requester"].search(
                    text, max(0, m.start - 50), m.start):
                return m, False
        if cue["verb_end"].search(text, start, end):
            return None, False  # "extradited": a verb, whose subject gives
        for m in before if cue["handover"].match(text, start, end) else ():
            if m.end <= start and not text[m.end:start].strip() and m.entity.actor() and \
                    m.entity.kind != "organisation":
                return Mention(m.start, m.end, m.entity), False  # "US extradition requests"
        if actor_m is not None and actor_m.entity.kind != "organisation" and cue[
                "request_noun"].search(text, max(0, start - 30), min(hi, end + 20)):
            return actor_m, True
        return None, False

    def _extradition(self, text: str, lo: int, start: int, end: int, hi: int,
                     cue: Mapping[str, Any], actor: Mention | None,
                     passive: Mention | None, before: Sequence[Mention],
                     ahead: Sequence[Mention]) -> tuple[str | None, str | None]:
        """Extradition: ``(actor, destination)``: the state handing over, the receiving one."""
        def after(pattern: Any) -> Mention | None:
            return next((m for m in ahead if m.actor() and not m.demonym
                         and pattern.search(text[max(0, m.start - 40):m.start])), None)

        receiving, giving = after(cue["to"]), after(cue["from"])
        requests = list(cue["request"].finditer(text, lo, start))
        request = requests[-1] if requests else None  # the last request verb before the match
        if request is not None:
            requester = next((m for m in sorted(before, key=lambda m: -m.start)
                              if m.end <= request.start() and m.actor()), None)
            asked = next((m for m in before if request.end() <= m.start and m.end <= start
                          and m.actor() and m.entity.kind != "organisation"), None)
            return _state(giving or asked), _state(receiving or requester)
        if actor is not None and any(actor is m for m in ahead) and cue["request"].search(
                text[max(0, actor.start - 30):actor.start]):
            return _state(giving), _state(receiving or actor)  # "requested by Peru"
        if receiving is None:  # "was brought to India after being extradited"
            receiving = next((m for m in reversed(before) if m.actor() and not m.demonym
                              and m.end <= start and cue["to"].search(
                                  text[max(0, m.start - 40):m.start])), None)
        if passive is not None and passive.actor():
            passive = None  # "Mexico's former governor was extradited": nationality, not a party
        if actor is not None and receiving is not None and actor.entity.actor() == receiving.actor():
            # "Mexico sent 26 fugitives to the United States": the state before the receiving one
            earlier = [m for m in before if m.end <= start and m.actor() != receiving.actor()]
            actor = self._actor(text, start, end, hi, cue, earlier, ())[0]
        return _state(giving or actor), _state(receiving)

    def _target(self, text: str, start: int, end: int, cue: Mapping[str, Any],
                ahead: Sequence[Mention],
                actor: Mention | None) -> Mention | None:
        """The first entity after a target preposition, or the direct object of a verb match."""
        verb = cue["verb_end"].search(text[start:end])
        for m in ahead:
            if actor is not None and (m.start, m.end) == (actor.start, actor.end):
                continue
            head = text[max(start, m.start - 60):m.start]
            if cue["target_prep"].search(head) and not cue["agent"].search(head[-12:]):
                return m
            if verb and _DIRECT.fullmatch(text[end:m.start]):
                return m  # "the Treasury sanctioned Tren de Aragua"
        return None

    # -- the hook -----------------------------------------------------------------------------

    @hookimpl
    def policy_classifier_refine_tags(
        self, sentence: Sentence, tags: Sequence[Tag], article: Article
    ) -> list[Tag]:
        """Fill actor, target and destination where the plugin is sure and nobody set them yet.

        A tag with no actor in its sentence takes the article's main actor when the sentence
        refers back to it: a bare organ ("the military said it struck", "el Gobierno") or a
        reference tag ("the strikes", ``via="context"``), whose action the article named.
        """
        found: list[Mention] | None = None
        out: list[Tag] = []
        for tag in tags:
            start, end = tag.span[0] - sentence.start, tag.span[1] - sentence.start
            done = tag.actor and tag.target and (tag.action != "extradition" or tag.destination)
            if done or not 0 <= start <= end <= len(sentence.text):
                out.append(tag)
                continue
            if found is None:
                found = self.mentions(sentence.text)
            actor, target, destination = self.find_roles(sentence.text, start, end, tag.action,
                                                         article.lang, found)
            memory = self._memory(article)
            if actor is not None:
                seen = memory.setdefault(tag.action, {})
                seen[actor] = seen.get(actor, 0) + 1
            if destination is not None:
                memory.setdefault("to", {})[destination] = 1
            if actor is None and not tag.actor and self._refers_back(sentence.text, start, end,
                                                                     tag, article.lang, found):
                skip = {destination, *memory.get("to", ())} if tag.action == "extradition" \
                    else {destination}
                seen = {k: v for k, v in memory.get(tag.action, {}).items() if k not in skip}
                actor = max(seen, key=seen.__getitem__) if seen else self._article_actor(
                    article, tag.action, skip)
                if actor is not None and target == actor:
                    target = None
            out.append(replace(tag, actor=tag.actor or actor, target=tag.target or target,
                               destination=tag.destination or destination))
        return out

    def _refers_back(self, text: str, start: int, end: int, tag: Tag, lang: str,
                     found: Sequence[Mention]) -> bool:
        """Does the sentence leave its actor to the article: a reference tag, or a bare organ
        ("the army", "el Ejecutivo") and no state of its own that could be the actor?"""
        if tag.via == "context":
            return True
        return True
        cue = self.cues.get(lang) or self.cues["en"]
        lo = max(0, start - 120)
        organ = cue["bare_organ"].search(text, lo, min(len(text), end + 60))
        if organ is None:
            return False
        return not any(m.actor() and not m.demonym and m.end <= organ.start() for m in found)

    def _memory(self, article: Article) -> dict[str, dict[str, int]]:
        """Per action, the actors found so far in this article's sentences."""
        seen = getattr(self._local, "seen", None)
        if seen is None or seen[0] is not article:
            seen = self._local.seen = (article, {})
        return seen[1]

    def _article_actor(self, article: Article, action: str = "",
                       skip: Collection[str | None] = ()) -> str | None:
        """The state the article most often names as a subject (organs count double): whom "the
        military" or "the department" means. Computed once per article."""
        cached = getattr(self._local, "article", None)
        if cached is not None and cached[0] is article:
            return next((name for name in cached[1][action == "extradition"] if name not in skip),
                        None)
        cue = self.cues.get(article.lang) or self.cues["en"]
        votes: dict[str, float] = {}
        sending: dict[str, float] = {}  # for extradition: not the states things are sent "to"
        for m in self.mentions(article.text):
            name = m.actor()
            if name is None:
                continue
            head = article.text[max(0, m.start - 40):m.start]
            weight = 0.3 if cue["prep_before"].search(head) and not cue["of_organ"].search(
                head) else 1.0
            weight *= 2 if m.entity.kind == "organ" else 1
            votes[name] = votes.get(name, 0.0) + weight
            sending[name] = sending.get(name, 0.0) + (0 if cue["to"].search(head) else weight)
        ranked = (sorted(votes, key=lambda k: -votes[k]), sorted(sending, key=lambda k: -sending[k]))
        self._local.article = (article, ranked)
        return next((name for name in ranked[action == "extradition"] if name not in skip), None)

    def iter_examples(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The data file's examples, as ``(id, example)``."""
        for number, example in enumerate(self.examples, 1):
            yield f"{example.get('group', 'example')}#{number}", example

    def check_example(self, example: Mapping[str, Any]) -> str | None:
        """None if the example gives the expected actor and target, else what went wrong."""
        spans = list(_SPAN.finditer(example["text"]))
        if len(spans) != 1:
            return f"mark exactly one span with [[...]] in {example['text']!r}"
        m = spans[0]
        text = example["text"][:m.start()] + m.group(1) + example["text"][m.end():]
        got = self.find_roles(text, m.start(), m.start() + len(m.group(1)), example["action"],
                              example.get("lang", "en"))
        for key, value in zip(("actor", "target", "destination"), got):
            if key in example and (example[key] or None) != value:
                return f"{key}: expected {example[key] or None!r}, got {value!r} in {text!r}"
        return None


plugin = ActorRefiner()


def find_actor_target(sentence_text: str, start: int, end: int, action: str,
                      lang: str) -> tuple[str | None, str | None]:
    """``(actor, target)`` of the match ``sentence_text[start:end]`` with the built-in gazetteer."""
    return plugin.find(sentence_text, start, end, action, lang)
