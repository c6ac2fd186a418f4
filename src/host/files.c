/*
 * files.c - check 6: one walk of the whole file system, looking for what
 * seed 002 searches with find: SUID files, names such as `...`, hidden
 * directories, recently changed system binaries; and for what a rootkit
 * that hides files gives away.
 *
 * The walk reads each directory with getdents64 and stats, relative to
 * the directory's descriptor, only what needs it (regular files, and
 * directories through the descriptor opened to enter them), so that half
 * a million files take a second or two.  It never follows a symlink and
 * stays out of pseudo and network file systems (proc, sysfs, cgroup,
 * nfs, fuse, ...), found with statfs at each mount point.
 *
 * Per entry:
 *  - odd names: only dots and spaces (`...`, `.. `, ` `), a leading or
 *    trailing space, control characters;
 *  - SUID or SGID files in a temporary directory, or outside the package
 *    database;
 *  - executables and libraries of the system directories changed within
 *    --since, unless their package was unpacked at that moment;
 *  - regular files and hidden directories in /dev (not files a container
 *    runtime bind-mounts there: those are on another device), hidden
 *    directories at the top of /tmp, /var/tmp and /dev/shm;
 *  - readdir against stat: a listed name that stat cannot find, a type
 *    or an inode number that differ, and a directory whose link count
 *    says it has more subdirectories than its listing shows (a hidden
 *    directory).  Each is read twice to rule out a change in between.
 *    Link counts and inode numbers are trusted only where the file
 *    system keeps them on disk: ext2/3/4, xfs, tmpfs; overlay and btrfs
 *    report other numbers, and are noted instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define DEPTH_MAX 256
#define DENTS_BUF 32768
#define FS_CACHE 128
#define MISSING_MAX 16
#define PROGRESS_EVERY 8192

static const struct ks_rule_info r_suid_tmp = {
	.id = "file-suid-tmp",
	.title = N_("A SUID or SGID file in a temporary directory"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "likely-success",
	.advice = N_("A setuid copy of a shell in /tmp or /var/tmp is a root "
	    "backdoor. Save it, find who made it (owner, times, histories), "
	    "and treat the host as intruded."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_suid = {
	.id = "file-suid-unpackaged",
	.title = N_("A SUID or SGID file that no package installed"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "unknown",
	.advice = N_("Every setuid program runs with its owner's rights; one "
	    "no package put there needs an owner who can explain it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_odd_dir = {
	.id = "file-odd-dir",
	.title = N_("A directory with a name made to be overlooked"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Names such as `...` or `.. ` hide an intruder's tools "
	    "from ls -a (seed 002). Look inside with an escaped listing."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_odd_name = {
	.id = "file-odd-name",
	.title = N_("A file with a name made to be overlooked"),
	.severity = "medium", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Dots, spaces or control characters in a name hide a "
	    "file from a quick look; read what it is."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_dev = {
	.id = "file-dev-hidden",
	.title = N_("A regular file or hidden directory in /dev"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("/dev holds device nodes; rootkits keep their "
	    "configuration and logs there because nobody looks. Read it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_tmp_dir = {
	.id = "file-tmp-hidden-dir",
	.title = N_("A hidden directory in a temporary directory"),
	.severity = "medium", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Intruders unpack their kits in hidden directories of "
	    "/tmp, /var/tmp or /dev/shm; look at what it holds and who owns "
	    "it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_changed = {
	.id = "file-system-changed",
	.title = N_("System programs or libraries changed recently, not by "
	    "the package manager"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Trojaned ls, ps, netstat and libraries are how "
	    "intruders hide; compare these files with their packages "
	    "(kansatsu verify --packages)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_mismatch = {
	.id = "file-readdir-stat-mismatch",
	.title = N_("A directory listing and stat disagree"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("A rootkit that filters file system calls shows up as a "
	    "name one call sees and another does not. Check the file system "
	    "offline (fsck, or the disk in another host)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_hidden_entries = {
	.id = "file-hidden-entries",
	.title = N_("A directory has more subdirectories than its listing "
	    "shows"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("The link count counts every subdirectory; a listing "
	    "with fewer is filtered by a rootkit. Examine the disk from "
	    "another system."),
	.path = KS_HOST_RULE_PATH,
};

struct fsinfo {
	dev_t dev;
	unsigned long type;
};

struct fwalk {
	struct ks_host *h;
	const struct ks_pkgdb *db;
	char path[4096];
	size_t plen;
	int depth;
	char *bufs[DEPTH_MAX];
	struct fsinfo fs[FS_CACHE];
	size_t nfs;
	dev_t dev_dev;              /* the device of /dev */
	bool dev_known;
	uint64_t entries, unreadable, too_deep;
	char first_unreadable[4096];
	char untrusted[256];        /* fs types without link-count checks */
	int nested;                 /* depth of another system's root, or 0 */
	char nested_list[512];      /* the first of them, for the note */
	uint64_t nnested;
	char skipped[256];          /* fs types not walked */
	struct ks_finding *changed;
};

