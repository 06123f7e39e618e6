"""Secure messaging between teammates (chat.h, seed 002): direct chats and
team chats. The functions are methods of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import List, Optional, Sequence

from . import _native as n
from .errors import InvalidArgumentError, encode_text as _text
from .messaging import _name
from .team import _limit

CHAT_KINDS = {"direct": 1, "team": 2}


@dataclass(frozen=True)
class Chat:
    id: int
    kind: str            # direct or team
    team_id: int         # 0 for a direct chat
    created_by: int
    created_at: int
    last_message_at: int
    unread: int          # others' messages after the reader's mark


@dataclass(frozen=True)
class ChatMessage:
    id: int
    chat_id: int
    author: int
    at: int
    text: str


class ChatMixin:
    def chat_direct(self, actor: int, teammates: Sequence[int]) -> int:
        """The direct chat of the actor and `teammates`, created on first use."""
        ids = list(teammates)
        if len(ids) > n.CHAT_MEMBERS_MAX * 4:
            raise InvalidArgumentError(f"a direct chat has at most {n.CHAT_MEMBERS_MAX} teammates")
        arr = (ctypes.c_int64 * max(len(ids), 1))(*ids)
        out = ctypes.c_int64()
        self._check(n.lib.sb_chat_direct(ctypes.byref(out), self._h(), actor, arr, len(ids)))
        return out.value

    def chat_team(self, actor: int, team_id: int) -> int:
        """The chat of a team the actor is in, created on first use."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_chat_team(ctypes.byref(out), self._h(), actor, team_id))
        return out.value

    def chat_post(self, actor: int, chat_id: int, text: str, idempotency_key: Optional[str] = None) -> int:
        out = ctypes.c_int64()
        self._check(n.lib.sb_chat_post(ctypes.byref(out), self._h(), actor, chat_id, _text(text, "text"),
                                       None if idempotency_key is None else _text(idempotency_key, "idempotency_key")))
        return out.value

    def chat_messages(self, actor: int, chat_id: int, before_id: int = 0, limit: int = 50) -> List[ChatMessage]:
        """A page of messages, newest first; continue with before_id = the last one's id."""
        _limit(limit, n.CHAT_PAGE_MAX)
        buf = (n.ChatMessage * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_chat_messages(buf, ctypes.byref(count), self._h(), actor, chat_id, before_id, limit))
        return [ChatMessage(m.id, m.chat_id, m.author, m.at, m.text.decode()) for m in buf[:count.value]]

    def chat_list(self, actor: int, before_id: int = 0, limit: int = 50) -> List[Chat]:
        """The actor's chats, most recently written first."""
        _limit(limit, n.CHAT_PAGE_MAX)
        buf = (n.Chat * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_chat_list(buf, ctypes.byref(count), self._h(), actor, before_id, limit))
        return [Chat(c.id, _name(CHAT_KINDS, c.kind), c.team_id, c.created_by, c.created_at, c.last_message_at,
                     c.unread) for c in buf[:count.value]]

    def chat_members(self, actor: int, chat_id: int, limit: int = 100) -> List[int]:
        _limit(limit, n.CHAT_PAGE_MAX)
        buf = (ctypes.c_int64 * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_chat_members(buf, ctypes.byref(count), self._h(), actor, chat_id, limit))
        return list(buf[:count.value])

    def chat_mark_read(self, actor: int, chat_id: int) -> None:
        self._check(n.lib.sb_chat_mark_read(self._h(), actor, chat_id))
