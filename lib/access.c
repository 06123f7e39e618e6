/* Who may do what (T1, T6, T8). Every refusal is audited as access.denied. */
#include "access.h"

#include <stdio.h>

/* Refuse: audit the attempt (in the caller's transaction, or its own), then
 * fail with SB_EDENIED saying why. */
int sb_access_deny(sb_practice *p, sb_id actor, const char *kind, sb_id object, const char *why)
{
	int rc = sb_audit_append(p, actor, "access.denied", kind, object);
	return rc == SB_OK ? sb_fail(p, SB_EDENIED, "%s", why) : rc;
}

sb_id sb_patient_actor(sb_id account)
{
	return account > 0 && account < SB_PATIENT_ACTOR_BIT ? account | SB_PATIENT_ACTOR_BIT : 0;
}

sb_id sb_actor_account(sb_id actor)
{
	return actor > 0 && (actor & SB_PATIENT_ACTOR_BIT) ? actor & ~SB_PATIENT_ACTOR_BIT : 0;
}

int sb_check_actor(sb_practice *p, sb_id actor)
{
	if (actor < 0)
		return sb_fail(p, SB_EINVAL, "actor id is negative");
	if (actor == SB_ACTOR_SYSTEM)
		return SB_OK;
	if (sb_actor_account(actor)) /* a patient: only the secure-message calls take one */
		return sb_access_deny(p, actor, "account", sb_actor_account(actor), "a patient account acts only through the secure-message calls");
	int64_t status = 0;
	int rc = sb_db_one_int(p->db, &status, "SELECT status FROM sb_teammate WHERE id = ? AND practice_id = ?", "ii",
	                       actor, p->id);
	if (rc == SB_ENOTFOUND || (rc == SB_OK && status != SB_TEAMMATE_ACTIVE))
		return sb_access_deny(p, actor, "teammate", actor, "the actor is not an active teammate of this practice");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "checking the actor");
}

/* A teammate's status, or SB_ENOTFOUND (with its message) for no such one. */
static int teammate_status(sb_practice *p, sb_id teammate, int64_t *status)
{
	int rc = sb_db_one_int(p->db, status, "SELECT status FROM sb_teammate WHERE id = ? AND practice_id = ?", "ii",
	                       teammate, p->id);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such teammate in this practice") : rc;
}

int sb_access_active_teammate(sb_practice *p, sb_id teammate)
{
	int64_t status = 0;
	int rc = teammate_status(p, teammate, &status);
	if (rc == SB_OK && status != SB_TEAMMATE_ACTIVE)
		return sb_fail(p, SB_ESTATE, "the teammate is not active (invited or removed)");
	return rc;
}

int sb_access_not_removed(sb_practice *p, sb_id teammate)
{
	int64_t status = 0;
	int rc = teammate_status(p, teammate, &status);
	return rc == SB_OK && status == SB_TEAMMATE_REMOVED ? sb_fail(p, SB_ESTATE, "the teammate was removed") : rc;
}

int sb_access_membership(sb_practice *p, const sb_membership *m, sb_id group)
{
	char sql[192];
	int rc = m->add ? sb_access_active_teammate(p, m->teammate) : SB_OK;
	if (rc != SB_OK)
		return rc;
	if (m->add)
		snprintf(sql, sizeof sql, "INSERT INTO %s (%s, teammate_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING %s",
		         m->table, m->group_column, m->group_column);
	else
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ? AND teammate_id = ? RETURNING %s", m->table,
		         m->group_column, m->group_column);
	rc = sb_db_one_int(p->db, NULL, sql, "ii", group, m->teammate);
	if (rc == SB_ENOTFOUND)
		return m->add ? sb_fail(p, SB_ECONFLICT, "the teammate is a member of the %s already", m->group_name)
		              : sb_fail(p, rc, "the teammate is not a member of the %s", m->group_name);
	return rc;
}

