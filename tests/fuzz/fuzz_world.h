/* What the store-backed fuzz targets share: one practice on an in-memory
 * store, opened once per process, and the checks every call's answer must
 * pass whatever the input. */
#ifndef SB_FUZZ_WORLD_H
#define SB_FUZZ_WORLD_H

#include <stddef.h>

#include <switchboard.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define FUZZ_FRONT "+14155550100"
#define FUZZ_FIELDS 8

/* The practice: teammates 1 (admin), 2 and 3, the business number
 * FUZZ_FRONT owned by the practice, a recording-free carrier. */
sb_practice *fuzz_practice(void);

/* Split the input at 0x1F into up to FUZZ_FIELDS NUL-terminated strings
 * (missing ones are ""); free with fuzz_fields_free(). */
typedef struct fuzz_fields {
	char *f[FUZZ_FIELDS];
	size_t len[FUZZ_FIELDS];
} fuzz_fields;
void fuzz_split(fuzz_fields *out, const unsigned char *data, size_t size);
void fuzz_fields_free(fuzz_fields *f);

/* Abort unless rc is SB_OK or a named error with a detail message, and the
 * detail does not hold `canary` (NULL: none). */
void fuzz_check(sb_practice *p, int rc, const char *canary);

/* Input that may be PHI, marked: `text` with a canary after it, a token no
 * fixed message of the library holds, so finding it in a detail message
 * means the input was copied there. Free the result. */
typedef struct fuzz_marked {
	char *text;       /* the input and the canary */
	char canary[16];  /* "zq" and six digits */
} fuzz_marked;
void fuzz_mark(fuzz_marked *out, const char *text);

#endif
