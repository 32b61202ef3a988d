"""One compiled matcher for every rule of every plugin: a literal prefilter, then regexes.

Why this shape: running each rule's regex on each sentence costs time linear in the number of
rules, far too slow for a news firehose once there are hundreds of them. Instead the matcher
scans the lowercased article *once* for all rules' anchors (literals every match must contain,
see :mod:`classifier.matching.anchors`), maps each anchor hit to its sentence by offset, and
runs only those candidate rules' regexes on only those sentences. Most news sentences hold no
anchor at all, so they cost nothing beyond the scan.

Two interchangeable prefilters find the anchors: Aho-Corasick (pyahocorasick, C) when installed,
and a pure-Python fallback built on one ``regex`` alternation. Both report every occurrence of
every anchor, so they select the same candidates and the matcher gives identical results.

Why a second, word-start gate: a rule's anchor is one literal its matches contain, often a
common word or a substring of one ("over" in "government", "ban" in "bank"), so about ten
rules per sentence were confirmed by regex on news text. Most rule patterns open with
``\b(?:verb|verb|...)``: every match then *starts* with one of those literals at a word start.
:func:`classifier.matching.openings.start_literals` reads them from the pattern; a rule that has
them is tried on a sentence only if one of them also occurs there at a word start (one more
Aho-Corasick pass over the same lowercased article). Both tests are necessary conditions for a
match, so the hits are the same; a third of the regex confirmations go.

Why Hyperscan first: both gates above know literals only, so most candidates still fail their
regex. With the ``hyperscan`` package (``auto``), every rule whose patterns are all in a
Hyperscan database of the memo leaves the anchor path: one scan of the article reports where
each pattern's necessary-condition form ends (:mod:`classifier.matching.hsplan`), and only
those patterns are tried, only in those sentences. Rules it does not cover keep the two gates.
Every path proposes a superset of the sentences where a rule matches, so the hits are the same.

The engine's compiled patterns live in :mod:`classifier.matching.patterncache`, shared by its matchers.

Why this module is long: it is the per-sentence hot path (the plan of candidates, the opening
gate, the confirmation of each candidate rule under its time limits), and it reads best in one
piece; the prefilters (:mod:`~classifier.matching.prefilter`), the time limits
(:mod:`~classifier.matching.budget`) and the compiled patterns live apart.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Mapping, Sequence

import regex

from classifier.matching.asides import blank_asides
from classifier.matching.budget import (  # noqa: F401 - re-exported: the limits are part of the API
    ARTICLE_BUDGET,
    DEFAULT_TIMEOUT,
    RULE_STRIKES,
    SENTENCE_ALLOWANCE,
    RuleTimeout,
    _Budget,
)
from classifier.matching.hsexclude import Place
from classifier.matching.hsplan import HsGate, merged
from classifier.matching.openings import is_word as _is_word
from classifier.matching.patterncache import CompiledRule, PatternCache  # noqa: F401 - re-exported
from classifier.matching.prefilter import (  # noqa: F401 - re-exported: the matcher's public API
    AhoCorasickPrefilter,
    Prefilter,
    RegexPrefilter,
    literal_name,
    literal_prefilter,
    lowercase_same_length,
    prefilter_name,
)
from classifier.model import Rule

_HsPlan = Mapping[int, Mapping[int, "frozenset[int] | None"]]  # see HsGate.plan
# Searches pass the timeout positionally, after search's pos, endpos, concurrent and partial:
# `regex` reads keyword arguments slowly, and search(text, timeout=t) costs more per call than
# this form; every search of every article would pay the difference.
_NO_BOUNDS = (None, None, None, False)


@dataclass(frozen=True)
class Hit:
    """A rule's match in a sentence; ``start``/``end`` are article offsets."""

    rule: Rule
    sentence: int
    start: int
    end: int


def _excluded(excludes: Sequence[regex.Pattern[str]], text: str, timeout: float,
              verdicts: dict[int, bool], places: Sequence[Place | None] | None = None,
              seen: Callable[[int], frozenset[int]] | None = None) -> bool:
    """Whether any exclude pattern is found in the sentence ``text``; each pattern searched
    once per sentence.

    Why the memo: rules of one family share their exclude patterns (sixteen military rules share
    the same three), and excludes are long alternations that ``regex`` cannot scan for quickly,
    so without it a sentence that two rules of a family hit paid twice. ``verdicts`` is keyed by
    ``id``: the patterns come from the engine's :class:`PatternCache`, which gives equal
    patterns one object, alive as long as the matcher.

    ``places`` (per exclude, its place in a Hyperscan database, or None) and ``seen`` (a
    database's expressions found in this sentence) skip the searches Hyperscan rules out
    (:mod:`classifier.matching.hsexclude`)."""
    for number, exclude in enumerate(excludes):
        found = verdicts.get(id(exclude))
        if found is None:
            place = places[number] if places is not None else None
            if place is not None and seen is not None and place[1] not in seen(place[0]):
                found = verdicts[id(exclude)] = False  # Hyperscan: not in this sentence
            else:
                found = verdicts[id(exclude)] = exclude.search(text, *_NO_BOUNDS, timeout) is not None
        if found:
            return True
    return False


