/*
 * report.c - `kansatsu report`: findings in, the incident report a site
 * sends out, in the language and format the recipient reads; and the
 * hook that lets `kansatsu scan --report ...` do both in one command.
 *
 * Reads findings JSON Lines (files, or stdin), the reporter profile and
 * the flags; builds the report model (src/report) and writes it as text,
 * Markdown, HTML, IODEF, XARF or JSON to stdout or --out.  Every input
 * file is hashed as it is read, and so is every evidence file the
 * findings name that is still readable; what cannot be hashed, and every
 * line that is not a finding, is said on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/i18n.h"

struct report_opts {
	const char *profile, *lang, *out, *discovery;
	enum ks_report_format format;
	enum ks_tlp share;
	bool init_profile, redact, hash_evidence, quiet;
	unsigned request;
	bool have_tlp, have_kind[5];
	enum ks_tlp tlp, kind[5];   /* source target intermediate excerpt
	                               contact */
};

enum {
	OPT_PROFILE = 256, OPT_INIT, OPT_LANG, OPT_FORMAT, OPT_OUT, OPT_SHARE,
	OPT_TLP, OPT_TLP_SOURCE, OPT_TLP_TARGET, OPT_TLP_INTERMEDIATE,
	OPT_TLP_EXCERPT, OPT_TLP_CONTACT, OPT_REQUEST, OPT_DISCOVERY,
	OPT_REDACT, OPT_NO_HASH,
};

static const struct option long_opts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "init-profile", no_argument, NULL, OPT_INIT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "tlp", required_argument, NULL, OPT_TLP },
	{ "tlp-source", required_argument, NULL, OPT_TLP_SOURCE },
	{ "tlp-target", required_argument, NULL, OPT_TLP_TARGET },
	{ "tlp-intermediate", required_argument, NULL, OPT_TLP_INTERMEDIATE },
	{ "tlp-excerpt", required_argument, NULL, OPT_TLP_EXCERPT },
	{ "tlp-contact", required_argument, NULL, OPT_TLP_CONTACT },
	{ "request", required_argument, NULL, OPT_REQUEST },
	{ "discovery", required_argument, NULL, OPT_DISCOVERY },
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "no-evidence-hash", no_argument, NULL, OPT_NO_HASH },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fputs(_("usage: kansatsu report [OPTIONS] [FINDINGS.jsonl...|-]\n"
	    "       kansatsu report --init-profile [--lang ja|en] [--out FILE]\n"
	    "       kansatsu scan [SCAN OPTIONS] --report [OPTIONS]\n"
	    "\n"
	    "Writes the incident report a site sends to its CSIRT from findings\n"
	    "(JSON Lines of kansatsu logs, host, netstat, verify or scan; stdin\n"
	    "when no file is given).\n"
	    "\n"
	    "  --profile FILE        the reporter profile (YAML; default\n"
	    "                        ~/.config/kansatsu/profile.yml if present)\n"
	    "  --init-profile        write a commented profile template\n"
	    "  --lang ja|en          language of the report (default: the\n"
	    "                        profile's, else the locale's)\n"
	    "  --format FORMAT       text, md, html, iodef, xarf or json\n"
	    "                        (default text)\n"
	    "  --out FILE            write to FILE instead of stdout\n"
	    "  --request LIST        investigate, contact-source, block, nothing\n"
	    "                        (comma-separated; default: the profile's)\n"
	    "  --discovery TEXT      how the incident was found\n"
	    "  --tlp LEVEL           default level of every element (CLEAR,\n"
	    "                        GREEN, AMBER, AMBER+STRICT, RED)\n"
	    "  --tlp-source LEVEL    level of the attackers' systems; likewise\n"
	    "  --tlp-target LEVEL    --tlp-intermediate, --tlp-excerpt and\n"
	    "  --tlp-contact LEVEL   the reporter's contact\n"
	    "  --share LEVEL         write only what an audience at LEVEL may\n"
	    "                        see (default RED: everything, marked)\n"
	    "  --redact              mask this site's addresses, host names and\n"
	    "                        account names in the excerpts and systems\n"
	    "  --no-evidence-hash    do not hash the evidence files named\n"
	    "  -q, --quiet           no notices on stderr\n"
	    "  -h, --help            this help\n"
	    "\n"
	    "Exit status: 0 report written, 2 usage or input error.\n"), f);
}

