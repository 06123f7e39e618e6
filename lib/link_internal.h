/* What the link, invitation and account modules share. Internal. */
#ifndef SB_LINK_INTERNAL_H
#define SB_LINK_INTERNAL_H

#include "internal.h"

/* A well-formed slug, folded to lower case into out; SB_EINVAL, SB_EUTF8. */
int sb_slug_check(sb_practice *p, const char *typed, char out[SB_SLUG_MAX + 1]);
/* The active link with a (folded) slug: SB_ENOTFOUND, described, when none. */
int sb_link_by_slug(sb_practice *p, const char *slug, sb_id *out);
/* The active secure link `id`: SB_ENOTFOUND, or SB_ESTATE (retired, or not a link). */
int sb_link_load(sb_practice *p, sb_id id, sb_endpoint *out);
/* The link's URL followed by `suffix` (or nothing) into out: SB_ESTATE
 * without a base URL, SB_ETOOBIG when room is short. */
int sb_link_url_of(sb_practice *p, sb_id link, const char *suffix, char *out, size_t room);

/* In the caller's transaction: the contact's invitation column follows its
 * latest invitation, and has_account whether an account is matched to it. */
int sb_invitation_sync_contact(sb_practice *p, sb_id contact);
/* In the caller's transaction: the pending invitation a token names, for
 * accepting (*out_id, its link and contact). Wrong tokens are counted and
 * bounded per practice: SB_ECODE (wrong), SB_ELIMIT (too many wrong lately),
 * SB_EEXPIRED (marked expired now), SB_ESTATE (accepted or revoked). */
int sb_invitation_redeem(sb_practice *p, const char *token, int64_t now, sb_id *out_id, sb_id *out_link,
                         sb_id *out_contact);
/* In the caller's transaction: the invitation was accepted by `account`. */
int sb_invitation_accepted(sb_practice *p, sb_id invitation, sb_id account, int64_t now);

#endif
