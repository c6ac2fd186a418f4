/*
 * test_detect.c - Sigma rules: every modifier and condition form, with
 * events that must match and events that must not, and the load errors a
 * rule author must see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detect.h"
#include "detect/ruleset_int.h"

static struct ks_rule *
load(const char *yaml)
{
	struct ks_rule *r;
	struct ks_err err;

	if (ks_rule_parse(&r, "test.yml", yaml, strlen(yaml), &err) < 0)
		fail_msg("rule did not load: %s", err.msg);
	return r;
}

static void
load_fails(const char *yaml, const char *want)
{
	struct ks_rule *r;
	struct ks_err err;

	assert_int_equal(ks_rule_parse(&r, "test.yml", yaml, strlen(yaml),
	    &err), -1);
	assert_null(r);
	if (strstr(err.msg, want) == NULL)
		fail_msg("error '%s' does not say '%s'", err.msg, want);
}

/* An sshd event with a message and decoded ip/user/action. */
static void
mk(struct ks_event *ev, struct ks_fields *f, const char *msg, const char *ip,
    const char *user, const char *action)
{
	memset(ev, 0, sizeof(*ev));
	ev->program = ks_str_make("sshd", 4);
	ev->host = ks_str_make("school", 6);
	ev->message = ks_str_make(msg, strlen(msg));
	ev->pid = 548;
	ev->path = "/var/log/messages";
	ks_fields_reset(f);
	if (ip)
		ks_fields_set(f, KS_F_SOURCE_IP, ip, strlen(ip));
	if (user)
		ks_fields_set(f, KS_F_USER_NAME, user, strlen(user));
	if (action)
		ks_fields_set(f, KS_F_EVENT_ACTION, action, strlen(action));
}

static bool
matches(const struct ks_rule *r, const char *msg, const char *ip,
    const char *user, const char *action)
{
	struct ks_event ev;
	struct ks_fields f;

	mk(&ev, &f, msg, ip, user, action);
	return ks_rule_match(r, &ev, &f);
}

static void
test_info(void **state)
{
	struct ks_rule *r = load(
	    "title: SSH password guessing\n"
	    "id: ssh-failed\n"
	    "level: medium\n"
	    "kansatsu:\n"
	    "  taxonomy: intrusion-attempts\n"
	    "  type: brute-force\n"
	    "  outcome: attempt\n"
	    "  advice: Block the source.\n"
	    "detection:\n"
	    "  sel:\n"
	    "    event.action: logon-failed\n"
	    "  condition: sel\n");
	const struct ks_rule_info *in = ks_rule_info(r);

	(void)state;
	assert_string_equal(in->id, "ssh-failed");
	assert_string_equal(in->title, "SSH password guessing");
	assert_string_equal(in->severity, "medium");
	assert_string_equal(in->taxonomy, "intrusion-attempts");
	assert_string_equal(in->type, "brute-force");
	assert_string_equal(in->outcome, "attempt");
	assert_string_equal(in->advice, "Block the source.");
	assert_null(in->name);
	assert_true(matches(r, "x", NULL, NULL, "logon-failed"));
	assert_false(matches(r, "x", NULL, NULL, "logon"));
	assert_false(matches(r, "x", NULL, NULL, NULL));
	ks_rule_free(r);
}

/* One rule with a selection per modifier; cond picks the one to test. */
static struct ks_rule *
modifier_rule(const char *cond)
{
	char y[1024];

	snprintf(y, sizeof(y),
	    "title: t\nlevel: low\n"
	    "detection:\n"
	    "  c:\n    message|contains: 'etc/PASSWD'\n"
	    "  s:\n    message|startswith: from=\n"
	    "  e:\n    message|endswith: stat=Sent\n"
	    "  a:\n    message|contains|all: [rhosts, root]\n"
	    "  w:\n    user.name: 'r?o*'\n"
	    "  k:\n    user.name|cased: ROOT\n"
	    "  x:\n    message|re: '^[0-9]{3} '\n"
	    "  n:\n    source.ip|cidr: [192.168.0.0/16, '2001:db8::/32']\n"
	    "  z:\n    user.name: null\n"
	    "  lit:\n    message: 'a\\*b'\n"
	    "  condition: %s\n", cond);
	return load(y);
}

