/*
 * procfs.c - the process table read from /proc, as ps would read it if
 * ps could be trusted.
 *
 * For each process: /proc/PID/stat (state, parent, terminal, kernel
 * flags, start time), status (thread group, real and effective uid),
 * cmdline (argv as the process left it: it can rewrite it), and the exe
 * link (the file the kernel mapped, " (deleted)" when it was unlinked,
 * "/memfd:..." for a program run from memory), with the identity of the
 * file the link resolves to.  The command name in stat is written by the
 * process (prctl PR_SET_NAME) and may hold ')' or newlines: it is taken
 * between the first '(' and the last ')'.
 *
 * A kernel thread is told by PF_KTHREAD in the stat flags, which a user
 * process cannot set; its name alone proves nothing.  As a normal user
 * the exe links of other users' processes cannot be read: they are
 * counted and noted.  A process that exits while being read is skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define CMDLINE_MAX 4096
#define PROCS_MAX 1000000

static const char *
skip_fields(const char *p, const char *end, int n)
{
	while (n-- > 0) {
		while (p < end && *p == ' ')
			p++;
		while (p < end && *p != ' ')
			p++;
	}
	while (p < end && *p == ' ')
		p++;
	return p;
}

static bool
read_num(const char **pp, const char *end, long long *v)
{
	const char *p = *pp;
	bool neg = false;
	unsigned long long u = 0;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	if (p >= end || !ks_isdigit(*p))
		return false;
	while (p < end && ks_isdigit(*p) && u < (1ULL << 62))
		u = u * 10 + (unsigned)(*p++ - '0');
	*pp = p;
	*v = neg ? -(long long)u : (long long)u;
	return true;
}

int
ks_proc_parse_stat(const char *p, size_t n, struct ks_proc *pr)
{
	const char *end = p + n, *open = memchr(p, '(', n), *close = NULL;
	long long pid, ppid, tty, flags, start;
	size_t cn;

	for (const char *q = end; q > p; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (open == NULL || close == NULL || close < open || !read_num(&p, end,
	    &pid) || pid <= 0 || pid > INT32_MAX)
		return -1;
	cn = (size_t)(close - open - 1);
	if (cn >= sizeof(pr->comm))
		cn = sizeof(pr->comm) - 1;
	memcpy(pr->comm, open + 1, cn);
	pr->comm[cn] = '\0';
	p = close + 1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return -1;
	pr->state = *p;
	p = skip_fields(p, end, 1);
	if (!read_num(&p, end, &ppid))
		return -1;
	p = skip_fields(p, end, 2);
	if (!read_num(&p, end, &tty))
		return -1;
	p = skip_fields(p, end, 1);
	if (!read_num(&p, end, &flags))
		return -1;
	p = skip_fields(p, end, 12);
	if (!read_num(&p, end, &start))
		return -1;
	pr->pid = (int)pid;
	pr->ppid = (int)ppid;
	pr->tty_nr = (int)tty;
	pr->flags = (unsigned long)flags;
	pr->start_ticks = start < 0 ? 0 : (uint64_t)start;
	pr->kthread = (pr->flags & KS_PF_KTHREAD) != 0;
	return 0;
}

int
ks_proc_parse_status(const char *p, size_t n, struct ks_proc *pr)
{
	const char *end = p + n, *nl;
	long long v, e;
	int seen = 0;

	for (; p < end; p = nl + 1) {
		const char *q;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((q = memchr(p, ':', (size_t)(nl - p))) == NULL)
			continue;
		q = skip_fields(q + 1, nl, 0);
		while (q < nl && *q == '\t')
			q++;
		if ((size_t)(nl - p) > 5 && memcmp(p, "Tgid:", 5) == 0 &&
		    read_num(&q, nl, &v)) {
			pr->tgid = (int)v;
			seen |= 1;
		} else if ((size_t)(nl - p) > 5 && memcmp(p, "PPid:", 5) == 0 &&
		    read_num(&q, nl, &v)) {
			pr->ppid = (int)v;
			seen |= 2;
		} else if ((size_t)(nl - p) > 4 && memcmp(p, "Uid:", 4) == 0 &&
		    read_num(&q, nl, &v)) {
			while (q < nl && (*q == '\t' || *q == ' '))
				q++;
			if (!read_num(&q, nl, &e))
				return -1;
			pr->uid = (uint32_t)v;
			pr->euid = (uint32_t)e;
			seen |= 4;
		}
	}
	pr->have_status = seen == 7;
	return seen == 7 ? 0 : -1;
}

/* Reads a /proc file into buf (NUL-terminated); its length or -1. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < size - 1 &&
	    (n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static int
read_cmdline(struct ks_proc *pr, const char *dir)
{
	char path[64], buf[CMDLINE_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/cmdline", dir);
	if ((n = read_small(path, buf, sizeof(buf))) <= 0)
		return 0;
	if ((pr->argv0 = strdup(buf)) == NULL)
		return -1;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return (pr->cmdline = strdup(buf)) == NULL ? -1 : 0;
}

static int
read_exe(struct ks_proc *pr, const char *dir)
{
	char path[64], buf[4096];
	struct stat st;
	ssize_t n;
	size_t len;

	snprintf(path, sizeof(path), "%s/exe", dir);
	if ((n = readlink(path, buf, sizeof(buf) - 1)) < 0) {
		pr->exe_errno = errno;
		return 0;
	}
	buf[n] = '\0';
	len = (size_t)n;
	if (len > 10 && strcmp(buf + len - 10, " (deleted)") == 0) {
		pr->exe_deleted = true;
		buf[len - 10] = '\0';
	}
	if (stat(path, &st) == 0) {
		pr->exe_stat = true;
		pr->exe_dev = st.st_dev;
		pr->exe_ino = st.st_ino;
	}
	return (pr->exe = strdup(buf)) == NULL ? -1 : 0;
}

/* 0 read, 1 vanished or unreadable, -1 out of memory. */
static int
read_proc(struct ks_proc *pr, int pid, int64_t boot_us, long tck)
{
	char dir[32], path[64], buf[4096];
	ssize_t n;

	memset(pr, 0, sizeof(*pr));
	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	snprintf(path, sizeof(path), "%s/stat", dir);
	if ((n = read_small(path, buf, sizeof(buf))) <= 0 ||
	    ks_proc_parse_stat(buf, (size_t)n, pr) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/status", dir);
	if ((n = read_small(path, buf, sizeof(buf))) > 0)
		ks_proc_parse_status(buf, (size_t)n, pr);
	pr->start_us = boot_us + (int64_t)(pr->start_ticks * 1000000 /
	    (uint64_t)tck);
	if (read_cmdline(pr, dir) < 0 || read_exe(pr, dir) < 0)
		return -1;
	return 0;
}

static void
free_proc(struct ks_proc *pr)
{
	free(pr->cmdline);
	free(pr->argv0);
	free(pr->exe);
}

static int
cmp_pid(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) -
	    (*(const int *)a < *(const int *)b);
}

