/*
 * Several processes, each with its own handle, at once on one store: on a
 * fresh store they all migrate and create the same practice at the same
 * moment, then write into it concurrently. Nothing may be lost, duplicated
 * or forked: one schema, one practice, every write counted once, and an
 * intact audit chain. Runs on a SQLite file and on PostgreSQL.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRITERS 4
#define WRITES 150

/* Child: wait for the start signal, then open and write; exit 0 on success. */
static int writer(const char *path, int go_fd, int who)
{
	char c;
	if (read(go_fd, &c, 1) != 1)
		return 10;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = "Race Clinic";
	sb_practice *p = NULL;
	int rc = sb_practice_open(&p, &o);
	if (rc != SB_OK) {
		fprintf(stderr, "writer %d: open: %s (%s)\n", who, sb_strerror(rc), sb_practice_errmsg(p));
		sb_practice_free(p);
		return 11;
	}
	for (int i = 0; i < WRITES; i++) {
		/* Writers retry SB_EBUSY, as a host should; anything else is a failure. */
		int tries = 0;
		do
			rc = sb_audit_record(p, SB_ACTOR_SYSTEM, "race.write", "contact", (sb_id)(who * 100000 + i));
		while (rc == SB_EBUSY && ++tries < 50);
		if (rc != SB_OK) {
			fprintf(stderr, "writer %d: write %d: %s (%s)\n", who, i, sb_strerror(rc), sb_practice_errmsg(p));
			sb_practice_free(p);
			return 12;
		}
	}
	sb_practice_free(p);
	return 0;
}

static void test_concurrent_open_and_write(void **state)
{
	(void)state;
	char *path = test_db_path();
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t kids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		kids[w] = fork();
		assert_true(kids[w] >= 0);
		if (kids[w] == 0) {
			close(go[1]);
			_exit(writer(path, go[0], w + 1));
		}
	}
	close(go[0]);
	/* Release them together: every open races on a store with no schema. */
	char start[WRITERS];
	memset(start, 'g', sizeof start);
	assert_int_equal(write(go[1], start, sizeof start), WRITERS);
	close(go[1]);
	for (int w = 0; w < WRITERS; w++) {
		int status = 0;
		assert_int_equal(waitpid(kids[w], &status, 0), kids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("writer %d failed (status %d)", w + 1, status);
	}

	assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_schema"), 1);
	assert_true(test_value(path, "SELECT version FROM sb_schema") > 0); /* migrated once, whole */
	assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_practice"), 1);
	assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'practice.create'"), 1);
	assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'race.write'"),
	                 WRITERS * WRITES);
	assert_int_equal(test_value(path, "SELECT COUNT(DISTINCT object_id) FROM sb_audit WHERE action = 'race.write'"),
	                 WRITERS * WRITES);
	assert_int_equal(test_value(path, "SELECT audit_seq FROM sb_practice"), 1 + WRITERS * WRITES);

	sb_practice *p = test_open(path, "Race Clinic", NULL, NULL);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	assert_int_equal(rows, 1 + WRITERS * WRITES);
	sb_practice_free(p);
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_open_and_write),
	};
	return cmocka_run_group_tests_name(strcmp(test_engine(), "postgres") == 0 ? "race (postgres)" : "race (sqlite)",
	                                   tests, NULL, NULL);
}
