/* The Twilio adapter's insides, shared by its modules. Internal. */
#ifndef SB_TWILIO_INTERNAL_H
#define SB_TWILIO_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "switchboard/twilio.h"

/* A growing byte buffer; `oom` sticks once an append failed, so a caller
 * appends freely and checks once. */
typedef struct tw_buf {
	char *p;
	size_t len, cap;
	int oom;
} tw_buf;
void tw_buf_free(tw_buf *b);
void tw_buf_reset(tw_buf *b);
void tw_buf_add(tw_buf *b, const char *s, size_t n);
void tw_buf_str(tw_buf *b, const char *s);
void tw_buf_fmt(tw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append `s` escaped for XML text and attribute values. */
void tw_buf_xml(tw_buf *b, const char *s);
/* Append `s` percent-encoded (all but unreserved characters). */
void tw_buf_url(tw_buf *b, const char *s);
/* Append `name=value&` form-encoded (the trailing '&' is dropped by tw_form_end). */
void tw_buf_form(tw_buf *b, const char *name, const char *value);
void tw_form_end(tw_buf *b);

/* A decoded application/x-www-form-urlencoded body. */
typedef struct tw_param {
	char *name, *value;
} tw_param;
typedef struct tw_form {
	tw_param *v;
	size_t n;
} tw_form;
/* SB_OK; SB_EWEBHOOK (a bad %-escape, an encoded NUL); SB_ENOMEM. */
int tw_form_parse(tw_form *out, const char *s, size_t len);
void tw_form_free(tw_form *f);
/* The first value of `name`, or NULL. */
const char *tw_form_get(const tw_form *f, const char *name);

/* The few members of a Twilio JSON answer the adapter reads. Each takes a
 * pointer at an object's '{' and answers 0 when the member is there. */
int tw_json_string(const char *obj, const char *key, char *out, size_t cap);
int tw_json_int(const char *obj, const char *key, long *out);
/* The elements of array member `key`: *it starts NULL; each call moves it
 * to the next element's first byte and answers 0, or -1 at the end. */
int tw_json_each(const char *obj, const char *key, const char **it);

/* One leg's TwiML being gathered for the reply to its webhook. */
typedef struct tw_answer {
	const char *leg;  /* the CallSid of the webhook being answered, or NULL */
	const char *conf; /* the conference it comes back from (URL conf=), or NULL */
	tw_buf twiml;     /* its verbs */
	int endless;      /* the last verb never ends: the next command replaces them */
	int commands;     /* commands it got */
} tw_answer;

/* A text's idempotency key and what became of it (C16). */
typedef struct tw_sent {
	char key[SB_IDEMPOTENCY_KEY_MAX + 1];
	char sid[SB_CARRIER_ID_MAX];  /* "" while uncertain */
	int64_t since;                /* uncertain: epoch seconds of the first try */
} tw_sent;
#define TW_SENT_MAX 256

/* The reply a voice webhook got, by its idempotency token: Twilio redelivers
 * a webhook whose reply it never received, and must hear the same TwiML. */
typedef struct tw_replied {
	char *token;
	char *twiml;
	int status;
	sb_id call_id;
} tw_replied;
#define TW_REPLIED_MAX 64

struct sb_twilio {
	char *account_sid, *auth_token, *api_base, *webhook_base;
	char *hold_url, *ringback_url, *beep_url;
	int64_t timeout_ms, retry_delay_ms;
	int retries;
	void *curl;
	sb_carrier host;
	char errmsg[256];
	sb_twilio_error last;
	tw_answer answer;
	tw_buf reply;
	tw_sent sent[TW_SENT_MAX];
	size_t sent_next;
	tw_replied replied[TW_REPLIED_MAX];
	size_t replied_next;
};

/* Record a failure on `tw` and return `code`. */
int tw_fail(sb_twilio *tw, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tw_ok(sb_twilio *tw);

/* REST (twilio_rest.c). */
int tw_rest_init(sb_twilio *tw);
void tw_rest_free(sb_twilio *tw);
/* How a request ended, for the retry policy. */
typedef enum tw_outcome {
	TW_DONE = 0,      /* a 2xx */
	TW_REFUSED,       /* a 4xx other than 429: Twilio said no, trying again says no */
	TW_TRANSIENT,     /* 429, 503, no connection: nothing was done, try again */
	TW_AMBIGUOUS      /* 500, 502, 504, a timeout: it may have been done */
} tw_outcome;
/* POST `form` (or GET when NULL) to `path` under the account; the answer's
 * body lands in `resp`. Retries TW_TRANSIENT as the options say. */
tw_outcome tw_request(sb_twilio *tw, const char *path, const tw_buf *form, tw_buf *resp);
int tw_send_sms(sb_twilio *tw, const sb_sms *sms, char *out_id, size_t cap);
int tw_call_create(sb_twilio *tw, const sb_call_originate *req, char *out_id, size_t cap);
/* Update a live call: new TwiML (`twiml`), or a new status ("canceled", "completed"). */
int tw_call_update(sb_twilio *tw, const char *leg, const char *twiml, const char *status);

/* TwiML (twilio_twiml.c): each command as verbs for one leg. */
void tw_twiml_play(sb_twilio *tw, tw_buf *b, const sb_play *play);
void tw_twiml_hold(sb_twilio *tw, tw_buf *b);
void tw_twiml_record(sb_twilio *tw, tw_buf *b, const sb_record *rec);
void tw_twiml_bridge(sb_twilio *tw, tw_buf *b, const char *conf);
/* What a leg does with nothing to do: listen for keys, or rejoin its conference. */
void tw_twiml_idle(sb_twilio *tw, tw_buf *b, const char *conf);
/* A whole document around `verbs`. */
void tw_twiml_document(tw_buf *out, const char *verbs, size_t len);
/* Non-zero when the verbs rendered by this play never end by themselves. */
int tw_play_endless(const sb_play *play);

/* The carrier vtable (twilio.c). */
int tw_answer_begin(sb_twilio *tw, const char *leg, const char *conf);
void tw_answer_end(sb_twilio *tw);

#endif
