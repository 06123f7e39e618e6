/**
 * @file switchboard/endpoint.h
 * @brief Endpoints: the practice's business numbers (and, with the links
 * issue, its secure links). An endpoint is where conversations arrive; it
 * carries ownership, membership, tags, auto-assignment and ring settings,
 * which the team and voice modules fill in.
 *
 * A business number is an E.164 NANP number the practice holds at its
 * carrier, with a label ("Front desk"). It is unique among the practice's
 * active numbers. Retiring one stops it sending and receiving; its
 * conversations and history stay. The same number may be added again later
 * as a new endpoint (with new conversations).
 *
 * Who sees an endpoint's conversations (T8): an endpoint owned by the
 * practice, the default, is open to every teammate; otherwise only its
 * owner teammate, every member of its owner team, and its additional
 * members see its conversations, calls and messages and start
 * conversations from it. Admins are no exception: they may change every
 * endpoint's settings (T6) and so may make themselves members, which the
 * trail records. The system (SB_ACTOR_SYSTEM) sees everything.
 *
 * Who may change an endpoint (T6): adding and retiring business numbers
 * is for admins; an endpoint's label, owner, members, auto-assignment and
 * tags may be changed by admins and by its owner (the owner teammate, or
 * any member of the owner team). Others get SB_EDENIED, and the attempt is
 * audited ("access.denied").
 *
 * Endpoint data is not protected health information: reads are not audited,
 * changes are ("endpoint.create", "endpoint.update", "endpoint.retire",
 * "endpoint.owner", "endpoint.auto_assign", "endpoint.member.add",
 * "endpoint.member.remove").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_ENDPOINT_H
#define SWITCHBOARD_ENDPOINT_H

#include "common.h"
#include "phone.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a label (UTF-8, NUL not counted). */
#define SB_LABEL_MAX 128u
/** Room for an endpoint's address, NUL included. */
#define SB_ENDPOINT_ADDRESS_MAX 64u
/** Most endpoints one sb_endpoint_list() returns. */
#define SB_ENDPOINT_LIST_MAX 500u

/** What an endpoint is. */
typedef enum sb_endpoint_kind {
	SB_ENDPOINT_BUSINESS_NUMBER = 1,
	SB_ENDPOINT_SECURE_LINK = 2  /**< arrives with the secure links issue */
} sb_endpoint_kind;

/** Who owns an endpoint (T5, T6; set by the team workflows issue). */
typedef enum sb_owner_kind {
	SB_OWNER_PRACTICE = 0,  /**< the default: nobody in particular */
	SB_OWNER_TEAMMATE = 1,
	SB_OWNER_TEAM = 2
} sb_owner_kind;

/** How a business number rings its teammates (V4; set by the voice issue). */
typedef enum sb_ring_mode {
	SB_RING_SIMULTANEOUS = 0,  /**< the default: every number at once, the first to accept takes it */
	SB_RING_SEQUENTIAL = 1,    /**< one number at a time, always in the same order */
	SB_RING_ROUND_ROBIN = 2    /**< one at a time, each call starting one number further on (seed 001) */
} sb_ring_mode;

/** An endpoint as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_endpoint {
	sb_id id;
	int kind;                               /**< an ::sb_endpoint_kind */
	char address[SB_ENDPOINT_ADDRESS_MAX];  /**< E.164 for a business number */
	char label[SB_LABEL_MAX + 1];
	int owner_kind;                         /**< an ::sb_owner_kind */
	sb_id owner_id;                         /**< teammate or team id; 0 for the practice */
	int auto_assign;                        /**< non-zero: new conversations go to the owner (T5) */
	int ring_mode;                          /**< an ::sb_ring_mode */
	int64_t ring_timeout_ms;                /**< per target; 0 means the library's default */
	int64_t created_at;                     /**< epoch ms */
	int64_t retired_at;                     /**< epoch ms; 0 while active */
} sb_endpoint;

/**
 * Add a business number.
 *
 * @param out_id  receives the new endpoint's id
 * @param number  as typed; normalised to E.164. It must be a NANP number a
 *                practice can hold: geographic, toll-free or fictional
 *                (555-01XX), not premium, a service code or an emergency number
 * @param label   1..SB_LABEL_MAX bytes of UTF-8
 * The new number is owned by the practice, without members or auto-assign.
 * Admins only (T6).
 *
 * @return SB_OK; SB_EINVAL (NULL pointers, empty label, negative actor);
 *         SB_EDENIED (not an admin);
 *         SB_EPHONE (not a number, not NANP, or a kind no practice holds);
 *         SB_EUTF8, SB_ETOOBIG (label); SB_ECONFLICT (the practice already
 *         has this number, active); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_business_number_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *number,
                                        const char *label);

/**
 * Find the active business number for a number in any form.
 * @return SB_OK; SB_ENOTFOUND (no active business number is that number);
 *         SB_EPHONE (not a phone number); SB_EINVAL; SB_ESTATE; SB_ESTORE.
 */
