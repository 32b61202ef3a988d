"""Whom an extradition sends: the person (or people) extradited, as the sentence writes them.

One reading of :mod:`._roles_read`, kept apart because it is a chain of its own: each way news
names the person ("Nirav Modi's extradition", "X was extradited", "extradited to the US X",
"X has been fighting extradition", "arrested X on an extradition warrant") is tried in turn,
and a phrase is kept only if it can name people (:func:`person_like`). The readings only this
chain uses (the possessor, the resister, the person arrested) live here too.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

import regex

from ._gazetteer import _I, Mention, _clean
from ._roles_clause import (
    after_prep,
    aux_of,
    counted_phrase,
    far_prep,
    object_in,
    past_copula,
    verb_match,
    weak,
)
from ._roles_phrase import noun_phrase, noun_phrase_back, subject_back

_VERB_LIKE = regex.compile(r"[a-z]+(?:ing|ly)")  # "fervently fighting [extradition]"
_OWNER = regex.compile(r"\b(?:his|her|their|its|su|sus)$", regex.IGNORECASE)  # a possessive before

_POSSESSIVE = regex.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}$")  # "Modi’s extradition", "X’s surrender"
_WHOSE = regex.compile(r"\b(?:whose|cuya|cuyas|cuyo|cuyos)\s+(?:[\w-]+\s+){0,2}$", _I)
_COORDINATED = regex.compile(r"(?:^|\s)(?:and|y|e)$", _I)
_FUNCTION_END = regex.compile(r"\b(?:de|del|el|la|las|los|un|una|of|the|a|an|to|para|por|con|en)$", _I)
_INFINITIVE = regex.compile(  # "iniciar el [proceso de extradición]", "evadir la [extradición]"
    r"(?-i:[a-zñ])\w{2,}(?:ar|er|ir)\s+(?:el|la|los|las|un|una|su|sus)\b")
_NUMBER_WORD = regex.compile(
    r"\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds|dos|tres|"
    r"cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|ambos|ambas|decenas|cientos", _I)
_ARTICLES = regex.compile(r"[\W_]*(?:(?:the|a|an|of|and|el|la|los|las|un|una|de|del|y)\b[\W_]*)*", _I)
_WHEN = regex.compile(  # a day between the verb and its object: "extraditó [este martes] a X"
    r"\s*,?\s*(?:(?:este|el|esta|la|on|last|this)\s+)?(?:lunes|martes|mi[ée]rcoles|jueves|viernes|"
    r"s[áa]bado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|ayer|hoy|"
    r"anoche|yesterday|today)\b,?", _I)
_OF_BEFORE = regex.compile(r"(\w+)\s+(?:de|del|of|for)\s+(?:(?:the|el|la|los|las)\s+)?$", _I)


def possessor(text: str, lo: int, start: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The owner named right before the match: "Nirav Modi’s [extradition]", "the
    55-year-old’s [extradition]", "Kim Dotcom's [surrender order]"."""
    mark = _POSSESSIVE.search(text, lo, start)
    span = noun_phrase_back(text, lo, mark.start(), cue) if mark is not None else None
    whose = _WHOSE.search(text, max(0, start - 30), start) if mark is None else None
    if whose is not None:  # "Vijay Mallya, whose extradition", "el capo cuya extradición"
        head = text[:whose.start()].rstrip()
        return noun_phrase_back(text, 0, len(head) - head.endswith(","), cue)
    if span is None:
        return None
    first = span[0]
    for word in regex.finditer(r"\S+", text[span[0]:span[1]]):  # "[ordered] Nirav Modi's"
        if cue["np_verb"].fullmatch(word.group()) or word.group().endswith("ing"):
            first = span[0] + word.end() + 1
        elif word.group().casefold() in ("of", "de", "del"):  # "[appeal denial of] Assange's"
            first = span[0] + word.end() + 1
    return (first, span[1]) if first < span[1] else None


