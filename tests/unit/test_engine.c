/*
 * test_engine.c - the detection engine: matches gathered into findings,
 * the four Sigma correlation types on event time with their windows, the
 * bounded group table, and the findings contract's JSON.
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
#include "report/report.h"

static const char failed_rule[] =
    "title: Failed logon\nid: failed\nlevel: low\n"
    "kansatsu:\n  taxonomy: intrusion-attempts\n  type: brute-force\n"
    "detection:\n  s:\n    event.action: logon-failed\n  condition: s\n";
static const char ok_rule[] =
    "title: Logon\nid: ok\nlevel: info\n"
    "detection:\n  s:\n    event.action: logon\n  condition: s\n";

static struct ks_ruleset *
ruleset(const char *corr)
{
	struct ks_ruleset *rs;
	struct ks_err err;

	assert_int_equal(ks_ruleset_new(&rs, &err), 0);
	assert_int_equal(ks_ruleset_add_text(rs, "failed.yml", failed_rule,
	    strlen(failed_rule), &err), 0);
	assert_int_equal(ks_ruleset_add_text(rs, "ok.yml", ok_rule,
	    strlen(ok_rule), &err), 0);
	if (corr != NULL && ks_ruleset_add_text(rs, "corr.yml", corr,
	    strlen(corr), &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(ks_ruleset_finish(rs, &err), 0);
	return rs;
}

/* Feeds an event at second t from ip with action and user. */
static void
feed(struct ks_engine *e, int64_t t, const char *ip, const char *action,
    const char *user)
{
	struct ks_event ev;
	struct ks_fields f;
	struct ks_err err;
	char line[128];

	snprintf(line, sizeof(line), "%s %s from %s", action, user, ip);
	memset(&ev, 0, sizeof(ev));
	ev.ts_us = t * 1000000;
	ev.utc_off = 9 * 3600;
	ev.host = ks_str_make("school", 6);
	ev.program = ks_str_make("sshd", 4);
	ev.message = ev.raw = ks_str_make(line, strlen(line));
	ev.path = "/var/log/messages";
	ev.line = (uint64_t)t;
	ev.pid = 1;
	ks_fields_reset(&f);
	ks_fields_set(&f, KS_F_SOURCE_IP, ip, strlen(ip));
	ks_fields_set(&f, KS_F_EVENT_ACTION, action, strlen(action));
	ks_fields_set(&f, KS_F_USER_NAME, user, strlen(user));
	assert_int_equal(ks_engine_event(e, &ev, &f, &err), 0);
}

/* A failed logon at second t from source number i, 10.0.0.0 and on. */
static void
feed_failed(struct ks_engine *e, int64_t t, int i)
{
	char ip[32];

	snprintf(ip, sizeof(ip), "10.%d.%d.%d", i >> 16, (i >> 8) & 255,
	    i & 255);
	feed(e, t, ip, "logon-failed", "x");
}

static size_t
findings(struct ks_engine *e, const struct ks_finding *const **fs)
{
	return ks_engine_findings(e, fs);
}

