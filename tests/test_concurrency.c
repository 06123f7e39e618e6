/*
 * Two host processes at once on one store (issue 26), as two app servers
 * behind a load balancer would be: the same redelivered inbound text and
 * the same status reports arriving at both (one message, status only
 * forward); two admins demoting each other (an admin remains); both
 * sending one bulk message (one copy to each recipient). Each scenario runs
 * many rounds, the two processes released together. SQLite and PostgreSQL.
 */
#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 15
#define RECIPIENTS 12

typedef struct shared {
	char *path;
	char sends[512]; /* the file both processes' carriers append each text's recipient to */
	sb_id front, bulk;
} shared;

static shared S;

static int append_send(void *ud, const sb_sms *m, char *out, size_t cap)
{
	static int n;
	(void)ud;
	int fd = open(S.sends, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd < 0)
		return -1;
	char line[64];
	int len = snprintf(line, sizeof line, "%s\n", m->to);
	int ok = write(fd, line, (size_t)len) == len;
	close(fd);
	snprintf(out, cap, "SMC%d-%d", (int)getpid(), ++n);
	return ok ? 0 : -1;
}

static sb_practice *open_host(void)
{
	static sb_carrier carrier;
	carrier.version = SB_CARRIER_VERSION;
	carrier.send_sms = append_send;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = S.path;
	o.practice = "Twin Clinic";
	o.carrier = &carrier;
	sb_practice *p = NULL;
	if (sb_practice_open(&p, &o) != SB_OK) {
		fprintf(stderr, "open: %s\n", sb_practice_errmsg(p));
		sb_practice_free(p);
		return NULL;
	}
	return p;
}

/* A call retried while the store is busy, as a host does (F5). */
#define RETRY(call)                       \
	do {                                  \
		rc = (call);                      \
	} while (rc == SB_EBUSY)

typedef int (*scenario)(sb_practice *p, int who, int round);

/* Run `fn` in two processes released at once; each exits 0 or a reason. */
static void twins(scenario fn, int round)
{
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t kid[2];
	for (int who = 0; who < 2; who++) {
		kid[who] = fork();
		assert_true(kid[who] >= 0);
		if (kid[who] == 0) {
			close(go[1]);
			char c;
			sb_practice *p = open_host();
			int rc = p && read(go[0], &c, 1) == 1 ? fn(p, who, round) : 99;
			sb_practice_free(p);
			_exit(rc);
		}
	}
	close(go[0]);
	assert_int_equal(write(go[1], "gg", 2), 2);
	close(go[1]);
	for (int who = 0; who < 2; who++) {
		int status = 0;
		assert_int_equal(waitpid(kid[who], &status, 0), kid[who]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("round %d, process %d failed: status %d", round, who, status);
	}
}

/* --- the same inbound text and the same status reports at both --- */

static int same_events(sb_practice *p, int who, int round)
{
	char sid[32], carrier_id[32];
	snprintf(sid, sizeof sid, "SM-in-%d", round);
	sb_delivery d;
	int rc;
	RETRY(test_receive(p, &d, "+14155550123", TEST_FRONT, "are you open?", sid));
	if (rc != SB_OK)
		return 1;
	/* The reports for the round's outbound text, in opposite orders. */
	int applied = 0;
	const int order[2][2] = {{SB_STATUS_SENT, SB_STATUS_DELIVERED}, {SB_STATUS_DELIVERED, SB_STATUS_SENT}};
	snprintf(carrier_id, sizeof carrier_id, "SMOUT-%d", round);
	for (int i = 0; i < 2; i++) {
		RETRY(sb_sms_status(&applied, p, carrier_id, order[who][i], NULL));
		if (rc != SB_OK)
			return 2;
	}
	return 0;
}

static void test_same_events_at_both(void **state)
{
	(void)state;
	sb_practice *p = open_host();
	assert_non_null(p);
	for (int round = 0; round < ROUNDS; round++) {
		/* an outbound text the carrier knows as SMOUT-<round> */
		sb_outbound_sms m;
		sb_outbound_sms_init(&m);
		m.endpoint = S.front;
		m.to = "+14155550124";
		m.body = "your appointment";
		sb_sent sent;
		assert_int_equal(sb_sms_send(&sent, p, 1, &m), SB_OK);
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE sb_item SET carrier_id = 'SMOUT-%d' WHERE id = %lld", round,
		         (long long)sent.item_id);
		assert_int_equal(test_sql(S.path, sql), 0);
		twins(same_events, round);
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sb_item WHERE carrier_id = 'SM-in-%d'", round);
		assert_int_equal(test_value(S.path, sql), 1); /* one message */
		sb_item it;
		assert_int_equal(sb_item_get(&it, p, 1, sent.item_id), SB_OK);
		assert_int_equal(it.status, SB_STATUS_DELIVERED); /* never back to SENT */
	}
	sb_practice_free(p);
}

