"""What the service's worker processes are started with, as one JSON-able value.

Why a module of its own: the command that starts the server and the app each worker builds
both need it; kept here, the app does not import the command.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ServeOptions:
    """What a worker needs to build its app: the Engine's keyword arguments and the limits."""

    engine: dict[str, Any] = field(default_factory=dict)
    max_body_bytes: int = 16 << 20
    max_batch: int = 1000
    token: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "ServeOptions":
        return cls(**json.loads(text))
