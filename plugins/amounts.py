"""Refiner: the figures of an action (``Tag.amounts``): money, people and percentages.

Analysts sum and compare these across a corpus ("how much reward money was offered this year",
"how many people were extradited"), so every figure is normalised to a number and a unit:

* money -> ``value`` in units of the currency, ``unit`` an ISO code (USD, EUR, MXN, GBP, CAD,
  CNY, RUB, VES, COP): "$50 million", "US$5m", "$1.2 billion", "USD 300,000", "€2bn",
  "50 millones de dólares", "2.500 millones de euros", "mil millones de dólares". A bare ``$`` is
  read as USD. "pesos" names several currencies: a qualified one is read as said ("pesos
  colombianos", "Argentine pesos" -> COP, ARS); a bare "pesos" follows the article's country
  (the peso country its text names most: "Bogotá", "argentino", "Philippine"...) and is MXN
  when the article names none (the common case in our sources; "$5 millones de pesos" is MXN).
  Spanish "billón" is 10^12 (long scale); English "billion" is 10^9.
* people -> ``unit="people"``: "29 cartel members", "two suspects", "five Venezuelan nationals",
  "more than 100 officials" (value 100: the qualifier stays in ``text``), "dos presuntos".
  Vague counts ("dozens of", "decenas de") give no figure. A count followed by a reporting verb
  ("two officials said") is a source, not the people acted on, and is skipped.
* percent -> ``unit="percent"``: "25%", "25 percent", "25 por ciento", "25 %".

Numbers: words up to twenty (and the tens) in English and Spanish; thousands separators in both
conventions ("1,500" / "1.500") and decimals ("1.2" / "1,2"). A lone dot group of three digits
("2.500") is a thousands separator in Spanish and a decimal point in English.

Which figures go to which action (``ATTACH``): money to rewards and sanctions, people to
extradition and sanctions, percent to tariffs; actions this plugin does not know (user-added
ones) get money and people. Military tags get none (troop numbers and casualties are not what
the action is "worth"). Figures in the clause of the match are preferred; when the clause has
none of a wanted kind, the nearest one in the sentence is used, unless it lies in the clause of
another tag of the sentence (then it is that tag's figure).

Speed: numbers are found by a tokenizer and each regex runs anchored at a number (``.match``),
so a sentence without digits or number words costs a few microseconds.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from classifier.hookspecs import hookimpl
from classifier.model import Amount, Article, Sentence, Tag, replaced

from ._numbers import (
    _ARTICLE_MULT,
    _ARTICLES,
    _CLAUSE,
    _CUR_BEFORE,
    _DIGITS,
    _LETTERS,
    _MONEY_AFTER,
    _MULT,
    _NUM_TOKEN,
    _PEOPLE_AFTER,
    _PERCENT_AFTER,
    _QUALIFIER,
    _SPEAKER,
    _WORD_NUMBERS,
    _WORDS,
    _YEAR_BEFORE,
    _bare_peso,
    _currency,
    parse_number,
    peso_currency,
)

ATTACH: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "rewards": ("money",),
    "sanctions": ("money", "people"),
    "tariffs": ("percent",),
    "extradition": ("people",),
    "military": (),
})
DEFAULT_KINDS: tuple[str, ...] = ("money", "people")


def find_figures(text: str, lang: str) -> list[tuple[str, Amount]]:
    """Every figure in ``text`` as ``(kind, Amount)``, spans in ``text`` coordinates."""
    out: list[tuple[str, Amount]] = []
    taken = 0  # end of the last figure: "10 mil millones" is one figure, not two
    named = _WORD_NUMBERS.intersection(_LETTERS.findall(text.lower()))
    # Number words make every word token worth a look; articles alone do only before a
    # multiplier ("a million"), else only the digit tokens can be figures (the same ones).
    words = bool(named) and not (named <= _ARTICLES and _ARTICLE_MULT.search(text) is None)
    for token in (_NUM_TOKEN if words else _DIGITS).finditer(text):
        raw = token.group()
        word = raw.lower()
        # most tokens are words that name no number: drop them before anything else is read
        if not raw[0].isdigit() and word not in _WORDS and "-" not in word:
            continue
        if token.start() < taken:
            continue
        number = parse_number(raw, lang)
        if number is None:
            continue
        p, q = token.span()
        figure = _money(text, p, q, number)
        if figure is None and word not in _ARTICLES:
            figure = _percent(text, p, q, number) or _people(text, p, q, number, raw)
        if figure is not None:
            out.append(figure)
            taken = _span(figure[1])[1]
    return out


def _money(text: str, p: int, q: int, number: Decimal) -> tuple[str, Amount] | None:
    before = _CUR_BEFORE.search(text, max(0, p - 6), p)
    after = _MONEY_AFTER.match(text, q)
    mult = " ".join((after.group("m") or "").lower().split()) if after else ""
    word = after.group("w") if after else None
    if before is None and word is None:
        return None
    if text[p:q].lower() in _ARTICLES and not mult:
        return None
    if before is not None and before.group() == "P" and not mult and number < 1000:
        return None  # "plan P4", "P5 model": a peso sign only before a sum ("P7 million")
    start = before.start() if before else p
    end = after.end() if after and (mult or word) else q
    currency = _currency(" ".join(filter(None, (word, before.group() if before else None))))
    value = number * _MULT.get(mult, 1)
    return "money", Amount(float(value), currency, text[start:end], (start, end))


def _percent(text: str, p: int, q: int, number: Decimal) -> tuple[str, Amount] | None:
    after = _PERCENT_AFTER.match(text, q)
    if after is None:
        return None
    return "percent", Amount(float(number), "percent", text[p:after.end()], (p, after.end()))


def _people(text: str, p: int, q: int, number: Decimal, raw: str) -> tuple[str, Amount] | None:
    after = _PEOPLE_AFTER.match(text, q)
    if after is None or _SPEAKER.match(text, after.end()):
        return None  # not a count of people, or "two officials said": a source
    if re.fullmatch(r"(?:19|20)\d\d", raw) and (after.group("mods") or _YEAR_BEFORE.search(
            text, max(0, p - 8), p)):
        return None  # "in 2019 cartel members ..." is a year
    qualifier = _QUALIFIER.search(text, max(0, p - 24), p)
    start = qualifier.start() if qualifier else p
    return "people", Amount(float(number), "people", text[start:after.end()], (start, after.end()))


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def extract_amounts(sentence_text: str, start: int, end: int, action: str, lang: str,
                    offset: int = 0, figures: Sequence[tuple[str, Amount]] | None = None,
                    claimed: Sequence[tuple[int, int]] = (),
                    attach: Mapping[str, tuple[str, ...]] = ATTACH,
                    clause: tuple[int, int] | None = None) -> tuple[Amount, ...]:
    """The figures of the match ``sentence_text[start:end]``; spans shifted by ``offset``.

    ``offset`` is the sentence's start in the article, so spans come out in article coordinates.
    ``claimed`` are the clauses of the sentence's other tags: their figures are theirs, so the
    fallback (no figure of a kind in our own clause) never takes one from there.
    ``clause`` is :func:`clause_of` the match when the caller has it already.
    """
    kinds = attach.get(action, DEFAULT_KINDS)
    if not kinds:
        return ()
    found = find_figures(sentence_text, lang) if figures is None else figures
    lo, hi = clause_of(sentence_text, start, end) if clause is None else clause
    chosen: list[Amount] = []
    for kind in kinds:
        of_kind = [a for k, a in found if k == kind and a.span is not None]
        in_clause = [a for a in of_kind if lo <= _span(a)[0] and _span(a)[1] <= hi]
        free = [a for a in of_kind if not _overlaps(_span(a), claimed)]
        if in_clause:
            chosen.extend(in_clause)
        elif free:
            chosen.append(min(free, key=lambda a: _distance(a, start, end)))
    chosen.sort(key=_span)
    return tuple(replaced(a, span=(_span(a)[0] + offset, _span(a)[1] + offset)) for a in chosen)


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: cut at ";", "but", "while", ", which"..."""
    lo = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    stop = _CLAUSE.search(text, end)
    return lo, stop.start() if stop else len(text)


