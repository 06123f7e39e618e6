/* Bulk messages (T10): a contact filter's recipients, picked once, each
 * sent a copy through the ordinary outbox under a key that cannot repeat. */
#include "access.h"
#include "filter_internal.h"
#include "phi.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- creating --- */

typedef struct creation {
	sb_id endpoint, actor;
	const char *body;
	const sb_filter *f;
} creation;

static int check_endpoint(sb_practice *p, sb_id endpoint)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT kind, retired_at IS NULL FROM sb_endpoint WHERE id = ? AND practice_id = ?",
	                   "ii", endpoint, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such endpoint in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading an endpoint");
	int64_t kind = sb_db_col_int(p->db, st, 0), active = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	if (kind != SB_ENDPOINT_BUSINESS_NUMBER)
		return sb_fail(p, SB_ESTATE, "bulk messages go from a business number");
	return active ? SB_OK : sb_fail(p, SB_ESTATE, "the business number is retired");
}

/* Every contact the filter picks, skipped at once when it has no phone. */
static int pick_recipients(sb_practice *p, sb_id bulk, const sb_filter *f, int64_t *count)
{
	sb_query q = {.len = 0};
	sb_stmt *st;
	char tail[64];
	sb_query_add(&q,
	             "INSERT INTO sb_bulk_recipient (bulk_id, contact_id, state) SELECT ?, c.id, CASE WHEN EXISTS"
	             " (SELECT 1 FROM sb_contact_address a WHERE a.contact_id = c.id AND a.kind = ?) THEN ? ELSE ? END",
	             4, bulk, (int64_t)SB_ADDRESS_PHONE, (int64_t)SB_BULK_PENDING, (int64_t)SB_BULK_SKIPPED);
	snprintf(tail, sizeof tail, " ORDER BY %s LIMIT ?", sb_filter_contacts_from(&q, p, f, 0));
	sb_query_add(&q, tail, 1, (int64_t)SB_BULK_RECIPIENTS_MAX + 1);
	int rc = sb_query_run(p, &st, &q);
	if (rc == SB_OK) {
		rc = sb_db_step(p->db, st);
		rc = rc == SB_STORE_DONE ? SB_OK : rc;
	}
	sb_db_release(p->db, st);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, count, "SELECT COUNT(*) FROM sb_bulk_recipient WHERE bulk_id = ?", "i", bulk);
	if (rc == SB_OK && *count > (int64_t)SB_BULK_RECIPIENTS_MAX)
		return sb_fail(p, SB_ETOOBIG, "the filter picks more than %u contacts", SB_BULK_RECIPIENTS_MAX);
	if (rc == SB_OK && *count == 0)
		return sb_fail(p, SB_ESTATE, "the filter picks no contact");
	return rc;
}

static int create_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const creation *c = arg;
	int64_t count = 0;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_bulk (practice_id, endpoint_id, created_by, created_at) VALUES (?, ?, ?, ?)"
	                       " RETURNING id",
	                       "iiii", p->id, c->endpoint, c->actor, now);
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_bulk", "body", *id, c->body);
	if (rc == SB_OK)
		rc = pick_recipients(p, *id, c->f, &count);
	return rc == SB_OK ? sb_db_exec(p->db, "UPDATE sb_bulk SET recipients = ? WHERE id = ?", "ii", count, *id) : rc;
}

int sb_bulk_create(sb_id *out_id, sb_practice *p, sb_id actor, sb_id endpoint, const char *body,
                   const sb_filter *contacts)
{
	creation c = {endpoint, actor, body, contacts};
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK)
		rc = sb_check_text(p, body, SB_SMS_BODY_MAX, "body");
	if (rc == SB_OK && !body[0])
		rc = sb_fail(p, SB_EINVAL, "a bulk message needs a body");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_filter_check(p, contacts, SB_FILTER_CONTACTS);
	if (rc == SB_OK)
		rc = check_endpoint(p, endpoint);
	if (rc == SB_OK)
		rc = sb_access_endpoint(p, actor, endpoint);
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "bulk.create", "bulk", out_id, create_body, &c, "storing a bulk message");
	if (rc != SB_OK && out_id)
		*out_id = 0;
	return rc;
}

/* --- reading --- */

/* The bulk's endpoint, once the actor is known to see it. */
static int gate(sb_practice *p, sb_id actor, sb_id bulk, sb_id *endpoint)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, endpoint, "SELECT endpoint_id FROM sb_bulk WHERE id = ? AND practice_id = ?", "ii",
		                   bulk, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such bulk message in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a bulk message");
	return sb_access_endpoint(p, actor, *endpoint);
}

/* Add `n` copies in `state` (and, when stored, message `status`) to the tally. */
static void tally(sb_bulk *b, int64_t state, int64_t status, size_t n)
{
	size_t *by_status[] = {NULL, NULL, &b->queued, &b->sent, &b->delivered, &b->undelivered, &b->failed};
	if (state == SB_BULK_PENDING)
		b->pending += n;
	else if (state == SB_BULK_SKIPPED)
		b->skipped += n;
	else if (status >= SB_STATUS_QUEUED && status <= SB_STATUS_FAILED)
		*by_status[status] += n;
}

