/*
 * source.c - deciding what to read, and in which order.
 *
 * An incident responder points kansatsu at a path: a file, "-", or a
 * directory such as /var/log or a copy of one taken from a compromised
 * host.  This file turns that into an ordered list of sources.
 *
 * Directories are searched, because nobody should have to list
 * /var/log by hand, and searched defensively, because the tree may have
 * been shaped by an attacker:
 *
 *   - at most KS_SCAN_DEPTH levels down, entries sorted by name (bytes),
 *     so that the same tree always gives the same list;
 *   - every entry is classified with fstatat(AT_SYMLINK_NOFOLLOW) and
 *     opened with openat(O_NOFOLLOW), so a symbolic link is never
 *     followed out of the tree (symlinks are skipped with a notice);
 *   - FIFOs, devices and sockets are skipped with a notice: reading one
 *     could block forever;
 *   - a directory named "journal" is skipped: systemd journals are read
 *     through sd-journal, not as text.
 *
 * A file found in a directory is taken when its name says it is a log
 * (ks_logname_wanted), or else by content: unless its name marks it as a
 * known binary record (wtmp, btmp, utmp, lastlog, faillog, tallylog,
 * *.journal) or an editor's leftover (*~, *.swp), its first 4 KiB,
 * decompressed when compressed, are framed line by line, and the file is
 * taken when at least 80% of its first (up to 8) non-empty lines frame.
 * dpkg.log, apt's history.log and similar get no special case: they are
 * taken exactly when their content frames.
 *
 * A file taken by name is opened once, to learn whether it can be read
 * and whether it is compressed with something the stream layer cannot
 * undo (bzip2, compress, lz4): those are skipped with a notice rather
 * than read as garbage.  Problems with single entries are notices, never
 * errors: one unreadable file must not stop the reading of the rest.
 * Paths in notices are escaped, since file names are attacker-written.
 *
 * Paths named on the command line are taken as given: a regular file (a
 * symlink to one is fine, the user chose it) or a FIFO, so that
 * `kansatsu logs <(ssh host cat /var/log/secure)` works.
 *
 * Rotated sets are then put oldest first (ks_srclist_order_rotations), so
 * that events come out in time order and year inference sees each file
 * in sequence.  The age of a rotated file is read from its name only:
 *
 *   messages                  live file             age 0
 *   messages.0 / messages.gz  (BSD newsyslog, bare)  age 0, before live
 *   messages.N[.gz|.xz|...]   numbered               age N (N < 10^9)
 *   messages-YYYYMMDD[HH]     logrotate dateext      age 10^12 - YYYYMMDDHH
 *
 * so numbers compare numerically (".10" is older than ".9"), later dates
 * are younger, and a dateext file is older than every numbered one (a set
 * should never mix both; when it does, this is at least deterministic).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"

/* How many directory levels below a named directory are searched. */
#define KS_SCAN_DEPTH 3
/* How much of a file (after decompression) is read to judge content. */
#define SNIFF_BYTES 4096
/* How many lines of that are framed, and how many must frame (%). */
#define SNIFF_LINES 8
#define SNIFF_PERCENT 80
/* Numbered rotations with more digits than this are not rotations. */
#define ROT_NUM_DIGITS 9
#define ROT_DATE_BASE INT64_C(1000000000000)

/* ---- the list ---------------------------------------------------------- */

void
ks_srclist_init(struct ks_srclist *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
	ks_buf_init(&l->notices);
}

void
ks_srclist_free(struct ks_srclist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
	ks_buf_free(&l->notices);
}

