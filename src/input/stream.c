/*
 * stream.c - a file descriptor as a stream of log bytes, decompressed
 * when its first bytes say so.
 *
 * Rotated logs arrive as gzip, xz or zstd, under names that may lie
 * ("auth.log.1" gzipped by hand, a .gz that is plain text, a pipe with no
 * name at all).  So the compression is decided by the magic bytes at the
 * start of the data and never by the name, and the first bytes are read
 * into the stream's own input buffer rather than peeked with lseek, so
 * that pipes and stdin work as well as files.
 *
 * Design points, each for a reason:
 *
 *   - Memory is bounded whatever the input.  The stream is one allocation
 *     with a fixed input buffer; decoders write straight into the caller's
 *     buffer.  A decompression bomb is only a long stream, read a piece at
 *     a time.  The decoders' own memory is capped: liblzma by a memory
 *     limit, zstd by a maximum window.
 *
 *   - Nothing is lost silently, and nothing good is withheld.  Every byte
 *     that can be decompressed is returned before an error is reported: a
 *     truncated file yields its readable part, then -1 with "unexpected
 *     end of compressed data"; bytes after a complete gzip member, xz
 *     stream or zstd frame that do not start another one yield "trailing
 *     garbage at byte N" (even zeros after gzip, which gzip(1) only warns
 *     about: data appended to a compressed log is worth a look, and a
 *     reader that stops quietly would hide it).  An error is sticky:
 *     later reads repeat it.
 *
 *   - Concatenated members are one stream, as gzip(1), xz(1) and zstd(1)
 *     treat them: `cat a.gz b.gz` and pigz output (gzip members), zstd
 *     frames and skippable frames, xz streams and stream padding.  The
 *     boundaries are handled here rather than by liblzma's
 *     LZMA_CONCATENATED, so that garbage after the last xz stream is
 *     reported as garbage, as it is for the other two.
 *
 *   - Errors are returned in a struct ks_err, never printed, and the
 *     stream has no global state, so any number can be open at once.
 *
 * The codecs share one read loop (stream_decode): fill the input buffer,
 * run one step of the decoder, return as soon as output was produced, and
 * between members look at the next bytes to decide whether another member
 * starts, the data ends, or garbage follows.  Each codec supplies only its
 * step and its member boundary rule.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "input/input.h"

/* Compressed input is read in pieces of this size. */
#define STREAM_INBUF	(256 * 1024)
/* The longest magic, and so the most bytes the detection needs. */
#define MAGIC_MAX	6
/* Cap on the memory liblzma may use for one stream's dictionary. */
#define XZ_MEMLIMIT	((uint64_t)256 * 1024 * 1024)
/* Cap on a zstd window: 2^27 bytes (128 MiB), zstd's own default. */
#define ZSTD_WLOG_MAX	27

static const unsigned char gzip_magic[] = { 0x1f, 0x8b };
static const unsigned char xz_magic[] = { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00 };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };

/* What one decoder step reports. */
enum step {
	STEP_OK,	/* progress, or none possible without more input */
	STEP_END,	/* a member, frame or stream finished cleanly */
	STEP_ERR,	/* s->fail describes the error */
};

/* What the look at a member boundary decides. */
enum boundary {
	BOUND_NEXT,	/* another member starts; the decoder is ready */
	BOUND_EOF,	/* the data ends here, cleanly */
	BOUND_ERR,	/* s->fail describes the error */
};

struct ks_stream {
	int fd;
	enum ks_comp comp;
	bool eof;		/* read(2) returned 0 */
	bool done;		/* the data ended cleanly */
	bool failed;		/* fail holds the error to repeat */
	bool between;		/* a member ended; the next is not decided */
	uint64_t nread;		/* bytes read from fd */
	union {
		z_stream z;
		lzma_stream x;
		ZSTD_DCtx *zd;
	} dec;
	struct ks_err fail;
	size_t in_off;		/* next unconsumed byte of in */
	size_t in_len;		/* end of the valid bytes of in */
	unsigned char in[STREAM_INBUF];
};

const char *
ks_comp_name(enum ks_comp c)
{
	switch (c) {
	case KS_COMP_NONE:
		return "plain";
	case KS_COMP_GZIP:
		return "gzip";
	case KS_COMP_XZ:
		return "xz";
	case KS_COMP_ZSTD:
		return "zstd";
	}
	return "unknown";
}

