/* Bulk messages (T10): one text to every contact a filter picks, each copy
 * through the outbox into its own conversation, resumable without a second
 * copy. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "bulk-key-bulk-key-bulk-key-bulk";

#define BODY "Flu shots are in: reply YES to book"

typedef struct world {
	test_world base;
	sb_id pat[4];   /* three tagged patients with phones (the first texted us before) and one with e-mail only */
	sb_filter flu;  /* contacts tagged "Flu" */
} world;

static sb_id patient(sb_practice *p, const char *number, const char *email)
{
	sb_id id, address;
	assert_int_equal(sb_contact_create(&id, p, 2, "Patient"), SB_OK);
	if (number)
		assert_int_equal(sb_contact_add_address(&address, p, 2, id, SB_ADDRESS_PHONE, number), SB_OK);
	if (email)
		assert_int_equal(sb_contact_add_address(&address, p, 2, id, SB_ADDRESS_EMAIL, email), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, id, "Flu"), SB_OK);
	return id;
}

static int setup(void **state)
{
	int rc = test_world_open(state, key, sizeof(world));
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_delivery d;
	assert_int_equal(test_receive(p, &d, "+14155550151", TEST_FRONT, "hi", "SM-b0"), SB_OK);
	w->pat[0] = d.contact_id;
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, d.contact_id, "Flu"), SB_OK);
	w->pat[1] = patient(p, "+14155550152", NULL);
	w->pat[2] = patient(p, "+14155550153", NULL);
	w->pat[3] = patient(p, NULL, "pat@example.com");
	sb_id other;
	assert_int_equal(sb_contact_create(&other, p, 2, "Not tagged"), SB_OK);
	sb_filter_init(&w->flu, SB_FILTER_CONTACTS);
	sb_tag tags[4];
	size_t n;
	assert_int_equal(sb_tag_list(tags, &n, p, 2, SB_TAG_CONTACT, 0, 4), SB_OK);
	w->flu.tag_count = 1;
	w->flu.tags[0] = tags[0].id;
	w->base.f->carrier.count = 0;
	return rc;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static sb_id create(world *w)
{
	sb_id id = 0;
	int rc = sb_bulk_create(&id, w->base.f->p, 3, w->base.front, BODY, &w->flu);
	if (rc != SB_OK)
		fail_msg("create: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->base.f->p));
	return id;
}

static int sends(world *w)
{
	int n = 0;
	for (int i = 0; i < w->base.f->carrier.count; i++)
		n += strncmp(w->base.f->carrier.log[i], "send_sms", 8) == 0;
	return n;
}

/* Each recipient gets one copy, in their own conversation, from the number. */
static void test_one_copy_each(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id bulk = create(w);
	sb_bulk b;
	assert_int_equal(sb_bulk_get(&b, p, 3, bulk), SB_OK);
	assert_int_equal(b.recipients, 4);
	assert_int_equal(b.pending, 3);
	assert_int_equal(b.skipped, 1); /* e-mail only */
	assert_int_equal(b.endpoint_id, w->base.front);
	assert_int_equal(b.created_by, 3);
	assert_int_equal(sends(w), 0);  /* creating sends nothing */
	/* Paced: two now, the rest later. */
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 2), SB_OK);
	assert_int_equal(sends(w), 2);
	assert_int_equal(b.pending, 1);
	assert_int_equal(b.queued, 2);
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 3);
	assert_int_equal(b.pending, 0);
	assert_int_equal(b.queued, 3);
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 10), SB_OK); /* nothing left */
	assert_int_equal(sends(w), 3);
	assert_non_null(strstr(w->base.f->carrier.log[0], "from=" TEST_FRONT " to=+14155550151 body=" BODY));
	/* Each copy in its recipient's conversation: the first patient's existing one. */
	sb_bulk_recipient r[8];
	size_t n;
	assert_int_equal(sb_bulk_recipients(r, &n, p, 3, bulk, 0, 8), SB_OK);
	assert_int_equal(n, 4);
	{
		sb_conversation convs[4];
		size_t k;
		assert_int_equal(sb_contact_conversations(convs, &k, p, 3, w->pat[0], 0, 4), SB_OK);
		assert_int_equal(k, 1);
		assert_int_equal(r[0].conversation_id, convs[0].id);
	}
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(r[i].contact_id, w->pat[i]);
		assert_int_equal(r[i].state, SB_BULK_STORED);
		assert_int_equal(r[i].status, SB_STATUS_QUEUED);
		assert_true(r[i].item_id > 0);
		for (size_t k = 0; k < i; k++)
			assert_true(r[k].conversation_id != r[i].conversation_id);
	}
	assert_int_equal(r[3].state, SB_BULK_SKIPPED);
	assert_int_equal(r[3].item_id, 0);
	/* Status reports show through. */
	int applied;
	assert_int_equal(sb_sms_status(&applied, p, "SM1", SB_STATUS_DELIVERED, NULL), SB_OK);
	assert_int_equal(sb_bulk_get(&b, p, 3, bulk), SB_OK);
	assert_int_equal(b.delivered, 1);
	assert_int_equal(b.queued, 2);
	/* Paging recipients; listing bulk messages. */
	assert_int_equal(sb_bulk_recipients(r, &n, p, 3, bulk, w->pat[1], 8), SB_OK);
	assert_int_equal(n, 2);
	sb_bulk list[4];
	assert_int_equal(sb_bulk_list(list, &n, p, 3, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, bulk);
	assert_int_equal(list[0].delivered, 1);
	/* The text is sealed at rest, and each copy is audited. */
	assert_false(test_store_contains(w->base.f->path, "Flu shots"));
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'message.send'"), 3);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'bulk.create'"), 1);
}

