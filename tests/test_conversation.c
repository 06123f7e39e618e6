#define _GNU_SOURCE /* strcasestr */
/* Conversations (conversation.h): keyed by pair, contacts made by traffic,
 * the contact card, regarding, attach, merge, close, unread, delete. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "conversation-key-conversation-k";

typedef test_fixture fixture;

#define FRONT TEST_FRONT
#define BILLING TEST_BILLING
#define PATIENT "+14155550123"

typedef test_world world;

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(world));
}

static int setup_keyed(void **state)
{
	return test_world_open(state, key, sizeof(world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

static sb_delivery receive(world *w, const char *from, const char *to, const char *body, const char *carrier_id)
{
	sb_delivery d;
	int rc = test_receive(w->f->p, &d, from, to, body, carrier_id);
	if (rc != SB_OK)
		fail_msg("receive: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	return d;
}

static sb_conversation get(world *w, sb_id actor, sb_id id)
{
	sb_conversation c;
	assert_int_equal(sb_conversation_get(&c, w->f->p, actor, id), SB_OK);
	return c;
}

/* C1, C4, C7: the first text creates the pair's conversation and an unsaved contact. */
static void test_inbound_creates_conversation_and_contact(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, "(415) 555-0123", FRONT, "hi", "SM1");
	assert_true(d.conversation_id > 0 && d.item_id > 0 && d.contact_id > 0);
	assert_true(d.new_conversation && d.new_contact && !d.duplicate);
	sb_conversation c = get(w, 1, d.conversation_id);
	assert_int_equal(c.kind, SB_CONVERSATION_STANDARD);
	assert_int_equal(c.endpoint_id, w->front);
	assert_string_equal(c.business_number, FRONT);
	assert_string_equal(c.external, PATIENT);
	assert_int_equal(c.contact_id, d.contact_id);
	assert_true(c.unread && c.unread_by_actor && !c.closed);
	sb_contact k;
	assert_int_equal(sb_contact_get(&k, w->f->p, 1, d.contact_id), SB_OK);
	assert_int_equal(k.saved, 0);
	assert_string_equal(k.name, "");
	sb_id holder;
	assert_int_equal(sb_contact_find(&holder, w->f->p, 1, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	assert_int_equal(holder, d.contact_id);
	/* The second text lands in the same conversation, with the same contact. */
	sb_delivery again = receive(w, PATIENT, FRONT, "are you there?", "SM2");
	assert_int_equal(again.conversation_id, d.conversation_id);
	assert_int_equal(again.contact_id, d.contact_id);
	assert_false(again.new_conversation || again.new_contact);
	/* Saving the contact gives it a name (C4). */
	assert_int_equal(sb_contact_save(w->f->p, 1, d.contact_id, "Pat Doe"), SB_OK);
	assert_int_equal(sb_contact_get(&k, w->f->p, 1, d.contact_id), SB_OK);
	assert_int_equal(k.saved, 1);
}

/* C2: one person, two business numbers, two conversations that never merge. */
static void test_two_numbers_two_conversations(void **state)
{
	world *w = *state;
	sb_delivery a = receive(w, PATIENT, FRONT, "to the front", "SM1");
	sb_delivery b = receive(w, PATIENT, BILLING, "to billing", "SM2");
	assert_int_not_equal(a.conversation_id, b.conversation_id);
	assert_int_equal(a.contact_id, b.contact_id);
	assert_int_equal(get(w, 1, b.conversation_id).endpoint_id, w->billing);
	/* Replies stay apart too. */
	sb_delivery a2 = receive(w, PATIENT, FRONT, "again", "SM3");
	assert_int_equal(a2.conversation_id, a.conversation_id);
}

/* C3: starting a conversation reuses the pair's, whoever started it. */
static void test_start_reuses_pair(void **state)
{
	world *w = *state;
	sb_id first, second, other;
	assert_int_equal(sb_conversation_start(&first, w->f->p, 1, w->front, "415-555-0123"), SB_OK);
	assert_int_equal(sb_conversation_start(&second, w->f->p, 2, w->front, "+1 415 555 0123"), SB_OK);
	assert_int_equal(first, second);
	assert_int_equal(sb_conversation_start(&other, w->f->p, 2, w->billing, PATIENT), SB_OK);
	assert_int_not_equal(first, other);
	/* Inbound later lands in the started one. */
	assert_int_equal(receive(w, PATIENT, FRONT, "hello", "SM1").conversation_id, first);
	/* A started conversation has nothing unread. */
	assert_false(get(w, 1, other).unread);
}

static void test_start_errors(void **state)
{
	world *w = *state;
	sb_id id = 7;
	char *before = test_dump(w->f->path);
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, 1, w->front, "+442071838750"), SB_EPHONE, "NANP");
	assert_int_equal(id, 0);
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, 1, w->front, "911"), SB_EPHONE, "NANP");
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, 1, w->front, "call me"), SB_EPHONE,
	                  "not a phone number");
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, 1, 999, PATIENT), SB_ENOTFOUND, "endpoint");
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, -1, w->front, PATIENT), SB_EINVAL, "actor");
	test_expect_error(w->f->p, sb_conversation_start(NULL, w->f->p, 1, w->front, PATIENT), SB_EINVAL, "out_id");
	test_expect_dump(w->f->path, before);
	assert_int_equal(sb_endpoint_retire(w->f->p, 1, w->billing), SB_OK);
	test_expect_error(w->f->p, sb_conversation_start(&id, w->f->p, 1, w->billing, PATIENT), SB_ESTATE, "retired");
	sb_conversation c;
	test_expect_error(w->f->p, sb_conversation_get(&c, w->f->p, 1, 12345), SB_ENOTFOUND, "no such conversation");
}

