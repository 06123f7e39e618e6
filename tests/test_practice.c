/* The practice handle (practice.h): options, errors, tenancy, transactions, keys. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static const unsigned char key_a[SB_KEY_BYTES] = "0123456789abcdef0123456789abcdef";
static const unsigned char key_b[SB_KEY_BYTES] = "fedcba9876543210fedcba9876543210";

static int open_with(sb_practice **p, const sb_practice_options *o)
{
	*p = NULL;
	return sb_practice_open(p, o);
}

static int64_t audit_count(sb_practice *p)
{
	int64_t rows = -1;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	return rows;
}

static void test_options_init(void **state)
{
	(void)state;
	sb_practice_options o;
	memset(&o, 0xff, sizeof o);
	assert_int_equal(sb_practice_options_init(&o), SB_OK);
	assert_int_equal(o.version, SB_PRACTICE_OPTIONS_VERSION);
	assert_null(o.practice);
	assert_null(o.store_path);
	assert_null(o.store);
	assert_null(o.carrier);
	assert_null(o.clock);
	assert_null(o.key);
	assert_int_equal(o.key_len, 0);
	assert_int_equal(sb_practice_options_init(NULL), SB_EINVAL);
}

/* A failed open still yields a handle that says why, and nothing else. */
static void expect_open_error(const sb_practice_options *o, int rc, const char *phrase)
{
	sb_practice *p;
	assert_int_equal(open_with(&p, o), rc);
	assert_non_null(p);
	if (!strstr(sb_practice_errmsg(p), phrase))
		fail_msg("errmsg \"%s\" lacks \"%s\"", sb_practice_errmsg(p), phrase);
	assert_int_equal(sb_practice_id(p), 0);
	assert_int_equal(sb_practice_begin(p), SB_ESTATE);
	assert_int_equal(sb_audit_record(p, 0, "x", "y", 0), SB_ESTATE);
	sb_practice_free(p);
}

static void test_open_errors(void **state)
{
	(void)state;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	assert_int_equal(sb_practice_open(NULL, &o), SB_EINVAL);
	expect_open_error(NULL, SB_EINVAL, "options are required");
	expect_open_error(&o, SB_EINVAL, "no store");

	o.store_path = ":memory:";
	o.version = 99;
	expect_open_error(&o, SB_EVERSION, "options version 99");
	o.version = 0;
	expect_open_error(&o, SB_EVERSION, "options version 0");
	o.version = SB_PRACTICE_OPTIONS_VERSION;

	o.key = key_a;
	o.key_len = 16;
	expect_open_error(&o, SB_EINVAL, "32 bytes");
	o.key = NULL;
	expect_open_error(&o, SB_EINVAL, "key_len");
	o.key_len = 0;

	o.practice = "bad \xc3\x28 name";
	expect_open_error(&o, SB_EUTF8, "practice name");
	char long_name[SB_PRACTICE_NAME_MAX + 2];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	o.practice = long_name;
	expect_open_error(&o, SB_ETOOBIG, "practice name");
	o.practice = NULL;

	o.store_path = "/nonexistent-dir/for/sure/store.db";
	expect_open_error(&o, SB_ESTORE, "SQLite");
	o.store_path = "postgresql:///switchboard?host=/nonexistent-dir/for/sure";
#ifdef SB_TEST_POSTGRES
	expect_open_error(&o, SB_ESTORE, "cannot open the PostgreSQL store");
#else
	expect_open_error(&o, SB_ENOTSUP, "no PostgreSQL support");
#endif
	o.store_path = ":memory:";

	test_clock clk;
	test_clock_init(&clk, 1);
	clk.clock.version = 7;
	o.clock = &clk.clock;
	expect_open_error(&o, SB_EVERSION, "clock version 7");
	clk.clock.version = SB_CLOCK_VERSION;
	clk.clock.now_ms = NULL;
	expect_open_error(&o, SB_EINVAL, "now_ms");
	o.clock = NULL;

	test_carrier car;
	test_carrier_init(&car);
	car.carrier.version = 9;
	o.carrier = &car.carrier;
	expect_open_error(&o, SB_EVERSION, "carrier version 9");
}

