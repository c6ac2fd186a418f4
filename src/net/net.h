/*
 * net.h - sockets: read from a saved listing (netstat of every era, ss,
 * lsof -i, Solaris/BSD), or from the running kernel's /proc; and analysed
 * into findings the same way wherever they came from.
 *
 * A listing is hostile text: every field is copied into a bounded buffer
 * (a longer one is cut and says so), lines that fit no known layout are
 * counted and handed to the caller, never guessed at.  The live reading
 * runs no program of the host: it reads the files of /proc/net and maps
 * each socket's inode to its process through /proc/PID/fd.
 *
 * `kansatsu netstat` and the socket checks of `kansatsu host` both call
 * ks_net_analyze; the host command calls ks_net_live_checks, which adds
 * what only a live host can show (hidden ports, raw and packet sockets
 * with their owners, the host's own networks).
 */
#ifndef KS_NET_H
#define KS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding/finding.h"
#include "util/util.h"

struct ks_geo;

enum ks_sock_kind {
	KS_SOCK_TCP,
	KS_SOCK_UDP,
	KS_SOCK_RAW,
	KS_SOCK_UNIX,
	KS_SOCK_PACKET,
};

enum ks_sock_state {
	KS_ST_NONE,             /* UDP, raw, unix without a state */
	KS_ST_ESTABLISHED,
	KS_ST_SYN_SENT,
	KS_ST_SYN_RECV,
	KS_ST_FIN_WAIT1,
	KS_ST_FIN_WAIT2,
	KS_ST_TIME_WAIT,
	KS_ST_CLOSE,
	KS_ST_CLOSE_WAIT,
	KS_ST_LAST_ACK,
	KS_ST_LISTEN,
	KS_ST_CLOSING,
	KS_ST_BOUND,            /* Solaris: bound, not listening */
	KS_ST_CONNECTED,        /* unix, or a connected UDP socket */
	KS_ST_OTHER,            /* a state named but of no other kind */
};

#define KS_NET_HOST 128
#define KS_NET_PROGRAM 64

/* One end of a socket as the listing or the kernel shows it. */
struct ks_endpoint {
	char host[KS_NET_HOST]; /* an address, a host name, or "" for any */
	bool is_ip;             /* host is an IP literal */
	bool cut;               /* a name the column width may have cut */
	int port;               /* -1: none or any ("*") */
	char service[24];       /* the service name as printed, or "" */
};

struct ks_sock {
	enum ks_sock_kind kind;
	bool v6;
	enum ks_sock_state state;
	struct ks_endpoint local, remote;
	long pid;                  /* -1: not known */
	char program[KS_NET_PROGRAM];  /* "" when not known */
	char user[32];             /* a name or a uid, "" when not known */
	uint64_t inode;            /* 0: not known */
	char path[108];            /* unix: the bound path, or "" */
	unsigned protocol;         /* raw: IP protocol; packet: ethertype */
	uint64_t line;             /* line in the listing; 0 when live */
	size_t text, ntext;        /* the line's text in the table's text */
};

struct ks_net_table {
	struct ks_sock *v;
	size_t n, cap;
	struct ks_buf text;        /* the source lines of the sockets */
	char host[KS_NET_HOST];    /* the host a prompt line named, or "" */
	char source[256];          /* path for evidence */
	uint64_t lines, unknown, dropped, cut;
};

/* Sockets kept at most; further ones are counted in `dropped`. */
#define KS_NET_MAX_SOCKS 100000
/* Longer lines of a listing are counted in `cut` and not parsed. */
#define KS_NET_LINE_MAX 4096

/*
 * A socket that waits for others: TCP in LISTEN, or UDP bound to a
 * port outside the ephemeral range and not connected, not on loopback.
 */
bool ks_sock_listener(const struct ks_sock *s);

void ks_net_table_init(struct ks_net_table *t, const char *source);
void ks_net_table_free(struct ks_net_table *t);
/*
 * Appends a copy of s with its source text; false when out of memory
 * (counted in dropped when the table is full, which is not a failure).
 */
bool ks_net_table_add(struct ks_net_table *t, const struct ks_sock *s,
    const char *text, size_t n);
/* Clears s to "nothing known". */
void ks_sock_clear(struct ks_sock *s);

/* "tcp", "udp6", "raw", "unix", "packet". */
const char *ks_sock_proto(const struct ks_sock *s);
/* "LISTEN", "ESTABLISHED", ... ("" for KS_ST_NONE). */
const char *ks_sock_state_name(enum ks_sock_state st);
/* One line like netstat -anp prints (no newline), escaped. */
void ks_sock_format(struct ks_buf *b, const struct ks_sock *s);
/* One JSON object and a newline: the --show view of the socket. */
void ks_sock_json(struct ks_buf *b, const struct ks_sock *s);

/* Services: the port of a name, the name of a port (tcp/udp), or -1/NULL. */
int ks_service_port(const char *name);
const char *ks_service_name(int port);
/* IP protocols of raw sockets: "icmp" <-> 1 ... */
int ks_ipproto_number(const char *name);
const char *ks_ipproto_name(unsigned proto);
/* A service everyone runs (ports in the table), by port. */
bool ks_service_common(int port);

