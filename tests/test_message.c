/* Texts in and out (message.h), the timeline (timeline.h) and attachments
 * (attachment.h): C8, C12, C14, C15, C16 and SMS segments. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char key[SB_KEY_BYTES] = "message-key-message-key-message";

typedef test_fixture fixture;

#define FRONT TEST_FRONT
#define BILLING TEST_BILLING
#define PATIENT "+14155550123"

typedef struct world {
	test_world base; /* first: test_world_open() fills it */
	/* what the carrier saw in the store when it was called (C16) */
	int64_t queued_when_called;
	int fail_next;
	int calls;
} world;

static int send_checking_outbox(void *ud, const sb_sms *m, char *out_id, size_t cap)
{
	world *w = ud;
	(void)m;
	w->calls++;
	w->queued_when_called = test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_item WHERE status = 2");
	if (w->fail_next) {
		w->fail_next--;
		return -1;
	}
	snprintf(out_id, cap, "SM-out-%d", w->calls);
	return 0;
}

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

/* Reopen the practice with a carrier that checks the outbox. */
static void use_checking_carrier(world *w)
{
	sb_practice_free(w->base.f->p);
	sb_carrier c = {SB_CARRIER_VERSION, w, send_checking_outbox, NULL, NULL, NULL, NULL, NULL,
	                NULL, NULL, NULL, NULL, NULL, NULL};
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = w->base.f->path;
	o.clock = &w->base.f->clock.clock;
	o.carrier = &c;
	assert_int_equal(sb_practice_open(&w->base.f->p, &o), SB_OK);
}

static int receive_rc(world *w, sb_delivery *d, const char *from, const char *to, const char *body, const char *cid)
{
	return test_receive(w->base.f->p, d, from, to, body, cid);
}

