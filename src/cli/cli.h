/*
 * cli.h - the command-line layer: one file per subcommand, plus what they
 * share (exit codes, severities, messages to stderr, the progress line).
 * This is the only layer that prints; everything below returns errors.
 */
#ifndef KS_CLI_H
#define KS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	KS_EXIT_OK = 0,         /* nothing at or above --fail-on */
	KS_EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
	KS_EXIT_USAGE = 2,      /* usage or input error */
};

enum ks_severity {
	KS_SEV_INFO,
	KS_SEV_LOW,
	KS_SEV_MEDIUM,
	KS_SEV_HIGH,
	KS_SEV_CRITICAL,
};

/* "info".."critical" -> severity; -1 when unknown. */
int ks_severity_parse(const char *s);

void ks_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Microseconds since the epoch, now. */
int64_t ks_now_us(void);

/*
 * A progress line on stderr, only when stderr is a terminal; redrawn at
 * most a few times a second and erased by ks_progress_done.
 */
struct ks_progress {
	bool enabled;
	bool shown;
	int64_t last_us;
};

void ks_progress_init(struct ks_progress *pr, bool want);
void ks_progress_show(struct ks_progress *pr, const char *path,
    uint64_t done, uint64_t total);
void ks_progress_done(struct ks_progress *pr);

struct ks_ruleset;

/*
 * The bundled rules (unless bundled is false) and those under paths,
 * loaded and resolved; on error a message is printed and -1 returned.
 */
int ks_cli_load_rules(struct ks_ruleset **rs, const char *const *paths,
    size_t n, bool bundled);

struct ks_buf;
struct ks_finding;

/*
 * Writes findings (sorted already) to out as JSON Lines or as text with
 * a count line (unless quiet), flushing to stdout as it goes; true when
 * one is at or above the severity fail_on.
 */
bool ks_cli_print_findings(struct ks_buf *out,
    const struct ks_finding *const *fs, size_t n, bool jsonl, bool quiet,
    int fail_on);

/* --format text|jsonl and --fail-on SEVERITY: 0, or -1 after a message. */
int ks_cli_format_opt(const char *arg, bool *jsonl);
int ks_cli_fail_on_opt(const char *arg, int *fail_on);

struct option;

/*
 * getopt_long over argv with opts (-q and -h included), calling fn for
 * each option: 0 at the end, -1 after printing usage for -h, and
 * KS_EXIT_USAGE after printing it to stderr when fn fails.
 */
int ks_cli_getopt(int argc, char **argv, const struct option *opts,
    const char *usage, int (*fn)(void *ctx, int c, const char *arg),
    void *ctx);

int ks_cmd_logs(int argc, char **argv);
int ks_cmd_rules(int argc, char **argv);
int ks_cmd_scan(int argc, char **argv);
int ks_cmd_report(int argc, char **argv);
/* scan --report: the index of --report in argv, or -1; then scan's
   findings fed to report (report.c). */
int ks_cli_report_split(int argc, char **argv);
int ks_cli_scan_report(int argc, char **argv, int split,
    int (*scan)(int, char **));
int ks_cmd_hub(int argc, char **argv);
int ks_cmd_baseline(int argc, char **argv);
int ks_cmd_verify(int argc, char **argv);
int ks_cmd_whois(int argc, char **argv);
int ks_cmd_netstat(int argc, char **argv);

struct ks_geo;
/* The location database at path (NULL: the default), or NULL after a
 * one-line notice (unless quiet): attribution is then left out. */
struct ks_geo *ks_cli_geo(const char *path, bool quiet);
int ks_cmd_host(int argc, char **argv);

#endif
