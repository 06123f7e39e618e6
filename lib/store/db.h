/*
 * The store layer every module speaks through: a registered driver plus a
 * prepared-statement cache and nested transactions (savepoints). Internal.
 */
#ifndef SB_STORE_DB_H
#define SB_STORE_DB_H

#include "switchboard/store.h"

typedef struct sb_db sb_db;
typedef struct sb_stmt sb_stmt;

/* Validate and copy `driver`. The instance is owned by the caller until
 * sb_db_take_ownership(); sb_db_close() closes it only after that. */
int sb_db_open(sb_db **out, const sb_store_driver *driver);
void sb_db_take_ownership(sb_db *db);
void sb_db_close(sb_db *db);
int sb_db_dialect(const sb_db *db);
const char *sb_db_errmsg(const sb_db *db);

/* Prepare (from the cache when possible) and bind.  `types` has one letter
 * per argument: 'i' int64_t, 't' NUL-terminated text, 's' text + size_t length,
 * 'b' blob pointer + size_t length, 'n' NULL (takes no argument). */
int sb_db_query(sb_db *db, sb_stmt **out, const char *sql, const char *types, ...);
/* Prepare SQL built at run time (cached by its text like any other) and
 * bind n integers to its placeholders in order. */
int sb_db_query_ints(sb_db *db, sb_stmt **out, const char *sql, const int64_t *args, size_t n);
/* Step a query to its end, each row written by fill() into out[*count],
 * then release it: SB_OK, or the error with *count back to 0. */
typedef void (*sb_db_filler)(sb_db *db, sb_stmt *st, void *out, size_t i);
int sb_db_fill(sb_db *db, sb_stmt *st, sb_db_filler fill, void *out, size_t *count);
/* Query and step once: SB_OK with *out on its first row (release it), or
 * SB_ENOTFOUND / an error with nothing left to release. */
int sb_db_row(sb_db *db, sb_stmt **out, const char *sql, const char *types, ...);
/* Query and collect the first column of up to `max` rows into out[]
 * (*count of them); on failure *count is 0. */
int sb_db_ids(sb_db *db, int64_t *out, size_t *count, size_t max, const char *sql, const char *types, ...);
/* SB_STORE_ROW, SB_STORE_DONE or a negative sb_error. */
int sb_db_step(sb_db *db, sb_stmt *st);
int sb_db_col_type(sb_db *db, sb_stmt *st, int col);
int64_t sb_db_col_int(sb_db *db, sb_stmt *st, int col);
const char *sb_db_col_text(sb_db *db, sb_stmt *st, int col, size_t *len);
/* A text column into out (room bytes), cut at room - 1, NUL-terminated. */
void sb_db_col_copy(sb_db *db, sb_stmt *st, int col, char *out, size_t room);
const void *sb_db_col_blob(sb_db *db, sb_stmt *st, int col, size_t *len);
/* Reset a cached statement or finalize an uncached one. Accepts NULL. */
void sb_db_release(sb_db *db, sb_stmt *st);

/* Run a statement that returns no rows (or whose rows are not wanted). */
int sb_db_exec(sb_db *db, const char *sql, const char *types, ...);
/* Run a statement that runs once in the handle's life (DDL) without
 * keeping it in the statement cache. */
int sb_db_exec_once(sb_db *db, const char *sql);
/* Run a statement once: SB_OK when it returned a row (first column in *out,
 * when out is not NULL), SB_ENOTFOUND when it returned none. */
int sb_db_one_int(sb_db *db, int64_t *out, const char *sql, const char *types, ...);

/* Run an INSERT of at most one row whose SQL ends in {returning_id}: SB_OK
 * with the new row's id in *out, SB_ENOTFOUND when it inserted none (its
 * ON CONFLICT DO NOTHING met a conflict), or an error. PostgreSQL returns
 * the id with the row; SQLite asks last_insert_rowid() in a second
 * statement, because there a RETURNING clause costs more than that
 * statement does: without it, batched ingest ran 8% fewer instructions. */
int sb_db_insert_id(sb_db *db, int64_t *out, const char *sql, const char *types, ...);

/* Nested transactions: the outermost is the driver's (a write transaction),
 * inner ones are savepoints, so an inner failure undoes only itself. */
int sb_db_begin(sb_db *db);
int sb_db_commit(sb_db *db);
int sb_db_rollback(sb_db *db);
int sb_db_depth(const sb_db *db);
/* Commit when rc is SB_OK, else roll back; returns rc or the commit error. */
int sb_db_end(sb_db *db, int rc);

/* What the layer above keeps per transaction. before_commit runs just before
 * the outermost commit, inside the transaction (its failure rolls it all
 * back); after_undo runs after a savepoint or the whole transaction was
 * rolled back, with the depth now open (0: none); after_commit runs once the
 * outermost commit succeeded. Any may be NULL. */
typedef struct sb_db_hooks {
	int (*before_commit)(void *ctx);
	void (*after_undo)(void *ctx, int depth);
	void (*after_commit)(void *ctx); /* the outermost commit succeeded */
	void *ctx;
} sb_db_hooks;
void sb_db_set_hooks(sb_db *db, const sb_db_hooks *hooks);

#endif
