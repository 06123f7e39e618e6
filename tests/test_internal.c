/*
 * The mechanisms under the public API that later modules build on: UTF-8
 * checks, sealing and blind indexes (at rest, in a real store file), random
 * tokens and codes, and carrier dispatch. Links the static library.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store/dialect.h"
#include "utf8.h"

static const unsigned char key[SB_KEY_BYTES] = "internal-key-internal-key-intern";
static const char *const phi[] = {"Jane Q. Patient", "diagnosed with hypertension", "+14155550123"};

static void test_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{"plain ascii", 1}, {"caf\xc3\xa9", 1}, {"\xe2\x82\xac", 1}, {"\xf0\x9f\x98\x80 emoji", 1},
		{"\xf4\x8f\xbf\xbf", 1}, {"\xed\x9f\xbf", 1}, {"", 1},
		{"\xc0\x80", 0},          /* overlong NUL */
		{"\xc1\xbf", 0},          /* overlong */
		{"\xe0\x80\xaf", 0},      /* overlong 3-byte */
		{"\xf0\x80\x80\xaf", 0},  /* overlong 4-byte */
		{"\xed\xa0\x80", 0},      /* surrogate */
		{"\xf4\x90\x80\x80", 0},  /* above U+10FFFF */
		{"\xf5\x80\x80\x80", 0},
		{"\x80", 0},              /* lone continuation */
		{"\xc3", 0},              /* truncated */
		{"\xe2\x82", 0},
		{"\xc3\x28", 0},
		{"\xff", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (sb_utf8_valid(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("utf8 case %zu", i);
	assert_false(sb_utf8_valid("a\0b", 3)); /* embedded NUL */
}

static void test_seal(void **state)
{
	(void)state;
	sb_keys *k, *other;
	assert_int_equal(sb_crypto_init(), SB_OK);
	assert_int_equal(sb_keys_derive(&k, key, 1), SB_OK);
	assert_int_equal(sb_keys_derive(&other, key, 2), SB_OK); /* another practice */
	const char *msg = phi[1];
	size_t n = strlen(msg);
	unsigned char sealed[128], plain[128];
	sb_seal(k, sealed, msg, n, "message", "body", 7);
	assert_int_equal(sb_unseal(k, plain, sealed, n + SB_SEAL_OVERHEAD, "message", "body", 7), SB_OK);
	assert_memory_equal(plain, msg, n);
	/* Bound to its place: another row, column, table or practice cannot open it. */
	assert_int_equal(sb_unseal(k, plain, sealed, n + SB_SEAL_OVERHEAD, "message", "body", 8), SB_ECRYPTO);
	assert_int_equal(sb_unseal(k, plain, sealed, n + SB_SEAL_OVERHEAD, "message", "note", 7), SB_ECRYPTO);
	assert_int_equal(sb_unseal(k, plain, sealed, n + SB_SEAL_OVERHEAD, "contact", "body", 7), SB_ECRYPTO);
	assert_int_equal(sb_unseal(other, plain, sealed, n + SB_SEAL_OVERHEAD, "message", "body", 7), SB_ECRYPTO);
	sealed[30] ^= 1;
	assert_int_equal(sb_unseal(k, plain, sealed, n + SB_SEAL_OVERHEAD, "message", "body", 7), SB_ECRYPTO);
	assert_int_equal(sb_unseal(k, plain, sealed, 10, "message", "body", 7), SB_ECRYPTO);
	/* Two seals of the same text differ (random nonce). */
	unsigned char again[128];
	sb_seal(k, sealed, msg, n, "message", "body", 7);
	sb_seal(k, again, msg, n, "message", "body", 7);
	assert_memory_not_equal(sealed, again, n + SB_SEAL_OVERHEAD);
	sb_keys_free(k);
	sb_keys_free(other);
	sb_keys_free(NULL);
}

static void test_blind_index(void **state)
{
	(void)state;
	sb_keys *k, *other;
	assert_int_equal(sb_keys_derive(&k, key, 1), SB_OK);
	assert_int_equal(sb_keys_derive(&other, key, 2), SB_OK);
	unsigned char a[SB_HASH_BYTES], b[SB_HASH_BYTES];
	sb_blind_index(k, a, "phone", "+14155550123", 12);
	sb_blind_index(k, b, "phone", "+14155550123", 12);
	assert_memory_equal(a, b, SB_HASH_BYTES); /* searchable: equal in, equal out */
	sb_blind_index(k, b, "email", "+14155550123", 12);
	assert_memory_not_equal(a, b, SB_HASH_BYTES); /* domains are separate */
	sb_blind_index(other, b, "phone", "+14155550123", 12);
	assert_memory_not_equal(a, b, SB_HASH_BYTES); /* keyed per practice */
	sb_blind_index(NULL, b, "phone", "+14155550123", 12);
	assert_memory_not_equal(a, b, SB_HASH_BYTES);
	sb_keys_free(k);
	sb_keys_free(other);
}

static void test_tokens_and_codes(void **state)
{
	(void)state;
	char t1[64], t2[64];
	assert_int_equal(sb_random_token(t1, sizeof t1, 24), SB_OK);
	assert_int_equal(sb_random_token(t2, sizeof t2, 24), SB_OK);
	assert_int_equal(strlen(t1), 32);
	assert_string_not_equal(t1, t2);
	assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 32);
	assert_int_equal(sb_random_token(t1, 8, 24), SB_EINVAL);
	assert_int_equal(sb_random_token(t1, sizeof t1, 0), SB_EINVAL);
	int seen_leading_zero = 0, distinct = 0;
	char prev[7] = "";
	for (int i = 0; i < 2000; i++) {
		char c[7];
		sb_random_code6(c);
		assert_int_equal(strlen(c), 6);
		assert_int_equal(strspn(c, "0123456789"), 6);
		seen_leading_zero |= c[0] == '0';
		distinct += strcmp(c, prev) != 0;
		memcpy(prev, c, 7);
	}
	assert_true(seen_leading_zero); /* uniform over 000000..999999, P(miss) ~ 1e-92 */
	assert_true(distinct > 1990);
}

/* With a key, PHI written through the sealing path is not in the file's bytes;
 * the same text written in clear is, so the scan itself is proven to work. */
static void test_phi_sealed_at_rest(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *p = test_open(path, NULL, key, NULL);
	assert_non_null(p->keys);
	assert_int_equal(sb_db_exec(p->db, "CREATE TABLE t_phi (id BIGINT, sealed {blob}, clear TEXT)", NULL), SB_OK);
	for (int i = 0; i < 3; i++) {
		unsigned char sealed[128];
		size_t n = strlen(phi[i]);
		sb_seal(p->keys, sealed, phi[i], n, "t_phi", "sealed", i);
		assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_phi (id, sealed) VALUES (?, ?)", "ib", (int64_t)i, sealed,
		                            n + SB_SEAL_OVERHEAD),
		                 SB_OK);
	}
	assert_int_equal(sb_db_exec(p->db, "INSERT INTO t_phi (id, clear) VALUES (99, 'control text in clear')", NULL),
	                 SB_OK);
	for (int i = 0; i < 3; i++)
		assert_false(test_store_contains(path, phi[i]));
	assert_true(test_store_contains(path, "control text in clear"));
	sb_practice_free(p); /* checkpoints the WAL into the main file */
	for (int i = 0; i < 3; i++)
		assert_false(test_store_contains(path, phi[i]));
	assert_true(test_store_contains(path, "control text in clear"));

	/* And it reads back with the key. */
	p = test_open(path, NULL, key, NULL);
	sb_stmt *st;
	assert_int_equal(sb_db_query(p->db, &st, "SELECT sealed FROM t_phi WHERE id = ?", "i", (int64_t)1), SB_OK);
	assert_int_equal(sb_db_step(p->db, st), SB_STORE_ROW);
	size_t len;
	const unsigned char *blob = sb_db_col_blob(p->db, st, 0, &len);
	unsigned char plain[128];
	assert_int_equal(sb_unseal(p->keys, plain, blob, len, "t_phi", "sealed", 1), SB_OK);
	assert_memory_equal(plain, phi[1], strlen(phi[1]));
	sb_db_release(p->db, st);
	sb_practice_free(p);
	test_db_remove(path);
}

