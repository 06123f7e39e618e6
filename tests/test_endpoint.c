/* Endpoints (endpoint.h): business numbers created, found, listed, renamed, retired. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef test_fixture fixture;

static int setup(void **state)
{
	return test_fixture_open(state, NULL, 1700000000000);
}

static int teardown(void **state)
{
	return test_fixture_close(state);
}

static void expect_error(fixture *f, int got, int want, const char *phrase)
{
	test_expect_error(f->p, got, want, phrase);
}

static void test_create_get_find(void **state)
{
	fixture *f = *state;
	sb_id id = 0, found = 0;
	assert_int_equal(sb_business_number_create(&id, f->p, 1, "(415) 555-2671", "Front desk"), SB_OK);
	assert_true(id > 0);
	sb_endpoint e;
	assert_int_equal(sb_endpoint_get(&e, f->p, 3, id), SB_OK);
	assert_int_equal(e.id, id);
	assert_int_equal(e.kind, SB_ENDPOINT_BUSINESS_NUMBER);
	assert_string_equal(e.address, "+14155552671");
	assert_string_equal(e.label, "Front desk");
	assert_int_equal(e.owner_kind, SB_OWNER_PRACTICE);
	assert_int_equal(e.owner_id, 0);
	assert_int_equal(e.auto_assign, 0);
	assert_int_equal(e.ring_mode, SB_RING_SIMULTANEOUS);
	assert_int_equal(e.created_at, 1700000000000);
	assert_int_equal(e.retired_at, 0);
	/* Found by any form of the number. */
	assert_int_equal(sb_business_number_find(&found, f->p, 3, "+1 415 555 2671"), SB_OK);
	assert_int_equal(found, id);
	assert_int_equal(sb_business_number_find(&found, f->p, 3, "14155552671"), SB_OK);
	assert_int_equal(found, id);
	expect_error(f, sb_business_number_find(&found, f->p, 3, "(415) 555-0100"), SB_ENOTFOUND, "no active");
	assert_int_equal(found, 0);
	expect_error(f, sb_business_number_find(&found, f->p, 3, "not a number"), SB_EPHONE, "not a phone number");
	/* Toll-free and fictional numbers are fine; the creation is audited. */
	assert_int_equal(sb_business_number_create(&id, f->p, 1, "800-555-0199", "Toll free"), SB_OK);
	assert_int_equal(sb_business_number_create(&id, f->p, 1, "415-555-0123", "Test line"), SB_OK);
	sb_audit_entry a[8];
	size_t n;
	assert_int_equal(sb_audit_read(a, &n, f->p, 3, f->audit_base, 8), SB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(a[0].action, "endpoint.create");
	assert_string_equal(a[0].object_kind, "endpoint");
	assert_int_equal(a[0].actor, 1);
}

/* Bad input: each gets its own error, and the store is left as it was. */
static void test_bad_input(void **state)
{
	fixture *f = *state;
	sb_id id = 0;
	char long_label[SB_LABEL_MAX + 2];
	memset(long_label, 'x', sizeof long_label - 1);
	long_label[sizeof long_label - 1] = '\0';
	char *before = test_dump(f->path);
	expect_error(f, sb_business_number_create(NULL, f->p, 1, "4155552671", "x"), SB_EINVAL, "out_id");
	expect_error(f, sb_business_number_create(&id, f->p, -1, "4155552671", "x"), SB_EINVAL, "actor");
	expect_error(f, sb_business_number_create(&id, f->p, 1, NULL, "x"), SB_EINVAL, "number is missing");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "555-12", "x"), SB_EPHONE, "too few digits");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "+44 20 7946 0958", "x"), SB_EPHONE, "NANP");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "911", "x"), SB_EPHONE, "emergency");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "900-555-2671", "x"), SB_EPHONE, "premium");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "4155552671", NULL), SB_EINVAL, "label is missing");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "4155552671", ""), SB_EINVAL, "label is empty");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "4155552671", "bad \xc3\x28"), SB_EUTF8, "label");
	expect_error(f, sb_business_number_create(&id, f->p, 1, "4155552671", long_label), SB_ETOOBIG, "label");
	assert_int_equal(id, 0);
	char *after = test_dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);

	sb_endpoint e;
	size_t n;
	expect_error(f, sb_endpoint_get(NULL, f->p, 1, 1), SB_EINVAL, "out");
	expect_error(f, sb_endpoint_get(&e, f->p, 1, 9999), SB_ENOTFOUND, "no such endpoint");
	expect_error(f, sb_endpoint_list(NULL, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, 0, 5, 0), SB_EINVAL, "out");
	expect_error(f, sb_endpoint_list(&e, &n, f->p, 1, 7, 0, 1, 0), SB_EINVAL, "kind");
	expect_error(f, sb_endpoint_list(&e, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, 0, 0, 0), SB_EINVAL, "max");
	expect_error(f, sb_endpoint_list(&e, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, -1, 1, 0), SB_EINVAL, "after");
	expect_error(f, sb_endpoint_set_label(f->p, 1, 9999, "x"), SB_ENOTFOUND, "no such endpoint");
	expect_error(f, sb_endpoint_retire(f->p, 1, 9999), SB_ENOTFOUND, "no such endpoint");
	assert_int_equal(sb_endpoint_get(&e, NULL, 1, 1), SB_EINVAL);
}

