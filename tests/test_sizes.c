/*
 * Text-taking calls (issue 26), each kind of text (message bodies in and
 * out and scheduled, notes, contact, teammate and team names and renames,
 * labels, filter names, chats, tags), with 0 bytes, 1 MiB and 100 MiB of
 * text, invalid UTF-8, a NUL inside (a C string ends there: the text is its
 * prefix) and SQL metacharacters: a specific error with the store as it
 * was, or the text stored exactly and read back. Nothing else.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024u * 1024u)
#define SQL_TEXT "Robert'); DROP TABLE sb_item; -- \" OR 1=1 /* %_ \\"

typedef test_world world;

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

/* One call under test: stores `text`, and reads it back into `out`. */
typedef struct api {
	const char *name;
	int (*write)(world *w, const char *text, sb_id *id);
	int (*read)(world *w, sb_id id, char *out, size_t room); /* NULL: no read of the text */
	int empty_rc; /* what "" gives: SB_OK (stored) or the call's error */
} api;

static int sms_in(world *w, const char *text, sb_id *id)
{
	static int n;
	char sid[32];
	snprintf(sid, sizeof sid, "SM-size-%d", ++n);
	sb_delivery d;
	int rc = test_receive(w->f->p, &d, "+14155550123", TEST_FRONT, text, sid);
	*id = d.item_id;
	return rc;
}

static int item_text(world *w, sb_id id, char *out, size_t room)
{
	sb_item it;
	int rc = sb_item_get(&it, w->f->p, 1, id);
	snprintf(out, room, "%s", it.text);
	return rc;
}

static int note(world *w, const char *text, sb_id *id)
{
	sb_delivery d;
	int rc = test_receive(w->f->p, &d, "+14155550124", TEST_FRONT, "hi", "SM-note-host");
	if (rc == SB_OK)
		rc = sb_note_add(id, w->f->p, 1, d.conversation_id, text);
	return rc;
}

static int sms_out(world *w, const char *text, sb_id *id)
{
	sb_outbound_sms m;
	sb_outbound_sms_init(&m);
	m.endpoint = w->front;
	m.to = "+14155550125";
	m.body = text;
	sb_sent s;
	int rc = sb_sms_send(&s, w->f->p, 1, &m);
	*id = s.item_id;
	return rc;
}

static int contact(world *w, const char *text, sb_id *id)
{
	return sb_contact_create(id, w->f->p, 1, text);
}

static int contact_name(world *w, sb_id id, char *out, size_t room)
{
	sb_contact c;
	int rc = sb_contact_get(&c, w->f->p, 1, id);
	snprintf(out, room, "%s", c.name);
	return rc;
}

static int team(world *w, const char *text, sb_id *id)
{
	return sb_team_create(id, w->f->p, 1, text);
}

static int team_name(world *w, sb_id id, char *out, size_t room)
{
	sb_team t;
	int rc = sb_team_get(&t, w->f->p, 1, id);
	snprintf(out, room, "%s", t.name);
	return rc;
}

static int chat(world *w, const char *text, sb_id *id)
{
	sb_id chat = 0, other = 2;
	int rc = sb_chat_direct(&chat, w->f->p, 1, &other, 1);
	return rc == SB_OK ? sb_chat_post(id, w->f->p, 1, chat, text, NULL) : rc;
}

static int chat_text(world *w, sb_id id, char *out, size_t room)
{
	sb_id chat = 0, other = 2;
	sb_chat_message m[1];
	size_t n = 0;
	int rc = sb_chat_direct(&chat, w->f->p, 1, &other, 1);
	if (rc == SB_OK)
		rc = sb_chat_messages(m, &n, w->f->p, 1, chat, id + 1, 1);
	snprintf(out, room, "%s", n ? m[0].text : "");
	return rc;
}

