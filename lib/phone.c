/* Phone numbers: E.164 normalisation and NANP classification. */
#include <stdint.h>
#include <string.h>

#include "switchboard/errors.h"
#include "switchboard/phone.h"

#define NANP_DIGITS 10
#define E164_MIN 8
#define E164_MAX 15

/* Area codes of the NANP members other than the US (and of US territories
 * with their own ISO code). Every other valid geographic code is the US. */
static const struct {
	const char *country;
	const char *npas;
} members[] = {
	{"CA", "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 "
	       "450 460 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672 683 705 709 742 "
	       "753 778 780 782 807 819 825 867 873 879 902 905 942"},
	{"BS", "242"}, {"BB", "246"}, {"AI", "264"}, {"AG", "268"}, {"VG", "284"}, {"VI", "340"},
	{"KY", "345"}, {"BM", "441"}, {"GD", "473"}, {"TC", "649"}, {"JM", "658 876"}, {"MS", "664"},
	{"MP", "670"}, {"GU", "671"}, {"AS", "684"}, {"SX", "721"}, {"LC", "758"}, {"DM", "767"},
	{"VC", "784"}, {"PR", "787 939"}, {"DO", "809 829 849"}, {"TT", "868"}, {"KN", "869"},
};

static const char toll_free[] = "800 833 844 855 866 877 888";

/* Is the three-digit code at `npa` one of the space-separated codes in `list`? */
static int in_list(const char *list, const char *npa)
{
	for (const char *s = list; *s; s += s[3] ? 4 : 3)
		if (memcmp(s, npa, 3) == 0)
			return 1;
	return 0;
}

static const char *country_of(const char *npa)
{
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
		if (in_list(members[i].npas, npa))
			return members[i].country;
	return "US";
}

static int fail(sb_phone *out, int problem)
{
	memset(out, 0, sizeof *out);
	out->problem = problem;
	return SB_EPHONE;
}

static void set_number(sb_phone *out, int kind, const char *prefix, const char *digits, size_t n, const char *cc)
{
	memset(out, 0, sizeof *out);
	size_t p = strlen(prefix);
	memcpy(out->number, prefix, p);
	memcpy(out->number + p, digits, n);
	out->kind = kind;
	memcpy(out->country, cc, strlen(cc));
}

/* `d` holds exactly ten digits: area code, exchange, line. */
static int classify_nanp(sb_phone *out, const char *d)
{
	if (d[0] < '2')
		return fail(out, SB_PHONE_ERR_AREA_CODE_START);
	if (d[1] == '9')
		return fail(out, SB_PHONE_ERR_AREA_CODE_NINE);
	if (d[1] == '1' && d[2] == '1')
		return fail(out, SB_PHONE_ERR_AREA_CODE_N11);
	if ((d[0] == '3' && d[1] == '7') || (d[0] == '9' && d[1] == '6'))
		return fail(out, SB_PHONE_ERR_AREA_CODE_RESERVED);
	if (d[3] < '2')
		return fail(out, SB_PHONE_ERR_EXCHANGE_START);
	int free_call = in_list(toll_free, d);
	/* Toll-free exchanges are not dialling codes: 1-800-411-… is a real number. */
	if (d[4] == '1' && d[5] == '1' && !free_call)
		return fail(out, SB_PHONE_ERR_EXCHANGE_N11);
	if (free_call)
		set_number(out, SB_PHONE_TOLL_FREE, "+1", d, NANP_DIGITS, "");
	else if (memcmp(d, "900", 3) == 0)
		set_number(out, SB_PHONE_PREMIUM, "+1", d, NANP_DIGITS, "");
	else if (memcmp(d + 3, "55501", 5) == 0)
		set_number(out, SB_PHONE_FICTIONAL, "+1", d, NANP_DIGITS, country_of(d));
	else
		set_number(out, SB_PHONE_GEOGRAPHIC, "+1", d, NANP_DIGITS, country_of(d));
	return SB_OK;
}

