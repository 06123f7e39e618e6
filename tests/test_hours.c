/* Business hours (A1): weekly spans and closures in an IANA zone, right
 * across both daylight-saving changes in three zones, across midnight and
 * the new year, stored per practice and per business number. */
#include "support.h"

#include <stdio.h>
#include <string.h>

/* Epoch ms of a UTC civil time (the test's own arithmetic, not the library's). */
static int64_t utc(int y, int m, int d, int hh, int mm)
{
	y -= m <= 2;
	int era = y / 400, yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t days = (int64_t)era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return ((days * 24 + hh) * 60 + mm) * 60000;
}

#define HOUR 3600000

static void span(sb_hours *h, int day, int open, int close)
{
	sb_hours_span *s = &h->spans[h->span_count++];
	s->day = day;
	s->open_minute = open;
	s->close_minute = close;
}

static void closure(sb_hours *h, int first, int last, const char *label)
{
	sb_closure *c = &h->closures[h->closure_count++];
	c->first_date = first;
	c->last_date = last;
	snprintf(c->label, sizeof c->label, "%s", label);
}

/* Monday to Friday, 9 to 5, in `zone`. */
static void weekdays(sb_hours *h, const char *zone)
{
	sb_hours_init(h);
	snprintf(h->zone, sizeof h->zone, "%s", zone);
	for (int d = SB_MONDAY; d <= SB_FRIDAY; d++)
		span(h, d, 9 * 60, 17 * 60);
}

static sb_hours_status judge(sb_practice *p, const sb_hours *h, int64_t at)
{
	sb_hours_status s;
	assert_int_equal(sb_hours_evaluate(&s, p, h, at), SB_OK);
	return s;
}

static int setup(void **state)
{
	return test_world_open(state, NULL, sizeof(test_world));
}

static int teardown(void **state)
{
	return test_world_close(state);
}

/* New York springs forward on Sunday 2026-03-08: Friday's 9 o'clock is
 * 14:00 UTC, Monday's 13:00 UTC. */
static void test_spring_forward_new_york(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	weekdays(&h, "America/New_York");
	sb_hours_status s = judge(p, &h, utc(2026, 3, 6, 13, 59));
	assert_false(s.open);
	assert_int_equal(s.utc_offset, -300);
	assert_int_equal(s.next_change, utc(2026, 3, 6, 14, 0));
	s = judge(p, &h, utc(2026, 3, 6, 18, 0));
	assert_true(s.open);
	assert_int_equal(s.weekday, SB_FRIDAY);
	assert_int_equal(s.local_minute, 13 * 60);
	assert_int_equal(s.local_date, 20260306);
	assert_int_equal(s.next_change, utc(2026, 3, 6, 22, 0));
	assert_int_equal(s.next_opening, utc(2026, 3, 9, 13, 0)); /* across the change: EDT */
	s = judge(p, &h, utc(2026, 3, 9, 12, 59));
	assert_false(s.open);
	assert_int_equal(s.utc_offset, -240);
	assert_true(judge(p, &h, utc(2026, 3, 9, 13, 0)).open);
}

/* ...and falls back on Sunday 2026-11-01. */
static void test_fall_back_new_york(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	weekdays(&h, "America/New_York");
	sb_hours_status s = judge(p, &h, utc(2026, 10, 30, 20, 59));
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 10, 30, 21, 0));
	assert_int_equal(s.next_opening, utc(2026, 11, 2, 14, 0)); /* 9 o'clock EST */
	assert_false(judge(p, &h, utc(2026, 11, 2, 13, 30)).open);
	assert_true(judge(p, &h, utc(2026, 11, 2, 14, 0)).open);
}

/* A span that opens inside the skipped hour opens when the clocks jump;
 * one inside the repeated hour is open both times. */
