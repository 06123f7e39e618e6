/* Permanent delete (C10) of a conversation that every feature has touched:
 * texts with attachments, the after-hours reply and alert, a note, tags,
 * regarding and read marks, a scheduled text, a bulk copy, an invitation,
 * a call with its voicemail and transcript. Afterwards no row points at it
 * and none of its bytes is left in the store. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#define PATIENT "+14155550123"
#define OTHER "+14155550124"

/* Each feature writes its own marker into the conversation; the scan looks
 * for every one. (The bulk message's text and the after-hours reply are the
 * practice's, kept with the bulk and the settings: only their copies here
 * go, which the row counts check.) */
static const char *const secrets[] = {
        "inbound-secret-q1",     "picture-q2.png",
        "reply-secret-q4",       "file-q5.pdf",
        "file-bytes-q6",         "note-secret-q7",
        "sched-secret-q8",       "https://media.example/vm-q11.wav",
        "transcript-secret-q12", "https://media.example/mms-q13.jpg",
};

typedef test_world world;

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

/* Closed all day, every day but Sunday noon: the fixture's time is closed. */
static void closed_hours(sb_practice *p)
{
	sb_hours h;
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "UTC");
	h.spans[0].day = SB_SUNDAY;
	h.spans[0].open_minute = 12 * 60;
	h.spans[0].close_minute = 13 * 60;
	h.span_count = 1;
	assert_int_equal(sb_hours_set(p, 1, 0, &h), SB_OK);
	sb_after_hours s;
	sb_after_hours_init(&s);
	s.reply_on = 1;
	snprintf(s.reply, sizeof s.reply, "we-are-closed-q10");
	s.alert_on = 1;
	snprintf(s.alert_to, sizeof s.alert_to, "oncall@clinic.example");
	assert_int_equal(sb_after_hours_set(p, 1, &s), SB_OK);
}

static sb_delivery inbound(sb_practice *p, const char *from, const char *body, const char *sid, int with_picture)
{
	sb_attachment_spec pic;
	sb_attachment_spec_init(&pic);
	pic.content_type = "image/jpeg";
	pic.file_name = "picture-q2.png";
	pic.media_ref = "https://media.example/mms-q13.jpg";
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = from;
	m.to = TEST_FRONT;
	m.body = body;
	m.carrier_id = sid;
	m.media = &pic;
	m.media_count = with_picture ? 1 : 0;
	sb_delivery d;
	int rc = sb_sms_receive(&d, p, &m);
	if (rc != SB_OK)
		fail_msg("receive: %s (%s)", sb_strerror(rc), sb_practice_errmsg(p));
	return d;
}

static void reply_with_file(sb_practice *p, sb_id conversation)
{
	sb_attachment_spec file;
	sb_attachment_spec_init(&file);
	file.content_type = "application/pdf";
	file.file_name = "file-q5.pdf";
	file.data = "file-bytes-q6";
	file.size = strlen("file-bytes-q6");
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.conversation = conversation;
	m.body = "reply-secret-q4";
	m.attachments = &file;
	m.attachment_count = 1;
	sb_sent sent;
	assert_int_equal(sb_sms_send(&sent, p, 1, &m), SB_OK);
}

static void scheduled_text(world *w, sb_id contact)
{
	sb_scheduled_sms s;
	sb_scheduled_sms_init(&s);
	s.endpoint = w->front;
	s.contact = contact;
	s.body = "sched-secret-q8";
	s.purpose = SB_PURPOSE_REMINDER;
	s.due_at = w->f->clock.now + 1000;
	sb_id id;
	assert_int_equal(sb_schedule_create(&id, w->f->p, 1, &s), SB_OK);
	w->f->clock.now += 2000;
	sb_pump_report r;
	assert_int_equal(sb_schedule_pump(&r, w->f->p, 10), SB_OK);
	assert_int_equal(r.sent, 1);
}

static void bulk_copy(world *w, sb_id contact)
{
	sb_practice *p = w->f->p;
	assert_int_equal(sb_tag_add(p, 1, SB_TAGS_OF_CONTACT, contact, "Flu"), SB_OK);
	sb_tag tags[4];
	size_t n;
	assert_int_equal(sb_tag_list(tags, &n, p, 1, SB_TAG_CONTACT, 0, 4), SB_OK);
	sb_filter f;
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.tags[f.tag_count++] = tags[0].id;
	sb_id bulk;
	assert_int_equal(sb_bulk_create(&bulk, p, 1, w->front, "bulk-secret-q9", &f), SB_OK);
	sb_bulk b;
	assert_int_equal(sb_bulk_send(&b, p, 1, bulk, 10), SB_OK);
	assert_int_equal(b.pending, 0);
}

static void invitation(world *w, sb_id contact)
{
	sb_practice *p = w->f->p;
	sb_id link, id;
	assert_int_equal(sb_link_base_set(p, 1, "https://clinic.example/s/"), SB_OK);
	assert_int_equal(sb_link_create(&link, p, 1, "Maple-Street", "Maple Street"), SB_OK);
	sb_invitation_settings s;
	sb_invitation_settings_init(&s);
	s.sender = w->front;
	assert_int_equal(sb_invitation_settings_set(p, 1, &s), SB_OK);
	assert_int_equal(sb_invitation_send(&id, p, 1, link, contact), SB_OK);
}

