/*
 * Search terms of names, for finding by prefix without storing names in
 * clear (docs/design.md, "PHI at rest and search"). Internal.
 *
 * Words are runs of letters and digits (any byte of a multi-byte UTF-8
 * character counts as a letter), folded to lower case (ASCII only). A name
 * gives the blind index of every prefix of each word, 1 to SB_TERM_CHARS
 * characters long; a query gives one term per word, its first SB_TERM_CHARS
 * characters. So "Jo Sm" finds "John Smith".
 */
#ifndef SB_TERMS_H
#define SB_TERMS_H

#include "internal.h"

#define SB_TERM_CHARS 16
/* At most this many terms per name; further prefixes are dropped. */
#define SB_NAME_TERMS_MAX 512
/* At most this many words per query. */
#define SB_QUERY_TERMS_MAX 4

typedef unsigned char sb_term[SB_HASH_BYTES];

/* Terms of a name into out (deduplicated); returns how many. */
size_t sb_terms_of_name(sb_practice *p, sb_term *out, size_t max, const char *name);
/* Terms of a query into out (deduplicated); returns how many, at most max. */
size_t sb_terms_of_query(sb_practice *p, sb_term *out, size_t max, const char *query);

#endif
