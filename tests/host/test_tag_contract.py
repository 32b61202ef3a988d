"""The quick acceptance of a refiner's tag never lets through what the field-by-field check rejects.

``tag_problem`` first tries ``_plainly_valid`` (built-in type tests only) and words a problem
with ``_tag_problem`` otherwise; both must give the same verdict on every tag, valid or not.
"""

from __future__ import annotations

import dataclasses

import pytest

from classifier.host.hookresults import _plainly_valid, _tag_problem, tag_problem
from classifier.model import ActionType, Amount, Sentence, Tag

TEXT = "The Treasury imposed sanctions on the firm for $5 million."
SENTENCE = Sentence(0, 0, len(TEXT), TEXT)
ACTIONS = {"sanctions": ActionType("sanctions", "Sanctions", "p")}
GOOD = Tag(action="sanctions", rule="r", plugin="p", sentence=0, span=(21, 30), text="sanctions",
           modality="asserted", cue=None, score=0.5, actor="United States", target=None,
           amounts=(Amount(5e6, "USD", "$5 million", (46, 56)),), destination=None, via=None)


class _Str(str):
    pass


class _Int(int):
    pass


CHANGES = [
    {},
    {"score": 1},
    {"score": True},
    {"score": float("nan")},
    {"score": float("inf")},
    {"score": 10 ** 400},
    {"score": "1"},
    {"action": "tariffs"},
    {"action": _Str("sanctions")},
    {"action": None},
    {"span": [21, 30]},
    {"span": (21, 30, 31)},
    {"span": (True, 30)},
    {"span": (_Int(21), 30)},
    {"span": (30, 21)},
    {"span": (0, len(TEXT) + 1)},
    {"span": (22, 30)},
    {"text": _Str("sanctions")},
    {"text": None},
    {"rule": 1},
    {"plugin": None},
    {"sentence": True},
    {"sentence": "0"},
    {"modality": "maybe"},
    {"modality": "threatened"},
    {"cue": 3},
    {"cue": "could"},
    {"actor": b"US"},
    {"target": _Str("x")},
    {"amounts": []},
    {"amounts": ()},
    {"amounts": ("5",)},
    {"amounts": (Amount(float("nan"), "USD", "x"),)},
    {"amounts": (Amount(5, "USD", "x"),)},
    {"amounts": (Amount(5.0, "USD", "x", [1, 2]),)},
    {"amounts": (Amount(5.0, "USD", "x", (1, True)),)},
    {"amounts": (Amount(5.0, None, "x"),)},  # type: ignore[arg-type]
    {"destination": 5},
    {"destination": "Mexico"},
    {"via": ["context"]},
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: ",".join(f"{k}={v!r:.20}" for k, v in c.items()))
def test_quick_and_full_checks_agree(change):
    tag = dataclasses.replace(GOOD)
    for name, value in change.items():
        object.__setattr__(tag, name, value)  # as a careless plugin might build it
    full = _tag_problem(tag, SENTENCE, TEXT, ACTIONS)
    assert tag_problem(tag, SENTENCE, TEXT, ACTIONS) == full
    if _plainly_valid(tag, SENTENCE, TEXT, ACTIONS):
        assert full is None


def test_the_usual_tag_takes_the_quick_path():
    assert _plainly_valid(GOOD, SENTENCE, TEXT, ACTIONS)
    assert _plainly_valid(dataclasses.replace(GOOD, amounts=()), SENTENCE, TEXT, ACTIONS)


def test_not_a_tag_is_worded():
    assert "expected classifier.model.Tag" in (tag_problem("tag", SENTENCE, TEXT, ACTIONS) or "")
