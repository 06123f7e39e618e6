/* Teammates and admin rights (T1). Staff data, not PHI. */
#include "access.h"
#include "mailbox_internal.h"

#include <stdio.h>
#include <string.h>

void sb_teammate_spec_init(sb_teammate_spec *spec)
{
	if (!spec)
		return;
	memset(spec, 0, sizeof *spec);
	spec->version = SB_TEAMMATE_SPEC_VERSION;
}

/* A spec, checked, with its numbers as E.164. */
typedef struct checked {
	const sb_teammate_spec *spec;
	char login[SB_PHONE_NUMBER_MAX];
	char ring[SB_RING_NUMBERS_MAX][SB_PHONE_NUMBER_MAX];
	int status;
} checked;

static int check_spec(sb_practice *p, const sb_teammate_spec *s, checked *c)
{
	memset(c, 0, sizeof *c);
	c->spec = s;
	if (!s)
		return sb_fail(p, SB_EINVAL, "spec is required");
	if (s->version != SB_TEAMMATE_SPEC_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_teammate_spec version %u is not %u", s->version, SB_TEAMMATE_SPEC_VERSION);
	int rc = sb_check_text(p, s->name, SB_TEAMMATE_NAME_MAX, "name");
	if (rc == SB_OK && !s->name[0])
		rc = sb_fail(p, SB_EINVAL, "name is empty");
	if (rc == SB_OK && s->login_phone)
		rc = sb_check_nanp(p, s->login_phone, "the login phone", c->login);
	if (rc == SB_OK && (s->ring_count > SB_RING_NUMBERS_MAX || (s->ring_count && !s->ring_numbers)))
		rc = sb_fail(p, SB_EINVAL, "ring_numbers must hold 0..%u numbers", SB_RING_NUMBERS_MAX);
	for (size_t i = 0; rc == SB_OK && i < s->ring_count; i++)
		rc = sb_check_nanp(p, s->ring_numbers[i], "a ring number", c->ring[i]);
	return rc;
}

static int write_ring(sb_practice *p, sb_id id, const checked *c)
{
	int rc = sb_db_exec(p->db, "DELETE FROM sb_teammate_ring WHERE teammate_id = ?", "i", id);
	for (size_t i = 0; rc == SB_OK && i < c->spec->ring_count; i++)
		rc = sb_db_exec(p->db, "INSERT INTO sb_teammate_ring (teammate_id, position, number) VALUES (?, ?, ?)", "iit",
		                id, (int64_t)i, c->ring[i]);
	return rc;
}

static int login_taken(sb_practice *p, int rc)
{
	return rc == SB_ECONFLICT ? sb_fail(p, rc, "another teammate has that login phone") : rc;
}

/* The login phone is unique among current teammates. */
static int check_login_free(sb_practice *p, const checked *c, sb_id self)
{
	if (!c->login[0])
		return SB_OK;
	int rc = sb_db_one_int(p->db, NULL,
	                       "SELECT id FROM sb_teammate WHERE practice_id = ? AND login_phone = ?"
	                       " AND removed_at IS NULL AND id <> ?",
	                       "iti", p->id, c->login, self);
	return rc == SB_OK ? login_taken(p, SB_ECONFLICT) : rc == SB_ENOTFOUND ? SB_OK : rc;
}

static int add_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const checked *c = arg;
	int64_t admins = 0;
	int rc = check_login_free(p, c, 0);
	if (rc == SB_OK) /* the first teammate is an admin (T1) */
		rc = sb_db_one_int(p->db, &admins, "SELECT COUNT(*) FROM sb_teammate WHERE practice_id = ? AND admin = 1"
		                                   " AND removed_at IS NULL",
		                   "i", p->id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, id,
		                   "INSERT INTO sb_teammate (practice_id, name, login_phone, admin, status, created_at)"
		                   " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		                   "ittiii", p->id, c->spec->name, c->login[0] ? c->login : NULL,
		                   (int64_t)(c->spec->admin || admins == 0), (int64_t)c->status, now);
	return rc == SB_OK ? write_ring(p, *id, c) : rc;
}

static int add(sb_id *out_id, sb_practice *p, sb_id actor, const sb_teammate_spec *spec, int status,
               const char *action)
{
	checked c;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK)
		rc = check_spec(p, spec, &c);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "add teammates");
	if (rc != SB_OK)
		return rc;
	c.status = status;
	rc = sb_transact(p, actor, action, "teammate", out_id, add_body, &c, "adding a teammate");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

