/* Contacts (contact.h): names, notes, numbers and e-mails; sealed at rest, found by blind index. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "contact-key-contact-key-contact!";

typedef test_fixture fixture;

static int setup(void **state)
{
	return test_fixture_open(state, NULL, 5000);
}

static int setup_keyed(void **state)
{
	return test_fixture_open(state, key, 5000);
}

static int teardown(void **state)
{
	return test_fixture_close(state);
}

static sb_id make_contact(fixture *f, const char *name)
{
	sb_id id = 0;
	assert_int_equal(sb_contact_create(&id, f->p, 1, name), SB_OK);
	assert_true(id > 0);
	return id;
}

static void test_create_save_notes(void **state)
{
	fixture *f = *state;
	sb_id id = make_contact(f, "Jane Q. Patient \xf0\x9f\x98\x80");
	sb_contact c;
	assert_int_equal(sb_contact_get(&c, f->p, 1, id), SB_OK);
	assert_int_equal(c.id, id);
	assert_int_equal(c.saved, 1);
	assert_string_equal(c.name, "Jane Q. Patient \xf0\x9f\x98\x80");
	assert_int_equal(c.created_at, 5000);
	f->clock.now = 6000;
	assert_int_equal(sb_contact_save(f->p, 1, id, "Jane Patient"), SB_OK);
	assert_int_equal(sb_contact_set_notes(f->p, 1, id, "prefers texts after 5pm"), SB_OK);
	assert_int_equal(sb_contact_get(&c, f->p, 1, id), SB_OK);
	assert_string_equal(c.name, "Jane Patient");
	assert_int_equal(c.updated_at, 6000);
	char notes[64];
	size_t len;
	assert_int_equal(sb_contact_get_notes(notes, sizeof notes, &len, f->p, 1, id), SB_OK);
	assert_string_equal(notes, "prefers texts after 5pm");
	assert_int_equal(len, strlen("prefers texts after 5pm"));
	/* A small buffer gets the start, and the full length. */
	char small[8];
	assert_int_equal(sb_contact_get_notes(small, sizeof small, &len, f->p, 1, id), SB_OK);
	assert_string_equal(small, "prefers");
	assert_int_equal(len, strlen("prefers texts after 5pm"));
	assert_int_equal(sb_contact_set_notes(f->p, 1, id, ""), SB_OK);
	assert_int_equal(sb_contact_get_notes(notes, sizeof notes, &len, f->p, 1, id), SB_OK);
	assert_string_equal(notes, "");
	/* Every read and change is audited. */
	sb_audit_entry a[16];
	size_t n;
	assert_int_equal(sb_audit_read(a, &n, f->p, 1, f->audit_base, 16), SB_OK);
	const char *want[] = {"contact.create", "contact.read", "contact.update", "contact.update", "contact.read",
	                      "contact.read", "contact.read", "contact.update", "contact.read"};
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].action, want[i]);
		assert_int_equal(a[i].object_id, id);
	}
}

