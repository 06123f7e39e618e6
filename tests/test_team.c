/* Teammates and admins (T1), teams (T2) and practice settings, through
 * teammate.h, team.h and settings.h. */
#include "support.h"

#include <stdio.h>
#include <string.h>

typedef test_fixture fixture;

/* A practice with no teammates yet. */
static int setup_empty(void **state)
{
	test_fixture *f = test_calloc(1, sizeof *f);
	f->path = test_db_path();
	test_clock_init(&f->clock, 1000);
	f->p = test_open(f->path, NULL, NULL, &f->clock);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return test_fixture_open(state, NULL, 1000);
}

static int teardown(void **state)
{
	return test_fixture_close(state);
}

static sb_teammate_spec spec_named(const char *name)
{
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = name;
	return s;
}

static sb_id add(fixture *f, sb_id actor, const char *name)
{
	sb_teammate_spec s = spec_named(name);
	sb_id id = 0;
	int rc = sb_teammate_add(&id, f->p, actor, &s);
	if (rc != SB_OK)
		fail_msg("add %s: %s (%s)", name, sb_strerror(rc), sb_practice_errmsg(f->p));
	return id;
}

static int64_t count_denials(fixture *f)
{
	return test_value(f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'");
}

/* T1: the first teammate is an admin; only admins add, invite, remove,
 * promote and demote; a stranger id is nobody. */
static void test_first_is_admin(void **state)
{
	fixture *f = *state;
	sb_teammate_spec s = spec_named("Ana");
	sb_id id;
	/* Nobody may act in a practice with no teammates but the system. */
	test_expect_error(f->p, sb_teammate_add(&id, f->p, 1, &s), SB_EDENIED, "not an active teammate");
	sb_id ana = add(f, SB_ACTOR_SYSTEM, "Ana");
	sb_id ben = add(f, ana, "Ben"); /* an admin adds */
	sb_teammate t;
	assert_int_equal(sb_teammate_get(&t, f->p, ben, ana), SB_OK);
	assert_true(t.admin);
	assert_int_equal(t.status, SB_TEAMMATE_ACTIVE);
	assert_string_equal(t.name, "Ana");
	assert_int_equal(sb_teammate_get(&t, f->p, ben, ben), SB_OK);
	assert_false(t.admin);
	/* Ben is not an admin: every T1 action is refused and audited. */
	int64_t denied = count_denials(f);
	s.name = "Cy";
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ben, &s), SB_EDENIED, "only admins");
	assert_int_equal(id, 0);
	test_expect_error(f->p, sb_teammate_invite(&id, f->p, ben, &s), SB_EDENIED, "only admins");
	test_expect_error(f->p, sb_teammate_set_admin(f->p, ben, ben, 1), SB_EDENIED, "only admins");
	test_expect_error(f->p, sb_teammate_remove(f->p, ben, ana), SB_EDENIED, "only admins");
	assert_int_equal(count_denials(f), denied + 4);
	/* Promoted, Ben may. */
	assert_int_equal(sb_teammate_set_admin(f->p, ana, ben, 1), SB_OK);
	assert_int_equal(sb_teammate_add(&id, f->p, ben, &s), SB_OK);
}

