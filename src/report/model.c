/*
 * model.c - the report model (docs/report-model.md) and how it is built
 * from findings and a reporter profile.
 *
 * The model is plain data that owns its strings, so that other code (the
 * hub's notification drafts) can fill it element by element and hand it
 * to the same writers.  ks_report_build derives everything a CSIRT asks
 * for (seed 004) from the findings: the classification with JPCERT/CC's
 * category, the time span with its offsets, the systems with their roles
 * (source, target, intermediate: a host of this site that the findings
 * show reaching out to others on a system compromise was used as a
 * stepping stone), the log excerpts, the rules' advice; and the
 * disclosure level of every element from the profile.  --redact masks the
 * site's own addresses, host names and the account names before anything
 * is derived, so no writer can leak them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/timex.h>

#include "report/report_int.h"
#include "util/i18n.h"

void
ks_report_init(struct ks_report *r)
{
	memset(r, 0, sizeof(*r));
	r->contact_tlp = KS_TLP_GREEN;
	r->tlp = KS_TLP_AMBER;
	r->first_us = INT64_MAX;
	r->last_us = INT64_MIN;
	r->clock_sync = -1;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
system_free(struct ks_system *s)
{
	free(s->ip);
	free(s->domain);
	free(s->country);
	free(s->as_org);
	free(s->network);
}

void
ks_report_free(struct ks_report *r)
{
	char *s[] = {
		r->version, r->host, r->site, r->organisation, r->contact_name,
		r->contact_email, r->contact_phone, r->timezone,
		r->recipient_name, r->recipient_email, r->language,
		r->discovery,
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(*s); i++)
		free(s[i]);
	free_strv(r->networks, r->nnetworks);
	free_strv(r->domains, r->ndomains);
	for (size_t i = 0; i < r->nclasses; i++) {
		free(r->classes[i].taxonomy);
		free(r->classes[i].type);
	}
	free(r->classes);
	for (size_t i = 0; i < r->nsystems; i++)
		system_free(&r->systems[i]);
	free(r->systems);
	free(r->finding_tlp);
	for (size_t i = 0; i < r->nexcerpts; i++) {
		free(r->excerpts[i].path);
		free(r->excerpts[i].cursor);
		free(r->excerpts[i].text);
	}
	free(r->excerpts);
	free_strv(r->advice, r->nadvice);
	for (size_t i = 0; i < r->ninputs; i++)
		free(r->inputs[i].path);
	free(r->inputs);
	ks_report_init(r);
}

bool
ks_report_set(char **field, const char *s)
{
	char *c = NULL;

	if (s != NULL && (c = strdup(s)) == NULL)
		return false;
	free(*field);
	*field = c;
	return true;
}

/*
 * Room for one more element of size `size` in *v holding n: arrays grow
 * by doubling from 4, so a reallocation is due at 0 and at each power of
 * two from 4 on.
 */
static bool
grow(void **v, size_t n, size_t size)
{
	void *nv;

	if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
		return true;
	if ((nv = realloc(*v, (n ? n * 2 : 4) * size)) == NULL)
		return false;
	*v = nv;
	return true;
}

