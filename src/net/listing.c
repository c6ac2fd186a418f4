/*
 * listing.c - a saved socket listing read line by line: what kind of line
 * each is (a shell prompt, a section or column header, a socket row of
 * one of the layouts, or unknown) and the socket it holds.
 *
 * People paste listings into mail with the prompt and the command in
 * front ("srv01> netstat", "[root@school /root]# lsof -i"): the prompt
 * names the host, and the command says which layout follows.  Headers
 * come in English or in the translation of the machine's locale (seed 002:
 * "稼働中のインターネット接続", "Proto 受信-Q 送信-Q ..."), so a header is
 * known by its shape and its untranslated words (Proto, PID/, RefCnt),
 * not by its full text.  Whatever fits nothing is counted as unknown and
 * handed to the caller: the listing may be one kansatsu does not know,
 * and a silent guess would hide that.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/parse_int.h"

enum section {
	SEC_NONE,
	SEC_INET,
	SEC_UNIX,
	SEC_SOL_TCP,
	SEC_SOL_TCP6,
	SEC_SOL_UDP,
	SEC_SOL_UDP6,
	SEC_SS,
	SEC_LSOF,
	SEC_OTHER,              /* Bluetooth, IPX, SCTP: not read */
};

void
ks_net_parser_init(struct ks_net_parser *p, struct ks_net_table *t,
    enum ks_net_format force)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->force = force;
	p->section = force == KS_NF_SS ? SEC_SS : force == KS_NF_LSOF ?
	    SEC_LSOF : SEC_NONE;
}

static bool
contains(const char *p, size_t n, const char *lit)
{
	return memmem(p, n, lit, strlen(lit)) != NULL;
}

static bool
host_char(char c)
{
	return ks_isdigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '.' || c == '-' || c == '_';
}

/*
 * The host of a prompt: "srv01>", "[root@school /root]#", "mity@yh:~$",
 * "host%".  Only set once: the first prompt of a listing names its host.
 */
static void
prompt_host(struct ks_net_table *t, struct ks_str pr)
{
	const char *p = pr.p, *end = pr.p + pr.n, *at;
	size_t n = 0;

	if (t->host[0] != '\0')
		return;
	if ((at = memchr(p, '@', pr.n)) != NULL)
		p = at + 1;
	else if (p < end && *p == '[')
		p++;
	while (p + n < end && host_char(p[n]))
		n++;
	if (n > 0 && n < sizeof(t->host))
		ks_tok_copy(t->host, sizeof(t->host), ks_str_make(p, n));
}

/* A command word: its base name after any directory. */
static bool
command_is(struct ks_str w, const char *name)
{
	const char *slash = memrchr(w.p, '/', w.n);

	if (slash != NULL)
		w = ks_str_make(slash + 1, (size_t)(w.p + w.n - slash - 1));
	return ks_tok_eq(w, name);
}

/* "srv01> netstat", "# ss -tanp", "netstat -an": true when a prompt. */
static bool
prompt_line(struct ks_net_parser *p, const struct ks_toks *t)
{
	static const char *const cmds[] = { "netstat", "ss", "lsof" };

	for (size_t i = 0; i < t->n && i < 4; i++) {
		struct ks_str prev = i > 0 ? t->v[i - 1] : KS_STR_NULL;
		char last = prev.n > 0 ? prev.p[prev.n - 1] : '\0';

		if (i > 0 && last != '>' && last != '#' && last != '$' &&
		    last != '%')
			continue;
		for (size_t c = 0; c < 3; c++) {
			if (!command_is(t->v[i], cmds[c]))
				continue;
			if (i > 0)
				prompt_host(p->t,
				    ks_str_make(t->v[0].p, (size_t)(prev.p +
				    prev.n - t->v[0].p)));
			if (p->force == KS_NF_AUTO)
				p->section = c == 1 ? SEC_SS : c == 2 ?
				    SEC_LSOF : SEC_NONE;
			return true;
		}
	}
	return false;
}

