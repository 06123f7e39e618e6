/* The Twilio adapter: webhooks signed by the official Twilio Node SDK in,
 * REST requests out to a loopback server of the test's own, TwiML back. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "switchboard/twilio.h"
#include "twilio_server.h"

#define SID "AC0123456789abcdef0123456789abcdef"
#define TOKEN "test-auth-token-0123456789abcdef"
#define BASE "https://clinic.example/twilio"
#define FRONT "+14155550100"
#define PATIENT "+12125550142"

/* ---- the SDK ---- */

/* Run tests/twilio/sdk.js with argv; its output into out. */
static void sdk(char *out, size_t cap, const char *cmd, const char *a, const char *b, const char *c,
                const char *d)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execlp("node", "node", SB_TWILIO_SDK_DIR "/sdk.js", cmd, a, b, c, d, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t len = 0;
	ssize_t n;
	while (len < cap - 1 && (n = read(fds[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the Twilio SDK did not run (node %s/sdk.js): run `make deps-twilio`", SB_TWILIO_SDK_DIR);
}

static void sdk_sign(char sig[64], const char *url, const char *body)
{
	sdk(sig, 64, "sign", TOKEN, url, body, NULL);
}

/* A signature of our own, over bytes the SDK cannot take (non-UTF-8): it
 * only gets such a body past the door, to reach the check behind it. */
static void raw_sign(char sig[64], const char *url, const char *name, const char *value)
{
	char data[1024];
	snprintf(data, sizeof data, "%s%s%s", url, name, value);
	unsigned char mac[20];
	unsigned int len = 0;
	HMAC(EVP_sha1(), TOKEN, (int)strlen(TOKEN), (unsigned char *)data, strlen(data), mac, &len);
	EVP_EncodeBlock((unsigned char *)sig, mac, (int)len);
}

/* ---- the fixture ---- */

typedef struct fx {
	char *path;
	test_clock clock;
	ts_server server;
	sb_twilio *tw;
	sb_carrier carrier;
	sb_carrier host;
	char timers[32][64];
	int timer_count;
	sb_practice *p;
	sb_id admin, nurse, front;
	char *before; /* a dump of the store, to compare with after a refusal */
} fx;

static int timer_start(void *ud, const char *id, int64_t due)
{
	fx *f = ud;
	(void)due;
	snprintf(f->timers[f->timer_count++ % 32], 64, "%s", id);
	return 0;
}

static int timer_stop(void *ud, const char *id)
{
	(void)ud;
	(void)id;
	return 0;
}

static sb_twilio *adapter(const char *api_base, int64_t timeout_ms)
{
	sb_twilio_options o;
	assert_int_equal(sb_twilio_options_init(&o), SB_OK);
	o.account_sid = SID;
	o.auth_token = TOKEN;
	o.api_base = api_base;
	o.webhook_base = BASE;
	o.timeout_ms = timeout_ms;
	o.retry_delay_ms = 10;
	sb_twilio *tw = NULL;
	int rc = sb_twilio_new(&tw, &o);
	assert_int_equal(rc, SB_OK);
	return tw;
}

static int setup(void **state)
{
	fx *f = test_calloc(1, sizeof *f);
	ts_start(&f->server);
	f->tw = adapter(f->server.base, 400);
	f->host = (sb_carrier){.version = SB_CARRIER_VERSION, .userdata = f, .timer_start = timer_start,
	                       .timer_stop = timer_stop};
	assert_int_equal(sb_twilio_carrier(&f->carrier, f->tw, &f->host), SB_OK);
	f->path = test_db_path();
	test_clock_init(&f->clock, 1767261600000); /* 2026-01-01 10:00 UTC */
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = f->path;
	o.carrier = &f->carrier;
	o.clock = &f->clock.clock;
	assert_int_equal(sb_practice_open(&f->p, &o), SB_OK);
	test_add_teammates(f->p, 2);
	f->admin = 1;
	f->nurse = 2;
	test_ring_number(f->p, f->admin, "+16175550101");
	test_ring_number(f->p, f->nurse, "+16175550102");
	assert_int_equal(sb_business_number_create(&f->front, f->p, f->admin, FRONT, "Front desk"), SB_OK);
	assert_int_equal(sb_endpoint_member_add(f->p, f->admin, f->front, f->nurse), SB_OK);
	assert_int_equal(sb_endpoint_member_add(f->p, f->admin, f->front, f->admin), SB_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	sb_practice_free(f->p);
	sb_twilio_free(f->tw);
	ts_stop(&f->server);
	free(f->before);
	test_db_remove(f->path);
	test_free(f);
	return 0;
}

static int hook_token(fx *f, const char *route, const char *body, const char *token, sb_twilio_reply *out);

/* One webhook, signed by the SDK. */
static int hook(fx *f, const char *route, const char *body, sb_twilio_reply *out)
{
	return hook_token(f, route, body, NULL, out);
}

static int hook_token(fx *f, const char *route, const char *body, const char *token, sb_twilio_reply *out)
{
	char url[256], sig[64];
	snprintf(url, sizeof url, "%s%s", BASE, route);
	sdk_sign(sig, url, body);
	sb_twilio_request r;
	assert_int_equal(sb_twilio_request_init(&r), SB_OK);
	r.url = url;
	r.signature = sig;
	r.idempotency_token = token;
	r.body = body;
	r.body_len = strlen(body);
	return sb_twilio_webhook(out, f->tw, f->p, &r);
}

static int hook_ok(fx *f, const char *route, const char *body, sb_twilio_reply *out)
{
	int rc = hook(f, route, body, out);
	if (rc != SB_OK)
		fail_msg("%s: %s (%s)", route, sb_strerror(rc), sb_twilio_errmsg(f->tw));
	assert_int_equal(out->status, 200);
	assert_string_equal(out->content_type, "text/xml");
	return rc;
}

static void remember_store(fx *f)
{
	free(f->before);
	f->before = test_dump(f->path);
}

static void store_unchanged(fx *f)
{
	char *now = test_dump(f->path);
	assert_string_equal(now, f->before);
	free(now);
}

/* ---- signatures ---- */

/* Twilio's documented example: its token, URL, parameters and signature. */
#define DOC_URL "https://mycompany.com/myapp.php?foo=1&bar=2"
#define DOC_BODY "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212"
#define DOC_SIG "0/KCTR6DLpKmkAf8muzZqo1nDgQ="

static void test_signature_documented_example(void **state)
{
	(void)state;
	sb_twilio_options o;
	sb_twilio_options_init(&o);
	o.account_sid = SID;
	o.auth_token = "12345";
	o.webhook_base = BASE;
	sb_twilio *tw = NULL;
	assert_int_equal(sb_twilio_new(&tw, &o), SB_OK);
	char sig[64];
	sdk(sig, sizeof sig, "sign", "12345", DOC_URL, DOC_BODY, NULL);
	assert_string_equal(sig, DOC_SIG);
	assert_int_equal(sb_twilio_verify(tw, DOC_URL, DOC_BODY, strlen(DOC_BODY), DOC_SIG), SB_OK);
	assert_string_equal(sb_twilio_errmsg(tw), "not an error");
	/* The same parameters in another order sign the same. */
	const char *shuffled = "To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE&From=%2B12349013030&Caller=%2B12349013030";
	assert_int_equal(sb_twilio_verify(tw, DOC_URL, shuffled, strlen(shuffled), DOC_SIG), SB_OK);
	sb_twilio_free(tw);
}

static void test_signature_one_byte_changes(void **state)
{
	fx *f = *state;
	const char *url = BASE "/sms";
	const char *body = "Body=Hello+there%21&From=%2B12125550142&MessageSid=SM11111111111111111111111111111111&To=%2B14155550100";
	char sig[64], bad[64], changed[256];
	sdk_sign(sig, url, body);
	assert_int_equal(sb_twilio_verify(f->tw, url, body, strlen(body), sig), SB_OK);
	/* Every byte of the signature, the body and the URL matters. */
	for (size_t i = 0; i < strlen(sig) - 1; i++) {
		snprintf(bad, sizeof bad, "%s", sig);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		assert_int_equal(sb_twilio_verify(f->tw, url, body, strlen(body), bad), SB_ESIGNATURE);
	}
	snprintf(changed, sizeof changed, "%s", body);
	changed[6] = 'J'; /* Hello -> Jello */
	assert_int_equal(sb_twilio_verify(f->tw, url, changed, strlen(changed), sig), SB_ESIGNATURE);
	assert_string_equal(sb_twilio_errmsg(f->tw), "the signature does not match");
	assert_int_equal(sb_twilio_verify(f->tw, BASE "/smt", body, strlen(body), sig), SB_ESIGNATURE);
	assert_int_equal(sb_twilio_verify(f->tw, url, body, strlen(body), NULL), SB_ESIGNATURE);
	assert_int_equal(sb_twilio_verify(f->tw, url, body, strlen(body), "not base64!"), SB_ESIGNATURE);
	/* The SDK agrees on both. */
	char v[16];
	sdk(v, sizeof v, "validate", TOKEN, sig, url, body);
	assert_string_equal(v, "true");
	sdk(v, sizeof v, "validate", TOKEN, sig, url, changed);
	assert_string_equal(v, "false");
	assert_int_equal(sb_twilio_verify(NULL, url, body, 1, sig), SB_EINVAL);
	assert_int_equal(sb_twilio_verify(f->tw, NULL, body, 1, sig), SB_EINVAL);
}

/* ---- texts in ---- */

/* Twilio's documented inbound SMS webhook, to the front desk. */
#define SMS_BODY(sid, text)                                                                                       \
	"ToCountry=US&ToState=CA&SmsMessageSid=" sid "&NumMedia=0&ToCity=SAN+FRANCISCO&FromZip=10001&SmsSid=" sid \
	"&FromState=NY&SmsStatus=received&FromCity=NEW+YORK&Body=" text "&FromCountry=US&To=%2B14155550100"     \
	"&ToZip=94105&NumSegments=1&MessageSid=" sid "&AccountSid=" SID "&From=%2B12125550142&ApiVersion=2010-04-01"

static void test_inbound_text(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	hook_ok(f, "/sms", SMS_BODY("SM10000000000000000000000000000001", "Can+I+move+my+appointment%3F"), &r);
	assert_int_equal(r.kind, SB_TWILIO_SMS);
	assert_true(r.delivery.new_conversation);
	assert_false(r.delivery.duplicate);
	assert_non_null(strstr(r.body, "<Response></Response>"));
	sb_id item = r.delivery.item_id;
	/* Twilio delivers it again: nothing stored twice. */
	remember_store(f);
	hook_ok(f, "/sms", SMS_BODY("SM10000000000000000000000000000001", "Can+I+move+my+appointment%3F"), &r);
	assert_true(r.delivery.duplicate);
	assert_int_equal(r.delivery.item_id, item);
	store_unchanged(f);
	/* An MMS with two pictures. */
	const char *mms = "From=%2B12125550142&To=%2B14155550100&Body=&MessageSid=MM10000000000000000000000000000002"
	                  "&NumMedia=2&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2FMedia%2FME1&MediaContentType0=image%2Fjpeg"
	                  "&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2FMedia%2FME2&MediaContentType1=image%2Fpng";
	hook_ok(f, "/sms", mms, &r);
	assert_false(r.delivery.duplicate);
	sb_attachment a[4];
	size_t n = 0;
	assert_int_equal(sb_item_attachments(a, &n, f->p, f->admin, r.delivery.item_id, 4), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].media_ref, "https://api.twilio.com/Media/ME1");
	assert_string_equal(a[1].content_type, "image/png");
}

static void expect_refused(fx *f, const char *route, const char *body, int rc, int status)
{
	sb_twilio_reply r;
	remember_store(f);
	assert_int_equal(hook(f, route, body, &r), rc);
	assert_int_equal(r.status, status);
	assert_string_equal(r.content_type, "text/plain");
	assert_string_equal(r.body, sb_strerror(rc));
	assert_int_equal(r.kind, 0);
	/* PHI never reaches the error text. */
	assert_null(strstr(sb_twilio_errmsg(f->tw), "555"));
	store_unchanged(f);
}

static void test_bad_webhooks(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	sb_twilio_request q;
	sb_twilio_request_init(&q);
	q.url = BASE "/sms";
	/* Over 64 KiB: refused unread, signed or not. */
	size_t big = SB_TWILIO_BODY_MAX + 1;
	char *huge = malloc(big + 1);
	memset(huge, 'a', big);
	huge[big] = '\0';
	q.body = huge;
	q.body_len = big;
	q.signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_ETOOBIG);
	assert_int_equal(r.status, 413);
	free(huge);
	/* No signature, a wrong one: 403 before anything is read. */
	q.body = SMS_BODY("SM20000000000000000000000000000001", "hi");
	q.body_len = strlen(q.body);
	q.signature = NULL;
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_ESIGNATURE);
	assert_int_equal(r.status, 403);
	q.signature = DOC_SIG;
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_ESIGNATURE);
	assert_int_equal(r.status, 403);
	/* Malformed form encoding. */
	q.body = "From=%2B1212555014&To=%zz";
	q.body_len = strlen(q.body);
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_EWEBHOOK);
	assert_int_equal(r.status, 400);
	q.body = "From=%2B12125550142&&To=1";
	q.body_len = strlen(q.body);
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_EWEBHOOK);
	q.body = "From=%00";
	q.body_len = strlen(q.body);
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_EWEBHOOK);
	/* Signed, but missing fields. */
	expect_refused(f, "/sms", "Body=hi&To=%2B14155550100&MessageSid=SM3", SB_EWEBHOOK, 400);
	expect_refused(f, "/sms", "Body=hi&From=%2B12125550142&To=%2B14155550100", SB_EWEBHOOK, 400);
	expect_refused(f, "/sms", "From=%2B12125550142&To=%2B14155550100&MessageSid=SM4&NumMedia=x", SB_EWEBHOOK, 400);
	expect_refused(f, "/sms", "From=%2B12125550142&To=%2B14155550100&MessageSid=SM4&NumMedia=1", SB_EWEBHOOK, 400);
	expect_refused(f, "/sms", "From=%2B12125550142&To=%2B14155550100&MessageSid=SM4&NumMedia=11", SB_ETOOBIG, 413);
	expect_refused(f, "/nowhere", "From=%2B12125550142", SB_EWEBHOOK, 404);
	expect_refused(f, "/sms/status", "MessageSid=SM5&MessageStatus=teleported", SB_EWEBHOOK, 400);
	expect_refused(f, "/voice/status", "CallSid=CA5&CallStatus=teleported", SB_EWEBHOOK, 400);
	expect_refused(f, "/voice/digits", "CallSid=CA5&Digits=12a", SB_EWEBHOOK, 400);
	/* Non-UTF-8, signed. */
	char sig[64];
	raw_sign(sig, BASE "/sms", "Body", "\xff\xfe");
	q.body = "Body=%FF%FE";
	q.body_len = strlen(q.body);
	q.signature = sig;
	remember_store(f);
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_EUTF8);
	assert_int_equal(r.status, 400);
	store_unchanged(f);
	/* Not a number of the practice's: answered, so that Twilio does not retry. */
	sb_twilio_reply ok;
	assert_int_equal(hook(f, "/sms", "From=%2B12125550142&To=%2B14155550199&Body=hi&MessageSid=SM6", &ok), SB_EROUTE);
	assert_int_equal(ok.status, 200);
	assert_int_equal(sb_twilio_webhook(NULL, f->tw, f->p, &q), SB_EINVAL);
	q.version = 2;
	assert_int_equal(sb_twilio_webhook(&r, f->tw, f->p, &q), SB_EVERSION);
}

