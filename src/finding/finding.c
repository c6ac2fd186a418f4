/*
 * finding.c - building findings, and lists of them (see finding.h).
 *
 * Kept apart from the log engine so that host checks, netstat analysis
 * and file verification make findings the same way the rules do, and
 * one writer prints them all.
 */
#include <stdlib.h>
#include <string.h>

#include "finding/finding.h"

void
ks_rule_info_free_strings(struct ks_rule_info *in)
{
	free((char *)in->id);
	free((char *)in->name);
	free((char *)in->title);
	free((char *)in->severity);
	free((char *)in->taxonomy);
	free((char *)in->type);
	free((char *)in->outcome);
	free((char *)in->advice);
	free((char *)in->path);
	for (size_t i = 0; i < in->nmatch; i++)
		free(in->match[i]);
	for (size_t i = 0; i < in->nnomatch; i++)
		free(in->nomatch[i]);
	free(in->match);
	free(in->nomatch);
}

int
ks_severity_rank(const char *severity)
{
	static const char *const names[] = {
		"info", "low", "medium", "high", "critical"
	};

	for (int i = 0; severity != NULL && i < 5; i++)
		if (strcmp(severity, names[i]) == 0)
			return i;
	return -1;
}

static char *
dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

struct ks_finding *
ks_finding_new(const struct ks_rule_info *rule, const char *host)
{
	struct ks_finding *fd = calloc(1, sizeof(*fd));

	if (fd == NULL)
		return NULL;
	fd->rule = rule;
	fd->first_us = INT64_MAX;
	fd->last_us = INT64_MIN;
	if ((fd->host = strdup(host != NULL ? host : "")) == NULL) {
		free(fd);
		return NULL;
	}
	return fd;
}

void
ks_evidence_free(struct ks_evidence *e)
{
	free(e->path);
	free(e->cursor);
	free(e->text);
	memset(e, 0, sizeof(*e));
}

struct ks_finding *
ks_finding_copy(const struct ks_finding *src)
{
	struct ks_finding *fd = ks_finding_new(src->rule, src->host);
	bool ok = fd != NULL;

	for (int k = 0; ok && k < KS_F_COUNT; k++)
		if (src->field[k] != NULL)
			ok = ks_finding_set(fd, (enum ks_field)k, src->field[k],
			    strlen(src->field[k]));
	for (size_t i = 0; ok && i < src->nattr; i++)
		ok = ks_finding_attr(fd, src->attr[i].key, src->attr[i].val,
		    src->attr[i].num);
	for (size_t i = 0; ok && i < src->nev; i++)
		ok = ks_finding_evidence(fd, src->ev[i].path, src->ev[i].line,
		    src->ev[i].cursor, src->ev[i].text, strlen(src->ev[i].text));
	if (!ok) {
		ks_finding_free(fd);
		return NULL;
	}
	ks_finding_seen(fd, src->first_us, src->first_off);
	ks_finding_seen(fd, src->last_us, src->last_off);
	fd->count = src->count;
	return fd;
}

void
ks_finding_free(struct ks_finding *fd)
{
	if (fd == NULL)
		return;
	free(fd->host);
	for (int k = 0; k < KS_F_COUNT; k++)
		free(fd->field[k]);
	for (size_t i = 0; i < fd->nattr; i++) {
		free(fd->attr[i].key);
		free(fd->attr[i].val);
	}
	for (size_t i = 0; i < fd->nev; i++)
		ks_evidence_free(&fd->ev[i]);
	free(fd);
}

bool
ks_finding_set(struct ks_finding *fd, enum ks_field k, const char *v,
    size_t n)
{
	char *s;

	if ((unsigned)k >= KS_F_COUNT || (s = dup_n(v, n)) == NULL)
		return false;
	free(fd->field[k]);
	fd->field[k] = s;
	return true;
}

