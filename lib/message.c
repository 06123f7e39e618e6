/* Texts in and out: inbound ingestion, the outbox and the carrier, status
 * reports, and what a body costs in SMS segments. */
#include "notify_internal.h"
#include "access.h"
#include "hours_internal.h"
#include "phi.h"
#include "routing.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int sb_inbound_sms_init(sb_inbound_sms *sms)
{
	if (!sms)
		return SB_EINVAL;
	memset(sms, 0, sizeof *sms);
	sms->version = SB_INBOUND_SMS_VERSION;
	return SB_OK;
}

int sb_outbound_sms_init(sb_outbound_sms *sms)
{
	if (!sms)
		return SB_EINVAL;
	memset(sms, 0, sizeof *sms);
	sms->version = SB_OUTBOUND_SMS_VERSION;
	return SB_OK;
}

/* --- segments --- */

/* GSM 03.38: the basic set beyond printable ASCII, and the extension set
 * (two septets each). ASCII letters, digits and most punctuation are basic. */
static const uint32_t gsm_basic[] = {0xA3, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, 0xD8, 0xF8, 0xC5, 0xE5,
                                     0x394, 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0xC6, 0xE6,
                                     0xDF, 0xC9, 0xA4, 0xA1, 0xC4, 0xD6, 0xD1, 0xDC, 0xA7, 0xBF, 0xE4, 0xF6,
                                     0xF1, 0xFC, 0xE0};
static const char gsm_extension_ascii[] = "^{}\\[~]|\f";

/* Septets of code point c in GSM-7: 1, 2, or 0 when it has none. */
static int gsm_septets(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')
		return 1; /* most of any text, answered first */
	if (c == '\n' || c == '\r')
		return 1;
	if (c < 0x80 && c != 0 && strchr(gsm_extension_ascii, (int)c))
		return 2;
	if (c >= 0x20 && c < 0x7f)
		return c == '`' ? 0 : 1;
	if (c == 0x20AC) /* euro sign */
		return 2;
	for (size_t i = 0; i < sizeof gsm_basic / sizeof gsm_basic[0]; i++)
		if (gsm_basic[i] == c)
			return 1;
	return 0;
}

/* Parts a message of these unit costs splits into, never splitting one character. */
static int count_parts(const uint32_t *cps, size_t n, int gsm, int single, int part)
{
	int total = 0, parts = 1, fill = 0;
	for (size_t i = 0; i < n; i++)
		total += gsm ? gsm_septets(cps[i]) : (cps[i] > 0xFFFF ? 2 : 1);
	if (total == 0)
		return 0;
	if (total <= single)
		return 1;
	for (size_t i = 0; i < n; i++) {
		int cost = gsm ? gsm_septets(cps[i]) : (cps[i] > 0xFFFF ? 2 : 1);
		if (fill + cost > part) {
			parts++;
			fill = 0;
		}
		fill += cost;
	}
	return parts;
}

/* Decode UTF-8 (already validated) into code points. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		unsigned char b = s[i];
		int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
		uint32_t c = extra ? b & (0x3F >> extra) : b;
		for (int k = 1; k <= extra; k++)
			c = (c << 6) | (s[i + (size_t)k] & 0x3F);
		out[n] = c;
		i += (size_t)extra + 1;
	}
	return n;
}

int sb_sms_segments(int *out_segments, int *out_encoding, const char *body)
{
	if (!out_segments || !out_encoding || !body)
		return SB_EINVAL;
	size_t len = strlen(body);
	*out_segments = 0;
	*out_encoding = SB_SMS_GSM7;
	if (!sb_utf8_valid(body, len))
		return SB_EUTF8;
	uint32_t *cps = malloc((len + 1) * sizeof *cps);
	if (!cps)
		return SB_ENOMEM;
	size_t n = decode((const unsigned char *)body, len, cps);
	int gsm = 1;
	for (size_t i = 0; gsm && i < n; i++)
		gsm = gsm_septets(cps[i]) > 0;
	*out_encoding = gsm ? SB_SMS_GSM7 : SB_SMS_UCS2;
	*out_segments = gsm ? count_parts(cps, n, 1, 160, 153) : count_parts(cps, n, 0, 70, 67);
	free(cps);
	return SB_OK;
}

static int segments_of(const char *body)
{
	int segments = 0, encoding;
	return sb_sms_segments(&segments, &encoding, body) == SB_OK ? segments : 0;
}

/* --- inbound --- */

