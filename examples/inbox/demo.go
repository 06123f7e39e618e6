package main

// The simulated carrier's page (/demo): play the patient's side. It feeds
// the library the events a carrier would: an inbound text, a call, a leg
// answered or hung up, a voicemail, a timer firing.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"switchboard"
)

type demoView struct {
	Numbers []switchboard.Endpoint
	State   demoState
	Twilio  bool
}

var demoEvents int64 // carrier event ids, unique per run

func eventID() string {
	return fmt.Sprintf("demo-ev-%d-%d", time.Now().UnixNano(), atomic.AddInt64(&demoEvents, 1))
}

func (s *server) demoPage(w http.ResponseWriter, r *http.Request, me *session) error {
	d := s.carrier.demo
	if r.Method == http.MethodPost {
		if d == nil {
			return errNoPage
		}
		if err := s.demoAction(d, r); err != nil {
			return err
		}
		http.Redirect(w, r, "/demo", http.StatusSeeOther)
		return nil
	}
	v := demoView{Twilio: d == nil}
	v.Numbers, _ = s.p.EndpointList(me.teammate, switchboard.BusinessNumber, 0, 50, false)
	if d != nil {
		v.State = d.snapshot()
	}
	s.render(w, http.StatusOK, "demo", me, v)
	return nil
}

func (s *server) demoAction(d *demoCarrier, r *http.Request) error {
	from, to := r.PostFormValue("from"), r.PostFormValue("to")
	switch r.PostFormValue("action") {
	case "text":
		media, err := demoMedia(r)
		if err != nil {
			return err
		}
		_, err = s.p.SMSReceive(switchboard.InboundSMS{From: from, To: to, Body: r.PostFormValue("body"),
			CarrierID: "SMin" + eventID(), Media: media})
		return err
	case "ring":
		leg := d.inboundLeg(from, to)
		_, err := s.p.CallInbound(from, to, leg)
		return err
	case "timer":
		_, err := s.p.CallFeed(switchboard.CallEvent{Kind: switchboard.TimerFired, TimerID: r.PostFormValue("timer"),
			EventID: eventID()})
		return err
	}
	return s.legEvent(d, r)
}

// demoMedia is the picture or file sent with a text, as an MMS carries it.
func demoMedia(r *http.Request) ([]switchboard.AttachmentSpec, error) {
	f, h, err := r.FormFile("attachment")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, errBadForm
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, errBadForm
	}
	kind := h.Header.Get("Content-Type")
	if kind == "" {
		kind = "application/octet-stream"
	}
	return []switchboard.AttachmentSpec{{ContentType: kind, FileName: filepath.Base(h.Filename), Data: data}}, nil
}

// legEvent: what happens on one leg, as its carrier would report it.
func (s *server) legEvent(d *demoCarrier, r *http.Request) error {
	leg := r.PostFormValue("leg")
	e := switchboard.CallEvent{Leg: leg, EventID: eventID()}
	switch r.PostFormValue("action") {
	case "answer":
		e.Kind = switchboard.LegAnswered
	case "played": // the greeting or prompt finished
		e.Kind = switchboard.LegPlayed
	case "hangup":
		e.Kind = switchboard.LegHangup
		d.legEnded(leg)
	case "digits":
		e.Kind, e.Digits = switchboard.LegDigits, r.PostFormValue("digits")
	case "voicemail":
		secs, _ := strconv.Atoi(r.PostFormValue("seconds"))
		e.Kind, e.MediaRef, e.DurationMs = switchboard.LegRecorded, "demo://voicemail/"+leg, int64(secs)*1000
	default:
		return errNoPage
	}
	if _, err := s.p.CallFeed(e); err != nil {
		return err
	}
	if t := r.PostFormValue("transcript"); t != "" && e.Kind == switchboard.LegRecorded {
		return s.p.VoicemailTranscript(switchboard.ActorSystem, leg, t)
	}
	return nil
}