/* The statement cache hands out a fresh statement when the cached one is busy. */
static void test_statement_reuse(void **state)
{
	(void)state;
	char *path = test_db_path();
	sb_practice *p = test_open(path, NULL, NULL, NULL);
	const char *sql = "SELECT seq FROM sb_audit WHERE practice_id = ? ORDER BY seq";
	sb_stmt *outer, *inner;
	assert_int_equal(sb_audit_record(p, SB_ACTOR_SYSTEM, "a.b", "c", 0), SB_OK);
	assert_int_equal(sb_db_query(p->db, &outer, sql, "i", p->id), SB_OK);
	assert_int_equal(sb_db_step(p->db, outer), SB_STORE_ROW);
	assert_int_equal(sb_db_query(p->db, &inner, sql, "i", p->id), SB_OK);
	assert_ptr_not_equal(inner, outer);
	assert_int_equal(sb_db_step(p->db, inner), SB_STORE_ROW);
	assert_int_equal(sb_db_col_int(p->db, inner, 0), 1);
	sb_db_release(p->db, inner);
	assert_int_equal(sb_db_step(p->db, outer), SB_STORE_ROW);
	assert_int_equal(sb_db_col_int(p->db, outer, 0), 2);
	sb_db_release(p->db, outer);
	sb_practice_free(p);
	test_db_remove(path);
}

