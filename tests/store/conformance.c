#include "conformance.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static conformance_factory factory;
static void *factory_ctx;

static int setup(void **state)
{
	sb_store_driver *d = test_malloc(sizeof *d);
	if (factory(d, factory_ctx) != SB_OK) {
		test_free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	sb_store_driver *d = *state;
	d->close(d->userdata);
	test_free(d);
	return 0;
}

int conformance_run(sb_store_driver *d, const char *sql)
{
	sb_store_stmt *st;
	int rc = d->prepare(d->userdata, &st, sql);
	if (rc != SB_OK)
		return rc;
	while ((rc = d->step(d->userdata, st)) == SB_STORE_ROW)
		;
	d->finalize(d->userdata, st);
	return rc;
}

static const char *blob_type(const sb_store_driver *d)
{
	return d->dialect == SB_STORE_DIALECT_POSTGRES ? "BYTEA" : "BLOB";
}

static void make_table(sb_store_driver *d)
{
	char sql[200];
	snprintf(sql, sizeof sql, "CREATE TABLE t (k BIGINT PRIMARY KEY, s TEXT, b %s, n BIGINT)", blob_type(d));
	assert_int_equal(conformance_run(d, sql), SB_STORE_DONE);
}

static int64_t count_rows(sb_store_driver *d)
{
	sb_store_stmt *st;
	assert_int_equal(d->prepare(d->userdata, &st, "SELECT COUNT(*) FROM t"), SB_OK);
	assert_int_equal(d->step(d->userdata, st), SB_STORE_ROW);
	int64_t n = d->column_int64(d->userdata, st, 0);
	d->finalize(d->userdata, st);
	return n;
}

static void insert(sb_store_driver *d, int64_t k)
{
	sb_store_stmt *st;
	assert_int_equal(d->prepare(d->userdata, &st, "INSERT INTO t (k) VALUES (?)"), SB_OK);
	assert_int_equal(d->bind_int64(d->userdata, st, 1, k), SB_OK);
	assert_int_equal(d->step(d->userdata, st), SB_STORE_DONE);
	d->finalize(d->userdata, st);
}

static void test_identity(void **state)
{
	sb_store_driver *d = *state;
	assert_int_equal(d->version, SB_STORE_DRIVER_VERSION);
	assert_true(d->dialect == SB_STORE_DIALECT_SQLITE || d->dialect == SB_STORE_DIALECT_POSTGRES);
	assert_non_null(d->errmsg(d->userdata));
}

/* Values of every type come back exactly as bound. */
static void test_round_trip(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	make_table(d);
	const char text[] = "caf\xc3\xa9 \xf0\x9f\x98\x80 'quoted' ?";
	const unsigned char bytes[] = {0, 1, 0xff, 0, 'x'};
	const int64_t big[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
	sb_store_stmt *ins, *sel;
	assert_int_equal(d->prepare(u, &ins, "INSERT INTO t (k, s, b, n) VALUES (?, ?, ?, ?)"), SB_OK);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(d->bind_int64(u, ins, 1, i), SB_OK);
		assert_int_equal(d->bind_text(u, ins, 2, text, strlen(text) - (size_t)i), SB_OK);
		assert_int_equal(d->bind_blob(u, ins, 3, bytes, sizeof bytes), SB_OK);
		assert_int_equal(d->bind_int64(u, ins, 4, big[i]), SB_OK);
		assert_int_equal(d->step(u, ins), SB_STORE_DONE);
		assert_int_equal(d->reset(u, ins), SB_OK);
	}
	d->finalize(u, ins);
	assert_int_equal(d->prepare(u, &sel, "SELECT k, s, b, n FROM t WHERE k >= ? ORDER BY k"), SB_OK);
	assert_int_equal(d->bind_int64(u, sel, 1, 0), SB_OK);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(d->step(u, sel), SB_STORE_ROW);
		size_t n = 0;
		assert_int_equal(d->column_type(u, sel, 0), SB_STORE_INTEGER);
		assert_int_equal(d->column_int64(u, sel, 0), i);
		assert_int_equal(d->column_type(u, sel, 1), SB_STORE_TEXT);
		const char *s = d->column_text(u, sel, 1, &n);
		assert_int_equal(n, strlen(text) - (size_t)i);
		assert_memory_equal(s, text, n);
		assert_int_equal(s[n], '\0');
		assert_int_equal(d->column_type(u, sel, 2), SB_STORE_BLOB);
		const void *b = d->column_blob(u, sel, 2, &n);
		assert_int_equal(n, sizeof bytes);
		assert_memory_equal(b, bytes, n);
		assert_int_equal(d->column_int64(u, sel, 3), big[i]);
	}
	assert_int_equal(d->step(u, sel), SB_STORE_DONE);
	d->finalize(u, sel);
}

