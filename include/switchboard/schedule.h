/**
 * @file switchboard/schedule.h
 * @brief Scheduled automated texts (A3): confirmations and reminders that
 * go out from a business number at a set time.
 *
 * sb_schedule_create() stores a text for a contact (its first phone number
 * when it goes) or a number, from a business number, due at an instant. It
 * can be listed, rescheduled and cancelled while it waits. The host calls
 * sb_schedule_pump() to send what is due: from a loop, or when the carrier's
 * timer "sb.schedule" fires, since each pump (and each change) asks the
 * carrier's timer_start, when the host gives one, for the next due time.
 *
 * Exactly once. A pump claims a text in its own transaction before it sends
 * it (a cancel after that is refused), and sends it as an ordinary outbound
 * text by the system under the key "sb-schedule-<id>" (message.h: the
 * outbox, the carrier, status reports). Two processes pumping at once claim
 * each text once; a pump that dies after its claim leaves the text to the
 * next pump after SB_OUTBOX_STALE_MS, which finds the message already
 * stored under its key instead of sending another.
 *
 * Late texts. A text is sent while the pump finds it due, up to its
 * `expires_at` (by default SB_SCHEDULE_GRACE_MS after `due_at`). One found
 * later than that (the host was down) is not sent: it is marked MISSED, so
 * a reminder never arrives after the appointment it announces.
 *
 * Who may: a teammate who sees the business number (T8) schedules, reads,
 * reschedules and cancels its texts; the pump runs as the system. The
 * recipient and the text are protected health information: sealed with a
 * key. Audited: "schedule.create", "schedule.change", "schedule.cancel",
 * "schedule.missed", and each text sent as "message.send".
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_SCHEDULE_H
#define SWITCHBOARD_SCHEDULE_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How late a text may still go when it gives no expires_at: 6 hours. */
#define SB_SCHEDULE_GRACE_MS INT64_C(21600000)
/** Most entries one sb_schedule_list() returns, and texts one pump sends. */
#define SB_SCHEDULE_PAGE_MAX 200u
/** The carrier timer a pump asks for (carrier.h timer_start). */
#define SB_SCHEDULE_TIMER "sb.schedule"

#define SB_SCHEDULED_SMS_VERSION 1

/** What a scheduled text is for (the host's label; it changes nothing). */
typedef enum sb_schedule_purpose {
	SB_PURPOSE_OTHER = 0,
	SB_PURPOSE_CONFIRMATION = 1,
	SB_PURPOSE_REMINDER = 2
} sb_schedule_purpose;

/** Where a scheduled text stands. */
typedef enum sb_schedule_state {
	SB_SCHEDULE_PENDING = 1,   /**< waits for its time */
	SB_SCHEDULE_SENDING = 2,   /**< a pump claimed it */
	SB_SCHEDULE_SENT = 3,      /**< it is a message now (item_id: its status says the rest) */
	SB_SCHEDULE_CANCELLED = 4,
	SB_SCHEDULE_MISSED = 5,    /**< found after expires_at: not sent */
	SB_SCHEDULE_FAILED = 6     /**< it could not be sent (no number, a retired business number, the carrier refused) */
} sb_schedule_state;

/** A text to schedule. Give exactly one of `contact` or `to`. */
typedef struct sb_scheduled_sms {
	unsigned int version;        /**< SB_SCHEDULED_SMS_VERSION */
	sb_id endpoint;              /**< the business number it goes from */
	sb_id contact;               /**< to this contact's first phone number, or 0 */
	const char *to;              /**< to this NANP number (any form), or NULL */
	const char *body;            /**< 1..SB_SMS_BODY_MAX bytes of UTF-8 */
	int purpose;                 /**< an ::sb_schedule_purpose */
	int64_t due_at;              /**< epoch ms, > 0 */
	int64_t expires_at;          /**< epoch ms after due_at; 0: due_at + SB_SCHEDULE_GRACE_MS */
	const char *idempotency_key; /**< the host's, e.g. "appt-881-reminder": scheduling it again finds the first; or NULL */
} sb_scheduled_sms;

