/*
 * rpc.c - the Sun RPC daemons: statd, mountd, automountd, portmap and
 * rpcbind.
 *
 * These were the daemons of the 1997-2000 break-ins (CERT CA-96.09,
 * CA-99.05, CA-2000-17): statd was sent host names that were paths
 * ("../../etc/hosts.equiv"), shell commands, or a format string followed
 * by shellcode, and wrote them to syslog as it failed.  What a rule needs
 * is therefore the argument exactly as the daemon wrote it, garbage and
 * all, so every form here keeps it in url.original (length, shell
 * metacharacters and bytes that are not printable are what the rule
 * tests), and the peer in source.ip when the daemon names one.
 *
 *   statd: "open of /var/statmon/sm/;" (seed 004), "SM_MON request for
 *          hostname containing '/': ...", "gethostbyname error for
 *          ^X^X...", "attempt to create ...", "Call to statd from
 *          non-local host IP", "STAT_FAIL to H for SM_MON of X"
 *   mountd: "authenticated mount request from HOST:PORT for /x (/x)",
 *          "refused mount request from HOST for /x (/): not exported",
 *          "bad path in mount request from HOST: \"x\"", BSD's "mount
 *          request denied from HOST for /x", "Unauthorized RPC request
 *          from IP", "Unauthorized access by NFS client IP."
 *   portmap, rpcbind: "connect from IP to getport(mountd): request from
 *          unprivileged port" (tcp_wrappers inside the daemon)
 *
 * Messages often repeat the daemon's name ("statd: open of ..."); the
 * prefix is skipped.  Through the content fallback (a program that is not
 * one of these) only the forms that cannot be anybody else's are read.
 */
#include "decode/decode_int.h"

static const char *const rpc_programs[] = {
	"statd", "rpc.statd", "mountd", "rpc.mountd", "automountd",
	"portmap", "rpcbind", NULL,
};

static void
rpc_event(struct ks_fields *f, const char *outcome)
{
	(void)ks_fields_event(f, KS_ACT_RPC_REQUEST, outcome, "rpc");
}

static void
set_arg(struct ks_fields *f, struct ks_str arg)
{
	if (arg.n > 0)
		ks_fields_set(f, KS_F_URL_ORIGINAL, arg.p, arg.n);
}

/* A host as a daemon wrote it, without trailing punctuation. */
static void
set_host(struct ks_fields *f, struct ks_str h)
{
	h = ks_str_rtrim(h, ".:,;");
	if (h.n > 0)
		(void)ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
		    h.p, h.n);
}

/* "HOST:PORT" (the port after the last ':', so IPv6 works). */
static void
set_host_port(struct ks_fields *f, struct ks_str hp)
{
	const char *c = hp.n ? memrchr(hp.p, ':', hp.n) : NULL;

	if (c != NULL) {
		struct ks_str port = ks_str_tail(hp, (size_t)(c - hp.p) + 1);

		if (ks_str_isport(port)) {
			ks_fields_set(f, KS_F_SOURCE_PORT, port.p, port.n);
			hp.n = (size_t)(c - hp.p);
		}
	}
	set_host(f, hp);
}

/* ---- statd ------------------------------------------------------------ */

static bool
statd(struct ks_scan s, struct ks_fields *f, bool own)
{
	if (ks_scan_lit(&s, "SM_MON request for hostname containing '/'")) {
		/* newer: "... containing '/' or starting '.': X" */
		if (!ks_scan_past(&s, ": "))
			return false;
		rpc_event(f, KS_OUT_FAILURE);
		set_arg(f, ks_scan_rest(&s));
		return true;
	}
	if (!own)
		return false;
	if (ks_scan_lit(&s, "open of ") ||
	    ks_scan_lit(&s, "gethostbyname error for ")) {
		rpc_event(f, NULL);
		set_arg(f, ks_scan_rest(&s));
		return true;
	}
	if (ks_scan_lit(&s, "attempt to ")) {
		/* Solaris: "attempt to create \"/var/statmon/sm/../..\"" */
		if (ks_scan_word(&s).n == 0)
			return false;
		rpc_event(f, NULL);
		set_arg(f, ks_scan_rest(&s));
		return true;
	}
	if (ks_scan_lit(&s, "Call to statd from non-local host ")) {
		rpc_event(f, KS_OUT_FAILURE);
		set_host(f, ks_scan_rest(&s));
		return true;
	}
	if (ks_scan_lit(&s, "STAT_FAIL to ") && ks_scan_past(&s, " of ")) {
		rpc_event(f, KS_OUT_FAILURE);
		set_arg(f, ks_scan_rest(&s));
		return true;
	}
	return false;
}

/* ---- mountd ----------------------------------------------------------- */

/*
 * "PATH (EXPORT)[: reason]" -> PATH: up to the last " (" of the text,
 * the export in parentheses being mountd's and the path the client's.
 */
static struct ks_str
mount_path(struct ks_str t)
{
	for (size_t i = t.n; i >= 2; i--)
		if (t.p[i - 2] == ' ' && t.p[i - 1] == '(')
			return ks_str_make(t.p, i - 2);
	return t;
}