bool
ks_report_add_class(struct ks_report *r, const char *taxonomy,
    const char *type, enum ks_jpcert jpcert)
{
	struct ks_class *c;

	for (size_t i = 0; i < r->nclasses; i++)
		if (strcmp(r->classes[i].taxonomy, taxonomy) == 0 &&
		    strcmp(r->classes[i].type, type) == 0 &&
		    r->classes[i].jpcert == jpcert)
			return true;
	if (!grow((void **)&r->classes, r->nclasses, sizeof(*c)))
		return false;
	c = &r->classes[r->nclasses];
	c->jpcert = jpcert;
	c->taxonomy = strdup(taxonomy);
	c->type = strdup(type);
	if (c->taxonomy == NULL || c->type == NULL) {
		free(c->taxonomy);
		free(c->type);
		return false;
	}
	r->nclasses++;
	return true;
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
dup_opt(char **out, const char *s)
{
	*out = NULL;
	return s == NULL || (*out = strdup(s)) != NULL;
}

bool
ks_report_add_system(struct ks_report *r, const struct ks_system *s)
{
	struct ks_system *d;

	if (!grow((void **)&r->systems, r->nsystems, sizeof(*d)))
		return false;
	d = &r->systems[r->nsystems];
	*d = *s;
	if (!dup_opt(&d->ip, s->ip) || !dup_opt(&d->domain, s->domain) ||
	    !dup_opt(&d->country, s->country) ||
	    !dup_opt(&d->as_org, s->as_org) ||
	    !dup_opt(&d->network, s->network)) {
		system_free(d);
		return false;
	}
	r->nsystems++;
	return true;
}

bool
ks_report_add_excerpt(struct ks_report *r, const char *path, uint64_t line,
    const char *cursor, const char *text, enum ks_tlp tlp)
{
	struct ks_excerpt *e;

	if (!grow((void **)&r->excerpts, r->nexcerpts, sizeof(*e)))
		return false;
	e = &r->excerpts[r->nexcerpts];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->tlp = tlp;
	e->ts_us = INT64_MIN;
	if (!dup_opt(&e->path, path) || !dup_opt(&e->cursor, cursor) ||
	    !dup_opt(&e->text, text)) {
		free(e->path);
		free(e->cursor);
		free(e->text);
		return false;
	}
	r->nexcerpts++;
	return true;
}

void
ks_report_add_span(struct ks_report *r, const struct ks_finding *fd)
{
	if (fd->first_us < r->first_us) {
		r->first_us = fd->first_us;
		r->first_off = fd->first_off;
	}
	if (fd->last_us > r->last_us) {
		r->last_us = fd->last_us;
		r->last_off = fd->last_off;
	}
}

/* ---- merging duplicates --------------------------------------------------- */

/*
 * Duplicates are merged after the build by sorting, not looked up on
 * every add: a report made of a central log server's findings holds
 * hundreds of thousands of systems and excerpts, and a linear search per
 * add would be quadratic.  Elements are sorted by key and then by
 * position, so the first of equal elements survives and the order of
 * first appearance is kept.
 */
struct ref {
	const void *el;
	size_t pos;
};

static int
cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_pos(const struct ref *a, const struct ref *b)
{
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int
system_key(const struct ref *x, const struct ref *y)
{
	const struct ks_system *a = x->el, *b = y->el;
	int c;

	if (a->role != b->role)
		return (int)a->role - (int)b->role;
	if ((c = cmp_opt(a->ip, b->ip)) != 0)
		return c;
	return cmp_opt(a->domain, b->domain);
}

static int
system_order(const void *x, const void *y)
{
	int c = system_key(x, y);

	return c != 0 ? c : cmp_pos(x, y);
}

static int
excerpt_key(const struct ref *x, const struct ref *y)
{
	const struct ks_excerpt *a = x->el, *b = y->el;
	int c;

	if (a->line != b->line)
		return (a->line > b->line) - (a->line < b->line);
	if ((c = strcmp(a->path, b->path)) != 0 ||
	    (c = cmp_opt(a->cursor, b->cursor)) != 0)
		return c;
	return strcmp(a->text, b->text);
}

static int
excerpt_order(const void *x, const void *y)
{
	int c = excerpt_key(x, y);

	return c != 0 ? c : cmp_pos(x, y);
}

/*
 * Sorts refs to n elements of size `size` at base and marks in dup[] the
 * position of every element equal to an earlier one, with the position
 * of that first one in first[]; false when out of memory.
 */
static bool
find_dups(const void *base, size_t n, size_t size,
    int (*order)(const void *, const void *),
    int (*key)(const struct ref *, const struct ref *), bool *dup,
    size_t *first)
{
	struct ref *refs = calloc(n ? n : 1, sizeof(*refs));

	if (refs == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct ref){ (const char *)base + i * size, i };
	qsort(refs, n, sizeof(*refs), order);
	for (size_t i = 1; i < n; i++)
		if (key(&refs[i - 1], &refs[i]) == 0) {
			dup[refs[i].pos] = true;
			first[refs[i].pos] = dup[refs[i - 1].pos] ?
			    first[refs[i - 1].pos] : refs[i - 1].pos;
		}
	free(refs);
	return true;
}

/*
 * Duplicate positions of n elements, and for each the place its first
 * equal element takes once the duplicates are removed; NULL: no memory.
 */
static bool *
dups_of(const void *base, size_t n, size_t size,
    int (*order)(const void *, const void *),
    int (*key)(const struct ref *, const struct ref *), size_t **place)
{
	bool *dup = calloc(n + 1, sizeof(*dup));
	size_t *first = calloc(n + 1, sizeof(*first));
	size_t *newpos = calloc(n + 1, sizeof(*newpos));

	if (dup == NULL || first == NULL || newpos == NULL ||
	    !find_dups(base, n, size, order, key, dup, first)) {
		free(dup);
		free(first);
		free(newpos);
		return NULL;
	}
	for (size_t i = 0, k = 0; i < n; i++)
		if (!dup[i])
			newpos[i] = k++;
	for (size_t i = 0; i < n; i++)
		if (dup[i])
			first[i] = newpos[first[i]];
	free(newpos);
	*place = first;
	return dup;
}

/*
 * Removes from the n elements at base those equal to an earlier one,
 * keeping the order: fold() merges a duplicate into its first element,
 * then drop() frees the duplicate.  false when out of memory.
 */
static bool
merge_dups(void *base, size_t *n, size_t size,
    int (*order)(const void *, const void *),
    int (*key)(const struct ref *, const struct ref *),
    void (*fold)(void *first, const void *dup), void (*drop)(void *dup))
{
	char *p = base;
	size_t *place, k = 0;
	bool *dup = dups_of(base, *n, size, order, key, &place);

	if (dup == NULL)
		return false;
	for (size_t i = 0; i < *n; i++) {
		if (!dup[i]) {
			if (k != i)
				memcpy(p + k * size, p + i * size, size);
			k++;
			continue;
		}
		fold(p + place[i] * size, p + i * size);
		drop(p + i * size);
	}
	*n = k;
	free(dup);
	free(place);
	return true;
}

static void
system_fold(void *first, const void *dup)
{
	struct ks_system *f = first;
	const struct ks_system *s = dup;

	if (f->port != s->port)
		f->port = 0;
	if (s->tlp > f->tlp)
		f->tlp = s->tlp;
}

static void
system_drop(void *dup)
{
	system_free(dup);
}

static void
excerpt_fold(void *first, const void *dup)
{
	struct ks_excerpt *f = first;
	const struct ks_excerpt *e = dup;

	if (e->tlp > f->tlp)
		f->tlp = e->tlp;
}

static void
excerpt_drop(void *dup)
{
	struct ks_excerpt *e = dup;

	free(e->path);
	free(e->cursor);
	free(e->text);
}

static bool
add_str(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return true;
	if (!grow((void **)v, *n, sizeof(char *)) ||
	    ((*v)[*n] = strdup(s)) == NULL)
		return false;
	(*n)++;
	return true;
}

bool
ks_report_add_advice(struct ks_report *r, const char *advice)
{
	return add_str(&r->advice, &r->nadvice, advice);
}

bool
ks_report_add_input(struct ks_report *r, const char *path,
    const char sha256[65])
{
	struct ks_input *in;

	if (!grow((void **)&r->inputs, r->ninputs, sizeof(*in)))
		return false;
	in = &r->inputs[r->ninputs];
	memcpy(in->sha256, sha256, 65);
	in->sha256[64] = '\0';
	if ((in->path = strdup(path)) == NULL)
		return false;
	r->ninputs++;
	return true;
}

int
ks_clock_synchronised(void)
{
	struct timex tx;
	int state;

	memset(&tx, 0, sizeof(tx));
	if ((state = ntp_adjtime(&tx)) < 0)
		return -1;
	return state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

static int
group_key(const struct ref *x, const struct ref *y)
{
	const struct ks_finding *a = x->el, *b = y->el;

	if (a->rule != b->rule)
		return (uintptr_t)a->rule < (uintptr_t)b->rule ? -1 : 1;
	return strcmp(a->host, b->host);
}

static int
group_order(const void *x, const void *y)
{
	int c = group_key(x, y);

	return c != 0 ? c : cmp_pos(x, y);
}

static int
group_first(const void *x, const void *y)
{
	const struct ks_fgroup *a = x, *b = y;

	return (a->pos > b->pos) - (a->pos < b->pos);
}

static void
group_add(struct ks_fgroup *g, const struct ks_finding *fd, enum ks_tlp tlp)
{
	g->n++;
	g->count += fd->count;
	if (fd->first_us < g->first_us) {
		g->first_us = fd->first_us;
		g->first_off = fd->first_off;
	}
	if (fd->last_us > g->last_us) {
		g->last_us = fd->last_us;
		g->last_off = fd->last_off;
	}
	if (tlp > g->tlp)
		g->tlp = tlp;
}

size_t
ks_report_groups(const struct ks_report *r, enum ks_tlp share,
    struct ks_fgroup **out)
{
	struct ref *refs = calloc(r->nfindings + 1, sizeof(*refs));
	struct ks_fgroup *g = calloc(r->nfindings + 1, sizeof(*g));
	size_t n = 0, ng = 0;

	*out = NULL;
	if (refs == NULL || g == NULL) {
		free(refs);
		free(g);
		return 0;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if (ks_tlp_shown(r->finding_tlp[i], share))
			refs[n++] = (struct ref){ r->findings[i], i };
	qsort(refs, n, sizeof(*refs), group_order);
	for (size_t i = 0; i < n; i++) {
		const struct ks_finding *fd = refs[i].el;

		if (i == 0 || group_key(&refs[i - 1], &refs[i]) != 0)
			g[ng++] = (struct ks_fgroup){ .fd = fd, .pos = refs[i].pos,
			    .first_us = INT64_MAX, .last_us = INT64_MIN };
		group_add(&g[ng - 1], fd, r->finding_tlp[refs[i].pos]);
	}
	qsort(g, ng, sizeof(*g), group_first);
	free(refs);
	if (ng == 0)
		free(g);
	else
		*out = g;
	return ng;
}

/* ---- whose is an address ------------------------------------------------ */

/* Whether ip lies in the CIDR net ("203.0.113.0/24", or one address). */
static bool
in_cidr(const char *ip, const char *net)
{
	unsigned char a[16], n[16];
	char tmp[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(net, '/');
	size_t len = slash ? (size_t)(slash - net) : strlen(net);
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	int bits = family == AF_INET ? 32 : 128;

	if (len >= sizeof(tmp) || (strchr(net, ':') != NULL) !=
	    (family == AF_INET6))
		return false;
	memcpy(tmp, net, len);
	tmp[len] = '\0';
	if (inet_pton(family, ip, a) != 1 || inet_pton(family, tmp, n) != 1)
		return false;
	if (slash != NULL)
		bits = atoi(slash + 1);
	for (int i = 0; i < bits / 8; i++)
		if (a[i] != n[i])
			return false;
	if (bits % 8) {
		unsigned char mask = (unsigned char)(0xff << (8 - bits % 8));

		return (a[bits / 8] & mask) == (n[bits / 8] & mask);
	}
	return true;
}

static bool
own_ip(const struct ks_profile *p, const char *ip)
{
	for (size_t i = 0; ip != NULL && i < p->nnetworks; i++)
		if (in_cidr(ip, p->networks[i]))
			return true;
	return false;
}

/* name is one of the site's domains or below one (case-insensitive). */
static bool
own_name_n(const struct ks_profile *p, const char *name, size_t n)
{
	for (size_t i = 0; name != NULL && i < p->ndomains; i++) {
		size_t d = strlen(p->domains[i]);

		if (n == d && strncasecmp(name, p->domains[i], d) == 0)
			return true;
		if (n > d && name[n - d - 1] == '.' &&
		    strncasecmp(name + n - d, p->domains[i], d) == 0)
			return true;
	}
	return false;
}

static bool
own_name(const struct ks_profile *p, const char *name)
{
	return name != NULL && own_name_n(p, name, strlen(name));
}

/* ---- redaction ------------------------------------------------------------ */

struct redactor {
	const struct ks_profile *p;
	const char *const *hosts;       /* the findings' host names */
	size_t nhosts;
	const char *const *accounts;
	size_t naccounts;
};

static bool
token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    ks_isdigit(c) || c == '.' || c == ':' || c == '-' || c == '_';
}

static bool
listed(const char *const *v, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
			return true;
	return false;
}

/* The mask for one piece of a token, or NULL to keep it. */
static const char *
mask_piece(const struct redactor *rd, const char *s, size_t n)
{
	char ip[INET6_ADDRSTRLEN];

	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == '-'))
		n--;
	if (n == 0)
		return NULL;
	if (n < sizeof(ip)) {
		memcpy(ip, s, n);
		ip[n] = '\0';
		if (own_ip(rd->p, ip))
			return "[own-address]";
	}
	if (own_name_n(rd->p, s, n) || listed(rd->hosts, rd->nhosts, s, n))
		return "[own-host]";
	if (listed(rd->accounts, rd->naccounts, s, n))
		return "[account]";
	return NULL;
}

static void
mask_token(const struct redactor *rd, struct ks_buf *b, const char *s,
    size_t n)
{
	const char *m = mask_piece(rd, s, n), *colon;
	size_t keep = n;

	if (m != NULL) {
		while (keep > 0 && (s[keep - 1] == '.' || s[keep - 1] == '-'))
			keep--;
		ks_buf_adds(b, m);
		ks_buf_add(b, s + keep, n - keep);
		return;
	}
	/* host:port, address:port: mask the pieces */
	colon = memchr(s, ':', n);
	if (colon == NULL || memchr(colon + 1, ':', n - (size_t)(colon + 1 - s))) {
		ks_buf_add(b, s, n);
		return;
	}
	mask_token(rd, b, s, (size_t)(colon - s));
	ks_buf_addc(b, ':');
	mask_token(rd, b, colon + 1, n - (size_t)(colon + 1 - s));
}

/* A new string with the site's own names, addresses and accounts masked. */
static char *
redact_str(const struct redactor *rd, const char *s)
{
	struct ks_buf b;
	size_t i = 0, n = strlen(s);
	char *out;

	ks_buf_init(&b);
	while (i < n) {
		size_t j = i;

		while (j < n && token_char(s[j]))
			j++;
		if (j > i)
			mask_token(rd, &b, s + i, j - i);
		else
			ks_buf_addc(&b, s[j++]);
		i = j;
	}
	ks_buf_addc(&b, '\0');
	if (ks_buf_failed(&b)) {
		ks_buf_free(&b);
		return NULL;
	}
	out = b.p;
	return out;
}

static bool
redact_field(const struct redactor *rd, char **field)
{
	char *s;

	if (*field == NULL)
		return true;
	if ((s = redact_str(rd, *field)) == NULL)
		return false;
	free(*field);
	*field = s;
	return true;
}

static bool
redact_finding(const struct redactor *rd, struct ks_finding *fd)
{
	bool ok = true;

	ok = ok && redact_field(rd, &fd->host);
	for (int k = 0; ok && k < KS_F_COUNT; k++)
		ok = redact_field(rd, &fd->field[k]);
	for (size_t i = 0; ok && i < fd->nattr; i++)
		ok = redact_field(rd, &fd->attr[i].val);
	for (size_t i = 0; ok && i < fd->nev; i++)
		ok = redact_field(rd, &fd->ev[i].text) &&
		    redact_field(rd, &fd->ev[i].path);
	return ok;
}

/* Masks every finding; the lists of names are collected first, since
   masking rewrites them. */
static int
redact_all(struct ks_findings *fs, const struct ks_profile *p,
    struct ks_err *err)
{
	struct redactor rd = { .p = p };
	char **hosts = NULL, **accounts = NULL;
	size_t nh = 0, na = 0;
	bool ok = true;

	for (size_t i = 0; ok && i < fs->n; i++) {
		const struct ks_finding *fd = fs->v[i];

		ok = fd->host[0] == '\0' || add_str(&hosts, &nh, fd->host);
		if (ok && fd->field[KS_F_USER_NAME] != NULL)
			ok = add_str(&accounts, &na, fd->field[KS_F_USER_NAME]);
		if (ok && fd->field[KS_F_USER_TARGET_NAME] != NULL)
			ok = add_str(&accounts, &na,
			    fd->field[KS_F_USER_TARGET_NAME]);
	}
	rd.hosts = (const char *const *)hosts;
	rd.nhosts = nh;
	rd.accounts = (const char *const *)accounts;
	rd.naccounts = na;
	for (size_t i = 0; ok && i < fs->n; i++)
		ok = redact_finding(&rd, fs->v[i]);
	free_strv(hosts, nh);
	free_strv(accounts, na);
	return ok ? 0 : ks_err_set(err, "out of memory");
}

/* ---- building ------------------------------------------------------------- */

static bool
copy_strv(char ***out, size_t *nout, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!add_str(out, nout, v[i]))
			return false;
	return true;
}

static bool
copy_profile(struct ks_report *r, const struct ks_profile *p, bool redact)
{
	bool ok = ks_report_set(&r->site, p->site) &&
	    ks_report_set(&r->organisation, p->organisation) &&
	    ks_report_set(&r->contact_name, p->contact_name) &&
	    ks_report_set(&r->contact_email, p->contact_email) &&
	    ks_report_set(&r->contact_phone, p->contact_phone) &&
	    ks_report_set(&r->recipient_name, p->recipient_name) &&
	    ks_report_set(&r->recipient_email, p->recipient_email);

	r->contact_tlp = p->contact_tlp;
	if (ok && !redact)
		ok = copy_strv(&r->networks, &r->nnetworks, p->networks,
		    p->nnetworks) && copy_strv(&r->domains, &r->ndomains,
		    p->domains, p->ndomains);
	return ok;
}

static const char *
attr_of(const struct ks_finding *fd, const char *prefix, const char *what)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.%s", prefix, what);
	return ks_finding_get_attr(fd, key);
}

