/* Twilio's webhooks in: the signature first, then the form, then the
 * library's event, then the reply (TwiML for the leg being answered). */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchboard/call.h"
#include "switchboard/errors.h"
#include "twilio_internal.h"
#include "utf8.h"

/* ---- form encoding ---- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode s[0..len) ('+' is a space, %XX a byte) into a new string. */
static int decode(char **out, const char *s, size_t len)
{
	char *d = malloc(len + 1), *w = d;
	if (!d)
		return SB_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			*w++ = ' ';
		} else if (s[i] != '%') {
			*w++ = s[i];
		} else if (i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0 &&
		           (s[i + 1] != '0' || s[i + 2] != '0')) {
			*w++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			free(d);
			return SB_EWEBHOOK; /* a bad escape, or an encoded NUL */
		}
	}
	*w = '\0';
	*out = d;
	return SB_OK;
}

void tw_form_free(tw_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

int tw_form_parse(tw_form *out, const char *s, size_t len)
{
	memset(out, 0, sizeof *out);
	if (len && memchr(s, '\0', len))
		return SB_EWEBHOOK;
	size_t pairs = 1;
	for (size_t i = 0; i < len; i++)
		pairs += s[i] == '&';
	out->v = calloc(pairs, sizeof *out->v);
	if (!out->v)
		return SB_ENOMEM;
	int rc = SB_OK;
	for (size_t i = 0; rc == SB_OK && i < len;) {
		size_t end = i;
		while (end < len && s[end] != '&')
			end++;
		const char *eq = memchr(s + i, '=', end - i);
		if (end == i || !eq || eq == s + i) {
			rc = SB_EWEBHOOK; /* an empty pair, a pair without '=' or without a name */
			break;
		}
		tw_param *p = &out->v[out->n];
		rc = decode(&p->name, s + i, (size_t)(eq - (s + i)));
		if (rc == SB_OK) {
			rc = decode(&p->value, eq + 1, (size_t)(s + end - eq - 1));
			out->n++;
		}
		i = end + 1;
		if (rc == SB_OK && end + 1 == len)
			rc = SB_EWEBHOOK; /* a trailing '&' */
	}
	if (rc != SB_OK)
		tw_form_free(out);
	return rc;
}

const char *tw_form_get(const tw_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return f->v[i].value;
	return NULL;
}

/* ---- the signature ---- */

static int by_name_then_value(const void *a, const void *b)
{
	const tw_param *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

/* The signature's shape: base64 of a 20-byte digest is 28 characters. */
#define SIGNATURE_LEN 28

static int signature_matches(sb_twilio *tw, const char *url, tw_form *form, const char *signature)
{
	qsort(form->v, form->n, sizeof *form->v, by_name_then_value);
	tw_buf data = {0};
	tw_buf_str(&data, url);
	for (size_t i = 0; i < form->n; i++) {
		tw_buf_str(&data, form->v[i].name);
		tw_buf_str(&data, form->v[i].value);
	}
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	int ok = !data.oom && HMAC(EVP_sha1(), tw->auth_token, (int)strlen(tw->auth_token),
	                           (const unsigned char *)(data.p ? data.p : ""), data.len, mac, &mac_len) != NULL;
	ok = ok && EVP_EncodeBlock(b64, mac, (int)mac_len) == SIGNATURE_LEN &&
	     CRYPTO_memcmp(b64, signature, SIGNATURE_LEN) == 0;
	tw_buf_free(&data);
	return ok;
}

static int well_formed_signature(const char *s)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	return s && strlen(s) == SIGNATURE_LEN && strspn(s, alphabet) == SIGNATURE_LEN;
}

/* Size, signature, form: in that order, nothing read before it is trusted. */
static int verified_form(sb_twilio *tw, tw_form *form, const char *url, const char *body, size_t len,
                         const char *signature)
{
	memset(form, 0, sizeof *form);
	if (len > SB_TWILIO_BODY_MAX)
		return tw_fail(tw, SB_ETOOBIG, "the webhook body is %zu bytes, over %u", len, SB_TWILIO_BODY_MAX);
	if (!well_formed_signature(signature))
		return tw_fail(tw, SB_ESIGNATURE, signature ? "the signature is malformed" : "the signature is missing");
	int rc = tw_form_parse(form, body, len);
	if (rc == SB_EWEBHOOK)
		return tw_fail(tw, rc, "the body is not form encoding");
	if (rc != SB_OK)
		return tw_fail(tw, rc, "out of memory");
	if (!signature_matches(tw, url, form, signature)) {
		tw_form_free(form);
		return tw_fail(tw, SB_ESIGNATURE, "the signature does not match");
	}
	return SB_OK;
}

int sb_twilio_verify(sb_twilio *tw, const char *url, const char *body, size_t len, const char *signature)
{
	if (!tw || !url || (!body && len))
		return SB_EINVAL;
	tw_form form;
	int rc = verified_form(tw, &form, url, body ? body : "", len, signature);
	tw_form_free(&form);
	if (rc == SB_OK)
		tw_ok(tw);
	return rc;
}

/* ---- routes ---- */

typedef struct hook {
	sb_twilio *tw;
	sb_practice *p;
	const sb_twilio_request *req;
	tw_form form;
	const char *conf;      /* the conference a leg left (URL ?conf=) */
	sb_twilio_reply *out;
	tw_buf *verbs;         /* the reply's TwiML verbs */
} hook;

static int missing(hook *h, const char *name)
{
	return tw_fail(h->tw, SB_EWEBHOOK, "the webhook has no %s", name);
}

/* A field that must be there. */
static int need(hook *h, const char *name, const char **out)
{
	*out = tw_form_get(&h->form, name);
	return *out && **out ? SB_OK : missing(h, name);
}

static int feed(hook *h, const char *leg, int kind, sb_call_event *ev)
{
	ev->version = SB_CALL_EVENT_VERSION;
	ev->kind = kind;
	ev->leg_id = leg;
	ev->event_id = h->req->idempotency_token;
	return sb_call_feed(&h->out->call_id, h->p, ev);
}

/* Run `kind` on the leg while its commands gather into this reply. */
static int answered_feed(hook *h, const char *leg, int kind, sb_call_event *ev)
{
	tw_answer_begin(h->tw, leg, h->conf);
	int rc = feed(h, leg, kind, ev);
	tw_answer_end(h->tw);
	return rc;
}

/* The reply's verbs: what the leg was told, else what it does by itself. */
static void leg_verbs(hook *h, int rc, int hang_up)
{
	tw_answer *a = &h->tw->answer;
	if (rc == SB_ENOTFOUND || (hang_up && !a->twiml.len))
		tw_buf_str(h->verbs, "<Hangup/>");
	else if (a->twiml.len)
		tw_buf_add(h->verbs, a->twiml.p, a->twiml.len);
	else
		tw_twiml_idle(h->tw, h->verbs, h->conf);
	h->verbs->oom |= a->twiml.oom;
}

static int on_sms(hook *h)
{
	sb_inbound_sms sms;
	sb_inbound_sms_init(&sms);
	const char *sid = tw_form_get(&h->form, "MessageSid");
	if (!sid)
		sid = tw_form_get(&h->form, "SmsMessageSid");
	int rc = need(h, "From", &sms.from);
	if (rc == SB_OK)
		rc = need(h, "To", &sms.to);
	if (rc == SB_OK && !(sid && *sid))
		rc = missing(h, "MessageSid");
	const char *num = tw_form_get(&h->form, "NumMedia");
	char *end = NULL;
	long n = num ? strtol(num, &end, 10) : 0;
	if (rc == SB_OK && num && (end == num || *end || n < 0))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "NumMedia is not a count");
	if (rc == SB_OK && n > (long)SB_ATTACHMENTS_MAX)
		rc = tw_fail(h->tw, SB_ETOOBIG, "%ld media, over %u", n, SB_ATTACHMENTS_MAX);
	sb_attachment_spec media[SB_ATTACHMENTS_MAX];
	char names[SB_ATTACHMENTS_MAX][32];
	for (long i = 0; rc == SB_OK && i < n; i++) {
		char key[48];
		memset(&media[i], 0, sizeof media[i]);
		media[i].version = 1;
		snprintf(key, sizeof key, "MediaUrl%ld", i);
		rc = need(h, key, &media[i].media_ref);
		snprintf(key, sizeof key, "MediaContentType%ld", i);
		if (rc == SB_OK)
			rc = need(h, key, &media[i].content_type);
		snprintf(names[i], sizeof names[i], "media-%ld", i + 1);
		media[i].file_name = names[i];
	}
	if (rc != SB_OK)
		return rc;
	const char *body = tw_form_get(&h->form, "Body");
	sms.body = body ? body : "";
	sms.carrier_id = sid;
	sms.media = n ? media : NULL;
	sms.media_count = (size_t)n;
	h->out->kind = SB_TWILIO_SMS;
	return sb_sms_receive(&h->out->delivery, h->p, &sms);
}

