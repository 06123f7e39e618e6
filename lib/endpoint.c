/* Endpoints: business numbers now, secure links later. Not PHI. */
#include "access.h"

#include <string.h>

#define COLUMNS                                                                                    \
	"id, kind, address, label, owner_kind, owner_id, auto_assign, ring_mode, ring_timeout_ms," \
	" created_at, retired_at"

int sb_check_label(sb_practice *p, const char *label)
{
	int rc = sb_check_text(p, label, SB_LABEL_MAX, "label");
	if (rc == SB_OK && !label[0])
		rc = sb_fail(p, SB_EINVAL, "label is empty");
	return rc;
}

/* A number a practice can hold at a carrier, as E.164. */
static int business_number(sb_practice *p, const char *typed, sb_phone *out)
{
	if (!typed)
		return sb_fail(p, SB_EINVAL, "number is missing");
	if (sb_phone_parse(out, typed) != SB_OK)
		return sb_fail(p, SB_EPHONE, "not a phone number: %s", sb_phone_problem_text(out->problem));
	if (out->kind == SB_PHONE_INTERNATIONAL)
		return sb_fail(p, SB_EPHONE, "business numbers are NANP (US and Canada) numbers");
	if (out->kind != SB_PHONE_GEOGRAPHIC && out->kind != SB_PHONE_TOLL_FREE && out->kind != SB_PHONE_FICTIONAL)
		return sb_fail(p, SB_EPHONE, "a %s number cannot be a business number", sb_phone_kind_name(out->kind));
	return SB_OK;
}

int sb_business_number_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *number, const char *label)
{
	sb_phone ph;
	int64_t now;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_actor(p, actor)) != SB_OK || (rc = business_number(p, number, &ph)) != SB_OK ||
	    (rc = sb_check_label(p, label)) != SB_OK ||
	    (rc = sb_access_admin(p, actor, "add business numbers")) != SB_OK || (rc = sb_now(p, &now)) != SB_OK)
		return rc;
	if ((rc = sb_db_begin(p->db)) != SB_OK)
		return sb_fail_store(p, rc, "adding a business number");
	rc = sb_db_one_int(p->db, out_id,
	                   "INSERT INTO sb_endpoint (practice_id, kind, address, label, created_at)"
	                   " VALUES (?, ?, ?, ?, ?)"
	                   " ON CONFLICT (practice_id, kind, address) WHERE retired_at IS NULL DO NOTHING"
	                   " RETURNING id",
	                   "iitti", p->id, (int64_t)SB_ENDPOINT_BUSINESS_NUMBER, ph.number, label, now);
	if (rc == SB_ENOTFOUND)
		rc = sb_fail(p, SB_ECONFLICT, "the practice already has this business number");
	if (rc == SB_OK)
		rc = sb_audit_append(p, actor, "endpoint.create", "endpoint", *out_id);
	rc = sb_db_end(p->db, rc);
	if (rc != SB_OK)
		*out_id = 0;
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "adding a business number");
}

int sb_business_number_find(sb_id *out_id, sb_practice *p, sb_id actor, const char *number)
{
	sb_phone ph;
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	if (!number)
		return sb_fail(p, SB_EINVAL, "number is missing");
	if (sb_phone_parse(&ph, number) != SB_OK)
		return sb_fail(p, SB_EPHONE, "not a phone number: %s", sb_phone_problem_text(ph.problem));
	rc = sb_db_one_int(p->db, out_id,
	                   "SELECT id FROM sb_endpoint WHERE practice_id = ? AND kind = ? AND address = ?"
	                   " AND retired_at IS NULL",
	                   "iit", p->id, (int64_t)SB_ENDPOINT_BUSINESS_NUMBER, ph.number);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no active business number is that number");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "finding a business number");
}

static void fill(sb_practice *p, sb_stmt *st, sb_endpoint *e)
{
	size_t n;
	const char *t;
	memset(e, 0, sizeof *e);
	e->id = sb_db_col_int(p->db, st, 0);
	e->kind = (int)sb_db_col_int(p->db, st, 1);
	t = sb_db_col_text(p->db, st, 2, &n);
	sb_copy_text(e->address, sizeof e->address, t, n);
	t = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(e->label, sizeof e->label, t, n);
	e->owner_kind = (int)sb_db_col_int(p->db, st, 4);
	e->owner_id = sb_db_col_int(p->db, st, 5);
	e->auto_assign = (int)sb_db_col_int(p->db, st, 6);
	e->ring_mode = (int)sb_db_col_int(p->db, st, 7);
	e->ring_timeout_ms = sb_db_col_int(p->db, st, 8);
	e->created_at = sb_db_col_int(p->db, st, 9);
	e->retired_at = sb_db_col_int(p->db, st, 10);
}

