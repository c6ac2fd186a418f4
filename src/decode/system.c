/*
 * system.c - boots, shutdowns, runlevel changes, and the logger itself
 * starting and stopping.
 *
 * Seed 002 asks to look for "reboots nobody planned" and warns that an
 * intruder may stop or restart syslogd to leave a hole in the log; so the
 * kernel's boot banner is a boot event, init's runlevel 0 or 6 and
 * shutdown's own lines are shutdown events, and every way a syslogd says
 * it started or stopped is a syslog-start or syslog-stop event.  The rest
 * of what the kernel prints at boot (the hardware it found) decodes to
 * nothing.
 *
 *   kernel:   "Linux version 2.2.25 (root@school) ..." (also after a
 *             "[    0.000000] " stamp; "Command line: ..." is not it),
 *             "FreeBSD 4.8-RELEASE #0: ...", "Kernel logging (proc)
 *             stopped.", "Kernel log daemon terminating.", "klogd 1.3-3,
 *             log source = /proc/kmsg started.", "Restarting system.",
 *             "reboot: Power down"
 *   syslogd:  "restart." (sysklogd's "syslogd 1.3-3: restart." frames as
 *             program syslogd), "exiting on signal 15" (sysklogd writes it
 *             without a program name, so it arrives with none)
 *   rsyslogd: "[origin software=\"rsyslogd\" ...] start", "[origin ...]
 *             exiting on signal 15."
 *   syslog:   Red Hat's init scripts, "syslogd startup succeeded",
 *             "klogd shutdown succeeded"
 *   init:     "Switching to runlevel: 6", "Entering runlevel: 3"
 *   shutdown: "shutting down for system reboot", BSD "reboot by root:"
 *   systemd-logind: "System is rebooting.", "System is powering down."
 *             (systemd's own lines are known and decode to nothing: they
 *             are not run through every decoder as an unknown program's)
 *
 * The generic messages ("restart.", "exiting on signal 15") are read
 * only when the program is a syslogd or missing, so that the content
 * fallback does not take another daemon's exit for the logger's.
 */
#include "decode/decode_int.h"

static bool
ends_with(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

static bool
event(struct ks_fields *f, const char *action)
{
	ks_fields_sets(f, KS_F_EVENT_ACTION, action);
	return true;
}

/* "Linux version 6.1.0-13-amd64 (...)", "OpenBSD 3.3 (GENERIC) #44: ..." */
static bool
kernel_banner(struct ks_str m)
{
	static const char *const banners[] = { "Linux version ", "FreeBSD ",
	    "OpenBSD ", "NetBSD ", NULL };

	for (const char *const *b = banners; *b != NULL; b++) {
		size_t n = strlen(*b);

		if (m.n > n && memcmp(m.p, *b, n) == 0 && ks_isdigit(m.p[n]))
			return true;
	}
	return false;
}

static bool
kernel(struct ks_str m, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(m);

	/* "[    0.000000] " printk time */
	if (m.n > 0 && m.p[0] == '[' && ks_scan_past(&s, "] ")) {
		m = ks_scan_rest(&s);
		ks_str_skip_spaces(&m);
	}
	if (kernel_banner(m))
		return event(f, KS_ACT_BOOT);
	if (ks_str_starts(m, "Kernel logging (")) {
		if (ends_with(m, ") stopped."))
			return event(f, KS_ACT_SYSLOG_STOP);
		if (ends_with(m, ") started."))
			return event(f, KS_ACT_SYSLOG_START);
		return false;
	}
	if (ks_str_eq(m, "Kernel log daemon terminating."))
		return event(f, KS_ACT_SYSLOG_STOP);
	/* klogd, rsyslog's imklog: "klogd 1.3-3, log source = X started." */
	if ((ks_str_starts(m, "klogd ") || ks_str_starts(m, "imklog ")) &&
	    ks_str_after(m, ", log source = ") != NULL &&
	    ends_with(m, " started."))
		return event(f, KS_ACT_SYSLOG_START);
	if (ks_str_starts(m, "Restarting system") ||
	    ks_str_starts(m, "reboot: Restarting system") ||
	    ks_str_starts(m, "reboot: Power down") ||
	    ks_str_starts(m, "reboot: System halted") ||
	    ks_str_eq(m, "System halted.") || ks_str_eq(m, "Power down."))
		return event(f, KS_ACT_SHUTDOWN);
	return false;
}

/* sysklogd and BSD syslogd about themselves. */
static bool
syslogd(struct ks_str m, bool anon, struct ks_fields *f)
{
	if (ks_str_starts(m, "restart"))
		return event(f, KS_ACT_SYSLOG_START);
	if (ks_str_starts(m, "exiting on signal "))
		return event(f, KS_ACT_SYSLOG_STOP);
	/* an unframed "syslogd 1.3-3: restart." */
	if (anon && ks_str_starts(m, "syslogd ") &&
	    ks_str_after(m, ": restart") != NULL)
		return event(f, KS_ACT_SYSLOG_START);
	return false;
}

/* "[origin software=\"rsyslogd\" ...] start" */
static bool
rsyslog(struct ks_str m, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(m);

	if (!ks_scan_lit(&s, "[origin software=\"") || !ks_scan_past(&s, "] "))
		return false;
	m = ks_scan_rest(&s);
	if (ks_str_eq(m, "start"))
		return event(f, KS_ACT_SYSLOG_START);
	if (ks_str_starts(m, "exiting on signal "))
		return event(f, KS_ACT_SYSLOG_STOP);
	return false;       /* "rsyslogd was HUPed" and the like */
}

/* Red Hat init scripts: "syslogd startup succeeded" */
static bool
initscript(struct ks_str m, struct ks_fields *f)
{
	static const char *const loggers[] = { "syslogd", "klogd", "rsyslogd",
	    "syslog-ng", "rsyslog", NULL };
	struct ks_scan s = ks_scan_of(m);
	struct ks_str who = ks_scan_until(&s, ' ');
	const char *action;

	if (!ks_str_in(who, loggers))
		return false;
	if (ks_scan_lit(&s, " startup "))
		action = KS_ACT_SYSLOG_START;
	else if (ks_scan_lit(&s, " shutdown "))
		action = KS_ACT_SYSLOG_STOP;
	else
		return false;
	m = ks_scan_rest(&s);
	if (ks_str_eq(m, "succeeded"))
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, KS_OUT_SUCCESS);
	else if (ks_str_eq(m, "failed"))
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, KS_OUT_FAILURE);
	else
		return false;
	return event(f, action);
}

