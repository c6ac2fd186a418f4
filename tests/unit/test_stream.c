/*
 * test_stream.c - ks_stream: detection by magic, decompression, and the
 * edges where a reader of hostile or damaged files goes wrong.
 *
 * The compressed inputs are made here with zlib, liblzma and libzstd, in
 * memory, and handed to the stream through a temporary file with a
 * misleading name or through a pipe, so that the tests need no external
 * tools and assert exact bytes.  The files in $KS_TESTDATA/compression
 * (made with the gzip, xz and zstd programs) are read as well when the
 * variable is set.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "input/input.h"

/* ---- byte blobs ---------------------------------------------------------- */

struct blob {
	unsigned char *p;
	size_t n;
	size_t cap;
};

static struct blob
blob_new(size_t cap)
{
	struct blob b;

	b.cap = cap > 0 ? cap : 1;
	b.p = malloc(b.cap);
	assert_non_null(b.p);
	b.n = 0;
	return b;
}

static void
blob_add(struct blob *b, const void *p, size_t n)
{
	unsigned char *q;
	size_t cap = b->cap;

	while (cap < b->n + n)
		cap *= 2;
	if (cap != b->cap) {
		q = realloc(b->p, cap);
		assert_non_null(q);
		b->p = q;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static struct blob
blob_str(const char *s)
{
	struct blob b = blob_new(0);

	blob_add(&b, s, strlen(s));
	return b;
}

static struct blob
blob_cat(struct blob a, struct blob b)
{
	struct blob c = blob_new(0);

	blob_add(&c, a.p, a.n);
	blob_add(&c, b.p, b.n);
	return c;
}

static void
blob_free(struct blob *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

/* Syslog-like text of n bytes, varied enough that it compresses poorly. */
static struct blob
text(size_t n, uint32_t seed)
{
	static const char *words[] = {
		"Jan 20 13:29:04 school sshd[548]: ", "Failed password for ",
		"ROOT ", "from 192.168.0.27 ", "port 62531", "\n",
		"Accepted publickey ", "invalid user ", "admin ", "guest ",
	};
	struct blob b = blob_new(n);
	uint32_t x = seed;
	char num[16];
	const char *w;
	size_t k;

	while (b.n < n) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) % 3 == 0) {
			snprintf(num, sizeof(num), "%u ", (x >> 8) & 0xffff);
			w = num;
		} else
			w = words[(x >> 16) % (sizeof(words) / sizeof(*words))];
		k = strlen(w);
		if (k > n - b.n)
			k = n - b.n;
		blob_add(&b, w, k);
	}
	return b;
}

/* ---- compressors, in memory ---------------------------------------------- */

static struct blob
gz(struct blob in)
{
	z_stream z;
	struct blob out;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	out = blob_new(deflateBound(&z, (uLong)in.n) + 64);
	z.next_in = in.p;
	z.avail_in = (uInt)in.n;
	z.next_out = out.p;
	z.avail_out = (uInt)(deflateBound(&z, (uLong)in.n) + 64);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	out.n = z.total_out;
	deflateEnd(&z);
	return out;
}

static struct blob
xz(struct blob in)
{
	size_t cap = lzma_stream_buffer_bound(in.n);
	struct blob out = blob_new(cap);

	assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
	    in.p, in.n, out.p, &out.n, cap), LZMA_OK);
	return out;
}

static struct blob
zst(struct blob in)
{
	size_t cap = ZSTD_compressBound(in.n);
	struct blob out = blob_new(cap);

	out.n = ZSTD_compress(out.p, cap, in.p, in.n, 3);
	assert_false(ZSTD_isError(out.n));
	return out;
}

/* ---- handing bytes to a stream --------------------------------------------- */

static char tmpdir[PATH_MAX];

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_stream.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* A writer child whose reader stopped early gets EPIPE, not killed. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

