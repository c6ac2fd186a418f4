/*
 * test_hub_store.c - the SQLite store and the migrations: a new file is
 * created 0600 and brought to the latest schema, opening it again
 * migrates nothing, statements bind and return what was stored, and a
 * rolled-back transaction leaves nothing behind; a database of schema 2
 * is migrated with its reports' originals intact, and an original
 * stored now (compressed) reads back as it was.
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

#include "hub/hub_int.h"
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

/* Removes an SQLite file and its -wal and -shm files. */
static void
remove_db(const char *path)
{
	char side[512];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
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
	assert_int_equal(ks_hub_schema_version(h), 3);
	ks_hub_close(h);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ks_hub_open(&h, &o, &err), 0);
	ks_hub_close(h);
	assert_int_equal(ks_store_open(&s, path, &err), 0);
	assert_int_equal(count_versions(s), 3);
	ks_store_close(s);
	remove_db(path);
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

/* The whole of a file of tests/data; the caller frees it. */
static char *
testdata(const char *name, size_t *n)
{
	const char *dir = getenv("KS_TESTDATA");
	char path[512];
	FILE *f;
	char *p;
	long len;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((len = ftell(f)) >= 0);
	rewind(f);
	assert_non_null(p = malloc((size_t)len + 1));
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return p;
}

/* The original of report id is the file name of tests/data. */
static void
original_is(struct ks_hub *h, int64_t id, const char *name)
{
	struct ks_buf b;
	struct ks_err err;
	size_t n;
	char *want = testdata(name, &n);

	ks_buf_init(&b);
	assert_int_equal(ks_hub_report_raw(h, id, &b, &err), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.p, want, n);
	ks_buf_free(&b);
	free(want);
}

static void
test_migrate_originals(void **state)
{
	char path[] = "/tmp/ks-store-XXXXXX";
	struct ks_hub_opts o = { 0 };
	struct ks_hub_parsed p;
	struct ks_hub_ingested res;
	struct ks_hub *h;
	struct ks_store *s;
	struct ks_buf b;
	struct ks_err err;
	size_t n;
	char *dump = testdata("hub/schema-v2.sql", &n), *data;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ks_store_open(&s, path, &err), 0);
	assert_int_equal(ks_store_exec(s, dump, &err), 0);
	ks_store_close(s);
	free(dump);
	o.db = path;
	assert_int_equal(ks_hub_open(&h, &o, &err), 0);
	assert_int_equal(ks_hub_schema_version(h), 3);
	original_is(h, 1, "hub/seed004/asite.json");
	original_is(h, 2, "hub/seed004/bsite.iodef.xml");
	original_is(h, 3, "hub/seed004/bsite.findings.jsonl");
	ks_buf_init(&b);
	assert_int_equal(ks_hub_report_raw(h, 4, &b, &err), -1);
	assert_int_equal(b.len, 0);
	/* one stored now, compressed */
	data = testdata("hub/seed001/04-scan-monthly.findings.jsonl", &n);
	assert_int_equal(ks_hub_prepare(&p, data, n, NULL, NULL, 0, &err), -1);
	ks_hub_parsed_free(&p);
	free(data);
	data = testdata("hub/seed001/01-scan-pop-telnet.json", &n);
	assert_int_equal(ks_hub_prepare(&p, data, n, NULL, NULL, 0, &err), 0);
	assert_true(p.npacked > 0 && p.npacked < n);
	assert_int_equal(ks_hub_store(h, "01", &p, &res, &err), 0);
	assert_int_equal(res.report_id, 4);
	ks_hub_parsed_free(&p);
	free(data);
	original_is(h, 4, "hub/seed001/01-scan-pop-telnet.json");
	ks_hub_close(h);
	remove_db(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_migrate_originals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
