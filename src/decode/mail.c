/*
 * mail.c - the MTAs: sendmail (and sm-mta), and postfix with the programs
 * that log beside it (postgrey) or instead of it (OpenSMTPD).
 *
 * sendmail writes one line per envelope step, keyed by the queue id:
 * "QID: from=<a>, size=.., relay=HOST [IP]" when it accepts a message,
 * "QID: to=b, delay=.., mailer=M, stat=S" when it delivers one, and
 * "ruleset=check_rcpt, arg1=<x>, relay=.., reject=.." when it refuses.
 * The values are free text: the 1996 attacks put "|/bin/mail x < /etc/passwd"
 * in the sender, with spaces, '<' and ',', and that is exactly the value
 * a rule must see.  So a value does not end at the first comma but where
 * ", KEY=" follows with a KEY sendmail writes (a bracketed one at ">, KEY="),
 * and the line is read value after value, so that an address carrying a
 * fake ", relay=..." is not taken for the real relay= written after it;
 * stat= and reject= run to the end of the line.
 *
 * postfix writes "HOST[IP]" without a space and one line per daemon and
 * step (smtpd's connect and reject, qmgr's from=, smtp's to= ... status=).
 * Its values never hold spaces except the last, status= or the reply text
 * of a reject, so those are taken to the end or to "; from=".
 *
 * Both decoders first take off the queue id ("CAA04211: ", "NOQUEUE: ") and
 * then switch on the first byte of what follows; forms that can appear
 * anywhere ("Relaying denied") are searched for only after that fails.
 */
#include <string.h>

#include "decode/decode_int.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The classes of a byte that queue ids and sendmail's keys are made of,
 * one look-up a byte: those loops run over every sendmail and postfix
 * line, a dozen bytes at a time.
 */
enum { C_ALNUM = 1, C_DIGIT = 2, C_KEY = 4 };
static const unsigned char byte_class[256] = {
	['0' ... '9'] = C_ALNUM | C_DIGIT | C_KEY,
	['A' ... 'Z'] = C_ALNUM,
	['a' ... 'z'] = C_ALNUM | C_KEY,
	['_'] = C_KEY,
};

static bool
is_class(char c, unsigned cls)
{
	return (byte_class[(unsigned char)c] & cls) != 0;
}

/* "<a@b>" as "a@b"; a list "<a>,<b>" and bare values stay as they are. */
static struct ks_str
unangle(struct ks_str v)
{
	if (v.n >= 2 && v.p[0] == '<' && v.p[v.n - 1] == '>' &&
	    ks_memfind(v.p, v.n, ">,", 2) == NULL)
		return ks_str_make(v.p + 1, v.n - 2);
	return v;
}

/*
 * The queue id that starts a message ("CAA04211: ", "3F2A81E04C: ") is
 * returned and cut off body; "NOQUEUE: " is cut off and returns none.  An
 * id is letters and digits with at least one digit, so that "warning: "
 * is not taken for one.
 */
static struct ks_str
queue_id(struct ks_str *body)
{
	const char *p = body->p, *end = p + body->n, *q = p;
	const char *lim = body->n < 32 ? end : p + 32;
	unsigned all = 0, c;
	bool digit;

	while (q < lim && ((c = byte_class[(unsigned char)*q]) & C_ALNUM)) {
		all |= c;
		q++;
	}
	digit = (all & C_DIGIT) != 0;
	if (q - p < 5 || !ks_at(q, end, ": "))
		return KS_STR_NULL;
	if (!digit && !(q - p == 7 && memcmp(p, "NOQUEUE", 7) == 0))
		return KS_STR_NULL;
	*body = ks_span(q + 2, end);
	return digit ? ks_span(p, q) : KS_STR_NULL;
}

/* ---- sendmail --------------------------------------------------------- */

/*
 * Whether one of the keys sendmail writes ("relay=") starts at p.  Every
 * ", " of a line asks, so the keys are compared in place, those with the
 * first letter of p only, each with a compare of constant length.
 */