static void
test_aggregation(void **state)
{
	struct ks_ruleset *rs = ruleset(NULL);
	struct ks_engine *e;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	for (int i = 0; i < 25; i++)
		feed(e, 100 + i, "192.0.2.1", "logon-failed", "root");
	feed(e, 200, "192.0.2.2", "logon-failed", "root");
	feed(e, 201, "192.0.2.1", "logon", "mity");
	assert_int_equal(findings(e, &fs), 3);
	/* most severe first: low before info, then by time */
	assert_string_equal(fs[0]->rule->id, "failed");
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "192.0.2.1");
	assert_int_equal(fs[0]->count, 25);
	assert_int_equal(fs[0]->nev, KS_EVIDENCE_MAX);
	assert_int_equal(fs[0]->first_us, 100 * 1000000LL);
	assert_int_equal(fs[0]->last_us, 124 * 1000000LL);
	assert_string_equal(fs[1]->field[KS_F_SOURCE_IP], "192.0.2.2");
	assert_string_equal(fs[2]->rule->id, "ok");
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_per_rule_cap(void **state)
{
	struct ks_ruleset *rs = ruleset(NULL);
	struct ks_engine *e;
	const struct ks_finding *const *fs;
	char ip[32];

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	/* a flood of one rule from 1,100 addresses: 1,000 findings */
	for (int i = 0; i < 1100; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i >> 8, i & 255);
		feed(e, 100 + i, ip, "logon-failed", "root");
	}
	/* another rule still gets its finding */
	feed(e, 5000, "192.0.2.1", "logon", "mity");
	assert_int_equal(findings(e, &fs), 1001);
	assert_int_equal(ks_engine_dropped(e), 100);
	assert_string_equal(fs[1000]->rule->id, "ok");
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_event_count(void **state)
{
	struct ks_ruleset *rs = ruleset(
	    "title: Guessing\nid: guessing\nlevel: high\n"
	    "correlation:\n  type: event_count\n  rules: [failed]\n"
	    "  group-by: [source.ip]\n  timespan: 1m\n"
	    "  condition:\n    gte: 5\n");
	struct ks_engine *e;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	/* four in a minute, then a gap: no finding */
	for (int i = 0; i < 4; i++)
		feed(e, 1000 + i * 10, "192.0.2.1", "logon-failed", "root");
	/* spread out: never five inside one minute */
	for (int i = 0; i < 10; i++)
		feed(e, 2000 + i * 20, "192.0.2.9", "logon-failed", "root");
	assert_int_equal(findings(e, &fs), 0);
	/* five inside a minute from one address, then three more */
	for (int i = 0; i < 8; i++)
		feed(e, 5000 + i * 5, "198.51.100.7", "logon-failed", "admin");
	/* the same count spread over other addresses does not fire */
	for (int i = 0; i < 8; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "203.0.113.%d", i);
		feed(e, 6000 + i, ip, "logon-failed", "admin");
	}
	assert_int_equal(findings(e, &fs), 1);
	assert_string_equal(fs[0]->rule->id, "guessing");
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "198.51.100.7");
	assert_int_equal(fs[0]->count, 8);
	assert_int_equal(fs[0]->first_us, 5000 * 1000000LL);
	assert_int_equal(fs[0]->last_us, 5035 * 1000000LL);
	assert_int_equal(fs[0]->nev, 8);
	/* the base rule is silent: no "failed" finding */
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_value_count(void **state)
{
	struct ks_ruleset *rs = ruleset(
	    "title: Spraying\nid: spray\nlevel: high\n"
	    "correlation:\n  type: value_count\n  rules: failed\n"
	    "  group-by: [source.ip]\n  timespan: 10m\n  generate: true\n"
	    "  condition:\n    field: user.name\n    gte: 3\n");
	struct ks_engine *e;
	const struct ks_finding *const *fs;
	size_t n, spray = 0;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	feed(e, 10, "192.0.2.1", "logon-failed", "root");
	feed(e, 11, "192.0.2.1", "logon-failed", "root");
	feed(e, 12, "192.0.2.1", "logon-failed", "admin");
	feed(e, 13, "192.0.2.1", "logon-failed", "admin");
	n = findings(e, &fs);
	for (size_t i = 0; i < n; i++)
		spray += strcmp(fs[i]->rule->id, "spray") == 0;
	assert_int_equal(spray, 0);
	feed(e, 14, "192.0.2.1", "logon-failed", "guest");
	n = findings(e, &fs);
	/* generate: true keeps the base rule's findings too: one per user */
	assert_int_equal(n, 4);
	assert_string_equal(fs[0]->rule->id, "spray");
	assert_int_equal(fs[0]->count, 5);
	assert_string_equal(fs[1]->rule->id, "failed");
	assert_string_equal(fs[1]->field[KS_F_USER_NAME], "root");
	assert_string_equal(fs[3]->field[KS_F_USER_NAME], "guest");
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_temporal(void **state)
{
	struct ks_ruleset *ord = ruleset(
	    "title: Guessed\nid: guessed\nlevel: critical\n"
	    "correlation:\n  type: temporal_ordered\n  rules: [failed, ok]\n"
	    "  group-by: [source.ip]\n  timespan: 5m\n");
	struct ks_ruleset *any = ruleset(
	    "title: Both\nid: both\nlevel: medium\n"
	    "correlation:\n  type: temporal\n  rules: [failed, ok]\n"
	    "  group-by: [source.ip]\n  timespan: 5m\n");
	struct ks_engine *e, *e2;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, ord, NULL), 0);
	assert_int_equal(ks_engine_new(&e2, any, NULL), 0);
	/* success first, failure after: not ordered, but both */
	feed(e, 100, "192.0.2.1", "logon", "mity");
	feed(e, 110, "192.0.2.1", "logon-failed", "mity");
	feed(e2, 100, "192.0.2.1", "logon", "mity");
	feed(e2, 110, "192.0.2.1", "logon-failed", "mity");
	assert_int_equal(findings(e, &fs), 0);
	assert_int_equal(findings(e2, &fs), 1);
	/* failure then success, inside the span: ordered */
	feed(e, 1000, "192.0.2.5", "logon-failed", "root");
	feed(e, 1200, "192.0.2.5", "logon", "root");
	/* too far apart */
	feed(e, 2000, "192.0.2.6", "logon-failed", "root");
	feed(e, 2400, "192.0.2.6", "logon", "root");
	assert_int_equal(findings(e, &fs), 1);
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "192.0.2.5");
	assert_int_equal(fs[0]->count, 2);
	assert_int_equal(fs[0]->nev, 2);
	ks_engine_free(e);
	ks_engine_free(e2);
	ks_ruleset_free(ord);
	ks_ruleset_free(any);
}