int sb_access_is_admin(sb_practice *p, sb_id actor, int *out)
{
	int64_t admin = 1;
	int rc = actor == SB_ACTOR_SYSTEM ? SB_OK
	                                  : sb_db_one_int(p->db, &admin,
	                                                  "SELECT admin FROM sb_teammate WHERE id = ? AND practice_id = ?"
	                                                  " AND status = ?",
	                                                  "iii", actor, p->id, (int64_t)SB_TEAMMATE_ACTIVE);
	*out = rc == SB_OK && admin != 0;
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

int sb_access_admin(sb_practice *p, sb_id actor, const char *what)
{
	int admin = 0;
	int rc = sb_access_is_admin(p, actor, &admin);
	if (rc != SB_OK || admin)
		return rc;
	char why[160];
	snprintf(why, sizeof why, "only admins may %s", what);
	return sb_access_deny(p, actor, "practice", p->id, why);
}

/* What a check asks: `sql` binds the actor `actors` times, then the
 * object's id and the practice, and answers one row, 1 when allowed. */
typedef struct rule {
	const char *kind, *sql;
	int actors;
	const char *missing, *why;
} rule;

static int check(sb_practice *p, sb_id actor, sb_id id, const rule *r)
{
	if (actor == SB_ACTOR_SYSTEM)
		return SB_OK;
	int64_t allowed = 0;
	int rc = r->actors == 3 ? sb_db_one_int(p->db, &allowed, r->sql, "iiiii", actor, actor, actor, id, p->id)
	                        : sb_db_one_int(p->db, &allowed, r->sql, "iiii", actor, actor, id, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "%s", r->missing);
	if (rc != SB_OK || allowed)
		return rc;
	return sb_access_deny(p, actor, r->kind, id, r->why);
}

#define NOT_MEMBER "the actor is not a member of the endpoint"

int sb_access_sees_endpoint(sb_practice *p, sb_id actor, sb_id endpoint, int *out)
{
	int64_t sees = 1;
	int rc = actor == SB_ACTOR_SYSTEM
	             ? SB_OK
	             : sb_db_one_int(p->db, &sees, "SELECT CASE WHEN " SB_SEES_ENDPOINT("e") " THEN 1 ELSE 0 END"
	                                           " FROM sb_endpoint e WHERE e.id = ? AND e.practice_id = ?",
	                             "iiiii", actor, actor, actor, endpoint, p->id);
	*out = rc == SB_OK && sees;
	return rc;
}

int sb_access_endpoint(sb_practice *p, sb_id actor, sb_id endpoint)
{
	int sees = 0;
	int rc = sb_access_sees_endpoint(p, actor, endpoint, &sees);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such endpoint in this practice");
	return rc != SB_OK || sees ? rc : sb_access_deny(p, actor, "endpoint", endpoint, NOT_MEMBER);
}

int sb_access_conversation(sb_practice *p, sb_id actor, sb_id conversation)
{
	static const rule r = {"conversation",
	                       "SELECT CASE WHEN " SB_SEES_ENDPOINT("e") " THEN 1 ELSE 0 END"
	                       " FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
	                       " WHERE c.id = ? AND c.practice_id = ?",
	                       3, "no such conversation in this practice", NOT_MEMBER};
	return check(p, actor, conversation, &r);
}

int sb_access_item(sb_practice *p, sb_id actor, sb_id item)
{
	static const rule r = {"item",
	                       "SELECT CASE WHEN " SB_SEES_ENDPOINT("e") " THEN 1 ELSE 0 END"
	                       " FROM sb_item i JOIN sb_conversation c ON c.id = i.conversation_id"
	                       " JOIN sb_endpoint e ON e.id = c.endpoint_id WHERE i.id = ? AND i.practice_id = ?",
	                       3, "no such item in this practice", NOT_MEMBER};
	return check(p, actor, item, &r);
}

int sb_access_attachment(sb_practice *p, sb_id actor, sb_id attachment)
{
	/* Library documents (no item) are the practice's, open to every teammate. */
	static const rule r = {"attachment",
	                       "SELECT CASE WHEN a.item_id IS NULL OR " SB_SEES_ENDPOINT("e") " THEN 1 ELSE 0 END"
	                       " FROM sb_attachment a LEFT JOIN sb_item i ON i.id = a.item_id"
	                       " LEFT JOIN sb_conversation c ON c.id = i.conversation_id"
	                       " LEFT JOIN sb_endpoint e ON e.id = c.endpoint_id WHERE a.id = ? AND a.practice_id = ?",
	                       3, "no such attachment in this practice", NOT_MEMBER};
	return check(p, actor, attachment, &r);
}

int sb_access_endpoint_owner(sb_practice *p, sb_id actor, sb_id endpoint)
{
	int admin = 0;
	int rc = sb_access_is_admin(p, actor, &admin);
	if (rc != SB_OK || admin)
		return rc;
	static const rule r = {"endpoint",
	                       "SELECT CASE WHEN (e.owner_kind = 1 AND e.owner_id = ?) OR (e.owner_kind = 2 AND EXISTS"
	                       " (SELECT 1 FROM sb_team_member tm WHERE tm.team_id = e.owner_id"
	                       " AND tm.teammate_id = ?)) THEN 1 ELSE 0 END FROM sb_endpoint e"
	                       " WHERE e.id = ? AND e.practice_id = ?",
	                       2, "no such endpoint in this practice",
	                       "only admins and the endpoint's owner may change it"};
	return check(p, actor, endpoint, &r);
}

int sb_access_gate(sb_practice *p, sb_id actor, sb_id id, int (*access)(sb_practice *, sb_id, sb_id))
{
	int rc = sb_check_actor(p, actor);
	return rc == SB_OK ? access(p, actor, id) : rc;
}

int sb_check_patient_or_teammate(sb_practice *p, sb_id actor)
{
	sb_id account = sb_actor_account(actor);
	if (!account)
		return sb_check_actor(p, actor);
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_account WHERE id = ? AND practice_id = ?", "ii", account, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_access_deny(p, actor, "account", account, "the actor is not a patient account of this practice");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "checking the actor");
}

int sb_access_own_conversation(sb_practice *p, sb_id actor, sb_id conversation)
{
	int rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_conversation WHERE id = ? AND practice_id = ? AND account_id = ?",
	                       "iii", conversation, p->id, sb_actor_account(actor));
	return rc == SB_ENOTFOUND ? sb_access_deny(p, actor, "conversation", conversation, "the conversation is not the patient's own")
	                          : rc;
}

