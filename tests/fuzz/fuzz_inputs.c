/* Fuzz target: what a patient's browser or a teammate's form sends that is
 * not a text: filter criteria (as raw struct fields, signed and huge),
 * filter names, link slugs, invitation tokens, sign-up mobiles and
 * verification codes. The first byte picks the entry point; the rest is
 * its input. Every answer is a named code with a detail of this call, and
 * a wrong token or code never opens anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_world.h"

static int64_t take(const unsigned char **d, size_t *n)
{
	int64_t v = 0;
	for (int i = 0; i < 8 && *n; i++, (*d)++, (*n)--)
		v = (int64_t)((uint64_t)v << 8 | **d);
	return v;
}

static void filters(sb_practice *p, const unsigned char *d, size_t n)
{
	sb_filter f;
	sb_filter_init(&f, (int)(take(&d, &n) % 4));
	f.mailbox = (int)take(&d, &n);
	f.mailbox_owner = take(&d, &n) % 8;
	f.endpoint = take(&d, &n) % 4;
	f.conversation_kind = (int)take(&d, &n);
	f.unread = (int)take(&d, &n);
	f.status = (int)take(&d, &n);
	f.invitation = (int)take(&d, &n);
	f.account = (int)take(&d, &n);
	f.tag_match = (int)take(&d, &n);
	f.tag_count = (size_t)take(&d, &n) % (SB_FILTER_TAGS_MAX + 2);
	for (size_t i = 0; i < SB_FILTER_TAGS_MAX; i++)
		f.tags[i] = take(&d, &n) % 16;
	sb_mailbox_entry box[4];
	sb_id ids[4];
	size_t count = 0;
	sb_id actor = (sb_id)(n % 5); /* the system, teammates, a stranger */
	fuzz_check(p, sb_filter_conversations(box, &count, p, actor, &f, 0, 0, 4), NULL);
	fuzz_check(p, sb_filter_contacts(ids, &count, p, actor, &f, 0, 4), NULL);
	char name[80];
	size_t len = n < sizeof name - 1 ? n : sizeof name - 1;
	memcpy(name, d, len);
	name[len] = '\0';
	sb_id saved;
	int rc = sb_filter_save(&saved, p, 1, 0, name, &f);
	fuzz_check(p, rc, NULL);
	if (rc == SB_OK)
		fuzz_check(p, sb_filter_delete(p, 1, saved), NULL);
}

static void slugs(sb_practice *p, const char *text)
{
	sb_id link;
	int rc = sb_link_create(&link, p, 1, text, "Fuzz link");
	fuzz_check(p, rc, NULL);
	if (rc == SB_OK && *text) { /* "" asks for a generated slug */
		sb_id found;
		rc = sb_link_find(&found, p, 1, text);
		if (rc != SB_OK || found != link)
			abort(); /* a slug that was taken finds its link */
	} else {
		sb_id found;
		fuzz_check(p, sb_link_find(&found, p, 1, text), NULL);
	}
}

static void tokens(sb_practice *p, const char *raw)
{
	fuzz_marked token;
	fuzz_mark(&token, raw);
	const char *text = token.text;
	sb_id link = 0;
	int rc = sb_invitation_open(&link, p, text);
	if (rc == SB_OK)
		abort(); /* no invitation was ever sent: no token opens */
	fuzz_check(p, rc, token.canary);
	sb_signup s;
	sb_signup_init(&s);
	s.token = text;
	s.mobile = "+14155550161";
	sb_id signup = 0;
	rc = sb_signup_start(&signup, p, &s);
	if (rc == SB_OK)
		abort();
	fuzz_check(p, rc, token.canary);
	free(token.text);
}

static void codes(sb_practice *p, const fuzz_fields *f)
{
	sb_signup s;
	sb_signup_init(&s);
	fuzz_marked mobile;
	fuzz_mark(&mobile, f->f[1]);
	s.slug = f->f[0];
	s.mobile = f->len[1] % 2 ? mobile.text : f->f[1]; /* as typed, or marked */
	s.email = f->len[2] ? f->f[2] : NULL;
	s.name = f->len[3] ? f->f[3] : NULL;
	sb_id signup = 0;
	int rc = sb_signup_start(&signup, p, &s);
	fuzz_check(p, rc, mobile.canary);
	free(mobile.text);
	sb_signup_result r;
	rc = sb_signup_verify(&r, p, signup ? signup : 1, f->f[4]);
	fuzz_check(p, rc, NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size == 0)
		return 0;
	sb_practice *p = fuzz_practice();
	static int once;
	if (!once++) { /* a link base, a sender, one link to sign up through */
		sb_invitation_settings s;
		sb_invitation_settings_init(&s);
		sb_id front = 0, link = 0;
		if (sb_link_base_set(p, 1, "https://clinic.example/s/") != SB_OK ||
		    sb_business_number_find(&front, p, 1, FUZZ_FRONT) != SB_OK ||
		    sb_link_create(&link, p, 1, "maple-street", "Maple") != SB_OK)
			abort();
		s.sender = front;
		if (sb_invitation_settings_set(p, 1, &s) != SB_OK)
			abort();
	}
	fuzz_fields f;
	fuzz_split(&f, data + 1, size - 1);
	switch (data[0] % 4) {
	case 0: filters(p, data + 1, size - 1); break;
	case 1: slugs(p, f.f[0]); break;
	case 2: tokens(p, f.f[0]); break;
	default: codes(p, &f); break;
	}
	fuzz_fields_free(&f);
	return 0;
}
