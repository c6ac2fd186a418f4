/*
 * sigma.c - reading a Sigma rule (YAML, through libyaml) into the
 * compiled form that match.c and cond.c evaluate.
 *
 * libyaml's document API gives the whole rule as a node tree, which is
 * walked once: metadata into ks_rule_info, each search identifier of
 * `detection` into a ks_sel, the `condition` through cond.c; or, for a
 * Sigma correlation rule, its type, referenced rules, group-by fields,
 * timespan and condition into a ks_corr.  Every
 * error names the rule and what is wrong with it; a rule that would load
 * but never fire (an unknown field, an unknown modifier) is an error.
 * Rule files are small: anything over KS_RULE_MAX is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "detect/detect_int.h"

#define KS_RULE_MAX (1024 * 1024)
#define KS_VALUES_MAX 100000

struct loader {
	yaml_document_t *doc;
	const char *name;
	struct ks_err *err;
};

static const char *const event_fields[] = {
	[KS_EF_MESSAGE - KS_F_COUNT] = "message",
	[KS_EF_PROCESS_NAME - KS_F_COUNT] = "process.name",
	[KS_EF_PROCESS_PID - KS_F_COUNT] = "process.pid",
	[KS_EF_HOST_NAME - KS_F_COUNT] = "host.name",
	[KS_EF_LOG_PATH - KS_F_COUNT] = "log.file.path",
};

int
ks_sigma_field_id(const char *name, size_t n)
{
	int k = ks_field_lookup(name, n);

	if (k >= 0)
		return k;
	for (size_t i = 0; i < sizeof(event_fields) / sizeof(*event_fields); i++)
		if (strlen(event_fields[i]) == n &&
		    memcmp(event_fields[i], name, n) == 0)
			return KS_F_COUNT + (int)i;
	return -1;
}

static yaml_node_t *
map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static bool
is_null(yaml_node_t *n)
{
	const char *s = scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (strcmp(s, "null") == 0 || strcmp(s, "~") == 0 || s[0] == '\0');
}

/* strdup of a scalar under key, or of dflt; -1 on allocation failure. */
static int
info_str(const char **out, yaml_node_t *n, const char *dflt)
{
	const char *s = scalar(n);

	char *d;
	size_t len;

	*out = NULL;
	if (s == NULL)
		s = dflt;
	if (s == NULL)
		return 0;
	if ((d = strdup(s)) == NULL)
		return -1;
	/* a folded YAML block (>) ends in a newline */
	for (len = strlen(d); len > 0 && (d[len - 1] == '\n' ||
	    d[len - 1] == ' ');)
		d[--len] = '\0';
	*out = d;
	return 0;
}

static int values(struct loader *ld, yaml_node_t *n, yaml_node_t ***out,
    size_t *count);

/* A scalar or a list of scalars, copied; nothing when n is NULL. */
static int
string_list(struct loader *ld, yaml_node_t *n, char ***out, size_t *count)
{
	yaml_node_t **vals;

	*count = 0;
	if (n == NULL)
		return 0;
	if (values(ld, n, &vals, count) < 0)
		return -1;
	if ((*out = calloc(*count, sizeof(char *))) == NULL) {
		free(vals);
		*count = 0;
		return ks_err_set(ld->err, "out of memory");
	}
	for (size_t i = 0; i < *count; i++)
		if (((*out)[i] = strdup(scalar(vals[i]))) == NULL) {
			free(vals);
			return ks_err_set(ld->err, "out of memory");
		}
	free(vals);
	return 0;
}

static int
load_samples(struct loader *ld, yaml_node_t *n, struct ks_rule_info *in)
{
	if (n == NULL)
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return ks_err_set(ld->err, "%s: kansatsu.samples must map match "
		    "and nomatch to lists", ld->name);
	return string_list(ld, map_get(ld->doc, n, "match"), &in->match,
	    &in->nmatch) < 0 ? -1 : string_list(ld, map_get(ld->doc, n,
	    "nomatch"), &in->nomatch, &in->nnomatch);
}

