/*
 * integrity.h - file integrity: a baseline of what the system's files
 * are, verification of the files against it, and verification of the
 * installed Debian packages against dpkg's sums or trusted .deb files,
 * all without running a program of the analysed host.
 *
 * A baseline is an SQLite file with one record per file (type, mode,
 * owner, size, times, inode, link count, symlink target, extended
 * attributes, capabilities, SHA-256), made by walking the configured
 * paths and hashing in a pool of threads; a detached Ed25519 signature
 * (FILE.sig) made with a key kept off the host protects it.  `verify`
 * walks the same paths again and turns every difference into a finding
 * (shared/contract/findings.md) with rpm -Va's letters.
 *
 * Everything is read below a root directory (--root), so that a disk
 * image mounted elsewhere is checked as if it were the running system;
 * paths in records and findings are the paths on that system.
 */
#ifndef KS_INTEGRITY_H
#define KS_INTEGRITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding/finding.h"
#include "util/util.h"

/* ---- the configuration: groups of attributes, paths ------------------- */

/* What a group checks: a bit for each attribute (see config.c for names). */
enum ks_fim_attr {
	KS_FIM_TYPE = 1u << 0,
	KS_FIM_MODE = 1u << 1,
	KS_FIM_UID = 1u << 2,
	KS_FIM_GID = 1u << 3,
	KS_FIM_SIZE = 1u << 4,
	KS_FIM_MTIME = 1u << 5,
	KS_FIM_CTIME = 1u << 6,
	KS_FIM_INODE = 1u << 7,
	KS_FIM_NLINK = 1u << 8,
	KS_FIM_TARGET = 1u << 9,     /* symlink target */
	KS_FIM_DEVICE = 1u << 10,    /* major and minor of a device file */
	KS_FIM_XATTRS = 1u << 11,    /* extended attributes but capabilities */
	KS_FIM_CAPS = 1u << 12,      /* security.capability */
	KS_FIM_SHA256 = 1u << 13,
	KS_FIM_GROWING = 1u << 14,   /* may only grow, old content kept */
};
#define KS_FIM_ALL ((uint32_t)(KS_FIM_GROWING - 1))

struct ks_fim_group {
	char *name;
	uint32_t attrs;
};

/* "PATH GROUP" records PATH and below with GROUP; "!PATH" leaves it out. */
struct ks_fim_rule {
	char *sel;               /* a path, or an fnmatch(3) pattern */
	size_t n;
	bool glob;               /* sel has wildcards */
	bool name_only;          /* without '/': matches names in the path */
	bool exclude;
	uint32_t attrs;          /* the group's, unless exclude */
};

struct ks_fim_config {
	struct ks_fim_group *groups;
	size_t ngroups;
	struct ks_fim_rule *rules;
	size_t nrules;
	char *text;              /* as parsed: a baseline keeps it */
	size_t len;
};

/*
 * Parses a configuration (the format is in share/integrity.conf); on an
 * error err says the line and the problem.  cfg is cleared first.
 */
int ks_fim_config_parse(struct ks_fim_config *cfg, const char *text,
    size_t n, struct ks_err *err);
void ks_fim_config_free(struct ks_fim_config *cfg);
/* Reads and parses the configuration file at path (at most 1 MiB). */
int ks_fim_config_load(struct ks_fim_config *cfg, const char *path,
    struct ks_err *err);
/*
 * The attributes that path (absolute, as on the analysed system) is
 * checked for, by the last rule that matches it or a directory above
 * it; false when it is left out.  A path no rule matches gets every
 * attribute (KS_FIM_ALL).
 */
bool ks_fim_config_match(const struct ks_fim_config *cfg, const char *path,
    size_t n, uint32_t *attrs);
/* The rules' paths (not patterns, not exclusions): where walks start. */
size_t ks_fim_config_roots(const struct ks_fim_config *cfg,
    const char **roots, size_t max);
/* A name for an attribute bit ("mode"), or NULL. */
const char *ks_fim_attr_name(uint32_t bit);

/* ---- options and counts shared by baseline and verify ----------------- */

