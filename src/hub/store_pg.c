/*
 * store_pg.c - the PostgreSQL back end of the hub's store (store.h),
 * through libpq: for a CSIRT that outgrows one file, or wants several
 * analysts on one database.
 *
 * Statements are prepared on the server under a generated name, with
 * the `?` placeholders the hub writes turned into $1, $2, ...  Values go
 * as text, blobs in binary; results come back as text, and bytea
 * columns are unescaped when read.  A statement's whole result is
 * fetched by its first step: the hub's queries are bounded (LIMIT), and
 * so is what one step can hold.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/store_int.h"

#define BYTEA_OID 17
/* the protocol counts parameters in 16 bits */
#define PG_MAX_PARAMS 65535

struct pg_store {
	struct ks_store base;
	PGconn *conn;
	unsigned next_name;
};

struct pg_stmt {
	struct ks_stmt base;
	char name[24];
	int nparams;
	/* each parameter's bytes in a buffer of its own, kept from one
	   binding to the next (a multi-row INSERT binds thousands a run);
	   val[i] points at buf[i], or is NULL for SQL NULL */
	char **buf;
	size_t *cap;
	const char **val;
	int *len;
	int *fmt;
	bool bind_failed;
	PGresult *res;
	int row;                /* the current row; -1 before the first */
	unsigned char *blob;    /* the last bytea unescaped */
};

static PGconn *
conn_of(struct ks_stmt *st)
{
	return ((struct pg_store *)st->store)->conn;
}

/* libpq's message without its trailing newline. */
static int
pg_err(struct ks_err *err, PGconn *conn)
{
	const char *m = PQerrorMessage(conn);
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	return ks_err_set(err, "postgresql: %.*s", (int)n, m);
}

static void
pg_close(struct ks_store *s)
{
	struct pg_store *ps = (struct pg_store *)s;

	PQfinish(ps->conn);
	free(ps);
}

static int
pg_exec(struct ks_store *s, const char *sql, struct ks_err *err)
{
	struct pg_store *ps = (struct pg_store *)s;
	PGresult *r = PQexec(ps->conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_err(err, ps->conn);
	PQclear(r);
	return rc;
}

/* The SQL with each ? outside quotes as $n; counts them in *n. */
static char *
number_params(const char *sql, int *n)
{
	struct ks_buf b;
	char quote = 0;

	*n = 0;
	ks_buf_init(&b);
	for (const char *p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			ks_buf_addf(&b, "$%d", ++*n);
			continue;
		}
		ks_buf_addc(&b, *p);
	}
	return ks_store_buf_take(&b);
}

/* The parameter arrays of a statement of n parameters; -1: no memory. */
static int
alloc_params(struct pg_stmt *st, int n)
{
	size_t k = n > 0 ? (size_t)n : 1;

	st->buf = calloc(k, sizeof(*st->buf));
	st->cap = calloc(k, sizeof(*st->cap));
	st->val = calloc(k, sizeof(*st->val));
	st->len = calloc(k, sizeof(*st->len));
	st->fmt = calloc(k, sizeof(*st->fmt));
	return st->buf && st->cap && st->val && st->len && st->fmt ? 0 : -1;
}

static void
free_stmt(struct pg_stmt *st)
{
	for (int i = 0; st->buf != NULL && i < st->nparams; i++)
		free(st->buf[i]);
	free(st->buf);
	free(st->cap);
	free(st->val);
	free(st->len);
	free(st->fmt);
	free(st);
}

static int
pg_prepare(struct ks_store *s, const char *sql, struct ks_stmt **out,
    struct ks_err *err)
{
	struct pg_store *ps = (struct pg_store *)s;
	struct pg_stmt *st;
	PGresult *r;
	char *text;
	int rc = 0;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (text = number_params(sql, &st->nparams)) == NULL) {
		free(st);
		return ks_err_set(err, "out of memory");
	}
	if (st->nparams > PG_MAX_PARAMS) {
		free(text);
		free(st);
		return ks_err_set(err, "postgresql: more than %d parameters",
		    PG_MAX_PARAMS);
	}
	if (alloc_params(st, st->nparams) < 0) {
		free(text);
		free_stmt(st);
		return ks_err_set(err, "out of memory");
	}
	snprintf(st->name, sizeof(st->name), "ks%u", ps->next_name++);
	r = PQprepare(ps->conn, st->name, text, st->nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_err(err, ps->conn);
	PQclear(r);
	free(text);
	if (rc < 0) {
		free_stmt(st);
		return -1;
	}
	st->base.store = s;
	st->row = -1;
	*out = &st->base;
	return 0;
}

static void
clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	PQfreemem(st->blob);
	st->blob = NULL;
}

