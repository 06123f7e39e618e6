"""Calls (voice.h, tree.h, call.h): call settings, desk phones, the access pool,
phone trees, and the call engine (V1-V12). The functions are methods of Practice.

The engine is event in, command out: feed what the carrier reports with
call_inbound() and call_feed(); the commands come back through the carrier
object given to Practice.open (call_originate, call_play, call_bridge, ...).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from . import _native as n
from .errors import encode_text as _text
from .messaging import OUTCOMES, _code, _name

RING_MODES = {"simultaneous": 0, "sequential": 1, "round_robin": 2}
ROUTES = {"voicemail": 0, "number": 1, "team": 2, "teammate": 3, "menu": 4}
ORIGINS = {"inbound": 1, "click": 2, "any_phone": 3}
PHASES = {"menu": 1, "ringing": 2, "connected": 3, "xfer_menu": 4, "xfer_digits": 5, "xfer_ringing": 6,
          "xfer_consult": 7, "xfer_confirm": 8, "greeting": 9, "recording": 10, "reserved": 11,
          "calling_teammate": 12, "calling_patient": 13, "ended": 14}
EVENTS = {"ringing": 1, "early_media": 2, "answered": 3, "failed": 4, "hangup": 5, "digits": 6, "played": 7,
          "recorded": 8, "timer": 9}
FAILURES = {"busy": 1, "no_answer": 2, "rejected": 3, "unreachable": 4}


@dataclass(frozen=True)
class VoiceSettings:
    ring_mode: str = "simultaneous"
    ring_timeout_ms: int = 0        # 0: 20 s
    screen_timeout_ms: int = 0      # 0: 10 s
    voicemail_max_ms: int = 0       # 0: 2 min
    greeting: str = ""              # spoken, or "" for the library's
    greeting_media: str = ""        # a recorded greeting instead
    tree_id: int = 0
    extra_numbers: Tuple[str, ...] = ()


@dataclass(frozen=True)
class VoiceConfig:
    endpoint_id: int
    ring_mode: str
    ring_timeout_ms: int
    screen_timeout_ms: int
    voicemail_max_ms: int
    greeting: str
    greeting_media: str
    tree_id: int
    extra_numbers: Tuple[str, ...]


@dataclass(frozen=True)
class DeskPhone:
    id: int
    teammate_id: int
    extension: str
    device: str
    address: str
    created_at: int


@dataclass(frozen=True)
class TreeBranch:
    key: str                        # "0".."9", "*", "#"; "" for a fallback
    route: str                      # voicemail, number, team, teammate, menu
    target: int = 0                 # the team, teammate or node index
    auto_assign: bool = False


@dataclass(frozen=True)
class TreeNode:
    prompt: str = ""
    branches: Tuple[TreeBranch, ...] = ()
    prompt_media: str = ""
    timeout_ms: int = 0
    tries: int = 0
    fallback: TreeBranch = field(default_factory=lambda: TreeBranch("", "voicemail"))


@dataclass(frozen=True)
class TreeInfo:
    id: int
    name: str
    node_count: int
    updated_at: int


@dataclass(frozen=True)
class Call:
    id: int
    endpoint_id: int
    conversation_id: int
    teammate_id: int
    origin: str
    phase: str
    outcome: str                    # "none" while live
    unknown_caller: bool
    voicemail_item: int
    started_at: int
    answered_at: int
    ended_at: int


@dataclass(frozen=True)
class CallEvent:
    """One carrier event: kind is one of EVENTS; leg is the carrier's leg id."""
    kind: str
    leg: str = ""
    digits: str = ""
    reason: str = "no_answer"       # for "failed"
    media_ref: str = ""             # for "recorded"
    duration_ms: int = 0
    timer_id: str = ""              # for "timer"
    event_id: Optional[str] = None


@dataclass(frozen=True)
class Access:
    call_id: int
    number: str
    from_phone: str
    expires_at: int


def _branch(b: TreeBranch) -> n.TreeBranch:
    if b.key and len(b.key) != 1:
        raise ValueError("a key is one character")
    return n.TreeBranch(ord(b.key) if b.key else 0, _code(ROUTES, b.route, "route"), b.target, int(b.auto_assign))


def _branch_from(c: n.TreeBranch) -> TreeBranch:
    return TreeBranch(chr(c.key) if c.key else "", _name(ROUTES, c.route), c.target, bool(c.auto_assign))


def _dial(endpoint_id: int, to: str, from_phone: Optional[str], desk_phone_id: int) -> n.DialSpec:
    s = n.DialSpec()
    n.lib.sb_dial_spec_init(ctypes.byref(s))
    s.endpoint_id = endpoint_id
    s.to = _text(to, "to")
    s.from_phone = _text(from_phone, "from_phone")
    s.desk_phone_id = desk_phone_id
    return s


