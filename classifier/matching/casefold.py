"""Case folding shared by every prefilter: what ``regex``'s case-insensitive matching makes equal.

Why a module of its own: the literal prefilters lowercase the article and the anchors, and the
Hyperscan image (:mod:`classifier.matching.hsimage`) maps characters to bytes; all must agree
with ``regex`` on which characters are one letter, or a gate would drop a real match.
"""

from __future__ import annotations

# Characters outside Latin-1 that ``regex``'s case-insensitive matching makes equal to an ASCII
# letter; the test suite checks this table against ``regex`` over all of Unicode.
FOLDS_TO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}

# Characters that ``regex``'s case-insensitive matching makes equal to an ASCII letter but
# whose lowercase is not that letter (the Kelvin sign's is): the anchors must find them too.
_TO_ASCII = str.maketrans({c: a for c, a in FOLDS_TO_ASCII.items() if c != "\u212a"})


def lowercase_same_length(text: str) -> str:
    """``text.lower()``, keeping offsets, folded as ``regex`` folds: the long s and the dotted
    and dotless i become ``s`` and ``i`` (``"İ".lower()`` is two characters); any other
    character whose lowercase is longer stays as it is."""
    if text.isascii():
        return text.lower()
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    if "\u017f" in lowered or "\u0131" in lowered or "\u0130" in lowered:
        lowered = lowered.translate(_TO_ASCII)
    return lowered
