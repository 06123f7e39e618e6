package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Business hours (hours.h), after-hours notices (afterhours.h) and scheduled texts (schedule.h).
const (
	Sunday    = int(C.SB_SUNDAY)
	Monday    = int(C.SB_MONDAY)
	Tuesday   = int(C.SB_TUESDAY)
	Wednesday = int(C.SB_WEDNESDAY)
	Thursday  = int(C.SB_THURSDAY)
	Friday    = int(C.SB_FRIDAY)
	Saturday  = int(C.SB_SATURDAY)

	HoursNone     = int(C.SB_HOURS_NONE)
	HoursPractice = int(C.SB_HOURS_PRACTICE)
	HoursEndpoint = int(C.SB_HOURS_ENDPOINT)

	NoticeNone    = int(C.SB_NOTICE_NONE)
	NoticePending = int(C.SB_NOTICE_PENDING)
	NoticeSent    = int(C.SB_NOTICE_SENT)
	NoticeFailed  = int(C.SB_NOTICE_FAILED)

	PurposeOther        = int(C.SB_PURPOSE_OTHER)
	PurposeConfirmation = int(C.SB_PURPOSE_CONFIRMATION)
	PurposeReminder     = int(C.SB_PURPOSE_REMINDER)

	SchedulePending   = int(C.SB_SCHEDULE_PENDING)
	ScheduleSending   = int(C.SB_SCHEDULE_SENDING)
	ScheduleSent      = int(C.SB_SCHEDULE_SENT)
	ScheduleCancelled = int(C.SB_SCHEDULE_CANCELLED)
	ScheduleMissed    = int(C.SB_SCHEDULE_MISSED)
	ScheduleFailed    = int(C.SB_SCHEDULE_FAILED)

	ScheduleGraceMS   = int64(C.SB_SCHEDULE_GRACE_MS)
	ScheduleTimer     = C.SB_SCHEDULE_TIMER
	SchedulePageMax   = int(C.SB_SCHEDULE_PAGE_MAX)
	AfterHoursPageMax = int(C.SB_AFTER_HOURS_PAGE_MAX)
)

// Span is open on Day from OpenMinute to CloseMinute (minutes after local
// midnight); a close at or before the open falls on the next day.
type Span struct {
	Day, OpenMinute, CloseMinute int
}

// Closure closes all of the local dates FirstDate..LastDate (YYYYMMDD).
type Closure struct {
	FirstDate, LastDate int
	Label               string
}

// Hours are a weekly schedule in an IANA zone, with dated closures (A1).
type Hours struct {
	Zone     string
	Spans    []Span
	Closures []Closure
}

// HoursStatus says whether hours are open at an instant and when that changes.
type HoursStatus struct {
	Open        bool
	Source      int   // HoursNone (always open), HoursPractice or HoursEndpoint
	NextChange  int64 // epoch ms; 0: none within the horizon
	NextOpening int64 // epoch ms; 0: none within the horizon
	LocalDate   int   // YYYYMMDD
	LocalMinute int
	Weekday     int
	UTCOffset   int // minutes east of UTC
}

// AfterHours are the after-hours reply and alert settings (A2).
type AfterHours struct {
	ReplyOn bool
	Reply   string
	AlertOn bool
	AlertTo string // "a@x.org, b@y.com"; read back normalised
}

// AfterHoursEvent is one conversation's closed period with its reply and alerts.
type AfterHoursEvent struct {
	ID, ConversationID, ItemID       int64
	Period, CreatedAt                int64
	ReplyState                       int
	ReplyItemID                      int64
	Alerts, AlertsSent, AlertsFailed int
}

// ScheduledSMS is a text to schedule: to a Contact or a number (To).
type ScheduledSMS struct {
	Endpoint       int64
	Contact        int64
	To             string
	Body           string
	Purpose        int
	DueAt          int64
	ExpiresAt      int64 // 0: DueAt + ScheduleGraceMS
	IdempotencyKey string
}

// Scheduled is a scheduled text as read (without its recipient and body).
type Scheduled struct {
	ID, EndpointID, ContactID int64
	Purpose, State            int
	DueAt, ExpiresAt          int64
	CreatedBy                 int64
	CreatedAt, UpdatedAt      int64
	ItemID, ConversationID    int64
	MessageStatus             int
}

// PumpReport says what one pump did.
type PumpReport struct {
	Sent, Failed, Missed int
	NextDue              int64
}

// fixed copies s into a C char array of room bytes (NUL included).
func fixed(dst *C.char, room int, s, field string) error {
	if len(s) >= room {
		return &Error{Code: int(C.SB_ETOOBIG), Detail: field + " is too long"}
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(dst)), room), s+"\x00")
	return nil
}

