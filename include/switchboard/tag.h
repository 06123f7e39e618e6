/**
 * @file switchboard/tag.h
 * @brief Tags (T7): labels teammates put on contacts and conversations,
 * and that endpoints put on what reaches them.
 *
 * Contact tags and conversation tags are separate sets: "VIP" as a contact
 * tag and "VIP" as a conversation tag are two tags. A tag is named by its
 * text (1..SB_TAG_NAME_MAX bytes of UTF-8, compared without ASCII case)
 * and comes into being the first time it is used.
 *
 * An endpoint carries conversation tags, applied to every conversation
 * started from it or reaching it (when the conversation is created), and
 * contact tags, applied to every contact created through it (an unknown
 * number texting or calling it). Taking a tag off the endpoint stops it
 * being applied from then on; tags already applied stay.
 *
 * Who may: any active teammate tags contacts, and the conversations they
 * see (T8); an endpoint's tags are its settings (T6: admins and its owner).
 * Tags are staff data: no patient-facing call returns them.
 *
 * Auditing: changes are recorded ("tag.add", "tag.remove" on the contact,
 * conversation or endpoint); reading a contact's or a conversation's tags
 * is recorded as "tag.read", because a tag on a patient can say something
 * about their health.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_TAG_H
#define SWITCHBOARD_TAG_H

#include "common.h"
#include "practice.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most bytes of a tag (UTF-8, NUL not counted). */
#define SB_TAG_NAME_MAX 64u
/** Most tags on one contact, conversation or endpoint (of each kind). */
#define SB_TAGS_PER_OBJECT_MAX 64u
/** Most tags one sb_tag_list() returns. */
#define SB_TAG_LIST_MAX 500u

/** The two sets of tags. */
typedef enum sb_tag_kind {
	SB_TAG_CONTACT = 1,
	SB_TAG_CONVERSATION = 2
} sb_tag_kind;

/** What a tag is put on. */
typedef enum sb_tag_target {
	SB_TAGS_OF_CONTACT = 1,                 /**< a contact's contact tags */
	SB_TAGS_OF_CONVERSATION = 2,            /**< a conversation's conversation tags */
	SB_TAGS_OF_ENDPOINT_CONTACTS = 3,       /**< contact tags an endpoint applies */
	SB_TAGS_OF_ENDPOINT_CONVERSATIONS = 4   /**< conversation tags an endpoint applies */
} sb_tag_target;

/** A tag as stored. */
typedef struct sb_tag {
	sb_id id;
	int kind;                         /**< an ::sb_tag_kind */
	char name[SB_TAG_NAME_MAX + 1];   /**< as first written */
} sb_tag;

/**
 * Put a tag on a contact, a conversation or an endpoint.
 * @param target  an ::sb_tag_target
 * @param object  the contact, conversation or endpoint id
 * @param name    the tag, created when new
 * @return SB_OK; SB_EINVAL (unknown target, NULL or empty name);
 *         SB_EUTF8, SB_ETOOBIG (name; or SB_TAGS_PER_OBJECT_MAX tags
 *         already); SB_ENOTFOUND (no such object); SB_EDENIED (see the
 *         file comment); SB_ECONFLICT (the object has the tag already);
 *         SB_ESTATE (a retired endpoint; a closed handle); SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tag_add(sb_practice *p, sb_id actor, int target, sb_id object, const char *name);

/**
 * Take a tag off.
 * @return as sb_tag_add(), with SB_ENOTFOUND also when the object does not
 *         carry the tag.
 */
SB_EXTERN int sb_tag_remove(sb_practice *p, sb_id actor, int target, sb_id object, const char *name);

/**
 * The tags on one object, by name.
 * @param out  caller's array of SB_TAGS_PER_OBJECT_MAX entries
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY,
 *         SB_ESTORE.
 */
SB_EXTERN int sb_tags_of(sb_tag *out, size_t *out_count, sb_practice *p, sb_id actor, int target, sb_id object);

/**
 * The practice's tags of one kind, in id order, a page at a time (for
 * pickers and filters).
 * @param after_id  0 first, else the last id of the previous page
 * @param max       1..SB_TAG_LIST_MAX
 * @return SB_OK; SB_EINVAL; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tag_list(sb_tag *out, size_t *out_count, sb_practice *p, sb_id actor, int kind, sb_id after_id,
                          size_t max);

#ifdef __cplusplus
}
#endif

#endif