/* Twilio's message status words (docs/design.md has the table); 0: not a
 * change the library records (Twilio still holds the text). */
static int message_status(const char *word, int *out)
{
	static const struct {
		const char *word;
		int status;
	} map[] = {
		{"accepted", 0}, {"scheduled", 0}, {"queued", 0}, {"sending", 0},
		{"sent", SB_STATUS_SENT}, {"delivered", SB_STATUS_DELIVERED}, {"read", SB_STATUS_DELIVERED},
		{"undelivered", SB_STATUS_UNDELIVERED}, {"failed", SB_STATUS_FAILED}, {"canceled", SB_STATUS_FAILED},
		{"partially_delivered", SB_STATUS_DELIVERED},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(word, map[i].word)) {
			*out = map[i].status;
			return 0;
		}
	return -1;
}

static int on_sms_status(hook *h)
{
	const char *sid, *word, *code = tw_form_get(&h->form, "ErrorCode");
	int rc = need(h, "MessageSid", &sid);
	if (rc == SB_OK)
		rc = need(h, "MessageStatus", &word);
	int status = 0;
	if (rc == SB_OK && message_status(word, &status))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "unknown message status word");
	if (rc == SB_OK && code && *code && strspn(code, "0123456789") != strlen(code))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "ErrorCode is not a number");
	h->out->kind = SB_TWILIO_SMS_STATUS;
	if (rc != SB_OK || status == 0)
		return rc;
	char error[64] = "";
	if (code && *code && strcmp(code, "0"))
		snprintf(error, sizeof error, "Twilio error %.12s", code);
	return sb_sms_status(&h->out->applied, h->p, sid, status, error[0] ? error : NULL);
}