static sb_delivery receive(world *w, const char *from, const char *body, const char *cid)
{
	sb_delivery d;
	int rc = receive_rc(w, &d, from, FRONT, body, cid);
	if (rc != SB_OK)
		fail_msg("receive: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->base.f->p));
	return d;
}

static int send_to(world *w, sb_sent *out, const char *to, const char *body, const char *idem)
{
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.endpoint = w->base.front;
	m.to = to;
	m.body = body;
	m.idempotency_key = idem;
	return sb_sms_send(out, w->base.f->p, 1, &m);
}

static void expect_unchanged(world *w, char *before)
{
	test_expect_dump(w->base.f->path, before);
}

/* Each text reports the contact that holds the number now: the same one
 * text after text, the one a merge moved it to, a new one once it was
 * taken off every contact (the conversation's touch returns it, #25). */
static void test_inbound_reports_the_holder(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_delivery first = receive(w, PATIENT, "one", "SM-h1");
	sb_delivery second = receive(w, PATIENT, "two", "SM-h2");
	assert_true(first.new_contact && first.new_conversation);
	assert_false(second.new_contact || second.new_conversation);
	assert_int_equal(second.contact_id, first.contact_id);
	assert_int_equal(second.conversation_id, first.conversation_id);
	sb_id keeper;
	assert_int_equal(sb_contact_create(&keeper, p, 1, "Keeper"), SB_OK);
	assert_int_equal(sb_contact_merge(p, 1, keeper, first.contact_id), SB_OK);
	sb_delivery merged = receive(w, PATIENT, "three", "SM-h3");
	assert_int_equal(merged.contact_id, keeper);
	assert_false(merged.new_contact);
	assert_int_equal(sb_contact_remove_address(p, 1, keeper, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	sb_delivery unheld = receive(w, PATIENT, "four", "SM-h4");
	assert_true(unheld.new_contact);
	assert_int_not_equal(unheld.contact_id, keeper);
	assert_int_equal(unheld.conversation_id, first.conversation_id);
	sb_id found;
	assert_int_equal(sb_contact_find(&found, p, 1, SB_ADDRESS_PHONE, PATIENT), SB_OK);
	assert_int_equal(found, unheld.contact_id);
}

/* C15: a redelivered event changes nothing and reports the first delivery. */
static void test_inbound_idempotent(void **state)
{
	world *w = *state;
	sb_delivery first = receive(w, PATIENT, "hello \xf0\x9f\x91\x8b", "SM1");
	char *before = test_dump(w->base.f->path);
	sb_delivery again = receive(w, PATIENT, "hello \xf0\x9f\x91\x8b", "SM1");
	expect_unchanged(w, before);
	assert_true(again.duplicate);
	assert_int_equal(again.item_id, first.item_id);
	assert_int_equal(again.conversation_id, first.conversation_id);
	assert_int_equal(again.contact_id, first.contact_id);
	assert_false(again.new_conversation || again.new_contact);
	/* Even with another body or sender, the carrier id decides. */
	before = test_dump(w->base.f->path);
	sb_delivery odd = receive(w, "+14155550124", "changed", "SM1");
	expect_unchanged(w, before);
	assert_int_equal(odd.item_id, first.item_id);
	/* A replay after the number was retired still reports the first delivery. */
	sb_delivery on_billing, late;
	assert_int_equal(receive_rc(w, &on_billing, PATIENT, BILLING, "for billing", "SM2"), SB_OK);
	assert_int_equal(sb_endpoint_retire(w->base.f->p, 1, w->base.billing), SB_OK);
	before = test_dump(w->base.f->path);
	assert_int_equal(receive_rc(w, &late, PATIENT, BILLING, "for billing", "SM2"), SB_OK);
	expect_unchanged(w, before);
	assert_true(late.duplicate);
	assert_int_equal(late.item_id, on_billing.item_id);
	/* A call recorded under a message's carrier id is refused. */
	sb_call_item c;
	sb_call_item_init(&c);
	c.kind = SB_ITEM_CALL;
	c.direction = SB_DIRECTION_INBOUND;
	c.business_number = FRONT;
	c.external = PATIENT;
	c.outcome = SB_CALL_MISSED;
	c.carrier_id = "SM1";
	sb_delivery cd;
	test_expect_error(w->base.f->p, sb_call_item_record(&cd, w->base.f->p, 0, &c), SB_ECONFLICT, "another kind");
}

/* Bad inbound input: each its own error, the store unchanged. */
static void test_inbound_errors(void **state)
{
	world *w = *state;
	receive(w, PATIENT, "first", "SM0");
	char *before = test_dump(w->base.f->path);
	sb_delivery d;
	char big[SB_SMS_BODY_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, "+14155550109", "hi", "SM1"), SB_EROUTE,
	                  "not an active business number");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, FRONT, "bad \xc3\x28", "SM2"), SB_EUTF8, "body");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, FRONT, big, "SM3"), SB_ETOOBIG, "body");
	test_expect_error(w->base.f->p, receive_rc(w, &d, "+442071838750", FRONT, "hi", "SM4"), SB_EPHONE, "NANP");
	test_expect_error(w->base.f->p, receive_rc(w, &d, "12ab", FRONT, "hi", "SM5"), SB_EPHONE, "not a phone number");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, FRONT, "hi", NULL), SB_EINVAL, "carrier_id");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, FRONT, "hi", ""), SB_EINVAL, "carrier_id");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, FRONT, "", "SM6"), SB_EINVAL, "body or an attachment");
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, "not a number", "hi", "SM7"), SB_EPHONE, "business number");
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.version = 99;
	test_expect_error(w->base.f->p, sb_sms_receive(&d, w->base.f->p, &m), SB_EVERSION, "version");
	test_expect_error(w->base.f->p, sb_sms_receive(NULL, w->base.f->p, &m), SB_EINVAL, "required");
	/* A retired number receives nothing. */
	expect_unchanged(w, before);
	assert_int_equal(sb_endpoint_retire(w->base.f->p, 1, w->base.billing), SB_OK);
	test_expect_error(w->base.f->p, receive_rc(w, &d, PATIENT, BILLING, "hi", "SM8"), SB_EROUTE, "business number");
}

