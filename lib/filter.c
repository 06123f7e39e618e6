/* Filters (T9): criteria as data, checked whole, run through indexes, and
 * saved for a teammate or shared with the practice. */
#include "access.h"
#include "filter_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Contact invitation states, kept on the contact by the links issue's
 * invitations (sb_contact.invitation): 0 never invited, 1 pending,
 * 2 accepted, 3 expired, 4 revoked, 5 opened. */
#define NOT_ACCEPTED_STATES "(1, 3, 4, 5)"
#define ACCEPTED_STATE 2

/* --- queries from fragments --- */

void sb_query_add(sb_query *q, const char *sql, size_t n, ...)
{
	size_t len = strlen(sql);
	if (q->overflow || q->len + len >= sizeof q->sql || q->n + n > sizeof q->args / sizeof q->args[0]) {
		q->overflow = 1;
		return;
	}
	memcpy(q->sql + q->len, sql, len + 1);
	q->len += len;
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		q->args[q->n++] = va_arg(ap, int64_t);
	va_end(ap);
}

int sb_query_run(sb_practice *p, sb_stmt **out, const sb_query *q)
{
	*out = NULL;
	if (q->overflow)
		return sb_fail(p, SB_ESTORE, "internal: a filter's query did not fit its buffer");
	return sb_db_query_ints(p->db, out, q->sql, q->args, q->n);
}

/* The filter's tags on the object `id`: every one (from the `from`-th; the
 * ones before it drive the query), or any of them. */
static void add_tags(sb_query *q, const sb_filter *f, const char *table, const char *column, size_t from)
{
	char exists[128];
	snprintf(exists, sizeof exists, " AND EXISTS (SELECT 1 FROM %s t WHERE t.%s = c.id AND t.tag_id", table, column);
	if (f->tag_match == SB_FILTER_TAGS_ANY && f->tag_count) {
		sb_query_add(q, exists, 0);
		for (size_t i = 0; i < f->tag_count; i++)
			sb_query_add(q, i ? ", ?" : " IN (?", 1, f->tags[i]);
		sb_query_add(q, "))", 0);
		return;
	}
	for (size_t i = from; i < f->tag_count; i++) {
		sb_query_add(q, exists, 0);
		sb_query_add(q, " = ?)", 1, f->tags[i]);
	}
}

const char *sb_filter_contacts_from(sb_query *q, sb_practice *p, const sb_filter *f, sb_id after)
{
	const char *id = "c.id";
	size_t driven = 0;
	if (f->tag_count && f->tag_match == SB_FILTER_TAGS_ALL) {
		/* Walk the first tag's index in contact order: only tagged contacts, no sort. */
		sb_query_add(q, " FROM sb_contact_tag d JOIN sb_contact c ON c.id = d.contact_id"
		                " WHERE d.tag_id = ? AND d.contact_id > ?", 2, f->tags[0], after);
		id = "d.contact_id";
		driven = 1;
	} else {
		sb_query_add(q, " FROM sb_contact c WHERE c.id > ?", 1, after);
	}
	sb_query_add(q, " AND c.practice_id = ?", 1, p->id);
	add_tags(q, f, "sb_contact_tag", "contact_id", driven);
	if (f->invitation == SB_FILTER_NEVER_INVITED)
		sb_query_add(q, " AND c.invitation = 0", 0);
	else if (f->invitation == SB_FILTER_INVITED_NOT_ACCEPTED)
		sb_query_add(q, " AND c.invitation IN " NOT_ACCEPTED_STATES, 0);
	else if (f->invitation == SB_FILTER_INVITATION_ACCEPTED)
		sb_query_add(q, " AND c.invitation = ?", 1, (int64_t)ACCEPTED_STATE);
	if (f->account)
		sb_query_add(q, f->account == SB_FILTER_HAS_ACCOUNT ? " AND c.has_account <> 0" : " AND c.has_account = 0", 0);
	return id;
}

/* Which conversations by mailbox or status. A mailbox (or the closed box)
 * lets the mailbox index drive the page; otherwise the recent index does. */
