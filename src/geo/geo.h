/*
 * geo.h - who an IP address belongs to, offline: country, autonomous
 * system and network from the IPFire location database through libloc,
 * and the special-purpose ranges (private, documentation, loopback, ...)
 * that no database should be asked about.
 *
 * Attribution must never slow the log path, so look-ups go through a
 * bounded cache in front of libloc; and it must never fail a command: a
 * missing or unreadable database makes ks_geo_open fail with a message the
 * caller prints once, after which the caller passes NULL and still gets
 * the special-purpose labels.
 *
 * Attributes set on findings (ECS names where ECS has them; the
 * network.* ones are kansatsu's, documented in kansatsu(1)), for each of
 * source and destination:
 *   X.geo.country_iso_code      "IL"
 *   X.geo.country_name          "Israel"
 *   X.as.number                 12400
 *   X.as.organization.name      "Partner Communications Ltd."
 *   X.network.cidr              the database network holding the address
 *   X.network.flags             anycast, satellite, anonymous-proxy, drop
 *                               (comma-separated, only when set)
 *   X.network.scope             private, loopback, link-local, shared,
 *                               documentation, benchmarking, multicast,
 *                               reserved, unspecified (only for those)
 */
#ifndef KS_GEO_H
#define KS_GEO_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "finding/finding.h"
#include "util/util.h"

#define KS_GEO_DEFAULT_DB "/usr/share/libloc-location/location.db"

enum ks_geo_scope {
	KS_SCOPE_GLOBAL,        /* ask the database */
	KS_SCOPE_PRIVATE,       /* RFC 1918, fc00::/7 */
	KS_SCOPE_LOOPBACK,
	KS_SCOPE_LINK_LOCAL,
	KS_SCOPE_SHARED,        /* 100.64.0.0/10, carrier-grade NAT */
	KS_SCOPE_DOCUMENTATION, /* 192.0.2/24, 2001:db8::/32, ... */
	KS_SCOPE_BENCHMARKING,
	KS_SCOPE_MULTICAST,
	KS_SCOPE_RESERVED,
	KS_SCOPE_UNSPECIFIED,   /* 0.0.0.0/8, :: */
};

enum {
	KS_GEO_ANONYMOUS_PROXY = 1 << 0,
	KS_GEO_SATELLITE = 1 << 1,
	KS_GEO_ANYCAST = 1 << 2,
	KS_GEO_DROP = 1 << 3,
};

/* What is known of one address; strings are never NULL ("" if unknown). */
struct ks_geo_info {
	enum ks_geo_scope scope;
	bool found;             /* the database holds a network for it */
	char cc[3];             /* ISO 3166 alpha-2, or "" */
	const char *country;    /* the country's name, or "" */
	uint32_t asn;           /* 0: none */
	const char *as_name;    /* or "" */
	char cidr[48];          /* the database network, or "" */
	unsigned flags;         /* KS_GEO_* */
};

struct ks_geo;

/*
 * Opens the database at path (NULL: KS_GEO_DEFAULT_DB); -1 with a
 * one-line reason when it is missing or not a location database.
 */
int ks_geo_open(struct ks_geo **out, const char *path, struct ks_err *err);
void ks_geo_close(struct ks_geo *g);
/* The database's creation time (seconds since the epoch). */
int64_t ks_geo_created(const struct ks_geo *g);

/* The special-purpose class of an address (IPv4-mapped IPv6 as IPv4). */
enum ks_geo_scope ks_geo_scope_of(const struct in6_addr *a);
/* "private", ...; "global" for KS_SCOPE_GLOBAL. */
const char *ks_geo_scope_name(enum ks_geo_scope s);
/* Parses an IPv4 or IPv6 literal (IPv4 becomes IPv4-mapped). */
bool ks_geo_parse(const char *s, struct in6_addr *a);

/*
 * Looks the address up: special-purpose ranges first, then the cache,
 * then libloc.  g may be NULL (scope only).  The strings of *out stay
 * valid until the next look-up on g.  Returns false when s is not an
 * address.
 */
bool ks_geo_lookup(struct ks_geo *g, const char *s, struct ks_geo_info *out);
bool ks_geo_lookup_addr(struct ks_geo *g, const struct in6_addr *a,
    struct ks_geo_info *out);

/* Look-ups answered by the cache, and by libloc. */
void ks_geo_stats(const struct ks_geo *g, uint64_t *hits, uint64_t *misses);

/* "anycast,satellite" for flags, into buf of size n. */
void ks_geo_flags_str(unsigned flags, char *buf, size_t n);

/*
 * Sets the attributes listed above for source.ip and destination.ip of
 * fd, when they are addresses; g may be NULL.  false only when out of
 * memory or out of attribute slots.
 */
bool ks_geo_finding(struct ks_geo *g, struct ks_finding *fd);

/*
 * Adds the attributes of info under prefix ("source", "destination") to
 * fd: what ks_geo_finding does for one side.
 */
bool ks_geo_attrs(struct ks_finding *fd, const char *prefix,
    const struct ks_geo_info *info);

/* One line for a person: "IL Israel, AS12400 Partner ..., 192.114.84.0/23". */
void ks_geo_describe(struct ks_buf *b, const struct ks_geo_info *info);

#endif
