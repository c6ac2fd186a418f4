/*
 * test_hub_model.c - the hub's model without a database: addresses and
 * networks normalised, times, TLP and categories, the warninglist, and
 * the four readers on small documents (disclosure per element, roles,
 * the reporter's networks), and the streamed reader of findings JSONL
 * member by member, with the lines it must refuse as jansson does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hub/hub_int.h"

static void
cidr_is(const char *in, const char *want)
{
	unsigned char lo[16], hi[16];
	char canon[64];

	assert_int_equal(ks_hub_cidr_range(in, lo, hi, canon, sizeof(canon)), 0);
	assert_string_equal(canon, want);
}

static void
test_addresses(void **state)
{
	unsigned char ip[16], lo[16], hi[16], key[17];
	char text[64];

	(void)state;
	assert_int_equal(ks_ip_parse("192.168.100.1", ip), 0);
	ks_addr_format(ip, text);
	assert_string_equal(text, "192.168.100.1");
	assert_int_equal(ks_ip_parse("[2001:DB8::0:1]", ip), 0);
	ks_addr_format(ip, text);
	assert_string_equal(text, "2001:db8::1");
	/* IPv4 is written by hand: every width of a part */
	assert_int_equal(ks_ip_parse("0.9.10.255", ip), 0);
	ks_addr_format(ip, text);
	assert_string_equal(text, "0.9.10.255");
	ks_hub_network_of(ip, key, text, sizeof(text));
	assert_string_equal(text, "0.9.10.0/24");
	assert_int_equal(key[16], 120);
	assert_int_equal(ks_ip_parse("100.99.250.1", ip), 0);
	ks_addr_format(ip, text);
	assert_string_equal(text, "100.99.250.1");
	ks_hub_network_of(ip, key, text, 12);
	assert_string_equal(text, "");
	assert_int_equal(ks_ip_parse("2001:db8:1:2::9", ip), 0);
	ks_hub_network_of(ip, key, text, sizeof(text));
	assert_string_equal(text, "2001:db8:1::/48");
	assert_int_equal(ks_ip_parse("192.168.100.256", ip), -1);
	assert_int_equal(ks_ip_parse("", ip), -1);
	cidr_is("192.168.100.7/24", "192.168.100.0/24");
	cidr_is("10.1.2.3", "10.1.2.3/32");
	cidr_is("2001:db8:1::5/48", "2001:db8:1::/48");
	assert_int_equal(ks_hub_cidr_range("10.0.0.0/33", lo, hi, text, 64), -1);
	assert_int_equal(ks_hub_cidr_range("10.0.0.0/", lo, hi, text, 64), -1);
	assert_int_equal(ks_hub_cidr_range("10.0.0.0/-1", lo, hi, text, 64), -1);
	assert_int_equal(ks_hub_cidr_range("192.168.100.0/24", lo, hi, text, 64), 0);
	assert_int_equal(ks_ip_parse("192.168.100.255", ip), 0);
	assert_true(memcmp(ip, lo, 16) >= 0 && memcmp(ip, hi, 16) <= 0);
	assert_int_equal(ks_ip_parse("192.168.101.0", ip), 0);
	assert_true(memcmp(ip, hi, 16) > 0);
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(ks_tlp_parse("amber+strict"), KS_TLP_AMBER_STRICT);
	assert_int_equal(ks_tlp_parse("WHITE"), KS_TLP_CLEAR);
	assert_int_equal(ks_tlp_parse("purple"), -1);
	assert_string_equal(ks_tlp_name(KS_TLP_GREEN), "GREEN");
	assert_int_equal(ks_cat_from_jpcert("踏み台"), KS_CAT_STEPPING_STONE);
	assert_int_equal(ks_cat_from_jpcert("unknown"), -1);
	assert_int_equal(ks_cat_from_rsit("intrusions", "system-compromise",
	    true), KS_CAT_STEPPING_STONE);
	assert_int_equal(ks_cat_from_rsit("intrusions", "system-compromise",
	    false), KS_CAT_INTRUSION);
	assert_int_equal(ks_cat_from_rsit("abusive-content", "spam", false),
	    KS_CAT_RELAY);
	assert_int_equal(ks_cat_from_rsit("availability", "ddos", false),
	    KS_CAT_DOS);
	assert_int_equal(ks_cat_from_rsit(NULL, NULL, false), KS_CAT_OTHER);
	assert_int_equal(ks_req_parse("contact-source"), KS_REQ_CONTACT_SOURCE);
	assert_int_equal(ks_req_parse("everything"), 0);
}

