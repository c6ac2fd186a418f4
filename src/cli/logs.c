/*
 * logs.c - `kansatsu logs`, and the log half of `kansatsu scan`.
 *
 * Parses the options, builds the source list (paths, /var/log, journals),
 * runs the pipeline with the consumer the options ask for (the --events
 * JSON view, --count, or decode -> detect with the Sigma rules, whose
 * findings are printed at the end, most severe first), and
 * reports what was read: every source with its line, event, unparsed and
 * cut counts, and every source skipped with the reason.  For scan
 * (ks_cli_logs_collect) the findings are copied into scan's list and the
 * summary into its buffer, to be printed with the host's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/scan.h"
#include "detect/detect.h"
#include "geo/geo.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "util/i18n.h"

#define DEFAULT_LOG_DIR "/var/log"

struct logs_opts {
	bool events, count, show_unparsed, quiet, progress, journal;
	bool jsonl, no_bundled;
	int fail_on;
	const char *tz, *since, *until, *hostname, *location_db;
	int year;
	const char **journal_dirs;
	size_t njournal_dirs;
	const char **rules;
	size_t nrules;
};

struct logs_run {
	struct ks_buf out;
	struct ks_fields fields;
	struct ks_engine *engine;   /* NULL with --events or --count */
	bool engine_failed;
	struct ks_err engine_err;
	uint64_t count;
	bool events, count_only, write_failed;
	struct ks_progress progress;
	bool show_unparsed;
	struct ks_buf err;
};

static const char *const usage_logs = N_(
"usage: kansatsu logs [OPTIONS] [PATH...]\n"
"\n"
"Reads logs and frames every line into an event placed in time.  PATH is a\n"
"file (plain, gzip, xz or zstd, by content), a directory searched for log\n"
"files, or - for stdin.  Without PATH: /var/log, and the local\n"
"journal unless /var/log holds the syslog files written from it.\n"
"\n"
"  --events            print each event as one JSON object per line\n"
"  --count             print only the number of events\n"
"  --since TIME        only events at or after TIME (RFC 3339, a date, or\n"
"  --until TIME        a span back from now: 90m, 2h, 7d)\n"
"  --tz ZONE           zone of lines without one (default: local)\n"
"  --year YEAR         year of RFC 3164 lines (default: from file mtime)\n"
"  --journal           read the local systemd journal as well\n"
"  --journal-dir DIR   read journal files in DIR (repeatable)\n"
"  --hostname NAME     host of lines that name none (default: this host)\n"
"  --format text|jsonl format of findings (default text)\n"
"  --rules PATH        add the Sigma rules in PATH (file or directory)\n"
"  --no-bundled-rules  only the rules given with --rules\n"
"  --location-db FILE  IP location database for attribution (default\n"
"                      /usr/share/libloc-location/location.db)\n"
"  --fail-on SEVERITY  exit 1 on findings at or above it (default high)\n"
"  --show-unparsed     print lines that could not be framed on stderr\n"
"  --no-progress       no progress line on a terminal\n"
"  -q, --quiet         no summary on stderr\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above\n"
"it, 2 usage or input error.\n");

enum {
	OPT_EVENTS = 256, OPT_COUNT, OPT_SINCE, OPT_UNTIL, OPT_TZ, OPT_YEAR,
	OPT_JOURNAL, OPT_JOURNAL_DIR, OPT_HOSTNAME, OPT_FORMAT, OPT_FAIL_ON,
	OPT_SHOW_UNPARSED, OPT_NO_PROGRESS, OPT_RULES, OPT_NO_BUNDLED,
	OPT_LOCATION_DB,
};

static const struct option long_opts[] = {
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "count", no_argument, NULL, OPT_COUNT },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "journal-dir", required_argument, NULL, OPT_JOURNAL_DIR },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "show-unparsed", no_argument, NULL, OPT_SHOW_UNPARSED },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-bundled-rules", no_argument, NULL, OPT_NO_BUNDLED },
	{ "location-db", required_argument, NULL, OPT_LOCATION_DB },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_year(const char *s, int *year)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1970 || v > 9999)
		return -1;
	*year = (int)v;
	return 0;
}

