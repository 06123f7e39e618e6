"""Business hours (A1), the after-hours reply and alerts (A2) and scheduled
texts (A3) (hours.h, afterhours.h, schedule.h). The functions are methods
of Practice."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from . import _native as n
from .errors import TooBigError, encode_text as _text
from .messaging import STATUSES, _code, _name
from .team import _limit

WEEKDAYS = {"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}
HOURS_SOURCES = {"none": 0, "practice": 1, "endpoint": 2}
NOTICE_STATES = {"none": 0, "pending": 1, "sent": 2, "failed": 3}
PURPOSES = {"other": 0, "confirmation": 1, "reminder": 2}
SCHEDULE_STATES = {"pending": 1, "sending": 2, "sent": 3, "cancelled": 4, "missed": 5, "failed": 6}


def _fixed(value: str, room: int, field_name: str) -> bytes:
    """A str for a fixed char array of `room` bytes (NUL included)."""
    b = _text(value, field_name)
    if len(b) >= room:
        raise TooBigError(f"{field_name} is longer than {room - 1} bytes")
    return b


@dataclass(frozen=True)
class Span:
    """Open on `day` from open_minute to close_minute (minutes after local
    midnight); a close at or before the open is on the next day."""
    day: str
    open_minute: int
    close_minute: int


@dataclass(frozen=True)
class Closure:
    """Closed all of the local dates first_date..last_date (YYYYMMDD ints)."""
    first_date: int
    last_date: int
    label: str = ""


@dataclass(frozen=True)
class Hours:
    zone: str = "UTC"
    spans: Tuple[Span, ...] = field(default_factory=tuple)
    closures: Tuple[Closure, ...] = field(default_factory=tuple)

    def _to_c(self) -> n.Hours:
        h = n.Hours()
        n.lib.sb_hours_init(ctypes.byref(h))
        h.zone = _fixed(self.zone, n.ZONE_NAME_MAX + 1, "zone")
        if len(self.spans) > n.HOURS_SPANS_MAX:
            raise TooBigError(f"hours have at most {n.HOURS_SPANS_MAX} spans")
        if len(self.closures) > n.HOURS_CLOSURES_MAX:
            raise TooBigError(f"hours have at most {n.HOURS_CLOSURES_MAX} closures")
        h.span_count = len(self.spans)
        for i, s in enumerate(self.spans):
            h.spans[i] = n.HoursSpan(_code(WEEKDAYS, s.day, "day"), s.open_minute, s.close_minute)
        h.closure_count = len(self.closures)
        for i, c in enumerate(self.closures):
            h.closures[i] = n.Closure(c.first_date, c.last_date, _fixed(c.label, n.CLOSURE_LABEL_MAX + 1, "label"))
        return h

    @classmethod
    def _from_c(cls, h: n.Hours) -> "Hours":
        return cls(h.zone.decode(),
                   tuple(Span(_name(WEEKDAYS, s.day), s.open_minute, s.close_minute)
                         for s in h.spans[:h.span_count]),
                   tuple(Closure(c.first_date, c.last_date, c.label.decode()) for c in h.closures[:h.closure_count]))


@dataclass(frozen=True)
class HoursStatus:
    open: bool
    source: str            # none (always open), practice, endpoint
    next_change: int       # epoch ms; 0: none within the horizon
    next_opening: int      # epoch ms; 0: none within the horizon
    local_date: int        # YYYYMMDD
    local_minute: int
    weekday: str
    utc_offset: int        # minutes east of UTC

    @classmethod
    def _from_c(cls, s: n.HoursStatus) -> "HoursStatus":
        return cls(bool(s.open), _name(HOURS_SOURCES, s.source), s.next_change, s.next_opening, s.local_date,
                   s.local_minute, _name(WEEKDAYS, s.weekday), s.utc_offset)


@dataclass(frozen=True)
class AfterHours:
    reply_on: bool = False
    reply: str = ""
    alert_on: bool = False
    alert_to: str = ""      # "a@x.org, b@y.com"; read back normalised


@dataclass(frozen=True)
class AfterHoursEvent:
    id: int
    conversation_id: int
    item_id: int
    period: int
    created_at: int
    reply_state: str
    reply_item_id: int
    alerts: int
    alerts_sent: int
    alerts_failed: int

    @classmethod
    def _from_c(cls, e: n.AfterHoursEvent) -> "AfterHoursEvent":
        return cls(e.id, e.conversation_id, e.item_id, e.period, e.created_at, _name(NOTICE_STATES, e.reply_state),
                   e.reply_item_id, e.alerts, e.alerts_sent, e.alerts_failed)


@dataclass(frozen=True)
class Scheduled:
    id: int
    endpoint_id: int
    contact_id: int
    purpose: str
    state: str
    due_at: int
    expires_at: int
    created_by: int
    created_at: int
    updated_at: int
    item_id: int
    conversation_id: int
    message_status: Optional[str]

    @classmethod
    def _from_c(cls, s: n.Scheduled) -> "Scheduled":
        return cls(s.id, s.endpoint_id, s.contact_id, _name(PURPOSES, s.purpose), _name(SCHEDULE_STATES, s.state),
                   s.due_at, s.expires_at, s.created_by, s.created_at, s.updated_at, s.item_id, s.conversation_id,
                   _name(STATUSES, s.message_status) if s.message_status else None)


@dataclass(frozen=True)
class PumpReport:
    sent: int
    failed: int
    missed: int
    next_due: int


class AutomationMixin:
    # --- business hours (A1) ---

    def hours_evaluate(self, hours: Hours, at: int) -> HoursStatus:
        """Judge hours at `at` (epoch ms) without storing them."""
        out = n.HoursStatus()
        self._check(n.lib.sb_hours_evaluate(ctypes.byref(out), self._h(), ctypes.byref(hours._to_c()), at))
        return HoursStatus._from_c(out)

    def hours_set(self, actor: int, hours: Hours, endpoint: int = 0) -> None:
        """Set the practice's hours (endpoint 0) or a business number's own."""
        self._check(n.lib.sb_hours_set(self._h(), actor, endpoint, ctypes.byref(hours._to_c())))

    def hours_clear(self, actor: int, endpoint: int = 0) -> None:
        self._check(n.lib.sb_hours_clear(self._h(), actor, endpoint))

    def hours_get(self, actor: int, endpoint: int = 0) -> Hours:
        out = n.Hours()
        self._check(n.lib.sb_hours_get(ctypes.byref(out), self._h(), actor, endpoint))
        return Hours._from_c(out)

    def hours_at(self, actor: int, endpoint: int = 0, at: int = 0) -> HoursStatus:
        """Open or closed at `at` (0: now), and when that changes."""
        out = n.HoursStatus()
        self._check(n.lib.sb_hours_at(ctypes.byref(out), self._h(), actor, endpoint, at))
        return HoursStatus._from_c(out)

    # --- after hours (A2) ---

    def after_hours_get(self, actor: int) -> AfterHours:
        out = n.AfterHours()
        self._check(n.lib.sb_after_hours_get(ctypes.byref(out), self._h(), actor))
        return AfterHours(bool(out.reply_on), out.reply.decode(), bool(out.alert_on), out.alert_to.decode())

    def after_hours_set(self, actor: int, settings: AfterHours) -> None:
        s = n.AfterHours()
        n.lib.sb_after_hours_init(ctypes.byref(s))
        s.reply_on = int(settings.reply_on)
        s.reply = _fixed(settings.reply, n.AFTER_HOURS_REPLY_MAX + 1, "reply")
        s.alert_on = int(settings.alert_on)
        s.alert_to = _fixed(settings.alert_to, n.ALERT_TO_MAX + 1, "alert_to")
        self._check(n.lib.sb_after_hours_set(self._h(), actor, ctypes.byref(s)))

    def after_hours_list(self, actor: int, before_id: int = 0, limit: int = 50) -> List[AfterHoursEvent]:
        """Closed periods of conversations the actor sees, newest first."""
        _limit(limit, n.AFTER_HOURS_PAGE_MAX)
        buf = (n.AfterHoursEvent * limit)()
        count = ctypes.c_size_t()
        self._check(n.lib.sb_after_hours_list(buf, ctypes.byref(count), self._h(), actor, before_id, limit))
        return [AfterHoursEvent._from_c(buf[i]) for i in range(count.value)]

    def after_hours_retry(self, actor: int, limit: int = 50) -> Tuple[int, int]:
        """Send failed or stranded replies and alerts again: (sent, failed)."""
        _limit(limit, n.AFTER_HOURS_PAGE_MAX)
        sent, failed = ctypes.c_size_t(), ctypes.c_size_t()
        self._check(n.lib.sb_after_hours_retry(ctypes.byref(sent), ctypes.byref(failed), self._h(), actor, limit))
        return sent.value, failed.value

    # --- scheduled texts (A3) ---

    def schedule_create(self, actor: int, endpoint: int, body: str, due_at: int, *, contact: int = 0,
                        to: Optional[str] = None, purpose: str = "other", expires_at: int = 0,
                        idempotency_key: Optional[str] = None) -> int:
        """Schedule a text to a contact or a number; returns its id."""
        s = n.ScheduledSms()
        n.lib.sb_scheduled_sms_init(ctypes.byref(s))
        s.endpoint, s.contact, s.to = endpoint, contact, _text(to, "to")
        s.body, s.purpose = _text(body, "body"), _code(PURPOSES, purpose, "purpose")
        s.due_at, s.expires_at = due_at, expires_at
        s.idempotency_key = _text(idempotency_key, "idempotency_key")
        out = ctypes.c_int64()
        self._check(n.lib.sb_schedule_create(ctypes.byref(out), self._h(), actor, ctypes.byref(s)))
        return out.value

    def schedule_get(self, actor: int, scheduled: int) -> Scheduled:
        out = n.Scheduled()
        self._check(n.lib.sb_schedule_get(ctypes.byref(out), self._h(), actor, scheduled))
        return Scheduled._from_c(out)

    def schedule_list(self, actor: int, state: Optional[str] = None, after_id: int = 0,
                      limit: int = 50) -> List[Scheduled]:
        """Scheduled texts the actor sees, soonest due first."""
        _limit(limit, n.SCHEDULE_PAGE_MAX)
        buf = (n.Scheduled * limit)()
        count = ctypes.c_size_t()
        code = 0 if state is None else _code(SCHEDULE_STATES, state, "state")
        self._check(n.lib.sb_schedule_list(buf, ctypes.byref(count), self._h(), actor, code, after_id, limit))
        return [Scheduled._from_c(buf[i]) for i in range(count.value)]

    def schedule_reschedule(self, actor: int, scheduled: int, due_at: int, expires_at: int = 0) -> None:
        self._check(n.lib.sb_schedule_reschedule(self._h(), actor, scheduled, due_at, expires_at))

    def schedule_cancel(self, actor: int, scheduled: int) -> None:
        self._check(n.lib.sb_schedule_cancel(self._h(), actor, scheduled))

    def schedule_pump(self, limit: int = 50) -> PumpReport:
        """Send what is due now (as the system); call it from a loop or the "sb.schedule" timer."""
        _limit(limit, n.SCHEDULE_PAGE_MAX)
        out = n.PumpReport()
        self._check(n.lib.sb_schedule_pump(ctypes.byref(out), self._h(), limit))
        return PumpReport(out.sent, out.failed, out.missed, out.next_due)
