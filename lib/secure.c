/* Secure conversations and messages (L4–L6): links and patient accounts,
 * messages both ways, the identity status. Message texts are PHI. */
#include "notify_internal.h"
#include "access.h"
#include "link_internal.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int sb_secure_message_init(sb_secure_message *m)
{
	if (!m)
		return SB_EINVAL;
	memset(m, 0, sizeof *m);
	m->version = SB_SECURE_MESSAGE_VERSION;
	return SB_OK;
}

/* The account's mobile, E.164, into out. */
static int account_mobile(sb_practice *p, sb_id account, char out[SB_PHONE_NUMBER_MAX])
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT phone FROM sb_account WHERE id = ? AND practice_id = ?", "ii", account,
	                   p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such account in this practice");
	if (rc != SB_OK)
		return rc;
	rc = sb_phi_column(p, st, 0, "sb_account", "phone", account, out, SB_PHONE_NUMBER_MAX);
	sb_db_release(p->db, st);
	return rc;
}

/* --- starting --- */

/* A link, not a business number (L6), that the actor sees (T8). */
static int start_checks(sb_practice *p, sb_id actor, sb_id link, sb_id account)
{
	sb_endpoint e;
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_endpoint_get(&e, p, SB_ACTOR_SYSTEM, link);
	if (rc == SB_OK && e.kind == SB_ENDPOINT_BUSINESS_NUMBER)
		rc = sb_fail(p, SB_ESTATE, "a business number cannot start a secure conversation (L6)");
	if (rc == SB_OK)
		rc = sb_link_load(p, link, &e);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, link);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_account WHERE id = ? AND practice_id = ?", "ii", account, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such account in this practice") : rc;
}

typedef struct opening {
	sb_id link, account;
} opening;

static int start_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const opening *o = arg;
	char mobile[SB_PHONE_NUMBER_MAX];
	sb_pair pair;
	sb_delivery d = {0};
	int rc = account_mobile(p, o->account, mobile);
	if (rc == SB_OK) {
		sb_pair_secure(p, &pair, o->link, o->account, mobile);
		rc = sb_conversation_touch(p, &pair, 0, now, &d);
	}
	sodium_memzero(mobile, sizeof mobile);
	sodium_memzero(&pair, sizeof pair);
	*id = d.conversation_id;
	return rc;
}

int sb_secure_start(sb_id *out_conversation, sb_practice *p, sb_id actor, sb_id link, sb_id account)
{
	int rc = sb_check_out(p, out_conversation, sizeof *out_conversation, "out_conversation");
	if (rc == SB_OK)
		rc = start_checks(p, actor, link, account);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "starting a secure conversation");
	opening o = {link, account};
	rc = sb_transact(p, actor, "secure.start", "conversation", out_conversation, start_body, &o,
	                 "starting a secure conversation");
	if (rc != SB_OK)
		*out_conversation = 0;
	return rc;
}

/* --- sending --- */

static int check_message(sb_practice *p, const sb_secure_message *m)
{
	if (!m)
		return sb_fail(p, SB_EINVAL, "the message is required");
	if (m->version != SB_SECURE_MESSAGE_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_secure_message version %u is not %u", m->version,
		               SB_SECURE_MESSAGE_VERSION);
	int rc = sb_check_text(p, m->body, SB_ITEM_TEXT_MAX, "body");
	if (rc == SB_OK)
		rc = sb_attachments_check(p, m->attachments, m->attachment_count);
	if (rc == SB_OK && !m->body[0] && !m->attachment_count)
		rc = sb_fail(p, SB_EINVAL, "a message has a body or attachments");
	if (rc == SB_OK && m->idempotency_key)
		rc = sb_check_text(p, m->idempotency_key, SB_SECURE_KEY_MAX, "idempotency key");
	if (rc == SB_OK && m->idempotency_key && !m->idempotency_key[0])
		rc = sb_fail(p, SB_EINVAL, "the idempotency key is empty");
	return rc;
}

typedef struct sending {
	const sb_secure_message *m;
	sb_id actor;
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
} sending;

