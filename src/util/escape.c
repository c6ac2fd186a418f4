/*
 * escape.c - making attacker-written bytes safe to print.
 *
 * Log lines, file names and netstat text reach kansatsu from intruders.
 * Printed raw they could move the cursor, rewrite a terminal's title or
 * hide a line (ESC sequences, CR, the C1 CSI byte 0x9b), or break a JSON
 * reader (invalid UTF-8).  Both escapers copy runs of harmless bytes in
 * one memcpy and stop only at the bytes that need care, so that the
 * common all-ASCII line costs one pass.
 */
#include <string.h>

#include "util/util.h"

static const char hexdig[] = "0123456789abcdef";

/* Bytes that end a run of plain copying: controls, '"', '\\', non-ASCII. */
static inline bool
plain_json(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

size_t
ks_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void
add_hex_byte(struct ks_buf *b, const char *prefix, unsigned char c)
{
	char tmp[2] = { hexdig[c >> 4], hexdig[c & 15] };

	ks_buf_adds(b, prefix);
	ks_buf_add(b, tmp, 2);
}

/* U+0080..U+009F encoded as C2 80..C2 9F: terminals may obey them. */
static inline bool
is_c1(const unsigned char *p, size_t len)
{
	return len == 2 && p[0] == 0xc2 && p[1] <= 0x9f;
}

/*
 * U+FFFE and U+FFFF, EF BF BE and EF BF BF: valid UTF-8 that no XML
 * document may hold (text escaping feeds IODEF, and libxml2 refuses the
 * document), and no text means.
 */
static inline bool
is_nonchar(const unsigned char *p, size_t len)
{
	return len == 3 && p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe;
}

void
ks_escape_json(struct ks_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start, len;
	unsigned char c;

	while (i < n) {
		start = i;
		while (i < n && plain_json(p[i]))
			i++;
		ks_buf_add(b, p + start, i - start);
		if (i >= n)
			break;
		c = p[i];
		if (c == '"' || c == '\\') {
			ks_buf_addc(b, '\\');
			ks_buf_addc(b, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': ks_buf_add(b, "\\n", 2); break;
			case '\t': ks_buf_add(b, "\\t", 2); break;
			case '\r': ks_buf_add(b, "\\r", 2); break;
			default: add_hex_byte(b, "\\u00", c); break;
			}
			i++;
		} else if ((len = ks_utf8_seq(p + i, n - i)) == 0) {
			add_hex_byte(b, "\\\\x", c);
			i++;
		} else if (is_c1(p + i, len)) {
			add_hex_byte(b, "\\u00", p[i + 1]);
			i += len;
		} else {
			ks_buf_add(b, p + i, len);
			i += len;
		}
	}
}

void
ks_json_str(struct ks_buf *b, const char *p, size_t n)
{
	ks_buf_addc(b, '"');
	ks_escape_json(b, p, n);
	ks_buf_addc(b, '"');
}

static inline bool
plain_text(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

void
ks_escape_text(struct ks_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start, len;
	unsigned char c;

	while (i < n) {
		start = i;
		while (i < n && plain_text(p[i]))
			i++;
		ks_buf_add(b, p + start, i - start);
		if (i >= n)
			break;
		c = p[i];
		if (c == '\\') {
			ks_buf_add(b, "\\\\", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': ks_buf_add(b, "\\n", 2); break;
			case '\t': ks_buf_add(b, "\\t", 2); break;
			case '\r': ks_buf_add(b, "\\r", 2); break;
			case 0x1b: ks_buf_add(b, "\\e", 2); break;
			default: add_hex_byte(b, "\\x", c); break;
			}
			i++;
		} else if ((len = ks_utf8_seq(p + i, n - i)) == 0 ||
		    is_c1(p + i, len) || is_nonchar(p + i, len)) {
			len = len ? len : 1;
			while (len-- > 0)
				add_hex_byte(b, "\\x", p[i++]);
		} else {
			ks_buf_add(b, p + i, len);
			i += len;
		}
	}
}
