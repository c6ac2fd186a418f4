/*
 * test_decode_ssh.c - exact fields for every message form of the sshd,
 * login, tcp_wrappers, xinetd and "other" decoders (src/decode/ssh.c,
 * login.c, tcpwrap.c, other.c), and the lines they must leave alone.
 *
 * Each case frames a whole log line as the pipeline does (or, for a bare
 * message, builds the event of an unframed line as sshguard's corpus test
 * does), decodes it, and checks the decoder that matched and every field:
 * the listed ones must hold exactly the text given, all others must be
 * absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "decode/decode_int.h"

struct kv {
	enum ks_field k;
	const char *v;
};

#define END { KS_F_COUNT, NULL }
#define WANT(...) ((const struct kv[]){ __VA_ARGS__, END })

#define IP(v)      { KS_F_SOURCE_IP, v }
#define PORT(v)    { KS_F_SOURCE_PORT, v }
#define DOMAIN(v)  { KS_F_SOURCE_DOMAIN, v }
#define USER(v)    { KS_F_USER_NAME, v }
#define ACTION(v)  { KS_F_EVENT_ACTION, v }
#define OUTCOME(v) { KS_F_EVENT_OUTCOME, v }
#define PROTO(v)   { KS_F_NETWORK_PROTOCOL, v }
#define SERVICE(v) { KS_F_SERVICE_NAME, v }
#define DIP(v)     { KS_F_DESTINATION_IP, v }
#define DPORT(v)   { KS_F_DESTINATION_PORT, v }

#define SSH PROTO("ssh")
#define FAILED ACTION("logon-failed"), OUTCOME("failure")
#define LOGON ACTION("logon"), OUTCOME("success")

static struct ks_tz tz_utc;

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(ks_tz_init(&tz_utc, "UTC", NULL), 0);
	return 0;
}

/* Frames line, or makes it a bare message when it does not frame. */
static void
event_of(const char *line, struct ks_event *ev)
{
	struct ks_framer fr;
	size_t n = strlen(line);

	ks_framer_init(&fr, &tz_utc, 2003, true);
	if (!ks_frame_line(&fr, line, n, ev)) {
		memset(ev, 0, sizeof(*ev));
		ev->message = ks_str_make(line, n);
		ev->raw = ev->message;
		ev->pid = -1;
		ev->facility = ev->severity = -1;
	}
}

static void
check(const char *line, const char *decoder, const struct kv *want)
{
	struct ks_event ev;
	struct ks_fields f;
	char got[1024];
	bool listed[KS_F_COUNT] = { false };

	event_of(line, &ev);
	if (!ks_decode(&ev, &f))
		fail_msg("not decoded: %s", line);
	if (strcmp(ks_decoder_name(f.decoder), decoder) != 0)
		fail_msg("decoder %s, want %s: %s",
		    ks_decoder_name(f.decoder), decoder, line);
	for (const struct kv *w = want; w->v != NULL; w++) {
		struct ks_str v = f.v[w->k];

		listed[w->k] = true;
		assert_true(v.n < sizeof(got));
		memcpy(got, v.p ? v.p : "", v.n);
		got[v.n] = '\0';
		if (strcmp(got, w->v) != 0)
			fail_msg("%s = \"%s\", want \"%s\": %s",
			    ks_field_name(w->k), got, w->v, line);
	}
	for (int k = 0; k < KS_F_COUNT; k++)
		if (!listed[k] && f.v[k].n != 0)
			fail_msg("unexpected %s = \"%.*s\": %s",
			    ks_field_name(k), (int)f.v[k].n, f.v[k].p, line);
}

static bool
mine(const char *name)
{
	return strcmp(name, "sshd") == 0 || strcmp(name, "login") == 0 ||
	    strcmp(name, "tcp_wrappers") == 0 || strcmp(name, "xinetd") == 0 ||
	    strcmp(name, "other") == 0;
}

/* A line that none of these decoders may claim (another one may). */
static void
not_mine(const char *line)
{
	struct ks_event ev;
	struct ks_fields f;

	event_of(line, &ev);
	if (ks_decode(&ev, &f) && mine(ks_decoder_name(f.decoder)))
		fail_msg("claimed by %s: %s", ks_decoder_name(f.decoder), line);
}

/* ---- sshd -------------------------------------------------------------- */

static void
test_ssh_seed(void **state)
{
	(void)state;
	check("Jan 20 13:29:04 school sshd[548]: Failed password for ROOT "
	    "from 192.168.0.27 port 62531", "sshd",
	    WANT(IP("192.168.0.27"), PORT("62531"), USER("ROOT"), FAILED, SSH));
	check("Jan 20 13:46:46 school sshd[564]: Accepted password for mity "
	    "from 192.168.0.27 port 62571", "sshd",
	    WANT(IP("192.168.0.27"), PORT("62571"), USER("mity"), LOGON, SSH));
	check("Jan 20 13:29:04 school sshd[548]: Could not reverse map "
	    "address 192.168.0.27.", "sshd",
	    WANT(IP("192.168.0.27"), ACTION("probe"), OUTCOME("unknown"), SSH));
	check("Jan 20 13:29:12 school sshd[548]: Received disconnect from "
	    "192.168.0.27:", "sshd",
	    WANT(IP("192.168.0.27"), ACTION("disconnect"), OUTCOME("unknown"),
	    SSH));
}

