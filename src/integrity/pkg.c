/*
 * pkg.c - verifying installed Debian packages without running dpkg.
 *
 * Two sources of truth, two levels of trust.  `--packages` checks each
 * installed file against the MD5 that dpkg's md5sums files and status
 * file (its conffiles) on the disk record, as `dpkg --verify` does: it
 * catches careless intruders and damaged files, but an intruder with
 * root can rewrite the md5sums line along with the binary.
 * `--packages-from DIR` compares with the .deb files in DIR (fetched
 * from a trusted mirror, of the installed versions): each member's
 * SHA-256 against the installed file, each symbolic link's target, and
 * each member's MD5 against the md5sums line on the disk, so a doctored
 * md5sums line is itself a finding.
 *
 * Paths are resolved inside the root as dpkg would (through /bin ->
 * usr/bin and the like, never out of the root), diversions are applied,
 * and the files are hashed by the same pool of threads as baselines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integrity/dpkg.h"
#include "integrity/fim_int.h"

#define DPKG_DIR "var/lib/dpkg"
#define STATUS_MAX ((size_t)256 << 20)
#define SUMS_MAX ((size_t)64 << 20)

/* One installed file to hash and compare. */
struct pjob {
	struct ks_hash_job job;      /* first: the pool hands this back */
	char *path;                  /* on the disk, diverted */
	const struct ks_dpkg_pkg *pkg;
	const char *source;          /* the .deb's name, or NULL: md5sums */
	unsigned char want[32];
	bool conffile;
};

/* A regular member of the .deb being read, for hard links to it. */
struct member {
	char *path;
	unsigned char sha256[32], md5[16];
};

struct run {
	const struct ks_pkg_opts *o;
	struct ks_findings *out;
	struct ks_pkg_stats *st;
	int rootfd;
	struct ks_hash_pool *pool;
	struct ks_dpkg_status status;
	struct ks_dpkg_diversions div;
	bool *covered;               /* per package: a .deb was read */
	struct ks_buf text, path;
	/* the .deb being read */
	const struct ks_dpkg_pkg *cur;
	const char *deb;
	struct ks_buf sums;          /* its md5sums file on the disk */
	struct ks_map *sums_map;     /* path -> line's md5 in sums_md5 */
	unsigned char (*sums_md5)[16];
	struct ks_map *conf_map;     /* conffile paths */
	struct member *members;
	size_t nmembers, capmembers;
	struct ks_err *err;
};

static void
notice(struct run *r, const char *what, const char *msg)
{
	r->st->errors++;
	if (r->o->notice != NULL)
		r->o->notice(r->o->ctx, what, msg);
}

static bool
want_pkg(const struct run *r, const struct ks_dpkg_pkg *p)
{
	if (!p->installed)
		return false;
	if (r->o->nnames == 0)
		return true;
	for (size_t i = 0; i < r->o->nnames; i++)
		if (strcmp(r->o->names[i], p->name) == 0)
			return true;
	return false;
}

static int
pkg_attrs(struct ks_finding *fd, const struct ks_dpkg_pkg *p)
{
	return ks_finding_attr(fd, "package.name", p->name, false) &&
	    (p->version == NULL || ks_finding_attr(fd, "package.version",
	    p->version, false)) &&
	    (p->arch == NULL || ks_finding_attr(fd, "package.architecture",
	    p->arch, false));
}

/* A finding about path of package p, with r->text as its evidence. */
static int
report(struct run *r, enum ks_fim_check c, const char *path,
    const struct ks_dpkg_pkg *p, int64_t ts_us, const char *flags,
    const char *changes, const char *hkey, const unsigned char *md,
    size_t mdlen)
{
	struct ks_finding *fd;
	struct ks_buf hex;
	bool ok;

	if (ks_buf_failed(&r->text))
		return ks_err_set(r->err, "out of memory");
	fd = ks_fim_finding(c, r->o->host, path, ts_us, r->text.p, r->text.len);
	ks_buf_init(&hex);
	ks_hex(&hex, md, mdlen);
	ks_buf_addc(&hex, '\0');
	ok = fd != NULL && !ks_buf_failed(&hex) && pkg_attrs(fd, p) &&
	    ks_finding_attr(fd, "verify.flags", flags, false) &&
	    ks_finding_attr(fd, "verify.changes", changes, false) &&
	    (hkey == NULL || ks_finding_attr(fd, hkey, hex.p, false));
	ks_buf_free(&hex);
	if (!ok || !ks_findings_add(r->out, fd)) {
		ks_finding_free(ok ? NULL : fd);
		return ks_err_set(r->err, "out of memory");
	}
	return 0;
}