/* --- two admins demoting each other --- */

static int demote_other(sb_practice *p, int who, int round)
{
	(void)round;
	sb_id me = who ? 3 : 2, other = who ? 2 : 3;
	int rc;
	RETRY(sb_teammate_set_admin(p, me, other, 0));
	return rc == SB_OK || rc == SB_ESTATE || rc == SB_EDENIED ? 0 : 1;
}

static void test_admins_demoting_each_other(void **state)
{
	(void)state;
	sb_practice *p = open_host();
	assert_non_null(p);
	for (int round = 0; round < ROUNDS; round++) {
		int rc;
		RETRY(sb_teammate_set_admin(p, SB_ACTOR_SYSTEM, 2, 1));
		assert_int_equal(rc, SB_OK);
		RETRY(sb_teammate_set_admin(p, SB_ACTOR_SYSTEM, 3, 1));
		assert_int_equal(rc, SB_OK);
		RETRY(sb_teammate_set_admin(p, SB_ACTOR_SYSTEM, 1, 0));
		assert_true(rc == SB_OK || rc == SB_ESTATE);
		twins(demote_other, round);
		int64_t admins = test_value(S.path, "SELECT COUNT(*) FROM sb_teammate WHERE admin = 1 AND status = 2");
		if (admins < 1)
			fail_msg("round %d: no admin left", round);
	}
	sb_practice_free(p);
}

/* --- both sending one bulk message --- */

static int send_bulk(sb_practice *p, int who, int round)
{
	(void)who, (void)round;
	sb_bulk b;
	int rc;
	do {
		RETRY(sb_bulk_send(&b, p, 1, S.bulk, 3)); /* small pages: the two interleave */
		if (rc != SB_OK)
			return 1;
	} while (b.pending > 0);
	return 0;
}

static void test_one_bulk_from_both(void **state)
{
	(void)state;
	sb_practice *p = open_host();
	assert_non_null(p);
	for (int i = 0; i < RECIPIENTS; i++) {
		sb_id c, a;
		char number[16];
		snprintf(number, sizeof number, "+141555502%02d", i);
		assert_int_equal(sb_contact_create(&c, p, 1, "Patient"), SB_OK);
		assert_int_equal(sb_contact_add_address(&a, p, 1, c, SB_ADDRESS_PHONE, number), SB_OK);
		assert_int_equal(sb_tag_add(p, 1, SB_TAGS_OF_CONTACT, c, "Flu"), SB_OK);
	}
	sb_tag tags[2];
	size_t n;
	assert_int_equal(sb_tag_list(tags, &n, p, 1, SB_TAG_CONTACT, 0, 2), SB_OK);
	sb_filter f;
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.tags[f.tag_count++] = tags[0].id;
	assert_int_equal(sb_bulk_create(&S.bulk, p, 1, S.front, "Flu shots are in", &f), SB_OK);
	unlink(S.sends);
	twins(send_bulk, 0);
	/* One copy each, at the carrier and in the store. */
	FILE *log = fopen(S.sends, "r");
	assert_non_null(log);
	char line[64];
	int seen[RECIPIENTS] = {0}, total = 0;
	while (fgets(line, sizeof line, log)) {
		int i = atoi(line + 10);
		assert_true(i >= 0 && i < RECIPIENTS);
		seen[i]++;
		total++;
	}
	fclose(log);
	assert_int_equal(total, RECIPIENTS);
	for (int i = 0; i < RECIPIENTS; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(test_value(S.path, "SELECT COUNT(*) FROM sb_bulk_recipient WHERE item_id IS NOT NULL"),
	                 RECIPIENTS);
	sb_practice_free(p);
}

static int setup(void **state)
{
	(void)state;
	S.path = test_db_path();
	snprintf(S.sends, sizeof S.sends, "/tmp/sb-twins-%d.log", (int)getpid());
	sb_practice *p = open_host();
	assert_non_null(p);
	test_add_teammates(p, 3);
	assert_int_equal(sb_business_number_create(&S.front, p, 1, TEST_FRONT, "Front"), SB_OK);
	sb_practice_free(p);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(S.sends);
	test_db_remove(S.path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_same_events_at_both, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_admins_demoting_each_other, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_bulk_from_both, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
