"""Limits a rule pack must keep before it is parsed or compiled: hostile packs fail in one line.

Why: a rule pack is data from anyone (a plugin, a colleague, a download), and both parsers it
meets can be made to fail badly. ``tomllib`` recurses per nesting level (``x=[[[...`` 100,000
deep gave a 3,000-line RecursionError) and slows down quadratically on keys of many dotted parts;
``regex`` expands counted repeats when it compiles, so ``(?:(?:a{1000}){1000}){1000}`` asked for
24 GB and the kernel killed the process without a word. Each limit here is far above anything a
real pack needs (the built-in packs: nesting 3, 3 dotted parts, longest pattern ~5,000
characters, largest expansion ~1,000) and is checked in linear time before the parser runs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackLimits:
    """The limits, as one value a caller may replace (the tests use small ones)."""

    max_bytes: int = 16 * 1024 * 1024  # a pack file
    max_nesting: int = 32  # arrays and inline tables inside each other
    max_key_parts: int = 32  # parts of one dotted key or table header
    max_pattern_chars: int = 20_000  # one regex
    max_repeat: int = 1_000  # the bound of one counted repeat, {m,n}
    max_expansion: int = 50_000  # atoms after expanding nested counted repeats


LIMITS = PackLimits()


def toml_problem(text: str, limits: PackLimits = LIMITS) -> str | None:
    """Why ``text`` is too deep or has too long a key to hand to the TOML parser, or None.

    One pass that skips strings and comments, counts the brackets of values (not of
    ``[table]`` headers) and the dots between two separators (a dotted key's parts)."""
    depth, dots = 0, 0
    i, n = 0, len(text)
    line, in_value = 1, False
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            i = _string_end(text, i)
            continue
        if c == "\n":
            line, in_value = line + 1, depth > 0
        elif c in "[{":
            if in_value or c == "{":
                depth += 1
                if depth > limits.max_nesting:
                    return f"line {line}: nested more than {limits.max_nesting} levels deep"
        elif c in "]}":
            if in_value or c == "}":
                depth = max(0, depth - 1)
        elif c == "=":
            in_value = True
        elif c == ".":
            dots += 1
            if dots >= limits.max_key_parts:
                return f"line {line}: a key of more than {limits.max_key_parts} dotted parts"
        if c in "\n=,{[":
            dots = 0
        i += 1
    return None


def _string_end(text: str, i: int) -> int:
    """The index just past the TOML string that opens at ``i`` (basic, literal, multi-line)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        if quote == '"':
            while end > 0 and _escaped(text, end):
                end = text.find(quote * 3, end + 1)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text) and text[j] not in (quote, "\n"):
        j += 2 if quote == '"' and text[j] == "\\" else 1
    return j + 1


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - 1 - backslashes >= 0 and text[at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def pattern_size_problem(pattern: str, limits: PackLimits = LIMITS) -> str | None:
    """Why ``pattern`` would cost too much to compile, or None.

    The cost estimate multiplies each atom by the bounds of the counted repeats around it:
    ``(?:a{100}){100}`` counts 10,000. Alternatives are added, not maxed, so the estimate
    only errs high. ``*``, ``+`` and ``?`` do not expand, so they count once."""
    if len(pattern) > limits.max_pattern_chars:
        return f"is {len(pattern):,} characters long (at most {limits.max_pattern_chars:,})"
    frames: list[list[int]] = [[0, 0]]  # per open group: [sum of its atoms, last atom]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            after = i + 2
            if pattern[i + 1:i + 2] in ("p", "P", "N", "x", "u", "U", "g") and pattern[after:after + 1] == "{":
                close = pattern.find("}", after)
                after = n if close < 0 else close + 1  # \p{L}, \x{2019}: one atom, no repeat
            i = _atom(frames, after)
        elif c == "[":
            i = _atom(frames, _class_end(pattern, i))
        elif c == "(":
            frames.append([0, 0])
            i += 1
        elif c == ")" and len(frames) > 1:
            inner = frames.pop()[0]
            frames[-1][0] += inner
            frames[-1][1] = inner
            i += 1
        elif c == "{" and (bound := _repeat_bound(pattern, i)) is not None:
            count, i = bound
            if count > limits.max_repeat:
                return f"repeats {count:,} times in one {{m,n}} (at most {limits.max_repeat:,})"
            frame = frames[-1]
            frame[0] += frame[1] * (max(count, 1) - 1)
            frame[1] *= max(count, 1)
            if frame[0] > limits.max_expansion:
                return (f"expands to over {limits.max_expansion:,} steps through nested "
                        "counted repeats such as (?:a{100}){100}")
        else:
            i = _atom(frames, i + 1)
    return None


def _atom(frames: list[list[int]], after: int) -> int:
    frames[-1][0] += 1
    frames[-1][1] = 1
    return after


def _class_end(pattern: str, i: int) -> int:
    """Just past the character class opening at ``i`` (nested sets of ``regex`` V1 included)."""
    depth, j = 0, i
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            depth += 1
            if pattern.startswith("^]", j + 1):
                j += 2
            elif pattern.startswith("]", j + 1):
                j += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(pattern)


def _repeat_bound(pattern: str, i: int) -> tuple[int, int] | None:
    """``(largest count, index after)`` of a counted repeat ``{m}``, ``{m,}``, ``{,n}`` or
    ``{m,n}`` at ``i``; None when the brace is a literal."""
    end = pattern.find("}", i)
    if end < 0:
        return None
    body = pattern[i + 1:end]
    parts = body.split(",")
    if len(parts) > 2 or not all(p.strip().isdigit() or p.strip() == "" for p in parts):
        return None
    if not any(p.strip() for p in parts):
        return None
    numbers = [int(p) for p in parts if p.strip()]
    return max(numbers), end + 1