static int on_voice(hook *h)
{
	const char *sid, *from, *to;
	int rc = need(h, "CallSid", &sid);
	if (rc == SB_OK)
		rc = need(h, "From", &from);
	if (rc == SB_OK)
		rc = need(h, "To", &to);
	if (rc != SB_OK)
		return rc;
	h->out->kind = SB_TWILIO_CALL;
	tw_answer_begin(h->tw, sid, NULL);
	rc = sb_call_inbound(&h->out->call_id, h->p, from, to, sid);
	tw_answer_end(h->tw);
	if (rc == SB_OK)
		leg_verbs(h, rc, 0);
	else
		tw_buf_str(h->verbs, "<Reject/>"); /* not a call this practice takes */
	return rc;
}

/* Twilio's call status words (docs/design.md has the table). */
static int call_status(const char *word, int *kind, int *reason)
{
	static const struct {
		const char *word;
		int kind, reason;
	} map[] = {
		{"queued", 0, 0}, {"initiated", 0, 0}, {"ringing", SB_LEG_RINGING, 0},
		{"in-progress", SB_LEG_ANSWERED, 0}, {"answered", SB_LEG_ANSWERED, 0},
		{"completed", SB_LEG_HANGUP, 0}, {"canceled", SB_LEG_HANGUP, 0},
		{"busy", SB_LEG_FAILED, SB_FAILED_BUSY}, {"no-answer", SB_LEG_FAILED, SB_FAILED_NO_ANSWER},
		{"failed", SB_LEG_FAILED, SB_FAILED_UNREACHABLE},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(word, map[i].word)) {
			*kind = map[i].kind;
			*reason = map[i].reason;
			return 0;
		}
	return -1;
}