/* C5, C7: the card lists every conversation on the contact's numbers, with
 * its business number; adding a number brings that number's conversations. */
static void test_card_follows_numbers(void **state)
{
	world *w = *state;
	sb_id jane;
	assert_int_equal(sb_contact_create(&jane, w->f->p, 1, "Jane Roe"), SB_OK);
	sb_id addr;
	assert_int_equal(sb_contact_add_address(&addr, w->f->p, 1, jane, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	sb_delivery a = receive(w, PATIENT, FRONT, "one", "SM1");
	sb_delivery b = receive(w, PATIENT, BILLING, "two", "SM2");
	assert_int_equal(a.contact_id, jane);
	assert_false(a.new_contact);
	/* A second number of hers already talked to the front desk, as an unsaved contact. */
	sb_delivery c = receive(w, "+14155550124", FRONT, "from my work phone", "SM3");
	assert_int_not_equal(c.contact_id, jane);
	sb_conversation card[8];
	size_t n;
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, jane, 0, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(card[0].id, a.conversation_id);
	assert_string_equal(card[0].business_number, FRONT);
	assert_int_equal(card[1].id, b.conversation_id);
	assert_string_equal(card[1].business_number, BILLING);
	assert_false(card[0].regarding);
	/* Adding the number moves it from the unsaved contact: its conversation follows. */
	assert_int_equal(sb_contact_remove_address(w->f->p, 1, c.contact_id, SB_ADDRESS_PHONE, "+14155550124"), SB_OK);
	assert_int_equal(sb_contact_add_address(&addr, w->f->p, 1, jane, SB_ADDRESS_PHONE, "+14155550124"), SB_OK);
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, jane, 0, 8), SB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(card[2].id, c.conversation_id);
	assert_string_equal(card[2].external, "+14155550124");
	/* Pages continue after the last id. */
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, jane, 0, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, jane, card[1].id, 2), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(card[0].id, c.conversation_id);
	/* Errors. */
	test_expect_error(w->f->p, sb_contact_conversations(card, &n, w->f->p, 1, 999, 0, 8), SB_ENOTFOUND, "contact");
	test_expect_error(w->f->p, sb_contact_conversations(card, &n, w->f->p, 1, jane, 0, 0), SB_EINVAL, "max");
	test_expect_error(w->f->p, sb_contact_conversations(card, &n, w->f->p, 1, jane, -1, 8), SB_EINVAL, "after_id");
	test_expect_error(w->f->p, sb_contact_conversations(NULL, &n, w->f->p, 1, jane, 0, 8), SB_EINVAL, "out");
}

