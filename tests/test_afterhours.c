/* The after-hours auto-reply and e-mail alerts (A2): once per conversation
 * per closed period, the text still in its mailbox, failures stored and
 * retried, nothing lost. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define HOUR INT64_C(3600000)
/* Monday 2026-03-09 in New York (EDT, UTC-4). */
#define MONDAY_NIGHT INT64_C(1773097200000)   /* 19:00 EDT: closed */
#define TUESDAY_NOON (MONDAY_NIGHT + 17 * HOUR) /* 12:00 EDT: open */
#define PATIENT_A "+14155550161"
#define PATIENT_B "+14155550162"
#define SECRET "my rash is worse tonight"

static const unsigned char key[SB_KEY_BYTES] = "after-hours-key-after-hours-key";

static void weekdays(sb_hours *h)
{
	sb_hours_init(h);
	snprintf(h->zone, sizeof h->zone, "America/New_York");
	for (int d = SB_MONDAY; d <= SB_FRIDAY; d++) {
		sb_hours_span *s = &h->spans[h->span_count++];
		s->day = d;
		s->open_minute = 9 * 60;
		s->close_minute = 17 * 60;
	}
}

static void settings(sb_practice *p, int reply_on, int alert_on)
{
	sb_after_hours s;
	sb_after_hours_init(&s);
	s.reply_on = reply_on;
	snprintf(s.reply, sizeof s.reply, "We are closed. We open at 9. For emergencies call 911.");
	s.alert_on = alert_on;
	snprintf(s.alert_to, sizeof s.alert_to, " oncall@clinic.example ,  Manager@Clinic.example");
	assert_int_equal(sb_after_hours_set(p, 1, &s), SB_OK);
}

