"""Text from articles and ids made safe to show on a terminal.

Why: article text and ids come from anywhere, and a terminal obeys the control sequences in
what it prints. An id holding ``ESC [2J`` cleared the user's screen, ``ESC ]0;`` retitled the
window and ``ESC ]8;;`` planted a hyperlink; a right-to-left override (U+202E) can make text
read differently from what it holds. Everything the table, ``explain`` and stderr messages
show from the input passes through :func:`printable`, which spells such characters out
(``\\x1b``, ``\\u202e``) instead of sending them. JSON, CSV and HTML outputs need none of this:
their own escaping already covers it.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, and the bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, newlines: bool = False) -> str:
    """``str(text)`` with terminal control characters spelled out; line breaks too unless
    ``newlines`` (a stderr message must stay one line)."""
    pattern = _UNSAFE if newlines else _UNSAFE_OR_NEWLINE
    value = str(text)
    return pattern.sub(_spelled, value) if pattern.search(value) else value


def failed_record_line(source: str | None, line: int | None, kind: str, message: str) -> str:
    """The stderr line naming a record that could not be profiled, as every command writes it:
    ``policy-classify: FILE:LINE: TYPE: message``, safe to show on a terminal."""
    where = f"{source}:{line}" if line else (source or "?")
    return printable(f"policy-classify: {where}: {kind}: {message}")
