/*
 * dpkg.h - dpkg's database and .deb files, read without dpkg: the
 * parsers of the status file, md5sums files, diversions and conffiles
 * lists (dpkg.c), and the reader of .deb archives (deb.c).  Internal to
 * src/integrity (and its fuzz targets).
 */
#ifndef KS_DPKG_H
#define KS_DPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

struct ks_dpkg_conffile {
	char *path;                  /* "/etc/hostname" */
	unsigned char md5[16];
	bool has_md5;                /* false: "newconffile" and the like */
	bool obsolete;
};

struct ks_dpkg_pkg {
	char *name, *arch, *version;
	bool multiarch_same;
	bool installed;              /* its files are on the disk */
	struct ks_dpkg_conffile *conf;
	size_t nconf;
};

struct ks_dpkg_status {
	struct ks_dpkg_pkg *v;
	size_t n, cap;
	uint64_t unparsed;           /* lines that are no field */
};

/*
 * Parses a status file (or a DEBIAN/control file: one stanza) into s,
 * which it clears first; -1 only when out of memory.  Stanzas without a
 * Package field are counted as unparsed lines.
 */
int ks_dpkg_status_parse(struct ks_dpkg_status *s, const char *text,
    size_t n, struct ks_err *err);
void ks_dpkg_status_free(struct ks_dpkg_status *s);
/* The package of that name (and, unless NULL, architecture), or NULL. */
const struct ks_dpkg_pkg *ks_dpkg_find(const struct ks_dpkg_status *s,
    const char *name, const char *arch);

/*
 * The next line of an md5sums file ("<32 hex>  path"): 1 with its
 * digest and path (relative, as written), 0 for a line that is not one
 * (the caller counts it), -1 at the end.
 */
int ks_dpkg_md5sums_next(const char **p, const char *end,
    unsigned char md5[16], const char **path, size_t *n);

struct ks_dpkg_diversion {
	char *from, *to, *pkg;       /* pkg ":" for a local diversion */
};

struct ks_dpkg_diversions {
	struct ks_dpkg_diversion *v;
	size_t n;
	uint64_t unparsed;
};

/* Parses the diversions file (lines in threes: from, to, package). */
int ks_dpkg_diversions_parse(struct ks_dpkg_diversions *d, const char *text,
    size_t n, struct ks_err *err);
void ks_dpkg_diversions_free(struct ks_dpkg_diversions *d);
/* Where pkg's file path is on the disk: diverted elsewhere, or path. */
const char *ks_dpkg_divert(const struct ks_dpkg_diversions *d,
    const char *path, const char *pkg);

/*
 * The conffiles list of a .deb's control archive: calls fn for every
 * absolute path; lines that are not one are counted in *unparsed.
 */
int ks_dpkg_conffiles_parse(const char *text, size_t n,
    int (*fn)(void *ctx, const char *path, size_t len), void *ctx,
    uint64_t *unparsed);

/* Lowercase or uppercase hex of n bytes, exactly 2n characters. */
bool ks_unhex(const char *s, size_t len, unsigned char *out, size_t n);

/* ---- deb.c --------------------------------------------------------------- */

struct ks_deb_member {
	const char *path;            /* "/usr/bin/hostname" */
	size_t n;
	uint32_t mode;               /* S_IFMT and permissions */
	const char *link;            /* symlink target, or NULL */
	const char *hardlink;        /* "/path" of the member it links to */
	uint64_t size;
	unsigned char sha256[32];
	unsigned char md5[16];
};

struct ks_deb_control {
	const struct ks_dpkg_pkg *pkg;     /* from DEBIAN/control */
	char **conffiles;                  /* absolute paths */
	size_t nconffiles;
	uint64_t unparsed;
};

struct ks_deb_ops {
	/* The control part was read: 1 to read the files, 0 to skip them. */
	int (*control)(void *ctx, const struct ks_deb_control *c,
	    struct ks_err *err);
	/* One member of the data archive (not directories). */
	int (*member)(void *ctx, const struct ks_deb_member *m,
	    struct ks_err *err);
	void *ctx;
};

/* Reads the .deb at path (ar, control.tar.*, then data.tar.*). */
int ks_deb_read(const char *path, const struct ks_deb_ops *ops,
    struct ks_err *err);

#endif