class Matcher:
    """All rules compiled into one prefilter plus per-rule regexes."""

    def __init__(
        self, rules: Sequence[Rule], timeout: float = DEFAULT_TIMEOUT, prefilter: str = "auto",
        patterns: PatternCache | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.timeout = timeout
        self.article_budget = max(ARTICLE_BUDGET, timeout)
        self._cache = patterns if patterns is not None else PatternCache()
        self._compiled: list[CompiledRule | None] = [None] * len(self.rules)
        self.prefilter_name = prefilter_name(prefilter)
        # Rules Hyperscan covers leave the anchor path (see classifier.matching.hsplan).
        self._hs = (HsGate(self.rules, self._cache, "wait" if prefilter == "hyperscan" else "background")
                    if self.prefilter_name == "hyperscan" else None)
        covered = self._hs.rules if self._hs is not None else frozenset()
        self._literal_twin: Matcher | None = None  # see candidates()
        anchors: dict[str, list[int]] = {}
        always: list[int] = []
        for index, rule in enumerate(self.rules):
            if index in covered:
                continue
            if not rule.anchors:
                always.append(index)
            for anchor in rule.anchors:
                anchors.setdefault(anchor, []).append(index)
        self.anchors = tuple(anchors)
        self._anchor_rules = tuple(tuple(v) for v in anchors.values())
        self.unanchored = tuple(always)
        anchor_index = {anchor: i for i, anchor in enumerate(self.anchors)}
        self._pattern_anchor_ids = tuple(
            None if i in covered else self._own_anchors(rule, anchor_index)
            for i, rule in enumerate(self.rules))
        self._prefilter = literal_prefilter(self.prefilter_name, self.anchors, self._cache.get)
        # The word-start gate, per pattern: the literal ids one of which opens every match of
        # it (None: no gate). A rule is dropped from a sentence when none of its patterns can
        # open there, and a candidate rule tries only the patterns that can.
        literal_ids: dict[str, int] = {}
        gates: list[tuple[frozenset[int] | None, ...]] = []
        for index, rule in enumerate(self.rules):
            gates.append(tuple(
                None if index in covered or (lits := self._cache.starts(pattern)) is None
                else frozenset(literal_ids.setdefault(lit, len(literal_ids)) for lit in lits)
                for pattern in rule.patterns
            ))
        self.gate = True  # False gives the same hits, only slower (the tests compare both)
        self._context_rules = frozenset(i for i, rule in enumerate(self.rules) if rule.context)
        self._rule_order = {rule.id: i for i, rule in enumerate(self.rules)}
        self.start_literals = tuple(literal_ids)
        self._pattern_gates = tuple(gates)
        self._rule_gates = tuple(
            frozenset(i for x in g if x is not None for i in x)
            if g and all(x is not None for x in g) else None for g in gates
        )
        self._gated_patterns = frozenset(i for i, g in enumerate(gates) if any(x is not None for x in g))
        # Indexes to build a sentence's candidates from its rare openings rather than its common
        # anchors: 10,000 rules sharing the anchor "sanctions" must not cost 10,000 set entries
        # on every sentence that says "sanctions".
        rule_gates = self._rule_gates
        self._anchor_ungated = tuple(
            tuple(r for r in rules if rule_gates[r] is None) for rules in self._anchor_rules
        )
        literal_rules: list[list[int]] = [[] for _ in literal_ids]
        rule_anchor_ids: list[set[int]] = [set() for _ in self.rules]
        for index, gate in enumerate(rule_gates):
            for literal in gate or ():
                literal_rules[literal].append(index)
        for anchor_id, anchored in enumerate(self._anchor_rules):
            for r in anchored:
                rule_anchor_ids[r].add(anchor_id)
        self._literal_rules = tuple(tuple(v) for v in literal_rules)
        self._rule_anchor_ids = tuple(frozenset(v) for v in rule_anchor_ids)
        self._unanchored_ungated = tuple(r for r in self.unanchored if rule_gates[r] is None)
        self._starts = literal_prefilter(self.prefilter_name, self.start_literals)

    def _own_anchors(self, rule: Rule, anchor_index: Mapping[str, int]
                     ) -> tuple[frozenset[int], ...] | None:
        """Per pattern of ``rule``, the ids of its own anchors; None to try every pattern.

        Why: a rule is a candidate where any of its patterns' anchors occurs, but each pattern
        can only match where one of *its* anchors does. A rule of fifteen patterns, one of them
        anchored on a common word, would otherwise try all fifteen wherever that word is.
        Declared anchors are the rule's own choice and apply to all its patterns (None)."""
        if len(rule.patterns) < 2:
            return None
        own: list[frozenset[str]] = []
        for pattern in rule.patterns:
            literals = self._cache.anchors(pattern)
            if literals is None:
                return None
            own.append(literals)
        if set().union(*own) != set(rule.anchors):
            return None
        return tuple(frozenset(anchor_index[a] for a in literals) for literals in own)

    def compiled(self, index: int) -> CompiledRule:
        """Rule ``index`` with its regexes, compiled on first use (see the module docstring)."""
        compiled = self._compiled[index]
        if compiled is None:
            compiled = self._compiled[index] = self._cache.rule(self.rules[index])
        return compiled

    def scan(self, text: str) -> list[tuple[int, int]]:
        """``(position, anchor index)`` of every anchor occurrence in the article: one pass.

        Done before sentence splitting so an article without any anchor (and with no
        unanchored rule) needs no sentences at all. With Hyperscan, its matches follow as
        ``(end, -1 - slot)``: one list, empty when nothing can match.
        """
        text = blank_asides(text)  # what rules read (same length): see matching.asides
        found = list(self._prefilter.find(lowercase_same_length(text))) if self._anchor_rules else []
        if self._hs is not None:
            found.extend((end, -1 - slot) for end, slot in self._hs.scan(text))
        return found

    def candidates(
        self, text: str, spans: Sequence[tuple[int, int]],
        scanned: Sequence[tuple[int, int]] | None = None,
    ) -> dict[int, list[int]]:
        """Sentence index -> sorted indexes of the rules the literal prefilter proposes there.

        ``scanned`` is :meth:`scan`'s answer for ``text`` when the caller already has it.
        Always the anchor path's view (``explain --verbose`` shows it to rule authors): which
        rules Hyperscan covers depends on what the memo holds yet, and that must not change
        what a user is shown."""
        text = blank_asides(text)
        if self._hs is not None:
            if self._literal_twin is None:
                self._literal_twin = Matcher(self.rules, self.timeout, literal_name(), self._cache)
            return self._literal_twin.candidates(text, spans)
        return self._plan(text, spans, scanned)[0]

    def _plan(
        self, text: str, spans: Sequence[tuple[int, int]],
        scanned: Sequence[tuple[int, int]] | None,
    ) -> tuple[dict[int, list[int]], dict[int, set[int]] | None, dict[int, set[int]], _HsPlan]:
        """The candidates; per sentence the ids of the start literals that open a word there
        (None when the gate is off or no pattern has one); per sentence the anchors found;
        per sentence the Hyperscan-covered rules and their patterns worth trying."""
        if scanned is None:
            scanned = self.scan(text)
        if self._hs is None:
            return (*self._anchor_plan(text, spans, scanned), {})
        hs_found = [(end, -1 - tagged) for end, tagged in scanned if tagged < 0]
        plan, opened, hit = self._anchor_plan(
            text, spans, [x for x in scanned if x[1] >= 0] if hs_found else scanned)
        hs_plan = self._hs.plan(text, spans, hs_found)
        if hs_plan:
            merged(plan, hs_plan)
            plan = {s: plan[s] for s in sorted(plan)}  # sentence order, as hits are reported
        return plan, opened, hit, hs_plan

    def _anchor_plan(
        self, text: str, spans: Sequence[tuple[int, int]], scanned: Sequence[tuple[int, int]],
    ) -> tuple[dict[int, list[int]], dict[int, set[int]] | None, dict[int, set[int]]]:
        """:meth:`_plan` for the rules of the anchor path."""
        starts = [start for start, _ in spans]
        hit: dict[int, set[int]] = {}  # sentence -> anchors found in it
        for position, anchor in scanned:
            sentence = bisect_right(starts, position) - 1
            if sentence >= 0 and position < spans[sentence][1]:
                anchors = hit.get(sentence)
                if anchors is None:
                    hit[sentence] = {anchor}
                else:
                    anchors.add(anchor)
        sentences: Iterable[int] = range(len(spans)) if self.unanchored else sorted(hit)
        if not (self.gate and self._gated_patterns):
            plain: dict[int, list[int]] = {}
            for sentence in sentences:
                rules = set(self.unanchored)
                for anchor in hit.get(sentence, ()):
                    rules.update(self._anchor_rules[anchor])
                plain[sentence] = sorted(rules)
            return plain, None, hit
        opened = self._openings(text, spans, None if self.unanchored else hit)
        plan: dict[int, list[int]] = {}
        anchor_ungated, literal_rules = self._anchor_ungated, self._literal_rules
        rule_anchor_ids = self._rule_anchor_ids
        for sentence in sentences:
            anchors = hit.get(sentence, set())
            rules = set(self._unanchored_ungated)
            for anchor in anchors:
                rules.update(anchor_ungated[anchor])
            for literal in opened.get(sentence, ()):
                for r in literal_rules[literal]:  # gated: opens here; is it anchored here too?
                    if r not in rules and (not (ra := rule_anchor_ids[r]) or not ra.isdisjoint(anchors)):
                        rules.add(r)
            if rules:
                plan[sentence] = sorted(rules)
        return plan, opened, hit

    def _openings(self, text: str, spans: Sequence[tuple[int, int]],
                  found: Collection[int] | None) -> dict[int, set[int]]:
        """Sentence -> ids of the start literals found there at a word start (only in the
        sentences of ``found``, when given).

        Each candidate sentence is scanned on its own rather than the article once: the start
        literals include common openings ("the", "would"), and most of their occurrences lie
        in sentences that hold no anchor, where they were found only to be thrown away. A
        literal that runs past the sentence's end cannot open a match inside it, so the gate
        stays a necessary condition."""
        opened: dict[int, set[int]] = {}
        lowered = lowercase_same_length(text)
        find = self._starts.find
        for sentence in range(len(spans)) if found is None else sorted(found):
            start, end = spans[sentence]
            piece = lowered[start:end]
            ids: set[int] | None = None
            for position, literal in find(piece):
                if position == 0 or not _is_word(piece[position - 1]):
                    if ids is None:
                        ids = opened[sentence] = {literal}
                    else:
                        ids.add(literal)
        return opened

    def match(
        self, text: str, spans: Sequence[tuple[int, int]],
        scanned: Sequence[tuple[int, int]] | None = None,
        supported_context_only: bool = False,
    ) -> tuple[list[Hit], list[RuleTimeout]]:
        """Every hit of every rule in the article, in sentence then rule order.

        ``supported_context_only``: try a context rule (``Rule.context``, a reference such as
        "the strikes") only in an article where a rule of the same action that is not one has
        hit. Its tags are dropped without that support anyway (:func:`merge.keep_supported`),
        so the engine asks for this and skips the searches: context rules are broad, and
        most articles name no action at all. Rule tests and ``explain`` try every rule.
        """
        text = blank_asides(text)  # offsets unchanged: hits point into the caller's text
        hits: list[Hit] = []
        timeouts: list[RuleTimeout] = []
        candidates, opened, found, hs_plan = self._plan(text, spans, scanned)
        deferred: dict[int, list[int]] = {}
        if supported_context_only and self._context_rules:
            context = self._context_rules
            for sentence, rule_indexes in candidates.items():
                later = [r for r in rule_indexes if r in context]
                if later:
                    deferred[sentence] = later
                    candidates[sentence] = [r for r in rule_indexes if r not in context]
        budget = _Budget(self.article_budget + SENTENCE_ALLOWANCE * len(candidates))
        if not self._match_all(text, spans, candidates, opened, found, hs_plan, hits, timeouts,
                               budget):
            return hits, timeouts
        if deferred:
            supported = {hit.rule.action for hit in hits}
            second = {s: kept for s, rules in deferred.items()
                      if (kept := [r for r in rules if self.rules[r].action in supported])}
            if second:
                before = len(hits)
                self._match_all(text, spans, second, opened, found, hs_plan, hits, timeouts, budget)
                if len(hits) > before:  # in sentence then rule order, as one pass gives
                    hits.sort(key=lambda h: (h.sentence, self._rule_order[h.rule.id]))
        return hits, timeouts

    def _match_all(
        self, text: str, spans: Sequence[tuple[int, int]], candidates: Mapping[int, Sequence[int]],
        opened: Mapping[int, set[int]] | None, found: Mapping[int, set[int]], hs_plan: _HsPlan,
        hits: list[Hit], timeouts: list[RuleTimeout], budget: _Budget,
    ) -> bool:
        """:meth:`match_sentence` over each candidate sentence; False when the budget ran out."""
        for done, (sentence, rule_indexes) in enumerate(candidates.items()):
            if not rule_indexes:
                continue
            if not budget.surely_above(0.0):
                budget.restart()
            if budget.left <= 0:
                timeouts.append(RuleTimeout("", sentence, "budget", len(candidates) - done))
                return False
            start, end = spans[sentence]
            if not self.match_sentence(text[start:end], start, sentence, rule_indexes, hits,
                                       timeouts, budget,
                                       None if opened is None else opened.get(sentence, set()),
                                       found.get(sentence, set()), hs_plan.get(sentence)):
                timeouts.append(RuleTimeout("", sentence, "budget", len(candidates) - done))
                return False
        return True

    def match_sentence(
        self,
        sentence_text: str,
        offset: int,
        sentence: int,
        rule_indexes: Sequence[int],
        hits: list[Hit],
        timeouts: list[RuleTimeout],
        budget: _Budget | None = None,
        openings: set[int] | None = None,
        anchors: set[int] | None = None,
        tried: Mapping[int, frozenset[int] | None] | None = None,
    ) -> bool:
        """Run the given rules on one sentence, appending to ``hits`` and ``timeouts``; False
        when the article's budget ran out before every rule was tried.

        With a ``budget`` (one article's), no search may outlast what is left of it, and a rule
        that has used up its strikes is not tried. With ``openings`` (the ids of the start
        literals that open a word in this sentence), a pattern whose matches must open with
        another literal is not tried: it cannot match, so the first pattern that matches, and
        the hit, stay the same. With ``anchors`` (the ids of the anchors found in this
        sentence), likewise a pattern none of whose own anchors is there. With ``tried`` (rule ->
        indexes of its patterns that Hyperscan found here, None for all), a covered rule tries
        only those.
        """
        timeout = self.timeout
        all_compiled = self._compiled
        gated, pattern_gates = self._gated_patterns, self._pattern_gates
        pattern_anchor_ids = self._pattern_anchor_ids
        verdicts: dict[int, bool] = {}  # exclude pattern id -> found in this sentence
        places = self._hs.excludes.places if self._hs is not None else None
        scans: dict[int, frozenset[int]] = {}  # exclude database -> its expressions found here

        def seen(database: int) -> frozenset[int]:
            found = scans.get(database)
            if found is None:
                found = scans[database] = self._hs.excludes.found(database, sentence_text)  # type: ignore[union-attr]
            return found
        for index in rule_indexes:
            if budget is not None:
                if index in budget.struck:
                    continue
                timeout = self.timeout if budget.surely_above(self.timeout) else min(
                    self.timeout, budget.remaining())
                if timeout <= 0:
                    return False
            compiled = all_compiled[index] or self.compiled(index)
            patterns: Sequence[regex.Pattern[str]] = compiled.patterns
            if tried is not None and index in tried and (only := tried[index]) is not None and (
                    len(only) < len(patterns)):
                patterns = [p for i, p in enumerate(patterns) if i in only]
            gates = pattern_gates[index] if openings is not None and index in gated else None
            own = pattern_anchor_ids[index] if anchors is not None else None
            if gates is not None or own is not None:
                kept: list[regex.Pattern[str]] = []
                for i, pattern in enumerate(patterns):
                    gate = gates[i] if gates is not None else None
                    if gate is not None and gate.isdisjoint(openings or ()):
                        continue  # cannot open here
                    if own is not None and own[i].isdisjoint(anchors or ()):
                        continue  # none of its anchors is here
                    kept.append(pattern)
                patterns = kept
            try:
                for pattern in patterns:
                    found = pattern.search(sentence_text, *_NO_BOUNDS, timeout)
                    if found is not None and found.end() > found.start():
                        break  # (an empty match is no evidence: loading refuses such patterns)
                else:
                    continue
                if compiled.exclude and _excluded(compiled.exclude, sentence_text, timeout, verdicts,
                                                  places[index] if places is not None else None, seen):
                    continue
            except TimeoutError:
                if budget is not None and timeout < self.timeout:
                    return False  # the article's time ran out, not the rule's
                timeouts.append(RuleTimeout(compiled.rule.id, sentence))
                if budget is not None:  # its time is on the clock already
                    strikes = budget.strikes[index] = budget.strikes.get(index, 0) + 1
                    if strikes >= RULE_STRIKES:
                        budget.struck.add(index)
                        timeouts.append(RuleTimeout(compiled.rule.id, sentence, "strikes"))
                continue
            hits.append(
                Hit(compiled.rule, sentence, offset + found.start(), offset + found.end())
            )
        return True
