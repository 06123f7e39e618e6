/* The store conformance suite against the SQLite driver, in memory and on a file. */
#include <stdlib.h>

#include "../support.h"
#include "conformance.h"

static int memory_store(sb_store_driver *out, void *ctx)
{
	(void)ctx;
	return sb_store_open_sqlite(out, ":memory:", NULL);
}

static int file_store(sb_store_driver *out, void *ctx)
{
	char **path = ctx;
	if (*path)
		test_db_remove(*path);
	*path = test_db_path();
	return sb_store_open_sqlite(out, *path, NULL);
}

int main(void)
{
	char *path = NULL;
	int failed = run_store_conformance("store conformance: sqlite :memory:", memory_store, NULL);
	failed += run_store_conformance("store conformance: sqlite file", file_store, &path);
	if (path)
		test_db_remove(path);
	return failed;
}