/* Digits after a '+' (or after 011): country code first. */
static int classify_e164(sb_phone *out, const char *d, size_t n)
{
	if (d[0] == '0')
		return fail(out, SB_PHONE_ERR_COUNTRY_CODE);
	if (d[0] == '1') {
		if (n - 1 != NANP_DIGITS)
			return fail(out, n - 1 < NANP_DIGITS ? SB_PHONE_ERR_TOO_SHORT : SB_PHONE_ERR_TOO_LONG);
		return classify_nanp(out, d + 1);
	}
	if (n < E164_MIN)
		return fail(out, SB_PHONE_ERR_TOO_SHORT);
	if (n > E164_MAX)
		return fail(out, SB_PHONE_ERR_TOO_LONG);
	set_number(out, SB_PHONE_INTERNATIONAL, "+", d, n, "");
	return SB_OK;
}

static int classify_short_code(sb_phone *out, const char *d)
{
	int kind = 0;
	/* 112 is the GSM emergency number: every mobile sold here routes it to 911. */
	if (memcmp(d, "911", 3) == 0 || memcmp(d, "988", 3) == 0 || memcmp(d, "933", 3) == 0 ||
	    memcmp(d, "112", 3) == 0)
		kind = SB_PHONE_EMERGENCY;
	else if (d[0] >= '2' && d[1] == '1' && d[2] == '1')
		kind = SB_PHONE_SERVICE;
	if (!kind)
		return fail(out, SB_PHONE_ERR_TOO_SHORT);
	set_number(out, kind, "", d, 3, "");
	return SB_OK;
}

/* What one character of typed input is to a phone number. */
enum { CH_OTHER, CH_DIGIT, CH_PLUS, CH_SEPARATOR, CH_INVISIBLE };

/* Characters that arrive with numbers pasted from documents, web pages and
 * address books: no-break and other spaces, dashes and the minus sign,
 * full-width forms, and the invisible direction marks phones wrap numbers in. */
static const struct {
	uint32_t first, last;
	int as;
} wide[] = {
	{0x00A0, 0x00A0, CH_SEPARATOR}, /* no-break space */
	{0x2000, 0x200A, CH_SEPARATOR}, /* en quad … hair space */
	{0x200B, 0x200F, CH_INVISIBLE}, /* zero width space, joiners, LRM, RLM */
	{0x2010, 0x2015, CH_SEPARATOR}, /* hyphen, non-breaking hyphen, figure dash, en dash, em dash, bar */
	{0x202A, 0x202E, CH_INVISIBLE}, /* directional embedding and override */
	{0x202F, 0x202F, CH_SEPARATOR}, /* narrow no-break space */
	{0x205F, 0x205F, CH_SEPARATOR}, /* medium mathematical space */
	{0x2060, 0x2060, CH_INVISIBLE}, /* word joiner */
	{0x2212, 0x2212, CH_SEPARATOR}, /* minus sign */
	{0x3000, 0x3000, CH_SEPARATOR}, /* ideographic space */
	{0xFE63, 0xFE63, CH_SEPARATOR}, /* small hyphen-minus */
	{0xFEFF, 0xFEFF, CH_INVISIBLE}, /* byte order mark */
	{0xFF08, 0xFF09, CH_SEPARATOR}, /* full-width parentheses */
	{0xFF0B, 0xFF0B, CH_PLUS},      /* full-width plus */
	{0xFF0D, 0xFF0E, CH_SEPARATOR}, /* full-width hyphen-minus, full stop */
	{0xFF10, 0xFF19, CH_DIGIT},     /* full-width digits */
};

/* Decode one strict UTF-8 sequence of 2 or 3 bytes (every character above is
 * in the BMP); *len is its length, 0 when it is not one. */
static uint32_t decode(const unsigned char *s, size_t room, size_t *len)
{
	*len = 0;
	if (s[0] >= 0xC2 && s[0] <= 0xDF && room >= 2 && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0 && room >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		*len = c >= 0x800 ? 3 : 0; /* no overlong forms */
		return c;
	}
	return 0;
}

/* Classify the character at text[i]; *len is its length, *digit its value. */
static int character(const char *text, size_t i, size_t end, size_t *len, char *digit)
{
	unsigned char c = (unsigned char)text[i];
	*len = 1;
	if (c >= '0' && c <= '9') {
		*digit = (char)c;
		return CH_DIGIT;
	}
	if (c < 0x80)
		return c == '+' ? CH_PLUS : c && strchr(" \t-.()/", c) ? CH_SEPARATOR : CH_OTHER;
	uint32_t cp = decode((const unsigned char *)text + i, end - i, len);
	for (size_t k = 0; *len && k < sizeof wide / sizeof wide[0]; k++)
		if (cp >= wide[k].first && cp <= wide[k].last) {
			if (wide[k].as == CH_DIGIT)
				*digit = (char)('0' + (cp - 0xFF10));
			return wide[k].as;
		}
	return CH_OTHER;
}

