/* Mailboxes and assignment (T3, T4, T5, C13): where each conversation sits,
 * the timeline events that say so, and each mailbox's pages and counts. */
#include "support.h"

#include <stdio.h>
#include <string.h>

typedef test_world world;

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static sb_id text_in(world *w, const char *from, const char *to, int64_t at)
{
	static int serial;
	char cid[32];
	snprintf(cid, sizeof cid, "SM-mb-%d", ++serial);
	w->f->clock.now = at;
	sb_delivery d;
	int rc = test_receive(w->f->p, &d, from, to, "hello", cid);
	if (rc != SB_OK)
		fail_msg("receive: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	return d.conversation_id;
}

/* Where a conversation is: the mailbox whose page (as the system) holds it. */
static void expect_in(world *w, sb_id conversation, int kind, sb_id owner)
{
	sb_mailbox_entry e[SB_MAILBOX_PAGE_MAX];
	size_t n;
	assert_int_equal(sb_mailbox_page(e, &n, w->f->p, SB_ACTOR_SYSTEM, kind, owner, 0, 0, SB_MAILBOX_PAGE_MAX), SB_OK);
	for (size_t i = 0; i < n; i++)
		if (e[i].conversation_id == conversation)
			return;
	fail_msg("conversation %lld is not in mailbox %d/%lld", (long long)conversation, kind, (long long)owner);
}

/* The newest event of the timeline (an inbound text that reopened the
 * conversation comes after its event) is of this kind, to this mailbox, by
 * this author. */
static void expect_event(world *w, sb_id conversation, int event, int kind, sb_id owner, sb_id author)
{
	sb_item items[2];
	size_t n;
	assert_int_equal(sb_timeline_page(items, &n, w->f->p, SB_ACTOR_SYSTEM, conversation, 0, 2), SB_OK);
	const sb_item *it = n && items[0].kind == SB_ITEM_EVENT ? &items[0] : n > 1 ? &items[1] : NULL;
	assert_non_null(it);
	assert_int_equal(it->kind, SB_ITEM_EVENT);
	assert_int_equal(it->author, author);
	sb_item_event ev;
	assert_int_equal(sb_item_event_get(&ev, w->f->p, SB_ACTOR_SYSTEM, it->id), SB_OK);
	assert_int_equal(ev.event, event);
	assert_int_equal(ev.mailbox_kind, kind);
	assert_int_equal(ev.mailbox_owner, owner);
}

/* T3: exactly one mailbox at a time; any teammate assigns to anyone or a
 * team; each change is a timeline event. */
static void test_assign(void **state)
{
	world *w = *state;
	sb_id c = text_in(w, "+14155550123", TEST_FRONT, 2000), team;
	expect_in(w, c, SB_MAILBOX_INBOX, 0);
	assert_int_equal(sb_conversation_assign(w->f->p, 3, c, SB_MAILBOX_TEAMMATE, 3), SB_OK); /* to themself */
	expect_in(w, c, SB_MAILBOX_TEAMMATE, 3);
	expect_event(w, c, SB_EVENT_ASSIGNED, SB_MAILBOX_TEAMMATE, 3, 3);
	assert_int_equal(sb_conversation_assign(w->f->p, 4, c, SB_MAILBOX_TEAMMATE, 2), SB_OK);
	expect_in(w, c, SB_MAILBOX_TEAMMATE, 2);
	sb_mailbox_entry e[4];
	size_t n;
	assert_int_equal(sb_mailbox_page(e, &n, w->f->p, 3, SB_MAILBOX_TEAMMATE, 3, 0, 0, 4), SB_OK);
	assert_int_equal(n, 0); /* one mailbox at a time */
	assert_int_equal(sb_mailbox_page(e, &n, w->f->p, 3, SB_MAILBOX_INBOX, 0, 0, 0, 4), SB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sb_team_create(&team, w->f->p, 1, "Front desk"), SB_OK);
	assert_int_equal(sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAM, team), SB_OK);
	expect_in(w, c, SB_MAILBOX_TEAM, team);
	expect_event(w, c, SB_EVENT_ASSIGNED, SB_MAILBOX_TEAM, team, 2);
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAM, team), SB_ESTATE, "already");
	assert_int_equal(sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_INBOX, 0), SB_OK);
	expect_in(w, c, SB_MAILBOX_INBOX, 0);
	expect_event(w, c, SB_EVENT_UNASSIGNED, SB_MAILBOX_INBOX, 0, 2);
	/* Bad input. */
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, 9, 0), SB_EINVAL, "mailbox kind");
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAMMATE, 0), SB_EINVAL, "needs its id");
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_CLOSED, 0), SB_EINVAL, "mailbox kind");
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAMMATE, 999), SB_ENOTFOUND,
	                  "no such teammate");
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAM, 999), SB_ENOTFOUND, "no such team");
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, 999, SB_MAILBOX_TEAMMATE, 2), SB_ENOTFOUND,
	                  "no such conversation");
	/* The practice can turn assignment off (T3). */
	sb_practice_settings s;
	assert_int_equal(sb_practice_settings_get(&s, w->f->p, 1), SB_OK);
	s.assignment_on = 0;
	assert_int_equal(sb_practice_settings_set(w->f->p, 1, &s), SB_OK);
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAMMATE, 2), SB_ESTATE, "turned off");
}