static void test_gap_and_overlap(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/New_York");
	span(&h, SB_SUNDAY, 2 * 60 + 30, 4 * 60); /* 02:30 does not exist on 2026-03-08 */
	sb_hours_status s = judge(p, &h, utc(2026, 3, 8, 6, 59));
	assert_false(s.open);
	assert_int_equal(s.next_change, utc(2026, 3, 8, 7, 0)); /* 01:59:59 EST jumps to 03:00 EDT */
	s = judge(p, &h, utc(2026, 3, 8, 7, 0));
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 3, 8, 8, 0)); /* 04:00 EDT */

	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/New_York");
	span(&h, SB_SUNDAY, 60, 90); /* 01:00-01:30 happens twice on 2026-11-01 */
	assert_true(judge(p, &h, utc(2026, 11, 1, 5, 15)).open);  /* 01:15 EDT */
	assert_false(judge(p, &h, utc(2026, 11, 1, 5, 45)).open); /* 01:45 EDT */
	s = judge(p, &h, utc(2026, 11, 1, 5, 45));
	assert_int_equal(s.next_change, utc(2026, 11, 1, 6, 0)); /* 01:00 again, EST */
	assert_true(judge(p, &h, utc(2026, 11, 1, 6, 15)).open);
	assert_false(judge(p, &h, utc(2026, 11, 1, 6, 30)).open);
}

/* London changes on the last Sundays of March and October, at 01:00 UTC. */
static void test_london(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	weekdays(&h, "Europe/London");
	sb_hours_status s = judge(p, &h, utc(2026, 3, 27, 17, 30)); /* Friday, GMT: closed since 17:00 */
	assert_false(s.open);
	assert_int_equal(s.utc_offset, 0);
	assert_int_equal(s.next_opening, utc(2026, 3, 30, 8, 0)); /* Monday 09:00 BST */
	s = judge(p, &h, utc(2026, 10, 23, 15, 0)); /* Friday, BST */
	assert_true(s.open);
	assert_int_equal(s.utc_offset, 60);
	assert_int_equal(s.next_change, utc(2026, 10, 23, 16, 0));
	assert_int_equal(s.next_opening, utc(2026, 10, 26, 9, 0)); /* Monday 09:00 GMT */
}

/* Sydney's summer spans the new year; past 2037 the file's footer rule
 * answers (its table ends there). */
static void test_south_and_far_future(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	weekdays(&h, "Australia/Sydney");
	assert_int_equal(judge(p, &h, utc(2026, 1, 15, 0, 0)).utc_offset, 660);
	assert_int_equal(judge(p, &h, utc(2026, 6, 15, 0, 0)).utc_offset, 600);
	/* 2040-04-01 is the first Sunday of April: 03:00 AEDT becomes 02:00 AEST at 16:00 UTC the day before. */
	assert_int_equal(judge(p, &h, utc(2040, 3, 31, 15, 59)).utc_offset, 660);
	assert_int_equal(judge(p, &h, utc(2040, 3, 31, 16, 0)).utc_offset, 600);
	sb_hours_status s = judge(p, &h, utc(2040, 3, 30, 5, 0)); /* Friday 16:00 AEDT */
	assert_true(s.open);
	assert_int_equal(s.next_opening, utc(2040, 4, 1, 23, 0)); /* Monday 09:00 AEST */
	weekdays(&h, "America/New_York");
	/* 2040-03-11 is the second Sunday of March. */
	assert_int_equal(judge(p, &h, utc(2040, 3, 11, 6, 59)).utc_offset, -300);
	assert_int_equal(judge(p, &h, utc(2040, 3, 11, 7, 0)).utc_offset, -240);
}