/* C5: several numbers and e-mails; each found by any form, by one contact only. */
static void test_addresses(void **state)
{
	fixture *f = *state;
	sb_id jane = make_contact(f, "Jane"), john = make_contact(f, "John"), a1, a2, a3, found;
	assert_int_equal(sb_contact_add_address(&a1, f->p, 1, jane, SB_ADDRESS_PHONE, "(415) 555-2671"), SB_OK);
	assert_int_equal(sb_contact_add_address(&a2, f->p, 1, jane, SB_ADDRESS_PHONE, "+44 20 7946 0958"), SB_OK);
	assert_int_equal(sb_contact_add_address(&a3, f->p, 1, jane, SB_ADDRESS_EMAIL, "Jane.Doe@Example.org"), SB_OK);
	sb_contact_address list[SB_CONTACT_ADDRESSES_MAX];
	size_t n;
	assert_int_equal(sb_contact_addresses(list, &n, f->p, 1, jane, SB_CONTACT_ADDRESSES_MAX), SB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, a1);
	assert_int_equal(list[0].kind, SB_ADDRESS_PHONE);
	assert_string_equal(list[0].value, "+14155552671");
	assert_string_equal(list[1].value, "+442079460958");
	assert_int_equal(list[2].kind, SB_ADDRESS_EMAIL);
	assert_string_equal(list[2].value, "Jane.Doe@Example.org");
	assert_int_equal(sb_contact_find(&found, f->p, 1, SB_ADDRESS_PHONE, "1-415-555-2671"), SB_OK);
	assert_int_equal(found, jane);
	assert_int_equal(sb_contact_find(&found, f->p, 1, SB_ADDRESS_EMAIL, "jane.doe@example.ORG"), SB_OK);
	assert_int_equal(found, jane);
	/* Another contact cannot hold the same number; the store is left as it was. */
	char *before = test_dump(f->path);
	test_expect_error(f->p, sb_contact_add_address(&a1, f->p, 1, john, SB_ADDRESS_PHONE, "4155552671"),
	                  SB_ECONFLICT, "already holds this number");
	test_expect_error(f->p, sb_contact_add_address(&a1, f->p, 1, jane, SB_ADDRESS_EMAIL, "JANE.DOE@example.org"),
	                  SB_ECONFLICT, "already holds this e-mail");
	char *after = test_dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* Moving a number: remove it from one, add it to the other. */
	assert_int_equal(sb_contact_remove_address(f->p, 1, jane, SB_ADDRESS_PHONE, "415.555.2671"), SB_OK);
	test_expect_error(f->p, sb_contact_remove_address(f->p, 1, jane, SB_ADDRESS_PHONE, "415.555.2671"),
	                  SB_ENOTFOUND, "does not hold");
	assert_int_equal(sb_contact_add_address(&a1, f->p, 1, john, SB_ADDRESS_PHONE, "4155552671"), SB_OK);
	assert_int_equal(sb_contact_find(&found, f->p, 1, SB_ADDRESS_PHONE, "+14155552671"), SB_OK);
	assert_int_equal(found, john);
	test_expect_error(f->p, sb_contact_find(&found, f->p, 1, SB_ADDRESS_PHONE, "4155550100"), SB_ENOTFOUND,
	                  "no contact holds");
	assert_int_equal(found, 0);
}

static void test_address_limit(void **state)
{
	fixture *f = *state;
	sb_id jane = make_contact(f, "Jane"), a;
	for (unsigned i = 0; i < SB_CONTACT_ADDRESSES_MAX; i++) {
		char mail[64];
		snprintf(mail, sizeof mail, "jane%u@example.org", i);
		assert_int_equal(sb_contact_add_address(&a, f->p, 1, jane, SB_ADDRESS_EMAIL, mail), SB_OK);
	}
	test_expect_error(f->p, sb_contact_add_address(&a, f->p, 1, jane, SB_ADDRESS_EMAIL, "one@more.org"), SB_ETOOBIG,
	                  "at most");
}

