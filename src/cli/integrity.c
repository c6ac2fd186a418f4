/*
 * integrity.c - `kansatsu baseline` and `kansatsu verify`.
 *
 * baseline records what the system's files are (or makes a signing key
 * pair with --keygen); verify compares the files with a baseline, and
 * with --packages / --packages-from the installed Debian packages with
 * dpkg's sums or trusted .deb files.  Both share the options that say
 * what to read and how (--root, --jobs, --nice), print what went wrong
 * with single files as notices on stderr, and print findings as every
 * analysing command does.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "integrity/integrity.h"
#include "report/report.h"
#include "util/i18n.h"

struct iopts {
	const char *db, *root, *config, *sign_key, *pubkey, *keygen;
	const char *hostname, *debdir;
	const char **paths;
	size_t npaths;
	unsigned jobs;
	bool nice, cross_mounts, update, insecure, packages, jsonl, quiet;
	bool progress;
	int fail_on;
};

struct ictx {
	struct ks_progress progress;
	struct ks_buf err;
	bool quiet;
};

static const char usage_baseline[] = N_(
"usage: kansatsu baseline --db FILE [OPTIONS]\n"
"       kansatsu baseline --keygen SECRET [--pubkey PUBLIC]\n"
"\n"
"Records type, mode, owner, size, times, inode, links, symlink target,\n"
"extended attributes, capabilities and SHA-256 of the files the\n"
"configuration names (default: /bin /sbin /usr /lib* /etc /boot) into\n"
"the SQLite file FILE.  Keep the secret key off this host.\n"
"\n"
"  --db FILE          the baseline to write\n"
"  --root DIR         the system mounted at DIR instead of /\n"
"  --config FILE      what to record and check (default: the bundled\n"
"                     integrity.conf; with --update: the baseline's)\n"
"  --path PATH        record PATH instead of the configured paths\n"
"                     (repeatable)\n"
"  --update           read again only the files whose inode, size, mtime\n"
"                     or ctime changed; keep the other digests\n"
"  --sign-key SECRET  sign the baseline into FILE.sig\n"
"  --pubkey PUBLIC    with --update: check the old baseline with it\n"
"                     (--sign-key checks it too); with --keygen: where\n"
"                     to write the public key (default SECRET.pub)\n"
"  --insecure         with --update: use an unsigned or altered baseline\n"
"  --keygen SECRET    write a new Ed25519 key pair and exit\n"
"  --jobs N           hashing threads (default: one per core)\n"
"  --nice             low CPU and I/O priority; leave the page cache be\n"
"  --cross-mounts     descend into other file systems (never /proc, /sys)\n"
"  --hostname NAME    the host the baseline is of (default: this host)\n"
"  --no-progress      no progress line on a terminal\n"
"  -q, --quiet        no summary\n"
"  -h, --help         this help\n"
"\n"
"Exit status: 0 done, 2 usage or input error.\n");

static const char usage_verify[] = N_(
"usage: kansatsu verify --db FILE [OPTIONS]\n"
"       kansatsu verify --packages [--packages-from DIR] [OPTIONS] [PACKAGE...]\n"
"\n"
"Compares the files with a baseline: added, removed and changed files,\n"
"with rpm -Va's letters (S size, M mode, 5 digest, D device, L link, U\n"
"user, G group, T mtime, P capabilities).  With --packages, checks the\n"
"installed packages against dpkg's md5sums and conffiles; with\n"
"--packages-from, against the .deb files in DIR, which dpkg's own files\n"
"on this disk cannot fool.\n"
"\n"
"  --db FILE            the baseline (refused unsigned or altered)\n"
"  --pubkey PUBLIC      the public key to check FILE.sig with\n"
"  --insecure           use an unsigned or altered baseline all the same\n"
"  --packages           verify the installed Debian packages\n"
"  --packages-from DIR  ... against the .deb files in DIR\n"
"  --root DIR           the system mounted at DIR instead of /\n"
"  --jobs N             hashing threads (default: one per core)\n"
"  --nice               low CPU and I/O priority; leave the page cache be\n"
"  --cross-mounts       descend into other file systems\n"
"  --hostname NAME      host.name of the findings (default: the\n"
"                       baseline's, or this host)\n"
"  --format text|jsonl  format of findings (default text)\n"
"  --fail-on SEVERITY   exit 1 on findings at or above it (default high)\n"
"  --no-progress        no progress line on a terminal\n"
"  -q, --quiet          no summary on stderr\n"
"  -h, --help           this help\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above\n"
"it, 2 usage or input error (an unsigned baseline among them).\n");

enum {
	OPT_DB = 256, OPT_ROOT, OPT_CONFIG, OPT_PATH, OPT_UPDATE, OPT_SIGN_KEY,
	OPT_PUBKEY, OPT_INSECURE, OPT_KEYGEN, OPT_JOBS, OPT_NICE,
	OPT_CROSS_MOUNTS, OPT_HOSTNAME, OPT_NO_PROGRESS, OPT_PACKAGES,
	OPT_PACKAGES_FROM, OPT_FORMAT, OPT_FAIL_ON,
};

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "update", no_argument, NULL, OPT_UPDATE },
	{ "sign-key", required_argument, NULL, OPT_SIGN_KEY },
	{ "pubkey", required_argument, NULL, OPT_PUBKEY },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "keygen", required_argument, NULL, OPT_KEYGEN },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "nice", no_argument, NULL, OPT_NICE },
	{ "cross-mounts", no_argument, NULL, OPT_CROSS_MOUNTS },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "packages", no_argument, NULL, OPT_PACKAGES },
	{ "packages-from", required_argument, NULL, OPT_PACKAGES_FROM },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --path: absolute, without a trailing slash (kept in place). */
