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
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from classifier.hookspecs import hookimpl
from classifier.model import Amount, Article, Sentence, Tag

ATTACH: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "rewards": ("money",),
    "sanctions": ("money", "people"),
    "tariffs": ("percent",),
    "extradition": ("people",),
    "military": (),
})
DEFAULT_KINDS: tuple[str, ...] = ("money", "people")

_WORDS = MappingProxyType({
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "one hundred": 100,
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciséis": 16, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiún": 21,
    "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "ciento": 100, "mil": 1000,
})
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_MULT = MappingProxyType({
    "thousand": 10**3, "k": 10**3, "mil": 10**3, "million": 10**6, "millions": 10**6,
    "mn": 10**6, "mln": 10**6, "m": 10**6, "millón": 10**6, "millon": 10**6,
    "millones": 10**6, "billion": 10**9, "billions": 10**9, "bn": 10**9, "bln": 10**9,
    "b": 10**9, "mil millones": 10**9, "millardo": 10**9, "millardos": 10**9,
    "trillion": 10**12, "tn": 10**12, "billón": 10**12, "billones": 10**12,
})
_CURRENCY = [  # (regex over the currency text, ISO code); first match wins
    (r"canadian|canadienses?|c\$|cad", "CAD"), (r"colombi\w*|cop", "COP"),
    (r"argentin\w*|\bars\b", "ARS"), (r"chilen\w*|\bclp\b", "CLP"),
    (r"philippine|filipinos?|php|₱|(?-i:\bP\s?$)", "PHP"), (r"uruguay\w*|\buyu\b", "UYU"),
    (r"dominican\w*|\bdop\b", "DOP"), (r"cuban\w*|\bcup\b", "CUP"),
    (r"mx\$|mxn|pesos?", "MXN"), (r"€|eur|euros?", "EUR"), (r"£|gbp|pounds?|libras?", "GBP"),
    (r"yuan(?:es)?|cny|renminbi", "CNY"), (r"rub(?:les?|los?)|rub", "RUB"),
    (r"bol[íi]vares|ves", "VES"), (r"\$|usd|dollars?|d[óo]lares", "USD"),
]
_CURRENCY_RE = tuple((re.compile(p, re.I), code) for p, code in _CURRENCY)

_WORD_NUMBERS = frozenset(_WORDS) | frozenset(_TENS)
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d(?:[\d.,]*\d)?")
_NUM_TOKEN = re.compile(r"\d(?:[\d.,]*\d)?|[^\W\d_]+(?:-[^\W\d_]+)?")
_MULT_RE = (r"(?:mil\s+millones|millardos?|millones|mill[óo]n|billones|bill[óo]n|thousand|"
            r"millions?|billions?|trillion|mil|mn|mln|bn|bln|tn|m|b|k)\b")
_CUR_WORD = (r"(?:(?:US|U\.S\.)\s+dollars|(?:Canadian\s+)?dollars|"
             r"d[óo]lares(?:\s+(?:estadounidenses|canadienses|americanos))?|euros|"
             r"(?:(?:Mexican|Colombian|Argentine|Argentinian|Chilean|Philippine|Uruguayan|Dominican|"
             r"Cuban)\s+)?pesos?(?:\s+(?:mexicanos|colombianos|argentinos|chilenos|filipinos|"
             r"uruguayos|dominicanos|cubanos))?|"
             r"pounds(?:\s+sterling)?|libras(?:\s+esterlinas)?|yuan(?:es)?|rubles|rublos|"
             r"bol[íi]vares|USD|EUR|MXN|GBP|CAD|COP|ARS|CLP|PHP)\b")
# Everything below is matched at a number token (``.match``), never scanned across a sentence:
# the number itself is found by the tokenizer, so no regex tries number words at every position.
_CUR_BEFORE = re.compile(r"(?:U\.?S\.?\s?\$|USD\s?|MX\$\s?|MXN\s?|C\$\s?|CAD\s?|€\s?|EUR\s?|£\s?|"
                         r"GBP\s?|₱\s?|PHP\s?|(?<![A-Za-z])\$\s?|(?<![\w$])(?-i:P))$", re.I)
