package switchboard

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// teamWorld is a practice of six teammates (1 the admin) and two numbers.
func teamWorld(t *testing.T) (*Practice, int64, int64) {
	p := mustOpen(t, storePath(t), &Options{Clock: fixedClock(1000), Carrier: &recordingCarrier{}})
	staff(t, p, 6)
	fr := ok(p.BusinessNumberCreate(1, front, "Front desk"))
	bi := ok(p.BusinessNumberCreate(1, billing, "Billing"))
	return p, fr, bi
}

func textIn(t *testing.T, p *Practice, from, to, cid string) Delivery {
	t.Helper()
	d, err := p.SMSReceive(InboundSMS{From: from, To: to, Body: "hello", CarrierID: cid})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSignIn(t *testing.T) {
	p, _, _ := teamWorld(t)
	if err := p.TeammateUpdate(1, 2, TeammateSpec{Name: "Ana", LoginPhone: "415-555-0142"}); err != nil {
		t.Fatal(err)
	}
	if err := p.TeammatePasswordSet(2, 2, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if id := ok(p.TeammateSignIn("(415) 555-0142", "correct horse battery")); id != 2 {
		t.Fatalf("signed in as %d", id)
	}
	if _, err := p.TeammateSignIn("4155550142", "hunter2 guess"); !errors.Is(err, ErrDenied) ||
		!strings.Contains(err.Error(), "wrong login phone or password") {
		t.Fatalf("wrong password: %v", err)
	}
	if err := p.TeammatePasswordSet(3, 2, "ben sets ana's"); !errors.Is(err, ErrDenied) {
		t.Fatalf("admins only: %v", err)
	}
	if err := p.TeammatePasswordSet(2, 2, "short"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("too short: %v", err)
	}
	if _, err := p.TeammateSignIn("4155550142", "nul\x00byte"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("NUL: %v", err)
	}
	for i := 0; i < 3; i++ {
		_, _ = p.TeammateSignIn("4155550142", "hunter2 guess")
	}
	if _, err := p.TeammateSignIn("4155550142", "hunter2 guess"); !errors.Is(err, ErrLimit) {
		t.Fatalf("the fifth wrong one locks: %v", err)
	}
	if _, err := p.TeammateSignIn("4155550142", "correct horse battery"); !errors.Is(err, ErrLimit) {
		t.Fatalf("locked: %v", err)
	}
}

func TestTeammatesTeamsAndSettings(t *testing.T) {
	p, _, _ := teamWorld(t)
	if me := ok(p.TeammateGet(2, 1)); !me.Admin || me.Status != TeammateActive || me.Name != "Teammate 1" {
		t.Fatalf("T1: the first teammate is an admin: %+v", me)
	}
	if _, err := p.TeammateAdd(2, TeammateSpec{Name: "Zed"}); !errors.Is(err, ErrDenied) {
		t.Fatalf("T1: admins only: %v", err)
	}
	if _, err := p.TeammateGet(99, 1); !errors.Is(err, ErrDenied) {
		t.Fatalf("a stranger is nobody: %v", err)
	}
	cy := ok(p.TeammateInvite(1, TeammateSpec{Name: "Cy", LoginPhone: "415-555-0110", RingNumbers: []string{"4155550111"}}))
	if _, err := p.TeammateGet(cy, cy); !errors.Is(err, ErrDenied) {
		t.Fatalf("an invitee cannot act: %v", err)
	}
	if err := p.TeammateAccept(cy); err != nil {
		t.Fatal(err)
	}
	got := ok(p.TeammateGet(cy, cy))
	if got.LoginPhone != "+14155550110" || !reflect.DeepEqual(got.RingNumbers, []string{"+14155550111"}) {
		t.Fatalf("details: %+v", got)
	}
	if err := p.TeammateUpdate(cy, cy, TeammateSpec{Name: "Cy D.", LoginPhone: "+44 20 7946 0958"}); !errors.Is(err, ErrPhone) {
		t.Fatalf("NANP only: %v", err)
	}
	if err := p.TeammateSetAdmin(1, 1, false); !errors.Is(err, ErrState) {
		t.Fatalf("T1: the last admin stays: %v", err)
	}
	if err := p.TeammateRemove(1, 2); err != nil {
		t.Fatal(err)
	}
	if n := len(ok(p.TeammateList(1, 0, 100, false))); n != 6 {
		t.Fatalf("list: %d", n)
	}
	team := ok(p.TeamCreate(1, "Front desk"))
	if _, err := p.TeamCreate(1, "FRONT desk"); !errors.Is(err, ErrConflict) {
		t.Fatalf("T2: names are unique without case: %v", err)
	}
	if _, err := p.TeamCreate(3, "Billing"); !errors.Is(err, ErrDenied) {
		t.Fatalf("teams are admins' to change: %v", err)
	}
	for _, who := range []int64{3, 4} {
		if err := p.TeamMemberAdd(1, team, who); err != nil {
			t.Fatal(err)
		}
	}
	if m := ok(p.TeamMembers(5, team, 0, 10)); !reflect.DeepEqual(m, []int64{3, 4}) {
		t.Fatalf("members: %v", m)
	}
	if ts := ok(p.TeammateTeams(5, 3, 0, 10)); !reflect.DeepEqual(ts, []int64{team}) {
		t.Fatalf("teams: %v", ts)
	}
	if err := p.TeamRename(1, team, "Reception"); err != nil {
		t.Fatal(err)
	}
	if err := p.TeamMemberRemove(1, team, 3); err != nil {
		t.Fatal(err)
	}
	if got := ok(p.TeamGet(5, team)); got.Name != "Reception" || got.MemberCount != 1 {
		t.Fatalf("team: %+v", got)
	}
	if err := p.TeamDelete(1, team); err != nil {
		t.Fatal(err)
	}
	if n := len(ok(p.TeamList(5, 0, 10))); n != 0 {
		t.Fatalf("deleted teams are not listed: %d", n)
	}
	if s := ok(p.SettingsGet(4)); !s.AssignmentOn || s.Plan != "" {
		t.Fatalf("defaults: %+v", s)
	}
	want := Settings{false, "Premium", "billing@clinic.example"}
	if err := p.SettingsSet(4, want); !errors.Is(err, ErrDenied) {
		t.Fatalf("settings are admins': %v", err)
	}
	if err := p.SettingsSet(1, want); err != nil {
		t.Fatal(err)
	}
	if s := ok(p.SettingsGet(4)); s != want {
		t.Fatalf("settings: %+v", s)
	}
	if err := p.SettingsSet(1, Settings{BillingEmail: "nope"}); !errors.Is(err, ErrEmail) {
		t.Fatalf("bad e-mail: %v", err)
	}
}

func TestAssignmentMailboxesAndTags(t *testing.T) {
	p, fr, bi := teamWorld(t)
	c := textIn(t, p, patient, front, "SM-go-1").ConversationID
	if inbox := ok(p.MailboxPage(2, MailboxInbox, 0, nil, 10)); len(inbox) != 1 || inbox[0].ConversationID != c {
		t.Fatalf("inbox: %+v", inbox)
	}
	if err := p.ConversationAssign(2, c, MailboxTeammate, 3); err != nil {
		t.Fatal(err)
	}
	mine := ok(p.MailboxPage(3, MailboxTeammate, 3, nil, 10))
	if len(mine) != 1 || !mine[0].Unread || ok(p.MailboxUnread(3, MailboxTeammate, 3)) != 1 {
		t.Fatalf("T3: assigned to 3: %+v", mine)
	}
	if rest := ok(p.MailboxPage(3, MailboxInbox, 0, &mine[0], 10)); len(rest) != 0 {
		t.Fatalf("one mailbox at a time: %+v", rest)
	}
	event := ok(p.Timeline(3, c, 0, 1))[0]
	if event.Kind != ItemEvent || ok(p.ItemEventGet(3, event.ID)) != (TimelineEvent{EventAssigned, MailboxTeammate, 3}) {
		t.Fatalf("the timeline says so: %+v", event)
	}
	if err := p.ConversationClose(3, c); err != nil {
		t.Fatal(err)
	}
	textIn(t, p, patient, front, "SM-go-2")
	if inbox := ok(p.MailboxPage(3, MailboxInbox, 0, nil, 10)); len(inbox) != 1 {
		t.Fatalf("T4: back to the inbox: %+v", inbox)
	}
	// T5 and T8: Billing belongs to teammate 4, with 5 as a member.
	if err := p.EndpointSetAutoAssign(1, bi, true); !errors.Is(err, ErrState) {
		t.Fatalf("the practice cannot auto-assign: %v", err)
	}
	if err := p.EndpointSetOwner(1, bi, OwnerTeammate, 4); err != nil {
		t.Fatal(err)
	}
	if err := p.EndpointSetAutoAssign(4, bi, true); err != nil {
		t.Fatal(err)
	}
	if err := p.EndpointMemberAdd(4, bi, 5); err != nil {
		t.Fatal(err)
	}
	if m := ok(p.EndpointMembers(6, bi, 0, 10)); !reflect.DeepEqual(m, []int64{5}) {
		t.Fatalf("members: %v", m)
	}
	d := textIn(t, p, patient, billing, "SM-go-3")
	if box := ok(p.MailboxPage(4, MailboxTeammate, 4, nil, 10)); len(box) != 1 || box[0].ConversationID != d.ConversationID {
		t.Fatalf("T5: auto-assigned: %+v", box)
	}
	if sees := ok(p.EndpointSees(6, bi)); sees {
		t.Fatal("T8: 6 is not a member")
	}
	for _, who := range []int64{6, 1} {
		if _, err := p.ConversationGet(who, d.ConversationID); !errors.Is(err, ErrDenied) {
			t.Fatalf("T8: %d may not read it: %v", who, err)
		}
		if n := len(ok(p.MailboxPage(who, MailboxTeammate, 4, nil, 10))); n != 0 {
			t.Fatalf("T8: %d sees no trace: %d", who, n)
		}
	}
	ok(p.ConversationGet(5, d.ConversationID))
	if err := p.EndpointSetLabel(5, bi, "Mine"); !errors.Is(err, ErrDenied) {
		t.Fatalf("T6: a member is not the owner: %v", err)
	}
	if err := p.EndpointMemberRemove(4, bi, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConversationGet(5, d.ConversationID); !errors.Is(err, ErrDenied) {
		t.Fatalf("T8: membership ends at once: %v", err)
	}
	// T7: tags.
	if err := p.TagAdd(4, TagsOfConversation, d.ConversationID, "Insurance"); err != nil {
		t.Fatal(err)
	}
	if err := p.TagAdd(6, TagsOfConversation, d.ConversationID, "Nosy"); !errors.Is(err, ErrDenied) {
		t.Fatalf("T8 holds for tags: %v", err)
	}
	if err := p.TagAdd(1, TagsOfEndpointContacts, fr, "New patient"); err != nil {
		t.Fatal(err)
	}
	e := textIn(t, p, "+14155550177", front, "SM-go-4")
	if tags := ok(p.TagsOf(2, TagsOfContact, e.ContactID)); len(tags) != 1 || tags[0].Name != "New patient" {
		t.Fatalf("T7: applied through the endpoint: %+v", tags)
	}
	if err := p.TagRemove(2, TagsOfContact, e.ContactID, "NEW PATIENT"); err != nil {
		t.Fatal(err)
	}
	if err := p.TagRemove(2, TagsOfContact, e.ContactID, "New patient"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed already: %v", err)
	}
	if tags := ok(p.TagList(2, TagConversation, 0, 10)); len(tags) != 1 || tags[0].Kind != TagConversation {
		t.Fatalf("tag list: %+v", tags)
	}
}