int
ks_srclist_add(struct ks_srclist *l, enum ks_src_kind kind,
    const char *path, struct ks_err *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct ks_src *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return ks_err_set(err, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(path);

	if (copy == NULL)
		return ks_err_set(err, "out of memory");
	l->v[l->n] = (struct ks_src){ .kind = kind, .path = copy };
	l->n++;
	return 0;
}

/* Appends "skipped PATH: reason\n" to the notices, PATH escaped. */
static void
notice(struct ks_srclist *l, const char *path, const char *reason,
    const char *more)
{
	ks_buf_adds(&l->notices, "skipped ");
	ks_escape_text(&l->notices, path, strlen(path));
	ks_buf_adds(&l->notices, ": ");
	ks_buf_adds(&l->notices, reason);
	if (more != NULL)
		ks_buf_adds(&l->notices, more);
	ks_buf_addc(&l->notices, '\n');
}

/* ---- rotation names ----------------------------------------------------- */

static bool
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static bool
all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

static int64_t
digits_value(const char *p, size_t n)
{
	int64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* Length of name without a compression suffix, leaving a non-empty rest. */
static size_t
strip_compression(const char *name, size_t n)
{
	static const char *const sufs[] = {
		".gz", ".xz", ".zst", ".bz2", ".Z",
	};

	for (size_t i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++) {
		size_t k = strlen(sufs[i]);

		if (n > k && has_suffix(name, n, sufs[i]))
			return n - k;
	}
	return n;
}

/* ".N": true, with the base length and age N. */
static bool
numbered_suffix(const char *name, size_t n, size_t *base_len, int64_t *age)
{
	size_t i = n;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	size_t digits = n - i;

	if (digits == 0 || digits > ROT_NUM_DIGITS || i < 2 ||
	    name[i - 1] != '.')
		return false;
	*base_len = i - 1;
	*age = digits_value(name + i, digits);
	return true;
}

/* "-YYYYMMDD" or "-YYYYMMDDHH": true, with the base length and age. */
static bool
dateext_suffix(const char *name, size_t n, size_t *base_len, int64_t *age)
{
	for (size_t digits = 8; digits <= 10; digits += 2) {
		if (n < digits + 2 || name[n - digits - 1] != '-' ||
		    !all_digits(name + n - digits, digits))
			continue;
		const char *d = name + n - digits;
		int64_t month = digits_value(d + 4, 2);
		int64_t day = digits_value(d + 6, 2);
		int64_t hour = digits == 10 ? digits_value(d + 8, 2) : 0;

		if (month < 1 || month > 12 || day < 1 || day > 31 ||
		    hour > 23)
			continue;
		*base_len = n - digits - 1;
		*age = ROT_DATE_BASE - (digits_value(d, 8) * 100 + hour);
		return true;
	}
	return false;
}

void
ks_rotation_key(const char *name, size_t *base_len, int64_t *age)
{
	size_t n = strlen(name);
	size_t m = strip_compression(name, n);

	if (numbered_suffix(name, m, base_len, age) ||
	    dateext_suffix(name, m, base_len, age))
		return;
	*base_len = m;
	*age = 0;
}

/* ---- names ---------------------------------------------------------------- */

static bool
base_in(const char *base, size_t n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(base, names[i], n) == 0)
			return true;
	return false;
}

bool
ks_logname_wanted(const char *name)
{
	static const char *const logs[] = {
		"messages", "syslog", "auth.log", "secure",
		"maillog", "mail.log", "mail.err", "mail.warn", "mail.info",
		"daemon.log", "kern.log", "user.log",
		"xferlog", "vsftpd.log", "proftpd.log",
	};
	static const char *const web_suffixes[] = {
		"access.log", "access_log", "error.log", "error_log",
	};
	size_t n;
	int64_t age;

	ks_rotation_key(name, &n, &age);
	if (base_in(name, n, logs, sizeof(logs) / sizeof(logs[0])))
		return true;
	for (size_t i = 0; i < sizeof(web_suffixes) / sizeof(web_suffixes[0]);
	    i++)
		if (has_suffix(name, n, web_suffixes[i]))
			return true;
	return false;
}

/* Names of files known not to be text logs, never sniffed. */
static bool
known_nonlog(const char *name)
{
	static const char *const records[] = {
		"wtmp", "btmp", "utmp", "lastlog", "faillog", "tallylog",
	};
	static const char *const leftovers[] = {
		".journal", "~", ".swp", ".swo", ".swx",
	};
	size_t n = strlen(name), base;
	int64_t age;

	for (size_t i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++)
		if (has_suffix(name, n, leftovers[i]))
			return true;
	ks_rotation_key(name, &base, &age);
	return base_in(name, base, records,
	    sizeof(records) / sizeof(records[0]));
}

/* ---- content ------------------------------------------------------------- */

/* Name of a compression the stream layer does not undo, or NULL. */
static const char *
unsupported_compression(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' &&
	    p[3] >= '1' && p[3] <= '9')
		return "bzip2";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9d)
		return "compress (.Z)";
	if (n >= 4 && p[0] == 0x04 && p[1] == 0x22 && p[2] == 0x4d &&
	    p[3] == 0x18)
		return "lz4";
	return NULL;
}

