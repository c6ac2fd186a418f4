/*
 * deb.c - reading a .deb with libarchive, without dpkg-deb.
 *
 * A .deb is an ar archive of three members: debian-binary, control.tar.*
 * (the control file and the conffiles list) and data.tar.* (the files,
 * compressed with xz, zstd, gzip or none).  The inner tar archives are
 * read straight from the outer one through a read callback, so a
 * package of any size is streamed once; each regular member is hashed
 * with SHA-256 (to compare with the installed file) and MD5 (to compare
 * with what dpkg's md5sums file on the disk claims), in one pass.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "integrity/dpkg.h"

#define CONTROL_MAX (4u << 20)

struct inner {
	struct archive *outer;
	char buf[65536];
};

struct deb {
	const struct ks_deb_ops *ops;
	struct ks_buf control, conffiles, path;
	EVP_MD_CTX *sha, *md5;
	unsigned char data[65536];
	struct ks_err *err;
};

static const char *
aerr(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL ? s : "unreadable archive";
}

static la_ssize_t
inner_read(struct archive *a, void *ctx, const void **buf)
{
	struct inner *in = ctx;

	(void)a;
	*buf = in->buf;
	return archive_read_data(in->outer, in->buf, sizeof(in->buf));
}

/* Opens the tar archive that is the current member of outer. */
static struct archive *
inner_open(struct inner *in, struct archive *outer)
{
	struct archive *a = archive_read_new();

	in->outer = outer;
	if (a == NULL)
		return NULL;
	if (archive_read_support_filter_all(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open(a, in, NULL, inner_read, NULL) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* A member's name without "./", as an absolute path into d->path. */
static bool
member_path(struct deb *d, const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	ks_buf_reset(&d->path);
	ks_buf_addc(&d->path, '/');
	ks_buf_adds(&d->path, name);
	while (d->path.len > 1 && d->path.p[d->path.len - 1] == '/')
		d->path.len--;
	ks_buf_addc(&d->path, '\0');
	return !ks_buf_failed(&d->path);
}

static int
read_small(struct deb *d, struct archive *a, struct ks_buf *out)
{
	la_ssize_t r;

	ks_buf_reset(out);
	while ((r = archive_read_data(a, d->data, sizeof(d->data))) > 0) {
		if (out->len + (size_t)r > CONTROL_MAX)
			return ks_err_set(d->err, "control file too large");
		ks_buf_add(out, d->data, (size_t)r);
	}
	if (r < 0)
		return ks_err_set(d->err, "control archive: %s", aerr(a));
	return ks_buf_failed(out) ? ks_err_set(d->err, "out of memory") : 0;
}

/* A member of the control archive: the control and conffiles files. */
static int
control_member(struct deb *d, struct archive *a, struct archive_entry *e)
{
	if (!member_path(d, archive_entry_pathname(e)))
		return ks_err_set(d->err, "out of memory");
	if (strcmp(d->path.p, "/control") == 0)
		return read_small(d, a, &d->control);
	if (strcmp(d->path.p, "/conffiles") == 0)
		return read_small(d, a, &d->conffiles);
	return 0;
}

static int
add_conffile(void *ctx, const char *path, size_t n)
{
	struct ks_deb_control *c = ctx;
	char **v = realloc(c->conffiles, (c->nconffiles + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	c->conffiles = v;
	if ((v[c->nconffiles] = malloc(n + 1)) == NULL)
		return -1;
	memcpy(v[c->nconffiles], path, n);
	v[c->nconffiles++][n] = '\0';
	return 0;
}

/* The control part read: tells the caller; 1 when it wants the files. */
static int
announce(struct deb *d)
{
	struct ks_dpkg_status st;
	struct ks_deb_control c = { 0 };
	int rc;

	if (ks_dpkg_status_parse(&st, d->control.p != NULL ? d->control.p : "",
	    d->control.len, d->err) < 0)
		return -1;
	if (st.n != 1) {
		ks_dpkg_status_free(&st);
		return ks_err_set(d->err, "no control file with a Package "
		    "field");
	}
	c.pkg = &st.v[0];
	c.unparsed = st.unparsed;
	if (ks_dpkg_conffiles_parse(d->conffiles.p != NULL ? d->conffiles.p :
	    "", d->conffiles.len, add_conffile, &c, &c.unparsed) < 0)
		rc = ks_err_set(d->err, "out of memory");
	else
		rc = d->ops->control(d->ops->ctx, &c, d->err);
	for (size_t i = 0; i < c.nconffiles; i++)
		free(c.conffiles[i]);
	free(c.conffiles);
	ks_dpkg_status_free(&st);
	return rc;
}

/* A regular member's content through SHA-256 and MD5. */
static int
hash_member(struct deb *d, struct archive *a, struct ks_deb_member *m)
{
	unsigned len = 0;
	la_ssize_t r;

	if (EVP_DigestInit_ex2(d->sha, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestInit_ex2(d->md5, EVP_md5(), NULL) != 1)
		return ks_err_set(d->err, "OpenSSL cannot hash");
	while ((r = archive_read_data(a, d->data, sizeof(d->data))) > 0)
		if (EVP_DigestUpdate(d->sha, d->data, (size_t)r) != 1 ||
		    EVP_DigestUpdate(d->md5, d->data, (size_t)r) != 1)
			return ks_err_set(d->err, "OpenSSL cannot hash");
	if (r < 0)
		return ks_err_set(d->err, "%s: %s", m->path, aerr(a));
	if (EVP_DigestFinal_ex(d->sha, m->sha256, &len) != 1 ||
	    EVP_DigestFinal_ex(d->md5, m->md5, &len) != 1)
		return ks_err_set(d->err, "OpenSSL cannot hash");
	return 0;
}

static int
data_member(struct deb *d, struct archive *a, struct archive_entry *e)
{
	struct ks_deb_member m = { 0 };
	struct ks_buf hl;
	const char *link = archive_entry_hardlink(e);
	int rc = 0;

	m.mode = (uint32_t)archive_entry_mode(e);
	if (S_ISDIR(m.mode))
		return 0;
	ks_buf_init(&hl);
	if (link != NULL) {
		if (!member_path(d, link))
			return ks_err_set(d->err, "out of memory");
		ks_buf_adds(&hl, d->path.p);
		ks_buf_addc(&hl, '\0');
		if (ks_buf_failed(&hl)) {
			ks_buf_free(&hl);
			return ks_err_set(d->err, "out of memory");
		}
		m.hardlink = hl.p;
		m.mode = S_IFREG | (m.mode & 07777);
	}
	if (!member_path(d, archive_entry_pathname(e))) {
		ks_buf_free(&hl);
		return ks_err_set(d->err, "out of memory");
	}
	m.path = d->path.p;
	m.n = d->path.len - 1;
	m.size = (uint64_t)archive_entry_size(e);
	if (S_ISLNK(m.mode))
		m.link = archive_entry_symlink(e);
	else if (S_ISREG(m.mode) && link == NULL)
		rc = hash_member(d, a, &m);
	if (rc == 0)
		rc = d->ops->member(d->ops->ctx, &m, d->err);
	ks_buf_free(&hl);
	return rc;
}

/* Calls fn for every member of the tar archive that is outer's member. */
static int
each_member(struct deb *d, struct archive *outer, const char *what,
    int (*fn)(struct deb *, struct archive *, struct archive_entry *))
{
	struct inner in;
	struct archive *a = inner_open(&in, outer);
	struct archive_entry *e;
	int rc = 0, r;

	if (a == NULL)
		return ks_err_set(d->err, "%s archive: cannot read it", what);
	while (rc == 0 && (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			rc = ks_err_set(d->err, "%s archive: %s", what, aerr(a));
		else
			rc = fn(d, a, e);
	}
	archive_read_free(a);
	return rc;
}

/* Walks the ar members: control first, then (if wanted) data. */
static int
walk_ar(struct deb *d, struct archive *ar)
{
	struct archive_entry *e;
	bool have_control = false;
	const char *name;
	int r;

	while ((r = archive_read_next_header(ar, &e)) != ARCHIVE_EOF) {
		if (r != ARCHIVE_OK)
			return ks_err_set(d->err, "%s", aerr(ar));
		if ((name = archive_entry_pathname(e)) == NULL)
			continue;
		if (strncmp(name, "control.tar", 11) == 0) {
			if (each_member(d, ar, "control", control_member) < 0 ||
			    (r = announce(d)) < 0)
				return -1;
			if (r == 0)
				return 0;       /* its files are not wanted */
			have_control = true;
		} else if (strncmp(name, "data.tar", 8) == 0) {
			if (!have_control)
				return ks_err_set(d->err, "data before control");
			return each_member(d, ar, "data", data_member);
		}
	}
	return ks_err_set(d->err, "no %s archive in it", have_control ?
	    "data" : "control");
}

int
ks_deb_read(const char *path, const struct ks_deb_ops *ops,
    struct ks_err *err)
{
	struct deb d = { .ops = ops, .err = err };
	struct archive *ar = archive_read_new();
	int rc = -1;

	ks_buf_init(&d.control);
	ks_buf_init(&d.conffiles);
	ks_buf_init(&d.path);
	d.sha = EVP_MD_CTX_new();
	d.md5 = EVP_MD_CTX_new();
	if (ar == NULL || d.sha == NULL || d.md5 == NULL)
		ks_err_set(err, "out of memory");
	else if (archive_read_support_format_ar(ar) != ARCHIVE_OK ||
	    archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK)
		ks_err_set(err, "%s", aerr(ar));
	else
		rc = walk_ar(&d, ar);
	archive_read_free(ar);
	EVP_MD_CTX_free(d.sha);
	EVP_MD_CTX_free(d.md5);
	ks_buf_free(&d.control);
	ks_buf_free(&d.conffiles);
	ks_buf_free(&d.path);
	return rc;
}