/* Split shifts, a span past midnight, and the new year with a closure. */
static void test_split_midnight_new_year(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/Chicago");
	span(&h, SB_MONDAY, 8 * 60, 12 * 60);
	span(&h, SB_MONDAY, 13 * 60, 17 * 60);
	span(&h, SB_THURSDAY, 20 * 60, 4 * 60); /* Thursday 20:00 to Friday 04:00 */
	/* Monday 2026-12-28, CST (UTC-6). */
	sb_hours_status s = judge(p, &h, utc(2026, 12, 28, 18, 30)); /* 12:30 */
	assert_false(s.open);
	assert_int_equal(s.next_opening, utc(2026, 12, 28, 19, 0));
	assert_true(judge(p, &h, utc(2026, 12, 28, 19, 0)).open);
	/* Thursday 2026-12-31 23:00 is open; the span runs into 2027. */
	s = judge(p, &h, utc(2027, 1, 1, 5, 0));
	assert_true(s.open);
	assert_int_equal(s.local_date, 20261231);
	assert_int_equal(s.next_change, utc(2027, 1, 1, 10, 0)); /* Friday 04:00 */
	assert_true(judge(p, &h, utc(2027, 1, 1, 9, 0)).open);
	/* A holiday on the day after leaves the shift that began the evening before to run out. */
	closure(&h, 20270101, 20270101, "New Year's Day");
	s = judge(p, &h, utc(2027, 1, 1, 6, 30)); /* 00:30 on the holiday */
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2027, 1, 1, 10, 0)); /* Friday 04:00, as scheduled */
	/* A holiday on the day the shift starts cancels all of it, past midnight too. */
	h.closures[0].first_date = h.closures[0].last_date = 20261231;
	s = judge(p, &h, utc(2027, 1, 1, 3, 0)); /* Thursday 21:00 */
	assert_false(s.open);
	assert_false(judge(p, &h, utc(2027, 1, 1, 6, 30)).open); /* 00:30 on Friday */
	assert_false(judge(p, &h, utc(2027, 1, 1, 9, 59)).open);
	assert_int_equal(s.next_opening, utc(2027, 1, 4, 14, 0)); /* Monday 08:00 */
}

/* Overnight shifts on the nights the clocks change, cancelled by a holiday
 * on the day they start (New York: spring forward on Sunday 2026-03-08,
 * fall back on Sunday 2026-11-01). */
static void test_holiday_overnight_dst(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/New_York");
	span(&h, SB_SATURDAY, 22 * 60, 6 * 60); /* Saturday 22:00 to Sunday 06:00 */
	/* Spring forward: 22:00 EST is 03:00 UTC, 06:00 EDT is 10:00 UTC; 7 hours long. */
	assert_true(judge(p, &h, utc(2026, 3, 8, 3, 0)).open);
	sb_hours_status s = judge(p, &h, utc(2026, 3, 8, 7, 30)); /* 03:30 EDT, after the jump */
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 3, 8, 10, 0));
	closure(&h, 20260307, 20260307, "Saturday off");
	s = judge(p, &h, utc(2026, 3, 8, 2, 0)); /* Saturday 21:00 EST */
	assert_false(s.open);
	assert_false(judge(p, &h, utc(2026, 3, 8, 6, 30)).open); /* 01:30 EST */
	assert_false(judge(p, &h, utc(2026, 3, 8, 7, 30)).open); /* 03:30 EDT */
	assert_false(judge(p, &h, utc(2026, 3, 8, 9, 59)).open);
	assert_int_equal(s.next_opening, utc(2026, 3, 15, 2, 0)); /* next Saturday 22:00 EDT */
	/* A holiday on the Sunday leaves Saturday's night shift whole. */
	h.closures[0].first_date = h.closures[0].last_date = 20260308;
	s = judge(p, &h, utc(2026, 3, 8, 7, 30));
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 3, 8, 10, 0));
	/* Fall back: 22:00 EDT is 02:00 UTC, 06:00 EST is 11:00 UTC; 9 hours long. */
	h.closures[0].first_date = h.closures[0].last_date = 20261101;
	s = judge(p, &h, utc(2026, 11, 1, 5, 30)); /* the first 01:30 (EDT) */
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 11, 1, 11, 0));
	assert_true(judge(p, &h, utc(2026, 11, 1, 6, 30)).open); /* the second 01:30 (EST) */
	h.closures[0].first_date = h.closures[0].last_date = 20261031;
	s = judge(p, &h, utc(2026, 11, 1, 1, 0)); /* Saturday 21:00 EDT */
	assert_false(s.open);
	assert_false(judge(p, &h, utc(2026, 11, 1, 5, 30)).open);
	assert_false(judge(p, &h, utc(2026, 11, 1, 6, 30)).open);
	assert_false(judge(p, &h, utc(2026, 11, 1, 10, 59)).open);
	assert_int_equal(s.next_opening, utc(2026, 11, 8, 3, 0)); /* next Saturday 22:00 EST */
}