class VoiceMixin:
    # --- settings ---

    def voice_settings_set(self, actor: int, endpoint_id: int, settings: VoiceSettings) -> None:
        """A business number's ringing, screening, voicemail and tree (V4-V7, V12)."""
        s = n.VoiceSettings()
        n.lib.sb_voice_settings_init(ctypes.byref(s))
        s.ring_mode = _code(RING_MODES, settings.ring_mode, "ring_mode")
        s.ring_timeout_ms, s.screen_timeout_ms = settings.ring_timeout_ms, settings.screen_timeout_ms
        s.voicemail_max_ms, s.tree_id = settings.voicemail_max_ms, settings.tree_id
        s.greeting = _text(settings.greeting, "greeting")
        s.greeting_media = _text(settings.greeting_media, "greeting_media")
        extras = (ctypes.c_char_p * max(1, len(settings.extra_numbers)))(
            *[_text(x, "extra_numbers") for x in settings.extra_numbers])
        s.extra_numbers = extras
        s.extra_count = len(settings.extra_numbers)
        self._check(n.lib.sb_voice_settings_set(self._h(), actor, endpoint_id, ctypes.byref(s)))

    def voice_settings_get(self, actor: int, endpoint_id: int) -> VoiceConfig:
        c = n.VoiceConfig()
        self._check(n.lib.sb_voice_settings_get(ctypes.byref(c), self._h(), actor, endpoint_id))
        return VoiceConfig(c.endpoint_id, _name(RING_MODES, c.ring_mode), c.ring_timeout_ms, c.screen_timeout_ms,
                           c.voicemail_max_ms, c.greeting.decode(), c.greeting_media.decode(), c.tree_id,
                           tuple(c.extra_numbers[i].value.decode() for i in range(c.extra_count)))

    def ring_timeout_set(self, actor: int, endpoint_id: int, number: str, timeout_ms: int) -> None:
        """How long `number` rings on its turn when ringing one at a time; 0 removes its own."""
        self._check(n.lib.sb_ring_timeout_set(self._h(), actor, endpoint_id, _text(number, "number"), timeout_ms))

    def ring_timeout_get(self, actor: int, endpoint_id: int, number: str) -> int:
        """How long `number` rings on its turn: its own timeout, or the number's ring timeout."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_ring_timeout_get(ctypes.byref(out), self._h(), actor, endpoint_id,
                                              _text(number, "number")))
        return out.value

    def desk_phone_add(self, actor: int, teammate_id: int, extension: str, device: str,
                       address: Optional[str] = None) -> int:
        """A teammate's desk phone: its extension (V9) and registered 911 address (V10)."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_desk_phone_add(ctypes.byref(out), self._h(), actor, teammate_id,
                                            _text(extension, "extension"), _text(device, "device"),
                                            _text(address, "address")))
        return out.value

    def desk_phone_get(self, actor: int, desk_phone_id: int) -> DeskPhone:
        d = n.DeskPhone()
        self._check(n.lib.sb_desk_phone_get(ctypes.byref(d), self._h(), actor, desk_phone_id))
        return DeskPhone(d.id, d.teammate_id, d.extension.decode(), d.device.decode(), d.address.decode(),
                         d.created_at)

    def desk_phone_remove(self, actor: int, desk_phone_id: int) -> None:
        self._check(n.lib.sb_desk_phone_remove(self._h(), actor, desk_phone_id))

    def access_pool_set(self, actor: int, numbers: Sequence[str], lifetime_ms: int = 0) -> None:
        """The host's access numbers for calling from any phone (V3)."""
        arr = (ctypes.c_char_p * max(1, len(numbers)))(*[_text(x, "numbers") for x in numbers])
        self._check(n.lib.sb_access_pool_set(self._h(), actor, arr, len(numbers), lifetime_ms))

    # --- phone trees ---

    def tree_save(self, actor: int, name: str, nodes: Sequence[TreeNode], tree_id: int = 0) -> int:
        """Create (tree_id 0) or replace a phone tree; nodes[0] is the root (V12)."""
        c_nodes = (n.TreeNode * max(1, len(nodes)))()
        keep: List[object] = []
        for i, node in enumerate(nodes):
            branches = (n.TreeBranch * max(1, len(node.branches)))(*[_branch(b) for b in node.branches])
            keep.append(branches)
            c_nodes[i] = n.TreeNode(_text(node.prompt or None, "prompt"), _text(node.prompt_media or None,
                                                                               "prompt_media"),
                                    node.timeout_ms, node.tries, _branch(node.fallback),
                                    ctypes.cast(branches, ctypes.POINTER(n.TreeBranch)), len(node.branches))
        s = n.TreeSpec()
        n.lib.sb_tree_spec_init(ctypes.byref(s))
        s.name = _text(name, "name")
        s.nodes = ctypes.cast(c_nodes, ctypes.POINTER(n.TreeNode))
        s.node_count = len(nodes)
        out = ctypes.c_int64(tree_id)
        self._check(n.lib.sb_tree_save(ctypes.byref(out), self._h(), actor, ctypes.byref(s)))
        return out.value

    def tree_get(self, actor: int, tree_id: int) -> TreeInfo:
        t = n.Tree()
        self._check(n.lib.sb_tree_get(ctypes.byref(t), self._h(), actor, tree_id))
        return TreeInfo(t.id, t.name.decode(), t.node_count, t.updated_at)

    def tree_node_get(self, actor: int, tree_id: int, index: int) -> TreeNode:
        c = n.TreeNodeInfo()
        self._check(n.lib.sb_tree_node_get(ctypes.byref(c), self._h(), actor, tree_id, index))
        return TreeNode(c.prompt.decode(), tuple(_branch_from(c.branches[i]) for i in range(c.branch_count)),
                        c.prompt_media.decode(), c.timeout_ms, c.tries, _branch_from(c.fallback))

    def tree_delete(self, actor: int, tree_id: int) -> None:
        self._check(n.lib.sb_tree_delete(self._h(), actor, tree_id))

    # --- the engine ---

    def call_inbound(self, from_number: str, to: str, leg: str) -> int:
        """A call arrived at one of the practice's numbers; returns the call id."""
        out = ctypes.c_int64()
        self._check(n.lib.sb_call_inbound(ctypes.byref(out), self._h(), _text(from_number, "from"),
                                          _text(to, "to"), _text(leg, "leg")))
        return out.value

    def call_feed(self, event: CallEvent) -> int:
        """Feed one carrier event; returns the call id."""
        ev = n.CallEvent()
        n.lib.sb_call_event_init(ctypes.byref(ev), _code(EVENTS, event.kind, "kind"))
        ev.leg_id = _text(event.leg or None, "leg")
        ev.event_id = _text(event.event_id, "event_id")
        ev.reason = FAILURES.get(event.reason, 0)
        ev.digits = _text(event.digits or None, "digits")
        ev.media_ref = _text(event.media_ref or None, "media_ref")
        ev.duration_ms = event.duration_ms
        ev.timer_id = _text(event.timer_id or None, "timer_id")
        out = ctypes.c_int64()
        self._check(n.lib.sb_call_feed(ctypes.byref(out), self._h(), ctypes.byref(ev)))
        return out.value

    def call_get(self, actor: int, call_id: int) -> Call:
        c = n.Call()
        self._check(n.lib.sb_call_get(ctypes.byref(c), self._h(), actor, call_id))
        return Call(c.id, c.endpoint_id, c.conversation_id, c.teammate_id, _name(ORIGINS, c.origin),
                    _name(PHASES, c.phase), _name(OUTCOMES, c.outcome), bool(c.unknown_caller), c.voicemail_item,
                    c.started_at, c.answered_at, c.ended_at)

    def call_dial(self, actor: int, endpoint_id: int, to: str, from_phone: Optional[str] = None,
                  desk_phone_id: int = 0) -> int:
        """Click-to-call (V2): the teammate's phone first, then the patient."""
        out = ctypes.c_int64()
        s = _dial(endpoint_id, to, from_phone, desk_phone_id)
        self._check(n.lib.sb_call_dial(ctypes.byref(out), self._h(), actor, ctypes.byref(s)))
        return out.value

    def call_reserve(self, actor: int, endpoint_id: int, to: str, from_phone: Optional[str] = None) -> Access:
        """Call from any phone (V3): an access number to dial from `from_phone`."""
        a = n.Access()
        s = _dial(endpoint_id, to, from_phone, 0)
        self._check(n.lib.sb_call_reserve(ctypes.byref(a), self._h(), actor, ctypes.byref(s)))
        return Access(a.call_id, a.number.decode(), a.from_phone.decode(), a.expires_at)

    def voicemail_transcript(self, actor: int, leg: str, text: str) -> None:
        """The host's transcript of the voicemail left on inbound leg `leg` (V7)."""
        self._check(n.lib.sb_voicemail_transcript(self._h(), actor, _text(leg, "leg"), _text(text, "text")))
