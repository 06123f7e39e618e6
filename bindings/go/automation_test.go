package switchboard

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// automationCarrier records texts, e-mails and timers, and can refuse.
type automationCarrier struct {
	texts  []SMS
	emails []Email
	timers []string
	refuse bool
}

func (c *automationCarrier) SendSMS(m SMS) (string, error) {
	if c.refuse {
		return "", errors.New("carrier unreachable")
	}
	c.texts = append(c.texts, m)
	return fmt.Sprintf("SM%d", len(c.texts)), nil
}

func (c *automationCarrier) SendEmail(m Email) (string, error) {
	if c.refuse {
		return "", errors.New("carrier unreachable")
	}
	c.emails = append(c.emails, m)
	return fmt.Sprintf("EM%d", len(c.emails)), nil
}

func (c *automationCarrier) TimerStart(id string, due int64) error {
	c.timers = append(c.timers, fmt.Sprintf("start %s %d", id, due))
	return nil
}

func (c *automationCarrier) TimerStop(id string) error {
	c.timers = append(c.timers, "stop "+id)
	return nil
}

const (
	hour        = int64(3600000)
	mondayNight = int64(1773097200000) // 2026-03-09 19:00 EDT
)

func weekdayHours() Hours {
	h := Hours{Zone: "America/New_York"}
	for d := Monday; d <= Friday; d++ {
		h.Spans = append(h.Spans, Span{d, 9 * 60, 17 * 60})
	}
	return h
}

func automationWorld(t *testing.T) (*Practice, *automationCarrier, *int64, int64) {
	now := mondayNight
	c := &automationCarrier{}
	p := mustOpen(t, storePath(t), &Options{Clock: ClockFunc(func() (int64, error) { return now, nil }), Carrier: c})
	staff(t, p, 4)
	fr := ok(p.BusinessNumberCreate(1, front, "Front desk"))
	return p, c, &now, fr
}

func TestHours(t *testing.T) {
	p, _, _, fr := automationWorld(t)
	h := weekdayHours()
	h.Closures = []Closure{{20261126, 20261127, "Thanksgiving"}}
	s := ok(p.HoursEvaluate(h, mondayNight))
	if s.Open || s.UTCOffset != -240 || s.NextOpening != mondayNight+14*hour || s.Weekday != Monday {
		t.Fatalf("A1: Monday 19:00 EDT is closed until Tuesday 09:00: %+v", s)
	}
	if err := p.HoursSet(2, 0, h); !errors.Is(err, ErrDenied) {
		t.Fatalf("T1: only admins set hours: %v", err)
	}
	if err := p.HoursSet(1, 0, h); err != nil {
		t.Fatal(err)
	}
	got := ok(p.HoursGet(3, 0))
	if got.Zone != h.Zone || len(got.Spans) != 5 || got.Closures[0].Label != "Thanksgiving" {
		t.Fatalf("hours read back: %+v", got)
	}
	if s := ok(p.HoursAt(3, fr, 0)); s.Open || s.Source != HoursPractice {
		t.Fatalf("the number follows the practice: %+v", s)
	}
	if err := p.HoursSet(1, fr, Hours{Zone: "UTC", Spans: []Span{{Monday, 0, 1440}}}); err != nil {
		t.Fatal(err)
	}
	if s := ok(p.HoursAt(3, fr, 0)); !s.Open || s.Source != HoursEndpoint {
		t.Fatalf("the number's own hours: %+v", s)
	}
	if err := p.HoursClear(1, fr); err != nil {
		t.Fatal(err)
	}
	if _, err := p.HoursGet(3, fr); !errors.Is(err, ErrNotFound) {
		t.Fatalf("cleared: %v", err)
	}
	if _, err := p.HoursEvaluate(Hours{Zone: "Mars/Olympus"}, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown zone: %v", err)
	}
	if _, err := p.HoursEvaluate(Hours{Zone: strings.Repeat("x", 65)}, 0); !errors.Is(err, ErrTooBig) {
		t.Fatalf("long zone: %v", err)
	}
	overlap := Hours{Zone: "UTC", Spans: []Span{{Monday, 600, 700}, {Monday, 650, 800}}}
	if _, err := p.HoursEvaluate(overlap, 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("overlapping spans: %v", err)
	}
}

