/* Versioned, forward-only schema migrations. Internal. */
#ifndef SB_STORE_SCHEMA_H
#define SB_STORE_SCHEMA_H

#include "db.h"

/* The schema version this library writes. */
int sb_schema_latest(void);

/* Bring the store up to sb_schema_latest(), one transaction per migration.
 * SB_ESCHEMA when the store is newer than the library; *out_found receives
 * the version the store had. */
int sb_schema_migrate(sb_db *db, int *out_found);

#endif