static int check_carrier_id(sb_practice *p, const char *id)
{
	int rc = sb_check_text(p, id, SB_CARRIER_ID_MAX - 1, "carrier_id");
	return rc == SB_OK && !id[0] ? sb_fail(p, SB_EINVAL, "carrier_id is empty") : rc;
}

/* Body and attachments of a text: something to carry, within the limits. */
static int check_content(sb_practice *p, const char *body, const sb_attachment_spec *specs, size_t n, size_t more)
{
	int rc = sb_check_text(p, body, SB_SMS_BODY_MAX, "body");
	if (rc == SB_OK && n + more > SB_ATTACHMENTS_MAX)
		rc = sb_fail(p, SB_ETOOBIG, "a message has at most %u attachments", SB_ATTACHMENTS_MAX);
	if (rc == SB_OK)
		rc = sb_attachments_check(p, specs, n);
	if (rc == SB_OK && !body[0] && n + more == 0)
		rc = sb_fail(p, SB_EINVAL, "a text needs a body or an attachment");
	return rc;
}

/* A closed period the text opened (A2), and when it was taken. */
typedef struct after_hours {
	sb_id event;
	int64_t now;
} after_hours;

typedef struct inbound {
	const sb_inbound_sms *m;
	sb_pair *pair;  /* the sender's end is set; the business number is found in the transaction */
	sb_delivery *out;
	after_hours *closed;
} inbound;

static int receive_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	const inbound *in = arg;
	const sb_inbound_sms *m = in->m;
	int64_t at = m->received_at ? m->received_at : now;
	int rc = sb_pair_by_number(p, in->pair, m->to); /* in the transaction: one lock for the whole event */
	if (rc == SB_OK)
		rc = sb_conversation_touch(p, in->pair, 1, at, in->out);
	sb_item_row row = {.conversation = in->out->conversation_id, .kind = SB_ITEM_MESSAGE,
	                   .direction = SB_DIRECTION_INBOUND, .status = SB_STATUS_RECEIVED, .at = at,
	                   .author = SB_ACTOR_SYSTEM, .text = m->body, .carrier_id = m->carrier_id,
	                   .segments = segments_of(m->body), .attachments = (int)m->media_count};
	if (rc == SB_OK)
		rc = sb_item_insert(p, &row, item);
	if (rc == SB_ENOTFOUND)
		return SB_ECONFLICT; /* the carrier id is taken: the first delivery answers */
	in->out->item_id = *item;
	if (rc == SB_OK)
		rc = sb_attachments_store(p, *item, m->media, m->media_count, NULL, 0, now);
	if (rc == SB_OK)
		rc = sb_notice_for_item(p, &row, *item);
	in->closed->now = now;
	return rc == SB_OK ? sb_after_hours_note(p, in->out->conversation_id, in->pair->endpoint, *item, now,
	                                         &in->closed->event)
	                   : rc;
}

int sb_sms_receive(sb_delivery *out, sb_practice *p, const sb_inbound_sms *m)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !m)
		return sb_fail(p, SB_EINVAL, "out and sms are required");
	memset(out, 0, sizeof *out);
	if (m->version != SB_INBOUND_SMS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_inbound_sms version %u is not %u", m->version, SB_INBOUND_SMS_VERSION);
	sb_pair pair;
	after_hours closed = {0, 0};
	inbound in = {m, &pair, out, &closed};
	if ((rc = check_carrier_id(p, m->carrier_id)) != SB_OK ||
	    (rc = check_content(p, m->body, m->media, m->media_count, 0)) != SB_OK)
		return rc;
	if (m->received_at < 0)
		return sb_fail(p, SB_EINVAL, "received_at is negative");
	if ((rc = sb_pair_external(p, &pair, m->from, "the sender")) != SB_OK)
		return rc;
	rc = sb_deliver_once(p, out, SB_ITEM_MESSAGE, SB_DIRECTION_INBOUND, m->carrier_id, SB_ACTOR_SYSTEM,
	                     "message.receive", receive_body, &in, "receiving a text");
	if (rc == SB_OK && !out->duplicate && closed.event) /* the text is stored whatever the dispatch meets */
		sb_after_hours_dispatch(p, closed.event, out->conversation_id, closed.now);
	return rc;
}

