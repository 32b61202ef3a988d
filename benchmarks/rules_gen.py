"""Generate rule packs of N realistic rules that match nothing in the benchmark corpus.

Why realistic: a benchmark with rules of random letters would flatter the prefilter. These look
like the built-in rules -- a verb stem with inflections, a word gap, an object noun, word
boundaries, sometimes an exclude pattern -- but their stems are invented words (built from
English-like syllables), so they become candidates only where such a word occurs, as a real
but unrelated rule pack would. Packs of 100 rules, as a rule author would split them.
"""

from __future__ import annotations

import random
from pathlib import Path

ACTIONS = ("military", "sanctions", "tariffs", "extradition", "rewards")
ONSETS = ("b", "br", "c", "cl", "d", "dr", "f", "g", "gr", "k", "l", "m", "n", "p", "pl", "qu",
          "r", "s", "st", "t", "tr", "v", "w", "z")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ea")
CODAS = ("", "n", "r", "st", "nd", "rk", "l", "m", "x", "th")
OBJECTS = ("sanctions", "tariffs", "troops", "duties", "assets", "suspects", "rewards", "imports")


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(syllables))


def rule(rng: random.Random, number: int) -> str:
    stems = [word(rng, rng.randint(2, 3)) for _ in range(rng.randint(1, 3))]
    verbs = "|".join(f"{stem}(?:s|ed|ing)?" for stem in stems)
    obj = rng.choice(OBJECTS)
    pattern = rf"\b(?:{verbs})\s+(?:[\w\x27-]+\s+){{0,3}}?{obj}\b"
    lines = [
        "[[rules]]",
        f'id = "bench.generated_{number:05d}"',
        f'action = "{rng.choice(ACTIONS)}"',
        f"patterns = ['{pattern}']",
    ]
    if rng.random() < 0.3:
        lines.append(rf"exclude = ['\b{word(rng, 2)}\b']")
    lines.append(f"weight = {rng.choice((0.5, 0.7, 0.9, 1.0))}")
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 11, per_pack: int = 100) -> Path:
    """Write ``count`` rules into ``folder/pack-NNN.toml`` files; returns the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("pack-*.toml"):
        old.unlink()
    for pack in range(0, count, per_pack):
        body = [f'[pack]\nname = "bench_{pack // per_pack:03d}"\nlang = "en"\n']
        body += [rule(rng, n) for n in range(pack, min(pack + per_pack, count))]
        (folder / f"pack-{pack // per_pack:03d}.toml").write_text("\n".join(body), encoding="utf-8")
    return folder
