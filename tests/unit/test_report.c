/*
 * test_report.c - the report module below the command line: findings
 * read back (nested and flat alike, bad lines counted with their reason),
 * the reporter profile (strict), the model built from findings (roles,
 * JPCERT categories, disclosure levels, redaction), a model built by hand
 * as the hub builds one, and the writers' disclosure control and
 * escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/report.h"

static const char nested[] =
    "{\"rule\":\"r1\",\"title\":\"T\",\"classification\":{\"taxonomy\":"
    "\"intrusions\",\"type\":\"system-compromise\"},\"severity\":\"high\","
    "\"host\":{\"name\":\"srv01.ash.or.jp\"},\"source\":{\"ip\":"
    "\"192.0.2.7\",\"port\":2349,\"geo\":{\"country_iso_code\":\"IL\"},"
    "\"as\":{\"number\":12400}},\"first_seen\":\"1998-03-22T21:30:00+09:00\","
    "\"last_seen\":\"1998-03-22T21:31:00.5+09:00\",\"count\":3,\"evidence\":"
    "[{\"path\":\"m\",\"line\":18,\"text\":\"x 192.0.2.7 y\"}],"
    "\"advice\":\"A\"}";

static const char flat[] =
    "{\"rule\":\"r1\",\"title\":\"T\",\"classification.taxonomy\":"
    "\"intrusions\",\"classification.type\":\"system-compromise\","
    "\"severity\":\"high\",\"host.name\":\"srv01.ash.or.jp\",\"source.ip\":"
    "\"192.0.2.7\",\"source.port\":2349,\"source.geo.country_iso_code\":"
    "\"IL\",\"source.as.number\":12400,\"first_seen\":"
    "\"1998-03-22T21:30:00+09:00\",\"last_seen\":"
    "\"1998-03-22T21:31:00.5+09:00\",\"count\":3,\"evidence\":[{\"path\":"
    "\"m\",\"line\":18,\"text\":\"x 192.0.2.7 y\"}],\"advice\":\"A\"}";

static int
add(struct ks_findset *set, const char *s)
{
	struct ks_err err;

	return ks_findset_line(set, s, strlen(s), "t.jsonl", set->lines + 1,
	    &err);
}

static void
test_rfc3339(void **state)
{
	int64_t us;
	int32_t off;

	(void)state;
	assert_int_equal(ks_rfc3339_parse("1998-03-22T21:30:00+09:00", 25,
	    &us, &off), 0);
	assert_int_equal(off, 32400);
	assert_true(us == 890569800LL * 1000000);
	assert_int_equal(ks_rfc3339_parse("1970-01-01T00:00:01.25Z", 23,
	    &us, &off), 0);
	assert_true(us == 1250000 && off == 0);
	assert_int_equal(ks_rfc3339_parse("1998-03-22T21:30:00", 19, &us,
	    &off), -1);
	assert_int_equal(ks_rfc3339_parse("1998-13-22T21:30:00Z", 20, &us,
	    &off), -1);
	assert_int_equal(ks_rfc3339_parse("1998-03-22T21:30:00+24:00", 25,
	    &us, &off), -1);
}

/* The nested and the flat form give the same finding, written back the
   same way, and share one rule description. */
static void
test_nested_and_flat(void **state)
{
	struct ks_findset set;
	struct ks_err err;
	struct ks_buf a, b;

	(void)state;
	assert_int_equal(ks_findset_init(&set, &err), 0);
	assert_int_equal(add(&set, nested), 1);
	assert_int_equal(add(&set, flat), 1);
	assert_int_equal(set.list.n, 2);
	assert_int_equal(set.nrules, 1);
	assert_ptr_equal(set.list.v[0]->rule, set.list.v[1]->rule);
	ks_buf_init(&a);
	ks_buf_init(&b);
	ks_finding_json(&a, set.list.v[0]);
	ks_finding_json(&b, set.list.v[1]);
	ks_buf_addc(&a, '\0');
	ks_buf_addc(&b, '\0');
	assert_string_equal(a.p, b.p);
	assert_string_equal(a.p, "{\"rule\":\"r1\",\"title\":\"T\","
	    "\"classification\":{\"taxonomy\":\"intrusions\",\"type\":"
	    "\"system-compromise\"},\"severity\":\"high\",\"host\":{\"name\":"
	    "\"srv01.ash.or.jp\"},\"source\":{\"ip\":\"192.0.2.7\",\"port\":2349,"
	    "\"as\":{\"number\":12400},\"geo\":{\"country_iso_code\":\"IL\"}},"
	    "\"first_seen\":\"1998-03-22T21:30:00+09:00\",\"last_seen\":"
	    "\"1998-03-22T21:31:00.500000+09:00\",\"count\":3,\"evidence\":"
	    "[{\"path\":"
	    "\"m\",\"line\":18,\"text\":\"x 192.0.2.7 y\"}],\"advice\":\"A\"}\n");
	ks_buf_free(&a);
	ks_buf_free(&b);
	ks_findset_free(&set);
}

