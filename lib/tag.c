/* Tags (T7): contact and conversation tags, and the tags endpoints apply. */
#include "access.h"
#include "routing.h"

#include <stdio.h>
#include <string.h>

/* What a target's object is, so who may touch its tags. */
enum object { CONTACT, CONVERSATION, ENDPOINT };

/* Where each target's tags live: the link table, its object column, the
 * tag kind, and the object. */
typedef struct place {
	const char *link, *column, *object_kind;
	int kind;
	enum object object;
} place;

static const place targets[] = {
	{"sb_contact_tag", "contact_id", "contact", SB_TAG_CONTACT, CONTACT},
	{"sb_conversation_tag", "conversation_id", "conversation", SB_TAG_CONVERSATION, CONVERSATION},
	{"sb_endpoint_tag", "endpoint_id", "endpoint", SB_TAG_CONTACT, ENDPOINT},
	{"sb_endpoint_tag", "endpoint_id", "endpoint", SB_TAG_CONVERSATION, ENDPOINT},
};

static int find_target(sb_practice *p, int which, const place **out)
{
	if (which < SB_TAGS_OF_CONTACT || which > SB_TAGS_OF_ENDPOINT_CONVERSATIONS)
		return sb_fail(p, SB_EINVAL, "unknown tag target %d", which);
	*out = &targets[which - 1];
	return SB_OK;
}

static int exists(sb_practice *p, const char *sql, sb_id id, const char *missing)
{
	int rc = sb_db_one_int(p->db, NULL, sql, "ii", id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "%s", missing) : rc;
}

/* The actor may read (change 0) or change the object's tags (tag.h). */
static int may(sb_practice *p, sb_id actor, const place *t, sb_id object, int change)
{
	int rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	switch (t->object) {
	case CONTACT:
		return exists(p, "SELECT id FROM sb_contact WHERE id = ? AND practice_id = ?", object,
		              "no such contact in this practice");
	case CONVERSATION:
		return sb_access_conversation(p, actor, object);
	case ENDPOINT:
		break;
	}
	int64_t retired = 0;
	rc = sb_db_one_int(p->db, &retired, "SELECT COALESCE(retired_at, 0) FROM sb_endpoint WHERE id = ? AND practice_id = ?",
	                   "ii", object, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such endpoint in this practice");
	if (rc != SB_OK || !change)
		return rc;
	if ((rc = sb_access_endpoint_owner(p, actor, object)) != SB_OK)
		return rc;
	return retired ? sb_fail(p, SB_ESTATE, "the endpoint is retired") : SB_OK;
}

typedef struct change {
	const place *t;
	const char *name;
	char key[SB_TAG_NAME_MAX + 1];
} change;

/* The tag's id, created when new. */
static int tag_id(sb_practice *p, const change *c, int64_t now, sb_id *out)
{
	return sb_db_one_int(p->db, out,
	                     "INSERT INTO sb_tag (practice_id, kind, name, name_key, created_at) VALUES (?, ?, ?, ?, ?)"
	                     " ON CONFLICT (practice_id, kind, name_key) DO UPDATE SET name_key = excluded.name_key"
	                     " RETURNING id",
	                     "iitti", p->id, (int64_t)c->t->kind, c->name, c->key, now);
}

static int add_body(sb_practice *p, sb_id *object, const void *arg, int64_t now)
{
	const change *c = arg;
	char sql[256];
	sb_id tag;
	int64_t count = 0;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s l JOIN sb_tag t ON t.id = l.tag_id WHERE l.%s = ? AND t.kind = ?",
	         c->t->link, c->t->column);
	int rc = sb_db_one_int(p->db, &count, sql, "ii", *object, (int64_t)c->t->kind);
	if (rc == SB_OK && count >= (int64_t)SB_TAGS_PER_OBJECT_MAX)
		return sb_fail(p, SB_ETOOBIG, "the %s has %u tags already", c->t->object_kind, SB_TAGS_PER_OBJECT_MAX);
	if (rc == SB_OK)
		rc = tag_id(p, c, now, &tag);
	if (rc != SB_OK)
		return rc;
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING tag_id",
	         c->t->link, c->t->column);
	rc = sb_db_one_int(p->db, NULL, sql, "ii", *object, tag);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ECONFLICT, "the %s has that tag already", c->t->object_kind) : rc;
}

static int remove_body(sb_practice *p, sb_id *object, const void *arg, int64_t now)
{
	const change *c = arg;
	char sql[256];
	(void)now;
	snprintf(sql, sizeof sql,
	         "DELETE FROM %s WHERE %s = ? AND tag_id = (SELECT id FROM sb_tag WHERE practice_id = ? AND kind = ?"
	         " AND name_key = ?) RETURNING tag_id",
	         c->t->link, c->t->column);
	int rc = sb_db_one_int(p->db, NULL, sql, "iiit", *object, p->id, (int64_t)c->t->kind, c->key);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "the %s does not carry that tag", c->t->object_kind) : rc;
}

