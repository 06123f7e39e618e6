"""The Twilio carrier adapter (switchboard/twilio.h, libswitchboard-twilio).

    tw = Twilio(account_sid, auth_token, "https://clinic.example/twilio", host=my_timers)
    with Practice("clinic.db", carrier=tw) as p:
        reply = tw.webhook(p, url, body, signature=request.headers.get("X-Twilio-Signature"))
        # write reply.status, reply.content_type and reply.body back to Twilio

`host` is any object with the carrier methods Twilio has no part in:
send_email, timer_start and timer_stop (see switchboard.carrier).

The library is SWITCHBOARD_TWILIO_LIBRARY, else libswitchboard-twilio.so.0
beside the core library, else the system loader's.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import POINTER, Structure, c_char_p, c_int, c_int64, c_size_t, c_uint, c_void_p
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from . import _native as n
from .carrier import CallbackGuard, make_carrier
from .errors import InvalidArgumentError, SwitchboardError, encode_text, error_for
from .messaging import Delivery

BODY_MAX = 64 * 1024

# What a webhook became (sb_twilio_kind).
KINDS = {0: None, 1: "sms", 2: "sms_status", 3: "call", 4: "transcript"}


class _Options(Structure):
    _fields_ = [("version", c_uint), ("account_sid", c_char_p), ("auth_token", c_char_p),
                ("api_base", c_char_p), ("webhook_base", c_char_p), ("timeout_ms", c_int64),
                ("retries", c_int), ("retry_delay_ms", c_int64), ("hold_music_url", c_char_p),
                ("ringback_url", c_char_p), ("beep_url", c_char_p)]


class _Error(Structure):
    _fields_ = [("http_status", c_int), ("twilio_code", c_int)]


class _Request(Structure):
    _fields_ = [("version", c_uint), ("url", c_char_p), ("signature", c_char_p),
                ("idempotency_token", c_char_p), ("body", c_char_p), ("body_len", c_size_t)]


class _Reply(Structure):
    _fields_ = [("status", c_int), ("content_type", c_char_p), ("body", c_char_p), ("kind", c_int),
                ("call_id", c_int64), ("applied", c_int), ("delivery", n.Delivery)]


def _load() -> ctypes.CDLL:
    candidates = []
    env = os.environ.get("SWITCHBOARD_TWILIO_LIBRARY")
    if env:
        candidates.append(env)
    core = os.environ.get("SWITCHBOARD_LIBRARY")
    if core:
        candidates.append(os.path.join(os.path.dirname(core), f"libswitchboard-twilio.so.{n.ABI_MAJOR}"))
    here = os.path.dirname(os.path.abspath(n.__file__))
    candidates.append(os.path.join(here, f"libswitchboard-twilio.so.{n.ABI_MAJOR}"))
    found = ctypes.util.find_library("switchboard-twilio")
    if found:
        candidates.append(found)
    return n.load_first(candidates, "libswitchboard-twilio not found; set SWITCHBOARD_TWILIO_LIBRARY")


_lib: Optional[ctypes.CDLL] = None


def _tw() -> ctypes.CDLL:
    """The adapter library, loaded on first use (the core works without it)."""
    global _lib
    if _lib is None:
        lib = _load()
        for name, restype, *args in [
            ("sb_twilio_options_init", c_int, POINTER(_Options)),
            ("sb_twilio_new", c_int, POINTER(c_void_p), POINTER(_Options)),
            ("sb_twilio_free", None, c_void_p),
            ("sb_twilio_errmsg", c_char_p, c_void_p),
            ("sb_twilio_last_error", c_int, POINTER(_Error), c_void_p),
            ("sb_twilio_carrier", c_int, POINTER(n.Carrier), c_void_p, POINTER(n.Carrier)),
            ("sb_twilio_verify", c_int, c_void_p, c_char_p, c_char_p, c_size_t, c_char_p),
            ("sb_twilio_request_init", c_int, POINTER(_Request)),
            ("sb_twilio_webhook", c_int, POINTER(_Reply), c_void_p, c_void_p, POINTER(_Request)),
        ]:
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = list(args)
        _lib = lib
    return _lib


@dataclass(frozen=True)
class WebhookReply:
    """The HTTP reply to write back, whatever the outcome."""
    status: int                      # 200, 400, 403, 404, 413, 500 or 503
    content_type: str                # "text/xml" or "text/plain"
    body: str                        # TwiML, or a short reason without PHI
    kind: Optional[str]              # "sms", "sms_status", "call", "transcript"; None when refused
    call_id: int                     # kind "call": the call, 0 when none
    applied: bool                    # kind "sms_status": the report moved the message on
    delivery: Optional[Delivery]     # kind "sms"
    error: Optional[SwitchboardError]  # why it was refused or not taken (None: taken)


@dataclass(frozen=True)
class RestError:
    """What Twilio answered to the last REST request that failed."""
    http_status: int   # 0: no HTTP answer (no connection, timeout)
    twilio_code: int   # 21211, 21610, 20429... 0 when none


def _bytes(value: Any, what: str) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise InvalidArgumentError(f"{what} must be bytes or str")


class Twilio:
    """A Twilio adapter: pass it as Practice(carrier=...), and hand it every webhook."""

    def __init__(self, account_sid: str, auth_token: str, webhook_base: str, *, api_base: Optional[str] = None,
                 timeout_ms: int = 0, retries: int = 0, retry_delay_ms: int = 0,
                 hold_music_url: Optional[str] = None, ringback_url: Optional[str] = None,
                 beep_url: Optional[str] = None, host: Any = None) -> None:
        lib = _tw()
        self._handle: Optional[int] = None
        self._host = host
        o = _Options()
        lib.sb_twilio_options_init(ctypes.byref(o))
        o.account_sid = encode_text(account_sid, "account_sid")
        o.auth_token = encode_text(auth_token, "auth_token")
        o.webhook_base = encode_text(webhook_base, "webhook_base")
        o.api_base = encode_text(api_base, "api_base")
        o.timeout_ms, o.retries, o.retry_delay_ms = timeout_ms, retries, retry_delay_ms
        o.hold_music_url = encode_text(hold_music_url, "hold_music_url")
        o.ringback_url = encode_text(ringback_url, "ringback_url")
        o.beep_url = encode_text(beep_url, "beep_url")
        h = c_void_p()
        rc = lib.sb_twilio_new(ctypes.byref(h), ctypes.byref(o))
        if rc != 0:
            raise error_for(rc, "the Twilio options are invalid" if rc == -3 else "")
        self._handle = h.value

    def close(self) -> None:
        """Free the adapter; practices using it must be closed first."""
        if self._handle is not None:
            _tw().sb_twilio_free(self._handle)
            self._handle = None

    def __enter__(self) -> "Twilio":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> int:
        if self._handle is None:
            raise InvalidArgumentError("the Twilio adapter is closed")
        return self._handle

    def _carrier_vtable(self, guard: CallbackGuard) -> Tuple[n.Carrier, List[Any]]:
        """The C carrier for a Practice: Twilio's, with the host's e-mail and timers."""
        keep: List[Any] = [self]
        host_ptr = None
        if self._host is not None:
            host_vt, host_keep = make_carrier(self._host, guard)
            keep += [host_vt] + host_keep
            host_ptr = ctypes.pointer(host_vt)
        out = n.Carrier()
        rc = _tw().sb_twilio_carrier(ctypes.byref(out), self._h(), host_ptr)
        if rc != 0:
            raise error_for(rc, self.errmsg)
        return out, keep

    @property
    def errmsg(self) -> str:
        """What the last failed call went wrong with (never PHI)."""
        return (_tw().sb_twilio_errmsg(self._h()) or b"").decode()

    @property
    def last_error(self) -> RestError:
        e = _Error()
        _tw().sb_twilio_last_error(ctypes.byref(e), self._h())
        return RestError(e.http_status, e.twilio_code)

    def verify(self, url: str, body: Any, signature: Optional[str]) -> None:
        """Check an X-Twilio-Signature; raises SignatureError, TooBigError or WebhookError."""
        data = _bytes(body, "body")
        rc = _tw().sb_twilio_verify(self._h(), encode_text(url, "url"), data, len(data),
                                    encode_text(signature, "signature"))
        if rc != 0:
            raise error_for(rc, self.errmsg)

    def webhook(self, practice: Any, url: str, body: Any, signature: Optional[str],
                idempotency_token: Optional[str] = None) -> WebhookReply:
        """Take one webhook (the full URL, the raw body, the X-Twilio-Signature and
        I-Twilio-Idempotency-Token headers); always returns the reply to write back.
        An exception a host callback raised comes out instead."""
        data = _bytes(body, "body")
        r = _Request()
        _tw().sb_twilio_request_init(ctypes.byref(r))
        r.url = encode_text(url, "url")
        r.signature = encode_text(signature, "signature") if signature is not None else None
        r.idempotency_token = encode_text(idempotency_token, "idempotency_token")
        r.body, r.body_len = data, len(data)
        out = _Reply()
        rc = _tw().sb_twilio_webhook(ctypes.byref(out), self._h(), practice._h(), ctypes.byref(r))
        pending = practice._guard.take()
        if pending is not None:
            raise pending
        if out.status == 0:  # no reply: the arguments were wrong
            raise error_for(rc, self.errmsg)
        kind = KINDS.get(out.kind)
        return WebhookReply(out.status, (out.content_type or b"").decode(), (out.body or b"").decode(), kind,
                            out.call_id, bool(out.applied),
                            Delivery._from_c(out.delivery) if kind == "sms" else None,
                            error_for(rc, self.errmsg) if rc != 0 else None)
