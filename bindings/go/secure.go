package switchboard

/*
#include <stdlib.h>
#include <switchboard.h>
*/
import "C"

import "unsafe"

// Secure links (link.h), invitations (invitation.h), patient accounts
// (account.h) and secure messages (secure.h).
const (
	InvitationNever    = int(C.SB_INVITATION_NEVER)
	InvitationPending  = int(C.SB_INVITATION_PENDING)
	InvitationAccepted = int(C.SB_INVITATION_ACCEPTED)
	InvitationExpired  = int(C.SB_INVITATION_EXPIRED)
	InvitationRevoked  = int(C.SB_INVITATION_REVOKED)
	InvitationOpened   = int(C.SB_INVITATION_OPENED) // pending, and the patient has opened the link

	IdentityUnverified = int(C.SB_IDENTITY_UNVERIFIED)
	IdentityVerified   = int(C.SB_IDENTITY_VERIFIED)

	CodeTriesMax      = int(C.SB_CODE_TRIES_MAX)
	InvitationPageMax = int(C.SB_INVITATION_PAGE_MAX)
	RoundMax          = int(C.SB_ROUND_MAX)
	PatientPageMax    = int(C.SB_PATIENT_PAGE_MAX)
)

// InvitationSettings are the practice's invitation text, lifetime and sender number.
type InvitationSettings struct {
	Text       string // "" for the library's default
	LifetimeMS int64  // 0 for 14 days
	Sender     int64  // the business number that texts invitations and codes; 0: none
}

// Invitation is one invitation to secure messaging (L2).
type Invitation struct {
	ID, LinkID, ContactID, RoundID int64
	State                          int
	CreatedBy                      int64
	CreatedAt, ExpiresAt, EndedAt  int64
	SMSItemID                      int64
	Emailed                        bool
	AccountID                      int64
}

// RoundReport says what one call of InvitationRound did.
type RoundReport struct {
	RoundID                  int64
	Invited, Skipped, Failed int
	More                     bool
}

// Signup is a visitor's sign-up: exactly one of Slug and Token.
type Signup struct {
	Slug, Token, Mobile, Email, Name string
}

// SignupResult is what a verified sign-up made.
type SignupResult struct {
	AccountID, ContactID, ConversationID    int64
	Identity                                int
	NewAccount, NewContact, NewConversation bool
}

// Account is a patient account.
type Account struct {
	ID, ContactID int64
	Identity      int
	Mobile, Email string
	ConfirmedBy   int64
	ConfirmedAt   int64
	CreatedAt     int64
}

// SecureMessage is a message to send in a secure conversation.
type SecureMessage struct {
	Conversation   int64
	Body           string
	Attachments    []AttachmentSpec
	IdempotencyKey string // "": none
}

// SecureStatus is a secure conversation's identity status (L5).
type SecureStatus struct {
	ConversationID, LinkID, AccountID, ContactID int64
	Identity                                     int
	MobileMatches, EmailMatches                  bool
	ConfirmedBy                                  int64
	ConfirmedAt                                  int64
}

// PatientConversation is one of a patient's secure conversations, as the patient sees it.
type PatientConversation struct {
	ID, LinkID            int64
	LinkLabel             string
	CreatedAt, LastItemAt int64
}

// PatientActor is the actor id of a patient account, for calls made on its behalf.
func PatientActor(account int64) int64 { return int64(C.sb_patient_actor(C.sb_id(account))) }

// optional is NULL for "", else the C string.
func optional(c *C.char, s string) *C.char {
	if s == "" {
		return nil
	}
	return c
}

// --- links (L1) ---

// LinkBaseSet sets the https base every link URL starts with (admins).
func (p *Practice) LinkBaseSet(actor int64, base string) error {
	return withTexts([]string{"base"}, []string{base}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_link_base_set(cp, C.sb_id(actor), cs[0]) })
	})
}

// LinkBaseGet reads the link base URL ("" when unset).
func (p *Practice) LinkBaseGet(actor int64) (string, error) {
	var buf [C.SB_LINK_BASE_MAX + 1]C.char
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_link_base_get(&buf[0], C.size_t(len(buf)), cp, C.sb_id(actor))
	})
	return C.GoString(&buf[0]), err
}

