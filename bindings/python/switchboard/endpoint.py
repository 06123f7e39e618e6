"""Endpoints: business numbers (endpoint.h). The functions are methods of Practice."""
from __future__ import annotations

from dataclasses import dataclass

from . import _native as n

KINDS = {"business_number": 1, "secure_link": 2}
OWNERS = {0: "practice", 1: "teammate", 2: "team"}
RING_MODES = {0: "simultaneous", 1: "sequential", 2: "round_robin"}


@dataclass(frozen=True)
class Endpoint:
    id: int
    kind: str              # "business_number" or "secure_link"
    address: str           # E.164 for a business number
    label: str
    owner_kind: str        # "practice", "teammate" or "team"
    owner_id: int
    auto_assign: bool
    ring_mode: str         # "simultaneous", "sequential" or "round_robin"
    ring_timeout_ms: int
    created_at: int
    retired_at: int        # 0 while active

    @property
    def active(self) -> bool:
        return self.retired_at == 0

    @classmethod
    def _from_c(cls, e: n.Endpoint) -> "Endpoint":
        kind = next((k for k, v in KINDS.items() if v == e.kind), str(e.kind))
        return cls(e.id, kind, e.address.decode(), e.label.decode(), OWNERS.get(e.owner_kind, str(e.owner_kind)),
                   e.owner_id, bool(e.auto_assign), RING_MODES.get(e.ring_mode, str(e.ring_mode)),
                   e.ring_timeout_ms, e.created_at, e.retired_at)
