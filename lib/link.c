/* Secure links (L1): slugs, the base URL, URLs and QR codes. Not PHI. */
#include "access.h"
#include "link_internal.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SB_HAVE_QRENCODE
#include <qrencode.h>
#endif

/* Paths a web host serving the links needs for itself. */
static const char *const reserved[] = {
	"about", "account", "accounts", "admin", "api", "app", "assets", "auth", "help", "invite", "invitations",
	"link", "links", "login", "logout", "new", "qr", "register", "secure", "settings", "signin", "signup",
	"static", "support", "verify", "well-known", "www",
};

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int sb_slug_check(sb_practice *p, const char *typed, char out[SB_SLUG_MAX + 1])
{
	int rc = sb_check_text(p, typed, SB_SLUG_MAX, "slug");
	if (rc != SB_OK)
		return rc == SB_ETOOBIG ? sb_fail(p, SB_EINVAL, "a slug has at most %u characters", SB_SLUG_MAX) : rc;
	size_t n = strlen(typed);
	if (n < SB_SLUG_MIN)
		return sb_fail(p, SB_EINVAL, "a slug has at least %u characters", SB_SLUG_MIN);
	for (size_t i = 0; i <= n; i++) {
		char c = typed[i];
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		if (i < n && !is_alnum(out[i]) && out[i] != '-')
			return sb_fail(p, SB_EINVAL, "a slug holds only letters, digits and hyphens (character %zu)", i + 1);
		if (i > 0 && i < n && out[i] == '-' && out[i - 1] == '-')
			return sb_fail(p, SB_EINVAL, "a slug has no two hyphens in a row");
	}
	if (out[0] == '-' || out[n - 1] == '-')
		return sb_fail(p, SB_EINVAL, "a slug starts and ends with a letter or digit");
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(out, reserved[i]) == 0)
			return sb_fail(p, SB_EINVAL, "the slug \"%s\" is reserved", reserved[i]);
	return SB_OK;
}

/* 16 letters of a 32-letter alphabet without look-alikes (no 0, 1, l, o): 80 bits. */
static void generate_slug(char out[SB_SLUG_MAX + 1])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	for (unsigned i = 0; i < SB_SLUG_GENERATED; i++)
		out[i] = alphabet[randombytes_uniform(32)];
	out[SB_SLUG_GENERATED] = '\0';
}

/* --- the base URL --- */

static int check_base(sb_practice *p, const char *url, char out[SB_LINK_BASE_MAX + 1])
{
	static const char scheme[] = "https://";
	int rc = sb_check_text(p, url, SB_LINK_BASE_MAX, "link base URL");
	if (rc != SB_OK)
		return rc;
	size_t n = strlen(url);
	memcpy(out, url, n + 1);
	while (n > 0 && out[n - 1] == '/')
		out[--n] = '\0';
	if (n == 0)
		return SB_OK;
	if (strncmp(out, scheme, sizeof scheme - 1) != 0 || n == sizeof scheme - 1 || out[sizeof scheme - 1] == '/')
		return sb_fail(p, SB_EINVAL, "the link base URL is https:// and a host");
	for (size_t i = 0; i < n; i++)
		if (out[i] <= ' ' || out[i] > '~' || out[i] == '?' || out[i] == '#')
			return sb_fail(p, SB_EINVAL, "the link base URL is printable ASCII without spaces, '?' or '#'");
	return SB_OK;
}

static int base_body(sb_practice *p, sb_id *id, const void *base, int64_t now)
{
	(void)id;
	(void)now;
	return sb_db_exec(p->db, "UPDATE sb_practice SET link_base = ? WHERE id = ?", "ti", (const char *)base, p->id);
}

int sb_link_base_set(sb_practice *p, sb_id actor, const char *base_url)
{
	char base[SB_LINK_BASE_MAX + 1];
	sb_id id;
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check_base(p, base_url, base);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "set the link base URL");
	id = p->id;
	return rc == SB_OK ? sb_transact(p, actor, "link.base", "practice", &id, base_body, base, "setting the link base URL")
	                   : rc;
}

static int read_base(sb_practice *p, char out[SB_LINK_BASE_MAX + 1])
{
	sb_stmt *st;
	int rc = sb_db_row(p->db, &st, "SELECT link_base FROM sb_practice WHERE id = ?", "i", p->id);
	if (rc != SB_OK)
		return rc;
	sb_db_col_copy(p->db, st, 0, out, SB_LINK_BASE_MAX + 1);
	sb_db_release(p->db, st);
	return SB_OK;
}

/* Copy text into the caller's buffer, or SB_ETOOBIG leaving it "". */
static int give(sb_practice *p, char *out, size_t room, const char *text)
{
	size_t n = strlen(text);
	if (room <= n) {
		if (room)
			out[0] = '\0';
		return sb_fail(p, SB_ETOOBIG, "the buffer holds %zu bytes; %zu are needed", room, n + 1);
	}
	memcpy(out, text, n + 1);
	return SB_OK;
}

