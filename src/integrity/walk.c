/*
 * walk.c - walking the configured paths and feeding the hashing pool.
 *
 * The walk never follows a symbolic link: a link is recorded as a link
 * (with its target), a directory is opened with openat2 and
 * RESOLVE_NO_SYMLINKS from the root, and checked with fstat to be the
 * directory that its parent listed.  Each directory is read whole,
 * sorted and closed before its subdirectories are opened, so only one
 * directory is open at a time however deep the tree (an attacker can
 * make it deeper than any file descriptor limit).  It does not descend
 * into other file systems unless told to (--cross-mounts), and never
 * into kernel pseudo file systems (/proc, /sys and the like) at all.
 *
 * A regular file that needs reading becomes a job for the pool; the
 * walking thread stats the next files meanwhile and, when the queue is
 * full, completes finished jobs.  Directories are recorded when they
 * are opened (so their attributes are those of the descriptor that was
 * read), everything else when listed.  Files read by the workers get
 * the attributes of the descriptor they hashed, so a file changed
 * between the listing and the reading is recorded as it was read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "integrity/fim_int.h"

#define PROGRESS_EVERY 2048

/* A directory to read later. */
struct pending {
	char *path;
	size_t n;
	struct stat st;              /* as its parent listed it */
	uint64_t rootdev;            /* the file system of its walk's root */
	uint32_t attrs;
};

struct walk {
	const struct ks_fim_opts *o;
	const struct ks_fim_config *cfg;
	const char *const *roots;
	size_t nroots;
	int rootfd;
	const struct ks_fim_walk_ops *ops;
	struct ks_fim_stats *st;
	struct ks_hash_pool *pool;
	struct ks_xreader *xr;
	struct pending *stack;
	size_t nstack, capstack;
	struct ks_buf names;         /* names of the directory being read */
	size_t *offs;
	size_t capoffs;
	struct ks_buf path;
	uint64_t progress_at;
	bool noatime;
	struct ks_err *err;
};

static void
notice(struct walk *w, const char *path, const char *what)
{
	w->st->errors++;
	if (w->o->notice != NULL)
		w->o->notice(w->o->ctx, path, what);
}

static void
notice_errno(struct walk *w, const char *path, const char *what, int e)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(e));
	notice(w, path, msg);
}

/* A root that does not exist: listed, as there may well be no /lib32. */
static void
absent(struct walk *w, const char *root)
{
	size_t n = strlen(w->st->absent);

	snprintf(w->st->absent + n, sizeof(w->st->absent) - n, "%s%s",
	    n > 0 ? " " : "", root);
}

/* A finished job back from the pool: its results into the record. */
static int
finish(struct walk *w, struct ks_fim_rec *r)
{
	struct ks_hash_job *j = &r->job;

	switch (j->res) {
	case KS_JOB_OK:
		ks_fim_rec_stat(r, &j->st);
		memcpy(r->sha256, j->md, sizeof(r->sha256));
		r->has_sha = j->mdlen == sizeof(r->sha256);
		w->st->hashed++;
		w->st->bytes += j->bytes;
		if (j->xerr != 0)
			notice_errno(w, r->path, "extended attributes", j->xerr);
		break;
	case KS_JOB_MISSING:
		notice(w, r->path, "removed while being checked");
		ks_fim_rec_free(r);
		return 0;
	case KS_JOB_NOT_REGULAR:
	case KS_JOB_RACE:
		notice(w, r->path, "replaced while being checked; not read");
		r->flags |= KS_REC_UNREAD;
		break;
	case KS_JOB_ERROR:
		notice_errno(w, r->path, "not read", j->err);
		r->flags |= KS_REC_UNREAD;
		break;
	}
	return w->ops->consume(w->ops->ctx, r, w->err);
}

/*
 * Completes the jobs that are finished, waiting for one if need be: 1
 * when it completed some, 0 when none was queued, -1 on an error.
 */
static int
drain(struct walk *w)
{
	struct ks_hash_job *j = ks_hash_pool_take(w->pool), *next;
	int rc = j != NULL;

	for (; j != NULL; j = next) {
		next = j->next;
		if (rc < 0)
			ks_fim_rec_free((struct ks_fim_rec *)j);
		else if (finish(w, (struct ks_fim_rec *)j) < 0)
			rc = -1;
	}
	return rc;
}

