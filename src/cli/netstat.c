/*
 * netstat.c - `kansatsu netstat [FILE|-]`: a saved socket listing (any
 * netstat, ss, lsof -i), or without FILE this host's live sockets read
 * from /proc, analysed into findings with every address attributed.
 *
 * A listing is evidence sent by someone else: the lines that fit no
 * known layout are counted on stderr (and printed with --show-unparsed),
 * never skipped in silence.  --show prints the sockets as read, for a
 * person (like netstat -anp) or as JSON Lines for tests and tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"
#include "frame/frame.h"
#include "geo/geo.h"
#include "net/net.h"
#include "report/report.h"
#include "util/i18n.h"

static const char usage_netstat[] = N_(
"usage: kansatsu netstat [OPTIONS] [FILE|-]\n"
"\n"
"Reads a saved socket listing (netstat of Linux, BSD, Solaris or the old\n"
"SunOS form; ss; lsof -i; English or translated headers) from FILE or\n"
"stdin (-), or without FILE the live sockets of this host from /proc\n"
"(no program is run), and reports: login sessions from outside, this\n"
"host scanning others (a stepping stone) with its targets grouped by\n"
"domain or network, government or military parties, mail sessions from\n"
"odd places, unusual listeners, raw and packet sockets.  Every address\n"
"is attributed (country, AS, network) from the offline location database.\n"
"\n"
"  --show              print the sockets as read instead of findings\n"
"  --input-format F    auto (default), netstat, bsd, ss or lsof\n"
"  --local CIDR        a local network besides the private ranges\n"
"                      (repeatable)\n"
"  --domain DOMAIN     this host's own DNS domain (default: from the\n"
"                      listing's local names)\n"
"  --hostname NAME     host.name of the findings (default: the listing's\n"
"                      prompt, or this host)\n"
"  --fanout N          distinct hosts on one service that make a scan\n"
"                      (default 5)\n"
"  --resolve           look up the addresses of the remote names the\n"
"                      listing shows, to attribute them (asks DNS)\n"
"  --time TIME         when the listing was taken (default: the file's\n"
"                      modification time; RFC 3339 or a date and time)\n"
"  --tz ZONE           zone of --time and of the times shown (default:\n"
"                      local)\n"
"  --location-db FILE  IP location database (default\n"
"                      /usr/share/libloc-location/location.db)\n"
"  --format text|jsonl format of findings and of --show (default text)\n"
"  --fail-on SEVERITY  exit 1 on findings at or above it (default high)\n"
"  --show-unparsed     print the lines that fit no layout on stderr\n"
"  -q, --quiet         no summary on stderr\n"
"  -h, --help          this help\n"
"\n"
"Names are never resolved without --resolve.  Exit status: 0 no finding at or above\n"
"--fail-on, 1 findings at or above it, 2 usage or input error.\n");

enum {
	OPT_SHOW = 256, OPT_INPUT_FORMAT, OPT_LOCAL, OPT_DOMAIN, OPT_HOSTNAME,
	OPT_FANOUT, OPT_DB, OPT_FORMAT, OPT_FAIL_ON, OPT_SHOW_UNPARSED,
	OPT_RESOLVE, OPT_TZ, OPT_TIME,
};

static const struct option long_opts[] = {
	{ "show", no_argument, NULL, OPT_SHOW },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "local", required_argument, NULL, OPT_LOCAL },
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "fanout", required_argument, NULL, OPT_FANOUT },
	{ "location-db", required_argument, NULL, OPT_DB },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "show-unparsed", no_argument, NULL, OPT_SHOW_UNPARSED },
	{ "resolve", no_argument, NULL, OPT_RESOLVE },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct netstat_opts {
	bool show, jsonl, quiet, show_unparsed, resolve;
	enum ks_net_format format;
	struct ks_cidr *local;
	size_t nlocal;
	const char *domain, *hostname, *db, *tz, *time;
	unsigned fanout;
	int fail_on;
};

static int
parse_format(const char *s, enum ks_net_format *f)
{
	static const char *const names[] = { "auto", "netstat", "bsd", "ss",
	    "lsof" };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum ks_net_format)i;
			return 0;
		}
	ks_cli_warn(_("--input-format: '%s' is not auto, netstat, bsd, ss "
	    "or lsof"), s);
	return -1;
}

static int
parse_opt(struct netstat_opts *o, int c, const char *arg)
{
	char *end;
	long v;

	switch (c) {
	case OPT_SHOW: o->show = true; break;
	case OPT_INPUT_FORMAT: return parse_format(arg, &o->format);
	case OPT_LOCAL:
		if (!ks_cidr_parse(arg, &o->local[o->nlocal])) {
			ks_cli_warn(_("--local: '%s' is not an address or "
			    "CIDR network"), arg);
			return -1;
		}
		o->nlocal++;
		break;
	case OPT_DOMAIN: o->domain = arg; break;
	case OPT_HOSTNAME: o->hostname = arg; break;
	case OPT_FANOUT:
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || v < 2 || v > 100000) {
			ks_cli_warn(_("--fanout: '%s' is not a number from 2 "
			    "to 100000"), arg);
			return -1;
		}
		o->fanout = (unsigned)v;
		break;
	case OPT_DB: o->db = arg; break;
	case OPT_FORMAT: return ks_cli_format_opt(arg, &o->jsonl);
	case OPT_FAIL_ON: return ks_cli_fail_on_opt(arg, &o->fail_on);
	case OPT_SHOW_UNPARSED: o->show_unparsed = true; break;
	case OPT_RESOLVE: o->resolve = true; break;
	case OPT_TZ: o->tz = arg; break;
	case OPT_TIME: o->time = arg; break;
	case 'q': o->quiet = true; break;
	default: return -1;
	}
	return 0;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int
parse_args(struct netstat_opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->fail_on = KS_SEV_HIGH;
	if ((o->local = calloc((size_t)argc + 1, sizeof(*o->local))) == NULL)
		return KS_EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(_(usage_netstat), stdout);
			return -1;
		}
		if (parse_opt(o, c, optarg) < 0) {
			fputs(_(usage_netstat), stderr);
			return KS_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		ks_cli_warn(_("netstat reads one listing at a time"));
		fputs(_(usage_netstat), stderr);
		return KS_EXIT_USAGE;
	}
	return 0;
}

static void
print_unknown(void *ctx, uint64_t line, const char *p, size_t n)
{
	const struct ks_net_table *t = ctx;
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_adds(&b, _("unknown "));
	ks_escape_text(&b, t->source, strlen(t->source));
	ks_buf_addf(&b, ":%llu: ", (unsigned long long)line);
	ks_escape_text(&b, p, n);
	ks_buf_addc(&b, '\n');
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
}

/* --resolve: the first address DNS (or /etc/hosts) gives for name. */
static bool
resolve_name(void *ctx, const char *name, char *ip, size_t n)
{
	struct addrinfo hints, *res;
	bool ok;

	(void)ctx;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return false;
	ok = getnameinfo(res->ai_addr, res->ai_addrlen, ip, (socklen_t)n,
	    NULL, 0, NI_NUMERICHOST) == 0;
	freeaddrinfo(res);
	return ok;
}

