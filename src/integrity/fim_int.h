/*
 * fim_int.h - what the files of src/integrity share and nobody else
 * needs: opening below the analysed root, extended attributes, the
 * record of one file, the hashing pool, the walk, and the baseline's
 * SQLite storage.
 */
#ifndef KS_FIM_INT_H
#define KS_FIM_INT_H

#include <sys/stat.h>
#include <sys/types.h>

#include "integrity/integrity.h"

/* ---- rootfs.c: opening files below the root ---------------------------- */

enum ks_resolve {
	KS_RESOLVE_NO_SYMLINKS,   /* follow no symbolic link at all */
	KS_RESOLVE_IN_ROOT,       /* follow them, as if root were "/" */
};

/* Opens root (NULL: "/") as a directory to resolve paths from. */
int ks_root_open(const char *root, int *fd, struct ks_err *err);
/*
 * openat2(2) of rel below rootfd, never leaving it, with O_CLOEXEC and
 * O_NOFOLLOW added to flags; a file descriptor, or -1 with errno.
 */
int ks_root_openat(int rootfd, const char *rel, int flags,
    enum ks_resolve how);
/* Reads the file rel (resolved in root), at most max bytes, into out. */
int ks_root_read(int rootfd, const char *rel, size_t max, struct ks_buf *out,
    struct ks_err *err);
/*
 * Reads the file at path (a path of the analysing host, such as a key
 * or a configuration), at most max bytes, into out; errno is kept when
 * it cannot be opened.
 */
int ks_read_file(const char *path, size_t max, struct ks_buf *out,
    struct ks_err *err);
/* "/usr/bin" -> "usr/bin"; "/" -> ".": a path as openat wants it. */
const char *ks_rel(const char *path);

/* ---- xattr.c: extended attributes --------------------------------------- */

#define KS_CAPS_MAX 64            /* a vfs_cap_data is 20 or 24 bytes */

/*
 * A file's extended attributes: security.capability as it is, the
 * others as a blob of (name, NUL, SHA-256 of the value) sorted by name,
 * which is enough to tell which changed and small whatever the values.
 */
struct ks_xattrs {
	unsigned char caps[KS_CAPS_MAX];
	size_t ncaps;
	unsigned char *blob;
	size_t nblob;
};

struct ks_xreader;

int ks_xreader_new(struct ks_xreader **out, struct ks_err *err);
void ks_xreader_free(struct ks_xreader *xr);
/* Reads the attributes of fd (or, with fd < 0, of path, not followed). */
int ks_xattrs_read(struct ks_xreader *xr, int fd, const char *path,
    struct ks_xattrs *out);
void ks_xattrs_free(struct ks_xattrs *x);
int ks_xattrs_copy(struct ks_xattrs *dst, const struct ks_xattrs *src);
/* Appends the names whose values differ between blobs a and b. */
void ks_xattrs_diff(struct ks_buf *out, const unsigned char *a, size_t na,
    const unsigned char *b, size_t nb);
/* Appends capabilities as getcap(8) shows them: "cap_net_raw=ep". */
void ks_caps_text(struct ks_buf *out, const unsigned char *caps, size_t n);

/* ---- hash.c: the pool of hashing threads -------------------------------- */

enum ks_hash_algo {
	KS_HASH_SHA256,
	KS_HASH_MD5,
};

enum ks_job_result {
	KS_JOB_OK,
	KS_JOB_MISSING,           /* ENOENT or ENOTDIR */
	KS_JOB_NOT_REGULAR,       /* st says what it is */
	KS_JOB_RACE,              /* not the file the walk saw */
	KS_JOB_ERROR,             /* err is the errno */
};

/* One file to read: filled in by the caller, results by a worker. */
struct ks_hash_job {
	struct ks_hash_job *next;
	const char *rel;             /* below the pool's root */
	enum ks_resolve resolve;
	enum ks_hash_algo algo;
	uint64_t limit;              /* hash at most this many bytes */
	struct ks_xattrs *x;         /* read extended attributes into it */
	bool check_id;               /* must be the file at dev, ino */
	uint64_t dev, ino;

	enum ks_job_result res;
	int err;
	struct stat st;              /* fstat of what was opened */
	unsigned char md[32];
	size_t mdlen;
	uint64_t bytes;              /* bytes hashed */
	int xerr;                    /* errno reading the attributes, or 0 */
};

struct ks_hash_pool;

/* Starts workers (0: one per core) reading below rootfd. */
int ks_hash_pool_new(struct ks_hash_pool **out, int rootfd, unsigned workers,
    bool nice, struct ks_err *err);
/* Queues a job; false when the queue is full (take finished ones first). */
bool ks_hash_pool_submit(struct ks_hash_pool *p, struct ks_hash_job *job);
/*
 * The finished jobs as a list (through next), waiting until one is
 * finished when none is; NULL when no job is queued or running.
 */
struct ks_hash_job *ks_hash_pool_take(struct ks_hash_pool *p);
void ks_hash_pool_free(struct ks_hash_pool *p);
/* The processors this process may run on. */
unsigned ks_cpu_count(void);
/* An algorithm's digest of data (for the contents of .deb members). */
size_t ks_hash_size(enum ks_hash_algo algo);