static int read_bulk(sb_practice *p, sb_id bulk, sb_bulk *out)
{
	sb_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = sb_db_row(p->db, &st, "SELECT endpoint_id, created_by, created_at, recipients FROM sb_bulk WHERE id = ?",
	                   "i", bulk);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a bulk message");
	out->id = bulk;
	out->endpoint_id = sb_db_col_int(p->db, st, 0);
	out->created_by = sb_db_col_int(p->db, st, 1);
	out->created_at = sb_db_col_int(p->db, st, 2);
	out->recipients = (size_t)sb_db_col_int(p->db, st, 3);
	sb_db_release(p->db, st);
	rc = sb_db_query(p->db, &st,
	                 "SELECT r.state, COALESCE(i.status, 0), COUNT(*) FROM sb_bulk_recipient r"
	                 " LEFT JOIN sb_item i ON i.id = r.item_id WHERE r.bulk_id = ? GROUP BY r.state, COALESCE(i.status, 0)",
	                 "i", bulk);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		tally(out, sb_db_col_int(p->db, st, 0), sb_db_col_int(p->db, st, 1), (size_t)sb_db_col_int(p->db, st, 2));
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? sb_fail_store(p, rc, "counting a bulk message's copies") : SB_OK;
}

int sb_bulk_get(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk)
{
	sb_id endpoint = 0;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, bulk, &endpoint);
	return rc == SB_OK ? read_bulk(p, bulk, out) : rc;
}

static void fill_recipient(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_bulk_recipient *r = (sb_bulk_recipient *)out + i;
	r->contact_id = sb_db_col_int(db, st, 0);
	r->state = (int)sb_db_col_int(db, st, 1);
	r->item_id = sb_db_col_int(db, st, 2);
	r->conversation_id = sb_db_col_int(db, st, 3);
	r->status = (int)sb_db_col_int(db, st, 4);
}

int sb_bulk_recipients(sb_bulk_recipient *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id bulk,
                       sb_id after_contact, size_t max)
{
	sb_stmt *st;
	sb_id endpoint = 0;
	int rc = sb_check_list(p, out, out_count, max, SB_BULK_PAGE_MAX, after_contact, "after_contact");
	if (rc == SB_OK)
		rc = gate(p, actor, bulk, &endpoint);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_query(p->db, &st,
	                 "SELECT r.contact_id, r.state, COALESCE(r.item_id, 0), COALESCE(i.conversation_id, 0),"
	                 " COALESCE(i.status, 0) FROM sb_bulk_recipient r LEFT JOIN sb_item i ON i.id = r.item_id"
	                 " WHERE r.bulk_id = ? AND r.contact_id > ? ORDER BY r.contact_id LIMIT ?",
	                 "iii", bulk, after_contact, (int64_t)max);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_recipient, out, out_count);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing a bulk message's recipients");
}

int sb_bulk_list(sb_bulk *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id before_id, size_t max)
{
	sb_id ids[SB_BULK_PAGE_MAX];
	size_t n = 0;
	int rc = sb_check_list(p, out, out_count, max, SB_BULK_PAGE_MAX, before_id, "before_id");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_ids(p->db, ids, &n, max,
	               "SELECT b.id FROM sb_bulk b WHERE b.practice_id = ? AND b.id < ?"
	               " AND b.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ") ORDER BY b.id DESC LIMIT ?",
	               "iiiiiiii", p->id, before_id ? before_id : INT64_MAX, p->id, actor, actor, actor, actor,
	               (int64_t)max);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "listing bulk messages");
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = read_bulk(p, ids[i], &out[i]);
	*out_count = rc == SB_OK ? n : 0;
	return rc;
}

/* --- sending --- */

typedef struct run {
	sb_id bulk, endpoint, actor;
	char body[SB_SMS_BODY_MAX + 1];
} run;

static int load_run(sb_practice *p, run *r)
{
	sb_stmt *st;
	size_t n = 0, len;
	int rc = check_endpoint(p, r->endpoint);
	if (rc == SB_OK)
		rc = sb_db_row(p->db, &st, "SELECT body FROM sb_bulk WHERE id = ?", "i", r->bulk);
	if (rc != SB_OK)
		return rc;
	const void *b = sb_db_col_blob(p->db, st, 0, &n);
	rc = sb_phi_unpack(p, r->body, sizeof r->body, &len, "sb_bulk", "body", r->bulk, b, n);
	sb_db_release(p->db, st);
	return rc;
}