int
ks_proc_pids(int **out, size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t cap = 0;
	int *v = NULL, *nv;

	*n = 0;
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && *n < PROCS_MAX) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (!ks_isdigit(de->d_name[0]) || *end != '\0' || pid <= 0 ||
		    pid > INT32_MAX)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				closedir(d);
				return -1;
			}
			v = nv;
		}
		v[(*n)++] = (int)pid;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_pid);
	*out = v;
	return 0;
}

int64_t
ks_host_boot_time(struct ks_host *h)
{
	char buf[8192];
	const char *p;
	ssize_t n;

	if (!h->live || (n = read_small("/proc/stat", buf, sizeof(buf))) <= 0 ||
	    (p = strstr(buf, "\nbtime ")) == NULL)
		return 0;
	return strtoll(p + 7, NULL, 10) * 1000000;
}

static struct ks_proclist *
load(struct ks_host *h)
{
	struct ks_proclist *l = calloc(1, sizeof(*l));
	int *pids = NULL;
	size_t n = 0;

	if (l == NULL || ks_proc_pids(&pids, &n) < 0 ||
	    (l->v = calloc(n ? n : 1, sizeof(*l->v))) == NULL)
		goto fail;
	l->boot_us = ks_host_boot_time(h);
	for (size_t i = 0; i < n; i++) {
		struct ks_proc *pr = &l->v[l->n];
		int rc = read_proc(pr, pids[i], l->boot_us, h->clk_tck);

		if (rc < 0) {
			free_proc(pr);
			goto fail;
		}
		if (rc > 0) {
			free_proc(pr);
			l->vanished++;
			continue;
		}
		if (pr->exe == NULL && !pr->kthread && pr->exe_errno != ENOENT)
			l->unreadable_exe++;
		l->n++;
	}
	free(pids);
	if (l->unreadable_exe > 0)
		ks_host_note(h, _("processes: the executables of %llu processes "
		    "could not be read (%s)"),
		    (unsigned long long)l->unreadable_exe, geteuid() == 0 ?
		    _("the kernel refuses it even to root: a sandbox or an LSM") :
		    _("run as root to check them"));
	return l;
fail:
	free(pids);
	ks_proclist_free(l);
	h->oom = true;
	return NULL;
}

struct ks_proclist *
ks_host_procs(struct ks_host *h)
{
	if (!h->live)
		return NULL;
	if (!h->procs_loaded) {
		h->procs_loaded = true;
		h->procs = load(h);
	}
	return h->procs;
}

void
ks_proclist_free(struct ks_proclist *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free_proc(&l->v[i]);
	free(l->v);
	free(l);
}

bool
ks_tty_name(int tty_nr, char *buf, size_t size)
{
	unsigned major = ((unsigned)tty_nr >> 8) & 0xfff;
	unsigned minor = ((unsigned)tty_nr & 0xff) |
	    (((unsigned)tty_nr >> 12) & 0xfff00);

	if (tty_nr == 0)
		return false;
	if (major >= 136 && major <= 143)
		snprintf(buf, size, "pts/%u", (major - 136) * 256 + minor);
	else if (major == 4 && minor < 64)
		snprintf(buf, size, "tty%u", minor);
	else if (major == 4)
		snprintf(buf, size, "ttyS%u", minor - 64);
	else if (major == 5 && minor == 1)
		snprintf(buf, size, "console");
	else
		snprintf(buf, size, "tty(%u,%u)", major, minor);
	return true;
}