static void add_box(sb_query *q, const sb_filter *f, sb_id actor)
{
	if (f->mailbox != SB_FILTER_ANY_MAILBOX) {
		sb_id owner = f->mailbox == SB_MAILBOX_TEAMMATE && !f->mailbox_owner ? actor : f->mailbox_owner;
		sb_query_add(q, " AND c.box_kind = ? AND c.box_owner = ?", 2, (int64_t)f->mailbox, owner);
	} else if (f->status == SB_FILTER_STATUS_OPEN) {
		sb_query_add(q, " AND c.box_kind <> ?", 1, (int64_t)SB_MAILBOX_CLOSED);
	} else if (f->status == SB_FILTER_STATUS_CLOSED) {
		sb_query_add(q, " AND c.box_kind = ? AND c.box_owner = 0", 1, (int64_t)SB_MAILBOX_CLOSED);
	}
}

static void fill_entry(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	sb_mailbox_entry *e = (sb_mailbox_entry *)out + i;
	e->conversation_id = sb_db_col_int(db, st, 0);
	e->endpoint_id = sb_db_col_int(db, st, 1);
	e->conversation_kind = (int)sb_db_col_int(db, st, 2);
	e->last_item_at = sb_db_col_int(db, st, 3);
	e->unread = sb_db_col_int(db, st, 4) != 0;
	e->unread_by_actor = sb_db_col_int(db, st, 5) != 0;
}

static void fill_id(sb_db *db, sb_stmt *st, void *out, size_t i)
{
	((sb_id *)out)[i] = sb_db_col_int(db, st, 0);
}

int sb_filter_page(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor, const sb_filter *f,
                   int64_t before_at, sb_id before_id, size_t max)
{
	sb_query q = {.len = 0};
	sb_stmt *st;
	if (before_at == 0 && before_id == 0)
		before_at = before_id = INT64_MAX;
	sb_query_add(&q,
	             "SELECT c.id, c.endpoint_id, c.kind, c.last_item_at, c.inbound_count > c.read_count,"
	             " c.inbound_count > COALESCE(m.read_count, 0)"
	             " FROM sb_conversation c LEFT JOIN sb_read_mark m ON m.conversation_id = c.id AND m.teammate_id = ?"
	             " WHERE c.practice_id = ?",
	             2, actor, p->id);
	add_box(&q, f, actor);
	sb_query_add(&q, " AND (c.last_item_at, c.id) < (?, ?)", 2, before_at, before_id);
	if (f->endpoint)
		sb_query_add(&q, " AND c.endpoint_id = ?", 1, f->endpoint);
	if (f->conversation_kind)
		sb_query_add(&q, " AND c.kind = ?", 1, (int64_t)f->conversation_kind);
	if (f->unread)
		sb_query_add(&q, " AND c.inbound_count > c.read_count", 0);
	add_tags(&q, f, "sb_conversation_tag", "conversation_id", 0);
	sb_query_add(&q, " AND c.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")", 5, p->id, actor, actor, actor, actor);
	sb_query_add(&q, " ORDER BY c.last_item_at DESC, c.id DESC LIMIT ?", 1, (int64_t)max);
	int rc = sb_query_run(p, &st, &q);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_entry, out, out_count);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading conversations");
}

/* --- checking a filter --- */

int sb_filter_init(sb_filter *f, int kind)
{
	if (!f)
		return SB_EINVAL;
	memset(f, 0, sizeof *f);
	f->version = SB_FILTER_VERSION;
	f->kind = kind;
	f->mailbox = SB_FILTER_ANY_MAILBOX;
	return kind == SB_FILTER_CONVERSATIONS || kind == SB_FILTER_CONTACTS ? SB_OK : SB_EINVAL;
}

static int check_tags(sb_practice *p, const sb_filter *f)
{
	if (f->tag_match != SB_FILTER_TAGS_ALL && f->tag_match != SB_FILTER_TAGS_ANY)
		return sb_fail(p, SB_EINVAL, "tag_match must be SB_FILTER_TAGS_ALL or SB_FILTER_TAGS_ANY");
	if (f->tag_count > SB_FILTER_TAGS_MAX)
		return sb_fail(p, SB_ETOOBIG, "a filter names at most %u tags", SB_FILTER_TAGS_MAX);
	for (size_t i = 0; i < f->tag_count; i++) {
		if (f->tags[i] <= 0)
			return sb_fail(p, SB_EINVAL, "tags[%zu] is not a tag id", i);
		for (size_t k = 0; k < i; k++)
			if (f->tags[k] == f->tags[i])
				return sb_fail(p, SB_EINVAL, "tags[%zu] repeats tags[%zu]", i, k);
	}
	return SB_OK;
}

