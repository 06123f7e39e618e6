/* Filters (T9): conversation and contact criteria, checking, saving, and
 * who may read and change a saved filter. */
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

/* A tag's id by kind and name. */
static sb_id tag_id(world *w, int kind, const char *name)
{
	sb_tag tags[64];
	size_t n;
	assert_int_equal(sb_tag_list(tags, &n, w->f->p, 2, kind, 0, 64), SB_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(tags[i].name, name) == 0)
			return tags[i].id;
	fail_msg("no tag %s", name);
	return 0;
}

static sb_delivery text_in(world *w, const char *from, const char *to, const char *cid)
{
	sb_delivery d;
	w->f->clock.now += 1000;
	assert_int_equal(test_receive(w->f->p, &d, from, to, "hello", cid), SB_OK);
	return d;
}

/* The conversation ids a filter picks for `actor`, comma-joined, newest first. */
static const char *picks(world *w, sb_id actor, const sb_filter *f)
{
	static char joined[256];
	sb_mailbox_entry e[SB_FILTER_PAGE_MAX];
	size_t n;
	int rc = sb_filter_conversations(e, &n, w->f->p, actor, f, 0, 0, SB_FILTER_PAGE_MAX);
	if (rc != SB_OK)
		fail_msg("filter: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	joined[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%lld", i ? "," : "",
		         (long long)e[i].conversation_id);
	return joined;
}

/* The contact ids a contact filter picks, comma-joined, in id order. */
static const char *contacts(world *w, const sb_filter *f)
{
	static char joined[256];
	sb_id ids[SB_FILTER_PAGE_MAX];
	size_t n;
	int rc = sb_filter_contacts(ids, &n, w->f->p, 3, f, 0, SB_FILTER_PAGE_MAX);
	if (rc != SB_OK)
		fail_msg("filter: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	joined[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%lld", i ? "," : "", (long long)ids[i]);
	return joined;
}

/* "a,b,c,d", leaving out trailing zeroes. */
static const char *ids4(sb_id a, sb_id b, sb_id c, sb_id d)
{
	static char s[96];
	sb_id all[] = {a, b, c, d};
	s[0] = '\0';
	for (int i = 0; i < 4 && all[i]; i++)
		snprintf(s + strlen(s), sizeof s - strlen(s), "%s%lld", i ? "," : "", (long long)all[i]);
	return s;
}

static const char *ids(sb_id a, sb_id b, sb_id c)
{
	return ids4(a, b, c, 0);
}

