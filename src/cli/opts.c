/*
 * opts.c - the option parsing that `host` and `scan` share: the getopt
 * loop with --help, and the values of --format and --fail-on, so that
 * both commands take and refuse them with the same words.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/scan.h"
#include "util/i18n.h"

int
ks_cli_getopt(int argc, char **argv, const struct option *opts,
    const char *usage, int (*fn)(void *ctx, int c, const char *arg),
    void *ctx)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (fn(ctx, c, optarg) < 0) {
			fputs(usage, stderr);
			return KS_EXIT_USAGE;
		}
	}
	return 0;
}

int
ks_cli_format(const char *arg, bool *jsonl)
{
	if (strcmp(arg, "jsonl") != 0 && strcmp(arg, "text") != 0) {
		ks_cli_warn(_("--format: '%s' is not text or jsonl"), arg);
		return -1;
	}
	*jsonl = strcmp(arg, "jsonl") == 0;
	return 0;
}

int
ks_cli_fail_on(const char *arg, int *fail_on)
{
	if ((*fail_on = ks_severity_parse(arg)) < 0) {
		ks_cli_warn(_("--fail-on: '%s' is not one of info, low, medium, "
		    "high, critical"), arg);
		return -1;
	}
	return 0;
}
