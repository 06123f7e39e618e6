/**
 * @file switchboard/afterhours.h
 * @brief The after-hours auto-reply and e-mail alerts (A2).
 *
 * When a text arrives while its business number is closed (hours.h: the
 * number's own hours, else the practice's), the library answers once per
 * conversation per closed period, never once per message. The text itself
 * lands in its mailbox as always (message.h). A closed period is named by
 * the instant it ends, the next opening; changing the hours during one can
 * start another. Whether it is closed is judged at the moment the library
 * takes the text.
 *
 * The reply and the alerts are an outbox: they are stored in the same
 * transaction as the inbound text, then sent after it commits. The reply is
 * an ordinary outbound text in the conversation, from the business number,
 * by the system (sb_sms_send(), key "sb-after-hours-<id>"). Each alert is
 * one e-mail per configured recipient through the carrier's send_email; it
 * names the business number and the conversation's id and carries no
 * protected health information (neither the patient's number nor the
 * text). A carrier failure leaves the reply or alert stored as failed, and
 * sb_after_hours_retry() sends it again; so does a crash between the commit
 * and the carrier call. The inbound text is never lost to any of this: when
 * the hours cannot be judged (a zone this system no longer has), the text
 * is taken without a reply.
 *
 * Who may: admins (and the system) change the settings and retry (T1);
 * every active teammate reads the settings, and lists the closed periods of
 * conversations they see (T8). Settings are not PHI; their changes are
 * audited ("practice.after_hours").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_AFTERHOURS_H
#define SWITCHBOARD_AFTERHOURS_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of the reply (UTF-8): within one SMS's carrier cap. */
#define SB_AFTER_HOURS_REPLY_MAX 640u
/** Most alert recipients. */
#define SB_ALERT_RECIPIENTS_MAX 10u
/** Most bytes of the comma-separated recipient list. */
#define SB_ALERT_TO_MAX 1024u
/** Most entries one sb_after_hours_list() returns. */
#define SB_AFTER_HOURS_PAGE_MAX 200u

#define SB_AFTER_HOURS_VERSION 1

/** The after-hours settings, as read and written whole. */
typedef struct sb_after_hours {
	unsigned int version;                      /**< SB_AFTER_HOURS_VERSION */
	int reply_on;                              /**< non-zero: reply to texts that arrive while closed */
	char reply[SB_AFTER_HOURS_REPLY_MAX + 1];  /**< the reply; required when reply_on */
	int alert_on;                              /**< non-zero: e-mail the recipients */
	char alert_to[SB_ALERT_TO_MAX + 1];        /**< "a@x.org, b@y.com": read back normalised ("a@x.org,b@y.com") */
} sb_after_hours;

/** Where a reply or an alert stands. */
typedef enum sb_notice_state {
	SB_NOTICE_NONE = 0,    /**< none was due (the reply was off) */
	SB_NOTICE_PENDING = 1, /**< stored, not yet handed to the carrier */
	SB_NOTICE_SENT = 2,    /**< the carrier took it (a reply's delivery is its message's status) */
	SB_NOTICE_FAILED = 3   /**< the carrier refused it: sb_after_hours_retry() */
} sb_notice_state;

/** One conversation's closed period: the text that opened it, its reply and alerts. */
typedef struct sb_after_hours_event {
	sb_id id;
	sb_id conversation_id;
	sb_id item_id;          /**< the inbound text that opened it */
	int64_t period;         /**< epoch ms of the next opening then; 0: none ahead */
	int64_t created_at;
	int reply_state;        /**< an ::sb_notice_state */
	sb_id reply_item_id;    /**< the reply's message, once stored; 0 before */
	size_t alerts;          /**< alerts due (one per recipient) */
	size_t alerts_sent;
	size_t alerts_failed;   /**< the rest are pending */
} sb_after_hours_event;

/** Fill with the version and the defaults (reply and alerts off). @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_after_hours_init(sb_after_hours *s);

/**
 * Read the after-hours settings into *out (which needs no init).
 * @return SB_OK; SB_EINVAL (NULL); SB_EDENIED (not an active teammate);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_after_hours_get(sb_after_hours *out, sb_practice *p, sb_id actor);

/**
 * Replace the after-hours settings. Admins only. The recipients are
 * checked one by one, spaces around the commas ignored.
 * @return SB_OK; SB_EINVAL (NULL; reply_on with an empty reply; alert_on
 *         with no recipient; an empty entry or a repeated address);
 *         SB_EEMAIL (an entry is not an e-mail address: the message names
 *         its position); SB_EVERSION; SB_EUTF8; SB_ETOOBIG (reply, list, more
 *         than SB_ALERT_RECIPIENTS_MAX recipients); SB_EDENIED (not an
 *         admin: audited); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_after_hours_set(sb_practice *p, sb_id actor, const sb_after_hours *s);

/**
 * List closed periods, newest first, of conversations the actor sees.
 * @param before_id  0 for the first page, else the last id of the previous page
 * @param max        1..SB_AFTER_HOURS_PAGE_MAX
 * @return SB_OK; SB_EINVAL (NULL, max, negative before_id); SB_EDENIED;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_after_hours_list(sb_after_hours_event *out, size_t *out_count, sb_practice *p, sb_id actor,
                                  sb_id before_id, size_t max);

/**
 * Send again up to `max` replies and alerts that failed, or that were
 * stored but never handed over (a crash; an alert is then taken once it
 * has been under way for SB_OUTBOX_STALE_MS). Admins and the system only.
 * Each is sent once however many processes retry at the same time.
 * @param out_sent    how many the carrier took now
 * @param out_failed  how many it refused again (they stay failed)
 * @return SB_OK; SB_EINVAL (NULL, max not 1..SB_AFTER_HOURS_PAGE_MAX);
 *         SB_EDENIED; SB_EUSER (the host clock); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_after_hours_retry(size_t *out_sent, size_t *out_failed, sb_practice *p, sb_id actor, size_t max);

#ifdef __cplusplus
}
#endif

#endif
