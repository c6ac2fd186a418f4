/*
 * store_sqlite.c - the SQLite back end of the hub's store (store.h).
 *
 * The default: one file, no server.  The file is created 0600 before
 * SQLite opens it (reports hold other sites' logs and contacts), and
 * SQLite gives its -wal and -shm files the same mode.  WAL with
 * synchronous=FULL makes a committed ingest survive a crash of the
 * process or the machine; write transactions start IMMEDIATE so that
 * two hubs on one file wait for each other instead of failing midway.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/store_int.h"

struct sqlite_store {
	struct ks_store base;
	sqlite3 *db;
};

struct sqlite_stmt {
	struct ks_stmt base;
	sqlite3_stmt *st;
	bool bind_failed;
};

static sqlite3 *
db_of(struct ks_stmt *st)
{
	return ((struct sqlite_store *)st->store)->db;
}

static sqlite3_stmt *
raw(struct ks_stmt *st)
{
	return ((struct sqlite_stmt *)st)->st;
}

static void
sq_close(struct ks_store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;

	sqlite3_close(ss->db);
	free(ss);
}

static int
sq_exec(struct ks_store *s, const char *sql, struct ks_err *err)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	char *msg = NULL;

	if (sqlite3_exec(ss->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ks_err_set(err, "sqlite: %s", msg ? msg : sqlite3_errmsg(ss->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
sq_prepare(struct ks_store *s, const char *sql, struct ks_stmt **out,
    struct ks_err *err)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	struct sqlite_stmt *st;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return ks_err_set(err, "out of memory");
	if (sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->st, NULL) != SQLITE_OK) {
		ks_err_set(err, "sqlite: %s", sqlite3_errmsg(ss->db));
		free(st);
		return -1;
	}
	st->base.store = s;
	*out = &st->base;
	return 0;
}

static void
sq_free(struct ks_stmt *st)
{
	sqlite3_finalize(raw(st));
	free(st);
}

static void
check_bind(struct ks_stmt *st, int rc)
{
	if (rc != SQLITE_OK)
		((struct sqlite_stmt *)st)->bind_failed = true;
}

static void
sq_bind_int(struct ks_stmt *st, int i, int64_t v)
{
	check_bind(st, sqlite3_bind_int64(raw(st), i, v));
}

static void
sq_bind_text(struct ks_stmt *st, int i, const char *p, size_t n)
{
	check_bind(st, sqlite3_bind_text64(raw(st), i, p, n, SQLITE_TRANSIENT,
	    SQLITE_UTF8));
}

static void
sq_bind_blob(struct ks_stmt *st, int i, const void *p, size_t n)
{
	check_bind(st, sqlite3_bind_blob64(raw(st), i, p, n, SQLITE_TRANSIENT));
}

static void
sq_bind_blob_ref(struct ks_stmt *st, int i, const void *p, size_t n)
{
	check_bind(st, sqlite3_bind_blob64(raw(st), i, p, n, SQLITE_STATIC));
}

static void
sq_bind_text_ref(struct ks_stmt *st, int i, const char *p, size_t n)
{
	check_bind(st, sqlite3_bind_text64(raw(st), i, p, n, SQLITE_STATIC,
	    SQLITE_UTF8));
}

static void
sq_bind_null(struct ks_stmt *st, int i)
{
	check_bind(st, sqlite3_bind_null(raw(st), i));
}

static int
sq_step(struct ks_stmt *st, struct ks_err *err)
{
	int rc;

	if (((struct sqlite_stmt *)st)->bind_failed)
		return ks_err_set(err, "sqlite: binding a parameter failed");
	rc = sqlite3_step(raw(st));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	ks_err_set(err, "sqlite: %s", sqlite3_errmsg(db_of(st)));
	sqlite3_reset(raw(st));
	return -1;
}

static void
sq_reset(struct ks_stmt *st)
{
	sqlite3_reset(raw(st));
}

static bool
sq_is_null(struct ks_stmt *st, int col)
{
	return sqlite3_column_type(raw(st), col) == SQLITE_NULL;
}

static int64_t
sq_col_int(struct ks_stmt *st, int col)
{
	return sqlite3_column_int64(raw(st), col);
}

static const char *
sq_col_text(struct ks_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(raw(st), col);

	return t != NULL ? (const char *)t : "";
}

static const void *
sq_col_blob(struct ks_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(raw(st), col);

	*n = (size_t)sqlite3_column_bytes(raw(st), col);
	return p != NULL ? p : "";
}

static const struct ks_store_ops sqlite_ops = {
	.close = sq_close,
	.exec = sq_exec,
	.begin_sql = "BEGIN IMMEDIATE",
	.prepare = sq_prepare,
	.free = sq_free,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_blob_ref = sq_bind_blob_ref,
	.bind_text_ref = sq_bind_text_ref,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.is_null = sq_is_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
};

/* Creates the file 0600 unless it exists; never follows a symlink. */
static int
create_private(const char *path, struct ks_err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

int
ks_store_sqlite_open(struct ks_store **out, const char *path,
    struct ks_err *err)
{
	struct sqlite_store *ss;

	*out = NULL;
	if (create_private(path, err) < 0)
		return -1;
	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		return ks_err_set(err, "out of memory");
	ss->base.ops = &sqlite_ops;
	ss->base.dialect = KS_DIALECT_SQLITE;
	if (sqlite3_open_v2(path, &ss->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		ks_err_set(err, "%s: %s", path, ss->db ? sqlite3_errmsg(ss->db) :
		    "out of memory");
		sq_close(&ss->base);
		return -1;
	}
	sqlite3_busy_timeout(ss->db, 10000);
	/* 16 KiB pages: a quarter of the writes of the default (a new file
	   only: the size of an existing one stays) */
	if (sq_exec(&ss->base, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	    "PRAGMA cache_size=-262144", err) < 0) {
		sq_close(&ss->base);
		return -1;
	}
	*out = &ss->base;
	return 0;
}
