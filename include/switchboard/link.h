/**
 * @file switchboard/link.h
 * @brief Secure links (L1): the practice's web addresses where patients sign
 * up for secure messaging.
 *
 * A secure link is an endpoint (endpoint.h) of kind SB_ENDPOINT_SECURE_LINK,
 * like a business number: it has a label, an owner, members, conversation
 * and contact tags and auto-assignment, all set with the endpoint and tag
 * calls and enforced by the same visibility code (T5–T8). Its address is
 * its slug. A link never sends or receives texts (L6).
 *
 * Slugs: 3..SB_SLUG_MAX characters of ASCII letters, digits and single
 * hyphens, starting and ending with a letter or digit. Letters are folded
 * to lower case, so slugs are unique without regard to case among the
 * practice's active links. Words a web host needs for itself ("admin",
 * "api", "login", …, see docs/rules.md) are refused. A link created without
 * a slug gets an unguessable one: 16 characters from a 32-letter alphabet
 * (80 bits) from libsodium's random source.
 *
 * The link's URL is the practice's link base URL, "/", and the slug. It can
 * be rendered as a QR code (ECC level M) with libqrencode, when the library
 * was built with it (SB_QRENCODE, on when Debian's libqrencode-dev is
 * installed); without it the QR calls answer SB_ENOTSUP.
 *
 * Link data is not protected health information. Changes are audited
 * ("link.create", "link.slug", "link.base").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_LINK_H
#define SWITCHBOARD_LINK_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Fewest and most characters of a slug. */
#define SB_SLUG_MIN 3u
#define SB_SLUG_MAX 48u
/** Characters of a generated slug. */
#define SB_SLUG_GENERATED 16u
/** Most bytes of the link base URL. */
#define SB_LINK_BASE_MAX 200u
/** Room for a link's URL, NUL included (base, "/", slug). */
#define SB_LINK_URL_MAX (SB_LINK_BASE_MAX + 1u + SB_SLUG_MAX + 1u)
/** Most modules on a side of a QR code (version 40). */
#define SB_QR_WIDTH_MAX 177

/**
 * Set the practice's link base URL, which every link's URL starts with.
 * Admins only (T1).
 *
 * @param base_url  "https://" and a host, with an optional path; printable
 *                  ASCII without spaces, '?' or '#'; at most
 *                  SB_LINK_BASE_MAX bytes. A trailing '/' is dropped. ""
 *                  clears it.
 * @return SB_OK; SB_EINVAL (NULL, not an https URL, a query or fragment);
 *         SB_ETOOBIG; SB_EUTF8; SB_EDENIED (not an admin, audited);
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_link_base_set(sb_practice *p, sb_id actor, const char *base_url);

/**
 * Read the link base URL ("" when unset) into out (room bytes; at least
 * SB_LINK_BASE_MAX + 1 always suffices). Any active teammate.
 * @return SB_OK; SB_EINVAL (NULL); SB_ETOOBIG (room too small: out is "");
 *         SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_link_base_get(char *out, size_t room, sb_practice *p, sb_id actor);

/**
 * Create a secure link, owned by the practice, without members, tags or
 * auto-assignment. Admins only (T6).
 *
 * @param out_id  receives the endpoint id of the link
 * @param slug    the slug as typed (case is folded), or NULL or "" for an
 *                unguessable generated one
 * @param label   1..SB_LABEL_MAX bytes of UTF-8
 * @return SB_OK; SB_EINVAL (NULL pointers; a slug that is too short or
 *         long, holds other characters, starts or ends with a hyphen, or
 *         has two in a row; a reserved word; an empty label); SB_EUTF8,
 *         SB_ETOOBIG (label); SB_EDENIED (not an admin, audited);
 *         SB_ECONFLICT (an active link of the practice has this slug, in
 *         any case); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_link_create(sb_id *out_id, sb_practice *p, sb_id actor, const char *slug, const char *label);

/**
 * Change an active link's slug (its old URL stops working). Admins and
 * the link's owner (T6).
 * @return as sb_link_create() for the slug; SB_ENOTFOUND (no such link);
 *         SB_ESTATE (retired).
 */
SB_EXTERN int sb_link_set_slug(sb_practice *p, sb_id actor, sb_id link, const char *slug);

/**
 * Find the active link with a slug, in any case: how a host resolves a
 * patient's visit. Any active teammate, or the system.
 * @return SB_OK; SB_ENOTFOUND (no active link has it); SB_EINVAL (NULL, or
 *         not a well-formed slug); SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_link_find(sb_id *out_id, sb_practice *p, sb_id actor, const char *slug);

/**
 * The link's full URL into out (room bytes; SB_LINK_URL_MAX suffices).
 * @return SB_OK; SB_ENOTFOUND (no such link); SB_ESTATE (no link base URL
 *         is set, or the endpoint is not a secure link); SB_ETOOBIG (room);
 *         SB_EINVAL; SB_EDENIED; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_link_url(char *out, size_t room, sb_practice *p, sb_id actor, sb_id link);

/**
 * The link's URL as a QR code module matrix: width * width bytes, row by
 * row, 1 for a dark module and 0 for a light one, without the quiet zone
 * (a host draws 4 light modules around it).
 *
 * @param out        caller's buffer; NULL with room 0 asks only for the width
 * @param out_width  receives the width in modules (21..SB_QR_WIDTH_MAX)
 * @return SB_OK; SB_ETOOBIG (room < width * width: nothing copied);
 *         SB_ENOTSUP (built without libqrencode); as sb_link_url();
 *         SB_ENOMEM.
 */
SB_EXTERN int sb_link_qr(unsigned char *out, size_t room, int *out_width, sb_practice *p, sb_id actor, sb_id link);

/**
 * The link's QR code as a standalone SVG document (black modules on white,
 * with the quiet zone, one unit per module), NUL-terminated.
 *
 * @param out      caller's buffer; NULL with room 0 asks only for the size
 * @param out_len  receives the document's length (NUL not counted)
 * @return SB_OK; SB_ETOOBIG (room <= length: nothing copied); as sb_link_qr().
 */
SB_EXTERN int sb_link_qr_svg(char *out, size_t room, size_t *out_len, sb_practice *p, sb_id actor, sb_id link);

#ifdef __cplusplus
}
#endif

#endif
