"""Calling plugin hooks for one article: each call isolated, each result held to the contract.

Why a module of its own: this is the engine's half of the plugin contract -- what happens when
a plugin raises, returns the wrong type or breaks a tag's promises -- and it reads best apart
from the pipeline's steps. A failure costs only that plugin's contribution to that article
(recorded in the profile's errors); with ``strict`` it is fatal instead. The checks of each
kind of result are :mod:`classifier.host.hookresults`.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from classifier.errors import PluginError
from classifier.host.hookresults import ResultError, materialise, tag_problem
from classifier.model import ActionType, ErrorInfo, Sentence, Tag, replaced

T = TypeVar("T")


class HookCalls:
    """Calls plugin hooks for an engine and checks what they return."""

    def __init__(self, strict: bool, actions: Mapping[str, ActionType]) -> None:
        self.strict = strict
        self.actions = actions

    def call(self, impl: Any, errors: list[ErrorInfo], **kwargs: Any) -> Any:
        """Call one plugin's hook, isolating a failure (fatal only when strict).

        Any exception counts, ``SystemExit`` included: a plugin must not end a run that
        thousands of records depend on. Only Ctrl-C (``KeyboardInterrupt``) goes through."""
        try:
            return impl.function(**{k: kwargs[k] for k in impl.argnames})
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.failed(impl.plugin_name, kwargs.get("_hook", "hook"), exc, errors)
            return None

    def failed(self, plugin: str, hook: str, exc: BaseException, errors: list[ErrorInfo]) -> None:
        message = f"{hook} raised {type(exc).__name__}: {exc}"
        if self.strict:
            raise PluginError(plugin, hook, message.split(" ", 1)[1]) from exc
        errors.append(ErrorInfo("PluginError", message, plugin=plugin))

    def valid_tags(
        self, tags: Any, sentence: Sentence, text: str, plugin: str, hook: str,
        errors: list[ErrorInfo], fallback: list[Tag] | None = None,
    ) -> list[Tag]:
        """A plugin's tags if they keep the contract; else its contribution is dropped."""
        kept: list[Tag] = list(fallback) if fallback is not None else []
        listed = self.consume(plugin, hook, errors,
                               lambda: [tags] if isinstance(tags, Tag) else materialise(tags, "Tag"))
        if listed is None:
            return kept
        for tag in listed:
            problem = tag_problem(tag, sentence, text, self.actions)
            if problem:
                self.reject(plugin, hook, problem, errors)
                return kept
        if fallback is None:
            listed = [t if t.sentence == sentence.index else replaced(t, sentence=sentence.index) for t in listed]
        return listed

    def consume(self, plugin: str, hook: str, errors: list[ErrorInfo],
                 read: Callable[[], T]) -> T | None:
        """``read()`` a plugin's result (a generator runs plugin code while it is consumed);
        a failure is the plugin's, isolated like one in the hook itself."""
        try:
            return read()
        except ResultError as exc:
            self.reject(plugin, hook, str(exc), errors)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.failed(plugin, hook, exc, errors)
        return None

    def reject(self, plugin: str, hook: str, problem: str, errors: list[ErrorInfo]) -> None:
        if self.strict:
            raise PluginError(plugin, hook, problem)
        errors.append(ErrorInfo("PluginContractError", f"{hook}: {problem}", plugin=plugin))


def first_result_order(pm: Any, hook: str) -> tuple[Any, ...]:
    """pluggy's own call order (last registered first), so a user's splitter or language
    detector overrides the built-in one. Looked up once per engine."""
    return tuple(reversed(getattr(pm.hook, hook).get_hookimpls()))


def chain_order(pm: Any, hook: str) -> tuple[Any, ...]:
    """Registration order, ``tryfirst`` ones first and ``trylast`` ones last: a refiner chain
    where a third-party refiner sees (and may override) what the built-in ones decided."""
    impls = getattr(pm.hook, hook).get_hookimpls()
    return tuple(
        [i for i in impls if i.tryfirst]
        + [i for i in impls if not i.tryfirst and not i.trylast]
        + [i for i in impls if i.trylast]
    )
