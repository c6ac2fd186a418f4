/*
 * named.c - BIND's query log and its refusals.
 *
 * A resolver asking for many names at a steady rate is an automated tool
 * (seed 000: .mil names at 8 a second through the intruder's stepping
 * stone), and a refused query or zone transfer is a probe; rules count
 * dns.question.name and source.ip, so those two are what every form here
 * yields, with dns-query as the action and failure as the outcome of a
 * refusal.  Forms, newest first:
 *
 *   BIND 9:  "client @0x7f13c4158c00 1.2.3.4#3074 (example.com): query:
 *            example.com IN A +E(0)K (192.0.2.1)", without the "@0x..."
 *            or the "(name)" in older versions, optionally with "view V: "
 *            "client ... : query (cache) 'example.com/RRSIG/IN' denied"
 *            (the opening quote is sometimes missing: sshguard's corpus)
 *            "client ... : zone transfer 'example.com/AXFR/IN' denied",
 *            "client ... : bad zone transfer request: 'zone/IN': ...",
 *            "client ... : update 'zone/IN' denied",
 *            "client ... : transfer of 'zone/IN': AXFR started"
 *   BIND 8:  "XX+/192.0.2.8/cb02.arl.mil/A/IN" (query logging), and
 *            "unapproved query from [192.0.2.8].1234 for \"name\"",
 *            "unapproved AXFR from [IP].PORT for \"zone\" (acl)",
 *            "approved AXFR from ...", "denied update from ..."
 *
 * Everything else named says (lame servers, "unexpected RCODE", zone
 * loading) is not decoded.  The "client ADDR#PORT" form is named's alone,
 * so it is read through the content fallback too; the BIND 8 forms only
 * when the program is named.
 */
#include "decode/decode_int.h"

static bool
dns_event(struct ks_fields *f, const char *outcome, struct ks_str name)
{
	if (name.n > 0)
		ks_fields_set(f, KS_F_DNS_QUESTION_NAME, name.p, name.n);
	return ks_fields_event(f, KS_ACT_DNS_QUERY, outcome, "dns");
}

/* "NAME/TYPE/CLASS" or "NAME/CLASS" -> NAME, cutting parts from the right. */
static struct ks_str
strip_parts(struct ks_str t, int parts)
{
	while (parts-- > 0) {
		size_t i = t.n;

		while (i > 0 && t.p[i - 1] != '/')
			i--;
		if (i == 0)
			return KS_STR_NULL;
		t.n = i - 1;
	}
	return t;
}

/*
 * "'NAME/TYPE/CLASS'" as BIND 9 quotes it (opening quote optional), up
 * to the closing quote; the scanner is left after it.
 */
static struct ks_str
quoted_name(struct ks_scan *s, int parts)
{
	struct ks_str t;

	(void)ks_scan_lit(s, "'");
	t = ks_scan_until(s, '\'');
	if (!ks_scan_lit(s, "'") || t.n == 0)
		return KS_STR_NULL;
	return strip_parts(t, parts);
}

/* The client, ADDR and (when it is one) PORT; true. */
static bool
client(struct ks_fields *f, struct ks_str addr, struct ks_str port)
{
	(void)ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, addr.p,
	    addr.n);
	if (ks_str_isport(port))
		ks_fields_set(f, KS_F_SOURCE_PORT, port.p, port.n);
	return true;
}

/* "'NAME/...' denied" (see quoted_name): a refused request. */
static bool
denied(struct ks_scan s, int parts, struct ks_fields *f)
{
	struct ks_str name = quoted_name(&s, parts);

	return name.n > 0 && ks_scan_lit(&s, " denied") &&
	    dns_event(f, KS_OUT_FAILURE, name);
}

/* BIND 9: what follows "client ...: ". */
static bool
client_request(struct ks_scan s, struct ks_fields *f)
{
	struct ks_str name;

	if (ks_scan_lit(&s, "query: ")) {
		name = ks_scan_word(&s);
		return name.n > 0 && dns_event(f, NULL, name);
	}
	if (ks_scan_lit(&s, "query ")) {
		/* "query (cache) 'x/A/IN' denied", "query 'x/A/IN' denied" */
		(void)ks_scan_lit(&s, "(cache) ");
		return denied(s, 2, f);
	}
	if (ks_scan_lit(&s, "zone transfer "))
		return denied(s, 2, f);
	if (ks_scan_lit(&s, "bad zone transfer request: ")) {
		name = quoted_name(&s, 1);
		return name.n > 0 && dns_event(f, KS_OUT_FAILURE, name);
	}
	if (ks_scan_lit(&s, "update ")) {
		(void)ks_scan_lit(&s, "forwarding ");
		return denied(s, 1, f);
	}
	if (ks_scan_lit(&s, "transfer of ")) {
		name = quoted_name(&s, 1);
		return name.n > 0 && ks_scan_lit(&s, ": ") &&
		    ks_scan_word(&s).n > 0 && ks_scan_lit(&s, "started") &&
		    dns_event(f, KS_OUT_SUCCESS, name);
	}
	return false;
}

