/* The store conformance suite against the built-in driver of this run's
 * engine: SQLite in memory and on a file, or PostgreSQL in a fresh schema. */
#include <stdlib.h>
#include <string.h>

#include "../support.h"
#include "conformance.h"

static int memory_store(sb_store_driver *out, void *ctx)
{
	(void)ctx;
	return sb_store_open_sqlite(out, ":memory:", NULL);
}

/* A fresh store per test; the previous one is removed first. */
static int fresh_store(sb_store_driver *out, void *ctx)
{
	char **path = ctx;
	if (*path)
		test_db_remove(*path);
	*path = test_db_path();
	return test_store_driver(*path, out);
}

int main(void)
{
	char *path = NULL;
	int failed = 0;
	if (strcmp(test_engine(), "sqlite") == 0) {
		failed += run_store_conformance("store conformance: sqlite :memory:", memory_store, NULL);
		failed += run_store_conformance("store conformance: sqlite file", fresh_store, &path);
	} else {
		failed += run_store_conformance("store conformance: postgres", fresh_store, &path);
	}
	if (path)
		test_db_remove(path);
	return failed;
}
