/* The practice handle: opening a tenant of a store, errors, time, transactions. */
#include "internal.h"
#include "notify_internal.h"
#include "store/dialect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/schema.h"
#include "utf8.h"

#define DEFAULT_PRACTICE "default"
/* A known constant sealed per practice, to tell a wrong key from a right one. */
static const char key_check_plain[] = "switchboard key check v1";

int sb_fail(sb_practice *p, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->errmsg, sizeof p->errmsg, fmt, ap);
	va_end(ap);
	p->described = 1;
	return rc;
}

int sb_succeed(sb_practice *p)
{
	snprintf(p->errmsg, sizeof p->errmsg, "%s", SB_NOT_AN_ERROR);
	p->described = 0;
	return SB_OK;
}

int sb_fail_store(sb_practice *p, int rc, const char *what)
{
	char why[sizeof p->errmsg];
	snprintf(why, sizeof why, "%s", p->described || !p->db ? p->errmsg : sb_db_errmsg(p->db));
	return sb_fail(p, rc, "%s: %s", what, why);
}

int sb_check_open(sb_practice *p)
{
	if (!p)
		return SB_EINVAL;
	sb_succeed(p); /* as sqlite3_errmsg(): the message describes this call, so a success leaves none */
	if (!p->open)
		return sb_fail(p, SB_ESTATE, "the practice is not open");
	return SB_OK;
}

int sb_check_out(sb_practice *p, void *out, size_t size, const char *name)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out)
		return sb_fail(p, SB_EINVAL, "%s is required", name);
	memset(out, 0, size);
	return SB_OK;
}

int sb_check_text(sb_practice *p, const char *s, size_t max, const char *field)
{
	if (!s)
		return sb_fail(p, SB_EINVAL, "%s is missing", field);
	size_t n = strnlen(s, max + 1);
	if (n > max)
		return sb_fail(p, SB_ETOOBIG, "%s is longer than %zu bytes", field, max);
	if (!sb_utf8_valid(s, n))
		return sb_fail(p, SB_EUTF8, "%s is not valid UTF-8", field);
	return SB_OK;
}

int sb_check_name(sb_practice *p, const char *name, size_t max, const char *field, char *key)
{
	int rc = sb_check_text(p, name, max, field);
	if (rc != SB_OK)
		return rc;
	if (!name[0])
		return sb_fail(p, SB_EINVAL, "%s is empty", field);
	size_t i = 0;
	for (; name[i]; i++) /* ASCII case only, so the key is as long as the name */
		key[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
	key[i] = '\0';
	return SB_OK;
}

int sb_check_email(sb_practice *p, const char *s, const char *field)
{
	int rc = sb_check_text(p, s, SB_ADDRESS_MAX, field);
	if (rc != SB_OK)
		return rc;
	const char *at = strchr(s, '@');
	int ok = at && at != s && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' &&
	         s[strlen(s) - 1] != '.';
	for (const char *c = s; ok && *c; c++)
		ok = (unsigned char)*c > 0x20 && *c != 0x7f;
	return ok ? SB_OK : sb_fail(p, SB_EEMAIL, "%s is not an e-mail address (want name@domain.tld, no spaces)", field);
}

int sb_check_nanp(sb_practice *p, const char *number, const char *field, char *out)
{
	sb_phone ph;
	if (!number)
		return sb_fail(p, SB_EINVAL, "%s is missing", field);
	if (sb_phone_parse(&ph, number) != SB_OK)
		return sb_fail(p, SB_EPHONE, "%s is not a phone number: %s", field, sb_phone_problem_text(ph.problem));
	if (!sb_phone_is_nanp(&ph))
		return sb_fail(p, SB_EPHONE, "%s is a %s number: texts and calls reach US and Canadian (NANP) numbers only",
		               field, sb_phone_kind_name(ph.kind));
	if (ph.kind == SB_PHONE_PREMIUM) /* toll fraud: nobody texts, rings or calls a 900 number */
		return sb_fail(p, SB_EPHONE, "%s is a premium-rate (900) number: it is never texted or dialled", field);
	memcpy(out, ph.number, sizeof ph.number);
	return SB_OK;
}

int sb_check_textable(sb_practice *p, const char *e164, const char *field)
{
	sb_phone ph;
	if (sb_phone_parse(&ph, e164) == SB_OK && sb_phone_is_textable(&ph))
		return SB_OK;
	return sb_fail(p, SB_EPHONE, "%s cannot be texted: texts reach US and Canadian numbers only (C14)", field);
}

int sb_check_page(sb_practice *p, size_t max, unsigned limit, int64_t after, const char *after_name)
{
	if (max < 1 || max > limit)
		return sb_fail(p, SB_EINVAL, "max must be 1..%u", limit);
	return after < 0 ? sb_fail(p, SB_EINVAL, "%s is negative", after_name) : SB_OK;
}

int sb_check_list(sb_practice *p, const void *out, size_t *out_count, size_t max, unsigned limit, int64_t cursor,
                  const char *cursor_name)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !out_count)
		return sb_fail(p, SB_EINVAL, "out and out_count are required");
	*out_count = 0;
	return sb_check_page(p, max, limit, cursor, cursor_name);
}

