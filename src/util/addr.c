/*
 * addr.c - IP addresses and networks, parsed once for every module.
 *
 * An address is 16 bytes, an IPv4 address in its IPv6-mapped form
 * (::ffff:a.b.c.d), so that one comparison serves both families; a
 * network remembers which family it was written in, so that, as in
 * Sigma's cidr modifier, an IPv4 network holds only IPv4 addresses and an
 * IPv6 one only IPv6 addresses (::/0 is not "every address").  Decoders,
 * rules, netstat's local networks and the hub all parse with these.
 *
 * IPv4 text is read in place, without a copy or inet_pton: a dotted quad
 * as inet_pton(AF_INET) takes it (four decimal octets up to 255, no
 * leading zeros) is the most frequent thing the decoders check.  Text is
 * written as inet_ntop writes it, without its printf per word: lines from
 * IPv6 sources, and the hub's ingest, spent more in inet_ntop than in the
 * rest of their work.
 */
#include <arpa/inet.h>
#include <string.h>

#include "util/util.h"

static const uint8_t v4_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xff };

/* The digit at p (before end) as 0..9, or 10 and more when none. */
static inline unsigned
digit_at(const char *p, const char *end)
{
	return p < end ? (unsigned)(unsigned char)*p - '0' : 10;
}

bool
ks_ipv4_parse(const char *p, size_t n, uint8_t out[4])
{
	const char *end = p + n;

	if (n < 7 || n > 15)
		return false;
	for (int octet = 0; octet < 4; octet++) {
		unsigned v, d;

		if (octet > 0 && (p >= end || *p++ != '.'))
			return false;
		if ((v = digit_at(p, end)) > 9)
			return false;
		/* up to three digits, the first not 0 unless alone */
		if ((d = digit_at(++p, end)) <= 9) {
			if (v == 0)
				return false;
			v = v * 10 + d;
			if ((d = digit_at(++p, end)) <= 9) {
				v = v * 10 + d;
				if (v > 255 || digit_at(++p, end) <= 9)
					return false;
			}
		}
		out[octet] = (uint8_t)v;
	}
	return p == end;
}

bool
ks_addr_parse(const char *p, size_t n, uint8_t out[16])
{
	char tmp[INET6_ADDRSTRLEN];

	if (ks_ipv4_parse(p, n, out + 12)) {
		memcpy(out, v4_prefix, sizeof(v4_prefix));
		return true;
	}
	if (n == 0 || n >= sizeof(tmp) || memchr(p, ':', n) == NULL)
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, out) == 1;
}

bool
ks_addr_is_v4(const uint8_t a[16])
{
	return memcmp(a, v4_prefix, sizeof(v4_prefix)) == 0;
}

bool
ks_cidr_parse(const char *s, struct ks_cidr *c)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned bits = 0, max;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!ks_addr_parse(s, n, c->addr))
		return false;
	c->v4 = ks_addr_is_v4(c->addr);
	max = c->v4 ? 32 : 128;
	if (slash == NULL)
		bits = max;
	else {
		for (i = 1; ks_isdigit(slash[i]) && i <= 3; i++)
			bits = bits * 10 + (unsigned)(slash[i] - '0');
		if (i == 1 || slash[i] != '\0' || bits > max)
			return false;
	}
	c->prefix = bits + (c->v4 ? 96 : 0);
	return true;
}

bool
ks_cidr_has(const struct ks_cidr *c, const uint8_t a[16])
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;

	if (ks_addr_is_v4(a) != c->v4 || memcmp(a, c->addr, full) != 0)
		return false;
	return rest == 0 ||
	    ((a[full] ^ c->addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool
ks_cidr_contains(const struct ks_cidr *c, const char *ip)
{
	uint8_t a[16];

	return ks_addr_parse(ip, strlen(ip), a) && ks_cidr_has(c, a);
}

/* "a.b.c.d" at out; the end of it. */
static char *
v4_text(const uint8_t a[4], char *out)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i > 0)
			*out++ = '.';
		if (v >= 100)
			*out++ = (char)('0' + v / 100);
		if (v >= 10)
			*out++ = (char)('0' + v / 10 % 10);
		*out++ = (char)('0' + v % 10);
	}
	return out;
}

/*
 * An IPv6 address as glibc's inet_ntop writes it: the longest run of two
 * or more zero words as "::", the first of equal runs; IPv4-compatible
 * and -mapped forms with a dotted quad.
 */
static char *
v6_text(const uint8_t a[16], char *o)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, blen = 0, cur = -1, clen = 0;

	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, clen = 0;
			if (++clen > blen)
				best = cur, blen = clen;
		} else
			cur = -1;
	}
	if (blen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i != 0)
			*o++ = ':';
		if (i == 6 && best == 0 && (blen == 6 ||
		    (blen == 7 && w[7] != 1) || (blen == 5 && w[5] == 0xffff)))
			return v4_text(a + 12, o);
		for (int sh = 12, lead = 1; sh >= 0; sh -= 4) {
			unsigned d = (w[i] >> sh) & 15;

			if (d != 0 || sh == 0 || !lead) {
				*o++ = hex[d];
				lead = 0;
			}
		}
	}
	if (best >= 0 && best + blen == 8)
		*o++ = ':';
	return o;
}

size_t
ks_addr_format(const uint8_t a[16], char out[KS_ADDR_TEXT])
{
	char *end = ks_addr_is_v4(a) ? v4_text(a + 12, out) : v6_text(a, out);

	*end = '\0';
	return (size_t)(end - out);
}