int sb_access_own_item(sb_practice *p, sb_id actor, sb_id item)
{
	int rc = sb_db_one_int(p->db, NULL,
	                       "SELECT i.id FROM sb_item i JOIN sb_conversation c ON c.id = i.conversation_id"
	                       " WHERE i.id = ? AND i.practice_id = ? AND i.kind = ? AND c.account_id = ?",
	                       "iiii", item, p->id, (int64_t)SB_ITEM_MESSAGE, sb_actor_account(actor));
	return rc == SB_ENOTFOUND ? sb_access_deny(p, actor, "item", item, "the item is not a message of the patient's own") : rc;
}

int sb_access_own_attachment(sb_practice *p, sb_id actor, sb_id attachment)
{
	int64_t item = 0;
	int rc = sb_db_one_int(p->db, &item, "SELECT COALESCE(item_id, 0) FROM sb_attachment WHERE id = ? AND practice_id = ?",
	                       "ii", attachment, p->id);
	if (rc == SB_OK && item)
		rc = sb_access_own_item(p, actor, item);
	return rc == SB_ENOTFOUND || (rc == SB_OK && !item)
	               ? sb_access_deny(p, actor, "attachment", attachment, "the attachment is not of a message of the patient's own")
	               : rc;
}

int sb_access_gate_patient(sb_practice *p, sb_id actor, sb_id id, int (*access)(sb_practice *, sb_id, sb_id),
                           int (*own)(sb_practice *, sb_id, sb_id))
{
	if (!sb_actor_account(actor))
		return sb_access_gate(p, actor, id, access);
	int rc = sb_check_patient_or_teammate(p, actor);
	return rc == SB_OK ? own(p, actor, id) : rc;
}