/* --- outbound --- */

/* A message on its way: where it goes and what it says. */
typedef struct outgoing {
	const sb_outbound_sms *m;
	sb_pair pair;
	sb_id actor;
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	const char *body;
	sb_sent *out;
} outgoing;

/* The first phone number of a contact, as the external end. */
static int contact_number(sb_practice *p, sb_pair *pair, sb_id contact)
{
	char number[SB_ADDRESS_MAX + 1];
	int rc = sb_contact_first_address(p, contact, SB_ADDRESS_PHONE, number);
	if (rc == SB_OK && !number[0])
		rc = sb_fail(p, SB_ESTATE, "the contact has no phone number");
	if (rc == SB_OK)
		rc = sb_pair_external(p, pair, number, "the contact's number");
	sodium_memzero(number, sizeof number);
	return rc;
}

/* Exactly one recipient, and the business number it is texted from (C3, C14). */
static int resolve(sb_practice *p, outgoing *o)
{
	const sb_outbound_sms *m = o->m;
	int given = (m->conversation != 0) + (m->contact != 0) + (m->to != NULL);
	if (given != 1)
		return sb_fail(p, SB_EINVAL, "give exactly one of conversation, contact or to");
	if (m->conversation) {
		int rc = sb_pair_of_conversation(p, &o->pair, m->conversation);
		if (rc == SB_OK && m->endpoint && m->endpoint != o->pair.endpoint)
			return sb_fail(p, SB_EINVAL, "the endpoint is not the conversation's business number");
		if (rc == SB_OK && o->pair.retired)
			return sb_fail(p, SB_ESTATE, "the conversation's business number is retired");
		return rc;
	}
	if (!m->endpoint)
		return sb_fail(p, SB_EINVAL, "the business number to send from (endpoint) is required");
	int rc = sb_pair_by_endpoint(p, &o->pair, m->endpoint);
	if (rc == SB_OK)
		rc = m->contact ? contact_number(p, &o->pair, m->contact) : sb_pair_external(p, &o->pair, m->to, "the recipient");
	return rc;
}

/* The recipient, and whether texts reach it (C14): a conversation a call
 * started with, say, a Jamaican number can be called back, not texted. */
static int resolve_textable(sb_practice *p, outgoing *o)
{
	int rc = resolve(p, o);
	return rc == SB_OK ? sb_check_textable(p, o->pair.external, "the recipient") : rc;
}

static int make_key(sb_practice *p, outgoing *o)
{
	if (o->m->idempotency_key) {
		int rc = sb_check_text(p, o->m->idempotency_key, SB_IDEMPOTENCY_KEY_MAX, "idempotency_key");
		if (rc == SB_OK && !o->m->idempotency_key[0])
			rc = sb_fail(p, SB_EINVAL, "idempotency_key is empty");
		if (rc == SB_OK)
			memcpy(o->key, o->m->idempotency_key, strlen(o->m->idempotency_key) + 1);
		return rc;
	}
	unsigned char r[16];
	randombytes_buf(r, sizeof r);
	memcpy(o->key, "sb-", 3);
	sodium_bin2hex(o->key + 3, sizeof o->key - 3, r, sizeof r);
	return SB_OK;
}

static int outbox_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	const outgoing *o = arg;
	sb_delivery d = {0};
	int rc = sb_conversation_touch(p, &o->pair, 0, now, &d);
	sb_item_row row = {.conversation = d.conversation_id, .kind = SB_ITEM_MESSAGE, .direction = SB_DIRECTION_OUTBOUND,
	                   .status = SB_STATUS_QUEUED, .at = now, .author = o->actor, .text = o->body,
	                   .idempotency_key = o->key, .segments = o->out->segments,
	                   .attachments = (int)(o->m->attachment_count + o->m->library_count)};
	if (rc == SB_OK)
		rc = sb_item_insert(p, &row, item);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ECONFLICT, "the idempotency key was used meanwhile");
	o->out->conversation_id = d.conversation_id;
	o->out->item_id = *item;
	return rc == SB_OK ? sb_attachments_store(p, *item, o->m->attachments, o->m->attachment_count, o->m->library,
	                                          o->m->library_count, now)
	                   : rc;
}

