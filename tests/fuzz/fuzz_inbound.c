/* Fuzz target: an inbound text and status reports, as a carrier could send
 * them. Fields (split at 0x1F): from, to, body, carrier id, media refs
 * (split at 0x1E), a status report's carrier id, its status digit, its
 * error text. Every answer is a named code with a detail that holds no
 * body; what is stored reads back; a redelivery changes nothing; status
 * only moves forward. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_world.h"

static size_t media_refs(char *s, const char **refs, sb_attachment_spec *specs, size_t max)
{
	size_t n = 0;
	for (char *at = s; *s && n < max; at = NULL) {
		char *tok = strtok(at, "\x1e");
		if (!tok)
			break;
		sb_attachment_spec_init(&specs[n]);
		specs[n].content_type = "image/jpeg";
		specs[n].file_name = "photo.jpg";
		specs[n].media_ref = tok;
		refs[n++] = tok;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	sb_practice *p = fuzz_practice();
	fuzz_fields f;
	fuzz_split(&f, data, size);
	sb_attachment_spec specs[12];
	const char *refs[12];
	sb_inbound_sms m;
	sb_inbound_sms_init(&m);
	m.from = f.f[0];
	m.to = f.len[1] ? f.f[1] : FUZZ_FRONT;
	fuzz_marked body;
	fuzz_mark(&body, f.f[2]);
	m.body = body.text;
	m.carrier_id = f.f[3];
	m.media = specs;
	m.media_count = media_refs(f.f[4], refs, specs, 12);
	sb_delivery d, again;
	int rc = sb_sms_receive(&d, p, &m);
	fuzz_check(p, rc, body.canary);
	if (rc == SB_OK && !d.duplicate) {
		sb_item it;
		if (sb_item_get(&it, p, SB_ACTOR_SYSTEM, d.item_id) != SB_OK || strcmp(it.text, m.body) != 0)
			abort(); /* what was taken is what is stored */
		if (sb_sms_receive(&again, p, &m) != SB_OK || !again.duplicate || again.item_id != d.item_id)
			abort(); /* C15: a redelivery is the first delivery */
	}
	int applied = 0, status = f.len[6] ? f.f[6][0] - '0' : 0;
	rc = sb_sms_status(&applied, p, f.f[5], status, f.len[7] ? f.f[7] : NULL);
	fuzz_check(p, rc, NULL);
	free(body.text);
	fuzz_fields_free(&f);
	return 0;
}
