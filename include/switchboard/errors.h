/**
 * @file switchboard/errors.h
 * @brief Error codes and their static descriptions.
 *
 * Every function that can fail returns `int`: SB_OK (0) or one of the negative
 * codes below. Codes are part of the ABI: they are only ever appended, never
 * renumbered. The detail of a failure (which field, which rule) is kept by the
 * handle the call was made on (see sb_practice_errmsg()); it never contains
 * protected health information.
 *
 * Threads: sb_strerror() is safe from any thread.
 */
#ifndef SWITCHBOARD_ERRORS_H
#define SWITCHBOARD_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes. */
typedef enum sb_error {
	SB_OK = 0,            /**< Success. */
	SB_ERROR = -1,        /**< Failure with no more specific code. */
	SB_ENOMEM = -2,       /**< Memory could not be allocated. */
	SB_EINVAL = -3,       /**< An argument is missing or out of range. */
	SB_ENOTFOUND = -4,    /**< The object does not exist in this practice. */
	SB_ECONFLICT = -5,    /**< The change conflicts with stored state (duplicate, race). */
	SB_EDENIED = -6,      /**< The actor does not have the right. */
	SB_EUTF8 = -7,        /**< A string is not valid UTF-8. */
	SB_EPHONE = -8,       /**< A phone number is malformed or not a valid number. */
	SB_ETOOBIG = -9,      /**< A payload or string exceeds its size limit. */
	SB_ESTORE = -10,      /**< The store driver failed. */
	SB_EBUSY = -11,       /**< The store is locked by another writer; try again. */
	SB_ESCHEMA = -12,     /**< The store was written by a newer library. */
	SB_EKEY = -13,        /**< The master key is missing, unexpected or wrong. */
	SB_ECRYPTO = -14,     /**< Sealed data failed authentication. */
	SB_ECORRUPT = -15,    /**< Stored data is inconsistent (a broken audit chain). */
	SB_EVERSION = -16,    /**< An options struct or vtable has an unknown version. */
	SB_ESTATE = -17,      /**< The call is not valid in the handle's current state. */
	SB_EUSER = -18,       /**< A host callback reported an error. */
	SB_ENOTSUP = -19,     /**< The host did not supply the callback the call needs. */
	SB_EROUTE = -20,      /**< An event is not addressed to one of the practice's business numbers. */
	SB_ESECURE = -21,     /**< Secure conversations cannot be deleted (C10). */
	SB_EEMAIL = -22,      /**< An e-mail address is malformed. */
	SB_ECODE = -23,       /**< A verification code or invitation token is wrong. */
	SB_EEXPIRED = -24,    /**< A verification code, invitation or access number has expired. */
	SB_ELIMIT = -25,      /**< Too many tries or sends, or a pool is used up: the attempt is refused. */
	SB_EEMERGENCY = -26,  /**< An emergency or N11 code (911, 988, 933, 211…): use the device's own dialer (V10). */
	SB_ETRANSFER = -27,   /**< Outbound calls cannot be transferred (V9). */
	SB_ETREE = -28,       /**< A phone tree is invalid: a dangling branch or a loop without an exit (V12). */
	SB_ESIGNATURE = -29,  /**< A carrier webhook's signature is missing or wrong: refused unread (twilio.h). */
	SB_EWEBHOOK = -30     /**< A carrier webhook is malformed: its encoding, a field, a status word or its route (twilio.h). */
} sb_error;

/**
 * Static, human-readable text for an error code.
 *
 * @param code any int; unknown codes get a generic text.
 * @return a static string, never NULL, never to be freed.
 */
SB_EXTERN const char *sb_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
