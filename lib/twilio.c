/* The Twilio adapter's handle and its carrier: each engine command becomes
 * TwiML for the leg whose webhook is being answered, or a REST request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchboard/errors.h"
#include "twilio_internal.h"

#define HOLD_MUSIC_DEFAULT "https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"

/* ---- buffers ---- */

void tw_buf_free(tw_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void tw_buf_reset(tw_buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
}

void tw_buf_add(tw_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void tw_buf_str(tw_buf *b, const char *s)
{
	tw_buf_add(b, s, strlen(s));
}

void tw_buf_fmt(tw_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->oom = 1; /* only short, known formats come here */
	else
		tw_buf_add(b, tmp, (size_t)n);
}

void tw_buf_xml(tw_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': tw_buf_str(b, "&amp;"); break;
		case '<': tw_buf_str(b, "&lt;"); break;
		case '>': tw_buf_str(b, "&gt;"); break;
		case '"': tw_buf_str(b, "&quot;"); break;
		case '\'': tw_buf_str(b, "&apos;"); break;
		default: tw_buf_add(b, s, 1);
		}
	}
}

void tw_buf_url(tw_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') ||
		    *u == '-' || *u == '_' || *u == '.' || *u == '~') {
			tw_buf_add(b, (const char *)u, 1);
		} else {
			char e[3] = {'%', hex[*u >> 4], hex[*u & 15]};
			tw_buf_add(b, e, 3);
		}
	}
}

void tw_buf_form(tw_buf *b, const char *name, const char *value)
{
	tw_buf_url(b, name);
	tw_buf_add(b, "=", 1);
	tw_buf_url(b, value);
	tw_buf_add(b, "&", 1);
}

void tw_form_end(tw_buf *b)
{
	if (b->len && b->p[b->len - 1] == '&')
		b->p[--b->len] = '\0';
}

/* ---- the handle ---- */

int tw_fail(sb_twilio *tw, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tw->errmsg, sizeof tw->errmsg, fmt, ap);
	va_end(ap);
	return code;
}

void tw_ok(sb_twilio *tw)
{
	snprintf(tw->errmsg, sizeof tw->errmsg, "not an error");
}

int sb_twilio_options_init(sb_twilio_options *opts)
{
	if (!opts)
		return SB_EINVAL;
	memset(opts, 0, sizeof *opts);
	opts->version = 1;
	return SB_OK;
}

static int valid_sid(const char *s)
{
	if (!s || strncmp(s, "AC", 2) || strlen(s) != 34)
		return 0;
	return strspn(s + 2, "0123456789abcdefABCDEF") == 32;
}

/* https:// anywhere; http:// only to this machine (a test's own server). */
static int valid_base(const char *url)
{
	if (!strncmp(url, "https://", 8))
		return url[8] != '\0';
	static const char *const loopback[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
	for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
		size_t n = strlen(loopback[i]);
		if (!strncmp(url, loopback[i], n) && (url[n] == '\0' || url[n] == ':' || url[n] == '/'))
			return 1;
	}
	return 0;
}

