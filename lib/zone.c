/* IANA time zones from the system's TZif files (RFC 8536). See zone.h. */
#include "zone.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- the civil calendar (H. Hinnant's days_from_civil, civil_from_days) --- */

int64_t sb_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sb_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return days[m - 1] + (m == 2 && is_leap(y));
}

/* --- the POSIX TZ footer --- */

typedef struct cursor {
	const char *s;
	int ok;
} cursor;

static long number(cursor *c, long max)
{
	long v = 0;
	if (*c->s < '0' || *c->s > '9')
		c->ok = 0;
	while (*c->s >= '0' && *c->s <= '9' && v <= max)
		v = v * 10 + (*c->s++ - '0');
	if (v > max)
		c->ok = 0;
	return v;
}

/* [+-]hh[:mm[:ss]] in seconds; hours up to 167 (TZif v3). */
static int32_t clock_time(cursor *c)
{
	int sign = *c->s == '-' ? -1 : 1;
	if (*c->s == '-' || *c->s == '+')
		c->s++;
	long v = number(c, 167) * 3600;
	for (long unit = 60; *c->s == ':' && unit >= 1; unit /= 60) {
		c->s++;
		v += number(c, 59) * unit;
	}
	return (int32_t)(sign * v);
}

/* A zone abbreviation: <...> or three or more letters. */
static void abbreviation(cursor *c)
{
	const char *start = c->s;
	if (*c->s == '<') {
		while (*c->s && *c->s != '>')
			c->s++;
		c->ok = c->ok && *c->s == '>';
		if (*c->s)
			c->s++;
		return;
	}
	while ((*c->s >= 'A' && *c->s <= 'Z') || (*c->s >= 'a' && *c->s <= 'z'))
		c->s++;
	if (c->s - start < 3)
		c->ok = 0;
}

static void rule(cursor *c, sb_zone_rule *r)
{
	memset(r, 0, sizeof *r);
	if (*c->s == 'M') {
		c->s++;
		r->kind = 'M';
		r->month = (int)number(c, 12);
		c->ok = c->ok && *c->s++ == '.';
		r->week = (int)number(c, 5);
		c->ok = c->ok && *c->s++ == '.';
		r->weekday = (int)number(c, 6);
		c->ok = c->ok && r->month >= 1 && r->week >= 1;
	} else if (*c->s == 'J') {
		c->s++;
		r->kind = 'J';
		r->day = (int)number(c, 365);
		c->ok = c->ok && r->day >= 1;
	} else {
		r->kind = 'D';
		r->day = (int)number(c, 365);
	}
	r->time = 2 * 3600;
	if (c->ok && *c->s == '/') {
		c->s++;
		r->time = clock_time(c);
	}
}

/* std offset [dst [offset] [,start[/time],end[/time]]]. POSIX offsets
 * count hours west of Greenwich, so they are negated here. */
static int parse_footer(sb_zone *z, const char *s)
{
	cursor c = {s, 1};
	if (!*s)
		return SB_OK; /* an empty footer: no rules past the table */
	abbreviation(&c);
	z->std_offset = -clock_time(&c);
	z->has_footer = 1;
	if (c.ok && *c.s) {
		abbreviation(&c);
		z->has_dst = 1;
		z->dst_offset = z->std_offset + 3600;
		if (c.ok && *c.s && *c.s != ',')
			z->dst_offset = -clock_time(&c);
		const char *us = ",M3.2.0,M11.1.0"; /* POSIX leaves it to the system; the usual default */
		cursor r = *c.s ? c : (cursor){us, 1};
		r.ok = r.ok && *r.s++ == ',';
		rule(&r, &z->start);
		r.ok = r.ok && *r.s++ == ',';
		rule(&r, &z->end);
		c.ok = c.ok && r.ok && !*r.s;
	}
	return c.ok ? SB_OK : SB_ECORRUPT;
}

/* The instant, in year y, that a footer rule names, given the offset in
 * effect before it. */