/* Record what the carrier said; the message is stored either way. */
static int record_outcome(sb_practice *p, sb_id item, int carrier_rc, const char *carrier_id)
{
	int rc = carrier_rc == SB_OK
	                 ? sb_db_exec(p->db,
	                              "UPDATE sb_item SET carrier_id = NULLIF(?, ''), error = NULL, attempt_at = 0 WHERE id = ?",
	                              "ti", carrier_id, item)
	                 : sb_db_exec(p->db, "UPDATE sb_item SET status = ?, error = ?, attempt_at = 0 WHERE id = ?", "iti",
	                              (int64_t)SB_STATUS_FAILED, "the carrier refused the message", item);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "recording the carrier's answer");
}

/* Hand a stored message to the carrier (after its commit: C16). */
static int dispatch(sb_practice *p, const sb_pair *pair, const char *body, const char *key, sb_sent *out)
{
	char **media;
	size_t n;
	int rc = sb_media_refs(p, out->item_id, &media, &n);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading attachments to send");
	sb_sms sms = {1, pair->business_number, pair->external, body, (const char *const *)media, n, key};
	char carrier_id[SB_CARRIER_ID_MAX] = "";
	int sent = sb_carrier_invoke(p, send_sms, &sms, carrier_id, sizeof carrier_id);
	sb_media_refs_free(media, n);
	carrier_id[SB_CARRIER_ID_MAX - 1] = '\0';
	if (sent == SB_OK && !sb_utf8_valid(carrier_id, strlen(carrier_id)))
		carrier_id[0] = '\0';
	rc = record_outcome(p, out->item_id, sent, carrier_id);
	out->status = sent == SB_OK ? SB_STATUS_QUEUED : SB_STATUS_FAILED;
	if (sent == SB_OK)
		memcpy(out->carrier_id, carrier_id, sizeof carrier_id);
	return sent != SB_OK ? sent : rc;
}

static int report_duplicate(sb_practice *p, sb_id item, sb_sent *out);

/* What a message stored under a key asks of a send with that key. */
typedef enum stored_as { SENT_ALREADY, FAILED_SEND, UNANSWERED } stored_as;

/* A message already stored under this key: SB_ENOTFOUND when none. */
static int by_key(sb_practice *p, const char *key, sb_id *item, stored_as *as)
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st,
	                   "SELECT id, CASE WHEN status = ? THEN ? WHEN status = ? AND COALESCE(attempt_at, occurred_at) > 0"
	                   " THEN ? ELSE ? END FROM sb_item WHERE practice_id = ? AND idempotency_key = ?",
	                   "iiiiiit", (int64_t)SB_STATUS_FAILED, (int64_t)FAILED_SEND, (int64_t)SB_STATUS_QUEUED,
	                   (int64_t)UNANSWERED, (int64_t)SENT_ALREADY, p->id, key);
	if (rc != SB_OK)
		return rc;
	*item = sb_db_col_int(p->db, st, 0);
	*as = (stored_as)sb_db_col_int(p->db, st, 1);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* The key's message again: a failed one is sent again; an unanswered one
 * too once it is stale (else it may be on its way: a duplicate); any other
 * is reported as the duplicate it is. */
static int resend_or_report(sb_practice *p, sb_id actor, sb_id item, stored_as as, sb_sent *out)
{
	if (as == FAILED_SEND)
		return sb_sms_retry(out, p, actor, item);
	int rc = as == UNANSWERED ? sb_sms_retry(out, p, actor, item) : SB_ESTATE;
	return rc == SB_ESTATE ? report_duplicate(p, item, out) : rc;
}