/* Writes b to a file called name in the temporary directory; an fd on it. */
static int
file_with(const char *name, struct blob b)
{
	char path[PATH_MAX + 64];
	size_t off = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	while (off < b.n) {
		r = write(fd, b.p + off, b.n - off);
		assert_true(r > 0);
		off += (size_t)r;
	}
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(unlink(path), 0);
	return fd;
}

static pid_t writer_pid = -1;

/*
 * The read end of a pipe fed by a child process.  With slow set, the
 * first bytes are written one at a time with pauses, so that the stream
 * sees its magic in several short reads.
 */
static int
pipe_with(struct blob b, int slow)
{
	size_t off = 0, k;
	ssize_t r;
	int p[2];

	assert_int_equal(pipe(p), 0);
	writer_pid = fork();
	assert_true(writer_pid >= 0);
	if (writer_pid == 0) {
		close(p[0]);
		while (off < b.n) {
			k = b.n - off;
			if (slow && off < 16) {
				k = 1;
				usleep(2000);
			}
			r = write(p[1], b.p + off, k);
			if (r <= 0)
				_exit(1);
			off += (size_t)r;
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void
pipe_reap(void)
{
	int status;

	if (writer_pid > 0) {
		assert_int_equal(waitpid(writer_pid, &status, 0), writer_pid);
		writer_pid = -1;
	}
}

static struct ks_stream *
open_fd(int fd, enum ks_comp want)
{
	struct ks_stream *s = NULL;
	struct ks_err err = { "" };

	if (ks_stream_open_fd(&s, fd, &err) != 0)
		fail_msg("ks_stream_open_fd: %s", err.msg);
	assert_non_null(s);
	assert_int_equal(ks_stream_comp(s), want);
	return s;
}

/*
 * Reads s to the end in reads of chunk bytes into out; returns the last
 * ks_stream_read result (0 at a clean end, -1 with err filled).
 */
static ssize_t
read_all(struct ks_stream *s, size_t chunk, struct blob *out,
    struct ks_err *err)
{
	unsigned char *buf = malloc(chunk);
	uint64_t pos, lastpos = 0;
	ssize_t r;

	assert_non_null(buf);
	*out = blob_new(0);
	for (;;) {
		r = ks_stream_read(s, buf, chunk, err);
		pos = ks_stream_raw_pos(s);
		assert_true(pos >= lastpos);
		lastpos = pos;
		if (r <= 0)
			break;
		assert_true((size_t)r <= chunk);
		blob_add(out, buf, (size_t)r);
	}
	free(buf);
	return r;
}

static void
assert_blob_equal(struct blob got, struct blob want)
{
	assert_int_equal(got.n, want.n);
	if (want.n > 0)
		assert_memory_equal(got.p, want.p, want.n);
}

/* Reads the whole stream and checks it ends cleanly with exactly want. */
static void
expect_stream(struct ks_stream *s, size_t chunk, struct blob want,
    uint64_t rawsize)
{
	struct ks_err err = { "" };
	struct blob got;
	char one;

	if (read_all(s, chunk, &got, &err) != 0)
		fail_msg("read failed: %s", err.msg);
	assert_blob_equal(got, want);
	assert_int_equal(ks_stream_raw_pos(s), rawsize);
	/* The end is sticky. */
	assert_int_equal(ks_stream_read(s, &one, 1, &err), 0);
	blob_free(&got);
}

/*
 * Reads the whole stream and checks that it yields a prefix of want (at
 * least min bytes of it), then -1 with the message msg (a prefix of the
 * message when prefix is set), and -1 again on the next read.
 */
static void
expect_error(struct ks_stream *s, size_t chunk, struct blob want,
    size_t min, const char *msg, int prefix)
{
	struct ks_err err = { "" }, err2 = { "" };
	struct blob got;
	char one;

	assert_int_equal(read_all(s, chunk, &got, &err), -1);
	assert_true(got.n <= want.n);
	assert_true(got.n >= min);
	if (got.n > 0)
		assert_memory_equal(got.p, want.p, got.n);
	if (prefix) {
		if (strncmp(err.msg, msg, strlen(msg)) != 0)
			fail_msg("message \"%s\" does not start \"%s\"",
			    err.msg, msg);
	} else
		assert_string_equal(err.msg, msg);
	assert_int_equal(ks_stream_read(s, &one, 1, &err2), -1);
	assert_string_equal(err2.msg, err.msg);
	blob_free(&got);
}

/* Reads b as a file called name and through a pipe, in several chunk sizes. */
static void
check_both(const char *name, struct blob b, enum ks_comp comp,
    struct blob want)
{
	static const size_t chunks[] = { 1, 7, 4096, 1 << 20 };
	struct ks_stream *s;
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(*chunks); i++) {
		s = open_fd(file_with(name, b), comp);
		expect_stream(s, chunks[i], want, b.n);
		ks_stream_close(s);

		s = open_fd(pipe_with(b, i == 0), comp);
		expect_stream(s, chunks[i], want, b.n);
		ks_stream_close(s);
		pipe_reap();
	}
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_comp_name(void **state)
{
	(void)state;
	assert_string_equal(ks_comp_name(KS_COMP_NONE), "plain");
	assert_string_equal(ks_comp_name(KS_COMP_GZIP), "gzip");
	assert_string_equal(ks_comp_name(KS_COMP_XZ), "xz");
	assert_string_equal(ks_comp_name(KS_COMP_ZSTD), "zstd");
}

static void
test_plain(void **state)
{
	struct blob t = text(100000, 1);

	(void)state;
	check_both("messages.gz", t, KS_COMP_NONE, t);
	blob_free(&t);
}

static void
test_gzip(void **state)
{
	struct blob t = text(100000, 2), c = gz(t);

	(void)state;
	check_both("messages.xz", c, KS_COMP_GZIP, t);
	blob_free(&t);
	blob_free(&c);
}

static void
test_xz(void **state)
{
	struct blob t = text(100000, 3), c = xz(t);

	(void)state;
	check_both("syslog.gz", c, KS_COMP_XZ, t);
	blob_free(&t);
	blob_free(&c);
}

static void
test_zstd(void **state)
{
	struct blob t = text(300000, 4), c = zst(t);

	(void)state;
	check_both("auth.log", c, KS_COMP_ZSTD, t);
	blob_free(&t);
	blob_free(&c);
}

/* Small inputs: everything arrives in the first read. */
static void
test_small(void **state)
{
	struct blob t = blob_str("Jan 20 13:29:04 school sshd[548]: x\n");
	struct blob c;

	(void)state;
	check_both("a.zst", t, KS_COMP_NONE, t);
	c = gz(t);
	check_both("a.txt", c, KS_COMP_GZIP, t);
	blob_free(&c);
	c = xz(t);
	check_both("a.txt", c, KS_COMP_XZ, t);
	blob_free(&c);
	c = zst(t);
	check_both("a.txt", c, KS_COMP_ZSTD, t);
	blob_free(&c);
	blob_free(&t);
}

/* Compressed empty data is an empty stream, not an error. */
static void
test_compressed_empty(void **state)
{
	struct blob e = blob_new(0), c;

	(void)state;
	c = gz(e);
	check_both("e", c, KS_COMP_GZIP, e);
	blob_free(&c);
	c = xz(e);
	check_both("e", c, KS_COMP_XZ, e);
	blob_free(&c);
	c = zst(e);
	check_both("e", c, KS_COMP_ZSTD, e);
	blob_free(&c);
	blob_free(&e);
}

static void
test_gzip_multi_member(void **state)
{
	struct blob a = text(70000, 5), b = text(3, 6), e = blob_new(0);
	struct blob d = text(300000, 7);
	struct blob ca = gz(a), cb = gz(b), ce = gz(e), cd = gz(d);
	struct blob t1 = blob_cat(a, b), t2 = blob_cat(t1, d);
	struct blob c1 = blob_cat(ca, cb), c2 = blob_cat(c1, ce);
	struct blob c3 = blob_cat(c2, cd);

	(void)state;
	/* a, b, an empty member, d */
	check_both("messages.1", c3, KS_COMP_GZIP, t2);
	blob_free(&a); blob_free(&b); blob_free(&e); blob_free(&d);
	blob_free(&ca); blob_free(&cb); blob_free(&ce); blob_free(&cd);
	blob_free(&t1); blob_free(&t2);
	blob_free(&c1); blob_free(&c2); blob_free(&c3);
}

static void
test_zstd_multi_frame(void **state)
{
	/* A skippable frame: magic 0x184D2A53, length 5, five bytes. */
	static const unsigned char skip[] = {
		0x53, 0x2a, 0x4d, 0x18, 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o',
	};
	struct blob a = text(200000, 8), b = text(10, 9), e = blob_new(0);
	struct blob ca = zst(a), cb = zst(b), ce = zst(e);
	struct blob sk = blob_new(0), t, c1, c2, c3;

	(void)state;
	blob_add(&sk, skip, sizeof(skip));
	t = blob_cat(a, b);
	c1 = blob_cat(ca, sk);
	c2 = blob_cat(c1, cb);
	c3 = blob_cat(c2, ce);
	/* a, a skippable frame, b, an empty frame */
	check_both("messages.gz", c3, KS_COMP_ZSTD, t);
	blob_free(&a); blob_free(&b); blob_free(&e);
	blob_free(&ca); blob_free(&cb); blob_free(&ce); blob_free(&sk);
	blob_free(&t); blob_free(&c1); blob_free(&c2); blob_free(&c3);
}

static void
test_xz_multi_stream(void **state)
{
	static const unsigned char pad[8] = { 0 };
	struct blob a = text(50000, 10), b = text(1000, 11);
	struct blob ca = xz(a), cb = xz(b), t = blob_cat(a, b);
	struct blob c = blob_new(0);

	(void)state;
	/* a, stream padding, b, stream padding */
	blob_add(&c, ca.p, ca.n);
	blob_add(&c, pad, 4);
	blob_add(&c, cb.p, cb.n);
	blob_add(&c, pad, 8);
	check_both("auth.log.gz", c, KS_COMP_XZ, t);
	blob_free(&a); blob_free(&b); blob_free(&ca); blob_free(&cb);
	blob_free(&t); blob_free(&c);
}

/* Truncated at several places: what can be decompressed, then -1. */
static void
check_truncated(struct blob t, struct blob c, enum ks_comp comp,
    const char *msg, size_t min_half, size_t min_last)
{
	size_t cuts[] = { 1, c.n / 4, c.n / 2, c.n - 1 };
	size_t i, min;
	struct ks_stream *s;
	struct blob part;

	for (i = 0; i < sizeof(cuts) / sizeof(*cuts); i++) {
		part = c;
		part.n = cuts[i] > 0 ? cuts[i] : 1;
		min = i == 2 ? min_half : i == 3 ? min_last : 0;
		if (part.n < 6 && comp == KS_COMP_XZ)
			continue;	/* no longer xz magic */
		if (part.n < 4 && comp == KS_COMP_ZSTD)
			continue;
		if (part.n < 2)
			continue;
		s = open_fd(file_with("cut", part), comp);
		expect_error(s, 4096, t, min, msg, 0);
		ks_stream_close(s);

		s = open_fd(pipe_with(part, 0), comp);
		expect_error(s, 1, t, min, msg, 0);
		ks_stream_close(s);
		pipe_reap();
	}
}

static void
test_gzip_truncated(void **state)
{
	struct blob t = text(200000, 12), c = gz(t);

	(void)state;
	/* Cut before the trailer's last byte: all the data, then the error. */
	check_truncated(t, c, KS_COMP_GZIP,
	    "gzip: unexpected end of compressed data", 1000, t.n);
	blob_free(&t);
	blob_free(&c);
}

static void
test_xz_truncated(void **state)
{
	struct blob t = text(200000, 13), c = xz(t);

	(void)state;
	/* The block's data precedes the index and footer. */
	check_truncated(t, c, KS_COMP_XZ,
	    "xz: unexpected end of compressed data", 1000, t.n);
	blob_free(&t);
	blob_free(&c);
}

static void
test_zstd_truncated(void **state)
{
	/* Several 128 KiB blocks, so that a cut leaves whole blocks. */
	struct blob t = text(600000, 14), c = zst(t);

	(void)state;
	check_truncated(t, c, KS_COMP_ZSTD,
	    "zstd: unexpected end of compressed data", 100000, 400000);
	blob_free(&t);
	blob_free(&c);
}

/* A second member cut inside its magic is a truncation, not garbage. */
static void
test_gzip_cut_in_second_magic(void **state)
{
	static const unsigned char half[] = { 0x1f };
	struct blob t = text(5000, 15), c = gz(t);
	struct ks_stream *s;

	(void)state;
	blob_add(&c, half, 1);
	s = open_fd(file_with("x", c), KS_COMP_GZIP);
	expect_error(s, 100, t, t.n,
	    "gzip: unexpected end of compressed data", 0);
	ks_stream_close(s);
	blob_free(&t);
	blob_free(&c);
}

static void
test_gzip_trailing_garbage(void **state)
{
	struct blob t = text(50000, 16), c = gz(t), c2, g;
	struct ks_stream *s;
	char msg[128];

	(void)state;
	g = blob_str("this is not gzip\n");
	c2 = blob_cat(c, g);
	snprintf(msg, sizeof(msg),
	    "gzip: trailing garbage after member at byte %zu", c.n);
	s = open_fd(file_with("g.log", c2), KS_COMP_GZIP);
	expect_error(s, 1, t, t.n, msg, 0);
	assert_int_equal(ks_stream_raw_pos(s), c.n);
	ks_stream_close(s);
	s = open_fd(pipe_with(c2, 0), KS_COMP_GZIP);
	expect_error(s, 65536, t, t.n, msg, 0);
	ks_stream_close(s);
	pipe_reap();
	blob_free(&t); blob_free(&c); blob_free(&c2); blob_free(&g);
}

/* Trailing zeros are garbage too: gzip(1) itself only warns about them. */
static void
test_gzip_trailing_zeros(void **state)
{
	static const unsigned char zeros[512] = { 0 };
	struct blob t = text(500, 17), c = gz(t);
	struct ks_stream *s;
	char msg[128];

	(void)state;
	snprintf(msg, sizeof(msg),
	    "gzip: trailing garbage after member at byte %zu", c.n);
	blob_add(&c, zeros, sizeof(zeros));
	s = open_fd(file_with("z", c), KS_COMP_GZIP);
	expect_error(s, 4096, t, t.n, msg, 0);
	ks_stream_close(s);
	blob_free(&t);
	blob_free(&c);
}

static void
test_zstd_trailing_garbage(void **state)
{
	struct blob t = text(50000, 18), c = zst(t), c2, g;
	struct ks_stream *s;
	char msg[128];

	(void)state;
	g = blob_str("GARBAGE");
	c2 = blob_cat(c, g);
	snprintf(msg, sizeof(msg),
	    "zstd: trailing garbage after frame at byte %zu", c.n);
	s = open_fd(file_with("g", c2), KS_COMP_ZSTD);
	expect_error(s, 3, t, t.n, msg, 0);
	ks_stream_close(s);
	blob_free(&t); blob_free(&c); blob_free(&c2); blob_free(&g);
}

static void
test_xz_trailing_garbage(void **state)
{
	static const unsigned char pad[8] = { 0 };
	static const struct {
		size_t npad;
		const char *tail;
		size_t at;	/* offset of the error after the stream */
	} cases[] = {
		{ 0, "GARBAGE!", 0 },
		{ 0, "a longer piece of garbage\n", 0 },
		{ 4, "GARBAGE!", 4 },	/* valid padding, then garbage */
		{ 3, "", 0 },		/* padding not a multiple of four */
		{ 5, "", 0 },
		{ 2, "\xfd" "7zXZ", 0 },
	};
	struct blob t = text(50000, 19), c = xz(t), c2;
	struct ks_stream *s;
	char msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		c2 = blob_cat(c, (struct blob){ NULL, 0, 0 });
		blob_add(&c2, pad, cases[i].npad);
		blob_add(&c2, cases[i].tail, strlen(cases[i].tail));
		snprintf(msg, sizeof(msg),
		    "xz: trailing garbage after stream at byte %zu",
		    c.n + cases[i].at);
		s = open_fd(file_with("g", c2), KS_COMP_XZ);
		expect_error(s, 4096, t, t.n, msg, 0);
		ks_stream_close(s);
		blob_free(&c2);
	}
	/* Valid padding, then the start of a stream cut short. */
	c2 = blob_cat(c, (struct blob){ NULL, 0, 0 });
	blob_add(&c2, pad, 4);
	blob_add(&c2, "\xfd" "7zX", 4);
	s = open_fd(file_with("g", c2), KS_COMP_XZ);
	expect_error(s, 4096, t, t.n, "xz: unexpected end of compressed data",
	    0);
	ks_stream_close(s);
	blob_free(&c2);
	blob_free(&t);
	blob_free(&c);
}

static void
test_gzip_corrupt(void **state)
{
	struct blob t = text(50000, 20), c = gz(t);
	struct ks_stream *s;
	struct ks_err err = { "" };
	struct blob got;
	size_t i;

	(void)state;
	for (i = c.n / 2; i < c.n / 2 + 64; i++)
		c.p[i] ^= 0x55;
	s = open_fd(file_with("c", c), KS_COMP_GZIP);
	assert_int_equal(read_all(s, 4096, &got, &err), -1);
	assert_true(strncmp(err.msg, "gzip: corrupt data near byte ",
	    strlen("gzip: corrupt data near byte ")) == 0);
	ks_stream_close(s);
	blob_free(&got);
	blob_free(&t);
	blob_free(&c);
}

static void
test_empty(void **state)
{
	struct blob e = blob_new(0);

	(void)state;
	check_both("empty.gz", e, KS_COMP_NONE, e);
	blob_free(&e);
}

static void
test_one_byte(void **state)
{
	struct blob b = blob_str("\x1f"), x = blob_str("x"), z = blob_str("\xfd");

	(void)state;
	check_both("one.gz", b, KS_COMP_NONE, b);
	check_both("one.xz", x, KS_COMP_NONE, x);
	check_both("one.xz", z, KS_COMP_NONE, z);
	blob_free(&b);
	blob_free(&x);
	blob_free(&z);
}

/* Exactly the magic: detected, then an unexpected end. */
static void
test_magic_only(void **state)
{
	static const struct {
		const char *magic;
		size_t n;
		enum ks_comp comp;
		const char *msg;
	} cases[] = {
		{ "\x1f\x8b", 2, KS_COMP_GZIP,
		    "gzip: unexpected end of compressed data" },
		{ "\xfd" "7zXZ\0", 6, KS_COMP_XZ,
		    "xz: unexpected end of compressed data" },
		{ "\x28\xb5\x2f\xfd", 4, KS_COMP_ZSTD,
		    "zstd: unexpected end of compressed data" },
	};
	struct ks_stream *s;
	struct blob b, none = blob_new(0);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		b = blob_new(0);
		blob_add(&b, cases[i].magic, cases[i].n);
		s = open_fd(file_with("m", b), cases[i].comp);
		expect_error(s, 4096, none, 0, cases[i].msg, 0);
		assert_int_equal(ks_stream_raw_pos(s), cases[i].n);
		ks_stream_close(s);
		s = open_fd(pipe_with(b, 1), cases[i].comp);
		expect_error(s, 1, none, 0, cases[i].msg, 0);
		ks_stream_close(s);
		pipe_reap();
		/* One byte short of the magic: plain text. */
		b.n--;
		check_both("m", b, KS_COMP_NONE, b);
		blob_free(&b);
	}
	blob_free(&none);
}

/* Decompression bombs are only long streams: read a piece at a time. */
static void
test_bomb(void **state)
{
	size_t n = 32u << 20, total = 0, i;
	struct blob z = blob_new(n), c[2];
	enum ks_comp comp[2] = { KS_COMP_GZIP, KS_COMP_ZSTD };
	struct ks_stream *s;
	struct ks_err err = { "" };
	unsigned char buf[4096];
	ssize_t r, k;

	(void)state;
	memset(z.p, 0, n);
	z.n = n;
	c[0] = gz(z);
	c[1] = zst(z);
	blob_free(&z);
	for (i = 0; i < 2; i++) {
		assert_true(c[i].n < n / 500);
		s = open_fd(file_with("bomb", c[i]), comp[i]);
		total = 0;
		while ((r = ks_stream_read(s, buf, sizeof(buf), &err)) > 0) {
			for (k = 0; k < r; k++)
				assert_int_equal(buf[k], 0);
			total += (size_t)r;
		}
		assert_int_equal(r, 0);
		assert_int_equal(total, n);
		assert_int_equal(ks_stream_raw_pos(s), c[i].n);
		ks_stream_close(s);
		blob_free(&c[i]);
	}
}

/* An xz stream asking for a 1 GiB dictionary meets the memory limit. */
static void
test_xz_memlimit(void **state)
{
	struct blob t = blob_str("hello\n"), c = xz(t);
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	lzma_block block;
	struct ks_stream *s;
	size_t i;

	(void)state;
	/* Rewrite the block header (after the 12-byte stream header). */
	memset(&block, 0, sizeof(block));
	block.version = 1;
	block.check = LZMA_CHECK_CRC64;
	block.filters = filters;
	block.header_size = lzma_block_header_size_decode(c.p[12]);
	assert_int_equal(lzma_block_header_decode(&block, NULL, c.p + 12),
	    LZMA_OK);
	assert_int_equal(filters[0].id, LZMA_FILTER_LZMA2);
	((lzma_options_lzma *)filters[0].options)->dict_size = 1u << 30;
	assert_int_equal(lzma_block_header_encode(&block, c.p + 12), LZMA_OK);
	for (i = 0; filters[i].id != LZMA_VLI_UNKNOWN; i++)
		free(filters[i].options);

	s = open_fd(file_with("big", c), KS_COMP_XZ);
	expect_error(s, 4096, t, 0, "xz: needs 1025 MiB of memory, more "
	    "than the limit of 256 MiB", 0);
	ks_stream_close(s);
	blob_free(&t);
	blob_free(&c);
}

/* Hand-made zstd frames: a raw block, under a small and a huge window. */
static void
test_zstd_window_limit(void **state)
{
	unsigned char frame[] = {
		0x28, 0xb5, 0x2f, 0xfd,	/* magic */
		0x00,			/* no size, no checksum, window byte */
		0x50,			/* window 2^20 */
		0x29, 0x00, 0x00,	/* last raw block of 5 bytes */
		'h', 'e', 'l', 'l', 'o',
	};
	struct blob b = blob_new(0), want = blob_str("hello");
	struct ks_stream *s;

	(void)state;
	blob_add(&b, frame, sizeof(frame));
	s = open_fd(file_with("ok", b), KS_COMP_ZSTD);
	expect_stream(s, 2, want, b.n);
	ks_stream_close(s);
	b.p[5] = 0x90;		/* window 2^28: over the limit */
	s = open_fd(file_with("big", b), KS_COMP_ZSTD);
	expect_error(s, 2, want, 0, "zstd: Frame requires too much memory", 1);
	ks_stream_close(s);
	blob_free(&b);
	blob_free(&want);
}

/* An fd that cannot be read: an error, and the fd is closed all the same. */
static void
test_open_error(void **state)
{
	struct ks_stream *s = (struct ks_stream *)&s;
	struct ks_err err = { "" };
	int fd;

	(void)state;
	fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(ks_stream_open_fd(&s, fd, &err), -1);
	assert_null(s);
	assert_string_equal(err.msg, "read: Is a directory");
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
}

/* n == 0 reads nothing and is not the end. */
static void
test_zero_length_read(void **state)
{
	struct blob t = blob_str("abc"), c = gz(t);
	struct ks_stream *s;
	struct ks_err err = { "" };
	char buf[8];

	(void)state;
	s = open_fd(file_with("z", c), KS_COMP_GZIP);
	assert_int_equal(ks_stream_read(s, buf, 0, &err), 0);
	expect_stream(s, 8, t, c.n);
	ks_stream_close(s);
	blob_free(&t);
	blob_free(&c);
}

/* The files made with gzip(1), xz(1) and zstd(1) in tests/data. */
static struct blob
slurp(const char *dir, const char *name)
{
	char path[PATH_MAX];
	unsigned char buf[4096];
	struct blob b = blob_new(0);
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/compression/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		blob_add(&b, buf, (size_t)r);
	assert_int_equal(r, 0);
	close(fd);
	return b;
}

static void
test_testdata(void **state)
{
	static const struct {
		const char *name;
		enum ks_comp comp;
	} files[] = {
		{ "plain.zst", KS_COMP_NONE },
		{ "auth.log.xz", KS_COMP_GZIP },
		{ "messages.gz", KS_COMP_ZSTD },
		{ "syslog", KS_COMP_XZ },
		{ "secure.1", KS_COMP_GZIP },	/* two gzip members */
		{ "kern.log.2", KS_COMP_ZSTD },	/* two zstd frames */
	};
	const char *dir = getenv("KS_TESTDATA");
	struct blob want, c;
	struct ks_stream *s;
	size_t i;

	(void)state;
	if (dir == NULL || *dir == '\0')
		skip();
	want = slurp(dir, "plain.zst");
	assert_int_equal(want.n > 0, 1);
	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		c = slurp(dir, files[i].name);
		check_both(files[i].name, c, files[i].comp, want);
		blob_free(&c);
	}
	/* The same, cut short: the first lines, then the error. */
	c = slurp(dir, "cut.log.gz");
	s = open_fd(file_with("cut.log.gz", c), KS_COMP_GZIP);
	expect_error(s, 4096, want, 1,
	    "gzip: unexpected end of compressed data", 0);
	ks_stream_close(s);
	blob_free(&c);
	blob_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comp_name),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_xz),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_compressed_empty),
		cmocka_unit_test(test_gzip_multi_member),
		cmocka_unit_test(test_zstd_multi_frame),
		cmocka_unit_test(test_xz_multi_stream),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_xz_truncated),
		cmocka_unit_test(test_zstd_truncated),
		cmocka_unit_test(test_gzip_cut_in_second_magic),
		cmocka_unit_test(test_gzip_trailing_garbage),
		cmocka_unit_test(test_gzip_trailing_zeros),
		cmocka_unit_test(test_zstd_trailing_garbage),
		cmocka_unit_test(test_xz_trailing_garbage),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_byte),
		cmocka_unit_test(test_magic_only),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_xz_memlimit),
		cmocka_unit_test(test_zstd_window_limit),
		cmocka_unit_test(test_open_error),
		cmocka_unit_test(test_zero_length_read),
		cmocka_unit_test(test_testdata),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
