package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Conversations, timelines, texts and attachments (conversation.h,
// timeline.h, message.h, attachment.h).

// Item kinds, directions, message statuses and call outcomes, as in timeline.h.
const (
	ItemMessage   = int(C.SB_ITEM_MESSAGE)
	ItemNote      = int(C.SB_ITEM_NOTE)
	ItemCall      = int(C.SB_ITEM_CALL)
	ItemVoicemail = int(C.SB_ITEM_VOICEMAIL)
	ItemEvent     = int(C.SB_ITEM_EVENT)

	DirectionNone     = int(C.SB_DIRECTION_NONE)
	DirectionInbound  = int(C.SB_DIRECTION_INBOUND)
	DirectionOutbound = int(C.SB_DIRECTION_OUTBOUND)

	StatusReceived    = int(C.SB_STATUS_RECEIVED)
	StatusQueued      = int(C.SB_STATUS_QUEUED)
	StatusSent        = int(C.SB_STATUS_SENT)
	StatusDelivered   = int(C.SB_STATUS_DELIVERED)
	StatusUndelivered = int(C.SB_STATUS_UNDELIVERED)
	StatusFailed      = int(C.SB_STATUS_FAILED)

	CallAnswered = int(C.SB_CALL_ANSWERED)
	CallMissed   = int(C.SB_CALL_MISSED)
	CallBusy     = int(C.SB_CALL_BUSY)
	CallFailed   = int(C.SB_CALL_FAILED)
	CallCanceled = int(C.SB_CALL_CANCELED)

	ConversationStandard = int(C.SB_CONVERSATION_STANDARD)
	ConversationSecure   = int(C.SB_CONVERSATION_SECURE)

	SMSEncodingGSM7 = int(C.SB_SMS_GSM7)
	SMSEncodingUCS2 = int(C.SB_SMS_UCS2)
)

// Conversation is the thread between a business number and an external number.
type Conversation struct {
	ID             int64
	Kind           int
	EndpointID     int64
	BusinessNumber string // the practice's end (C7)
	External       string // the other end, E.164 (C7)
	ContactID      int64  // who holds the external number; 0 if nobody
	Closed         bool
	Unread         bool // inbound items nobody has read (C13)
	UnreadByActor  bool // inbound items the calling actor has not read
	Regarding      bool // on a contact card only as regarding the contact (C6)
	CreatedAt      int64
	LastItemAt     int64
	ClosedAt       int64
}

func goConversation(c *C.sb_conversation) Conversation {
	return Conversation{int64(c.id), int(c.kind), int64(c.endpoint_id), C.GoString(&c.business_number[0]),
		C.GoString(&c.external[0]), int64(c.contact_id), c.closed != 0, c.unread != 0, c.unread_by_actor != 0,
		c.regarding != 0, int64(c.created_at), int64(c.last_item_at), int64(c.closed_at)}
}

// Item is one entry of a timeline: a message, note, call or voicemail.
type Item struct {
	ID, ConversationID int64
	Kind, Direction    int
	At, Author         int64
	Status, Segments   int
	DurationMS         int64
	Outcome            int
	AttachmentCount    int
	CarrierID          string
	MediaRef           string
	Error              string
	Text               string // body, note or transcript
}

func goItem(i *C.sb_item) Item {
	return Item{int64(i.id), int64(i.conversation_id), int(i.kind), int(i.direction), int64(i.at), int64(i.author),
		int(i.status), int(i.segments), int64(i.duration_ms), int(i.outcome), int(i.attachment_count),
		C.GoString(&i.carrier_id[0]), C.GoString(&i.media_ref[0]), C.GoString(&i.error[0]),
		C.GoStringN(&i.text[0], C.int(i.text_len))}
}

// Delivery is what an inbound event made; a redelivery reports the first (C15).
type Delivery struct {
	ConversationID, ItemID, ContactID      int64
	Duplicate, NewConversation, NewContact bool
}

func goDelivery(d *C.sb_delivery) Delivery {
	return Delivery{int64(d.conversation_id), int64(d.item_id), int64(d.contact_id), d.duplicate != 0,
		d.new_conversation != 0, d.new_contact != 0}
}

// Sent is what a send did.
type Sent struct {
	ConversationID, ItemID int64
	Status                 int
	Duplicate              bool // the idempotency key was used before: nothing sent again
	Segments               int
	CarrierID              string
}

func goSent(s *C.sb_sent) Sent {
	return Sent{int64(s.conversation_id), int64(s.item_id), int(s.status), s.duplicate != 0, int(s.segments),
		C.GoString(&s.carrier_id[0])}
}

// Attachment is a stored attachment or library document.
type Attachment struct {
	ID, ItemID  int64 // ItemID 0 for a library document
	ContentType string
	FileName    string
	Size        int64
	HasData     bool // the library holds the bytes (AttachmentRead)
	MediaRef    string
	CreatedAt   int64
}

func goAttachment(a *C.sb_attachment) Attachment {
	return Attachment{int64(a.id), int64(a.item_id), C.GoString(&a.content_type[0]), C.GoString(&a.file_name[0]),
		int64(a.size), a.has_data != 0, C.GoString(&a.media_ref[0]), int64(a.created_at)}
}

// AttachmentSpec is an attachment to add: Data or MediaRef, not both.
type AttachmentSpec struct {
	ContentType string
	FileName    string
	Data        []byte
	MediaRef    string
	Size        int // with a reference: its size if known
}

// cSpecs builds a C array of sb_attachment_spec in C memory; free it with the returned func.
func cSpecs(specs []AttachmentSpec) (*C.sb_attachment_spec, func(), error) {
	if len(specs) == 0 {
		return nil, func() {}, nil
	}
	arr := (*C.sb_attachment_spec)(C.calloc(C.size_t(len(specs)), C.sizeof_sb_attachment_spec))
	var owned []unsafe.Pointer
	free := func() {
		for _, p := range owned {
			C.free(p)
		}
		C.free(unsafe.Pointer(arr))
	}
	for i, s := range unsafe.Slice(arr, len(specs)) {
		spec := specs[i]
		s.version = C.SB_ATTACHMENT_SPEC_VERSION
		for _, t := range []struct {
			dst   **C.char
			value string
			field string
			keep  bool
		}{{&s.content_type, spec.ContentType, "content type", true}, {&s.file_name, spec.FileName, "file name", true},
			{&s.media_ref, spec.MediaRef, "media ref", spec.MediaRef != ""}} {
			if !t.keep {
				continue
			}
			c, err := cText(t.value, t.field)
			if err != nil {
				free()
				return nil, nil, err
			}
			owned = append(owned, unsafe.Pointer(c))
			*t.dst = c
		}
		if spec.Data != nil {
			d := C.CBytes(spec.Data)
			owned = append(owned, d)
			s.data = d
			s.size = C.size_t(len(spec.Data))
		} else {
			s.size = C.size_t(spec.Size)
		}
		unsafe.Slice(arr, len(specs))[i] = s
	}
	return arr, free, nil
}

// --- conversations ---

// ConversationStart returns the pair's conversation (C3): reused when it exists, else created.
func (p *Practice) ConversationStart(actor, endpoint int64, number string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"number"}, []string{number}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_conversation_start(&id, cp, C.sb_id(actor), C.sb_id(endpoint), cs[0])
		})
	})
	return int64(id), err
}