static void
test_ssh_logon(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h sshd[1]: Failed publickey for invalid user "
	    "bob from 2001:db8::1 port 22 ssh2: RSA SHA256:abcdef", "sshd",
	    WANT(IP("2001:db8::1"), PORT("22"), USER("bob"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Failed keyboard-interactive/pam for "
	    "root from 10.0.0.1 port 5 ssh2", "sshd",
	    WANT(IP("10.0.0.1"), PORT("5"), USER("root"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Failed none for invalid user  from "
	    "1.2.3.4 port 5 ssh2", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd-session[1]: Failed password for illegal "
	    "user guest from fe80::1%eth0 port 7 ssh2", "sshd",
	    WANT(IP("fe80::1"), PORT("7"), USER("guest"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Accepted publickey for alice from "
	    "::ffff:10.1.2.3 port 4 ssh2: ED25519 SHA256:xyz", "sshd",
	    WANT(IP("10.1.2.3"), PORT("4"), USER("alice"), LOGON, SSH));
	check("Jan  1 00:00:00 h sshd-auth[1]: Accepted gssapi-with-mic for a "
	    "from host.example.org port 1 ssh2", "sshd",
	    WANT(DOMAIN("host.example.org"), PORT("1"), USER("a"), LOGON, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Accepted keyboard-interactive/pam "
	    "for carol from 10.9.8.7 port 2222 ssh2", "sshd",
	    WANT(IP("10.9.8.7"), PORT("2222"), USER("carol"), LOGON, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Postponed keyboard-interactive for "
	    "root from 1.2.3.4 port 5 ssh2 [preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("root"), OUTCOME("unknown"),
	    SSH));
	check("Jan  1 00:00:00 h sshd[1]: error: maximum authentication "
	    "attempts exceeded for invalid user admin from 1.2.3.4 port 5 ssh2 "
	    "[preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("admin"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: error: PAM: Authentication failure "
	    "for illegal user foo from host.example.com", "sshd",
	    WANT(DOMAIN("host.example.com"), USER("foo"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: PAM 2 more authentication failures; "
	    "logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
	    "sshd", WANT(IP("1.2.3.4"), USER("root"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Starting session: shell on pts/0 for "
	    "root from 1.2.3.4 port 5 id 0", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("root"),
	    ACTION("session-opened"), OUTCOME("success"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Close session: user root from "
	    "1.2.3.4 port 5 id 0", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("root"),
	    ACTION("session-closed"), OUTCOME("success"), SSH));
}

static void
test_ssh_refused(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h sshd[1]: Invalid user admin from 1.2.3.4 "
	    "port 5", "sshd", WANT(IP("1.2.3.4"), PORT("5"), USER("admin"),
	    ACTION("invalid-user"), OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Illegal user test from 1.2.3.4",
	    "sshd", WANT(IP("1.2.3.4"), USER("test"), ACTION("invalid-user"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: User root from 1.2.3.4 not allowed "
	    "because not listed in AllowUsers", "sshd",
	    WANT(IP("1.2.3.4"), USER("root"), ACTION("logon-refused"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: User bob not allowed because account "
	    "is locked", "sshd", WANT(USER("bob"), ACTION("logon-refused"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: ROOT LOGIN REFUSED FROM 1.2.3.4 port "
	    "5 [preauth]", "sshd", WANT(IP("1.2.3.4"), PORT("5"), USER("root"),
	    ACTION("logon-refused"), OUTCOME("failure"), SSH));
}

static void
test_ssh_probe(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h sshd[1]: Did not receive identification "
	    "string from 1.2.3.4 port 5", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), ACTION("probe"), OUTCOME("failure"),
	    SSH));
	check("Jan  1 00:00:00 h sshd[1]: Bad protocol version identification "
	    "'GET / HTTP/1.1' from 1.2.3.4 port 5", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), ACTION("probe"), OUTCOME("failure"),
	    SSH));
	check("Jan  1 00:00:00 h sshd[1]: fatal: Unable to negotiate with "
	    "1.2.3.4 port 5: no matching host key type found. Their offer: "
	    "ssh-dss", "sshd", WANT(IP("1.2.3.4"), PORT("5"), ACTION("probe"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: banner exchange: Connection from "
	    "1.2.3.4 port 5: invalid format", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), ACTION("probe"), OUTCOME("failure"),
	    SSH));
	check("Jan  1 00:00:00 h sshd[1]: Protocol major versions differ for "
	    "1.2.3.4: SSH-2.0-OpenSSH vs SSH-1.5-x", "sshd",
	    WANT(IP("1.2.3.4"), ACTION("probe"), OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: ssh_dispatch_run_fatal: Connection "
	    "from invalid user x 1.2.3.4 port 5: message authentication code "
	    "incorrect [preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("x"), ACTION("probe"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: reverse mapping checking getaddrinfo "
	    "for evil.example.com [1.2.3.4] failed - POSSIBLE BREAK-IN "
	    "ATTEMPT!", "sshd", WANT(IP("1.2.3.4"), DOMAIN("evil.example.com"),
	    ACTION("probe"), OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Address 1.2.3.4 maps to "
	    "evil.example.com, but this does not map back to the address - "
	    "POSSIBLE BREAK-IN ATTEMPT!", "sshd",
	    WANT(IP("1.2.3.4"), DOMAIN("evil.example.com"), ACTION("probe"),
	    OUTCOME("unknown"), SSH));
	check("Oct 20 08:54:36 h sshd[1]: Timeout before authentication for "
	    "connection from 1.2.3.4 to 192.168.0.2, pid = 35557", "sshd",
	    WANT(IP("1.2.3.4"), DIP("192.168.0.2"), ACTION("probe"),
	    OUTCOME("failure"), SSH));
	check("Oct 20 08:54:36 h sshd[1]: drop connection #0 from "
	    "[1.2.3.4]:48602 on [1.1.1.1]:22 penalty: exceeded LoginGraceTime",
	    "sshd", WANT(IP("1.2.3.4"), PORT("48602"), DIP("1.1.1.1"),
	    DPORT("22"), ACTION("connection-refused"), OUTCOME("failure"),
	    SSH));
	check("Jan  1 00:00:00 h sshd[1]: Connection from 1.2.3.4 port 5 on "
	    "10.0.0.1 port 22 rdomain \"\"", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), DIP("10.0.0.1"), DPORT("22"),
	    ACTION("connection"), OUTCOME("unknown"), SSH));
}

static void
test_ssh_disconnect(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h sshd[1]: Connection closed by authenticating "
	    "user root 1.2.3.4 port 5 [preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("root"), ACTION("disconnect"),
	    OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Connection closed by 1.2.3.4 port 5 "
	    "[preauth]", "sshd", WANT(IP("1.2.3.4"), PORT("5"),
	    ACTION("disconnect"), OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Connection reset by 2001:db8::5 "
	    "port 5", "sshd", WANT(IP("2001:db8::5"), PORT("5"),
	    ACTION("disconnect"), OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Received disconnect from 1.2.3.4 "
	    "port 5:11: Bye Bye [preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), ACTION("disconnect"),
	    OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: error: Received disconnect from "
	    "2001:db8::a11:beef:7ac0: 3: Auth fail [preauth]", "sshd",
	    WANT(IP("2001:db8::a11:beef:7ac0"), ACTION("disconnect"),
	    OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Disconnected from invalid user x y "
	    "1.2.3.4 port 5 [preauth]", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("x y"), ACTION("disconnect"),
	    OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h sshd[1]: Disconnected from user alice "
	    "1.2.3.4 port 5", "sshd", WANT(IP("1.2.3.4"), PORT("5"),
	    USER("alice"), ACTION("disconnect"), OUTCOME("unknown"), SSH));
	check("Jul  4 13:55:09 h sshd[1]: Disconnecting invalid user user "
	    "10.42.42.42 port 38987: Change of username or service not "
	    "allowed: "
	    "(user,ssh-connection) -> (manager,ssh-connection) [preauth]",
	    "sshd", WANT(IP("10.42.42.42"), PORT("38987"), USER("user"),
	    ACTION("disconnect"), OUTCOME("failure"), SSH));
}

static void
test_dropbear(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h dropbear[1]: Bad password attempt for 'root' "
	    "from ::ffff:1.2.3.4:55990", "sshd",
	    WANT(IP("1.2.3.4"), PORT("55990"), USER("root"), FAILED, SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Bad PAM password attempt for "
	    "'user23' from 2001:db8::7:22", "sshd",
	    WANT(IP("2001:db8::7"), PORT("22"), USER("user23"), FAILED, SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Login attempt for nonexistent "
	    "user from 1.2.3.4:60794", "sshd",
	    WANT(IP("1.2.3.4"), PORT("60794"), ACTION("invalid-user"),
	    OUTCOME("failure"), SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Exit before auth from "
	    "<::ffff:10.42.42.135:46154>: (user 'root', 3 fails): Max auth "
	    "tries reached - user 'root'", "sshd",
	    WANT(IP("10.42.42.135"), PORT("46154"), USER("root"),
	    ACTION("disconnect"), OUTCOME("unknown"), SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Password auth succeeded for "
	    "'admin' from 1.2.3.4:5", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("admin"), LOGON, SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Pubkey auth succeeded for 'root' "
	    "with ssh-ed25519 key SHA256:abc from 1.2.3.4:5", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"), USER("root"), LOGON, SSH));
	check("Jan  1 00:00:00 h dropbear[1]: Child connection from "
	    "1.2.3.4:5", "sshd", WANT(IP("1.2.3.4"), PORT("5"),
	    ACTION("connection"), OUTCOME("unknown"), SSH));
}

/* Lines whose program is unknown, or that did not frame: by content. */
static void
test_ssh_content(void **state)
{
	(void)state;
	check("Invalid user inexu from 2001:db8::a11:beef:7ac0%abcdefgh1234567",
	    "sshd", WANT(IP("2001:db8::a11:beef:7ac0"), USER("inexu"),
	    ACTION("invalid-user"), OUTCOME("failure"), SSH));
	check("2015-05-27T04:31:28.10040 auth.info: May 27 04:31:28 "
	    "sshd[30993]: Invalid user admin from 1.2.3.4", "sshd",
	    WANT(IP("1.2.3.4"), USER("admin"), ACTION("invalid-user"),
	    OUTCOME("failure"), SSH));
	check("2018-06-26 13:22:02.108781500 Failed password for woold from "
	    "10.10.10.76 port 34718 ssh2", "sshd",
	    WANT(IP("10.10.10.76"), PORT("34718"), USER("woold"), FAILED, SSH));
	check("2022-02-24T21:00:42.021457+00:00 evse dropbear 6052 - - Bad "
	    "password attempt for 'root' from 1.2.3.4:50532", "sshd",
	    WANT(IP("1.2.3.4"), PORT("50532"), USER("root"), FAILED, SSH));
	check("Connection reset by invalid user username 1.2.3.4 port 55895 "
	    "[preauth]", "sshd", WANT(IP("1.2.3.4"), PORT("55895"),
	    USER("username"), ACTION("disconnect"), OUTCOME("unknown"), SSH));
}

/* What a client can write must not make someone else the source. */
static void
test_ssh_hostile(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h sshd[1]: Failed password for invalid user x "
	    "from 9.9.9.9 port 1 ssh2 from 1.2.3.4 port 5 ssh2", "sshd",
	    WANT(IP("1.2.3.4"), PORT("5"),
	    USER("x from 9.9.9.9 port 1 ssh2"), FAILED, SSH));
	check("Jan  1 00:00:00 h sshd[1]: Invalid user a from 9.9.9.9 from "
	    "1.2.3.4 port 5", "sshd", WANT(IP("1.2.3.4"), PORT("5"),
	    USER("a from 9.9.9.9"), ACTION("invalid-user"), OUTCOME("failure"),
	    SSH));
	not_mine("Jan  1 00:00:00 h sshd[1]: error: kex_exchange_"
	    "identification: client sent invalid protocol identifier \"Failed "
	    "password for root from 9.9.9.9 port 1 ssh2\"");
	not_mine("Jan  1 00:00:00 h myapp[1]: got \"Failed password for root "
	    "from 9.9.9.9 port 1 ssh2\"");
	not_mine("Jan  1 00:00:00 h sshd[1]: Connection closed by UNKNOWN port "
	    "65535");
	not_mine("Jan 20 12:58:32 school sshd[399]: Server listening on "
	    "0.0.0.0 port 22.");
	not_mine("Jan 20 12:57:31 school sshd[399]: Received signal 15; "
	    "terminating.");
	not_mine("Jan  1 00:00:00 h sshd[1]: pam_unix(sshd:auth): "
	    "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
	    "rhost=1.2.3.4  user=root");
	not_mine("Jan  1 00:00:00 h sshd[1]: Failed password for root from "
	    "1.2.3.");
}

/* ---- login, telnetd, rlogind, rshd ------------------------------------- */

static void
test_login(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h login[1]: FAILED LOGIN 1 FROM 192.168.0.1 FOR "
	    "root, Authentication failure", "login",
	    WANT(IP("192.168.0.1"), USER("root"), FAILED, PROTO("telnet")));
	check("Jan  1 00:00:00 h login: FAILED LOGIN 2 FROM evil.example.com "
	    "FOR guest, Authentication failure", "login",
	    WANT(DOMAIN("evil.example.com"), USER("guest"), FAILED,
	    PROTO("telnet")));
	check("Jan  1 00:00:00 h login[1]: FAILED LOGIN 1 ON tty1 FOR root, "
	    "Authentication failure", "login", WANT(USER("root"), FAILED));
	check("Jan  1 00:00:00 h login[1]: FAILED LOGIN 1 FROM (null) FOR "
	    "root, Authentication failure", "login",
	    WANT(USER("root"), FAILED));
	check("Jan  1 00:00:00 h login[1]: FAILED LOGIN (1) on '/dev/pts/1' "
	    "FROM 'host.example' FOR 'joe', Authentication failure", "login",
	    WANT(DOMAIN("host.example"), USER("joe"), FAILED, PROTO("telnet")));
	check("Jan  1 00:00:00 h login[1]: TOO MANY LOGIN TRIES (5) FROM "
	    "10.0.0.3 FOR root, Authentication failure", "login",
	    WANT(IP("10.0.0.3"), USER("root"), FAILED, PROTO("telnet")));
	check("Jan  1 00:00:00 h login: ROOT LOGIN ON tty1", "login",
	    WANT(USER("root"), LOGON));
	check("Jan  1 00:00:00 h login: ROOT LOGIN ON pts/0 FROM 10.0.0.5",
	    "login", WANT(IP("10.0.0.5"), USER("root"), LOGON,
	    PROTO("telnet")));
	check("Jan  1 00:00:00 h login[1]: ROOT LOGIN  on '/dev/pts/0' from "
	    "'10.0.0.5'", "login", WANT(IP("10.0.0.5"), USER("root"), LOGON,
	    PROTO("telnet")));
	check("Jan  1 00:00:00 h login: ROOT LOGIN REFUSED ON ttyp0 FROM "
	    "10.0.0.5", "login", WANT(IP("10.0.0.5"), USER("root"),
	    ACTION("logon-refused"), OUTCOME("failure"), PROTO("telnet")));
	check("Jan  1 00:00:00 h login: LOGIN ON pts/1 BY amishito FROM "
	    "192.114.85.56", "login", WANT(IP("192.114.85.56"),
	    USER("amishito"), LOGON, PROTO("telnet")));
	check("Jan  1 00:00:00 h login: LOGIN ON tty2 BY joe", "login",
	    WANT(USER("joe"), LOGON));
	check("Jan  1 00:00:00 h login: REPEATED LOGIN FAILURES ON pts/2 FROM "
	    "192.114.85.56, guest", "login", WANT(IP("192.114.85.56"),
	    USER("guest"), FAILED, PROTO("telnet")));
	check("Jan  1 00:00:00 h login: 3 LOGIN FAILURES FROM host.example, "
	    "joe", "login", WANT(DOMAIN("host.example"), USER("joe"), FAILED,
	    PROTO("telnet")));
	check("Jan  1 00:00:00 h login: 1 LOGIN FAILURE ON ttyv0", "login",
	    WANT(FAILED));
	check("Jan  1 00:00:00 sol login: [ID 143248 auth.notice] Login "
	    "failure on /dev/pts/3 from 10.1.1.1, root", "login",
	    WANT(IP("10.1.1.1"), USER("root"), FAILED, PROTO("telnet")));
}

static void
test_rservices(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h in.rlogind[5]: Connection from 10.0.0.9 on "
	    "illegal port", "login", WANT(IP("10.0.0.9"),
	    ACTION("connection-refused"), OUTCOME("failure"), PROTO("rlogin")));
	check("Jan  1 00:00:00 h in.rshd[5]: root@evil.example as root: "
	    "cmd='id'", "login", WANT(DOMAIN("evil.example"), USER("root"),
	    LOGON, PROTO("rsh")));
	check("Jan  1 00:00:00 h rshd[5]: joe@10.0.0.9 as root: permission "
	    "denied (Permission denied). cmd='sh'", "login",
	    WANT(IP("10.0.0.9"), USER("root"), FAILED, PROTO("rsh")));
	/* telnetd's tcp_wrappers line goes to the tcp_wrappers decoder */
	check("Jan  1 00:00:00 h in.telnetd[12]: connect from 10.0.0.1",
	    "tcp_wrappers", WANT(IP("10.0.0.1"), ACTION("connection"),
	    OUTCOME("success"), PROTO("telnet"), SERVICE("in.telnetd")));
	not_mine("Jan  1 00:00:00 h in.telnetd[12]: ttloop: peer died: EOF");
	not_mine("FTP LOGIN FAILED FROM 6.6.6.0, XYZ");
}

/* ---- tcp_wrappers and xinetd ------------------------------------------- */

static void
test_tcpwrap(void **state)
{
	(void)state;
	check("Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1",
	    "tcp_wrappers", WANT(IP("192.168.100.1"), ACTION("connection"),
	    OUTCOME("success"), PROTO("telnet"), SERVICE("telnetd")));
	check("Jan  1 00:00:00 h in.ftpd[1]: connect from evil.example.com "
	    "(10.0.0.1)", "tcp_wrappers", WANT(IP("10.0.0.1"),
	    DOMAIN("evil.example.com"), ACTION("connection"),
	    OUTCOME("success"),
	    PROTO("ftp"), SERVICE("in.ftpd")));
	check("Jan  1 00:00:00 h ipop3d[1]: connect from joe@10.0.0.1",
	    "tcp_wrappers", WANT(IP("10.0.0.1"), ACTION("connection"),
	    OUTCOME("success"), PROTO("pop3"), SERVICE("ipop3d")));
	check("Jan  1 00:00:00 h sshd[1]: refused connect from 10.0.0.1 "
	    "(10.0.0.1)", "tcp_wrappers", WANT(IP("10.0.0.1"),
	    ACTION("connection-refused"), OUTCOME("failure"), PROTO("ssh"),
	    SERVICE("sshd")));
	check("Jan  1 00:00:00 h in.fingerd[1]: refused connect from unknown",
	    "tcp_wrappers", WANT(ACTION("connection-refused"),
	    OUTCOME("failure"), PROTO("finger"), SERVICE("in.fingerd")));
	check("Jan  1 00:00:00 h imapd[1]: warning: can't get client address: "
	    "Transport endpoint is not connected", "tcp_wrappers",
	    WANT(ACTION("connection"), OUTCOME("unknown"), PROTO("imap"),
	    SERVICE("imapd")));
	check("Jan  1 00:00:00 h in.telnetd[1]: warning: /etc/hosts.allow, "
	    "line 5: host name/address mismatch: 10.0.0.1 != spoof.example.com",
	    "tcp_wrappers", WANT(IP("10.0.0.1"), DOMAIN("spoof.example.com"),
	    ACTION("connection"), OUTCOME("unknown"), PROTO("telnet"),
	    SERVICE("in.telnetd")));
	check("Jan  1 00:00:00 h in.rshd[1]: warning: can't verify hostname: "
	    "getaddrinfo(spoof.example.com, AF_INET) failed", "tcp_wrappers",
	    WANT(DOMAIN("spoof.example.com"), ACTION("connection"),
	    OUTCOME("unknown"), PROTO("rsh"), SERVICE("in.rshd")));
	check("connect from 10.0.0.1", "tcp_wrappers", WANT(IP("10.0.0.1"),
	    ACTION("connection"), OUTCOME("success")));
	not_mine("Jun 23 12:34:00 bsite popper[13]: @[192.168.100.1]: -ERR POP "
	    "EOF received");
	not_mine("Jan  1 00:00:00 h in.telnetd[1]: warning: /etc/hosts.allow, "
	    "line 5: missing newline or line too long");
}

static void
test_xinetd(void **state)
{
	(void)state;
	check("Jan  1 00:00:00 h xinetd[1]: START: telnet pid=1234 "
	    "from=::ffff:10.0.0.1", "xinetd", WANT(IP("10.0.0.1"),
	    ACTION("connection"), OUTCOME("success"), PROTO("telnet"),
	    SERVICE("telnet")));
	check("Jan  1 00:00:00 h xinetd[1]: EXIT: telnet status=0 pid=1234 "
	    "duration=30(sec)", "xinetd", WANT(ACTION("disconnect"),
	    OUTCOME("unknown"), PROTO("telnet"), SERVICE("telnet")));
	check("Jan  1 00:00:00 h xinetd[1]: FAIL: telnet libwrap "
	    "from=10.0.0.1", "xinetd", WANT(IP("10.0.0.1"),
	    ACTION("connection-refused"), OUTCOME("failure"), PROTO("telnet"),
	    SERVICE("telnet")));
	check("Jan  1 00:00:00 h xinetd[1]: FAIL: ftp address from=10.0.0.2",
	    "xinetd", WANT(IP("10.0.0.2"), ACTION("connection-refused"),
	    OUTCOME("failure"), PROTO("ftp"), SERVICE("ftp")));
	check("Jan  1 00:00:00 h xinetd[1]: USERID: telnet OTHER :root",
	    "xinetd", WANT(ACTION("connection"), OUTCOME("unknown"),
	    PROTO("telnet"), SERVICE("telnet")));
	check("Jan  1 00:00:00 h xinetd[1]: libwrap refused connection to "
	    "shell (libwrap=in.rshd) from 10.0.0.1", "xinetd",
	    WANT(IP("10.0.0.1"), ACTION("connection-refused"),
	    OUTCOME("failure"), PROTO("rsh"), SERVICE("shell")));
	not_mine("Jan  1 00:00:00 h xinetd[1]: Started working: 1 available "
	    "service");
	not_mine("START: the build");
}

/* ---- services with no program entry ------------------------------------ */

static void
test_other(void **state)
{
	(void)state;
	check("authenticator failed for XYZ [6.6.6.0]:14432 I=XYZ : 535 "
	    "Incorrect authentication data (set_id=test)", "other",
	    WANT(IP("6.6.6.0"), PORT("14432"), USER("test"), FAILED,
	    PROTO("smtp")));
	check("2015-03-12 03:17:22 login authenticator failed for ([9.9.9.9]) "
	    "[87.76.31.6]: 535 Incorrect authentication data (set_id=dog)",
	    "other", WANT(IP("87.76.31.6"), USER("dog"), FAILED,
	    PROTO("smtp")));
	check("2018-06-03 13:16:08 SMTP protocol error in \"AUTH LOGIN\" "
	    "H=(mail.example.com) [123.24.161.123] AUTH command used when not "
	    "advertised", "other", WANT(IP("123.24.161.123"), ACTION("probe"),
	    OUTCOME("failure"), PROTO("smtp")));
	check("authentication failure XYZ 2001:db8::a11:beef:7ac0", "other",
	    WANT(IP("2001:db8::a11:beef:7ac0"), USER("XYZ"), FAILED,
	    PROTO("pop3")));
	check("Attack from \"192.68.18.1\" on service 100 with danger 10.",
	    "other", WANT(IP("192.68.18.1"), ACTION("probe"),
	    OUTCOME("unknown")));
	check("Blocking \"2001:db8::a11:beef:456f/64\" for 300 secs (3 attacks "
	    "in 5 secs, after 1 abuses over 5 secs.)", "other",
	    WANT(IP("2001:db8::a11:beef:456f"), ACTION("probe"),
	    OUTCOME("unknown")));
	check("Mar 07 08:34:31 myhost gitea[15884]: 2019/03/07 08:34:31 [I] "
	    "Failed authentication attempt for blabla from [::1]", "other",
	    WANT(IP("::1"), USER("blabla"), FAILED, PROTO("http")));
	check("2023/01/01 15:33:04 ...ers/web/auth/auth.go:200:SignInPost() "
	    "[I] [63b199a0] Failed authentication attempt for test from "
	    "192.168.1.2:13798: user does not exist", "other",
	    WANT(IP("192.168.1.2"), PORT("13798"), USER("test"), FAILED,
	    PROTO("http")));
	check("\x1b[36m2023/01/01 17:25:12 \x1b[0m[I] Failed authentication "
	    "attempt for \x1b[1mtest\x1b[0m from \x1b[1m1.2.3.4:0\x1b[0m: "
	    "\x1b[1muser does not exist\x1b[0m", "other",
	    WANT(IP("1.2.3.4"), USER("test"), FAILED, PROTO("http")));
	check("2023-04-21 23:17:02.54 Logon       Login failed for user 'sa'. "
	    "Reason: Password did not match that for the login provided. "
	    "[CLIENT: 87.251.75.20]", "other", WANT(IP("87.251.75.20"),
	    USER("sa"), FAILED, PROTO("tds")));
	check("2023-05-01 15:05:09.16 Logon       Length specified in network "
	    "packet payload did not match number of bytes read; the connection "
	    "has been closed. [CLIENT: 198.199.105.106]", "other",
	    WANT(IP("198.199.105.106"), ACTION("probe"), OUTCOME("failure"),
	    PROTO("tds")));
	check("2025-07-24T14:49:49.398440Z 89 [Note] [MY-010926] [Server] "
	    "Access denied for user 'test'@'91.99.222.37' (using password: "
	    "YES)", "other", WANT(IP("91.99.222.37"), USER("test"), FAILED,
	    PROTO("mysql")));
	check("May 05 00:11:56 deb12-pve pvedaemon[2350]: authentication "
	    "failure; rhost=2001:0DB8:72a:1936:2d49:83ed:d49a:6ffd "
	    "user=root@pam msg=Authentication failure", "other",
	    WANT(IP("2001:db8:72a:1936:2d49:83ed:d49a:6ffd"), USER("root@pam"),
	    FAILED, PROTO("http")));
	check("Aug 30 08:06:45 pfgarga php-fpm[45982]: /index.php: "
	    "webConfigurator authentication error for user 'admin' from: "
	    "172.21.4.113", "other", WANT(IP("172.21.4.113"), USER("admin"),
	    FAILED, PROTO("http")));
	check("Sep 04 00:00:06 hostname openvpn[23718]: "
	    "[2001:db8::a11:beef:7ac0]:34791 TLS Error: TLS handshake failed",
	    "other", WANT(IP("2001:db8::a11:beef:7ac0"), PORT("34791"),
	    ACTION("probe"), OUTCOME("failure"), PROTO("openvpn")));
	check("Sep 04 00:00:06 hostname openvpn[23718]: "
	    "client1/[AF_INET]54.183.149.10:34791 TLS Auth Error: Auth "
	    "Username/Password verification failed for peer", "other",
	    WANT(IP("54.183.149.10"), PORT("34791"), FAILED,
	    PROTO("openvpn")));
	check("2019-10-21T23:07:09+0200 [stdout#info] [OVPN 0] OUT: 'Mon Oct "
	    "21 "
	    "21:07:09 2019 192.168.0.1:28288 SIGTERM[soft,port-share-redirect] "
	    "received, client-instance exiting'", "other",
	    WANT(IP("192.168.0.1"), PORT("28288"), ACTION("probe"),
	    OUTCOME("failure"), PROTO("openvpn")));
}

/* Other daemons' lines, by program or by content, stay theirs. */
static void
test_not_mine(void **state)
{
	(void)state;
	not_mine("Jan  1 00:00:00 h CRON[1]: (root) CMD (run-parts "
	    "/etc/cron.hourly)");
	not_mine("Jan  1 00:00:00 h sendmail[1]: h0ABC123: from=<a@b.example>, "
	    "size=1, class=0, nrcpts=1, relay=x [10.0.0.1]");
	not_mine("Jan  1 00:00:00 h systemd[1]: Failed to start OpenSSH "
	    "server daemon.");
	not_mine("Jul 28 08:45:16 router1 named[135105]: client "
	    "@0x7f13c4158c00 "
	    "1.2.3.4#3074 (example.com): query (cache) example.com/RRSIG/IN' "
	    "denied");
	not_mine("pam_unix(cockpit:auth): authentication failure; logname= "
	    "uid=0 euid=0 tty= ruser= rhost=172.22.10.15 user=jeff");
	not_mine("Relaying denied. IP name lookup failed [6.6.6.0]");
	not_mine("imap-login: Aborted login (auth failed, 6 attempts): XYZ "
	    "rip=6.6.6.0, lip=127.0.0.1");
	not_mine("(XYZ@6.6.6.0) [WARNING] Authentication failed for user XYZ");
	not_mine("XYZ FAIL LOGIN: Client \"6.6.6.0\"");
	not_mine("Jan  1 00:00:00 h myapp[1]: authentication failure; user=x");
	not_mine("Jan  1 00:00:00 h myapp[1]: 42 widgets processed");
}

/* The last " from " by the naive backward search. */
static long
last_from_slow(const char *p, size_t n)
{
	for (size_t i = n >= 6 ? n - 5 : 0; i-- > 0;)
		if (memcmp(p + i, " from ", 6) == 0)
			return (long)i;
	return -1;
}

/*
 * ks_last_from's skips against the naive search: random text made of
 * pieces of " from " and of an address, overlapping and cut-off
 * occurrences, every prefix length.
 */
static void
test_last_from(void **state)
{
	static const char *const bits[] = {
		" from ", " fro", "m ", "f", " ", "1.2", "from", "o", "r", "x",
	};
	static const char *const fixed[] = {
		"", " from", " from ", "  from  ", "from from from ",
		" fro from m from", "f from 1.2.3.4 port 22 from 5.6.7.8",
		"      ", "mmmmmm from", " from from from from ",
	};
	char buf[96];
	uint32_t r = 7;

	(void)state;
	for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		for (size_t n = 0; n <= strlen(fixed[k]); n++)
			assert_int_equal(ks_last_from(fixed[k], n),
			    last_from_slow(fixed[k], n));
	for (int t = 0; t < 20000; t++) {
		size_t len;

		r = r * 1103515245u + 12345u;
		len = (r >> 16) % (sizeof(buf) - 6);
		for (size_t i = 0; i < len;) {
			const char *b;

			r = r * 1103515245u + 12345u;
			b = bits[(r >> 16) % (sizeof(bits) / sizeof(bits[0]))];
			memcpy(buf + i, b, strlen(b));
			i += strlen(b);
		}
		for (size_t n = 0; n <= len; n++)
			assert_int_equal(ks_last_from(buf, n),
			    last_from_slow(buf, n));
	}
}

/*
 * ks_str_word, which finds the space with memchr, against a byte loop:
 * random runs of letters and spaces, empty and all-space strings.
 */
static void
test_str_word(void **state)
{
	char buf[80];
	uint32_t r = 9;

	(void)state;
	for (int t = 0; t < 20000; t++) {
		struct ks_str s, w;
		size_t n, i, j;

		r = r * 1103515245u + 12345u;
		n = (r >> 16) % sizeof(buf);
		for (i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			buf[i] = (r >> 16) % 3 ? 'a' : ' ';
		}
		s = ks_str_make(buf, n);
		w = ks_str_word(&s);
		for (i = 0; i < n && buf[i] != ' '; i++)
			;
		for (j = i; j < n && buf[j] == ' '; j++)
			;
		assert_ptr_equal(w.p, buf);
		assert_int_equal(w.n, i);
		assert_ptr_equal(s.p, buf + j);
		assert_int_equal(s.n, n - j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_seed),
		cmocka_unit_test(test_ssh_logon),
		cmocka_unit_test(test_ssh_refused),
		cmocka_unit_test(test_ssh_probe),
		cmocka_unit_test(test_ssh_disconnect),
		cmocka_unit_test(test_dropbear),
		cmocka_unit_test(test_ssh_content),
		cmocka_unit_test(test_ssh_hostile),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_rservices),
		cmocka_unit_test(test_tcpwrap),
		cmocka_unit_test(test_xinetd),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_not_mine),
		cmocka_unit_test(test_last_from),
		cmocka_unit_test(test_str_word),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