/* "client [@0x...] ADDR#PORT[ (NAME)]: [view V: ]REQUEST" */
static bool
bind9(struct ks_scan s, struct ks_fields *f)
{
	struct ks_str addr, port;
	const char *hash;

	if (!ks_scan_lit(&s, "client "))
		return false;
	if (s.p < s.end && *s.p == '@' && ks_scan_word(&s).n == 0)
		return false;
	addr = ks_scan_until(&s, ' ');
	if (addr.n > 0 && addr.p[addr.n - 1] == ':')
		addr.n--;       /* "client 192.0.2.8#53: query: ..." */
	else if (!ks_scan_lit(&s, " (") || !ks_scan_past(&s, "):"))
		return false;
	if (!ks_scan_lit(&s, ":") && !ks_scan_lit(&s, " "))
		return false;
	(void)ks_scan_lit(&s, " ");
	hash = memchr(addr.p, '#', addr.n);
	if (hash == NULL)
		return false;
	port = ks_str_make(hash + 1, (size_t)(addr.p + addr.n - hash - 1));
	addr.n = (size_t)(hash - addr.p);
	if (ks_scan_lit(&s, "view ") && !ks_scan_past(&s, ": "))
		return false;
	return client_request(s, f) && client(f, addr, port);
}

/* BIND 8: "[IP].PORT for \"NAME\"" after "unapproved query from " etc. */
static bool
bind8_peer(struct ks_scan s, struct ks_fields *f, const char *outcome)
{
	struct ks_str addr, port, name;

	if (!ks_scan_lit(&s, "["))
		return false;
	addr = ks_scan_until(&s, ']');
	if (addr.n == 0 || !ks_scan_lit(&s, "]."))
		return false;
	port = ks_scan_digits(&s);
	if (!ks_scan_lit(&s, " for "))
		return false;
	if (ks_scan_lit(&s, "\""))
		name = ks_scan_until(&s, '"');
	else
		name = ks_scan_until(&s, ' ');
	if (name.n == 0)
		return false;
	return dns_event(f, outcome, name) && client(f, addr, port);
}

/* True when "..../IN" ends in a class, not a type. */
static bool
is_class(struct ks_str t)
{
	static const char *const classes[] = { "/IN", "/CH", "/CHAOS",
	    "/HS", "/ANY", "/NONE", NULL };

	for (const char *const *c = classes; *c != NULL; c++) {
		size_t n = strlen(*c);

		if (t.n > n && memcmp(t.p + t.n - n, *c, n) == 0)
			return true;
	}
	return false;
}

/* BIND 4/8 query log: "XX+/192.0.2.8/cb02.arl.mil/A/IN", "XX /..." */
static bool
bind8_query(struct ks_scan s, struct ks_fields *f)
{
	struct ks_str addr, rest, name;

	if (!ks_scan_lit(&s, "XX"))
		return false;
	(void)ks_scan_lit(&s, "+");
	ks_scan_spaces(&s);
	if (!ks_scan_lit(&s, "/"))
		return false;
	addr = ks_scan_until(&s, '/');
	if (addr.n == 0 || !ks_scan_lit(&s, "/"))
		return false;
	rest = ks_scan_rest(&s);
	/* NAME/TYPE/CLASS (BIND 8) or NAME/TYPE (BIND 4.9) */
	name = strip_parts(rest, is_class(rest) ? 2 : 1);
	if (name.n == 0 || memchr(name.p, ' ', name.n) != NULL)
		return false;
	if (!ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, addr.p,
	    addr.n))
		return false;
	return dns_event(f, NULL, name);
}

static bool
bind8(struct ks_scan s, struct ks_fields *f)
{
	if (ks_scan_lit(&s, "unapproved query from ") ||
	    ks_scan_lit(&s, "unapproved AXFR from ") ||
	    ks_scan_lit(&s, "unapproved update from ") ||
	    ks_scan_lit(&s, "denied update from "))
		return bind8_peer(s, f, KS_OUT_FAILURE);
	if (ks_scan_lit(&s, "approved AXFR from "))
		return bind8_peer(s, f, KS_OUT_SUCCESS);
	return bind8_query(s, f);
}

bool
ks_dec_named(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	bool own = ev->program.n == 0 || ks_str_eq(ev->program, "named");

	if (msg.n < 10)
		return false;
	/* print-category/print-severity: "queries: info: client ..." */
	if (msg.p[0] == 'q' && ks_scan_lit(&s, "queries: "))
		(void)ks_scan_lit(&s, "info: ");
	else if (msg.p[0] == 's' && ks_scan_lit(&s, "security: "))
		(void)(ks_scan_lit(&s, "error: ") || ks_scan_lit(&s, "info: "));
	else if (msg.p[0] == 'x' && ks_scan_lit(&s, "xfer-out: "))
		(void)ks_scan_lit(&s, "info: ");
	if (ks_scan_left(&s) == 0)
		return false;
	switch (*s.p) {
	case 'c':
		return bind9(s, f);
	case 'X':
	case 'u':
	case 'd':
	case 'a':
		return own && bind8(s, f);
	default:
		return false;
	}
}