static bool
sm_key_at(const char *p, const char *end)
{
	if (p >= end)
		return false;
	switch (*p) {
	case 'a':
		return ks_at(p, end, "arg1=") || ks_at(p, end, "arg2=") ||
		    ks_at(p, end, "auth=") || ks_at(p, end, "authid=");
	case 'b':
		return ks_at(p, end, "bits=") || ks_at(p, end, "bodytype=");
	case 'c':
		return ks_at(p, end, "class=") || ks_at(p, end, "ctladdr=");
	case 'd':
		return ks_at(p, end, "daemon=") || ks_at(p, end, "delay=") ||
		    ks_at(p, end, "dsn=");
	case 'm':
		return ks_at(p, end, "mailer=") || ks_at(p, end, "mech=") ||
		    ks_at(p, end, "msgid=");
	case 'n':
		return ks_at(p, end, "nrcpts=");
	case 'p':
		return ks_at(p, end, "pri=") || ks_at(p, end, "proto=");
	case 'q':
		return ks_at(p, end, "quarantine=");
	case 'r':
		return ks_at(p, end, "reject=") || ks_at(p, end, "relay=");
	case 's':
		return ks_at(p, end, "size=") || ks_at(p, end, "stat=");
	case 't':
		return ks_at(p, end, "tries=");
	case 'u':
		return ks_at(p, end, "user=");
	case 'x':
		return ks_at(p, end, "xdelay=");
	default:
		return false;
	}
}

/*
 * Where the value that starts at p ends: at ", KEY=" with a known KEY;
 * for a value in angle brackets, when angle, preferably at the first
 * ">, KEY=", so that "<x, relay=y>" stays one value.  That search may run
 * to the end of the line, so callers ask for it only for the address
 * values at the start (from=, to=, arg1=), keeping a line linear.
 */
static const char *
sm_value_end(const char *p, const char *end, bool angle)
{
	const char *q;

	if (angle && p < end && *p == '<')
		for (q = p; (q = ks_find(q, end, ">, ")) != NULL; q += 3)
			if (sm_key_at(q + 3, end))
				return q + 1;
	for (q = p; (q = ks_find(q, end, ", ")) != NULL; q += 2)
		if (sm_key_at(q + 2, end))
			return q;
	return end;
}

/*
 * A line's KEY=value pairs, read once.  The body is a sequence of
 * values, each ending where the next known key starts, so that a key
 * inside an address is never seen; of several values of one key, the
 * last counts.  A hostile line with more pairs keeps the last SM_KV_MAX,
 * and the first value apart: the address of from= and to=.
 */
#define SM_KV_MAX 32

struct sm_kvs {
	struct sm_kv {
		struct ks_str key;      /* with its '=' */
		struct ks_str val;
	} e[SM_KV_MAX];
	size_t n;
	struct ks_str first;            /* the first value */
};

static void
sm_split(struct ks_str body, struct sm_kvs *kv)
{
	const char *p = body.p, *end = p + body.n, *v, *e;
	struct ks_str key;

	kv->n = 0;
	kv->first = KS_STR_NULL;
	for (int i = 0; p < end; i++) {
		for (v = p; v < end && is_class(*v, C_KEY); v++)
			;
		key = v < end && *v == '=' ? ks_span(p, v + 1) : KS_STR_NULL;
		v = key.p != NULL ? v + 1 : p;
		e = sm_value_end(v, end, i < 2);
		if (i == 0)
			kv->first = ks_span(v, e);
		if (key.n > 1) {
			if (kv->n == SM_KV_MAX) {
				memmove(kv->e, kv->e + 1,
				    (SM_KV_MAX - 1) * sizeof(*kv->e));
				kv->n--;
			}
			kv->e[kv->n++] = (struct sm_kv){ key, ks_span(v, e) };
		}
		if (e >= end)
			break;
		p = e + 2;
	}
}

/* The value of key ("relay=") among kv, or KS_STR_NULL. */
static struct ks_str
sm_get(const struct sm_kvs *kv, const char *key)
{
	for (size_t i = kv->n; i-- > 0;)
		if (ks_str_eq(kv->e[i].key, key))
			return kv->e[i].val;
	return KS_STR_NULL;
}

/*
 * stat= and reject= are the last thing sendmail writes and run to the
 * end of the line from their last occurrence, whatever they hold.  That
 * is near the end, so it is looked for backwards, comma by comma.
 */
static struct ks_str
sm_tail(struct ks_str body, const char *key)
{
	const char *p = body.p, *end = p + body.n, *q = end;
	size_t kn = strlen(key);

	while (q > p && (q = memrchr(p, ',', (size_t)(q - p))) != NULL)
		if (ks_at(q, end, ", ") && ks_at(q + 2, end, key))
			return ks_span(q + 2 + kn, end);
	return ks_at(p, end, key) ? ks_span(p + kn, end) : KS_STR_NULL;
}

/*
 * A peer as sendmail prints it: "host.example. [192.0.2.1]", "[192.0.2.1]",
 * "ident@host [192.0.2.1] (may be forged)", "[IPv6:2001:db8::1]",
 * "root@localhost".
 */
