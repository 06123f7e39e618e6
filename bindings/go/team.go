package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Teammate statuses, mailboxes, timeline events and tags (teammate.h, mailbox.h, tag.h).
const (
	TeammateInvited = int(C.SB_TEAMMATE_INVITED)
	TeammateActive  = int(C.SB_TEAMMATE_ACTIVE)
	TeammateRemoved = int(C.SB_TEAMMATE_REMOVED)

	MailboxInbox    = int(C.SB_MAILBOX_INBOX)
	MailboxTeammate = int(C.SB_MAILBOX_TEAMMATE)
	MailboxTeam     = int(C.SB_MAILBOX_TEAM)
	MailboxClosed   = int(C.SB_MAILBOX_CLOSED)

	EventAssigned   = int(C.SB_EVENT_ASSIGNED)
	EventUnassigned = int(C.SB_EVENT_UNASSIGNED)
	EventClosed     = int(C.SB_EVENT_CLOSED)
	EventReopened   = int(C.SB_EVENT_REOPENED)

	TagContact      = int(C.SB_TAG_CONTACT)
	TagConversation = int(C.SB_TAG_CONVERSATION)

	TagsOfContact               = int(C.SB_TAGS_OF_CONTACT)
	TagsOfConversation          = int(C.SB_TAGS_OF_CONVERSATION)
	TagsOfEndpointContacts      = int(C.SB_TAGS_OF_ENDPOINT_CONTACTS)
	TagsOfEndpointConversations = int(C.SB_TAGS_OF_ENDPOINT_CONVERSATIONS)

	MailboxPageMax = int(C.SB_MAILBOX_PAGE_MAX)
)

// Teammate is a person of the practice (T1).
type Teammate struct {
	ID          int64
	Status      int // TeammateInvited, TeammateActive or TeammateRemoved
	Admin       bool
	Name        string
	LoginPhone  string   // E.164, or ""
	RingNumbers []string // E.164, in ringing order
	CreatedAt   int64
	RemovedAt   int64 // 0 unless removed
}

// TeammateSpec is a teammate to add, or their new details.
type TeammateSpec struct {
	Name        string
	LoginPhone  string // "" for none
	RingNumbers []string
	Admin       bool // ignored by TeammateUpdate
}

func goTeammate(t *C.sb_teammate) Teammate {
	rings := make([]string, int(t.ring_count))
	for i := range rings {
		rings[i] = C.GoString(&t.ring_numbers[i][0])
	}
	return Teammate{int64(t.id), int(t.status), t.admin != 0, C.GoString(&t.name[0]), C.GoString(&t.login_phone[0]),
		rings, int64(t.created_at), int64(t.removed_at)}
}

// withSpec converts a spec to C for the length of fn.
func withSpec(s TeammateSpec, fn func(*C.sb_teammate_spec) error) error {
	fields := []string{"name", "login_phone"}
	values := []string{s.Name, s.LoginPhone}
	for range s.RingNumbers {
		fields = append(fields, "ring number")
	}
	values = append(values, s.RingNumbers...)
	return withTexts(fields, values, func(cs []*C.char) error {
		var spec C.sb_teammate_spec
		C.sb_teammate_spec_init(&spec)
		spec.name = cs[0]
		if s.LoginPhone != "" {
			spec.login_phone = cs[1]
		}
		if len(s.RingNumbers) > 0 {
			rings := (**C.char)(C.calloc(C.size_t(len(s.RingNumbers)), C.size_t(unsafe.Sizeof(cs[0]))))
			defer C.free(unsafe.Pointer(rings))
			copy(unsafe.Slice(rings, len(s.RingNumbers)), cs[2:])
			spec.ring_numbers = rings
			spec.ring_count = C.size_t(len(s.RingNumbers))
		}
		if s.Admin {
			spec.admin = 1
		}
		return fn(&spec)
	})
}

func flag(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// TeammateAdd adds an active teammate (admins; the system adds the first, who is an admin).
func (p *Practice) TeammateAdd(actor int64, s TeammateSpec) (int64, error) {
	var id C.sb_id
	err := withSpec(s, func(spec *C.sb_teammate_spec) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_add(&id, cp, C.sb_id(actor), spec) })
	})
	return int64(id), err
}

// TeammateInvite invites a teammate, who acts once TeammateAccept is called.
func (p *Practice) TeammateInvite(actor int64, s TeammateSpec) (int64, error) {
	var id C.sb_id
	err := withSpec(s, func(spec *C.sb_teammate_spec) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_invite(&id, cp, C.sb_id(actor), spec) })
	})
	return int64(id), err
}

// TeammateAccept lets an invited teammate join.
func (p *Practice) TeammateAccept(teammate int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_accept(cp, C.sb_id(teammate)) })
}

