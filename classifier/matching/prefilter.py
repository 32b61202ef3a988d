"""The two interchangeable literal prefilters of :mod:`classifier.matching.matcher`, and the
choice among all three (Hyperscan, :mod:`classifier.matching.hsscan`, comes first).

Why two: Aho-Corasick (pyahocorasick, C) is several times faster, but has no wheel on some
platforms; the pure-Python fallback built on one ``regex`` alternation reports the same
occurrences, so the matcher gives identical results with either (the tests force each).
``POLICY_CLASSIFIER_HYPERSCAN=off`` makes ``auto`` skip Hyperscan.
"""

from __future__ import annotations

from typing import Callable, Iterator, Protocol, Sequence

import regex

from classifier.matching import hsscan
from classifier.matching.casefold import lowercase_same_length  # noqa: F401 - re-exported

try:
    import ahocorasick
except ImportError:  # pragma: no cover - exercised by forcing prefilter="regex" in tests
    ahocorasick = None


class Prefilter(Protocol):
    """What the matcher needs from an anchor scanner, so Aho-Corasick and the pure-Python fallback
    are interchangeable.
    """
    def find(self, lowered: str) -> Iterator[tuple[int, int]]:
        """Yield ``(start, anchor_index)`` for every occurrence of every anchor."""


class AhoCorasickPrefilter:
    """Every occurrence of every anchor, with pyahocorasick's automaton (C speed)."""

    def __init__(self, anchors: Sequence[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for index, anchor in enumerate(anchors):
            self._automaton.add_word(anchor, (index, len(anchor)))
        self._automaton.make_automaton()
        self._empty = not anchors

    def find(self, lowered: str) -> Iterator[tuple[int, int]]:
        if self._empty:
            return
        for end, (index, length) in self._automaton.iter(lowered):
            yield end - length + 1, index


class RegexPrefilter:
    """The pure-Python fallback: one overlapped alternation, longest anchor first.

    At each position the alternation reports only the longest anchor; every shorter anchor that
    starts there is a prefix of it, so ``_prefixes`` recovers them all.
    """

    def __init__(self, anchors: Sequence[str],
                 compile: Callable[[str, int], "regex.Pattern[str]"] = regex.compile) -> None:
        index_of = {anchor: i for i, anchor in enumerate(anchors)}
        ordered = sorted(anchors, key=lambda a: (-len(a), a))
        self._pattern = (  # ``compile``: the matcher's memo, so a warm start reads it back
            compile("|".join(regex.escape(a) for a in ordered), 0) if anchors else None
        )
        self._prefixes = {
            anchor: tuple(index_of[other] for other in anchors if anchor.startswith(other))
            for anchor in anchors
        }

    def find(self, lowered: str) -> Iterator[tuple[int, int]]:
        if self._pattern is None:
            return
        for match in self._pattern.finditer(lowered, overlapped=True):
            for index in self._prefixes[match.group()]:
                yield match.start(), index


PREFILTERS = ("auto", "hyperscan", "aho-corasick", "regex")


def prefilter_name(prefilter: str) -> str:
    """The prefilter ``auto`` resolves to here (Hyperscan, else Aho-Corasick, else ``regex``);
    a clear error for an unknown or missing one."""
    if prefilter not in PREFILTERS:
        raise ValueError(f"prefilter must be one of {', '.join(repr(p) for p in PREFILTERS)}, "
                         f"not {prefilter!r}")
    if prefilter == "aho-corasick" and ahocorasick is None:
        raise ValueError("prefilter 'aho-corasick' needs the pyahocorasick package")
    if prefilter == "hyperscan" and not hsscan.available({}):
        raise ValueError("prefilter 'hyperscan' needs the hyperscan package")
    if prefilter == "auto":
        return "hyperscan" if hsscan.available() else literal_name()
    return prefilter


def literal_name() -> str:
    """The best prefilter here that is not Hyperscan."""
    return "aho-corasick" if ahocorasick is not None else "regex"


def literal_prefilter(name: str, literals: Sequence[str],
                      compile: Callable[[str, int], "regex.Pattern[str]"] = regex.compile
                      ) -> Prefilter:
    """The literal scanner that goes with prefilter ``name``: Hyperscan's rules fall back to
    Aho-Corasick when it is installed; the pure-``regex`` one compiles with ``compile``."""
    if name != "regex" and ahocorasick is not None:
        return AhoCorasickPrefilter(literals)
    return RegexPrefilter(literals, compile)