/* Bad input: a specific error each, and the store as it was. */
static void test_bad_input(void **state)
{
	fixture *f = *state;
	sb_id jane = make_contact(f, "Jane"), id = 0;
	char big[SB_CONTACT_NOTES_MAX + 2];
	memset(big, 'n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *before = test_dump(f->path);
	sb_practice *p = f->p;
	test_expect_error(p, sb_contact_create(NULL, p, 1, "x"), SB_EINVAL, "out_id");
	test_expect_error(p, sb_contact_create(&id, p, -2, "x"), SB_EINVAL, "actor");
	test_expect_error(p, sb_contact_create(&id, p, 1, NULL), SB_EINVAL, "name is missing");
	test_expect_error(p, sb_contact_create(&id, p, 1, ""), SB_EINVAL, "name is empty");
	test_expect_error(p, sb_contact_create(&id, p, 1, "bad \xed\xa0\x80"), SB_EUTF8, "name");
	test_expect_error(p, sb_contact_create(&id, p, 1, big), SB_ETOOBIG, "name");
	test_expect_error(p, sb_contact_save(p, 1, jane + 999, "x"), SB_ENOTFOUND, "no such contact");
	test_expect_error(p, sb_contact_set_notes(p, 1, jane, big), SB_ETOOBIG, "notes");
	test_expect_error(p, sb_contact_set_notes(p, 1, jane, "\xff"), SB_EUTF8, "notes");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, 9, "x"), SB_EINVAL, "kind");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, SB_ADDRESS_PHONE, NULL), SB_EINVAL, "missing");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, SB_ADDRESS_PHONE, "555-CALL-NOW"), SB_EPHONE,
	                  "not a phone number");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, SB_ADDRESS_EMAIL, "jane at example"), SB_EEMAIL,
	                  "e-mail");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, SB_ADDRESS_EMAIL, "a@b@c.org"), SB_EEMAIL,
	                  "e-mail");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane + 999, SB_ADDRESS_EMAIL, "a@b.org"), SB_ENOTFOUND,
	                  "no such contact");
	test_expect_error(p, sb_contact_add_address(&id, p, 1, jane, SB_ADDRESS_EMAIL, "\xc3\x28@b.org"), SB_EUTF8,
	                  "e-mail");
	char notes[8];
	size_t len;
	sb_contact_address list[2];
	test_expect_error(p, sb_contact_get_notes(NULL, 8, &len, p, 1, jane), SB_EINVAL, "out");
	test_expect_error(p, sb_contact_get_notes(notes, 0, &len, p, 1, jane), SB_EINVAL, "room");
	test_expect_error(p, sb_contact_addresses(list, &len, p, 1, jane, 0), SB_EINVAL, "max");
	test_expect_error(p, sb_contact_addresses(list, &len, p, 1, jane + 999, 2), SB_ENOTFOUND, "no such contact");
	assert_int_equal(id, 0);
	char *after = test_dump(f->path);
	/* Only audit rows of successful calls may differ: there were none. */
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Tenancy: another practice of the same store sees nothing of these contacts. */
static void test_tenancy(void **state)
{
	fixture *f = *state;
	sb_id jane = make_contact(f, "Jane"), a, found;
	assert_int_equal(sb_contact_add_address(&a, f->p, 1, jane, SB_ADDRESS_PHONE, "4155552671"), SB_OK);
	sb_practice *other = test_open(f->path, "Other Clinic", NULL, NULL);
	sb_contact c;
	assert_int_equal(sb_contact_get(&c, other, SB_ACTOR_SYSTEM, jane), SB_ENOTFOUND);
	assert_int_equal(sb_contact_find(&found, other, SB_ACTOR_SYSTEM, SB_ADDRESS_PHONE, "4155552671"), SB_ENOTFOUND);
	assert_int_equal(sb_contact_set_notes(other, SB_ACTOR_SYSTEM, jane, "x"), SB_ENOTFOUND);
	/* and may hold the same number for its own contact */
	sb_id theirs;
	assert_int_equal(sb_contact_create(&theirs, other, SB_ACTOR_SYSTEM, "Jane at the other clinic"), SB_OK);
	assert_int_equal(sb_contact_add_address(&a, other, SB_ACTOR_SYSTEM, theirs, SB_ADDRESS_PHONE, "4155552671"), SB_OK);
	sb_practice_free(other);
}

static const char *const phi[] = {"Zelda Quartermain", "allergic to penicillin", "+14155559876",
                                  "zelda.q@example.org"};

static void store_phi(fixture *f)
{
	sb_id id = make_contact(f, phi[0]), a;
	assert_int_equal(sb_contact_set_notes(f->p, 1, id, phi[1]), SB_OK);
	assert_int_equal(sb_contact_add_address(&a, f->p, 1, id, SB_ADDRESS_PHONE, phi[2]), SB_OK);
	assert_int_equal(sb_contact_add_address(&a, f->p, 1, id, SB_ADDRESS_EMAIL, phi[3]), SB_OK);
}

/* Without a key the values are in the store (which proves the scan sees them)... */
static void test_clear_without_key(void **state)
{
	fixture *f = *state;
	store_phi(f);
	for (int i = 0; i < 4; i++)
		assert_true(test_store_contains(f->path, phi[i]));
}

/* ...with one they are not, and everything is still found and read. */
static void test_sealed_with_key(void **state)
{
	fixture *f = *state;
	store_phi(f);
	for (int i = 0; i < 4; i++)
		if (test_store_contains(f->path, phi[i]))
			fail_msg("PHI field %d is stored in clear", i);
	sb_id found;
	assert_int_equal(sb_contact_find(&found, f->p, 1, SB_ADDRESS_PHONE, "(415) 555-9876"), SB_OK);
	sb_contact c;
	assert_int_equal(sb_contact_get(&c, f->p, 1, found), SB_OK);
	assert_string_equal(c.name, phi[0]);
	sb_contact_address list[4];
	size_t n;
	assert_int_equal(sb_contact_addresses(list, &n, f->p, 1, found, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[1].value, phi[3]);
	/* A sealed name copied onto another row does not open there. */
	sb_id other = make_contact(f, "Someone Else");
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE sb_contact SET name = (SELECT name FROM sb_contact WHERE id = %lld) WHERE id = %lld",
	         (long long)found, (long long)other);
	assert_int_equal(test_sql(f->path, sql), 0);
	test_expect_error(f->p, sb_contact_get(&c, f->p, 1, other), SB_ECRYPTO, "does not open");
	assert_string_equal(c.name, "");
}

