/*
 * Fault injection: a wrapper driver fails the N-th store call, for N = 1, 2, …
 * until the operation runs clean. Every failure must return an error and leave
 * the store byte-for-byte as it was before the operation.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "fault-key-fault-key-fault-key-32";

static const int fault_codes[] = {SB_ESTORE, SB_EBUSY};

/* Opening a fresh store: migrations, then practice creation and its first
 * audit row. Each migration commits on its own (a half-migrated schema is
 * never left), so a failed open leaves either nothing or whole schema
 * versions, never a practice; and opening again then succeeds. */
static void expect_no_practice(const char *path)
{
	int64_t version = test_value(path, "SELECT version FROM sb_schema");
	if (version >= 1) { /* whole versions, and empty */
		assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_practice"), 0);
		assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_audit"), 0);
	} else { /* nothing but, perhaps, the version table */
		assert_true(version == -1 || version == 0);
		assert_int_equal(test_value(path, "SELECT COUNT(*) FROM sb_practice"), -1);
	}
}

static int open_on(sb_practice **p, sb_store_driver *drv)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = drv;
	o.key = key;
	o.key_len = SB_KEY_BYTES;
	*p = NULL;
	return sb_practice_open(p, &o);
}

static void test_open_fresh_store(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof fault_codes / sizeof fault_codes[0]; c++) {
		long n;
		for (n = 1;; n++) {
			char *path = test_db_path();
			sb_store_driver inner, wrapped;
			fault_driver f;
			assert_int_equal(test_store_driver(path, &inner), SB_OK);
			fault_wrap(&wrapped, &f, &inner);
			fault_arm(&f, n, fault_codes[c]);
			sb_practice *p;
			int rc = open_on(&p, &wrapped);
			int fired = f.fired;
			if (rc != SB_OK) {
				assert_true(fired);
				assert_int_equal(rc, fault_codes[c]);
				assert_string_not_equal(sb_practice_errmsg(p), "");
				sb_practice_free(p);
				expect_no_practice(path);
				fault_arm(&f, 0, 0); /* the caller still owns the driver: retry on it */
				assert_int_equal(open_on(&p, &wrapped), SB_OK);
				assert_int_equal(sb_audit_verify(NULL, p, SB_ACTOR_SYSTEM), SB_OK);
			}
			sb_practice_free(p);
			test_db_remove(path);
			if (rc == SB_OK && !fired)
				break;
		}
		assert_true(n > 10); /* the loop really went through the open */
	}
}

typedef int (*operation)(sb_practice *p);

/* A host transaction that records several rows. */
static int op_bulk(sb_practice *p)
{
	int rc = sb_practice_begin(p);
	if (rc != SB_OK)
		return rc;
	for (int i = 0; i < 3 && rc == SB_OK; i++)
		rc = sb_audit_record(p, 5, "import.row", "contact", 100 + i);
	if (rc != SB_OK) {
		sb_practice_rollback(p);
		return rc;
	}
	return sb_practice_commit(p);
}

static int op_record(sb_practice *p)
{
	return sb_audit_record(p, 5, "chart.export", "contact", 7);
}

static int op_read(sb_practice *p)
{
	sb_audit_entry e[8];
	size_t n;
	return sb_audit_read(e, &n, p, 5, 0, 8);
}

static int op_verify(sb_practice *p)
{
	return sb_audit_verify(NULL, p, 5);
}

static void run_fault_loop(operation op, const unsigned char *k)
{
	char *path = test_db_path();
	sb_practice *setup = test_open(path, NULL, k, NULL);
	test_add_teammates(setup, 5); /* the operations act as teammate 5 */
	assert_int_equal(sb_audit_record(setup, 1, "seed.row", "contact", 1), SB_OK);
	sb_practice_free(setup);

	sb_store_driver inner, wrapped;
	fault_driver f;
	assert_int_equal(test_store_driver(path, &inner), SB_OK);
	fault_wrap(&wrapped, &f, &inner);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &wrapped;
	o.key = k;
	o.key_len = k ? SB_KEY_BYTES : 0;
	sb_practice *p;
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);

	char *before = test_dump(path);
	long n;
	for (n = 1;; n++) {
		fault_arm(&f, n, fault_codes[n % 2]);
		int rc = op(p);
		int fired = f.fired;
		fault_arm(&f, 0, 0);
		if (!fired) {
			assert_int_equal(rc, SB_OK);
			break;
		}
		if (rc == SB_OK)
			fail_msg("fault at call %ld was swallowed", n);
		assert_true(rc == SB_ESTORE || rc == SB_EBUSY);
		assert_string_not_equal(sb_practice_errmsg(p), "");
		char *now = test_dump(path);
		if (strcmp(before, now) != 0)
			fail_msg("fault at call %ld changed the store", n);
		free(now);
	}
	assert_true(n > 3);
	char *after = test_dump(path);
	assert_string_not_equal(before, after); /* the clean run did write */
	free(after);
	free(before);
	assert_int_equal(sb_audit_verify(NULL, p, SB_ACTOR_SYSTEM), SB_OK); /* and the chain is whole */
	sb_practice_free(p);
	test_db_remove(path);
}

static void test_bulk_transaction(void **state)
{
	(void)state;
	run_fault_loop(op_bulk, NULL);
	run_fault_loop(op_bulk, key);
}

static void test_single_record(void **state)
{
	(void)state;
	run_fault_loop(op_record, NULL);
}

static void test_read_and_verify(void **state)
{
	(void)state;
	run_fault_loop(op_read, NULL);
	run_fault_loop(op_verify, key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_fresh_store),
		cmocka_unit_test(test_bulk_transaction),
		cmocka_unit_test(test_single_record),
		cmocka_unit_test(test_read_and_verify),
	};
	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
