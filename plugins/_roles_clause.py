"""The clause-level readings of roles that stand alone: a phrase after the action's
preposition, the object of a verb in the match, the subject a passive names, the party spared a
measure, whom a strike killed or who died in it, the wanted person of a reward. The readings of
the person extradited (possessor, resister, arrested, whether a phrase names people) are in
:mod:`._roles_person`.

Each is a function of the sentence, the match and the per-language cues of ``data/actors.toml``
(no state), so :mod:`classifier.plugins._roles_read` composes them per action and stays short
enough to read at once.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import regex

from ._gazetteer import _I
from ._roles_phrase import noun_phrase, noun_phrase_back

# Military: where forces are sent, or whom they fight ("troops to help fight in Ukraine").
_SENT_TO = regex.compile(
    r"\s*(?:to|into|toward|towards|a|al|hacia)\s+(?:(?:help\s+|ayudar\s+a\s+)?(?:fight|combat|"
    r"battle|counter|confront|drive\s+back|combatir|luchar|enfrentar)\s+)?(?:in|against|en|contra)?"
    r"\s*", _I)
# Military: the people or things a strike kills or destroys are its target: "the airstrike
# killed 13 fighters", "army kills 40 militants", "had killed 15 militants in air strikes",
# "seven militants were killed in the raid", "mató a seis presuntos sicarios".
_KILL = (r"(?:kill(?:s|ed|ing)?|claim(?:s|ed|ing)?\s+the\s+lives\s+of|eliminat(?:e|es|ed|ing)|"
         r"neutrali[sz](?:e|es|ed|ing)|cobr(?:ó|aron)\s+la\s+vida\s+(?:de|a)|"
         r"(?:took|take|takes|taking)\s+out|spann(?:ed|ing)|spans|hit|hits|struck|"
         r"target(?:s|ed)|damag(?:es|ed)|wip(?:ed|ing)\s+out|(?:were|was)\s+launched\s+(?:on|at|against)|"
         r"alcanz(?:ó|aron)|impact(?:ó|aron)\s+(?:en|contra)|golpe(?:ó|aron)|dañ(?:ó|aron)|"
         r"tuv(?:o|ieron)\s+como\s+(?:objetivo|blanco)|(?:fue|fueron)\s+lanzad[oa]s\s+(?:contra|sobre)|"
         r"dismantl(?:ed|es|ing)|(?:designed|meant|aimed)\s+to\s+(?:erode|dismantle|degrade|destroy)|"
         r"(?:took|taken|take|takes|taking)\s+back\s+control\s+of|retook|regained\s+control\s+of|"
         r"destroy(?:s|ed|ing)?|mat(?:ó|aron|ando)|abati(?:ó|eron|endo)|elimin(?:ó|aron|ando)|"
         r"destruy(?:ó|eron|endo)|neutraliz(?:ó|aron|ando))")
_KILL_AFTER = regex.compile(r"\W{0,3}(?:[\w'’.-]+\W{1,3}){0,6}?" + _KILL +
                            r"[\"”’']?\s+(?:al\s+menos\s+)?(?:a\s+|al\s+)?", _I)
_KILL_BEFORE = regex.compile(r"\b" + _KILL + r"\s+(?:a\s+|al\s+)?(?=(?:[\w'’.,-]+\s+){1,9}?"
                             r"(?:in|during|with|by|through|en|durante|con|mediante)\s+"
                             r"(?:[\w'’-]+\s+){0,3}$)", _I)
_KILLED_BEFORE = regex.compile(
    r"\b(?:was|were|been|be|fue|fueron)\s+(?:\w+ly\s+|\w+mente\s+|also\s+|también\s+)?[\"“]?(?:killed|eliminated|"
    r"neutrali[sz]ed|destroyed|abatid[oa]s?|asesinad[oa]s?|destruid[oa]s?|eliminad[oa]s?|"
    r"neutralizad[oa]s?)[\"”]?\s+(?:[\w'’-]+\s+){0,5}?(?:in|during|by|en|durante|por)\s+"
    r"(?:[\w'’-]+\s+){0,3}$", _I)
_DIED_BEFORE = regex.compile(
    r"\b(?:died|(?:were|was)\s+(?:also\s+)?killed|(?:were|was)\s+among\s+(?:those|the\s+\w+)\s+killed|"
    r"murieron|muri[óo]|fallecieron|falleci[óo]|"
    r"perdieron\s+la\s+vida|resultaron\s+muertos)\s+(?:[\w'’,.-]+\s+){0,8}?(?:in|during|en|durante)"
    r"\s+(?:[\w'’-]+\s+){0,3}$", _I)
# verbs that follow a purpose "to" in news ("to join", "to curb"): the phrase is no target
_PURPOSE = regex.compile(
    r"(?:join|help|curb|stop|prevent|combat|fight|force|push|pressure|protect|boost|reduce|end|"
    r"avoid|counter|address|support|secure|ensure|make|take|keep|bring|allow|deter|tackle|discuss|"
    r"negotiate|pay|comply|cooperate|crack|halt|limit|restrict|punish|retaliate|respond|increase|"
    r"raise|cut|lower|impose|lift|ease|face|seek|find|hold|get|give|put|set|start|continue|"
    r"maintain|defend|destroy|capture|arrest|disrupt|dismantle|weaken|isolate|block|ban)\b", _I)
_STRUCK_AT = regex.compile(r"\s*(?:[\w'’-]+\s+){0,2}?(?:on|against|at|contra|sobre)\s", _I)
_QUANTITY = regex.compile(r"(?:more\s+than|at\s+least|over|nearly|almost|about|around|up\s+to|"
                           r"m[áa]s\s+de|al\s+menos|cerca\s+de|unos|unas)\s+(?=\d|\w+\s)", _I)
_AT_LEAST = regex.compile(r"\b(?:al|at)\s+(?:menos|least)\b", _I)
_NOT_VICTIM = regex.compile(r"(?:and|y|or|o)\b.*|\d[\d.,]*", _I)  # "and several injured", "19"
_PRONOUN = regex.compile(r"(?:it|they|them|he|she|its|their|his|her|we|us|su|sus|ellos|ellas)\b", _I)
_RATE = regex.compile(
    r"\s*(?:,\s*)?(?:of|de|del)\s+(?:entre\s+|hasta\s+|up\s+to\s+|between\s+)?(?:el\s+|un\s+|a\s+)?"
    r"\d[\d.,]*\s*(?:%|por\s*ciento|percent|per\s+cent)(?:\s+(?:y|a|and|to)\s+(?:el\s+)?\d[\d.,]*\s*"
    r"(?:%|por\s*ciento|percent|per\s+cent))?", _I)
_COPULA = regex.compile(r"\s*(?:figuran|figuraban|se\s+encuentran|est[áa]n?|estaban|son|eran|corresponden\s+a|"
                        r"aparecen|destacan|se\s+incluyen|hay|are|were|is|was|include[sd]?)"
                        r"(?:\s+(?:también|además|ya|also))?\s+", _I)
_FAR_CHARS = 160  # how far past the match a target preposition is looked for


def past_copula(text: str, pos: int, near: int) -> int:
    """Past a copula that introduces a list: "Entre los extraditados [figuran] X"."""
    copula = _COPULA.match(text, pos, near)
    return copula.end() if copula else pos


def counted_phrase(text: str, pos: int, limit: int, cue: Mapping[str, Any]
                   ) -> tuple[int, int] | None:
    """The noun phrase at ``pos``, with a count before it kept: "(more than) 50 cartel
    members", "(al menos) 20 personas" (``noun_phrase`` stops at "than")."""
    quantity = _QUANTITY.match(text, pos, limit)
    span = noun_phrase(text, quantity.end() if quantity else pos, limit, cue)
    return (pos, span[1]) if quantity and span is not None else span


