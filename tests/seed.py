"""The seed article lives outside the repo (../shared); tests that read it skip when it is absent.

CI clones only the repository, so these checks run on developer machines that have the shared
folder beside the project and skip, with a reason, everywhere else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed-article.txt"


def read_seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED} (it is not part of the repository)")
    return SEED.read_text(encoding="utf-8")
