/**
 * @file switchboard/account.h
 * @brief Patient accounts (L3–L5): sign-up through a secure link or an
 * invitation, a 6-digit code by SMS, matching to a contact, identity status,
 * and the patient actor.
 *
 * Sign-up. The host's web app takes the patient's mobile number (and an
 * optional e-mail and name) on the link's page, or on an invitation's page
 * with its token, and calls sb_signup_start() as the system. The library
 * texts a 6-digit code from the practice's sender number (invitation.h).
 * The patient types it and the host calls sb_signup_verify(). Then:
 * - the account is the practice's account for that mobile, created on the
 *   first verified sign-up (a later sign-up with the same mobile reaches
 *   the same account: it is how a patient signs in on a new device);
 * - it is matched to a contact (L4): the invited contact; else, through a
 *   bare link, the contact holding the verified mobile, else the one
 *   holding the e-mail, else a new saved contact with the mobile, e-mail
 *   and name, which gets the link's contact tags (T7);
 * - the pair (link, account) gets a secure conversation, created in the
 *   shared inbox or auto-assigned (T5) with the link's conversation tags;
 * - identity (L5): VERIFIED when paired through an invitation, UNVERIFIED
 *   through a bare link until a teammate confirms it (audited).
 *
 * Codes: uniformly random from libsodium, stored only as a keyed hash,
 * compared in constant time, valid for SB_CODE_TTL_MS. A sign-up allows
 * SB_CODE_TRIES_MAX wrong codes in all, then it is locked (SB_ELIMIT); it
 * sends at most SB_CODE_SENDS_MAX codes, at least SB_CODE_RESEND_MS apart;
 * a mobile may start at most SB_SIGNUPS_PER_DAY sign-ups in 24 hours. So at
 * most 25 guesses a day reach any one mobile's codes. Invitation tokens are
 * single-use; wrong tokens are bounded per practice (invitation.h). Every
 * wrong code or token, and every lock, is audited.
 *
 * The patient actor. sb_patient_actor() makes the actor id a host passes
 * when it calls on a patient's behalf. Patient actors are refused (SB_EDENIED,
 * audited) by every call except the secure-message calls (secure.h), the
 * attachment reads of their own secure messages (attachment.h) and
 * sb_account_get() of their own account, so a patient never sees tags,
 * notes, contacts, other conversations or other patients.
 *
 * Mobiles, e-mails and names are protected health information: sealed
 * with a key, found by blind index, reads audited ("account.read").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_ACCOUNT_H
#define SWITCHBOARD_ACCOUNT_H

#include "common.h"
#include "contact.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A code's lifetime: 10 minutes. */
#define SB_CODE_TTL_MS (10LL * 60 * 1000)
/** Wrong codes one sign-up allows in all. */
#define SB_CODE_TRIES_MAX 5
/** Codes one sign-up sends in all (the first and the resends). */
#define SB_CODE_SENDS_MAX 3
/** Least time between two codes of a sign-up: 30 seconds. */
#define SB_CODE_RESEND_MS (30LL * 1000)
/** Sign-ups one mobile may start in 24 hours. */
#define SB_SIGNUPS_PER_DAY 5
/** The bit that marks a patient actor id (sb_patient_actor()). */
#define SB_PATIENT_ACTOR_BIT ((sb_id)1 << 62)

#define SB_SIGNUP_VERSION 1

/** A patient's identity status (L5). */
typedef enum sb_identity {
	SB_IDENTITY_UNVERIFIED = 1,  /**< paired through a bare link; a teammate may confirm */
	SB_IDENTITY_VERIFIED = 2     /**< paired through an invitation, or confirmed */
} sb_identity;

/** A sign-up the host starts for a visitor. Give exactly one of slug and token. */
typedef struct sb_signup {
	unsigned int version;   /**< SB_SIGNUP_VERSION */
	const char *slug;       /**< the secure link visited, or NULL */
	const char *token;      /**< the invitation's token, or NULL */
	const char *mobile;     /**< a 10-digit NANP mobile, any form */
	const char *email;      /**< or NULL */
	const char *name;       /**< or NULL: names a contact the sign-up creates */
} sb_signup;

/** What a verified sign-up made. */
typedef struct sb_signup_result {
	sb_id account_id;
	sb_id contact_id;
	sb_id conversation_id;  /**< the secure conversation of the link and the account */
	int identity;           /**< an ::sb_identity */
	int new_account;
	int new_contact;
	int new_conversation;
} sb_signup_result;

/** A patient account. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_account {
	sb_id id;
	sb_id contact_id;
	int identity;                    /**< an ::sb_identity */
	char mobile[SB_ADDRESS_MAX + 1]; /**< E.164 */
	char email[SB_ADDRESS_MAX + 1];  /**< "" when none */
	sb_id confirmed_by;              /**< the teammate who confirmed it, 0 */
	int64_t confirmed_at;
	int64_t created_at;
} sb_account;

