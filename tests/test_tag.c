/* Tags (T7): contact and conversation tags, and the ones endpoints apply. */
#include "support.h"

#include <stdio.h>
#include <string.h>

typedef test_world world;

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

/* The names on an object, comma-joined, in name order. */
static const char *names(world *w, int target, sb_id object)
{
	static char joined[512];
	sb_tag tags[SB_TAGS_PER_OBJECT_MAX];
	size_t n;
	int rc = sb_tags_of(tags, &n, w->f->p, 2, target, object);
	if (rc != SB_OK)
		fail_msg("tags_of: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	joined[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", i ? "," : "", tags[i].name);
	return joined;
}

static sb_delivery text_in(world *w, const char *from, const char *cid)
{
	sb_delivery d;
	assert_int_equal(test_receive(w->f->p, &d, from, TEST_FRONT, "hi", cid), SB_OK);
	return d;
}

/* Contact tags and conversation tags are separate sets; any teammate tags. */
static void test_separate_sets(void **state)
{
	world *w = *state;
	sb_delivery d = text_in(w, "+14155550123", "SM-t1");
	assert_int_equal(sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "VIP"), SB_OK);
	assert_int_equal(sb_tag_add(w->f->p, 4, SB_TAGS_OF_CONVERSATION, d.conversation_id, "Billing question"), SB_OK);
	assert_int_equal(sb_tag_add(w->f->p, 4, SB_TAGS_OF_CONVERSATION, d.conversation_id, "vip"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONTACT, d.contact_id), "VIP");
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, d.conversation_id), "Billing question,vip");
	sb_tag list[8];
	size_t n;
	assert_int_equal(sb_tag_list(list, &n, w->f->p, 5, SB_TAG_CONTACT, 0, 8), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].kind, SB_TAG_CONTACT);
	assert_int_equal(sb_tag_list(list, &n, w->f->p, 5, SB_TAG_CONVERSATION, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	/* Names compare without case: the same tag, once per object. */
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "vip"), SB_ECONFLICT, "already");
	assert_int_equal(sb_tag_remove(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "Vip"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONTACT, d.contact_id), "");
	test_expect_error(w->f->p, sb_tag_remove(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "VIP"), SB_ENOTFOUND,
	                  "does not carry");
	/* Reads of a patient's tags are on the trail. */
	assert_true(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'tag.read' AND actor = 2") >= 3);
	/* Bad input. */
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, 9, d.contact_id, "x"), SB_EINVAL, "tag target");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, ""), SB_EINVAL, "empty");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, NULL), SB_EINVAL, "missing");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "\xe2\x82"), SB_EUTF8, "tag");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, 999, "x"), SB_ENOTFOUND, "no such contact");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONVERSATION, 999, "x"), SB_ENOTFOUND,
	                  "no such conversation");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 99, SB_TAGS_OF_CONTACT, d.contact_id, "x"), SB_EDENIED, "not an active");
	test_expect_error(w->f->p, sb_tag_list(list, &n, w->f->p, 5, 3, 0, 8), SB_EINVAL, "tag kind");
	char many[SB_TAG_NAME_MAX + 2];
	memset(many, 't', sizeof many - 1);
	many[sizeof many - 1] = '\0';
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, many), SB_ETOOBIG, "tag");
	for (unsigned i = 0; i < SB_TAGS_PER_OBJECT_MAX; i++) {
		snprintf(many, sizeof many, "tag %u", i);
		assert_int_equal(sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, many), SB_OK);
	}
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 3, SB_TAGS_OF_CONTACT, d.contact_id, "one more"), SB_ETOOBIG,
	                  "tags already");
}

/* Endpoint tags go on what is created through the endpoint from then on. */
static void test_endpoint_applies(void **state)
{
	world *w = *state;
	sb_delivery before = text_in(w, "+14155550123", "SM-e0");
	assert_int_equal(sb_tag_add(w->f->p, 1, SB_TAGS_OF_ENDPOINT_CONVERSATIONS, w->front, "Front desk"), SB_OK);
	assert_int_equal(sb_tag_add(w->f->p, 1, SB_TAGS_OF_ENDPOINT_CONTACTS, w->front, "New patient"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_ENDPOINT_CONVERSATIONS, w->front), "Front desk");
	assert_string_equal(names(w, SB_TAGS_OF_ENDPOINT_CONTACTS, w->front), "New patient");
	/* Not retroactive. */
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, before.conversation_id), "");
	/* A new conversation reaching it, and a contact created through it. */
	sb_delivery d = text_in(w, "+14155550124", "SM-e1");
	assert_true(d.new_conversation && d.new_contact);
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, d.conversation_id), "Front desk");
	assert_string_equal(names(w, SB_TAGS_OF_CONTACT, d.contact_id), "New patient");
	/* A known contact keeps its own tags; its new conversation is tagged. */
	sb_id started;
	assert_int_equal(sb_conversation_start(&started, w->f->p, 2, w->front, "+14155550123"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, started), "");
	assert_int_equal(sb_conversation_start(&started, w->f->p, 2, w->billing, "+14155550123"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, started), ""); /* Billing has no tags */
	assert_int_equal(sb_conversation_start(&started, w->f->p, 2, w->front, "+14155550125"), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, started), "Front desk");
	/* Taken off the endpoint: no longer applied; what it applied stays. */
	assert_int_equal(sb_tag_remove(w->f->p, 1, SB_TAGS_OF_ENDPOINT_CONVERSATIONS, w->front, "front desk"), SB_OK);
	sb_delivery later = text_in(w, "+14155550126", "SM-e2");
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, later.conversation_id), "");
	assert_string_equal(names(w, SB_TAGS_OF_CONTACT, later.contact_id), "New patient");
	assert_string_equal(names(w, SB_TAGS_OF_CONVERSATION, d.conversation_id), "Front desk");
	/* Merging keeps the tags of both contacts. */
	assert_int_equal(sb_tag_add(w->f->p, 2, SB_TAGS_OF_CONTACT, before.contact_id, "VIP"), SB_OK);
	assert_int_equal(sb_contact_merge(w->f->p, 2, before.contact_id, d.contact_id), SB_OK);
	assert_string_equal(names(w, SB_TAGS_OF_CONTACT, before.contact_id), "New patient,VIP");
	/* An endpoint's tags are its settings (T6). */
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 2, SB_TAGS_OF_ENDPOINT_CONTACTS, w->front, "x"), SB_EDENIED, "owner");
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 1, SB_TAGS_OF_ENDPOINT_CONTACTS, 999, "x"), SB_ENOTFOUND,
	                  "no such endpoint");
	assert_int_equal(sb_endpoint_retire(w->f->p, 1, w->billing), SB_OK);
	test_expect_error(w->f->p, sb_tag_add(w->f->p, 1, SB_TAGS_OF_ENDPOINT_CONTACTS, w->billing, "x"), SB_ESTATE, "retired");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_separate_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_applies, setup, teardown),
	};
	return cmocka_run_group_tests_name("tag", tests, NULL, NULL);
}