/* ---- file system types ------------------------------------------------- */

static unsigned long
fs_type(struct fwalk *w, int fd, dev_t dev)
{
	struct statfs sf;

	for (size_t i = 0; i < w->nfs; i++)
		if (w->fs[i].dev == dev)
			return w->fs[i].type;
	if (fstatfs(fd, &sf) < 0)
		return 0;
	if (w->nfs < FS_CACHE)
		w->fs[w->nfs++] = (struct fsinfo){ dev, (unsigned long)sf.f_type };
	return (unsigned long)sf.f_type;
}

static bool
type_in(const char *name, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(name, *set) == 0)
			return true;
	return false;
}

/* Pseudo and network file systems: not walked. */
static bool
not_walked(const char *name)
{
	static const char *const set[] = { "proc", "sysfs", "devpts",
	    "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "bpf",
	    "pstore", "configfs", "mqueue", "hugetlbfs", "binfmt_misc",
	    "fusectl", "efivarfs", "nsfs", "autofs", "nfs", "cifs", "smb2",
	    "fuse", "9p", NULL };

	return type_in(name, set);
}

/* File systems whose link counts and inode numbers are their own. */
static bool
trusted(const char *name)
{
	static const char *const set[] = { "ext4", "xfs", "tmpfs", NULL };

	return type_in(name, set);
}

/* Adds a type name to a comma-separated list, once. */
static void
list_add(char *list, size_t size, const char *name)
{
	size_t n = strlen(list);

	if (strstr(list, name) != NULL)
		return;
	snprintf(list + n, size - n, "%s%s", n ? ", " : "", name);
}

/* ---- paths ------------------------------------------------------------- */

/* Appends a name to the walk's path; false when it would not fit. */
static bool
path_push(struct fwalk *w, const char *name, size_t *saved)
{
	size_t n = strlen(name);
	bool root = w->plen == 1;

	*saved = w->plen;
	if (w->plen + n + 2 > sizeof(w->path))
		return false;
	if (!root)
		w->path[w->plen++] = '/';
	memcpy(w->path + w->plen, name, n + 1);
	w->plen += n;
	return true;
}

static void
path_pop(struct fwalk *w, size_t saved)
{
	w->plen = saved;
	w->path[saved] = '\0';
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool
system_dir(const char *path)
{
	static const char *const dirs[] = { "/bin", "/sbin", "/lib", "/lib32",
	    "/lib64", "/libx32", "/usr/bin", "/usr/sbin", "/usr/lib",
	    "/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/libexec" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (under(path, dirs[i]))
			return true;
	return false;
}

/* ---- findings ---------------------------------------------------------- */

static int64_t
ts(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000 + t->tv_nsec / 1000;
}

static void
stat_text(struct ks_host *h, struct ks_buf *b, const struct stat *st)
{
	ks_buf_addf(b, "mode %06o uid %u gid %u size %lld mtime ",
	    (unsigned)st->st_mode, (unsigned)st->st_uid, (unsigned)st->st_gid,
	    (long long)st->st_size);
	ks_host_time(h, b, ts(&st->st_mtim));
	ks_buf_adds(b, " ctime ");
	ks_host_time(h, b, ts(&st->st_ctim));
}

static void
report(struct fwalk *w, const struct ks_rule_info *r, const struct stat *st,
    const char *why)
{
	struct ks_finding *fd = ks_hf_new(w->h, r, st ? ts(&st->st_mtim) :
	    w->h->o.now_us);
	struct ks_buf b;

	ks_buf_init(&b);
	ks_buf_adds(&b, why);
	if (st != NULL) {
		ks_buf_adds(&b, why[0] ? ": " : "");
		stat_text(w->h, &b, st);
	}
	ks_hf_attr(w->h, fd, "file.path", w->path);
	ks_hf_ev(w->h, fd, w->path, 0, b.p ? b.p : "", b.len);
	if (ks_buf_failed(&b))
		w->h->oom = true;
	ks_buf_free(&b);
	ks_hf_add(w->h, fd);
}

static const char *
odd_name(const char *name)
{
	size_t n = strlen(name);
	bool dots = true;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f)
			return "control characters in the name";
		if (c != '.' && c != ' ')
			dots = false;
	}
	if (dots && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
		return "a name of dots and spaces only";
	if (name[0] == ' ' || name[n - 1] == ' ')
		return "a name with a leading or trailing space";
	return NULL;
}

static void
suid(struct fwalk *w, const struct stat *st)
{
	if (!(st->st_mode & (S_ISUID | S_ISGID)))
		return;
	if (ks_path_in_tmp(w->path))
		report(w, &r_suid_tmp, st, st->st_mode & S_ISUID ? "setuid" :
		    "setgid");
	else if (w->db != NULL && w->nested == 0 &&
	    !ks_pkgdb_has(w->db, w->path, NULL))
		report(w, &r_suid, st, st->st_mode & S_ISUID ? "setuid" :
		    "setgid");
}

static bool
program_or_library(const char *name, const struct stat *st)
{
	return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) ||
	    strstr(name, ".so") != NULL;
}

