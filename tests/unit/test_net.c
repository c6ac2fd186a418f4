/*
 * test_net.c - the socket code below the command: address tokens of
 * every form, one row of each listing layout, the /proc/net line parsers,
 * the host-name helpers, the scan threshold, and on this machine the live
 * reading (a listener of our own, with our PID) and the hidden-port test
 * (a listener that a copied /proc/net leaves out).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "net/net_int.h"

/* An address token parsed, and marked as netstat's columns would cut it. */
static struct ks_endpoint
ep(const char *tok, enum ks_addr_form form, bool ok)
{
	struct ks_endpoint e;
	struct ks_str t = ks_str_make(tok, strlen(tok));

	assert_int_equal(ks_endpoint_parse(&e, t, form, false), ok);
	if (ok)
		ks_endpoint_width(&e, t, form);
	return e;
}

static void
test_endpoints(void **state)
{
	struct ks_endpoint e;

	(void)state;
	e = ep("casino16.arl.mi:telnet", KS_AF_COLON, true);
	assert_string_equal(e.host, "casino16.arl.mi");
	assert_int_equal(e.port, 23);
	assert_string_equal(e.service, "telnet");
	assert_true(e.cut);
	assert_false(e.is_ip);
	e = ep("srv01.ash.or.jp:1432", KS_AF_COLON, true);
	assert_false(e.cut);
	assert_int_equal(e.port, 1432);
	e = ep("0.0.0.0:*", KS_AF_COLON, true);
	assert_string_equal(e.host, "");
	assert_int_equal(e.port, -1);
	e = ep(":::22", KS_AF_COLON, true);
	assert_string_equal(e.host, "");
	assert_int_equal(e.port, 22);
	e = ep("[::ffff:192.0.2.1]:8080", KS_AF_COLON, true);
	assert_string_equal(e.host, "::ffff:192.0.2.1");
	assert_true(e.is_ip);
	e = ep("127.0.0.53%lo:53", KS_AF_COLON, true);
	assert_string_equal(e.host, "127.0.0.53");
	e = ep("192.168.1.5.22", KS_AF_DOT, true);
	assert_string_equal(e.host, "192.168.1.5");
	assert_int_equal(e.port, 22);
	e = ep("*.*", KS_AF_DOT, true);
	assert_string_equal(e.host, "");
	assert_int_equal(e.port, -1);
	e = ep("averyveryverylon.ssh", KS_AF_DOT, true);
	assert_true(e.cut);
	e = ep("*:www", KS_AF_COLON, true);
	assert_int_equal(e.port, 80);
	e = ep("host:nosuchservice", KS_AF_COLON, true);
	assert_int_equal(e.port, -1);
	assert_string_equal(e.service, "nosuchservice");
	ep("noport", KS_AF_COLON, false);
	ep("host:", KS_AF_COLON, false);
	ep("a\x01b:22", KS_AF_COLON, false);
	assert_int_equal(ks_addr_form_of(ks_str_make("::1.22", 6)), KS_AF_DOT);
	assert_int_equal(ks_addr_form_of(ks_str_make("a.b:1", 5)), KS_AF_COLON);
}

static void
test_states(void **state)
{
	enum ks_sock_state st;

	(void)state;
	assert_true(ks_state_parse(ks_str_make("SYN-SENT", 8), &st));
	assert_int_equal(st, KS_ST_SYN_SENT);
	assert_true(ks_state_parse(ks_str_make("(LISTEN)", 8), &st));
	assert_int_equal(st, KS_ST_LISTEN);
	assert_true(ks_state_parse(ks_str_make("FIN_WAIT_1", 10), &st));
	assert_int_equal(st, KS_ST_FIN_WAIT1);
	assert_true(ks_state_parse(ks_str_make("Idle", 4), &st));
	assert_int_equal(st, KS_ST_NONE);
	assert_false(ks_state_parse(ks_str_make("root", 4), &st));
}

