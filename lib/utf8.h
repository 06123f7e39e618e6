/* Strict UTF-8 validation. Internal. */
#ifndef SB_UTF8_H
#define SB_UTF8_H

#include <stddef.h>

/* Non-zero when s[0..len) is well-formed UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no NUL. */
int sb_utf8_valid(const char *s, size_t len);

#endif
