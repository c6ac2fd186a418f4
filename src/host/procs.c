/*
 * procs.c - check 3: the running processes (ps -axf in seed 002), read
 * from /proc and judged without the host's ps.
 *
 *  - Hidden processes, by cross-view: a rootkit that filters the listing
 *    of /proc (getdents) seldom filters every system call, so every PID
 *    up to pid_max is asked of kill(pid, 0); one that exists but is not
 *    listed (and is not a thread of a listed process) is confirmed with
 *    getsid, getpgid and an open of /proc/PID, after listing /proc again
 *    to rule out a process that merely started meanwhile.
 *  - Executables deleted after start (or run from memory, memfd), or
 *    replaced on disk by another file (an upgrade, or a trojan).
 *  - Executables in /tmp, /var/tmp or /dev/shm.
 *  - Names that mimic kernel threads: a user process (one without
 *    PF_KTHREAD, so with its own memory and exe) whose argv[0] reads
 *    "[kworker/0:1]", whose name is a kernel thread's, or whose command
 *    line is empty so that ps shows it in brackets.
 *  - More than one inetd (seed 002: a second inetd serves a backdoor).
 *  - Executables that no installed package holds.
 * Findings about one executable are grouped: ten workers of a deleted
 * httpd make one finding with ten pieces of evidence.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define PID_MAX_LIMIT 4194304
#define HIDDEN_MAX 64
#define GROUPS_MAX 4096
#define CMDLINE_SHOWN 160

static const struct ks_rule_info r_hidden = {
	.id = "process-hidden",
	.title = N_("A process hidden from the listing of /proc"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("A kernel rootkit hides this process. Take the host off "
	    "the network, keep a memory image if you can, and rebuild it from "
	    "trusted media."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_deleted = {
	.id = "process-exe-deleted",
	.title = N_("A process runs an executable that was deleted"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Malware deletes itself after starting, or runs from "
	    "memory (memfd). Copy /proc/PID/exe before anything else, then "
	    "find out who started it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_replaced = {
	.id = "process-exe-replaced",
	.title = N_("A process runs an executable since replaced on disk"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("A package upgrade does this until the service restarts; "
	    "if none ran, the file was swapped: compare /proc/PID/exe with the "
	    "file on disk and with the package (kansatsu verify)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_tmp = {
	.id = "process-exe-tmp",
	.title = N_("A process runs an executable from a temporary directory"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Intruders drop their tools in /tmp, /var/tmp and "
	    "/dev/shm, which anyone may write. Copy /proc/PID/exe, find the "
	    "parent and how it started."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_mimic = {
	.id = "process-kthread-mimic",
	.title = N_("A user process poses as a kernel thread"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Kernel threads have no executable; a program that names "
	    "itself like one ([kworker/0:1]) hides in ps. Copy /proc/PID/exe "
	    "and look at its connections."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_inetd = {
	.id = "process-inetd-multiple",
	.title = N_("More than one inetd runs"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise",
	.advice = N_("A second inetd with its own configuration is a classic "
	    "backdoor (seed 002). Read the command lines and configuration "
	    "files of each."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_unpackaged = {
	.id = "process-exe-unpackaged",
	.title = N_("A process runs an executable no package installed"),
	.severity = "low", .taxonomy = "other", .type = "other",
	.advice = N_("Locally built and installed programs show here too; "
	    "anything you cannot name deserves a look."),
	.path = KS_HOST_RULE_PATH,
};

static bool
bit(const uint8_t *map, long pid)
{
	return (map[pid >> 3] >> (pid & 7)) & 1;
}

/* The PIDs of the /proc listing as a bitmap over 0..pid_max. */
static uint8_t *
listing_map(long pid_max)
{
	uint8_t *map = calloc((size_t)pid_max / 8 + 1, 1);
	int *pids = NULL;
	size_t n = 0;

	if (map == NULL || ks_proc_pids(&pids, &n) < 0) {
		free(map);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (pids[i] <= pid_max)
			map[pids[i] >> 3] |= (uint8_t)(1u << (pids[i] & 7));
	free(pids);
	return map;
}

static long
pid_max(void)
{
	char buf[32];
	long v = 0;
	int fd = open("/proc/sys/kernel/pid_max", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		v = strtol(buf, NULL, 10);
	}
	return v > 0 && v <= PID_MAX_LIMIT ? v : PID_MAX_LIMIT;
}

static bool
exists(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* The thread group of a PID from its status file, or 0 when unknown. */
static int
thread_group(long pid)
{
	char path[48], buf[2048];
	struct ks_proc pr;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	memset(&pr, 0, sizeof(pr));
	if (n <= 0 || ks_proc_parse_status(buf, (size_t)n, &pr) < 0)
		return 0;
	return pr.tgid;
}

/* A PID that kill() knows and the listing does not: a thread or hidden. */
static bool
unlisted(const uint8_t *map, long max, long pid)
{
	int tgid;

	if (bit(map, pid) || !exists(pid))
		return false;
	tgid = thread_group(pid);
	return !(tgid > 0 && tgid != pid && tgid <= max && bit(map, tgid));
}

static void
report_hidden(struct ks_host *h, long pid)
{
	struct ks_finding *fd = ks_hf_new(h, &r_hidden, h->o.now_us);
	char path[48], comm[64] = "?";
	int dfd;

	snprintf(path, sizeof(path), "/proc/%ld", pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		int cfd = openat(dfd, "comm", O_RDONLY | O_CLOEXEC);
		ssize_t n = cfd < 0 ? -1 : read(cfd, comm, sizeof(comm) - 1);

		if (cfd >= 0)
			close(cfd);
		if (n > 0)
			comm[comm[n - 1] == '\n' ? n - 1 : n] = '\0';
		close(dfd);
	}
	ks_hf_num(h, fd, "process.pid", pid);
	ks_hf_attr(h, fd, "process.name", comm);
	ks_hf_evf(h, fd, path, 0, "kill(%ld, 0) finds it, getsid %ld, "
	    "getpgid %ld; /proc/%ld %s; not in the listing of /proc (read "
	    "twice)", pid, (long)getsid((pid_t)pid), (long)getpgid((pid_t)pid),
	    pid, dfd >= 0 ? "opens" : "does not open");
	ks_hf_add(h, fd);
}

static void
hidden(struct ks_host *h)
{
	long max = pid_max(), cand[HIDDEN_MAX];
	uint8_t *a = listing_map(max), *b = NULL;
	size_t nc = 0;

	if (a == NULL) {
		h->oom = true;
		return;
	}
	for (long pid = 1; pid <= max; pid++)
		if (unlisted(a, max, pid) && nc < HIDDEN_MAX)
			cand[nc++] = pid;
	if (nc > 0 && (b = listing_map(max)) == NULL)
		h->oom = true;
	for (size_t i = 0; i < nc && b != NULL; i++) {
		long pid = cand[i];

		if (!unlisted(b, max, pid) || (getsid((pid_t)pid) < 0 &&
		    errno == ESRCH) || (getpgid((pid_t)pid) < 0 &&
		    errno == ESRCH))
			continue;
		report_hidden(h, pid);
	}
	if (nc == HIDDEN_MAX)
		ks_host_note(h, _("processes: more than %d PIDs are missing from "
		    "the listing of /proc; only the first were checked"),
		    HIDDEN_MAX);
	free(a);
	free(b);
}

static bool
bracketed(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n >= 3 && s[0] == '[' && s[n - 1] == ']';
}

/* Whether a name is one the kernel gives its own threads. */
static bool
kernel_name(const char *name)
{
	static const char *const prefixes[] = { "kworker", "kthreadd",
	    "ksoftirqd", "kswapd", "migration/", "rcu_", "watchdog", "cpuhp/",
	    "kdevtmpfs", "khungtaskd", "kcompactd", "jbd2/", "kauditd",
	    "kblockd", "writeback", "ksmd", "khugepaged", "oom_reaper",
	    "kintegrityd", "kthrotld", "irq/", "scsi_eh_", "kjournald",
	    "keventd", "kapmd", "kupdated", "bdflush", "khubd", "mdrecoveryd",
	    "kswapd", "pool_workqueue", "netns", "khelper", "kpsmoused" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* Whether a live process still has an empty command line (read again). */
static bool
still_empty(int pid)
{
	char path[48], buf[1024];
	struct ks_proc pr;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n != 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	memset(&pr, 0, sizeof(pr));
	return n > 0 && ks_proc_parse_stat(buf, (size_t)n, &pr) == 0 &&
	    pr.state != 'Z' && pr.state != 'X';
}

static void
proc_ev(struct ks_host *h, struct ks_finding *fd, const struct ks_proc *p,
    const char *why)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", p->pid);
	ks_hf_evf(h, fd, path, 0, "pid %d ppid %d uid %u comm %s exe %s%s: "
	    "%.*s%s%s", p->pid, p->ppid, (unsigned)p->uid, p->comm,
	    p->exe ? p->exe : "?", p->exe_deleted ? " (deleted)" : "",
	    CMDLINE_SHOWN, p->cmdline ? p->cmdline : "(no command line)",
	    p->cmdline && strlen(p->cmdline) > CMDLINE_SHOWN ? "..." : "", why);
}

/* Adds p to the finding of rule r for its executable. */
static void
by_exe(struct ks_host *h, struct ks_hgroups *g, const struct ks_rule_info *r,
    const struct ks_proc *p, const char *why)
{
	struct ks_buf key;
	struct ks_finding *fd;
	size_t before = g->n;

	ks_buf_init(&key);
	ks_buf_adds(&key, r->id);
	ks_buf_addc(&key, '\0');
	ks_buf_adds(&key, p->exe);
	if (ks_buf_failed(&key)) {
		h->oom = true;
		ks_buf_free(&key);
		return;
	}
	fd = ks_hgroups_get(h, g, key.p, key.len, r, p->start_us);
	ks_buf_free(&key);
	if (fd != NULL && before != g->n) {
		ks_hf_num(h, fd, "process.pid", p->pid);
		ks_hf_attr(h, fd, "process.name", p->comm);
		ks_hf_attr(h, fd, "process.executable", p->exe);
		ks_hf_num(h, fd, "user.id", p->uid);
	}
	proc_ev(h, fd, p, why);
}

/* Deleted, replaced (another file at its path now) or run from memory. */
static void
exe_gone(struct ks_host *h, struct ks_hgroups *g, const struct ks_proc *p)
{
	struct stat st;

	if (strncmp(p->exe, "/memfd:", 7) == 0) {
		by_exe(h, g, &r_deleted, p, " (runs from memory: memfd)");
		return;
	}
	if (ks_hfs_stat(h, p->exe, &st) == 0 && p->exe_stat &&
	    (st.st_dev != p->exe_dev || st.st_ino != p->exe_ino))
		by_exe(h, g, &r_replaced, p, " (another file is at its path)");
	else
		by_exe(h, g, &r_deleted, p, "");
}

static void
one_process(struct ks_host *h, struct ks_hgroups *g, const struct ks_proc *p,
    const struct ks_pkgdb *db)
{
	struct ks_finding *fd;

	if (p->kthread || p->state == 'Z' || p->pid == getpid())
		return;
	if (bracketed(p->argv0) || kernel_name(p->comm) ||
	    (p->cmdline == NULL && still_empty(p->pid))) {
		fd = ks_hf_new(h, &r_mimic, p->start_us);
		ks_hf_num(h, fd, "process.pid", p->pid);
		ks_hf_attr(h, fd, "process.name", p->comm);
		if (p->exe != NULL)
			ks_hf_attr(h, fd, "process.executable", p->exe);
		ks_hf_num(h, fd, "user.id", p->uid);
		proc_ev(h, fd, p, " (not a kernel thread: it has an executable "
		    "and its own memory)");
		ks_hf_add(h, fd);
	}
	if (p->exe == NULL)
		return;
	if (p->exe_deleted || strncmp(p->exe, "/memfd:", 7) == 0)
		exe_gone(h, g, p);
	if (ks_path_in_tmp(p->exe))
		by_exe(h, g, &r_tmp, p, "");
	else if (!p->exe_deleted && db != NULL && p->exe[0] == '/' &&
	    !ks_pkgdb_has(db, p->exe, NULL))
		by_exe(h, g, &r_unpackaged, p, "");
}

static bool
is_inetd(const struct ks_proc *p)
{
	const char *base = p->exe ? strrchr(p->exe, '/') : NULL;

	return !p->kthread && (strcmp(p->comm, "inetd") == 0 ||
	    strcmp(p->comm, "xinetd") == 0 || (base != NULL &&
	    (strcmp(base, "/inetd") == 0 || strcmp(base, "/xinetd") == 0 ||
	    strcmp(base, "/inetutils-inetd") == 0)));
}

static void
inetd(struct ks_host *h, const struct ks_proclist *pl)
{
	struct ks_finding *fd = NULL;
	size_t n = 0;

	for (size_t i = 0; i < pl->n; i++)
		n += is_inetd(&pl->v[i]);
	if (n < 2)
		return;
	for (size_t i = 0; i < pl->n; i++) {
		if (!is_inetd(&pl->v[i]))
			continue;
		if (fd == NULL) {
			fd = ks_hf_new(h, &r_inetd, pl->v[i].start_us);
			ks_hf_num(h, fd, "process.pid", pl->v[i].pid);
			if (fd != NULL)
				fd->count = n;
		}
		ks_hf_seen(h, fd, pl->v[i].start_us);
		proc_ev(h, fd, &pl->v[i], "");
	}
	ks_hf_add(h, fd);
}

void
ks_check_processes(struct ks_host *h)
{
	struct ks_proclist *pl = ks_host_procs(h);
	const struct ks_pkgdb *db = ks_host_pkgdb(h);
	struct ks_hgroups g;

	if (pl == NULL)
		return;
	hidden(h);
	if (ks_hgroups_init(h, &g, GROUPS_MAX) < 0)
		return;
	for (size_t i = 0; i < pl->n; i++)
		one_process(h, &g, &pl->v[i], db);
	if (g.overflow > 0)
		ks_host_note(h, _("processes: findings for more than %d "
		    "executables; %llu processes were not reported"), GROUPS_MAX,
		    (unsigned long long)g.overflow);
	ks_hgroups_flush(h, &g);
	ks_hgroups_free(&g);
	inetd(h, pl);
}