/* Every conversation criterion, alone and together, for the acting teammate. */
static void test_conversation_criteria(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_delivery a = text_in(w, "+14155550121", TEST_FRONT, "SM-f1");
	sb_delivery b = text_in(w, "+14155550122", TEST_FRONT, "SM-f2");
	sb_delivery c = text_in(w, "+14155550123", TEST_BILLING, "SM-f3");
	sb_delivery d = text_in(w, "+14155550124", TEST_BILLING, "SM-f4");
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, a.conversation_id, "Refill"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, a.conversation_id, "Urgent"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, c.conversation_id, "Urgent"), SB_OK);
	assert_int_equal(sb_conversation_assign(p, 2, b.conversation_id, SB_MAILBOX_TEAMMATE, 3), SB_OK);
	assert_int_equal(sb_conversation_close(p, 2, d.conversation_id), SB_OK);
	assert_int_equal(sb_conversation_mark_read(p, 2, c.conversation_id), SB_OK);
	sb_id refill = tag_id(w, SB_TAG_CONVERSATION, "Refill"), urgent = tag_id(w, SB_TAG_CONVERSATION, "Urgent");

	sb_filter f;
	assert_int_equal(sb_filter_init(&f, SB_FILTER_CONVERSATIONS), SB_OK);
	/* Nothing set: everything, newest activity first (closing is activity). */
	assert_string_equal(picks(w, 4, &f), ids4(d.conversation_id, c.conversation_id, b.conversation_id, a.conversation_id));
	f.status = SB_FILTER_STATUS_OPEN;
	assert_string_equal(picks(w, 4, &f), ids(c.conversation_id, b.conversation_id, a.conversation_id));
	f.status = SB_FILTER_STATUS_CLOSED;
	assert_string_equal(picks(w, 4, &f), ids(d.conversation_id, 0, 0));
	f.status = SB_FILTER_STATUS_ANY;
	f.mailbox = SB_MAILBOX_INBOX;
	assert_string_equal(picks(w, 4, &f), ids(c.conversation_id, a.conversation_id, 0));
	/* "Assigned to me": whoever runs the filter. */
	f.mailbox = SB_MAILBOX_TEAMMATE;
	assert_string_equal(picks(w, 3, &f), ids(b.conversation_id, 0, 0));
	assert_string_equal(picks(w, 4, &f), "");
	f.mailbox_owner = 3;
	assert_string_equal(picks(w, 4, &f), ids(b.conversation_id, 0, 0));
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.endpoint = w->billing;
	assert_string_equal(picks(w, 4, &f), ids(d.conversation_id, c.conversation_id, 0));
	f.unread = 1;
	assert_string_equal(picks(w, 4, &f), ids(d.conversation_id, 0, 0));
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.conversation_kind = SB_CONVERSATION_SECURE;
	assert_string_equal(picks(w, 4, &f), "");
	f.conversation_kind = SB_CONVERSATION_STANDARD;
	f.tag_count = 2;
	f.tags[0] = urgent;
	f.tags[1] = refill;
	assert_string_equal(picks(w, 4, &f), ids(a.conversation_id, 0, 0));
	f.tag_match = SB_FILTER_TAGS_ANY;
	assert_string_equal(picks(w, 4, &f), ids(c.conversation_id, a.conversation_id, 0));
	/* Paging: the cursor is the last entry's activity and id. */
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	sb_mailbox_entry e[2];
	size_t n;
	assert_int_equal(sb_filter_conversations(e, &n, p, 4, &f, 0, 0, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sb_filter_conversations(e, &n, p, 4, &f, e[1].last_item_at, e[1].conversation_id, 2), SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].conversation_id, b.conversation_id);
	assert_int_equal(e[1].conversation_id, a.conversation_id);
	/* T8: a filter never shows what the actor does not see. */
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->billing, SB_OWNER_TEAMMATE, 5), SB_OK);
	f.endpoint = w->billing;
	assert_string_equal(picks(w, 4, &f), "");
	assert_string_equal(picks(w, 5, &f), ids(d.conversation_id, c.conversation_id, 0));
	f.endpoint = 0;
	assert_string_equal(picks(w, 4, &f), ids(b.conversation_id, a.conversation_id, 0));
}