/* Load endpoint `id` of this practice into *e (e may be NULL to test existence). */
static int load(sb_practice *p, sb_id id, sb_endpoint *e)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT " COLUMNS " FROM sb_endpoint WHERE id = ? AND practice_id = ?", "ii",
	                   id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such endpoint in this practice");
	if (rc != SB_OK)
		return rc;
	if (e)
		fill(p, st, e);
	sb_db_release(p->db, st);
	return SB_OK;
}

int sb_endpoint_get(sb_endpoint *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_check_actor(p, actor)) != SB_OK)
		return rc;
	rc = load(p, id, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading an endpoint");
}

static int check_list_args(sb_practice *p, sb_endpoint *out, size_t *out_count, int kind, sb_id after, size_t max)
{
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if (kind != SB_ENDPOINT_BUSINESS_NUMBER && kind != SB_ENDPOINT_SECURE_LINK)
		return sb_fail(p, SB_EINVAL, "unknown endpoint kind %d", kind);
	return sb_check_page(p, max, SB_ENDPOINT_LIST_MAX, after, "after_id");
}

int sb_endpoint_list(sb_endpoint *out, size_t *out_count, sb_practice *p, sb_id actor, int kind, sb_id after_id,
                     size_t max, int include_retired)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_list_args(p, out, out_count, kind, after_id, max);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	sb_stmt *st;
	rc = sb_db_query(p->db, &st,
	                 "SELECT " COLUMNS " FROM sb_endpoint WHERE practice_id = ? AND kind = ? AND id > ?"
	                 " AND (retired_at IS NULL OR ? <> 0) ORDER BY id LIMIT ?",
	                 "iiiii", p->id, (int64_t)kind, after_id, (int64_t)(include_retired != 0), (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		fill(p, st, &out[(*out_count)++]);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	if (rc < 0) {
		*out_count = 0;
		return sb_fail_store(p, rc, "listing endpoints");
	}
	return SB_OK;
}

/* --- changes (T6) --- */

/* Who may: admins only, or admins and the endpoint's owner. */
static int may_change(sb_practice *p, sb_id actor, sb_id id, int admins_only)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = admins_only ? sb_access_admin(p, actor, "retire endpoints") : sb_access_endpoint_owner(p, actor, id);
	return rc;
}

/* The endpoint exists here and is active; *e (may be NULL) receives it. */
static int load_active(sb_practice *p, sb_id id, sb_endpoint *e)
{
	sb_endpoint local;
	int rc = load(p, id, e ? e : &local);
	if (rc == SB_OK && (e ? e : &local)->retired_at)
		rc = sb_fail(p, SB_ESTATE, "the endpoint is retired");
	return rc;
}

static int label_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	int rc = load_active(p, *id, NULL);
	return rc == SB_OK ? sb_db_exec(p->db, "UPDATE sb_endpoint SET label = ? WHERE id = ?", "ti", (const char *)arg, *id)
	                   : rc;
}

int sb_endpoint_set_label(sb_practice *p, sb_id actor, sb_id id, const char *label)
{
	int rc = may_change(p, actor, id, 0);
	if (rc == SB_OK)
		rc = sb_check_label(p, label);
	return rc == SB_OK ? sb_transact(p, actor, "endpoint.update", "endpoint", &id, label_body, label,
	                                 "renaming an endpoint")
	                   : rc;
}

static int retire_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	int rc = load_active(p, *id, NULL);
	return rc == SB_OK ? sb_db_exec(p->db, "UPDATE sb_endpoint SET retired_at = ? WHERE id = ?", "ii", now, *id) : rc;
}

int sb_endpoint_retire(sb_practice *p, sb_id actor, sb_id id)
{
	int rc = may_change(p, actor, id, 1);
	return rc == SB_OK ? sb_transact(p, actor, "endpoint.retire", "endpoint", &id, retire_body, NULL,
	                                 "retiring an endpoint")
	                   : rc;
}

typedef struct owner {
	int kind;
	sb_id id;
} owner;

static int check_owner(sb_practice *p, const owner *o)
{
	if (o->kind == SB_OWNER_PRACTICE)
		return o->id == 0 ? SB_OK : sb_fail(p, SB_EINVAL, "the practice as owner takes owner_id 0");
	if (o->id <= 0)
		return sb_fail(p, SB_EINVAL, "owner_id must be positive");
	if (o->kind == SB_OWNER_TEAMMATE)
		return sb_access_active_teammate(p, o->id);
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_team WHERE id = ? AND practice_id = ?", "ii", o->id, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such team in this practice") : rc;
}