/* T3: assignment exists only with two or more teammates. */
static void test_assign_needs_two(void **state)
{
	world *w = *state;
	sb_id c = text_in(w, "+14155550123", TEST_FRONT, 2000);
	for (sb_id t = 3; t <= TEST_TEAMMATES; t++)
		assert_int_equal(sb_teammate_remove(w->f->p, 1, t), SB_OK);
	assert_int_equal(sb_conversation_assign(w->f->p, 1, c, SB_MAILBOX_TEAMMATE, 2), SB_OK);
	assert_int_equal(sb_teammate_remove(w->f->p, 1, 2), SB_OK);
	/* Removing teammate 2 sent their conversation back to the shared inbox (T1). */
	expect_in(w, c, SB_MAILBOX_INBOX, 0);
	expect_event(w, c, SB_EVENT_UNASSIGNED, SB_MAILBOX_INBOX, 0, 1);
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 1, c, SB_MAILBOX_TEAMMATE, 1), SB_ESTATE, "two or more");
}

/* T4: closing unassigns; new inbound brings a closed conversation back to
 * the shared inbox, and leaves an open assigned one with its assignee. */
static void test_close_and_inbound(void **state)
{
	world *w = *state;
	sb_id c = text_in(w, "+14155550123", TEST_FRONT, 2000);
	assert_int_equal(sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAMMATE, 5), SB_OK);
	assert_int_equal(text_in(w, "+14155550123", TEST_FRONT, 3000), c);
	expect_in(w, c, SB_MAILBOX_TEAMMATE, 5); /* stays with its assignee */
	assert_int_equal(sb_conversation_close(w->f->p, 5, c), SB_OK);
	expect_in(w, c, SB_MAILBOX_CLOSED, 0);
	expect_event(w, c, SB_EVENT_CLOSED, SB_MAILBOX_CLOSED, 0, 5);
	test_expect_error(w->f->p, sb_conversation_assign(w->f->p, 2, c, SB_MAILBOX_TEAMMATE, 5), SB_ESTATE, "closed");
	assert_int_equal(text_in(w, "+14155550123", TEST_FRONT, 4000), c);
	expect_in(w, c, SB_MAILBOX_INBOX, 0); /* not back to teammate 5 */
	expect_event(w, c, SB_EVENT_REOPENED, SB_MAILBOX_INBOX, 0, SB_ACTOR_SYSTEM);
	/* Reopening by hand also goes to the inbox. */
	assert_int_equal(sb_conversation_close(w->f->p, 5, c), SB_OK);
	assert_int_equal(sb_conversation_reopen(w->f->p, 6, c), SB_OK);
	expect_in(w, c, SB_MAILBOX_INBOX, 0);
	expect_event(w, c, SB_EVENT_REOPENED, SB_MAILBOX_INBOX, 0, 6);
}

