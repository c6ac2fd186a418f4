/*
 * attr.c - attribution written onto findings and for people.
 *
 * Every command that makes findings calls ks_geo_finding on each before
 * printing, so that every address in every finding carries its country,
 * AS and network the same way (the names are listed in geo.h and in
 * kansatsu(1)).  Attributes are only set for what is known: an address the
 * database does not hold gets no empty country.
 */
#include <stdio.h>
#include <string.h>

#include "geo/geo.h"

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ KS_GEO_ANYCAST, "anycast" },
	{ KS_GEO_SATELLITE, "satellite" },
	{ KS_GEO_ANONYMOUS_PROXY, "anonymous-proxy" },
	{ KS_GEO_DROP, "drop" },
};

void
ks_geo_flags_str(unsigned flags, char *buf, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if ((flags & flag_names[i].flag) != 0 && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			    len ? "," : "", flag_names[i].name);
}

static bool
attr(struct ks_finding *fd, const char *prefix, const char *key,
    const char *val, bool num)
{
	char k[64];

	if (val[0] == '\0')
		return true;
	snprintf(k, sizeof(k), "%s.%s", prefix, key);
	return ks_finding_attr(fd, k, val, num);
}

bool
ks_geo_attrs(struct ks_finding *fd, const char *prefix,
    const struct ks_geo_info *info)
{
	char asn[16] = "", flags[64];

	if (info->scope != KS_SCOPE_GLOBAL)
		return attr(fd, prefix, "network.scope",
		    ks_geo_scope_name(info->scope), false);
	if (info->asn != 0)
		snprintf(asn, sizeof(asn), "%u", info->asn);
	ks_geo_flags_str(info->flags, flags, sizeof(flags));
	return attr(fd, prefix, "geo.country_iso_code", info->cc, false) &&
	    attr(fd, prefix, "geo.country_name", info->country, false) &&
	    attr(fd, prefix, "as.number", asn, true) &&
	    attr(fd, prefix, "as.organization.name", info->as_name, false) &&
	    attr(fd, prefix, "network.cidr", info->cidr, false) &&
	    attr(fd, prefix, "network.flags", flags, false);
}

bool
ks_geo_finding(struct ks_geo *g, struct ks_finding *fd)
{
	static const struct {
		enum ks_field f;
		const char *prefix;
	} sides[] = {
		{ KS_F_SOURCE_IP, "source" },
		{ KS_F_DESTINATION_IP, "destination" },
	};
	struct ks_geo_info info;

	for (size_t i = 0; i < sizeof(sides) / sizeof(*sides); i++)
		if (fd->field[sides[i].f] != NULL &&
		    ks_geo_lookup(g, fd->field[sides[i].f], &info) &&
		    !ks_geo_attrs(fd, sides[i].prefix, &info))
			return false;
	return true;
}

void
ks_geo_describe(struct ks_buf *b, const struct ks_geo_info *info)
{
	char flags[64];
	const char *sep = "";

	if (info->scope != KS_SCOPE_GLOBAL) {
		ks_buf_adds(b, ks_geo_scope_name(info->scope));
		ks_buf_adds(b, " address");
		return;
	}
	if (!info->found) {
		ks_buf_adds(b, "not in the location database");
		return;
	}
	if (info->cc[0] != '\0') {
		ks_buf_adds(b, info->cc);
		if (info->country[0] != '\0') {
			ks_buf_addc(b, ' ');
			ks_escape_text(b, info->country, strlen(info->country));
		}
		sep = ", ";
	}
	if (info->asn != 0) {
		ks_buf_adds(b, sep);
		ks_buf_adds(b, "AS");
		ks_buf_addu(b, info->asn);
		if (info->as_name[0] != '\0') {
			ks_buf_addc(b, ' ');
			ks_escape_text(b, info->as_name, strlen(info->as_name));
		}
		sep = ", ";
	}
	if (info->cidr[0] != '\0') {
		ks_buf_adds(b, sep);
		ks_buf_adds(b, "network ");
		ks_buf_adds(b, info->cidr);
		sep = ", ";
	}
	if (info->flags == 0)
		return;
	ks_geo_flags_str(info->flags, flags, sizeof(flags));
	ks_buf_adds(b, sep);
	ks_buf_adds(b, flags);
}
