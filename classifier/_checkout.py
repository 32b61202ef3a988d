"""Run from a source checkout: ``classifier.plugins`` and ``classifier.rules`` found beside it.

Why: the built-in plugins and packs live at the repository's top level (``plugins/``,
``rules/``) and are installed into the package. But ``python -m pytest`` or ``python -m
classifier`` started in the repository put the current folder first on the import path, so
they import the source folder ``classifier/``, which holds neither, even when the package is
installed; every built-in plugin then failed to import. This finder maps the two names to the
folders beside the source package. It is added only in that layout (an installed package holds
both folders itself) and last on the path, so an installed or editable copy is still preferred.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Sequence

_HERE = Path(__file__).resolve().parent
_BESIDE = {f"classifier.{name}": _HERE.parent / name for name in ("plugins", "rules")}


class SourceCheckoutFinder(importlib.abc.MetaPathFinder):
    """Finds ``classifier.plugins`` and ``classifier.rules`` in the checkout's top-level folders."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        folder = _BESIDE.get(fullname)
        if folder is None:
            return None
        return importlib.util.spec_from_file_location(
            fullname, folder / "__init__.py", submodule_search_locations=[str(folder)])


def install() -> None:
    """Add the finder when this package is a source folder with the top-level folders beside it."""
    source_layout = all(not (_HERE / name.rsplit(".", 1)[1]).is_dir()
                        and (folder / "__init__.py").is_file() for name, folder in _BESIDE.items())
    if source_layout and not any(isinstance(f, SourceCheckoutFinder) for f in sys.meta_path):
        sys.meta_path.append(SourceCheckoutFinder())