static int
add_path(struct iopts *o, char *arg)
{
	size_t n = strlen(arg);

	if (arg[0] != '/' || strstr(arg, "//") != NULL ||
	    strstr(arg, "/./") != NULL || strstr(arg, "/../") != NULL) {
		ks_cli_warn(_("--path: '%s' is not an absolute path without "
		    "., .. or //"), arg);
		return -1;
	}
	while (n > 1 && arg[n - 1] == '/')
		arg[--n] = '\0';
	o->paths[o->npaths++] = arg;
	return 0;
}

static int
parse_jobs(struct iopts *o, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 1 || v > 256) {
		ks_cli_warn(_("--jobs: '%s' is not a number from 1 to 256"), arg);
		return -1;
	}
	o->jobs = (unsigned)v;
	return 0;
}

static int
parse_opt(void *ctx, int c, const char *arg)
{
	struct iopts *o = ctx;

	switch (c) {
	case OPT_DB: o->db = arg; break;
	case OPT_ROOT: o->root = arg; break;
	case OPT_CONFIG: o->config = arg; break;
	/* optarg points into argv, which is ours to trim */
	case OPT_PATH: return add_path(o, (char *)arg);
	case OPT_UPDATE: o->update = true; break;
	case OPT_SIGN_KEY: o->sign_key = arg; break;
	case OPT_PUBKEY: o->pubkey = arg; break;
	case OPT_INSECURE: o->insecure = true; break;
	case OPT_KEYGEN: o->keygen = arg; break;
	case OPT_JOBS: return parse_jobs(o, arg);
	case OPT_NICE: o->nice = true; break;
	case OPT_CROSS_MOUNTS: o->cross_mounts = true; break;
	case OPT_HOSTNAME: o->hostname = arg; break;
	case OPT_NO_PROGRESS: o->progress = false; break;
	case OPT_PACKAGES: o->packages = true; break;
	case OPT_PACKAGES_FROM: o->debdir = arg; o->packages = true; break;
	case OPT_FORMAT: return ks_cli_format_opt(arg, &o->jsonl);
	case OPT_FAIL_ON: return ks_cli_fail_on_opt(arg, &o->fail_on);
	case 'q': o->quiet = true; break;
	default: return -1;
	}
	return 0;
}

