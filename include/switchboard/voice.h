/**
 * @file switchboard/voice.h
 * @brief How a practice's phones are set up for calls: each business
 * number's ringing, screening and voicemail (V4–V7, V12), the desk phones
 * with their extensions and registered addresses (V9, V10), and the pool of
 * access numbers for calling from any phone (V3).
 *
 * The call engine (call.h) reads these settings when a call needs them, so a
 * change applies to the next call, never to one under way.
 *
 * Who may change them (T6): a business number's settings, admins and the
 * number's owner; desk phones and the access pool, admins. Every change is
 * audited ("voice.settings", "desk_phone.add", "desk_phone.remove",
 * "access_pool.set"). None of it is protected health information.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_VOICE_H
#define SWITCHBOARD_VOICE_H

#include "common.h"
#include "endpoint.h"
#include "practice.h"
#include "timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most extra numbers to ring of one business number (V4). */
#define SB_EXTRA_NUMBERS_MAX 10u
/** Most bytes of a spoken greeting (UTF-8). */
#define SB_GREETING_MAX 1024u
/** Ring timeout per target when a number sets none: 20 s. */
#define SB_RING_TIMEOUT_DEFAULT 20000
/** How long a screened teammate has to press 1 when a number sets none: 10 s. */
#define SB_SCREEN_TIMEOUT_DEFAULT 10000
/** Longest voicemail when a number sets none: 2 min. */
#define SB_VOICEMAIL_MAX_DEFAULT 120000
/** Bounds of the timeouts and limits above, in ms. */
#define SB_VOICE_MS_MIN 1000
#define SB_VOICE_MS_MAX 600000

#define SB_VOICE_SETTINGS_VERSION 1

/** A business number's call settings. Zero numbers mean the defaults. */
typedef struct sb_voice_settings {
	unsigned int version;             /**< SB_VOICE_SETTINGS_VERSION */
	int ring_mode;                    /**< an ::sb_ring_mode */
	int64_t ring_timeout_ms;          /**< per target; 0: SB_RING_TIMEOUT_DEFAULT */
	int64_t screen_timeout_ms;        /**< 0: SB_SCREEN_TIMEOUT_DEFAULT */
	int64_t voicemail_max_ms;         /**< 0: SB_VOICEMAIL_MAX_DEFAULT */
	const char *greeting;             /**< spoken voicemail greeting, or NULL/"" for the library's */
	const char *greeting_media;       /**< a recorded greeting (host media reference) instead, or NULL/"" */
	sb_id tree_id;                    /**< a phone tree (tree.h) answers the calls; 0: none */
	const char *const *extra_numbers; /**< NANP numbers that ring besides the teammates' (V4) */
	size_t extra_count;               /**< 0..SB_EXTRA_NUMBERS_MAX */
} sb_voice_settings;

/** The stored settings, as sb_voice_settings_get() returns them. */
typedef struct sb_voice_config {
	sb_id endpoint_id;
	int ring_mode;
	int64_t ring_timeout_ms;          /**< the effective value (defaults filled in) */
	int64_t screen_timeout_ms;
	int64_t voicemail_max_ms;
	char greeting[SB_GREETING_MAX + 1];
	char greeting_media[SB_MEDIA_REF_MAX + 1];
	sb_id tree_id;
	size_t extra_count;
	char extra_numbers[SB_EXTRA_NUMBERS_MAX][SB_PHONE_NUMBER_MAX]; /**< E.164, in ringing order */
} sb_voice_config;

