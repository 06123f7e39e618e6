package switchboard

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// countingCarrier gives each text its own id and can be made to refuse.
type countingCarrier struct {
	recordingCarrier
	refuse bool
}

func (c *countingCarrier) SendSMS(m SMS) (string, error) {
	if c.refuse {
		return "", errors.New("carrier unreachable")
	}
	c.sent = append(c.sent, m)
	return fmt.Sprintf("SM%d", len(c.sent)), nil
}

func tagID(t *testing.T, p *Practice, kind int, name string) int64 {
	t.Helper()
	for _, tag := range ok(p.TagList(2, kind, 0, 100)) {
		if tag.Name == name {
			return tag.ID
		}
	}
	t.Fatalf("no tag %s", name)
	return 0
}

func TestFilters(t *testing.T) {
	p, _, bi := teamWorld(t)
	a := textIn(t, p, "+14155550121", front, "SM-a")
	b := textIn(t, p, "+14155550122", billing, "SM-b")
	if err := p.TagAdd(2, TagsOfConversation, a.ConversationID, "Refill"); err != nil {
		t.Fatal(err)
	}
	if err := p.ConversationAssign(2, b.ConversationID, MailboxTeammate, 3); err != nil {
		t.Fatal(err)
	}
	pick := func(actor int64, f Filter) []int64 {
		t.Helper()
		var ids []int64
		for _, e := range ok(p.FilterConversations(actor, f, nil, 50)) {
			ids = append(ids, e.ConversationID)
		}
		return ids
	}
	f := ConversationFilter()
	f.Tags = []int64{tagID(t, p, TagConversation, "Refill")}
	if got := pick(4, f); !reflect.DeepEqual(got, []int64{a.ConversationID}) {
		t.Fatalf("tags: %v", got)
	}
	mine := ConversationFilter()
	mine.Mailbox = MailboxTeammate
	if got := pick(3, mine); !reflect.DeepEqual(got, []int64{b.ConversationID}) {
		t.Fatalf("whoever runs it: %v", got)
	}
	if got := pick(4, mine); len(got) != 0 {
		t.Fatalf("not mine: %v", got)
	}
	onBilling := ConversationFilter()
	onBilling.Endpoint = bi
	if err := p.EndpointSetOwner(1, bi, OwnerTeammate, 5); err != nil {
		t.Fatal(err)
	}
	if got := pick(4, onBilling); len(got) != 0 {
		t.Fatalf("T8: %v", got)
	}
	bad := ConversationFilter()
	bad.Mailbox, bad.Status = MailboxClosed, FilterStatusOpen
	if _, err := p.FilterConversations(4, bad, nil, 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("contradiction: %v", err)
	}
	bad = ConversationFilter()
	bad.Tags = make([]int64, FilterTagsMax+1)
	if _, err := p.FilterConversations(4, bad, nil, 10); !errors.Is(err, ErrTooBig) {
		t.Fatalf("too many tags: %v", err)
	}
	// Saved filters: personal and shared; admins change anyone's (T1).
	id := ok(p.FilterSave(3, 3, "Refills", f))
	shared := ok(p.FilterSave(3, 0, "Mine", mine))
	got := ok(p.FilterGet(3, id))
	if got.Name != "Refills" || got.Owner != 3 || !reflect.DeepEqual(got.Filter, f) {
		t.Fatalf("saved: %+v", got)
	}
	if n := len(ok(p.FilterList(4, 0, 0, 10))); n != 1 {
		t.Fatalf("list: %d", n)
	}
	if _, err := p.FilterGet(4, id); !errors.Is(err, ErrDenied) {
		t.Fatalf("another's: %v", err)
	}
	if err := p.FilterUpdate(4, shared, "x", mine); !errors.Is(err, ErrDenied) {
		t.Fatalf("another's shared: %v", err)
	}
	if err := p.FilterUpdate(1, id, "Refills again", f); err != nil {
		t.Fatal(err)
	}
	if _, err := p.FilterSave(3, 3, "REFILLS AGAIN", f); !errors.Is(err, ErrConflict) {
		t.Fatalf("names: %v", err)
	}
	if err := p.FilterDelete(3, id); err != nil {
		t.Fatal(err)
	}
	if _, err := p.FilterGet(3, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
}

func TestBulkMessage(t *testing.T) {
	c := &countingCarrier{}
	p := mustOpen(t, storePath(t), &Options{Clock: fixedClock(1000), Carrier: c})
	staff(t, p, 6)
	fr := ok(p.BusinessNumberCreate(1, front, "Front desk"))
	var pats []int64
	for _, number := range []string{"4155550131", "4155550132", "4155550133"} {
		id := ok(p.ContactCreate(2, "Patient"))
		ok(p.ContactAddAddress(2, id, AddressPhone, number))
		if err := p.TagAdd(2, TagsOfContact, id, "Flu"); err != nil {
			t.Fatal(err)
		}
		pats = append(pats, id)
	}
	flu := ContactFilter()
	flu.Tags = []int64{tagID(t, p, TagContact, "Flu")}
	if ids := ok(p.FilterContacts(2, flu, 0, 10)); !reflect.DeepEqual(ids, pats) {
		t.Fatalf("contacts: %v", ids)
	}
	bulk := ok(p.BulkCreate(3, fr, "Flu shots are in", flu))
	if b := ok(p.BulkSend(3, bulk, 1)); b.Queued != 1 || b.Pending != 2 {
		t.Fatalf("paced: %+v", b)
	}
	c.refuse = true
	b, err := p.BulkSend(3, bulk, 1)
	var cbErr *CallbackError
	if !errors.As(err, &cbErr) || b.Failed != 1 {
		t.Fatalf("the carrier's error comes back: %v", err)
	}
	c.refuse = false
	b = ok(p.BulkSend(3, bulk, 10))
	if b.Pending != 0 || b.Queued != 2 || b.Failed != 1 || len(c.sent) != 2 {
		t.Fatalf("partial failure: %+v, %d sent", b, len(c.sent))
	}
	b = ok(p.BulkRetry(3, bulk, 10))
	if b.Failed != 0 || b.Queued != 3 || len(c.sent) != 3 {
		t.Fatalf("retried: %+v", b)
	}
	ok(p.BulkSend(3, bulk, 10))
	if len(c.sent) != 3 {
		t.Fatalf("a second copy went: %d", len(c.sent))
	}
	rs := ok(p.BulkRecipients(3, bulk, 0, 10))
	if len(rs) != 3 || rs[0].ContactID != pats[0] || rs[2].State != BulkStored || rs[0].ConversationID == rs[1].ConversationID {
		t.Fatalf("recipients: %+v", rs)
	}
	if list := ok(p.BulkList(3, 0, 10)); len(list) != 1 || list[0].ID != bulk {
		t.Fatalf("list: %+v", list)
	}
	none := ContactFilter()
	none.Account = FilterHasAccount
	if _, err := p.BulkCreate(3, fr, "x", none); !errors.Is(err, ErrState) {
		t.Fatalf("nobody: %v", err)
	}
	if err := p.EndpointSetOwner(1, fr, OwnerTeammate, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := p.BulkGet(3, bulk); !errors.Is(err, ErrDenied) {
		t.Fatalf("T8: %v", err)
	}
}
