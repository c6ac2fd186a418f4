/*
 * opts.c - option values that several subcommands take alike (--format,
 * --fail-on), checked the same way with the same message.
 */
#include <string.h>

#include "cli/cli.h"

int
ks_cli_opt_format(const char *arg, bool *jsonl)
{
	if (strcmp(arg, "jsonl") != 0 && strcmp(arg, "text") != 0) {
		ks_cli_warn("--format: '%s' is not text or jsonl", arg);
		return -1;
	}
	*jsonl = strcmp(arg, "jsonl") == 0;
	return 0;
}

int
ks_cli_opt_fail_on(const char *arg, int *fail_on)
{
	if ((*fail_on = ks_severity_parse(arg)) < 0) {
		ks_cli_warn("--fail-on: '%s' is not one of info, low, medium, "
		    "high, critical", arg);
		return -1;
	}
	return 0;
}
