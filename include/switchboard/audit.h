/**
 * @file switchboard/audit.h
 * @brief The audit trail: an append-only, hash-chained record of who did what
 * to which object, and when. It never holds protected health information: an
 * entry names an action and an object by kind and id, nothing more.
 *
 * Every row's hash covers the previous row's hash, so altering or deleting any
 * row, or cutting rows off the end, breaks the chain and sb_audit_verify()
 * finds it. With a master key the hashes are keyed (BLAKE2b with a per-practice
 * subkey), so the chain cannot be recomputed by someone without the key.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_AUDIT_H
#define SWITCHBOARD_AUDIT_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for an action name, NUL included. Actions match [a-z0-9_.]{1,63}. */
#define SB_AUDIT_ACTION_MAX 64u
/** Room for an object kind, NUL included. Kinds match [a-z0-9_]{1,31}. */
#define SB_AUDIT_KIND_MAX 32u
/** Most entries one sb_audit_read() returns. */
#define SB_AUDIT_READ_MAX 1000u

/** One entry of the trail. */
typedef struct sb_audit_entry {
	int64_t seq;                          /**< 1, 2, 3 … within the practice */
	int64_t at;                           /**< epoch ms, from the practice clock */
	sb_id actor;                          /**< teammate id, or SB_ACTOR_SYSTEM */
	char action[SB_AUDIT_ACTION_MAX];     /**< e.g. "practice.create", "conversation.read" */
	char object_kind[SB_AUDIT_KIND_MAX];  /**< e.g. "practice", "contact" */
	sb_id object_id;                      /**< the object's id, 0 when none */
} sb_audit_entry;

/**
 * Append an entry. The library records its own actions; hosts record theirs
 * (for example a chart export) the same way.
 *
 * @return SB_OK; SB_EINVAL (NULL p or strings, an action or kind outside its
 *         alphabet, a negative actor or object id); SB_ETOOBIG (action or kind
 *         too long); SB_ESTATE (handle not open); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_audit_record(sb_practice *p, sb_id actor, const char *action, const char *object_kind, sb_id object_id);

/**
 * Read entries in order, starting after `after_seq` (0 for the beginning).
 * The read itself is recorded as "audit.read" by `actor`.
 * (Once teammates exist only admins may read; see docs/rules.md.)
 *
 * @param out       caller's array of at least `max` entries
 * @param out_count receives how many were filled (0 at the end of the trail)
 * @param max       1..SB_AUDIT_READ_MAX
 * @return SB_OK; SB_EINVAL (NULL pointers, max out of range, negative
 *         after_seq or actor); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_audit_read(sb_audit_entry *out, size_t *out_count, sb_practice *p, sb_id actor, int64_t after_seq, size_t max);

/**
 * The sequence number of the newest entry (0 for an empty trail). It is not
 * PHI and the call is not itself recorded, so a reader can page up to a fixed
 * end while its own reads are appended behind it.
 *
 * @return SB_OK; SB_EINVAL (NULL out or p); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_audit_head(int64_t *out_seq, sb_practice *p);

/**
 * Walk the whole chain and check every link and the recorded head.
 * The check itself is recorded as "audit.verify" once it has passed.
 *
 * @param out_rows receives how many entries were checked (may be NULL)
 * @return SB_OK; SB_ECORRUPT (a row was altered, removed or added; the detail
 *         message names the first bad sequence number); SB_EINVAL; SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_audit_verify(int64_t *out_rows, sb_practice *p, sb_id actor);

#ifdef __cplusplus
}
#endif

#endif