/* A long closure, and hours that never open. */
static void test_closures_and_never(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	weekdays(&h, "America/Denver");
	closure(&h, 20261126, 20261127, "Thanksgiving");
	sb_hours_status s = judge(p, &h, utc(2026, 11, 26, 18, 0)); /* Thursday 11:00 MST */
	assert_false(s.open);
	assert_int_equal(s.next_opening, utc(2026, 11, 30, 16, 0)); /* Monday 09:00 MST */
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/Phoenix");
	s = judge(p, &h, utc(2026, 5, 1, 0, 0));
	assert_false(s.open);
	assert_int_equal(s.next_change, 0);
	assert_int_equal(s.next_opening, 0);
	assert_int_equal(s.utc_offset, -420); /* no DST in Arizona */
}

static void test_bad_hours(void **state)
{
	sb_practice *p = ((test_world *)*state)->f->p;
	sb_hours h;
	sb_hours_status s;
	char big[SB_CLOSURE_LABEL_MAX + 2];
	weekdays(&h, "America/New_York");
	test_expect_error(p, sb_hours_evaluate(NULL, p, &h, 0), SB_EINVAL, "out");
	test_expect_error(p, sb_hours_evaluate(&s, p, NULL, 0), SB_EINVAL, "hours");
	h.version = 9;
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EVERSION, "version");
	weekdays(&h, "Mars/Olympus_Mons");
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ENOTFOUND, "zone");
	const char *malformed[] = {"../../etc/passwd", "/etc/localtime", "America/", "", "America//New_York",
	                           "America/New York", "America/.hidden"};
	for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
		weekdays(&h, malformed[i]);
		test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "zone");
	}
	weekdays(&h, "America");
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ENOTFOUND, "zone"); /* a directory */
	weekdays(&h, "America/New_York");
	memset(h.zone, 'x', sizeof h.zone);
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ETOOBIG, "zone");
	weekdays(&h, "UTC");
	span(&h, SB_FRIDAY, 16 * 60, 18 * 60);
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "span 6 overlaps span 5");
	weekdays(&h, "UTC");
	span(&h, SB_SUNDAY, 22 * 60, 10 * 60); /* into Monday's 9 o'clock */
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "overlaps");
	weekdays(&h, "UTC");
	span(&h, SB_SATURDAY, 23 * 60, 9 * 60 + 1); /* across the week's end into Sunday only: fine */
	assert_int_equal(sb_hours_evaluate(&s, p, &h, 0), SB_OK);
	h.spans[5].close_minute = 9 * 60 + 1;
	h.spans[5].day = SB_SUNDAY;
	h.spans[5].open_minute = 23 * 60; /* Sunday 23:00 to Monday 09:01 */
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "overlaps");
	int bad_spans[][3] = {{7, 60, 120}, {-1, 60, 120}, {1, 1440, 60}, {1, -1, 60}, {1, 60, 0}, {1, 60, 1441}};
	for (size_t i = 0; i < sizeof bad_spans / sizeof *bad_spans; i++) {
		sb_hours_init(&h);
		span(&h, bad_spans[i][0], bad_spans[i][1], bad_spans[i][2]);
		test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "span 1");
	}
	sb_hours_init(&h);
	h.span_count = SB_HOURS_SPANS_MAX + 1;
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ETOOBIG, "spans");
	int bad_dates[][2] = {{20260230, 20260301}, {20261301, 20261301}, {19691231, 20260101}, {20260105, 20260104},
	                      {20260101, 20270102}, {2026011, 2026011}};
	for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++) {
		sb_hours_init(&h);
		closure(&h, bad_dates[i][0], bad_dates[i][1], "");
		test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EINVAL, "closure 1");
	}
	sb_hours_init(&h);
	closure(&h, 20260101, 20261231, "A whole year: 365 days"); /* the longest allowed in a common year */
	assert_int_equal(sb_hours_evaluate(&s, p, &h, 0), SB_OK);
	closure(&h, 20260101, 20260101, "\xc3\x28");
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_EUTF8, "label");
	memset(big, 'x', sizeof big);
	sb_hours_init(&h);
	closure(&h, 20260101, 20260101, "");
	memcpy(h.closures[0].label, big, sizeof h.closures[0].label);
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ETOOBIG, "label");
	sb_hours_init(&h);
	h.closure_count = SB_HOURS_CLOSURES_MAX + 1;
	test_expect_error(p, sb_hours_evaluate(&s, p, &h, 0), SB_ETOOBIG, "closures");
}

