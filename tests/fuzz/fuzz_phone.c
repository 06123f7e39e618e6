/* Fuzz target: phone parsing and UTF-8 checking must never crash, and what
 * parses must parse again to itself. Build with -fsanitize=fuzzer for
 * libFuzzer; replay.c runs the corpus as a regression test. */
#include <stdlib.h>
#include <string.h>

#include <switchboard.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)sb_utf8_valid(text, size);
	sb_phone ph, again;
	if (sb_phone_parse(&ph, text) == SB_OK) {
		if (sb_phone_parse(&again, ph.number) != SB_OK || strcmp(again.number, ph.number) != 0 ||
		    again.kind != ph.kind)
			abort();
	} else if (ph.kind != SB_PHONE_INVALID || ph.problem == SB_PHONE_ERR_NONE) {
		abort();
	}
	free(text);
	return 0;
}
