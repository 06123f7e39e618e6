/* Conversations: the pair that keys them, their state, regarding marks,
 * read marks and the contact card. The external number is PHI. */
#include "access.h"
#include "mailbox_internal.h"
#include "phi.h"
#include "routing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the two ends --- */

int sb_pair_external(sb_practice *p, sb_pair *pair, const char *number, const char *field)
{
	int rc = sb_check_nanp(p, number, field, pair->external);
	pair->account = 0;
	if (rc == SB_OK)
		sb_phi_lookup(p, pair->lookup, "phone", pair->external, strlen(pair->external));
	return rc;
}

void sb_pair_unknown(sb_practice *p, sb_pair *pair)
{
	static const char marker[] = "unknown caller";
	pair->account = 0;
	pair->external[0] = '\0';
	sb_phi_lookup(p, pair->lookup, "phone", marker, sizeof marker - 1);
}

void sb_pair_secure(sb_practice *p, sb_pair *pair, sb_id link, sb_id account, const char *e164)
{
	char key[24];
	int n = snprintf(key, sizeof key, "%lld", (long long)account);
	memset(pair, 0, sizeof *pair);
	pair->endpoint = link;
	pair->account = account;
	sb_copy_text(pair->external, sizeof pair->external, e164, strlen(e164));
	sb_phi_lookup(p, pair->lookup, "account", key, (size_t)n);
}

int sb_pair_by_number(sb_practice *p, sb_pair *pair, const char *business_number)
{
	sb_phone ph;
	if (!business_number)
		return sb_fail(p, SB_EINVAL, "the business number is missing");
	if (sb_phone_parse(&ph, business_number) != SB_OK)
		return sb_fail(p, SB_EPHONE, "the business number is not a phone number: %s",
		               sb_phone_problem_text(ph.problem));
	int rc = sb_db_one_int(p->db, &pair->endpoint,
	                       "SELECT id FROM sb_endpoint WHERE practice_id = ? AND kind = ? AND address = ?"
	                       " AND retired_at IS NULL",
	                       "iit", p->id, (int64_t)SB_ENDPOINT_BUSINESS_NUMBER, ph.number);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_EROUTE, "the number is not an active business number of this practice");
	memcpy(pair->business_number, ph.number, sizeof ph.number);
	return rc;
}

int sb_pair_by_endpoint(sb_practice *p, sb_pair *pair, sb_id endpoint)
{
	sb_endpoint e;
	int rc = sb_endpoint_get(&e, p, SB_ACTOR_SYSTEM, endpoint);
	if (rc == SB_OK && e.kind != SB_ENDPOINT_BUSINESS_NUMBER)
		rc = sb_fail(p, SB_ESTATE, "the endpoint is not a business number");
	if (rc == SB_OK && e.retired_at)
		rc = sb_fail(p, SB_ESTATE, "the business number is retired");
	pair->endpoint = endpoint;
	memcpy(pair->business_number, e.address, sizeof pair->business_number);
	return rc;
}

/* Open a sealed external number of conversation `id` into out. */
static int open_external(sb_practice *p, sb_stmt *st, int col, sb_id id, char *out, size_t room)
{
	size_t n = 0, len;
	const void *b = sb_db_col_blob(p->db, st, col, &n);
	return sb_phi_unpack(p, out, room, &len, "sb_conversation", "external", id, b, n);
}

int sb_pair_of_conversation(sb_practice *p, sb_pair *pair, sb_id conversation)
{
	sb_stmt *st;
	size_t n = 0;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT c.kind, c.endpoint_id, e.address, e.retired_at, c.external, c.external_lookup,"
	                   " COALESCE(c.account_id, 0)"
	                   " FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
	                   " WHERE c.id = ? AND c.practice_id = ?",
	                   "ii", conversation, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	if (rc != SB_OK)
		return rc;
	if (sb_db_col_int(p->db, st, 0) != SB_CONVERSATION_STANDARD)
		rc = sb_fail(p, SB_ESTATE, "the conversation is secure: a secure link never sends texts (L6)");
	pair->retired = sb_db_col_int(p->db, st, 3) != 0;
	pair->endpoint = sb_db_col_int(p->db, st, 1);
	pair->account = sb_db_col_int(p->db, st, 6);
	const char *t = sb_db_col_text(p->db, st, 2, &n);
	sb_copy_text(pair->business_number, sizeof pair->business_number, t, n);
	if (rc == SB_OK)
		rc = open_external(p, st, 4, conversation, pair->external, sizeof pair->external);
	if (rc == SB_OK && !pair->external[0])
		rc = sb_fail(p, SB_EPHONE, "the caller's number is unknown (V11): nothing can reach it");
	const void *lookup = sb_db_col_blob(p->db, st, 5, &n);
	if (rc == SB_OK && n == SB_HASH_BYTES)
		memcpy(pair->lookup, lookup, SB_HASH_BYTES);
	sb_db_release(p->db, st);
	return rc;
}