static int check_outbound(sb_practice *p, const sb_outbound_sms *m, outgoing *o)
{
	if (m->version != SB_OUTBOUND_SMS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_outbound_sms version %u is not %u", m->version, SB_OUTBOUND_SMS_VERSION);
	if (m->library_count && !m->library)
		return sb_fail(p, SB_EINVAL, "library ids are missing");
	int rc = check_content(p, m->body, m->attachments, m->attachment_count, m->library_count);
	if (rc == SB_OK)
		rc = make_key(p, o);
	return rc == SB_OK ? resolve_textable(p, o) : rc;
}

int sb_sms_send(sb_sent *out, sb_practice *p, sb_id actor, const sb_outbound_sms *m)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out || !m)
		return sb_fail(p, SB_EINVAL, "out and sms are required");
	memset(out, 0, sizeof *out);
	outgoing o = {.m = m, .actor = actor, .body = m->body, .out = out};
	if ((rc = sb_check_actor(p, actor)) != SB_OK || (rc = check_outbound(p, m, &o)) != SB_OK ||
	    (rc = sb_access_endpoint(p, actor, o.pair.endpoint)) != SB_OK)
		return rc;
	if (!p->carrier.send_sms) /* refuse before storing: nothing could ever send it */
		return sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	sb_id item = 0;
	stored_as as = SENT_ALREADY;
	rc = by_key(p, o.key, &item, &as);
	if (rc == SB_OK)
		return resend_or_report(p, actor, item, as, out);
	if (rc != SB_ENOTFOUND)
		return sb_fail_store(p, rc, "sending a text");
	out->segments = segments_of(m->body);
	rc = sb_transact(p, actor, "message.send", "item", &item, outbox_body, &o, "sending a text");
	if (rc == SB_ECONFLICT && by_key(p, o.key, &item, &as) == SB_OK)
		return report_duplicate(p, item, out);
	if (rc != SB_OK) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	return dispatch(p, &o.pair, m->body, o.key, out);
}

/* --- retry and reports --- */

/* A stored outbound message: its body, key and where it stands. */
typedef struct stored {
	sb_id conversation;
	int status, segments;
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	char carrier_id[SB_CARRIER_ID_MAX];
	char body[SB_SMS_BODY_MAX + 1];
} stored;

static int load_outbound(sb_practice *p, sb_id item, stored *s)
{
	sb_stmt *st;
	size_t n = 0, len;
	memset(s, 0, sizeof *s);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT conversation_id, status, segments, idempotency_key, carrier_id, body FROM sb_item"
	                   " WHERE id = ? AND practice_id = ? AND kind = ? AND direction = ?",
	                   "iiii", item, p->id, (int64_t)SB_ITEM_MESSAGE, (int64_t)SB_DIRECTION_OUTBOUND);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such outbound message in this practice");
	if (rc != SB_OK)
		return rc;
	s->conversation = sb_db_col_int(p->db, st, 0);
	s->status = (int)sb_db_col_int(p->db, st, 1);
	s->segments = (int)sb_db_col_int(p->db, st, 2);
	const char *t = sb_db_col_text(p->db, st, 3, &n);
	sb_copy_text(s->key, sizeof s->key, t ? t : "", t ? n : 0);
	t = sb_db_col_text(p->db, st, 4, &n);
	sb_copy_text(s->carrier_id, sizeof s->carrier_id, t ? t : "", t ? n : 0);
	const void *b = sb_db_col_blob(p->db, st, 5, &n);
	if (b)
		rc = sb_phi_unpack(p, s->body, sizeof s->body, &len, "sb_item", "body", item, b, n);
	sb_db_release(p->db, st);
	return rc;
}

static void fill_sent(sb_sent *out, sb_id item, const stored *s)
{
	out->conversation_id = s->conversation;
	out->item_id = item;
	out->status = s->status;
	out->segments = s->segments;
	memcpy(out->carrier_id, s->carrier_id, sizeof out->carrier_id);
}

static int report_duplicate(sb_practice *p, sb_id item, sb_sent *out)
{
	stored *s = malloc(sizeof *s);
	int rc = s ? load_outbound(p, item, s) : sb_fail(p, SB_ENOMEM, "out of memory");
	if (rc == SB_OK) {
		fill_sent(out, item, s);
		out->duplicate = 1;
	}
	if (s)
		sodium_memzero(s, sizeof *s);
	free(s);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "sending a text");
}

