"""The HTML report's stylesheet and script, read once from ``assets/report.css`` and ``assets/report.js``.

Why real files: an editor, a linter and a reviewer see JavaScript and CSS as what they are; they
ship as package data beside this module and are inlined into every report, which must stay one
self-contained file. The page's Content-Security-Policy hash is computed from these exact bytes
(:func:`classifier.report.htmlreport.content_security_policy`), so editing the script cannot
leave a stale hash behind.

The script never assigns ``innerHTML``: every piece of article text or profile field reaches the
page through ``textContent``, ``title`` or ``setAttribute``, so input cannot inject markup.
Article bodies are built only when a row is expanded, so hundreds of articles load at once.
Record layout (see ``htmlreport.compact``): ``t`` tags are arrays
``[start, end, action, rule, plugin, modality, cue, actor, target, amounts, score]``.
"""

from __future__ import annotations

from importlib.resources import files

_ASSETS = files("classifier.report").joinpath("assets")

CSS: str = _ASSETS.joinpath("report.css").read_bytes().decode("utf-8")
JS: str = _ASSETS.joinpath("report.js").read_bytes().decode("utf-8")