static const char *
conf_mark(bool conffile)
{
	return conffile ? " c " : "   ";
}

/* A finished job: its file compared with what the package says. */
static int
judge(struct run *r, struct pjob *j)
{
	const struct ks_hash_job *h = &j->job;
	size_t n = ks_hash_size(h->algo);
	bool sys = ks_fim_system_path(j->path, strlen(j->path));
	const char *algo = h->algo == KS_HASH_MD5 ? "md5" : "sha256";
	enum ks_fim_check c;
	char key[32];

	ks_buf_reset(&r->text);
	switch (h->res) {
	case KS_JOB_MISSING:
		r->st->missing++;
		ks_buf_addf(&r->text, "missing  %s%s", conf_mark(j->conffile),
		    j->path);
		return report(r, KS_CHK_PKG_MISSING, j->path, j->pkg,
		    r->o->now_us, "missing", "missing", NULL, NULL, 0);
	case KS_JOB_ERROR:
		notice(r, j->path, strerror(h->err));
		ks_buf_addf(&r->text, "not read: %s", strerror(h->err));
		return report(r, KS_CHK_UNREADABLE, j->path, j->pkg,
		    r->o->now_us, "?????????", "unread", NULL, NULL, 0);
	case KS_JOB_NOT_REGULAR:
	case KS_JOB_RACE:
		r->st->changed++;
		ks_buf_addf(&r->text, "?M???????%s%s: not a regular file any "
		    "more", conf_mark(j->conffile), j->path);
		return report(r, sys ? KS_CHK_PKG_CHANGED_SYSTEM :
		    KS_CHK_PKG_CHANGED, j->path, j->pkg, r->o->now_us,
		    "?M???????", "type", NULL, NULL, 0);
	case KS_JOB_OK:
		break;
	}
	r->st->files++;
	r->st->bytes += h->bytes;
	if (h->mdlen == n && memcmp(h->md, j->want, n) == 0)
		return 0;
	ks_buf_addf(&r->text, "??5??????%s%s: %s ", conf_mark(j->conffile),
	    j->path, algo);
	ks_hex(&r->text, j->want, n);
	if (j->source != NULL)
		ks_buf_addf(&r->text, " in %s", j->source);
	else
		ks_buf_addf(&r->text, " in dpkg's %s of %s", j->conffile ?
		    "status" : "md5sums", j->pkg->name);
	ks_buf_adds(&r->text, ", the file has ");
	ks_hex(&r->text, h->md, h->mdlen);
	if (j->conffile) {
		r->st->conffiles_changed++;
		c = KS_CHK_PKG_CONFFILE;
	} else {
		r->st->changed++;
		c = sys ? KS_CHK_PKG_CHANGED_SYSTEM : KS_CHK_PKG_CHANGED;
	}
	snprintf(key, sizeof(key), "file.hash.%s", algo);
	return report(r, c, j->path, j->pkg,
	    (int64_t)h->st.st_ctim.tv_sec * 1000000 + h->st.st_ctim.tv_nsec / 1000,
	    "??5??????", algo, key, h->md, h->mdlen);
}

static void
pjob_free(struct pjob *j)
{
	free(j->path);
	free(j);
}

/* Judges the finished jobs: 1 when some were, 0 when none is queued. */
static int
drain(struct run *r)
{
	struct ks_hash_job *h = ks_hash_pool_take(r->pool), *next;
	int rc = h != NULL;

	for (; h != NULL; h = next) {
		next = h->next;
		if (rc >= 0 && judge(r, (struct pjob *)h) < 0)
			rc = -1;
		pjob_free((struct pjob *)h);
	}
	return rc;
}

/* Queues the installed file path of package p for hashing. */
static int
submit(struct run *r, const char *path, const struct ks_dpkg_pkg *p,
    enum ks_hash_algo algo, const unsigned char *want, bool conffile)
{
	struct pjob *j = calloc(1, sizeof(*j));

