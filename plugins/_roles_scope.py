"""Where a role may be read: the clause around a match, and the demonym that names its actor.

Part of :mod:`._roles_read`, kept apart because both readers of a match (actor and target) ask
it first, each with its own clause: the actor's clause stops at every quotation mark (a quote
often opens another voice), the target's runs through a short quoted term ("adding X to its
“entity list”"), which needs a look-ahead past the match.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import takewhile
from typing import Any, Sequence

import regex

from ._gazetteer import _I, Mention

# a preposition inside the match before a demonym: "[strikes on Iranian sites]" names the target
_PREP_IN = regex.compile(
    r"\b(?:on|against|in|into|at|of|over|to|by|contra|sobre|en|a|al|de|del|por)\b", _I)
# a match that ends in a preposition: the demonym after it names the goods or the place
_ENDS_PREP = regex.compile(r"\b(?:on|against|to|into|over|a|al|contra|sobre|en|hacia)\s*$", _I)


@dataclass(frozen=True)
class Window:
    """The clause around a match: it opens at ``lo`` and closes at ``hi``; ``near`` is where a
    predicate of its own begins ("... is a central theme of X"); ``before`` are the mentions from
    ``lo`` to the match's end, ``ahead`` those after the match and before ``near`` (within a few
    words), ``agents`` all those after the match in the clause."""

    lo: int
    hi: int
    near: int
    before: list[Mention]
    ahead: list[Mention]
    agents: list[Mention]


def clause_window(text: str, start: int, end: int, reach: int, clause: Any, predicate: Any,
                  found: Sequence[Mention], look_past: bool = False) -> Window:
    """The :class:`Window` of ``text[start:end]`` cut by ``clause``. With ``look_past`` the
    clause's look-aheads see past the match ("“[entity list]”": no boundary there)."""
    if look_past:
        lo = max((m.end() for m in takewhile(lambda m: m.end() <= start, clause.finditer(text))),
                 default=0)
    else:
        lo = max((m.end() for m in clause.finditer(text, 0, start)), default=0)
    stop = clause.search(text, end)
    hi = stop.start() if stop else len(text)
    said = predicate.search(text, end, hi)
    near = said.start() if said else hi
    return Window(
        lo, hi, near,
        before=[m for m in found if lo <= m.start and m.end <= end],
        ahead=[m for m in found if start < m.start and m.end <= near
               and len(text[end:m.start].split()) <= reach],
        agents=[m for m in found if start < m.start and m.end <= hi])


def national(text: str, start: int, end: int, found: Sequence[Mention],
             lang: str = "es") -> Mention | None:
    """A demonym right before (English) or after (Spanish) the match names its actor.

    Also one inside the match before any preposition ("[Israeli strikes]"). Not after a match
    that ends in a preposition: "duties were imposed on [Chinese] tires" names the goods, not
    who taxes them; and in English never after."""
    after = lang != "en" and not _ENDS_PREP.search(text, max(0, end - 12), end)
    for m in found:
        if m.demonym and (m.end <= start and not text[m.end:start].strip()
                          or after and m.start >= end and not text[end:m.start].strip()
                          or start <= m.start and m.end <= end  # "[Israeli strikes]"
                          and not _PREP_IN.search(text, start, m.start)):
            return Mention(m.start, m.end, m.entity)
    return None


# "the invasion of [Ukraine]", "la invasión rusa de [Ucrania]": the state after it is invaded
_INVASION_OF = regex.compile(
    r"\b(?:invasion|invasi[oó]n|occupation|ocupaci[oó]n|annexation|anexi[oó]n)(?:\s+[\w-]+)?"
    r"\s+(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?", _I)


def invaded(text: str, start: int, end: int, found: Sequence[Mention]) -> Mention | None:
    """The state an invasion, occupation or annexation in (or right after) the match falls on:
    its target, never its actor ("the invasion of Ukraine" is not Ukraine's)."""
    for m in _INVASION_OF.finditer(text, start, min(len(text), end + 40)):
        if m.start() > end:
            break
        state = next((f for f in found if f.start == m.end() and f.actor()), None)
        if state is not None:
            return state
    return None