int sb_link_base_get(char *out, size_t room, sb_practice *p, sb_id actor)
{
	char base[SB_LINK_BASE_MAX + 1];
	int rc = sb_check_open(p);
	if (rc == SB_OK && !out)
		rc = sb_fail(p, SB_EINVAL, "out is required");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK && (rc = read_base(p, base)) != SB_OK)
		rc = sb_fail_store(p, rc, "reading the link base URL");
	return rc == SB_OK ? give(p, out, room, base) : rc;
}

/* --- links --- */

typedef struct new_link {
	const char *slug, *label;
} new_link;

static int create_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const new_link *l = arg;
	int rc = sb_db_one_int(p->db, id,
	                       "INSERT INTO sb_endpoint (practice_id, kind, address, label, created_at)"
	                       " VALUES (?, ?, ?, ?, ?)"
	                       " ON CONFLICT (practice_id, kind, address) WHERE retired_at IS NULL DO NOTHING"
	                       " RETURNING id",
	                       "iitti", p->id, (int64_t)SB_ENDPOINT_SECURE_LINK, l->slug, l->label, now);
	return rc == SB_ENOTFOUND ? sb_fail(p, SB_ECONFLICT, "an active link of the practice has this slug") : rc;
}

int sb_link_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *slug, const char *label)
{
	char s[SB_SLUG_MAX + 1];
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc != SB_OK)
		return rc;
	if (slug && slug[0])
		rc = sb_slug_check(p, slug, s);
	else
		generate_slug(s);
	if (rc == SB_OK)
		rc = sb_check_label(p, label);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "add secure links");
	new_link l = {s, label};
	if (rc == SB_OK)
		rc = sb_transact(p, actor, "link.create", "endpoint", out_id, create_body, &l, "adding a secure link");
	if (rc != SB_OK)
		*out_id = 0;
	return rc;
}

/* The active link `id`: SB_ENOTFOUND, or SB_ESTATE (retired, or not a link). */
int sb_link_load(sb_practice *p, sb_id id, sb_endpoint *out)
{
	int rc = sb_endpoint_get(out, p, SB_ACTOR_SYSTEM, id);
	if (rc == SB_OK && out->kind != SB_ENDPOINT_SECURE_LINK)
		rc = sb_fail(p, SB_ESTATE, "the endpoint is not a secure link");
	if (rc == SB_OK && out->retired_at)
		rc = sb_fail(p, SB_ESTATE, "the secure link is retired");
	return rc;
}

int sb_link_by_slug(sb_practice *p, const char *slug, sb_id *out)
{
	int rc = sb_db_one_int(p->db, out,
	                       "SELECT id FROM sb_endpoint WHERE practice_id = ? AND kind = ? AND address = ?"
	                       " AND retired_at IS NULL",
	                       "iit", p->id, (int64_t)SB_ENDPOINT_SECURE_LINK, slug);
	return rc == SB_ENOTFOUND ? sb_fail(p, rc, "no active secure link has this slug") : rc;
}

static int slug_body(sb_practice *p, sb_id *id, const void *slug, int64_t now)
{
	sb_endpoint e;
	sb_id holder;
	(void)now;
	int rc = sb_link_load(p, *id, &e);
	if (rc == SB_OK && strcmp(e.address, slug) == 0)
		return SB_OK;
	if (rc == SB_OK)
		rc = sb_link_by_slug(p, slug, &holder);
	if (rc == SB_OK)
		return sb_fail(p, SB_ECONFLICT, "an active link of the practice has this slug");
	return rc == SB_ENOTFOUND ? sb_db_exec(p->db, "UPDATE sb_endpoint SET address = ? WHERE id = ?", "ti",
	                                       (const char *)slug, *id)
	                          : rc;
}

int sb_link_set_slug(sb_practice *p, sb_id actor, sb_id link, const char *slug)
{
	char s[SB_SLUG_MAX + 1];
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = sb_slug_check(p, slug, s);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_endpoint_owner(p, actor, link);
	return rc == SB_OK ? sb_transact(p, actor, "link.slug", "endpoint", &link, slug_body, s, "changing a link's slug")
	                   : rc;
}

int sb_link_find(sb_id *out_id, sb_practice *p, sb_id actor, const char *slug)
{
	char s[SB_SLUG_MAX + 1];
	int rc = sb_check_out(p, out_id, sizeof *out_id, "out_id");
	if (rc == SB_OK)
		rc = sb_slug_check(p, slug, s);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_link_by_slug(p, s, out_id);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "finding a secure link");
}

int sb_link_url_of(sb_practice *p, sb_id link, const char *suffix, char *out, size_t room)
{
	char base[SB_LINK_BASE_MAX + 1];
	sb_endpoint e;
	int rc = sb_link_load(p, link, &e);
	if (rc == SB_OK)
		rc = read_base(p, base);
	if (rc == SB_OK && !base[0])
		rc = sb_fail(p, SB_ESTATE, "the practice has no link base URL: set it with sb_link_base_set()");
	if (rc != SB_OK)
		return rc;
	int n = snprintf(out, room, "%s/%s%s", base, e.address, suffix ? suffix : "");
	if (n < 0 || (size_t)n >= room) {
		if (room)
			out[0] = '\0';
		return sb_fail(p, SB_ETOOBIG, "the buffer holds %zu bytes; %d are needed", room, n + 1);
	}
	return SB_OK;
}

