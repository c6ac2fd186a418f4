/*
 * baseline.c - making a baseline, or bringing one up to date.
 *
 * The records go into a new file next to the target (FILE.new.XXXXXX),
 * which is signed and then renamed over FILE, so that a baseline is
 * never half written and its signature always covers what is in place;
 * without a signing key a stale FILE.sig is removed, since it no longer
 * matches.
 *
 * --update reads the old baseline (checking its signature: a forged
 * baseline could otherwise smuggle the hash of a trojan into the new
 * one) and re-reads only the files whose (device, inode, size, mtime,
 * ctime) changed: the kernel sets ctime on every write, chmod, chown or
 * xattr change, and it cannot be set back without changing the clock,
 * so an unchanged key means unchanged content and attributes.  The rest
 * keep their recorded digest and attributes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame/frame.h"
#include "integrity/fim_int.h"

#define ROOTS_MAX 256

struct bl {
	struct ks_fim_store *store;
	struct ks_fim_db *old;
	struct ks_fim_stats *st;
};

static bool
same_key(const struct ks_fim_rec *a, const struct ks_fim_rec *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
	    (a->mode & S_IFMT) == (b->mode & S_IFMT);
}

/* With --update: the old record's digest and xattrs, when still true. */
static int
reuse(struct bl *b, struct ks_fim_rec *r, struct ks_err *err)
{
	const uint32_t read_attrs = KS_FIM_SHA256 | KS_FIM_GROWING |
	    KS_FIM_XATTRS | KS_FIM_CAPS;
	struct ks_fim_rec *o;
	int rc;

	if ((rc = ks_fim_db_lookup(b->old, r->path, r->plen, &o, err)) <= 0)
		return rc;
	rc = 0;
	if (same_key(o, r) && !(o->flags & KS_REC_UNREAD) &&
	    (r->attrs & ~o->attrs & read_attrs) == 0 &&
	    (o->has_sha || !(r->attrs & (KS_FIM_SHA256 | KS_FIM_GROWING)))) {
		memcpy(r->sha256, o->sha256, sizeof(r->sha256));
		r->has_sha = o->has_sha;
		if (ks_xattrs_copy(&r->x, &o->x) < 0)
			rc = ks_err_set(err, "out of memory");
		else
			rc = 1;
	}
	ks_fim_rec_free(o);
	return rc;
}

static int
bl_prepare(void *ctx, struct ks_fim_rec *r, struct ks_err *err)
{
	struct bl *b = ctx;
	int rc;

	if (!ks_fim_needs_read(r))
		return 0;
	if (b->old == NULL)
		return 1;
	if ((rc = reuse(b, r, err)) < 0)
		return -1;
	if (rc == 1)
		b->st->reused++;
	return rc == 0;
}

static int
bl_consume(void *ctx, struct ks_fim_rec *r, struct ks_err *err)
{
	struct bl *b = ctx;
	int rc = ks_fim_store_put(b->store, r, err);

	ks_fim_rec_free(r);
	return rc;
}

static int
store_meta(struct ks_fim_store *s, const struct ks_fim_opts *o,
    const struct ks_fim_config *cfg, const char *const *paths, size_t npaths,
    struct ks_err *err)
{
	struct ks_buf b;
	int rc;

	ks_buf_init(&b);
	ks_time_format(&b, o->now_us, 0);
	ks_buf_addc(&b, '\0');
	for (size_t i = 0; i < npaths; i++)
		ks_buf_add(&b, paths[i], strlen(paths[i]) + 1);
	if (ks_buf_failed(&b)) {
		ks_buf_free(&b);
		return ks_err_set(err, "out of memory");
	}
	rc = ks_fim_store_meta(s, "format", "kansatsu-baseline 1", 19, err) < 0 ||
	    ks_fim_store_meta(s, "host", o->host ? o->host : "",
	    o->host ? strlen(o->host) : 0, err) < 0 ||
	    ks_fim_store_meta(s, "root", o->root ? o->root : "/",
	    o->root ? strlen(o->root) : 1, err) < 0 ||
	    ks_fim_store_meta(s, "created", b.p, strlen(b.p), err) < 0 ||
	    ks_fim_store_meta(s, "version", KS_VERSION, strlen(KS_VERSION),
	    err) < 0 ||
	    ks_fim_store_meta(s, "config", cfg->text, cfg->len, err) < 0 ||
	    ks_fim_store_meta(s, "cross_mounts", o->cross_mounts ? "1" : "0", 1,
	    err) < 0 ||
	    ks_fim_store_meta(s, "paths", b.p + strlen(b.p) + 1,
	    b.len - strlen(b.p) - 1, err) < 0 ? -1 : 0;
	ks_buf_free(&b);
	return rc;
}

