"""The practice handle (practice.h, store.h, audit.h)."""
from __future__ import annotations

import contextlib
import ctypes
from typing import Any, Iterator, List, Optional

from . import _native as n
from .audit import AuditEntry
from .contact import ADDRESS_KINDS, Contact, ContactAddress
from .endpoint import KINDS as ENDPOINT_KINDS, Endpoint
from .carrier import CallbackGuard, make_carrier, make_clock
from .errors import InvalidArgumentError, StateError, encode_text, error_for
from .messaging import MessagingMixin
from .automation import AutomationMixin
from .filters import FilterMixin
from .secure import SecureMixin
from .voice import VoiceMixin
from .team import TeamMixin
from .notify import NotifyMixin
from .chat import ChatMixin

ACTOR_SYSTEM = 0
_SYNC = {"full": 0, "normal": 1}


_text = encode_text


def _is_postgres_uri(where: str) -> bool:
    return where.startswith(("postgresql://", "postgres://"))


class Practice(MessagingMixin, TeamMixin, FilterMixin, AutomationMixin, SecureMixin, VoiceMixin, NotifyMixin, ChatMixin):
    """One practice of a store. Use as a context manager, or call close().

    The store is one of:
        store_path: a SQLite file path (or ":memory:"), or a postgresql:// URI;
        postgres: a libpq connection string (key=value pairs, or a URI);
        pg_conn: the address of a libpq PGconn the caller holds (psycopg:
            conn.pgconn.pgconn_ptr). The caller keeps it open, idle and unused
            while this Practice lives, and closes it after close().

    Args:
        practice: which practice of the store (created on first open); "default" when None.
        key: a master key of KEY_BYTES bytes; with it, PHI is stored sealed.
        carrier: a carrier object (see switchboard.carrier), a switchboard.Twilio adapter, or None.
        clock: a callable returning epoch ms (or an object with now_ms()), or None for real time.
        sqlite_sync: "full" (default) or "normal" (SQLite only).
        busy_timeout_ms: how long to wait for another writer's lock (PostgreSQL:
            the lock timeout), 0 for not at all.

    One thread at a time may use a Practice; different Practices may run in parallel.
    """

    def __init__(self, store_path: Optional[str] = None, *, postgres: Optional[str] = None,
                 pg_conn: Optional[int] = None, practice: Optional[str] = None, key: Optional[bytes] = None,
                 carrier: Any = None, clock: Any = None, sqlite_sync: str = "full",
                 busy_timeout_ms: int = 5000) -> None:
        self._handle: Optional[int] = None
        self._guard = CallbackGuard()
        self._keep: List[Any] = []  # ctypes callbacks C holds pointers to
        if sqlite_sync not in _SYNC:
            raise InvalidArgumentError('sqlite_sync must be "full" or "normal"')
        if key is not None and not isinstance(key, (bytes, bytearray)):
            raise InvalidArgumentError("key must be bytes")
        opts = n.PracticeOptions()
        n.lib.sb_practice_options_init(ctypes.byref(opts))
        opts.practice = _text(practice, "practice")
        if key is not None:
            opts.key = bytes(key)
            opts.key_len = len(key)
        if carrier is not None:
            # A library carrier (the Twilio adapter) brings its own vtable.
            own = getattr(carrier, "_carrier_vtable", None)
            vt, keep = own(self._guard) if own else make_carrier(carrier, self._guard)
            self._carrier = vt
            self._keep += keep
            opts.carrier = ctypes.pointer(vt)
        if clock is not None:
            vt_clock, keep = make_clock(clock, self._guard)
            self._clock = vt_clock
            self._keep += keep
            opts.clock = ctypes.pointer(vt_clock)
        driver = self._open_store(store_path, postgres, pg_conn, _SYNC[sqlite_sync], busy_timeout_ms)
        opts.store = ctypes.pointer(driver)
        handle = ctypes.c_void_p()
        rc = n.lib.sb_practice_open(ctypes.byref(handle), ctypes.byref(opts))
        if rc != 0:
            detail = (n.lib.sb_practice_errmsg(handle) or b"").decode()
            n.lib.sb_practice_free(handle)
            n.close_driver(driver)  # a failed open leaves the driver with us
            pending = self._guard.take()
            if pending is not None:
                raise pending
            raise error_for(rc, detail)
        self._handle = handle.value

    @classmethod
    def _open_store(cls, store_path: Optional[str], postgres: Optional[str], pg_conn: Optional[int],
                    sync: int, busy_timeout_ms: int) -> n.StoreDriver:
        if sum(x is not None for x in (store_path, postgres, pg_conn)) != 1:
            raise InvalidArgumentError("name the store once: store_path, postgres or pg_conn")
        if pg_conn is not None:
            if not isinstance(pg_conn, int) or pg_conn == 0:
                raise InvalidArgumentError("pg_conn must be the address of a PGconn")
            return cls._open_postgres(None, pg_conn, busy_timeout_ms)
        if postgres is not None:
            return cls._open_postgres(_text(postgres, "postgres"), None, busy_timeout_ms)
        if isinstance(store_path, str) and _is_postgres_uri(store_path):
            return cls._open_postgres(_text(store_path, "store_path"), None, busy_timeout_ms)
        return cls._open_sqlite(_text(store_path, "store_path"), sync, busy_timeout_ms)

    @staticmethod
    def _open_postgres(conninfo: Optional[bytes], conn: Optional[int], busy_timeout_ms: int) -> n.StoreDriver:
        po = n.PostgresOptions()
        n.lib.sb_postgres_options_init(ctypes.byref(po))
        po.lock_timeout_ms = busy_timeout_ms
        driver = n.StoreDriver()
        why = ctypes.create_string_buffer(256)
        if conn is not None:
            rc = n.lib.sb_store_use_postgres(ctypes.byref(driver), conn, ctypes.byref(po), why, len(why))
        else:
            rc = n.lib.sb_store_open_postgres(ctypes.byref(driver), conninfo, ctypes.byref(po), why, len(why))
        if rc != 0:
            raise error_for(rc, why.value.decode(errors="replace") or "cannot open the PostgreSQL store")
        return driver

    @staticmethod
    def _open_sqlite(path: Optional[bytes], sync: int, busy_timeout_ms: int) -> n.StoreDriver:
        assert path is not None
        so = n.SqliteOptions()
        n.lib.sb_sqlite_options_init(ctypes.byref(so))
        so.sync = sync
        so.busy_timeout_ms = busy_timeout_ms
        driver = n.StoreDriver()
        rc = n.lib.sb_store_open_sqlite(ctypes.byref(driver), path, ctypes.byref(so))
        if rc != 0:
            raise error_for(rc, "cannot open the SQLite store")
        return driver

    # --- lifetime ---

    def close(self) -> None:
        """Close the practice (rolling back an open transaction). Safe to repeat."""
        handle, self._handle = self._handle, None
        if handle is not None:
            n.lib.sb_practice_free(handle)

    def __enter__(self) -> "Practice":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._handle is None

    def _h(self) -> int:
        if self._handle is None:
            raise StateError("the practice is closed")
        return self._handle

    def _check(self, rc: int) -> None:
        """Raise what a callback raised during the call, else the call's own error."""
        pending = self._guard.take()
        if pending is not None:
            raise pending
        if rc != 0:
            raise error_for(rc, (n.lib.sb_practice_errmsg(self._handle) or b"").decode())

    # --- practice ---

    @property
    def id(self) -> int:
        return int(n.lib.sb_practice_id(self._h()))

    def now(self) -> int:
        """The practice clock's time, in epoch milliseconds."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_practice_now(ctypes.byref(out), self._h()))
        return out.value

    def begin(self) -> None:
        self._check(n.lib.sb_practice_begin(self._h()))

    def commit(self) -> None:
        self._check(n.lib.sb_practice_commit(self._h()))

    def rollback(self) -> None:
        self._check(n.lib.sb_practice_rollback(self._h()))

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Practice"]:
        """Group calls: committed together when the block ends, rolled back if it raises."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    # --- audit ---

    def audit_record(self, actor: int, action: str, object_kind: str, object_id: int = 0) -> None:
        """Append an entry. Actions match [a-z0-9_.]{1,63}, kinds [a-z0-9_]{1,31}."""
        self._check(n.lib.sb_audit_record(self._h(), actor, _text(action, "action"),
                                          _text(object_kind, "object_kind"), object_id))

    def audit_read(self, actor: int, after_seq: int = 0, limit: int = 100) -> List[AuditEntry]:
        """Up to `limit` (1..1000) entries after `after_seq`. The read is itself recorded."""
        if not 1 <= limit <= n.AUDIT_READ_MAX:
            raise InvalidArgumentError(f"limit must be 1..{n.AUDIT_READ_MAX}")
        buf = (n.AuditEntry * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_audit_read(buf, ctypes.byref(count), self._h(), actor, after_seq, limit))
        return [AuditEntry._from_c(buf[i]) for i in range(count.value)]

    def audit_head(self) -> int:
        """The newest entry's sequence number (0 when empty). Not itself recorded."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_audit_head(ctypes.byref(out), self._h()))
        return out.value

    def audit_entries(self, actor: int, after_seq: int = 0, page: int = 100) -> Iterator[AuditEntry]:
        """Every entry after `after_seq` up to the trail's end when iteration
        starts (each page read is itself recorded, behind that end)."""
        end = self.audit_head()
        while after_seq < end:
            entries = [e for e in self.audit_read(actor, after_seq, page) if e.seq <= end]
            if not entries:
                return
            yield from entries
            after_seq = entries[-1].seq

    def audit_verify(self, actor: int) -> int:
        """Check the whole chain; returns how many entries were checked.
        Raises CorruptError naming the first bad entry."""
        rows = ctypes.c_int64()
        self._check(n.lib.sb_audit_verify(ctypes.byref(rows), self._h(), actor))
        return rows.value

    # --- endpoints ---

    def business_number_create(self, actor: int, number: str, label: str) -> int:
        """Add a business number (any NANP form a practice can hold); returns its endpoint id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_business_number_create(ctypes.byref(out), self._h(), actor,
                                                    _text(number, "number"), _text(label, "label")))
        return out.value

    def business_number_find(self, actor: int, number: str) -> int:
        """The active business number's endpoint id for a number in any form (NotFoundError if none)."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_business_number_find(ctypes.byref(out), self._h(), actor, _text(number, "number")))
        return out.value

    def endpoint_get(self, actor: int, endpoint_id: int) -> Endpoint:
        out = n.Endpoint()
        self._check(n.lib.sb_endpoint_get(ctypes.byref(out), self._h(), actor, endpoint_id))
        return Endpoint._from_c(out)

    def endpoint_list(self, actor: int, kind: str = "business_number", after_id: int = 0, limit: int = 100,
                      include_retired: bool = False) -> List[Endpoint]:
        """One page of endpoints of a kind, in id order, after `after_id`."""
        if kind not in ENDPOINT_KINDS:
            raise InvalidArgumentError(f"kind must be one of {sorted(ENDPOINT_KINDS)}")
        if not 1 <= limit <= n.ENDPOINT_LIST_MAX:
            raise InvalidArgumentError(f"limit must be 1..{n.ENDPOINT_LIST_MAX}")
        buf = (n.Endpoint * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_endpoint_list(buf, ctypes.byref(count), self._h(), actor, ENDPOINT_KINDS[kind],
                                           after_id, limit, int(include_retired)))
        return [Endpoint._from_c(buf[i]) for i in range(count.value)]

    def endpoint_set_label(self, actor: int, endpoint_id: int, label: str) -> None:
        self._check(n.lib.sb_endpoint_set_label(self._h(), actor, endpoint_id, _text(label, "label")))

    def endpoint_retire(self, actor: int, endpoint_id: int) -> None:
        """Stop an endpoint sending and receiving; its history stays."""
        self._check(n.lib.sb_endpoint_retire(self._h(), actor, endpoint_id))

    # --- contacts ---

    def contact_create(self, actor: int, name: str) -> int:
        """Create a saved contact; returns its id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_contact_create(ctypes.byref(out), self._h(), actor, _text(name, "name")))
        return out.value

    def contact_get(self, actor: int, contact_id: int) -> Contact:
        """Read a contact (audited)."""
        out = n.Contact()
        self._check(n.lib.sb_contact_get(ctypes.byref(out), self._h(), actor, contact_id))
        return Contact._from_c(out)

    def contact_save(self, actor: int, contact_id: int, name: str) -> None:
        """Save an unsaved contact under a name, or rename a saved one."""
        self._check(n.lib.sb_contact_save(self._h(), actor, contact_id, _text(name, "name")))

    def contact_set_notes(self, actor: int, contact_id: int, notes: str) -> None:
        self._check(n.lib.sb_contact_set_notes(self._h(), actor, contact_id, _text(notes, "notes")))

    def contact_notes(self, actor: int, contact_id: int) -> str:
        """A contact's notes (audited)."""
        buf = ctypes.create_string_buffer(n.CONTACT_NOTES_MAX + 1)
        length = ctypes.c_size_t()
        self._check(n.lib.sb_contact_get_notes(buf, len(buf), ctypes.byref(length), self._h(), actor, contact_id))
        return buf.value.decode()

    @staticmethod
    def _address_kind(kind: str) -> int:
        if kind not in ADDRESS_KINDS:
            raise InvalidArgumentError(f"kind must be one of {sorted(ADDRESS_KINDS)}")
        return ADDRESS_KINDS[kind]

    def contact_add_address(self, actor: int, contact_id: int, kind: str, value: str) -> int:
        """Give a contact a "phone" number (any form) or an "email"; returns the address id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_contact_add_address(ctypes.byref(out), self._h(), actor, contact_id,
                                                 self._address_kind(kind), _text(value, "value")))
        return out.value

    def contact_remove_address(self, actor: int, contact_id: int, kind: str, value: str) -> None:
        self._check(n.lib.sb_contact_remove_address(self._h(), actor, contact_id, self._address_kind(kind),
                                                    _text(value, "value")))

    def contact_addresses(self, actor: int, contact_id: int) -> List[ContactAddress]:
        """A contact's numbers and e-mails, oldest first (audited)."""
        buf = (n.ContactAddress * n.CONTACT_ADDRESSES_MAX)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_contact_addresses(buf, ctypes.byref(count), self._h(), actor, contact_id,
                                               n.CONTACT_ADDRESSES_MAX))
        return [ContactAddress._from_c(buf[i]) for i in range(count.value)]

    def contact_find(self, actor: int, kind: str, value: str) -> int:
        """The id of the contact holding a number (any form) or an e-mail (any case); NotFoundError if none."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_contact_find(ctypes.byref(out), self._h(), actor, self._address_kind(kind),
                                          _text(value, "value")))
        return out.value

    def contact_search(self, actor: int, query: str, after_id: int = 0, limit: int = 20) -> List[int]:
        """Ids of contacts whose name words start with every query word ("jo sm"), or
        the holder of a phone number given in any form; a page in id order (audited)."""
        if not 1 <= limit <= n.CONTACT_SEARCH_MAX:
            raise InvalidArgumentError(f"limit must be 1..{n.CONTACT_SEARCH_MAX}")
        buf = (ctypes.c_int64 * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_contact_search(buf, ctypes.byref(count), self._h(), actor, _text(query, "query"),
                                            after_id, limit))
        return list(buf[:count.value])