static void test_nulls_and_empties(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	make_table(d);
	sb_store_stmt *st;
	assert_int_equal(d->prepare(u, &st, "INSERT INTO t (k, s, b, n) VALUES (?, ?, ?, ?)"), SB_OK);
	assert_int_equal(d->bind_int64(u, st, 1, 1), SB_OK);
	assert_int_equal(d->bind_text(u, st, 2, "", 0), SB_OK);
	assert_int_equal(d->bind_blob(u, st, 3, "", 0), SB_OK);
	assert_int_equal(d->bind_null(u, st, 4), SB_OK);
	assert_int_equal(d->step(u, st), SB_STORE_DONE);
	d->finalize(u, st);
	assert_int_equal(d->prepare(u, &st, "SELECT s, b, n FROM t"), SB_OK);
	assert_int_equal(d->step(u, st), SB_STORE_ROW);
	size_t n = 99;
	assert_int_equal(d->column_type(u, st, 0), SB_STORE_TEXT);
	assert_string_equal(d->column_text(u, st, 0, &n), "");
	assert_int_equal(n, 0);
	assert_int_equal(d->column_type(u, st, 1), SB_STORE_BLOB);
	d->column_blob(u, st, 1, &n);
	assert_int_equal(n, 0);
	assert_int_equal(d->column_type(u, st, 2), SB_STORE_NULL);
	d->finalize(u, st);
}

/* reset clears bindings: an unbound parameter is NULL again. */
static void test_reset_clears_bindings(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	sb_store_stmt *st;
	assert_int_equal(d->prepare(u, &st, "SELECT ? IS NULL"), SB_OK);
	assert_int_equal(d->bind_int64(u, st, 1, 5), SB_OK);
	assert_int_equal(d->step(u, st), SB_STORE_ROW);
	assert_int_equal(d->column_int64(u, st, 0), 0);
	assert_int_equal(d->reset(u, st), SB_OK);
	assert_int_equal(d->step(u, st), SB_STORE_ROW);
	assert_int_equal(d->column_int64(u, st, 0), 1);
	d->finalize(u, st);
}

static void test_transactions(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	make_table(d);
	assert_int_equal(d->begin(u, 1), SB_OK);
	insert(d, 1);
	assert_int_equal(d->rollback(u), SB_OK);
	assert_int_equal(count_rows(d), 0);
	assert_int_equal(d->begin(u, 1), SB_OK);
	insert(d, 1);
	assert_int_equal(d->commit(u), SB_OK);
	assert_int_equal(count_rows(d), 1);
	assert_int_equal(d->begin(u, 0), SB_OK); /* a read transaction */
	assert_int_equal(count_rows(d), 1);
	assert_int_equal(d->commit(u), SB_OK);
}

static void test_savepoints(void **state)
{
	sb_store_driver *d = *state;
	make_table(d);
	assert_int_equal(d->begin(d->userdata, 1), SB_OK);
	insert(d, 1);
	assert_int_equal(conformance_run(d, "SAVEPOINT sb_sp1"), SB_STORE_DONE);
	insert(d, 2);
	assert_int_equal(conformance_run(d, "ROLLBACK TO sb_sp1"), SB_STORE_DONE);
	assert_int_equal(conformance_run(d, "RELEASE sb_sp1"), SB_STORE_DONE);
	assert_int_equal(conformance_run(d, "SAVEPOINT sb_sp1"), SB_STORE_DONE);
	insert(d, 3);
	assert_int_equal(conformance_run(d, "RELEASE sb_sp1"), SB_STORE_DONE);
	assert_int_equal(d->commit(d->userdata), SB_OK);
	assert_int_equal(count_rows(d), 2);
}

static void test_errors(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	make_table(d);
	insert(d, 1);
	sb_store_stmt *st;
	assert_int_equal(d->prepare(u, &st, "INSERT INTO t (k) VALUES (?)"), SB_OK);
	assert_int_equal(d->bind_int64(u, st, 1, 1), SB_OK);
	assert_int_equal(d->step(u, st), SB_ECONFLICT); /* duplicate key */
	assert_string_not_equal(d->errmsg(u), "");
	d->finalize(u, st);
	st = NULL;
	assert_true(d->prepare(u, &st, "SELEC nonsense FROM") < 0);
	assert_string_not_equal(d->errmsg(u), "");
	assert_true(d->prepare(u, &st, "SELECT * FROM no_such_table") < 0 ||
	            d->step(u, st) < 0); /* engines differ on when they notice */
	assert_int_equal(count_rows(d), 1);
}

/* What the library's portable SQL relies on: RETURNING and ON CONFLICT. */
static void test_portable_sql(void **state)
{
	sb_store_driver *d = *state;
	void *u = d->userdata;
	make_table(d);
	sb_store_stmt *st;
	assert_int_equal(d->prepare(u, &st, "INSERT INTO t (k, n) VALUES (?, ?) RETURNING k, n"), SB_OK);
	assert_int_equal(d->bind_int64(u, st, 1, 10), SB_OK);
	assert_int_equal(d->bind_int64(u, st, 2, 20), SB_OK);
	assert_int_equal(d->step(u, st), SB_STORE_ROW);
	assert_int_equal(d->column_int64(u, st, 1), 20);
	assert_int_equal(d->step(u, st), SB_STORE_DONE);
	d->finalize(u, st);
	assert_int_equal(conformance_run(d, "INSERT INTO t (k) VALUES (10) ON CONFLICT (k) DO NOTHING"), SB_STORE_DONE);
	assert_int_equal(count_rows(d), 1);
}

int run_store_conformance(const char *name, conformance_factory f, void *ctx)
{
	factory = f;
	factory_ctx = ctx;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nulls_and_empties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_clears_bindings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_savepoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_portable_sql, setup, teardown),
	};
	return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL);
}
