/*
 * profile.c - the reporter profile (docs/report-model.md): who reports,
 * how to reach them, which addresses and names are the site's own, what
 * may be passed on, and what the site asks of its CSIRT.
 *
 * A site writes the profile once, so the reader is strict: an unknown
 * key, a level that is not TLP 2.0, an address range that does not parse
 * is an error naming the line, not something to skip (a typo in
 * `networks` would otherwise leak the site's own addresses through
 * --redact).  libyaml loads the document; the profile owns copies of all
 * its strings.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#include "report/report_int.h"
#include "util/i18n.h"

#define PROFILE_MAX (1u << 20)
#define LIST_MAX 1024

struct pctx {
	yaml_document_t *doc;
	struct ks_profile *p;
	struct ks_err *err;
};

void
ks_profile_init(struct ks_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->contact_tlp = KS_TLP_GREEN;
	p->tlp = p->tlp_source = p->tlp_target = p->tlp_intermediate =
	    p->tlp_excerpt = KS_TLP_AMBER;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
ks_profile_free(struct ks_profile *p)
{
	char **s[] = {
		&p->site, &p->organisation, &p->contact_name, &p->contact_email,
		&p->contact_phone, &p->timezone, &p->language, &p->discovery,
		&p->recipient_name, &p->recipient_email,
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(*s); i++)
		free(*s[i]);
	free_list(p->networks, p->nnetworks);
	free_list(p->domains, p->ndomains);
	ks_profile_init(p);
}

static int
fail_at(struct pctx *c, yaml_node_t *n, const char *what, const char *key)
{
	return ks_err_set(c->err, "line %lu: %s: %s",
	    (unsigned long)n->start_mark.line + 1, key, what);
}

static const char *
scalar(yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static int
get_str(struct pctx *c, yaml_node_t *v, const char *key, char **out)
{
	const char *s = scalar(v);

	if (s == NULL || s[0] == '\0' || strlen(s) != v->data.scalar.length)
		return fail_at(c, v, "not a text value", key);
	free(*out);
	if ((*out = strdup(s)) == NULL)
		return ks_err_set(c->err, "out of memory");
	return 0;
}

static int
get_tlp(struct pctx *c, yaml_node_t *v, const char *key, enum ks_tlp *out)
{
	int t = ks_tlp_parse(scalar(v));

	if (t < 0)
		return fail_at(c, v, "not a TLP level (CLEAR, GREEN, AMBER, "
		    "AMBER+STRICT, RED)", key);
	*out = (enum ks_tlp)t;
	return 0;
}

/* A CIDR or a single address: "203.0.113.0/24", "2001:db8::/32". */
static bool
valid_cidr(const char *s)
{
	char tmp[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned char a[16];
	long bits;
	int family;

	if (strlen(s) >= sizeof(tmp))
		return false;
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash != NULL)
		*slash = '\0';
	family = strchr(tmp, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, tmp, a) != 1)
		return false;
	if (slash == NULL)
		return true;
	errno = 0;
	bits = strtol(slash + 1, &end, 10);
	return slash[1] != '\0' && *end == '\0' && bits >= 0 &&
	    bits <= (family == AF_INET ? 32 : 128);
}

/* A sequence of text values (or one value) into a new list. */
static int
get_list(struct pctx *c, yaml_node_t *v, const char *key, char ***out,
    size_t *n, bool cidr)
{
	yaml_node_item_t *it;
	yaml_node_t *items[LIST_MAX];
	size_t count = 0;

	if (v->type == YAML_SCALAR_NODE)
		items[count++] = v;
	else if (v->type == YAML_SEQUENCE_NODE) {
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++) {
			if (count == LIST_MAX)
				return fail_at(c, v, "too many values", key);
			items[count++] = yaml_document_get_node(c->doc, *it);
		}
	} else
		return fail_at(c, v, "not a list", key);
	free_list(*out, *n);
	*n = 0;
	if ((*out = calloc(count + 1, sizeof(char *))) == NULL)
		return ks_err_set(c->err, "out of memory");
	for (size_t i = 0; i < count; i++) {
		if (get_str(c, items[i], key, &(*out)[i]) < 0)
			return -1;
		*n = i + 1;
		if (cidr && !valid_cidr((*out)[i]))
			return fail_at(c, items[i], "not an address range",
			    key);
	}
	return 0;
}