static void
test_modifiers(void **state)
{
	const char *conds[] = { "c", "s", "e", "a", "w", "k", "x", "n", "z",
	    "lit" };
	struct ks_rule *rs[10];

	(void)state;
	for (int i = 0; i < 10; i++)
		rs[i] = modifier_rule(conds[i]);
	/* contains, case-insensitive by default */
	assert_true(matches(rs[0], "to=|/bin/mail x < /etc/passwd", 0, 0, 0));
	assert_false(matches(rs[0], "to=bob", 0, 0, 0));
	assert_true(matches(rs[1], "FROM=<bin>", 0, 0, 0));
	assert_false(matches(rs[1], " from=<bin>", 0, 0, 0));
	assert_true(matches(rs[2], "mailer=prog, stat=Sent", 0, 0, 0));
	assert_false(matches(rs[2], "stat=Sent (ok)", 0, 0, 0));
	/* all: every value somewhere */
	assert_true(matches(rs[3], "to=/root/.rhosts", 0, 0, 0));
	assert_false(matches(rs[3], "to=/home/x/.rhosts", 0, 0, 0));
	/* wildcards in a plain value */
	assert_true(matches(rs[4], "x", 0, "ROOT", 0));
	assert_true(matches(rs[4], "x", 0, "rzo", 0));
	assert_false(matches(rs[4], "x", 0, "admin", 0));
	/* cased */
	assert_true(matches(rs[5], "x", 0, "ROOT", 0));
	assert_false(matches(rs[5], "x", 0, "root", 0));
	/* re, case-sensitive */
	assert_true(matches(rs[6], "550 relaying denied", 0, 0, 0));
	assert_false(matches(rs[6], "5500 x", 0, 0, 0));
	/* cidr, IPv4 and IPv6 */
	assert_true(matches(rs[7], "x", "192.168.100.1", 0, 0));
	assert_true(matches(rs[7], "x", "2001:db8::5", 0, 0));
	assert_false(matches(rs[7], "x", "192.169.0.1", 0, 0));
	assert_false(matches(rs[7], "x", "not-an-ip", 0, 0));
	assert_false(matches(rs[7], "x", NULL, 0, 0));
	/* null: absent */
	assert_true(matches(rs[8], "x", 0, NULL, 0));
	assert_false(matches(rs[8], "x", 0, "root", 0));
	/* an escaped '*' is a literal star */
	assert_true(matches(rs[9], "a*b", 0, 0, 0));
	assert_false(matches(rs[9], "axxb", 0, 0, 0));
	for (int i = 0; i < 10; i++)
		ks_rule_free(rs[i]);
}

static void
test_conditions(void **state)
{
	struct ks_rule *r = load(
	    "title: t\nlevel: high\n"
	    "detection:\n"
	    "  sel_fail:\n    event.action: logon-failed\n"
	    "  sel_root:\n    user.name: root\n"
	    "  filter_lan:\n    source.ip|cidr: 10.0.0.0/8\n"
	    "  keywords:\n    - 'POSSIBLE BREAK-IN'\n    - 'Illegal user'\n"
	    "  condition: (all of sel_* and not filter_lan) or keywords\n");
	struct ks_rule *them = load(
	    "title: t\nlevel: high\n"
	    "detection:\n"
	    "  a:\n    user.name: root\n"
	    "  b:\n    - event.action: logon\n    - event.action: su\n"
	    "  _helper:\n    user.name: nobody\n"
	    "  condition:\n    - all of them\n    - 1 of _h*\n");

	(void)state;
	assert_true(matches(r, "x", "192.0.2.1", "root", "logon-failed"));
	assert_false(matches(r, "x", "10.1.2.3", "root", "logon-failed"));
	assert_false(matches(r, "x", "192.0.2.1", "mity", "logon-failed"));
	assert_true(matches(r, "reverse mapping ... POSSIBLE BREAK-IN ATTEMPT!",
	    "10.1.2.3", "mity", "logon"));
	assert_true(matches(r, "illegal USER x", 0, 0, 0));
	/* them leaves out _helper; a list of conditions is their or */
	assert_true(matches(them, "x", 0, "root", "su"));
	assert_true(matches(them, "x", 0, "nobody", 0));
	assert_false(matches(them, "x", 0, "root", "logon-failed"));
	ks_rule_free(r);
	ks_rule_free(them);
}