// LinkCreate adds a secure link (an endpoint); slug "" generates an unguessable one.
func (p *Practice) LinkCreate(actor int64, slug, label string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"slug", "label"}, []string{slug, label}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_link_create(&id, cp, C.sb_id(actor), optional(cs[0], slug), cs[1])
		})
	})
	return int64(id), err
}

// LinkSetSlug changes a link's slug (admins and its owner).
func (p *Practice) LinkSetSlug(actor, link int64, slug string) error {
	return withTexts([]string{"slug"}, []string{slug}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_link_set_slug(cp, C.sb_id(actor), C.sb_id(link), cs[0]) })
	})
}

// LinkFind returns the active link with a slug, in any case.
func (p *Practice) LinkFind(actor int64, slug string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"slug"}, []string{slug}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_link_find(&id, cp, C.sb_id(actor), cs[0]) })
	})
	return int64(id), err
}

// LinkURL is the link's full URL.
func (p *Practice) LinkURL(actor, link int64) (string, error) {
	var buf [C.SB_LINK_URL_MAX]C.char
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_link_url(&buf[0], C.size_t(len(buf)), cp, C.sb_id(actor), C.sb_id(link))
	})
	return C.GoString(&buf[0]), err
}

// LinkQR is the link URL's QR code: rows of modules, true for dark (no quiet zone).
func (p *Practice) LinkQR(actor, link int64) ([][]bool, error) {
	var width C.int
	buf := make([]C.uchar, C.SB_QR_WIDTH_MAX*C.SB_QR_WIDTH_MAX)
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_link_qr(&buf[0], C.size_t(len(buf)), &width, cp, C.sb_id(actor), C.sb_id(link))
	})
	if err != nil {
		return nil, err
	}
	w := int(width)
	rows := make([][]bool, w)
	for y := range rows {
		rows[y] = make([]bool, w)
		for x := range rows[y] {
			rows[y][x] = buf[y*w+x] != 0
		}
	}
	return rows, nil
}

// LinkQRSVG is the link URL's QR code as an SVG document.
func (p *Practice) LinkQRSVG(actor, link int64) (string, error) {
	var size C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_link_qr_svg(nil, 0, &size, cp, C.sb_id(actor), C.sb_id(link))
	})
	if err != nil {
		return "", err
	}
	buf := (*C.char)(C.malloc(size + 1))
	defer C.free(unsafe.Pointer(buf))
	err = p.call(func(cp *C.sb_practice) C.int {
		return C.sb_link_qr_svg(buf, size+1, &size, cp, C.sb_id(actor), C.sb_id(link))
	})
	return C.GoString(buf), err
}

// --- invitations (L2) ---

// InvitationSettingsGet reads the invitation settings.
func (p *Practice) InvitationSettingsGet(actor int64) (InvitationSettings, error) {
	var s C.sb_invitation_settings
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_invitation_settings_get(&s, cp, C.sb_id(actor)) })
	return InvitationSettings{C.GoString(&s.text[0]), int64(s.lifetime_ms), int64(s.sender)}, err
}

// InvitationSettingsSet replaces the invitation settings (admins).
func (p *Practice) InvitationSettingsSet(actor int64, s InvitationSettings) error {
	var c C.sb_invitation_settings
	C.sb_invitation_settings_init(&c)
	if err := fixed(&c.text[0], len(c.text), s.Text, "text"); err != nil {
		return err
	}
	c.lifetime_ms, c.sender = C.int64_t(s.LifetimeMS), C.sb_id(s.Sender)
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_invitation_settings_set(cp, C.sb_id(actor), &c) })
}

// InvitationSend invites a contact through a link, by SMS and e-mail.
func (p *Practice) InvitationSend(actor, link, contact int64) (int64, error) {
	var id C.sb_id
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_invitation_send(&id, cp, C.sb_id(actor), C.sb_id(link), C.sb_id(contact))
	})
	return int64(id), err
}

// InvitationSendMessage invites a contact with the teammate's own text instead of the practice's.
func (p *Practice) InvitationSendMessage(actor, link, contact int64, message string) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"message"}, []string{message}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_invitation_send_message(&id, cp, C.sb_id(actor), C.sb_id(link), C.sb_id(contact), cs[0])
		})
	})
	return int64(id), err
}

