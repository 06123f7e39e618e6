/* Secure messaging between teammates (chat.h): direct chats among a fixed
 * set, team chats among a team's current members. Messages are PHI. */
#include "access.h"
#include "notify_internal.h"
#include "phi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- who is in a chat --- */

/* A chat's actor is an active teammate: chats are between people. */
static int check_teammate_actor(sb_practice *p, sb_id actor)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK && actor == SB_ACTOR_SYSTEM)
		return sb_fail(p, SB_EINVAL, "a chat's actor is a teammate, not the system");
	return rc;
}

typedef struct chat_row {
	int64_t kind;
	sb_id team;
	int team_deleted;
} chat_row;

/* The chat exists here and the actor is in it now (audited refusal). */
static int member_gate(sb_practice *p, sb_id actor, sb_id chat, chat_row *out)
{
	sb_stmt *st;
	int64_t member = 0;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT c.kind, c.team_id, COALESCE(t.deleted_at, 0),"
	                   " CASE WHEN c.kind = 1 THEN EXISTS (SELECT 1 FROM sb_chat_member m WHERE m.chat_id = c.id"
	                   " AND m.teammate_id = ?) ELSE EXISTS (SELECT 1 FROM sb_team_member tm"
	                   " WHERE tm.team_id = c.team_id AND tm.teammate_id = ?) END"
	                   " FROM sb_chat c LEFT JOIN sb_team t ON t.id = c.team_id WHERE c.id = ? AND c.practice_id = ?",
	                   "iiii", actor, actor, chat, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such chat in this practice");
	if (rc != SB_OK)
		return rc;
	out->kind = sb_db_col_int(p->db, st, 0);
	out->team = sb_db_col_int(p->db, st, 1);
	out->team_deleted = sb_db_col_int(p->db, st, 2) != 0;
	member = sb_db_col_int(p->db, st, 3);
	sb_db_release(p->db, st);
	return member ? SB_OK : sb_access_deny(p, actor, "chat", chat, "only the chat's members read and write it");
}

static int gate(sb_practice *p, sb_id actor, sb_id chat, chat_row *out)
{
	int rc = check_teammate_actor(p, actor);
	return rc == SB_OK ? member_gate(p, actor, chat, out) : rc;
}

/* --- starting --- */

typedef struct start {
	int kind;
	sb_id team;
	sb_id members[SB_CHAT_MEMBERS_MAX];
	size_t n;
	char key[SB_CHAT_MEMBERS_MAX * 21 + 4]; /* the member set, e.g. "d:1,5,7", or "t:5" */
} start;

static int by_id(const void *a, const void *b)
{
	sb_id x = *(const sb_id *)a, y = *(const sb_id *)b;
	return (x > y) - (x < y);
}

/* The actor and the others, sorted, without repeats, each active. */
static int direct_members(sb_practice *p, sb_id actor, const sb_id *others, size_t count, start *s)
{
	s->members[s->n++] = actor;
	for (size_t i = 0; i < count; i++) {
		if (others[i] <= 0)
			return sb_fail(p, SB_EINVAL, "teammate %zu is not a teammate id", i + 1);
		int seen = 0;
		for (size_t k = 0; k < s->n; k++)
			seen |= s->members[k] == others[i];
		if (seen)
			continue;
		if (s->n == SB_CHAT_MEMBERS_MAX)
			return sb_fail(p, SB_EINVAL, "a direct chat has at most %u teammates", SB_CHAT_MEMBERS_MAX);
		s->members[s->n++] = others[i];
	}
	if (s->n < 2)
		return sb_fail(p, SB_EINVAL, "a direct chat needs another teammate");
	for (size_t i = 1; i < s->n; i++) {
		int rc = sb_access_active_teammate(p, s->members[i]);
		if (rc != SB_OK)
			return rc;
	}
	qsort(s->members, s->n, sizeof s->members[0], by_id);
	size_t len = (size_t)snprintf(s->key, sizeof s->key, "d:");
	for (size_t i = 0; i < s->n; i++)
		len += (size_t)snprintf(s->key + len, sizeof s->key - len, "%s%lld", i ? "," : "", (long long)s->members[i]);
	return SB_OK;
}