static int
dispatch(struct walk *w, struct ks_fim_rec *r)
{
	int rc = w->ops->prepare(w->ops->ctx, r, w->err);

	if (rc < 0) {
		ks_fim_rec_free(r);
		return -1;
	}
	if (rc == 0 || !S_ISREG(r->mode))
		return w->ops->consume(w->ops->ctx, r, w->err);
	r->job.rel = ks_rel(r->path);
	r->job.resolve = KS_RESOLVE_NO_SYMLINKS;
	r->job.algo = KS_HASH_SHA256;
	r->job.x = (r->attrs & (KS_FIM_XATTRS | KS_FIM_CAPS)) ? &r->x : NULL;
	r->job.check_id = true;
	r->job.dev = r->dev;
	r->job.ino = r->ino;
	while (!ks_hash_pool_submit(w->pool, &r->job))
		if (drain(w) < 0) {
			ks_fim_rec_free(r);
			return -1;
		}
	return 0;
}

static void
count_type(struct walk *w, uint32_t mode)
{
	w->st->files++;
	if (S_ISREG(mode))
		w->st->regular++;
	else if (S_ISDIR(mode))
		w->st->dirs++;
	else if (S_ISLNK(mode))
		w->st->symlinks++;
	else
		w->st->other++;
}

/* A link's target and a special file's attributes, through its parent. */
static int
read_special(struct walk *w, struct ks_fim_rec *r, int dirfd,
    const char *name)
{
	char buf[PATH_MAX + 1], proc[64 + NAME_MAX];
	ssize_t n;

	if (S_ISLNK(r->mode)) {
		if ((n = readlinkat(dirfd, name, buf, PATH_MAX)) < 0) {
			notice_errno(w, r->path, "readlink", errno);
			r->flags |= KS_REC_UNREAD;
		} else {
			if ((r->target = malloc((size_t)n + 1)) == NULL)
				return ks_err_set(w->err, "out of memory");
			memcpy(r->target, buf, (size_t)n);
			r->target[n] = '\0';
			r->ntarget = (size_t)n;
		}
	}
	if (!(r->attrs & (KS_FIM_XATTRS | KS_FIM_CAPS)))
		return 0;
	/* l*xattr has no *at form: the parent's descriptor in /proc */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dirfd, name);
	if (ks_xattrs_read(w->xr, -1, proc, &r->x) < 0)
		notice_errno(w, r->path, "extended attributes", errno);
	return 0;
}

static int
push(struct walk *w, const char *path, size_t n, const struct stat *st,
    uint64_t rootdev, uint32_t attrs)
{
	struct pending *p;

	if (w->nstack == w->capstack) {
		size_t cap = w->capstack ? w->capstack * 2 : 64;

		if ((p = realloc(w->stack, cap * sizeof(*p))) == NULL)
			return ks_err_set(w->err, "out of memory");
		w->stack = p;
		w->capstack = cap;
	}
	p = &w->stack[w->nstack];
	if ((p->path = malloc(n + 1)) == NULL)
		return ks_err_set(w->err, "out of memory");
	memcpy(p->path, path, n + 1);
	p->n = n;
	p->st = *st;
	p->rootdev = rootdev;
	p->attrs = attrs;
	w->nstack++;
	return 0;
}

/*
 * One name listed in dirfd, at path: recorded, queued for reading, or
 * (a directory) pushed to be read later.  top: it is the walk's root.
 */
static int
entry(struct walk *w, int dirfd, const char *name, const char *path,
    size_t n, uint64_t rootdev, bool top, const char *root)
{
	struct ks_fim_rec *r;
	struct stat st;
	uint32_t attrs;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT && top)
			absent(w, root);
		else
			notice_errno(w, path, "stat", errno);
		return 0;
	}
	if (!ks_fim_config_match(w->cfg, path, n, &attrs)) {
		w->st->excluded++;
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return push(w, path, n, &st, top ? st.st_dev : rootdev, attrs);
	if ((r = ks_fim_rec_new(path, n)) == NULL)
		return ks_err_set(w->err, "out of memory");
	r->attrs = attrs;
	ks_fim_rec_stat(r, &st);
	count_type(w, r->mode);
	if (!S_ISREG(st.st_mode) && read_special(w, r, dirfd, name) < 0) {
		ks_fim_rec_free(r);
		return -1;
	}
	return dispatch(w, r);
}

static bool
pseudo_fs(int fd)
{
	static const long magic[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC, SECURITYFS_MAGIC,
		TRACEFS_MAGIC, BPF_FS_MAGIC, DEVPTS_SUPER_MAGIC,
		PSTOREFS_MAGIC, SELINUX_MAGIC, EFIVARFS_MAGIC, NSFS_MAGIC,
		0x62656570 /* configfs */, 0x65735543 /* fusectl */,
		0x19800202 /* mqueue */,
	};
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return false;
	for (size_t i = 0; i < sizeof(magic) / sizeof(*magic); i++)
		if ((long)sf.f_type == magic[i])
			return true;
	return false;
}