/* ---- the record of one file --------------------------------------------- */

#define KS_REC_UNREAD 1u          /* its content could not be read */

struct ks_fim_rec {
	struct ks_hash_job job;
	char *path;                  /* "/usr/bin/ls", as on the system */
	size_t plen;
	uint32_t attrs;              /* what its group checks */
	uint32_t mode, uid, gid;
	uint64_t size, dev, ino, nlink, rdev;
	int64_t mtime_ns, ctime_ns;
	char *target;                /* symlink target, or NULL */
	size_t ntarget;
	struct ks_xattrs x;
	unsigned char sha256[32];
	bool has_sha;
	uint32_t flags;
	int64_t id;                  /* row of a record read back */
	struct ks_fim_rec *old;      /* verify: the baseline's record */
};

struct ks_fim_rec *ks_fim_rec_new(const char *path, size_t n);
void ks_fim_rec_stat(struct ks_fim_rec *r, const struct stat *st);
void ks_fim_rec_free(struct ks_fim_rec *r);
/* What attributes apply to files of a type (S_IFMT bits). */
uint32_t ks_fim_type_attrs(uint32_t mode);
/* True for a regular file whose attributes call for reading it. */
bool ks_fim_needs_read(const struct ks_fim_rec *r);

/* ---- walk.c: walking the paths, feeding the pool ------------------------ */

struct ks_fim_walk_ops {
	/*
	 * A file was walked: 1 to have it read (rec->job.limit may be
	 * set), 0 to consume it as it is, -1 to stop.
	 */
	int (*prepare)(void *ctx, struct ks_fim_rec *rec, struct ks_err *err);
	/* A file is complete; consume takes rec.  -1 stops the walk. */
	int (*consume)(void *ctx, struct ks_fim_rec *rec, struct ks_err *err);
	void *ctx;
};

/*
 * Walks roots (absolute paths) below rootfd as cfg selects, records
 * every file and calls ops for each.  Files whose content could not be
 * read are consumed with KS_REC_UNREAD and a notice.
 */
int ks_fim_walk(const struct ks_fim_opts *o, const struct ks_fim_config *cfg,
    const char *const *roots, size_t nroots, int rootfd,
    const struct ks_fim_walk_ops *ops, struct ks_fim_stats *st,
    struct ks_err *err);

/* ---- db.c: the baseline in SQLite ---------------------------------------- */

struct ks_fim_store;

int ks_fim_store_create(struct ks_fim_store **out, const char *path,
    struct ks_err *err);
int ks_fim_store_meta(struct ks_fim_store *s, const char *key,
    const char *val, size_t n, struct ks_err *err);
int ks_fim_store_put(struct ks_fim_store *s, const struct ks_fim_rec *r,
    struct ks_err *err);
/* Commits and closes; s is freed either way. */
int ks_fim_store_finish(struct ks_fim_store *s, struct ks_err *err);
void ks_fim_store_abort(struct ks_fim_store *s);

/* The record of path in the baseline: 1 found (*out owned), 0 not. */
int ks_fim_db_lookup(struct ks_fim_db *db, const char *path, size_t n,
    struct ks_fim_rec **out, struct ks_err *err);
/* Marks a record as walked, so that ks_fim_db_unseen skips it. */
void ks_fim_db_seen(struct ks_fim_db *db, int64_t id);
/* Calls fn for every record not marked seen, in path order. */
int ks_fim_db_unseen(struct ks_fim_db *db,
    int (*fn)(void *ctx, struct ks_fim_rec *rec, struct ks_err *err),
    void *ctx, struct ks_err *err);

/* ---- rules.c: the checks' descriptions, and building findings ------------ */

enum ks_fim_check {
	KS_CHK_CHANGED_SYSTEM,
	KS_CHK_CHANGED,
	KS_CHK_PRIVILEGE,
	KS_CHK_ADDED_SYSTEM,
	KS_CHK_ADDED,
	KS_CHK_REMOVED_SYSTEM,
	KS_CHK_REMOVED,
	KS_CHK_UNREADABLE,
	KS_CHK_PKG_CHANGED_SYSTEM,
	KS_CHK_PKG_CHANGED,
	KS_CHK_PKG_CONFFILE,
	KS_CHK_PKG_MISSING,
	KS_CHK_PKG_SUMS_TAMPERED,
	KS_CHK_COUNT,
};

const struct ks_rule_info *ks_fim_check_info(enum ks_fim_check c);
/* A system binary or library directory: /bin, /usr/lib, /boot, ... */
bool ks_fim_system_path(const char *path, size_t n);
/*
 * A finding of check c about the file at path, seen at ts_us, with one
 * piece of evidence (text) and file.path set; NULL when out of memory.
 */
struct ks_finding *ks_fim_finding(enum ks_fim_check c, const char *host,
    const char *path, int64_t ts_us, const char *text, size_t n);
/* Sets an attribute formatted like printf; false when out of memory. */
bool ks_fim_attrf(struct ks_finding *fd, const char *key, bool num,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Appends a digest in hex. */
void ks_hex(struct ks_buf *b, const unsigned char *p, size_t n);

#endif
