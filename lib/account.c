/* Patient accounts (L3–L5): sign-ups with SMS codes, matching to a contact,
 * the secure conversation, identity status. Mobiles, e-mails and names are PHI. */
#include "access.h"
#include "link_internal.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Where a sign-up stands. */
enum { SIGNUP_PENDING = 1, SIGNUP_VERIFIED = 2, SIGNUP_LOCKED = 3 };
/* What a sign-up is for: a new sign-in, or a teammate's change of an account's mobile. */
enum { PURPOSE_SIGNUP = 0, PURPOSE_MOBILE_CHANGE = 1 };

#define DAY_MS (24LL * 3600 * 1000)

int sb_signup_init(sb_signup *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_SIGNUP_VERSION;
	return SB_OK;
}

/* A 10-digit NANP number a patient can receive texts on, as E.164. */
static int check_mobile(sb_practice *p, const char *typed, char out[SB_PHONE_NUMBER_MAX])
{
	sb_phone ph;
	if (!typed)
		return sb_fail(p, SB_EINVAL, "the mobile number is missing");
	if (sb_phone_parse(&ph, typed) != SB_OK)
		return sb_fail(p, SB_EPHONE, "the mobile is not a phone number: %s", sb_phone_problem_text(ph.problem));
	if (ph.kind != SB_PHONE_GEOGRAPHIC && ph.kind != SB_PHONE_FICTIONAL)
		return sb_fail(p, SB_EPHONE, "the mobile must be a 10-digit NANP number, not a %s number",
		               sb_phone_kind_name(ph.kind));
	if (!sb_phone_is_textable(&ph)) /* codes come by text (C14) */
		return sb_fail(p, SB_EPHONE, "the mobile must be a US or Canadian number, which codes can be texted to");
	memcpy(out, ph.number, SB_PHONE_NUMBER_MAX);
	return SB_OK;
}