/* "Active Internet connections", "TCP: IPv4", their translations. */
static bool
section_line(struct ks_net_parser *p, const struct ks_toks *t,
    const char *line, size_t n)
{
	struct ks_str w = t->v[0];
	bool v6 = t->n > 1 && ks_tok_eq(t->v[1], "IPv6");
	/* "Active ...", its translations ("稼働中の..."), "... (servers)" */
	bool titled = ks_tok_eq(w, "Active") || ks_tok_eq(w, "Registered") ||
	    contains(line, n, "\xe7\xa8\xbc\xe5\x83\x8d\xe4\xb8\xad") ||
	    line[n - 1] == ')';

	if (ks_tok_eq(w, "TCP:") || (ks_tok_eq(w, "TCP") && t->n == 1))
		p->section = v6 ? SEC_SOL_TCP6 : SEC_SOL_TCP;
	else if (ks_tok_eq(w, "UDP:") || (ks_tok_eq(w, "UDP") && t->n == 1))
		p->section = v6 ? SEC_SOL_UDP6 : SEC_SOL_UDP;
	else if (ks_tok_eq(w, "SCTP:") || ks_tok_eq(w, "SCTP"))
		p->section = SEC_OTHER;
	else if (!titled)
		return false;
	else if (contains(line, n, "UNIX"))
		p->section = SEC_UNIX;
	else if (contains(line, n, "Internet") ||
	    contains(line, n, "\xe3\x82\xa4\xe3\x83\xb3\xe3\x82\xbf\xe3\x83\xbc"
	    "\xe3\x83\x8d\xe3\x83\x83\xe3\x83\x88"))   /* インターネット */
		p->section = SEC_INET;
	else
		p->section = SEC_OTHER;
	p->pid_column = false;
	return true;
}

static bool
dashes(const char *line, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		if (line[i] == '-')
			any = true;
		else if (line[i] != ' ' && line[i] != '\t')
			return false;
	}
	return any;
}

/* Column headers of every layout. */
static bool
header_line(struct ks_net_parser *p, const struct ks_toks *t,
    const char *line, size_t n)
{
	struct ks_str w = t->v[0];

	if (ks_tok_eq(w, "Proto")) {
		p->pid_column = contains(line, n, "PID/");
		if (p->section != SEC_UNIX)
			p->section = SEC_INET;
		return true;
	}
	if (ks_tok_eq(w, "Netid") || (ks_tok_eq(w, "State") && t->n > 1 &&
	    ks_tok_eq(t->v[1], "Recv-Q"))) {
		p->section = SEC_SS;
		p->ss_netid = ks_tok_eq(w, "Netid");
		return true;
	}
	if (ks_tok_eq(w, "COMMAND") && t->n > 1 && ks_tok_eq(t->v[1], "PID")) {
		p->section = SEC_LSOF;
		return true;
	}
	return (ks_tok_eq(w, "Local") && t->n > 1 &&
	    ks_tok_eq(t->v[1], "Address")) ||
	    (ks_tok_eq(w, "Address") && t->n > 1 &&
	    ks_tok_eq(t->v[1], "Type")) || dashes(line, n);
}

static bool
allowed(const struct ks_net_parser *p, enum ks_net_format f)
{
	return p->force == KS_NF_AUTO || p->force == f;
}

/* The socket of a row line, by the section and the line's shape. */
static bool
row(struct ks_net_parser *p, struct ks_sock *s, const struct ks_toks *t,
    const char *line, size_t n)
{
	bool sol = p->section >= SEC_SOL_TCP && p->section <= SEC_SOL_UDP6;

	if (sol && allowed(p, KS_NF_BSD))
		return ks_row_solaris(s, t, p->section >= SEC_SOL_UDP,
		    p->section == SEC_SOL_TCP6 || p->section == SEC_SOL_UDP6);
	if (p->section == SEC_OTHER)
		return false;
	if (allowed(p, KS_NF_NETSTAT) && ks_tok_eq(t->v[0], "unix"))
		return ks_row_unix(s, t, line + n, p->pid_column);
	if ((allowed(p, KS_NF_NETSTAT) || allowed(p, KS_NF_BSD)) &&
	    ks_row_inet(s, t))
		return p->force == KS_NF_AUTO ||
		    (ks_addr_form_of(t->v[3]) == KS_AF_DOT) ==
		    (p->force == KS_NF_BSD);
	ks_sock_clear(s);
	if (allowed(p, KS_NF_SS) && (p->section == SEC_SS ||
	    ks_ss_row_start(t, true) || ks_ss_row_start(t, false)))
		return ks_row_ss(s, t, line, n, ks_ss_row_start(t, true));
	if (allowed(p, KS_NF_LSOF) && ks_row_lsof(s, t))
		return true;
	ks_sock_clear(s);
	return p->section == SEC_UNIX && allowed(p, KS_NF_BSD) &&
	    ks_row_bsd_unix(s, t, line + n);
}