/* Linux: "{authenticated,refused} [un]mount request from H for P (E)" */
static bool
mountd_linux(struct ks_scan s, struct ks_fields *f)
{
	bool ok;
	struct ks_str host;

	if (!ks_scan_either(&s, "authenticated ", "refused ", &ok))
		return false;
	if (!ks_scan_lit(&s, "mount request from ") &&
	    !ks_scan_lit(&s, "unmount request from "))
		return false;
	host = ks_scan_until(&s, ' ');
	if (host.n == 0 || !ks_scan_lit(&s, " for "))
		return false;
	rpc_event(f, ok ? KS_OUT_SUCCESS : KS_OUT_FAILURE);
	set_host_port(f, host);
	set_arg(f, mount_path(ks_scan_rest(&s)));
	return true;
}

static bool
mountd(struct ks_scan s, struct ks_fields *f, bool own)
{
	struct ks_str host;
	bool ok;

	if (mountd_linux(s, f))
		return true;
	if (!own)
		return false;
	if (ks_scan_lit(&s, "mount request from unknown host ")) {
		host = ks_scan_until(&s, ' ');
		if (host.n == 0 || !ks_scan_lit(&s, " for "))
			return false;
		rpc_event(f, KS_OUT_FAILURE);
		set_host(f, host);
		set_arg(f, mount_path(ks_scan_rest(&s)));
		return true;
	}
	if (ks_scan_lit(&s, "bad path in mount request from ")) {
		/* "bad path in mount request from H: \"P\"" */
		host = ks_scan_until(&s, ' ');
		if (host.n == 0)
			return false;
		rpc_event(f, KS_OUT_FAILURE);
		set_host(f, host);
		struct ks_str p = ks_str_rtrim(ks_scan_rest(&s), " ");
		ks_str_skip_spaces(&p);
		if (p.n >= 2 && p.p[0] == '"' && p.p[p.n - 1] == '"')
			p = ks_str_make(p.p + 1, p.n - 2);
		set_arg(f, p);
		return true;
	}
	/* BSD: "mount request succeeded from H for P", "... denied ..." */
	if (ks_scan_lit(&s, "mount request ") ||
	    ks_scan_lit(&s, "umount request ")) {
		if (ks_scan_lit(&s, "succeeded from "))
			ok = true;
		else if (ks_scan_lit(&s, "denied from ") ||
		    ks_scan_lit(&s, "from "))
			ok = false;
		else
			return false;
		host = ks_scan_until(&s, ' ');
		if (host.n == 0)
			return false;
		rpc_event(f, ok ? KS_OUT_SUCCESS : KS_OUT_FAILURE);
		set_host(f, host);
		if (ks_scan_lit(&s, " for "))
			set_arg(f, ks_scan_rest(&s));
		return true;
	}
	if (ks_scan_lit(&s, "Unauthorized RPC request from ") ||
	    ks_scan_lit(&s, "Unauthorized access by NFS client ")) {
		host = ks_scan_until(&s, ' ');
		if (host.n == 0)
			return false;
		rpc_event(f, KS_OUT_FAILURE);
		set_host(f, host);
		return true;
	}
	return false;
}

/* ---- portmap, rpcbind ------------------------------------------------- */

/* "connect from IP to PROC(PROG)[: reason]" */
static bool
portmap(struct ks_scan s, struct ks_fields *f)
{
	struct ks_str host, call, prog;
	const char *open, *close;

	if (!ks_scan_lit(&s, "connect from "))
		return false;
	host = ks_scan_until(&s, ' ');
	if (host.n == 0 || !ks_scan_lit(&s, " to "))
		return false;
	call = ks_scan_until(&s, ':');
	if (call.n == 0 || (open = memchr(call.p, '(', call.n)) == NULL ||
	    call.p[call.n - 1] != ')')
		return false;
	close = call.p + call.n - 1;
	prog = ks_str_make(open + 1, (size_t)(close - open - 1));
	rpc_event(f, ks_scan_left(&s) > 0 ? KS_OUT_FAILURE : KS_OUT_SUCCESS);
	set_host(f, host);
	set_arg(f, call);
	if (prog.n > 0)
		ks_fields_set(f, KS_F_SERVICE_NAME, prog.p, prog.n);
	return true;
}

bool
ks_dec_rpc(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	bool own = ks_str_in(ev->program, rpc_programs);
	const char *colon;

	if (msg.n < 8)
		return false;
	/* "statd: open of ...": the daemon's name again */
	if ((colon = memchr(msg.p, ':', msg.n < 12 ? msg.n : 12)) != NULL &&
	    ks_str_in(ks_str_make(msg.p, (size_t)(colon - msg.p)),
	    rpc_programs) &&
	    colon + 1 < msg.p + msg.n && colon[1] == ' ') {
		s.p = colon + 2;
		own = true;
	}
	if (ks_scan_left(&s) == 0)
		return false;
	switch (*s.p) {
	case 'S':
	case 'o':
	case 'g':
	case 'a':
	case 'C':
		if (statd(s, f, own))
			return true;
		return *s.p == 'a' && mountd(s, f, own);
	case 'r':
	case 'm':
	case 'u':
	case 'b':
	case 'U':
		return mountd(s, f, own);
	case 'c':
		return own && portmap(s, f);
	default:
		return false;
	}
}