static void
sm_peer(struct ks_fields *f, struct ks_str v, enum ks_field ipf,
    enum ks_field domf)
{
	const char *p, *end, *h, *rb;

	if (v.n == 0)
		return;
	p = v.p;
	end = v.p + v.n;
	if (p < end && *p != '[') {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *hend = sp ? sp : end;

		for (h = hend; h > p && h[-1] != '@'; h--)
			;
		ks_fields_host(f, ipf, domf, h, (size_t)(hend - h));
		p = sp ? sp + 1 : end;
	}
	if (p < end && *p == '[' &&
	    (rb = memchr(p, ']', (size_t)(end - p))) != NULL) {
		p++;
		if (ks_at(p, rb, "IPv6:"))
			p += 5;
		ks_fields_ip(f, ipf, domf, p, (size_t)(rb - p));
	}
}

/* The last "[IP]" of a text ("... IP name lookup failed [192.0.2.1]"). */
static bool
sm_last_bracket(struct ks_fields *f, struct ks_str s)
{
	const char *end = s.p + s.n, *rb, *lb;

	for (rb = end; rb > s.p && rb[-1] != ']'; rb--)
		;
	if (rb == s.p)
		return false;
	rb--;
	for (lb = rb; lb > s.p && lb[-1] != '['; lb--)
		;
	if (lb == s.p)
		return false;
	if (ks_at(lb, rb, "IPv6:"))
		lb += 5;
	return ks_fields_ip(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, lb,
	    (size_t)(rb - lb));
}

static void
mail_common(struct ks_fields *f, struct ks_str qid, const char *action,
    const char *outcome)
{
	(void)ks_fields_event(f, action, outcome, "smtp");
	if (qid.n > 0)
		ks_fields_set(f, KS_F_EMAIL_LOCAL_ID, qid.p, qid.n);
}

/*
 * "from=<a>, size=N, class=N, pri=N, nrcpts=N, msgid=<..>, proto=SMTP,
 * relay=.."
 */
static bool
sm_from(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	const char *end = body.p + body.n;
	struct ks_str from;
	struct sm_kvs kv;

	sm_split(body, &kv);
	from = kv.first;
	/* postfix's qmgr writes nrcpt= where sendmail writes nrcpts= */
	if (from.p + from.n == end ||
	    ks_find(from.p + from.n, end, ", nrcpt=") != NULL)
		return false;
	mail_common(f, qid, KS_ACT_MAIL_FROM, KS_OUT_SUCCESS);
	from = unangle(from);
	ks_fields_set(f, KS_F_EMAIL_FROM_ADDRESS, from.p, from.n);
	sm_peer(f, sm_get(&kv, "relay="), KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN);
	return true;
}

/* "to=b, [ctladdr=..,] delay=.., xdelay=.., mailer=M, [relay=..,] stat=S" */
static bool
sm_to(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	struct ks_str stat = sm_tail(body, "stat="), to, mailer;
	struct sm_kvs kv;
	const char *outcome = KS_OUT_FAILURE;

	if (stat.n == 0)
		return false;
	if (ks_str_starts(stat, "Sent"))
		outcome = KS_OUT_SUCCESS;
	else if (ks_str_starts(stat, "queued") || ks_str_starts(stat, "Queued"))
		outcome = KS_OUT_UNKNOWN;
	mail_common(f, qid, KS_ACT_MAIL_TO, outcome);
	sm_split(body, &kv);
	to = unangle(kv.first);
	ks_fields_set(f, KS_F_EMAIL_TO_ADDRESS, to.p, to.n);
	mailer = sm_get(&kv, "mailer=");
	ks_fields_set(f, KS_F_EMAIL_MAILER, mailer.p, mailer.n);
	ks_fields_set(f, KS_F_EMAIL_STATUS, stat.p, stat.n);
	sm_peer(f, sm_get(&kv, "relay="), KS_F_DESTINATION_IP,
	    KS_F_DESTINATION_DOMAIN);
	return true;
}

/*
 * "ruleset=check_rcpt, arg1=<x>, relay=.., reject=550 5.7.1 <x>...
 * Relaying denied", and any line with relay= and reject=: the reject
 * reply is the status, arg1 the recipient (check_rcpt) or sender
 * (check_mail).
 */
