package main

// The front desk's pages: mailboxes, a conversation, a contact card.

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"switchboard"
)

const pageSize = 50

func (s *server) home(w http.ResponseWriter, r *http.Request, me *session) error {
	if r.URL.Path != "/" {
		return errNoPage
	}
	http.Redirect(w, r, "/mailbox/inbox", http.StatusSeeOther)
	return nil
}

// The mailboxes every teammate's sidebar lists: the shared inbox, their own,
// each team's, and closed. Counts come from the library, so they count only
// what this teammate may see.
func (s *server) nav(me int64) []navEntry {
	nav := []navEntry{{Label: "Shared inbox", Href: "/mailbox/inbox"}, {Label: "Mine", Href: "/mailbox/mine"}}
	nav[0].Unread, _ = s.p.MailboxUnread(me, switchboard.MailboxInbox, 0)
	nav[1].Unread, _ = s.p.MailboxUnread(me, switchboard.MailboxTeammate, me)
	teams, _ := s.p.TeamList(me, 0, 100)
	for _, t := range teams {
		n, _ := s.p.MailboxUnread(me, switchboard.MailboxTeam, t.ID)
		nav = append(nav, navEntry{Label: t.Name, Href: fmt.Sprintf("/mailbox/team/%d", t.ID), Unread: n})
	}
	return append(nav, navEntry{Label: "Closed", Href: "/mailbox/closed"})
}

type mailboxView struct {
	Name string
	Rows []row
}

// row is one conversation in a list.
type row struct {
	ID             int64
	Who, Number    string
	Line           string
	Preview        string
	At             int64
	Unread, Secure bool
}

func (s *server) mailboxPage(w http.ResponseWriter, r *http.Request, me *session) error {
	kind, owner, name, err := s.whichMailbox(r.URL.Path, me.teammate)
	if err != nil {
		return err
	}
	entries, err := s.p.MailboxPage(me.teammate, kind, owner, nil, pageSize)
	if err != nil {
		return err
	}
	rows := make([]row, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, s.row(me.teammate, e.ConversationID))
	}
	s.render(w, http.StatusOK, "mailbox", me, mailboxView{Name: name, Rows: rows})
	return nil
}

func (s *server) whichMailbox(path string, me int64) (kind int, owner int64, name string, err error) {
	switch rest := strings.TrimPrefix(path, "/mailbox/"); rest {
	case "inbox":
		return switchboard.MailboxInbox, 0, "Shared inbox", nil
	case "mine":
		return switchboard.MailboxTeammate, me, "Mine", nil
	case "closed":
		return switchboard.MailboxClosed, 0, "Closed", nil
	}
	id, _, err := idAfter(path, "/mailbox/team/")
	if err != nil {
		return 0, 0, "", err
	}
	t, err := s.p.TeamGet(me, id)
	return switchboard.MailboxTeam, id, t.Name, err
}

// row reads what a list shows of one conversation: who, the line, the last item.
func (s *server) row(me, id int64) row {
	c, err := s.p.ConversationGet(me, id)
	if err != nil {
		return row{ID: id, Who: "(unavailable)"}
	}
	rw := row{ID: id, Number: c.External, Who: phone(c.External), At: c.LastItemAt, Unread: c.UnreadByActor,
		Secure: c.Kind == switchboard.ConversationSecure}
	if c.ContactID != 0 {
		if ct, err := s.p.ContactGet(me, c.ContactID); err == nil && ct.Name != "" {
			rw.Who = ct.Name
		}
	}
	if ep, err := s.p.EndpointGet(me, c.EndpointID); err == nil {
		rw.Line = ep.Label
	}
	// The latest item that says something: mailbox moves are not news.
	items, _ := s.p.Timeline(me, id, 0, 8)
	for _, it := range items {
		if it.Kind != switchboard.ItemEvent {
			rw.Preview = preview(it)
			break
		}
	}
	return rw
}

func preview(it switchboard.Item) string {
	switch it.Kind {
	case switchboard.ItemCall:
		return "Call, " + duration(it.DurationMS)
	case switchboard.ItemVoicemail:
		return "Voicemail: " + it.Text
	}
	if len(it.Text) > 80 {
		return strings.ToValidUTF8(it.Text[:80], "") + "…"
	}
	return it.Text
}

type conversationView struct {
	C       switchboard.Conversation
	Who     string
	Line    string
	Items   []item
	Tags    []switchboard.Tag
	Assign  []choice
	Contact *switchboard.Contact
}