/* Stored hours: the practice's, a number's own, who may change them. */
static void test_stored(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	sb_hours h, got;
	sb_hours_status s;
	int64_t monday_noon = utc(2026, 3, 9, 16, 0); /* 12:00 EDT, 09:00 PDT */
	assert_int_equal(sb_hours_at(&s, p, 2, w->front, monday_noon), SB_OK);
	assert_true(s.open);
	assert_int_equal(s.source, SB_HOURS_NONE);
	test_expect_error(p, sb_hours_get(&got, p, 2, 0), SB_ENOTFOUND, "no hours");

	weekdays(&h, "America/New_York");
	closure(&h, 20261225, 20261225, "Christmas");
	test_expect_error(p, sb_hours_set(p, 2, 0, &h), SB_EDENIED, "admin");
	test_expect_error(p, sb_hours_set(p, 1, w->front + 99, &h), SB_ENOTFOUND, "endpoint");
	test_expect_error(p, sb_hours_set(p, 1, -1, &h), SB_EINVAL, "endpoint");
	weekdays(&h, "Nowhere/Else");
	test_expect_error(p, sb_hours_set(p, 1, 0, &h), SB_ENOTFOUND, "zone");
	weekdays(&h, "America/New_York");
	closure(&h, 20261225, 20261225, "Christmas");
	test_expect_error(p, sb_hours_clear(p, 1, 0), SB_ENOTFOUND, "no hours");
	assert_int_equal(sb_hours_set(p, 1, 0, &h), SB_OK);
	assert_int_equal(sb_hours_get(&got, p, 2, 0), SB_OK);
	assert_string_equal(got.zone, "America/New_York");
	assert_int_equal(got.span_count, 5);
	assert_int_equal(got.spans[4].day, SB_FRIDAY);
	assert_int_equal(got.closure_count, 1);
	assert_string_equal(got.closures[0].label, "Christmas");
	assert_int_equal(got.closures[0].first_date, 20261225);

	/* Billing keeps west-coast hours of its own. */
	weekdays(&h, "America/Los_Angeles");
	h.spans[0].open_minute = 10 * 60; /* Mondays from 10 */
	assert_int_equal(sb_hours_set(p, 1, w->billing, &h), SB_OK);
	assert_int_equal(sb_hours_at(&s, p, 2, w->front, monday_noon), SB_OK);
	assert_true(s.open);
	assert_int_equal(s.source, SB_HOURS_PRACTICE);
	assert_int_equal(sb_hours_at(&s, p, 2, w->billing, monday_noon), SB_OK);
	assert_false(s.open); /* 09:00 in Los Angeles, before Monday's 10 */
	assert_int_equal(s.source, SB_HOURS_ENDPOINT);
	assert_int_equal(s.next_change, utc(2026, 3, 9, 17, 0));
	assert_int_equal(s.utc_offset, -420);
	/* Replacing keeps one set: Tuesdays only now. */
	sb_hours_init(&h);
	snprintf(h.zone, sizeof h.zone, "America/Los_Angeles");
	span(&h, SB_TUESDAY, 9 * 60, 17 * 60);
	assert_int_equal(sb_hours_set(p, 1, w->billing, &h), SB_OK);
	assert_int_equal(sb_hours_get(&got, p, 2, w->billing), SB_OK);
	assert_int_equal(got.span_count, 1);
	assert_int_equal(got.closure_count, 0);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_hours_span"), 6);

	/* T8: a number a teammate does not see, they cannot read either. */
	assert_int_equal(sb_endpoint_set_owner(p, 1, w->billing, SB_OWNER_TEAMMATE, 5), SB_OK);
	test_expect_error(p, sb_hours_get(&got, p, 2, w->billing), SB_EDENIED, "");
	test_expect_error(p, sb_hours_at(&s, p, 2, w->billing, monday_noon), SB_EDENIED, "");
	assert_int_equal(sb_hours_at(&s, p, 5, w->billing, monday_noon), SB_OK);
	test_expect_error(p, sb_hours_at(&s, p, 2, w->front, -1), SB_EINVAL, "at");
	test_expect_error(p, sb_hours_at(NULL, p, 2, w->front, 0), SB_EINVAL, "out");

	/* Clearing the number's own hours: it follows the practice again. */
	test_expect_error(p, sb_hours_clear(p, 5, w->billing), SB_EDENIED, "admin");
	assert_int_equal(sb_hours_clear(p, 1, w->billing), SB_OK);
	assert_int_equal(sb_hours_at(&s, p, 5, w->billing, monday_noon), SB_OK);
	assert_int_equal(s.source, SB_HOURS_PRACTICE);
	assert_true(s.open);
	assert_int_equal(sb_hours_clear(p, 1, 0), SB_OK);
	assert_int_equal(sb_hours_at(&s, p, 5, w->billing, monday_noon), SB_OK);
	assert_int_equal(s.source, SB_HOURS_NONE);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_hours_span"), 0);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'hours.set'"), 3);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'hours.clear'"), 2);

	/* "now" comes from the host clock. */
	weekdays(&h, "UTC");
	assert_int_equal(sb_hours_set(p, 1, 0, &h), SB_OK);
	w->f->clock.now = utc(2026, 3, 9, 16, 0);
	assert_int_equal(sb_hours_at(&s, p, 2, 0, 0), SB_OK);
	assert_true(s.open);
	assert_int_equal(s.next_change, utc(2026, 3, 9, 17, 0));
}

