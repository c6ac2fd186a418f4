/*
 * test_source.c - unit tests of source collection (src/input/source.c).
 *
 * Rotation keys and ordering are pure functions of names and are tested
 * with tables.  Directory search is tested on a real tree made under
 * mkdtemp: logs found by name and by content, binary records, symlinks
 * (never followed), a FIFO, a too-deep directory, unreadable entries and
 * hostile file names.  The tests usually run as root, where mode 000 does
 * not stop reading; the expected results depend on geteuid() rather than
 * the test being skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#include <zlib.h>

#include "input/input.h"

#define DATE_AGE(d) (INT64_C(1000000000000) - (int64_t)(d))

/* ---- ks_rotation_key ------------------------------------------------------ */

struct key_case {
	const char *name;
	size_t base_len;
	int64_t age;
};

static void
check_keys(const struct key_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t base_len = 12345;
		int64_t age = -7;

		ks_rotation_key(c[i].name, &base_len, &age);
		if (base_len != c[i].base_len || age != c[i].age)
			fail_msg("%s: base_len %zu age %lld, want %zu %lld",
			    c[i].name, base_len, (long long)age,
			    c[i].base_len, (long long)c[i].age);
	}
}

static void
test_key_live(void **state)
{
	static const struct key_case c[] = {
		{ "messages", 8, 0 },
		{ "auth.log", 8, 0 },
		{ "access.log", 10, 0 },
		{ "access_log", 10, 0 },
		{ "syslog.bin", 10, 0 },
		{ "messages.old", 12, 0 },
		{ "x", 1, 0 },
		{ "", 0, 0 },
	};

	(void)state;
	check_keys(c, sizeof(c) / sizeof(c[0]));
}

static void
test_key_numbered(void **state)
{
	static const struct key_case c[] = {
		{ "messages.1", 8, 1 },
		{ "messages.2.gz", 8, 2 },
		{ "messages.3.xz", 8, 3 },
		{ "messages.4.zst", 8, 4 },
		{ "messages.5.bz2", 8, 5 },
		{ "messages.6.Z", 8, 6 },
		{ "access.log.1", 10, 1 },
		{ "error.log.9", 9, 9 },
		{ "error.log.10.gz", 9, 10 },
		{ "auth.log.1", 8, 1 },
		{ "messages.007", 8, 7 },
		{ "messages.999999999", 8, 999999999 },
		{ "messages.0", 8, 0 },
		{ "messages.0.bz2", 8, 0 },
	};

	(void)state;
	check_keys(c, sizeof(c) / sizeof(c[0]));
}

static void
test_key_dateext(void **state)
{
	static const struct key_case c[] = {
		{ "messages-20261115", 8, DATE_AGE(2026111500) },
		{ "messages-20261115.gz", 8, DATE_AGE(2026111500) },
		{ "messages-20261115.xz", 8, DATE_AGE(2026111500) },
		{ "messages-2026111512", 8, DATE_AGE(2026111512) },
		{ "messages-2026111512.zst", 8, DATE_AGE(2026111512) },
		{ "example.com-access.log-20261231", 22,
		  DATE_AGE(2026123100) },
		{ "secure-20270101", 6, DATE_AGE(2027010100) },
	};

	(void)state;
	check_keys(c, sizeof(c) / sizeof(c[0]));
}

static void
test_key_not_rotation(void **state)
{
	static const struct key_case c[] = {
		/* a bare compression suffix: rotated, age 0 */
		{ "messages.gz", 8, 0 },
		{ "auth.log.gz", 8, 0 },
		/* numbers of 10 digits and more are not rotation numbers */
		{ "messages.1234567890", 19, 0 },
		/* invalid dates, wrong lengths */
		{ "messages-20261315", 17, 0 },
		{ "messages-20261100", 17, 0 },
		{ "messages-2026111524", 19, 0 },
		{ "messages-2026111", 16, 0 },
		{ "messages-202611151", 18, 0 },
		/* nothing left for a base */
		{ ".1", 2, 0 },
		{ "-20261115", 9, 0 },
		{ ".gz", 3, 0 },
		{ "1", 1, 0 },
		/* a number not after a dot */
		{ "messages1", 9, 0 },
		{ "auth.log.swp", 12, 0 },
	};

	(void)state;
	check_keys(c, sizeof(c) / sizeof(c[0]));
}