/* C6: regarding marks show a conversation on other cards without its number. */
static void test_regarding(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "it's about my son", "SM1");
	sb_id son;
	assert_int_equal(sb_contact_create(&son, w->f->p, 1, "Sam Doe"), SB_OK);
	assert_int_equal(sb_conversation_regarding_add(w->f->p, 1, d.conversation_id, son), SB_OK);
	assert_int_equal(sb_conversation_regarding_add(w->f->p, 1, d.conversation_id, son), SB_OK); /* no-op */
	sb_conversation card[4];
	size_t n;
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, son, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(card[0].id, d.conversation_id);
	assert_true(card[0].regarding);
	assert_int_equal(card[0].contact_id, d.contact_id); /* the number stays with its holder */
	sb_id ids[SB_REGARDING_MAX];
	assert_int_equal(sb_conversation_regarding(ids, &n, w->f->p, 1, d.conversation_id, SB_REGARDING_MAX), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], son);
	/* The holder's own card does not call it regarding. */
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, d.contact_id, 0, 4), SB_OK);
	assert_int_equal(n, 1);
	assert_false(card[0].regarding);
	assert_int_equal(sb_conversation_regarding_remove(w->f->p, 1, d.conversation_id, son), SB_OK);
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, son, 0, 4), SB_OK);
	assert_int_equal(n, 0);
	test_expect_error(w->f->p, sb_conversation_regarding_remove(w->f->p, 1, d.conversation_id, son), SB_ENOTFOUND,
	                  "not regarding");
	test_expect_error(w->f->p, sb_conversation_regarding_add(w->f->p, 1, d.conversation_id, 999), SB_ENOTFOUND,
	                  "no such contact");
	test_expect_error(w->f->p, sb_conversation_regarding_add(w->f->p, 1, 999, son), SB_ENOTFOUND,
	                  "no such conversation");
	/* At most SB_REGARDING_MAX marks. */
	for (unsigned i = 0; i < SB_REGARDING_MAX; i++) {
		sb_id c;
		assert_int_equal(sb_contact_create(&c, w->f->p, 1, "Relative"), SB_OK);
		assert_int_equal(sb_conversation_regarding_add(w->f->p, 1, d.conversation_id, c), SB_OK);
	}
	test_expect_error(w->f->p, sb_conversation_regarding_add(w->f->p, 1, d.conversation_id, son), SB_ETOOBIG,
	                  "at most");
}

/* C11: a conversation from an unknown number goes to an existing or a new contact. */
static void test_attach(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "new phone, who dis", "SM1");
	sb_delivery other = receive(w, PATIENT, BILLING, "billing question", "SM2");
	sb_id jane;
	assert_int_equal(sb_contact_create(&jane, w->f->p, 1, "Jane Roe"), SB_OK);
	assert_int_equal(sb_conversation_attach(w->f->p, 1, d.conversation_id, jane), SB_OK);
	assert_int_equal(get(w, 1, d.conversation_id).contact_id, jane);
	assert_int_equal(get(w, 1, other.conversation_id).contact_id, jane); /* the number took both along */
	/* The unsaved contact that only held this number is gone. */
	sb_contact k;
	test_expect_error(w->f->p, sb_contact_get(&k, w->f->p, 1, d.contact_id), SB_ENOTFOUND, "no such contact");
	test_expect_error(w->f->p, sb_conversation_attach(w->f->p, 1, d.conversation_id, jane), SB_ESTATE,
	                  "already holds");
	/* To a new contact: create it, then attach. */
	sb_id fresh;
	assert_int_equal(sb_contact_create(&fresh, w->f->p, 1, "Pat Doe"), SB_OK);
	assert_int_equal(sb_conversation_attach(w->f->p, 1, d.conversation_id, fresh), SB_OK);
	assert_int_equal(get(w, 1, d.conversation_id).contact_id, fresh);
	/* Jane is saved: she stays, without the number. */
	assert_int_equal(sb_contact_get(&k, w->f->p, 1, jane), SB_OK);
	test_expect_error(w->f->p, sb_conversation_attach(w->f->p, 1, d.conversation_id, 999), SB_ENOTFOUND,
	                  "no such contact");
	test_expect_error(w->f->p, sb_conversation_attach(w->f->p, 1, 999, fresh), SB_ENOTFOUND, "no such conversation");
}

