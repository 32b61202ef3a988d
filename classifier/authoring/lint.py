"""``policy-classify rules lint``: find what is wrong or risky in rule packs before it bites.

Why not just build an Engine: the engine refuses a bad pack at its first problem (right for a
run over a corpus), but an author fixing packs wants *every* problem at once, each naming its
file, line and rule. So lint gathers the packs the plugins register without loading them, reads
each rule on its own, and reports:

errors (exit 1)
    invalid TOML, a rule the pack loader refuses (bad regex, wrong field), duplicate ids,
    unknown action types, plugins whose registration hooks raise.
warnings (exit 0)
    rules without ``match`` / ``no_match`` examples; patterns with no literal the prefilter can
    use (the rule is then tried on every sentence); patterns that are slow or catastrophic on
    generated hostile input (timed under the ``regex`` module's ``timeout=``); rules shadowed by
    another rule of the same action that hits all their ``match`` examples with equal or higher
    weight.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from classifier.authoring.rulechecks import (  # noqa: F401 - re-exported: lint's public API
    ERROR,
    SLOW_MS,
    TIMEOUT,
    WARNING,
    Finding,
    hostile_inputs,
    slow_patterns,
    static_warnings,
)
from classifier.errors import ConfigError
from classifier.host.loading import USER_PLUGIN, checked_rule_object
from classifier.host.registry import gather_plugins
from classifier.host.rulepack import iter_pack_files, pack_problems
from classifier.matching.matcher import Matcher
from classifier.matching.patterncache import PatternCache
from classifier.model import Rule


@dataclass(frozen=True)
class LintReport:
    """Every finding, in the order of the packs and rules checked."""

    findings: tuple[Finding, ...]
    rules: int
    packs: int

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == WARNING)

    def to_dict(self) -> dict[str, Any]:
        """JSON view for CI and editors: the counts, and every finding with its place."""
        return {"errors": len(self.errors), "warnings": len(self.warnings),
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True)
class RuleSources:
    """What the plugins would register, gathered without loading any pack."""

    actions: Mapping[str, str]  # action name -> plugin
    sources: tuple[tuple[str, Any], ...]  # (plugin, pack path or Rule)
    problems: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class _Loaded:
    rules: tuple[Rule, ...] = ()
    findings: tuple[Finding, ...] = ()
    files: tuple[Path, ...] = field(default_factory=tuple)


def collect_sources(
    plugins: Iterable[object] = (),
    plugin_paths: Iterable[str | os.PathLike[str]] = (),
    rules: Iterable[Any] = (),
    entry_points: bool = True,
    env: Mapping[str, str] | None = None,
) -> RuleSources:
    """Run every plugin's registration hooks with recorders instead of loaders."""
    loader = gather_plugins(plugins, plugin_paths, entry_points, strict=False, env=env)
    problems = [Finding(ERROR, "plugin", "", str(p)) for p in loader.problems]
    actions: dict[str, str] = {}
    sources: list[tuple[str, Any]] = []
    for hook, sink in (("policy_classifier_register_actions", "actions"),
                       ("policy_classifier_register_rules", "rules")):
        for impl in reversed(getattr(loader.pm.hook, hook).get_hookimpls()):
            plugin = impl.plugin_name
            recorded: list[Any] = []
            try:
                impl.function(lambda *args, _r=recorded: _r.append(args))
            except BaseException as exc:  # SystemExit too: a plugin must not end the run
                if isinstance(exc, KeyboardInterrupt):
                    raise
                problems.append(Finding(ERROR, "plugin", "",
                                        f"plugin '{plugin}', hook {hook}: raised {type(exc).__name__}: {exc}"))
                continue
            for args in recorded:
                if sink == "actions" and args:
                    if args[0] in actions:
                        problems.append(Finding(ERROR, "duplicate-action", "",
                                                f"plugin '{plugin}' registers action type '{args[0]}', "
                                                f"already registered by plugin '{actions[args[0]]}'"))
                    actions.setdefault(str(args[0]), plugin)
                elif sink == "rules" and args:
                    sources.append((plugin, args[0]))
    sources.extend((USER_PLUGIN, source) for source in rules)
    return RuleSources(dict(sorted(actions.items())), tuple(sources), tuple(problems))


def registered_pack_files(**options: Any) -> set[Path]:
    """The pack files the plugins (and ``rules``) register, resolved; found without loading them."""
    files: set[Path] = set()
    for _plugin, source in collect_sources(**options).sources:
        if isinstance(source, (str, os.PathLike)):
            try:
                files.update(f.resolve() for f in iter_pack_files(source))
            except ConfigError:
                continue
    return files


def _from_loader(code: str, error: ConfigError) -> Finding:
    """A loader's problem as a finding, placed by the error's own fields (file, line, rule)."""
    return Finding(ERROR, code, error.location, error.problem, error.rule)


def load_pack_file(path: Path, plugin: str) -> _Loaded:
    """A pack's rules, and every problem the loader finds in it (not only the first)."""
    report = pack_problems(path, plugin=plugin)
    code = "invalid-pack" if report.unreadable else "invalid-rule"
    findings = tuple(_from_loader(code, problem) for problem in report.problems)
    return _Loaded(report.rules, findings, (path,))


