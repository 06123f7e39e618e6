/*
 * The PostgreSQL store driver, over libpq.
 *
 * How the driver contract maps onto the server:
 * - Statements are named server-side prepared statements. SQL arrives with
 *   `?` placeholders, rewritten once to $1..$n (outside quotes and comments).
 * - A statement with parameters is prepared at its first step, when the bound
 *   values give the parameter types (int64 -> bigint, text -> text, blob ->
 *   bytea, NULL -> inferred by the server): PostgreSQL cannot always infer a type
 *   from the SQL alone (`SELECT ?`), and a failed prepare inside a
 *   transaction would abort it. Statements without parameters are prepared
 *   at once, so that SQL errors show where SQLite shows them.
 * - Results come whole, in text format; bytea is decoded on demand. A step
 *   therefore never holds the connection, and statements nest freely (the
 *   library's lists are bounded pages).
 * - Write transactions are READ COMMITTED with a lock timeout; read ones are
 *   a REPEATABLE READ snapshot. The library's racing writes rely on
 *   constraints, upserts and row locks, never on a serialised writer.
 * - A connection we opened that drops is re-established at the next
 *   transaction or statement outside one; statements are prepared again
 *   there. A connection the host lent us is never reset: its loss is reported.
 * - Error text is built from the SQLSTATE and the server's primary message,
 *   never its DETAIL (which quotes rows); for data exceptions (class 22),
 *   whose primary message may quote the offending value, not even that.
 */
#include <libpq-fe.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchboard/errors.h"
#include "switchboard/store.h"

/* Fixed type OIDs of the built-in types (pg_type.dat). */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

#define MIN_SERVER_VERSION 110000 /* identity columns, EXECUTE FUNCTION triggers */
#define NAME_SIZE 24

enum param_kind { PARAM_NULL = 0, PARAM_INT, PARAM_TEXT, PARAM_BLOB };

typedef struct pg_param {
	int kind;
	char *data;  /* owned copy; text is NUL-terminated */
	size_t len;
} pg_param;

typedef struct pg_instance pg_instance;

typedef struct pg_stmt {
	char name[NAME_SIZE];
	char *sql;             /* with $n placeholders */
	int nparams;
	unsigned gen;          /* connection generation it is prepared on; 0: not prepared */
	Oid *types;            /* the types it was prepared with */
	pg_param *params;
	const char **values;   /* what PQexecPrepared takes, filled per execution */
	int *lengths, *formats;
	PGresult *res;         /* NULL until executed */
	int row, nrows;
	unsigned char **blobs; /* decoded bytea of the current row, per column */
	size_t *blob_lens;
} pg_stmt;

struct pg_instance {
	PGconn *conn;
	int owned;             /* we opened it: we may reset it and we close it */
	unsigned gen;          /* bumped when the connection is re-established */
	unsigned next_name;
	int lock_timeout_ms;
	int txn;               /* a transaction of ours is open: never reconnect under it */
	char **doomed;         /* names to DEALLOCATE when the connection is idle */
	size_t n_doomed, cap_doomed;
	char msg[320];
};

#define PG(ud) ((pg_instance *)(ud))
#define ST(s) ((pg_stmt *)(void *)(s))

static int say(pg_instance *pg, int rc, const char *text)
{
	snprintf(pg->msg, sizeof pg->msg, "%s", text);
	return rc;
}

