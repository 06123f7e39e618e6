/*
 * What only the PostgreSQL driver has: opening by connection string or URI,
 * a connection lent by the host, reconnection, PHI-free error text, the SQL
 * rewriting and typing of parameters, and statement housekeeping.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support.h"
#include "../support_pg.h"
#include "conformance.h"
#include "internal.h"

static const char *const patient = "Jane Q. Patient";

typedef struct fixture {
	char *uri;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->uri = test_db_path();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	test_db_remove(f->uri);
	free(f);
	return 0;
}

static int64_t backend_pid(sb_practice *p)
{
	int64_t pid = 0;
	assert_int_equal(sb_db_one_int(p->db, &pid, "SELECT pg_backend_pid()", NULL), SB_OK);
	return pid;
}

static void test_options_and_bad_arguments(void **state)
{
	fixture *f = *state;
	sb_postgres_options o;
	assert_int_equal(sb_postgres_options_init(NULL), SB_EINVAL);
	assert_int_equal(sb_postgres_options_init(&o), SB_OK);
	assert_int_equal(o.version, SB_POSTGRES_OPTIONS_VERSION);
	assert_int_equal(o.lock_timeout_ms, 5000);
	sb_store_driver d;
	char why[256];
	assert_int_equal(sb_store_open_postgres(NULL, f->uri, NULL, why, sizeof why), SB_EINVAL);
	assert_int_equal(sb_store_open_postgres(&d, NULL, NULL, why, sizeof why), SB_EINVAL);
	assert_int_equal(sb_store_use_postgres(&d, NULL, NULL, why, sizeof why), SB_EINVAL);
	o.version = 9;
	assert_int_equal(sb_store_open_postgres(&d, f->uri, &o, why, sizeof why), SB_EVERSION);
	assert_non_null(strstr(why, "version 9"));
	o.version = SB_POSTGRES_OPTIONS_VERSION;
	o.lock_timeout_ms = -1;
	assert_int_equal(sb_store_open_postgres(&d, f->uri, &o, why, sizeof why), SB_EINVAL);
	assert_non_null(strstr(why, "lock_timeout_ms"));
	/* why is optional */
	assert_int_equal(sb_store_open_postgres(&d, f->uri, &o, NULL, 0), SB_EINVAL);
}

static void test_unreachable(void **state)
{
	(void)state;
	sb_store_driver d;
	char why[256];
	const char *nowhere = "postgresql:///switchboard?host=/nonexistent-dir-for-sure&password=s3cret-pw";
	assert_int_equal(sb_store_open_postgres(&d, nowhere, NULL, why, sizeof why), SB_ESTORE);
	assert_non_null(strstr(why, "cannot connect"));
	assert_null(strstr(why, "s3cret-pw"));
	assert_int_equal(sb_store_open_postgres(&d, "this is = not a conninfo", NULL, why, sizeof why), SB_ESTORE);

	/* The same through store_path, with the detail in errmsg. */
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = nowhere;
	sb_practice *p = NULL;
	assert_int_equal(sb_practice_open(&p, &o), SB_ESTORE);
	assert_non_null(strstr(sb_practice_errmsg(p), "cannot open the PostgreSQL store"));
	assert_null(strstr(sb_practice_errmsg(p), "s3cret-pw"));
	sb_practice_free(p);
}

/* A connection the host holds: used, then handed back clean and open. */
static void test_host_connection(void **state)
{
	fixture *f = *state;
	PGconn *conn = PQconnectdb(f->uri);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	sb_store_driver d;
	char why[256];
	assert_int_equal(sb_store_use_postgres(&d, conn, NULL, why, sizeof why), SB_OK);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store = &d;
	sb_practice *p = NULL;
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_OK);
	assert_int_equal(sb_audit_verify(NULL, p, SB_ACTOR_SYSTEM), SB_OK);
	sb_practice_free(p);

	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
	PGresult *r = PQexec(conn, "SELECT COUNT(*) FROM pg_prepared_statements");
	assert_string_equal(PQgetvalue(r, 0, 0), "0"); /* none of ours left behind */
	PQclear(r);

	/* Refused while the host is inside a transaction, or not UTF8. */
	PQclear(PQexec(conn, "BEGIN"));
	assert_int_equal(sb_store_use_postgres(&d, conn, NULL, why, sizeof why), SB_ESTATE);
	PQclear(PQexec(conn, "ROLLBACK"));
	assert_int_equal(PQsetClientEncoding(conn, "LATIN1"), 0);
	assert_int_equal(sb_store_use_postgres(&d, conn, NULL, why, sizeof why), SB_ESTORE);
	assert_non_null(strstr(why, "client_encoding"));
	assert_int_equal(PQsetClientEncoding(conn, "UTF8"), 0);

	/* A lent connection that breaks is reported, never reset behind the host's back. */
	assert_int_equal(sb_store_use_postgres(&d, conn, NULL, why, sizeof why), SB_OK);
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);
	pg_test_kill(f->uri, PQbackendPID(conn));
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 2), SB_ESTORE);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 2), SB_ESTORE);
	assert_non_null(strstr(sb_practice_errmsg(p), "host's PostgreSQL connection is broken"));
	sb_practice_free(p);
	PQfinish(conn);
}