/* Reads up to n decompressed bytes of the file; takes ownership of fd. */
static ssize_t
read_head(int fd, char *buf, size_t n)
{
	struct ks_stream *s;
	struct ks_err err;
	size_t got = 0;

	if (ks_stream_open_fd(&s, fd, &err) < 0)
		return -1;
	while (got < n) {
		ssize_t r = ks_stream_read(s, buf + got, n - got, &err);

		if (r < 0) {
			ks_stream_close(s);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	ks_stream_close(s);
	return (ssize_t)got;
}

/*
 * A syslog line names its program; a line with a stamp and words after it
 * (dpkg.log, alternatives.log) is an application's diary, not a log
 * kansatsu can attribute to a host and a program.
 */
static bool
names_program(const struct ks_event *ev)
{
	switch (ev->fmt) {
	case KS_FMT_RFC3164:
	case KS_FMT_RFC3339:
	case KS_FMT_ISO8601:
		return ev->program.n > 0;
	default:
		return true;
	}
}

/*
 * True when the text looks like log lines: at least SNIFF_PERCENT of its
 * first SNIFF_LINES non-empty complete lines frame.  The last line counts
 * as complete only when the text is the whole file (at_end).
 */
static bool
lines_frame(struct ks_tz *tz, const char *p, size_t n, bool at_end)
{
	struct ks_framer fr;
	struct ks_event ev;
	unsigned lines = 0, framed = 0;

	if (memchr(p, '\0', n) != NULL)
		return false;
	ks_framer_init(&fr, tz, 2000, true);
	while (n > 0 && lines < SNIFF_LINES) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;

		if (nl == NULL && !at_end)
			break;
		size_t text = len > 0 && p[len - 1] == '\r' ? len - 1 : len;

		if (text > 0) {
			lines++;
			if (ks_frame_line(&fr, p, text, &ev) &&
			    names_program(&ev))
				framed++;
		}
		if (nl == NULL)
			break;
		p += len + 1;
		n -= len + 1;
	}
	return lines > 0 && framed * 100 >= lines * SNIFF_PERCENT;
}

/*
 * True when the file's first bytes look like a log; takes ownership of
 * fd.  Without a zone (tz NULL) nothing can be framed: false.
 */
static bool
sniff_log(struct ks_tz *tz, int fd)
{
	char buf[SNIFF_BYTES];
	ssize_t got;

	if (tz == NULL) {
		close(fd);
		return false;
	}
	got = read_head(fd, buf, sizeof(buf));
	if (got <= 0)
		return false;
	return lines_frame(tz, buf, (size_t)got, (size_t)got < sizeof(buf));
}

/* ---- directories ----------------------------------------------------------- */

/* One search of a named directory. */
struct scan {
	struct ks_srclist *l;
	struct ks_err *err;     /* set only for fatal errors (memory) */
	/*
	 * The zone sniffed lines are framed in.  Any zone would do: only
	 * whether a line frames matters.  "UTC" is a fixed offset, so
	 * ks_tz_init leaves the process's TZ alone.
	 */
	struct ks_tz tz;
	bool tz_ready;
};

static char *
join_path(const char *dir, const char *name)
{
	size_t dn = strlen(dir), nn = strlen(name);
	bool slash = dn > 0 && dir[dn - 1] != '/';
	char *p = malloc(dn + slash + nn + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, dir, dn);
	if (slash)
		p[dn] = '/';
	memcpy(p + dn + slash, name, nn + 1);
	return p;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The entry names of an open directory, sorted.  A directory that cannot
 * be read is noted and yields no names; -1 only when out of memory.
 */
static int
read_names(struct scan *sc, DIR *d, const char *path, char ***out,
    size_t *out_n)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	*out = NULL;
	*out_n = 0;
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **nv = realloc(v, ncap * sizeof(*nv));

			if (nv == NULL)
				goto oom;
			v = nv;
			cap = ncap;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto oom;
		n++;
	}
	if (errno != 0) {
		notice(sc->l, path, strerror(errno), NULL);
		free_names(v, n);
		return 0;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_names);
	*out = v;
	*out_n = n;
	return 0;
oom:
	free_names(v, n);
	return ks_err_set(sc->err, "out of memory");
}

