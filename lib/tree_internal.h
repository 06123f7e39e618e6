/* What the call engine asks of phone trees (lib/tree.c). Internal. */
#ifndef SB_TREE_INTERNAL_H
#define SB_TREE_INTERNAL_H

#include "internal.h"

/* Node `index` of tree `tree` with its branches; SB_ENOTFOUND, described. */
int sb_tree_node_load(sb_practice *p, sb_id tree, size_t index, sb_tree_node_info *out);

#endif
