/*
 * cron.c - Vixie cron and its descendants (cronie, Debian's cron, the
 * BSDs): the commands it ran and the crontab changes it noticed.
 *
 * Seed 002 lists crontab as a place an intruder leaves a way back in, so
 * the lines that matter are "(root) CMD (command)", decoded as
 * cron-command with the crontab's owner in user.name, and the crontab
 * edits "(mity) REPLACE (mity)", "(mity) BEGIN EDIT (mity)", "(root)
 * RELOAD (/etc/crontab)", which have no action of their own in the shared
 * vocabulary and decode to user.name alone.  cron's lines about itself
 * ("(CRON) INFO (...)", "(*system*) RELOAD") name no user and are not
 * decoded.  The PAM session lines that cron writes ("pam_unix(cron:
 * session): session opened for user root(uid=0) by (uid=0)") are handed
 * to ks_dec_pam from here, so that they count as cron's.
 *
 * The "(user) KEYWORD (" shape with one of cron's keywords is specific
 * enough to be read through the content fallback as well.
 */
#include "decode/decode_int.h"

static const char *const keywords[] = {
	"CMD", "RELOAD", "REPLACE", "BEGIN EDIT", "END EDIT", "LIST",
	"DELETE", "MAIL", "CMDOUT", "CMDEND", "FAILED", "ORPHAN", "AUTH",
	"WRONG", "BAD", "ERROR", NULL,
};

/* "(" USER ") " KEYWORD [" (" ...] */
static bool
cron_line(struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str user, rest;
	const char *const *k;

	if (!ks_scan_lit(&s, "("))
		return false;
	user = ks_scan_until(&s, ')');
	if (user.n == 0 || memchr(user.p, ' ', user.n) != NULL ||
	    !ks_scan_lit(&s, ") "))
		return false;
	rest = ks_scan_rest(&s);
	for (k = keywords; *k != NULL; k++) {
		size_t n = strlen(*k);

		if (rest.n >= n && memcmp(rest.p, *k, n) == 0 &&
		    (rest.n == n || rest.p[n] == ' '))
			break;
	}
	if (*k == NULL)
		return false;
	/* cron about itself: "(CRON) INFO", "(*system*) RELOAD" */
	if (ks_str_eq(user, "CRON") || user.p[0] == '*')
		return false;
	if (strcmp(*k, "CMD") == 0)
		ks_fields_sets(f, KS_F_EVENT_ACTION, KS_ACT_CRON);
	ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	return true;
}

bool
ks_dec_cron(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	if (msg.n < 6)
		return false;
	if (msg.p[0] == '(')
		return cron_line(msg, f);
	if (msg.p[0] == 'p')
		return ks_dec_pam(ev, msg, f);
	return false;
}