/* C16: the message is stored before the carrier runs; its id is kept. */
static void test_outbox_before_carrier(void **state)
{
	world *w = *state;
	use_checking_carrier(w);
	sb_sent s;
	assert_int_equal(send_to(w, &s, "(415) 555-0123", "Your appointment is at 3pm", NULL), SB_OK);
	assert_int_equal(w->queued_when_called, 1); /* committed, visible to another connection */
	assert_int_equal(s.status, SB_STATUS_QUEUED);
	assert_string_equal(s.carrier_id, "SM-out-1");
	assert_int_equal(s.segments, 1);
	sb_item it;
	assert_int_equal(sb_item_get(&it, w->base.f->p, 1, s.item_id), SB_OK);
	assert_int_equal(it.kind, SB_ITEM_MESSAGE);
	assert_int_equal(it.direction, SB_DIRECTION_OUTBOUND);
	assert_string_equal(it.carrier_id, "SM-out-1");
	assert_string_equal(it.text, "Your appointment is at 3pm");
	assert_int_equal(it.author, 1);
	/* Status reports only move forward; late and repeated ones are ignored. */
	int applied;
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_SENT, NULL), SB_OK);
	assert_true(applied);
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_SENT, NULL), SB_OK);
	assert_false(applied);
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_DELIVERED, NULL), SB_OK);
	assert_true(applied);
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_SENT, NULL), SB_OK);
	assert_false(applied);
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_FAILED, "30003"), SB_OK);
	assert_false(applied);
	assert_int_equal(sb_item_get(&it, w->base.f->p, 1, s.item_id), SB_OK);
	assert_int_equal(it.status, SB_STATUS_DELIVERED);
	test_expect_error(w->base.f->p, sb_sms_status(&applied, w->base.f->p, "SM-nope", SB_STATUS_SENT, NULL), SB_ENOTFOUND,
	                  "carrier id");
	test_expect_error(w->base.f->p, sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_QUEUED, NULL), SB_EINVAL,
	                  "report");
	test_expect_error(w->base.f->p, sb_sms_status(&applied, w->base.f->p, "SM-out-1", SB_STATUS_FAILED, "\xff"), SB_EUTF8,
	                  "error");
}

/* C16: a carrier failure leaves the message stored as failed; it is retried with the same key. */
static void test_failed_send_retries(void **state)
{
	world *w = *state;
	use_checking_carrier(w);
	w->fail_next = 1;
	sb_sent s;
	test_expect_error(w->base.f->p, send_to(w, &s, PATIENT, "Please call us", "key-1"), SB_EUSER, "send_sms");
	assert_true(s.item_id > 0);
	assert_int_equal(s.status, SB_STATUS_FAILED);
	sb_item it;
	assert_int_equal(sb_item_get(&it, w->base.f->p, 1, s.item_id), SB_OK);
	assert_int_equal(it.status, SB_STATUS_FAILED);
	assert_string_equal(it.text, "Please call us");
	assert_true(it.error[0] != '\0');
	/* The same key sends the same message again. */
	sb_sent again;
	assert_int_equal(send_to(w, &again, PATIENT, "Please call us", "key-1"), SB_OK);
	assert_int_equal(again.item_id, s.item_id);
	assert_int_equal(again.status, SB_STATUS_QUEUED);
	assert_string_equal(again.carrier_id, "SM-out-2");
	assert_int_equal(w->calls, 2);
	/* Once under way, the same key sends nothing more. */
	sb_sent dup;
	assert_int_equal(send_to(w, &dup, PATIENT, "Please call us", "key-1"), SB_OK);
	assert_true(dup.duplicate);
	assert_int_equal(dup.item_id, s.item_id);
	assert_int_equal(w->calls, 2);
	test_expect_error(w->base.f->p, sb_sms_retry(&dup, w->base.f->p, 1, s.item_id), SB_ESTATE, "failed");
	/* sb_sms_retry, after a failed status report. */
	int applied;
	assert_int_equal(sb_sms_status(&applied, w->base.f->p, "SM-out-2", SB_STATUS_FAILED, "30007"), SB_OK);
	assert_true(applied);
	assert_int_equal(sb_sms_retry(&again, w->base.f->p, 1, s.item_id), SB_OK);
	assert_string_equal(again.carrier_id, "SM-out-3");
	assert_int_equal(again.conversation_id, s.conversation_id); /* one conversation all along */
	test_expect_error(w->base.f->p, sb_sms_retry(&again, w->base.f->p, 1, 999), SB_ENOTFOUND, "no such item");
}

