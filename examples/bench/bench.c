/*
 * The messaging benchmark: prints figures and ratios, never pass or fail.
 *
 *   bench [--n 10000,1000000] [--postgres URI] [--calls-only]
 *   BENCH_TRACE=1 bench ...   also prints the SQL of two texts and a call
 *
 * For each N, on fresh stores:
 *   (a) inbound ingestion of N texts over N/10 conversations, one
 *       transaction per text (SQLite synchronous=NORMAL), without and with
 *       a master key, with the bytes written per text (SQLite);
 *   (b) N more texts in host transactions of 1000;
 *   (c) raw SQLite writing the same rows on the library's own schema, with
 *       its driver's pragmas and the cheapest statements: one transaction
 *       per text, in transactions of 1000, and those with a savepoint per
 *       text; (c0) two bare tables, for scale;
 *   (d) contact lookup by phone number (median, p99);
 *   (e) a timeline page of 50 items (median, p99);
 *   (f) a mailbox page of 50 for a teammate who sees half the numbers;
 *   (g) the call engine's cost of one event (answer, accept, hang-up) on a
 *       store holding N ended calls (median, p99; SQLite only; --calls-only
 *       runs just this): the quietest of three rounds of 1000 calls, with
 *       every round's median printed;
 *   (h) statements per text (and round trips on PostgreSQL), counted by a
 *       driver wrapped around the real one.
 * Peak RSS is the process's, after the largest N.
 */
#define _POSIX_C_SOURCE 200809L
#include <switchboard.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FRONT "+14155550100"
#define LOOKUPS 2000
#define PAGES 2000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc, sb_practice *p)
{
	fprintf(stderr, "bench: %s: %s (%s)\n", what, sb_strerror(rc), p ? sb_practice_errmsg(p) : "");
	exit(1);
}

/* The i-th external number: valid NANP, one per conversation. */
static void external(char *out, size_t room, long i)
{
	snprintf(out, room, "+1415%07ld", 2000000 + i);
}

/* --- counting what the library asks of its store --- */

/* A driver around the real one that counts statement executions (a first
 * step after a prepare or a reset), transactions and, with BENCH_TRACE set,
 * prints each execution's SQL: how many statements a text costs. On
 * PostgreSQL each execution, begin and commit is one round trip. */
typedef struct counted_stmt {
	sb_store_stmt *inner;
	char *sql;
	int fresh; /* the next step starts an execution */
} counted_stmt;

typedef struct counts {
	long executions, transactions, prepares;
} counts;

static sb_store_driver counted_inner;
static counts tally;
static int tracing;

#define INNER(s) (((counted_stmt *)(void *)(s))->inner)

static int c_prepare(void *u, sb_store_stmt **out, const char *sql)
{
	counted_stmt *s = calloc(1, sizeof *s);
	if (!s || !(s->sql = strdup(sql))) {
		free(s);
		return SB_ENOMEM;
	}
	int rc = counted_inner.prepare(u, &s->inner, sql);
	if (rc != SB_OK) {
		free(s->sql);
		free(s);
		return rc;
	}
	tally.prepares++;
	s->fresh = 1;
	*out = (sb_store_stmt *)(void *)s;
	return SB_OK;
}
static int c_bind_null(void *u, sb_store_stmt *s, int i) { return counted_inner.bind_null(u, INNER(s), i); }
static int c_bind_int64(void *u, sb_store_stmt *s, int i, int64_t v) { return counted_inner.bind_int64(u, INNER(s), i, v); }
static int c_bind_text(void *u, sb_store_stmt *s, int i, const char *v, size_t n)
{
	return counted_inner.bind_text(u, INNER(s), i, v, n);
}
static int c_bind_blob(void *u, sb_store_stmt *s, int i, const void *v, size_t n)
{
	return counted_inner.bind_blob(u, INNER(s), i, v, n);
}
static int c_step(void *u, sb_store_stmt *st)
{
	counted_stmt *s = (counted_stmt *)(void *)st;
	if (s->fresh) {
		tally.executions++;
		if (tracing)
			printf("    SQL %s\n", s->sql);
	}
	s->fresh = 0;
	return counted_inner.step(u, s->inner);
}
static int c_column_type(void *u, sb_store_stmt *s, int c) { return counted_inner.column_type(u, INNER(s), c); }
static int64_t c_column_int64(void *u, sb_store_stmt *s, int c) { return counted_inner.column_int64(u, INNER(s), c); }
static const char *c_column_text(void *u, sb_store_stmt *s, int c, size_t *n)
{
	return counted_inner.column_text(u, INNER(s), c, n);
}
static const void *c_column_blob(void *u, sb_store_stmt *s, int c, size_t *n)
{
	return counted_inner.column_blob(u, INNER(s), c, n);
}
static int c_reset(void *u, sb_store_stmt *st)
{
	counted_stmt *s = (counted_stmt *)(void *)st;
	s->fresh = 1;
	return counted_inner.reset(u, s->inner);
}
static void c_finalize(void *u, sb_store_stmt *st)
{
	counted_stmt *s = (counted_stmt *)(void *)st;
	counted_inner.finalize(u, s->inner);
	free(s->sql);
	free(s);
}
static int c_begin(void *u, int write)
{
	tally.transactions++;
	if (tracing)
		printf("    BEGIN%s\n", write ? " (write)" : "");
	return counted_inner.begin(u, write);
}
static int c_commit(void *u)
{
	if (tracing)
		printf("    COMMIT\n");
	return counted_inner.commit(u);
}
static int c_rollback(void *u) { return counted_inner.rollback(u); }
static const char *c_errmsg(void *u) { return counted_inner.errmsg(u); }
static void c_close(void *u)
{
	if (counted_inner.close)
		counted_inner.close(u);
}