static int check_signup(sb_practice *p, const sb_signup *s, char mobile[SB_PHONE_NUMBER_MAX])
{
	if (!s)
		return sb_fail(p, SB_EINVAL, "the sign-up is required");
	if (s->version != SB_SIGNUP_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_signup version %u is not %u", s->version, SB_SIGNUP_VERSION);
	if ((s->slug != NULL) == (s->token != NULL))
		return sb_fail(p, SB_EINVAL, "give exactly one of slug and token");
	int rc = check_mobile(p, s->mobile, mobile);
	if (rc == SB_OK && s->email)
		rc = sb_check_email(p, s->email, "e-mail");
	if (rc == SB_OK && s->name)
		rc = sb_check_text(p, s->name, SB_CONTACT_NAME_MAX, "name");
	return rc;
}

/* --- codes --- */

static void code_hash(sb_practice *p, sb_id signup, const char *code, unsigned char out[SB_HASH_BYTES])
{
	char salted[40];
	int n = snprintf(salted, sizeof salted, "%lld:%s", (long long)signup, code);
	sb_phi_lookup(p, out, "signup-code", salted, (size_t)n);
	sodium_memzero(salted, sizeof salted);
}

/* In the transaction: a fresh code for the sign-up, stored as its hash. */
static int new_code(sb_practice *p, sb_id signup, int64_t now, char code[7])
{
	unsigned char hash[SB_HASH_BYTES];
	sb_random_code6(code);
	code_hash(p, signup, code, hash);
	return sb_db_exec(p->db,
	                  "UPDATE sb_signup SET code_hash = ?, code_expires_at = ?, sends = sends + 1, sent_at = ? WHERE id = ?",
	                  "biii", hash, (size_t)SB_HASH_BYTES, now + SB_CODE_TTL_MS, now, signup);
}

/* Text the code from the practice's sender, outside the timeline: a code is
 * nobody's conversation, and teammates never see it. */
static int text_code(sb_practice *p, const sb_endpoint *sender, sb_id signup, const char *mobile, const char *code,
                     int64_t sends)
{
	char body[96], key[48], carrier_id[SB_CARRIER_ID_MAX];
	snprintf(body, sizeof body, "Your verification code is %s. It expires in 10 minutes.", code);
	snprintf(key, sizeof key, "sb-signup-%lld-%lld", (long long)signup, (long long)sends);
	sb_sms sms = {1, sender->address, mobile, body, NULL, 0, key};
	int rc = sb_carrier_invoke(p, send_sms, &sms, carrier_id, sizeof carrier_id);
	sodium_memzero(body, sizeof body);
	return rc;
}

/* --- starting --- */

/* A sign-up refused after its attempt was counted: the body commits the
 * count and the audit entry, then the call fails with `refusal`. */
typedef struct start {
	const sb_signup *s;
	const char *mobile;
	unsigned char lookup[SB_HASH_BYTES];
	sb_id link;
	int refusal;
	char code[7];
} start;

/* Sign-ups (and so codes) a mobile started in the last 24 hours. */
static int signups_today(sb_practice *p, const unsigned char *phone_lookup, int64_t now, int64_t *out)
{
	return sb_db_one_int(p->db, out,
	                     "SELECT COUNT(*) FROM sb_signup WHERE practice_id = ? AND phone_lookup = ? AND created_at > ?",
	                     "ibi", p->id, phone_lookup, (size_t)SB_HASH_BYTES, now - DAY_MS);
}

static int refuse(sb_practice *p, start *st, int refusal, const char *action, sb_id object)
{
	st->refusal = refusal;
	return sb_audit_append(p, SB_ACTOR_SYSTEM, action, "signup", object);
}

/* The visitor's way in: the link of the slug, or of a pending invitation. */
static int way_in(sb_practice *p, start *st, int64_t now, sb_id *invitation)
{
	sb_id contact = 0;
	*invitation = 0;
	if (st->s->slug) {
		char slug[SB_SLUG_MAX + 1];
		int rc = sb_slug_check(p, st->s->slug, slug);
		return rc == SB_OK ? sb_link_by_slug(p, slug, &st->link) : rc;
	}
	int rc = sb_invitation_redeem(p, st->s->token, now, invitation, &st->link, &contact);
	if (rc == SB_ECODE || rc == SB_ELIMIT || rc == SB_EEXPIRED || rc == SB_ESTATE)
		st->refusal = rc;
	return rc == st->refusal ? SB_OK : rc;
}

static int start_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	start *st = (start *)arg;
	sb_id invitation = 0;
	int64_t today = 0;
	int rc = way_in(p, st, now, &invitation);
	if (rc != SB_OK || st->refusal)
		return rc;
	rc = signups_today(p, st->lookup, now, &today);
	if (rc == SB_OK && today >= SB_SIGNUPS_PER_DAY)
		return refuse(p, st, SB_ELIMIT, "signup.limited", 0);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, id,
		                   "INSERT INTO sb_signup (practice_id, endpoint_id, invitation_id, phone_lookup, state, created_at)"
		                   " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		                   "iiibii", p->id, st->link, invitation, st->lookup, (size_t)SB_HASH_BYTES,
		                   (int64_t)SIGNUP_PENDING, now);
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_signup", "phone", *id, st->mobile);
	if (rc == SB_OK && st->s->email)
		rc = sb_phi_store(p, "sb_signup", "email", *id, st->s->email);
	if (rc == SB_OK && st->s->name)
		rc = sb_phi_store(p, "sb_signup", "name", *id, st->s->name);
	return rc == SB_OK ? new_code(p, *id, now, st->code) : rc;
}

static const char *refusal_text(int rc)
{
	switch (rc) {
	case SB_ECODE: return "no invitation has this token";
	case SB_ELIMIT: return "too many sign-ups for this mobile today, or too many wrong tokens lately";
	case SB_EEXPIRED: return "the invitation has expired";
	default: return "the invitation was accepted or revoked";
	}
}

