"""A self-contained HTML report: corpus overview, a sortable list, and each article highlighted.

Who it is for: a person who got a corpus classified and wants to look at it in a browser without
installing anything, on a machine that may be offline. So the report is one file, with inline CSS
and JavaScript, charts drawn as inline SVG, and a Content-Security-Policy that forbids loading
anything from anywhere (and runs only the report's own script, by hash).

How it streams: the page head (styles, script, empty sections) is written when the writer is
created; each record is written at once as a JSON data block (``<script type="application/json">``,
which browsers never execute); ``close`` writes the corpus summary and ends the page. Memory stays
flat: the writer keeps counters, not records. The browser builds the list from the data blocks and
renders an article's highlighted text only when its row is opened, so hundreds of articles load
without freezing.

Why it is safe with hostile text: data goes into the page only as JSON with ``<``, ``>``, ``&``
and U+2028/U+2029 escaped (so no ``</script>`` can end a block early), the title is HTML-escaped,
and the script puts text into the page only through ``textContent`` and attributes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from typing import Any, Iterable, TextIO

from classifier import __version__
from classifier.model import ArticleProfile, ErrorRecord, Tag
from classifier.pipeline.merge import strongest_modality
from classifier.report.htmlassets import CSS, JS
from classifier.report.summarize import BUCKETS, CorpusSummary, record_date
from classifier.report.writer import Writer

PALETTE = ("#1f6fb5", "#d1495b", "#2a9d8f", "#8a5cc2", "#e07a1f",
           "#4d8c2a", "#c2477f", "#5d6d7e", "#b8860b", "#138496")
MAX_BUCKETS = 60  # the timeline uses the finest of day/month/year with at most this many bars
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: nothing in it can close the tag or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def palette(names: Iterable[str]) -> dict[str, str]:
    """A stable colour per action, in the order given (the engine's registration order)."""
    colors: dict[str, str] = {}
    for name in names:
        if name not in colors:
            colors[name] = PALETTE[len(colors) % len(PALETTE)]
    return colors


def _utf16(text: str) -> Any:
    """A function mapping code-point offsets in ``text`` to UTF-16 offsets, which is how
    JavaScript indexes strings (they differ after an emoji or other astral character)."""
    if not _ASTRAL.search(text):
        return lambda i: i
    return lambda i: len(text[:i].encode("utf-16-le")) // 2


def _tag_row(tag: Tag, start: int, end: int) -> list[Any]:
    """A tag as the compact array the page script reads (layout in :mod:`classifier.report.htmlassets`)."""
    return [start, end, tag.action, tag.rule, tag.plugin, tag.modality, tag.cue,
            tag.actor, tag.target, [a.text for a in tag.amounts], round(tag.score, 4)]


def _matches(text: str, tags: Iterable[Tag]) -> bool:
    return all(text[t.span[0]:t.span[1]] == t.text for t in tags)


def compact(record: ArticleProfile | ErrorRecord, text: str | None = None,
            date: str | None = None) -> dict[str, Any]:
    """What the page needs of one record. The full ``text`` is used when it matches the tags'
    spans; otherwise (or without it) only the profile's sentences are shown."""
    if isinstance(record, ErrorRecord):
        return {"id": record.id, "date": date, "actions": {},
                "error": f"{record.type}: {record.message}"}
    out: dict[str, Any] = {
        "id": record.id, "lang": record.lang, "dominant": record.dominant, "date": date,
        "actions": {
            name: {"n": s.mentions, "s": round(s.score, 4), "m": strongest_modality(s),
                   "mix": dict(s.modality), "actors": list(s.actors), "targets": list(s.targets)}
            for name, s in record.actions.items()
        },
        "errors": [f"{e.type}: {e.message}" for e in record.errors],
    }
    if text is not None and _matches(text, record.tags):
        to16 = _utf16(text)
        out["x"] = text
        out["t"] = [_tag_row(t, to16(t.span[0]), to16(t.span[1])) for t in record.tags]
        return out
    starts = {s.index: s for s in record.sentences}
    out["ss"] = [[s.start, s.text] for s in record.sentences]
    rows = []
    for tag in record.tags:
        sentence = starts.get(tag.sentence)
        if sentence is None:
            rows.append(_tag_row(tag, *tag.span))
            continue
        to16 = _utf16(sentence.text)
        rel = (tag.span[0] - sentence.start, tag.span[1] - sentence.start)
        rows.append(_tag_row(tag, sentence.start + to16(rel[0]), sentence.start + to16(rel[1])))
    out["t"] = rows
    return out


def content_security_policy() -> str:
    """No network, no plugins, no forms; only the report's own inline script may run."""
    digest = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def page_head(title: str) -> str:
    """Everything before the data: the page works (empty) even if no record ever arrives."""
    safe = html.escape(title, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{content_security_policy()}\">\n"
        f"<meta name=\"generator\" content=\"policy-classifier {__version__}\">\n"
        f"<title>{safe}</title>\n<style>{CSS}</style>\n<script>{JS}</script>\n</head>\n<body>\n"
        f"<header><h1>{safe}</h1><p class=\"pc-sub\">Policy actions found by policy-classifier "
        f"{__version__}. Hover a highlighted phrase for its rule, modality, actor, target and "
        "figures; click an article id to open it.</p></header>\n"
        "<noscript><p>This report needs JavaScript to draw its charts and list.</p></noscript>\n"
        "<div id=\"pc-js-errors\" hidden></div>\n"
        "<section id=\"pc-overview\"><h2>Overview</h2></section>\n"
        "<section id=\"pc-articles\"><h2>Articles</h2></section>\n"
    )


class HtmlWriter(Writer):
    """Stream profiles into one HTML report. ``write(record, text, date)``, then ``close()``.

    :param actions: action names in a stable order (``list(engine.actions)``) for the colours.
    :param title: the page title and heading (escaped).
    """

    def __init__(self, out: TextIO, actions: Iterable[str] = (),
                 title: str = "Policy actions report") -> None:
        super().__init__(out)
        self.actions = list(actions)
        self._summary = CorpusSummary()
        self._closed = False
        out.write(page_head(title))

    def write(self, record: ArticleProfile | ErrorRecord, text: str | None = None,
              date: str | None = None) -> None:
        """Add one record; ``text`` is the article (for full highlighted text), ``date`` its
        date (ISO ``YYYY-MM-DD...``; for the timeline). Without ``date``, an input field
        ``date`` kept in ``profile.extra['fields']`` is used."""
        data = record.to_dict()
        if date is None and isinstance(record, ArticleProfile):
            found = record_date(data)
            date = found if isinstance(found, str) else None
        if date is not None:
            data["date"] = date
        self._summary.add(data)
        self.out.write('<script type="application/json" class="pc-rec">')
        self.out.write(script_json(compact(record, text, date)))
        self.out.write("</script>\n")

    def close(self) -> None:
        """Write the corpus summary and end the page (idempotent)."""
        if self._closed:
            return
        self._closed = True
        summary = self._summary.result(bucket=self._bucket(), top=8, fill_gaps=True)
        summary["colors"] = palette(self.actions + list(summary["actions"]))
        self.out.write('<script type="application/json" id="pc-summary">')
        self.out.write(script_json(summary))
        self.out.write("</script>\n</body>\n</html>\n")
        self.out.flush()

    def _bucket(self) -> str:
        """The finest date bucket that keeps the timeline readable."""
        for bucket in BUCKETS:
            result = self._summary.result(bucket=bucket, top=0, fill_gaps=True)
            if len(result["dates"]["series"]) <= MAX_BUCKETS:
                return bucket
        return BUCKETS[-1]


def write_report(out: TextIO, items: Iterable[tuple[ArticleProfile | ErrorRecord, str | None, str | None]],
                 actions: Iterable[str] = (), title: str = "Policy actions report") -> None:
    """Convenience: a whole report from ``(record, text, date)`` triples."""
    writer = HtmlWriter(out, actions=actions, title=title)
    for record, text, date in items:
        writer.write(record, text, date)
    writer.close()

