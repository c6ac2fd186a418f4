/*
 * db.c - the baseline as an SQLite file.
 *
 * One table of records (one row per file, the path as a BLOB because
 * file names are bytes, not text) and one of metadata: the format, the
 * host, the root, when and by which version it was made, and the
 * configuration and paths it was made with, so that verify and --update
 * walk exactly what the baseline covers.
 *
 * Writing goes to a fresh file that nobody else uses, so the journal is
 * off and rows are inserted in batched transactions; the caller renames
 * the file into place when it is complete.  Reading never opens the
 * file through SQLite: it is read into memory once, its signature is
 * checked over exactly those bytes, and SQLite works on that copy
 * (sqlite3_deserialize), so the baseline checked is the baseline used
 * and verify writes nothing, not even a journal, next to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "integrity/fim_int.h"

#define FORMAT "kansatsu-baseline 1"
#define BATCH 8192
#define DB_MAX ((uint64_t)8 << 30)
#define IDS_MAX ((int64_t)1 << 31)

#define COLS "id, path, attrs, flags, mode, uid, gid, size, mtime, ctime, " \
    "dev, ino, nlink, rdev, target, xattrs, caps, sha256"

static const char schema[] =
    "PRAGMA journal_mode = OFF;"
    "PRAGMA synchronous = OFF;"
    "PRAGMA locking_mode = EXCLUSIVE;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
    "CREATE TABLE files (id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE,"
    " attrs INTEGER NOT NULL, flags INTEGER NOT NULL, mode INTEGER NOT NULL,"
    " uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL,"
    " mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, dev INTEGER NOT NULL,"
    " ino INTEGER NOT NULL, nlink INTEGER NOT NULL, rdev INTEGER NOT NULL,"
    " target BLOB, xattrs BLOB, caps BLOB, sha256 BLOB);";

struct ks_fim_store {
	sqlite3 *db;
	sqlite3_stmt *put, *meta;
	size_t batch;
};

struct ks_fim_db {
	sqlite3 *db;
	sqlite3_stmt *lookup;
	struct ks_fim_config cfg;
	char *paths_blob;
	const char **paths;
	size_t npaths;
	bool cross_mounts;
	unsigned char *seen;
	int64_t maxid;
};

static int
sql_fail(sqlite3 *db, const char *what, struct ks_err *err)
{
	return ks_err_set(err, "%s: %s", what, db != NULL ? sqlite3_errmsg(db) :
	    "out of memory");
}

int
ks_fim_store_create(struct ks_fim_store **out, const char *path,
    struct ks_err *err)
{
	struct ks_fim_store *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return ks_err_set(err, "out of memory");
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO files (" COLS ") VALUES "
	    "(NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &s->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO meta VALUES (?, ?)", -1,
	    &s->meta, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(s->db, path, err);
		ks_fim_store_abort(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
ks_fim_store_abort(struct ks_fim_store *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->put);
	sqlite3_finalize(s->meta);
	sqlite3_close(s->db);
	free(s);
}

int
ks_fim_store_meta(struct ks_fim_store *s, const char *key, const char *val,
    size_t n, struct ks_err *err)
{
	sqlite3_reset(s->meta);
	if (sqlite3_bind_text(s->meta, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_blob64(s->meta, 2, val, n, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(s->meta) != SQLITE_DONE)
		return sql_fail(s->db, "baseline metadata", err);
	return 0;
}

static int
bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
	if (p == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_blob64(st, i, p, n, SQLITE_STATIC);
}

int
ks_fim_store_put(struct ks_fim_store *s, const struct ks_fim_rec *r,
    struct ks_err *err)
{
	sqlite3_stmt *st = s->put;
	const int64_t ints[] = {
		r->attrs, r->flags, r->mode, r->uid, r->gid, (int64_t)r->size,
		r->mtime_ns, r->ctime_ns, (int64_t)r->dev, (int64_t)r->ino,
		(int64_t)r->nlink, (int64_t)r->rdev,
	};
	int rc = SQLITE_OK, i = 1;

	sqlite3_reset(st);
	rc |= bind_blob(st, i++, r->path, r->plen);
	for (size_t k = 0; k < sizeof(ints) / sizeof(*ints); k++)
		rc |= sqlite3_bind_int64(st, i++, ints[k]);
	rc |= bind_blob(st, i++, r->target, r->ntarget);
	rc |= bind_blob(st, i++, r->x.blob, r->x.nblob);
	rc |= bind_blob(st, i++, r->x.ncaps ? r->x.caps : NULL, r->x.ncaps);
	rc |= bind_blob(st, i++, r->has_sha ? r->sha256 : NULL, 32);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		return sql_fail(s->db, "baseline", err);
	if (++s->batch == BATCH) {
		s->batch = 0;
		if (sqlite3_exec(s->db, "COMMIT; BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return sql_fail(s->db, "baseline", err);
	}
	return 0;
}

int
ks_fim_store_finish(struct ks_fim_store *s, struct ks_err *err)
{
	int rc = 0;

	sqlite3_finalize(s->put);
	sqlite3_finalize(s->meta);
	s->put = s->meta = NULL;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sql_fail(s->db, "baseline", err);
	if (sqlite3_close(s->db) != SQLITE_OK && rc == 0)
		rc = ks_err_set(err, "baseline: cannot close the database");
	s->db = NULL;
	free(s);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* The whole file, in memory SQLite may take over (sqlite3_malloc64). */
