/* Business hours (A1): weekly spans and dated closures in local time,
 * judged through the zone's own rules (zone.c). */
#include "hours_internal.h"

#include "access.h"

#include <stdlib.h>
#include <string.h>

#define WEEK_MINUTES (7 * 1440)
#define DAY_SECONDS INT64_C(86400)
/* Any zone's offset is within this of UTC (the widest are +14 h, -12 h). */
#define OFFSET_BOUND (26 * 3600)
#define BATCH_DAYS 7
/* Candidate instants in one batch: every local day it touches, at midnight
 * and each span's ends, under either offset; plus the transitions. */
#define CANDIDATES_MAX ((BATCH_DAYS + 6) * (1 + 2 * SB_HOURS_SPANS_MAX) * 2 + 64)

int sb_hours_init(sb_hours *h)
{
	if (!h)
		return SB_EINVAL;
	memset(h, 0, sizeof *h);
	h->version = SB_HOURS_VERSION;
	memcpy(h->zone, "UTC", 4);
	return SB_OK;
}

/* --- checking --- */

/* A span as [start, end) minutes of the week; end may pass the week's end. */
static void week_interval(const sb_hours_span *s, int *start, int *end)
{
	*start = s->day * 1440 + s->open_minute;
	*end = *start + (s->close_minute > s->open_minute ? s->close_minute - s->open_minute
	                                                   : s->close_minute + 1440 - s->open_minute);
}

static int overlap(const sb_hours_span *a, const sb_hours_span *b)
{
	int as, ae, bs, be;
	week_interval(a, &as, &ae);
	week_interval(b, &bs, &be);
	for (int shift = -WEEK_MINUTES; shift <= WEEK_MINUTES; shift += WEEK_MINUTES)
		if (as < be + shift && bs + shift < ae)
			return 1;
	return 0;
}

static int check_spans(sb_practice *p, const sb_hours *h)
{
	if (h->span_count > SB_HOURS_SPANS_MAX)
		return sb_fail(p, SB_ETOOBIG, "hours have at most %u spans", SB_HOURS_SPANS_MAX);
	for (size_t i = 0; i < h->span_count; i++) {
		const sb_hours_span *s = &h->spans[i];
		if (s->day < SB_SUNDAY || s->day > SB_SATURDAY)
			return sb_fail(p, SB_EINVAL, "span %zu: day must be 0 (Sunday) to 6 (Saturday)", i + 1);
		if (s->open_minute < 0 || s->open_minute > 1439 || s->close_minute < 1 || s->close_minute > 1440)
			return sb_fail(p, SB_EINVAL, "span %zu: open_minute must be 0..1439 and close_minute 1..1440", i + 1);
		for (size_t k = 0; k < i; k++)
			if (overlap(&h->spans[k], s))
				return sb_fail(p, SB_EINVAL, "span %zu overlaps span %zu", i + 1, k + 1);
	}
	return SB_OK;
}

/* YYYYMMDD as days since 1970-01-01, or -1 unless a real date from 1970 to 9999. */
static int64_t date_days(int date)
{
	int y = date / 10000, m = date / 100 % 100, d = date % 100;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return -1;
	int64_t days = sb_days_from_civil(y, m, d);
	int64_t yy;
	int mm, dd;
	sb_civil_from_days(days, &yy, &mm, &dd);
	return mm == m && dd == d ? days : -1;
}

static int check_closures(sb_practice *p, const sb_hours *h)
{
	if (h->closure_count > SB_HOURS_CLOSURES_MAX)
		return sb_fail(p, SB_ETOOBIG, "hours have at most %u closures", SB_HOURS_CLOSURES_MAX);
	for (size_t i = 0; i < h->closure_count; i++) {
		const sb_closure *c = &h->closures[i];
		int64_t first = date_days(c->first_date), last = date_days(c->last_date);
		if (first < 0 || last < 0)
			return sb_fail(p, SB_EINVAL, "closure %zu: dates must be real dates as YYYYMMDD", i + 1);
		if (last < first || last - first >= SB_CLOSURE_DAYS_MAX)
			return sb_fail(p, SB_EINVAL, "closure %zu: last_date must be first_date or up to %d days after it",
			               i + 1, SB_CLOSURE_DAYS_MAX - 1);
		if (!memchr(c->label, '\0', sizeof c->label))
			return sb_fail(p, SB_ETOOBIG, "closure %zu: the label is longer than %u bytes", i + 1,
			               SB_CLOSURE_LABEL_MAX);
		int rc = sb_check_text(p, c->label, SB_CLOSURE_LABEL_MAX, "a closure's label");
		if (rc != SB_OK)
			return rc;
	}
	return SB_OK;
}