static int check_mailbox(sb_practice *p, const sb_filter *f)
{
	int m = f->mailbox;
	if (m < SB_FILTER_ANY_MAILBOX || m > SB_MAILBOX_CLOSED)
		return sb_fail(p, SB_EINVAL, "mailbox %d is not a mailbox kind", m);
	int ok = m == SB_MAILBOX_TEAM ? f->mailbox_owner > 0 : m == SB_MAILBOX_TEAMMATE ? f->mailbox_owner >= 0
	                                                                               : f->mailbox_owner == 0;
	if (!ok)
		return sb_fail(p, SB_EINVAL, "mailbox_owner: a team's mailbox names its team, a teammate's names the"
		                             " teammate or 0 (whoever runs it), the others take 0");
	int open_box = m == SB_MAILBOX_INBOX || m == SB_MAILBOX_TEAMMATE || m == SB_MAILBOX_TEAM;
	if ((m == SB_MAILBOX_CLOSED && f->status == SB_FILTER_STATUS_OPEN) ||
	    (open_box && f->status == SB_FILTER_STATUS_CLOSED))
		return sb_fail(p, SB_EINVAL, "mailbox and status contradict each other: only the closed box holds closed"
		                             " conversations");
	return SB_OK;
}

static int check_conversation_shape(sb_practice *p, const sb_filter *f)
{
	if (f->invitation || f->account)
		return sb_fail(p, SB_EINVAL, "invitation and account are contact criteria");
	if (f->endpoint < 0)
		return sb_fail(p, SB_EINVAL, "endpoint is negative");
	if (f->conversation_kind && f->conversation_kind != SB_CONVERSATION_STANDARD &&
	    f->conversation_kind != SB_CONVERSATION_SECURE)
		return sb_fail(p, SB_EINVAL, "conversation_kind %d is not a conversation kind", f->conversation_kind);
	if (f->unread != 0 && f->unread != 1)
		return sb_fail(p, SB_EINVAL, "unread must be 0 (any) or 1 (only unread)");
	if (f->status < SB_FILTER_STATUS_ANY || f->status > SB_FILTER_STATUS_CLOSED)
		return sb_fail(p, SB_EINVAL, "status %d is not a filter status", f->status);
	return check_mailbox(p, f);
}

static int check_contact_shape(sb_practice *p, const sb_filter *f)
{
	if (f->mailbox != SB_FILTER_ANY_MAILBOX || f->mailbox_owner || f->endpoint || f->conversation_kind ||
	    f->unread || f->status)
		return sb_fail(p, SB_EINVAL, "mailbox, endpoint, conversation_kind, unread and status are conversation"
		                             " criteria");
	if (f->invitation < SB_FILTER_INVITATION_ANY || f->invitation > SB_FILTER_INVITATION_ACCEPTED)
		return sb_fail(p, SB_EINVAL, "invitation %d is not an invitation criterion", f->invitation);
	if (f->account < SB_FILTER_ACCOUNT_ANY || f->account > SB_FILTER_NO_ACCOUNT)
		return sb_fail(p, SB_EINVAL, "account %d is not an account criterion", f->account);
	return SB_OK;
}

