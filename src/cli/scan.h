/*
 * scan.h - what `kansatsu scan` takes from the other subcommands: the
 * log half (logs.c) and the host half (host.c), each collecting its
 * findings into one list instead of printing them, and handing back
 * what it would have said on stderr; and the option parsing scan and
 * host share (opts.c).
 */
#ifndef KS_CLI_SCAN_H
#define KS_CLI_SCAN_H

#include <getopt.h>
#include <stdbool.h>

#include "finding/finding.h"
#include "util/util.h"

struct ks_ruleset;

struct ks_logs_collect {
	struct ks_findings *findings;  /* receives copies of the findings */
	struct ks_ruleset *rules;      /* set: the rules the copies name;
	                                  the caller frees it after them */
	struct ks_buf *summary;        /* receives the summary of sources */
};

/*
 * Runs `kansatsu logs` with argv's options and paths and collects as
 * above; returns the exit status logs would have (2: nothing collected).
 */
int ks_cli_logs_collect(int argc, char **argv, struct ks_logs_collect *c);

struct ks_host_collect {
	const char *root, *since, *tz, *hostname, *baseline;
	bool progress;
	struct ks_findings *findings;  /* receives the findings */
	struct ks_buf *notes;          /* receives the notes, a line each */
	char host[256];                /* set: the host's name */
};

/* Runs every host check; 0, or 2 after printing why it could not. */
int ks_cli_host_collect(struct ks_host_collect *c);


#endif