	if (j == NULL || (j->path = strdup(ks_dpkg_divert(&r->div, path,
	    p->name))) == NULL) {
		free(j);
		return ks_err_set(r->err, "out of memory");
	}
	j->pkg = p;
	j->source = r->deb;
	j->conffile = conffile;
	memcpy(j->want, want, ks_hash_size(algo));
	j->job.rel = ks_rel(j->path);
	j->job.resolve = KS_RESOLVE_IN_ROOT;
	j->job.algo = algo;
	j->job.limit = UINT64_MAX;
	while (!ks_hash_pool_submit(r->pool, &j->job))
		if (drain(r) < 0) {
			pjob_free(j);
			return -1;
		}
	return 0;
}

/* The md5sums file of p into r->sums; false when it has none. */
static bool
read_sums(struct run *r, const struct ks_dpkg_pkg *p)
{
	char rel[PATH_MAX];
	struct ks_err e;

	for (int multi = 1; multi >= 0; multi--) {
		if (multi && p->arch == NULL)
			continue;
		snprintf(rel, sizeof(rel), DPKG_DIR "/info/%s%s%s.md5sums",
		    p->name, multi ? ":" : "", multi ? p->arch : "");
		ks_buf_reset(&r->sums);
		if (ks_root_read(r->rootfd, rel, SUMS_MAX, &r->sums, &e) == 0)
			return true;
	}
	ks_buf_reset(&r->sums);
	return false;
}

/* The next md5sums line as an absolute path in r->path: 1, 0, -1. */
static int
next_sum(struct run *r, const char **p, unsigned char md5[16])
{
	const char *rel;
	size_t n;
	int rc;

	while ((rc = ks_dpkg_md5sums_next(p, r->sums.p + r->sums.len, md5,
	    &rel, &n)) == 0)
		r->st->unparsed++;
	if (rc < 0)
		return 0;
	ks_buf_reset(&r->path);
	ks_buf_addc(&r->path, '/');
	ks_buf_add(&r->path, rel, n);
	ks_buf_addc(&r->path, '\0');
	return ks_buf_failed(&r->path) ? ks_err_set(r->err, "out of memory") : 1;
}

/* --packages: one package against its md5sums and conffiles. */
static int
check_sums(struct run *r, const struct ks_dpkg_pkg *p)
{
	unsigned char md5[16];
	const char *s;
	int rc;

	r->st->packages++;
	if (read_sums(r, p)) {
		s = r->sums.p;
		while ((rc = next_sum(r, &s, md5)) > 0)
			if (submit(r, r->path.p, p, KS_HASH_MD5, md5, false) < 0)
				return -1;
		if (rc < 0)
			return -1;
	} else {
		r->st->no_sums++;
	}
	for (size_t i = 0; i < p->nconf; i++)
		if (!p->conf[i].obsolete && p->conf[i].has_md5 &&
		    submit(r, p->conf[i].path, p, KS_HASH_MD5, p->conf[i].md5,
		    true) < 0)
			return -1;
	return 0;
}

/* ---- --packages-from ----------------------------------------------------- */

static void
deb_reset(struct run *r)
{
	ks_map_free(r->sums_map);
	ks_map_free(r->conf_map);
	free(r->sums_md5);
	for (size_t i = 0; i < r->nmembers; i++)
		free(r->members[i].path);
	r->sums_map = r->conf_map = NULL;
	r->sums_md5 = NULL;
	r->nmembers = 0;
	r->cur = NULL;
}

/* p's md5sums lines into a map, to hold against the .deb's members. */
static int
load_sums(struct run *r, const struct ks_dpkg_pkg *p)
{
	unsigned char md5[16];
	const char *s;
	size_t lines = 1, i = 0;
	int rc = 0;

	if (!read_sums(r, p))
		return ks_map_new(&r->sums_map, 1, r->err);
	for (size_t k = 0; k < r->sums.len; k++)
		lines += r->sums.p[k] == '\n';
	if ((r->sums_md5 = calloc(lines, sizeof(*r->sums_md5))) == NULL)
		return ks_err_set(r->err, "out of memory");
	if (ks_map_new(&r->sums_map, lines, r->err) < 0)
		return -1;
	s = r->sums.p;
	while (i < lines && (rc = next_sum(r, &s, md5)) > 0) {
		memcpy(r->sums_md5[i], md5, 16);
		if (ks_map_put(r->sums_map, r->path.p, r->path.len - 1, i++,
		    r->err) < 0)
			return -1;
	}
	return rc < 0 ? -1 : 0;
}

