/**
 * @file switchboard/timeline.h
 * @brief A conversation's timeline (C8): messages, internal notes, calls and
 * voicemails, in one chronological order.
 *
 * Items are ordered by when they happened (`at`), then by id. A page is read
 * newest first and continues before the last item it returned, so items
 * arriving meanwhile never shift, repeat or hide the older pages.
 *
 * Calls and voicemails are recorded through sb_call_item_record(): the voice
 * module writes them, and a host with its own phone system records its calls
 * the same way. Like an inbound text, an inbound call or voicemail lands in
 * the pair's conversation (C1), creates an unsaved contact (C4), reopens the
 * conversation (C9), marks it unread (C13) and is taken once per carrier id
 * (C15).
 *
 * Texts, notes and transcripts are protected health information: sealed
 * with a key, reads audited ("item.read"), writes audited ("note.add",
 * "call.record").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_TIMELINE_H
#define SWITCHBOARD_TIMELINE_H

#include "attachment.h"
#include "carrier.h"
#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a message body, a note or a transcript (UTF-8). */
#define SB_ITEM_TEXT_MAX 8192u
/** Most bytes of a carrier's failure text kept with a message. */
#define SB_ITEM_ERROR_MAX 127u
/** Most items one timeline page returns. */
#define SB_TIMELINE_PAGE_MAX 100u

/** What an item is. */
typedef enum sb_item_kind {
	SB_ITEM_MESSAGE = 1,
	SB_ITEM_NOTE = 2,      /**< internal: never sent */
	SB_ITEM_CALL = 3,
	SB_ITEM_VOICEMAIL = 4,
	SB_ITEM_EVENT = 5      /**< a mailbox move; see sb_item_event_get() (mailbox.h) */
} sb_item_kind;

typedef enum sb_direction {
	SB_DIRECTION_NONE = 0,      /**< notes */
	SB_DIRECTION_INBOUND = 1,
	SB_DIRECTION_OUTBOUND = 2
} sb_direction;

/** Where a message stands (C16). Outbound ones move only forward:
 *  QUEUED → SENT → DELIVERED, or to UNDELIVERED or FAILED, which end it. */
typedef enum sb_message_status {
	SB_STATUS_NONE = 0,        /**< not a message */
	SB_STATUS_RECEIVED = 1,    /**< inbound */
	SB_STATUS_QUEUED = 2,      /**< stored; handed to the carrier, or about to be */
	SB_STATUS_SENT = 3,
	SB_STATUS_DELIVERED = 4,
	SB_STATUS_UNDELIVERED = 5,
	SB_STATUS_FAILED = 6       /**< the carrier refused it or could not send it: retryable */
} sb_message_status;

/** How a call ended. */
typedef enum sb_call_outcome {
	SB_CALL_NONE = 0,       /**< not a call */
	SB_CALL_ANSWERED = 1,
	SB_CALL_MISSED = 2,     /**< nobody answered: rang out, or went to voicemail (with or without a message) */
	SB_CALL_BUSY = 3,
	SB_CALL_FAILED = 4,
	SB_CALL_CANCELED = 5    /**< abandoned: the caller hung up while phones rang, a screen played or a phone
	                             tree prompted; for calls the practice places, the teammate gave up */
} sb_call_outcome;

/** One timeline item. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_item {
	sb_id id;
	sb_id conversation_id;
	int kind;                 /**< an ::sb_item_kind */
	int direction;            /**< an ::sb_direction */
	int64_t at;               /**< epoch ms: received, sent, written, or the call's start */
	sb_id author;             /**< the actor who wrote or sent it; SB_ACTOR_SYSTEM for inbound */
	int status;               /**< an ::sb_message_status (messages) */
	int segments;             /**< SMS segments of a message body */
	int64_t duration_ms;      /**< calls and voicemails */
	int outcome;              /**< an ::sb_call_outcome (calls) */
	int attachment_count;     /**< see sb_item_attachments() */
	char carrier_id[SB_CARRIER_ID_MAX];
	char media_ref[SB_MEDIA_REF_MAX + 1];  /**< a voicemail's (or call's) recording */
	char error[SB_ITEM_ERROR_MAX + 1];     /**< why a message failed, as the carrier said */
	size_t text_len;
	char text[SB_ITEM_TEXT_MAX + 1];       /**< body, note or transcript */
} sb_item;