static void
test_warninglist(void **state)
{
	struct ks_warninglist *w;
	struct ks_err err;
	char path[] = "/tmp/ks-wl-XXXXXX";
	int fd;
	FILE *f;

	(void)state;
	assert_int_equal(ks_warninglist_new(&w, &err), 0);
	assert_string_equal(ks_warninglist_match(w, KS_IND_IP, "10.1.2.3"),
	    "private range");
	assert_true(ks_warninglist_site_local(ks_warninglist_match(w,
	    KS_IND_IP, "192.0.2.9")));
	assert_string_equal(ks_warninglist_match(w, KS_IND_IP, "8.8.8.8"),
	    "public resolver");
	assert_string_equal(ks_warninglist_match(w, KS_IND_NETWORK,
	    "8.8.8.0/24"), "public resolver");
	assert_string_equal(ks_warninglist_match(w, KS_IND_DOMAIN,
	    "a.b.shodan.io"), "research scanner");
	assert_null(ks_warninglist_match(w, KS_IND_DOMAIN, "notshodan.io"));
	assert_null(ks_warninglist_match(w, KS_IND_IP, "11.0.0.1"));
	assert_null(ks_warninglist_match(w, KS_IND_AS, "64500"));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# ours\n11.0.0.0/8   lab\t\nexample.org\n", f);
	fclose(f);
	assert_int_equal(ks_warninglist_load(w, path, &err), 0);
	assert_string_equal(ks_warninglist_match(w, KS_IND_IP, "11.0.0.1"),
	    "lab");
	assert_string_equal(ks_warninglist_match(w, KS_IND_DOMAIN,
	    "www.example.org"), "local warninglist");
	f = fopen(path, "w");
	fputs("bad!value reason\n", f);
	fclose(f);
	assert_int_equal(ks_warninglist_load(w, path, &err), -1);
	assert_non_null(strstr(err.msg, ":1: "));
	unlink(path);
	ks_warninglist_free(w);
}

static const struct ks_hub_indicator *
find(const struct ks_hub_report *r, enum ks_ind k, enum ks_role role,
    const char *value)
{
	for (size_t i = 0; i < r->nind; i++)
		if (r->ind[i].kind == k && r->ind[i].role == role &&
		    strcmp(r->ind[i].value, value) == 0)
			return &r->ind[i];
	return NULL;
}

static void
test_report_json(void **state)
{
	static const char doc[] = "{\"kansatsu_report\":1,"
	    "\"generated\":\"1999-06-24T09:00:00+09:00\","
	    "\"reporter\":{\"site\":\"asite\",\"contact\":{\"email\":"
	    "\"s@a.example\",\"tlp\":\"RED\"},\"networks\":[\"192.168.100.9/24\"]},"
	    "\"tlp\":\"AMBER\",\"classification\":[{\"taxonomy\":\"intrusions\","
	    "\"type\":\"system-compromise\",\"jpcert\":\"踏み台\"}],"
	    "\"systems\":[{\"role\":\"intermediate\",\"ip\":\"192.168.100.1\","
	    "\"tlp\":\"GREEN\"},{\"role\":\"nobody\"}],"
	    "\"excerpts\":[{\"path\":\"m\",\"line\":3,\"text\":\"x\"}],"
	    "\"findings\":[{\"rule\":\"r\",\"title\":\"t\",\"severity\":\"high\","
	    "\"source\":{\"ip\":\"bad\"},\"user\":{\"name\":\"root\"}}]}";
	struct ks_hub_report r;
	struct ks_err err;

	(void)state;
	ks_hub_report_init(&r);
	assert_int_equal(ks_hub_parse(&r, doc, sizeof(doc) - 1, NULL, &err), 0);
	assert_string_equal(r.format, "kansatsu-report");
	assert_int_equal(r.cat, KS_CAT_STEPPING_STONE);
	assert_int_equal(r.reporter.nnetworks, 1);
	assert_string_equal(r.reporter.networks[0], "192.168.100.0/24");
	assert_int_equal(r.reporter.contact_tlp, KS_TLP_RED);
	assert_int_equal(r.reported_off, 9 * 3600);
	assert_non_null(find(&r, KS_IND_IP, KS_ROLE_INTERMEDIATE,
	    "192.168.100.1"));
	assert_int_equal(find(&r, KS_IND_IP, KS_ROLE_INTERMEDIATE,
	    "192.168.100.1")->tlp, KS_TLP_GREEN);
	assert_non_null(find(&r, KS_IND_NETWORK, KS_ROLE_INTERMEDIATE,
	    "192.168.100.0/24"));
	assert_non_null(find(&r, KS_IND_ACCOUNT, KS_ROLE_TARGET, "root@asite"));
	assert_int_equal(r.bad_values, 1);      /* "bad" */
	assert_int_equal(r.unparsed, 1);        /* role "nobody" */
	assert_int_equal(r.nfindings, 1);
	for (size_t i = 0; i < r.nel; i++)
		if (r.el[i].kind == KS_EL_EXCERPT) {
			assert_int_equal(r.el[i].tlp, KS_TLP_AMBER);
			assert_string_equal(r.el[i].title, "m:3");
		}
	ks_hub_report_free(&r);
}