/* The one socket of a listing text (asserting exactly one, no unknown). */
static struct ks_sock
one(const char *text, enum ks_net_format f)
{
	struct ks_net_table t;
	struct ks_net_parser p;
	struct ks_sock s;
	const char *line = text, *nl;
	uint64_t no = 0;

	ks_net_table_init(&t, "test");
	ks_net_parser_init(&p, &t, f);
	for (; *line != '\0'; line = nl + (*nl != '\0')) {
		nl = line + strcspn(line, "\n");
		assert_int_equal(ks_net_parse_line(&p, line,
		    (size_t)(nl - line), ++no), 0);
	}
	assert_int_equal(t.unknown, 0);
	assert_int_equal(t.n, 1);
	s = t.v[0];
	ks_net_table_free(&t);
	return s;
}

static void
test_rows(void **state)
{
	struct ks_sock s;

	(void)state;
	s = one("srv01> netstat\ntcp 0 2 srv01.ash.or.jp:1432 "
	    "cb02.arl.mil:telnet SYN_SENT root", KS_NF_AUTO);
	assert_int_equal(s.kind, KS_SOCK_TCP);
	assert_int_equal(s.state, KS_ST_SYN_SENT);
	assert_string_equal(s.remote.host, "cb02.arl.mil");
	assert_int_equal(s.remote.port, 23);
	assert_string_equal(s.user, "root");
	assert_int_equal(s.line, 2);
	s = one("raw 0 0 *:icmp *:* 7 \xe2\x80\x93", KS_NF_NETSTAT);
	assert_int_equal(s.kind, KS_SOCK_RAW);
	assert_int_equal(s.protocol, 1);
	assert_int_equal(s.pid, -1);
	s = one("Active UNIX domain sockets (only servers)\nProto RefCnt Flags "
	    "Type State I-Node PID/Program name Path\nunix 0 [ ACC ] STREAM "
	    "LISTENING 410 447/postmaster /tmp/a b", KS_NF_AUTO);
	assert_int_equal(s.kind, KS_SOCK_UNIX);
	assert_int_equal(s.state, KS_ST_LISTEN);
	assert_int_equal(s.inode, 410);
	assert_int_equal(s.pid, 447);
	assert_string_equal(s.program, "postmaster");
	assert_string_equal(s.path, "/tmp/a b");
	s = one("tcp LISTEN 0 5 0.0.0.0:31337 0.0.0.0:* "
	    "users:((\"bind shell\",pid=4242,fd=3)) uid:1000 ino:99", KS_NF_SS);
	assert_int_equal(s.pid, 4242);
	assert_string_equal(s.program, "bind shell");
	assert_string_equal(s.user, "1000");
	assert_int_equal(s.inode, 99);
	s = one("ESTAB 0 0 [2001:db8::1]:22 [2001:db8::2]:5000", KS_NF_AUTO);
	assert_true(s.v6);
	assert_int_equal(s.state, KS_ST_ESTABLISHED);
	s = one("sshd 661 root 4u IPv4 665 TCP school:ssh->192.168.0.27:62603 "
	    "(ESTABLISHED)", KS_NF_LSOF);
	assert_string_equal(s.local.host, "school");
	assert_string_equal(s.remote.host, "192.168.0.27");
	assert_int_equal(s.remote.port, 62603);
	assert_int_equal(s.pid, 661);
	s = one("TCP: IPv4\n192.168.5.20.23 192.114.85.56.1047 8760 0 24820 0 "
	    "ESTABLISHED", KS_NF_BSD);
	assert_string_equal(s.remote.host, "192.114.85.56");
	assert_int_equal(s.local.port, 23);
	s = one("UDP: IPv4\n      *.sunrpc                Idle", KS_NF_BSD);
	assert_int_equal(s.kind, KS_SOCK_UDP);
	assert_int_equal(s.local.port, 111);
	s = one("Active UNIX domain sockets\nfffff80003b5e000 stream 0 0 "
	    "fffff800039e4760 0 0 0 /var/run/devd.pipe", KS_NF_BSD);
	assert_string_equal(s.path, "/var/run/devd.pipe");
}