static void
test_key_monotone(void **state)
{
	static const char *const oldest_first[] = {
		"m-20250101", "m-20261114", "m-2026111500", "m-20261115",
		"m-2026111523", "m-20261116.gz", "m.999999999", "m.10.gz",
		"m.9", "m.2.xz", "m.1",
	};
	int64_t prev = INT64_MAX;

	(void)state;
	/* m-20261115 and m-2026111500 are the same hour: equal ages */
	for (size_t i = 0; i < sizeof(oldest_first) / sizeof(oldest_first[0]);
	    i++) {
		size_t base_len;
		int64_t age;

		ks_rotation_key(oldest_first[i], &base_len, &age);
		assert_int_equal(base_len, 1);
		assert_true(age > 0);
		assert_true(age <= prev);
		if (i != 3)
			assert_true(age < prev);
		prev = age;
	}
}

/* ---- ks_srclist_order_rotations ------------------------------------------- */

static void
add_all(struct ks_srclist *l, const char *const *paths, size_t n)
{
	struct ks_err err;

	for (size_t i = 0; i < n; i++) {
		enum ks_src_kind kind = strcmp(paths[i], "-") == 0 ?
		    KS_SRC_STDIN : KS_SRC_FILE;

		assert_int_equal(ks_srclist_add(l, kind, paths[i], &err), 0);
	}
}

static void
assert_paths(const struct ks_srclist *l, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n && i < l->n; i++)
		if (strcmp(l->v[i].path, want[i]) != 0)
			fail_msg("entry %zu: \"%s\", want \"%s\"", i,
			    l->v[i].path, want[i]);
	assert_int_equal(l->n, n);
}

static void
check_order(const char *const *in, const char *const *want, size_t n)
{
	struct ks_srclist l;

	ks_srclist_init(&l);
	add_all(&l, in, n);
	ks_srclist_order_rotations(&l);
	assert_paths(&l, want, n);
	/* ordering is idempotent */
	ks_srclist_order_rotations(&l);
	assert_paths(&l, want, n);
	ks_srclist_free(&l);
}

#define CHECK_ORDER(in, want) do {                                     \
	assert_int_equal(sizeof(in), sizeof(want));                    \
	check_order(in, want, sizeof(in) / sizeof(in[0]));             \
} while (0)