static void
test_iodef(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\"?>"
	    "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">"
	    "<Incident purpose=\"mitigation\">"
	    "<IncidentID name=\"csite\">1</IncidentID>"
	    "<ReportTime>2026-01-02T03:04:05Z</ReportTime>"
	    "<Contact role=\"creator\" type=\"organization\" restriction=\"public\">"
	    "<ContactName>C</ContactName><Email><EmailTo>c@c.example</EmailTo></Email></Contact>"
	    "<EventData restriction=\"partner\"><Flow>"
	    "<System category=\"source\"><Node><Address category=\"ipv4-addr\">"
	    "203.0.113.5</Address><Address category=\"asn\">64500</Address>"
	    "</Node></System>"
	    "<System category=\"target\"><Node><Address category=\"ipv4-net\">"
	    "198.51.100.0/25</Address><DomainData><Name>www.c.example</Name>"
	    "</DomainData></Node><Service><Port>80</Port></Service></System>"
	    "</Flow>"
	    "<Record restriction=\"ext-value\" ext-restriction=\"amber-strict\">"
	    "<RecordData><RecordItem dtype=\"string\">line 1\nline 2</RecordItem>"
	    "</RecordData></Record></EventData></Incident></IODEF-Document>";
	static const char *const systems[] = {
		"{\"role\":\"source\",\"own\":false,\"ip\":\"203.0.113.5\","
		    "\"as\":{\"number\":64500}}",
		"{\"role\":\"target\",\"own\":true,\"domain\":\"www.c.example\","
		    "\"port\":80}",
	};
	struct ks_hub_report r;
	struct ks_err err;
	size_t excerpts = 0, nsys = 0;

	(void)state;
	ks_hub_report_init(&r);
	assert_int_equal(ks_hub_parse(&r, doc, sizeof(doc) - 1, NULL, &err), 0);
	assert_string_equal(r.format, "iodef");
	assert_string_equal(r.reporter.site, "csite");
	assert_string_equal(r.reporter.organisation, "C");
	assert_int_equal(r.reporter.contact_tlp, KS_TLP_CLEAR);
	assert_int_equal(r.tlp, KS_TLP_RED);     /* RFC 7970: private */
	assert_int_equal(r.request, KS_REQ_INVESTIGATE);
	assert_int_equal(find(&r, KS_IND_IP, KS_ROLE_SOURCE,
	    "203.0.113.5")->tlp, KS_TLP_GREEN);
	assert_int_equal(r.reporter.nnetworks, 1);
	assert_string_equal(r.reporter.networks[0], "198.51.100.0/25");
	for (size_t i = 0; i < r.nel; i++)
		if (r.el[i].kind == KS_EL_EXCERPT) {
			excerpts++;
			assert_int_equal(r.el[i].tlp, KS_TLP_AMBER_STRICT);
		} else if (r.el[i].kind == KS_EL_SYSTEM) {
			/* the report model's system object, as JSON reports */
			assert_true(nsys < 2);
			assert_string_equal(r.el[i].body, systems[nsys]);
			nsys++;
		}
	assert_int_equal(excerpts, 2);
	assert_int_equal(nsys, 2);
	ks_hub_report_free(&r);
}

