"""The engine's matchers, one per rule language and built on first use, and how a time-out reads.

Why a module of its own: which rules an article in a given language is matched against, and
when their matcher is compiled, is a decision apart from the per-article steps of the engine.
"""

from __future__ import annotations

from typing import Sequence

from classifier.matching.matcher import RULE_STRIKES, Matcher, RuleTimeout
from classifier.matching.patterncache import PatternCache
from classifier.matching.prefilter import prefilter_name
from classifier.model import ErrorInfo, Rule

ANY_LANG = "*"


class LangMatchers:
    """One matcher per rule language (with language-neutral rules), plus one for any other
    language, each built when an article first needs it: a run over English news does not
    pay for the Spanish or catch-all matcher (with 10,000 rules, ~0.2 s each).

    All share ``patterns``. Two threads racing on a first use build equal matchers; the
    last one stored wins, so no lock is needed.
    """

    def __init__(self, rules: Sequence[Rule], timeout: float, prefilter: str,
                 patterns: PatternCache) -> None:
        prefilter_name(prefilter)  # an unknown prefilter fails here, not on the first article
        langs = sorted({rule.lang for rule in rules} - {ANY_LANG})
        self._rules = {lang: [r for r in rules if r.lang in (lang, ANY_LANG)] for lang in langs}
        self._rules[ANY_LANG] = list(rules)
        self._args = (timeout, prefilter, patterns)
        self._built: dict[str, Matcher] = {}

    def get(self, lang: str) -> Matcher:
        key = lang if lang in self._rules else ANY_LANG
        matcher = self._built.get(key)
        if matcher is None:
            matcher = self._built[key] = Matcher(self._rules[key], *self._args)
        return matcher


def timeout_error(timeout: RuleTimeout, seconds: float) -> ErrorInfo:
    """The profile's account of matching work given up to keep the article's time bounded."""
    if timeout.kind == "budget":
        return ErrorInfo(
            "ArticleBudgetExceeded",
            f"slow patterns used up this article's matching time; {timeout.skipped} candidate "
            f"sentence(s) from sentence {timeout.sentence} on were not matched",
        )
    if timeout.kind == "strikes":
        return ErrorInfo(
            "RuleTimeout",
            f"rule '{timeout.rule}' timed out {RULE_STRIKES} times and was skipped from sentence "
            f"{timeout.sentence} to the end of the article",
            rule=timeout.rule,
        )
    return ErrorInfo(
        "RuleTimeout",
        f"rule '{timeout.rule}' exceeded its time limit ({seconds:g} s) on sentence "
        f"{timeout.sentence} and was skipped there",
        rule=timeout.rule,
    )