int sb_teammate_add(sb_id *out_id, sb_practice *p, sb_id actor, const sb_teammate_spec *spec)
{
	return add(out_id, p, actor, spec, SB_TEAMMATE_ACTIVE, "teammate.add");
}

int sb_teammate_invite(sb_id *out_id, sb_practice *p, sb_id actor, const sb_teammate_spec *spec)
{
	return add(out_id, p, actor, spec, SB_TEAMMATE_INVITED, "teammate.invite");
}

/* Run `sql` (binding the id and the practice) on a teammate, which must
 * exist; no row back means `state_error`. */
static int change(sb_practice *p, sb_id id, const char *sql, const char *state_error)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_teammate WHERE id = ? AND practice_id = ?", "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such teammate in this practice");
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL, sql, "ii", id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "%s", state_error) : rc;
}

static int accept_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	return change(p, *id, "UPDATE sb_teammate SET status = 2 WHERE id = ? AND practice_id = ? AND status = 1 RETURNING id",
	              "the teammate is not invited");
}

int sb_teammate_accept(sb_practice *p, sb_id teammate)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (teammate <= 0)
		return sb_fail(p, SB_EINVAL, "teammate id must be positive");
	/* The invitee is not an actor yet: the system runs the change, and the
	 * trail names the object, the teammate who joined. */
	return sb_transact(p, SB_ACTOR_SYSTEM, "teammate.accept", "teammate", &teammate, accept_body, NULL,
	                   "accepting an invitation");
}

/* --- reading --- */

static const char columns[] = "SELECT id, status, admin, name, login_phone, created_at, removed_at FROM sb_teammate";

static int read_ring(sb_practice *p, sb_teammate *t)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_db_query(p->db, &st, "SELECT number FROM sb_teammate_ring WHERE teammate_id = ? ORDER BY position",
	                     "i", t->id);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW && t->ring_count < SB_RING_NUMBERS_MAX) {
		const char *s = sb_db_col_text(p->db, st, 0, &n);
		sb_copy_text(t->ring_numbers[t->ring_count++], SB_PHONE_NUMBER_MAX, s, n);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

static int fill(sb_practice *p, sb_stmt *st, sb_teammate *t)
{
	size_t n;
	memset(t, 0, sizeof *t);
	t->id = sb_db_col_int(p->db, st, 0);
	t->status = (int)sb_db_col_int(p->db, st, 1);
	t->admin = sb_db_col_int(p->db, st, 2) != 0;
	const char *s = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(t->name, sizeof t->name, s, n);
	s = sb_db_col_text(p->db, st, 4, &n);
	sb_copy_text(t->login_phone, sizeof t->login_phone, s, s ? n : 0);
	t->created_at = sb_db_col_int(p->db, st, 5);
	t->removed_at = sb_db_col_int(p->db, st, 6);
	return SB_OK;
}

int sb_teammate_get(sb_teammate *out, sb_practice *p, sb_id actor, sb_id id)
{
	sb_stmt *st;
	char sql[sizeof columns + 64];
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	snprintf(sql, sizeof sql, "%s WHERE id = ? AND practice_id = ?", columns);
	rc = sb_db_row(p->db, &st, sql, "ii", id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such teammate in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a teammate");
	fill(p, st, out);
	sb_db_release(p->db, st);
	rc = read_ring(p, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a teammate");
}

int sb_teammate_list(sb_teammate *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id, size_t max,
                     int include_removed)
{
	sb_stmt *st;
	char sql[sizeof columns + 128];
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_TEAMMATE_LIST_MAX, after_id, "after_id")) != SB_OK ||
	    (rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	snprintf(sql, sizeof sql, "%s WHERE practice_id = ? AND id > ? AND (? <> 0 OR removed_at IS NULL) ORDER BY id LIMIT ?",
	         columns);
	rc = sb_db_query(p->db, &st, sql, "iiii", p->id, after_id, (int64_t)(include_removed != 0), (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW)
		rc = fill(p, st, &out[(*out_count)++]);
	sb_db_release(p->db, st);
	for (size_t i = 0; rc >= 0 && i < *out_count; i++)
		rc = read_ring(p, &out[i]);
	if (rc < 0) {
		*out_count = 0;
		return sb_fail_store(p, rc, "listing teammates");
	}
	return SB_OK;
}

/* --- changes --- */

static int update_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const checked *c = arg;
	(void)now;
	int rc = check_login_free(p, c, *id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL,
		                   "UPDATE sb_teammate SET name = ?, login_phone = ? WHERE id = ? AND practice_id = ?"
		                   " AND removed_at IS NULL RETURNING id",
		                   "ttii", c->spec->name, c->login[0] ? c->login : NULL, *id, p->id);
	if (rc == SB_ENOTFOUND)
		rc = sb_fail(p, SB_ESTATE, "the teammate was removed");
	return rc == SB_OK ? write_ring(p, *id, c) : rc;
}

/* The teammate themself, an admin, or the system. */
static int check_self_or_admin(sb_practice *p, sb_id actor, sb_id id, const char *what)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK && actor != id)
		rc = sb_access_admin(p, actor, what);
	return rc;
}

