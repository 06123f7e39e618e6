/**
 * @file switchboard/conversation.h
 * @brief Conversations: the thread between one endpoint and one outside party
 * (C1–C3, C5–C7, C9–C11, C13).
 *
 * A standard conversation is keyed by (business number, external number).
 * Inbound traffic lands in that pair's conversation and creates it (C1); the
 * same person writing to two business numbers has two (C2); a teammate who
 * starts one from a business number reuses the pair's conversation (C3).
 * Traffic from a number no contact holds also creates an unsaved contact
 * with that number (C4). A conversation belongs to whichever contact holds
 * its external number, so adding, moving or merging a number takes its
 * conversations along (C5, C11).
 *
 * The external number is protected health information: sealed at rest with
 * a key and found through a blind index. Reads are audited
 * ("conversation.read"), changes too ("conversation.start", ".close",
 * ".reopen", ".delete", ".regarding_add", ".regarding_remove", ".attach",
 * ".mark_read"). Secure conversations (kind SB_CONVERSATION_SECURE) arrive
 * with the secure links issue.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_CONVERSATION_H
#define SWITCHBOARD_CONVERSATION_H

#include "common.h"
#include "endpoint.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most conversations one page of sb_contact_conversations() returns. */
#define SB_CONVERSATION_PAGE_MAX 100u
/** Most contacts a conversation is regarding (C6). */
#define SB_REGARDING_MAX 16u

/** What a conversation is. */
typedef enum sb_conversation_kind {
	SB_CONVERSATION_STANDARD = 1,  /**< business number and external phone number */
	SB_CONVERSATION_SECURE = 2     /**< secure link and patient account (links issue) */
} sb_conversation_kind;

/** A conversation as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_conversation {
	sb_id id;
	int kind;                                       /**< an ::sb_conversation_kind */
	sb_id endpoint_id;                              /**< the business number (C7) */
	char business_number[SB_ENDPOINT_ADDRESS_MAX];  /**< its E.164 (C7) */
	char external[SB_ENDPOINT_ADDRESS_MAX];         /**< the other end, E.164 (C7) */
	sb_id contact_id;      /**< the contact holding the external number; 0 when none does */
	int closed;            /**< non-zero when closed (C9) */
	int unread;            /**< inbound items nobody has read yet (C13) */
	int unread_by_actor;   /**< inbound items the calling actor has not read */
	int regarding;         /**< in sb_contact_conversations(): on the card only as regarding the contact (C6) */
	int64_t created_at;    /**< epoch ms */
	int64_t last_item_at;  /**< epoch ms of the latest item (creation time when none) */
	int64_t closed_at;     /**< epoch ms; 0 while open */
} sb_conversation;

/**
 * Start a standard conversation from a business number (C3): the pair's
 * conversation when there is one, whoever started it, else a new one. A
 * number no contact holds gets an unsaved contact (as for inbound, C4).
 *
 * @param out_id    receives the conversation's id
 * @param endpoint  an active business number of the practice
 * @param number    the external number in any form; texting needs NANP (C14),
 *                  so it must be a dialable NANP number
 * @return SB_OK; SB_EINVAL (NULL pointers, negative actor); SB_ENOTFOUND (no
 *         such endpoint); SB_ESTATE (the endpoint is retired); SB_EPHONE (not a
 *         number, or not a dialable NANP number); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_start(sb_id *out_id, sb_practice *p, sb_id actor, sb_id endpoint, const char *number);

/**
 * Read a conversation. Audited as "conversation.read".
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL; SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_get(sb_conversation *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * Close (archive) a conversation: it leaves every mailbox and stays on the
 * contact's card; a new inbound item reopens it (C9).
 * @return SB_OK; SB_ENOTFOUND; SB_ESTATE (already closed); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_close(sb_practice *p, sb_id actor, sb_id id);

/**
 * Reopen a closed conversation.
 * @return SB_OK; SB_ENOTFOUND; SB_ESTATE (it is open); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_reopen(sb_practice *p, sb_id actor, sb_id id);

/**
 * Delete a standard conversation permanently (C10): everything it owns,
 * whichever feature wrote it, is removed (items, attachments, read, regarding
 * and tag marks, after-hours periods and their alerts, the scheduled texts
 * sent into it, its calls), and the SQLite store is checkpointed so that no
 * copy stays in the write-ahead log (freed pages are zeroed). A bulk message
 * or an invitation whose text landed here keeps its own record without it.
 * The audit keeps only that it happened. Nothing can recover it.
 * @return SB_OK; SB_ENOTFOUND; SB_ESECURE (a secure conversation);
 *         SB_ESTATE (a call in it is under way; the practice is not open);
 *         SB_EINVAL; SB_EDENIED; SB_ECONFLICT (a row the library does not
 *         know refers to it: nothing changed); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_delete(sb_practice *p, sb_id actor, sb_id id);

/**
 * Mark a conversation as regarding a contact without giving the contact its
 * number (C6). It then shows on that contact's card. Marking it twice is a
 * no-op.
 * @return SB_OK; SB_ENOTFOUND (conversation or contact); SB_ETOOBIG (already
 *         regarding SB_REGARDING_MAX contacts); SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_regarding_add(sb_practice *p, sb_id actor, sb_id id, sb_id contact);

/**
 * Take a regarding mark away.
 * @return SB_OK; SB_ENOTFOUND (no such mark); SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_regarding_remove(sb_practice *p, sb_id actor, sb_id id, sb_id contact);

/**
 * The contacts a conversation is regarding, in id order.
 * @param out  caller's array of at least `max` (1..SB_REGARDING_MAX) ids
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_regarding(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id id,
                                        size_t max);

/**
 * Attach a conversation's number to a contact (C11): the number (and with it
 * this and every other conversation on it) moves to `contact`. When the
 * previous holder was an unsaved contact left with nothing, it is removed.
 * To attach to a new contact, create it first (sb_contact_create()).
 * @return SB_OK; SB_ENOTFOUND (conversation or contact); SB_ESTATE (the
 *         conversation is not standard; or the contact already holds the
 *         number); SB_ETOOBIG (the contact holds SB_CONTACT_ADDRESSES_MAX);
 *         SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_attach(sb_practice *p, sb_id actor, sb_id id, sb_id contact);

/**
 * Mark everything inbound so far as read by the actor (C13). The
 * conversation is then no longer unread for anybody, and its inbound items
 * are read for this actor.
 * @return SB_OK; SB_ENOTFOUND; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_mark_read(sb_practice *p, sb_id actor, sb_id id);

/**
 * How many open conversations of the practice are unread (the shared inbox
 * badge; the team workflows issue counts per mailbox).
 * @return SB_OK; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_unread_count(int64_t *out, sb_practice *p, sb_id actor);

/**
 * The contact's card (C5, C6): every conversation on one of its numbers and
 * every conversation regarding it (flag `regarding`), open or closed, each
 * with its business number, in id order, a page at a time. Audited as
 * "conversation.read" on the contact.
 * @param after_id  0 for the first page, else the last id of the previous page
 * @param max       1..SB_CONVERSATION_PAGE_MAX
 * @return SB_OK; SB_ENOTFOUND (no such contact); SB_EINVAL; SB_ECRYPTO;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_conversations(sb_conversation *out, size_t *out_count, sb_practice *p, sb_id actor,
                                       sb_id contact, sb_id after_id, size_t max);

#ifdef __cplusplus
}
#endif

#endif
