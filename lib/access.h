/*
 * Who may do what (T1, T6, T8), checked inside the library on every call.
 * Internal.
 */
#ifndef SB_ACCESS_H
#define SB_ACCESS_H

#include "internal.h"

/* SQL: whether teammate `who` (a column, or ? to bind) sees endpoint `e`
 * (T8): practice-owned endpoints are open to everyone; otherwise the owner
 * teammate, every member of the owner team, and the additional members.
 * SB_SEES_ENDPOINT binds the teammate three times. */
#define SB_SEES_ENDPOINT_OF(e, who)                                                                       \
	"(" e ".owner_kind = 0 OR (" e ".owner_kind = 1 AND " e ".owner_id = " who ") OR (" e ".owner_kind = 2" \
	" AND EXISTS (SELECT 1 FROM sb_team_member tm WHERE tm.team_id = " e ".owner_id"                       \
	" AND tm.teammate_id = " who ")) OR EXISTS (SELECT 1 FROM sb_endpoint_member em"                        \
	" WHERE em.endpoint_id = " e ".id AND em.teammate_id = " who "))"
#define SB_SEES_ENDPOINT(e) SB_SEES_ENDPOINT_OF(e, "?")

/* SQL: the ids of the endpoints teammate ? sees, all of them for the
 * system. Binds the practice, then the actor four times. */
#define SB_VISIBLE_ENDPOINTS \
	"SELECT e.id FROM sb_endpoint e WHERE e.practice_id = ? AND (? = 0 OR " SB_SEES_ENDPOINT("e") ")"

/* SB_OK when `teammate` is an active teammate of this practice;
 * SB_ENOTFOUND (none such) or SB_ESTATE (invited or removed). */
int sb_access_active_teammate(sb_practice *p, sb_id teammate);
/* SB_OK when `teammate` is a teammate of this practice, active or invited;
 * SB_ENOTFOUND (none such) or SB_ESTATE (removed). */
int sb_access_not_removed(sb_practice *p, sb_id teammate);
/* SB_OK when `team` is a team of this practice; SB_ENOTFOUND (none such) or
 * SB_ESTATE (deleted), described (lib/team.c). */
int sb_team_live(sb_practice *p, sb_id team);
/* *out = 1 when the actor sees the (existing) endpoint, else 0. */
int sb_access_sees_endpoint(sb_practice *p, sb_id actor, sb_id endpoint, int *out);

/* A membership: which table links a group (team or endpoint) to teammates. */
typedef struct sb_membership {
	const char *table, *group_column, *group_name; /* e.g. "sb_team_member", "team_id", "team" */
	sb_id teammate;
	int add;
} sb_membership;
/* In the caller's transaction: add an active teammate to `group`, or take
 * one out; SB_ECONFLICT (a member already), SB_ENOTFOUND (not a member, or
 * no such teammate), SB_ESTATE (not an active teammate). */
int sb_access_membership(sb_practice *p, const sb_membership *m, sb_id group);

/* An endpoint's label: 1..SB_LABEL_MAX bytes of UTF-8 (SB_EINVAL, SB_EUTF8, SB_ETOOBIG). */
int sb_check_label(sb_practice *p, const char *label);
/* Refuse: audit access.denied on (kind, object), in the caller's
 * transaction or its own, then fail with SB_EDENIED saying why. */
int sb_access_deny(sb_practice *p, sb_id actor, const char *kind, sb_id object, const char *why);
/* SB_OK for an admin or the system; SB_EDENIED (audited) otherwise. */
int sb_access_admin(sb_practice *p, sb_id actor, const char *what);
/* The actor is an admin (the system counts as one). */
int sb_access_is_admin(sb_practice *p, sb_id actor, int *out);

/* SB_OK when the actor sees the endpoint; SB_ENOTFOUND (no such endpoint);
 * SB_EDENIED (audited as access.denied on the endpoint). */
int sb_access_endpoint(sb_practice *p, sb_id actor, sb_id endpoint);
/* The same for a conversation, through its endpoint. */
int sb_access_conversation(sb_practice *p, sb_id actor, sb_id conversation);
/* The same for a timeline item, through its conversation. */
int sb_access_item(sb_practice *p, sb_id actor, sb_id item);
/* The same for an attachment: through its item, or a library document. */
int sb_access_attachment(sb_practice *p, sb_id actor, sb_id attachment);
/* sb_check_actor(), then `access` for the object: how calls on one
 * conversation, item or attachment start. */
int sb_access_gate(sb_practice *p, sb_id actor, sb_id id, int (*access)(sb_practice *, sb_id, sb_id));
/* T6: SB_OK for an admin, the system, or the endpoint's owner (a teammate,
 * or a member of the owner team); SB_ENOTFOUND; SB_EDENIED (audited). */
int sb_access_endpoint_owner(sb_practice *p, sb_id actor, sb_id endpoint);

/* Patient actors (account.h): the account an actor id stands for, 0 for
 * teammates and the system. sb_check_actor() refuses patients; the calls a
 * patient may make check with these instead. */
sb_id sb_actor_account(sb_id actor);
/* sb_check_actor() for teammates; a patient actor must be an account of the practice. */
int sb_check_patient_or_teammate(sb_practice *p, sb_id actor);
/* A patient's own secure conversation, and a message in one (else SB_EDENIED, audited). */
int sb_access_own_conversation(sb_practice *p, sb_id actor, sb_id conversation);
int sb_access_own_item(sb_practice *p, sb_id actor, sb_id item);
int sb_access_own_attachment(sb_practice *p, sb_id actor, sb_id attachment);
/* sb_access_gate() for teammates; for a patient, the account, then `own`. */
int sb_access_gate_patient(sb_practice *p, sb_id actor, sb_id id, int (*access)(sb_practice *, sb_id, sb_id),
                           int (*own)(sb_practice *, sb_id, sb_id));

#endif
