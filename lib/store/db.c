#include "db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "switchboard/errors.h"

/* Statements are cached by their SQL text. The library has about 150
 * distinct statements (DDL is never cached); past this many, extra ones
 * are prepared per use, which costs more than running most of them. */
#define CACHE_SLOTS 256

struct sb_stmt {
	sb_store_stmt *raw;
	char *sql;       /* owned copy, the cache key; NULL for uncached */
	uint32_t hash;
	int in_use;      /* a cached statement being stepped cannot be shared */
};

struct sb_db {
	sb_store_driver drv;
	int owns_instance;
	int depth;
	sb_db_hooks hooks;
	sb_stmt cache[CACHE_SLOTS];
	/* Where the SQL at an address was last found. The library's SQL is string
	 * literals, so this usually answers with one strcmp and no hashing. */
	sb_stmt *by_address[CACHE_SLOTS];
	char msg[256];   /* the store layer's own failures, when the driver has none */
};

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int has_every_member(const sb_store_driver *d)
{
	return d->prepare && d->bind_null && d->bind_int64 && d->bind_text && d->bind_blob &&
	       d->step && d->column_type && d->column_int64 && d->column_text &&
	       d->column_blob && d->reset && d->finalize && d->begin && d->commit &&
	       d->rollback && d->errmsg;
}

int sb_db_open(sb_db **out, const sb_store_driver *driver)
{
	if (!out || !driver)
		return SB_EINVAL;
	*out = NULL;
	if (driver->version < 1 || driver->version > SB_STORE_DRIVER_VERSION)
		return SB_EVERSION;
	if (!has_every_member(driver))
		return SB_EINVAL;
	if (driver->dialect != SB_STORE_DIALECT_SQLITE && driver->dialect != SB_STORE_DIALECT_POSTGRES)
		return SB_EINVAL;
	sb_db *db = calloc(1, sizeof *db);
	if (!db)
		return SB_ENOMEM;
	db->drv = *driver;
	*out = db;
	return SB_OK;
}

void sb_db_take_ownership(sb_db *db)
{
	db->owns_instance = 1;
}

void sb_db_close(sb_db *db)
{
	if (!db)
		return;
	if (db->depth > 0)
		db->drv.rollback(db->drv.userdata);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (db->cache[i].raw)
			db->drv.finalize(db->drv.userdata, db->cache[i].raw);
		free(db->cache[i].sql);
	}
	if (db->owns_instance && db->drv.close)
		db->drv.close(db->drv.userdata);
	free(db);
}

int sb_db_dialect(const sb_db *db)
{
	return db->drv.dialect;
}

const char *sb_db_errmsg(const sb_db *db)
{
	if (db->msg[0])
		return db->msg;
	const char *m = db->drv.errmsg(db->drv.userdata);
	return m ? m : "unknown store error";
}

static int set_msg(sb_db *db, int rc, const char *text)
{
	snprintf(db->msg, sizeof db->msg, "%s", text);
	return rc;
}

/* A driver that breaks its contract by returning a positive "error" or
 * SB_OK-with-garbage must not be mistaken for success. */
/* The driver's own text, taken at the failure: the rollback that follows
 * would replace it (SQLite then says "not an error"). */
static int driver_failed(sb_db *db, int rc)
{
	const char *m = db->drv.errmsg(db->drv.userdata);
	return set_msg(db, rc, m && *m ? m : "unknown store error");
}

static int driver_rc(sb_db *db, int rc)
{
	if (rc > 0)
		return set_msg(db, SB_ESTORE, "store driver returned an undefined code");
	return rc < 0 ? driver_failed(db, rc) : rc;
}

static sb_stmt *cache_find(sb_db *db, const char *sql, uint32_t h, sb_stmt **free_slot)
{
	*free_slot = NULL;
	for (uint32_t n = 0; n < CACHE_SLOTS; n++) {
		sb_stmt *s = &db->cache[(h + n) % CACHE_SLOTS];
		if (!s->sql) {
			*free_slot = s;
			return NULL;
		}
		if (s->hash == h && strcmp(s->sql, sql) == 0)
			return s;
	}
	return NULL;
}

