/*
 * Where the SQL engines differ, in one place. The library writes its SQL
 * once, in the subset both engines share (ON CONFLICT, RETURNING, CAST,
 * `?` placeholders), with a few tokens for what they spell differently;
 * the store layer expands the tokens before a statement reaches the
 * driver. What the drivers handle themselves: placeholders ($n in
 * PostgreSQL) and value encodings (bytea, booleans). Internal.
 */
#ifndef SB_STORE_DIALECT_H
#define SB_STORE_DIALECT_H

/* Tokens:
 *   {id}    an auto-assigned, never reused BIGINT primary key
 *   {blob}  a column of bytes
 *   {for_update}  after a SELECT: lock the rows read until the transaction ends
 *   {returning_id}  at the end of an INSERT run by sb_db_insert_id()
 * Expand them in `sql` for `dialect`: a new string (free it), or NULL when
 * out of memory. Text without tokens comes back as an identical copy. */
char *sb_dialect_expand(int dialect, const char *sql);

/* A statement that serialises migrations between processes inside their
 * write transaction, or NULL where the write transaction already does. */
const char *sb_dialect_migration_lock(int dialect);

/* A query with one text parameter, a table name, that returns a row when
 * the table exists. Asking first, rather than CREATE TABLE IF NOT EXISTS,
 * lets a role without CREATE on the schema open a migrated store. */
const char *sb_dialect_table_exists(int dialect);

/* A statement, run outside any transaction, after which deleted content is
 * gone from the store's files; NULL where no statement can do that. */
const char *sb_dialect_purge(int dialect);

#endif
