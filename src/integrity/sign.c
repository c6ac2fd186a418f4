/*
 * sign.c - Ed25519 keys and detached signatures of baselines (libsodium).
 *
 * A baseline on the host it describes is only as good as the trust in
 * it: an intruder who replaced /bin/ls could re-make the baseline too.
 * So the baseline is signed with a secret key that lives off the host
 * (brought on removable media for `baseline`, or the baseline is made on
 * a trusted copy), and verify checks the signature with the public key
 * before it believes a single record.
 *
 * The signature is Ed25519ph (libsodium's multi-part crypto_sign_*:
 * SHA-512 of the message, then Ed25519), over a fixed domain line and
 * the file's bytes, so a baseline of any size is signed without holding
 * it twice, and a kansatsu signature cannot be replayed as any other
 * kind.  Key and signature files are two or three short text lines: a
 * header naming what they are, for the signature the key's id (eight
 * bytes of BLAKE2b of the public key, in hex, so that "signed with
 * another key" can be told from "altered"), and the key or signature in
 * base64.  The secret key file is created with mode 0600 and never
 * overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "integrity/fim_int.h"

#define SECRET_HDR "kansatsu-ed25519-secret-key"
#define PUBLIC_HDR "kansatsu-ed25519-public-key"
#define SIG_HDR "kansatsu-ed25519-signature"
#define DOMAIN "kansatsu baseline signature v1\n"
#define ID_LEN 8
#define SMALL_MAX 4096

static int
init(struct ks_err *err)
{
	if (sodium_init() < 0)
		return ks_err_set(err, "libsodium cannot start");
	return 0;
}

int
ks_sig_path(const char *path, char *out, size_t size, struct ks_err *err)
{
	if ((size_t)snprintf(out, size, "%s.sig", path) >= size)
		return ks_err_set(err, "%s: path too long", path);
	return 0;
}

static void
key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
    char hex[2 * ID_LEN + 1])
{
	unsigned char id[ID_LEN];

	crypto_generichash(id, sizeof(id), pk, crypto_sign_PUBLICKEYBYTES,
	    NULL, 0);
	sodium_bin2hex(hex, 2 * ID_LEN + 1, id, sizeof(id));
}

/* A small text file, NUL-terminated; -1 with errno and err set. */
static int
read_small(const char *path, char *buf, size_t size, struct ks_err *err)
{
	struct ks_buf b;
	int rc, e;

	ks_buf_init(&b);
	if ((rc = ks_read_file(path, size - 1, &b, err)) == 0) {
		if (b.len > 0)
			memcpy(buf, b.p, b.len);
		buf[b.len] = '\0';
		sodium_memzero(b.p, b.len);
	}
	e = errno;
	ks_buf_free(&b);
	errno = e;
	return rc;
}

