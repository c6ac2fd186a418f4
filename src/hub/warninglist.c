/*
 * warninglist.c - values that must not link reports, as MISP's
 * warninglists keep them from correlating.
 *
 * Built in: the private and shared ranges and the documentation ranges
 * (the same address means a different host at every site, so they link
 * only when both sides are one site, which related.c decides), the
 * public resolvers (everyone's logs name them) and well-known research
 * scanners (they scan everyone; a report of them is not a lead).  A
 * CSIRT adds its own in a file: one value a line, an address, a CIDR or
 * a domain (which covers its subdomains), then an optional reason;
 * '#' starts a comment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define REASON_PRIVATE "private range"
#define REASON_DOC "documentation range"

struct wl_net {
	unsigned char lo[16], hi[16];
	char *reason;
};

struct wl_dom {
	char *suffix;
	char *reason;
};

struct ks_warninglist {
	struct wl_net *nets;
	size_t nnets;
	struct wl_dom *doms;
	size_t ndoms;
};

static const struct {
	const char *value, *reason;
} builtin[] = {
	{ "10.0.0.0/8", REASON_PRIVATE },
	{ "172.16.0.0/12", REASON_PRIVATE },
	{ "192.168.0.0/16", REASON_PRIVATE },
	{ "100.64.0.0/10", REASON_PRIVATE },
	{ "127.0.0.0/8", REASON_PRIVATE },
	{ "169.254.0.0/16", REASON_PRIVATE },
	{ "0.0.0.0/8", REASON_PRIVATE },
	{ "fc00::/7", REASON_PRIVATE },
	{ "fe80::/10", REASON_PRIVATE },
	{ "::1/128", REASON_PRIVATE },
	{ "192.0.2.0/24", REASON_DOC },
	{ "198.51.100.0/24", REASON_DOC },
	{ "203.0.113.0/24", REASON_DOC },
	{ "2001:db8::/32", REASON_DOC },
	/* whole /24s: the anycast resolvers fill them, and so the weaker
	   same-network link of a resolver is noise as well */
	{ "8.8.8.0/24", "public resolver" },
	{ "8.8.4.0/24", "public resolver" },
	{ "1.1.1.0/24", "public resolver" },
	{ "1.0.0.0/24", "public resolver" },
	{ "9.9.9.0/24", "public resolver" },
	{ "149.112.112.0/24", "public resolver" },
	{ "208.67.222.0/24", "public resolver" },
	{ "208.67.220.0/24", "public resolver" },
	{ "2001:4860:4860::8888", "public resolver" },
	{ "2001:4860:4860::8844", "public resolver" },
	{ "2606:4700:4700::1111", "public resolver" },
	{ "2606:4700:4700::1001", "public resolver" },
	{ "2620:fe::fe", "public resolver" },
	{ "162.142.125.0/24", "research scanner" },
	{ "167.94.138.0/24", "research scanner" },
	{ "167.94.145.0/24", "research scanner" },
	{ "167.94.146.0/24", "research scanner" },
	{ "167.248.133.0/24", "research scanner" },
	{ "199.45.154.0/24", "research scanner" },
	{ "199.45.155.0/24", "research scanner" },
	{ "206.168.34.0/24", "research scanner" },
	{ "dns.google", "public resolver" },
	{ "one.one.one.one", "public resolver" },
	{ "shodan.io", "research scanner" },
	{ "censys-scanner.com", "research scanner" },
	{ "shadowserver.org", "research scanner" },
	{ "internet-measurement.com", "research scanner" },
	{ "binaryedge.ninja", "research scanner" },
	{ "stretchoid.com", "research scanner" },
	{ "onyphe.net", "research scanner" },
};

/* Adds an address, a CIDR or a domain; -1 when it is none of them. */
static int
add(struct ks_warninglist *w, const char *value, const char *reason,
    struct ks_err *err)
{
	unsigned char lo[16], hi[16];
	char canon[64], canon2[256];
	bool ok = true;

	if (ks_hub_cidr_range(value, lo, hi, canon, sizeof(canon)) == 0) {
		struct wl_net *v = reallocarray(w->nets, w->nnets + 1,
		    sizeof(*v));

		if (v == NULL)
			return ks_err_set(err, "out of memory");
		w->nets = v;
		memcpy(v[w->nnets].lo, lo, 16);
		memcpy(v[w->nnets].hi, hi, 16);
		if ((v[w->nnets].reason = ks_hub_strdup(reason, &ok)) == NULL)
			return ks_err_set(err, "out of memory");
		w->nnets++;
		return 0;
	}
	struct wl_dom *v;