// InvitationOpen reports that the patient opened the invitation's link; it returns the link's id.
func (p *Practice) InvitationOpen(token string) (int64, error) {
	var link C.sb_id
	err := withTexts([]string{"token"}, []string{token}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_invitation_open(&link, cp, cs[0]) })
	})
	return int64(link), err
}

// InvitationRound invites everyone a contact filter picks, once per round key.
func (p *Practice) InvitationRound(actor, link int64, f Filter, key string, max int) (RoundReport, error) {
	var r C.sb_round_report
	c, err := cFilter(f)
	if err == nil {
		err = pageLimit(max, RoundMax)
	}
	if err != nil {
		return RoundReport{}, err
	}
	err = withTexts([]string{"round key"}, []string{key}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_invitation_round(&r, cp, C.sb_id(actor), C.sb_id(link), &c, cs[0], C.size_t(max))
		})
	})
	return RoundReport{int64(r.round_id), int(r.invited), int(r.skipped), int(r.failed), r.more != 0}, err
}

func goInvitation(v *C.sb_invitation) Invitation {
	return Invitation{int64(v.id), int64(v.link_id), int64(v.contact_id), int64(v.round_id), int(v.state),
		int64(v.created_by), int64(v.created_at), int64(v.expires_at), int64(v.ended_at), int64(v.sms_item_id),
		v.emailed != 0, int64(v.account_id)}
}

// InvitationGet reads one invitation.
func (p *Practice) InvitationGet(actor, id int64) (Invitation, error) {
	var v C.sb_invitation
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_invitation_get(&v, cp, C.sb_id(actor), C.sb_id(id)) })
	return goInvitation(&v), err
}

// ContactInvitations lists a contact's invitations, newest first.
func (p *Practice) ContactInvitations(actor, contact, beforeID int64, limit int) ([]Invitation, error) {
	if err := pageLimit(limit, InvitationPageMax); err != nil {
		return nil, err
	}
	buf := make([]C.sb_invitation, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_contact_invitations(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(contact), C.sb_id(beforeID), C.size_t(limit))
	})
	out := make([]Invitation, int(n))
	for i := range out {
		out[i] = goInvitation(&buf[i])
	}
	return out, err
}

// InvitationRevoke revokes a pending invitation.
func (p *Practice) InvitationRevoke(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_invitation_revoke(cp, C.sb_id(actor), C.sb_id(id)) })
}

// --- accounts (L3-L5) ---

// SignupStart starts a sign-up and texts its code.
func (p *Practice) SignupStart(s Signup) (int64, error) {
	var id C.sb_id
	err := withTexts([]string{"slug", "token", "mobile", "email", "name"}, []string{s.Slug, s.Token, s.Mobile, s.Email, s.Name},
		func(cs []*C.char) error {
			var c C.sb_signup
			C.sb_signup_init(&c)
			c.slug, c.token, c.mobile = optional(cs[0], s.Slug), optional(cs[1], s.Token), cs[2]
			c.email, c.name = optional(cs[3], s.Email), optional(cs[4], s.Name)
			return p.call(func(cp *C.sb_practice) C.int { return C.sb_signup_start(&id, cp, &c) })
		})
	return int64(id), err
}

// SignupResend texts a new code for a sign-up.
func (p *Practice) SignupResend(signup int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_signup_resend(cp, C.sb_id(signup)) })
}

// SignupVerify checks a code; when right, it makes the account and its secure conversation.
func (p *Practice) SignupVerify(signup int64, code string) (SignupResult, error) {
	var r C.sb_signup_result
	err := withTexts([]string{"code"}, []string{code}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_signup_verify(&r, cp, C.sb_id(signup), cs[0]) })
	})
	return SignupResult{int64(r.account_id), int64(r.contact_id), int64(r.conversation_id), int(r.identity),
		r.new_account != 0, r.new_contact != 0, r.new_conversation != 0}, err
}

// AccountGet reads an account (its teammates, or the patient itself).
func (p *Practice) AccountGet(actor, id int64) (Account, error) {
	var a C.sb_account
	err := p.call(func(cp *C.sb_practice) C.int { return C.sb_account_get(&a, cp, C.sb_id(actor), C.sb_id(id)) })
	return Account{int64(a.id), int64(a.contact_id), int(a.identity), C.GoString(&a.mobile[0]), C.GoString(&a.email[0]),
		int64(a.confirmed_by), int64(a.confirmed_at), int64(a.created_at)}, err
}