/* ---- texts out ---- */

static int last_request(fx *f)
{
	return f->server.count - 1;
}

static int send_text(fx *f, const char *body, sb_sent *out)
{
	sb_outbound_sms s;
	sb_outbound_sms_init(&s);
	s.endpoint = f->front;
	s.to = PATIENT;
	s.body = body;
	return sb_sms_send(out, f->p, f->admin, &s);
}

static void test_send_and_status(void **state)
{
	fx *f = *state;
	sb_sent sent;
	assert_int_equal(send_text(f, "Your visit is at 3 pm.", &sent), SB_OK);
	assert_string_equal(sent.carrier_id, "SM00000000000000000000000000000001");
	const ts_request *rq = ts_get(&f->server, 0);
	assert_string_equal(rq->method, "POST");
	assert_string_equal(rq->path, "/2010-04-01/Accounts/" SID "/Messages.json");
	/* Basic auth: the account SID and the auth token. */
	unsigned char want[128];
	EVP_EncodeBlock(want, (const unsigned char *)SID ":" TOKEN, (int)strlen(SID ":" TOKEN));
	char auth[160];
	snprintf(auth, sizeof auth, "Basic %s", want);
	assert_string_equal(rq->auth, auth);
	char v[256];
	assert_int_equal(ts_field(&f->server, 0, "From", v, sizeof v), 0);
	assert_string_equal(v, FRONT);
	assert_int_equal(ts_field(&f->server, 0, "To", v, sizeof v), 0);
	assert_string_equal(v, PATIENT);
	assert_int_equal(ts_field(&f->server, 0, "Body", v, sizeof v), 0);
	assert_string_equal(v, "Your visit is at 3 pm.");
	assert_int_equal(ts_field(&f->server, 0, "StatusCallback", v, sizeof v), 0);
	assert_string_equal(v, BASE "/sms/status");
	/* Media go as MediaUrl, one each. */
	char id[SB_CARRIER_ID_MAX];
	const char *media[] = {"https://media.example/a.png", "https://media.example/b.pdf"};
	const sb_sms mms = {1, FRONT, PATIENT, "", media, 2, "mms-key"};
	assert_int_equal(f->carrier.send_sms(f->carrier.userdata, &mms, id, sizeof id), 0);
	int i = last_request(f);
	assert_non_null(strstr(ts_get(&f->server, i)->body,
	                       "MediaUrl=https%3A%2F%2Fmedia.example%2Fa.png&MediaUrl=https%3A%2F%2Fmedia.example%2Fb.pdf"));
	/* The outbox sends the same key again: Twilio took it, so nothing goes. */
	char again[SB_CARRIER_ID_MAX];
	assert_int_equal(f->carrier.send_sms(f->carrier.userdata, &mms, again, sizeof again), 0);
	assert_string_equal(again, id);
	assert_int_equal(last_request(f), i);
	/* Status callbacks move it on, forward only. */
	sb_twilio_reply r;
	hook_ok(f, "/sms/status", "MessageSid=SM00000000000000000000000000000001&MessageStatus=sending", &r);
	assert_int_equal(r.kind, SB_TWILIO_SMS_STATUS);
	assert_false(r.applied);
	hook_ok(f, "/sms/status", "MessageSid=SM00000000000000000000000000000001&MessageStatus=sent", &r);
	assert_true(r.applied);
	hook_ok(f, "/sms/status", "MessageSid=SM00000000000000000000000000000001&MessageStatus=delivered", &r);
	assert_true(r.applied);
	hook_ok(f, "/sms/status", "MessageSid=SM00000000000000000000000000000001&MessageStatus=sent", &r);
	assert_false(r.applied);
	/* Not ours: answered, nothing changes. */
	assert_int_equal(hook(f, "/sms/status", "MessageSid=SM9&MessageStatus=delivered", &r), SB_ENOTFOUND);
	assert_int_equal(r.status, 200);
	/* A failure with Twilio's code. */
	assert_int_equal(send_text(f, "Second", &sent), SB_OK);
	char status[256];
	snprintf(status, sizeof status, "MessageSid=%s&MessageStatus=undelivered&ErrorCode=30003", sent.carrier_id);
	hook_ok(f, "/sms/status", status, &r);
	assert_true(r.applied);
	sb_item m;
	assert_int_equal(sb_item_get(&m, f->p, f->admin, sent.item_id), SB_OK);
	assert_int_equal(m.status, SB_STATUS_UNDELIVERED);
	assert_string_equal(m.error, "Twilio error 30003");
}