static void test_driver_errors(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_store_driver drv;
	assert_int_equal(test_store_driver(path, &drv), SB_OK);
	int dialect = drv.dialect;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &drv;

	drv.version = 5;
	expect_open_error(&o, SB_EVERSION, "driver version 5");
	drv.version = SB_STORE_DRIVER_VERSION;
	int (*saved)(void *, sb_store_stmt *) = drv.step;
	drv.step = NULL;
	expect_open_error(&o, SB_EINVAL, "incomplete");
	drv.step = saved;
	drv.dialect = 42;
	expect_open_error(&o, SB_EINVAL, "dialect");
	drv.dialect = dialect;

	/* The failed opens left the driver with us: it still works and is ours to close. */
	sb_practice *p;
	assert_int_equal(open_with(&p, &o), SB_OK);
	assert_true(sb_practice_id(p) > 0);
	sb_practice_free(p); /* now closes the instance */
	test_db_remove(path);
}

static void test_sqlite_options(void **state)
{
	(void)state;
	sb_sqlite_options so;
	assert_int_equal(sb_sqlite_options_init(NULL), SB_EINVAL);
	assert_int_equal(sb_sqlite_options_init(&so), SB_OK);
	assert_int_equal(so.sync, SB_SQLITE_SYNC_FULL);
	assert_int_equal(so.busy_timeout_ms, 5000);
	sb_store_driver drv;
	assert_int_equal(sb_store_open_sqlite(NULL, ":memory:", &so), SB_EINVAL);
	assert_int_equal(sb_store_open_sqlite(&drv, NULL, &so), SB_EINVAL);
	so.version = 2;
	assert_int_equal(sb_store_open_sqlite(&drv, ":memory:", &so), SB_EVERSION);
	so.version = SB_SQLITE_OPTIONS_VERSION;
	so.sync = 3;
	assert_int_equal(sb_store_open_sqlite(&drv, ":memory:", &so), SB_EINVAL);
	so.sync = SB_SQLITE_SYNC_NORMAL;
	so.busy_timeout_ms = -1;
	assert_int_equal(sb_store_open_sqlite(&drv, ":memory:", &so), SB_EINVAL);
	so.busy_timeout_ms = 0;
	assert_int_equal(sb_store_open_sqlite(&drv, "/nonexistent-dir/x/y.db", &so), SB_ESTORE);
	char *path = test_sqlite_path();
	assert_int_equal(sb_store_open_sqlite(&drv, path, &so), SB_OK);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &drv;
	sb_practice *p;
	assert_int_equal(open_with(&p, &o), SB_OK);
	sb_practice_free(p);
	test_db_remove(path);
}

static void test_reopen_and_clock(void **state)
{
	(void)state;
	char *path = test_db_path();
	test_clock clk;
	test_clock_init(&clk, 1700000000000);
	sb_practice *p = test_open(path, NULL, NULL, &clk);
	sb_id id = sb_practice_id(p);
	assert_true(id > 0);
	int64_t now = 0;
	assert_int_equal(sb_practice_now(&now, p), SB_OK);
	assert_int_equal(now, 1700000000000);
	clk.now += 5;
	assert_int_equal(sb_practice_now(&now, p), SB_OK);
	assert_int_equal(now, 1700000000005);
	assert_string_equal(sb_practice_errmsg(p), SB_NOT_AN_ERROR);
	assert_int_equal(sb_practice_now(NULL, p), SB_EINVAL);
	assert_non_null(strstr(sb_practice_errmsg(p), "out"));
	/* As sqlite3_errmsg(): the next call that succeeds says so. */
	assert_int_equal(sb_practice_now(&now, p), SB_OK);
	assert_string_equal(sb_practice_errmsg(p), SB_NOT_AN_ERROR);
	sb_practice_free(p);

	p = test_open(path, "default", NULL, NULL);
	assert_int_equal(sb_practice_id(p), id);
	assert_int_equal(sb_practice_now(&now, p), SB_OK);
	assert_true(now > 1700000000000); /* real time */
	sb_practice_free(p);
	p = test_open(path, "another", NULL, NULL);
	assert_int_not_equal(sb_practice_id(p), id);
	sb_practice_free(p);

	assert_int_equal(sb_practice_id(NULL), 0);
	assert_int_equal(sb_practice_now(&now, NULL), SB_EINVAL);
	assert_non_null(sb_practice_errmsg(NULL));
	sb_practice_free(NULL);
	test_db_remove(path);
}