/* sysvinit: "Switching to runlevel: 6", "Entering runlevel: 3" */
static bool
runlevel(struct ks_str m, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(m);

	(void)ks_scan_lit(&s, "INIT: ");
	if (!ks_scan_lit(&s, "Switching to runlevel: ") &&
	    !ks_scan_lit(&s, "Entering runlevel: "))
		return false;
	if (ks_scan_left(&s) == 0)
		return false;
	if (*s.p == '0' || *s.p == '6')
		return event(f, KS_ACT_SHUTDOWN);
	return event(f, KS_ACT_RUNLEVEL);
}

/*
 * shutdown(8) and reboot(8): Linux "shutting down for system reboot",
 * BSD "reboot by root: reason", "halt by root", "rebooted by root".
 */
static bool
shutdown_msg(struct ks_str m, struct ks_fields *f)
{
	static const char *const verbs[] = { "reboot by ", "halt by ",
	    "power-down by ", "rebooted by ", "halted by ", NULL };
	struct ks_scan s = ks_scan_of(m);

	if (ks_str_starts(m, "shutting down for ") ||
	    ks_str_eq(m, "System is rebooting.") ||
	    ks_str_eq(m, "System is powering down.") ||
	    ks_str_eq(m, "System is halting."))
		return event(f, KS_ACT_SHUTDOWN);
	for (const char *const *v = verbs; *v != NULL; v++) {
		if (!ks_scan_lit(&s, *v))
			continue;
		struct ks_str user = ks_str_rtrim(ks_scan_word(&s), ":");

		if (user.n > 0)
			ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
		return event(f, KS_ACT_SHUTDOWN);
	}
	return false;
}

bool
ks_dec_system(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	static const char *const syslogds[] = { "syslogd", "syslog",
	    "rsyslogd", NULL };
	static const char *const shutdowns[] = { "shutdown", "reboot",
	    "halt", "init", "systemd-logind", NULL };
	struct ks_str prog = ev->program;
	bool anon = prog.n == 0;

	if (msg.n < 5)
		return false;
	if (msg.p[0] == '[' && msg.p[1] == 'o')
		return rsyslog(msg, f);
	if ((anon || ks_str_eq(prog, "kernel")) && kernel(msg, f))
		return true;
	if ((anon || ks_str_in(prog, syslogds)) && syslogd(msg, anon, f))
		return true;
	if ((anon || ks_str_in(prog, shutdowns)) && shutdown_msg(msg, f))
		return true;
	switch (msg.p[0]) {
	case 's':
	case 'k':
	case 'r':
		return initscript(msg, f);
	case 'S':
	case 'E':
	case 'I':
		return runlevel(msg, f);
	default:
		return false;
	}
}