/* A connection of ours that drops comes back between transactions. */
static void test_reconnect(void **state)
{
	fixture *f = *state;
	sb_practice *p = test_open(f->uri, NULL, NULL, NULL);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_OK);
	int64_t first = backend_pid(p);
	pg_test_kill(f->uri, (long)first);
	/* The first use notices the loss and reconnects; cached statements are prepared again. */
	int rc = sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 2);
	if (rc != SB_OK) /* the loss may surface on the statement that found it */
		rc = sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 2);
	assert_int_equal(rc, SB_OK);
	assert_int_not_equal(backend_pid(p), first);

	/* Lost in the middle of a transaction: that transaction fails whole. */
	assert_int_equal(sb_practice_begin(p), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 3), SB_OK);
	pg_test_kill(f->uri, (long)backend_pid(p));
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 4), SB_ESTORE);
	assert_int_not_equal(sb_practice_commit(p), SB_OK);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 5), SB_OK);
	int64_t rows = 0;
	assert_int_equal(sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM), SB_OK);
	assert_int_equal(rows, 4); /* create, 1, 2, 5 */
	assert_int_equal(test_value(f->uri, "SELECT COUNT(*) FROM sb_audit WHERE object_id IN (3, 4)"), 0);
	sb_practice_free(p);
}

/* Server errors are reported by SQLSTATE and primary message, never with
 * the values that caused them. */
static void test_errors_never_quote_values(void **state)
{
	fixture *f = *state;
	sb_practice *p = test_open(f->uri, NULL, NULL, NULL);
	assert_int_equal(sb_db_exec(p->db, "CREATE TABLE t_err (n BIGINT, name TEXT UNIQUE)", NULL), SB_OK);
	assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_err (name) VALUES (?)", "t", patient), SB_OK);
	assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_err (name) VALUES (?)", "t", patient), SB_ECONFLICT);
	assert_non_null(strstr(sb_db_errmsg(p->db), "23505"));
	assert_null(strstr(sb_db_errmsg(p->db), "Jane"));
	/* A data exception's primary message quotes the value: it is left out. */
	assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_err (n) VALUES (CAST(CAST(? AS TEXT) AS BIGINT))", "t",
	                            patient),
	                 SB_ESTORE);
	assert_non_null(strstr(sb_db_errmsg(p->db), "22P02"));
	assert_null(strstr(sb_db_errmsg(p->db), "Jane"));
	/* Text PostgreSQL cannot hold is refused before it is sent. */
	assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_err (name) VALUES (?)", "s", "a\0b", (size_t)3), SB_EINVAL);
	assert_non_null(strstr(sb_db_errmsg(p->db), "NUL"));
	sb_practice_free(p);
}

/* ? inside quotes, identifiers, comments and dollar quotes is not a
 * placeholder; parameters get their type from the bound value. */
static void test_sql_rewriting_and_types(void **state)
{
	fixture *f = *state;
	sb_store_driver d;
	assert_int_equal(sb_store_open_postgres(&d, f->uri, NULL, NULL, 0), SB_OK);
	void *u = d.userdata;
	sb_store_stmt *st;
	assert_int_equal(d.prepare(u, &st,
	                           "SELECT ? + 1 AS \"a?\", '?''?', $$?$$, $t$ ? $t$, ? /* ? */ -- ?\n, ? = 'x'"),
	                 SB_OK);
	assert_int_equal(d.bind_int64(u, st, 1, 41), SB_OK);
	assert_int_equal(d.bind_text(u, st, 2, "two", 3), SB_OK);
	assert_int_equal(d.bind_text(u, st, 3, "x", 1), SB_OK);
	assert_int_equal(d.bind_int64(u, st, 4, 1), SB_ESTORE); /* only three placeholders */
	assert_int_equal(d.step(u, st), SB_STORE_ROW);
	size_t n;
	assert_int_equal(d.column_int64(u, st, 0), 42);
	assert_string_equal(d.column_text(u, st, 1, &n), "?'?");
	assert_string_equal(d.column_text(u, st, 2, &n), "?");
	assert_string_equal(d.column_text(u, st, 3, &n), " ? ");
	assert_string_equal(d.column_text(u, st, 4, &n), "two");
	assert_int_equal(d.column_type(u, st, 5), SB_STORE_INTEGER); /* a boolean */
	assert_int_equal(d.column_int64(u, st, 5), 1);
	assert_int_equal(d.step(u, st), SB_STORE_DONE);
	d.finalize(u, st);

	/* The same statement bound with another type is prepared again. */
	assert_int_equal(d.prepare(u, &st, "SELECT CAST(? AS TEXT)"), SB_OK);
	assert_int_equal(d.bind_text(u, st, 1, "abc", 3), SB_OK);
	assert_int_equal(d.step(u, st), SB_STORE_ROW);
	assert_string_equal(d.column_text(u, st, 0, &n), "abc");
	assert_int_equal(d.reset(u, st), SB_OK);
	assert_int_equal(d.bind_int64(u, st, 1, -7), SB_OK);
	assert_int_equal(d.step(u, st), SB_STORE_ROW);
	assert_string_equal(d.column_text(u, st, 0, &n), "-7");
	d.finalize(u, st);

	/* Numeric and bigint aggregates read as integers. */
	assert_int_equal(d.prepare(u, &st, "SELECT SUM(x), COUNT(*) FROM (VALUES (CAST(9000000000 AS BIGINT)), (1)) v(x)"),
	                 SB_OK);
	assert_int_equal(d.step(u, st), SB_STORE_ROW);
	assert_int_equal(d.column_int64(u, st, 0), 9000000001LL);
	assert_int_equal(d.column_int64(u, st, 1), 2);
	d.finalize(u, st);
	d.close(u);
}

