/*
 * dpkg.c - dpkg's database read as text, without dpkg.
 *
 * On a host that may be compromised dpkg itself is a program of that
 * host, so its files are parsed here: the status file (RFC 822-like
 * stanzas: which packages are installed, in which version, with which
 * conffiles and their MD5), the md5sums files of /var/lib/dpkg/info,
 * the diversions file, and the conffiles list inside a .deb.  The files
 * are on the suspect disk, so nothing is trusted: every line is checked
 * for its shape and the ones that do not fit are counted, never
 * guessed at.
 */
#include <stdlib.h>
#include <string.h>

#include "integrity/dpkg.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
ks_unhex(const char *s, size_t len, unsigned char *out, size_t n)
{
	int hi, lo;

	if (len != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((hi = hexval(s[2 * i])) < 0 || (lo = hexval(s[2 * i + 1])) < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static struct ks_str
trim(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r'))
		n--;
	return ks_str_make(p, n);
}

/* The next line of [*p, end), without its newline; false at the end. */
static bool
next_line(const char **p, const char *end, struct ks_str *line)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	line->p = *p;
	line->n = (size_t)((nl != NULL ? nl : end) - *p);
	*p = nl != NULL ? nl + 1 : end;
	return true;
}

static void
pkg_free(struct ks_dpkg_pkg *p)
{
	free(p->name);
	free(p->arch);
	free(p->version);
	for (size_t j = 0; j < p->nconf; j++)
		free(p->conf[j].path);
	free(p->conf);
	memset(p, 0, sizeof(*p));
}

void
ks_dpkg_status_free(struct ks_dpkg_status *s)
{
	for (size_t i = 0; i < s->n; i++)
		pkg_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The words of "install ok installed": are the files on the disk? */
static bool
status_installed(struct ks_str v)
{
	static const char *const states[] = {
		"installed", "half-configured", "unpacked",
		"triggers-awaited", "triggers-pending",
	};
	const char *sp;
	size_t n;

	sp = v.n > 0 ? memchr(v.p, ' ', v.n) : NULL;
	sp = sp != NULL ? memchr(sp + 1, ' ', (size_t)(v.p + v.n - sp - 1)) :
	    NULL;
	if (sp == NULL)
		return false;
	n = (size_t)(v.p + v.n - sp - 1);
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		if (strlen(states[i]) == n && memcmp(sp + 1, states[i], n) == 0)
			return true;
	return false;
}

/*
 * One line of Conffiles: " /etc/x 0123...cdef [obsolete]".  The path
 * may hold spaces, so the words are taken from the right.
 */
static int
add_conffile(struct ks_dpkg_pkg *p, struct ks_str line, uint64_t *unparsed)
{
	struct ks_dpkg_conffile c = { 0 }, *v;
	struct ks_str l = trim(line.p, line.n), w;
	const char *sp;

	if ((sp = memrchr(l.p, ' ', l.n)) == NULL || l.n == 0 || l.p[0] != '/') {
		(*unparsed)++;
		return 0;
	}
	w = ks_str_make(sp + 1, (size_t)(l.p + l.n - sp - 1));
	if (ks_str_eq(w, "obsolete") || ks_str_eq(w, "remove-on-upgrade")) {
		c.obsolete = true;
		l = trim(l.p, (size_t)(sp - l.p));
		if ((sp = memrchr(l.p, ' ', l.n)) == NULL) {
			(*unparsed)++;
			return 0;
		}
		w = ks_str_make(sp + 1, (size_t)(l.p + l.n - sp - 1));
	}
	c.has_md5 = ks_unhex(w.p, w.n, c.md5, sizeof(c.md5));
	l = trim(l.p, (size_t)(sp - l.p));
	if ((v = realloc(p->conf, (p->nconf + 1) * sizeof(*v))) == NULL)
		return -1;
	p->conf = v;
	if ((c.path = strndup(l.p, l.n)) == NULL)
		return -1;
	p->conf[p->nconf++] = c;
	return 0;
}

/* What the stanza being read has said so far. */
struct stanza {
	struct ks_dpkg_pkg pkg;
	bool any, in_conffiles;
};

static int
field(struct stanza *st, struct ks_str name, struct ks_str v)
{
	char **dst = NULL;

	st->in_conffiles = false;
	if (ks_str_eq(name, "Package"))
		dst = &st->pkg.name;
	else if (ks_str_eq(name, "Architecture"))
		dst = &st->pkg.arch;
	else if (ks_str_eq(name, "Version"))
		dst = &st->pkg.version;
	else if (ks_str_eq(name, "Status"))
		st->pkg.installed = status_installed(v);
	else if (ks_str_eq(name, "Multi-Arch"))
		st->pkg.multiarch_same = ks_str_eq(v, "same");
	else if (ks_str_eq(name, "Conffiles"))
		st->in_conffiles = true;
	if (dst == NULL)
		return 0;
	free(*dst);
	return (*dst = strndup(v.p, v.n)) == NULL ? -1 : 0;
}

/* Ends a stanza: a package kept, or a nameless one counted and freed. */
static int
stanza_end(struct ks_dpkg_status *s, struct stanza *st)
{
	struct ks_dpkg_pkg *v;

	if (!st->any)
		return 0;
	if (st->pkg.name == NULL || st->pkg.name[0] == '\0') {
		s->unparsed++;
		pkg_free(&st->pkg);
	} else {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;

			if ((v = realloc(s->v, cap * sizeof(*v))) == NULL) {
				pkg_free(&st->pkg);
				return -1;
			}
			s->v = v;
			s->cap = cap;
		}
		s->v[s->n++] = st->pkg;
	}
	memset(st, 0, sizeof(*st));
	return 0;
}

static int
status_line(struct ks_dpkg_status *s, struct stanza *st, struct ks_str l)
{
	const char *colon;

	if (l.n > 0 && (l.p[0] == ' ' || l.p[0] == '\t')) {
		if (!st->any)
			s->unparsed++;
		else if (st->in_conffiles)
			return add_conffile(&st->pkg, l, &s->unparsed);
		return 0;
	}
	if ((colon = memchr(l.p, ':', l.n)) == NULL || colon == l.p) {
		s->unparsed++;
		return 0;
	}
	st->any = true;
	return field(st, ks_str_make(l.p, (size_t)(colon - l.p)),
	    trim(colon + 1, (size_t)(l.p + l.n - colon - 1)));
}

int
ks_dpkg_status_parse(struct ks_dpkg_status *s, const char *text, size_t n,
    struct ks_err *err)
{
	const char *p = text, *end = text + n;
	struct stanza st;
	struct ks_str l;

	memset(s, 0, sizeof(*s));
	memset(&st, 0, sizeof(st));
	while (next_line(&p, end, &l)) {
		if (trim(l.p, l.n).n == 0) {
			if (stanza_end(s, &st) < 0)
				goto nomem;
			continue;
		}
		if (status_line(s, &st, l) < 0) {
			pkg_free(&st.pkg);
			goto nomem;
		}
	}
	if (stanza_end(s, &st) < 0)
		goto nomem;
	return 0;
nomem:
	ks_dpkg_status_free(s);
	return ks_err_set(err, "out of memory");
}

const struct ks_dpkg_pkg *
ks_dpkg_find(const struct ks_dpkg_status *s, const char *name,
    const char *arch)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0 && (arch == NULL ||
		    (s->v[i].arch != NULL && strcmp(s->v[i].arch, arch) == 0)))
			return &s->v[i];
	return NULL;
}