static void test_send_refused(void **state)
{
	fx *f = *state;
	sb_sent sent;
	sb_twilio_error e;
	ts_push(&f->server, 400, "{\"code\": 21211, \"message\": \"The 'To' number +12125550142 is not a valid phone number.\", \"status\": 400}", 0, 0);
	assert_int_equal(send_text(f, "one", &sent), SB_EUSER);
	assert_int_equal(sb_twilio_last_error(&e, f->tw), SB_OK);
	assert_int_equal(e.http_status, 400);
	assert_int_equal(e.twilio_code, 21211);
	assert_null(strstr(sb_twilio_errmsg(f->tw), "555")); /* Twilio's message quotes the number */
	ts_push(&f->server, 400, "{\"code\": 21610, \"message\": \"Attempt to send to unsubscribed recipient\", \"status\": 400}", 0, 0);
	assert_int_equal(send_text(f, "two", &sent), SB_EUSER);
	assert_int_equal(sb_twilio_last_error(&e, f->tw), SB_OK);
	assert_int_equal(e.twilio_code, 21610);
	/* Refusals are not retried. */
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 2);
	assert_int_equal(f->server.messages, 0);
	assert_int_equal(sb_twilio_last_error(NULL, f->tw), SB_EINVAL);
}

static void test_send_retries_once_only(void **state)
{
	fx *f = *state;
	sb_sent sent;
	/* 429: nothing was done, try again. */
	ts_push(&f->server, 429, "{\"code\": 20429, \"message\": \"Too Many Requests\"}", 0, 0);
	assert_int_equal(send_text(f, "a", &sent), SB_OK);
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 2);
	assert_int_equal(f->server.messages, 1);
	/* 500 then 201: Twilio created nothing the first time; one text. */
	ts_push(&f->server, 500, "{\"code\": 20500, \"message\": \"Internal Server Error\"}", 0, 0);
	assert_int_equal(send_text(f, "b", &sent), SB_OK);
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 4);
	assert_int_equal(ts_count(&f->server, "GET", "/Messages.json"), 1);
	assert_int_equal(f->server.messages, 2);
	/* 500, yet created: the look finds it and nothing is sent again. */
	ts_push(&f->server, 500, "{\"code\": 20500, \"message\": \"Internal Server Error\"}", 0, 1);
	assert_int_equal(send_text(f, "c", &sent), SB_OK);
	assert_string_equal(sent.carrier_id, "SM00000000000000000000000000000003");
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 5);
	assert_int_equal(f->server.messages, 3);
	/* A timeout, created meanwhile: the same. */
	ts_push(&f->server, 201, "{\"sid\": \"SMlate\"}", 700, 1);
	assert_int_equal(send_text(f, "d", &sent), SB_OK);
	assert_string_equal(sent.carrier_id, "SM00000000000000000000000000000004");
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 6);
	assert_int_equal(f->server.messages, 4);
	/* 503 every time: given up after the retries, stored as failed. */
	for (int i = 0; i < 4; i++)
		ts_push(&f->server, 503, "{\"code\": 20503, \"message\": \"Service Unavailable\"}", 0, 0);
	assert_int_equal(send_text(f, "e", &sent), SB_EUSER);
	assert_int_equal(ts_count(&f->server, "POST", "/Messages.json"), 10);
	assert_int_equal(f->server.messages, 4);
	/* Nobody listening. */
	sb_twilio *gone = adapter("http://127.0.0.1:1", 400);
	sb_carrier k;
	assert_int_equal(sb_twilio_carrier(&k, gone, NULL), SB_OK);
	char id[SB_CARRIER_ID_MAX];
	const sb_sms sms = {1, FRONT, PATIENT, "x", NULL, 0, "key-1"};
	assert_int_equal(k.send_sms(k.userdata, &sms, id, sizeof id), -1);
	/* Media Twilio cannot fetch are refused before anything is sent. */
	const char *held[] = {"https://media.example/x.png", "sb-attachment:7"};
	const sb_sms with_media = {1, FRONT, PATIENT, "x", held, 2, "key-2"};
	assert_int_equal(k.send_sms(k.userdata, &with_media, id, sizeof id), -1);
	assert_string_equal(sb_twilio_errmsg(gone), "media 2 is not a URL Twilio can fetch");
	sb_twilio_error e;
	sb_twilio_last_error(&e, gone);
	assert_int_equal(e.http_status, 0);
	sb_twilio_free(gone);
}