int sb_link_url(char *out, size_t room, sb_practice *p, sb_id actor, sb_id link)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && !out)
		rc = sb_fail(p, SB_EINVAL, "out is required");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_link_url_of(p, link, NULL, out, room);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "building a link's URL");
}

/* --- QR codes --- */

/* The link's QR code: *out_matrix (malloc'd, width * width bytes of 0 and 1). */
static int qr_matrix(sb_practice *p, sb_id actor, sb_id link, unsigned char **out_matrix, int *out_width)
{
	char url[SB_LINK_URL_MAX];
	*out_matrix = NULL;
	*out_width = 0;
	int rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_link_url_of(p, link, NULL, url, sizeof url);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "rendering a link's QR code");
#ifdef SB_HAVE_QRENCODE
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return sb_fail(p, SB_ENOMEM, "the QR encoder failed");
	size_t cells = (size_t)qr->width * (size_t)qr->width;
	unsigned char *m = malloc(cells);
	if (m)
		for (size_t i = 0; i < cells; i++)
			m[i] = qr->data[i] & 1u; /* bit 0: dark */
	*out_width = qr->width;
	QRcode_free(qr);
	*out_matrix = m;
	return m ? SB_OK : sb_fail(p, SB_ENOMEM, "out of memory");
#else
	return sb_fail(p, SB_ENOTSUP, "this library was built without libqrencode (SB_QRENCODE)");
#endif
}

int sb_link_qr(unsigned char *out, size_t room, int *out_width, sb_practice *p, sb_id actor, sb_id link)
{
	unsigned char *m;
	int rc = sb_check_out(p, out_width, sizeof *out_width, "out_width");
	if (rc == SB_OK && !out && room)
		rc = sb_fail(p, SB_EINVAL, "out is NULL but room is not 0");
	if (rc == SB_OK)
		rc = qr_matrix(p, actor, link, &m, out_width);
	if (rc != SB_OK)
		return rc;
	size_t cells = (size_t)*out_width * (size_t)*out_width;
	if (out && room >= cells)
		memcpy(out, m, cells);
	else if (out || room)
		rc = sb_fail(p, SB_ETOOBIG, "the buffer holds %zu modules; %zu are needed", room, cells);
	free(m);
	return rc;
}

/* Append to a growing SVG document. */
typedef struct svg {
	char *text;
	size_t len, cap;
} svg;

static int svg_add(svg *s, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int svg_add(svg *s, const char *fmt, ...)
{
	char piece[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	if (s->len + (size_t)n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		char *t = realloc(s->text, cap);
		if (!t)
			return SB_ENOMEM;
		s->text = t;
		s->cap = cap;
	}
	memcpy(s->text + s->len, piece, (size_t)n + 1);
	s->len += (size_t)n;
	return SB_OK;
}

/* One path of horizontal runs of dark modules, offset by the 4-module quiet zone. */
static int svg_render(svg *s, const unsigned char *m, int width)
{
	int side = width + 8;
	int rc = svg_add(s,
	                 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	                 "<rect width=\"%d\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	                 side, side, side);
	for (int y = 0; rc == SB_OK && y < width; y++)
		for (int x = 0; rc == SB_OK && x < width; x++) {
			if (!m[y * width + x] || (x > 0 && m[y * width + x - 1]))
				continue;
			int run = 1;
			while (x + run < width && m[y * width + x + run])
				run++;
			rc = svg_add(s, "M%d %dh%dv1H%dz", x + 4, y + 4, run, x + 4);
		}
	return rc == SB_OK ? svg_add(s, "%s", "\"/></svg>") : rc;
}

int sb_link_qr_svg(char *out, size_t room, size_t *out_len, sb_practice *p, sb_id actor, sb_id link)
{
	unsigned char *m;
	int width;
	svg s = {0};
	int rc = sb_check_out(p, out_len, sizeof *out_len, "out_len");
	if (rc == SB_OK && !out && room)
		rc = sb_fail(p, SB_EINVAL, "out is NULL but room is not 0");
	if (rc == SB_OK)
		rc = qr_matrix(p, actor, link, &m, &width);
	if (rc != SB_OK)
		return rc;
	if (svg_render(&s, m, width) != SB_OK)
		rc = sb_fail(p, SB_ENOMEM, "out of memory");
	free(m);
	if (rc == SB_OK) {
		*out_len = s.len;
		if (out && room > s.len)
			memcpy(out, s.text, s.len + 1);
		else if (out || room)
			rc = sb_fail(p, SB_ETOOBIG, "the buffer holds %zu bytes; %zu are needed", room, s.len + 1);
	}
	free(s.text);
	return rc;
}
