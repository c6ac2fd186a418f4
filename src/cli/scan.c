/*
 * scan.c - `kansatsu scan`: the main job.  The logs of the host (as
 * `kansatsu logs` reads them) and host triage (as `kansatsu host` runs
 * it), one list of findings, and above it the verdict a person reads
 * first, at 3 a.m.: intrusion evident, suspicious, or nothing found, with
 * the three findings that decided it.
 *
 * The verdict is deliberately simple, so that a person can check it:
 * evident when a finding is critical, or high with an outcome of success
 * or likely success (a uid-0 backdoor, a hidden process, a SUID shell in
 * /tmp, a sendmail exploit that delivered); suspicious when one is high
 * or medium; nothing found otherwise.  With --format jsonl, stdout stays
 * pure JSON Lines and the verdict goes to stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/scan.h"
#include "detect/detect.h"
#include "geo/geo.h"
#include "integrity/integrity.h"
#include "report/report.h"
#include "util/i18n.h"

#define ARGS_MAX 64
#define DECIDING 3

struct scan_opts {
	const char *root, *since, *tz, *hostname, *baseline;
	const char *location_db, *verify_db, *pubkey;
	bool jsonl, quiet, progress, packages;
	int fail_on;
	/* the options handed on to the log half */
	char *largv[ARGS_MAX + 8];
	int largc;
	char journal_dir[4096], log_dir[4096];
};

static const char usage_scan[] = N_(
"usage: kansatsu scan [OPTIONS]\n"
"\n"
"Everything kansatsu can check on this host: its logs (as kansatsu logs\n"
"reads /var/log and the journal) and host triage (as kansatsu host runs\n"
"it), in one list of findings under a verdict: intrusion evident,\n"
"suspicious, or nothing found, with the three findings that decided it.\n"
"\n"
"  --root DIR          a system mounted at DIR: its /var/log and files\n"
"  --since TIME        only log events and recent changes since TIME\n"
"  --tz ZONE           zone of log lines without one, and of times shown\n"
"  --hostname NAME     host name of the findings\n"
"  --baseline FILE     compare with a saved host baseline\n"
"  --verify-db FILE    also verify the files against this signed file\n"
"                      baseline (kansatsu baseline), with --pubkey FILE\n"
"  --packages          also verify the installed packages' files against\n"
"                      dpkg's md5sums (slow: reads every packaged file)\n"
"  --location-db FILE  libloc database for country and AS attribution\n"
"  --journal-dir DIR   also read the journal files in DIR\n"
"  --rules PATH        add the Sigma rules in PATH (file or directory)\n"
"  --no-bundled-rules  only the rules given with --rules\n"
"  --format text|jsonl format of findings (default text; with jsonl the\n"
"                      verdict goes to stderr)\n"
"  --fail-on SEVERITY  exit 1 on findings at or above it (default high)\n"
"  --no-progress       no progress line on a terminal\n"
"  -q, --quiet         no verdict on stderr, no summary, no notes\n"
"  -h, --help          this help\n"
"\n"
"  --report [OPTIONS]  write the incident report of the findings instead;\n"
"                      the options after it are kansatsu report's\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above\n"
"it, 2 usage or input error.\n");

enum {
	OPT_ROOT = 256, OPT_SINCE, OPT_TZ, OPT_HOSTNAME, OPT_BASELINE,
	OPT_RULES, OPT_NO_BUNDLED, OPT_FORMAT, OPT_FAIL_ON, OPT_NO_PROGRESS,
	OPT_LOCATION_DB, OPT_VERIFY_DB, OPT_PUBKEY, OPT_PACKAGES, OPT_JOURNAL_DIR,
};

