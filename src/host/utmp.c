/*
 * utmp.c - utmp, wtmp, btmp and lastlog decoded from their fixed-size
 * records by hand.
 *
 * `w`, `who`, `last` and `lastb` print these files, and on an intruded
 * host they may be trojaned, or the intruder's wtmp editor may have
 * zeroed the records of his own logins (what chkwtmp looks for).  So the
 * records are read here byte by byte: a glibc struct utmp is 384 bytes
 * (type, pid, line[32], id[4], user[32], host[256], exit status,
 * session, a 32-bit time and microseconds, the address as four 32-bit
 * words, padding), a struct lastlog 292 bytes (a 32-bit time, line[32],
 * host[256]) at offset uid * 292 in a sparse file.  The layout is the
 * one x86, arm64 and riscv64 share: little-endian, 32-bit times read as
 * unsigned so that they last until 2106.  Strings are NUL-padded but
 * need not be NUL-terminated; they are copied with a terminator and
 * escaped wherever they are printed.
 *
 * Big files are read from the end (the last KS_UTMP_MAX bytes, whole
 * records), with a note: the recent past is what triage needs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
field(char *dst, const unsigned char *src, size_t n)
{
	size_t i = 0;

	while (i < n && src[i] != '\0')
		i++;
	memcpy(dst, src, i);
	dst[i] = '\0';
}

static void
addr_text(const unsigned char *a, char *out, size_t size)
{
	bool v4 = true, zero = true;

	for (int i = 0; i < 16; i++) {
		if (a[i] != 0)
			zero = false;
		if (i >= 4 && a[i] != 0)
			v4 = false;
	}
	out[0] = '\0';
	if (!zero)
		inet_ntop(v4 ? AF_INET : AF_INET6, a, out, (socklen_t)size);
}

void
ks_utmp_parse(const unsigned char *rec, struct ks_utmp *u)
{
	bool zero = true;

	for (size_t i = 0; i < KS_UTMP_SIZE && zero; i++)
		zero = rec[i] == 0;
	memset(u, 0, sizeof(*u));
	u->zero = zero;
	u->type = (int16_t)(rec[0] | rec[1] << 8);
	u->pid = (int32_t)le32(rec + 4);
	field(u->line, rec + 8, 32);
	field(u->id, rec + 40, 4);
	field(u->user, rec + 44, 32);
	field(u->host, rec + 76, 256);
	u->time_us = (int64_t)le32(rec + 340) * 1000000 +
	    (int64_t)(le32(rec + 344) % 1000000);
	addr_text(rec + 348, u->addr, sizeof(u->addr));
}

void
ks_lastlog_parse(const unsigned char *rec, struct ks_lastlog *l)
{
	memset(l, 0, sizeof(*l));
	l->time_us = (int64_t)le32(rec) * 1000000;
	field(l->line, rec + 4, 32);
	field(l->host, rec + 36, 256);
}

static int
read_records(int fd, struct ks_utmpfile *f)
{
	uint64_t total = (uint64_t)f->st.st_size / KS_UTMP_SIZE;
	uint64_t keep = total > KS_UTMP_MAX / KS_UTMP_SIZE ?
	    KS_UTMP_MAX / KS_UTMP_SIZE : total;
	size_t bytes = (size_t)keep * KS_UTMP_SIZE, got = 0;
	off_t off = (off_t)((total - keep) * KS_UTMP_SIZE);
	ssize_t n = 0;

	f->tail = (size_t)((uint64_t)f->st.st_size % KS_UTMP_SIZE);
	f->skipped = (size_t)(total - keep);
	if ((f->p = malloc(bytes ? bytes : 1)) == NULL)
		return -1;
	while (got < bytes) {
		n = pread(fd, f->p + got, bytes - got, off + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	f->nrec = got / KS_UTMP_SIZE;
	return n < 0 ? -1 : 0;
}

int
ks_utmpfile_read(struct ks_host *h, const char *path, struct ks_utmpfile *f)
{
	int fd, saved = 0;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	if ((fd = ks_hfs_open(h, path, O_RDONLY | O_NONBLOCK)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		ks_host_note(h, _("%s: cannot read: %s"), path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &f->st) < 0 || !S_ISREG(f->st.st_mode) ||
	    read_records(fd, f) < 0)
		saved = errno ? errno : EINVAL;
	close(fd);
	if (saved != 0) {
		ks_host_note(h, _("%s: cannot read: %s"), path, strerror(saved));
		ks_utmpfile_free(f);
		return -1;
	}
	f->present = true;
	if (f->skipped > 0)
		ks_host_note(h, _("%s: only its last %zu records were read"),
		    path, f->nrec);
	return 0;
}

void
ks_utmpfile_free(struct ks_utmpfile *f)
{
	free(f->p);
	f->p = NULL;
	f->nrec = 0;
	f->present = false;
}

static struct ks_wtmp *
load(struct ks_host *h)
{
	struct ks_wtmp *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		h->oom = true;
		return NULL;
	}
	if (ks_utmpfile_read(h, "/run/utmp", &w->utmp) == 1)
		ks_utmpfile_read(h, "/var/run/utmp", &w->utmp);
	ks_utmpfile_read(h, "/var/log/wtmp", &w->wtmp);
	ks_utmpfile_read(h, "/var/log/btmp", &w->btmp);
	w->lastlog_path = "/var/log/lastlog";
	w->lastlog_fd = ks_hfs_open(h, w->lastlog_path, O_RDONLY | O_NONBLOCK);
	if (w->lastlog_fd < 0 && errno != ENOENT && errno != ENOTDIR)
		ks_host_note(h, _("%s: cannot read: %s"), w->lastlog_path,
		    strerror(errno));
	return w;
}

struct ks_wtmp *
ks_host_wtmp(struct ks_host *h)
{
	if (!h->wtmp_loaded) {
		h->wtmp_loaded = true;
		h->wtmp = load(h);
	}
	return h->wtmp;
}

bool
ks_wtmp_lastlog(const struct ks_wtmp *w, uint32_t uid, struct ks_lastlog *l)
{
	unsigned char rec[KS_LASTLOG_SIZE];
	ssize_t n;

	if (w->lastlog_fd < 0)
		return false;
	n = pread(w->lastlog_fd, rec, sizeof(rec),
	    (off_t)uid * KS_LASTLOG_SIZE);
	if (n != (ssize_t)sizeof(rec))
		return false;
	ks_lastlog_parse(rec, l);
	return l->time_us != 0;
}

void
ks_wtmp_free(struct ks_wtmp *w)
{
	if (w == NULL)
		return;
	ks_utmpfile_free(&w->utmp);
	ks_utmpfile_free(&w->wtmp);
	ks_utmpfile_free(&w->btmp);
	if (w->lastlog_fd >= 0)
		close(w->lastlog_fd);
	free(w);
}

static bool
v4_local(const unsigned char *a)
{
	return a[0] == 10 || a[0] == 127 || a[0] == 0 ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64);
}

static bool
v6_local(const unsigned char *a)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	static const unsigned char loop[16] = { [15] = 1 };

	if (memcmp(a, mapped, 12) == 0)
		return v4_local(a + 12);
	return memcmp(a, loop, 16) == 0 || (a[0] == 0xfe &&
	    (a[1] & 0xc0) == 0x80) || (a[0] & 0xfe) == 0xfc;
}

bool
ks_host_is_remote(const char *host)
{
	unsigned char a[16];
	char buf[64];
	size_t n = strcspn(host, "%");

	if (host[0] == '\0' || host[0] == ':' || strcmp(host, "localhost") == 0)
		return false;
	if (n < sizeof(buf)) {
		memcpy(buf, host, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET, buf, a) == 1)
			return !v4_local(a);
		if (inet_pton(AF_INET6, buf, a) == 1)
			return !v6_local(a);
	}
	/* a name: a bare one is on this network, a dotted one may not be */
	return strchr(host, '.') != NULL && strchr(host, ' ') == NULL &&
	    strchr(host, '(') == NULL;
}

bool
ks_utmp_is_shutdown(const struct ks_utmp *u)
{
	int level = u->pid % 256;

	if (u->type != KS_UT_RUN_LVL)
		return false;
	return strcmp(u->user, "shutdown") == 0 ||
	    (strcmp(u->user, "runlevel") == 0 && (level == '0' || level == '6'));
}
