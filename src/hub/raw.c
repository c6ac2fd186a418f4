/*
 * raw.c - the original of each report, its bytes as the reporter sent
 * them: kept because they are the evidence (notify attaches an IODEF
 * original, and a JSONL finding is quoted as its line).
 *
 * They are compressed with zstd when the file is read (in the reading
 * thread of ingest, beside parsing), and stored in report_raw, a table
 * of their own: findings JSONL shrinks to a tenth or less, which is that
 * much less for the database to write, and a report's row stays small
 * for the queries that list and link reports.  Databases from before
 * schema 3 have their originals moved there as they were (codec 0).
 */
#include <stdlib.h>
#include <zstd.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

/* How report_raw.data holds the bytes. */
enum raw_codec { RAW_PLAIN = 0, RAW_ZSTD = 1 };

/* zstd's fastest levels compress JSONL almost as well as its default. */
#define RAW_LEVEL 1

int
ks_hub_raw_pack(struct ks_hub_parsed *p, const char *data, size_t n,
    struct ks_err *err)
{
	size_t cap = ZSTD_compressBound(n), got;
	void *shrunk;

	if ((p->packed = malloc(cap > 0 ? cap : 1)) == NULL)
		return ks_err_set(err, "out of memory");
	got = ZSTD_compress(p->packed, cap, data, n, RAW_LEVEL);
	if (ZSTD_isError(got))
		return ks_err_set(err, "zstd: %s", ZSTD_getErrorName(got));
	/* the bound is the file's size and more: give the rest back while
	   the file waits to be stored */
	if ((shrunk = realloc(p->packed, got > 0 ? got : 1)) != NULL)
		p->packed = shrunk;
	p->npacked = got;
	return 0;
}

int
ks_hub_raw_store(struct ks_hub *h, int64_t report_id,
    const struct ks_hub_parsed *p, size_t n, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(h->s, "INSERT INTO report_raw(report_id, codec,"
	    " size, data) VALUES (?, ?, ?, ?)", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, report_id);
	ks_stmt_bind_int(st, 2, RAW_ZSTD);
	ks_stmt_bind_int(st, 3, (int64_t)n);
	ks_stmt_bind_blob_ref(st, 4, p->packed, p->npacked);
	rc = ks_stmt_run(st, err);
	ks_stmt_free(st);
	return rc;
}

/* Appends the stored bytes of one codec to out. */
static int
unpack(struct ks_buf *out, int64_t codec, int64_t size, const void *data,
    size_t n, struct ks_err *err)
{
	size_t got;

	if (size < 0 || (uint64_t)size > KS_HUB_FILE_MAX)
		return ks_err_set(err, _("the stored original is damaged"));
	if (codec == RAW_PLAIN) {
		ks_buf_add(out, data, n);
		return ks_buf_failed(out) ? ks_err_set(err, "out of memory") : 0;
	}
	if (codec != RAW_ZSTD)
		return ks_err_set(err, _("the stored original is damaged"));
	if (!ks_buf_reserve(out, (size_t)size + 1))
		return ks_err_set(err, "out of memory");
	got = ZSTD_decompress(out->p + out->len, (size_t)size, data, n);
	if (ZSTD_isError(got) || got != (size_t)size)
		return ks_err_set(err, _("the stored original is damaged"));
	out->len += got;
	return 0;
}

int
ks_hub_report_raw(struct ks_hub *h, int64_t report_id, struct ks_buf *out,
    struct ks_err *err)
{
	struct ks_stmt *st;
	const void *data;
	size_t n;
	int rc;

	if (ks_store_prepare(h->s, "SELECT codec, size, data FROM report_raw"
	    " WHERE report_id = ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, report_id);
	if ((rc = ks_stmt_step(st, err)) > 0) {
		data = ks_stmt_blob(st, 2, &n);
		rc = unpack(out, ks_stmt_int(st, 0), ks_stmt_int(st, 1), data, n,
		    err);
	} else if (rc == 0) {
		rc = ks_err_set(err, _("no original of report %lld"),
		    (long long)report_id);
	}
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}