/* A failed change leaves the store as it was. */
static void test_refusals_change_nothing(void **state)
{
	test_world *w = *state;
	sb_practice *p = w->f->p;
	sb_hours h;
	weekdays(&h, "America/New_York");
	assert_int_equal(sb_hours_set(p, 1, 0, &h), SB_OK);
	char *before = test_dump(w->f->path);
	span(&h, SB_MONDAY, 10 * 60, 11 * 60);
	test_expect_error(p, sb_hours_set(p, 1, 0, &h), SB_EINVAL, "overlaps");
	test_expect_error(p, sb_hours_clear(p, 1, w->front), SB_ENOTFOUND, "no hours");
	weekdays(&h, "Atlantis/Capital");
	test_expect_error(p, sb_hours_set(p, 1, w->front, &h), SB_ENOTFOUND, "zone");
	test_expect_dump(w->f->path, before);
	weekdays(&h, "America/New_York");
	/* Refusals of the right are audited (access.denied), and change nothing else. */
	test_expect_error(p, sb_hours_set(p, 3, 0, &h), SB_EDENIED, "admin");
	test_expect_error(p, sb_hours_clear(p, 3, 0), SB_EDENIED, "admin");
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_hours_span"), 5);
	assert_int_equal(test_value(w->f->path, "SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_spring_forward_new_york, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fall_back_new_york, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gap_and_overlap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_london, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_south_and_far_future, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_split_midnight_new_year, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closures_and_never, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_holiday_overnight_dst, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_hours, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stored, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
