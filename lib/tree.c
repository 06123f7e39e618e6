/* Phone trees (tree.h): checked whole when saved, stored as node and branch rows. */
#include <string.h>

#include "access.h"
#include "internal.h"
#include "tree_internal.h"

int sb_tree_spec_init(sb_tree_spec *s)
{
	if (!s)
		return SB_EINVAL;
	memset(s, 0, sizeof *s);
	s->version = SB_TREE_SPEC_VERSION;
	return SB_OK;
}

static int is_key(int key)
{
	return (key >= '0' && key <= '9') || key == '*' || key == '#';
}

/* A branch's own shape; what it names is checked against the store later. */
static int check_branch(sb_practice *p, const sb_tree_spec *s, size_t node, const sb_tree_branch *b, int fallback)
{
	if (!fallback && !is_key(b->key))
		return sb_fail(p, SB_EINVAL, "node %zu: a key is '0'..'9', '*' or '#'", node);
	if (b->route < SB_ROUTE_VOICEMAIL || b->route > SB_ROUTE_MENU)
		return sb_fail(p, SB_EINVAL, "node %zu: unknown route %d", node, b->route);
	if (b->route == SB_ROUTE_MENU && (b->target < 0 || (size_t)b->target >= s->node_count))
		return sb_fail(p, SB_ETREE, "node %zu: a branch goes to node %lld, which the tree does not have", node,
		               (long long)b->target);
	int needs_target = b->route == SB_ROUTE_TEAM || b->route == SB_ROUTE_TEAMMATE;
	if (needs_target ? b->target <= 0 : b->route != SB_ROUTE_MENU && b->target != 0)
		return sb_fail(p, SB_EINVAL, "node %zu: a team or teammate branch names one; other routes take 0", node);
	if (b->auto_assign && !needs_target)
		return sb_fail(p, SB_EINVAL, "node %zu: only team and teammate branches assign", node);
	return SB_OK;
}

static int check_node(sb_practice *p, const sb_tree_spec *s, size_t i)
{
	const sb_tree_node *n = &s->nodes[i];
	int has_prompt = n->prompt && *n->prompt, has_media = n->prompt_media && *n->prompt_media;
	if (has_prompt == has_media)
		return sb_fail(p, SB_EINVAL, "node %zu: give a spoken prompt or a recorded one", i);
	int rc = sb_check_text(p, has_prompt ? n->prompt : n->prompt_media,
	                       has_prompt ? SB_TREE_PROMPT_MAX : SB_MEDIA_REF_MAX, "prompt");
	if (rc != SB_OK)
		return rc;
	if (n->timeout_ms != 0 && (n->timeout_ms < 1000 || n->timeout_ms > 60000))
		return sb_fail(p, SB_EINVAL, "node %zu: timeout_ms must be 0 or 1000..60000", i);
	if (n->tries < 0 || n->tries > SB_TREE_TRIES_MAX)
		return sb_fail(p, SB_EINVAL, "node %zu: tries must be 0..%d", i, SB_TREE_TRIES_MAX);
	if (n->branch_count < 1 || n->branch_count > SB_TREE_KEYS || !n->branches)
		return sb_fail(p, SB_EINVAL, "node %zu: give 1..%u branches", i, SB_TREE_KEYS);
	for (size_t k = 0; rc == SB_OK && k < n->branch_count; k++) {
		rc = check_branch(p, s, i, &n->branches[k], 0);
		for (size_t j = 0; rc == SB_OK && j < k; j++)
			if (n->branches[j].key == n->branches[k].key)
				rc = sb_fail(p, SB_EINVAL, "node %zu: key '%c' twice", i, n->branches[k].key);
	}
	return rc == SB_OK ? check_branch(p, s, i, &n->fallback, 1) : rc;
}

/* Mark what `from` leads to through submenu branches and fallbacks. */
static void reach(const sb_tree_spec *s, size_t from, int *seen)
{
	if (seen[from])
		return;
	seen[from] = 1;
	const sb_tree_node *n = &s->nodes[from];
	for (size_t k = 0; k < n->branch_count; k++)
		if (n->branches[k].route == SB_ROUTE_MENU)
			reach(s, (size_t)n->branches[k].target, seen);
	if (n->fallback.route == SB_ROUTE_MENU)
		reach(s, (size_t)n->fallback.target, seen);
}

