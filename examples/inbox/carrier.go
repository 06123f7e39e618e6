package main

// The practice's carrier: Twilio when configured, else a simulated carrier
// that keeps what the practice sends and lets /demo play the other side.

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"switchboard"
	"switchboard/twilio"
)

type carrierChoice struct {
	demo   *demoCarrier    // nil with Twilio
	twilio *twilio.Adapter // nil in demo mode
}

func (c *carrierChoice) native() interface{} {
	if c.twilio != nil {
		return c.twilio
	}
	return c.demo
}

// newCarrier reads TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_BASE
// (the public URL of /twilio, default: this server's) and TWILIO_API_BASE.
func newCarrier(base string) (*carrierChoice, http.Handler, error) {
	sid, tok := os.Getenv("TWILIO_ACCOUNT_SID"), os.Getenv("TWILIO_AUTH_TOKEN")
	if sid == "" && tok == "" {
		return &carrierChoice{demo: newDemoCarrier()}, nil, nil
	}
	hook := os.Getenv("TWILIO_WEBHOOK_BASE")
	if hook == "" {
		hook = base + "/twilio"
	}
	a, err := twilio.New(twilio.Options{AccountSID: sid, AuthToken: tok, WebhookBase: hook,
		APIBase: os.Getenv("TWILIO_API_BASE")})
	if err != nil {
		return nil, nil, fmt.Errorf("the Twilio adapter: %w", err)
	}
	fmt.Printf("carrier: Twilio; point the numbers' webhooks at %s/sms and %s/voice\n", hook, hook)
	return &carrierChoice{twilio: a}, a.Handler(), nil
}

// What the simulated carrier was asked to do. Its callbacks run while the
// library holds the practice, so they only record; /demo feeds events back.
type demoText struct {
	ID, From, To, Body string
	At                 time.Time
}

type demoLeg struct {
	ID, From, To, State string
}

type demoCarrier struct {
	mu     sync.Mutex
	next   int
	texts  []demoText
	legs   map[string]*demoLeg
	timers map[string]int64
	log    []string
}

func newDemoCarrier() *demoCarrier {
	return &demoCarrier{legs: map[string]*demoLeg{}, timers: map[string]int64{}}
}

func (d *demoCarrier) id(prefix string) string {
	d.next++
	return fmt.Sprintf("%s%06d", prefix, d.next)
}

func (d *demoCarrier) note(format string, a ...interface{}) {
	d.log = append(d.log, time.Now().Format("15:04:05 ")+fmt.Sprintf(format, a...))
	if len(d.log) > 40 {
		d.log = d.log[len(d.log)-40:]
	}
}

func (d *demoCarrier) SendSMS(m switchboard.SMS) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := demoText{ID: d.id("SMdemo"), From: m.From, To: m.To, Body: m.Body, At: time.Now()}
	d.texts = append(d.texts, t)
	d.note("text %s sent to %s", t.ID, m.To)
	return t.ID, nil
}

func (d *demoCarrier) SendEmail(m switchboard.Email) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.note("e-mail to %s", m.To)
	return d.id("EMdemo"), nil
}

func (d *demoCarrier) Originate(r switchboard.CallOriginate) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg := &demoLeg{ID: d.id("CAdemo"), From: r.From, To: r.To, State: "ringing"}
	d.legs[leg.ID] = leg
	d.note("ring %s on %s (%d s)", r.To, leg.ID, r.TimeoutMs/1000)
	return leg.ID, nil
}

func (d *demoCarrier) command(leg, what string, state string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if l := d.legs[leg]; l != nil && state != "" {
		l.State = state
	}
	d.note("%s %s", what, leg)
	return nil
}

func (d *demoCarrier) Cancel(leg string) error { return d.command(leg, "cancel", "ended") }
func (d *demoCarrier) Answer(leg string) error { return d.command(leg, "answer", "answered") }
func (d *demoCarrier) Hangup(leg string) error { return d.command(leg, "hang up", "ended") }
func (d *demoCarrier) Play(leg string, p switchboard.Play) error {
	return d.command(leg, fmt.Sprintf("play (kind %d) on", p.Kind), "")
}
func (d *demoCarrier) Hold(leg string, on bool) error {
	return d.command(leg, map[bool]string{true: "hold", false: "unhold"}[on], "")
}
func (d *demoCarrier) Bridge(a, b string) error { return d.command(a, "bridge "+b+" with", "bridged") }
func (d *demoCarrier) Record(leg string, r switchboard.Record) error {
	return d.command(leg, "record voicemail on", "recording")
}

func (d *demoCarrier) TimerStart(id string, due int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timers[id] = due
	return nil
}

func (d *demoCarrier) TimerStop(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.timers, id)
	return nil
}

// inboundLeg registers a caller's leg the demo page dials in with.
func (d *demoCarrier) inboundLeg(from, to string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg := &demoLeg{ID: d.id("CAdemo"), From: from, To: to, State: "ringing"}
	d.legs[leg.ID] = leg
	d.note("call from %s to %s on %s", from, to, leg.ID)
	return leg.ID
}

type demoState struct {
	Texts  []demoText
	Legs   []demoLeg
	Timers []string
	Log    []string
}

func (d *demoCarrier) snapshot() demoState {
	d.mu.Lock()
	defer d.mu.Unlock()
	var s demoState
	for i := len(d.texts) - 1; i >= 0 && len(s.Texts) < 20; i-- {
		s.Texts = append(s.Texts, d.texts[i])
	}
	for _, l := range d.legs {
		if l.State != "ended" {
			s.Legs = append(s.Legs, *l)
		}
	}
	sort.Slice(s.Legs, func(i, j int) bool { return s.Legs[i].ID < s.Legs[j].ID })
	for id := range d.timers {
		s.Timers = append(s.Timers, id)
	}
	sort.Strings(s.Timers)
	s.Log = append(s.Log, d.log...)
	return s
}

func (d *demoCarrier) legEnded(leg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if l := d.legs[leg]; l != nil {
		l.State = "ended"
	}
}