bool
ks_finding_attr(struct ks_finding *fd, const char *key, const char *v,
    bool num)
{
	struct ks_attr *a = NULL;
	char *val;

	for (size_t i = 0; i < fd->nattr && a == NULL; i++)
		if (strcmp(fd->attr[i].key, key) == 0)
			a = &fd->attr[i];
	if ((val = strdup(v)) == NULL)
		return false;
	if (a == NULL) {
		if (fd->nattr == KS_ATTR_MAX)
			goto fail;
		a = &fd->attr[fd->nattr];
		if ((a->key = strdup(key)) == NULL)
			goto fail;
		fd->nattr++;
	} else
		free(a->val);
	a->val = val;
	a->num = num;
	return true;
fail:
	free(val);
	return false;
}

const char *
ks_finding_get_attr(const struct ks_finding *fd, const char *key)
{
	for (size_t i = 0; i < fd->nattr; i++)
		if (strcmp(fd->attr[i].key, key) == 0)
			return fd->attr[i].val;
	return NULL;
}

void
ks_finding_seen(struct ks_finding *fd, int64_t ts_us, int32_t off)
{
	if (ts_us < fd->first_us) {
		fd->first_us = ts_us;
		fd->first_off = off;
	}
	if (ts_us > fd->last_us) {
		fd->last_us = ts_us;
		fd->last_off = off;
	}
}

bool
ks_finding_evidence(struct ks_finding *fd, const char *path, uint64_t line,
    const char *cursor, const char *text, size_t n)
{
	struct ks_evidence *e;

	if (fd->nev >= KS_EVIDENCE_MAX)
		return true;
	e = &fd->ev[fd->nev];
	memset(e, 0, sizeof(*e));
	e->line = line;
	if ((e->path = strdup(path != NULL ? path : "")) == NULL ||
	    (cursor != NULL && (e->cursor = strdup(cursor)) == NULL) ||
	    (e->text = dup_n(text, n > KS_EVIDENCE_TEXT ?
	    KS_EVIDENCE_TEXT : n)) == NULL) {
		ks_evidence_free(e);
		return false;
	}
	fd->nev++;
	return true;
}

static int
cmp_str(const char *x, const char *y)
{
	return strcmp(x != NULL ? x : "", y != NULL ? y : "");
}

/*
 * Ties are broken by everything a finding shows first, so that the order
 * is the same however the findings were made (the engine's order depends
 * on evictions and bursts).
 */
int
ks_finding_cmp(const void *a, const void *b)
{
	const struct ks_finding *x = *(const struct ks_finding *const *)a;
	const struct ks_finding *y = *(const struct ks_finding *const *)b;
	int sx = ks_severity_rank(x->rule->severity);
	int sy = ks_severity_rank(y->rule->severity);
	int c;

	if (sx != sy)
		return sy - sx;
	if (x->first_us != y->first_us)
		return (x->first_us > y->first_us) - (x->first_us < y->first_us);
	if ((c = strcmp(x->rule->id, y->rule->id)) != 0 ||
	    (c = cmp_str(x->host, y->host)) != 0 ||
	    (c = cmp_str(x->field[KS_F_SOURCE_IP], y->field[KS_F_SOURCE_IP]))
	    != 0 || (c = cmp_str(x->field[KS_F_SOURCE_DOMAIN],
	    y->field[KS_F_SOURCE_DOMAIN])) != 0 ||
	    (c = cmp_str(x->field[KS_F_USER_NAME], y->field[KS_F_USER_NAME]))
	    != 0)
		return c;
	if (x->nev == 0 || y->nev == 0)
		return (x->nev > 0) - (y->nev > 0);
	if ((c = cmp_str(x->ev[0].path, y->ev[0].path)) != 0)
		return c;
	return (x->ev[0].line > y->ev[0].line) - (x->ev[0].line < y->ev[0].line);
}

void
ks_findings_init(struct ks_findings *l)
{
	memset(l, 0, sizeof(*l));
}

bool
ks_findings_add(struct ks_findings *l, struct ks_finding *fd)
{
	struct ks_finding **nv;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;

		if ((nv = realloc(l->v, cap * sizeof(*nv))) == NULL) {
			ks_finding_free(fd);
			return false;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = fd;
	return true;
}

void
ks_findings_sort(struct ks_findings *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), ks_finding_cmp);
}

void
ks_findings_free(struct ks_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		ks_finding_free(l->v[i]);
	free(l->v);
	ks_findings_init(l);
}
