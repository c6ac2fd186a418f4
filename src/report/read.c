/*
 * read.c - findings read back from JSON Lines (the findings contract),
 * for `kansatsu report` and for anything else that takes findings in.
 *
 * Each line is parsed by Jansson and flattened to dotted names, so the
 * nested form (`{"source":{"ip":...}}`) and the flat one
 * (`{"source.ip":...}`) give the same finding.  The contract's own
 * members fill the rule description and the finding; decoded fields
 * (source.ip, user.name, ...) go to their slots and every other scalar to
 * an attribute, so nothing a newer producer adds (source.geo.*, process.*)
 * is lost on the way through.  Rule descriptions are interned: findings
 * of one rule share one struct ks_rule_info, as they do when the engine
 * makes them.
 *
 * The input is hostile: a line is bounded (KS_FINDSET_LINE_MAX), so is
 * the number of findings kept (KS_FINDSET_MAX) and the nesting followed;
 * a line that is not a finding is counted with its reason, never guessed.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report_int.h"

#define NEST_MAX 8
#define KEY_MAX 256
#define MEMBERS_MAX 128

/* One scalar member under its dotted name. */
struct member {
	char key[KEY_MAX];
	const char *str;        /* a string's value, or NULL */
	char num[32];           /* a number or boolean, as text */
	bool is_num;
};

struct flat {
	struct member m[MEMBERS_MAX];
	size_t n;
	json_t *evidence;
	uint64_t skipped;
};

int
ks_findset_init(struct ks_findset *set, struct ks_err *err)
{
	memset(set, 0, sizeof(*set));
	ks_findings_init(&set->list);
	return ks_map_new(&set->rule_index, KS_FINDSET_RULES, err);
}

static void
rule_info_free(struct ks_rule_info *in)
{
	in->path = NULL;        /* the id itself (rule_new) */
	ks_rule_info_free_strings(in);
	free(in);
}

void
ks_findset_free(struct ks_findset *set)
{
	ks_findings_free(&set->list);
	for (size_t i = 0; i < set->nrules; i++)
		rule_info_free(set->rules[i]);
	free(set->rules);
	ks_map_free(set->rule_index);
	memset(set, 0, sizeof(*set));
}

/* ---- time --------------------------------------------------------------- */

static bool
digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!ks_isdigit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
parse_zone(const char *p, size_t n, int32_t *off)
{
	int h, m;

	if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (n != 6 || (p[0] != '+' && p[0] != '-') || p[3] != ':' ||
	    !digits(p + 1, 2, &h) || !digits(p + 4, 2, &m) || h > 23 || m > 59)
		return -1;
	*off = (h * 3600 + m * 60) * (p[0] == '-' ? -1 : 1);
	return 0;
}

int
ks_rfc3339_parse(const char *s, size_t n, int64_t *us, int32_t *off)
{
	int y, mo, d, h, mi, sec;
	int64_t frac = 0, scale = 100000;
	size_t i = 19;

	if (n < 20 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && ks_isdigit(s[i]); i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (parse_zone(s + i, n - i, off) < 0)
		return -1;
	*us = ((ks_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - *off) * 1000000) + frac;
	return 0;
}

/* ---- flattening --------------------------------------------------------- */

static void
flat_scalar(struct flat *f, const char *key, json_t *v)
{
	struct member *m;

	if (f->n == MEMBERS_MAX) {
		f->skipped++;
		return;
	}
	m = &f->m[f->n];
	memset(m, 0, sizeof(*m));
	snprintf(m->key, sizeof(m->key), "%s", key);
	if (json_is_string(v))
		m->str = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(m->num, sizeof(m->num), "%lld",
		    (long long)json_integer_value(v));
		m->is_num = true;
	} else if (json_is_real(v)) {
		snprintf(m->num, sizeof(m->num), "%.17g", json_real_value(v));
		m->is_num = true;
	} else
		snprintf(m->num, sizeof(m->num), "%s",
		    json_is_true(v) ? "true" : "false");
	f->n++;
}