static void
test_forced_format(void **state)
{
	struct ks_net_table t;
	struct ks_net_parser p;
	const char *l = "tcp4 0 0 192.0.2.1.22 *.* LISTEN";

	(void)state;
	ks_net_table_init(&t, "t");
	ks_net_parser_init(&p, &t, KS_NF_NETSTAT);
	ks_net_parse_line(&p, l, strlen(l), 1);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.unknown, 1);
	ks_net_parser_init(&p, &t, KS_NF_BSD);
	ks_net_parse_line(&p, l, strlen(l), 2);
	assert_int_equal(t.n, 1);
	ks_net_table_free(&t);
}

/* A line naming UNIX or Internet is a section title only when titled. */
static void
test_titles(void **state)
{
	const char *lines[] = {
		"UNIX and the Internet are fine",
		"Active Internet connections (w/o servers)",
		"Proto Recv-Q Send-Q Local Address Foreign Address (state)",
		"Aktive Sockets in der UNIX-Dom\xc3\xa4ne (Server und stehende)",
		"unix 2 [ ] DGRAM 17000 /dev/log",
	};
	struct ks_net_table t;
	struct ks_net_parser p;

	(void)state;
	ks_net_table_init(&t, "t");
	ks_net_parser_init(&p, &t, KS_NF_AUTO);
	for (size_t i = 0; i < 5; i++)
		ks_net_parse_line(&p, lines[i], strlen(lines[i]), i + 1);
	assert_int_equal(t.unknown, 1);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].path, "/dev/log");
	ks_net_table_free(&t);
}

static void
test_proc_lines(void **state)
{
	struct ks_sock s;

	(void)state;
	assert_true(ks_net_proc_inet_line("  0: 0100007F:0277 00000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 12345 1 "
	    "0000000000000000 100 0 0 10 0", KS_SOCK_TCP, false, &s));
	assert_string_equal(s.local.host, "127.0.0.1");
	assert_int_equal(s.local.port, 631);
	assert_int_equal(s.state, KS_ST_LISTEN);
	assert_string_equal(s.remote.host, "");
	assert_int_equal(s.inode, 12345);
	assert_string_equal(s.user, "0");
	assert_true(ks_net_proc_inet_line("  1: 00000000000000000000000001000000:"
	    "0016 0000000000000000FFFF0000385572C0:0929 01 00000000:00000000 "
	    "00:00000000 00000000  1000        0 777 1", KS_SOCK_TCP, true, &s));
	assert_string_equal(s.local.host, "::1");
	assert_string_equal(s.remote.host, "192.114.85.56");
	assert_int_equal(s.remote.port, 2345);
	assert_int_equal(s.state, KS_ST_ESTABLISHED);
	assert_true(ks_net_proc_inet_line("  2: 00000000:0006 00000000:0000 07 "
	    "00000000:00000000 00:00000000 00000000 0 0 555 2", KS_SOCK_RAW,
	    false, &s));
	assert_int_equal(s.protocol, 6);
	assert_false(ks_net_proc_inet_line("  0: 0100007F:0277", KS_SOCK_TCP,
	    false, &s));
	assert_true(ks_net_proc_unix_line("0000000000000000: 00000002 00000000 "
	    "00010000 0001 01 13254 /run/systemd/private", &s));
	assert_int_equal(s.state, KS_ST_LISTEN);
	assert_string_equal(s.path, "/run/systemd/private");
	assert_true(ks_net_proc_packet_line("ffff8a0e4a2b8000 3      3    0003   "
	    "2     1 0      0      23456", &s));
	assert_int_equal(s.protocol, 3);
	assert_int_equal(s.inode, 23456);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ks_name_parent("srv01.ash.or.jp"), "ash.or.jp");
	assert_null(ks_name_parent("school"));
	assert_true(ks_name_in_domain("pc27.ash.or.jp", false, "ash.or.jp"));
	assert_false(ks_name_in_domain("pc27.mash.or.jp", false, "ash.or.jp"));
	assert_true(ks_name_in_domain("pc27.ash.or.", true, "ash.or.jp"));
	assert_false(ks_name_in_domain("pc27.ash.or.", false, "ash.or.jp"));
	assert_true(ks_name_in_domain("casino16.arl.mi", true, "arl.mil"));
	assert_false(ks_name_in_domain("verylonghostname.", true, "arl.mil"));
	assert_string_equal(ks_domain_official("arl.mil"), "US military");
	assert_string_equal(ks_domain_official("nasa.gov"), "US government");
	assert_string_equal(ks_domain_official("soumu.go.jp"), "government");
	assert_null(ks_domain_official("ash.or.jp"));
	assert_true(ks_name_dialup("d195.pop135-2.isr"));
	assert_true(ks_name_dialup("ppp-12.example.net"));
	assert_false(ks_name_dialup("pc27.ash.or.jp"));
	assert_false(ks_name_dialup("popular.example.com"));
}

