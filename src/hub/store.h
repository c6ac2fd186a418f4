/*
 * store.h - the hub's storage: one small interface, two back ends.
 *
 * The hub speaks SQL through this interface only: open a store by a
 * path (SQLite) or a postgresql:// URL (libpq), prepare statements with
 * `?` placeholders, bind, step through rows, read columns, and run
 * transactions.  The SQL the hub writes is the common subset of SQLite
 * and PostgreSQL (ON CONFLICT DO NOTHING, RETURNING, BIGINT); the few
 * differences of the schema itself are substituted in one place,
 * migrate.c.  So everything above this header is back-end-agnostic.
 */
#ifndef KS_HUB_STORE_H
#define KS_HUB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

enum ks_dialect {
	KS_DIALECT_SQLITE,
	KS_DIALECT_PG,
};

struct ks_store;
struct ks_stmt;

/*
 * Opens the store named by url: "postgresql://..." or "postgres://..."
 * through libpq, anything else as the path of an SQLite file (created
 * 0600 when missing, journal in WAL mode).
 */
int ks_store_open(struct ks_store **out, const char *url,
    struct ks_err *err);
void ks_store_close(struct ks_store *s);
enum ks_dialect ks_store_dialect(const struct ks_store *s);

/* Runs SQL without parameters (may hold several statements). */
int ks_store_exec(struct ks_store *s, const char *sql, struct ks_err *err);
/* A write transaction (SQLite: BEGIN IMMEDIATE). */
int ks_store_begin(struct ks_store *s, struct ks_err *err);
int ks_store_commit(struct ks_store *s, struct ks_err *err);
/* Ends a failed transaction; errors are dropped (the first one counts). */
void ks_store_rollback(struct ks_store *s);

int ks_store_prepare(struct ks_store *s, const char *sql,
    struct ks_stmt **out, struct ks_err *err);
void ks_stmt_free(struct ks_stmt *st);

/* Parameters are numbered from 1; a NULL text or blob binds SQL NULL. */
void ks_stmt_bind_int(struct ks_stmt *st, int i, int64_t v);
void ks_stmt_bind_text(struct ks_stmt *st, int i, const char *p, size_t n);
void ks_stmt_bind_str(struct ks_stmt *st, int i, const char *s);
void ks_stmt_bind_blob(struct ks_stmt *st, int i, const void *p, size_t n);
void ks_stmt_bind_null(struct ks_stmt *st, int i);
/*
 * A blob or text the store may read in place: p must stay valid and
 * unchanged until the statement is reset or freed (no copy of a large
 * one, nor of each of a million small ones).
 */
void ks_stmt_bind_blob_ref(struct ks_stmt *st, int i, const void *p,
    size_t n);
void ks_stmt_bind_text_ref(struct ks_stmt *st, int i, const char *p,
    size_t n);

/* 1: a row is there to read; 0: done; -1: error (err filled in). */
int ks_stmt_step(struct ks_stmt *st, struct ks_err *err);
/* Makes the statement ready to run again; bindings are kept. */
void ks_stmt_reset(struct ks_stmt *st);

/* Columns of the current row, numbered from 0. */
bool ks_stmt_is_null(struct ks_stmt *st, int col);
int64_t ks_stmt_int(struct ks_stmt *st, int col);
/* NUL-terminated; "" for NULL; valid until the next step or reset. */
const char *ks_stmt_text(struct ks_stmt *st, int col);
/* Bytes of a blob column and their count; valid as ks_stmt_text. */
const void *ks_stmt_blob(struct ks_stmt *st, int col, size_t *n);

/*
 * The buffer's bytes as a NUL-terminated string the caller frees, or
 * NULL (the buffer freed) when it failed: for building SQL.
 */
char *ks_store_buf_take(struct ks_buf *b);

/* Runs a statement to its end, for statements that return no rows. */
int ks_stmt_run(struct ks_stmt *st, struct ks_err *err);

#endif