typedef struct retry {
	stored *s;
	sb_pair *pair;
} retry;

/* Claim a failed or stale message for one more try: only one retry wins. */
static int retry_body(sb_practice *p, sb_id *item, const void *arg, int64_t now)
{
	const retry *r = arg;
	int rc = load_outbound(p, *item, r->s);
	int unsent = r->s->status == SB_STATUS_QUEUED;
	if (rc == SB_OK && r->s->status != SB_STATUS_FAILED && !unsent)
		return sb_fail(p, SB_ESTATE, "only a failed or stale message can be sent again");
	if (rc == SB_OK)
		rc = sb_pair_of_conversation(p, r->pair, r->s->conversation);
	if (rc == SB_OK && r->pair->retired)
		return sb_fail(p, SB_ESTATE, "the conversation's business number is retired");
	if (rc != SB_OK)
		return rc;
	rc = sb_db_one_int(p->db, NULL,
	                   "UPDATE sb_item SET status = ?, attempt_at = ? WHERE id = ? AND (status = ? OR (status = ?"
	                   " AND COALESCE(attempt_at, occurred_at) BETWEEN 1 AND ?)) RETURNING id",
	                   "iiiiii", (int64_t)SB_STATUS_QUEUED, now, *item, (int64_t)SB_STATUS_FAILED,
	                   (int64_t)SB_STATUS_QUEUED, now - SB_OUTBOX_STALE_MS);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, SB_ESTATE, unsent ? "only a failed or stale message can be sent again: this one is not stale"
		                                    : "the message is being sent again already");
	r->s->status = SB_STATUS_QUEUED;
	return rc;
}

int sb_sms_retry(sb_sent *out, sb_practice *p, sb_id actor, sb_id item)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_access_gate(p, actor, item, sb_access_item);
	if (rc != SB_OK)
		return rc;
	if (!p->carrier.send_sms)
		return sb_fail(p, SB_ENOTSUP, "the carrier has no send_sms callback");
	stored *s = malloc(sizeof *s);
	sb_pair pair;
	if (!s)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	retry r = {s, &pair};
	rc = sb_transact(p, actor, "message.retry", "item", &item, retry_body, &r, "sending a text again");
	if (rc == SB_OK) {
		fill_sent(out, item, s);
		rc = dispatch(p, &pair, s->body, s->key, out);
	}
	sodium_memzero(s, sizeof *s);
	free(s);
	return rc;
}

static int check_status(sb_practice *p, int status, const char *error)
{
	if (status < SB_STATUS_SENT || status > SB_STATUS_FAILED)
		return sb_fail(p, SB_EINVAL, "a report says SENT, DELIVERED, UNDELIVERED or FAILED");
	return error ? sb_check_text(p, error, SB_ITEM_ERROR_MAX, "error") : SB_OK;
}

int sb_sms_status(int *out_applied, sb_practice *p, const char *carrier_id, int status, const char *error)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!out_applied)
		return sb_fail(p, SB_EINVAL, "out_applied is required");
	*out_applied = 0;
	if ((rc = check_carrier_id(p, carrier_id)) != SB_OK || (rc = check_status(p, status, error)) != SB_OK)
		return rc;
	/* Forward only: QUEUED and SENT move on, to a later state; the three ends never change. */
	rc = sb_db_one_int(p->db, NULL,
	                   "UPDATE sb_item SET status = ?, error = ? WHERE practice_id = ? AND direction = ?"
	                   " AND carrier_id = ? AND status IN (?, ?) AND status < ? RETURNING id",
	                   "itiitiii", (int64_t)status, error, p->id, (int64_t)SB_DIRECTION_OUTBOUND, carrier_id,
	                   (int64_t)SB_STATUS_QUEUED, (int64_t)SB_STATUS_SENT, (int64_t)status);
	*out_applied = rc == SB_OK;
	if (rc == SB_ENOTFOUND) {
		sb_id item, conversation;
		int kind;
		rc = sb_item_by_carrier(p, SB_DIRECTION_OUTBOUND, carrier_id, &item, &conversation, &kind);
		if (rc == SB_ENOTFOUND)
			return sb_fail(p, rc, "no outbound message has this carrier id");
	}
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "recording a status report");
}