static int set_state(sb_practice *p, const run *r, sb_id contact, int state, sb_id item)
{
	int rc = sb_db_exec(p->db, "UPDATE sb_bulk_recipient SET state = ?, item_id = NULLIF(?, 0)"
	                           " WHERE bulk_id = ? AND contact_id = ? AND state = ?",
	                    "iiiii", (int64_t)state, item, r->bulk, contact, (int64_t)SB_BULK_PENDING);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "recording a bulk copy");
}

/* One recipient's copy. Its key finds a copy stored before (by a run that
 * stopped, or one running beside this), so it is never sent twice. */
static int send_copy(sb_practice *p, const run *r, sb_id contact)
{
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	snprintf(key, sizeof key, "sb-bulk-%lld-%lld", (long long)r->bulk, (long long)contact);
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.endpoint = r->endpoint;
	m.contact = contact;
	m.body = r->body;
	m.idempotency_key = key;
	sb_sent sent;
	int rc = sb_sms_send(&sent, p, r->actor, &m);
	if (rc == SB_OK || (rc == SB_EUSER && sent.item_id))
		return set_state(p, r, contact, SB_BULK_STORED, sent.item_id); /* a refusal is stored as FAILED */
	if (rc == SB_ENOTFOUND || rc == SB_ESTATE || rc == SB_EPHONE)
		return set_state(p, r, contact, SB_BULK_SKIPPED, 0); /* gone, or no number to text */
	return rc;
}

static int start(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk, size_t max, run **r)
{
	*r = NULL;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK && (max < 1 || max > SB_BULK_PAGE_MAX))
		rc = sb_fail(p, SB_EINVAL, "max must be 1..%u", SB_BULK_PAGE_MAX);
	sb_id endpoint = 0;
	if (rc == SB_OK)
		rc = gate(p, actor, bulk, &endpoint);
	if (rc == SB_OK && !p->carrier.send_sms)
		rc = sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	if (rc == SB_OK && !(*r = calloc(1, sizeof **r)))
		rc = sb_fail(p, SB_ENOMEM, "out of memory");
	if (rc != SB_OK)
		return rc;
	(*r)->bulk = bulk;
	(*r)->endpoint = endpoint;
	(*r)->actor = actor;
	return load_run(p, *r);
}

/* Report how the bulk stands, and forget the text. */
static int finish(sb_bulk *out, sb_practice *p, run *r, int rc)
{
	if (r) {
		sodium_memzero(r->body, sizeof r->body);
		if (rc == SB_OK)
			rc = read_bulk(p, r->bulk, out);
	}
	free(r);
	return rc;
}

int sb_bulk_send(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk, size_t max)
{
	run *r;
	int rc = start(out, p, actor, bulk, max, &r);
	for (size_t i = 0; rc == SB_OK && i < max; i++) {
		sb_id contact = 0;
		rc = sb_db_one_int(p->db, &contact,
		                   "SELECT contact_id FROM sb_bulk_recipient WHERE bulk_id = ? AND state = ?"
		                   " ORDER BY contact_id LIMIT 1",
		                   "ii", bulk, (int64_t)SB_BULK_PENDING);
		if (rc == SB_ENOTFOUND) {
			rc = SB_OK;
			break;
		}
		rc = rc == SB_OK ? send_copy(p, r, contact) : sb_fail_store(p, rc, "sending a bulk message");
	}
	return finish(out, p, r, rc);
}

int sb_bulk_retry(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk, size_t max)
{
	run *r;
	int rc = start(out, p, actor, bulk, max, &r);
	sb_id after = 0;
	int64_t now = 0;
	if (rc == SB_OK)
		rc = sb_now(p, &now);
	for (size_t i = 0; rc == SB_OK && i < max; i++) {
		sb_stmt *st;
		rc = sb_db_row(p->db, &st,
			               "SELECT r.contact_id, r.item_id FROM sb_bulk_recipient r JOIN sb_item i ON i.id = r.item_id"
			               " WHERE r.bulk_id = ? AND r.state = ? AND r.contact_id > ? AND (i.status = ?"
			               " OR (i.status = ? AND COALESCE(i.attempt_at, i.occurred_at) BETWEEN 1 AND ?))"
			               " ORDER BY r.contact_id LIMIT 1",
			               "iiiiii", bulk, (int64_t)SB_BULK_STORED, after, (int64_t)SB_STATUS_FAILED,
			               (int64_t)SB_STATUS_QUEUED, now - SB_OUTBOX_STALE_MS);
		if (rc == SB_ENOTFOUND) {
			rc = SB_OK;
			break;
		}
		if (rc != SB_OK) {
			rc = sb_fail_store(p, rc, "retrying a bulk message");
			break;
		}
		after = sb_db_col_int(p->db, st, 0);
		sb_id item = sb_db_col_int(p->db, st, 1);
		sb_db_release(p->db, st);
		sb_sent sent;
		rc = sb_sms_retry(&sent, p, actor, item);
		if (rc == SB_EUSER || rc == SB_ESTATE)
			rc = SB_OK; /* refused again (still FAILED), or another retry took it */
	}
	return finish(out, p, r, rc);
}