static void
test_bad_lines(void **state)
{
	struct ks_findset set;
	struct ks_err err;
	char big[KS_EVIDENCE_MAX * 40 + 400];
	size_t n;

	(void)state;
	assert_int_equal(ks_findset_init(&set, &err), 0);
	assert_int_equal(add(&set, ""), 0);
	assert_int_equal(add(&set, "not json"), 0);
	assert_int_equal(add(&set, "[1,2]"), 0);
	assert_int_equal(add(&set, "{\"rule\":\"x\"}"), 0);
	assert_int_equal(set.bad, 3);
	assert_int_equal(set.first_bad_line, 2);
	assert_non_null(strstr(set.first_bad.msg, "not JSON"));
	/* a severity outside the five, a time without a zone */
	assert_int_equal(add(&set, "{\"rule\":\"r\",\"title\":\"t\","
	    "\"classification\":{\"taxonomy\":\"a\",\"type\":\"b\"},\"severity\":"
	    "\"urgent\",\"host\":{\"name\":\"h\"},\"first_seen\":"
	    "\"1998-03-22T21:30:00Z\",\"last_seen\":\"1998-03-22T21:30:00Z\","
	    "\"count\":1,\"evidence\":[]}"), 0);
	assert_int_equal(add(&set, "{\"rule\":\"r\",\"title\":\"t\","
	    "\"classification\":{\"taxonomy\":\"a\",\"type\":\"b\"},\"severity\":"
	    "\"low\",\"host\":{\"name\":\"h\"},\"first_seen\":"
	    "\"1998-03-22T21:30:00\",\"last_seen\":\"1998-03-22T21:30:00Z\","
	    "\"count\":1,\"evidence\":[]}"), 0);
	assert_int_equal(set.bad, 5);
	/* evidence past KS_EVIDENCE_MAX and an array member are counted */
	n = (size_t)snprintf(big, sizeof(big), "{\"rule\":\"r\",\"title\":\"t\","
	    "\"classification\":{\"taxonomy\":\"a\",\"type\":\"b\"},\"severity\":"
	    "\"low\",\"host\":{\"name\":\"h\"},\"tags\":[1],\"first_seen\":"
	    "\"1998-03-22T21:30:00Z\",\"last_seen\":\"1998-03-22T21:30:00Z\","
	    "\"count\":1,\"evidence\":[");
	for (int i = 0; i < KS_EVIDENCE_MAX + 2; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "%s{\"path\":\"p\",\"line\":%d,\"text\":\"t\"}", i ? "," : "",
		    i + 1);
	snprintf(big + n, sizeof(big) - n, "]}");
	assert_int_equal(add(&set, big), 1);
	assert_int_equal(set.list.v[0]->nev, KS_EVIDENCE_MAX);
	assert_int_equal(set.skipped, 3);
	ks_findset_free(&set);
}

static const char profile[] =
    "site: ash\n"
    "organisation: Ash\n"
    "contact:\n  name: Taro\n  email: sec@ash.or.jp\n  tlp: green\n"
    "timezone: Asia/Tokyo\n"
    "networks: [192.0.2.0/24, 2001:db8:1::/48]\n"
    "domains: [ash.or.jp]\n"
    "tlp: AMBER\n"
    "disclosure:\n  source: CLEAR\n  excerpt: AMBER+STRICT\n"
    "request: [investigate, contact-source]\n"
    "language: ja\n"
    "recipient: {name: JPCERT/CC, email: info@jpcert.or.jp}\n";

