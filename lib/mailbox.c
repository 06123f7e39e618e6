/* Mailboxes and assignment (T3, T4, T5): where each conversation sits. */
#include "access.h"
#include "filter_internal.h"
#include "mailbox_internal.h"

#include <stdint.h>
#include <string.h>

int sb_mailbox_arrival(sb_practice *p, sb_id endpoint, int *kind, sb_id *owner)
{
	sb_stmt *st;
	*kind = SB_MAILBOX_INBOX;
	*owner = 0;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT owner_kind, owner_id FROM sb_endpoint WHERE id = ? AND auto_assign = 1"
	                   " AND owner_kind IN (1, 2)",
	                   "i", endpoint);
	if (rc != SB_OK)
		return rc == SB_ENOTFOUND ? SB_OK : rc;
	*kind = (int)sb_db_col_int(p->db, st, 0); /* owner kinds and mailbox kinds agree */
	*owner = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	return SB_OK;
}

int sb_mailbox_move(sb_practice *p, sb_id conversation, int kind, sb_id owner, int event, sb_id actor, int64_t now)
{
	int rc = sb_db_exec(p->db, "UPDATE sb_conversation SET box_kind = ?, box_owner = ? WHERE id = ?", "iii",
	                    (int64_t)kind, owner, conversation);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_item (practice_id, conversation_id, kind, direction, occurred_at, author, event,"
		                " event_box_kind, event_box_owner) VALUES (?, ?, 5, 0, ?, ?, ?, ?, ?)",
		                "iiiiiii", p->id, conversation, now, actor, (int64_t)event, (int64_t)kind, owner);
	return rc;
}

int sb_mailbox_empty(sb_practice *p, int kind, sb_id owner, sb_id actor, int64_t now)
{
	int rc = sb_db_exec(p->db,
	                    "INSERT INTO sb_item (practice_id, conversation_id, kind, direction, occurred_at, author, event,"
	                    " event_box_kind, event_box_owner)"
	                    " SELECT practice_id, id, 5, 0, ?, ?, 2, 0, 0 FROM sb_conversation"
	                    " WHERE practice_id = ? AND box_kind = ? AND box_owner = ?",
	                    "iiiii", now, actor, p->id, (int64_t)kind, owner);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db,
		                "UPDATE sb_conversation SET box_kind = 0, box_owner = 0"
		                " WHERE practice_id = ? AND box_kind = ? AND box_owner = ?",
		                "iii", p->id, (int64_t)kind, owner);
	return rc;
}

/* --- assignment --- */

typedef struct assignment {
	int kind;
	sb_id to, actor;
} assignment;

/* T3: assignment exists in practices of two or more teammates, when on. */
static int assignment_allowed(sb_practice *p)
{
	int64_t on = 0, teammates = 0;
	int rc = sb_db_one_int(p->db, &on, "SELECT assignment_on FROM sb_practice WHERE id = ?", "i", p->id);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &teammates, "SELECT COUNT(*) FROM sb_teammate WHERE practice_id = ? AND status = 2",
		                   "i", p->id);
	if (rc == SB_OK && !on)
		return sb_fail(p, SB_ESTATE, "assignment is turned off for this practice");
	if (rc == SB_OK && teammates < 2)
		return sb_fail(p, SB_ESTATE, "assignment needs two or more active teammates");
	return rc;
}

/* The assignee exists, and a teammate must be active and see the
 * conversation's endpoint. */
static int check_assignee(sb_practice *p, const assignment *a, sb_id endpoint)
{
	int sees = 0;
	int rc = SB_OK;
	if (a->kind == SB_MAILBOX_TEAM) {
		rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_team WHERE id = ? AND practice_id = ?", "ii", a->to, p->id);
		return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no such team in this practice") : rc;
	}
	if (a->kind != SB_MAILBOX_TEAMMATE)
		return SB_OK;
	if ((rc = sb_access_active_teammate(p, a->to)) == SB_OK)
		rc = sb_access_sees_endpoint(p, a->to, endpoint, &sees);
	if (rc == SB_OK && !sees)
		return sb_fail(p, SB_ESTATE, "the teammate does not see the conversation's endpoint");
	return rc;
}