/* Nobody rings for the front desk: the caller goes to voicemail. */
static sb_id voicemail(sb_practice *p)
{
	sb_id call = test_leave_voicemail(p, PATIENT, TEST_FRONT, "CA-q", "https://media.example/vm-q11.wav");
	assert_int_equal(sb_voicemail_transcript(p, SB_ACTOR_SYSTEM, "CA-q", "transcript-secret-q12"), SB_OK);
	sb_call c;
	assert_int_equal(sb_call_get(&c, p, SB_ACTOR_SYSTEM, call), SB_OK);
	assert_int_equal(c.phase, SB_PHASE_ENDED);
	assert_true(c.voicemail_item > 0);
	return call;
}

/* Rows anywhere that still name the conversation or one of its items: its
 * items are the newest, from `first_item` on. */
static int64_t leftovers(const char *path, sb_id conversation, sb_id first_item)
{
	static const char *const queries[] = {
	        "SELECT COUNT(*) FROM sb_conversation WHERE id = %1$lld",
	        "SELECT COUNT(*) FROM sb_item WHERE conversation_id = %1$lld OR id >= "
	        "%2$lld",
	        "SELECT COUNT(*) FROM sb_attachment WHERE item_id >= %2$lld",
	        "SELECT COUNT(*) FROM sb_read_mark WHERE conversation_id = %1$lld",
	        "SELECT COUNT(*) FROM sb_regarding WHERE conversation_id = %1$lld",
	        "SELECT COUNT(*) FROM sb_conversation_tag WHERE conversation_id = %1$lld",
	        "SELECT COUNT(*) FROM sb_after_hours WHERE conversation_id = %1$lld",
	        "SELECT COUNT(*) FROM sb_alert WHERE after_hours_id NOT IN (SELECT id "
	        "FROM sb_after_hours)",
	        "SELECT COUNT(*) FROM sb_schedule WHERE item_id >= %2$lld",
	        "SELECT COUNT(*) FROM sb_bulk_recipient WHERE item_id >= %2$lld",
	        "SELECT COUNT(*) FROM sb_invitation WHERE sms_item_id >= %2$lld",
	        "SELECT COUNT(*) FROM sb_call WHERE conversation_id = %1$lld",
	        "SELECT COUNT(*) FROM sb_call_leg WHERE call_id NOT IN (SELECT id FROM "
	        "sb_call)",
	        "SELECT COUNT(*) FROM sb_call_event WHERE call_id NOT IN (SELECT id FROM "
	        "sb_call)",
	};
	int64_t total = 0;
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, queries[i], (long long)conversation, (long long)first_item);
		int64_t n = test_value(path, sql);
		if (n != 0)
			print_message("left: %s -> %lld\n", sql, (long long)n);
		total += n;
	}
	return total;
}

static void test_delete_after_every_feature(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	closed_hours(p);
	/* Another patient's conversation first: it keeps everything. */
	sb_delivery other = inbound(p, OTHER, "other-keep-q0", "SM-q0", 0);
	sb_delivery d = inbound(p, PATIENT, "inbound-secret-q1", "SM-q1", 1);
	reply_with_file(p, d.conversation_id);
	sb_id note, guardian;
	assert_int_equal(sb_note_add(&note, p, 1, d.conversation_id, "note-secret-q7"), SB_OK);
	assert_int_equal(sb_tag_add(p, 1, SB_TAGS_OF_CONVERSATION, d.conversation_id, "Urgent"), SB_OK);
	assert_int_equal(sb_contact_create(&guardian, p, 1, "Guardian"), SB_OK);
	assert_int_equal(sb_conversation_regarding_add(p, 1, d.conversation_id, guardian), SB_OK);
	assert_int_equal(sb_conversation_mark_read(p, 2, d.conversation_id), SB_OK);
	scheduled_text(w, d.contact_id);
	bulk_copy(w, d.contact_id);
	invitation(w, d.contact_id);
	sb_id call = voicemail(p);
	for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
		if (!test_store_contains(w->f->path, secrets[i]))
			fail_msg("the setup did not store \"%s\"", secrets[i]);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_after_hours"), 2);

	assert_int_equal(sb_conversation_delete(p, 1, d.conversation_id), SB_OK);

	for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
		if (test_store_contains(w->f->path, secrets[i]))
			fail_msg("\"%s\" survived the delete", secrets[i]);
	assert_int_equal(leftovers(w->f->path, d.conversation_id, d.item_id), 0);
	sb_call c;
	test_expect_error(p, sb_call_get(&c, p, SB_ACTOR_SYSTEM, call), SB_ENOTFOUND, "no such call");
	/* The other conversation, the contact, the bulk and the invitation stay. */
	sb_conversation kept;
	assert_int_equal(sb_conversation_get(&kept, p, 1, other.conversation_id), SB_OK);
	assert_true(test_store_contains(w->f->path, "other-keep-q0"));
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_after_hours"), 1);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_alert"), 1);
	sb_contact k;
	assert_int_equal(sb_contact_get(&k, p, 1, d.contact_id), SB_OK);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_bulk_recipient"), 1);
	assert_true(test_store_contains(w->f->path, "bulk-secret-q9"));
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_invitation"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_delete_after_every_feature, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