static int
load_conffiles(struct run *r, const struct ks_deb_control *c)
{
	if (ks_map_new(&r->conf_map, c->nconffiles + 1, r->err) < 0)
		return -1;
	for (size_t i = 0; i < c->nconffiles; i++)
		if (ks_map_put(r->conf_map, c->conffiles[i],
		    strlen(c->conffiles[i]), i, r->err) < 0)
			return -1;
	return 0;
}

/* The installed package a .deb's control file describes, or NULL. */
static const struct ks_dpkg_pkg *
installed(const struct run *r, const struct ks_dpkg_pkg *d)
{
	const struct ks_dpkg_pkg *p;

	for (size_t i = 0; i < r->status.n; i++) {
		p = &r->status.v[i];
		if (p->installed && strcmp(p->name, d->name) == 0 &&
		    (d->arch == NULL || p->arch == NULL ||
		    strcmp(p->arch, d->arch) == 0))
			return p;
	}
	return NULL;
}

static int
deb_control(void *ctx, const struct ks_deb_control *c, struct ks_err *err)
{
	struct run *r = ctx;
	const struct ks_dpkg_pkg *p = installed(r, c->pkg);
	char msg[256];

	r->st->unparsed += c->unparsed;
	if (p == NULL) {
		if (r->o->nnames == 0)
			notice(r, r->deb, "its package is not installed");
		r->st->debs_skipped++;
		return 0;
	}
	if (!want_pkg(r, p))
		return 0;
	if (p->version == NULL || c->pkg->version == NULL ||
	    strcmp(p->version, c->pkg->version) != 0) {
		snprintf(msg, sizeof(msg), "version %s, but %s is installed: "
		    "not used", c->pkg->version ? c->pkg->version : "(none)",
		    p->version ? p->version : "(none)");
		notice(r, r->deb, msg);
		r->st->debs_skipped++;
		return 0;
	}
	r->cur = p;
	r->covered[p - r->status.v] = true;
	r->st->packages++;
	if (load_sums(r, p) < 0 || load_conffiles(r, c) < 0) {
		ks_err_set(err, "%s", r->err->msg);
		return -1;
	}
	return 1;
}

/* The .deb's MD5 of a member against the md5sums line on the disk. */
static int
check_line(struct run *r, const struct ks_deb_member *m,
    const unsigned char md5[16])
{
	size_t i;

	if (!ks_map_get(r->sums_map, m->path, m->n, &i) ||
	    memcmp(r->sums_md5[i], md5, 16) == 0)
		return 0;
	r->st->sums_tampered++;
	ks_buf_reset(&r->text);
	ks_buf_addf(&r->text, "%s: md5 ", m->path);
	ks_hex(&r->text, r->sums_md5[i], 16);
	ks_buf_addf(&r->text, " in dpkg's md5sums of %s, but ", r->cur->name);
	ks_hex(&r->text, md5, 16);
	ks_buf_addf(&r->text, " in %s", r->deb);
	return report(r, KS_CHK_PKG_SUMS_TAMPERED, m->path, r->cur,
	    r->o->now_us, "??5??????", "md5sums", "file.hash.md5",
	    r->sums_md5[i], 16);
}

