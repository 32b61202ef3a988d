"""The shape every built-in action plugin shares: one action type and its rule packs.

Why a class: the five built-in action types differ only in data (name, description, packs), so
each plugin module is one line of data instead of five copies of the same two hooks. Each
instance is still an ordinary pluggy plugin, registered exactly like a third-party one.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Callable

from classifier.hookspecs import hookimpl

# The built-in packs are the package `classifier.rules` (the repository's top-level rules/).
RULES_DIR = Path(str(importlib.resources.files("classifier.rules")))


class ActionPlugin:
    """Registers one action type and every built-in pack named ``rules/<lang>/<name>.toml``."""

    def __init__(self, name: str, description: str, rules_dir: Path = RULES_DIR) -> None:
        self.name = name
        self.description = description
        self.rules_dir = rules_dir

    def packs(self) -> list[Path]:
        """This action's packs, one per language folder, in a stable order."""
        return sorted(self.rules_dir.glob(f"*/{self.name}.toml"))

    @hookimpl
    def policy_classifier_register_actions(self, register: Callable[..., None]) -> None:
        register(self.name, self.description)

    @hookimpl
    def policy_classifier_register_rules(self, register: Callable[..., None]) -> None:
        for pack in self.packs():
            register(pack)