static int
slurp(const char *path, unsigned char **out, size_t *n, struct ks_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *p;
	size_t got = 0;
	ssize_t r;

	if (fd < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > DB_MAX) {
		close(fd);
		return ks_err_set(err, "%s: not a regular file of at most "
		    "8 GiB", path);
	}
	if ((p = sqlite3_malloc64((uint64_t)st.st_size + 1)) == NULL) {
		close(fd);
		return ks_err_set(err, "%s: out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, p + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ks_err_set(err, "%s: %s", path, r < 0 ? strerror(errno) :
			    "shorter than it was");
			sqlite3_free(p);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	*out = p;
	*n = got;
	return 0;
}

/* A metadata value (a copy, NUL-terminated), or NULL when absent. */
static char *
meta_get(sqlite3 *db, const char *key, size_t *len)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	size_t n;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
	    &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = (size_t)sqlite3_column_bytes(st, 0);
		if ((v = malloc(n + 1)) != NULL) {
			if (n > 0)
				memcpy(v, sqlite3_column_blob(st, 0), n);
			v[n] = '\0';
			if (len != NULL)
				*len = n;
		}
	}
	sqlite3_finalize(st);
	return v;
}

/* The --path list: NUL-separated in one value. */
static int
load_paths(struct ks_fim_db *db, struct ks_err *err)
{
	size_t n = 0, k = 0;

	if ((db->paths_blob = meta_get(db->db, "paths", &n)) == NULL)
		return ks_err_set(err, "baseline without its paths");
	for (size_t i = 0; i < n; i++)
		k += db->paths_blob[i] == '\0';
	if ((db->paths = calloc(k + 1, sizeof(*db->paths))) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < n; i += strlen(db->paths_blob + i) + 1)
		if (db->paths_blob[i] == '/')
			db->paths[db->npaths++] = db->paths_blob + i;
	return 0;
}

static int
load_meta(struct ks_fim_db *db, struct ks_fim_db_info *info,
    struct ks_err *err)
{
	char *fmt = meta_get(db->db, "format", NULL), *cfg, *cm;
	size_t n = 0;
	int rc;

	if (fmt == NULL || strcmp(fmt, FORMAT) != 0) {
		free(fmt);
		return ks_err_set(err, "not a kansatsu baseline (format "
		    FORMAT ")");
	}
	free(fmt);
	if ((cfg = meta_get(db->db, "config", &n)) == NULL)
		return ks_err_set(err, "baseline without its configuration");
	rc = ks_fim_config_parse(&db->cfg, cfg, n, err);
	free(cfg);
	if ((cm = meta_get(db->db, "cross_mounts", NULL)) != NULL)
		db->cross_mounts = strcmp(cm, "1") == 0;
	free(cm);
	if (rc < 0 || load_paths(db, err) < 0)
		return -1;
	if (info != NULL) {
		info->host = meta_get(db->db, "host", NULL);
		info->root = meta_get(db->db, "root", NULL);
		info->created = meta_get(db->db, "created", NULL);
		info->version = meta_get(db->db, "version", NULL);
	}
	return 0;
}