static int
tlp_arg(const char *opt, const char *arg, enum ks_tlp *out)
{
	int t = ks_tlp_parse(arg);

	if (t >= 0) {
		*out = (enum ks_tlp)t;
		return 0;
	}
	ks_cli_warn(_("%s: '%s' is not CLEAR, GREEN, AMBER, AMBER+STRICT or "
	    "RED"), opt, arg);
	return -1;
}

static int
kind_arg(struct report_opts *o, int kind, const char *opt, const char *arg)
{
	o->have_kind[kind] = true;
	return tlp_arg(opt, arg, &o->kind[kind]);
}

static int
parse_opt(struct report_opts *o, int c, const char *arg)
{
	struct ks_err err;
	int f;

	switch (c) {
	case OPT_PROFILE: o->profile = arg; return 0;
	case OPT_INIT: o->init_profile = true; return 0;
	case OPT_OUT: o->out = arg; return 0;
	case OPT_DISCOVERY: o->discovery = arg; return 0;
	case OPT_REDACT: o->redact = true; return 0;
	case OPT_NO_HASH: o->hash_evidence = false; return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_LANG:
		if (strcmp(arg, "ja") != 0 && strcmp(arg, "en") != 0) {
			ks_cli_warn(_("--lang: '%s' is not ja or en"), arg);
			return -1;
		}
		o->lang = arg;
		return 0;
	case OPT_FORMAT:
		if ((f = ks_report_format_parse(arg)) < 0) {
			ks_cli_warn(_("--format: '%s' is not text, md, html, "
			    "iodef, xarf or json"), arg);
			return -1;
		}
		o->format = (enum ks_report_format)f;
		return 0;
	case OPT_REQUEST:
		if (ks_request_parse(arg, &o->request, &err) < 0) {
			ks_cli_warn("--request: %s", err.msg);
			return -1;
		}
		return 0;
	case OPT_SHARE: return tlp_arg("--share", arg, &o->share);
	case OPT_TLP:
		o->have_tlp = true;
		return tlp_arg("--tlp", arg, &o->tlp);
	case OPT_TLP_SOURCE: return kind_arg(o, 0, "--tlp-source", arg);
	case OPT_TLP_TARGET: return kind_arg(o, 1, "--tlp-target", arg);
	case OPT_TLP_INTERMEDIATE:
		return kind_arg(o, 2, "--tlp-intermediate", arg);
	case OPT_TLP_EXCERPT: return kind_arg(o, 3, "--tlp-excerpt", arg);
	case OPT_TLP_CONTACT: return kind_arg(o, 4, "--tlp-contact", arg);
	default: return -1;
	}
}

/* 0 to go on, -1 after --help, else the exit status. */
static int
parse_args(struct report_opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->share = KS_TLP_RED;
	o->hash_evidence = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (parse_opt(o, c, optarg) < 0) {
			usage(stderr);
			return KS_EXIT_USAGE;
		}
	}
	return 0;
}

/* ---- output ------------------------------------------------------------- */

static int
open_out(const char *path, bool exclusive)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    (exclusive ? O_EXCL : O_TRUNC);
	int fd;

	if (path == NULL)
		return dup(STDOUT_FILENO);
	if ((fd = open(path, flags, 0600)) < 0)
		ks_cli_warn("%s: %s", path, strerror(errno));
	return fd;
}

static int
write_out(struct ks_buf *b, const char *path, bool exclusive)
{
	int fd = open_out(path, exclusive);
	int rc = KS_EXIT_OK;

	if (fd < 0)
		return KS_EXIT_USAGE;
	if (ks_buf_failed(b) || ks_buf_flush(b, fd) < 0) {
		ks_cli_warn(_("%s: write error"), path ? path : _("stdout"));
		rc = KS_EXIT_USAGE;
	}
	if (close(fd) < 0 && rc == KS_EXIT_OK) {
		ks_cli_warn(_("%s: write error"), path ? path : _("stdout"));
		rc = KS_EXIT_USAGE;
	}
	return rc;
}

