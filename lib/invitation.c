/* Invitations (L2): settings, sending through the outbox and e-mail, state,
 * rounds, and the single-use token a sign-up redeems. */
#include "access.h"
#include "link_internal.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 32u
#define TOKEN_CHARS 44u /* 43 base64url characters and the NUL */
#define DEFAULT_TEXT "You are invited to message us securely:"
/* The states in which an invitation still works: pending, and opened. */
#define LIVE "(1, 5)"

/* --- settings --- */

int sb_invitation_settings_init(sb_invitation_settings *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_INVITATION_SETTINGS_VERSION;
	return SB_OK;
}

/* The stored settings, with the defaults filled in where none is set. */
static int load_settings(sb_practice *p, sb_invitation_settings *out)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT invitation_text, invitation_ttl_ms, secure_sender FROM sb_practice WHERE id = ?",
	                   "i", p->id);
	if (rc != SB_OK)
		return rc;
	sb_invitation_settings_init(out);
	sb_db_col_copy(p->db, st, 0, out->text, sizeof out->text);
	out->lifetime_ms = sb_db_col_int(p->db, st, 1);
	out->sender = sb_db_col_int(p->db, st, 2);
	sb_db_release(p->db, st);
	return SB_OK;
}

int sb_invitation_settings_get(sb_invitation_settings *out, sb_practice *p, sb_id actor)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK && (rc = load_settings(p, out)) != SB_OK)
		rc = sb_fail_store(p, rc, "reading the invitation settings");
	return rc;
}

static int check_settings(sb_practice *p, const sb_invitation_settings *s)
{
	if (!s)
		return sb_fail(p, SB_EINVAL, "settings are required");
	if (s->version != SB_INVITATION_SETTINGS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_invitation_settings version %u is not %u", s->version,
		               SB_INVITATION_SETTINGS_VERSION);
	if (!memchr(s->text, '\0', sizeof s->text))
		return sb_fail(p, SB_ETOOBIG, "the invitation text is longer than %u bytes", SB_INVITATION_TEXT_MAX);
	if (s->lifetime_ms && (s->lifetime_ms < SB_INVITATION_TTL_MIN_MS || s->lifetime_ms > SB_INVITATION_TTL_MAX_MS))
		return sb_fail(p, SB_EINVAL, "an invitation lives between 1 hour and 90 days");
	if (s->sender < 0)
		return sb_fail(p, SB_EINVAL, "sender is negative");
	return sb_check_text(p, s->text, SB_INVITATION_TEXT_MAX, "invitation text");
}

static int settings_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const sb_invitation_settings *s = arg;
	sb_pair pair;
	(void)id;
	(void)now;
	int rc = s->sender ? sb_pair_by_endpoint(p, &pair, s->sender) : SB_OK;
	return rc == SB_OK ? sb_db_exec(p->db,
	                                "UPDATE sb_practice SET invitation_text = ?, invitation_ttl_ms = ?, secure_sender = ?"
	                                " WHERE id = ?",
	                                "tiii", s->text, s->lifetime_ms, s->sender, p->id)
	                   : rc;
}

int sb_invitation_settings_set(sb_practice *p, sb_id actor, const sb_invitation_settings *s)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_settings(p, s);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "change the invitation settings");
	sb_id id = p->id;
	return rc == SB_OK ? sb_transact(p, actor, "invitation.settings", "practice", &id, settings_body, s,
	                                 "changing the invitation settings")
	                   : rc;
}

/* --- state kept on the contact --- */

int sb_invitation_sync_contact(sb_practice *p, sb_id contact)
{
	return sb_db_exec(p->db,
	                  "UPDATE sb_contact SET"
	                  " invitation = COALESCE((SELECT state FROM sb_invitation WHERE contact_id = ?"
	                  " ORDER BY id DESC LIMIT 1), 0),"
	                  " has_account = CASE WHEN EXISTS (SELECT 1 FROM sb_account WHERE contact_id = ?) THEN 1 ELSE 0 END"
	                  " WHERE id = ?",
	                  "iii", contact, contact, contact);
}