static int owner_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const owner *o = arg;
	(void)now;
	int rc = load_active(p, *id, NULL);
	if (rc == SB_OK)
		rc = check_owner(p, o);
	if (rc == SB_OK) /* the practice cannot auto-assign (T5) */
		rc = sb_db_exec(p->db,
		                "UPDATE sb_endpoint SET owner_kind = ?, owner_id = ?,"
		                " auto_assign = CASE WHEN ? = 0 THEN 0 ELSE auto_assign END WHERE id = ?",
		                "iiii", (int64_t)o->kind, o->id, (int64_t)o->kind, *id);
	return rc;
}

int sb_endpoint_set_owner(sb_practice *p, sb_id actor, sb_id id, int owner_kind, sb_id owner_id)
{
	owner o = {owner_kind, owner_id};
	int rc = may_change(p, actor, id, 0);
	if (rc == SB_OK && owner_kind != SB_OWNER_PRACTICE && owner_kind != SB_OWNER_TEAMMATE && owner_kind != SB_OWNER_TEAM)
		rc = sb_fail(p, SB_EINVAL, "unknown owner kind %d", owner_kind);
	return rc == SB_OK ? sb_transact(p, actor, "endpoint.owner", "endpoint", &id, owner_body, &o,
	                                 "changing an endpoint's owner")
	                   : rc;
}

static int auto_assign_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	int on = *(const int *)arg;
	sb_endpoint e;
	(void)now;
	int rc = load_active(p, *id, &e);
	if (rc == SB_OK && on && e.owner_kind == SB_OWNER_PRACTICE)
		rc = sb_fail(p, SB_ESTATE, "an endpoint owned by the practice cannot auto-assign: give it an owner first");
	return rc == SB_OK ? sb_db_exec(p->db, "UPDATE sb_endpoint SET auto_assign = ? WHERE id = ?", "ii", (int64_t)on, *id)
	                   : rc;
}

int sb_endpoint_set_auto_assign(sb_practice *p, sb_id actor, sb_id id, int on)
{
	int flag = on != 0;
	int rc = may_change(p, actor, id, 0);
	return rc == SB_OK ? sb_transact(p, actor, "endpoint.auto_assign", "endpoint", &id, auto_assign_body, &flag,
	                                 "changing auto-assignment")
	                   : rc;
}

static int member_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)now;
	int rc = load_active(p, *id, NULL);
	return rc == SB_OK ? sb_access_membership(p, arg, *id) : rc;
}

static int change_member(sb_practice *p, sb_id actor, sb_id id, sb_id teammate, int add)
{
	sb_membership m = {"sb_endpoint_member", "endpoint_id", "endpoint", teammate, add};
	int rc = may_change(p, actor, id, 0);
	if (rc == SB_OK && teammate <= 0)
		rc = sb_fail(p, SB_EINVAL, "teammate id must be positive");
	return rc == SB_OK ? sb_transact(p, actor, add ? "endpoint.member.add" : "endpoint.member.remove", "endpoint",
	                                 &id, member_body, &m, "changing an endpoint's members")
	                   : rc;
}

int sb_endpoint_member_add(sb_practice *p, sb_id actor, sb_id id, sb_id teammate)
{
	return change_member(p, actor, id, teammate, 1);
}

int sb_endpoint_member_remove(sb_practice *p, sb_id actor, sb_id id, sb_id teammate)
{
	return change_member(p, actor, id, teammate, 0);
}

int sb_endpoint_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id id, sb_id after_id,
                        size_t max)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	if ((rc = sb_check_page(p, max, SB_MEMBER_LIST_MAX, after_id, "after_id")) != SB_OK ||
	    (rc = sb_check_actor(p, actor)) != SB_OK || (rc = load(p, id, NULL)) != SB_OK)
		return rc;
	rc = sb_db_ids(p->db, out, out_count, max,
	               "SELECT teammate_id FROM sb_endpoint_member WHERE endpoint_id = ? AND teammate_id > ?"
	               " ORDER BY teammate_id LIMIT ?",
	               "iii", id, after_id, (int64_t)max);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing an endpoint's members");
}

int sb_endpoint_sees(int *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = load(p, id, NULL);
	if (rc == SB_OK)
		rc = sb_access_sees_endpoint(p, actor, id, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "checking an endpoint's visibility");
}
