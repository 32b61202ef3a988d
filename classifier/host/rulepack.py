"""Load and validate TOML rule packs into :class:`~classifier.model.Rule` objects.

Rule packs are data, written by people who are not necessarily programmers, so every check here
ends in one line that names the file, the line, the rule id and the field, and says what was
expected. Everything is checked at load time -- TOML syntax, schema, regex syntax -- so a run never
dies half-way through a corpus because of a typo in a rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterator, Protocol

import regex

from classifier.errors import ConfigError
from classifier.host.packplace import PackReport, Place, line_of
from classifier.matching.anchors import pattern_anchors, rule_anchors
from classifier.matching.limits import LIMITS, toml_problem
from classifier.matching.patterncheck import compile_flags, pattern_problem
from classifier.model import Examples, Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULE_ID = regex.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
ACTION_NAME = regex.compile(r"^[a-z][a-z0-9_]*$")
PACK_KEYS = {"name", "lang", "description", "version"}
RULE_KEYS = {
    "id", "action", "patterns", "exclude", "anchors", "case_sensitive", "weight",
    "description", "examples", "lang", "context",
}
EXAMPLE_KEYS = ("match", "no_match", "todo_match", "todo_no_match")
_TOML_LINE = regex.compile(r"\(at line (\d+),")


class PatternChecks(Protocol):
    """What loading asks about each pattern; :class:`classifier.matching.patterncache.PatternCache` answers
    from its compiled patterns and its on-disk memo."""

    def problem(self, pattern: str, flags: int) -> str | None: ...

    def anchors(self, pattern: str) -> frozenset[str] | None: ...

    def known_pack(self, key: str) -> object | None:
        """A pack's rules as stored by :meth:`keep_pack` on an earlier run, or None."""

    def keep_pack(self, key: str, rules: object) -> None: ...


class DirectChecks:
    """Answers computed afresh every time (no cache): for callers without an engine."""

    def problem(self, pattern: str, flags: int) -> str | None:
        return pattern_problem(pattern, flags)

    def anchors(self, pattern: str) -> frozenset[str] | None:
        return pattern_anchors(pattern)

    def known_pack(self, key: str) -> object | None:
        return None

    def keep_pack(self, key: str, rules: object) -> None:
        pass


