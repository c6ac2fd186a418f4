/*
 * report_int.h - what the files of src/report share and nobody else
 * needs: an incremental SHA-256, and small helpers of the writers.
 */
#ifndef KS_REPORT_INT_H
#define KS_REPORT_INT_H

#include "report/report.h"

/* SHA-256 over data fed in pieces (OpenSSL EVP). */
struct ks_sha256 {
	void *ctx;               /* EVP_MD_CTX */
};

int ks_sha256_init(struct ks_sha256 *h, struct ks_err *err);
void ks_sha256_update(struct ks_sha256 *h, const void *p, size_t n);
/* Writes the hex digest and frees the context. */
void ks_sha256_final(struct ks_sha256 *h, char hex[65]);
/* Frees the context without a digest (on an error path). */
void ks_sha256_abort(struct ks_sha256 *h);

/* Whether an element at level t may be shown to an audience at share. */
static inline bool
ks_tlp_shown(enum ks_tlp t, enum ks_tlp share)
{
	return t <= share;
}

/* The report's own level as written for an audience at share. */
static inline enum ks_tlp
ks_tlp_export(const struct ks_report *r, enum ks_tlp share)
{
	return r->tlp < share ? r->tlp : share;
}

/*
 * The findings shown at level share, grouped by rule and host, in the
 * report's order (most severe first): what a person reads, one line a
 * group.  *out is allocated (free it); returns the number of groups, or
 * 0 with *out NULL when there are none or no memory.
 */
struct ks_fgroup {
	const struct ks_finding *fd;    /* the group's first finding */
	size_t pos;                     /* its index in the report */
	size_t n;                       /* findings in it */
	uint64_t count;                 /* events in them */
	int64_t first_us, last_us;
	int32_t first_off, last_off;
	enum ks_tlp tlp;                /* the strictest of them */
};

size_t ks_report_groups(const struct ks_report *r, enum ks_tlp share,
    struct ks_fgroup **out);

/* The translated label of a request bit i (0..KS_REQ_COUNT-1). */
const char *ks_request_label(int i);
/* The translated label of a severity ("HIGH", "高"), "?" if unknown. */
const char *ks_severity_label(const char *severity);
/* The translated label of a role. */
const char *ks_role_label(enum ks_role role);

#endif