def weak(text: str, span: tuple[int, int], cue: Mapping[str, Any]) -> bool:
    """A phrase that is never a target: "sanctions [action]", "a [total] tariff"."""
    return cue["np_weak"].fullmatch(text, span[0], span[1]) is not None


def after_prep(text: str, end: int, near: int, action: str,
                cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The target after the action's preposition ("tariffs on Chinese steel")."""
    preps = cue["np_preps"].get(action) or cue["np_preps"].get("*")
    if preps is None:
        return None
    pos = end
    for _ in range(3):
        m = preps.match(text, pos, near)
        if m is None:
            rate = _RATE.match(text, pos, near)  # "aranceles de entre el 4,9% y el 19,8% a X"
            if rate is None:
                return None
            pos = rate.end()
            continue
        np = noun_phrase(text, m.end(), near, cue)
        if np is not None and not cue["np_skip"].match(text, np[0], np[1]):
            return np
        pos = m.end()
    return None



def after_noun(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any]
                ) -> tuple[int, int] | None:
    """A noun match as a subject whose verb names the target ("the measures will target
    imports of LNG"), or an inverted list ("Among those sanctioned are X", "Entre los
    sancionados figuran X")."""
    stop = cue["clause"].search(text, end)
    hi = stop.start() if stop else len(text)
    verb = cue["then_verb"].match(text, end, hi)
    if verb is None and cue["inverted_lead"].search(text, lo, start):
        verb = cue["inverted_verb"].match(text, end, hi)
    if verb is None:
        return None
    span = noun_phrase(text, verb.end(), hi, cue)
    if span is None or cue["np_skip"].match(text, span[0], span[1]) or weak(text, span, cue):
        return None
    return span



