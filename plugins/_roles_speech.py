"""Small readings of the actors refiner about who speaks and who is spoken of in a match.

Helpers of :mod:`classifier.plugins._roles_read` (kept apart because that module is long).
"""

from __future__ import annotations

from typing import Any, Mapping

import regex

from ._gazetteer import _I, Mention

_FORCES = regex.compile(r"\b(?:troops|forces|soldiers|army|navy|military|jets|warships|tropas|"
                        r"fuerzas|soldados|militares|ej[ée]rcito|armada|aviones|buques)\W*$", _I)


def object_in_match(text: str, start: int, mention: Mention, cue: Mapping[str, Any]) -> bool:
    """Is ``mention`` the object of a verb inside the match, not its subject? "[[sancionó a
    tres funcionarios venezolanos]]", "[[sanctioned three Venezuelan officials]]": the
    officials are sanctioned, they do not sanction."""
    if mention.start <= start or _FORCES.search(text, mention.start, mention.end):
        return False  # "sent UK forces into Iraq": a state's own forces still act
    return cue["verb_obj"].search(text, start, mention.start) is not None