static int edit(sb_practice *p, sb_id actor, int which, sb_id object, const char *name, int add)
{
	change c = {.name = name};
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = find_target(p, which, &c.t);
	if (rc == SB_OK)
		rc = sb_check_name(p, name, SB_TAG_NAME_MAX, "tag", c.key);
	if (rc == SB_OK)
		rc = may(p, actor, c.t, object, 1);
	if (rc != SB_OK)
		return rc;
	return sb_transact(p, actor, add ? "tag.add" : "tag.remove", c.t->object_kind, &object,
	                   add ? add_body : remove_body, &c, add ? "adding a tag" : "removing a tag");
}

int sb_tag_add(sb_practice *p, sb_id actor, int target, sb_id object, const char *name)
{
	return edit(p, actor, target, object, name, 1);
}

int sb_tag_remove(sb_practice *p, sb_id actor, int target, sb_id object, const char *name)
{
	return edit(p, actor, target, object, name, 0);
}

/* --- reading --- */

static int read_tags(sb_practice *p, sb_stmt *st, sb_tag *out, size_t *out_count, size_t max)
{
	size_t n;
	int rc = SB_OK;
	while (*out_count < max && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_tag *t = &out[(*out_count)++];
		memset(t, 0, sizeof *t);
		t->id = sb_db_col_int(p->db, st, 0);
		t->kind = (int)sb_db_col_int(p->db, st, 1);
		const char *s = sb_db_col_text(p->db, st, 2, &n);
		sb_copy_text(t->name, sizeof t->name, s, n);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	if (rc < 0)
		*out_count = 0;
	return rc < 0 ? rc : SB_OK;
}

typedef struct reading {
	const place *t;
	sb_tag *out;
	size_t *count;
} reading;

static int read_body(sb_practice *p, sb_id *object, const void *arg, int64_t now)
{
	const reading *r = arg;
	char sql[256];
	sb_stmt *st;
	(void)now;
	snprintf(sql, sizeof sql,
	         "SELECT t.id, t.kind, t.name FROM %s l JOIN sb_tag t ON t.id = l.tag_id WHERE l.%s = ? AND t.kind = ?"
	         " ORDER BY t.name_key LIMIT ?",
	         r->t->link, r->t->column);
	int rc = sb_db_query(p->db, &st, sql, "iii", *object, (int64_t)r->t->kind, (int64_t)SB_TAGS_PER_OBJECT_MAX);
	return rc == SB_OK ? read_tags(p, st, r->out, r->count, SB_TAGS_PER_OBJECT_MAX) : rc;
}

int sb_tags_of(sb_tag *out, size_t *out_count, sb_practice *p, sb_id actor, int target, sb_id object)
{
	reading r = {NULL, out, out_count};
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = find_target(p, target, &r.t)) != SB_OK || (rc = may(p, actor, r.t, object, 0)) != SB_OK)
		return rc;
	if (r.t->object == ENDPOINT) { /* an endpoint's settings: not about a patient, not audited */
		rc = read_body(p, &object, &r, 0);
		return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading tags");
	}
	rc = sb_transact(p, actor, "tag.read", r.t->object_kind, &object, read_body, &r, "reading tags");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

int sb_tag_list(sb_tag *out, size_t *out_count, sb_practice *p, sb_id actor, int kind, sb_id after_id, size_t max)
{
	sb_stmt *st;
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if (kind != SB_TAG_CONTACT && kind != SB_TAG_CONVERSATION)
		return sb_fail(p, SB_EINVAL, "unknown tag kind %d", kind);
	if ((rc = sb_check_page(p, max, SB_TAG_LIST_MAX, after_id, "after_id")) != SB_OK ||
	    (rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	rc = sb_db_query(p->db, &st,
	                 "SELECT id, kind, name FROM sb_tag WHERE practice_id = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?",
	                 "iiii", p->id, (int64_t)kind, after_id, (int64_t)max);
	if (rc == SB_OK)
		rc = read_tags(p, st, out, out_count, max);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing tags");
}

int sb_tag_apply(sb_practice *p, sb_id endpoint, int kind, sb_id object)
{
	const place *t = &targets[kind == SB_TAG_CONTACT ? 0 : 1];
	char sql[320];
	snprintf(sql, sizeof sql,
	         "INSERT INTO %s (%s, tag_id) SELECT ?, et.tag_id FROM sb_endpoint_tag et JOIN sb_tag t"
	         " ON t.id = et.tag_id WHERE et.endpoint_id = ? AND t.kind = ? ON CONFLICT DO NOTHING",
	         t->link, t->column);
	return sb_db_exec(p->db, sql, "iii", object, endpoint, (int64_t)kind);
}
