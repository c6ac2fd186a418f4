/*
 * host.c - `kansatsu host`: host triage of this system, or of one mounted
 * from a disk image (--root), as findings or as the plain views a person
 * reads (--show), and the host baseline (--save-baseline, --baseline).
 *
 * The checks live in src/host; this file parses the options, sets up the
 * time window (--since, seven days by default), shows progress on a
 * terminal, prints the findings with the shared printer, and lists on
 * stderr what could not be read or was skipped: a triage that is silent
 * about its blind spots would be trusted too much.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/scan.h"
#include "host/host.h"
#include "util/i18n.h"

#define DEFAULT_SINCE "7d"

struct host_opts {
	const char *root, *since, *tz, *hostname, *baseline, *save;
	unsigned checks;
	int view;
	bool jsonl, quiet, progress;
	int fail_on;
};

static const char usage_host[] = N_(
"usage: kansatsu host [OPTIONS]\n"
"\n"
"Host triage: the checklist an admin runs when an intrusion is feared\n"
"(w, who, last; ps; passwd, crontab, inetd.conf, rc scripts; shell\n"
"histories; reboots; SUID and hidden files), answered from the kernel's\n"
"and the files' own data.  No program of the host is run.\n"
"\n"
"  --root DIR          check the system mounted at DIR (a disk image);\n"
"                      checks of the running kernel are skipped\n"
"  --since TIME        \"recent\" starts at TIME (default 7d): logins,\n"
"                      changed files, boots (RFC 3339, a date, or 90m, 7d)\n"
"  --check LIST        only these checks: logins, processes, accounts,\n"
"                      persistence, files, history, boots, kernel,\n"
"                      sockets\n"
"  --show VIEW         print a view instead of findings: logins,\n"
"                      processes, accounts, persistence, sockets\n"
"  --baseline FILE     compare with a saved baseline (new accounts,\n"
"                      listeners)\n"
"  --save-baseline FILE  save this system's baseline to FILE\n"
"  --hostname NAME     host name of the findings (default: the system's)\n"
"  --tz ZONE           zone of the times shown (default: local)\n"
"  --format text|jsonl format of findings (default text)\n"
"  --fail-on SEVERITY  exit 1 on findings at or above it (default high)\n"
"  --no-progress       no progress line on a terminal\n"
"  -q, --quiet         no notes on stderr\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above\n"
"it, 2 usage or input error.\n");

enum {
	OPT_ROOT = 256, OPT_SINCE, OPT_CHECK, OPT_SHOW, OPT_BASELINE,
	OPT_SAVE, OPT_HOSTNAME, OPT_TZ, OPT_FORMAT, OPT_FAIL_ON,
	OPT_NO_PROGRESS,
};

static const struct option long_opts[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "save-baseline", required_argument, NULL, OPT_SAVE },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_opt(void *ctx, int c, const char *arg)
{
	struct host_opts *o = ctx;
	struct ks_err err;

	switch (c) {
	case OPT_ROOT: o->root = arg; break;
	case OPT_SINCE: o->since = arg; break;
	case OPT_CHECK:
		if (ks_host_checks_parse(arg, &o->checks, &err) < 0) {
			ks_cli_warn("--check: %s", err.msg);
			return -1;
		}
		break;
	case OPT_SHOW:
		if ((o->view = ks_host_view_parse(arg)) < 0) {
			ks_cli_warn(_("--show: '%s' is not logins, processes, "
			    "accounts, persistence or sockets"), arg);
			return -1;
		}
		break;
	case OPT_BASELINE: o->baseline = arg; break;
	case OPT_SAVE: o->save = arg; break;
	case OPT_HOSTNAME: o->hostname = arg; break;
	case OPT_TZ: o->tz = arg; break;
	case OPT_FORMAT: return ks_cli_format_opt(arg, &o->jsonl);
	case OPT_FAIL_ON: return ks_cli_fail_on_opt(arg, &o->fail_on);
	case OPT_NO_PROGRESS: o->progress = false; break;
	case 'q': o->quiet = true; break;
	default: return -1;
	}
	return 0;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int
parse_args(struct host_opts *o, int argc, char **argv)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->checks = KS_HOST_ALL;
	o->view = -1;
	o->progress = true;
	o->fail_on = KS_SEV_HIGH;
	if ((rc = ks_cli_getopt(argc, argv, long_opts, usage_host, parse_opt,
	    o)) != 0)
		return rc;
	if (optind < argc) {
		ks_cli_warn(_("host takes no arguments (use --root DIR for a "
		    "mounted image)"));
		return KS_EXIT_USAGE;
	}
	return 0;
}

/* The progress line: the check, and the path a long one is at. */
static void
on_progress(void *ctx, const char *check, const char *path)
{
	struct ks_progress *pr = ctx;
	struct ks_buf b;
	int64_t now;

	if (!pr->enabled)
		return;
	now = ks_now_us();
	if (path != NULL && now - pr->last_us < 200000)
		return;
	pr->last_us = now;
	ks_buf_init(&b);
	ks_buf_adds(&b, "\r\033[Kchecking ");
	ks_buf_adds(&b, check);
	if (path != NULL) {
		ks_buf_adds(&b, ": ");
		ks_escape_text(&b, path, strlen(path) > 60 ? 60 : strlen(path));
	}
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
	pr->shown = true;
}