/* ---- input buffer ----------------------------------------------------- */

static size_t
in_avail(const struct ks_stream *s)
{
	return s->in_len - s->in_off;
}

static void
in_consume(struct ks_stream *s, size_t n)
{
	s->in_off += n;
}

/* Offset in the raw data of the next unconsumed byte. */
static uint64_t
raw_offset(const struct ks_stream *s)
{
	return s->nread - in_avail(s);
}

/* read(2) retried on EINTR; 0 at the end, sets s->eof. */
static ssize_t
read_fd(struct ks_stream *s, void *p, size_t n)
{
	ssize_t r;

	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	do {
		r = read(s->fd, p, n);
	} while (r == -1 && errno == EINTR);
	if (r == -1)
		return ks_err_set(&s->fail, "read: %s", strerror(errno));
	if (r == 0)
		s->eof = true;
	s->nread += (uint64_t)r;
	return r;
}

/*
 * Reads until at least want bytes are buffered or the data ends.  The
 * unconsumed bytes are moved to the front only when more must be read,
 * which is when fewer than want (at most MAGIC_MAX) remain, so the move
 * is always short.  Each read asks for as much as fits but takes what
 * comes: a slow pipe is never waited on for more than want bytes.
 */
static int
in_fill(struct ks_stream *s, size_t want)
{
	ssize_t r;

	if (in_avail(s) >= want || s->eof)
		return 0;
	if (s->in_off > 0) {
		memmove(s->in, s->in + s->in_off, in_avail(s));
		s->in_len -= s->in_off;
		s->in_off = 0;
	}
	while (s->in_len < want && !s->eof) {
		r = read_fd(s, s->in + s->in_len, sizeof(s->in) - s->in_len);
		if (r == -1)
			return -1;
		s->in_len += (size_t)r;
	}
	return 0;
}

static bool
in_starts_with(const struct ks_stream *s, const unsigned char *m, size_t n)
{
	return in_avail(s) >= n && memcmp(s->in + s->in_off, m, n) == 0;
}

/* True when the buffered bytes (fewer than n) are a prefix of m. */
static bool
in_is_prefix_of(const struct ks_stream *s, const unsigned char *m, size_t n)
{
	size_t a = in_avail(s);

	return a < n && memcmp(s->in + s->in_off, m, a) == 0;
}

/* ---- errors shared by the codecs --------------------------------------- */

static enum step
err_truncated(struct ks_stream *s)
{
	ks_err_set(&s->fail, "%s: unexpected end of compressed data",
	    ks_comp_name(s->comp));
	return STEP_ERR;
}

static enum boundary
err_garbage(struct ks_stream *s, const char *what)
{
	ks_err_set(&s->fail, "%s: trailing garbage after %s at byte %llu",
	    ks_comp_name(s->comp), what,
	    (unsigned long long)raw_offset(s));
	return BOUND_ERR;
}

/*
 * At a member boundary: EOF when nothing follows, NEXT when the magic of
 * another member follows, else garbage (or truncation when what follows
 * is a cut-off magic).  Needs the magic's length of lookahead.
 */
static enum boundary
member_follows(struct ks_stream *s, const unsigned char *m, size_t n,
    const char *what)
{
	if (in_fill(s, n) == -1)
		return BOUND_ERR;
	if (in_avail(s) == 0)
		return BOUND_EOF;
	if (in_starts_with(s, m, n))
		return BOUND_NEXT;
	if (in_is_prefix_of(s, m, n)) {
		err_truncated(s);
		return BOUND_ERR;
	}
	return err_garbage(s, what);
}

/* ---- gzip -------------------------------------------------------------- */

static int
gz_init(struct ks_stream *s)
{
	int r;

	memset(&s->dec.z, 0, sizeof(s->dec.z));
	/* 16 + MAX_WBITS: gzip wrapper only; the magic already said gzip. */
	r = inflateInit2(&s->dec.z, 16 + MAX_WBITS);
	if (r != Z_OK)
		return ks_err_set(&s->fail, "gzip: cannot start decoder: %s",
		    r == Z_MEM_ERROR ? "out of memory" : zError(r));
	return 0;
}

