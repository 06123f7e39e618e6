/* Built without libpq: the PostgreSQL driver's functions keep the ABI and
 * say plainly that this build cannot reach PostgreSQL. */
#include <stdio.h>

#include "switchboard/errors.h"
#include "switchboard/store.h"

int sb_postgres_options_init(sb_postgres_options *opts)
{
	if (!opts)
		return SB_EINVAL;
	sb_postgres_options def = SB_POSTGRES_OPTIONS_INIT;
	*opts = def;
	return SB_OK;
}

static int absent(char *why, size_t why_size)
{
	if (why && why_size)
		snprintf(why, why_size, "this build of switchboard has no PostgreSQL support (rebuild with libpq)");
	return SB_ENOTSUP;
}

int sb_store_open_postgres(sb_store_driver *out, const char *conninfo, const sb_postgres_options *opts,
                           char *why, size_t why_size)
{
	(void)out, (void)conninfo, (void)opts;
	return absent(why, why_size);
}

int sb_store_use_postgres(sb_store_driver *out, struct pg_conn *conn, const sb_postgres_options *opts,
                          char *why, size_t why_size)
{
	(void)out, (void)conn, (void)opts;
	return absent(why, why_size);
}