def exempted(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any],
             verb: str = "exempt_before", after: str = "exempt_after") -> tuple[int, int] | None:
    """The party a verb before the match names: spared a measure ("exempted car makers from
    the tariffs", "grant Hungary an exemption from sanctions", "exceptuar a la Argentina de
    los aranceles"), or aimed at (``aim_before``/``aim_after``: "target Iranian officials
    with new sanctions", "declaring Boko Haram a Foreign Terrorist Organisation")."""
    verbs = list(cue[verb].finditer(text, max(lo, start - 120), end))
    if not verbs:
        return None
    tail = cue[after].search(text, verbs[-1].end(), end)
    if tail is None or len(text[verbs[-1].end():tail.start()].split()) > 8:
        return None
    span = noun_phrase(text, verbs[-1].end(), tail.start(), cue)
    if span is None or cue["np_skip"].match(text, span[0], span[1]):
        return None
    return span



def verb_match(text: str, start: int, end: int, cue: Mapping[str, Any]) -> bool:
    """Whether the match ends in a verb that takes the target as its object: "the Treasury
    sanctions four firms", but not "this sanctions action" or "the strikes campaign"."""
    if not cue["verb_end"].search(text, start, end):
        return False
    noun = cue["ambiguous_end"].search(text, start, end)
    return noun is None or cue["verb_subject"].search(
        text, max(0, noun.start() - 40), noun.start()) is not None



def far_prep(text: str, end: int, near: int, action: str, cue: Mapping[str, Any],
              strongest: int | None = None,
              accept: Callable[[tuple[int, int]], bool] | None = None
              ) -> tuple[int, int] | None:
    """The target further on in the clause, after the action's preposition: "duties of up
    to 20% will be imposed on X", "strikes between 9 and 10 GMT against X". The
    prepositions are tried in their order of ``far_preps`` (a foe before a place)."""
    entry = cue["far_preps"].get(action)
    if entry is None:
        return None
    far, words = entry
    limit = min(near, end + _FAR_CHARS)
    best: tuple[int, int, tuple[int, int]] | None = None  # (rank of the word, offset, span)
    for m in far.finditer(text, end, limit):
        word = m.group(1).casefold()
        if word == "to" and _PURPOSE.match(text, m.end(), limit):
            continue  # "pushed Mexico to [join] initiatives": an infinitive, not a place
        span = noun_phrase(text, m.end(), limit, cue)
        if span is None or cue["np_skip"].match(text, span[0], span[1]) or weak(
                text, span, cue) or (accept is not None and not accept(span)):
            continue
        rank = words.index(word) if word in words else len(words)
        if strongest is not None and rank >= strongest:
            continue  # only the first words of the list: a foe, not a place
        if best is None or rank < best[0]:
            best = (rank, m.start(), span)
    return best[2] if best else None



