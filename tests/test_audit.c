/* The audit trail (audit.h): recording, reading, and the hash chain's tamper checks. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "audit-key-audit-key-audit-key-12";

typedef test_fixture fixture;

static int setup(void **state)
{
	return test_fixture_open(state, NULL, 1000);
}

static int setup_keyed(void **state)
{
	return test_fixture_open(state, key, 1000);
}

static int teardown(void **state)
{
	return test_fixture_close(state);
}

static void record_three(fixture *f)
{
	f->clock.now = 2000;
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 42), SB_OK);
	f->clock.now = 3000;
	assert_int_equal(sb_audit_record(f->p, 12, "chart.print", "contact", 43), SB_OK);
	f->clock.now = 4000;
	assert_int_equal(sb_audit_record(f->p, SB_ACTOR_SYSTEM, "sync.done", "practice", 0), SB_OK);
}

static void test_record_and_read(void **state)
{
	fixture *f = *state;
	int64_t b = f->audit_base; /* practice.create and the fixture's teammate.add entries */
	record_three(f);
	sb_audit_entry e[SB_AUDIT_READ_MAX];
	size_t n = 99;
	assert_int_equal(sb_audit_read(e, &n, f->p, 11, 0, SB_AUDIT_READ_MAX), SB_OK);
	assert_int_equal(n, b + 3);
	assert_int_equal(e[0].seq, 1);
	assert_string_equal(e[0].action, "practice.create");
	assert_int_equal(e[0].object_id, sb_practice_id(f->p));
	assert_int_equal(e[0].at, 1000);
	assert_string_equal(e[1].action, "teammate.add");
	assert_int_equal(e[b].seq, b + 1);
	assert_int_equal(e[b].at, 2000);
	assert_int_equal(e[b].actor, 11);
	assert_string_equal(e[b].action, "chart.export");
	assert_string_equal(e[b].object_kind, "contact");
	assert_int_equal(e[b].object_id, 42);
	assert_int_equal(e[b + 2].actor, SB_ACTOR_SYSTEM);

	/* Paging: after a seq, at most max; the first read was itself recorded. */
	assert_int_equal(sb_audit_read(e, &n, f->p, 11, b + 1, 1), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].seq, b + 2);
	assert_int_equal(sb_audit_read(e, &n, f->p, 11, b + 3, 10), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].action, "audit.read");
	assert_int_equal(e[0].actor, 11);
	assert_int_equal(sb_audit_read(e, &n, f->p, 11, 1000, 10), SB_OK);
	assert_int_equal(n, 0);
}

static void test_bad_input(void **state)
{
	fixture *f = *state;
	sb_practice *p = f->p;
	assert_int_equal(sb_audit_record(NULL, 1, "a", "b", 0), SB_EINVAL);
	assert_int_equal(sb_audit_record(p, 1, NULL, "contact", 0), SB_EINVAL);
	assert_int_equal(sb_audit_record(p, 1, "chart.view", NULL, 0), SB_EINVAL);
	assert_int_equal(sb_audit_record(p, 1, "", "contact", 0), SB_EINVAL);
	/* Free text (and so PHI) cannot reach the trail. */
	assert_int_equal(sb_audit_record(p, 1, "Viewed Jane Doe", "contact", 0), SB_EINVAL);
	assert_null(strstr(sb_practice_errmsg(p), "Jane"));
	assert_int_equal(sb_audit_record(p, 1, "chart.view", "contact.x", 0), SB_EINVAL);
	assert_int_equal(sb_audit_record(p, 1, "chart\xc3\xa9", "contact", 0), SB_EINVAL);
	char long_action[SB_AUDIT_ACTION_MAX + 1];
	memset(long_action, 'a', SB_AUDIT_ACTION_MAX);
	long_action[SB_AUDIT_ACTION_MAX] = '\0';
	assert_int_equal(sb_audit_record(p, 1, long_action, "contact", 0), SB_ETOOBIG);
	long_action[SB_AUDIT_ACTION_MAX - 1] = '\0'; /* 63 bytes fit */
	assert_int_equal(sb_audit_record(p, 1, long_action, "contact", 0), SB_OK);
	assert_int_equal(sb_audit_record(p, -1, "chart.view", "contact", 0), SB_EINVAL);
	assert_int_equal(sb_audit_record(p, 1, "chart.view", "contact", -5), SB_EINVAL);

	sb_audit_entry e[2];
	size_t n;
	assert_int_equal(sb_audit_read(NULL, &n, p, 1, 0, 2), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, NULL, p, 1, 0, 2), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, &n, NULL, 1, 0, 2), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, &n, p, 1, 0, 0), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, &n, p, 1, 0, SB_AUDIT_READ_MAX + 1), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, &n, p, 1, -1, 2), SB_EINVAL);
	assert_int_equal(sb_audit_read(e, &n, p, -1, 0, 2), SB_EINVAL);
	assert_int_equal(sb_audit_verify(NULL, NULL, 1), SB_EINVAL);
	assert_int_equal(sb_audit_verify(NULL, p, -1), SB_EINVAL);
	/* None of the refusals was recorded. */
	int64_t rows;
	assert_int_equal(sb_audit_verify(&rows, p, 1), SB_OK);
	assert_int_equal(rows, f->audit_base + 1); /* the fixture's entries + the 63-byte action */
}