/* Pending invitations of the contact past their lifetime become EXPIRED. */
static int expire_due(sb_practice *p, sb_id contact, int64_t now)
{
	int rc = sb_db_exec(p->db,
	                    "UPDATE sb_invitation SET state = ?, ended_at = expires_at"
	                    " WHERE contact_id = ? AND state IN " LIVE " AND expires_at <= ?",
	                    "iii", (int64_t)SB_INVITATION_EXPIRED, contact, now);
	return rc == SB_OK ? sb_invitation_sync_contact(p, contact) : rc;
}

/* --- sending --- */

/* Everything one invitation's delivery needs, found before it is stored. */
typedef struct delivery {
	sb_id link, contact, round, actor;
	sb_invitation_settings settings;
	char phone[SB_ADDRESS_MAX + 1];  /* "" when it does not go by SMS */
	char email[SB_ADDRESS_MAX + 1];  /* "" when it does not go by e-mail */
	char token[TOKEN_CHARS];
	sb_id reuse;                     /* a round's interrupted invitation to send again */
	const char *message;             /* the teammate's own text for this one, or NULL */
} delivery;

static void delivery_wipe(delivery *d)
{
	sodium_memzero(d->phone, sizeof d->phone);
	sodium_memzero(d->email, sizeof d->email);
	sodium_memzero(d->token, sizeof d->token);
}

/* The link sees the actor (T8) and is active; the contact has a channel. */
static int plan(sb_practice *p, sb_id actor, delivery *d)
{
	char url[SB_LINK_URL_MAX];
	int rc = sb_access_endpoint(p, actor, d->link);
	if (rc == SB_OK)
		rc = sb_link_url_of(p, d->link, NULL, url, sizeof url);
	if (rc == SB_OK)
		rc = load_settings(p, &d->settings);
	if (rc == SB_OK && d->settings.sender)
		rc = sb_contact_first_address(p, d->contact, SB_ADDRESS_PHONE, d->phone);
	if (rc == SB_OK)
		rc = sb_contact_first_address(p, d->contact, SB_ADDRESS_EMAIL, d->email);
	if (rc != SB_OK)
		return rc;
	if (!d->phone[0] && !d->email[0])
		return sb_fail(p, SB_ESTATE, "the contact has no e-mail and no phone number the practice's sender can text");
	if (d->phone[0] && !p->carrier.send_sms)
		return sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	if (d->email[0] && !p->carrier.send_email)
		return sb_fail(p, SB_ENOTSUP, "the carrier has no send_email callback");
	return SB_OK;
}

/* In the transaction: a new token, and the invitation row (or the round's
 * interrupted one, re-armed); earlier pending ones of the pair are superseded. */
static int issue_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	delivery *d = (delivery *)arg;
	unsigned char lookup[SB_HASH_BYTES];
	int64_t ttl = d->settings.lifetime_ms ? d->settings.lifetime_ms : SB_INVITATION_TTL_DEFAULT_MS;
	int rc = sb_random_token(d->token, sizeof d->token, TOKEN_BYTES);
	if (rc != SB_OK)
		return sb_fail(p, rc, "no random token");
	sb_phi_lookup(p, lookup, "invitation", d->token, strlen(d->token));
	if ((rc = expire_due(p, d->contact, now)) != SB_OK)
		return rc;
	if (d->reuse) {
		*id = d->reuse;
		rc = sb_db_exec(p->db, "UPDATE sb_invitation SET token_lookup = ?, created_at = ?, expires_at = ? WHERE id = ?",
		                "biii", lookup, (size_t)SB_HASH_BYTES, now, now + ttl, d->reuse);
	} else {
		rc = sb_db_exec(p->db,
		                "UPDATE sb_invitation SET state = ?, ended_at = ? WHERE contact_id = ? AND endpoint_id = ?"
		                " AND state IN " LIVE,
		                "iiii", (int64_t)SB_INVITATION_REVOKED, now, d->contact, d->link);
		if (rc == SB_OK)
			rc = sb_db_one_int(p->db, id,
			                   "INSERT INTO sb_invitation (practice_id, endpoint_id, contact_id, round_id, token_lookup,"
			                   " state, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
			                   " ON CONFLICT (round_id, contact_id) WHERE round_id <> 0 DO NOTHING RETURNING id",
			                   "iiiibiiii", p->id, d->link, d->contact, d->round, lookup, (size_t)SB_HASH_BYTES,
			                   (int64_t)SB_INVITATION_PENDING, d->actor, now, now + ttl);
		if (rc == SB_ENOTFOUND) /* only a round's insert can conflict */
			return sb_fail(p, SB_ECONFLICT, "the contact was invited in this round meanwhile");
	}
	return rc == SB_OK ? sb_invitation_sync_contact(p, d->contact) : rc;
}

