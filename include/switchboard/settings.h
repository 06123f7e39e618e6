/**
 * @file switchboard/settings.h
 * @brief Practice settings: assignment on or off (T3), the plan and the
 * billing contact (T1).
 *
 * Every active teammate may read the settings; only admins (or the system)
 * may change them, and each change is audited ("practice.settings"). They
 * are not PHI.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_SETTINGS_H
#define SWITCHBOARD_SETTINGS_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a plan's name (UTF-8, NUL not counted). */
#define SB_PLAN_MAX 64u
/** Most bytes of the billing e-mail address. */
#define SB_BILLING_EMAIL_MAX 254u

#define SB_PRACTICE_SETTINGS_VERSION 1

/** The settings, as read and as written whole. */
typedef struct sb_practice_settings {
	unsigned int version;                           /**< SB_PRACTICE_SETTINGS_VERSION */
	int assignment_on;                              /**< non-zero: conversations may be assigned (T3); default on */
	char plan[SB_PLAN_MAX + 1];                     /**< the host's name for the plan; "" for none */
	char billing_email[SB_BILLING_EMAIL_MAX + 1];   /**< name@domain.tld, or "" for none */
} sb_practice_settings;

/** Fill `s` with its version and the defaults (assignment on, no plan, no billing e-mail). */
SB_EXTERN void sb_practice_settings_init(sb_practice_settings *s);

/**
 * Read the practice's settings into *out (which needs no init).
 * @return SB_OK; SB_EINVAL (NULL); SB_EDENIED (not an active teammate);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_practice_settings_get(sb_practice_settings *out, sb_practice *p, sb_id actor);

/**
 * Replace the practice's settings. Admins only. Turning assignment off
 * leaves conversations where they are; it stops further assignments.
 * @return SB_OK; SB_EINVAL (NULL); SB_EEMAIL (an invalid billing e-mail); SB_EVERSION;
 *         SB_EUTF8, SB_ETOOBIG (plan, billing e-mail: an unterminated
 *         field is too big); SB_EDENIED (not an admin); SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_practice_settings_set(sb_practice *p, sb_id actor, const sb_practice_settings *s);

#ifdef __cplusplus
}
#endif

#endif
