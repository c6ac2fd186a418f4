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
	{ "logs", ks_cmd_logs, N_("read logs and find intrusions") },
	{ "scan", ks_cmd_scan, N_("check this host: its logs and host triage") },
	{ "host", ks_cmd_host,
	    N_("host triage: logins, processes, files, ...") },
	{ "rules", ks_cmd_rules, N_("list the rules, run their samples") },
	{ "report", ks_cmd_report, N_("write the incident report for a CSIRT") },
	{ "hub", ks_cmd_hub,
	    N_("the CSIRT side: reports in, incidents, drafts") },
	{ "baseline", ks_cmd_baseline,
	    N_("record what the system's files are") },
	{ "verify", ks_cmd_verify,
	    N_("check files against a baseline or packages") },
	{ "netstat", ks_cmd_netstat,
	    N_("analyse a socket listing or the live sockets") },
	{ "whois", ks_cmd_whois,
	    N_("attribute addresses offline: country, AS") },
};

static void
usage(FILE *f)
{
	fputs(_("usage: kansatsu [--version] [--help] COMMAND [OPTIONS] [ARGS]\n"
	    "\nkansatsu (観察, observation): intrusion detection and incident "
	    "response\nfor Unix hosts.\n\nCommands:\n"), f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, _(commands[i].what));
	fputs(_("\n`kansatsu COMMAND --help` describes each; see kansatsu(1).\n"),
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
	ks_cli_warn(_("unknown command '%s'"), argv[1]);
	usage(stderr);
	return KS_EXIT_USAGE;
}