static int check_shape(sb_practice *p, const sb_filter *f, int kind)
{
	if (f->version != SB_FILTER_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_filter version %u is not %u", f->version, SB_FILTER_VERSION);
	if (f->kind != SB_FILTER_CONVERSATIONS && f->kind != SB_FILTER_CONTACTS)
		return sb_fail(p, SB_EINVAL, "filter kind %d is neither conversations nor contacts", f->kind);
	if (kind && f->kind != kind)
		return sb_fail(p, SB_EINVAL, "a %s filter cannot pick %s", f->kind == SB_FILTER_CONTACTS ? "contact" : "conversation",
		               kind == SB_FILTER_CONTACTS ? "contacts" : "conversations");
	int rc = check_tags(p, f);
	if (rc != SB_OK)
		return rc;
	return f->kind == SB_FILTER_CONVERSATIONS ? check_conversation_shape(p, f) : check_contact_shape(p, f);
}

/* `id` names a row of `table` in this practice. */
static int in_practice(sb_practice *p, const char *table, sb_id id, const char *what)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id = ? AND practice_id = ?", table);
	int rc = sb_db_one_int(p->db, NULL, sql, "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "%s is not in this practice", what);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "checking a filter");
}

static int check_references(sb_practice *p, const sb_filter *f)
{
	int rc = SB_OK;
	if (f->mailbox == SB_MAILBOX_TEAMMATE && f->mailbox_owner)
		rc = in_practice(p, "sb_teammate", f->mailbox_owner, "the mailbox's teammate");
	else if (f->mailbox == SB_MAILBOX_TEAM)
		rc = in_practice(p, "sb_team", f->mailbox_owner, "the mailbox's team");
	if (rc == SB_OK && f->endpoint)
		rc = in_practice(p, "sb_endpoint", f->endpoint, "the endpoint");
	int64_t tag_kind = f->kind == SB_FILTER_CONTACTS ? SB_TAG_CONTACT : SB_TAG_CONVERSATION;
	for (size_t i = 0; rc == SB_OK && i < f->tag_count; i++) {
		rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_tag WHERE id = ? AND practice_id = ? AND kind = ?", "iii",
		                   f->tags[i], p->id, tag_kind);
		if (rc == SB_ENOTFOUND)
			return sb_fail(p, rc, "tags[%zu] is not a %s tag of this practice", i,
			               tag_kind == SB_TAG_CONTACT ? "contact" : "conversation");
		if (rc != SB_OK)
			return sb_fail_store(p, rc, "checking a filter");
	}
	return rc;
}

int sb_filter_check(sb_practice *p, const sb_filter *f, int kind)
{
	if (!f)
		return sb_fail(p, SB_EINVAL, "the filter is required");
	int rc = check_shape(p, f, kind);
	return rc == SB_OK ? check_references(p, f) : rc;
}

/* --- running a filter --- */

/* The arguments every run and list starts with. */
static int check_run(sb_practice *p, const void *out, size_t *out_count, size_t max, sb_id actor, int64_t cursor,
                     const char *cursor_name)
{
	int rc = sb_check_list(p, out, out_count, max, SB_FILTER_PAGE_MAX, cursor, cursor_name);
	return rc == SB_OK ? sb_check_actor(p, actor) : rc;
}

int sb_filter_conversations(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor, const sb_filter *f,
                            int64_t before_at, sb_id before_id, size_t max)
{
	int rc = check_run(p, out, out_count, max, actor, before_id, "before_id");
	if (rc == SB_OK && before_at < 0)
		rc = sb_fail(p, SB_EINVAL, "before_at is negative");
	if (rc == SB_OK)
		rc = sb_filter_check(p, f, SB_FILTER_CONVERSATIONS);
	if (rc == SB_OK && actor == SB_ACTOR_SYSTEM && f->mailbox == SB_MAILBOX_TEAMMATE && !f->mailbox_owner)
		rc = sb_fail(p, SB_EINVAL, "the system has no mailbox: \"whoever runs it\" needs a teammate");
	return rc == SB_OK ? sb_filter_page(out, out_count, p, actor, f, before_at, before_id, max) : rc;
}

int sb_filter_contacts(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, const sb_filter *f, sb_id after_id,
                       size_t max)
{
	sb_query q = {.len = 0};
	sb_stmt *st;
	int rc = check_run(p, out, out_count, max, actor, after_id, "after_id");
	if (rc == SB_OK)
		rc = sb_filter_check(p, f, SB_FILTER_CONTACTS);
	if (rc != SB_OK)
		return rc;
	char tail[64];
	sb_query_add(&q, "SELECT c.id", 0);
	snprintf(tail, sizeof tail, " ORDER BY %s LIMIT ?", sb_filter_contacts_from(&q, p, f, after_id));
	sb_query_add(&q, tail, 1, (int64_t)max);
	rc = sb_query_run(p, &st, &q);
	if (rc == SB_OK)
		rc = sb_db_fill(p->db, st, fill_id, out, out_count);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading contacts");
}

/* --- saved filters --- */

typedef struct saving {
	const sb_filter *f;
	sb_id owner, actor;
	const char *name;
	char key[SB_FILTER_NAME_MAX + 1];
} saving;

static int write_tags(sb_practice *p, sb_id filter, const sb_filter *f)
{
	int rc = sb_db_exec(p->db, "DELETE FROM sb_filter_tag WHERE filter_id = ?", "i", filter);
	for (size_t i = 0; rc == SB_OK && i < f->tag_count; i++)
		rc = sb_db_exec(p->db, "INSERT INTO sb_filter_tag (filter_id, position, tag_id) VALUES (?, ?, ?)", "iii",
		                filter, (int64_t)i, f->tags[i]);
	return rc;
}

