"""Whom a sanctions listing names when the match does not: the parties the measure "includes"
or "targets" right after it, and the party a listing participle describes ("the PKK — listed
as a terrorist organization by Turkey"). Part of :mod:`._roles_read`; kept apart as the
readings only sanctions use.
"""

from __future__ import annotations

from typing import Any, Mapping

import regex

from ._gazetteer import _I
from ._roles_phrase import noun_phrase, noun_phrase_back

_LISTS_AFTER = regex.compile(  # "the list includes X", "the countermeasures target X"
    r"\W{0,3}(?:[\w'’.-]+\W{1,3}){0,4}?(?:includ(?:e|es|ed)|list(?:s|ed)|target(?:s|ed)|"
    r"cover(?:s|ed)|affect(?:s|ed)|incluy(?:e|en|ó|eron)|afect(?:a|an|ó|aron)|"
    r"alcanz(?:a|an|ó|aron)|(?:en\s+(?:la|el)\s+que|donde)\s+(?:tambi[ée]n\s+|ya\s+)?(?:figuran|"
    r"aparecen|est[áa]n|se\s+encuentran))\s+(?:currently\s+|now\s+|also\s+|primarily\s+|a\s+|al\s+)?",
    _I)
_APPOSED = regex.compile(  # "the PKK — [listed as a terrorist organization] by Turkey"
    r"(?:—|–|,)\s*(?:(?:which|who|que)\s+(?:is|are|was|were|has\s+been|have\s+been|es|son|fue|"
    r"fueron|ha\s+sido|han\s+sido)\s+)?(?:also\s+|long\s+|officially\s+|tambi[ée]n\s+)?$", _I)
_LISTED_WORD = regex.compile(r"(?:listed|designated|branded|label+ed|sanctioned|blacklisted|"
                             r"designad|catalogad|calificad|sancionad|incluid)", _I)
_ARE_AFTER = regex.compile(r"\s+(?:are|were|include|son|fueron|incluyen)\s*:?\s+", _I)
_LISTED_NOUN = regex.compile(r"(?:companies|firms|entities|individuals|persons|people|officials|"
                             r"targets|banks|cartels|groups|empresas|entidades|personas|"
                             r"funcionarios|c[áa]rteles|grupos|designad[oa]s|sancionad[oa]s)\W*$", _I)


def listed_after(text: str, end: int, near: int, cue: Mapping[str, Any], start: int = 0
                 ) -> tuple[int, int] | None:
    """Sanctions: whom the measure lists, right after the match ("The list currently includes
    233 individuals", "the countermeasures target 20 US companies", "the [sanctioned
    companies] are X")."""
    verb = _LISTS_AFTER.match(text, end, near)
    if verb is None and _LISTED_NOUN.search(text, start, end):
        verb = _ARE_AFTER.match(text, end, near)
    span = noun_phrase(text, verb.end(), near, cue) if verb is not None else None
    return None if span is None or cue["np_skip"].match(text, span[0], span[1]) else span


def apposed(text: str, start: int, end: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The party a listing participle describes, set off before it: "the PKK — [listed as a
    terrorist organization] by Turkey", "X, which is [designated a terrorist group]"."""
    if not _LISTED_WORD.match(text, start, end):
        return None
    mark = _APPOSED.search(text, max(0, start - 40), start)
    return noun_phrase_back(text, 0, mark.start(), cue) if mark is not None else None