int
ks_dpkg_md5sums_next(const char **p, const char *end, unsigned char md5[16],
    const char **path, size_t *n)
{
	struct ks_str l;
	size_t i = 32;

	if (!next_line(p, end, &l))
		return -1;
	l = trim(l.p, l.n);
	if (l.n < 34 || !ks_unhex(l.p, 32, md5, 16) || l.p[32] != ' ')
		return 0;
	while (i < l.n && l.p[i] == ' ')
		i++;
	if (i < l.n && l.p[i] == '*')       /* md5sum's binary mark */
		i++;
	while (i < l.n && l.p[i] == '/')
		i++;
	if (i == l.n || memchr(l.p + i, '\0', l.n - i) != NULL)
		return 0;
	*path = l.p + i;
	*n = l.n - i;
	return 1;
}

void
ks_dpkg_diversions_free(struct ks_dpkg_diversions *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].from);
		free(d->v[i].to);
		free(d->v[i].pkg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int
ks_dpkg_diversions_parse(struct ks_dpkg_diversions *d, const char *text,
    size_t n, struct ks_err *err)
{
	const char *p = text, *end = text + n;
	struct ks_str l[3];
	struct ks_dpkg_diversion *v;

	memset(d, 0, sizeof(*d));
	for (;;) {
		size_t k = 0;

		while (k < 3 && next_line(&p, end, &l[k]))
			k++;
		if (k < 3) {
			d->unparsed += k;
			return 0;
		}
		if (l[0].n == 0 || l[0].p[0] != '/' || l[1].n == 0 ||
		    l[1].p[0] != '/' || l[2].n == 0 ||
		    memchr(l[0].p, '\0', l[0].n) || memchr(l[1].p, '\0', l[1].n) ||
		    memchr(l[2].p, '\0', l[2].n)) {
			d->unparsed += 3;
			continue;
		}
		if ((v = realloc(d->v, (d->n + 1) * sizeof(*v))) == NULL)
			break;
		d->v = v;
		v = &d->v[d->n];
		v->from = strndup(l[0].p, l[0].n);
		v->to = strndup(l[1].p, l[1].n);
		v->pkg = strndup(l[2].p, l[2].n);
		d->n++;
		if (v->from == NULL || v->to == NULL || v->pkg == NULL)
			break;
	}
	ks_dpkg_diversions_free(d);
	return ks_err_set(err, "out of memory");
}

const char *
ks_dpkg_divert(const struct ks_dpkg_diversions *d, const char *path,
    const char *pkg)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].from, path) == 0)
			return strcmp(d->v[i].pkg, pkg) == 0 ? path : d->v[i].to;
	return path;
}

int
ks_dpkg_conffiles_parse(const char *text, size_t n,
    int (*fn)(void *ctx, const char *path, size_t len), void *ctx,
    uint64_t *unparsed)
{
	const char *p = text, *end = text + n;
	struct ks_str l;

	while (next_line(&p, end, &l)) {
		l = trim(l.p, l.n);
		if (l.n == 0 || (l.n > 18 &&
		    memcmp(l.p, "remove-on-upgrade ", 18) == 0))
			continue;
		if (l.p[0] != '/' || memchr(l.p, '\0', l.n) != NULL) {
			(*unparsed)++;
			continue;
		}
		if (fn(ctx, l.p, l.n) < 0)
			return -1;
	}
	return 0;
}
