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

import threading
from pathlib import Path
from typing import Any, Collection, Iterator, Mapping, Sequence

import regex

from classifier.errors import ConfigError
from classifier.hookspecs import hookimpl
from classifier.model import Article, Sentence, Tag, replaced
from classifier.pluginkit import FactStore, default_folder

from ._gazetteer import _I, Entity, Gazetteer, Mention
from ._roles_read import ENDS_ON, RoleReader

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = Path(__file__).resolve().parent / "data" / "actors.toml"
_SPAN = regex.compile(r"\[\[(.+?)\]\]")
# the handover words of an explicit extradition sentence (both languages), for the article's
# receiving state
_HANDOVER = regex.compile(r"\b(?:extradit\w*|extradic\w*|handed\s+over|surrender\w*|"
                          r"entregad[oa]s?|entreg(?:ó|aron|ar)|wanted\s+by|requerid[oa]s?\s+por)",
                          regex.IGNORECASE)


# Parties an article names often but that seldom take the action themselves: the article-level
# guess of who acts passes over them (the UN sanctions, but does not bomb, tax or extradite).
_SELDOM_ACTS: dict[str, set[str | None]] = {
    action: {"UN"} for action in ("military", "tariffs", "extradition", "rewards")}


# The per-language cue regexes, read from the [cues.<lang>] tables of the data file.
CUE_NAMES = ("clause", "prep_before", "of_organ", "target_prep", "to", "from", "agent",
             "speech", "pronoun", "source", "passive", "opinion", "request", "verb_end",
             "predicate", "np_stop", "np_skip", "np_back_stop", "aux_before", "wanted",
             "wanted_after", "reward_skip", "bare_organ", "object_lead", "np_verb", "np_det",
             "np_trail", "np_lead", "np_keep", "verb_in", "bare_sanctions",
             "aux_in", "active_start", "np_pre", "requester", "request_noun", "handover",
             "verb_obj", "ambiguous_end", "verb_subject", "np_weak", "subject_frame", "subject_lead",
             "not_person", "person_noun", "crime",
             "then_verb", "inverted_lead", "inverted_verb", "exempt_before", "exempt_after",
             "aim_before", "aim_after", "resist_frame",
             "arrest_verb", "arrest_passive", "list_before", "list_after")


