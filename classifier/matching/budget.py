"""The time limits of matching: per pattern and sentence, per rule and article, per article.

Why a module of its own: these limits are what keeps a hostile or catastrophic pattern from
stalling a run over thousands of articles; they read best together, apart from how matching
finds its candidates (:mod:`classifier.matching.matcher`).
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter, thread_time

DEFAULT_TIMEOUT = 0.5  # seconds one pattern may spend on one sentence
# Why two more limits: a per-pattern timeout alone does not bound an article -- a catastrophic
# pattern that is a candidate in 200 sentences would cost 200 x 0.5 s. So a rule that times out
# RULE_STRIKES times in one article is skipped for the rest of it, and an article's searches may
# take at most ARTICLE_BUDGET seconds plus SENTENCE_ALLOWANCE per candidate sentence, all of
# them counted (what is left is checked before each candidate rule, so 200 patterns that each stay
# just under the timeout cannot add up to minutes); after that its remaining candidate sentences
# are not matched, and the profile says so. Ordinary searches take a tiny fraction of these
# limits, and the allowance grows with the article, so neither limit touches an article without
# a hostile pattern, however long it is (a 50 MB article is matched in full). All are CPU
# seconds of the matching thread (the `regex` module's timeout counts CPU time too), so a loaded
# machine stretches the wall-clock time but not the work done.
RULE_STRIKES = 2
ARTICLE_BUDGET = 1.5  # seconds, for any article
SENTENCE_ALLOWANCE = 0.01  # seconds more per candidate sentence: far more than one costs on news
# Allowance for the two clocks' bookkeeping in :meth:`_Budget.surely_above`: far above any skew
# between them, far below the budget.
_CLOCK_SKEW = 0.01


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

    ``left`` is what remained at ``began`` (thread CPU time; ``wall``, the wall clock then);
    :meth:`remaining` is what remains now.

    Why :meth:`surely_above`: reading the thread's CPU clock is a system call (microseconds on a
    virtual machine, more on a loaded one), and the clock was read before every candidate rule
    of every article. A thread's CPU time cannot pass faster than wall-clock time, so while
    ``left`` minus the wall-clock time since ``began`` stays above a limit, what remains is
    above it too, and the time limits decide exactly as if the CPU clock had been read. Only an
    article near its budget reads it."""

    __slots__ = ("left", "began", "wall", "strikes", "struck")

    def __init__(self, seconds: float) -> None:
        self.left = seconds
        self.began = thread_time()
        self.wall = perf_counter()
        self.strikes: dict[int, int] = {}
        self.struck: set[int] = set()

    def remaining(self) -> float:
        return self.left - (thread_time() - self.began)

    def surely_above(self, seconds: float) -> bool:
        """Whether :meth:`remaining` is above ``seconds``, known without reading the CPU clock."""
        return self.left - (perf_counter() - self.wall) > seconds + _CLOCK_SKEW

    def restart(self) -> None:
        """Take what remains as ``left`` from now (the CPU clock read, as before each sentence)."""
        self.left = self.remaining()
        self.began, self.wall = thread_time(), perf_counter()
