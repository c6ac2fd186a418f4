/*
 * util.h - the small pieces every stage of kansatsu shares.
 *
 * Byte slices (ks_str), a growable output buffer (ks_buf), an error
 * carrier (ks_err) and the escaping that makes hostile bytes safe to print.
 * Everything here is allocation-light on purpose: the per-line path of the
 * log pipeline uses slices into the reader's buffer and one reusable
 * output buffer, so that framing never calls malloc for a line.
 *
 * Errors below main are returned, never printed: a function that can fail
 * returns -1 and describes the failure in a caller-owned struct ks_err.
 */
#ifndef KS_UTIL_H
#define KS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A slice of bytes owned by someone else; not NUL-terminated. */
struct ks_str {
	const char *p;
	size_t n;
};


#define KS_STR_NULL ((struct ks_str){ NULL, 0 })

static inline struct ks_str
ks_str_make(const char *p, size_t n)
{
	return (struct ks_str){ p, n };
}

/*
 * The helpers below are inline so that strlen() of a literal argument is
 * folded at compile time: decoders call them on every line.
 */
static inline bool
ks_str_eq(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/*
 * The first t (tn bytes) in p (n bytes), or NULL; t empty: p.  memchr on
 * the first byte, then a compare: for the short needles of log formats
 * this beats memmem(3), whose set-up dominates on short haystacks.
 */
static inline const char *
ks_memfind(const char *p, size_t n, const char *t, size_t tn)
{
	const char *end = p + n, *q;

	if (tn == 0)
		return p;
	while ((size_t)(end - p) >= tn) {
		q = memchr(p, t[0], (size_t)(end - p) - tn + 1);
		if (q == NULL)
			return NULL;
		if (memcmp(q + 1, t + 1, tn - 1) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

/* An ASCII digit: unlike isdigit(3), no locale and no int promotion. */
static inline bool
ks_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* An error message a callee fills in; the caller owns the storage. */
struct ks_err {
	char msg[512];
};

/* Formats into err (if non-NULL) and returns -1, for `return ks_err_set(...)`. */
int ks_err_set(struct ks_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A growable byte buffer.  Allocation failure is fatal to the buffer's
 * user only through ks_buf_failed(): appends after a failure are ignored,
 * so callers check once at a convenient point instead of after each call.
 */
struct ks_buf {
	char *p;
	size_t len;
	size_t cap;
	bool failed;
};

void ks_buf_init(struct ks_buf *b);
void ks_buf_free(struct ks_buf *b);
bool ks_buf_reserve(struct ks_buf *b, size_t extra);
/*
 * Appending is what the hot paths do (keys, JSON): inline while there is
 * room, ks_buf_reserve only to grow.
 */
static inline void
ks_buf_add(struct ks_buf *b, const void *p, size_t n)
{
	if (n == 0 || (!(n <= b->cap - b->len && !b->failed) &&
	    !ks_buf_reserve(b, n)))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void
ks_buf_addc(struct ks_buf *b, char c)
{
	if ((b->len < b->cap && !b->failed) || ks_buf_reserve(b, 1))
		b->p[b->len++] = c;
}
void ks_buf_adds(struct ks_buf *b, const char *s);
void ks_buf_addf(struct ks_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ks_buf_addu(struct ks_buf *b, uint64_t v);
void ks_buf_addi(struct ks_buf *b, int64_t v);
static inline void
ks_buf_reset(struct ks_buf *b)
{
	b->len = 0;
}
static inline bool
ks_buf_failed(const struct ks_buf *b)
{
	return b->failed;
}
/* Writes the buffer to fd and empties it; -1 on a write error. */
int ks_buf_flush(struct ks_buf *b, int fd);

/*
 * Escaping of bytes written by attackers.
 *
 * JSON: the body of a JSON string (no quotes): '"' and '\\' escaped, C0
 * controls, DEL and the C1 controls (U+0080..U+009F, which some terminals
 * obey) as \u00XX; bytes that are not valid UTF-8 become the six visible
 * characters \\xNN, so the output is always valid UTF-8.
 *
 * Text: the same safety for a terminal: controls as \t \n \r \e or \xNN,
 * invalid UTF-8 as \xNN, backslash doubled.
 */
void ks_escape_json(struct ks_buf *b, const char *p, size_t n);
void ks_escape_text(struct ks_buf *b, const char *p, size_t n);

/* Appends a quoted JSON string. */
void ks_json_str(struct ks_buf *b, const char *p, size_t n);

/*
 * A member of a JSON object under its dotted ECS name ("source.ip");
 * num: written as a number when the value is all digits.
 */
struct ks_kv {
	const char *key;
	const char *val;
	size_t n;
	bool num;
};

/*
 * Writes kv[0..n) as members of an object that already has members
 * (each preceded by a comma), nested by the dots of their keys.  Keys
 * sharing a prefix must be adjacent: ks_kv_sort makes them so.
 */
void ks_json_members(struct ks_buf *b, const struct ks_kv *kv, size_t n);
/* Groups keys by their parent object, keeping the order within each. */
void ks_kv_sort(struct ks_kv *kv, size_t n);

/*
 * A bounded hash map from byte strings to indexes (see map.c).  Put fails
 * when the map is full: the caller evicts the oldest entry first, so that
 * it can release what the index refers to.
 */
struct ks_map;

/*
 * A keyed hash (SipHash-2-4) for tables whose keys attackers choose: the
 * map's, and the engine's hash of counted values.  The key is drawn at
 * random by ks_hash_key_init.
 */
struct ks_hash_key {
	unsigned char b[16];
};
void ks_hash_key_init(struct ks_hash_key *k);
uint64_t ks_hash(const struct ks_hash_key *k, const char *p, size_t n);

int ks_map_new(struct ks_map **out, size_t cap, struct ks_err *err);
void ks_map_free(struct ks_map *m);
bool ks_map_get(const struct ks_map *m, const char *k, size_t n,
    size_t *value);
int ks_map_put(struct ks_map *m, const char *k, size_t n, size_t value,
    struct ks_err *err);
/* The same with the key's hash computed once (ks_map_hash) for both. */
uint64_t ks_map_hash(const struct ks_map *m, const char *k, size_t n);
bool ks_map_get_h(const struct ks_map *m, uint64_t h, const char *k,
    size_t n, size_t *value);
int ks_map_put_h(struct ks_map *m, uint64_t h, const char *k, size_t n,
    size_t value, struct ks_err *err);
/*
 * The oldest entry (by insertion or renewal): its value; removed and
 * counted as evicted; removed as expired (not counted); or made the
 * newest.  Each is false (or does nothing) on an empty map.
 */
bool ks_map_oldest(const struct ks_map *m, size_t *value);
bool ks_map_evict_oldest(struct ks_map *m, size_t *value);
bool ks_map_expire_oldest(struct ks_map *m, size_t *value);
void ks_map_renew_oldest(struct ks_map *m);
/* Asks the CPU for the memory the next ks_map_evict_oldest will read. */
void ks_map_prefetch_oldest(const struct ks_map *m);
size_t ks_map_count(const struct ks_map *m);
uint64_t ks_map_evicted(const struct ks_map *m);

/*
 * IP addresses as 16 bytes, IPv4 in its IPv6-mapped form, and networks
 * (addr.c).  A network holds only addresses of the family it was written
 * in.
 */
struct ks_cidr {
	uint8_t addr[16];
	unsigned prefix;            /* over the 16 bytes: IPv4 /8 is 104 */
	bool v4;
};
/* A dotted quad as inet_pton(AF_INET) takes it, the n bytes at p. */
bool ks_ipv4_parse(const char *p, size_t n, uint8_t out[4]);
/* An IPv4 or IPv6 address, the n bytes at p (no zone, no brackets). */
bool ks_addr_parse(const char *p, size_t n, uint8_t out[16]);
bool ks_addr_is_v4(const uint8_t a[16]);
/* "192.168.0.0/16", "2001:db8::/32", or one address. */
bool ks_cidr_parse(const char *s, struct ks_cidr *c);
bool ks_cidr_has(const struct ks_cidr *c, const uint8_t a[16]);
/* The same for an address as text: false when it is none. */
bool ks_cidr_contains(const struct ks_cidr *c, const char *ip);
/* Room for an address as text, as INET6_ADDRSTRLEN. */
#define KS_ADDR_TEXT 46
/* a as inet_ntop writes it, IPv4-mapped as IPv4; the text's length. */
size_t ks_addr_format(const uint8_t a[16], char out[KS_ADDR_TEXT]);

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
size_t ks_utf8_seq(const unsigned char *p, size_t n);

#endif