/* Merge: numbers, e-mails, conversations and regarding marks all move; notes join. */
static void test_merge(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "hi", "SM1");
	sb_id jane, addr;
	assert_int_equal(sb_contact_create(&jane, w->f->p, 1, "Jane Roe"), SB_OK);
	assert_int_equal(sb_contact_set_notes(w->f->p, 1, jane, "allergic to penicillin"), SB_OK);
	assert_int_equal(sb_contact_add_address(&addr, w->f->p, 1, d.contact_id, SB_ADDRESS_EMAIL, "pat@example.org"),
	                 SB_OK);
	assert_int_equal(sb_contact_set_notes(w->f->p, 1, d.contact_id, "called twice"), SB_OK);
	sb_delivery r = receive(w, "+14155550199", BILLING, "about Pat", "SM2");
	assert_int_equal(sb_conversation_regarding_add(w->f->p, 1, r.conversation_id, d.contact_id), SB_OK);
	assert_int_equal(sb_contact_merge(w->f->p, 1, jane, d.contact_id), SB_OK);
	sb_contact_address a[8];
	size_t n;
	assert_int_equal(sb_contact_addresses(a, &n, w->f->p, 1, jane, 8), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].value, PATIENT);
	assert_string_equal(a[1].value, "pat@example.org");
	sb_conversation card[4];
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, jane, 0, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(card[0].id, d.conversation_id);
	assert_false(card[0].regarding);
	assert_int_equal(card[1].id, r.conversation_id);
	assert_true(card[1].regarding);
	char notes[128];
	size_t len;
	assert_int_equal(sb_contact_get_notes(notes, sizeof notes, &len, w->f->p, 1, jane), SB_OK);
	assert_string_equal(notes, "allergic to penicillin\n\ncalled twice");
	sb_contact k;
	assert_int_equal(sb_contact_get(&k, w->f->p, 1, jane), SB_OK);
	assert_string_equal(k.name, "Jane Roe");
	test_expect_error(w->f->p, sb_contact_get(&k, w->f->p, 1, d.contact_id), SB_ENOTFOUND, "no such contact");
	/* Audited: the merge on the kept one, the deletion of the other. */
	sb_audit_entry e[64];
	assert_int_equal(sb_audit_read(e, &n, w->f->p, 1, 1, 64), SB_OK);
	int merged = 0, deleted = 0;
	for (size_t i = 0; i < n; i++) {
		merged += !strcmp(e[i].action, "contact.merge") && e[i].object_id == jane;
		deleted += !strcmp(e[i].action, "contact.delete") && e[i].object_id == d.contact_id;
	}
	assert_int_equal(merged, 1);
	assert_int_equal(deleted, 1);
	/* An unsaved contact merged into... a saved one's name is taken by an unsaved keeper. */
	sb_delivery u = receive(w, "+14155550177", FRONT, "hello", "SM3");
	assert_int_equal(sb_contact_merge(w->f->p, 1, u.contact_id, jane), SB_OK);
	assert_int_equal(sb_contact_get(&k, w->f->p, 1, u.contact_id), SB_OK);
	assert_int_equal(k.saved, 1);
	assert_string_equal(k.name, "Jane Roe");
	sb_id found;
	assert_int_equal(sb_contact_search(&found, &n, w->f->p, 1, "jane", 0, 1), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(found, u.contact_id);
	/* Errors leave both as they were. */
	char *before = test_dump(w->f->path);
	test_expect_error(w->f->p, sb_contact_merge(w->f->p, 1, u.contact_id, u.contact_id), SB_EINVAL, "itself");
	test_expect_error(w->f->p, sb_contact_merge(w->f->p, 1, u.contact_id, 999), SB_ENOTFOUND, "no such contact");
	test_expect_error(w->f->p, sb_contact_merge(w->f->p, 1, 999, u.contact_id), SB_ENOTFOUND, "no such contact");
	test_expect_dump(w->f->path, before);
}

