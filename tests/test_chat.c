/* Secure messaging between teammates (chat.h, seed 002): direct chats among
 * a fixed set, team chats among a team's current members, sealed, audited,
 * members only, with unread counts and alerts. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "chat-key-chat-key-chat-key-chat";

#define SECRET "Pt in room 4 has a latex allergy-zc1"

typedef struct world {
	test_fixture *f;
	sb_id team; /* "Nurses": teammates 3 and 4 */
	int alerts;
	char last_alert[128];
} world;

static void on_notice(void *ud, const sb_notice *n)
{
	world *w = ud;
	int len = snprintf(w->last_alert, sizeof w->last_alert, "%d %lld %d %lld:", n->kind, (long long)n->conversation_id,
	                   n->mailbox_kind, (long long)n->mailbox_owner);
	for (size_t i = 0; i < n->teammate_count && len < 110; i++)
		len += snprintf(w->last_alert + len, sizeof w->last_alert - (size_t)len, " %lld", (long long)n->teammates[i]);
	w->alerts++;
}

static int setup(void **state)
{
	test_fixture_open(state, key, 1000);
	world *w = test_calloc(1, sizeof *w);
	w->f = *state;
	sb_practice *p = w->f->p;
	assert_int_equal(sb_team_create(&w->team, p, 1, "Nurses"), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 3), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 4), SB_OK);
	assert_int_equal(sb_notify_set(p, on_notice, w), SB_OK);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	*state = w->f;
	test_free(w);
	return test_fixture_close(state);
}

