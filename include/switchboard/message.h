/**
 * @file switchboard/message.h
 * @brief Texts in and out (C1–C4, C12, C14–C16).
 *
 * Inbound: the host hands every SMS/MMS its carrier delivers to
 * sb_sms_receive(). It lands in the pair's conversation, creating it and an
 * unsaved contact as needed, reopens it and marks it unread. A redelivery
 * with the same carrier id changes nothing and reports what the first made.
 *
 * Outbound: sb_sms_send() stores the message as QUEUED (the outbox) and
 * commits before it calls the carrier's send_sms (C16); the carrier's id is
 * then stored with it. When the carrier fails, the message stays stored as
 * FAILED and sb_sms_retry() (or a send with the same idempotency key) sends
 * it again under the same key. Status reports move a message only forward;
 * late and repeated ones are ignored. Texts reach NANP numbers only (C14).
 *
 * Bodies are protected health information: sealed with a key, written
 * audited ("message.receive", "message.send", "message.retry").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_MESSAGE_H
#define SWITCHBOARD_MESSAGE_H

#include "attachment.h"
#include "carrier.h"
#include "common.h"
#include "practice.h"
#include "timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of an SMS body (UTF-8): 1600 characters, the carriers' cap, of up to 4 bytes. */
#define SB_SMS_BODY_MAX 6400u
/** Most bytes of an idempotency key. */
#define SB_IDEMPOTENCY_KEY_MAX 127u

#define SB_INBOUND_SMS_VERSION 1
#define SB_OUTBOUND_SMS_VERSION 1

/** An SMS or MMS the carrier delivered. */
typedef struct sb_inbound_sms {
	unsigned int version;                  /**< SB_INBOUND_SMS_VERSION */
	const char *from;                      /**< the sender, any form; NANP */
	const char *to;                        /**< one of the practice's business numbers */
	const char *body;                      /**< UTF-8 (emoji welcome); "" with media */
	const sb_attachment_spec *media;       /**< MMS media, or NULL */
	size_t media_count;                    /**< 0..SB_ATTACHMENTS_MAX */
	const char *carrier_id;                /**< the carrier's message id (required, C15) */
	int64_t received_at;                   /**< epoch ms; 0: now */
} sb_inbound_sms;

/** A text to send. Give exactly one of `conversation`, `contact` or `to`. */
typedef struct sb_outbound_sms {
	unsigned int version;                  /**< SB_OUTBOUND_SMS_VERSION */
	sb_id endpoint;                        /**< the business number to send from (C3); 0 with `conversation` */
	sb_id conversation;                    /**< reply in this conversation, or 0 */
	sb_id contact;                         /**< text this contact's first phone number, or 0 */
	const char *to;                        /**< text this number (any form), or NULL */
	const char *body;                      /**< UTF-8; "" with attachments */
	const sb_attachment_spec *attachments; /**< or NULL */
	size_t attachment_count;
	const sb_id *library;                  /**< library documents to attach, or NULL */
	size_t library_count;                  /**< attachments + library <= SB_ATTACHMENTS_MAX */
	const char *idempotency_key;           /**< NULL: the library makes one */
} sb_outbound_sms;

/** What a send did. */
typedef struct sb_sent {
	sb_id conversation_id;
	sb_id item_id;
	int status;                            /**< an ::sb_message_status */
	int duplicate;                         /**< the key was used before: nothing sent again */
	int segments;                          /**< SMS segments the body takes */
	char carrier_id[SB_CARRIER_ID_MAX];    /**< "" until the carrier accepted it */
} sb_sent;

/** How an SMS body is encoded. */
typedef enum sb_sms_encoding {
	SB_SMS_GSM7 = 1,  /**< GSM 03.38: 160 per single segment, 153 per part */
	SB_SMS_UCS2 = 2   /**< anything else (emoji, most accents): 70 single, 67 per part */
} sb_sms_encoding;