/* Find the chat of the key, or create it (once, whoever races). */
static int start_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const start *s = arg;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_chat (practice_id, kind, team_id, member_key, created_by, created_at,"
	                       " last_message_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
	                       " ON CONFLICT (practice_id, member_key) DO NOTHING RETURNING id",
	                       "iiitiii", p->id, (int64_t)s->kind, s->team, s->key, s->members[0], now, now);
	if (rc == SB_ENOTFOUND)
		return sb_db_one_int(p->db, id, "SELECT id FROM sb_chat WHERE practice_id = ? AND member_key = ?", "it",
		                     p->id, s->key);
	for (size_t i = 0; rc == SB_OK && s->kind == SB_CHAT_DIRECT && i < s->n; i++)
		rc = sb_db_exec(p->db, "INSERT INTO sb_chat_member (chat_id, teammate_id) VALUES (?, ?)", "ii", *id,
		                s->members[i]);
	return rc;
}

static int find_or_create(sb_practice *p, sb_id actor, start *s, sb_id *out_chat)
{
	sb_id id = 0;
	int rc = sb_db_one_int(p->db, &id, "SELECT id FROM sb_chat WHERE practice_id = ? AND member_key = ?", "it", p->id,
	                       s->key);
	if (rc == SB_ENOTFOUND) /* only a new chat is audited: finding one is not an event */
		rc = sb_transact(p, actor, "chat.start", "chat", &id, start_body, s, "starting a chat");
	if (rc == SB_OK)
		*out_chat = id;
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "starting a chat");
}

int sb_chat_direct(sb_id *out_chat, sb_practice *p, sb_id actor, const sb_id *teammates, size_t count)
{
	start s = {.kind = SB_CHAT_DIRECT};
	int rc = sb_check_out(p, out_chat, sizeof *out_chat, "out_chat");
	if (rc == SB_OK && (!teammates || count == 0))
		rc = sb_fail(p, SB_EINVAL, "teammates are required");
	if (rc == SB_OK)
		rc = check_teammate_actor(p, actor);
	if (rc == SB_OK)
		rc = direct_members(p, actor, teammates, count, &s);
	return rc == SB_OK ? find_or_create(p, actor, &s, out_chat) : rc;
}

int sb_chat_team(sb_id *out_chat, sb_practice *p, sb_id actor, sb_id team)
{
	start s = {.kind = SB_CHAT_TEAM, .team = team};
	int64_t member = 0;
	int rc = sb_check_out(p, out_chat, sizeof *out_chat, "out_chat");
	if (rc == SB_OK)
		rc = check_teammate_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_team_live(p, team);
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &member,
		                   "SELECT COUNT(*) FROM sb_team_member WHERE team_id = ? AND teammate_id = ?", "ii", team,
		                   actor);
	if (rc == SB_OK && !member)
		return sb_access_deny(p, actor, "team", team, "only the team's members have its chat");
	s.members[s.n++] = actor;
	snprintf(s.key, sizeof s.key, "t:%lld", (long long)team);
	return rc == SB_OK ? find_or_create(p, actor, &s, out_chat) : rc;
}

/* --- writing --- */

typedef struct post {
	sb_id chat, team, author;
	const char *text, *key;
	sb_id message;
} post;

static int post_body(sb_practice *p, sb_id *chat, const void *arg, int64_t now)
{
	post *m = (post *)arg;
	int rc = sb_db_one_int(p->db, &m->message,
	                       "INSERT INTO sb_chat_message (practice_id, chat_id, author, created_at, idempotency_key)"
	                       " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
	                       "iiiit", p->id, *chat, m->author, now, m->key);
	if (rc == SB_ENOTFOUND) /* the key was used: by this chat (a repeat) or another */
		return sb_fail(p, SB_ECONFLICT, "the idempotency key was used meanwhile");
	if (rc == SB_OK)
		rc = sb_phi_store(p, "sb_chat_message", "body", m->message, m->text);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_chat SET last_message_at = ? WHERE id = ?", "ii", now, *chat);
	if (rc == SB_OK) /* the author has read what they wrote */
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_chat_read (chat_id, teammate_id, message_id) VALUES (?, ?, ?)"
		                " ON CONFLICT (chat_id, teammate_id) DO UPDATE SET message_id = excluded.message_id",
		                "iii", *chat, m->author, m->message);
	return rc == SB_OK ? sb_notice_chat(p, *chat, m->team, m->message, m->author) : rc;
}