static int copy(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static int check_options(const sb_twilio_options *o)
{
	if (!valid_sid(o->account_sid) || !o->auth_token || !*o->auth_token)
		return 0;
	if ((o->api_base && !valid_base(o->api_base)) || !o->webhook_base || !valid_base(o->webhook_base))
		return 0;
	size_t n = strlen(o->webhook_base);
	return o->webhook_base[n - 1] != '/' && o->timeout_ms >= 0 && o->retry_delay_ms >= 0;
}

int sb_twilio_new(sb_twilio **out, const sb_twilio_options *o)
{
	if (!out || !o)
		return SB_EINVAL;
	*out = NULL;
	if (o->version != 1)
		return SB_EVERSION;
	if (!check_options(o))
		return SB_EINVAL;
	sb_twilio *tw = calloc(1, sizeof *tw);
	if (!tw)
		return SB_ENOMEM;
	int bad = copy(&tw->account_sid, o->account_sid) | copy(&tw->auth_token, o->auth_token) |
	          copy(&tw->api_base, o->api_base ? o->api_base : "https://api.twilio.com") |
	          copy(&tw->webhook_base, o->webhook_base) |
	          copy(&tw->hold_url, o->hold_music_url ? o->hold_music_url : HOLD_MUSIC_DEFAULT) |
	          copy(&tw->ringback_url, o->ringback_url ? o->ringback_url : tw->hold_url) |
	          copy(&tw->beep_url, o->beep_url);
	tw->timeout_ms = o->timeout_ms ? o->timeout_ms : 10000;
	tw->retries = o->retries == 0 ? 3 : o->retries < 0 ? 0 : o->retries;
	tw->retry_delay_ms = o->retry_delay_ms ? o->retry_delay_ms : 250;
	int rc = bad ? SB_ENOMEM : tw_rest_init(tw);
	if (rc != SB_OK) {
		sb_twilio_free(tw);
		return rc;
	}
	tw_ok(tw);
	*out = tw;
	return SB_OK;
}

void sb_twilio_free(sb_twilio *tw)
{
	if (!tw)
		return;
	tw_rest_free(tw);
	if (tw->auth_token)
		memset(tw->auth_token, 0, strlen(tw->auth_token));
	free(tw->account_sid);
	free(tw->auth_token);
	free(tw->api_base);
	free(tw->webhook_base);
	free(tw->hold_url);
	free(tw->ringback_url);
	free(tw->beep_url);
	tw_buf_free(&tw->answer.twiml);
	tw_buf_free(&tw->reply);
	for (size_t i = 0; i < TW_REPLIED_MAX; i++) {
		free(tw->replied[i].token);
		free(tw->replied[i].twiml);
	}
	free(tw);
}

const char *sb_twilio_errmsg(const sb_twilio *tw)
{
	return tw ? tw->errmsg : "no adapter";
}

int sb_twilio_last_error(sb_twilio_error *out, const sb_twilio *tw)
{
	if (!out || !tw)
		return SB_EINVAL;
	*out = tw->last;
	return SB_OK;
}

/* ---- the webhook being answered ---- */

int tw_answer_begin(sb_twilio *tw, const char *leg, const char *conf)
{
	tw_answer *a = &tw->answer;
	a->leg = leg;
	a->conf = conf;
	a->endless = 0;
	a->commands = 0;
	tw_buf_reset(&a->twiml);
	return SB_OK;
}

void tw_answer_end(sb_twilio *tw)
{
	tw->answer.leg = NULL;
	tw->answer.conf = NULL;
}

/* The buffer a command for `leg` renders into: the webhook's reply when it
 * is that leg's, else `own` (then sent by REST). A command after a verb that
 * never ends replaces what came before, as a REST update would. */
static tw_buf *target(sb_twilio *tw, const char *leg, tw_buf *own)
{
	tw_answer *a = &tw->answer;
	if (!a->leg || strcmp(a->leg, leg))
		return own;
	if (a->endless)
		tw_buf_reset(&a->twiml);
	a->endless = 0;
	a->commands++;
	return &a->twiml;
}

/* Send what was rendered into `own` by REST, when it did not go to the reply. */
static int deliver(sb_twilio *tw, const char *leg, tw_buf *own, int endless)
{
	int rc = 0;
	if (own->len || own->oom) {
		tw_buf doc = {0};
		tw_twiml_document(&doc, own->p, own->len);
		rc = own->oom || doc.oom ? -1 : tw_call_update(tw, leg, doc.p, NULL);
		tw_buf_free(&doc);
	} else if (tw->answer.leg && !strcmp(tw->answer.leg, leg)) {
		tw->answer.endless = endless;
	}
	tw_buf_free(own);
	return rc;
}

static int cmd_play(void *ud, const char *leg, const sb_play *play)
{
	sb_twilio *tw = ud;
	tw_buf own = {0};
	tw_twiml_play(tw, target(tw, leg, &own), play);
	return deliver(tw, leg, &own, tw_play_endless(play));
}

static int cmd_hold(void *ud, const char *leg, int on)
{
	sb_twilio *tw = ud;
	if (!on) /* the leg's next command (a bridge, ringback) replaces the hold music */
		return 0;
	tw_buf own = {0};
	tw_twiml_hold(tw, target(tw, leg, &own));
	return deliver(tw, leg, &own, 1);
}

static int cmd_record(void *ud, const char *leg, const sb_record *rec)
{
	sb_twilio *tw = ud;
	tw_buf own = {0};
	tw_twiml_record(tw, target(tw, leg, &own), rec);
	return deliver(tw, leg, &own, 1);
}

static int bridge_one(sb_twilio *tw, const char *leg, const char *conf)
{
	tw_buf own = {0};
	tw_twiml_bridge(tw, target(tw, leg, &own), conf);
	return deliver(tw, leg, &own, 1);
}

/* Two legs meet in a conference named after both, which either may leave
 * (hangupOnStar) and come back to. */
static int cmd_bridge(void *ud, const char *a, const char *b)
{
	sb_twilio *tw = ud;
	char conf[2 * SB_CARRIER_ID_MAX + 8];
	snprintf(conf, sizeof conf, "sb-%s-%s", a, b);
	return bridge_one(tw, a, conf) || bridge_one(tw, b, conf) ? -1 : 0;
}

static int end_leg(sb_twilio *tw, const char *leg, const char *status)
{
	tw_buf own = {0};
	tw_buf *b = target(tw, leg, &own);
	if (b == &own)
		return tw_call_update(tw, leg, NULL, status);
	tw_buf_str(b, "<Hangup/>");
	tw->answer.endless = 1;
	return 0;
}

static int cmd_hangup(void *ud, const char *leg)
{
	return end_leg(ud, leg, "completed");
}

static int cmd_cancel(void *ud, const char *leg)
{
	return end_leg(ud, leg, "canceled");
}

/* Twilio answers an inbound call by the TwiML it gets back; nothing to send. */
static int cmd_answer(void *ud, const char *leg)
{
	sb_twilio *tw = ud;
	tw_buf own = {0};
	target(tw, leg, &own);
	return 0;
}

static int cmd_originate(void *ud, const sb_call_originate *req, char *out_id, size_t cap)
{
	return tw_call_create(ud, req, out_id, cap);
}

static int cmd_sms(void *ud, const sb_sms *sms, char *out_id, size_t cap)
{
	return tw_send_sms(ud, sms, out_id, cap);
}

/* E-mail and timers belong to the host; the adapter hands them on. */
static int host_email(void *ud, const sb_email *email, char *out_id, size_t cap)
{
	sb_twilio *tw = ud;
	return tw->host.send_email ? tw->host.send_email(tw->host.userdata, email, out_id, cap) : -1;
}

static int host_timer_start(void *ud, const char *id, int64_t due_ms)
{
	sb_twilio *tw = ud;
	return tw->host.timer_start(tw->host.userdata, id, due_ms);
}

static int host_timer_stop(void *ud, const char *id)
{
	sb_twilio *tw = ud;
	return tw->host.timer_stop ? tw->host.timer_stop(tw->host.userdata, id) : -1;
}

int sb_twilio_carrier(sb_carrier *out, sb_twilio *tw, const sb_carrier *host)
{
	if (!out || !tw)
		return SB_EINVAL;
	if (host && host->version != SB_CARRIER_VERSION)
		return SB_EVERSION;
	memset(&tw->host, 0, sizeof tw->host);
	if (host)
		tw->host = *host;
	*out = (sb_carrier){
		.version = SB_CARRIER_VERSION, .userdata = tw, .send_sms = cmd_sms,
		.send_email = tw->host.send_email ? host_email : NULL, .call_originate = cmd_originate,
		.call_cancel = cmd_cancel, .call_answer = cmd_answer, .call_play = cmd_play, .call_hold = cmd_hold,
		.call_bridge = cmd_bridge, .call_record = cmd_record, .call_hangup = cmd_hangup,
		.timer_start = tw->host.timer_start ? host_timer_start : NULL,
		.timer_stop = tw->host.timer_stop ? host_timer_stop : NULL,
	};
	tw_ok(tw);
	return SB_OK;
}