/* ---- calls ---- */

#define C1 "CA10000000000000000000000000000001"
#define L(n) "CA0000000000000000000000000000000" #n
#define VOICE_IN(sid, from)                                                                                  \
	"AccountSid=" SID "&ApiVersion=2010-04-01&CallSid=" sid "&CallStatus=ringing&Called=%2B14155550100"   \
	"&CallerCountry=US&Direction=inbound&From=" from "&To=%2B14155550100"

/* The form fields of request i, checked. */
static void expect_field(fx *f, int i, const char *name, const char *want)
{
	char v[2048];
	if (ts_field(&f->server, i, name, v, sizeof v))
		fail_msg("request %d has no %s", i, name);
	if (!strstr(v, want))
		fail_msg("request %d: %s is %s, not %s", i, name, v, want);
}

static void test_call_screened_bridged_held(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	/* A patient calls: the caller hears ringback, both phones ring. */
	hook_ok(f, "/voice", VOICE_IN(C1, "%2B12125550142"), &r);
	assert_int_equal(r.kind, SB_TWILIO_CALL);
	assert_true(r.call_id > 0);
	sb_id call = r.call_id;
	assert_non_null(strstr(r.body, "<Play loop=\"0\">"));
	assert_int_equal(ts_count(&f->server, "POST", "/Calls.json"), 2);
	expect_field(f, 0, "To", "+16175550101");
	expect_field(f, 0, "From", FRONT);
	expect_field(f, 0, "Timeout", "20");
	expect_field(f, 0, "Url", BASE "/voice/answer");
	expect_field(f, 0, "StatusCallback", BASE "/voice/status");
	expect_field(f, 1, "To", "+16175550102");
	assert_true(f->timer_count >= 1);
	/* The first rings; the second answers and hears the screening prompt. */
	hook_ok(f, "/voice/status", "CallSid=" L(1) "&CallStatus=ringing", &r);
	hook_ok(f, "/voice/answer", "CallSid=" L(2) "&CallStatus=in-progress&AnsweredBy=human", &r);
	assert_non_null(strstr(r.body, "<Gather input=\"dtmf\" finishOnKey=\"#\""));
	assert_non_null(strstr(r.body, "<Say>Call from 2 1 2"));
	assert_non_null(strstr(r.body, "<Redirect method=\"POST\">" BASE "/voice/played</Redirect>"));
	/* 1: the other phone stops, caller and nurse meet in a conference. */
	int before = f->server.count;
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=1", &r);
	assert_int_equal(f->server.count, before + 2);
	assert_string_equal(ts_get(&f->server, before)->path, "/2010-04-01/Accounts/" SID "/Calls/" L(1) ".json");
	expect_field(f, before, "Status", "canceled");
	assert_string_equal(ts_get(&f->server, before + 1)->path, "/2010-04-01/Accounts/" SID "/Calls/" C1 ".json");
	expect_field(f, before + 1, "Twiml", "<Conference beep=\"false\" startConferenceOnEnter=\"true\" "
	                                     "endConferenceOnExit=\"false\" waitUrl=\"\">sb-" C1 "-" L(2) "</Conference>");
	assert_non_null(strstr(r.body, ">sb-" C1 "-" L(2) "</Conference></Dial>"));
	assert_non_null(strstr(r.body, "<Dial hangupOnStar=\"true\" method=\"POST\" action=\"" BASE "/voice/star?conf=sb-"));
	/* '*': the caller is held (hold music by REST), the nurse hears the menu. */
	hook_ok(f, "/voice/star?conf=sb-" C1 "-" L(2), "CallSid=" L(2) "&CallStatus=in-progress&DialCallStatus=completed", &r);
	expect_field(f, last_request(f), "Twiml", "<Play loop=\"0\">https://com.twilio.music.classical");
	assert_non_null(strstr(r.body, "<Say>Press 1 to transfer the call"));
	/* 2: back to the caller. */
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=2", &r);
	assert_non_null(strstr(r.body, "sb-" C1 "-" L(2) "</Conference>"));
	expect_field(f, last_request(f), "Twiml", "sb-" C1 "-" L(2) "</Conference>");
	/* The caller hangs up: the nurse's leg is ended by REST. */
	f->clock.now += 60000;
	hook_ok(f, "/voice/status", "CallSid=" C1 "&CallStatus=completed&CallDuration=60", &r);
	assert_string_equal(ts_get(&f->server, last_request(f))->path, "/2010-04-01/Accounts/" SID "/Calls/" L(2) ".json");
	expect_field(f, last_request(f), "Status", "completed");
	sb_call c;
	assert_int_equal(sb_call_get(&c, f->p, SB_ACTOR_SYSTEM, call), SB_OK);
	assert_int_equal(c.outcome, SB_CALL_ANSWERED);
	/* A repeated status callback changes nothing. */
	hook_ok(f, "/voice/status", "CallSid=" C1 "&CallStatus=completed&CallDuration=60", &r);
}