/* Reads the listing at path ("-": stdin); its time into *when_us. */
static int
read_listing(struct ks_net_table *t, const struct netstat_opts *o,
    const char *path, int64_t *when_us)
{
	struct ks_net_parser p;
	struct ks_err err;
	struct stat st;
	bool in = strcmp(path, "-") == 0;
	int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int rc;

	if (fd < 0) {
		ks_cli_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !in)
		*when_us = (int64_t)st.st_mtim.tv_sec * 1000000 +
		    st.st_mtim.tv_nsec / 1000;
	else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		ks_cli_warn(_("%s: is a directory"), path);
		close(fd);
		return -1;
	}
	ks_net_parser_init(&p, t, o->format);
	if (o->show_unparsed) {
		p.on_unknown = print_unknown;
		p.ctx = t;
	}
	rc = ks_net_parse_fd(&p, fd, &err);
	if (!in)
		close(fd);
	if (rc < 0)
		ks_cli_warn("%s: %s", path, err.msg);
	return rc;
}

static void
print_summary(const struct ks_net_table *t, const struct netstat_opts *o,
    const struct ks_net_live_stats *live)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_adds(&b, "kansatsu: ");
	ks_escape_text(&b, t->source, strlen(t->source));
	if (live == NULL)
		ks_buf_addf(&b, _(": %llu lines, %zu sockets, %llu unknown"),
		    (unsigned long long)t->lines, t->n,
		    (unsigned long long)t->unknown);
	else
		ks_buf_addf(&b, _(": %zu sockets, %llu processes read"),
		    o->show ? t->n : live->sockets,
		    (unsigned long long)live->processes);
	if (t->cut > 0)
		ks_buf_addf(&b, _(", %llu too long (over %d bytes)"),
		    (unsigned long long)t->cut, KS_NET_LINE_MAX);
	if (t->dropped > 0)
		ks_buf_addf(&b,
		    _(", %llu sockets over the limit of %d not read"),
		    (unsigned long long)t->dropped, KS_NET_MAX_SOCKS);
	ks_buf_addc(&b, '\n');
	if (live != NULL && live->unreadable > 0)
		ks_buf_addf(&b, _("  %llu processes' sockets could not be "
		    "mapped (not permitted: run as root to see every owner)\n"),
		    (unsigned long long)live->unreadable);
	if (live != NULL && live->untested > 0)
		ks_buf_addf(&b, _("  %llu ports not tested for hiding (bind() "
		    "needs privilege below 1024)\n"),
		    (unsigned long long)live->untested);
	if (live != NULL && live->missing[0] != '\0')
		ks_buf_addf(&b, _("  not readable: %s\n"), live->missing);
	if (t->unknown > 0 && !o->show_unparsed)
		ks_buf_adds(&b,
		    _("  (--show-unparsed prints the unknown lines)\n"));
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
}