/* 0 to go on, -1 after --help, else the exit status. */
static int
parse_args(struct iopts *o, int argc, char **argv, const char *usage)
{
	memset(o, 0, sizeof(*o));
	o->progress = true;
	o->fail_on = KS_SEV_HIGH;
	if ((o->paths = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return KS_EXIT_USAGE;
	return ks_cli_getopt(argc, argv, long_opts, usage, parse_opt, o);
}

static void
on_notice(void *ctx, const char *path, const char *what)
{
	struct ictx *x = ctx;

	if (x->quiet)
		return;
	ks_progress_done(&x->progress);
	ks_buf_adds(&x->err, "kansatsu: ");
	ks_escape_text(&x->err, path, strlen(path));
	ks_buf_adds(&x->err, ": ");
	ks_escape_text(&x->err, what, strlen(what));
	ks_buf_addc(&x->err, '\n');
	ks_buf_flush(&x->err, STDERR_FILENO);
}

static void
on_progress(void *ctx, const char *path, uint64_t files, uint64_t bytes)
{
	struct ictx *x = ctx;

	(void)files;
	ks_progress_show(&x->progress, path, bytes, 0);
}

static void
ictx_init(struct ictx *x, const struct iopts *o)
{
	memset(x, 0, sizeof(*x));
	ks_buf_init(&x->err);
	x->quiet = o->quiet;
	ks_progress_init(&x->progress, o->progress && !o->quiet);
}

static void
ictx_free(struct ictx *x)
{
	ks_progress_done(&x->progress);
	ks_buf_free(&x->err);
}

/* The options both commands share, into the library's. */
static int
fim_opts(struct ks_fim_opts *fo, const struct iopts *o, struct ictx *x,
    char *host, size_t hlen)
{
	struct ks_err err;

	memset(fo, 0, sizeof(*fo));
	if (o->nice && ks_fim_lower_priority(&err) < 0)
		ks_cli_warn("--nice: %s", err.msg);
	fo->root = o->root;
	fo->paths = o->paths;
	fo->npaths = o->npaths;
	fo->jobs = o->jobs;
	fo->nice = o->nice;
	fo->cross_mounts = o->cross_mounts;
	fo->now_us = ks_now_us();
	fo->notice = on_notice;
	fo->progress = on_progress;
	fo->ctx = x;
	if (o->hostname != NULL)
		fo->host = o->hostname;
	else if (gethostname(host, hlen - 1) == 0)
		fo->host = host;
	else
		fo->host = "";
	return 0;
}

/* ---- baseline ----------------------------------------------------------- */

/* The bundled configuration: installed, else the source tree's. */
static const char *
bundled_config(void)
{
	struct stat st;

	if (stat(KS_INTEGRITY_CONF, &st) == 0 && S_ISREG(st.st_mode))
		return KS_INTEGRITY_CONF;
	return KS_SOURCE_INTEGRITY_CONF;
}

static int
keygen(const struct iopts *o)
{
	char pub[4096];
	struct ks_err err;

	if (o->pubkey != NULL)
		snprintf(pub, sizeof(pub), "%s", o->pubkey);
	else if ((size_t)snprintf(pub, sizeof(pub), "%s.pub", o->keygen) >=
	    sizeof(pub)) {
		ks_cli_warn("--keygen: path too long");
		return KS_EXIT_USAGE;
	}
	if (ks_sig_keygen(o->keygen, pub, &err) < 0) {
		ks_cli_warn("--keygen: %s", err.msg);
		return KS_EXIT_USAGE;
	}
	if (!o->quiet)
		printf(_("secret key: %s (keep it off this host)\npublic key: "
		    "%s\n"), o->keygen, pub);
	return KS_EXIT_OK;
}

static void
absent_roots(struct ks_buf *b, const struct ks_fim_stats *st)
{
	if (st->absent[0] == '\0')
		return;
	ks_buf_adds(b, _("  not present: "));
	ks_escape_text(b, st->absent, strlen(st->absent));
	ks_buf_addc(b, '\n');
}

static void
baseline_summary(const struct iopts *o, const struct ks_fim_stats *st,
    const struct ks_fim_baseline_opts *bo)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_addf(&b, _("baseline %s: %llu files (%llu regular, %llu "
	    "directories, %llu links, %llu other), %llu read (%.1f MB)"),
	    o->db, (unsigned long long)st->files,
	    (unsigned long long)st->regular, (unsigned long long)st->dirs,
	    (unsigned long long)st->symlinks, (unsigned long long)st->other,
	    (unsigned long long)st->hashed, (double)st->bytes / 1e6);
	ks_buf_addf(&b, _(", %llu left out, %llu mount points not entered, "
	    "%llu notices%s\n"), (unsigned long long)st->excluded,
	    (unsigned long long)st->mounts, (unsigned long long)st->errors,
	    o->sign_key != NULL ? _(", signed") : _(", NOT signed"));
	if (o->update)
		ks_buf_addf(&b, _("update: re-hashed %llu files, kept the "
		    "digests of %llu unchanged ones\n"),
		    (unsigned long long)st->hashed,
		    (unsigned long long)st->reused);
	if (o->update && bo->old_sig != KS_SIG_GOOD)
		ks_buf_addf(&b, _("warning: the old baseline was used with "
		    "--insecure: %s\n"), bo->old_sig_msg);
	absent_roots(&b, st);
	ks_buf_flush(&b, STDOUT_FILENO);
	ks_buf_free(&b);
}

static int
run_baseline(const struct iopts *o, struct ks_fim_config *cfg, bool have_cfg)
{
	struct ks_fim_baseline_opts bo;
	struct ks_fim_stats st;
	struct ks_fim_opts fo;
	struct ictx x;
	struct ks_err err;
	char host[256] = "";
	int rc;

	memset(&bo, 0, sizeof(bo));
	bo.db = o->db;
	bo.sign_key = o->sign_key;
	bo.update = o->update;
	bo.trust.pubkey = o->pubkey;
	bo.trust.seckey = o->pubkey == NULL ? o->sign_key : NULL;
	bo.trust.insecure = o->insecure;
	ictx_init(&x, o);
	fim_opts(&fo, o, &x, host, sizeof(host));
	fo.cfg = have_cfg ? cfg : NULL;
	rc = ks_fim_baseline(&fo, &bo, &st, &err);
	ictx_free(&x);
	if (rc < 0) {
		ks_cli_warn("%s", err.msg);
		return KS_EXIT_USAGE;
	}
	if (!o->quiet)
		baseline_summary(o, &st, &bo);
	return KS_EXIT_OK;
}

int
ks_cmd_baseline(int argc, char **argv)
{
	struct iopts o;
	struct ks_fim_config cfg;
	struct ks_err err;
	bool have_cfg = false;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	if ((rc = parse_args(&o, argc, argv, usage_baseline)) != 0) {
		free(o.paths);
		return rc < 0 ? KS_EXIT_OK : rc;
	}
	rc = KS_EXIT_USAGE;
	if (optind < argc || (o.keygen == NULL && o.db == NULL)) {
		ks_cli_warn(_("baseline takes --db FILE (or --keygen) and no "
		    "other argument"));
		fputs(_(usage_baseline), stderr);
	} else if (o.keygen != NULL) {
		rc = keygen(&o);
	} else if ((o.config != NULL || !o.update) &&
	    ks_fim_config_load(&cfg, o.config != NULL ? o.config :
	    bundled_config(), &err) < 0) {
		ks_cli_warn("--config: %s", err.msg);
	} else {
		have_cfg = o.config != NULL || !o.update;
		rc = run_baseline(&o, &cfg, have_cfg);
	}
	ks_fim_config_free(&cfg);
	free(o.paths);
	return rc;
}

/* ---- verify --------------------------------------------------------------- */

static const char *
sig_word(enum ks_sig_state s)
{
	switch (s) {
	case KS_SIG_GOOD: return _("signature good");
	case KS_SIG_UNSIGNED: return _("NOT SIGNED");
	case KS_SIG_NO_KEY: return _("signature NOT CHECKED");
	default: return _("signature BAD");
	}
}

static void
files_summary(const struct iopts *o, const struct ks_fim_stats *st,
    const struct ks_fim_db_info *info)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_addf(&b, _("kansatsu: verified %llu files against %s (made "),
	    (unsigned long long)st->files, o->db);
	ks_escape_text(&b, info->created ? info->created : "?",
	    strlen(info->created ? info->created : "?"));
	ks_buf_adds(&b, _(" on "));
	ks_escape_text(&b, info->host ? info->host : "?",
	    strlen(info->host ? info->host : "?"));
	ks_buf_addf(&b, _(", %llu files, %s): %llu added, %llu removed, "
	    "%llu changed, %llu notices\n"), (unsigned long long)info->files,
	    sig_word(info->sig), (unsigned long long)st->added,
	    (unsigned long long)st->removed, (unsigned long long)st->changed,
	    (unsigned long long)st->errors);
	absent_roots(&b, st);
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
}