static void
test_profile(void **state)
{
	struct ks_profile p;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_profile_parse(&p, profile, strlen(profile), &err), 0);
	assert_string_equal(p.site, "ash");
	assert_string_equal(p.contact_email, "sec@ash.or.jp");
	assert_int_equal(p.contact_tlp, KS_TLP_GREEN);
	assert_int_equal(p.nnetworks, 2);
	assert_string_equal(p.networks[1], "2001:db8:1::/48");
	assert_int_equal(p.tlp_source, KS_TLP_CLEAR);
	assert_int_equal(p.tlp_target, KS_TLP_AMBER);
	assert_int_equal(p.tlp_intermediate, KS_TLP_AMBER);
	assert_int_equal(p.tlp_excerpt, KS_TLP_AMBER_STRICT);
	assert_int_equal(p.request, KS_REQ_INVESTIGATE | KS_REQ_CONTACT_SOURCE);
	assert_string_equal(p.recipient_name, "JPCERT/CC");
	ks_profile_free(&p);
}

static void
expect_profile_error(const char *text, const char *msg)
{
	struct ks_profile p;
	struct ks_err err;

	assert_int_equal(ks_profile_parse(&p, text, strlen(text), &err), -1);
	assert_string_equal(err.msg, msg);
	assert_null(p.site);
}

static void
test_profile_errors(void **state)
{
	(void)state;
	expect_profile_error("site: a\ncontact: {email: e}\nnetwork: [x]\n",
	    "line 3: network: unknown key");
	expect_profile_error("site: a\ncontact: {email: e}\ntlp: orange\n",
	    "line 3: tlp: not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, "
	    "RED)");
	expect_profile_error("site: a\ncontact: {email: e}\nnetworks: "
	    "[192.0.2.0/33]\n", "line 3: networks: not an address range");
	expect_profile_error("site: a\n", "contact.email: missing");
	expect_profile_error("contact: {email: e}\n", "site: missing");
	expect_profile_error("site: a\ncontact: {email: e}\nrequest: [pray]\n",
	    "line 3: request: not investigate, contact-source, block or "
	    "nothing");
	expect_profile_error("- a\n", "line 1: profile: not a mapping");
	expect_profile_error("site: [a\n", "line 2: did not find expected ',' "
	    "or ']'");
}

/* seed 000 in small: an intruder's session, and the host scanning out. */
static const char *const seed000[] = {
	"{\"rule\":\"in\",\"title\":\"Session from outside\",\"classification\":"
	"{\"taxonomy\":\"intrusions\",\"type\":\"unprivileged-account-compromise\"},"
	"\"severity\":\"high\",\"host\":{\"name\":\"srv01.ash.or.jp\"},\"source\":"
	"{\"ip\":\"192.114.85.56\",\"port\":2349,\"geo\":{\"country_iso_code\":"
	"\"IL\"},\"as\":{\"number\":12400,\"organization\":{\"name\":\"P\"}}},"
	"\"destination\":{\"port\":23},\"first_seen\":\"1998-03-22T21:30:00+09:00\","
	"\"last_seen\":\"1998-03-22T21:30:00+09:00\",\"count\":1,\"evidence\":"
	"[{\"path\":\"n\",\"line\":18,\"text\":\"srv01.ash.or.jp:telnet "
	"192.114.85.56:2349 ESTABLISHED root\"}],\"advice\":\"Adv in\"}",
	"{\"rule\":\"out\",\"title\":\"Scan from here\",\"classification\":"
	"{\"taxonomy\":\"intrusions\",\"type\":\"system-compromise\"},\"severity\":"
	"\"critical\",\"host\":{\"name\":\"srv01.ash.or.jp\"},\"source\":"
	"{\"domain\":\"srv01.ash.or.jp\"},\"destination\":{\"ip\":"
	"\"140.47.242.36\",\"port\":23,\"geo\":{\"country_iso_code\":\"US\"}},"
	"\"user\":{\"name\":\"joe\"},"
	"\"first_seen\":\"1998-03-22T21:29:00+09:00\",\"last_seen\":"
	"\"1998-03-22T21:30:00+09:00\",\"count\":2,\"evidence\":[{\"path\":\"n\","
	"\"line\":5,\"text\":\"srv01.ash.or.jp:1425 140.47.242.36:telnet "
	"SYN_SENT joe from 192.0.2.9\"}]}",
};

struct built {
	struct ks_findset set;
	struct ks_profile p;
	struct ks_report r;
};