/* A failing host clock fails the call that needed the time, and nothing is written. */
static void test_failing_clock(void **state)
{
	(void)state;
	char *path = test_db_path();
	test_clock clk;
	test_clock_init(&clk, 5000);
	clk.fail = 1;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.clock = &clk.clock;
	expect_open_error(&o, SB_EUSER, "clock");
	clk.fail = 0;
	sb_practice *p = test_open(path, NULL, NULL, &clk);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	assert_int_equal(rows, 1); /* only the successful open's practice.create */
	clk.fail = 1;
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 3), SB_EUSER);
	assert_non_null(strstr(sb_practice_errmsg(p), "clock"));
	int64_t now;
	assert_int_equal(sb_practice_now(&now, p), SB_EUSER);
	clk.fail = 0;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	assert_int_equal(rows, 2); /* the failed record left nothing; the first verify is there */
	sb_practice_free(p);
	test_db_remove(path);
}

static void test_newer_schema_refused(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice_free(test_open(path, NULL, NULL, NULL));
	assert_int_equal(test_sql(path, "UPDATE sb_schema SET version = 999"), 0);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	expect_open_error(&o, SB_ESCHEMA, "schema version 999");
	test_db_remove(path);
}

/* Two practices in one file never see each other's rows. */
static void test_two_practices_isolated(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *north = test_open(path, "North Clinic", NULL, NULL);
	sb_practice *south = test_open(path, "South Clinic", NULL, NULL);
	assert_int_not_equal(sb_practice_id(north), sb_practice_id(south));
	for (int i = 0; i < 3; i++)
		assert_int_equal(sb_audit_record(north, SB_ACTOR_SYSTEM, "chart.export", "contact", 100 + i), SB_OK);
	assert_int_equal(sb_audit_record(south, SB_ACTOR_SYSTEM, "chart.print", "contact", 555), SB_OK);

	sb_audit_entry e[20];
	size_t n;
	assert_int_equal(sb_audit_read(e, &n, south, SB_ACTOR_SYSTEM, 0, 20), SB_OK);
	assert_int_equal(n, 2); /* practice.create, chart.print */
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(e[i].action, "chart.export");
		assert_true(e[i].object_id != 100 && e[i].object_id != 101 && e[i].object_id != 102);
	}
	assert_int_equal(sb_audit_read(e, &n, north, SB_ACTOR_SYSTEM, 0, 20), SB_OK);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(e[i].action, "chart.print");
	assert_int_equal(e[0].seq, 1);
	/* Each chain is whole on its own, and numbered on its own. */
	assert_int_equal(audit_count(north), 5); /* create, 3 exports, read */
	assert_int_equal(audit_count(south), 3);
	sb_practice_free(north);
	sb_practice_free(south);
	test_db_remove(path);
}

