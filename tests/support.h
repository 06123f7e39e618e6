/* Helpers shared by the C tests. */
#ifndef SB_TEST_SUPPORT_H
#define SB_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <switchboard.h>

/* A clock the test moves by hand. */
typedef struct test_clock {
	sb_clock clock;
	int64_t now;
	int fail; /* non-zero: the clock reports failure */
} test_clock;
void test_clock_init(test_clock *c, int64_t start);

/* Which engine this run tests: "sqlite", or "postgres" when the
 * environment says SB_TEST_STORE=postgres (ctest's @postgres variants). */
const char *test_engine(void);
/* A fresh, empty store for one test, as a store_path: a SQLite file in a
 * private temporary directory, or a postgresql:// URI naming a new schema on
 * the test server (SB_TEST_PG). Free with test_db_remove(). */
char *test_db_path(void);
void test_db_remove(char *path);
int test_is_postgres(const char *store);
/* A fresh SQLite file path whatever the engine (for SQLite-only tests). */
char *test_sqlite_path(void);
/* Open the built-in driver for a store from test_db_path(). */
int test_store_driver(const char *store, sb_store_driver *out);

/* Open a practice on `path` or fail the test. */
sb_practice *test_open(const char *path, const char *practice, const unsigned char *key, test_clock *clock);

/* Everything in a store, as text, read over a separate connection. */
char *test_dump(const char *path);
/* Run SQL over a separate connection: 0 on success. */
int test_sql(const char *path, const char *sql);
/* The first column of the first row of a query over a separate connection;
 * -1 when the query fails (a missing table, say) or returns no row. */
int64_t test_value(const char *path, const char *sql);
/* Non-zero when `needle` is stored: in a SQLite file's bytes or its WAL; in
 * any PostgreSQL value (bytes compared as hex). */
int test_store_contains(const char *path, const char *needle);

/* A recording carrier: each command becomes one line in `log`. */
typedef struct test_carrier {
	sb_carrier carrier;
	char log[16][256];
	int count;
	int fail_with; /* non-zero: every command returns this */
	char email_body[512]; /* the last e-mail's body */
} test_carrier;
void test_carrier_init(test_carrier *c);

/* The usual fixture: a fresh store with one open practice on a test clock
 * (starting at `start`) and a recording carrier, optionally keyed.
 * Setup/teardown for cmocka. */
typedef struct test_fixture {
	char *path;
	test_clock clock;
	test_carrier carrier;
	sb_practice *p;
	int64_t audit_base; /* the audit head once the fixture's teammates are added */
} test_fixture;
/* A practice on a fresh store with TEST_TEAMMATES active teammates, ids
 * 1..TEST_TEAMMATES, added by the system; teammate 1 is the admin. */
#define TEST_TEAMMATES 12
int test_fixture_open(void **state, const unsigned char *key, int64_t start);
/* Add teammates ids 1..n (the first is the admin) through the public API. */
void test_add_teammates(sb_practice *p, int n);
int test_fixture_close(void **state);
/* Give teammate `id` one number to ring, as the admin (teammate 1). */
void test_ring_number(sb_practice *p, sb_id id, const char *number);
/* A practice with two business numbers, for the messaging tests. */
#define TEST_FRONT "+14155550100"
#define TEST_BILLING "+14155550101"
typedef struct test_world {
	test_fixture *f;
	sb_id front, billing; /* "Front desk" and "Billing" */
} test_world;
/* Open a fixture and its two numbers in a zeroed block of `size` bytes (a
 * struct starting with a test_world) that *state then points to. */
int test_world_open(void **state, const unsigned char *key, size_t size);
int test_world_close(void **state);
/* Assert that the store's dump equals `before` (a test_dump), then free it. */
void test_expect_dump(const char *path, char *before);
/* An inbound text through sb_sms_receive(). */
int test_receive(sb_practice *p, sb_delivery *d, const char *from, const char *to, const char *body,
                 const char *carrier_id);
/* A caller from `from` to business number `to` on leg `leg`, with nobody to
 * ring, hears the greeting and leaves a voicemail at `media_ref`: the call. */
sb_id test_leave_voicemail(sb_practice *p, const char *from, const char *to, const char *leg, const char *media_ref);
/* Assert rc, and that the handle's detail message holds `phrase`. */
void test_expect_error(sb_practice *p, int got, int want, const char *phrase);

/* A driver that wraps another and fails its N-th fallible call (prepare,
 * bind, step, begin, commit) once armed. */
typedef struct fault_driver {
	sb_store_driver inner;
	long calls;
	long fail_at;  /* 0: never */
	int fail_rc;
	int fired;
} fault_driver;
void fault_wrap(sb_store_driver *out, fault_driver *f, const sb_store_driver *inner);
void fault_arm(fault_driver *f, long fail_at, int rc);

#endif