static void
flatten(struct flat *f, json_t *obj, const char *prefix, int depth)
{
	const char *k;
	json_t *v;
	char key[KEY_MAX];

	json_object_foreach(obj, k, v) {
		if ((size_t)snprintf(key, sizeof(key), "%s%s%s", prefix,
		    *prefix ? "." : "", k) >= sizeof(key) || json_is_null(v)) {
			f->skipped += !json_is_null(v);
			continue;
		}
		if (json_is_object(v) && depth < NEST_MAX)
			flatten(f, v, key, depth + 1);
		else if (json_is_array(v) && strcmp(key, "evidence") == 0)
			f->evidence = v;
		else if (json_is_object(v) || json_is_array(v))
			f->skipped++;
		else
			flat_scalar(f, key, v);
	}
}

static const struct member *
member(const struct flat *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->m[i].key, key) == 0)
			return &f->m[i];
	return NULL;
}

static const char *
member_str(const struct flat *f, const char *key)
{
	const struct member *m = member(f, key);

	return m != NULL && m->str != NULL && m->str[0] != '\0' ? m->str : NULL;
}

/* ---- rule descriptions -------------------------------------------------- */

static const char *const rule_keys[] = {
	"rule", "title", "severity", "classification.taxonomy",
	"classification.type", "outcome", "advice",
};
#define NRULE_KEYS (sizeof(rule_keys) / sizeof(*rule_keys))

static bool
is_rule_key(const char *key)
{
	for (size_t i = 0; i < NRULE_KEYS; i++)
		if (strcmp(key, rule_keys[i]) == 0)
			return true;
	return false;
}

static struct ks_rule_info *
rule_new(const char *v[NRULE_KEYS])
{
	struct ks_rule_info *in = calloc(1, sizeof(*in));
	char *s[NRULE_KEYS] = { NULL };
	bool ok = in != NULL;

	for (size_t i = 0; ok && i < NRULE_KEYS; i++)
		ok = v[i] == NULL || (s[i] = strdup(v[i])) != NULL;
	if (!ok) {
		for (size_t i = 0; i < NRULE_KEYS; i++)
			free(s[i]);
		free(in);
		return NULL;
	}
	in->id = s[0];
	in->title = s[1];
	in->severity = s[2];
	in->taxonomy = s[3];
	in->type = s[4];
	in->outcome = s[5];
	in->advice = s[6];
	in->path = in->id;
	return in;
}

/*
 * The interned description of the rule the members name; *out NULL when
 * KS_FINDSET_RULES distinct ones are held already.
 */
static int
rule_intern(struct ks_findset *set, const char *v[NRULE_KEYS],
    const struct ks_rule_info **out, struct ks_err *err)
{
	struct ks_buf key;
	struct ks_rule_info *in, **nv;
	size_t idx;
	int rc = -1;

	ks_buf_init(&key);
	for (size_t i = 0; i < NRULE_KEYS; i++) {
		ks_buf_adds(&key, v[i] != NULL ? v[i] : "");
		ks_buf_addc(&key, '\0');
	}
	if (ks_buf_failed(&key))
		goto out;
	if (ks_map_get(set->rule_index, key.p, key.len, &idx)) {
		*out = set->rules[idx];
		rc = 0;
		goto out;
	}
	if (set->nrules >= KS_FINDSET_RULES) {
		*out = NULL;
		rc = 0;
		goto out;
	}
	if (set->nrules == set->caprules) {
		size_t cap = set->caprules ? set->caprules * 2 : 16;

		if ((nv = realloc(set->rules, cap * sizeof(*nv))) == NULL)
			goto out;
		set->rules = nv;
		set->caprules = cap;
	}
	if ((in = rule_new(v)) == NULL)
		goto out;
	if (ks_map_put(set->rule_index, key.p, key.len, set->nrules, err) < 0) {
		rule_info_free(in);
		ks_buf_free(&key);
		return -1;
	}
	set->rules[set->nrules++] = in;
	*out = in;
	rc = 0;
out:
	if (rc < 0)
		ks_err_set(err, "out of memory");
	ks_buf_free(&key);
	return rc;
}

/* ---- one finding -------------------------------------------------------- */

