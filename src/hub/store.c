/*
 * store.c - the storage interface (store.h) over its two back ends:
 * choosing one by the name given, and dispatching every call through
 * the back end's table of functions, so that callers never know which
 * database they talk to.
 */
#include <string.h>

#include "hub/store_int.h"

static bool
is_pg_url(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0;
}

int
ks_store_open(struct ks_store **out, const char *url, struct ks_err *err)
{
	*out = NULL;
	if (url == NULL || url[0] == '\0')
		return ks_err_set(err, "no database given");
	if (is_pg_url(url))
		return ks_store_pg_open(out, url, err);
	return ks_store_sqlite_open(out, url, err);
}

void
ks_store_close(struct ks_store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

enum ks_dialect
ks_store_dialect(const struct ks_store *s)
{
	return s->dialect;
}

int
ks_store_exec(struct ks_store *s, const char *sql, struct ks_err *err)
{
	return s->ops->exec(s, sql, err);
}

int
ks_store_begin(struct ks_store *s, struct ks_err *err)
{
	return s->ops->exec(s, s->ops->begin_sql, err);
}

int
ks_store_commit(struct ks_store *s, struct ks_err *err)
{
	return s->ops->exec(s, "COMMIT", err);
}

void
ks_store_rollback(struct ks_store *s)
{
	struct ks_err ignored;

	s->ops->exec(s, "ROLLBACK", &ignored);
}

int
ks_store_prepare(struct ks_store *s, const char *sql, struct ks_stmt **out,
    struct ks_err *err)
{
	return s->ops->prepare(s, sql, out, err);
}

void
ks_stmt_free(struct ks_stmt *st)
{
	if (st != NULL)
		st->store->ops->free(st);
}

void
ks_stmt_bind_int(struct ks_stmt *st, int i, int64_t v)
{
	st->store->ops->bind_int(st, i, v);
}

void
ks_stmt_bind_text(struct ks_stmt *st, int i, const char *p, size_t n)
{
	if (p == NULL)
		st->store->ops->bind_null(st, i);
	else
		st->store->ops->bind_text(st, i, p, n);
}

void
ks_stmt_bind_str(struct ks_stmt *st, int i, const char *s)
{
	ks_stmt_bind_text(st, i, s, s != NULL ? strlen(s) : 0);
}

void
ks_stmt_bind_blob(struct ks_stmt *st, int i, const void *p, size_t n)
{
	if (p == NULL)
		st->store->ops->bind_null(st, i);
	else
		st->store->ops->bind_blob(st, i, p, n);
}

void
ks_stmt_bind_blob_ref(struct ks_stmt *st, int i, const void *p, size_t n)
{
	if (p == NULL)
		st->store->ops->bind_null(st, i);
	else
		st->store->ops->bind_blob_ref(st, i, p, n);
}

void
ks_stmt_bind_text_ref(struct ks_stmt *st, int i, const char *p, size_t n)
{
	if (p == NULL)
		st->store->ops->bind_null(st, i);
	else
		st->store->ops->bind_text_ref(st, i, p, n);
}

void
ks_stmt_bind_null(struct ks_stmt *st, int i)
{
	st->store->ops->bind_null(st, i);
}

int
ks_stmt_step(struct ks_stmt *st, struct ks_err *err)
{
	return st->store->ops->step(st, err);
}

void
ks_stmt_reset(struct ks_stmt *st)
{
	st->store->ops->reset(st);
}

bool
ks_stmt_is_null(struct ks_stmt *st, int col)
{
	return st->store->ops->is_null(st, col);
}

int64_t
ks_stmt_int(struct ks_stmt *st, int col)
{
	return st->store->ops->col_int(st, col);
}

const char *
ks_stmt_text(struct ks_stmt *st, int col)
{
	return st->store->ops->col_text(st, col);
}

const void *
ks_stmt_blob(struct ks_stmt *st, int col, size_t *n)
{
	return st->store->ops->col_blob(st, col, n);
}

int
ks_stmt_run(struct ks_stmt *st, struct ks_err *err)
{
	int rc;

	while ((rc = ks_stmt_step(st, err)) > 0)
		;
	ks_stmt_reset(st);
	return rc;
}

char *
ks_store_buf_take(struct ks_buf *b)
{
	ks_buf_addc(b, '\0');
	if (ks_buf_failed(b)) {
		ks_buf_free(b);
		return NULL;
	}
	return b->p;
}
