/*
 * hash.c - SHA-256 of the report's inputs, through OpenSSL's EVP layer
 * (which uses the CPU's SHA instructions where it has them).
 *
 * Evidence integrity is part of a report: the CSIRT can tell later that
 * the log it was sent is the one the report was made from.  Files named
 * in findings come from a possibly hostile host, so a file is hashed only
 * when it is a regular file reached without following a symlink, and a
 * FIFO cannot block the open.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_int.h"

static void
to_hex(const unsigned char *md, unsigned len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < len && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int
ks_sha256_init(struct ks_sha256 *h, struct ks_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	h->ctx = ctx;
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		h->ctx = NULL;
		return ks_err_set(err, "SHA-256: cannot set up the digest");
	}
	return 0;
}

void
ks_sha256_update(struct ks_sha256 *h, const void *p, size_t n)
{
	if (n > 0)
		EVP_DigestUpdate(h->ctx, p, n);
}

void
ks_sha256_final(struct ks_sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_DigestFinal_ex(h->ctx, md, &len);
	to_hex(md, len, hex);
	ks_sha256_abort(h);
}

void
ks_sha256_abort(struct ks_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void
ks_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	to_hex(md, len, hex);
}

int
ks_sha256_file(const char *path, char hex[65], struct ks_err *err)
{
	struct ks_sha256 h;
	struct stat st;
	char buf[65536];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return ks_err_set(err, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ks_err_set(err, "not a regular file");
	}
	if (ks_sha256_init(&h, err) < 0) {
		close(fd);
		return -1;
	}
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ks_err_set(err, "%s", strerror(errno));
			ks_sha256_abort(&h);
			close(fd);
			return -1;
		}
		ks_sha256_update(&h, buf, (size_t)got);
	}
	close(fd);
	ks_sha256_final(&h, hex);
	return 0;
}