/* Why a line is not a finding: a reason, or NULL when it is one. */
static const char *
check_required(const struct flat *f)
{
	static const char *const req[] = {
		"rule", "title", "classification.taxonomy",
		"classification.type", "severity", "host.name", "first_seen",
		"last_seen",
	};
	const struct member *c = member(f, "count");

	for (size_t i = 0; i < sizeof(req) / sizeof(*req); i++)
		if (member_str(f, req[i]) == NULL)
			return req[i];
	if (c == NULL || !c->is_num || c->num[0] == '-' ||
	    strchr(c->num, '.') != NULL)
		return "count";
	if (f->evidence == NULL)
		return "evidence";
	if (ks_severity_rank(member_str(f, "severity")) < 0)
		return "severity";
	return NULL;
}

static bool
add_evidence(struct ks_finding *fd, json_t *e, uint64_t *skipped)
{
	json_t *path = json_object_get(e, "path");
	json_t *line = json_object_get(e, "line");
	json_t *text = json_object_get(e, "text");
	const char *cursor = NULL;
	uint64_t no = 0;

	if (!json_is_object(e) || !json_is_string(path) ||
	    !json_is_string(text)) {
		(*skipped)++;
		return true;
	}
	if (json_is_integer(line) && json_integer_value(line) > 0)
		no = (uint64_t)json_integer_value(line);
	else if (json_is_string(line))
		cursor = json_string_value(line);
	if (fd->nev == KS_EVIDENCE_MAX) {
		(*skipped)++;
		return true;
	}
	return ks_finding_evidence(fd, json_string_value(path), no, cursor,
	    json_string_value(text), json_string_length(text));
}

static bool
fill_members(struct ks_finding *fd, const struct flat *f, uint64_t *skipped)
{
	static const char *const own[] = {
		"host.name", "first_seen", "last_seen", "count",
	};

	for (size_t i = 0; i < f->n; i++) {
		const struct member *m = &f->m[i];
		const char *v = m->str != NULL ? m->str : m->num;
		bool mine = is_rule_key(m->key);
		int k;

		for (size_t j = 0; j < sizeof(own) / sizeof(*own); j++)
			mine = mine || strcmp(m->key, own[j]) == 0;
		if (mine)
			continue;
		k = ks_field_lookup(m->key, strlen(m->key));
		if (k >= 0) {
			if (!ks_finding_set(fd, (enum ks_field)k, v, strlen(v)))
				return false;
		} else if (fd->nattr == KS_ATTR_MAX &&
		    ks_finding_get_attr(fd, m->key) == NULL)
			(*skipped)++;
		else if (!ks_finding_attr(fd, m->key, v, m->is_num))
			return false;
	}
	return true;
}

static bool
fill_times(struct ks_finding *fd, const struct flat *f)
{
	const char *a = member_str(f, "first_seen");
	const char *b = member_str(f, "last_seen");

	return ks_rfc3339_parse(a, strlen(a), &fd->first_us,
	    &fd->first_off) == 0 && ks_rfc3339_parse(b, strlen(b),
	    &fd->last_us, &fd->last_off) == 0 && fd->first_us <= fd->last_us;
}

/* Counts a line that is not a finding; the first one's reason is kept. */
static void
bad_line(struct ks_findset *set, const char *path, uint64_t lineno,
    const char *why, const char *what)
{
	if (set->bad++ == 0) {
		set->first_bad_line = lineno;
		snprintf(set->first_bad_path, sizeof(set->first_bad_path), "%s",
		    path != NULL ? path : "-");
		ks_err_set(&set->first_bad, "%s%s", why, what);
	}
}

