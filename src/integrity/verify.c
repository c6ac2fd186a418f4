/*
 * verify.c - the files compared with their baseline, as findings.
 *
 * The walk is the baseline's (same configuration, same paths), and each
 * file walked is looked up in the baseline as it comes: a record found
 * is marked seen and compared attribute by attribute, as far as the
 * baseline's group asked and the file's type allows; a file with no
 * record was added; the records never seen at the end were removed.
 * Every file is read again: a rootkit can put back mtime and size, only
 * the content's digest tells.
 *
 * The differences are given as rpm -Va gives them (S size, M mode or
 * type, 5 digest, D device, L link target, U user, G group, T mtime,
 * P capabilities; '.' when equal, '?' when the file could not be read)
 * and in words with the old and new values, in the finding's evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "frame/frame.h"
#include "integrity/fim_int.h"

#define ROOTS_MAX 256

struct vf {
	struct ks_fim_db *db;
	const struct ks_fim_opts *o;
	struct ks_findings *out;
	struct ks_fim_stats *st;
	struct ks_buf text, words;
};

static const char *
type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "symlink";
	case S_IFCHR: return "char";
	case S_IFBLK: return "block";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	default: return "unknown";
	}
}

/*
 * The attributes that differ, of those the baseline checks for this
 * type of file; *unknown when the digest could not be compared.
 */
static uint32_t
differences(const struct ks_fim_rec *o, const struct ks_fim_rec *r,
    bool *unknown)
{
	uint32_t check = o->attrs & ks_fim_type_attrs(o->mode), d = 0;

	*unknown = false;
	if ((o->mode & S_IFMT) != (r->mode & S_IFMT)) {
		d |= KS_FIM_TYPE;
		check &= ks_fim_type_attrs(r->mode);
	}
	if ((o->mode & 07777) != (r->mode & 07777))
		d |= KS_FIM_MODE;
	d |= (o->uid != r->uid ? KS_FIM_UID : 0) |
	    (o->gid != r->gid ? KS_FIM_GID : 0) |
	    (o->mtime_ns != r->mtime_ns ? KS_FIM_MTIME : 0) |
	    (o->ctime_ns != r->ctime_ns ? KS_FIM_CTIME : 0) |
	    (o->ino != r->ino ? KS_FIM_INODE : 0) |
	    (o->nlink != r->nlink ? KS_FIM_NLINK : 0) |
	    (o->rdev != r->rdev ? KS_FIM_DEVICE : 0);
	if (o->ntarget != r->ntarget || (o->ntarget > 0 &&
	    memcmp(o->target, r->target, o->ntarget) != 0))
		d |= KS_FIM_TARGET;
	if (o->x.nblob != r->x.nblob || (o->x.nblob > 0 &&
	    memcmp(o->x.blob, r->x.blob, o->x.nblob) != 0))
		d |= KS_FIM_XATTRS;
	if (o->x.ncaps != r->x.ncaps ||
	    memcmp(o->x.caps, r->x.caps, o->x.ncaps) != 0)
		d |= KS_FIM_CAPS;
	if (check & KS_FIM_GROWING)
		d |= r->size < o->size ? KS_FIM_SIZE : 0;
	else if (o->size != r->size)
		d |= KS_FIM_SIZE;
	if ((check & (KS_FIM_SHA256 | KS_FIM_GROWING)) && !(d & KS_FIM_TYPE)) {
		if ((o->flags | r->flags) & KS_REC_UNREAD || !o->has_sha ||
		    !r->has_sha || (d & KS_FIM_SIZE && check & KS_FIM_GROWING))
			*unknown = true;
		else if (memcmp(o->sha256, r->sha256, 32) != 0)
			d |= KS_FIM_SHA256;
	}
	return d & (check | KS_FIM_TYPE | KS_FIM_SHA256 |
	    (check & KS_FIM_GROWING ? KS_FIM_SIZE : 0));
}

/* rpm -Va's nine columns. */
static void
flags(char out[10], uint32_t d, bool unknown)
{
	static const struct {
		char c;
		uint32_t bits;
	} cols[9] = {
		{ 'S', KS_FIM_SIZE }, { 'M', KS_FIM_MODE | KS_FIM_TYPE },
		{ '5', KS_FIM_SHA256 }, { 'D', KS_FIM_DEVICE },
		{ 'L', KS_FIM_TARGET }, { 'U', KS_FIM_UID },
		{ 'G', KS_FIM_GID }, { 'T', KS_FIM_MTIME },
		{ 'P', KS_FIM_CAPS },
	};

	for (int i = 0; i < 9; i++)
		out[i] = d & cols[i].bits ? cols[i].c : '.';
	if (unknown)
		out[2] = '?';
	out[9] = '\0';
}