/* --- where traffic lands --- */

static int seal_external(sb_practice *p, sb_id id, const sb_pair *pair)
{
	unsigned char *stored;
	size_t len;
	int rc = sb_phi_pack(p, &stored, &len, "sb_conversation", "external", id, pair->external, strlen(pair->external));
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_conversation SET external = ? WHERE id = ?", "bi", stored, len, id);
	free(stored);
	return rc;
}

/* The pair's conversation takes the item: counted if inbound, reopened by
 * it, its last activity moved. Read back as TOUCH_COLUMNS: (id, not yet
 * sealed, reopened by this statement, the contact holding the number or
 * NULL). Most items land in a conversation that exists, so an UPDATE comes
 * first; the upsert, several times its cost in SQLite, runs only when none
 * matched, and settles a concurrent creation itself. The contact subquery
 * binds the lookup: SQLite plans a RETURNING subquery correlated on
 * external_lookup without its index. */
#define TOUCH_COLUMNS \
	" id, CASE WHEN external IS NULL THEN 1 ELSE 0 END," \
	" CASE WHEN box_kind = 3 AND closed_at IS NULL THEN 1 ELSE 0 END," \
	" (SELECT contact_id FROM sb_contact_address WHERE practice_id = ? AND kind = 1 AND lookup = ?)"
#define TOUCH_PAIR " WHERE practice_id = ? AND endpoint_id = ? AND external_lookup = ?"
#define TOUCH_UPDATE \
	"UPDATE sb_conversation SET" \
	" inbound_count = inbound_count + ?, closed_at = CASE WHEN ? > 0 THEN NULL ELSE closed_at END," \
	" last_item_at = CASE WHEN ? > last_item_at THEN ? ELSE last_item_at END" TOUCH_PAIR

static const char touch_update_sql[] = TOUCH_UPDATE;

/* PostgreSQL: the row comes back with the UPDATE, one round trip. */
static const char touch_returning_sql[] = TOUCH_UPDATE " RETURNING" TOUCH_COLUMNS;

/* SQLite: the row read again costs less than RETURNING there, which runs
 * as a trigger (6% of batched ingest's instructions). The transaction holds
 * the file, so the row read is the row updated. */
static const char touch_read_sql[] = "SELECT" TOUCH_COLUMNS " FROM sb_conversation" TOUCH_PAIR;

static const char touch_sql[] =
	"INSERT INTO sb_conversation (practice_id, kind, endpoint_id, external_lookup, account_id, inbound_count,"
	" last_item_at, created_at) VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?)"
	" ON CONFLICT (practice_id, endpoint_id, external_lookup) DO UPDATE SET"
	" inbound_count = sb_conversation.inbound_count + excluded.inbound_count,"
	" closed_at = CASE WHEN excluded.inbound_count > 0 THEN NULL ELSE sb_conversation.closed_at END,"
	" last_item_at = CASE WHEN excluded.last_item_at > sb_conversation.last_item_at"
	" THEN excluded.last_item_at ELSE sb_conversation.last_item_at END RETURNING" TOUCH_COLUMNS;

