/*
 * fs.c - reading the analysed system's files without leaving its root,
 * without touching their access times, and without being fooled by what
 * they are.
 *
 * A disk image mounted at /mnt/evidence holds absolute symlinks
 * (/etc/localtime -> /usr/share/zoneinfo/...) that, followed naively,
 * lead into the analysing host; an intruder can plant one that points at
 * the analyst's own files.  So every path is opened relative to the root
 * with openat2(RESOLVE_IN_ROOT), which makes "/" and ".." stop at the
 * root, as chroot would, for symlinks too.  Kernels before 5.6 lack it:
 * then paths are opened relative to the root by name, and a note says
 * that symlinks were followed.  Files are opened with O_NOATIME where
 * the kernel allows it (the owner, or CAP_FOWNER), so that reading does
 * not change what a later examiner sees; and read whole only when they
 * are regular files (a FIFO planted as a crontab would block forever).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define LIST_MAX 200000        /* directory entries kept per listing */

static const char *
relative(const char *path)
{
	while (*path == '/')
		path++;
	return *path == '\0' ? "." : path;
}

static int
open_once(struct ks_host *h, const char *path, int flags)
{
	struct open_how how;
	long fd;

	if (h->resolve_in_root) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)(flags | O_CLOEXEC);
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, h->rootfd, relative(path), &how,
		    sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		h->resolve_in_root = false;
		if (!h->live)
			ks_host_note(h, _("the kernel lacks openat2: symlinks "
			    "under %s are followed by name"), h->root);
	}
	return openat(h->rootfd, relative(path), flags | O_CLOEXEC);
}