static int assign_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const assignment *a = arg;
	sb_stmt *st;
	int rc = assignment_allowed(p);
	if (rc == SB_OK)
		rc = sb_db_row(p->db, &st, "SELECT box_kind, box_owner, endpoint_id FROM sb_conversation WHERE id = ?", "i", *id);
	if (rc != SB_OK)
		return rc;
	int64_t kind = sb_db_col_int(p->db, st, 0), owner = sb_db_col_int(p->db, st, 1);
	sb_id endpoint = sb_db_col_int(p->db, st, 2);
	sb_db_release(p->db, st);
	if (kind == SB_MAILBOX_CLOSED)
		return sb_fail(p, SB_ESTATE, "the conversation is closed: reopen it first");
	if (kind == a->kind && owner == a->to)
		return sb_fail(p, SB_ESTATE, "the conversation is in that mailbox already");
	if ((rc = check_assignee(p, a, endpoint)) != SB_OK)
		return rc;
	int event = a->kind == SB_MAILBOX_INBOX ? SB_EVENT_UNASSIGNED : SB_EVENT_ASSIGNED;
	return sb_mailbox_move(p, *id, a->kind, a->to, event, a->actor, now);
}

static int check_mailbox(sb_practice *p, int kind, sb_id owner, int closed_ok)
{
	int owned = kind == SB_MAILBOX_TEAMMATE || kind == SB_MAILBOX_TEAM;
	if (!owned && kind != SB_MAILBOX_INBOX && !(closed_ok && kind == SB_MAILBOX_CLOSED))
		return sb_fail(p, SB_EINVAL, "unknown mailbox kind %d", kind);
	if (owned ? owner <= 0 : owner != 0)
		return sb_fail(p, SB_EINVAL, "a teammate's or team's mailbox needs its id; the others take 0");
	return SB_OK;
}

int sb_conversation_assign(sb_practice *p, sb_id actor, sb_id conversation, int mailbox_kind, sb_id to)
{
	assignment a = {mailbox_kind, to, actor};
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_mailbox(p, mailbox_kind, to, 0);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_conversation(p, actor, conversation);
	if (rc != SB_OK)
		return rc;
	return sb_transact(p, actor, "conversation.assign", "conversation", &conversation, assign_body, &a,
	                   "assigning a conversation");
}

/* --- reading --- */

static int check_read(sb_practice *p, sb_id actor, int kind, sb_id owner)
{
	int rc = check_mailbox(p, kind, owner, 1);
	return rc == SB_OK ? sb_check_actor(p, actor) : rc;
}

int sb_mailbox_page(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor, int mailbox_kind,
                    sb_id owner, int64_t before_at, sb_id before_id, size_t max)
{
	int rc = sb_check_list(p, out, out_count, max, SB_MAILBOX_PAGE_MAX, before_id, "before_id");
	if (rc != SB_OK || (rc = check_read(p, actor, mailbox_kind, owner)) != SB_OK)
		return rc;
	if (before_at < 0)
		return sb_fail(p, SB_EINVAL, "before_at is negative");
	sb_filter f; /* a mailbox is the filter of one criterion */
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.mailbox = mailbox_kind;
	f.mailbox_owner = owner;
	return sb_filter_page(out, out_count, p, actor, &f, before_at, before_id, max);
}

int sb_mailbox_unread(int64_t *out, sb_practice *p, sb_id actor, int mailbox_kind, sb_id owner)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = check_read(p, actor, mailbox_kind, owner);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, out,
	                   "SELECT COUNT(*) FROM sb_conversation c WHERE c.practice_id = ? AND c.box_kind = ?"
	                   " AND c.box_owner = ? AND c.inbound_count > c.read_count"
	                   " AND c.endpoint_id IN (" SB_VISIBLE_ENDPOINTS ")",
	                   "iiiiiiii", p->id, (int64_t)mailbox_kind, owner, p->id, actor, actor, actor, actor);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "counting a mailbox's unread conversations");
}

int sb_item_event_get(sb_item_event *out, sb_practice *p, sb_id actor, sb_id item)
{
	sb_stmt *st;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_item(p, actor, item);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st,
	               "SELECT event, event_box_kind, event_box_owner FROM sb_item WHERE id = ? AND practice_id = ?"
	               " AND kind = 5",
	               "ii", item, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, "the item is not an event");
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading an event");
	out->event = (int)sb_db_col_int(p->db, st, 0);
	out->mailbox_kind = (int)sb_db_col_int(p->db, st, 1);
	out->mailbox_owner = sb_db_col_int(p->db, st, 2);
	sb_db_release(p->db, st);
	return SB_OK;
}
