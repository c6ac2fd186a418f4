/*
 * test_geo.c - attribution: the special-purpose ranges answered before the
 * database, what the packaged IPFire database (0~20221029) says of the
 * seed 000 addresses, the cache, and the attributes set on findings.
 * setup.sh installs libloc-database, so its absence fails these tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "geo/geo.h"

static const struct ks_rule_info rule = {
	.id = "t", .title = "t", .severity = "low", .taxonomy = "other",
	.type = "other",
};

static enum ks_geo_scope
scope(const char *s)
{
	struct in6_addr a;

	assert_true(ks_geo_parse(s, &a));
	return ks_geo_scope_of(&a);
}

static void
test_scopes(void **state)
{
	(void)state;
	assert_int_equal(scope("10.1.2.3"), KS_SCOPE_PRIVATE);
	assert_int_equal(scope("172.31.255.255"), KS_SCOPE_PRIVATE);
	assert_int_equal(scope("172.32.0.1"), KS_SCOPE_GLOBAL);
	assert_int_equal(scope("192.168.0.27"), KS_SCOPE_PRIVATE);
	assert_int_equal(scope("127.0.0.1"), KS_SCOPE_LOOPBACK);
	assert_int_equal(scope("100.64.0.1"), KS_SCOPE_SHARED);
	assert_int_equal(scope("100.128.0.1"), KS_SCOPE_GLOBAL);
	assert_int_equal(scope("192.0.2.1"), KS_SCOPE_DOCUMENTATION);
	assert_int_equal(scope("198.51.100.7"), KS_SCOPE_DOCUMENTATION);
	assert_int_equal(scope("203.0.113.9"), KS_SCOPE_DOCUMENTATION);
	assert_int_equal(scope("0.0.0.0"), KS_SCOPE_UNSPECIFIED);
	assert_int_equal(scope("224.0.0.251"), KS_SCOPE_MULTICAST);
	assert_int_equal(scope("255.255.255.255"), KS_SCOPE_RESERVED);
	assert_int_equal(scope("::"), KS_SCOPE_UNSPECIFIED);
	assert_int_equal(scope("::1"), KS_SCOPE_LOOPBACK);
	assert_int_equal(scope("::ffff:10.0.0.1"), KS_SCOPE_PRIVATE);
	assert_int_equal(scope("2001:db8::1"), KS_SCOPE_DOCUMENTATION);
	assert_int_equal(scope("fd00::1"), KS_SCOPE_PRIVATE);
	assert_int_equal(scope("fe80::1"), KS_SCOPE_LINK_LOCAL);
	assert_int_equal(scope("ff02::1"), KS_SCOPE_MULTICAST);
	assert_int_equal(scope("192.114.85.56"), KS_SCOPE_GLOBAL);
	assert_int_equal(scope("2a00:1450::1"), KS_SCOPE_GLOBAL);
	assert_string_equal(ks_geo_scope_name(KS_SCOPE_DOCUMENTATION),
	    "documentation");
}

static void
test_no_database(void **state)
{
	struct ks_geo *g = (struct ks_geo *)1;
	struct ks_geo_info in;
	struct ks_err err;
	struct ks_finding *fd = ks_finding_new(&rule, "h");

	(void)state;
	assert_int_equal(ks_geo_open(&g, "/nonexistent/location.db", &err), -1);
	assert_null(g);
	assert_non_null(strstr(err.msg, "addresses are not attributed"));
	assert_int_equal(ks_geo_open(&g, "/etc/hostname", &err), -1);
	assert_false(ks_geo_lookup(NULL, "not.an.ip", &in));
	assert_true(ks_geo_lookup(NULL, "192.114.85.56", &in));
	assert_false(in.found);
	/* without a database: the label still, attribution not */
	assert_true(ks_finding_set(fd, KS_F_SOURCE_IP, "10.0.0.8", 8));
	assert_true(ks_finding_set(fd, KS_F_DESTINATION_IP, "8.8.8.8", 7));
	assert_true(ks_geo_finding(NULL, fd));
	assert_int_equal(fd->nattr, 1);
	assert_string_equal(ks_finding_get_attr(fd, "source.network.scope"),
	    "private");
	ks_finding_free(fd);
}