/* Warm transfer to a desk phone: the rest of examples/voice's first call. */
static void test_call_warm_transfer(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	sb_id desk = 0;
	assert_int_equal(sb_desk_phone_add(&desk, f->p, f->admin, f->nurse, "202", "sip:202@desk.example",
	                                   "1 Main St, Boston MA"), SB_OK);
	hook_ok(f, "/voice", VOICE_IN(C1, "%2B12125550142"), &r);
	hook_ok(f, "/voice/answer", "CallSid=" L(2) "&CallStatus=in-progress", &r);
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=1", &r);
	hook_ok(f, "/voice/star?conf=sb-" C1 "-" L(2), "CallSid=" L(2) "&CallStatus=in-progress", &r);
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=1", &r);
	assert_non_null(strstr(r.body, "<Say>Dial the 10-digit number or the extension"));
	/* 202#: the gather ends on '#', which Twilio reports apart from the digits. */
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=202&FinishedOnKey=%23", &r);
	int placed = last_request(f);
	assert_string_equal(ts_get(&f->server, placed)->path, "/2010-04-01/Accounts/" SID "/Calls.json");
	expect_field(f, placed, "To", "sip:202@desk.example");
	expect_field(f, placed, "From", FRONT);
	assert_non_null(strstr(r.body, "<Play loop=\"0\">")); /* the nurse hears ringback */
	/* The desk answers: nurse and desk meet. */
	hook_ok(f, "/voice/answer", "CallSid=" L(3) "&CallStatus=in-progress", &r);
	assert_non_null(strstr(r.body, ">sb-" L(2) "-" L(3) "</Conference>"));
	expect_field(f, last_request(f), "Twiml", ">sb-" L(2) "-" L(3) "</Conference>");
	/* '*' again: the desk is held, the nurse hears the last menu; 1 completes. */
	hook_ok(f, "/voice/star?conf=sb-" L(2) "-" L(3), "CallSid=" L(2) "&CallStatus=in-progress", &r);
	expect_field(f, last_request(f), "Twiml", "<Play loop=\"0\">https://com.twilio.music.classical");
	assert_string_equal(ts_get(&f->server, last_request(f))->path, "/2010-04-01/Accounts/" SID "/Calls/" L(3) ".json");
	assert_non_null(strstr(r.body, "<Say>Press 1 to complete the transfer"));
	int before = f->server.count;
	hook_ok(f, "/voice/digits", "CallSid=" L(2) "&Digits=1", &r);
	assert_non_null(strstr(r.body, "<Hangup/>")); /* the nurse leaves */
	assert_int_equal(f->server.count, before + 2);  /* caller and desk, each into their conference */
	assert_string_equal(ts_get(&f->server, before)->path, "/2010-04-01/Accounts/" SID "/Calls/" C1 ".json");
	expect_field(f, before, "Twiml", ">sb-" C1 "-" L(3) "</Conference>");
	assert_string_equal(ts_get(&f->server, before + 1)->path, "/2010-04-01/Accounts/" SID "/Calls/" L(3) ".json");
	expect_field(f, before + 1, "Twiml", ">sb-" C1 "-" L(3) "</Conference>");
}

