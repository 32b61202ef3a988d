"""Reading figures in English and Spanish: number words, separators, multipliers, currencies.

Part of :mod:`classifier.plugins.amounts` (its docstring lists the conventions: long-scale
"billón", the two thousands separators, which country a bare "pesos" belongs to); the tables
and patterns here are compiled once at import.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from classifier.model import Amount

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
# An article before a multiplier ("a million", "un millón"): the only way "a"/"an"/"un"/"una"
# is a figure. No match in a text means its articles name none (a superset: it only gates).
_ARTICLE_MULT = re.compile(r"(?<![^\W\d_])(?:an?|una?)\s" + _MULT_RE, re.I)
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