/* A carrier refusal leaves a status; resuming never sends a second copy. */
static void test_partial_failure_resumes(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id bulk = create(w);
	sb_bulk b;
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 1), SB_OK);
	w->base.f->carrier.fail_with = -1;
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 1), SB_OK); /* refused: stored FAILED, counted */
	w->base.f->carrier.fail_with = 0;
	assert_int_equal(b.failed, 1);
	assert_int_equal(b.pending, 1);
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(b.failed, 1);
	assert_int_equal(b.queued, 2);
	assert_int_equal(sends(w), 3);
	/* Sending again leaves the failed copy alone; retrying sends it, under its key. */
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 3);
	assert_int_equal(sb_bulk_retry(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 4);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.queued, 3);
	assert_string_equal(strstr(w->base.f->carrier.log[3], "key="), strstr(w->base.f->carrier.log[1], "key="));
	assert_int_equal(sb_bulk_retry(&b, p, 3, bulk, 10), SB_OK); /* nothing failed now */
	assert_int_equal(sends(w), 4);
	/* A copy sent outside the bulk under its key counts as sent: no second one. */
	sb_id again = create(w);
	char copy_key[64];
	snprintf(copy_key, sizeof copy_key, "sb-bulk-%lld-%lld", (long long)again, (long long)w->pat[0]);
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.endpoint = w->base.front;
	m.contact = w->pat[0];
	m.body = BODY;
	m.idempotency_key = copy_key;
	sb_sent sent;
	assert_int_equal(sb_sms_send(&sent, p, 3, &m), SB_OK);
	assert_int_equal(sends(w), 5);
	assert_int_equal(sb_bulk_send(&b, p, 3, again, 10), SB_OK);
	assert_int_equal(sends(w), 7);
	assert_int_equal(b.queued, 3);
}

/* A sender that died between storing a copy and the carrier's answer: the
 * copy goes stale and a retry sends it, under its key; not before. */