void sb_copy_text(char *dst, size_t room, const char *src, size_t n)
{
	if (n >= room)
		n = room - 1;
	if (n) /* an empty stored value may come back as NULL */
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static int real_now(void *userdata, int64_t *out)
{
	(void)userdata;
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	*out = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

int sb_now(sb_practice *p, int64_t *out)
{
	*out = 0;
	if (p->clock.now_ms(p->clock.userdata, out) < 0)
		return sb_fail(p, SB_EUSER, "the clock callback failed");
	return SB_OK;
}

static int adopt_clock(sb_practice *p, const sb_clock *clock)
{
	sb_clock real = {SB_CLOCK_VERSION, NULL, real_now};
	p->clock = real;
	if (!clock)
		return SB_OK;
	if (clock->version < 1 || clock->version > SB_CLOCK_VERSION)
		return sb_fail(p, SB_EVERSION, "clock version %u is not supported", clock->version);
	if (!clock->now_ms)
		return sb_fail(p, SB_EINVAL, "clock.now_ms is missing");
	p->clock = *clock;
	return SB_OK;
}

int sb_practice_options_init(sb_practice_options *opts)
{
	if (!opts)
		return SB_EINVAL;
	sb_practice_options def = SB_PRACTICE_OPTIONS_INIT;
	*opts = def;
	return SB_OK;
}

static int check_options(sb_practice *p, const sb_practice_options *o)
{
	if (!o)
		return sb_fail(p, SB_EINVAL, "options are required: they name the store");
	if (o->version < 1 || o->version > SB_PRACTICE_OPTIONS_VERSION)
		return sb_fail(p, SB_EVERSION, "practice options version %u is not supported", o->version);
	if (!o->store && !o->store_path)
		return sb_fail(p, SB_EINVAL, "no store: set store or store_path");
	if (o->key && o->key_len != SB_KEY_BYTES)
		return sb_fail(p, SB_EINVAL, "the master key must be %u bytes", SB_KEY_BYTES);
	if (!o->key && o->key_len)
		return sb_fail(p, SB_EINVAL, "key_len is set but key is missing");
	if (o->practice)
		return sb_check_text(p, o->practice, SB_PRACTICE_NAME_MAX, "practice name");
	return SB_OK;
}

static int is_postgres_uri(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

/* The practice's part of every transaction: the audit tip and the purge. */
static int before_commit(void *ctx)
{
	return sb_audit_flush(ctx);
}

static void after_undo(void *ctx, int depth)
{
	sb_practice *p = ctx;
	sb_audit_forget(p, depth);
	sb_notices_forget(p, depth);
	if (depth == 0) /* what was deleted is back: nothing to purge */
		p->purge_pending = 0;
}

/* Alerts go out once what they tell of is committed. */
static void after_commit(void *ctx)
{
	sb_notices_flush(ctx);
}

/* Open the built-in driver store_path names. */
static int open_store(sb_practice *p, const char *where, sb_store_driver *out)
{
	if (is_postgres_uri(where)) {
		char why[200];
		int rc = sb_store_open_postgres(out, where, NULL, why, sizeof why);
		return rc == SB_OK ? SB_OK : sb_fail(p, rc, "cannot open the PostgreSQL store: %s", why);
	}
	int rc = sb_store_open_sqlite(out, where, NULL);
	return rc == SB_OK ? SB_OK : sb_fail(p, rc, "cannot open the SQLite store");
}

/* Connect the store: the host's driver, or the one store_path names. */
static int connect_store(sb_practice *p, const sb_practice_options *o)
{
	sb_store_driver own;
	const sb_store_driver *drv = o->store;
	if (!drv) {
		int rc = open_store(p, o->store_path, &own);
		if (rc != SB_OK)
			return rc;
		drv = &own;
	}
	int rc = sb_db_open(&p->db, drv);
	if (rc != SB_OK) {
		if (!o->store)
			own.close(own.userdata);
		if (rc == SB_EVERSION)
			return sb_fail(p, rc, "store driver version %u is not supported", drv->version);
		return sb_fail(p, rc, "the store driver is incomplete or names an unknown dialect");
	}
	if (!o->store) /* we opened it, so we close it, even if opening fails later */
		sb_db_take_ownership(p->db);
	sb_db_hooks hooks = {before_commit, after_undo, after_commit, p};
	sb_db_set_hooks(p->db, &hooks);
	return SB_OK;
}

static int migrate(sb_practice *p)
{
	int found = 0;
	int rc = sb_schema_migrate(p->db, &found);
	if (rc == SB_ESCHEMA)
		return sb_fail(p, rc, "the store has schema version %d; this library knows up to %d", found,
		               sb_schema_latest());
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "migrating the store");
}

static int seal_key_check(sb_practice *p)
{
	unsigned char sealed[sizeof key_check_plain + SB_SEAL_OVERHEAD];
	sb_seal(p->keys, sealed, key_check_plain, sizeof key_check_plain, "sb_practice", "key_check", p->id);
	return sb_db_exec(p->db, "UPDATE sb_practice SET key_check = ? WHERE id = ?", "bi", sealed,
	                  sizeof sealed, p->id);
}

static int create_practice(sb_practice *p, const char *name, const unsigned char *key)
{
	/* 63 random bits: positive in every engine's BIGINT. */
	int64_t key_id = (int64_t)(sb_random_u64() >> 1), now;
	int rc = sb_now(p, &now);
	/* Another process may be creating the same practice right now: then
	 * this insert waits for it and returns nothing, and the caller finds
	 * that practice instead. */
	if (rc == SB_OK)
		rc = sb_db_one_int(p->db, &p->id,
		                   "INSERT INTO sb_practice (name, created_at, key_id) VALUES (?, ?, ?)"
		                   " ON CONFLICT (name) DO NOTHING RETURNING id",
		                   "tii", name, now, key_id);
	if (rc == SB_OK && key)
		rc = sb_keys_derive(&p->keys, key, (uint64_t)key_id);
	if (rc == SB_OK && key)
		rc = seal_key_check(p);
	if (rc == SB_OK)
		rc = sb_audit_append(p, SB_ACTOR_SYSTEM, "practice.create", "practice", p->id);
	return rc;
}

/* The sealed key check into buf; *len is 0 when the practice has no key. */
static int load_key_check(sb_practice *p, unsigned char *buf, size_t cap, size_t *len)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT key_check FROM sb_practice WHERE id = ?", "i", p->id);
	if (rc != SB_OK)
		return rc;
	size_t n = 0;
	const void *b = sb_db_col_blob(p->db, st, 0, &n);
	*len = b ? (n <= cap ? n : cap + 1) : 0; /* cap + 1: too long to be ours */
	if (b && n <= cap)
		memcpy(buf, b, n);
	sb_db_release(p->db, st);
	return SB_OK;
}

static int check_key(sb_practice *p, const unsigned char *key, int64_t key_id)
{
	unsigned char sealed[sizeof key_check_plain + SB_SEAL_OVERHEAD];
	size_t len;
	int rc = load_key_check(p, sealed, sizeof sealed, &len);
	if (rc != SB_OK)
		return rc;
	if (len == 0)
		return key ? sb_fail(p, SB_EKEY, "this practice was created without a master key") : SB_OK;
	if (!key)
		return sb_fail(p, SB_EKEY, "this practice is encrypted: a master key is required");
	rc = sb_keys_derive(&p->keys, key, (uint64_t)key_id);
	if (rc != SB_OK)
		return rc;
	unsigned char plain[sizeof key_check_plain];
	if (len != sizeof sealed ||
	    sb_unseal(p->keys, plain, sealed, len, "sb_practice", "key_check", p->id) != SB_OK)
		return sb_fail(p, SB_EKEY, "the master key is not this practice's key");
	return SB_OK;
}

static int find_practice(sb_practice *p, const char *name, int64_t *key_id)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT id, key_id FROM sb_practice WHERE name = ?", "t", name);
	if (rc != SB_OK)
		return rc;
	p->id = sb_db_col_int(p->db, st, 0);
	*key_id = sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	return SB_OK;
}

