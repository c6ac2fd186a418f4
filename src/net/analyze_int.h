/*
 * analyze_int.h - the state one analysis of a socket table shares between
 * analyze.c (sessions, listeners, raw sockets) and scan.c (outbound
 * fan-out and the groups of its targets).
 */
#ifndef KS_NET_ANALYZE_INT_H
#define KS_NET_ANALYZE_INT_H

#include "net/net_int.h"

/*
 * Past this many parties, ports, programs or groups, a check counts the
 * rest in one finding: memory stays bounded on a hostile listing, and
 * nothing goes unreported.
 */
#define KS_NET_GROUPS_MAX 500
#define KS_NET_MORE "more than 500 parties, ports, programs or groups: " \
	"the rest are counted here"

enum ks_dir { KS_DIR_NONE, KS_DIR_IN, KS_DIR_OUT };

struct ks_actx {
	const struct ks_net_table *t;
	const struct ks_net_opts *o;
	struct ks_findings *out;
	const char *host;
	char domain[KS_NET_HOST];
	uint8_t *listening;         /* bitmap of TCP ports in LISTEN */
	struct ks_map *own;         /* the local addresses of the table */
	struct ks_buf tmp;          /* evidence text of live sockets */
	/* the outside login sessions, for the scan finding to name */
	const struct ks_sock *controller;
	size_t ncontrollers;
	/* filled by scan.c: the ports scanned from here, and how widely */
	struct ks_scan {
		int port;
		size_t hosts;
	} *scans;
	size_t nscans;
	bool failed;                /* out of memory */
};

enum ks_dir ks_sock_dir(const struct ks_actx *a, const struct ks_sock *s);
bool ks_remote_local(const struct ks_actx *a, const struct ks_endpoint *e);
/* A connection with a peer (not LISTEN, not TIME_WAIT, not closed). */
bool ks_sock_connected(const struct ks_sock *s);

/* A new finding of rule with host and time set; NULL: out of memory. */
struct ks_finding *ks_afinding(struct ks_actx *a,
    const struct ks_rule_info *rule);
/* Counts s in fd and quotes it as evidence. */
void ks_aevidence(struct ks_actx *a, struct ks_finding *fd,
    const struct ks_sock *s);
/* Sets a field/attribute; a failure marks the analysis failed. */
void ks_aset(struct ks_actx *a, struct ks_finding *fd, enum ks_field k,
    const char *v);
void ks_aattr(struct ks_actx *a, struct ks_finding *fd, const char *key,
    const char *v, bool num);
/* Sets X.ip or X.domain and X.port of an endpoint ("source", ...). */
void ks_aparty(struct ks_actx *a, struct ks_finding *fd, bool source,
    const struct ks_endpoint *e);
/* Adds fd to the output (taking it), or marks the analysis failed. */
void ks_aadd(struct ks_actx *a, struct ks_finding *fd);
/*
 * Findings grouped by a key (a party, a port): a map sized for the table,
 * and the finding of a key in it: the one made before, a new one of rule
 * (*fresh set: the caller fills in its fields), or, once a check has
 * KS_NET_GROUPS_MAX of them, the one that counts the rest.  NULL only on
 * failure, which marks the analysis failed.
 */
struct ks_map *ks_agroups(struct ks_actx *a);
struct ks_finding *ks_agroup(struct ks_actx *a, struct ks_map *m,
    const struct ks_buf *key, const struct ks_rule_info *rule, bool *fresh);
/* The service's name for a port, or the number as text, into buf. */
const char *ks_port_text(int port, char *buf, size_t n);

/* scan.c: outbound fan-out and the groups of parties it reaches. */
void ks_check_scans(struct ks_actx *a);
void ks_check_groups(struct ks_actx *a);

#endif
