/*
 * kill -9 (issue 26): a host ingesting texts is killed at random moments, 20
 * times over, on one store. Every text the library acknowledged (its call
 * returned SB_OK) must be there exactly once; the text in flight when the
 * host died is there at most once, and its redelivery by the next host is
 * taken once (C15); the store passes its integrity check and the audit
 * chain verifies. Runs on a SQLite file and on PostgreSQL.
 */
#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRIALS 20
#define CLINIC "Crash Clinic"

static const unsigned char key[SB_KEY_BYTES] = "crash-key-crash-key-crash-key-c";

static sb_practice *open_clinic(const char *path)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = CLINIC;
	o.key = key;
	o.key_len = SB_KEY_BYTES;
	sb_practice *p = NULL;
	if (sb_practice_open(&p, &o) != SB_OK) {
		fprintf(stderr, "open: %s\n", sb_practice_errmsg(p));
		sb_practice_free(p);
		return NULL;
	}
	return p;
}

/* Child: ingest texts K-<from>, K-<from+1>, … forever, writing each id's
 * number to `ack` once the library has acknowledged it. */
static int host(const char *path, int ack, long from)
{
	sb_practice *p = open_clinic(path);
	if (!p)
		return 10;
	for (long i = from;; i++) {
		char sid[32], body[64];
		snprintf(sid, sizeof sid, "K-%06ld", i);
		snprintf(body, sizeof body, "crash test text %ld", i);
		sb_delivery d;
		int rc;
		do
			rc = test_receive(p, &d, "+14155550123", TEST_FRONT, body, sid);
		while (rc == SB_EBUSY);
		if (rc != SB_OK) {
			fprintf(stderr, "host: %s: %s (%s)\n", sid, sb_strerror(rc), sb_practice_errmsg(p));
			return 11;
		}
		char line[16];
		int n = snprintf(line, sizeof line, "%06ld\n", i);
		if (write(ack, line, (size_t)n) != n)
			return 12;
	}
}

/* Read what has arrived on the pipe; *acked becomes the highest id + 1. */
static void drain(int fd, long *acked, char *partial, size_t *plen)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				partial[*plen] = '\0';
				*acked = atol(partial) + 1;
				*plen = 0;
			} else if (*plen < 15) {
				partial[(*plen)++] = buf[i];
			}
		}
	}
}

/* One trial: a host from `*acked` on, killed once it has acknowledged
 * `target` more texts and a few random microseconds have passed. */
static void trial(const char *path, long *acked, unsigned *seed)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	long from = *acked, target = from + 1 + (long)(rand_r(seed) % 40);
	pid_t kid = fork();
	assert_true(kid >= 0);
	if (kid == 0) {
		close(fds[0]);
		_exit(host(path, fds[1], from));
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	char partial[16];
	size_t plen = 0;
	struct timespec tick = {0, 200000};
	int status = 0;
	for (int waited = 0; *acked < target; waited++) {
		drain(fds[0], acked, partial, &plen);
		if (waitpid(kid, &status, WNOHANG) == kid)
			fail_msg("the host exited by itself (status %d) after %ld texts", status, *acked);
		if (waited > 150000) /* 30 s */
			fail_msg("the host made no progress");
		nanosleep(&tick, NULL);
	}
	struct timespec moment = {0, (long)(rand_r(seed) % 3000) * 1000};
	nanosleep(&moment, NULL);
	assert_int_equal(kill(kid, SIGKILL), 0);
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	fcntl(fds[0], F_SETFL, 0);
	drain(fds[0], acked, partial, &plen); /* what it wrote before it died */
	close(fds[0]);
}

/* Every acknowledged text once; beyond them, at most the one in flight. */
static void check(const char *path, long acked)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sb_item WHERE carrier_id LIKE 'K-%%' AND carrier_id < 'K-%06ld'",
	         acked);
	assert_int_equal(test_value(path, sql), acked);
	int64_t all = test_value(path, "SELECT COUNT(*) FROM sb_item WHERE carrier_id LIKE 'K-%'");
	if (all != acked && all != acked + 1)
		fail_msg("%lld texts stored for %ld acknowledged", (long long)all, acked);
	if (!test_is_postgres(path))
		assert_int_equal(test_value(path, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"),
		                 0);
}

static void test_killed_mid_ingest(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *p = open_clinic(path);
	assert_non_null(p);
	test_add_teammates(p, 2);
	sb_id front;
	assert_int_equal(sb_business_number_create(&front, p, 1, TEST_FRONT, "Front desk"), SB_OK);
	sb_practice_free(p);
	unsigned seed = (unsigned)time(NULL);
	print_message("seed %u\n", seed);
	long acked = 0;
	for (int t = 0; t < TRIALS; t++) {
		trial(path, &acked, &seed);
		check(path, acked);
	}
	/* The chain of every audited step verifies, after twenty deaths. */
	p = open_clinic(path);
	assert_non_null(p);
	int64_t rows = 0;
	int rc = sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM);
	if (rc != SB_OK)
		fail_msg("audit: %s (%s)", sb_strerror(rc), sb_practice_errmsg(p));
	assert_true(rows > acked);
	print_message("%d kills, %ld texts acknowledged, %lld audit rows verified\n", TRIALS, acked, (long long)rows);
	sb_practice_free(p);
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_killed_mid_ingest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
