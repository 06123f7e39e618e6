/* Alerts (notify.h): whom to page for what lands in a mailbox, worked out
 * in the transaction that stores it and told to the host after its commit. */
#include "access.h"
#include "notify_internal.h"
#include "routing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- preferences --- */

int sb_notify_prefs_init(sb_notify_prefs *prefs)
{
	if (!prefs)
		return SB_EINVAL;
	memset(prefs, 0, sizeof *prefs);
	prefs->version = SB_NOTIFY_PREFS_VERSION;
	return SB_OK;
}

static int check_level(sb_practice *p, int level, const char *field)
{
	if (level != SB_NOTIFY_ALL && level != SB_NOTIFY_MINE && level != SB_NOTIFY_OFF)
		return sb_fail(p, SB_EINVAL, "%s must be SB_NOTIFY_ALL, SB_NOTIFY_MINE or SB_NOTIFY_OFF", field);
	return SB_OK;
}

static int check_prefs(sb_practice *p, const sb_notify_prefs *s)
{
	if (!s)
		return sb_fail(p, SB_EINVAL, "prefs are required");
	if (s->version != SB_NOTIFY_PREFS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_notify_prefs version %u is not %u", s->version, SB_NOTIFY_PREFS_VERSION);
	int rc = check_level(p, s->messages, "messages");
	if (rc == SB_OK)
		rc = check_level(p, s->voicemails, "voicemails");
	return rc == SB_OK ? check_level(p, s->missed_calls, "missed_calls") : rc;
}

/* The teammate themselves, or an admin (T1), about an existing teammate. */
static int gate(sb_practice *p, sb_id actor, sb_id teammate)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK && actor != teammate)
		rc = sb_access_admin(p, actor, "change other teammates' alerts");
	return rc == SB_OK ? sb_access_not_removed(p, teammate) : rc;
}

static int prefs_body(sb_practice *p, sb_id *teammate, const void *arg, int64_t now)
{
	const sb_notify_prefs *s = arg;
	return sb_db_exec(p->db,
	                  "INSERT INTO sb_notify_pref (teammate_id, practice_id, messages, voicemails, missed_calls,"
	                  " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (teammate_id) DO UPDATE SET"
	                  " messages = excluded.messages, voicemails = excluded.voicemails,"
	                  " missed_calls = excluded.missed_calls, updated_at = excluded.updated_at",
	                  "iiiiii", *teammate, p->id, (int64_t)s->messages, (int64_t)s->voicemails,
	                  (int64_t)s->missed_calls, now);
}

int sb_notify_prefs_set(sb_practice *p, sb_id actor, sb_id teammate, const sb_notify_prefs *prefs)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_prefs(p, prefs);
	if (rc == SB_OK)
		rc = gate(p, actor, teammate);
	return rc == SB_OK ? sb_transact(p, actor, "notify.prefs", "teammate", &teammate, prefs_body, prefs,
	                                 "changing alert preferences")
	                   : rc;
}

int sb_notify_prefs_get(sb_notify_prefs *out, sb_practice *p, sb_id actor, sb_id teammate)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, teammate);
	if (rc != SB_OK)
		return rc;
	sb_notify_prefs_init(out);
	sb_stmt *st;
	rc = sb_db_row(p->db, &st, "SELECT messages, voicemails, missed_calls FROM sb_notify_pref WHERE teammate_id = ?",
	               "i", teammate);
	if (rc == SB_OK) {
		out->messages = (int)sb_db_col_int(p->db, st, 0);
		out->voicemails = (int)sb_db_col_int(p->db, st, 1);
		out->missed_calls = (int)sb_db_col_int(p->db, st, 2);
		sb_db_release(p->db, st);
	}
	return rc == SB_ENOTFOUND || rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading alert preferences");
}

/* --- notices --- */

struct sb_pending_notice {
	sb_pending_notice *next;
	int depth;        /* the transaction depth that queued it */
	sb_notice notice;
	sb_id *teammates; /* owned */
};

int sb_notify_set(sb_practice *p, sb_notify_fn fn, void *userdata)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	p->notify = fn;
	p->notify_userdata = userdata;
	return SB_OK;
}

/* The per-kind preference column: a constant, never input. */
static const char *level_column(int kind)
{
	return kind == SB_NOTICE_MESSAGE ? "messages" : kind == SB_NOTICE_VOICEMAIL ? "voicemails" : "missed_calls";
}

/* Where the item's conversation sits now, the item just stored in it. */
static int landing(sb_practice *p, sb_id item, sb_notice *n, sb_id *endpoint)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT c.id, c.endpoint_id, c.box_kind, c.box_owner FROM sb_item i"
	                   " JOIN sb_conversation c ON c.id = i.conversation_id WHERE i.id = ? AND i.practice_id = ?",
	                   "ii", item, p->id);
	if (rc != SB_OK)
		return rc;
	n->conversation_id = sb_db_col_int(p->db, st, 0);
	*endpoint = sb_db_col_int(p->db, st, 1);
	n->mailbox_kind = (int)sb_db_col_int(p->db, st, 2);
	n->mailbox_owner = sb_db_col_int(p->db, st, 3);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* The ids a query answers, into the notice's own growing array. */