// ConversationGet reads a conversation (audited).
func (p *Practice) ConversationGet(actor, id int64) (Conversation, error) {
	var c C.sb_conversation
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_conversation_get(&c, cp, C.sb_id(actor), C.sb_id(id)) })
	return goConversation(&c), err
}

func (p *Practice) onConversation(actor, id int64, fn func(*C.sb_practice, C.sb_id, C.sb_id) C.int) error {
	return p.call(func(cp *C.sb_practice) C.int { return fn(cp, C.sb_id(actor), C.sb_id(id)) })
}

// ConversationClose closes a conversation (C9); new inbound reopens it.
func (p *Practice) ConversationClose(actor, id int64) error {
	return p.onConversation(actor, id, func(cp *C.sb_practice, a, i C.sb_id) C.int { return C.sb_conversation_close(cp, a, i) })
}

// ConversationReopen reopens a closed conversation.
func (p *Practice) ConversationReopen(actor, id int64) error {
	return p.onConversation(actor, id, func(cp *C.sb_practice, a, i C.sb_id) C.int { return C.sb_conversation_reopen(cp, a, i) })
}

// ConversationDelete deletes a standard conversation for good, purging its content (C10).
// A secure conversation gives ErrSecure.
func (p *Practice) ConversationDelete(actor, id int64) error {
	return p.onConversation(actor, id, func(cp *C.sb_practice, a, i C.sb_id) C.int { return C.sb_conversation_delete(cp, a, i) })
}