int sb_hours_zone(sb_practice *p, const char *name, const sb_zone **out)
{
	if (p->zone_name[0] && strcmp(p->zone_name, name) == 0) {
		*out = &p->zone;
		return SB_OK;
	}
	sb_zone z;
	int rc = sb_zone_load(&z, name);
	if (rc == SB_EINVAL)
		return sb_fail(p, rc, "zone is not an IANA time zone name (like \"America/New_York\")");
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "zone names no time zone this system's zoneinfo (%s) knows", SB_ZONEINFO_DIR);
	if (rc != SB_OK)
		return sb_fail(p, rc, "the zone's zoneinfo file could not be read");
	sb_zone_free(&p->zone);
	p->zone = z;
	memcpy(p->zone_name, name, strlen(name) + 1);
	*out = &p->zone;
	return SB_OK;
}

static int check_hours(sb_practice *p, const sb_hours *h, const sb_zone **zone)
{
	if (!h)
		return sb_fail(p, SB_EINVAL, "hours are required");
	if (h->version != SB_HOURS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_hours version %u is not %u", h->version, SB_HOURS_VERSION);
	if (!memchr(h->zone, '\0', sizeof h->zone))
		return sb_fail(p, SB_ETOOBIG, "zone is longer than %u bytes", SB_ZONE_NAME_MAX);
	int rc = check_spans(p, h);
	if (rc == SB_OK)
		rc = check_closures(p, h);
	return rc == SB_OK ? sb_hours_zone(p, h->zone, zone) : rc;
}

/* --- judging --- */

typedef struct local_time {
	int64_t days; /* since 1970-01-01, local */
	int minute, weekday, date;
} local_time;

static local_time local_at(const sb_zone *z, int64_t t)
{
	int64_t s = t + sb_zone_offset(z, t);
	local_time l;
	l.days = s >= 0 ? s / DAY_SECONDS : -((-s + DAY_SECONDS - 1) / DAY_SECONDS);
	l.minute = (int)((s - l.days * DAY_SECONDS) / 60);
	l.weekday = (int)(((l.days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	int64_t y;
	int m, d;
	sb_civil_from_days(l.days, &y, &m, &d);
	l.date = (int)(y * 10000 + m * 100 + d);
	return l;
}

static int closed_on(const sb_hours *h, int64_t days)
{
	int64_t y;
	int m, d;
	sb_civil_from_days(days, &y, &m, &d);
	int date = (int)(y * 10000 + m * 100 + d);
	for (size_t i = 0; i < h->closure_count; i++)
		if (date >= h->closures[i].first_date && date <= h->closures[i].last_date)
			return 1;
	return 0;
}

/* Open when a span covers the local time and the shift it belongs to did not
 * start on a closure's date: a holiday cancels the whole shift that starts on
 * it, past midnight too, and leaves the night shift that began the evening
 * before to run out. */
static int is_open(const sb_hours *h, const sb_zone *z, int64_t t)
{
	local_time l = local_at(z, t);
	int now = l.weekday * 1440 + l.minute;
	for (size_t i = 0; i < h->span_count; i++) {
		int start, end;
		week_interval(&h->spans[i], &start, &end);
		int at = now >= start && now < end ? now : now + WEEK_MINUTES;
		if (at < start || at >= end)
			continue;
		int64_t since_midnight = l.minute - (at - start); /* minutes from today's midnight to the shift's start */
		int64_t start_day = l.days + (since_midnight >= 0 ? 0 : -((-since_midnight + 1439) / 1440));
		return !closed_on(h, start_day);
	}
	return 0;
}

static int by_instant(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Local wall time `local` (epoch seconds as if UTC) as instants in [u0, u1):
 * none in a spring-forward gap, two in a fall-back overlap. */
static size_t add_local(const sb_zone *z, int64_t local, int64_t u0, int64_t u1, int64_t *c, size_t n)
{
	int32_t before = sb_zone_offset(z, local - OFFSET_BOUND), after = sb_zone_offset(z, local + OFFSET_BOUND);
	for (int k = 0; k < 2; k++) {
		int32_t o = k ? after : before;
		int64_t t = local - o;
		if ((k == 0 || after != before) && t >= u0 && t < u1 && sb_zone_offset(z, t) == o)
			c[n++] = t;
	}
	return n;
}

/* Every instant in [u0, u1) at which open/closed may flip: a local
 * midnight (closures), a span's opening or closing, a zone transition. */
static size_t candidates(const sb_hours *h, const sb_zone *z, int64_t u0, int64_t u1, int64_t *c)
{
	size_t n = 0;
	int64_t first = (u0 - OFFSET_BOUND) / DAY_SECONDS - 1, last = (u1 + OFFSET_BOUND) / DAY_SECONDS + 1;
	for (int64_t day = first; day <= last; day++) {
		int weekday = (int)(((day + 4) % 7 + 7) % 7);
		n = add_local(z, day * DAY_SECONDS, u0, u1, c, n);
		for (size_t i = 0; i < h->span_count; i++) {
			int start, end;
			week_interval(&h->spans[i], &start, &end);
			end %= WEEK_MINUTES;
			if (start / 1440 == weekday)
				n = add_local(z, day * DAY_SECONDS + start % 1440 * 60, u0, u1, c, n);
			if (end / 1440 == weekday)
				n = add_local(z, day * DAY_SECONDS + end % 1440 * 60, u0, u1, c, n);
		}
	}
	for (int64_t t = sb_zone_next_transition(z, u0 - 1); t < u1 && n < CANDIDATES_MAX; t = sb_zone_next_transition(z, t))
		c[n++] = t;
	qsort(c, n, sizeof *c, by_instant);
	return n;
}

/* The first instant after t (seconds) at which is_open differs from
 * `state`, or 0 within the horizon. */
static int64_t next_flip(const sb_hours *h, const sb_zone *z, int64_t t, int state)
{
	int64_t c[CANDIDATES_MAX];
	for (int64_t u0 = t + 1; u0 <= t + SB_HOURS_HORIZON_DAYS * DAY_SECONDS; u0 += BATCH_DAYS * DAY_SECONDS) {
		size_t n = candidates(h, z, u0, u0 + BATCH_DAYS * DAY_SECONDS, c);
		for (size_t i = 0; i < n; i++)
			if (is_open(h, z, c[i]) != state)
				return c[i];
	}
	return 0;
}

static int64_t floor_seconds(int64_t ms)
{
	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void sb_hours_judge(sb_hours_status *out, const sb_hours *h, const sb_zone *z, int64_t at)
{
	int64_t t = floor_seconds(at);
	local_time l = local_at(z, t);
	out->open = is_open(h, z, t);
	out->local_date = l.date;
	out->local_minute = l.minute;
	out->weekday = l.weekday;
	out->utc_offset = sb_zone_offset(z, t) / 60;
	int64_t change = next_flip(h, z, t, out->open);
	int64_t opening = change && out->open ? next_flip(h, z, change, 0) : change;
	out->next_change = change * 1000;
	out->next_opening = opening * 1000;
}

int sb_hours_evaluate(sb_hours_status *out, sb_practice *p, const sb_hours *h, int64_t at)
{
	const sb_zone *z;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = check_hours(p, h, &z);
	if (rc != SB_OK)
		return rc;
	sb_hours_judge(out, h, z, at);
	out->source = SB_HOURS_PRACTICE;
	return SB_OK;
}

/* --- storing --- */

static int load_children(sb_practice *p, sb_id id, sb_hours *h)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_db_query(p->db, &st,
	                     "SELECT day, open_minute, close_minute FROM sb_hours_span WHERE hours_id = ? ORDER BY position",
	                     "i", id);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW && h->span_count < SB_HOURS_SPANS_MAX) {
		sb_hours_span *s = &h->spans[h->span_count++];
		s->day = (int)sb_db_col_int(p->db, st, 0);
		s->open_minute = (int)sb_db_col_int(p->db, st, 1);
		s->close_minute = (int)sb_db_col_int(p->db, st, 2);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	if (rc < 0)
		return rc;
	rc = sb_db_query(p->db, &st,
	                 "SELECT first_date, last_date, label FROM sb_hours_closure WHERE hours_id = ? ORDER BY position",
	                 "i", id);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW &&
	       h->closure_count < SB_HOURS_CLOSURES_MAX) {
		sb_closure *c = &h->closures[h->closure_count++];
		c->first_date = (int)sb_db_col_int(p->db, st, 0);
		c->last_date = (int)sb_db_col_int(p->db, st, 1);
		const char *label = sb_db_col_text(p->db, st, 2, &n);
		sb_copy_text(c->label, sizeof c->label, label, n);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	return rc < 0 ? rc : SB_OK;
}

/* The hours in force on `endpoint`: its own, else the practice's (when
 * `inherit`). SB_ENOTFOUND when none; *source says whose. */
static int load(sb_practice *p, sb_id endpoint, int inherit, sb_hours *h, int *source)
{
	sb_stmt *st;
	size_t n;
	sb_hours_init(h);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT id, zone, endpoint_id FROM sb_hours WHERE practice_id = ? AND endpoint_id IN (?, ?)"
	                   " ORDER BY endpoint_id DESC LIMIT 1",
	                   "iii", p->id, endpoint, inherit ? 0 : endpoint);
	if (rc != SB_OK)
		return rc;
	sb_id id = sb_db_col_int(p->db, st, 0);
	const char *zone = sb_db_col_text(p->db, st, 1, &n);
	sb_copy_text(h->zone, sizeof h->zone, zone, n);
	*source = sb_db_col_int(p->db, st, 2) ? SB_HOURS_ENDPOINT : SB_HOURS_PRACTICE;
	sb_db_release(p->db, st);
	return load_children(p, id, h);
}

int sb_hours_status_of(sb_practice *p, sb_id endpoint, int64_t at, sb_hours_status *out)
{
	sb_hours *h = malloc(sizeof *h);
	const sb_zone *z;
	int source = SB_HOURS_NONE;
	memset(out, 0, sizeof *out);
	if (!h)
		return sb_fail(p, SB_ENOMEM, "out of memory");
	int rc = load(p, endpoint, 1, h, &source);
	if (rc == SB_ENOTFOUND) {
		out->open = 1; /* no hours: always open */
		rc = SB_OK;
	} else if (rc != SB_OK)
		rc = sb_fail_store(p, rc, "reading business hours");
	else if ((rc = sb_hours_zone(p, h->zone, &z)) == SB_OK)
		sb_hours_judge(out, h, z, at);
	out->source = source;
	free(h);
	return rc;
}

/* The endpoint (0: the practice) exists, and the actor sees it. */
static int gate(sb_practice *p, sb_id actor, sb_id endpoint)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK && endpoint < 0)
		rc = sb_fail(p, SB_EINVAL, "endpoint is negative");
	return rc == SB_OK && endpoint ? sb_access_endpoint(p, actor, endpoint) : rc;
}

int sb_hours_at(sb_hours_status *out, sb_practice *p, sb_id actor, sb_id endpoint, int64_t at)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK && at < 0)
		rc = sb_fail(p, SB_EINVAL, "at is negative");
	if (rc == SB_OK)
		rc = gate(p, actor, endpoint);
	if (rc == SB_OK && at == 0)
		rc = sb_now(p, &at);
	return rc == SB_OK ? sb_hours_status_of(p, endpoint, at, out) : rc;
}