static void
test_event_fields(void **state)
{
	struct ks_rule *r = load(
	    "title: t\nlevel: info\n"
	    "detection:\n"
	    "  s:\n    process.name: sshd\n    process.pid: 548\n"
	    "    host.name: school\n    log.file.path|endswith: /messages\n"
	    "  condition: s\n");

	(void)state;
	assert_true(matches(r, "x", 0, 0, 0));
	ks_rule_free(r);
}

static void
test_errors(void **state)
{
	(void)state;
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    source.addr: x\n"
	    "  condition: s\n", "unknown field 'source.addr'");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message|sounds: x\n"
	    "  condition: s\n", "unknown modifier 'sounds'");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: s and\n", "condition ends too early");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: s or t\n", "'t' is not a search identifier");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: (s\n", "missing ')'");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: s | count() > 5\n", "correlation rule");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message|re: '(x'\n"
	    "  condition: s\n", "regular expression '(x'");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n"
	    "    source.ip|cidr: 10.0.0.0/33\n  condition: s\n", "is not a network");
	load_fails("level: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: s\n", "no title");
	load_fails("title: t\nlevel: severe\ndetection:\n  s:\n    message: x\n"
	    "  condition: s\n", "level must be");
	load_fails("title: t\nlevel: low\n", "no detection block");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n",
	    "no condition");
	load_fails("title: [unclosed\n", "test.yml:");
	load_fails("title: t\nlevel: low\ncorrelation:\n  type: event_count\n"
	    "  rules: [x]\n  timespan: 1m\n  condition:\n    gte: 2\n",
	    "correlation rule, not a detection rule");
	load_fails("title: t\nlevel: low\ndetection:\n  s:\n    message: x\n"
	    "  condition: 1 of nothing*\n", "names no search identifier");
}

static void
test_glob(void **state)
{
	char big[70000];

	(void)state;
	assert_true(ks_glob_match("*a*b*c*", 7, "xxaxxbxxc", 9, false));
	assert_false(ks_glob_match("*a*b*c*", 7, "xxaxxcxxb", 9, false));
	assert_true(ks_glob_match("", 0, "", 0, false));
	assert_false(ks_glob_match("", 0, "x", 1, false));
	assert_true(ks_glob_match("*", 1, "", 0, false));
	assert_true(ks_glob_match("a\\\\b", 4, "a\\b", 3, false));
	/* a hostile line against a many-star pattern stays fast */
	memset(big, 'a', sizeof(big));
	assert_false(ks_glob_match("*a*a*a*a*a*b", 12, big, sizeof(big), false));
}

/*
 * A regex is tried only on a message holding one of the bytes PCRE2 says
 * a match can start with, and as long as its shortest match: each case
 * here is asked directly and through the prefilter's path, and must give
 * what PCRE2 alone gives.
 */
