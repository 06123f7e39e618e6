/* Twilio's REST API over libcurl: the Messages and Calls resources.
 *
 * Retries: a 429, a 503 or no connection means Twilio did nothing, so the
 * request goes again (after retry_delay_ms, doubled each time). A 500, 502,
 * 504 or a timeout is ambiguous: the text may have been created. Twilio's
 * POST is not idempotent, so before a text goes again the adapter lists the
 * pair's recent messages and takes one with the same body created since the
 * first try as the one it sent (C16: never twice). Placing a call is never
 * retried after an ambiguous answer: the leg counts as failed. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switchboard/errors.h"
#include "twilio_internal.h"

/* Twilio's answers are small; anything larger is not Twilio. */
#define RESP_MAX (1024u * 1024u)
#define DELAY_MAX_MS 5000

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_global;

static void curl_start(void)
{
	curl_global = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int tw_rest_init(sb_twilio *tw)
{
	pthread_once(&curl_once, curl_start);
	if (curl_global != CURLE_OK)
		return tw_fail(tw, SB_ENOMEM, "libcurl could not start");
	if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_SSL))
		return tw_fail(tw, SB_ENOTSUP, "libcurl was built without TLS");
	tw->curl = curl_easy_init();
	return tw->curl ? SB_OK : SB_ENOMEM;
}

void tw_rest_free(sb_twilio *tw)
{
	if (tw->curl)
		curl_easy_cleanup(tw->curl);
	tw->curl = NULL;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	tw_buf *b = ud;
	if (b->len + size * n > RESP_MAX)
		return 0; /* curl fails the transfer */
	tw_buf_add(b, data, size * n);
	return b->oom ? 0 : size * n;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0) {
	}
}

/* One try. */
static tw_outcome attempt(sb_twilio *tw, const char *url, const tw_buf *form, tw_buf *resp)
{
	CURL *c = tw->curl;
	curl_easy_reset(c);
	tw_buf_reset(resp);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)tw->timeout_ms);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c, CURLOPT_USERNAME, tw->account_sid);
	curl_easy_setopt(c, CURLOPT_PASSWORD, tw->auth_token);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "switchboard-twilio/" SB_TWILIO_AGENT_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	if (form) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->p ? form->p : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)form->len);
	}
	CURLcode cc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	tw->last.http_status = (int)status;
	tw->last.twilio_code = 0;
	if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST) {
		tw_fail(tw, SB_EUSER, "Twilio could not be reached (%s)", curl_easy_strerror(cc));
		return TW_TRANSIENT;
	}
	if (cc != CURLE_OK) {
		tw_fail(tw, SB_EUSER, "Twilio request failed (%s)", curl_easy_strerror(cc));
		return TW_AMBIGUOUS;
	}
	if (status >= 200 && status < 300) {
		tw->last.http_status = 0;
		return TW_DONE;
	}
	long code = 0;
	if (resp->p && tw_json_int(resp->p, "code", &code) == 0)
		tw->last.twilio_code = (int)code;
	/* Twilio's message can quote the number: only the codes go in the text. */
	tw_fail(tw, SB_EUSER, "Twilio answered HTTP %ld, error %ld", status, code);
	if (status == 429 || status == 503)
		return TW_TRANSIENT;
	return status >= 500 ? TW_AMBIGUOUS : TW_REFUSED;
}

tw_outcome tw_request(sb_twilio *tw, const char *path, const tw_buf *form, tw_buf *resp)
{
	if (form && form->oom)
		return TW_REFUSED;
	tw_buf url = {0};
	tw_buf_fmt(&url, "%s/2010-04-01/Accounts/%s", tw->api_base, tw->account_sid);
	tw_buf_str(&url, path);
	if (url.oom) {
		tw_buf_free(&url);
		return TW_REFUSED;
	}
	tw_outcome o = attempt(tw, url.p, form, resp);
	int64_t delay = tw->retry_delay_ms;
	for (int i = 0; o == TW_TRANSIENT && i < tw->retries; i++) {
		sleep_ms(delay);
		delay = delay * 2 > DELAY_MAX_MS ? DELAY_MAX_MS : delay * 2;
		o = attempt(tw, url.p, form, resp);
	}
	tw_buf_free(&url);
	return o;
}

