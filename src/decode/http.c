/*
 * http.c - Apache and nginx access logs, common and combined:
 *
 *   CLIENT IDENT USER [STAMP] "METHOD URL PROTO" STATUS BYTES "REF" "UA"
 *
 * The framer has already checked the layout up to the request's opening
 * quote and read the stamp; this takes the client, the user, the request
 * and the status.  The request is what the client sent, so it is taken
 * as it is: a URL keeps its %-escapes, and a request that is not "METHOD
 * URL PROTO" at all (TLS bytes sent to a plain port, "-" with status 400)
 * still yields the client and the status.  Apache writes a '"' in the
 * request as \" and nginx as \x22, so the request ends at the first quote
 * not escaped by a backslash.
 */
#include <string.h>

#include "decode/decode_int.h"

/* The closing quote of a quoted field that starts at p, or NULL. */
static const char *
close_quote(const char *p, const char *end)
{
	size_t bs = 0;

	for (; p < end; p++) {
		if (*p == '"' && bs % 2 == 0)
			return p;
		bs = *p == '\\' ? bs + 1 : 0;
	}
	return NULL;
}

static bool
is_method(struct ks_str w)
{
	if (w.n == 0 || w.n > 32)
		return false;
	for (size_t i = 0; i < w.n; i++)
		if (!((w.p[i] >= 'A' && w.p[i] <= 'Z') || w.p[i] == '-' ||
		    w.p[i] == '_'))
			return false;
	return true;
}

/* "GET /x HTTP/1.1", "GET /x" (HTTP/0.9), or whatever the client sent. */
static void
request(struct ks_fields *f, const char *p, const char *end)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p)), *u, *ue;
	struct ks_str method;

	if (sp == NULL)
		return;
	method = ks_str_make(p, (size_t)(sp - p));
	if (!is_method(method))
		return;
	ks_fields_set(f, KS_F_HTTP_REQUEST_METHOD, method.p, method.n);
	u = sp + 1;
	for (ue = end; ue > u && ue[-1] != ' '; ue--)
		;
	if (ue > u && end - ue >= 5 && memcmp(ue, "HTTP/", 5) == 0)
		ue--;
	else
		ue = end;
	if (ue > u)
		ks_fields_set(f, KS_F_URL_ORIGINAL, u, (size_t)(ue - u));
}

bool
ks_dec_http(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str client, user, status;
	const char *q, *end = msg.p + msg.n;

	(void)ev;
	client = ks_scan_word(&s);
	(void)ks_scan_word(&s);                 /* identd's answer */
	user = ks_scan_word(&s);
	if (client.n == 0 || user.n == 0 || !ks_scan_lit(&s, "[") ||
	    !ks_scan_past(&s, "] \""))
		return false;
	ks_fields_sets(f, KS_F_EVENT_ACTION, KS_ACT_HTTP_REQUEST);
	ks_fields_sets(f, KS_F_NETWORK_PROTOCOL, "http");
	ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, client.p,
	    client.n);
	if (user.n >= 2 && user.p[0] == '"' && user.p[user.n - 1] == '"')
		user = ks_str_make(user.p + 1, user.n - 2);
	if (user.n > 0 && !ks_str_eq(user, "-"))
		ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	if ((q = close_quote(s.p, end)) == NULL) {
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, KS_OUT_UNKNOWN);
		return true;
	}
	request(f, s.p, q);
	s.p = q + 1;
	ks_scan_spaces(&s);
	status = ks_scan_word(&s);
	if (status.n == 3 && status.p[0] >= '1' && status.p[0] <= '5' &&
	    status.p[1] >= '0' && status.p[1] <= '9' &&
	    status.p[2] >= '0' && status.p[2] <= '9') {
		ks_fields_set(f, KS_F_HTTP_RESPONSE_STATUS_CODE, status.p, 3);
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, status.p[0] <= '3' ?
		    KS_OUT_SUCCESS : KS_OUT_FAILURE);
	} else
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, KS_OUT_UNKNOWN);
	return true;
}