/* The practice can text codes: a sender number (into *sender) and the callback. */
static int can_text(sb_practice *p, sb_endpoint *sender)
{
	sb_invitation_settings s;
	int rc = sb_invitation_settings_get(&s, p, SB_ACTOR_SYSTEM);
	if (rc == SB_OK && !s.sender)
		rc = sb_fail(p, SB_ESTATE, "the practice has no sender number for codes (sb_invitation_settings)");
	if (rc == SB_OK)
		rc = sb_endpoint_get(sender, p, SB_ACTOR_SYSTEM, s.sender);
	if (rc == SB_OK && !p->carrier.send_sms)
		rc = sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	return rc;
}

int sb_signup_start(sb_id *out_signup, sb_practice *p, const sb_signup *s)
{
	char mobile[SB_PHONE_NUMBER_MAX];
	sb_endpoint sender;
	int rc = sb_check_out(p, out_signup, sizeof *out_signup, "out_signup");
	if (rc == SB_OK)
		rc = check_signup(p, s, mobile);
	if (rc == SB_OK)
		rc = can_text(p, &sender);
	if (rc != SB_OK)
		return rc;
	start st = {.s = s, .mobile = mobile};
	sb_phi_lookup(p, st.lookup, "phone", mobile, strlen(mobile));
	rc = sb_transact(p, SB_ACTOR_SYSTEM, "signup.start", "signup", out_signup, start_body, &st, "starting a sign-up");
	if (rc == SB_OK && st.refusal) {
		*out_signup = 0;
		rc = sb_fail(p, st.refusal, "%s", refusal_text(st.refusal));
	} else if (rc == SB_OK)
		rc = text_code(p, &sender, *out_signup, mobile, st.code, 1);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(mobile, sizeof mobile);
	return rc;
}

/* --- resending --- */

typedef struct resend {
	char code[7];
	char mobile[SB_PHONE_NUMBER_MAX];
	int64_t sends;
	int refusal;
} resend;

static int resend_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	resend *r = (resend *)arg;
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT state, sends, sent_at, phone FROM sb_signup WHERE id = ? AND practice_id = ?",
	                   "ii", *id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such sign-up in this practice");
	if (rc != SB_OK)
		return rc;
	int64_t state = sb_db_col_int(p->db, st, 0), sent_at = sb_db_col_int(p->db, st, 2);
	r->sends = sb_db_col_int(p->db, st, 1);
	rc = sb_phi_column(p, st, 3, "sb_signup", "phone", *id, r->mobile, sizeof r->mobile);
	sb_db_release(p->db, st);
	if (rc == SB_OK && state != SIGNUP_PENDING)
		rc = sb_fail(p, SB_ESTATE, "the sign-up is verified or locked");
	if (rc == SB_OK && (r->sends >= SB_CODE_SENDS_MAX || now - sent_at < SB_CODE_RESEND_MS)) {
		r->refusal = SB_ELIMIT;
		return sb_audit_append(p, SB_ACTOR_SYSTEM, "signup.limited", "signup", *id);
	}
	r->sends++;
	return rc == SB_OK ? new_code(p, *id, now, r->code) : rc;
}

int sb_signup_resend(sb_practice *p, sb_id signup)
{
	resend r = {0};
	sb_endpoint sender;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = can_text(p, &sender);
	if (rc == SB_OK)
		rc = sb_transact(p, SB_ACTOR_SYSTEM, "signup.resend", "signup", &signup, resend_body, &r, "resending a code");
	if (rc == SB_OK && r.refusal)
		rc = sb_fail(p, SB_ELIMIT, "a sign-up sends %d codes, at least %lld s apart", SB_CODE_SENDS_MAX,
		             SB_CODE_RESEND_MS / 1000);
	else if (rc == SB_OK)
		rc = text_code(p, &sender, signup, r.mobile, r.code, r.sends);
	sodium_memzero(&r, sizeof r);
	return rc;
}

/* --- verifying --- */

/* A sign-up as stored, opened. */
typedef struct pending {
	int64_t state, tries, expires_at, purpose;
	sb_id link, invitation, account;
	unsigned char hash[SB_HASH_BYTES];
	char mobile[SB_PHONE_NUMBER_MAX];
	char email[SB_ADDRESS_MAX + 1];
	char name[SB_CONTACT_NAME_MAX + 1];
} pending;