def iter_pack_files(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A TOML file itself, or every ``*.toml`` below a folder, in a stable order."""
    p = Path(path)
    if p.is_dir():
        yield from sorted(q for q in p.rglob("*.toml") if q.is_file())
    elif p.is_file():
        yield p
    else:
        raise ConfigError(f"{p}: no such rule pack file or folder", file=str(p),
                          problem="no such rule pack file or folder")


def load_rules(path: str | os.PathLike[str], plugin: str = "",
               checks: PatternChecks | None = None) -> list[Rule]:
    """Every rule of a pack file or of every pack in a folder."""
    rules: list[Rule] = []
    for file in iter_pack_files(path):
        rules.extend(load_pack(file, plugin=plugin, checks=checks))
    return rules


def load_pack(path: Path, plugin: str = "", checks: PatternChecks | None = None) -> list[Rule]:
    """Parse and validate one pack; raise :class:`ConfigError` naming file, line and rule.

    Validating a pattern means compiling it; ``checks`` lets the caller keep what was compiled
    and remember the answers (the Engine passes its pattern cache, so no pattern is compiled
    twice, and a pattern validated on an earlier run is not compiled at load at all).
    """
    checks = checks if checks is not None else DirectChecks()
    raw_text = _read_text(path)
    # A pack read before, unchanged, by the same code: its rules as they were built then. Reading
    # them back skips TOML parsing and validation, most of a start-up with 10,000 rules.
    key = f"{path.resolve()}\x00{plugin}\x00{hashlib.sha256(raw_text.encode()).hexdigest()}"
    known = _known_rules(checks.known_pack(key))
    if known is not None:
        return known
    name, lang, raw_rules = _pack_table(path, raw_text)
    rules = [_build_rule(path, raw_text, raw, name, lang, plugin, n, checks)
             for n, raw in enumerate(raw_rules, 1)]
    try:
        stored = json.loads(json.dumps([_rule_to_json(rule) for rule in rules]))
    except (TypeError, ValueError):
        stored = None  # a TOML date in a rule's extra fields: read this pack afresh each time
    if stored is not None and _known_rules(stored) == rules:
        checks.keep_pack(key, stored)
    return rules


def pack_problems(path: Path, plugin: str = "", checks: PatternChecks | None = None) -> PackReport:
    """Every problem of one pack at once: the pack's own (unreadable, not TOML, no ``[pack]``),
    or else each rule's, with the rules that are valid. The same checks as :func:`load_pack`."""
    checks = checks if checks is not None else DirectChecks()
    try:
        raw_text = _read_text(path)
        name, lang, raw_rules = _pack_table(path, raw_text)
    except ConfigError as exc:
        return PackReport((), (exc,), unreadable=True)
    rules: list[Rule] = []
    problems: list[ConfigError] = []
    for number, raw in enumerate(raw_rules, 1):
        try:
            rules.append(_build_rule(path, raw_text, raw, name, lang, plugin, number, checks))
        except ConfigError as exc:
            problems.append(exc)
    return PackReport(tuple(rules), tuple(problems))


def _read_text(path: Path) -> str:
    place = Place(str(path))
    try:
        size = path.stat().st_size
        if size > LIMITS.max_bytes:
            raise place.error(f"rule pack is {size:,} bytes; at most {LIMITS.max_bytes:,}")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise place.error(f"cannot read rule pack: {exc}") from None


def _pack_table(path: Path, raw_text: str) -> tuple[str, str, list[Any]]:
    """The pack's name, language and raw rule tables, or the pack-level problem."""
    data = parse_toml(path, raw_text)
    pack = data.get("pack")
    if not isinstance(pack, dict):
        raise Place(str(path)).error("missing [pack] table with 'name' and 'lang'")
    table = Place(str(path), label="[pack]")
    name = _require_str(pack, "name", table)
    lang = _require_str(pack, "lang", table)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise Place(str(path)).error("expected at least one [[rules]] table")
    return name, lang, raw_rules


def parse_toml(path: Path, raw_text: str) -> dict[str, Any]:
    """``tomllib.loads`` within the pack limits (:mod:`classifier.matching.limits`): one line for
    a pack that is not TOML or that would make the parser recurse or stall."""
    place = Place(str(path))
    problem = toml_problem(raw_text)
    if problem:
        raise place.error(f"{problem}; a rule pack needs nothing of the kind")
    try:
        return tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_LINE.search(str(exc))
        error = place.error(f"invalid TOML: {exc}")
        error.line = int(at.group(1)) if at else None
        raise error from None
    except RecursionError:  # pragma: no cover - toml_problem refuses such nesting first
        raise place.error("invalid TOML: nested too deeply") from None


def _known_rules(stored: object) -> list[Rule] | None:
    if not isinstance(stored, list):
        return None
    try:
        return [_rule_from_json(item) for item in stored]
    except (TypeError, ValueError, KeyError, AttributeError):
        return None  # written by a different shape of Rule, or damaged: load the pack again


def _rule_to_json(rule: Rule) -> dict[str, Any]:
    return {**{f.name: getattr(rule, f.name) for f in fields(Rule)},
            "examples": {f.name: getattr(rule.examples, f.name) for f in fields(Examples)}}


def _rule_from_json(item: Any) -> Rule:
    values = dict(item)
    for name in ("patterns", "exclude", "anchors"):
        values[name] = tuple(values[name])
    values["examples"] = Examples(**{k: tuple(v) for k, v in values["examples"].items()})
    return Rule(**values)


def _require_str(table: dict[str, Any], key: str, where: Place) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"field '{key}' must be a non-empty string", key)
    return value


