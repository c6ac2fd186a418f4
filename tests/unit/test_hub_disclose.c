/*
 * test_hub_disclose.c - the IODEF attachment of a notification: exactly
 * the elements given, each once, the reporter named only when allowed,
 * and whatever cannot be written again counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub_int.h"

#define LINE1 "Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1"
#define LINE2 "Jun 23 12:34:00 bsite popper[13]: -ERR POP EOF received"

static const char finding[] = "{\"rule\":\"port-scan\",\"title\":"
    "\"Connections to several services from one address (a scan)\","
    "\"classification\":{\"taxonomy\":\"information-gathering\","
    "\"type\":\"scanner\"},\"severity\":\"medium\",\"outcome\":\"attempt\","
    "\"host\":{\"name\":\"bsite\"},\"source\":{\"ip\":\"192.168.100.1\"},"
    "\"first_seen\":\"1999-06-23T12:34:00+09:00\","
    "\"last_seen\":\"1999-06-23T12:34:00+09:00\",\"count\":2,"
    "\"evidence\":[{\"path\":\"/var/log/messages\",\"line\":1,\"text\":\""
    LINE1 "\"},{\"path\":\"/var/log/messages\",\"line\":2,\"text\":\""
    LINE2 "\"}],\"tlp\":\"CLEAR\"}";

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static char *
write_doc(const struct ks_hub_disclosed *d, size_t *unwritten)
{
	struct ks_buf b;
	struct ks_err err;

	ks_buf_init(&b);
	assert_int_equal(ks_hub_disclosed_iodef(&b, d, unwritten, &err), 0);
	ks_buf_addc(&b, '\0');
	assert_false(ks_buf_failed(&b));
	return b.p;
}

static void
test_named(void **state)
{
	const struct ks_hub_element el[] = {
		{ KS_EL_DESCRIPTION, KS_TLP_CLEAR, "discovery",
		    (char *)"log monitoring", 0, 0 },
		{ KS_EL_SYSTEM, KS_TLP_CLEAR, "source 192.168.100.1",
		    (char *)"{\"role\":\"source\",\"ip\":\"192.168.100.1\"}",
		    0, 0 },
		{ KS_EL_SYSTEM, KS_TLP_GREEN, "target 172.16.5.10",
		    (char *)"{\"role\":\"target\",\"ip\":\"172.16.5.10\","
		    "\"domain\":\"bsite\",\"port\":23,\"own\":true}", 0, 0 },
		{ KS_EL_FINDING, KS_TLP_CLEAR, "scan", (char *)finding, 0, 0 },
		{ KS_EL_EXCERPT, KS_TLP_CLEAR, "/var/log/messages:1",
		    (char *)LINE1, 0, 0 },
		{ KS_EL_EXCERPT, KS_TLP_CLEAR, "/var/log/messages:2",
		    (char *)LINE2, 0, 0 },
	};
	const struct ks_hub_element *shown[] = { &el[0], &el[1], &el[2],
	    &el[3], &el[4], &el[5] };
	const struct ks_hub_source src[] = { { "192.168.100.1",
	    KS_TLP_CLEAR } };
	struct ks_hub_disclosed d = {
		.hash = "sha256:abcd", .cat = KS_CAT_SCAN, .tlp = KS_TLP_CLEAR,
		.site = "bsite", .organisation = "Site B Corporation",
		.contact_name = "Jiro Tanaka",
		.contact_email = "abuse@bsite.example.jp",
		.contact_tlp = KS_TLP_CLEAR, .unnamed = "another site",
		.lang = "en", .now_us = 0, .el = shown, .nel = 6, .src = src,
		.nsrc = 1,
	};
	size_t unwritten = 99;
	char *x;

	(void)state;
	x = write_doc(&d, &unwritten);
	assert_int_equal(unwritten, 0);
	assert_non_null(strstr(x, "<IncidentID name=\"bsite\">sha256:abcd"
	    "</IncidentID>"));
	assert_non_null(strstr(x, "<Incident purpose=\"reporting\" "
	    "restriction=\"public\">"));
	assert_non_null(strstr(x, "<ContactName>Site B Corporation"
	    "</ContactName>"));
	assert_non_null(strstr(x, "<ContactName>Jiro Tanaka</ContactName>"));
	assert_non_null(strstr(x, "<EmailTo>abuse@bsite.example.jp</EmailTo>"));
	assert_non_null(strstr(x, "information-gathering/scanner"));
	assert_non_null(strstr(x, "<IncidentCategory xml:lang=\"ja\">スキャン"));
	assert_non_null(strstr(x, "<Description>Connections to several "
	    "services from one address (a scan)</Description>"));
	assert_non_null(strstr(x, "<Description>log monitoring</Description>"));
	/* each log line once, with the finding's place and time */
	assert_int_equal(count(x, "<RecordItem "), 2);
	assert_int_equal(count(x, LINE1), 1);
	assert_non_null(strstr(x, "<Description>/var/log/messages:2"
	    "</Description>"));
	assert_non_null(strstr(x, "<DateTime>1999-06-23T12:34:00+09:00"
	    "</DateTime>"));
	/* the source address named by a system is not added again */
	assert_int_equal(count(x, "<System category=\"source\""), 1);
	assert_non_null(strstr(x, "<System category=\"target\" ownership="
	    "\"organization\" restriction=\"partner\">"));
	assert_non_null(strstr(x, "<Port>23</Port>"));
	free(x);
}

