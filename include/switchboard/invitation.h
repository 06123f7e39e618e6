/**
 * @file switchboard/invitation.h
 * @brief Patient invitations to secure messaging (L2).
 *
 * A teammate finds the contact first (sb_contact_search() by name or number;
 * a new patient is created with sb_contact_create() and
 * sb_contact_add_address()), then invites it through a secure link. The
 * invitation is the practice's custom text, a space, and the link's URL
 * with a single-use token ("<base>/<slug>?invite=<token>"). It goes:
 * - by SMS when the contact has a phone number and the practice has a
 *   sender number (sb_invitation_settings): an ordinary outbound text of
 *   that number's conversation with the contact, through the outbox, with
 *   idempotency key "sb-invitation-<id>" (a failed text is retried with
 *   sb_sms_retry());
 * - by e-mail (send_email) to the contact's first e-mail address.
 * Both when it has both. A contact with neither gets SB_ESTATE.
 *
 * The token is 32 random bytes from libsodium (43 base64url characters),
 * stored only as a keyed hash. The library never hands it to the host
 * except inside the text and e-mail it sends, so only the patient's phone
 * and mailbox (and teammates who read that conversation) ever see it.
 *
 * A teammate may write the text of one invitation themselves
 * (sb_invitation_send_message()); it then replaces the practice's text, and
 * the link's URL still follows it.
 *
 * States: PENDING, OPENED (the patient opened the link: the host's page
 * reports it with sb_invitation_open()), then ACCEPTED (a sign-up through
 * the token, account.h), EXPIRED (its lifetime passed) or REVOKED (by a
 * teammate, or superseded by a newer invitation of the same contact to the
 * same link). An opened invitation still works as a pending one does: it
 * can be accepted, revoked, superseded, and it expires. Each end has its
 * time. The contact's invitation criterion of contact filters (filter.h)
 * follows its latest invitation, so "invited, not accepted" and "never
 * invited" are ordinary contact filters; sb_invitation_round() invites
 * everyone a filter picks, at most once per round.
 *
 * Who may: any teammate who sees the link (T8) invites and revokes;
 * settings are for admins (T1). Audited: "invitation.send",
 * "invitation.revoke", "invitation.settings", "invitation.read",
 * "invitation.open".
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_INVITATION_H
#define SWITCHBOARD_INVITATION_H

#include "common.h"
#include "filter.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of the invitation text (UTF-8). */
#define SB_INVITATION_TEXT_MAX 320u
/** An invitation's lifetime unless the practice sets one: 14 days. */
#define SB_INVITATION_TTL_DEFAULT_MS (14LL * 24 * 3600 * 1000)
/** The shortest and longest lifetime a practice may set: 1 hour, 90 days. */
#define SB_INVITATION_TTL_MIN_MS (3600LL * 1000)
#define SB_INVITATION_TTL_MAX_MS (90LL * 24 * 3600 * 1000)
/** Most invitations one page of sb_contact_invitations() returns. */
#define SB_INVITATION_PAGE_MAX 100u
/** Most new invitations one sb_invitation_round() call sends. */
#define SB_ROUND_MAX 500u
/** Most bytes of a round's key. */
#define SB_ROUND_KEY_MAX 128u
/** Wrong tokens a practice answers per window before refusing all (SB_ELIMIT). */
#define SB_TOKEN_FAILURES_MAX 20
#define SB_TOKEN_WINDOW_MS (10LL * 60 * 1000)

#define SB_INVITATION_SETTINGS_VERSION 1

/** Where an invitation stands (also the contact's invitation column). */
typedef enum sb_invitation_state {
	SB_INVITATION_NEVER = 0,    /**< contacts only: never invited */
	SB_INVITATION_PENDING = 1,
	SB_INVITATION_ACCEPTED = 2,
	SB_INVITATION_EXPIRED = 3,
	SB_INVITATION_REVOKED = 4,
	SB_INVITATION_OPENED = 5    /**< pending, and the patient has opened the link */
} sb_invitation_state;

/** The practice's invitation settings. */
typedef struct sb_invitation_settings {
	unsigned int version;                    /**< SB_INVITATION_SETTINGS_VERSION */
	char text[SB_INVITATION_TEXT_MAX + 1];   /**< "" for the library's default text */
	int64_t lifetime_ms;                     /**< 0 for SB_INVITATION_TTL_DEFAULT_MS */
	sb_id sender;                            /**< the business number that texts invitations and
	                                              sign-up codes; 0: none (invitations go by e-mail only) */
} sb_invitation_settings;

/** An invitation as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_invitation {
	sb_id id;
	sb_id link_id;
	sb_id contact_id;
	sb_id round_id;       /**< 0 unless sent by sb_invitation_round() */
	int state;            /**< an ::sb_invitation_state */
	sb_id created_by;
	int64_t created_at;
	int64_t expires_at;
	int64_t ended_at;     /**< when it was accepted, expired or revoked; 0 while pending */
	sb_id sms_item_id;    /**< the text that carried it, 0 when none */
	int emailed;          /**< non-zero: the e-mail went to the carrier */
	sb_id account_id;     /**< the account that accepted it */
} sb_invitation;

/** What one call of sb_invitation_round() did. */
typedef struct sb_round_report {
	sb_id round_id;
	int invited;          /**< contacts sent an invitation by this call */
	int skipped;          /**< contacts with no phone (or sender) and no e-mail */
	int failed;           /**< invitations whose every channel failed at the carrier */
	int more;             /**< non-zero: stopped at `max`; call again with the same key */
} sb_round_report;