/* ---- language ---------------------------------------------------------- */

/* ja when the locale's language is Japanese, else en. */
static const char *
locale_lang(void)
{
	static const char *const vars[] = {
		"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return strncmp(v, "ja", 2) == 0 ? "ja" : "en";
	}
	return "en";
}

static const char *
choose_lang(const struct report_opts *o, const struct ks_profile *p)
{
	if (o->lang != NULL)
		return o->lang;
	if (p->language != NULL)
		return p->language;
	return locale_lang();
}

/* ---- the profile --------------------------------------------------------- */

static int
load_profile(struct ks_profile *p, const struct report_opts *o)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char path[PATH_MAX];
	struct ks_err err;

	if (o->profile != NULL) {
		if (ks_profile_load(p, o->profile, &err) < 0) {
			ks_cli_warn(_("profile: %s"), err.msg);
			return -1;
		}
		return 0;
	}
	ks_profile_init(p);
	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/kansatsu/profile.yml", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.config/kansatsu/profile.yml",
		    home);
	else
		path[0] = '\0';
	if (path[0] != '\0' && access(path, R_OK) == 0) {
		if (ks_profile_load(p, path, &err) < 0) {
			ks_cli_warn(_("profile: %s"), err.msg);
			return -1;
		}
		return 0;
	}
	if (!o->quiet)
		ks_cli_warn(_("no --profile: the report names no reporter "
		    "(kansatsu report --init-profile writes a template)"));
	return 0;
}

/* Flags over the profile: the element levels given on the command line. */
static void
apply_flags(struct ks_profile *p, const struct report_opts *o)
{
	enum ks_tlp *kinds[5] = {
		&p->tlp_source, &p->tlp_target, &p->tlp_intermediate,
		&p->tlp_excerpt, &p->contact_tlp,
	};

	if (o->have_tlp) {
		p->tlp = o->tlp;
		for (int i = 0; i < 4; i++)
			*kinds[i] = o->tlp;
	}
	for (int i = 0; i < 5; i++)
		if (o->have_kind[i])
			*kinds[i] = o->kind[i];
}

/* ---- findings in --------------------------------------------------------- */

static void
say_bad(const struct ks_findset *set, const char *path, uint64_t bad_before,
    uint64_t skipped_before)
{
	if (set->bad > bad_before)
		ks_cli_warn(_("%s: %llu lines are not findings (first: line "
		    "%llu: %s)"), path, (unsigned long long)(set->bad -
		    bad_before), (unsigned long long)set->first_bad_line,
		    set->first_bad.msg);
	if (set->skipped > skipped_before)
		ks_cli_warn(_("%s: %llu members or evidence items could not be "
		    "kept"), path, (unsigned long long)(set->skipped -
		    skipped_before));
}

