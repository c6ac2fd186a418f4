/*
 * match.c - one field of one event against one Sigma field test.
 *
 * Plain values, contains, startswith and endswith are all compiled to
 * glob patterns ("*x*", "x*", "*x") so that one matcher serves them, with
 * Sigma's escapes (\* \? \\) and its case-insensitivity unless |cased.
 * The matcher backtracks only to the last '*', so it is linear for the
 * patterns rules use and quadratic at worst, never exponential, on a line
 * an attacker wrote.  Patterns whose only wildcards are a leading and a
 * trailing '*' (nearly all) are classified at load time and matched as
 * literals instead: the per-event cost of a rule is then a length check
 * and a compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

static inline unsigned char
fold(unsigned char c, bool cased)
{
	return (!cased && c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* The pattern character at *i (an escape taken as a literal). */
static unsigned char
pat_char(const char *pat, size_t plen, size_t *i, bool *literal)
{
	*literal = false;
	if (pat[*i] == '\\' && *i + 1 < plen &&
	    (pat[*i + 1] == '*' || pat[*i + 1] == '?' || pat[*i + 1] == '\\')) {
		(*i)++;
		*literal = true;
	}
	return (unsigned char)pat[*i];
}

bool
ks_glob_match(const char *pat, size_t plen, const char *s, size_t n,
    bool cased)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0, next;
	unsigned char pc;
	bool lit;

	while (si < n) {
		if (pi < plen) {
			next = pi;
			pc = pat_char(pat, plen, &next, &lit);
			if (!lit && pc == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if ((!lit && pc == '?') ||
			    fold(pc, cased) == fold((unsigned char)s[si], cased)) {
				pi = next + 1;
				si++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

/* An unescaped '*' or '?' in pat[from, to). */
static bool
has_wildcard(const char *pat, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (pat[i] == '\\' && i + 1 < to && (pat[i + 1] == '*' ||
		    pat[i + 1] == '?' || pat[i + 1] == '\\'))
			i++;
		else if (pat[i] == '*' || pat[i] == '?')
			return true;
	}
	return false;
}

int
ks_lit_compile(struct ks_match *m, size_t i)
{
	const char *pat = m->glob[i];
	size_t n = m->glen[i], from = 0, to = n, k = 0;
	bool lead, trail;
	struct ks_lit *l = &m->lit[i];

	lead = n > 0 && pat[0] == '*';
	trail = n > 1 && pat[n - 1] == '*' && pat[n - 2] != '\\';
	from = lead;
	to = n - (trail && n > (size_t)lead);
	if (has_wildcard(pat, from, to)) {
		l->kind = KS_LIT_GLOB;
		return 0;
	}
	l->kind = lead && trail ? KS_LIT_CONTAINS : lead ? KS_LIT_SUFFIX :
	    trail ? KS_LIT_PREFIX : KS_LIT_EXACT;
	if ((l->text = malloc(to - from + 1)) == NULL)
		return -1;
	for (size_t j = from; j < to; j++) {
		if (pat[j] == '\\' && j + 1 < to && (pat[j + 1] == '*' ||
		    pat[j + 1] == '?' || pat[j + 1] == '\\'))
			j++;
		l->text[k++] = (char)fold((unsigned char)pat[j], m->cased);
	}
	l->text[k] = '\0';
	l->len = k;
	return 0;
}

/* s equals the (folded) literal t over len bytes. */
static bool
eq_fold(const char *s, const char *t, size_t len, bool cased)
{
	if (cased)
		return memcmp(s, t, len) == 0;
	for (size_t i = 0; i < len; i++)
		if (fold((unsigned char)s[i], false) != (unsigned char)t[i])
			return false;
	return true;
}

/* The first byte of s..s+n that folds to c (lower case), or NULL. */
static const char *
find_fold(const char *s, size_t n, unsigned char c)
{
	const char *lo = memchr(s, c, n), *up;

	if (c < 'a' || c > 'z')
		return lo;
	up = memchr(s, c ^ 0x20, lo != NULL ? (size_t)(lo - s) : n);
	return up != NULL ? up : lo;
}

/* Whether t (lower case unless cased) occurs in s, by memchr of its start. */
static bool
contains_fold(const char *s, size_t n, const char *t, size_t len,
    bool cased)
{
	const char *p, *end = s + n;

	if (len == 0)
		return true;
	if (cased)
		return n >= len && ks_memfind(s, n, t, len) != NULL;
	for (p = s; (size_t)(end - p) >= len &&
	    (p = find_fold(p, (size_t)(end - p) - len + 1,
	    (unsigned char)t[0])) != NULL; p++)
		if (eq_fold(p + 1, t + 1, len - 1, false))
			return true;
	return false;
}

static bool
lit_match(const struct ks_lit *l, const char *pat, size_t plen,
    struct ks_str v, bool cased)
{
	switch (l->kind) {
	case KS_LIT_EXACT:
		return v.n == l->len && eq_fold(v.p, l->text, l->len, cased);
	case KS_LIT_PREFIX:
		return v.n >= l->len && eq_fold(v.p, l->text, l->len, cased);
	case KS_LIT_SUFFIX:
		return v.n >= l->len && eq_fold(v.p + v.n - l->len, l->text,
		    l->len, cased);
	case KS_LIT_CONTAINS:
		return contains_fold(v.p, v.n, l->text, l->len, cased);
	case KS_LIT_GLOB:
		break;
	}
	return ks_glob_match(pat, plen, v.p, v.n, cased);
}

bool
ks_field_value(int k, const struct ks_event *ev, const struct ks_fields *f,
    char *num, size_t numlen, struct ks_str *out)
{
	switch (k) {
	case KS_EF_MESSAGE: *out = ev->message; return true;
	case KS_EF_PROCESS_NAME: *out = ev->program; break;
	case KS_EF_HOST_NAME: *out = ev->host; break;
	case KS_EF_LOG_PATH:
		*out = ks_str_make(ev->path, ev->path ? strlen(ev->path) : 0);
		break;
	case KS_EF_PROCESS_PID:
		if (ev->pid < 0)
			return false;
		*out = ks_str_make(num, (size_t)snprintf(num, numlen, "%lld",
		    (long long)ev->pid));
		return true;
	default:
		*out = f->v[k];
		break;
	}
	return out->n > 0;
}

/*
 * Only whether it matches matters, so one match-data block made at load
 * serves every call (the engine is single-threaded).  A pattern that
 * exhausts PCRE2's match limit on a hostile line counts as no match.
 */
static bool
re_match(pcre2_code *re, pcre2_match_data *md, struct ks_str v)
{
	return pcre2_match(re, (PCRE2_SPTR)(v.p ? v.p : ""), v.n, 0, 0, md,
	    NULL) >= 0;
}

static bool
one(const struct ks_match *m, size_t i, struct ks_str v)
{
	switch (m->mod) {
	case KS_MOD_GLOB:
		return lit_match(&m->lit[i], m->glob[i], m->glen[i], v, m->cased);
	case KS_MOD_RE:
		return re_match(m->re[i], m->md, v);
	case KS_MOD_CIDR:           /* see cidr_any */
	case KS_MOD_NULL:
		break;
	}
	return false;
}

/* Whether v is inside any (with |all, every) network of m: parsed once. */
static bool
cidr_any(const struct ks_match *m, struct ks_str v)
{
	uint8_t a[16];
	bool addr = ks_addr_parse(v.p, v.n, a);

	for (size_t i = 0; i < m->n; i++) {
		bool hit = addr && ks_cidr_has(&m->cidr[i], a);

		if (m->all && !hit)
			return false;
		if (!m->all && hit)
			return true;
	}
	return m->all && m->n > 0;
}

bool
ks_match_eval(const struct ks_match *m, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_pfscan *ps)
{
	char num[24];
	struct ks_str v;
	bool present;

	if (m->implied && ps != NULL && ps->dispatched)
		return true;
	present = ks_field_value(m->field, ev, f, num, sizeof(num), &v);
	if (m->mod == KS_MOD_NULL)
		return !present;
	if (!present)
		return false;
	if (m->mod == KS_MOD_CIDR)
		return cidr_any(m, v);
	for (size_t i = 0; i < m->n; i++) {
		bool gated = m->mod == KS_MOD_RE &&
		    !ks_gate_open(&m->gate[i], v);
		int pre = gated ? 0 : m->pf != NULL ?
		    ks_pfscan_test(ps, m->pf[i], v) : -1;
		bool hit = pre >= 0 ? pre == 1 : one(m, i, v);

		if (m->all && !hit)
			return false;
		if (!m->all && hit)
			return true;
	}
	return m->all && m->n > 0;
}

void
ks_match_free(struct ks_match *m)
{
	for (size_t i = 0; i < m->n; i++) {
		if (m->glob)
			free(m->glob[i]);
		if (m->lit)
			free(m->lit[i].text);
		if (m->re)
			pcre2_code_free(m->re[i]);
		if (m->re_src)
			free(m->re_src[i]);
	}
	free(m->glob);
	free(m->glen);
	free(m->lit);
	pcre2_match_data_free(m->md);
	free(m->re);
	free(m->re_src);
	free(m->gate);
	free(m->cidr);
	free(m->pf);
}