def _span(amount: Amount) -> tuple[int, int]:
    return amount.span or (0, 0)


def _distance(amount: Amount, start: int, end: int) -> int:
    a, b = _span(amount)
    return max(0, a - end, start - b)


class AmountRefiner:
    """The plugin. ``attach`` says which kinds of figure each action takes (see ``ATTACH``);
    pass your own to give a user-added action, say, percentages."""

    name = "amounts"

    def __init__(self, attach: Mapping[str, tuple[str, ...]] = ATTACH) -> None:
        self.attach = MappingProxyType(dict(attach))
        # (the Article of the current classify call, its peso currency), per thread: keyed by
        # the object so a new call starts afresh, and threads never share it.
        self._local = threading.local()

    def _peso_for(self, article: Article) -> str:
        cached = getattr(self._local, "peso", None)
        if cached is not None and cached[0] is article:
            return cached[1]
        code = peso_currency(article.text)
        self._local.peso = (article, code)
        return code

    @hookimpl
    def policy_classifier_refine_tags(
        self, sentence: Sentence, tags: Sequence[Tag], article: Article
    ) -> list[Tag]:
        """Attach the figures of each tag's clause; tags that already have amounts are kept."""
        text = sentence.text
        local = [(t.span[0] - sentence.start, t.span[1] - sentence.start) for t in tags]
        clauses = [clause_of(text, s, e) if 0 <= s <= e <= len(text) else None for s, e in local]
        figures: list[tuple[str, Amount]] | None = None
        out: list[Tag] = []
        for tag, (start, end), clause in zip(tags, local, clauses):
            if tag.amounts or clause is None or not self.attach.get(tag.action, DEFAULT_KINDS):
                out.append(tag)  # (an action that takes no figure: none are looked for)
                continue
            if figures is None:
                figures = find_figures(text, article.lang)
                if any(_bare_peso(a) for _, a in figures):
                    code = self._peso_for(article)
                    figures = [(k, replaced(a, unit=code) if _bare_peso(a) else a)
                               for k, a in figures]
            claimed = [c for c in clauses if c is not None and c != clause]
            amounts = extract_amounts(text, start, end, tag.action, article.lang,
                                      sentence.start, figures, claimed, self.attach, clause)
            out.append(replaced(tag, amounts=amounts) if amounts else tag)
        return out


plugin = AmountRefiner()


def _debug(text: str, lang: str = "en") -> list[dict[str, Any]]:
    """Every figure in ``text`` as dicts: handy in a REPL when a figure is missed."""
    return [{"kind": k, **a.to_dict()} for k, a in find_figures(text, lang)]
