/**
 * @file switchboard/twilio.h
 * @brief The Twilio carrier adapter (libswitchboard-twilio): webhooks in,
 * REST and TwiML out, signatures checked.
 *
 * A separate library beside the core (pkg-config `switchboard-twilio`), so
 * that the core stays free of HTTP and of libcurl and libcrypto. The host
 * still runs its own HTTP server; for every request under the webhook base
 * URL it hands the method's body, the full URL and the X-Twilio-Signature
 * header to sb_twilio_webhook() and writes back the reply it gets.
 *
 * - Inbound: texts, message status callbacks and voice webhooks become the
 *   library's events (sb_sms_receive(), sb_sms_status(), sb_call_inbound(),
 *   sb_call_feed(), sb_voicemail_transcript()).
 * - Outbound: sb_twilio_carrier() fills an ::sb_carrier whose commands become
 *   Twilio REST requests (Messages and Calls resources) over HTTPS, or TwiML
 *   in the reply to the webhook being answered. docs/design.md has the
 *   tables: which Twilio status word maps to which library event, and which
 *   command goes by TwiML and which by REST.
 *
 * The routes, relative to `webhook_base` (configure the first four in the
 * Twilio console or on the number; the adapter names the others itself):
 *   POST /sms               a number's "A message comes in" webhook
 *   POST /sms/status        message status callbacks (set on every send)
 *   POST /voice             a number's "A call comes in" webhook
 *   POST /voice/status      call status callbacks (set on every leg placed)
 *   POST /voice/answer, /voice/digits, /voice/star, /voice/played,
 *        /voice/idle, /voice/recorded, /voice/transcription
 *
 * Threads: an ::sb_twilio handle is used by one thread at a time, like the
 * practice it serves; separate handles may run in parallel.
 */
#ifndef SWITCHBOARD_TWILIO_H
#define SWITCHBOARD_TWILIO_H

#include "common.h"
#include "carrier.h"
#include "message.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest webhook body the adapter reads; larger is SB_ETOOBIG (HTTP 413). */
#define SB_TWILIO_BODY_MAX (64u * 1024u)

typedef struct sb_twilio sb_twilio;

/** How to reach Twilio. Strings are copied by sb_twilio_new(). */
typedef struct sb_twilio_options {
	unsigned int version;         /**< 1 */
	const char *account_sid;      /**< "AC" and 32 hex digits */
	const char *auth_token;       /**< signs webhooks and authenticates REST calls */
	const char *api_base;         /**< NULL: https://api.twilio.com; http:// only to 127.0.0.1, ::1 or localhost */
	const char *webhook_base;     /**< the public https:// URL the host serves the routes under, no trailing slash */
	int64_t timeout_ms;           /**< per HTTP request; 0: 10000 */
	int retries;                  /**< extra tries after 429, 503 or no connection; 0: 3, negative: none */
	int64_t retry_delay_ms;       /**< first wait between tries, doubled each time; 0: 250 */
	const char *hold_music_url;   /**< NULL: Twilio's public classical hold music */
	const char *ringback_url;     /**< NULL: a ringback tone of Twilio's public sounds */
	const char *beep_url;         /**< NULL: the beep is a DTMF tone played on the leg */
} sb_twilio_options;

/** Fill with version 1 and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_twilio_options_init(sb_twilio_options *opts);

/**
 * Make an adapter. `*out` is the caller's to sb_twilio_free().
 * @return SB_OK; SB_EINVAL (NULL, a malformed account SID, an empty auth
 *         token, a base URL that is not https:// or a loopback http://, a
 *         webhook base ending in '/'); SB_EVERSION; SB_ENOMEM; SB_ENOTSUP
 *         (libcurl has no HTTPS).
 */
SB_EXTERN int sb_twilio_new(sb_twilio **out, const sb_twilio_options *opts);

/** Free an adapter; NULL is a no-op. Practices using its carrier must be closed first. */
SB_EXTERN void sb_twilio_free(sb_twilio *tw);

/**
 * What the last failed call on `tw` went wrong with, as text: never a
 * phone number or a message body (PHI stays out of error text). Owned by
 * `tw`, valid until the next call on it. "not an error" after a success.
 */
SB_EXTERN const char *sb_twilio_errmsg(const sb_twilio *tw);

/** What Twilio answered to the last REST request that failed. */
typedef struct sb_twilio_error {
	int http_status;    /**< 0: no HTTP answer (no connection, timeout) */
	int twilio_code;    /**< Twilio's error code (21211, 21610, 20429…), 0 when none */
} sb_twilio_error;