/* libpq's own message (connection-level), on one line. */
static int say_conn(pg_instance *pg, int rc, const char *what)
{
	snprintf(pg->msg, sizeof pg->msg, "%s: %s", what, PQerrorMessage(pg->conn));
	for (char *c = pg->msg; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = *(c + 1) ? ' ' : '\0';
	return rc;
}

static int map_sqlstate(const char *state)
{
	if (!state || strlen(state) != 5)
		return SB_ESTORE;
	if (strncmp(state, "23", 2) == 0)
		return SB_ECONFLICT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") || !strcmp(state, "55006"))
		return SB_EBUSY;
	if (!strcmp(state, "53200"))
		return SB_ENOMEM;
	if (strncmp(state, "54", 2) == 0)
		return SB_ETOOBIG;
	return SB_ESTORE;
}

/* Map a failed result to an sb_error and describe it without quoting data. */
static int result_error(pg_instance *pg, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return say_conn(pg, SB_ESTORE, "PostgreSQL");
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (strncmp(state, "22", 2) == 0 || !primary)
		primary = "a value was rejected (not shown: it may be protected health information)";
	snprintf(pg->msg, sizeof pg->msg, "PostgreSQL %s: %s", state, primary);
	return map_sqlstate(state);
}

/* Run a statement without parameters and keep only its outcome. */
static int run(pg_instance *pg, const char *sql)
{
	PGresult *res = PQexec(pg->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? SB_OK : result_error(pg, res);
	PQclear(res);
	return rc;
}

static int session_idle(const pg_instance *pg)
{
	return PQtransactionStatus(pg->conn) == PQTRANS_IDLE;
}

/* --- statement names that wait to be deallocated --- */

static void forget_doomed(pg_instance *pg)
{
	for (size_t i = 0; i < pg->n_doomed; i++)
		free(pg->doomed[i]);
	pg->n_doomed = 0;
}

/* One round trip for all of them, and only outside a transaction, where a
 * failure cannot abort anything of the library's or the host's. */
static void deallocate_doomed(pg_instance *pg)
{
	if (pg->n_doomed == 0 || !session_idle(pg))
		return;
	size_t cap = pg->n_doomed * (NAME_SIZE + 16) + 1, n = 0;
	char *sql = malloc(cap);
	if (sql) {
		for (size_t i = 0; i < pg->n_doomed; i++)
			n += (size_t)snprintf(sql + n, cap - n, "DEALLOCATE %s;", pg->doomed[i]);
		PQclear(PQexec(pg->conn, sql)); /* a name lost with an old connection is harmless */
		free(sql);
	}
	forget_doomed(pg);
}

static void doom(pg_instance *pg, const char *name)
{
	if (pg->n_doomed == pg->cap_doomed) {
		size_t cap = pg->cap_doomed ? pg->cap_doomed * 2 : 16;
		char **grown = realloc(pg->doomed, cap * sizeof *grown);
		if (!grown)
			return; /* the server frees it with the session */
		pg->doomed = grown;
		pg->cap_doomed = cap;
	}
	char *copy = strdup(name);
	if (copy)
		pg->doomed[pg->n_doomed++] = copy;
}

/* --- the connection --- */

/* A dropped connection of ours comes back here, but only between
 * transactions: under one, the work done so far is gone and must fail. */
static int ensure_connected(pg_instance *pg)
{
	if (PQstatus(pg->conn) == CONNECTION_OK)
		return SB_OK;
	if (pg->txn)
		return say_conn(pg, SB_ESTORE, "the PostgreSQL connection was lost during a transaction");
	if (!pg->owned)
		return say_conn(pg, SB_ESTORE, "the host's PostgreSQL connection is broken");
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK)
		return say_conn(pg, SB_ESTORE, "reconnecting to PostgreSQL");
	pg->gen++;
	forget_doomed(pg); /* they died with the old session */
	return SB_OK;
}

/* --- SQL rewriting: ? -> $n --- */

/* Length of the quoted or commented run starting at s (0 when none). */
static size_t skip_quoted(const char *s)
{
	if (*s == '\'' || *s == '"') {
		const char *e = s + 1;
		while (*e && !(*e == *s && e[1] != *s))
			e += *e == *s ? 2 : 1; /* a doubled quote is an escaped one */
		return (size_t)(e - s) + (*e ? 1 : 0);
	}
	if (s[0] == '-' && s[1] == '-')
		return strcspn(s, "\n");
	if (s[0] == '/' && s[1] == '*') {
		const char *e = strstr(s + 2, "*/");
		return e ? (size_t)(e + 2 - s) : strlen(s);
	}
	if (*s == '$') { /* $tag$ ... $tag$, including $$ ... $$ */
		size_t t = 1 + strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		if (s[t] != '$')
			return 0;
		size_t tag = t + 1;
		for (const char *e = s + tag; *e; e++)
			if (strncmp(e, s, tag) == 0)
				return (size_t)(e - s) + tag;
		return strlen(s);
	}
	return 0;
}

static char *rewrite_placeholders(const char *sql, int *nparams)
{
	size_t cap = strlen(sql) * 6 + 1, n = 0; /* "?" -> "$32767" at most */
	char *out = malloc(cap);
	if (!out)
		return NULL;
	*nparams = 0;
	for (const char *s = sql; *s;) {
		size_t q = skip_quoted(s);
		if (q) {
			memcpy(out + n, s, q);
			n += q;
			s += q;
		} else if (*s == '?') {
			n += (size_t)snprintf(out + n, cap - n, "$%d", ++*nparams);
			s++;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

/* --- statements --- */

static void clear_row(pg_stmt *st)
{
	if (!st->blobs || !st->res)
		return;
	for (int c = 0; c < PQnfields(st->res); c++) {
		PQfreemem(st->blobs[c]);
		st->blobs[c] = NULL;
	}
}

static void clear_result(pg_stmt *st)
{
	clear_row(st);
	free(st->blobs);
	free(st->blob_lens);
	st->blobs = NULL;
	st->blob_lens = NULL;
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
}

static void clear_params(pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->params[i].data);
		st->params[i].data = NULL;
		st->params[i].kind = PARAM_NULL;
		st->params[i].len = 0;
	}
}

static void free_stmt(pg_stmt *st)
{
	clear_result(st);
	clear_params(st);
	free(st->params);
	free(st->types);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->sql);
	free(st);
}

/* The type a bound value gives its parameter; NULL leaves it to the server. */
static Oid wanted_type(const pg_param *p)
{
	static const Oid by_kind[] = {[PARAM_NULL] = 0, [PARAM_INT] = OID_INT8, [PARAM_TEXT] = OID_TEXT,
	                              [PARAM_BLOB] = OID_BYTEA};
	return by_kind[p->kind];
}

/* Prepared on this connection, with types that fit what is bound now? */
static int prepared_fits(const pg_instance *pg, const pg_stmt *st)
{
	if (st->gen != pg->gen)
		return 0;
	for (int i = 0; i < st->nparams; i++) {
		Oid want = wanted_type(&st->params[i]);
		if (want && st->types[i] != want)
			return 0;
	}
	return 1;
}

static int server_prepare(pg_instance *pg, pg_stmt *st)
{
	if (st->gen == pg->gen) /* prepared with other types: retire that one */
		doom(pg, st->name);
	snprintf(st->name, sizeof st->name, "sb_%u", ++pg->next_name);
	for (int i = 0; i < st->nparams; i++)
		st->types[i] = wanted_type(&st->params[i]);
	PGresult *res = PQprepare(pg->conn, st->name, st->sql, st->nparams, st->types);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? SB_OK : result_error(pg, res);
	PQclear(res);
	st->gen = rc == SB_OK ? pg->gen : 0;
	return rc;
}

static int drv_prepare(void *ud, sb_store_stmt **out, const char *sql)
{
	pg_instance *pg = PG(ud);
	*out = NULL;
	int rc = ensure_connected(pg);
	if (rc != SB_OK)
		return rc;
	pg_stmt *st = calloc(1, sizeof *st);
	if (!st)
		return say(pg, SB_ENOMEM, "out of memory");
	st->sql = rewrite_placeholders(sql, &st->nparams);
	if (st->nparams > 0) {
		st->params = calloc((size_t)st->nparams, sizeof *st->params);
		st->types = calloc((size_t)st->nparams, sizeof *st->types);
		st->values = calloc((size_t)st->nparams, sizeof *st->values);
		st->lengths = calloc((size_t)st->nparams, sizeof *st->lengths);
		st->formats = calloc((size_t)st->nparams, sizeof *st->formats);
	}
	if (!st->sql || (st->nparams > 0 && (!st->params || !st->types || !st->values || !st->lengths ||
	                                     !st->formats))) {
		free_stmt(st);
		return say(pg, SB_ENOMEM, "out of memory");
	}
	if (st->nparams == 0) {
		rc = server_prepare(pg, st);
		if (rc != SB_OK) {
			free_stmt(st);
			return rc;
		}
	}
	*out = (sb_store_stmt *)(void *)st;
	return SB_OK;
}

static pg_param *param_at(pg_instance *pg, pg_stmt *st, int index, int *rc)
{
	if (index < 1 || index > st->nparams) {
		*rc = say(pg, SB_ESTORE, "bind index out of range");
		return NULL;
	}
	pg_param *p = &st->params[index - 1];
	free(p->data);
	p->data = NULL;
	p->kind = PARAM_NULL;
	p->len = 0;
	*rc = SB_OK;
	return p;
}

static int set_param(pg_instance *pg, pg_param *p, int kind, const void *v, size_t n)
{
	p->data = malloc(n + 1);
	if (!p->data)
		return say(pg, SB_ENOMEM, "out of memory");
	if (n)
		memcpy(p->data, v, n);
	p->data[n] = '\0';
	p->len = n;
	p->kind = kind;
	return SB_OK;
}

static int drv_bind_null(void *ud, sb_store_stmt *s, int i)
{
	int rc;
	param_at(PG(ud), ST(s), i, &rc);
	return rc;
}

static int drv_bind_int64(void *ud, sb_store_stmt *s, int i, int64_t v)
{
	int rc;
	pg_param *p = param_at(PG(ud), ST(s), i, &rc);
	if (!p)
		return rc;
	char text[24];
	int n = snprintf(text, sizeof text, "%lld", (long long)v);
	return set_param(PG(ud), p, PARAM_INT, text, (size_t)n);
}

static int drv_bind_text(void *ud, sb_store_stmt *s, int i, const char *v, size_t n)
{
	int rc;
	pg_param *p = param_at(PG(ud), ST(s), i, &rc);
	if (!p)
		return rc;
	if (n > INT_MAX)
		return say(PG(ud), SB_ETOOBIG, "text longer than PostgreSQL accepts");
	if (memchr(v, '\0', n))
		return say(PG(ud), SB_EINVAL, "text holds a NUL byte, which PostgreSQL cannot store");
	return set_param(PG(ud), p, PARAM_TEXT, v, n);
}

static int drv_bind_blob(void *ud, sb_store_stmt *s, int i, const void *v, size_t n)
{
	int rc;
	pg_param *p = param_at(PG(ud), ST(s), i, &rc);
	if (!p)
		return rc;
	if (n > INT_MAX)
		return say(PG(ud), SB_ETOOBIG, "blob longer than PostgreSQL accepts");
	return set_param(PG(ud), p, PARAM_BLOB, v, n);
}

static int execute(pg_instance *pg, pg_stmt *st)
{
	int rc = ensure_connected(pg);
	if (rc == SB_OK && pg->n_doomed >= 32)
		deallocate_doomed(pg);
	if (rc == SB_OK && !prepared_fits(pg, st))
		rc = server_prepare(pg, st);
	if (rc != SB_OK)
		return rc;
	for (int i = 0; i < st->nparams; i++) {
		st->values[i] = st->params[i].kind == PARAM_NULL ? NULL : st->params[i].data;
		st->lengths[i] = (int)st->params[i].len;
		st->formats[i] = st->params[i].kind == PARAM_BLOB; /* bytes go binary, the rest as text */
	}
	st->res = PQexecPrepared(pg->conn, st->name, st->nparams, st->values, st->lengths, st->formats, 0);
	ExecStatusType s = PQresultStatus(st->res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		rc = result_error(pg, st->res);
		clear_result(st);
		return rc;
	}
	st->nrows = PQntuples(st->res);
	st->row = -1;
	int cols = PQnfields(st->res);
	if (cols > 0) {
		st->blobs = calloc((size_t)cols, sizeof *st->blobs);
		st->blob_lens = calloc((size_t)cols, sizeof *st->blob_lens);
		if (!st->blobs || !st->blob_lens) {
			clear_result(st);
			return say(pg, SB_ENOMEM, "out of memory");
		}
	}
	return SB_OK;
}

static int drv_step(void *ud, sb_store_stmt *s)
{
	pg_stmt *st = ST(s);
	if (!st->res) {
		int rc = execute(PG(ud), st);
		if (rc != SB_OK)
			return rc;
	}
	clear_row(st);
	if (st->row < st->nrows)
		st->row++;
	return st->row < st->nrows ? SB_STORE_ROW : SB_STORE_DONE;
}

static int has_value(const pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res) &&
	       !PQgetisnull(st->res, st->row, col);
}