static int
get_request(struct pctx *c, yaml_node_t *v)
{
	char **names = NULL;
	size_t n = 0;
	int rc;

	rc = get_list(c, v, "request", &names, &n, false);
	c->p->request = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (ks_request_parse(names[i], &c->p->request, NULL) < 0)
			rc = fail_at(c, v, "not investigate, contact-source, "
			    "block or nothing", "request");
	free_list(names, n);
	return rc;
}

typedef int (*pair_fn)(struct pctx *, const char *, yaml_node_t *);

/* Calls fn for every key of a mapping; keys must be plain text. */
static int
each_pair(struct pctx *c, yaml_node_t *map, const char *what, pair_fn fn)
{
	yaml_node_pair_t *pr;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return map == NULL ? ks_err_set(c->err, "empty profile") :
		    fail_at(c, map, "not a mapping", what);
	for (pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);

		if (scalar(k) == NULL || v == NULL)
			return fail_at(c, k != NULL ? k : map, "bad key", what);
		if (fn(c, scalar(k), v) < 0)
			return -1;
	}
	return 0;
}

static int
contact_pair(struct pctx *c, const char *k, yaml_node_t *v)
{
	struct ks_profile *p = c->p;

	if (strcmp(k, "name") == 0)
		return get_str(c, v, "contact.name", &p->contact_name);
	if (strcmp(k, "email") == 0)
		return get_str(c, v, "contact.email", &p->contact_email);
	if (strcmp(k, "phone") == 0)
		return get_str(c, v, "contact.phone", &p->contact_phone);
	if (strcmp(k, "tlp") == 0)
		return get_tlp(c, v, "contact.tlp", &p->contact_tlp);
	return fail_at(c, v, "unknown key", k);
}

static int
recipient_pair(struct pctx *c, const char *k, yaml_node_t *v)
{
	if (strcmp(k, "name") == 0)
		return get_str(c, v, "recipient.name", &c->p->recipient_name);
	if (strcmp(k, "email") == 0)
		return get_str(c, v, "recipient.email", &c->p->recipient_email);
	return fail_at(c, v, "unknown key", k);
}

static int
disclosure_pair(struct pctx *c, const char *k, yaml_node_t *v)
{
	struct ks_profile *p = c->p;

	if (strcmp(k, "source") == 0)
		return get_tlp(c, v, "disclosure.source", &p->tlp_source);
	if (strcmp(k, "target") == 0)
		return get_tlp(c, v, "disclosure.target", &p->tlp_target);
	if (strcmp(k, "intermediate") == 0)
		return get_tlp(c, v, "disclosure.intermediate",
		    &p->tlp_intermediate);
	if (strcmp(k, "excerpt") == 0)
		return get_tlp(c, v, "disclosure.excerpt", &p->tlp_excerpt);
	return fail_at(c, v, "unknown key", k);
}

static int
top_pair(struct pctx *c, const char *k, yaml_node_t *v)
{
	struct ks_profile *p = c->p;

	if (strcmp(k, "site") == 0)
		return get_str(c, v, k, &p->site);
	if (strcmp(k, "organisation") == 0 || strcmp(k, "organization") == 0)
		return get_str(c, v, k, &p->organisation);
	if (strcmp(k, "timezone") == 0)
		return get_str(c, v, k, &p->timezone);
	if (strcmp(k, "discovery") == 0)
		return get_str(c, v, k, &p->discovery);
	if (strcmp(k, "language") == 0) {
		if (scalar(v) == NULL || (strcmp(scalar(v), "ja") != 0 &&
		    strcmp(scalar(v), "en") != 0))
			return fail_at(c, v, "not ja or en", k);
		return get_str(c, v, k, &p->language);
	}
	if (strcmp(k, "tlp") == 0)
		return get_tlp(c, v, k, &p->tlp);
	if (strcmp(k, "networks") == 0)
		return get_list(c, v, k, &p->networks, &p->nnetworks, true);
	if (strcmp(k, "domains") == 0)
		return get_list(c, v, k, &p->domains, &p->ndomains, false);
	if (strcmp(k, "request") == 0)
		return get_request(c, v);
	if (strcmp(k, "contact") == 0)
		return each_pair(c, v, k, contact_pair);
	if (strcmp(k, "recipient") == 0)
		return each_pair(c, v, k, recipient_pair);
	if (strcmp(k, "disclosure") == 0)
		return each_pair(c, v, k, disclosure_pair);
	return fail_at(c, v, "unknown key", k);
}

