package switchboard

import (
	"errors"
	"strings"
	"testing"
)

func secureWorld(t *testing.T) (*Practice, *automationCarrier, *int64, int64, int64) {
	p, c, now, fr := automationWorld(t)
	if err := p.LinkBaseSet(1, "https://clinic.example/s/"); err != nil {
		t.Fatal(err)
	}
	link := ok(p.LinkCreate(1, "Maple-Street", "Maple Street secure"))
	if err := p.InvitationSettingsSet(1, InvitationSettings{Sender: fr}); err != nil {
		t.Fatal(err)
	}
	jane := ok(p.ContactCreate(1, "Jane Roe"))
	ok(p.ContactAddAddress(1, jane, AddressPhone, "4155550161"))
	ok(p.ContactAddAddress(1, jane, AddressEmail, "jane@mail.example"))
	return p, c, now, link, jane
}

func lastCode(c *automationCarrier) string {
	body := c.texts[len(c.texts)-1].Body
	return body[strings.Index(body, "code is ")+8:][:6]
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestSecureLinks(t *testing.T) {
	p, _, _, link, _ := secureWorld(t)
	if url := ok(p.LinkURL(2, link)); url != "https://clinic.example/s/maple-street" {
		t.Fatalf("L1: the URL is the base and the slug: %q", url)
	}
	if id := ok(p.LinkFind(2, "MAPLE-street")); id != link {
		t.Fatal("L1: slugs are found without regard to case")
	}
	if _, err := p.LinkCreate(1, "maple-STREET", "Again"); !errors.Is(err, ErrConflict) {
		t.Fatalf("L1: slugs are unique without regard to case: %v", err)
	}
	if _, err := p.LinkCreate(1, "login", "Reserved"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("L1: reserved words are refused: %v", err)
	}
	gen := ok(p.LinkCreate(1, "", "Generated"))
	if e := ok(p.EndpointGet(1, gen)); len(e.Address) != 16 {
		t.Fatalf("L1: a generated slug has 16 characters: %q", e.Address)
	}
	qr := ok(p.LinkQR(1, link))
	if len(qr) < 21 || !qr[0][0] || qr[1][1] {
		t.Fatalf("L1: a QR code with its finder pattern: %d", len(qr))
	}
	if svg := ok(p.LinkQRSVG(1, link)); !strings.HasPrefix(svg, "<svg") {
		t.Fatal("L1: the QR code as SVG")
	}
	if base := ok(p.LinkBaseGet(3)); base != "https://clinic.example/s" {
		t.Fatalf("the base URL without its trailing slash: %q", base)
	}
}

func TestSecureInvitationAndMessages(t *testing.T) {
	p, c, _, link, jane := secureWorld(t)
	inv := ok(p.InvitationSend(2, link, jane))
	if len(c.texts) != 1 || len(c.emails) != 1 {
		t.Fatalf("L2: an invitation goes by SMS and e-mail: %d texts, %d e-mails", len(c.texts), len(c.emails))
	}
	token := c.texts[0].Body[strings.Index(c.texts[0].Body, "?invite=")+8:]
	if l := ok(p.InvitationOpen(token)); l != link {
		t.Fatalf("seed 003: opening the link names it: %d", l)
	}
	if v := ok(p.InvitationGet(2, inv)); v.State != InvitationOpened {
		t.Fatalf("seed 003: the invitation is opened: %+v", v)
	}
	if _, err := p.InvitationOpen("wrong-token"); !errors.Is(err, ErrCode) {
		t.Fatalf("a wrong token: %v", err)
	}
	signup := ok(p.SignupStart(Signup{Token: token, Mobile: "415-555-0161"}))
	if _, err := p.SignupVerify(signup, wrongCode(lastCode(c))); !errors.Is(err, ErrCode) {
		t.Fatalf("L3: a wrong code: %v", err)
	}
	r := ok(p.SignupVerify(signup, lastCode(c)))
	if r.ContactID != jane || r.Identity != IdentityVerified || !r.NewConversation {
		t.Fatalf("L4, L5: an invitation pairs a verified account with the invited contact: %+v", r)
	}
	if v := ok(p.InvitationGet(2, inv)); v.State != InvitationAccepted || v.AccountID != r.AccountID {
		t.Fatalf("L2: the invitation is accepted: %+v", v)
	}
	if _, err := p.SignupStart(Signup{Token: token, Mobile: "4155550161"}); !errors.Is(err, ErrState) {
		t.Fatalf("tokens are single-use: %v", err)
	}
	ok(p.InvitationSendMessage(2, link, jane, "Hi Jane, here is the link we talked about."))
	if last := c.texts[len(c.texts)-1].Body; !strings.HasPrefix(last, "Hi Jane, here is the link we talked about. https://") {
		t.Fatalf("seed 003: a teammate's own text: %q", last)
	}
	if s := ok(p.SecureStatusGet(2, r.ConversationID)); s.Identity != IdentityVerified || !s.MobileMatches || s.EmailMatches {
		t.Fatalf("L5: the status shows what matches: %+v", s)
	}
	patient := PatientActor(r.AccountID)
	first := ok(p.SecureSend(patient, SecureMessage{Conversation: r.ConversationID, Body: "my results?", IdempotencyKey: "k1"}))
	if again := ok(p.SecureSend(patient, SecureMessage{Conversation: r.ConversationID, Body: "my results?", IdempotencyKey: "k1"})); again != first {
		t.Fatal("a keyed message is sent once")
	}
	ok(p.SecureSend(2, SecureMessage{Conversation: r.ConversationID, Body: "Friday."}))
	msgs := ok(p.SecureMessages(patient, r.ConversationID, 0, 10))
	if len(msgs) != 2 || msgs[1].Text != "my results?" {
		t.Fatalf("L6: the patient reads both messages: %+v", msgs)
	}
	if cs := ok(p.PatientConversations(patient, 0, 10)); len(cs) != 1 || cs[0].LinkLabel != "Maple Street secure" {
		t.Fatalf("the patient's own conversations: %+v", cs)
	}
	if _, err := p.ConversationGet(patient, r.ConversationID); !errors.Is(err, ErrDenied) {
		t.Fatalf("L6: a patient never reads teammate views: %v", err)
	}
	if err := p.ConversationDelete(1, r.ConversationID); !errors.Is(err, ErrSecure) {
		t.Fatalf("C10: %v", err)
	}
	if _, err := p.SecureStart(2, ok(p.BusinessNumberFind(2, front)), r.AccountID); !errors.Is(err, ErrState) {
		t.Fatalf("L6: a business number cannot start a secure conversation: %v", err)
	}
	if a := ok(p.AccountGet(patient, r.AccountID)); a.Mobile != "+14155550161" {
		t.Fatalf("the patient reads its own account: %+v", a)
	}
	// Seed 003: a teammate changes the lost mobile; the code to the new one re-verifies it.
	change := ok(p.AccountMobileChange(2, r.AccountID, "415-555-0177"))
	if _, err := p.AccountMobileChange(patient, r.AccountID, "415-555-0178"); !errors.Is(err, ErrDenied) {
		t.Fatalf("a patient cannot move its account: %v", err)
	}
	if moved := ok(p.SignupVerify(change, lastCode(c))); moved.AccountID != r.AccountID || moved.NewAccount {
		t.Fatalf("the same account: %+v", moved)
	}
	if a := ok(p.AccountGet(patient, r.AccountID)); a.Mobile != "+14155550177" {
		t.Fatalf("the new mobile: %+v", a)
	}
}

func TestSecureBareLinkAndBounds(t *testing.T) {
	p, c, now, _, _ := secureWorld(t)
	signup := ok(p.SignupStart(Signup{Slug: "maple-street", Mobile: "4155550177", Name: "Sam"}))
	wrong := wrongCode(lastCode(c))
	for i := 1; i < CodeTriesMax; i++ {
		if _, err := p.SignupVerify(signup, wrong); !errors.Is(err, ErrCode) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if _, err := p.SignupVerify(signup, wrong); !errors.Is(err, ErrLimit) {
		t.Fatalf("L3: the last try locks the sign-up: %v", err)
	}
	if _, err := p.SignupVerify(signup, lastCode(c)); !errors.Is(err, ErrLimit) {
		t.Fatalf("L3: a sign-up locks after its tries: %v", err)
	}
	signup = ok(p.SignupStart(Signup{Slug: "maple-street", Mobile: "4155550177", Name: "Sam"}))
	*now += 10 * 60 * 1000
	if _, err := p.SignupVerify(signup, lastCode(c)); !errors.Is(err, ErrExpired) {
		t.Fatalf("L3: codes expire: %v", err)
	}
	if err := p.SignupResend(signup); err != nil {
		t.Fatal(err)
	}
	r := ok(p.SignupVerify(signup, lastCode(c)))
	if r.Identity != IdentityUnverified || !r.NewContact {
		t.Fatalf("L5: a bare link pairs an unverified account with a new contact: %+v", r)
	}
	if err := p.AccountConfirm(2, r.AccountID); err != nil {
		t.Fatal(err)
	}
	if a := ok(p.AccountGet(2, r.AccountID)); a.Identity != IdentityVerified || a.ConfirmedBy != 2 {
		t.Fatalf("L5: a teammate confirms: %+v", a)
	}
	f := ContactFilter()
	f.Invitation = FilterNeverInvited
	rep := ok(p.InvitationRound(2, ok(p.LinkFind(2, "maple-street")), f, "spring", 10))
	if rep.Invited != 2 || rep.More {
		t.Fatalf("L2: a round invites everyone never invited: %+v", rep)
	}
	if again := ok(p.InvitationRound(2, ok(p.LinkFind(2, "maple-street")), f, "spring", 10)); again.Invited != 0 {
		t.Fatalf("L2: once per round: %+v", again)
	}
}
