#include "terms.h"

#include <string.h>

#include "phi.h"

typedef struct collector {
	sb_practice *p;
	sb_term *out;
	size_t max, n;
	int all_prefixes;
} collector;

static int is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void add_term(collector *c, const char *prefix, size_t len)
{
	if (c->n == c->max)
		return;
	sb_phi_lookup(c->p, c->out[c->n], "name", prefix, len);
	for (size_t i = 0; i < c->n; i++)
		if (memcmp(c->out[i], c->out[c->n], SB_HASH_BYTES) == 0)
			return; /* already there */
	c->n++;
}

/* One folded word: its prefixes, or only its longest one. */
static void add_word(collector *c, const char *word, size_t len)
{
	size_t chars = 0;
	for (size_t i = 1; i <= len && chars < SB_TERM_CHARS; i++) {
		int boundary = i == len || ((unsigned char)word[i] & 0xC0) != 0x80; /* not a continuation byte */
		if (!boundary)
			continue;
		chars++;
		if (c->all_prefixes || i == len || chars == SB_TERM_CHARS)
			add_term(c, word, i);
	}
}

static size_t collect(collector *c, const char *text)
{
	char word[SB_CONTACT_NAME_MAX + 1];
	size_t len = 0;
	for (const char *s = text;; s++) {
		if (*s && is_word_byte((unsigned char)*s) && len < sizeof word - 1) {
			char ch = *s;
			word[len++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
			continue;
		}
		if (len)
			add_word(c, word, len);
		len = 0;
		if (!*s)
			return c->n;
	}
}

size_t sb_terms_of_name(sb_practice *p, sb_term *out, size_t max, const char *name)
{
	collector c = {p, out, max, 0, 1};
	return collect(&c, name);
}

size_t sb_terms_of_query(sb_practice *p, sb_term *out, size_t max, const char *query)
{
	collector c = {p, out, max, 0, 0};
	return collect(&c, query);
}
