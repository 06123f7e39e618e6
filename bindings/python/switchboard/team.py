"""Team workflows: teammates and admins, teams, practice settings, endpoint
ownership and membership, mailboxes and assignment, tags (teammate.h, team.h,
settings.h, endpoint.h, mailbox.h, tag.h). The functions are methods of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

from . import _native as n
from .endpoint import OWNERS
from .errors import InvalidArgumentError, TooBigError, encode_text as _text
from .messaging import CONVERSATION_KINDS, _code, _name

TEAMMATE_STATUSES = {"invited": 1, "active": 2, "removed": 3}
MAILBOXES = {"inbox": 0, "teammate": 1, "team": 2, "closed": 3}
EVENTS = {"assigned": 1, "unassigned": 2, "closed": 3, "reopened": 4}
OWNER_KINDS = {name: code for code, name in OWNERS.items()}
TAG_KINDS = {"contact": 1, "conversation": 2}
TAG_TARGETS = {"contact": 1, "conversation": 2, "endpoint_contacts": 3, "endpoint_conversations": 4}


@dataclass(frozen=True)
class Teammate:
    id: int
    status: str                 # "invited", "active" or "removed"
    admin: bool
    name: str
    login_phone: str            # E.164, or ""
    ring_numbers: List[str]     # E.164, in ringing order
    created_at: int
    removed_at: int             # 0 unless removed

    @classmethod
    def _from_c(cls, t: n.Teammate) -> "Teammate":
        rings = [t.ring_numbers[i].value.decode() for i in range(t.ring_count)]
        return cls(t.id, _name(TEAMMATE_STATUSES, t.status), bool(t.admin), t.name.decode(),
                   t.login_phone.decode(), rings, t.created_at, t.removed_at)


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    member_count: int
    created_at: int
    deleted_at: int             # 0 unless deleted

    @classmethod
    def _from_c(cls, t: n.Team) -> "Team":
        return cls(t.id, t.name.decode(), t.member_count, t.created_at, t.deleted_at)


@dataclass(frozen=True)
class Settings:
    assignment_on: bool = True
    plan: str = ""
    billing_email: str = ""


@dataclass(frozen=True)
class MailboxEntry:
    conversation_id: int
    endpoint_id: int
    conversation_kind: str      # "standard" or "secure"
    last_item_at: int
    unread: bool
    unread_by_actor: bool

    @classmethod
    def _from_c(cls, e: n.MailboxEntry) -> "MailboxEntry":
        return cls(e.conversation_id, e.endpoint_id, _name(CONVERSATION_KINDS, e.conversation_kind), e.last_item_at,
                   bool(e.unread), bool(e.unread_by_actor))


@dataclass(frozen=True)
class ItemEvent:
    event: str                  # assigned, unassigned, closed, reopened
    mailbox: str                # where the conversation went: inbox, teammate, team, closed
    mailbox_owner: int          # that teammate or team; 0 for the inbox and closed


@dataclass(frozen=True)
class Tag:
    id: int
    kind: str                   # "contact" or "conversation"
    name: str

    @classmethod
    def _from_c(cls, t: n.Tag) -> "Tag":
        return cls(t.id, _name(TAG_KINDS, t.kind), t.name.decode())


def _limit(limit: int, most: int) -> None:
    if not 1 <= limit <= most:
        raise InvalidArgumentError(f"limit must be 1..{most}")


class TeamMixin:
    """Methods of Practice; `self._h()` and `self._check()` come from it."""

    _h: Callable[[], int]
    _check: Callable[[int], None]

    # --- teammates (T1) ---

    @staticmethod
    def _spec(name: str, login_phone: Optional[str], ring_numbers: Sequence[str], admin: bool):
        rings = (ctypes.c_char_p * max(len(ring_numbers), 1))(*[_text(r, "ring number") for r in ring_numbers])
        spec = n.TeammateSpec(n.TEAMMATE_SPEC_VERSION, _text(name, "name"),
                              _text(login_phone, "login_phone") if login_phone is not None else None,
                              rings, len(ring_numbers), int(admin))
        return spec, rings

    def _teammate_new(self, fn, actor: int, name: str, login_phone: Optional[str], ring_numbers: Sequence[str],
                      admin: bool) -> int:
        spec, keep = self._spec(name, login_phone, ring_numbers, admin)
        out = ctypes.c_int64()
        self._check(fn(ctypes.byref(out), self._h(), actor, ctypes.byref(spec)))
        return out.value

    def teammate_add(self, actor: int, name: str, login_phone: Optional[str] = None,
                     ring_numbers: Sequence[str] = (), admin: bool = False) -> int:
        """Add an active teammate (admins; the system adds the first, who is an admin)."""
        return self._teammate_new(n.lib.sb_teammate_add, actor, name, login_phone, ring_numbers, admin)

    def teammate_invite(self, actor: int, name: str, login_phone: Optional[str] = None,
                        ring_numbers: Sequence[str] = (), admin: bool = False) -> int:
        """Invite a teammate: they act once teammate_accept() is called."""
        return self._teammate_new(n.lib.sb_teammate_invite, actor, name, login_phone, ring_numbers, admin)

    def teammate_accept(self, teammate_id: int) -> None:
        self._check(n.lib.sb_teammate_accept(self._h(), teammate_id))

    def teammate_get(self, actor: int, teammate_id: int) -> Teammate:
        out = n.Teammate()
        self._check(n.lib.sb_teammate_get(ctypes.byref(out), self._h(), actor, teammate_id))
        return Teammate._from_c(out)

    def teammate_list(self, actor: int, after_id: int = 0, limit: int = 100,
                      include_removed: bool = False) -> List[Teammate]:
        _limit(limit, n.TEAMMATE_LIST_MAX)
        buf = (n.Teammate * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_teammate_list(buf, ctypes.byref(count), self._h(), actor, after_id, limit,
                                           int(include_removed)))
        return [Teammate._from_c(buf[i]) for i in range(count.value)]

    def teammate_update(self, actor: int, teammate_id: int, name: str, login_phone: Optional[str] = None,
                        ring_numbers: Sequence[str] = ()) -> None:
        """Change name, login phone and numbers to ring (the teammate themself, or an admin)."""
        spec, keep = self._spec(name, login_phone, ring_numbers, False)
        self._check(n.lib.sb_teammate_update(self._h(), actor, teammate_id, ctypes.byref(spec)))

    def teammate_set_admin(self, actor: int, teammate_id: int, admin: bool) -> None:
        self._check(n.lib.sb_teammate_set_admin(self._h(), actor, teammate_id, int(admin)))

    def teammate_remove(self, actor: int, teammate_id: int) -> None:
        """Remove a teammate: their conversations go back to the shared inbox."""
        self._check(n.lib.sb_teammate_remove(self._h(), actor, teammate_id))

    # --- sign-in (signin.h) ---

    def teammate_password_set(self, actor: int, teammate_id: int, password: str) -> None:
        """Set a teammate's password (the teammate, an admin or the system).
        Only its Argon2id hash is kept; it also lifts a lockout."""
        self._check(n.lib.sb_teammate_password_set(self._h(), actor, teammate_id, _text(password, "password")))

    def teammate_sign_in(self, login_phone: str, password: str) -> int:
        """The id of the teammate with this login phone and password.
        PermissionDeniedError for any wrong login; LimitError when locked out."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_teammate_sign_in(ctypes.byref(out), self._h(), _text(login_phone, "login_phone"),
                                              _text(password, "password")))
        return out.value

    # --- teams (T2) ---

    def team_create(self, actor: int, name: str) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_team_create(ctypes.byref(out), self._h(), actor, _text(name, "name")))
        return out.value

    def team_rename(self, actor: int, team_id: int, name: str) -> None:
        self._check(n.lib.sb_team_rename(self._h(), actor, team_id, _text(name, "name")))

    def team_delete(self, actor: int, team_id: int) -> None:
        self._check(n.lib.sb_team_delete(self._h(), actor, team_id))

    def team_member_add(self, actor: int, team_id: int, teammate_id: int) -> None:
        self._check(n.lib.sb_team_member_add(self._h(), actor, team_id, teammate_id))

    def team_member_remove(self, actor: int, team_id: int, teammate_id: int) -> None:
        self._check(n.lib.sb_team_member_remove(self._h(), actor, team_id, teammate_id))

    def team_get(self, actor: int, team_id: int) -> Team:
        out = n.Team()
        self._check(n.lib.sb_team_get(ctypes.byref(out), self._h(), actor, team_id))
        return Team._from_c(out)

    def team_list(self, actor: int, after_id: int = 0, limit: int = 100) -> List[Team]:
        _limit(limit, n.TEAM_LIST_MAX)
        buf = (n.Team * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_team_list(buf, ctypes.byref(count), self._h(), actor, after_id, limit))
        return [Team._from_c(buf[i]) for i in range(count.value)]

    def _ids(self, fn, actor: int, of: int, after_id: int, limit: int, most: int) -> List[int]:
        _limit(limit, most)
        buf = (ctypes.c_int64 * limit)()
        count = ctypes.c_size_t()
        self._check(fn(buf, ctypes.byref(count), self._h(), actor, of, after_id, limit))
        return list(buf[:count.value])

    def team_members(self, actor: int, team_id: int, after_id: int = 0, limit: int = 100) -> List[int]:
        return self._ids(n.lib.sb_team_members, actor, team_id, after_id, limit, n.TEAM_MEMBERS_MAX)

    def teammate_teams(self, actor: int, teammate_id: int, after_id: int = 0, limit: int = 100) -> List[int]:
        return self._ids(n.lib.sb_teammate_teams, actor, teammate_id, after_id, limit, n.TEAM_MEMBERS_MAX)

    # --- practice settings ---

    def settings(self, actor: int) -> Settings:
        out = n.PracticeSettings()
        self._check(n.lib.sb_practice_settings_get(ctypes.byref(out), self._h(), actor))
        return Settings(bool(out.assignment_on), out.plan.decode(), out.billing_email.decode())

    def set_settings(self, actor: int, settings: Settings) -> None:
        """Replace the settings (admins only)."""
        s = n.PracticeSettings()
        n.lib.sb_practice_settings_init(ctypes.byref(s))
        plan, email = _text(settings.plan, "plan"), _text(settings.billing_email, "billing_email")
        if len(plan) > n.PLAN_MAX or len(email) > n.BILLING_EMAIL_MAX:
            raise TooBigError(f"plan is at most {n.PLAN_MAX} bytes, billing_email {n.BILLING_EMAIL_MAX}")
        s.assignment_on, s.plan, s.billing_email = int(settings.assignment_on), plan, email
        self._check(n.lib.sb_practice_settings_set(self._h(), actor, ctypes.byref(s)))

    # --- endpoint ownership and membership (T5, T6, T8) ---

    def endpoint_set_owner(self, actor: int, endpoint_id: int, owner: str, owner_id: int = 0) -> None:
        """owner: "practice" (owner_id 0), "teammate" or "team"."""
        self._check(n.lib.sb_endpoint_set_owner(self._h(), actor, endpoint_id, _code(OWNER_KINDS, owner, "owner"),
                                                owner_id))

    def endpoint_set_auto_assign(self, actor: int, endpoint_id: int, on: bool) -> None:
        self._check(n.lib.sb_endpoint_set_auto_assign(self._h(), actor, endpoint_id, int(on)))

    def endpoint_member_add(self, actor: int, endpoint_id: int, teammate_id: int) -> None:
        self._check(n.lib.sb_endpoint_member_add(self._h(), actor, endpoint_id, teammate_id))

    def endpoint_member_remove(self, actor: int, endpoint_id: int, teammate_id: int) -> None:
        self._check(n.lib.sb_endpoint_member_remove(self._h(), actor, endpoint_id, teammate_id))

    def endpoint_members(self, actor: int, endpoint_id: int, after_id: int = 0, limit: int = 100) -> List[int]:
        return self._ids(n.lib.sb_endpoint_members, actor, endpoint_id, after_id, limit, n.MEMBER_LIST_MAX)

    def endpoint_sees(self, actor: int, endpoint_id: int) -> bool:
        """Whether the actor sees the endpoint's conversations (T8)."""
        out = ctypes.c_int()
        self._check(n.lib.sb_endpoint_sees(ctypes.byref(out), self._h(), actor, endpoint_id))
        return bool(out.value)

    # --- mailboxes and assignment (T3, T4) ---

    def conversation_assign(self, actor: int, conversation_id: int, mailbox: str, to: int = 0) -> None:
        """mailbox: "inbox" (to 0), "teammate" or "team"."""
        self._check(n.lib.sb_conversation_assign(self._h(), actor, conversation_id,
                                                 _code(MAILBOXES, mailbox, "mailbox"), to))

    def mailbox_page(self, actor: int, mailbox: str, owner: int = 0, before: Optional[MailboxEntry] = None,
                     limit: int = 50) -> List[MailboxEntry]:
        """A page of a mailbox, newest activity first; pass the last entry of
        the previous page as `before` for the next."""
        _limit(limit, n.MAILBOX_PAGE_MAX)
        buf = (n.MailboxEntry * limit)()
        count = ctypes.c_size_t()
        at, cid = (before.last_item_at, before.conversation_id) if before else (0, 0)
        self._check(n.lib.sb_mailbox_page(buf, ctypes.byref(count), self._h(), actor,
                                          _code(MAILBOXES, mailbox, "mailbox"), owner, at, cid, limit))
        return [MailboxEntry._from_c(buf[i]) for i in range(count.value)]

    def mailbox_unread(self, actor: int, mailbox: str, owner: int = 0) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_mailbox_unread(ctypes.byref(out), self._h(), actor, _code(MAILBOXES, mailbox, "mailbox"),
                                            owner))
        return out.value

    def item_event(self, actor: int, item_id: int) -> ItemEvent:
        out = n.ItemEvent()
        self._check(n.lib.sb_item_event_get(ctypes.byref(out), self._h(), actor, item_id))
        return ItemEvent(_name(EVENTS, out.event), _name(MAILBOXES, out.mailbox_kind), out.mailbox_owner)

    # --- tags (T7) ---

    def tag_add(self, actor: int, target: str, object_id: int, name: str) -> None:
        """target: contact, conversation, endpoint_contacts or endpoint_conversations."""
        self._check(n.lib.sb_tag_add(self._h(), actor, _code(TAG_TARGETS, target, "target"), object_id,
                                     _text(name, "tag")))

    def tag_remove(self, actor: int, target: str, object_id: int, name: str) -> None:
        self._check(n.lib.sb_tag_remove(self._h(), actor, _code(TAG_TARGETS, target, "target"), object_id,
                                        _text(name, "tag")))

    def tags_of(self, actor: int, target: str, object_id: int) -> List[Tag]:
        buf = (n.Tag * n.TAGS_PER_OBJECT_MAX)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_tags_of(buf, ctypes.byref(count), self._h(), actor,
                                     _code(TAG_TARGETS, target, "target"), object_id))
        return [Tag._from_c(buf[i]) for i in range(count.value)]

    def tag_list(self, actor: int, kind: str, after_id: int = 0, limit: int = 100) -> List[Tag]:
        _limit(limit, n.TAG_LIST_MAX)
        buf = (n.Tag * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_tag_list(buf, ctypes.byref(count), self._h(), actor, _code(TAG_KINDS, kind, "kind"),
                                      after_id, limit))
        return [Tag._from_c(buf[i]) for i in range(count.value)]