static void test_stale_copy(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id bulk = create(w);
	sb_bulk b;
	assert_int_equal(sb_bulk_send(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 3);
	sb_bulk_recipient r[4];
	size_t n;
	assert_int_equal(sb_bulk_recipients(r, &n, p, 3, bulk, 0, 4), SB_OK);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE sb_item SET carrier_id = NULL, attempt_at = NULL WHERE id = %lld",
	         (long long)r[1].item_id);
	assert_int_equal(test_sql(w->base.f->path, sql), 0); /* as if the answer never came */
	assert_int_equal(sb_bulk_retry(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 3); /* it may still be on its way */
	sb_sent sent;
	test_expect_error(p, sb_sms_retry(&sent, p, 3, r[1].item_id), SB_ESTATE, "not stale");
	w->base.f->clock.now += SB_OUTBOX_STALE_MS;
	assert_int_equal(sb_bulk_retry(&b, p, 3, bulk, 10), SB_OK);
	assert_int_equal(sends(w), 4);
	assert_non_null(strstr(w->base.f->carrier.log[3], "to=+14155550152"));
	assert_int_equal(sb_bulk_retry(&b, p, 3, bulk, 10), SB_OK); /* answered now: not stale again */
	assert_int_equal(sends(w), 4);
	assert_int_equal(b.queued, 3);
}

/* Bad input, rights, and limits: each its own error, nothing stored. */
static void test_errors(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id id;
	sb_filter f = w->flu;
	char *before = test_dump(w->base.f->path);
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, "", &f), SB_EINVAL, "body");
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, "\xe2\x82", &f), SB_EUTF8, "body");
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, NULL, &f), SB_EINVAL, "body");
	static char big[SB_SMS_BODY_MAX + 2];
	memset(big, 'x', SB_SMS_BODY_MAX + 1);
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, big, &f), SB_ETOOBIG, "body");
	test_expect_error(p, sb_bulk_create(&id, p, 3, 999, BODY, &f), SB_ENOTFOUND, "endpoint");
	test_expect_error(p, sb_bulk_create(NULL, p, 3, w->base.front, BODY, &f), SB_EINVAL, "out_id");
	sb_filter conversations;
	sb_filter_init(&conversations, SB_FILTER_CONVERSATIONS);
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, BODY, &conversations), SB_EINVAL, "cannot pick");
	f.invitation = SB_FILTER_INVITATION_ACCEPTED;
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, BODY, &f), SB_ESTATE, "picks no contact");
	test_expect_dump(w->base.f->path, before);
	/* Refusals are audited, and store nothing else. */
	test_expect_error(p, sb_bulk_create(&id, p, 99, w->base.front, BODY, &w->flu), SB_EDENIED, "not an active");
	/* T8: only who sees the number sends from it. */
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->base.billing, SB_OWNER_TEAMMATE, 5), SB_OK);
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.billing, BODY, &w->flu), SB_EDENIED, "");
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_bulk"), 0);
	assert_int_equal(sb_bulk_create(&id, p, 5, w->base.billing, BODY, &w->flu), SB_OK);
	sb_bulk b;
	sb_bulk_recipient r[2];
	size_t n;
	test_expect_error(p, sb_bulk_get(&b, p, 3, id), SB_EDENIED, "");
	test_expect_error(p, sb_bulk_send(&b, p, 3, id, 5), SB_EDENIED, "");
	test_expect_error(p, sb_bulk_recipients(r, &n, p, 3, id, 0, 2), SB_EDENIED, "");
	assert_int_equal(sb_bulk_list(&b, &n, p, 3, 0, 1), SB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sb_bulk_list(&b, &n, p, 5, 0, 1), SB_OK);
	assert_int_equal(n, 1);
	test_expect_error(p, sb_bulk_get(&b, p, 5, 999), SB_ENOTFOUND, "no such bulk");
	test_expect_error(p, sb_bulk_send(&b, p, 5, id, 0), SB_EINVAL, "max");
	test_expect_error(p, sb_bulk_send(&b, p, 5, id, SB_BULK_PAGE_MAX + 1), SB_EINVAL, "max");
	test_expect_error(p, sb_bulk_recipients(r, &n, p, 5, id, -1, 2), SB_EINVAL, "after_contact");
	test_expect_error(p, sb_bulk_list(&b, &n, p, 5, 0, 0), SB_EINVAL, "max");
	/* A retired number sends no more. */
	assert_int_equal(sb_endpoint_retire(p, 1, w->base.billing), SB_OK);
	test_expect_error(p, sb_bulk_send(&b, p, 5, id, 5), SB_ESTATE, "retired");
	test_expect_error(p, sb_bulk_create(&id, p, 5, w->base.billing, BODY, &w->flu), SB_ESTATE, "retired");
	/* Too many recipients: refused whole. */
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO sb_contact_tag (contact_id, tag_id) SELECT id, %lld FROM sb_contact WHERE id > 0 AND NOT"
	         " EXISTS (SELECT 1 FROM sb_contact_tag t WHERE t.contact_id = sb_contact.id)",
	         (long long)w->flu.tags[0]);
	assert_int_equal(test_sql(w->base.f->path,
	                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
	                          " INSERT INTO sb_contact (practice_id, created_at, updated_at) SELECT 1, 0, 0 FROM n"),
	                 0);
	assert_int_equal(test_sql(w->base.f->path, sql), 0);
	before = test_dump(w->base.f->path);
	test_expect_error(p, sb_bulk_create(&id, p, 3, w->base.front, BODY, &w->flu), SB_ETOOBIG, "more than");
	test_expect_dump(w->base.f->path, before);
}

/* Without send_sms nothing can go: refused before anything is sent. */
static void test_no_carrier(void **state)
{
	world *w = *state;
	sb_id bulk = create(w);
	test_clock *c = &w->base.f->clock;
	sb_practice_free(w->base.f->p);
	w->base.f->p = test_open(w->base.f->path, NULL, key, c);
	sb_bulk b;
	test_expect_error(w->base.f->p, sb_bulk_send(&b, w->base.f->p, 3, bulk, 5), SB_ENOTSUP, "send_sms");
	assert_int_equal(sb_bulk_get(&b, w->base.f->p, 3, bulk), SB_OK);
	assert_int_equal(b.pending, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_copy_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_failure_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_carrier, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
