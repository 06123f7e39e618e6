/* Teams (T2): named sets of teammates. Staff data, not PHI. */
#include "access.h"
#include "mailbox_internal.h"

#include <string.h>

typedef struct naming {
	const char *name;
	char key[SB_TEAM_NAME_MAX + 1];
} naming;

static int name_taken(sb_practice *p, int rc)
{
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ECONFLICT, "the practice has a team of that name") : rc;
}

int sb_team_live(sb_practice *p, sb_id team)
{
	int64_t deleted = 0;
	int rc = sb_db_one_int(p->db, &deleted, "SELECT COALESCE(deleted_at, 0) FROM sb_team WHERE id = ? AND practice_id = ?",
	                       "ii", team, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such team in this practice");
	return rc == SB_OK && deleted ? sb_fail(p, SB_ESTATE, "the team was deleted") : rc;
}

static int create_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const naming *n = arg;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_team (practice_id, name, name_key, created_at) VALUES (?, ?, ?, ?)"
	                       " ON CONFLICT (practice_id, name_key) WHERE deleted_at IS NULL DO NOTHING RETURNING id",
	                       "itti", p->id, n->name, n->key, now);
	return name_taken(p, rc);
}

/* Admins only, on an open handle, with a checked name when there is one. */
static int admin_change(sb_practice *p, sb_id actor, naming *n, const char *name)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && n) {
		n->name = name;
		rc = sb_check_name(p, name, SB_TEAM_NAME_MAX, "team name", n->key);
	}
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	return rc == SB_OK ? sb_access_admin(p, actor, "change teams") : rc;
}

int sb_team_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *name)
{
	naming n;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK)
		rc = admin_change(p, actor, &n, name);
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "team.create", "team", out_id, create_body, &n, "creating a team");
	if (rc != SB_OK && out_id)
		*out_id = 0;
	return rc;
}

static int rename_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const naming *n = arg;
	(void)now;
	int rc = sb_team_live(p, *id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL,
		                   "UPDATE sb_team SET name = ?, name_key = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sb_team o"
		                   " WHERE o.practice_id = ? AND o.name_key = ? AND o.deleted_at IS NULL AND o.id <> ?) RETURNING id",
		                   "ttiiti", n->name, n->key, *id, p->id, n->key, *id);
	return name_taken(p, rc);
}

int sb_team_rename(sb_practice *p, sb_id actor, sb_id team, const char *name)
{
	naming n;
	int rc = admin_change(p, actor, &n, name);
	return rc == SB_OK ? sb_transact(p, actor, "team.rename", "team", &team, rename_body, &n, "renaming a team") : rc;
}

static int delete_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	sb_id actor = *(const sb_id *)arg;
	int rc = sb_team_live(p, *id);
	if (rc == SB_OK) {
		rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_endpoint WHERE practice_id = ? AND owner_kind = 2"
		                                " AND owner_id = ? AND retired_at IS NULL LIMIT 1",
		                   "ii", p->id, *id);
		if (rc == SB_OK)
			return sb_fail(p, SB_ESTATE, "the team owns an endpoint: give it another owner first");
		rc = rc == SB_ENOTFOUND ? SB_OK : rc;
	}
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_team SET deleted_at = ? WHERE id = ?", "ii", now, *id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "DELETE FROM sb_team_member WHERE team_id = ?", "i", *id);
	return rc == SB_OK ? sb_mailbox_empty(p, SB_MAILBOX_TEAM, *id, actor, now) : rc;
}

int sb_team_delete(sb_practice *p, sb_id actor, sb_id team)
{
	int rc = admin_change(p, actor, NULL, NULL);
	return rc == SB_OK ? sb_transact(p, actor, "team.delete", "team", &team, delete_body, &actor, "deleting a team")
	                   : rc;
}

static int member_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	int rc = sb_team_live(p, *id);
	return rc == SB_OK ? sb_access_membership(p, arg, *id) : rc;
}

static int change_member(sb_practice *p, sb_id actor, sb_id team, sb_id teammate, int add)
{
	sb_membership m = {"sb_team_member", "team_id", "team", teammate, add};
	int rc = admin_change(p, actor, NULL, NULL);
	if (rc == SB_OK && teammate <= 0)
		rc = sb_fail(p, SB_EINVAL, "teammate id must be positive");
	return rc == SB_OK ? sb_transact(p, actor, add ? "team.member.add" : "team.member.remove", "team", &team,
	                                 member_body, &m, "changing a team's members")
	                   : rc;
}