/* Send the stored invitation by SMS and e-mail; remember what went. */
static int deliver(sb_practice *p, sb_id id, const delivery *d, int *out_failed)
{
	char suffix[16 + TOKEN_CHARS], url[SB_LINK_URL_MAX + sizeof suffix], key[48], carrier_id[SB_CARRIER_ID_MAX];
	char body[SB_INVITATION_TEXT_MAX + sizeof url + 2];
	const char *text = d->message ? d->message : d->settings.text[0] ? d->settings.text : DEFAULT_TEXT;
	snprintf(suffix, sizeof suffix, "?invite=%s", d->token);
	snprintf(key, sizeof key, "sb-invitation-%lld", (long long)id);
	int rc = sb_link_url_of(p, d->link, suffix, url, sizeof url), sms_rc = SB_OK, email_rc = SB_OK;
	if (rc != SB_OK)
		return rc;
	snprintf(body, sizeof body, "%s %s", text, url);
	sb_sent sent = {0};
	if (d->phone[0]) {
		sb_outbound_sms m;
		sb_outbound_sms_init(&m);
		m.endpoint = d->settings.sender;
		m.contact = d->contact;
		m.body = body;
		m.idempotency_key = key;
		sms_rc = sb_sms_send(&sent, p, SB_ACTOR_SYSTEM, &m);
	}
	if (d->email[0]) {
		sb_email e = {1, d->email, "Your invitation to secure messaging", body, key};
		email_rc = sb_carrier_invoke(p, send_email, &e, carrier_id, sizeof carrier_id);
	}
	sodium_memzero(body, sizeof body);
	sodium_memzero(url, sizeof url);
	*out_failed = (!d->phone[0] || sms_rc != SB_OK) && (!d->email[0] || email_rc != SB_OK);
	rc = sb_db_exec(p->db, "UPDATE sb_invitation SET sms_item_id = ?, emailed = ? WHERE id = ?", "iii", sent.item_id,
	                (int64_t)(d->email[0] && email_rc == SB_OK), id);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "recording an invitation's delivery");
	return sms_rc != SB_OK ? sms_rc : email_rc;
}

/* Store and send one invitation; *out_id names it even when sending failed. */
static int invite(sb_practice *p, sb_id actor, delivery *d, sb_id *out_id, int *out_failed)
{
	int rc = sb_transact(p, actor, "invitation.send", "invitation", out_id, issue_body, d, "inviting a contact");
	if (rc == SB_OK)
		rc = deliver(p, *out_id, d, out_failed);
	delivery_wipe(d);
	return rc;
}

int sb_invitation_send(sb_id *out_id, sb_practice *p, sb_id actor, sb_id link, sb_id contact)
{
	return sb_invitation_send_message(out_id, p, actor, link, contact, NULL);
}