static sb_id post(world *w, sb_id actor, sb_id chat, const char *text)
{
	sb_id id = 0;
	int rc = sb_chat_post(&id, w->f->p, actor, chat, text, NULL);
	if (rc != SB_OK)
		fail_msg("post: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	return id;
}

static void test_direct_chat(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_id chat = 0, again = 0, other = 0;
	sb_id two[] = {2, 2, 1}; /* repeats and the actor are ignored */
	assert_int_equal(sb_chat_direct(&chat, p, 1, two, 3), SB_OK);
	sb_id one[] = {1};
	assert_int_equal(sb_chat_direct(&again, p, 2, one, 1), SB_OK);
	assert_int_equal(again, chat); /* the same set finds the same chat */
	sb_id three[] = {2, 5};
	assert_int_equal(sb_chat_direct(&other, p, 1, three, 2), SB_OK);
	assert_int_not_equal(other, chat);
	w->f->clock.now += 1000;
	sb_id m1 = post(w, 1, chat, SECRET);
	assert_string_equal(w->last_alert, "4 1 -1 0: 2"); /* the other member is alerted */
	assert_false(test_store_contains(w->f->path, SECRET)); /* sealed */
	sb_chat_message msgs[4];
	size_t n = 0;
	assert_int_equal(sb_chat_messages(msgs, &n, p, 2, chat, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, m1);
	assert_int_equal(msgs[0].author, 1);
	assert_string_equal(msgs[0].text, SECRET);
	/* Unread for the reader, not the writer; a mark clears it. */
	sb_chat list[4];
	assert_int_equal(sb_chat_list(list, &n, p, 2, 0, 4), SB_OK);
	assert_int_equal(n, 2); /* both chats teammate 2 is in */
	assert_int_equal(list[0].id, chat);
	assert_int_equal(list[0].unread, 1);
	assert_int_equal(list[0].kind, SB_CHAT_DIRECT);
	assert_int_equal(sb_chat_list(list, &n, p, 1, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, chat); /* the most recently written first */
	assert_int_equal(list[0].unread, 0);
	assert_int_equal(sb_chat_mark_read(p, 2, chat), SB_OK);
	assert_int_equal(sb_chat_list(list, &n, p, 2, 0, 4), SB_OK);
	assert_int_equal(list[0].unread, 0);
	sb_id members[4];
	assert_int_equal(sb_chat_members(members, &n, p, 2, chat, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(members[0], 1);
	assert_int_equal(members[1], 2);
	/* An idempotency key writes once. */
	sb_id k1 = 0, k2 = 0;
	assert_int_equal(sb_chat_post(&k1, p, 2, chat, "on my way", "host-1"), SB_OK);
	assert_int_equal(sb_chat_post(&k2, p, 2, chat, "on my way", "host-1"), SB_OK);
	assert_int_equal(k1, k2);
	test_expect_error(p, sb_chat_post(&k2, p, 1, other, "x", "host-1"), SB_ECONFLICT, "another chat");
	/* Paging: newest first, then before the last one. */
	assert_int_equal(sb_chat_messages(msgs, &n, p, 1, chat, 0, 1), SB_OK);
	assert_int_equal(msgs[0].id, k1);
	assert_int_equal(sb_chat_messages(msgs, &n, p, 1, chat, k1, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, m1);
}

/* Members only, and every bad input its own error, nothing stored. */
static void test_who_may(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_id chat = 0, id = 0;
	sb_id two[] = {2};
	assert_int_equal(sb_chat_direct(&chat, p, 1, two, 1), SB_OK);
	post(w, 1, chat, "hello");
	char *before = test_dump(w->f->path);
	test_expect_error(p, sb_chat_post(&id, p, 1, chat, "", NULL), SB_EINVAL, "empty");
	test_expect_error(p, sb_chat_post(&id, p, 1, chat, "\xc3\x28", NULL), SB_EUTF8, "text");
	static char big[SB_CHAT_TEXT_MAX + 2];
	memset(big, 'x', SB_CHAT_TEXT_MAX + 1);
	test_expect_error(p, sb_chat_post(&id, p, 1, chat, big, NULL), SB_ETOOBIG, "text");
	test_expect_error(p, sb_chat_post(&id, p, 1, 999, "x", NULL), SB_ENOTFOUND, "no such chat");
	test_expect_error(p, sb_chat_post(&id, p, 0, chat, "x", NULL), SB_EINVAL, "not the system");
	test_expect_error(p, sb_chat_direct(&id, p, 1, two, 0), SB_EINVAL, "teammates");
	sb_id self[] = {1};
	test_expect_error(p, sb_chat_direct(&id, p, 1, self, 1), SB_EINVAL, "another teammate");
	sb_id ghost[] = {99};
	test_expect_error(p, sb_chat_direct(&id, p, 1, ghost, 1), SB_ENOTFOUND, "teammate");
	sb_id many[SB_CHAT_MEMBERS_MAX];
	for (size_t i = 0; i < SB_CHAT_MEMBERS_MAX; i++)
		many[i] = (sb_id)i + 2;
	test_expect_error(p, sb_chat_direct(&id, p, 1, many, SB_CHAT_MEMBERS_MAX), SB_EINVAL, "at most");
	test_expect_dump(w->f->path, before);
	/* Not a member: refused and audited, even for an admin. */
	sb_chat_message msgs[2];
	size_t n = 0;
	test_expect_error(p, sb_chat_messages(msgs, &n, p, 3, chat, 0, 2), SB_EDENIED, "members");
	test_expect_error(p, sb_chat_post(&id, p, 3, chat, "x", NULL), SB_EDENIED, "members");
	test_expect_error(p, sb_chat_team(&id, p, 1, w->team), SB_EDENIED, "members");
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'"), 3);
	/* A removed teammate neither reads nor writes. */
	assert_int_equal(sb_teammate_remove(p, 1, 2), SB_OK);
	test_expect_error(p, sb_chat_messages(msgs, &n, p, 2, chat, 0, 2), SB_EDENIED, "");
	/* Reads are audited: PHI. */
	assert_int_equal(sb_chat_messages(msgs, &n, p, 1, chat, 0, 2), SB_OK);
	assert_true(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'chat.read'") >= 1);
}

/* A team chat follows the team's membership (T2). */
static void test_team_chat(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_id chat = 0, again = 0;
	assert_int_equal(sb_chat_team(&chat, p, 3, w->team), SB_OK);
	assert_int_equal(sb_chat_team(&again, p, 4, w->team), SB_OK);
	assert_int_equal(again, chat);
	post(w, 3, chat, "who has room 4?");
	char want[64];
	snprintf(want, sizeof want, "4 %lld -1 %lld: 4", (long long)chat, (long long)w->team);
	assert_string_equal(w->last_alert, want);
	/* A new member sees the history; one who leaves does not. */
	assert_int_equal(sb_team_member_add(p, 1, w->team, 5), SB_OK);
	sb_chat_message msgs[4];
	size_t n = 0;
	assert_int_equal(sb_chat_messages(msgs, &n, p, 5, chat, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sb_team_member_remove(p, 1, w->team, 4), SB_OK);
	test_expect_error(p, sb_chat_messages(msgs, &n, p, 4, chat, 0, 4), SB_EDENIED, "members");
	sb_id members[4];
	assert_int_equal(sb_chat_members(members, &n, p, 5, chat, 4), SB_OK);
	assert_int_equal(n, 2);
	/* A member who turned alerts off is not paged. */
	sb_notify_prefs off;
	sb_notify_prefs_init(&off);
	off.messages = SB_NOTIFY_OFF;
	assert_int_equal(sb_notify_prefs_set(p, 5, 5, &off), SB_OK);
	w->alerts = 0;
	post(w, 3, chat, "me");
	assert_int_equal(w->alerts, 0);
	/* A deleted team's chat is read-only. */
	assert_int_equal(sb_team_delete(p, 1, w->team), SB_OK);
	sb_id id;
	test_expect_error(p, sb_chat_team(&id, p, 3, w->team), SB_ESTATE, "deleted");
	sb_chat list[2];
	test_expect_error(p, sb_chat_list(list, &n, p, 3, 999, 2), SB_EINVAL, "before_id");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_direct_chat, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_who_may, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_team_chat, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
