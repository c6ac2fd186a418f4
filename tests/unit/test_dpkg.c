/*
 * test_dpkg.c - dpkg's files parsed without dpkg: the status file (which
 * packages have their files on the disk, versions, conffiles with their
 * flags), md5sums lines, diversions and a .deb's conffiles list, with
 * every line that is not what it should be counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "integrity/dpkg.h"

static const char status[] =
    "Package: hostname\n"
    "Status: install ok installed\n"
    "Priority: required\n"
    "Architecture: amd64\n"
    "Version: 3.23+nmu1\n"
    "Description: utility to set/show the host name\n"
    " This package provides commands which can be used to display the\n"
    " .\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok half-configured\r\n"
    "Multi-Arch: same\n"
    "Architecture: amd64\n"
    "Version: 2.36-9\n"
    "Conffiles:\n"
    " /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab\n"
    " /etc/with space.conf 00112233445566778899aabbccddeeff obsolete\n"
    " /etc/new.conf newconffile\n"
    " relative 00112233445566778899aabbccddeeff\n"
    "\n\n"
    "Package: gone\n"
    "Status: deinstall ok config-files\n"
    "\n"
    "Status: install ok installed\n"
    "Version: 1\n"
    "\n"
    "a line with no colon\n"
    "Package: last\n"
    "Status: hold ok unpacked";

static void
test_status(void **state)
{
	struct ks_dpkg_status s;
	struct ks_err err = { "" };
	const struct ks_dpkg_pkg *p;

	(void)state;
	assert_int_equal(ks_dpkg_status_parse(&s, status, strlen(status), &err),
	    0);
	assert_int_equal(s.n, 4);
	/* the nameless stanza, the line without a colon, the relative path */
	assert_int_equal(s.unparsed, 3);
	p = ks_dpkg_find(&s, "hostname", NULL);
	assert_non_null(p);
	assert_true(p->installed);
	assert_string_equal(p->version, "3.23+nmu1");
	assert_string_equal(p->arch, "amd64");
	assert_false(p->multiarch_same);
	p = ks_dpkg_find(&s, "libc6", "amd64");
	assert_non_null(p);
	assert_true(p->installed);
	assert_true(p->multiarch_same);
	assert_int_equal(p->nconf, 3);
	assert_string_equal(p->conf[0].path,
	    "/etc/ld.so.conf.d/x86_64-linux-gnu.conf");
	assert_true(p->conf[0].has_md5);
	assert_int_equal(p->conf[0].md5[0], 0xd4);
	assert_int_equal(p->conf[0].md5[15], 0xab);
	assert_false(p->conf[0].obsolete);
	assert_string_equal(p->conf[1].path, "/etc/with space.conf");
	assert_true(p->conf[1].obsolete);
	assert_true(p->conf[1].has_md5);
	assert_false(p->conf[2].has_md5);
	assert_null(ks_dpkg_find(&s, "libc6", "i386"));
	assert_false(ks_dpkg_find(&s, "gone", NULL)->installed);
	assert_true(ks_dpkg_find(&s, "last", NULL)->installed);
	ks_dpkg_status_free(&s);
}

static void
test_md5sums(void **state)
{
	static const char text[] =
	    "84663f46a29817d9b0641f960a551cdb  bin/hostname\n"
	    "84663F46A29817D9B0641F960A551CDB *usr/share/with space\r\n"
	    "84663f46a29817d9b0641f960a551cd  bin/short\n"
	    "84663f46a29817d9b0641f960a551cdbX bin/glued\n"
	    "84663f46a29817d9b0641f960a551cdb  \n"
	    "\n"
	    "84663f46a29817d9b0641f960a551cdb  /usr/lib/x";
	const char *p = text, *end = text + strlen(text), *path;
	unsigned char md5[16];
	size_t n, bad = 0;
	char got[256] = "";
	int rc;

	(void)state;
	while ((rc = ks_dpkg_md5sums_next(&p, end, md5, &path, &n)) >= 0) {
		if (rc == 0) {
			bad++;
			continue;
		}
		assert_int_equal(md5[0], 0x84);
		assert_int_equal(md5[15], 0xdb);
		strncat(got, path, n);
		strcat(got, "|");
	}
	assert_string_equal(got, "bin/hostname|usr/share/with space|usr/lib/x|");
	assert_int_equal(bad, 4);
}

static void
test_diversions(void **state)
{
	static const char text[] =
	    "/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\n"
	    "postgresql-common\n"
	    "/etc/x\n/etc/x.real\n:\n"
	    "relative\n/etc/y\npkg\n"
	    "/usr/dangling\n/usr/dangling.x\n";
	struct ks_dpkg_diversions d;
	struct ks_err err = { "" };

	(void)state;
	assert_int_equal(ks_dpkg_diversions_parse(&d, text, strlen(text), &err),
	    0);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.unparsed, 5);
	assert_string_equal(ks_dpkg_divert(&d, "/usr/bin/pg_config", "libpq-dev"),
	    "/usr/bin/pg_config.libpq-dev");
	assert_string_equal(ks_dpkg_divert(&d, "/usr/bin/pg_config",
	    "postgresql-common"), "/usr/bin/pg_config");
	assert_string_equal(ks_dpkg_divert(&d, "/etc/x", "any"), "/etc/x.real");
	assert_string_equal(ks_dpkg_divert(&d, "/etc/z", "any"), "/etc/z");
	ks_dpkg_diversions_free(&d);
}

static int
add_path(void *ctx, const char *path, size_t n)
{
	strncat(ctx, path, n);
	strcat(ctx, "|");
	return 0;
}

static void
test_conffiles_and_hex(void **state)
{
	static const char text[] = "/etc/a.conf\n\nremove-on-upgrade /etc/old\n"
	    "etc/relative\n  /etc/b.conf  \n";
	char got[128] = "";
	uint64_t bad = 0;
	unsigned char out[2];

	(void)state;
	assert_int_equal(ks_dpkg_conffiles_parse(text, strlen(text), add_path,
	    got, &bad), 0);
	assert_string_equal(got, "/etc/a.conf|/etc/b.conf|");
	assert_int_equal(bad, 1);
	assert_true(ks_unhex("aF09", 4, out, 2));
	assert_int_equal(out[0], 0xaf);
	assert_int_equal(out[1], 0x09);
	assert_false(ks_unhex("aG09", 4, out, 2));
	assert_false(ks_unhex("aF0", 3, out, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_md5sums),
		cmocka_unit_test(test_diversions),
		cmocka_unit_test(test_conffiles_and_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
