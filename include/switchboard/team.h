/**
 * @file switchboard/team.h
 * @brief Teams (T2): named sets of teammates that ring together, own
 * endpoints and share an "Assigned to team" mailbox.
 *
 * A teammate may be in several teams. Team names are unique in the
 * practice, compared without ASCII case. Creating, renaming and deleting
 * teams and changing their members are admin actions, because a team that
 * owns an endpoint grants its members that endpoint's conversations (T8).
 * Membership changes apply at once, to existing conversations as well.
 *
 * Deleting a team ends its memberships and sends its mailbox back to the
 * shared inbox (each conversation with a timeline event). A team that still
 * owns an endpoint cannot be deleted: give the endpoint another owner first.
 * A deleted team stays readable by id, so history naming it still reads.
 *
 * Team data is staff data, not PHI: reads are not audited; changes are
 * ("team.create", "team.rename", "team.delete", "team.member.add",
 * "team.member.remove").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_TEAM_H
#define SWITCHBOARD_TEAM_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a team's name (UTF-8, NUL not counted). */
#define SB_TEAM_NAME_MAX 64u
/** Most teams one sb_team_list() returns. */
#define SB_TEAM_LIST_MAX 500u

/** A team as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_team {
	sb_id id;
	char name[SB_TEAM_NAME_MAX + 1];
	size_t member_count;  /**< current members */
	int64_t created_at;   /**< epoch ms */
	int64_t deleted_at;   /**< epoch ms; 0 unless deleted */
} sb_team;

/**
 * Create a team without members. Admins only.
 * @param name  1..SB_TEAM_NAME_MAX bytes of UTF-8
 * @return SB_OK; SB_EDENIED; SB_EINVAL (NULL pointers, empty name);
 *         SB_EUTF8, SB_ETOOBIG (name); SB_ECONFLICT (the practice has a
 *         team of that name); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_team_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *name);

/**
 * Rename a team. Admins only.
 * @return as sb_team_create(), and SB_ENOTFOUND; SB_ESTATE (deleted).
 */
SB_EXTERN int sb_team_rename(sb_practice *p, sb_id actor, sb_id team, const char *name);

/**
 * Delete a team (see the file comment). Admins only.
 * @return SB_OK; SB_EDENIED; SB_ENOTFOUND; SB_ESTATE (deleted already, or
 *         it owns an endpoint); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_team_delete(sb_practice *p, sb_id actor, sb_id team);

/**
 * Add an active teammate to a team, or take one out. Admins only.
 * @return SB_OK; SB_EDENIED; SB_ENOTFOUND (no such team or teammate; for
 *         remove, not a member); SB_ECONFLICT (a member already);
 *         SB_ESTATE (a deleted team, or a teammate who is not active);
 *         SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_team_member_add(sb_practice *p, sb_id actor, sb_id team, sb_id teammate);
/** @copydoc sb_team_member_add */
SB_EXTERN int sb_team_member_remove(sb_practice *p, sb_id actor, sb_id team, sb_id teammate);

/**
 * Read one team (deleted ones too).
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (unknown actor); SB_EINVAL;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_team_get(sb_team *out, sb_practice *p, sb_id actor, sb_id team);

/**
 * List the practice's teams (not deleted ones) in id order, a page at a time.
 * @param after_id  0 first, else the last id of the previous page
 * @param max       1..SB_TEAM_LIST_MAX
 * @return SB_OK; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_team_list(sb_team *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id,
                           size_t max);

/** Most ids one sb_team_members() or sb_teammate_teams() returns. */
#define SB_TEAM_MEMBERS_MAX 500u

/**
 * A team's members' teammate ids, in id order, a page at a time.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_team_members(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id team,
                              sb_id after_id, size_t max);

/**
 * The ids of the teams a teammate is in, in id order, a page at a time.
 * @return as sb_team_members() (SB_ENOTFOUND: no such teammate).
 */
SB_EXTERN int sb_teammate_teams(sb_id *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id teammate,
                                sb_id after_id, size_t max);

#ifdef __cplusplus
}
#endif

#endif