/*
 * Opens a regular file found in a directory without following a link,
 * and checks that what was opened is still a regular file; -1 (noted)
 * when not.
 */
static int
open_entry(struct scan *sc, int dfd, const char *name, const char *path)
{
	struct stat st;
	int fd = openat(dfd, name,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		notice(sc->l, path, errno == ELOOP ? "symbolic link" :
		    strerror(errno), NULL);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		notice(sc->l, path, "not a regular file", NULL);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A file named like a log, open as fd (closed here): taken unless it
 * cannot be read or is compressed in a way the stream cannot undo.
 */
static int
add_named(struct scan *sc, int fd, const char *path)
{
	unsigned char magic[4];
	ssize_t got = pread(fd, magic, sizeof(magic), 0);
	int saved = errno;
	const char *comp;

	close(fd);
	if (got < 0) {
		notice(sc->l, path, strerror(saved), NULL);
		return 0;
	}
	comp = unsupported_compression(magic, (size_t)got);
	if (comp != NULL) {
		notice(sc->l, path, comp, " compression is not supported");
		return 0;
	}
	return ks_srclist_add(sc->l, KS_SRC_FILE, path, sc->err);
}

/* A regular file found in a directory: taken by name or by content. */
static int
scan_file(struct scan *sc, int dfd, const char *name, const char *path)
{
	bool by_name = ks_logname_wanted(name);
	int fd;

	if (!by_name && known_nonlog(name))
		return 0;
	if ((fd = open_entry(sc, dfd, name, path)) < 0)
		return 0;
	if (by_name)
		return add_named(sc, fd, path);
	if (!sniff_log(sc->tz_ready ? &sc->tz : NULL, fd))
		return 0;
	return ks_srclist_add(sc->l, KS_SRC_FILE, path, sc->err);
}

static int scan_dir(struct scan *sc, int fd, const char *path, int depth);

/* A subdirectory found in a directory: searched unless too deep. */
static int
scan_subdir(struct scan *sc, int dfd, const char *name, const char *path,
    int depth)
{
	int fd;

	if (strcmp(name, "journal") == 0)
		return 0;
	if (depth >= KS_SCAN_DEPTH) {
		notice(sc->l, path, "directory nested too deep", NULL);
		return 0;
	}
	fd = openat(dfd, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		notice(sc->l, path, errno == ELOOP ? "symbolic link" :
		    strerror(errno), NULL);
		return 0;
	}
	return scan_dir(sc, fd, path, depth + 1);
}

/* One entry of a directory, by what it is (links not followed). */
static int
scan_entry(struct scan *sc, int dfd, const char *name, const char *path,
    int depth)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		notice(sc->l, path, strerror(errno), NULL);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		notice(sc->l, path, "symbolic link", NULL);
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return scan_subdir(sc, dfd, name, path, depth);
	if (!S_ISREG(st.st_mode)) {
		notice(sc->l, path, "not a regular file", NULL);
		return 0;
	}
	return scan_file(sc, dfd, name, path);
}

/*
 * Searches the directory open as fd (taken over and closed) whose path
 * is path, at depth levels below the named one.
 */
static int
scan_dir(struct scan *sc, int fd, const char *path, int depth)
{
	DIR *d = fdopendir(fd);
	char **names;
	size_t n;
	int rc = 0;

	if (d == NULL) {
		close(fd);
		return ks_err_set(sc->err, "out of memory");
	}
	if (read_names(sc, d, path, &names, &n) < 0) {
		closedir(d);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *sub = join_path(path, names[i]);

		if (sub == NULL) {
			rc = ks_err_set(sc->err, "out of memory");
			break;
		}
		rc = scan_entry(sc, dirfd(d), names[i], sub, depth);
		free(sub);
	}
	free_names(names, n);
	closedir(d);
	return rc;
}

/* ---- command-line paths ---------------------------------------------------- */

/* Sets err to "PATH: what" with PATH escaped; returns -1. */
static int
path_error(struct ks_err *err, const char *path, const char *what)
{
	struct ks_buf b;
	int rc;

	ks_buf_init(&b);
	ks_escape_text(&b, path, strlen(path));
	ks_buf_addc(&b, '\0');
	if (ks_buf_failed(&b))
		rc = ks_err_set(err, "out of memory");
	else
		rc = ks_err_set(err, "%s: %s", b.p, what);
	ks_buf_free(&b);
	return rc;
}

static int
add_dir(struct ks_srclist *l, const char *path, struct ks_err *err)
{
	struct scan sc = { .l = l, .err = err };
	struct ks_err tz_err;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	sc.tz_ready = ks_tz_init(&sc.tz, "UTC", &tz_err) == 0;
	if (fd < 0) {
		notice(l, path, strerror(errno), NULL);
		return 0;
	}
	return scan_dir(&sc, fd, path, 0);
}

int
ks_srclist_add_path(struct ks_srclist *l, const char *path,
    struct ks_err *err)
{
	struct stat st;
	int rc;

	if (strcmp(path, "-") == 0)
		return ks_srclist_add(l, KS_SRC_STDIN, path, err);
	if (stat(path, &st) < 0)
		return path_error(err, path, strerror(errno));
	if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))
		return ks_srclist_add(l, KS_SRC_FILE, path, err);
	if (!S_ISDIR(st.st_mode))
		return path_error(err, path,
		    "not a regular file, FIFO or directory");
	rc = add_dir(l, path, err);
	if (rc == 0 && ks_buf_failed(&l->notices))
		rc = ks_err_set(err, "out of memory");
	return rc;
}

