/**
 * @file switchboard/filter.h
 * @brief Filters (T9): conversation and contact filters, run now or saved.
 *
 * A filter is data: an ::sb_filter of criteria, all of which must hold.
 * A conversation filter picks conversations by mailbox, conversation tags,
 * endpoint, kind, unread and status; a contact filter picks contacts by
 * contact tags, invitation state and whether they have a patient account.
 * A criterion left at its "any" value picks everything.
 *
 * A filter is checked whole whenever it is run or saved: a criterion of
 * the other kind of filter, an unknown value, a contradiction (the closed
 * mailbox and open conversations), or a teammate, team, endpoint or tag
 * that is not in the practice is refused with SB_EINVAL or SB_ENOTFOUND
 * and a message naming the criterion.
 *
 * Running a conversation filter returns a page like a mailbox page, newest
 * activity first, of conversations the actor sees (T8). Running a contact
 * filter returns a page of contact ids in id order; contacts are
 * practice-wide. Both are served by indexes.
 *
 * A saved filter has a name and belongs to one teammate (personal) or to
 * the practice (shared, owner 0). Names are unique per owner, compared
 * without ASCII case. Any teammate saves filters for themself and shared
 * ones; a personal filter is read and changed by its teammate, a shared one
 * is read by everyone and changed by whoever saved it; admins (and the
 * system) read and change every filter (T1). Changes are audited
 * ("filter.save", "filter.update", "filter.delete").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_FILTER_H
#define SWITCHBOARD_FILTER_H

#include "common.h"
#include "mailbox.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_FILTER_VERSION 1
/** Most tags one filter names. */
#define SB_FILTER_TAGS_MAX 8u
/** Most bytes of a saved filter's name (UTF-8, NUL not counted). */
#define SB_FILTER_NAME_MAX 64u
/** Most entries one sb_filter_conversations(), sb_filter_contacts() or sb_filter_list() returns. */
#define SB_FILTER_PAGE_MAX 100u
/** The "any" value of the mailbox criterion (mailbox kinds start at 0). */
#define SB_FILTER_ANY_MAILBOX (-1)

/** What a filter picks. */
typedef enum sb_filter_kind {
	SB_FILTER_CONVERSATIONS = 1,
	SB_FILTER_CONTACTS = 2
} sb_filter_kind;

/** The status criterion of a conversation filter. */
typedef enum sb_filter_status {
	SB_FILTER_STATUS_ANY = 0,
	SB_FILTER_STATUS_OPEN = 1,    /**< in the inbox or assigned */
	SB_FILTER_STATUS_CLOSED = 2
} sb_filter_status;

/** The invitation criterion of a contact filter (invitations: the links issue). */
typedef enum sb_filter_invitation {
	SB_FILTER_INVITATION_ANY = 0,
	SB_FILTER_NEVER_INVITED = 1,
	SB_FILTER_INVITED_NOT_ACCEPTED = 2,  /**< invited, and the latest invitation is pending, opened, expired or revoked */
	SB_FILTER_INVITATION_ACCEPTED = 3
} sb_filter_invitation;

/** The account criterion of a contact filter. */
typedef enum sb_filter_account {
	SB_FILTER_ACCOUNT_ANY = 0,
	SB_FILTER_HAS_ACCOUNT = 1,
	SB_FILTER_NO_ACCOUNT = 2
} sb_filter_account;

/** How the tags of a filter combine. */
typedef enum sb_filter_tag_match {
	SB_FILTER_TAGS_ALL = 0,  /**< every tag is on it */
	SB_FILTER_TAGS_ANY = 1   /**< at least one of the tags is on it */
} sb_filter_tag_match;

/** A filter's criteria. Fill with sb_filter_init() first. */
typedef struct sb_filter {
	unsigned int version;        /**< SB_FILTER_VERSION */
	int kind;                    /**< an ::sb_filter_kind */
	/* conversation filters */
	int mailbox;                 /**< SB_FILTER_ANY_MAILBOX, or an ::sb_mailbox_kind */
	sb_id mailbox_owner;         /**< the teammate or team of that mailbox; 0 with
	                                  SB_MAILBOX_TEAMMATE: whoever runs the filter */
	sb_id endpoint;              /**< 0: any */
	int conversation_kind;       /**< 0: any; else an ::sb_conversation_kind */
	int unread;                  /**< 0: any; 1: only unread (nobody has read the latest inbound item) */
	int status;                  /**< an ::sb_filter_status */
	/* contact filters */
	int invitation;              /**< an ::sb_filter_invitation */
	int account;                 /**< an ::sb_filter_account */
	/* both: conversation tags for conversation filters, contact tags for contact filters */
	int tag_match;               /**< an ::sb_filter_tag_match */
	size_t tag_count;            /**< 0..SB_FILTER_TAGS_MAX */
	sb_id tags[SB_FILTER_TAGS_MAX]; /**< tag ids (sb_tag_list()), no repeats */
} sb_filter;