static enum step
gz_step(struct ks_stream *s, unsigned char *out, size_t n, size_t *got)
{
	z_stream *z = &s->dec.z;
	size_t used;
	int r;

	z->next_in = s->in + s->in_off;
	z->avail_in = (uInt)in_avail(s);
	z->next_out = out;
	z->avail_out = n > UINT_MAX ? UINT_MAX : (uInt)n;
	r = inflate(z, Z_NO_FLUSH);
	used = in_avail(s) - z->avail_in;
	*got = (size_t)(z->next_out - out);
	switch (r) {
	case Z_OK:
	case Z_BUF_ERROR:	/* no progress possible: not an error here */
		in_consume(s, used);
		return STEP_OK;
	case Z_STREAM_END:
		in_consume(s, used);
		return STEP_END;
	case Z_MEM_ERROR:
		ks_err_set(&s->fail, "gzip: out of memory");
		return STEP_ERR;
	default:
		in_consume(s, used);
		ks_err_set(&s->fail, "gzip: corrupt data near byte %llu: %s",
		    (unsigned long long)raw_offset(s),
		    z->msg != NULL ? z->msg : zError(r));
		return STEP_ERR;
	}
}

static enum boundary
gz_boundary(struct ks_stream *s)
{
	enum boundary b;

	b = member_follows(s, gzip_magic, sizeof(gzip_magic), "member");
	if (b == BOUND_NEXT && inflateReset(&s->dec.z) != Z_OK) {
		ks_err_set(&s->fail, "gzip: cannot restart decoder");
		return BOUND_ERR;
	}
	return b;
}

static void
gz_end(struct ks_stream *s)
{
	inflateEnd(&s->dec.z);
}

/* ---- xz ---------------------------------------------------------------- */

static const char *
xz_strerror(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_FORMAT_ERROR:
		return "not in xz format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options";
	case LZMA_DATA_ERROR:
		return "compressed data is corrupt";
	case LZMA_UNSUPPORTED_CHECK:
		return "unsupported integrity check";
	default:
		return "internal error";
	}
}

/*
 * Starts (or, on a stream already in use, restarts) the decoder for one
 * xz stream.  Checks liblzma does not know are skipped, as xz(1) does.
 */
static int
xz_start(struct ks_stream *s)
{
	lzma_ret r;

	r = lzma_stream_decoder(&s->dec.x, XZ_MEMLIMIT, 0);
	if (r != LZMA_OK)
		return ks_err_set(&s->fail, "xz: cannot start decoder: %s",
		    xz_strerror(r));
	return 0;
}

static int
xz_init(struct ks_stream *s)
{
	s->dec.x = (lzma_stream)LZMA_STREAM_INIT;
	if (xz_start(s) == -1) {
		lzma_end(&s->dec.x);
		return -1;
	}
	return 0;
}

static unsigned long long
mib_up(uint64_t bytes)
{
	return (unsigned long long)((bytes + (1 << 20) - 1) >> 20);
}

static enum step
xz_step(struct ks_stream *s, unsigned char *out, size_t n, size_t *got)
{
	lzma_stream *x = &s->dec.x;
	lzma_ret r;

	x->next_in = s->in + s->in_off;
	x->avail_in = in_avail(s);
	x->next_out = out;
	x->avail_out = n;
	/* One stream at a time: the decoder stops at its end by itself. */
	r = lzma_code(x, LZMA_RUN);
	in_consume(s, in_avail(s) - x->avail_in);
	*got = n - x->avail_out;
	switch (r) {
	case LZMA_OK:
		return STEP_OK;
	case LZMA_STREAM_END:
		return STEP_END;
	case LZMA_BUF_ERROR:
		/* No progress twice: the input ended inside the stream. */
		if (*got > 0)
			return STEP_OK;
		return err_truncated(s);
	case LZMA_MEMLIMIT_ERROR:
		ks_err_set(&s->fail, "xz: needs %llu MiB of memory, more than "
		    "the limit of %llu MiB", mib_up(lzma_memusage(x)),
		    mib_up(XZ_MEMLIMIT));
		return STEP_ERR;
	default:
		ks_err_set(&s->fail, "xz: %s near byte %llu", xz_strerror(r),
		    (unsigned long long)raw_offset(s));
		return STEP_ERR;
	}
}

