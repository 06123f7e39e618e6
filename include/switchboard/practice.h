/**
 * @file switchboard/practice.h
 * @brief The practice handle: one tenant of a store, and the entry point of
 * every other call.
 *
 * One store can hold many practices. A practice handle reads and writes only its
 * own practice's rows; nothing crosses between practices.
 *
 * Threads: one thread at a time per handle; different handles may be used
 * concurrently from different threads (each has its own store connection).
 *
 * Errors: every call that fails keeps a detail message on the handle, read with
 * sb_practice_errmsg() right after the call. It names the field or rule that
 * failed and never contains protected health information. As with SQLite's
 * sqlite3_errmsg(), the message always describes the handle's most recent
 * call: after a call that succeeded it is SB_NOT_AN_ERROR ("not an error").
 */
#ifndef SWITCHBOARD_PRACTICE_H
#define SWITCHBOARD_PRACTICE_H

#include "common.h"
#include "store.h"
#include "carrier.h"
#include "clock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open practice. Opaque. */
typedef struct sb_practice sb_practice;

#define SB_PRACTICE_OPTIONS_VERSION 1
/** Longest practice name, in bytes. */
#define SB_PRACTICE_NAME_MAX 128u

/** How to open a practice. Zero members mean the defaults. */
typedef struct sb_practice_options {
	unsigned int version;        /**< SB_PRACTICE_OPTIONS_VERSION */
	/** Which practice of the store: created on first open. NULL means "default". UTF-8, 1..128 bytes. */
	const char *practice;
	/** The store, opened with default driver options: a `postgresql://` or
	 *  `postgres://` URI (libpq's syntax) reaches PostgreSQL; anything else is
	 *  a SQLite file path (or ":memory:"; write "./postgres://x" for a file
	 *  of that name). Ignored when `store` is set. */
	const char *store_path;
	/** A store driver (see store.h). Copied; on success the practice owns the instance and closes it when freed. */
	const sb_store_driver *store;
	/** The carrier (see carrier.h), or NULL for none: commands then fail with SB_ENOTSUP. Copied. */
	const sb_carrier *carrier;
	/** The clock (see clock.h), or NULL for real time. Copied. */
	const sb_clock *clock;
	/** A master key of SB_KEY_BYTES bytes, or NULL. With a key, PHI is stored sealed. Copied into locked memory. */
	const unsigned char *key;
	/** Must be SB_KEY_BYTES when `key` is set. */
	size_t key_len;
} sb_practice_options;

#define SB_PRACTICE_OPTIONS_INIT { SB_PRACTICE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * Fill `opts` with the defaults (same as SB_PRACTICE_OPTIONS_INIT).
 * @return SB_OK, or SB_EINVAL when opts is NULL.
 */
SB_EXTERN int sb_practice_options_init(sb_practice_options *opts);

/**
 * Open (creating when needed) a practice in a store.
 *
 * Runs pending schema migrations first, each in its own transaction. A practice
 * created with a key must always be opened with that key; one created without
 * a key cannot later be opened with one.
 *
 * Like sqlite3_open(), *out receives a handle even when opening fails (unless
 * memory ran out, then it is NULL) so that sb_practice_errmsg() can tell why;
 * such a handle answers only sb_practice_errmsg() and sb_practice_free().
 *
 * @param out   receives the handle; free it with sb_practice_free()
 * @param opts  the options (NULL is SB_EINVAL: a store must be named)
 * @return SB_OK;
 *   SB_EINVAL (no out, no opts, no store, bad key length, NULL driver member);
 *   SB_EVERSION (unknown options, driver, carrier or clock version);
 *   SB_EUTF8 / SB_ETOOBIG (practice name);
 *   SB_ESCHEMA (the store was written by a newer library);
 *   SB_EKEY (key missing, unexpected or wrong for this practice);
 *   SB_EBUSY, SB_ESTORE (the store failed, or cannot be reached);
 *   SB_ENOTSUP (a PostgreSQL URI, in a build without PostgreSQL support,
 *   or a server older than 11); SB_ENOMEM.
 *   On failure a driver passed in `store` still belongs to the caller.
 */
SB_EXTERN int sb_practice_open(sb_practice **out, const sb_practice_options *opts);

/**
 * Close a practice: roll back an open transaction, close the store, wipe keys.
 * @param p the handle, or NULL (then nothing happens).
 */
SB_EXTERN void sb_practice_free(sb_practice *p);

/** What sb_practice_errmsg() says after a call that succeeded. */
#define SB_NOT_AN_ERROR "not an error"

/**
 * The detail of the handle's most recent call: why it failed, or
 * SB_NOT_AN_ERROR when it succeeded (also right after sb_practice_open()).
 * @return text owned by the handle, valid until its next call; a static text
 *         when p is NULL.
 */
SB_EXTERN const char *sb_practice_errmsg(const sb_practice *p);

/**
 * The practice's id in the store (stable for the life of the store).
 * @return the id (> 0), or 0 when p is NULL or not open.
 */
SB_EXTERN sb_id sb_practice_id(const sb_practice *p);

/**
 * The current time from the practice's clock.
 * @param out receives epoch milliseconds
 * @return SB_OK; SB_EINVAL (NULL out or p); SB_ESTATE (handle not open);
 *         SB_EUSER (the host clock failed).
 */
SB_EXTERN int sb_practice_now(int64_t *out, sb_practice *p);

/**
 * Start a transaction that groups the following calls: they become visible to
 * other handles together, at sb_practice_commit(), or not at all. Calls may
 * nest; an inner pair commits into the outer one. A call that fails inside
 * the transaction leaves the transaction as it was before that call.
 *
 * @return SB_OK; SB_EINVAL (NULL p); SB_ESTATE (handle not open);
 *         SB_EBUSY (another writer holds the store); SB_ESTORE.
 */
SB_EXTERN int sb_practice_begin(sb_practice *p);

/**
 * Commit the innermost transaction started with sb_practice_begin().
 * @return SB_OK; SB_EINVAL; SB_ESTATE (no transaction open); SB_EBUSY;
 *         SB_ESTORE (the transaction was then rolled back).
 */
SB_EXTERN int sb_practice_commit(sb_practice *p);

/**
 * Undo everything since the matching sb_practice_begin().
 * @return SB_OK; SB_EINVAL; SB_ESTATE (no transaction open); SB_ESTORE.
 */
SB_EXTERN int sb_practice_rollback(sb_practice *p);

#ifdef __cplusplus
}
#endif

#endif