	if (ks_hub_domain_canon(value, canon2) < 0)
		return ks_err_set(err, _("'%.80s' is neither an address, a "
		    "network nor a domain"), value);
	if ((v = reallocarray(w->doms, w->ndoms + 1, sizeof(*v))) == NULL)
		return ks_err_set(err, "out of memory");
	w->doms = v;
	v[w->ndoms].suffix = ks_hub_strdup(canon2, &ok);
	v[w->ndoms].reason = ks_hub_strdup(reason, &ok);
	w->ndoms++;
	return ok ? 0 : ks_err_set(err, "out of memory");
}

int
ks_warninglist_new(struct ks_warninglist **out, struct ks_err *err)
{
	struct ks_warninglist *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < sizeof(builtin) / sizeof(*builtin); i++)
		if (add(w, builtin[i].value, builtin[i].reason, err) < 0) {
			ks_warninglist_free(w);
			return -1;
		}
	*out = w;
	return 0;
}

void
ks_warninglist_free(struct ks_warninglist *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->nnets; i++)
		free(w->nets[i].reason);
	for (size_t i = 0; i < w->ndoms; i++) {
		free(w->doms[i].suffix);
		free(w->doms[i].reason);
	}
	free(w->nets);
	free(w->doms);
	free(w);
}

/* One line of a warninglist file: VALUE [REASON], # comments. */
static int
load_line(struct ks_warninglist *w, char *line, const char *path,
    unsigned no, struct ks_err *err)
{
	char *hash = strchr(line, '#'), *value, *reason;
	struct ks_err lerr;

	if (hash != NULL)
		*hash = '\0';
	value = line + strspn(line, " \t\r\n");
	if (*value == '\0')
		return 0;
	reason = value + strcspn(value, " \t\r\n");
	if (*reason != '\0')
		*reason++ = '\0';
	reason += strspn(reason, " \t");
	reason[strcspn(reason, "\r\n")] = '\0';
	for (size_t n = strlen(reason); n > 0 && (reason[n - 1] == ' ' ||
	    reason[n - 1] == '\t'); n--)
		reason[n - 1] = '\0';
	if (add(w, value, *reason ? reason : "local warninglist", &lerr) < 0)
		return ks_err_set(err, "%s:%u: %s", path, no, lerr.msg);
	return 0;
}

int
ks_warninglist_load(struct ks_warninglist *w, const char *path,
    struct ks_err *err)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	unsigned no = 0;
	int rc = 0;

	if (f == NULL)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		no++;
		if (strchr(line, '\n') == NULL && !feof(f))
			rc = ks_err_set(err, _("%s:%u: line too long"), path, no);
		else
			rc = load_line(w, line, path, no, err);
	}
	if (rc == 0 && ferror(f))
		rc = ks_err_set(err, "%s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

static const char *
match_domain(const struct ks_warninglist *w, const char *d)
{
	size_t n = strlen(d);

	for (size_t i = 0; i < w->ndoms; i++) {
		size_t s = strlen(w->doms[i].suffix);

		if (n == s && strcmp(d, w->doms[i].suffix) == 0)
			return w->doms[i].reason;
		if (n > s && d[n - s - 1] == '.' &&
		    strcmp(d + n - s, w->doms[i].suffix) == 0)
			return w->doms[i].reason;
	}
	return NULL;
}

const char *
ks_warninglist_match(const struct ks_warninglist *w, enum ks_ind kind,
    const char *value)
{
	unsigned char ip[16], lo[16], hi[16];
	char canon[64];

	if (kind == KS_IND_DOMAIN)
		return match_domain(w, value);
	if (kind == KS_IND_IP) {
		if (ks_ip_parse(value, ip) < 0)
			return NULL;
		memcpy(lo, ip, 16);
		memcpy(hi, ip, 16);
	} else if (kind == KS_IND_NETWORK) {
		if (ks_hub_cidr_range(value, lo, hi, canon, sizeof(canon)) < 0)
			return NULL;
	} else {
		return NULL;
	}
	for (size_t i = 0; i < w->nnets; i++)
		if (memcmp(lo, w->nets[i].lo, 16) >= 0 &&
		    memcmp(hi, w->nets[i].hi, 16) <= 0)
			return w->nets[i].reason;
	return NULL;
}

bool
ks_warninglist_site_local(const char *reason)
{
	return reason != NULL && (strcmp(reason, REASON_PRIVATE) == 0 ||
	    strcmp(reason, REASON_DOC) == 0);
}