static bool
sm_reject(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	struct ks_str reject = sm_tail(body, "reject="), arg1;
	struct sm_kvs kv;

	if (reject.n == 0)
		return false;
	sm_split(body, &kv);
	mail_common(f, qid, KS_ACT_MAIL_REJECT, KS_OUT_FAILURE);
	ks_fields_set(f, KS_F_EMAIL_STATUS, reject.p, reject.n);
	arg1 = unangle(sm_get(&kv, "arg1="));
	if (ks_str_starts(body, "ruleset=check_rcpt,"))
		ks_fields_set(f, KS_F_EMAIL_TO_ADDRESS, arg1.p, arg1.n);
	else if (ks_str_starts(body, "ruleset=check_mail,"))
		ks_fields_set(f, KS_F_EMAIL_FROM_ADDRESS, arg1.p, arg1.n);
	sm_peer(f, sm_get(&kv, "relay="), KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN);
	if (f->v[KS_F_SOURCE_IP].n == 0)
		sm_last_bracket(f, reject);
	return true;
}

/*
 * "AUTH failure (LOGIN): authentication failure (-13) SASL(-13): ...,
 * user=bob, relay=[192.0.2.1]" and "AUTH=server, relay=.., authid=bob,
 * mech=LOGIN, bits=0".
 */
static bool
sm_auth(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	struct ks_str user;
	struct sm_kvs kv;
	bool ok = ks_str_starts(body, "AUTH=server,");

	if (!ok && !ks_str_starts(body, "AUTH failure ("))
		return false;
	mail_common(f, qid, ok ? KS_ACT_LOGON : KS_ACT_LOGON_FAILED,
	    ok ? KS_OUT_SUCCESS : KS_OUT_FAILURE);
	sm_split(body, &kv);
	user = sm_get(&kv, ok ? "authid=" : "user=");
	ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	sm_peer(f, sm_get(&kv, "relay="), KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN);
	return true;
}

/*
 * Lines that start with the peer: "HOST [IP] did not issue
 * MAIL/EXPN/VRFY/ETRN during connection to MTA", "HOST [IP]: VRFY root
 * [rejected]", "HOST [IP]: possible SMTP attack: command=HELO, count=5",
 * "connect from HOST [IP]" (LogLevel 10) and "lost input channel from
 * HOST [IP] to MTA after rcpt".
 */
static bool
sm_peer_line(struct ks_str qid, struct ks_str body, bool queued,
    struct ks_fields *f)
{
	const char *p = body.p, *end = p + body.n, *q, *w;

	q = ks_find(p, end, " did not issue MAIL/EXPN/VRFY/ETRN");
	if (q != NULL) {
		mail_common(f, qid, KS_ACT_PROBE, KS_OUT_UNKNOWN);
		sm_peer(f, ks_span(p, q), KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN);
		return true;
	}
	if (ks_at(p, end, "connect from ") && queued) {
		mail_common(f, qid, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
		sm_peer(f, ks_span(p + 13, end), KS_F_SOURCE_IP,
		    KS_F_SOURCE_DOMAIN);
		return f->v[KS_F_SOURCE_IP].n > 0;
	}
	if (ks_at(p, end, "lost input channel from ")) {
		p += 24;
		q = ks_find(p, end, " to ");
		mail_common(f, qid, KS_ACT_DISCONNECT, KS_OUT_UNKNOWN);
		sm_peer(f, ks_span(p, q ? q : end), KS_F_SOURCE_IP,
		    KS_F_SOURCE_DOMAIN);
		return true;
	}
	if ((q = ks_find(p, end, "]: ")) == NULL)
		return false;
	w = q + 3;
	if (ks_at(w, end, "VRFY ") || ks_at(w, end, "EXPN ")) {
		const char *u = w + 5, *ue = memchr(u, ' ', (size_t)(end - u));

		mail_common(f, qid, KS_ACT_PROBE, KS_OUT_UNKNOWN);
		ue = ue ? ue : end;
		ks_fields_set(f, KS_F_USER_NAME, u, (size_t)(ue - u));
	} else if (ks_at(w, end, "possible SMTP attack:") ||
	    ks_at(w, end, "Possible SMTP RCPT flood")) {
		mail_common(f, qid, KS_ACT_PROBE, KS_OUT_UNKNOWN);
	} else
		return false;
	sm_peer(f, ks_span(p, q + 1), KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN);
	return true;
}

bool
ks_dec_sendmail(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	struct ks_str body = msg, qid = queue_id(&body);

	(void)ev;
	if (body.n == 0)
		return false;
	switch (body.p[0]) {
	case 'f':
		if (ks_str_starts(body, "from="))
			return sm_from(qid, body, f);
		break;
	case 't':
		if (ks_str_starts(body, "to="))
			return sm_to(qid, body, f);
		break;
	case 'r':
		if (ks_str_starts(body, "ruleset="))
			return sm_reject(qid, body, f);
		break;
	case 'A':
		if (ks_str_starts(body, "AUTH"))
			return sm_auth(qid, body, f);
		break;
	}
	if (ks_str_after(body, "relay=") != NULL &&
	    ks_str_after(body, "reject=") != NULL)
		return sm_reject(qid, body, f);
	if (ks_str_after(body, "Relaying denied") != NULL) {
		mail_common(f, qid, KS_ACT_MAIL_REJECT, KS_OUT_FAILURE);
		sm_last_bracket(f, body);
		return true;
	}
	/* "connect from" is everyone's: sendmail's has "NOQUEUE: " first */
	return sm_peer_line(qid, body, body.p != msg.p, f);
}

/* ---- postfix ---------------------------------------------------------- */

/*
 * A client as postfix prints it, "host.example[192.0.2.1]",
 * "unknown[2001:db8::1]", "[192.0.2.1]:25", at p; returns the end of it
 * (after any ":port"), or NULL when p does not start one.
 */
static const char *
pf_client(struct ks_fields *f, const char *p, const char *end,
    enum ks_field ipf, enum ks_field domf, enum ks_field portf)
{
	const char *lb, *rb;