static int
verify_files(const struct iopts *o, const struct ks_fim_opts *fo,
    struct ks_findings *out)
{
	struct ks_fim_trust trust = { o->pubkey, NULL, o->insecure };
	struct ks_fim_opts f = *fo;
	struct ks_fim_db_info info;
	struct ks_fim_stats st;
	struct ks_err err;
	int rc;

	f.host = o->hostname;           /* NULL: the baseline's */
	rc = ks_fim_verify_path(o->db, &trust, &f, out, &st, &info, &err);
	ks_progress_done(&((struct ictx *)fo->ctx)->progress);
	if (rc < 0)
		ks_cli_warn("%s", err.msg);
	else if (info.sig != KS_SIG_GOOD)
		ks_cli_warn(_("warning: %s; used because of --insecure"),
		    info.sig_msg);
	if (rc == 0 && !o->quiet)
		files_summary(o, &st, &info);
	ks_fim_db_info_free(&info);
	return rc;
}

static void
packages_summary(const struct iopts *o, const struct ks_pkg_stats *st)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_addf(&b, _("kansatsu: checked %llu packages, %llu files (%.1f "
	    "MB): %llu changed, %llu missing, %llu conffiles changed"),
	    (unsigned long long)st->packages, (unsigned long long)st->files,
	    (double)st->bytes / 1e6, (unsigned long long)st->changed,
	    (unsigned long long)st->missing,
	    (unsigned long long)st->conffiles_changed);
	if (o->debdir == NULL)
		ks_buf_addf(&b, _(", %llu packages without an md5sums file"),
		    (unsigned long long)st->no_sums);
	if (o->debdir != NULL)
		ks_buf_addf(&b, _(", %llu md5sums lines that disagree with the "
		    ".deb; %llu .deb files read, %llu not used, %llu installed "
		    "packages without a .deb"),
		    (unsigned long long)st->sums_tampered,
		    (unsigned long long)st->debs,
		    (unsigned long long)st->debs_skipped,
		    (unsigned long long)st->no_deb);
	ks_buf_addf(&b, _("; %llu lines of dpkg's files not understood, %llu "
	    "notices\n"), (unsigned long long)st->unparsed,
	    (unsigned long long)st->errors);
	ks_buf_flush(&b, STDERR_FILENO);
	ks_buf_free(&b);
}

