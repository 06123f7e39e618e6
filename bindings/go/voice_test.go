package switchboard

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// voiceCarrier is a callback-driven telephony carrier: every command becomes
// one line; the legs it places are L1, L2, ...
type voiceCarrier struct {
	log    []string
	legs   int
	timers []string
}

func (v *voiceCarrier) note(format string, a ...interface{}) {
	v.log = append(v.log, fmt.Sprintf(format, a...))
}
func (v *voiceCarrier) Originate(r CallOriginate) (string, error) {
	v.legs++
	v.note("originate L%d to=%s from=%s", v.legs, r.To, r.From)
	return fmt.Sprintf("L%d", v.legs), nil
}
func (v *voiceCarrier) Cancel(leg string) error        { v.note("cancel %s", leg); return nil }
func (v *voiceCarrier) Answer(leg string) error        { v.note("answer %s", leg); return nil }
func (v *voiceCarrier) Hangup(leg string) error        { v.note("hangup %s", leg); return nil }
func (v *voiceCarrier) Hold(leg string, on bool) error { v.note("hold %s %v", leg, on); return nil }
func (v *voiceCarrier) Bridge(a, b string) error       { v.note("bridge %s %s", a, b); return nil }
func (v *voiceCarrier) Play(leg string, p Play) error {
	v.note("play %s %d %s", leg, p.Kind, p.Content)
	return nil
}
func (v *voiceCarrier) Record(leg string, r Record) error {
	v.note("record %s %d", leg, r.MaxMs)
	return nil
}
func (v *voiceCarrier) TimerStart(id string, due int64) error {
	v.timers = append(v.timers, id)
	return nil
}
func (v *voiceCarrier) TimerStop(id string) error { return nil }
func (v *voiceCarrier) take() string {
	s := strings.Join(v.log, "\n")
	v.log = nil
	return s
}

func voiceWorld(t *testing.T) (*Practice, *voiceCarrier, *int64, int64) {
	now := mondayNight
	c := &voiceCarrier{}
	p := mustOpen(t, storePath(t), &Options{Clock: ClockFunc(func() (int64, error) { return now, nil }), Carrier: c})
	staff(t, p, 3)
	fr := ok(p.BusinessNumberCreate(1, front, "Front desk"))
	for _, id := range []int64{2, 3} {
		spec := TeammateSpec{Name: fmt.Sprintf("Teammate %d", id), RingNumbers: []string{fmt.Sprintf("617555010%d", id)}}
		if err := p.TeammateUpdate(1, id, spec); err != nil {
			t.Fatal(err)
		}
		if err := p.EndpointMemberAdd(1, fr, id); err != nil {
			t.Fatal(err)
		}
	}
	return p, c, &now, fr
}

func feed(t *testing.T, p *Practice, e CallEvent) {
	t.Helper()
	if _, err := p.CallFeed(e); err != nil {
		t.Fatalf("event %+v: %v", e, err)
	}
}

func expectLine(t *testing.T, log, line string) {
	t.Helper()
	if !strings.Contains(log+"\n", line+"\n") {
		t.Fatalf("transcript lacks %q:\n%s", line, log)
	}
}