func (h Hours) toC(c *C.sb_hours) error {
	C.sb_hours_init(c)
	if len(h.Spans) > len(c.spans) || len(h.Closures) > len(c.closures) {
		return &Error{Code: int(C.SB_ETOOBIG), Detail: "too many spans or closures"}
	}
	if err := fixed(&c.zone[0], len(c.zone), h.Zone, "zone"); err != nil {
		return err
	}
	c.span_count = C.size_t(len(h.Spans))
	for i, s := range h.Spans {
		c.spans[i] = C.sb_hours_span{day: C.int(s.Day), open_minute: C.int(s.OpenMinute), close_minute: C.int(s.CloseMinute)}
	}
	c.closure_count = C.size_t(len(h.Closures))
	for i, k := range h.Closures {
		c.closures[i].first_date, c.closures[i].last_date = C.int(k.FirstDate), C.int(k.LastDate)
		if err := fixed(&c.closures[i].label[0], len(c.closures[i].label), k.Label, "label"); err != nil {
			return err
		}
	}
	return nil
}

func goHours(c *C.sb_hours) Hours {
	h := Hours{Zone: C.GoString(&c.zone[0])}
	for i := 0; i < int(c.span_count); i++ {
		s := c.spans[i]
		h.Spans = append(h.Spans, Span{int(s.day), int(s.open_minute), int(s.close_minute)})
	}
	for i := 0; i < int(c.closure_count); i++ {
		k := &c.closures[i]
		h.Closures = append(h.Closures, Closure{int(k.first_date), int(k.last_date), C.GoString(&k.label[0])})
	}
	return h
}

func goHoursStatus(s *C.sb_hours_status) HoursStatus {
	return HoursStatus{s.open != 0, int(s.source), int64(s.next_change), int64(s.next_opening), int(s.local_date),
		int(s.local_minute), int(s.weekday), int(s.utc_offset)}
}

// HoursEvaluate judges hours at `at` (epoch ms) without storing them.
func (p *Practice) HoursEvaluate(h Hours, at int64) (HoursStatus, error) {
	var c C.sb_hours
	var s C.sb_hours_status
	if err := h.toC(&c); err != nil {
		return HoursStatus{}, err
	}
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_hours_evaluate(&s, cp, &c, C.int64_t(at)) })
	return goHoursStatus(&s), err
}

// HoursSet sets the practice's hours (endpoint 0) or a business number's own (admins only).
func (p *Practice) HoursSet(actor, endpoint int64, h Hours) error {
	var c C.sb_hours
	if err := h.toC(&c); err != nil {
		return err
	}
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_hours_set(cp, C.sb_id(actor), C.sb_id(endpoint), &c) })
}

// HoursClear removes the hours set on the practice (endpoint 0) or a business number.
func (p *Practice) HoursClear(actor, endpoint int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_hours_clear(cp, C.sb_id(actor), C.sb_id(endpoint)) })
}

// HoursGet reads the hours set on the practice (endpoint 0) or a business number.
func (p *Practice) HoursGet(actor, endpoint int64) (Hours, error) {
	var c C.sb_hours
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_hours_get(&c, cp, C.sb_id(actor), C.sb_id(endpoint)) })
	if err != nil {
		return Hours{}, err
	}
	return goHours(&c), nil
}

// HoursAt says whether the practice (endpoint 0) or a number is open at `at` (0: now).
func (p *Practice) HoursAt(actor, endpoint, at int64) (HoursStatus, error) {
	var s C.sb_hours_status
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_hours_at(&s, cp, C.sb_id(actor), C.sb_id(endpoint), C.int64_t(at))
	})
	return goHoursStatus(&s), err
}

// AfterHoursGet reads the after-hours settings.
func (p *Practice) AfterHoursGet(actor int64) (AfterHours, error) {
	var s C.sb_after_hours
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_after_hours_get(&s, cp, C.sb_id(actor)) })
	return AfterHours{s.reply_on != 0, C.GoString(&s.reply[0]), s.alert_on != 0, C.GoString(&s.alert_to[0])}, err
}

// AfterHoursSet replaces the after-hours settings (admins only).
func (p *Practice) AfterHoursSet(actor int64, a AfterHours) error {
	var s C.sb_after_hours
	C.sb_after_hours_init(&s)
	s.reply_on, s.alert_on = flag(a.ReplyOn), flag(a.AlertOn)
	if err := fixed(&s.reply[0], len(s.reply), a.Reply, "reply"); err != nil {
		return err
	}
	if err := fixed(&s.alert_to[0], len(s.alert_to), a.AlertTo, "alert_to"); err != nil {
		return err
	}
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_after_hours_set(cp, C.sb_id(actor), &s) })
}