static void
build(struct built *b, bool redact)
{
	struct ks_err err;
	struct ks_report_opts o = {
		.now_us = 890570000LL * 1000000, .now_off = 32400,
		.version = "0.1.0", .host = "analyst", .clock_sync = 1,
		.redact = redact,
	};

	assert_int_equal(ks_findset_init(&b->set, &err), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(add(&b->set, seed000[i]), 1);
	ks_findings_sort(&b->set.list);
	assert_int_equal(ks_profile_parse(&b->p, profile, strlen(profile),
	    &err), 0);
	assert_int_equal(ks_report_build(&b->r, &b->set.list, &b->p, &o, &err),
	    0);
}

static void
built_free(struct built *b)
{
	ks_report_free(&b->r);
	ks_profile_free(&b->p);
	ks_findset_free(&b->set);
}

static void
test_build_roles(void **state)
{
	struct built b;
	const struct ks_report *r = &b.r;

	(void)state;
	build(&b, false);
	assert_int_equal(r->nclasses, 2);
	assert_int_equal(r->classes[0].jpcert, KS_JPCERT_STEPPING_STONE);
	assert_string_equal(ks_jpcert_label(r->classes[0].jpcert), "踏み台");
	assert_int_equal(r->classes[1].jpcert, KS_JPCERT_INTRUSION);
	assert_string_equal(ks_jpcert_label(r->classes[1].jpcert), "不正侵入");
	/* the scan: srv01 intermediate, the scanned host a target (not
	   ours); srv01 is not a source of its own scan */
	assert_int_equal(r->nsystems, 4);
	assert_int_equal(r->systems[0].role, KS_ROLE_INTERMEDIATE);
	assert_string_equal(r->systems[0].domain, "srv01.ash.or.jp");
	assert_true(r->systems[0].own);
	assert_int_equal(r->systems[1].role, KS_ROLE_TARGET);
	assert_string_equal(r->systems[1].ip, "140.47.242.36");
	assert_string_equal(r->systems[1].country, "US");
	assert_false(r->systems[1].own);
	assert_int_equal(r->systems[2].role, KS_ROLE_SOURCE);
	assert_string_equal(r->systems[2].ip, "192.114.85.56");
	assert_string_equal(r->systems[2].country, "IL");
	assert_int_equal(r->systems[2].asn, 12400);
	assert_string_equal(r->systems[2].as_org, "P");
	assert_int_equal(r->systems[2].tlp, KS_TLP_CLEAR);
	assert_int_equal(r->systems[3].role, KS_ROLE_TARGET);
	assert_int_equal(r->systems[3].port, 23);
	assert_true(r->first_us == 890569740LL * 1000000);
	assert_int_equal(r->first_off, 32400);
	assert_int_equal(r->nexcerpts, 2);
	assert_int_equal(r->excerpts[0].tlp, KS_TLP_AMBER_STRICT);
	assert_int_equal(r->finding_tlp[0], KS_TLP_AMBER_STRICT);
	assert_int_equal(r->nadvice, 1);
	assert_string_equal(r->advice[0], "Adv in");
	assert_int_equal(strncmp(r->id, "sha256:", 7), 0);
	assert_int_equal(strlen(r->id), 71);
	built_free(&b);
}

static void
test_redact(void **state)
{
	struct built b;
	const struct ks_report *r = &b.r;

	(void)state;
	build(&b, true);
	assert_string_equal(r->excerpts[0].text, "[own-host]:1425 "
	    "140.47.242.36:telnet SYN_SENT [account] from [own-address]");
	assert_string_equal(r->excerpts[1].text, "[own-host]:telnet "
	    "192.114.85.56:2349 ESTABLISHED root");
	assert_string_equal(r->systems[0].domain, "[own-host]");
	assert_int_equal(r->nnetworks, 0);
	assert_true(r->redacted);
	built_free(&b);
}

/* An element stricter than the audience never reaches its export. */
static void
test_share(void **state)
{
	static const enum ks_report_format fmts[] = {
		KS_RF_TEXT, KS_RF_MD, KS_RF_HTML, KS_RF_IODEF, KS_RF_XARF,
		KS_RF_JSON,
	};
	struct built b;
	struct ks_buf out;
	struct ks_err err;

	(void)state;
	build(&b, false);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(*fmts); i++) {
		ks_buf_init(&out);
		assert_int_equal(ks_report_write(&out, &b.r, fmts[i],
		    KS_TLP_CLEAR, &err), 0);
		ks_buf_addc(&out, '\0');
		assert_null(strstr(out.p, "ESTABLISHED"));
		assert_null(strstr(out.p, "140.47.242.36"));
		assert_null(strstr(out.p, "sec@ash.or.jp"));
		if (fmts[i] == KS_RF_IODEF)
			assert_non_null(strstr(out.p, "restriction=\"public\""));
		else if (fmts[i] != KS_RF_XARF)
			assert_non_null(strstr(out.p, "CLEAR"));
		/* XARF needs the contact's address, which is GREEN */
		if (fmts[i] == KS_RF_XARF)
			assert_int_equal(out.len, 1);
		else
			assert_non_null(strstr(out.p, "192.114.85.56"));
		ks_buf_free(&out);
		ks_buf_init(&out);
		assert_int_equal(ks_report_write(&out, &b.r, fmts[i],
		    KS_TLP_RED, &err), 0);
		ks_buf_addc(&out, '\0');
		assert_non_null(strstr(out.p, fmts[i] == KS_RF_XARF ?
		    "\"SourceIp\":\"192.114.85.56\"" : "140.47.242.36"));
		ks_buf_free(&out);
	}
	built_free(&b);
}