static const char *
severity_of(const char *level)
{
	static const char *const map[][2] = {
		{ "informational", "info" }, { "info", "info" },
		{ "low", "low" }, { "medium", "medium" }, { "high", "high" },
		{ "critical", "critical" },
	};

	for (size_t i = 0; level && i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(level, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static int
load_info(struct loader *ld, yaml_node_t *root, struct ks_rule_info *in)
{
	yaml_node_t *ks = map_get(ld->doc, root, "kansatsu");
	const char *level = scalar(map_get(ld->doc, root, "level"));
	const char *base = strrchr(ld->name, '/');

	if (scalar(map_get(ld->doc, root, "title")) == NULL)
		return ks_err_set(ld->err, "%s: no title", ld->name);
	if ((level != NULL || ks == NULL) && severity_of(level) == NULL)
		return ks_err_set(ld->err, "%s: level must be informational, "
		    "low, medium, high or critical", ld->name);
	if (info_str(&in->id, map_get(ld->doc, root, "id"),
	    base ? base + 1 : ld->name) < 0 ||
	    info_str(&in->name, map_get(ld->doc, root, "name"), NULL) < 0 ||
	    info_str(&in->title, map_get(ld->doc, root, "title"), NULL) < 0 ||
	    info_str(&in->severity, NULL, severity_of(level)) < 0 ||
	    info_str(&in->taxonomy, map_get(ld->doc, ks, "taxonomy"),
	    "other") < 0 ||
	    info_str(&in->type, map_get(ld->doc, ks, "type"), "other") < 0 ||
	    info_str(&in->outcome, map_get(ld->doc, ks, "outcome"), NULL) < 0 ||
	    info_str(&in->advice, map_get(ld->doc, ks, "advice"), NULL) < 0 ||
	    info_str(&in->path, NULL, ld->name) < 0)
		return ks_err_set(ld->err, "out of memory");
	return load_samples(ld, map_get(ld->doc, ks, "samples"), in);
}

/* Applies one |modifier to m (glob affixes are applied later). */
static int
modifier(struct loader *ld, struct ks_match *m, const char *mod, size_t n,
    int *affix, bool *caseless_re)
{
	static const char *const names[] = { "contains", "startswith",
	    "endswith" };

	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == n && memcmp(mod, names[i], n) == 0) {
			*affix = i + 1;
			return 0;
		}
	if (n == 3 && memcmp(mod, "all", 3) == 0)
		m->all = true;
	else if (n == 5 && memcmp(mod, "cased", 5) == 0)
		m->cased = true;
	else if (n == 2 && memcmp(mod, "re", 2) == 0)
		m->mod = KS_MOD_RE;
	else if (n == 1 && mod[0] == 'i' && m->mod == KS_MOD_RE)
		*caseless_re = true;
	else if (n == 4 && memcmp(mod, "cidr", 4) == 0)
		m->mod = KS_MOD_CIDR;
	else
		return ks_err_set(ld->err, "%s: unknown modifier '%.*s'",
		    ld->name, (int)n, mod);
	return 0;
}

/* Stores value i of m in the form its modifier needs. */
static int
value(struct loader *ld, struct ks_match *m, size_t i, const char *v,
    int affix, bool caseless_re)
{
	size_t n = strlen(v);
	int ecode;
	PCRE2_SIZE eoff;

	switch (m->mod) {
	case KS_MOD_GLOB:
		if ((m->glob[i] = malloc(n + 3)) == NULL)
			return ks_err_set(ld->err, "out of memory");
		snprintf(m->glob[i], n + 3, "%s%s%s",
		    affix == 1 || affix == 3 ? "*" : "", v,
		    affix == 1 || affix == 2 ? "*" : "");
		m->glen[i] = strlen(m->glob[i]);
		if (ks_lit_compile(m, i) < 0)
			return ks_err_set(ld->err, "out of memory");
		return 0;
	case KS_MOD_RE:
		m->re[i] = pcre2_compile((PCRE2_SPTR)v, n,
		    caseless_re ? PCRE2_CASELESS : 0, &ecode, &eoff, NULL);
		if (m->re[i] == NULL) {
			PCRE2_UCHAR msg[160];

			pcre2_get_error_message(ecode, msg, sizeof(msg));
			return ks_err_set(ld->err, "%s: regular expression '%s' "
			    "at %zu: %s", ld->name, v, (size_t)eoff, msg);
		}
		if ((m->re_src[i] = strdup(v)) == NULL)
			return ks_err_set(ld->err, "out of memory");
		/* JIT where the platform has it; the interpreter otherwise */
		(void)pcre2_jit_compile(m->re[i], PCRE2_JIT_COMPLETE);
		ks_gate_compile(&m->gate[i], m->re[i]);
		if (m->md == NULL &&
		    (m->md = pcre2_match_data_create(1, NULL)) == NULL)
			return ks_err_set(ld->err, "out of memory");
		return 0;
	case KS_MOD_CIDR:
		if (!ks_cidr_parse(v, &m->cidr[i]))
			return ks_err_set(ld->err, "%s: '%s' is not a network "
			    "(ADDRESS/BITS)", ld->name, v);
		return 0;
	case KS_MOD_NULL:
		break;
	}
	return 0;
}

/* Collects the scalar values of a node (a scalar or a list of them). */
static int
values(struct loader *ld, yaml_node_t *n, yaml_node_t ***out, size_t *count)
{
	yaml_node_item_t *it;
	size_t i = 0;

	*count = 0;
	if (n->type == YAML_SCALAR_NODE) {
		if ((*out = calloc(1, sizeof(**out))) == NULL)
			return ks_err_set(ld->err, "out of memory");
		(*out)[0] = n;
		*count = 1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return ks_err_set(ld->err, "%s: a field's value must be a "
		    "string or a list of strings", ld->name);
	*count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (*count == 0 || *count > KS_VALUES_MAX ||
	    (*out = calloc(*count, sizeof(**out))) == NULL)
		return ks_err_set(ld->err, "%s: empty or oversized list",
		    ld->name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		(*out)[i] = yaml_document_get_node(ld->doc, *it);
		if ((*out)[i] == NULL || (*out)[i]->type != YAML_SCALAR_NODE) {
			free(*out);
			return ks_err_set(ld->err, "%s: lists of values must hold "
			    "strings", ld->name);
		}
		i++;
	}
	return 0;
}

/* "field|mod|mod": value(s) -> one ks_match. */
static int
field_match(struct loader *ld, const char *key, yaml_node_t *vn,
    struct ks_match *m)
{
	const char *bar = strchr(key, '|'), *mod, *end;
	size_t flen = bar ? (size_t)(bar - key) : strlen(key);
	yaml_node_t **vals = NULL;
	bool caseless_re = false;
	int affix = 0, rc = -1;

	memset(m, 0, sizeof(*m));
	if ((m->field = ks_sigma_field_id(key, flen)) < 0)
		return ks_err_set(ld->err, "%s: unknown field '%.*s'", ld->name,
		    (int)flen, key);
	for (mod = bar; mod != NULL; mod = end) {
		mod++;
		end = strchr(mod, '|');
		if (modifier(ld, m, mod, end ? (size_t)(end - mod) : strlen(mod),
		    &affix, &caseless_re) < 0)
			return -1;
	}
	if (is_null(vn)) {
		m->mod = KS_MOD_NULL;
		return 0;
	}
	if (values(ld, vn, &vals, &m->n) < 0)
		return -1;
	if ((m->glob = calloc(m->n, sizeof(*m->glob))) == NULL ||
	    (m->glen = calloc(m->n, sizeof(*m->glen))) == NULL ||
	    (m->lit = calloc(m->n, sizeof(*m->lit))) == NULL ||
	    (m->re = calloc(m->n, sizeof(*m->re))) == NULL ||
	    (m->re_src = calloc(m->n, sizeof(*m->re_src))) == NULL ||
	    (m->gate = calloc(m->n, sizeof(*m->gate))) == NULL ||
	    (m->cidr = calloc(m->n, sizeof(*m->cidr))) == NULL) {
		ks_err_set(ld->err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m->n; i++)
		if (value(ld, m, i, scalar(vals[i]), affix, caseless_re) < 0)
			goto out;
	rc = 0;
out:
	free(vals);
	return rc;
}

static int
load_map(struct loader *ld, yaml_node_t *n, struct ks_map *map)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;
	size_t count = (size_t)(n->data.mapping.pairs.top -
	    n->data.mapping.pairs.start);

	if (count == 0 || (map->m = calloc(count, sizeof(*map->m))) == NULL)
		return ks_err_set(ld->err, "%s: empty selection", ld->name);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(ld->doc, p->key);
		if (scalar(k) == NULL)
			return ks_err_set(ld->err, "%s: field names must be "
			    "strings", ld->name);
		if (field_match(ld, scalar(k), yaml_document_get_node(ld->doc,
		    p->value), &map->m[map->n]) < 0) {
			ks_match_free(&map->m[map->n]);
			return -1;
		}
		map->n++;
	}
	return 0;
}

/* A keyword: a map of one "message|contains" match. */
static int
load_keyword(struct loader *ld, yaml_node_t *kw, struct ks_map *map)
{
	if ((map->m = calloc(1, sizeof(*map->m))) == NULL)
		return ks_err_set(ld->err, "out of memory");
	if (field_match(ld, "message|contains", kw, &map->m[0]) < 0) {
		ks_match_free(&map->m[0]);
		return -1;
	}
	map->n = 1;
	return 0;
}

static int
load_sel(struct loader *ld, const char *name, yaml_node_t *n,
    struct ks_sel *s)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	size_t count;

	if ((s->name = strdup(name)) == NULL)
		return ks_err_set(ld->err, "out of memory");
	if (n->type == YAML_MAPPING_NODE) {
		if ((s->maps = calloc(1, sizeof(*s->maps))) == NULL)
			return ks_err_set(ld->err, "out of memory");
		s->n = 1;
		return load_map(ld, n, &s->maps[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return ks_err_set(ld->err, "%s: search identifier '%s' must be "
		    "a map or a list", ld->name, name);
	count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (count == 0 || count > KS_VALUES_MAX ||
	    (s->maps = calloc(count, sizeof(*s->maps))) == NULL)
		return ks_err_set(ld->err, "%s: '%s' is empty", ld->name, name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		item = yaml_document_get_node(ld->doc, *it);
		if (item == NULL)
			return ks_err_set(ld->err, "%s: bad list", ld->name);
		if ((item->type == YAML_MAPPING_NODE ?
		    load_map(ld, item, &s->maps[s->n]) :
		    load_keyword(ld, item, &s->maps[s->n])) < 0) {
			s->n++;
			return -1;
		}
		s->n++;
	}
	return ks_selgate_make(s) < 0 ?
	    ks_err_set(ld->err, "out of memory") : 0;
}

/* The condition as one string: a list of conditions is their "or". */
static int
condition_text(struct loader *ld, yaml_node_t *n, struct ks_buf *b)
{
	yaml_node_item_t *it;

	if (scalar(n) != NULL) {
		ks_buf_adds(b, scalar(n));
		return 0;
	}
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return ks_err_set(ld->err, "%s: detection has no condition",
		    ld->name);
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	    it++) {
		const char *s = scalar(yaml_document_get_node(ld->doc, *it));

		if (s == NULL)
			return ks_err_set(ld->err, "%s: bad condition list",
			    ld->name);
		ks_buf_adds(b, it == n->data.sequence.items.start ? "(" : " or (");
		ks_buf_adds(b, s);
		ks_buf_addc(b, ')');
	}
	return 0;
}

static int
load_detection(struct loader *ld, yaml_node_t *det, struct ks_rule *r)
{
	yaml_node_pair_t *p;
	struct ks_buf cond;
	struct ks_err cerr;
	size_t count;
	int rc;

	if (det == NULL || det->type != YAML_MAPPING_NODE)
		return ks_err_set(ld->err, "%s: no detection block", ld->name);
	count = (size_t)(det->data.mapping.pairs.top -
	    det->data.mapping.pairs.start);
	if ((r->sels = calloc(count, sizeof(*r->sels))) == NULL)
		return ks_err_set(ld->err, "out of memory");
	for (p = det->data.mapping.pairs.start; p < det->data.mapping.pairs.top;
	    p++) {
		const char *key = scalar(yaml_document_get_node(ld->doc, p->key));

		if (key == NULL)
			return ks_err_set(ld->err, "%s: bad detection key",
			    ld->name);
		if (strcmp(key, "condition") == 0 || strcmp(key, "timeframe") == 0)
			continue;
		rc = load_sel(ld, key, yaml_document_get_node(ld->doc, p->value),
		    &r->sels[r->nsels]);
		r->nsels++;
		if (rc < 0)
			return -1;
	}
	ks_buf_init(&cond);
	rc = condition_text(ld, map_get(ld->doc, det, "condition"), &cond);
	ks_buf_addc(&cond, '\0');
	if (rc == 0 && ks_buf_failed(&cond))
		rc = ks_err_set(ld->err, "out of memory");
	if (rc == 0 && ks_cond_parse(r, cond.p, &cerr) < 0)
		rc = ks_err_set(ld->err, "%s: condition: %s", ld->name, cerr.msg);
	ks_buf_free(&cond);
	return rc;
}

/* "30s", "5m", "1h", "2d" in microseconds; -1 when malformed. */
static int64_t
timespan(const char *s)
{
	char *end;
	long long v;
	int64_t unit;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	if (end[1] != '\0' || v <= 0 || v > 366LL * 86400 / unit)
		return -1;
	return v * unit * 1000000;
}

static int
corr_strings(struct loader *ld, yaml_node_t *n, char ***out, size_t *count,
    const char *what)
{
	if (n == NULL)
		return ks_err_set(ld->err, "%s: correlation has no %s", ld->name,
		    what);
	return string_list(ld, n, out, count);
}

static int
corr_type(struct loader *ld, const char *t, struct ks_corr *c)
{
	static const char *const names[] = { "event_count", "value_count",
	    "temporal", "temporal_ordered", "unpreceded" };

	for (int i = 0; t != NULL && i < 5; i++)
		if (strcmp(t, names[i]) == 0) {
			c->type = (enum ks_corr_type)i;
			return 0;
		}
	return ks_err_set(ld->err, "%s: correlation type must be event_count, "
	    "value_count, temporal, temporal_ordered or unpreceded", ld->name);
}

static int
corr_condition(struct loader *ld, yaml_node_t *cond, struct ks_corr *c)
{
	static const char *const ops[] = { "gt", "gte", "eq" };
	const char *v = NULL, *field;
	char *end;

	if (c->type == KS_CORR_UNPRECEDED) {
		if (c->nrefs < 2)
			return ks_err_set(ld->err, "%s: unpreceded needs the rules "
			    "that must not come first, then the one that fires",
			    ld->name);
		c->op = KS_CORR_GTE;
		c->threshold = 1;
		return 0;
	}
	if (c->type == KS_CORR_TEMPORAL || c->type == KS_CORR_TEMPORAL_ORDERED) {
		c->op = KS_CORR_GTE;
		c->threshold = c->nrefs;
		return 0;
	}
	for (int i = 0; i < 3 && v == NULL; i++)
		if ((v = scalar(map_get(ld->doc, cond, ops[i]))) != NULL)
			c->op = (enum ks_corr_op)i;
	if (v == NULL) {
		if (map_get(ld->doc, cond, "lt") || map_get(ld->doc, cond, "lte"))
			return ks_err_set(ld->err, "%s: lt and lte are not "
			    "supported: correlations are decided as events "
			    "arrive (use gt, gte or eq)", ld->name);
		return ks_err_set(ld->err, "%s: correlation condition needs "
		    "gt, gte or eq", ld->name);
	}
	c->threshold = strtoull(v, &end, 10);
	if (*end != '\0' || c->threshold == 0 ||
	    c->threshold > KS_CORR_ENTRIES_MAX)
		return ks_err_set(ld->err, "%s: correlation threshold must be "
		    "1 to %d", ld->name, KS_CORR_ENTRIES_MAX);
	if (c->type == KS_CORR_VALUE_COUNT) {
		field = scalar(map_get(ld->doc, cond, "field"));
		if (field == NULL || (c->value_field = ks_sigma_field_id(field,
		    strlen(field))) < 0)
			return ks_err_set(ld->err, "%s: value_count needs a "
			    "known condition field", ld->name);
	}
	return 0;
}

static int
load_corr(struct loader *ld, yaml_node_t *root, struct ks_corr *c)
{
	yaml_node_t *cn = map_get(ld->doc, root, "correlation");
	const char *gen = scalar(map_get(ld->doc, cn, "generate")), *quiet;
	char **groups = NULL;
	size_t ngroups = 0;
	int rc = -1;

	if (cn == NULL || cn->type != YAML_MAPPING_NODE)
		return ks_err_set(ld->err, "%s: bad correlation block", ld->name);
	if (load_info(ld, root, &c->info) < 0 ||
	    corr_type(ld, scalar(map_get(ld->doc, cn, "type")), c) < 0 ||
	    corr_strings(ld, map_get(ld->doc, cn, "rules"), &c->refs,
	    &c->nrefs, "rules") < 0)
		return -1;
	if ((c->span_us = timespan(scalar(map_get(ld->doc, cn, "timespan")))) < 0)
		return ks_err_set(ld->err, "%s: timespan must be like 30s, 5m, "
		    "1h or 1d", ld->name);
	c->generate = gen != NULL && strcmp(gen, "true") == 0;
	quiet = scalar(map_get(ld->doc, map_get(ld->doc, root, "kansatsu"),
	    "quiet"));
	c->quiet = quiet != NULL && strcmp(quiet, "true") == 0;
	if (map_get(ld->doc, cn, "group-by") != NULL &&
	    corr_strings(ld, map_get(ld->doc, cn, "group-by"), &groups,
	    &ngroups, "group-by") < 0)
		goto out;
	if ((c->group_by = calloc(ngroups ? ngroups : 1, sizeof(int))) == NULL) {
		ks_err_set(ld->err, "out of memory");
		goto out;
	}
	for (c->ngroup = 0; c->ngroup < ngroups; c->ngroup++)
		if ((c->group_by[c->ngroup] = ks_sigma_field_id(groups[c->ngroup],
		    strlen(groups[c->ngroup]))) < 0) {
			ks_err_set(ld->err, "%s: unknown group-by field '%s'",
			    ld->name, groups[c->ngroup]);
			goto out;
		}
	rc = corr_condition(ld, map_get(ld->doc, cn, "condition"), c);
out:
	for (size_t i = 0; i < ngroups; i++)
		free(groups[i]);
	free(groups);
	return rc;
}

int
ks_sigma_parse(const char *name, const char *text, size_t len,
    struct ks_rule **rule, struct ks_corr **corr, struct ks_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct loader ld = { &doc, name, err };
	yaml_node_t *root;
	int rc = -1;

	*rule = NULL;
	*corr = NULL;
	if (len > KS_RULE_MAX)
		return ks_err_set(err, "%s: larger than %d bytes", name,
		    KS_RULE_MAX);
	if (!yaml_parser_initialize(&parser))
		return ks_err_set(err, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		ks_err_set(err, "%s:%zu: %s", name,
		    (size_t)parser.problem_mark.line + 1,
		    parser.problem ? parser.problem : "YAML error");
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		ks_err_set(err, "%s: not a Sigma rule (no mapping)", name);
	} else if (map_get(&doc, root, "correlation") != NULL) {
		if ((*corr = calloc(1, sizeof(**corr))) == NULL)
			ks_err_set(err, "out of memory");
		else if (load_corr(&ld, root, *corr) == 0)
			rc = 0;
	} else if ((*rule = calloc(1, sizeof(**rule))) == NULL) {
		ks_err_set(err, "out of memory");
	} else if (load_info(&ld, root, &(*rule)->info) == 0 &&
	    load_detection(&ld, map_get(&doc, root, "detection"), *rule) == 0)
		rc = 0;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		ks_rule_free(*rule);
		ks_corr_free(*corr);
		*rule = NULL;
		*corr = NULL;
	}
	return rc;
}

int
ks_rule_parse(struct ks_rule **out, const char *name, const char *text,
    size_t len, struct ks_err *err)
{
	struct ks_corr *c;

	if (ks_sigma_parse(name, text, len, out, &c, err) < 0)
		return -1;
	if (c != NULL) {
		ks_corr_free(c);
		return ks_err_set(err, "%s: a correlation rule, not a detection "
		    "rule", name);
	}
	return 0;
}

int
ks_rule_load(struct ks_rule **out, const char *path, struct ks_err *err)
{
	struct stat st;
	char *text;
	ssize_t got;
	int fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		rc = ks_err_set(err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > KS_RULE_MAX) {
		close(fd);
		return ks_err_set(err, "%s: not a regular file of at most %d "
		    "bytes", path, KS_RULE_MAX);
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return ks_err_set(err, "out of memory");
	}
	got = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		free(text);
		return ks_err_set(err, "%s: short read", path);
	}
	rc = ks_rule_parse(out, path, text, (size_t)got, err);
	free(text);
	return rc;
}


void
ks_corr_free(struct ks_corr *c)
{
	if (c == NULL)
		return;
	ks_rule_info_free_strings(&c->info);
	for (size_t i = 0; i < c->nrefs; i++)
		free(c->refs[i]);
	free(c->refs);
	free(c->rules);
	free(c->group_by);
	free(c);
}

void
ks_rule_free(struct ks_rule *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nsels; i++) {
		for (size_t j = 0; j < r->sels[i].n; j++) {
			for (size_t k = 0; k < r->sels[i].maps[j].n; k++)
				ks_match_free(&r->sels[i].maps[j].m[k]);
			free(r->sels[i].maps[j].m);
		}
		free(r->sels[i].maps);
		free(r->sels[i].gate);
		free(r->sels[i].name);
	}
	free(r->sels);
	ks_cond_free(r->cond);
	ks_rule_info_free_strings(&r->info);
	free(r);
}

bool
ks_rule_match(const struct ks_rule *r, const struct ks_event *ev,
    const struct ks_fields *f)
{
	return ks_cond_eval(r, r->cond, ev, f, NULL);
}

bool
ks_rule_match_pf(const struct ks_rule *r, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_pfscan *ps)
{
	return ks_cond_eval(r, r->cond, ev, f, ps);
}

const struct ks_rule_info *
ks_rule_info(const struct ks_rule *r)
{
	return &r->info;
}
