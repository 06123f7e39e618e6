/**
 * @file switchboard/tree.h
 * @brief Phone trees (V12): a business number may answer with a menu
 * ("press 1 for the front desk…"). Each key routes the caller to a team, a
 * teammate, the number's own numbers to ring, voicemail or a submenu, and a
 * team or teammate branch may assign the conversation to them.
 *
 * A tree is data, checked whole when saved: every submenu branch names a
 * node of the tree, every team and teammate exists, every node is reachable
 * from the root (node 0), and from every node some key or the fallback
 * leads out of the menus: no dangling branch, no loop without an exit. A
 * node that hears no key within its timeout, or a key it has no branch for,
 * prompts again; after `tries` such turns the caller takes the node's
 * fallback (by default, voicemail).
 *
 * Trees are practice settings: admins save and delete them (T1), any active
 * teammate reads them. Changes are audited ("tree.save", "tree.delete");
 * trees hold no protected health information. A business number uses a tree
 * through its voice settings (voice.h); a call under way keeps the node it
 * is on, so a save applies to the next key pressed.
 *
 * Threads: as for the practice handle.
 */
#ifndef SWITCHBOARD_TREE_H
#define SWITCHBOARD_TREE_H

#include "common.h"
#include "practice.h"
#include "timeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most nodes of one tree. */
#define SB_TREE_NODES_MAX 32u
/** Keys a node may route: '0'..'9', '*' and '#'. */
#define SB_TREE_KEYS 12u
/** Most bytes of a tree's name and of a spoken prompt (UTF-8). */
#define SB_TREE_NAME_MAX 128u
#define SB_TREE_PROMPT_MAX 1024u
/** How long a node waits for a key when it sets nothing: 8 s. */
#define SB_TREE_TIMEOUT_DEFAULT 8000
/** How many turns a node gives when it sets nothing, and at most. */
#define SB_TREE_TRIES_DEFAULT 3
#define SB_TREE_TRIES_MAX 5

/** Where a key sends the caller. */
typedef enum sb_route_kind {
	SB_ROUTE_VOICEMAIL = 0,  /**< the number's voicemail (the default fallback) */
	SB_ROUTE_NUMBER = 1,     /**< ring the business number's numbers to ring (V4) */
	SB_ROUTE_TEAM = 2,       /**< ring a team's members */
	SB_ROUTE_TEAMMATE = 3,   /**< ring one teammate */
	SB_ROUTE_MENU = 4        /**< go to another node; `target` is its index */
} sb_route_kind;

/** One key of a node, or a node's fallback (`key` unused). */
typedef struct sb_tree_branch {
	int key;          /**< '0'..'9', '*' or '#' */
	int route;        /**< an ::sb_route_kind */
	sb_id target;     /**< the team, the teammate or the node index; 0 otherwise */
	int auto_assign;  /**< TEAM and TEAMMATE: the conversation goes to their mailbox */
} sb_tree_branch;

/** One menu. */
typedef struct sb_tree_node {
	const char *prompt;          /**< spoken, 1..SB_TREE_PROMPT_MAX bytes, or NULL with prompt_media */
	const char *prompt_media;    /**< a recorded prompt (host media reference), or NULL */
	int64_t timeout_ms;          /**< 0: SB_TREE_TIMEOUT_DEFAULT; else 1 s .. 60 s */
	int tries;                   /**< 0: SB_TREE_TRIES_DEFAULT; else 1..SB_TREE_TRIES_MAX */
	sb_tree_branch fallback;     /**< after the last try; zeroed: voicemail */
	const sb_tree_branch *branches;
	size_t branch_count;         /**< 1..SB_TREE_KEYS, each key once */
} sb_tree_node;

#define SB_TREE_SPEC_VERSION 1

typedef struct sb_tree_spec {
	unsigned int version;        /**< SB_TREE_SPEC_VERSION */
	const char *name;            /**< 1..SB_TREE_NAME_MAX bytes, unique in the practice (case-insensitive) */
	const sb_tree_node *nodes;   /**< nodes[0] is the root */
	size_t node_count;           /**< 1..SB_TREE_NODES_MAX */
} sb_tree_spec;

/** A stored tree. */
typedef struct sb_tree {
	sb_id id;
	char name[SB_TREE_NAME_MAX + 1];
	size_t node_count;
	int64_t updated_at;
} sb_tree;

/** A stored node, as sb_tree_node_get() returns it (defaults filled in). */
typedef struct sb_tree_node_info {
	char prompt[SB_TREE_PROMPT_MAX + 1];
	char prompt_media[SB_MEDIA_REF_MAX + 1];
	int64_t timeout_ms;
	int tries;
	sb_tree_branch fallback;
	size_t branch_count;
	sb_tree_branch branches[SB_TREE_KEYS];  /**< in key order as saved */
} sb_tree_node_info;

/**
 * Fill `s` with version 1 and zeroes.
 * @return SB_OK; SB_EINVAL (NULL).
 */
SB_EXTERN int sb_tree_spec_init(sb_tree_spec *s);

/**
 * Create a tree (*io_id 0; the new id is written back) or replace tree
 * *io_id whole. Admins only.
 * @return SB_OK; SB_ETREE (a dangling branch, an unreachable node, a loop
 *         without an exit; the message names the node and key);
 *         SB_EINVAL (NULL pointers, counts, keys twice or out of range,
 *         timeouts, tries, routes, both or neither prompt); SB_EVERSION;
 *         SB_EUTF8, SB_ETOOBIG (name, prompts); SB_ECONFLICT (the name is
 *         taken); SB_ENOTFOUND (no tree *io_id); SB_EDENIED; SB_ESTATE;
 *         SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tree_save(sb_id *io_id, sb_practice *p, sb_id actor, const sb_tree_spec *spec);

/**
 * Read a tree's summary. Any active teammate.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND; SB_EDENIED; SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tree_get(sb_tree *out, sb_practice *p, sb_id actor, sb_id id);

/**
 * Read node `index` (0 is the root) of a tree. Any active teammate.
 * @return SB_OK; SB_EINVAL; SB_ENOTFOUND (no such tree or node); SB_EDENIED;
 *         SB_ESTATE; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tree_node_get(sb_tree_node_info *out, sb_practice *p, sb_id actor, sb_id id, size_t index);

/**
 * Delete a tree no business number uses. Admins only.
 * @return SB_OK; SB_ESTATE (a business number answers with it);
 *         SB_ENOTFOUND; SB_EDENIED; SB_EINVAL; SB_EBUSY, SB_ESTORE.
 */
SB_EXTERN int sb_tree_delete(sb_practice *p, sb_id actor, sb_id id);

#ifdef __cplusplus
}
#endif

#endif
