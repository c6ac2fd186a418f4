/*
 * mime.c - RFC 5322 messages with MIME, for the notification drafts.
 *
 * A draft is a file an analyst opens in a mail client, checks and
 * sends, so it must be a real message: CRLF line ends, lines under 78
 * characters, header values that are not plain ASCII as RFC 2047
 * encoded words (UTF-8, base64, cut on character boundaries), and a
 * multipart/mixed body whose parts are all base64, so that no part can
 * contain the boundary and no log line can break the message.  Address
 * parts come from reports and are hostile: an address that is not a
 * plain addr-spec is refused, never written.
 */
#include <stdio.h>
#include <string.h>

#include "frame/frame.h"
#include "hub/hub_int.h"
#include "util/i18n.h"


static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of p[0..n), no line breaks. */
static void
b64(struct ks_buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		ks_buf_addc(b, b64chars[(v >> 18) & 63]);
		ks_buf_addc(b, b64chars[(v >> 12) & 63]);
		ks_buf_addc(b, i + 1 < n ? b64chars[(v >> 6) & 63] : '=');
		ks_buf_addc(b, i + 2 < n ? b64chars[v & 63] : '=');
	}
}

/* Base64 in lines of 76 characters, each ending in CRLF. */
static void
b64_lines(struct ks_buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 57) {
		b64(b, p + i, n - i < 57 ? n - i : 57);
		ks_buf_adds(b, "\r\n");
	}
}

static bool
plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Bytes of whole UTF-8 characters in p[0..n), at most max. */
static size_t
whole_chars(const char *p, size_t n, size_t max)
{
	size_t used = 0, k;

	while (used < n) {
		k = ks_utf8_seq((const unsigned char *)p + used, n - used);
		if (k == 0)
			k = 1;   /* invalid: one byte, encoded as it is */
		if (used + k > max)
			break;
		used += k;
	}
	return used > 0 ? used : (n < max ? n : max);
}

/*
 * The value as encoded words of at most 45 bytes each (75 characters
 * with the =?UTF-8?B?...?= around), folded one word a line.
 */
static void
encoded_words(struct ks_buf *b, const char *s)
{
	size_t n = strlen(s), used;
	bool first = true;

	while (n > 0) {
		used = whole_chars(s, n, 45);
		if (!first)
			ks_buf_adds(b, "\r\n ");
		ks_buf_adds(b, "=?UTF-8?B?");
		b64(b, (const unsigned char *)s, used);
		ks_buf_adds(b, "?=");
		s += used;
		n -= used;
		first = false;
	}
}

void
ks_mime_header(struct ks_buf *b, const char *name, const char *value)
{
	ks_buf_addf(b, "%s: ", name);
	if (plain_ascii(value) && strlen(name) + 2 + strlen(value) <= 78 &&
	    strstr(value, "=?") == NULL)
		ks_buf_adds(b, value);
	else
		encoded_words(b, value);
	ks_buf_adds(b, "\r\n");
}

bool
ks_mime_addr_ok(const char *a)
{
	const char *at = a != NULL ? strrchr(a, '@') : NULL;
	static const char local_ok[] = "!#$%&'*+-/=?^_`{|}~.";

	if (at == NULL || at == a || at[1] == '\0' || strlen(a) > 254)
		return false;
	for (const char *p = a; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    ks_isdigit(*p) || strchr(local_ok, *p) != NULL))
			return false;
	for (const char *p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    ks_isdigit(*p) || *p == '-' || *p == '.'))
			return false;
	return true;
}

/* name <addr>: a quoted ASCII name, or encoded words. */
static void
address(struct ks_buf *b, const char *header, const char *name,
    const char *addr)
{
	ks_buf_addf(b, "%s: ", header);
	if (name != NULL && name[0] != '\0') {
		if (plain_ascii(name) && strlen(name) < 60) {
			ks_buf_addc(b, '"');
			for (const char *p = name; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					ks_buf_addc(b, '\\');
				ks_buf_addc(b, *p);
			}
			ks_buf_addc(b, '"');
		} else {
			encoded_words(b, name);
		}
		ks_buf_adds(b, "\r\n ");
	}
	ks_buf_addf(b, "<%s>\r\n", addr);
}