static void
test_xarf(void **state)
{
	static const char doc[] = "{\"Version\":\"3\",\"ReporterInfo\":{"
	    "\"ReporterOrg\":\"Honeypots\",\"ReporterOrgEmail\":\"r@h.example\"},"
	    "\"Disclosure\":true,\"Report\":{\"ReportClass\":\"Activity\","
	    "\"ReportType\":\"LoginAttack\",\"Date\":\"2024-01-01T15:30:00Z\","
	    "\"SourceIp\":\"198.51.100.50\",\"Samples\":[{\"ContentType\":"
	    "\"text/plain\",\"Payload\":\"YQpiYwo=\"}]}}";
	struct ks_hub_report r;
	struct ks_err err;
	const char *want[] = { "a", "bc" };
	size_t k = 0;

	(void)state;
	ks_hub_report_init(&r);
	assert_int_equal(ks_hub_parse(&r, doc, sizeof(doc) - 1, NULL, &err), 0);
	assert_string_equal(r.format, "xarf");
	assert_string_equal(r.reporter.site, "Honeypots");
	assert_int_equal(r.tlp, KS_TLP_CLEAR);
	assert_string_equal(r.taxonomy, "intrusion-attempts");
	assert_int_equal(r.cat, KS_CAT_SCAN);
	for (size_t i = 0; i < r.nel; i++)
		if (r.el[i].kind == KS_EL_EXCERPT)
			assert_string_equal(r.el[i].body, want[k++]);
	assert_int_equal(k, 2);
	ks_hub_report_free(&r);
}

static void
test_findings_and_profile(void **state)
{
	static const char prof[] = "site: dsite\ncontact:\n  email: d@d.example\n"
	    "  tlp: green\nnetworks: [2001:db8:5::/48]\ntlp: amber+strict\n"
	    "request: [block, investigate]\nlanguage: ja\n";
	static const char lines[] = "{\"rule\":\"r\",\"title\":\"t\","
	    "\"severity\":\"low\",\"source.ip\":\"2001:db8:9::1\","
	    "\"source.as.number\":64500}\n\n[1]\n{\"title\":\"no rule\"}\n";
	struct ks_hub_profile p;
	struct ks_hub_report r;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_hub_profile_parse(&p, prof, sizeof(prof) - 1,
	    &err), 0);
	assert_int_equal(p.tlp, KS_TLP_AMBER_STRICT);
	assert_int_equal(p.contact_tlp, KS_TLP_GREEN);
	assert_int_equal(p.request, KS_REQ_BLOCK | KS_REQ_INVESTIGATE);
	ks_hub_report_init(&r);
	assert_int_equal(ks_hub_parse(&r, lines, sizeof(lines) - 1, &p, &err),
	    0);
	assert_int_equal(r.nfindings, 1);
	assert_int_equal(r.unparsed, 2);
	assert_non_null(find(&r, KS_IND_NETWORK, KS_ROLE_SOURCE,
	    "2001:db8:9::/48"));
	assert_non_null(find(&r, KS_IND_AS, KS_ROLE_SOURCE, "64500"));
	assert_int_equal(find(&r, KS_IND_AS, KS_ROLE_SOURCE, "64500")->tlp,
	    KS_TLP_AMBER_STRICT);
	ks_hub_report_free(&r);
	ks_hub_profile_free(&p);
	assert_int_equal(ks_hub_profile_parse(&p, "site: x\n", 8, &err), -1);
	assert_string_equal(err.msg, "profile: contact.email is required");
	assert_int_equal(ks_hub_profile_parse(&p, "site: [x\n", 9, &err), -1);
}

/* One line through the streamed reader: its result, its members in f. */
static int
read_line(struct ks_hub_jsonl *p, const char *line, struct ks_hub_fields *f)
{
	return ks_hub_jsonl_read(p, line, strlen(line), f);
}