// AfterHoursList lists closed periods of conversations the actor sees, newest first.
func (p *Practice) AfterHoursList(actor, beforeID int64, max int) ([]AfterHoursEvent, error) {
	if max < 1 || max > AfterHoursPageMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "max is out of range"}
	}
	buf := make([]C.sb_after_hours_event, max)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_after_hours_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(beforeID), C.size_t(max))
	})
	out := make([]AfterHoursEvent, 0, int(n))
	for _, e := range buf[:n] {
		out = append(out, AfterHoursEvent{int64(e.id), int64(e.conversation_id), int64(e.item_id), int64(e.period),
			int64(e.created_at), int(e.reply_state), int64(e.reply_item_id), int(e.alerts), int(e.alerts_sent),
			int(e.alerts_failed)})
	}
	return out, err
}

// AfterHoursRetry sends failed or stranded replies and alerts again: how many went, how many failed again.
func (p *Practice) AfterHoursRetry(actor int64, max int) (sent, failed int, err error) {
	var s, f C.size_t
	err = p.call(func(cp *C.sb_practice) C.int {
		return C.sb_after_hours_retry(&s, &f, cp, C.sb_id(actor), C.size_t(max))
	})
	return int(s), int(f), err
}

// ScheduleCreate schedules a text and returns its id.
func (p *Practice) ScheduleCreate(actor int64, m ScheduledSMS) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"to", "body", "idempotency key"}, []string{m.To, m.Body, m.IdempotencyKey},
		func(cs []*C.char) error {
			var c C.sb_scheduled_sms
			C.sb_scheduled_sms_init(&c)
			c.endpoint, c.contact, c.body = C.sb_id(m.Endpoint), C.sb_id(m.Contact), cs[1]
			if m.To != "" {
				c.to = cs[0]
			}
			if m.IdempotencyKey != "" {
				c.idempotency_key = cs[2]
			}
			c.purpose, c.due_at, c.expires_at = C.int(m.Purpose), C.int64_t(m.DueAt), C.int64_t(m.ExpiresAt)
			return p.call(func(cp *C.sb_practice) C.int { return C.sb_schedule_create(&id, cp, C.sb_id(actor), &c) })
		})
	return int64(id), err
}

func goScheduled(s *C.sb_scheduled) Scheduled {
	return Scheduled{int64(s.id), int64(s.endpoint_id), int64(s.contact_id), int(s.purpose), int(s.state),
		int64(s.due_at), int64(s.expires_at), int64(s.created_by), int64(s.created_at), int64(s.updated_at),
		int64(s.item_id), int64(s.conversation_id), int(s.message_status)}
}

// ScheduleGet reads one scheduled text.
func (p *Practice) ScheduleGet(actor, id int64) (Scheduled, error) {
	var s C.sb_scheduled
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_schedule_get(&s, cp, C.sb_id(actor), C.sb_id(id)) })
	return goScheduled(&s), err
}

// ScheduleList lists scheduled texts the actor sees in `state` (0: any), soonest due first.
func (p *Practice) ScheduleList(actor int64, state int, afterID int64, max int) ([]Scheduled, error) {
	if max < 1 || max > SchedulePageMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "max is out of range"}
	}
	buf := make([]C.sb_scheduled, max)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_schedule_list(&buf[0], &n, cp, C.sb_id(actor), C.int(state), C.sb_id(afterID), C.size_t(max))
	})
	out := make([]Scheduled, 0, int(n))
	for i := range buf[:n] {
		out = append(out, goScheduled(&buf[i]))
	}
	return out, err
}

// ScheduleReschedule moves a waiting text (expiresAt 0: dueAt + ScheduleGraceMS).
func (p *Practice) ScheduleReschedule(actor, id, dueAt, expiresAt int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_schedule_reschedule(cp, C.sb_id(actor), C.sb_id(id), C.int64_t(dueAt), C.int64_t(expiresAt))
	})
}

// ScheduleCancel cancels a waiting text.
func (p *Practice) ScheduleCancel(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_schedule_cancel(cp, C.sb_id(actor), C.sb_id(id)) })
}

// SchedulePump sends up to max texts that are due now, as the system.
func (p *Practice) SchedulePump(max int) (PumpReport, error) {
	var r C.sb_pump_report
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_schedule_pump(&r, cp, C.size_t(max)) })
	return PumpReport{int(r.sent), int(r.failed), int(r.missed), int64(r.next_due)}, err
}