class ActorRefiner(RoleReader, Gazetteer):
    """The plugin: the data file's cues and gazetteer, read once; roles read per tag.

    Three concerns, three modules: the gazetteer (:mod:`classifier.plugins._gazetteer`), the
    reading of roles (:mod:`classifier.plugins._roles_read`) and, here, the data file, the hook
    and the per-article memory of actors.
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
                self.cues[lang]["target_clause"] = (  # optional: defaults to ``clause``
                    memo.code.compile(table["target_clause"], _I) if "target_clause" in table
                    else self.cues[lang]["clause"])
                self.cues[lang]["ends_on"] = (  # optional: the English default below
                    memo.code.compile(table["ends_on"], _I) if "ends_on" in table else ENDS_ON)
                preps = table.get("np_preps", {})
                self.cues[lang]["np_preps"] = {
                    action: memo.code.compile(
                        r"\W{0,3}(?:[\w$%€£₱.,'’-]+\s+){0," + ("6" if action == "rewards" else "2")
                        + r"}?\b(?:" + words + r")\s+", _I)
                    for action, words in preps.items()}
                self.cues[lang]["far_preps"] = {
                    action: (memo.code.compile(r"\b(" + words + r")\s+", _I),
                             tuple(words.casefold().split("|")))
                    for action, words in table.get("far_preps", {}).items()}
            except regex.error as exc:
                raise ConfigError(f"{self.path}: [cues.{lang}]: bad regex: {exc}") from exc
        if "en" not in self.cues:
            raise ConfigError(f"{self.path}: no [cues.en] table (the fallback language)")
        self._load_names(data, memo.code.compile)
        # per language, a case-sensitive name -> the entity it means there ("EU" in Spanish)
        self._lang_aliases: dict[str, dict[str, Entity]] = {}
        for lang, table in data.get("lang_aliases", {}).items():
            for alias, name in table.items():
                found = self._ci.get(self._key(name, False))
                if found is None or found[0] is None:
                    raise ConfigError(f"{self.path}: [lang_aliases.{lang}] {alias!r}: no entity "
                                      f"named {name!r}")
                self._lang_aliases.setdefault(lang, {})[alias] = found[0]
        # Per-article state, per thread: (the Article object of the classify call, its value).
        # Keyed by the object, not its text: the engine makes one Article per call, so the same
        # text classified twice starts afresh (output must not depend on what ran before), and
        # threads sharing this plugin never see each other's article.
        self._local = threading.local()
        memo.save()

    # -- the hook -----------------------------------------------------------------------------

    @hookimpl
    def policy_classifier_refine_tags(
        self, sentence: Sentence, tags: Sequence[Tag], article: Article
    ) -> list[Tag]:
        """Fill actor, target and destination where the plugin is sure and nobody set them yet.

        A tag with no actor in its sentence takes the article's actor for that action (the
        state its other sentences name most as the actor, else the state the article names
        most as a subject): news names the actor once and then writes "the military said it
        struck", "el Gobierno", "the strikes".
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
                found = self._mentions_in(sentence.text, article.lang)
            actor, target, destination = self.find_roles(sentence.text, start, end, tag.action,
                                                         article.lang, found)
            memory = self._memory(article)
            if tag.action == "extradition" and actor is not None and actor == (
                    destination or self._article_receiving(article)):
                actor = None  # the receiving state ("India got custody of X"): not who sends
            if actor is not None:
                seen = memory.setdefault(tag.action, {})
                seen[actor] = seen.get(actor, 0) + 1
            if destination is not None:
                memory.setdefault("to", {})[destination] = 1
            if tag.action == "extradition" and destination is None and not tag.destination:
                receiving = self._article_receiving(article)  # "He is fighting extradition"
                if receiving is not None and receiving != (actor or tag.actor):
                    destination = receiving
            if actor is None and not tag.actor:
                skip = {destination, *memory.get("to", ())} if tag.action == "extradition" \
                    else {destination}
                skip |= _SELDOM_ACTS.get(tag.action, set())  # "the army": not the UN's
                seen = {k: v for k, v in memory.get(tag.action, {}).items() if k not in skip}
                actor = max(seen, key=seen.__getitem__) if seen else self._article_actor(
                    article, tag.action, skip)
                if actor is not None and target == actor:
                    target = None
            out.append(replaced(tag, actor=tag.actor or actor, target=tag.target or target,
                               destination=tag.destination or destination))
        return out

    def _mentions_in(self, text: str, lang: str) -> list[Mention]:
        """The gazetteer's mentions, with the names that mean another entity in ``lang``."""
        found = self.mentions(text)
        table = self._lang_aliases.get(lang)
        if not table:
            return found
        return [Mention(m.start, m.end, table[text[m.start:m.end]], m.demonym)
                if text[m.start:m.end] in table else m for m in found]

    def _article_state(self, article: Article) -> dict[str, Any]:
        """This thread's facts about the article being classified, started afresh when another
        article begins: the actors its sentences named so far, its ranked actors, its
        receiving state and its gazetteer mentions, each computed once."""
        state = getattr(self._local, "state", None)
        if state is None or state[0] is not article:
            state = self._local.state = (article, {})
        return state[1]

    def _memory(self, article: Article) -> dict[str, dict[str, int]]:
        """Per action, the actors found so far in this article's sentences."""
        memory: dict[str, dict[str, int]] = self._article_state(article).setdefault("memory", {})
        return memory

    def _article_mentions(self, article: Article) -> list[Mention]:
        """Every gazetteer mention of the whole article (one pass, shared by the readings below)."""
        state = self._article_state(article)
        if "mentions" not in state:
            state["mentions"] = self._mentions_in(article.text, article.lang)
        found: list[Mention] = state["mentions"]
        return found

    def _article_actor(self, article: Article, action: str = "",
                       skip: Collection[str | None] = ()) -> str | None:
        """The state the article most often names as a subject (organs count double, its
        provinces and cities half): whom "the military" or "the department" means, and whom
        "NSW Police" or "the Lahore police" answer to. Computed once per article."""
        state = self._article_state(article)
        if "ranked" in state:
            return next((name for name in state["ranked"][action == "extradition"]
                         if name not in skip), None)
        cue = self.cues.get(article.lang) or self.cues["en"]
        votes: dict[str, float] = {}
        sending: dict[str, float] = {}  # for extradition: not the states things are sent "to"
        for m in self._article_mentions(article):
            place = m.entity.kind == "place"  # "NSW", "Sinaloa": where the story happens
            name = m.entity.country if place else m.actor()
            if name is None:
                continue
            head = article.text[max(0, m.start - 40):m.start]
            weight = 0.3 if cue["prep_before"].search(head) and not cue["of_organ"].search(
                head) else 1.0
            weight *= 2 if m.entity.kind == "organ" else 0.5 if place else 1
            votes[name] = votes.get(name, 0.0) + weight
            sending[name] = sending.get(name, 0.0) + (0 if cue["to"].search(head) else weight)
        ranked = (sorted(votes, key=lambda k: -votes[k]), sorted(sending, key=lambda k: -sending[k]))
        state["ranked"] = ranked
        return next((name for name in ranked[action == "extradition"] if name not in skip), None)

    def _article_receiving(self, article: Article) -> str | None:
        """The state the article's explicit extradition sentences send people to ("extradited
        to the United States", "wanted by India", "entregado a España"), for the sentences that
        do not say it ("He has been fighting extradition"). Computed once per article."""
        state = self._article_state(article)
        if "receiving" in state:
            receiving: str | None = state["receiving"]
            return receiving
        cue = self.cues.get(article.lang) or self.cues["en"]
        text = article.text
        votes: dict[str, int] = {}
        for m in self._article_mentions(article):
            name = m.actor()
            if name is None or m.entity.kind == "organisation":
                continue
            head = text[max(0, m.start - 60):m.start]
            if (cue["to"].search(head) or cue["requester"].search(head)) and _HANDOVER.search(
                    text, max(0, m.start - 140), m.start):
                votes[name] = votes.get(name, 0) + 1
        best = max(votes, key=votes.__getitem__) if votes else None
        state["receiving"] = best
        return best

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
        lang = example.get("lang", "en")
        got = self.find_roles(text, m.start(), m.start() + len(m.group(1)), example["action"],
                              lang, self._mentions_in(text, lang))
        for key, value in zip(("actor", "target", "destination"), got):
            if key in example and (example[key] or None) != value:
                return f"{key}: expected {example[key] or None!r}, got {value!r} in {text!r}"
        return None


plugin = ActorRefiner()


def find_actor_target(sentence_text: str, start: int, end: int, action: str,
                      lang: str) -> tuple[str | None, str | None]:
    """``(actor, target)`` of the match ``sentence_text[start:end]`` with the built-in gazetteer."""
    return plugin.find(sentence_text, start, end, action, lang)
