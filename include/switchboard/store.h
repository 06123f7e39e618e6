/**
 * @file switchboard/store.h
 * @brief The store driver contract, and the built-in SQLite and PostgreSQL drivers.
 *
 * switchboard keeps everything in a SQL database reached through a driver: a
 * versioned vtable of the few calls the library needs (prepare, bind, step,
 * column, reset, finalize, transactions, last error). The built-in drivers are
 * SQLite (embedded, the default) and PostgreSQL (through libpq, for many
 * application servers in front of one database); a host may supply its own,
 * or wrap one (tests wrap the built-in drivers to inject faults).
 *
 * The contract:
 * - SQL uses `?` placeholders; bind indexes start at 1, column indexes at 0.
 * - Every callback that can fail returns an ::sb_error code: SB_EBUSY when the
 *   database is locked, SB_ECONFLICT for a constraint violation, SB_ESTORE for
 *   anything else. `step` returns SB_STORE_ROW or SB_STORE_DONE on success.
 * - Pointers returned by column_text / column_blob stay valid until the next
 *   step, reset or finalize of that statement.
 * - `errmsg` describes the driver's last failure. It must never quote bound
 *   values (they may be protected health information).
 * - The library serialises all calls on one driver instance: a driver need not
 *   be thread-safe, but it must not share state between instances unsafely.
 * - The struct is append-only: a later version adds members at the end.
 */
#ifndef SWITCHBOARD_STORE_H
#define SWITCHBOARD_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of ::sb_store_driver this library was built with. */
#define SB_STORE_DRIVER_VERSION 1

/** `step` found a row. */
#define SB_STORE_ROW 1
/** `step` finished the statement. */
#define SB_STORE_DONE 0

/** The SQL dialect a driver speaks; the library adapts its DDL to it. */
typedef enum sb_store_dialect {
	SB_STORE_DIALECT_SQLITE = 1,
	SB_STORE_DIALECT_POSTGRES = 2
} sb_store_dialect;

/** A column's type in the current row. */
typedef enum sb_store_type {
	SB_STORE_NULL = 0,
	SB_STORE_INTEGER = 1,
	SB_STORE_TEXT = 2,
	SB_STORE_BLOB = 3
} sb_store_type;

/** A prepared statement; its layout belongs to the driver. */
typedef struct sb_store_stmt sb_store_stmt;

/**
 * A store driver. Fill every member; `userdata` is passed back to each call.
 * The library copies the struct when it is registered.
 */
typedef struct sb_store_driver {
	unsigned int version;  /**< SB_STORE_DRIVER_VERSION */
	void *userdata;        /**< the driver instance (a connection) */
	int dialect;           /**< an ::sb_store_dialect */

	/** Compile `sql` into *out. */
	int (*prepare)(void *userdata, sb_store_stmt **out, const char *sql);
	int (*bind_null)(void *userdata, sb_store_stmt *stmt, int index);
	int (*bind_int64)(void *userdata, sb_store_stmt *stmt, int index, int64_t value);
	/** Bind `len` bytes of UTF-8 text; the driver copies them. */
	int (*bind_text)(void *userdata, sb_store_stmt *stmt, int index, const char *value, size_t len);
	/** Bind `len` bytes; the driver copies them. */
	int (*bind_blob)(void *userdata, sb_store_stmt *stmt, int index, const void *value, size_t len);
	/** Advance: SB_STORE_ROW, SB_STORE_DONE, or a negative error. */
	int (*step)(void *userdata, sb_store_stmt *stmt);
	/** The ::sb_store_type of column `col` of the current row. */
	int (*column_type)(void *userdata, sb_store_stmt *stmt, int col);
	int64_t (*column_int64)(void *userdata, sb_store_stmt *stmt, int col);
	/** NUL-terminated text of column `col`; its byte length in *out_len. */
	const char *(*column_text)(void *userdata, sb_store_stmt *stmt, int col, size_t *out_len);
	/** Bytes of column `col`; their length in *out_len. */
	const void *(*column_blob)(void *userdata, sb_store_stmt *stmt, int col, size_t *out_len);
	/** Make the statement ready to run again and clear its bindings. */
	int (*reset)(void *userdata, sb_store_stmt *stmt);
	/** Release the statement. Never fails. */
	void (*finalize)(void *userdata, sb_store_stmt *stmt);
	/** Start a transaction; `write` non-zero takes the write lock at once. */
	int (*begin)(void *userdata, int write);
	int (*commit)(void *userdata);
	int (*rollback)(void *userdata);
	/** Text of the last failure, never NULL; valid until the next call. */
	const char *(*errmsg)(void *userdata);
	/** Close the instance. Called once, by whoever owns it. May be NULL. */
	void (*close)(void *userdata);
} sb_store_driver;

/** How hard the SQLite driver syncs to disk at commit. */
typedef enum sb_sqlite_sync {
	SB_SQLITE_SYNC_FULL = 0,   /**< the default: durable across power loss */
	SB_SQLITE_SYNC_NORMAL = 1  /**< faster; in WAL mode the last commits may be lost on power loss */
} sb_sqlite_sync;

#define SB_SQLITE_OPTIONS_VERSION 1