static int load_pending(sb_practice *p, sb_id id, pending *s)
{
	sb_stmt *st;
	size_t n = 0;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT state, tries, code_expires_at, endpoint_id, invitation_id, code_hash, phone, email, name,"
	                   " purpose, account_id FROM sb_signup WHERE id = ? AND practice_id = ?",
	                   "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such sign-up in this practice");
	if (rc != SB_OK)
		return rc;
	s->state = sb_db_col_int(p->db, st, 0);
	s->tries = sb_db_col_int(p->db, st, 1);
	s->expires_at = sb_db_col_int(p->db, st, 2);
	s->link = sb_db_col_int(p->db, st, 3);
	s->invitation = sb_db_col_int(p->db, st, 4);
	s->purpose = sb_db_col_int(p->db, st, 9);
	s->account = sb_db_col_int(p->db, st, 10);
	const void *h = sb_db_col_blob(p->db, st, 5, &n);
	if (h && n == SB_HASH_BYTES)
		memcpy(s->hash, h, SB_HASH_BYTES);
	rc = sb_phi_column(p, st, 6, "sb_signup", "phone", id, s->mobile, sizeof s->mobile);
	if (rc == SB_OK)
		rc = sb_phi_column(p, st, 7, "sb_signup", "email", id, s->email, sizeof s->email);
	if (rc == SB_OK)
		rc = sb_phi_column(p, st, 8, "sb_signup", "name", id, s->name, sizeof s->name);
	sb_db_release(p->db, st);
	return rc;
}

typedef struct verify {
	const char *code;
	sb_signup_result *out;
	pending s;
	int refusal;
} verify;

/* A wrong code: counted; the last allowed one locks the sign-up. */
static int wrong_code(sb_practice *p, verify *v, sb_id id)
{
	int locked = v->s.tries + 1 >= SB_CODE_TRIES_MAX;
	int rc = sb_db_exec(p->db, "UPDATE sb_signup SET tries = tries + 1, state = ? WHERE id = ?", "ii",
	                    (int64_t)(locked ? SIGNUP_LOCKED : SIGNUP_PENDING), id);
	v->refusal = locked ? SB_ELIMIT : SB_ECODE;
	return rc == SB_OK ? sb_audit_append(p, SB_ACTOR_SYSTEM, locked ? "signup.locked" : "signup.code_refused",
	                                     "signup", id)
	                   : rc;
}

/* The contact a new account through a bare link is matched to (L4): the
 * holder of the verified mobile, else of the e-mail, else a new one. */
