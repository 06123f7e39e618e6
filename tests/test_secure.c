/* Secure links, invitations, patient accounts and secure messages (L1–L6):
 * slugs and QR codes, invitations by SMS and e-mail with their states and
 * rounds, sign-ups with 6-digit codes and their brute-force bounds,
 * identity status, the patient actor's isolation, and C10. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY INT64_C(86400000)
#define PATIENT "+14155550161"       /* Jane, an existing contact */
#define NEWCOMER "+14155550177"      /* signs up through the bare link */
#define JANE_EMAIL "jane@mail.example"
#define SECRET "the biopsy result worries me"

static const unsigned char key[SB_KEY_BYTES] = "secure-links-key-secure-links-k";

typedef struct world {
	test_world w;
	sb_id link, jane;
} world;

static sb_practice *P(void **state)
{
	return ((world *)*state)->w.f->p;
}

static int setup(void **state)
{
	int rc = test_world_open(state, key, sizeof(world));
	world *x = *state;
	sb_practice *p = x->w.f->p;
	sb_invitation_settings s;
	sb_id address;
	assert_int_equal(sb_link_base_set(p, 1, "https://clinic.example/s/"), SB_OK);
	assert_int_equal(sb_link_create(&x->link, p, 1, "Maple-Street", "Maple Street secure"), SB_OK);
	sb_invitation_settings_init(&s);
	s.sender = x->w.front;
	assert_int_equal(sb_invitation_settings_set(p, 1, &s), SB_OK);
	assert_int_equal(sb_contact_create(&x->jane, p, 1, "Jane Roe"), SB_OK);
	assert_int_equal(sb_contact_add_address(&address, p, 1, x->jane, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	assert_int_equal(sb_contact_add_address(&address, p, 1, x->jane, SB_ADDRESS_EMAIL, JANE_EMAIL), SB_OK);
	x->w.f->carrier.count = 0;
	return rc;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static int64_t count(void **state, const char *sql)
{
	return test_value(((world *)*state)->w.f->path, sql);
}

/* Jane's invitation column, and has_account, as 10 * invitation + has_account. */
static int64_t jane_columns(void **state)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT invitation * 10 + has_account FROM sb_contact WHERE id = %lld",
	         (long long)((world *)*state)->jane);
	return count(state, sql);
}

/* The text after `marker` in the carrier's log line `i`, `n` characters. */
static void from_log(void **state, int i, const char *marker, size_t n, char *out)
{
	const char *line = ((world *)*state)->w.f->carrier.log[i];
	const char *at = strstr(line, marker);
	if (!at)
		fail_msg("log line %d has no \"%s\": %s", i, marker, line);
	snprintf(out, n + 1, "%s", at + strlen(marker));
}

/* Invite Jane and return the token her text carried. */
static sb_id invite_jane(void **state, char token[44])
{
	world *x = *state;
	sb_id id = 0;
	int before = x->w.f->carrier.count;
	assert_int_equal(sb_invitation_send(&id, P(state), 2, x->link, x->jane), SB_OK);
	from_log(state, before, "?invite=", 43, token);
	return id;
}

static sb_id start_signup(void **state, const char *slug, const char *token, const char *mobile, const char *email,
                          const char *name, char code[7])
{
	sb_signup s;
	sb_id id = 0;
	int before = ((world *)*state)->w.f->carrier.count;
	sb_signup_init(&s);
	s.slug = slug;
	s.token = token;
	s.mobile = mobile;
	s.email = email;
	s.name = name;
	int rc = sb_signup_start(&id, P(state), &s);
	if (rc != SB_OK)
		fail_msg("sign-up: %s (%s)", sb_strerror(rc), sb_practice_errmsg(P(state)));
	from_log(state, before, "code is ", 6, code);
	return id;
}

/* --- L1: links --- */

static void slugs_are_validated_and_unique_without_case(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_id id = 0;
	sb_endpoint e;
	assert_int_equal(sb_endpoint_get(&e, p, 1, x->link), SB_OK);
	assert_int_equal(e.kind, SB_ENDPOINT_SECURE_LINK);
	assert_string_equal(e.address, "maple-street");
	test_expect_error(p, sb_link_create(&id, p, 1, "MAPLE-street", "Again"), SB_ECONFLICT, "has this slug");
	static const struct {
		const char *slug, *phrase;
	} bad[] = {
	    {"ab", "at least 3"},
	    {"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij", "at most 48"},
	    {"a_b", "letters, digits and hyphens"},
	    {"a b", "letters, digits and hyphens"},
	    {"-ab", "starts and ends"},
	    {"ab-", "starts and ends"},
	    {"a--b", "two hyphens"},
	    {"Admin", "reserved"},
	    {"caf\xc3\xa9", "letters, digits and hyphens"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		test_expect_error(p, sb_link_create(&id, p, 1, bad[i].slug, "Bad"), SB_EINVAL, bad[i].phrase);
	test_expect_error(p, sb_link_create(&id, p, 1, "ab\xff", "Bad"), SB_EUTF8, "slug");
	test_expect_error(p, sb_link_create(&id, p, 2, "front", "Front"), SB_EDENIED, "admin");
	/* Generated slugs: 16 letters of the alphabet without look-alikes, never repeated. */
	sb_id a, b;
	sb_endpoint ea, eb;
	assert_int_equal(sb_link_create(&a, p, 1, NULL, "Generated A"), SB_OK);
	assert_int_equal(sb_link_create(&b, p, 1, "", "Generated B"), SB_OK);
	assert_int_equal(sb_endpoint_get(&ea, p, 1, a), SB_OK);
	assert_int_equal(sb_endpoint_get(&eb, p, 1, b), SB_OK);
	assert_int_equal(strlen(ea.address), SB_SLUG_GENERATED);
	assert_int_equal(strspn(ea.address, "abcdefghijkmnpqrstuvwxyz23456789"), SB_SLUG_GENERATED);
	assert_string_not_equal(ea.address, eb.address);
	/* Found in any case; renamed by its owner only (T6). */
	assert_int_equal(sb_link_find(&id, p, 3, "MAPLE-STREET"), SB_OK);
	assert_int_equal(id, x->link);
	test_expect_error(p, sb_link_find(&id, p, 3, "elm-street"), SB_ENOTFOUND, "no active secure link");
	test_expect_error(p, sb_link_set_slug(p, 2, x->link, "elm-street"), SB_EDENIED, "");
	test_expect_error(p, sb_link_set_slug(p, 1, x->link, ea.address), SB_ECONFLICT, "has this slug");
	assert_int_equal(sb_link_set_slug(p, 1, x->link, "Elm-Street"), SB_OK);
	assert_int_equal(sb_link_find(&id, p, 3, "elm-street"), SB_OK);
	/* Listed with the endpoints of its kind, not with the business numbers. */
	sb_endpoint list[8];
	size_t n = 0;
	assert_int_equal(sb_endpoint_list(list, &n, p, 1, SB_ENDPOINT_SECURE_LINK, 0, 8, 0), SB_OK);
	assert_int_equal(n, 3);
}

static void the_url_is_the_base_and_the_slug(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char url[SB_LINK_URL_MAX], small[10];
	assert_int_equal(sb_link_url(url, sizeof url, p, 4, x->link), SB_OK);
	assert_string_equal(url, "https://clinic.example/s/maple-street");
	test_expect_error(p, sb_link_url(small, sizeof small, p, 4, x->link), SB_ETOOBIG, "bytes");
	test_expect_error(p, sb_link_url(url, sizeof url, p, 4, x->w.front), SB_ESTATE, "not a secure link");
	static const char *const bad[] = {"http://clinic.example", "https://", "https:///x", "https://a b", "https://a?x=1",
	                                  "ftp://x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		test_expect_error(p, sb_link_base_set(p, 1, bad[i]), SB_EINVAL, "link base URL");
	test_expect_error(p, sb_link_base_set(p, 2, "https://elsewhere.example"), SB_EDENIED, "admin");
	assert_int_equal(sb_link_base_get(url, sizeof url, p, 3), SB_OK);
	assert_string_equal(url, "https://clinic.example/s");
	assert_int_equal(sb_link_base_set(p, 1, ""), SB_OK);
	test_expect_error(p, sb_link_url(url, sizeof url, p, 4, x->link), SB_ESTATE, "no link base URL");
}

static void the_url_renders_as_a_qr_code(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	int width = 0;
	size_t len = 0;
	assert_int_equal(sb_link_qr(NULL, 0, &width, p, 1, x->link), SB_OK);
	assert_true(width >= 21 && width <= SB_QR_WIDTH_MAX && (width - 17) % 4 == 0);
	unsigned char m[SB_QR_WIDTH_MAX * SB_QR_WIDTH_MAX];
	assert_int_equal(sb_link_qr(m, sizeof m, &width, p, 1, x->link), SB_OK);
	/* The finder patterns: a dark 7x7 ring with a light ring inside, in three corners. */
	for (int i = 0; i < 7; i++) {
		assert_int_equal(m[i], 1);
		assert_int_equal(m[6 * width + i], 1);
		assert_int_equal(m[i * width + width - 1], 1);
		assert_int_equal(m[(width - 1) * width + i], 1);
	}
	assert_int_equal(m[1 * width + 1], 0);
	assert_int_equal(m[3 * width + 3], 1);
	test_expect_error(p, sb_link_qr(m, 20, &width, p, 1, x->link), SB_ETOOBIG, "modules");
	assert_int_equal(sb_link_qr_svg(NULL, 0, &len, p, 1, x->link), SB_OK);
	char *svg = test_malloc(len + 1);
	assert_int_equal(sb_link_qr_svg(svg, len + 1, &len, p, 1, x->link), SB_OK);
	assert_int_equal(strlen(svg), len);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "M4 4h7v1H4z")); /* the top finder row, past the quiet zone */
	assert_int_equal(sb_link_qr_svg(svg, len, &len, p, 1, x->link), SB_ETOOBIG);
	test_free(svg);
}

/* --- L2: invitations --- */

static void an_invitation_goes_by_sms_and_email(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	test_carrier *c = &x->w.f->carrier;
	char token[44];
	sb_invitation v;
	sb_id id = invite_jane(state, token);
	assert_int_equal(c->count, 2);
	assert_non_null(strstr(c->log[0], "send_sms from=" TEST_FRONT " to=" PATIENT
	                                  " body=You are invited to message us securely: https://clinic.example/s/maple-street?invite="));
	assert_non_null(strstr(c->log[1], "send_email to=" JANE_EMAIL));
	assert_non_null(strstr(c->email_body, token));
	assert_int_equal(strlen(token), 43);
	assert_int_equal(sb_invitation_get(&v, p, 2, id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_PENDING);
	assert_int_equal(v.contact_id, x->jane);
	assert_int_equal(v.expires_at - v.created_at, SB_INVITATION_TTL_DEFAULT_MS);
	assert_true(v.sms_item_id > 0);
	assert_int_equal(v.emailed, 1);
	/* The text is an outbound message of the sender's conversation with Jane. */
	sb_item item;
	assert_int_equal(sb_item_get(&item, p, 2, v.sms_item_id), SB_OK);
	assert_int_equal(item.direction, SB_DIRECTION_OUTBOUND);
	/* Only the token's hash is stored. */
	assert_false(test_store_contains(x->w.f->path, token));
	/* The contact filters see the state (T9). */
	sb_filter f;
	sb_id ids[8];
	size_t n = 0;
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.invitation = SB_FILTER_INVITED_NOT_ACCEPTED;
	assert_int_equal(sb_filter_contacts(ids, &n, p, 2, &f, 0, 8), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], x->jane);
	/* A second invitation supersedes the first; revoking ends the second. */
	sb_id second = invite_jane(state, token);
	assert_int_equal(sb_invitation_get(&v, p, 2, id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_REVOKED);
	assert_int_equal(sb_invitation_revoke(p, 3, second), SB_OK);
	test_expect_error(p, sb_invitation_revoke(p, 3, second), SB_ESTATE, "not pending");
	assert_int_equal(jane_columns(state), SB_INVITATION_REVOKED * 10);
	sb_invitation list[4];
	assert_int_equal(sb_contact_invitations(list, &n, p, 2, x->jane, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, second);
}

static void invitations_need_a_channel_and_the_link(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_id nobody, id = 99, address;
	assert_int_equal(sb_contact_create(&nobody, p, 1, "No Address"), SB_OK);
	char *before = test_dump(x->w.f->path);
	test_expect_error(p, sb_invitation_send(&id, p, 2, x->link, nobody), SB_ESTATE, "no e-mail and no phone");
	assert_int_equal(id, 0);
	test_expect_error(p, sb_invitation_send(&id, p, 2, x->w.front, x->jane), SB_ESTATE, "not a secure link");
	test_expect_error(p, sb_invitation_send(&id, p, 2, x->link, 999), SB_ENOTFOUND, "contact");
	test_expect_error(p, sb_invitation_send(&id, p, 2, 999, x->jane), SB_ENOTFOUND, "endpoint");
	test_expect_dump(x->w.f->path, before);
	/* T8: a link owned by teammate 5 invites only through its owner. */
	assert_int_equal(sb_endpoint_set_owner(p, 1, x->link, SB_OWNER_TEAMMATE, 5), SB_OK);
	test_expect_error(p, sb_invitation_send(&id, p, 2, x->link, x->jane), SB_EDENIED, "");
	assert_int_equal(sb_invitation_send(&id, p, 5, x->link, x->jane), SB_OK);
	sb_invitation v;
	test_expect_error(p, sb_invitation_get(&v, p, 2, id), SB_EDENIED, "");
	/* Without a sender, an e-mail alone. */
	sb_invitation_settings s;
	sb_invitation_settings_init(&s);
	assert_int_equal(sb_contact_add_address(&address, p, 1, nobody, SB_ADDRESS_EMAIL, "no@mail.example"), SB_OK);
	assert_int_equal(sb_invitation_settings_set(p, 1, &s), SB_OK);
	x->w.f->carrier.count = 0;
	assert_int_equal(sb_invitation_send(&id, p, 5, x->link, nobody), SB_OK);
	assert_int_equal(x->w.f->carrier.count, 1);
	assert_non_null(strstr(x->w.f->carrier.log[0], "send_email"));
	/* Settings: admins, a real sender, a sane lifetime. */
	s.lifetime_ms = 60000;
	test_expect_error(p, sb_invitation_settings_set(p, 1, &s), SB_EINVAL, "1 hour and 90 days");
	s.lifetime_ms = 0;
	s.sender = x->link;
	test_expect_error(p, sb_invitation_settings_set(p, 1, &s), SB_ESTATE, "not a business number");
	s.sender = 0;
	test_expect_error(p, sb_invitation_settings_set(p, 2, &s), SB_EDENIED, "admin");
}

static void invitations_expire(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char token[44];
	sb_invitation v;
	sb_id id = invite_jane(state, token);
	x->w.f->clock.now += SB_INVITATION_TTL_DEFAULT_MS;
	assert_int_equal(sb_invitation_get(&v, p, 2, id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_EXPIRED);
	sb_signup s;
	sb_id signup = 7;
	sb_signup_init(&s);
	s.token = token;
	s.mobile = PATIENT;
	test_expect_error(p, sb_signup_start(&signup, p, &s), SB_EEXPIRED, "expired");
	assert_int_equal(signup, 0);
	assert_int_equal(jane_columns(state), SB_INVITATION_EXPIRED * 10);
}

static void a_round_invites_each_contact_once(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_id ids[3], address, other;
	char number[16];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sb_contact_create(&ids[i], p, 1, "Round patient"), SB_OK);
		snprintf(number, sizeof number, "+1415555017%d", i);
		assert_int_equal(sb_contact_add_address(&address, p, 1, ids[i], SB_ADDRESS_PHONE, number), SB_OK);
	}
	assert_int_equal(sb_contact_create(&other, p, 1, "No channel"), SB_OK);
	sb_filter f;
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.invitation = SB_FILTER_NEVER_INVITED;
	sb_round_report r;
	assert_int_equal(sb_invitation_round(&r, p, 2, x->link, &f, "spring", 2), SB_OK);
	assert_int_equal(r.invited, 2);
	assert_int_equal(r.more, 1);
	/* Invited contacts leave the "never invited" list; the rest go on the next call. */
	assert_int_equal(sb_invitation_round(&r, p, 2, x->link, &f, "spring", 10), SB_OK);
	assert_int_equal(r.invited, 2); /* Jane and the third */
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.more, 0);
	/* "Invited, not accepted" again under the same key: nobody gets a second copy. */
	f.invitation = SB_FILTER_INVITED_NOT_ACCEPTED;
	assert_int_equal(sb_invitation_round(&r, p, 2, x->link, &f, "spring", 10), SB_OK);
	assert_int_equal(r.invited, 0);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_invitation"), 4);
	assert_int_equal(count(state, "SELECT COUNT(DISTINCT contact_id) FROM sb_invitation"), 4);
	/* A new round re-invites them all once. */
	assert_int_equal(sb_invitation_round(&r, p, 2, x->link, &f, "summer", 10), SB_OK);
	assert_int_equal(r.invited, 4);
	sb_id link2;
	assert_int_equal(sb_link_create(&link2, p, 1, "second", "Second"), SB_OK);
	test_expect_error(p, sb_invitation_round(&r, p, 2, link2, &f, "summer", 10), SB_ECONFLICT, "another link");
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	test_expect_error(p, sb_invitation_round(&r, p, 2, x->link, &f, "x", 10), SB_EINVAL, "contact filter");
}

/* --- L3, L4, L5: accounts --- */

static void an_invitation_pairs_a_verified_account(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char token[44], code[7];
	sb_signup_result r;
	sb_id inv = invite_jane(state, token);
	sb_id signup = start_signup(state, NULL, token, "(415) 555-0161", NULL, NULL, code);
	assert_non_null(strstr(x->w.f->carrier.log[2], "send_sms from=" TEST_FRONT " to=" PATIENT));
	assert_null(strstr(x->w.f->carrier.log[2], "key=sb-invitation")); /* not a conversation message */
	char wrong[12];
	snprintf(wrong, sizeof wrong, "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
	test_expect_error(p, sb_signup_verify(&r, p, signup, wrong), SB_ECODE, "wrong");
	test_expect_error(p, sb_signup_verify(&r, p, signup, "12a456"), SB_EINVAL, "six digits");
	assert_int_equal(sb_signup_verify(&r, p, signup, code), SB_OK);
	assert_int_equal(r.contact_id, x->jane);
	assert_int_equal(r.identity, SB_IDENTITY_VERIFIED);
	assert_int_equal(r.new_account, 1);
	assert_int_equal(r.new_conversation, 1);
	sb_signup_result twice;
	test_expect_error(p, sb_signup_verify(&twice, p, signup, code), SB_ESTATE, "verified already");
	/* The invitation is accepted, once: the token is single-use. */
	sb_invitation v;
	assert_int_equal(sb_invitation_get(&v, p, 2, inv), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_ACCEPTED);
	assert_int_equal(jane_columns(state), 21);
	sb_signup s;
	sb_id again;
	sb_signup_init(&s);
	s.token = token;
	s.mobile = PATIENT;
	test_expect_error(p, sb_signup_start(&again, p, &s), SB_ESTATE, "accepted or revoked");
	/* The secure conversation: in the shared inbox, on Jane's card, verified and matching. */
	sb_conversation c;
	assert_int_equal(sb_conversation_get(&c, p, 2, r.conversation_id), SB_OK);
	assert_int_equal(c.kind, SB_CONVERSATION_SECURE);
	assert_int_equal(c.contact_id, x->jane);
	assert_string_equal(c.external, PATIENT);
	sb_mailbox_entry box[4];
	size_t n = 0;
	assert_int_equal(sb_mailbox_page(box, &n, p, 2, SB_MAILBOX_INBOX, 0, 0, 0, 4), SB_OK);
	assert_int_equal(box[0].conversation_id, r.conversation_id);
	sb_conversation card[4];
	assert_int_equal(sb_contact_conversations(card, &n, p, 2, x->jane, 0, 4), SB_OK);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found += card[i].id == r.conversation_id;
	assert_int_equal(found, 1);
	sb_secure_status st;
	assert_int_equal(sb_secure_status_get(&st, p, 2, r.conversation_id), SB_OK);
	assert_int_equal(st.identity, SB_IDENTITY_VERIFIED);
	assert_int_equal(st.mobile_matches, 1);
	assert_int_equal(st.email_matches, 0);
	assert_int_equal(st.account_id, r.account_id);
	/* A filter of contacts with an account (T9). */
	sb_filter f;
	sb_id ids[4];
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.account = SB_FILTER_HAS_ACCOUNT;
	assert_int_equal(sb_filter_contacts(ids, &n, p, 2, &f, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], x->jane);
}

/* Seed 003: a teammate's own text for one invitation, and "opened" tracked
 * between pending and accepted. */
static void an_invitation_has_its_own_text_and_is_opened(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_id id = 0;
	const char *own = "Hi Jane, this is Dr. Lee's office: here is the link we talked about.";
	assert_int_equal(sb_invitation_send_message(&id, p, 2, x->link, x->jane, own), SB_OK);
	char want[160];
	snprintf(want, sizeof want, "body=%s https://clinic.example/s/maple-street?invite=", own);
	assert_non_null(strstr(x->w.f->carrier.log[0], want));
	assert_non_null(strstr(x->w.f->carrier.email_body, own));
	char token[44];
	from_log(state, 0, "?invite=", 43, token);
	char *before = test_dump(x->w.f->path);
	sb_id other;
	test_expect_error(p, sb_invitation_send_message(&other, p, 2, x->link, x->jane, ""), SB_EINVAL, "empty");
	test_expect_error(p, sb_invitation_send_message(&other, p, 2, x->link, x->jane, "\xc3\x28"), SB_EUTF8, "message");
	static char big[SB_INVITATION_TEXT_MAX + 2];
	memset(big, 'x', SB_INVITATION_TEXT_MAX + 1);
	test_expect_error(p, sb_invitation_send_message(&other, p, 2, x->link, x->jane, big), SB_ETOOBIG, "message");
	test_expect_dump(x->w.f->path, before);
	/* The patient opens the link: OPENED, once; the contact's column follows. */
	sb_id link = 0;
	assert_int_equal(sb_invitation_open(&link, p, token), SB_OK);
	assert_int_equal(link, x->link);
	sb_invitation v;
	assert_int_equal(sb_invitation_get(&v, p, 2, id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_OPENED);
	assert_int_equal(v.ended_at, 0);
	assert_int_equal(jane_columns(state), 50);
	int64_t opened = count(state, "SELECT opened_at FROM sb_invitation");
	x->w.f->clock.now += 1000;
	assert_int_equal(sb_invitation_open(&link, p, token), SB_OK);
	assert_int_equal(count(state, "SELECT opened_at FROM sb_invitation"), opened); /* the first time counts */
	/* Opened is still "invited, not accepted" for filters (L2). */
	sb_filter f;
	sb_id ids[4];
	size_t n = 0;
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.invitation = SB_FILTER_INVITED_NOT_ACCEPTED;
	assert_int_equal(sb_filter_contacts(ids, &n, p, 2, &f, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	/* Wrong and missing tokens. */
	test_expect_error(p, sb_invitation_open(&link, p, "not-a-token"), SB_ECODE, "no invitation");
	test_expect_error(p, sb_invitation_open(&link, p, NULL), SB_EINVAL, "token");
	test_expect_error(p, sb_invitation_open(NULL, p, token), SB_EINVAL, "out_link");
	/* An opened invitation is accepted as a pending one is. */
	char code[7];
	sb_signup_result r;
	sb_id signup = start_signup(state, NULL, token, "(415) 555-0161", NULL, NULL, code);
	assert_int_equal(sb_signup_verify(&r, p, signup, code), SB_OK);
	assert_int_equal(sb_invitation_get(&v, p, 2, id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_ACCEPTED);
	test_expect_error(p, sb_invitation_open(&link, p, token), SB_ESTATE, "accepted or revoked");
	/* An opened one can be revoked, and one opened then left expires. */
	char second[44];
	sb_id other_id = invite_jane(state, second);
	assert_int_equal(sb_invitation_open(&link, p, second), SB_OK);
	assert_int_equal(sb_invitation_revoke(p, 2, other_id), SB_OK);
	test_expect_error(p, sb_invitation_open(&link, p, second), SB_ESTATE, "accepted or revoked");
	char third[44];
	sb_id third_id = invite_jane(state, third);
	assert_int_equal(sb_invitation_open(&link, p, third), SB_OK);
	x->w.f->clock.now += SB_INVITATION_TTL_DEFAULT_MS;
	assert_int_equal(sb_invitation_get(&v, p, 2, third_id), SB_OK);
	assert_int_equal(v.state, SB_INVITATION_EXPIRED);
	test_expect_error(p, sb_invitation_open(&link, p, third), SB_EEXPIRED, "expired");
}

static void a_bare_link_pairs_an_unverified_account(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char code[7];
	sb_signup_result r;
	assert_int_equal(sb_tag_add(p, 1, SB_TAGS_OF_ENDPOINT_CONTACTS, x->link, "portal"), SB_OK);
	assert_int_equal(sb_tag_add(p, 1, SB_TAGS_OF_ENDPOINT_CONVERSATIONS, x->link, "secure"), SB_OK);
	assert_int_equal(sb_endpoint_set_owner(p, 1, x->link, SB_OWNER_TEAMMATE, 3), SB_OK);
	assert_int_equal(sb_endpoint_set_auto_assign(p, 1, x->link, 1), SB_OK);
	sb_id signup = start_signup(state, "MAPLE-street", NULL, NEWCOMER, "new@mail.example", "Sam Newcomer", code);
	assert_int_equal(sb_signup_verify(&r, p, signup, code), SB_OK);
	assert_int_equal(r.identity, SB_IDENTITY_UNVERIFIED);
	assert_int_equal(r.new_contact, 1);
	/* A new contact with the name, mobile and e-mail, and the link's contact tags (T7). */
	sb_contact ct;
	sb_tag tags[4];
	size_t n = 0;
	assert_int_equal(sb_contact_get(&ct, p, 3, r.contact_id), SB_OK);
	assert_string_equal(ct.name, "Sam Newcomer");
	assert_int_equal(sb_tags_of(tags, &n, p, 3, SB_TAGS_OF_CONTACT, r.contact_id), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tags[0].name, "portal");
	assert_int_equal(sb_tags_of(tags, &n, p, 3, SB_TAGS_OF_CONVERSATION, r.conversation_id), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tags[0].name, "secure");
	/* Auto-assigned to the link's owner (T5), seen only by the owner (T8). */
	sb_mailbox_entry box[4];
	assert_int_equal(sb_mailbox_page(box, &n, p, 3, SB_MAILBOX_TEAMMATE, 3, 0, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	sb_secure_status st;
	test_expect_error(p, sb_secure_status_get(&st, p, 2, r.conversation_id), SB_EDENIED, "");
	assert_int_equal(sb_secure_status_get(&st, p, 3, r.conversation_id), SB_OK);
	assert_int_equal(st.identity, SB_IDENTITY_UNVERIFIED);
	assert_int_equal(st.mobile_matches, 1);
	assert_int_equal(st.email_matches, 1);
	/* A teammate confirms (L5), audited; once. */
	test_expect_error(p, sb_account_confirm(p, 2, r.account_id), SB_EDENIED, "");
	assert_int_equal(sb_account_confirm(p, 3, r.account_id), SB_OK);
	test_expect_error(p, sb_account_confirm(p, 3, r.account_id), SB_ESTATE, "verified already");
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'account.confirm' AND actor = 3"), 1);
	assert_int_equal(sb_secure_status_get(&st, p, 3, r.conversation_id), SB_OK);
	assert_int_equal(st.identity, SB_IDENTITY_VERIFIED);
	assert_int_equal(st.confirmed_by, 3);
	/* Jane signing up through the bare link is matched by her verified mobile. */
	signup = start_signup(state, "maple-street", NULL, PATIENT, NULL, NULL, code);
	assert_int_equal(sb_signup_verify(&r, p, signup, code), SB_OK);
	assert_int_equal(r.contact_id, x->jane);
	assert_int_equal(r.new_contact, 0);
	assert_int_equal(r.identity, SB_IDENTITY_UNVERIFIED);
	/* Signing up again with the same mobile reaches the same account. */
	sb_id first = r.account_id;
	x->w.f->clock.now += 60000;
	signup = start_signup(state, "maple-street", NULL, PATIENT, NULL, NULL, code);
	assert_int_equal(sb_signup_verify(&r, p, signup, code), SB_OK);
	assert_int_equal(r.account_id, first);
	assert_int_equal(r.new_account, 0);
	assert_int_equal(r.new_conversation, 0);
}

static void signups_refuse_bad_input(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_signup s;
	sb_id id;
	char *before = test_dump(x->w.f->path);
	sb_signup_init(&s);
	s.slug = "maple-street";
	static const char *const mobiles[] = {"+44 20 7946 0958", "1-800-555-0199", "555", "911"};
	for (size_t i = 0; i < sizeof mobiles / sizeof mobiles[0]; i++) {
		s.mobile = mobiles[i];
		test_expect_error(p, sb_signup_start(&id, p, &s), SB_EPHONE, "mobile");
	}
	s.mobile = NEWCOMER;
	s.email = "not an address";
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_EEMAIL, "e-mail");
	s.email = NULL;
	s.name = "bad \xc3";
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_EUTF8, "name");
	s.name = NULL;
	s.token = "x";
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_EINVAL, "exactly one");
	s.token = NULL;
	s.slug = "elm-street";
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_ENOTFOUND, "no active secure link");
	s.version = 9;
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_EVERSION, "version");
	test_expect_dump(x->w.f->path, before);
	/* No PHI in the detail messages. */
	assert_null(strstr(sb_practice_errmsg(p), "555"));
}

/* --- brute-force bounds (L3, security) --- */

static void codes_are_bounded(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char code[7], wrong[12];
	sb_signup_result r;
	sb_id signup = start_signup(state, "maple-street", NULL, NEWCOMER, NULL, NULL, code);
	snprintf(wrong, sizeof wrong, "%06u", (unsigned)(atoi(code) + 7) % 1000000u);
	for (int i = 1; i < SB_CODE_TRIES_MAX; i++)
		test_expect_error(p, sb_signup_verify(&r, p, signup, wrong), SB_ECODE, "wrong");
	test_expect_error(p, sb_signup_verify(&r, p, signup, wrong), SB_ELIMIT, "locked");
	test_expect_error(p, sb_signup_verify(&r, p, signup, code), SB_ELIMIT, "locked"); /* even the right one */
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'signup.code_refused'"),
	                 SB_CODE_TRIES_MAX - 1);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'signup.locked'"), 1);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_account"), 0);
	/* The code is kept only as a 32-byte hash. */
	assert_int_equal(count(state, "SELECT LENGTH(code_hash) FROM sb_signup"), 32);
	/* Codes expire; resends are spaced and counted. */
	signup = start_signup(state, "maple-street", NULL, NEWCOMER, NULL, NULL, code);
	x->w.f->clock.now += SB_CODE_TTL_MS;
	test_expect_error(p, sb_signup_verify(&r, p, signup, code), SB_EEXPIRED, "expired");
	int before = x->w.f->carrier.count;
	assert_int_equal(sb_signup_resend(p, signup), SB_OK);
	from_log(state, before, "code is ", 6, code);
	test_expect_error(p, sb_signup_resend(p, signup), SB_ELIMIT, "apart");
	x->w.f->clock.now += SB_CODE_RESEND_MS;
	before = x->w.f->carrier.count;
	assert_int_equal(sb_signup_resend(p, signup), SB_OK);
	char newest[7];
	from_log(state, before, "code is ", 6, newest);
	x->w.f->clock.now += SB_CODE_RESEND_MS;
	test_expect_error(p, sb_signup_resend(p, signup), SB_ELIMIT, "sends 3 codes");
	if (strcmp(code, newest) != 0) /* the earlier code stopped working */
		test_expect_error(p, sb_signup_verify(&r, p, signup, code), SB_ECODE, "wrong");
	assert_int_equal(sb_signup_verify(&r, p, signup, newest), SB_OK);
	/* A mobile starts SB_SIGNUPS_PER_DAY sign-ups a day. */
	for (int i = 2; i < SB_SIGNUPS_PER_DAY; i++)
		start_signup(state, "maple-street", NULL, NEWCOMER, NULL, NULL, code);
	sb_signup s;
	sb_id id;
	sb_signup_init(&s);
	s.slug = "maple-street";
	s.mobile = NEWCOMER;
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_ELIMIT, "today");
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'signup.limited'"), 3);
	x->w.f->clock.now += DAY;
	start_signup(state, "maple-street", NULL, NEWCOMER, NULL, NULL, code);
}