static void test_call_voicemail(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	hook_ok(f, "/voice", VOICE_IN(C1, "%2B13125550177"), &r);
	sb_id call = r.call_id;
	hook_ok(f, "/voice/status", "CallSid=" L(1) "&CallStatus=busy", &r);
	/* The ring timer fires (the host's timers): the greeting goes by REST. */
	sb_call_event ev;
	sb_call_event_init(&ev, SB_TIMER_FIRED);
	ev.timer_id = f->timers[0];
	f->clock.now += 20000;
	assert_int_equal(sb_call_feed(NULL, f->p, &ev), SB_OK);
	expect_field(f, last_request(f), "Twiml", "<Say>Nobody can take your call right now.");
	assert_string_equal(ts_get(&f->server, last_request(f))->path, "/2010-04-01/Accounts/" SID "/Calls/" C1 ".json");
	/* The greeting played: the beep and the recording, in one reply. */
	hook_ok(f, "/voice/played", "CallSid=" C1, &r);
	assert_non_null(strstr(r.body, "<Record maxLength=\"120\" playBeep=\"true\" finishOnKey=\"#\""));
	assert_non_null(strstr(r.body, "transcribeCallback=\"" BASE "/voice/transcription\""));
	hook_ok(f, "/voice/recorded",
	        "CallSid=" C1 "&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2FRecordings%2FRE1&RecordingDuration=23", &r);
	assert_non_null(strstr(r.body, "<Hangup/>"));
	hook_ok(f, "/voice/transcription",
	        "CallSid=" C1 "&TranscriptionStatus=completed&TranscriptionText=Please+call+me+back.", &r);
	assert_int_equal(r.kind, SB_TWILIO_TRANSCRIPT);
	hook_ok(f, "/voice/transcription", "CallSid=" C1 "&TranscriptionStatus=failed", &r);
	sb_call c;
	assert_int_equal(sb_call_get(&c, f->p, SB_ACTOR_SYSTEM, call), SB_OK);
	assert_int_equal(c.outcome, SB_CALL_MISSED);
	assert_true(c.voicemail_item > 0);
	sb_item m;
	assert_int_equal(sb_item_get(&m, f->p, f->admin, c.voicemail_item), SB_OK);
	assert_string_equal(m.text, "Please call me back.");
	assert_string_equal(m.media_ref, "https://api.twilio.com/Recordings/RE1");
}