static int
read_one(struct ks_findset *set, struct ks_report *r, int fd,
    const char *name)
{
	struct ks_err err;
	char sha[65];
	uint64_t bad = set->bad, skipped = set->skipped;

	if (ks_findset_read_fd(set, fd, name, sha, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		return -1;
	}
	say_bad(set, name, bad, skipped);
	if (!ks_report_add_input(r, name, sha)) {
		ks_cli_warn(_("out of memory"));
		return -1;
	}
	return 0;
}

static int
read_findings(struct ks_findset *set, struct ks_report *inputs, int npaths,
    char **paths, int in_fd, const char *in_name)
{
	int rc = 0;

	if (in_fd >= 0)
		return read_one(set, inputs, in_fd, in_name);
	if (npaths == 0)
		return read_one(set, inputs, STDIN_FILENO, "-");
	for (int i = 0; i < npaths && rc == 0; i++) {
		int fd;

		if (strcmp(paths[i], "-") == 0) {
			rc = read_one(set, inputs, STDIN_FILENO, "-");
			continue;
		}
		if ((fd = open(paths[i], O_RDONLY | O_CLOEXEC)) < 0) {
			ks_cli_warn("%s: %s", paths[i], strerror(errno));
			return -1;
		}
		rc = read_one(set, inputs, fd, paths[i]);
		close(fd);
	}
	return rc;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define UNHASHED_SHOWN 10

/*
 * Every evidence file the findings name, once each (sorted: there may be
 * many findings), hashed when it can be read; the first few that cannot
 * are named, the rest counted.
 */
static int
hash_evidence(struct ks_report *r, const struct ks_findings *fs, bool quiet)
{
	const char **paths;
	size_t n = 0, unhashed = 0;
	struct ks_err err;
	char sha[65];
	int rc = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += fs->v[i]->nev;
	if ((paths = calloc(n + 1, sizeof(*paths))) == NULL)
		return -1;
	n = 0;
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < fs->v[i]->nev; j++)
			if (fs->v[i]->ev[j].cursor == NULL &&
			    strcmp(fs->v[i]->ev[j].path, "journal") != 0)
				paths[n++] = fs->v[i]->ev[j].path;
	qsort(paths, n, sizeof(*paths), str_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i > 0 && strcmp(paths[i], paths[i - 1]) == 0)
			continue;
		if (ks_sha256_file(paths[i], sha, &err) == 0)
			rc = ks_report_add_input(r, paths[i], sha) ? 0 : -1;
		else if (!quiet && unhashed++ < UNHASHED_SHOWN)
			ks_cli_warn(_("%s: not hashed: %s"), paths[i], err.msg);
	}
	if (!quiet && unhashed > UNHASHED_SHOWN)
		ks_cli_warn(_("%zu more evidence files not hashed"),
		    unhashed - UNHASHED_SHOWN);
	free(paths);
	return rc;
}

/* The local zone's name: TZ, else what /etc/localtime links to. */
static const char *
local_zone(char *buf, size_t n)
{
	const char *tz = getenv("TZ"), *z;
	ssize_t len;

	if (tz != NULL && tz[0] != '\0')
		return tz[0] == ':' ? tz + 1 : tz;
	if ((len = readlink("/etc/localtime", buf, n - 1)) <= 0)
		return NULL;
	buf[len] = '\0';
	z = strstr(buf, "zoneinfo/");
	return z != NULL ? z + 9 : NULL;
}

/* ---- the report ----------------------------------------------------------- */

static void
build_opts(struct ks_report_opts *ro, const struct report_opts *o,
    const struct ks_profile *p, const char *lang, char *host, size_t hlen,
    char *zone, size_t zlen)
{
	struct ks_tz tz;
	struct ks_err err;

	memset(ro, 0, sizeof(*ro));
	ro->language = lang;
	ro->discovery = o->discovery;
	ro->request = o->request;
	ro->redact = o->redact;
	ro->now_us = ks_now_us();
	ro->version = KS_VERSION;
	ro->clock_sync = ks_clock_synchronised();
	ro->timezone = local_zone(zone, zlen);
	if (ks_tz_init(&tz, p->timezone, &err) == 0)
		ro->now_off = ks_tz_offset_utc(&tz, ro->now_us / 1000000);
	if (gethostname(host, hlen - 1) == 0)
		ro->host = host;
}