_MONEY_AFTER = re.compile(rf"(?:\s?(?P<m>{_MULT_RE}))?(?:\s+(?:de\s+)?(?P<w>{_CUR_WORD}))?", re.I)
_PERCENT_AFTER = re.compile(r"[\s-]?(?:%|percent\b|per[\s-]cent\b|por\s+ciento\b|pct\b)", re.I)
_PEOPLE_NOUNS = (
    r"people|persons?|individuals?|members?|suspects?|nationals?|citizens?|fugitives?|officials?|"
    r"leaders?|operatives?|traffickers?|smugglers?|narcos|kingpins?|bosses|commanders?|men|man|"
    r"women|woman|children|civilians|prisoners?|detainees?|defendants?|criminals?|migrants?|"
    r"executives?|figures|militants|hostages?|businessm[ae]n|politicians?|generals?|"
    r"personas?|individuos?|miembros?|integrantes?|sospechosos?|presuntos?|nacionales|"
    r"ciudadanos?|fugitivos?|funcionarios?|l[íi]deres|l[íi]der|operadores?|narcotraficantes?|"
    r"traficantes?|capos?|hombres?|mujer(?:es)?|civiles|presos?|reos?|detenidos?|acusados?|"
    r"criminales|delincuentes|migrantes|pandilleros?|extraditados?|cabecillas?"
)
_PEOPLE_AFTER = re.compile(
    rf"\s+(?P<mods>(?:(?!(?:of|de|and|y|were|was|fueron|in|en)\b)[\w'’-]+\s+){{0,3}})"
    rf"(?P<noun>{_PEOPLE_NOUNS})\b", re.I)
_QUALIFIER = re.compile(r"(?:more\s+than|over|at\s+least|nearly|almost|about|around|some|up\s+to|"
                        r"m[áa]s\s+de|al\s+menos|casi|unos|unas|cerca\s+de|alrededor\s+de|hasta)\s+$",
                        re.I)
_ARTICLES = frozenset({"a", "an", "un", "una"})  # "a million dollars", never "a suspect"
_SPEAKER = re.compile(r"\s*(?:said|say|says|told|dijeron|dijo|afirmaron|declararon|explained|"
                      r"added)\b", re.I)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|by|of|en|desde|de|del)\s*$", re.I)
_CLAUSE = re.compile(
    r";|\b(?:but|while|whereas|although|pero|mientras|aunque)\b|,\s*(?:which|and|que|y)\b", re.I)


# A bare "pesos" takes the currency of the peso country the article names most (MXN if none).
_PESO_COUNTRIES = (
    ("MXN", r"m[ée]xic\w*|sheinbaum|\bFGR\b|\bPGR\b"),
    ("COP", r"colombi\w*|bogot[áa]|medell[íi]n|\bcali\b|petro\b|\bDIJIN\b"),
    ("ARS", r"argentin\w*|buenos\s+aires|milei|rosario\b"),
    ("CLP", r"\bchile\b|chilen\w*|santiago\s+de\s+chile|boric"),
    ("PHP", r"philippin\w*|filipin\w*|manila|duterte|marcos\s+jr"),
    ("UYU", r"uruguay\w*|montevideo"),
    ("DOP", r"rep[úu]blica\s+dominicana|dominican\s+republic|dominican[oa]s?\b|santo\s+domingo"),
    ("CUP", r"\bcuba\b|cuban\w*|la\s+habana|havana"),
)
_PESO_RE = re.compile("|".join(f"(?P<{code}>{p})" for code, p in _PESO_COUNTRIES), re.I)
_BARE_PESO = re.compile(r"pesos?\b", re.I)
_QUALIFIED_PESO = re.compile(r"mx\$|mxn|pesos?\s+\w*(?:mexican|colombian|argentin|chilen|filipin|"
                             r"uruguay|dominican|cuban)|(?:mexican|colombian|argentin\w*|chilean|"
                             r"philippine|uruguayan|dominican|cuban)\s+pesos?", re.I)


