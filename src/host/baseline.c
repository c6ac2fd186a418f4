/*
 * baseline.c - the host baseline file: what a later run of host triage
 * compares with (new accounts now, unknown listeners once the socket
 * checks use it).
 *
 * A text file a person can read, diff and edit, one record a line:
 *
 *   # comment
 *   kansatsu-baseline 1          the format and its version, first
 *   host srv01
 *   created 2026-11-22T03:00:00+09:00
 *   account NAME UID GID HOME SHELL
 *   listener PROTO PORT PROGRAM
 *
 * Fields are separated by one space.  Each field is percent-escaped: a
 * byte that is a space, a control character, '%' or not ASCII is
 * written %XX, so that no account name or path can break a line; a field
 * that is only "-" is empty (a literal "-" is %2d).  A record type this
 * version does not know is counted and skipped, so that files written by
 * a later version still load; a known record that is malformed is an
 * error naming its line.  The file is written to a temporary name and
 * renamed, so a crash never leaves half a baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host.h"

#define MAGIC "kansatsu-baseline"
#define VERSION 1
#define LINE_MAX 8192
#define RECORDS_MAX 100000
#define FIELDS_MAX 8
#define FILE_MAX (256u << 20)

struct ks_baseline {
	char *host;
	struct ks_baseline_account *acc;
	size_t nacc, capacc;
	size_t *index;          /* open addressing: account number + 1 */
	size_t indexcap;        /* a power of two, over twice nacc */
	struct ks_baseline_listener *lis;
	size_t nlis, caplis;
	size_t unknown;
	struct ks_hash_key hk;  /* account names come from the analysed host */
};

int
ks_baseline_new(struct ks_baseline **out, const char *host,
    struct ks_err *err)
{
	struct ks_baseline *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL || (b->host = strdup(host ? host : "")) == NULL) {
		free(b);
		return ks_err_set(err, "out of memory");
	}
	ks_hash_key_init(&b->hk);
	*out = b;
	return 0;
}

void
ks_baseline_free(struct ks_baseline *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nacc; i++) {
		free(b->acc[i].name);
		free(b->acc[i].home);
		free(b->acc[i].shell);
	}
	for (size_t i = 0; i < b->nlis; i++)
		free(b->lis[i].program);
	free(b->acc);
	free(b->lis);
	free(b->index);
	free(b->host);
	free(b);
}

const char *
ks_baseline_host(const struct ks_baseline *b)
{
	return b->host;
}

static bool
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return true;
	if (n >= RECORDS_MAX)
		return false;
	ncap = *cap ? *cap * 2 : 16;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