static void test_head(void **state)
{
	fixture *f = *state;
	int64_t head = -1;
	assert_int_equal(sb_audit_head(&head, f->p), SB_OK);
	assert_int_equal(head, f->audit_base);
	record_three(f);
	assert_int_equal(sb_audit_head(&head, f->p), SB_OK);
	assert_int_equal(head, f->audit_base + 3);
	assert_int_equal(sb_audit_head(&head, f->p), SB_OK); /* not recorded itself */
	assert_int_equal(head, f->audit_base + 3);
	assert_int_equal(sb_audit_head(NULL, f->p), SB_EINVAL);
	assert_int_equal(sb_audit_head(&head, NULL), SB_EINVAL);
}

static int64_t head_of(fixture *f)
{
	int64_t seq = -1;
	assert_int_equal(sb_audit_head(&seq, f->p), SB_OK);
	return seq;
}

/* A host transaction's entries chain on one tip that is written back at its
 * commit; an inner rollback takes its entries away and the chain goes on
 * from before them; a whole rollback leaves the committed head. */
static void test_tip_in_host_transaction(void **state)
{
	fixture *f = *state;
	int64_t base = head_of(f), rows = 0;
	assert_int_equal(sb_practice_begin(f->p), SB_OK);
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 1), SB_OK);
	assert_int_equal(head_of(f), base + 1);
	assert_int_equal(sb_practice_begin(f->p), SB_OK);
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 2), SB_OK);
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 3), SB_OK);
	assert_int_equal(head_of(f), base + 3);
	assert_int_equal(sb_practice_rollback(f->p), SB_OK);
	assert_int_equal(head_of(f), base + 1);
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 4), SB_OK);
	assert_int_equal(sb_practice_commit(f->p), SB_OK);
	assert_int_equal(head_of(f), base + 2);

	assert_int_equal(sb_practice_begin(f->p), SB_OK);
	assert_int_equal(sb_audit_record(f->p, 11, "chart.export", "contact", 5), SB_OK);
	assert_int_equal(sb_practice_rollback(f->p), SB_OK);
	assert_int_equal(head_of(f), base + 2);

	assert_int_equal(sb_audit_verify(&rows, f->p, 11), SB_OK);
	assert_int_equal(rows, base + 2);
	sb_audit_entry e[2];
	size_t n = 0;
	assert_int_equal(sb_audit_read(e, &n, f->p, 11, base, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].object_id, 1);
	assert_int_equal(e[1].object_id, 4);
}

static void test_verify_counts(void **state)
{
	fixture *f = *state;
	record_three(f);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, f->p, 3), SB_OK);
	assert_int_equal(rows, f->audit_base + 3);
	assert_int_equal(sb_audit_verify(&rows, f->p, 3), SB_OK);
	assert_int_equal(rows, f->audit_base + 4); /* the first verify is on the trail */
	assert_int_equal(sb_audit_verify(NULL, f->p, 3), SB_OK);
}

/* SQL that lifts the store's guards on the trail, as someone with raw
 * access to the database could. */
static const char *unguard(const char *path)
{
	return test_is_postgres(path) ? "ALTER TABLE sb_audit DISABLE TRIGGER USER;"
	                              : "DROP TRIGGER sb_audit_no_update; DROP TRIGGER sb_audit_no_delete;";
}