static void
test_unpreceded(void **state)
{
	struct ks_ruleset *rs = ruleset(
	    "title: Success out of nowhere\nid: nowhere\nlevel: medium\n"
	    "correlation:\n  type: unpreceded\n  rules: [failed, ok]\n"
	    "  group-by: [source.ip]\n  timespan: 1m\n");
	struct ks_engine *e;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	/* a failure shortly before: preceded, no finding */
	feed(e, 100, "192.0.2.1", "logon-failed", "a");
	feed(e, 130, "192.0.2.1", "logon", "a");
	/* a failure from another source does not count */
	feed(e, 200, "192.0.2.2", "logon-failed", "a");
	feed(e, 210, "192.0.2.3", "logon", "a");
	/* a failure too long before */
	feed(e, 300, "192.0.2.4", "logon-failed", "a");
	feed(e, 400, "192.0.2.4", "logon", "a");
	/* each unpreceded match stands alone */
	feed(e, 405, "192.0.2.4", "logon", "a");
	assert_int_equal(findings(e, &fs), 3);
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "192.0.2.3");
	assert_string_equal(fs[1]->field[KS_F_SOURCE_IP], "192.0.2.4");
	assert_int_equal(fs[1]->first_us, 400 * 1000000LL);
	assert_int_equal(fs[2]->first_us, 405 * 1000000LL);
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

/* Does the action's dispatch list hold rule i? */
static bool
listed(const struct ks_ruleset *rs, const char *action, size_t i)
{
	size_t n;
	const size_t *v = ks_dispatch_rules(rs, ks_str_make(action,
	    action ? strlen(action) : 0), &n);

	for (size_t k = 0; k < n; k++)
		if (v[k] == i)
			return true;
	return false;
}