/* Findings of a listing text, by rule id, joined with spaces. */
static void
analyze_text(const char *text, const struct ks_net_opts *o, char *ids,
    size_t n)
{
	struct ks_net_table t;
	struct ks_net_parser p;
	struct ks_findings fs;
	struct ks_err err;
	const char *line = text, *nl;

	ks_net_table_init(&t, "test");
	ks_net_parser_init(&p, &t, KS_NF_AUTO);
	for (; *line != '\0'; line = nl + (*nl != '\0')) {
		nl = line + strcspn(line, "\n");
		ks_net_parse_line(&p, line, (size_t)(nl - line), 1);
	}
	ks_findings_init(&fs);
	assert_int_equal(ks_net_analyze(&t, o, &fs, &err), 0);
	ids[0] = '\0';
	for (size_t i = 0; i < fs.n; i++)
		snprintf(ids + strlen(ids), n - strlen(ids), "%s%s",
		    i ? " " : "", fs.v[i]->rule->id);
	ks_findings_free(&fs);
	ks_net_table_free(&t);
}

static const char four_ssh[] =
	"tcp 0 1 192.0.2.1:40001 198.18.0.1:22 SYN_SENT\n"
	"tcp 0 1 192.0.2.1:40002 198.18.0.2:22 SYN_SENT\n"
	"tcp 0 1 192.0.2.1:40003 198.18.0.3:22 SYN_SENT\n"
	"tcp 0 1 192.0.2.1:40004 198.18.0.4:22 SYN_SENT\n";

static void
test_fanout(void **state)
{
	struct ks_net_opts o = { .host = "h" };
	char ids[512], text[4096];

	(void)state;
	analyze_text(four_ssh, &o, ids, sizeof(ids));
	assert_string_equal(ids, "");
	o.fanout = 4;
	analyze_text(four_ssh, &o, ids, sizeof(ids));
	assert_string_equal(ids, "net-outbound-scan");
	/* web clients: 5 hosts in TIME_WAIT on 443 is a browser, no scan */
	o.fanout = 0;
	text[0] = '\0';
	for (int i = 1; i <= 6; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "tcp 0 0 192.0.2.1:4000%d 198.18.0.%d:443 TIME_WAIT\n", i, i);
	analyze_text(text, &o, ids, sizeof(ids));
	assert_string_equal(ids, "");
}

static bool
known_31337(void *ctx, const char *proto, unsigned port, const char *prog)
{
	(void)ctx;
	return strcmp(proto, "tcp") == 0 && port == 31337 &&
	    strcmp(prog, "bindshell") == 0;
}

static void
test_known_predicate(void **state)
{
	const char *l = "tcp 0 0 0.0.0.0:31337 0.0.0.0:* LISTEN 4242/bindshell\n"
	    "tcp 0 0 0.0.0.0:8007 0.0.0.0:* LISTEN 99/other\n"
	    "tcp 0 0 127.0.0.1:9999 0.0.0.0:* LISTEN 98/local\n";
	struct ks_net_opts o = { .host = "h" };
	char ids[512];

	(void)state;
	analyze_text(l, &o, ids, sizeof(ids));
	assert_string_equal(ids, "net-listener-unusual net-listener-unusual");
	o.known = known_31337;
	analyze_text(l, &o, ids, sizeof(ids));
	assert_string_equal(ids, "net-listener-unusual");
}

