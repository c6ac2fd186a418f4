/*
 * decode_int.h - what the decoders share: a tiny scanner over a message
 * (literal prefixes, search, words, numbers), the same few moves on a
 * ks_str and on a range p..end (the three styles the decoder files are
 * written in), the field setters they have in common, and the decoder
 * functions that decode.c dispatches to.  Each decoder family lives in
 * its own file.
 *
 * A decoder gets the event and its message and returns true when it
 * recognised the message, having set the fields it found.  It never
 * fails otherwise and never allocates; values are slices of the message
 * or go through ks_fields_addr/ks_fields_copy.
 */
#ifndef KS_DECODE_INT_H
#define KS_DECODE_INT_H

#include <string.h>

#include "decode/decode.h"

/* ---- the scanner: p moves towards end ------------------------------- */

struct ks_scan {
	const char *p;
	const char *end;
};

static inline struct ks_scan
ks_scan_of(struct ks_str s)
{
	return (struct ks_scan){ s.p, s.p + s.n };
}

static inline size_t
ks_scan_left(const struct ks_scan *s)
{
	return (size_t)(s->end - s->p);
}

/* The text not yet scanned. */
static inline struct ks_str
ks_scan_rest(const struct ks_scan *s)
{
	return ks_str_make(s->p, ks_scan_left(s));
}

/*
 * Consumes lit when the text continues with it.  Inline, as the other
 * moves with a literal are: lit is nearly always a constant, and its
 * length and the compare then cost nothing to set up.
 */