// TeammateGet reads one teammate.
func (p *Practice) TeammateGet(actor, id int64) (Teammate, error) {
	var t C.sb_teammate
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_get(&t, cp, C.sb_id(actor), C.sb_id(id)) })
	return goTeammate(&t), err
}

// TeammateList returns up to limit teammates after afterID, in id order.
func (p *Practice) TeammateList(actor, afterID int64, limit int, includeRemoved bool) ([]Teammate, error) {
	if limit < 1 || limit > int(C.SB_TEAMMATE_LIST_MAX) {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..500"}
	}
	buf := (*C.sb_teammate)(C.calloc(C.size_t(limit), C.sizeof_sb_teammate))
	defer C.free(unsafe.Pointer(buf))
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_teammate_list(buf, &n, cp, C.sb_id(actor), C.sb_id(afterID), C.size_t(limit), flag(includeRemoved))
	})
	items := unsafe.Slice(buf, int(n))
	out := make([]Teammate, 0, len(items))
	for i := range items {
		out = append(out, goTeammate(&items[i]))
	}
	return out, err
}

// TeammateUpdate changes a teammate's name, login phone and numbers (themself, or an admin).
func (p *Practice) TeammateUpdate(actor, id int64, s TeammateSpec) error {
	return withSpec(s, func(spec *C.sb_teammate_spec) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_update(cp, C.sb_id(actor), C.sb_id(id), spec) })
	})
}

// TeammateSetAdmin promotes or demotes a teammate (admins only; the last admin stays).
func (p *Practice) TeammateSetAdmin(actor, id int64, admin bool) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_teammate_set_admin(cp, C.sb_id(actor), C.sb_id(id), flag(admin))
	})
}

// TeammateRemove removes a teammate; their conversations go back to the shared inbox.
func (p *Practice) TeammateRemove(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_remove(cp, C.sb_id(actor), C.sb_id(id)) })
}

// TeammatePasswordSet sets a teammate's password (the teammate, an admin
// or the system); only its Argon2id hash is kept, and a lockout ends.
func (p *Practice) TeammatePasswordSet(actor, teammate int64, password string) error {
	return withTexts([]string{"password"}, []string{password}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_teammate_password_set(cp, C.sb_id(actor), C.sb_id(teammate), cs[0])
		})
	})
}

// TeammateSignIn returns the teammate with this login phone and password:
// ErrDenied for any wrong login, ErrLimit while they are locked out.
func (p *Practice) TeammateSignIn(loginPhone, password string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"login phone", "password"}, []string{loginPhone, password}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_teammate_sign_in(&id, cp, cs[0], cs[1]) })
	})
	return int64(id), err
}

// Team is a named set of teammates (T2).
type Team struct {
	ID          int64
	Name        string
	MemberCount int
	CreatedAt   int64
	DeletedAt   int64 // 0 unless deleted
}

func goTeam(t *C.sb_team) Team {
	return Team{int64(t.id), C.GoString(&t.name[0]), int(t.member_count), int64(t.created_at), int64(t.deleted_at)}
}

// TeamCreate creates a team (admins only).
func (p *Practice) TeamCreate(actor int64, name string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_team_create(&id, cp, C.sb_id(actor), cs[0]) })
	})
	return int64(id), err
}

// TeamRename renames a team (admins only).
func (p *Practice) TeamRename(actor, team int64, name string) error {
	return withTexts([]string{"name"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_team_rename(cp, C.sb_id(actor), C.sb_id(team), cs[0]) })
	})
}

// TeamDelete deletes a team; its mailbox goes back to the shared inbox (admins only).
func (p *Practice) TeamDelete(actor, team int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_team_delete(cp, C.sb_id(actor), C.sb_id(team)) })
}

// TeamMemberAdd puts a teammate in a team (admins only).
func (p *Practice) TeamMemberAdd(actor, team, teammate int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_team_member_add(cp, C.sb_id(actor), C.sb_id(team), C.sb_id(teammate))
	})
}

// TeamMemberRemove takes a teammate out of a team (admins only).
func (p *Practice) TeamMemberRemove(actor, team, teammate int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_team_member_remove(cp, C.sb_id(actor), C.sb_id(team), C.sb_id(teammate))
	})
}

// TeamGet reads one team (deleted ones too).
func (p *Practice) TeamGet(actor, team int64) (Team, error) {
	var t C.sb_team
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_team_get(&t, cp, C.sb_id(actor), C.sb_id(team)) })
	return goTeam(&t), err
}

// TeamList returns up to limit teams after afterID, in id order.
func (p *Practice) TeamList(actor, afterID int64, limit int) ([]Team, error) {
	if limit < 1 || limit > int(C.SB_TEAM_LIST_MAX) {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..500"}
	}
	buf := make([]C.sb_team, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_team_list(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]Team, int(n))
	for i := range out {
		out[i] = goTeam(&buf[i])
	}
	return out, err
}