/* The existing conversation touched: SB_ENOTFOUND when there is none. */
static int touch_existing(sb_practice *p, sb_stmt **st, const sb_pair *pair, int64_t n, int64_t at)
{
	const size_t h = SB_HASH_BYTES;
	if (sb_db_dialect(p->db) != SB_STORE_DIALECT_SQLITE)
		return sb_db_row(p->db, st, touch_returning_sql, "iiiiiibib", n, n, at, at, p->id, pair->endpoint,
		                 pair->lookup, h, p->id, pair->lookup, h);
	int rc = sb_db_exec(p->db, touch_update_sql, "iiiiiib", n, n, at, at, p->id, pair->endpoint, pair->lookup, h);
	return rc == SB_OK ? sb_db_row(p->db, st, touch_read_sql, "ibiib", p->id, pair->lookup, h, p->id, pair->endpoint,
	                               pair->lookup, h)
	                   : rc;
}

static int touch_row(sb_practice *p, sb_stmt **st, const sb_pair *pair, int inbound, int64_t at, int64_t now)
{
	int64_t n = inbound != 0;
	int rc = touch_existing(p, st, pair, n, at);
	if (rc == SB_ENOTFOUND)
		rc = sb_db_row(p->db, st, touch_sql, "iiibiiiiib", p->id,
		               (int64_t)(pair->account ? SB_CONVERSATION_SECURE : SB_CONVERSATION_STANDARD), pair->endpoint,
		               pair->lookup, (size_t)SB_HASH_BYTES, pair->account, n, at, now, p->id, pair->lookup,
		               (size_t)SB_HASH_BYTES);
	return rc;
}

/* A new conversation goes to the auto-assign owner's mailbox; a reopened
 * one to it or the shared inbox (T4, T5). */
static int arrive(sb_practice *p, const sb_pair *pair, sb_id conversation, int reopened, int64_t now)
{
	int kind;
	sb_id owner;
	int rc = sb_mailbox_arrival(p, pair->endpoint, &kind, &owner);
	if (rc != SB_OK || (!reopened && kind == SB_MAILBOX_INBOX))
		return rc;
	return sb_mailbox_move(p, conversation, kind, owner, reopened ? SB_EVENT_REOPENED : SB_EVENT_ASSIGNED,
	                       SB_ACTOR_SYSTEM, now);
}

/* A conversation this statement created: its number sealed, and the
 * endpoint's conversation tags put on it (T7). */
static int created(sb_practice *p, const sb_pair *pair, sb_id conversation)
{
	int rc = seal_external(p, conversation, pair);
	return rc == SB_OK ? sb_tag_apply(p, pair->endpoint, SB_TAG_CONVERSATION, conversation) : rc;
}

int sb_conversation_touch(sb_practice *p, const sb_pair *pair, int inbound, int64_t at, sb_delivery *out)
{
	sb_stmt *st;
	int64_t now;
	int rc = sb_now(p, &now);
	if (rc == SB_OK)
		rc = touch_row(p, &st, pair, inbound, at, now);
	if (rc != SB_OK)
		return rc;
	out->conversation_id = sb_db_col_int(p->db, st, 0);
	out->new_conversation = (int)sb_db_col_int(p->db, st, 1);
	int reopened = (int)sb_db_col_int(p->db, st, 2);
	int held = sb_db_col_type(p->db, st, 3) != SB_STORE_NULL;
	out->contact_id = held ? sb_db_col_int(p->db, st, 3) : 0;
	sb_db_release(p->db, st);
	if (out->new_conversation && (rc = created(p, pair, out->conversation_id)) != SB_OK)
		return rc;
	if ((out->new_conversation || reopened) && (rc = arrive(p, pair, out->conversation_id, reopened, now)) != SB_OK)
		return rc;
	if (pair->account) /* the account's contact, matched when it signed up (L4) */
		return sb_db_one_int(p->db, &out->contact_id, "SELECT contact_id FROM sb_account WHERE id = ?", "i",
		                     pair->account);
	if (held || !pair->external[0]) /* held, or an unknown caller (V11): no contact holds "no number" */
		return SB_OK;
	rc = sb_contact_create_holder(p, pair->external, pair->lookup, now, &out->contact_id, &out->new_contact);
	return rc == SB_OK && out->new_contact ? sb_tag_apply(p, pair->endpoint, SB_TAG_CONTACT, out->contact_id) : rc;
}

/* The actor may act on the conversation (T8); checked before the
 * transaction, so that a refusal's audit entry stays. */
static int gate(sb_practice *p, sb_id actor, sb_id id)
{
	return sb_access_gate(p, actor, id, sb_access_conversation);
}