static void
test_order_example(void **state)
{
	static const char *const in[] = {
		"messages", "secure.1", "messages.2.gz", "messages.1", "secure",
	};
	static const char *const want[] = {
		"messages.2.gz", "messages.1", "messages", "secure.1", "secure",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_numeric(void **state)
{
	static const char *const in[] = {
		"/var/log/httpd/error.log", "/var/log/httpd/error.log.9",
		"/var/log/httpd/error.log.10.gz", "/var/log/httpd/error.log.1",
		"/var/log/httpd/error.log.2.gz",
	};
	static const char *const want[] = {
		"/var/log/httpd/error.log.10.gz", "/var/log/httpd/error.log.9",
		"/var/log/httpd/error.log.2.gz", "/var/log/httpd/error.log.1",
		"/var/log/httpd/error.log",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_dateext_mixed(void **state)
{
	static const char *const in[] = {
		"messages", "messages-20261108", "messages.1",
		"messages-20261101.gz", "messages-2026110812", "messages.0",
	};
	static const char *const want[] = {
		"messages-20261101.gz", "messages-20261108",
		"messages-2026110812", "messages.1", "messages.0", "messages",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_interleaved(void **state)
{
	static const char *const in[] = {
		"/l/secure", "/l/notes", "/l/messages.1", "-",
		"/l/secure-20261101", "/l/messages", "/l/README",
		"/l/messages.2", "/l/secure-20261025.gz",
	};
	static const char *const want[] = {
		"/l/secure-20261025.gz", "/l/secure-20261101", "/l/secure",
		"/l/notes",
		"/l/messages.2", "/l/messages.1", "/l/messages",
		"-", "/l/README",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_by_directory(void **state)
{
	static const char *const in[] = {
		"a/messages", "b/messages.1", "a/messages.1", "b/messages",
		"messages.1", "a/b/messages.2", "messages",
	};
	static const char *const want[] = {
		"a/messages.1", "a/messages", "b/messages.1", "b/messages",
		"messages.1", "messages", "a/b/messages.2",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_stable(void **state)
{
	/* same age: list order kept; a bare .gz before the live file */
	static const char *const in[] = {
		"x/auth.log", "x/auth.log.1", "x/auth.log.gz", "x/auth.log.01",
	};
	static const char *const want[] = {
		"x/auth.log.1", "x/auth.log.01", "x/auth.log.gz", "x/auth.log",
	};

	(void)state;
	CHECK_ORDER(in, want);
}

static void
test_order_kinds(void **state)
{
	struct ks_srclist l;
	struct ks_err err;

	(void)state;
	ks_srclist_init(&l);
	ks_srclist_order_rotations(&l);
	assert_int_equal(l.n, 0);
	/* only files form sets: a journal directory stays where it is */
	assert_int_equal(ks_srclist_add(&l, KS_SRC_FILE, "j/messages", &err),
	    0);
	assert_int_equal(ks_srclist_add(&l, KS_SRC_JOURNAL_DIR, "j/messages.1",
	    &err), 0);
	assert_int_equal(ks_srclist_add(&l, KS_SRC_FILE, "j/messages.2", &err),
	    0);
	assert_int_equal(ks_srclist_add(&l, KS_SRC_JOURNAL_LOCAL, "", &err),
	    0);
	ks_srclist_order_rotations(&l);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].path, "j/messages.2");
	assert_int_equal(l.v[0].kind, KS_SRC_FILE);
	assert_string_equal(l.v[1].path, "j/messages");
	assert_int_equal(l.v[1].kind, KS_SRC_FILE);
	assert_string_equal(l.v[2].path, "j/messages.1");
	assert_int_equal(l.v[2].kind, KS_SRC_JOURNAL_DIR);
	assert_string_equal(l.v[3].path, "");
	assert_int_equal(l.v[3].kind, KS_SRC_JOURNAL_LOCAL);
	ks_srclist_free(&l);
}

/* ---- ks_logname_wanted ------------------------------------------------------ */

static void
test_logname_wanted(void **state)
{
	static const char *const yes[] = {
		"messages", "messages.1", "messages.2.gz", "messages-20261115",
		"messages-20261115.xz", "syslog", "syslog.7.gz", "auth.log",
		"auth.log.1", "secure", "secure-20261115", "maillog",
		"mail.log", "mail.err", "mail.warn", "mail.info",
		"daemon.log", "kern.log", "user.log", "xferlog", "vsftpd.log",
		"access.log", "error.log", "access_log", "error_log",
		"ssl_access_log", "ssl_error_log", "other_vhosts_access.log",
		"example.com-access.log", "example.com-error_log.3.gz",
		"access.log.10.gz", "error.log-20261115.zst",
	};
	static const char *const no[] = {
		"wtmp", "btmp", "utmp", "lastlog", "faillog", "README",
		"random.txt", "auth.log.swp", "messages~", "syslog.bin",
		"system.journal", "dpkg.log", "", "access.log.bak",
		"access.logs", "kern.log.old", "Messages", "mymessages",
		"messages.txt", "access.log.1234567890", ".swp",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!ks_logname_wanted(yes[i]))
			fail_msg("\"%s\" not wanted", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (ks_logname_wanted(no[i]))
			fail_msg("\"%s\" wanted", no[i]);
}

/* ---- the list ------------------------------------------------------------- */

static void
test_list_grows(void **state)
{
	struct ks_srclist l;
	struct ks_err err;
	char name[32];

	(void)state;
	ks_srclist_init(&l);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(ks_srclist_add(&l, KS_SRC_FILE, name, &err), 0);
	}
	/* paths are copies owned by the list */
	name[0] = 'X';
	assert_int_equal(l.n, 100);
	assert_true(l.cap >= 100);
	assert_string_equal(l.v[0].path, "f0");
	assert_string_equal(l.v[99].path, "f99");
	assert_int_equal(l.notices.len, 0);
	ks_srclist_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	/* free is safe twice and after init */
	ks_srclist_free(&l);
}

/* ---- a directory tree ------------------------------------------------------ */

#define SYSLOG_LINES \
	"Jan 17 10:00:00 h sshd[1]: Accepted password for root from " \
	"192.0.2.1 port 22 ssh2\n" \
	"Jan 17 10:00:01 h sshd[1]: pam_unix(sshd:session): session " \
	"opened for user root\n" \
	"Jan 17 10:00:02 h CRON[2]: (root) CMD (run-parts /etc/cron.hourly)\n"

#define PROSE \
	"These are notes about the incident.\n" \
	"Nothing in this file is a log line.\n" \
	"Just prose, written by a person.\n"

/* The name of a file with a newline and an ESC: taken by content. */
#define BAD_NAME "bad\nname\x1b[0m"
/* A symlink whose name would drive a terminal: noted, escaped. */
#define EVIL_NAME "evil\x1b]0;x\a\xff"
#define EVIL_ESCAPED "evil\\e]0;x\\x07\\xff"

struct tree {
	char dir[64];
};

static void
put(const char *dir, const char *rel, const void *data, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
put_str(const char *dir, const char *rel, const char *s)
{
	put(dir, rel, s, strlen(s));
}

static void
put_gzip(const char *dir, const char *rel, const char *s)
{
	char path[512];
	gzFile g;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	g = gzopen(path, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, s, (unsigned)strlen(s)), (int)strlen(s));
	assert_int_equal(gzclose(g), Z_OK);
}

static void
mk(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
ln(const char *target, const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void
chmod_rel(const char *dir, const char *rel, mode_t mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(chmod(path, mode), 0);
}

static int
tree_setup(void **state)
{
	static const unsigned char binary[] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, '\n', 0xff, 0xfe,
		'\n', 0, 1, 2, 3,
	};
	static const unsigned char bzip2[] = {
		'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59,
	};
	struct tree *t = malloc(sizeof(*t));
	const char *d;
	char fifo[512];

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/ks-test-source-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	d = t->dir;
	/* taken by name */
	put_str(d, "messages", SYSLOG_LINES);
	put_str(d, "messages.1", SYSLOG_LINES);
	put_gzip(d, "messages.2.gz", SYSLOG_LINES);
	put_str(d, "auth.log", SYSLOG_LINES);
	put_str(d, "secure", SYSLOG_LINES);
	mk(d, "apache2");
	put_str(d, "apache2/access.log",
	    "192.0.2.1 - - [17/Jan/2003:10:00:00 +0000] \"GET / HTTP/1.1\" "
	    "200 12\n");
	mk(d, "a");
	mk(d, "a/b");
	mk(d, "a/b/c");
	put_str(d, "a/b/c/messages", SYSLOG_LINES);
	mk(d, "a/b/c/d");
	put_str(d, "a/b/c/d/messages", SYSLOG_LINES);
	mk(d, "private");
	put_str(d, "private/messages", SYSLOG_LINES);
	/* named like a log, but compressed with what we cannot read */
	put(d, "messages.3.bz2", bzip2, sizeof(bzip2));
	/* taken by content */
	put_str(d, "notalog", SYSLOG_LINES);
	put_gzip(d, "extra.gz", SYSLOG_LINES);
	put_str(d, BAD_NAME, SYSLOG_LINES);
	/* 4 of 5 lines frame: 80% is enough */
	put_str(d, "mostly.txt", SYSLOG_LINES
	    "Jan 17 10:00:03 h kernel: eth0 up\n"
	    "and one line of prose\n");
	/* 3 of 4 lines frame: 75% is not */
	put_str(d, "half.txt", SYSLOG_LINES "and one line of prose\n");
	/* not taken */
	put_str(d, "notes.txt", PROSE);
	put(d, "syslog.bin", binary, sizeof(binary));
	put(d, "wtmp", binary, sizeof(binary));
	put_str(d, "lastlog", SYSLOG_LINES);   /* by name, despite content */
	put_str(d, "empty", "");
	mk(d, "journal");
	put_str(d, "journal/messages", SYSLOG_LINES);
	/* links are never followed; FIFOs never opened */
	ln("/etc", d, "etc");
	ln("messages", d, "kern.log");
	ln("/nonexistent/ks-test-target", d, EVIL_NAME);
	snprintf(fifo, sizeof(fifo), "%s/daemon.log", d);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	/* unreadable, except to root */
	chmod_rel(d, "secure", 0);
	chmod_rel(d, "private", 0);
	*state = t;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int
tree_teardown(void **state)
{
	struct tree *t = *state;

	chmod_rel(t->dir, "private", 0755);
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* dir + "/" + each name, into a NULL-free array of n strings. */
static char **
prefixed(const char *dir, const char *const *names, size_t n)
{
	char **v = calloc(n, sizeof(*v));

	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		assert_true(asprintf(&v[i], "%s/%s", dir, names[i]) > 0);
	return v;
}

static void
free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
assert_dir_paths(const struct ks_srclist *l, const char *dir,
    const char *const *names, size_t n)
{
	char **want = prefixed(dir, names, n);

	for (size_t i = 0; i < l->n; i++)
		assert_int_equal(l->v[i].kind, KS_SRC_FILE);
	assert_paths(l, (const char *const *)want, n);
	free_strs(want, n);
}

/* The notices, as one string: "skipped DIR/name: reason\n" each. */
static char *
want_notices(const char *dir, const char *const *lines, size_t n)
{
	char *s = strdup("");

	for (size_t i = 0; i < n; i++) {
		char *t;

		if (lines[i] == NULL)
			continue;
		assert_true(asprintf(&t, "%sskipped %s/%s\n", s, dir,
		    lines[i]) > 0);
		free(s);
		s = t;
	}
	return s;
}

static void
assert_notices(const struct ks_srclist *l, const char *dir,
    const char *const *lines, size_t n)
{
	char *want = want_notices(dir, lines, n);

	assert_false(ks_buf_failed(&l->notices));
	assert_int_equal(l->notices.len, strlen(want));
	assert_memory_equal(l->notices.p, want, l->notices.len);
	free(want);
}

static void
test_tree_search(void **state)
{
	struct tree *t = *state;
	bool root = geteuid() == 0;
	const char *const found[] = {
		"a/b/c/messages",
		"apache2/access.log",
		"auth.log",
		BAD_NAME,
		"extra.gz",
		"messages",
		"messages.1",
		"messages.2.gz",
		"mostly.txt",
		"notalog",
		"private/messages",
		"secure",
	};
	const char *const found_user[] = {
		"a/b/c/messages", "apache2/access.log", "auth.log", BAD_NAME,
		"extra.gz", "messages", "messages.1", "messages.2.gz",
		"mostly.txt", "notalog",
	};
	const char *const notes[] = {
		"a/b/c/d: directory nested too deep",
		"daemon.log: not a regular file",
		"etc: symbolic link",
		EVIL_ESCAPED ": symbolic link",
		"kern.log: symbolic link",
		"messages.3.bz2: bzip2 compression is not supported",
		root ? NULL : "private: Permission denied",
		root ? NULL : "secure: Permission denied",
	};
	struct ks_srclist l;
	struct ks_err err;

	ks_srclist_init(&l);
	assert_int_equal(ks_srclist_add_path(&l, t->dir, &err), 0);
	if (root)
		assert_dir_paths(&l, t->dir, found,
		    sizeof(found) / sizeof(found[0]));
	else
		assert_dir_paths(&l, t->dir, found_user,
		    sizeof(found_user) / sizeof(found_user[0]));
	assert_notices(&l, t->dir, notes, sizeof(notes) / sizeof(notes[0]));
	ks_srclist_free(&l);
}

static void
test_tree_ordered(void **state)
{
	struct tree *t = *state;
	const char *const want[] = {
		"a/b/c/messages", "apache2/access.log", "auth.log", BAD_NAME,
		"extra.gz", "messages.2.gz", "messages.1", "messages",
		"mostly.txt", "notalog", "private/messages", "secure",
	};
	struct ks_srclist l;
	struct ks_err err;
	size_t n = sizeof(want) / sizeof(want[0]);

	ks_srclist_init(&l);
	assert_int_equal(ks_srclist_add_path(&l, t->dir, &err), 0);
	ks_srclist_order_rotations(&l);
	if (geteuid() != 0)
		n -= 2;     /* private/messages and secure were not read */
	assert_dir_paths(&l, t->dir, want, n);
	ks_srclist_free(&l);
}

static void
test_tree_subdir_trailing_slash(void **state)
{
	struct tree *t = *state;
	struct ks_srclist l;
	struct ks_err err;
	char *sub, *want;

	assert_true(asprintf(&sub, "%s/apache2/", t->dir) > 0);
	assert_true(asprintf(&want, "%s/apache2/access.log", t->dir) > 0);
	ks_srclist_init(&l);
	assert_int_equal(ks_srclist_add_path(&l, sub, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].path, want);
	assert_int_equal(l.notices.len, 0);
	ks_srclist_free(&l);
	free(want);
	free(sub);
}

static void
test_tree_unreadable_dir(void **state)
{
	struct tree *t = *state;
	struct ks_srclist l;
	struct ks_err err;
	char *dir, *want;

	assert_true(asprintf(&dir, "%s/private", t->dir) > 0);
	ks_srclist_init(&l);
	assert_int_equal(ks_srclist_add_path(&l, dir, &err), 0);
	if (geteuid() == 0) {
		assert_true(asprintf(&want, "%s/messages", dir) > 0);
		assert_int_equal(l.n, 1);
		assert_string_equal(l.v[0].path, want);
		assert_int_equal(l.notices.len, 0);
	} else {
		assert_true(asprintf(&want, "skipped %s: Permission denied\n",
		    dir) > 0);
		assert_int_equal(l.n, 0);
		assert_int_equal(l.notices.len, strlen(want));
		assert_memory_equal(l.notices.p, want, l.notices.len);
	}
	ks_srclist_free(&l);
	free(want);
	free(dir);
}

/* Adds dir/rel as a command-line path; returns what add_path returned. */
static int
add_rel(struct ks_srclist *l, const char *dir, const char *rel,
    struct ks_err *err)
{
	char *p;
	int rc;

	assert_true(asprintf(&p, "%s/%s", dir, rel) > 0);
	rc = ks_srclist_add_path(l, p, err);
	free(p);
	return rc;
}

static void
test_explicit_paths(void **state)
{
	struct tree *t = *state;
	const char *const want[] = {
		"auth.log", "kern.log", "wtmp", "notes.txt", "daemon.log",
		"messages.3.bz2",
	};
	struct ks_srclist l;
	struct ks_err err;

	ks_srclist_init(&l);
	/* files are taken as given: by link, whatever their name */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(add_rel(&l, t->dir, want[i], &err), 0);
	assert_dir_paths(&l, t->dir, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(ks_srclist_add_path(&l, "-", &err), 0);
	assert_int_equal(l.v[l.n - 1].kind, KS_SRC_STDIN);
	assert_string_equal(l.v[l.n - 1].path, "-");
	assert_int_equal(l.notices.len, 0);
	ks_srclist_free(&l);
}

static void
test_explicit_errors(void **state)
{
	struct tree *t = *state;
	struct ks_srclist l;
	struct ks_err err;
	char *want;

	ks_srclist_init(&l);
	err.msg[0] = '\0';
	assert_int_equal(add_rel(&l, t->dir, "nonexistent", &err), -1);
	assert_true(asprintf(&want, "%s/nonexistent: No such file or "
	    "directory", t->dir) > 0);
	assert_string_equal(err.msg, want);
	free(want);

	/* the name in the message is escaped */
	assert_int_equal(add_rel(&l, t->dir, "no\nsuch\x1b[2J", &err), -1);
	assert_true(asprintf(&want, "%s/no\\nsuch\\e[2J: No such file or "
	    "directory", t->dir) > 0);
	assert_string_equal(err.msg, want);
	free(want);

	/* a dangling link does not exist either, and its name is escaped */
	assert_int_equal(add_rel(&l, t->dir, EVIL_NAME, &err), -1);
	assert_true(asprintf(&want, "%s/" EVIL_ESCAPED ": No such file or "
	    "directory", t->dir) > 0);
	assert_string_equal(err.msg, want);
	free(want);

	assert_int_equal(add_rel(&l, t->dir, "messages.1/x", &err), -1);
	assert_true(asprintf(&want, "%s/messages.1/x: Not a directory",
	    t->dir) > 0);
	assert_string_equal(err.msg, want);
	free(want);

	assert_int_equal(ks_srclist_add_path(&l, "/dev/null", &err), -1);
	assert_string_equal(err.msg,
	    "/dev/null: not a regular file, FIFO or directory");
	assert_int_equal(l.n, 0);
	assert_int_equal(l.notices.len, 0);
	ks_srclist_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_live),
		cmocka_unit_test(test_key_numbered),
		cmocka_unit_test(test_key_dateext),
		cmocka_unit_test(test_key_not_rotation),
		cmocka_unit_test(test_key_monotone),
		cmocka_unit_test(test_order_example),
		cmocka_unit_test(test_order_numeric),
		cmocka_unit_test(test_order_dateext_mixed),
		cmocka_unit_test(test_order_interleaved),
		cmocka_unit_test(test_order_by_directory),
		cmocka_unit_test(test_order_stable),
		cmocka_unit_test(test_order_kinds),
		cmocka_unit_test(test_logname_wanted),
		cmocka_unit_test(test_list_grows),
		cmocka_unit_test_setup_teardown(test_tree_search,
		    tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_tree_ordered,
		    tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(
		    test_tree_subdir_trailing_slash, tree_setup,
		    tree_teardown),
		cmocka_unit_test_setup_teardown(test_tree_unreadable_dir,
		    tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_explicit_paths,
		    tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_explicit_errors,
		    tree_setup, tree_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