/* disclosure: levels not given follow the profile's tlp. */
static int
apply_defaults(struct ks_profile *p, yaml_document_t *doc, yaml_node_t *root)
{
	bool given[4] = { false };
	static const char *const kinds[] = {
		"source", "target", "intermediate", "excerpt",
	};
	enum ks_tlp *lv[] = {
		&p->tlp_source, &p->tlp_target, &p->tlp_intermediate,
		&p->tlp_excerpt,
	};

	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(doc, pr->value);

		if (strcmp(scalar(k), "disclosure") != 0)
			continue;
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		    q < v->data.mapping.pairs.top; q++)
			for (size_t i = 0; i < 4; i++)
				given[i] = given[i] || strcmp(scalar(
				    yaml_document_get_node(doc, q->key)),
				    kinds[i]) == 0;
	}
	for (size_t i = 0; i < 4; i++)
		if (!given[i])
			*lv[i] = p->tlp;
	return 0;
}

int
ks_profile_parse(struct ks_profile *p, const char *text, size_t n,
    struct ks_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct pctx c = { &doc, p, err };
	yaml_node_t *root;
	int rc = -1;

	ks_profile_init(p);
	if (!yaml_parser_initialize(&parser))
		return ks_err_set(err, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
	if (!yaml_parser_load(&parser, &doc)) {
		ks_err_set(err, "line %lu: %s",
		    (unsigned long)parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (each_pair(&c, root, "profile", top_pair) == 0 &&
	    apply_defaults(p, &doc, root) == 0) {
		if (p->site == NULL)
			ks_err_set(err, "site: missing");
		else if (p->contact_email == NULL)
			ks_err_set(err, "contact.email: missing");
		else
			rc = 0;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0)
		ks_profile_free(p);
	return rc;
}

int
ks_profile_load(struct ks_profile *p, const char *path, struct ks_err *err)
{
	struct ks_buf b;
	char chunk[8192];
	ssize_t got;
	int fd, rc;

	ks_profile_init(p);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	ks_buf_init(&b);
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || b.len + (size_t)got > PROFILE_MAX) {
			ks_err_set(err, "%s: %s", path, got < 0 ?
			    strerror(errno) : "larger than 1 MiB");
			close(fd);
			ks_buf_free(&b);
			return -1;
		}
		ks_buf_add(&b, chunk, (size_t)got);
	}
	close(fd);
	if (ks_buf_failed(&b)) {
		ks_buf_free(&b);
		return ks_err_set(err, "out of memory");
	}
	rc = ks_profile_parse(p, b.p != NULL ? b.p : "", b.len, err);
	if (rc < 0) {
		struct ks_err inner = *err;

		ks_err_set(err, "%s: %s", path, inner.msg);
	}
	ks_buf_free(&b);
	return rc;
}

const char *
ks_profile_template(void)
{
	return _("# kansatsu reporter profile: who reports, and what may be "
	    "passed on.\n"
	    "# Only site and contact.email are required.  Levels are TLP 2.0:\n"
	    "# CLEAR, GREEN, AMBER, AMBER+STRICT, RED.\n"
	    "\n"
	    "site: example                 # short, stable id of this site\n"
	    "organisation: Example Organisation\n"
	    "contact:\n"
	    "  name: Your Name\n"
	    "  email: security@example.org\n"
	    "  phone: +81-3-0000-0000\n"
	    "  tlp: GREEN                  # may the contact be passed on?\n"
	    "timezone: Asia/Tokyo          # of this site's logs\n"
	    "networks: [192.0.2.0/24]      # this site's own addresses\n"
	    "domains: [example.org]        # this site's own DNS names\n"
	    "tlp: AMBER                    # default level of every element\n"
	    "disclosure:                   # levels by kind of element\n"
	    "  source: GREEN               # the attackers' addresses\n"
	    "  target: AMBER               # the systems attacked\n"
	    "  intermediate: AMBER         # this site's hosts used as a hop\n"
	    "  excerpt: AMBER              # the log lines\n"
	    "request: [investigate, contact-source]  # also: block, nothing\n"
	    "language: ja                  # ja or en\n"
	    "discovery: Log monitoring     # how incidents are found here\n"
	    "recipient:                    # the CSIRT the report goes to\n"
	    "  name: JPCERT/CC\n"
	    "  email: info@jpcert.or.jp\n");
}