static void
pg_free(struct ks_stmt *base)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	char sql[48];

	clear_result(st);
	snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
	PQclear(PQexec(conn_of(base), sql));
	free_stmt(st);
}

static void
set_param(struct ks_stmt *base, int i, const void *p, size_t n, int fmt)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	char *v;

	if (i < 1 || i > st->nparams || n > INT32_MAX) {
		st->bind_failed = true;
		return;
	}
	i--;
	st->val[i] = NULL;
	st->len[i] = (int)n;
	st->fmt[i] = fmt;
	if (p == NULL)
		return;
	if (st->cap[i] <= n) {
		if ((v = realloc(st->buf[i], n + 1)) == NULL) {
			st->bind_failed = true;
			return;
		}
		st->buf[i] = v;
		st->cap[i] = n + 1;
	}
	memcpy(st->buf[i], p, n);
	st->buf[i][n] = '\0';
	st->val[i] = st->buf[i];
}

static void
pg_bind_int(struct ks_stmt *st, int i, int64_t v)
{
	char s[24];
	int n = snprintf(s, sizeof(s), "%lld", (long long)v);

	set_param(st, i, s, (size_t)n, 0);
}

static void
pg_bind_text(struct ks_stmt *base, int i, const char *p, size_t n)
{
	/* text parameters end at a NUL: one inside would cut the value */
	if (memchr(p, '\0', n) != NULL) {
		((struct pg_stmt *)base)->bind_failed = true;
		return;
	}
	set_param(base, i, p, n, 0);
}

static void
pg_bind_blob(struct ks_stmt *st, int i, const void *p, size_t n)
{
	set_param(st, i, p, n, 1);
}

static void
pg_bind_null(struct ks_stmt *st, int i)
{
	set_param(st, i, NULL, 0, 0);
}

static int
pg_step(struct ks_stmt *base, struct ks_err *err)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	ExecStatusType s;

	if (st->bind_failed)
		return ks_err_set(err, "postgresql: binding a parameter failed");
	if (st->res == NULL) {
		st->res = PQexecPrepared(conn_of(base), st->name, st->nparams,
		    st->val, st->len, st->fmt, 0);
		s = PQresultStatus(st->res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			pg_err(err, conn_of(base));
			clear_result(st);
			return -1;
		}
	}
	PQfreemem(st->blob);
	st->blob = NULL;
	if (st->row + 1 >= PQntuples(st->res))
		return 0;
	st->row++;
	return 1;
}

static void
pg_reset(struct ks_stmt *base)
{
	clear_result((struct pg_stmt *)base);
}

static bool
pg_is_null(struct ks_stmt *base, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	return PQgetisnull(st->res, st->row, col);
}

static int64_t
pg_col_int(struct ks_stmt *base, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	return strtoll(PQgetvalue(st->res, st->row, col), NULL, 10);
}

static const char *
pg_col_text(struct ks_stmt *base, int col)
{
	struct pg_stmt *st = (struct pg_stmt *)base;

	return PQgetvalue(st->res, st->row, col);
}

static const void *
pg_col_blob(struct ks_stmt *base, int col, size_t *n)
{
	struct pg_stmt *st = (struct pg_stmt *)base;
	const char *v = PQgetvalue(st->res, st->row, col);

	if (PQftype(st->res, col) != BYTEA_OID) {
		*n = (size_t)PQgetlength(st->res, st->row, col);
		return v;
	}
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)v, n);
	if (st->blob == NULL) {
		*n = 0;
		return "";
	}
	return st->blob;
}

static const struct ks_store_ops pg_ops = {
	.close = pg_close,
	.exec = pg_exec,
	.begin_sql = "BEGIN",
	.prepare = pg_prepare,
	.free = pg_free,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_blob_ref = pg_bind_blob,
	.bind_text_ref = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.is_null = pg_is_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
};

int
ks_store_pg_open(struct ks_store **out, const char *url, struct ks_err *err)
{
	struct pg_store *ps;

	*out = NULL;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return ks_err_set(err, "out of memory");
	ps->base.ops = &pg_ops;
	ps->base.dialect = KS_DIALECT_PG;
	ps->conn = PQconnectdb(url);
	if (ps->conn == NULL) {
		free(ps);
		return ks_err_set(err, "out of memory");
	}
	if (PQstatus(ps->conn) != CONNECTION_OK) {
		pg_err(err, ps->conn);
		pg_close(&ps->base);
		return -1;
	}
	if (pg_exec(&ps->base, "SET client_min_messages = warning;"
	    "SET client_encoding = 'UTF8'", err) < 0) {
		pg_close(&ps->base);
		return -1;
	}
	*out = &ps->base;
	return 0;
}
