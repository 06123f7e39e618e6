#include "support.h"
#include "support_pg.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int clock_now(void *ud, int64_t *out)
{
	test_clock *c = ud;
	*out = c->now;
	return c->fail ? -1 : 0;
}

void test_clock_init(test_clock *c, int64_t start)
{
	sb_clock clk = {SB_CLOCK_VERSION, c, clock_now};
	c->clock = clk;
	c->now = start;
	c->fail = 0;
}

int test_is_postgres(const char *store)
{
	return strncmp(store, "postgresql://", 13) == 0;
}

/* Without the driver, the PostgreSQL half of the support cannot be reached:
 * a run that asks for it fails instead of testing SQLite twice. */
#ifndef SB_TEST_POSTGRES
static char *pg_unavailable(void)
{
	fail_msg("SB_TEST_STORE=postgres, but this build has no PostgreSQL driver");
	return NULL;
}
#define pg_test_store() pg_unavailable()
#define pg_test_drop(u) ((void)(u))
#define pg_test_sql(u, s) ((void)(u), (void)(s), 1)
#define pg_test_dump(u) ((void)(u), pg_unavailable())
#define pg_test_contains(u, n) ((void)(u), (void)(n), 0)
#define pg_test_value(u, s) ((void)(u), (void)(s), -1)
#endif

char *test_sqlite_path(void)
{
	char dir[] = "/tmp/sbtest-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = malloc(strlen(dir) + 16);
	assert_non_null(path);
	sprintf(path, "%s/store.db", dir);
	return path;
}

const char *test_engine(void)
{
	const char *e = getenv("SB_TEST_STORE");
	return e && strcmp(e, "postgres") == 0 ? "postgres" : "sqlite";
}

char *test_db_path(void)
{
	return strcmp(test_engine(), "postgres") == 0 ? pg_test_store() : test_sqlite_path();
}

void test_db_remove(char *path)
{
	if (test_is_postgres(path)) {
		pg_test_drop(path);
		free(path);
		return;
	}
	char buf[512];
	const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	for (int i = 0; i < 4; i++) {
		snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
		unlink(buf);
	}
	char *slash = strrchr(path, '/');
	*slash = '\0';
	rmdir(path);
	free(path);
}

int test_store_driver(const char *store, sb_store_driver *out)
{
	if (test_is_postgres(store))
		return sb_store_open_postgres(out, store, NULL, NULL, 0);
	return sb_store_open_sqlite(out, store, NULL);
}

sb_practice *test_open(const char *path, const char *practice, const unsigned char *key, test_clock *clock)
{
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = path;
	o.practice = practice;
	o.key = key;
	o.key_len = key ? SB_KEY_BYTES : 0;
	o.clock = clock ? &clock->clock : NULL;
	sb_practice *p = NULL;
	int rc = sb_practice_open(&p, &o);
	if (rc != SB_OK)
		fail_msg("open failed: %s (%s)", sb_strerror(rc), sb_practice_errmsg(p));
	return p;
}

int test_fixture_open(void **state, const unsigned char *key, int64_t start)
{
	test_fixture *f = test_calloc(1, sizeof *f);
	f->path = test_db_path();
	test_clock_init(&f->clock, start);
	test_carrier_init(&f->carrier);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = f->path;
	o.key = key;
	o.key_len = key ? SB_KEY_BYTES : 0;
	o.clock = &f->clock.clock;
	o.carrier = &f->carrier.carrier;
	int rc = sb_practice_open(&f->p, &o);
	if (rc != SB_OK)
		fail_msg("open failed: %s (%s)", sb_strerror(rc), sb_practice_errmsg(f->p));
	test_add_teammates(f->p, TEST_TEAMMATES);
	if (sb_audit_head(&f->audit_base, f->p) != SB_OK)
		fail_msg("reading the audit head");
	*state = f;
	return 0;
}

