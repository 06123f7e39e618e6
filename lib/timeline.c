/* Timeline items: writing them (sealed), reading them a page at a time,
 * notes, and call and voicemail records. */
#include "notify_internal.h"
#include "access.h"
#include "phi.h"
#include "routing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- writing --- */

/* Seal the item's text and media reference; both are tied to its row, so
 * sealing waits for the row's id. */
static int seal_fields(sb_practice *p, sb_id id, const char *text, const char *media_ref)
{
	unsigned char *body = NULL, *media = NULL;
	size_t body_len = 0, media_len = 0;
	int rc = SB_OK;
	if (text && text[0])
		rc = sb_phi_pack(p, &body, &body_len, "sb_item", "body", id, text, strlen(text));
	if (rc == SB_OK && media_ref && media_ref[0])
		rc = sb_phi_pack(p, &media, &media_len, "sb_item", "media_ref", id, media_ref, strlen(media_ref));
	if (rc == SB_OK && (body || media))
		rc = sb_db_exec(p->db, "UPDATE sb_item SET body = ?, media_ref = ? WHERE id = ?", "bbi", body, body_len,
		                media, media_len, id);
	free(body);
	free(media);
	return rc;
}

/* Without a key the text goes in with the row: one statement per item. */
static const char *clear_text(const sb_practice *p, const char *text)
{
	return !p->keys && text && text[0] ? text : NULL;
}

int sb_item_insert(sb_practice *p, const sb_item_row *r, sb_id *out_id)
{
	const char *body = clear_text(p, r->text), *media = clear_text(p, r->media_ref);
	int rc = sb_db_insert_id(p->db, out_id,
	                         "INSERT INTO sb_item (practice_id, conversation_id, kind, direction, occurred_at, author,"
	                         " status, carrier_id, idempotency_key, segments, duration_ms, outcome, attachments,"
	                         " body, media_ref, call_id)"
	                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))"
	                         " ON CONFLICT DO NOTHING{returning_id}",
	                         "iiiiiiittiiiibbi", p->id, r->conversation, (int64_t)r->kind, (int64_t)r->direction, r->at,
	                         r->author, (int64_t)r->status, r->carrier_id, r->idempotency_key, (int64_t)r->segments,
	                         r->duration_ms, (int64_t)r->outcome, (int64_t)r->attachments, body,
	                         body ? strlen(body) : 0, media, media ? strlen(media) : 0, r->call);
	return rc == SB_OK && p->keys ? seal_fields(p, *out_id, r->text, r->media_ref) : rc;
}

int sb_item_by_carrier(sb_practice *p, int direction, const char *carrier_id, sb_id *out_item, sb_id *out_conversation,
                       int *out_kind)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT id, conversation_id, kind FROM sb_item WHERE practice_id = ? AND direction = ?"
	                   " AND carrier_id = ?",
	                   "iit", p->id, (int64_t)direction, carrier_id);
	if (rc != SB_OK)
		return rc;
	*out_item = sb_db_col_int(p->db, st, 0);
	*out_conversation = sb_db_col_int(p->db, st, 1);
	*out_kind = (int)sb_db_col_int(p->db, st, 2);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* --- reading --- */

/* An engine call's item reads its carrier id from the patient's leg of the
 * call (the caller's, role 1; the patient's of an outbound call, role 4):
 * the voicemail left on that leg holds the id in the unique carrier index. */
#define ITEM_COLUMNS                                                                                     \
	"id, conversation_id, kind, direction, occurred_at, author, status, segments, duration_ms, outcome," \
	" attachments, COALESCE(carrier_id, (SELECT l.carrier_id FROM sb_call_leg l"                        \
	" WHERE l.call_id = sb_item.call_id AND l.role IN (1, 4) AND l.carrier_id IS NOT NULL"              \
	" ORDER BY l.id LIMIT 1)),"                                                                          \
	" error, body, media_ref"

