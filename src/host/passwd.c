/*
 * passwd.c - the account files read by hand: /etc/passwd, /etc/shadow,
 * /etc/group and the UID range of /etc/login.defs.
 *
 * getpwent(3) is no use here: it reads the analysing host's accounts
 * through NSS (and may ask LDAP or run a module), while the files of an
 * image under --root are what must be judged, exactly as written, broken
 * lines included.  A line is split on ':' and must have the field count
 * of its file; a line that does not is counted and reported, never
 * guessed at (an intruder's hand-edited line is just what to show).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define LINES_MAX 1000000

/* Splits line at ':' into at most max fields; returns the field count. */
static size_t
split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line, *c;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = p;
		if ((c = strchr(p, ':')) == NULL)
			return n;
		*c = '\0';
		p = c + 1;
	}
}

static int
parse_id(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!ks_isdigit(s[0]) || strlen(s) > 10)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || v >= UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
ks_pw_parse(char *line, struct ks_pwent *e)
{
	char *f[8];

	memset(e, 0, sizeof(*e));
	if (split(line, f, 7) != 7 || f[0][0] == '\0' ||
	    parse_id(f[2], &e->uid) < 0 || parse_id(f[3], &e->gid) < 0)
		return -1;
	e->name = f[0];
	e->passwd = f[1];
	e->gecos = f[4];
	e->home = f[5];
	e->shell = f[6];
	return 0;
}

int
ks_sp_parse(char *line, struct ks_spent *e)
{
	char *f[10];
	size_t n = split(line, f, 9);

	memset(e, 0, sizeof(*e));
	if (n < 2 || n > 9 || f[0][0] == '\0')
		return -1;
	e->name = f[0];
	e->hash = f[1];
	return 0;
}

int
ks_gr_parse(char *line, struct ks_grent *e)
{
	char *f[5];

	memset(e, 0, sizeof(*e));
	if (split(line, f, 4) != 4 || f[0][0] == '\0' ||
	    parse_id(f[2], &e->gid) < 0)
		return -1;
	e->name = f[0];
	e->passwd = f[1];
	e->members = f[3];
	return 0;
}

/*
 * Cuts text into lines and calls parse on each non-empty one, storing
 * good entries of size `size` into a growing array; counts bad ones.
 */
static int
parse_lines(struct ks_hfile *file, void **arr, size_t *n, size_t size,
    int (*parse)(char *, void *, uint64_t), uint64_t *bad,
    uint64_t *first_bad)
{
	char *p = file->p, *end = file->p + file->n, *nl;
	size_t cap = 0;
	uint64_t no = 0;
	char *entry;

	for (; p != NULL && p < end && *n < LINES_MAX; p = nl ? nl + 1 : NULL) {
		no++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL)
			*nl = '\0';
		if (*p == '\0')
			continue;
		if (*n == cap) {
			void *na;

			cap = cap ? cap * 2 : 64;
			if ((na = realloc(*arr, cap * size)) == NULL)
				return -1;
			*arr = na;
		}
		entry = (char *)*arr + *n * size;
		if (parse(p, entry, no) < 0) {
			if ((*bad)++ == 0)
				*first_bad = no;
			continue;
		}
		(*n)++;
	}
	return 0;
}

/* The parsers with the signature parse_lines calls: they keep the line. */
static int
pw_cb(char *line, void *e, uint64_t no)
{
	struct ks_pwent *pw = e;

	if (ks_pw_parse(line, pw) < 0)
		return -1;
	pw->line = no;
	return 0;
}

static int
sp_cb(char *line, void *e, uint64_t no)
{
	struct ks_spent *sp = e;

	if (ks_sp_parse(line, sp) < 0)
		return -1;
	sp->line = no;
	return 0;
}

static int
gr_cb(char *line, void *e, uint64_t no)
{
	struct ks_grent *gr = e;

	if (ks_gr_parse(line, gr) < 0)
		return -1;
	gr->line = no;
	return 0;
}

