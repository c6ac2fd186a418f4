/*
 * test_hub_store.c - the SQLite store and the migrations: a new file is
 * created 0600 and brought to the latest schema, opening it again
 * migrates nothing, statements bind and return what was stored, and a
 * rolled-back transaction leaves nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "hub/store.h"

static int64_t
count_versions(struct ks_store *s)
{
	struct ks_stmt *st;
	struct ks_err err;
	int64_t n = -1;

	assert_int_equal(ks_store_prepare(s, "SELECT COUNT(*) FROM"
	    " schema_version", &st, &err), 0);
	if (ks_stmt_step(st, &err) > 0)
		n = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	return n;
}

static void
test_migrate(void **state)
{
	char dir[] = "/tmp/ks-store-XXXXXX", path[64];
	struct ks_hub_opts o = { 0 };
	struct ks_hub *h;
	struct ks_store *s;
	struct ks_err err;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hub.db", dir);
	o.db = path;
	assert_int_equal(ks_hub_open(&h, &o, &err), 0);
	assert_int_equal(ks_hub_schema_version(h), 2);
	ks_hub_close(h);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ks_hub_open(&h, &o, &err), 0);
	ks_hub_close(h);
	assert_int_equal(ks_store_open(&s, path, &err), 0);
	assert_int_equal(count_versions(s), 2);
	ks_store_close(s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hub.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hub.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

static void
test_statements(void **state)
{
	char path[] = "/tmp/ks-store-XXXXXX";
	struct ks_store *s;
	struct ks_stmt *st;
	struct ks_err err;
	const unsigned char blob[] = { 0, 1, 2, 255 };
	const void *p;
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ks_store_open(&s, path, &err), 0);
	assert_int_equal(ks_store_exec(s, "CREATE TABLE t(i BIGINT, s TEXT,"
	    " b BLOB)", &err), 0);
	assert_int_equal(ks_store_begin(s, &err), 0);
	assert_int_equal(ks_store_prepare(s, "INSERT INTO t VALUES (?, ?, ?)",
	    &st, &err), 0);
	ks_stmt_bind_int(st, 1, INT64_MAX);
	ks_stmt_bind_str(st, 2, "観察");
	ks_stmt_bind_blob(st, 3, blob, sizeof(blob));
	assert_int_equal(ks_stmt_run(st, &err), 0);
	ks_stmt_free(st);
	ks_store_rollback(s);
	assert_int_equal(ks_store_prepare(s, "SELECT COUNT(*) FROM t", &st,
	    &err), 0);
	assert_int_equal(ks_stmt_step(st, &err), 1);
	assert_int_equal(ks_stmt_int(st, 0), 0);
	ks_stmt_free(st);
	assert_int_equal(ks_store_prepare(s, "INSERT INTO t VALUES (?, ?, ?)"
	    " RETURNING i, s, b", &st, &err), 0);
	ks_stmt_bind_int(st, 1, -5);
	ks_stmt_bind_str(st, 2, NULL);
	ks_stmt_bind_blob(st, 3, blob, sizeof(blob));
	assert_int_equal(ks_stmt_step(st, &err), 1);
	assert_int_equal(ks_stmt_int(st, 0), -5);
	assert_true(ks_stmt_is_null(st, 1));
	assert_string_equal(ks_stmt_text(st, 1), "");
	p = ks_stmt_blob(st, 2, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(p, blob, 4);
	ks_stmt_free(st);
	assert_int_equal(ks_store_prepare(s, "SELECT nothing FROM nowhere", &st,
	    &err), -1);
	assert_non_null(strstr(err.msg, "sqlite: "));
	ks_store_close(s);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_statements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
