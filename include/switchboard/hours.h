/**
 * @file switchboard/hours.h
 * @brief Business hours (A1): when the practice, or one business number,
 * is open.
 *
 * Hours are a weekly schedule of spans in local wall-clock time, in an IANA
 * time zone, plus dated closures (holidays). A day may have several spans
 * (split shifts); a span whose close is at or before its open runs past
 * midnight into the next day. Local time comes from the system's zoneinfo
 * files (the tzdata package, read as RFC 8536 describes), so hours stay
 * right across daylight-saving changes; the process's TZ is never read or
 * changed, and any number of threads may evaluate hours at once.
 *
 * The practice has one set of hours; a business number may have its own,
 * which then replaces the practice's whole (zone, spans and closures).
 * Without any hours the practice counts as always open.
 *
 * How an instant is judged: its local date and time in the zone. It is open
 * when a span covers its local time and that shift did not start on a
 * closure's date. A shift belongs to the day it starts: a holiday cancels
 * the whole shift that starts on it, the part past midnight too, and leaves
 * a night shift that began the evening before to run out. A local time
 * skipped by a spring-forward change never occurs, and one repeated by a
 * fall-back change is judged the same both times.
 *
 * Who may: admins (and the system) set and clear hours (T1); every active
 * teammate reads them, a business number's only when they see it (T8).
 * Hours are not PHI. Changes are audited ("hours.set", "hours.clear").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_HOURS_H
#define SWITCHBOARD_HOURS_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of an IANA zone name ("America/Indiana/Indianapolis"). */
#define SB_ZONE_NAME_MAX 64u
/** Most spans in a week. */
#define SB_HOURS_SPANS_MAX 32u
/** Most dated closures in one set of hours. */
#define SB_HOURS_CLOSURES_MAX 64u
/** Most bytes of a closure's label (UTF-8). */
#define SB_CLOSURE_LABEL_MAX 64u
/** Most days one closure lasts. */
#define SB_CLOSURE_DAYS_MAX 366
/** How far ahead the next change is looked for, in days. */
#define SB_HOURS_HORIZON_DAYS 400

#define SB_HOURS_VERSION 1

/** Days of the week, as C's tm_wday counts them. */
typedef enum sb_weekday {
	SB_SUNDAY = 0,
	SB_MONDAY = 1,
	SB_TUESDAY = 2,
	SB_WEDNESDAY = 3,
	SB_THURSDAY = 4,
	SB_FRIDAY = 5,
	SB_SATURDAY = 6
} sb_weekday;

/** Open from `open_minute` of `day` to `close_minute` (minutes after local midnight). */
typedef struct sb_hours_span {
	int day;          /**< an ::sb_weekday: the day the span opens */
	int open_minute;  /**< 0..1439 */
	int close_minute; /**< 1..1440; at or before open_minute: closes on the next day */
} sb_hours_span;

/** Closed all of the local dates first_date..last_date. */
typedef struct sb_closure {
	int first_date;                          /**< YYYYMMDD, e.g. 20261126 */
	int last_date;                           /**< YYYYMMDD, >= first_date, at most SB_CLOSURE_DAYS_MAX days on */
	char label[SB_CLOSURE_LABEL_MAX + 1];    /**< "Thanksgiving"; may be "" */
} sb_closure;

/** One set of hours, as set and read whole. */
typedef struct sb_hours {
	unsigned int version;                    /**< SB_HOURS_VERSION */
	char zone[SB_ZONE_NAME_MAX + 1];         /**< an IANA name: "America/New_York" */
	size_t span_count;                       /**< 0 (never open) ..SB_HOURS_SPANS_MAX */
	sb_hours_span spans[SB_HOURS_SPANS_MAX]; /**< any order; they may not overlap */
	size_t closure_count;                    /**< 0..SB_HOURS_CLOSURES_MAX */
	sb_closure closures[SB_HOURS_CLOSURES_MAX];
} sb_hours;

/** Whose hours applied. */
typedef enum sb_hours_source {
	SB_HOURS_NONE = 0,     /**< no hours are set: always open */
	SB_HOURS_PRACTICE = 1, /**< the practice's */
	SB_HOURS_ENDPOINT = 2  /**< the business number's own */
} sb_hours_source;

/** Open or closed at an instant, and when that changes. */
typedef struct sb_hours_status {
	int open;             /**< non-zero: open at the instant */
	int source;           /**< an ::sb_hours_source */
	int64_t next_change;  /**< epoch ms of the next open/closed flip after the instant; 0: none within the horizon */
	int64_t next_opening; /**< epoch ms of the next opening after the instant; 0: none within the horizon */
	int local_date;       /**< the instant's local date, YYYYMMDD (0 without hours) */
	int local_minute;     /**< its local time, minutes after midnight */
	int weekday;          /**< its local ::sb_weekday */
	int utc_offset;       /**< the zone's offset from UTC then, in minutes east */
} sb_hours_status;

/** Fill with the version, the zone "UTC", and no spans or closures. @return SB_OK; SB_EINVAL (NULL). */
SB_EXTERN int sb_hours_init(sb_hours *h);

/**
 * Judge `h` at `at` (epoch ms) without storing anything: for a host's
 * preview of hours being edited.
 * @return SB_OK; SB_EINVAL (NULL; a span or closure out of range, spans
 *         that overlap; a malformed zone name); SB_EVERSION; SB_ETOOBIG
 *         (counts); SB_EUTF8 (a label); SB_ENOTFOUND (no such zone on this
 *         system); SB_ECORRUPT (the zone's file is unreadable); SB_ESTATE.
 */
SB_EXTERN int sb_hours_evaluate(sb_hours_status *out, sb_practice *p, const sb_hours *h, int64_t at);

/**
 * Set the hours of the practice (`endpoint` 0) or of one business number,
 * replacing what was set there. Admins only.
 * @return SB_OK; as sb_hours_evaluate() for `h`; SB_ENOTFOUND (no such
 *         endpoint); SB_EDENIED (not an admin: audited); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_hours_set(sb_practice *p, sb_id actor, sb_id endpoint, const sb_hours *h);

/**
 * Remove the hours set on the practice (`endpoint` 0: it is then always
 * open) or on a business number (it then keeps the practice's).
 * @return SB_OK; SB_ENOTFOUND (no such endpoint, or no hours set there);
 *         SB_EDENIED (not an admin); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_hours_clear(sb_practice *p, sb_id actor, sb_id endpoint);

/**
 * Read the hours set on the practice (`endpoint` 0) or on a business
 * number into *out (which needs no init).
 * @return SB_OK; SB_EINVAL (NULL); SB_ENOTFOUND (no such endpoint, or no
 *         hours set there); SB_EDENIED (not an active teammate; a business
 *         number the actor does not see); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_hours_get(sb_hours *out, sb_practice *p, sb_id actor, sb_id endpoint);

/**
 * Is the practice (`endpoint` 0), or a business number, open at `at`
 * (epoch ms; 0: now), and when does that change? A business number
 * without hours of its own follows the practice's.
 * @return SB_OK; SB_EINVAL (NULL, negative `at`); SB_ENOTFOUND (no such
 *         endpoint; the zone has left this system); SB_EDENIED; SB_EUSER
 *         (the host clock failed); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_hours_at(sb_hours_status *out, sb_practice *p, sb_id actor, sb_id endpoint, int64_t at);

#ifdef __cplusplus
}
#endif

#endif
