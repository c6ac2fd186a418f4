/*
 * main.c - the kansatsu command: global options and the subcommand table.
 *
 * kansatsu is one binary with one subcommand per part of the work, as git
 * is; each subcommand lives in its own file under src/cli and is a thin
 * layer over the library.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/i18n.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{ "logs", ks_cmd_logs, "read logs and find intrusions" },
	{ "scan", ks_cmd_scan, "check this host: its logs and host triage" },
	{ "host", ks_cmd_host, "host triage: logins, processes, files, ..." },
	{ "rules", ks_cmd_rules, "list the rules, run their samples" },
};

static void
usage(FILE *f)
{
	fputs("usage: kansatsu [--version] [--help] COMMAND [OPTIONS] [ARGS]\n"
	    "\nkansatsu (観察, observation): intrusion detection and incident "
	    "response\nfor Unix hosts.\n\nCommands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	fputs("\n`kansatsu COMMAND --help` describes each; see kansatsu(1).\n",
	    f);
}

int
main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "");
	ks_i18n_init(KS_LOCALEDIR, NULL);
	if (argc < 2) {
		usage(stderr);
		return KS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("kansatsu %s\n", KS_VERSION);
		return KS_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return KS_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	ks_cli_warn("unknown command '%s'", argv[1]);
	usage(stderr);
	return KS_EXIT_USAGE;
}
