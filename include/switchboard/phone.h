/**
 * @file switchboard/phone.h
 * @brief Phone numbers: parse what people type into E.164 and classify it
 * under the North American Numbering Plan (NANP).
 *
 * Accepted input (UTF-8): digits with spaces, dots, dashes, slashes and
 * parentheses; a leading '+' for E.164; "1" + 10 digits or 10 digits for NANP;
 * "011" + digits for an international number dialled from NANP; and the
 * three-digit service and emergency codes (211 … 911, 988, 933, 112). What
 * pasting brings along is normalised the same way: no-break and other Unicode
 * spaces, the Unicode dashes (en dash, em dash, non-breaking hyphen, …) and
 * U+2212 minus count as separators, full-width digits, '+' and parentheses as
 * their ASCII forms, and invisible marks (zero-width space, word joiner, byte
 * order mark, the direction marks U+200E/U+200F/U+202A–U+202E) are ignored.
 * Letters, extensions and any other character are refused.
 *
 * NANP rules applied to +1 numbers: the area code (NPA) and the exchange (NXX)
 * start with 2–9; the NPA's middle digit is not 9; neither is of the N11 form,
 * except that toll-free numbers may have an N11 exchange (1-800-411-…); NPAs
 * 37X and 96X are reserved. 800/833/844/855/866/877/888 are toll-free, 900 is
 * premium, NXX 555 with line 0100–0199 is fictional. Numbers outside +1 are
 * checked only for E.164 length (8–15 digits) and flagged international.
 *
 * Threads: all functions are pure and safe from any thread.
 */
#ifndef SWITCHBOARD_PHONE_H
#define SWITCHBOARD_PHONE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of sb_phone.number: '+', 15 digits, NUL, padding. */
#define SB_PHONE_NUMBER_MAX 20u
/** Longest input sb_phone_parse() looks at, in bytes. */
#define SB_PHONE_INPUT_MAX 64u

/** What kind of number was parsed. */
typedef enum sb_phone_kind {
	SB_PHONE_INVALID = 0,       /**< parsing failed; see sb_phone.problem */
	SB_PHONE_GEOGRAPHIC = 1,    /**< an ordinary NANP number */
	SB_PHONE_TOLL_FREE = 2,     /**< NANP 8YY toll-free */
	SB_PHONE_PREMIUM = 3,       /**< NANP 900 */
	SB_PHONE_FICTIONAL = 4,     /**< NANP NXX 555, line 0100–0199 */
	SB_PHONE_SERVICE = 5,       /**< an N11 service code: 211, 311, 411, 511, 611, 711, 811 */
	SB_PHONE_EMERGENCY = 6,     /**< 911, 988 (crisis line), 933 (911 address test), 112 (GSM, routed to 911) */
	SB_PHONE_INTERNATIONAL = 7  /**< a valid E.164 number outside NANP */
} sb_phone_kind;

/** Why parsing failed. */
typedef enum sb_phone_problem {
	SB_PHONE_ERR_NONE = 0,
	SB_PHONE_ERR_EMPTY = 1,             /**< no digits */
	SB_PHONE_ERR_CHARACTER = 2,         /**< a letter or other character that is not part of a number */
	SB_PHONE_ERR_TOO_SHORT = 3,
	SB_PHONE_ERR_TOO_LONG = 4,
	SB_PHONE_ERR_COUNTRY_CODE = 5,      /**< E.164 country code cannot start with 0 */
	SB_PHONE_ERR_AREA_CODE_START = 6,   /**< NPA starts with 0 or 1 */
	SB_PHONE_ERR_AREA_CODE_NINE = 7,    /**< NPA middle digit is 9 */
	SB_PHONE_ERR_AREA_CODE_N11 = 8,     /**< NPA of the N11 form */
	SB_PHONE_ERR_AREA_CODE_RESERVED = 9,/**< NPA 37X or 96X */
	SB_PHONE_ERR_EXCHANGE_START = 10,   /**< NXX starts with 0 or 1 */
	SB_PHONE_ERR_EXCHANGE_N11 = 11      /**< NXX of the N11 form (outside toll-free) */
} sb_phone_problem;

/** A parsed number. The layout is frozen; a revision will come as sb_phone_parse_v2(). */
typedef struct sb_phone {
	/** E.164 ("+14155552671"), or the bare code for SERVICE and EMERGENCY ("911"). */
	char number[SB_PHONE_NUMBER_MAX];
	int kind;        /**< an ::sb_phone_kind */
	/** ISO 3166 alpha-2 of the NANP member ("US", "CA", "JM", …) for geographic and
	 *  fictional numbers; "" for numbers tied to no country (toll-free, premium,
	 *  service codes) and for international ones. Area codes not known to belong
	 *  to another member are "US". */
	char country[4];
	int problem;     /**< an ::sb_phone_problem; SB_PHONE_ERR_NONE on success */
} sb_phone;

/**
 * Parse and classify a phone number.
 *
 * @param out   always filled: the number on success, kind SB_PHONE_INVALID and
 *              the problem on failure
 * @param text  what was typed, NUL-terminated
 * @return SB_OK; SB_EINVAL (NULL out or text); SB_EPHONE (see out->problem).
 */
SB_EXTERN int sb_phone_parse(sb_phone *out, const char *text);

/** @return non-zero when `phone` is a dialable NANP number (+1, any kind but SERVICE/EMERGENCY). */
SB_EXTERN int sb_phone_is_nanp(const sb_phone *phone);

/**
 * Can the practice text this number? Texting reaches the United States (with
 * Puerto Rico, the US Virgin Islands, Guam, the Northern Mariana Islands and
 * American Samoa) and Canada, toll-free numbers included (C14). The other
 * NANP members (Jamaica, the Dominican Republic, …) can be called but not
 * texted, and premium-rate 900 numbers are neither texted nor dialled.
 * @return non-zero for such a number; 0 for any other, for an unparsed one
 *         and for NULL.
 */
SB_EXTERN int sb_phone_is_textable(const sb_phone *phone);

/** @return static lower-case name of an ::sb_phone_kind ("geographic", "toll_free", …), never NULL. */
SB_EXTERN const char *sb_phone_kind_name(int kind);

/** @return static text describing an ::sb_phone_problem, never NULL. */
SB_EXTERN const char *sb_phone_problem_text(int problem);

#ifdef __cplusplus
}
#endif

#endif
