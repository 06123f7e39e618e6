/* Reading Twilio's JSON answers: a strict scanner for the few members the
 * adapter needs (sid, code, message, status, body, date_created), not a
 * general parser. A malformed document reads as "member absent". */
#include <stdlib.h>
#include <string.h>

#include "twilio_internal.h"

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return 0;
}

static void put_utf8(tw_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 63)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 63)), u[2] = (char)(0x80 | (cp & 63)), n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 63));
		u[2] = (char)(0x80 | (cp >> 6 & 63)), u[3] = (char)(0x80 | (cp & 63)), n = 4;
	}
	tw_buf_add(b, u, n);
}

/* A \u escape at p (after the backslash-u), a surrogate pair included. */
static const char *unicode_escape(const char *p, tw_buf *out)
{
	unsigned cp, lo;
	if (hex4(p, &cp))
		return NULL;
	p += 4;
	if (cp >= 0xD800 && cp < 0xDC00) {
		if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
			return NULL;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p += 6;
	} else if (cp >= 0xDC00 && cp < 0xE000) {
		return NULL;
	}
	if (cp == 0)
		return NULL; /* no NUL inside C strings */
	if (out)
		put_utf8(out, cp);
	return p;
}

/* A string at p ('"'): its decoded text into out (when not NULL); the byte after it. */
static const char *string(const char *p, tw_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p != '\\') {
			if (out)
				tw_buf_add(out, p, 1);
			p++;
			continue;
		}
		p++;
		const char *e = *p ? strchr(from, *p) : NULL;
		if (*p == 'u') {
			p = unicode_escape(p + 1, out);
			if (!p)
				return NULL;
		} else if (e) {
			if (out)
				tw_buf_add(out, to + (e - from), 1);
			p++;
		} else {
			return NULL;
		}
	}
	return p + 1;
}

static const char *value(const char *p, int depth);

static const char *container(const char *p, int depth, char close)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			p = string(p, NULL);
			if (!p || *(p = ws(p)) != ':')
				return NULL;
			p = ws(p + 1);
		}
		p = value(p, depth + 1);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = ws(p + 1);
	}
}

/* Any value at p; the byte after it. */
static const char *value(const char *p, int depth)
{
	if (depth > 32)
		return NULL;
	if (*p == '"')
		return string(p, NULL);
	if (*p == '{')
		return container(p, depth, '}');
	if (*p == '[')
		return container(p, depth, ']');
	static const char *const words[] = {"true", "false", "null"};
	for (size_t i = 0; i < 3; i++)
		if (!strncmp(p, words[i], strlen(words[i])))
			return p + strlen(words[i]);
	const char *s = p;
	if (*p == '-')
		p++;
	p += strspn(p, "0123456789");
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p += strspn(p, "0123456789");
	}
	return p > s ? p : NULL;
}

/* The value of member `key` of the object at obj, or NULL. */
static const char *member(const char *obj, const char *key)
{
	const char *p = ws(obj);
	if (*p != '{')
		return NULL;
	p = ws(p + 1);
	while (*p == '"') {
		tw_buf name = {0};
		p = string(p, &name);
		int hit = p && !name.oom && name.p && !strcmp(name.p, key);
		tw_buf_free(&name);
		if (!p || *(p = ws(p)) != ':')
			return NULL;
		p = ws(p + 1);
		if (hit)
			return p;
		p = value(p, 1);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p != ',')
			return NULL;
		p = ws(p + 1);
	}
	return NULL;
}

int tw_json_string(const char *obj, const char *key, char *out, size_t cap)
{
	const char *v = member(obj, key);
	if (!v || *v != '"')
		return -1;
	tw_buf b = {0};
	const char *end = string(v, &b);
	int rc = end && !b.oom && b.len < cap ? 0 : -1;
	if (rc == 0)
		memcpy(out, b.p ? b.p : "", b.len + 1);
	tw_buf_free(&b);
	return rc;
}

int tw_json_int(const char *obj, const char *key, long *out)
{
	const char *v = member(obj, key);
	if (!v || (*v != '-' && (*v < '0' || *v > '9')))
		return -1;
	char *end;
	*out = strtol(v, &end, 10);
	return end > v ? 0 : -1;
}

int tw_json_each(const char *obj, const char *key, const char **it)
{
	const char *p;
	if (!*it) {
		p = member(obj, key);
		if (!p || *p != '[')
			return -1;
		p = ws(p + 1);
		if (*p == ']')
			return -1;
	} else {
		p = value(*it, 1);
		if (!p || *(p = ws(p)) != ',')
			return -1;
		p = ws(p + 1);
	}
	*it = p;
	return 0;
}