/* A party of a finding (source or destination) as a system. */
static void
party(const struct ks_finding *fd, const char *prefix, enum ks_field ip,
    enum ks_field domain, enum ks_field port, struct ks_system *s)
{
	const char *asn = attr_of(fd, prefix, "as.number");
	const char *net = attr_of(fd, prefix, "network");

	s->ip = fd->field[ip];
	s->domain = fd->field[domain];
	s->port = fd->field[port] ? (unsigned)strtoul(fd->field[port], NULL,
	    10) : 0;
	s->country = (char *)attr_of(fd, prefix, "geo.country_iso_code");
	s->asn = asn ? (uint32_t)strtoul(asn, NULL, 10) : 0;
	s->as_org = (char *)attr_of(fd, prefix, "as.organization.name");
	s->network = (char *)(net ? net : attr_of(fd, prefix, "geo.network"));
}

static bool
has(const struct ks_finding *fd, enum ks_field a, enum ks_field b)
{
	return fd->field[a] != NULL || fd->field[b] != NULL;
}

static bool
is_hop(const struct ks_finding *fd)
{
	return strcmp(fd->rule->type, "system-compromise") == 0 &&
	    has(fd, KS_F_DESTINATION_IP, KS_F_DESTINATION_DOMAIN);
}

static bool
is_web(const struct ks_finding *fd)
{
	const char *proto = fd->field[KS_F_NETWORK_PROTOCOL];

	return fd->field[KS_F_URL_ORIGINAL] != NULL ||
	    (proto != NULL && strcmp(proto, "http") == 0);
}