/* Status callbacks: their replies are ignored, so commands go by REST. */
static int on_voice_status(hook *h)
{
	const char *sid, *word;
	int rc = need(h, "CallSid", &sid);
	if (rc == SB_OK)
		rc = need(h, "CallStatus", &word);
	int kind = 0;
	sb_call_event ev = {0};
	if (rc == SB_OK && call_status(word, &kind, &ev.reason))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "unknown call status word");
	h->out->kind = SB_TWILIO_CALL;
	return rc != SB_OK || kind == 0 ? rc : feed(h, sid, kind, &ev);
}

/* An originated leg picked up: a person, or a machine (which counts as no answer). */
static int on_answer(hook *h)
{
	const char *sid, *by = tw_form_get(&h->form, "AnsweredBy");
	int rc = need(h, "CallSid", &sid);
	if (rc != SB_OK)
		return rc;
	int machine = by && (!strncmp(by, "machine", 7) || !strcmp(by, "fax"));
	sb_call_event ev = {0};
	ev.reason = SB_FAILED_NO_ANSWER;
	h->out->kind = SB_TWILIO_CALL;
	rc = answered_feed(h, sid, machine ? SB_LEG_FAILED : SB_LEG_ANSWERED, &ev);
	leg_verbs(h, rc, machine);
	return rc;
}

static int valid_digits(const char *d)
{
	return strspn(d, "0123456789*#") == strlen(d) && strlen(d) < SB_DIGITS_MAX;
}

/* Keys from a <Gather>: the digits, and '#' when it ended the gather. */
static int on_digits(hook *h)
{
	const char *sid, *digits = tw_form_get(&h->form, "Digits"), *fin = tw_form_get(&h->form, "FinishedOnKey");
	int rc = need(h, "CallSid", &sid);
	char keys[SB_DIGITS_MAX + 1];
	snprintf(keys, sizeof keys, "%s%s", digits ? digits : "", fin && !strcmp(fin, "#") ? "#" : "");
	if (rc == SB_OK && (!valid_digits(digits ? digits : "") || (fin && *fin && !valid_digits(fin))))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "Digits holds more than 0-9, * and #");
	h->out->kind = SB_TWILIO_CALL;
	if (rc == SB_OK && keys[0]) {
		sb_call_event ev = {0};
		ev.digits = keys;
		rc = answered_feed(h, sid, SB_LEG_DIGITS, &ev);
	}
	if (rc == SB_OK || rc == SB_ENOTFOUND || rc == SB_ETRANSFER)
		leg_verbs(h, rc, 0);
	return rc;
}

/* A leg left its conference: with '*' while it is still on the line. */
static int on_star(hook *h)
{
	const char *sid, *status = tw_form_get(&h->form, "CallStatus");
	int rc = need(h, "CallSid", &sid);
	h->out->kind = SB_TWILIO_CALL;
	if (rc != SB_OK || (status && strcmp(status, "in-progress")))
		return rc; /* the leg hung up: its status callback tells */
	sb_call_event ev = {0};
	ev.digits = "*";
	rc = answered_feed(h, sid, SB_LEG_DIGITS, &ev);
	if (rc == SB_OK || rc == SB_ENOTFOUND || rc == SB_ETRANSFER)
		leg_verbs(h, rc, 0);
	return rc;
}

static int on_played(hook *h)
{
	const char *sid;
	int rc = need(h, "CallSid", &sid);
	h->out->kind = SB_TWILIO_CALL;
	if (rc != SB_OK)
		return rc;
	sb_call_event ev = {0};
	rc = answered_feed(h, sid, SB_LEG_PLAYED, &ev);
	leg_verbs(h, rc, 0);
	return rc;
}

static int on_idle(hook *h)
{
	const char *sid;
	int rc = need(h, "CallSid", &sid);
	h->out->kind = SB_TWILIO_CALL;
	if (rc == SB_OK)
		tw_twiml_idle(h->tw, h->verbs, h->conf);
	return rc;
}