static int
cmp_off(const void *a, const void *b, void *names)
{
	return strcmp((const char *)names + *(const size_t *)a,
	    (const char *)names + *(const size_t *)b);
}

/* Lists an open directory's names, sorted, into w->names and w->offs. */
static int
list_names(struct walk *w, DIR *d, const char *path, size_t *count)
{
	struct dirent *de;
	size_t n = 0;

	ks_buf_reset(&w->names);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == w->capoffs) {
			size_t cap = w->capoffs ? w->capoffs * 2 : 256;
			size_t *o = realloc(w->offs, cap * sizeof(*o));

			if (o == NULL)
				return ks_err_set(w->err, "out of memory");
			w->offs = o;
			w->capoffs = cap;
		}
		w->offs[n++] = w->names.len;
		ks_buf_add(&w->names, de->d_name, strlen(de->d_name) + 1);
	}
	if (errno != 0)
		notice_errno(w, path, "readdir", errno);
	if (ks_buf_failed(&w->names))
		return ks_err_set(w->err, "out of memory");
	qsort_r(w->offs, n, sizeof(*w->offs), cmp_off, w->names.p);
	*count = n;
	return 0;
}

/* The entries of directory p, open as fd (which this closes). */
static int
read_entries(struct walk *w, const struct pending *p, int fd,
    const char *root)
{
	DIR *d = fdopendir(fd);
	size_t count = 0, base = w->nstack, n;
	int rc = 0;

	if (d == NULL) {
		notice_errno(w, p->path, "opendir", errno);
		close(fd);
		return 0;
	}
	if (list_names(w, d, p->path, &count) < 0) {
		closedir(d);
		return -1;
	}
	for (size_t i = 0; i < count && rc == 0; i++) {
		const char *name = w->names.p + w->offs[i];

		ks_buf_reset(&w->path);
		ks_buf_add(&w->path, p->path, p->n > 1 ? p->n : 0);
		ks_buf_addc(&w->path, '/');
		ks_buf_adds(&w->path, name);
		n = w->path.len;
		ks_buf_addc(&w->path, '\0');
		if (ks_buf_failed(&w->path))
			rc = ks_err_set(w->err, "out of memory");
		else if (n >= PATH_MAX)
			notice(w, p->path, "a name below it makes a path too "
			    "long to open; not checked");
		else
			rc = entry(w, dirfd(d), name, w->path.p, n, p->rootdev,
			    false, root);
	}
	closedir(d);
	/* pushed in name order: reversed, so that they pop in name order */
	for (size_t i = base, j = w->nstack; i + 1 < j; i++, j--) {
		struct pending t = w->stack[i];

		w->stack[i] = w->stack[j - 1];
		w->stack[j - 1] = t;
	}
	return rc;
}

static int
open_dir(struct walk *w, const char *path)
{
	int flags = O_RDONLY | O_DIRECTORY;
	int fd = ks_root_openat(w->rootfd, ks_rel(path),
	    flags | (w->noatime ? O_NOATIME : 0), KS_RESOLVE_NO_SYMLINKS);

	if (fd < 0 && errno == EPERM && w->noatime) {
		w->noatime = false;
		fd = ks_root_openat(w->rootfd, ks_rel(path), flags,
		    KS_RESOLVE_NO_SYMLINKS);
	}
	return fd;
}

/* Records the directory p and, unless it is another file system, reads it. */
static int
read_dir(struct walk *w, const struct pending *p, const char *root)
{
	struct ks_fim_rec *r;
	struct stat st;
	int fd, e;

	if ((r = ks_fim_rec_new(p->path, p->n)) == NULL)
		return ks_err_set(w->err, "out of memory");
	r->attrs = p->attrs;
	ks_fim_rec_stat(r, &p->st);
	count_type(w, r->mode);
	if ((fd = open_dir(w, p->path)) < 0) {
		if ((e = errno) == ENOSYS) {
			ks_fim_rec_free(r);
			return ks_err_set(w->err, "openat2 is missing: Linux "
			    "5.6 or later is needed");
		}
		notice_errno(w, p->path, e == ENOENT ?
		    "removed while being checked" : "not read", e);
		r->flags |= KS_REC_UNREAD;
		r->job.res = KS_JOB_ERROR;
		r->job.err = e;
		return dispatch(w, r);
	}
	if (fstat(fd, &st) < 0 || st.st_dev != p->st.st_dev ||
	    st.st_ino != p->st.st_ino) {
		notice(w, p->path, "replaced while being checked; not read");
		close(fd);
		r->flags |= KS_REC_UNREAD;
		r->job.res = KS_JOB_RACE;
		return dispatch(w, r);
	}
	ks_fim_rec_stat(r, &st);
	if ((r->attrs & (KS_FIM_XATTRS | KS_FIM_CAPS)) &&
	    ks_xattrs_read(w->xr, fd, NULL, &r->x) < 0)
		notice_errno(w, p->path, "extended attributes", errno);
	if (dispatch(w, r) < 0) {
		close(fd);
		return -1;
	}
	if ((st.st_dev != p->rootdev && !w->o->cross_mounts) || pseudo_fs(fd)) {
		w->st->mounts++;
		close(fd);
		return 0;
	}
	return read_entries(w, p, fd, root);
}

