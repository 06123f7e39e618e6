/* NANP and E.164 rules, one row per rule (phone.h). */
#include "support.h"

#include <string.h>

typedef struct row {
	const char *typed;
	int rc;
	int kind;
	const char *number;
	const char *country;
	int problem;
} row;

static const row rows[] = {
	/* what people type */
	{"(415) 555-2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"+1 415 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"14155552671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"415.555.2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"  1 (415) 555-2671 ", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"+14155552671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	/* countries of the plan */
	{"604-555-2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+16045552671", "CA", 0},
	{"(416) 555-2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14165552671", "CA", 0},
	{"876 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+18765552671", "JM", 0},
	{"787 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+17875552671", "PR", 0},
	{"809 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+18095552671", "DO", 0},
	{"441 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14415552671", "BM", 0},
	{"671 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+16715552671", "GU", 0},
	/* toll-free, premium, fictional */
	{"1-800-555-2671", SB_OK, SB_PHONE_TOLL_FREE, "+18005552671", "", 0},
	{"833 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18335552671", "", 0},
	{"844 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18445552671", "", 0},
	{"855 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18555552671", "", 0},
	{"866 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18665552671", "", 0},
	{"877 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18775552671", "", 0},
	{"888 555 2671", SB_OK, SB_PHONE_TOLL_FREE, "+18885552671", "", 0},
	{"822 555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+18225552671", "US", 0},
	{"900 555 2671", SB_OK, SB_PHONE_PREMIUM, "+19005552671", "", 0},
	{"415 555 0100", SB_OK, SB_PHONE_FICTIONAL, "+14155550100", "US", 0},
	{"415 555 0199", SB_OK, SB_PHONE_FICTIONAL, "+14155550199", "US", 0},
	{"415 555 0200", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155550200", "US", 0},
	{"415 555 0099", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155550099", "US", 0},
	/* service and emergency codes */
	{"911", SB_OK, SB_PHONE_EMERGENCY, "911", "", 0},
	{"988", SB_OK, SB_PHONE_EMERGENCY, "988", "", 0},
	{"933", SB_OK, SB_PHONE_EMERGENCY, "933", "", 0},
	{"211", SB_OK, SB_PHONE_SERVICE, "211", "", 0},
	{"311", SB_OK, SB_PHONE_SERVICE, "311", "", 0},
	{"411", SB_OK, SB_PHONE_SERVICE, "411", "", 0},
	{"811", SB_OK, SB_PHONE_SERVICE, "811", "", 0},
	{"112", SB_OK, SB_PHONE_EMERGENCY, "112", "", 0},
	{"111", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	{"555", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	/* international */
	{"+44 20 7946 0958", SB_OK, SB_PHONE_INTERNATIONAL, "+442079460958", "", 0},
	{"011 44 20 7946 0958", SB_OK, SB_PHONE_INTERNATIONAL, "+442079460958", "", 0},
	{"+52 55 1234 5678", SB_OK, SB_PHONE_INTERNATIONAL, "+525512345678", "", 0},
	{"+0 44 20 7946", SB_EPHONE, 0, "", "", SB_PHONE_ERR_COUNTRY_CODE},
	{"+44 123", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	{"+44 1234 5678 9012 34", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_LONG},
	{"+1 415 555 267", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	{"+1 415 555 26711", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_LONG},
	/* area code (NPA) rules */
	{"015 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_START},
	{"115 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_START},
	{"495 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_NINE},
	{"411 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_N11},
	{"911 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_N11},
	{"375 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_RESERVED},
	{"370 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_RESERVED},
	{"963 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_AREA_CODE_RESERVED},
	/* exchange (NXX) rules */
	{"415 055 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_START},
	{"415 155 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_START},
	{"415 411 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_N11},
	/* toll-free exchanges may be N11: real numbers */
	{"1-800-411-2671", SB_OK, SB_PHONE_TOLL_FREE, "+18004112671", "", 0},
	{"1-888-911-2671", SB_OK, SB_PHONE_TOLL_FREE, "+18889112671", "", 0},
	{"1-800-055-2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_START},
	{"1-900-411-2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_N11},
	{"415 911 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EXCHANGE_N11},
	/* pasted: Unicode spaces, dashes and minus; full-width forms; invisible marks */
	{"(415)\xc2\xa0" "555\xe2\x80\x93" "2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"415\xe2\x88\x92" "555\xe2\x88\x92" "2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"415\xe2\x80\x94" "555\xe2\x80\x91" "2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"+1\xe2\x80\xaf" "415\xe2\x80\x89" "555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"\xe2\x80\xaa+1 (415) 555-2671\xe2\x80\xac", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"\xef\xbb\xbf" "4155552671\xe2\x80\x8b", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"\xef\xbc\x8b\xef\xbc\x91\xef\xbc\x88\xef\xbc\x94\xef\xbc\x91\xef\xbc\x95\xef\xbc\x89"
	 "555-2671",
	 SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"415\xe3\x80\x80" "555 2671", SB_OK, SB_PHONE_GEOGRAPHIC, "+14155552671", "US", 0},
	{"415\xe2\x80\x93", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	{"\xe2\x80\x93\xc2\xa0", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EMPTY},
	{"415\xe2\x80 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},      /* a cut sequence */
	{"415\xc0\xa0" "555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},     /* overlong */
	{"415\xe0\x80\xa0" "555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER}, /* overlong */
	{"415\xe2\x80\xa2" "555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER}, /* a bullet */
	{"\xd9\xa4\xd9\xa1\xd9\xa5 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER}, /* Arabic-Indic digits */
	{"\xef\xbc\x8b\xef\xbc\x8b" "14155552671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	/* malformed */
	{"", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EMPTY},
	{"()- .", SB_EPHONE, 0, "", "", SB_PHONE_ERR_EMPTY},
	{"1-800-FLOWERS", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	{"415 555 2671 x12", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	{"415+555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	{"++14155552671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	{"41\xc3\xa9 555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_CHARACTER},
	{"555 2671", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_SHORT},
	{"24155526712", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_LONG},
	{"1415555267123", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_LONG},
	{"1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", SB_EPHONE, 0, "", "", SB_PHONE_ERR_TOO_LONG},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const row *r = &rows[i];
		sb_phone ph;
		memset(&ph, 0x5a, sizeof ph);
		int rc = sb_phone_parse(&ph, r->typed);
		if (rc != r->rc || ph.kind != r->kind || strcmp(ph.number, r->number) != 0 ||
		    strcmp(ph.country, r->country) != 0 || ph.problem != r->problem)
			fail_msg("row %zu \"%s\": rc %d kind %s number \"%s\" country \"%s\" problem %d (%s)", i, r->typed,
			         rc, sb_phone_kind_name(ph.kind), ph.number, ph.country, ph.problem,
			         sb_phone_problem_text(ph.problem));
	}
}

static void test_nanp_predicate(void **state)
{
	(void)state;
	sb_phone ph;
	assert_int_equal(sb_phone_parse(&ph, "(415) 555-2671"), SB_OK);
	assert_true(sb_phone_is_nanp(&ph));
	assert_int_equal(sb_phone_parse(&ph, "1-800-555-2671"), SB_OK);
	assert_true(sb_phone_is_nanp(&ph));
	assert_int_equal(sb_phone_parse(&ph, "+44 20 7946 0958"), SB_OK);
	assert_false(sb_phone_is_nanp(&ph));
	assert_int_equal(sb_phone_parse(&ph, "911"), SB_OK);
	assert_false(sb_phone_is_nanp(&ph));
	assert_int_equal(sb_phone_parse(&ph, "123"), SB_EPHONE);
	assert_false(sb_phone_is_nanp(&ph));
	assert_false(sb_phone_is_nanp(NULL));
}

/* C14 and seed 004: texts reach the US (and its territories) and Canada. */
static void test_textable(void **state)
{
	(void)state;
	static const struct {
		const char *typed;
		int textable;
	} cases[] = {
	    {"(415) 555-2671", 1}, {"604-555-2671", 1}, {"787 555 2671", 1}, {"671 555 2671", 1},
	    {"1-800-411-2671", 1}, {"415 555 0100", 1}, {"876 555 2671", 0}, {"809 555 2671", 0},
	    {"441 555 2671", 0},   {"900 555 2671", 0}, {"+44 20 7946 0958", 0}, {"911", 0},
	    {"112", 0},            {"411", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sb_phone ph;
		assert_int_equal(sb_phone_parse(&ph, cases[i].typed), SB_OK);
		if (!sb_phone_is_textable(&ph) != !cases[i].textable)
			fail_msg("\"%s\" (%s, %s): textable should be %d", cases[i].typed, sb_phone_kind_name(ph.kind),
			         ph.country, cases[i].textable);
	}
	sb_phone bad;
	assert_int_equal(sb_phone_parse(&bad, "123"), SB_EPHONE);
	assert_false(sb_phone_is_textable(&bad));
	assert_false(sb_phone_is_textable(NULL));
}

static void test_bad_arguments(void **state)
{
	(void)state;
	sb_phone ph;
	assert_int_equal(sb_phone_parse(NULL, "4155552671"), SB_EINVAL);
	assert_int_equal(sb_phone_parse(&ph, NULL), SB_EINVAL);
	assert_int_equal(ph.kind, SB_PHONE_INVALID);
}

static void test_names_and_texts(void **state)
{
	(void)state;
	assert_string_equal(sb_phone_kind_name(SB_PHONE_TOLL_FREE), "toll_free");
	assert_string_equal(sb_phone_kind_name(SB_PHONE_EMERGENCY), "emergency");
	assert_string_equal(sb_phone_kind_name(99), "unknown");
	assert_string_equal(sb_phone_kind_name(-1), "unknown");
	for (int p = SB_PHONE_ERR_NONE; p <= SB_PHONE_ERR_EXCHANGE_N11; p++)
		assert_string_not_equal(sb_phone_problem_text(p), "unknown problem");
	assert_string_equal(sb_phone_problem_text(12), "unknown problem");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_nanp_predicate),
		cmocka_unit_test(test_textable),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_names_and_texts),
	};
	return cmocka_run_group_tests_name("phone", tests, NULL, NULL);
}