def resister(text: str, lo: int, start: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The subject of a verb the extradited person does to the match ("Guzman has been
    fighting [extradition]", "the Briton won a fight against [extradition]", "se opone a su
    [extradición]"); where the verb is coordinated ("was arrested in 2015 and has been
    fighting"), the clause's own subject."""
    frame = cue["resist_frame"].search(text, max(lo, start - 90), start)
    if frame is None:
        return None
    head = text[lo:frame.start()].rstrip()
    if _COORDINATED.search(head):
        first = regex.search(r"\w", text[lo:frame.start()])
        return noun_phrase(text, lo + first.start(), frame.start(), cue) if first else None
    return subject_back(text, lo, frame.start(), cue)


def arrested(text: str, lo: int, start: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """Whom the clause says was arrested before the match, the person wanted for it ("arrested
    Vijay Mallya on an [extradition request]", "la captura de un guatemalteco con fines de
    [extradición]", "X was detained in Barcelona at the [request] of Washington")."""
    verbs = list(cue["arrest_verb"].finditer(text, lo, start))
    verb = verbs[-1] if verbs else None  # the nearest
    if verb is not None:
        span = noun_phrase(text, verb.end(), start, cue)
        if span is not None:
            return span
    passive = cue["arrest_passive"].search(text, lo, start)
    return subject_back(text, lo, passive.start(), cue) if passive is not None else None


def person_like(text: str, span: tuple[int, int], cue: Mapping[str, Any],
                 found: Sequence[Mention]) -> bool:
    """Whether a phrase can name the people extradited: not a charge, a date, a document
    or a body (``not_person``: "charges of fraud", "July 11", "the Foreign Ministry"),
    not the states alone ("the United States")."""
    if cue["not_person"].match(text, span[0], span[1]) or weak(text, span, cue):
        return False
    if _FUNCTION_END.search(text, span[0], span[1]) or _INFINITIVE.match(text, span[0], span[1]):
        return False  # "la posibilidad de", "enfrentar el": a phrase cut short, no one named
    if cue["person_noun"].search(text, span[0], span[1]):
        return True  # "(narcotráfico) del exgeneral venezolano X"
    if " " not in text[span[0]:span[1]].strip() and text[span[0]].islower() and not (
            _NUMBER_WORD.fullmatch(text, span[0], span[1])
            or any(m.start <= span[0] and span[1] <= m.end for m in found)):
        return False  # one common word ("modo", "origen") names no one; "three", "hondureño" may
    crime = _OF_BEFORE.search(text, max(0, span[0] - 40), span[0])
    if crime is not None and cue["crime"].fullmatch(crime.group(1)):
        return False  # "por tráfico de [drogas]", "charges of [fraud]"
    rest = text[span[0]:span[1]]
    for m in found:
        if span[0] <= m.start and m.end <= span[1] and m.actor() and not m.entity.person:
            rest = rest.replace(text[m.start:m.end], " ")
    return _ARTICLES.fullmatch(rest) is None  # "Los dos" is people, "the" is not



_APPOSITIVE = regex.compile(  # ", Mauricio López Bonilla", ", alias “Pancho”", " (alias Fito)"
    r",\s+(?:(?:alias|a\.k\.a\.?)\s+[“\"‘']?[\w'’.-]+(?:\s+[\w'’.-]+){0,2}[”\"’']?"
    r"|(?-i:[A-ZÁÉÍÓÚÑ])[\w'’.-]+(?:\s+(?:de\s+la\s+|de\s+|del\s+|y\s+)?(?-i:[A-ZÁÉÍÓÚÑ])[\w'’.-]+)"
    r"{1,4}(?:\s*\((?:alias|a\.k\.a\.?)[^()]{1,30}\)|,\s+(?:alias|a\.k\.a\.?)\s+[“\"‘']?"
    r"[\w'’.-]+(?:\s+[\w'’.-]+){0,2}[”\"’']?)?)(?=[\s,.;:)]|$)", regex.IGNORECASE)


def appositive_end(text: str, end: int, found: Sequence[Mention]) -> int:
    """Where the person's phrase ends once a name set off after it is included: "del exministro
    de Gobernación, [Mauricio López Bonilla]", "el presunto capo, [alias Chamalé]" (not a state's
    name: "..., Estados Unidos")."""
    m = _APPOSITIVE.match(text, end)
    if m is None or any(f.start == m.start() + len(m.group()) - len(m.group().lstrip(", "))
                        and f.actor() and not f.entity.person for f in found):
        return end
    return m.end()


def extradited(text: str, lo: int, start: int, end: int, near: int, cue: Mapping[str, Any],
               ahead: Sequence[Mention], passive: Mention | None, found: Sequence[Mention]
               ) -> str | None:
    """The person (or people) extradited, as written. Each reading below is tried in turn and
    its phrase kept only if it can name people (:func:`person_like`): "charges
    of fraud", "the treaty", "July 11" or the Foreign Ministry are never the person."""
    aux = aux_of(text, lo, start, end, cue)

    def readings() -> Iterator[tuple[int, int] | None]:
        yield possessor(text, lo, start, cue)  # "Nirav Modi's extradition"
        yield subject_back(text, lo, aux.start(), cue) if aux else None  # "X was extradited"
        yield object_in(text, start, end, near, cue)  # "sent 26 fugitives to Y"
        if cue["verb_end"].search(text, start, end):  # "extradited (to Y) X"
            pos = end
            pos = past_copula(text, pos, near)
            for _ in range(3):  # "extraditó este martes a [Estados Unidos] a [X]"
                when = _WHEN.match(text, pos, near)
                pos = when.end() if when else pos
                lead = cue["object_lead"].match(text, pos, near)
                span = counted_phrase(text, lead.end() if lead else pos, near, cue)
                yield span
                if span is None:
                    break
                pos = span[1]
        yield after_prep(text, end, near, "extradition", cue)  # "the extradition of X"
        if not verb_match(text, start, end, cue):  # not "agreed to extradite him"
            yield resister(text, lo, start, cue)  # "X has been fighting extradition"
        yield arrested(text, lo, start, cue)  # "arrested X on an extradition warrant"
        yield far_prep(text, end, near, "extradition", cue,  # "a EE.UU. de X"
                       accept=lambda span: person_like(text, span, cue, found))
        back = noun_phrase_back(text, lo, start, cue) if aux is None else None
        verb = next((w for w in regex.finditer(r"\S+", text[back[0]:back[1]])
                     if cue["np_verb"].fullmatch(w.group()) or _VERB_LIKE.fullmatch(w.group())),
                    None) if back else None
        if back is not None and verb is not None:  # "Guzman [fought] extradition"
            back = (back[0], back[0] + verb.start()) if verb.start() else None
        if back is not None and _OWNER.search(text, back[0], back[1]):
            back = None  # "staying his [extradition]": the owner is named elsewhere
        if back is not None and text[back[0]:back[1]].strip() and not any(
                m.actor() and not m.demonym and not m.entity.person
                and back[0] <= m.start < back[1] for m in found):
            yield back  # "Otoniel extradited to US" (a headline), not "Mexico rejected"

    for span in readings():
        lead = next((m for m in found if span is not None and m.start == span[0]
                     and m.actor() and not m.entity.person), None)
        if lead is not None and span is not None:  # "a [Estados Unidos] alias Otoniel"
            span = (span[1] - len(text[lead.end:span[1]].lstrip()), span[1])
        if span is not None and span[1] > span[0] and person_like(text, span, cue, found):
            return _clean(text[span[0]:appositive_end(text, span[1], found)])
    person = next((m for m in ahead if not m.demonym and not m.actor()
                   and m.entity.kind != "place"), None)
    group = person or (passive if passive is not None and not passive.actor() else None)
    return group.target() if group else None