static inline bool
ks_scan_lit(struct ks_scan *s, const char *lit)
{
	size_t n = strlen(lit);

	if (ks_scan_left(s) < n || memcmp(s->p, lit, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* Moves past the next occurrence of lit; false (and no move) if none. */
static inline bool
ks_scan_past(struct ks_scan *s, const char *lit)
{
	size_t n = strlen(lit);
	const char *q = ks_scan_left(s) ? ks_memfind(s->p, ks_scan_left(s), lit,
	    n) : NULL;

	if (q == NULL)
		return false;
	s->p = q + n;
	return true;
}
/* The text up to (not including) stop, or to the end; consumed. */
struct ks_str ks_scan_until(struct ks_scan *s, char stop);
/* A run of non-space bytes, then the spaces after it. */
struct ks_str ks_scan_word(struct ks_scan *s);
/* Decimal digits (at most 10). */
struct ks_str ks_scan_digits(struct ks_scan *s);

/* Moves past spaces. */
static inline void
ks_scan_spaces(struct ks_scan *s)
{
	while (s->p < s->end && *s->p == ' ')
		s->p++;
}

/*
 * Consumes yes (*ok true) or no (*ok false), as in "Successful su for " and
 * "FAILED su for "; false when the text continues with neither.
 */
static inline bool
ks_scan_either(struct ks_scan *s, const char *yes, const char *no, bool *ok)
{
	if (ks_scan_lit(s, yes))
		*ok = true;
	else if (ks_scan_lit(s, no))
		*ok = false;
	else
		return false;
	return true;
}

/* ---- a ks_str --------------------------------------------------------- */

/* True when s starts with lit. */
static inline bool
ks_str_starts(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* Position just after the first lit in s, or NULL. */
static inline const char *
ks_str_after(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);
	const char *q = s.n ? ks_memfind(s.p, s.n, lit, n) : NULL;

	return q ? q + n : NULL;
}
/* The value of "key=" in s (up to a space, ',' or ';'), or an empty str. */
struct ks_str ks_str_kv(struct ks_str s, const char *key);
/* The decoder (see ks_decoder_name) of a program name, or -1. */
int ks_program_decoder(struct ks_str prog);
/* Offset of the last " from " in the first n bytes of p, or -1. */
long ks_last_from(const char *p, size_t n);
/* s without trailing bytes from the set chars. */
struct ks_str ks_str_rtrim(struct ks_str s, const char *chars);
/* True when s is one of the strings of list, which ends with NULL. */
bool ks_str_in(struct ks_str s, const char *const *list);

/* True when s is all decimal digits, and not empty. */
static inline bool
ks_str_isdigits(struct ks_str s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!ks_isdigit(s.p[i]))
			return false;
	return s.n > 0;
}

/* True when s is a port: one to five decimal digits. */
static inline bool
ks_str_isport(struct ks_str s)
{
	return s.n <= 5 && ks_str_isdigits(s);
}

/* The first n bytes of s (all of it when shorter). */
static inline struct ks_str
ks_str_head(struct ks_str s, size_t n)
{
	return ks_str_make(s.p, n < s.n ? n : s.n);
}

/* s from offset from on (empty, at its end, when from is past it). */
static inline struct ks_str
ks_str_tail(struct ks_str s, size_t from)
{
	return from < s.n ? ks_str_make(s.p + from, s.n - from) :
	    ks_str_make(s.p + s.n, 0);
}

/* Offset of the first lit in s, or -1. */
static inline long
ks_str_find(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);
	const char *q = s.p != NULL && s.n >= n ?
	    ks_memfind(s.p, s.n, lit, n) : NULL;

	return q ? (long)(q - s.p) : -1;
}

/* The bytes of s before the first c, or all of s; false when there is no c. */
static inline bool
ks_str_upto(struct ks_str s, char c, struct ks_str *out)
{
	const char *q = s.n ? memchr(s.p, c, s.n) : NULL;

	*out = q ? ks_str_make(s.p, (size_t)(q - s.p)) : s;
	return q != NULL;
}

/* ---- a ks_str as a cursor: what is read is cut off its front ---------- */

/* Consumes lit when s starts with it. */
static inline bool
ks_str_eat(struct ks_str *s, const char *lit)
{
	size_t n = strlen(lit);

	if (s->n < n || memcmp(s->p, lit, n) != 0)
		return false;
	s->p += n;
	s->n -= n;
	return true;
}

static inline void
ks_str_skip_spaces(struct ks_str *s)
{
	while (s->n > 0 && *s->p == ' ') {
		s->p++;
		s->n--;
	}
}

/*
 * The bytes up to the next space; s moves past them and the spaces.  The
 * space is found by memchr: words are addresses, methods and user names,
 * long enough for its call to cost less than a loop over their bytes.
 */
static inline struct ks_str
ks_str_word(struct ks_str *s)
{
	const char *sp = s->n ? memchr(s->p, ' ', s->n) : NULL;
	size_t i = sp ? (size_t)(sp - s->p) : s->n;
	struct ks_str w;

	w = ks_str_make(s->p, i);
	s->p += i;
	s->n -= i;
	ks_str_skip_spaces(s);
	return w;
}

/*
 * A port: the one to five decimal digits s starts with, consumed; empty,
 * and nothing consumed, when there are none or more than five.
 */
static inline struct ks_str
ks_str_port(struct ks_str *s)
{
	size_t i = 0;
	struct ks_str d;

	while (i < s->n && i < 6 && ks_isdigit(s->p[i]))
		i++;
	if (i == 0 || i > 5)
		return KS_STR_NULL;
	d = ks_str_make(s->p, i);
	s->p += i;
	s->n -= i;
	return d;
}

/* ---- a range p..end, p the cursor ------------------------------------- */

/* The text from p to end, empty when p is not before end. */
static inline struct ks_str
ks_span(const char *p, const char *end)
{
	return ks_str_make(p, p < end ? (size_t)(end - p) : 0);
}

/* The first lit in p..end, or NULL. */
static inline const char *
ks_find(const char *p, const char *end, const char *lit)
{
	return p != NULL && p < end ?
	    ks_memfind(p, (size_t)(end - p), lit, strlen(lit)) : NULL;
}

/* True when p..end starts with lit. */
static inline bool
ks_at(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return p <= end && (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* ---- fields ----------------------------------------------------------- */

/*
 * Sets event.action, event.outcome and network.protocol, each unless it
 * is NULL; true, so that a decoder can end with it.
 */
bool ks_fields_event(struct ks_fields *f, const char *action,
    const char *outcome, const char *proto);

/*
 * Sets ip_field from text that must be an IP address: unlike
 * ks_fields_addr it never takes a name for domain_field, which a bracket
 * such as "[unknown]" must not become.  False (and domain_field as it
 * was) when the text is no IP address.
 */
bool ks_fields_ip(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n);
/* A host name or address as a log printed it; "" and "unknown" name none. */
void ks_fields_host(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n);

/* ks_fields_ip and ks_fields_host for the client, source.ip/.domain. */
static inline bool
ks_source_ip(struct ks_fields *f, const char *p, size_t n)
{
	return ks_fields_ip(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, p, n);
}

static inline void
ks_source_host(struct ks_fields *f, const char *p, size_t n)
{
	ks_fields_host(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, p, n);
}

/* ---- the decoders ----------------------------------------------------- */

/*
 * Where a decoder that reads any word of a line should look.  A header
 * without a program can leave the message's first word as the host
 * ("2018-06-26 13:22:02 Failed password for ..." frames with host
 * "Failed"), so when ev has no program and its host sits right before
 * msg in the same line, separated by spaces only, the host is included.
 */
struct ks_str ks_search_area(const struct ks_event *ev, struct ks_str msg);

typedef bool (*ks_decoder_fn)(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f);

/* One per family, each in its own file. */
bool ks_dec_ssh(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_login(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_tcpwrap(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_xinetd(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_ftp(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_mailbox(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_sendmail(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_postfix(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_rpc(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_named(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_su(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_sudo(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_pam(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_system(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_cron(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_http(const struct ks_event *, struct ks_str, struct ks_fields *);
bool ks_dec_other(const struct ks_event *, struct ks_str, struct ks_fields *);

#endif
