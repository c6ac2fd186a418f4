/*
 * xattr.c - a file's extended attributes, as a baseline records them.
 *
 * security.capability matters most (a copy of a shell with
 * cap_setuid=ep is a root shell that no set-user-ID search finds), so
 * it is kept as it is and shown as getcap(8) shows it.  Every other
 * attribute (ACLs, SELinux labels, user.*) is kept as its name and the
 * SHA-256 of its value: enough to say which one changed, and a record
 * stays small whatever an attacker stores in values of up to 64 KiB.
 *
 * A reader owns buffers of the kernel's maximum sizes (XATTR_LIST_MAX,
 * XATTR_SIZE_MAX), so that listing never has to ask for a size first
 * and race with a change; each hashing thread has its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include <openssl/evp.h>

#include "integrity/fim_int.h"

#define LIST_MAX 65536
#define VALUE_MAX 65536
#define CAP_NAME "security.capability"
#define DIGEST 32

struct ks_xreader {
	char list[LIST_MAX];
	unsigned char val[VALUE_MAX];
	const char *names[LIST_MAX / 2];
	struct ks_buf blob;
};

int
ks_xreader_new(struct ks_xreader **out, struct ks_err *err)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return ks_err_set(err, "out of memory");
	ks_buf_init(&(*out)->blob);
	return 0;
}

void
ks_xreader_free(struct ks_xreader *xr)
{
	if (xr == NULL)
		return;
	ks_buf_free(&xr->blob);
	free(xr);
}

void
ks_xattrs_free(struct ks_xattrs *x)
{
	free(x->blob);
	memset(x, 0, sizeof(*x));
}

int
ks_xattrs_copy(struct ks_xattrs *dst, const struct ks_xattrs *src)
{
	*dst = *src;
	dst->blob = NULL;
	if (src->nblob == 0)
		return 0;
	if ((dst->blob = malloc(src->nblob)) == NULL)
		return -1;
	memcpy(dst->blob, src->blob, src->nblob);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static ssize_t
get_value(int fd, const char *path, const char *name, void *buf, size_t n)
{
	return fd >= 0 ? fgetxattr(fd, name, buf, n) :
	    lgetxattr(path, name, buf, n);
}

/* One attribute into out; a value that vanished meanwhile is skipped. */
static int
add_value(struct ks_xreader *xr, int fd, const char *path, const char *name,
    struct ks_xattrs *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	ssize_t n = get_value(fd, path, name, xr->val, sizeof(xr->val));

	if (n < 0)
		return errno == ENODATA ? 0 : -1;
	if (strcmp(name, CAP_NAME) == 0) {
		out->ncaps = (size_t)n < KS_CAPS_MAX ? (size_t)n : KS_CAPS_MAX;
		memcpy(out->caps, xr->val, out->ncaps);
		return 0;
	}
	if (EVP_Digest(xr->val, (size_t)n, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != DIGEST) {
		errno = EIO;
		return -1;
	}
	ks_buf_add(&xr->blob, name, strlen(name) + 1);
	ks_buf_add(&xr->blob, md, DIGEST);
	return 0;
}

int
ks_xattrs_read(struct ks_xreader *xr, int fd, const char *path,
    struct ks_xattrs *out)
{
	ssize_t len = fd >= 0 ? flistxattr(fd, xr->list, sizeof(xr->list)) :
	    llistxattr(path, xr->list, sizeof(xr->list));
	size_t nnames = 0;

	memset(out, 0, sizeof(*out));
	if (len < 0)
		return errno == ENOTSUP || errno == ENODATA ? 0 : -1;
	if ((size_t)len == sizeof(xr->list))
		xr->list[len - 1] = '\0';
	for (size_t i = 0; i < (size_t)len; i += strlen(xr->list + i) + 1)
		if (xr->list[i] != '\0')
			xr->names[nnames++] = xr->list + i;
	if (nnames == 0)
		return 0;
	qsort(xr->names, nnames, sizeof(*xr->names), cmp_names);
	ks_buf_reset(&xr->blob);
	for (size_t i = 0; i < nnames; i++)
		if (add_value(xr, fd, path, xr->names[i], out) < 0)
			return -1;
	if (ks_buf_failed(&xr->blob)) {
		errno = ENOMEM;
		return -1;
	}
	if (xr->blob.len == 0)
		return 0;
	if ((out->blob = malloc(xr->blob.len)) == NULL)
		return -1;
	memcpy(out->blob, xr->blob.p, xr->blob.len);
	out->nblob = xr->blob.len;
	return 0;
}

/* The next (name, digest) of a blob; false at its end or a bad entry. */
static bool
blob_next(const unsigned char **p, const unsigned char *end,
    const char **name, const unsigned char **md)
{
	const unsigned char *nul;

	if (*p >= end || (nul = memchr(*p, '\0', (size_t)(end - *p))) == NULL ||
	    (size_t)(end - nul - 1) < DIGEST)
		return false;
	*name = (const char *)*p;
	*md = nul + 1;
	*p = nul + 1 + DIGEST;
	return true;
}

static void
diff_item(struct ks_buf *out, const char *name, const char *what)
{
	if (out->len > 0)
		ks_buf_adds(out, ", ");
	ks_buf_adds(out, name);
	ks_buf_addc(out, ' ');
	ks_buf_adds(out, what);
}

void
ks_xattrs_diff(struct ks_buf *out, const unsigned char *a, size_t na,
    const unsigned char *b, size_t nb)
{
	const unsigned char *pa = a, *pb = b, *mda = NULL, *mdb = NULL;
	const char *sa = NULL, *sb = NULL;
	bool ha = a != NULL && blob_next(&pa, a + na, &sa, &mda);
	bool hb = b != NULL && blob_next(&pb, b + nb, &sb, &mdb);
	int c;

	while (ha || hb) {
		c = !ha ? 1 : !hb ? -1 : strcmp(sa, sb);
		if (c < 0)
			diff_item(out, sa, "removed");
		else if (c > 0)
			diff_item(out, sb, "added");
		else if (memcmp(mda, mdb, DIGEST) != 0)
			diff_item(out, sa, "changed");
		if (c <= 0)
			ha = blob_next(&pa, a + na, &sa, &mda);
		if (c >= 0)
			hb = blob_next(&pb, b + nb, &sb, &mdb);
	}
}

static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",
	"kill", "setgid", "setuid", "setpcap", "linux_immutable",
	"net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
	"sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
	"audit_write", "audit_control", "setfcap", "mac_override",
	"mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
	"perfmon", "bpf", "checkpoint_restore",
};

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
cap_set(struct ks_buf *out, uint64_t set, const char *suffix)
{
	bool first = true;

	for (unsigned i = 0; i < 64; i++) {
		if (!(set & (uint64_t)1 << i))
			continue;
		ks_buf_adds(out, first ? "cap_" : ",cap_");
		if (i < sizeof(cap_names) / sizeof(*cap_names))
			ks_buf_adds(out, cap_names[i]);
		else
			ks_buf_addf(out, "%u", i);
		first = false;
	}
	ks_buf_adds(out, suffix);
}