/* T1: the last admin can be neither demoted nor removed. */
static void test_last_admin_stays(void **state)
{
	fixture *f = *state;
	sb_id ana = add(f, SB_ACTOR_SYSTEM, "Ana"), ben = add(f, ana, "Ben");
	test_expect_error(f->p, sb_teammate_set_admin(f->p, ana, ana, 0), SB_ESTATE, "last admin");
	test_expect_error(f->p, sb_teammate_remove(f->p, ana, ana), SB_ESTATE, "last admin");
	test_expect_error(f->p, sb_teammate_remove(f->p, SB_ACTOR_SYSTEM, ana), SB_ESTATE, "last admin");
	assert_int_equal(sb_teammate_set_admin(f->p, ana, ben, 1), SB_OK);
	assert_int_equal(sb_teammate_set_admin(f->p, ben, ana, 0), SB_OK);
	test_expect_error(f->p, sb_teammate_remove(f->p, ben, ben), SB_ESTATE, "last admin");
	assert_int_equal(sb_teammate_set_admin(f->p, ben, ana, 1), SB_OK);
	assert_int_equal(sb_teammate_remove(f->p, ana, ben), SB_OK);
	/* Removed: cannot act, cannot be promoted, cannot be removed twice. */
	sb_teammate t;
	test_expect_error(f->p, sb_teammate_get(&t, f->p, ben, ana), SB_EDENIED, "not an active teammate");
	test_expect_error(f->p, sb_teammate_set_admin(f->p, ana, ben, 1), SB_ESTATE, "only active");
	test_expect_error(f->p, sb_teammate_remove(f->p, ana, ben), SB_ESTATE, "removed already");
	assert_int_equal(sb_teammate_get(&t, f->p, ana, ben), SB_OK);
	assert_int_equal(t.status, SB_TEAMMATE_REMOVED);
	assert_int_equal(t.removed_at, 1000);
}

/* Invitations: an invitee cannot act until they accept. */
static void test_invite_and_accept(void **state)
{
	fixture *f = *state;
	sb_id ana = add(f, SB_ACTOR_SYSTEM, "Ana"), cy;
	sb_teammate_spec s = spec_named("Cy");
	assert_int_equal(sb_teammate_invite(&cy, f->p, ana, &s), SB_OK);
	sb_teammate t;
	test_expect_error(f->p, sb_teammate_get(&t, f->p, cy, cy), SB_EDENIED, "not an active teammate");
	assert_int_equal(sb_teammate_accept(f->p, cy), SB_OK);
	assert_int_equal(sb_teammate_get(&t, f->p, cy, cy), SB_OK);
	assert_int_equal(t.status, SB_TEAMMATE_ACTIVE);
	test_expect_error(f->p, sb_teammate_accept(f->p, cy), SB_ESTATE, "not invited");
	test_expect_error(f->p, sb_teammate_accept(f->p, 999), SB_ENOTFOUND, "no such teammate");
	test_expect_error(f->p, sb_teammate_accept(f->p, 0), SB_EINVAL, "positive");
}

/* Names, numbers and bad specs; a teammate changes themself, others need an admin. */
static void test_details_and_bad_input(void **state)
{
	fixture *f = *state;
	sb_id ana = add(f, SB_ACTOR_SYSTEM, "Ana"), ben = add(f, ana, "Ben"), id;
	const char *rings[] = {"(415) 555-0111", "+1 415 555 0112"};
	sb_teammate_spec s = spec_named("Ben B.");
	s.login_phone = "415-555-0110";
	s.ring_numbers = rings;
	s.ring_count = 2;
	assert_int_equal(sb_teammate_update(f->p, ben, ben, &s), SB_OK);
	sb_teammate t;
	assert_int_equal(sb_teammate_get(&t, f->p, ana, ben), SB_OK);
	assert_string_equal(t.name, "Ben B.");
	assert_string_equal(t.login_phone, "+14155550110");
	assert_int_equal(t.ring_count, 2);
	assert_string_equal(t.ring_numbers[1], "+14155550112");
	/* The login phone names one teammate. */
	sb_teammate_spec other = spec_named("Cy");
	other.login_phone = "4155550110";
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_ECONFLICT, "login phone");
	other.login_phone = "+44 20 7946 0958";
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_EPHONE, "NANP");
	other.login_phone = NULL;
	other.name = "\xff";
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_EUTF8, "name");
	other.name = "";
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_EINVAL, "empty");
	other.name = "Cy";
	other.ring_count = SB_RING_NUMBERS_MAX + 1;
	other.ring_numbers = rings;
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_EINVAL, "ring_numbers");
	other.ring_count = 0;
	other.version = 99;
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, &other), SB_EVERSION, "version");
	test_expect_error(f->p, sb_teammate_add(&id, f->p, ana, NULL), SB_EINVAL, "spec");
	/* Ben may not rename Ana. */
	test_expect_error(f->p, sb_teammate_update(f->p, ben, ana, &s), SB_EDENIED, "only admins");
	test_expect_error(f->p, sb_teammate_update(f->p, ana, 999, &s), SB_ENOTFOUND, "no such teammate");
	/* Refusals add nobody. */
	assert_int_equal(test_value(f->path, "SELECT COUNT(*) FROM sb_teammate"), 2);
	sb_teammate list[4];
	size_t n;
	assert_int_equal(sb_teammate_list(list, &n, f->p, ben, 0, 4, 0), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sb_teammate_list(list, &n, f->p, ben, list[0].id, 4, 0), SB_OK);
	assert_int_equal(n, 1);
	test_expect_error(f->p, sb_teammate_list(list, &n, f->p, ben, 0, 0, 0), SB_EINVAL, "max");
}

