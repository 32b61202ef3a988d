"""How often a literal turns up in news text: the cost model behind anchor choice.

Why: the prefilter tries a rule on every sentence that contains one of its anchors, so the best
anchor is the rarest literal that every match must contain. Length alone is a poor guide:
"officials", "leaders" and "over" are long enough but occur in most articles (and "over" inside
"government" and "overall"), while "froze" or "extradit" are rare. This module estimates, in
occurrences per thousand words of news, how often a literal occurs as a substring: the frequent
news words it is part of (a short list written here, in three tiers, English and Spanish), plus
a floor that falls with length for everything else. The estimate only ranks alternatives; any
choice keeps the matcher's results identical (every candidate literal is required by the
pattern), so a wrong guess costs speed, never a tag.
"""

from __future__ import annotations

from functools import lru_cache

# Occurrences per thousand words, roughly: function words, then frequent news vocabulary.
_TIERS: tuple[tuple[float, str], ...] = (
    (20.0, "the of and to in a is that for on with as was by at from it are be has have had"
           " were this which an not but or its their his her they he she been will would said"
           " de la el en y que los las del se por un una con para al es lo no su sus"),
    (3.0, "after over than who also into about more against under between while these those"
          " there new all one two three last year years first people time government officials"
          " president minister ministry country state states united national city week month"
          " told says could should may can out up no other some most many any such only what"
          " when where how if so then them him our we you i us being do did does made make"
          " como más pero fue ha han este esta entre sobre también tras según desde cuando sin"
          " donde ya hasta porque muy ante durante dijo fueron será sido están está son otros"
          " gobierno presidente país año años nacional estado estados unidos ministro semana"),
    (0.6, "business leaders leader higher high low price prices pay paid post position hand"
          " hands trial court police public market markets economy economic political party"
          " report reported according percent million billion group groups company companies"
          " military security health budget plan plans deal talks meeting news force forces"
          " power world international foreign local general former next since before during"
          " official statement support several part back well way may day days general order"
          " put set take took make called asked end open close house home work help"
          " information program programme service services law laws case cases issue issues"
          " agency department office council committee union members member number"
          " mercado precio precios empresa empresas policía tribunal juez informe millones"
          " mil dólares grupo grupos parte política político programa acuerdo reunión"
          " autoridades funcionarios oficiales fuerzas seguridad ley caso servicio"
          " air airport airline airlines affairs fair chair pair repair bank banks urban"
          " postponed handling handled draw drew andrew match team season game games player"
          " players football league rain weather visitors tourism festival school schools"
          " teachers students study hospital hospitals water energy oil gas trade rates rate"
          " interest inflation growth share shares stock stocks investors investment bridge"
          " road roads traffic streets street opened opening closed opposition election"
          " elections vote voters parliament spokesman spokeswoman added noted announced"
          " expected expect continue continued including include despite because however"
          " region regional area areas family families children women men life death died"
          " killed attack attacks war peace border crisis help aid food rights human"
          " director chief head based center centre capital coast north south east west"
          " partido elecciones equipo partido temporada lluvia escuela hospital agua"
          " energía petróleo comercio tasa tasas inflación acciones inversión calle calles"
          " oposición portavoz anunció región familia niños mujeres guerra paz frontera"
          " ayuda derechos director jefe centro capital norte sur este oeste"),
)

COMMON: dict[str, float] = {}
for _weight, _words in _TIERS:
    for _word in _words.split():
        COMMON.setdefault(_word, _weight)
del _weight, _words, _word

# A multi-word literal ("price on", "handed over") needs its words side by side: far rarer than
# its rarest word alone.
_ADJACENT = 0.2


@lru_cache(maxsize=65536)
def _word_cost(piece: str) -> float:
    """Occurrences per thousand words of ``piece`` as a substring of one word."""
    inside = sum(weight for word, weight in COMMON.items() if piece in word)
    floor = 0.2 * 2.0 ** -(len(piece) - 3)  # 3 letters: 0.2; 6: 0.025; 9: 0.003
    return inside + floor


def literal_cost(literal: str) -> float:
    """Estimated occurrences per thousand words of news of ``literal`` (lowercased) anywhere."""
    pieces = [p for p in literal.lower().replace("-", " ").split() if p]
    if not pieces:
        return 100.0  # whitespace or punctuation only: everywhere
    cost = min(_word_cost(piece) for piece in pieces)
    return cost * _ADJACENT ** (len(pieces) - 1)


def requirement_cost(literals: frozenset[str] | set[str] | tuple[str, ...]) -> float:
    """How often any of ``literals`` occurs: the number of sentences it would let through."""
    return sum(literal_cost(literal) for literal in literals)
