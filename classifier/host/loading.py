"""Load time: gather plugins, then their action types and rules, and check them all together.

This is the only place where registration hooks run. Each plugin's hook is called on its own
so that a plugin that raises is named and left out whole (its action types and rules with it),
while a *rule pack* that is wrong stops the load: silently running without a user's rules
would give wrong answers that look right.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

import pluggy

from classifier.errors import ConfigError
from classifier.host.packplace import Place
from classifier.host.registry import LoadProblem, PluginInfo, PluginLoader, gather_plugins
from classifier.host.rulepack import ACTION_NAME, RULE_ID, check_patterns, load_rules
from classifier.matching.anchors import rule_anchors
from classifier.matching.patterncache import PatternCache
from classifier.matching.patterncheck import compile_flags
from classifier.model import ActionType, Rule

USER_PLUGIN = "user"


@dataclass(frozen=True)
class LoadedPlugins:
    """Everything an Engine needs from load time."""

    pm: pluggy.PluginManager
    info: Mapping[str, PluginInfo]
    problems: tuple[LoadProblem, ...]
    actions: Mapping[str, ActionType]
    rules: tuple[Rule, ...]
    patterns: PatternCache  # every pattern, compiled once while validating, for the matchers


def load_plugins(
    plugins: Iterable[object] = (),
    rules: Iterable[Any] = (),
    plugin_paths: Iterable[str | os.PathLike[str]] = (),
    entry_points: bool = True,
    strict: bool = False,
    env: Mapping[str, str] | None = None,
    patterns: PatternCache | None = None,
) -> LoadedPlugins:
    """Register every plugin, collect its action types and rules, and check them together:
    what an Engine is built from. A rule's id must be unique and its action registered."""
    loader = gather_plugins(plugins, plugin_paths, entry_points, strict, env)
    patterns = patterns if patterns is not None else PatternCache()
    actions = _register_actions(loader)
    all_rules = _register_rules(loader, patterns)
    for source in rules:
        all_rules.extend(_rules_from(source, USER_PLUGIN, patterns))
    _check_rules(all_rules, actions)
    return LoadedPlugins(
        pm=loader.pm,
        info=dict(loader.info),
        problems=tuple(loader.problems),
        actions=actions,
        rules=tuple(all_rules),
        patterns=patterns,
    )


def _impls(loader: PluginLoader, hook: str) -> list[Any]:
    return list(reversed(getattr(loader.pm.hook, hook).get_hookimpls()))


def _register_actions(loader: PluginLoader) -> dict[str, ActionType]:
    actions: dict[str, ActionType] = {}
    for impl in _impls(loader, "policy_classifier_register_actions"):
        plugin = impl.plugin_name
        mine: list[ActionType] = []

        def register(name: str, description: str = "", _mine: list[ActionType] = mine,
                     _plugin: str = plugin) -> None:
            if not isinstance(name, str) or not ACTION_NAME.match(name):
                raise ValueError(f"action name must be snake_case, got {name!r}")
            _mine.append(ActionType(name, str(description), _plugin))

        try:
            impl.function(register)
        except BaseException as exc:  # SystemExit too: a plugin must not end the run
            if isinstance(exc, KeyboardInterrupt):
                raise
            loader.fail(plugin, "policy_classifier_register_actions", f"raised {type(exc).__name__}: {exc}")
            loader.unregister(plugin)
            continue
        for action in mine:
            if action.name in actions:
                raise ConfigError(
                    f"plugin '{plugin}' registers action type '{action.name}', "
                    f"already registered by plugin '{actions[action.name].plugin}'"
                )
            actions[action.name] = action
    return dict(sorted(actions.items()))


def _register_rules(loader: PluginLoader, patterns: PatternCache) -> list[Rule]:
    rules: list[Rule] = []
    for impl in _impls(loader, "policy_classifier_register_rules"):
        plugin = impl.plugin_name
        mine: list[Rule] = []

        def register(source: Any, _mine: list[Rule] = mine, _plugin: str = plugin) -> None:
            _mine.extend(_rules_from(source, _plugin, patterns))

        try:
            impl.function(register)
        except ConfigError:
            raise
        except BaseException as exc:  # SystemExit too: a plugin must not end the run
            if isinstance(exc, KeyboardInterrupt):
                raise
            loader.fail(plugin, "policy_classifier_register_rules", f"raised {type(exc).__name__}: {exc}")
            loader.unregister(plugin)
            continue
        rules.extend(mine)
    return rules


def _rules_from(source: Any, plugin: str, patterns: PatternCache) -> list[Rule]:
    """Rules from a pack path, a folder of packs, or a Rule object (validated like a pack's)."""
    if isinstance(source, Rule):
        return [checked_rule_object(source, plugin, patterns)]
    if isinstance(source, (str, os.PathLike)):
        return load_rules(source, plugin=plugin, checks=patterns)
    raise ConfigError(
        f"plugin '{plugin}': register_rules expects a TOML path, a folder or a Rule, "
        f"got {type(source).__name__}"
    )


def checked_rule_object(rule: Rule, plugin: str, patterns: PatternCache) -> Rule:
    """A :class:`Rule` a plugin returned as an object, checked like a pack's rule (id, patterns),
    with its plugin, source and anchors filled in; ``rules lint`` checks them the same way."""
    where = Place(None, rule=rule.id, label=f"plugin '{plugin}': rule '{rule.id}'")
    if not isinstance(rule.id, str) or not RULE_ID.match(rule.id):
        raise where.error("id must be dotted snake_case like 'sanctions.impose'", "id")
    if not rule.patterns:
        raise where.error("needs at least one pattern", "patterns")
    flags = compile_flags(rule.case_sensitive)
    check_patterns(rule.patterns, flags, where, "pattern", patterns)
    check_patterns(rule.exclude, flags, where, "exclude pattern", patterns)
    return replace(
        rule,
        plugin=rule.plugin or plugin,
        source=rule.source or f"plugin '{plugin}'",
        anchors=rule_anchors(rule.patterns, rule.anchors, patterns.anchors),
    )


def _check_rules(rules: list[Rule], actions: Mapping[str, ActionType]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(
                f"{rule.source}: rule '{rule.id}' duplicates the id of a rule in {seen[rule.id].source}",
                rule=rule.id, field="id",
            )
        seen[rule.id] = rule
        if rule.action not in actions:
            known = ", ".join(actions) or "none"
            raise ConfigError(
                f"{rule.source}: rule '{rule.id}' has unknown action '{rule.action}' "
                f"(registered action types: {known})",
                rule=rule.id, field="action",
            )