static int collect(sb_practice *p, sb_stmt *st, sb_pending_notice *d)
{
	size_t cap = 0, count = 0;
	int rc;
	while ((rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		if (count == cap) {
			sb_id *grown = realloc(d->teammates, (cap = cap ? cap * 2 : 16) * sizeof *grown);
			if (!grown) {
				rc = sb_fail(p, SB_ENOMEM, "out of memory for an alert");
				break;
			}
			d->teammates = grown;
		}
		d->teammates[count++] = sb_db_col_int(p->db, st, 0);
	}
	sb_db_release(p->db, st);
	d->notice.teammate_count = count;
	return rc < 0 ? rc : SB_OK;
}

/* The active teammates who see the endpoint and want this kind of notice
 * from this mailbox. */
static int recipients(sb_practice *p, const sb_notice *n, sb_id endpoint, sb_pending_notice *d)
{
	char sql[1400];
	const char *col = level_column(n->kind);
	snprintf(sql, sizeof sql,
	         "SELECT t.id FROM sb_teammate t JOIN sb_endpoint e ON e.id = ?"
	         " LEFT JOIN sb_notify_pref np ON np.teammate_id = t.id"
	         " WHERE t.practice_id = ? AND t.status = ? AND " SB_SEES_ENDPOINT_OF("e", "t.id")
	         " AND (COALESCE(np.%s, 0) = 0 OR (COALESCE(np.%s, 0) = 1 AND ((? = 1 AND ? = t.id)"
	         " OR (? = 2 AND EXISTS (SELECT 1 FROM sb_team_member m WHERE m.team_id = ? AND m.teammate_id = t.id)))))"
	         " ORDER BY t.id",
	         col, col);
	sb_stmt *st;
	int rc = sb_db_query(p->db, &st, sql, "iiiiiii", endpoint, p->id, (int64_t)SB_TEAMMATE_ACTIVE,
	                     (int64_t)n->mailbox_kind, n->mailbox_owner, (int64_t)n->mailbox_kind, n->mailbox_owner);
	return rc == SB_OK ? collect(p, st, d) : rc;
}

static void drop(sb_pending_notice *d)
{
	free(d->teammates);
	free(d);
}

/* Queue a worked-out notice for the commit, or drop it when nobody is to hear. */
static int enqueue(sb_practice *p, sb_pending_notice *d, int rc)
{
	if (rc != SB_OK || d->notice.teammate_count == 0) {
		drop(d);
		return rc;
	}
	d->notice.teammates = d->teammates;
	sb_pending_notice **tail = &p->notices;
	while (*tail)
		tail = &(*tail)->next;
	*tail = d;
	return SB_OK;
}

static sb_pending_notice *new_notice(sb_practice *p, int kind, sb_id item)
{
	sb_pending_notice *d = calloc(1, sizeof *d);
	if (!d) {
		sb_fail(p, SB_ENOMEM, "out of memory for an alert");
		return NULL;
	}
	d->notice.version = SB_NOTICE_VERSION;
	d->notice.kind = kind;
	d->notice.item_id = item;
	d->depth = sb_db_depth(p->db);
	return d;
}

int sb_notice_queue(sb_practice *p, int kind, sb_id item)
{
	if (!p->notify)
		return SB_OK; /* nobody listens: no work */
	sb_pending_notice *d = new_notice(p, kind, item);
	if (!d)
		return SB_ENOMEM;
	sb_id endpoint = 0;
	int rc = landing(p, item, &d->notice, &endpoint);
	if (rc == SB_OK)
		rc = recipients(p, &d->notice, endpoint, d);
	return enqueue(p, d, rc);
}

int sb_notice_chat(sb_practice *p, sb_id chat, sb_id team, sb_id message, sb_id author)
{
	if (!p->notify)
		return SB_OK;
	sb_pending_notice *d = new_notice(p, SB_NOTICE_CHAT_MESSAGE, message);
	if (!d)
		return SB_ENOMEM;
	d->notice.conversation_id = chat;
	d->notice.mailbox_kind = SB_NOTICE_NO_MAILBOX;
	d->notice.mailbox_owner = team;
	sb_stmt *st;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT t.id FROM sb_teammate t LEFT JOIN sb_notify_pref np ON np.teammate_id = t.id"
	                     " WHERE t.id IN (SELECT teammate_id FROM sb_chat_member WHERE chat_id = ?"
	                     " UNION SELECT teammate_id FROM sb_team_member WHERE team_id = ?)"
	                     " AND t.id <> ? AND t.status = ? AND COALESCE(np.messages, 0) <> 2 ORDER BY t.id",
	                     "iiii", chat, team, author, (int64_t)SB_TEAMMATE_ACTIVE);
	if (rc == SB_OK)
		rc = collect(p, st, d);
	return enqueue(p, d, rc);
}

int sb_notice_for_item(sb_practice *p, const sb_item_row *row, sb_id item)
{
	if (row->direction != SB_DIRECTION_INBOUND)
		return SB_OK;
	if (row->kind == SB_ITEM_MESSAGE)
		return sb_notice_queue(p, SB_NOTICE_MESSAGE, item);
	if (row->kind == SB_ITEM_VOICEMAIL)
		return sb_notice_queue(p, SB_NOTICE_VOICEMAIL, item);
	int missed = row->kind == SB_ITEM_CALL && (row->outcome == SB_CALL_MISSED || row->outcome == SB_CALL_CANCELED);
	return missed ? sb_notice_queue(p, SB_NOTICE_MISSED_CALL, item) : SB_OK;
}

void sb_notices_forget(sb_practice *p, int depth)
{
	for (sb_pending_notice **at = &p->notices; *at;) {
		sb_pending_notice *d = *at;
		if (d->depth > depth) {
			*at = d->next;
			drop(d);
		} else
			at = &d->next;
	}
}

void sb_notices_flush(sb_practice *p)
{
	sb_pending_notice *d = p->notices;
	p->notices = NULL;
	while (d) {
		sb_pending_notice *next = d->next;
		if (p->notify)
			p->notify(p->notify_userdata, &d->notice);
		drop(d);
		d = next;
	}
}
