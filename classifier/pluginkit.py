"""The engine's helpers a plugin may build on, besides :mod:`classifier.model` and the hooks.

Why a module of its own: plugins, built-in or third-party, see the engine only through its
contract (:mod:`classifier.hookspecs`, :mod:`classifier.model`, :mod:`classifier.errors`) and
this kit; they never reach into the matching, host or pipeline layers, so those can change
without breaking a plugin. The layer contracts in ``pyproject.toml`` hold the built-in plugins
to the same rule.

- :class:`FactStore` and :func:`default_folder`: a sealed on-disk memo for answers that are
  costly to derive at start-up (compiled patterns, parsed data files), shared across runs.
- :func:`pattern_anchors`: the literal words a regex cannot match without, for prefiltering.
- :func:`split_spans`: the built-in sentence splitter, as (start, end) offsets.
"""

from classifier.matching.anchors import pattern_anchors
from classifier.matching.factstore import FactStore, default_folder
from classifier.matching.segment import split_spans

__all__ = ["FactStore", "default_folder", "pattern_anchors", "split_spans"]
