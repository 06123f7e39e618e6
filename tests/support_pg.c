#include "support.h"
#include "support_pg.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void quiet(void *arg, const char *message)
{
	(void)arg, (void)message;
}

static PGconn *connect_to(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot reach the test PostgreSQL server: %s", PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static PGresult *must(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK)
		fail_msg("test SQL failed: %s (%s)", PQerrorMessage(c), sql);
	return r;
}

char *pg_test_store(void)
{
	static int n;
	const char *base = getenv("SB_TEST_PG");
	if (!base || !*base)
		fail_msg("SB_TEST_STORE=postgres, but SB_TEST_PG is not set: run the tests with `make test`, "
		         "which starts a PostgreSQL server (tests/postgres/server.sh)");
	char schema[64], sql[128];
	snprintf(schema, sizeof schema, "sbt_%ld_%d", (long)getpid(), ++n);
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
	PGconn *c = connect_to(base);
	PQclear(must(c, sql));
	PQfinish(c);
	size_t len = strlen(base) + strlen(schema) + 64;
	char *uri = malloc(len);
	assert_non_null(uri);
	snprintf(uri, len, "%s%coptions=-csearch_path%%3D%s", base, strchr(base, '?') ? '&' : '?', schema);
	return uri;
}

void pg_test_drop(const char *uri)
{
	PGconn *c = connect_to(uri);
	PQclear(must(c, "DO $$BEGIN EXECUTE 'DROP SCHEMA ' || current_schema() || ' CASCADE'; END$$"));
	PQfinish(c);
}

int pg_test_sql(const char *uri, const char *sql)
{
	PGconn *c = connect_to(uri);
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	PQclear(r);
	PQfinish(c);
	return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK ? 0 : 1;
}

long long pg_test_value(const char *uri, const char *sql)
{
	PGconn *c = connect_to(uri);
	PGresult *r = PQexec(c, sql);
	long long v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}

static void append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *grown = realloc(*buf, *len + n + 2);
	assert_non_null(grown);
	*buf = grown;
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

/* Every value of a one-column query, one per line. */
static void append_rows(PGconn *c, const char *sql, char **buf, size_t *len)
{
	PGresult *r = must(c, sql);
	for (int i = 0; i < PQntuples(r); i++)
		append(buf, len, PQgetisnull(r, i, 0) ? "<null>" : PQgetvalue(r, i, 0));
	PQclear(r);
}

char *pg_test_dump(const char *uri)
{
	PGconn *c = connect_to(uri);
	char *buf = NULL;
	size_t len = 0;
	append(&buf, &len, "-- dump");
	append_rows(c,
	            "SELECT table_name || '(' || string_agg(column_name || ' ' || data_type, ', '"
	            " ORDER BY ordinal_position) || ')' FROM information_schema.columns"
	            " WHERE table_schema = current_schema() GROUP BY table_name ORDER BY table_name",
	            &buf, &len);
	append_rows(c, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname",
	            &buf, &len);
	append_rows(c,
	            "SELECT t.tgname || ' ' || t.tgenabled::text FROM pg_trigger t JOIN pg_class k ON k.oid = t.tgrelid"
	            " WHERE k.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1",
	            &buf, &len);
	PGresult *tables = must(c, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"
	                           " ORDER BY tablename");
	for (int i = 0; i < PQntuples(tables); i++) {
		char sql[256];
		const char *t = PQgetvalue(tables, i, 0);
		append(&buf, &len, t);
		snprintf(sql, sizeof sql, "SELECT x::text FROM %s x ORDER BY 1", t);
		append_rows(c, sql, &buf, &len);
	}
	PQclear(tables);
	PQfinish(c);
	return buf;
}

int pg_test_contains(const char *uri, const char *needle)
{
	char *dump = pg_test_dump(uri);
	size_t n = strlen(needle);
	char *hex = malloc(n * 2 + 1);
	assert_non_null(hex);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)needle[i]);
	int found = strstr(dump, needle) != NULL || strstr(dump, hex) != NULL;
	free(hex);
	free(dump);
	return found;
}

void pg_test_kill(const char *uri, long pid)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%ld)", pid);
	PGconn *c = connect_to(uri);
	PQclear(must(c, sql));
	/* Termination is asynchronous: wait until the session is gone. */
	snprintf(sql, sizeof sql, "SELECT 1 FROM pg_stat_activity WHERE pid = %ld", pid);
	int alive = 1;
	for (int i = 0; alive && i < 500; i++) {
		PGresult *r = must(c, sql);
		alive = PQntuples(r) > 0;
		PQclear(r);
		if (alive)
			nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	PQfinish(c);
	if (alive)
		fail_msg("session %ld did not end", pid);
}
