/*
 * sockets.c - the socket checks of host triage: which ports listen and
 * who talks to them (seed 002's netstat -an, netstat -lp and lsof -i).
 *
 * The network module reads the live socket tables and owns the analysis
 * (src/net/live.c: unusual listeners, sessions to login services from
 * outside, fan-out from this host, raw and packet sockets with their
 * programs, ports bind() says are taken that no table shows); this file
 * only hands it the host's baseline as the test of a known listener, and
 * turns what it could not read into notes.  Live only: a mounted image
 * has no sockets.
 */
#include "host/host_int.h"
#include "net/net.h"
#include "util/i18n.h"

static bool
known_listener(void *ctx, const char *proto, unsigned port,
    const char *program)
{
	return ks_baseline_listener_known(ctx, proto, port, program);
}

void
ks_check_sockets(struct ks_host *h)
{
	struct ks_net_opts no = { 0 };
	struct ks_net_live_stats st = { 0 };
	struct ks_err err;

	no.host = h->hostname;
	no.live = true;
	no.when_us = h->o.now_us;
	no.when_off = ks_host_off(h, h->o.now_us);
	if (h->o.baseline != NULL) {
		no.known = known_listener;
		no.known_ctx = (void *)h->o.baseline;
	}
	if (ks_net_live_checks(NULL, &no, h->out, &st, &err) < 0) {
		ks_host_note(h, _("sockets: %s"), err.msg);
		return;
	}
	if (st.missing[0] != '\0')
		ks_host_note(h, _("sockets: could not read %s"), st.missing);
	if (st.unreadable > 0)
		ks_host_note(h, _("sockets: the descriptors of %llu processes "
		    "could not be read: their sockets show no program"),
		    (unsigned long long)st.unreadable);
	if (st.untested > 0)
		ks_host_note(h, _("sockets: %llu ports below 1024 could not be "
		    "tested for hiding without privilege"),
		    (unsigned long long)st.untested);
}

int
ks_host_baseline_listeners(struct ks_host *h, struct ks_baseline *b,
    struct ks_err *err)
{
	struct ks_net_table t;
	struct ks_net_live_stats st = { 0 };
	int rc = 0;

	if (!h->live)
		return 0;
	ks_net_table_init(&t, "/proc/net");
	if (ks_net_read_proc(&t, "/proc", &st, err) < 0) {
		ks_net_table_free(&t);
		return -1;
	}
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		const struct ks_sock *s = &t.v[i];

		const char *proto = s->kind == KS_SOCK_TCP ? "tcp" : "udp";
		const char *prog = s->program[0] != '\0' ? s->program : NULL;

		/* IPv4 and IPv6 sockets of one service are one record */
		if (ks_sock_listener(s) && !ks_baseline_listener_known(b, proto,
		    (unsigned)s->local.port, prog))
			rc = ks_baseline_add_listener(b, proto,
			    (unsigned)s->local.port, prog, err);
	}
	ks_net_table_free(&t);
	return rc;
}

int
ks_host_show_sockets(struct ks_host *h, struct ks_buf *out,
    struct ks_err *err)
{
	struct ks_net_table t;
	struct ks_net_live_stats st = { 0 };

	if (!h->live) {
		ks_host_note(h, _("sockets: a mounted image has no sockets"));
		return 0;
	}
	ks_net_table_init(&t, "/proc/net");
	if (ks_net_read_proc(&t, "/proc", &st, err) < 0) {
		ks_net_table_free(&t);
		return -1;
	}
	for (size_t i = 0; i < t.n; i++) {
		ks_sock_format(out, &t.v[i]);
		ks_buf_addc(out, '\n');
	}
	ks_net_table_free(&t);
	return ks_buf_failed(out) ? ks_err_set(err, "out of memory") : 0;
}