static void
unknown(struct ks_net_parser *p, const char *line, size_t n, uint64_t no)
{
	p->t->unknown++;
	if (p->on_unknown != NULL)
		p->on_unknown(p->ctx, no, line, n);
}

int
ks_net_parse_line(struct ks_net_parser *p, const char *line, size_t n,
    uint64_t no)
{
	struct ks_toks t;
	struct ks_sock s;

	p->t->lines++;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
	    line[n - 1] == '\t'))
		n--;
	ks_tokenize(&t, line, n);
	if (t.n == 0)
		return 0;
	if (t.more) {
		unknown(p, line, n, no);
		return 0;
	}
	ks_sock_clear(&s);
	if (row(p, &s, &t, line, n)) {
		s.line = no;
		return ks_net_table_add(p->t, &s, line, n) ? 0 : -1;
	}
	if (!prompt_line(p, &t) && !header_line(p, &t, line, n) &&
	    !section_line(p, &t, line, n))
		unknown(p, line, n, no);
	return 0;
}

int
ks_net_parse_buf(struct ks_net_parser *p, const char *buf, size_t n)
{
	const char *end = buf + n, *nl;
	uint64_t no = 0;

	while (buf < end) {
		if ((nl = memchr(buf, '\n', (size_t)(end - buf))) == NULL)
			nl = end;
		if ((size_t)(nl - buf) > KS_NET_LINE_MAX) {
			p->t->cut++;
			p->t->lines++;
			no++;
		} else if (ks_net_parse_line(p, buf, (size_t)(nl - buf), ++no) < 0)
			return -1;
		buf = nl + (nl < end);
	}
	return 0;
}

/* Feeds the complete lines in buf[0..*len) and keeps the rest. */
static int
feed(struct ks_net_parser *p, char *buf, size_t *len, uint64_t *no,
    bool eof)
{
	char *start = buf, *end = buf + *len, *nl;

	while (start < end) {
		nl = memchr(start, '\n', (size_t)(end - start));
		if (nl == NULL && !eof)
			break;
		if (nl == NULL)
			nl = end;
		if (ks_net_parse_line(p, start, (size_t)(nl - start), ++*no) < 0)
			return -1;
		start = nl + (nl < end);
	}
	*len = (size_t)(end - start);
	memmove(buf, start, *len);
	return 0;
}

/* A line longer than the buffer: counted as cut, skipped to its end. */
static int
skip_long(struct ks_net_parser *p, int fd, char *buf, size_t *len,
    uint64_t *no)
{
	ssize_t r;
	char *nl;

	p->t->cut++;
	p->t->lines++;
	++*no;
	for (;;) {
		if ((nl = memchr(buf, '\n', *len)) != NULL) {
			*len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, *len);
			return 0;
		}
		if ((r = read(fd, buf, KS_NET_LINE_MAX)) <= 0)
			return r < 0 && errno != EINTR ? -1 : (*len = 0, 0);
		*len = (size_t)r;
	}
}

int
ks_net_parse_fd(struct ks_net_parser *p, int fd, struct ks_err *err)
{
	char *buf = malloc(KS_NET_LINE_MAX + 1);
	size_t len = 0;
	uint64_t no = 0;
	ssize_t r;
	int rc = -1;

	if (buf == NULL)
		return ks_err_set(err, "out of memory");
	for (;;) {
		r = read(fd, buf + len, KS_NET_LINE_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ks_err_set(err, "read error: %s", strerror(errno));
			goto out;
		}
		len += (size_t)r;
		if (feed(p, buf, &len, &no, r == 0) < 0) {
			ks_err_set(err, "out of memory");
			goto out;
		}
		if (r == 0)
			break;
		if (len == KS_NET_LINE_MAX && skip_long(p, fd, buf, &len, &no) < 0) {
			ks_err_set(err, "read error: %s", strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	free(buf);
	return rc;
}