type item struct {
	switchboard.Item
	Type        string // text, note, call, voicemail, event
	StatusWord  string // an outbound text's delivery
	Author      string
	Event       string
	Attachments []switchboard.Attachment
	Inbound     bool
}

type choice struct {
	Value, Label string
}

func (s *server) conversation(w http.ResponseWriter, r *http.Request, me *session) error {
	id, action, err := idAfter(r.URL.Path, "/c/")
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.conversationAction(me.teammate, id, action, r), fmt.Sprintf("/c/%d", id))
	}
	if action != "" {
		return errNoPage
	}
	c, err := s.p.ConversationGet(me.teammate, id) // T8: refused (and audited) unless visible
	if err != nil {
		return err
	}
	v, err := s.conversationView(me.teammate, c)
	if err != nil {
		return err
	}
	if c.UnreadByActor {
		_ = s.p.ConversationMarkRead(me.teammate, id)
	}
	s.render(w, http.StatusOK, "conversation", me, v)
	return nil
}

func (s *server) conversationView(me int64, c switchboard.Conversation) (conversationView, error) {
	v := conversationView{C: c, Who: phone(c.External)}
	if c.ContactID != 0 {
		if ct, err := s.p.ContactGet(me, c.ContactID); err == nil {
			v.Contact = &ct
			if ct.Name != "" {
				v.Who = ct.Name
			}
		}
	}
	if ep, err := s.p.EndpointGet(me, c.EndpointID); err == nil {
		v.Line = ep.Label
	}
	items, err := s.p.Timeline(me, c.ID, 0, 100)
	if err != nil {
		return v, err
	}
	names := s.teammateNames(me)
	teams := s.teamNames(me)
	for i := len(items) - 1; i >= 0; i-- { // oldest first, as a conversation reads
		v.Items = append(v.Items, s.item(me, items[i], names, teams))
	}
	v.Tags, _ = s.p.TagsOf(me, switchboard.TagConversation, c.ID)
	v.Assign = s.assignChoices(me, teams)
	return v, nil
}

func (s *server) item(me int64, it switchboard.Item, names, teams map[int64]string) item {
	out := item{Item: it, Type: itemTypes[it.Kind], StatusWord: statusWords[it.Status], Author: names[it.Author],
		Inbound: it.Direction == switchboard.DirectionInbound}
	if it.AttachmentCount > 0 {
		out.Attachments, _ = s.p.ItemAttachments(me, it.ID)
	}
	if it.Kind == switchboard.ItemEvent {
		if ev, err := s.p.ItemEventGet(me, it.ID); err == nil {
			out.Event = eventText(ev, names, teams)
		}
	}
	return out
}

var itemTypes = map[int]string{switchboard.ItemMessage: "text", switchboard.ItemNote: "note",
	switchboard.ItemCall: "call", switchboard.ItemVoicemail: "voicemail", switchboard.ItemEvent: "event"}

var statusWords = map[int]string{switchboard.StatusQueued: "queued", switchboard.StatusSent: "sent",
	switchboard.StatusDelivered: "delivered", switchboard.StatusUndelivered: "not delivered",
	switchboard.StatusFailed: "failed"}

func eventText(ev switchboard.TimelineEvent, names, teams map[int64]string) string {
	switch ev.Event {
	case switchboard.EventAssigned:
		if ev.Mailbox == switchboard.MailboxTeam {
			return "assigned to " + teams[ev.MailboxOwner]
		}
		return "assigned to " + names[ev.MailboxOwner]
	case switchboard.EventUnassigned:
		return "moved to the shared inbox"
	case switchboard.EventClosed:
		return "closed"
	case switchboard.EventReopened:
		return "reopened"
	}
	return "updated"
}

func (s *server) teammateNames(me int64) map[int64]string {
	names := map[int64]string{}
	list, _ := s.p.TeammateList(me, 0, 500, true)
	for _, t := range list {
		names[t.ID] = t.Name
	}
	return names
}

func (s *server) teamNames(me int64) map[int64]string {
	names := map[int64]string{}
	list, _ := s.p.TeamList(me, 0, 100)
	for _, t := range list {
		names[t.ID] = t.Name
	}
	return names
}

// assignChoices: the shared inbox, each active teammate, each team.
func (s *server) assignChoices(me int64, teams map[int64]string) []choice {
	choices := []choice{{Value: "inbox", Label: "Shared inbox"}}
	list, _ := s.p.TeammateList(me, 0, 500, false)
	for _, t := range list {
		choices = append(choices, choice{Value: fmt.Sprintf("teammate:%d", t.ID), Label: t.Name})
	}
	ids := make([]int64, 0, len(teams))
	for id := range teams {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		choices = append(choices, choice{Value: fmt.Sprintf("team:%d", id), Label: "Team " + teams[id]})
	}
	return choices
}