int sb_invitation_send_message(sb_id *out_id, sb_practice *p, sb_id actor, sb_id link, sb_id contact,
                               const char *message)
{
	delivery d = {.link = link, .contact = contact, .actor = actor, .message = message};
	int failed = 0;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK && message)
		rc = sb_check_text(p, message, SB_INVITATION_TEXT_MAX, "message");
	if (rc == SB_OK && message && !*message)
		rc = sb_fail(p, SB_EINVAL, "message is empty (NULL sends the practice's text)");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK && (rc = plan(p, actor, &d)) != SB_OK)
		rc = sb_fail_store(p, rc, "inviting a contact");
	if (rc == SB_OK)
		rc = invite(p, actor, &d, out_id, &failed);
	delivery_wipe(&d);
	return rc;
}

/* --- rounds --- */

typedef struct round_name {
	const char *key;
	sb_id link, actor;
} round_name;

/* The round named by the key, created on first use; a key names one link. */
static int round_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const round_name *k = arg;
	sb_stmt *st;
	int rc = sb_db_exec(p->db,
	                    "INSERT INTO sb_invitation_round (practice_id, host_key, endpoint_id, created_by, created_at)"
	                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (practice_id, host_key) DO NOTHING",
	                    "itiii", p->id, k->key, k->link, k->actor, now);
	if (rc == SB_OK)
		rc = sb_db_row(p->db, &st, "SELECT id, endpoint_id FROM sb_invitation_round WHERE practice_id = ? AND host_key = ?",
		               "it", p->id, k->key);
	if (rc != SB_OK)
		return rc;
	*id = sb_db_col_int(p->db, st, 0);
	sb_id link = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	return link == k->link ? SB_OK : sb_fail(p, SB_ECONFLICT, "the round key names a round of another link");
}

/* Whether the contact still needs this round's invitation: none yet (*reuse
 * 0, returns 1), one whose sending was interrupted long enough ago to be
 * stale (*reuse names it, returns 1), or one that is done (returns 0). */
static int round_needs(sb_practice *p, sb_id round, sb_id contact, int64_t now, sb_id *reuse, int *out)
{
	sb_stmt *st;
	*reuse = 0;
	*out = 1;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT id, state, sms_item_id, emailed, created_at FROM sb_invitation"
	                   " WHERE round_id = ? AND contact_id = ?",
	                   "ii", round, contact);
	if (rc == SB_ENOTFOUND)
		return SB_OK;
	if (rc != SB_OK)
		return rc;
	int undelivered = sb_db_col_int(p->db, st, 1) == SB_INVITATION_PENDING && sb_db_col_int(p->db, st, 2) == 0 &&
	                  sb_db_col_int(p->db, st, 3) == 0;
	int stale = sb_db_col_int(p->db, st, 4) <= now - SB_OUTBOX_STALE_MS;
	*reuse = sb_db_col_int(p->db, st, 0);
	sb_db_release(p->db, st);
	*out = undelivered && stale;
	return SB_OK;
}

/* One contact of a round: invited, skipped (no channel) or done already. */
static int round_one(sb_practice *p, sb_id actor, delivery *d, int64_t now, sb_round_report *out)
{
	int needs = 0, failed = 0;
	sb_id id = 0;
	int rc = round_needs(p, d->round, d->contact, now, &d->reuse, &needs);
	if (rc != SB_OK || !needs)
		return rc;
	rc = plan(p, actor, d);
	if (rc == SB_ESTATE && !d->phone[0] && !d->email[0]) {
		out->skipped++;
		return SB_OK;
	}
	if (rc == SB_OK)
		rc = invite(p, actor, d, &id, &failed);
	if (rc == SB_OK || rc == SB_EUSER) {
		out->invited++;
		out->failed += failed;
	}
	return rc == SB_EUSER || rc == SB_ECONFLICT ? SB_OK : rc; /* counted; or another call of the round took it */
}

