/*
 * record.c - the record of one file, and which attributes make sense
 * for which type of file.
 *
 * A group may ask for every attribute, but not all of them mean
 * something for every type: a directory's size, times and link count
 * change whenever an entry is added or removed (which verify reports as
 * its own finding), a symbolic link's mode is always 0777 and its inode
 * changes when `ln -sf` replaces it, while its target is what matters.
 * The table below is what rpm -V compares for each type, plus the
 * attributes rpm does not know (inode, links, xattrs).
 */
#include <stdlib.h>
#include <string.h>

#include "integrity/fim_int.h"

struct ks_fim_rec *
ks_fim_rec_new(const char *path, size_t n)
{
	struct ks_fim_rec *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->path = malloc(n + 1)) == NULL) {
		free(r);
		return NULL;
	}
	memcpy(r->path, path, n);
	r->path[n] = '\0';
	r->plen = n;
	r->job.limit = UINT64_MAX;
	return r;
}

void
ks_fim_rec_stat(struct ks_fim_rec *r, const struct stat *st)
{
	r->mode = st->st_mode;
	r->uid = st->st_uid;
	r->gid = st->st_gid;
	r->size = (uint64_t)st->st_size;
	r->dev = st->st_dev;
	r->ino = st->st_ino;
	r->nlink = st->st_nlink;
	r->rdev = st->st_rdev;
	r->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	r->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 +
	    st->st_ctim.tv_nsec;
}

void
ks_fim_rec_free(struct ks_fim_rec *r)
{
	if (r == NULL)
		return;
	ks_fim_rec_free(r->old);
	free(r->path);
	free(r->target);
	ks_xattrs_free(&r->x);
	free(r);
}

uint32_t
ks_fim_type_attrs(uint32_t mode)
{
	const uint32_t owner = KS_FIM_TYPE | KS_FIM_UID | KS_FIM_GID |
	    KS_FIM_XATTRS | KS_FIM_CAPS;

	switch (mode & S_IFMT) {
	case S_IFREG:
		return (KS_FIM_ALL | KS_FIM_GROWING) &
		    ~(KS_FIM_TARGET | KS_FIM_DEVICE);
	case S_IFDIR:
		return owner | KS_FIM_MODE | KS_FIM_INODE;
	case S_IFLNK:
		return owner | KS_FIM_TARGET;
	case S_IFCHR:
	case S_IFBLK:
		return owner | KS_FIM_MODE | KS_FIM_DEVICE | KS_FIM_INODE |
		    KS_FIM_MTIME;
	default:
		return owner | KS_FIM_MODE;
	}
}

bool
ks_fim_needs_read(const struct ks_fim_rec *r)
{
	return S_ISREG(r->mode) && (r->attrs & (KS_FIM_SHA256 |
	    KS_FIM_GROWING | KS_FIM_XATTRS | KS_FIM_CAPS)) != 0;
}