int sb_team_member_add(sb_practice *p, sb_id actor, sb_id team, sb_id teammate)
{
	return change_member(p, actor, team, teammate, 1);
}

int sb_team_member_remove(sb_practice *p, sb_id actor, sb_id team, sb_id teammate)
{
	return change_member(p, actor, team, teammate, 0);
}

/* --- reading --- */

#define COLUMNS                                                                                              \
	"SELECT t.id, t.name, (SELECT COUNT(*) FROM sb_team_member m WHERE m.team_id = t.id), t.created_at," \
	" COALESCE(t.deleted_at, 0) FROM sb_team t"

static void fill(sb_practice *p, sb_stmt *st, sb_team *t)
{
	size_t n;
	memset(t, 0, sizeof *t);
	t->id = sb_db_col_int(p->db, st, 0);
	const char *s = sb_db_col_text(p->db, st, 1, &n);
	sb_copy_text(t->name, sizeof t->name, s, n);
	t->member_count = (size_t)sb_db_col_int(p->db, st, 2);
	t->created_at = sb_db_col_int(p->db, st, 3);
	t->deleted_at = sb_db_col_int(p->db, st, 4);
}

int sb_team_get(sb_team *out, sb_practice *p, sb_id actor, sb_id team)
{
	sb_stmt *st;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st, COLUMNS " WHERE t.id = ? AND t.practice_id = ?", "ii", team, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such team in this practice");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading a team");
	fill(p, st, out);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* The arguments of a page: out and out_count, max, after and the actor. */
static int check_page(sb_practice *p, const void *out, size_t *out_count, size_t max, unsigned limit, sb_id after,
                      sb_id actor)
{
	int rc = sb_check_list(p, out, out_count, max, limit, after, "after_id");
	return rc == SB_OK ? sb_check_actor(p, actor) : rc;
}

int sb_team_list(sb_team *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id, size_t max)
{
	sb_stmt *st;
	int rc = check_page(p, out, out_count, max, SB_TEAM_LIST_MAX, after_id, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_query(p->db, &st,
	                 COLUMNS " WHERE t.practice_id = ? AND t.deleted_at IS NULL AND t.id > ? ORDER BY t.id LIMIT ?",
	                 "iii", p->id, after_id, (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		fill(p, st, &out[(*out_count)++]);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	if (rc < 0) {
		*out_count = 0;
		return sb_fail_store(p, rc, "listing teams");
	}
	return SB_OK;
}

/* A page of ids linked to one team or teammate: `owner_sql` says it exists,
 * `list_sql` (binding it, the cursor and max) lists the ids. */
typedef struct id_list {
	const char *owner_sql, *missing, *list_sql, *what;
} id_list;

static int list_ids(sb_practice *p, const id_list *l, sb_id *out, size_t *out_count, sb_id actor, sb_id of,
                    sb_id after_id, size_t max)
{
	int rc = check_page(p, out, out_count, max, SB_TEAM_MEMBERS_MAX, after_id, actor);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, NULL, l->owner_sql, "ii", of, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "%s", l->missing);
	if (rc == SB_OK)
		rc = sb_db_ids(p->db, out, out_count, max, l->list_sql, "iii", of, after_id, (int64_t)max);
	return rc == SB_OK || rc == SB_EDENIED || rc == SB_EINVAL ? rc : sb_fail_store(p, rc, l->what);
}

int sb_team_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id team, sb_id after_id,
                    size_t max)
{
	static const id_list l = {"SELECT id FROM sb_team WHERE id = ? AND practice_id = ?", "no such team in this practice",
	                          "SELECT teammate_id FROM sb_team_member WHERE team_id = ? AND teammate_id > ?"
	                          " ORDER BY teammate_id LIMIT ?",
	                          "listing a team's members"};
	return list_ids(p, &l, out, out_count, actor, team, after_id, max);
}

int sb_teammate_teams(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id teammate, sb_id after_id,
                      size_t max)
{
	static const id_list l = {"SELECT id FROM sb_teammate WHERE id = ? AND practice_id = ?",
	                          "no such teammate in this practice",
	                          "SELECT team_id FROM sb_team_member WHERE teammate_id = ? AND team_id > ?"
	                          " ORDER BY team_id LIMIT ?",
	                          "listing a teammate's teams"};
	return list_ids(p, &l, out, out_count, actor, teammate, after_id, max);
}