/* T5: an owned endpoint with auto-assign sends every new or reopened
 * conversation to its owner; the practice cannot auto-assign. */
static void test_auto_assign(void **state)
{
	world *w = *state;
	sb_id team;
	test_expect_error(w->f->p, sb_endpoint_set_auto_assign(w->f->p, 1, w->front, 1), SB_ESTATE, "owned by the practice");
	assert_int_equal(sb_endpoint_set_owner(w->f->p, 1, w->front, SB_OWNER_TEAMMATE, 4), SB_OK);
	assert_int_equal(sb_endpoint_set_auto_assign(w->f->p, 4, w->front, 1), SB_OK); /* the owner may (T6) */
	sb_id c = text_in(w, "+14155550123", TEST_FRONT, 2000);
	expect_in(w, c, SB_MAILBOX_TEAMMATE, 4);
	expect_event(w, c, SB_EVENT_ASSIGNED, SB_MAILBOX_TEAMMATE, 4, SB_ACTOR_SYSTEM);
	/* Reopened by inbound: back to the owner, never the shared inbox. */
	assert_int_equal(sb_conversation_close(w->f->p, 4, c), SB_OK);
	assert_int_equal(text_in(w, "+14155550123", TEST_FRONT, 3000), c);
	expect_in(w, c, SB_MAILBOX_TEAMMATE, 4);
	expect_event(w, c, SB_EVENT_REOPENED, SB_MAILBOX_TEAMMATE, 4, SB_ACTOR_SYSTEM);
	/* A conversation started from the endpoint goes to the owner too. */
	sb_id started;
	w->f->clock.now = 3500;
	assert_int_equal(sb_conversation_start(&started, w->f->p, 4, w->front, "+14155550199"), SB_OK);
	expect_in(w, started, SB_MAILBOX_TEAMMATE, 4);
	/* A team owner: its mailbox. */
	assert_int_equal(sb_team_create(&team, w->f->p, 1, "Front desk"), SB_OK);
	assert_int_equal(sb_endpoint_set_owner(w->f->p, 1, w->front, SB_OWNER_TEAM, team), SB_OK);
	sb_id d = text_in(w, "+14155550124", TEST_FRONT, 4000);
	expect_in(w, d, SB_MAILBOX_TEAM, team);
	/* Back to the practice: auto-assign goes off with it. */
	assert_int_equal(sb_endpoint_set_owner(w->f->p, 1, w->front, SB_OWNER_PRACTICE, 0), SB_OK);
	sb_endpoint e;
	assert_int_equal(sb_endpoint_get(&e, w->f->p, 1, w->front), SB_OK);
	assert_int_equal(e.auto_assign, 0);
	sb_id g = text_in(w, "+14155550125", TEST_FRONT, 5000);
	expect_in(w, g, SB_MAILBOX_INBOX, 0);
	/* Other numbers are not affected. */
	expect_in(w, text_in(w, "+14155550126", TEST_BILLING, 6000), SB_MAILBOX_INBOX, 0);
}

/* C13: a mailbox pages newest activity first with a row cursor, and counts
 * its unread conversations for the acting teammate's view. */
