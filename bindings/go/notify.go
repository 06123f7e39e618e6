package switchboard

/*
#include <switchboard.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// Alerts (notify.h, seeds 002 and 004): whom to page when something lands in a mailbox.
const (
	NoticeMessage    = int(C.SB_NOTICE_MESSAGE)     // an inbound text or a patient's secure message
	NoticeVoicemail  = int(C.SB_NOTICE_VOICEMAIL)   // a voicemail was left
	NoticeMissedCall = int(C.SB_NOTICE_MISSED_CALL) // an inbound call nobody answered, without a voicemail

	NotifyAll  = int(C.SB_NOTIFY_ALL)  // the default: all the teammate can see
	NotifyMine = int(C.SB_NOTIFY_MINE) // only their own and their teams' mailboxes
	NotifyOff  = int(C.SB_NOTIFY_OFF)
)

// Alert is one landing: what, where, and whom to page. It carries no PHI.
type Alert struct {
	Kind           int
	ConversationID int64
	ItemID         int64
	MailboxKind    int // MailboxInbox, MailboxTeammate or MailboxTeam
	MailboxOwner   int64
	Teammates      []int64
}

// NotifyPrefs is a teammate's level (NotifyAll, NotifyMine, NotifyOff) per kind.
type NotifyPrefs struct {
	Messages, Voicemails, MissedCalls int
}

// NotifySet makes fn hear every landing after its commit, or stops alerts with nil.
// fn runs during the library call that stored the item and must not call the Practice;
// a panic in it is dropped: the item is in its mailbox whatever fn does.
func (p *Practice) NotifySet(fn func(Alert)) error {
	p.mu.Lock()
	p.state.notify = fn
	p.mu.Unlock()
	on := C.int(0)
	if fn != nil {
		on = 1
	}
	return p.call(func(cp *C.sb_practice) C.int { return C.sbgo_notify_set(cp, p.ud, on) })
}

//export sbgoNotify
func sbgoNotify(ud unsafe.Pointer, n *C.sb_notice) {
	st := stateOf(ud)
	if st.notify == nil {
		return
	}
	a := Alert{Kind: int(n.kind), ConversationID: int64(n.conversation_id), ItemID: int64(n.item_id),
		MailboxKind: int(n.mailbox_kind), MailboxOwner: int64(n.mailbox_owner)}
	for _, id := range unsafe.Slice(n.teammates, int(n.teammate_count)) {
		a.Teammates = append(a.Teammates, int64(id))
	}
	defer func() { _ = recover() }()
	st.notify(a)
}

// NotifyPrefsSet replaces a teammate's alert levels: the teammate themselves or an admin.
func (p *Practice) NotifyPrefsSet(actor, teammate int64, prefs NotifyPrefs) error {
	var c C.sb_notify_prefs
	C.sb_notify_prefs_init(&c)
	c.messages, c.voicemails, c.missed_calls = C.int(prefs.Messages), C.int(prefs.Voicemails), C.int(prefs.MissedCalls)
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_notify_prefs_set(cp, C.sb_id(actor), C.sb_id(teammate), &c)
	})
}

// NotifyPrefsGet reads a teammate's alert levels (the defaults when never set).
func (p *Practice) NotifyPrefsGet(actor, teammate int64) (NotifyPrefs, error) {
	var c C.sb_notify_prefs
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_notify_prefs_get(&c, cp, C.sb_id(actor), C.sb_id(teammate))
	})
	return NotifyPrefs{int(c.messages), int(c.voicemails), int(c.missed_calls)}, err
}