static void test_transactions(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *p = test_open(path, NULL, NULL, NULL);
	assert_int_equal(sb_practice_commit(p), SB_ESTATE);
	assert_non_null(strstr(sb_practice_errmsg(p), "no transaction"));
	assert_int_equal(sb_practice_rollback(p), SB_ESTATE);
	assert_int_equal(sb_practice_begin(NULL), SB_EINVAL);
	assert_int_equal(sb_practice_commit(NULL), SB_EINVAL);
	assert_int_equal(sb_practice_rollback(NULL), SB_EINVAL);

	int64_t before = audit_count(p);
	assert_int_equal(sb_practice_begin(p), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "import.row", "contact", 1), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "import.row", "contact", 2), SB_OK);
	assert_int_equal(sb_practice_rollback(p), SB_OK);
	assert_int_equal(audit_count(p), before + 1); /* only the verify itself */

	before = audit_count(p);
	assert_int_equal(sb_practice_begin(p), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "import.row", "contact", 1), SB_OK);
	assert_int_equal(sb_practice_begin(p), SB_OK); /* nested */
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "import.row", "contact", 2), SB_OK);
	assert_int_equal(sb_practice_rollback(p), SB_OK); /* undoes only the inner */
	/* A failing call inside leaves the transaction as it was. */
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "Bad Action", "contact", 3), SB_EINVAL);
	assert_int_equal(sb_practice_commit(p), SB_OK);
	assert_int_equal(audit_count(p), before + 2); /* the outer row + the verify */

	/* Freeing with an open transaction rolls it back. */
	assert_int_equal(sb_practice_begin(p), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "import.row", "contact", 9), SB_OK);
	sb_practice_free(p);
	p = test_open(path, NULL, NULL, NULL);
	sb_audit_entry e[SB_AUDIT_READ_MAX];
	size_t n;
	assert_int_equal(sb_audit_read(e, &n, p, SB_ACTOR_SYSTEM, 0, SB_AUDIT_READ_MAX), SB_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(e[i].object_id != 9);
	sb_practice_free(p);
	test_db_remove(path);
}

/* A second writer that would wait past its lock timeout gets SB_EBUSY, not a
 * hang or a lost write. SQLite locks the whole store at BEGIN; PostgreSQL
 * locks rows, here the practice row the audit chain moves. */
static void test_busy(void **state)
{
	(void)state;
	char *path = test_db_path();
	int pg = test_is_postgres(path);
	sb_practice *a = test_open(path, NULL, NULL, NULL);
	sb_store_driver drv;
	if (pg) {
		sb_postgres_options po = SB_POSTGRES_OPTIONS_INIT;
		po.lock_timeout_ms = 0;
		assert_int_equal(sb_store_open_postgres(&drv, path, &po, NULL, 0), SB_OK);
	} else {
		sb_sqlite_options so = SB_SQLITE_OPTIONS_INIT;
		so.busy_timeout_ms = 0;
		assert_int_equal(sb_store_open_sqlite(&drv, path, &so), SB_OK);
	}
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &drv;
	sb_practice *b;
	assert_int_equal(open_with(&b, &o), SB_OK);

	assert_int_equal(sb_practice_begin(a), SB_OK);
	assert_int_equal(sb_audit_record(a, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_OK);
	assert_int_equal(sb_audit_record(b, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_EBUSY);
	if (pg) { /* a transaction begins without locks; its first conflicting write waits */
		assert_int_equal(sb_practice_begin(b), SB_OK);
		assert_int_equal(sb_audit_record(b, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_EBUSY);
		assert_int_equal(sb_practice_rollback(b), SB_OK);
	} else {
		assert_int_equal(sb_practice_begin(b), SB_EBUSY);
	}
	assert_int_equal(sb_practice_commit(a), SB_OK);
	assert_int_equal(sb_audit_record(b, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_OK);
	assert_int_equal(audit_count(b), 3); /* create, a's view, b's view */
	sb_practice_free(a);
	sb_practice_free(b);
	test_db_remove(path);
}

static void test_keys(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice_free(test_open(path, "sealed", key_a, NULL));
	sb_practice_free(test_open(path, "plain", NULL, NULL));
	sb_practice_free(test_open(path, "sealed", key_a, NULL)); /* the right key opens it again */

	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = "sealed";
	expect_open_error(&o, SB_EKEY, "master key is required");
	o.key = key_b;
	o.key_len = SB_KEY_BYTES;
	expect_open_error(&o, SB_EKEY, "not this practice's key");
	o.practice = "plain";
	expect_open_error(&o, SB_EKEY, "created without a master key");
	test_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_init),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_driver_errors),
		cmocka_unit_test(test_sqlite_options),
		cmocka_unit_test(test_reopen_and_clock),
		cmocka_unit_test(test_failing_clock),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_two_practices_isolated),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests_name("practice", tests, NULL, NULL);
}
