"""The Engine: loads plugins and rules once, then profiles articles.

An Engine owns its plugin manager (no module-global state), compiles every rule of every plugin
into one :class:`~classifier.matching.matcher.Matcher` per language at construction, and afterwards only
reads its own attributes: it is cheap per call, reusable, and safe to share across threads.

Per article: detect the language (unless given), split sentences, match all rules at once, run
tagger plugins (only if any exist), collapse each tagged sentence's overlapping tags, refine the
survivors through the refiner plugins, collapse again (a refiner may change a span or a score),
and merge them into an :class:`ArticleProfile`.

Why collapse before refining: several rules often fire on the same words (~2.5 tags per tagged
sentence on news), and the refiners' work is paid per tag; refining only the tags that can be
reported saves a clear share of every article's time, with identical profiles on the dev,
held-out and PLOVER texts and 2,000 benchmark articles.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Mapping, Sequence, TypeVar

from classifier.errors import ConfigError
from classifier.host.hookresults import (
    checked_spans,
    json_problem,
    language_problem,
    materialise,
)
from classifier.host.loading import LoadedPlugins, load_plugins
from classifier.inputs.records import missing_text
from classifier.matching.factstore import FactStore, default_folder
from classifier.matching.matcher import DEFAULT_TIMEOUT, Hit, Matcher
from classifier.matching.patterncache import PatternCache
from classifier.matching.segment import split_spans
from classifier.model import (
    ActionType,
    Article,
    ArticleProfile,
    ErrorInfo,
    ErrorRecord,
    Rule,
    Sentence,
    Tag,
)
from classifier.pipeline.hookcalls import HookCalls, chain_order, first_result_order
from classifier.pipeline.langmatchers import ANY_LANG, LangMatchers, timeout_error
from classifier.pipeline.merge import build_profile, collapse_overlaps, keep_supported

DEFAULT_LANG = "en"
BUILTIN_SPLITTER = "segment"  # the name classifier.host.registry gives classifier.plugins.segmenter

RuleSource = "str | os.PathLike[str] | Rule"
T = TypeVar("T")


class Engine:
    """Classify news articles with every loaded plugin's action types and rules.

    :param plugins: plugin objects (modules, instances) to register besides the defaults.
    :param rules: extra rule packs (paths to TOML files or folders) or :class:`Rule` objects.
    :param plugin_paths: Python files or folders of files to load as plugins.
    :param entry_points: also load installed plugins of the ``policy_classifier`` group.
    :param strict: make any plugin failure fatal instead of isolating it.
    :param lang: force every article's language (None: detect per article).
    :param timeout: seconds one pattern may spend on one sentence before it is skipped.
    :param prefilter: ``"auto"``, ``"hyperscan"``, ``"aho-corasick"`` or ``"regex"`` (the
        pure-Python path); all give the same profiles.
    :param all_sentences: list every sentence in profiles, not only tagged ones.
    :param env: environment mapping to read ``POLICY_CLASSIFIER_PLUGINS`` from (default: os.environ).
    """

    def __init__(
        self,
        plugins: Iterable[object] = (),
        rules: Iterable[Any] = (),
        *,
        plugin_paths: Iterable[str | os.PathLike[str]] = (),
        entry_points: bool = True,
        strict: bool = False,
        lang: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        prefilter: str = "auto",
        all_sentences: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.strict = strict
        self.lang = None if lang in (None, "auto") else lang
        self.all_sentences = all_sentences
        loaded: LoadedPlugins = load_plugins(
            plugins=plugins,
            rules=rules,
            plugin_paths=plugin_paths,
            entry_points=entry_points,
            strict=strict,
            env=env,
            patterns=PatternCache(FactStore(default_folder(env))),
        )
        self.pm = loaded.pm
        self.plugin_info = loaded.info
        self.load_problems = tuple(loaded.problems)
        self.actions: Mapping[str, ActionType] = loaded.actions
        self._hooks = HookCalls(strict, self.actions)
        self.rules: tuple[Rule, ...] = loaded.rules
        _check_lang(self.lang, self.rules)
        self._matchers = LangMatchers(self.rules, timeout, prefilter, loaded.patterns)
        loaded.patterns.remember_all(self.rules)  # for the next start-up
        self._splitters = first_result_order(self.pm, "policy_classifier_split_sentences")
        # Only the built-in splitter is known to be pure (no errors, no side effects), so only
        # with it may an article without candidates skip splitting.
        self._builtin_splitter = [i.plugin_name for i in self._splitters] == [BUILTIN_SPLITTER]
        self._detectors = first_result_order(self.pm, "policy_classifier_detect_language")
        self._taggers = chain_order(self.pm, "policy_classifier_tag_sentence")
        self._refiners = chain_order(self.pm, "policy_classifier_refine_tags")
        self._contributors = chain_order(self.pm, "policy_classifier_contribute_profile")

    # -- public API -------------------------------------------------------------------------

    def matcher(self, lang: str) -> Matcher:
        """The compiled matcher used for articles in ``lang``."""
        return self._matchers.get(lang)

    def hits(self, text: str, lang: str | None = None) -> list[Hit]:
        """Raw rule hits before refinement and merging: what rule tests and ``explain`` need."""
        errors: list[ErrorInfo] = []
        lang = lang or self.lang or self._detect(text, errors) or DEFAULT_LANG
        return self.matcher(lang).match(text, self._split(text, lang, errors))[0]

    def classify(
        self, text: str, id: str | None = None, lang: str | None = None,
        *, all_sentences: bool | None = None,
    ) -> ArticleProfile:
        """Profile one article. Raises TypeError for non-str text; never for odd content.

        ``all_sentences`` overrides the engine's setting for this call.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        errors: list[ErrorInfo] = []
        lang = lang or self.lang or self._detect(text, errors) or DEFAULT_LANG
        every = self.all_sentences if all_sentences is None else all_sentences
        matcher = self.matcher(lang)
        scanned = matcher.scan(text)  # match first: no anchor, no sentence worth splitting
        if (not scanned and not matcher.unanchored and not every and not self._taggers
                and self._builtin_splitter):
            return build_profile(id, lang, (), (), errors,
                                 self._contributions(Article(id, text, lang), [], errors))
        spans = self._split(text, lang, errors)
        article = Article(id, text, lang)
        # Context rules need an explicit tag of their action; taggers may add one, so with
        # taggers every rule is tried.
        hits, timeouts = matcher.match(text, spans, scanned, supported_context_only=not self._taggers)
        for timeout in timeouts:
            errors.append(timeout_error(timeout, matcher.timeout))
        by_sentence: dict[int, list[Tag]] = {}
        for hit in hits:
            end = _word_end(text, hit.end, spans[hit.sentence][1])
            by_sentence.setdefault(hit.sentence, []).append(Tag(
                action=hit.rule.action, rule=hit.rule.id, plugin=hit.rule.plugin,
                sentence=hit.sentence, span=(hit.start, end),
                text=text[hit.start:end], score=hit.rule.weight,
                via="context" if hit.rule.context else None,
            ))
        if self._taggers:
            self._run_taggers(article, spans, by_sentence, errors)
        refined: list[Tag] = []
        for index in sorted(by_sentence):
            sentence = _sentence(text, spans, index)
            survivors = collapse_overlaps(by_sentence[index])
            refined.extend(collapse_overlaps(self._refine(sentence, survivors, article, errors)))
        tags = keep_supported(refined, {hit.rule.id: hit.rule.context_window for hit in hits
                                        if hit.rule.context_window is not None})
        tagged = [_sentence(text, spans, i) for i in sorted({tag.sentence for tag in tags})]
        sentences = [_sentence(text, spans, i) for i in range(len(spans))] if every else tagged
        extra = self._contributions(article, tags, errors)
        return build_profile(id, lang, sentences, tags, errors, extra)

    def classify_many(
        self,
        records: Iterable[Any],
        text_field: str = "text",
        id_field: str = "id",
    ) -> Iterator[ArticleProfile | ErrorRecord]:
        """Profile each record in order: a str, a ``(id, text)`` pair or a mapping.

        Yields exactly one result per record: a profile, or an :class:`ErrorRecord` saying why
        the record could not be read (nothing is silently dropped), with the error types the
        CLI uses: ``InvalidRecord`` (not a str, pair or mapping), ``MissingText`` (no text, or
        None) and ``InvalidText`` (text that is not a str).
        """
        for number, record in enumerate(records, 1):
            record_id: str | None = None
            text: Any = None
            if isinstance(record, str):
                text = record
            elif isinstance(record, tuple) and len(record) == 2:
                record_id, text = record
            elif isinstance(record, Mapping):
                record_id = record.get(id_field)
                text = record.get(text_field)
            else:
                yield ErrorRecord(None, "InvalidRecord",
                                  f"expected a str, (id, text) or mapping, got {type(record).__name__}",
                                  line=number)
                continue
            shown = None if record_id is None else str(record_id)
            if text is None:
                reason = missing_text(record, text_field) if isinstance(record, Mapping) else "text is None"
                yield ErrorRecord(shown, "MissingText", reason, line=number)
            elif not isinstance(text, str):
                yield ErrorRecord(shown, "InvalidText",
                                  f"field '{text_field}' must be a string, got {type(text).__name__}",
                                  line=number)
            else:
                yield self.classify(text, id=shown)

    # -- per-article steps ----------------------------------------------------------------

    def _detect(self, text: str, errors: list[ErrorInfo]) -> str | None:
        hook = "policy_classifier_detect_language"
        for impl in self._detectors:
            lang = self._hooks.call(impl, errors, text=text, _hook=hook)
            if lang is None:
                continue
            problem = language_problem(lang)
            if problem is None:
                return str(lang)
            self._hooks.reject(impl.plugin_name, hook, problem, errors)
        return None

    def _split(self, text: str, lang: str, errors: list[ErrorInfo]) -> list[tuple[int, int]]:
        if self._builtin_splitter:  # its spans are known good (the property tests check them)
            return split_spans(text, lang)
        for impl in self._splitters:
            hook = "policy_classifier_split_sentences"
            spans = self._hooks.call(impl, errors, text=text, lang=lang, _hook=hook)
            if spans is None:
                continue
            # B023 is a false alarm here: _consume calls the lambda at once, inside this iteration,
            # so it always reads this plugin's spans (a default argument would defeat mypy's typing).
            checked = self._hooks.consume(impl.plugin_name, hook, errors,
                                    lambda: checked_spans(materialise(spans, "spans"), len(text)))  # noqa: B023
            if checked is not None:
                return checked
            self._hooks.reject(impl.plugin_name, hook,
                         "returned spans that are not ordered, non-overlapping and inside the text",
                         errors)
        return split_spans(text, lang)

    def _run_taggers(
        self, article: Article, spans: Sequence[tuple[int, int]],
        by_sentence: dict[int, list[Tag]], errors: list[ErrorInfo],
    ) -> None:
        for index in range(len(spans)):
            sentence = _sentence(article.text, spans, index)
            for impl in self._taggers:
                new = self._hooks.call(impl, errors, sentence=sentence, article=article,
                                 _hook="policy_classifier_tag_sentence")
                if new:
                    valid = self._hooks.valid_tags(new, sentence, article.text, impl.plugin_name,
                                             "policy_classifier_tag_sentence", errors)
                    if valid:
                        by_sentence.setdefault(index, []).extend(valid)

    def _refine(
        self, sentence: Sentence, tags: list[Tag], article: Article, errors: list[ErrorInfo]
    ) -> list[Tag]:
        for impl in self._refiners:
            new = self._hooks.call(impl, errors, sentence=sentence, tags=tuple(tags), article=article,
                             _hook="policy_classifier_refine_tags")
            if new is not None:
                tags = self._hooks.valid_tags(new, sentence, article.text, impl.plugin_name,
                                        "policy_classifier_refine_tags", errors, fallback=tags)
        return tags

    def _contributions(
        self, article: Article, tags: list[Tag], errors: list[ErrorInfo]
    ) -> dict[str, object]:
        extra: dict[str, object] = {}
        for impl in self._contributors:
            hook = "policy_classifier_contribute_profile"
            value = self._hooks.call(impl, errors, article=article, tags=tuple(tags), _hook=hook)
            if value is None:
                continue
            problem = json_problem(value)
            if problem is None:
                extra[impl.plugin_name] = value
            else:
                self._hooks.reject(impl.plugin_name, hook, problem, errors)
        return extra


def _check_lang(lang: str | None, rules: Sequence[Rule]) -> None:
    """A forced language must be one that rules are written for: ``--lang xx`` used to run the
    English rules silently and report ``lang=xx``."""
    known = sorted({rule.lang for rule in rules} - {ANY_LANG})
    if lang is not None and known and lang not in known:
        raise ConfigError(f"--lang {lang!r}: no rules are written for this language; use 'auto' "
                          f"(detect per article) or one of: {', '.join(known)}")


def _word_end(text: str, end: int, limit: int) -> int:
    """A match's end moved to the end of the word it stops inside: a pattern may end on a stem
    or a first letter ("tariffs of 73.6 percen", "ban the transit of goods to Russia's Ka"), and
    the evidence a reader sees, and the roles read after it, need the whole word."""
    while 0 < end < limit and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return end


def _sentence(text: str, spans: Sequence[tuple[int, int]], index: int) -> Sentence:
    start, end = spans[index]
    return Sentence(index, start, end, text[start:end])
