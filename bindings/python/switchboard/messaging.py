"""Conversations, timelines, texts and attachments (conversation.h, timeline.h,
message.h, attachment.h). The functions are methods of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from . import _native as n
from .errors import InvalidArgumentError, TooBigError, encode_text as _text, error_for

ITEM_KINDS = {"message": 1, "note": 2, "call": 3, "voicemail": 4, "event": 5}
DIRECTIONS = {"none": 0, "inbound": 1, "outbound": 2}
STATUSES = {"none": 0, "received": 1, "queued": 2, "sent": 3, "delivered": 4, "undelivered": 5, "failed": 6}
OUTCOMES = {"none": 0, "answered": 1, "missed": 2, "busy": 3, "failed": 4, "canceled": 5}
CONVERSATION_KINDS = {"standard": 1, "secure": 2}
ENCODINGS = {1: "gsm7", 2: "ucs2"}


def _name(table: Dict[str, int], value: int) -> str:
    return next((k for k, v in table.items() if v == value), str(value))


def _code(table: Dict[str, int], name: str, field: str) -> int:
    if name not in table:
        raise InvalidArgumentError(f"{field} must be one of {sorted(table)}")
    return table[name]


@dataclass(frozen=True)
class Conversation:
    id: int
    kind: str                # "standard" or "secure"
    endpoint_id: int
    business_number: str     # the practice's end (C7)
    external: str            # the other end, E.164 (C7)
    contact_id: int          # who holds the external number; 0 if nobody
    closed: bool
    unread: bool             # inbound items nobody has read (C13)
    unread_by_actor: bool    # inbound items the calling actor has not read
    regarding: bool          # on a contact card: listed as regarding the contact (C6)
    created_at: int
    last_item_at: int
    closed_at: int

    @classmethod
    def _from_c(cls, c: n.Conversation) -> "Conversation":
        return cls(c.id, _name(CONVERSATION_KINDS, c.kind), c.endpoint_id, c.business_number.decode(),
                   c.external.decode(), c.contact_id, bool(c.closed), bool(c.unread), bool(c.unread_by_actor),
                   bool(c.regarding), c.created_at, c.last_item_at, c.closed_at)


@dataclass(frozen=True)
class Item:
    id: int
    conversation_id: int
    kind: str                # message, note, call, voicemail
    direction: str           # none, inbound, outbound
    at: int
    author: int
    status: str              # messages: received, queued, sent, delivered, undelivered, failed
    segments: int
    duration_ms: int
    outcome: str             # calls: answered, missed, busy, failed, canceled
    attachment_count: int
    carrier_id: str
    media_ref: str
    error: str
    text: str                # body, note or transcript

    @classmethod
    def _from_c(cls, i: n.Item) -> "Item":
        return cls(i.id, i.conversation_id, _name(ITEM_KINDS, i.kind), _name(DIRECTIONS, i.direction), i.at,
                   i.author, _name(STATUSES, i.status), i.segments, i.duration_ms, _name(OUTCOMES, i.outcome),
                   i.attachment_count, i.carrier_id.decode(), i.media_ref.decode(), i.error.decode(),
                   i.text[:i.text_len].decode())


@dataclass(frozen=True)
class Delivery:
    conversation_id: int
    item_id: int
    contact_id: int
    duplicate: bool          # the carrier id was seen before: nothing changed (C15)
    new_conversation: bool
    new_contact: bool

    @classmethod
    def _from_c(cls, d: n.Delivery) -> "Delivery":
        return cls(d.conversation_id, d.item_id, d.contact_id, bool(d.duplicate), bool(d.new_conversation),
                   bool(d.new_contact))


@dataclass(frozen=True)
class Sent:
    conversation_id: int
    item_id: int
    status: str
    duplicate: bool          # the idempotency key was used before: nothing sent again
    segments: int
    carrier_id: str

    @classmethod
    def _from_c(cls, s: n.Sent) -> "Sent":
        return cls(s.conversation_id, s.item_id, _name(STATUSES, s.status), bool(s.duplicate), s.segments,
                   s.carrier_id.decode())


@dataclass(frozen=True)
class Attachment:
    id: int
    item_id: int             # 0 for a library document
    content_type: str
    file_name: str
    size: int
    has_data: bool           # the library holds the bytes (read them with attachment_read)
    media_ref: str
    created_at: int

    @classmethod
    def _from_c(cls, a: n.Attachment) -> "Attachment":
        return cls(a.id, a.item_id, a.content_type.decode(), a.file_name.decode(), a.size, bool(a.has_data),
                   a.media_ref.decode(), a.created_at)


@dataclass(frozen=True)
class AttachmentSpec:
    """An attachment to add: `data` (bytes) or `media_ref` (a host reference), not both."""
    content_type: str
    file_name: str
    data: Optional[bytes] = None
    media_ref: Optional[str] = None
    size: int = 0            # with a reference: its size if known


def _specs(specs: Sequence[AttachmentSpec]) -> Tuple[object, list]:
    """A C array of sb_attachment_spec, and the buffers it points into (keep them alive)."""
    arr = (n.AttachmentSpec * max(len(specs), 1))()
    keep: list = []
    for i, s in enumerate(specs):
        c = arr[i]
        c.version = n.ATTACHMENT_SPEC_VERSION
        c.content_type = _text(s.content_type, "content_type")
        c.file_name = _text(s.file_name, "file_name")
        c.media_ref = _text(s.media_ref, "media_ref")
        if s.data is not None:
            buf = ctypes.create_string_buffer(bytes(s.data), len(s.data))
            keep.append(buf)
            c.data = ctypes.cast(buf, ctypes.c_void_p)
            c.size = len(s.data)
        else:
            c.size = s.size
    return arr, keep


def _page(limit: int, most: int) -> None:
    if not 1 <= limit <= most:
        raise InvalidArgumentError(f"limit must be 1..{most}")


def sms_segments(body: str) -> Tuple[int, str]:
    """How many SMS segments a body takes, and the encoding ("gsm7" or "ucs2")."""
    segs, enc = ctypes.c_int(), ctypes.c_int()
    rc = n.lib.sb_sms_segments(ctypes.byref(segs), ctypes.byref(enc), _text(body, "body"))
    if rc != 0:
        raise error_for(rc, "body")
    return segs.value, ENCODINGS[enc.value]


class MessagingMixin:
    """Methods of Practice; they use its _h() and _check()."""

    # --- conversations ---

    def conversation_start(self, actor: int, endpoint_id: int, number: str) -> int:
        """The pair's conversation (C3): reused when it exists, else created."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_conversation_start(ctypes.byref(out), self._h(), actor, endpoint_id,
                                                _text(number, "number")))
        return out.value

    def conversation_get(self, actor: int, conversation_id: int) -> Conversation:
        out = n.Conversation()
        self._check(n.lib.sb_conversation_get(ctypes.byref(out), self._h(), actor, conversation_id))
        return Conversation._from_c(out)

    def conversation_close(self, actor: int, conversation_id: int) -> None:
        self._check(n.lib.sb_conversation_close(self._h(), actor, conversation_id))

    def conversation_reopen(self, actor: int, conversation_id: int) -> None:
        self._check(n.lib.sb_conversation_reopen(self._h(), actor, conversation_id))

    def conversation_delete(self, actor: int, conversation_id: int) -> None:
        """Delete for good, purging the content (C10); SecureConversationError for secure ones."""
        self._check(n.lib.sb_conversation_delete(self._h(), actor, conversation_id))

    def conversation_regarding_add(self, actor: int, conversation_id: int, contact_id: int) -> None:
        self._check(n.lib.sb_conversation_regarding_add(self._h(), actor, conversation_id, contact_id))

    def conversation_regarding_remove(self, actor: int, conversation_id: int, contact_id: int) -> None:
        self._check(n.lib.sb_conversation_regarding_remove(self._h(), actor, conversation_id, contact_id))

    def conversation_regarding(self, actor: int, conversation_id: int) -> List[int]:
        buf = (ctypes.c_int64 * n.REGARDING_MAX)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_conversation_regarding(buf, ctypes.byref(count), self._h(), actor, conversation_id,
                                                    n.REGARDING_MAX))
        return list(buf[:count.value])

    def conversation_attach(self, actor: int, conversation_id: int, contact_id: int) -> None:
        """Move the conversation's number (and its conversations) to a contact (C11)."""
        self._check(n.lib.sb_conversation_attach(self._h(), actor, conversation_id, contact_id))

    def conversation_mark_read(self, actor: int, conversation_id: int) -> None:
        self._check(n.lib.sb_conversation_mark_read(self._h(), actor, conversation_id))

    def conversation_unread_count(self, actor: int) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_conversation_unread_count(ctypes.byref(out), self._h(), actor))
        return out.value

    def contact_conversations(self, actor: int, contact_id: int, after_id: int = 0,
                              limit: int = 50) -> List[Conversation]:
        """The contact card (C5, C6): conversations on its numbers and those regarding it."""
        _page(limit, n.CONVERSATION_PAGE_MAX)
        buf = (n.Conversation * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_contact_conversations(buf, ctypes.byref(count), self._h(), actor, contact_id, after_id,
                                                   limit))
        return [Conversation._from_c(buf[i]) for i in range(count.value)]

    def contact_merge(self, actor: int, keep_id: int, gone_id: int) -> None:
        """Move everything of `gone_id` to `keep_id` and delete `gone_id` (audited)."""
        self._check(n.lib.sb_contact_merge(self._h(), actor, keep_id, gone_id))

    # --- timeline ---

    def note_add(self, actor: int, conversation_id: int, text: str) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_note_add(ctypes.byref(out), self._h(), actor, conversation_id, _text(text, "text")))
        return out.value

    def call_item_record(self, actor: int, kind: str, direction: str, business_number: str, external: str, *,
                         started_at: int = 0, duration_ms: int = 0, outcome: str = "none",
                         media_ref: Optional[str] = None, transcript: Optional[str] = None,
                         carrier_id: Optional[str] = None) -> Delivery:
        """Record a call or a voicemail on its conversation's timeline (once per carrier id)."""
        c = n.CallItem(n.CALL_ITEM_VERSION, _code(ITEM_KINDS, kind, "kind"), _code(DIRECTIONS, direction, "direction"),
                       _text(business_number, "business_number"), _text(external, "external"), started_at,
                       duration_ms, _code(OUTCOMES, outcome, "outcome"), _text(media_ref, "media_ref"),
                       _text(transcript, "transcript"), _text(carrier_id, "carrier_id"))
        out = n.Delivery()
        self._check(n.lib.sb_call_item_record(ctypes.byref(out), self._h(), actor, ctypes.byref(c)))
        return Delivery._from_c(out)

    def item_get(self, actor: int, item_id: int) -> Item:
        out = n.Item()
        self._check(n.lib.sb_item_get(ctypes.byref(out), self._h(), actor, item_id))
        return Item._from_c(out)

    def item_call(self, actor: int, item_id: int) -> int:
        """The call engine's call that a call or voicemail item records (for call_get)."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_item_call(ctypes.byref(out), self._h(), actor, item_id))
        return out.value

    def timeline(self, actor: int, conversation_id: int, before_id: int = 0, limit: int = 50) -> List[Item]:
        """A page of the timeline, newest first; continue with before_id = the last item's id."""
        _page(limit, n.TIMELINE_PAGE_MAX)
        buf = (n.Item * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_timeline_page(buf, ctypes.byref(count), self._h(), actor, conversation_id, before_id,
                                           limit))
        return [Item._from_c(buf[i]) for i in range(count.value)]

    # --- texts ---

    def sms_receive(self, from_: str, to: str, body: str, carrier_id: str, *, received_at: int = 0,
                    media: Sequence[AttachmentSpec] = ()) -> Delivery:
        """Take an inbound text; a redelivery of the carrier id reports the first (C15)."""
        arr, keep = _specs(media)
        m = n.InboundSms(n.INBOUND_SMS_VERSION, _text(from_, "from"), _text(to, "to"), _text(body, "body"),
                         ctypes.cast(arr, ctypes.POINTER(n.AttachmentSpec)), len(media),
                         _text(carrier_id, "carrier_id"), received_at)
        out = n.Delivery()
        self._check(n.lib.sb_sms_receive(ctypes.byref(out), self._h(), ctypes.byref(m)))
        del keep
        return Delivery._from_c(out)

    def sms_send(self, actor: int, body: str, *, endpoint_id: int = 0, conversation_id: int = 0,
                 contact_id: int = 0, to: Optional[str] = None, attachments: Sequence[AttachmentSpec] = (),
                 library: Sequence[int] = (), idempotency_key: Optional[str] = None) -> Sent:
        """Send a text to exactly one of conversation_id, contact_id or to (C3, C14, C16).
        When the carrier fails, its exception comes out and the message stays stored as failed:
        send again with the same idempotency_key, or sms_retry()."""
        arr, keep = _specs(attachments)
        lib_ids = (ctypes.c_int64 * max(len(library), 1))(*library)
        m = n.OutboundSms(n.OUTBOUND_SMS_VERSION, endpoint_id, conversation_id, contact_id, _text(to, "to"),
                          _text(body, "body"), ctypes.cast(arr, ctypes.POINTER(n.AttachmentSpec)), len(attachments),
                          lib_ids, len(library), _text(idempotency_key, "idempotency_key"))
        out = n.Sent()
        self._check(n.lib.sb_sms_send(ctypes.byref(out), self._h(), actor, ctypes.byref(m)))
        del keep
        return Sent._from_c(out)

    def sms_retry(self, actor: int, item_id: int) -> Sent:
        out = n.Sent()
        self._check(n.lib.sb_sms_retry(ctypes.byref(out), self._h(), actor, item_id))
        return Sent._from_c(out)

    def sms_status(self, carrier_id: str, status: str, error: Optional[str] = None) -> bool:
        """A carrier status report; False when it was late or repeated (ignored)."""
        applied = ctypes.c_int()
        self._check(n.lib.sb_sms_status(ctypes.byref(applied), self._h(), _text(carrier_id, "carrier_id"),
                                        _code(STATUSES, status, "status"), _text(error, "error")))
        return bool(applied.value)

    # --- attachments ---

    def item_attachments(self, actor: int, item_id: int) -> List[Attachment]:
        buf = (n.Attachment * n.ATTACHMENTS_MAX)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_item_attachments(buf, ctypes.byref(count), self._h(), actor, item_id,
                                              n.ATTACHMENTS_MAX))
        return [Attachment._from_c(buf[i]) for i in range(count.value)]

    def attachment_read(self, actor: int, attachment_id: int) -> bytes:
        """The bytes the library holds (StateError for a media reference). Asks the size first."""
        size = ctypes.c_size_t()
        room = self._attachment_size(actor, attachment_id)
        buf = ctypes.create_string_buffer(max(room, 1))
        self._check(n.lib.sb_attachment_read(buf, room, ctypes.byref(size), self._h(), actor, attachment_id))
        return buf.raw[:size.value]

    def _attachment_size(self, actor: int, attachment_id: int) -> int:
        size = ctypes.c_size_t()
        try:
            self._check(n.lib.sb_attachment_read(None, 0, ctypes.byref(size), self._h(), actor, attachment_id))
        except TooBigError:
            pass
        return size.value

    def library_add(self, actor: int, doc: AttachmentSpec) -> int:
        arr, keep = _specs([doc])
        out = ctypes.c_int64()
        self._check(n.lib.sb_library_add(ctypes.byref(out), self._h(), actor, arr))
        del keep
        return out.value

    def library_list(self, actor: int, after_id: int = 0, limit: int = 50) -> List[Attachment]:
        _page(limit, n.LIBRARY_PAGE_MAX)
        buf = (n.Attachment * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_library_list(buf, ctypes.byref(count), self._h(), actor, after_id, limit))
        return [Attachment._from_c(buf[i]) for i in range(count.value)]

    def library_remove(self, actor: int, doc_id: int) -> None:
        self._check(n.lib.sb_library_remove(self._h(), actor, doc_id))


__all__ = ["Attachment", "AttachmentSpec", "Conversation", "Delivery", "Item", "MessagingMixin", "Sent",
           "sms_segments"]