static int match_contact(sb_practice *p, const pending *s, const unsigned char *phone_lookup, sb_signup_result *out)
{
	unsigned char email_lookup[SB_HASH_BYTES];
	int rc = sb_db_one_int(p->db, &out->contact_id,
	                       "SELECT contact_id FROM sb_contact_address WHERE practice_id = ? AND kind = ? AND lookup = ?",
	                       "iib", p->id, (int64_t)SB_ADDRESS_PHONE, phone_lookup, (size_t)SB_HASH_BYTES);
	if (rc != SB_ENOTFOUND || !s->email[0])
		return rc == SB_ENOTFOUND ? SB_OK : rc;
	sb_phi_lookup(p, email_lookup, "email", s->email, strlen(s->email));
	rc = sb_db_one_int(p->db, &out->contact_id,
	                   "SELECT contact_id FROM sb_contact_address WHERE practice_id = ? AND kind = ? AND lookup = ?",
	                   "iib", p->id, (int64_t)SB_ADDRESS_EMAIL, email_lookup, (size_t)SB_HASH_BYTES);
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

/* A new contact for the account: the mobile, e-mail and name given, and the link's contact tags (T7). */
static int new_contact(sb_practice *p, const pending *s, const unsigned char *phone_lookup, int64_t now,
                       sb_signup_result *out)
{
	sb_id address;
	int rc = sb_contact_hold(p, s->mobile, phone_lookup, now, &out->contact_id, &out->new_contact);
	if (rc == SB_OK && s->name[0])
		rc = sb_contact_save(p, SB_ACTOR_SYSTEM, out->contact_id, s->name);
	if (rc == SB_OK && s->email[0])
		rc = sb_contact_add_address(&address, p, SB_ACTOR_SYSTEM, out->contact_id, SB_ADDRESS_EMAIL, s->email);
	if (rc == SB_ECONFLICT) /* another contact holds the e-mail: it stays there */
		rc = SB_OK;
	return rc == SB_OK ? sb_tag_apply(p, s->link, SB_TAG_CONTACT, out->contact_id) : rc;
}

/* The practice's account for the verified mobile, created on first use. */
static int account_for(sb_practice *p, const pending *s, int64_t now, sb_signup_result *out)
{
	unsigned char phone_lookup[SB_HASH_BYTES];
	sb_phi_lookup(p, phone_lookup, "phone", s->mobile, strlen(s->mobile));
	int rc = sb_db_one_int(p->db, &out->account_id,
	                       "SELECT id FROM sb_account WHERE practice_id = ? AND phone_lookup = ?", "ib", p->id,
	                       phone_lookup, (size_t)SB_HASH_BYTES);
	if (rc != SB_ENOTFOUND)
		return rc;
	out->new_account = 1;
	if (!out->contact_id && (rc = match_contact(p, s, phone_lookup, out)) != SB_OK)
		return rc;
	if (!out->contact_id && (rc = new_contact(p, s, phone_lookup, now, out)) != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, &out->account_id,
	                   "INSERT INTO sb_account (practice_id, contact_id, phone_lookup, identity, created_at)"
	                   " VALUES (?, ?, ?, ?, ?) RETURNING id",
	                   "iibii", p->id, out->contact_id, phone_lookup, (size_t)SB_HASH_BYTES,
	                   (int64_t)SB_IDENTITY_UNVERIFIED, now);
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_account", "phone", out->account_id, s->mobile);
	if (rc == SB_OK && s->email[0]) {
		unsigned char email_lookup[SB_HASH_BYTES];
		sb_phi_lookup(p, email_lookup, "email", s->email, strlen(s->email));
		rc = sb_db_exec(p->db, "UPDATE sb_account SET email_lookup = ? WHERE id = ?", "bi", email_lookup,
		                (size_t)SB_HASH_BYTES, out->account_id);
		if (rc == SB_OK)
			rc = sb_phi_store(p, "sb_account", "email", out->account_id, s->email);
	}
	return rc;
}

/* Pair the account (L4, L5): an invitation pairs it with the invited
 * contact, verified; a bare link leaves the pairing as it is. */
static int pair_account(sb_practice *p, const pending *s, sb_id invited, int64_t now, sb_signup_result *out)
{
	int64_t old_contact = 0, identity = 0;
	int rc = sb_db_one_int(p->db, &old_contact, "SELECT contact_id FROM sb_account WHERE id = ?", "i", out->account_id);
	if (rc == SB_OK && s->invitation)
		rc = sb_db_exec(p->db, "UPDATE sb_account SET contact_id = ?, identity = ? WHERE id = ?", "iii", invited,
		                (int64_t)SB_IDENTITY_VERIFIED, out->account_id);
	if (rc == SB_OK && s->invitation)
		rc = sb_invitation_accepted(p, s->invitation, out->account_id, now);
	if (rc == SB_OK && s->invitation && old_contact != invited)
		rc = sb_invitation_sync_contact(p, old_contact);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &identity, "SELECT identity FROM sb_account WHERE id = ?", "i", out->account_id);
	out->identity = (int)identity;
	out->contact_id = s->invitation ? invited : old_contact;
	return rc == SB_OK ? sb_invitation_sync_contact(p, out->contact_id) : rc;
}

/* The secure conversation of the link and the account (L4): created in the
 * shared inbox or auto-assigned (T5), with the link's tags (T7). */
static int open_conversation(sb_practice *p, const pending *s, int64_t now, sb_signup_result *out)
{
	sb_pair pair;
	sb_delivery d = {0};
	sb_endpoint link;
	int rc = sb_link_load(p, s->link, &link);
	if (rc != SB_OK)
		return rc;
	sb_pair_secure(p, &pair, s->link, out->account_id, s->mobile);
	rc = sb_conversation_touch(p, &pair, 0, now, &d);
	out->conversation_id = d.conversation_id;
	out->new_conversation = d.new_conversation;
	return rc;
}

