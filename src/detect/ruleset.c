/*
 * ruleset.c - a collection of Sigma rules: files and directories loaded,
 * correlations tied to the detection rules they name.
 *
 * A correlation names rules by id or by name; the names are resolved once
 * here, so the engine works with indexes.  A rule a correlation refers
 * to is marked silent (it only feeds the correlation) unless that
 * correlation says `generate: true`, as Sigma specifies.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detect/ruleset_int.h"

int
ks_ruleset_new(struct ks_ruleset **out, struct ks_err *err)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return ks_err_set(err, "out of memory");
	return 0;
}

void
ks_ruleset_free(struct ks_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		ks_rule_free(rs->rules[i]);
	for (size_t i = 0; i < rs->ncorrs; i++)
		ks_corr_free(rs->corrs[i]);
	free(rs->rules);
	free(rs->corrs);
	free(rs->silent);
	ks_dispatch_free(&rs->dispatch, rs->nrules);
	ks_prefilter_free(rs->pf);
	free(rs);
}

static int
grow(void **v, size_t *cap, size_t n, size_t size, struct ks_err *err)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 32;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return ks_err_set(err, "out of memory");
	*v = nv;
	*cap = ncap;
	return 0;
}

/* The rule (of either kind) with this id, or NULL. */
static const struct ks_rule_info *
find_id(const struct ks_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules + rs->ncorrs; i++)
		if (strcmp(ks_ruleset_info(rs, i)->id, id) == 0)
			return ks_ruleset_info(rs, i);
	return NULL;
}

int
ks_ruleset_add_text(struct ks_ruleset *rs, const char *name,
    const char *text, size_t len, struct ks_err *err)
{
	const struct ks_rule_info *in, *dup;
	struct ks_rule *r;
	struct ks_corr *c;

	if (ks_sigma_parse(name, text, len, &r, &c, err) < 0)
		return -1;
	in = r ? ks_rule_info(r) : &c->info;
	if ((dup = find_id(rs, in->id)) != NULL) {
		ks_err_set(err, "%s: rule id '%s' is taken by %s", name, in->id,
		    dup->path);
		ks_rule_free(r);
		ks_corr_free(c);
		return -1;
	}
	if (r != NULL) {
		if (grow((void **)&rs->rules, &rs->caprules, rs->nrules,
		    sizeof(*rs->rules), err) < 0) {
			ks_rule_free(r);
			return -1;
		}
		rs->rules[rs->nrules++] = r;
	} else {
		if (grow((void **)&rs->corrs, &rs->capcorrs, rs->ncorrs,
		    sizeof(*rs->corrs), err) < 0) {
			ks_corr_free(c);
			return -1;
		}
		rs->corrs[rs->ncorrs++] = c;
	}
	return 0;
}

/* True when the file at real path rp is loaded already. */
static bool
loaded(const struct ks_ruleset *rs, const char *rp)
{
	for (size_t i = 0; i < rs->nrules + rs->ncorrs; i++)
		if (strcmp(ks_ruleset_info(rs, i)->path, rp) == 0)
			return true;
	return false;
}

/* A rule file, named by its real path; one loaded already is skipped. */
static int
add_file(struct ks_ruleset *rs, const char *given, struct ks_err *err)
{
	char path[PATH_MAX];
	FILE *fp;
	char *text;
	long len;
	int rc;

	if (realpath(given, path) == NULL)
		return ks_err_set(err, "%s: %s", given, strerror(errno));
	if (loaded(rs, path))
		return 0;
	if ((fp = fopen(path, "r")) == NULL)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    len > 1024 * 1024 || fseek(fp, 0, SEEK_SET) != 0 ||
	    (text = malloc((size_t)len + 1)) == NULL) {
		fclose(fp);
		return ks_err_set(err, "%s: unreadable or larger than 1 MiB",
		    path);
	}
	if (fread(text, 1, (size_t)len, fp) != (size_t)len) {
		fclose(fp);
		free(text);
		return ks_err_set(err, "%s: short read", path);
	}
	fclose(fp);
	rc = ks_ruleset_add_text(rs, path, text, (size_t)len, err);
	free(text);
	return rc;
}