func TestAfterHours(t *testing.T) {
	p, c, _, _ := automationWorld(t)
	if err := p.HoursSet(1, 0, weekdayHours()); err != nil {
		t.Fatal(err)
	}
	if err := p.AfterHoursSet(1, AfterHours{AlertOn: true, AlertTo: "oncall@clinic.example, nobody"}); !errors.Is(err, ErrEmail) {
		t.Fatalf("A2: a bad recipient has its own error: %v", err)
	}
	if err := p.AfterHoursSet(1, AfterHours{true, "We are closed; we open at 9.", true, "oncall@clinic.example , desk@clinic.example"}); err != nil {
		t.Fatal(err)
	}
	if a := ok(p.AfterHoursGet(2)); a.AlertTo != "oncall@clinic.example,desk@clinic.example" {
		t.Fatalf("normalised: %q", a.AlertTo)
	}
	textIn(t, p, "+14155550121", front, "SM-1")
	textIn(t, p, "+14155550121", front, "SM-2")
	if len(c.texts) != 1 || c.texts[0].Body != "We are closed; we open at 9." || len(c.emails) != 2 {
		t.Fatalf("A2: one reply and one alert per recipient per closed period: %d texts, %d e-mails", len(c.texts), len(c.emails))
	}
	if strings.Contains(c.emails[0].Body, "4155550121") || strings.Contains(c.emails[0].Body, "hello") {
		t.Fatal("an alert carries no PHI")
	}
	c.refuse = true
	if _, err := p.SMSReceive(InboundSMS{From: "+14155550122", To: front, Body: "hi", CarrierID: "SM-3"}); !errors.Is(err, ErrCallback) {
		t.Fatalf("the carrier's refusal is reported after the text is stored: %v", err)
	}
	if d := textIn(t, p, "+14155550122", front, "SM-3"); !d.Duplicate {
		t.Fatal("the text was kept")
	}
	ev := ok(p.AfterHoursList(2, 0, 10))
	if len(ev) != 2 || ev[0].ReplyState != NoticeFailed || ev[0].AlertsFailed != 2 {
		t.Fatalf("failures are stored: %+v", ev)
	}
	c.refuse = false
	if sent, failed, err := p.AfterHoursRetry(1, 10); err != nil || sent != 3 || failed != 0 {
		t.Fatalf("retry: %d %d %v", sent, failed, err)
	}
	// C10: a conversation that got the reply deletes whole, its period and alerts with it.
	d := textIn(t, p, "+14155550121", front, "SM-4")
	if err := p.ConversationDelete(1, d.ConversationID); err != nil {
		t.Fatalf("delete after an after-hours reply: %v", err)
	}
	if ev := ok(p.AfterHoursList(2, 0, 10)); len(ev) != 1 {
		t.Fatalf("the deleted conversation's period is gone: %+v", ev)
	}
}

func TestScheduledTexts(t *testing.T) {
	p, c, now, fr := automationWorld(t)
	pat := ok(p.ContactCreate(2, "Pat"))
	ok(p.ContactAddAddress(2, pat, AddressPhone, "4155550171"))
	due := mondayNight + 13*hour
	first := ok(p.ScheduleCreate(2, ScheduledSMS{Endpoint: fr, Contact: pat, Body: "Reminder: tomorrow at 9:30",
		Purpose: PurposeReminder, DueAt: due, IdempotencyKey: "appt-1"}))
	if again := ok(p.ScheduleCreate(2, ScheduledSMS{Endpoint: fr, Contact: pat, Body: "x", DueAt: due, IdempotencyKey: "appt-1"})); again != first {
		t.Fatal("a key schedules once")
	}
	second := ok(p.ScheduleCreate(2, ScheduledSMS{Endpoint: fr, To: "415-555-0172", Body: "Confirmed", DueAt: due + hour}))
	if last := c.timers[len(c.timers)-1]; last != fmt.Sprintf("start sb.schedule %d", due) {
		t.Fatalf("the timer asks for the next due time: %s", last)
	}
	if err := p.ScheduleReschedule(2, second, due-hour, 0); err != nil {
		t.Fatal(err)
	}
	if l := ok(p.ScheduleList(2, SchedulePending, 0, 10)); len(l) != 2 || l[0].ID != second {
		t.Fatalf("soonest first: %+v", l)
	}
	if err := p.ScheduleCancel(2, second); err != nil {
		t.Fatal(err)
	}
	if err := p.ScheduleCancel(2, second); !errors.Is(err, ErrState) {
		t.Fatalf("cancelled once: %v", err)
	}
	if _, err := p.ScheduleCreate(2, ScheduledSMS{Endpoint: fr, To: "+442071234567", Body: "x", DueAt: due}); !errors.Is(err, ErrPhone) {
		t.Fatalf("C14: %v", err)
	}
	*now = due
	r := ok(p.SchedulePump(10))
	if r.Sent != 1 || r.NextDue != 0 || c.texts[len(c.texts)-1].IdempotencyKey != fmt.Sprintf("sb-schedule-%d", first) {
		t.Fatalf("A3: sent once at its time: %+v", r)
	}
	if s := ok(p.ScheduleGet(2, first)); s.State != ScheduleSent || s.MessageStatus != StatusQueued {
		t.Fatalf("sent: %+v", s)
	}
	late := ok(p.ScheduleCreate(2, ScheduledSMS{Endpoint: fr, Contact: pat, Body: "late", DueAt: due - 7*hour}))
	if r := ok(p.SchedulePump(10)); r.Missed != 1 {
		t.Fatalf("missed: %+v", r)
	}
	if s := ok(p.ScheduleGet(2, late)); s.State != ScheduleMissed {
		t.Fatalf("missed: %+v", s)
	}
}