static int
prepare_reads(struct ks_fim_db *db, struct ks_fim_db_info *info,
    struct ks_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t count = 0;

	if (sqlite3_prepare_v2(db->db, "SELECT count(*), max(id) FROM files",
	    -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sql_fail(db->db, "baseline", err);
	}
	count = sqlite3_column_int64(st, 0);
	db->maxid = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (db->maxid < 0 || db->maxid >= IDS_MAX || count < 0)
		return ks_err_set(err, "baseline: record ids out of range");
	if (info != NULL)
		info->files = (uint64_t)count;
	if ((db->seen = calloc((size_t)db->maxid / 8 + 1, 1)) == NULL)
		return ks_err_set(err, "out of memory");
	if (sqlite3_prepare_v2(db->db, "SELECT " COLS " FROM files WHERE "
	    "path = ?", -1, &db->lookup, NULL) != SQLITE_OK)
		return sql_fail(db->db, "baseline", err);
	return 0;
}

/* Accepts the baseline's signature, or says why not. */
static int
trust_check(const unsigned char *p, size_t n, const char *path,
    const struct ks_fim_trust *trust, struct ks_fim_db_info *info,
    struct ks_err *err)
{
	enum ks_sig_state state;
	struct ks_err why;

	if (ks_sig_check(p, n, path, trust->pubkey, trust->seckey, &state,
	    &why) < 0)
		return ks_err_set(err, "%s", why.msg);
	if (info != NULL) {
		info->sig = state;
		snprintf(info->sig_msg, sizeof(info->sig_msg), "%s",
		    state == KS_SIG_GOOD ? "" : why.msg);
	}
	if (state != KS_SIG_GOOD && !trust->insecure)
		return ks_err_set(err, "%s (--insecure uses it all the same)",
		    why.msg);
	return 0;
}

int
ks_fim_db_open(struct ks_fim_db **out, const char *path,
    const struct ks_fim_trust *trust, struct ks_fim_db_info *info,
    struct ks_err *err)
{
	struct ks_fim_db *db;
	unsigned char *p = NULL;
	size_t n = 0;

	*out = NULL;
	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (slurp(path, &p, &n, err) < 0)
		return -1;
	if (trust_check(p, n, path, trust, info, err) < 0) {
		sqlite3_free(p);
		return -1;
	}
	if ((db = calloc(1, sizeof(*db))) == NULL) {
		sqlite3_free(p);
		return ks_err_set(err, "out of memory");
	}
	if (sqlite3_open_v2(":memory:", &db->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		sqlite3_free(p);
		sql_fail(db->db, path, err);
		ks_fim_db_close(db);
		return -1;
	}
	/* on failure, FREEONCLOSE frees p too */
	if (sqlite3_deserialize(db->db, "main", p, (sqlite3_int64)n,
	    (sqlite3_int64)n + 1, SQLITE_DESERIALIZE_FREEONCLOSE |
	    SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK) {
		sql_fail(db->db, path, err);
		ks_fim_db_close(db);
		return -1;
	}
	sqlite3_db_config(db->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (load_meta(db, info, err) < 0 || prepare_reads(db, info, err) < 0) {
		ks_fim_db_close(db);
		ks_fim_db_info_free(info);
		return -1;
	}
	*out = db;
	return 0;
}

void
ks_fim_db_close(struct ks_fim_db *db)
{
	if (db == NULL)
		return;
	sqlite3_finalize(db->lookup);
	sqlite3_close(db->db);
	ks_fim_config_free(&db->cfg);
	free(db->paths_blob);
	free(db->paths);
	free(db->seen);
	free(db);
}

void
ks_fim_db_info_free(struct ks_fim_db_info *info)
{
	if (info == NULL)
		return;
	free(info->host);
	free(info->root);
	free(info->created);
	free(info->version);
	info->host = info->root = info->created = info->version = NULL;
}

const struct ks_fim_config *
ks_fim_db_config(const struct ks_fim_db *db)
{
	return &db->cfg;
}

size_t
ks_fim_db_paths(const struct ks_fim_db *db, const char *const **p)
{
	*p = db->paths;
	return db->npaths;
}

bool
ks_fim_db_cross_mounts(const struct ks_fim_db *db)
{
	return db->cross_mounts;
}

/* A column's blob copied into *dst (NUL-terminated); false: no memory. */
static bool
col_dup(sqlite3_stmt *st, int i, char **dst, size_t *n)
{
	size_t len = (size_t)sqlite3_column_bytes(st, i);
	const void *p = sqlite3_column_blob(st, i);

	*dst = NULL;
	*n = 0;
	if (p == NULL)
		return true;
	if ((*dst = malloc(len + 1)) == NULL)
		return false;
	memcpy(*dst, p, len);
	(*dst)[len] = '\0';
	*n = len;
	return true;
}

/* The record of the row st is on (columns in COLS order). */
static struct ks_fim_rec *
row_rec(sqlite3_stmt *st)
{
	struct ks_fim_rec *r;
	const void *p = sqlite3_column_blob(st, 1);
	size_t n = (size_t)sqlite3_column_bytes(st, 1);
	size_t nx = 0;
	char *x = NULL;

	if ((r = ks_fim_rec_new(p != NULL ? p : "", p != NULL ? n : 0)) == NULL)
		return NULL;
	r->id = sqlite3_column_int64(st, 0);
	r->attrs = (uint32_t)sqlite3_column_int64(st, 2);
	r->flags = (uint32_t)sqlite3_column_int64(st, 3);
	r->mode = (uint32_t)sqlite3_column_int64(st, 4);
	r->uid = (uint32_t)sqlite3_column_int64(st, 5);
	r->gid = (uint32_t)sqlite3_column_int64(st, 6);
	r->size = (uint64_t)sqlite3_column_int64(st, 7);
	r->mtime_ns = sqlite3_column_int64(st, 8);
	r->ctime_ns = sqlite3_column_int64(st, 9);
	r->dev = (uint64_t)sqlite3_column_int64(st, 10);
	r->ino = (uint64_t)sqlite3_column_int64(st, 11);
	r->nlink = (uint64_t)sqlite3_column_int64(st, 12);
	r->rdev = (uint64_t)sqlite3_column_int64(st, 13);
	if (!col_dup(st, 14, &r->target, &r->ntarget) ||
	    !col_dup(st, 15, &x, &nx)) {
		ks_fim_rec_free(r);
		return NULL;
	}
	r->x.blob = (unsigned char *)x;
	r->x.nblob = nx;
	if ((n = (size_t)sqlite3_column_bytes(st, 16)) <= KS_CAPS_MAX &&
	    n > 0) {
		memcpy(r->x.caps, sqlite3_column_blob(st, 16), n);
		r->x.ncaps = n;
	}
	if (sqlite3_column_bytes(st, 17) == 32) {
		memcpy(r->sha256, sqlite3_column_blob(st, 17), 32);
		r->has_sha = true;
	}
	return r;
}

int
ks_fim_db_lookup(struct ks_fim_db *db, const char *path, size_t n,
    struct ks_fim_rec **out, struct ks_err *err)
{
	sqlite3_stmt *st = db->lookup;
	int rc;

	*out = NULL;
	sqlite3_reset(st);
	if (sqlite3_bind_blob64(st, 1, path, n, SQLITE_STATIC) != SQLITE_OK)
		return sql_fail(db->db, "baseline", err);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sql_fail(db->db, "baseline", err);
	if ((*out = row_rec(st)) == NULL)
		return ks_err_set(err, "out of memory");
	return 1;
}

void
ks_fim_db_seen(struct ks_fim_db *db, int64_t id)
{
	if (id >= 0 && id <= db->maxid)
		db->seen[id / 8] |= (unsigned char)(1u << (id % 8));
}

int
ks_fim_db_unseen(struct ks_fim_db *db,
    int (*fn)(void *ctx, struct ks_fim_rec *rec, struct ks_err *err),
    void *ctx, struct ks_err *err)
{
	sqlite3_stmt *st = NULL;
	struct ks_fim_rec *r;
	int64_t id;
	int rc;

	if (sqlite3_prepare_v2(db->db, "SELECT " COLS " FROM files ORDER BY "
	    "path", -1, &st, NULL) != SQLITE_OK)
		return sql_fail(db->db, "baseline", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (id >= 0 && id <= db->maxid &&
		    (db->seen[id / 8] & (1u << (id % 8))))
			continue;
		if ((r = row_rec(st)) == NULL) {
			sqlite3_finalize(st);
			return ks_err_set(err, "out of memory");
		}
		if (fn(ctx, r, err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_fail(db->db, "baseline", err);
	return 0;
}
