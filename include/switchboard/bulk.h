/**
 * @file switchboard/bulk.h
 * @brief Bulk messages (T10): one text to every contact a filter picks.
 *
 * sb_bulk_create() picks the recipients once, from a contact filter
 * (filter.h), and stores the text for a business number. sb_bulk_send()
 * then sends copies, a few at a time as the host paces it: each copy is an
 * ordinary outbound text (sb_sms_send(): the outbox, the carrier, status
 * reports) to the contact's first phone number, in that contact's own
 * conversation with the business number. Each recipient keeps a status: not
 * sent yet, skipped (no phone number), or its copy's message status.
 *
 * No one gets two copies. A copy's idempotency key is made from the bulk
 * and the contact, so a send interrupted anywhere (a carrier failure, a
 * crash, two processes sending at once) is resumed by calling
 * sb_bulk_send() again: it finds the stored copy by its key instead of
 * sending another. Copies the carrier refused are sent again only by
 * sb_bulk_retry(), under the same key, like sb_sms_retry().
 *
 * Who may: a teammate who sees the business number (T8) creates, sends,
 * reads and retries its bulk messages. The text is protected health
 * information: sealed with a key. Audited: "bulk.create", and each copy as
 * "message.send".
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_BULK_H
#define SWITCHBOARD_BULK_H

#include "common.h"
#include "filter.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most recipients of one bulk message. */
#define SB_BULK_RECIPIENTS_MAX 20000u
/** Most entries one sb_bulk_recipients() or sb_bulk_list() returns. */
#define SB_BULK_PAGE_MAX 500u

/** Where one recipient stands. */
typedef enum sb_bulk_state {
	SB_BULK_PENDING = 0,  /**< no copy yet */
	SB_BULK_SKIPPED = 1,  /**< nothing to send to: no phone number, or the contact is gone (merged or deleted) */
	SB_BULK_STORED = 2    /**< its copy is stored: see its message status */
} sb_bulk_state;

/** A bulk message and how its copies stand. */
typedef struct sb_bulk {
	sb_id id;
	sb_id endpoint_id;   /**< the business number it is sent from */
	sb_id created_by;
	int64_t created_at;  /**< epoch ms */
	size_t recipients;   /**< everyone the filter picked */
	size_t pending, skipped;
	size_t queued, sent, delivered, undelivered, failed; /**< stored copies by message status */
} sb_bulk;

/** One recipient. */
typedef struct sb_bulk_recipient {
	sb_id contact_id;
	int state;             /**< an ::sb_bulk_state */
	sb_id conversation_id; /**< once stored */
	sb_id item_id;         /**< its copy, once stored */
	int status;            /**< the copy's ::sb_message_status, once stored; else SB_STATUS_NONE */
} sb_bulk_recipient;

/**
 * Store a bulk message: the text, the business number, and the contacts the
 * filter picks now (contacts added later do not get it). Nothing is sent.
 * @param contacts  a contact filter (SB_FILTER_CONTACTS)
 * @return SB_OK with *out_id; SB_EINVAL (NULL pointers, an empty body, a bad
 *         filter); SB_EVERSION; SB_ENOTFOUND (endpoint; what the filter
 *         names); SB_EDENIED (the actor does not see the endpoint; audited);
 *         SB_ESTATE (the endpoint is retired or not a business number; the
 *         filter picks no contact); SB_ETOOBIG (body over SB_SMS_BODY_MAX;
 *         more than SB_BULK_RECIPIENTS_MAX recipients: nothing stored);
 *         SB_EUTF8; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_bulk_create(sb_id *out_id, sb_practice *p, sb_id actor, sb_id endpoint, const char *body,
                             const sb_filter *contacts);

/**
 * Send up to `max` copies to recipients that have none yet, in contact
 * order, then report how the bulk stands in *out. A carrier refusal does
 * not stop it: that copy is stored as FAILED and counted. Call again until
 * out->pending is 0.
 * @return SB_OK; SB_EINVAL (NULL, max 0 or over SB_BULK_PAGE_MAX);
 *         SB_ENOTFOUND (no such bulk message); SB_EDENIED (audited);
 *         SB_ESTATE (the business number was retired); SB_ENOTSUP (no
 *         send_sms callback: nothing sent); SB_EBUSY, SB_ESTORE (it stopped;
 *         what went stays, and the next call resumes).
 */
SB_EXTERN int sb_bulk_send(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk, size_t max);

/**
 * Send again up to `max` copies the carrier refused (FAILED), or that were
 * left unsent by a sender that died (see sb_sms_retry()), each under its
 * first key; then report how the bulk stands.
 * @return as sb_bulk_send().
 */
SB_EXTERN int sb_bulk_retry(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk, size_t max);

/**
 * How a bulk message stands.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (audited); SB_EINVAL; SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_bulk_get(sb_bulk *out, sb_practice *p, sb_id actor, sb_id bulk);

/**
 * A page of a bulk message's recipients, in contact order, after
 * `after_contact` (0 first).
 * @param max  1..SB_BULK_PAGE_MAX
 * @return as sb_bulk_get().
 */
SB_EXTERN int sb_bulk_recipients(sb_bulk_recipient *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id bulk,
                                 sb_id after_contact, size_t max);

/**
 * A page of the practice's bulk messages from business numbers the actor
 * sees, newest first: pass before_id = 0 first, then the last entry's id.
 * @param max  1..SB_BULK_PAGE_MAX
 * @return SB_OK; SB_EINVAL; SB_EDENIED (unknown actor); SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_bulk_list(sb_bulk *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id before_id, size_t max);

#ifdef __cplusplus
}
#endif

#endif
