/*
 * test_hub_mime.c - the drafts as mail: RFC 2047 words cut on character
 * boundaries and under 76 characters, addresses that could smuggle a
 * header refused, and the whole message's structure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"

static char *
header(const char *name, const char *value)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_mime_header(&b, name, value);
	ks_buf_addc(&b, '\0');
	return b.p;
}

static void
test_header(void **state)
{
	char *h;
	const char *p;

	(void)state;
	h = header("Subject", "[Incident #1] scanning");
	assert_string_equal(h, "Subject: [Incident #1] scanning\r\n");
	free(h);
	h = header("Subject", "[インシデント #1] 踏み台");
	assert_string_equal(h, "Subject: =?UTF-8?B?W+OCpOODs+OCt+ODh+ODs+ODiCAj"
	    "MV0g6LiP44G/5Y+w?=\r\n");
	free(h);
	/* a long Japanese subject: several words, each a whole character */
	h = header("Subject", "不正アクセスの届け出についてのご連絡とお願い、"
	    "関係するサイトへの通知について");
	for (p = h; (p = strstr(p, "=?UTF-8?B?")) != NULL; p++)
		assert_true(strstr(p, "?=") - p + 2 <= 75);
	assert_non_null(strstr(h, "?=\r\n =?UTF-8?B?"));
	free(h);
	/* text that looks like an encoded word is encoded itself */
	h = header("Subject", "=?x?");
	assert_non_null(strstr(h, "=?UTF-8?B?PT94Pw==?="));
	free(h);
}

static void
test_addresses(void **state)
{
	(void)state;
	assert_true(ks_mime_addr_ok("security@asite.example.jp"));
	assert_true(ks_mime_addr_ok("a+b.c@x-y.example"));
	assert_false(ks_mime_addr_ok("a@b\r\nBcc: victim@x.example"));
	assert_false(ks_mime_addr_ok("<a@b.example>"));
	assert_false(ks_mime_addr_ok("a b@c.example"));
	assert_false(ks_mime_addr_ok("@c.example"));
	assert_false(ks_mime_addr_ok("a@"));
	assert_false(ks_mime_addr_ok(NULL));
}

static void
test_message(void **state)
{
	static const char xml[] = "<x/>";
	struct ks_mime_part att = { "report-2.xml", "application/xml", xml, 4 };
	struct ks_mime_msg m = {
		.from_name = "JPCERT/CC", .from_addr = "info@jpcert.or.jp",
		.to_name = "山田 太郎", .to_addr = "sec@a.example",
		.subject = "件名", .message_id = "incident-1.0.0@jpcert.or.jp",
		.date_us = 930104040000000LL, .date_off = 9 * 3600,
		.text = "line\n", .att = &att, .natt = 1,
	};
	struct ks_buf b;
	struct ks_err err;

	(void)state;
	ks_buf_init(&b);
	assert_int_equal(ks_mime_write(&b, &m, &err), 0);
	ks_buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, "From: \"JPCERT/CC\"\r\n <info@jpcert.or.jp>\r\n"));
	assert_non_null(strstr(b.p, "To: =?UTF-8?B?5bGx55SwIOWkqumDjg==?=\r\n"
	    " <sec@a.example>\r\n"));
	assert_non_null(strstr(b.p, "Date: Wed, 23 Jun 1999 11:14:00 +0900\r\n"));
	assert_non_null(strstr(b.p, "MIME-Version: 1.0\r\n"));
	/* "line\r\n" in base64 */
	assert_non_null(strstr(b.p, "\r\n\r\nbGluZQ0K\r\n"));
	assert_non_null(strstr(b.p, "filename=\"report-2.xml\"\r\n"));
	assert_non_null(strstr(b.p, "PHgvPg==\r\n"));
	assert_non_null(strstr(b.p,
	    "--=_kansatsu_incident-1.0.0_jpcert.or.jp--\r\n"));
	for (char *p = b.p, *nl; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		assert_true(nl - p <= 78);
	ks_buf_free(&b);
	m.to_addr = "x@y\nBcc: z@w";
	ks_buf_init(&b);
	assert_int_equal(ks_mime_write(&b, &m, &err), -1);
	ks_buf_free(&b);
	m.to_addr = "sec@a.example";
	att.name = "../etc/passwd";
	ks_buf_init(&b);
	assert_int_equal(ks_mime_write(&b, &m, &err), -1);
	ks_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
