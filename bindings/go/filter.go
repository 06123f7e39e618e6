package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "fmt"

// Filter kinds and criteria (filter.h), and bulk recipient states (bulk.h).
const (
	FilterConversations = int(C.SB_FILTER_CONVERSATIONS)
	FilterContacts      = int(C.SB_FILTER_CONTACTS)
	FilterAnyMailbox    = int(C.SB_FILTER_ANY_MAILBOX)

	FilterStatusAny    = int(C.SB_FILTER_STATUS_ANY)
	FilterStatusOpen   = int(C.SB_FILTER_STATUS_OPEN)
	FilterStatusClosed = int(C.SB_FILTER_STATUS_CLOSED)

	FilterInvitationAny      = int(C.SB_FILTER_INVITATION_ANY)
	FilterNeverInvited       = int(C.SB_FILTER_NEVER_INVITED)
	FilterInvitedNotAccepted = int(C.SB_FILTER_INVITED_NOT_ACCEPTED)
	FilterInvitationAccepted = int(C.SB_FILTER_INVITATION_ACCEPTED)

	FilterAccountAny = int(C.SB_FILTER_ACCOUNT_ANY)
	FilterHasAccount = int(C.SB_FILTER_HAS_ACCOUNT)
	FilterNoAccount  = int(C.SB_FILTER_NO_ACCOUNT)

	FilterTagsAll = int(C.SB_FILTER_TAGS_ALL)
	FilterTagsAny = int(C.SB_FILTER_TAGS_ANY)

	FilterTagsMax  = int(C.SB_FILTER_TAGS_MAX)
	FilterPageMax  = int(C.SB_FILTER_PAGE_MAX)
	BulkPageMax    = int(C.SB_BULK_PAGE_MAX)
	OutboxStaleMS  = int64(C.SB_OUTBOX_STALE_MS)
	BulkPending    = int(C.SB_BULK_PENDING)
	BulkSkipped    = int(C.SB_BULK_SKIPPED)
	BulkStored     = int(C.SB_BULK_STORED)
	BulkRecipients = int(C.SB_BULK_RECIPIENTS_MAX)
)

// Filter is a filter's criteria (T9). Start from ConversationFilter() or
// ContactFilter(): their "any" values are not all zero (mailbox 0 is the inbox).
type Filter struct {
	Kind             int   // FilterConversations or FilterContacts
	Mailbox          int   // FilterAnyMailbox, or MailboxInbox, MailboxTeammate, MailboxTeam, MailboxClosed
	MailboxOwner     int64 // that teammate or team; 0 with MailboxTeammate: whoever runs the filter
	Endpoint         int64 // 0: any
	ConversationKind int   // 0: any
	Unread           bool  // only unread conversations
	Status           int   // FilterStatusAny, FilterStatusOpen or FilterStatusClosed
	Invitation       int   // FilterInvitationAny, FilterNeverInvited, FilterInvitedNotAccepted, FilterInvitationAccepted
	Account          int   // FilterAccountAny, FilterHasAccount or FilterNoAccount
	TagMatch         int   // FilterTagsAll or FilterTagsAny
	Tags             []int64
}

// ConversationFilter is a conversation filter that picks everything.
func ConversationFilter() Filter { return Filter{Kind: FilterConversations, Mailbox: FilterAnyMailbox} }

// ContactFilter is a contact filter that picks everything.
func ContactFilter() Filter { return Filter{Kind: FilterContacts, Mailbox: FilterAnyMailbox} }

func cFilter(f Filter) (C.sb_filter, error) {
	var c C.sb_filter
	C.sb_filter_init(&c, C.int(f.Kind))
	if len(f.Tags) > FilterTagsMax {
		return c, &Error{Code: ErrTooBig.Code, Detail: fmt.Sprintf("a filter names at most %d tags", FilterTagsMax)}
	}
	c.kind = C.int(f.Kind)
	c.mailbox = C.int(f.Mailbox)
	c.mailbox_owner = C.sb_id(f.MailboxOwner)
	c.endpoint = C.sb_id(f.Endpoint)
	c.conversation_kind = C.int(f.ConversationKind)
	if f.Unread {
		c.unread = 1
	}
	c.status = C.int(f.Status)
	c.invitation = C.int(f.Invitation)
	c.account = C.int(f.Account)
	c.tag_match = C.int(f.TagMatch)
	c.tag_count = C.size_t(len(f.Tags))
	for i, t := range f.Tags {
		c.tags[i] = C.sb_id(t)
	}
	return c, nil
}