/* Hand the driver the statement in its dialect. */
static int driver_prepare(sb_db *db, sb_store_stmt **raw, const char *sql)
{
	char *expanded = sb_dialect_expand(db->drv.dialect, sql);
	if (!expanded)
		return set_msg(db, SB_ENOMEM, "out of memory");
	int rc = driver_rc(db, db->drv.prepare(db->drv.userdata, raw, expanded));
	free(expanded);
	return rc;
}

static int prepare_uncached(sb_db *db, sb_stmt **out, const char *sql)
{
	sb_stmt *st = calloc(1, sizeof *st);
	if (!st)
		return set_msg(db, SB_ENOMEM, "out of memory");
	int rc = driver_prepare(db, &st->raw, sql);
	if (rc != SB_OK) {
		free(st);
		return rc;
	}
	st->in_use = 1;
	*out = st;
	return SB_OK;
}

static sb_stmt **address_slot(sb_db *db, const char *sql)
{
	return &db->by_address[((uintptr_t)sql >> 3) % CACHE_SLOTS];
}

static int prepare(sb_db *db, sb_stmt **out, const char *sql)
{
	sb_stmt **seen = address_slot(db, sql);
	if (*seen && !(*seen)->in_use && strcmp((*seen)->sql, sql) == 0) {
		(*seen)->in_use = 1;
		*out = *seen;
		return SB_OK;
	}
	uint32_t h = hash_sql(sql);
	sb_stmt *slot;
	sb_stmt *hit = cache_find(db, sql, h, &slot);
	if (hit && !hit->in_use) {
		hit->in_use = 1;
		*seen = hit;
		*out = hit;
		return SB_OK;
	}
	if (hit || !slot) /* in use by an outer loop, or the cache is full */
		return prepare_uncached(db, out, sql);
	char *copy = strdup(sql);
	if (!copy)
		return set_msg(db, SB_ENOMEM, "out of memory");
	int rc = driver_prepare(db, &slot->raw, sql);
	if (rc != SB_OK) {
		slot->raw = NULL;
		free(copy);
		return rc;
	}
	slot->sql = copy;
	slot->hash = h;
	slot->in_use = 1;
	*seen = slot;
	*out = slot;
	return SB_OK;
}

static int is_cached(const sb_db *db, const sb_stmt *st)
{
	return st >= db->cache && st < db->cache + CACHE_SLOTS;
}

void sb_db_release(sb_db *db, sb_stmt *st)
{
	if (!st)
		return;
	if (is_cached(db, st)) {
		db->drv.reset(db->drv.userdata, st->raw);
		st->in_use = 0;
		return;
	}
	db->drv.finalize(db->drv.userdata, st->raw);
	free(st);
}

static int bind_all(sb_db *db, sb_stmt *st, const char *types, va_list ap)
{
	void *u = db->drv.userdata;
	int rc = SB_OK;
	for (int i = 1; types && *types && rc == SB_OK; types++, i++) {
		switch (*types) {
		case 'i':
			rc = db->drv.bind_int64(u, st->raw, i, va_arg(ap, int64_t));
			break;
		case 't': {
			const char *t = va_arg(ap, const char *);
			rc = t ? db->drv.bind_text(u, st->raw, i, t, strlen(t)) : db->drv.bind_null(u, st->raw, i);
			break;
		}
		case 's': {
			const char *t = va_arg(ap, const char *);
			size_t n = va_arg(ap, size_t);
			rc = db->drv.bind_text(u, st->raw, i, t, n);
			break;
		}
		case 'b': {
			const void *b = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = b ? db->drv.bind_blob(u, st->raw, i, b, n) : db->drv.bind_null(u, st->raw, i);
			break;
		}
		case 'n':
			rc = db->drv.bind_null(u, st->raw, i);
			break;
		default:
			return set_msg(db, SB_EINVAL, "internal: unknown bind type");
		}
	}
	return driver_rc(db, rc);
}

static int vquery(sb_db *db, sb_stmt **out, const char *sql, const char *types, va_list ap)
{
	*out = NULL;
	sb_stmt *st;
	int rc = prepare(db, &st, sql);
	if (rc != SB_OK)
		return rc;
	rc = bind_all(db, st, types, ap);
	if (rc != SB_OK) {
		sb_db_release(db, st);
		return rc;
	}
	*out = st;
	return SB_OK;
}