/* Contact criteria: tags, invitation state and accounts. */
static void test_contact_criteria(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_id c[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(sb_contact_create(&c[i], p, 2, "Pat"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, c[0], "Flu shot"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, c[0], "Diabetes"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, c[1], "Flu shot"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, c[2], "Diabetes"), SB_OK);
	/* Invitations and accounts are kept on the contact by the links issue. */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE sb_contact SET invitation = 1 WHERE id = %lld", (long long)c[1]);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	snprintf(sql, sizeof sql, "UPDATE sb_contact SET invitation = 3 WHERE id = %lld", (long long)c[2]);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	snprintf(sql, sizeof sql, "UPDATE sb_contact SET invitation = 2, has_account = 1 WHERE id = %lld", (long long)c[3]);
	assert_int_equal(test_sql(w->f->path, sql), 0);
	sb_id flu = tag_id(w, SB_TAG_CONTACT, "Flu shot"), diabetes = tag_id(w, SB_TAG_CONTACT, "Diabetes");

	sb_filter f;
	assert_int_equal(sb_filter_init(&f, SB_FILTER_CONTACTS), SB_OK);
	assert_string_equal(contacts(w, &f), ids4(c[0], c[1], c[2], c[3]));
	f.tag_count = 1;
	f.tags[0] = flu;
	assert_string_equal(contacts(w, &f), ids(c[0], c[1], 0));
	f.tag_count = 2;
	f.tags[1] = diabetes;
	assert_string_equal(contacts(w, &f), ids(c[0], 0, 0));
	f.tag_match = SB_FILTER_TAGS_ANY;
	assert_string_equal(contacts(w, &f), ids(c[0], c[1], c[2]));
	f.invitation = SB_FILTER_NEVER_INVITED;
	assert_string_equal(contacts(w, &f), ids(c[0], 0, 0));
	f.invitation = SB_FILTER_INVITED_NOT_ACCEPTED;
	assert_string_equal(contacts(w, &f), ids(c[1], c[2], 0));
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.invitation = SB_FILTER_INVITATION_ACCEPTED;
	assert_string_equal(contacts(w, &f), ids(c[3], 0, 0));
	f.invitation = SB_FILTER_INVITATION_ANY;
	f.account = SB_FILTER_HAS_ACCOUNT;
	assert_string_equal(contacts(w, &f), ids(c[3], 0, 0));
	f.account = SB_FILTER_NO_ACCOUNT;
	assert_string_equal(contacts(w, &f), ids(c[0], c[1], c[2]));
	/* Paging by contact id, also when a tag drives the query. */
	sb_id page[2];
	size_t n;
	f.account = SB_FILTER_ACCOUNT_ANY;
	f.tag_count = 1;
	f.tags[0] = flu;
	assert_int_equal(sb_filter_contacts(page, &n, p, 3, &f, c[0], 2), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(page[0], c[1]);
}

/* A bad filter gets a clear error, whether run or saved, and saves nothing. */
static void test_checked_whole(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_delivery a = text_in(w, "+14155550131", TEST_FRONT, "SM-g1");
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, a.conversation_id, "Refill"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONTACT, a.contact_id, "VIP"), SB_OK);
	sb_id refill = tag_id(w, SB_TAG_CONVERSATION, "Refill"), vip = tag_id(w, SB_TAG_CONTACT, "VIP");
	sb_mailbox_entry e[4];
	sb_id out[4];
	size_t n;
	sb_filter f;
	sb_id id;
	char *before = test_dump(w->f->path);
#define BAD_CONVERSATIONS(rc, phrase)                                                                     \
	do {                                                                                              \
		test_expect_error(p, sb_filter_conversations(e, &n, p, 2, &f, 0, 0, 4), rc, phrase);       \
		test_expect_error(p, sb_filter_save(&id, p, 2, 2, "Mine", &f), rc, phrase);                \
		sb_filter_init(&f, SB_FILTER_CONVERSATIONS);                                              \
	} while (0)
	assert_int_equal(sb_filter_init(&f, 7), SB_EINVAL);
	BAD_CONVERSATIONS(SB_EINVAL, "filter kind 7");
	f.version = 2;
	BAD_CONVERSATIONS(SB_EVERSION, "version");
	f.mailbox = 9;
	BAD_CONVERSATIONS(SB_EINVAL, "mailbox 9");
	f.mailbox = SB_MAILBOX_TEAM;
	BAD_CONVERSATIONS(SB_EINVAL, "mailbox_owner");
	f.mailbox = SB_MAILBOX_INBOX;
	f.mailbox_owner = 3;
	BAD_CONVERSATIONS(SB_EINVAL, "mailbox_owner");
	f.mailbox = SB_MAILBOX_CLOSED;
	f.status = SB_FILTER_STATUS_OPEN;
	BAD_CONVERSATIONS(SB_EINVAL, "contradict");
	f.mailbox = SB_MAILBOX_INBOX;
	f.status = SB_FILTER_STATUS_CLOSED;
	BAD_CONVERSATIONS(SB_EINVAL, "contradict");
	f.status = 5;
	BAD_CONVERSATIONS(SB_EINVAL, "status 5");
	f.unread = 2;
	BAD_CONVERSATIONS(SB_EINVAL, "unread");
	f.conversation_kind = 9;
	BAD_CONVERSATIONS(SB_EINVAL, "conversation_kind 9");
	f.endpoint = -1;
	BAD_CONVERSATIONS(SB_EINVAL, "endpoint");
	f.invitation = SB_FILTER_NEVER_INVITED;
	BAD_CONVERSATIONS(SB_EINVAL, "contact criteria");
	f.tag_match = 4;
	BAD_CONVERSATIONS(SB_EINVAL, "tag_match");
	f.tag_count = SB_FILTER_TAGS_MAX + 1;
	BAD_CONVERSATIONS(SB_ETOOBIG, "at most");
	f.tag_count = 2;
	f.tags[0] = f.tags[1] = refill;
	BAD_CONVERSATIONS(SB_EINVAL, "repeats");
	f.tag_count = 1;
	f.tags[0] = 0;
	BAD_CONVERSATIONS(SB_EINVAL, "not a tag id");
	/* References: in this practice, and tags of the right set. */
	f.tag_count = 1;
	f.tags[0] = vip;
	BAD_CONVERSATIONS(SB_ENOTFOUND, "not a conversation tag");
	f.endpoint = 999;
	BAD_CONVERSATIONS(SB_ENOTFOUND, "endpoint");
	f.mailbox = SB_MAILBOX_TEAMMATE;
	f.mailbox_owner = 999;
	BAD_CONVERSATIONS(SB_ENOTFOUND, "teammate");
	f.mailbox = SB_MAILBOX_TEAM;
	f.mailbox_owner = 999;
	BAD_CONVERSATIONS(SB_ENOTFOUND, "team");
	/* A contact filter is not a conversation filter, and the other way. */
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	test_expect_error(p, sb_filter_conversations(e, &n, p, 2, &f, 0, 0, 4), SB_EINVAL, "contact filter cannot");
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, 0, 4), SB_EINVAL, "conversation filter cannot");
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.unread = 1;
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, 0, 4), SB_EINVAL, "conversation criteria");
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.invitation = 8;
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, 0, 4), SB_EINVAL, "invitation 8");
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.account = 8;
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, 0, 4), SB_EINVAL, "account 8");
	sb_filter_init(&f, SB_FILTER_CONTACTS);
	f.tag_count = 1;
	f.tags[0] = refill;
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, 0, 4), SB_ENOTFOUND, "not a contact tag");
	/* The run's own arguments. */
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.mailbox = SB_MAILBOX_TEAMMATE;
	test_expect_error(p, sb_filter_conversations(e, &n, p, SB_ACTOR_SYSTEM, &f, 0, 0, 4), SB_EINVAL, "the system");
	test_expect_error(p, sb_filter_conversations(e, &n, p, 2, NULL, 0, 0, 4), SB_EINVAL, "required");
	test_expect_error(p, sb_filter_conversations(e, &n, p, 2, &f, -1, 0, 4), SB_EINVAL, "before_at");
	test_expect_error(p, sb_filter_conversations(e, &n, p, 2, &f, 0, 0, 0), SB_EINVAL, "max");
	test_expect_error(p, sb_filter_contacts(NULL, &n, p, 2, &f, 0, 4), SB_EINVAL, "required");
	test_expect_error(p, sb_filter_contacts(out, &n, p, 2, &f, -3, 4), SB_EINVAL, "after_id");
	test_expect_error(p, sb_filter_init(NULL, SB_FILTER_CONTACTS), SB_EINVAL, "");
	test_expect_dump(w->f->path, before);
	test_expect_error(p, sb_filter_conversations(e, &n, p, 99, &f, 0, 0, 4), SB_EDENIED, "not an active");