static int exists(sb_practice *p, sb_id id)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_teammate WHERE id = ? AND practice_id = ?", "ii", id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such teammate in this practice") : rc;
}

int sb_teammate_update(sb_practice *p, sb_id actor, sb_id id, const sb_teammate_spec *spec)
{
	checked c;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_spec(p, spec, &c);
	if (rc == SB_OK)
		rc = check_self_or_admin(p, actor, id, "change other teammates");
	if (rc == SB_OK)
		rc = exists(p, id);
	if (rc != SB_OK)
		return rc;
	return sb_transact(p, actor, "teammate.update", "teammate", &id, update_body, &c, "updating a teammate");
}

/* T1: some active admin other than `id` remains. The practice row is
 * locked first (design.md, "Writes that race"): two admins demoting each
 * other at once on PostgreSQL would otherwise each see the other still
 * admin, and both go (found by tests/test_concurrency.c). */
static int another_admin(sb_practice *p, sb_id id)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_practice WHERE id = ?{for_update}", "i", p->id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL,
		                   "SELECT id FROM sb_teammate WHERE practice_id = ? AND admin = 1 AND status = 2 AND id <> ?"
		                   " LIMIT 1",
		                   "ii", p->id, id);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "the practice's last admin must stay an admin") : rc;
}

static int admin_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	int admin = *(const int *)arg;
	(void)now;
	int rc = admin ? SB_OK : another_admin(p, *id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL,
		                   "UPDATE sb_teammate SET admin = ? WHERE id = ? AND practice_id = ? AND status = 2 RETURNING id",
		                   "iii", (int64_t)admin, *id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ESTATE, "only active teammates can be admins") : rc;
}

int sb_teammate_set_admin(sb_practice *p, sb_id actor, sb_id id, int admin)
{
	int on = admin != 0;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "promote and demote admins");
	if (rc == SB_OK)
		rc = exists(p, id);
	if (rc != SB_OK)
		return rc;
	return sb_transact(p, actor, "teammate.admin", "teammate", &id, admin_body, &on, "changing admin rights");
}

static int remove_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	sb_id actor = *(const sb_id *)arg;
	int rc = another_admin(p, *id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL,
		                   "UPDATE sb_teammate SET status = 3, admin = 0, removed_at = ? WHERE id = ? AND practice_id = ?"
		                   " AND status <> 3 RETURNING id",
		                   "iii", now, *id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, "the teammate was removed already");
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_team_member WHERE teammate_id = ?", "i", *id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_endpoint_member WHERE teammate_id = ?", "i", *id);
	if (rc == SB_OK) /* they sign in no more (signin.h) */
		rc = sb_db_exec(p->db, "DELETE FROM sb_teammate_password WHERE teammate_id = ?", "i", *id);
	if (rc == SB_OK) /* no owner left to auto-assign to (T5) */
		rc = sb_db_exec(p->db,
		                "UPDATE sb_endpoint SET owner_kind = 0, owner_id = 0, auto_assign = 0"
		                " WHERE practice_id = ? AND owner_kind = 1 AND owner_id = ?",
		                "ii", p->id, *id);
	return rc == SB_OK ? sb_mailbox_empty(p, SB_MAILBOX_TEAMMATE, *id, actor, now) : rc;
}

int sb_teammate_remove(sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "remove teammates");
	if (rc == SB_OK)
		rc = exists(p, id);
	if (rc != SB_OK)
		return rc;
	return sb_transact(p, actor, "teammate.remove", "teammate", &id, remove_body, &actor, "removing a teammate");
}