static int
parse_opt(void *ctx, int c, const char *arg)
{
	struct logs_opts *o = ctx;

	switch (c) {
	case OPT_EVENTS: o->events = true; break;
	case OPT_COUNT: o->count = true; break;
	case OPT_SINCE: o->since = arg; break;
	case OPT_UNTIL: o->until = arg; break;
	case OPT_TZ: o->tz = arg; break;
	case OPT_YEAR:
		if (parse_year(arg, &o->year) < 0) {
			ks_cli_warn(_("--year: '%s' is not a year (1970-9999)"), arg);
			return -1;
		}
		break;
	case OPT_JOURNAL: o->journal = true; break;
	case OPT_JOURNAL_DIR:
		o->journal_dirs[o->njournal_dirs++] = arg;
		break;
	case OPT_HOSTNAME: o->hostname = arg; break;
	case OPT_FORMAT: return ks_cli_format_opt(arg, &o->jsonl);
	case OPT_FAIL_ON: return ks_cli_fail_on_opt(arg, &o->fail_on);
	case OPT_SHOW_UNPARSED: o->show_unparsed = true; break;
	case OPT_NO_PROGRESS: o->progress = false; break;
	case OPT_RULES: o->rules[o->nrules++] = arg; break;
	case OPT_NO_BUNDLED: o->no_bundled = true; break;
	case OPT_LOCATION_DB: o->location_db = arg; break;
	case 'q': o->quiet = true; break;
	default: return -1;
	}
	return 0;
}