static void
test_dispatch(void **state)
{
	static const char *const rules[] = {
		/* 0: one action */
		"title: a\nid: a\nlevel: low\ndetection:\n  s:\n"
		"    event.action: logon-failed\n  condition: s\n",
		/* 1: two actions through or */
		"title: b\nid: b\nlevel: low\ndetection:\n  s:\n"
		"    event.action: su\n  t:\n    event.action: [sudo]\n"
		"  condition: s or t\n",
		/* 2: not: no requirement */
		"title: c\nid: c\nlevel: low\ndetection:\n  s:\n"
		"    event.action: logon\n  condition: not s\n",
		/* 3: a wildcard: no requirement */
		"title: d\nid: d\nlevel: low\ndetection:\n  s:\n"
		"    event.action: 'logon*'\n  condition: s\n",
		/* 4: and: one side's requirement is enough */
		"title: e\nid: e\nlevel: low\ndetection:\n  s:\n"
		"    user.name: root\n  t:\n    event.action: LOGON\n"
		"  condition: s and t\n",
		/* 5: a program requirement only */
		"title: f\nid: f\nlevel: low\ndetection:\n  s:\n"
		"    process.name: [sendmail, sm-mta]\n  condition: s\n",
		/* 6: or with a side without requirement */
		"title: g\nid: g\nlevel: low\ndetection:\n  s:\n"
		"    event.action: su\n  t:\n    user.name: root\n"
		"  condition: 1 of them\n",
	};
	struct ks_ruleset *rs;
	struct ks_err err;

	(void)state;
	assert_int_equal(ks_ruleset_new(&rs, &err), 0);
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		assert_int_equal(ks_ruleset_add_text(rs, "r.yml", rules[i],
		    strlen(rules[i]), &err), 0);
	assert_int_equal(ks_ruleset_finish(rs, &err), 0);
	assert_true(listed(rs, "logon-failed", 0));
	assert_false(listed(rs, "logon", 0));
	assert_false(listed(rs, NULL, 0));
	assert_true(listed(rs, "su", 1));
	assert_true(listed(rs, "sudo", 1));
	assert_false(listed(rs, "logon", 1));
	for (size_t r = 2; r <= 3; r++) {
		assert_true(listed(rs, "logon", r));
		assert_true(listed(rs, "su", r));
		assert_true(listed(rs, "anything", r));
		assert_true(listed(rs, NULL, r));
	}
	/* tests a rule's dispatch makes true are marked, and only those */
	assert_true(rs->rules[0]->sels[0].maps[0].m[0].implied);
	assert_false(rs->rules[1]->sels[0].maps[0].m[0].implied);
	assert_false(rs->rules[1]->sels[1].maps[0].m[0].implied);
	assert_false(rs->rules[2]->sels[0].maps[0].m[0].implied);
	assert_false(rs->rules[3]->sels[0].maps[0].m[0].implied);
	assert_false(rs->rules[4]->sels[0].maps[0].m[0].implied);
	assert_true(rs->rules[4]->sels[1].maps[0].m[0].implied);
	assert_true(rs->rules[5]->sels[0].maps[0].m[0].implied);
	/* values compare without case, as Sigma's matching does */
	assert_true(listed(rs, "logon", 4));
	assert_true(listed(rs, "LOGON", 4));
	assert_false(listed(rs, "su", 4));
	assert_true(listed(rs, NULL, 5));
	assert_true(ks_dispatch_program_ok(rs, 5,
	    ks_dispatch_program_bits(rs, ks_str_make("sm-mta", 6))));
	assert_true(ks_dispatch_program_ok(rs, 5,
	    ks_dispatch_program_bits(rs, ks_str_make("SM-MTA", 6))));
	assert_false(ks_dispatch_program_ok(rs, 5,
	    ks_dispatch_program_bits(rs, ks_str_make("sshd", 4))));
	assert_false(ks_dispatch_program_ok(rs, 5,
	    ks_dispatch_program_bits(rs, ks_str_make("sm-mt", 5))));
	assert_true(ks_dispatch_program_ok(rs, 0,
	    ks_dispatch_program_bits(rs, ks_str_make("sshd", 4))));
	assert_true(listed(rs, "logon", 6));
	assert_true(listed(rs, NULL, 6));
	ks_ruleset_free(rs);
}

/*
 * Process names and actions are looked up in a hashed index: with many
 * names (so that probes collide), each is found in any case, and a name
 * one character off, longer than any, or empty is not.
 */
