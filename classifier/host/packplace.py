"""Where a problem in a rule pack is, and every problem of a pack at once.

Why a module of its own: a configuration error must name its file, line, rule and field both in
words (the CLI prints one line) and as fields (``rules lint`` and editors read them); building
both from one :class:`Place` keeps them from drifting apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from classifier.errors import ConfigError, file_location
from classifier.model import Rule


@dataclass(frozen=True)
class Place:
    """Where a problem is: the pack file, the line of the rule's id, the rule, and the label the
    message shows for it ("[pack]", "rules entry 3", "rule 'x'"). Its :meth:`error` puts the
    same facts in the message and in the :class:`ConfigError`'s fields, so one cannot drift
    from the other."""

    file: str | None
    line: int | None = None
    rule: str | None = None
    label: str = ""

    def __str__(self) -> str:
        location = self._location()
        return f"{location}: {self.label}" if location and self.label else location or self.label

    def _location(self) -> str:
        return file_location(self.file, self.line)

    def error(self, text: str, field: str | None = None, separator: str = ": ") -> ConfigError:
        """A :class:`ConfigError` reading ``<place><separator><text>``, with its fields set."""
        message = f"{self}{separator}{text}"
        location = self._location()
        problem = message[len(location) + 2:] if location else message
        return ConfigError(message, file=self.file, line=self.line, rule=self.rule, field=field,
                           problem=problem)

    def within(self, label: str) -> Place:
        """The same place, the message label extended ("rule 'x' examples")."""
        return replace(self, label=f"{self.label} {label}".strip())


@dataclass(frozen=True)
class PackReport:
    """Every rule of a pack that is valid, and every problem of those that are not, in order.

    What ``rules lint`` shows a rule author (every problem at once); the engine stops at the
    first problem instead (:func:`load_pack`), since it must not run with a broken pack."""

    rules: tuple[Rule, ...]
    problems: tuple[ConfigError, ...]
    unreadable: bool = False  # the pack itself could not be read; ``problems`` says why


def line_of(raw_text: str, rule_id: str) -> int | None:
    """The line where a rule's id is written, so errors can point at it."""
    return _id_lines(raw_text).get(rule_id)


_QUOTED = regex.compile(r"\"([^\"]*)\"|'([^']*)'")


@lru_cache(maxsize=16)
def _id_lines(raw_text: str) -> dict[str, int]:
    """Every quoted string on an ``id`` line -> the first line it is on. Built once per pack:
    searching the text again for each rule was quadratic (seconds of a 10,000-rule start-up)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(raw_text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("id"):
            for double, single in _QUOTED.findall(stripped):
                lines.setdefault(double or single, number)
    return lines