static void test_merge_limits(void **state)
{
	world *w = *state;
	sb_id a, b, id;
	char number[32];
	assert_int_equal(sb_contact_create(&a, w->f->p, 1, "A"), SB_OK);
	assert_int_equal(sb_contact_create(&b, w->f->p, 1, "B"), SB_OK);
	for (unsigned i = 0; i < SB_CONTACT_ADDRESSES_MAX; i++) {
		snprintf(number, sizeof number, "+1415555%04u", 1000 + i);
		assert_int_equal(sb_contact_add_address(&id, w->f->p, 1, i % 2 ? a : b, SB_ADDRESS_PHONE, number), SB_OK);
	}
	assert_int_equal(sb_contact_add_address(&id, w->f->p, 1, b, SB_ADDRESS_EMAIL, "b@example.org"), SB_OK);
	char *before = test_dump(w->f->path);
	test_expect_error(w->f->p, sb_contact_merge(w->f->p, 1, a, b), SB_ETOOBIG, "together");
	char *big = malloc(SB_CONTACT_NOTES_MAX + 1);
	memset(big, 'n', SB_CONTACT_NOTES_MAX);
	big[SB_CONTACT_NOTES_MAX] = '\0';
	test_expect_dump(w->f->path, before);
	sb_id c, d;
	assert_int_equal(sb_contact_create(&c, w->f->p, 1, "C"), SB_OK);
	assert_int_equal(sb_contact_create(&d, w->f->p, 1, "D"), SB_OK);
	assert_int_equal(sb_contact_set_notes(w->f->p, 1, c, big), SB_OK);
	assert_int_equal(sb_contact_set_notes(w->f->p, 1, d, "x"), SB_OK);
	test_expect_error(w->f->p, sb_contact_merge(w->f->p, 1, c, d), SB_ETOOBIG, "notes");
	free(big);
}

/* C9: close takes it out; a new inbound item reopens it; history stays on the card. */
static void test_close_reopen(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "thanks!", "SM1");
	w->f->clock.now = 2000;
	assert_int_equal(sb_conversation_close(w->f->p, 1, d.conversation_id), SB_OK);
	sb_conversation c = get(w, 1, d.conversation_id);
	assert_true(c.closed);
	assert_int_equal(c.closed_at, 2000);
	test_expect_error(w->f->p, sb_conversation_close(w->f->p, 1, d.conversation_id), SB_ESTATE, "already closed");
	int64_t unread;
	assert_int_equal(sb_conversation_unread_count(&unread, w->f->p, 1), SB_OK);
	assert_int_equal(unread, 0); /* closed ones leave the inbox */
	sb_conversation card[2];
	size_t n;
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, d.contact_id, 0, 2), SB_OK);
	assert_int_equal(n, 1);
	assert_true(card[0].closed);
	receive(w, PATIENT, FRONT, "one more thing", "SM2");
	c = get(w, 1, d.conversation_id);
	assert_false(c.closed);
	assert_int_equal(c.closed_at, 0);
	/* Outbound does not reopen (rules.md C9). */
	assert_int_equal(sb_conversation_close(w->f->p, 1, d.conversation_id), SB_OK);
	sb_id again;
	assert_int_equal(sb_conversation_start(&again, w->f->p, 1, w->front, PATIENT), SB_OK);
	assert_true(get(w, 1, d.conversation_id).closed);
	assert_int_equal(sb_conversation_reopen(w->f->p, 1, d.conversation_id), SB_OK);
	test_expect_error(w->f->p, sb_conversation_reopen(w->f->p, 1, d.conversation_id), SB_ESTATE, "open");
	test_expect_error(w->f->p, sb_conversation_close(w->f->p, 1, 999), SB_ENOTFOUND, "no such conversation");
}