def sent_to(text: str, pos: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where forces are sent, or whom they fight: "troops to (help fight in) Ukraine"."""
    for _ in range(2):
        m = _SENT_TO.match(text, pos)
        if m is None or m.end() == pos:
            return None
        span = noun_phrase(text, m.end(), len(text), cue)
        if span is None:
            return None
        if not cue["np_skip"].match(text, span[0], span[1]):
            return span
        pos = span[1]  # "to his country to help fight X"
    return None



def victims(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any]
             ) -> tuple[int, int] | None:
    """Military: whom or what the strike killed or destroyed, next to the match."""
    span: tuple[int, int] | None = None
    after = _KILL_AFTER.match(text, start)
    if after is None and end > start:
        after = _KILL_AFTER.match(text, end)
    if after is not None:
        span = noun_phrase(text, after.end(), len(text), cue)
    if span is None:
        before = list(_KILL_BEFORE.finditer(text, lo, start))
        if before:
            span = noun_phrase(text, before[-1].end(), start, cue)
    if span is None:
        passive = _KILLED_BEFORE.search(text, lo, start)
        if passive is not None:
            span = noun_phrase_back(text, lo, passive.start(), cue)
    if span is None or _PRONOUN.match(text, span[0], span[1]) or _NOT_VICTIM.fullmatch(
            text, span[0], span[1]):
        return None
    return span



def died_before(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any]
                ) -> tuple[int, int] | None:
    """Military: the people the clause says died in the strike, named before it: "Four
    guerrillas died in an [air raid]", "al menos quince insurgentes fallecieron en seis
    [ataques con drones]"."""
    if _STRUCK_AT.match(text, end):
        return None  # "died in an airstrike on a family home": the home is what was struck
    killed = list(_KILL_BEFORE.finditer(text, lo, start))
    if killed:  # "the forces killed (more than) 40 militants in [airstrikes]"
        span = counted_phrase(text, killed[-1].end(), start, cue)
        if span is not None and not _NOT_VICTIM.fullmatch(text, span[0], span[1]):
            return span
    died = _DIED_BEFORE.search(text, lo, start)
    if died is None:
        return None
    span = noun_phrase_back(text, lo, died.start(), cue)
    if span is None or _PRONOUN.match(text, span[0], span[1]) or _NOT_VICTIM.fullmatch(
            text, span[0], span[1]):
        return None
    least = _AT_LEAST.search(text, max(lo, span[0] - 4), span[0] + 6)
    return (least.start(), span[1]) if least is not None else span  # "[Al] menos 19"


def aux_of(text: str, lo: int, start: int, end: int, cue: Mapping[str, Any]) -> Any:
    """The auxiliary of a passive match ("was extradited"), not of a progressive one
    ("is slapping tariffs")."""
    if cue["active_start"].match(text, start, end):
        return None
    return cue["aux_before"].search(text, lo, start) or cue["aux_in"].match(text, start, end)



def _headed_by(text: str, span: tuple[int, int], noun: Any) -> bool:
    """Whether ``span`` is a noun phrase headed by the verb-shaped object noun ``noun``, with a
    modifier of its own before it: "striking [PKK targets]" (not "targeted [financial
    sanctions]", an action noun, nor "intercepted [and downed]")."""
    before = text[span[0]:noun.start()].strip()
    return (span[1] >= noun.end() and bool(before) and not _CONJUNCTION.fullmatch(before)
            and _OBJECT_NOUN.fullmatch(noun.group()) is not None)


_CONJUNCTION = regex.compile(r"(?:and|or|y|e|o|ni)", regex.IGNORECASE)
# verb-shaped words that head an object ("PKK targets"), unlike action nouns ("sanctions")
_OBJECT_NOUN = regex.compile(r"targets?", regex.IGNORECASE)


def object_in(text: str, start: int, end: int, near: int, cue: Mapping[str, Any]
               ) -> tuple[int, int] | None:
    """The object of a verb inside the match: "sent 26 fugitives", "bombs a rebel camp",
    "striking PKK targets" (the last verb-shaped word, "targets", is the object's head)."""
    verbs = list(cue["verb_in"].finditer(text, start, end))
    for k in range(len(verbs) - 1, -1, -1):
        pos = verbs[k].end()
        copula = _COPULA.match(text, pos, near)  # "Entre los sancionados [figuran] X"
        lead = cue["object_lead"].match(text, copula.end() if copula else pos, near)
        span = noun_phrase(text, lead.end() if lead else copula.end() if copula else pos, near,
                           cue)
        if span is None:
            continue  # nothing after this verb-shaped word: the one before may be the verb
        if k < len(verbs) - 1 and not _headed_by(text, span, verbs[k + 1]):
            return None  # "[targeted sanctions]", "intercepted and downed": no object here
        if cue["np_skip"].match(text, span[0], span[1]) or (cue["np_verb"].match(
                text, span[0], span[1]) and not text[span[0]].isupper()):
            return None  # "the strikes hit an airfield": a noun, then its own verb
        return span
    return None



def wanted(text: str, end: int, near: int, cue: Mapping[str, Any],
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



def wanted_before(text: str, lo: int, start: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The wanted person named before the reward: "For the capture of X there was a [reward]",
    "por la captura de X existía una [recompensa]"."""
    found = list(cue["wanted"].finditer(text, lo, start))
    return noun_phrase(text, found[-1].end(), start, cue) if found else None


