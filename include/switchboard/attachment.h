/**
 * @file switchboard/attachment.h
 * @brief Attachments of messages, and the practice's attachment library (C12).
 *
 * An attachment has a content type, a file name, a size, and either its
 * bytes (kept by the library, sealed with a key, at most
 * SB_ATTACHMENT_BYTES_MAX) or a reference to media the host keeps (a URL
 * or a key of its own). The library is the practice's set of reusable
 * documents (forms, directions, price lists) that teammates attach to
 * outbound texts; attaching copies the document into the message, so later
 * changes to the library do not rewrite history.
 *
 * The carrier only takes media references (::sb_sms). An attachment held as
 * bytes goes to the carrier as "sb-attachment:<id>"; the host serves it
 * with sb_attachment_read() (docs/design.md, "Carrier commands").
 *
 * File names, bytes and references are protected health information:
 * sealed with a key, reads audited ("attachment.read"), library changes
 * audited ("library.add", "library.remove").
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_ATTACHMENT_H
#define SWITCHBOARD_ATTACHMENT_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes an attachment held by the library may have (5 MiB, the MMS limit). */
#define SB_ATTACHMENT_BYTES_MAX (5u * 1024u * 1024u)
/** Most attachments of one message (the MMS limit). */
#define SB_ATTACHMENTS_MAX 10u
/** Most bytes of a content type ("image/jpeg"). */
#define SB_CONTENT_TYPE_MAX 127u
/** Most bytes of a file name (UTF-8). */
#define SB_FILE_NAME_MAX 255u
/** Most bytes of a host media reference (UTF-8). */
#define SB_MEDIA_REF_MAX 1024u
/** Most entries one library page returns. */
#define SB_LIBRARY_PAGE_MAX 100u

#define SB_ATTACHMENT_SPEC_VERSION 1

/** An attachment to add: bytes or a reference, never both. */
typedef struct sb_attachment_spec {
	unsigned int version;      /**< SB_ATTACHMENT_SPEC_VERSION */
	const char *content_type;  /**< "type/subtype", printable ASCII, no spaces */
	const char *file_name;     /**< 1..SB_FILE_NAME_MAX bytes of UTF-8, no '/' */
	const void *data;          /**< the bytes, or NULL */
	size_t size;               /**< bytes of `data`; with a reference, its size if known (else 0) */
	const char *media_ref;     /**< a host media reference, or NULL */
} sb_attachment_spec;

/** An attachment as stored. The layout is frozen; a revision comes as a _v2 call. */
typedef struct sb_attachment {
	sb_id id;
	sb_id item_id;                              /**< 0 for a library document */
	char content_type[SB_CONTENT_TYPE_MAX + 1];
	char file_name[SB_FILE_NAME_MAX + 1];
	int64_t size;
	int has_data;                               /**< non-zero: the library holds the bytes */
	char media_ref[SB_MEDIA_REF_MAX + 1];       /**< "" when the library holds the bytes */
	int64_t created_at;                         /**< epoch ms */
} sb_attachment;

/**
 * Fill `spec` with version 1 and zeroes.
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_attachment_spec_init(sb_attachment_spec *spec);

/**
 * The attachments of a message, in order. Audited as "attachment.read".
 * @param out  caller's array of at least `max` (1..SB_ATTACHMENTS_MAX)
 * @return SB_OK; SB_ENOTFOUND (no such item); SB_EINVAL; SB_ECRYPTO;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_item_attachments(sb_attachment *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id item,
                                  size_t max);

/**
 * Read the bytes of an attachment or a library document the library holds.
 * @param out       caller's buffer; NULL with room 0 asks only for the size
 * @param out_size  receives the full size
 * @return SB_OK; SB_ETOOBIG (room is smaller than the size: nothing copied,
 *         *out_size tells what is needed); SB_ENOTFOUND (no such attachment);
 *         SB_ESTATE (it is a media reference: the host holds the bytes);
 *         SB_EINVAL; SB_ECRYPTO; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_attachment_read(void *out, size_t room, size_t *out_size, sb_practice *p, sb_id actor,
                                 sb_id attachment);

/**
 * Add a document to the practice's attachment library.
 * @return SB_OK; SB_EINVAL (NULL pointers, no content, bytes and a reference
 *         both, bad content type or file name); SB_EVERSION; SB_EUTF8;
 *         SB_ETOOBIG (bytes over SB_ATTACHMENT_BYTES_MAX, names over their
 *         limits); SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_library_add(sb_id *out_id, sb_practice *p, sb_id actor, const sb_attachment_spec *doc);

/**
 * The library's documents in id order, a page at a time.
 * @param after_id  0 for the first page, else the last id of the previous page
 * @param max       1..SB_LIBRARY_PAGE_MAX
 * @return SB_OK; SB_EINVAL; SB_ECRYPTO; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_library_list(sb_attachment *out, size_t *out_count, sb_practice *p, sb_id actor, sb_id after_id,
                              size_t max);

/**
 * Remove a document from the library. Messages it was attached to keep their copies.
 * @return SB_OK; SB_ENOTFOUND (no such library document); SB_EINVAL;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_library_remove(sb_practice *p, sb_id actor, sb_id id);

#ifdef __cplusplus
}
#endif

#endif