static void test_click_to_call(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	sb_dial_spec d;
	sb_dial_spec_init(&d);
	d.endpoint_id = f->front;
	d.to = "(212) 555-0142";
	sb_id call = 0;
	assert_int_equal(sb_call_dial(&call, f->p, f->admin, &d), SB_OK);
	expect_field(f, 0, "To", "+16175550101");
	/* The doctor answers: the patient's leg is placed, the doctor hears ringback. */
	hook_ok(f, "/voice/answer", "CallSid=" L(1) "&CallStatus=in-progress", &r);
	expect_field(f, 1, "To", PATIENT);
	expect_field(f, 1, "From", FRONT);
	assert_non_null(strstr(r.body, "<Play loop=\"0\">"));
	hook_ok(f, "/voice/answer", "CallSid=" L(2) "&CallStatus=in-progress", &r);
	assert_non_null(strstr(r.body, "sb-" L(1) "-" L(2) "</Conference>"));
	expect_field(f, 2, "Twiml", "sb-" L(1) "-" L(2) "</Conference>");
	/* '*' on an outbound call: no transfer (V9), the doctor goes back in. */
	int rc = hook(f, "/voice/star?conf=sb-" L(1) "-" L(2), "CallSid=" L(1) "&CallStatus=in-progress", &r);
	assert_int_equal(rc, SB_ETRANSFER);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, ">sb-" L(1) "-" L(2) "</Conference>"));
	/* The patient hangs up; the doctor's leg had already gone (21220): done. */
	ts_push(&f->server, 400, "{\"code\": 21220, \"message\": \"Call is not in-progress. Cannot redirect.\"}", 0, 0);
	hook_ok(f, "/voice/status", "CallSid=" L(2) "&CallStatus=completed", &r);
	sb_call c;
	assert_int_equal(sb_call_get(&c, f->p, SB_ACTOR_SYSTEM, call), SB_OK);
	assert_int_equal(c.outcome, SB_CALL_ANSWERED);
}

