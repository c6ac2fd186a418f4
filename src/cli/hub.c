/*
 * hub.c - `kansatsu hub`: the CSIRT's side (see src/hub/hub.h).
 *
 * Global options choose the database (an SQLite file under
 * $XDG_DATA_HOME/kansatsu by default, or a postgresql:// URL), the
 * noise controls and the analyst's name; the subcommands ingest
 * reports, show what is related, keep incidents, write notification
 * drafts and the monthly statistics.  Everything read from reports is
 * escaped before it reaches the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "frame/frame.h"
#include "hub/hub.h"
#include "util/i18n.h"

struct hub_cli {
	struct ks_hub_opts o;
	char *dbpath;             /* the default path, owned */
	struct ks_buf out;
	bool jsonl;
};

static const char usage_hub[] = N_(
"usage: kansatsu hub [OPTIONS] COMMAND [ARGS]\n"
"\n"
"The CSIRT's side: reports from many sites in, related sites found,\n"
"incidents kept, notification drafts and monthly statistics out.\n"
"\n"
"Commands:\n"
"  ingest [--reporter PROFILE] FILE...   store reports (kansatsu report\n"
"                        JSON, IODEF v2, XARF v3; findings JSONL with the\n"
"                        site's profile)\n"
"  reports               list the reports\n"
"  related REPORT|ADDRESS  related reports, and why\n"
"  incidents [--status S]  list incidents (S: new, open, resolved)\n"
"  incident ID [--status S] [--note TEXT] [--add REPORT]\n"
"                        show an incident, or act on it (audited)\n"
"  notify INCIDENT [--outbox DIR] [--lang ja|en] [--from ADDRESS]\n"
"                        one mail draft (.eml) per related site\n"
"  stats --month YYYY-MM | --from DATE --to DATE\n"
"        [--format text|markdown|html] [--lang ja|en] [--tz ZONE]\n"
"                        the monthly report\n"
"\n"
"Options:\n"
"  --db PATH|URL         SQLite file, or postgresql://... (default:\n"
"                        $XDG_DATA_HOME/kansatsu/hub.db)\n"
"  --warninglist FILE    more values that must not link reports\n"
"  --max-links N         a value linking more reports links none (20)\n"
"  --window SPAN         time window of the weaker links (7d)\n"
"  --by NAME             the analyst, for the audit trail (login name)\n"
"  --format text|jsonl   for reports, related and incidents\n"
"  -h, --help            this help\n"
"\n"
"Exit status: 0 done, 2 usage or input error.\n");

/* ---- set-up ---------------------------------------------------------------- */

