"""Contacts (contact.h). The functions are methods of Practice."""
from __future__ import annotations

from dataclasses import dataclass

from . import _native as n

ADDRESS_KINDS = {"phone": 1, "email": 2}


@dataclass(frozen=True)
class Contact:
    id: int
    saved: bool          # False: created by traffic from an unknown number (C4)
    name: str            # "" while unsaved
    created_at: int
    updated_at: int

    @classmethod
    def _from_c(cls, c: n.Contact) -> "Contact":
        return cls(c.id, bool(c.saved), c.name.decode(), c.created_at, c.updated_at)


@dataclass(frozen=True)
class ContactAddress:
    id: int
    kind: str            # "phone" or "email"
    value: str           # E.164, or the e-mail as given
    added_at: int

    @classmethod
    def _from_c(cls, a: n.ContactAddress) -> "ContactAddress":
        kind = next((k for k, v in ADDRESS_KINDS.items() if v == a.kind), str(a.kind))
        return cls(a.id, kind, a.value.decode(), a.added_at)