def peso_currency(article_text: str) -> str:
    """The ISO code of a bare "pesos" in this article: its most named peso country, else MXN."""
    counts: dict[str, int] = {}
    for m in _PESO_RE.finditer(article_text):
        counts[m.lastgroup or "MXN"] = counts.get(m.lastgroup or "MXN", 0) + 1
    return max(counts, key=lambda code: (counts[code], code == "MXN")) if counts else "MXN"


def _bare_peso(amount: Amount) -> bool:
    return amount.unit == "MXN" and bool(_BARE_PESO.search(amount.text)) and not \
        _QUALIFIED_PESO.search(amount.text)


def parse_number(text: str, lang: str = "en") -> Decimal | None:
    """A digit string or number word as a Decimal; None if it is not a number."""
    word = " ".join(text.lower().split())
    if word in _WORDS:
        return Decimal(_WORDS[word])
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in _UNITS:
            return Decimal(_WORDS[tens] + _WORDS[unit])
        return None
    if "," in word and "." in word:  # the last separator is the decimal one
        decimal_sep = "," if word.rfind(",") > word.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        word = word.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in word or "." in word:
        sep = "," if "," in word else "."
        groups = word.split(sep)
        grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if grouped and (len(groups) > 2 or sep == "," or lang == "es"):
            word = word.replace(sep, "")  # "1,500", "1.500.000", Spanish "2.500"
        else:
            word = word.replace(",", ".")  # "1.2", Spanish "1,2", English "2.500"
            if word.count(".") > 1:
                return None
    try:
        return Decimal(word)
    except InvalidOperation:
        return None


def _currency(text: str) -> str:
    for pattern, code in _CURRENCY_RE:
        if pattern.search(text):
            return code
    return "USD"


def find_figures(text: str, lang: str) -> list[tuple[str, Amount]]:
    """Every figure in ``text`` as ``(kind, Amount)``, spans in ``text`` coordinates."""
    out: list[tuple[str, Amount]] = []
    taken = 0  # end of the last figure: "10 mil millones" is one figure, not two
    words = not _WORD_NUMBERS.isdisjoint(_LETTERS.findall(text.lower()))
    for token in (_NUM_TOKEN if words else _DIGITS).finditer(text):
        raw = token.group()
        if token.start() < taken:
            continue
        word = raw.lower()
        if not raw[0].isdigit() and word not in _WORDS and "-" not in word:
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
                    attach: Mapping[str, tuple[str, ...]] = ATTACH) -> tuple[Amount, ...]:
    """The figures of the match ``sentence_text[start:end]``; spans shifted by ``offset``.

    ``offset`` is the sentence's start in the article, so spans come out in article coordinates.
    ``claimed`` are the clauses of the sentence's other tags: their figures are theirs, so the
    fallback (no figure of a kind in our own clause) never takes one from there.
    """
    kinds = attach.get(action, DEFAULT_KINDS)
    if not kinds:
        return ()
    found = find_figures(sentence_text, lang) if figures is None else figures
    lo, hi = clause_of(sentence_text, start, end)
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
    return tuple(replace(a, span=(_span(a)[0] + offset, _span(a)[1] + offset)) for a in chosen)


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
            if tag.amounts or clause is None:
                out.append(tag)
                continue
            if figures is None:
                figures = find_figures(text, article.lang)
                if any(_bare_peso(a) for _, a in figures):
                    code = self._peso_for(article)
                    figures = [(k, replace(a, unit=code) if _bare_peso(a) else a)
                               for k, a in figures]
            claimed = [c for c in clauses if c is not None and c != clause]
            amounts = extract_amounts(text, start, end, tag.action, article.lang,
                                      sentence.start, figures, claimed, self.attach)
            out.append(replace(tag, amounts=amounts) if amounts else tag)
        return out


plugin = AmountRefiner()


def _debug(text: str, lang: str = "en") -> list[dict[str, Any]]:
    """Every figure in ``text`` as dicts: handy in a REPL when a figure is missed."""
    return [{"kind": k, **a.to_dict()} for k, a in find_figures(text, lang)]
