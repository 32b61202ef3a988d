"""The plugin contract: every hook a plugin can implement, and the reference for plugin authors.

A plugin is any module, class instance or object with functions decorated by
``classifier.hookimpl`` and named after the hooks below. Load-time hooks
(``policy_classifier_register_*``) run once, when an :class:`~classifier.Engine` is built; their
results are compiled into one matcher. Per-article and per-sentence hooks run only for plugins
that implement them, so a plugin that only registers rules costs nothing per article.

A hook that raises is isolated: the engine names the plugin and the hook, drops that plugin's
contribution (recording an entry in the profile's ``errors``), and goes on -- unless the engine
runs with ``strict=True``.
"""

from __future__ import annotations

from typing import Callable, Sequence

import pluggy

from classifier.model import Article, Sentence, Tag

PROJECT = "policy_classifier"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def policy_classifier_register_actions(register: Callable[..., None]) -> None:
    """Register the action types this plugin provides. Called once, at load time.

    Call ``register(name, description)`` once per action type. ``name`` is snake_case
    (``"visa_restrictions"``); it is the ``action`` that rules and tags refer to.

    :param register: ``register(name: str, description: str) -> None``.
    """


@hookspec
def policy_classifier_register_rules(register: Callable[..., None]) -> None:
    """Register rules. Called once, at load time, after every action type is registered.

    Call ``register(source)`` with a path to a TOML rule pack, a folder of packs (searched
    recursively for ``*.toml``), or a :class:`classifier.model.Rule`. Every rule is validated
    (id, action, regexes, examples) before any article is read; a bad one stops the load with
    its file, rule id and reason.

    :param register: ``register(source: str | os.PathLike | Rule) -> None``.
    """


@hookspec
def policy_classifier_tag_sentence(sentence: Sentence, article: Article) -> Sequence[Tag] | None:
    """Tag one sentence with logic that regex rules cannot express. Optional and per sentence.

    Only implement this when rules cannot do the job: it is called for every sentence of every
    article (in registration order), which costs far more than a rule. Return new tags (``span`` in article
    coordinates, inside the sentence; ``action`` a registered type) or ``None``.

    :param sentence: the sentence, with its offsets in the article.
    :param article: the whole article (id, text, language).
    """


@hookspec
def policy_classifier_refine_tags(
    sentence: Sentence, tags: Sequence[Tag], article: Article
) -> Sequence[Tag] | None:
    """Refine the tags of one sentence: modality, actor/target, amounts, score, or dropping tags.

    Called for each sentence that has at least one tag, once per implementing plugin, in
    registration order (built-in refiners first, so yours sees and may override their
    modality, actor and amounts; ``tryfirst``/``trylast`` move a plugin); each call sees the
    previous refiner's output. Return the new list of tags (frozen:
    build them with ``dataclasses.replace``) or ``None`` to leave them unchanged. A refiner may
    drop tags but not invent new actions or move spans outside the sentence.

    :param sentence: the sentence the tags belong to.
    :param tags: the sentence's current tags. Overlapping tags of one action have already
        been collapsed into the strongest (see :func:`classifier.pipeline.merge.collapse_overlaps`), so
        a refiner does not spend time on tags that would be dropped, and a tag it drops does
        not leave a weaker overlapping one behind. The engine collapses again afterwards, in
        case a refiner changed a span or a score.
    :param article: the whole article (id, text, language).
    """


@hookspec(firstresult=True)
def policy_classifier_split_sentences(text: str, lang: str) -> Sequence[tuple[int, int]] | None:
    """Split an article into sentences. Stops at first non-None result.

    Return ``(start, end)`` offsets into ``text``, in order and non-overlapping, or ``None`` to
    let the next plugin (ultimately the built-in splitter) decide. Plugins registered later
    are asked first, so yours overrides the built-in splitter.

    :param text: the article text.
    :param lang: the article's language code (``"en"``, ``"es"``...).
    """


@hookspec(firstresult=True)
def policy_classifier_detect_language(text: str) -> str | None:
    """Guess an article's language when the user did not give one. Stops at first non-None result.

    :param text: the article text.
    :return: an ISO 639-1 code such as ``"en"`` or ``"es"``, or ``None`` if unsure.
    """


@hookspec
def policy_classifier_contribute_profile(
    article: Article, tags: Sequence[Tag]
) -> dict[str, object] | None:
    """Add plugin-specific data to an article's profile, under ``extra[<plugin name>]``.

    Called once per article, after every sentence is tagged and refined. Return a JSON-ready
    dict, or ``None`` to add nothing.

    :param article: the whole article (id, text, language).
    :param tags: every tag of the article, refined.
    """