/**
 * Fill `s` with version 1 and zeroes (the defaults).
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_voice_settings_init(sb_voice_settings *s);

/**
 * Replace a business number's call settings. Admins and the owner (T6).
 * @return SB_OK; SB_EINVAL (NULL pointers, an unknown ring mode, a timeout
 *         outside SB_VOICE_MS_MIN..SB_VOICE_MS_MAX, too many extra numbers,
 *         both a spoken and a recorded greeting); SB_EVERSION; SB_EPHONE (an
 *         extra number is not a dialable NANP number); SB_EUTF8, SB_ETOOBIG
 *         (greeting, media); SB_ENOTFOUND (no such business number or tree);
 *         SB_EDENIED; SB_ESTATE (retired, or not a business number);
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_voice_settings_set(sb_practice *p, sb_id actor, sb_id endpoint, const sb_voice_settings *s);

/**
 * Read a business number's call settings, defaults filled in. Any active
 * teammate who sees the number (T8).
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_voice_settings_get(sb_voice_config *out, sb_practice *p, sb_id actor, sb_id endpoint);

/**
 * How long one number rings before the next when a business number rings
 * one at a time (SB_RING_SEQUENTIAL, SB_RING_ROUND_ROBIN): the front desk
 * 10 s, say, and the doctor's mobile 30 s. The number is any NANP number the
 * business number may ring (a teammate's number to ring, an extra number);
 * without its own timeout it rings ring_timeout_ms. Ringing every number at
 * once uses ring_timeout_ms for all. Admins and the owner (T6); audited as
 * "voice.ring_timeout".
 * @param timeout_ms  SB_VOICE_MS_MIN..SB_VOICE_MS_MAX, or 0 to remove the number's own
 * @return SB_OK; SB_EINVAL (NULL number, a timeout out of bounds);
 *         SB_EPHONE (not a dialable NANP number); SB_ENOTFOUND (no such
 *         business number); SB_ESTATE (retired, or not a business number);
 *         SB_EDENIED; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_ring_timeout_set(sb_practice *p, sb_id actor, sb_id endpoint, const char *number, int64_t timeout_ms);

/**
 * How long `number` rings on its turn: its own timeout, or the business
 * number's ring_timeout_ms. Any active teammate who sees the number (T8).
 * @return SB_OK (*out_ms); SB_EINVAL; SB_EPHONE; SB_ENOTFOUND; SB_EDENIED;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_ring_timeout_get(int64_t *out_ms, sb_practice *p, sb_id actor, sb_id endpoint, const char *number);

/* --- desk phones (V9 extensions, V10 registered addresses) --- */

/** Most bytes of a desk phone's device address and registered address. */
#define SB_DEVICE_MAX 128u
#define SB_POSTAL_ADDRESS_MAX 256u

typedef struct sb_desk_phone {
	sb_id id;
	sb_id teammate_id;                   /**< whose phone it is */
	char extension[8];                   /**< 2..6 digits, unique in the practice */
	char device[SB_DEVICE_MAX + 1];      /**< how the carrier reaches it ("sip:…"), passed as `to` */
	char address[SB_POSTAL_ADDRESS_MAX + 1]; /**< registered for 911; "" when none */
	int64_t created_at;
} sb_desk_phone;

/**
 * Register a desk phone for an active teammate. Admins only.
 * @param extension  2..6 digits, not starting with 9 nor 0 (kept off the
 *                   emergency and operator prefixes); unique
 * @param device     1..SB_DEVICE_MAX bytes: the carrier's address of the phone
 * @param address    the street address registered for 911, or NULL/""
 * @return SB_OK; SB_EINVAL (NULL pointers, a malformed extension, an empty
 *         device); SB_EUTF8, SB_ETOOBIG; SB_ENOTFOUND (teammate); SB_ESTATE
 *         (the teammate is not active); SB_ECONFLICT (the extension is
 *         taken); SB_EDENIED; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_desk_phone_add(sb_id *out_id, sb_practice *p, sb_id actor, sb_id teammate, const char *extension,
                                const char *device, const char *address);

/**
 * Read a desk phone. Any active teammate.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_desk_phone_get(sb_desk_phone *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * Remove a desk phone; its extension is free again. Admins only.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_desk_phone_remove(sb_practice *p, sb_id actor, sb_id id);

/* --- the access number pool (V3) --- */

/** Most numbers in the pool. */
#define SB_ACCESS_POOL_MAX 1000u
/** Lifetime of an access number when the pool sets none: 10 min. */
#define SB_ACCESS_LIFETIME_DEFAULT 600000

/**
 * Replace the pool of access numbers the host holds at its carrier for
 * "call from any phone", and their lifetime. A number that stays keeps its
 * reservation; a number taken out ends its reservation at once. Admins only.
 *
 * @param numbers      NANP numbers; none may be a business number
 * @param lifetime_ms  how long a reservation lasts; 0: SB_ACCESS_LIFETIME_DEFAULT;
 *                     else SB_VOICE_MS_MIN..24 h
 * @return SB_OK; SB_EINVAL (NULL pointers, count or lifetime out of range,
 *         a number twice); SB_EPHONE; SB_ECONFLICT (a number is an active
 *         business number); SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_access_pool_set(sb_practice *p, sb_id actor, const char *const *numbers, size_t count,
                                 int64_t lifetime_ms);

#ifdef __cplusplus
}
#endif

#endif