/* A system program or library changed within --since, not by dpkg. */
static void
changed(struct fwalk *w, const char *name, const struct stat *st)
{
	struct ks_buf b;
	int64_t when;

	if (!system_dir(w->path) || !program_or_library(name, st) ||
	    !ks_host_changed(w->h, w->db, w->path, st, false, &when))
		return;
	if (w->changed == NULL) {
		w->changed = ks_hf_new(w->h, &r_changed, when);
		if (w->changed == NULL)
			return;
		w->changed->count = 0;
	}
	w->changed->count++;
	ks_hf_seen(w->h, w->changed, when);
	ks_buf_init(&b);
	stat_text(w->h, &b, st);
	if (w->db != NULL && !ks_pkgdb_has(w->db, w->path, NULL))
		ks_buf_adds(&b, "; in no package");
	ks_hf_ev(w->h, w->changed, w->path, 0, b.p, b.len);
	if (ks_buf_failed(&b))
		w->h->oom = true;
	ks_buf_free(&b);
}

static bool
in_dev(const char *path)
{
	return under(path, "/dev") && !under(path, "/dev/shm");
}

/* Hidden directories at the top of a temporary directory. */
static bool
tmp_top(const char *path)
{
	static const char *const dirs[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		size_t n = strlen(dirs[i]);

		if (strncmp(path, dirs[i], n) == 0 &&
		    strchr(path + n, '/') == NULL)
			return true;
	}
	return false;
}

static void
hidden_dir(struct fwalk *w, const char *name, const struct stat *st)
{
	static const char *const x11[] = { ".X11-unix", ".ICE-unix",
	    ".font-unix", ".XIM-unix", ".Test-unix", ".udev", ".initramfs",
	    NULL };

	if (name[0] != '.' || type_in(name, x11))
		return;
	if (in_dev(w->path))
		report(w, &r_dev, st, "hidden directory");
	else if (tmp_top(w->path))
		report(w, &r_tmp_dir, st, "hidden directory");
}

/* ---- the walk ---------------------------------------------------------- */

struct dirinfo {
	int fd;
	struct stat st;
	bool trusted;
};

static void walk_dir(struct fwalk *w, const struct dirinfo *d);

static long
dents(int fd, char *buf)
{
	return syscall(SYS_getdents64, fd, buf, DENTS_BUF);
}

static bool
dot_or_dotdot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* Reads the directory again: whether name is listed, and subdirs. */
static bool
relist(struct fwalk *w, const struct dirinfo *d, const char *name,
    uint64_t *subdirs)
{
	char *buf = w->bufs[w->depth];
	bool found = false;
	long n;

	*subdirs = 0;
	if (lseek(d->fd, 0, SEEK_SET) < 0)
		return false;
	while ((n = dents(d->fd, buf)) > 0)
		for (long off = 0; off < n; ) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (dot_or_dotdot(de->d_name))
				continue;
			if (name != NULL && strcmp(de->d_name, name) == 0)
				found = true;
			*subdirs += de->d_type == DT_DIR;
		}
	return found;
}

static int
open_dir(int dfd, const char *name)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dfd, name, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name, flags);
	return fd;
}

static void
unreadable(struct fwalk *w)
{
	if (w->unreadable++ == 0)
		snprintf(w->first_unreadable, sizeof(w->first_unreadable), "%s",
		    w->path);
}

static void
inode_check(struct fwalk *w, const struct dirinfo *d, const char *name,
    ino_t dino, const struct stat *st)
{
	struct stat again;

	if (!d->trusted || dino == 0 || st->st_dev != d->st.st_dev ||
	    dino == st->st_ino)
		return;
	if (fstatat(d->fd, name, &again, AT_SYMLINK_NOFOLLOW) == 0 &&
	    again.st_ino == dino)
		return;
	report(w, &r_mismatch, st, "readdir and stat give different inode "
	    "numbers");
}