/* Tags on one contact: the few this test stores fit SB_TAGS_PER_OBJECT_MAX. */
static int tag(world *w, const char *text, sb_id *id)
{
	static sb_id contact;
	int rc = contact ? SB_OK : sb_contact_create(&contact, w->f->p, 1, "Tagged");
	*id = contact;
	return rc == SB_OK ? sb_tag_add(w->f->p, 1, SB_TAGS_OF_CONTACT, contact, text) : rc;
}

static int tag_name(world *w, sb_id id, char *out, size_t room)
{
	sb_tag tags[SB_TAGS_PER_OBJECT_MAX];
	size_t n = 0;
	int rc = sb_tags_of(tags, &n, w->f->p, 1, SB_TAGS_OF_CONTACT, id);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) /* the tags come by name: the one just added, if it is there */
		if (strncmp(tags[i].name, "before", 6) == 0 || strncmp(tags[i].name, SQL_TEXT, strlen(SQL_TEXT)) == 0)
			snprintf(out, room, "%s", tags[i].name);
	return rc;
}

static int number_label(world *w, const char *text, sb_id *id)
{
	static int n;
	char number[32];
	snprintf(number, sizeof number, "+1415555%04d", 300 + ++n % 600);
	return sb_business_number_create(id, w->f->p, 1, number, text);
}

static int endpoint_label(world *w, sb_id id, char *out, size_t room)
{
	sb_endpoint e;
	int rc = sb_endpoint_get(&e, w->f->p, 1, id);
	snprintf(out, room, "%s", e.label);
	return rc;
}

static int link_label(world *w, const char *text, sb_id *id)
{
	return sb_link_create(id, w->f->p, 1, NULL, text);
}

static int filter_name(world *w, const char *text, sb_id *id)
{
	sb_filter f;
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	return sb_filter_save(id, w->f->p, 1, 1, text, &f);
}

static int saved_filter_name(world *w, sb_id id, char *out, size_t room)
{
	sb_saved_filter f;
	int rc = sb_filter_get(&f, w->f->p, 1, id);
	snprintf(out, room, "%s", f.name);
	return rc;
}

static int teammate_name(world *w, const char *text, sb_id *id)
{
	sb_teammate_spec s;
	sb_teammate_spec_init(&s);
	s.name = text;
	return sb_teammate_add(id, w->f->p, 1, &s);
}

static int teammate_read(world *w, sb_id id, char *out, size_t room)
{
	sb_teammate t;
	int rc = sb_teammate_get(&t, w->f->p, 1, id);
	snprintf(out, room, "%s", t.name);
	return rc;
}

static int contact_saved(world *w, const char *text, sb_id *id)
{
	static sb_id c;
	int rc = c ? SB_OK : sb_contact_create(&c, w->f->p, 1, "Unsaved");
	*id = c;
	return rc == SB_OK ? sb_contact_save(w->f->p, 1, c, text) : rc;
}

static int team_renamed(world *w, const char *text, sb_id *id)
{
	static sb_id t;
	int rc = t ? SB_OK : sb_team_create(&t, w->f->p, 1, "To rename");
	*id = t;
	return rc == SB_OK ? sb_team_rename(w->f->p, 1, t, text) : rc;
}

static int scheduled(world *w, const char *text, sb_id *id)
{
	sb_scheduled_sms s;
	sb_scheduled_sms_init(&s);
	s.endpoint = w->front;
	s.to = "+14155550126";
	s.body = text;
	s.due_at = w->f->clock.now + 3600000;
	return sb_schedule_create(id, w->f->p, 1, &s);
}