/** The actor id of a patient account, for the calls made on its behalf; 0 for an id <= 0. */
SB_EXTERN sb_id sb_patient_actor(sb_id account);

/** Fill `s` with version 1 and NULLs. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_signup_init(sb_signup *s);

/**
 * Start a sign-up and text its first code. The actor is the system.
 *
 * @param out_signup  receives the sign-up's id, for sb_signup_verify()
 * @return SB_OK; SB_EINVAL (NULL pointers, not exactly one of slug and
 *         token, a malformed slug); SB_EVERSION; SB_EPHONE (not a 10-digit
 *         NANP mobile); SB_EEMAIL; SB_EUTF8, SB_ETOOBIG (name);
 *         SB_ENOTFOUND (no active link has the slug); SB_ECODE (no
 *         invitation has the token: counted, audited); SB_EEXPIRED (the
 *         invitation expired); SB_ESTATE (the invitation was accepted or
 *         revoked; the practice has no sender number); SB_ELIMIT (the
 *         mobile started SB_SIGNUPS_PER_DAY sign-ups today, or too many
 *         wrong tokens lately); SB_ENOTSUP (no send_sms callback);
 *         SB_EUSER (the carrier failed: the sign-up exists, resend later);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_signup_start(sb_id *out_signup, sb_practice *p, const sb_signup *s);

/**
 * Text a new code for a sign-up (the earlier one stops working).
 * @return SB_OK; SB_ENOTFOUND; SB_ESTATE (verified or locked already);
 *         SB_ELIMIT (SB_CODE_SENDS_MAX sent, or the last one less than
 *         SB_CODE_RESEND_MS ago); SB_ENOTSUP; SB_EUSER; SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_signup_resend(sb_practice *p, sb_id signup);

/**
 * Check a sign-up's code; when it is right, make or find the account,
 * match the contact and open the secure conversation (see above).
 *
 * @param code  the six digits as typed
 * @return SB_OK; SB_ECODE (wrong: counted and audited); SB_ELIMIT (this
 *         was the last try, or the sign-up is locked); SB_EEXPIRED (the
 *         code is older than SB_CODE_TTL_MS: resend); SB_ESTATE (verified
 *         already; the invitation was accepted or revoked meanwhile; the
 *         link was retired); SB_ENOTFOUND; SB_EINVAL; SB_ECRYPTO; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_signup_verify(sb_signup_result *out, sb_practice *p, sb_id signup, const char *code);

/**
 * Read an account: teammates who see one of its secure conversations, the
 * system, or the patient (sb_patient_actor()) itself. Audited as "account.read".
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (audited); SB_EINVAL; SB_ECRYPTO;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_account_get(sb_account *out, sb_practice *p, sb_id actor, sb_id account);

/**
 * Confirm an unverified account's identity (L5): it becomes VERIFIED.
 * Teammates who see one of its secure conversations. Audited as "account.confirm".
 * @return SB_OK; SB_ENOTFOUND; SB_EDENIED (audited); SB_ESTATE (verified
 *         already); SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_account_confirm(sb_practice *p, sb_id actor, sb_id account);

/**
 * Change a patient account's mobile at a teammate's request (seed 003: the
 * patient lost the phone or has a new number), without a second account.
 * The library texts a 6-digit code to the new mobile from the practice's
 * sender number, and the change is a sign-up of its own: the host passes
 * the code the patient reads on the new phone to sb_signup_verify() (and
 * may ask again with sb_signup_resend()), with the same limits as any
 * sign-up. Once the code is right, the account, and each of its secure
 * conversations, have the new mobile: the old one no longer signs in, and
 * the identity status, contact and conversations stay as they were. The
 * verify's result names the account (new_account 0). Teammates who see
 * one of the account's secure conversations; never a patient actor (one
 * who lost the phone cannot prove it). Audited as "account.mobile_change"
 * by the teammate and "account.mobile_changed" by the system.
 *
 * @param out_signup  receives the sign-up to verify
 * @return SB_OK; SB_EINVAL (NULL pointers); SB_EPHONE (not a 10-digit US
 *         or Canadian mobile); SB_ENOTFOUND (no such account); SB_EDENIED
 *         (a patient actor, or a teammate who sees none of its
 *         conversations: audited); SB_ESTATE (the account has this mobile
 *         already; no sender number); SB_ECONFLICT (another account has
 *         the mobile); SB_ELIMIT (the mobile was sent SB_SIGNUPS_PER_DAY
 *         codes today); SB_ENOTSUP (no send_sms callback); SB_EUSER (the
 *         carrier failed: the change waits, resend); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_account_mobile_change(sb_id *out_signup, sb_practice *p, sb_id actor, sb_id account,
                                       const char *mobile);

#ifdef __cplusplus
}
#endif

#endif