static void
time_ns(struct ks_buf *b, int64_t ns)
{
	ks_time_format(b, ns / 1000, 0);
}

/* "; what old -> new" for one attribute, into the evidence text. */
static void
describe(struct ks_buf *b, uint32_t bit, const struct ks_fim_rec *o,
    const struct ks_fim_rec *r, bool first)
{
	ks_buf_adds(b, first ? "  " : "; ");
	ks_buf_adds(b, ks_fim_attr_name(bit));
	ks_buf_addc(b, ' ');
	switch (bit) {
	case KS_FIM_TYPE:
		ks_buf_addf(b, "%s -> %s", type_name(o->mode),
		    type_name(r->mode));
		break;
	case KS_FIM_MODE:
		ks_buf_addf(b, "%04o -> %04o", o->mode & 07777, r->mode & 07777);
		break;
	case KS_FIM_UID:
		ks_buf_addf(b, "%u -> %u", o->uid, r->uid);
		break;
	case KS_FIM_GID:
		ks_buf_addf(b, "%u -> %u", o->gid, r->gid);
		break;
	case KS_FIM_SIZE:
	case KS_FIM_INODE:
	case KS_FIM_NLINK:
		ks_buf_addf(b, "%llu -> %llu", (unsigned long long)
		    (bit == KS_FIM_SIZE ? o->size : bit == KS_FIM_INODE ?
		    o->ino : o->nlink), (unsigned long long)
		    (bit == KS_FIM_SIZE ? r->size : bit == KS_FIM_INODE ?
		    r->ino : r->nlink));
		break;
	case KS_FIM_MTIME:
	case KS_FIM_CTIME:
		time_ns(b, bit == KS_FIM_MTIME ? o->mtime_ns : o->ctime_ns);
		ks_buf_adds(b, " -> ");
		time_ns(b, bit == KS_FIM_MTIME ? r->mtime_ns : r->ctime_ns);
		break;
	case KS_FIM_TARGET:
		ks_buf_add(b, o->target, o->ntarget);
		ks_buf_adds(b, " -> ");
		ks_buf_add(b, r->target, r->ntarget);
		break;
	case KS_FIM_DEVICE:
		ks_buf_addf(b, "%u:%u -> %u:%u", major(o->rdev), minor(o->rdev),
		    major(r->rdev), minor(r->rdev));
		break;
	case KS_FIM_XATTRS: {
		struct ks_buf d;

		ks_buf_init(&d);
		ks_xattrs_diff(&d, o->x.blob, o->x.nblob, r->x.blob,
		    r->x.nblob);
		ks_buf_add(b, d.p, d.len);
		ks_buf_free(&d);
		break;
	}
	case KS_FIM_CAPS:
		ks_caps_text(b, o->x.caps, o->x.ncaps);
		ks_buf_adds(b, " -> ");
		ks_caps_text(b, r->x.caps, r->x.ncaps);
		break;
	case KS_FIM_SHA256:
		if (o->attrs & KS_FIM_GROWING) {
			ks_buf_adds(b, "of the first bytes (the file's size at "
			    "the baseline) changed");
			break;
		}
		ks_hex(b, o->sha256, 32);
		ks_buf_adds(b, " -> ");
		ks_hex(b, r->sha256, 32);
		break;
	}
}

/* file.* attributes of the file as it is now (or was, if removed). */
static bool
file_attrs(struct ks_finding *fd, const struct ks_fim_rec *r)
{
	struct ks_buf b;
	bool ok;

	ok = ks_finding_attr(fd, "file.type", type_name(r->mode), false) &&
	    ks_fim_attrf(fd, "file.mode", false, "%04o", r->mode & 07777) &&
	    ks_fim_attrf(fd, "file.uid", false, "%u", r->uid) &&
	    ks_fim_attrf(fd, "file.gid", false, "%u", r->gid) &&
	    ks_fim_attrf(fd, "file.inode", false, "%llu",
	    (unsigned long long)r->ino);
	if (ok && S_ISREG(r->mode))
		ok = ks_fim_attrf(fd, "file.size", true, "%llu",
		    (unsigned long long)r->size);
	if (ok && r->target != NULL)
		ok = ks_finding_attr(fd, "file.target_path", r->target, false);
	ks_buf_init(&b);
	time_ns(&b, r->mtime_ns);
	ks_buf_addc(&b, '\0');
	if (r->has_sha) {
		ks_hex(&b, r->sha256, 32);
		ks_buf_addc(&b, '\0');
	}
	ok = ok && !ks_buf_failed(&b) &&
	    ks_finding_attr(fd, "file.mtime", b.p, false) &&
	    (!r->has_sha || ks_finding_attr(fd, "file.hash.sha256",
	    b.p + strlen(b.p) + 1, false));
	ks_buf_free(&b);
	return ok;
}