/* Something that did not go as planned with one file; not fatal. */
typedef void (*ks_fim_notice_fn)(void *ctx, const char *path,
    const char *what);
typedef void (*ks_fim_progress_fn)(void *ctx, const char *path,
    uint64_t files, uint64_t bytes);

struct ks_fim_opts {
	const char *root;            /* "/" when NULL */
	const struct ks_fim_config *cfg;
	const char *const *paths;    /* walk these instead of cfg's roots */
	size_t npaths;
	unsigned jobs;               /* hashing threads; 0: one per core */
	bool nice;                   /* drop hashed files from the page cache */
	bool cross_mounts;           /* descend into other file systems (a
	                                baseline keeps it for verify) */
	const char *host;            /* host.name of findings and baselines */
	int64_t now_us;              /* the run's time */
	ks_fim_notice_fn notice;
	ks_fim_progress_fn progress;
	void *ctx;
};

struct ks_fim_stats {
	uint64_t files;              /* records walked (all types) */
	uint64_t regular, dirs, symlinks, other;
	uint64_t hashed;             /* files read and hashed */
	uint64_t bytes;              /* bytes hashed */
	uint64_t reused;             /* --update: digests kept */
	uint64_t excluded;           /* entries left out by the config */
	uint64_t mounts;             /* directories of other file systems
	                                not descended into */
	uint64_t errors;             /* notices given */
	uint64_t added, removed, changed;     /* verify */
	char absent[1024];           /* configured roots that do not exist,
	                                separated by spaces (cut at 1023) */
};

/* Lowers the process's CPU and I/O priority (nice 10, idle I/O class). */
int ks_fim_lower_priority(struct ks_err *err);

/* ---- signatures -------------------------------------------------------- */

/*
 * Writes a new Ed25519 key pair: the secret key to secret_path (mode
 * 0600, never overwritten) and the public key to public_path.
 */
int ks_sig_keygen(const char *secret_path, const char *public_path,
    struct ks_err *err);
/*
 * Signs the content of the file at path with the secret key and writes
 * the signature to sig_path (through a temporary file and a rename).
 */
int ks_sig_sign_file(const char *path, const char *sig_path,
    const char *secret_path, struct ks_err *err);

enum ks_sig_state {
	KS_SIG_GOOD,                 /* signed, and the signature holds */
	KS_SIG_UNSIGNED,             /* no path.sig */
	KS_SIG_NO_KEY,               /* signed, but no public key given */
	KS_SIG_BAD,                  /* the signature does not hold */
};

/*
 * Checks content (the bytes of the file at path, already read) against
 * path.sig with the public key in public_path, or the one that belongs
 * to the secret key in secret_path (either may be NULL).  Returns -1
 * only when a key or signature file cannot be read or is malformed;
 * *state says what was found, and err describes it unless it is GOOD.
 */
int ks_sig_check(const void *content, size_t n, const char *path,
    const char *public_path, const char *secret_path,
    enum ks_sig_state *state, struct ks_err *err);
/* The name of path's signature file (path.sig), in a buffer of size. */
int ks_sig_path(const char *path, char *out, size_t size, struct ks_err *err);

/* ---- baseline and verify ------------------------------------------------ */

/* How to trust a baseline that is read back. */
struct ks_fim_trust {
	const char *pubkey;          /* public key file, or NULL */
	const char *seckey;          /* or the secret key (baseline --update) */
	bool insecure;               /* accept unsigned or bad signatures */
};

/*
 * Makes a baseline of the files opts selects into db (written to a
 * temporary file and renamed; signed when sign_key is not NULL).  With
 * update, the baseline already at db is read (and trusted as trust
 * says) and only files whose device, inode, size, mtime or ctime
 * changed are read again; stats->hashed and stats->reused count.  The
 * configuration and paths default to those of the old baseline.
 */
struct ks_fim_baseline_opts {
	const char *db;
	const char *sign_key;
	bool update;
	struct ks_fim_trust trust;   /* of the old baseline, with update */
	enum ks_sig_state old_sig;   /* out: the old baseline's signature */
	char old_sig_msg[512];       /* out: what was wrong with it */
};

