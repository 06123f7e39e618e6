/* Shared by the store-backed fuzz targets (fuzz_world.h). */
#include "fuzz_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int send_sms(void *ud, const sb_sms *m, char *out, size_t cap)
{
	static unsigned long n;
	(void)ud, (void)m;
	snprintf(out, cap, "SMF%lu", ++n);
	return 0;
}

static int leg_op(void *ud, const char *leg)
{
	(void)ud, (void)leg;
	return 0;
}

static int originate(void *ud, const sb_call_originate *r, char *out, size_t cap)
{
	static unsigned long n;
	(void)ud, (void)r;
	snprintf(out, cap, "L%lu", ++n);
	return 0;
}

static int play(void *ud, const char *leg, const sb_play *pl)
{
	(void)ud, (void)leg, (void)pl;
	return 0;
}

static int hold(void *ud, const char *leg, int on)
{
	(void)ud, (void)leg, (void)on;
	return 0;
}

static int bridge(void *ud, const char *a, const char *b)
{
	(void)ud, (void)a, (void)b;
	return 0;
}

static int record(void *ud, const char *leg, const sb_record *r)
{
	(void)ud, (void)leg, (void)r;
	return 0;
}

static int timer_start(void *ud, const char *t, int64_t due)
{
	(void)ud, (void)t, (void)due;
	return 0;
}

static sb_carrier carrier = {SB_CARRIER_VERSION, NULL, send_sms, NULL, originate, leg_op, leg_op, play,
                             hold, bridge, record, leg_op, timer_start, leg_op};

sb_practice *fuzz_practice(void)
{
	static sb_practice *p;
	if (p)
		return p;
	sb_practice_options o = SB_PRACTICE_OPTIONS_INIT;
	o.store_path = ":memory:";
	o.carrier = &carrier;
	if (sb_practice_open(&p, &o) != SB_OK)
		abort();
	const char *names[] = {"Admin", "Bea", "Cy"};
	for (int i = 0; i < 3; i++) {
		sb_teammate_spec s;
		sb_teammate_spec_init(&s);
		s.name = names[i];
		sb_id id;
		if (sb_teammate_add(&id, p, SB_ACTOR_SYSTEM, &s) != SB_OK)
			abort();
	}
	sb_id front;
	if (sb_business_number_create(&front, p, 1, FUZZ_FRONT, "Front") != SB_OK)
		abort();
	return p;
}

void fuzz_split(fuzz_fields *out, const unsigned char *data, size_t size)
{
	memset(out, 0, sizeof *out);
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= size && k < FUZZ_FIELDS; i++) {
		if (i == size || data[i] == 0x1F) {
			out->len[k] = i - start;
			out->f[k] = malloc(out->len[k] + 1);
			if (!out->f[k])
				abort();
			memcpy(out->f[k], data + start, out->len[k]);
			out->f[k][out->len[k]] = '\0';
			k++;
			start = i + 1;
		}
	}
	for (; k < FUZZ_FIELDS; k++) {
		out->f[k] = calloc(1, 1);
		if (!out->f[k])
			abort();
	}
}

void fuzz_fields_free(fuzz_fields *f)
{
	for (int k = 0; k < FUZZ_FIELDS; k++)
		free(f->f[k]);
}

void fuzz_mark(fuzz_marked *out, const char *text)
{
	static unsigned long n;
	snprintf(out->canary, sizeof out->canary, "zq%06lu", ++n % 1000000);
	size_t len = strlen(text);
	out->text = malloc(len + sizeof out->canary + 1);
	if (!out->text)
		abort();
	memcpy(out->text, text, len);
	out->text[len] = ' ';
	memcpy(out->text + len + 1, out->canary, strlen(out->canary) + 1);
}

void fuzz_check(sb_practice *p, int rc, const char *canary)
{
	if (rc > 0 || strncmp(sb_strerror(rc), "unknown", 7) == 0)
		abort(); /* every answer is a named code */
	const char *m = sb_practice_errmsg(p);
	if (rc == SB_OK ? strcmp(m, SB_NOT_AN_ERROR) != 0 : (!*m || strcmp(m, SB_NOT_AN_ERROR) == 0))
		abort(); /* the detail describes this call */
	if (canary && strstr(m, canary))
		abort(); /* no input, so no PHI, in error text */
}