int sb_hours_get(sb_hours *out, sb_practice *p, sb_id actor, sb_id endpoint)
{
	int source = 0;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = gate(p, actor, endpoint);
	if (rc == SB_OK && (rc = load(p, endpoint, 0, out, &source)) == SB_ENOTFOUND)
		rc = sb_fail(p, rc, "no hours are set on the %s", endpoint ? "business number" : "practice");
	else if (rc != SB_OK && p->described == 0)
		rc = sb_fail_store(p, rc, "reading business hours");
	if (rc != SB_OK && out)
		memset(out, 0, sizeof *out);
	return rc;
}

typedef struct setting {
	sb_id endpoint;
	const sb_hours *h;
} setting;

static int drop_children(sb_practice *p, sb_id id)
{
	int rc = sb_db_exec(p->db, "DELETE FROM sb_hours_span WHERE hours_id = ?", "i", id);
	return rc == SB_OK ? sb_db_exec(p->db, "DELETE FROM sb_hours_closure WHERE hours_id = ?", "i", id) : rc;
}

static int set_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const setting *s = arg;
	const sb_hours *h = s->h;
	int rc = sb_db_one_int(p->db, id, "SELECT id FROM sb_hours WHERE practice_id = ? AND endpoint_id = ?", "ii",
	                       p->id, s->endpoint);
	if (rc == SB_OK)
		rc = drop_children(p, *id);
	if (rc == SB_OK)
		rc = sb_db_exec(p->db, "UPDATE sb_hours SET zone = ?, updated_at = ? WHERE id = ?", "tii", h->zone, now, *id);
	else if (rc == SB_ENOTFOUND)
		rc = sb_db_one_int(p->db, id,
		                   "INSERT INTO sb_hours (practice_id, endpoint_id, zone, updated_at) VALUES (?, ?, ?, ?)"
		                   " RETURNING id",
		                   "iiti", p->id, s->endpoint, h->zone, now);
	for (size_t i = 0; rc == SB_OK && i < h->span_count; i++)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_hours_span (hours_id, position, day, open_minute, close_minute)"
		                " VALUES (?, ?, ?, ?, ?)",
		                "iiiii", *id, (int64_t)i, (int64_t)h->spans[i].day, (int64_t)h->spans[i].open_minute,
		                (int64_t)h->spans[i].close_minute);
	for (size_t i = 0; rc == SB_OK && i < h->closure_count; i++)
		rc = sb_db_exec(p->db,
		                "INSERT INTO sb_hours_closure (hours_id, position, first_date, last_date, label)"
		                " VALUES (?, ?, ?, ?, ?)",
		                "iiiit", *id, (int64_t)i, (int64_t)h->closures[i].first_date,
		                (int64_t)h->closures[i].last_date, h->closures[i].label);
	return rc;
}

