"""Built-in sentence splitter plugin: the default answer to ``split_sentences``.

Registered as a plugin (with ``trylast``) so that any user plugin implementing the hook wins.
"""

from __future__ import annotations

from classifier.hookspecs import hookimpl
from classifier.pluginkit import split_spans


@hookimpl(trylast=True)
def policy_classifier_split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """The built-in splitter's spans; registered last, so any other splitter is asked first."""
    return split_spans(text, lang)