/* A symbolic link of the .deb against the one on the disk. */
static int
check_link(struct run *r, const struct ks_deb_member *m)
{
	const char *path = ks_dpkg_divert(&r->div, m->path, r->cur->name);
	const char *slash = strrchr(path, '/');
	char parent[PATH_MAX], target[PATH_MAX];
	const char *want = m->link != NULL ? m->link : "";
	ssize_t n = -1;
	int fd, e;

	/* "/." so that a link to the directory (/bin) is followed */
	snprintf(parent, sizeof(parent), "%.*s/.", (int)(slash - path), path);
	if ((fd = ks_root_openat(r->rootfd, ks_rel(parent), O_PATH |
	    O_DIRECTORY, KS_RESOLVE_IN_ROOT)) >= 0) {
		n = readlinkat(fd, slash + 1, target, sizeof(target) - 1);
		e = errno;
		close(fd);
	} else {
		e = errno;
	}
	r->st->files++;
	if (n >= 0 && (size_t)n == strlen(want) && memcmp(target, want,
	    (size_t)n) == 0)
		return 0;
	ks_buf_reset(&r->text);
	if (n < 0 && (e == ENOENT || e == ENOTDIR)) {
		r->st->missing++;
		ks_buf_addf(&r->text, "missing     %s (a link to %s)", path,
		    want);
		return report(r, KS_CHK_PKG_MISSING, path, r->cur, r->o->now_us,
		    "missing", "missing", NULL, NULL, 0);
	}
	r->st->changed++;
	ks_buf_addf(&r->text, "????L????   %s: a link to %s in %s, ", path,
	    want, r->deb);
	if (n < 0)
		ks_buf_adds(&r->text, "not a link on the disk");
	else
		ks_buf_addf(&r->text, "to %.*s on the disk", (int)n, target);
	return report(r, ks_fim_system_path(path, strlen(path)) ?
	    KS_CHK_PKG_CHANGED_SYSTEM : KS_CHK_PKG_CHANGED, path, r->cur,
	    r->o->now_us, "????L????", "target", NULL, NULL, 0);
}

/* A regular member's digests, kept for hard links to it. */
static int
keep_member(struct run *r, const struct ks_deb_member *m)
{
	struct member *v;

	if (r->nmembers == r->capmembers) {
		size_t cap = r->capmembers ? r->capmembers * 2 : 256;

		if ((v = realloc(r->members, cap * sizeof(*v))) == NULL)
			return ks_err_set(r->err, "out of memory");
		r->members = v;
		r->capmembers = cap;
	}
	if ((r->members[r->nmembers].path = strdup(m->path)) == NULL)
		return ks_err_set(r->err, "out of memory");
	memcpy(r->members[r->nmembers].sha256, m->sha256, 32);
	memcpy(r->members[r->nmembers].md5, m->md5, 16);
	r->nmembers++;
	return 0;
}

/* The member a hard link names (they are rare: a linear search). */
static const struct member *
find_member(const struct run *r, const char *path)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (strcmp(r->members[i].path, path) == 0)
			return &r->members[i];
	return NULL;
}

static int
deb_member(void *ctx, const struct ks_deb_member *m, struct ks_err *err)
{
	struct run *r = ctx;
	const unsigned char *sha = m->sha256, *md5 = m->md5;
	const struct member *t = NULL;
	size_t i;
	int rc;

	if (S_ISLNK(m->mode)) {
		rc = check_link(r, m);
	} else if (!S_ISREG(m->mode)) {
		return 0;
	} else if (m->hardlink != NULL &&
	    (t = find_member(r, m->hardlink)) == NULL) {
		notice(r, m->path, "a hard link to a file the .deb does not "
		    "hold before it: not checked");
		return 0;
	} else {
		if (m->hardlink != NULL) {
			sha = t->sha256;
			md5 = t->md5;
		}
		rc = (m->hardlink == NULL && keep_member(r, m) < 0) ||
		    check_line(r, m, md5) < 0 ||
		    submit(r, m->path, r->cur, KS_HASH_SHA256, sha,
		    ks_map_get(r->conf_map, m->path, m->n, &i)) < 0 ? -1 : 0;
	}
	if (rc < 0)
		ks_err_set(err, "%s", r->err->msg);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the .deb files in dir, sorted. */
static int
list_debs(const char *dir, char ***out, size_t *n, struct ks_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL, **nv;
	size_t len, cap = 0;

	*n = 0;
	*out = NULL;
	if (d == NULL)
		return ks_err_set(err, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".deb") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	*out = v;
	if (de != NULL)
		return ks_err_set(err, "out of memory");
	qsort(v, *n, sizeof(*v), cmp_str);
	return 0;
}

static int
check_debs(struct run *r)
{
	char **names = NULL, path[PATH_MAX];
	size_t n = 0;
	int rc = 0;
	struct ks_err e;

	if (list_debs(r->o->debdir, &names, &n, r->err) < 0)
		rc = -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->o->debdir, names[i]);
		r->deb = names[i];
		r->st->debs++;
		e.msg[0] = '\0';
		if (ks_deb_read(path, &(struct ks_deb_ops){ deb_control,
		    deb_member, r }, &e) < 0) {
			/* a .deb that cannot be read checks nothing more */
			notice(r, names[i], e.msg);
			r->st->debs_skipped++;
		}
		/* jobs name their .deb: finish them before the next one */
		while (rc == 0 && (rc = drain(r)) > 0)
			rc = 0;
		deb_reset(r);
		if (r->o->progress != NULL)
			r->o->progress(r->o->ctx, names[i], r->st->files,
			    r->st->bytes);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	r->deb = NULL;
	return rc;
}

