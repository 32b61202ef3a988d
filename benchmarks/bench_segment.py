"""Throughput of classifier.matching.segment.split_spans on generated news-like text.

Usage: python benchmarks/bench_segment.py [--mb 8] [--repeat 5] [--seed 7]

The text is built from templates written for this benchmark (English, about 10% Spanish):
headlines, datelines, quotes, abbreviations (U.S., Mr., Gen., Inc., a.m.), decimals and money,
paragraph breaks. Two texts are measured: ordinary news (an abbreviation in about one sentence
of four) and an abbreviation-dense stress text. Throughput is reported in MB of UTF-8 per
second, best of --repeat runs. The target for ordinary news is >= 20 MB/s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.matching.segment import split_spans  # noqa: E402

_EN_SUBJECTS = [
    "The ministry", "Government officials", "The prime minister", "Investors", "The central bank",
    "Police in the capital", "Analysts at several banks", "The opposition party", "Local residents",
    "The foreign minister", "Negotiators from both sides", "A spokeswoman for the company",
    "The defence ministry", "Regional governors", "Human rights groups", "Shipping companies",
]
_EN_ABBREVIATED_SUBJECTS = [
    "Mr. Alvarez", "U.S. officials", "The U.N. Security Council", "Gen. Harlow", "Acme Corp.",
    "Sen. Whitfield", "Dr. Okafor", "A spokeswoman for the E.U. Commission",
    "Northwind Inc. Chief Executive Dana Price", "George W. Harlan",
]
_EN_VERBS = [
    "said on Tuesday that", "warned in a statement that", "told reporters late on Monday that",
    "confirmed that", "denied reports that", "argued that", "said in an interview that",
    "acknowledged that", "insisted that", "predicted that",
]
_EN_CLAUSES = [
    "the new measures would cost the economy roughly $4.5 billion over the next two years",
    "growth slowed to 1.8 percent in the third quarter as exports to Asia weakened",
    "tariffs on imported steel and aluminium would rise by 25 percent from the start of next month",
    "the suspect would be extradited to the United States within weeks if the court agreed",
    "troops had crossed the border before dawn and taken control of two villages",
    "a reward of $5 million was offered for information leading to the arrest of the leaders",
    "talks with the neighbouring countries would resume next month in the capital",
    "the sanctions were aimed at the banks and shipping firms that finance the programme",
    "thousands of people had been forced to leave their homes because of the fighting",
    "the government had no plans to raise taxes on small businesses before the election",
]
_EN_ABBREVIATED_CLAUSES = [
    "the suspect would be extradited to the U.S. within weeks",
    "tariffs would rise by 25 percent for No. 2 producers vs. last year",
    "the meeting would start at 9 a.m. on Jan. 12 in St. Louis",
]
_EN_EXTRAS = [
    "", "", "", "", " despite strong objections from lawmakers in the ruling coalition",
    " according to people familiar with the discussions", " although no date has been set",
    " after weeks of negotiations behind closed doors",
]
_EN_TAILS = [".", ".", ".", ".", ".", ".", "?", ', he said.', '," she added.', " (in 2019).", "..."]
_EN_HEADLINES = [
    "U.S. Imposes New Sanctions on Shipping Firms",
    "Markets Slide as Central Bank Signals More Hikes",
    "Army Deploys Extra Units to Northern Border",
    "Talks on Trade Deal Stall Again",
]
_ES_SENTENCES = [
    "El Sr. Gómez dijo que EE.UU. impondrá aranceles del 10,5 por ciento a partir del próximo mes.",
    "¿Habrá nuevas sanciones contra los bancos? ¡Nadie lo sabe todavía!",
    "«No vamos a ceder», afirmó la Dra. Ruiz durante la sesión núm. 4 del Congreso.",
    "El sospechoso fue extraditado a EE.UU. El tribunal aprobó la solicitud el lunes por la tarde.",
    "Los negociadores de ambos países volverán a reunirse la próxima semana en la capital.",
]


def _sentence(rng: random.Random, dense: bool) -> str:
    abbreviated = dense or rng.random() < 0.15
    subject = rng.choice(_EN_ABBREVIATED_SUBJECTS if abbreviated else _EN_SUBJECTS)
    abbreviated = dense or rng.random() < 0.1
    clause = rng.choice(_EN_ABBREVIATED_CLAUSES if abbreviated else _EN_CLAUSES)
    text = f"{subject} {rng.choice(_EN_VERBS)} {clause}{rng.choice(_EN_EXTRAS)}"
    tail = rng.choice(_EN_TAILS)
    return f'"{text}{tail}' if tail.startswith(",") else text + tail


def _paragraph(rng: random.Random, spanish: bool, dense: bool) -> str:
    if spanish:
        return " ".join(rng.choice(_ES_SENTENCES) for _ in range(rng.randint(2, 5)))
    return " ".join(_sentence(rng, dense) for _ in range(rng.randint(2, 6)))


def make_text(megabytes: float, seed: int = 7, dense: bool = False) -> str:
    """News-like text of about `megabytes` MB (UTF-8): articles of a headline and paragraphs.

    Ordinary text has an abbreviation in about one sentence of four; `dense` puts several in
    every sentence (a stress test of the slow path).
    """
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        article = [rng.choice(_EN_HEADLINES), "WASHINGTON (Wire) --"]
        spanish = rng.random() < 0.1
        article += [_paragraph(rng, spanish, dense) for _ in range(rng.randint(3, 8))]
        chunk = "\n\n".join(article) + "\n\n"
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(parts)


def throughput(func: Callable[[str], object], text: str, repeat: int) -> float:
    """Best-of-`repeat` throughput of func(text) in MB/s of UTF-8."""
    megabytes = len(text.encode("utf-8")) / 1_000_000
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - started)
    return megabytes / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=8.0, help="size of the generated text in MB")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the best one is reported")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for label, dense in (("ordinary news", False), ("abbreviation-dense", True)):
        text = make_text(args.mb, args.seed, dense)
        sentences = len(split_spans(text))
        rate = throughput(split_spans, text, args.repeat)
        size = len(text.encode("utf-8")) / 1_000_000
        print(f"split_spans, {label}: {size:.1f} MB, {sentences} sentences, {rate:.1f} MB/s")


if __name__ == "__main__":
    main()
