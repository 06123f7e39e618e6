package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Secure messaging between teammates (chat.h, seed 002).
const (
	ChatDirect = int(C.SB_CHAT_DIRECT) // a fixed set of teammates
	ChatTeam   = int(C.SB_CHAT_TEAM)   // a team's current members

	ChatPageMax    = int(C.SB_CHAT_PAGE_MAX)
	ChatMembersMax = int(C.SB_CHAT_MEMBERS_MAX)

	NoticeChatMessage = int(C.SB_NOTICE_CHAT_MESSAGE) // a teammate wrote in a chat
	NoticeNoMailbox   = int(C.SB_NOTICE_NO_MAILBOX)   // a chat's notice is in no mailbox
)

// Chat is a chat as the actor sees it.
type Chat struct {
	ID, TeamID, CreatedBy, CreatedAt, LastMessageAt, Unread int64
	Kind                                                    int
}

// ChatMessage is one message of a chat.
type ChatMessage struct {
	ID, ChatID, Author, At int64
	Text                   string
}

// ChatDirect is the direct chat of the actor and teammates, created on first use.
func (p *Practice) ChatDirect(actor int64, teammates []int64) (int64, error) {
	if len(teammates) == 0 {
		return 0, &Error{Code: int(C.SB_EINVAL), Detail: "teammates are required"}
	}
	ids := (*C.sb_id)(C.malloc(C.size_t(len(teammates)) * C.size_t(unsafe.Sizeof(C.sb_id(0)))))
	defer C.free(unsafe.Pointer(ids))
	for i, t := range teammates {
		unsafe.Slice(ids, len(teammates))[i] = C.sb_id(t)
	}
	var chat C.sb_id
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_chat_direct(&chat, cp, C.sb_id(actor), ids, C.size_t(len(teammates)))
	})
	return int64(chat), err
}

// ChatTeam is the chat of a team the actor is in, created on first use.
func (p *Practice) ChatTeam(actor, team int64) (int64, error) {
	var chat C.sb_id
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_chat_team(&chat, cp, C.sb_id(actor), C.sb_id(team)) })
	return int64(chat), err
}

// ChatPost writes to a chat; a repeated idempotencyKey ("" for none) finds the first message.
func (p *Practice) ChatPost(actor, chat int64, text, idempotencyKey string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"text", "idempotency key"}, []string{text, idempotencyKey}, func(cs []*C.char) error {
		key := cs[1]
		if idempotencyKey == "" {
			key = nil
		}
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_chat_post(&id, cp, C.sb_id(actor), C.sb_id(chat), cs[0], key)
		})
	})
	return int64(id), err
}

// ChatMessages is a page of a chat's messages, newest first; continue with beforeID = the last one's id.
func (p *Practice) ChatMessages(actor, chat, beforeID int64, limit int) ([]ChatMessage, error) {
	if limit < 1 || limit > ChatPageMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit out of range"}
	}
	buf := (*C.sb_chat_message)(C.calloc(C.size_t(limit), C.size_t(unsafe.Sizeof(C.sb_chat_message{}))))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_chat_messages(buf, &n, cp, C.sb_id(actor), C.sb_id(chat), C.sb_id(beforeID), C.size_t(limit))
	})
	var out []ChatMessage
	for _, m := range unsafe.Slice(buf, int(n)) {
		out = append(out, ChatMessage{int64(m.id), int64(m.chat_id), int64(m.author), int64(m.at),
			C.GoStringN(&m.text[0], C.int(m.text_len))})
	}
	return out, err
}

// ChatList is the actor's chats, most recently written first.
func (p *Practice) ChatList(actor, beforeID int64, limit int) ([]Chat, error) {
	if limit < 1 || limit > ChatPageMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit out of range"}
	}
	buf := make([]C.sb_chat, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_chat_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(beforeID), C.size_t(limit))
	})
	var out []Chat
	for _, c := range buf[:n] {
		out = append(out, Chat{int64(c.id), int64(c.team_id), int64(c.created_by), int64(c.created_at),
			int64(c.last_message_at), int64(c.unread), int(c.kind)})
	}
	return out, err
}

// ChatMembers is who is in a chat now, in id order.
func (p *Practice) ChatMembers(actor, chat int64) ([]int64, error) {
	buf := make([]C.sb_id, ChatPageMax)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_chat_members(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(chat), C.size_t(len(buf)))
	})
	out := make([]int64, int(n))
	for i := range out {
		out[i] = int64(buf[i])
	}
	return out, err
}

// ChatMarkRead marks everything in a chat read by the actor.
func (p *Practice) ChatMarkRead(actor, chat int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_chat_mark_read(cp, C.sb_id(actor), C.sb_id(chat)) })
}