/* A repeat of a keyed message: the first one's id, if it is this chat's. */
static int earlier(sb_practice *p, const post *m, sb_id *out)
{
	int64_t chat = 0;
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT id, chat_id FROM sb_chat_message WHERE practice_id = ? AND idempotency_key = ?",
	                   "it", p->id, m->key);
	if (rc != SB_OK)
		return rc;
	*out = sb_db_col_int(p->db, st, 0);
	chat = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	return chat == m->chat ? SB_OK : sb_fail(p, SB_ECONFLICT, "the idempotency key names a message of another chat");
}

static int check_post(sb_practice *p, const char *text, const char *key)
{
	int rc = sb_check_text(p, text, SB_CHAT_TEXT_MAX, "text");
	if (rc == SB_OK && !*text)
		rc = sb_fail(p, SB_EINVAL, "text is empty");
	if (rc == SB_OK && key)
		rc = sb_check_text(p, key, SB_IDEMPOTENCY_KEY_MAX, "idempotency_key");
	return rc == SB_OK && key && !*key ? sb_fail(p, SB_EINVAL, "idempotency_key is empty") : rc;
}

int sb_chat_post(sb_id *out_message, sb_practice *p, sb_id actor, sb_id chat, const char *text,
                 const char *idempotency_key)
{
	chat_row row;
	post m = {chat, 0, actor, text, idempotency_key, 0};
	int rc = sb_check_out(p, out_message, sizeof *out_message, "out_message");
	if (rc == SB_OK)
		rc = check_post(p, text, idempotency_key);
	if (rc == SB_OK)
		rc = gate(p, actor, chat, &row);
	if (rc == SB_OK && row.team_deleted)
		rc = sb_fail(p, SB_ESTATE, "the chat's team was deleted: its chat is read-only");
	if (rc != SB_OK)
		return rc;
	m.team = row.team;
	if (idempotency_key && (rc = earlier(p, &m, out_message)) != SB_ENOTFOUND)
		return rc;
	rc = sb_transact(p, actor, "chat.post", "chat", &chat, post_body, &m, "writing to a chat");
	if (rc == SB_OK)
		*out_message = m.message;
	return rc;
}

/* --- reading --- */

typedef struct page {
	sb_chat_message *out;
	size_t *count, max;
	sb_id before;
} page;