/* n nested arrays inside a finding, innermost empty. */
static char *
deep_finding(size_t n)
{
	static const char head[] = "{\"rule\":\"r\",\"title\":\"t\",\"x\":";
	char *s = malloc(sizeof(head) + 2 * n + 1);

	assert_non_null(s);
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, '[', n);
	memset(s + sizeof(head) - 1 + n, ']', n);
	strcpy(s + sizeof(head) - 1 + 2 * n, "}");
	return s;
}

static void
test_findings_stream(void **state)
{
	static const char *const refused[] = {
		"{\"rule\":\"r\",\"title\":\"t\",\"title\":\"u\"}",
		"{\"rule\":\"r\",\"title\":\"t\",\"s\":{\"a\":1,\"\\u0061\":2}}",
		"{\"rule\":\"r\",\"title\":\"\\ud800\"}",
		"{\"rule\":\"r\",\"title\":\"\\ud800\\u0041\"}",
		"{\"rule\":\"r\",\"title\":\"\\udc00\"}",
		"{\"rule\":\"r\",\"title\":\"a\\u0000b\"}",
		"{\"rule\":\"r\",\"title\":\"\xc0\x80\"}",
		"{\"rule\":\"r\",\"title\":\"\xed\xa0\x80\"}",
		"{\"rule\":\"r\",\"title\":\"\xf4\x90\x80\x80\"}",
		"{\"rule\":\"r\",\"title\":\"t\",\"count\":1e999}",
		"{\"rule\":\"r\",\"title\":\"t\",\"count\":9223372036854775808}",
		"{\"rule\":\"r\",\"title\":\"t\"}\f",
		"{\"rule\":\"r\",\"title\":\"t\"} {}",
		"{\"rule\":\"r\",\"title\":\"t\"} \"}",
		"{\"rule\":\"r\",\"title\":\"t\"",
		"{\"rule\":\"r\",\"title\":\"t\",}",
		"{\"rule\":\"r\",\"title\":\"t\"} // no comments",
		"[{\"rule\":\"r\",\"title\":\"t\"}]",
		"\"rule\"",
		"",
	};
	struct ks_hub_jsonl *p;
	struct ks_hub_fields f;
	char *line;

	(void)state;
	assert_int_equal(ks_hub_jsonl_new(&p), 0);
	/* nested and flat keys: a flat key wins over the nested one; the
	   members of objects inside arrays are no members of the finding */
	assert_int_equal(read_line(p, "{\"rule\":\"r\",\"title\":\"caf\\u00e9 "
	    "\\ud83d\\ude00 \\\"q\\\" \\\\ \\/\\t\xe6\x97\xa5\",\"tlp\":\"green\","
	    "\"source\":{\"ip\":\"198.51.100.9\",\"as\":{\"number\":-0}},"
	    "\"source.ip\":\"203.0.113.5\",\"count\":7,\"classification\":"
	    "{\"taxonomy\":\"intrusions\",\"type\":null},\"user\":{\"name\":"
	    "\"root\"},\"evidence\":[{\"rule\":\"inner\",\"source.ip\":\"x\"}]}",
	    &f), 1);
	assert_string_equal(f.s[KS_FF_RULE], "r");
	assert_string_equal(f.s[KS_FF_TITLE], "caf\xc3\xa9 \xf0\x9f\x98\x80 "
	    "\"q\" \\ /\t\xe6\x97\xa5");
	assert_string_equal(f.s[KS_FF_TLP], "green");
	assert_string_equal(f.s[KS_FF_SOURCE_IP], "203.0.113.5");
	assert_string_equal(f.s[KS_FF_SOURCE_AS], "0");
	assert_string_equal(f.s[KS_FF_TAXONOMY], "intrusions");
	assert_null(f.s[KS_FF_TYPE]);
	assert_string_equal(f.s[KS_FF_USER], "root");
	assert_null(f.s[KS_FF_DEST_IP]);
	assert_true(f.has_count);
	assert_int_equal(f.count, 7);
	/* a flat key of another type hides the nested one; a real count
	   is no count; source.as.number as text stays text */
	assert_int_equal(read_line(p, "{\"source.as.number\":\"AS64500\","
	    "\"source\":{\"ip\":\"198.51.100.9\",\"as.number\":2},"
	    "\"source.ip\":[],\"count\":3.0}", &f), 1);
	assert_null(f.s[KS_FF_RULE]);
	assert_null(f.s[KS_FF_SOURCE_IP]);
	assert_string_equal(f.s[KS_FF_SOURCE_AS], "AS64500");
	assert_false(f.has_count);
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		assert_int_equal(read_line(p, refused[i], &f), 0);
	/* jansson's depth: 2048 containers, the object included */
	line = deep_finding(KS_HUB_DEPTH_MAX - 1);
	assert_int_equal(read_line(p, line, &f), 1);
	free(line);
	line = deep_finding(KS_HUB_DEPTH_MAX);
	assert_int_equal(read_line(p, line, &f), 0);
	free(line);
	/* a line past the limit, even one that is a finding */
	line = malloc(KS_HUB_LINE_MAX + 64);
	assert_non_null(line);
	strcpy(line, "{\"rule\":\"r\",\"title\":\"");
	memset(line + strlen(line), 'a', KS_HUB_LINE_MAX);
	strcpy(line + KS_HUB_LINE_MAX - 2, "\"}");
	assert_int_equal(read_line(p, line, &f), 1);
	strcpy(line + KS_HUB_LINE_MAX - 1, "\"}");
	assert_int_equal(read_line(p, line, &f), 0);
	free(line);
	ks_hub_jsonl_free(p);
}