/* C3, C14: from a chosen number; to a number, a contact or a conversation; NANP only. */
static void test_send_targets_and_errors(void **state)
{
	world *w = *state;
	sb_delivery in = receive(w, PATIENT, "hi", "SM1");
	sb_outbound_sms m;
	sb_sent s;
	sb_outbound_sms_init(&m);
	m.conversation = in.conversation_id;
	m.body = "reply";
	assert_int_equal(sb_sms_send(&s, w->base.f->p, 1, &m), SB_OK);
	assert_int_equal(s.conversation_id, in.conversation_id);
	const char *line = "send_sms from=" FRONT " to=" PATIENT " body=reply key=sb-";
	assert_int_equal(strncmp(w->base.f->carrier.log[0], line, strlen(line)), 0);
	sb_outbound_sms_init(&m);
	m.endpoint = w->base.billing;
	m.contact = in.contact_id;
	m.body = "from billing";
	assert_int_equal(sb_sms_send(&s, w->base.f->p, 1, &m), SB_OK);
	assert_int_not_equal(s.conversation_id, in.conversation_id); /* C2 */
	char *before = test_dump(w->base.f->path);
	test_expect_error(w->base.f->p, send_to(w, &s, "+442071838750", "hi", NULL), SB_EPHONE, "NANP");
	test_expect_error(w->base.f->p, send_to(w, &s, "911", "hi", NULL), SB_EPHONE, "NANP");
	test_expect_error(w->base.f->p, send_to(w, &s, PATIENT, "bad \xe2\x82", NULL), SB_EUTF8, "body");
	test_expect_error(w->base.f->p, send_to(w, &s, PATIENT, "", NULL), SB_EINVAL, "body or an attachment");
	sb_outbound_sms_init(&m);
	m.body = "x";
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_EINVAL, "exactly one");
	m.to = PATIENT;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_EINVAL, "endpoint");
	m.endpoint = 999;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_ENOTFOUND, "endpoint");
	m.to = NULL;
	m.endpoint = w->base.front;
	m.contact = 999;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_ENOTFOUND, "contact");
	sb_id nameless;
	assert_int_equal(sb_contact_create(&nameless, w->base.f->p, 1, "No Phone"), SB_OK);
	free(before);
	before = test_dump(w->base.f->path);
	m.contact = nameless;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_ESTATE, "no phone number");
	m.contact = 0;
	m.conversation = in.conversation_id;
	m.endpoint = w->base.billing;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_EINVAL, "business number");
	m.endpoint = 0;
	m.conversation = 999;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_ENOTFOUND, "conversation");
	m.version = 7;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &m), SB_EVERSION, "version");
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, -1, &m), SB_EINVAL, "actor");
	expect_unchanged(w, before);
	/* No carrier: refused before anything is stored. */
	sb_practice_free(w->base.f->p);
	w->base.f->p = test_open(w->base.f->path, NULL, NULL, &w->base.f->clock);
	before = test_dump(w->base.f->path);
	test_expect_error(w->base.f->p, send_to(w, &s, PATIENT, "hi", NULL), SB_ENOTSUP, "send_sms");
	expect_unchanged(w, before);
}

/* C14 with seed 004: texts reach the US (with its territories) and Canada.
 * A text from elsewhere in the plan is kept, and its sender can be called,
 * not texted back; premium 900 is never texted; pasted forms are read. */
static void test_texts_reach_us_and_canada(void **state)
{
	world *w = *state;
	sb_practice *p = w->base.f->p;
	sb_sent s;
	sb_delivery jm = receive(w, "+1 876 555 2671", "from Kingston", "SM-jm");
	assert_false(jm.duplicate);
	char *before = test_dump(w->base.f->path);
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.conversation = jm.conversation_id;
	m.body = "reply";
	test_expect_error(p, sb_sms_send(&s, p, 1, &m), SB_EPHONE, "US and Canadian numbers only");
	test_expect_error(p, send_to(w, &s, "809-555-2671", "hi", NULL), SB_EPHONE, "cannot be texted");
	test_expect_error(p, send_to(w, &s, "1-900-555-2671", "hi", NULL), SB_EPHONE, "premium-rate");
	sb_scheduled_sms later;
	sb_scheduled_sms_init(&later);
	later.endpoint = w->base.front;
	later.to = "+18765552671";
	later.body = "reminder";
	later.due_at = w->base.f->clock.now + 60000;
	sb_id id;
	test_expect_error(p, sb_schedule_create(&id, p, 1, &later), SB_EPHONE, "cannot be texted");
	expect_unchanged(w, before);
	assert_int_equal(w->base.f->carrier.count, 0);
	/* Canada, Puerto Rico, toll-free with an N11 exchange, and a pasted number. */
	const char *reach[] = {"604-555-2671", "787-555-2671", "1-800-411-2671",
	                       "(415)\xc2\xa0" "555\xe2\x88\x92" "2671"};
	const char *as[] = {"+16045552671", "+17875552671", "+18004112671", "+14155552671"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(send_to(w, &s, reach[i], "hi", NULL), SB_OK);
		char want[64];
		snprintf(want, sizeof want, " to=%s ", as[i]);
		if (!strstr(w->base.f->carrier.log[i], want))
			fail_msg("%s: %s", reach[i], w->base.f->carrier.log[i]);
	}
}