static void
test_gates(void **state)
{
	static const struct {
		const char *re, *msg;
		bool want;
	} cases[] = {
		{ "(?i)abc", "xxABCxx", true },
		{ "(?i)abc", "xxabx", false },
		{ "[xy]z{2}", "ayzz", true },
		{ "[xy]z{2}", "azz", false },
		{ ".{5}", "1234", false },
		{ ".{5}", "12345", true },
		{ "^ab", "abc", true },
		{ "^ab", "cab", false },
		{ "a?b", "b", true },
		{ "a?b", "c", false },
		{ "\\x01{2}", "x\x01\x01", true },
		{ "\\x01{2}", "x\x01", false },
		{ "\xc3\xa9", "caf\xc3\xa9", true },
		{ "(%[0-9.]*[xnsp]){3}", "%8x%8x%n", true },
		{ "(%[0-9.]*[xnsp]){3}", "100% sure", false },
		{ "[^\\x20-\\x7e]{2}", "ab", false },
		{ "[^\\x20-\\x7e]{2}", "a\x80\x81", true },
		{ "[acegikmoqsuwy]b", "xyb", true },
		{ "[acegikmoqsuwy]b", "xzb", false },
	};
	char y[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ks_rule *r;
		struct ks_event ev;
		struct ks_fields f;
		struct ks_pfscan ps;

		snprintf(y, sizeof(y), "title: t\nlevel: low\ndetection:\n"
		    "  x:\n    message|re: '%s'\n  condition: x\n", cases[i].re);
		r = load(y);
		mk(&ev, &f, cases[i].msg, NULL, NULL, NULL);
		if (ks_rule_match(r, &ev, &f) != cases[i].want)
			fail_msg("'%s' on '%s'", cases[i].re, cases[i].msg);
		assert_int_equal(ks_pfscan_init(&ps, NULL, NULL), 0);
		if (ks_rule_match_pf(r, &ev, &f, &ps) != cases[i].want)
			fail_msg("'%s' on '%s' (byte table)", cases[i].re,
			    cases[i].msg);
		ks_pfscan_free(&ps);
		ks_rule_free(r);
	}
}

/*
 * A gate reads the subject sixteen bytes at a time, the last block
 * overlapping the one before and a short subject padded: a start byte
 * at every position of subjects of every length up to 40 must open it.
 */
static void
test_gate_positions(void **state)
{
	static const char *const res[] = { "%[0-9]*x", "\\x01\\x02",
	    "[\\x01-\\x08\\x0e-\\x1f]" };
	static const char *const needles[] = { "%x", "\x01\x02", "\x1f" };
	char y[256], msg[48];

	(void)state;
	for (size_t k = 0; k < sizeof(res) / sizeof(*res); k++) {
		struct ks_rule *r;
		size_t nl = strlen(needles[k]);

		snprintf(y, sizeof(y), "title: t\nlevel: low\ndetection:\n"
		    "  x:\n    message|re: '%s'\n  condition: x\n", res[k]);
		r = load(y);
		for (size_t n = nl; n <= 40; n++)
			for (size_t at = 0; at <= n; at++) {
				struct ks_event ev;
				struct ks_fields f;
				bool want = at + nl <= n;

				memset(msg, 'a', n);
				if (want)
					memcpy(msg + at, needles[k], nl);
				msg[n] = '\0';
				mk(&ev, &f, msg, NULL, NULL, NULL);
				if (ks_rule_match(r, &ev, &f) != want)
					fail_msg("'%s': %zu bytes, at %zu",
					    res[k], n, at);
			}
		ks_rule_free(r);
	}
}

/* The naive caseless substring test contains must agree with. */
static bool
naive_contains(const char *s, const char *t)
{
	size_t n = strlen(s), m = strlen(t);

	for (size_t i = 0; i + m <= n; i++) {
		size_t j;

		for (j = 0; j < m; j++) {
			char c = s[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c | 0x20);
			if (c != t[j])
				break;
		}
		if (j == m)
			return true;
	}
	return false;
}

/*
 * contains on a field (not the message, which Vectorscan answers) finds
 * its first byte in either case by memchr: generated values over a small
 * alphabet, a letter and a non-letter start, against the naive search.
 */