static int find_and_check(sb_practice *p, const char *name, const unsigned char *key)
{
	int64_t key_id = 0;
	int rc = find_practice(p, name, &key_id);
	return rc == SB_OK ? check_key(p, key, key_id) : rc;
}

/* Find or create the practice row and check the key, in one transaction. */
static int attach_practice(sb_practice *p, const char *name, const unsigned char *key)
{
	int rc = sb_db_begin(p->db);
	if (rc == SB_OK) {
		rc = find_and_check(p, name, key);
		if (rc == SB_ENOTFOUND)
			rc = create_practice(p, name, key);
		if (rc == SB_ENOTFOUND) /* created by another process meanwhile */
			rc = find_and_check(p, name, key);
		rc = sb_db_end(p->db, rc);
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "opening the practice");
}

int sb_practice_open(sb_practice **out, const sb_practice_options *opts)
{
	if (!out)
		return SB_EINVAL;
	sb_practice *p = calloc(1, sizeof *p);
	*out = p;
	if (!p)
		return SB_ENOMEM;
	int rc = sb_crypto_init();
	if (rc != SB_OK)
		return sb_fail(p, rc, "libsodium could not be initialised");
	if ((rc = check_options(p, opts)) != SB_OK || (rc = adopt_clock(p, opts->clock)) != SB_OK ||
	    (rc = sb_carrier_adopt(p, opts->carrier)) != SB_OK || (rc = connect_store(p, opts)) != SB_OK ||
	    (rc = migrate(p)) != SB_OK ||
	    (rc = attach_practice(p, opts->practice ? opts->practice : DEFAULT_PRACTICE, opts->key)) != SB_OK) {
		sb_keys_free(p->keys);
		p->keys = NULL;
		sb_db_close(p->db); /* closes the instance only when we opened it */
		p->db = NULL;
		p->id = 0;
		return rc;
	}
	if (opts->store)
		sb_db_take_ownership(p->db);
	p->open = 1;
	sb_succeed(p);
	return SB_OK;
}