/*
 * A chroot, a container image or a mounted backup holds another system,
 * whose files its own package lists account for, not this one's.
 */
static bool
other_system(struct fwalk *w, int fd)
{
	static const char *const marks[] = { "var/lib/dpkg/status",
	    "var/lib/rpm", "etc/os-release", "usr/lib/os-release" };

	if (w->nested != 0)
		return false;
	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++)
		if (faccessat(fd, marks[i], F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			if (w->nnested++ < 8)
				list_add(w->nested_list, sizeof(w->nested_list),
				    w->path);
			return true;
		}
	return false;
}

static void
enter(struct fwalk *w, const struct dirinfo *d, const char *name,
    ino_t dino, const char *odd)
{
	struct dirinfo sub;
	unsigned long type;
	const char *tname;
	struct stat st;

	if ((sub.fd = open_dir(d->fd, name)) < 0) {
		if ((errno == ENOTDIR || errno == ELOOP) &&
		    fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			report(w, &r_mismatch, &st, "readdir says a directory, "
			    "stat says not");
		else if (errno == EACCES || errno == EPERM)
			unreadable(w);
		return;
	}
	if (fstat(sub.fd, &sub.st) < 0) {
		close(sub.fd);
		return;
	}
	type = sub.st.st_dev == d->st.st_dev ? 0 : fs_type(w, sub.fd,
	    sub.st.st_dev);
	tname = ks_fs_type_name(type);
	if (type != 0 && not_walked(tname)) {
		list_add(w->skipped, sizeof(w->skipped), tname);
		close(sub.fd);
		return;
	}
	sub.trusted = type == 0 ? d->trusted : trusted(tname);
	if (type != 0 && !sub.trusted)
		list_add(w->untrusted, sizeof(w->untrusted), tname);
	inode_check(w, d, name, dino, &sub.st);
	if (odd != NULL)
		report(w, &r_odd_dir, &sub.st, odd);
	hidden_dir(w, name, &sub.st);
	if (other_system(w, sub.fd))
		w->nested = w->depth + 1;
	if (w->depth + 1 < DEPTH_MAX) {
		w->depth++;
		walk_dir(w, &sub);
		w->depth--;
	} else
		w->too_deep++;
	if (w->nested == w->depth + 1)
		w->nested = 0;
	close(sub.fd);
}

static void
regular(struct fwalk *w, const struct dirinfo *d, const char *name,
    unsigned char dtype, ino_t dino, const struct stat *st, const char *odd)
{
	struct stat again;

	if (dtype != DT_UNKNOWN && IFTODT(st->st_mode) != dtype &&
	    fstatat(d->fd, name, &again, AT_SYMLINK_NOFOLLOW) == 0 &&
	    IFTODT(again.st_mode) != dtype)
		report(w, &r_mismatch, st, "readdir and stat give different "
		    "file types");
	inode_check(w, d, name, dino, st);
	if (odd != NULL)
		report(w, &r_odd_name, st, odd);
	if (!S_ISREG(st->st_mode))
		return;
	suid(w, st);
	changed(w, name, st);
	if (in_dev(w->path) && w->dev_known && st->st_dev == w->dev_dev)
		report(w, &r_dev, st, "regular file");
}

struct missing {
	char names[MISSING_MAX][256];
	size_t n;
};

static void
one_entry(struct fwalk *w, const struct dirinfo *d, const struct dirent64 *de,
    uint64_t *subdirs, struct missing *miss)
{
	const char *odd = odd_name(de->d_name);
	struct stat st;
	size_t saved;

	if (!path_push(w, de->d_name, &saved)) {
		w->too_deep++;
		return;
	}
	if (de->d_type == DT_DIR) {
		(*subdirs)++;
		enter(w, d, de->d_name, de->d_ino, odd);
	} else if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN) {
		if (fstatat(d->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT && miss->n < MISSING_MAX)
				snprintf(miss->names[miss->n++], 256, "%s",
				    de->d_name);
		} else if (S_ISDIR(st.st_mode) && de->d_type == DT_UNKNOWN) {
			(*subdirs)++;
			enter(w, d, de->d_name, de->d_ino, odd);
		} else
			regular(w, d, de->d_name, de->d_type, de->d_ino, &st,
			    odd);
	} else if (odd != NULL)
		report(w, &r_odd_name, NULL, odd);
	path_pop(w, saved);
}