/* ---- the run --------------------------------------------------------------- */

static int
load_db(struct run *r)
{
	struct ks_buf b;
	struct ks_err e;
	int rc;

	ks_buf_init(&b);
	if (ks_root_read(r->rootfd, DPKG_DIR "/status", STATUS_MAX, &b,
	    r->err) < 0) {
		ks_buf_free(&b);
		return -1;
	}
	rc = ks_dpkg_status_parse(&r->status, b.p != NULL ? b.p : "", b.len,
	    r->err);
	r->st->unparsed += r->status.unparsed;
	ks_buf_reset(&b);
	if (rc == 0 && ks_root_read(r->rootfd, DPKG_DIR "/diversions",
	    STATUS_MAX, &b, &e) == 0) {
		rc = ks_dpkg_diversions_parse(&r->div, b.p != NULL ? b.p : "",
		    b.len, r->err);
		r->st->unparsed += r->div.unparsed;
	}
	ks_buf_free(&b);
	if (rc == 0 && (r->covered = calloc(r->status.n + 1, 1)) == NULL)
		rc = ks_err_set(r->err, "out of memory");
	return rc;
}

/* Names asked for that are not installed packages. */
static void
check_names(struct run *r)
{
	const struct ks_dpkg_pkg *p;

	for (size_t i = 0; i < r->o->nnames; i++)
		if ((p = ks_dpkg_find(&r->status, r->o->names[i], NULL)) ==
		    NULL || !p->installed)
			notice(r, r->o->names[i], "not an installed package");
}

static int
run_checks(struct run *r)
{
	int rc = 0;

	check_names(r);
	if (r->o->debdir != NULL) {
		if ((rc = check_debs(r)) == 0)
			for (size_t i = 0; i < r->status.n; i++)
				r->st->no_deb += want_pkg(r, &r->status.v[i]) &&
				    !r->covered[i];
		return rc;
	}
	for (size_t i = 0; i < r->status.n && rc == 0; i++) {
		if (!want_pkg(r, &r->status.v[i]))
			continue;
		rc = check_sums(r, &r->status.v[i]);
		if (r->o->progress != NULL)
			r->o->progress(r->o->ctx, r->status.v[i].name,
			    r->st->files, r->st->bytes);
	}
	while (rc == 0 && (rc = drain(r)) > 0)
		rc = 0;
	return rc;
}

int
ks_pkg_verify(const struct ks_pkg_opts *o, struct ks_findings *out,
    struct ks_pkg_stats *stats, struct ks_err *err)
{
	struct run r = { .o = o, .out = out, .st = stats, .rootfd = -1,
	    .err = err };
	struct ks_hash_job *h, *next;
	int rc;

	memset(stats, 0, sizeof(*stats));
	ks_buf_init(&r.text);
	ks_buf_init(&r.path);
	ks_buf_init(&r.sums);
	rc = ks_root_open(o->root, &r.rootfd, err);
	if (rc == 0)
		rc = load_db(&r);
	if (rc == 0)
		rc = ks_hash_pool_new(&r.pool, r.rootfd, o->jobs, o->nice, err);
	if (rc == 0)
		rc = run_checks(&r);
	while (r.pool != NULL && (h = ks_hash_pool_take(r.pool)) != NULL)
		for (; h != NULL; h = next) {
			next = h->next;
			pjob_free((struct pjob *)h);
		}
	ks_hash_pool_free(r.pool);
	deb_reset(&r);
	free(r.members);
	free(r.covered);
	ks_dpkg_status_free(&r.status);
	ks_dpkg_diversions_free(&r.div);
	ks_buf_free(&r.text);
	ks_buf_free(&r.path);
	ks_buf_free(&r.sums);
	if (r.rootfd >= 0)
		close(r.rootfd);
	ks_fim_findings_sort(out);
	return rc < 0 ? -1 : 0;
}
