"""policy-classifier: find the policy actions governments take in news articles.

Rule-based and plugin-based: every tag names the rule and plugin behind it. Start with
:class:`Engine`; write plugins with :data:`hookimpl` against :mod:`classifier.hookspecs`.
"""

from classifier import _checkout
from classifier.errors import ClassifierError, ConfigError, PluginError
from classifier.hookspecs import hookimpl
from classifier.model import (
    ActionSummary,
    ActionType,
    Amount,
    Article,
    ArticleProfile,
    ErrorInfo,
    ErrorRecord,
    Examples,
    Rule,
    Sentence,
    Tag,
)

__version__ = "0.1.0"

_checkout.install()  # a source checkout run with `python -m`: plugins/ and rules/ beside it

__all__ = [
    "ActionSummary", "ActionType", "Amount", "Article", "ArticleProfile", "ClassifierError",
    "ConfigError", "Engine", "ErrorInfo", "ErrorRecord", "Examples", "PluginError", "Rule",
    "Sentence", "Tag", "hookimpl", "__version__",
]


def __getattr__(name: str) -> object:
    # Imported lazily so that `import classifier` (e.g. by a plugin for `hookimpl`) stays light
    # and cannot import the engine in a cycle while the engine imports built-in plugins.
    if name == "Engine":
        from classifier.pipeline.engine import Engine

        return Engine
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