	for (lb = p; lb < end && *lb != '[' && *lb != ' '; lb++)
		;
	if (lb >= end || *lb != '[' ||
	    (rb = memchr(lb, ']', (size_t)(end - lb))) == NULL)
		return NULL;
	ks_fields_host(f, ipf, domf, p, (size_t)(lb - p));
	ks_fields_ip(f, ipf, domf, lb + 1, (size_t)(rb - lb - 1));
	p = rb + 1;
	if (p < end && *p == ':' && p + 1 < end && ks_isdigit(p[1])) {
		struct ks_str r = ks_span(p + 1, end), port = ks_str_port(&r);

		if (port.n > 0)
			ks_fields_set(f, portf, port.p, port.n);
		for (p++; p < end && ks_isdigit(*p); p++)
			;
	}
	return p;
}

static const char *
pf_source(struct ks_fields *f, const char *p, const char *end)
{
	return pf_client(f, p, end, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
	    KS_F_SOURCE_PORT);
}

/* An event of the client at p ("HOST[IP]"); false when p names none. */
static bool
pf_event(struct ks_str qid, const char *p, const char *end,
    const char *action, const char *outcome, struct ks_fields *f)
{
	if (pf_source(f, p, end) == NULL)
		return false;
	mail_common(f, qid, action, outcome);
	return true;
}

/* The value of "key=<a>" or "key=a" in s, without the angle brackets. */
static struct ks_str
pf_addr(struct ks_str s, const char *key)
{
	return unangle(ks_str_kv(s, key));
}

/*
 * "lost connection after AUTH from HOST[IP]", also "timeout after" and
 * "too many errors after": a client that dropped in AUTH is guessing
 * passwords; one that never went past the greeting is a probe.
 */
static bool
pf_after(struct ks_str qid, const char *p, const char *end,
    struct ks_fields *f)
{
	const char *from = ks_find(p, end, " from ");
	const char *action = KS_ACT_DISCONNECT, *outcome = KS_OUT_UNKNOWN;

	if (from == NULL)
		return false;
	if (ks_at(p, from, "AUTH")) {
		action = KS_ACT_LOGON_FAILED;
		outcome = KS_OUT_FAILURE;
	} else if (ks_at(p, from, "CONNECT") || ks_at(p, from, "EHLO") ||
	    ks_at(p, from, "HELO") || ks_at(p, from, "STARTTLS") ||
	    ks_at(p, from, "UNKNOWN"))
		action = KS_ACT_PROBE;
	return pf_event(qid, from + 6, end, action, outcome, f);
}

/*
 * "reject: RCPT from HOST[IP]: 554 5.7.1 <x>: Relay access denied;
 * from=<a> to=<b> proto=ESMTP helo=<h>", and milter-reject: likewise.
 */
static bool
pf_reject(struct ks_str qid, const char *p, const char *end,
    struct ks_fields *f)
{
	const char *from = ks_find(p, end, " from "), *c, *tail = NULL, *q;
	struct ks_str t;