/* Segments: GSM-7 160/153, UCS-2 70/67 with emoji counted twice. */
static void test_segments(void **state)
{
	(void)state;
	int n, enc;
	char body[400];
	assert_int_equal(sb_sms_segments(&n, &enc, ""), SB_OK);
	assert_int_equal(n, 0);
	memset(body, 'a', 160);
	body[160] = '\0';
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(enc, SB_SMS_GSM7);
	assert_int_equal(n, 1);
	body[160] = 'a';
	body[161] = '\0';
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(n, 2);
	memset(body, 'a', 306);
	body[306] = '\0';
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(n, 2);
	body[306] = 'a';
	body[307] = '\0';
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(n, 3);
	/* Extension characters take two septets: 80 braces fill one segment. */
	memset(body, '{', 80);
	body[80] = '\0';
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(enc, SB_SMS_GSM7);
	assert_int_equal(n, 1);
	/* GSM accents stay GSM-7. */
	assert_int_equal(sb_sms_segments(&n, &enc, "caf\xc3\xa9 \xc3\xa0 \xe2\x82\xac"), SB_OK);
	assert_int_equal(enc, SB_SMS_GSM7);
	/* One emoji makes it UCS-2, and counts twice: 35 emoji = 70 units = 1 segment, 36 = 2. */
	body[0] = '\0';
	for (int i = 0; i < 35; i++)
		strcat(body, "\xf0\x9f\x98\x80");
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(enc, SB_SMS_UCS2);
	assert_int_equal(n, 1);
	strcat(body, "\xf0\x9f\x98\x80");
	assert_int_equal(sb_sms_segments(&n, &enc, body), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sb_sms_segments(&n, &enc, "\xc3\x28"), SB_EUTF8);
	assert_int_equal(sb_sms_segments(NULL, &enc, "x"), SB_EINVAL);
	assert_int_equal(sb_sms_segments(&n, &enc, "back`tick"), SB_OK);
	assert_int_equal(enc, SB_SMS_UCS2);
}