static bool
gains_privilege(const struct ks_fim_rec *o, const struct ks_fim_rec *r)
{
	uint32_t old_bits = o != NULL && S_ISREG(o->mode) ? o->mode : 0;

	if (!S_ISREG(r->mode))
		return false;
	if (r->mode & ~old_bits & (S_ISUID | S_ISGID))
		return true;
	return r->x.ncaps > 0 && (o == NULL || o->x.ncaps != r->x.ncaps ||
	    memcmp(o->x.caps, r->x.caps, r->x.ncaps) != 0);
}

static int
add(struct vf *v, enum ks_fim_check c, const struct ks_fim_rec *r,
    int64_t ts_us, const char *changes, const char *fl, struct ks_err *err)
{
	struct ks_finding *fd = ks_fim_finding(c, v->o->host, r->path, ts_us,
	    v->text.p, v->text.len);

	if (fd == NULL || !file_attrs(fd, r) ||
	    (changes != NULL && !ks_finding_attr(fd, "verify.changes",
	    changes, false)) ||
	    (fl != NULL && !ks_finding_attr(fd, "verify.flags", fl, false)) ||
	    !ks_findings_add(v->out, fd)) {
		ks_finding_free(fd);
		return ks_err_set(err, "out of memory");
	}
	return 0;
}

static void
unread_reason(struct ks_buf *b, const struct ks_fim_rec *r)
{
	switch (r->job.res) {
	case KS_JOB_NOT_REGULAR:
	case KS_JOB_RACE:
		ks_buf_adds(b, "replaced while being read");
		break;
	case KS_JOB_ERROR:
		ks_buf_adds(b, strerror(r->job.err));
		break;
	default:
		ks_buf_adds(b, "not read");
		break;
	}
}

static int
changed(struct vf *v, const struct ks_fim_rec *o, const struct ks_fim_rec *r,
    struct ks_err *err)
{
	bool unknown, sys = ks_fim_system_path(r->path, r->plen);
	uint32_t d = differences(o, r, &unknown);
	enum ks_fim_check c;
	char fl[10];

	unknown |= (r->flags & KS_REC_UNREAD) != 0;
	if (d == 0 && !unknown)
		return 0;
	ks_buf_reset(&v->text);
	ks_buf_reset(&v->words);
	flags(fl, d, unknown);
	ks_buf_adds(&v->text, fl);
	for (uint32_t bit = 1; bit < KS_FIM_GROWING; bit <<= 1) {
		if (!(d & bit))
			continue;
		describe(&v->text, bit, o, r, v->words.len == 0);
		if (v->words.len > 0)
			ks_buf_addc(&v->words, ',');
		ks_buf_adds(&v->words, ks_fim_attr_name(bit));
	}
	if (unknown) {
		ks_buf_adds(&v->text, d != 0 ? "; content not compared: " :
		    "  content not compared: ");
		unread_reason(&v->text, r);
	}
	ks_buf_addc(&v->words, '\0');
	if (ks_buf_failed(&v->text) || ks_buf_failed(&v->words))
		return ks_err_set(err, "out of memory");
	if (d == 0) {
		v->st->errors++;
		c = KS_CHK_UNREADABLE;
	} else {
		v->st->changed++;
		c = gains_privilege(o, r) ? KS_CHK_PRIVILEGE :
		    sys ? KS_CHK_CHANGED_SYSTEM : KS_CHK_CHANGED;
	}
	return add(v, c, r, r->ctime_ns / 1000, d ? v->words.p : NULL, fl, err);
}

static int
added(struct vf *v, const struct ks_fim_rec *r, struct ks_err *err)
{
	bool sys = ks_fim_system_path(r->path, r->plen);

	v->st->added++;
	ks_buf_reset(&v->text);
	ks_buf_addf(&v->text, "added: %s %04o %u:%u", type_name(r->mode),
	    r->mode & 07777, r->uid, r->gid);
	if (S_ISREG(r->mode))
		ks_buf_addf(&v->text, ", %llu bytes",
		    (unsigned long long)r->size);
	if (r->target != NULL) {
		ks_buf_adds(&v->text, " -> ");
		ks_buf_add(&v->text, r->target, r->ntarget);
	}
	if (r->x.ncaps > 0) {
		ks_buf_adds(&v->text, ", caps ");
		ks_caps_text(&v->text, r->x.caps, r->x.ncaps);
	}
	if (ks_buf_failed(&v->text))
		return ks_err_set(err, "out of memory");
	return add(v, gains_privilege(NULL, r) ? KS_CHK_PRIVILEGE :
	    sys ? KS_CHK_ADDED_SYSTEM : KS_CHK_ADDED, r, r->ctime_ns / 1000,
	    "added", NULL, err);
}