	if (from == NULL || (c = pf_source(f, from + 6, end)) == NULL)
		return false;
	mail_common(f, qid, KS_ACT_MAIL_REJECT, KS_OUT_FAILURE);
	for (q = c; (q = ks_find(q, end, "; from=")) != NULL; q += 7)
		tail = q + 2;
	if (ks_at(c, end, ": ")) {
		const char *r = c + 2, *re = tail ? tail - 2 : end;

		ks_fields_set(f, KS_F_EMAIL_STATUS, r, (size_t)(re - r));
	}
	if (tail != NULL) {
		t = pf_addr(ks_span(tail, end), "from=");
		ks_fields_set(f, KS_F_EMAIL_FROM_ADDRESS, t.p, t.n);
		t = pf_addr(ks_span(tail, end), "to=");
		ks_fields_set(f, KS_F_EMAIL_TO_ADDRESS, t.p, t.n);
	}
	return true;
}

/*
 * "warning: HOST[IP]: SASL LOGIN authentication failed: ..." (maybe
 * "HOST[IP]:PORT:", maybe ", sasl_username=bob") and "warning: non-SMTP
 * command from HOST[IP]: GET / HTTP/1.1".
 */
static bool
pf_warning(struct ks_str qid, const char *p, const char *end,
    struct ks_fields *f)
{
	const char *c;
	struct ks_str user;