static int
mkdir_private(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

/* $XDG_DATA_HOME/kansatsu/hub.db, its directories made 0700. */
static char *
default_db(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct ks_buf b;

	ks_buf_init(&b);
	if (xdg != NULL && xdg[0] == '/') {
		ks_buf_adds(&b, xdg);
	} else {
		if (home == NULL || home[0] != '/') {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : "/";
		}
		ks_buf_addf(&b, "%s/.local", home);
		ks_buf_addc(&b, '\0');
		if (!b.failed)
			mkdir_private(b.p);
		b.len--;
		ks_buf_adds(&b, "/share");
	}
	ks_buf_addc(&b, '\0');
	if (!b.failed)
		mkdir_private(b.p);
	b.len--;
	ks_buf_adds(&b, "/kansatsu");
	ks_buf_addc(&b, '\0');
	if (!b.failed && mkdir_private(b.p) < 0)
		ks_cli_warn(_("cannot create %s: %s"), b.p, strerror(errno));
	b.len--;
	ks_buf_adds(&b, "/hub.db");
	ks_buf_addc(&b, '\0');
	if (b.failed) {
		ks_buf_free(&b);
		return NULL;
	}
	return b.p;
}

static const char *
login_name(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL ? pw->pw_name : "unknown";
}

static int
parse_span(const char *s, int64_t *us)
{
	struct ks_tz tz;
	struct ks_err err;
	int64_t now = ks_now_us(), then;

	if (ks_tz_init(&tz, "UTC", &err) < 0 ||
	    !ks_isdigit(s[0]) ||
	    ks_time_parse_user(s, &tz, now, &then, &err) < 0 || then >= now)
		return -1;
	*us = now - then;
	return 0;
}

static int
open_hub(struct hub_cli *c, struct ks_hub **h)
{
	struct ks_err err;

	if (c->o.db == NULL) {
		if ((c->dbpath = default_db()) == NULL)
			return -1;
		c->o.db = c->dbpath;
	}
	if (ks_hub_open(h, &c->o, &err) < 0) {
		ks_cli_warn("hub: %s", err.msg);
		return -1;
	}
	return 0;
}

/* ---- reading files --------------------------------------------------------- */

/* The whole file, at most KS_HUB_FILE_MAX bytes; the caller frees it. */
static char *
read_file(const char *path, size_t *n, struct ks_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		ks_err_set(err, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ks_err_set(err, _("not a regular file"));
		goto fail;
	}
	if ((uint64_t)st.st_size > KS_HUB_FILE_MAX) {
		ks_err_set(err, _("larger than %zu MiB"), KS_HUB_FILE_MAX >> 20);
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		ks_err_set(err, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size &&
	    (r = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ks_err_set(err, "%s", strerror(errno));
			goto fail;
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*n = got;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* ---- output helpers ---------------------------------------------------------- */

static void
out_text(struct ks_buf *b, const char *s)
{
	ks_escape_text(b, s, strlen(s));
}

static void
out_time(struct ks_buf *b, int64_t us, int32_t off)
{
	ks_time_format(b, us, off);
}

static void
flush(struct hub_cli *c)
{
	ks_buf_flush(&c->out, STDOUT_FILENO);
}

/* ---- ingest -------------------------------------------------------------------- */

static void
print_ingested(struct hub_cli *c, const char *path,
    const struct ks_hub_ingested *r)
{
	struct ks_buf *b = &c->out;

	out_text(b, path);
	if (r->duplicate) {
		ks_buf_addf(b, _(": already there as report %lld\n"),
		    (long long)r->report_id);
		return;
	}
	ks_buf_addf(b, _(": report %lld (%s, %llu findings, %llu elements, "
	    "%llu indicators), incident %lld%s\n"), (long long)r->report_id,
	    r->format, (unsigned long long)r->nfindings,
	    (unsigned long long)r->nelements,
	    (unsigned long long)r->nindicators, (long long)r->incident_id,
	    r->new_incident ? _(" (new)") : "");
	if (r->unparsed > 0 || r->bad_values > 0)
		ks_cli_warn(_("%s: %llu parts not understood, %llu values not "
		    "valid (kept in the raw report)"), path,
		    (unsigned long long)r->unparsed,
		    (unsigned long long)r->bad_values);
}

static int
load_profile(const char *path, struct ks_hub_profile *p, char **text,
    size_t *n)
{
	struct ks_err err;

	if ((*text = read_file(path, n, &err)) == NULL ||
	    ks_hub_profile_parse(p, *text, *n, &err) < 0) {
		ks_cli_warn("%s: %s", path, err.msg);
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

/*
 * Ingest is a pipeline of two: a reading thread reads and parses the
 * next file (ks_hub_prepare needs no database) while this one stores
 * the last (ks_hub_store), so that on two cores parsing and storing
 * overlap.  Two slots, handed over under a mutex; files keep their
 * order, and each is acknowledged after its commit.
 */
struct slot {
	char *data;
	size_t n;
	struct ks_hub_parsed p;
	bool ready, ok;
	struct ks_err err;
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slot[2];
	char **files;
	int nfiles;
	const struct ks_hub_profile *prof;
	const char *ptext;
	size_t pn;
};

static void
fill(struct reader *rd, struct slot *s, const char *path)
{
	s->ok = false;
	if ((s->data = read_file(path, &s->n, &s->err)) == NULL)
		return;
	s->ok = ks_hub_prepare(&s->p, s->data, s->n, rd->prof, rd->ptext,
	    rd->pn, &s->err) == 0;
}

static void *
read_files(void *arg)
{
	struct reader *rd = arg;

	for (int i = 0; i < rd->nfiles; i++) {
		struct slot *s = &rd->slot[i % 2];

		pthread_mutex_lock(&rd->mu);
		while (s->ready)
			pthread_cond_wait(&rd->cv, &rd->mu);
		pthread_mutex_unlock(&rd->mu);
		fill(rd, s, rd->files[i]);
		pthread_mutex_lock(&rd->mu);
		s->ready = true;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
	}
	return NULL;
}

/* Stores the slot's report (or says why not); true when it went well. */
static bool
store_slot(struct hub_cli *c, struct ks_hub *h, struct slot *s,
    const char *path)
{
	struct ks_hub_ingested res;
	bool ok = s->ok && ks_hub_store(h, path, &s->p, &res,
	    &s->err) == 0;

	if (ok) {
		/* acknowledged only now, after the commit */
		print_ingested(c, path, &res);
		flush(c);
	} else {
		ks_cli_warn("%s: %s", path, s->err.msg);
	}
	if (s->data != NULL)
		ks_hub_parsed_free(&s->p);
	free(s->data);
	s->data = NULL;
	return ok;
}

static int
ingest_files(struct hub_cli *c, struct ks_hub *h, struct reader *rd)
{
	pthread_t tid;
	int rc = KS_EXIT_OK;

	if (pthread_mutex_init(&rd->mu, NULL) != 0 ||
	    pthread_cond_init(&rd->cv, NULL) != 0 ||
	    pthread_create(&tid, NULL, read_files, rd) != 0) {
		ks_cli_warn(_("hub ingest: cannot start the reading thread"));
		return KS_EXIT_USAGE;
	}
	for (int i = 0; i < rd->nfiles; i++) {
		struct slot *s = &rd->slot[i % 2];

		pthread_mutex_lock(&rd->mu);
		while (!s->ready)
			pthread_cond_wait(&rd->cv, &rd->mu);
		pthread_mutex_unlock(&rd->mu);
		if (!store_slot(c, h, s, rd->files[i]))
			rc = KS_EXIT_USAGE;
		pthread_mutex_lock(&rd->mu);
		s->ready = false;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
	}
	pthread_join(tid, NULL);
	pthread_cond_destroy(&rd->cv);
	pthread_mutex_destroy(&rd->mu);
	return rc;
}

static int
cmd_ingest(struct hub_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reporter", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ks_hub_profile prof;
	struct reader rd;
	char *ptext = NULL;
	size_t pn = 0;
	const char *reporter = NULL;
	struct ks_hub *h;
	int ch, rc;

	optind = 0;   /* 0: glibc starts a fresh scan, permuting again */
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'r')
			reporter = optarg;
		else
			return KS_EXIT_USAGE;
	}
	if (optind >= argc) {
		ks_cli_warn(_("hub ingest: no file given"));
		return KS_EXIT_USAGE;
	}
	if (reporter != NULL && load_profile(reporter, &prof, &ptext, &pn) < 0)
		return KS_EXIT_USAGE;
	rc = KS_EXIT_USAGE;
	if (open_hub(c, &h) == 0) {
		memset(&rd, 0, sizeof(rd));
		rd.files = argv + optind;
		rd.nfiles = argc - optind;
		rd.prof = reporter ? &prof : NULL;
		rd.ptext = ptext;
		rd.pn = pn;
		rc = ingest_files(c, h, &rd);
		ks_hub_close(h);
	}
	if (reporter != NULL) {
		ks_hub_profile_free(&prof);
		free(ptext);
	}
	return rc;
}

/* ---- reports -------------------------------------------------------------------- */

static void
report_row(struct hub_cli *c, const struct ks_hub_report_row *r)
{
	struct ks_buf *b = &c->out;

	if (c->jsonl) {
		ks_buf_addf(b, "{\"report\":%lld,\"incident\":%lld,\"hash\":",
		    (long long)r->id, (long long)r->incident_id);
		ks_json_str(b, r->hash, strlen(r->hash));
		ks_buf_adds(b, ",\"site\":");
		ks_json_str(b, r->site, strlen(r->site));
		ks_buf_addf(b, ",\"format\":\"%s\",\"reported\":\"", r->format);
		out_time(b, r->reported_us, r->reported_off);
		ks_buf_addf(b, "\",\"category\":\"%s\",\"jpcert\":\"%s\","
		    "\"tlp\":\"%s\",\"findings\":%llu,\"title\":",
		    ks_cat_english(r->cat), ks_cat_jpcert(r->cat),
		    ks_tlp_name(r->tlp), (unsigned long long)r->nfindings);
		ks_json_str(b, r->title, strlen(r->title));
		ks_buf_adds(b, "}\n");
		return;
	}
	ks_buf_addf(b, "%4lld  ", (long long)r->id);
	out_time(b, r->reported_us, r->reported_off);
	ks_buf_adds(b, "  ");
	out_text(b, r->site);
	ks_buf_addf(b, "  %s  %s/%s  incident %lld  %s  %.15s  ", r->format,
	    ks_cat_jpcert(r->cat), _(ks_cat_english(r->cat)),
	    (long long)r->incident_id, ks_tlp_name(r->tlp), r->hash);
	out_text(b, r->title);
	ks_buf_addc(b, '\n');
}

static int
cmd_reports(struct hub_cli *c, int argc, char **argv)
{
	struct ks_hub_report_rows rows;
	struct ks_hub *h;
	struct ks_err err;
	int rc = KS_EXIT_OK;

	(void)argv;
	if (argc > 1)
		return KS_EXIT_USAGE;
	if (open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	if (ks_hub_reports(h, 0, &rows, &err) < 0) {
		ks_cli_warn("hub: %s", err.msg);
		rc = KS_EXIT_USAGE;
	} else {
		for (size_t i = 0; i < rows.n; i++)
			report_row(c, &rows.v[i]);
		ks_hub_report_rows_free(&rows);
	}
	ks_hub_close(h);
	return rc;
}

/* ---- related ---------------------------------------------------------------------- */

static void
why_text(struct ks_buf *b, const struct ks_hub_link *l)
{
	const char *d = l->detail;

	switch (l->why) {
	case KS_WHY_SAME_SOURCE:
		ks_buf_addf(b, _("same source address %s"), l->value);
		break;
	case KS_WHY_SOURCE_IN_SITE:
		ks_buf_addf(b, _("source %s is inside %s's network %s: a host "
		    "of %s is a stepping stone"), l->value, l->site,
		    d ? d : l->value, l->site);
		break;
	case KS_WHY_SITE_HAS_SOURCE:
		ks_buf_addf(b, _("its source %s is inside this site's network "
		    "%s: a host of this site is a stepping stone"), l->value,
		    d ? d : l->value);
		break;
	case KS_WHY_SAME_DOMAIN:
		ks_buf_addf(b, _("same source domain %s"), l->value);
		break;
	case KS_WHY_SAME_ACCOUNT:
		ks_buf_addf(b, _("same account %s"), l->value);
		break;
	case KS_WHY_SAME_NETWORK:
		ks_buf_addf(b, _("same network %s (weaker)"), l->value);
		break;
	case KS_WHY_SAME_AS:
		ks_buf_addf(b, _("same AS %s (weaker)"), l->value);
		break;
	}
}

static void
link_json(struct ks_buf *b, const struct ks_hub_link *l)
{
	ks_buf_addf(b, "{\"report\":%lld,\"site\":", (long long)l->report_id);
	ks_json_str(b, l->site, strlen(l->site));
	ks_buf_addf(b, ",\"why\":\"%s\",\"weak\":%s,\"value\":",
	    ks_why_name(l->why), ks_why_weak(l->why) ? "true" : "false");
	ks_json_str(b, l->value, strlen(l->value));
	if (l->detail != NULL) {
		ks_buf_adds(b, ",\"network\":");
		ks_json_str(b, l->detail, strlen(l->detail));
	}
	ks_buf_adds(b, ",\"reason\":");
	struct ks_buf r;
	ks_buf_init(&r);
	why_text(&r, l);
	ks_json_str(b, r.p ? r.p : "", r.len);
	ks_buf_free(&r);
	ks_buf_adds(b, "}\n");
}

static void
print_links(struct hub_cli *c, const struct ks_hub_links *l)
{
	struct ks_buf *b = &c->out;
	bool weak_head = false;

	for (size_t i = 0; i < l->n; i++) {
		const struct ks_hub_link *k = &l->v[i];

		if (c->jsonl) {
			link_json(b, k);
			continue;
		}
		if (ks_why_weak(k->why) && !weak_head) {
			ks_buf_adds(b, _("weaker:\n"));
			weak_head = true;
		}
		if (k->report_id != 0)
			ks_buf_addf(b, _("  report %lld  "),
			    (long long)k->report_id);
		else
			ks_buf_adds(b, _("  site (no report)  "));
		out_text(b, k->site);
		ks_buf_addf(b, "  %s  ", ks_why_name(k->why));
		struct ks_buf w;
		ks_buf_init(&w);
		why_text(&w, k);
		ks_escape_text(b, w.p ? w.p : "", w.len);
		ks_buf_free(&w);
		ks_buf_addc(b, '\n');
	}
	if (!c->jsonl && l->n == 0)
		ks_buf_adds(b, _("no related report\n"));
	for (size_t i = 0; i < l->nnotes && !c->jsonl; i++) {
		ks_buf_adds(b, _("not linked: "));
		out_text(b, l->notes[i].value);
		ks_buf_adds(b, ": ");
		out_text(b, l->notes[i].reason);
		ks_buf_addc(b, '\n');
	}
}

static int
cmd_related(struct hub_cli *c, int argc, char **argv)
{
	struct ks_hub_links l;
	struct ks_hub *h;
	struct ks_err err;
	unsigned char ip[16];
	int64_t id;
	int rc;

	if (argc != 2) {
		ks_cli_warn(_("hub related: give one report or address"));
		return KS_EXIT_USAGE;
	}
	if (open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	if (ks_ip_parse(argv[1], ip) == 0)
		rc = ks_hub_related_address(h, argv[1], &l, &err);
	else
		rc = ks_hub_find_report(h, argv[1], &id, &err) < 0 ? -1 :
		    ks_hub_related_report(h, id, &l, &err);
	if (rc < 0) {
		ks_cli_warn("hub related: %s", err.msg);
	} else {
		print_links(c, &l);
		ks_hub_links_free(&l);
	}
	ks_hub_close(h);
	return rc < 0 ? KS_EXIT_USAGE : KS_EXIT_OK;
}

/* ---- incidents ----------------------------------------------------------------------- */

static void
incident_line(struct hub_cli *c, const struct ks_hub_incident *inc)
{
	struct ks_buf *b = &c->out;

	if (c->jsonl) {
		ks_buf_addf(b, "{\"incident\":%lld,\"status\":\"%s\","
		    "\"reports\":%zu,\"category\":\"%s\",\"created\":\"",
		    (long long)inc->id, ks_status_name(inc->status),
		    inc->nreports, ks_cat_english(inc->cat));
		out_time(b, inc->created_us, 0);
		ks_buf_adds(b, "\",\"sites\":");
		ks_json_str(b, inc->sites ? inc->sites : "",
		    inc->sites ? strlen(inc->sites) : 0);
		ks_buf_adds(b, "}\n");
		return;
	}
	ks_buf_addf(b, "%4lld  %-8s  ", (long long)inc->id,
	    ks_status_name(inc->status));
	out_time(b, inc->created_us, 0);
	ks_buf_addf(b, _("  %zu report(s)  %s  "), inc->nreports,
	    ks_cat_jpcert(inc->cat));
	out_text(b, inc->sites ? inc->sites : "");
	ks_buf_addc(b, '\n');
}

static int
cmd_incidents(struct hub_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct ks_hub_incidents l;
	struct ks_hub *h;
	struct ks_err err;
	int ch, status = -1, rc = KS_EXIT_OK;

	optind = 0;   /* 0: glibc starts a fresh scan, permuting again */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch != 's' || (status = ks_status_parse(optarg)) < 0) {
			ks_cli_warn(_("--status: new, open or resolved"));
			return KS_EXIT_USAGE;
		}
	if (optind != argc || open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	if (ks_hub_incidents(h, status, &l, &err) < 0) {
		ks_cli_warn("hub: %s", err.msg);
		rc = KS_EXIT_USAGE;
	} else {
		for (size_t i = 0; i < l.n; i++)
			incident_line(c, &l.v[i]);
		ks_hub_incidents_free(&l);
	}
	ks_hub_close(h);
	return rc;
}

static int
show_incident(struct hub_cli *c, struct ks_hub *h, int64_t id,
    struct ks_err *err)
{
	struct ks_hub_incident inc;
	struct ks_hub_report_rows rows;
	struct ks_hub_audits trail;
	struct ks_buf *b = &c->out;

	if (ks_hub_incident(h, id, &inc, err) < 0)
		return -1;
	incident_line(c, &inc);
	ks_hub_incident_free(&inc);
	if (c->jsonl)
		return 0;
	if (ks_hub_reports(h, id, &rows, err) < 0)
		return -1;
	ks_buf_adds(b, _("reports:\n"));
	for (size_t i = 0; i < rows.n; i++)
		report_row(c, &rows.v[i]);
	ks_hub_report_rows_free(&rows);
	if (ks_hub_audit_trail(h, id, &trail, err) < 0)
		return -1;
	ks_buf_adds(b, _("audit trail:\n"));
	for (size_t i = 0; i < trail.n; i++) {
		ks_buf_adds(b, "  ");
		out_time(b, trail.v[i].at_us, 0);
		ks_buf_adds(b, "  ");
		out_text(b, trail.v[i].who);
		ks_buf_adds(b, "  ");
		out_text(b, trail.v[i].action);
		if (trail.v[i].note != NULL) {
			ks_buf_adds(b, ": ");
			out_text(b, trail.v[i].note);
		}
		ks_buf_addc(b, '\n');
	}
	ks_hub_audits_free(&trail);
	return 0;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (s[0] == '\0' || *end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int
cmd_incident(struct hub_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ "add", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = NULL, *add = NULL;
	struct ks_hub *h;
	struct ks_err err;
	int64_t id, add_id = 0;
	int ch, status = -1, rc = 0;

	optind = 0;   /* 0: glibc starts a fresh scan, permuting again */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's' && (status = ks_status_parse(optarg)) < 0) {
			ks_cli_warn(_("--status: new, open or resolved"));
			return KS_EXIT_USAGE;
		}
		if (ch == 'n')
			note = optarg;
		else if (ch == 'a')
			add = optarg;
		else if (ch != 's')
			return KS_EXIT_USAGE;
	}
	if (optind + 1 != argc || parse_id(argv[optind], &id) < 0) {
		ks_cli_warn(_("hub incident: give one incident number"));
		return KS_EXIT_USAGE;
	}
	if (open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	if (add != NULL)
		rc = ks_hub_find_report(h, add, &add_id, &err);
	if (rc == 0 && (status >= 0 || note != NULL || add != NULL))
		rc = ks_hub_incident_update(h, id, status, note, add_id, &err);
	if (rc == 0)
		rc = show_incident(c, h, id, &err);
	if (rc < 0)
		ks_cli_warn("hub incident: %s", err.msg);
	ks_hub_close(h);
	return rc < 0 ? KS_EXIT_USAGE : KS_EXIT_OK;
}

/* ---- notify ----------------------------------------------------------------------------- */

static int
cmd_notify(struct hub_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "outbox", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct ks_hub_notify_opts no = { .outbox = "outbox" };
	struct ks_hub_drafts d;
	struct ks_hub *h;
	struct ks_err err;
	int64_t id;
	int ch, rc;

	optind = 0;   /* 0: glibc starts a fresh scan, permuting again */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'o')
			no.outbox = optarg;
		else if (ch == 'f')
			no.from = optarg;
		else if (ch == 'l' && (strcmp(optarg, "ja") == 0 ||
		    strcmp(optarg, "en") == 0))
			no.lang = optarg;
		else {
			ks_cli_warn(_("hub notify: --outbox DIR, --lang ja|en, "
			    "--from ADDRESS"));
			return KS_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || parse_id(argv[optind], &id) < 0) {
		ks_cli_warn(_("hub notify: give one incident number"));
		return KS_EXIT_USAGE;
	}
	if (mkdir(no.outbox, 0700) < 0 && errno != EEXIST) {
		ks_cli_warn("%s: %s", no.outbox, strerror(errno));
		return KS_EXIT_USAGE;
	}
	if (open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	no.now_us = ks_now_us();
	rc = ks_hub_notify(h, id, &no, &d, &err);
	if (rc < 0) {
		ks_cli_warn("hub notify: %s", err.msg);
	} else {
		for (size_t i = 0; i < d.n; i++) {
			out_text(&c->out, d.v[i].path);
			ks_buf_adds(&c->out, _(": to "));
			out_text(&c->out, d.v[i].to);
			ks_buf_adds(&c->out, " (");
			out_text(&c->out, d.v[i].site);
			ks_buf_addf(&c->out, _("): %zu passed on, %zu withheld\n"),
			    d.v[i].passed, d.v[i].withheld);
		}
		ks_hub_drafts_free(&d);
	}
	ks_hub_close(h);
	return rc < 0 ? KS_EXIT_USAGE : KS_EXIT_OK;
}

/* ---- stats ---------------------------------------------------------------------------- */

struct stats_args {
	const char *month, *from, *to, *tz, *lang, *format;
};

static int
stats_range(const struct stats_args *a, struct ks_hub_stats_opts *so)
{
	struct ks_tz tz;
	struct ks_err err;
	char buf[32];
	int y, m;
	int64_t now = ks_now_us();

	if (ks_tz_init(&tz, a->tz, &err) < 0) {
		ks_cli_warn("--tz: %s", err.msg);
		return -1;
	}
	if (a->month != NULL) {
		if (sscanf(a->month, "%4d-%2d", &y, &m) != 2 ||
		    strlen(a->month) != 7 || m < 1 || m > 12 || y < 1970) {
			ks_cli_warn(_("--month: YYYY-MM"));
			return -1;
		}
		snprintf(buf, sizeof(buf), "%04d-%02d-01", y, m);
		if (ks_time_parse_user(buf, &tz, now, &so->from_us, &err) < 0)
			goto bad;
		snprintf(buf, sizeof(buf), "%04d-%02d-01", m == 12 ? y + 1 : y,
		    m == 12 ? 1 : m + 1);
		if (ks_time_parse_user(buf, &tz, now, &so->to_us, &err) < 0)
			goto bad;
	} else if (a->from != NULL && a->to != NULL) {
		if (ks_time_parse_user(a->from, &tz, now, &so->from_us,
		    &err) < 0 ||
		    ks_time_parse_user(a->to, &tz, now, &so->to_us, &err) < 0)
			goto bad;
	} else {
		ks_cli_warn(_("hub stats: --month YYYY-MM, or --from and --to"));
		return -1;
	}
	if (so->to_us <= so->from_us) {
		ks_cli_warn(_("hub stats: the range is empty"));
		return -1;
	}
	so->utc_off = ks_tz_offset_utc(&tz, so->from_us / 1000000);
	return 0;
bad:
	ks_cli_warn("hub stats: %s", err.msg);
	return -1;
}

static int
cmd_stats(struct hub_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "tz", required_argument, NULL, 'z' },
		{ "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct stats_args a = { .lang = "ja" };
	struct ks_hub_stats_opts so = { 0 };
	struct ks_hub *h;
	struct ks_err err;
	int ch, rc;

	optind = 0;   /* 0: glibc starts a fresh scan, permuting again */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': a.month = optarg; break;
		case 'f': a.from = optarg; break;
		case 't': a.to = optarg; break;
		case 'z': a.tz = optarg; break;
		case 'l': a.lang = optarg; break;
		case 'F': a.format = optarg; break;
		default: return KS_EXIT_USAGE;
		}
	}
	if (strcmp(a.lang, "ja") != 0 && strcmp(a.lang, "en") != 0) {
		ks_cli_warn(_("--lang: ja or en"));
		return KS_EXIT_USAGE;
	}
	so.lang = a.lang;
	if (a.format == NULL || strcmp(a.format, "text") == 0)
		so.format = KS_STATS_TEXT;
	else if (strcmp(a.format, "markdown") == 0)
		so.format = KS_STATS_MARKDOWN;
	else if (strcmp(a.format, "html") == 0)
		so.format = KS_STATS_HTML;
	else {
		ks_cli_warn(_("--format: text, markdown or html"));
		return KS_EXIT_USAGE;
	}
	if (optind != argc || stats_range(&a, &so) < 0 || open_hub(c, &h) < 0)
		return KS_EXIT_USAGE;
	rc = ks_hub_stats(h, &so, &c->out, &err);
	if (rc < 0)
		ks_cli_warn("hub stats: %s", err.msg);
	ks_hub_close(h);
	return rc < 0 ? KS_EXIT_USAGE : KS_EXIT_OK;
}

/* ---- the command -------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct hub_cli *, int, char **);
} subcommands[] = {
	{ "ingest", cmd_ingest },
	{ "reports", cmd_reports },
	{ "related", cmd_related },
	{ "incidents", cmd_incidents },
	{ "incident", cmd_incident },
	{ "notify", cmd_notify },
	{ "stats", cmd_stats },
};

enum {
	OPT_DB = 256, OPT_WARNINGLIST, OPT_MAX_LINKS, OPT_WINDOW, OPT_BY,
	OPT_FORMAT,
};

static int
global_opt(struct hub_cli *c, int ch, const char *arg)
{
	char *end;
	unsigned long v;

	switch (ch) {
	case OPT_DB: c->o.db = arg; break;
	case OPT_WARNINGLIST: c->o.warninglist = arg; break;
	case OPT_BY: c->o.who = arg; break;
	case OPT_MAX_LINKS:
		v = strtoul(arg, &end, 10);
		if (!ks_isdigit(arg[0]) || *end != '\0' || v == 0 || v > 100000) {
			ks_cli_warn(_("--max-links: a number from 1 to 100000"));
			return -1;
		}
		c->o.max_links = (unsigned)v;
		break;
	case OPT_WINDOW:
		if (parse_span(arg, &c->o.window_us) < 0) {
			ks_cli_warn(_("--window: a span like 12h or 7d"));
			return -1;
		}
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "jsonl") != 0) {
			ks_cli_warn(_("--format: text or jsonl"));
			return -1;
		}
		c->jsonl = strcmp(arg, "jsonl") == 0;
		break;
	default:
		return -1;
	}
	return 0;
}

int
ks_cmd_hub(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "warninglist", required_argument, NULL, OPT_WARNINGLIST },
		{ "max-links", required_argument, NULL, OPT_MAX_LINKS },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "by", required_argument, NULL, OPT_BY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hub_cli c;
	int ch, rc = KS_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	ks_buf_init(&c.out);
	c.o.who = login_name();
	optind = 0;
	/* "+": options after the subcommand are the subcommand's */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(_(usage_hub), stdout);
			return KS_EXIT_OK;
		}
		if (global_opt(&c, ch, optarg) < 0) {
			fputs(_(usage_hub), stderr);
			return KS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(_(usage_hub), stderr);
		return KS_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(*subcommands);
	    i++)
		if (strcmp(argv[optind], subcommands[i].name) == 0) {
			rc = subcommands[i].fn(&c, argc - optind, argv + optind);
			if (rc == KS_EXIT_USAGE && c.out.len == 0)
				ks_cli_warn(_("see kansatsu hub --help"));
			goto out;
		}
	ks_cli_warn(_("hub: unknown command '%s'"), argv[optind]);
	fputs(_(usage_hub), stderr);
out:
	if (ks_buf_flush(&c.out, STDOUT_FILENO) < 0)
		rc = KS_EXIT_USAGE;
	ks_buf_free(&c.out);
	free(c.dbpath);
	return rc;
}