/* C8: one chronological timeline; pages stay stable while items arrive. */
static void test_timeline(void **state)
{
	world *w = *state;
	sb_delivery d = receive(w, PATIENT, "m1", "SM1");
	sb_id conv = d.conversation_id, note;
	w->base.f->clock.now = 2000;
	assert_int_equal(sb_note_add(&note, w->base.f->p, 3, conv, "internal: checked chart"), SB_OK);
	sb_call_item c;
	sb_call_item_init(&c);
	c.kind = SB_ITEM_CALL;
	c.direction = SB_DIRECTION_INBOUND;
	c.business_number = "415 555 0100";
	c.external = PATIENT;
	c.started_at = 3000;
	c.duration_ms = 65000;
	c.outcome = SB_CALL_ANSWERED;
	c.carrier_id = "CA1";
	sb_delivery call;
	assert_int_equal(sb_call_item_record(&call, w->base.f->p, 0, &c), SB_OK);
	assert_int_equal(call.conversation_id, conv);
	sb_delivery dup;
	assert_int_equal(sb_call_item_record(&dup, w->base.f->p, 0, &c), SB_OK);
	assert_true(dup.duplicate);
	assert_int_equal(dup.item_id, call.item_id);
	sb_call_item_init(&c);
	c.kind = SB_ITEM_VOICEMAIL;
	c.direction = SB_DIRECTION_INBOUND;
	c.business_number = FRONT;
	c.external = PATIENT;
	c.started_at = 4000;
	c.duration_ms = 21000;
	c.media_ref = "https://media.example/vm/1.mp3";
	c.transcript = "Hi, it's Pat, please call me back.";
	sb_delivery vm;
	assert_int_equal(sb_call_item_record(&vm, w->base.f->p, 0, &c), SB_OK);
	/* Newest first. */
	sb_item items[10];
	size_t n;
	assert_int_equal(sb_timeline_page(items, &n, w->base.f->p, 1, conv, 0, 10), SB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(items[0].kind, SB_ITEM_VOICEMAIL);
	assert_string_equal(items[0].text, "Hi, it's Pat, please call me back.");
	assert_string_equal(items[0].media_ref, "https://media.example/vm/1.mp3");
	assert_int_equal(items[0].duration_ms, 21000);
	assert_int_equal(items[1].kind, SB_ITEM_CALL);
	assert_int_equal(items[1].outcome, SB_CALL_ANSWERED);
	assert_int_equal(items[1].at, 3000);
	assert_int_equal(items[2].kind, SB_ITEM_NOTE);
	assert_int_equal(items[2].author, 3);
	assert_int_equal(items[2].direction, SB_DIRECTION_NONE);
	assert_int_equal(items[3].kind, SB_ITEM_MESSAGE);
	assert_string_equal(items[3].text, "m1");
	/* Page by two; a new item arriving between pages shifts nothing. */
	assert_int_equal(sb_timeline_page(items, &n, w->base.f->p, 1, conv, 0, 2), SB_OK);
	assert_int_equal(n, 2);
	sb_id last = items[1].id;
	w->base.f->clock.now = 9000;
	receive(w, PATIENT, "newer", "SM2");
	assert_int_equal(sb_timeline_page(items, &n, w->base.f->p, 1, conv, last, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].kind, SB_ITEM_NOTE);
	assert_int_equal(items[1].kind, SB_ITEM_MESSAGE);
	assert_int_equal(sb_timeline_page(items, &n, w->base.f->p, 1, conv, items[1].id, 2), SB_OK);
	assert_int_equal(n, 0);
	/* An inbound call from a new number makes its conversation and contact (C1, C4). */
	sb_call_item_init(&c);
	c.kind = SB_ITEM_CALL;
	c.direction = SB_DIRECTION_INBOUND;
	c.business_number = BILLING;
	c.external = "+14155550124";
	c.outcome = SB_CALL_MISSED;
	sb_delivery fresh;
	assert_int_equal(sb_call_item_record(&fresh, w->base.f->p, 0, &c), SB_OK);
	assert_true(fresh.new_conversation && fresh.new_contact);
	/* Errors. */
	test_expect_error(w->base.f->p, sb_timeline_page(items, &n, w->base.f->p, 1, 999, 0, 2), SB_ENOTFOUND, "conversation");
	test_expect_error(w->base.f->p, sb_timeline_page(items, &n, w->base.f->p, 1, conv, fresh.item_id, 2), SB_ENOTFOUND,
	                  "before_id");
	test_expect_error(w->base.f->p, sb_timeline_page(items, &n, w->base.f->p, 1, conv, 0, 0), SB_EINVAL, "max");
	test_expect_error(w->base.f->p, sb_note_add(&note, w->base.f->p, 1, conv, ""), SB_EINVAL, "empty");
	test_expect_error(w->base.f->p, sb_note_add(&note, w->base.f->p, 1, 999, "x"), SB_ENOTFOUND, "conversation");
	c.outcome = 42;
	test_expect_error(w->base.f->p, sb_call_item_record(&fresh, w->base.f->p, 0, &c), SB_EINVAL, "outcome");
	c.outcome = SB_CALL_MISSED;
	c.business_number = "+14155550177";
	test_expect_error(w->base.f->p, sb_call_item_record(&fresh, w->base.f->p, 0, &c), SB_EROUTE, "business number");
	c.business_number = FRONT;
	c.duration_ms = -1;
	test_expect_error(w->base.f->p, sb_call_item_record(&fresh, w->base.f->p, 0, &c), SB_EINVAL, "negative");
	c.duration_ms = 0;
	c.kind = SB_ITEM_VOICEMAIL;
	c.direction = SB_DIRECTION_OUTBOUND;
	c.outcome = 0;
	test_expect_error(w->base.f->p, sb_call_item_record(&fresh, w->base.f->p, 0, &c), SB_EINVAL, "voicemail");
	sb_item it;
	test_expect_error(w->base.f->p, sb_item_get(&it, w->base.f->p, 1, 999), SB_ENOTFOUND, "no such item");
}

static sb_attachment_spec bytes_spec(const char *type, const char *name, const void *data, size_t size)
{
	sb_attachment_spec s;
	sb_attachment_spec_init(&s);
	s.content_type = type;
	s.file_name = name;
	s.data = data;
	s.size = size;
	return s;
}

/* C12: attachments with bytes or a reference; the library's documents reused. */
static void test_attachments_and_library(void **state)
{
	world *w = *state;
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0, 1, 2, 3, 0xff};
	sb_attachment_spec media[2];
	media[0] = bytes_spec("image/png", "rash.png", png, sizeof png);
	sb_attachment_spec_init(&media[1]);
	media[1].content_type = "image/jpeg";
	media[1].file_name = "leg.jpg";
	media[1].media_ref = "https://carrier.example/m/ME1";
	media[1].size = 2048;
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = PATIENT;
	m.to = FRONT;
	m.body = "";
	m.media = media;
	m.media_count = 2;
	m.carrier_id = "MM1";
	sb_delivery d;
	assert_int_equal(sb_sms_receive(&d, w->base.f->p, &m), SB_OK);
	sb_attachment a[SB_ATTACHMENTS_MAX];
	size_t n;
	assert_int_equal(sb_item_attachments(a, &n, w->base.f->p, 1, d.item_id, SB_ATTACHMENTS_MAX), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].content_type, "image/png");
	assert_string_equal(a[0].file_name, "rash.png");
	assert_int_equal(a[0].size, sizeof png);
	assert_true(a[0].has_data);
	assert_false(a[1].has_data);
	assert_string_equal(a[1].media_ref, "https://carrier.example/m/ME1");
	unsigned char buf[32];
	size_t size;
	assert_int_equal(sb_attachment_read(buf, sizeof buf, &size, w->base.f->p, 1, a[0].id), SB_OK);
	assert_int_equal(size, sizeof png);
	assert_memory_equal(buf, png, sizeof png);
	test_expect_error(w->base.f->p, sb_attachment_read(buf, 4, &size, w->base.f->p, 1, a[0].id), SB_ETOOBIG, "smaller");
	assert_int_equal(size, sizeof png);
	test_expect_error(w->base.f->p, sb_attachment_read(buf, sizeof buf, &size, w->base.f->p, 1, a[1].id), SB_ESTATE,
	                  "media reference");
	test_expect_error(w->base.f->p, sb_attachment_read(buf, sizeof buf, &size, w->base.f->p, 1, 999), SB_ENOTFOUND,
	                  "no such attachment");
	sb_item it;
	assert_int_equal(sb_item_get(&it, w->base.f->p, 1, d.item_id), SB_OK);
	assert_int_equal(it.attachment_count, 2);
	/* The library: add, list, attach to a text (a copy), remove. */
	static const char pdf[] = "%PDF-1.4 new patient form";
	sb_attachment_spec doc = bytes_spec("application/pdf", "New patient form.pdf", pdf, sizeof pdf - 1);
	sb_id form;
	assert_int_equal(sb_library_add(&form, w->base.f->p, 1, &doc), SB_OK);
	assert_int_equal(sb_library_list(a, &n, w->base.f->p, 1, 0, 10), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].id, form);
	assert_int_equal(a[0].item_id, 0);
	sb_outbound_sms o;
	sb_outbound_sms_init(&o);
	o.conversation = d.conversation_id;
	o.body = "Please fill this in";
	o.library = &form;
	o.library_count = 1;
	sb_sent s;
	assert_int_equal(sb_sms_send(&s, w->base.f->p, 1, &o), SB_OK);
	assert_int_equal(sb_item_attachments(a, &n, w->base.f->p, 1, s.item_id, SB_ATTACHMENTS_MAX), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].file_name, "New patient form.pdf");
	char expect[64];
	snprintf(expect, sizeof expect, "media=1:sb-attachment:%lld", (long long)a[0].id);
	assert_non_null(strstr(w->base.f->carrier.log[0], expect));
	assert_int_equal(sb_library_remove(w->base.f->p, 1, form), SB_OK);
	assert_int_equal(sb_attachment_read(buf, sizeof buf, &size, w->base.f->p, 1, a[0].id), SB_OK); /* the copy stays */
	assert_int_equal(size, sizeof pdf - 1);
	assert_memory_equal(buf, pdf, sizeof pdf - 1);
	test_expect_error(w->base.f->p, sb_library_remove(w->base.f->p, 1, form), SB_ENOTFOUND, "library");
	o.library_count = 1;
	test_expect_error(w->base.f->p, sb_sms_send(&s, w->base.f->p, 1, &o), SB_ENOTFOUND, "library");
	/* Bad attachments: each refused, nothing stored. */
	char *before = test_dump(w->base.f->path);
	sb_attachment_spec bad = bytes_spec("image", "x.png", png, sizeof png);
	sb_id id;
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_EINVAL, "type/subtype");
	bad = bytes_spec("image/png", "a/b.png", png, sizeof png);
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_EINVAL, "file_name");
	bad = bytes_spec("image/png", "x.png", png, SB_ATTACHMENT_BYTES_MAX + 1);
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_ETOOBIG, "bytes");
	bad = bytes_spec("image/png", "x.png", png, sizeof png);
	bad.media_ref = "https://x";
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_EINVAL, "either");
	bad = bytes_spec("image/png", "\xc3\x28.png", png, sizeof png);
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_EUTF8, "file_name");
	bad = bytes_spec("image/png", "x.png", png, sizeof png);
	bad.version = 3;
	test_expect_error(w->base.f->p, sb_library_add(&id, w->base.f->p, 1, &bad), SB_EVERSION, "version");
	sb_attachment_spec many[SB_ATTACHMENTS_MAX + 1];
	for (size_t i = 0; i <= SB_ATTACHMENTS_MAX; i++)
		many[i] = bytes_spec("image/png", "x.png", png, sizeof png);
	m.media = many;
	m.media_count = SB_ATTACHMENTS_MAX + 1;
	m.carrier_id = "MM2";
	test_expect_error(w->base.f->p, sb_sms_receive(&d, w->base.f->p, &m), SB_ETOOBIG, "attachments");
	expect_unchanged(w, before);
}

