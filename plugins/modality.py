"""Refiner: was a tagged action carried out, threatened, negated, or only talked about?

Rules say *which* action a sentence describes; this plugin says *how*: it sets ``Tag.modality``
(asserted / threatened / negated / other) and ``Tag.cue`` (the words that decided it). Readers
filter on it first ("show me sanctions actually imposed"), so the design favours explainable,
local decisions over clever ones:

* **Data, not code.** The cue regexes live in ``plugins/data/modality.toml`` per language,
  each with an id and examples that the tests run, so a user fixes a miss by adding a cue.
  Languages without a section fall back to English.
* **Local scope.** A cue counts only in the clause around the match: at most ``words_before``
  words back and never across a clause boundary ("; but while as , which" and quotes). So in
  "Mexico denied that the strikes breached its border, as U.S. forces struck two boats" the
  tag on "U.S. forces struck" stays asserted.
* **Before, inside and after.** Cues before the match or inside it (rules may match "threatened
  to impose sanctions") govern it. Cues *after* it count only when they say what happened to the
  action itself: passive and predicate cues such as "sanctions were not imposed", "the tariffs
  were suspended", "will take effect". A negation of some other verb does not count. A
  comma-bracketed relative or participle clause right after the match (``aside_after``) is
  stepped over: "the sanctions, which were announced in March, have yet to be enforced".
* **Coordinated verb phrases share their cue.** In "announced it would ban imports and would
  deny entry", the second "would" follows "and" (``coordinator``) and repeats a cue of the first
  phrase, so it is read as that one: the first phrase's governing cues ("announced it would")
  decide, however far back they stand.
* **A reference reads as the explicit mention beside it.** A context tag ("the measure") with
  no cue of its own, in a sentence that names the same action explicitly, takes that mention's
  modality: both are the same measure.
* **A mention with no cue continues the one before it.** A tag with no cue of its own, at most
  ``continuation_words`` words after a decided tag of the same action with no comma or clause
  boundary between, takes that tag's modality ("proposed duties ... under Section 301").
* **The chain may look past the word limit once.** When it used every cue of the window and
  its farthest cue sits at the window's edge (not at a clause boundary), the window before that
  cue is searched too, so "announced it would" cut to "would" is read whole.
* **Cues combine like a chain.** Starting from the cue nearest the match, each cue governs the
  next one inward when they are at most ``chain_gap_words`` apart (or joined by "that"; a cue
  marked ``reach``, such as "if", governs everything after it in its clause):
  "refused to lift sanctions" -> negated(other: lift) -> asserted (the sanctions stay);
  "did not rule out" -> threatened; "would have imposed" -> other; "approved the extradition
  request" -> asserted. The table is in :func:`combine`.
* **Denials of another predicate.** A negating cue separated from the match by "that" does not
  negate a match that is the subject of its own verb: "Mexico denied that the strikes breached
  its border" keeps the strikes asserted (Mexico denies the breach, not the strikes), while
  "denied that sanctions were imposed" is negated (the predicate is the action's own).

The seed article's "Despite Mexican President Claudia Sheinbaum's reassurance that these military
actions will not breach Mexican borders" is therefore **asserted**, cue ``None``: "will not" negates
"breach", not the actions, and a reader wants to know that the U.S. decided to act (the actions
were approved earlier in the article), not that Mexico ruled something out. The future "will"
qualifies where the actions happen, not whether; we do not read it as a threat.

Reporting verbs ("said", "according to") are not cues: they do not change modality.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Sequence

import regex

from classifier.errors import ConfigError
from classifier.hookspecs import hookimpl
from classifier.model import Article, Sentence, Tag
from classifier.pluginkit import FactStore, default_folder

from ._modality_cues import (
    Cue,
    CueHit,
    Decision,
    LangCues,
    combine,
    load_lang_cues,
)

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = Path(__file__).resolve().parent / "data" / "modality.toml"
FALLBACK_LANG = "en"
_WORDS_BACK = r"(?:\S+\s*){0,%d}$"  # searched in reverse: the last N words before a position
_SPAN = regex.compile(r"\[\[(.+?)\]\]")
_ACTION = regex.compile(r"\{(\w+)\}\s*")  # an example's leading "{sanctions}": the tag's action


@dataclass
class _Reading:
    """The modality read so far along a chain of cues, and the cue that decided it.

    ``add`` lets the next (outer) cue govern the reading; ``take_back`` undoes the last
    ``add``'s effect on the modality (the cue stays in the chain, for the cue text), when it
    turns out to be the end of a longer cue read later."""

    modality: str | None
    decider: Cue | None
    hits: list[CueHit]
    before_last: tuple[str | None, Cue | None]

    @classmethod
    def starting_with(cls, after: CueHit | None) -> "_Reading":
        if after is None:
            return cls(None, None, [], (None, None))
        return cls(after.cue.modality, after.cue, [after], (after.cue.modality, after.cue))

    def add(self, hit: CueHit) -> None:
        self.before_last = (self.modality, self.decider)
        result = combine(hit.cue, self.modality, self.decider)
        if result != self.modality:
            self.decider = hit.cue
        self.modality = result
        self.hits.append(hit)

    def take_back(self) -> None:
        self.modality, self.decider = self.before_last


class ModalityRefiner:
    """The plugin: compiled cue sets per language, loaded once from a TOML file."""

    name = "modality"

    def __init__(self, path: str | Path = DATA) -> None:
        self.path = Path(path)
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read modality cues: {exc}") from exc
        # ~200 patterns and the anchors of ~90 cues, read back from earlier runs: ~0.8 s less
        memo = FactStore(default_folder(), "refiner")
        settings = data.get("settings", {})
        self.words_before = int(settings.get("words_before", 8))
        self.words_after = int(settings.get("words_after", 8))
        self.after_start_words = int(settings.get("after_start_words", 6))
        self.chain_gap_words = int(settings.get("chain_gap_words", 3))
        self._back = memo.code.compile(_WORDS_BACK % self.words_before, regex.REVERSE)
        self._ahead = memo.code.compile(r"(?:\s*\S+){0,%d}" % self.words_after)
        self.coordination_words = int(settings.get("coordination_words", 20))
        self.continuation_words = int(settings.get("continuation_words", 12))
        self._coordination_back = memo.code.compile(
            _WORDS_BACK % self.coordination_words, regex.REVERSE)
        self._hard_stop = memo.code.compile(r"[;:\"“”«»()\[\]]|—|–|\s-\s")
        self.langs: dict[str, LangCues] = {
            lang: load_lang_cues(self.path, lang, section, memo)
            for lang, section in data.items()
            if lang != "settings" and isinstance(section, dict)
        }
        if FALLBACK_LANG not in self.langs:
            raise ConfigError(f"{self.path}: no [{FALLBACK_LANG}] section (the fallback language)")
        memo.save()

    # -- deciding -----------------------------------------------------------------------------

    def decide(self, text: str, start: int, end: int, lang: str,
               action: str | None = None) -> Decision:
        """Decide the modality of ``text[start:end]`` (a match inside the sentence ``text``),
        a tag of ``action`` when given (a cue may read differently per action: ``as_action``).

        Reads a chain of cues outwards from the match: an after-cue first ("... have yet to be
        enforced"), then before-cues nearest first, each governing the reading so far while it
        is linked to the previous one. Twice at most the chain jumps: once back through a
        coordination ("would ban imports and would deny entry"), once past the word limit
        ("announced it would"); either jump may show that the last cue was part of a longer
        one, whose own reading then stands in for it.
        """
        cues = self.langs.get(lang) or self.langs[FALLBACK_LANG]
        window_lo = self._window_start(cues, text, start)  # a few words back, cut at a clause
        queue = deque(self._nearest_first(cues, text, window_lo, end, action))
        after = self._after_hit(cues, text, end, action)
        reading = _Reading.starting_with(after)
        previous: CueHit | None = None
        shared = extended = False  # each jump at most once
        while True:
            if not queue:
                more = None if extended else self._beyond(cues, text, previous, start, window_lo,
                                                          action)
                if not more:
                    break
                extended = True
                window_lo = self._window_start(cues, text, more[0].start)
                if previous is not None and more[0].start <= previous.start <= previous.end <= more[0].end:
                    reading.take_back()  # "would", cut from "announced it would"
                queue = deque(more)
            hit = queue.popleft()
            if previous is not None and not self._linked(cues, text, hit, previous):
                break
            if (previous is None and after is None and hit.cue.modality == "negated"
                    and hit.end <= start and cues.complementiser.search(text, hit.end, start)
                    and cues.predicate.match(text[end:end + 160])):
                break  # "denied that the strikes breached ...": the denial is of "breached"
            reading.add(hit)
            previous = hit
            earlier = None if shared or hit.end > start else self._coordinated(cues, text, hit)
            if earlier is not None:  # the first of two coordinated phrases: read on from it
                shared = True
                window_lo = self._window_start(cues, text, earlier.start)
                queue = deque(self._nearest_first(cues, text, window_lo, earlier.end, action))
                if queue and queue[0].end > earlier.start:
                    reading.take_back()  # the first phrase's own cue stands in for this one
                previous = earlier
        if reading.modality is None:
            return Decision("asserted", None)
        return Decision(reading.modality, self._cue_text(text, reading.hits, start, end),
                        tuple(reading.hits))

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

    # -- the hook -----------------------------------------------------------------------------

    @hookimpl
    def policy_classifier_refine_tags(
        self, sentence: Sentence, tags: Sequence[Tag], article: Article
    ) -> list[Tag]:
        """Set modality and cue on every tag still at the default (asserted, no cue)."""
        out: list[Tag] = []
        decided: list[Tag] = []  # tags decided here with a cue
        for tag in tags:
            start, end = tag.span[0] - sentence.start, tag.span[1] - sentence.start
            if tag.cue is not None or tag.modality != "asserted" or not (
                0 <= start <= end <= len(sentence.text)
            ):
                out.append(tag)  # a tagger already decided, or a span we cannot place
                continue
            decision = self.decide(sentence.text, start, end, article.lang, tag.action)
            out.append(replace(tag, modality=decision.modality, cue=decision.cue))
            if decision.cue is not None:
                decided.append(out[-1])
        out = [self._continued(sentence, tag, decided, article.lang) for tag in out]
        return [self._referred(tag, out) for tag in out]

    @staticmethod
    def _referred(tag: Tag, tags: Sequence[Tag]) -> Tag:
        """A reference with no cue of its own ("the measure", "la decisión": a context tag) in a
        sentence that also names the action explicitly is read as that mention: in "Esta acción
        refleja la política de ofrecer un alivio de sanciones" the reference is the relief."""
        if tag.via != "context" or tag.cue is not None or tag.modality != "asserted":
            return tag
        explicit = [t for t in tags if t.action == tag.action and t.via != "context"]
        if not explicit:
            return tag
        nearest = min(explicit, key=lambda t: abs(t.span[0] - tag.span[0]))
        return replace(tag, modality=nearest.modality, cue=nearest.cue)

    def _continued(self, sentence: Sentence, tag: Tag, decided: Sequence[Tag], lang: str) -> Tag:
        """A tag with no cue of its own that continues the phrase of an earlier tag of the same
        action takes that tag's modality: in "proposed duties of up to 100% on cargo ships under
        Section 301" the second mention is part of the proposal. Continuing means: at most
        ``continuation_words`` words between them and no comma or clause boundary."""
        if tag.cue is not None or tag.modality != "asserted":
            return tag
        cues = self.langs.get(lang) or self.langs[FALLBACK_LANG]
        best: Tag | None = None
        for other in decided:
            if other.action != tag.action or other.span[1] > tag.span[0]:
                continue
            gap = sentence.text[other.span[1] - sentence.start:tag.span[0] - sentence.start]
            if ("," in gap or len(gap.split()) > self.continuation_words
                    or cues.clause_before.search(gap)):
                continue
            if best is None or other.span[1] > best.span[1]:
                best = other
        if best is None:
            return tag
        return replace(tag, modality=best.modality, cue=best.cue)

    # -- examples -----------------------------------------------------------------------------

    def examples(self) -> Iterator[tuple[str, Cue, str, str]]:
        """Every example of the data file: ``(lang, cue, "match"|"no_match", sentence)``."""
        for lang, cues in self.langs.items():
            for cue in cues.before.cues + cues.after.cues:
                for sentence in cue.examples.match:
                    yield lang, cue, "match", sentence
                for sentence in cue.examples.no_match:
                    yield lang, cue, "no_match", sentence

    def check_example(self, lang: str, cue: Cue, kind: str, sentence: str) -> str | None:
        """None if the example behaves as its list says, else what went wrong.

        A sentence may start with ``{action}`` (``"{sanctions} The EU [[suspended sanctions]]"``):
        the span is then read as a tag of that action, and a match must end in the cue's
        ``as_action`` modality for it."""
        action = None
        head = _ACTION.match(sentence)
        if head is not None:
            action, sentence = head.group(1), sentence[head.end():]
        spans = list(_SPAN.finditer(sentence))
        if len(spans) != 1:
            return f"{cue.id}: mark exactly one span with [[...]] in {sentence!r}"
        marked = spans[0]
        text = sentence[:marked.start()] + marked.group(1) + sentence[marked.end():]
        start = marked.start()
        decision = self.decide(text, start, start + len(marked.group(1)), lang, action)
        took_part = any(h.cue.id == cue.id for h in decision.hits)
        expected = cue.as_action.get(action, cue.modality) if action else cue.modality
        if kind == "match" and not (took_part and decision.modality == expected):
            return (f"{cue.id}: expected {expected} decided by this cue, got "
                    f"{decision.modality} (cue {decision.cue!r}) in {sentence!r}")
        if kind == "no_match" and took_part:
            return f"{cue.id}: must not decide, but did ({decision.modality}) in {sentence!r}"
        return None


plugin = ModalityRefiner()


def detect_modality(sentence_text: str, start: int, end: int, lang: str) -> tuple[str, str | None]:
    """``(modality, cue)`` of the match ``sentence_text[start:end]``, with the built-in cues."""
    decision = plugin.decide(sentence_text, start, end, lang)
    return decision.modality, decision.cue