/* T2: teams, their members, names unique without case; admins only. */
static void test_teams(void **state)
{
	fixture *f = *state; /* teammates 1..12; 1 is the admin */
	sb_id front, nurses, id;
	assert_int_equal(sb_team_create(&front, f->p, 1, "Front desk"), SB_OK);
	assert_int_equal(sb_team_create(&nurses, f->p, 1, "Nurses"), SB_OK);
	test_expect_error(f->p, sb_team_create(&id, f->p, 1, "FRONT DESK"), SB_ECONFLICT, "team of that name");
	test_expect_error(f->p, sb_team_create(&id, f->p, 2, "Billing"), SB_EDENIED, "only admins");
	test_expect_error(f->p, sb_team_create(&id, f->p, 1, ""), SB_EINVAL, "empty");
	test_expect_error(f->p, sb_team_create(&id, f->p, 1, "\xc3"), SB_EUTF8, "team name");
	char long_name[SB_TEAM_NAME_MAX + 2];
	memset(long_name, 'n', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	test_expect_error(f->p, sb_team_create(&id, f->p, 1, long_name), SB_ETOOBIG, "team name");
	/* A teammate may be in several teams. */
	assert_int_equal(sb_team_member_add(f->p, 1, front, 2), SB_OK);
	assert_int_equal(sb_team_member_add(f->p, 1, front, 3), SB_OK);
	assert_int_equal(sb_team_member_add(f->p, 1, nurses, 3), SB_OK);
	test_expect_error(f->p, sb_team_member_add(f->p, 1, front, 3), SB_ECONFLICT, "already");
	test_expect_error(f->p, sb_team_member_add(f->p, 1, front, 999), SB_ENOTFOUND, "no such teammate");
	test_expect_error(f->p, sb_team_member_add(f->p, 2, front, 4), SB_EDENIED, "only admins");
	test_expect_error(f->p, sb_team_member_add(f->p, 1, 999, 4), SB_ENOTFOUND, "no such team");
	sb_id ids[8];
	size_t n;
	assert_int_equal(sb_teammate_teams(ids, &n, f->p, 5, 3, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], front);
	assert_int_equal(ids[1], nurses);
	assert_int_equal(sb_team_members(ids, &n, f->p, 5, front, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 2);
	sb_team t;
	assert_int_equal(sb_team_get(&t, f->p, 5, front), SB_OK);
	assert_string_equal(t.name, "Front desk");
	assert_int_equal(t.member_count, 2);
	/* Rename, remove a member, delete. */
	assert_int_equal(sb_team_rename(f->p, 1, front, "Reception"), SB_OK);
	test_expect_error(f->p, sb_team_rename(f->p, 1, front, "nurses"), SB_ECONFLICT, "team of that name");
	assert_int_equal(sb_team_rename(f->p, 1, front, "RECEPTION"), SB_OK); /* its own name, recased */
	assert_int_equal(sb_team_member_remove(f->p, 1, front, 2), SB_OK);
	test_expect_error(f->p, sb_team_member_remove(f->p, 1, front, 2), SB_ENOTFOUND, "not a member of the team");
	assert_int_equal(sb_team_delete(f->p, 1, nurses), SB_OK);
	test_expect_error(f->p, sb_team_delete(f->p, 1, nurses), SB_ESTATE, "deleted");
	test_expect_error(f->p, sb_team_member_add(f->p, 1, nurses, 4), SB_ESTATE, "deleted");
	assert_int_equal(sb_team_get(&t, f->p, 5, nurses), SB_OK); /* history still names it */
	assert_int_equal(t.deleted_at, 1000);
	assert_int_equal(t.member_count, 0);
	sb_team all[4];
	assert_int_equal(sb_team_list(all, &n, f->p, 5, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(all[0].name, "RECEPTION");
	assert_int_equal(sb_team_create(&id, f->p, 1, "Nurses"), SB_OK); /* the name is free again */
	/* A team that owns an endpoint stays until the endpoint has another owner. */
	sb_id number;
	assert_int_equal(sb_business_number_create(&number, f->p, 1, TEST_FRONT, "Front"), SB_OK);
	assert_int_equal(sb_endpoint_set_owner(f->p, 1, number, SB_OWNER_TEAM, front), SB_OK);
	test_expect_error(f->p, sb_team_delete(f->p, 1, front), SB_ESTATE, "owns an endpoint");
	assert_int_equal(sb_endpoint_set_owner(f->p, 1, number, SB_OWNER_PRACTICE, 0), SB_OK);
	assert_int_equal(sb_team_delete(f->p, 1, front), SB_OK);
}

/* Settings: read by all, changed by admins; a bad e-mail is refused. */
static void test_settings(void **state)
{
	fixture *f = *state;
	sb_practice_settings s;
	assert_int_equal(sb_practice_settings_get(&s, f->p, 4), SB_OK);
	assert_int_equal(s.version, SB_PRACTICE_SETTINGS_VERSION);
	assert_true(s.assignment_on);
	assert_string_equal(s.plan, "");
	snprintf(s.plan, sizeof s.plan, "Premium");
	snprintf(s.billing_email, sizeof s.billing_email, "billing@clinic.example");
	s.assignment_on = 0;
	test_expect_error(f->p, sb_practice_settings_set(f->p, 4, &s), SB_EDENIED, "only admins");
	assert_int_equal(sb_practice_settings_set(f->p, 1, &s), SB_OK);
	sb_practice_settings back;
	assert_int_equal(sb_practice_settings_get(&back, f->p, 4), SB_OK);
	assert_false(back.assignment_on);
	assert_string_equal(back.plan, "Premium");
	assert_string_equal(back.billing_email, "billing@clinic.example");
	snprintf(s.billing_email, sizeof s.billing_email, "not an address");
	test_expect_error(f->p, sb_practice_settings_set(f->p, 1, &s), SB_EEMAIL, "billing e-mail");
	memset(s.plan, 'x', sizeof s.plan);
	test_expect_error(f->p, sb_practice_settings_set(f->p, 1, &s), SB_ETOOBIG, "plan");
	sb_practice_settings_init(&s);
	s.version = 7;
	test_expect_error(f->p, sb_practice_settings_set(f->p, 1, &s), SB_EVERSION, "version");
	test_expect_error(f->p, sb_practice_settings_set(f->p, 1, NULL), SB_EINVAL, "required");
	test_expect_error(f->p, sb_practice_settings_get(NULL, f->p, 1), SB_EINVAL, "out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_is_admin, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_last_admin_stays, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_invite_and_accept, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_details_and_bad_input, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_teams, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	};
	return cmocka_run_group_tests_name("team", tests, NULL, NULL);
}
