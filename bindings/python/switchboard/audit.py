"""Audit trail entries (audit.h). The functions are methods of Practice."""
from __future__ import annotations

from dataclasses import dataclass

from . import _native as n


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: int
    actor: int
    action: str
    object_kind: str
    object_id: int

    @classmethod
    def _from_c(cls, e: n.AuditEntry) -> "AuditEntry":
        return cls(e.seq, e.at, e.actor, e.action.decode(), e.object_kind.decode(), e.object_id)