static int check_round(sb_practice *p, const sb_filter *f, const char *key, size_t max)
{
	if (!f || !key)
		return sb_fail(p, SB_EINVAL, "filter and round key are required");
	if (f->kind != SB_FILTER_CONTACTS)
		return sb_fail(p, SB_EINVAL, "a round takes a contact filter");
	if (max < 1 || max > SB_ROUND_MAX)
		return sb_fail(p, SB_EINVAL, "max must be 1..%u", SB_ROUND_MAX);
	int rc = sb_check_text(p, key, SB_ROUND_KEY_MAX, "round key");
	return rc == SB_OK && !key[0] ? sb_fail(p, SB_EINVAL, "the round key is empty") : rc;
}

int sb_invitation_round(sb_round_report *out, sb_practice *p, sb_id actor, sb_id link, const sb_filter *f,
                        const char *round_key, size_t max)
{
	sb_id page[SB_FILTER_PAGE_MAX], after = 0;
	size_t n = 0;
	int64_t now = 0;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = check_round(p, f, round_key, max);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, link);
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	round_name k = {round_key, link, actor};
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "invitation.round", "invitation_round", &out->round_id, round_body, &k,
		                 "starting an invitation round");
	do {
		if (rc == SB_OK)
			rc = sb_filter_contacts(page, &n, p, actor, f, after, SB_FILTER_PAGE_MAX);
		for (size_t i = 0; rc == SB_OK && i < n; i++) {
			if ((size_t)out->invited >= max) {
				out->more = 1;
				return SB_OK;
			}
			delivery d = {.link = link, .contact = page[i], .round = out->round_id, .actor = actor};
			rc = round_one(p, actor, &d, now, out);
			delivery_wipe(&d);
			after = page[i];
		}
	} while (rc == SB_OK && n == SB_FILTER_PAGE_MAX);
	return rc;
}

/* --- reading and revoking --- */

#define COLUMNS                                                                                                 \
	"id, endpoint_id, contact_id, round_id, CASE WHEN state IN " LIVE " AND expires_at <= ? THEN 3 ELSE state END," \
	" created_by, created_at, expires_at,"                                                                         \
	" CASE WHEN state IN " LIVE " AND expires_at <= ? THEN expires_at ELSE ended_at END,"                          \
	" sms_item_id, emailed, account_id"

static void fill(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_invitation *v = (sb_invitation *)out + i;
	memset(v, 0, sizeof *v);
	v->id = sb_db_col_int(db, st, 0);
	v->link_id = sb_db_col_int(db, st, 1);
	v->contact_id = sb_db_col_int(db, st, 2);
	v->round_id = sb_db_col_int(db, st, 3);
	v->state = (int)sb_db_col_int(db, st, 4);
	v->created_by = sb_db_col_int(db, st, 5);
	v->created_at = sb_db_col_int(db, st, 6);
	v->expires_at = sb_db_col_int(db, st, 7);
	v->ended_at = sb_db_col_int(db, st, 8);
	v->sms_item_id = sb_db_col_int(db, st, 9);
	v->emailed = (int)sb_db_col_int(db, st, 10);
	v->account_id = sb_db_col_int(db, st, 11);
}

static int load(sb_practice *p, sb_id id, int64_t now, sb_invitation *out)
{
	sb_stmt *st;
	size_t n = 0;
	int rc = sb_db_query(p->db, &st, "SELECT " COLUMNS " FROM sb_invitation WHERE id = ? AND practice_id = ?", "iiii",
	                     now, now, id, p->id);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill, out, &n);
	return rc == SB_OK && n == 0 ? sb_fail(p, SB_ENOTFOUND, "no such invitation in this practice") : rc;
}

/* The invitation, and the actor sees its link (T8). */
static int gate(sb_practice *p, sb_id actor, sb_id id, sb_invitation *out)
{
	int64_t now = 0;
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	if (rc == SB_OK)
		rc = load(p, id, now, out);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, out->link_id);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading an invitation");
}

int sb_invitation_get(sb_invitation *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, id, out);
	if (rc != SB_OK && out)
		memset(out, 0, sizeof *out);
	return rc;
}