/* Every secure conversation of the account shows the new mobile, a page of
 * ids at a time (one per link the patient signed up through). */
static int reseal_conversations(sb_practice *p, sb_id account, const char *mobile)
{
	enum { PAGE = 64 };
	sb_id ids[PAGE], last = 0;
	size_t n = PAGE;
	int rc = SB_OK;
	while (rc == SB_OK && n == PAGE) {
		n = 0;
		rc = sb_db_ids(p->db, ids, &n, PAGE,
		               "SELECT id FROM sb_conversation WHERE account_id = ? AND id > ? ORDER BY id LIMIT 64", "ii",
		               account, last);
		for (size_t i = 0; rc == SB_OK && i < n; i++)
			rc = sb_phi_store(p, "sb_conversation", "external", ids[i], mobile);
		last = n ? ids[n - 1] : last;
	}
	return rc;
}

/* The code reached the new mobile: the account and its secure
 * conversations take it; nothing else changes (identity, contact). */
static int change_mobile(sb_practice *p, const pending *s, sb_id signup, sb_signup_result *out)
{
	unsigned char lookup[SB_HASH_BYTES];
	sb_phi_lookup(p, lookup, "phone", s->mobile, strlen(s->mobile));
	int rc = sb_db_exec(p->db, "UPDATE sb_signup SET state = ?, code_hash = NULL WHERE id = ?", "ii",
	                    (int64_t)SIGNUP_VERIFIED, signup);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_account SET phone_lookup = ? WHERE id = ?", "bi", lookup,
		                (size_t)SB_HASH_BYTES, s->account);
	if (rc == SB_ECONFLICT)
		return sb_fail(p, rc, "another account has the new mobile now");
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_account", "phone", s->account, s->mobile);
	if (rc == SB_OK)
		rc = reseal_conversations(p, s->account, s->mobile);
	sb_stmt *st;
	if (rc == SB_OK && (rc = sb_db_row(p->db, &st, "SELECT contact_id, identity FROM sb_account WHERE id = ?", "i",
	                                   s->account)) == SB_OK) {
		out->contact_id = sb_db_col_int(p->db, st, 0);
		out->identity = (int)sb_db_col_int(p->db, st, 1);
		sb_db_release(p->db, st);
	}
	out->account_id = s->account;
	return rc == SB_OK ? sb_audit_append(p, SB_ACTOR_SYSTEM, "account.mobile_changed", "account", s->account) : rc;
}

static int verify_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	verify *v = (verify *)arg;
	unsigned char hash[SB_HASH_BYTES];
	sb_id invited = 0;
	int rc = load_pending(p, *id, &v->s);
	if (rc == SB_OK && v->s.state == SIGNUP_VERIFIED)
		return sb_fail(p, SB_ESTATE, "the sign-up is verified already");
	if (rc == SB_OK && v->s.state == SIGNUP_LOCKED) {
		v->refusal = SB_ELIMIT;
		return SB_OK;
	}
	if (rc == SB_OK && v->s.expires_at <= now) {
		v->refusal = SB_EEXPIRED;
		return SB_OK;
	}
	if (rc != SB_OK)
		return rc;
	code_hash(p, *id, v->code, hash);
	if (sodium_memcmp(hash, v->s.hash, SB_HASH_BYTES) != 0)
		return wrong_code(p, v, *id);
	if (v->s.purpose == PURPOSE_MOBILE_CHANGE)
		return change_mobile(p, &v->s, *id, v->out);
	if (v->s.invitation)
		rc = sb_db_one_int(p->db, &invited, "SELECT contact_id FROM sb_invitation WHERE id = ?", "i", v->s.invitation);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_signup SET state = ?, code_hash = NULL WHERE id = ?", "ii",
		                (int64_t)SIGNUP_VERIFIED, *id);
	v->out->contact_id = invited;
	if (rc == SB_OK)
		rc = account_for(p, &v->s, now, v->out);
	if (rc == SB_OK)
		rc = pair_account(p, &v->s, invited, now, v->out);
	if (rc == SB_OK)
		rc = open_conversation(p, &v->s, now, v->out);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_signup SET account_id = ? WHERE id = ?", "ii", v->out->account_id, *id);
	return rc == SB_OK ? sb_audit_append(p, SB_ACTOR_SYSTEM, v->out->new_account ? "account.create" : "account.signin",
	                                     "account", v->out->account_id)
	                   : rc;
}

