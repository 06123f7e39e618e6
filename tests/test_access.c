/* Who sees what (T8) and who changes endpoints (T6): every conversation,
 * item and attachment call, every list and count, run as a member, a
 * non-member, an admin, a member of the owner team and the system. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define PATIENT "+14155550123"

/* The roles; teammate 1 is the practice's admin. */
enum { ADMIN = 1, OWNER_TEAM = 4, MEMBER = 5, OUTSIDER = 6 };

typedef struct world {
	test_world base;
	sb_id team;          /* owns Billing; OWNER_TEAM is in it */
	sb_id conversation;  /* on Billing, with a text (and its picture) and a note */
	sb_id text, note, picture, contact;
	sb_id front_conversation; /* the same patient on Front desk, open to all */
} world;

static int setup(void **state)
{
	test_world_open(state, NULL, sizeof(world));
	world *w = *state;
	sb_practice *p = w->base.f->p;
	assert_int_equal(sb_team_create(&w->team, p, ADMIN, "Billing team"), SB_OK);
	assert_int_equal(sb_team_member_add(p, ADMIN, w->team, OWNER_TEAM), SB_OK);
	assert_int_equal(sb_endpoint_set_owner(p, ADMIN, w->base.billing, SB_OWNER_TEAM, w->team), SB_OK);
	assert_int_equal(sb_endpoint_member_add(p, OWNER_TEAM, w->base.billing, MEMBER), SB_OK);
	sb_attachment_spec pic;
	sb_attachment_spec_init(&pic);
	pic.content_type = "image/png";
	pic.file_name = "card.png";
	pic.data = "PNGDATA";
	pic.size = 7;
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = PATIENT;
	m.to = TEST_BILLING;
	m.body = "my insurance card";
	m.media = &pic;
	m.media_count = 1;
	m.carrier_id = "SM-access-1";
	sb_delivery d;
	assert_int_equal(sb_sms_receive(&d, p, &m), SB_OK);
	w->conversation = d.conversation_id;
	w->text = d.item_id;
	w->contact = d.contact_id;
	assert_int_equal(sb_note_add(&w->note, p, OWNER_TEAM, w->conversation, "checked"), SB_OK);
	assert_int_equal(test_receive(p, &d, PATIENT, TEST_BILLING, "did you get it?", "SM-access-3"), SB_OK); /* unread */
	sb_attachment a;
	size_t n;
	assert_int_equal(sb_item_attachments(&a, &n, p, SB_ACTOR_SYSTEM, w->text, 1), SB_OK);
	w->picture = a.id;
	assert_int_equal(test_receive(p, &d, PATIENT, TEST_FRONT, "hello front", "SM-access-2"), SB_OK);
	w->front_conversation = d.conversation_id;
	return 0;
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static int64_t denials(world *w)
{
	return test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'");
}

/* Every call on the Billing conversation, its items and attachment, as
 * `actor`; each answers SB_OK when `sees`, else SB_EDENIED, audited. */
static void run_every_call(world *w, sb_id actor, int sees)
{
	sb_practice *p = w->base.f->p;
	int want = sees ? SB_OK : SB_EDENIED;
	int64_t before = denials(w);
	int calls = 0;
#define EXPECT(call)                                                                                         \
	do {                                                                                                     \
		int rc_ = (call);                                                                                    \
		if (rc_ != want)                                                                                     \
			fail_msg("%s as %lld: %s, want %s (%s)", #call, (long long)actor, sb_strerror(rc_), sb_strerror(want), \
			         sb_practice_errmsg(p));                                                                 \
		calls++;                                                                                             \
	} while (0)
	sb_conversation c;
	sb_item items[4];
	sb_item it;
	sb_attachment a;
	size_t n;
	char bytes[16];
	sb_id ids[4], note;
	sb_item_event ev;
	EXPECT(sb_conversation_get(&c, p, actor, w->conversation));
	EXPECT(sb_timeline_page(items, &n, p, actor, w->conversation, 0, 4));
	EXPECT(sb_item_get(&it, p, actor, w->text));
	EXPECT(sb_item_get(&it, p, actor, w->note));
	EXPECT(sb_item_attachments(&a, &n, p, actor, w->text, 1));
	EXPECT(sb_attachment_read(bytes, sizeof bytes, &n, p, actor, w->picture));
	EXPECT(sb_note_add(&note, p, actor, w->conversation, "seen"));
	EXPECT(sb_conversation_mark_read(p, actor, w->conversation));
	EXPECT(sb_conversation_regarding(ids, &n, p, actor, w->conversation, 4));
	EXPECT(sb_conversation_regarding_add(p, actor, w->conversation, w->contact));
	EXPECT(sb_conversation_regarding_remove(p, actor, w->conversation, w->contact));
	EXPECT(sb_conversation_close(p, actor, w->conversation));
	EXPECT(sb_conversation_reopen(p, actor, w->conversation));
	EXPECT(sb_conversation_assign(p, actor, w->conversation, SB_MAILBOX_TEAM, w->team));
	EXPECT(sb_conversation_assign(p, actor, w->conversation, SB_MAILBOX_INBOX, 0));
	EXPECT(sb_tag_add(p, actor, SB_TAGS_OF_CONVERSATION, w->conversation, "insurance"));
	sb_tag tags[SB_TAGS_PER_OBJECT_MAX];
	EXPECT(sb_tags_of(tags, &n, p, actor, SB_TAGS_OF_CONVERSATION, w->conversation));
	EXPECT(sb_tag_remove(p, actor, SB_TAGS_OF_CONVERSATION, w->conversation, "insurance"));
	sb_id started;
	EXPECT(sb_conversation_start(&started, p, actor, w->base.billing, PATIENT));
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.conversation = w->conversation;
	m.body = "we have it";
	sb_sent s;
	EXPECT(sb_sms_send(&s, p, actor, &m));
	sb_outbound_sms_init(&m);
	m.endpoint = w->base.billing;
	m.to = PATIENT;
	m.body = "from billing";
	EXPECT(sb_sms_send(&s, p, actor, &m));
	assert_int_equal(sb_timeline_page(items, &n, p, SB_ACTOR_SYSTEM, w->conversation, 0, 4), SB_OK);
	for (size_t i = 0; i < n; i++)
		if (items[i].kind == SB_ITEM_EVENT)
			EXPECT(sb_item_event_get(&ev, p, actor, items[i].id));
	sb_call_item call;
	sb_call_item_init(&call);
	call.kind = SB_ITEM_CALL;
	call.direction = SB_DIRECTION_OUTBOUND;
	call.business_number = TEST_BILLING;
	call.external = PATIENT;
	call.outcome = SB_CALL_ANSWERED;
	sb_delivery d;
	EXPECT(sb_call_item_record(&d, p, actor, &call));
#undef EXPECT
	/* Every refusal is on the trail. */
	assert_int_equal(denials(w), before + (sees ? 0 : calls));
}

/* What lists and counts show `actor`: the Billing conversation, or not a trace of it. */
static void check_lists(world *w, sb_id actor, int sees)
{
	sb_practice *p = w->base.f->p;
	sb_mailbox_entry e[8];
	size_t n;
	int64_t unread = -1;
	assert_int_equal(sb_mailbox_page(e, &n, p, actor, SB_MAILBOX_INBOX, 0, 0, 0, 8), SB_OK);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found += e[i].conversation_id == w->conversation;
	assert_int_equal(found, sees);
	assert_int_equal(n, 1u + (size_t)sees); /* the Front desk conversation is open to all */
	assert_int_equal(sb_mailbox_unread(&unread, p, actor, SB_MAILBOX_INBOX, 0), SB_OK);
	assert_int_equal(unread, 1 + sees);
	assert_int_equal(sb_conversation_unread_count(&unread, p, actor), SB_OK);
	assert_int_equal(unread, 1 + sees);
	sb_conversation card[8];
	assert_int_equal(sb_contact_conversations(card, &n, p, actor, w->contact, 0, 8), SB_OK);
	assert_int_equal(n, 1u + (size_t)sees);
	int visible = 0;
	assert_int_equal(sb_endpoint_sees(&visible, p, actor, w->base.billing), SB_OK);
	assert_int_equal(visible, sees);
	assert_int_equal(sb_endpoint_sees(&visible, p, actor, w->base.front), SB_OK);
	assert_true(visible);
}

/* T8: the matrix. */
static void test_matrix(void **state)
{
	world *w = *state;
	const struct {
		sb_id actor;
		int sees;
	} rows[] = {{MEMBER, 1}, {OWNER_TEAM, 1}, {SB_ACTOR_SYSTEM, 1}, {OUTSIDER, 0}, {ADMIN, 0}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char cid[32];
		sb_delivery d; /* unread again: the last row's calls read it */
		snprintf(cid, sizeof cid, "SM-matrix-%zu", i);
		assert_int_equal(test_receive(w->base.f->p, &d, PATIENT, TEST_BILLING, "again", cid), SB_OK);
		if (rows[i].actor != SB_ACTOR_SYSTEM)
			check_lists(w, rows[i].actor, rows[i].sees);
		run_every_call(w, rows[i].actor, rows[i].sees);
	}
}

/* T8: membership changes apply at once to existing conversations. */
static void test_membership_applies_at_once(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	check_lists(w, OUTSIDER, 0);
	assert_int_equal(sb_endpoint_member_add(p, ADMIN, w->base.billing, OUTSIDER), SB_OK);
	check_lists(w, OUTSIDER, 1);
	assert_int_equal(sb_endpoint_member_remove(p, ADMIN, w->base.billing, MEMBER), SB_OK);
	check_lists(w, MEMBER, 0);
	assert_int_equal(sb_team_member_remove(p, ADMIN, w->team, OWNER_TEAM), SB_OK);
	check_lists(w, OWNER_TEAM, 0);
	/* An admin may make themself a member (T6), and the trail says so. */
	assert_int_equal(sb_endpoint_member_add(p, ADMIN, w->base.billing, ADMIN), SB_OK);
	check_lists(w, ADMIN, 1);
	assert_int_equal(test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'endpoint.member.add'"
	                                             " AND actor = 1"),
	                 2);
	/* Back to the practice: open to everyone. */
	assert_int_equal(sb_endpoint_set_owner(p, ADMIN, w->base.billing, SB_OWNER_PRACTICE, 0), SB_OK);
	check_lists(w, MEMBER, 1);
	/* Removing a teammate ends their memberships. */
	assert_int_equal(sb_endpoint_set_owner(p, ADMIN, w->base.billing, SB_OWNER_TEAMMATE, OUTSIDER), SB_OK);
	check_lists(w, MEMBER, 0);
	assert_int_equal(sb_teammate_remove(p, ADMIN, ADMIN + 1), SB_OK);
	sb_id members[8];
	size_t n;
	assert_int_equal(sb_endpoint_members(members, &n, p, MEMBER, w->base.billing, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(members[0], ADMIN);
	assert_int_equal(members[1], OUTSIDER);
}

/* T6: admins change every endpoint; others only the ones they own (a
 * member of an owner team counts); members do not. */
static void test_who_changes_endpoints(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_id billing = w->base.billing, id;
	assert_int_equal(sb_endpoint_set_label(p, OWNER_TEAM, billing, "Billing (team)"), SB_OK);
	assert_int_equal(sb_endpoint_set_label(p, ADMIN, billing, "Billing"), SB_OK);
	int64_t before = denials(w);
	test_expect_error(p, sb_endpoint_set_label(p, MEMBER, billing, "x"), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_set_label(p, OUTSIDER, billing, "x"), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_set_label(p, OUTSIDER, w->base.front, "x"), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_member_add(p, MEMBER, billing, OUTSIDER), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_set_owner(p, MEMBER, billing, SB_OWNER_TEAMMATE, MEMBER), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_set_auto_assign(p, OUTSIDER, billing, 1), SB_EDENIED, "owner");
	test_expect_error(p, sb_tag_add(p, MEMBER, SB_TAGS_OF_ENDPOINT_CONVERSATIONS, billing, "bills"), SB_EDENIED, "owner");
	test_expect_error(p, sb_endpoint_retire(p, OWNER_TEAM, billing), SB_EDENIED, "only admins");
	test_expect_error(p, sb_business_number_create(&id, p, OWNER_TEAM, "4155550177", "Mine"), SB_EDENIED, "only admins");
	assert_int_equal(denials(w), before + 9);
	/* The owner team's member may. */
	assert_int_equal(sb_endpoint_set_auto_assign(p, OWNER_TEAM, billing, 1), SB_OK);
	assert_int_equal(sb_endpoint_member_add(p, OWNER_TEAM, billing, OUTSIDER), SB_OK);
	test_expect_error(p, sb_endpoint_member_add(p, OWNER_TEAM, billing, OUTSIDER), SB_ECONFLICT, "already");
	test_expect_error(p, sb_endpoint_member_remove(p, OWNER_TEAM, billing, 11), SB_ENOTFOUND, "not a member");
	test_expect_error(p, sb_endpoint_member_add(p, OWNER_TEAM, billing, 999), SB_ENOTFOUND, "no such teammate");
	test_expect_error(p, sb_endpoint_set_owner(p, ADMIN, billing, 7, 1), SB_EINVAL, "owner kind");
	test_expect_error(p, sb_endpoint_set_owner(p, ADMIN, billing, SB_OWNER_PRACTICE, 3), SB_EINVAL, "owner_id 0");
	test_expect_error(p, sb_endpoint_set_owner(p, ADMIN, billing, SB_OWNER_TEAM, 999), SB_ENOTFOUND, "no such team");
	test_expect_error(p, sb_endpoint_set_owner(p, ADMIN, 999, SB_OWNER_TEAM, w->team), SB_ENOTFOUND, "no such endpoint");
	/* Giving it away ends the giver's say. */
	assert_int_equal(sb_endpoint_set_owner(p, OWNER_TEAM, billing, SB_OWNER_TEAMMATE, OUTSIDER), SB_OK);
	test_expect_error(p, sb_endpoint_set_label(p, OWNER_TEAM, billing, "x"), SB_EDENIED, "owner");
	assert_int_equal(sb_endpoint_set_label(p, OUTSIDER, billing, "Outsider's"), SB_OK);
	/* A retired endpoint changes no more. */
	assert_int_equal(sb_endpoint_retire(p, ADMIN, billing), SB_OK);
	test_expect_error(p, sb_endpoint_member_add(p, ADMIN, billing, MEMBER), SB_ESTATE, "retired");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matrix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_membership_applies_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_changes_endpoints, setup, teardown),
	};
	return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
