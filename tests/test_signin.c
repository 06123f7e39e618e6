/* Teammate sign-in (signin.h): passwords kept as Argon2id hashes only,
 * one answer for every wrong login, a lockout per teammate. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define ANA_LOGIN "+14155550142"
#define BEN_LOGIN "+14155550143"
#define ANA_PASSWORD "correct horse battery"

static int setup(void **state)
{
	return test_fixture_open(state, NULL, 1000);
}

static int teardown(void **state)
{
	return test_fixture_close(state);
}

static void give_login(sb_practice *p, sb_id id, const char *name, const char *login)
{
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = name;
	s.login_phone = login;
	assert_int_equal(sb_teammate_update(p, 1, id, &s), SB_OK);
}

/* Teammate 2 (Ana) with a login phone and a password she set herself. */
static void ana_signs_up(test_fixture *f)
{
	give_login(f->p, 2, "Ana", ANA_LOGIN);
	assert_int_equal(sb_teammate_password_set(f->p, 2, 2, ANA_PASSWORD), SB_OK);
}

static int64_t audited(test_fixture *f, const char *action)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sb_audit WHERE action = '%s'", action);
	return test_value(f->path, sql);
}

static void expect_wrong(test_fixture *f, const char *login, const char *password)
{
	sb_id who = 99;
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, login, password), SB_EDENIED,
	                  "wrong login phone or password");
	assert_int_equal(who, 0);
}

static void test_sign_in(void **state)
{
	test_fixture *f = *state;
	ana_signs_up(f);
	sb_id who = 0;
	/* Any form of the number signs in. */
	assert_int_equal(sb_teammate_sign_in(&who, f->p, "(415) 555-0142", ANA_PASSWORD), SB_OK);
	assert_int_equal(who, 2);
	assert_int_equal(audited(f, "teammate.password"), 1);
	assert_int_equal(audited(f, "teammate.sign_in"), 1);
	assert_int_equal(test_value(f->path, "SELECT actor FROM sb_audit WHERE action = 'teammate.sign_in'"), 2);
	/* Only the hash is stored, an Argon2id one. */
	assert_false(test_store_contains(f->path, ANA_PASSWORD));
	assert_int_equal(test_value(f->path, "SELECT COUNT(*) FROM sb_teammate_password WHERE hash LIKE '$argon2id$%'"),
	                 1);
	/* A new password replaces the old. */
	assert_int_equal(sb_teammate_password_set(f->p, 1, 2, "a new one, longer"), SB_OK);
	expect_wrong(f, ANA_LOGIN, ANA_PASSWORD);
	assert_int_equal(sb_teammate_sign_in(&who, f->p, ANA_LOGIN, "a new one, longer"), SB_OK);
	assert_int_equal(sb_audit_verify(NULL, f->p, 1), SB_OK);
}

/* Unknown login, no password, wrong password, an invited or a removed
 * teammate: one error, one message, each refusal audited. */
static void test_one_answer_for_every_wrong_login(void **state)
{
	test_fixture *f = *state;
	ana_signs_up(f);
	give_login(f->p, 3, "Ben", BEN_LOGIN); /* no password */
	expect_wrong(f, ANA_LOGIN, "correct horse battery!");
	expect_wrong(f, ANA_LOGIN, "");
	expect_wrong(f, "+14155550199", ANA_PASSWORD);
	expect_wrong(f, BEN_LOGIN, ANA_PASSWORD);
	assert_int_equal(audited(f, "teammate.sign_in_refused"), 4);
	assert_int_equal(test_value(f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'teammate.sign_in_refused'"
	                                     " AND object_id = 0"),
	                 1);
	assert_null(strstr(sb_practice_errmsg(f->p), ANA_PASSWORD));
	/* An invited teammate may be given a password, and signs in once joined. */
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = "Cy";
	s.login_phone = "+14155550144";
	sb_id cy = 0;
	assert_int_equal(sb_teammate_invite(&cy, f->p, 1, &s), SB_OK);
	assert_int_equal(sb_teammate_password_set(f->p, 1, cy, "cy's password"), SB_OK);
	expect_wrong(f, "+14155550144", "cy's password");
	assert_int_equal(sb_teammate_accept(f->p, cy), SB_OK);
	sb_id who = 0;
	assert_int_equal(sb_teammate_sign_in(&who, f->p, "+14155550144", "cy's password"), SB_OK);
	assert_int_equal(who, cy);
	/* Removed: no sign-in, and the hash is gone. */
	assert_int_equal(sb_teammate_remove(f->p, 1, 2), SB_OK);
	expect_wrong(f, ANA_LOGIN, ANA_PASSWORD);
	assert_int_equal(test_value(f->path, "SELECT COUNT(*) FROM sb_teammate_password WHERE teammate_id = 2"), 0);
	test_expect_error(f->p, sb_teammate_password_set(f->p, 1, 2, ANA_PASSWORD), SB_ESTATE, "removed");
}

