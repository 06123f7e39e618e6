"""Filters (T9) and bulk messages (T10) (filter.h, bulk.h). The functions are
methods of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from . import _native as n
from .errors import TooBigError, encode_text as _text
from .messaging import CONVERSATION_KINDS, STATUSES, _code, _name
from .team import MAILBOXES, MailboxEntry, _limit

FILTER_KINDS = {"conversations": 1, "contacts": 2}
FILTER_STATUSES = {"any": 0, "open": 1, "closed": 2}
INVITATIONS = {"any": 0, "never": 1, "not_accepted": 2, "accepted": 3}
ACCOUNTS = {"any": 0, "with": 1, "without": 2}
TAG_MATCHES = {"all": 0, "any": 1}
BULK_STATES = {"pending": 0, "skipped": 1, "stored": 2}


@dataclass(frozen=True)
class Filter:
    """A filter's criteria; "any" (None, 0, False) picks everything.

    Conversation filters: mailbox (inbox, teammate, team, closed) with its
    mailbox_owner (a teammate's mailbox with owner 0 is whoever runs it),
    endpoint, conversation_kind (standard, secure), unread, status (any,
    open, closed). Contact filters: invitation (any, never, not_accepted,
    accepted), account (any, with, without). Both: tag ids, matched "all"
    or "any"."""
    kind: str = "conversations"
    mailbox: Optional[str] = None
    mailbox_owner: int = 0
    endpoint: int = 0
    conversation_kind: Optional[str] = None
    unread: bool = False
    status: str = "any"
    invitation: str = "any"
    account: str = "any"
    tags: Tuple[int, ...] = field(default_factory=tuple)
    tag_match: str = "all"

    def _to_c(self) -> n.Filter:
        f = n.Filter()
        n.lib.sb_filter_init(ctypes.byref(f), _code(FILTER_KINDS, self.kind, "kind"))
        f.mailbox = n.FILTER_ANY_MAILBOX if self.mailbox is None else _code(MAILBOXES, self.mailbox, "mailbox")
        f.mailbox_owner = self.mailbox_owner
        f.endpoint = self.endpoint
        f.conversation_kind = 0 if self.conversation_kind is None else _code(CONVERSATION_KINDS,
                                                                             self.conversation_kind,
                                                                             "conversation_kind")
        f.unread = int(self.unread)
        f.status = _code(FILTER_STATUSES, self.status, "status")
        f.invitation = _code(INVITATIONS, self.invitation, "invitation")
        f.account = _code(ACCOUNTS, self.account, "account")
        f.tag_match = _code(TAG_MATCHES, self.tag_match, "tag_match")
        if len(self.tags) > n.FILTER_TAGS_MAX:
            raise TooBigError(f"a filter names at most {n.FILTER_TAGS_MAX} tags")
        f.tag_count = len(self.tags)
        for i, tag in enumerate(self.tags):
            f.tags[i] = tag
        return f

    @classmethod
    def _from_c(cls, f: n.Filter) -> "Filter":
        return cls(_name(FILTER_KINDS, f.kind), None if f.mailbox < 0 else _name(MAILBOXES, f.mailbox),
                   f.mailbox_owner, f.endpoint,
                   None if not f.conversation_kind else _name(CONVERSATION_KINDS, f.conversation_kind),
                   bool(f.unread), _name(FILTER_STATUSES, f.status), _name(INVITATIONS, f.invitation),
                   _name(ACCOUNTS, f.account), tuple(f.tags[i] for i in range(f.tag_count)),
                   _name(TAG_MATCHES, f.tag_match))


@dataclass(frozen=True)
class SavedFilter:
    id: int
    owner: int                  # the teammate it is saved for; 0: shared
    created_by: int
    name: str
    created_at: int
    updated_at: int
    filter: Filter

    @classmethod
    def _from_c(cls, s: n.SavedFilter) -> "SavedFilter":
        return cls(s.id, s.owner, s.created_by, s.name.decode(), s.created_at, s.updated_at, Filter._from_c(s.filter))


@dataclass(frozen=True)
class Bulk:
    id: int
    endpoint_id: int
    created_by: int
    created_at: int
    recipients: int
    pending: int
    skipped: int
    queued: int
    sent: int
    delivered: int
    undelivered: int
    failed: int

    @classmethod
    def _from_c(cls, b: n.Bulk) -> "Bulk":
        return cls(b.id, b.endpoint_id, b.created_by, b.created_at, b.recipients, b.pending, b.skipped, b.queued,
                   b.sent, b.delivered, b.undelivered, b.failed)


@dataclass(frozen=True)
class BulkRecipient:
    contact_id: int
    state: str                  # pending, skipped or stored
    conversation_id: int        # once stored
    item_id: int                # its copy, once stored
    status: str                 # the copy's message status, or "none"

    @classmethod
    def _from_c(cls, r: n.BulkRecipient) -> "BulkRecipient":
        return cls(r.contact_id, _name(BULK_STATES, r.state), r.conversation_id, r.item_id,
                   _name(STATUSES, r.status))


class FilterMixin:
    """Practice methods for filters and bulk messages."""

    # --- filters (T9) ---

    def filter_conversations(self, actor: int, f: Filter, before: Optional[MailboxEntry] = None,
                             limit: int = 50) -> List[MailboxEntry]:
        """A page of the conversations the filter picks that the actor sees,
        newest activity first; pass the last entry as `before` for the next."""
        _limit(limit, n.FILTER_PAGE_MAX)
        buf = (n.MailboxEntry * limit)()
        count = ctypes.c_size_t()
        at, cid = (before.last_item_at, before.conversation_id) if before else (0, 0)
        self._check(n.lib.sb_filter_conversations(buf, ctypes.byref(count), self._h(), actor,
                                                  ctypes.byref(f._to_c()), at, cid, limit))
        return [MailboxEntry._from_c(buf[i]) for i in range(count.value)]

    def filter_contacts(self, actor: int, f: Filter, after_id: int = 0, limit: int = 50) -> List[int]:
        """The ids of the contacts a contact filter picks, in id order."""
        _limit(limit, n.FILTER_PAGE_MAX)
        buf = (ctypes.c_int64 * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_filter_contacts(buf, ctypes.byref(count), self._h(), actor, ctypes.byref(f._to_c()),
                                             after_id, limit))
        return list(buf[:count.value])

    def filter_save(self, actor: int, owner: int, name: str, f: Filter) -> int:
        """Save a filter for a teammate (owner), or shared (owner 0)."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_filter_save(ctypes.byref(out), self._h(), actor, owner, _text(name, "name"),
                                         ctypes.byref(f._to_c())))
        return out.value

    def filter_update(self, actor: int, filter_id: int, name: str, f: Filter) -> None:
        self._check(n.lib.sb_filter_update(self._h(), actor, filter_id, _text(name, "name"), ctypes.byref(f._to_c())))

    def filter_delete(self, actor: int, filter_id: int) -> None:
        self._check(n.lib.sb_filter_delete(self._h(), actor, filter_id))

    def filter_get(self, actor: int, filter_id: int) -> SavedFilter:
        out = n.SavedFilter()
        self._check(n.lib.sb_filter_get(ctypes.byref(out), self._h(), actor, filter_id))
        return SavedFilter._from_c(out)

    def filter_list(self, actor: int, teammate: int = 0, after_id: int = 0, limit: int = 50) -> List[SavedFilter]:
        """The shared filters and a teammate's own (0: the actor's)."""
        _limit(limit, n.FILTER_PAGE_MAX)
        buf = (n.SavedFilter * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_filter_list(buf, ctypes.byref(count), self._h(), actor, teammate, after_id, limit))
        return [SavedFilter._from_c(buf[i]) for i in range(count.value)]

    # --- bulk messages (T10) ---

    def bulk_create(self, actor: int, endpoint: int, body: str, contacts: Filter) -> int:
        """Store a text for every contact the filter picks now; sends nothing."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_bulk_create(ctypes.byref(out), self._h(), actor, endpoint, _text(body, "body"),
                                         ctypes.byref(contacts._to_c())))
        return out.value

    def _bulk_step(self, fn, actor: int, bulk: int, limit: int) -> Bulk:
        _limit(limit, n.BULK_PAGE_MAX)
        out = n.Bulk()
        self._check(fn(ctypes.byref(out), self._h(), actor, bulk, limit))
        return Bulk._from_c(out)

    def bulk_send(self, actor: int, bulk: int, limit: int = 50) -> Bulk:
        """Send up to `limit` copies not sent yet; call again until pending is 0."""
        return self._bulk_step(n.lib.sb_bulk_send, actor, bulk, limit)

    def bulk_retry(self, actor: int, bulk: int, limit: int = 50) -> Bulk:
        """Send again up to `limit` copies the carrier refused (or stale ones)."""
        return self._bulk_step(n.lib.sb_bulk_retry, actor, bulk, limit)

    def bulk_get(self, actor: int, bulk: int) -> Bulk:
        out = n.Bulk()
        self._check(n.lib.sb_bulk_get(ctypes.byref(out), self._h(), actor, bulk))
        return Bulk._from_c(out)

    def bulk_recipients(self, actor: int, bulk: int, after_contact: int = 0, limit: int = 100) -> List[BulkRecipient]:
        _limit(limit, n.BULK_PAGE_MAX)
        buf = (n.BulkRecipient * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_bulk_recipients(buf, ctypes.byref(count), self._h(), actor, bulk, after_contact, limit))
        return [BulkRecipient._from_c(buf[i]) for i in range(count.value)]

    def bulk_list(self, actor: int, before_id: int = 0, limit: int = 50) -> List[Bulk]:
        """Bulk messages from numbers the actor sees, newest first."""
        _limit(limit, n.BULK_PAGE_MAX)
        buf = (n.Bulk * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_bulk_list(buf, ctypes.byref(count), self._h(), actor, before_id, limit))
        return [Bulk._from_c(buf[i]) for i in range(count.value)]