/** The last REST failure of `tw` (zeroes when the last request succeeded). @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_twilio_last_error(sb_twilio_error *out, const sb_twilio *tw);

/**
 * Fill `out` with a carrier that speaks Twilio: send_sms and every call
 * command go to Twilio; send_email, timer_start and timer_stop are taken
 * from `host` (Twilio has neither e-mail nor timers here), which may be
 * NULL when the host needs neither. Pass `out` as sb_practice_options.carrier.
 * One adapter serves one practice: `tw` must outlive it, and a second call
 * replaces the host for every practice already using `tw`.
 * @return SB_OK; SB_EINVAL (NULL `out` or `tw`); SB_EVERSION (`host`).
 */
SB_EXTERN int sb_twilio_carrier(sb_carrier *out, sb_twilio *tw, const sb_carrier *host);

/**
 * Check an X-Twilio-Signature: base64 of HMAC-SHA1, keyed with the auth
 * token, over `url` followed by every form parameter's name and value in
 * name order; compared in constant time.
 * @param body  the raw application/x-www-form-urlencoded body (may be NULL when `len` is 0)
 * @return SB_OK; SB_ESIGNATURE (missing, malformed or wrong signature);
 *         SB_EINVAL (NULL `tw` or `url`); SB_ETOOBIG (body over SB_TWILIO_BODY_MAX);
 *         SB_EWEBHOOK (the body is not form encoding).
 */
SB_EXTERN int sb_twilio_verify(sb_twilio *tw, const char *url, const char *body, size_t len, const char *signature);

/** One webhook request as the host's HTTP server received it. */
typedef struct sb_twilio_request {
	unsigned int version;          /**< 1 */
	const char *url;               /**< the full URL Twilio requested, query included, as configured */
	const char *signature;         /**< the X-Twilio-Signature header, or NULL when absent */
	const char *idempotency_token; /**< the I-Twilio-Idempotency-Token header, or NULL */
	const char *body;              /**< the raw POST body */
	size_t body_len;
} sb_twilio_request;

/** What a webhook became. */
typedef enum sb_twilio_kind {
	SB_TWILIO_SMS = 1,             /**< an inbound text: see `delivery` */
	SB_TWILIO_SMS_STATUS = 2,      /**< a message status report */
	SB_TWILIO_CALL = 3,            /**< a voice webhook: see `call_id` */
	SB_TWILIO_TRANSCRIPT = 4       /**< a voicemail transcript */
} sb_twilio_kind;

/** The HTTP reply to write back. Strings are owned by the adapter, valid until its next call. */
typedef struct sb_twilio_reply {
	int status;                    /**< HTTP status: 200, 400, 403, 404, 413, 500 or 503 */
	const char *content_type;      /**< "text/xml" or "text/plain" */
	const char *body;              /**< TwiML, or a short reason without PHI */
	int kind;                      /**< an ::sb_twilio_kind, 0 when refused */
	sb_id call_id;                 /**< SB_TWILIO_CALL: the call, 0 when none */
	int applied;                   /**< SB_TWILIO_SMS_STATUS: the report moved the message on */
	sb_delivery delivery;          /**< SB_TWILIO_SMS */
} sb_twilio_reply;

/**
 * Take one webhook: check its signature first, then decode it, feed it to
 * `p` and fill `out` with the reply, TwiML included. A redelivered webhook
 * (same MessageSid, same idempotency token) changes nothing and answers as
 * the first did. `p` must have been opened with this adapter's carrier.
 *
 * The reply is filled for every outcome the host must answer (a failure
 * answers with its status and a short reason), so the host can always write
 * it back. Twilio retries a 5xx; it does not retry a 4xx.
 *
 * @return SB_OK (reply 200); SB_ESIGNATURE (403); SB_ETOOBIG (413);
 *         SB_EWEBHOOK (400: malformed form encoding, a missing or malformed
 *         field, an unknown status word, an unknown route); SB_EUTF8 (400);
 *         SB_EPHONE, SB_EROUTE (200: Twilio must not retry a number the
 *         practice does not serve; a call is rejected); SB_EBUSY (503);
 *         SB_ENOTFOUND (200, an event about a leg or message this practice
 *         does not know; a leg is hung up); SB_ETRANSFER (200: '*' on an
 *         outbound call, which goes on); SB_ENOMEM (500); any other error of
 *         the library call it fed (500). SB_EINVAL (NULL arguments) and
 *         SB_EVERSION leave `out` unfilled (status 0).
 */
SB_EXTERN int sb_twilio_webhook(sb_twilio_reply *out, sb_twilio *tw, sb_practice *p, const sb_twilio_request *req);

/** Fill with version 1 and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_twilio_request_init(sb_twilio_request *req);

#ifdef __cplusplus
}
#endif

#endif