func (s *server) conversationAction(me, id int64, action string, r *http.Request) error {
	switch action {
	case "reply":
		_, err := s.p.SMSSend(me, switchboard.OutboundSMS{Conversation: id, Body: r.PostFormValue("body")})
		return err
	case "note":
		_, err := s.p.NoteAdd(me, id, r.PostFormValue("body"))
		return err
	case "assign":
		kind, owner, err := parseAssignee(r.PostFormValue("to"))
		if err != nil {
			return err
		}
		return s.p.ConversationAssign(me, id, kind, owner)
	case "close":
		return s.p.ConversationClose(me, id)
	case "reopen":
		return s.p.ConversationReopen(me, id)
	case "tag":
		return s.p.TagAdd(me, switchboard.TagConversation, id, r.PostFormValue("name"))
	case "untag":
		return s.p.TagRemove(me, switchboard.TagConversation, id, r.PostFormValue("name"))
	}
	return errNoPage
}

func parseAssignee(v string) (int, int64, error) {
	if v == "inbox" {
		return switchboard.MailboxInbox, 0, nil
	}
	kind, id, _ := strings.Cut(v, ":")
	owner, err := strconv.ParseInt(id, 10, 64)
	if err != nil || owner <= 0 {
		return 0, 0, errBadForm
	}
	switch kind {
	case "teammate":
		return switchboard.MailboxTeammate, owner, nil
	case "team":
		return switchboard.MailboxTeam, owner, nil
	}
	return 0, 0, errBadForm
}

// --- contacts ---

type contactView struct {
	C             switchboard.Contact
	Addresses     []switchboard.ContactAddress
	Conversations []row
	Tags          []switchboard.Tag
	Invitations   []switchboard.Invitation
	Links         []switchboard.Endpoint
}

func (s *server) contact(w http.ResponseWriter, r *http.Request, me *session) error {
	id, action, err := idAfter(r.URL.Path, "/contact/")
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		return redirectAfter(w, r, s.contactAction(me.teammate, id, action, r), fmt.Sprintf("/contact/%d", id))
	}
	c, err := s.p.ContactGet(me.teammate, id)
	if err != nil {
		return err
	}
	v := contactView{C: c}
	if v.Addresses, err = s.p.ContactAddresses(me.teammate, id); err != nil {
		return err
	}
	convs, err := s.p.ContactConversations(me.teammate, id, 0, pageSize)
	if err != nil {
		return err
	}
	for _, cv := range convs {
		v.Conversations = append(v.Conversations, s.row(me.teammate, cv.ID))
	}
	v.Tags, _ = s.p.TagsOf(me.teammate, switchboard.TagContact, id)
	v.Invitations, _ = s.p.ContactInvitations(me.teammate, id, 0, 20)
	v.Links, _ = s.p.EndpointList(me.teammate, switchboard.SecureLink, 0, 50, false)
	s.render(w, http.StatusOK, "contact", me, v)
	return nil
}

func (s *server) contactAction(me, id int64, action string, r *http.Request) error {
	switch action {
	case "save":
		return s.p.ContactSave(me, id, r.PostFormValue("name"))
	case "tag":
		return s.p.TagAdd(me, switchboard.TagContact, id, r.PostFormValue("name"))
	case "invite":
		link, err := formID(r, "link")
		if err != nil {
			return err
		}
		if message := strings.TrimSpace(r.PostFormValue("message")); message != "" {
			_, err = s.p.InvitationSendMessage(me, link, id, message)
		} else {
			_, err = s.p.InvitationSend(me, link, id)
		}
		return err
	case "revoke":
		inv, err := formID(r, "invitation")
		if err != nil {
			return err
		}
		return s.p.InvitationRevoke(me, inv)
	}
	return errNoPage
}

type contactsView struct {
	Query string
	Found []switchboard.Contact
}

func (s *server) contacts(w http.ResponseWriter, r *http.Request, me *session) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := contactsView{Query: q}
	if q != "" {
		ids, err := s.p.ContactSearch(me.teammate, q, 0, pageSize)
		if err != nil && !errors.Is(err, switchboard.ErrNotFound) {
			return err
		}
		for _, id := range ids {
			if c, err := s.p.ContactGet(me.teammate, id); err == nil {
				v.Found = append(v.Found, c)
			}
		}
	}
	s.render(w, http.StatusOK, "contacts", me, v)
	return nil
}