static enum ks_tlp
tlp_max(enum ks_tlp a, enum ks_tlp b)
{
	return a > b ? a : b;
}

/* The systems one finding names; returns the strictest level used. */
static bool
finding_systems(struct ks_report *r, const struct ks_finding *fd,
    const struct ks_profile *p, enum ks_tlp *level)
{
	struct ks_system s;
	bool ok = true;

	if (has(fd, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN)) {
		memset(&s, 0, sizeof(s));
		party(fd, "source", KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
		    KS_F_SOURCE_PORT, &s);
		s.role = KS_ROLE_SOURCE;
		s.own = own_ip(p, s.ip) || own_name(p, s.domain);
		s.tlp = p->tlp_source;
		/* outbound from a hop point: the source is this host itself;
		 * the site's own party in an informational finding (the
		 * admin's own session) is no attacker */
		if ((!is_hop(fd) || !(s.own || same(s.domain, fd->host))) &&
		    !(s.own && ks_severity_rank(fd->rule->severity) == 0)) {
			*level = tlp_max(*level, s.tlp);
			ok = ks_report_add_system(r, &s);
		}
	}
	memset(&s, 0, sizeof(s));
	s.own = true;
	s.domain = fd->host[0] != '\0' ? fd->host : NULL;
	if (is_hop(fd)) {
		s.role = KS_ROLE_INTERMEDIATE;
		s.tlp = p->tlp_intermediate;
		ok = ok && (s.domain == NULL || ks_report_add_system(r, &s));
		memset(&s, 0, sizeof(s));
		party(fd, "destination", KS_F_DESTINATION_IP,
		    KS_F_DESTINATION_DOMAIN, KS_F_DESTINATION_PORT, &s);
		s.own = own_ip(p, s.ip) || own_name(p, s.domain);
		*level = tlp_max(*level, p->tlp_intermediate);
	} else if (!has(fd, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN) &&
	    has(fd, KS_F_DESTINATION_IP, KS_F_DESTINATION_DOMAIN)) {
		/* no outside party but a destination: this host reached out
		 * (netstat's scan targets), so the target is the destination,
		 * the site's own only when its networks or domains say so */
		memset(&s, 0, sizeof(s));
		party(fd, "destination", KS_F_DESTINATION_IP,
		    KS_F_DESTINATION_DOMAIN, KS_F_DESTINATION_PORT, &s);
		s.own = own_ip(p, s.ip) || own_name(p, s.domain);
	} else {
		s.ip = fd->field[KS_F_DESTINATION_IP];
		s.port = fd->field[KS_F_DESTINATION_PORT] ? (unsigned)strtoul(
		    fd->field[KS_F_DESTINATION_PORT], NULL, 10) : 0;
	}
	s.role = KS_ROLE_TARGET;
	s.tlp = p->tlp_target;
	*level = tlp_max(*level, s.tlp);
	if (s.ip == NULL && s.domain == NULL)
		return ok;
	return ok && ks_report_add_system(r, &s);
}