func goFilter(c *C.sb_filter) Filter {
	f := Filter{int(c.kind), int(c.mailbox), int64(c.mailbox_owner), int64(c.endpoint), int(c.conversation_kind),
		c.unread != 0, int(c.status), int(c.invitation), int(c.account), int(c.tag_match), nil}
	for i := 0; i < int(c.tag_count); i++ {
		f.Tags = append(f.Tags, int64(c.tags[i]))
	}
	return f
}

// SavedFilter is a filter saved for a teammate, or shared (Owner 0).
type SavedFilter struct {
	ID, Owner, CreatedBy int64
	Name                 string
	CreatedAt, UpdatedAt int64
	Filter               Filter
}

func goSavedFilter(s *C.sb_saved_filter) SavedFilter {
	return SavedFilter{int64(s.id), int64(s.owner), int64(s.created_by), C.GoString(&s.name[0]), int64(s.created_at),
		int64(s.updated_at), goFilter(&s.filter)}
}

func pageLimit(limit, most int) error {
	if limit < 1 || limit > most {
		return &Error{Code: int(C.SB_EINVAL), Detail: fmt.Sprintf("limit must be 1..%d", most)}
	}
	return nil
}

// FilterConversations is a page of the conversations a filter picks that the
// actor sees, newest activity first; pass the previous page's last entry as before.
func (p *Practice) FilterConversations(actor int64, f Filter, before *MailboxEntry, limit int) ([]MailboxEntry, error) {
	c, err := cFilter(f)
	if err == nil {
		err = pageLimit(limit, FilterPageMax)
	}
	if err != nil {
		return nil, err
	}
	var at, id int64
	if before != nil {
		at, id = before.LastItemAt, before.ConversationID
	}
	buf := make([]C.sb_mailbox_entry, limit)
	var n C.size_t
	err = p.call(func(cp *C.sb_practice) C.int {
		return C.sb_filter_conversations(&buf[0], &n, cp, C.sb_id(actor), &c, C.int64_t(at), C.sb_id(id), C.size_t(limit))
	})
	out := make([]MailboxEntry, int(n))
	for i := range out {
		e := &buf[i]
		out[i] = MailboxEntry{int64(e.conversation_id), int64(e.endpoint_id), int(e.conversation_kind),
			int64(e.last_item_at), e.unread != 0, e.unread_by_actor != 0}
	}
	return out, err
}

// FilterContacts is a page of the ids of the contacts a contact filter picks, in id order.
func (p *Practice) FilterContacts(actor int64, f Filter, afterID int64, limit int) ([]int64, error) {
	c, err := cFilter(f)
	if err == nil {
		err = pageLimit(limit, FilterPageMax)
	}
	if err != nil {
		return nil, err
	}
	buf := make([]C.sb_id, limit)
	var n C.size_t
	err = p.call(func(cp *C.sb_practice) C.int {
		return C.sb_filter_contacts(&buf[0], &n, cp, C.sb_id(actor), &c, C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]int64, int(n))
	for i := range out {
		out[i] = int64(buf[i])
	}
	return out, err
}

// FilterSave saves a filter for a teammate (owner), or shared with the practice (owner 0).
func (p *Practice) FilterSave(actor, owner int64, name string, f Filter) (int64, error) {
	var id C.sb_id
	c, err := cFilter(f)
	if err != nil {
		return 0, err
	}
	err = withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_filter_save(&id, cp, C.sb_id(actor), C.sb_id(owner), cs[0], &c)
		})
	})
	return int64(id), err
}

// FilterUpdate replaces a saved filter's name and criteria.
func (p *Practice) FilterUpdate(actor, filter int64, name string, f Filter) error {
	c, err := cFilter(f)
	if err != nil {
		return err
	}
	return withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_filter_update(cp, C.sb_id(actor), C.sb_id(filter), cs[0], &c)
		})
	})
}

// FilterDelete deletes a saved filter.
func (p *Practice) FilterDelete(actor, filter int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_filter_delete(cp, C.sb_id(actor), C.sb_id(filter)) })
}

// FilterGet reads a saved filter.
func (p *Practice) FilterGet(actor, filter int64) (SavedFilter, error) {
	var s C.sb_saved_filter
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_filter_get(&s, cp, C.sb_id(actor), C.sb_id(filter)) })
	return goSavedFilter(&s), err
}

