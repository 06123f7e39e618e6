/**
 * @file switchboard/signin.h
 * @brief Teammate sign-in: a password per teammate, checked by the library.
 *
 * A host with its own web or desktop front end signs teammates in here
 * rather than keeping a second list of staff and secrets. A teammate signs
 * in with their login phone (sb_teammate_spec.login_phone) and a password.
 *
 * Passwords are never stored: the library keeps libsodium's
 * crypto_pwhash_str() of each (Argon2id, the INTERACTIVE limits: about
 * 64 MiB and a few hundred milliseconds per hash), in a table teammate
 * reads never touch. A hash is not PHI and not sealed; it is useless
 * without a guess, and each guess costs the hash.
 *
 * Attempts are limited per teammate: after SB_SIGNIN_TRIES wrong passwords
 * in a row the teammate is locked out for SB_SIGNIN_LOCK_MS, during which
 * even the right password is refused with SB_ELIMIT (the host can lift it
 * at once by setting a new password). A login phone nobody holds costs the
 * same hash as a wrong password, so timing does not tell which it was, and
 * both get the same error and message. The host throttles by address.
 *
 * Audited: "teammate.password" (set), "teammate.sign_in" (actor: the
 * teammate), "teammate.sign_in_refused" and "teammate.sign_in_locked"
 * (actor: the system; object: the teammate, or 0 for an unknown login).
 * Passwords never reach the audit trail, logs or error text.
 *
 * The hashing runs outside the store's write lock, so a sign-in holds no
 * transaction while it hashes.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_SIGNIN_H
#define SWITCHBOARD_SIGNIN_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Fewest bytes of a password (UTF-8). */
#define SB_PASSWORD_MIN 10u
/** Most bytes of a password (UTF-8, NUL not counted). */
#define SB_PASSWORD_MAX 256u
/** Wrong passwords in a row that lock a teammate out. */
#define SB_SIGNIN_TRIES 5u
/** How long a lockout lasts, in milliseconds (15 minutes). */
#define SB_SIGNIN_LOCK_MS (15 * 60 * 1000)

/**
 * Set (or replace) a teammate's password. It also ends a lockout and
 * clears the count of wrong tries. The teammate themself, an admin, or the
 * system may; an invited teammate may be given one before they accept.
 * @param password  SB_PASSWORD_MIN..SB_PASSWORD_MAX bytes of UTF-8; the
 *                  library keeps only its hash and never copies it elsewhere
 * @return SB_OK; SB_EINVAL (NULL, or shorter than SB_PASSWORD_MIN);
 *         SB_ETOOBIG; SB_EUTF8; SB_EDENIED (neither the teammate nor an
 *         admin, audited); SB_ENOTFOUND (no such teammate in the practice);
 *         SB_ESTATE (the teammate was removed; or a closed handle);
 *         SB_ENOMEM (the hash could not get its memory); SB_EUSER (clock);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_password_set(sb_practice *p, sb_id actor, sb_id teammate, const char *password);

/**
 * Sign a teammate in by login phone and password.
 * @param out_teammate  receives the teammate's id on SB_OK, else 0; use it
 *                      as the actor of the teammate's calls
 * @param login_phone   a NANP number in any form
 * @param password      as given; at most SB_PASSWORD_MAX bytes
 * @return SB_OK; SB_EDENIED ("wrong login phone or password": no active
 *         teammate has that login phone, they have no password, or it is
 *         wrong; audited); SB_ELIMIT (locked out, or this wrong try locked
 *         them out; audited); SB_EPHONE (the login phone is not a NANP
 *         number); SB_EINVAL (NULL); SB_ETOOBIG; SB_EUTF8; SB_ENOMEM;
 *         SB_ESTATE; SB_EUSER; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_teammate_sign_in(sb_id *out_teammate, sb_practice *p, const char *login_phone, const char *password);

#ifdef __cplusplus
}
#endif

#endif
