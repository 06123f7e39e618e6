/*
 * Threads (issue 26), used exactly as practice.h documents: one handle per
 * thread, several threads on one store at once, and the pure functions
 * (phone.h, sb_strerror) from any thread. Each thread ingests texts from
 * its own patients, replays one of another thread's (C15), reads its
 * timelines and parses numbers. Nothing may be lost, duplicated or torn,
 * and the audit chain verifies. `make test` also runs it under
 * ThreadSanitizer (build-tsan), which fails on any data race.
 */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define TEXTS 40

static const unsigned char key[SB_KEY_BYTES] = "threads-key-threads-key-threads";

typedef struct worker {
	const char *path;
	int who;
	int failures;
	char why[200];
} worker;

static sb_practice *open_clinic(const char *path)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = "Thread Clinic";
	o.key = key;
	o.key_len = SB_KEY_BYTES;
	sb_practice *p = NULL;
	if (sb_practice_open(&p, &o) != SB_OK) {
		sb_practice_free(p);
		return NULL;
	}
	return p;
}

static void failed(worker *w, const char *what, sb_practice *p, int rc)
{
	if (!w->failures++)
		snprintf(w->why, sizeof w->why, "thread %d: %s: %s (%s)", w->who, what, sb_strerror(rc),
		         p ? sb_practice_errmsg(p) : "");
}

/* Busy is the one answer a writer retries (F5). */
static int receive(sb_practice *p, sb_delivery *d, const char *from, const char *body, const char *sid)
{
	int rc;
	do
		rc = test_receive(p, d, from, TEST_FRONT, body, sid);
	while (rc == SB_EBUSY);
	return rc;
}

static void *work(void *arg)
{
	worker *w = arg;
	sb_practice *p = open_clinic(w->path);
	if (!p) {
		failed(w, "open", NULL, SB_ERROR);
		return NULL;
	}
	for (int i = 0; i < TEXTS && !w->failures; i++) {
		char from[32], body[64], sid[32];
		snprintf(from, sizeof from, "+1415555%02d%02d", 10 + w->who, i % 20);
		snprintf(body, sizeof body, "thread %d text %d", w->who, i);
		snprintf(sid, sizeof sid, "T%d-%d", w->who, i);
		sb_delivery d;
		int rc = receive(p, &d, from, body, sid); /* a duplicate when a replay came first */
		if (rc != SB_OK)
			failed(w, "receive", p, rc);
		/* another thread's text, delivered again here: taken once */
		snprintf(sid, sizeof sid, "T%d-%d", (w->who + 1) % THREADS, i / 2);
		sb_delivery again;
		rc = receive(p, &again, "+14155550199", "a replay", sid);
		if (rc != SB_OK)
			failed(w, "replay", p, rc);
		sb_item items[4];
		size_t n = 0;
		rc = sb_timeline_page(items, &n, p, SB_ACTOR_SYSTEM, d.conversation_id, 0, 4);
		if (rc != SB_OK || n == 0)
			failed(w, "timeline", p, rc);
		sb_phone ph; /* pure: safe from any thread */
		if (sb_phone_parse(&ph, from) != SB_OK || strcmp(ph.number, from) != 0)
			failed(w, "phone", p, SB_EPHONE);
	}
	sb_practice_free(p);
	return NULL;
}

static void test_handles_on_threads(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *p = open_clinic(path);
	assert_non_null(p);
	sb_id front;
	assert_int_equal(sb_business_number_create(&front, p, SB_ACTOR_SYSTEM, TEST_FRONT, "Front"), SB_OK);
	sb_practice_free(p);
	pthread_t t[THREADS];
	worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (worker){path, i, 0, ""};
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		if (w[i].failures)
			fail_msg("%s", w[i].why);
	}
	/* Every text once: the replays found their first delivery or came first. */
	int64_t texts = test_value(path, "SELECT COUNT(*) FROM sb_item WHERE carrier_id LIKE 'T%'");
	assert_int_equal(texts, THREADS * TEXTS);
	p = open_clinic(path);
	assert_non_null(p);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	sb_practice_free(p);
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handles_on_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
