/*
 * net_int.h - what the files of src/net share and nobody else needs: the
 * service table's flags, a whitespace tokenizer over a line, endpoint and
 * state parsing, and the host-name helpers of the analysis.
 */
#ifndef KS_NET_INT_H
#define KS_NET_INT_H

#include "net/net.h"

enum {
	KS_SVC_LOGIN = 1 << 0,  /* a remote login: telnet, ssh, rlogin, ftp */
	KS_SVC_MAIL = 1 << 1,   /* fetching mail: pop, imap */
	KS_SVC_AUTH = 1 << 2,   /* authentication: kerberos, ldap, radius */
	KS_SVC_CLIENT = 1 << 3, /* what clients connect out to all day */
};

struct ks_service {
	const char *name;
	int port;
	unsigned flags;
};

const struct ks_service *ks_service_by_port(int port);
unsigned ks_service_flags(int port);

/* A line cut into at most KS_TOK_MAX whitespace-separated tokens. */
#define KS_TOK_MAX 48
struct ks_toks {
	struct ks_str v[KS_TOK_MAX];
	size_t n;
	bool more;              /* more tokens than KS_TOK_MAX */
};
void ks_tokenize(struct ks_toks *t, const char *p, size_t n);
bool ks_tok_eq(struct ks_str s, const char *lit);
bool ks_tok_ieq(struct ks_str s, const char *lit);
bool ks_tok_digits(struct ks_str s);
/* A decimal number of at most max; false when not one. */
bool ks_tok_num(struct ks_str s, uint64_t max, uint64_t *v);
/* Copies s into dst of size n, NUL-terminated; false when cut. */
bool ks_tok_copy(char *dst, size_t n, struct ks_str s);

/* Address forms: "host:port" (Linux, ss, lsof) or "host.port" (BSD). */
enum ks_addr_form { KS_AF_COLON, KS_AF_DOT };
/*
 * Parses one address token into e: the host ("*", "0.0.0.0", "::" and ""
 * become "", the wildcard), the port (a number or a service name; "*" is
 * -1) and whether the host is an IP literal.  raw: the port is an IP
 * protocol.  false when the token has no port part or is too long.
 */
bool ks_endpoint_parse(struct ks_endpoint *e, struct ks_str tok,
    enum ks_addr_form form, bool raw);
/*
 * netstat's columns: marks e (parsed from tok) as possibly cut when its
 * name fills the width netstat gives it.
 */
void ks_endpoint_width(struct ks_endpoint *e, struct ks_str tok,
    enum ks_addr_form form);
/* The form a token is in: the later of its last ':' and last '.'. */
enum ks_addr_form ks_addr_form_of(struct ks_str tok);

/* A state as netstat, ss, lsof or Solaris print it; false if none. */
bool ks_state_parse(struct ks_str s, enum ks_sock_state *st);

/* Host names, for the analysis (domain.c). */
/* The name minus its first label ("srv01.ash.or.jp" -> "ash.or.jp"). */
const char *ks_name_parent(const char *name);
/* name is dom, or under it; a cut name matches a prefix of dom's labels. */
bool ks_name_in_domain(const char *name, bool cut, const char *dom);
/* "US military", "US government", or NULL. */
const char *ks_domain_official(const char *dom);
/* A dial-up or dynamic pool name: d195.pop135-2..., ppp12..., dyn... */
bool ks_name_dialup(const char *name);

#endif