/* The secure pair of a stored conversation: SB_ESTATE for a standard one or a retired link. */
static int secure_pair(sb_practice *p, sb_id conversation, sb_pair *pair)
{
	sb_stmt *st;
	size_t n = 0;
	memset(pair, 0, sizeof *pair);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT c.kind, c.endpoint_id, COALESCE(c.account_id, 0), c.external_lookup, e.retired_at"
	                   " FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
	                   " WHERE c.id = ? AND c.practice_id = ?",
	                   "ii", conversation, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	if (rc != SB_OK)
		return rc;
	int kind = (int)sb_db_col_int(p->db, st, 0), retired = sb_db_col_int(p->db, st, 4) != 0;
	pair->endpoint = sb_db_col_int(p->db, st, 1);
	pair->account = sb_db_col_int(p->db, st, 2);
	const void *lookup = sb_db_col_blob(p->db, st, 3, &n);
	if (lookup && n == SB_HASH_BYTES)
		memcpy(pair->lookup, lookup, SB_HASH_BYTES);
	sb_db_release(p->db, st);
	if (kind != SB_CONVERSATION_SECURE)
		return sb_fail(p, SB_ESTATE, "secure messages go only to secure conversations, never by business number");
	return retired ? sb_fail(p, SB_ESTATE, "the secure link is retired") : SB_OK;
}

static int send_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	const sending *s = arg;
	int patient = sb_actor_account(s->actor) != 0;
	sb_pair pair;
	sb_delivery d = {0};
	int rc = secure_pair(p, s->m->conversation, &pair);
	if (rc == SB_OK)
		rc = sb_conversation_touch(p, &pair, patient, now, &d);
	sb_item_row row = {.conversation = s->m->conversation,
	                   .kind = SB_ITEM_MESSAGE,
	                   .direction = patient ? SB_DIRECTION_INBOUND : SB_DIRECTION_OUTBOUND,
	                   .status = patient ? SB_STATUS_RECEIVED : SB_STATUS_DELIVERED,
	                   .at = now,
	                   .author = s->actor,
	                   .text = s->m->body,
	                   .idempotency_key = s->m->idempotency_key ? s->key : NULL,
	                   .attachments = (int)s->m->attachment_count};
	if (rc == SB_OK)
		rc = sb_item_insert(p, &row, item);
	if (rc == SB_ENOTFOUND) /* the key's message exists: nothing more is written */
		return sb_fail(p, SB_ECONFLICT, "duplicate");
	if (rc == SB_OK)
		rc = sb_attachments_store(p, *item, s->m->attachments, s->m->attachment_count, NULL, 0, now);
	return rc == SB_OK ? sb_notice_for_item(p, &row, *item) : rc;
}

/* A repeat of a keyed message: the first one's id. */
static int first_of_key(sb_practice *p, const sending *s, sb_id *out_item)
{
	return sb_db_one_int(p->db, out_item,
	                     "SELECT id FROM sb_item WHERE practice_id = ? AND idempotency_key = ? AND conversation_id = ?",
	                     "iti", p->id, s->key, s->m->conversation);
}

int sb_secure_send(sb_id *out_item, sb_practice *p, sb_id actor, const sb_secure_message *m)
{
	int rc = sb_check_out(p, out_item, sizeof *out_item, "out_item");
	if (rc == SB_OK)
		rc = check_message(p, m);
	if (rc == SB_OK)
		rc = sb_access_gate_patient(p, actor, m->conversation, sb_access_conversation, sb_access_own_conversation);
	if (rc != SB_OK)
		return rc;
	sending s = {m, actor, ""};
	if (m->idempotency_key)
		snprintf(s.key, sizeof s.key, "sb-secure-%lld-%s", (long long)m->conversation, m->idempotency_key);
	rc = sb_transact_patient(p, actor, "secure.send", "item", out_item, send_body, &s, "sending a secure message");
	if (rc == SB_ECONFLICT && m->idempotency_key && first_of_key(p, &s, out_item) == SB_OK)
		return SB_OK;
	if (rc != SB_OK)
		*out_item = 0;
	return rc;
}

int sb_secure_messages(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation,
                       sb_id before_id, size_t max)
{
	return sb_timeline_read(out, out_count, p, actor, conversation, before_id, max, SB_ITEM_MESSAGE);
}

/* --- the patient's list --- */

typedef struct patient_page {
	sb_patient_conversation *out;
	size_t *count, max;
	sb_id after, account;
} patient_page;

static void fill_patient(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_patient_conversation *c = (sb_patient_conversation *)out + i;
	memset(c, 0, sizeof *c);
	c->id = sb_db_col_int(db, st, 0);
	c->link_id = sb_db_col_int(db, st, 1);
	sb_db_col_copy(db, st, 2, c->link_label, sizeof c->link_label);
	c->created_at = sb_db_col_int(db, st, 3);
	c->last_item_at = sb_db_col_int(db, st, 4);
}

