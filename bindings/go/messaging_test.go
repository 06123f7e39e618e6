package switchboard

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

const (
	front   = "+14155550100"
	billing = "+14155550101"
	patient = "+14155550123"
)

// flakyCarrier fails its first send, then accepts with SM-<n>.
type flakyCarrier struct{ sent []SMS }

func (c *flakyCarrier) SendSMS(m SMS) (string, error) {
	c.sent = append(c.sent, m)
	if len(c.sent) == 1 {
		return "", errors.New("carrier unreachable")
	}
	return "SM-" + string(rune('0'+len(c.sent))), nil
}

// ok returns v, or panics (failing the test with its stack) on err.
func ok[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestConversationsAndTexts(t *testing.T) {
	path := storePath(t)
	carrier := &flakyCarrier{}
	p := mustOpen(t, path, &Options{Key: bytes.Repeat([]byte{7}, KeyBytes), Clock: fixedClock(5000), Carrier: carrier})
	staff(t, p, 12)
	fr := ok(p.BusinessNumberCreate(1, front, "Front"))
	ok(p.BusinessNumberCreate(1, billing, "Billing"))
	d := ok(p.SMSReceive(InboundSMS{From: "(415) 555-0123", To: front, Body: "hi 👋", CarrierID: "SM-in-1"}))
	if !d.NewConversation || !d.NewContact {
		t.Fatalf("first text: %+v", d)
	}
	again := ok(p.SMSReceive(InboundSMS{From: patient, To: front, Body: "changed", CarrierID: "SM-in-1"}))
	if !again.Duplicate || again.ItemID != d.ItemID {
		t.Fatalf("redelivery: %+v", again)
	}
	other := ok(p.SMSReceive(InboundSMS{From: patient, To: billing, Body: "billing?", CarrierID: "SM-in-2"}))
	if other.ConversationID == d.ConversationID {
		t.Fatal("C2: two numbers, two conversations")
	}
	if id := ok(p.ConversationStart(1, fr, "415-555-0123")); id != d.ConversationID {
		t.Fatal("C3: the pair's conversation is reused")
	}
	c := ok(p.ConversationGet(1, d.ConversationID))
	if c.BusinessNumber != front || c.External != patient || !c.Unread || c.ContactID != d.ContactID {
		t.Fatalf("conversation: %+v", c)
	}
	if n := ok(p.ConversationUnreadCount(1)); n != 2 {
		t.Fatalf("unread %d", n)
	}
	if err := p.ConversationMarkRead(1, d.ConversationID); err != nil {
		t.Fatal(err)
	}
	if n := ok(p.ConversationUnreadCount(1)); n != 1 {
		t.Fatalf("unread after reading %d", n)
	}
	// The carrier fails once: the message stays stored, the same key sends it.
	out := OutboundSMS{Conversation: d.ConversationID, Body: "See you at 3", IdempotencyKey: "k1"}
	if _, err := p.SMSSend(1, out); !errors.Is(err, ErrCallback) {
		t.Fatalf("carrier failure: %v", err)
	}
	sent := ok(p.SMSSend(1, out))
	if sent.Status != StatusQueued || sent.CarrierID != "SM-2" || sent.Segments != 1 {
		t.Fatalf("sent: %+v", sent)
	}
	if applied := ok(p.SMSStatus("SM-2", StatusDelivered, "")); !applied {
		t.Fatal("delivered report not applied")
	}
	if applied := ok(p.SMSStatus("SM-2", StatusSent, "")); applied {
		t.Fatal("late report applied")
	}
	if _, err := p.SMSSend(1, OutboundSMS{Endpoint: fr, To: "+442071838750", Body: "hi"}); !errors.Is(err, ErrPhone) {
		t.Fatalf("C14: %v", err)
	}
	if _, err := p.SMSReceive(InboundSMS{From: patient, To: "+14155550109", Body: "x", CarrierID: "X"}); !errors.Is(err, ErrRoute) {
		t.Fatalf("not ours: %v", err)
	}
	if _, err := p.SMSRetry(1, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("retry unknown: %v", err)
	}
	// Timeline.
	ok(p.NoteAdd(2, d.ConversationID, "checked the chart"))
	ok(p.CallItemRecord(0, CallItem{Kind: ItemVoicemail, Direction: DirectionInbound, BusinessNumber: front,
		External: patient, DurationMS: 9000, MediaRef: "https://m/vm1", Transcript: "call me", CarrierID: "CA1"}))
	items := ok(p.Timeline(1, d.ConversationID, 0, 10))
	if len(items) != 4 || items[0].Kind != ItemVoicemail || items[0].Text != "call me" || items[1].Kind != ItemNote {
		t.Fatalf("timeline: %+v", items)
	}
	older := ok(p.Timeline(1, d.ConversationID, items[1].ID, 10))
	if len(older) != 2 || older[0].Text != "See you at 3" || older[1].Text != "hi 👋" {
		t.Fatalf("older: %+v", older)
	}
	if it := ok(p.ItemGet(1, sent.ItemID)); it.Status != StatusDelivered {
		t.Fatalf("item: %+v", it)
	}
	// The card, regarding, attach, merge.
	jane := ok(p.ContactCreate(1, "Jane Roe"))
	if err := p.ConversationRegardingAdd(1, other.ConversationID, jane); err != nil {
		t.Fatal(err)
	}
	if ids := ok(p.ConversationRegarding(1, other.ConversationID)); len(ids) != 1 || ids[0] != jane {
		t.Fatalf("regarding: %v", ids)
	}
	if card := ok(p.ContactConversations(1, jane, 0, 10)); len(card) != 1 || !card[0].Regarding {
		t.Fatalf("card: %+v", card)
	}
	if err := p.ConversationRegardingRemove(1, other.ConversationID, jane); err != nil {
		t.Fatal(err)
	}
	if err := p.ConversationAttach(1, d.ConversationID, jane); err != nil {
		t.Fatal(err)
	}
	sam := ok(p.ContactCreate(1, "Sam"))
	if err := p.ContactMerge(1, sam, jane); err != nil {
		t.Fatal(err)
	}
	if card := ok(p.ContactConversations(1, sam, 0, 10)); len(card) != 2 {
		t.Fatalf("merged card: %+v", card)
	}
	// Close, reopen, delete.
	if err := p.ConversationClose(1, other.ConversationID); err != nil {
		t.Fatal(err)
	}
	if err := p.ConversationReopen(1, other.ConversationID); err != nil {
		t.Fatal(err)
	}
	if err := p.ConversationDelete(1, other.ConversationID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConversationGet(1, other.ConversationID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	p.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("See you at 3")) {
		t.Fatal("body stored in the clear")
	}
}

func TestAttachmentsAndLibrary(t *testing.T) {
	p := mustOpen(t, storePath(t), &Options{Carrier: &recordingCarrier{}})
	staff(t, p, 12)
	defer p.Close()
	fr := ok(p.BusinessNumberCreate(1, front, "Front"))
	d := ok(p.SMSReceive(InboundSMS{From: patient, To: front, CarrierID: "MM1", Media: []AttachmentSpec{
		{ContentType: "image/png", FileName: "rash.png", Data: []byte{0x89, 'P', 0, 1}},
		{ContentType: "image/jpeg", FileName: "leg.jpg", MediaRef: "https://m/1", Size: 9}}}))
	atts := ok(p.ItemAttachments(1, d.ItemID))
	if len(atts) != 2 || !atts[0].HasData || atts[1].MediaRef != "https://m/1" {
		t.Fatalf("attachments: %+v", atts)
	}
	if b := ok(p.AttachmentRead(1, atts[0].ID)); !bytes.Equal(b, []byte{0x89, 'P', 0, 1}) {
		t.Fatalf("bytes: %v", b)
	}
	if _, err := p.AttachmentRead(1, atts[1].ID); !errors.Is(err, ErrState) {
		t.Fatalf("reference: %v", err)
	}
	form := ok(p.LibraryAdd(1, AttachmentSpec{ContentType: "application/pdf", FileName: "form.pdf", Data: []byte("%PDF")}))
	if docs := ok(p.LibraryList(1, 0, 10)); len(docs) != 1 || docs[0].ID != form {
		t.Fatalf("library: %+v", docs)
	}
	s := ok(p.SMSSend(1, OutboundSMS{Endpoint: fr, To: patient, Body: "please fill in", Library: []int64{form}}))
	if a := ok(p.ItemAttachments(1, s.ItemID)); len(a) != 1 || a[0].FileName != "form.pdf" {
		t.Fatalf("sent attachments: %+v", a)
	}
	if err := p.LibraryRemove(1, form); err != nil {
		t.Fatal(err)
	}
	if _, err := p.LibraryAdd(1, AttachmentSpec{ContentType: "pdf", FileName: "x", Data: []byte("x")}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad type: %v", err)
	}
	if _, err := p.CallItemRecord(0, CallItem{Kind: 9, Direction: DirectionInbound, BusinessNumber: front, External: patient}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad kind: %v", err)
	}
	if n, enc, _ := SMSSegments(strings.Repeat("a", 161)); n != 2 || enc != SMSEncodingGSM7 {
		t.Fatalf("segments %d %d", n, enc)
	}
	if n, enc, _ := SMSSegments(strings.Repeat("😀", 36)); n != 2 || enc != SMSEncodingUCS2 {
		t.Fatalf("emoji segments %d %d", n, enc)
	}
	if _, _, err := SMSSegments("\xc3\x28"); !errors.Is(err, ErrUTF8) {
		t.Fatalf("bad utf-8: %v", err)
	}
}