// AccountConfirm confirms an unverified account's identity (L5).
func (p *Practice) AccountConfirm(actor, id int64) error {
	return p.call(func(cp *C.sb_practice) C.int { return C.sb_account_confirm(cp, C.sb_id(actor), C.sb_id(id)) })
}

// AccountMobileChange starts a teammate's change of a patient's (lost) mobile: a code goes to
// the new one; pass it to SignupVerify with the returned sign-up id to make the change.
func (p *Practice) AccountMobileChange(actor, account int64, mobile string) (int64, error) {
	var signup C.sb_id
	err := withTexts([]string{"mobile"}, []string{mobile}, func(cs []*C.char) error {
		return p.call(func(cp *C.sb_practice) C.int {
			return C.sb_account_mobile_change(&signup, cp, C.sb_id(actor), C.sb_id(account), cs[0])
		})
	})
	return int64(signup), err
}

// --- secure conversations (L4-L6) ---

// SecureStart starts (or finds) the secure conversation of a link and an account.
func (p *Practice) SecureStart(actor, link, account int64) (int64, error) {
	var id C.sb_id
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_secure_start(&id, cp, C.sb_id(actor), C.sb_id(link), C.sb_id(account))
	})
	return int64(id), err
}

// SecureSend sends a secure message as a teammate, or as a patient (PatientActor).
func (p *Practice) SecureSend(actor int64, m SecureMessage) (int64, error) {
	var id C.sb_id
	atts, free, err := cSpecs(m.Attachments)
	if err != nil {
		return 0, err
	}
	defer free()
	err = withTexts([]string{"body", "idempotency key"}, []string{m.Body, m.IdempotencyKey}, func(cs []*C.char) error {
		var c C.sb_secure_message
		C.sb_secure_message_init(&c)
		c.conversation, c.body = C.sb_id(m.Conversation), cs[0]
		c.attachments, c.attachment_count = atts, C.size_t(len(m.Attachments))
		c.idempotency_key = optional(cs[1], m.IdempotencyKey)
		return p.call(func(cp *C.sb_practice) C.int { return C.sb_secure_send(&id, cp, C.sb_id(actor), &c) })
	})
	return int64(id), err
}

// SecureMessages is a page of a secure conversation's messages, newest first.
func (p *Practice) SecureMessages(actor, conversation, beforeID int64, limit int) ([]Item, error) {
	if err := pageLimit(limit, int(C.SB_TIMELINE_PAGE_MAX)); err != nil {
		return nil, err
	}
	buf := make([]C.sb_item, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_secure_messages(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(conversation), C.sb_id(beforeID),
			C.size_t(limit))
	})
	out := make([]Item, int(n))
	for i := range out {
		out[i] = goItem(&buf[i])
	}
	return out, err
}

// PatientConversations lists a patient actor's own secure conversations.
func (p *Practice) PatientConversations(actor, afterID int64, limit int) ([]PatientConversation, error) {
	if err := pageLimit(limit, PatientPageMax); err != nil {
		return nil, err
	}
	buf := make([]C.sb_patient_conversation, limit)
	var n C.size_t
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_patient_conversations(&buf[0], &n, cp, C.sb_id(actor), C.sb_id(afterID), C.size_t(limit))
	})
	out := make([]PatientConversation, int(n))
	for i := range out {
		c := &buf[i]
		out[i] = PatientConversation{int64(c.id), int64(c.link_id), C.GoString(&c.link_label[0]), int64(c.created_at),
			int64(c.last_item_at)}
	}
	return out, err
}

// SecureStatusGet is a secure conversation's identity status (L5).
func (p *Practice) SecureStatusGet(actor, conversation int64) (SecureStatus, error) {
	var s C.sb_secure_status
	err := p.call(func(cp *C.sb_practice) C.int {
		return C.sb_secure_status_get(&s, cp, C.sb_id(actor), C.sb_id(conversation))
	})
	return SecureStatus{int64(s.conversation_id), int64(s.link_id), int64(s.account_id), int64(s.contact_id),
		int(s.identity), s.mobile_matches != 0, s.email_matches != 0, int64(s.confirmed_by), int64(s.confirmed_at)}, err
}
