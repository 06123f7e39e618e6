/* Version and error codes (version.h, errors.h, common.h). */
#include "support.h"

#include <stdio.h>
#include <string.h>

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(sb_version(), SB_VERSION_NUMBER);
	assert_string_equal(sb_version_string(), SB_VERSION_STRING);
	char expect[32];
	snprintf(expect, sizeof expect, "%d.%d.%d", SB_VERSION_MAJOR, SB_VERSION_MINOR, SB_VERSION_PATCH);
	assert_string_equal(sb_version_string(), expect);
}

static void test_strerror_distinct(void **state)
{
	(void)state;
	for (int a = SB_EWEBHOOK; a <= SB_OK; a++) {
		const char *ta = sb_strerror(a);
		assert_non_null(ta);
		assert_string_not_equal(ta, "unknown error");
		for (int b = a + 1; b <= SB_OK; b++)
			assert_string_not_equal(ta, sb_strerror(b));
	}
	assert_string_equal(sb_strerror(-1000), "unknown error");
	assert_string_equal(sb_strerror(7), "unknown error");
}

static void test_key_bytes(void **state)
{
	(void)state;
	assert_int_equal(sb_key_bytes(), SB_KEY_BYTES);
	assert_int_equal(SB_KEY_BYTES, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_strerror_distinct),
		cmocka_unit_test(test_key_bytes),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