static int
verify_packages(const struct iopts *o, const struct ks_fim_opts *fo,
    char **names, size_t nnames, struct ks_findings *out)
{
	struct ks_pkg_opts po;
	struct ks_pkg_stats st;
	struct ks_err err;

	memset(&po, 0, sizeof(po));
	po.root = o->root;
	po.debdir = o->debdir;
	po.names = (const char *const *)names;
	po.nnames = nnames;
	po.jobs = o->jobs;
	po.nice = o->nice;
	po.host = fo->host;
	po.now_us = fo->now_us;
	po.notice = fo->notice;
	po.progress = fo->progress;
	po.ctx = fo->ctx;
	if (ks_pkg_verify(&po, out, &st, &err) < 0) {
		ks_progress_done(&((struct ictx *)fo->ctx)->progress);
		ks_cli_warn("%s", err.msg);
		return -1;
	}
	ks_progress_done(&((struct ictx *)fo->ctx)->progress);
	if (!o->quiet)
		packages_summary(o, &st);
	return 0;
}

static int
run_verify(const struct iopts *o, char **names, size_t nnames)
{
	struct ks_findings out;
	struct ks_fim_opts fo;
	struct ks_buf b;
	struct ictx x;
	char host[256] = "";
	bool fail;
	int rc = 0;

	ks_findings_init(&out);
	ictx_init(&x, o);
	fim_opts(&fo, o, &x, host, sizeof(host));
	if (o->db != NULL)
		rc = verify_files(o, &fo, &out);
	if (rc == 0 && o->packages)
		rc = verify_packages(o, &fo, names, nnames, &out);
	if (rc == 0) {
		ks_fim_findings_sort(&out);
		ks_buf_init(&b);
		fail = ks_cli_print_findings(&b,
		    (const struct ks_finding *const *)out.v, out.n, o->jsonl,
		    o->quiet, o->fail_on);
		if (ks_buf_flush(&b, STDOUT_FILENO) < 0) {
			ks_cli_warn(_("write error on standard output"));
			rc = -1;
		} else {
			rc = fail ? KS_EXIT_FINDINGS : KS_EXIT_OK;
		}
		ks_buf_free(&b);
	}
	ks_findings_free(&out);
	ictx_free(&x);
	return rc < 0 ? KS_EXIT_USAGE : rc;
}

int
ks_cmd_verify(int argc, char **argv)
{
	struct iopts o;
	int rc;

	if ((rc = parse_args(&o, argc, argv, usage_verify)) != 0) {
		free(o.paths);
		return rc < 0 ? KS_EXIT_OK : rc;
	}
	if ((o.db == NULL && !o.packages) || (optind < argc && !o.packages) ||
	    o.config != NULL || o.npaths > 0 || o.update || o.sign_key ||
	    o.keygen) {
		ks_cli_warn(_("verify takes --db FILE, --packages or both; "
		    "package names only with --packages"));
		fputs(_(usage_verify), stderr);
		free(o.paths);
		return KS_EXIT_USAGE;
	}
	rc = run_verify(&o, argv + optind, (size_t)(argc - optind));
	free(o.paths);
	return rc;
}