/* Makes the new baseline in tmp: the walk into the store. */
static int
fill(const char *tmp, const struct ks_fim_opts *o,
    const struct ks_fim_config *cfg, const char *const *paths, size_t npaths,
    struct bl *b, struct ks_err *err)
{
	const char *roots[ROOTS_MAX];
	const char *const *walk = paths;
	size_t nroots = npaths;
	int rootfd, rc;

	if (npaths == 0) {
		nroots = ks_fim_config_roots(cfg, roots, ROOTS_MAX);
		walk = roots;
	}
	if (nroots == 0)
		return ks_err_set(err, "nothing to record: the configuration "
		    "names no path, and no --path was given");
	if (ks_root_open(o->root, &rootfd, err) < 0)
		return -1;
	if (ks_fim_store_create(&b->store, tmp, err) < 0) {
		close(rootfd);
		return -1;
	}
	rc = store_meta(b->store, o, cfg, paths, npaths, err);
	if (rc == 0)
		rc = ks_fim_walk(o, cfg, walk, nroots, rootfd,
		    &(struct ks_fim_walk_ops){ bl_prepare, bl_consume, b },
		    b->st, err);
	close(rootfd);
	if (rc < 0) {
		ks_fim_store_abort(b->store);
		return -1;
	}
	return ks_fim_store_finish(b->store, err);
}

/* Signs tmp (or removes a stale signature) and puts tmp in place. */
static int
install(const char *tmp, const struct ks_fim_baseline_opts *bo,
    struct ks_err *err)
{
	char sig[4096];

	if (ks_sig_path(bo->db, sig, sizeof(sig), err) < 0)
		return -1;
	if (bo->sign_key != NULL) {
		if (ks_sig_sign_file(tmp, sig, bo->sign_key, err) < 0)
			return -1;
	} else if (unlink(sig) < 0 && errno != ENOENT) {
		return ks_err_set(err, "%s: %s", sig, strerror(errno));
	}
	if (rename(tmp, bo->db) < 0)
		return ks_err_set(err, "%s: %s", bo->db, strerror(errno));
	return 0;
}

/* A new, empty file next to path; its name into tmp. */
static int
make_temp(const char *path, char *tmp, size_t size, struct ks_err *err)
{
	int fd;

	if ((size_t)snprintf(tmp, size, "%s.new.XXXXXX", path) >= size)
		return ks_err_set(err, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return ks_err_set(err, "%s: %s", tmp, strerror(errno));
	close(fd);
	return 0;
}

int
ks_fim_baseline(const struct ks_fim_opts *o, struct ks_fim_baseline_opts *bo,
    struct ks_fim_stats *stats, struct ks_err *err)
{
	struct bl b = { .st = stats };
	struct ks_fim_opts copy;
	struct ks_fim_db_info info;
	const struct ks_fim_config *cfg = o->cfg;
	const char *const *paths = o->paths;
	size_t npaths = o->npaths;
	char tmp[4096];
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (bo->update) {
		if (ks_fim_db_open(&b.old, bo->db, &bo->trust, &info, err) < 0)
			return -1;
		bo->old_sig = info.sig;
		snprintf(bo->old_sig_msg, sizeof(bo->old_sig_msg), "%s",
		    info.sig_msg);
		ks_fim_db_info_free(&info);
		if (cfg == NULL)
			cfg = ks_fim_db_config(b.old);
		if (npaths == 0)
			npaths = ks_fim_db_paths(b.old, &paths);
		if (ks_fim_db_cross_mounts(b.old) && !o->cross_mounts) {
			copy = *o;
			copy.cross_mounts = true;
			o = &copy;
		}
	}
	if (cfg == NULL) {
		ks_fim_db_close(b.old);
		return ks_err_set(err, "no configuration");
	}
	if ((rc = make_temp(bo->db, tmp, sizeof(tmp), err)) == 0) {
		rc = fill(tmp, o, cfg, paths, npaths, &b, err);
		if (rc == 0)
			rc = install(tmp, bo, err);
		if (rc < 0)
			unlink(tmp);
	}
	ks_fim_db_close(b.old);
	return rc;
}
