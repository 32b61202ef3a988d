"""An example policy-classifier plugin: the ``visa_restrictions`` action type.

A plugin is a module whose functions carry ``@hookimpl`` and are named after the hooks in
``classifier/hookspecs.py``. This one needs only the two load-time hooks: it registers an action
type and hands over its TOML rule packs. Everything else -- sentence splitting, modality
("threatened to", "denied"), actors, amounts such as "300 officials" -- is done for it by the
built-in plugins, exactly as for the built-in action types.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from classifier import hookimpl

__version__ = "0.1.0"  # shown by `policy-classify plugins`

ACTION = "visa_restrictions"
RULES = Path(__file__).resolve().parent / "rules"  # en.toml, es.toml: one pack per language


@hookimpl
def policy_classifier_register_actions(register: Callable[..., None]) -> None:
    """Called once per Engine: the new action type and a one-line description."""
    register(ACTION, "Visa bans and visa restrictions a government imposes on named people or groups.")


@hookimpl
def policy_classifier_register_rules(register: Callable[..., None]) -> None:
    """Called once per Engine: a folder of packs is read, validated and compiled with the rest."""
    register(RULES)