static int check_code(sb_practice *p, const char *code)
{
	if (!code)
		return sb_fail(p, SB_EINVAL, "the code is missing");
	for (int i = 0; i < 6; i++)
		if (code[i] < '0' || code[i] > '9')
			return sb_fail(p, SB_EINVAL, "the code is six digits");
	return code[6] ? sb_fail(p, SB_EINVAL, "the code is six digits") : SB_OK;
}

static const char *verify_refusal(int rc)
{
	switch (rc) {
	case SB_ECODE: return "the code is wrong";
	case SB_EEXPIRED: return "the code has expired: ask for a new one";
	default: return "the sign-up is locked after too many wrong codes";
	}
}

int sb_signup_verify(sb_signup_result *out, sb_practice *p, sb_id signup, const char *code)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = check_code(p, code);
	if (rc != SB_OK)
		return rc;
	verify v = {.code = code, .out = out};
	rc = sb_transact(p, SB_ACTOR_SYSTEM, "signup.verify", "signup", &signup, verify_body, &v, "verifying a sign-up");
	if (rc == SB_OK && v.refusal)
		rc = sb_fail(p, v.refusal, "%s", verify_refusal(v.refusal));
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	sodium_memzero(&v.s, sizeof v.s);
	return rc;
}

/* --- accounts --- */

/* The actor may see the account: the patient itself, the system, or a
 * teammate who sees one of its secure conversations (T8). */
static int may_see(sb_practice *p, sb_id actor, sb_id account)
{
	int rc = sb_check_patient_or_teammate(p, actor);
	if (rc != SB_OK)
		return rc;
	if (sb_actor_account(actor))
		return sb_actor_account(actor) == account
		               ? SB_OK
		               : sb_access_deny(p, actor, "account", account, "a patient sees only its own account");
	rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_account WHERE id = ? AND practice_id = ?", "ii", account, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such account in this practice");
	if (rc != SB_OK || actor == SB_ACTOR_SYSTEM)
		return rc;
	rc = sb_db_one_int(p->db, NULL,
	                   "SELECT c.id FROM sb_conversation c WHERE c.account_id = ? AND c.endpoint_id IN (" SB_VISIBLE_ENDPOINTS
	                   ") LIMIT 1",
	                   "iiiiii", account, p->id, actor, actor, actor, actor);
	return rc == SB_ENOTFOUND ? sb_access_deny(p, actor, "account", account,
	                                           "the teammate sees none of the account's secure conversations")
	                          : rc;
}

static int account_get_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	sb_account *out = (sb_account *)arg;
	sb_stmt *st;
	(void)now;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT contact_id, identity, confirmed_by, confirmed_at, created_at, phone, email FROM sb_account"
	                   " WHERE id = ?",
	                   "i", *id);
	if (rc != SB_OK)
		return rc;
	out->id = *id;
	out->contact_id = sb_db_col_int(p->db, st, 0);
	out->identity = (int)sb_db_col_int(p->db, st, 1);
	out->confirmed_by = sb_db_col_int(p->db, st, 2);
	out->confirmed_at = sb_db_col_int(p->db, st, 3);
	out->created_at = sb_db_col_int(p->db, st, 4);
	rc = sb_phi_column(p, st, 5, "sb_account", "phone", *id, out->mobile, sizeof out->mobile);
	if (rc == SB_OK)
		rc = sb_phi_column(p, st, 6, "sb_account", "email", *id, out->email, sizeof out->email);
	sb_db_release(p->db, st);
	return rc;
}

