/* The PostgreSQL half of the test support (support.c dispatches here when a
 * store locator is a postgresql:// URI). Internal to the tests. */
#ifndef SB_TEST_SUPPORT_PG_H
#define SB_TEST_SUPPORT_PG_H

/* A URI for a fresh, empty schema on the test server (SB_TEST_PG). */
char *pg_test_store(void);
void pg_test_drop(const char *uri);
/* Run SQL (several statements allowed): 0 on success, 1 on failure. */
int pg_test_sql(const char *uri, const char *sql);
/* The first value of a query; -1 when it fails or returns no row. */
long long pg_test_value(const char *uri, const char *sql);
/* Everything in the schema, as text. */
char *pg_test_dump(const char *uri);
/* Non-zero when `needle` occurs in any stored value (text as it is, bytes
 * as hex, so a blob in clear is found too). */
int pg_test_contains(const char *uri, const char *needle);
/* End the server session `pid`, as a server restart or a network failure
 * would, and wait until it is gone. */
void pg_test_kill(const char *uri, long pid);

#endif