/** Options of the SQLite driver. */
typedef struct sb_sqlite_options {
	unsigned int version;     /**< SB_SQLITE_OPTIONS_VERSION */
	int sync;                 /**< an ::sb_sqlite_sync; default FULL */
	int busy_timeout_ms;      /**< wait this long for a lock; default 5000, 0 = fail at once */
} sb_sqlite_options;

#define SB_SQLITE_OPTIONS_INIT { SB_SQLITE_OPTIONS_VERSION, SB_SQLITE_SYNC_FULL, 5000 }

/**
 * Fill `opts` with the defaults.
 * @return SB_OK, or SB_EINVAL when opts is NULL.
 */
SB_EXTERN int sb_sqlite_options_init(sb_sqlite_options *opts);

/**
 * Open a SQLite database and fill `out` with a driver over it.
 *
 * The database gets WAL journaling (for files), foreign keys, secure_delete
 * (deleted content is overwritten), the requested synchronous level and busy
 * timeout. Write transactions use BEGIN IMMEDIATE.
 *
 * Ownership: the caller owns the instance. Pass `out` to
 * sb_practice_open() through ::sb_practice_options.store (on success the
 * practice takes it over), or release it with out->close(out->userdata).
 *
 * @param out   filled on success; untouched on failure
 * @param path  a file path, or ":memory:" for a private in-memory database
 * @param opts  NULL for the defaults
 * @return SB_OK; SB_EINVAL (NULL out or path); SB_EVERSION (unknown opts
 *         version); SB_EINVAL (sync or timeout out of range); SB_ENOMEM;
 *         SB_ESTORE when the file cannot be opened or configured.
 */
SB_EXTERN int sb_store_open_sqlite(sb_store_driver *out, const char *path, const sb_sqlite_options *opts);

/* --- PostgreSQL --------------------------------------------------------- */

/** libpq's connection (`PGconn`); this header does not need libpq's. */
struct pg_conn;

#define SB_POSTGRES_OPTIONS_VERSION 1

/** Options of the PostgreSQL driver. */
typedef struct sb_postgres_options {
	unsigned int version;     /**< SB_POSTGRES_OPTIONS_VERSION */
	/** Wait this long for a row or table lock held by another session;
	 *  default 5000, 0 = do not wait. Past it the call fails with SB_EBUSY. */
	int lock_timeout_ms;
} sb_postgres_options;

#define SB_POSTGRES_OPTIONS_INIT { SB_POSTGRES_OPTIONS_VERSION, 5000 }

/**
 * Fill `opts` with the defaults.
 * @return SB_OK, or SB_EINVAL when opts is NULL.
 */
SB_EXTERN int sb_postgres_options_init(sb_postgres_options *opts);

/**
 * Connect to PostgreSQL and fill `out` with a driver over the new connection.
 *
 * The server must be PostgreSQL 11 or later with a UTF8 database. The
 * connection's role needs CONNECT on the database and USAGE and CREATE on the
 * schema switchboard's tables go in (the first of its search_path), or, once
 * they exist, SELECT, INSERT, UPDATE and DELETE on them. Give the schema in
 * the connection string to keep switchboard in its own:
 * `postgresql://app@db/clinic?options=-csearch_path%3Dswitchboard`.
 *
 * A connection that drops is re-established at the next call outside a
 * transaction. Notices from the server are discarded (they may quote data).
 *
 * Ownership: as sb_store_open_sqlite(): the caller owns the instance until
 * sb_practice_open() succeeds with it; out->close() closes the connection.
 *
 * @param out       filled on success; untouched on failure
 * @param conninfo  a libpq connection string: `key=value ...` or a
 *                  `postgresql://` URI
 * @param opts      NULL for the defaults
 * @param why       NULL, or a buffer that receives why opening failed
 *                  (libpq's words; never the password)
 * @param why_size  its size in bytes
 * @return SB_OK; SB_EINVAL (NULL out or conninfo, negative timeout);
 *         SB_EVERSION (unknown opts version); SB_ENOMEM; SB_ESTORE (cannot
 *         connect, or the database or connection is not UTF8); SB_ENOTSUP
 *         (the server is older than 11, or this library was built without
 *         PostgreSQL support).
 */
SB_EXTERN int sb_store_open_postgres(sb_store_driver *out, const char *conninfo, const sb_postgres_options *opts,
                                     char *why, size_t why_size);

/**
 * Fill `out` with a driver over a connection the host already holds.
 *
 * The driver runs its statements and transactions on `conn` and prepares
 * statements named `sb_<n>` there. The host keeps `conn` and must not use it
 * while a library call runs, nor leave it inside a transaction between calls;
 * its client_encoding must be UTF8. A broken connection is reported, never
 * reset. The host's notice processor is left alone.
 *
 * Ownership: out->close() (or sb_practice_free()) releases the driver and
 * deallocates its statements but leaves `conn` open: close it after that.
 *
 * @return SB_OK; SB_EINVAL (NULL out or conn, negative timeout); SB_EVERSION;
 *         SB_ENOMEM; SB_ESTORE (conn is not open, or not UTF8); SB_ESTATE
 *         (conn is busy or inside a transaction); SB_ENOTSUP (server older
 *         than 11, or no PostgreSQL support in this build).
 */
SB_EXTERN int sb_store_use_postgres(sb_store_driver *out, struct pg_conn *conn, const sb_postgres_options *opts,
                                    char *why, size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