int test_world_open(void **state, const unsigned char *key, size_t size)
{
	test_fixture_open(state, key, 1000);
	test_world *w = test_calloc(1, size);
	w->f = *state;
	assert_int_equal(sb_business_number_create(&w->front, w->f->p, 1, TEST_FRONT, "Front desk"), SB_OK);
	assert_int_equal(sb_business_number_create(&w->billing, w->f->p, 1, TEST_BILLING, "Billing"), SB_OK);
	*state = w;
	return 0;
}

int test_world_close(void **state)
{
	test_world *w = *state;
	*state = w->f;
	test_free(w);
	return test_fixture_close(state);
}

void test_add_teammates(sb_practice *p, int n)
{
	for (int i = 1; i <= n; i++) {
		char name[32];
		snprintf(name, sizeof name, "Teammate %d", i);
		sb_teammate_spec s;
		sb_teammate_spec_init(&s);
		s.name = name;
		sb_id id = 0;
		int rc = sb_teammate_add(&id, p, SB_ACTOR_SYSTEM, &s);
		if (rc != SB_OK || id != i)
			fail_msg("adding teammate %d: %s (%s)", i, sb_strerror(rc), sb_practice_errmsg(p));
	}
}

int test_fixture_close(void **state)
{
	test_fixture *f = *state;
	sb_practice_free(f->p);
	test_db_remove(f->path);
	test_free(f);
	return 0;
}

static void feed_leg(sb_practice *p, int kind, const char *leg, const char *media_ref)
{
	sb_call_event ev;
	sb_call_event_init(&ev, kind);
	ev.leg_id = leg;
	ev.media_ref = media_ref;
	ev.duration_ms = media_ref ? 9000 : 0;
	int rc = sb_call_feed(NULL, p, &ev);
	if (rc != SB_OK)
		fail_msg("call event %d on %s: %s (%s)", kind, leg, sb_strerror(rc), sb_practice_errmsg(p));
}

sb_id test_leave_voicemail(sb_practice *p, const char *from, const char *to, const char *leg, const char *media_ref)
{
	sb_id call = 0;
	int rc = sb_call_inbound(&call, p, from, to, leg);
	if (rc != SB_OK)
		fail_msg("inbound call: %s (%s)", sb_strerror(rc), sb_practice_errmsg(p));
	feed_leg(p, SB_LEG_PLAYED, leg, NULL);
	feed_leg(p, SB_LEG_RECORDED, leg, media_ref);
	return call;
}

void test_expect_error(sb_practice *p, int got, int want, const char *phrase)
{
	if (got != want)
		fail_msg("got %s, want %s (%s)", sb_strerror(got), sb_strerror(want), sb_practice_errmsg(p));
	if (!strstr(sb_practice_errmsg(p), phrase))
		fail_msg("errmsg \"%s\" lacks \"%s\"", sb_practice_errmsg(p), phrase);
}

typedef struct strbuf {
	char *s;
	size_t n, cap;
} strbuf;

static void put(strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void dump_table(sqlite3 *db, const char *table, strbuf *b)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", table);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	put(b, table, strlen(table));
	put(b, ":\n", 2);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			char hex[3];
			const unsigned char *v = sqlite3_column_blob(st, c);
			int len = sqlite3_column_bytes(st, c);
			put(b, sqlite3_column_type(st, c) == SQLITE_NULL ? "N" : "|", 1);
			for (int i = 0; i < len; i++) {
				snprintf(hex, sizeof hex, "%02x", v[i]);
				put(b, hex, 2);
			}
		}
		put(b, "\n", 1);
	}
	sqlite3_finalize(st);
}