#undef BAD_CONVERSATIONS
}

static sb_id save(world *w, sb_id actor, sb_id owner, const char *name)
{
	sb_filter f;
	sb_id id = 0;
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.unread = 1;
	int rc = sb_filter_save(&id, w->f->p, actor, owner, name, &f);
	if (rc != SB_OK)
		fail_msg("save: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	return id;
}

static size_t listed(world *w, sb_id actor, sb_id teammate)
{
	sb_saved_filter list[8];
	size_t n = 0;
	int rc = sb_filter_list(list, &n, w->f->p, actor, teammate, 0, 8);
	if (rc != SB_OK)
		fail_msg("list: %s (%s)", sb_strerror(rc), sb_practice_errmsg(w->f->p));
	return n;
}

/* Personal and shared filters; admins may change everyone's (T1). */
static void test_saved(void **state)
{
	world *w = *state;
	sb_practice *p = w->f->p;
	sb_id mine = save(w, 3, 3, "My unread");
	sb_id shared = save(w, 3, 0, "Unread");
	sb_id others = save(w, 4, 4, "Unread");  /* names are per owner */
	sb_saved_filter s;
	assert_int_equal(sb_filter_get(&s, p, 3, mine), SB_OK);
	assert_string_equal(s.name, "My unread");
	assert_int_equal(s.owner, 3);
	assert_int_equal(s.created_by, 3);
	assert_int_equal(s.filter.kind, SB_FILTER_CONVERSATIONS);
	assert_int_equal(s.filter.unread, 1);
	assert_int_equal(s.filter.mailbox, SB_FILTER_ANY_MAILBOX);
	/* Lists: the shared ones and one's own. */
	assert_int_equal(listed(w, 3, 0), 2);
	assert_int_equal(listed(w, 4, 0), 2);
	assert_int_equal(listed(w, 5, 0), 1);
	assert_int_equal(listed(w, SB_ACTOR_SYSTEM, 0), 1);
	assert_int_equal(listed(w, 1, 3), 2);  /* an admin reads anyone's */
	int64_t head = test_value(w->f->path, "SELECT MAX(seq) FROM sb_audit");
	sb_saved_filter list[2];
	size_t n;
	test_expect_error(p, sb_filter_list(list, &n, p, 4, 3, 0, 2), SB_EDENIED, "only admins");
	test_expect_error(p, sb_filter_get(&s, p, 4, mine), SB_EDENIED, "only admins");
	assert_int_equal(sb_filter_get(&s, p, 4, shared), SB_OK);
	/* Changes: one's own, a shared one by who saved it, anything by an admin. */
	sb_filter f;
	sb_filter_init(&f, SB_FILTER_CONVERSATIONS);
	f.status = SB_FILTER_STATUS_CLOSED;
	test_expect_error(p, sb_filter_update(p, 4, mine, "Stolen", &f), SB_EDENIED, "only admins");
	test_expect_error(p, sb_filter_update(p, 4, shared, "Stolen", &f), SB_EDENIED, "only admins");
	test_expect_error(p, sb_filter_delete(p, 4, mine), SB_EDENIED, "only admins");
	test_expect_error(p, sb_filter_save(&f.endpoint, p, 4, 3, "For you", &f), SB_EDENIED, "only admins");
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'") >= 5, 1);
	assert_true(test_value(w->f->path, "SELECT MAX(seq) FROM sb_audit") >= head + 5);
	assert_int_equal(sb_filter_update(p, 3, shared, "Closed", &f), SB_OK);
	assert_int_equal(sb_filter_update(p, 1, mine, "Closed ones", &f), SB_OK);
	assert_int_equal(sb_filter_get(&s, p, 3, mine), SB_OK);
	assert_string_equal(s.name, "Closed ones");
	assert_int_equal(s.filter.status, SB_FILTER_STATUS_CLOSED);
	assert_int_equal(s.filter.unread, 0);
	assert_int_equal(s.owner, 3);
	/* Names are unique per owner, without case; saving a bad one stores nothing. */
	assert_int_equal(sb_filter_update(p, 3, mine, "CLOSED ONES", &f), SB_OK); /* its own name */
	sb_id dup;
	test_expect_error(p, sb_filter_save(&dup, p, 4, 0, "closed", &f), SB_ECONFLICT, "that name");
	assert_int_equal(dup, 0);
	assert_int_equal(sb_filter_update(p, 1, others, "closed ones", &f), SB_OK); /* another owner's names */
	save(w, 3, 3, "Second");
	test_expect_error(p, sb_filter_update(p, 3, mine, "second", &f), SB_ECONFLICT, "that name");
	test_expect_error(p, sb_filter_save(&dup, p, 1, 99, "x", &f), SB_ENOTFOUND, "teammate");
	test_expect_error(p, sb_filter_save(&dup, p, 1, -2, "x", &f), SB_EINVAL, "owner");
	test_expect_error(p, sb_filter_save(&dup, p, 3, 3, "", &f), SB_EINVAL, "empty");
	test_expect_error(p, sb_filter_save(&dup, p, 3, 3, "\xc3", &f), SB_EUTF8, "filter name");
	test_expect_error(p, sb_filter_save(NULL, p, 3, 3, "x", &f), SB_EINVAL, "out_id");
	/* An admin saves for a teammate; deletes are final. */
	sb_id given = save(w, 1, 5, "From the admin");
	assert_int_equal(sb_filter_get(&s, p, 5, given), SB_OK);
	assert_int_equal(s.created_by, 1);
	assert_int_equal(sb_filter_delete(p, 5, given), SB_OK);
	test_expect_error(p, sb_filter_get(&s, p, 5, given), SB_ENOTFOUND, "no such filter");
	test_expect_error(p, sb_filter_delete(p, 5, given), SB_ENOTFOUND, "no such filter");
	assert_int_equal(sb_filter_delete(p, 1, shared), SB_OK);
	assert_int_equal(listed(w, 5, 0), 0);
	assert_true(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'filter.save'") >= 5);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'filter.delete'"), 2);
	/* Tags come back in their order. */
	sb_delivery d = text_in(w, "+14155550141", TEST_FRONT, "SM-h1");
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, d.conversation_id, "A"), SB_OK);
	assert_int_equal(sb_tag_add(p, 2, SB_TAGS_OF_CONVERSATION, d.conversation_id, "B"), SB_OK);
	f.tag_count = 2;
	f.tags[0] = tag_id(w, SB_TAG_CONVERSATION, "B");
	f.tags[1] = tag_id(w, SB_TAG_CONVERSATION, "A");
	sb_id tagged = 0;
	assert_int_equal(sb_filter_save(&tagged, p, 6, 6, "Tagged", &f), SB_OK);
	assert_int_equal(sb_filter_get(&s, p, 6, tagged), SB_OK);
	assert_int_equal(s.filter.tag_count, 2);
	assert_int_equal(s.filter.tags[0], f.tags[0]);
	assert_int_equal(s.filter.tags[1], f.tags[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conversation_criteria, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_criteria, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checked_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saved, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