static int on_recorded(hook *h)
{
	const char *sid, *url = tw_form_get(&h->form, "RecordingUrl"), *secs = tw_form_get(&h->form, "RecordingDuration");
	int rc = need(h, "CallSid", &sid);
	char *end = NULL;
	long s = secs ? strtol(secs, &end, 10) : 0;
	if (rc == SB_OK && secs && (end == secs || *end || s < 0))
		rc = tw_fail(h->tw, SB_EWEBHOOK, "RecordingDuration is not a number of seconds");
	h->out->kind = SB_TWILIO_CALL;
	if (rc != SB_OK)
		return rc;
	sb_call_event ev = {0};
	ev.media_ref = url && *url ? url : NULL;
	ev.duration_ms = (int64_t)s * 1000;
	rc = answered_feed(h, sid, SB_LEG_RECORDED, &ev);
	leg_verbs(h, rc, 0);
	return rc;
}

static int on_transcription(hook *h)
{
	const char *sid, *status = tw_form_get(&h->form, "TranscriptionStatus"), *text;
	int rc = need(h, "CallSid", &sid);
	h->out->kind = SB_TWILIO_TRANSCRIPT;
	if (rc != SB_OK || (status && strcmp(status, "completed")))
		return rc; /* Twilio could not transcribe it: the voicemail stays without */
	rc = need(h, "TranscriptionText", &text);
	return rc == SB_OK ? sb_voicemail_transcript(h->p, SB_ACTOR_SYSTEM, sid, text) : rc;
}

static const struct route {
	const char *path;
	int (*run)(hook *h);
	int twiml; /* the reply is a leg's TwiML */
} routes[] = {
	{"/sms", on_sms, 0}, {"/sms/status", on_sms_status, 0}, {"/voice", on_voice, 1},
	{"/voice/status", on_voice_status, 0}, {"/voice/answer", on_answer, 1}, {"/voice/digits", on_digits, 1},
	{"/voice/star", on_star, 1}, {"/voice/played", on_played, 1}, {"/voice/idle", on_idle, 1},
	{"/voice/recorded", on_recorded, 1}, {"/voice/transcription", on_transcription, 0},
};

/* The route under webhook_base; its query (after '?') into *query. */
static const struct route *find_route(sb_twilio *tw, const char *url, const char **query)
{
	size_t n = strlen(tw->webhook_base);
	if (strncmp(url, tw->webhook_base, n))
		return NULL;
	const char *path = url + n;
	size_t len = strcspn(path, "?");
	*query = path[len] == '?' ? path + len + 1 : NULL;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (strlen(routes[i].path) == len && !strncmp(path, routes[i].path, len))
			return &routes[i];
	return NULL;
}

/* ---- the reply ---- */

static int http_status(int rc, int no_route)
{
	switch (rc) {
	case SB_OK: return 200;
	case SB_ESIGNATURE: return 403;
	case SB_ETOOBIG: return 413;
	case SB_EUTF8: return 400;
	case SB_EWEBHOOK: return no_route ? 404 : 400;
	case SB_EBUSY: return 503;
	/* Answered, so that Twilio does not retry what can never succeed. */
	case SB_EPHONE:
	case SB_EROUTE:
	case SB_ENOTFOUND:
	case SB_ETRANSFER: return 200;
	default: return 500;
	}
}

static void reply(hook *h, int rc, int no_route)
{
	sb_twilio_reply *out = h->out;
	tw_buf *b = &h->tw->reply;
	out->status = http_status(rc, no_route);
	if (out->status == 200) {
		tw_buf_reset(b);
		tw_twiml_document(b, h->verbs->p, h->verbs->len);
		b->oom |= h->verbs->oom;
		out->content_type = "text/xml";
	} else {
		tw_buf_reset(b);
		tw_buf_str(b, sb_strerror(rc));
		out->content_type = "text/plain";
		out->kind = 0;
	}
	if (b->oom) {
		out->status = 500;
		out->content_type = "text/plain";
		out->body = "out of memory";
		return;
	}
	out->body = b->p;
}

static int texts_valid(hook *h)
{
	for (size_t i = 0; i < h->form.n; i++) {
		const tw_param *p = &h->form.v[i];
		if (!sb_utf8_valid(p->name, strlen(p->name)) || !sb_utf8_valid(p->value, strlen(p->value)))
			return tw_fail(h->tw, SB_EUTF8, "a field is not valid UTF-8");
	}
	return SB_OK;
}