static int patient_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const patient_page *pg = arg;
	sb_stmt *st;
	(void)id;
	(void)now;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT c.id, c.endpoint_id, e.label, c.created_at, c.last_item_at"
	                     " FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
	                     " WHERE c.account_id = ? AND c.id > ? ORDER BY c.id LIMIT ?",
	                     "iii", pg->account, pg->after, (int64_t)pg->max);
	return rc == SB_OK ? sb_db_fill(p->db, st, fill_patient, pg->out, pg->count) : rc;
}

int sb_patient_conversations(sb_patient_conversation *out, size_t *out_count, sb_practice *p, sb_id actor,
                             sb_id after_id, size_t max)
{
	int rc = sb_check_list(p, out, out_count, max, SB_PATIENT_PAGE_MAX, after_id, "after_id");
	if (rc == SB_OK && !sb_actor_account(actor))
		rc = actor < 0 ? sb_fail(p, SB_EINVAL, "actor id is negative")
		               : sb_access_deny(p, actor, "practice", p->id, "only a patient actor lists its own conversations");
	if (rc == SB_OK)
		rc = sb_check_patient_or_teammate(p, actor);
	if (rc != SB_OK)
		return rc;
	patient_page pg = {out, out_count, max, after_id, sb_actor_account(actor)};
	sb_id account = pg.account;
	rc = sb_transact_patient(p, actor, "secure.read", "account", &account, patient_body, &pg,
	                         "listing a patient's conversations");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

/* --- identity status (L5) --- */

/* Whether the contact holds the address whose blind index is `lookup`. */
static int holds(sb_practice *p, sb_id contact, int kind, const void *lookup, size_t n, int *out)
{
	*out = 0;
	if (n != SB_HASH_BYTES)
		return SB_OK;
	int rc = sb_db_one_int(p->db, NULL,
	                       "SELECT id FROM sb_contact_address WHERE practice_id = ? AND kind = ? AND lookup = ?"
	                       " AND contact_id = ?",
	                       "iibi", p->id, (int64_t)kind, lookup, n, contact);
	*out = rc == SB_OK;
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

static int status_body(sb_practice *p, sb_id *conversation, const void *arg, int64_t now)
{
	sb_secure_status *out = (sb_secure_status *)arg;
	sb_stmt *st;
	size_t np = 0, ne = 0;
	(void)now;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT c.kind, c.endpoint_id, a.id, a.contact_id, a.identity, a.confirmed_by, a.confirmed_at,"
	                   " a.phone_lookup, a.email_lookup FROM sb_conversation c LEFT JOIN sb_account a ON a.id = c.account_id"
	                   " WHERE c.id = ? AND c.practice_id = ?",
	                   "ii", *conversation, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	if (rc != SB_OK)
		return rc;
	out->conversation_id = *conversation;
	int kind = (int)sb_db_col_int(p->db, st, 0);
	out->link_id = sb_db_col_int(p->db, st, 1);
	out->account_id = sb_db_col_int(p->db, st, 2);
	out->contact_id = sb_db_col_int(p->db, st, 3);
	out->identity = (int)sb_db_col_int(p->db, st, 4);
	out->confirmed_by = sb_db_col_int(p->db, st, 5);
	out->confirmed_at = sb_db_col_int(p->db, st, 6);
	unsigned char phone[SB_HASH_BYTES], email[SB_HASH_BYTES];
	const void *b = sb_db_col_blob(p->db, st, 7, &np);
	if (b && np == SB_HASH_BYTES)
		memcpy(phone, b, np);
	b = sb_db_col_blob(p->db, st, 8, &ne);
	if (b && ne == SB_HASH_BYTES)
		memcpy(email, b, ne);
	sb_db_release(p->db, st);
	if (kind != SB_CONVERSATION_SECURE)
		return sb_fail(p, SB_ESTATE, "a standard conversation has no identity status");
	rc = holds(p, out->contact_id, SB_ADDRESS_PHONE, phone, np, &out->mobile_matches);
	return rc == SB_OK ? holds(p, out->contact_id, SB_ADDRESS_EMAIL, email, ne, &out->email_matches) : rc;
}

int sb_secure_status_get(sb_secure_status *out, sb_practice *p, sb_id actor, sb_id conversation)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_access_gate(p, actor, conversation, sb_access_conversation);
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "secure.read", "conversation", &conversation, status_body, out,
		                 "reading a secure conversation's status");
	if (rc != SB_OK && out)
		memset(out, 0, sizeof *out);
	return rc;
}