/* Formats of saved listings; AUTO decides line by line. */
enum ks_net_format {
	KS_NF_AUTO,
	KS_NF_NETSTAT,          /* net-tools and the old BSD/SunOS form */
	KS_NF_BSD,              /* BSD and Solaris: address.port */
	KS_NF_SS,
	KS_NF_LSOF,
};

struct ks_net_parser {
	struct ks_net_table *t;
	enum ks_net_format force;
	int section;            /* which part of the listing we are in */
	bool pid_column;        /* the header has PID/Program */
	bool ss_netid;          /* ss printed a Netid column */
	void (*on_unknown)(void *ctx, uint64_t line, const char *p, size_t n);
	void *ctx;
};

void ks_net_parser_init(struct ks_net_parser *p, struct ks_net_table *t,
    enum ks_net_format force);
/*
 * One line (no newline) of a listing, line number no: a socket is added,
 * a header or prompt noted, or the line counted as unknown.  -1 only
 * when out of memory.
 */
int ks_net_parse_line(struct ks_net_parser *p, const char *line, size_t n,
    uint64_t no);
/* A whole listing from fd (a file or a pipe), line by line. */
int ks_net_parse_fd(struct ks_net_parser *p, int fd, struct ks_err *err);
/* A whole listing held in memory; -1 only when out of memory. */
int ks_net_parse_buf(struct ks_net_parser *p, const char *buf, size_t n);

/*
 * The live sockets, from procdir ("/proc" on a live host; a copied tree
 * in tests): tcp, tcp6, udp, udp6, raw, raw6, unix and packet, each with
 * its process when /proc/PID/fd shows it.
 */
struct ks_net_live_stats {
	uint64_t processes;        /* processes whose fds were read */
	uint64_t unreadable;       /* processes whose fds could not be read */
	char missing[128];         /* /proc/net files that could not be read */
	size_t sockets;            /* ks_net_live_checks: sockets read */
	uint64_t untested;         /* ks_net_live_checks: ports bind() could
	                              not test (below 1024, unprivileged) */
};
int ks_net_read_proc(struct ks_net_table *t, const char *procdir,
    struct ks_net_live_stats *st, struct ks_err *err);
/* One line of /proc/net/{tcp,udp,raw}[6], unix, packet: exposed for fuzzing. */
bool ks_net_proc_inet_line(const char *line, enum ks_sock_kind kind,
    bool v6, struct ks_sock *s);
bool ks_net_proc_unix_line(const char *line, struct ks_sock *s);
bool ks_net_proc_packet_line(const char *line, struct ks_sock *s);

/*
 * Is this (proto "tcp"/"udp", port, program or "") a service the caller
 * expects?  For a baseline of listeners kept by the host command.
 */
typedef bool (*ks_net_known_fn)(void *ctx, const char *proto, unsigned port,
    const char *program);

struct ks_net_opts {
	const char *host;          /* host.name of the findings; NULL: the
	                              listing's prompt, else its first local
	                              address (live: this host's name) */
	const char *domain;        /* the host's DNS domain; NULL: from the
	                              names of the local addresses */
	const struct ks_cidr *local;   /* local networks besides private */
	size_t nlocal;
	ks_net_known_fn known;     /* NULL: only the common services table */
	void *known_ctx;
	unsigned fanout;           /* distinct hosts for a scan; 0: 5 */
	struct ks_geo *geo;        /* groups address targets by network; may
	                              be NULL */
	int64_t when_us;           /* first_seen/last_seen of the findings */
	int32_t when_off;
	bool live;                 /* the table is this host's, now */
	/*
	 * Names are never resolved unless the caller gives this: the address
	 * of name into ip (size n); false when it has none.  Used for remote
	 * parties named in full, so that they are attributed too.
	 */
	bool (*resolve)(void *ctx, const char *name, char *ip, size_t n);
	void *resolve_ctx;
};

/*
 * Findings of a socket table: login sessions from outside, outbound
 * fan-out (this host a stepping stone) and its target groups, .mil/.gov
 * parties, mail sessions from odd places, unusual listeners, raw and
 * packet sockets.  Findings are added to out; -1 only when out of memory.
 */
int ks_net_analyze(const struct ks_net_table *t, const struct ks_net_opts *o,
    struct ks_findings *out, struct ks_err *err);

/* Hidden ports: in use by bind(), absent from every socket table. */
struct ks_net_hidden {
	unsigned tcp[64], udp[64];
	size_t ntcp, nudp;
	uint64_t skipped;          /* ports bind() could not test (EACCES) */
};
/*
 * Tries bind() on every TCP and UDP port (a socket of our own, closed at
 * once), re-reads the tables from procdir for the ports in use that no
 * table shows, and re-tries those, to rule out sockets opened meanwhile.
 */
int ks_net_hidden_ports(const char *procdir, struct ks_net_hidden *h,
    struct ks_err *err);

/*
 * The socket checks of `kansatsu host` on the running system: reads
 * procdir (NULL: "/proc"), adds the host's interface networks to
 * o->local, runs ks_net_analyze, and adds findings for hidden ports.
 * o->host NULL: this host's name; o->live is implied.  stats (may be
 * NULL) says what was read and what could not be.
 */
int ks_net_live_checks(const char *procdir, const struct ks_net_opts *o,
    struct ks_findings *out, struct ks_net_live_stats *stats,
    struct ks_err *err);

#endif
