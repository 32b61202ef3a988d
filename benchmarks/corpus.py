"""Generate a synthetic news corpus (JSON Lines) of a given size from sentences written here.

Why synthetic: benchmarks must be reproducible anywhere without shipping third-party text. The
mix follows what the design measured on real news: most sentences mention no policy action, about
5% do, and articles run 15-40 sentences. The same seed gives byte-identical output.

    python benchmarks/corpus.py --mb 10 -o benchmarks/out/corpus-10mb.jsonl

Any size from 1 MB to 1 GB and beyond (``--mb 1000`` writes 1 GB in about a minute); the
benchmark scripts call :func:`ensure`, which generates a size once under benchmarks/out/
(git-ignored) and reuses it. ``--policy-share`` changes the share of policy sentences.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PLACES = ["Caracas", "Bogotá", "Mexico City", "Ottawa", "Brussels", "Beijing", "Tehran", "Kyiv",
          "Khartoum", "Manila", "Lagos", "Lima", "Ankara", "Seoul", "Havana", "Quito"]
COUNTRIES = ["Venezuela", "Colombia", "Mexico", "Canada", "China", "Iran", "Russia", "Sudan",
             "North Korea", "Cuba", "Nicaragua", "Myanmar", "Syria", "Belarus"]
GROUPS = ["the Sinaloa Cartel", "Tren de Aragua", "the Gulf Cartel", "a Houthi unit",
          "a smuggling ring", "two shipping firms", "a money-laundering network"]
BACKGROUND = [
    "Shares in {place} closed {n} points higher after a quiet session.",
    "The city council of {place} approved a new budget for public parks on {day}.",
    "Heavy rain flooded several streets in {place}, officials said.",
    "The national football team beat its rival {n}-1 in a friendly match.",
    "A new bridge linking two districts of {place} opened to traffic on {day}.",
    "Teachers in {place} ended a week-long strike after a pay deal.",
    "The central bank kept interest rates unchanged at {n}.5 percent.",
    "Tourism in {country} rose for the third year running, the ministry said.",
    "Analysts expect inflation to ease in the second half of the year.",
    "The festival drew more than {n},000 visitors to {place} over the weekend.",
    "Voters in {country} will elect a new parliament in the spring.",
    "The airline said it would add {n} weekly flights between {place} and Madrid.",
    "Researchers published a study on air quality in {place} on {day}.",
    "The president met business leaders to discuss investment in roads and ports.",
    "Officials said the new hospital would open before the end of the year.",
    "Prices for coffee and cocoa fell sharply on world markets on {day}.",
    "The opposition criticised the government's handling of the health budget.",
    "A court in {place} postponed the corruption trial until next month.",
    "Mr. Ortega, a spokesman, said the talks were \"constructive\" and would resume.",
    "The U.N. agency said {n} million people needed food aid in the region.",
]
POLICY = [
    "The U.S. Treasury imposed sanctions on {group} on {day}, freezing their assets.",
    "{country} was hit with new sanctions over its nuclear program.",
    "Washington threatened to impose a {n}% tariff on steel from {country}.",
    "{country} extradited {n} suspects to the United States on {day}.",
    "The State Department offered a reward of up to ${n} million for information on the leader of {group}.",
    "U.S. forces carried out an airstrike on a camp used by {group}, the Pentagon said.",
    "The government ruled out military action against {country} for now.",
    "The European Union froze the assets of {n} officials from {country}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sentence(rng: random.Random, policy_share: float) -> str:
    template = rng.choice(POLICY if rng.random() < policy_share else BACKGROUND)
    return template.format(place=rng.choice(PLACES), country=rng.choice(COUNTRIES),
                           group=rng.choice(GROUPS), day=rng.choice(DAYS), n=rng.randint(2, 90))


def article(rng: random.Random, number: int, policy_share: float) -> dict[str, str]:
    paragraphs = []
    for _ in range(rng.randint(5, 12)):
        paragraphs.append(" ".join(sentence(rng, policy_share) for _ in range(rng.randint(2, 4))))
    return {"id": f"synthetic-{number:07d}", "text": "\n\n".join(paragraphs)}


def generate(path: Path, megabytes: float, seed: int = 7, policy_share: float = 0.05) -> Path:
    """Write articles until the file reaches ``megabytes``; returns the path."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    number = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            number += 1
            line = json.dumps(article(rng, number, policy_share), ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    return path


OUT = Path(__file__).resolve().parent / "out"  # where generated corpora are kept


def ensure(megabytes: float, folder: Path = OUT, policy_share: float = 0.05) -> Path:
    """The corpus of that size (and share of policy sentences), generated once and reused."""
    dense = "" if policy_share == 0.05 else f"-policy{round(policy_share * 100)}"
    path = folder / f"corpus-{megabytes:g}mb{dense}.jsonl"
    if not path.exists() or path.stat().st_size < megabytes * 1_000_000:
        generate(path, megabytes, policy_share=policy_share)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--policy-share", type=float, default=0.05,
                        help="share of sentences that describe a policy action (default 0.05)")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    out = args.output or Path(__file__).resolve().parent / "out" / f"corpus-{args.mb:g}mb.jsonl"
    print(generate(out, args.mb, args.seed, args.policy_share))
