/*
 * config.c - which files a baseline records, and what it checks of each.
 *
 * The format (documented for users in share/integrity.conf) is AIDE's
 * idea in a smaller grammar: groups name sets of attributes, and rules
 * give a path (and everything below it) a group or leave it out:
 *
 *   group binaries = type mode uid gid size mtime inode links sha256
 *   /usr  binaries
 *   !/usr/share/doc
 *   !__pycache__
 *
 * The last rule that matches a path or a directory above it decides, so
 * general rules come first and exceptions after them.  A rule's path is
 * a literal path or an fnmatch(3) pattern; a pattern without '/' is
 * matched against every name in the path (so "!__pycache__" leaves out
 * such directories wherever they are).  Literal paths are where walks
 * start.  The text is parsed strictly, every error naming its line,
 * because a baseline stores it and a typo silently checking less would
 * be worse than no check.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integrity/fim_int.h"

#define GROUPS_MAX 64
#define RULES_MAX 4096
#define LINE_MAX_LEN 4096
#define FILE_MAX (1u << 20)

static const struct {
	const char *name;
	uint32_t bit;
} attr_names[] = {
	{ "type", KS_FIM_TYPE }, { "mode", KS_FIM_MODE },
	{ "uid", KS_FIM_UID }, { "gid", KS_FIM_GID },
	{ "size", KS_FIM_SIZE }, { "mtime", KS_FIM_MTIME },
	{ "ctime", KS_FIM_CTIME }, { "inode", KS_FIM_INODE },
	{ "links", KS_FIM_NLINK }, { "target", KS_FIM_TARGET },
	{ "device", KS_FIM_DEVICE }, { "xattrs", KS_FIM_XATTRS },
	{ "caps", KS_FIM_CAPS }, { "sha256", KS_FIM_SHA256 },
	{ "growing", KS_FIM_GROWING },
};

const char *
ks_fim_attr_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(*attr_names); i++)
		if (attr_names[i].bit == bit)
			return attr_names[i].name;
	return NULL;
}

void
ks_fim_config_free(struct ks_fim_config *cfg)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		free(cfg->groups[i].name);
	for (size_t i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].sel);
	free(cfg->groups);
	free(cfg->rules);
	free(cfg->text);
	memset(cfg, 0, sizeof(*cfg));
}

/* The parser's position: the current line split into words. */
struct parse {
	struct ks_fim_config *cfg;
	size_t lineno;
	char *w[64];
	size_t nw;
	struct ks_err *err;
};

/* An error naming the line and, escaped, the word at fault. */
static int
fail(struct parse *ps, const char *what, const char *word)
{
	struct ks_buf b;
	int rc;

	ks_buf_init(&b);
	if (word != NULL)
		ks_escape_text(&b, word, strlen(word) > 80 ? 80 : strlen(word));
	ks_buf_addc(&b, '\0');
	rc = ks_err_set(ps->err, "line %zu: %s%s%s%s", ps->lineno, what,
	    word != NULL ? " '" : "", ks_buf_failed(&b) ? "" : b.p,
	    word != NULL ? "'" : "");
	ks_buf_free(&b);
	return rc;
}

static bool
group_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    ks_isdigit(*s) || *s == '_' || *s == '-'))
			return false;
	return true;
}

static const struct ks_fim_group *
find_group(const struct ks_fim_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		if (strcmp(cfg->groups[i].name, name) == 0)
			return &cfg->groups[i];
	return NULL;
}

/* An attribute, "all", or an earlier group: its bits, or 0. */
static uint32_t
word_attrs(const struct ks_fim_config *cfg, const char *w)
{
	const struct ks_fim_group *g;

	if (strcmp(w, "all") == 0)
		return KS_FIM_ALL;
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(*attr_names); i++)
		if (strcmp(attr_names[i].name, w) == 0)
			return attr_names[i].bit;
	g = find_group(cfg, w);
	return g != NULL ? g->attrs : 0;
}

/* group NAME = WORD... */
static int
parse_group(struct parse *ps)
{
	struct ks_fim_config *cfg = ps->cfg;
	uint32_t attrs = 0, a;

	if (ps->nw < 4 || strcmp(ps->w[2], "=") != 0)
		return fail(ps, "expected: group NAME = ATTRIBUTE...", NULL);
	if (!group_name_ok(ps->w[1]))
		return fail(ps, "bad group name", ps->w[1]);
	if (find_group(cfg, ps->w[1]) != NULL)
		return fail(ps, "group defined twice:", ps->w[1]);
	if (cfg->ngroups == GROUPS_MAX)
		return fail(ps, "too many groups", NULL);
	for (size_t i = 3; i < ps->nw; i++) {
		if ((a = word_attrs(cfg, ps->w[i])) == 0)
			return fail(ps, "unknown attribute or group", ps->w[i]);
		attrs |= a;
	}
	if ((cfg->groups[cfg->ngroups].name = strdup(ps->w[1])) == NULL)
		return ks_err_set(ps->err, "out of memory");
	cfg->groups[cfg->ngroups++].attrs = attrs;
	return 0;
}

