/* What other modules ask of filters (lib/filter.c). Internal. */
#ifndef SB_FILTER_INTERNAL_H
#define SB_FILTER_INTERNAL_H

#include "internal.h"

/* SQL put together at run time, from fragments the library wrote, with
 * integer arguments only: what a filter's criteria become. */
typedef struct sb_query {
	char sql[2048];
	size_t len;
	int64_t args[48];
	size_t n;
	int overflow; /* a fragment did not fit: the query must not run */
} sb_query;

/* Append a fragment and its n int64_t arguments. */
void sb_query_add(sb_query *q, const char *sql, size_t n, ...);
/* Run it (SB_ESTORE with a message if it overflowed). */
int sb_query_run(sb_practice *p, sb_stmt **out, const sb_query *q);

/* A filter whole: its shape, then what it names in the store. `kind` is
 * what the caller means to run. */
int sb_filter_check(sb_practice *p, const sb_filter *f, int kind);
/* Append " FROM ... WHERE ..." for the contacts a (checked) contact filter
 * picks, with contact ids after `after`; returns the column holding the
 * contact id, to order by. */
const char *sb_filter_contacts_from(sb_query *q, sb_practice *p, const sb_filter *f, sb_id after);
/* A page of the conversations a (checked) conversation filter picks that
 * the actor sees, newest activity first (arguments checked). */
int sb_filter_page(sb_mailbox_entry *out, size_t *out_count, sb_practice *p, sb_id actor, const sb_filter *f,
                   int64_t before_at, sb_id before_id, size_t max);

#endif