static void test_call_edges(void **state)
{
	fx *f = *state;
	sb_twilio_reply r;
	/* A call to a number the practice does not serve is rejected. */
	int rc = hook(f, "/voice", "CallSid=" C1 "&From=%2B12125550142&To=%2B14155550199", &r);
	assert_int_equal(rc, SB_EROUTE);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<Reject/>"));
	/* A leg nobody knows is hung up. */
	assert_int_equal(hook(f, "/voice/answer", "CallSid=CAunknown", &r), SB_ENOTFOUND);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<Hangup/>"));
	/* Twilio redelivers an answer webhook whose reply it lost: the same TwiML,
	 * nothing fed twice. */
	hook_ok(f, "/voice", VOICE_IN("CA20000000000000000000000000000002", "%2B12125550142"), &r);
	assert_int_equal(hook_token(f, "/voice/answer", "CallSid=" L(2), "idem-1", &r), SB_OK);
	char first[4096];
	snprintf(first, sizeof first, "%s", r.body);
	assert_non_null(strstr(first, "<Say>Call from 2 1 2"));
	remember_store(f);
	int before = f->server.count;
	assert_int_equal(hook_token(f, "/voice/answer", "CallSid=" L(2), "idem-1", &r), SB_OK);
	assert_string_equal(r.body, first);
	assert_int_equal(f->server.count, before);
	store_unchanged(f);
	/* A machine picks up: no answer, and the machine is hung up on. */
	hook_ok(f, "/voice", VOICE_IN(C1, "%2B12125550142"), &r);
	hook_ok(f, "/voice/answer", "CallSid=" L(1) "&AnsweredBy=machine_start", &r);
	assert_non_null(strstr(r.body, "<Hangup/>"));
	/* Queued and initiated are no events. */
	hook_ok(f, "/voice/status", "CallSid=" L(2) "&CallStatus=initiated", &r);
	/* A leg with nothing to do listens for keys. */
	hook_ok(f, "/voice/idle", "CallSid=" L(2), &r);
	assert_non_null(strstr(r.body, "<Pause length=\"55\"/></Gather><Redirect method=\"POST\">" BASE "/voice/idle"));
	/* A caller who hangs up during a star is not a key. */
	hook_ok(f, "/voice/star", "CallSid=" L(2) "&CallStatus=completed", &r);
}

static void test_options(void **state)
{
	(void)state;
	sb_twilio_options o;
	sb_twilio *tw = (sb_twilio *)1;
	assert_int_equal(sb_twilio_options_init(NULL), SB_EINVAL);
	sb_twilio_options_init(&o);
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	assert_null(tw);
	o.account_sid = "AC123";
	o.auth_token = TOKEN;
	o.webhook_base = BASE;
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	o.account_sid = SID;
	o.api_base = "http://api.twilio.com"; /* plain HTTP only to this machine */
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	o.api_base = "http://127.0.0.1.evil.example";
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	o.api_base = NULL;
	o.webhook_base = BASE "/";
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	o.webhook_base = BASE;
	o.auth_token = "";
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EINVAL);
	o.auth_token = TOKEN;
	o.version = 2;
	assert_int_equal(sb_twilio_new(&tw, &o), SB_EVERSION);
	o.version = 1;
	assert_int_equal(sb_twilio_new(&tw, &o), SB_OK);
	sb_carrier k, host = {0};
	assert_int_equal(sb_twilio_carrier(NULL, tw, NULL), SB_EINVAL);
	assert_int_equal(sb_twilio_carrier(&k, tw, &host), SB_EVERSION);
	assert_int_equal(sb_twilio_carrier(&k, tw, NULL), SB_OK);
	assert_null(k.timer_start);
	assert_null(k.send_email);
	assert_non_null(k.send_sms);
	assert_int_equal(sb_twilio_request_init(NULL), SB_EINVAL);
	sb_twilio_free(tw);
	sb_twilio_free(NULL);
	assert_string_equal(sb_twilio_errmsg(NULL), "no adapter");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_documented_example),
		cmocka_unit_test(test_options),
		cmocka_unit_test_setup_teardown(test_signature_one_byte_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbound_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_webhooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_retries_once_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_screened_bridged_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_warm_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_voicemail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_click_to_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_edges, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