type idLister func(*C.sb_id, *C.size_t, *C.sb_practice, C.sb_id, C.sb_id, C.sb_id, C.size_t) C.int

// ids runs one of the calls that list ids of something, a page at a time.
func (p *Practice) ids(fn idLister, actor, of, afterID int64, limit int) ([]int64, error) {
	if limit < 1 || limit > 500 {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..500"}
	}
	buf := make([]C.sb_id, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return fn(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(of), C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]int64, int(n))
	for i := range out {
		out[i] = int64(buf[i])
	}
	return out, err
}

// TeamMembers lists a team's teammate ids.
func (p *Practice) TeamMembers(actor, team, afterID int64, limit int) ([]int64, error) {
	return p.ids(func(o *C.sb_id, n *C.size_t, cp *C.sb_practice, a, of, after C.sb_id, max C.size_t) C.int {
		return C.sb_team_members(o, n, cp, a, of, after, max)
	}, actor, team, afterID, limit)
}

// TeammateTeams lists the teams a teammate is in.
func (p *Practice) TeammateTeams(actor, teammate, afterID int64, limit int) ([]int64, error) {
	return p.ids(func(o *C.sb_id, n *C.size_t, cp *C.sb_practice, a, of, after C.sb_id, max C.size_t) C.int {
		return C.sb_teammate_teams(o, n, cp, a, of, after, max)
	}, actor, teammate, afterID, limit)
}

// Settings are the practice's settings: assignment on or off (T3), plan and billing (T1).
type Settings struct {
	AssignmentOn bool
	Plan         string
	BillingEmail string
}

// SettingsGet reads the practice's settings.
func (p *Practice) SettingsGet(actor int64) (Settings, error) {
	var s C.sb_practice_settings
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_settings_get(&s, cp, C.sb_id(actor)) })
	return Settings{s.assignment_on != 0, C.GoString(&s.plan[0]), C.GoString(&s.billing_email[0])}, err
}

// SettingsSet replaces the practice's settings (admins only).
func (p *Practice) SettingsSet(actor int64, s Settings) error {
	var c C.sb_practice_settings
	C.sb_practice_settings_init(&c)
	if len(s.Plan) > int(C.SB_PLAN_MAX) || len(s.BillingEmail) > int(C.SB_BILLING_EMAIL_MAX) {
		return &Error{Code: int(C.SB_ETOOBIG), Detail: "plan or billing e-mail is too long"}
	}
	c.assignment_on = flag(s.AssignmentOn)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&c.plan[0])), len(c.plan)), s.Plan)
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&c.billing_email[0])), len(c.billing_email)), s.BillingEmail)
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_practice_settings_set(cp, C.sb_id(actor), &c) })
}

// EndpointSetOwner gives an endpoint an owner: OwnerPractice (id 0), OwnerTeammate or OwnerTeam (T8).
func (p *Practice) EndpointSetOwner(actor, endpoint int64, ownerKind int, ownerID int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_endpoint_set_owner(cp, C.sb_id(actor), C.sb_id(endpoint), C.int(ownerKind), C.sb_id(ownerID))
	})
}

// EndpointSetAutoAssign turns auto-assignment on or off (T5).
func (p *Practice) EndpointSetAutoAssign(actor, endpoint int64, on bool) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_endpoint_set_auto_assign(cp, C.sb_id(actor), C.sb_id(endpoint), flag(on))
	})
}

// EndpointMemberAdd makes a teammate an additional member of an endpoint (T8).
func (p *Practice) EndpointMemberAdd(actor, endpoint, teammate int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_endpoint_member_add(cp, C.sb_id(actor), C.sb_id(endpoint), C.sb_id(teammate))
	})
}

// EndpointMemberRemove ends a teammate's membership of an endpoint.
func (p *Practice) EndpointMemberRemove(actor, endpoint, teammate int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_endpoint_member_remove(cp, C.sb_id(actor), C.sb_id(endpoint), C.sb_id(teammate))
	})
}

// EndpointMembers lists an endpoint's additional members.
func (p *Practice) EndpointMembers(actor, endpoint, afterID int64, limit int) ([]int64, error) {
	return p.ids(func(o *C.sb_id, n *C.size_t, cp *C.sb_practice, a, of, after C.sb_id, max C.size_t) C.int {
		return C.sb_endpoint_members(o, n, cp, a, of, after, max)
	}, actor, endpoint, afterID, limit)
}

// EndpointSees tells whether the actor sees the endpoint's conversations (T8).
func (p *Practice) EndpointSees(actor, endpoint int64) (bool, error) {
	var out C.int
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_endpoint_sees(&out, cp, C.sb_id(actor), C.sb_id(endpoint)) })
	return out != 0, err
}