int ks_fim_baseline(const struct ks_fim_opts *opts,
    struct ks_fim_baseline_opts *bo, struct ks_fim_stats *stats,
    struct ks_err *err);

/* A baseline read back into memory: what verify compares with. */
struct ks_fim_db;

struct ks_fim_db_info {
	char *host;
	char *root;
	char *created;               /* RFC 3339 */
	char *version;               /* of kansatsu that wrote it */
	uint64_t files;
	enum ks_sig_state sig;
	char sig_msg[512];
};

/*
 * Reads the baseline at path into memory, checking its signature first:
 * an unsigned or badly signed baseline is refused (-1) unless
 * trust->insecure.  info (may be NULL) receives what it says of itself.
 */
int ks_fim_db_open(struct ks_fim_db **out, const char *path,
    const struct ks_fim_trust *trust, struct ks_fim_db_info *info,
    struct ks_err *err);
void ks_fim_db_close(struct ks_fim_db *db);
void ks_fim_db_info_free(struct ks_fim_db_info *info);
/* The configuration the baseline was made with (owned by db). */
const struct ks_fim_config *ks_fim_db_config(const struct ks_fim_db *db);
/* The paths given with --path when it was made (owned by db). */
size_t ks_fim_db_paths(const struct ks_fim_db *db, const char *const **p);
/* Whether it was made descending into other file systems. */
bool ks_fim_db_cross_mounts(const struct ks_fim_db *db);

/*
 * Walks the files again and compares them with db: one finding per
 * added, removed, changed or unreadable file is added to out (the
 * configuration and paths of the baseline are used; opts->cfg and
 * opts->paths are ignored).  Findings are sorted, most severe first,
 * then by path.
 */
int ks_fim_verify(struct ks_fim_db *db, const struct ks_fim_opts *opts,
    struct ks_findings *out, struct ks_fim_stats *stats,
    struct ks_err *err);

/*
 * ks_fim_db_open and ks_fim_verify in one call (what `verify --db` and
 * `scan` do): the files are verified as opts says (root, jobs, notice
 * ...; host NULL: the baseline's; now_us 0: now) and the findings added
 * to out.  An unsigned or altered baseline is refused (-1) unless
 * trust->insecure.  info (may be NULL; ks_fim_db_info_free it) receives
 * what the baseline says of itself and of its signature.
 */
int ks_fim_verify_path(const char *db_path, const struct ks_fim_trust *trust,
    const struct ks_fim_opts *opts, struct ks_findings *out,
    struct ks_fim_stats *stats, struct ks_fim_db_info *info,
    struct ks_err *err);

/* Sorts findings most severe first, then by file.path. */
void ks_fim_findings_sort(struct ks_findings *l);

/* ---- packages ------------------------------------------------------------ */

struct ks_pkg_opts {
	const char *root;            /* "/" when NULL */
	const char *debdir;          /* trusted .deb files, or NULL */
	const char *const *names;    /* only these packages (none: all) */
	size_t nnames;
	unsigned jobs;
	bool nice;
	const char *host;
	int64_t now_us;
	ks_fim_notice_fn notice;
	ks_fim_progress_fn progress;
	void *ctx;
};

struct ks_pkg_stats {
	uint64_t packages;           /* installed packages checked */
	uint64_t files;              /* files checked */
	uint64_t bytes;
	uint64_t changed, missing, conffiles_changed, sums_tampered;
	uint64_t unparsed;           /* lines of dpkg's files not understood */
	uint64_t debs, debs_skipped; /* .deb files read, and not used */
	uint64_t no_deb;             /* installed packages with no .deb */
	uint64_t no_sums;            /* ... with no md5sums file */
	uint64_t errors;
};

/*
 * Verifies the installed packages of the dpkg database below root:
 * against its md5sums files and the conffiles of its status file, or,
 * with debdir, against the contents of the .deb files there (SHA-256 of
 * each member), which also shows md5sums lines that were altered.
 */
int ks_pkg_verify(const struct ks_pkg_opts *opts, struct ks_findings *out,
    struct ks_pkg_stats *stats, struct ks_err *err);

#endif
