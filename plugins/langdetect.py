"""Language detection for articles that come without a language: a stopword vote.

Why this and not a model: the engine only needs to pick a rule set (English or Spanish, and a
few neighbours so they are not mistaken for them), it runs once per article on a news firehose,
and it must not download anything. Function words decide a language reliably after a few dozen
words; counting them in the first ~2,000 characters is a small share of an article's work.

How: every function word votes for the languages that use it (a word shared by two languages
gives each half a vote). The winner must have enough votes and clearly beat the runner-up;
otherwise we answer ``None`` and the engine falls back to its default. Short texts are read in
one go; for longer ones the first 600 characters usually settle it and the rest is read only
when they do not. A single news sentence often has fewer than four function words ("China aplicó
gravámenes del 15% a la soja y el maíz"), so a short text that misses the normal bar may still
win with ``short_votes`` votes if it has ``short_tokens`` words (a sentence, not a name) and
beats the runner-up by ``short_margin`` times: one-sentence
Spanish records would otherwise fall back to English and meet only English rules.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping

from classifier.hookspecs import hookimpl

STOPWORDS: Mapping[str, str] = MappingProxyType({
    "en": "the of and to in is that for on with as was by at from it are be has have had were "
          "this which an not but or its their his her they he she been will would said after "
          "over than who also into about more against under between while these those there",
    "es": "el la los las de del y en que por con para una un es se no al lo como más pero sus "
          "su fue ha han este esta entre sobre también tras según desde cuando sin donde ya "
          "hasta porque muy ante durante dijo fueron será sido están está son otros sus contra dos tres",
    "pt": "o os as do da dos das e em no na nos nas um uma não com para que é ao pelo pela foi "
          "seu sua mais mas também entre sobre após quando sem onde já até porque muito são "
          "foram será disse está estão isso essa esse pelos pelas",
    "fr": "le la les des du et en un une est que qui dans pour pas sur au aux avec ce il elle "
          "été par plus mais sont ont cette ces entre sans selon après lors leur leurs nous "
          "vous ne se son sa ses être avait était fait",
    "de": "der die das und ist nicht ein eine zu den dem mit von auf für sich des im auch es "
          "wird wurde werden sind hat haben nach bei aus wie über einer einem eines dass oder "
          "aber noch nur vor zum zur durch gegen",
})
_TOKEN = re.compile(r"[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"[a-z]+")
# Typographic marks that are never part of a word, mapped to spaces: curly quotes, dashes,
# ellipsis, non-breaking space.
_TYPOGRAPHY = tuple("‘’“”«»‹›–—…\u00a0")  # str.replace each: much faster than str.translate
# Spelling that only Spanish among the five uses this often: preterites in -ó (entregó, informó),
# nouns in -ción/-sión, and ñ. One vote each, so a short Spanish news sentence full of names and
# content words ("La FGR entregó en extradición a ...") still has enough evidence.
# Counted from the telltale letters on, not from each word's start: the same count (one per
# word), but a scan that does not retry every position of every word, which is what made
# counting from word starts slow.
_SPANISH_SPELLING = re.compile(r"(?:ó|[cs]ión)(?![^\W\d_])|ñ[^\W\d_]*")


class LanguageDetector:
    """The plugin: a word -> votes table built once; no state changes after ``__init__``."""

    name = "langdetect"

    def __init__(self, stopwords: Mapping[str, str] = STOPWORDS, *, window: int = 2000,
                 first_look: int = 600, min_votes: float = 4.0, margin: float = 1.5,
                 short_text: int = 300, short_votes: float = 2.0, short_margin: float = 2.0,
                 short_tokens: int = 6) -> None:
        self.langs: tuple[str, ...] = tuple(stopwords)
        owners: dict[str, list[int]] = {}
        for index, lang in enumerate(self.langs):
            for word in set(stopwords[lang].split()):
                owners.setdefault(word, []).append(index)
        self._votes: dict[str, tuple[tuple[int, float], ...]] = {
            word: tuple((i, 1.0 / len(langs)) for i in langs) for word, langs in owners.items()
        }
        self.window, self.first_look = window, first_look
        self.min_votes, self.margin = min_votes, margin
        self.short_text, self.short_votes, self.short_margin = short_text, short_votes, short_margin
        self.short_tokens = short_tokens  # a sentence, not a name ("Cartel de los Soles")

    def scores(self, text: str) -> dict[str, float]:
        """Votes per language in ``text`` (all of it: slice it first if it is long)."""
        totals = [0.0] * len(self.langs)
        votes = self._votes
        lowered = text.lower()
        # Most English news is ASCII but for its quotes and dashes. Without them, a word is a
        # run of a-z (the Unicode word class costs several times more to scan) and no Spanish
        # spelling can occur; the tokens and the votes are the same either way.
        plain = lowered
        if not plain.isascii():
            for mark in _TYPOGRAPHY:
                plain = plain.replace(mark, " ")
        ascii_only = plain.isascii()
        for token in (_ASCII_TOKEN if ascii_only else _TOKEN).findall(plain):
            for index, weight in votes.get(token, ()):
                totals[index] += weight
        if "es" in self.langs and not ascii_only:
            totals[self.langs.index("es")] += len(_SPANISH_SPELLING.findall(lowered))
        return dict(zip(self.langs, totals))

    def _pick(self, scores: Mapping[str, float], need: float,
              margin: float | None = None) -> str | None:
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), (_, second) = ranked[0], ranked[1]
        wanted = self.margin if margin is None else margin
        return best if top >= need and top >= wanted * second else None

    def detect(self, text: str) -> str | None:
        """The ISO 639-1 code of ``text``'s language, or None when the evidence is too thin."""
        if len(text) > 2 * self.first_look:  # a confident first look saves reading the rest
            found = self._pick(self.scores(text[:self.first_look]), 2 * self.min_votes)
            if found is not None:
                return found
        scores = self.scores(text[:self.window])
        found = self._pick(scores, self.min_votes)
        if (found is None and len(text) <= self.short_text
                and len(_TOKEN.findall(text)) >= self.short_tokens):
            found = self._pick(scores, self.short_votes, self.short_margin)
        return found

    @hookimpl
    def policy_classifier_detect_language(self, text: str) -> str | None:
        """Guess the article's language from its function words; None if unsure."""
        return self.detect(text)


plugin = LanguageDetector()


def detect_language(text: str) -> str | None:
    """Module-level shortcut to the built-in detector."""
    return plugin.detect(text)
