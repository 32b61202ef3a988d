"""The time limits of matching: per pattern and sentence, per rule and article, per article.

Why a module of its own: these limits are what keeps a hostile or catastrophic pattern from
stalling a run over thousands of articles; they read best together, apart from how matching
finds its candidates (:mod:`classifier.matching.matcher`).
"""

from __future__ import annotations

from dataclasses import dataclass
from time import thread_time

DEFAULT_TIMEOUT = 0.5  # seconds one pattern may spend on one sentence
# Why two more limits: a per-pattern timeout alone does not bound an article -- a catastrophic
# pattern that is a candidate in 200 sentences would cost 200 x 0.5 s. So a rule that times out
# RULE_STRIKES times in one article is skipped for the rest of it, and an article's searches may
# take at most ARTICLE_BUDGET seconds plus SENTENCE_ALLOWANCE per candidate sentence, all of
# them counted (the clock is read before each candidate rule, so 200 patterns that each stay
# just under the timeout cannot add up to minutes); after that its remaining candidate sentences
# are not matched, and the profile says so. Ordinary searches take a tiny fraction of these
# limits, and the allowance grows with the article, so neither limit touches an article without
# a hostile pattern, however long it is (a 50 MB article is matched in full). All are CPU
# seconds of the matching thread (the `regex` module's timeout counts CPU time too), so a loaded
# machine stretches the wall-clock time but not the work done.
RULE_STRIKES = 2
ARTICLE_BUDGET = 1.5  # seconds, for any article
SENTENCE_ALLOWANCE = 0.01  # seconds more per candidate sentence: far more than one costs on news


@dataclass(frozen=True)
class RuleTimeout:
    """Matching work that was given up to keep an article's time bounded.

    ``kind`` says what: ``"timeout"`` (``rule``'s pattern exceeded the timeout on ``sentence``
    and the rule was skipped there), ``"strikes"`` (``rule`` timed out ``RULE_STRIKES`` times and
    is skipped from ``sentence`` to the end of the article) or ``"budget"`` (the article's
    budget ran out; ``skipped`` candidate sentences from ``sentence`` on were not matched, and
    ``rule`` is empty).
    """

    rule: str
    sentence: int
    kind: str = "timeout"
    skipped: int = 0


class _Budget:
    """One article's matching time; local to one ``match`` call (thread-safe).

    ``left`` is what remained when the current sentence began (at ``began``, thread CPU
    time); :meth:`remaining` is what remains now."""

    __slots__ = ("left", "began", "strikes", "struck")

    def __init__(self, seconds: float) -> None:
        self.left = seconds
        self.began = thread_time()
        self.strikes: dict[int, int] = {}
        self.struck: set[int] = set()

    def remaining(self) -> float:
        return self.left - (thread_time() - self.began)