/** Fill with version 1 and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_inbound_sms_init(sb_inbound_sms *sms);
/** Fill with version 1 and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_outbound_sms_init(sb_outbound_sms *sms);

/**
 * Take an inbound text (C1, C2, C4, C9, C13, C15). The actor is the system.
 * @return SB_OK (see out->duplicate); SB_EINVAL (NULL pointers, no carrier
 *         id, neither body nor media); SB_EVERSION; SB_EPHONE (`from` is not a
 *         NANP number, or `to` is not a number); SB_EROUTE (`to` is not an
 *         active business number of the practice); SB_EUTF8; SB_ETOOBIG (body
 *         over SB_SMS_BODY_MAX, media over their limits); SB_ECONFLICT (the
 *         carrier id was taken by another kind of event); SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE. On any error nothing is stored.
 */
SB_EXTERN int sb_sms_receive(sb_delivery *out, sb_practice *p, const sb_inbound_sms *sms);

/**
 * Send a text (C3, C12, C14, C16).
 * @return SB_OK (see out->duplicate: the key's message already went, or is
 *         under way); SB_EINVAL (NULL pointers, not exactly one recipient,
 *         an endpoint that disagrees with the conversation, nothing to send);
 *         SB_EVERSION; SB_ENOTFOUND (endpoint, conversation, contact or
 *         library document); SB_ESTATE (the endpoint is retired; the contact
 *         has no phone number; the conversation is not standard);
 *         SB_EPHONE (not a number, or not NANP: C14); SB_EUTF8, SB_ETOOBIG
 *         (body, key, attachments); SB_ENOTSUP (no send_sms callback: nothing
 *         stored); SB_EUSER (the carrier failed: the message is stored as
 *         FAILED, `out` names it, retry it); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_sms_send(sb_sent *out, sb_practice *p, sb_id actor, const sb_outbound_sms *sms);

/**
 * How long an outbound message may stay QUEUED with no answer from the
 * carrier before it counts as stale: its sender died between storing it
 * and hearing the carrier's answer (send_sms is synchronous, so a live
 * sender is never this slow). A stale message may be sent again like a
 * failed one.
 */
#define SB_OUTBOX_STALE_MS 300000

/**
 * Send an outbound message again, with its first idempotency key: one
 * that FAILED, or a stale one (QUEUED with no carrier answer for
 * SB_OUTBOX_STALE_MS; the carrier contract's idempotency key lets the
 * carrier drop it if the first try did reach it). A send with the same
 * key does the same.
 * @return as sb_sms_send(); SB_ENOTFOUND (no such outbound message);
 *         SB_ESTATE (it has not failed and is not stale).
 */
SB_EXTERN int sb_sms_retry(sb_sent *out, sb_practice *p, sb_id actor, sb_id item);

/**
 * A carrier status report for an outbound message (C16). It applies only
 * when it moves the message forward; a late or repeated report is ignored
 * (*out_applied 0, SB_OK).
 * @param status  SB_STATUS_SENT, _DELIVERED, _UNDELIVERED or _FAILED
 * @param error   the carrier's failure text (no PHI), or NULL
 * @return SB_OK; SB_ENOTFOUND (no outbound message has this carrier id);
 *         SB_EINVAL; SB_EUTF8, SB_ETOOBIG (error text); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_sms_status(int *out_applied, sb_practice *p, const char *carrier_id, int status, const char *error);

/**
 * How many SMS segments a body takes, and in which encoding. GSM-7 counts
 * the extension characters (^{}[]~\|€ and form feed) twice; UCS-2 counts
 * characters beyond the Basic Multilingual Plane (most emoji) twice. A
 * body that fits one segment takes 1; longer ones split into parts of 153
 * (GSM-7) or 67 (UCS-2). An empty body takes 0.
 * @return SB_OK; SB_EINVAL (NULL); SB_EUTF8.
 */
SB_EXTERN int sb_sms_segments(int *out_segments, int *out_encoding, const char *body);

#ifdef __cplusplus
}
#endif

#endif