static void
test_unnamed(void **state)
{
	const struct ks_hub_element el[] = {
		{ KS_EL_FINDING, KS_TLP_AMBER, "no severity",
		    (char *)"{\"rule\":\"r\",\"title\":\"t\"}", 0, 0 },
		{ KS_EL_SYSTEM, KS_TLP_AMBER, "no role",
		    (char *)"{\"ip\":\"192.0.2.1\"}", 0, 0 },
		{ KS_EL_SYSTEM, KS_TLP_AMBER, "bad address",
		    (char *)"{\"role\":\"target\",\"ip\":\"999.1.1.1\"}", 0, 0 },
		{ KS_EL_SYSTEM, KS_TLP_AMBER, "target 192.0.2.9",
		    (char *)"target 192.0.2.9", 0, 0 },
		{ KS_EL_EXCERPT, KS_TLP_AMBER, NULL, (char *)"a\x1b[2Jb", 0, 0 },
		{ KS_EL_DESCRIPTION, KS_TLP_AMBER, NULL, (char *)"one", 0, 0 },
		{ KS_EL_DESCRIPTION, KS_TLP_AMBER, NULL, (char *)"two", 0, 0 },
	};
	const struct ks_hub_element *shown[] = { &el[0], &el[1], &el[2],
	    &el[3], &el[4], &el[5], &el[6] };
	const struct ks_hub_source src[] = { { "2001:DB8::1", KS_TLP_AMBER },
	    { "nonsense", KS_TLP_AMBER } };
	struct ks_hub_disclosed d = {
		.hash = "sha256:ef", .cat = KS_CAT_STEPPING_STONE,
		.tlp = KS_TLP_AMBER, .unnamed = "another site", .lang = "ja",
		.el = shown, .nel = 7, .src = src, .nsrc = 2,
	};
	size_t unwritten = 99;
	char *x;

	(void)state;
	x = write_doc(&d, &unwritten);
	/* the finding, two systems, the text system, the bad source */
	assert_int_equal(unwritten, 5);
	assert_non_null(strstr(x, "xml:lang=\"ja\""));
	assert_non_null(strstr(x, "<IncidentID name=\"kansatsu\">sha256:ef"));
	assert_non_null(strstr(x, "<ContactName>another site</ContactName>"));
	assert_null(strstr(x, "role=\"tech\""));
	assert_non_null(strstr(x, "<IncidentCategory xml:lang=\"ja\">踏み台"));
	assert_null(strstr(x, "<Method"));
	assert_int_equal(count(x, "<System "), 1);
	assert_non_null(strstr(x, "<System category=\"source\" "
	    "restriction=\"need-to-know\">"));
	assert_non_null(strstr(x, "<Address category=\"ipv6-addr\">"
	    "2001:db8::1</Address>"));
	assert_non_null(strstr(x, "<Description>one; two</Description>"));
	assert_non_null(strstr(x, "<Description>-</Description>"));
	assert_null(strstr(x, "\x1b"));
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_unnamed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