func TestCallRingScreenTransfer(t *testing.T) {
	p, c, now, _ := voiceWorld(t)
	call := ok(p.CallInbound("+12125550142", "+14155550100", "C1"))
	log := c.take()
	expectLine(t, log, "answer C1")
	expectLine(t, log, "originate L1 to=+16175550102 from=+14155550100") // V5
	feed(t, p, CallEvent{Kind: LegEarlyMedia, Leg: "L1"})                // never an answer
	if log := c.take(); log != "" {
		t.Fatalf("early media made commands: %s", log)
	}
	feed(t, p, CallEvent{Kind: LegAnswered, Leg: "L1"})
	expectLine(t, c.take(), "play L1 0 Call from 2 1 2, 5 5 5, 0 1 4 2. Press 1 to connect.")
	feed(t, p, CallEvent{Kind: LegDigits, Leg: "L1", Digits: "1"})
	expectLine(t, c.take(), "bridge C1 L1")
	ok(p.DeskPhoneAdd(1, 3, "203", "sip:203@desk.example", ""))
	feed(t, p, CallEvent{Kind: LegDigits, Leg: "L1", Digits: "*1203#"})
	expectLine(t, c.take(), "originate L3 to=sip:203@desk.example from=+14155550100")
	feed(t, p, CallEvent{Kind: LegAnswered, Leg: "L3"})
	feed(t, p, CallEvent{Kind: LegDigits, Leg: "L1", Digits: "*1"})
	expectLine(t, c.take(), "bridge C1 L3")
	*now += 60000
	feed(t, p, CallEvent{Kind: LegHangup, Leg: "C1"})
	got := ok(p.CallGet(3, call))
	if got.Phase != PhaseEnded || got.Outcome != 1 || got.TeammateID != 3 || got.EndedAt-got.AnsweredAt != 60000 {
		t.Fatalf("call %+v", got)
	}
	if _, err := p.CallFeed(CallEvent{Kind: LegAnswered, Leg: "nobody"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown leg: %v", err)
	}
}

func TestCallRoundRobinAndRingTimeouts(t *testing.T) {
	p, c, _, fr := voiceWorld(t)
	if err := p.VoiceSettingsSet(1, fr, VoiceSettings{RingMode: RingRoundRobin, RingTimeoutMs: 5000}); err != nil {
		t.Fatal(err)
	}
	if err := p.RingTimeoutSet(1, fr, "617-555-0103", 12000); err != nil {
		t.Fatal(err)
	}
	if ms := ok(p.RingTimeoutGet(2, fr, "+16175550103")); ms != 12000 {
		t.Fatalf("own timeout: %d", ms)
	}
	if ms := ok(p.RingTimeoutGet(2, fr, "+16175550102")); ms != 5000 {
		t.Fatalf("default timeout: %d", ms)
	}
	if err := p.RingTimeoutSet(3, fr, "617-555-0103", 9000); !errors.Is(err, ErrDenied) {
		t.Fatalf("T6: %v", err)
	}
	want := []string{"to=+16175550102", "to=+16175550103", "to=+16175550102"}
	for i, to := range want {
		leg := fmt.Sprintf("C%d", i+1)
		ok(p.CallInbound("+12125550142", front, leg))
		log := c.take()
		if strings.Count(log, "originate") != 1 || !strings.Contains(log, to+" ") {
			t.Fatalf("call %d should ring %s first, alone:\n%s", i+1, to, log)
		}
		feed(t, p, CallEvent{Kind: LegHangup, Leg: leg})
		c.take()
	}
}

func TestCallVoicemailOutboundTree(t *testing.T) {
	p, c, _, fr := voiceWorld(t)
	if err := p.VoiceSettingsSet(1, fr, VoiceSettings{Greeting: "Leave a message.", VoicemailMaxMs: 30000}); err != nil {
		t.Fatal(err)
	}
	call := ok(p.CallInbound("+442079460958", "+14155550100", "C1")) // V11
	feed(t, p, CallEvent{Kind: LegFailed, Leg: "L1", Reason: FailedBusy})
	feed(t, p, CallEvent{Kind: LegFailed, Leg: "L2", Reason: FailedNoAnswer})
	expectLine(t, c.take(), "play C1 0 Leave a message.")
	feed(t, p, CallEvent{Kind: LegPlayed, Leg: "C1"})
	expectLine(t, c.take(), "record C1 30000")
	feed(t, p, CallEvent{Kind: LegRecorded, Leg: "C1", MediaRef: "https://media.example/vm.wav", DurationMs: 9000})
	got := ok(p.CallGet(2, call))
	if !got.UnknownCaller || got.VoicemailItem == 0 {
		t.Fatalf("voicemail %+v", got)
	}
	// The voicemail item leads back to its call (issue 24).
	if back, err := p.ItemCall(2, got.VoicemailItem); err != nil || back != call {
		t.Fatalf("item to call: %d %v", back, err)
	}
	if _, err := p.ItemCall(2, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no such item: %v", err)
	}
	if err := p.VoicemailTranscript(2, "C1", "Call me back"); err != nil {
		t.Fatal(err)
	}

	if _, err := p.CallDial(2, fr, "988", "", 0); !errors.Is(err, ErrEmergency) { // V10
		t.Fatalf("988: %v", err)
	}
	out := ok(p.CallDial(2, fr, "(212) 555-0142", "", 0))
	feed(t, p, CallEvent{Kind: LegAnswered, Leg: "L3"})
	expectLine(t, c.take(), "originate L4 to=+12125550142 from=+14155550100") // V1
	feed(t, p, CallEvent{Kind: LegAnswered, Leg: "L4"})
	if _, err := p.CallFeed(CallEvent{Kind: LegDigits, Leg: "L3", Digits: "*"}); !errors.Is(err, ErrTransfer) {
		t.Fatalf("outbound transfer: %v", err)
	}
	if got := ok(p.CallGet(2, out)); got.Phase != PhaseConnected || got.Origin != OriginClick {
		t.Fatalf("outbound %+v", got)
	}
	if err := p.AccessPoolSet(1, []string{"6175550181"}, 60000); err != nil {
		t.Fatal(err)
	}
	a := ok(p.CallReserve(3, fr, "2125550142", ""))
	if a.Number != "+16175550181" || a.FromPhone != "+16175550103" {
		t.Fatalf("access %+v", a)
	}
	if _, err := p.CallReserve(3, fr, "2125550142", ""); !errors.Is(err, ErrLimit) {
		t.Fatalf("pool used up: %v", err)
	}

	if _, err := p.TreeSave(1, 0, "Broken", []TreeNode{{Prompt: "Press 1",
		Branches: []TreeBranch{{Key: '1', Route: RouteMenu, Target: 3}}}}); !errors.Is(err, ErrTree) {
		t.Fatalf("dangling branch: %v", err)
	}
	tree := ok(p.TreeSave(1, 0, "Main", []TreeNode{{Prompt: "For a message press 1.",
		Branches: []TreeBranch{{Key: '1', Route: RouteVoicemail}, {Key: '2', Route: RouteTeammate, Target: 2, AutoAssign: true}}}}))
	node := ok(p.TreeNodeGet(2, tree, 0))
	if len(node.Branches) != 2 || node.Branches[1] != (TreeBranch{'2', RouteTeammate, 2, true}) {
		t.Fatalf("node %+v", node)
	}
	if err := p.VoiceSettingsSet(1, fr, VoiceSettings{TreeID: tree}); err != nil {
		t.Fatal(err)
	}
	if s := ok(p.VoiceSettingsGet(2, fr)); s.TreeID != tree || s.RingTimeoutMs != 20000 {
		t.Fatalf("settings %+v", s)
	}
	menu := ok(p.CallInbound("+12125550142", "+14155550100", "C9"))
	expectLine(t, c.take(), "play C9 0 For a message press 1.")
	feed(t, p, CallEvent{Kind: LegDigits, Leg: "C9", Digits: "2"})
	expectLine(t, c.take(), "originate L5 to=+16175550102 from=+14155550100")
	if got := ok(p.CallGet(2, menu)); got.Phase != PhaseRinging {
		t.Fatalf("tree %+v", got)
	}
}