static bool
fake_resolve(void *ctx, const char *name, char *ip, size_t n)
{
	int *calls = ctx;

	++*calls;
	if (strcmp(name, "pc1.example.org") != 0)
		return false;
	snprintf(ip, n, "192.114.85.56");
	return true;
}

/* --resolve: complete remote names get an address; cut ones are not asked. */
static void
test_resolve(void **state)
{
	const char *l[] = {
		"tcp 0 0 h.example.net:23 pc1.example.org:4000 ESTABLISHED",
		"tcp 0 0 h.example.net:23 pc2.example.or.jp:4001 ESTABLISHED",
	};
	struct ks_net_table t;
	struct ks_net_parser p;
	struct ks_net_opts o = { .host = "h", .resolve = fake_resolve };
	struct ks_findings fs;
	struct ks_err err;
	int calls = 0;

	(void)state;
	o.resolve_ctx = &calls;
	ks_net_table_init(&t, "test");
	ks_net_parser_init(&p, &t, KS_NF_AUTO);
	for (size_t i = 0; i < 2; i++)
		ks_net_parse_line(&p, l[i], strlen(l[i]), i + 1);
	assert_true(t.v[1].remote.cut);
	ks_findings_init(&fs);
	assert_int_equal(ks_net_analyze(&t, &o, &fs, &err), 0);
	assert_int_equal(fs.n, 2);
	assert_int_equal(calls, 1);
	assert_string_equal(fs.v[0]->field[KS_F_SOURCE_DOMAIN], "pc1.example.org");
	assert_string_equal(fs.v[0]->field[KS_F_SOURCE_IP], "192.114.85.56");
	assert_null(fs.v[1]->field[KS_F_SOURCE_IP]);
	ks_findings_free(&fs);
	ks_net_table_free(&t);
}

/* 600 parties from outside: 500 findings, and one that counts the rest. */
static void
test_bounded(void **state)
{
	struct ks_net_table t;
	struct ks_net_parser p;
	struct ks_net_opts o = { .host = "h" };
	struct ks_findings fs;
	struct ks_err err;
	char line[128];
	uint64_t counted = 0;
	size_t more = 0;

	(void)state;
	ks_net_table_init(&t, "test");
	ks_net_parser_init(&p, &t, KS_NF_AUTO);
	for (int i = 0; i < 600; i++) {
		snprintf(line, sizeof(line), "tcp 0 0 192.0.2.1:23 "
		    "172.32.%d.%d:4000 ESTABLISHED", i / 250, i % 250 + 1);
		assert_int_equal(ks_net_parse_line(&p, line, strlen(line),
		    (uint64_t)i + 1), 0);
	}
	ks_findings_init(&fs);
	assert_int_equal(ks_net_analyze(&t, &o, &fs, &err), 0);
	assert_int_equal(fs.n, 501);
	for (size_t i = 0; i < fs.n; i++) {
		const char *m = ks_finding_get_attr(fs.v[i], "message");

		assert_string_equal(fs.v[i]->rule->id, "net-login-outside");
		counted += fs.v[i]->count;
		if (strncmp(m, "more than 500", 13) == 0) {
			more++;
			assert_int_equal(fs.v[i]->count, 100);
			assert_int_equal(fs.v[i]->nev, KS_EVIDENCE_MAX);
		}
	}
	assert_int_equal(more, 1);
	assert_int_equal(counted, 600);
	ks_findings_free(&fs);
	ks_net_table_free(&t);
}

/* A TCP listener of our own on an ephemeral port of all addresses. */
static int
listener(int *port)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void
test_live_read(void **state)
{
	struct ks_net_table t;
	struct ks_net_live_stats st;
	struct ks_err err;
	bool seen = false;
	int port, fd = listener(&port);

	(void)state;
	ks_net_table_init(&t, "/proc");
	assert_int_equal(ks_net_read_proc(&t, "/proc", &st, &err), 0);
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].kind == KS_SOCK_TCP && t.v[i].local.port == port &&
		    t.v[i].state == KS_ST_LISTEN) {
			seen = true;
			assert_int_equal(t.v[i].pid, getpid());
			assert_string_equal(t.v[i].program, "test_net");
		}
	assert_true(seen);
	ks_net_table_free(&t);
	close(fd);
}

