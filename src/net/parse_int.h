/*
 * parse_int.h - the row parsers of saved listings, one per layout, which
 * listing.c chooses between (rows.c: netstat of each system; ss_lsof.c:
 * ss and lsof).  Each fills a cleared socket from the tokens of one line
 * and returns false when the line is not a row of its layout.
 */
#ifndef KS_NET_PARSE_INT_H
#define KS_NET_PARSE_INT_H

#include "net/net_int.h"

bool ks_inet_proto(struct ks_str tok, enum ks_sock_kind *kind, bool *v6);
bool ks_tok_none(struct ks_str t);
bool ks_tok_pid_program(struct ks_str t, struct ks_sock *s);

bool ks_row_inet(struct ks_sock *s, const struct ks_toks *t);
bool ks_row_unix(struct ks_sock *s, const struct ks_toks *t, const char *end,
    bool pid_column);
bool ks_row_solaris(struct ks_sock *s, const struct ks_toks *t, bool udp,
    bool v6);
bool ks_row_bsd_unix(struct ks_sock *s, const struct ks_toks *t,
    const char *end);

/* ss: with a Netid column, or the state first (ss -t, ss -u). */
bool ks_ss_row_start(const struct ks_toks *t, bool netid);
bool ks_row_ss(struct ks_sock *s, const struct ks_toks *t, const char *line,
    size_t n, bool netid);
bool ks_row_lsof(struct ks_sock *s, const struct ks_toks *t);

#endif
