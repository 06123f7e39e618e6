/* Fuzz target: the Twilio adapter's webhook decoder, signature check and
 * JSON reader must never crash or leak, whatever the body. The first byte
 * picks the route; the body is signed correctly (the fuzzer cannot forge
 * HMAC), so that the input reaches the decoding behind the signature, and
 * also checked against a signature taken from the input itself. Build with
 * -fsanitize=fuzzer for libFuzzer; replay.c runs the corpus in `make test`. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include <switchboard.h>
#include <switchboard/twilio.h>

#include "twilio_internal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define TOKEN "fuzz-token"
#define BASE "https://clinic.example/twilio"

static const char *const ROUTES[] = {"/sms", "/sms/status", "/voice", "/voice/status", "/voice/answer",
                                     "/voice/digits", "/voice/star?conf=sb-a-b", "/voice/played",
                                     "/voice/idle", "/voice/recorded", "/voice/transcription", "/nowhere"};

static sb_twilio *tw;
static sb_practice *p;
static sb_carrier carrier;

static int timer_start(void *ud, const char *id, int64_t due)
{
	(void)ud, (void)id, (void)due;
	return 0;
}

static void open_once(void)
{
	if (p)
		return;
	sb_twilio_options o;
	sb_twilio_options_init(&o);
	o.account_sid = "AC0123456789abcdef0123456789abcdef";
	o.auth_token = TOKEN;
	o.webhook_base = BASE;
	o.api_base = "http://127.0.0.1:1"; /* nobody: REST fails at once */
	o.retries = -1;
	o.timeout_ms = 200;
	static const sb_carrier host = {SB_CARRIER_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	                                NULL, NULL, timer_start, NULL};
	if (sb_twilio_new(&tw, &o) != SB_OK || sb_twilio_carrier(&carrier, tw, &host) != SB_OK)
		abort();
	sb_practice_options po = SB_PRACTICE_OPTIONS_INIT;
	po.store_path = ":memory:";
	po.carrier = &carrier;
	if (sb_practice_open(&p, &po) != SB_OK)
		abort();
	sb_id admin = 0, front = 0;
	if (sb_teammate_add(&admin, p, SB_ACTOR_SYSTEM, &(sb_teammate_spec){.version = 1, .name = "A"}) != SB_OK ||
	    sb_business_number_create(&front, p, admin, "+14155550100", "Front") != SB_OK)
		abort();
}

static void sign(char out[64], const char *url, const char *body, size_t len)
{
	tw_form f;
	out[0] = '\0';
	if (tw_form_parse(&f, body, len) != SB_OK)
		return;
	/* The adapter's own order: by name, then value. */
	for (size_t i = 1; i < f.n; i++)
		for (size_t j = i; j > 0; j--) {
			int c = strcmp(f.v[j - 1].name, f.v[j].name);
			if (c < 0 || (c == 0 && strcmp(f.v[j - 1].value, f.v[j].value) <= 0))
				break;
			tw_param t = f.v[j];
			f.v[j] = f.v[j - 1];
			f.v[j - 1] = t;
		}
	tw_buf d = {0};
	tw_buf_str(&d, url);
	for (size_t i = 0; i < f.n; i++) {
		tw_buf_str(&d, f.v[i].name);
		tw_buf_str(&d, f.v[i].value);
	}
	unsigned char mac[20];
	unsigned int n = 0;
	if (!d.oom && HMAC(EVP_sha1(), TOKEN, (int)strlen(TOKEN), (unsigned char *)(d.p ? d.p : ""), d.len, mac, &n))
		EVP_EncodeBlock((unsigned char *)out, mac, (int)n);
	tw_buf_free(&d);
	tw_form_free(&f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	open_once();
	if (size == 0)
		return 0;
	char url[128];
	snprintf(url, sizeof url, "%s%s", BASE, ROUTES[data[0] % (sizeof ROUTES / sizeof *ROUTES)]);
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char sig[64];
	sign(sig, url, body, len);
	sb_twilio_request r;
	sb_twilio_request_init(&r);
	r.url = url;
	r.signature = sig[0] ? sig : NULL;
	r.idempotency_token = size % 3 == 0 ? "fuzz-token-1" : NULL;
	r.body = body;
	r.body_len = len;
	sb_twilio_reply out;
	int rc = sb_twilio_webhook(&out, tw, p, &r);
	if (out.status == 0 || !out.body || (rc == SB_OK && out.status != 200))
		abort();
	/* A signature made of the input must never pass, nor crash. */
	char guess[29] = {0};
	memcpy(guess, data, size < 28 ? size : 28);
	if (sb_twilio_verify(tw, url, body, len, guess) == SB_OK && strcmp(guess, sig))
		abort();
	/* The JSON reader over the same bytes. */
	char *json = malloc(size + 1);
	if (!json)
		return 0;
	memcpy(json, data, size);
	json[size] = '\0';
	char s[64];
	long v;
	const char *it = NULL;
	(void)tw_json_string(json, "sid", s, sizeof s);
	(void)tw_json_int(json, "code", &v);
	while (tw_json_each(json, "messages", &it) == 0)
		(void)tw_json_string(it, "body", s, sizeof s);
	free(json);
	return 0;
}