int sb_db_query(sb_db *db, sb_stmt **out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vquery(db, out, sql, types, ap);
	va_end(ap);
	return rc;
}

int sb_db_query_ints(sb_db *db, sb_stmt **out, const char *sql, const int64_t *args, size_t n)
{
	*out = NULL;
	sb_stmt *st;
	int rc = prepare(db, &st, sql);
	if (rc != SB_OK)
		return rc;
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		rc = driver_rc(db, db->drv.bind_int64(db->drv.userdata, st->raw, (int)i + 1, args[i]));
	if (rc != SB_OK)
		sb_db_release(db, st);
	else
		*out = st;
	return rc;
}

int sb_db_ids(sb_db *db, int64_t *out, size_t *count, size_t max, const char *sql, const char *types, ...)
{
	sb_stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = vquery(db, &st, sql, types, ap);
	va_end(ap);
	*count = 0;
	while (rc == SB_OK && *count < max && (rc = sb_db_step(db, st)) == SB_STORE_ROW) {
		out[(*count)++] = sb_db_col_int(db, st, 0);
		rc = SB_OK;
	}
	sb_db_release(db, st);
	if (rc < 0)
		*count = 0;
	return rc < 0 ? rc : SB_OK;
}

int sb_db_fill(sb_db *db, sb_stmt *st, sb_db_filler fill, void *out, size_t *count)
{
	int rc;
	while ((rc = sb_db_step(db, st)) == SB_STORE_ROW)
		fill(db, st, out, (*count)++);
	sb_db_release(db, st);
	if (rc < 0)
		*count = 0;
	return rc < 0 ? rc : SB_OK;
}

int sb_db_row(sb_db *db, sb_stmt **out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vquery(db, out, sql, types, ap);
	va_end(ap);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_step(db, *out);
	if (rc == SB_STORE_ROW)
		return SB_OK;
	sb_db_release(db, *out);
	*out = NULL;
	return rc == SB_STORE_DONE ? SB_ENOTFOUND : rc;
}

int sb_db_step(sb_db *db, sb_stmt *st)
{
	int rc = db->drv.step(db->drv.userdata, st->raw);
	if (rc == SB_STORE_ROW || rc == SB_STORE_DONE)
		return rc;
	if (rc > 0)
		return set_msg(db, SB_ESTORE, "store driver returned an undefined step code");
	return driver_failed(db, rc);
}

int sb_db_col_type(sb_db *db, sb_stmt *st, int col)
{
	return db->drv.column_type(db->drv.userdata, st->raw, col);
}

int64_t sb_db_col_int(sb_db *db, sb_stmt *st, int col)
{
	return db->drv.column_int64(db->drv.userdata, st->raw, col);
}

const char *sb_db_col_text(sb_db *db, sb_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const char *t = db->drv.column_text(db->drv.userdata, st->raw, col, &n);
	if (len)
		*len = t ? n : 0;
	return t ? t : "";
}