/* Finalized statements are deallocated on the server; a failed transaction
 * never commits. */
static void test_housekeeping(void **state)
{
	fixture *f = *state;
	sb_store_driver d;
	assert_int_equal(sb_store_open_postgres(&d, f->uri, NULL, NULL, 0), SB_OK);
	void *u = d.userdata;
	for (int i = 0; i < 200; i++) {
		sb_store_stmt *st;
		assert_int_equal(d.prepare(u, &st, "SELECT 1"), SB_OK);
		assert_int_equal(d.step(u, st), SB_STORE_ROW);
		d.finalize(u, st);
	}
	assert_int_equal(d.begin(u, 0), SB_OK);
	assert_int_equal(d.commit(u), SB_OK); /* idle again: the doomed names go */
	sb_store_stmt *count;
	assert_int_equal(d.prepare(u, &count, "SELECT COUNT(*) FROM pg_prepared_statements"), SB_OK);
	assert_int_equal(d.step(u, count), SB_STORE_ROW);
	assert_true(d.column_int64(u, count, 0) <= 1);
	d.finalize(u, count);

	assert_int_equal(conformance_run(&d, "CREATE TABLE t_tx (k BIGINT PRIMARY KEY)"), SB_STORE_DONE);
	assert_int_equal(d.begin(u, 1), SB_OK);
	assert_int_equal(d.begin(u, 1), SB_ESTATE);
	assert_int_equal(conformance_run(&d, "INSERT INTO t_tx VALUES (1)"), SB_STORE_DONE);
	assert_int_equal(conformance_run(&d, "INSERT INTO t_tx VALUES (1)"), SB_ECONFLICT);
	assert_int_equal(d.commit(u), SB_ESTORE); /* the server rolled it back */
	assert_non_null(strstr(d.errmsg(u), "rolled it back"));
	assert_int_equal(test_value(f->uri, "SELECT COUNT(*) FROM t_tx"), 0);
	assert_int_equal(d.rollback(u), SB_OK); /* nothing open: harmless */
	d.close(u);
}

/* What the README promises: once migrated, a role with only USAGE on the
 * schema and SELECT, INSERT, UPDATE, DELETE on its tables runs switchboard. */
static void test_least_privilege(void **state)
{
	fixture *f = *state;
	sb_practice_free(test_open(f->uri, "Owner Clinic", NULL, NULL)); /* migrates, as the owner */
	const char *admin = getenv("SB_TEST_PG_ADMIN");
	assert_non_null(admin);
	const char *schema = strstr(f->uri, "search_path%3D") + strlen("search_path%3D");
	char role[64], sql[512];
	snprintf(role, sizeof role, "sb_app_%ld", (long)getpid());
	snprintf(sql, sizeof sql,
	         "CREATE ROLE %s LOGIN; GRANT USAGE ON SCHEMA %s TO %s;"
	         " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %s",
	         role, schema, role, schema, role);
	assert_int_equal(test_sql(admin, sql), 0);

	char uri[1024];
	snprintf(uri, sizeof uri, "%s", f->uri);
	char *user = strstr(uri, "user=switchboard");
	assert_non_null(user);
	char rest[512];
	snprintf(rest, sizeof rest, "%s", user + strlen("user=switchboard"));
	snprintf(user, sizeof uri - (size_t)(user - uri), "user=%s%s", role, rest);
	sb_practice *p = test_open(uri, "Owner Clinic", NULL, NULL);
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "chart.view", "contact", 1), SB_OK);
	assert_int_equal(sb_audit_verify(NULL, p, SB_ACTOR_SYSTEM), SB_OK);
	sb_practice_free(p);
	p = test_open(uri, "New Clinic", NULL, NULL); /* a new row through the identity column */
	assert_true(sb_practice_id(p) > 0);
	sb_practice_free(p);

	snprintf(sql, sizeof sql, "DROP OWNED BY %s; DROP ROLE %s", role, role);
	assert_int_equal(test_sql(admin, sql), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_options_and_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_never_quote_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sql_rewriting_and_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_housekeeping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_least_privilege, setup, teardown),
	};
	return cmocka_run_group_tests_name("postgres driver", tests, NULL, NULL);
}