/* C13: inbound marks unread; reading marks it read for the reader; the badge counts. */
static void test_unread(void **state)
{
	world *w = *state;
	sb_delivery a = receive(w, PATIENT, FRONT, "one", "SM1");
	sb_delivery b = receive(w, "+14155550124", FRONT, "two", "SM2");
	int64_t count;
	assert_int_equal(sb_conversation_unread_count(&count, w->f->p, 1), SB_OK);
	assert_int_equal(count, 2);
	assert_int_equal(sb_conversation_mark_read(w->f->p, 7, a.conversation_id), SB_OK);
	assert_int_equal(sb_conversation_unread_count(&count, w->f->p, 1), SB_OK);
	assert_int_equal(count, 1);
	sb_conversation c = get(w, 7, a.conversation_id);
	assert_false(c.unread);
	assert_false(c.unread_by_actor);
	c = get(w, 8, a.conversation_id); /* someone read it; not teammate 8 */
	assert_false(c.unread);
	assert_true(c.unread_by_actor);
	receive(w, PATIENT, FRONT, "three", "SM3");
	c = get(w, 7, a.conversation_id);
	assert_true(c.unread && c.unread_by_actor);
	assert_int_equal(sb_conversation_unread_count(&count, w->f->p, 1), SB_OK);
	assert_int_equal(count, 2);
	/* A note or an outbound item is not unread news. */
	assert_int_equal(sb_conversation_mark_read(w->f->p, 7, b.conversation_id), SB_OK);
	sb_id note;
	assert_int_equal(sb_note_add(&note, w->f->p, 8, b.conversation_id, "called back"), SB_OK);
	assert_false(get(w, 7, b.conversation_id).unread);
	test_expect_error(w->f->p, sb_conversation_mark_read(w->f->p, 7, 999), SB_ENOTFOUND, "no such conversation");
	test_expect_error(w->f->p, sb_conversation_unread_count(NULL, w->f->p, 1), SB_EINVAL, "out");
}