/* Put the counter around `drv` (one counted store at a time). */
static void count_store(sb_store_driver *drv)
{
	counted_inner = *drv;
	drv->prepare = c_prepare;
	drv->bind_null = c_bind_null;
	drv->bind_int64 = c_bind_int64;
	drv->bind_text = c_bind_text;
	drv->bind_blob = c_bind_blob;
	drv->step = c_step;
	drv->column_type = c_column_type;
	drv->column_int64 = c_column_int64;
	drv->column_text = c_column_text;
	drv->column_blob = c_column_blob;
	drv->reset = c_reset;
	drv->finalize = c_finalize;
	drv->begin = c_begin;
	drv->commit = c_commit;
	drv->rollback = c_rollback;
	drv->errmsg = c_errmsg;
	drv->close = c_close;
}

/* The teammate the timed reads act as (the practice's first). */
static sb_id reader = 1;

static const unsigned char bench_key[SB_KEY_BYTES] = "bench-key-bench-key-bench-key-be";

static sb_practice *open_store(const char *where, int keyed, int postgres, long n, int counted)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	/* A practice of its own per run: a PostgreSQL database keeps earlier
	 * runs' practices (and their carrier ids), and the key must match. */
	char name[96];
	snprintf(name, sizeof name, "bench-%s-%ld-%ld", keyed ? "keyed" : "plain", n, (long)getpid());
	o.practice = name;
	sb_store_driver drv;
	int rc;
	if (!postgres) {
		sb_sqlite_options so;
		sb_sqlite_options_init(&so);
		so.sync = SB_SQLITE_SYNC_NORMAL;
		rc = sb_store_open_sqlite(&drv, where, &so);
	} else {
		char why[256] = "";
		rc = sb_store_open_postgres(&drv, where, NULL, why, sizeof why);
		if (rc != SB_OK)
			fprintf(stderr, "bench: %s\n", why);
	}
	if (rc != SB_OK)
		die("opening the store", rc, NULL);
	if (counted)
		count_store(&drv);
	o.store = &drv;
	o.key = keyed ? bench_key : NULL;
	o.key_len = keyed ? SB_KEY_BYTES : 0;
	sb_practice *p = NULL;
	rc = sb_practice_open(&p, &o);
	if (rc != SB_OK)
		die("opening the practice", rc, p);
	sb_teammate_spec admin;
	sb_teammate_spec_init(&admin);
	admin.name = "Bench admin";
	sb_id front, me;
	if ((rc = sb_teammate_add(&me, p, SB_ACTOR_SYSTEM, &admin)) != SB_OK)
		die("teammate", rc, p);
	reader = me;
	if ((rc = sb_business_number_create(&front, p, me, FRONT, "Front desk")) != SB_OK && rc != SB_ECONFLICT)
		die("business number", rc, p);
	return p;
}

static void receive(sb_practice *p, long i, long conversations, const char *tag)
{
	char from[32], cid[48];
	external(from, sizeof from, i % conversations);
	snprintf(cid, sizeof cid, "%s-%ld", tag, i);
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = from;
	m.to = FRONT;
	m.body = "Hi, this is a reminder about my appointment tomorrow at 3pm. Can I move it to 4?";
	m.carrier_id = cid;
	sb_delivery d;
	int rc = sb_sms_receive(&d, p, &m);
	if (rc != SB_OK)
		die("receiving", rc, p);
}

/* (a) one transaction per text; (b) host transactions of `batch`. Texts/s. */
static double ingest(sb_practice *p, long n, long conversations, long batch, const char *tag)
{
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (batch && i % batch == 0 && sb_practice_begin(p) != SB_OK)
			die("begin", SB_ERROR, p);
		receive(p, i, conversations, tag);
		if (batch && (i % batch == batch - 1 || i == n - 1) && sb_practice_commit(p) != SB_OK)
			die("commit", SB_ERROR, p);
	}
	return (double)n / (now_s() - t0);
}

/* Bytes this process has written (write and pwrite calls, /proc/self/io):
 * with WAL, each committed page is one frame of a page and a 24-byte header. */
static long bytes_written(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	long v = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "wchar:", 6))
			v = atol(line + 6);
	if (f)
		fclose(f);
	return v;
}