/* The hub's way: a model by hand, written as JSON and IODEF. */
static void
test_by_hand(void **state)
{
	struct ks_report r;
	struct ks_system s = {
		.role = KS_ROLE_SOURCE, .ip = "192.168.100.1", .port = 0,
		.tlp = KS_TLP_CLEAR,
	};
	static const char sha[65] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	struct ks_buf b;
	struct ks_err err;

	(void)state;
	ks_report_init(&r);
	assert_true(ks_report_set(&r.site, "bsite"));
	assert_true(ks_report_set(&r.contact_email, "sec@b.example"));
	assert_true(ks_report_set(&r.language, "ja"));
	assert_true(ks_report_set(&r.version, "0.1.0"));
	strcpy(r.id, "sha256:x");
	r.tlp = KS_TLP_CLEAR;
	r.contact_tlp = KS_TLP_CLEAR;
	r.request = KS_REQ_CONTACT_SOURCE;
	assert_true(ks_report_add_class(&r, "information-gathering", "scanner",
	    KS_JPCERT_SCAN));
	assert_true(ks_report_add_system(&r, &s));
	assert_true(ks_report_add_excerpt(&r, "messages", 2, NULL,
	    "Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1",
	    KS_TLP_CLEAR));
	assert_true(ks_report_add_input(&r, "messages", sha));
	ks_buf_init(&b);
	ks_report_json(&b, &r, KS_TLP_RED);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, "{\"kansatsu_report\":1,\"id\":\"sha256:x\","
	    "\"generated\":\"1970-01-01T00:00:00+00:00\",\"generator\":{\"name\":"
	    "\"kansatsu\",\"version\":\"0.1.0\",\"host\":null},\"reporter\":"
	    "{\"site\":\"bsite\",\"contact\":{\"email\":\"sec@b.example\",\"tlp\":"
	    "\"CLEAR\"},\"networks\":[],\"domains\":[]},\"language\":\"ja\","
	    "\"tlp\":\"CLEAR\",\"classification\":[{\"taxonomy\":"
	    "\"information-gathering\",\"type\":\"scanner\",\"jpcert\":"
	    "\"スキャン\"}],\"first_seen\":null,\"last_seen\":null,\"clock\":"
	    "{\"synchronised\":null,\"timezone\":null},\"discovery\":null,"
	    "\"request\":[\"contact-source\"],\"systems\":[{\"role\":\"source\","
	    "\"ip\":\"192.168.100.1\",\"tlp\":\"CLEAR\",\"own\":false}],"
	    "\"findings\":[],\"excerpts\":[{\"path\":\"messages\",\"line\":2,"
	    "\"text\":\"Jun 23 12:34:00 bsite telnetd[12]: connect from "
	    "192.168.100.1\",\"tlp\":\"CLEAR\"}],\"advice\":[],\"inputs\":"
	    "[{\"path\":\"messages\",\"sha256\":\"" "0000000000000000000000000000"
	    "000000000000000000000000000000000000\"}],\"redacted\":false}\n");
	ks_buf_reset(&b);
	assert_int_equal(ks_report_iodef(&b, &r, KS_TLP_RED, &err), 0);
	ks_buf_addc(&b, '\0');
	assert_non_null(strstr(b.p, "<IncidentID name=\"bsite\">sha256:x"
	    "</IncidentID>"));
	assert_non_null(strstr(b.p, "<System category=\"source\" "
	    "restriction=\"public\">"));
	assert_non_null(strstr(b.p, "<Address category=\"ipv4-addr\">"
	    "192.168.100.1</Address>"));
	assert_non_null(strstr(b.p, "<Expectation action=\"contact-source-site\">"));
	assert_non_null(strstr(b.p, "<IncidentCategory xml:lang=\"ja\">スキャン"
	    "</IncidentCategory>"));
	ks_buf_free(&b);
	ks_report_free(&r);
}