/* The store refuses changes to the trail outright. */
static void test_append_only(void **state)
{
	fixture *f = *state;
	record_three(f);
	assert_int_not_equal(test_sql(f->path, "UPDATE sb_audit SET actor = 99 WHERE seq = 2"), 0);
	assert_int_not_equal(test_sql(f->path, "DELETE FROM sb_audit WHERE seq = 2"), 0);
	if (test_is_postgres(f->path))
		assert_int_not_equal(test_sql(f->path, "TRUNCATE sb_audit"), 0);
	assert_int_equal(sb_audit_verify(NULL, f->p, 1), SB_OK);
}

/* Someone with raw access to the file drops the guards and edits anyway. */
static void expect_tamper_found(fixture *f, const char *sql, const char *phrase)
{
	record_three(f);
	char script[512];
	snprintf(script, sizeof script, "%s %s", unguard(f->path), sql);
	assert_int_equal(test_sql(f->path, script), 0);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, f->p, 1), SB_ECORRUPT);
	if (!strstr(sb_practice_errmsg(f->p), phrase))
		fail_msg("errmsg \"%s\" lacks \"%s\"", sb_practice_errmsg(f->p), phrase);
	/* A failed check is not recorded as a passed one. */
	assert_int_equal(sb_audit_verify(&rows, f->p, 1), SB_ECORRUPT);
}

static void test_tamper_altered(void **state)
{
	expect_tamper_found(*state, "UPDATE sb_audit SET actor = 99 WHERE seq = 2", "entry 2 was altered");
}

static void test_tamper_action(void **state)
{
	expect_tamper_found(*state, "UPDATE sb_audit SET action = 'chart.view' WHERE seq = 3", "entry 3 was altered");
}

static void test_tamper_time(void **state)
{
	expect_tamper_found(*state, "UPDATE sb_audit SET at = at + 1 WHERE seq = 4", "entry 4 was altered");
}

static void test_tamper_deleted_middle(void **state)
{
	expect_tamper_found(*state, "DELETE FROM sb_audit WHERE seq = 2", "entry 2 is missing");
}

static void test_tamper_deleted_tail(void **state)
{
	fixture *f = *state;
	char sql[128], phrase[32];
	int64_t last = f->audit_base + 3; /* the fixture's entries, then record_three() */
	snprintf(sql, sizeof sql, "DELETE FROM sb_audit WHERE seq = %lld", (long long)last);
	snprintf(phrase, sizeof phrase, "ends at %lld", (long long)last - 1);
	expect_tamper_found(f, sql, phrase);
}

static void test_tamper_head(void **state)
{
	fixture *f = *state;
	expect_tamper_found(f, test_is_postgres(f->path) ? "UPDATE sb_practice SET audit_head = decode(repeat('00', 32), 'hex')"
	                                                 : "UPDATE sb_practice SET audit_head = zeroblob(32)",
	                    "head does not match");
}

/* Appending to a damaged chain is refused, and the detail says why (not a
 * message left over from an earlier call). */
static void test_record_on_damaged_head(void **state)
{
	fixture *f = *state;
	assert_int_equal(sb_audit_record(f->p, 1, "Bad Action", "contact", 1), SB_EINVAL);
	assert_int_equal(test_sql(f->path, test_is_postgres(f->path) ? "UPDATE sb_practice SET audit_head = '\\x0102'"
	                                                             : "UPDATE sb_practice SET audit_head = x'0102'"),
	                 0);
	assert_int_equal(sb_audit_record(f->p, 1, "chart.view", "contact", 1), SB_ECORRUPT);
	assert_non_null(strstr(sb_practice_errmsg(f->p), "head is damaged"));
	assert_null(strstr(sb_practice_errmsg(f->p), "may hold only"));
}

/* Rewriting a row and recomputing its hash without the key does not pass. */
static void test_keyed_chain_resists_rehash(void **state)
{
	fixture *f = *state;
	record_three(f);
	/* Copy row 2's hash onto a changed row 2: the next link and the keyed
	 * hash both disagree. */
	char script[512];
	snprintf(script, sizeof script, "%s UPDATE sb_audit SET object_id = 7 WHERE seq = 2", unguard(f->path));
	assert_int_equal(test_sql(f->path, script), 0);
	assert_int_equal(sb_audit_verify(NULL, f->p, 1), SB_ECORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tip_in_host_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tip_in_host_transaction, setup_keyed, teardown),
		cmocka_unit_test_setup_teardown(test_verify_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_altered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_action, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_deleted_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_deleted_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyed_chain_resists_rehash, setup_keyed, teardown),
		cmocka_unit_test_setup_teardown(test_record_on_damaged_head, setup, teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
