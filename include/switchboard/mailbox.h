/**
 * @file switchboard/mailbox.h
 * @brief Mailboxes and assignment (T3, T4, T5, C13).
 *
 * Every conversation sits in exactly one mailbox: the shared inbox (open,
 * unassigned), one teammate's, one team's, or the closed box. Assigning
 * moves it between the first three; closing moves it to the closed box and
 * so unassigns it (T4). A new inbound item on a closed conversation reopens
 * it into the endpoint's auto-assign owner's mailbox (T5), else the shared
 * inbox; on an open conversation it leaves the mailbox alone.
 *
 * Each move is an event item in the conversation's timeline
 * (SB_ITEM_EVENT; its details from sb_item_event()).
 *
 * Mailbox pages and counts hold only conversations of endpoints the actor
 * sees (T8); they are served by indexes, never a scan of all conversations.
 * Moves are audited ("conversation.assign"); mailbox reads are not PHI and
 * are not audited.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_MAILBOX_H
#define SWITCHBOARD_MAILBOX_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most entries one sb_mailbox_page() returns. */
#define SB_MAILBOX_PAGE_MAX 100u

/** A mailbox (T3). */
typedef enum sb_mailbox_kind {
	SB_MAILBOX_INBOX = 0,     /**< the shared inbox: open and unassigned */
	SB_MAILBOX_TEAMMATE = 1,  /**< assigned to one teammate */
	SB_MAILBOX_TEAM = 2,      /**< assigned to one team */
	SB_MAILBOX_CLOSED = 3     /**< closed */
} sb_mailbox_kind;

/** What an event item records. */
typedef enum sb_event_kind {
	SB_EVENT_ASSIGNED = 1,    /**< to a teammate or team (by hand, or auto-assigned) */
	SB_EVENT_UNASSIGNED = 2,  /**< back to the shared inbox (by hand, or its teammate was removed) */
	SB_EVENT_CLOSED = 3,
	SB_EVENT_REOPENED = 4     /**< by hand or by inbound; the mailbox is where it went */
} sb_event_kind;

/** An event item's details. */
typedef struct sb_item_event {
	int event;           /**< an ::sb_event_kind */
	int mailbox_kind;    /**< an ::sb_mailbox_kind: where the conversation went */
	sb_id mailbox_owner; /**< that mailbox's teammate or team; 0 for the inbox and closed */
} sb_item_event;

/** One conversation in a mailbox page. */
typedef struct sb_mailbox_entry {
	sb_id conversation_id;
	sb_id endpoint_id;
	int conversation_kind;  /**< an ::sb_conversation_kind */
	int64_t last_item_at;   /**< epoch ms of its newest item: the page order */
	int unread;             /**< nobody has read its latest inbound item */
	int unread_by_actor;    /**< the actor has not */
} sb_mailbox_entry;

/**
 * Put an open conversation in a mailbox (T3): a teammate's
 * (SB_MAILBOX_TEAMMATE, teammate id), a team's (SB_MAILBOX_TEAM, team id),
 * or back in the shared inbox (SB_MAILBOX_INBOX, 0). Any teammate who sees
 * the conversation may.
 * @return SB_OK; SB_ENOTFOUND (conversation, teammate or team);
 *         SB_EDENIED (the actor does not see the conversation; audited);
 *         SB_ESTATE (assignment is off, the practice has fewer than two
 *         active teammates, the conversation is closed, it is in that
 *         mailbox already, or the teammate is not active or does not see
 *         the conversation); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_conversation_assign(sb_practice *p, sb_id actor, sb_id conversation, int mailbox_kind, sb_id to);

/**
 * A page of a mailbox, newest activity first, of conversations the actor
 * sees. Pass before_at = before_id = 0 for the first page, then the last
 * entry's last_item_at and conversation_id.
 * @param owner  the teammate or team of the mailbox; 0 for the inbox and closed
 * @param max    1..SB_MAILBOX_PAGE_MAX
 * @return SB_OK; SB_EDENIED (unknown actor); SB_EINVAL (NULL pointers,
 *         unknown kind, an owner where none belongs or none where one does,
 *         negative cursor, max out of range); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_mailbox_page(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor, int mailbox_kind,
                              sb_id owner, int64_t before_at, sb_id before_id, size_t max);

/**
 * How many conversations of a mailbox the actor sees are unread (nobody
 * has read their latest inbound item). Reads only unread conversations.
 * @return as sb_mailbox_page().
 */
SB_EXTERN int sb_mailbox_unread(int64_t *out, sb_practice *p, sb_id actor, int mailbox_kind, sb_id owner);

/**
 * The details of an event item (kind SB_ITEM_EVENT).
 * @return SB_OK; SB_ENOTFOUND (no such item); SB_EDENIED (audited);
 *         SB_ESTATE (the item is not an event); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_item_event_get(sb_item_event *out, sb_practice *p, sb_id actor, sb_id item);

#ifdef __cplusplus
}
#endif

#endif
