/**
 * @file switchboard/carrier.h
 * @brief The carrier contract: how the library asks the host's telephony and
 * messaging provider to act.
 *
 * switchboard never talks to a network. The host feeds it carrier events and
 * it answers with commands through this vtable: send a text, send an e-mail,
 * originate, ring, answer, play, hold, bridge, record or hang up a call leg,
 * start and stop timers. All commands are declared now so that the ABI does not
 * change as features arrive; a host fills only those it supports and leaves the
 * rest NULL (the library then fails the operation with SB_ENOTSUP and runs no
 * callback).
 *
 * Rules:
 * - The library copies the struct at sb_practice_open(); `userdata` comes back
 *   to every callback.
 * - Callbacks run synchronously on the thread that made the library call, and
 *   must not call back into the same practice handle.
 * - A callback returns 0 on success or any negative value on failure; the
 *   library then fails the outer call with SB_EUSER. Bindings use this to carry
 *   their own exceptions and panics out.
 * - Strings handed to a callback are borrowed for the duration of the call.
 * - Identifiers the carrier writes back go to `out_id`, NUL-terminated, at most
 *   `out_cap` bytes (SB_CARRIER_ID_MAX) including the NUL.
 * - Argument structs are append-only; their `version` says which members exist.
 */
#ifndef SWITCHBOARD_CARRIER_H
#define SWITCHBOARD_CARRIER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_CARRIER_VERSION 1
/** Room for a carrier-assigned id, NUL included. */
#define SB_CARRIER_ID_MAX 128u

/** An outbound text. */
typedef struct sb_sms {
	unsigned int version;          /**< 1 */
	const char *from;              /**< E.164 business number */
	const char *to;                /**< E.164 recipient */
	const char *body;              /**< UTF-8, may be empty when media is present */
	const char *const *media;      /**< host media references (URLs), or NULL */
	size_t media_count;
	const char *idempotency_key;   /**< the same key for a retry of the same message */
} sb_sms;

/** An outbound e-mail (alerts, invitations). */
typedef struct sb_email {
	unsigned int version;          /**< 1 */
	const char *to;                /**< one address */
	const char *subject;
	const char *body;              /**< plain UTF-8 text */
	const char *idempotency_key;
} sb_email;

/** A request to place a call leg. */
typedef struct sb_call_originate {
	unsigned int version;          /**< 1 */
	const char *call_ref;          /**< the library's id of the call this leg belongs to */
	const char *from;              /**< caller ID to present (always a business number) */
	const char *to;                /**< E.164 number, extension or host endpoint */
	int64_t timeout_ms;            /**< give up ringing after this long; 0 = carrier default */
} sb_call_originate;

/** What to play on a leg. */
typedef enum sb_play_kind {
	SB_PLAY_SPEECH = 0,    /**< `content` is text to speak */
	SB_PLAY_MEDIA = 1,     /**< `content` is a host media reference */
	SB_PLAY_RINGBACK = 2,  /**< ringback tone; `content` unused */
	SB_PLAY_HOLD = 3,      /**< hold music; `content` unused */
	SB_PLAY_BEEP = 4       /**< a beep; `content` unused */
} sb_play_kind;

typedef struct sb_play {
	unsigned int version;  /**< 1 */
	int kind;              /**< an ::sb_play_kind */
	const char *content;
	int loop;              /**< non-zero: repeat until the next command on the leg */
} sb_play;

typedef struct sb_record {
	unsigned int version;  /**< 1 */
	int64_t max_ms;        /**< stop recording after this long */
	const char *finish_on_key; /**< DTMF keys that end the recording, or NULL */
} sb_record;

/** The carrier vtable. */
typedef struct sb_carrier {
	unsigned int version;  /**< SB_CARRIER_VERSION */
	void *userdata;

	int (*send_sms)(void *userdata, const sb_sms *sms, char *out_id, size_t out_cap);
	int (*send_email)(void *userdata, const sb_email *email, char *out_id, size_t out_cap);

	int (*call_originate)(void *userdata, const sb_call_originate *req, char *out_id, size_t out_cap);
	int (*call_cancel)(void *userdata, const char *leg_id);
	int (*call_answer)(void *userdata, const char *leg_id);
	int (*call_play)(void *userdata, const char *leg_id, const sb_play *play);
	/** Hold (on non-zero) or release a leg. A hold lasts until released:
	 *  call_bridge() does not end it, and the library releases every held
	 *  leg before it bridges that leg. */
	int (*call_hold)(void *userdata, const char *leg_id, int on);
	int (*call_bridge)(void *userdata, const char *leg_a, const char *leg_b);
	int (*call_record)(void *userdata, const char *leg_id, const sb_record *rec);
	int (*call_hangup)(void *userdata, const char *leg_id);

	/** Ask the host to report timer `timer_id` back at `due_ms` (epoch ms). */
	int (*timer_start)(void *userdata, const char *timer_id, int64_t due_ms);
	int (*timer_stop)(void *userdata, const char *timer_id);
} sb_carrier;

#ifdef __cplusplus
}
#endif

#endif