/** A scheduled text as read (without its recipient and body). */
typedef struct sb_scheduled {
	sb_id id;
	sb_id endpoint_id;
	sb_id contact_id;            /**< 0 when it goes to a number */
	int purpose;
	int state;                   /**< an ::sb_schedule_state */
	int64_t due_at, expires_at;
	sb_id created_by;
	int64_t created_at, updated_at;
	sb_id item_id;               /**< the message it became, once sent; else 0 */
	sb_id conversation_id;       /**< that message's conversation; else 0 */
	int message_status;          /**< that message's ::sb_message_status; else 0 */
} sb_scheduled;

/** What one pump did. */
typedef struct sb_pump_report {
	size_t sent;                 /**< handed to the carrier */
	size_t failed;               /**< could not be sent (FAILED) */
	size_t missed;               /**< too late (MISSED) */
	int64_t next_due;            /**< epoch ms of the next waiting text; 0: none */
} sb_pump_report;

/** Fill with the version and zeroes. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_scheduled_sms_init(sb_scheduled_sms *s);

/**
 * Schedule a text.
 * @return SB_OK (*out_id; with a key used before, the first text's id and
 *         nothing new); SB_EINVAL (NULL, not exactly one recipient, an empty
 *         body, due_at not positive, expires_at not after due_at, purpose);
 *         SB_EVERSION; SB_ENOTFOUND (endpoint, contact); SB_ESTATE (a retired
 *         business number; not a business number; a contact with no phone
 *         number); SB_EPHONE (`to` is not a NANP number: C14); SB_EUTF8,
 *         SB_ETOOBIG (body, key); SB_EDENIED (the actor does not see the
 *         business number: T8, audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_create(sb_id *out_id, sb_practice *p, sb_id actor, const sb_scheduled_sms *s);

/**
 * Read one scheduled text.
 * @return SB_OK; SB_EINVAL (NULL); SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_get(sb_scheduled *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * List scheduled texts the actor sees, in `state` (0: any), soonest due first.
 * @param after_id  0 for the first page, else the last id of the previous page
 *                  (a page continues after that text's due time)
 * @param max       1..SB_SCHEDULE_PAGE_MAX
 * @return SB_OK; SB_EINVAL (NULL, max, state, negative after_id);
 *         SB_ENOTFOUND (after_id); SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_list(sb_scheduled *out, size_t *out_count, sb_practice *p, sb_id actor, int state,
                               sb_id after_id, size_t max);

/**
 * Move a waiting text to another time (and expiry: 0 for due_at + SB_SCHEDULE_GRACE_MS).
 * @return SB_OK; SB_EINVAL (times); SB_ENOTFOUND; SB_EDENIED; SB_ESTATE (no
 *         longer waiting: claimed, sent, cancelled or missed); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_reschedule(sb_practice *p, sb_id actor, sb_id id, int64_t due_at, int64_t expires_at);

/**
 * Cancel a waiting text. It is never sent.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE (no longer waiting);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_cancel(sb_practice *p, sb_id actor, sb_id id);

/**
 * Send up to `max` texts that are due now, soonest first, as the system;
 * mark those past their expiry MISSED. Then ask the carrier's timer_start
 * (when given) for SB_SCHEDULE_TIMER at the next due time.
 * @return SB_OK (see *out: a text the carrier refused counts as failed, and
 *         the pump goes on); SB_EINVAL (NULL, max); SB_ENOTSUP (no send_sms
 *         callback: nothing is claimed); SB_EUSER (the host clock, or the
 *         timer callback); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_schedule_pump(sb_pump_report *out, sb_practice *p, size_t max);

#ifdef __cplusplus
}
#endif

#endif