static void remove_sqlite(const char *path)
{
	char side[600];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* (c) the same rows by hand, the physical limit of the engine: on a store
 * the library made (so the same tables, indexes and triggers) and with its
 * driver's pragmas, prepared statements write what one inbound text writes
 * (the chain tip read and written, the conversation upserted, for a new one
 * its number, contact and address, the message, the audit row) and nothing
 * else: no checks, no hashing, no sealing. One transaction per text, or per
 * `batch` texts. */
enum { RAW_TIP, RAW_CONV, RAW_CONV_SET, RAW_CONV_NEW, RAW_CONTACT, RAW_ADDRESS, RAW_ITEM, RAW_AUDIT, RAW_TIP_SET,
       RAW_STATEMENTS };

/* The cheapest statements for those rows in SQLite: no upsert (a conflict
 * there costs six UPDATEs) and no RETURNING (it runs as a trigger). */
static const char *const raw_sql[RAW_STATEMENTS] = {
	"SELECT audit_seq, audit_head FROM sb_practice WHERE id = 1",
	"SELECT id FROM sb_conversation WHERE practice_id = 1 AND endpoint_id = ? AND external_lookup = ?",
	"UPDATE sb_conversation SET inbound_count = inbound_count + 1, closed_at = NULL,"
	" last_item_at = CASE WHEN ?1 > last_item_at THEN ?1 ELSE last_item_at END WHERE id = ?2",
	"INSERT INTO sb_conversation (practice_id, kind, endpoint_id, external_lookup, external, inbound_count,"
	" last_item_at, created_at) VALUES (1, 1, ?, ?, ?, 1, ?, ?)",
	"INSERT INTO sb_contact (practice_id, saved, created_at, updated_at) VALUES (1, 0, ?, ?)",
	"INSERT INTO sb_contact_address (practice_id, contact_id, kind, lookup, added_at, value) VALUES (1, ?, 1, ?, ?, ?)",
	"INSERT INTO sb_item (practice_id, conversation_id, kind, direction, occurred_at, author, status, carrier_id,"
	" segments, attachments, body) VALUES (1, ?, 1, 1, ?, 0, 1, ?, 1, 0, ?)",
	"INSERT INTO sb_audit (practice_id, seq, at, actor, action, object_kind, object_id, prev_hash, hash)"
	" VALUES (1, ?, ?, 0, 'message.receive', 'item', ?, ?, ?)",
	"UPDATE sb_practice SET audit_seq = ?, audit_head = ? WHERE id = 1",
};

static long raw_executions;
static double raw_statements; /* per text, of the last raw run */

static void raw_run(sqlite3 *db, sqlite3_stmt *st, int want)
{
	static sqlite3_stmt *returned; /* the statement that returned a row last: stepping it on is no new execution */
	raw_executions += st != returned || want == SQLITE_ROW;
	returned = want == SQLITE_ROW ? st : NULL;
	if (sqlite3_step(st) != want)
		fprintf(stderr, "bench: raw: %s\n", sqlite3_errmsg(db)), exit(1);
}

static const char raw_body[] = "Hi, this is a reminder about my appointment tomorrow at 3pm. Can I move it to 4?";

/* One text's rows; *seq is the audit sequence, read from the tip. */
static void raw_text(sqlite3 *db, sqlite3_stmt **s, long i, long conversations, sqlite3_int64 endpoint, int64_t *seq)
{
	char from[32], cid[48];
	unsigned char lookup[32] = {0}, hash[32] = {0};
	external(from, sizeof from, i % conversations);
	memcpy(lookup, from, strlen(from));
	snprintf(cid, sizeof cid, "raw-%ld", i);
	raw_run(db, s[RAW_TIP], SQLITE_ROW);
	*seq = sqlite3_column_int64(s[RAW_TIP], 0);
	sqlite3_reset(s[RAW_TIP]);
	sqlite3_bind_int64(s[RAW_CONV], 1, endpoint);
	sqlite3_bind_blob(s[RAW_CONV], 2, lookup, 32, SQLITE_STATIC);
	int found = sqlite3_step(s[RAW_CONV]) == SQLITE_ROW;
	raw_executions++;
	sqlite3_int64 conv = found ? sqlite3_column_int64(s[RAW_CONV], 0) : 0;
	sqlite3_reset(s[RAW_CONV]);
	if (found) {
		sqlite3_bind_int64(s[RAW_CONV_SET], 1, i);
		sqlite3_bind_int64(s[RAW_CONV_SET], 2, conv);
		raw_run(db, s[RAW_CONV_SET], SQLITE_DONE);
		sqlite3_reset(s[RAW_CONV_SET]);
	} else {
		sqlite3_bind_int64(s[RAW_CONV_NEW], 1, endpoint);
		sqlite3_bind_blob(s[RAW_CONV_NEW], 2, lookup, 32, SQLITE_STATIC);
		sqlite3_bind_text(s[RAW_CONV_NEW], 3, from, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s[RAW_CONV_NEW], 4, i);
		sqlite3_bind_int64(s[RAW_CONV_NEW], 5, i);
		raw_run(db, s[RAW_CONV_NEW], SQLITE_DONE);
		sqlite3_reset(s[RAW_CONV_NEW]);
		conv = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(s[RAW_CONTACT], 1, i);
		sqlite3_bind_int64(s[RAW_CONTACT], 2, i);
		raw_run(db, s[RAW_CONTACT], SQLITE_DONE);
		sqlite3_reset(s[RAW_CONTACT]);
		sqlite3_bind_int64(s[RAW_ADDRESS], 1, sqlite3_last_insert_rowid(db));
		sqlite3_bind_blob(s[RAW_ADDRESS], 2, lookup, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s[RAW_ADDRESS], 3, i);
		sqlite3_bind_text(s[RAW_ADDRESS], 4, from, -1, SQLITE_STATIC);
		raw_run(db, s[RAW_ADDRESS], SQLITE_DONE);
		sqlite3_reset(s[RAW_ADDRESS]);
	}
	sqlite3_bind_int64(s[RAW_ITEM], 1, conv);
	sqlite3_bind_int64(s[RAW_ITEM], 2, i);
	sqlite3_bind_text(s[RAW_ITEM], 3, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s[RAW_ITEM], 4, raw_body, -1, SQLITE_STATIC);
	raw_run(db, s[RAW_ITEM], SQLITE_DONE);
	sqlite3_reset(s[RAW_ITEM]);
	++*seq;
	memcpy(hash, seq, sizeof *seq);
	sqlite3_bind_int64(s[RAW_AUDIT], 1, *seq);
	sqlite3_bind_int64(s[RAW_AUDIT], 2, i);
	sqlite3_bind_int64(s[RAW_AUDIT], 3, sqlite3_last_insert_rowid(db));
	sqlite3_bind_blob(s[RAW_AUDIT], 4, hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s[RAW_AUDIT], 5, hash, 32, SQLITE_TRANSIENT);
	raw_run(db, s[RAW_AUDIT], SQLITE_DONE);
	sqlite3_reset(s[RAW_AUDIT]);
	sqlite3_bind_int64(s[RAW_TIP_SET], 1, *seq);
	sqlite3_bind_blob(s[RAW_TIP_SET], 2, hash, 32, SQLITE_TRANSIENT);
	raw_run(db, s[RAW_TIP_SET], SQLITE_DONE);
	sqlite3_reset(s[RAW_TIP_SET]);
}

static double raw_sqlite(const char *path, long n, long conversations, long batch, int savepoints, double *kib)
{
	sqlite3 *db;
	sqlite3_stmt *s[RAW_STATEMENTS];
	sqlite3_int64 endpoint = 0;
	int64_t seq = 0;
	remove_sqlite(path);
	sb_practice_free(open_store(path, 0, 0, n, 0)); /* the library's tables, a practice and its number */
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
	                 "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
	                 " PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;",
	                 NULL, NULL, NULL) != SQLITE_OK)
		die("raw open", SB_ESTORE, NULL);
	for (int k = 0; k < RAW_STATEMENTS; k++)
		if (sqlite3_prepare_v3(db, raw_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &s[k], NULL) != SQLITE_OK)
			fprintf(stderr, "bench: raw: %s\n", sqlite3_errmsg(db)), exit(1);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "SELECT id FROM sb_endpoint", -1, &q, NULL);
	if (sqlite3_step(q) == SQLITE_ROW)
		endpoint = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	long w0 = bytes_written();
	raw_executions = 0;
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (!batch || i % batch == 0)
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (savepoints) /* what a call inside a host transaction keeps: its own undo */
			sqlite3_exec(db, "SAVEPOINT text", NULL, NULL, NULL);
		raw_text(db, s, i, conversations, endpoint, &seq);
		if (savepoints && sqlite3_exec(db, "RELEASE text", NULL, NULL, NULL) != SQLITE_OK)
			die("raw release", SB_ESTORE, NULL);
		if ((!batch || i % batch == batch - 1 || i == n - 1) &&
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			die("raw commit", SB_ESTORE, NULL);
	}
	double rate = (double)n / (now_s() - t0);
	if (kib)
		*kib = (double)(bytes_written() - w0) / 1024.0 / (double)n;
	raw_statements = (double)raw_executions / (double)n;
	for (int k = 0; k < RAW_STATEMENTS; k++)
		sqlite3_finalize(s[k]);
	sqlite3_close(db);
	remove_sqlite(path);
	return rate;
}

