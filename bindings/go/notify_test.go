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

func TestChats(t *testing.T) {
	p, _, _ := teamWorld(t)
	var heard []Alert
	if err := p.NotifySet(func(a Alert) { heard = append(heard, a) }); err != nil {
		t.Fatal(err)
	}
	chat := ok(p.ChatDirect(1, []int64{2, 2}))
	if again := ok(p.ChatDirect(2, []int64{1})); again != chat {
		t.Fatal("the same set finds the same chat")
	}
	first := ok(p.ChatPost(1, chat, "Room 4 needs you", "k1"))
	if again := ok(p.ChatPost(1, chat, "Room 4 needs you", "k1")); again != first {
		t.Fatal("a key writes once")
	}
	if msgs := ok(p.ChatMessages(2, chat, 0, 10)); len(msgs) != 1 || msgs[0].Text != "Room 4 needs you" || msgs[0].Author != 1 {
		t.Fatalf("messages: %+v", msgs)
	}
	if a := heard[len(heard)-1]; a.Kind != NoticeChatMessage || a.ConversationID != chat || a.MailboxKind != NoticeNoMailbox ||
		!reflect.DeepEqual(a.Teammates, []int64{2}) {
		t.Fatalf("the other member is alerted: %+v", a)
	}
	if list := ok(p.ChatList(2, 0, 10)); len(list) != 1 || list[0].Unread != 1 || list[0].Kind != ChatDirect {
		t.Fatalf("list: %+v", list)
	}
	if err := p.ChatMarkRead(2, chat); err != nil {
		t.Fatal(err)
	}
	if list := ok(p.ChatList(2, 0, 10)); list[0].Unread != 0 {
		t.Fatalf("read: %+v", list)
	}
	if m := ok(p.ChatMembers(2, chat)); !reflect.DeepEqual(m, []int64{1, 2}) {
		t.Fatalf("members: %v", m)
	}
	if _, err := p.ChatMessages(3, chat, 0, 10); !errors.Is(err, ErrDenied) {
		t.Fatalf("not a member: %v", err)
	}
	team := ok(p.TeamCreate(1, "Nurses"))
	if err := p.TeamMemberAdd(1, team, 3); err != nil {
		t.Fatal(err)
	}
	nurses := ok(p.ChatTeam(3, team))
	ok(p.ChatPost(3, nurses, "who has room 4?", ""))
	if _, err := p.ChatTeam(1, team); !errors.Is(err, ErrDenied) {
		t.Fatalf("only the team's members: %v", err)
	}
}