void sb_db_col_copy(sb_db *db, sb_stmt *st, int col, char *out, size_t room)
{
	size_t n = 0;
	const char *t = sb_db_col_text(db, st, col, &n);
	if (n >= room)
		n = room - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

const void *sb_db_col_blob(sb_db *db, sb_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const void *b = db->drv.column_blob(db->drv.userdata, st->raw, col, &n);
	*len = b ? n : 0;
	return b;
}

static int vrun(sb_db *db, int64_t *first, const char *sql, const char *types, va_list ap)
{
	sb_stmt *st;
	int rc = vquery(db, &st, sql, types, ap);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_step(db, st);
	if (rc == SB_STORE_ROW && first)
		*first = sb_db_col_int(db, st, 0);
	int found = rc == SB_STORE_ROW;
	while (rc == SB_STORE_ROW) /* drain, so a write with RETURNING completes */
		rc = sb_db_step(db, st);
	sb_db_release(db, st);
	if (rc < 0)
		return rc;
	return found ? SB_OK : SB_ENOTFOUND;
}

int sb_db_exec(sb_db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vrun(db, NULL, sql, types, ap);
	va_end(ap);
	return rc == SB_ENOTFOUND ? SB_OK : rc;
}

int sb_db_one_int(sb_db *db, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vrun(db, out, sql, types, ap);
	va_end(ap);
	return rc;
}

int sb_db_insert_id(sb_db *db, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int sqlite = db->drv.dialect == SB_STORE_DIALECT_SQLITE;
	int rc = vrun(db, sqlite ? NULL : out, sql, types, ap);
	va_end(ap);
	if (sqlite && rc == SB_ENOTFOUND) /* no RETURNING there: no row either way */
		rc = sb_db_one_int(db, out, "SELECT last_insert_rowid() WHERE changes() > 0", NULL);
	return rc;
}

/* Savepoint statements carry the depth in their name, so they are built, not
 * cached literals; they still go through the cache (few distinct depths). */
static int savepoint(sb_db *db, const char *verb, int depth)
{
	char sql[64];
	snprintf(sql, sizeof sql, "%s sb_sp%d", verb, depth);
	return sb_db_exec(db, sql, NULL);
}

int sb_db_begin(sb_db *db)
{
	int rc = db->depth == 0 ? driver_rc(db, db->drv.begin(db->drv.userdata, 1))
	                        : savepoint(db, "SAVEPOINT", db->depth);
	if (rc == SB_OK)
		db->depth++;
	return rc;
}

void sb_db_set_hooks(sb_db *db, const sb_db_hooks *hooks)
{
	db->hooks = *hooks;
}

static void undone(sb_db *db, int depth)
{
	db->depth = depth;
	if (db->hooks.after_undo)
		db->hooks.after_undo(db->hooks.ctx, depth);
}

/* Roll back the whole transaction, whatever the driver says. */
static int undo_all(sb_db *db)
{
	int rc = driver_rc(db, db->drv.rollback(db->drv.userdata));
	undone(db, 0);
	return rc;
}

/* Undo the innermost savepoint. If the store cannot even undo, the only
 * safe state left is none of the transaction: roll all of it back. */
static int undo_savepoint(sb_db *db)
{
	int d = db->depth - 1;
	int rc = savepoint(db, "ROLLBACK TO", d);
	if (rc == SB_OK)
		rc = savepoint(db, "RELEASE", d);
	if (rc != SB_OK) {
		undo_all(db);
		return set_msg(db, rc, "the store failed to undo a step; the whole transaction was rolled back");
	}
	undone(db, d);
	return SB_OK;
}

int sb_db_rollback(sb_db *db)
{
	if (db->depth == 0)
		return set_msg(db, SB_ESTATE, "no transaction is open");
	return db->depth > 1 ? undo_savepoint(db) : undo_all(db);
}

int sb_db_commit(sb_db *db)
{
	if (db->depth == 0)
		return set_msg(db, SB_ESTATE, "no transaction is open");
	if (db->depth > 1) {
		int rc = savepoint(db, "RELEASE", db->depth - 1);
		if (rc == SB_OK) {
			db->depth--;
			return SB_OK;
		}
		char why[sizeof db->msg];
		snprintf(why, sizeof why, "%s", sb_db_errmsg(db));
		undo_savepoint(db);
		return set_msg(db, rc, why);
	}
	int rc = db->hooks.before_commit ? db->hooks.before_commit(db->hooks.ctx) : SB_OK;
	if (rc == SB_OK)
		rc = driver_rc(db, db->drv.commit(db->drv.userdata));
	if (rc == SB_OK) {
		db->depth = 0;
		if (db->hooks.after_commit)
			db->hooks.after_commit(db->hooks.ctx);
		return SB_OK;
	}
	/* A failed commit must not leave the transaction half-open. */
	char why[sizeof db->msg];
	snprintf(why, sizeof why, "%s", sb_db_errmsg(db));
	undo_all(db);
	return set_msg(db, rc, why);
}

int sb_db_depth(const sb_db *db)
{
	return db->depth;
}

int sb_db_end(sb_db *db, int rc)
{
	if (rc == SB_OK)
		return sb_db_commit(db);
	sb_db_rollback(db);
	return rc;
}

int sb_db_exec_once(sb_db *db, const char *sql)
{
	sb_stmt *st;
	int rc = prepare_uncached(db, &st, sql);
	if (rc != SB_OK)
		return rc;
	while ((rc = sb_db_step(db, st)) == SB_STORE_ROW)
		;
	sb_db_release(db, st);
	return rc == SB_STORE_DONE ? SB_OK : rc;
}
