#include "switchboard/version.h"

int sb_version(void)
{
	return SB_VERSION_NUMBER;
}

const char *sb_version_string(void)
{
	return SB_VERSION_STRING;
}