/* The library's own message when a library call failed: it carries no PHI. */
static int after(hook *h, int rc)
{
	if (rc == SB_OK)
		tw_ok(h->tw);
	else if (rc != SB_EWEBHOOK && rc != SB_ETOOBIG && rc != SB_EUTF8 && rc != SB_ESIGNATURE)
		tw_fail(h->tw, rc, "%s", sb_practice_errmsg(h->p));
	return rc;
}

/* ---- redeliveries ---- */

static tw_replied *replied_find(sb_twilio *tw, const char *token)
{
	for (size_t i = 0; token && i < TW_REPLIED_MAX; i++)
		if (tw->replied[i].token && !strcmp(tw->replied[i].token, token))
			return &tw->replied[i];
	return NULL;
}

/* Keep a voice reply for its token (best effort: without memory, a
 * redelivery is fed again, which the engine ignores as a repeat). */
static void replied_keep(sb_twilio *tw, const char *token, const sb_twilio_reply *out)
{
	if (!token || out->status != 200)
		return;
	tw_replied *r = &tw->replied[tw->replied_next++ % TW_REPLIED_MAX];
	free(r->token);
	free(r->twiml);
	r->token = strdup(token);
	r->twiml = strdup(out->body);
	r->status = out->status;
	r->call_id = out->call_id;
	if (!r->token || !r->twiml) {
		free(r->token);
		free(r->twiml);
		r->token = r->twiml = NULL;
	}
}

/* The same answer as the first time, nothing fed again. */
static int replay(hook *h, const tw_replied *r)
{
	tw_buf *b = &h->tw->reply;
	tw_buf_reset(b);
	tw_buf_str(b, r->twiml);
	if (b->oom)
		return SB_ENOMEM;
	h->out->status = r->status;
	h->out->content_type = "text/xml";
	h->out->body = b->p;
	h->out->kind = SB_TWILIO_CALL;
	h->out->call_id = r->call_id;
	tw_ok(h->tw);
	return SB_OK;
}

int sb_twilio_request_init(sb_twilio_request *req)
{
	if (!req)
		return SB_EINVAL;
	memset(req, 0, sizeof *req);
	req->version = 1;
	return SB_OK;
}

int sb_twilio_webhook(sb_twilio_reply *out, sb_twilio *tw, sb_practice *p, const sb_twilio_request *req)
{
	if (!out || !tw || !p || !req || !req->url || (!req->body && req->body_len))
		return SB_EINVAL;
	if (req->version != 1)
		return SB_EVERSION;
	memset(out, 0, sizeof *out);
	tw_buf verbs = {0};
	hook h = {.tw = tw, .p = p, .req = req, .out = out, .verbs = &verbs};
	tw_form query = {0};
	const char *q = NULL;
	const struct route *r = NULL;
	int rc = verified_form(tw, &h.form, req->url, req->body ? req->body : "", req->body_len, req->signature);
	int no_route = rc == SB_OK && !(r = find_route(tw, req->url, &q));
	if (no_route)
		rc = tw_fail(tw, SB_EWEBHOOK, "no such webhook route");
	if (rc == SB_OK && q && tw_form_parse(&query, q, strlen(q)) != SB_OK)
		rc = tw_fail(tw, SB_EWEBHOOK, "the URL's query is not form encoding");
	if (rc == SB_OK)
		rc = texts_valid(&h);
	const tw_replied *seen = rc == SB_OK && r->twiml ? replied_find(tw, req->idempotency_token) : NULL;
	if (seen) {
		rc = replay(&h, seen);
	} else {
		if (rc == SB_OK) {
			h.conf = tw_form_get(&query, "conf");
			rc = after(&h, r->run(&h));
		}
		reply(&h, rc, no_route);
		if (rc == SB_OK && r->twiml)
			replied_keep(tw, req->idempotency_token, out);
	}
	tw_buf_free(&verbs);
	tw_form_free(&query);
	tw_form_free(&h.form);
	return rc;
}