static const api apis[] = {
    {"sb_teammate_add name", teammate_name, teammate_read, SB_EINVAL},
    {"sb_contact_save", contact_saved, contact_name, SB_EINVAL},
    {"sb_team_rename", team_renamed, team_name, SB_EINVAL},
    {"sb_schedule_create body", scheduled, NULL, SB_EINVAL},
    {"sb_business_number_create label", number_label, endpoint_label, SB_EINVAL},
    {"sb_link_create label", link_label, endpoint_label, SB_EINVAL},
    {"sb_filter_save name", filter_name, saved_filter_name, SB_EINVAL},
    {"sb_sms_receive body", sms_in, item_text, SB_EINVAL},
    {"sb_sms_send body", sms_out, item_text, SB_EINVAL},
    {"sb_note_add", note, item_text, SB_EINVAL},
    {"sb_contact_create", contact, contact_name, SB_EINVAL},
    {"sb_team_create", team, team_name, SB_EINVAL},
    {"sb_chat_post", chat, chat_text, SB_EINVAL},
    {"sb_tag_add", tag, tag_name, SB_EINVAL},
};

static void expect_refused(world *w, const api *a, const char *text, int want, const char *what)
{
	sb_id id = 0;
	char *before = test_dump(w->f->path);
	int rc = a->write(w, text, &id);
	if (rc != want)
		fail_msg("%s with %s: %s, not %s (%s)", a->name, what, sb_strerror(rc), sb_strerror(want),
		         sb_practice_errmsg(w->f->p));
	test_expect_dump(w->f->path, before);
}

static void expect_stored(world *w, const api *a, const char *text, const char *what)
{
	sb_id id = 0;
	int rc = a->write(w, text, &id);
	if (rc != SB_OK)
		fail_msg("%s with %s: %s (%s)", a->name, what, sb_strerror(rc), sb_practice_errmsg(w->f->p));
	char back[256];
	if (!a->read) /* kept sealed until it is sent: stored is what can be seen */
		return;
	assert_int_equal(a->read(w, id, back, sizeof back), SB_OK);
	if (strcmp(back, text) != 0)
		fail_msg("%s with %s: stored \"%s\"", a->name, what, back);
}

static void test_sizes_and_bytes(void **state)
{
	world *w = *state;
	/* The fixture's preamble rows (a conversation for notes, a chat) first,
	 * so that each refusal below is compared with a settled store. */
	sb_id id;
	for (size_t i = 0; i < sizeof apis / sizeof *apis; i++)
		apis[i].write(w, "warm up", &id);
	char *mib = malloc(MIB + 1), *huge = malloc(100 * MIB + 1);
	assert_non_null(mib);
	assert_non_null(huge);
	memset(mib, 'a', MIB);
	mib[MIB] = '\0';
	memset(huge, 'b', 100 * MIB);
	huge[100 * MIB] = '\0';
	for (size_t i = 0; i < sizeof apis / sizeof *apis; i++) {
		const api *a = &apis[i];
		if (a->empty_rc == SB_OK)
			expect_stored(w, a, "", "0 bytes");
		else
			expect_refused(w, a, "", a->empty_rc, "0 bytes");
		expect_refused(w, a, mib, SB_ETOOBIG, "1 MiB");
		expect_refused(w, a, huge, SB_ETOOBIG, "100 MiB");
		expect_refused(w, a, "caf\xc3", SB_EUTF8, "a cut sequence");
		expect_refused(w, a, "\xed\xa0\x80 surrogate", SB_EUTF8, "a surrogate");
		expect_refused(w, a, "\xc0\xaf overlong", SB_EUTF8, "an overlong form");
		/* each call's own variant: names must be unique, across a rename and a create too */
		char with_nul[32], sql[96];
		int n = snprintf(with_nul, sizeof with_nul, "before %zu", i);
		memcpy(with_nul + n + 1, "after", 6); /* "before N\0after": C ends the string at the NUL */
		snprintf(sql, sizeof sql, "%s %zu", SQL_TEXT, i);
		expect_stored(w, a, with_nul, "a NUL inside");
		expect_stored(w, a, sql, "SQL metacharacters");
	}
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_item WHERE id > 0") > 0, 1); /* intact */
	free(mib);
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sizes_and_bytes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
