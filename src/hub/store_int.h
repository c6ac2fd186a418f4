/*
 * store_int.h - what the two storage back ends implement: a table of
 * functions that store.c dispatches through.  Only store*.c include it.
 */
#ifndef KS_HUB_STORE_INT_H
#define KS_HUB_STORE_INT_H

#include "hub/store.h"

struct ks_store_ops {
	void (*close)(struct ks_store *s);
	int (*exec)(struct ks_store *s, const char *sql, struct ks_err *err);
	const char *begin_sql;
	int (*prepare)(struct ks_store *s, const char *sql,
	    struct ks_stmt **out, struct ks_err *err);
	void (*free)(struct ks_stmt *st);
	void (*bind_int)(struct ks_stmt *st, int i, int64_t v);
	void (*bind_text)(struct ks_stmt *st, int i, const char *p, size_t n);
	void (*bind_blob)(struct ks_stmt *st, int i, const void *p, size_t n);
	void (*bind_blob_ref)(struct ks_stmt *st, int i, const void *p,
	    size_t n);
	void (*bind_text_ref)(struct ks_stmt *st, int i, const char *p,
	    size_t n);
	void (*bind_null)(struct ks_stmt *st, int i);
	int (*step)(struct ks_stmt *st, struct ks_err *err);
	void (*reset)(struct ks_stmt *st);
	bool (*is_null)(struct ks_stmt *st, int col);
	int64_t (*col_int)(struct ks_stmt *st, int col);
	const char *(*col_text)(struct ks_stmt *st, int col);
	const void *(*col_blob)(struct ks_stmt *st, int col, size_t *n);
};

/* The head of every back end's store and statement. */
struct ks_store {
	const struct ks_store_ops *ops;
	enum ks_dialect dialect;
};

struct ks_stmt {
	struct ks_store *store;
};

int ks_store_sqlite_open(struct ks_store **out, const char *path,
    struct ks_err *err);
int ks_store_pg_open(struct ks_store **out, const char *url,
    struct ks_err *err);

#endif