typedef struct page {
	sb_invitation *out;
	size_t *count, max;
	sb_id before, actor;
} page;

/* Only invitations through links the actor sees (T8). */
static int list_body(sb_practice *p, sb_id *contact, const void *arg, int64_t now)
{
	const page *pg = arg;
	sb_stmt *st;
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_contact WHERE id = ? AND practice_id = ?", "ii", *contact,
	                       p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such contact in this practice");
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st,
		                 "SELECT " COLUMNS " FROM sb_invitation WHERE contact_id = ? AND (? = 0 OR id < ?)"
		                 " AND endpoint_id IN (" SB_VISIBLE_ENDPOINTS ") ORDER BY id DESC LIMIT ?",
		                 "iiiiiiiiiii", now, now, *contact, pg->before, pg->before, p->id, pg->actor, pg->actor,
		                 pg->actor, pg->actor, (int64_t)pg->max);
	return rc == SB_OK ? sb_db_fill(p->db, st, fill, pg->out, pg->count) : rc;
}

int sb_contact_invitations(sb_invitation *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id contact,
                           sb_id before_id, size_t max)
{
	int rc = sb_check_list(p, out, out_count, max, SB_INVITATION_PAGE_MAX, before_id, "before_id");
	if (rc != SB_OK)
		return rc;
	page pg = {out, out_count, max, before_id, actor};
	rc = sb_transact(p, actor, "invitation.read", "contact", &contact, list_body, &pg, "listing a contact's invitations");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

static int revoke_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	int64_t contact = 0;
	(void)arg;
	int rc = sb_db_one_int(p->db, &contact,
	                       "UPDATE sb_invitation SET state = ?, ended_at = ? WHERE id = ? AND state IN " LIVE
	                       " AND expires_at > ? RETURNING contact_id",
	                       "iiii", (int64_t)SB_INVITATION_REVOKED, now, *id, now);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, "the invitation is not pending");
	return rc == SB_OK ? sb_invitation_sync_contact(p, contact) : rc;
}

int sb_invitation_revoke(sb_practice *p, sb_id actor, sb_id id)
{
	sb_invitation v;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = gate(p, actor, id, &v);
	return rc == SB_OK ? sb_transact(p, actor, "invitation.revoke", "invitation", &id, revoke_body, NULL,
	                                 "revoking an invitation")
	                   : rc;
}

/* --- the patient opens the link --- */

typedef struct opening {
	const char *token;
	sb_id link;
	int refusal; /* a refused token, counted and audited in the transaction */
} opening;

static const char *open_refusal(int rc)
{
	switch (rc) {
	case SB_ECODE: return "no invitation has this token";
	case SB_ELIMIT: return "too many wrong tokens lately: try again later";
	case SB_EEXPIRED: return "the invitation has expired";
	default: return "the invitation was accepted or revoked";
	}
}

static int open_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	opening *o = (opening *)arg;
	sb_id contact = 0;
	int rc = sb_invitation_redeem(p, o->token, now, id, &o->link, &contact);
	if (rc == SB_ECODE || rc == SB_ELIMIT || rc == SB_EEXPIRED || rc == SB_ESTATE) {
		o->refusal = rc;
		return SB_OK;
	}
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_invitation SET state = ?, opened_at = ? WHERE id = ? AND state = ?", "iiii",
		                (int64_t)SB_INVITATION_OPENED, now, *id, (int64_t)SB_INVITATION_PENDING);
	return rc == SB_OK ? sb_invitation_sync_contact(p, contact) : rc;
}

int sb_invitation_open(sb_id *out_link, sb_practice *p, const char *token)
{
	opening o = {token, 0, 0};
	sb_id id = 0;
	int rc = sb_check_out(p, out_link, sizeof *out_link, "out_link");
	if (rc == SB_OK && !token)
		rc = sb_fail(p, SB_EINVAL, "token is required");
	if (rc == SB_OK)
		rc = sb_transact(p, SB_ACTOR_SYSTEM, "invitation.open", "invitation", &id, open_body, &o,
		                 "opening an invitation");
	if (rc == SB_OK && o.refusal)
		return sb_fail(p, o.refusal, "%s", open_refusal(o.refusal));
	if (rc == SB_OK)
		*out_link = o.link;
	return rc;
}