static void
test_dispatch_index(void **state)
{
	char yaml[4096], name[16];
	size_t off;
	struct ks_ruleset *rs;
	struct ks_err err;

	(void)state;
	off = (size_t)snprintf(yaml, sizeof(yaml), "title: p\nid: p\n"
	    "level: low\ndetection:\n  s:\n    process.name:\n");
	for (int i = 0; i < 60; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
		    "      - daemon%d\n", i);
	snprintf(yaml + off, sizeof(yaml) - off, "  condition: s\n");
	assert_int_equal(ks_ruleset_new(&rs, &err), 0);
	assert_int_equal(ks_ruleset_add_text(rs, "p.yml", yaml, strlen(yaml),
	    &err), 0);
	assert_int_equal(ks_ruleset_finish(rs, &err), 0);
	for (int i = 0; i < 60; i++) {
		int n = snprintf(name, sizeof(name), "daemon%d", i);

		assert_true(ks_dispatch_program_ok(rs, 0,
		    ks_dispatch_program_bits(rs, ks_str_make(name, (size_t)n))));
		name[0] = 'D';
		name[3] = 'M';
		assert_true(ks_dispatch_program_ok(rs, 0,
		    ks_dispatch_program_bits(rs, ks_str_make(name, (size_t)n))));
	}
	assert_null(ks_dispatch_program_bits(rs, ks_str_make("daemon60", 8)));
	assert_null(ks_dispatch_program_bits(rs, ks_str_make("daemon1x", 8)));
	assert_null(ks_dispatch_program_bits(rs, ks_str_make("daemon",
	    6)));
	assert_null(ks_dispatch_program_bits(rs, ks_str_make("daemon100000",
	    12)));
	assert_null(ks_dispatch_program_bits(rs, ks_str_make("", 0)));
	ks_ruleset_free(rs);
}

/* Two failures from one source within an hour. */
static const char guessing_1h[] =
    "title: Guessing\nid: guessing\nlevel: high\n"
    "correlation:\n  type: event_count\n  rules: [failed]\n"
    "  group-by: [source.ip]\n  timespan: 1h\n"
    "  condition:\n    gte: 2\n";