static void wrong_tokens_are_bounded(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	char token[44], code[7];
	invite_jane(state, token);
	sb_signup s;
	sb_id id;
	sb_signup_init(&s);
	s.mobile = PATIENT;
	s.token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	for (int i = 0; i < SB_TOKEN_FAILURES_MAX; i++)
		test_expect_error(p, sb_signup_start(&id, p, &s), SB_ECODE, "no invitation");
	s.token = token; /* even the right token waits for the window to pass */
	test_expect_error(p, sb_signup_start(&id, p, &s), SB_ELIMIT, "wrong tokens");
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'invitation.token_refused'"),
	                 SB_TOKEN_FAILURES_MAX);
	x->w.f->clock.now += SB_TOKEN_WINDOW_MS;
	start_signup(state, NULL, token, PATIENT, NULL, NULL, code);
}

/* --- L6: secure messages and the patient actor --- */

/* Jane's verified account and secure conversation. */
static sb_signup_result jane_signs_up(void **state)
{
	char token[44], code[7];
	sb_signup_result r;
	invite_jane(state, token);
	sb_id signup = start_signup(state, NULL, token, PATIENT, NULL, NULL, code);
	assert_int_equal(sb_signup_verify(&r, P(state), signup, code), SB_OK);
	return r;
}

/* Seed 003: a teammate changes a verified patient's lost mobile; the code
 * to the new one re-verifies it, and the account stays one account. */
