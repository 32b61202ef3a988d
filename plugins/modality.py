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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import regex

from classifier.errors import ConfigError
from classifier.hookspecs import hookimpl
from classifier.model import Article, Sentence, Tag, replaced
from classifier.pluginkit import FactStore, default_folder

from ._modality_cues import (
    Cue,
    CueHit,
    Decision,
    LangCues,
    combine,
    load_lang_cues,
)
from ._modality_scope import _WORDS_BACK, CueScope

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = Path(__file__).resolve().parent / "data" / "modality.toml"
FALLBACK_LANG = "en"
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


class ModalityRefiner(CueScope):
    """The plugin: compiled cue sets per language, loaded once from a TOML file.

    Deciding a tag's modality is here; how far each cue reaches (windows, coordination,
    chains) is :class:`~classifier.plugins._modality_scope.CueScope`."""

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
        if not queue:  # "descartó ... durante su conferencia que el país responda con aranceles"
            queue.extend(self._refusal_beyond(cues, text, window_lo, start, action)[:1])
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
            out.append(replaced(tag, modality=decision.modality, cue=decision.cue))
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
        return replaced(tag, modality=nearest.modality, cue=nearest.cue)

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
        return replaced(tag, modality=best.modality, cue=best.cue)

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