def load_sources(sources: Sequence[tuple[str, Any]]) -> _Loaded:
    """Every rule of every source, with the problems met while reading them."""
    rules: list[Rule] = []
    findings: list[Finding] = []
    files: list[Path] = []
    seen: set[Path] = set()
    for plugin, source in sources:
        if isinstance(source, Rule):
            try:
                rules.append(checked_rule_object(source, plugin, PatternCache()))
            except ConfigError as exc:
                findings.append(_from_loader("invalid-rule", exc))
            continue
        try:
            pack_files = list(iter_pack_files(source))
        except (ConfigError, TypeError) as exc:
            findings.append(Finding(ERROR, "missing-pack", f"plugin '{plugin}'", str(exc)))
            continue
        for file in pack_files:
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            loaded = load_pack_file(file, plugin)
            rules.extend(loaded.rules)
            findings.extend(loaded.findings)
            files.append(file.resolve())
    return _Loaded(tuple(rules), tuple(findings), tuple(files))


def _duplicates_and_actions(rules: Sequence[Rule], actions: Mapping[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            findings.append(Finding(ERROR, "duplicate-id", rule.source,
                                    f"duplicates the id of a rule in {seen[rule.id].source}", rule.id))
        else:
            seen[rule.id] = rule
        if rule.action not in actions:
            findings.append(Finding(ERROR, "unknown-action", rule.source,
                                    f"unknown action '{rule.action}'; registered action types: "
                                    f"{', '.join(actions) or 'none'}", rule.id))
    return findings


def shadowed(rules: Sequence[Rule], selected: Sequence[Rule],
             cache: PatternCache | None = None) -> list[Finding]:
    """Rules whose every ``match`` example another rule of the same action (weight >= theirs)
    also hits: the shadowed rule adds nothing its examples can show."""
    matchers: dict[str, Matcher] = {}
    findings: list[Finding] = []
    for rule in selected:
        if not rule.examples.match:
            continue
        lang = rule.lang
        if lang not in matchers:
            pool = [r for r in rules if lang == "*" or r.lang in (lang, "*")]
            matchers[lang] = Matcher(pool, patterns=cache)
        matcher = matchers[lang]
        common: set[str] | None = None
        for text in rule.examples.match:
            hits = matcher.match(text, [(0, len(text))])[0]
            own = [(h.start, h.end) for h in hits if h.rule.id == rule.id]
            # only a hit on the same words shadows: an example that opens with the explicit
            # mention a reference rule needs is not caught by the explicit rule's hit there
            ids = {h.rule.id for h in hits if h.rule.action == rule.action and h.rule.id != rule.id
                   and h.rule.weight >= rule.weight
                   and (not own or any(h.start < end and start < h.end for start, end in own))}
            common = ids if common is None else common & ids
            if not common:
                break
        for other in sorted(common or ()):
            findings.append(Finding(WARNING, "shadowed", rule.source,
                                    f"shadowed by '{other}': it hits every match example of this rule "
                                    "with equal or higher weight; merge the rules or add an example "
                                    "only this one catches", rule.id))
    return findings


def lint(
    sources: RuleSources,
    packs: Sequence[str | os.PathLike[str]] = (),
    slow_ms: float = SLOW_MS,
    timeout: float = TIMEOUT,
) -> LintReport:
    """Lint every registered pack, or only ``packs`` (checked against all registered rules)."""
    wanted: set[Path] | None = None
    extra: list[tuple[str, Any]] = []
    if packs:
        wanted = set()
        for pack in packs:
            wanted.update(f.resolve() for f in iter_pack_files(pack))  # ConfigError if missing
    loaded = load_sources(list(sources.sources))
    if wanted is not None:
        extra = [(USER_PLUGIN, str(f)) for f in sorted(wanted - set(loaded.files))]
    more = load_sources(extra)
    rules = loaded.rules + more.rules
    files = loaded.files + more.files
    read_findings = loaded.findings + more.findings

    def chosen(where: str) -> bool:
        if wanted is None:
            return True
        path = where.rsplit(":", 1)[0] if where.rsplit(":", 1)[-1].isdigit() else where
        return Path(path).resolve() in wanted

    selected = [r for r in rules if chosen(r.source)]
    findings: list[Finding] = list(sources.problems) if wanted is None else []
    findings.extend(f for f in read_findings if chosen(f.where))
    findings.extend(f for f in _duplicates_and_actions(rules, sources.actions) if chosen(f.where))
    cache = PatternCache()
    for rule in selected:
        findings.extend(static_warnings(rule))
        findings.extend(slow_patterns(rule, slow_ms, timeout, cache))
    findings.extend(shadowed([r for r in rules if r.action in sources.actions], selected, cache))
    checked = len(wanted) if wanted is not None else len(files)
    return LintReport(tuple(findings), len(selected), checked)


def render_text(report: LintReport) -> str:
    """One line per finding, errors first, then a summary line."""
    ordered = list(report.errors) + list(report.warnings)
    lines = [str(finding) for finding in ordered]
    lines.append(f"{report.packs} packs, {report.rules} rules: {len(report.errors)} errors, "
                 f"{len(report.warnings)} warnings")
    return "\n".join(lines) + "\n"