static void
test_bounded_groups(void **state)
{
	struct ks_ruleset *rs = ruleset(guessing_1h);
	struct ks_engine *e;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	/* more distinct sources than the group table holds */
	for (int i = 0; i < 25000; i++) {
		feed_failed(e, 100 + i / 100, i);
	}
	assert_int_equal(ks_engine_evicted(e), 5000);
	/* a source seen early was evicted: its second try starts afresh */
	feed(e, 400, "10.0.0.0", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 0);
	/* a recent one fires */
	feed(e, 400, "10.0.97.167", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 1);
	/* the early source's second try took over an evicted group's slot
	 * and buffers: its finding holds its own lines only */
	feed(e, 401, "10.0.0.0", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 2);
	for (size_t i = 0; i < 2; i++) {
		const struct ks_finding *fd = fs[i];
		bool early = strcmp(fd->field[KS_F_SOURCE_IP], "10.0.0.0") == 0;

		assert_int_equal(fd->count, 2);
		assert_int_equal(fd->nev, 2);
		assert_string_equal(fd->ev[0].text, early ?
		    "logon-failed x from 10.0.0.0" :
		    "logon-failed x from 10.0.97.167");
		assert_string_equal(fd->ev[1].text, early ?
		    "logon-failed x from 10.0.0.0" :
		    "logon-failed x from 10.0.97.167");
		assert_string_equal(fd->ev[1].path, "/var/log/messages");
		assert_int_equal(fd->ev[1].line, early ? 401 : 400);
	}
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

/*
 * Groups whose time is over make room without a notice: a month of
 * one-shot sources, one a second, never fills the table; a source gone
 * for longer than the timespan starts afresh, one within it fires; and
 * events older than the groups held (an older file read after a newer)
 * still correlate with each other.
 */
static void
test_stale_groups(void **state)
{
	struct ks_ruleset *rs = ruleset(guessing_1h);
	struct ks_engine *e;
	const struct ks_finding *const *fs;
	int n;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	for (int i = 0; i < 25000; i++) {
		feed_failed(e, 100 + i, i);
	}
	assert_int_equal(ks_engine_evicted(e), 0);
	assert_int_equal(findings(e, &fs), 0);
	/* seen at 105, long ago */
	feed(e, 25100, "10.0.0.5", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 0);
	/* seen at 24100, within the hour */
	feed(e, 25101, "10.0.93.192", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 1);
	assert_int_equal(fs[0]->count, 2);
	assert_int_equal(fs[0]->ev[0].line, 24100);
	/* an older file: its events find each other (the third finding
	 * is the built-in check's: time ran backwards in the file) */
	feed(e, 50, "192.0.2.1", "logon-failed", "x");
	feed(e, 51, "192.0.2.1", "logon-failed", "x");
	assert_int_equal(findings(e, &fs), 3);
	n = 0;
	for (size_t i = 0; i < 3; i++)
		if (fs[i]->field[KS_F_SOURCE_IP] != NULL &&
		    strcmp(fs[i]->field[KS_F_SOURCE_IP], "192.0.2.1") == 0) {
			assert_int_equal(fs[i]->count, 2);
			n++;
		}
	assert_int_equal(n, 1);
	assert_int_equal(ks_engine_evicted(e), 0);
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

/*
 * A source that keeps trying outlives a flood of one-shot sources that
 * fills the table: a group given an event since its turn last came is
 * passed over, so the flood evicts only its own groups, and the long
 * attack stays one finding with every try counted.
 */
static void
test_busy_group_kept(void **state)
{
	struct ks_ruleset *rs = ruleset(guessing_1h);
	struct ks_engine *e;
	const struct ks_finding *const *fs;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	feed(e, 100, "192.0.2.9", "logon-failed", "x");
	for (int i = 1; i <= 25000; i++) {
		feed_failed(e, 100 + i / 100, i);
		if (i % 2000 == 0)
			feed(e, 100 + i / 100, "192.0.2.9", "logon-failed", "x");
	}
	assert_int_equal(ks_engine_evicted(e), 5001);
	assert_int_equal(findings(e, &fs), 1);
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "192.0.2.9");
	assert_int_equal(fs[0]->count, 13);
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_errors(void **state)
{
	struct ks_ruleset *rs;
	struct ks_err err;
	const char *bad[][2] = {
		{ "title: x\nlevel: low\ncorrelation:\n  type: event_count\n"
		  "  rules: [nope]\n  timespan: 1m\n  condition:\n    gte: 2\n",
		  "names rule 'nope'" },
		{ "title: x\nlevel: low\ncorrelation:\n  type: count\n"
		  "  rules: [failed]\n  timespan: 1m\n", "correlation type" },
		{ "title: x\nlevel: low\ncorrelation:\n  type: event_count\n"
		  "  rules: [failed]\n  timespan: 1y\n  condition:\n    gte: 2\n",
		  "timespan" },
		{ "title: x\nlevel: low\ncorrelation:\n  type: event_count\n"
		  "  rules: [failed]\n  timespan: 1m\n  condition:\n    lt: 2\n",
		  "lt and lte" },
		{ "title: x\nlevel: low\ncorrelation:\n  type: value_count\n"
		  "  rules: [failed]\n  timespan: 1m\n  condition:\n    gte: 2\n",
		  "value_count needs" },
		{ "title: x\nlevel: low\ncorrelation:\n  type: event_count\n"
		  "  rules: [failed]\n  group-by: [source.addr]\n  timespan: 1m\n"
		  "  condition:\n    gte: 2\n", "unknown group-by field" },
		{ "title: x\nid: self\nlevel: low\ncorrelation:\n"
		  "  type: temporal\n  rules: [failed, self]\n  timespan: 1m\n",
		  "cannot name itself" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(ks_ruleset_new(&rs, &err), 0);
		assert_int_equal(ks_ruleset_add_text(rs, "failed.yml",
		    failed_rule, strlen(failed_rule), &err), 0);
		if (ks_ruleset_add_text(rs, "c.yml", bad[i][0],
		    strlen(bad[i][0]), &err) == 0)
			assert_int_equal(ks_ruleset_finish(rs, &err), -1);
		if (strstr(err.msg, bad[i][1]) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg,
			    bad[i][1]);
		ks_ruleset_free(rs);
	}
}

static const char guess_corr[] =
    "title: Guessing\nid: guess\nlevel: high\ncorrelation:\n"
    "  type: event_count\n  rules: [failed]\n"
    "  group-by: [source.ip]\n  timespan: 10m\n"
    "  condition:\n    gte: 3\n";
static const char guessed_corr[] =
    "title: Guessed\nid: guessed\nlevel: critical\ncorrelation:\n"
    "  type: temporal_ordered\n  rules: [guess, ok]\n"
    "  group-by: [source.ip]\n  timespan: 1h\n";
static const char chain3_corr[] =
    "title: Deeper\nid: deeper\nlevel: low\ncorrelation:\n"
    "  type: temporal\n  rules: [guessed, ok]\n  timespan: 1h\n";

/* The test rules plus the correlations texts[0..n), finished. */
static int
chained(struct ks_ruleset **rs, const char *const *texts, size_t n,
    struct ks_err *err)
{
	assert_int_equal(ks_ruleset_new(rs, err), 0);
	assert_int_equal(ks_ruleset_add_text(*rs, "failed.yml", failed_rule,
	    strlen(failed_rule), err), 0);
	assert_int_equal(ks_ruleset_add_text(*rs, "ok.yml", ok_rule,
	    strlen(ok_rule), err), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ks_ruleset_add_text(*rs, "c.yml", texts[i],
		    strlen(texts[i]), err), 0);
	return ks_ruleset_finish(*rs, err);
}

/*
 * A correlation named by another: guessing (3 failures) then a logon
 * from the same address fires the chain; the guessing finding stays,
 * and the logon rule, named without generate, reports nothing alone.
 * Chains deeper than one level are refused.
 */
static void
test_chain(void **state)
{
	const char *two[] = { guess_corr, guessed_corr };
	const char *three[] = { guess_corr, guessed_corr, chain3_corr };
	struct ks_ruleset *rs;
	struct ks_engine *e;
	const struct ks_finding *const *fs;
	struct ks_err err;

	(void)state;
	assert_int_equal(chained(&rs, three, 3, &err), -1);
	assert_non_null(strstr(err.msg, "one level deep"));
	ks_ruleset_free(rs);
	assert_int_equal(chained(&rs, two, 2, &err), 0);
	assert_int_equal(ks_engine_new(&e, rs, &err), 0);
	feed(e, 100, "192.0.2.9", "logon", "joe");        /* before: no */
	feed(e, 101, "198.51.100.1", "logon-failed", "joe");
	feed(e, 102, "198.51.100.1", "logon", "joe");     /* too early */
	for (int t = 110; t < 114; t++)
		feed(e, t, "192.0.2.9", "logon-failed", "root");
	feed(e, 200, "198.51.100.1", "logon", "joe");     /* never guessed */
	feed(e, 300, "192.0.2.9", "logon", "root");
	assert_int_equal(findings(e, &fs), 2);
	assert_string_equal(fs[0]->rule->id, "guessed");
	assert_string_equal(fs[0]->field[KS_F_SOURCE_IP], "192.0.2.9");
	assert_int_equal(fs[0]->last_us, 300 * 1000000LL);
	assert_string_equal(fs[1]->rule->id, "guess");
	assert_int_equal(fs[1]->count, 4);
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

static void
test_json(void **state)
{
	struct ks_ruleset *rs = ruleset(NULL);
	struct ks_engine *e;
	const struct ks_finding *const *fs;
	struct ks_buf b;

	(void)state;
	assert_int_equal(ks_engine_new(&e, rs, NULL), 0);
	feed(e, 890532847, "192.114.85.56", "logon-failed", "r\x1bot");
	assert_int_equal(findings(e, &fs), 1);
	ks_buf_init(&b);
	ks_finding_json(&b, fs[0]);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p,
	    "{\"rule\":\"failed\",\"title\":\"Failed logon\","
	    "\"classification\":{\"taxonomy\":\"intrusion-attempts\","
	    "\"type\":\"brute-force\"},\"severity\":\"low\","
	    "\"host\":{\"name\":\"school\"},"
	    "\"source\":{\"ip\":\"192.114.85.56\"},"
	    "\"user\":{\"name\":\"r\\u001bot\"},"
	    "\"first_seen\":\"1998-03-22T11:14:07+09:00\","
	    "\"last_seen\":\"1998-03-22T11:14:07+09:00\",\"count\":1,"
	    "\"evidence\":[{\"path\":\"/var/log/messages\",\"line\":890532847,"
	    "\"text\":\"logon-failed r\\u001bot from 192.114.85.56\"}]}\n");
	ks_buf_free(&b);
	ks_engine_free(e);
	ks_ruleset_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_per_rule_cap),
		cmocka_unit_test(test_event_count),
		cmocka_unit_test(test_value_count),
		cmocka_unit_test(test_temporal),
		cmocka_unit_test(test_unpreceded),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_dispatch_index),
		cmocka_unit_test(test_bounded_groups),
		cmocka_unit_test(test_stale_groups),
		cmocka_unit_test(test_busy_group_kept),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
