/* IANA time zones, read from the system's zoneinfo files (RFC 8536, TZif
 * versions 2 to 4, as Go's time package and Python's zoneinfo read them):
 * the transition table, then the file's POSIX TZ footer for instants past
 * it. The rules come from the tzdata package; nothing here knows a zone's
 * rules itself, and the process's TZ is never read or set. Internal.
 *
 * A loaded zone is immutable, so any number of threads may read it. */
#ifndef SB_ZONE_H
#define SB_ZONE_H

#include <stddef.h>
#include <stdint.h>

/* Where the zoneinfo files are: fixed at build time (-DSB_ZONEINFO_DIR). */
#ifndef SB_ZONEINFO_DIR
#define SB_ZONEINFO_DIR "/usr/share/zoneinfo"
#endif
#define SB_ZONE_FILE_MAX (256u * 1024u)

/* A date rule of a POSIX TZ string: Jn, n or Mm.w.d, at `time` seconds
 * after local midnight (may be negative or past 24h). */
typedef struct sb_zone_rule {
	char kind; /* 'J' (1..365, no leap day), 'D' (0..365), 'M' */
	int day, month, week, weekday;
	int32_t time;
} sb_zone_rule;

typedef struct sb_zone {
	size_t count;            /* transitions */
	int64_t *at;             /* their instants (epoch seconds), ascending */
	int32_t *offset;         /* the UTC offset (seconds east) from each on */
	int32_t initial;         /* the offset before the first */
	int has_footer;          /* past the last transition, the footer rules */
	int32_t std_offset, dst_offset;
	int has_dst;
	sb_zone_rule start, end; /* DST starts (local standard time), ends (local DST time) */
} sb_zone;

/* Validate an IANA name (letters, digits, "_+-", '/' between parts, no
 * "." part, at most SB_ZONE_NAME_MAX bytes) and load its file.
 * SB_EINVAL: not a zone name; SB_ENOTFOUND: no such zone on this system;
 * SB_ECORRUPT: not a TZif file we can read; SB_ENOMEM. */
int sb_zone_load(sb_zone *z, const char *name);
void sb_zone_free(sb_zone *z);

/* The UTC offset (seconds east) in effect at epoch second t. */
int32_t sb_zone_offset(const sb_zone *z, int64_t t);
/* The first instant after t at which the offset may change; INT64_MAX if none. */
int64_t sb_zone_next_transition(const sb_zone *z, int64_t t);

/* Civil calendar (proleptic Gregorian): days since 1970-01-01 and back. */
int64_t sb_days_from_civil(int64_t y, int m, int d);
void sb_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