/* What a run needs besides the options: the zone, window, baseline. */
struct host_env {
	struct ks_tz tz;
	struct ks_host_opts ho;
	struct ks_baseline *baseline;
	struct ks_progress progress;
	struct ks_host *host;
};

static int
setup(struct host_env *env, const char *root, const char *since,
    const char *tz, const char *hostname, const char *baseline,
    unsigned checks, bool progress)
{
	struct ks_err err;

	memset(env, 0, sizeof(*env));
	if (ks_tz_init(&env->tz, tz, &err) < 0) {
		ks_cli_warn("--tz: %s", err.msg);
		return -1;
	}
	env->ho.root = root;
	env->ho.hostname = hostname;
	env->ho.now_us = ks_now_us();
	env->ho.tz = &env->tz;
	env->ho.checks = checks;
	if (ks_time_parse_user(since ? since : DEFAULT_SINCE, &env->tz,
	    env->ho.now_us, &env->ho.since_us, &err) < 0) {
		ks_cli_warn("--since: %s", err.msg);
		return -1;
	}
	if (baseline != NULL &&
	    ks_baseline_load(&env->baseline, baseline, &err) < 0) {
		ks_cli_warn("--baseline: %s", err.msg);
		return -1;
	}
	env->ho.baseline = env->baseline;
	ks_progress_init(&env->progress, progress);
	env->ho.on_progress = on_progress;
	env->ho.ctx = &env->progress;
	if (ks_host_open(&env->host, &env->ho, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		return -1;
	}
	if (env->baseline != NULL && ks_baseline_host(env->baseline)[0] &&
	    strcmp(ks_baseline_host(env->baseline),
	    ks_host_name(env->host)) != 0)
		ks_cli_warn(_("--baseline: the baseline is of host '%s', this "
		    "is '%s'"), ks_baseline_host(env->baseline),
		    ks_host_name(env->host));
	return 0;
}

static void
teardown(struct host_env *env)
{
	ks_progress_done(&env->progress);
	ks_host_close(env->host);
	ks_baseline_free(env->baseline);
}

/* The notes (and unknown baseline records) as lines into b. */
static void
notes_text(const struct host_env *env, struct ks_buf *b)
{
	const char *const *notes;
	size_t n = ks_host_notes(env->host, &notes);

	for (size_t i = 0; i < n; i++)
		ks_buf_addf(b, "kansatsu: host: %s\n", notes[i]);
	if (env->baseline != NULL && ks_baseline_unknown(env->baseline) > 0)
		ks_buf_addf(b, _("kansatsu: host: the baseline has %zu records "
		    "of a later version, not used\n"),
		    ks_baseline_unknown(env->baseline));
}

static int
save_baseline(struct host_env *env, const char *path, bool quiet)
{
	struct ks_baseline *b;
	struct ks_err err;
	const struct ks_baseline_account *acc;
	const struct ks_baseline_listener *lis;

	if (ks_baseline_new(&b, ks_host_name(env->host), &err) < 0 ||
	    ks_host_baseline_accounts(env->host, b, &err) < 0 ||
	    ks_host_baseline_listeners(env->host, b, &err) < 0 ||
	    ks_baseline_save(b, path, env->ho.now_us, ks_tz_offset_utc(&env->tz,
	    env->ho.now_us / 1000000), &err) < 0) {
		ks_cli_warn("--save-baseline: %s", err.msg);
		ks_baseline_free(b);
		return -1;
	}
	if (!quiet)
		ks_cli_warn(_("baseline of %s saved to %s: %zu accounts, %zu "
		    "listeners"), ks_host_name(env->host), path,
		    ks_baseline_accounts(b, &acc), ks_baseline_listeners(b, &lis));
	ks_baseline_free(b);
	return 0;
}

static int
show(struct host_env *env, const struct host_opts *o)
{
	struct ks_buf out;
	struct ks_err err;
	int rc = KS_EXIT_OK;

	ks_buf_init(&out);
	if (ks_host_show(env->host, (enum ks_host_view)o->view, &out,
	    &err) < 0) {
		ks_cli_warn("%s", err.msg);
		rc = KS_EXIT_USAGE;
	} else if (ks_buf_flush(&out, STDOUT_FILENO) < 0) {
		ks_cli_warn(_("write error on standard output"));
		rc = KS_EXIT_USAGE;
	}
	ks_buf_free(&out);
	return rc;
}

static int
run_checks(struct host_env *env, const struct host_opts *o)
{
	struct ks_findings l;
	struct ks_buf out;
	struct ks_err err;
	bool fail;
	int rc = KS_EXIT_USAGE;

	ks_findings_init(&l);
	ks_buf_init(&out);
	if (ks_host_run(env->host, &l, &err) < 0) {
		ks_progress_done(&env->progress);
		ks_cli_warn("%s", err.msg);
		goto out;
	}
	ks_progress_done(&env->progress);
	ks_findings_sort(&l);
	fail = ks_cli_print_findings(&out, (const struct ks_finding *const *)l.v,
	    l.n, o->jsonl, o->quiet, o->fail_on);
	if (ks_buf_flush(&out, STDOUT_FILENO) < 0)
		ks_cli_warn(_("write error on standard output"));
	else
		rc = fail ? KS_EXIT_FINDINGS : KS_EXIT_OK;
out:
	ks_findings_free(&l);
	ks_buf_free(&out);
	return rc;
}

int
ks_cmd_host(int argc, char **argv)
{
	struct host_opts o;
	struct host_env env;
	struct ks_buf notes;
	int rc;

	if ((rc = parse_args(&o, argc, argv)) != 0)
		return rc < 0 ? KS_EXIT_OK : rc;
	if (setup(&env, o.root, o.since, o.tz, o.hostname, o.baseline,
	    o.checks, o.progress && !o.quiet) < 0) {
		teardown(&env);
		return KS_EXIT_USAGE;
	}
	rc = o.view >= 0 ? show(&env, &o) : run_checks(&env, &o);
	if (rc != KS_EXIT_USAGE && o.save != NULL &&
	    save_baseline(&env, o.save, o.quiet) < 0)
		rc = KS_EXIT_USAGE;
	if (!o.quiet) {
		ks_buf_init(&notes);
		notes_text(&env, &notes);
		ks_buf_flush(&notes, STDERR_FILENO);
		ks_buf_free(&notes);
	}
	teardown(&env);
	return rc;
}

int
ks_cli_host_collect(struct ks_host_collect *c)
{
	struct host_env env;
	struct ks_err err;
	int rc = 0;

	if (setup(&env, c->root, c->since, c->tz, c->hostname, c->baseline,
	    KS_HOST_ALL, c->progress) < 0) {
		teardown(&env);
		return KS_EXIT_USAGE;
	}
	snprintf(c->host, sizeof(c->host), "%s", ks_host_name(env.host));
	if (ks_host_run(env.host, c->findings, &err) < 0) {
		ks_progress_done(&env.progress);
		ks_cli_warn("%s", err.msg);
		rc = KS_EXIT_USAGE;
	}
	notes_text(&env, c->notes);
	teardown(&env);
	return rc;
}