static int fill(sb_practice *p, sb_stmt *st, sb_item *it)
{
	size_t n = 0, len;
	const char *t;
	memset(it, 0, offsetof(sb_item, text) + 1);
	it->id = sb_db_col_int(p->db, st, 0);
	it->conversation_id = sb_db_col_int(p->db, st, 1);
	it->kind = (int)sb_db_col_int(p->db, st, 2);
	it->direction = (int)sb_db_col_int(p->db, st, 3);
	it->at = sb_db_col_int(p->db, st, 4);
	it->author = sb_db_col_int(p->db, st, 5);
	it->status = (int)sb_db_col_int(p->db, st, 6);
	it->segments = (int)sb_db_col_int(p->db, st, 7);
	it->duration_ms = sb_db_col_int(p->db, st, 8);
	it->outcome = (int)sb_db_col_int(p->db, st, 9);
	it->attachment_count = (int)sb_db_col_int(p->db, st, 10);
	if ((t = sb_db_col_text(p->db, st, 11, &n)))
		sb_copy_text(it->carrier_id, sizeof it->carrier_id, t, n);
	if ((t = sb_db_col_text(p->db, st, 12, &n)))
		sb_copy_text(it->error, sizeof it->error, t, n);
	const void *b = sb_db_col_blob(p->db, st, 13, &n);
	int rc = b ? sb_phi_unpack(p, it->text, sizeof it->text, &it->text_len, "sb_item", "body", it->id, b, n) : SB_OK;
	b = sb_db_col_blob(p->db, st, 14, &n);
	if (rc == SB_OK && b)
		rc = sb_phi_unpack(p, it->media_ref, sizeof it->media_ref, &len, "sb_item", "media_ref", it->id, b, n);
	return rc;
}

static int item_body(sb_practice *p, sb_id *id, const void *out, int64_t now)
{
	(void)now;
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT " ITEM_COLUMNS " FROM sb_item WHERE id = ? AND practice_id = ?", "ii", *id,
	                   p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such item in this practice");
	if (rc != SB_OK)
		return rc;
	rc = fill(p, st, (sb_item *)out);
	sb_db_release(p->db, st);
	return rc;
}

int sb_item_get(sb_item *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_access_gate(p, actor, id, sb_access_item);
	if (rc != SB_OK)
		return rc;
	rc = sb_transact(p, actor, "item.read", "item", &id, item_body, out, "reading an item");
	if (rc != SB_OK)
		memset(out, 0, offsetof(sb_item, text) + 1);
	return rc;
}

int sb_item_call(sb_id *out_call, sb_practice *p, sb_id actor, sb_id item)
{
	int rc = sb_check_out(p, out_call, sizeof *out_call, "out_call");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_gate(p, actor, item, sb_access_item);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, out_call,
	                   "SELECT call_id FROM sb_item WHERE id = ? AND practice_id = ? AND call_id IS NOT NULL", "ii",
	                   item, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "the item records no call of the call engine");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "finding an item's call");
}

typedef struct page {
	sb_item *out;
	size_t *count, max;
	sb_id before;
	int kind; /* only items of this kind; 0: all */
} page;

/* Where a page starts: just before item `before` (which must be of this
 * conversation), or past the newest item. */
static int cursor(sb_practice *p, sb_id conversation, sb_id before, int64_t *at, sb_id *id)
{
	*at = INT64_MAX;
	*id = before ? before : INT64_MAX;
	if (!before)
		return SB_OK;
	int rc = sb_db_one_int(p->db, at, "SELECT occurred_at FROM sb_item WHERE id = ? AND conversation_id = ?", "ii",
	                       before, conversation);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "before_id is not an item of this conversation") : rc;
}

static int page_body(sb_practice *p, sb_id *conversation, const void *arg, int64_t now)
{
	(void)now;
	const page *pg = arg;
	int64_t at;
	sb_id id;
	sb_stmt *st;
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_conversation WHERE id = ? AND practice_id = ?", "ii",
	                       *conversation, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	if (rc == SB_OK)
		rc = cursor(p, *conversation, pg->before, &at, &id);
	if (rc == SB_OK)
		rc = sb_db_query(p->db, &st,
		                 "SELECT " ITEM_COLUMNS " FROM sb_item WHERE conversation_id = ? AND (occurred_at, id) < (?, ?)"
		                 " AND (? = 0 OR kind = ?) ORDER BY occurred_at DESC, id DESC LIMIT ?",
		                 "iiiiii", *conversation, at, id, (int64_t)pg->kind, (int64_t)pg->kind, (int64_t)pg->max);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW && (rc = fill(p, st, &pg->out[*pg->count])) == SB_OK)
		++*pg->count;
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