/* Parses options; 0 to go on, else the exit status. */
static int
parse_args(struct logs_opts *o, int argc, char **argv, const char *usage)
{
	memset(o, 0, sizeof(*o));
	o->progress = true;
	o->fail_on = KS_SEV_HIGH;
	if ((o->journal_dirs = calloc((size_t)argc + 1, sizeof(char *))) == NULL ||
	    (o->rules = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return KS_EXIT_USAGE;
	return ks_cli_getopt(argc, argv, long_opts, usage, parse_opt, o);
}

static int
on_event(void *ctx, const struct ks_event *ev)
{
	struct logs_run *run = ctx;

	run->count++;
	if (run->engine != NULL) {
		ks_decode_next(ev, &run->fields);
		if (ks_engine_event(run->engine, ev, &run->fields,
		    &run->engine_err) < 0) {
			run->engine_failed = true;
			return 1;
		}
		return 0;
	}
	if (!run->events)
		return 0;
	ks_decode_next(ev, &run->fields);
	ks_event_to_json(&run->out, ev, &run->fields);
	if (run->out.len >= 64 * 1024 && ks_buf_flush(&run->out, STDOUT_FILENO) < 0) {
		run->write_failed = true;
		return 1;
	}
	return 0;
}

static void
on_unparsed(void *ctx, const char *path, const struct ks_line *line)
{
	struct logs_run *run = ctx;

	if (!run->show_unparsed)
		return;
	ks_progress_done(&run->progress);
	ks_buf_adds(&run->err, _("unparsed "));
	ks_escape_text(&run->err, path, strlen(path));
	ks_buf_addf(&run->err, ":%llu: ", (unsigned long long)line->no);
	ks_escape_text(&run->err, line->p, line->n);
	ks_buf_addc(&run->err, '\n');
	ks_buf_flush(&run->err, STDERR_FILENO);
}

static void
on_progress(void *ctx, const char *path, uint64_t done, uint64_t total)
{
	struct logs_run *run = ctx;

	ks_progress_show(&run->progress, path, done, total);
}

/* True when a source is a syslog file, which the journal would repeat. */
static bool
is_syslog_file(const struct ks_src *src)
{
	static const char *const names[] = { "messages", "syslog", "auth.log",
	    "secure" };
	const char *name;
	size_t base;
	int64_t age;

	if (src->kind != KS_SRC_FILE)
		return false;
	name = strrchr(src->path, '/');
	name = name ? name + 1 : src->path;
	ks_rotation_key(name, &base, &age);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strlen(names[i]) == base && memcmp(name, names[i], base) == 0)
			return true;
	return false;
}

/*
 * Paths as given; without any, /var/log and the local journal, unless
 * /var/log holds the syslog files that rsyslog writes from the journal
 * (reading both would count every event twice).
 */
static int
collect_sources(struct ks_srclist *srcs, const struct logs_opts *o,
    int npaths, char **paths, bool scan)
{
	struct ks_err err;
	bool defaults = npaths == 0 && o->njournal_dirs == 0 &&
	    (!o->journal || scan);
	bool journal = o->journal;

	for (int i = 0; i < npaths; i++)
		if (ks_srclist_add_path(srcs, paths[i], &err) < 0) {
			ks_cli_warn("%s", err.msg);
			return -1;
		}
	if (defaults) {
		if (ks_srclist_add_path(srcs, DEFAULT_LOG_DIR, &err) < 0)
			ks_cli_warn("%s", err.msg);
		journal = true;
		for (size_t i = 0; i < srcs->n; i++)
			if (is_syslog_file(&srcs->v[i]))
				journal = false;
	}
	ks_srclist_order_rotations(srcs);
	for (size_t i = 0; i < o->njournal_dirs; i++)
		if (ks_srclist_add(srcs, KS_SRC_JOURNAL_DIR, o->journal_dirs[i],
		    &err) < 0) {
			ks_cli_warn("%s", err.msg);
			return -1;
		}
	if (journal && ks_srclist_add(srcs, KS_SRC_JOURNAL_LOCAL, "journal",
	    &err) < 0) {
		ks_cli_warn("%s", err.msg);
		return -1;
	}
	if (journal && !o->journal)
		srcs->v[srcs->n - 1].optional = true;
	return 0;
}

static void
summary_source(struct ks_buf *b, const struct ks_srcstat *st,
    struct ks_tz *tz)
{
	ks_buf_adds(b, st->skipped ? _("  skipped ") : "  ");
	ks_escape_text(b, st->path, strlen(st->path));
	if (st->skipped) {
		ks_buf_adds(b, ": ");
		ks_escape_text(b, st->reason, strlen(st->reason));
		ks_buf_addc(b, '\n');
		return;
	}
	if (st->comp != KS_COMP_NONE)
		ks_buf_addf(b, " (%s)", ks_comp_name(st->comp));
	ks_buf_addf(b, _(": %llu lines, %llu events"),
	    (unsigned long long)st->lines, (unsigned long long)st->events);
	if (st->unparsed > 0)
		ks_buf_addf(b, _(", %llu unparsed"), (unsigned long long)st->unparsed);
	if (st->cut > 0)
		ks_buf_addf(b, _(", %llu cut at %u bytes"),
		    (unsigned long long)st->cut, KS_LINE_MAX);
	if (st->filtered > 0)
		ks_buf_addf(b, _(", %llu outside the time range"),
		    (unsigned long long)st->filtered);
	if (st->events > 0) {
		ks_buf_adds(b, ", ");
		ks_time_format(b, st->first_us,
		    ks_tz_offset_utc(tz, st->first_us / 1000000));
		ks_buf_adds(b, " .. ");
		ks_time_format(b, st->last_us,
		    ks_tz_offset_utc(tz, st->last_us / 1000000));
	}
	if (st->failed) {
		ks_buf_adds(b, _("; read error: "));
		ks_escape_text(b, st->reason, strlen(st->reason));
	}
	ks_buf_addc(b, '\n');
}

/* The notices of the source search, one per line, indented. */
static void
summary_notices(struct ks_buf *b, const struct ks_buf *notices)
{
	const char *p = notices->p, *end = p + notices->len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ks_buf_adds(b, "  ");
		ks_buf_add(b, p, nl ? (size_t)(nl + 1 - p) : (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
}

/* The summary on stderr, or into `to` when it is not NULL. */
static void
print_summary(const struct ks_srclist *srcs,
    const struct ks_pipeline_result *res, struct ks_tz *tz, struct ks_buf *to)
{
	struct ks_buf b;
	uint64_t lines = 0, events = 0, unparsed = 0, cut = 0;
	size_t read = 0;

	ks_buf_init(&b);
	for (size_t i = 0; i < res->nstats; i++) {
		lines += res->stats[i].lines;
		events += res->stats[i].events;
		unparsed += res->stats[i].unparsed;
		cut += res->stats[i].cut;
		read += !res->stats[i].skipped;
	}
	ks_buf_addf(&b, _("kansatsu: read %zu of %zu sources: %llu lines, "
	    "%llu events, %llu unparsed, %llu cut\n"), read, res->nstats,
	    (unsigned long long)lines, (unsigned long long)events,
	    (unsigned long long)unparsed, (unsigned long long)cut);
	for (size_t i = 0; i < res->nstats; i++)
		summary_source(&b, &res->stats[i], tz);
	summary_notices(&b, &srcs->notices);
	if (unparsed > 0)
		ks_buf_adds(&b, _("  (--show-unparsed prints the unparsed lines)\n"));
	if (to != NULL)
		ks_buf_add(to, b.p, b.len);
	else
		ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
}

static int
init_pipeline(struct ks_pipeline_opts *po, struct ks_tz *tz,
    const struct logs_opts *o, struct logs_run *run, char *host, size_t hlen)
{
	struct ks_err err;

	memset(po, 0, sizeof(*po));
	if (ks_tz_init(tz, o->tz, &err) < 0) {
		ks_cli_warn("--tz: %s", err.msg);
		return -1;
	}
	po->tz = tz;
	po->year = o->year;
	po->now_us = ks_now_us();
	po->since_us = INT64_MIN;
	po->until_us = INT64_MAX;
	if ((o->since != NULL && ks_time_parse_user(o->since, tz, po->now_us,
	    &po->since_us, &err) < 0) || (o->until != NULL &&
	    ks_time_parse_user(o->until, tz, po->now_us, &po->until_us,
	    &err) < 0)) {
		ks_cli_warn("%s", err.msg);
		return -1;
	}
	if (o->hostname != NULL)
		po->hostname = o->hostname;
	else if (gethostname(host, hlen - 1) == 0)
		po->hostname = host;
	po->on_event = on_event;
	po->on_unparsed = on_unparsed;
	po->on_progress = on_progress;
	po->ctx = run;
	return 0;
}

/* What the engine could not keep: findings or correlation groups. */
static void
engine_warnings(struct logs_run *run)
{
	if (ks_engine_dropped(run->engine) > 0)
		ks_cli_warn(_("%llu matches not reported: the finding table is "
		    "full"), (unsigned long long)ks_engine_dropped(run->engine));
	if (ks_engine_evicted(run->engine) > 0)
		ks_cli_warn(_("%llu correlation groups evicted within their "
		    "timespan: too many sources at once"), (unsigned long long)
		    ks_engine_evicted(run->engine));
}

/* Prints the findings; true when one is at or above --fail-on. */
static bool
print_findings(struct logs_run *run, const struct logs_opts *o)
{
	const struct ks_finding *const *fs;
	size_t n = ks_engine_findings(run->engine, &fs);
	struct ks_geo *geo = n > 0 ? ks_cli_geo(o->location_db, o->quiet) : NULL;
	bool fail;

	/* the engine is done: its findings (heap objects) get attribution */
	for (size_t i = 0; i < n; i++)
		ks_geo_finding(geo, (struct ks_finding *)fs[i]);
	ks_geo_close(geo);
	fail = ks_cli_print_findings(&run->out, fs, n, o->jsonl, o->quiet,
	    o->fail_on);

	engine_warnings(run);
	return fail;
}

/* A source broke off while being read: the analysis may be incomplete. */
static bool
read_failed(const struct ks_pipeline_result *res)
{
	for (size_t i = 0; i < res->nstats; i++)
		if (res->stats[i].failed)
			return true;
	return false;
}

/* Copies the engine's findings into scan's list; false when out of memory. */
static bool
collect_findings(struct logs_run *run, struct ks_findings *out)
{
	const struct ks_finding *const *fs;
	size_t n = ks_engine_findings(run->engine, &fs);

	for (size_t i = 0; i < n; i++) {
		struct ks_finding *fd = ks_finding_copy(fs[i]);

		if (fd == NULL || !ks_findings_add(out, fd))
			return false;
	}
	return true;
}

static int
run_logs(int argc, char **argv, struct ks_logs_collect *collect)
{
	bool scan = collect != NULL;
	struct logs_opts o;
	struct logs_run run;
	struct ks_srclist srcs;
	struct ks_pipeline_opts po;
	struct ks_pipeline_result res;
	struct ks_tz tz;
	struct ks_err err;
	struct ks_ruleset *rs = NULL;
	char host[256] = "";
	bool fail = false;
	int rc;

	if ((rc = parse_args(&o, argc, argv, usage_logs)) != 0) {
		free(o.journal_dirs);
		free(o.rules);
		return rc < 0 ? KS_EXIT_OK : rc;
	}
	memset(&run, 0, sizeof(run));
	ks_buf_init(&run.out);
	ks_buf_init(&run.err);
	run.events = o.events && !o.count;
	run.show_unparsed = o.show_unparsed;
	ks_progress_init(&run.progress, o.progress && !o.quiet);
	ks_srclist_init(&srcs);
	rc = KS_EXIT_USAGE;
	if (init_pipeline(&po, &tz, &o, &run, host, sizeof(host)) < 0 ||
	    collect_sources(&srcs, &o, argc - optind, argv + optind, scan) < 0)
		goto out;
	if (!o.events && !o.count) {
		if (ks_cli_load_rules(&rs, o.rules, o.nrules, !o.no_bundled) < 0)
			goto out;
		if (ks_engine_new(&run.engine, rs, &err) < 0) {
			ks_cli_warn("%s", err.msg);
			goto out;
		}
	}
	if (ks_pipeline_run(&srcs, &po, &res, &err) < 0) {
		ks_progress_done(&run.progress);
		ks_cli_warn("%s", err.msg);
		ks_pipeline_result_free(&res);
		goto out;
	}
	ks_progress_done(&run.progress);
	if (run.engine_failed) {
		ks_cli_warn("%s", run.engine_err.msg);
		ks_pipeline_result_free(&res);
		goto out;
	}
	if (o.count)
		ks_buf_addf(&run.out, "%llu\n", (unsigned long long)run.count);
	if (scan && run.engine != NULL) {
		if (!collect_findings(&run, collect->findings)) {
			ks_cli_warn(_("out of memory"));
			ks_pipeline_result_free(&res);
			goto out;
		}
		engine_warnings(&run);
		collect->rules = rs;
		rs = NULL;
	} else if (run.engine != NULL)
		fail = print_findings(&run, &o);
	if (ks_buf_flush(&run.out, STDOUT_FILENO) < 0 || run.write_failed)
		ks_cli_warn(_("write error on standard output"));
	else
		rc = fail ? KS_EXIT_FINDINGS : read_failed(&res) ?
		    KS_EXIT_USAGE : KS_EXIT_OK;
	if (!o.quiet)
		print_summary(&srcs, &res, &tz, scan ? collect->summary : NULL);
	ks_pipeline_result_free(&res);
out:
	ks_engine_free(run.engine);
	ks_ruleset_free(rs);
	ks_srclist_free(&srcs);
	ks_buf_free(&run.out);
	ks_buf_free(&run.err);
	free(o.journal_dirs);
	free(o.rules);
	return rc;
}

int
ks_cmd_logs(int argc, char **argv)
{
	return run_logs(argc, argv, NULL);
}

int
ks_cli_logs_collect(int argc, char **argv, struct ks_logs_collect *c)
{
	return run_logs(argc, argv, c);
}
