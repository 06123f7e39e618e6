/*
 * demo: open (or create) switchboard-demo.db, say which library is running and
 * what the store holds. Later features grow this into a simulated clinic day.
 *
 *   demo [path]     (default: switchboard-demo.db in the current directory)
 */
#include <stdio.h>
#include <switchboard.h>

static int report(sb_practice *p)
{
	int64_t rows = 0;
	int rc = sb_audit_verify(&rows, p, SB_ACTOR_SYSTEM);
	if (rc != SB_OK) {
		fprintf(stderr, "audit trail check failed: %s (%s)\n", sb_strerror(rc), sb_practice_errmsg(p));
		return rc;
	}
	printf("audit trail: %lld entries, chain intact\n", (long long)rows);

	sb_audit_entry page[5];
	size_t n = 0;
	int64_t from = rows > 5 ? rows - 5 : 0;
	rc = sb_audit_read(page, &n, p, SB_ACTOR_SYSTEM, from, 5);
	for (size_t i = 0; rc == SB_OK && i < n; i++)
		printf("  #%lld %-16s %s %lld\n", (long long)page[i].seq, page[i].action, page[i].object_kind,
		       (long long)page[i].object_id);
	return rc;
}

static void phone_examples(void)
{
	const char *typed[] = {"(415) 555-2671", "+1 604 555 0199", "1-800-555-0100", "911", "+44 20 7946 0958",
	                       "(123) 456-7890"};
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		sb_phone ph;
		if (sb_phone_parse(&ph, typed[i]) == SB_OK)
			printf("  %-18s -> %-13s %-13s %s\n", typed[i], ph.number, sb_phone_kind_name(ph.kind), ph.country);
		else
			printf("  %-18s -> refused: %s\n", typed[i], sb_phone_problem_text(ph.problem));
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "switchboard-demo.db";
	printf("switchboard %s\n", sb_version_string());

	sb_practice_options opts = SB_PRACTICE_OPTIONS_INIT;
	opts.store_path = path;
	opts.practice = "Maple Street Clinic";
	sb_practice *p = NULL;
	int rc = sb_practice_open(&p, &opts);
	if (rc != SB_OK) {
		fprintf(stderr, "cannot open %s: %s (%s)\n", path, sb_strerror(rc), sb_practice_errmsg(p));
		sb_practice_free(p);
		return 1;
	}
	printf("store %s: practice \"%s\" is id %lld\n", path, opts.practice, (long long)sb_practice_id(p));
	rc = report(p);
	printf("phone numbers as typed:\n");
	phone_examples();
	sb_practice_free(p);
	return rc == SB_OK ? 0 : 1;
}
