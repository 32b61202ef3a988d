"""The demo article shipped in the repo, end to end through the installed CLI entry point.

This is the README's first command; if it stops finding the five actions, a new user's first
impression breaks, so it is checked the way they run it (a subprocess, JSON on stdout).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-article.txt"


def classify(*extra: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "classifier", "classify", str(DEMO), "--format", "json",
         "--no-entry-points", *extra],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def test_demo_article_has_all_five_actions_with_evidence():
    profile = classify()
    text = DEMO.read_text(encoding="utf-8")
    actions = profile["actions"]
    assert set(actions) == {"sanctions", "rewards", "military", "extradition", "tariffs"}
    assert profile["dominant"] == "sanctions"
    assert actions["tariffs"]["modality"].get("threatened") and not actions["tariffs"]["modality"].get("asserted")
    assert any((a["value"], a["unit"], a["text"]) == (10000000, "USD", "$10 million")
               for a in actions["rewards"]["amounts"])
    assert "United States" in actions["military"]["actors"]
    assert actions["extradition"]["actors"] == ["Colombia"]
    assert any(a["unit"] == "people" and a["value"] == 12 for a in actions["extradition"]["amounts"])
    for sentence in profile["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        for tag in sentence["tags"]:
            assert text[tag["span"][0]:tag["span"][1]] == tag["text"]
            assert tag["rule"] and tag["plugin"]


def test_the_last_sentence_of_analysis_is_not_tagged():
    profile = classify("--all-sentences")
    last = profile["sentences"][-1]
    assert last["text"].startswith("Analysts said") and last["tags"] == []
