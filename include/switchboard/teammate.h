/**
 * @file switchboard/teammate.h
 * @brief Teammates: the people of the practice, and who of them are admins (T1).
 *
 * Every call takes an actor. An actor is SB_ACTOR_SYSTEM (the host's own
 * automation, which has every right) or the id of an active teammate of the
 * practice; any other id, including an invited or removed teammate, is
 * refused with SB_EDENIED before anything is read or written.
 *
 * The first teammate of a practice is added by SB_ACTOR_SYSTEM and is an
 * admin, whatever its spec says. After that only admins (or the system) may
 * invite, add, remove, promote and demote teammates; the last admin can be
 * neither removed nor demoted (SB_ESTATE). A teammate may change their own
 * name and numbers.
 *
 * Removing a teammate ends their access at once. Their conversations go
 * back to the shared inbox; what they wrote stays attributed to their id.
 *
 * Teammate names and numbers are staff data, not patient data: reads are
 * not audited, changes are ("teammate.add", "teammate.invite",
 * "teammate.accept", "teammate.update", "teammate.admin", "teammate.remove").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_TEAMMATE_H
#define SWITCHBOARD_TEAMMATE_H

#include "common.h"
#include "phone.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a teammate's name (UTF-8, NUL not counted). */
#define SB_TEAMMATE_NAME_MAX 128u
/** Most numbers that ring for one teammate (V4). */
#define SB_RING_NUMBERS_MAX 5u
/** Most teammates one sb_teammate_list() returns. */
#define SB_TEAMMATE_LIST_MAX 500u

/** Where a teammate stands. */
typedef enum sb_teammate_status {
	SB_TEAMMATE_INVITED = 1,  /**< invited, not yet joined: cannot act */
	SB_TEAMMATE_ACTIVE = 2,
	SB_TEAMMATE_REMOVED = 3   /**< history stays attributed; cannot act */
} sb_teammate_status;

#define SB_TEAMMATE_SPEC_VERSION 1

/** A teammate to add, or a teammate's new details. */
typedef struct sb_teammate_spec {
	unsigned int version;             /**< SB_TEAMMATE_SPEC_VERSION */
	const char *name;                 /**< 1..SB_TEAMMATE_NAME_MAX bytes of UTF-8 */
	const char *login_phone;          /**< a NANP number, any form, or NULL (V3 uses it) */
	const char *const *ring_numbers;  /**< NANP numbers, any form, that ring for them (V4) */
	size_t ring_count;                /**< 0..SB_RING_NUMBERS_MAX */
	int admin;                        /**< non-zero: an admin (ignored by sb_teammate_update()) */
} sb_teammate_spec;

/** Fill a spec with its version and no values. */
SB_EXTERN void sb_teammate_spec_init(sb_teammate_spec *spec);

/** A teammate as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_teammate {
	sb_id id;
	int status;                                             /**< an ::sb_teammate_status */
	int admin;
	char name[SB_TEAMMATE_NAME_MAX + 1];
	char login_phone[SB_PHONE_NUMBER_MAX];                  /**< E.164, or "" */
	size_t ring_count;
	char ring_numbers[SB_RING_NUMBERS_MAX][SB_PHONE_NUMBER_MAX]; /**< E.164, in ringing order */
	int64_t created_at;                                     /**< epoch ms */
	int64_t removed_at;                                     /**< epoch ms; 0 unless removed */
} sb_teammate;

/**
 * Add an active teammate (the host has signed them up itself).
 * @return SB_OK; SB_EDENIED (the actor is not an admin, or not the system
 *         for a practice's first teammate); SB_EINVAL (NULL pointers,
 *         empty name, too many ring numbers); SB_EVERSION; SB_EUTF8,
 *         SB_ETOOBIG (name); SB_EPHONE (a number is not a dialable NANP
 *         number); SB_ECONFLICT (another teammate has that login phone);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_add(sb_id *out_id, sb_practice *p, sb_id actor, const sb_teammate_spec *spec);

/**
 * Invite a teammate: stored as SB_TEAMMATE_INVITED until
 * sb_teammate_accept(). The host delivers the invitation.
 * @return as sb_teammate_add().
 */
SB_EXTERN int sb_teammate_invite(sb_id *out_id, sb_practice *p, sb_id actor, const sb_teammate_spec *spec);

/**
 * An invited teammate joins (the host calls this once it has signed them
 * in); they act from then on. The audit entry's actor is the teammate.
 * @return SB_OK; SB_ENOTFOUND; SB_ESTATE (not invited: active or removed);
 *         SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_accept(sb_practice *p, sb_id teammate);

/**
 * Read one teammate (any status).
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (unknown actor); SB_EINVAL;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_get(sb_teammate *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * List teammates in id order, a page at a time.
 * @param after_id         0 first, else the last id of the previous page
 * @param max              1..SB_TEAMMATE_LIST_MAX
 * @param include_removed  non-zero to list removed teammates too
 * @return SB_OK; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_list(sb_teammate *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id,
                               size_t max, int include_removed);

/**
 * Change a teammate's name, login phone and ring numbers (not `admin`).
 * The teammate themself, an admin, or the system may.
 * @return SB_OK; SB_EDENIED; SB_ENOTFOUND; SB_ESTATE (removed); and the
 *         spec's errors as sb_teammate_add().
 */
SB_EXTERN int sb_teammate_update(sb_practice *p, sb_id actor, sb_id id, const sb_teammate_spec *spec);

/**
 * Promote (admin non-zero) or demote a teammate. Admins only.
 * @return SB_OK; SB_EDENIED; SB_ENOTFOUND; SB_ESTATE (not active; or the
 *         last admin would be demoted); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_set_admin(sb_practice *p, sb_id actor, sb_id id, int admin);

/**
 * Remove a teammate: access ends at once, their team and endpoint
 * memberships end, their conversations return to the shared inbox, and
 * endpoints they owned pass to the practice. Admins only.
 * @return SB_OK; SB_EDENIED; SB_ENOTFOUND; SB_ESTATE (already removed; or
 *         the last admin); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_remove(sb_practice *p, sb_id actor, sb_id id);

#ifdef __cplusplus
}
#endif

#endif