#define SB_CALL_ITEM_VERSION 1

/** A call or a voicemail to record on a timeline. */
typedef struct sb_call_item {
	unsigned int version;           /**< SB_CALL_ITEM_VERSION */
	int kind;                       /**< SB_ITEM_CALL or SB_ITEM_VOICEMAIL */
	int direction;                  /**< inbound or outbound (voicemails: inbound) */
	const char *business_number;    /**< the practice's end, any form */
	const char *external;           /**< the other end, any form (a NANP number) */
	int64_t started_at;             /**< epoch ms; 0: now */
	int64_t duration_ms;            /**< >= 0 */
	int outcome;                    /**< an ::sb_call_outcome for calls; 0 for voicemails */
	const char *media_ref;          /**< recording reference, or NULL */
	const char *transcript;         /**< UTF-8, or NULL */
	const char *carrier_id;         /**< the carrier's id (then recorded once, C15), or NULL */
} sb_call_item;

/** What an inbound event made (C15: a redelivery reports the first delivery's). */
typedef struct sb_delivery {
	sb_id conversation_id;
	sb_id item_id;
	sb_id contact_id;         /**< the contact holding the external number */
	int duplicate;            /**< non-zero: the carrier id was seen before; nothing changed */
	int new_conversation;     /**< this event created the conversation (0 on a duplicate) */
	int new_contact;          /**< this event created the unsaved contact (0 on a duplicate) */
} sb_delivery;

/**
 * Fill `item` with version 1 and zeroes.
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_call_item_init(sb_call_item *item);

/**
 * Record a call or a voicemail on its conversation's timeline.
 * @return SB_OK (see out->duplicate); SB_EINVAL (NULL pointers, kind,
 *         direction, outcome, negative duration); SB_EVERSION; SB_EPHONE (a
 *         number is malformed, or the external number is not NANP);
 *         SB_EROUTE (business_number is not an active business number of
 *         the practice); SB_EUTF8, SB_ETOOBIG (texts); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_call_item_record(sb_delivery *out, sb_practice *p, sb_id actor, const sb_call_item *item);

/**
 * Add an internal note to a conversation's timeline.
 * @param text  1..SB_ITEM_TEXT_MAX bytes of UTF-8
 * @return SB_OK; SB_ENOTFOUND (no such conversation); SB_EINVAL (NULL
 *         pointers, empty text); SB_EUTF8, SB_ETOOBIG; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_note_add(sb_id *out_id, sb_practice *p, sb_id actor, sb_id conversation, const char *text);

/**
 * Read one item. Audited as "item.read".
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL; SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_item_get(sb_item *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * The call that a call or voicemail item of the call engine records (V8),
 * for sb_call_get(). Such a call item's carrier_id is the carrier's id of
 * the patient's leg (the caller's of an inbound call; the patient's of an
 * outbound one, "" when the patient was never rung); a voicemail item's is
 * the leg it was left on.
 * @return SB_OK (*out_call); SB_ENOTFOUND (no such item, or one no engine
 *         call made: a text, a note, a call the host recorded itself);
 *         SB_EDENIED (the actor does not see its conversation: T8, audited);
 *         SB_EINVAL (NULL out_call, a bad actor); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_item_call(sb_id *out_call, sb_practice *p, sb_id actor, sb_id item);

/**
 * A page of a conversation's timeline, newest first. Audited as "item.read"
 * on the conversation.
 * @param out        caller's array of at least `max` items
 * @param before_id  0 for the newest page, else the last id of the previous page
 * @param max        1..SB_TIMELINE_PAGE_MAX
 * @return SB_OK (0 items past the oldest); SB_ENOTFOUND (no such conversation,
 *         or before_id is not one of its items); SB_EINVAL; SB_ECRYPTO;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_timeline_page(sb_item *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id conversation,
                               sb_id before_id, size_t max);

#ifdef __cplusplus
}
#endif

#endif
