package switchboard

import (
	"errors"
	"reflect"
	"testing"
)

func TestAlerts(t *testing.T) {
	p, _, _ := teamWorld(t)
	var heard []Alert
	if err := p.NotifySet(func(a Alert) { heard = append(heard, a) }); err != nil {
		t.Fatal(err)
	}
	if err := p.NotifyPrefsSet(3, 3, NotifyPrefs{Messages: NotifyOff}); err != nil {
		t.Fatal(err)
	}
	if err := p.NotifyPrefsSet(1, 4, NotifyPrefs{Messages: NotifyMine}); err != nil {
		t.Fatalf("an admin sets a teammate's: %v", err)
	}
	if got := ok(p.NotifyPrefsGet(4, 4)); got != (NotifyPrefs{Messages: NotifyMine}) {
		t.Fatalf("prefs: %+v", got)
	}
	if err := p.NotifyPrefsSet(3, 4, NotifyPrefs{}); !errors.Is(err, ErrDenied) {
		t.Fatalf("T1: %v", err)
	}
	if err := p.NotifyPrefsSet(3, 3, NotifyPrefs{Voicemails: 9}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a bad level: %v", err)
	}
	d := textIn(t, p, "+14155550123", front, "SM-a1")
	want := []Alert{{NoticeMessage, d.ConversationID, d.ItemID, MailboxInbox, 0, []int64{1, 2, 5, 6}}}
	if !reflect.DeepEqual(heard, want) {
		t.Fatalf("whom to alert: %+v", heard)
	}
	textIn(t, p, "+14155550123", front, "SM-a1") // a redelivery alerts nobody
	if err := p.NotifySet(func(Alert) { panic("host bug") }); err != nil {
		t.Fatal(err)
	}
	if d := textIn(t, p, "+14155550123", front, "SM-a2"); d.Duplicate {
		t.Fatal("a panicking callback leaves the text stored")
	}
	if err := p.NotifySet(nil); err != nil {
		t.Fatal(err)
	}
	textIn(t, p, "+14155550123", front, "SM-a3")
	if len(heard) != 1 {
		t.Fatalf("alerts after the stop: %d", len(heard))
	}
}