/* A change to one conversation the actor sees: checked, then `body` in a
 * transaction audited as `action`. */
static int change(sb_practice *p, sb_id actor, sb_id id, const char *action, sb_step body, const void *arg,
                  const char *what)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = gate(p, actor, id);
	return rc == SB_OK ? sb_transact(p, actor, action, "conversation", &id, body, arg, what) : rc;
}

/* --- reading --- */

/* A conversation with its business number, holder and the reader's mark. */
static const char load_sql[] =
	"SELECT c.id, c.kind, c.endpoint_id, e.address, c.external, c.closed_at, c.inbound_count, c.read_count,"
	" c.created_at, c.last_item_at, COALESCE(a.contact_id, acc.contact_id), m.read_count"
	" FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
	" LEFT JOIN sb_contact_address a ON a.practice_id = c.practice_id AND a.kind = 1"
	" AND a.lookup = c.external_lookup"
	" LEFT JOIN sb_account acc ON acc.id = c.account_id"
	" LEFT JOIN sb_read_mark m ON m.conversation_id = c.id AND m.teammate_id = ?"
	" WHERE c.id = ? AND c.practice_id = ?";

static int load(sb_practice *p, sb_id reader, sb_id id, sb_conversation *out)
{
	sb_stmt *st;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	int rc = sb_db_row(p->db, &st, load_sql, "iii", reader, id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	if (rc != SB_OK)
		return rc;
	out->id = id;
	out->kind = (int)sb_db_col_int(p->db, st, 1);
	out->endpoint_id = sb_db_col_int(p->db, st, 2);
	const char *t = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(out->business_number, sizeof out->business_number, t, n);
	rc = open_external(p, st, 4, id, out->external, sizeof out->external);
	out->closed_at = sb_db_col_int(p->db, st, 5);
	out->closed = out->closed_at != 0;
	int64_t inbound = sb_db_col_int(p->db, st, 6);
	out->unread = inbound > sb_db_col_int(p->db, st, 7);
	out->created_at = sb_db_col_int(p->db, st, 8);
	out->last_item_at = sb_db_col_int(p->db, st, 9);
	out->contact_id = sb_db_col_int(p->db, st, 10);
	out->unread_by_actor = inbound > sb_db_col_int(p->db, st, 11);
	sb_db_release(p->db, st);
	return rc;
}

typedef struct reader {
	sb_id actor;
	sb_conversation *out;
} reader;

static int get_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	const reader *r = arg;
	return load(p, r->actor, *id, r->out);
}

int sb_conversation_get(sb_conversation *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, id);
	if (rc != SB_OK)
		return rc;
	reader r = {actor, out};
	rc = sb_transact(p, actor, "conversation.read", "conversation", &id, get_body, &r, "reading a conversation");
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

/* --- starting --- */

static int start_body(sb_practice *p, sb_id *id, const void *pair, int64_t now)
{
	sb_delivery d = {0};
	int rc = sb_conversation_touch(p, pair, 0, now, &d);
	*id = d.conversation_id;
	return rc;
}

int sb_conversation_start(sb_id *out_id, sb_practice *p, sb_id actor, sb_id endpoint, const char *number)
{
	sb_pair pair;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_actor(p, actor)) != SB_OK || (rc = sb_pair_external(p, &pair, number, "the number")) != SB_OK ||
	    (rc = sb_access_endpoint(p, actor, endpoint)) != SB_OK || (rc = sb_pair_by_endpoint(p, &pair, endpoint)) != SB_OK)
		return rc;
	rc = sb_transact(p, actor, "conversation.start", "conversation", out_id, start_body, &pair,
	                 "starting a conversation");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

/* --- changes --- */

static int exists(sb_practice *p, sb_id id, int64_t *kind)
{
	int rc = sb_db_one_int(p->db, kind, "SELECT kind FROM sb_conversation WHERE id = ? AND practice_id = ?", "ii", id,
	                       p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such conversation in this practice") : rc;
}

/* Run `sql` (binding now, id, practice) on an existing conversation; no row back means `state_error`. */
static int set_state(sb_practice *p, sb_id id, const char *sql, int64_t now, const char *state_error)
{
	int64_t kind;
	int rc = exists(p, id, &kind);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, NULL, sql, "iii", now, id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "%s", state_error) : rc;
}

