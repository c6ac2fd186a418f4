/*
 * common.c - what every subcommand of the command line shares: severity
 * names, warnings on stderr, the clock, the progress line that long work
 * shows on a terminal (and never in a pipe or a file), and loading the
 * rules.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "detect/detect.h"
#include "report/report.h"
#include "util/i18n.h"
#include "util/util.h"

static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical",
};

int
ks_severity_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(severity_names) / sizeof(*severity_names);
	    i++)
		if (strcmp(s, severity_names[i]) == 0)
			return (int)i;
	return -1;
}

void
ks_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("kansatsu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
ks_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
ks_progress_init(struct ks_progress *pr, bool want)
{
	memset(pr, 0, sizeof(*pr));
	pr->enabled = want && isatty(STDERR_FILENO);
}

void
ks_progress_show(struct ks_progress *pr, const char *path, uint64_t done,
    uint64_t total)
{
	struct ks_buf b;
	int64_t now;

	if (!pr->enabled)
		return;
	now = ks_now_us();
	if (now - pr->last_us < 200000)
		return;
	pr->last_us = now;
	ks_buf_init(&b);
	ks_buf_adds(&b, "\r\033[K");
	ks_buf_adds(&b, _("reading "));
	ks_escape_text(&b, path, strlen(path) > 60 ? 60 : strlen(path));
	if (total > 0 && done <= total)
		ks_buf_addf(&b, "  %3u%%", (unsigned)(done * 100 / total));
	ks_buf_addf(&b, "  %.1f MB", (double)done / 1e6);
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
	pr->shown = true;
}

void
ks_progress_done(struct ks_progress *pr)
{
	if (pr->shown)
		fputs("\r\033[K", stderr);
	pr->shown = false;
}

/*
 * The bundled rules: $KANSATSU_RULES, else the installed set, else the
 * source tree's (a binary run from its build directory).
 */
static const char *
bundled_rules(void)
{
	const char *env = getenv("KANSATSU_RULES");
	struct stat st;

	if (env != NULL && env[0] != '\0')
		return env;
	if (stat(KS_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return KS_RULES_DIR;
	return KS_SOURCE_RULES_DIR;
}

int
ks_cli_load_rules(struct ks_ruleset **rs, const char *const *paths,
    size_t n, bool bundled)
{
	struct ks_err err;

	*rs = NULL;
	if (ks_ruleset_new(rs, &err) < 0 ||
	    (bundled && ks_ruleset_add_path(*rs, bundled_rules(), &err) < 0))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (ks_ruleset_add_path(*rs, paths[i], &err) < 0)
			goto fail;
	if (ks_ruleset_finish(*rs, &err) < 0)
		goto fail;
	return 0;
fail:
	ks_cli_warn(_("rules: %s"), err.msg);
	ks_ruleset_free(*rs);
	*rs = NULL;
	return -1;
}

bool
ks_cli_print_findings(struct ks_buf *out, const struct ks_finding *const *fs,
    size_t n, bool jsonl, bool quiet, int fail_on)
{
	bool fail = false;

	for (size_t i = 0; i < n; i++) {
		if (ks_severity_rank(fs[i]->rule->severity) >= fail_on)
			fail = true;
		if (jsonl)
			ks_finding_json(out, fs[i]);
		else
			ks_finding_text(out, fs[i], 3);
		if (out->len >= 64 * 1024)
			ks_buf_flush(out, STDOUT_FILENO);
	}
	if (!jsonl && !quiet)
		ks_buf_addf(out, ngettext("%zu finding\n", "%zu findings\n",
		    (unsigned long)n), n);
	return fail;
}

int
ks_cli_format_opt(const char *arg, bool *jsonl)
{
	if (strcmp(arg, "jsonl") != 0 && strcmp(arg, "text") != 0) {
		ks_cli_warn(_("--format: '%s' is not text or jsonl"), arg);
		return -1;
	}
	*jsonl = strcmp(arg, "jsonl") == 0;
	return 0;
}

int
ks_cli_fail_on_opt(const char *arg, int *fail_on)
{
	if ((*fail_on = ks_severity_parse(arg)) < 0) {
		ks_cli_warn(_("--fail-on: '%s' is not one of info, low, "
		    "medium, high, critical"), arg);
		return -1;
	}
	return 0;
}

int
ks_cli_getopt(int argc, char **argv, const struct option *opts,
    const char *usage, int (*fn)(void *ctx, int c, const char *arg),
    void *ctx)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(_(usage), stdout);
			return -1;
		}
		if (fn(ctx, c, optarg) < 0) {
			fputs(_(usage), stderr);
			return KS_EXIT_USAGE;
		}
	}
	return 0;
}