/* Builds the finding; 1 added, 0 bad (counted), -1 out of memory. */
static int
make_finding(struct ks_findset *set, const struct flat *f, const char *path,
    uint64_t lineno, struct ks_err *err)
{
	const char *v[NRULE_KEYS];
	const struct ks_rule_info *rule;
	struct ks_finding *fd;
	const char *why = check_required(f);
	size_t i;

	if (why != NULL) {
		bad_line(set, path, lineno, "missing or invalid ", why);
		return 0;
	}
	for (i = 0; i < NRULE_KEYS; i++)
		v[i] = member_str(f, rule_keys[i]);
	if (rule_intern(set, v, &rule, err) < 0)
		return -1;
	if (rule == NULL) {
		set->dropped++;
		return 0;
	}
	if ((fd = ks_finding_new(rule, member_str(f, "host.name"))) == NULL)
		return ks_err_set(err, "out of memory");
	fd->count = strtoull(member(f, "count")->num, NULL, 10);
	if (!fill_times(fd, f)) {
		ks_finding_free(fd);
		bad_line(set, path, lineno, "bad first_seen or last_seen", "");
		return 0;
	}
	set->skipped += f->skipped;
	if (!fill_members(fd, f, &set->skipped))
		goto nomem;
	for (i = 0; i < json_array_size(f->evidence); i++)
		if (!add_evidence(fd, json_array_get(f->evidence, i),
		    &set->skipped))
			goto nomem;
	if (!ks_findings_add(&set->list, fd))
		return ks_err_set(err, "out of memory");
	return 1;
nomem:
	ks_finding_free(fd);
	return ks_err_set(err, "out of memory");
}

static bool
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

int
ks_findset_line(struct ks_findset *set, const char *p, size_t n,
    const char *path, uint64_t lineno, struct ks_err *err)
{
	struct flat *f;
	json_error_t jerr;
	json_t *root;
	int rc;

	set->lines++;
	if (blank(p, n))
		return 0;
	if (set->list.n >= KS_FINDSET_MAX) {
		set->dropped++;
		return 0;
	}
	root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(root)) {
		bad_line(set, path, lineno, root == NULL ? "not JSON: " :
		    "not a JSON object", root == NULL ? jerr.text : "");
		json_decref(root);
		return 0;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		json_decref(root);
		return ks_err_set(err, "out of memory");
	}
	flatten(f, root, "", 0);
	rc = make_finding(set, f, path, lineno, err);
	free(f);
	json_decref(root);
	return rc;
}

/* ---- reading a file ----------------------------------------------------- */

struct reader {
	struct ks_findset *set;
	const char *path;
	struct ks_buf line;
	uint64_t lineno;
	bool too_long;
};

static int
reader_feed(struct reader *rd, const char *p, size_t n, struct ks_err *err)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (!rd->too_long && rd->line.len + take > KS_FINDSET_LINE_MAX)
			rd->too_long = true;
		if (!rd->too_long)
			ks_buf_add(&rd->line, p, take);
		if (ks_buf_failed(&rd->line))
			return ks_err_set(err, "out of memory");
		if (nl == NULL)
			return 0;
		rd->lineno++;
		if (rd->too_long) {
			rd->set->lines++;
			bad_line(rd->set, rd->path, rd->lineno,
			    "line longer than 1 MiB", "");
		} else if (ks_findset_line(rd->set, rd->line.p, rd->line.len,
		    rd->path, rd->lineno, err) < 0)
			return -1;
		ks_buf_reset(&rd->line);
		rd->too_long = false;
		p = nl + 1;
		n -= take + 1;
	}
	return 0;
}

int
ks_findset_read_fd(struct ks_findset *set, int fd, const char *path,
    char sha256[65], struct ks_err *err)
{
	struct reader rd = { .set = set, .path = path };
	struct ks_sha256 h;
	char buf[65536];
	ssize_t got;
	int rc = 0;

	if (ks_sha256_init(&h, err) < 0)
		return -1;
	ks_buf_init(&rd.line);
	while (rc == 0 && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			rc = ks_err_set(err, "%s: %s", path, strerror(errno));
		else {
			ks_sha256_update(&h, buf, (size_t)got);
			rc = reader_feed(&rd, buf, (size_t)got, err);
		}
	}
	if (rc == 0 && (rd.line.len > 0 || rd.too_long))
		rc = reader_feed(&rd, "\n", 1, err);
	ks_buf_free(&rd.line);
	if (rc < 0) {
		ks_sha256_abort(&h);
		return -1;
	}
	ks_sha256_final(&h, sha256);
	return 0;
}