// ConversationMarkRead marks everything inbound so far as read by the actor (C13).
func (p *Practice) ConversationMarkRead(actor, id int64) error {
	return p.onConversation(actor, id, func(cp *C.sb_practice, a, i C.sb_id) C.int { return C.sb_conversation_mark_read(cp, a, i) })
}

// ConversationRegardingAdd marks a conversation as regarding a contact (C6).
func (p *Practice) ConversationRegardingAdd(actor, id, contact int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_conversation_regarding_add(cp, C.sb_id(actor), C.sb_id(id), C.sb_id(contact))
	})
}

// ConversationRegardingRemove takes a regarding mark away.
func (p *Practice) ConversationRegardingRemove(actor, id, contact int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_conversation_regarding_remove(cp, C.sb_id(actor), C.sb_id(id), C.sb_id(contact))
	})
}

// ConversationRegarding lists the contacts a conversation is regarding.
func (p *Practice) ConversationRegarding(actor, id int64) ([]int64, error) {
	buf := make([]C.sb_id, C.SB_REGARDING_MAX)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_conversation_regarding(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(id), C.SB_REGARDING_MAX)
	})
	out := make([]int64, int(n))
	for i := range out {
		out[i] = int64(buf[i])
	}
	return out, err
}

// ConversationAttach moves the conversation's number (and its conversations) to a contact (C11).
func (p *Practice) ConversationAttach(actor, id, contact int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_conversation_attach(cp, C.sb_id(actor), C.sb_id(id), C.sb_id(contact))
	})
}

// ConversationUnreadCount counts the practice's open unread conversations.
func (p *Practice) ConversationUnreadCount(actor int64) (int64, error) {
	var n C.int64_t
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_conversation_unread_count(&n, cp, C.sb_id(actor)) })
	return int64(n), err
}

// ContactConversations is the contact card (C5, C6), a page in id order.
func (p *Practice) ContactConversations(actor, contact, afterID int64, limit int) ([]Conversation, error) {
	if limit < 1 || limit > C.SB_CONVERSATION_PAGE_MAX {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit out of range"}
	}
	buf := make([]C.sb_conversation, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_contact_conversations(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(contact), C.sb_id(afterID),
			C.size_t(limit))
	})
	out := make([]Conversation, int(n))
	for i := range out {
		out[i] = goConversation(&buf[i])
	}
	return out, err
}

// ContactMerge moves everything of gone to keep and deletes gone (audited).
func (p *Practice) ContactMerge(actor, keep, gone int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_contact_merge(cp, C.sb_id(actor), C.sb_id(keep), C.sb_id(gone))
	})
}

// --- timeline ---

// NoteAdd adds an internal note to a conversation.
func (p *Practice) NoteAdd(actor, conversation int64, text string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"text"}, []string{text}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_note_add(&id, cp, C.sb_id(actor), C.sb_id(conversation), cs[0])
		})
	})
	return int64(id), err
}

// CallItem is a call or voicemail to record.
type CallItem struct {
	Kind, Direction          int
	BusinessNumber, External string
	StartedAt, DurationMS    int64
	Outcome                  int
	MediaRef, Transcript     string
	CarrierID                string // "" for none
}

// CallItemRecord records a call or voicemail on its conversation's timeline (once per carrier id).
func (p *Practice) CallItemRecord(actor int64, item CallItem) (Delivery, error) {
	var d C.sb_delivery
	fields := []string{"business number", "external", "media ref", "transcript", "carrier id"}
	values := []string{item.BusinessNumber, item.External, item.MediaRef, item.Transcript, item.CarrierID}
	err := withTexts(fields, values, func(cs []*C.char) error {
		var c C.sb_call_item
		C.sb_call_item_init(&c)
		c.kind, c.direction, c.outcome = C.int(item.Kind), C.int(item.Direction), C.int(item.Outcome)
		c.business_number, c.external = cs[0], cs[1]
		c.started_at, c.duration_ms = C.int64_t(item.StartedAt), C.int64_t(item.DurationMS)
		for i, dst := range []**C.char{&c.media_ref, &c.transcript, &c.carrier_id} {
			if values[i+2] != "" {
				*dst = cs[i+2]
			}
		}
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_call_item_record(&d, cp, C.sb_id(actor), &c) })
	})
	return goDelivery(&d), err
}

