/* Practice settings (T1, T3). Not PHI. */
#include "access.h"

#include <string.h>

void sb_practice_settings_init(sb_practice_settings *s)
{
	if (!s)
		return;
	memset(s, 0, sizeof *s);
	s->version = SB_PRACTICE_SETTINGS_VERSION;
	s->assignment_on = 1;
}

int sb_practice_settings_get(sb_practice_settings *out, sb_practice *p, sb_id actor)
{
	sb_stmt *st;
	size_t n;
	int rc = sb_check_out(p, out, sizeof *out, "out");
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc != SB_OK)
		return rc;
	rc = sb_db_row(p->db, &st, "SELECT assignment_on, plan, billing_email FROM sb_practice WHERE id = ?", "i", p->id);
	if (rc != SB_OK)
		return sb_fail_store(p, rc, "reading the practice's settings");
	sb_practice_settings_init(out);
	out->assignment_on = sb_db_col_int(p->db, st, 0) != 0;
	const char *t = sb_db_col_text(p->db, st, 1, &n);
	sb_copy_text(out->plan, sizeof out->plan, t, n);
	t = sb_db_col_text(p->db, st, 2, &n);
	sb_copy_text(out->billing_email, sizeof out->billing_email, t, n);
	sb_db_release(p->db, st);
	return SB_OK;
}

static int check(sb_practice *p, const sb_practice_settings *s)
{
	if (!s)
		return sb_fail(p, SB_EINVAL, "settings are required");
	if (s->version != SB_PRACTICE_SETTINGS_VERSION)
		return sb_fail(p, SB_EVERSION, "sb_practice_settings version %u is not %u", s->version,
		               SB_PRACTICE_SETTINGS_VERSION);
	if (!memchr(s->plan, '\0', sizeof s->plan))
		return sb_fail(p, SB_ETOOBIG, "plan is longer than %u bytes", SB_PLAN_MAX);
	if (!memchr(s->billing_email, '\0', sizeof s->billing_email))
		return sb_fail(p, SB_ETOOBIG, "billing e-mail is longer than %u bytes", SB_BILLING_EMAIL_MAX);
	int rc = sb_check_text(p, s->plan, SB_PLAN_MAX, "plan");
	if (rc == SB_OK && s->billing_email[0])
		rc = sb_check_email(p, s->billing_email, "billing e-mail");
	return rc;
}

static int set_body(sb_practice *p, sb_id *id, const void *arg, int64_t now)
{
	const sb_practice_settings *s = arg;
	(void)id;
	(void)now;
	return sb_db_exec(p->db, "UPDATE sb_practice SET assignment_on = ?, plan = ?, billing_email = ? WHERE id = ?",
	                  "itti", (int64_t)(s->assignment_on != 0), s->plan, s->billing_email, p->id);
}

int sb_practice_settings_set(sb_practice *p, sb_id actor, const sb_practice_settings *s)
{
	int rc = sb_check_open(p);
	if (rc == SB_OK)
		rc = check(p, s);
	if (rc == SB_OK)
		rc = sb_check_actor(p, actor);
	if (rc == SB_OK)
		rc = sb_access_admin(p, actor, "change the practice's settings, plan and billing");
	if (rc != SB_OK)
		return rc;
	sb_id id = p->id;
	return sb_transact(p, actor, "practice.settings", "practice", &id, set_body, s, "changing the practice's settings");
}