/* C10: deletion purges the text from the file; secure ones refuse. */
static void test_delete_purges(void **state)
{
	world *w = *state;
	const char *secret = "my HIV test result is positive-zq9";
	sb_delivery d = receive(w, PATIENT, FRONT, secret, "SM1");
	sb_delivery keep = receive(w, PATIENT, BILLING, "keep me-kq7", "SM2");
	sb_id note;
	assert_int_equal(sb_note_add(&note, w->f->p, 1, d.conversation_id, "note to purge-np3"), SB_OK);
	assert_true(test_store_contains(w->f->path, secret));
	assert_int_equal(sb_conversation_delete(w->f->p, 1, d.conversation_id), SB_OK);
	assert_false(test_store_contains(w->f->path, secret));
	assert_false(test_store_contains(w->f->path, "note to purge-np3"));
	assert_true(test_store_contains(w->f->path, "keep me-kq7"));
	sb_conversation c;
	test_expect_error(w->f->p, sb_conversation_get(&c, w->f->p, 1, d.conversation_id), SB_ENOTFOUND,
	                  "no such conversation");
	sb_item it;
	test_expect_error(w->f->p, sb_item_get(&it, w->f->p, 1, d.item_id), SB_ENOTFOUND, "no such item");
	assert_int_equal(get(w, 1, keep.conversation_id).id, keep.conversation_id);
	test_expect_error(w->f->p, sb_conversation_delete(w->f->p, 1, d.conversation_id), SB_ENOTFOUND,
	                  "no such conversation");
	/* Inside a host transaction the purge waits for the commit. */
	sb_delivery e = receive(w, "+14155550124", FRONT, "second secret-ss5", "SM3");
	assert_int_equal(sb_practice_begin(w->f->p), SB_OK);
	assert_int_equal(sb_conversation_delete(w->f->p, 1, e.conversation_id), SB_OK);
	assert_int_equal(sb_practice_commit(w->f->p), SB_OK);
	assert_false(test_store_contains(w->f->path, "second secret-ss5"));
	/* A secure conversation refuses (C10, L6). */
	sb_delivery s = receive(w, "+14155550125", FRONT, "x", "SM4");
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE sb_conversation SET kind = 2 WHERE id = %lld", (long long)s.conversation_id);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	test_expect_error(w->f->p, sb_conversation_delete(w->f->p, 1, s.conversation_id), SB_ESECURE, "secure");
	assert_int_equal(get(w, 1, s.conversation_id).kind, SB_CONVERSATION_SECURE);
}

/* A store failure keeps the store's own words, taken before the rollback
 * (which on SQLite would leave "not an error"), and changes nothing. */
static void test_delete_refused_by_the_store(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "kept-kd1", "SM1");
	assert_int_equal(test_sql(w->f->path, "CREATE TABLE host_row (c BIGINT REFERENCES sb_conversation(id))"), 0);
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO host_row VALUES (%lld)", (long long)d.conversation_id);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	char *before = test_dump(w->f->path);
	assert_int_equal(sb_conversation_delete(w->f->p, 1, d.conversation_id), SB_ECONFLICT);
	const char *m = sb_practice_errmsg(w->f->p);
	if (!strstr(m, "deleting a conversation: ") || strstr(m, SB_NOT_AN_ERROR) || !strcasestr(m, "foreign key"))
		fail_msg("errmsg: %s", m);
	test_expect_dump(w->f->path, before);
	assert_int_equal(get(w, 1, d.conversation_id).id, d.conversation_id);
	assert_string_equal(sb_practice_errmsg(w->f->p), SB_NOT_AN_ERROR);
}

/* With a key, the external number is sealed and never stored in the clear. */
static void test_sealed_at_rest(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, FRONT, "sealed body-sb1", "SM1");
	assert_false(test_store_contains(w->f->path, "sealed body-sb1"));
	assert_false(test_store_contains(w->f->path, PATIENT));
	sb_conversation c = get(w, 1, d.conversation_id);
	assert_string_equal(c.external, PATIENT);
	sb_conversation card[2];
	size_t n;
	assert_int_equal(sb_contact_conversations(card, &n, w->f->p, 1, d.contact_id, 0, 2), SB_OK);
	assert_int_equal(n, 1);
	/* A sealed number moved to another row does not open. */
	sb_id other;
	assert_int_equal(sb_conversation_start(&other, w->f->p, 1, w->billing, "+14155550124"), SB_OK);
	char sql[256];
	snprintf(sql, sizeof sql,
	         "UPDATE sb_conversation SET external = (SELECT external FROM sb_conversation WHERE id = %lld)"
	         " WHERE id = %lld",
	         (long long)d.conversation_id, (long long)other);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	sb_conversation x;
	test_expect_error(w->f->p, sb_conversation_get(&x, w->f->p, 1, other), SB_ECRYPTO, "does not open");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inbound_creates_conversation_and_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_numbers_two_conversations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_reuses_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_follows_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_purges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_refused_by_the_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_at_rest, setup_keyed, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