static int
make_report(const struct report_opts *o, struct ks_profile *p, int npaths,
    char **paths, int in_fd, const char *in_name)
{
	struct ks_findset set;
	struct ks_report inputs, r;
	struct ks_report_opts ro;
	struct ks_err err;
	struct ks_buf out;
	char host[256] = "", zone[PATH_MAX];
	int rc = KS_EXIT_USAGE;

	ks_report_init(&inputs);
	ks_report_init(&r);
	if (ks_findset_init(&set, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		return KS_EXIT_USAGE;
	}
	ks_buf_init(&out);
	if (read_findings(&set, &inputs, npaths, paths, in_fd, in_name) < 0)
		goto out;
	if (set.dropped > 0)
		ks_cli_warn(_("%llu findings left out: past the first %u, or "
		    "of rules past %u distinct ones"),
		    (unsigned long long)set.dropped, KS_FINDSET_MAX,
		    KS_FINDSET_RULES);
	ks_findings_sort(&set.list);
	/* before the build: --redact rewrites the paths */
	if (o->hash_evidence && hash_evidence(&inputs, &set.list, o->quiet) < 0)
		goto out;
	build_opts(&ro, o, p, choose_lang(o, p), host, sizeof(host), zone,
	    sizeof(zone));
	if (ks_report_build(&r, &set.list, p, &ro, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < inputs.ninputs; i++)
		if (!ks_report_add_input(&r, inputs.inputs[i].path,
		    inputs.inputs[i].sha256))
			goto out;
	if (ks_report_write(&out, &r, o->format, o->share, &err) < 0) {
		ks_cli_warn("%s", err.msg);
		goto out;
	}
	if (o->format == KS_RF_XARF && out.len == 0 && !o->quiet)
		ks_cli_warn(_("nothing to report in XARF at this disclosure "
		    "level: no source system, or no contact e-mail address"));
	rc = write_out(&out, o->out, false);
out:
	ks_buf_free(&out);
	ks_report_free(&r);
	ks_report_free(&inputs);
	ks_findset_free(&set);
	return rc;
}

static int
init_profile(const struct report_opts *o)
{
	struct ks_buf b;
	int rc;

	ks_buf_init(&b);
	ks_buf_adds(&b, ks_profile_template());
	rc = write_out(&b, o->out, true);
	ks_buf_free(&b);
	return rc;
}

/* The report command on argv, reading findings from in_fd when >= 0. */
static int
run_report(int argc, char **argv, int in_fd, const char *in_name)
{
	struct report_opts o;
	struct ks_profile p;
	int rc;

	if ((rc = parse_args(&o, argc, argv)) != 0)
		return rc < 0 ? KS_EXIT_OK : rc;
	if (o.init_profile) {
		if (o.lang != NULL)
			ks_i18n_init(KS_LOCALEDIR, o.lang);
		return init_profile(&o);
	}
	if (in_fd >= 0 && optind < argc) {
		ks_cli_warn(_("scan --report takes no findings files"));
		return KS_EXIT_USAGE;
	}
	if (load_profile(&p, &o) < 0)
		return KS_EXIT_USAGE;
	apply_flags(&p, &o);
	ks_i18n_init(KS_LOCALEDIR, choose_lang(&o, &p));
	rc = make_report(&o, &p, argc - optind, argv + optind, in_fd, in_name);
	ks_profile_free(&p);
	return rc;
}

int
ks_cmd_report(int argc, char **argv)
{
	return run_report(argc, argv, -1, NULL);
}

int
ks_cli_report_split(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--report") == 0)
			return i;
	return -1;
}

/*
 * scan's findings go, as JSON Lines, into a memory file (nothing is
 * written to the disk of the host being examined), which report then
 * reads as its input.
 */
int
ks_cli_scan_report(int argc, char **argv, int split,
    int (*scan)(int, char **))
{
	char **sargv = calloc((size_t)split + 4, sizeof(char *));
	int mfd = memfd_create("kansatsu-findings", MFD_CLOEXEC);
	int saved = dup(STDOUT_FILENO), src, rrc;

	if (sargv == NULL || mfd < 0 || saved < 0) {
		ks_cli_warn(_("scan --report: %s"), strerror(errno));
		free(sargv);
		if (mfd >= 0)
			close(mfd);
		if (saved >= 0)
			close(saved);
		return KS_EXIT_USAGE;
	}
	memcpy(sargv, argv, (size_t)split * sizeof(char *));
	sargv[split] = "--format";
	sargv[split + 1] = "jsonl";
	fflush(stdout);
	dup2(mfd, STDOUT_FILENO);
	src = scan(split + 2, sargv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	free(sargv);
	if (src == KS_EXIT_USAGE || lseek(mfd, 0, SEEK_SET) < 0) {
		close(mfd);
		return KS_EXIT_USAGE;
	}
	argv[split] = argv[0];
	rrc = run_report(argc - split, argv + split, mfd, "scan");
	close(mfd);
	return rrc != KS_EXIT_OK ? rrc : src;
}