/* Closing unassigns (T4): the conversation goes to the closed box. */
static int close_body(sb_practice *p, sb_id *id, const void *actor, int64_t now)
{
	int rc = set_state(p, *id,
	                   "UPDATE sb_conversation SET closed_at = ? WHERE id = ? AND practice_id = ? AND closed_at IS NULL"
	                   " RETURNING id",
	                   now, "the conversation is already closed");
	return rc == SB_OK ? sb_mailbox_move(p, *id, SB_MAILBOX_CLOSED, 0, SB_EVENT_CLOSED, *(const sb_id *)actor, now)
	                   : rc;
}

/* Reopening lands where new traffic would (T4, T5). */
static int reopen_body(sb_practice *p, sb_id *id, const void *actor, int64_t now)
{
	int64_t endpoint = 0;
	int kind;
	sb_id owner;
	int rc = set_state(p, *id,
	                   "UPDATE sb_conversation SET closed_at = NULL WHERE ? > 0 AND id = ? AND practice_id = ?"
	                   " AND closed_at IS NOT NULL RETURNING endpoint_id",
	                   now, "the conversation is open");
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &endpoint, "SELECT endpoint_id FROM sb_conversation WHERE id = ?", "i", *id);
	if (rc == SB_OK)
		rc = sb_mailbox_arrival(p, endpoint, &kind, &owner);
	return rc == SB_OK ? sb_mailbox_move(p, *id, kind, owner, SB_EVENT_REOPENED, *(const sb_id *)actor, now) : rc;
}

int sb_conversation_close(sb_practice *p, sb_id actor, sb_id id)
{
	return change(p, actor, id, "conversation.close", close_body, &actor, "closing a conversation");
}

int sb_conversation_reopen(sb_practice *p, sb_id actor, sb_id id)
{
	return change(p, actor, id, "conversation.reopen", reopen_body, &actor, "reopening a conversation");
}

/* Everything a conversation owns, whichever feature wrote it, children
 * first. Rows of other features that merely name one of its items (a bulk
 * message's copy, an invitation's text) keep their own facts and forget
 * the item. */
#define ITEMS_OF "(SELECT id FROM sb_item WHERE conversation_id = ?)"
#define CALLS_OF "(SELECT id FROM sb_call WHERE conversation_id = ?)"
static const char *const purge_sql[] = {
	"DELETE FROM sb_alert WHERE after_hours_id IN (SELECT id FROM sb_after_hours WHERE conversation_id = ?)",
	"DELETE FROM sb_after_hours WHERE conversation_id = ?",
	"DELETE FROM sb_schedule WHERE item_id IN " ITEMS_OF,
	"UPDATE sb_bulk_recipient SET item_id = NULL WHERE item_id IN " ITEMS_OF,
	"UPDATE sb_invitation SET sms_item_id = 0 WHERE sms_item_id IN " ITEMS_OF,
	"DELETE FROM sb_call_event WHERE call_id IN " CALLS_OF,
	"DELETE FROM sb_call_leg WHERE call_id IN " CALLS_OF,
	"DELETE FROM sb_call WHERE conversation_id = ?",
	"DELETE FROM sb_attachment WHERE item_id IN " ITEMS_OF,
	"DELETE FROM sb_item WHERE conversation_id = ?",
	"DELETE FROM sb_read_mark WHERE conversation_id = ?",
	"DELETE FROM sb_regarding WHERE conversation_id = ?",
	"DELETE FROM sb_conversation_tag WHERE conversation_id = ?",
	"DELETE FROM sb_conversation WHERE id = ?",
};

/* A call under way still needs its conversation. */
static int no_live_call(sb_practice *p, sb_id id)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_call WHERE conversation_id = ? AND phase <> ? LIMIT 1",
	                       "ii", id, (int64_t)SB_PHASE_ENDED);
	if (rc == SB_OK)
		return sb_fail(p, SB_ESTATE, "a call is under way in this conversation");
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

