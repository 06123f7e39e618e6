/**
 * @file switchboard/notify.h
 * @brief Alerts (seeds 002, 004): whom to page when something lands in a
 * mailbox.
 *
 * When a patient's text or secure message, a voicemail or a missed call
 * lands in a mailbox, the library tells the host whom to alert through the
 * callback given to sb_notify_set(): one ::sb_notice per landing, after the
 * transaction that stored it commits (at the host's commit inside a host
 * transaction; never for work rolled back, nor for a redelivered carrier
 * event). A notice names the item, its conversation, the mailbox it landed
 * in and the teammates to alert; it carries no protected health
 * information, so the host's push says "a new text in the shared inbox"
 * and the app reads the rest as the teammate.
 *
 * Whom: the active teammates who see the conversation's number or link
 * (T8), as each one's preference for that kind of notice says:
 * - SB_NOTIFY_ALL (the default): anything that lands where they can see it,
 *   the shared inbox included;
 * - SB_NOTIFY_MINE: only what lands in their own mailbox or a mailbox of a
 *   team they belong to;
 * - SB_NOTIFY_OFF: never.
 * A missed call is an inbound call that nobody answered and that left no
 * voicemail (outcome MISSED or CANCELED): a voicemail gives the voicemail
 * notice instead. A chat message (chat.h) alerts the chat's other members
 * whose "messages" level is not SB_NOTIFY_OFF.
 *
 * Who may: a teammate reads and sets their own preferences; admins those of
 * any teammate (T1). Setting is audited ("notify.prefs").
 *
 * Threads: as for the practice handle. The callback runs on the thread
 * making the library call, and must not call back into the same handle.
 */
#ifndef SWITCHBOARD_NOTIFY_H
#define SWITCHBOARD_NOTIFY_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_NOTIFY_PREFS_VERSION 1
#define SB_NOTICE_VERSION 1

/** What landed. */
typedef enum sb_notice_kind {
	SB_NOTICE_MESSAGE = 1,      /**< an inbound text (SMS or MMS) or a patient's secure message */
	SB_NOTICE_VOICEMAIL = 2,    /**< a voicemail was left */
	SB_NOTICE_MISSED_CALL = 3,  /**< an inbound call nobody answered, without a voicemail */
	SB_NOTICE_CHAT_MESSAGE = 4  /**< a teammate wrote in a chat (chat.h) */
} sb_notice_kind;

/** The mailbox_kind of a chat message's notice: a chat is in no mailbox. */
#define SB_NOTICE_NO_MAILBOX (-1)

/** How much of a kind of notice a teammate wants. */
typedef enum sb_notify_level {
	SB_NOTIFY_ALL = 0,   /**< the default: all they can see */
	SB_NOTIFY_MINE = 1,  /**< their own and their teams' mailboxes only */
	SB_NOTIFY_OFF = 2
} sb_notify_level;

/** A teammate's alert preferences, one ::sb_notify_level per kind. */
typedef struct sb_notify_prefs {
	unsigned int version;  /**< SB_NOTIFY_PREFS_VERSION */
	int messages;
	int voicemails;
	int missed_calls;
} sb_notify_prefs;

/** One landing, as the callback receives it. Valid only during the callback. */
typedef struct sb_notice {
	unsigned int version;    /**< SB_NOTICE_VERSION */
	int kind;                /**< an ::sb_notice_kind */
	sb_id conversation_id;   /**< for SB_NOTICE_CHAT_MESSAGE: the chat's id */
	sb_id item_id;           /**< the message, voicemail or call item; the chat message */
	int mailbox_kind;        /**< an ::sb_mailbox_kind: where it landed; SB_NOTICE_NO_MAILBOX for a chat */
	sb_id mailbox_owner;     /**< the teammate or team of that mailbox (0: the shared inbox); a team chat's team */
	const sb_id *teammates;  /**< whom to alert, in id order */
	size_t teammate_count;   /**< >= 1: a landing nobody is to hear of gives no notice */
} sb_notice;

/** The host's alert callback. Its return value is not used: an alert is a
 *  courtesy over the stored mailbox, which holds the item whatever it does. */
typedef void (*sb_notify_fn)(void *userdata, const sb_notice *notice);

/**
 * Give the handle its alert callback, or NULL to stop alerts. Landings
 * stored while no callback is set give no notice later.
 * @return SB_OK; SB_EINVAL (NULL practice); SB_ESTATE (not open).
 */
SB_EXTERN int sb_notify_set(sb_practice *p, sb_notify_fn fn, void *userdata);

/** Fill `prefs` with the defaults (all SB_NOTIFY_ALL). @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_notify_prefs_init(sb_notify_prefs *prefs);

/**
 * Replace a teammate's alert preferences. The teammate themselves or an admin.
 * @return SB_OK; SB_EINVAL (NULL, a level that is not an ::sb_notify_level);
 *         SB_EVERSION; SB_ENOTFOUND (no such teammate); SB_ESTATE (the
 *         teammate was removed); SB_EDENIED (another teammate's, not an
 *         admin: audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_notify_prefs_set(sb_practice *p, sb_id actor, sb_id teammate, const sb_notify_prefs *prefs);

/**
 * Read a teammate's alert preferences (the defaults when never set). The
 * teammate themselves or an admin.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED (audited); SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_notify_prefs_get(sb_notify_prefs *out, sb_practice *p, sb_id actor, sb_id teammate);

#ifdef __cplusplus
}
#endif

#endif
