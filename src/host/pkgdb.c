/*
 * pkgdb.c - which paths the package manager installed, read from dpkg's
 * own file lists (/var/lib/dpkg/info/PKG.list) and diversions, without
 * running dpkg.
 *
 * Host checks ask two questions of it: is this SUID file, this running
 * executable, this cron.d file from a package at all; and does the
 * package explain when the file last changed.  dpkg rewrites a package's
 * .list when it unpacks the package, so a system binary whose change time
 * lies near its package's list time was put there by dpkg; one that
 * changed at another time was changed by something else.
 *
 * Under --root only the mtime counts (a copied image's ctimes are the
 * copy's), and a packaged file is explained when its package was
 * unpacked after the file was last written.
 *
 * Debian merged /usr: the lists still say /bin/ls where the file now
 * lives at /usr/bin/ls, so a path is looked up under its twin as well.
 * The set is an open-addressing hash table over slices of the list
 * files, read whole; the lists come from the analysed system and their
 * total size is bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define INFO_DIR "/var/lib/dpkg/info"
#define LIST_FILE_MAX (64u << 20)
#define TOTAL_MAX (1024u << 20)
#define PKG_SLACK_US (600 * 1000000LL)  /* unpacking to list writing */

struct slot {
	const char *path;       /* NULL: empty */
	uint32_t len;
	uint32_t pkg;
};

struct ks_pkgdb {
	struct ks_hfile *files;     /* one per package list, plus diversions */
	int64_t *listed_us;         /* per file: its mtime */
	size_t nfiles;
	struct slot *slots;
	size_t mask, count;
	struct ks_hash_key hk;
};

static uint64_t
mtime_us(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000 +
	    (uint64_t)st->st_mtim.tv_nsec / 1000;
}

static struct slot *
find_slot(const struct ks_pkgdb *db, const char *p, size_t n)
{
	size_t i = ks_hash(&db->hk, p, n) & db->mask;

	while (db->slots[i].path != NULL &&
	    (db->slots[i].len != n || memcmp(db->slots[i].path, p, n) != 0))
		i = (i + 1) & db->mask;
	return &db->slots[i];
}

static void
insert(struct ks_pkgdb *db, const char *p, size_t n, uint32_t pkg)
{
	struct slot *s;

	while (n > 1 && p[n - 1] == '/')
		n--;
	if (n == 0 || n > UINT32_MAX)
		return;
	s = find_slot(db, p, n);
	if (s->path != NULL)
		return;
	s->path = p;
	s->len = (uint32_t)n;
	s->pkg = pkg;
	db->count++;
}

/* Cuts every file into lines and sizes the table for all of them. */
static int
build(struct ks_pkgdb *db, size_t lines)
{
	size_t size = 64;

	while (size < lines * 2)
		size *= 2;
	if ((db->slots = calloc(size, sizeof(*db->slots))) == NULL)
		return -1;
	db->mask = size - 1;
	for (size_t f = 0; f < db->nfiles; f++) {
		char *p = db->files[f].p, *end = p + db->files[f].n, *nl;

		for (; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			*nl = '\0';
			/* diversions: from, to, package: the paths count */
			if (p[0] == '/')
				insert(db, p, (size_t)(nl - p), (uint32_t)f);
		}
	}
	return 0;
}