	if (ks_at(p, end, "non-SMTP command from "))
		return pf_event(qid, p + 22, end, KS_ACT_PROBE, KS_OUT_UNKNOWN,
		    f);
	if ((c = pf_source(f, p, end)) == NULL || !ks_at(c, end, ": SASL ") ||
	    ks_find(c, end, " authentication failed") == NULL)
		return false;
	mail_common(f, qid, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
	user = ks_str_kv(ks_span(c, end), "sasl_username=");
	ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	return true;
}

/*
 * qmgr's "from=<a>, size=N, nrcpt=N (queue active)", pickup's "uid=0
 * from=<a>".
 */
static bool
pf_from(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	struct ks_str from = pf_addr(body, "from="), st;
	const char *s = ks_str_after(body, ", status=");

	if (s != NULL) {
		st = ks_span(s, body.p + body.n);
		mail_common(f, qid, KS_ACT_MAIL_FROM, KS_OUT_FAILURE);
		ks_fields_set(f, KS_F_EMAIL_STATUS, st.p, st.n);
	} else
		mail_common(f, qid, KS_ACT_MAIL_FROM, KS_OUT_SUCCESS);
	ks_fields_set(f, KS_F_EMAIL_FROM_ADDRESS, from.p, from.n);
	return true;
}

/* "to=<b>, relay=HOST[IP]:25, delay=.., dsn=2.0.0, status=sent (250 ..)" */
static bool
pf_to(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	const char *s = ks_str_after(body, ", status="), *end = body.p + body.n;
	struct ks_str to = pf_addr(body, "to="), relay, st;

	if (s == NULL)
		return false;
	st = ks_span(s, end);
	mail_common(f, qid, KS_ACT_MAIL_TO, ks_str_starts(st, "sent") ?
	    KS_OUT_SUCCESS : KS_OUT_FAILURE);
	ks_fields_set(f, KS_F_EMAIL_TO_ADDRESS, to.p, to.n);
	ks_fields_set(f, KS_F_EMAIL_STATUS, st.p, st.n);
	relay = ks_str_kv(body, "relay=");
	if (relay.n > 0)
		pf_client(f, relay.p, relay.p + relay.n, KS_F_DESTINATION_IP,
		    KS_F_DESTINATION_DOMAIN, KS_F_DESTINATION_PORT);
	return true;
}

/* smtpd's "client=HOST[IP][, sasl_method=PLAIN, sasl_username=bob]" */
static bool
pf_client_line(struct ks_str qid, struct ks_str body, struct ks_fields *f)
{
	const char *end = body.p + body.n;
	struct ks_str user = ks_str_kv(body, "sasl_username=");

	if (pf_source(f, body.p + 7, end) == NULL)
		return false;
	if (user.n > 0) {
		mail_common(f, qid, KS_ACT_LOGON, KS_OUT_SUCCESS);
		ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	} else
		mail_common(f, qid, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
	return true;
}

/*
 * postscreen: "CONNECT from [IP]:P to [IP]:25", "PREGREET 14 after 0.04
 * from [IP]:P: EHLO x", "HANGUP after 0.07 from [IP]:P in tests after
 * SMTP handshake", "DNSBL rank 3 for [IP]:P", "NON-SMTP COMMAND from",
 * "BARE NEWLINE from", "COMMAND PIPELINING from", "PASS NEW [IP]:P",
 * "DISCONNECT [IP]:P".  Bots that talk before the greeting, hang up in
 * the tests or are listed in a DNSBL never get to mail: probes.
 */
static const struct pf_screen {
	const char *lead, *addr, *action, *outcome;
} pf_screens[] = {
	{ "CONNECT from ", "", KS_ACT_CONNECTION, KS_OUT_UNKNOWN },
	{ "PREGREET ", " from ", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "HANGUP ", " from ", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "DNSBL rank ", " for ", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "NON-SMTP COMMAND from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "BARE NEWLINE from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "COMMAND PIPELINING from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "COMMAND TIME LIMIT from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "COMMAND COUNT LIMIT from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "COMMAND LENGTH LIMIT from ", "", KS_ACT_PROBE, KS_OUT_UNKNOWN },
	{ "PASS NEW ", "", KS_ACT_CONNECTION, KS_OUT_SUCCESS },
	{ "PASS OLD ", "", KS_ACT_CONNECTION, KS_OUT_SUCCESS },
	{ "WHITELISTED ", "", KS_ACT_CONNECTION, KS_OUT_SUCCESS },
	{ "ALLOWLISTED ", "", KS_ACT_CONNECTION, KS_OUT_SUCCESS },
	{ "BLACKLISTED ", "", KS_ACT_CONN_REFUSED, KS_OUT_FAILURE },
	{ "DENYLISTED ", "", KS_ACT_CONN_REFUSED, KS_OUT_FAILURE },
	{ "DISCONNECT ", "", KS_ACT_DISCONNECT, KS_OUT_UNKNOWN },
};

static bool
pf_screen(struct ks_str body, struct ks_fields *f)
{
	const char *p = body.p, *end = p + body.n, *a, *c;

	for (size_t i = 0; i < NITEMS(pf_screens); i++) {
		const struct pf_screen *s = &pf_screens[i];

		if (!ks_at(p, end, s->lead))
			continue;
		a = p + strlen(s->lead);
		if (s->addr[0] != '\0') {
			if ((a = ks_find(a, end, s->addr)) == NULL)
				return false;
			a += strlen(s->addr);
		}
		if ((c = pf_source(f, a, end)) == NULL)
			return false;
		if (i == 0 && ks_at(c, end, " to "))
			pf_client(f, c + 4, end, KS_F_DESTINATION_IP,
			    KS_F_DESTINATION_DOMAIN, KS_F_DESTINATION_PORT);
		mail_common(f, KS_STR_NULL, s->action, s->outcome);
		return true;
	}
	return false;
}

/*
 * postgrey, the greylisting policy server: "action=greylist,
 * reason=new, client_name=H, client_address=IP, sender=S, recipient=R".
 */
static bool
pf_postgrey(struct ks_str body, struct ks_fields *f)
{
	struct ks_str a = ks_str_kv(body, "client_address="), v;
	bool grey = ks_str_starts(body, "action=greylist,");

	if (!grey && !ks_str_starts(body, "action=pass,"))
		return false;
	v = ks_str_kv(body, "client_name=");
	ks_fields_host(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, v.p, v.n);
	if (!ks_fields_ip(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, a.p, a.n))
		return false;
	mail_common(f, KS_STR_NULL, grey ? KS_ACT_MAIL_REJECT :
	    KS_ACT_MAIL_FROM, grey ? KS_OUT_FAILURE : KS_OUT_SUCCESS);
	v = ks_str_kv(body, "sender=");
	ks_fields_set(f, KS_F_EMAIL_FROM_ADDRESS, v.p, v.n);
	v = ks_str_kv(body, "recipient=");
	ks_fields_set(f, KS_F_EMAIL_TO_ADDRESS, v.p, v.n);
	return true;
}

/* The value of key="quoted text" or key=word in s. */
static struct ks_str
quoted_kv(struct ks_str s, const char *key)
{
	const char *v = ks_str_after(s, key), *end = s.p + s.n, *q;

	if (v == NULL || v >= end || *v != '"')
		return ks_str_kv(s, key);
	v++;
	q = memchr(v, '"', (size_t)(end - v));
	return ks_span(v, q ? q : end);
}

/*
 * OpenSMTPD: "38dd06274cde1fd7 smtp event=failed-command address=IP
 * host=H command="AUTH LOGIN" result="503 ..."" (6.0) or without the
 * "event=" (6.4 and later): connected, authentication, failed-command,
 * disconnected.
 */
static bool
pf_opensmtpd(struct ks_str msg, struct ks_fields *f)
{
	const char *p = msg.p, *end = p + msg.n, *q = p, *ev;
	const char *action = KS_ACT_LOGON_FAILED, *outcome = KS_OUT_FAILURE;
	struct ks_str word, v, cmd;

	while (q < end && q - p < 20 && is_class(*q, C_ALNUM))
		q++;
	if (q - p != 16 || !ks_at(q, end, " smtp "))
		return false;
	ev = q + 6;
	if (ks_at(ev, end, "event="))
		ev += 6;
	q = memchr(ev, ' ', (size_t)(end - ev));
	word = ks_span(ev, q ? q : end);
	if (ks_str_eq(word, "connected"))
		action = KS_ACT_CONNECTION, outcome = KS_OUT_UNKNOWN;
	else if (ks_str_eq(word, "disconnected") || ks_str_eq(word, "closed"))
		action = KS_ACT_DISCONNECT, outcome = KS_OUT_UNKNOWN;
	else if (ks_str_eq(word, "authentication")) {
		if (ks_str_eq(ks_str_kv(msg, "result="), "ok"))
			action = KS_ACT_LOGON, outcome = KS_OUT_SUCCESS;
		v = ks_str_kv(msg, "user=");
		ks_fields_set(f, KS_F_USER_NAME, v.p, v.n);
	} else if (ks_str_eq(word, "failed-command")) {
		cmd = quoted_kv(msg, "command=");
		if (ks_str_starts(cmd, "MAIL") || ks_str_starts(cmd, "RCPT"))
			action = KS_ACT_MAIL_REJECT;
		else if (!ks_str_starts(cmd, "AUTH"))
			action = KS_ACT_PROBE, outcome = KS_OUT_UNKNOWN;
		v = quoted_kv(msg, "result=");
		ks_fields_set(f, KS_F_EMAIL_STATUS, v.p, v.n);
	} else
		return false;
	mail_common(f, KS_STR_NULL, action, outcome);
	v = ks_str_kv(msg, "host=");
	ks_fields_host(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, v.p, v.n);
	v = ks_str_kv(msg, "address=");
	ks_fields_ip(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, v.p, v.n);
	return true;
}

bool
ks_dec_postfix(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	struct ks_str body = msg, qid = queue_id(&body), r = body;
	const char *p = body.p, *end = p + body.n;

	(void)ev;
	if (body.n == 0)
		return false;
	/* ks_str_eat leaves r past the literal that opens the form */
	switch (*p) {
	case 'c':
		if (ks_str_eat(&r, "connect from "))
			return pf_event(qid, r.p, end, KS_ACT_CONNECTION,
			    KS_OUT_UNKNOWN, f);
		if (ks_at(p, end, "client="))
			return pf_client_line(qid, body, f);
		break;
	case 'd':
		if (ks_str_eat(&r, "disconnect from "))
			return pf_event(qid, r.p, end, KS_ACT_DISCONNECT,
			    KS_OUT_UNKNOWN, f);
		break;
	case 'l':
		if (ks_str_eat(&r, "lost connection after "))
			return pf_after(qid, r.p, end, f);
		break;
	case 't':
		if (ks_str_eat(&r, "timeout after ") ||
		    ks_str_eat(&r, "too many errors after "))
			return pf_after(qid, r.p, end, f);
		if (ks_at(p, end, "to="))
			return pf_to(qid, body, f);
		break;
	case 'w':
		if (ks_str_eat(&r, "warning: "))
			return pf_warning(qid, r.p, end, f);
		break;
	case 'r':
		if (ks_str_eat(&r, "reject: "))
			return pf_reject(qid, r.p, end, f);
		break;
	case 'm':
		if (ks_str_eat(&r, "milter-reject: "))
			return pf_reject(qid, r.p, end, f);
		break;
	case 'i':
		if (ks_str_eat(&r, "improper command pipelining after "))
			return pf_after(qid, r.p, end, f);
		break;
	case 'f':
		if (ks_at(p, end, "from=") && qid.n > 0)
			return pf_from(qid, body, f);
		break;
	case 'u':
		if (ks_at(p, end, "uid=") && qid.n > 0 &&
		    ks_find(p, end, " from=") != NULL)
			return pf_from(qid, body, f);
		break;
	case 'a':
		if (ks_at(p, end, "action="))
			return pf_postgrey(body, f);
		break;
	default:
		if (*p >= 'A' && *p <= 'Z')
			return pf_screen(body, f);
		break;
	}
	return pf_opensmtpd(msg, f);
}