static size_t search(fixture *f, const char *query, sb_id *ids, size_t max)
{
	size_t n = 99;
	int rc = sb_contact_search(ids, &n, f->p, 1, query, 0, max);
	if (rc != SB_OK)
		fail_msg("search \"%s\": %s (%s)", query, sb_strerror(rc), sb_practice_errmsg(f->p));
	return n;
}

/* Name prefixes and any form of a number; the same with PHI sealed. */
static void test_search(void **state)
{
	fixture *f = *state;
	sb_id john = make_contact(f, "John Smith"), jane = make_contact(f, "Jane Smithers"),
	      jose = make_contact(f, "Jos\xc3\xa9 O'Neil-Garc\xc3\xad" "a"), a;
	assert_int_equal(sb_contact_add_address(&a, f->p, 1, jane, SB_ADDRESS_PHONE, "4155552671"), SB_OK);
	sb_id ids[SB_CONTACT_SEARCH_MAX];
	assert_int_equal(search(f, "smith", ids, 10), 2);
	assert_int_equal(ids[0], john);
	assert_int_equal(ids[1], jane);
	assert_int_equal(search(f, "SMITHE", ids, 10), 1);
	assert_int_equal(ids[0], jane);
	assert_int_equal(search(f, "jo sm", ids, 10), 1); /* every word must match */
	assert_int_equal(ids[0], john);
	assert_int_equal(search(f, "sm jo", ids, 10), 1); /* in any order */
	assert_int_equal(search(f, "j", ids, 10), 3);
	assert_int_equal(search(f, "jos\xc3\xa9", ids, 10), 1); /* UTF-8 letters are part of words */
	assert_int_equal(ids[0], jose);
	assert_int_equal(search(f, "garc", ids, 10), 1); /* punctuation separates words */
	assert_int_equal(search(f, "neil", ids, 10), 1);
	assert_int_equal(search(f, "smithy", ids, 10), 0);
	assert_int_equal(search(f, "(415) 555-2671", ids, 10), 1); /* a number, in any form */
	assert_int_equal(ids[0], jane);
	assert_int_equal(search(f, "+1 415 555 0100", ids, 10), 0);
	/* Paging by id. */
	size_t n;
	assert_int_equal(sb_contact_search(ids, &n, f->p, 1, "j", 0, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sb_contact_search(ids, &n, f->p, 1, "j", ids[1], 2), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], jose);
	/* Renaming replaces the terms. */
	assert_int_equal(sb_contact_save(f->p, 1, john, "Johnny Appleseed"), SB_OK);
	assert_int_equal(search(f, "smith", ids, 10), 1);
	assert_int_equal(search(f, "apple", ids, 10), 1);
	assert_int_equal(ids[0], john);
	/* Bad queries. */
	test_expect_error(f->p, sb_contact_search(ids, &n, f->p, 1, " -- ", 0, 5), SB_EINVAL, "no letters");
	test_expect_error(f->p, sb_contact_search(ids, &n, f->p, 1, "\xff", 0, 5), SB_EUTF8, "query");
	test_expect_error(f->p, sb_contact_search(ids, &n, f->p, 1, "jo", 0, 0), SB_EINVAL, "max");
	test_expect_error(f->p, sb_contact_search(ids, &n, f->p, 1, "jo", -1, 5), SB_EINVAL, "after_id");
	test_expect_error(f->p, sb_contact_search(NULL, &n, f->p, 1, "jo", 0, 5), SB_EINVAL, "out_ids");
	/* Another practice finds none of them. */
	sb_practice *other = test_open(f->path, "Other Clinic", NULL, NULL);
	assert_int_equal(sb_contact_search(ids, &n, other, SB_ACTOR_SYSTEM, "j", 0, 5), SB_OK);
	assert_int_equal(n, 0);
	sb_practice_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_save_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup_keyed, teardown),
		cmocka_unit_test_setup_teardown(test_address_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tenancy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup_keyed, teardown),
		cmocka_unit_test_setup_teardown(test_clear_without_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_with_key, setup_keyed, teardown),
	};
	return cmocka_run_group_tests_name("contact", tests, NULL, NULL);
}