static int leaves(const sb_tree_node *n)
{
	for (size_t k = 0; k < n->branch_count; k++)
		if (n->branches[k].route != SB_ROUTE_MENU)
			return 1;
	return n->fallback.route != SB_ROUTE_MENU;
}

/* Every node is reachable from the root, and from every node some path
 * leaves the menus: a loop is fine as long as it has an exit. */
static int check_shape(sb_practice *p, const sb_tree_spec *s)
{
	int seen[SB_TREE_NODES_MAX] = {0};
	reach(s, 0, seen);
	for (size_t i = 0; i < s->node_count; i++)
		if (!seen[i])
			return sb_fail(p, SB_ETREE, "node %zu cannot be reached from the root", i);
	for (size_t i = 0; i < s->node_count; i++) {
		int from_i[SB_TREE_NODES_MAX] = {0}, exits = 0;
		reach(s, i, from_i);
		for (size_t j = 0; j < s->node_count && !exits; j++)
			exits = from_i[j] && leaves(&s->nodes[j]);
		if (!exits)
			return sb_fail(p, SB_ETREE, "node %zu is in a loop of menus without an exit", i);
	}
	return SB_OK;
}

static int check_spec(sb_practice *p, const sb_tree_spec *s, char *name_key)
{
	if (s->version != SB_TREE_SPEC_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_tree_spec version %u is not %u", s->version, SB_TREE_SPEC_VERSION);
	int rc = sb_check_name(p, s->name, SB_TREE_NAME_MAX, "name", name_key);
	if (rc != SB_OK)
		return rc;
	if (s->node_count < 1 || s->node_count > SB_TREE_NODES_MAX || !s->nodes)
		return sb_fail(p, SB_EINVAL, "a tree has 1..%u nodes", SB_TREE_NODES_MAX);
	for (size_t i = 0; rc == SB_OK && i < s->node_count; i++)
		rc = check_node(p, s, i);
	return rc == SB_OK ? check_shape(p, s) : rc;
}

/* In the transaction: the teams and teammates the branches name exist. */
static int check_targets(sb_practice *p, const sb_tree_branch *b, size_t node)
{
	if (b->route == SB_ROUTE_TEAMMATE) {
		int rc = sb_access_active_teammate(p, b->target);
		return rc == SB_ENOTFOUND || rc == SB_ESTATE
		           ? sb_fail(p, SB_ETREE, "node %zu: a branch names a teammate who is not active here", node)
		           : rc;
	}
	if (b->route == SB_ROUTE_TEAM &&
	    sb_db_one_int(p->db, NULL, "SELECT id FROM sb_team WHERE id = ? AND practice_id = ?", "ii", b->target,
	                  p->id) == SB_ENOTFOUND)
		return sb_fail(p, SB_ETREE, "node %zu: a branch names a team this practice does not have", node);
	return SB_OK;
}

static int insert_branch(sb_practice *p, sb_id tree, size_t node, size_t position, int key, const sb_tree_branch *b)
{
	int rc = check_targets(p, b, node);
	return rc == SB_OK ? sb_db_exec(p->db,
	                                "INSERT INTO sb_tree_branch (tree_id, node, position, key, route, target, auto_assign)"
	                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
	                                "iiiiiii", tree, (int64_t)node, (int64_t)position, (int64_t)key,
	                                (int64_t)b->route, b->target, (int64_t)(b->auto_assign != 0))
	                   : rc;
}

static int insert_node(sb_practice *p, sb_id tree, size_t i, const sb_tree_node *n)
{
	int rc = sb_db_exec(p->db,
	                    "INSERT INTO sb_tree_node (tree_id, node, prompt, prompt_media, timeout_ms, tries)"
	                    " VALUES (?, ?, ?, ?, ?, ?)",
	                    "iittii", tree, (int64_t)i, n->prompt ? n->prompt : "", n->prompt_media ? n->prompt_media : "",
	                    n->timeout_ms ? n->timeout_ms : SB_TREE_TIMEOUT_DEFAULT,
	                    (int64_t)(n->tries ? n->tries : SB_TREE_TRIES_DEFAULT));
	if (rc == SB_OK) /* the fallback is key 0, position 0 */
		rc = insert_branch(p, tree, i, 0, 0, &n->fallback);
	for (size_t k = 0; rc == SB_OK && k < n->branch_count; k++)
		rc = insert_branch(p, tree, i, k + 1, n->branches[k].key, &n->branches[k]);
	return rc;
}

typedef struct save {
	const sb_tree_spec *spec;
	const char *name_key;
} save;

static int clear_tree(sb_practice *p, sb_id id)
{
	int rc = sb_db_exec(p->db, "DELETE FROM sb_tree_branch WHERE tree_id = ?", "i", id);
	return rc == SB_OK ? sb_db_exec(p->db, "DELETE FROM sb_tree_node WHERE tree_id = ?", "i", id) : rc;
}

static int save_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const save *v = arg;
	sb_id other = 0;
	int rc = sb_db_one_int(p->db, &other, "SELECT id FROM sb_tree WHERE practice_id = ? AND name_key = ?", "it", p->id,
	                       v->name_key);
	if (rc == SB_OK && other != *id)
		return sb_fail(p, SB_ECONFLICT, "the practice has a phone tree of that name");
	if (rc != SB_OK && rc != SB_ENOTFOUND)
		return rc;
	if (*id == 0)
		rc = sb_db_one_int(p->db, id,
		                   "INSERT INTO sb_tree (practice_id, name, name_key, node_count, updated_at)"
		                   " VALUES (?, ?, ?, ?, ?) RETURNING id",
		                   "ittii", p->id, v->spec->name, v->name_key, (int64_t)v->spec->node_count, now);
	else if ((rc = sb_db_one_int(p->db, NULL,
	                             "UPDATE sb_tree SET name = ?, name_key = ?, node_count = ?, updated_at = ?"
	                             " WHERE id = ? AND practice_id = ? RETURNING id",
	                             "ttiiii", v->spec->name, v->name_key, (int64_t)v->spec->node_count, now, *id,
	                             p->id)) == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such phone tree in this practice");
	if (rc == SB_OK)
		rc = clear_tree(p, *id);
	for (size_t i = 0; rc == SB_OK && i < v->spec->node_count; i++)
		rc = insert_node(p, *id, i, &v->spec->nodes[i]);
	return rc;
}

/* The checks every admin change of a tree starts with. */
static int may_change(sb_practice *p, sb_id actor, const char *what)
{
	int rc = sb_check_actor(p, actor);
	return rc == SB_OK ? sb_access_admin(p, actor, what) : rc;
}

int sb_tree_save(sb_id *io_id, sb_practice *p, sb_id actor, const sb_tree_spec *spec)
{
	int rc = sb_check_open(p);
	if (rc != SB_OK)
		return rc;
	if (!io_id || !spec)
		return sb_fail(p, SB_EINVAL, "io_id and spec are required");
	if (*io_id < 0)
		return sb_fail(p, SB_EINVAL, "the tree id must not be negative");
	char name_key[SB_TREE_NAME_MAX + 1];
	if ((rc = check_spec(p, spec, name_key)) != SB_OK || (rc = may_change(p, actor, "change phone trees")) != SB_OK)
		return rc;
	save v = {spec, name_key};
	sb_id id = *io_id;
	rc = sb_transact(p, actor, "tree.save", "tree", &id, save_body, &v, "saving a phone tree");
	if (rc == SB_OK)
		*io_id = id;
	return rc;
}

int sb_tree_get(sb_tree *out, sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	sb_stmt *st;
	if (rc == SB_OK &&
	    (rc = sb_db_row(p->db, &st, "SELECT name, node_count, updated_at FROM sb_tree WHERE id = ? AND practice_id = ?",
	                    "ii", id, p->id)) == SB_OK) {
		out->id = id;
		sb_db_col_copy(p->db, st, 0, out->name, sizeof out->name);
		out->node_count = (size_t)sb_db_col_int(p->db, st, 1);
		out->updated_at = sb_db_col_int(p->db, st, 2);
		sb_db_release(p->db, st);
	}
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such phone tree in this practice");
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a phone tree");
}

static void branch_row(sb_practice *p, sb_stmt *st, sb_tree_branch *b)
{
	b->key = (int)sb_db_col_int(p->db, st, 0);
	b->route = (int)sb_db_col_int(p->db, st, 1);
	b->target = sb_db_col_int(p->db, st, 2);
	b->auto_assign = (int)sb_db_col_int(p->db, st, 3);
}

int sb_tree_node_load(sb_practice *p, sb_id tree, size_t index, sb_tree_node_info *out)
{
	sb_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = sb_db_row(p->db, &st,
	                   "SELECT n.prompt, n.prompt_media, n.timeout_ms, n.tries FROM sb_tree_node n"
	                   " JOIN sb_tree t ON t.id = n.tree_id WHERE n.tree_id = ? AND n.node = ? AND t.practice_id = ?",
	                   "iii", tree, (int64_t)index, p->id);
	if (rc == SB_ENOTFOUND)
		return sb_fail(p, rc, "no such phone tree node in this practice");
	if (rc != SB_OK)
		return rc;
	sb_db_col_copy(p->db, st, 0, out->prompt, sizeof out->prompt);
	sb_db_col_copy(p->db, st, 1, out->prompt_media, sizeof out->prompt_media);
	out->timeout_ms = sb_db_col_int(p->db, st, 2);
	out->tries = (int)sb_db_col_int(p->db, st, 3);
	sb_db_release(p->db, st);
	rc = sb_db_query(p->db, &st,
	                 "SELECT key, route, target, auto_assign FROM sb_tree_branch WHERE tree_id = ? AND node = ?"
	                 " ORDER BY position",
	                 "ii", tree, (int64_t)index);
	while (rc == SB_OK && (rc = sb_db_step(p->db, st)) == SB_STORE_ROW) {
		if (sb_db_col_int(p->db, st, 0) == 0)
			branch_row(p, st, &out->fallback);
		else if (out->branch_count < SB_TREE_KEYS)
			branch_row(p, st, &out->branches[out->branch_count++]);
		rc = SB_OK;
	}
	sb_db_release(p->db, st);
	out->fallback.key = 0;
	return rc < 0 ? rc : SB_OK;
}

int sb_tree_node_get(sb_tree_node_info *out, sb_practice *p, sb_id actor, sb_id id, size_t index)
{
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_tree_node_load(p, id, index, out);
	return rc == SB_OK ? SB_OK : sb_fail_store(p, rc, "reading a phone tree node");
}

static int delete_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	(void)arg;
	(void)now;
	if (sb_db_one_int(p->db, NULL, "SELECT id FROM sb_endpoint WHERE tree_id = ? AND practice_id = ? LIMIT 1", "ii", *id,
	                  p->id) == SB_OK)
		return sb_fail(p, SB_ESTATE, "a business number answers with this tree");
	int rc = clear_tree(p, *id);
	if (rc == SB_OK &&
	    (rc = sb_db_one_int(p->db, NULL, "DELETE FROM sb_tree WHERE id = ? AND practice_id = ? RETURNING id", "ii", *id,
	                        p->id)) == SB_ENOTFOUND)
		rc = sb_fail(p, rc, "no such phone tree in this practice");
	return rc;
}

int sb_tree_delete(sb_practice *p, sb_id actor, sb_id id)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK && id <= 0)
		rc = sb_fail(p, SB_EINVAL, "tree id must be positive");
	if (rc == SB_OK)
		rc = may_change(p, actor, "change phone trees");
	return rc == SB_OK ? sb_transact(p, actor, "tree.delete", "tree", &id, delete_body, NULL, "deleting a phone tree")
	                   : rc;
}