/* Keep the digits of `text`; separators people type are skipped. */
static int collect_digits(sb_phone *out, const char *text, char *d, size_t *n, int *plus)
{
	size_t len = strnlen(text, SB_PHONE_INPUT_MAX + 1);
	if (len > SB_PHONE_INPUT_MAX)
		return fail(out, SB_PHONE_ERR_TOO_LONG);
	*n = 0;
	*plus = 0;
	for (size_t i = 0, step; i < len; i += step) {
		char digit = 0;
		int kind = character(text, i, len, &step, &digit);
		if (kind == CH_DIGIT) {
			if (*n == E164_MAX + 3) /* "011" + 15 digits is the longest we accept */
				return fail(out, SB_PHONE_ERR_TOO_LONG);
			d[(*n)++] = digit;
		} else if (kind == CH_PLUS && *n == 0 && !*plus)
			*plus = 1;
		else if (kind != CH_SEPARATOR && kind != CH_INVISIBLE)
			return fail(out, SB_PHONE_ERR_CHARACTER);
	}
	return *n ? SB_OK : fail(out, SB_PHONE_ERR_EMPTY);
}

int sb_phone_parse(sb_phone *out, const char *text)
{
	if (!out)
		return SB_EINVAL;
	if (!text) {
		memset(out, 0, sizeof *out);
		return SB_EINVAL;
	}
	char d[E164_MAX + 4];
	size_t n;
	int plus;
	int rc = collect_digits(out, text, d, &n, &plus);
	if (rc != SB_OK)
		return rc;
	if (plus)
		return classify_e164(out, d, n);
	if (n > 3 && memcmp(d, "011", 3) == 0)
		return classify_e164(out, d + 3, n - 3);
	if (n == 3)
		return classify_short_code(out, d);
	if (n == NANP_DIGITS)
		return classify_nanp(out, d);
	if (n == NANP_DIGITS + 1 && d[0] == '1')
		return classify_nanp(out, d + 1);
	return fail(out, n < NANP_DIGITS ? SB_PHONE_ERR_TOO_SHORT : SB_PHONE_ERR_TOO_LONG);
}

int sb_phone_is_nanp(const sb_phone *phone)
{
	return phone && phone->number[0] == '+' && phone->number[1] == '1' && phone->kind != SB_PHONE_INVALID;
}

/* Texting reaches the US (with its territories) and Canada (seed 004, C14). */
static const char *const textable[] = {"US", "CA", "PR", "VI", "GU", "MP", "AS"};

int sb_phone_is_textable(const sb_phone *phone)
{
	if (!sb_phone_is_nanp(phone) || phone->kind == SB_PHONE_PREMIUM)
		return 0;
	if (phone->kind == SB_PHONE_TOLL_FREE)
		return 1;
	for (size_t i = 0; i < sizeof textable / sizeof textable[0]; i++)
		if (strcmp(phone->country, textable[i]) == 0)
			return 1;
	return 0;
}

const char *sb_phone_kind_name(int kind)
{
	static const char *const names[] = {"invalid", "geographic", "toll_free", "premium",
	                                    "fictional", "service", "emergency", "international"};
	return kind >= 0 && kind < (int)(sizeof names / sizeof names[0]) ? names[kind] : "unknown";
}

const char *sb_phone_problem_text(int problem)
{
	static const char *const texts[] = {
		"no problem",
		"there are no digits",
		"only digits, spaces, dashes, dots, parentheses and a leading + may appear",
		"too few digits",
		"too many digits (international numbers start with + or 011)",
		"a country code cannot start with 0",
		"an area code cannot start with 0 or 1",
		"an area code cannot have 9 as its middle digit",
		"an area code cannot be of the N11 form",
		"area codes 37X and 96X are reserved",
		"an exchange cannot start with 0 or 1",
		"an exchange cannot be of the N11 form",
	};
	return problem >= 0 && problem < (int)(sizeof texts / sizeof texts[0]) ? texts[problem] : "unknown problem";
}