static void
progress(struct walk *w, const char *path)
{
	if (w->o->progress == NULL || w->st->files < w->progress_at)
		return;
	w->progress_at = w->st->files + PROGRESS_EVERY;
	w->o->progress(w->o->ctx, path, w->st->files, w->st->bytes);
}

/* Splits root into its parent (opened) and its last name. */
static int
walk_root(struct walk *w, const char *root)
{
	const char *slash = strrchr(root, '/'), *name;
	char parent[PATH_MAX];
	size_t plen;
	int pfd, rc = 0;

	if (strcmp(root, "/") == 0) {
		rc = entry(w, w->rootfd, ".", "/", 1, 0, true, root);
	} else {
		plen = (size_t)(slash - root);
		if (plen >= sizeof(parent))
			return ks_err_set(w->err, "%s: path too long", root);
		memcpy(parent, root, plen);
		parent[plen] = '\0';
		name = slash + 1;
		pfd = ks_root_openat(w->rootfd, ks_rel(parent),
		    O_PATH | O_DIRECTORY, KS_RESOLVE_NO_SYMLINKS);
		if (pfd < 0) {
			if (errno == ENOENT)
				absent(w, root);
			else
				notice_errno(w, root, "not walked", errno);
			return 0;
		}
		rc = entry(w, pfd, name, root, strlen(root), 0, true, root);
		close(pfd);
	}
	while (rc == 0 && w->nstack > 0) {
		struct pending p = w->stack[--w->nstack];

		rc = read_dir(w, &p, root);
		progress(w, p.path);
		free(p.path);
	}
	return rc;
}

/* Is roots[i] walked already, being below (or equal to) another root? */
static bool
covered(const char *const *roots, size_t nroots, size_t i)
{
	size_t n;

	for (size_t j = 0; j < nroots; j++) {
		n = strlen(roots[j]);
		if (j == i || strncmp(roots[i], roots[j], n) != 0)
			continue;
		if (roots[i][n] == '\0' ? j < i : roots[i][n] == '/' || n == 1)
			return true;
	}
	return false;
}

static void
walk_free(struct walk *w)
{
	struct ks_hash_job *j, *next;

	while (w->pool != NULL && (j = ks_hash_pool_take(w->pool)) != NULL)
		for (; j != NULL; j = next) {
			next = j->next;
			ks_fim_rec_free((struct ks_fim_rec *)j);
		}
	ks_hash_pool_free(w->pool);
	ks_xreader_free(w->xr);
	for (size_t i = 0; i < w->nstack; i++)
		free(w->stack[i].path);
	free(w->stack);
	free(w->offs);
	ks_buf_free(&w->names);
	ks_buf_free(&w->path);
}

int
ks_fim_walk(const struct ks_fim_opts *o, const struct ks_fim_config *cfg,
    const char *const *roots, size_t nroots, int rootfd,
    const struct ks_fim_walk_ops *ops, struct ks_fim_stats *st,
    struct ks_err *err)
{
	struct walk w = {
		.o = o, .cfg = cfg, .roots = roots, .nroots = nroots,
		.rootfd = rootfd, .ops = ops, .st = st, .noatime = true,
		.err = err,
	};
	int rc = 0;

	ks_buf_init(&w.names);
	ks_buf_init(&w.path);
	if (ks_xreader_new(&w.xr, err) < 0 ||
	    ks_hash_pool_new(&w.pool, rootfd, o->jobs, o->nice, err) < 0) {
		walk_free(&w);
		return -1;
	}
	for (size_t i = 0; i < nroots && rc == 0; i++)
		if (!covered(roots, nroots, i))
			rc = walk_root(&w, roots[i]);
	while (rc == 0 && (rc = drain(&w)) > 0)
		rc = 0;
	walk_free(&w);
	return rc;
}