static size_t
count_lines(const struct ks_hfile *f)
{
	size_t n = 1;

	for (const char *p = f->p; (p = memchr(p, '\n',
	    (size_t)(f->p + f->n - p))) != NULL; p++)
		n++;
	return n;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Reads the .list files named in dir (and the diversions). */
static int
read_lists(struct ks_host *h, struct ks_pkgdb *db, const struct ks_hdir *dir,
    size_t *lines)
{
	char path[4096];
	size_t total = 0;

	if ((db->files = calloc(dir->n + 1, sizeof(*db->files))) == NULL ||
	    (db->listed_us = calloc(dir->n + 1, sizeof(int64_t))) == NULL)
		return -1;
	for (size_t i = 0; i < dir->n; i++) {
		struct ks_hfile *f = &db->files[db->nfiles];

		if (!ends_with(dir->names[i], ".list") ||
		    !ks_path_join(path, sizeof(path), INFO_DIR, dir->names[i]) ||
		    ks_hfs_read(h, path, LIST_FILE_MAX, f) != 0)
			continue;
		if (total + f->n > TOTAL_MAX) {
			ks_host_note(h, _("%s: package lists larger than %u MiB: "
			    "the rest were not read"), INFO_DIR, TOTAL_MAX >> 20);
			ks_hfile_free(f);
			break;
		}
		total += f->n;
		*lines += count_lines(f);
		db->listed_us[db->nfiles] = (int64_t)mtime_us(&f->st);
		db->nfiles++;
	}
	if (ks_hfs_read(h, "/var/lib/dpkg/diversions", LIST_FILE_MAX,
	    &db->files[db->nfiles]) == 0) {
		*lines += count_lines(&db->files[db->nfiles]);
		db->listed_us[db->nfiles] = (int64_t)mtime_us(
		    &db->files[db->nfiles].st);
		db->nfiles++;
	}
	return 0;
}

static struct ks_pkgdb *
load(struct ks_host *h)
{
	struct ks_pkgdb *db;
	struct ks_hdir dir;
	size_t lines = 0;

	if (ks_hfs_list(h, INFO_DIR, &dir) != 0) {
		ks_host_note(h, _("no dpkg database (%s): checks against "
		    "installed packages are off"), INFO_DIR);
		return NULL;
	}
	if ((db = calloc(1, sizeof(*db))) != NULL)
		ks_hash_key_init(&db->hk);
	if (db == NULL ||
	    read_lists(h, db, &dir, &lines) < 0 || build(db, lines) < 0) {
		ks_hdir_free(&dir);
		ks_pkgdb_free(db);
		h->oom = true;
		return NULL;
	}
	ks_hdir_free(&dir);
	if (db->count == 0) {
		ks_host_note(h, _("%s holds no package lists: checks against "
		    "installed packages are off"), INFO_DIR);
		ks_pkgdb_free(db);
		return NULL;
	}
	return db;
}

struct ks_pkgdb *
ks_host_pkgdb(struct ks_host *h)
{
	if (!h->pkg_loaded) {
		h->pkg_loaded = true;
		h->pkg = load(h);
	}
	return h->pkg;
}

static const struct slot *
lookup(const struct ks_pkgdb *db, const char *p, size_t n)
{
	const struct slot *s = find_slot(db, p, n);

	return s->path != NULL ? s : NULL;
}

/* The merged-/usr twin of path into buf: /bin/x <-> /usr/bin/x. */
static bool
usr_twin(const char *path, char *buf, size_t size)
{
	static const char *const dirs[] = { "/bin/", "/sbin/", "/lib/",
	    "/lib32/", "/lib64/", "/libx32/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		size_t n = strlen(dirs[i]);

		if (strncmp(path, "/usr", 4) == 0 &&
		    strncmp(path + 4, dirs[i], n) == 0)
			return (size_t)snprintf(buf, size, "%s", path + 4) < size;
		if (strncmp(path, dirs[i], n) == 0)
			return (size_t)snprintf(buf, size, "/usr%s", path) < size;
	}
	return false;
}

bool
ks_pkgdb_has(const struct ks_pkgdb *db, const char *path, int64_t *listed_us)
{
	const struct slot *s = lookup(db, path, strlen(path));
	char twin[4096];

	if (s == NULL && usr_twin(path, twin, sizeof(twin)))
		s = lookup(db, twin, strlen(twin));
	if (s != NULL && listed_us != NULL)
		*listed_us = db->listed_us[s->pkg];
	return s != NULL;
}

bool
ks_pkgdb_busy(const struct ks_pkgdb *db, int64_t t_us, int64_t slack_us)
{
	for (size_t i = 0; i < db->nfiles; i++)
		if (db->listed_us[i] >= t_us - slack_us &&
		    db->listed_us[i] <= t_us + slack_us)
			return true;
	return false;
}

static int64_t
ts_us(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000 + t->tv_nsec / 1000;
}

bool
ks_host_changed(const struct ks_host *h, const struct ks_pkgdb *db,
    const char *path, const struct stat *st, bool maintainer_scripts,
    int64_t *when)
{
	int64_t mt = ts_us(&st->st_mtim), ct = ts_us(&st->st_ctim), listed;

	*when = h->live && ct > mt ? ct : mt;
	if (*when < h->o.since_us)
		return false;
	if (db == NULL)
		return true;
	if (ks_pkgdb_has(db, path, &listed))
		return mt > listed + PKG_SLACK_US || (h->live &&
		    (ct > listed + PKG_SLACK_US || ct < listed - PKG_SLACK_US));
	return !maintainer_scripts || !ks_pkgdb_busy(db, *when, PKG_SLACK_US);
}

size_t
ks_pkgdb_count(const struct ks_pkgdb *db)
{
	return db->count;
}

void
ks_pkgdb_free(struct ks_pkgdb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nfiles; i++)
		ks_hfile_free(&db->files[i]);
	free(db->files);
	free(db->listed_us);
	free(db->slots);
	free(db);
}