// ItemGet reads one item (audited).
func (p *Practice) ItemGet(actor, id int64) (Item, error) {
	var it C.sb_item
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_item_get(&it, cp, C.sb_id(actor), C.sb_id(id)) })
	return goItem(&it), err
}

// ItemCall is the call engine's call that a call or voicemail item records (for CallGet).
func (p *Practice) ItemCall(actor, item int64) (int64, error) {
	var call C.sb_id
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_item_call(&call, cp, C.sb_id(actor), C.sb_id(item)) })
	return int64(call), err
}

// Timeline is a page of a conversation's timeline, newest first; continue with beforeID = the last item's id.
func (p *Practice) Timeline(actor, conversation, beforeID int64, limit int) ([]Item, error) {
	if limit < 1 || limit > C.SB_TIMELINE_PAGE_MAX {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit out of range"}
	}
	buf := make([]C.sb_item, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_timeline_page(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(conversation), C.sb_id(beforeID),
			C.size_t(limit))
	})
	out := make([]Item, int(n))
	for i := range out {
		out[i] = goItem(&buf[i])
	}
	return out, err
}

// --- texts ---

// InboundSMS is a text the carrier delivered.
type InboundSMS struct {
	From, To, Body, CarrierID string
	ReceivedAt                int64
	Media                     []AttachmentSpec
}

// SMSReceive takes an inbound text; a redelivery of the carrier id reports the first (C15).
func (p *Practice) SMSReceive(m InboundSMS) (Delivery, error) {
	var d C.sb_delivery
	media, free, err := cSpecs(m.Media)
	if err != nil {
		return Delivery{}, err
	}
	defer free()
	err = withTexts([]string{"from", "to", "body", "carrier id"}, []string{m.From, m.To, m.Body, m.CarrierID},
		func(cs []*C.char) error {
			var c C.sb_inbound_sms
			C.sb_inbound_sms_init(&c)
			c.from, c.to, c.body, c.carrier_id = cs[0], cs[1], cs[2], cs[3]
			c.media, c.media_count, c.received_at = media, C.size_t(len(m.Media)), C.int64_t(m.ReceivedAt)
			return p.call(func(cp *C.sb_practice) C.int { return C.sb_sms_receive(&d, cp, &c) })
		})
	return goDelivery(&d), err
}

// OutboundSMS is a text to send: exactly one of Conversation, Contact or To.
type OutboundSMS struct {
	Endpoint, Conversation, Contact int64
	To, Body                        string
	Attachments                     []AttachmentSpec
	Library                         []int64
	IdempotencyKey                  string // "" lets the library make one
}

// SMSSend sends a text (C3, C14, C16). When the carrier fails, its error comes
// back (ErrCallback) and the message stays stored as failed: send again with
// the same key, or SMSRetry.
func (p *Practice) SMSSend(actor int64, m OutboundSMS) (Sent, error) {
	var s C.sb_sent
	atts, free, err := cSpecs(m.Attachments)
	if err != nil {
		return Sent{}, err
	}
	defer free()
	var lib *C.sb_id
	if len(m.Library) > 0 {
		lib = (*C.sb_id)(C.malloc(C.size_t(len(m.Library)) * C.sizeof_sb_id))
		defer C.free(unsafe.Pointer(lib))
		for i, id := range m.Library {
			unsafe.Slice(lib, len(m.Library))[i] = C.sb_id(id)
		}
	}
	err = withTexts([]string{"to", "body", "idempotency key"}, []string{m.To, m.Body, m.IdempotencyKey},
		func(cs []*C.char) error {
			var c C.sb_outbound_sms
			C.sb_outbound_sms_init(&c)
			c.endpoint, c.conversation, c.contact = C.sb_id(m.Endpoint), C.sb_id(m.Conversation), C.sb_id(m.Contact)
			if m.To != "" {
				c.to = cs[0]
			}
			if m.IdempotencyKey != "" {
				c.idempotency_key = cs[2]
			}
			c.body, c.attachments, c.attachment_count = cs[1], atts, C.size_t(len(m.Attachments))
			c.library, c.library_count = lib, C.size_t(len(m.Library))
			return p.call(func(cp *C.sb_practice) C.int { return C.sb_sms_send(&s, cp, C.sb_id(actor), &c) })
		})
	return goSent(&s), err
}