static int messages_body(sb_practice *p, sb_id *chat, const void *arg, int64_t now)
{
	(void)now;
	const page *pg = arg;
	sb_stmt *st;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT id, author, created_at, body FROM sb_chat_message WHERE chat_id = ? AND id < ?"
	                     " ORDER BY id DESC LIMIT ?",
	                     "iii", *chat, pg->before ? pg->before : INT64_MAX, (int64_t)pg->max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_chat_message *m = &pg->out[*pg->count];
		memset(m, 0, offsetof(sb_chat_message, text) + 1);
		m->id = sb_db_col_int(p->db, st, 0);
		m->chat_id = *chat;
		m->author = sb_db_col_int(p->db, st, 1);
		m->at = sb_db_col_int(p->db, st, 2);
		rc = sb_phi_column(p, st, 3, "sb_chat_message", "body", m->id, m->text, sizeof m->text);
		m->text_len = strlen(m->text);
		*pg->count += rc == SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

int sb_chat_messages(sb_chat_message *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id chat,
                     sb_id before_id, size_t max)
{
	chat_row row;
	int rc = sb_check_list(p, out, out_count, max, SB_CHAT_PAGE_MAX, before_id, "before_id");
	if (rc == SB_OK)
		rc = gate(p, actor, chat, &row);
	if (rc != SB_OK)
		return rc;
	page pg = {out, out_count, max, before_id};
	rc = sb_transact(p, actor, "chat.read", "chat", &chat, messages_body, &pg, "reading a chat");
	if (rc != SB_OK)
		*out_count = 0;
	return rc;
}

/* The actor's chats: direct ones through its member rows, team ones
 * through its teams; most recently written first. */
static const char list_sql[] =
	"SELECT c.id, c.kind, c.team_id, c.created_by, c.created_at, c.last_message_at,"
	" (SELECT COUNT(*) FROM sb_chat_message m WHERE m.chat_id = c.id AND m.author <> ?"
	" AND m.id > COALESCE((SELECT r.message_id FROM sb_chat_read r WHERE r.chat_id = c.id AND r.teammate_id = ?), 0))"
	" FROM sb_chat c WHERE c.practice_id = ? AND (c.id IN (SELECT chat_id FROM sb_chat_member WHERE teammate_id = ?)"
	" OR c.team_id IN (SELECT team_id FROM sb_team_member WHERE teammate_id = ?))"
	" AND (c.last_message_at, c.id) < (?, ?) ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?";

int sb_chat_list(sb_chat *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id before_id, size_t max)
{
	int64_t at = INT64_MAX;
	int rc = sb_check_list(p, out, out_count, max, SB_CHAT_PAGE_MAX, before_id, "before_id");
	if (rc == SB_OK)
		rc = check_teammate_actor(p, actor);
	if (rc == SB_OK && before_id) /* the page only starts there: the list is the actor's chats */
		rc = sb_db_one_int(p->db, &at, "SELECT last_message_at FROM sb_chat WHERE id = ? AND practice_id = ?", "ii",
		                   before_id, p->id);
	if (rc != SB_OK)
		return rc == SB_ENOTFOUND ? sb_fail(p, SB_EINVAL, "before_id is not a chat of this practice") : rc;
	sb_stmt *st;
	rc = sb_db_query(p->db, &st, list_sql, "iiiiiiii", actor, actor, p->id, actor, actor, at,
	                 before_id ? before_id : INT64_MAX, (int64_t)max);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		sb_chat *c = &out[(*out_count)++];
		memset(c, 0, sizeof *c);
		c->id = sb_db_col_int(p->db, st, 0);
		c->kind = (int)sb_db_col_int(p->db, st, 1);
		c->team_id = sb_db_col_int(p->db, st, 2);
		c->created_by = sb_db_col_int(p->db, st, 3);
		c->created_at = sb_db_col_int(p->db, st, 4);
		c->last_message_at = sb_db_col_int(p->db, st, 5);
		c->unread = sb_db_col_int(p->db, st, 6);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	if (rc < 0)
		*out_count = 0;
	return rc < 0 ? sb_fail_store(p, rc, "listing chats") : SB_OK;
}

int sb_chat_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id chat, size_t max)
{
	chat_row row;
	int rc = sb_check_list(p, out, out_count, max, SB_CHAT_PAGE_MAX, 0, "before_id");
	if (rc == SB_OK)
		rc = gate(p, actor, chat, &row);
	if (rc != SB_OK)
		return rc;
	rc = row.kind == SB_CHAT_DIRECT
	             ? sb_db_ids(p->db, out, out_count, max,
	                         "SELECT teammate_id FROM sb_chat_member WHERE chat_id = ? ORDER BY teammate_id", "i", chat)
	             : sb_db_ids(p->db, out, out_count, max,
	                         "SELECT teammate_id FROM sb_team_member WHERE team_id = ? ORDER BY teammate_id", "i",
	                         row.team);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "listing a chat's members");
}

static int read_body(sb_practice *p, sb_id *chat, const void *arg, int64_t now)
{
	(void)now;
	return sb_db_exec(p->db,
	                  "INSERT INTO sb_chat_read (chat_id, teammate_id, message_id)"
	                  " SELECT ?, ?, COALESCE(MAX(id), 0) FROM sb_chat_message WHERE chat_id = ?"
	                  " ON CONFLICT (chat_id, teammate_id) DO UPDATE SET message_id = excluded.message_id",
	                  "iii", *chat, *(const sb_id *)arg, *chat);
}

int sb_chat_mark_read(sb_practice *p, sb_id actor, sb_id chat)
{
	chat_row row;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = gate(p, actor, chat, &row);
	return rc == SB_OK ? sb_transact(p, actor, "chat.mark_read", "chat", &chat, read_body, &actor, "marking a chat read")
	                   : rc;
}
