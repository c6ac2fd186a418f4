/*
 * rootfs.c - opening files below the root of the analysed system.
 *
 * The files being checked belong to a host that may be compromised, or
 * to a disk image mounted under --root: a symbolic link planted in a
 * parent directory must not lead the check elsewhere.  openat2(2) makes
 * the kernel enforce it: RESOLVE_NO_SYMLINKS for the walk (which never
 * follows a link), RESOLVE_IN_ROOT for dpkg's paths (which go through
 * /bin -> usr/bin and the like, but resolved as if the root were "/").
 * Neither ever leaves the root, and magic links (/proc/PID/fd) are not
 * followed.  openat2 is Linux 5.6 or later; older kernels get an error
 * that says so rather than a weaker check.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "integrity/fim_int.h"

int
ks_root_open(const char *root, int *fd, struct ks_err *err)
{
	if (root == NULL || root[0] == '\0')
		root = "/";
	*fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return ks_err_set(err, "%s: %s", root, strerror(errno));
	return 0;
}

int
ks_root_openat(int rootfd, const char *rel, int flags, enum ks_resolve how)
{
	struct open_how oh;
	long fd;

	memset(&oh, 0, sizeof(oh));
	oh.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
	oh.resolve = RESOLVE_NO_MAGICLINKS | (how == KS_RESOLVE_IN_ROOT ?
	    RESOLVE_IN_ROOT : RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
	do
		fd = syscall(SYS_openat2, rootfd, rel, &oh, sizeof(oh));
	while (fd < 0 && errno == EAGAIN);
	return (int)fd;
}

/*
 * Reads fd to its end into out (at most max bytes) and closes it; on
 * failure errno says why (EFBIG: too large, EINVAL: not a file).
 */
static int
read_fd(int fd, const char *name, size_t max, struct ks_buf *out,
    struct ks_err *err)
{
	char chunk[65536];
	struct stat st;
	ssize_t r;
	int e;

	e = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
	while (e == 0 && (r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || out->len + (size_t)r > max)
			e = r < 0 ? errno : EFBIG;
		else
			ks_buf_add(out, chunk, (size_t)r);
	}
	close(fd);
	if (e == 0 && ks_buf_failed(out))
		e = ENOMEM;
	if (e == 0)
		return 0;
	ks_err_set(err, "%s: %s", name, e == EINVAL ? "not a regular file" :
	    strerror(e));
	errno = e;
	return -1;
}

int
ks_root_read(int rootfd, const char *rel, size_t max, struct ks_buf *out,
    struct ks_err *err)
{
	int fd = ks_root_openat(rootfd, rel, O_RDONLY | O_NONBLOCK,
	    KS_RESOLVE_IN_ROOT);
	char name[4096];

	snprintf(name, sizeof(name), "/%s", rel);
	if (fd < 0)
		return ks_err_set(err, "%s: %s", name, errno == ENOSYS ?
		    "openat2 is missing: Linux 5.6 or later is needed" :
		    strerror(errno));
	return read_fd(fd, name, max, out, err);
}

int
ks_read_file(const char *path, size_t max, struct ks_buf *out,
    struct ks_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), e;

	if (fd < 0) {
		e = errno;
		ks_err_set(err, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	return read_fd(fd, path, max, out, err);
}

const char *
ks_rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path == '\0' ? "." : path;
}