/* The next line of *p (cut at '\n'), or NULL. */
static char *
next_line(char **p)
{
	char *line = *p, *nl;

	if (line == NULL || *line == '\0')
		return NULL;
	if ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

static bool
b64_exact(const char *s, unsigned char *out, size_t n)
{
	size_t len = 0;

	return s != NULL && sodium_base642bin(out, n, s, strlen(s), NULL, &len,
	    NULL, sodium_base64_VARIANT_ORIGINAL) == 0 && len == n;
}

/* A key file: its header line, then the key in base64. */
static int
read_key(const char *path, const char *hdr, unsigned char *key, size_t n,
    struct ks_err *err)
{
	char buf[SMALL_MAX], *p = buf, *line;

	if (read_small(path, buf, sizeof(buf), err) < 0)
		return -1;
	line = next_line(&p);
	if (line == NULL || strcmp(line, hdr) != 0 ||
	    !b64_exact(next_line(&p), key, n)) {
		sodium_memzero(buf, sizeof(buf));
		return ks_err_set(err, "%s: not a %s file", path, hdr);
	}
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

static int
write_new(const char *path, mode_t mode, const char *text, struct ks_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	size_t n = strlen(text), done = 0;
	ssize_t r;

	if (fd < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	while (done < n) {
		if ((r = write(fd, text + done, n - done)) < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ks_err_set(err, "%s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t)r;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		unlink(path);
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	}
	return 0;
}

/* "HEADER\nBASE64\n" into out. */
static void
key_text(char *out, size_t size, const char *hdr, const unsigned char *key,
    size_t n)
{
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES,
	    sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof(b64), key, n,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, size, "%s\n%s\n", hdr, b64);
	sodium_memzero(b64, sizeof(b64));
}

int
ks_sig_keygen(const char *secret_path, const char *public_path,
    struct ks_err *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char text[256];
	int rc;

	if (init(err) < 0)
		return -1;
	crypto_sign_keypair(pk, sk);
	key_text(text, sizeof(text), SECRET_HDR, sk, sizeof(sk));
	sodium_memzero(sk, sizeof(sk));
	rc = write_new(secret_path, 0600, text, err);
	sodium_memzero(text, sizeof(text));
	if (rc < 0)
		return -1;
	key_text(text, sizeof(text), PUBLIC_HDR, pk, sizeof(pk));
	if (write_new(public_path, 0644, text, err) < 0) {
		unlink(secret_path);
		return -1;
	}
	return 0;
}

/* Feeds the domain line and the file at path into st. */
static int
hash_file(crypto_sign_state *st, const char *path, struct ks_err *err)
{
	unsigned char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	crypto_sign_init(st);
	crypto_sign_update(st, (const unsigned char *)DOMAIN, strlen(DOMAIN));
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ks_err_set(err, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		crypto_sign_update(st, buf, (size_t)r);
	}
	close(fd);
	return 0;
}

int
ks_sig_sign_file(const char *path, const char *sig_path,
    const char *secret_path, struct ks_err *err)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sig[crypto_sign_BYTES];
	char id[2 * ID_LEN + 1], b64[128], text[256], tmp[4096];
	crypto_sign_state st;
	int rc;

	if (init(err) < 0 ||
	    read_key(secret_path, SECRET_HDR, sk, sizeof(sk), err) < 0)
		return -1;
	if (hash_file(&st, path, err) < 0) {
		sodium_memzero(sk, sizeof(sk));
		return -1;
	}
	crypto_sign_final_create(&st, sig, NULL, sk);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	key_id(pk, id);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "%s\nkey %s\n%s\n", SIG_HDR, id, b64);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", sig_path) >=
	    sizeof(tmp))
		return ks_err_set(err, "%s: path too long", sig_path);
	unlink(tmp);
	if (write_new(tmp, 0644, text, err) < 0)
		return -1;
	if ((rc = rename(tmp, sig_path)) < 0) {
		ks_err_set(err, "%s: %s", sig_path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

/* The public key: from public_path, or derived from the secret key. */
static int
load_public(const char *public_path, const char *secret_path,
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], struct ks_err *err)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];

	if (public_path != NULL)
		return read_key(public_path, PUBLIC_HDR, pk,
		    crypto_sign_PUBLICKEYBYTES, err);
	if (read_key(secret_path, SECRET_HDR, sk, sizeof(sk), err) < 0)
		return -1;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	return 0;
}

/* Reads the signature file: false when it is malformed. */
static bool
parse_sig(char *text, char id[2 * ID_LEN + 1],
    unsigned char sig[crypto_sign_BYTES])
{
	char *p = text, *line = next_line(&p);

	if (line == NULL || strcmp(line, SIG_HDR) != 0 ||
	    (line = next_line(&p)) == NULL || strncmp(line, "key ", 4) != 0 ||
	    strlen(line + 4) != 2 * ID_LEN)
		return false;
	memcpy(id, line + 4, 2 * ID_LEN + 1);
	return b64_exact(next_line(&p), sig, crypto_sign_BYTES);
}

int
ks_sig_check(const void *content, size_t n, const char *path,
    const char *public_path, const char *secret_path,
    enum ks_sig_state *state, struct ks_err *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	char sig_path[4096], text[SMALL_MAX], id[2 * ID_LEN + 1];
	char want[2 * ID_LEN + 1];
	crypto_sign_state st;

	*state = KS_SIG_BAD;
	if (init(err) < 0 || ks_sig_path(path, sig_path, sizeof(sig_path),
	    err) < 0)
		return -1;
	if (read_small(sig_path, text, sizeof(text), err) < 0) {
		if (errno != ENOENT)
			return -1;
		*state = KS_SIG_UNSIGNED;
		ks_err_set(err, "%s is not signed (no %s)", path, sig_path);
		return 0;
	}
	if (!parse_sig(text, id, sig)) {
		ks_err_set(err, "%s: not a signature file: the baseline cannot "
		    "be trusted", sig_path);
		return 0;
	}
	if (public_path == NULL && secret_path == NULL) {
		*state = KS_SIG_NO_KEY;
		ks_err_set(err, "%s is signed with key %s, but no public key was "
		    "given to check it (--pubkey)", path, id);
		return 0;
	}
	if (load_public(public_path, secret_path, pk, err) < 0)
		return -1;
	key_id(pk, want);
	if (strcmp(id, want) != 0) {
		ks_err_set(err, "%s is signed with key %s, not with the key "
		    "given (%s)", path, id, want);
		return 0;
	}
	crypto_sign_init(&st);
	crypto_sign_update(&st, (const unsigned char *)DOMAIN, strlen(DOMAIN));
	crypto_sign_update(&st, content, n);
	if (crypto_sign_final_verify(&st, sig, pk) != 0) {
		ks_err_set(err, "%s does not match its signature: it was altered "
		    "after it was signed", path);
		return 0;
	}
	*state = KS_SIG_GOOD;
	return 0;
}