static const struct option long_opts[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-bundled-rules", no_argument, NULL, OPT_NO_BUNDLED },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "location-db", required_argument, NULL, OPT_LOCATION_DB },
	{ "verify-db", required_argument, NULL, OPT_VERIFY_DB },
	{ "pubkey", required_argument, NULL, OPT_PUBKEY },
	{ "packages", no_argument, NULL, OPT_PACKAGES },
	{ "journal-dir", required_argument, NULL, OPT_JOURNAL_DIR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Hands an option (and its value) on to the log half. */
static int
pass(struct scan_opts *o, const char *opt, const char *val)
{
	if (o->largc + 2 > ARGS_MAX) {
		ks_cli_warn(_("too many options"));
		return -1;
	}
	o->largv[o->largc++] = (char *)opt;
	if (val != NULL)
		o->largv[o->largc++] = (char *)val;
	return 0;
}

static int
parse_opt(void *ctx, int c, const char *arg)
{
	struct scan_opts *o = ctx;

	switch (c) {
	case OPT_ROOT: o->root = arg; return 0;
	case OPT_SINCE: o->since = arg; return pass(o, "--since", arg);
	case OPT_TZ: o->tz = arg; return pass(o, "--tz", arg);
	case OPT_HOSTNAME: o->hostname = arg; return pass(o, "--hostname", arg);
	case OPT_BASELINE: o->baseline = arg; return 0;
	case OPT_RULES: return pass(o, "--rules", arg);
	case OPT_NO_BUNDLED: return pass(o, "--no-bundled-rules", NULL);
	case OPT_FORMAT: return ks_cli_format_opt(arg, &o->jsonl);
	case OPT_FAIL_ON: return ks_cli_fail_on_opt(arg, &o->fail_on);
	case OPT_NO_PROGRESS: o->progress = false; return 0;
	case OPT_LOCATION_DB: o->location_db = arg; return 0;
	case OPT_VERIFY_DB: o->verify_db = arg; return 0;
	case OPT_PUBKEY: o->pubkey = arg; return 0;
	case OPT_PACKAGES: o->packages = true; return 0;
	case OPT_JOURNAL_DIR: return pass(o, "--journal-dir", arg);
	case 'q': o->quiet = true; return 0;
	default: return -1;
	}
}

/* The log half reads the image's /var/log (and journal) under --root. */
static int
root_sources(struct scan_opts *o)
{
	struct stat st;

	if (o->root == NULL)
		return 0;
	snprintf(o->journal_dir, sizeof(o->journal_dir), "%s/var/log/journal",
	    o->root);
	if (stat(o->journal_dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    pass(o, "--journal-dir", o->journal_dir) < 0)
		return -1;
	snprintf(o->log_dir, sizeof(o->log_dir), "%s/var/log", o->root);
	return pass(o, o->log_dir, NULL);
}

/* 0 to go on, -1 after --help, else the exit status. */
static int
parse_args(struct scan_opts *o, int argc, char **argv)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->progress = true;
	o->fail_on = KS_SEV_HIGH;
	o->largv[o->largc++] = (char *)"scan";
	if ((rc = ks_cli_getopt(argc, argv, long_opts, usage_scan, parse_opt,
	    o)) != 0)
		return rc;
	if (optind < argc) {
		ks_cli_warn(_("scan takes no paths (use kansatsu logs PATH... or "
		    "scan --root DIR)"));
		return KS_EXIT_USAGE;
	}
	if ((!o->progress || o->quiet) && pass(o, "--no-progress", NULL) < 0)
		return KS_EXIT_USAGE;
	if (o->quiet && pass(o, "-q", NULL) < 0)
		return KS_EXIT_USAGE;
	if (root_sources(o) < 0)
		return KS_EXIT_USAGE;
	o->largv[o->largc] = NULL;
	return 0;
}

/* ---- the verdict ------------------------------------------------------- */

enum verdict { NOTHING, SUSPICIOUS, EVIDENT };

static bool
succeeded(const struct ks_finding *fd)
{
	const char *out = fd->rule->outcome;

	return out != NULL && (strcmp(out, "success") == 0 ||
	    strcmp(out, "likely-success") == 0);
}

static enum verdict
verdict_of(const struct ks_finding *fd)
{
	int rank = ks_severity_rank(fd->rule->severity);

	if (rank >= KS_SEV_CRITICAL || (rank == KS_SEV_HIGH && succeeded(fd)))
		return EVIDENT;
	return rank >= KS_SEV_MEDIUM ? SUSPICIOUS : NOTHING;
}

/*
 * The findings that decide: the most severe first (evident ones before
 * the others), one per rule, at most DECIDING.
 */
static size_t
deciding(const struct ks_findings *l, enum verdict v,
    const struct ks_finding **out)
{
	size_t n = 0;

	for (int pass_no = 0; pass_no < 2; pass_no++)
		for (size_t i = 0; i < l->n && n < DECIDING; i++) {
			const struct ks_finding *fd = l->v[i];
			bool dup = false;

			if (verdict_of(fd) == NOTHING ||
			    (pass_no == 0) != (verdict_of(fd) == v))
				continue;
			for (size_t j = 0; j < n && !dup; j++)
				dup = strcmp(out[j]->rule->id, fd->rule->id) == 0;
			if (!dup)
				out[n++] = fd;
		}
	return n;
}

static void
one_line(struct ks_buf *b, const struct ks_finding *fd, size_t i)
{
	char sev[16];
	size_t k;

	for (k = 0; fd->rule->severity[k] != '\0' && k < sizeof(sev) - 1; k++)
		sev[k] = (char)(fd->rule->severity[k] - 32);
	sev[k] = '\0';
	ks_buf_addf(b, "  %zu. %-8s ", i + 1, sev);
	ks_escape_text(b, fd->rule->id, strlen(fd->rule->id));
	ks_buf_adds(b, ": ");
	ks_escape_text(b, ks_tr(fd->rule->title),
	    strlen(ks_tr(fd->rule->title)));
	ks_buf_adds(b, "\n              ");
	if (fd->nev > 0) {
		const struct ks_evidence *e = &fd->ev[0];
		size_t n = strlen(e->text);

		ks_escape_text(b, e->path, strlen(e->path));
		if (e->line > 0)
			ks_buf_addf(b, ":%llu", (unsigned long long)e->line);
		ks_buf_adds(b, ": ");
		ks_escape_text(b, e->text, n > 100 ? 100 : n);
		if (n > 100)
			ks_buf_adds(b, "...");
	}
	if (fd->count > 1)
		ks_buf_addf(b, _(" (and %llu more)"),
		    (unsigned long long)(fd->count - 1));
	ks_buf_addc(b, '\n');
}

static void
verdict_text(struct ks_buf *b, const struct ks_findings *l, const char *host,
    int64_t now_us, int32_t off)
{
	static const char *const names[] = { N_("NOTHING FOUND"),
	    N_("SUSPICIOUS"), N_("INTRUSION EVIDENT") };
	static const char *const sevs[] = { "info", "low", "medium", "high",
	    "critical" };
	const struct ks_finding *top[DECIDING];
	size_t counts[5] = { 0 }, n;
	enum verdict v = NOTHING;

	for (size_t i = 0; i < l->n; i++) {
		int r = ks_severity_rank(l->v[i]->rule->severity);

		counts[r < 0 ? 0 : r]++;
		if (verdict_of(l->v[i]) > v)
			v = verdict_of(l->v[i]);
	}
	/* TRANSLATORS: followed by the host name, a comma and the time */
	ks_buf_adds(b, _("kansatsu scan of "));
	ks_escape_text(b, host, strlen(host));
	ks_buf_adds(b, ", ");
	ks_time_format(b, now_us / 1000000 * 1000000, off);
	ks_buf_addc(b, '\n');
	ks_buf_addf(b, _("VERDICT: %s\n"), _(names[v]));
	n = deciding(l, v, top);
	if (n > 0)
		ks_buf_adds(b, _("  Decided by:\n"));
	for (size_t i = 0; i < n; i++)
		one_line(b, top[i], i);
	ks_buf_addf(b, _("  %zu findings:"), l->n);
	for (int s = 4; s >= 0; s--)
		if (counts[s] > 0)
			ks_buf_addf(b, " %zu %s", counts[s], sevs[s]);
	ks_buf_adds(b, l->n > 0 ? _("; all follow, most severe first.\n") :
	    ".\n");
	if (v == EVIDENT)
		ks_buf_adds(b, _("  Next: do not reboot or clean up yet (seed 002: "
		    "a logic bomb may wait for\n  a reboot or a root login). Save "
		    "this output and the files it names,\n  then take the host off "
		    "the network and report it.\n"));
	else if (v == SUSPICIOUS)
		ks_buf_adds(b, _("  Next: read the findings below; each ends with "
		    "what to check.\n"));
	else
		ks_buf_adds(b, _("  A clean scan is not proof: a kernel rootkit "
		    "hides from the running system.\n  If you still doubt the "
		    "host, check its disk from trusted media (scan --root).\n"));
	ks_buf_adds(b, "========================================"
	    "========================================\n");
}

/* ---- the run ----------------------------------------------------------- */

/* What verification could not read: one note each, as host triage's. */
static void
verify_notice(void *ctx, const char *path, const char *what)
{
	struct ks_buf *notes = ctx;

	ks_buf_adds(notes, "kansatsu: verify: ");
	ks_escape_text(notes, path, strlen(path));
	ks_buf_adds(notes, ": ");
	ks_escape_text(notes, what, strlen(what));
	ks_buf_addc(notes, '\n');
}

/*
 * The file checks scan adds when asked: a signed file baseline
 * (--verify-db, --pubkey) and the packages' own sums (--packages).  A
 * refused baseline is an error, as it is for kansatsu verify.
 */
static int
verify_files(const struct scan_opts *o, const char *host,
    struct ks_findings *all, struct ks_buf *notes)
{
	struct ks_err err;

	if (o->verify_db != NULL) {
		struct ks_fim_trust trust = { .pubkey = o->pubkey };
		struct ks_fim_opts fo = { .root = o->root, .host = host,
		    .now_us = ks_now_us(), .notice = verify_notice,
		    .ctx = notes };
		struct ks_fim_stats st;
		struct ks_fim_db_info info;

		memset(&info, 0, sizeof(info));
		if (ks_fim_verify_path(o->verify_db, &trust, &fo, all, &st,
		    &info, &err) < 0) {
			ks_fim_db_info_free(&info);
			ks_cli_warn("--verify-db: %s", err.msg);
			return -1;
		}
		ks_fim_db_info_free(&info);
	}
	if (o->packages) {
		struct ks_pkg_opts po = { .root = o->root, .host = host,
		    .now_us = ks_now_us(), .notice = verify_notice,
		    .ctx = notes };
		struct ks_pkg_stats ps;

		if (ks_pkg_verify(&po, all, &ps, &err) < 0) {
			ks_cli_warn("--packages: %s", err.msg);
			return -1;
		}
	}
	return 0;
}

/* Country, AS and network of every address, when the database is there. */
static void
attribute(struct ks_findings *all, const struct scan_opts *o)
{
	struct ks_geo *geo = all->n > 0 ? ks_cli_geo(o->location_db,
	    o->quiet) : NULL;

	for (size_t i = 0; geo != NULL && i < all->n; i++)
		ks_geo_finding(geo, all->v[i]);
	ks_geo_close(geo);
}

static int
print_all(struct ks_findings *all, const struct scan_opts *o,
    const char *host)
{
	int64_t now_us = ks_now_us();
	struct ks_tz tz;
	struct ks_err err;
	int32_t off = ks_tz_init(&tz, o->tz, &err) < 0 ? 0 :
	    ks_tz_offset_utc(&tz, now_us / 1000000);
	struct ks_buf out, verdict;
	bool fail;
	int rc;

	attribute(all, o);
	ks_findings_sort(all);
	ks_buf_init(&out);
	ks_buf_init(&verdict);
	verdict_text(&verdict, all, host, now_us, off);
	if (!o->jsonl)
		ks_buf_add(&out, verdict.p, verdict.len);
	else if (!o->quiet)
		ks_buf_flush(&verdict, STDERR_FILENO);
	fail = ks_cli_print_findings(&out, (const struct ks_finding *const *)
	    all->v, all->n, o->jsonl, o->quiet, o->fail_on);
	rc = fail ? KS_EXIT_FINDINGS : KS_EXIT_OK;
	if (ks_buf_flush(&out, STDOUT_FILENO) < 0) {
		ks_cli_warn(_("write error on standard output"));
		rc = KS_EXIT_USAGE;
	}
	ks_buf_free(&out);
	ks_buf_free(&verdict);
	return rc;
}

int
ks_cmd_scan(int argc, char **argv)
{
	struct scan_opts o;
	struct ks_findings all;
	struct ks_buf summary, notes;
	struct ks_logs_collect lc;
	struct ks_host_collect hc;
	int rc, lrc, split = ks_cli_report_split(argc, argv);

	if (split > 0)
		return ks_cli_scan_report(argc, argv, split, ks_cmd_scan);
	if ((rc = parse_args(&o, argc, argv)) != 0)
		return rc < 0 ? KS_EXIT_OK : rc;
	ks_findings_init(&all);
	ks_buf_init(&summary);
	ks_buf_init(&notes);
	memset(&lc, 0, sizeof(lc));
	lc.findings = &all;
	lc.summary = &summary;
	memset(&hc, 0, sizeof(hc));
	hc = (struct ks_host_collect){ .root = o.root, .since = o.since,
	    .tz = o.tz, .hostname = o.hostname, .baseline = o.baseline,
	    .progress = o.progress && !o.quiet, .findings = &all,
	    .notes = &notes };
	lrc = ks_cli_logs_collect(o.largc, o.largv, &lc);
	rc = KS_EXIT_USAGE;
	if ((lrc == KS_EXIT_USAGE && lc.rules == NULL) ||
	    ks_cli_host_collect(&hc) != 0 ||
	    verify_files(&o, hc.host, &all, &notes) < 0)
		goto out;
	rc = print_all(&all, &o, hc.host);
	if (rc == KS_EXIT_OK && lrc == KS_EXIT_USAGE)
		rc = KS_EXIT_USAGE;
	if (!o.quiet) {
		ks_buf_flush(&summary, STDERR_FILENO);
		ks_buf_flush(&notes, STDERR_FILENO);
	}
out:
	ks_findings_free(&all);
	ks_ruleset_free(lc.rules);
	ks_buf_free(&summary);
	ks_buf_free(&notes);
	return rc;
}