/* The dialect tokens, for each engine; other braces pass through. */
static void test_dialect(void **state)
{
	(void)state;
	const char *sql = "CREATE TABLE t (id {id}, b {blob}, j TEXT DEFAULT '{x}')";
	char *lite = sb_dialect_expand(SB_STORE_DIALECT_SQLITE, sql);
	char *pg = sb_dialect_expand(SB_STORE_DIALECT_POSTGRES, sql);
	assert_string_equal(lite, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB, j TEXT DEFAULT '{x}')");
	assert_string_equal(pg, "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA,"
	                        " j TEXT DEFAULT '{x}')");
	free(lite);
	free(pg);
	char *many = sb_dialect_expand(SB_STORE_DIALECT_POSTGRES, "{id}{id}{id}{blob}{");
	assert_non_null(strstr(many, "BYTEA{"));
	free(many);
	assert_null(sb_dialect_migration_lock(SB_STORE_DIALECT_SQLITE));
	assert_non_null(strstr(sb_dialect_migration_lock(SB_STORE_DIALECT_POSTGRES), "pg_advisory_xact_lock"));
}

static void test_carrier_dispatch(void **state)
{
	(void)state;
	test_carrier c;
	test_carrier_init(&c);
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = ":memory:";
	o.carrier = &c.carrier;
	sb_practice *p;
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);
	c.carrier.send_sms = NULL; /* the library kept its own copy */

	sb_sms sms = {1, "+14155550100", "+14155550123", "see you at 3", NULL, 0, "k1"};
	char id[SB_CARRIER_ID_MAX];
	assert_int_equal(sb_carrier_invoke(p, send_sms, &sms, id, sizeof id), SB_OK);
	assert_string_equal(id, "SM1");
	assert_int_equal(c.count, 1);
	assert_string_equal(c.log[0], "send_sms from=+14155550100 to=+14155550123 body=see you at 3 key=k1 media=0:");
	sb_play play = {1, SB_PLAY_HOLD, NULL, 1};
	assert_int_equal(sb_carrier_invoke(p, call_play, "leg1", &play), SB_OK);
	assert_string_equal(c.log[1], "play leg1 kind=3 content= loop=1");

	c.fail_with = -42;
	assert_int_equal(sb_carrier_invoke(p, call_hangup, "leg1"), SB_EUSER);
	assert_non_null(strstr(sb_practice_errmsg(p), "call_hangup"));
	assert_non_null(strstr(sb_practice_errmsg(p), "-42"));
	sb_practice_free(p);

	/* Without a callback, nothing runs and the call says so. */
	test_carrier_init(&c);
	c.carrier.send_email = NULL;
	o.carrier = &c.carrier;
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);
	sb_email mail = {1, "front@example.org", "alert", "body", "k2"};
	assert_int_equal(sb_carrier_invoke(p, send_email, &mail, id, sizeof id), SB_ENOTSUP);
	assert_non_null(strstr(sb_practice_errmsg(p), "send_email"));
	assert_int_equal(c.count, 0);
	sb_practice_free(p);

	o.carrier = NULL; /* no carrier at all */
	assert_int_equal(sb_practice_open(&p, &o), SB_OK);
	assert_int_equal(sb_carrier_invoke(p, timer_start, "t1", (int64_t)5), SB_ENOTSUP);
	sb_practice_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_seal),
		cmocka_unit_test(test_blind_index),
		cmocka_unit_test(test_tokens_and_codes),
		cmocka_unit_test(test_phi_sealed_at_rest),
		cmocka_unit_test(test_statement_reuse),
		cmocka_unit_test(test_dialect),
		cmocka_unit_test(test_carrier_dispatch),
	};
	return cmocka_run_group_tests_name("internal", tests, NULL, NULL);
}