/* An admin, and the endpoint (0: the practice) is in the practice. */
static int change_gate(sb_practice *p, sb_id actor, sb_id endpoint)
{
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "change business hours");
	if (rc == SB_OK && endpoint < 0)
		rc = sb_fail(p, SB_EINVAL, "endpoint is negative");
	if (rc != SB_OK || !endpoint)
		return rc;
	rc = sb_db_one_int(p->db, NULL, "SELECT id FROM sb_endpoint WHERE id = ? AND practice_id = ?", "ii", endpoint, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such endpoint in this practice");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading an endpoint");
}

int sb_hours_set(sb_practice *p, sb_id actor, sb_id endpoint, const sb_hours *h)
{
	const sb_zone *z;
	setting s = {endpoint, h};
	sb_id id = 0;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_hours(p, h, &z);
	if (rc == SB_OK)
		rc = change_gate(p, actor, endpoint);
	return rc == SB_OK ? sb_transact(p, actor, "hours.set", "hours", &id, set_body, &s, "setting business hours") : rc;
}

static int clear_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const sb_id *endpoint = arg;
	(void)now;
	int rc = sb_db_one_int(p->db, id, "SELECT id FROM sb_hours WHERE practice_id = ? AND endpoint_id = ?", "ii",
	                       p->id, *endpoint);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no hours are set on the %s", *endpoint ? "business number" : "practice");
	if (rc == SB_OK)
		rc = drop_children(p, *id);
	return rc == SB_OK ? sb_db_exec(p->db, "DELETE FROM sb_hours WHERE id = ?", "i", *id) : rc;
}

int sb_hours_clear(sb_practice *p, sb_id actor, sb_id endpoint)
{
	sb_id id = 0;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = change_gate(p, actor, endpoint);
	return rc == SB_OK ? sb_transact(p, actor, "hours.clear", "hours", &id, clear_body, &endpoint,
	                                 "clearing business hours")
	                   : rc;
}