static int64_t rule_instant(const sb_zone_rule *r, int64_t y, int32_t offset)
{
	int64_t day;
	if (r->kind == 'J')
		day = sb_days_from_civil(y, 1, 1) + r->day - 1 + (is_leap(y) && r->day >= 60);
	else if (r->kind == 'D')
		day = sb_days_from_civil(y, 1, 1) + r->day;
	else {
		int64_t first = sb_days_from_civil(y, r->month, 1);
		int first_weekday = (int)(((first + 4) % 7 + 7) % 7);
		int d = 1 + (r->weekday - first_weekday + 7) % 7 + (r->week - 1) * 7;
		while (d > month_days(y, r->month))
			d -= 7;
		day = first + d - 1;
	}
	return day * 86400 + r->time - offset;
}

static int64_t year_of(int64_t t)
{
	int64_t y;
	int m, d;
	sb_civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), &y, &m, &d);
	return y;
}

static int32_t footer_offset(const sb_zone *z, int64_t t)
{
	if (!z->has_dst)
		return z->std_offset;
	int64_t y = year_of(t + z->std_offset);
	int64_t start = rule_instant(&z->start, y, z->std_offset);
	int64_t end = rule_instant(&z->end, y, z->dst_offset);
	int dst = start < end ? t >= start && t < end : t < end || t >= start; /* the south's DST spans new year */
	return dst ? z->dst_offset : z->std_offset;
}

static int64_t footer_next(const sb_zone *z, int64_t t)
{
	if (!z->has_dst)
		return INT64_MAX;
	int64_t y = year_of(t + z->std_offset), best = INT64_MAX;
	for (int64_t k = y - 1; k <= y + 1; k++) {
		int64_t s = rule_instant(&z->start, k, z->std_offset), e = rule_instant(&z->end, k, z->dst_offset);
		if (s > t && s < best)
			best = s;
		if (e > t && e < best)
			best = e;
	}
	return best;
}

/* --- the TZif file --- */

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int64_t be64(const unsigned char *b)
{
	return (int64_t)((uint64_t)be32(b) << 32 | be32(b + 4));
}

typedef struct header {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} header;

static int read_header(const unsigned char *b, size_t n, header *h)
{
	if (n < 44 || memcmp(b, "TZif", 4) != 0)
		return SB_ECORRUPT;
	uint32_t *f[] = {&h->isutcnt, &h->isstdcnt, &h->leapcnt, &h->timecnt, &h->typecnt, &h->charcnt};
	for (int i = 0; i < 6; i++)
		*f[i] = be32(b + 20 + 4 * i);
	return h->typecnt >= 1 && h->typecnt <= 256 && h->timecnt <= 100000 ? SB_OK : SB_ECORRUPT;
}

static size_t body_size(const header *h, size_t time_size)
{
	return h->timecnt * time_size + h->timecnt + h->typecnt * 6 + h->charcnt + h->leapcnt * (time_size + 4) +
	       h->isstdcnt + h->isutcnt;
}