// SMSRetry sends a failed message again under its first idempotency key.
func (p *Practice) SMSRetry(actor, item int64) (Sent, error) {
	var s C.sb_sent
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_sms_retry(&s, cp, C.sb_id(actor), C.sb_id(item)) })
	return goSent(&s), err
}

// SMSStatus applies a carrier status report; false when it was late or repeated (ignored).
func (p *Practice) SMSStatus(carrierID string, status int, errText string) (bool, error) {
	var applied C.int
	err := withTexts([]string{"carrier id", "error"}, []string{carrierID, errText}, func(cs []*C.char) error {
		var e *C.char
		if errText != "" {
			e = cs[1]
		}
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_sms_status(&applied, cp, cs[0], C.int(status), e) })
	})
	return applied != 0, err
}

// SMSSegments says how many SMS segments a body takes, and its encoding.
func SMSSegments(body string) (segments, encoding int, err error) {
	c, err := cText(body, "body")
	if err != nil {
		return 0, 0, err
	}
	defer C.free(unsafe.Pointer(c))
	var s, e C.int
	if rc := C.sb_sms_segments(&s, &e, c); rc != 0 {
		return 0, 0, &Error{Code: int(rc), Detail: "body"}
	}
	return int(s), int(e), nil
}

// --- attachments ---

// ItemAttachments lists a message's attachments (audited).
func (p *Practice) ItemAttachments(actor, item int64) ([]Attachment, error) {
	buf := make([]C.sb_attachment, C.SB_ATTACHMENTS_MAX)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_item_attachments(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(item), C.SB_ATTACHMENTS_MAX)
	})
	out := make([]Attachment, int(n))
	for i := range out {
		out[i] = goAttachment(&buf[i])
	}
	return out, err
}

// AttachmentRead returns the bytes the library holds (ErrState for a media reference).
func (p *Practice) AttachmentRead(actor, id int64) ([]byte, error) {
	var size C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_attachment_read(nil, 0, &size, cp, C.sb_id(actor), C.sb_id(id))
	})
	if err != nil && !isCode(err, int(C.SB_ETOOBIG)) {
		return nil, err
	}
	buf := C.malloc(size + 1)
	defer C.free(buf)
	err = p.call(func(cp *C.sb_practice) C.int {
		return C.sb_attachment_read(buf, size, &size, cp, C.sb_id(actor), C.sb_id(id))
	})
	if err != nil {
		return nil, err
	}
	return C.GoBytes(buf, C.int(size)), nil
}

func isCode(err error, code int) bool {
	e, ok := err.(*Error)
	return ok && e.Code == code
}

// LibraryAdd adds a document to the attachment library.
func (p *Practice) LibraryAdd(actor int64, doc AttachmentSpec) (int64, error) {
	spec, free, err := cSpecs([]AttachmentSpec{doc})
	if err != nil {
		return 0, err
	}
	defer free()
	var id C.sb_id
	err = p.call(func(cp *C.sb_practice) C.int { return C.sb_library_add(&id, cp, C.sb_id(actor), spec) })
	return int64(id), err
}

// LibraryList lists library documents in id order, a page at a time.
func (p *Practice) LibraryList(actor, afterID int64, limit int) ([]Attachment, error) {
	if limit < 1 || limit > C.SB_LIBRARY_PAGE_MAX {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit out of range"}
	}
	buf := make([]C.sb_attachment, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_library_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]Attachment, int(n))
	for i := range out {
		out[i] = goAttachment(&buf[i])
	}
	return out, err
}

// LibraryRemove removes a library document; messages keep their copies.
func (p *Practice) LibraryRemove(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_library_remove(cp, C.sb_id(actor), C.sb_id(id)) })
}