// FilterList is a page of the shared filters and a teammate's own (0: the actor's).
func (p *Practice) FilterList(actor, teammate, afterID int64, limit int) ([]SavedFilter, error) {
	if err := pageLimit(limit, FilterPageMax); err != nil {
		return nil, err
	}
	buf := make([]C.sb_saved_filter, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_filter_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(teammate), C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]SavedFilter, int(n))
	for i := range out {
		out[i] = goSavedFilter(&buf[i])
	}
	return out, err
}

// Bulk is a bulk message and how its copies stand (T10).
type Bulk struct {
	ID, EndpointID, CreatedBy, CreatedAt                                       int64
	Recipients, Pending, Skipped, Queued, Sent, Delivered, Undelivered, Failed int
}

// BulkRecipient is one recipient of a bulk message.
type BulkRecipient struct {
	ContactID      int64
	State          int // BulkPending, BulkSkipped or BulkStored
	ConversationID int64
	ItemID         int64
	Status         int // the copy's message status, once stored
}

func goBulk(b *C.sb_bulk) Bulk {
	return Bulk{int64(b.id), int64(b.endpoint_id), int64(b.created_by), int64(b.created_at), int(b.recipients),
		int(b.pending), int(b.skipped), int(b.queued), int(b.sent), int(b.delivered), int(b.undelivered), int(b.failed)}
}

// BulkCreate stores a text for every contact a contact filter picks now; it sends nothing.
func (p *Practice) BulkCreate(actor, endpoint int64, body string, contacts Filter) (int64, error) {
	var id C.sb_id
	c, err := cFilter(contacts)
	if err != nil {
		return 0, err
	}
	err = withTexts([]string{"body"}, []string{body}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_bulk_create(&id, cp, C.sb_id(actor), C.sb_id(endpoint), cs[0], &c)
		})
	})
	return int64(id), err
}

func (p *Practice) bulkStep(step func(*C.sb_bulk, *C.sb_practice) C.int, limit int) (Bulk, error) {
	if err := pageLimit(limit, BulkPageMax); err != nil {
		return Bulk{}, err
	}
	var b C.sb_bulk
	err := p.call(func(cp *C.sb_practice) C.int { return step(&b, cp) })
	return goBulk(&b), err
}

// BulkSend sends up to limit copies not sent yet and reports how the bulk
// stands; call it again until Pending is 0. A carrier error is returned after
// the step (the refused copies are stored as failed and counted).
func (p *Practice) BulkSend(actor, bulk int64, limit int) (Bulk, error) {
	return p.bulkStep(func(b *C.sb_bulk, cp *C.sb_practice) C.int {
		return C.sb_bulk_send(b, cp, C.sb_id(actor), C.sb_id(bulk), C.size_t(limit))
	}, limit)
}

// BulkRetry sends again up to limit copies the carrier refused (or stale ones), under their keys.
func (p *Practice) BulkRetry(actor, bulk int64, limit int) (Bulk, error) {
	return p.bulkStep(func(b *C.sb_bulk, cp *C.sb_practice) C.int {
		return C.sb_bulk_retry(b, cp, C.sb_id(actor), C.sb_id(bulk), C.size_t(limit))
	}, limit)
}

// BulkGet reports how a bulk message stands.
func (p *Practice) BulkGet(actor, bulk int64) (Bulk, error) {
	var b C.sb_bulk
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_bulk_get(&b, cp, C.sb_id(actor), C.sb_id(bulk)) })
	return goBulk(&b), err
}

// BulkRecipients is a page of a bulk message's recipients, in contact order.
func (p *Practice) BulkRecipients(actor, bulk, afterContact int64, limit int) ([]BulkRecipient, error) {
	if err := pageLimit(limit, BulkPageMax); err != nil {
		return nil, err
	}
	buf := make([]C.sb_bulk_recipient, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_bulk_recipients(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(bulk), C.sb_id(afterContact), C.size_t(limit))
	})
	out := make([]BulkRecipient, int(n))
	for i := range out {
		r := &buf[i]
		out[i] = BulkRecipient{int64(r.contact_id), int(r.state), int64(r.conversation_id), int64(r.item_id), int(r.status)}
	}
	return out, err
}

// BulkList is a page of the bulk messages from numbers the actor sees, newest first.
func (p *Practice) BulkList(actor, beforeID int64, limit int) ([]Bulk, error) {
	if err := pageLimit(limit, BulkPageMax); err != nil {
		return nil, err
	}
	buf := make([]C.sb_bulk, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_bulk_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(beforeID), C.size_t(limit))
	})
	out := make([]Bulk, int(n))
	for i := range out {
		out[i] = goBulk(&buf[i])
	}
	return out, err
}
