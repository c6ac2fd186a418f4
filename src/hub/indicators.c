/*
 * indicators.c - values normalised so that two reports naming the same
 * thing say it the same way: addresses as 16 bytes (IPv4 mapped into
 * ::ffff:0:0/96, so one index orders both families and a network is a
 * range of keys), networks as the /24 or /48 around an address, AS as a
 * bare number, domains in lower case without the final dot, accounts as
 * user@site (an account name means nothing across sites).
 *
 * Only these typed values are indicators: nothing is ever pulled out of
 * free text (log lines, descriptions), so a report links to another only
 * on what its reporter stated as a party.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hub/hub_int.h"

int
ks_ip_parse(const char *s, unsigned char out[16])
{
	size_t n = strlen(s);

	/* "[2001:db8::1]" as some logs write it */
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	return ks_addr_parse(s, n, out) ? 0 : -1;
}

/* Sets lo and hi to the first and last address of ip/bits (of 128). */
static void
range_of(const unsigned char ip[16], unsigned bits, unsigned char lo[16],
    unsigned char hi[16])
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = bits >= 8 * (i + 1) ? 8 :
		    bits > 8 * i ? bits - 8 * i : 0;
		unsigned char mask = (unsigned char)(keep ? 0xff << (8 - keep) :
		    0);

		lo[i] = ip[i] & mask;
		hi[i] = (unsigned char)(ip[i] | (unsigned char)~mask);
	}
}

int
ks_hub_cidr_range(const char *s, unsigned char lo[16], unsigned char hi[16],
    char *canon, size_t n)
{
	char text[KS_ADDR_TEXT];
	struct ks_cidr c;

	if (!ks_cidr_parse(s, &c))
		return -1;
	range_of(c.addr, c.prefix, lo, hi);
	ks_addr_format(lo, text);
	snprintf(canon, n, "%s/%u", text, c.prefix - (c.v4 ? 96 : 0));
	return 0;
}

void
ks_hub_network_of(const unsigned char ip[16], unsigned char key[17],
    char *text, size_t n)
{
	unsigned bits = ks_addr_is_v4(ip) ? 120 : 48;
	unsigned char hi[16];
	char a[64];
	size_t len;

	range_of(ip, bits, key, hi);
	key[16] = (unsigned char)bits;
	ks_addr_format(key, a);
	len = strlen(a);
	if (len + 4 <= n) {
		memcpy(text, a, len);
		memcpy(text + len, ks_addr_is_v4(ip) ? "/24" : "/48", 4);
	} else if (n > 0) {
		text[0] = '\0';
	}
}

int
ks_hub_add_ip(struct ks_hub_report *r, enum ks_role role, enum ks_tlp tlp,
    const char *text)
{
	unsigned char ip[16], net[17];
	char canon[64], ntext[72];

	if (text == NULL || text[0] == '\0')
		return 0;
	if (ks_ip_parse(text, ip) < 0) {
		r->bad_values++;
		return 0;
	}
	ks_addr_format(ip, canon);
	ks_hub_network_of(ip, net, ntext, sizeof(ntext));
	if (ks_hub_add_indicator(r, KS_IND_IP, role, tlp, ip, 16, canon) < 0 ||
	    ks_hub_add_indicator(r, KS_IND_NETWORK, role, tlp, net, 17,
	    ntext) < 0)
		return -1;
	return 0;
}

int
ks_hub_add_as(struct ks_hub_report *r, enum ks_role role, enum ks_tlp tlp,
    const char *number)
{
	unsigned long long v;
	char *end, canon[24];

	if (number == NULL || number[0] == '\0')
		return 0;
	if (strncasecmp(number, "AS", 2) == 0)
		number += 2;
	v = strtoull(number, &end, 10);
	if (!ks_isdigit(number[0]) || *end != '\0' || v == 0 ||
	    v > 4294967295ULL) {
		r->bad_values++;
		return 0;
	}
	snprintf(canon, sizeof(canon), "%llu", v);
	return ks_hub_add_indicator(r, KS_IND_AS, role, tlp, NULL, 0, canon);
}

/* Letters, digits, '-', '_' and dots between labels: a host name. */
static bool
domain_ok(const char *s, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || ks_isdigit(c) || c == '-' ||
		    c == '_') || ++label > 63)
			return false;
	}
	return label > 0;
}

int
ks_hub_domain_canon(const char *name, char out[256])
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n >= 256)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ?
		    name[i] - 'A' + 'a' : name[i]);
	out[n] = '\0';
	return domain_ok(out, n) ? 0 : -1;
}

int
ks_hub_add_domain(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *name)
{
	char canon[256];
	unsigned char ip[16];

	if (name == NULL || name[0] == '\0')
		return 0;
	/* an address written where a name was expected is an address */
	if (ks_ip_parse(name, ip) == 0)
		return ks_hub_add_ip(r, role, tlp, name);
	if (ks_hub_domain_canon(name, canon) < 0) {
		r->bad_values++;
		return 0;
	}
	return ks_hub_add_indicator(r, KS_IND_DOMAIN, role, tlp, NULL, 0,
	    canon);
}

int
ks_hub_add_account(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *user)
{
	struct ks_buf b;
	int rc;

	if (user == NULL || user[0] == '\0' || r->reporter.site == NULL)
		return 0;
	if (strlen(user) > 256 || strchr(user, '@') != NULL) {
		r->bad_values++;
		return 0;
	}
	ks_buf_init(&b);
	ks_buf_adds(&b, user);
	ks_buf_addc(&b, '@');
	ks_buf_adds(&b, r->reporter.site);
	ks_buf_addc(&b, '\0');
	rc = ks_buf_failed(&b) ? -1 : ks_hub_add_indicator(r, KS_IND_ACCOUNT,
	    role, tlp, NULL, 0, b.p);
	ks_buf_free(&b);
	return rc;
}

int
ks_hub_profile_add_network(struct ks_hub_profile *p, const char *cidr,
    struct ks_err *err)
{
	unsigned char lo[16], hi[16];
	char canon[64], **v;
	bool ok = true;

	if (ks_hub_cidr_range(cidr, lo, hi, canon, sizeof(canon)) < 0)
		return ks_err_set(err, "'%.80s' is not a network (CIDR)", cidr);
	if ((v = reallocarray(p->networks, p->nnetworks + 1,
	    sizeof(*v))) == NULL)
		return ks_err_set(err, "out of memory");
	p->networks = v;
	if ((v[p->nnetworks] = ks_hub_strdup(canon, &ok)) == NULL)
		return ks_err_set(err, "out of memory");
	p->nnetworks++;
	return 0;
}
