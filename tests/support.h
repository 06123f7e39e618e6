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

/* A fresh database path in a private temporary directory; free with test_db_remove(). */
char *test_db_path(void);
void test_db_remove(char *path);

/* Open a practice on `path` or fail the test. */
sb_practice *test_open(const char *path, const char *practice, const unsigned char *key, test_clock *clock);

/* Everything stored in a SQLite file, as text, read over a separate connection. */
char *test_dump(const char *path);
/* Run SQL over a separate connection; returns the sqlite3 result code. */
int test_sql(const char *path, const char *sql);
/* Non-zero when `needle` occurs in the file or its WAL. */
int test_file_contains(const char *path, const char *needle);

/* A recording carrier: each command becomes one line in `log`. */
typedef struct test_carrier {
	sb_carrier carrier;
	char log[16][256];
	int count;
	int fail_with; /* non-zero: every command returns this */
} test_carrier;
void test_carrier_init(test_carrier *c);

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