static int name_taken(sb_practice *p, int rc)
{
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ECONFLICT, "the owner has a filter of that name") : rc;
}

static int save_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const saving *s = arg;
	const sb_filter *f = s->f;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_filter (practice_id, owner, created_by, name, name_key, kind, mailbox,"
	                       " mailbox_owner, endpoint_id, conversation_kind, unread, status, invitation, account,"
	                       " tag_match, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                       " ON CONFLICT (practice_id, owner, name_key) DO NOTHING RETURNING id",
	                       "iiittiiiiiiiiiiii", p->id, s->owner, s->actor, s->name, s->key, (int64_t)f->kind,
	                       (int64_t)f->mailbox, f->mailbox_owner, f->endpoint, (int64_t)f->conversation_kind,
	                       (int64_t)f->unread, (int64_t)f->status, (int64_t)f->invitation, (int64_t)f->account,
	                       (int64_t)f->tag_match, now, now);
	rc = name_taken(p, rc);
	return rc == SB_OK ? write_tags(p, *id, f) : rc;
}

static int update_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const saving *s = arg;
	const sb_filter *f = s->f;
	int rc = sb_db_one_int(p->db, NULL,
	                       "UPDATE sb_filter SET name = ?, name_key = ?, kind = ?, mailbox = ?, mailbox_owner = ?,"
	                       " endpoint_id = ?, conversation_kind = ?, unread = ?, status = ?, invitation = ?, account = ?,"
	                       " tag_match = ?, updated_at = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sb_filter o"
	                       " WHERE o.practice_id = sb_filter.practice_id AND o.owner = sb_filter.owner"
	                       " AND o.name_key = ? AND o.id <> ?) RETURNING id",
	                       "ttiiiiiiiiiiiiti", s->name, s->key, (int64_t)f->kind, (int64_t)f->mailbox, f->mailbox_owner,
	                       f->endpoint, (int64_t)f->conversation_kind, (int64_t)f->unread, (int64_t)f->status,
	                       (int64_t)f->invitation, (int64_t)f->account, (int64_t)f->tag_match, now, *id, s->key, *id);
	rc = name_taken(p, rc);
	return rc == SB_OK ? write_tags(p, *id, f) : rc;
}

static int delete_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	int rc = sb_db_exec(p->db, "DELETE FROM sb_filter_tag WHERE filter_id = ?", "i", *id);
	return rc == SB_OK ? sb_db_exec(p->db, "DELETE FROM sb_filter WHERE id = ?", "i", *id) : rc;
}

/* Who may read or change a saved filter (T1): its teammate, whoever saved
 * a shared one (to change it; everyone reads it), and admins. */
static int may(sb_practice *p, sb_id actor, sb_id filter, int change)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT owner, created_by FROM sb_filter WHERE id = ? AND practice_id = ?", "ii",
	                   filter, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such filter in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a filter");
	sb_id owner = sb_db_col_int(p->db, st, 0), by = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	if (owner ? owner == actor : (!change || by == actor))
		return SB_OK;
	return sb_access_admin(p, actor, change ? "change another teammate's filters" : "read another teammate's filters");
}

/* A name, a checked filter, and an actor who may save for the owner. */
static int check_save(sb_practice *p, sb_id actor, saving *s, const char *name, const sb_filter *f)
{
	int rc = sb_check_open(p);
	s->f = f;
	s->name = name;
	s->actor = actor;
	if (rc == SB_OK)
		rc = sb_check_name(p, name, SB_FILTER_NAME_MAX, "filter name", s->key);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	return rc == SB_OK ? sb_filter_check(p, f, 0) : rc;
}

int sb_filter_save(sb_id *out_id, sb_practice *p, sb_id actor, sb_id owner, const char *name, const sb_filter *f)
{
	saving s = {.owner = owner};
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK)
		rc = check_save(p, actor, &s, name, f);
	if (rc == SB_OK && owner < 0)
		rc = sb_fail(p, SB_EINVAL, "owner is negative");
	if (rc == SB_OK && owner)
		rc = sb_access_active_teammate(p, owner);
	if (rc == SB_OK && owner && owner != actor)
		rc = sb_access_admin(p, actor, "save filters for another teammate");
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "filter.save", "filter", out_id, save_body, &s, "saving a filter");
	if (rc != SB_OK && out_id)
		*out_id = 0;
	return rc;
}

