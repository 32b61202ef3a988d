"""The target as written: noun phrases read word by word, without a parser.

Helpers of :mod:`classifier.plugins.actors`: a phrase that starts at a position ("three
Venezuelan officials", "imports of Chinese steel") or ends right before one (the subject of a
passive, a headline's), cut at the per-language cue words of ``actors.toml`` (``np_stop``,
``np_verb``, ``np_back_stop``...).
"""

from __future__ import annotations

from typing import Any, Mapping

import regex

_NP_WORD = regex.compile(r"[\w$%€£₱](?:[\w'’$%€£&/-]|\.(?=\w))*(?:(?<=\b\w)\.)?|[^\w\s]")
_NP_MAX = 9
_CONJ_END = regex.compile(r"\s+(?:y|e|o|u|and|or)$", regex.IGNORECASE)
# Per (np_stop, np_verb) pair of patterns (by identity: the patterns are held, so an id is
# never reused while its entry lives): casefolded word -> (a stop word?, a verb form?). Words
# recur across phrases and sentences; their verdicts are pure, so each is read once.
_KINDS: dict[tuple[int, int], tuple[Any, Any, dict[str, tuple[bool, bool]]]] = {}
_KINDS_MAX = 50_000  # words per pair before the table starts afresh


def _word_kinds(cue: Mapping[str, Any]) -> tuple[Any, Any, dict[str, tuple[bool, bool]]]:
    stop, verb = cue["np_stop"], cue["np_verb"]
    entry = _KINDS.get((id(stop), id(verb)))
    if entry is None or entry[0] is not stop or entry[1] is not verb or len(entry[2]) > _KINDS_MAX:
        entry = _KINDS[id(stop), id(verb)] = (stop, verb, {})
    return entry


def noun_phrase(text: str, pos: int, limit: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The noun phrase that starts at ``pos`` ("three Venezuelan officials", "imports of
    Chinese steel"), up to a stop word, a verb form or punctuation; None if none starts."""
    first = last = -1
    count = 0
    prev = ""
    stop, verb, kinds = _word_kinds(cue)
    for m in _NP_WORD.finditer(text, pos, min(limit, pos + 160)):
        word = m.group()
        if not (word[0].isalnum() or word[0] in "$%€£₱"):
            if word in "'‘’\"“”«»":
                continue  # quoted names: alias “Otoniel”
            if word == "&":
                continue
            break
        folded = word.casefold()
        kind = kinds.get(folded)
        if kind is None:
            kind = kinds[folded] = (stop.fullmatch(folded) is not None,
                                    verb.fullmatch(folded) is not None)
        if kind[0] and not (count and cue["np_keep"].fullmatch(prev + " " + folded)) and not (
                len(word) > 1 and word.isupper()):  # "strikes on IS positions": a name
            if count:
                break
            return None
        if count >= 1 and kind[1] and not cue["np_det"].fullmatch(prev):
            break  # "Hondurans accused of ...", "the goods were produced"
        if count >= _NP_MAX:
            break
        first = m.start() if first < 0 else first
        last = m.end()
        count += 1
        prev = folded
    if first < 0:
        return None
    span = text[first:last]
    trail = cue["np_trail"].search(span)
    if trail:
        last = first + trail.start()
    return (first, last) if last > first else None

def noun_phrase_back(text: str, lo: int, pos: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The noun phrase that ends right before ``pos`` (a passive subject or a headline's)."""
    words = list(_NP_WORD.finditer(text, max(lo, pos - 200), pos))
    first = last = -1
    count = 0
    for m in reversed(words):
        word = m.group()
        if not (word[0].isalnum() or word[0] in "$%€£₱"):
            if word in "'‘’\"“”«»&":
                continue
            break
        if cue["np_back_stop"].fullmatch(word.casefold()) or count >= _NP_MAX + 3:
            break
        if not count and regex.fullmatch(r"\w+(?:ly|mente)", word):
            continue  # "was successfully extradited"
        last = m.end() if last < 0 else last
        first = m.start()
        count += 1
    if first < 0:
        return None
    lead = cue["np_lead"].match(text, first, last)
    if lead:
        first = lead.end()
    tail = _CONJ_END.search(text, first, last)
    if tail:  # "[calzado deportivo] y tendrán ...": the coordinated verb's own subject
        last = tail.start()
    return (first, last) if last > first else None


_ATTACHED = regex.compile(r"\b(?:of|in|from|de|del|en)\s+$", regex.IGNORECASE)


def _attached_back(text: str, lo: int, span: tuple[int, int], cue: Mapping[str, Any]
                   ) -> tuple[int, int]:
    """A subject's head before its attachments: "[An alleged member] of [the Zetas] in
    [Guatemala] (was extradited)", not just "Guatemala"; at most two steps back."""
    for _ in range(2):
        prep = _ATTACHED.search(text, max(lo, span[0] - 8), span[0])
        if prep is None:
            break
        head = noun_phrase_back(text, lo, prep.start(), cue)
        if head is None:
            break
        span = (head[0], span[1])
    return span


_CLOSERS = {",": ",", "—": "—", "–": "–", ")": "("}


def subject_back(text: str, lo: int, pos: int, cue: Mapping[str, Any]) -> tuple[int, int] | None:
    """The subject that ends right before ``pos``, past one apposition set off by commas,
    dashes or brackets: "X, an alleged leader of the Gulf Cartel, [was extradited]", "Dodik,
    who is the president of Republika Srpska, [has been under US sanctions]". The apposition
    may reach back past ``lo`` (a clause start such as ", who"), never past the sentence."""
    span = noun_phrase_back(text, lo, pos, cue)
    if span is not None:
        return _attached_back(text, lo, span, cue)
    head = text[:pos].rstrip()
    if not head or head[-1] not in _CLOSERS:
        return None
    opener = text.rfind(_CLOSERS[head[-1]], 0, len(head) - 1)
    if opener < 0 and head[-1] == ",":
        return noun_phrase_back(text, 0, len(head) - 1, cue)  # "M23, already under sanctions"
    if opener <= 0 or len(head) - opener > 160:
        return None
    return noun_phrase_back(text, 0, opener, cue)
