/* Alerts (notify.h, seeds 002 and 004): whom the library tells the host to
 * page when a text, a voicemail or a missed call lands in a mailbox. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define PATIENT "+14155550123"

/* What the callback heard: one line per notice, "kind box owner: ids". */
typedef struct heard {
	char lines[8][256];
	int count;
} heard;

typedef struct world {
	test_world base;
	heard h;
	sb_id team; /* "Billing": teammates 5 and 6 own the billing number */
} world;

static void on_notice(void *ud, const sb_notice *n)
{
	heard *h = ud;
	if (h->count >= 8)
		return;
	char *line = h->lines[h->count++];
	int len = snprintf(line, 256, "%d %d %lld:", n->kind, n->mailbox_kind, (long long)n->mailbox_owner);
	for (size_t i = 0; i < n->teammate_count && len < 240; i++)
		len += snprintf(line + len, (size_t)(256 - len), " %lld", (long long)n->teammates[i]);
}

static int setup(void **state)
{
	int rc = test_world_open(state, NULL, sizeof(world));
	world *w = *state;
	sb_practice *p = w->base.f->p;
	assert_int_equal(sb_team_create(&w->team, p, 1, "Billing"), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 5), SB_OK);
	assert_int_equal(sb_team_member_add(p, 1, w->team, 6), SB_OK);
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->base.billing, SB_OWNER_TEAM, w->team), SB_OK);
	assert_int_equal(sb_notify_set(p, on_notice, &w->h), SB_OK);
	return rc;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static sb_delivery text(world *w, const char *to, const char *sid)
{
	sb_delivery d;
	int rc = test_receive(w->base.f->p, &d, PATIENT, to, "my results?", sid);
	if (rc != SB_OK)
		fail_msg("receive: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->base.f->p));
	return d;
}

/* The one line heard since the last call, then forget it. */
static const char *heard_one(world *w)
{
	static char copy[256];
	if (w->h.count != 1)
		fail_msg("%d notices heard, not 1", w->h.count);
	memcpy(copy, w->h.lines[0], sizeof copy);
	w->h.count = 0;
	return copy;
}

static void prefs(sb_practice *p, sb_id teammate, int messages, int voicemails, int missed)
{
	sb_notify_prefs s;
	sb_notify_prefs_init(&s);
	s.messages = messages;
	s.voicemails = voicemails;
	s.missed_calls = missed;
	assert_int_equal(sb_notify_prefs_set(p, teammate, teammate, &s), SB_OK);
}

/* Visibility (T8) and each teammate's level decide whom. */
static void test_whom_to_alert(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	prefs(p, 3, SB_NOTIFY_OFF, SB_NOTIFY_ALL, SB_NOTIFY_ALL);
	prefs(p, 4, SB_NOTIFY_MINE, SB_NOTIFY_ALL, SB_NOTIFY_ALL);
	sb_delivery d = text(w, TEST_FRONT, "SM1");
	assert_string_equal(heard_one(w), "1 0 0: 1 2 5 6 7 8 9 10 11 12"); /* the shared inbox: not 3 (off), not 4 (mine) */
	assert_int_equal(sb_conversation_assign(p, 1, d.conversation_id, SB_MAILBOX_TEAMMATE, 4), SB_OK);
	assert_int_equal(w->h.count, 0); /* an assignment is not a landing */
	text(w, TEST_FRONT, "SM2");
	assert_string_equal(heard_one(w), "1 1 4: 1 2 4 5 6 7 8 9 10 11 12"); /* now 4's own mailbox */
	/* The billing number is the Billing team's: only its members see it. */
	text(w, TEST_BILLING, "SM3");
	assert_string_equal(heard_one(w), "1 0 0: 5 6");
	/* A redelivery lands nothing, and tells nobody. */
	text(w, TEST_BILLING, "SM3");
	assert_int_equal(w->h.count, 0);
	/* Nobody who wants it: no notice at all. */
	prefs(p, 5, SB_NOTIFY_MINE, SB_NOTIFY_ALL, SB_NOTIFY_ALL);
	prefs(p, 6, SB_NOTIFY_OFF, SB_NOTIFY_ALL, SB_NOTIFY_ALL);
	text(w, TEST_BILLING, "SM4");
	assert_int_equal(w->h.count, 0);
	/* Removed teammates are never paged. */
	assert_int_equal(sb_teammate_remove(p, 1, 12), SB_OK);
	text(w, TEST_FRONT, "SM5");
	assert_string_equal(heard_one(w), "1 1 4: 1 2 4 7 8 9 10 11"); /* 5 mine, 6 off now */
}

/* After the commit only: a host transaction rolled back tells nobody. */
static void test_after_the_commit(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	assert_int_equal(sb_practice_begin(p), SB_OK);
	text(w, TEST_BILLING, "SM1");
	assert_int_equal(w->h.count, 0); /* not yet: the host has not committed */
	assert_int_equal(sb_practice_rollback(p), SB_OK);
	assert_int_equal(w->h.count, 0);
	assert_int_equal(sb_practice_begin(p), SB_OK);
	text(w, TEST_BILLING, "SM1");
	assert_int_equal(sb_practice_commit(p), SB_OK);
	assert_string_equal(heard_one(w), "1 0 0: 5 6");
	/* Without a callback, nothing is kept for later. */
	assert_int_equal(sb_notify_set(p, NULL, NULL), SB_OK);
	text(w, TEST_BILLING, "SM2");
	assert_int_equal(sb_notify_set(p, on_notice, &w->h), SB_OK);
	assert_int_equal(w->h.count, 0);
	test_expect_error(NULL, sb_notify_set(NULL, on_notice, NULL), SB_EINVAL, "");
}

/* Voicemails and missed calls, each with its own level. */
static void test_voicemail_and_missed_call(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	prefs(p, 5, SB_NOTIFY_ALL, SB_NOTIFY_OFF, SB_NOTIFY_ALL);
	/* Nobody rings for billing: the caller goes to voicemail. */
	test_leave_voicemail(p, PATIENT, TEST_BILLING, "CA1", "https://media.example/vm.wav");
	assert_string_equal(heard_one(w), "2 0 0: 6"); /* one notice: the voicemail, not the call too */
	/* A caller who hangs up during the greeting: a missed call. */
	sb_id call;
	assert_int_equal(sb_call_inbound(&call, p, PATIENT, TEST_BILLING, "CA2"), SB_OK);
	sb_call_event ev;
	sb_call_event_init(&ev, SB_LEG_HANGUP);
	ev.leg_id = "CA2";
	assert_int_equal(sb_call_feed(NULL, p, &ev), SB_OK);
	assert_string_equal(heard_one(w), "3 0 0: 5 6");
	/* A call the host recorded itself: a missed one alerts, an answered one does not. */
	sb_call_item c;
	sb_call_item_init(&c);
	c.kind = SB_ITEM_CALL;
	c.direction = SB_DIRECTION_INBOUND;
	c.business_number = TEST_BILLING;
	c.external = PATIENT;
	c.outcome = SB_CALL_MISSED;
	sb_delivery d;
	assert_int_equal(sb_call_item_record(&d, p, 0, &c), SB_OK);
	assert_string_equal(heard_one(w), "3 0 0: 5 6");
	c.outcome = SB_CALL_ANSWERED;
	assert_int_equal(sb_call_item_record(&d, p, 0, &c), SB_OK);
	assert_int_equal(w->h.count, 0);
}

static void test_prefs(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_notify_prefs s, got;
	assert_int_equal(sb_notify_prefs_get(&got, p, 3, 3), SB_OK);
	assert_int_equal(got.messages, SB_NOTIFY_ALL); /* the default */
	sb_notify_prefs_init(&s);
	s.voicemails = SB_NOTIFY_MINE;
	assert_int_equal(sb_notify_prefs_set(p, 1, 3, &s), SB_OK); /* an admin for a teammate */
	assert_int_equal(sb_notify_prefs_get(&got, p, 3, 3), SB_OK);
	assert_int_equal(got.voicemails, SB_NOTIFY_MINE);
	char *before = test_dump(w->base.f->path);
	s.messages = 7;
	test_expect_error(p, sb_notify_prefs_set(p, 3, 3, &s), SB_EINVAL, "messages");
	s.messages = SB_NOTIFY_ALL;
	s.version = 9;
	test_expect_error(p, sb_notify_prefs_set(p, 3, 3, &s), SB_EVERSION, "version");
	test_expect_error(p, sb_notify_prefs_set(p, 3, 3, NULL), SB_EINVAL, "prefs");
	s.version = SB_NOTIFY_PREFS_VERSION;
	test_expect_error(p, sb_notify_prefs_set(p, 1, 99, &s), SB_ENOTFOUND, "teammate");
	test_expect_error(p, sb_notify_prefs_get(NULL, p, 3, 3), SB_EINVAL, "out");
	test_expect_dump(w->base.f->path, before);
	/* Another teammate's are an admin's business (audited). */
	test_expect_error(p, sb_notify_prefs_set(p, 3, 4, &s), SB_EDENIED, "admins");
	test_expect_error(p, sb_notify_prefs_get(&got, p, 3, 4), SB_EDENIED, "admins");
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'notify.prefs'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_whom_to_alert, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_after_the_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_voicemail_and_missed_call, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prefs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