static bool
finding_excerpts(struct ks_report *r, const struct ks_finding *fd,
    const struct ks_profile *p, enum ks_tlp *level)
{
	for (size_t i = 0; i < fd->nev; i++) {
		const struct ks_evidence *e = &fd->ev[i];
		size_t before = r->nexcerpts;

		if (!ks_report_add_excerpt(r, e->path, e->line, e->cursor,
		    e->text, p->tlp_excerpt))
			return false;
		r->excerpts[before].ts_us = fd->first_us;
		r->excerpts[before].off = fd->first_off;
		*level = tlp_max(*level, p->tlp_excerpt);
	}
	return true;
}

static bool
add_finding(struct ks_report *r, size_t i, const struct ks_finding *fd,
    const struct ks_profile *p)
{
	enum ks_tlp level = KS_TLP_CLEAR;

	if (!finding_systems(r, fd, p, &level) ||
	    !finding_excerpts(r, fd, p, &level))
		return false;
	r->finding_tlp[i] = level;
	ks_report_add_span(r, fd);
	return true;
}

/* A rule and the category one of its findings falls in. */
struct rule_class {
	const struct ks_rule_info *rule;
	enum ks_jpcert jpcert;
	size_t pos;
};

static int
rule_class_order(const void *x, const void *y)
{
	const struct rule_class *a = x, *b = y;

	if (a->rule != b->rule)
		return (uintptr_t)a->rule < (uintptr_t)b->rule ? -1 : 1;
	if (a->jpcert != b->jpcert)
		return (int)a->jpcert - (int)b->jpcert;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int
rule_class_pos(const void *x, const void *y)
{
	const struct rule_class *a = x, *b = y;

	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * The classification and the advice, from each distinct rule and
 * category in the order the findings (most severe first) name them:
 * sorted once, since a report may hold many thousand findings of a few
 * rules.
 */
static bool
classes_and_advice(struct ks_report *r, const struct ks_findings *fs)
{
	struct rule_class *rc = calloc(fs->n + 1, sizeof(*rc));
	size_t n = 0;
	bool ok = rc != NULL;

	for (size_t i = 0; ok && i < fs->n; i++) {
		const struct ks_finding *fd = fs->v[i];

		rc[i] = (struct rule_class){ fd->rule, ks_jpcert_of(
		    fd->rule->taxonomy, fd->rule->type, is_hop(fd), is_web(fd)),
		    i };
	}
	if (ok)
		qsort(rc, fs->n, sizeof(*rc), rule_class_order);
	for (size_t i = 0; ok && i < fs->n; i++)
		if (i == 0 || rc[i].rule != rc[n - 1].rule ||
		    rc[i].jpcert != rc[n - 1].jpcert)
			rc[n++] = rc[i];
	if (ok)
		qsort(rc, n, sizeof(*rc), rule_class_pos);
	for (size_t i = 0; ok && i < n; i++) {
		const struct ks_rule_info *ru = rc[i].rule;

		ok = ks_report_add_class(r, ru->taxonomy, ru->type,
		    rc[i].jpcert) && (ru->advice == NULL ||
		    ks_report_add_advice(r, ks_tr(ru->advice)));
	}
	free(rc);
	return ok;
}

/* sha256: over the findings as the contract writes them. */
static int
report_id(struct ks_report *r, const struct ks_findings *fs,
    struct ks_err *err)
{
	struct ks_sha256 h;
	struct ks_buf b;
	char hex[65];

	if (ks_sha256_init(&h, err) < 0)
		return -1;
	ks_buf_init(&b);
	for (size_t i = 0; i < fs->n; i++) {
		ks_buf_reset(&b);
		ks_finding_json(&b, fs->v[i]);
		ks_sha256_update(&h, b.p, b.len);
	}
	ks_sha256_final(&h, hex);
	ks_buf_free(&b);
	snprintf(r->id, sizeof(r->id), "sha256:%s", hex);
	return 0;
}

static bool
set_scalars(struct ks_report *r, const struct ks_profile *p,
    const struct ks_report_opts *o)
{
	const char *lang = o->language ? o->language :
	    p->language ? p->language : "en";
	const char *disc = o->discovery ? o->discovery : p->discovery;

	r->generated_us = o->now_us;
	r->generated_off = o->now_off;
	r->clock_sync = o->clock_sync;
	r->tlp = o->have_tlp ? o->tlp : p->tlp;
	r->request = o->request ? o->request : p->request ? p->request :
	    KS_REQ_INVESTIGATE;
	r->redacted = o->redact;
	return ks_report_set(&r->language, lang) &&
	    ks_report_set(&r->discovery, disc ? disc :
	    _("Analysis of this site's logs and systems with kansatsu")) &&
	    ks_report_set(&r->timezone, p->timezone ? p->timezone :
	    o->timezone) &&
	    ks_report_set(&r->version, o->version) &&
	    ks_report_set(&r->host, o->host);
}

int
ks_report_build(struct ks_report *r, struct ks_findings *fs,
    const struct ks_profile *p, const struct ks_report_opts *o,
    struct ks_err *err)
{
	ks_report_init(r);
	if (report_id(r, fs, err) < 0)
		return -1;
	if (o->redact && redact_all(fs, p, err) < 0)
		return -1;
	if (!set_scalars(r, p, o) || !copy_profile(r, p, o->redact) ||
	    (fs->n > 0 && (r->finding_tlp = calloc(fs->n,
	    sizeof(*r->finding_tlp))) == NULL))
		goto nomem;
	r->findings = (const struct ks_finding *const *)fs->v;
	r->nfindings = fs->n;
	for (size_t i = 0; i < fs->n; i++)
		if (!add_finding(r, i, fs->v[i], p))
			goto nomem;
	if (!classes_and_advice(r, fs) ||
	    !merge_dups(r->systems, &r->nsystems, sizeof(*r->systems),
	    system_order, system_key, system_fold, system_drop) ||
	    !merge_dups(r->excerpts, &r->nexcerpts, sizeof(*r->excerpts),
	    excerpt_order, excerpt_key, excerpt_fold, excerpt_drop))
		goto nomem;
	return 0;
nomem:
	ks_report_free(r);
	return ks_err_set(err, "out of memory");
}