/* (c0) for scale: two bare tables (conversation upsert + message insert),
 * without the library's indexes, audit trail or contacts. */
static double raw_minimum(const char *path, long n, long conversations)
{
	sqlite3 *db;
	sqlite3_stmt *conv, *msg;
	remove_sqlite(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("raw open", SB_ESTORE, NULL);
	sqlite3_exec(db,
	             "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	             "CREATE TABLE conv (id INTEGER PRIMARY KEY, endpoint INTEGER NOT NULL, external TEXT NOT NULL,"
	             " inbound INTEGER NOT NULL DEFAULT 0, last_at INTEGER NOT NULL, UNIQUE (endpoint, external));"
	             "CREATE TABLE msg (id INTEGER PRIMARY KEY, conv INTEGER NOT NULL REFERENCES conv(id),"
	             " carrier_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, at INTEGER NOT NULL);"
	             "CREATE INDEX msg_timeline ON msg (conv, at, id);",
	             NULL, NULL, NULL);
	sqlite3_prepare_v3(db,
	                   "INSERT INTO conv (endpoint, external, inbound, last_at) VALUES (1, ?, 1, ?)"
	                   " ON CONFLICT (endpoint, external) DO UPDATE SET inbound = inbound + 1, last_at = excluded.last_at"
	                   " RETURNING id",
	                   -1, SQLITE_PREPARE_PERSISTENT, &conv, NULL);
	sqlite3_prepare_v3(db, "INSERT INTO msg (conv, carrier_id, body, at) VALUES (?, ?, ?, ?)", -1,
	                   SQLITE_PREPARE_PERSISTENT, &msg, NULL);
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		char from[32], cid[48];
		external(from, sizeof from, i % conversations);
		snprintf(cid, sizeof cid, "raw-%ld", i);
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(conv, 1, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(conv, 2, i);
		if (sqlite3_step(conv) != SQLITE_ROW)
			die("raw upsert", SB_ESTORE, NULL);
		sqlite3_int64 id = sqlite3_column_int64(conv, 0);
		while (sqlite3_step(conv) == SQLITE_ROW)
			;
		sqlite3_reset(conv);
		sqlite3_bind_int64(msg, 1, id);
		sqlite3_bind_text(msg, 2, cid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(msg, 3, "Hi, this is a reminder about my appointment tomorrow at 3pm. Can I move it to 4?",
		                  -1, SQLITE_STATIC);
		sqlite3_bind_int64(msg, 4, i);
		if (sqlite3_step(msg) != SQLITE_DONE)
			die("raw insert", SB_ESTORE, NULL);
		sqlite3_reset(msg);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double rate = (double)n / (now_s() - t0);
	sqlite3_finalize(conv);
	sqlite3_finalize(msg);
	sqlite3_close(db);
	remove_sqlite(path);
	return rate;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

typedef struct latency {
	double median_us, p99_us;
} latency;

static latency summarise(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	latency l = {t[n / 2] * 1e6, t[n * 99 / 100] * 1e6};
	return l;
}

/* (d) which contact holds a number, for numbers spread over the store. */
static latency lookups(sb_practice *p, long conversations)
{
	static double t[LOOKUPS];
	for (int i = 0; i < LOOKUPS; i++) {
		char number[32];
		external(number, sizeof number, (long)((unsigned long)i * 7919u % (unsigned long)conversations));
		sb_id id;
		double t0 = now_s();
		int rc = sb_contact_find(&id, p, reader, SB_ADDRESS_PHONE, number);
		t[i] = now_s() - t0;
		if (rc != SB_OK)
			die("lookup", rc, p);
	}
	return summarise(t, LOOKUPS);
}

/* (e) a page of 50 from a conversation with more than that. */
static latency pages(sb_practice *p, sb_id conversation)
{
	static double t[PAGES];
	static sb_item items[50];
	for (int i = 0; i < PAGES; i++) {
		size_t n;
		double t0 = now_s();
		int rc = sb_timeline_page(items, &n, p, reader, conversation, 0, 50);
		t[i] = now_s() - t0;
		if (rc != SB_OK || n != 50)
			die("timeline page", rc, p);
	}
	return summarise(t, PAGES);
}

/* (f) a mailbox page of 50 at `n` conversations over 20 business numbers,
 * for a teammate who sees half of them: numbers 0-9 are owned by teammate
 * `owner` with the reader as a member, numbers 10-19 by the owner alone. */
static latency mailbox_pages(const char *where, int postgres, long n)
{
	static double t[PAGES];
	static sb_mailbox_entry e[50];
	sb_practice *p = open_store(where, 0, postgres, -n, 0);
	sb_id admin = reader, owner, viewer, numbers[20];
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = "Owner";
	int rc = sb_teammate_add(&owner, p, admin, &s);
	s.name = "Viewer";
	if (rc == SB_OK)
		rc = sb_teammate_add(&viewer, p, admin, &s);
	for (int i = 0; rc == SB_OK && i < 20; i++) {
		char number[32];
		snprintf(number, sizeof number, "+1415556%04d", i);
		if ((rc = sb_business_number_create(&numbers[i], p, admin, number, "Line")) == SB_OK &&
		    (rc = sb_endpoint_set_owner(p, admin, numbers[i], SB_OWNER_TEAMMATE, owner)) == SB_OK && i < 10)
			rc = sb_endpoint_member_add(p, admin, numbers[i], viewer);
	}
	if (rc != SB_OK)
		die("mailbox setup", rc, p);
	for (long i = 0; i < n; i++) {
		char from[32], to[32], cid[48];
		long exchange = 300 + i / 10000; /* up to 1M distinct numbers, no N11 exchange */
		snprintf(from, sizeof from, "+1415%03ld%04ld", exchange == 311 ? 400 : exchange, i % 10000);
		snprintf(to, sizeof to, "+1415556%04ld", i % 20);
		snprintf(cid, sizeof cid, "mb-%ld", i);
		sb_inbound_sms m;
		sb_inbound_sms_init(&m);
		m.from = from;
		m.to = to;
		m.body = "Can I come in earlier?";
		m.carrier_id = cid;
		m.received_at = 1700000000000 + i;
		sb_delivery d;
		if ((i % 1000 == 0 && (rc = sb_practice_begin(p)) != SB_OK) || (rc = sb_sms_receive(&d, p, &m)) != SB_OK ||
		    ((i % 1000 == 999 || i == n - 1) && (rc = sb_practice_commit(p)) != SB_OK))
			die("mailbox fill", rc, p);
	}
	for (int i = 0; i < PAGES; i++) {
		size_t got;
		double t0 = now_s();
		rc = sb_mailbox_page(e, &got, p, viewer, SB_MAILBOX_INBOX, 0, 0, 0, 50);
		t[i] = now_s() - t0;
		if (rc != SB_OK || got != 50)
			die("mailbox page", rc, p);
		for (size_t k = 0; k < got; k++)
			if (e[k].endpoint_id > numbers[9])
				die("the mailbox page showed a conversation the viewer does not see", SB_ERROR, p);
	}
	sb_practice_free(p);
	reader = admin;
	return summarise(t, PAGES);
}

/* (h) what one text asks of the store, on a store of its own: executions
 * and transactions per text, alone and in host transactions of 1000, after
 * a warm-up (the first texts prepare their statements). BENCH_TRACE=1
 * prints the SQL of two texts, to a conversation that exists and a new one. */
typedef struct per_text {
	double statements, transactions, batched_statements;
} per_text;

static per_text statements_per_text(const char *where, int postgres)
{
	enum { WARM = 200, COUNTED = 1000 };
	sb_practice *p = open_store(where, 0, postgres, -1, 1);
	ingest(p, WARM, WARM / 10, 0, "warm");
	if (getenv("BENCH_TRACE")) {
		tracing = 1;
		printf("\nOne inbound text to a conversation that exists, statement by statement:\n");
		receive(p, 0, 1, "traced");
		printf("\nOne that starts a conversation:\n");
		receive(p, 999999, 1000000, "traced");
		tracing = 0;
	}
	counts before = tally;
	ingest(p, COUNTED, COUNTED / 10, 0, "counted");
	per_text r = {(double)(tally.executions - before.executions) / COUNTED,
	              (double)(tally.transactions - before.transactions) / COUNTED, 0};
	before = tally;
	ingest(p, COUNTED, COUNTED / 10, COUNTED, "batched");
	r.batched_statements = (double)(tally.executions - before.executions) / COUNTED;
	sb_practice_free(p);
	return r;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}


/* --- (g) the call engine --- */

#define CALL_EVENTS 3000 /* 1000 calls a round, three timed events each */
#define CALL_ROUNDS 3

static int leg_counter;
static int b_originate(void *ud, const sb_call_originate *r, char *id, size_t cap)
{
	(void)ud;
	(void)r;
	snprintf(id, cap, "bench-leg-%d", ++leg_counter);
	return 0;
}
static int b_leg(void *ud, const char *leg) { (void)ud; (void)leg; return 0; }
static int b_hold(void *ud, const char *leg, int on) { (void)ud; (void)leg; (void)on; return 0; }
static int b_bridge(void *ud, const char *a, const char *b) { (void)ud; (void)a; (void)b; return 0; }
static int b_play(void *ud, const char *leg, const sb_play *p) { (void)ud; (void)leg; (void)p; return 0; }
static int b_record(void *ud, const char *leg, const sb_record *r) { (void)ud; (void)leg; (void)r; return 0; }
static int b_timer(void *ud, const char *t, int64_t due) { (void)ud; (void)t; (void)due; return 0; }

/* N ended calls, written straight into the store (through the library
 * they would take minutes): each with its caller and two ringing legs. */
static void store_old_calls(const char *path, long n, long endpoint)
{
	sqlite3 *db;
	sqlite3_stmt *call, *leg;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("opening SQLite for old calls", SB_ESTORE, NULL);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db,
	                   "INSERT INTO sb_call (practice_id, endpoint_id, origin, phase, outcome, started_at, ended_at)"
	                   " VALUES (1, ?, 1, 14, 2, ?, ?)",
	                   -1, &call, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO sb_call_leg (practice_id, call_id, carrier_id, role, state) VALUES (1, ?, ?, ?, 4)",
	                   -1, &leg, NULL);
	for (long i = 0; i < n; i++) {
		sqlite3_bind_int64(call, 1, endpoint);
		sqlite3_bind_int64(call, 2, 1000 + i);
		sqlite3_bind_int64(call, 3, 2000 + i);
		sqlite3_step(call);
		sqlite3_reset(call);
		sqlite3_int64 id = sqlite3_last_insert_rowid(db);
		for (int k = 0; k < 3; k++) {
			char cid[48];
			snprintf(cid, sizeof cid, "old-%ld-%d", i, k);
			sqlite3_bind_int64(leg, 1, id);
			sqlite3_bind_text(leg, 2, cid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(leg, 3, k ? 2 : 1);
			sqlite3_step(leg);
			sqlite3_reset(leg);
		}
	}
	sqlite3_finalize(call);
	sqlite3_finalize(leg);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("storing old calls", SB_ESTORE, NULL);
	sqlite3_close(db);
}

static double timed_feed(sb_practice *p, int kind, const char *leg, const char *digits)
{
	sb_call_event ev;
	sb_call_event_init(&ev, kind);
	ev.leg_id = leg;
	ev.digits = digits;
	tracing = getenv("BENCH_TRACE") && leg_counter <= 2; /* the first call's events */
	if (tracing)
		printf("\nCall event %d:\n", kind);
	double t0 = now_s();
	int rc = sb_call_feed(NULL, p, &ev);
	double t = now_s() - t0;
	tracing = 0;
	if (rc != SB_OK)
		die("a call event", rc, p);
	return t;
}

/* One round: 1000 inbound calls, each answered (the screen), accepted with
 * 1 (bridge, cancel the other leg) and hung up (the call item); only the
 * three events are timed. */
static latency call_round(sb_practice *p, int round)
{
	static double t[CALL_EVENTS];
	for (int i = 0; i < CALL_EVENTS / 3; i++) {
		char caller[24], leg[32], first[32];
		int call = round * CALL_EVENTS / 3 + i;
		snprintf(caller, sizeof caller, "+1212555%04d", call % 10000);
		snprintf(leg, sizeof leg, "bench-call-%d", call);
		sb_id id;
		int rc = sb_call_inbound(&id, p, caller, FRONT, leg);
		if (rc != SB_OK)
			die("an inbound call", rc, p);
		snprintf(first, sizeof first, "bench-leg-%d", leg_counter - 1);
		t[3 * i] = timed_feed(p, SB_LEG_ANSWERED, first, NULL);   /* screen */
		t[3 * i + 1] = timed_feed(p, SB_LEG_DIGITS, first, "1"); /* accept, bridge, cancel the other */
		t[3 * i + 2] = timed_feed(p, SB_LEG_HANGUP, leg, NULL);  /* end, call item */
	}
	if (getenv("BENCH_CALL_KINDS")) { /* per event kind, for profiling */
		static double by_kind[CALL_EVENTS / 3];
		for (int kind = 0; kind < 3; kind++) {
			for (int i = 0; i < CALL_EVENTS / 3; i++)
				by_kind[i] = t[3 * i + kind];
			printf("  round %d, event %d: %.1f us median\n", round, kind, summarise(by_kind, CALL_EVENTS / 3).median_us);
		}
	}
	return summarise(t, CALL_EVENTS);
}

/* The floor under (g): raw SQLite changing one call's row in its own
 * transaction, with prepared statements and the same pragmas, on the same
 * store just before the rounds. An event cannot cost less than this. */
static double raw_call_commit(const char *path, long n)
{
	sqlite3 *db;
	sqlite3_stmt *begin, *update, *commit;
	static double t[CALL_EVENTS];
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", NULL, NULL, NULL) != SQLITE_OK)
		die("raw open", SB_ESTORE, NULL);
	sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL);
	sqlite3_prepare_v2(db, "UPDATE sb_call SET step = step + 1 WHERE id = ?", -1, &update, NULL);
	sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL);
	for (int i = 0; i < CALL_EVENTS; i++) {
		double t0 = now_s();
		sqlite3_step(begin);
		sqlite3_bind_int64(update, 1, n - i % 1000); /* the newest old calls, as events touch new ones */
		sqlite3_step(update);
		if (sqlite3_step(commit) != SQLITE_DONE)
			die("raw commit", SB_ESTORE, NULL);
		t[i] = now_s() - t0;
		sqlite3_reset(begin);
		sqlite3_reset(update);
		sqlite3_reset(commit);
	}
	sqlite3_finalize(begin);
	sqlite3_finalize(update);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return summarise(t, CALL_EVENTS).median_us;
}

/* The quietest of CALL_ROUNDS rounds on one store: noise on these shared
 * machines only ever adds time, so the lowest median is the engine's own
 * cost; every round's median is printed beside it. */
static latency call_events(const char *dir, long n, double *floor_us, double medians[CALL_ROUNDS])
{
	char path[512];
	snprintf(path, sizeof path, "%s/bench-calls-%ld.db", dir, n);
	remove_sqlite(path);
	sb_practice *p = open_store(path, 0, 0, n, 0);
	sb_id front;
	int rc = sb_business_number_find(&front, p, reader, FRONT);
	sb_voice_settings v;
	sb_voice_settings_init(&v);
	const char *extra[] = {"+16175550101", "+16175550102"};
	v.extra_numbers = extra;
	v.extra_count = 2;
	if (rc != SB_OK || (rc = sb_voice_settings_set(p, reader, front, &v)) != SB_OK)
		die("call settings", rc, p);
	sb_practice_free(p);
	store_old_calls(path, n, front);
	*floor_us = raw_call_commit(path, n);
	sb_carrier k = {SB_CARRIER_VERSION, NULL, NULL, NULL, b_originate, b_leg, b_leg, b_play, b_hold, b_bridge,
	                b_record, b_leg, b_timer, b_leg};
	sb_sqlite_options so;
	sb_sqlite_options_init(&so);
	so.sync = SB_SQLITE_SYNC_NORMAL;
	sb_store_driver drv;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	char name[96];
	snprintf(name, sizeof name, "bench-plain-%ld-%ld", n, (long)getpid());
	o.practice = name;
	o.carrier = &k;
	if ((rc = sb_store_open_sqlite(&drv, path, &so)) != SB_OK)
		die("opening SQLite", rc, NULL);
	if (getenv("BENCH_TRACE")) /* the events' SQL, printed by timed_feed: timings then include the printing */
		count_store(&drv);
	o.store = &drv;
	if ((rc = sb_practice_open(&p, &o)) != SB_OK)
		die("reopening the practice", rc, p);
	latency best = {0, 0};
	for (int round = 0; round < CALL_ROUNDS; round++) {
		latency l = call_round(p, round);
		medians[round] = l.median_us;
		if (round == 0 || l.median_us < best.median_us)
			best = l;
	}
	sb_practice_free(p);
	remove_sqlite(path);
	return best;
}

typedef struct result {
	long n;
	double a_plain, a_keyed, b, c, c_batched, c_savepoints, c_minimum;
	double kib_plain, kib_raw; /* KiB written per text, one transaction each (SQLite) */
	latency d, e, f, g;
	double g_floor, g_rounds[CALL_ROUNDS];
	per_text h;
} result;

static int calls_only;

static result run(long n, const char *dir, const char *pg)
{
	result r = {.n = n};
	if (!pg)
		r.g = call_events(dir, n, &r.g_floor, r.g_rounds);
	if (calls_only)
		return r;
	long conversations = n / 10 > 0 ? n / 10 : 1;
	char path[512], raw[512];
	snprintf(path, sizeof path, "%s/bench-%ld.db", dir, n);
	snprintf(raw, sizeof raw, "%s/bench-raw-%ld.db", dir, n);
	const char *where = pg ? pg : path;
	remove_sqlite(path);
	sb_practice *p = open_store(where, 1, pg != NULL, n, 0);
	r.a_keyed = ingest(p, n, conversations, 0, "keyed");
	sb_practice_free(p);
	remove_sqlite(path);
	p = open_store(where, 0, pg != NULL, n, 0);
	long w0 = bytes_written();
	r.a_plain = ingest(p, n, conversations, 0, "a");
	r.kib_plain = (double)(bytes_written() - w0) / 1024.0 / (double)n;
	r.b = ingest(p, n, conversations, 1000, "b");
	/* One busy conversation for the timeline pages. */
	sb_delivery d;
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = "+14155550123";
	m.to = FRONT;
	m.body = "busy";
	for (int i = 0; i < 120; i++) {
		char cid[32];
		snprintf(cid, sizeof cid, "busy-%d", i);
		m.carrier_id = cid;
		int rc = sb_sms_receive(&d, p, &m);
		if (rc != SB_OK)
			die("busy conversation", rc, p);
	}
	r.d = lookups(p, conversations);
	r.e = pages(p, d.conversation_id);
	sb_practice_free(p);
	r.c = raw_sqlite(raw, n, conversations, 0, 0, &r.kib_raw);
	r.c_minimum = raw_minimum(raw, n, conversations);
	r.c_batched = raw_sqlite(raw, n, conversations, 1000, 0, NULL);
	r.c_savepoints = raw_sqlite(raw, n, conversations, 1000, 1, NULL);
	remove_sqlite(path);
	r.f = mailbox_pages(where, pg != NULL, n);
	remove_sqlite(path);
	r.h = statements_per_text(where, pg != NULL);
	remove_sqlite(path);
	return r;
}

int main(int argc, char **argv)
{
	long sizes[4] = {10000, 1000000};
	int n_sizes = 2;
	const char *pg = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--postgres") && i + 1 < argc) {
			pg = argv[++i];
		} else if (!strcmp(argv[i], "--calls-only")) {
			calls_only = 1;
		} else if (!strcmp(argv[i], "--n") && i + 1 < argc) {
			n_sizes = 0;
			for (char *s = strtok(argv[++i], ","); s && n_sizes < 4; s = strtok(NULL, ","))
				sizes[n_sizes++] = atol(s);
		} else {
			fprintf(stderr, "usage: %s [--n 10000,1000000] [--postgres URI] [--calls-only]\n", argv[0]);
			return 2;
		}
	}
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	if (pg)
		printf("switchboard %s benchmark, engine: PostgreSQL; (c) is SQLite %s (synchronous=NORMAL, WAL)\n",
		       sb_version_string(), sqlite3_libversion());
	else
		printf("switchboard %s benchmark, engine: SQLite %s (synchronous=NORMAL, WAL)\n", sb_version_string(),
		       sqlite3_libversion());
	result res[4];
	for (int i = 0; i < n_sizes; i++) {
		result r = res[i] = run(sizes[i], dir, pg);
		if (!pg) {
			printf("\nN = %ld calls stored\n  (g) call engine, one event:        %9.1f us median, %.1f us p99"
			       " (target median < 20)\n",
			       r.n, r.g.median_us, r.g.p99_us);
			printf("      the quietest of rounds:        ");
			for (int k = 0; k < CALL_ROUNDS; k++)
				printf(" %.1f", r.g_rounds[k]);
			printf(" us\n      raw SQLite one-row commit:     %9.1f us median, (g)/floor %.2fx\n", r.g_floor,
			       r.g.median_us / r.g_floor);
		}
		if (calls_only)
			continue;
		printf("\nN = %ld texts over %ld conversations\n", r.n, r.n / 10);
		printf("  (a) ingest, one txn per text:      %9.0f texts/s plain, %9.0f keyed\n", r.a_plain, r.a_keyed);
		printf("  (b) ingest, txns of 1000:          %9.0f texts/s   (target >= 100000)\n", r.b);
		printf("  (c) raw SQLite, the same rows:     %9.0f texts/s one txn per text, %.0f in txns of 1000\n", r.c,
		       r.c_batched);
		printf("      in txns of 1000 with a SAVEPOINT per text, as (b) keeps: %.0f texts/s\n", r.c_savepoints);
		printf("      (c0) two bare tables, for scale:%8.0f texts/s one txn per text\n", r.c_minimum);
		if (!pg) /* (c) is SQLite: no ratio across engines */
			printf("      (a)/(c):                       %9.2f plain (target >= 0.5), %.2f keyed (target >= 0.4)\n",
			       r.a_plain / r.c, r.a_keyed / r.c);
		printf("  (d) contact by number:             %9.1f us median, %.1f us p99 (target median < 50)\n",
		       r.d.median_us, r.d.p99_us);
		printf("  (e) timeline page of 50:           %9.1f us median, %.1f us p99 (target median < 200)\n",
		       r.e.median_us, r.e.p99_us);
		printf("  (h) statements per text:           %9.1f alone; %.1f in txns of 1000, its SAVEPOINT and RELEASE"
		       " among them; raw SQLite %.1f\n",
		       r.h.statements, r.h.batched_statements, raw_statements);
		if (pg)
			printf("      round trips per text:          %9.1f alone (statements, BEGIN, COMMIT), %.1f in txns of 1000\n",
			       r.h.statements + 2 * r.h.transactions, r.h.batched_statements);
		else
			printf("      KiB written per text:          %9.1f (%.1f pages of 4 KiB), raw SQLite %.1f\n", r.kib_plain,
			       r.kib_plain / (4096 + 24) * 1024, r.kib_raw);
		printf("  (f) mailbox page of 50, %ld conversations over 20 numbers, half visible:\n"
		       "                                     %9.1f us median, %.1f us p99 (target median < 1000)\n",
		       r.n, r.f.median_us, r.f.p99_us);
	}
	if (n_sizes >= 2 && !pg)
		printf("\nGrowth %ld -> %ld calls: (g) %.2fx (target flat), its floor %.2fx\n", res[0].n, res[n_sizes - 1].n,
		       res[n_sizes - 1].g.median_us / res[0].g.median_us, res[n_sizes - 1].g_floor / res[0].g_floor);
	if (n_sizes >= 2 && !calls_only) {
		result *s = &res[0], *l = &res[n_sizes - 1];
		printf("\nGrowth %ld -> %ld: (d) %.2fx, (e) %.2fx, (f) %.2fx slower (target <= 2x)\n", s->n, l->n,
		       l->d.median_us / s->d.median_us, l->e.median_us / s->e.median_us, l->f.median_us / s->f.median_us);
	}
	printf("Peak RSS: %.1f MiB (target <= 64)\n", (double)peak_rss_kib() / 1024.0);
	return 0;
}
