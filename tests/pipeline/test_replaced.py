"""``classifier.model.replaced``: the refiners' fast ``dataclasses.replace`` builds the same values."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from classifier.model import Amount, Tag, replaced

TAG = Tag("sanctions", "r.id", "p", 3, (10, 19), "sanctions", amounts=(Amount(5.0, "USD", "$5", (1, 3)),))


@pytest.mark.parametrize("changes", [{}, {"actor": "Iran"}, {"modality": "negated", "cue": "denied"},
                                     {"sentence": 7, "destination": "Spain", "via": "context"}])
def test_a_tag_is_replaced_as_dataclasses_does(changes):
    got, expected = replaced(TAG, **changes), dataclasses.replace(TAG, **changes)
    assert got == expected and hash(got) == hash(expected) and type(got) is Tag
    assert got.to_dict() == expected.to_dict() and pickle.loads(pickle.dumps(got)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.actor = "x"  # type: ignore[misc]
    assert TAG.actor is None  # the original is untouched


def test_an_amount_and_the_fallbacks():
    amount = TAG.amounts[0]
    assert replaced(amount, span=(4, 6)) == dataclasses.replace(amount, span=(4, 6))
    with pytest.raises(TypeError):
        replaced(TAG, no_such_field=1)

    @dataclasses.dataclass(frozen=True)
    class Own(Tag):
        extra: str = "x"

    own = Own("sanctions", "r.id", "p", 3, (10, 19), "sanctions")
    assert replaced(own, extra="y") == dataclasses.replace(own, extra="y")