/** Fill `s` with the defaults. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_invitation_settings_init(sb_invitation_settings *s);

/**
 * Read the invitation settings. Any active teammate.
 * @return SB_OK; SB_EINVAL; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_settings_get(sb_invitation_settings *out, sb_practice *p, sb_id actor);

/**
 * Change the invitation settings. Admins only (T1).
 * @return SB_OK; SB_EINVAL (NULL; lifetime outside
 *         SB_INVITATION_TTL_MIN_MS..SB_INVITATION_TTL_MAX_MS; negative
 *         sender); SB_EVERSION; SB_EUTF8, SB_ETOOBIG (text); SB_ENOTFOUND
 *         (sender is not a business number of the practice); SB_ESTATE
 *         (the sender is retired); SB_EDENIED (not an admin, audited);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_settings_set(sb_practice *p, sb_id actor, const sb_invitation_settings *s);

/**
 * Invite a contact through a secure link: a new PENDING invitation, sent by
 * SMS and e-mail as above. The contact's earlier pending invitations to
 * this link are revoked (superseded).
 *
 * @param out_id  receives the invitation's id, also when a channel failed
 * @return SB_OK; SB_EINVAL (NULL pointers); SB_ENOTFOUND (no such link or
 *         contact); SB_EDENIED (the actor does not see the link, audited);
 *         SB_ESTATE (not an active secure link; no link base URL; the
 *         contact has no phone the sender can text and no e-mail);
 *         SB_ENOTSUP (the carrier lacks the callback a channel needs:
 *         nothing stored); SB_EUSER (a carrier callback failed: the
 *         invitation is stored and *out_id names it; a failed text is in
 *         the outbox for sb_sms_retry(), a failed e-mail needs a new
 *         invitation); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_send(sb_id *out_id, sb_practice *p, sb_id actor, sb_id link, sb_id contact);

/**
 * As sb_invitation_send(), with the teammate's own text for this invitation
 * ("Hi Jane, this is Dr. Lee's office: here is the link we talked about")
 * instead of the practice's; the link's URL follows it. The text goes only
 * into the message sent (sealed there with a key) and is not kept apart.
 * @param message  1..SB_INVITATION_TEXT_MAX bytes of UTF-8, or NULL for the practice's text
 * @return as sb_invitation_send(); SB_EINVAL also for an empty message;
 *         SB_EUTF8, SB_ETOOBIG (message).
 */
SB_EXTERN int sb_invitation_send_message(sb_id *out_id, sb_practice *p, sb_id actor, sb_id link, sb_id contact,
                                         const char *message);

/**
 * The patient opened the invitation's link: the host's page for
 * "<base>/<slug>?invite=<token>" reports the token here before it shows the
 * sign-up. A pending invitation becomes OPENED (the first time; later opens
 * change nothing) and *out_link names the link to show. Wrong tokens count
 * against the practice's window as sign-ups' do. Audited as
 * "invitation.open" by the system.
 * @return SB_OK (*out_link); SB_EINVAL (NULL pointers); SB_ECODE (no
 *         invitation has the token: counted, audited); SB_ELIMIT (too many
 *         wrong tokens lately); SB_EEXPIRED; SB_ESTATE (accepted or revoked;
 *         the practice is not open); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_open(sb_id *out_link, sb_practice *p, const char *token);

/**
 * Invite every contact a contact filter picks (for example "invited, not
 * accepted", or "never invited") through one link, as one round named by
 * the host's `round_key`. A contact gets at most one invitation per round:
 * calling again with the same key (after `more`, a crash or a timeout)
 * sends only to those not yet invited in it. An invitation of the round
 * whose sending was interrupted for SB_OUTBOX_STALE_MS is sent again with
 * a new token.
 *
 * @param f    a contact filter (filter.h), run as the actor sees it
 * @param max  1..SB_ROUND_MAX new invitations for this call
 * @return SB_OK (see the report; carrier failures are counted there);
 *         SB_EINVAL (NULL pointers, not a contact filter, max, empty key);
 *         SB_ETOOBIG, SB_EUTF8 (key); SB_ECONFLICT (the key names a round
 *         of another link); as sb_invitation_send() and
 *         sb_filter_contacts().
 */
SB_EXTERN int sb_invitation_round(sb_round_report *out, sb_practice *p, sb_id actor, sb_id link, const sb_filter *f,
                                  const char *round_key, size_t max);

/**
 * Read one invitation (an invitation past its lifetime reads EXPIRED).
 * Any teammate who sees its link.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED; SB_EINVAL; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_get(sb_invitation *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * A contact's invitations, newest first, a page at a time.
 * @param before_id  0 for the newest page, else the last id of the previous page
 * @param max        1..SB_INVITATION_PAGE_MAX
 * @return SB_OK; SB_ENOTFOUND (no such contact); SB_EINVAL; SB_EDENIED;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_contact_invitations(sb_invitation *out, size_t *out_count, sb_practice *p, sb_id actor,
                                     sb_id contact, sb_id before_id, size_t max);

/**
 * Revoke a pending invitation: its token stops working.
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (the actor does not see its
 *         link, audited); SB_ESTATE (not pending); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_invitation_revoke(sb_practice *p, sb_id actor, sb_id id);

#ifdef __cplusplus
}
#endif

#endif