/* C1 keys conversations by business number: a number is unique among the
 * practice's active numbers, but another practice may hold it too. */
static void test_unique_per_practice(void **state)
{
	fixture *f = *state;
	sb_id a, b, other;
	assert_int_equal(sb_business_number_create(&a, f->p, 1, "4155552671", "Main"), SB_OK);
	char *before = test_dump(f->path);
	expect_error(f, sb_business_number_create(&b, f->p, 1, "+14155552671", "Again"), SB_ECONFLICT, "already has");
	char *after = test_dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	sb_practice *q = test_open(f->path, "Other Clinic", NULL, NULL);
	assert_int_equal(sb_business_number_create(&other, q, SB_ACTOR_SYSTEM, "4155552671", "Theirs"), SB_OK);
	sb_endpoint e;
	expect_error(f, sb_endpoint_get(&e, f->p, 1, other), SB_ENOTFOUND, "no such endpoint"); /* tenancy */
	assert_int_equal(sb_endpoint_retire(q, SB_ACTOR_SYSTEM, a), SB_ENOTFOUND);
	/* Teammates of one practice are nobody in another. */
	assert_int_equal(sb_endpoint_retire(q, 1, other), SB_EDENIED);
	sb_practice_free(q);
}

static void test_list_pages_and_retire(void **state)
{
	fixture *f = *state;
	sb_id ids[5];
	for (int i = 0; i < 5; i++) {
		char number[32], label[32];
		snprintf(number, sizeof number, "415555%04d", 2671 + i);
		snprintf(label, sizeof label, "Line %d", i);
		assert_int_equal(sb_business_number_create(&ids[i], f->p, 1, number, label), SB_OK);
	}
	sb_endpoint page[2];
	size_t n, total = 0;
	sb_id after = 0;
	do {
		assert_int_equal(sb_endpoint_list(page, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, after, 2, 0), SB_OK);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(page[i].id, ids[total + i]);
		total += n;
		after = n ? page[n - 1].id : after;
	} while (n);
	assert_int_equal(total, 5);

	f->clock.now += 1000;
	assert_int_equal(sb_endpoint_set_label(f->p, 1, ids[1], "Billing"), SB_OK);
	assert_int_equal(sb_endpoint_retire(f->p, 1, ids[1]), SB_OK);
	sb_endpoint e;
	assert_int_equal(sb_endpoint_get(&e, f->p, 2, ids[1]), SB_OK);
	assert_string_equal(e.label, "Billing");
	assert_int_equal(e.retired_at, 1700000001000);
	expect_error(f, sb_endpoint_retire(f->p, 1, ids[1]), SB_ESTATE, "retired");
	expect_error(f, sb_endpoint_set_label(f->p, 1, ids[1], "x"), SB_ESTATE, "retired");
	sb_endpoint all[10];
	assert_int_equal(sb_endpoint_list(all, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, 0, 10, 0), SB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(sb_endpoint_list(all, &n, f->p, 1, SB_ENDPOINT_BUSINESS_NUMBER, 0, 10, 1), SB_OK);
	assert_int_equal(n, 5);
	assert_int_equal(sb_endpoint_list(all, &n, f->p, 1, SB_ENDPOINT_SECURE_LINK, 0, 10, 1), SB_OK);
	assert_int_equal(n, 0);
	/* A retired number is no longer found, and may be added again as a new endpoint. */
	sb_id found, again;
	assert_int_equal(sb_business_number_find(&found, f->p, 1, e.address), SB_ENOTFOUND);
	assert_int_equal(sb_business_number_create(&again, f->p, 1, e.address, "Billing again"), SB_OK);
	assert_int_not_equal(again, ids[1]);
	assert_int_equal(sb_business_number_find(&found, f->p, 1, e.address), SB_OK);
	assert_int_equal(found, again);
	/* Each change is audited. */
	int64_t head = 0;
	assert_int_equal(sb_audit_head(&head, f->p), SB_OK);
	assert_int_equal(head, f->audit_base + 5 + 1 + 1 + 1); /* 5 numbers, rename, retire, re-add */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_get_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_per_practice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_pages_and_retire, setup, teardown),
	};
	return cmocka_run_group_tests_name("endpoint", tests, NULL, NULL);
}