/* The index slot of name: its account's, or the empty one it would take. */
static size_t
slot(const struct ks_baseline *b, const char *name)
{
	size_t mask = b->indexcap - 1;
	size_t i = ks_hash(&b->hk, name, strlen(name)) & mask;

	while (b->index[i] != 0 &&
	    strcmp(b->acc[b->index[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Makes room in the index for one more account. */
static bool
index_grow(struct ks_baseline *b)
{
	size_t *old = b->index, oldcap = b->indexcap;

	if ((b->nacc + 1) * 2 < b->indexcap)
		return true;
	b->indexcap = oldcap ? oldcap * 2 : 64;
	if ((b->index = calloc(b->indexcap, sizeof(*b->index))) == NULL) {
		b->index = old;
		b->indexcap = oldcap;
		return false;
	}
	for (size_t i = 0; i < oldcap; i++)
		if (old[i] != 0)
			b->index[slot(b, b->acc[old[i] - 1].name)] = old[i];
	free(old);
	return true;
}

const struct ks_baseline_account *
ks_baseline_find_account(const struct ks_baseline *b, const char *name)
{
	size_t i;

	if (b->indexcap == 0)
		return NULL;
	i = slot(b, name);
	return b->index[i] != 0 ? &b->acc[b->index[i] - 1] : NULL;
}

int
ks_baseline_add_account(struct ks_baseline *b, const char *name,
    uint32_t uid, uint32_t gid, const char *home, const char *shell,
    struct ks_err *err)
{
	struct ks_baseline_account *a;

	if (name[0] == '\0')
		return ks_err_set(err, "an account without a name");
	if (ks_baseline_find_account(b, name) != NULL)
		return 0;
	if (!grow((void **)&b->acc, &b->capacc, b->nacc, sizeof(*b->acc)) ||
	    !index_grow(b))
		return ks_err_set(err, "too many records, or out of memory");
	a = &b->acc[b->nacc];
	a->uid = uid;
	a->gid = gid;
	a->name = strdup(name);
	a->home = strdup(home);
	a->shell = strdup(shell);
	if (a->name == NULL || a->home == NULL || a->shell == NULL) {
		free(a->name);
		free(a->home);
		free(a->shell);
		return ks_err_set(err, "out of memory");
	}
	b->index[slot(b, name)] = ++b->nacc;
	return 0;
}

static bool
proto_ok(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n >= sizeof(((struct ks_baseline_listener *)0)->proto))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || ks_isdigit(p[i])))
			return false;
	return true;
}

bool
ks_baseline_listener_known(const struct ks_baseline *b, const char *proto,
    unsigned port, const char *program)
{
	for (size_t i = 0; i < b->nlis; i++) {
		const struct ks_baseline_listener *l = &b->lis[i];

		if (l->port == port && strcmp(l->proto, proto) == 0 &&
		    (program == NULL || program[0] == '\0' ||
		    l->program[0] == '\0' || strcmp(l->program, program) == 0))
			return true;
	}
	return false;
}

int
ks_baseline_add_listener(struct ks_baseline *b, const char *proto,
    unsigned port, const char *program, struct ks_err *err)
{
	struct ks_baseline_listener *l;

	if (!proto_ok(proto) || port > 65535)
		return ks_err_set(err, "a listener needs a protocol of up to 7 "
		    "lowercase letters and digits and a port up to 65535");
	if (program == NULL)
		program = "";
	for (size_t i = 0; i < b->nlis; i++)
		if (b->lis[i].port == port && strcmp(b->lis[i].proto, proto) == 0 &&
		    strcmp(b->lis[i].program, program) == 0)
			return 0;
	if (!grow((void **)&b->lis, &b->caplis, b->nlis, sizeof(*b->lis)))
		return ks_err_set(err, "too many records, or out of memory");
	l = &b->lis[b->nlis];
	snprintf(l->proto, sizeof(l->proto), "%s", proto);
	l->port = (uint16_t)port;
	if ((l->program = strdup(program)) == NULL)
		return ks_err_set(err, "out of memory");
	b->nlis++;
	return 0;
}

size_t
ks_baseline_accounts(const struct ks_baseline *b,
    const struct ks_baseline_account **out)
{
	*out = b->acc;
	return b->nacc;
}

size_t
ks_baseline_listeners(const struct ks_baseline *b,
    const struct ks_baseline_listener **out)
{
	*out = b->lis;
	return b->nlis;
}

size_t
ks_baseline_unknown(const struct ks_baseline *b)
{
	return b->unknown;
}

/* ---- writing ----------------------------------------------------------- */

static void
field(struct ks_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	ks_buf_addc(out, ' ');
	if (s[0] == '\0') {
		ks_buf_addc(out, '-');
		return;
	}
	if (strcmp(s, "-") == 0) {
		ks_buf_adds(out, "%2D");
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '%') {
			ks_buf_addc(out, '%');
			ks_buf_addc(out, hex[*p >> 4]);
			ks_buf_addc(out, hex[*p & 15]);
		} else
			ks_buf_addc(out, (char)*p);
	}
}

void
ks_baseline_write(const struct ks_baseline *b, int64_t now_us,
    int32_t utc_off, struct ks_buf *out)
{
	ks_buf_adds(out, "# kansatsu host baseline: see kansatsu(1), "
	    "HOST BASELINE\n" MAGIC " 1\nhost");
	field(out, b->host);
	ks_buf_adds(out, "\ncreated ");
	ks_time_format(out, now_us, utc_off);
	ks_buf_addc(out, '\n');
	for (size_t i = 0; i < b->nacc; i++) {
		char num[16];

		ks_buf_adds(out, "account");
		field(out, b->acc[i].name);
		snprintf(num, sizeof(num), "%u", (unsigned)b->acc[i].uid);
		field(out, num);
		snprintf(num, sizeof(num), "%u", (unsigned)b->acc[i].gid);
		field(out, num);
		field(out, b->acc[i].home);
		field(out, b->acc[i].shell);
		ks_buf_addc(out, '\n');
	}
	for (size_t i = 0; i < b->nlis; i++) {
		ks_buf_addf(out, "listener %s %u", b->lis[i].proto,
		    (unsigned)b->lis[i].port);
		field(out, b->lis[i].program);
		ks_buf_addc(out, '\n');
	}
}

int
ks_baseline_save(const struct ks_baseline *b, const char *path,
    int64_t now_us, int32_t utc_off, struct ks_err *err)
{
	struct ks_buf out;
	char *tmp;
	int fd, rc = -1;

	ks_buf_init(&out);
	ks_baseline_write(b, now_us, utc_off, &out);
	if (ks_buf_failed(&out) || asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		ks_buf_free(&out);
		return ks_err_set(err, "out of memory");
	}
	if ((fd = mkstemp(tmp)) < 0)
		ks_err_set(err, "%s: %s", tmp, strerror(errno));
	else if (ks_buf_flush(&out, fd) < 0 || fsync(fd) < 0) {
		ks_err_set(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
	} else if (close(fd) < 0 || rename(tmp, path) < 0) {
		ks_err_set(err, "%s: %s", path, strerror(errno));
		unlink(tmp);
	} else
		rc = 0;
	free(tmp);
	ks_buf_free(&out);
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

static int
hexval(char c)
{
	if (ks_isdigit(c))
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a field in place; false when an escape is malformed. */
static bool
unescape(char *s)
{
	char *w = s;

	if (strcmp(s, "-") == 0) {
		s[0] = '\0';
		return true;
	}
	for (char *r = s; *r != '\0'; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		if (hexval(r[1]) < 0 || hexval(r[2]) < 0 ||
		    (hexval(r[1]) == 0 && hexval(r[2]) == 0))
			return false;
		*w++ = (char)(hexval(r[1]) << 4 | hexval(r[2]));
		r += 2;
	}
	*w = '\0';
	return true;
}

static bool
number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0' || strlen(s) > 10)
		return false;
	for (; *s != '\0'; s++) {
		if (!ks_isdigit(*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return v <= max;
}

/* Splits at single spaces; the field count, or -1 for an empty field. */
static int
split(char *line, char **f)
{
	int n = 0;

	for (char *p = line;; ) {
		char *sp = strchr(p, ' ');

		if (n == FIELDS_MAX)
			return -1;
		f[n++] = p;
		if (sp == NULL)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	for (int i = 0; i < n; i++)
		if (f[i][0] == '\0' || !unescape(f[i]))
			return -1;
	return n;
}

static int
record(struct ks_baseline *b, char **f, int n, struct ks_err *err)
{
	uint64_t uid, gid, port;

	if (strcmp(f[0], "account") == 0) {
		if (n != 6 || !number(f[2], UINT32_MAX - 1, &uid) ||
		    !number(f[3], UINT32_MAX - 1, &gid))
			return ks_err_set(err, "an account record is NAME UID GID "
			    "HOME SHELL");
		return ks_baseline_add_account(b, f[1], (uint32_t)uid,
		    (uint32_t)gid, f[4], f[5], err);
	}
	if (strcmp(f[0], "listener") == 0) {
		if (n != 4 || !number(f[2], 65535, &port))
			return ks_err_set(err, "a listener record is PROTO PORT "
			    "PROGRAM");
		return ks_baseline_add_listener(b, f[1], (unsigned)port, f[3],
		    err);
	}
	if (strcmp(f[0], "host") == 0) {
		char *h;

		if (n != 2 || (h = strdup(f[1])) == NULL)
			return ks_err_set(err, "a host record is NAME");
		free(b->host);
		b->host = h;
		return 0;
	}
	if (strcmp(f[0], "created") == 0)
		return n == 2 ? 0 : ks_err_set(err, "a created record is TIME");
	b->unknown++;
	return 0;
}

static int
parse_line(struct ks_baseline *b, char *line, bool *header,
    struct ks_err *err)
{
	char *f[FIELDS_MAX];
	int n;

	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if ((n = split(line, f)) < 0)
		return ks_err_set(err, "an empty field, a bad %%XX escape or too "
		    "many fields");
	if (!*header) {
		if (n != 2 || strcmp(f[0], MAGIC) != 0 || strcmp(f[1], "1") != 0)
			return ks_err_set(err, "not a kansatsu host baseline "
			    "(version %d)", VERSION);
		*header = true;
		return 0;
	}
	return record(b, f, n, err);
}

int
ks_baseline_parse(struct ks_baseline **out, const char *text, size_t n,
    struct ks_err *err)
{
	struct ks_baseline *b;
	char line[LINE_MAX + 1];
	const char *p = text, *end = text + n, *nl;
	bool header = false;
	uint64_t no = 0;
	struct ks_err e;

	if (ks_baseline_new(&b, "", err) < 0)
		return -1;
	for (; p < end; p = nl + 1) {
		size_t len;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		no++;
		if (len > LINE_MAX || memchr(p, '\0', len) != NULL) {
			ks_err_set(err, "line %llu: too long or holds a NUL byte",
			    (unsigned long long)no);
			goto fail;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (parse_line(b, line, &header, &e) < 0) {
			ks_err_set(err, "line %llu: %s", (unsigned long long)no,
			    e.msg);
			goto fail;
		}
	}
	if (!header) {
		ks_err_set(err, "not a kansatsu host baseline (no header)");
		goto fail;
	}
	*out = b;
	return 0;
fail:
	ks_baseline_free(b);
	*out = NULL;
	return -1;
}

int
ks_baseline_load(struct ks_baseline **out, const char *path,
    struct ks_err *err)
{
	struct ks_buf text;
	char chunk[65536];
	ssize_t n;
	int fd, rc;
	struct ks_err e;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	ks_buf_init(&text);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 &&
	    text.len + (size_t)n <= FILE_MAX)
		ks_buf_add(&text, chunk, (size_t)n);
	close(fd);
	if (n != 0 || ks_buf_failed(&text)) {
		ks_buf_free(&text);
		return ks_err_set(err, "%s: %s", path, n < 0 ? strerror(errno) :
		    "too large, or out of memory");
	}
	rc = ks_baseline_parse(out, text.p ? text.p : "", text.len, &e);
	ks_buf_free(&text);
	if (rc < 0)
		return ks_err_set(err, "%s: %s", path, e.msg);
	return 0;
}