static void a_teammate_changes_a_lost_mobile(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_signup_result r = jane_signs_up(state);
	const char *fresh = "+14155550177";
	char *before = test_dump(x->w.f->path);
	sb_id change = 0;
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, r.account_id, PATIENT), SB_ESTATE, "already");
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, r.account_id, "876-555-0177"), SB_EPHONE, "mobile");
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, r.account_id, "not a phone"), SB_EPHONE, "mobile");
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, r.account_id, NULL), SB_EINVAL, "mobile");
	test_expect_error(p, sb_account_mobile_change(NULL, p, 2, r.account_id, fresh), SB_EINVAL, "out_signup");
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, 999, fresh), SB_ENOTFOUND, "account");
	test_expect_dump(x->w.f->path, before);
	/* A patient cannot move its own account to another phone. */
	test_expect_error(p, sb_account_mobile_change(&change, p, sb_patient_actor(r.account_id), r.account_id, fresh),
	                  SB_EDENIED, "");
	int sent = x->w.f->carrier.count;
	assert_int_equal(sb_account_mobile_change(&change, p, 2, r.account_id, "(415) 555-0177"), SB_OK);
	assert_non_null(strstr(x->w.f->carrier.log[sent], "to=+14155550177 body=Your verification code is "));
	char code[7];
	from_log(state, sent, "code is ", 6, code);
	/* Until the code comes back, the old mobile is the account's. */
	sb_account a;
	assert_int_equal(sb_account_get(&a, p, 2, r.account_id), SB_OK);
	assert_string_equal(a.mobile, PATIENT);
	sb_signup_result done;
	char wrong[7];
	snprintf(wrong, sizeof wrong, "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
	test_expect_error(p, sb_signup_verify(&done, p, change, wrong), SB_ECODE, "wrong");
	assert_int_equal(sb_signup_verify(&done, p, change, code), SB_OK);
	assert_int_equal(done.account_id, r.account_id);
	assert_int_equal(done.contact_id, r.contact_id);
	assert_int_equal(done.identity, SB_IDENTITY_VERIFIED);
	assert_int_equal(done.new_account, 0);
	assert_int_equal(sb_account_get(&a, p, 2, r.account_id), SB_OK);
	assert_string_equal(a.mobile, fresh);
	sb_conversation c;
	assert_int_equal(sb_conversation_get(&c, p, 2, r.conversation_id), SB_OK);
	assert_string_equal(c.external, fresh);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_account"), 1);
	assert_false(test_store_contains(x->w.f->path, fresh)); /* sealed with the key */
	test_expect_error(p, sb_signup_verify(&done, p, change, code), SB_ESTATE, "verified already");
	/* Audited: who asked, and that it took effect. */
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'account.mobile_change' AND actor = 2"),
	                 1);
	assert_int_equal(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'account.mobile_changed'"), 1);
	/* Another account's mobile cannot be taken. */
	sb_id other_signup = start_signup(state, "maple-street", NULL, "(415) 555-0188", NULL, "Sam", code);
	sb_signup_result sam;
	assert_int_equal(sb_signup_verify(&sam, p, other_signup, code), SB_OK);
	test_expect_error(p, sb_account_mobile_change(&change, p, 2, r.account_id, "415-555-0188"), SB_ECONFLICT,
	                  "another patient account");
}