static int drv_column_type(void *ud, sb_store_stmt *s, int col)
{
	(void)ud;
	pg_stmt *st = ST(s);
	if (!has_value(st, col))
		return SB_STORE_NULL;
	switch (PQftype(st->res, col)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
	case OID_NUMERIC: case OID_FLOAT4: case OID_FLOAT8:
		return SB_STORE_INTEGER;
	case OID_BYTEA:
		return SB_STORE_BLOB;
	default:
		return SB_STORE_TEXT;
	}
}

static int64_t drv_column_int64(void *ud, sb_store_stmt *s, int col)
{
	(void)ud;
	pg_stmt *st = ST(s);
	if (!has_value(st, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	return (int64_t)strtoll(v, NULL, 10);
}

static const char *drv_column_text(void *ud, sb_store_stmt *s, int col, size_t *len)
{
	(void)ud;
	pg_stmt *st = ST(s);
	*len = 0;
	if (!has_value(st, col))
		return NULL;
	*len = (size_t)PQgetlength(st->res, st->row, col);
	return PQgetvalue(st->res, st->row, col);
}

static const void *drv_column_blob(void *ud, sb_store_stmt *s, int col, size_t *len)
{
	pg_stmt *st = ST(s);
	*len = 0;
	if (!has_value(st, col))
		return NULL;
	if (PQftype(st->res, col) != OID_BYTEA)
		return drv_column_text(ud, s, col, len);
	if (!st->blobs[col]) {
		const unsigned char *text = (const unsigned char *)PQgetvalue(st->res, st->row, col);
		st->blobs[col] = PQunescapeBytea(text, &st->blob_lens[col]);
		if (!st->blobs[col])
			return NULL; /* out of memory */
	}
	*len = st->blob_lens[col];
	return st->blobs[col];
}

static int drv_reset(void *ud, sb_store_stmt *s)
{
	(void)ud;
	clear_result(ST(s));
	clear_params(ST(s));
	return SB_OK;
}

static void drv_finalize(void *ud, sb_store_stmt *s)
{
	pg_instance *pg = PG(ud);
	pg_stmt *st = ST(s);
	if (!st)
		return;
	if (st->gen == pg->gen)
		doom(pg, st->name);
	free_stmt(st);
}

/* --- transactions --- */

static int drv_begin(void *ud, int write)
{
	pg_instance *pg = PG(ud);
	if (pg->txn)
		return say(pg, SB_ESTATE, "a transaction is already open");
	int rc = ensure_connected(pg);
	if (rc != SB_OK)
		return rc;
	if (!session_idle(pg))
		return say(pg, SB_ESTATE, "the host left the connection inside a transaction");
	deallocate_doomed(pg);
	char sql[200];
	/* 0 ms would mean "wait forever" to the server; ours means "do not wait". */
	snprintf(sql, sizeof sql,
	         "BEGIN ISOLATION LEVEL %s; SET LOCAL lock_timeout = %d; SET LOCAL client_min_messages = warning",
	         write ? "READ COMMITTED" : "REPEATABLE READ READ ONLY",
	         pg->lock_timeout_ms > 0 ? pg->lock_timeout_ms : 1);
	rc = run(pg, sql);
	if (rc != SB_OK && !session_idle(pg))
		PQclear(PQexec(pg->conn, "ROLLBACK"));
	pg->txn = rc == SB_OK;
	return rc;
}

static int drv_commit(void *ud)
{
	pg_instance *pg = PG(ud);
	PGresult *res = PQexec(pg->conn, "COMMIT");
	int rc;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_error(pg, res);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) /* the server rolled back a failed transaction */
		rc = say(pg, SB_ESTORE, "the transaction had failed, so the server rolled it back");
	else
		rc = SB_OK;
	PQclear(res);
	pg->txn = 0; /* committed, or ended by the server's rollback, or lost with the connection */
	deallocate_doomed(pg);
	return rc;
}

static int drv_rollback(void *ud)
{
	pg_instance *pg = PG(ud);
	pg->txn = 0;
	if (PQstatus(pg->conn) != CONNECTION_OK || session_idle(pg))
		return SB_OK; /* nothing is open: a lost connection took it with it */
	int rc = run(pg, "ROLLBACK");
	deallocate_doomed(pg);
	return rc;
}

static const char *drv_errmsg(void *ud)
{
	return PG(ud)->msg[0] ? PG(ud)->msg : "no error";
}

static void drv_close(void *ud)
{
	pg_instance *pg = PG(ud);
	if (!pg)
		return;
	if (pg->owned) {
		PQfinish(pg->conn);
	} else {
		if (pg->txn)
			PQclear(PQexec(pg->conn, "ROLLBACK"));
		deallocate_doomed(pg); /* the host's session keeps none of ours */
	}
	forget_doomed(pg);
	free(pg->doomed);
	free(pg);
}

/* --- opening --- */

int sb_postgres_options_init(sb_postgres_options *opts)
{
	if (!opts)
		return SB_EINVAL;
	sb_postgres_options def = SB_POSTGRES_OPTIONS_INIT;
	*opts = def;
	return SB_OK;
}

/* Tell the opener why it failed, when it gave a buffer, and return rc. */
static int explain(char *why, size_t why_size, int rc, const char *fmt, ...)
{
	if (why && why_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
		why[strcspn(why, "\n")] = '\0';
	}
	return rc;
}

/* What both openers check first. The reason starts empty. */
static int check_options(const sb_postgres_options *opts, sb_postgres_options *o, char *why, size_t why_size)
{
	explain(why, why_size, SB_OK, "%s", "");
	sb_postgres_options def = SB_POSTGRES_OPTIONS_INIT;
	*o = def;
	if (!opts)
		return SB_OK;
	if (opts->version < 1 || opts->version > SB_POSTGRES_OPTIONS_VERSION)
		return explain(why, why_size, SB_EVERSION, "PostgreSQL options version %u is not supported", opts->version);
	*o = *opts;
	if (o->lock_timeout_ms < 0)
		return explain(why, why_size, SB_EINVAL, "lock_timeout_ms is negative");
	return SB_OK;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* notices may quote data; the library reports through errors */
}

/* What the library needs of a session, checked once. */
static int check_session(PGconn *conn, char *why, size_t why_size)
{
	if (PQserverVersion(conn) < MIN_SERVER_VERSION)
		return explain(why, why_size, SB_ENOTSUP, "PostgreSQL 11 or later is required (the server is %d)",
		               PQserverVersion(conn));
	const char *server = PQparameterStatus(conn, "server_encoding");
	const char *client = PQparameterStatus(conn, "client_encoding");
	if (!server || strcmp(server, "UTF8") != 0)
		return explain(why, why_size, SB_ESTORE, "the database's encoding must be UTF8 (it is %s)",
		               server ? server : "unknown");
	if (!client || strcmp(client, "UTF8") != 0)
		return explain(why, why_size, SB_ESTORE, "the connection's client_encoding must be UTF8 (it is %s)",
		               client ? client : "unknown");
	return SB_OK;
}

static int make_driver(sb_store_driver *out, PGconn *conn, int owned, const sb_postgres_options *o)
{
	pg_instance *pg = calloc(1, sizeof *pg);
	if (!pg)
		return SB_ENOMEM;
	pg->conn = conn;
	pg->owned = owned;
	pg->gen = 1;
	pg->lock_timeout_ms = o->lock_timeout_ms;
	sb_store_driver d = {
		SB_STORE_DRIVER_VERSION, pg, SB_STORE_DIALECT_POSTGRES,
		drv_prepare, drv_bind_null, drv_bind_int64, drv_bind_text, drv_bind_blob,
		drv_step, drv_column_type, drv_column_int64, drv_column_text, drv_column_blob,
		drv_reset, drv_finalize, drv_begin, drv_commit, drv_rollback, drv_errmsg, drv_close,
	};
	*out = d;
	return SB_OK;
}

int sb_store_open_postgres(sb_store_driver *out, const char *conninfo, const sb_postgres_options *opts,
                           char *why, size_t why_size)
{
	sb_postgres_options o;
	int rc = check_options(opts, &o, why, why_size);
	if (rc != SB_OK || !out || !conninfo)
		return rc != SB_OK ? rc : SB_EINVAL;
	/* conninfo is expanded as the dbname: a URI or key=value string. */
	const char *keys[] = {"dbname", "client_encoding", "fallback_application_name", NULL};
	const char *values[] = {conninfo, "UTF8", "switchboard", NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (!conn)
		return SB_ENOMEM;
	if (PQstatus(conn) != CONNECTION_OK) {
		rc = explain(why, why_size, SB_ESTORE, "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return rc;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	rc = check_session(conn, why, why_size);
	if (rc == SB_OK)
		rc = make_driver(out, conn, 1, &o);
	if (rc != SB_OK)
		PQfinish(conn);
	return rc;
}

int sb_store_use_postgres(sb_store_driver *out, struct pg_conn *conn, const sb_postgres_options *opts,
                          char *why, size_t why_size)
{
	sb_postgres_options o;
	int rc = check_options(opts, &o, why, why_size);
	if (rc != SB_OK || !out || !conn)
		return rc != SB_OK ? rc : SB_EINVAL;
	if (PQstatus(conn) != CONNECTION_OK)
		return explain(why, why_size, SB_ESTORE, "the connection is not open");
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		return explain(why, why_size, SB_ESTATE, "the connection is busy or inside a transaction");
	rc = check_session(conn, why, why_size);
	return rc == SB_OK ? make_driver(out, conn, 0, &o) : rc;
}