/* A rule's path: absolute, no empty, "." or ".." parts, no trailing /. */
static bool
path_ok(const char *p)
{
	const char *c, *e;
	size_t n;

	if (p[0] != '/')
		return false;
	if (p[1] == '\0')
		return true;
	for (c = p + 1;; c = e + 1) {
		e = strchr(c, '/');
		n = e != NULL ? (size_t)(e - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (e == NULL)
			return true;
	}
}

/* PATH GROUP, or !PATH */
static int
parse_rule(struct parse *ps)
{
	struct ks_fim_config *cfg = ps->cfg;
	struct ks_fim_rule *r = &cfg->rules[cfg->nrules];
	bool exclude = ps->w[0][0] == '!';
	const char *sel = ps->w[0] + exclude;
	const struct ks_fim_group *g = NULL;

	if (ps->nw != (exclude ? 1u : 2u))
		return fail(ps, exclude ? "expected: !PATH" :
		    "expected: PATH GROUP", NULL);
	if (!exclude && (g = find_group(cfg, ps->w[1])) == NULL)
		return fail(ps, "unknown group", ps->w[1]);
	if (cfg->nrules == RULES_MAX)
		return fail(ps, "too many rules", NULL);
	memset(r, 0, sizeof(*r));
	r->glob = strpbrk(sel, "*?[") != NULL;
	r->name_only = strchr(sel, '/') == NULL;
	if (!r->name_only && !path_ok(sel))
		return fail(ps, "not an absolute path without ., .. or //:", sel);
	if ((r->sel = strdup(sel)) == NULL)
		return ks_err_set(ps->err, "out of memory");
	r->n = strlen(sel);
	r->exclude = exclude;
	r->attrs = g != NULL ? g->attrs : 0;
	cfg->nrules++;
	return 0;
}

/* Splits line (NUL-terminated, writable) into words at blanks. */
static int
split(struct parse *ps, char *line)
{
	char *p = line;

	ps->nw = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return 0;
		if (ps->nw == sizeof(ps->w) / sizeof(*ps->w))
			return fail(ps, "too many words", NULL);
		ps->w[ps->nw++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static int
parse_line(struct parse *ps, char *line)
{
	for (const char *c = line; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return fail(ps, "control character in line", NULL);
	if (split(ps, line) < 0)
		return -1;
	if (ps->nw == 0)
		return 0;
	if (strcmp(ps->w[0], "group") == 0)
		return parse_group(ps);
	return parse_rule(ps);
}

int
ks_fim_config_parse(struct ks_fim_config *cfg, const char *text, size_t n,
    struct ks_err *err)
{
	struct parse ps = { .cfg = cfg, .err = err };
	char line[LINE_MAX_LEN + 1];
	const char *p = text, *end = text + n, *nl;
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	if ((cfg->groups = calloc(GROUPS_MAX, sizeof(*cfg->groups))) == NULL ||
	    (cfg->rules = calloc(RULES_MAX, sizeof(*cfg->rules))) == NULL ||
	    (cfg->text = malloc(n + 1)) == NULL) {
		ks_fim_config_free(cfg);
		return ks_err_set(err, "out of memory");
	}
	memcpy(cfg->text, text, n);
	cfg->text[n] = '\0';
	cfg->len = n;
	while (p < end) {
		ps.lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (len > LINE_MAX_LEN || memchr(p, '\0', len) != NULL) {
			fail(&ps, len > LINE_MAX_LEN ? "line too long" :
			    "NUL byte in line", NULL);
			goto bad;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (parse_line(&ps, line) < 0)
			goto bad;
		p += len + (nl != NULL);
	}
	return 0;
bad:
	ks_fim_config_free(cfg);
	return -1;
}

/* Does the name-only pattern match some name in path? */
static bool
match_names(const char *pat, const char *path, size_t n)
{
	char name[256];
	const char *c = path, *e, *end = path + n;
	size_t len;

	while (c < end) {
		while (c < end && *c == '/')
			c++;
		e = memchr(c, '/', (size_t)(end - c));
		len = (size_t)((e != NULL ? e : end) - c);
		if (len > 0 && len < sizeof(name)) {
			memcpy(name, c, len);
			name[len] = '\0';
			if (fnmatch(pat, name, 0) == 0)
				return true;
		}
		c += len;
	}
	return false;
}

static bool
rule_matches(const struct ks_fim_rule *r, const char *path, size_t n)
{
	if (r->name_only)
		return match_names(r->sel, path, n);
	if (r->glob)
		return fnmatch(r->sel, path, FNM_PATHNAME | FNM_LEADING_DIR) == 0;
	if (r->n == 1)
		return true;            /* "/" */
	return n >= r->n && memcmp(path, r->sel, r->n) == 0 &&
	    (n == r->n || path[r->n] == '/');
}

bool
ks_fim_config_match(const struct ks_fim_config *cfg, const char *path,
    size_t n, uint32_t *attrs)
{
	for (size_t i = cfg->nrules; i-- > 0;) {
		const struct ks_fim_rule *r = &cfg->rules[i];

		if (!rule_matches(r, path, n))
			continue;
		if (r->exclude)
			return false;
		*attrs = r->attrs;
		return true;
	}
	*attrs = KS_FIM_ALL;
	return true;
}

size_t
ks_fim_config_roots(const struct ks_fim_config *cfg, const char **roots,
    size_t max)
{
	size_t n = 0, j;

	for (size_t i = 0; i < cfg->nrules && n < max; i++) {
		const struct ks_fim_rule *r = &cfg->rules[i];

		if (r->exclude || r->glob || r->name_only)
			continue;
		for (j = 0; j < n && strcmp(roots[j], r->sel) != 0; j++)
			;
		if (j == n)
			roots[n++] = r->sel;
	}
	return n;
}

int
ks_fim_config_load(struct ks_fim_config *cfg, const char *path,
    struct ks_err *err)
{
	char msg[sizeof(err->msg)];
	struct ks_buf b;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	ks_buf_init(&b);
	if ((rc = ks_read_file(path, FILE_MAX, &b, err)) == 0 &&
	    (rc = ks_fim_config_parse(cfg, b.p != NULL ? b.p : "", b.len,
	    err)) < 0) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		ks_err_set(err, "%s: %s", path, msg);
	}
	ks_buf_free(&b);
	return rc;
}