static void patient_and_teammate_exchange_messages(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_signup_result r = jane_signs_up(state);
	sb_id jane = sb_patient_actor(r.account_id), item, again, note;
	sb_secure_message m;
	sb_attachment_spec a;
	sb_secure_message_init(&m);
	sb_attachment_spec_init(&a);
	a.content_type = "image/png";
	a.file_name = "rash.png";
	a.data = "\x89PNG";
	a.size = 4;
	m.conversation = r.conversation_id;
	m.body = SECRET;
	m.attachments = &a;
	m.attachment_count = 1;
	m.idempotency_key = "app-1";
	assert_int_equal(sb_conversation_close(p, 2, r.conversation_id), SB_OK);
	int calls = x->w.f->carrier.count;
	assert_int_equal(sb_secure_send(&item, p, jane, &m), SB_OK);
	assert_int_equal(x->w.f->carrier.count, calls); /* nothing goes through a carrier */
	assert_int_equal(sb_secure_send(&again, p, jane, &m), SB_OK);
	assert_int_equal(again, item); /* the host's retry is the same message */
	sb_conversation c;
	assert_int_equal(sb_conversation_get(&c, p, 2, r.conversation_id), SB_OK);
	assert_int_equal(c.closed, 0); /* reopened (C9) */
	assert_int_equal(c.unread, 1); /* inbound (C13) */
	m.body = "We will call you today.";
	m.attachments = NULL;
	m.attachment_count = 0;
	m.idempotency_key = NULL;
	assert_int_equal(sb_secure_send(&again, p, 2, &m), SB_OK);
	assert_int_equal(sb_note_add(&note, p, 2, r.conversation_id, "internal: call her back"), SB_OK);
	/* The patient reads the messages, not the note. */
	sb_item items[8];
	size_t n = 0;
	assert_int_equal(sb_secure_messages(items, &n, p, jane, r.conversation_id, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].direction, SB_DIRECTION_OUTBOUND);
	assert_int_equal(items[0].status, SB_STATUS_DELIVERED);
	assert_int_equal(items[1].direction, SB_DIRECTION_INBOUND);
	assert_string_equal(items[1].text, SECRET);
	assert_int_equal(items[1].attachment_count, 1);
	/* ... and its attachment. */
	sb_attachment att[2];
	char bytes[8];
	size_t size = 0;
	assert_int_equal(sb_item_attachments(att, &n, p, jane, item, 2), SB_OK);
	assert_int_equal(sb_attachment_read(bytes, sizeof bytes, &size, p, jane, att[0].id), SB_OK);
	assert_int_equal(size, 4);
	sb_patient_conversation mine[4];
	assert_int_equal(sb_patient_conversations(mine, &n, p, jane, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(mine[0].link_label, "Maple Street secure");
	/* Sealed at rest. */
	assert_false(test_store_contains(x->w.f->path, SECRET));
}

static void a_patient_sees_only_its_own(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_signup_result r = jane_signs_up(state), other;
	char code[7];
	sb_id signup = start_signup(state, "maple-street", NULL, NEWCOMER, NULL, "Sam", code);
	assert_int_equal(sb_signup_verify(&other, p, signup, code), SB_OK);
	sb_id jane = sb_patient_actor(r.account_id), sam = sb_patient_actor(other.account_id), id;
	sb_item items[4];
	size_t n;
	sb_conversation c;
	sb_contact ct;
	sb_tag tags[4];
	sb_account acct;
	char notes[16];
	size_t len;
	int64_t denied = count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'");
	/* Another patient's conversation, account and messages. */
	test_expect_error(p, sb_secure_messages(items, &n, p, sam, r.conversation_id, 0, 4), SB_EDENIED, "own");
	test_expect_error(p, sb_account_get(&acct, p, sam, r.account_id), SB_EDENIED, "own account");
	sb_secure_message m;
	sb_secure_message_init(&m);
	m.conversation = r.conversation_id;
	m.body = "hello";
	test_expect_error(p, sb_secure_send(&id, p, sam, &m), SB_EDENIED, "own");
	/* Everything a teammate has: conversations, timelines, notes, tags, contacts, mailboxes. */
	test_expect_error(p, sb_conversation_get(&c, p, jane, r.conversation_id), SB_EDENIED, "patient account");
	test_expect_error(p, sb_timeline_page(items, &n, p, jane, r.conversation_id, 0, 4), SB_EDENIED, "patient");
	test_expect_error(p, sb_note_add(&id, p, jane, r.conversation_id, "x"), SB_EDENIED, "patient");
	test_expect_error(p, sb_tags_of(tags, &n, p, jane, SB_TAGS_OF_CONVERSATION, r.conversation_id), SB_EDENIED,
	                  "patient");
	test_expect_error(p, sb_contact_get(&ct, p, jane, x->jane), SB_EDENIED, "patient");
	test_expect_error(p, sb_contact_get_notes(notes, sizeof notes, &len, p, jane, x->jane), SB_EDENIED, "patient");
	test_expect_error(p, sb_secure_status_get(NULL, p, jane, r.conversation_id), SB_EINVAL, "out");
	sb_secure_status st;
	test_expect_error(p, sb_secure_status_get(&st, p, jane, r.conversation_id), SB_EDENIED, "patient");
	assert_true(count(state, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'") >= denied + 9);
	/* Its own account, yes; a teammate may not list "patient conversations". */
	assert_int_equal(sb_account_get(&acct, p, jane, r.account_id), SB_OK);
	assert_string_equal(acct.mobile, PATIENT);
	sb_patient_conversation mine[2];
	test_expect_error(p, sb_patient_conversations(mine, &n, p, 2, 0, 2), SB_EDENIED, "patient actor");
	/* An actor id naming no account. */
	test_expect_error(p, sb_secure_messages(items, &n, p, sb_patient_actor(999), r.conversation_id, 0, 4), SB_EDENIED,
	                  "not a patient account");
	assert_int_equal(sb_patient_actor(0), 0);
}

static void secure_conversations_keep_their_rules(void **state)
{
	world *x = *state;
	sb_practice *p = P(state);
	sb_signup_result r = jane_signs_up(state);
	sb_id id;
	sb_sent sent;
	sb_outbound_sms m;
	/* C10: never deleted. */
	test_expect_error(p, sb_conversation_delete(p, 1, r.conversation_id), SB_ESECURE, "cannot be deleted");
	/* L6: a link never texts, a business number never starts a secure conversation. */
	sb_outbound_sms_init(&m);
	m.conversation = r.conversation_id;
	m.body = "hi";
	test_expect_error(p, sb_sms_send(&sent, p, 2, &m), SB_ESTATE, "never sends texts");
	sb_outbound_sms_init(&m);
	m.endpoint = x->link;
	m.to = PATIENT;
	m.body = "hi";
	test_expect_error(p, sb_sms_send(&sent, p, 2, &m), SB_ESTATE, "not a business number");
	test_expect_error(p, sb_secure_start(&id, p, 2, x->w.front, r.account_id), SB_ESTATE, "business number cannot");
	test_expect_error(p, sb_secure_start(&id, p, 2, x->link, 999), SB_ENOTFOUND, "account");
	assert_int_equal(sb_secure_start(&id, p, 2, x->link, r.account_id), SB_OK);
	assert_int_equal(id, r.conversation_id); /* the pair's conversation (C3) */
	sb_id link2, second;
	assert_int_equal(sb_link_create(&link2, p, 1, "second-office", "Second office"), SB_OK);
	assert_int_equal(sb_secure_start(&second, p, 2, link2, r.account_id), SB_OK);
	assert_true(second != id);
	/* Secure messages go only to secure conversations. */
	sb_delivery d;
	assert_int_equal(test_receive(p, &d, PATIENT, TEST_FRONT, "a text", "SMX1"), SB_OK);
	sb_secure_message sm;
	sb_secure_message_init(&sm);
	sm.conversation = d.conversation_id;
	sm.body = "x";
	test_expect_error(p, sb_secure_send(&id, p, 2, &sm), SB_ESTATE, "secure conversations");
	sm.conversation = r.conversation_id;
	sm.body = "";
	test_expect_error(p, sb_secure_send(&id, p, 2, &sm), SB_EINVAL, "body or attachments");
	/* Merging the contact takes the account along (L4). */
	sb_id keep;
	assert_int_equal(sb_contact_create(&keep, p, 1, "Jane R."), SB_OK);
	assert_int_equal(sb_contact_merge(p, 1, keep, x->jane), SB_OK);
	sb_account acct;
	assert_int_equal(sb_account_get(&acct, p, 2, r.account_id), SB_OK);
	assert_int_equal(acct.contact_id, keep);
	assert_int_equal(count(state, "SELECT has_account FROM sb_contact WHERE id = (SELECT contact_id FROM sb_account)"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(slugs_are_validated_and_unique_without_case, setup, teardown),
	    cmocka_unit_test_setup_teardown(the_url_is_the_base_and_the_slug, setup, teardown),
	    cmocka_unit_test_setup_teardown(the_url_renders_as_a_qr_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_invitation_goes_by_sms_and_email, setup, teardown),
	    cmocka_unit_test_setup_teardown(invitations_need_a_channel_and_the_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(invitations_expire, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_round_invites_each_contact_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_invitation_pairs_a_verified_account, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_invitation_has_its_own_text_and_is_opened, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_teammate_changes_a_lost_mobile, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_bare_link_pairs_an_unverified_account, setup, teardown),
	    cmocka_unit_test_setup_teardown(signups_refuse_bad_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(codes_are_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(wrong_tokens_are_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(patient_and_teammate_exchange_messages, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_patient_sees_only_its_own, setup, teardown),
	    cmocka_unit_test_setup_teardown(secure_conversations_keep_their_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