static void test_pages_and_unread(void **state)
{
	world *w = *state;
	sb_id ids[5];
	char from[16];
	for (int i = 0; i < 5; i++) {
		snprintf(from, sizeof from, "+1415555013%d", i);
		ids[i] = text_in(w, from, TEST_FRONT, 2000 + (i % 2 ? 0 : 100 * i)); /* ties on time */
	}
	sb_mailbox_entry e[2];
	size_t n, total = 0;
	int64_t at = 0;
	sb_id id = 0, last_at = INT64_MAX, seen[5];
	do {
		assert_int_equal(sb_mailbox_page(e, &n, w->f->p, 2, SB_MAILBOX_INBOX, 0, at, id, 2), SB_OK);
		for (size_t i = 0; i < n; i++) {
			assert_true(e[i].last_item_at <= last_at);
			last_at = e[i].last_item_at;
			assert_true(e[i].unread);
			assert_int_equal(e[i].endpoint_id, w->front);
			seen[total + i] = e[i].conversation_id;
		}
		total += n;
		if (n) {
			at = e[n - 1].last_item_at;
			id = e[n - 1].conversation_id;
		}
	} while (n);
	assert_int_equal(total, 5);
	for (int i = 0; i < 5; i++) /* each exactly once */
		for (int j = i + 1; j < 5; j++)
			assert_int_not_equal(seen[i], seen[j]);
	assert_int_equal(seen[0], ids[4]); /* the newest */
	int64_t unread = 0;
	assert_int_equal(sb_mailbox_unread(&unread, w->f->p, 2, SB_MAILBOX_INBOX, 0), SB_OK);
	assert_int_equal(unread, 5);
	assert_int_equal(sb_conversation_mark_read(w->f->p, 3, ids[0]), SB_OK);
	assert_int_equal(sb_mailbox_unread(&unread, w->f->p, 2, SB_MAILBOX_INBOX, 0), SB_OK);
	assert_int_equal(unread, 4);
	assert_int_equal(sb_conversation_assign(w->f->p, 2, ids[1], SB_MAILBOX_TEAMMATE, 2), SB_OK);
	assert_int_equal(sb_mailbox_unread(&unread, w->f->p, 2, SB_MAILBOX_TEAMMATE, 2), SB_OK);
	assert_int_equal(unread, 1);
	assert_int_equal(sb_mailbox_unread(&unread, w->f->p, 2, SB_MAILBOX_INBOX, 0), SB_OK);
	assert_int_equal(unread, 3);
	/* Bad input. */
	test_expect_error(w->f->p, sb_mailbox_page(e, &n, w->f->p, 2, SB_MAILBOX_INBOX, 0, 0, 0, 0), SB_EINVAL, "max");
	test_expect_error(w->f->p, sb_mailbox_page(e, &n, w->f->p, 2, SB_MAILBOX_INBOX, 0, -1, 0, 2), SB_EINVAL, "before_at");
	test_expect_error(w->f->p, sb_mailbox_page(e, &n, w->f->p, 2, 7, 0, 0, 0, 2), SB_EINVAL, "mailbox kind");
	test_expect_error(w->f->p, sb_mailbox_page(e, &n, w->f->p, 2, SB_MAILBOX_INBOX, 3, 0, 0, 2), SB_EINVAL, "take 0");
	test_expect_error(w->f->p, sb_mailbox_page(NULL, &n, w->f->p, 2, SB_MAILBOX_INBOX, 0, 0, 0, 2), SB_EINVAL, "out");
	test_expect_error(w->f->p, sb_mailbox_unread(NULL, w->f->p, 2, SB_MAILBOX_INBOX, 0), SB_EINVAL, "out");
	test_expect_error(w->f->p, sb_mailbox_unread(&unread, w->f->p, 99, SB_MAILBOX_INBOX, 0), SB_EDENIED, "not an active");
	sb_item_event ev;
	sb_item it;
	assert_int_equal(sb_timeline_page(&it, &n, w->f->p, 2, ids[0], 0, 1), SB_OK);
	test_expect_error(w->f->p, sb_item_event_get(&ev, w->f->p, 2, it.id), SB_ESTATE, "not an event");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign_needs_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_and_inbound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_assign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pages_and_unread, setup, teardown),
	};
	return cmocka_run_group_tests_name("mailbox", tests, NULL, NULL);
}