/* An index from names to the first entry that has each. */
static int
index_names(struct ks_map **m, const void *arr, size_t n, size_t size,
    size_t name_off)
{
	struct ks_err err;
	size_t first;

	if (ks_map_new(m, n + 1, &err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *name = *(char *const *)((const char *)arr +
		    i * size + name_off);

		if (!ks_map_get(*m, name, strlen(name), &first) &&
		    ks_map_put(*m, name, strlen(name), i, &err) < 0)
			return -1;
	}
	return 0;
}

int
ks_accounts_parse(struct ks_accounts *a)
{
	if (parse_lines(&a->passwd, (void **)&a->pw, &a->npw, sizeof(*a->pw),
	    pw_cb, &a->bad_pw, &a->first_bad_pw) < 0)
		return -1;
	if (a->have_shadow && parse_lines(&a->shadow, (void **)&a->sp,
	    &a->nsp, sizeof(*a->sp), sp_cb, &a->bad_sp, &a->first_bad_sp) < 0)
		return -1;
	if (a->have_group && parse_lines(&a->group, (void **)&a->gr, &a->ngr,
	    sizeof(*a->gr), gr_cb, &a->bad_gr, &a->first_bad_gr) < 0)
		return -1;
	return index_names(&a->pw_names, a->pw, a->npw, sizeof(*a->pw),
	    offsetof(struct ks_pwent, name)) < 0 ||
	    index_names(&a->sp_names, a->sp, a->nsp, sizeof(*a->sp),
	    offsetof(struct ks_spent, name)) < 0 ? -1 : 0;
}

/* UID_MIN and UID_MAX of /etc/login.defs (1000 and 60000 by default). */
static void
read_login_defs(struct ks_host *h, struct ks_accounts *a)
{
	struct ks_hfile f;
	char *p, *nl;
	uint32_t v;

	a->uid_min = 1000;
	a->uid_max = 60000;
	if (ks_hfs_read(h, "/etc/login.defs", 1u << 20, &f) != 0)
		return;
	for (p = f.p; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		char key[16], val[16];

		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (sscanf(p, " %15s %15s", key, val) != 2 ||
		    parse_id(val, &v) < 0)
			continue;
		if (strcmp(key, "UID_MIN") == 0)
			a->uid_min = v;
		else if (strcmp(key, "UID_MAX") == 0)
			a->uid_max = v;
	}
	ks_hfile_free(&f);
}

static struct ks_accounts *
load(struct ks_host *h)
{
	struct ks_accounts *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		h->oom = true;
		return NULL;
	}
	if (ks_hfs_read(h, "/etc/passwd", KS_HFILE_MAX, &a->passwd) != 0) {
		ks_host_note(h, _("/etc/passwd: not read: account checks are "
		    "off"));
		ks_accounts_free(a);
		return NULL;
	}
	a->have_shadow = ks_hfs_read(h, "/etc/shadow", KS_HFILE_MAX,
	    &a->shadow) == 0;
	a->have_group = ks_hfs_read(h, "/etc/group", KS_HFILE_MAX,
	    &a->group) == 0;
	read_login_defs(h, a);
	if (ks_accounts_parse(a) < 0) {
		h->oom = true;
		ks_accounts_free(a);
		return NULL;
	}
	return a;
}

struct ks_accounts *
ks_host_accounts(struct ks_host *h)
{
	if (!h->acc_loaded) {
		h->acc_loaded = true;
		h->acc = load(h);
	}
	return h->acc;
}

void
ks_accounts_free(struct ks_accounts *a)
{
	if (a == NULL)
		return;
	ks_hfile_free(&a->passwd);
	ks_hfile_free(&a->shadow);
	ks_hfile_free(&a->group);
	free(a->pw);
	free(a->sp);
	free(a->gr);
	ks_map_free(a->pw_names);
	ks_map_free(a->sp_names);
	free(a);
}

const struct ks_pwent *
ks_accounts_by_uid(const struct ks_accounts *a, uint32_t uid)
{
	for (size_t i = 0; i < a->npw; i++)
		if (a->pw[i].uid == uid)
			return &a->pw[i];
	return NULL;
}

const struct ks_pwent *
ks_accounts_by_name(const struct ks_accounts *a, const char *name)
{
	size_t i;

	return a->pw_names != NULL && ks_map_get(a->pw_names, name,
	    strlen(name), &i) ? &a->pw[i] : NULL;
}

const struct ks_spent *
ks_accounts_shadow(const struct ks_accounts *a, const char *name)
{
	size_t i;

	return a->sp_names != NULL && ks_map_get(a->sp_names, name,
	    strlen(name), &i) ? &a->sp[i] : NULL;
}

bool
ks_shell_is_login(const char *shell)
{
	static const char *const no[] = { "nologin", "false", "true", "sync",
	    "shutdown", "halt", "git-shell" };
	const char *base = strrchr(shell, '/');

	base = base ? base + 1 : shell;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (strcmp(base, no[i]) == 0)
			return false;
	return true;
}

bool
ks_uid_is_system(const struct ks_accounts *a, uint32_t uid)
{
	return uid != 0 && (uid < a->uid_min || uid > a->uid_max);
}
