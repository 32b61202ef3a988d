"""A damaged or planted memo costs one slower start-up, never a crash or a different result.

Each case runs the CLI in a subprocess: the failure this guards against was a segmentation
fault in ``regex``'s C code, which would take pytest down with it.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.matching.seal import KEY_FILE, MAGIC

# Every test here builds engines against fresh memo folders: a few seconds each.
pytestmark = pytest.mark.slow

TEXT = ("The U.S. imposed sanctions on Iran. Mexico extradited 29 people to the United States. "
        "Washington offered a $5 million reward for the leader.")


def classify(cache: Path) -> subprocess.CompletedProcess[str]:
    # The pattern memo's own files; Hyperscan's databases have their tests (test_hyperscan.py),
    # and building them for every fresh folder here would only load the machine.
    env = {**os.environ, "POLICY_CLASSIFIER_CACHE": str(cache), "POLICY_CLASSIFIER_HYPERSCAN": "off"}
    return subprocess.run([sys.executable, "-m", "classifier", "classify", "-", "--no-entry-points"],
                          input=TEXT, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, str]:
    """A cache folder filled by one run, and that run's output."""
    cache = tmp_path / "cache"
    first = classify(cache)
    assert first.returncode == 0 and first.stderr == ""
    assert list(cache.glob("pattern-compiled-*.pickle")) and list(cache.glob("pack-*.json"))
    return cache, first.stdout


def flip_byte(path: Path, where: float) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x41
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind, where", [
    ("pattern-compiled-*.pickle", 0.5), ("pattern-compiled-*.pickle", 0.01),
    ("refiner-compiled-*.pickle", 0.97), ("pattern-facts-*.json", 0.5), ("pack-*.json", 0.5),
])
def test_one_changed_byte_in_any_memo_file_only_costs_speed(warm, kind, where):
    cache, expected = warm
    for path in cache.glob(kind):
        flip_byte(path, where)
    again = classify(cache)
    assert again.returncode == 0, again.stderr
    assert again.stdout == expected and again.stderr == ""
    healed = classify(cache)  # the damaged file was written afresh
    assert healed.stdout == expected


def test_a_planted_unsealed_pickle_is_ignored(warm):
    cache, expected = warm
    (compiled,) = cache.glob("pattern-compiled-*.pickle")
    compiled.write_bytes(pickle.dumps({"0\x00x": b"not regex code"}))
    again = classify(cache)
    assert again.returncode == 0 and again.stdout == expected


def test_a_memo_sealed_with_another_key_is_ignored(warm):
    cache, expected = warm
    (facts,) = cache.glob("pattern-facts-*.json")
    facts.write_bytes(MAGIC + b"\x00" * 32 + json.dumps({"problem\x000\x00x": None}).encode())
    assert classify(cache).stdout == expected


def test_a_key_others_can_read_disables_the_memo_but_not_the_run(warm):
    cache, expected = warm
    key = cache / KEY_FILE
    os.chmod(key, 0o644)
    again = classify(cache)
    assert again.returncode == 0 and again.stdout == expected


def test_a_key_file_that_is_a_symlink_is_not_followed(warm, tmp_path):
    cache, expected = warm
    key = cache / KEY_FILE
    elsewhere = tmp_path / "elsewhere.key"
    elsewhere.write_bytes(key.read_bytes())
    os.chmod(elsewhere, 0o600)
    key.unlink()
    key.symlink_to(elsewhere)
    assert classify(cache).stdout == expected


def test_damaged_code_inside_a_well_formed_file_is_refused(warm):
    """The file still parses, but every compiled entry's code has one byte changed: the old
    memo handed that code to regex's C compiler, which crashed or looped forever."""
    cache, expected = warm
    (compiled,) = cache.glob("pattern-compiled-*.pickle")
    blob = compiled.read_bytes()
    head = len(MAGIC) + 32 if blob.startswith(MAGIC) else 0
    entries = pickle.loads(blob[head:])
    damaged = {}
    for key, code in entries.items():
        code = bytearray(code)
        code[int(len(code) * 0.75)] = (code[int(len(code) * 0.75)] + 1) % 256
        damaged[key] = bytes(code)
    compiled.write_bytes(blob[:head] + pickle.dumps(damaged))
    again = classify(cache)  # a hang fails here, on the subprocess timeout
    assert again.returncode == 0 and again.stdout == expected
