/* The built-in store driver: SQLite, embedded. */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchboard/errors.h"
#include "switchboard/store.h"

/* The transaction verbs, run on every transaction: prepared once rather
 * than parsed each time by sqlite3_exec(). */
enum { TX_BEGIN, TX_BEGIN_WRITE, TX_COMMIT, TX_ROLLBACK, TX_VERBS };
static const char *const tx_sql[TX_VERBS] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

typedef struct sqlite_instance {
	sqlite3 *db;
	sqlite3_stmt *tx[TX_VERBS];
} sqlite_instance;

#define DB(ud) (((sqlite_instance *)(ud))->db)
#define STMT(s) ((sqlite3_stmt *)(void *)(s))

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return SB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SB_EBUSY;
	case SQLITE_CONSTRAINT:
		return SB_ECONFLICT;
	case SQLITE_NOMEM:
		return SB_ENOMEM;
	case SQLITE_TOOBIG:
		return SB_ETOOBIG;
	default:
		return SB_ESTORE;
	}
}

static int drv_prepare(void *ud, sb_store_stmt **out, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(DB(ud), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	*out = (sb_store_stmt *)(void *)st;
	return map_rc(rc);
}

static int drv_bind_null(void *ud, sb_store_stmt *s, int i)
{
	(void)ud;
	return map_rc(sqlite3_bind_null(STMT(s), i));
}

static int drv_bind_int64(void *ud, sb_store_stmt *s, int i, int64_t v)
{
	(void)ud;
	return map_rc(sqlite3_bind_int64(STMT(s), i, (sqlite3_int64)v));
}

static int drv_bind_text(void *ud, sb_store_stmt *s, int i, const char *v, size_t n)
{
	(void)ud;
	if (n > INT_MAX)
		return SB_ETOOBIG;
	return map_rc(sqlite3_bind_text(STMT(s), i, v, (int)n, SQLITE_TRANSIENT));
}

static int drv_bind_blob(void *ud, sb_store_stmt *s, int i, const void *v, size_t n)
{
	(void)ud;
	if (n > INT_MAX)
		return SB_ETOOBIG;
	return map_rc(sqlite3_bind_blob(STMT(s), i, v, (int)n, SQLITE_TRANSIENT));
}

static int drv_step(void *ud, sb_store_stmt *s)
{
	(void)ud;
	int rc = sqlite3_step(STMT(s));
	if (rc == SQLITE_ROW)
		return SB_STORE_ROW;
	if (rc == SQLITE_DONE)
		return SB_STORE_DONE;
	int mapped = map_rc(rc);
	return mapped == SB_OK ? SB_ESTORE : mapped;
}

static int drv_column_type(void *ud, sb_store_stmt *s, int col)
{
	(void)ud;
	switch (sqlite3_column_type(STMT(s), col)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		return SB_STORE_INTEGER;
	case SQLITE_TEXT:
		return SB_STORE_TEXT;
	case SQLITE_BLOB:
		return SB_STORE_BLOB;
	default:
		return SB_STORE_NULL;
	}
}

static int64_t drv_column_int64(void *ud, sb_store_stmt *s, int col)
{
	(void)ud;
	return (int64_t)sqlite3_column_int64(STMT(s), col);
}

static const char *drv_column_text(void *ud, sb_store_stmt *s, int col, size_t *len)
{
	(void)ud;
	const char *t = (const char *)sqlite3_column_text(STMT(s), col);
	*len = (size_t)sqlite3_column_bytes(STMT(s), col);
	return t;
}

static const void *drv_column_blob(void *ud, sb_store_stmt *s, int col, size_t *len)
{
	(void)ud;
	const void *b = sqlite3_column_blob(STMT(s), col);
	*len = (size_t)sqlite3_column_bytes(STMT(s), col);
	return b;
}

/* sqlite3_reset() repeats the last step's error; the statement is reset
 * regardless, which is all this call promises. */
static int drv_reset(void *ud, sb_store_stmt *s)
{
	(void)ud;
	sqlite3_reset(STMT(s));
	sqlite3_clear_bindings(STMT(s));
	return SB_OK;
}

static void drv_finalize(void *ud, sb_store_stmt *s)
{
	(void)ud;
	sqlite3_finalize(STMT(s));
}

static int tx(void *ud, int verb)
{
	sqlite_instance *inst = ud;
	int rc = SQLITE_OK;
	if (!inst->tx[verb])
		rc = sqlite3_prepare_v3(inst->db, tx_sql[verb], -1, SQLITE_PREPARE_PERSISTENT, &inst->tx[verb], NULL);
	if (rc != SQLITE_OK)
		return map_rc(rc);
	rc = sqlite3_step(inst->tx[verb]);
	sqlite3_reset(inst->tx[verb]);
	return rc == SQLITE_DONE ? SB_OK : map_rc(rc);
}

static int drv_begin(void *ud, int write)
{
	return tx(ud, write ? TX_BEGIN_WRITE : TX_BEGIN);
}

static int drv_commit(void *ud)
{
	return tx(ud, TX_COMMIT);
}

/* SQLite may already have rolled back by itself (after SQLITE_FULL, say). */
static int drv_rollback(void *ud)
{
	if (sqlite3_get_autocommit(DB(ud)))
		return SB_OK;
	return tx(ud, TX_ROLLBACK);
}

static const char *drv_errmsg(void *ud)
{
	return sqlite3_errmsg(DB(ud));
}

static void drv_close(void *ud)
{
	if (!ud)
		return;
	for (int i = 0; i < TX_VERBS; i++)
		sqlite3_finalize(((sqlite_instance *)ud)->tx[i]);
	sqlite3_close_v2(DB(ud));
	free(ud);
}

int sb_sqlite_options_init(sb_sqlite_options *opts)
{
	if (!opts)
		return SB_EINVAL;
	sb_sqlite_options def = SB_SQLITE_OPTIONS_INIT;
	*opts = def;
	return SB_OK;
}

/* Turning a new file to WAL needs a lock SQLite does not wait for when
 * another connection is mid-transaction on it (waiting could deadlock), so
 * several processes opening a fresh store at once retry here, within the
 * busy timeout. */
static int set_wal(sqlite3 *db, int timeout_ms)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= timeout_ms)
			return rc;
		sqlite3_sleep(10);
	}
}

