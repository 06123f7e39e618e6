/* Scheduled automated texts (A3): from the business number at their time,
 * listed, rescheduled and cancelled cleanly, missed by the documented rule,
 * and sent exactly once even with two processes pumping at once. */
#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOUR INT64_C(3600000)
#define T0 INT64_C(1773140400000) /* 2026-03-10 11:00 UTC */
#define PATIENT "+14155550171"
#define BODY "Reminder: your appointment is tomorrow at 9:30"

static const unsigned char key[SB_KEY_BYTES] = "schedule-key-schedule-key-sched";

typedef struct world {
	test_world base;
	sb_id contact;
} world;

static int setup(void **state)
{
	int rc = test_world_open(state, key, sizeof(world));
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id address;
	assert_int_equal(sb_contact_create(&w->contact, p, 2, "Pat"), SB_OK);
	assert_int_equal(sb_contact_add_address(&address, p, 2, w->contact, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	w->base.f->clock.now = T0;
	w->base.f->carrier.count = 0;
	return rc;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static sb_scheduled_sms reminder(world *w, int64_t due)
{
	sb_scheduled_sms s;
	sb_scheduled_sms_init(&s);
	s.endpoint = w->base.front;
	s.contact = w->contact;
	s.body = BODY;
	s.purpose = SB_PURPOSE_REMINDER;
	s.due_at = due;
	return s;
}

static sb_id schedule(world *w, int64_t due)
{
	sb_scheduled_sms s = reminder(w, due);
	sb_id id = 0;
	assert_int_equal(sb_schedule_create(&id, w->base.f->p, 2, &s), SB_OK);
	return id;
}

static sb_pump_report pump(world *w)
{
	sb_pump_report r;
	assert_int_equal(sb_schedule_pump(&r, w->base.f->p, 50), SB_OK);
	return r;
}

static int state_of(world *w, sb_id id)
{
	sb_scheduled s;
	assert_int_equal(sb_schedule_get(&s, w->base.f->p, 2, id), SB_OK);
	return s.state;
}

static void test_sent_on_time(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	test_carrier *c = &w->base.f->carrier;
	sb_id id = schedule(w, T0 + HOUR);
	assert_string_equal(c->log[0], "timer_start sb.schedule 1773144000000"); /* the host is asked to wake us */
	sb_pump_report r = pump(w);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.next_due, T0 + HOUR);
	assert_int_equal(state_of(w, id), SB_SCHEDULE_PENDING);
	w->base.f->clock.now = T0 + HOUR;
	c->count = 0;
	r = pump(w);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.next_due, 0);
	assert_int_equal(c->count, 2);
	char want[256];
	snprintf(want, sizeof want, "send_sms from=%s to=%s body=%s key=sb-schedule-%lld media=0:", TEST_FRONT, PATIENT,
	         BODY, (long long)id);
	assert_string_equal(c->log[0], want);
	assert_string_equal(c->log[1], "timer_stop sb.schedule"); /* nothing else waits */
	sb_scheduled s;
	assert_int_equal(sb_schedule_get(&s, p, 2, id), SB_OK);
	assert_int_equal(s.state, SB_SCHEDULE_SENT);
	assert_int_equal(s.purpose, SB_PURPOSE_REMINDER);
	assert_int_not_equal(s.item_id, 0);
	assert_int_not_equal(s.conversation_id, 0);
	assert_int_equal(s.message_status, SB_STATUS_QUEUED);
	assert_int_equal(s.expires_at, T0 + HOUR + SB_SCHEDULE_GRACE_MS);
	/* Pumping again sends nothing. */
	r = pump(w);
	assert_int_equal(r.sent, 0);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_item WHERE direction = 2"), 1);
	assert_int_equal(test_value(w->base.f->path, "SELECT author FROM sb_item WHERE direction = 2"), SB_ACTOR_SYSTEM);
	test_expect_error(p, sb_schedule_cancel(p, 2, id), SB_ESTATE, "no longer waiting");
	test_expect_error(p, sb_schedule_reschedule(p, 2, id, T0 + 5 * HOUR, 0), SB_ESTATE, "no longer waiting");
	/* PHI sealed at rest. */
	assert_false(test_store_contains(w->base.f->path, "appointment is tomorrow"));
}

static void test_to_a_number_list_reschedule_cancel(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_scheduled_sms s = reminder(w, T0 + 3 * HOUR);
	s.contact = 0;
	s.to = "(415) 555-0172";
	s.purpose = SB_PURPOSE_CONFIRMATION;
	sb_id to_number, first = schedule(w, T0 + 2 * HOUR), last = schedule(w, T0 + 4 * HOUR);
	assert_int_equal(sb_schedule_create(&to_number, p, 2, &s), SB_OK);
	sb_scheduled list[4];
	size_t n;
	assert_int_equal(sb_schedule_list(list, &n, p, 2, SB_SCHEDULE_PENDING, 0, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, first);
	assert_int_equal(list[1].id, to_number);
	assert_int_equal(list[1].contact_id, 0);
	assert_int_equal(sb_schedule_list(list, &n, p, 2, 0, to_number, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, last);
	/* Move the last before the first; cancel the first. */
	assert_int_equal(sb_schedule_reschedule(p, 2, last, T0 + HOUR, T0 + 2 * HOUR), SB_OK);
	assert_int_equal(sb_schedule_cancel(p, 3, first), SB_OK);
	test_expect_error(p, sb_schedule_cancel(p, 3, first), SB_ESTATE, "no longer waiting");
	assert_int_equal(sb_schedule_list(list, &n, p, 2, SB_SCHEDULE_PENDING, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, last);
	assert_int_equal(list[0].expires_at, T0 + 2 * HOUR);
	w->base.f->clock.now = T0 + 5 * HOUR;
	w->base.f->carrier.count = 0;
	sb_pump_report r = pump(w);
	assert_int_equal(r.sent, 1);   /* to the number */
	assert_int_equal(r.missed, 1); /* `last` expired at T0 + 2h */
	assert_non_null(strstr(w->base.f->carrier.log[0], "to=+14155550172"));
	assert_int_equal(state_of(w, first), SB_SCHEDULE_CANCELLED);
	assert_int_equal(state_of(w, last), SB_SCHEDULE_MISSED);
	assert_int_equal(state_of(w, to_number), SB_SCHEDULE_SENT);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'schedule.missed'"), 1);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'schedule.cancel'"), 1);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'schedule.change'"), 1);
}

/* Down for the night: within the grace a text still goes; past it, missed. */
static void test_missed_rule(void **state)
{
	world *w = *state;
	sb_id late = schedule(w, T0), too_late = schedule(w, T0 - HOUR);
	w->base.f->clock.now = T0 - HOUR + SB_SCHEDULE_GRACE_MS + 1;
	sb_pump_report r = pump(w);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.missed, 1);
	assert_int_equal(state_of(w, late), SB_SCHEDULE_SENT);
	assert_int_equal(state_of(w, too_late), SB_SCHEDULE_MISSED);
}

static void test_failures(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id refused = schedule(w, T0);
	sb_id retired = 0;
	sb_scheduled_sms s = reminder(w, T0);
	s.endpoint = w->base.billing;
	assert_int_equal(sb_schedule_create(&retired, p, 2, &s), SB_OK);
	assert_int_equal(sb_endpoint_retire(p, 1, w->base.billing), SB_OK);
	w->base.f->carrier.fail_with = -1;
	sb_pump_report r = pump(w);
	assert_int_equal(r.failed, 2);
	sb_scheduled got;
	assert_int_equal(sb_schedule_get(&got, p, 2, refused), SB_OK);
	assert_int_equal(got.state, SB_SCHEDULE_FAILED);
	assert_int_equal(got.message_status, SB_STATUS_FAILED); /* stored: sb_sms_retry() sends it again */
	assert_int_equal(sb_schedule_get(&got, p, 2, retired), SB_OK);
	assert_int_equal(got.state, SB_SCHEDULE_FAILED);
	assert_int_equal(got.item_id, 0);
	w->base.f->carrier.fail_with = 0;
	sb_sent sent;
	assert_int_equal(sb_schedule_get(&got, p, 2, refused), SB_OK);
	assert_int_equal(sb_sms_retry(&sent, p, 2, got.item_id), SB_OK);
	assert_int_equal(sb_schedule_get(&got, p, 2, refused), SB_OK);
	assert_int_equal(got.message_status, SB_STATUS_QUEUED);
	/* No send_sms: nothing is claimed. */
	w->base.f->carrier.count = 0;
	test_expect_error(p, sb_schedule_pump(&r, p, 0), SB_EINVAL, "max");
	test_expect_error(p, sb_schedule_pump(NULL, p, 1), SB_EINVAL, "out");
}

/* A pump that died after its claim: the next takes the text once stale,
 * and its key finds the message if it was stored. */
static void test_stale_claim(void **state)
{
	world *w = *state;
	char sql[160];
	sb_id id = schedule(w, T0);
	snprintf(sql, sizeof sql, "UPDATE sb_schedule SET state = 2, claimed_at = %lld", (long long)(T0 - 60000));
	assert_int_equal(test_sql(w->base.f->path, sql), 0);
	sb_pump_report r = pump(w);
	assert_int_equal(r.sent, 0); /* it may still be going */
	w->base.f->clock.now = T0 + SB_OUTBOX_STALE_MS;
	r = pump(w);
	assert_int_equal(r.sent, 1);
	assert_int_equal(state_of(w, id), SB_SCHEDULE_SENT);
	/* Died after the message was stored: found by its key, not sent again. */
	snprintf(sql, sizeof sql, "UPDATE sb_schedule SET state = 2, claimed_at = %lld", (long long)(T0 - 60000));
	assert_int_equal(test_sql(w->base.f->path, sql), 0);
	w->base.f->carrier.count = 0;
	w->base.f->clock.now = T0 + 2 * SB_OUTBOX_STALE_MS;
	r = pump(w);
	assert_int_equal(r.sent, 1);
	assert_int_equal(w->base.f->carrier.count, 1); /* only timer_stop: no second text */
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_item WHERE direction = 2"), 1);
}

static void test_bad_input(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id id, bare, other;
	sb_scheduled got;
	sb_scheduled list[2];
	size_t n;
	assert_int_equal(sb_contact_create(&bare, p, 2, "No phone"), SB_OK);
	sb_id kept = schedule(w, T0 + HOUR);
	char *before = test_dump(w->base.f->path);
	sb_scheduled_sms s = reminder(w, T0);
	s.to = PATIENT;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "exactly one");
	s = reminder(w, T0);
	s.contact = 0;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "exactly one");
	s.to = "+442071234567";
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EPHONE, "NANP");
	s.to = "call me";
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EPHONE, "to");
	s = reminder(w, T0);
	s.contact = bare;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_ESTATE, "no phone number");
	s.contact = w->contact + 999;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_ENOTFOUND, "contact");
	s = reminder(w, 0);
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "due_at");
	s = reminder(w, T0);
	s.expires_at = T0;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "expires_at");
	s = reminder(w, T0);
	s.body = "";
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "body");
	s.body = "\xff";
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EUTF8, "body");
	s = reminder(w, T0);
	s.purpose = 9;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EINVAL, "purpose");
	s = reminder(w, T0);
	s.endpoint = w->base.front + 99;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_ENOTFOUND, "");
	s = reminder(w, T0);
	s.version = 2;
	test_expect_error(p, sb_schedule_create(&id, p, 2, &s), SB_EVERSION, "version");
	test_expect_error(p, sb_schedule_create(NULL, p, 2, &s), SB_EINVAL, "out_id");
	test_expect_error(p, sb_schedule_reschedule(p, 2, kept, 0, 0), SB_EINVAL, "due_at");
	test_expect_error(p, sb_schedule_reschedule(p, 2, kept, T0 + HOUR, T0), SB_EINVAL, "expires_at");
	test_expect_error(p, sb_schedule_cancel(p, 2, kept + 99), SB_ENOTFOUND, "no such scheduled");
	test_expect_error(p, sb_schedule_get(&got, p, 2, kept + 99), SB_ENOTFOUND, "no such scheduled");
	test_expect_error(p, sb_schedule_list(list, &n, p, 2, 9, 0, 2), SB_EINVAL, "state");
	test_expect_error(p, sb_schedule_list(list, &n, p, 2, 0, kept + 99, 2), SB_ENOTFOUND, "after_id");
	test_expect_error(p, sb_schedule_list(list, &n, p, 2, 0, 0, SB_SCHEDULE_PAGE_MAX + 1), SB_EINVAL, "max");
	test_expect_dump(w->base.f->path, before);
	/* T8: only who sees the number schedules from it, or sees its texts. */
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->base.front, SB_OWNER_TEAMMATE, 5), SB_OK);
	s = reminder(w, T0);
	test_expect_error(p, sb_schedule_create(&other, p, 3, &s), SB_EDENIED, "");
	test_expect_error(p, sb_schedule_cancel(p, 3, kept), SB_EDENIED, "");
	test_expect_error(p, sb_schedule_get(&got, p, 3, kept), SB_EDENIED, "");
	assert_int_equal(sb_schedule_list(list, &n, p, 3, 0, 0, 2), SB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sb_schedule_list(list, &n, p, 5, 0, 0, 2), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, kept);
}