static struct ks_geo *
open_db(void)
{
	struct ks_geo *g;
	struct ks_err err;

	assert_int_equal(ks_geo_open(&g, NULL, &err), 0);
	return g;
}

static void
test_seed000_addresses(void **state)
{
	struct ks_geo *g = open_db();
	struct ks_geo_info in;
	struct ks_buf b;

	(void)state;
	assert_true(ks_geo_lookup(g, "192.114.85.56", &in));
	assert_true(in.found);
	assert_string_equal(in.cc, "IL");
	assert_string_equal(in.country, "Israel");
	assert_int_equal(in.asn, 12400);
	assert_string_equal(in.as_name, "Partner Communications Ltd.");
	assert_string_equal(in.cidr, "192.114.84.0/23");
	assert_int_equal(in.flags, 0);
	assert_true(ks_geo_lookup(g, "140.47.242.36", &in));
	assert_string_equal(in.cc, "US");
	assert_int_equal(in.asn, 5831);
	assert_string_equal(in.as_name, "");
	assert_string_equal(in.cidr, "140.47.0.0/16");
	ks_buf_init(&b);
	ks_geo_describe(&b, &in);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, "US United States of America, AS5831, "
	    "network 140.47.0.0/16");
	ks_buf_free(&b);
	/* an anycast network, in the database of that date */
	assert_true(ks_geo_lookup(g, "1.1.1.1", &in));
	assert_int_equal(in.flags, KS_GEO_ANYCAST);
	/* the database holds a covering network; the label wins */
	assert_true(ks_geo_lookup(g, "2001:db8::1", &in));
	assert_int_equal(in.scope, KS_SCOPE_DOCUMENTATION);
	assert_false(in.found);
	ks_geo_close(g);
}

static void
test_cache(void **state)
{
	struct ks_geo *g = open_db();
	struct ks_geo_info in;
	uint64_t hits, misses;

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_true(ks_geo_lookup(g, "192.114.85.56", &in));
		assert_string_equal(in.as_name, "Partner Communications Ltd.");
		assert_true(ks_geo_lookup(g, "::ffff:140.47.242.36", &in));
		assert_string_equal(in.cc, "US");
	}
	ks_geo_stats(g, &hits, &misses);
	assert_int_equal(misses, 2);
	assert_int_equal(hits, 8);
	ks_geo_close(g);
}

static void
test_finding_attrs(void **state)
{
	struct ks_geo *g = open_db();
	struct ks_finding *fd = ks_finding_new(&rule, "srv01");

	(void)state;
	assert_true(ks_finding_set(fd, KS_F_SOURCE_IP, "192.114.85.56", 13));
	assert_true(ks_finding_set(fd, KS_F_DESTINATION_IP, "1.1.1.1", 7));
	assert_true(ks_geo_finding(g, fd));
	assert_string_equal(ks_finding_get_attr(fd,
	    "source.geo.country_iso_code"), "IL");
	assert_string_equal(ks_finding_get_attr(fd, "source.as.number"),
	    "12400");
	assert_string_equal(ks_finding_get_attr(fd,
	    "source.as.organization.name"), "Partner Communications Ltd.");
	assert_string_equal(ks_finding_get_attr(fd, "source.network.cidr"),
	    "192.114.84.0/23");
	assert_null(ks_finding_get_attr(fd, "source.network.flags"));
	assert_string_equal(ks_finding_get_attr(fd,
	    "destination.network.flags"), "anycast");
	assert_string_equal(ks_finding_get_attr(fd,
	    "destination.geo.country_iso_code"), "AU");
	ks_finding_free(fd);
	ks_geo_close(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_no_database),
		cmocka_unit_test(test_seed000_addresses),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_finding_attrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