char *test_dump(const char *path)
{
	if (test_is_postgres(path))
		return pg_test_dump(path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	strbuf b = {0};
	put(&b, "", 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);
		put(&b, name, strlen(name));
		put(&b, " = ", 3);
		if (sql)
			put(&b, sql, strlen(sql));
		put(&b, "\n", 1);
		if (strcmp(type, "table") == 0 && strcmp(name, "sqlite_sequence") != 0)
			dump_table(db, name, &b);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return b.s;
}

int test_sql(const char *path, const char *sql)
{
	if (test_is_postgres(path))
		return pg_test_sql(path, sql);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

int64_t test_value(const char *path, const char *sql)
{
	if (test_is_postgres(path))
		return pg_test_value(path, sql);
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static int contains_file(const char *file, const char *needle)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	size_t got = fread(buf, 1, (size_t)size, f);
	fclose(f);
	size_t n = strlen(needle);
	int found = 0;
	for (size_t i = 0; !found && i + n <= got; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

int test_store_contains(const char *path, const char *needle)
{
	if (test_is_postgres(path))
		return pg_test_contains(path, needle);
	char wal[512];
	snprintf(wal, sizeof wal, "%s-wal", path);
	return contains_file(path, needle) || contains_file(wal, needle);
}

/* --- recording carrier --- */

static int record(test_carrier *c, const char *fmt, ...)
{
	if (c->count < 16) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->log[c->count++], sizeof c->log[0], fmt, ap);
		va_end(ap);
	}
	return c->fail_with;
}

static int rc_send_sms(void *ud, const sb_sms *m, char *out_id, size_t cap)
{
	snprintf(out_id, cap, "SM%d", ((test_carrier *)ud)->count + 1);
	return record(ud, "send_sms from=%s to=%s body=%s key=%s media=%zu:%s", m->from, m->to, m->body,
	              m->idempotency_key, m->media_count, m->media_count ? m->media[0] : "");
}

static int rc_send_email(void *ud, const sb_email *m, char *out_id, size_t cap)
{
	snprintf(out_id, cap, "EM%d", ((test_carrier *)ud)->count + 1);
	snprintf(((test_carrier *)ud)->email_body, sizeof((test_carrier *)ud)->email_body, "%s", m->body);
	return record(ud, "send_email to=%s subject=%s", m->to, m->subject);
}

static int rc_originate(void *ud, const sb_call_originate *r, char *out_id, size_t cap)
{
	snprintf(out_id, cap, "CA%d", ((test_carrier *)ud)->count + 1);
	return record(ud, "originate call=%s from=%s to=%s timeout=%lld", r->call_ref, r->from, r->to,
	              (long long)r->timeout_ms);
}

static int rc_cancel(void *ud, const char *leg) { return record(ud, "cancel %s", leg); }
static int rc_answer(void *ud, const char *leg) { return record(ud, "answer %s", leg); }
static int rc_hangup(void *ud, const char *leg) { return record(ud, "hangup %s", leg); }
static int rc_hold(void *ud, const char *leg, int on) { return record(ud, "hold %s %d", leg, on); }
static int rc_bridge(void *ud, const char *a, const char *b) { return record(ud, "bridge %s %s", a, b); }
static int rc_timer_stop(void *ud, const char *t) { return record(ud, "timer_stop %s", t); }

static int rc_play(void *ud, const char *leg, const sb_play *p)
{
	return record(ud, "play %s kind=%d content=%s loop=%d", leg, p->kind, p->content ? p->content : "", p->loop);
}

static int rc_record(void *ud, const char *leg, const sb_record *r)
{
	return record(ud, "record %s max=%lld", leg, (long long)r->max_ms);
}

static int rc_timer_start(void *ud, const char *t, int64_t due)
{
	return record(ud, "timer_start %s %lld", t, (long long)due);
}

void test_carrier_init(test_carrier *c)
{
	memset(c, 0, sizeof *c);
	sb_carrier v = {SB_CARRIER_VERSION, c, rc_send_sms, rc_send_email, rc_originate, rc_cancel, rc_answer,
	                rc_play, rc_hold, rc_bridge, rc_record, rc_hangup, rc_timer_start, rc_timer_stop};
	c->carrier = v;
}

/* --- fault-injecting driver --- */

static int tick(fault_driver *f)
{
	f->calls++;
	if (f->fail_at && f->calls == f->fail_at) {
		f->fired = 1;
		return f->fail_rc;
	}
	return SB_OK;
}

#define F(ud) ((fault_driver *)(ud))
#define IN(ud) (F(ud)->inner)
#define TICK(ud) do { int t_ = tick(F(ud)); if (t_) return t_; } while (0)

static int f_prepare(void *ud, sb_store_stmt **out, const char *sql)
{
	TICK(ud);
	return IN(ud).prepare(IN(ud).userdata, out, sql);
}
static int f_bind_null(void *ud, sb_store_stmt *s, int i)
{
	TICK(ud);
	return IN(ud).bind_null(IN(ud).userdata, s, i);
}
static int f_bind_int64(void *ud, sb_store_stmt *s, int i, int64_t v)
{
	TICK(ud);
	return IN(ud).bind_int64(IN(ud).userdata, s, i, v);
}
static int f_bind_text(void *ud, sb_store_stmt *s, int i, const char *v, size_t n)
{
	TICK(ud);
	return IN(ud).bind_text(IN(ud).userdata, s, i, v, n);
}
static int f_bind_blob(void *ud, sb_store_stmt *s, int i, const void *v, size_t n)
{
	TICK(ud);
	return IN(ud).bind_blob(IN(ud).userdata, s, i, v, n);
}
static int f_step(void *ud, sb_store_stmt *s)
{
	TICK(ud);
	return IN(ud).step(IN(ud).userdata, s);
}
static int f_column_type(void *ud, sb_store_stmt *s, int c) { return IN(ud).column_type(IN(ud).userdata, s, c); }
static int64_t f_column_int64(void *ud, sb_store_stmt *s, int c) { return IN(ud).column_int64(IN(ud).userdata, s, c); }
static const char *f_column_text(void *ud, sb_store_stmt *s, int c, size_t *n)
{
	return IN(ud).column_text(IN(ud).userdata, s, c, n);
}
static const void *f_column_blob(void *ud, sb_store_stmt *s, int c, size_t *n)
{
	return IN(ud).column_blob(IN(ud).userdata, s, c, n);
}
static int f_reset(void *ud, sb_store_stmt *s) { return IN(ud).reset(IN(ud).userdata, s); }
static void f_finalize(void *ud, sb_store_stmt *s) { IN(ud).finalize(IN(ud).userdata, s); }
static int f_begin(void *ud, int w)
{
	TICK(ud);
	return IN(ud).begin(IN(ud).userdata, w);
}
static int f_commit(void *ud)
{
	TICK(ud);
	return IN(ud).commit(IN(ud).userdata);
}
static int f_rollback(void *ud) { return IN(ud).rollback(IN(ud).userdata); }
static const char *f_errmsg(void *ud)
{
	return F(ud)->fired ? "injected fault" : IN(ud).errmsg(IN(ud).userdata);
}
static void f_close(void *ud) { IN(ud).close(IN(ud).userdata); }

void fault_wrap(sb_store_driver *out, fault_driver *f, const sb_store_driver *inner)
{
	memset(f, 0, sizeof *f);
	f->inner = *inner;
	sb_store_driver d = {SB_STORE_DRIVER_VERSION, f, inner->dialect, f_prepare, f_bind_null, f_bind_int64,
	                     f_bind_text, f_bind_blob, f_step, f_column_type, f_column_int64, f_column_text,
	                     f_column_blob, f_reset, f_finalize, f_begin, f_commit, f_rollback, f_errmsg, f_close};
	*out = d;
}

void fault_arm(fault_driver *f, long fail_at, int rc)
{
	f->calls = 0;
	f->fired = 0;
	f->fail_at = fail_at;
	f->fail_rc = rc;
}

void test_expect_dump(const char *path, char *before)
{
	char *after = test_dump(path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int test_receive(sb_practice *p, sb_delivery *d, const char *from, const char *to, const char *body,
                 const char *carrier_id)
{
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = from;
	m.to = to;
	m.body = body;
	m.carrier_id = carrier_id;
	return sb_sms_receive(d, p, &m);
}

void test_ring_number(sb_practice *p, sb_id id, const char *number)
{
	char name[32];
	snprintf(name, sizeof name, "Teammate %lld", (long long)id);
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = name;
	s.ring_numbers = &number;
	s.ring_count = 1;
	assert_int_equal(sb_teammate_update(p, 1, id, &s), SB_OK);
}