static int configure(sqlite3 *db, const sb_sqlite_options *o)
{
	char sql[256];
	/* temp_store=MEMORY: savepoint sub-journals and sort files stay in memory,
	 * which is faster and keeps page images (PHI, when unkeyed) out of temp files. */
	snprintf(sql, sizeof sql,
	         "PRAGMA synchronous=%s; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA trusted_schema=OFF;"
	         " PRAGMA temp_store=MEMORY;",
	         o->sync == SB_SQLITE_SYNC_NORMAL ? "NORMAL" : "FULL");
	int rc = sqlite3_busy_timeout(db, o->busy_timeout_ms);
	if (rc == SQLITE_OK)
		rc = set_wal(db, o->busy_timeout_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_extended_result_codes(db, 1);
	return rc;
}

int sb_store_open_sqlite(sb_store_driver *out, const char *path, const sb_sqlite_options *opts)
{
	sb_sqlite_options o = SB_SQLITE_OPTIONS_INIT;
	if (!out || !path)
		return SB_EINVAL;
	if (opts) {
		if (opts->version < 1 || opts->version > SB_SQLITE_OPTIONS_VERSION)
			return SB_EVERSION;
		o = *opts;
	}
	if ((o.sync != SB_SQLITE_SYNC_FULL && o.sync != SB_SQLITE_SYNC_NORMAL) || o.busy_timeout_ms < 0)
		return SB_EINVAL;
	sqlite_instance *inst = calloc(1, sizeof *inst);
	if (!inst)
		return SB_ENOMEM;
	/* One thread at a time per handle is the library's rule, so SQLite's own
	 * connection mutex would only cost time. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &inst->db, flags, NULL);
	if (rc == SQLITE_OK)
		rc = configure(inst->db, &o);
	if (rc != SQLITE_OK) {
		int mapped = map_rc(rc);
		drv_close(inst);
		return mapped == SB_ENOMEM ? SB_ENOMEM : SB_ESTORE;
	}
	sb_store_driver d = {
		SB_STORE_DRIVER_VERSION, inst, SB_STORE_DIALECT_SQLITE,
		drv_prepare, drv_bind_null, drv_bind_int64, drv_bind_text, drv_bind_blob,
		drv_step, drv_column_type, drv_column_int64, drv_column_text, drv_column_blob,
		drv_reset, drv_finalize, drv_begin, drv_commit, drv_rollback, drv_errmsg, drv_close,
	};
	*out = d;
	return SB_OK;
}