static int delete_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	int64_t kind;
	int rc = exists(p, *id, &kind);
	if (rc == SB_OK && kind != SB_CONVERSATION_STANDARD)
		return sb_fail(p, SB_ESECURE, "secure conversations cannot be deleted");
	if (rc == SB_OK)
		rc = no_live_call(p, *id);
	for (size_t i = 0; rc == SB_OK && i < sizeof purge_sql / sizeof purge_sql[0]; i++)
		rc = sb_db_exec(p->db, purge_sql[i], "i", *id);
	return rc;
}

int sb_conversation_delete(sb_practice *p, sb_id actor, sb_id id)
{
	int rc = change(p, actor, id, "conversation.delete", delete_body, NULL, "deleting a conversation");
	return rc == SB_OK ? sb_purge(p) : rc;
}

/* --- regarding (C6) --- */

static int contact_exists(sb_practice *p, sb_id contact)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_contact WHERE id = ? AND practice_id = ?", "ii", contact,
	                       p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such contact in this practice") : rc;
}

static int regarding_add_body(sb_practice *p, sb_id *id, const void *contact, int64_t now)
{
	(void)now;
	int64_t kind, marks = 0;
	sb_id c = *(const sb_id *)contact;
	int rc = exists(p, *id, &kind);
	if (rc == SB_OK)
		rc = contact_exists(p, c);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &marks, "SELECT COUNT(*) FROM sb_regarding WHERE conversation_id = ?", "i", *id);
	if (rc == SB_OK && marks >= (int64_t)SB_REGARDING_MAX)
		return sb_fail(p, SB_ETOOBIG, "a conversation is regarding at most %u contacts", SB_REGARDING_MAX);
	return rc == SB_OK ? sb_db_exec(p->db,
	                                "INSERT INTO sb_regarding (conversation_id, contact_id) VALUES (?, ?)"
	                                " ON CONFLICT DO NOTHING",
	                                "ii", *id, c)
	                   : rc;
}

static int regarding_remove_body(sb_practice *p, sb_id *id, const void *contact, int64_t now)
{
	(void)now;
	int rc = sb_db_one_int(p->db, NULL,
	                       "DELETE FROM sb_regarding WHERE conversation_id = ? AND contact_id = ?"
	                       " AND EXISTS (SELECT 1 FROM sb_conversation WHERE id = ? AND practice_id = ?)"
	                       " RETURNING contact_id",
	                       "iiii", *id, *(const sb_id *)contact, *id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "the conversation is not regarding that contact") : rc;
}

int sb_conversation_regarding_add(sb_practice *p, sb_id actor, sb_id id, sb_id contact)
{
	return change(p, actor, id, "conversation.regarding_add", regarding_add_body, &contact,
	              "marking a conversation regarding a contact");
}

int sb_conversation_regarding_remove(sb_practice *p, sb_id actor, sb_id id, sb_id contact)
{
	return change(p, actor, id, "conversation.regarding_remove", regarding_remove_body, &contact,
	              "removing a regarding mark");
}

typedef struct id_page {
	sb_id *out;
	size_t *count, max;
} id_page;

static int regarding_list_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	const id_page *pg = arg;
	int64_t kind;
	sb_stmt *st;
	int rc = exists(p, *id, &kind);
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st,
		                 "SELECT contact_id FROM sb_regarding WHERE conversation_id = ? ORDER BY contact_id LIMIT ?",
		                 "ii", *id, (int64_t)pg->max);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW)
		pg->out[(*pg->count)++] = sb_db_col_int(p->db, st, 0);
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

int sb_conversation_regarding(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id id, size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_REGARDING_MAX, 0, "")) != SB_OK || (rc = gate(p, actor, id)) != SB_OK)
		return rc;
	id_page pg = {out, out_count, max};
	rc = sb_transact(p, actor, "conversation.read", "conversation", &id, regarding_list_body, &pg,
	                 "listing regarding marks");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

/* --- attaching (C11) --- */

static int attach_body(sb_practice *p, sb_id *id, const void *contact, int64_t now)
{
	sb_pair pair;
	int rc = sb_pair_of_conversation(p, &pair, *id);
	return rc == SB_OK ? sb_contact_take_number(p, *(const sb_id *)contact, pair.external, pair.lookup, now) : rc;
}