static int
vf_prepare(void *ctx, struct ks_fim_rec *r, struct ks_err *err)
{
	struct vf *v = ctx;
	struct ks_fim_rec *o;

	if (ks_fim_db_lookup(v->db, r->path, r->plen, &o, err) < 0)
		return -1;
	if ((r->old = o) != NULL)
		ks_fim_db_seen(v->db, o->id);
	if (!ks_fim_needs_read(r))
		return 0;
	if (o != NULL && (o->attrs & KS_FIM_GROWING) && S_ISREG(o->mode))
		r->job.limit = o->size;
	return 1;
}

static int
vf_consume(void *ctx, struct ks_fim_rec *r, struct ks_err *err)
{
	struct vf *v = ctx;
	int rc;

	rc = r->old != NULL ? changed(v, r->old, r, err) : added(v, r, err);
	ks_fim_rec_free(r);
	return rc;
}

static int
vf_removed(void *ctx, struct ks_fim_rec *o, struct ks_err *err)
{
	struct vf *v = ctx;
	bool sys = ks_fim_system_path(o->path, o->plen);
	int rc;

	v->st->removed++;
	ks_buf_reset(&v->text);
	ks_buf_addf(&v->text, "missing: %s %04o %u:%u", type_name(o->mode),
	    o->mode & 07777, o->uid, o->gid);
	if (ks_buf_failed(&v->text))
		rc = ks_err_set(err, "out of memory");
	else
		rc = add(v, sys ? KS_CHK_REMOVED_SYSTEM : KS_CHK_REMOVED, o,
		    v->o->now_us, "removed", "missing", err);
	ks_fim_rec_free(o);
	return rc;
}

int
ks_fim_verify(struct ks_fim_db *db, const struct ks_fim_opts *o,
    struct ks_findings *out, struct ks_fim_stats *stats, struct ks_err *err)
{
	struct ks_fim_opts copy = *o;
	struct vf v = { .db = db, .o = &copy, .out = out, .st = stats };
	const struct ks_fim_config *cfg = ks_fim_db_config(db);
	const char *roots[ROOTS_MAX];
	const char *const *walk;
	size_t nroots = ks_fim_db_paths(db, &walk);
	int rootfd, rc;

	memset(stats, 0, sizeof(*stats));
	if (nroots == 0) {
		nroots = ks_fim_config_roots(cfg, roots, ROOTS_MAX);
		walk = roots;
	}
	if (ks_root_open(o->root, &rootfd, err) < 0)
		return -1;
	ks_buf_init(&v.text);
	ks_buf_init(&v.words);
	copy.cross_mounts = o->cross_mounts || ks_fim_db_cross_mounts(db);
	rc = ks_fim_walk(&copy, cfg, walk, nroots, rootfd,
	    &(struct ks_fim_walk_ops){ vf_prepare, vf_consume, &v }, stats,
	    err);
	close(rootfd);
	if (rc == 0)
		rc = ks_fim_db_unseen(db, vf_removed, &v, err);
	ks_buf_free(&v.text);
	ks_buf_free(&v.words);
	ks_fim_findings_sort(out);
	return rc;
}

int
ks_fim_verify_path(const char *db_path, const struct ks_fim_trust *trust,
    const struct ks_fim_opts *opts, struct ks_findings *out,
    struct ks_fim_stats *stats, struct ks_fim_db_info *info,
    struct ks_err *err)
{
	struct ks_fim_db *db;
	struct ks_fim_db_info own;
	struct ks_fim_opts o = *opts;
	struct timespec ts;
	int rc;

	if (info == NULL)
		info = &own;
	memset(stats, 0, sizeof(*stats));
	if (ks_fim_db_open(&db, db_path, trust, info, err) < 0)
		return -1;
	if (o.now_us == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		o.now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	if (o.host == NULL)
		o.host = info->host != NULL ? info->host : "";
	rc = ks_fim_verify(db, &o, out, stats, err);
	ks_fim_db_close(db);
	if (info == &own)
		ks_fim_db_info_free(&own);
	return rc;
}
