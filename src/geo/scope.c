/*
 * scope.c - the special-purpose address ranges (RFC 6890 and its
 * successors): private, loopback, documentation and the rest.
 *
 * These are answered before any database is asked, for two reasons: the
 * database may hold a covering network for them anyway (the 2022 IPFire
 * database places 2001:db8::1 in an Australian /23 and 203.0.113.9 in an
 * APNIC /8), which would send a CSIRT to the wrong country; and they must
 * be labelled even when no database is installed.
 */
#include <string.h>

#include "geo/geo.h"

struct range {
	uint8_t net[16];
	unsigned prefix;        /* over the 128-bit (IPv4-mapped) form */
	enum ks_geo_scope scope;
};

#define V4(a, b, c, d, len) \
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d }, 96 + (len)

static const struct range ranges[] = {
	V4(0, 0, 0, 0, 8), KS_SCOPE_UNSPECIFIED },
	V4(10, 0, 0, 0, 8), KS_SCOPE_PRIVATE },
	V4(100, 64, 0, 0, 10), KS_SCOPE_SHARED },
	V4(127, 0, 0, 0, 8), KS_SCOPE_LOOPBACK },
	V4(169, 254, 0, 0, 16), KS_SCOPE_LINK_LOCAL },
	V4(172, 16, 0, 0, 12), KS_SCOPE_PRIVATE },
	V4(192, 0, 0, 0, 24), KS_SCOPE_RESERVED },
	V4(192, 0, 2, 0, 24), KS_SCOPE_DOCUMENTATION },
	V4(192, 168, 0, 0, 16), KS_SCOPE_PRIVATE },
	V4(198, 18, 0, 0, 15), KS_SCOPE_BENCHMARKING },
	V4(198, 51, 100, 0, 24), KS_SCOPE_DOCUMENTATION },
	V4(203, 0, 113, 0, 24), KS_SCOPE_DOCUMENTATION },
	V4(224, 0, 0, 0, 4), KS_SCOPE_MULTICAST },
	V4(240, 0, 0, 0, 4), KS_SCOPE_RESERVED },
	{ { 0 }, 128, KS_SCOPE_UNSPECIFIED },
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128,
	    KS_SCOPE_LOOPBACK },
	{ { 0x01, 0x00 }, 64, KS_SCOPE_RESERVED },               /* discard */
	{ { 0x20, 0x01, 0x00, 0x02 }, 48, KS_SCOPE_BENCHMARKING },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, KS_SCOPE_DOCUMENTATION },
	{ { 0x3f, 0xff }, 20, KS_SCOPE_DOCUMENTATION },
	{ { 0xfc }, 7, KS_SCOPE_PRIVATE },
	{ { 0xfe, 0x80 }, 10, KS_SCOPE_LINK_LOCAL },
	{ { 0xff }, 8, KS_SCOPE_MULTICAST },
};

static bool
in_range(const struct in6_addr *a, const struct range *r)
{
	unsigned full = r->prefix / 8, rest = r->prefix % 8;

	if (memcmp(a->s6_addr, r->net, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a->s6_addr[full] ^ r->net[full]) &
	    (uint8_t)(0xff << (8 - rest))) == 0;
}

/* First octets of IPv4 that hold a special range: a quick way past. */
static bool
v4_special(uint8_t first)
{
	switch (first) {
	case 0: case 10: case 100: case 127: case 169: case 172: case 192:
	case 198: case 203:
		return true;
	default:
		return first >= 224;
	}
}

enum ks_geo_scope
ks_geo_scope_of(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_V4MAPPED(a) && !v4_special(a->s6_addr[12]))
		return KS_SCOPE_GLOBAL;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(*ranges); i++)
		if (in_range(a, &ranges[i]))
			return ranges[i].scope;
	return KS_SCOPE_GLOBAL;
}

const char *
ks_geo_scope_name(enum ks_geo_scope s)
{
	static const char *const names[] = {
		[KS_SCOPE_GLOBAL] = "global",
		[KS_SCOPE_PRIVATE] = "private",
		[KS_SCOPE_LOOPBACK] = "loopback",
		[KS_SCOPE_LINK_LOCAL] = "link-local",
		[KS_SCOPE_SHARED] = "shared",
		[KS_SCOPE_DOCUMENTATION] = "documentation",
		[KS_SCOPE_BENCHMARKING] = "benchmarking",
		[KS_SCOPE_MULTICAST] = "multicast",
		[KS_SCOPE_RESERVED] = "reserved",
		[KS_SCOPE_UNSPECIFIED] = "unspecified",
	};

	return (unsigned)s < sizeof(names) / sizeof(*names) ? names[s] :
	    "global";
}

bool
ks_geo_parse(const char *s, struct in6_addr *a)
{
	return ks_addr_parse(s, strlen(s), a->s6_addr);
}