/* --- redeeming a token (account.c) --- */

/* A wrong token counts against the practice's window, and is audited. */
static int wrong_token(sb_practice *p, int64_t now)
{
	int rc = sb_db_exec(p->db,
	                    "UPDATE sb_practice SET"
	                    " token_failures = CASE WHEN token_window_at > ? THEN token_failures + 1 ELSE 1 END,"
	                    " token_window_at = CASE WHEN token_window_at > ? THEN token_window_at ELSE ? END"
	                    " WHERE id = ?",
	                    "iiii", now, now, now + SB_TOKEN_WINDOW_MS, p->id);
	if (rc == SB_OK)
		rc = sb_audit_append(p, SB_ACTOR_SYSTEM, "invitation.token_refused", "practice", p->id);
	return rc == SB_OK ? SB_ECODE : rc;
}

int sb_invitation_redeem(sb_practice *p, const char *token, int64_t now, sb_id *out_id, sb_id *out_link,
                         sb_id *out_contact)
{
	unsigned char lookup[SB_HASH_BYTES];
	int64_t failures = 0;
	sb_stmt *st;
	int rc = sb_db_one_int(p->db, &failures,
	                       "SELECT CASE WHEN token_window_at > ? THEN token_failures ELSE 0 END FROM sb_practice WHERE id = ?",
	                       "ii", now, p->id);
	if (rc == SB_OK && failures >= SB_TOKEN_FAILURES_MAX)
		return SB_ELIMIT;
	size_t n = rc == SB_OK ? strlen(token) : 0;
	if (rc == SB_OK && (n != TOKEN_CHARS - 1 || sb_check_text(p, token, TOKEN_CHARS, "token") != SB_OK))
		return wrong_token(p, now);
	sb_phi_lookup(p, lookup, "invitation", token, n);
	if (rc == SB_OK)
		rc = sb_db_row(p->db, &st,
		               "SELECT id, endpoint_id, contact_id, state, expires_at FROM sb_invitation"
		               " WHERE practice_id = ? AND token_lookup = ?",
		               "ib", p->id, lookup, (size_t)SB_HASH_BYTES);
	if (rc == SB_ENOTFOUND)
		return wrong_token(p, now);
	if (rc != SB_OK)
		return rc;
	*out_id = sb_db_col_int(p->db, st, 0);
	*out_link = sb_db_col_int(p->db, st, 1);
	*out_contact = sb_db_col_int(p->db, st, 2);
	int64_t state = sb_db_col_int(p->db, st, 3), expires = sb_db_col_int(p->db, st, 4);
	sb_db_release(p->db, st);
	int live = state == SB_INVITATION_PENDING || state == SB_INVITATION_OPENED;
	if (live && expires <= now)
		return (rc = expire_due(p, *out_contact, now)) == SB_OK ? SB_EEXPIRED : rc;
	if (state == SB_INVITATION_EXPIRED)
		return SB_EEXPIRED;
	return live ? SB_OK : SB_ESTATE;
}

int sb_invitation_accepted(sb_practice *p, sb_id invitation, sb_id account, int64_t now)
{
	int64_t contact = 0;
	int rc = sb_db_one_int(p->db, &contact,
	                       "UPDATE sb_invitation SET state = ?, ended_at = ?, account_id = ? WHERE id = ?"
	                       " AND state IN " LIVE " RETURNING contact_id",
	                       "iiii", (int64_t)SB_INVITATION_ACCEPTED, now, account, invitation);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, "the invitation was accepted, revoked or superseded meanwhile");
	return rc == SB_OK ? sb_invitation_sync_contact(p, contact) : rc;
}
