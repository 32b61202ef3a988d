"""Errors meant for people: each carries one line that names what is wrong and where.

The CLI prints ``str(error)`` and exits 2 for configuration errors; the API raises them.
No traceback is shown for these, because the user can fix them without reading code.
"""

from __future__ import annotations

from typing import Any


class ClassifierError(Exception):
    """Base class of the errors a user can act on."""


class ConfigError(ClassifierError):
    """A rule pack, plugin or option is wrong; the message names file, rule or plugin.

    The same facts as fields, for tools that must not parse messages (``rules lint``, an
    editor integration): ``file`` and ``line`` where the problem is written, ``rule`` (the rule
    id), ``field`` (the rule's field: "action", "pattern", ...), and ``problem``, the message
    without the file and line. Each is None when it does not apply (an option has no file).
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 rule: str | None = None, field: str | None = None,
                 problem: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.rule = rule
        self.field = field
        self.problem = message if problem is None else problem

    @property
    def location(self) -> str:
        """Where the problem is, as messages name it: ``file:line``, ``file``, or ""."""
        return file_location(self.file, self.line)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword fields survive a process boundary (--jobs) and copy.copy.
        return (_config_error, (type(self), str(self), self.file, self.line, self.rule,
                                self.field, self.problem))


def file_location(file: str | None, line: int | None) -> str:
    """``file:line``, ``file`` alone, or "" without a file: how messages name a place."""
    if file is None:
        return ""
    return f"{file}:{line}" if line else file


def _config_error(kind: type[ConfigError], message: str, file: str | None, line: int | None,
                  rule: str | None, field: str | None, problem: str | None) -> ConfigError:
    return kind(message, file=file, line=line, rule=rule, field=field, problem=problem)


class PluginError(ClassifierError):
    """A plugin failed to load or broke the contract (fatal only with ``strict=True``)."""

    def __init__(self, plugin: str, hook: str | None, message: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.detail = message
        where = f"plugin '{plugin}'" + (f", hook {hook}" if hook else "")
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str]]:
        # Rebuilt from its parts when it crosses a process boundary (--jobs).
        return (PluginError, (self.plugin, self.hook, self.detail))


def os_reason(exc: OSError) -> str:
    """An OS error in words, as messages quote it: ``strerror`` ("Permission denied", "No
    space left on device"), else its text, else its class name."""
    return exc.strerror or str(exc) or type(exc).__name__