def _str_list(raw: dict[str, Any], key: str, where: Place, required: bool = False,
              field: str | None = None) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise where.error(f"field '{key}' must be a list of non-empty strings", field or key)
    if required and not value:
        raise where.error(f"field '{key}' must list at least one pattern", field or key)
    return tuple(value)


# The rule field each pattern kind is written in, for a problem's structured ``field``.
_PATTERN_FIELDS = {"pattern": "patterns", "exclude pattern": "exclude"}


def check_patterns(patterns: tuple[str, ...], flags: int, where: Place, kind: str,
                   checks: PatternChecks) -> None:
    """Raise :class:`ConfigError` for the first pattern ``checks`` finds a problem with,
    naming ``where``, the kind ("pattern", "exclude pattern") and the pattern's number."""
    for number, pattern in enumerate(patterns, 1):
        problem = checks.problem(pattern, flags)
        if problem:
            raise where.error(f"{kind} {number} {problem}: {pattern!r}", _PATTERN_FIELDS.get(kind, kind))


def _examples(raw: dict[str, Any], where: Place) -> Examples:
    table = raw.get("examples", {})
    if not isinstance(table, dict):
        raise where.error("'examples' must be a table with match / no_match lists", "examples")
    unknown = set(table) - set(EXAMPLE_KEYS)
    if unknown:
        raise where.error(f"unknown examples key(s) {sorted(unknown)}; expected {list(EXAMPLE_KEYS)}",
                          "examples")
    return Examples(**{key: _str_list(table, key, where.within("examples"), field="examples")
                       for key in EXAMPLE_KEYS})


def _build_rule(
    path: Path, raw_text: str, raw: Any, pack: str, lang: str, plugin: str, number: int,
    checks: PatternChecks,
) -> Rule:
    if not isinstance(raw, dict):
        raise Place(str(path), label=f"rules entry {number}").error("must be a table", separator=" ")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise Place(str(path), label=f"rules entry {number}").error(
            f"field 'id' must be dotted snake_case like 'sanctions.impose', got {rule_id!r}", "id")
    line = line_of(raw_text, rule_id)
    where = Place(str(path), line, rule_id, f"rule '{rule_id}'")
    action = _require_str(raw, "action", where)
    if not ACTION_NAME.match(action):
        raise where.error(f"field 'action' must be snake_case, got {action!r}", "action")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise where.error("field 'case_sensitive' must be true or false", "case_sensitive")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
        raise where.error(f"field 'weight' must be a number in (0, 1], got {weight!r}", "weight")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise where.error("field 'description' must be a string", "description")
    context = raw.get("context", False)
    window: int | None = None
    if isinstance(context, int) and not isinstance(context, bool) and context >= 1:
        context, window = True, context  # "the measures" within N sentences of an explicit tag
    elif not isinstance(context, bool):
        raise where.error("field 'context' must be true, false or a number of sentences >= 1",
                          "context")
    patterns = _str_list(raw, "patterns", where, required=True)
    exclude = _str_list(raw, "exclude", where)
    flags = compile_flags(case_sensitive)
    check_patterns(patterns, flags, where, "pattern", checks)
    check_patterns(exclude, flags, where, "exclude pattern", checks)
    rule_lang = raw.get("lang", lang)
    if not isinstance(rule_lang, str):
        raise where.error("field 'lang' must be a string", "lang")
    meta = {key: value for key, value in raw.items() if key not in RULE_KEYS}
    return Rule(
        id=rule_id,
        action=action,
        patterns=patterns,
        exclude=exclude,
        anchors=rule_anchors(patterns, _str_list(raw, "anchors", where), checks.anchors),
        case_sensitive=case_sensitive,
        weight=float(weight),
        description=description,
        lang=rule_lang,
        pack=pack,
        source=f"{path}:{line}" if line else str(path),
        plugin=plugin,
        examples=_examples(raw, where),
        meta=meta,
        context=context,
        context_window=window,
    )
