"""Alerts (notify.h, seeds 002 and 004): whom to page when a text, a
voicemail or a missed call lands in a mailbox. The functions are methods of
Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

from . import _native as n
from .messaging import _code, _name
from .team import MAILBOXES

NOTICE_KINDS = {"message": 1, "voicemail": 2, "missed_call": 3, "chat_message": 4}
LEVELS = {"all": 0, "mine": 1, "off": 2}


@dataclass(frozen=True)
class Alert:
    """One landing: what (kind), where (mailbox and its owner) and whom to page."""
    kind: str                   # message, voicemail, missed_call or chat_message
    conversation_id: int        # a chat message's: the chat's id
    item_id: int
    mailbox: str                # inbox, teammate or team; "none" for a chat message
    mailbox_owner: int
    teammates: Tuple[int, ...]


@dataclass(frozen=True)
class AlertPrefs:
    """A teammate's level per kind: "all" (the default), "mine" or "off"."""
    messages: str = "all"
    voicemails: str = "all"
    missed_calls: str = "all"


class NotifyMixin:
    _notify_cb: Any = None

    def notify_set(self, callback: Optional[Callable[[Alert], Any]]) -> None:
        """Call `callback(alert)` after each commit that landed something, or stop with None.
        An exception it raises is dropped: the item is in its mailbox whatever the callback does."""
        if callback is None:
            self._check(n.lib.sb_notify_set(self._h(), ctypes.cast(None, n.NOTIFY_FN), None))
            self._notify_cb = None
            return

        def trampoline(_ud: Any, raw: Any) -> None:
            c = raw.contents
            try:
                callback(Alert(_name(NOTICE_KINDS, c.kind), c.conversation_id, c.item_id,
                               "none" if c.mailbox_kind < 0 else _name(MAILBOXES, c.mailbox_kind), c.mailbox_owner,
                               tuple(c.teammates[i] for i in range(c.teammate_count))))
            except Exception:  # noqa: BLE001 - documented: alerts are a courtesy
                pass

        cb = n.NOTIFY_FN(trampoline)
        self._check(n.lib.sb_notify_set(self._h(), cb, None))
        self._notify_cb = cb  # C holds the pointer: keep it alive

    def notify_prefs_set(self, actor: int, teammate_id: int, prefs: AlertPrefs) -> None:
        raw = n.NotifyPrefs()
        n.lib.sb_notify_prefs_init(ctypes.byref(raw))
        raw.messages = _code(LEVELS, prefs.messages, "messages")
        raw.voicemails = _code(LEVELS, prefs.voicemails, "voicemails")
        raw.missed_calls = _code(LEVELS, prefs.missed_calls, "missed_calls")
        self._check(n.lib.sb_notify_prefs_set(self._h(), actor, teammate_id, ctypes.byref(raw)))

    def notify_prefs_get(self, actor: int, teammate_id: int) -> AlertPrefs:
        raw = n.NotifyPrefs()
        self._check(n.lib.sb_notify_prefs_get(ctypes.byref(raw), self._h(), actor, teammate_id))
        return AlertPrefs(_name(LEVELS, raw.messages), _name(LEVELS, raw.voicemails), _name(LEVELS, raw.missed_calls))