int sb_timeline_read(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation, sb_id before_id,
                     size_t max, int kind)
{
	int rc = sb_check_list(p, out, out_count, max, SB_TIMELINE_PAGE_MAX, before_id, "before_id");
	if (rc == SB_OK)
		rc = kind ? sb_access_gate_patient(p, actor, conversation, sb_access_conversation, sb_access_own_conversation)
		          : sb_access_gate(p, actor, conversation, sb_access_conversation);
	if (rc != SB_OK)
		return rc;
	page pg = {out, out_count, max, before_id, kind};
	rc = sb_transact_patient(p, actor, "item.read", "conversation", &conversation, page_body, &pg, "reading a timeline");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

int sb_timeline_page(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation,
                     sb_id before_id, size_t max)
{
	return sb_timeline_read(out, out_count, p, actor, conversation, before_id, max, 0);
}

/* --- notes --- */

typedef struct note {
	const char *text;
	sb_id actor, *out_id;
} note;

static int note_body(sb_practice *p, sb_id *conversation, const void *arg, int64_t now)
{
	const note *n = arg;
	int rc = sb_db_one_int(p->db, NULL,
	                       "UPDATE sb_conversation SET last_item_at = CASE WHEN last_item_at < ? THEN ?"
	                       " ELSE last_item_at END WHERE id = ? AND practice_id = ? RETURNING id",
	                       "iiii", now, now, *conversation, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such conversation in this practice");
	sb_item_row row = {.conversation = *conversation, .kind = SB_ITEM_NOTE, .at = now, .author = n->actor,
	                   .text = n->text};
	return rc == SB_OK ? sb_item_insert(p, &row, n->out_id) : rc;
}

int sb_note_add(sb_id *out_id, sb_practice *p, sb_id actor, sb_id conversation, const char *text)
{
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_text(p, text, SB_ITEM_TEXT_MAX, "note")) != SB_OK)
		return rc;
	if (!text[0])
		return sb_fail(p, SB_EINVAL, "note is empty");
	if ((rc = sb_access_gate(p, actor, conversation, sb_access_conversation)) != SB_OK)
		return rc;
	note n = {text, actor, out_id};
	rc = sb_transact(p, actor, "note.add", "conversation", &conversation, note_body, &n, "adding a note");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

/* --- calls and voicemails --- */

int sb_call_item_init(sb_call_item *item)
{
	if (!item)
		return SB_EINVAL;
	memset(item, 0, sizeof *item);
	item->version = SB_CALL_ITEM_VERSION;
	return SB_OK;
}

static int check_optional(sb_practice *p, const char *s, size_t max, const char *field)
{
	return s ? sb_check_text(p, s, max, field) : SB_OK;
}

static int check_call(sb_practice *p, const sb_call_item *c)
{
	if (c->version != SB_CALL_ITEM_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_call_item version %u is not %u", c->version, SB_CALL_ITEM_VERSION);
	if (c->kind != SB_ITEM_CALL && c->kind != SB_ITEM_VOICEMAIL)
		return sb_fail(p, SB_EINVAL, "kind must be SB_ITEM_CALL or SB_ITEM_VOICEMAIL");
	if (c->direction != SB_DIRECTION_INBOUND && (c->direction != SB_DIRECTION_OUTBOUND || c->kind != SB_ITEM_CALL))
		return sb_fail(p, SB_EINVAL, "a call is inbound or outbound, a voicemail inbound");
	if (c->kind == SB_ITEM_CALL ? c->outcome < SB_CALL_ANSWERED || c->outcome > SB_CALL_CANCELED
	                            : c->outcome != SB_CALL_NONE)
		return sb_fail(p, SB_EINVAL, "outcome %d does not fit the kind", c->outcome);
	if (c->duration_ms < 0 || c->started_at < 0)
		return sb_fail(p, SB_EINVAL, "duration and start must not be negative");
	int rc = check_optional(p, c->media_ref, SB_MEDIA_REF_MAX, "media_ref");
	if (rc == SB_OK)
		rc = check_optional(p, c->transcript, SB_ITEM_TEXT_MAX, "transcript");
	if (rc == SB_OK)
		rc = check_optional(p, c->carrier_id, SB_CARRIER_ID_MAX - 1, "carrier_id");
	return rc;
}

typedef struct call {
	const sb_call_item *c;
	sb_pair *pair;  /* the external end is set; the business number is found in the transaction */
	sb_id actor;
	sb_delivery *out;
} call;

static int call_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	const call *k = arg;
	const sb_call_item *c = k->c;
	int64_t at = c->started_at ? c->started_at : now;
	int rc = sb_pair_by_number(p, k->pair, c->business_number);
	if (rc == SB_OK)
		rc = sb_conversation_touch(p, k->pair, c->direction == SB_DIRECTION_INBOUND, at, k->out);
	sb_item_row row = {.conversation = k->out->conversation_id, .kind = c->kind, .direction = c->direction,
	                   .at = at, .author = k->actor, .text = c->transcript, .media_ref = c->media_ref,
	                   .carrier_id = c->carrier_id, .duration_ms = c->duration_ms, .outcome = c->outcome};
	if (rc == SB_OK)
		rc = sb_item_insert(p, &row, item);
	if (rc == SB_ENOTFOUND) /* the carrier id is taken: report the first */
		rc = SB_ECONFLICT;
	k->out->item_id = *item;
	return rc == SB_OK ? sb_notice_for_item(p, &row, *item) : rc;
}

int sb_call_item_record(sb_delivery *out, sb_practice *p, sb_id actor, const sb_call_item *item)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !item)
		return sb_fail(p, SB_EINVAL, "out and item are required");
	memset(out, 0, sizeof *out);
	sb_pair pair;
	call k = {item, &pair, actor, out};
	if ((rc = check_call(p, item)) != SB_OK ||
	    (rc = sb_pair_external(p, &pair, item->external, "the external number")) != SB_OK ||
	    (rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	if (actor != SB_ACTOR_SYSTEM) { /* a teammate records only on numbers they see (T8) */
		sb_pair number;
		if ((rc = sb_pair_by_number(p, &number, item->business_number)) != SB_OK ||
		    (rc = sb_access_endpoint(p, actor, number.endpoint)) != SB_OK)
			return rc;
	}
	return sb_deliver_once(p, out, item->kind, item->direction, item->carrier_id, actor, "call.record", call_body, &k,
	                       "recording a call");
}

/* --- once per carrier id (C15) --- */

/* What the first event with this carrier id made. */
static int first_delivery(sb_practice *p, sb_delivery *out, int kind, int direction, const char *carrier_id)
{
	int found_kind = 0;
	int rc = sb_item_by_carrier(p, direction, carrier_id, &out->item_id, &out->conversation_id, &found_kind);
	if (rc != SB_OK)
		return rc;
	if (found_kind != kind)
		return sb_fail(p, SB_ECONFLICT, "the carrier id belongs to another kind of event");
	out->duplicate = 1;
	rc = sb_db_one_int(p->db, &out->contact_id,
	                   "SELECT a.contact_id FROM sb_conversation c JOIN sb_contact_address a"
	                   " ON a.practice_id = c.practice_id AND a.kind = 1 AND a.lookup = c.external_lookup"
	                   " WHERE c.id = ?",
	                   "i", out->conversation_id);
	return rc == SB_ENOTFOUND ? SB_OK : rc; /* the number may have been taken from its contact since */
}

int sb_deliver_once(sb_practice *p, sb_delivery *out, int kind, int direction, const char *carrier_id, sb_id actor,
                    const char *action, sb_step body, const void *arg, const char *what)
{
	sb_id item = 0;
	int rc = sb_transact(p, actor, action, "item", &item, body, arg, what);
	/* The common case, a new carrier id, costs no lookup: only a failure
	 * asks whether the event was delivered before (a replay, which would
	 * fail on the taken carrier id or on a number retired since) or by a
	 * concurrent delivery meanwhile. Then the first delivery answers. */
	if (rc != SB_OK && carrier_id) {
		memset(out, 0, sizeof *out);
		int first = first_delivery(p, out, kind, direction, carrier_id);
		rc = first == SB_ENOTFOUND ? rc : first == SB_OK ? sb_succeed(p) : sb_fail_store(p, first, what);
	}
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	return rc;
}