/* The version 2+ block (64-bit times) and the footer after it. */
static int parse(sb_zone *z, const unsigned char *b, size_t n)
{
	header h;
	int rc = read_header(b, n, &h);
	if (rc != SB_OK || b[4] < '2')
		return SB_ECORRUPT; /* version 1 files end in 2038; tzdata has written v2+ since 2005 */
	size_t skip = 44 + body_size(&h, 4);
	if (skip > n || (rc = read_header(b + skip, n - skip, &h)) != SB_OK)
		return SB_ECORRUPT;
	const unsigned char *d = b + skip + 44;
	size_t size = body_size(&h, 8);
	if (size > n - skip - 44)
		return SB_ECORRUPT;
	const unsigned char *types = d + h.timecnt * 9;
	z->count = h.timecnt;
	z->at = malloc((h.timecnt + 1) * sizeof *z->at);
	z->offset = malloc((h.timecnt + 1) * sizeof *z->offset);
	if (!z->at || !z->offset)
		return SB_ENOMEM;
	for (uint32_t i = 0; i < h.timecnt; i++) {
		unsigned idx = d[h.timecnt * 8 + i];
		if (idx >= h.typecnt || (i && be64(d + i * 8) <= z->at[i - 1]))
			return SB_ECORRUPT;
		z->at[i] = be64(d + i * 8);
		z->offset[i] = (int32_t)be32(types + idx * 6);
	}
	z->initial = (int32_t)be32(types); /* RFC 8536: type 0 before the first transition */
	const char *foot = (const char *)d + size;
	const char *end = (const char *)b + n;
	if (foot >= end || *foot != '\n')
		return SB_OK; /* no footer: the last transition holds for ever */
	const char *close = memchr(foot + 1, '\n', (size_t)(end - foot - 1));
	char tz[128];
	if (!close || (size_t)(close - foot - 1) >= sizeof tz)
		return SB_ECORRUPT;
	memcpy(tz, foot + 1, (size_t)(close - foot - 1));
	tz[close - foot - 1] = '\0';
	return parse_footer(z, tz);
}

static int valid_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > SB_ZONE_NAME_MAX || name[0] == '/' || name[len - 1] == '/')
		return 0;
	for (const char *part = name; part; part = strchr(part, '/') ? strchr(part, '/') + 1 : NULL) {
		if (part[0] == '.' || part[0] == '/')
			return 0; /* no ".", "..", hidden files or empty parts */
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      strchr("_+-/.", *c)))
			return 0;
	return 1;
}

static int read_file(const char *path, unsigned char **out, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EISDIR ? SB_ENOTFOUND : SB_ERROR;
	unsigned char *b = malloc(SB_ZONE_FILE_MAX);
	ssize_t got = 0, r = 0;
	while (b && (size_t)got < SB_ZONE_FILE_MAX && (r = read(fd, b + got, SB_ZONE_FILE_MAX - (size_t)got)) > 0)
		got += r;
	close(fd);
	if (!b || r < 0) {
		free(b);
		return b ? SB_ENOTFOUND : SB_ENOMEM; /* a directory reads as an error */
	}
	*out = b;
	*n = (size_t)got;
	return SB_OK;
}

int sb_zone_load(sb_zone *z, const char *name)
{
	memset(z, 0, sizeof *z);
	if (!name || !valid_name(name))
		return SB_EINVAL;
	char path[sizeof SB_ZONEINFO_DIR + SB_ZONE_NAME_MAX + 2];
	snprintf(path, sizeof path, "%s/%s", SB_ZONEINFO_DIR, name);
	unsigned char *b = NULL;
	size_t n = 0;
	int rc = read_file(path, &b, &n);
	if (rc == SB_OK)
		rc = parse(z, b, n);
	free(b);
	if (rc != SB_OK)
		sb_zone_free(z);
	return rc;
}

void sb_zone_free(sb_zone *z)
{
	free(z->at);
	free(z->offset);
	memset(z, 0, sizeof *z);
}

/* Index of the last transition at or before t, or -1. */
static long last_at_or_before(const sb_zone *z, int64_t t)
{
	long lo = 0, hi = (long)z->count - 1, found = -1;
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t) {
			found = mid;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	return found;
}

int32_t sb_zone_offset(const sb_zone *z, int64_t t)
{
	long i = last_at_or_before(z, t);
	if (z->has_footer && (z->count == 0 || i == (long)z->count - 1))
		return footer_offset(z, t);
	return i < 0 ? z->initial : z->offset[i];
}

int64_t sb_zone_next_transition(const sb_zone *z, int64_t t)
{
	long i = last_at_or_before(z, t);
	if (i + 1 < (long)z->count)
		return z->at[i + 1];
	return z->has_footer ? footer_next(z, t) : INT64_MAX;
}
