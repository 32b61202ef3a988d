"""How far a modality cue reaches: the word windows around a match, coordination, cue chains.

Part of :mod:`classifier.plugins.modality` (its docstring says what the windows are for); a
mix-in of its :class:`~classifier.plugins.modality.ModalityRefiner`, which compiles the window
patterns and reads the settings these methods use.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._modality_cues import CueHit, LangCues

_WORDS_BACK = r"(?:\S+\s*){0,%d}$"  # searched in reverse: the last N words before a position


class CueScope:
    """The window and chain methods of the modality refiner."""

    words_before: int
    words_after: int
    after_start_words: int
    chain_gap_words: int
    coordination_words: int
    continuation_words: int
    _back: Any
    _ahead: Any
    _coordination_back: Any
    _hard_stop: Any

    def _beyond(self, cues: LangCues, text: str, farthest: CueHit | None, start: int,
                window_lo: int, action: str | None = None) -> list[CueHit]:
        """Cues just past the window's word limit, linked to the chain's farthest cue.

        Only when the chain used every cue of the window and its farthest cue is a before-cue:
        the window before *that* cue may hold the rest of a longer cue or a governing one.
        """
        if farthest is None or farthest.end > start:
            return []
        lo = self._window_start(cues, text, farthest.start)
        if lo >= window_lo or cues.clause_before.search(text, lo, farthest.end):
            return []  # the window ended at a clause boundary, or at the sentence's start
        return [h for h in self._nearest_first(cues, text, lo, farthest.end, action)
                if h.start < window_lo]

    def _window_start(self, cues: LangCues, text: str, start: int) -> int:
        """Where the window before ``start`` begins: a few words back, cut at a clause boundary."""
        back = self._back.search(text, 0, start)
        lo = back.start() if back else start
        for boundary in cues.clause_before.finditer(text, lo, start):
            lo = boundary.end()
        return lo

    def _refusal_beyond(self, cues: LangCues, text: str, lo: int, start: int,
                        action: str | None = None) -> list[CueHit]:
        """Negating cues that govern, from past the word limit, the "that"-clause the match
        stands in: "descartó este miércoles durante su conferencia que el país responda con
        aranceles", "denied on Tuesday in a long statement that ...". Only when the word limit
        (not a boundary) ended the window and the window holds a "that"-word; only the words
        before the first one are searched, and only refusals and denials (verbs that take a
        clause) are taken: a plain "would" past a relative "that" is another verb's."""
        if lo <= 0 or cues.clause_before.search(text, max(0, lo - 1), lo + 1):
            return []
        back = self._back.search(text, 0, start)
        if back is None or back.start() != lo:
            return []  # a boundary, not the word limit, ended the window
        that = cues.complementiser.search(text, lo, start)
        if that is None:
            return []
        far = self._window_start(cues, text, that.start())
        if far >= lo:
            return []
        return [h for h in self._nearest_first(cues, text, far, lo, action)
                if h.cue.modality == "negated" and h.end <= lo]

    def _coordinated(self, cues: LangCues, text: str, hit: CueHit) -> CueHit | None:
        """The same cue in the first of two coordinated verb phrases, or None.

        ``hit`` must follow "and"/"or" ("... would ban imports and would deny entry"); the answer
        is the nearest earlier match of the same cue with the same words (or, when ``hit`` is a
        ``coordination_echo`` such as a Spanish conditional, the nearest earlier echo: the verbs
        differ in "prohibiría X y que impondría Y"), at most
        ``coordination_words`` back and with no sentence-level boundary in between.
        """
        if cues.coordinator is None:
            return None
        head = text[max(0, hit.start - 40):hit.start]
        joint = cues.coordinator.search(head)
        if joint is None:
            return None
        joint_start = hit.start - len(head) + joint.start()
        back = self._coordination_back.search(text, 0, joint_start)
        lo = back.start() if back else joint_start
        if self._hard_stop.search(text, lo, joint_start):
            lo = max(m.end() for m in self._hard_stop.finditer(text, lo, joint_start))
        echo = cues.coordination_echo
        if echo is not None and echo.fullmatch(text, hit.start, hit.end):
            found = list(echo.finditer(text, lo, joint_start))  # "prohibiría ... y que impondría"
        else:
            words = text[hit.start:hit.end].lower().split()
            pattern = next(c for c, cue in zip(cues.before.compiled, cues.before.cues)
                           if cue.id == hit.cue.id)
            found = [m for m in pattern.finditer(text, lo, joint_start, overlapped=True)
                     if m.group().lower().split() == words]
        if not found:
            return None
        last = max(found, key=lambda m: m.start())
        return CueHit(hit.cue, last.start(), last.end())

    def _nearest_first(self, cues: LangCues, text: str, lo: int, hi: int,
                       action: str | None = None) -> list[CueHit]:
        """Cue hits in ``text[lo:hi]``, nearest the end first, overlaps resolved to the longest."""
        lowered = text[lo:hi].lower()
        found = [
            CueHit(cues.before.cue_for(i, action), m.start(), m.end())
            for i in cues.before.candidates(lowered)
            for m in cues.before.compiled[i].finditer(text, lo, hi, overlapped=True)
        ]
        found.sort(key=lambda h: (-h.end, h.start))
        kept: list[CueHit] = []
        for hit in found:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        return kept

    def _after_hit(self, cues: LangCues, text: str, end: int,
                   action: str | None = None) -> CueHit | None:
        """The first after-cue right after the match, inside its clause, or None.

        A comma-bracketed relative or participle clause right after the match is stepped over:
        in "the sanctions, which were announced in March, have yet to be enforced" the
        predicate of the sanctions is "have yet to be enforced".
        """
        if cues.aside_after is not None:
            aside = cues.aside_after.match(text, end)
            if aside is not None:
                return self._after_window(cues, text, aside.end(), action)
        return self._after_window(cues, text, end, action)

    def _after_window(self, cues: LangCues, text: str, end: int,
                      action: str | None = None) -> CueHit | None:
        ahead = self._ahead.match(text, end)
        hi = ahead.end() if ahead else end
        boundary = cues.clause_after.search(text, end, hi)
        if boundary:
            hi = boundary.start()
        window = text[end:hi]  # a slice, so that "^" in a cue means "right after the match"
        best: CueHit | None = None
        lowered = window.lower()
        for i in cues.after.candidates(lowered):
            for m in cues.after.compiled[i].finditer(window, overlapped=True):
                if len(window[:m.start()].split()) > self.after_start_words:
                    break
                if best is None or (end + m.start(), -end - m.end()) < (best.start, -best.end):
                    best = CueHit(cues.after.cue_for(i, action), end + m.start(), end + m.end())
        return best

    def _linked(self, cues: LangCues, text: str, outer: CueHit, inner: CueHit) -> bool:
        """Does ``outer`` govern ``inner``? Close enough, or joined by "that"/"que"."""
        if outer.end > inner.start:  # an after-cue: the nearest before-cue governs it
            return True
        if cues.complementiser_start.match(text, outer.end, inner.start) is not None:
            return True  # "denied that its jets had bombed"
        gap = text[outer.end:inner.start]
        if outer.cue.reach:  # "if Washington went ahead with the planned deployment"
            return "," not in gap and not cues.clause_before.search(gap)
        return "," not in gap and len(gap.split()) <= self.chain_gap_words

    @staticmethod
    def _cue_text(text: str, chain: Sequence[CueHit], start: int, end: int) -> str:
        """The cue words in reading order: one phrase when close ("refused to lift"), else
        joined by " … " ("denied … had been delayed"); never the matched words themselves."""
        ordered = sorted(chain, key=lambda h: h.start)
        first, last = ordered[0], ordered[-1]
        around = first.end <= start and last.start >= end  # cues on both sides of the match
        if last.end - first.start <= 60 and not around:
            return " ".join(text[first.start:last.end].split())
        return " … ".join(" ".join(text[h.start:h.end].split()) for h in ordered)