int sb_filter_update(sb_practice *p, sb_id actor, sb_id filter, const char *name, const sb_filter *f)
{
	saving s = {.owner = 0};
	int rc = check_save(p, actor, &s, name, f);
	if (rc == SB_OK)
		rc = may(p, actor, filter, 1);
	return rc == SB_OK ? sb_transact(p, actor, "filter.update", "filter", &filter, update_body, &s, "changing a filter")
	                   : rc;
}

int sb_filter_delete(sb_practice *p, sb_id actor, sb_id filter)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = may(p, actor, filter, 1);
	return rc == SB_OK ? sb_transact(p, actor, "filter.delete", "filter", &filter, delete_body, NULL, "deleting a filter")
	                   : rc;
}

#define COLUMNS                                                                                                  \
	"SELECT id, owner, created_by, name, created_at, updated_at, kind, mailbox, mailbox_owner, endpoint_id,"     \
	" conversation_kind, unread, status, invitation, account, tag_match FROM sb_filter"

static int fill_saved(sb_practice *p, sb_stmt *st, sb_saved_filter *s)
{
	size_t n;
	memset(s, 0, sizeof *s);
	s->id = sb_db_col_int(p->db, st, 0);
	s->owner = sb_db_col_int(p->db, st, 1);
	s->created_by = sb_db_col_int(p->db, st, 2);
	const char *name = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(s->name, sizeof s->name, name ? name : "", name ? n : 0);
	s->created_at = sb_db_col_int(p->db, st, 4);
	s->updated_at = sb_db_col_int(p->db, st, 5);
	sb_filter *f = &s->filter;
	f->version = SB_FILTER_VERSION;
	f->kind = (int)sb_db_col_int(p->db, st, 6);
	f->mailbox = (int)sb_db_col_int(p->db, st, 7);
	f->mailbox_owner = sb_db_col_int(p->db, st, 8);
	f->endpoint = sb_db_col_int(p->db, st, 9);
	f->conversation_kind = (int)sb_db_col_int(p->db, st, 10);
	f->unread = (int)sb_db_col_int(p->db, st, 11);
	f->status = (int)sb_db_col_int(p->db, st, 12);
	f->invitation = (int)sb_db_col_int(p->db, st, 13);
	f->account = (int)sb_db_col_int(p->db, st, 14);
	f->tag_match = (int)sb_db_col_int(p->db, st, 15);
	return sb_db_ids(p->db, f->tags, &f->tag_count, SB_FILTER_TAGS_MAX,
	                 "SELECT tag_id FROM sb_filter_tag WHERE filter_id = ? ORDER BY position", "i", s->id);
}

int sb_filter_get(sb_saved_filter *out, sb_practice *p, sb_id actor, sb_id filter)
{
	sb_stmt *st;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = may(p, actor, filter, 0);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st, COLUMNS " WHERE id = ?", "i", filter);
	if (rc == SB_OK) {
		rc = fill_saved(p, st, out);
		sb_db_release(p->db, st);
	}
	if (rc != SB_OK)
		memset(out, 0, sizeof *out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a filter");
}

int sb_filter_list(sb_saved_filter *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id teammate,
                   sb_id after_id, size_t max)
{
	sb_stmt *st;
	int rc = check_run(p, out, out_count, max, actor, after_id, "after_id");
	if (rc == SB_OK && teammate < 0)
		rc = sb_fail(p, SB_EINVAL, "teammate is negative");
	if (rc == SB_OK && teammate && teammate != actor)
		rc = sb_access_admin(p, actor, "read another teammate's filters");
	if (rc != SB_OK)
		return rc;
	sb_id whose = teammate ? teammate : actor;
	rc = sb_db_query(p->db, &st, COLUMNS " WHERE practice_id = ? AND owner IN (0, ?) AND id > ? ORDER BY id LIMIT ?",
	                 "iiii", p->id, whose, after_id, (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW)
		rc = fill_saved(p, st, &out[(*out_count)++]);
	sb_db_release(p->db, st);
	if (rc < 0) {
		*out_count = 0;
		return sb_fail_store(p, rc, "listing filters");
	}
	return SB_OK;
}
