/* Dispatch of carrier commands to the host. */
#include "internal.h"

#include <string.h>

int sb_carrier_adopt(sb_practice *p, const sb_carrier *carrier)
{
	memset(&p->carrier, 0, sizeof p->carrier);
	if (!carrier)
		return SB_OK;
	if (carrier->version < 1 || carrier->version > SB_CARRIER_VERSION)
		return sb_fail(p, SB_EVERSION, "carrier version %u is not supported", carrier->version);
	p->carrier = *carrier;
	return SB_OK;
}

int sb_carrier_result(sb_practice *p, const char *command, int host_rc)
{
	if (host_rc >= 0)
		return SB_OK;
	return sb_fail(p, SB_EUSER, "the carrier's %s callback failed (host code %d)", command, host_rc);
}