int
ks_hfs_open(struct ks_host *h, const char *path, int flags)
{
	int fd;

	if (flags & O_PATH)
		return open_once(h, path, flags);
	fd = open_once(h, path, flags | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open_once(h, path, flags);
	return fd;
}

static int
stat_path(struct ks_host *h, const char *path, struct stat *st, int flags)
{
	int fd = ks_hfs_open(h, path, O_PATH | flags), rc, saved;

	if (fd < 0)
		return -1;
	rc = fstat(fd, st);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
ks_hfs_lstat(struct ks_host *h, const char *path, struct stat *st)
{
	return stat_path(h, path, st, O_NOFOLLOW);
}

int
ks_hfs_stat(struct ks_host *h, const char *path, struct stat *st)
{
	return stat_path(h, path, st, 0);
}

int
ks_hfs_readlink(struct ks_host *h, const char *path, char *buf, size_t size)
{
	int fd = ks_hfs_open(h, path, O_PATH | O_NOFOLLOW), saved;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = readlinkat(fd, "", buf, size - 1);
	saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static bool
absent(int e)
{
	return e == ENOENT || e == ENOTDIR;
}

/* Reads up to max bytes of an open regular file. */
static int
read_all(int fd, size_t max, struct ks_hfile *f)
{
	size_t want = (uint64_t)f->st.st_size > max ? max :
	    (size_t)f->st.st_size;
	size_t cap = want + 1, got = 0;
	ssize_t n;

	if ((f->p = malloc(cap)) == NULL)
		return -1;
	for (;;) {
		if (got + 1 == cap) {
			char *np;

			if (got >= max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if ((np = realloc(f->p, cap)) == NULL)
				return -1;
			f->p = np;
		}
		n = read(fd, f->p + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	f->p[got] = '\0';
	f->n = got;
	f->cut = got >= max && (uint64_t)f->st.st_size > max;
	return 0;
}

int
ks_hfs_read(struct ks_host *h, const char *path, size_t max,
    struct ks_hfile *f)
{
	int fd, saved;

	memset(f, 0, sizeof(*f));
	fd = ks_hfs_open(h, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		if (absent(errno))
			return 1;
		ks_host_note(h, _("%s: cannot read: %s"), path, strerror(errno));
		return -1;
	}
	saved = fstat(fd, &f->st) < 0 ? errno : 0;
	if (saved != 0 || !S_ISREG(f->st.st_mode)) {
		close(fd);
		ks_host_note(h, _("%s: cannot read: %s"), path,
		    saved ? strerror(saved) : _("not a regular file"));
		return -1;
	}
	if (read_all(fd, max, f) < 0) {
		saved = errno;
		close(fd);
		ks_hfile_free(f);
		ks_host_note(h, _("%s: cannot read: %s"), path, strerror(saved));
		return -1;
	}
	close(fd);
	if (f->cut)
		ks_host_note(h, _("%s: only the first %zu bytes were read"), path,
		    max);
	return 0;
}

void
ks_hfile_free(struct ks_hfile *f)
{
	free(f->p);
	memset(f, 0, sizeof(*f));
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_fd(struct ks_host *h, int fd, const char *path, struct ks_hdir *d)
{
	DIR *dir = fdopendir(fd);
	struct dirent *de;
	size_t cap = 0;
	char **nv;

	if (dir == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (d->n == LIST_MAX) {
			ks_host_note(h, _("%s: more than %d entries: the rest "
			    "were not read"), path, LIST_MAX);
			break;
		}
		if (d->n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nv = realloc(d->names, cap * sizeof(*nv))) == NULL)
				goto oom;
			d->names = nv;
		}
		if ((d->names[d->n] = strdup(de->d_name)) == NULL)
			goto oom;
		d->n++;
	}
	closedir(dir);
	if (d->n > 1)
		qsort(d->names, d->n, sizeof(*d->names), cmp_names);
	return 0;
oom:
	closedir(dir);
	h->oom = true;
	return -1;
}

int
ks_hfs_list(struct ks_host *h, const char *path, struct ks_hdir *d)
{
	int fd;

	memset(d, 0, sizeof(*d));
	fd = ks_hfs_open(h, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (absent(errno))
			return 1;
		ks_host_note(h, _("%s: cannot list: %s"), path, strerror(errno));
		return -1;
	}
	if (list_fd(h, fd, path, d) < 0) {
		ks_hdir_free(d);
		return -1;
	}
	return 0;
}

void
ks_hdir_free(struct ks_hdir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	memset(d, 0, sizeof(*d));
}

const char *
ks_fs_type_name(unsigned long type)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} types[] = {
		{ 0xef53, "ext4" }, { 0x58465342, "xfs" },
		{ 0x9123683e, "btrfs" }, { 0x794c7630, "overlay" },
		{ 0x01021994, "tmpfs" }, { 0x858458f6, "ramfs" },
		{ 0x9fa0, "proc" }, { 0x62656572, "sysfs" },
		{ 0x1cd1, "devpts" }, { 0x27e0eb, "cgroup" },
		{ 0x63677270, "cgroup2" }, { 0x6969, "nfs" },
		{ 0xff534d42, "cifs" }, { 0xfe534d42, "smb2" },
		{ 0x65735546, "fuse" }, { 0x65735543, "fusectl" },
		{ 0x73717368, "squashfs" }, { 0x2fc12fc1, "zfs" },
		{ 0x4d44, "vfat" }, { 0x64626720, "debugfs" },
		{ 0x74726163, "tracefs" }, { 0x73636673, "securityfs" },
		{ 0xcafe4a11, "bpf" }, { 0x6165676c, "pstore" },
		{ 0x62656570, "configfs" }, { 0x19800202, "mqueue" },
		{ 0x958458f6, "hugetlbfs" }, { 0x42494e4d, "binfmt_misc" },
		{ 0x0187, "autofs" }, { 0x01021997, "9p" },
		{ 0x9660, "iso9660" }, { 0xf2f52010, "f2fs" },
		{ 0xde5e81e4, "efivarfs" }, { 0x6e736673, "nsfs" },
		{ 0x5346544e, "ntfs" }, { 0x7366746e, "ntfs3" },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (types[i].magic == (type & 0xffffffffUL))
			return types[i].name;
	return "other";
}

/* Whether /proc/1/cgroup names a container runtime. */
static const char *
cgroup_runtime(void)
{
	static const char *const names[] = { "docker", "kubepods", "lxc",
	    "libpod", "containerd" };
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/1/cgroup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strstr(buf, names[i]) != NULL)
			return names[i];
	return NULL;
}

const char *
ks_host_detect_container(struct ks_host *h)
{
	struct stat st;

	if (ks_hfs_lstat(h, "/.dockerenv", &st) == 0)
		return "docker";
	if (ks_hfs_lstat(h, "/run/.containerenv", &st) == 0)
		return "podman";
	return h->live ? cgroup_runtime() : NULL;
}

bool
ks_hfs_home_ok(struct ks_host *h, const char *home, const char *check)
{
	char dot[4096];
	struct stat st;

	if (!ks_path_join(dot, sizeof(dot), home, "."))
		return false;
	if (ks_hfs_lstat(h, dot, &st) == 0)
		return true;
	if (errno == EACCES || errno == EPERM)
		ks_host_note(h, _("%s: %s cannot be searched: its files were not "
		    "read (%s)"), check, home, geteuid() == 0 ? strerror(errno) :
		    _("run as root"));
	return false;
}

bool
ks_path_join(char *buf, size_t size, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int n;

	while (dl > 0 && dir[dl - 1] == '/')
		dl--;
	n = snprintf(buf, size, "%.*s/%s", (int)dl, dir, name);
	return n >= 0 && (size_t)n < size;
}

bool
ks_path_in_tmp(const char *path)
{
	static const char *const dirs[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };

	while (path[0] == '/' && path[1] == '/')
		path++;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}