void
ks_caps_text(struct ks_buf *out, const unsigned char *caps, size_t n)
{
	uint32_t magic, rev;
	uint64_t perm, inh;
	size_t want;

	if (n == 0) {
		ks_buf_adds(out, "none");
		return;
	}
	magic = n >= 4 ? le32(caps) : 0;
	rev = magic & 0xff000000u;
	want = rev == 0x01000000u ? 12 : rev == 0x02000000u ? 20 :
	    rev == 0x03000000u ? 24 : 0;
	if (want == 0 || n != want) {
		ks_buf_addf(out, "unknown format (%zu bytes)", n);
		return;
	}
	perm = le32(caps + 4);
	inh = le32(caps + 8);
	if (n >= 20) {
		perm |= (uint64_t)le32(caps + 12) << 32;
		inh |= (uint64_t)le32(caps + 16) << 32;
	}
	if (perm != 0)
		cap_set(out, perm, magic & 1 ? "=ep" : "=p");
	if (perm != 0 && inh != 0)
		ks_buf_addc(out, ' ');
	if (inh != 0)
		cap_set(out, inh, "=i");
	if (perm == 0 && inh == 0)
		ks_buf_adds(out, "empty");
	if (n == 24)
		ks_buf_addf(out, " (rootid %u)", le32(caps + 20));
}