static int setup(void **state)
{
	int rc = test_world_open(state, key, sizeof(test_world));
	test_world *w = *state;
	sb_hours h;
	weekdays(&h);
	assert_int_equal(sb_hours_set(w->f->p, 1, 0, &h), SB_OK);
	w->f->clock.now = MONDAY_NIGHT;
	w->f->carrier.count = 0;
	return rc;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static int64_t count(test_world *w, const char *sql)
{
	return test_value(w->f->path, sql);
}

static void text(test_world *w, const char *from, const char *to, const char *id)
{
	sb_delivery d;
	assert_int_equal(test_receive(w->f->p, &d, from, to, SECRET, id), SB_OK);
	assert_int_not_equal(d.item_id, 0);
}

static void test_settings(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	sb_after_hours s, got;
	assert_int_equal(sb_after_hours_get(&got, p, 3), SB_OK);
	assert_false(got.reply_on);
	assert_false(got.alert_on);
	settings(p, 1, 1);
	assert_int_equal(sb_after_hours_get(&got, p, 3), SB_OK);
	assert_true(got.reply_on && got.alert_on);
	assert_string_equal(got.alert_to, "oncall@clinic.example,Manager@Clinic.example");
	char *before = test_dump(w->f->path);
	const struct {
		const char *to;
		int rc;
		const char *phrase;
	} bad[] = {
	    {"oncall@clinic.example, not-an-address", SB_EEMAIL, "alert recipient 2 is not an e-mail"},
	    {"a@b.example, a b@c.example", SB_EEMAIL, "alert recipient 2"},
	    {"@clinic.example", SB_EEMAIL, "alert recipient 1"},
	    {"a@b.example,,c@d.example", SB_EINVAL, "alert recipient 2 is empty"},
	    {"a@b.example,", SB_EINVAL, "alert recipient 2 is empty"},
	    {"a@b.example, A@B.example", SB_EINVAL, "repeats"},
	    {"1@x.example,2@x.example,3@x.example,4@x.example,5@x.example,6@x.example,7@x.example,8@x.example,"
	     "9@x.example,10@x.example,11@x.example",
	     SB_ETOOBIG, "recipients"},
	    {"\xc3\x28@x.example", SB_EUTF8, "alert_to"},
	    {"", SB_EINVAL, "alert_on needs"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		sb_after_hours_init(&s);
		s.alert_on = 1;
		snprintf(s.alert_to, sizeof s.alert_to, "%s", bad[i].to);
		test_expect_error(p, sb_after_hours_set(p, 1, &s), bad[i].rc, bad[i].phrase);
	}
	sb_after_hours_init(&s);
	s.reply_on = 1;
	test_expect_error(p, sb_after_hours_set(p, 1, &s), SB_EINVAL, "reply_on needs a reply");
	memset(s.reply, 'x', sizeof s.reply);
	test_expect_error(p, sb_after_hours_set(p, 1, &s), SB_ETOOBIG, "reply");
	sb_after_hours_init(&s);
	s.version = 7;
	test_expect_error(p, sb_after_hours_set(p, 1, &s), SB_EVERSION, "version");
	test_expect_error(p, sb_after_hours_set(p, 1, NULL), SB_EINVAL, "required");
	test_expect_error(p, sb_after_hours_get(NULL, p, 1), SB_EINVAL, "out");
	test_expect_dump(w->f->path, before);
	sb_after_hours_init(&s);
	test_expect_error(p, sb_after_hours_set(p, 2, &s), SB_EDENIED, "admin");
	test_expect_error(p, sb_after_hours_get(&got, p, 99), SB_EDENIED, "");
	assert_int_equal(sb_after_hours_get(&got, p, 2), SB_OK);
	assert_true(got.reply_on); /* unchanged by the refusals */
}

/* Once per conversation per closed period; the texts land all the same. */
static void test_once_per_period(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	test_carrier *c = &w->f->carrier;
	settings(p, 1, 1);
	text(w, PATIENT_A, TEST_FRONT, "SM-a1");
	assert_int_equal(c->count, 3);
	assert_non_null(strstr(c->log[0], "send_sms from=" TEST_FRONT " to=" PATIENT_A " body=We are closed."));
	assert_non_null(strstr(c->log[0], "key=sb-after-hours-"));
	assert_string_equal(c->log[1], "send_email to=oncall@clinic.example subject=After-hours text on Front desk");
	assert_string_equal(c->log[2], "send_email to=Manager@Clinic.example subject=After-hours text on Front desk");
	/* The alert says where, never who or what. */
	assert_non_null(strstr(c->email_body, TEST_FRONT));
	assert_null(strstr(c->email_body, PATIENT_A));
	assert_null(strstr(c->email_body, "rash"));
	w->f->clock.now += HOUR;
	text(w, PATIENT_A, TEST_FRONT, "SM-a2");
	text(w, PATIENT_A, TEST_FRONT, "SM-a2"); /* the carrier delivers it again */
	assert_int_equal(c->count, 3);
	text(w, PATIENT_B, TEST_FRONT, "SM-b1");
	assert_int_equal(c->count, 6);
	/* Open on Tuesday: no reply. */
	w->f->clock.now = TUESDAY_NOON;
	text(w, PATIENT_A, TEST_FRONT, "SM-a3");
	assert_int_equal(c->count, 6);
	/* Tuesday night is another closed period. */
	w->f->clock.now = MONDAY_NIGHT + 24 * HOUR;
	text(w, PATIENT_A, TEST_FRONT, "SM-a4");
	assert_int_equal(c->count, 9);
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_item WHERE direction = 1"), 5);
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_item WHERE direction = 2"), 3);
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_conversation WHERE inbound_count > read_count AND closed_at IS NULL"), 2);
	sb_after_hours_event e[4];
	size_t n;
	assert_int_equal(sb_after_hours_list(e, &n, p, 2, 0, 4), SB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].reply_state, SB_NOTICE_SENT);
	assert_int_equal(e[0].alerts, 2);
	assert_int_equal(e[0].alerts_sent, 2);
	assert_int_not_equal(e[0].reply_item_id, 0);
	assert_int_equal(e[2].period, TUESDAY_NOON - 3 * HOUR); /* the next opening: Tuesday 09:00 */
	assert_int_equal(sb_after_hours_list(e, &n, p, 2, e[1].id, 4), SB_OK);
	assert_int_equal(n, 1);
	/* The texts are sealed like every other. */
	assert_false(test_store_contains(w->f->path, SECRET));
}

static void test_reply_or_alerts_alone(void **state)
{
	test_world *w = *state;
	test_carrier *c = &w->f->carrier;
	text(w, PATIENT_A, TEST_FRONT, "SM-off");
	assert_int_equal(c->count, 0); /* both off */
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_after_hours"), 0);
	settings(w->f->p, 0, 1);
	text(w, PATIENT_A, TEST_FRONT, "SM-alerts");
	assert_int_equal(c->count, 2);
	assert_non_null(strstr(c->log[0], "send_email"));
	settings(w->f->p, 1, 0);
	text(w, PATIENT_B, TEST_FRONT, "SM-reply");
	assert_int_equal(c->count, 3);
	assert_non_null(strstr(c->log[2], "send_sms"));
}

/* A number's own hours decide for its texts. */
static void test_number_hours(void **state)
{
	test_world *w = *state;
	sb_hours h;
	settings(w->f->p, 1, 0);
	sb_hours_init(&h); /* billing: open round the clock */
	for (int d = SB_SUNDAY; d <= SB_SATURDAY; d++) {
		h.spans[h.span_count].day = d;
		h.spans[h.span_count].open_minute = 0;
		h.spans[h.span_count++].close_minute = 1440;
	}
	assert_int_equal(sb_hours_set(w->f->p, 1, w->billing, &h), SB_OK);
	text(w, PATIENT_A, TEST_BILLING, "SM-billing");
	assert_int_equal(w->f->carrier.count, 0);
	text(w, PATIENT_A, TEST_FRONT, "SM-front");
	assert_int_equal(w->f->carrier.count, 1);
}

/* The carrier refuses: the text is taken, the reply and alerts are stored
 * as failed, and a retry sends each once. */
static void test_failures_are_retried(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	test_carrier *c = &w->f->carrier;
	size_t sent, failed;
	settings(p, 1, 1);
	c->fail_with = -1;
	text(w, PATIENT_A, TEST_FRONT, "SM-fail");
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_item WHERE direction = 1"), 1);
	assert_int_equal(count(w, "SELECT status FROM sb_item WHERE direction = 2"), SB_STATUS_FAILED);
	sb_after_hours_event e;
	size_t n;
	assert_int_equal(sb_after_hours_list(&e, &n, p, 2, 0, 1), SB_OK);
	assert_int_equal(e.reply_state, SB_NOTICE_FAILED);
	assert_int_equal(e.alerts_failed, 2);
	/* Refused again: still failed. */
	assert_int_equal(sb_after_hours_retry(&sent, &failed, p, 1, 10), SB_OK);
	assert_int_equal(sent, 0);
	assert_int_equal(failed, 3);
	c->fail_with = 0;
	c->count = 0;
	test_expect_error(p, sb_after_hours_retry(&sent, &failed, p, 2, 10), SB_EDENIED, "admin");
	test_expect_error(p, sb_after_hours_retry(&sent, &failed, p, 1, 0), SB_EINVAL, "max");
	test_expect_error(p, sb_after_hours_retry(NULL, &failed, p, 1, 1), SB_EINVAL, "required");
	assert_int_equal(sb_after_hours_retry(&sent, &failed, p, SB_ACTOR_SYSTEM, 10), SB_OK);
	assert_int_equal(sent, 3);
	assert_int_equal(failed, 0);
	assert_int_equal(c->count, 3);
	assert_non_null(strstr(c->log[0], "key=sb-after-hours-"));
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_item WHERE direction = 2"), 1); /* the same message, again */
	assert_int_equal(count(w, "SELECT status FROM sb_item WHERE direction = 2"), SB_STATUS_QUEUED);
	assert_int_equal(sb_after_hours_retry(&sent, &failed, p, 1, 10), SB_OK);
	assert_int_equal(sent + failed, 0);
	assert_int_equal(c->count, 3);
	assert_int_equal(sb_after_hours_list(&e, &n, p, 2, 0, 1), SB_OK);
	assert_int_equal(e.reply_state, SB_NOTICE_SENT);
	assert_int_equal(e.alerts_sent, 2);
}

/* An alert whose sender died mid-call is sent again only once stale. */
static void test_stale_alert(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	size_t sent, failed;
	char sql[160];
	settings(p, 0, 1);
	text(w, PATIENT_A, TEST_FRONT, "SM-stale");
	snprintf(sql, sizeof sql, "UPDATE sb_alert SET state = 1, attempt_at = %lld", (long long)(w->f->clock.now - 60000));
	assert_int_equal(test_sql(w->f->path, sql), 0);
	w->f->carrier.count = 0;
	assert_int_equal(sb_after_hours_retry(&sent, &failed, p, 1, 10), SB_OK);
	assert_int_equal(sent, 0); /* under way for a minute: maybe still going */
	w->f->clock.now += SB_OUTBOX_STALE_MS;
	assert_int_equal(sb_after_hours_retry(&sent, &failed, p, 1, 10), SB_OK);
	assert_int_equal(sent, 2);
	assert_int_equal(w->f->carrier.count, 2);
	assert_int_equal(count(w, "SELECT MAX(attempts) FROM sb_alert"), 2);
}

/* Hours that cannot be judged (the zone left the system) never cost a text. */
static void test_unjudged_hours_keep_the_text(void **state)
{
	test_world *w = *state;
	settings(w->f->p, 1, 1);
	assert_int_equal(test_sql(w->f->path, "UPDATE sb_hours SET zone = 'Gone/Away'"), 0);
	sb_practice *p = test_open(w->f->path, NULL, key, &w->f->clock); /* a fresh handle: no cached zone */
	sb_delivery d;
	assert_int_equal(test_receive(p, &d, PATIENT_A, TEST_FRONT, SECRET, "SM-gone"), SB_OK);
	sb_practice_free(p);
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_item WHERE direction = 1"), 1);
	assert_int_equal(count(w, "SELECT COUNT(*) FROM sb_after_hours"), 0);
}

/* T8: a teammate lists only the periods of numbers they see. */
static void test_list_visibility(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	sb_after_hours_event e[4];
	size_t n;
	settings(p, 1, 0);
	text(w, PATIENT_A, TEST_FRONT, "SM-v1");
	text(w, PATIENT_B, TEST_BILLING, "SM-v2");
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->billing, SB_OWNER_TEAMMATE, 5), SB_OK);
	assert_int_equal(sb_after_hours_list(e, &n, p, 2, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sb_after_hours_list(e, &n, p, 5, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	test_expect_error(p, sb_after_hours_list(e, &n, p, 2, 0, SB_AFTER_HOURS_PAGE_MAX + 1), SB_EINVAL, "max");
	test_expect_error(p, sb_after_hours_list(e, &n, p, 2, -1, 4), SB_EINVAL, "before_id");
	test_expect_error(p, sb_after_hours_list(e, &n, p, 99, 0, 4), SB_EDENIED, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_once_per_period, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reply_or_alerts_alone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_number_hours, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failures_are_retried, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_alert, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unjudged_hours_keep_the_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_visibility, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