static void
date_header(struct ks_buf *b, int64_t us, int32_t off)
{
	static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
	    "Tue", "Wed" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t s = us / 1000000 + off, day = s / 86400, sod, y;
	unsigned m, d;
	int32_t aoff = off < 0 ? -off : off;

	if (s % 86400 < 0)
		day--;
	sod = s - day * 86400;
	ks_civil_from_days(day, &y, &m, &d);
	ks_buf_addf(b, "Date: %s, %u %s %lld %02d:%02d:%02d %c%02d%02d\r\n",
	    days[((day % 7) + 7) % 7], d, months[m - 1], (long long)y,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
	    off < 0 ? '-' : '+', (int)(aoff / 3600), (int)(aoff / 60 % 60));
}

static bool
name_ok(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 100)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    ks_isdigit(*s) || *s == '.' || *s == '-' || *s == '_'))
			return false;
	return true;
}

static bool
type_ok(const char *s)
{
	const char *slash = s ? strchr(s, '/') : NULL;

	return slash != NULL && slash != s && slash[1] != '\0' &&
	    strlen(s) < 80 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789+-./") == strlen(s);
}

/* The text with LF line ends made CRLF, as MIME's canonical text. */
static void
canonical_text(struct ks_buf *b, const char *t)
{
	for (; *t != '\0'; t++) {
		if (*t == '\n' && (b->len == 0 || b->p[b->len - 1] != '\r'))
			ks_buf_addc(b, '\r');
		ks_buf_addc(b, *t);
	}
}

int
ks_mime_write(struct ks_buf *b, const struct ks_mime_msg *m,
    struct ks_err *err)
{
	struct ks_buf text;
	char boundary[96];

	if (!ks_mime_addr_ok(m->from_addr) || !ks_mime_addr_ok(m->to_addr))
		return ks_err_set(err, _("not a plain mail address: %.80s"),
		    ks_mime_addr_ok(m->from_addr) ? m->to_addr : m->from_addr);
	for (size_t i = 0; i < m->natt; i++)
		if (!name_ok(m->att[i].name) || !type_ok(m->att[i].type))
			return ks_err_set(err, _("attachment name or type not "
			    "safe: %.80s"), m->att[i].name);
	if (!name_ok(m->message_id) && strchr(m->message_id, '@') == NULL)
		return ks_err_set(err, "bad Message-ID");
	/* '=' and '_' never occur in base64 lines, so never in a part */
	snprintf(boundary, sizeof(boundary), "=_kansatsu_%.60s",
	    m->message_id);
	for (char *p = boundary; *p != '\0'; p++)
		if (*p == '@')
			*p = '_';
	address(b, "From", m->from_name, m->from_addr);
	address(b, "To", m->to_name, m->to_addr);
	ks_mime_header(b, "Subject", m->subject);
	date_header(b, m->date_us, m->date_off);
	ks_buf_addf(b, "Message-ID: <%s>\r\n", m->message_id);
	ks_buf_adds(b, "MIME-Version: 1.0\r\n");
	ks_buf_addf(b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n"
	    "\r\nThis is a message in MIME format.\r\n", boundary);
	ks_buf_addf(b, "\r\n--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	ks_buf_init(&text);
	canonical_text(&text, m->text);
	if (text.failed) {
		ks_buf_free(&text);
		return ks_err_set(err, "out of memory");
	}
	b64_lines(b, (const unsigned char *)text.p, text.len);
	ks_buf_free(&text);
	for (size_t i = 0; i < m->natt; i++) {
		ks_buf_addf(b, "\r\n--%s\r\nContent-Type: %s;\r\n name=\"%s\"\r\n"
		    "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", boundary,
		    m->att[i].type, m->att[i].name, m->att[i].name);
		b64_lines(b, m->att[i].data, m->att[i].n);
	}
	ks_buf_addf(b, "\r\n--%s--\r\n", boundary);
	return ks_buf_failed(b) ? ks_err_set(err, "out of memory") : 0;
}
