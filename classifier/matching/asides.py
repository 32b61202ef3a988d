"""Short bracketed asides, blanked for matching: "the Armed Forces of the Philippines (AFP)
attacked", "a P2 million (S$57,000) reward", "Sen. Tim Kaine (D-Va.) said".

Why: news puts acronyms, currency conversions and party labels in brackets right inside the
phrases rules read ("<forces> attacked", "<sum> reward"), and a rule written for the plain
phrase misses the bracketed one. Writing an optional aside into every pattern would be easy to
forget and slow; instead the matcher reads a copy of the article in which such asides are
blanked with spaces. The copy has the same length, so every offset, the evidence and every
refiner (which read the original text) stay as they are: only what rules see changes.

Which asides, and how (brackets opened after a space, 2 to 40 characters on one line):
- one holding a figure ("(S$57,000)", "(about 4.6 million euros)", "(2019)"): blanked whole;
- one capitalised word ("(AFP)", "(OFAC)", "(D-Va.)"): only the brackets are blanked, so
  the acronym stays a word that rules naming it still find ("agentes de la DEA");
- anything else ("(hit)", "(latest packet of sanctions)", "(the Customs Act)") stays: its
  words may be the very ones a rule needs.
"Section 7031(c)" (no space before) and "(c)" (one character) stay as they are.
"""

from __future__ import annotations

import regex

_ASIDE = regex.compile(r"(?<=\s)\(([^()\n]{2,40})\)")
_FIGURE = regex.compile(r"\d")
_NAME = regex.compile(r"[A-Z][\w.&'’-]*")  # one capitalised word: an acronym or a label
_MAX_SPACES = 4  # a figure's aside: five words at most ("(about 4.6 million euros)")


def _blank(match: "regex.Match[str]") -> str:
    aside, inner = match.group(), match.group(1)
    if _FIGURE.search(inner):
        return aside if aside.count(" ") > _MAX_SPACES else " " * len(aside)
    if _NAME.fullmatch(inner):
        return f" {inner} "
    return aside


def blank_asides(text: str) -> str:
    """``text`` with its short bracketed figures blanked and the brackets around a single
    capitalised word dropped, each replaced by spaces: the same length, the same offsets."""
    if "(" not in text:
        return text
    return _ASIDE.sub(_blank, text)
