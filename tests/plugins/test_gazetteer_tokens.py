"""The gazetteer's ASCII tokeniser finds exactly the tokens of the Unicode one on ASCII text.

``mentions`` takes ``_TOKEN_ASCII`` for an all-ASCII text because it scans faster; any
difference in a span would move or lose a mention.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from classifier.plugins._gazetteer import _TOKEN, _TOKEN_ASCII

CASES = [
    "The U.S.-led coalition and MS-13 met EE.UU. officials on Jan. 5.",
    "Iran's army; the Treasury's OFAC 's x's __init__ a_b 3.5% $4-5 ...end. -- 'quoted'",
    "", " ", "._-'", "a.b.c. d-e-f- g..h --i 's's", "foo_bar _foo bar_ 1_000",
]


def _spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


def test_ascii_cases():
    for text in CASES:
        assert text.isascii()
        assert _spans(_TOKEN_ASCII, text) == _spans(_TOKEN, text), text


@given(st.text(alphabet=string.printable + "sS'.-_", max_size=80))
def test_any_ascii_text(text):
    assert _spans(_TOKEN_ASCII, text) == _spans(_TOKEN, text)