static void
test_contains_field(void **state)
{
	static const char *const needles[] = { "abca", "/b", "a" };
	static const char alpha[] = "abcABC/";
	char y[256], user[24];

	(void)state;
	for (size_t k = 0; k < sizeof(needles) / sizeof(*needles); k++) {
		struct ks_rule *r;

		snprintf(y, sizeof(y), "title: t\nlevel: low\ndetection:\n"
		    "  x:\n    user.name|contains: '%s'\n  condition: x\n",
		    needles[k]);
		r = load(y);
		for (uint32_t seed = (uint32_t)k + 1, i = 0; i < 20000; i++) {
			size_t len;

			seed = seed * 1103515245u + 12345u;
			len = 1 + (seed >> 16) % (sizeof(user) - 1);
			for (size_t j = 0; j < len; j++) {
				seed = seed * 1103515245u + 12345u;
				user[j] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
			}
			user[len] = '\0';
			if (matches(r, "x", NULL, user, NULL) !=
			    naive_contains(user, needles[k]))
				fail_msg("'%s' in '%s'", needles[k], user);
		}
		ks_rule_free(r);
	}
}

/*
 * A selection that is a list of regexes on one field is first asked
 * through the union of their gates: what opens any one of them must open
 * the union, whether by a start byte or by length alone.
 */
static void
test_selection_gate(void **state)
{
	static const char rule[] =
	    "title: t\nlevel: low\ndetection:\n  x:\n"
	    "    - message|re: '(\\^[@A-Z]){4}'\n"
	    "    - message|re: '(#[0-3][0-7][0-7]){4}'\n"
	    "    - message|re: '[\\x01-\\x08\\x0e-\\x1f]{4}'\n"
	    "    - message|re: '(%[0-9.]*[xnsp]){3}'\n"
	    "    - message|re: '.{300}'\n"
	    "  condition: x\n";
	static const char full[] =
	    "title: t\nlevel: low\ndetection:\n  x:\n"
	    "    - message|re: '[\\x00-\\x7f]{5}'\n"
	    "    - message|re: '[\\x80-\\xff]{2}'\n"
	    "  condition: x\n";
	static const struct {
		const char *msg;
		bool want;
	} cases[] = {
		{ "user ^X^A^B^C", true },
		{ "user ^X^A^B", false },
		{ "a#001#002#003#004", true },
		{ "\x01\x02\x03\x04", true },
		{ "\x01\x02 \x03\x04", false },
		{ "%8x%8x%n", true },
		{ "100% sure, 50% x", false },
		{ "an ordinary line from sshd", false },
	};
	struct ks_event ev;
	struct ks_fields f;
	struct ks_rule *r = load(rule);
	char big[400];

	(void)state;
	assert_non_null(r->sels[0].gate);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		mk(&ev, &f, cases[i].msg, NULL, NULL, NULL);
		if (ks_rule_match(r, &ev, &f) != cases[i].want)
			fail_msg("'%s'", cases[i].msg);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mk(&ev, &f, big, NULL, NULL, NULL);
	assert_true(ks_rule_match(r, &ev, &f));
	big[299] = '\0';
	mk(&ev, &f, big, NULL, NULL, NULL);
	assert_false(ks_rule_match(r, &ev, &f));
	ks_rule_free(r);

	/* start bytes that together are every byte: length alone tells */
	r = load(full);
	mk(&ev, &f, "abcd", NULL, NULL, NULL);
	assert_false(ks_rule_match(r, &ev, &f));
	mk(&ev, &f, "abcde", NULL, NULL, NULL);
	assert_true(ks_rule_match(r, &ev, &f));
	mk(&ev, &f, "a\xc3\xa9", NULL, NULL, NULL);
	assert_true(ks_rule_match(r, &ev, &f));
	ks_rule_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_event_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_gate_positions),
		cmocka_unit_test(test_selection_gate),
		cmocka_unit_test(test_contains_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