/* Names listed that stat could not find: still listed, still missing? */
static void
recheck_missing(struct fwalk *w, const struct dirinfo *d,
    const struct missing *miss)
{
	struct stat st;
	uint64_t subdirs;
	size_t saved;

	for (size_t i = 0; i < miss->n; i++) {
		if (fstatat(d->fd, miss->names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT || !relist(w, d, miss->names[i], &subdirs) ||
		    !path_push(w, miss->names[i], &saved))
			continue;
		report(w, &r_mismatch, NULL, "listed by readdir, but stat "
		    "finds no such file");
		path_pop(w, saved);
	}
}

static void
link_count(struct fwalk *w, const struct dirinfo *d, uint64_t subdirs)
{
	struct stat again;
	char why[128];

	if (!d->trusted || d->st.st_nlink <= 1 ||
	    (uint64_t)d->st.st_nlink <= subdirs + 2)
		return;
	relist(w, d, NULL, &subdirs);
	if (fstat(d->fd, &again) < 0 || again.st_nlink <= 1 ||
	    (uint64_t)again.st_nlink <= subdirs + 2)
		return;
	snprintf(why, sizeof(why), "link count %llu, %llu subdirectories "
	    "listed", (unsigned long long)again.st_nlink,
	    (unsigned long long)subdirs);
	report(w, &r_hidden_entries, &again, why);
}

static void
walk_dir(struct fwalk *w, const struct dirinfo *d)
{
	struct missing miss = { .n = 0 };
	uint64_t subdirs = 0;
	char *buf;
	long n = 0;

	if (w->bufs[w->depth] == NULL &&
	    (w->bufs[w->depth] = malloc(DENTS_BUF)) == NULL) {
		w->h->oom = true;
		return;
	}
	buf = w->bufs[w->depth];
	while (!w->h->oom && (n = dents(d->fd, buf)) > 0) {
		for (long off = 0; off < n; ) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (dot_or_dotdot(de->d_name))
				continue;
			if (++w->entries % PROGRESS_EVERY == 0 &&
			    w->h->o.on_progress != NULL)
				w->h->o.on_progress(w->h->o.ctx, "files", w->path);
			one_entry(w, d, de, &subdirs, &miss);
		}
		buf = w->bufs[w->depth];
	}
	if (n < 0)
		unreadable(w);
	recheck_missing(w, d, &miss);
	link_count(w, d, subdirs);
}

static void
notes(struct fwalk *w)
{
	struct ks_host *h = w->h;

	if (w->unreadable > 0)
		ks_host_note(h, _("files: %llu directories could not be read "
		    "(the first: %s)"), (unsigned long long)w->unreadable,
		    w->first_unreadable);
	if (w->too_deep > 0)
		ks_host_note(h, _("files: %llu entries deeper than %d levels or "
		    "with too long a path were not examined"),
		    (unsigned long long)w->too_deep, DEPTH_MAX);
	if (w->skipped[0] != '\0')
		ks_host_note(h, _("files: pseudo and network file systems not "
		    "walked: %s"), w->skipped);
	if (w->nnested > 0)
		ks_host_note(h, _("files: %llu other systems inside this one "
		    "(chroots, images) were not judged by this system's "
		    "packages: %s%s"), (unsigned long long)w->nnested,
		    w->nested_list, w->nnested > 8 ? ", ..." : "");
	if (w->untrusted[0] != '\0')
		ks_host_note(h, _("files: link-count and inode checks are off "
		    "on %s (their numbers are not the disk's)"), w->untrusted);
}

void
ks_check_files(struct ks_host *h)
{
	struct fwalk *w = calloc(1, sizeof(*w));
	struct dirinfo root;
	struct stat dev;
	const char *tname;

	if (w == NULL) {
		h->oom = true;
		return;
	}
	w->h = h;
	w->db = ks_host_pkgdb(h);
	snprintf(w->path, sizeof(w->path), "/");
	w->plen = 1;
	if (ks_hfs_stat(h, "/dev", &dev) == 0) {
		w->dev_dev = dev.st_dev;
		w->dev_known = true;
	}
	root.fd = ks_hfs_open(h, "/", O_RDONLY | O_DIRECTORY);
	if (root.fd >= 0 && fstat(root.fd, &root.st) == 0) {
		tname = ks_fs_type_name(fs_type(w, root.fd, root.st.st_dev));
		root.trusted = trusted(tname);
		if (!root.trusted)
			list_add(w->untrusted, sizeof(w->untrusted), tname);
		walk_dir(w, &root);
	} else
		ks_host_note(h, _("files: %s cannot be read"), h->root);
	if (root.fd >= 0)
		close(root.fd);
	ks_hf_add(h, w->changed);
	notes(w);
	for (int i = 0; i < DEPTH_MAX; i++)
		free(w->bufs[i]);
	free(w);
}