int sb_account_get(sb_account *out, sb_practice *p, sb_id actor, sb_id account)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = may_see(p, actor, account);
	if (rc == SB_OK)
		rc = sb_transact_patient(p, actor, "account.read", "account", &account, account_get_body, out,
		                         "reading an account");
	if (rc != SB_OK && out)
		memset(out, 0, sizeof *out);
	return rc;
}

static int confirm_body(sb_practice *p, sb_id *id, const void *actor, int64_t now)
{
	int rc = sb_db_one_int(p->db, NULL,
	                       "UPDATE sb_account SET identity = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ?"
	                       " AND identity = ? RETURNING id",
	                       "iiiii", (int64_t)SB_IDENTITY_VERIFIED, *(const sb_id *)actor, now, *id,
	                       (int64_t)SB_IDENTITY_UNVERIFIED);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "the account is verified already") : rc;
}

int sb_account_confirm(sb_practice *p, sb_id actor, sb_id account)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = may_see(p, actor, account);
	return rc == SB_OK ? sb_transact(p, actor, "account.confirm", "account", &account, confirm_body, &actor,
	                                 "confirming an account's identity")
	                   : rc;
}

/* --- a teammate changes an account's mobile --- */

typedef struct change {
	const char *mobile;
	unsigned char lookup[SB_HASH_BYTES];
	sb_id sender, signup;
	char code[7];
} change;

static int change_body(sb_practice *p, sb_id *account, const void *arg, int64_t now)
{
	change *c = (change *)arg;
	int64_t today = 0, holder = 0;
	int rc = sb_db_one_int(p->db, &holder, "SELECT id FROM sb_account WHERE practice_id = ? AND phone_lookup = ?", "ib",
	                       p->id, c->lookup, (size_t)SB_HASH_BYTES);
	if (rc == SB_OK)
		return holder == *account ? sb_fail(p, SB_ESTATE, "the account has this mobile already")
		                          : sb_fail(p, SB_ECONFLICT, "another patient account has this mobile");
	if (rc == SB_ENOTFOUND)
		rc = signups_today(p, c->lookup, now, &today);
	if (rc == SB_OK && today >= SB_SIGNUPS_PER_DAY)
		return sb_fail(p, SB_ELIMIT, "the mobile was sent %d codes in 24 hours", SB_SIGNUPS_PER_DAY);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &c->signup,
		                   "INSERT INTO sb_signup (practice_id, endpoint_id, phone_lookup, state, purpose, account_id,"
		                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		                   "iibiiii", p->id, c->sender, c->lookup, (size_t)SB_HASH_BYTES, (int64_t)SIGNUP_PENDING,
		                   (int64_t)PURPOSE_MOBILE_CHANGE, *account, now);
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_signup", "phone", c->signup, c->mobile);
	return rc == SB_OK ? new_code(p, c->signup, now, c->code) : rc;
}

int sb_account_mobile_change(sb_id *out_signup, sb_practice *p, sb_id actor, sb_id account, const char *mobile)
{
	char e164[SB_PHONE_NUMBER_MAX];
	sb_endpoint sender;
	int rc = sb_check_out(p, out_signup, sizeof *out_signup, "out_signup");
	if (rc == SB_OK)
		rc = check_mobile(p, mobile, e164);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor); /* a teammate: a patient who lost the phone cannot prove it is theirs */
	if (rc == SB_OK)
		rc = may_see(p, actor, account);
	if (rc == SB_OK)
		rc = can_text(p, &sender);
	if (rc != SB_OK)
		return rc;
	change c = {.mobile = e164, .sender = sender.id};
	sb_phi_lookup(p, c.lookup, "phone", e164, strlen(e164));
	rc = sb_transact(p, actor, "account.mobile_change", "account", &account, change_body, &c,
	                 "changing an account's mobile");
	if (rc == SB_OK) {
		*out_signup = c.signup;
		rc = text_code(p, &sender, c.signup, e164, c.code, 1);
	}
	sodium_memzero(&c, sizeof c);
	sodium_memzero(e164, sizeof e164);
	return rc;
}