// ConversationAssign puts a conversation in MailboxInbox (to 0), MailboxTeammate or MailboxTeam (T3).
func (p *Practice) ConversationAssign(actor, conversation int64, mailbox int, to int64) error {
	return p.call(func(cp *C.sb_practice) C.int {
		return C.sb_conversation_assign(cp, C.sb_id(actor), C.sb_id(conversation), C.int(mailbox), C.sb_id(to))
	})
}

// MailboxEntry is one conversation in a mailbox page.
type MailboxEntry struct {
	ConversationID, EndpointID int64
	ConversationKind           int
	LastItemAt                 int64
	Unread, UnreadByActor      bool
}

// MailboxPage returns a page of a mailbox, newest activity first. Pass the
// last entry of the previous page as before (nil for the first page).
func (p *Practice) MailboxPage(actor int64, mailbox int, owner int64, before *MailboxEntry, limit int) ([]MailboxEntry, error) {
	if limit < 1 || limit > MailboxPageMax {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..100"}
	}
	var at, id int64
	if before != nil {
		at, id = before.LastItemAt, before.ConversationID
	}
	buf := make([]C.sb_mailbox_entry, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_mailbox_page(&buf[0], &n, cp, C.sb_id(actor), C.int(mailbox), C.sb_id(owner), C.int64_t(at),
			C.sb_id(id), C.size_t(limit))
	})
	out := make([]MailboxEntry, int(n))
	for i := range out {
		e := &buf[i]
		out[i] = MailboxEntry{int64(e.conversation_id), int64(e.endpoint_id), int(e.conversation_kind),
			int64(e.last_item_at), e.unread != 0, e.unread_by_actor != 0}
	}
	return out, err
}

// MailboxUnread counts a mailbox's unread conversations the actor sees.
func (p *Practice) MailboxUnread(actor int64, mailbox int, owner int64) (int64, error) {
	var n C.int64_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_mailbox_unread(&n, cp, C.sb_id(actor), C.int(mailbox), C.sb_id(owner))
	})
	return int64(n), err
}

// TimelineEvent is what an event item of a timeline says.
type TimelineEvent struct {
	Event, Mailbox int
	MailboxOwner   int64
}

// ItemEventGet reads an event item (assigned, unassigned, closed, reopened).
func (p *Practice) ItemEventGet(actor, item int64) (TimelineEvent, error) {
	var e C.sb_item_event
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_item_event_get(&e, cp, C.sb_id(actor), C.sb_id(item)) })
	return TimelineEvent{int(e.event), int(e.mailbox_kind), int64(e.mailbox_owner)}, err
}

// Tag is a contact or conversation tag (T7).
type Tag struct {
	ID   int64
	Kind int // TagContact or TagConversation
	Name string
}

func (p *Practice) tagEdit(actor int64, target int, object int64, name string, add bool) error {
	return withTexts([]string{"tag"}, []string{name}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			if add {
				return C.sb_tag_add(cp, C.sb_id(actor), C.int(target), C.sb_id(object), cs[0])
			}
			return C.sb_tag_remove(cp, C.sb_id(actor), C.int(target), C.sb_id(object), cs[0])
		})
	})
}

// TagAdd puts a tag on a contact, conversation or endpoint (target: TagsOf...).
func (p *Practice) TagAdd(actor int64, target int, object int64, name string) error {
	return p.tagEdit(actor, target, object, name, true)
}

// TagRemove takes a tag off.
func (p *Practice) TagRemove(actor int64, target int, object int64, name string) error {
	return p.tagEdit(actor, target, object, name, false)
}

func goTags(buf []C.sb_tag, n C.size_t) []Tag {
	out := make([]Tag, int(n))
	for i := range out {
		out[i] = Tag{int64(buf[i].id), int(buf[i].kind), C.GoString(&buf[i].name[0])}
	}
	return out
}

// TagsOf lists the tags on one object, by name.
func (p *Practice) TagsOf(actor int64, target int, object int64) ([]Tag, error) {
	buf := make([]C.sb_tag, C.SB_TAGS_PER_OBJECT_MAX)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_tags_of(&buf[0], &n, cp, C.sb_id(actor), C.int(target), C.sb_id(object))
	})
	return goTags(buf, n), err
}

// TagList lists the practice's tags of one kind, in id order.
func (p *Practice) TagList(actor int64, kind int, afterID int64, limit int) ([]Tag, error) {
	if limit < 1 || limit > int(C.SB_TAG_LIST_MAX) {
		return nil, &Error{Code: int(C.SB_EINVAL), Detail: "limit must be 1..500"}
	}
	buf := make([]C.sb_tag, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_tag_list(&buf[0], &n, cp, C.sb_id(actor), C.int(kind), C.sb_id(afterID), C.size_t(limit))
	})
	return goTags(buf, n), err
}
