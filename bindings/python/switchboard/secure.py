"""Secure links (L1), invitations (L2), patient accounts (L3-L5) and secure
messages (L6) (link.h, invitation.h, account.h, secure.h). The functions are
methods of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from . import _native as n
from .automation import _fixed
from .errors import encode_text as _text
from .filters import Filter
from .messaging import AttachmentSpec, Item, _name, _specs
from .team import _limit

INVITATION_STATES = {"never": 0, "pending": 1, "accepted": 2, "expired": 3, "revoked": 4, "opened": 5}
IDENTITIES = {"unverified": 1, "verified": 2}


def patient_actor(account_id: int) -> int:
    """The actor id of a patient account, for calls made on its behalf."""
    return int(n.lib.sb_patient_actor(account_id))


@dataclass(frozen=True)
class InvitationSettings:
    text: str = ""            # "" for the library's default
    lifetime_ms: int = 0      # 0 for 14 days
    sender: int = 0           # the business number that texts invitations and codes


@dataclass(frozen=True)
class Invitation:
    id: int
    link_id: int
    contact_id: int
    round_id: int
    state: str                # pending, opened, accepted, expired, revoked
    created_by: int
    created_at: int
    expires_at: int
    ended_at: int
    sms_item_id: int
    emailed: bool
    account_id: int

    @classmethod
    def _from_c(cls, v: n.Invitation) -> "Invitation":
        return cls(v.id, v.link_id, v.contact_id, v.round_id, _name(INVITATION_STATES, v.state), v.created_by,
                   v.created_at, v.expires_at, v.ended_at, v.sms_item_id, bool(v.emailed), v.account_id)


@dataclass(frozen=True)
class RoundReport:
    round_id: int
    invited: int
    skipped: int
    failed: int
    more: bool


@dataclass(frozen=True)
class SignupResult:
    account_id: int
    contact_id: int
    conversation_id: int
    identity: str             # verified, unverified
    new_account: bool
    new_contact: bool
    new_conversation: bool


@dataclass(frozen=True)
class Account:
    id: int
    contact_id: int
    identity: str
    mobile: str
    email: str
    confirmed_by: int
    confirmed_at: int
    created_at: int


@dataclass(frozen=True)
class SecureStatus:
    conversation_id: int
    link_id: int
    account_id: int
    contact_id: int
    identity: str
    mobile_matches: bool
    email_matches: bool
    confirmed_by: int
    confirmed_at: int


@dataclass(frozen=True)
class PatientConversation:
    id: int
    link_id: int
    link_label: str
    created_at: int
    last_item_at: int


class SecureMixin:
    # --- links (L1) ---

    def link_base_set(self, actor: int, base_url: str) -> None:
        """The https base every link URL starts with (admins)."""
        self._check(n.lib.sb_link_base_set(self._h(), actor, _text(base_url, "base_url")))

    def link_base_get(self, actor: int) -> str:
        buf = ctypes.create_string_buffer(n.LINK_BASE_MAX + 1)
        self._check(n.lib.sb_link_base_get(buf, len(buf), self._h(), actor))
        return buf.value.decode()

    def link_create(self, actor: int, label: str, slug: Optional[str] = None) -> int:
        """A secure link (an endpoint); no slug: an unguessable generated one."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_link_create(ctypes.byref(out), self._h(), actor, _text(slug, "slug"),
                                         _text(label, "label")))
        return out.value

    def link_set_slug(self, actor: int, link_id: int, slug: str) -> None:
        self._check(n.lib.sb_link_set_slug(self._h(), actor, link_id, _text(slug, "slug")))

    def link_find(self, actor: int, slug: str) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_link_find(ctypes.byref(out), self._h(), actor, _text(slug, "slug")))
        return out.value

    def link_url(self, actor: int, link_id: int) -> str:
        buf = ctypes.create_string_buffer(n.LINK_URL_MAX)
        self._check(n.lib.sb_link_url(buf, len(buf), self._h(), actor, link_id))
        return buf.value.decode()

    def link_qr(self, actor: int, link_id: int) -> List[List[bool]]:
        """The URL's QR code: rows of modules, True for dark (no quiet zone)."""
        width = ctypes.c_int()
        self._check(n.lib.sb_link_qr(None, 0, ctypes.byref(width), self._h(), actor, link_id))
        w = width.value
        buf = (ctypes.c_ubyte * (w * w))()
        self._check(n.lib.sb_link_qr(buf, len(buf), ctypes.byref(width), self._h(), actor, link_id))
        return [[bool(buf[y * w + x]) for x in range(w)] for y in range(w)]

    def link_qr_svg(self, actor: int, link_id: int) -> str:
        size = ctypes.c_size_t()
        self._check(n.lib.sb_link_qr_svg(None, 0, ctypes.byref(size), self._h(), actor, link_id))
        buf = ctypes.create_string_buffer(size.value + 1)
        self._check(n.lib.sb_link_qr_svg(buf, len(buf), ctypes.byref(size), self._h(), actor, link_id))
        return buf.value.decode()

    # --- invitations (L2) ---

    def invitation_settings_get(self, actor: int) -> InvitationSettings:
        out = n.InvitationSettings()
        self._check(n.lib.sb_invitation_settings_get(ctypes.byref(out), self._h(), actor))
        return InvitationSettings(out.text.decode(), out.lifetime_ms, out.sender)

    def invitation_settings_set(self, actor: int, settings: InvitationSettings) -> None:
        s = n.InvitationSettings()
        n.lib.sb_invitation_settings_init(ctypes.byref(s))
        s.text = _fixed(settings.text, n.INVITATION_TEXT_MAX + 1, "text")
        s.lifetime_ms = settings.lifetime_ms
        s.sender = settings.sender
        self._check(n.lib.sb_invitation_settings_set(self._h(), actor, ctypes.byref(s)))

    def invitation_send(self, actor: int, link_id: int, contact_id: int, message: Optional[str] = None) -> int:
        """Invite a contact by SMS and e-mail, with the practice's text or the
        teammate's own `message`; returns the invitation's id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_invitation_send_message(ctypes.byref(out), self._h(), actor, link_id, contact_id,
                                                     None if message is None else _text(message, "message")))
        return out.value

    def invitation_open(self, token: str) -> int:
        """The patient opened the invitation's link: it becomes "opened"; returns the link's id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_invitation_open(ctypes.byref(out), self._h(), _text(token, "token")))
        return out.value

    def invitation_round(self, actor: int, link_id: int, f: Filter, round_key: str, limit: int = 100) -> RoundReport:
        """Invite everyone a contact filter picks, once per round key."""
        _limit(limit, n.ROUND_MAX)
        out = n.RoundReport()
        self._check(n.lib.sb_invitation_round(ctypes.byref(out), self._h(), actor, link_id, ctypes.byref(f._to_c()),
                                              _text(round_key, "round_key"), limit))
        return RoundReport(out.round_id, out.invited, out.skipped, out.failed, bool(out.more))

    def invitation_get(self, actor: int, invitation_id: int) -> Invitation:
        out = n.Invitation()
        self._check(n.lib.sb_invitation_get(ctypes.byref(out), self._h(), actor, invitation_id))
        return Invitation._from_c(out)

    def contact_invitations(self, actor: int, contact_id: int, before_id: int = 0, limit: int = 50) -> List[Invitation]:
        _limit(limit, n.INVITATION_PAGE_MAX)
        buf = (n.Invitation * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_contact_invitations(buf, ctypes.byref(count), self._h(), actor, contact_id, before_id,
                                                 limit))
        return [Invitation._from_c(buf[i]) for i in range(count.value)]

    def invitation_revoke(self, actor: int, invitation_id: int) -> None:
        self._check(n.lib.sb_invitation_revoke(self._h(), actor, invitation_id))

    # --- accounts (L3-L5) ---

    def signup_start(self, mobile: str, *, slug: Optional[str] = None, token: Optional[str] = None,
                     email: Optional[str] = None, name: Optional[str] = None) -> int:
        """Start a sign-up through a link's slug or an invitation's token; texts a code."""
        s = n.Signup()
        n.lib.sb_signup_init(ctypes.byref(s))
        s.slug, s.token = _text(slug, "slug"), _text(token, "token")
        s.mobile, s.email, s.name = _text(mobile, "mobile"), _text(email, "email"), _text(name, "name")
        out = ctypes.c_int64()
        self._check(n.lib.sb_signup_start(ctypes.byref(out), self._h(), ctypes.byref(s)))
        return out.value

    def signup_resend(self, signup_id: int) -> None:
        self._check(n.lib.sb_signup_resend(self._h(), signup_id))

    def signup_verify(self, signup_id: int, code: str) -> SignupResult:
        out = n.SignupResult()
        self._check(n.lib.sb_signup_verify(ctypes.byref(out), self._h(), signup_id, _text(code, "code")))
        return SignupResult(out.account_id, out.contact_id, out.conversation_id, _name(IDENTITIES, out.identity),
                            bool(out.new_account), bool(out.new_contact), bool(out.new_conversation))

    def account_get(self, actor: int, account_id: int) -> Account:
        out = n.Account()
        self._check(n.lib.sb_account_get(ctypes.byref(out), self._h(), actor, account_id))
        return Account(out.id, out.contact_id, _name(IDENTITIES, out.identity), out.mobile.decode(),
                       out.email.decode(), out.confirmed_by, out.confirmed_at, out.created_at)

    def account_confirm(self, actor: int, account_id: int) -> None:
        self._check(n.lib.sb_account_confirm(self._h(), actor, account_id))

    def account_mobile_change(self, actor: int, account_id: int, mobile: str) -> int:
        """A teammate changes a patient's (lost) mobile: a code goes to the new one; pass
        it to signup_verify() with the returned sign-up id to make the change."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_account_mobile_change(ctypes.byref(out), self._h(), actor, account_id,
                                                   _text(mobile, "mobile")))
        return out.value

    # --- secure conversations (L4-L6) ---

    def secure_start(self, actor: int, link_id: int, account_id: int) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_secure_start(ctypes.byref(out), self._h(), actor, link_id, account_id))
        return out.value

    def secure_send(self, actor: int, conversation_id: int, body: str = "", *,
                    attachments: Sequence[AttachmentSpec] = (), idempotency_key: Optional[str] = None) -> int:
        """A secure message as a teammate, or as a patient (patient_actor())."""
        arr, keep = _specs(attachments)
        m = n.SecureMessage()
        n.lib.sb_secure_message_init(ctypes.byref(m))
        m.conversation = conversation_id
        m.body = _text(body, "body")
        m.attachments = ctypes.cast(arr, ctypes.POINTER(n.AttachmentSpec)) if attachments else None
        m.attachment_count = len(attachments)
        m.idempotency_key = _text(idempotency_key, "idempotency_key")
        out = ctypes.c_int64()
        self._check(n.lib.sb_secure_send(ctypes.byref(out), self._h(), actor, ctypes.byref(m)))
        del keep
        return out.value

    def secure_messages(self, actor: int, conversation_id: int, before_id: int = 0, limit: int = 50) -> List[Item]:
        _limit(limit, n.TIMELINE_PAGE_MAX)
        buf = (n.Item * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_secure_messages(buf, ctypes.byref(count), self._h(), actor, conversation_id, before_id,
                                             limit))
        return [Item._from_c(buf[i]) for i in range(count.value)]

    def patient_conversations(self, actor: int, after_id: int = 0, limit: int = 50) -> List[PatientConversation]:
        _limit(limit, n.PATIENT_PAGE_MAX)
        buf = (n.PatientConversation * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_patient_conversations(buf, ctypes.byref(count), self._h(), actor, after_id, limit))
        return [PatientConversation(c.id, c.link_id, c.link_label.decode(), c.created_at, c.last_item_at)
                for c in buf[:count.value]]

    def secure_status(self, actor: int, conversation_id: int) -> SecureStatus:
        out = n.SecureStatus()
        self._check(n.lib.sb_secure_status_get(ctypes.byref(out), self._h(), actor, conversation_id))
        return SecureStatus(out.conversation_id, out.link_id, out.account_id, out.contact_id,
                            _name(IDENTITIES, out.identity), bool(out.mobile_matches), bool(out.email_matches),
                            out.confirmed_by, out.confirmed_at)