static void test_lockout(void **state)
{
	test_fixture *f = *state;
	ana_signs_up(f);
	sb_id who = 0;
	for (unsigned i = 1; i < SB_SIGNIN_TRIES; i++)
		expect_wrong(f, ANA_LOGIN, "not her password");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, "not her password"), SB_ELIMIT, "locked");
	/* Locked: even the right password is refused, without a hash. */
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, ANA_PASSWORD), SB_ELIMIT, "locked");
	assert_int_equal(who, 0);
	assert_int_equal(audited(f, "teammate.sign_in_locked"), 2);
	f->clock.now += SB_SIGNIN_LOCK_MS - 1;
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, ANA_PASSWORD), SB_ELIMIT, "locked");
	f->clock.now += 1;
	assert_int_equal(sb_teammate_sign_in(&who, f->p, ANA_LOGIN, ANA_PASSWORD), SB_OK);
	/* A success clears the count: four more wrong ones do not lock. */
	for (unsigned i = 1; i < SB_SIGNIN_TRIES; i++)
		expect_wrong(f, ANA_LOGIN, "not her password");
	assert_int_equal(sb_teammate_sign_in(&who, f->p, ANA_LOGIN, ANA_PASSWORD), SB_OK);
	/* An admin lifts a lockout by setting a new password. */
	for (unsigned i = 0; i < SB_SIGNIN_TRIES; i++)
		(void)sb_teammate_sign_in(&who, f->p, ANA_LOGIN, "not her password");
	assert_int_equal(sb_teammate_password_set(f->p, 1, 2, "reset by the admin"), SB_OK);
	assert_int_equal(sb_teammate_sign_in(&who, f->p, ANA_LOGIN, "reset by the admin"), SB_OK);
}

static void test_bad_input(void **state)
{
	test_fixture *f = *state;
	ana_signs_up(f);
	char big[SB_PASSWORD_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sb_id who = 0;
	char *before = test_dump(f->path);
	test_expect_error(f->p, sb_teammate_password_set(f->p, 2, 2, NULL), SB_EINVAL, "password");
	test_expect_error(f->p, sb_teammate_password_set(f->p, 2, 2, "short"), SB_EINVAL, "at least 10 bytes");
	test_expect_error(f->p, sb_teammate_password_set(f->p, 2, 2, big), SB_ETOOBIG, "password");
	test_expect_error(f->p, sb_teammate_password_set(f->p, 2, 2, "caf\xc3\x28 latte!"), SB_EUTF8, "password");
	test_expect_error(f->p, sb_teammate_password_set(f->p, 1, 999, ANA_PASSWORD), SB_ENOTFOUND, "no such teammate");
	test_expect_error(f->p, sb_teammate_sign_in(NULL, f->p, ANA_LOGIN, ANA_PASSWORD), SB_EINVAL, "out_teammate");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, NULL), SB_EINVAL, "password");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, NULL, ANA_PASSWORD), SB_EINVAL, "login phone");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, "555-0142", ANA_PASSWORD), SB_EPHONE, "login phone");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, "+442079460000", ANA_PASSWORD), SB_EPHONE, "login phone");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, big), SB_ETOOBIG, "password");
	test_expect_error(f->p, sb_teammate_sign_in(&who, f->p, ANA_LOGIN, "\xff\xfe"), SB_EUTF8, "password");
	test_expect_dump(f->path, before);
	/* Another teammate's password: admins only; the refusal is audited. */
	test_expect_error(f->p, sb_teammate_password_set(f->p, 3, 2, "ben sets ana's"), SB_EDENIED, "admin");
	assert_int_equal(test_value(f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'"), 1);
	test_expect_error(f->p, sb_teammate_password_set(f->p, 999, 2, ANA_PASSWORD), SB_EDENIED, "not an active");
	assert_int_equal(sb_teammate_sign_in(&who, f->p, ANA_LOGIN, ANA_PASSWORD), SB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sign_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_answer_for_every_wrong_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