/* The sid member of a Twilio answer into out. */
static int take_sid(sb_twilio *tw, const tw_buf *resp, char *out, size_t cap)
{
	if (resp->p && tw_json_string(resp->p, "sid", out, cap) == 0 && out[0])
		return 0;
	return tw_fail(tw, -1, "Twilio's answer has no sid");
}

/* ---- texts ---- */

static tw_sent *sent_find(sb_twilio *tw, const char *key)
{
	for (size_t i = 0; key && i < TW_SENT_MAX; i++)
		if (tw->sent[i].key[0] && !strcmp(tw->sent[i].key, key))
			return &tw->sent[i];
	return NULL;
}

static tw_sent *sent_add(sb_twilio *tw, const char *key, int64_t since)
{
	if (!key || strlen(key) > SB_IDEMPOTENCY_KEY_MAX)
		return NULL;
	tw_sent *s = &tw->sent[tw->sent_next++ % TW_SENT_MAX];
	snprintf(s->key, sizeof s->key, "%s", key);
	s->sid[0] = '\0';
	s->since = since;
	return s;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Twilio's dates: "Mon, 07 Dec 2026 15:30:00 +0000". -1 when malformed. */
static int64_t rfc2822_seconds(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int d, y, hh, mm, ss;
	if (sscanf(s, "%*3s, %d %3s %d %d:%d:%d", &d, mon, &y, &hh, &mm, &ss) != 6)
		return -1;
	const char *m = strstr(months, mon);
	if (!m || (m - months) % 3)
		return -1;
	return days_from_civil(y, (int)((m - months) / 3) + 1, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* After an ambiguous answer: did the text get created? 1 found (sid in out), 0 not, -1 unknown. */
static int find_created(sb_twilio *tw, const sb_sms *sms, int64_t since, char *out, size_t cap)
{
	tw_buf q = {0}, resp = {0};
	tw_buf_str(&q, "/Messages.json?");
	tw_buf_form(&q, "To", sms->to);
	tw_buf_form(&q, "From", sms->from);
	tw_buf_form(&q, "PageSize", "50");
	tw_form_end(&q);
	int found = q.oom || tw_request(tw, q.p, NULL, &resp) != TW_DONE ? -1 : 0;
	const char *it = NULL;
	while (found == 0 && resp.p && tw_json_each(resp.p, "messages", &it) == 0) {
		char body[SB_SMS_BODY_MAX + 1], created[64];
		if (tw_json_string(it, "body", body, sizeof body) || strcmp(body, sms->body ? sms->body : ""))
			continue;
		if (tw_json_string(it, "date_created", created, sizeof created) || rfc2822_seconds(created) < since - 1)
			continue;
		found = tw_json_string(it, "sid", out, cap) == 0 ? 1 : -1;
	}
	tw_buf_free(&q);
	tw_buf_free(&resp);
	return found;
}

static void sms_form(sb_twilio *tw, tw_buf *f, const sb_sms *sms)
{
	tw_buf_form(f, "From", sms->from);
	tw_buf_form(f, "To", sms->to);
	tw_buf_form(f, "Body", sms->body ? sms->body : "");
	for (size_t i = 0; sms->media && i < sms->media_count; i++)
		tw_buf_form(f, "MediaUrl", sms->media[i]);
	tw_buf cb = {0};
	tw_buf_fmt(&cb, "%s/sms/status", tw->webhook_base);
	tw_buf_form(f, "StatusCallback", cb.p ? cb.p : "");
	f->oom |= cb.oom;
	tw_buf_free(&cb);
	tw_form_end(f);
}

/* One POST of the text, and after an ambiguous answer a look before the next. */
static int send_once(sb_twilio *tw, const tw_buf *form, tw_sent *s, char *out, size_t cap)
{
	tw_buf resp = {0};
	tw_outcome o = tw_request(tw, "/Messages.json", form, &resp);
	int rc = o == TW_DONE ? take_sid(tw, &resp, out, cap) : -1;
	tw_buf_free(&resp);
	if (o == TW_AMBIGUOUS && s && s->since == 0)
		s->since = (int64_t)time(NULL);
	return o == TW_AMBIGUOUS ? 1 : rc;
}

/* Twilio fetches media itself, so each must be a URL it can reach; an
 * attachment the library holds (sb-attachment:<id>) is the host's to publish. */
static int media_public(sb_twilio *tw, const sb_sms *sms)
{
	for (size_t i = 0; sms->media && i < sms->media_count; i++)
		if (strncmp(sms->media[i], "https://", 8) && strncmp(sms->media[i], "http://", 7)) {
			tw_fail(tw, -1, "media %zu is not a URL Twilio can fetch", i + 1);
			return 0;
		}
	return 1;
}

int tw_send_sms(sb_twilio *tw, const sb_sms *sms, char *out, size_t cap)
{
	if (!media_public(tw, sms))
		return -1;
	tw_sent *s = sent_find(tw, sms->idempotency_key);
	if (s && s->sid[0]) { /* a retry of a text Twilio already took */
		snprintf(out, cap, "%s", s->sid);
		return 0;
	}
	if (!s)
		s = sent_add(tw, sms->idempotency_key, 0);
	tw_buf form = {0};
	sms_form(tw, &form, sms);
	int rc = 1;
	for (int i = 0; rc == 1 && i <= tw->retries; i++) {
		if (s && s->since) { /* an earlier try may have made it */
			int found = find_created(tw, sms, s->since, out, cap);
			if (found != 0) {
				rc = found == 1 ? 0 : -1;
				break;
			}
		}
		rc = send_once(tw, &form, s, out, cap);
	}
	tw_buf_free(&form);
	if (rc == 0 && s) {
		snprintf(s->sid, sizeof s->sid, "%s", out);
		s->since = 0;
	}
	if (rc == 0)
		tw_ok(tw);
	return rc == 0 ? 0 : -1;
}

/* ---- calls ---- */

int tw_call_create(sb_twilio *tw, const sb_call_originate *req, char *out, size_t cap)
{
	tw_buf f = {0}, url = {0}, resp = {0};
	tw_buf_form(&f, "From", req->from);
	tw_buf_form(&f, "To", req->to);
	if (req->timeout_ms > 0)
		tw_buf_fmt(&f, "Timeout=%lld&", (long long)((req->timeout_ms + 999) / 1000));
	tw_buf_fmt(&url, "%s/voice/answer", tw->webhook_base);
	tw_buf_form(&f, "Url", url.p ? url.p : "");
	tw_buf_reset(&url);
	tw_buf_fmt(&url, "%s/voice/status", tw->webhook_base);
	tw_buf_form(&f, "StatusCallback", url.p ? url.p : "");
	tw_buf_form(&f, "StatusCallbackEvent", "ringing");
	tw_buf_form(&f, "StatusCallbackEvent", "completed");
	tw_form_end(&f);
	f.oom |= url.oom;
	tw_outcome o = tw_request(tw, "/Calls.json", &f, &resp);
	int rc = o == TW_DONE ? take_sid(tw, &resp, out, cap) : -1;
	tw_buf_free(&f);
	tw_buf_free(&url);
	tw_buf_free(&resp);
	if (rc == 0)
		tw_ok(tw);
	return rc;
}

/* Twilio: "Call is not in-progress. Cannot redirect." A leg that ended already. */
#define TWILIO_CALL_NOT_IN_PROGRESS 21220

int tw_call_update(sb_twilio *tw, const char *leg, const char *twiml, const char *status)
{
	tw_buf f = {0}, path = {0}, resp = {0};
	tw_buf_str(&path, "/Calls/");
	tw_buf_url(&path, leg);
	tw_buf_str(&path, ".json");
	if (twiml)
		tw_buf_form(&f, "Twiml", twiml);
	if (status)
		tw_buf_form(&f, "Status", status);
	tw_form_end(&f);
	tw_outcome o = path.oom ? TW_REFUSED : tw_request(tw, path.p, &f, &resp);
	/* Ending a leg that already ended is done. */
	int gone = status && o == TW_REFUSED && (tw->last.twilio_code == TWILIO_CALL_NOT_IN_PROGRESS ||
	                                        tw->last.http_status == 404);
	tw_buf_free(&f);
	tw_buf_free(&path);
	tw_buf_free(&resp);
	if (o == TW_DONE || gone) {
		tw_ok(tw);
		return 0;
	}
	return -1;
}