void sb_practice_free(sb_practice *p)
{
	if (!p)
		return;
	sb_db_close(p->db); /* rolls back an open transaction */
	sb_notices_forget(p, 0);
	sb_keys_free(p->keys);
	sb_zone_free(&p->zone);
	free(p);
}

const char *sb_practice_errmsg(const sb_practice *p)
{
	return p ? p->errmsg : "no practice handle (out of memory or NULL)";
}

sb_id sb_practice_id(const sb_practice *p)
{
	return p && p->open ? p->id : 0;
}

int sb_practice_now(int64_t *out, sb_practice *p)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out)
		return sb_fail(p, SB_EINVAL, "out is required");
	return sb_now(p, out);
}

int sb_practice_begin(sb_practice *p)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && (rc = sb_db_begin(p->db)) != SB_OK)
		return sb_fail_store(p, rc, "beginning a transaction");
	return rc;
}

int sb_practice_commit(sb_practice *p)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && (rc = sb_db_commit(p->db)) != SB_OK)
		return sb_fail_store(p, rc, "committing");
	return rc == SB_OK && p->purge_pending ? sb_purge(p) : rc;
}

int sb_practice_rollback(sb_practice *p)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if ((rc = sb_db_rollback(p->db)) != SB_OK)
		return sb_fail_store(p, rc, "rolling back");
	return rc;
}

int sb_purge(sb_practice *p)
{
	const char *sql = sb_dialect_purge(sb_db_dialect(p->db));
	if (!sql)
		return SB_OK;
	if (sb_db_depth(p->db) > 0) {
		p->purge_pending = 1;
		return SB_OK;
	}
	p->purge_pending = 0;
	int rc = sb_db_exec(p->db, sql, NULL);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "purging deleted content");
}