/*
 * After an xz stream: stream padding (null bytes, a multiple of four of
 * them), then the end or another stream.
 */
static enum boundary
xz_boundary(struct ks_stream *s)
{
	uint64_t pad_start = raw_offset(s);
	enum boundary b;

	for (;;) {
		while (in_avail(s) > 0 && s->in[s->in_off] == 0)
			in_consume(s, 1);
		if (in_avail(s) > 0 || s->eof)
			break;
		if (in_fill(s, 1) == -1)
			return BOUND_ERR;
	}
	if ((raw_offset(s) - pad_start) % 4 != 0) {
		ks_err_set(&s->fail, "xz: trailing garbage after stream at "
		    "byte %llu", (unsigned long long)pad_start);
		return BOUND_ERR;
	}
	b = member_follows(s, xz_magic, sizeof(xz_magic), "stream");
	if (b == BOUND_NEXT && xz_start(s) == -1)
		return BOUND_ERR;
	return b;
}

static void
xz_end(struct ks_stream *s)
{
	lzma_end(&s->dec.x);
}

/* ---- zstd -------------------------------------------------------------- */

static int
zstd_init(struct ks_stream *s)
{
	s->dec.zd = ZSTD_createDCtx();
	if (s->dec.zd == NULL)
		return ks_err_set(&s->fail, "zstd: cannot start decoder: "
		    "out of memory");
	if (ZSTD_isError(ZSTD_DCtx_setParameter(s->dec.zd,
	    ZSTD_d_windowLogMax, ZSTD_WLOG_MAX))) {
		ZSTD_freeDCtx(s->dec.zd);
		return ks_err_set(&s->fail, "zstd: cannot limit the window");
	}
	return 0;
}

static enum step
zstd_step(struct ks_stream *s, unsigned char *out, size_t n, size_t *got)
{
	ZSTD_inBuffer ib = { s->in + s->in_off, in_avail(s), 0 };
	ZSTD_outBuffer ob = { out, n, 0 };
	size_t r;

	r = ZSTD_decompressStream(s->dec.zd, &ob, &ib);
	in_consume(s, ib.pos);
	*got = ob.pos;
	if (ZSTD_isError(r)) {
		ks_err_set(&s->fail, "zstd: %s near byte %llu",
		    ZSTD_getErrorName(r), (unsigned long long)raw_offset(s));
		return STEP_ERR;
	}
	/* 0: a frame is complete and fully flushed. */
	return r == 0 ? STEP_END : STEP_OK;
}

/* A skippable frame: magic 0x184D2A50..0x184D2A5F, little-endian. */
static bool
zstd_skippable_follows(const struct ks_stream *s)
{
	const unsigned char *p = s->in + s->in_off;

	return in_avail(s) >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a &&
	    p[2] == 0x4d && p[3] == 0x18;
}

static enum boundary
zstd_boundary(struct ks_stream *s)
{
	enum boundary b;

	if (in_fill(s, sizeof(zstd_magic)) == -1)
		return BOUND_ERR;
	if (zstd_skippable_follows(s))
		b = BOUND_NEXT;
	else
		b = member_follows(s, zstd_magic, sizeof(zstd_magic), "frame");
	if (b != BOUND_NEXT)
		return b;
	if (ZSTD_isError(ZSTD_DCtx_reset(s->dec.zd,
	    ZSTD_reset_session_only))) {
		ks_err_set(&s->fail, "zstd: cannot restart decoder");
		return BOUND_ERR;
	}
	return BOUND_NEXT;
}

static void
zstd_end(struct ks_stream *s)
{
	ZSTD_freeDCtx(s->dec.zd);
}

/* ---- the codec table and the shared read loop -------------------------- */

struct codec {
	int (*init)(struct ks_stream *);
	enum step (*step)(struct ks_stream *, unsigned char *, size_t,
	    size_t *);
	enum boundary (*boundary)(struct ks_stream *);
	void (*end)(struct ks_stream *);
};

static const struct codec codecs[] = {
	[KS_COMP_GZIP] = { gz_init, gz_step, gz_boundary, gz_end },
	[KS_COMP_XZ] = { xz_init, xz_step, xz_boundary, xz_end },
	[KS_COMP_ZSTD] = { zstd_init, zstd_step, zstd_boundary, zstd_end },
};