/* With a key, bodies, notes, transcripts, file names and bytes are sealed. */
static void test_sealed_at_rest(void **state)
{
	world *w = *state;
	sb_attachment_spec s = bytes_spec("text/plain", "labs-fn9.txt", "LDL 190 mg/dL-by7", 17);
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = PATIENT;
	m.to = FRONT;
	m.body = "my results-rq4";
	m.media = &s;
	m.media_count = 1;
	m.carrier_id = "MM1";
	sb_delivery d;
	assert_int_equal(sb_sms_receive(&d, w->base.f->p, &m), SB_OK);
	sb_id note;
	assert_int_equal(sb_note_add(&note, w->base.f->p, 1, d.conversation_id, "note text-nt2"), SB_OK);
	const char *secrets[] = {"my results-rq4", "labs-fn9", "LDL 190", "note text-nt2", PATIENT};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		assert_false(test_store_contains(w->base.f->path, secrets[i]));
	sb_item it;
	assert_int_equal(sb_item_get(&it, w->base.f->p, 1, d.item_id), SB_OK);
	assert_string_equal(it.text, "my results-rq4");
	/* Every read and write of PHI is audited. */
	int64_t reads = test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'item.read'");
	int64_t receives = test_value(w->base.f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'message.receive'");
	assert_int_equal(reads, 1);
	assert_int_equal(receives, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inbound_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbound_reports_the_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbound_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_before_carrier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_send_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_targets_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_texts_reach_us_and_canada, setup, teardown),
		cmocka_unit_test(test_segments),
		cmocka_unit_test_setup_teardown(test_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attachments_and_library, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_at_rest, setup_keyed, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