static void
test_findings_file(void **state)
{
	static const char prof[] = "site: esite\ncontact:\n  email: e@e.example\n";
	static const char lines[] =
	    "{\"rule\":\"a\",\"title\":\"first\",\"severity\":\"low\","
	    "\"source\":{\"ip\":\"198.51.100.1\"},\"count\":4}\r\n"
	    "not json\n"
	    "{\"rule\":\"b\",\"title\":\"t\",\"title\":\"u\"}\n"
	    "   \n"
	    "{\"title\":\"no rule\"}\n"
	    "{\"rule\":\"c\",\"title\":\"second\",\"severity\":\"high\","
	    "\"classification\":{\"taxonomy\":\"intrusions\"},\"source.ip\":"
	    "\"198.51.100.1\",\"destination\":{\"domain\":\"WWW.Example.\"},"
	    "\"last_seen\":\"2026-01-10T10:05:00+09:00\"}  ";
	struct ks_hub_profile p;
	struct ks_hub_report r;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_hub_profile_parse(&p, prof, sizeof(prof) - 1,
	    &err), 0);
	ks_hub_report_init(&r);
	assert_int_equal(ks_hub_parse(&r, lines, sizeof(lines) - 1, &p, &err),
	    0);
	assert_int_equal(r.nfindings, 2);
	assert_int_equal(r.unparsed, 3);
	assert_int_equal(r.nevents, 5);
	assert_string_equal(r.title, "second");
	assert_string_equal(r.taxonomy, "intrusions");
	assert_int_equal(r.cat, KS_CAT_INTRUSION);
	assert_int_equal(r.reported_off, 9 * 3600);
	/* the contact, then each finding as its line, without \r or spaces */
	assert_int_equal(r.nel, 3);
	assert_int_equal(r.el[1].kind, KS_EL_FINDING);
	assert_null(r.el[1].body);
	assert_string_equal(r.el[1].title, "first");
	assert_int_equal(r.el[1].raw_off, 0);
	assert_int_equal(r.el[1].raw_len, strchr(lines, '\r') - lines);
	assert_int_equal(r.el[2].raw_off, strstr(lines, "{\"rule\":\"c\"") -
	    lines);
	assert_int_equal(r.el[2].raw_off + r.el[2].raw_len,
	    sizeof(lines) - 3);
	/* one address, its network, and the target's name */
	assert_int_equal(r.nind, 3);
	assert_non_null(find(&r, KS_IND_IP, KS_ROLE_SOURCE, "198.51.100.1"));
	assert_non_null(find(&r, KS_IND_NETWORK, KS_ROLE_SOURCE,
	    "198.51.100.0/24"));
	assert_non_null(find(&r, KS_IND_DOMAIN, KS_ROLE_TARGET,
	    "www.example"));
	ks_hub_report_free(&r);
	ks_hub_profile_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_warninglist),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_iodef),
		cmocka_unit_test(test_xarf),
		cmocka_unit_test(test_findings_and_profile),
		cmocka_unit_test(test_findings_stream),
		cmocka_unit_test(test_findings_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
