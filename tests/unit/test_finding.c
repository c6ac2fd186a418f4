/*
 * test_finding.c - findings built by hand (as host checks build them) and
 * written by the contract's writer: decoded fields and attributes share
 * their objects, attributes replace, evidence is capped and cut, and the
 * list sorts most severe first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "finding/finding.h"
#include "report/report.h"

static const struct ks_rule_info high = {
	.id = "t-high", .title = "a high one", .severity = "high",
	.taxonomy = "intrusions", .type = "system-compromise",
};
static const struct ks_rule_info low = {
	.id = "t-low", .title = "a low one", .severity = "low",
	.taxonomy = "other", .type = "other", .outcome = "attempt",
};

static void
test_kv_nesting(void **state)
{
	struct ks_kv kv[] = {
		{ "source.ip", "192.0.2.1", 9, false },
		{ "user.name", "root", 4, false },
		{ "source.port", "22", 2, true },
		{ "source.geo.country_iso_code", "IL", 2, false },
		{ "source.as.number", "12400", 5, true },
		{ "process.pid", "12x", 3, true },
	};
	struct ks_buf b;

	(void)state;
	ks_buf_init(&b);
	ks_kv_sort(kv, 6);
	ks_json_members(&b, kv, 6);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, ",\"process\":{\"pid\":\"12x\"}"
	    ",\"source\":{\"ip\":\"192.0.2.1\",\"port\":22,\"as\":{\"number\":"
	    "12400},\"geo\":{\"country_iso_code\":\"IL\"}}"
	    ",\"user\":{\"name\":\"root\"}");
	ks_buf_free(&b);
}

static void
test_build_and_write(void **state)
{
	struct ks_finding *fd = ks_finding_new(&high, "srv01");
	char big[KS_EVIDENCE_TEXT + 100];
	struct ks_buf b;

	(void)state;
	assert_non_null(fd);
	assert_true(ks_finding_set(fd, KS_F_SOURCE_IP, "192.0.2.7", 9));
	assert_true(ks_finding_attr(fd, "process.pid", "4242", true));
	assert_true(ks_finding_attr(fd, "process.executable", "/tmp/x", false));
	assert_true(ks_finding_attr(fd, "process.pid", "4243", true));
	assert_string_equal(ks_finding_get_attr(fd, "process.pid"), "4243");
	assert_null(ks_finding_get_attr(fd, "file.path"));
	ks_finding_seen(fd, 2000000, 32400);
	ks_finding_seen(fd, 1000000, 32400);
	fd->count = 2;
	memset(big, 'a', sizeof(big));
	for (int i = 0; i < KS_EVIDENCE_MAX + 3; i++)
		assert_true(ks_finding_evidence(fd, "/proc/4243/exe", 0, NULL,
		    big, sizeof(big)));
	assert_int_equal(fd->nev, KS_EVIDENCE_MAX);
	assert_int_equal(strlen(fd->ev[0].text), KS_EVIDENCE_TEXT);
	ks_buf_init(&b);
	ks_finding_json(&b, fd);
	ks_buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, ",\"host\":{\"name\":\"srv01\"},\"process\":"
	    "{\"pid\":4243,\"executable\":\"/tmp/x\"},\"source\":{\"ip\":"
	    "\"192.0.2.7\"},\"first_seen\":\"1970-01-01T09:00:01+09:00\","
	    "\"last_seen\":\"1970-01-01T09:00:02+09:00\",\"count\":2,"));
	assert_non_null(strstr(b.p, "{\"path\":\"/proc/4243/exe\",\"line\":null,"));
	/* a copy writes the same, and outlives the original */
	{
		struct ks_finding *cp = ks_finding_copy(fd);
		struct ks_buf c;

		assert_non_null(cp);
		ks_finding_free(fd);
		ks_buf_init(&c);
		ks_finding_json(&c, cp);
		ks_buf_addc(&c, '\0');
		assert_string_equal(c.p, b.p);
		ks_buf_free(&c);
		ks_finding_free(cp);
	}
	ks_buf_free(&b);
}

static void
test_list_sorts(void **state)
{
	struct ks_findings l;
	struct ks_finding *a = ks_finding_new(&low, "h");
	struct ks_finding *b = ks_finding_new(&high, "h");
	struct ks_finding *c = ks_finding_new(&high, "h");

	(void)state;
	ks_finding_seen(a, 1, 0);
	ks_finding_seen(b, 5, 0);
	ks_finding_seen(c, 3, 0);
	ks_findings_init(&l);
	assert_true(ks_findings_add(&l, a));
	assert_true(ks_findings_add(&l, b));
	assert_true(ks_findings_add(&l, c));
	ks_findings_sort(&l);
	assert_ptr_equal(l.v[0], c);
	assert_ptr_equal(l.v[1], b);
	assert_ptr_equal(l.v[2], a);
	assert_int_equal(ks_severity_rank("critical"), 4);
	assert_int_equal(ks_severity_rank("bogus"), -1);
	ks_findings_free(&l);
	assert_int_equal(l.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kv_nesting),
		cmocka_unit_test(test_build_and_write),
		cmocka_unit_test(test_list_sorts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