/* ---- rotation order ---------------------------------------------------------- */

/* Sort record of one source: its set, its age in the set, its place. */
struct rot {
	const char *key;     /* directory and rotation base of a file */
	size_t key_len;      /* 0 for a source that is in no set */
	int64_t age;
	bool rotated;        /* has a suffix: before a live file of age 0 */
	size_t idx;          /* position in the list */
	size_t first;        /* position of the set's first member */
};

static void
rot_fill(struct rot *r, const struct ks_src *s, size_t idx)
{
	const char *slash = strrchr(s->path, '/');
	size_t dir_len = slash ? (size_t)(slash - s->path) + 1 : 0;
	const char *name = s->path + dir_len;
	size_t base_len;

	r->idx = idx;
	r->first = idx;
	r->key = s->path;
	r->key_len = 0;
	r->age = 0;
	r->rotated = false;
	if (s->kind != KS_SRC_FILE || *name == '\0')
		return;
	ks_rotation_key(name, &base_len, &r->age);
	r->key_len = dir_len + base_len;
	r->rotated = name[base_len] != '\0';
}

/* Groups the members of a set together, each set in list order. */
static int
cmp_by_set(const void *a, const void *b)
{
	const struct rot *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sets at their first member's place, each oldest first. */
static int
cmp_by_place(const void *a, const void *b)
{
	const struct rot *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->age != y->age)
		return x->age > y->age ? -1 : 1;
	if (x->rotated != y->rotated)
		return x->rotated ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Marks each member of a set with the place of the set's first member. */
static void
mark_sets(struct rot *r, size_t n)
{
	qsort(r, n, sizeof(*r), cmp_by_set);
	for (size_t i = 1; i < n; i++) {
		const struct rot *p = &r[i - 1];

		if (r[i].key_len != 0 && r[i].key_len == p->key_len &&
		    memcmp(r[i].key, p->key, p->key_len) == 0)
			r[i].first = p->first;
	}
}

void
ks_srclist_order_rotations(struct ks_srclist *l)
{
	struct rot *r;
	struct ks_src *v;

	if (l->n < 2)
		return;
	r = malloc(l->n * sizeof(*r));
	v = malloc(l->n * sizeof(*v));
	if (r == NULL || v == NULL) {
		/* Order is a nicety: without memory, keep the given one. */
		free(r);
		free(v);
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		rot_fill(&r[i], &l->v[i], i);
	mark_sets(r, l->n);
	qsort(r, l->n, sizeof(*r), cmp_by_place);
	for (size_t i = 0; i < l->n; i++)
		v[i] = l->v[r[i].idx];
	memcpy(l->v, v, l->n * sizeof(*v));
	free(v);
	free(r);
}
