"""Errors meant for people: each carries one line that names what is wrong and where.

The CLI prints ``str(error)`` and exits 2 for configuration errors; the API raises them.
No traceback is shown for these, because the user can fix them without reading code.
"""

from __future__ import annotations


class ClassifierError(Exception):
    """Base class of the errors a user can act on."""


class ConfigError(ClassifierError):
    """A rule pack, plugin or option is wrong; the message names file, rule or plugin."""


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