SB_EXTERN int sb_business_number_find(sb_id *out_id, sb_practice *p, sb_id actor, const char *number);

/**
 * Read one endpoint of this practice (active or retired).
 * @return SB_OK; SB_ENOTFOUND (no such endpoint in this practice);
 *         SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_get(sb_endpoint *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * List endpoints of one kind in id order, a page at a time.
 *
 * @param out              caller's array of at least `max` entries
 * @param out_count        receives how many were filled (0 past the end)
 * @param kind             an ::sb_endpoint_kind
 * @param after_id         0 for the first page, else the last id of the previous page
 * @param max              1..SB_ENDPOINT_LIST_MAX
 * @param include_retired  non-zero to include retired endpoints
 * @return SB_OK; SB_EINVAL (NULL pointers, unknown kind, max out of range,
 *         negative ids); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_list(sb_endpoint *out, size_t *out_count, sb_practice *p, sb_id actor, int kind,
                               sb_id after_id, size_t max, int include_retired);

/**
 * Rename an endpoint. Admins and the endpoint's owner (T6).
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE (the endpoint is
 *         retired, or the handle is not open); SB_EINVAL, SB_EUTF8,
 *         SB_ETOOBIG (label); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_set_label(sb_practice *p, sb_id actor, sb_id id, const char *label);

/**
 * Retire an endpoint: it no longer sends or receives. History stays.
 * Admins only (T6).
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE (already retired, or
 *         the handle is not open); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_retire(sb_practice *p, sb_id actor, sb_id id);

/**
 * Give an endpoint an owner (T8): the practice (owner_id 0), an active
 * teammate, or a team. The change applies at once to every conversation of
 * the endpoint, existing and new. Giving it to the practice turns
 * auto-assignment off (T5). Admins and the current owner (T6).
 *
 * @param owner_kind  an ::sb_owner_kind
 * @param owner_id    the teammate or team; 0 for the practice
 * @return SB_OK; SB_ENOTFOUND (no such endpoint, teammate or team);
 *         SB_EDENIED; SB_EINVAL (unknown kind, or an id that does not fit
 *         it); SB_ESTATE (the endpoint is retired, or the teammate is not
 *         active); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_set_owner(sb_practice *p, sb_id actor, sb_id id, int owner_kind, sb_id owner_id);

/**
 * Turn auto-assignment on or off (T5): with it on, every new or reopened
 * conversation of the endpoint goes to the owner's mailbox. Admins and the
 * owner (T6).
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE (turning it on for an
 *         endpoint owned by the practice, or a retired endpoint); SB_EINVAL;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_set_auto_assign(sb_practice *p, sb_id actor, sb_id id, int on);

/**
 * Make an active teammate an additional member of an endpoint (T8), or
 * end that membership. Applies at once to all its conversations. Admins
 * and the owner (T6). Adding a member twice, or removing a non-member, is
 * SB_ECONFLICT / SB_ENOTFOUND, so a host learns its view was stale.
 * @return SB_OK; SB_ENOTFOUND (no such endpoint or teammate; not a member);
 *         SB_EDENIED; SB_ECONFLICT (a member already); SB_ESTATE (retired
 *         endpoint, or the teammate is not active); SB_EINVAL; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_member_add(sb_practice *p, sb_id actor, sb_id id, sb_id teammate);
/** @copydoc sb_endpoint_member_add */
SB_EXTERN int sb_endpoint_member_remove(sb_practice *p, sb_id actor, sb_id id, sb_id teammate);

/** Most member ids one sb_endpoint_members() returns. */
#define SB_MEMBER_LIST_MAX 500u

/**
 * The additional members of an endpoint (not its owner), in id order, a
 * page at a time. Any active teammate may read them.
 * @param out       caller's array of at least `max` ids
 * @param after_id  0 first, else the last id of the previous page
 * @param max       1..SB_MEMBER_LIST_MAX
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id id,
                                  sb_id after_id, size_t max);

/**
 * Whether the actor sees the endpoint's conversations (T8): sets *out to 1
 * or 0. It answers, it does not refuse, so nothing is audited.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (the actor is not an active
 *         teammate); SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_endpoint_sees(int *out, sb_practice *p, sb_id actor, sb_id id);

#ifdef __cplusplus
}
#endif

#endif