static bool
rule_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(name + n - 5, ".yaml") == 0));
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every rule file below dir, in name order so that loading is stable. */
static int
add_dir(struct ks_ruleset *rs, const char *dir, int depth, struct ks_err *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	struct stat st;
	int rc = 0;

	if (depth > 8)
		return ks_err_set(err, "%s: rule directories nested too deep",
		    dir);
	if ((d = opendir(dir)) == NULL)
		return ks_err_set(err, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (grow((void **)&names, &cap, n, sizeof(*names), err) < 0 ||
		    (names[n] = strdup(de->d_name)) == NULL) {
			rc = ks_err_set(err, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = add_dir(rs, path, depth + 1, err);
		else if (S_ISREG(st.st_mode) && rule_name(names[i]))
			rc = add_file(rs, path, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
ks_ruleset_add_path(struct ks_ruleset *rs, const char *path,
    struct ks_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	return S_ISDIR(st.st_mode) ? add_dir(rs, path, 0, err) :
	    add_file(rs, path, err);
}

static bool
names(const struct ks_rule_info *in, const char *ref)
{
	return strcmp(in->id, ref) == 0 ||
	    (in->name != NULL && strcmp(in->name, ref) == 0);
}

/* The detection rule a correlation names, by id or by name, or -1. */
static long
resolve_rule(const struct ks_ruleset *rs, const char *ref)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (names(ks_rule_info(rs->rules[i]), ref))
			return (long)i;
	return -1;
}

/*
 * What a correlation's reference names: a detection rule (its index), or
 * another correlation (nrules + its index) whose own references are all
 * detection rules, so that chains are one level deep and cannot loop.
 */
static int
resolve(const struct ks_ruleset *rs, const struct ks_corr *self,
    const char *ref, size_t *out, struct ks_err *err)
{
	long k = resolve_rule(rs, ref);

	if (k >= 0) {
		*out = (size_t)k;
		return 0;
	}
	for (size_t i = 0; i < rs->ncorrs; i++) {
		const struct ks_corr *c = rs->corrs[i];

		if (!names(&c->info, ref))
			continue;
		if (c == self)
			return ks_err_set(err, "%s: a correlation cannot name "
			    "itself", self->info.id);
		for (size_t j = 0; j < c->nrefs; j++)
			if (resolve_rule(rs, c->refs[j]) < 0)
				return ks_err_set(err, "%s: names correlation "
				    "'%s', which names another correlation; "
				    "chains are one level deep", self->info.id,
				    ref);
		*out = rs->nrules + i;
		return 0;
	}
	return ks_err_set(err, "%s: correlation names rule '%s', which is "
	    "not loaded", self->info.id, ref);
}

int
ks_ruleset_finish(struct ks_ruleset *rs, struct ks_err *err)
{
	size_t k = 0;

	if ((rs->silent = calloc(rs->nrules ? rs->nrules : 1, sizeof(bool)))
	    == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < rs->ncorrs; i++) {
		struct ks_corr *c = rs->corrs[i];

		if ((c->rules = calloc(c->nrefs, sizeof(size_t))) == NULL)
			return ks_err_set(err, "out of memory");
		for (size_t j = 0; j < c->nrefs; j++) {
			if (resolve(rs, c, c->refs[j], &k, err) < 0)
				return -1;
			c->rules[j] = k;
			/* generate: false quiets the detection rules named; a
			 * correlation named keeps its findings: they stand on
			 * their own (password guessing, whether or not it
			 * succeeded) */
			if (!c->generate && k < rs->nrules)
				rs->silent[k] = true;
		}
	}
	if (ks_dispatch_build(rs, err) < 0)
		return -1;
	return ks_prefilter_build(rs, err);
}

size_t
ks_ruleset_size(const struct ks_ruleset *rs)
{
	return rs->nrules + rs->ncorrs;
}

const struct ks_rule_info *
ks_ruleset_info(const struct ks_ruleset *rs, size_t i)
{
	if (i < rs->nrules)
		return ks_rule_info(rs->rules[i]);
	if (i - rs->nrules < rs->ncorrs)
		return &rs->corrs[i - rs->nrules]->info;
	return NULL;
}

bool
ks_ruleset_rule_matches(const struct ks_ruleset *rs, size_t i,
    const struct ks_event *ev, const struct ks_fields *f)
{
	return i < rs->nrules && ks_rule_match(rs->rules[i], ev, f);
}