static void
show_sockets(struct ks_buf *out, const struct ks_net_table *t, bool jsonl)
{
	for (size_t i = 0; i < t->n; i++) {
		if (jsonl)
			ks_sock_json(out, &t->v[i]);
		else {
			ks_sock_format(out, &t->v[i]);
			ks_buf_addc(out, '\n');
		}
		if (out->len >= 64 * 1024)
			ks_buf_flush(out, STDOUT_FILENO);
	}
}

/*
 * Analyses (a listing, or the live checks), attributes and prints; the
 * exit status.
 */
static int
report(struct ks_net_table *t, const struct netstat_opts *o,
    struct ks_net_opts *no, struct ks_findings *fs, struct ks_buf *out,
    struct ks_net_live_stats *live)
{
	struct ks_err err;
	bool fail;

	if ((no->live ? ks_net_live_checks("/proc", no, fs, live, &err) :
	    ks_net_analyze(t, no, fs, &err)) < 0) {
		ks_cli_warn("%s", err.msg);
		return KS_EXIT_USAGE;
	}
	for (size_t i = 0; i < fs->n; i++)
		ks_geo_finding(no->geo, fs->v[i]);
	ks_findings_sort(fs);
	fail = ks_cli_print_findings(out,
	    (const struct ks_finding *const *)fs->v, fs->n, o->jsonl,
	    o->quiet, o->fail_on);
	return fail ? KS_EXIT_FINDINGS : KS_EXIT_OK;
}

static int
run(const struct netstat_opts *o, const char *path)
{
	struct ks_net_table t;
	struct ks_net_live_stats live;
	struct ks_net_opts no;
	struct ks_findings fs;
	struct ks_buf out;
	struct ks_err err;
	struct ks_tz tz;
	char host[KS_NET_HOST] = "";
	int64_t when = ks_now_us();
	int rc = KS_EXIT_USAGE;

	ks_net_table_init(&t, path != NULL ? (strcmp(path, "-") ? path :
	    "stdin") : "/proc/net");
	ks_findings_init(&fs);
	ks_buf_init(&out);
	memset(&no, 0, sizeof(no));
	if (path != NULL && read_listing(&t, o, path, &when) < 0)
		goto out;
	memset(&live, 0, sizeof(live));
	if (path == NULL && o->show &&
	    ks_net_read_proc(&t, "/proc", &live, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		goto out;
	}
	if (path == NULL && o->hostname == NULL)
		gethostname(host, sizeof(host) - 1);
	if (ks_tz_init(&tz, o->tz, &err) < 0 || (o->time != NULL &&
	    ks_time_parse_user(o->time, &tz, ks_now_us(), &when, &err) < 0)) {
		ks_cli_warn("%s", err.msg);
		goto out;
	}
	no.host = o->hostname != NULL ? o->hostname : host[0] ? host : NULL;
	no.domain = o->domain;
	no.local = o->local;
	no.nlocal = o->nlocal;
	no.fanout = o->fanout;
	no.when_us = when;
	no.when_off = ks_tz_offset_utc(&tz, when / 1000000);
	no.live = path == NULL;
	if (o->resolve)
		no.resolve = resolve_name;
	if (o->show) {
		show_sockets(&out, &t, o->jsonl);
		rc = KS_EXIT_OK;
	} else {
		no.geo = ks_cli_geo(o->db, o->quiet);
		rc = report(&t, o, &no, &fs, &out, &live);
		ks_geo_close(no.geo);
	}
	if (ks_buf_flush(&out, STDOUT_FILENO) < 0) {
		ks_cli_warn(_("write error on standard output"));
		rc = KS_EXIT_USAGE;
	}
	if (!o->quiet)
		print_summary(&t, o, path == NULL ? &live : NULL);
out:
	ks_findings_free(&fs);
	ks_buf_free(&out);
	ks_net_table_free(&t);
	return rc;
}

int
ks_cmd_netstat(int argc, char **argv)
{
	struct netstat_opts o;
	int rc;

	if ((rc = parse_args(&o, argc, argv)) == 0)
		rc = run(&o, optind < argc ? argv[optind] : NULL);
	else if (rc < 0)
		rc = KS_EXIT_OK;
	free(o.local);
	return rc;
}