/* Scheduling with a key twice stores it once. */
static void test_host_key(void **state)
{
	world *w = *state;
	sb_scheduled_sms s = reminder(w, T0 + HOUR);
	s.idempotency_key = "appt-881-reminder";
	sb_id a = 0, b = 0;
	assert_int_equal(sb_schedule_create(&a, w->base.f->p, 2, &s), SB_OK);
	assert_int_equal(sb_schedule_create(&b, w->base.f->p, 2, &s), SB_OK);
	assert_int_equal(a, b);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_schedule"), 1);
}

/* --- two processes pumping at once --- */

#define TEXTS 40
#define PUMPS 3

static int log_fd = -1;

static int append_send(void *ud, const sb_sms *m, char *out_id, size_t cap)
{
	char line[160];
	(void)ud;
	int n = snprintf(line, sizeof line, "%s\n", m->idempotency_key);
	snprintf(out_id, cap, "%s", m->idempotency_key);
	return write(log_fd, line, (size_t)n) == n ? 0 : -1; /* O_APPEND: one whole line per write */
}

static int pumper(const char *path, int go_fd)
{
	char c;
	if (read(go_fd, &c, 1) != 1)
		return 10;
	test_clock clock;
	test_clock_init(&clock, T0 + HOUR);
	sb_carrier carrier = {SB_CARRIER_VERSION, NULL, append_send, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	                      NULL, NULL};
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.key = key;
	o.key_len = SB_KEY_BYTES;
	o.clock = &clock.clock;
	o.carrier = &carrier;
	sb_practice *p = NULL;
	if (sb_practice_open(&p, &o) != SB_OK)
		return 11;
	for (int idle = 0, tries = 0; idle < 2 && tries < 2000; tries++) {
		sb_pump_report r;
		int rc = sb_schedule_pump(&r, p, 3);
		if (rc == SB_EBUSY)
			continue; /* a host retries a busy store */
		if (rc != SB_OK) {
			fprintf(stderr, "pump: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
			sb_practice_free(p);
			return 12;
		}
		idle = r.sent + r.failed + r.missed ? 0 : idle + 1;
	}
	sb_practice_free(p);
	return 0;
}

static void test_double_pump(void **state)
{
	world *w = *state;
	for (int i = 0; i < TEXTS; i++)
		schedule(w, T0 + (i % 5) * 60000);
	char log_path[] = "/tmp/sb-pump-XXXXXX";
	log_fd = mkstemp(log_path);
	assert_true(log_fd >= 0);
	assert_int_equal(fcntl(log_fd, F_SETFL, O_APPEND), 0);
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t kids[PUMPS];
	for (int k = 0; k < PUMPS; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			close(go[1]);
			_exit(pumper(w->base.f->path, go[0]));
		}
	}
	close(go[0]);
	assert_int_equal(write(go[1], "ggg", PUMPS), PUMPS);
	close(go[1]);
	for (int k = 0; k < PUMPS; k++) {
		int status = 0;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("pump %d failed (status %d)", k + 1, status);
	}
	/* Every text went to the carrier exactly once. */
	FILE *f = fopen(log_path, "r");
	assert_non_null(f);
	char line[160];
	int lines = 0, seen[TEXTS + 1] = {0};
	while (fgets(line, sizeof line, f)) {
		long id = 0;
		assert_int_equal(sscanf(line, "sb-schedule-%ld", &id), 1);
		assert_true(id >= 1 && id <= TEXTS);
		seen[id]++;
		lines++;
	}
	fclose(f);
	close(log_fd);
	unlink(log_path);
	assert_int_equal(lines, TEXTS);
	for (int i = 1; i <= TEXTS; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_schedule WHERE state = 3"), TEXTS);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_item WHERE direction = 2"), TEXTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sent_on_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_to_a_number_list_reschedule_cancel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missed_rule, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_claim, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_double_pump, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