/*
 * Decompresses into out until at least one byte is produced, the data
 * ends cleanly (0), or an error is found (-1, in s->fail).
 */
static ssize_t
stream_decode(struct ks_stream *s, unsigned char *out, size_t n)
{
	const struct codec *c = &codecs[s->comp];
	size_t before, got;
	enum step st;

	for (;;) {
		if (s->between) {
			switch (c->boundary(s)) {
			case BOUND_EOF:
				s->done = true;
				return 0;
			case BOUND_ERR:
				return -1;
			case BOUND_NEXT:
				s->between = false;
				break;
			}
		}
		if (in_avail(s) == 0 && !s->eof && in_fill(s, 1) == -1)
			return -1;
		before = in_avail(s);
		st = c->step(s, out, n, &got);
		if (st == STEP_ERR)
			return -1;
		if (st == STEP_END)
			s->between = true;
		if (got > 0)
			return (ssize_t)got;
		if (st == STEP_END || in_avail(s) != before)
			continue;
		/* Neither input consumed nor output produced. */
		if (in_avail(s) > 0)
			return ks_err_set(&s->fail, "%s: decoder made no "
			    "progress near byte %llu", ks_comp_name(s->comp),
			    (unsigned long long)raw_offset(s));
		if (s->eof) {
			err_truncated(s);
			return -1;
		}
	}
}

/* Plain data: the buffered first bytes, then straight from fd. */
static ssize_t
stream_plain(struct ks_stream *s, unsigned char *out, size_t n)
{
	size_t a = in_avail(s);
	ssize_t r;

	if (a > 0) {
		if (a > n)
			a = n;
		memcpy(out, s->in + s->in_off, a);
		in_consume(s, a);
		return (ssize_t)a;
	}
	if (s->eof) {
		s->done = true;
		return 0;
	}
	r = read_fd(s, out, n);
	if (r == 0)
		s->done = true;
	return r;
}

static enum ks_comp
detect(const struct ks_stream *s)
{
	if (in_starts_with(s, gzip_magic, sizeof(gzip_magic)))
		return KS_COMP_GZIP;
	if (in_starts_with(s, xz_magic, sizeof(xz_magic)))
		return KS_COMP_XZ;
	if (in_starts_with(s, zstd_magic, sizeof(zstd_magic)))
		return KS_COMP_ZSTD;
	return KS_COMP_NONE;
}

/* ---- public interface --------------------------------------------------- */

int
ks_stream_open_fd(struct ks_stream **out, int fd, struct ks_err *err)
{
	struct ks_stream *s;

	*out = NULL;
	s = malloc(sizeof(*s));
	if (s == NULL) {
		close(fd);
		return ks_err_set(err, "out of memory");
	}
	s->fd = fd;
	s->comp = KS_COMP_NONE;
	s->eof = s->done = s->failed = s->between = false;
	s->nread = 0;
	s->in_off = s->in_len = 0;
	s->fail.msg[0] = '\0';
	if (in_fill(s, MAGIC_MAX) == -1)
		goto fail;
	s->comp = detect(s);
	if (s->comp != KS_COMP_NONE && codecs[s->comp].init(s) == -1) {
		/* init cleans up after itself; nothing to end */
		s->comp = KS_COMP_NONE;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	if (err != NULL)
		*err = s->fail;
	ks_stream_close(s);
	return -1;
}

ssize_t
ks_stream_read(struct ks_stream *s, void *buf, size_t n, struct ks_err *err)
{
	ssize_t r;

	if (s->failed)
		goto fail;
	if (s->done || n == 0)
		return 0;
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (s->comp == KS_COMP_NONE)
		r = stream_plain(s, buf, n);
	else
		r = stream_decode(s, buf, n);
	if (r >= 0)
		return r;
	s->failed = true;
fail:
	if (err != NULL)
		*err = s->fail;
	return -1;
}

enum ks_comp
ks_stream_comp(const struct ks_stream *s)
{
	return s->comp;
}

uint64_t
ks_stream_raw_pos(const struct ks_stream *s)
{
	return raw_offset(s);
}

void
ks_stream_close(struct ks_stream *s)
{
	if (s == NULL)
		return;
	if (s->comp != KS_COMP_NONE)
		codecs[s->comp].end(s);
	close(s->fd);
	free(s);
}