static bool
known_port(void *ctx, const char *proto, unsigned port, const char *prog)
{
	return strcmp(proto, "tcp") == 0 && port == *(unsigned *)ctx &&
	    strcmp(prog, "test_net") == 0;
}

/* The finding of rule for port in fs, or NULL. */
static const struct ks_finding *
finding_for(const struct ks_findings *fs, const char *rule, int port)
{
	char p[16];

	snprintf(p, sizeof(p), "%d", port);
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i]->rule->id, rule) == 0 &&
		    fs->v[i]->field[KS_F_DESTINATION_PORT] != NULL &&
		    strcmp(fs->v[i]->field[KS_F_DESTINATION_PORT], p) == 0)
			return fs->v[i];
	return NULL;
}

/* The API host triage calls: our listener found, then known. */
static void
test_live_checks(void **state)
{
	struct ks_net_opts o = { .when_us = 1700000000LL * 1000000 };
	struct ks_net_live_stats st;
	struct ks_findings fs;
	struct ks_err err;
	const struct ks_finding *fd;
	char host[256] = "", pid[24];
	int port, lfd = listener(&port);
	unsigned uport = (unsigned)port;

	(void)state;
	gethostname(host, sizeof(host) - 1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ks_findings_init(&fs);
	assert_int_equal(ks_net_live_checks(NULL, &o, &fs, &st, &err), 0);
	assert_true(st.sockets > 0);
	assert_non_null(fd = finding_for(&fs, "net-listener-unusual", port));
	assert_string_equal(fd->host, host);
	assert_string_equal(ks_finding_get_attr(fd, "process.pid"), pid);
	assert_string_equal(ks_finding_get_attr(fd, "process.name"), "test_net");
	assert_null(finding_for(&fs, "net-hidden-port", port));
	ks_findings_free(&fs);
	o.known = known_port;
	o.known_ctx = &uport;
	ks_findings_init(&fs);
	assert_int_equal(ks_net_live_checks("/proc", &o, &fs, NULL, &err), 0);
	assert_null(finding_for(&fs, "net-listener-unusual", port));
	ks_findings_free(&fs);
	close(lfd);
}

/* Copies /proc/net/NAME to dir/net/NAME without the lines of port. */
static void
copy_without(const char *dir, const char *name, int port)
{
	char path[512], line[1024], hex[16];
	FILE *in, *out;

	snprintf(path, sizeof(path), "/proc/net/%s", name);
	assert_non_null(in = fopen(path, "r"));
	snprintf(path, sizeof(path), "%s/net/%s", dir, name);
	assert_non_null(out = fopen(path, "w"));
	snprintf(hex, sizeof(hex), ":%04X ", port);
	while (fgets(line, sizeof(line), in) != NULL)
		if (strstr(line, hex) == NULL)
			fputs(line, out);
	fclose(in);
	fclose(out);
}

static void
test_hidden_port(void **state)
{
	char dir[] = "/tmp/ks-test-net.XXXXXX", path[512];
	struct ks_net_hidden h;
	struct ks_err err;
	bool found = false;
	int port, fd = listener(&port);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/net", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	copy_without(dir, "tcp", port);
	copy_without(dir, "tcp6", port);
	assert_int_equal(ks_net_hidden_ports(dir, &h, &err), 0);
	for (size_t i = 0; i < h.ntcp; i++)
		found |= h.tcp[i] == (unsigned)port;
	assert_true(found);
	/* the real tables show it: not hidden */
	assert_int_equal(ks_net_hidden_ports("/proc", &h, &err), 0);
	for (size_t i = 0; i < h.ntcp; i++)
		assert_int_not_equal(h.tcp[i], port);
	close(fd);
	snprintf(path, sizeof(path), "%s/net/tcp", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/net/tcp6", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/net", dir);
	rmdir(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_forced_format),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_proc_lines),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_fanout),
		cmocka_unit_test(test_known_predicate),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_live_read),
		cmocka_unit_test(test_live_checks),
		cmocka_unit_test(test_hidden_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