/* Log text cannot become markup or a terminal control. */
static void
test_escaping(void **state)
{
	struct ks_report r;
	struct ks_buf b;
	struct ks_err err;

	(void)state;
	ks_report_init(&r);
	strcpy(r.id, "sha256:x");
	assert_true(ks_report_add_excerpt(&r, "<b>", 1, NULL,
	    "<script>alert(1)</script>\x1b[31m\"'&", KS_TLP_CLEAR));
	ks_buf_init(&b);
	ks_report_html(&b, &r, KS_TLP_RED);
	ks_buf_addc(&b, '\0');
	assert_null(strstr(b.p, "<script"));
	assert_null(strstr(b.p, "<b>"));
	assert_null(strchr(b.p, '\x1b'));
	assert_non_null(strstr(b.p, "&lt;script&gt;alert(1)&lt;/script&gt;"
	    "\\e[31m&quot;&#39;&amp;"));
	ks_buf_reset(&b);
	ks_report_text(&b, &r, KS_TLP_RED, false);
	ks_buf_addc(&b, '\0');
	assert_null(strchr(b.p, '\x1b'));
	assert_non_null(strstr(b.p, "<script>alert(1)</script>\\e[31m"));
	ks_buf_reset(&b);
	assert_int_equal(ks_report_iodef(&b, &r, KS_TLP_RED, &err), 0);
	ks_buf_addc(&b, '\0');
	assert_null(strchr(b.p, '\x1b'));
	assert_non_null(strstr(b.p, "&lt;script&gt;"));
	ks_buf_free(&b);
	ks_report_free(&r);
}

static void
test_vocabularies(void **state)
{
	unsigned req = 0;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_tlp_parse("amber+strict"), KS_TLP_AMBER_STRICT);
	assert_int_equal(ks_tlp_parse("WHITE"), KS_TLP_CLEAR);
	assert_int_equal(ks_tlp_parse("orange"), -1);
	assert_int_equal(ks_tlp_parse(NULL), -1);
	assert_int_equal(ks_role_parse("intermediate"), KS_ROLE_INTERMEDIATE);
	assert_int_equal(ks_role_parse("attacker"), -1);
	assert_string_equal(ks_tlp_name(KS_TLP_RED), "RED");
	assert_int_equal(ks_request_parse("block,nothing", &req, &err), 0);
	assert_int_equal(req, KS_REQ_BLOCK | KS_REQ_NOTHING);
	assert_int_equal(ks_request_parse("block,,x", &req, &err), -1);
	assert_int_equal(ks_jpcert_of("information-gathering", "scanner",
	    false, false), KS_JPCERT_SCAN);
	assert_int_equal(ks_jpcert_of("abusive-content", "spam", false, false),
	    KS_JPCERT_MAIL_RELAY);
	assert_int_equal(ks_jpcert_of("information-content-security",
	    "unauthorised-information-modification", false, true),
	    KS_JPCERT_DEFACEMENT);
	assert_int_equal(ks_jpcert_of("information-content-security",
	    "unauthorised-information-modification", false, false),
	    KS_JPCERT_OTHER);
	assert_int_equal(ks_jpcert_of("availability", "dos", false, false),
	    KS_JPCERT_DOS);
	assert_int_equal(ks_report_format_parse("iodef"), KS_RF_IODEF);
	assert_int_equal(ks_report_format_parse("pdf"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_nested_and_flat),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_build_roles),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_vocabularies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
