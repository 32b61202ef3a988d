#!/usr/bin/env python
"""Fuzz the splitter and the whole engine with hostile strings; report inputs tried and crashes.

Why a script and not only the hypothesis tests: CI can afford a few hundred examples, but the
promise "never raises, every span is honest" is about the long tail, so this runs >= 100,000
inputs locally. A random generator (not hypothesis) because it is ~50x faster per input and the
inputs are built from the pieces real scrapers produce: mixed scripts, NUL and control bytes,
huge tokens, abbreviations, punctuation storms, stray surrogates-free replacement characters,
and fragments that do trigger the built-in rules (so the refiners and merging run too).

Usage::

    python scripts/fuzz.py --inputs 100000 --seed 1 [--report fuzz-report.json]

Exit status 1 if any input crashed or broke an invariant (the first few are printed, with the
seed and index that reproduce them).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from dataclasses import dataclass, field

from classifier.matching.segment import split_spans
from classifier.pipeline.engine import Engine

PIECES = (
    "The United States imposed sanctions on Iran's central bank. ",
    "Mexico extradited 29 people to the U.S. on Tuesday. ",
    "The State Department offered a $5 million reward for information. ",
    "Washington raised tariffs on Chinese steel to 25%. ",
    "Israeli jets struck targets in Gaza overnight, the army said. ",
    "EE.UU. anunció aranceles del 10% a las importaciones. ",
    "El gobierno no impondrá sanciones, dijo el Sr. Pérez. ",
    "Gen. Smith met Sen. Jones at 10 a.m. EST in Washington, D.C. ",
    "U.S. Army", "Inc.", "No. 2", "St. Louis", "J.R.R.", "e.g.", "etc.", "Dr.", "Sra.", "vs.",
    "«¿Qué?»", "¡Basta!", "“Why?” he asked.", "(…)", "[...]", "1.", "a.",
    "Путин ввёл санкции.", "美国对中国加征关税。", "إيران فرضت عقوبات؟", "भारत ने प्रतिबंध लगाए।",
    "😀🔥", "\u200b", "\u202e", "\ufeff", "\ufffd", "\u2028", "\u0301", "ﬁ", "İ", "ẞ", "ǅ",
)
PUNCT = ".!?…;:,\"'“”‘’«»()[]{}¿¡。！？-–—/\\|*#$%&@^~`"
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x1d\x1e\x7f\x85\r\n\t"


def hostile(rng: random.Random, max_token: int = 50_000, max_run: int = 5_000) -> str:
    """One hostile string: a mix of the generators below, up to a few hundred KB."""
    parts: list[str] = []
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.35:
            parts.append(rng.choice(PIECES))
        elif kind < 0.5:
            parts.append("".join(rng.choice(PUNCT) for _ in range(rng.randint(1, 40))))
        elif kind < 0.6:
            parts.append("".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 10))))
        elif kind < 0.7:
            parts.append("".join(chr(rng.choice((rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                                 rng.randint(0x3000, 0xd7ff), rng.randint(0xe000, 0x10ffff))))
                                 for _ in range(rng.randint(1, 30))))
        elif kind < 0.75:  # a huge token
            parts.append(rng.choice("aZ.é-_0") * rng.randint(min(1_000, max_token), max_token))
        elif kind < 0.8:  # a long run of one separator
            separator = rng.choice((" ", "\n", ". ", "!", "?\n", "\t", "..."))
            parts.append(separator * rng.randint(min(10, max_run), max_run))
        elif kind < 0.9:
            parts.append(" ".join(rng.choice(("sanctions", "tariffs", "extradited", "reward", "struck",
                                              "imposed", "not", "will", "threatened", "$", "million",
                                              "%", "U.S.", "the", "on", "Iran", "China"))
                                  for _ in range(rng.randint(1, 30))))
        else:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
                         .decode("utf-8", errors="replace"))
    return "".join(parts)


@dataclass
class Failures:
    """How many texts failed a check, with the first few kept as examples to report.
    """
    count: int = 0
    examples: list[dict[str, object]] = field(default_factory=list)

    def add(self, index: int, problem: str, text: str) -> None:
        self.count += 1
        if len(self.examples) < 5:
            self.examples.append({"index": index, "problem": problem, "text": text[:300]})


def check_spans(text: str, spans: list[tuple[int, int]]) -> str | None:
    previous = 0
    for start, end in spans:
        if not (previous <= start < end <= len(text)):
            return f"span {(start, end)} out of order or empty"
        if text[previous:start].strip():
            return f"non-whitespace text between spans before {start}"
        if text[start:end] != text[start:end].strip():
            return f"span {(start, end)} not trimmed"
        previous = end
    if text[previous:].strip():
        return "non-whitespace text after the last span"
    return None


def check_profile(text: str, profile) -> str | None:  # type: ignore[no-untyped-def]
    by_index = {s.index: s for s in profile.sentences}
    for tag in profile.tags:
        sentence = by_index.get(tag.sentence)
        if sentence is None:
            return f"tag in unlisted sentence {tag.sentence}"
        if not (sentence.start <= tag.span[0] < tag.span[1] <= sentence.end):
            return f"tag span {tag.span} outside sentence {sentence.start, sentence.end}"
        if text[tag.span[0]:tag.span[1]] != tag.text:
            return f"tag text differs from text at span {tag.span}"
    for sentence in profile.sentences:
        if text[sentence.start:sentence.end] != sentence.text:
            return f"sentence {sentence.index} text differs from its span"
    json.dumps(profile.to_dict(), ensure_ascii=False)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", help="also write the figures as JSON here")
    parser.add_argument("--max-token", type=int, default=50_000, help="longest huge token")
    parser.add_argument("--max-run", type=int, default=5_000, help="longest separator run")
    args = parser.parse_args(argv)
    engine = Engine(entry_points=False)
    rng = random.Random(args.seed)
    failures = Failures()
    chars = 0
    started = time.perf_counter()
    for index in range(args.inputs):
        text = hostile(rng, args.max_token, args.max_run)
        chars += len(text)
        try:
            problem = check_spans(text, split_spans(text))
            if problem is None:
                profile = engine.classify(text, id=str(index))
                problem = check_profile(text, profile)
                if problem is None and index % 50 == 0:
                    again = engine.classify(text, id=str(index))
                    if json.dumps(again.to_dict()) != json.dumps(profile.to_dict()):
                        problem = "output differs between two runs"
        except Exception:
            problem = "crash: " + traceback.format_exc(limit=3).strip().splitlines()[-1]
        if problem:
            failures.add(index, problem, text)
        if (index + 1) % 10_000 == 0:
            print(f"fuzz: {index + 1} inputs, {failures.count} failures, "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    figures = {
        "inputs_tried": args.inputs, "seed": args.seed, "characters": chars,
        "max_token": args.max_token, "max_run": args.max_run,
        "crashes_or_violations": failures.count, "seconds": round(time.perf_counter() - started, 1),
        "examples": failures.examples,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=2)
    return 1 if failures.count else 0


if __name__ == "__main__":
    sys.exit(main())
