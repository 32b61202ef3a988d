"""The actors refiner's reading of roles: who acts, on whom, and where an extradited person goes.

The positional heuristics of :mod:`classifier.plugins.actors` (its docstring lists them, in
order), over the mentions its gazetteer finds and the per-language cue regexes of
``data/actors.toml``.

The readings that stand alone (a phrase after a preposition, a passive's subject, whom a strike
killed, whether a phrase names people...) are functions in :mod:`._roles_clause`; this module
composes them per action and keeps the readings that call one another (the extradition reading
asks the actor reading for the state before a receiving one) and share the clause window.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import regex

from ._gazetteer import _I, Mention, _clean, _state
from ._roles_clause import (
    after_noun,
    after_prep,
    aux_of,
    died_before,
    exempted,
    far_prep,
    object_in,
    sent_to,
    verb_match,
    victims,
    wanted,
    wanted_before,
    weak,
)
from ._roles_lists import apposed, listed_after
from ._roles_person import appositive_end, extradited
from ._roles_phrase import noun_phrase, noun_phrase_back, subject_back
from ._roles_scope import clause_window, invaded, national
from ._roles_speech import object_in_match

# Actions whose nationality adjective names the actor: "Israeli strikes", "Chinese tariffs".
# Not sanctions: "Venezuela sanctions", "Russian sanctions" usually name the target.
NATIONAL_ACTIONS = frozenset({"military", "tariffs"})
_DIRECT = regex.compile(r"\s*(?:[\w'’-]+\s+){0,2}", _I)  # "sanctioned four Tren de Aragua ..."
# the prepositions after a match that introduce its target, per action (``[cues.<lang>.np_preps]``)
_GENITIVE = regex.compile(r"\b(?:de|del)\s+(?:los\s+|las\s+|la\s+|el\s+)?$", _I)
_DUTY = regex.compile(r"\b(?:tariffs?|dut(?:y|ies)|levy|levies|surcharges?|surtax(?:es)?)\b", _I)
# Military: a phrase that names the state's own forces is not their target ("sent troops to
# Ukraine", "enviaron soldados a la frontera"); the place or foe after "to"/"a" is, past a verb
# of purpose ("troops to help fight the Islamic State").
_FORCES = regex.compile(
    r"\b(?:troops|forces|soldiers|personnel|marines|servicemen|service\s+members|commandos|"
    r"jets|warships|warplanes|aircraft|tropas|soldados|militares|efectivos|elementos|marinos|"
    r"uniformados|aviones|buques)$", _I)

_HAVE = regex.compile(r"\b(?:has|have|had|ha|han|hab[íi]a)\s+$", _I)
_PARTICIPLE = regex.compile(r"(?:\w+ed|struck|hit|put|set|sent|shot|won|made|taken|given|laid|"
                           r"\w+(?:ado|ido|to|cho))\b", _I)  # "has [imposed ...]", "ha [impuesto ...]"
# a passive whose agent the match is: "X was sanctioned by [the Treasury]"
_BY_AGENT = regex.compile(
    r"\b(?:is|are|was|were|been|being|fue|fueron|sido|es|son)\s+(?:\w+(?:ly|mente)\s+)?(?:sanctioned|"
    r"designated|targeted|struck|hit|attacked|bombed|shelled|blacklisted|listed|penali[sz]ed|"
    r"punished|extradited|sancionad[oa]s?|designad[oa]s?|atacad[oa]s?|bombardead[oa]s?|"
    r"incluid[oa]s?|extraditad[oa]s?)\s+(?:by|por)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?$", _I)
_LISTED_BEFORE = regex.compile(
    r"(?<=\w)\s+(?:added|placed|put|included|listed|named|incluid[oa]s?|a[ñn]adid[oa]s?|agregad[oa]s?|"
    r"incorporad[oa]s?)\s+(?:to|on|in|a|en)\s+(?:the\s+|its\s+|their\s+|la\s+|su\s+)?(?:[\w.'’-]+\s+){0,3}$", _I)
# the match ends in its own target: "[[duty on onion exports]]" (Spanish: ``ends_on`` cue)
ENDS_ON = regex.compile(r"\b(?:on|against|targeting|covering|contra|sobre)\s+[\w'’.-]+$"
                        r"|\b(?:at|toward|towards)(?:\s+[\w'’.-]+){1,4}$", _I)  # "fired at the border"
_QUOTE = regex.compile(r"[\"“”«»]")
_PLACE_BEFORE = regex.compile(r"\b(?:in|inside|near|across|over|en)\s+$", _I)



class RoleReader:
    """``find`` and ``find_roles`` and their heuristics; a mix-in of
    :class:`~classifier.plugins.actors.ActorRefiner`, which owns the cues and the gazetteer."""

    cues: dict[str, dict[str, Any]]

    mentions: Callable[[str], list[Mention]]  # the Gazetteer mix-in's

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
        reach = 16 if action == "rewards" else 10
        window = clause_window(text, start, end, reach, cue["clause"], cue["predicate"], found)
        lo, hi, near = window.lo, window.hi, window.near
        before, ahead, agents = window.before, window.ahead, window.agents
        actor_m, passive = self._actor(text, start, end, hi, cue, before, agents)
        if actor_m is not None and action != "extradition" and actor_m.end <= start and cue[
                "opinion"].search(text, actor_m.end, start):
            actor_m = None  # "Mexico rejected a U.S. intervention": Mexico judges, others act
        if action in NATIONAL_ACTIONS:  # "Israeli strikes", "ataques estadounidenses"
            actor_m = national(text, start, end, found, lang) or actor_m
        struck = invaded(text, start, end, found) if action == "military" else None
        if struck is not None and actor_m is not None and actor_m.entity == struck.entity:
            actor_m = None  # "the invasion of Ukraine": Ukraine is invaded, not invading
        if cue["target_clause"] is not cue["clause"] and _QUOTE.search(text):
            # the target's own clause (_roles_scope); the two differ only around quotation marks
            window = clause_window(text, start, end, reach, cue["target_clause"], cue["predicate"],
                                   found, look_past=True)
            lo, near, ahead = window.lo, window.near, window.ahead
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
            target = extradited(text, lo, start, end, near, cue, ahead, passive, found)
            if destination == actor:
                destination = None
            return actor, target, destination
        verb = verb_match(text, start, end, cue)  # read once: _target and _phrase_target ask
        target_m = self._target(text, start, end, cue, ahead, actor_m, verb) or passive
        if (action == "sanctions" and actor_m is not None and target_m is None
                and actor_m.entity.kind == "state" and actor_m.end <= start
                and not text[actor_m.end:start].strip() and cue["bare_sanctions"].match(
                    text, start, end)
                and after_prep(text, end, near, action, cue) is None
                and not (verb and object_in(text, start, end, near, cue))):  # "X sanctions Y"
            # "U.S. sanctions on Iran" (actor) but "Washington extended the Venezuela
            # sanctions" (target): with no other clue, leave both empty.
            earlier = [m for m in before if m.end <= actor_m.start]
            other = self._actor(text, start, end, hi, cue, earlier, ())[0]
            actor_m, target_m = other, (actor_m if other else None)
        span = self._phrase_target(text, lo, start, end, near, action, cue, target_m,
                                   passive, actor_m, found, verb)
        if actor_m is not None and span is not None and span[0] <= actor_m.start and \
                actor_m.end <= span[1] and not any(a.end() == actor_m.start for a in cue[
                    "agent"].finditer(text, lo, actor_m.start)):
            # "hit [Venezuelan military sites]": a name inside the target, not "by X", acts not
            outside = [m for m in before if not (span[0] <= m.start and m.end <= span[1])]
            actor_m = self._actor(text, start, end, hi, cue, outside, ())[0]
        span = (struck.start, struck.end) if struck is not None else span
        target = _clean(text[span[0]:appositive_end(text, span[1], found)]) if span else None
        return (actor_m.actor() if actor_m else None), target, None

    # -- the target as written ------------------------------------------------------------------

    def _phrase_target(self, text: str, lo: int, start: int, end: int, near: int, action: str,
                       cue: Mapping[str, Any], target_m: Mention | None,
                       passive: Mention | None, actor_m: Mention | None,
                       found: Sequence[Mention], verb: bool) -> tuple[int, int] | None:
        span: tuple[int, int] | None = None
        if action == "rewards":
            span = wanted(text, end, near, cue, start) or wanted_before(text, lo, start, cue)
        aux = aux_of(text, lo, start, end, cue)
        if span is None and aux is not None:  # "Buildings ... were bombed": the subject
            span = subject_back(text, lo, aux.start(), cue)
            if span is not None and cue["np_skip"].match(text, span[0], span[1]):
                span = None  # "We are considering ...": a pronoun, not a target
        agent = _BY_AGENT.search(text, lo, start) if span is None else None
        if agent is not None:  # "X fue sancionado por [la OFAC]": the match is the agent
            span = subject_back(text, lo, agent.start(), cue)
        if span is None:  # "Dodik has been under US sanctions", "Cuba [remains on the list]"
            frame = cue["subject_frame"].search(text, max(0, start - 60), start)
            if frame is not None and _HAVE.search(frame.group()) and (cue["verb_in"].match(
                    text, start, end) or _PARTICIPLE.match(text, start, end)):
                frame = None  # "X has [seized a vessel]": an auxiliary, the object follows
            frame = frame or cue["subject_lead"].match(text, start, end)
            span = subject_back(text, lo, frame.start(), cue) if frame is not None else None
            if span is not None and cue["np_skip"].match(text, span[0], span[1]):
                span = None
        if span is None and action == "military":  # "Four fighters died in the raid"
            span = died_before(text, lo, start, end, cue)
        listed = _LISTED_BEFORE.search(text, lo, start) if span is None and action == "sanctions" \
            else None
        if listed is not None:  # "The Chinese firms added to the [Entity List]"
            span = noun_phrase_back(text, lo, listed.start(), cue)
        if span is None:
            span = object_in(text, start, end, near, cue)
        aimed = False  # a phrase a verb aims the measure at: kept even if it names the actor
        if span is None and action in ("sanctions", "tariffs"):
            span = exempted(text, lo, start, end, cue) or exempted(
                text, lo, start, end, cue, "aim_before", "aim_after") or (exempted(
                    text, lo, start, end, cue, "list_before", "list_after")
                    if action == "sanctions" else None)  # not "add duties to X"
            aimed = span is not None
        if span is None and not verb:
            span = after_noun(text, lo, start, end, cue)
        if span is None and verb:
            lead = cue["object_lead"].match(text, end, near)
            span = noun_phrase(text, lead.end() if lead else end, near, cue)
            if span is not None and (cue["np_skip"].match(text, span[0], span[1]) or (
                    cue["np_verb"].match(text, span[0], span[1]) and not text[span[0]].isupper()
                    and not cue["np_verb"].search(text, start, end))):
                span = None  # "the strikes hit an airfield": a noun match, then its verb
        if span is None:
            inner = after_prep(text, start, near, action, cue)  # "[[duty on onion exports]]"
            span = inner if inner is not None and cue["ends_on"].search(text, start, end) else (
                after_prep(text, end, near, action, cue) or inner)  # "[[tariffs on Mexico]] to"
        if span is None and action == "military":  # "the airstrike killed 13 fighters"
            span = victims(text, lo, start, end, cue)
        if span is None and action == "sanctions":  # "the list includes X"; "X — listed as"
            span = listed_after(text, end, near, cue, start) or apposed(text, start, end, cue)
        if span is None and action == "tariffs":  # "steel tariffs", "[[steel tariff]]"
            noun = _DUTY.search(text, start, end)
            pre = cue["np_pre"].search(text, lo, noun.start() if noun else start)
            head = pre.group(1).split()[0] if pre else ""
            if pre and not (cue["np_verb"].fullmatch(head) or head.endswith(("ing", "es"))):
                span = pre.span(1)  # not a verb: "imposed tariffs", "slapping duties"
        if span is None and target_m is not None and target_m is not passive:
            limit = start if target_m.start < start else near  # "the Venezuela sanctions"
            span = noun_phrase(text, target_m.start, limit, cue) or (target_m.start, target_m.end)
        if span is None and passive is not None:  # ``aux`` as read above
            span = noun_phrase_back(text, lo, aux.start(), cue) if aux else None
            span = span or (passive.start, passive.end)
        if span is not None and action == "military" and _FORCES.search(text, span[0], span[1]):
            span = sent_to(text, span[1], cue) or span  # "sent troops to Ukraine"
        if span is None or weak(text, span, cue):
            span = far_prep(text, end, near, action, cue)
        elif action == "military" and _PLACE_BEFORE.search(text, max(0, span[0] - 8), span[0]):
            foe = far_prep(text, end, near, action, cue, strongest=1)
            span = foe or span  # "strikes in northern Iraq against PKK positions": the foe
        if span is None:
            return None
        if actor_m is not None and actor_m.start >= span[0] and actor_m.end <= span[1] and \
                not text[span[0]:actor_m.start].strip() and not text[actor_m.end:span[1]].strip() \
                and not aimed:
            return None  # the phrase is the actor's own name ("designated Iran as": not that)
        return span

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
            object_of = cue["prep_before"].search(head) and not cue["of_organ"].search(head) or (
                cue["exempt_before"].search(head[-16:]) is not None)  # "granted Hungary"
            if not modifier and (object_of or cue["source"].search(head)) or object_in_match(
                    text, start, m, cue):
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
        requests = list(cue["request"].finditer(text, lo, end))
        request = requests[-1] if requests else None  # the last request verb before the match's end
        if request is not None:  # "X solicitó a Y la extradición": Y hands over, X receives
            requester = next((m for m in sorted(before, key=lambda m: -m.start)
                              if m.end <= request.start() and m.actor()), None)
            asked = next((m for m in before if request.end() <= m.start and m.end <= end
                          and m.actor() and m.entity.kind != "organisation"), None)
            if asked is not None and receiving is not None and (
                    receiving.start, receiving.end) == (asked.start, asked.end):
                receiving = None  # "solicitó a Chile": asked, not sent to
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
                ahead: Sequence[Mention], actor: Mention | None,
                verb: bool) -> Mention | None:
        """The first entity after a target preposition, or the direct object of a verb match
        (``verb``: :func:`verb_match` of the match, read once by :meth:`find_roles`)."""
        for m in ahead:
            if actor is not None and (m.start, m.end) == (actor.start, actor.end):
                continue
            head = text[max(start, m.start - 60):m.start]
            if cue["target_prep"].search(head) and not any(  # not "by X": the full text, so
                    a.end() == m.start for a in cue["agent"].finditer(  # look-behinds see
                        text, max(start, m.start - 60), m.start)):  # what comes before
                return m
            if verb and _DIRECT.fullmatch(text[end:m.start]):
                return m  # "the Treasury sanctioned Tren de Aragua"
        return None