/** A saved filter. */
typedef struct sb_saved_filter {
	sb_id id;
	sb_id owner;                       /**< the teammate it is saved for; 0: shared with the practice */
	sb_id created_by;                  /**< who saved it first (0: the system) */
	char name[SB_FILTER_NAME_MAX + 1];
	int64_t created_at, updated_at;    /**< epoch ms */
	sb_filter filter;
} sb_saved_filter;

/**
 * Fill `f` with its version, `kind` and every criterion at "any".
 * @return SB_OK; SB_EINVAL (NULL, or an unknown kind: `f` is still filled).
 */
SB_EXTERN int sb_filter_init(sb_filter *f, int kind);

/**
 * Run a conversation filter: a page of the conversations it picks that the
 * actor sees, newest activity first. Pass before_at = before_id = 0 for the
 * first page, then the last entry's last_item_at and conversation_id.
 * @param max  1..SB_FILTER_PAGE_MAX
 * @return SB_OK; SB_EINVAL (NULL pointers, a bad criterion, negative
 *         cursor, max out of range; "whoever runs it" run by the system);
 *         SB_EVERSION; SB_ENOTFOUND (a teammate, team, endpoint or tag not
 *         in the practice); SB_EDENIED (unknown actor); SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_filter_conversations(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor,
                                      const sb_filter *f, int64_t before_at, sb_id before_id, size_t max);

/**
 * Run a contact filter: a page of the ids of the contacts it picks, after
 * `after_id` (0 for the first page), in id order.
 * @param out  max ids
 * @return as sb_filter_conversations().
 */
SB_EXTERN int sb_filter_contacts(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, const sb_filter *f,
                                 sb_id after_id, size_t max);

/**
 * Save a filter under a name, for a teammate or shared with the practice.
 * @param owner  the teammate it is for (an admin may save for anyone,
 *               others for themselves); 0: shared
 * @return SB_OK with *out_id; the errors of sb_filter_conversations();
 *         SB_EUTF8, SB_ETOOBIG (name); SB_ECONFLICT (the owner has a filter of
 *         that name); SB_ENOTFOUND, SB_ESTATE (the owner is not an active
 *         teammate); SB_EDENIED (a personal filter for someone else by a
 *         non-admin; audited).
 */
SB_EXTERN int sb_filter_save(sb_id *out_id, sb_practice *p, sb_id actor, sb_id owner, const char *name,
                             const sb_filter *f);

/**
 * Replace a saved filter's name and criteria. Its owner stays.
 * @return as sb_filter_save(); SB_ENOTFOUND (no such filter); SB_EDENIED
 *         (neither its teammate, nor who saved a shared one, nor an admin).
 */
SB_EXTERN int sb_filter_update(sb_practice *p, sb_id actor, sb_id filter, const char *name, const sb_filter *f);

/**
 * Delete a saved filter.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (as sb_filter_update()); SB_EINVAL;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_filter_delete(sb_practice *p, sb_id actor, sb_id filter);

/**
 * Read a saved filter.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (another teammate's personal
 *         filter, for a non-admin; audited); SB_EINVAL; SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_filter_get(sb_saved_filter *out, sb_practice *p, sb_id actor, sb_id filter);

/**
 * A page of the saved filters a teammate has: the shared ones and their
 * personal ones, in id order, after `after_id` (0 first).
 * @param teammate  whose; 0: the actor's (the system has only the shared ones)
 * @param max       1..SB_FILTER_PAGE_MAX
 * @return SB_OK; SB_EDENIED (another teammate's, for a non-admin; audited);
 *         SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_filter_list(sb_saved_filter *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id teammate,
                             sb_id after_id, size_t max);

#ifdef __cplusplus
}
#endif

#endif
