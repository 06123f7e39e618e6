"""Host callbacks: the carrier and the clock as Python objects (carrier.h, clock.h).

A carrier is any object with some of these methods; a missing method makes the
library refuse that command with NotSupportedError, without calling anything:

    send_sms(sms: Sms) -> str            # the carrier's message id
    send_email(email: Email) -> str
    call_originate(req: CallOriginate) -> str   # the new leg id
    call_cancel(leg) / call_answer(leg) / call_hangup(leg)
    call_play(leg, play: Play) / call_hold(leg, on: bool)
    call_bridge(leg_a, leg_b) / call_record(leg, rec: Record)
    timer_start(timer_id, due_ms) / timer_stop(timer_id)

A clock is a callable returning epoch milliseconds, or an object with now_ms().
An exception raised in any of them is re-raised by the call that triggered it.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Tuple

from . import _native as n


def _s(b: Optional[bytes]) -> str:
    return b.decode("utf-8") if b is not None else ""


@dataclass(frozen=True)
class Sms:
    from_number: str
    to: str
    body: str
    media: Tuple[str, ...]
    idempotency_key: str


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    idempotency_key: str


@dataclass(frozen=True)
class CallOriginate:
    call_ref: str
    from_number: str
    to: str
    timeout_ms: int


@dataclass(frozen=True)
class Play:
    kind: int  # 0 speech, 1 media, 2 ringback, 3 hold music, 4 beep
    content: str
    loop: bool


@dataclass(frozen=True)
class Record:
    max_ms: int
    finish_on_key: str


class CallbackGuard:
    """Runs host code for C and keeps the first exception for the caller."""

    def __init__(self) -> None:
        self.pending: Optional[BaseException] = None

    def run(self, fn: Callable[[], Any]) -> int:
        try:
            fn()
            return 0
        except BaseException as exc:  # noqa: BLE001 - it is re-raised by the outer call
            if self.pending is None:
                self.pending = exc
            return -1

    def take(self) -> Optional[BaseException]:
        exc, self.pending = self.pending, None
        return exc


def _write_id(buf: int, cap: int, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise TypeError("a carrier must return a non-empty str id")
    data = value.encode("utf-8")
    if len(data) + 1 > cap:
        raise ValueError(f"carrier id longer than {cap - 1} bytes")
    ctypes.memmove(buf, data + b"\0", len(data) + 1)


def _sms(p: Any) -> Sms:
    m = p.contents
    media = tuple(_s(m.media[i]) for i in range(m.media_count)) if m.media else ()
    return Sms(_s(m.from_), _s(m.to), _s(m.body), media, _s(m.idempotency_key))


def _email(p: Any) -> Email:
    m = p.contents
    return Email(_s(m.to), _s(m.subject), _s(m.body), _s(m.idempotency_key))


def _originate(p: Any) -> CallOriginate:
    m = p.contents
    return CallOriginate(_s(m.call_ref), _s(m.from_), _s(m.to), m.timeout_ms)


def _play(p: Any) -> Play:
    m = p.contents
    return Play(m.kind, _s(m.content), bool(m.loop))


def _record(p: Any) -> Record:
    m = p.contents
    return Record(m.max_ms, _s(m.finish_on_key))


# How each C callback's arguments become the Python method's: (converter, writes an id).
_ADAPT = {
    "send_sms": lambda f, a: _write_id(a[2], a[3], f(_sms(a[1]))),
    "send_email": lambda f, a: _write_id(a[2], a[3], f(_email(a[1]))),
    "call_originate": lambda f, a: _write_id(a[2], a[3], f(_originate(a[1]))),
    "call_cancel": lambda f, a: f(_s(a[1])),
    "call_answer": lambda f, a: f(_s(a[1])),
    "call_play": lambda f, a: f(_s(a[1]), _play(a[2])),
    "call_hold": lambda f, a: f(_s(a[1]), bool(a[2])),
    "call_bridge": lambda f, a: f(_s(a[1]), _s(a[2])),
    "call_record": lambda f, a: f(_s(a[1]), _record(a[2])),
    "call_hangup": lambda f, a: f(_s(a[1])),
    "timer_start": lambda f, a: f(_s(a[1]), a[2]),
    "timer_stop": lambda f, a: f(_s(a[1])),
}


def make_carrier(obj: Any, guard: CallbackGuard) -> Tuple[n.Carrier, List[Any]]:
    """The C vtable for a Python carrier, and the ctypes callbacks to keep alive."""
    vt = n.Carrier(version=n.CARRIER_VERSION, userdata=None)
    keep: List[Any] = []
    for name, ctype in n.CARRIER_CALLBACKS:
        method = getattr(obj, name, None)
        if method is None:
            continue
        adapt = _ADAPT[name]

        def trampoline(*args: Any, _m: Callable = method, _a: Callable = adapt) -> int:
            return guard.run(lambda: _a(_m, args))

        cfn = ctype(trampoline)
        keep.append(cfn)
        setattr(vt, name, cfn)
    return vt, keep


def make_clock(clock: Any, guard: CallbackGuard) -> Tuple[n.Clock, List[Any]]:
    """The C vtable for a Python clock (a callable, or an object with now_ms())."""
    read = clock if callable(clock) else getattr(clock, "now_ms")

    def now(_ud: Any, out: Any) -> int:
        def store() -> None:
            value = read()
            if not isinstance(value, int):
                raise TypeError("a clock must return int milliseconds")
            out[0] = value
        return guard.run(store)

    cfn = n.CLOCK_NOW(now)
    return n.Clock(version=n.CLOCK_VERSION, userdata=None, now_ms=cfn), [cfn]
