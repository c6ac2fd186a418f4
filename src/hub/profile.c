/*
 * profile.c - the reporter profile (docs/report-model.md), a YAML file a
 * site writes once: who it is, whom to contact, its own networks, what
 * it allows to be passed on and what it asks for.  `hub ingest
 * --reporter` reads it for findings JSONL, which names no reporter.
 *
 * Read through libyaml's document API into struct ks_hub_profile;
 * unknown keys are left alone (the profile is extended, never renamed),
 * wrong types and bad values are errors that name the key.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define PROFILE_MAX (1 << 20)

struct ydoc {
	yaml_document_t *d;
	struct ks_err *err;
};

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* The value of key in a mapping node, or NULL. */
static yaml_node_t *
member(struct ydoc *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(y->d, p->key));

		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(y->d, p->value);
	}
	return NULL;
}

/* A string member into *dst (NULL when absent); -1 on a wrong type. */
static int
str_member(struct ydoc *y, yaml_node_t *map, const char *key, char **dst)
{
	yaml_node_t *n = member(y, map, key);
	bool ok = true;

	if (n == NULL)
		return 0;
	if (n->type != YAML_SCALAR_NODE)
		return ks_err_set(y->err, _("profile: %s must be a string"), key);
	free(*dst);
	*dst = ks_hub_strdup(scalar(n), &ok);
	return ok ? 0 : ks_err_set(y->err, "out of memory");
}

static int
tlp_member(struct ydoc *y, yaml_node_t *map, const char *key,
    enum ks_tlp *dst)
{
	yaml_node_t *n = member(y, map, key);
	int t;

	if (n == NULL)
		return 0;
	if ((t = ks_tlp_parse(scalar(n))) < 0)
		return ks_err_set(y->err, _("profile: %s: not a TLP level "
		    "(CLEAR, GREEN, AMBER, AMBER+STRICT, RED)"), key);
	*dst = (enum ks_tlp)t;
	return 0;
}

/* Calls fn on each scalar of a sequence (or on a lone scalar). */
static int
each_item(struct ydoc *y, yaml_node_t *n, const char *key,
    int (*fn)(struct ydoc *, void *, const char *), void *ctx)
{
	yaml_node_item_t *it;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SCALAR_NODE)
		return fn(y, ctx, scalar(n));
	if (n->type != YAML_SEQUENCE_NODE)
		return ks_err_set(y->err, _("profile: %s must be a list"), key);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		const char *s = scalar(yaml_document_get_node(y->d, *it));

		if (s == NULL)
			return ks_err_set(y->err,
			    _("profile: %s: items must be strings"), key);
		if (fn(y, ctx, s) < 0)
			return -1;
	}
	return 0;
}

static int
add_network(struct ydoc *y, void *ctx, const char *s)
{
	return ks_hub_profile_add_network(ctx, s, y->err);
}

static int
add_domain(struct ydoc *y, void *ctx, const char *s)
{
	struct ks_hub_profile *p = ctx;
	char canon[256], **v;
	bool ok = true;

	if (ks_hub_domain_canon(s, canon) < 0)
		return ks_err_set(y->err, _("profile: '%.80s' is not a domain"),
		    s);
	if ((v = reallocarray(p->domains, p->ndomains + 1,
	    sizeof(*v))) == NULL)
		return ks_err_set(y->err, "out of memory");
	p->domains = v;
	if ((v[p->ndomains] = ks_hub_strdup(canon, &ok)) == NULL)
		return ks_err_set(y->err, "out of memory");
	p->ndomains++;
	return 0;
}

static int
add_request(struct ydoc *y, void *ctx, const char *s)
{
	unsigned *req = ctx, bit = ks_req_parse(s);

	if (bit == 0)
		return ks_err_set(y->err, _("profile: request: '%.40s' is not "
		    "investigate, contact-source, block or nothing"), s);
	*req |= bit;
	return 0;
}

static int
read_profile(struct ydoc *y, yaml_node_t *root, struct ks_hub_profile *p)
{
	yaml_node_t *contact = member(y, root, "contact");
	yaml_node_t *recipient = member(y, root, "recipient");

	if (root == NULL || root->type != YAML_MAPPING_NODE)
		return ks_err_set(y->err, _("profile: not a YAML mapping"));
	if (str_member(y, root, "site", &p->site) < 0 ||
	    str_member(y, root, "organisation", &p->organisation) < 0 ||
	    str_member(y, contact, "name", &p->contact_name) < 0 ||
	    str_member(y, contact, "email", &p->contact_email) < 0 ||
	    str_member(y, contact, "phone", &p->contact_phone) < 0 ||
	    tlp_member(y, contact, "tlp", &p->contact_tlp) < 0 ||
	    str_member(y, root, "timezone", &p->timezone) < 0 ||
	    tlp_member(y, root, "tlp", &p->tlp) < 0 ||
	    str_member(y, root, "language", &p->language) < 0 ||
	    str_member(y, recipient, "name", &p->recipient_name) < 0 ||
	    str_member(y, recipient, "email", &p->recipient_email) < 0 ||
	    each_item(y, member(y, root, "networks"), "networks", add_network,
	    p) < 0 ||
	    each_item(y, member(y, root, "domains"), "domains", add_domain,
	    p) < 0 ||
	    each_item(y, member(y, root, "request"), "request", add_request,
	    &p->request) < 0)
		return -1;
	if (p->site == NULL || p->site[0] == '\0')
		return ks_err_set(y->err, _("profile: site is required"));
	if (p->contact_email == NULL || p->contact_email[0] == '\0')
		return ks_err_set(y->err, _("profile: contact.email is required"));
	if (p->language != NULL && strcmp(p->language, "ja") != 0 &&
	    strcmp(p->language, "en") != 0)
		return ks_err_set(y->err, _("profile: language must be ja or en"));
	return 0;
}

int
ks_hub_profile_parse(struct ks_hub_profile *p, const char *text, size_t n,
    struct ks_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ydoc y = { &doc, err };
	int rc;

	memset(p, 0, sizeof(*p));
	p->tlp = KS_TLP_AMBER;
	p->contact_tlp = KS_TLP_AMBER;
	if (n > PROFILE_MAX)
		return ks_err_set(err, _("profile: larger than 1 MiB"));
	if (!yaml_parser_initialize(&parser))
		return ks_err_set(err, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
	if (!yaml_parser_load(&parser, &doc)) {
		ks_err_set(err, _("profile: line %zu: %s"),
		    parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "YAML error");
		yaml_parser_delete(&parser);
		return -1;
	}
	rc = read_profile(&y, yaml_document_get_root_node(&doc), p);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0)
		ks_hub_profile_free(p);
	return rc;
}