int sb_conversation_attach(sb_practice *p, sb_id actor, sb_id id, sb_id contact)
{
	return change(p, actor, id, "conversation.attach", attach_body, &contact,
	              "attaching a conversation to a contact");
}

/* --- unread (C13) --- */

static int mark_read_body(sb_practice *p, sb_id *id, const void *actor, int64_t now)
{
	(void)now;
	int64_t inbound = 0;
	int rc = sb_db_one_int(p->db, &inbound,
	                       "UPDATE sb_conversation SET read_count = inbound_count WHERE id = ? AND practice_id = ?"
	                       " RETURNING inbound_count",
	                       "ii", *id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	return rc == SB_OK ? sb_db_exec(p->db,
	                                "INSERT INTO sb_read_mark (conversation_id, teammate_id, read_count) VALUES (?, ?, ?)"
	                                " ON CONFLICT (conversation_id, teammate_id) DO UPDATE SET read_count ="
	                                " CASE WHEN excluded.read_count > sb_read_mark.read_count"
	                                " THEN excluded.read_count ELSE sb_read_mark.read_count END",
	                                "iii", *id, *(const sb_id *)actor, inbound)
	                   : rc;
}

int sb_conversation_mark_read(sb_practice *p, sb_id actor, sb_id id)
{
	return change(p, actor, id, "conversation.mark_read", mark_read_body, &actor, "marking a conversation read");
}

int sb_conversation_unread_count(int64_t *out, sb_practice *p, sb_id actor)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, out,
	                   "SELECT COUNT(*) FROM sb_conversation c WHERE c.practice_id = ? AND c.closed_at IS NULL"
	                   " AND c.inbound_count > c.read_count AND c.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")",
	                   "iiiiii", p->id, p->id, actor, actor, actor, actor);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "counting unread conversations");
}

/* --- the contact card (C5, C6) --- */

/* The card's conversation ids after a cursor: those on the contact's numbers
 * (through the blind index) and those regarding it, each once. */
static const char card_sql[] =
	"SELECT cid, MIN(via) FROM ("
	" SELECT c.id AS cid, 0 AS via FROM sb_contact_address a JOIN sb_conversation c"
	" ON c.practice_id = a.practice_id AND c.external_lookup = a.lookup"
	" WHERE a.contact_id = ? AND a.kind = 1 AND c.id > ?"
	" UNION ALL SELECT c.id, 0 FROM sb_account acc JOIN sb_conversation c ON c.account_id = acc.id"
	" WHERE acc.contact_id = ? AND c.id > ?"
	" UNION ALL SELECT conversation_id, 1 FROM sb_regarding WHERE contact_id = ? AND conversation_id > ?"
	") card JOIN sb_conversation v ON v.id = card.cid WHERE v.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")"
	" GROUP BY cid ORDER BY cid LIMIT ?";

typedef struct card {
	sb_id actor;
	sb_conversation *out;
	size_t *count, max;
	sb_id after;
} card;

static int card_body(sb_practice *p, sb_id *contact, const void *arg, int64_t now)
{
	(void)now;
	const card *c = arg;
	sb_id ids[SB_CONVERSATION_PAGE_MAX];
	int via[SB_CONVERSATION_PAGE_MAX];
	size_t n = 0;
	sb_stmt *st;
	int rc = contact_exists(p, *contact);
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st, card_sql, "iiiiiiiiiiii", *contact, c->after, *contact, c->after, *contact,
		                 c->after, p->id, c->actor,
		                 c->actor, c->actor, c->actor, (int64_t)c->max);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		ids[n] = sb_db_col_int(p->db, st, 0);
		via[n++] = (int)sb_db_col_int(p->db, st, 1);
	}
	sb_db_release(p->db, st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = load(p, c->actor, ids[i], &c->out[i])) != SB_OK)
			return rc;
		c->out[i].regarding = via[i];
		*c->count = i + 1;
	}
	return SB_OK;
}

int sb_contact_conversations(sb_conversation *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id contact,
                             sb_id after_id, size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_CONVERSATION_PAGE_MAX, after_id, "after_id")) != SB_OK)
		return rc;
	card c = {actor, out, out_count, max, after_id};
	rc = sb_transact(p, actor, "conversation.read", "contact", &contact, card_body, &c, "reading a contact's card");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}
