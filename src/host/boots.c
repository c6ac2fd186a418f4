/*
 * boots.c - check 8: reboots nobody planned.
 *
 * Seed 002: "if the host rebooted on a date you do not remember, that
 * is a danger sign": an intruder's kernel module that crashes the host,
 * a reboot to load a trojaned kernel, or a logic bomb.  wtmp records
 * every boot (a BOOT_TIME record, user "reboot") and every orderly
 * shutdown (a RUN_LVL record: user "shutdown" from systemd, runlevel 0
 * or 6 from SysV init).  A boot with activity since the previous boot
 * but no shutdown record between them came after a crash, a power cut
 * or a reset.  On the running system the kernel's own boot time
 * (/proc/stat btime) must match a boot record when wtmp records boots at
 * all; one that does not means wtmp was cut or replaced.
 */
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define BTIME_SLACK_US (300 * 1000000LL)

static const struct ks_rule_info r_unplanned = {
	.id = "boot-unplanned",
	.title = N_("The host booted without shutting down first"),
	.severity = "medium", .taxonomy = "availability", .type = "outage",
	.advice = N_("A crash, a power cut or a reset: if nobody can explain "
	    "it, read the logs of the minutes before (seed 002: a reboot "
	    "nobody planned is a danger sign)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_missing = {
	.id = "boot-not-in-wtmp",
	.title = N_("The running kernel's boot is missing from wtmp"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("wtmp records boots on this host but not the current "
	    "one: the file was replaced or cut after the boot."),
	.path = KS_HOST_RULE_PATH,
};

static void
unplanned(struct ks_host *h, const struct ks_utmpfile *f, size_t i,
    const struct ks_utmp *boot, const struct ks_utmp *last, size_t last_i)
{
	struct ks_finding *fd = ks_hf_new(h, &r_unplanned, boot->time_us);
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_adds(&b, "last record before it: ");
	ks_buf_adds(&b, last->user);
	ks_buf_addc(&b, ' ');
	ks_buf_adds(&b, last->line);
	ks_buf_adds(&b, " at ");
	ks_host_time(h, &b, last->time_us);
	ks_buf_adds(&b, "; no shutdown record since the boot before");
	ks_hf_ev(h, fd, f->path, f->skipped + last_i + 1, b.p, b.len);
	ks_buf_reset(&b);
	ks_buf_adds(&b, "boot at ");
	ks_host_time(h, &b, boot->time_us);
	ks_buf_adds(&b, ", kernel ");
	ks_buf_adds(&b, boot->host);
	ks_hf_ev(h, fd, f->path, f->skipped + i + 1, b.p, b.len);
	if (ks_buf_failed(&b))
		h->oom = true;
	ks_buf_free(&b);
	ks_hf_add(h, fd);
}

/* Whether some boot record lies within the slack of t; counts boots. */
static bool
boot_near(const struct ks_utmpfile *f, int64_t t, size_t *boots)
{
	struct ks_utmp u;
	bool near = false;

	*boots = 0;
	for (size_t i = 0; i < f->nrec; i++) {
		ks_utmp_parse(f->p + i * KS_UTMP_SIZE, &u);
		if (u.type != KS_UT_BOOT_TIME)
			continue;
		(*boots)++;
		if (llabs(u.time_us - t) <= BTIME_SLACK_US)
			near = true;
	}
	return near;
}

static void
current_boot(struct ks_host *h, const struct ks_utmpfile *f)
{
	int64_t btime = ks_host_boot_time(h);
	struct ks_finding *fd;
	struct ks_utmp first;
	struct ks_buf b;
	size_t boots;

	if (btime == 0 || f->nrec == 0 || boot_near(f, btime, &boots) ||
	    boots == 0)
		return;
	ks_utmp_parse(f->p, &first);
	if (first.time_us > btime)
		return;
	fd = ks_hf_new(h, &r_missing, btime);
	ks_buf_init(&b);
	ks_buf_adds(&b, "btime ");
	ks_host_time(h, &b, btime);
	ks_hf_ev(h, fd, "/proc/stat", 0, b.p, b.len);
	ks_buf_reset(&b);
	ks_buf_addf(&b, "%zu boot records, none within %lld s of it", boots,
	    BTIME_SLACK_US / 1000000);
	ks_hf_ev(h, fd, f->path, 0, b.p, b.len);
	if (ks_buf_failed(&b))
		h->oom = true;
	ks_buf_free(&b);
	ks_hf_add(h, fd);
}

void
ks_check_boots(struct ks_host *h)
{
	struct ks_wtmp *w = ks_host_wtmp(h);
	const struct ks_utmpfile *f;
	struct ks_utmp u, last;
	bool shutdown = false, activity = false;
	size_t last_i = 0;

	if (w == NULL || !w->wtmp.present)
		return;
	f = &w->wtmp;
	memset(&last, 0, sizeof(last));
	for (size_t i = 0; i < f->nrec; i++) {
		ks_utmp_parse(f->p + i * KS_UTMP_SIZE, &u);
		if (u.zero)
			continue;
		if (u.type == KS_UT_BOOT_TIME) {
			if (activity && !shutdown && u.time_us >= h->o.since_us)
				unplanned(h, f, i, &u, &last, last_i);
			shutdown = activity = false;
		} else if (ks_utmp_is_shutdown(&u))
			shutdown = true;
		else if (u.type == KS_UT_USER || u.type == KS_UT_DEAD ||
		    u.type == KS_UT_LOGIN || u.type == KS_UT_INIT)
			activity = true;
		last = u;
		last_i = i;
	}
	if (h->live)
		current_boot(h, f);
}
