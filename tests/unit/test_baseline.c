/*
 * test_baseline.c - the host baseline file: written and read back to the
 * same records, escaping of hostile names, the listener predicate, and
 * exact errors for malformed files, while records of a later version
 * are counted and skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host/host.h"

static void
test_round_trip(void **state)
{
	struct ks_baseline *b, *c;
	const struct ks_baseline_account *a;
	const struct ks_baseline_listener *l;
	struct ks_buf out;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_baseline_new(&b, "srv01", &err), 0);
	assert_int_equal(ks_baseline_add_account(b, "root", 0, 0, "/root",
	    "/bin/bash", &err), 0);
	assert_int_equal(ks_baseline_add_account(b, "odd name%\n", 1001, 100,
	    "", "-", &err), 0);
	assert_int_equal(ks_baseline_add_account(b, "root", 5, 5, "/x", "/y",
	    &err), 0);
	assert_int_equal(ks_baseline_add_listener(b, "tcp", 22, "sshd", &err),
	    0);
	assert_int_equal(ks_baseline_add_listener(b, "udp6", 53, NULL, &err),
	    0);
	assert_int_equal(ks_baseline_add_listener(b, "TCP", 22, "x", &err), -1);
	assert_int_equal(ks_baseline_add_listener(b, "tcp", 70000, "x", &err),
	    -1);
	ks_buf_init(&out);
	ks_baseline_write(b, 1700000000000000LL, 32400, &out);
	ks_buf_addc(&out, '\0');
	assert_string_equal(out.p,
	    "# kansatsu host baseline: see kansatsu(1), HOST BASELINE\n"
	    "kansatsu-baseline 1\n"
	    "host srv01\n"
	    "created 2023-11-15T07:13:20+09:00\n"
	    "account root 0 0 /root /bin/bash\n"
	    "account odd%20name%25%0A 1001 100 - %2D\n"
	    "listener tcp 22 sshd\n"
	    "listener udp6 53 -\n");
	assert_int_equal(ks_baseline_parse(&c, out.p, out.len - 1, &err), 0);
	assert_string_equal(ks_baseline_host(c), "srv01");
	assert_int_equal(ks_baseline_accounts(c, &a), 2);
	assert_string_equal(a[1].name, "odd name%\n");
	assert_string_equal(a[1].home, "");
	assert_string_equal(a[1].shell, "-");
	assert_int_equal(a[1].uid, 1001);
	assert_non_null(ks_baseline_find_account(c, "root"));
	assert_null(ks_baseline_find_account(c, "toor"));
	assert_int_equal(ks_baseline_listeners(c, &l), 2);
	assert_true(ks_baseline_listener_known(c, "tcp", 22, "sshd"));
	assert_true(ks_baseline_listener_known(c, "tcp", 22, NULL));
	assert_false(ks_baseline_listener_known(c, "tcp", 22, "nc"));
	assert_true(ks_baseline_listener_known(c, "udp6", 53, "named"));
	assert_false(ks_baseline_listener_known(c, "udp", 53, "named"));
	assert_int_equal(ks_baseline_unknown(c), 0);
	ks_buf_free(&out);
	ks_baseline_free(b);
	ks_baseline_free(c);
}

static void
bad(const char *text, const char *msg)
{
	struct ks_baseline *b;
	struct ks_err err;

	assert_int_equal(ks_baseline_parse(&b, text, strlen(text), &err), -1);
	assert_null(b);
	assert_string_equal(err.msg, msg);
}

static void
test_errors(void **state)
{
	struct ks_baseline *b;
	struct ks_err err;
	const char *later = "kansatsu-baseline 1\nmodule ext4\n"
	    "account a 1 1 /h /s\n";

	(void)state;
	bad("", "not a kansatsu host baseline (no header)");
	bad("account a 1 1 /h /s\n", "line 1: not a kansatsu host baseline "
	    "(version 1)");
	bad("kansatsu-baseline 2\n", "line 1: not a kansatsu host baseline "
	    "(version 1)");
	bad("kansatsu-baseline 1\naccount a 1 /h /s\n", "line 2: an account "
	    "record is NAME UID GID HOME SHELL");
	bad("kansatsu-baseline 1\naccount a x 1 /h /s\n", "line 2: an account "
	    "record is NAME UID GID HOME SHELL");
	bad("kansatsu-baseline 1\naccount a  1 1 /h /s\n", "line 2: an empty "
	    "field, a bad %XX escape or too many fields");
	bad("kansatsu-baseline 1\naccount a%zz 1 1 /h /s\n", "line 2: an "
	    "empty field, a bad %XX escape or too many fields");
	bad("kansatsu-baseline 1\naccount a%00 1 1 /h /s\n", "line 2: an "
	    "empty field, a bad %XX escape or too many fields");
	bad("kansatsu-baseline 1\nlistener tcp 65536 x\n", "line 2: a listener "
	    "record is PROTO PORT PROGRAM");
	assert_int_equal(ks_baseline_parse(&b, later, strlen(later), &err), 0);
	assert_int_equal(ks_baseline_unknown(b), 1);
	assert_non_null(ks_baseline_find_account(b, "a"));
	ks_baseline_free(b);
}

static void
test_many_accounts(void **state)
{
	struct ks_baseline *b;
	struct ks_err err;
	char name[32];

	(void)state;
	assert_int_equal(ks_baseline_new(&b, "h", &err), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(ks_baseline_add_account(b, name, (uint32_t)i, 1,
		    "/h", "/s", &err), 0);
	}
	for (int i = 0; i < 5000; i += 499) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(ks_baseline_find_account(b, name)->uid, i);
	}
	assert_null(ks_baseline_find_account(b, "user5000"));
	ks_baseline_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many_accounts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
