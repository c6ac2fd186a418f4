/*
 * decode.h - typed fields out of a framed event's message.
 *
 * A decoder knows one daemon family's messages (sshd's "Failed password
 * for X from IP port P", sendmail's "QUEUEID: from=<...>, relay=...") and
 * turns them into fields named as in ECS (source.ip, user.name, ...), so
 * that rules compare fields instead of grepping text.  Decoding runs after
 * framing, once per event, and only the decoder of the event's program
 * runs (a table lookup), except for the messages every daemon can write
 * (tcp_wrappers' "connect from") and for lines whose program is unknown,
 * where the decoders are tried by content.
 *
 * Fields are slices into the event's message, or into the ks_fields'
 * own scratch space for values that had to be normalised (an IPv6 address
 * in canonical form, "::ffff:192.0.2.1" as "192.0.2.1", a zone suffix
 * removed).  Nothing here allocates.
 */
#ifndef KS_DECODE_H
#define KS_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "frame/frame.h"
#include "util/util.h"

enum ks_field {
	KS_F_SOURCE_IP,
	KS_F_SOURCE_PORT,
	KS_F_SOURCE_DOMAIN,
	KS_F_DESTINATION_IP,
	KS_F_DESTINATION_PORT,
	KS_F_DESTINATION_DOMAIN,
	KS_F_USER_NAME,            /* the account used or targeted */
	KS_F_USER_TARGET_NAME,     /* su/sudo: the account switched to */
	KS_F_EVENT_ACTION,         /* see the KS_ACT_* names below */
	KS_F_EVENT_OUTCOME,        /* "success", "failure", "unknown" */
	KS_F_NETWORK_PROTOCOL,     /* "ssh", "telnet", "ftp", "pop3", "imap",
	                              "smtp", "dns", "http", "rpc" */
	KS_F_URL_ORIGINAL,
	KS_F_HTTP_REQUEST_METHOD,
	KS_F_HTTP_RESPONSE_STATUS_CODE,
	KS_F_EMAIL_FROM_ADDRESS,
	KS_F_EMAIL_TO_ADDRESS,
	KS_F_EMAIL_LOCAL_ID,       /* the MTA's queue id */
	KS_F_EMAIL_MAILER,         /* sendmail's mailer=, e.g. "prog", "*file*" */
	KS_F_EMAIL_STATUS,         /* sendmail stat= / postfix status= */
	KS_F_DNS_QUESTION_NAME,
	KS_F_SERVICE_NAME,         /* the daemon a tcp_wrappers or xinetd line
	                              names ("in.telnetd", "telnet") */
	KS_F_COUNT
};

/*
 * The values of event.action, shared by every decoder so that one rule
 * covers every daemon: a failed password is "logon-failed" whether sshd,
 * login, popper or vsftpd wrote it.
 */
#define KS_ACT_LOGON            "logon"            /* outcome success */
#define KS_ACT_LOGON_FAILED     "logon-failed"     /* outcome failure */
#define KS_ACT_INVALID_USER     "invalid-user"     /* no such account */
#define KS_ACT_LOGON_REFUSED    "logon-refused"    /* policy: root, AllowUsers */
#define KS_ACT_PROBE            "probe"            /* a connection that
                                                      never tried to log on */
#define KS_ACT_DISCONNECT       "disconnect"
#define KS_ACT_CONNECTION       "connection"       /* tcp_wrappers, xinetd */
#define KS_ACT_CONN_REFUSED     "connection-refused"
#define KS_ACT_SESSION_OPENED   "session-opened"
#define KS_ACT_SESSION_CLOSED   "session-closed"
#define KS_ACT_SU               "su"
#define KS_ACT_SUDO             "sudo"
#define KS_ACT_MAIL_FROM        "mail-from"
#define KS_ACT_MAIL_TO          "mail-to"
#define KS_ACT_MAIL_REJECT      "mail-reject"      /* relaying denied, ... */
#define KS_ACT_DNS_QUERY        "dns-query"
#define KS_ACT_HTTP_REQUEST     "http-request"
#define KS_ACT_FTP_TRANSFER     "ftp-transfer"
#define KS_ACT_RPC_REQUEST      "rpc-request"      /* statd, mountd */
#define KS_ACT_BOOT             "boot"             /* kernel banner */
#define KS_ACT_SHUTDOWN         "shutdown"         /* runlevel 0/6, halt */
#define KS_ACT_SYSLOG_START     "syslog-start"     /* syslogd (re)start */
#define KS_ACT_SYSLOG_STOP      "syslog-stop"
#define KS_ACT_RUNLEVEL         "runlevel"
#define KS_ACT_CRON             "cron-command"

#define KS_OUT_SUCCESS "success"
#define KS_OUT_FAILURE "failure"
#define KS_OUT_UNKNOWN "unknown"

/* "source.ip" for KS_F_SOURCE_IP, and back; -1 for an unknown name. */
const char *ks_field_name(enum ks_field f);
int ks_field_lookup(const char *name, size_t n);
/* Whether the field is a number in JSON (ports, status codes). */
bool ks_field_numeric(enum ks_field f);

#define KS_FIELDS_SCRATCH 512

struct ks_fields {
	struct ks_str v[KS_F_COUNT];   /* n == 0: absent */
	uint32_t set;                  /* bit k: v[k] set since the reset */
	char scratch[KS_FIELDS_SCRATCH];
	size_t used;
	int decoder;                   /* index of the decoder that matched, -1 */
};

_Static_assert(KS_F_COUNT <= 32, "ks_fields.set has a bit per field");

/* Empties f, whatever it held (it may be uninitialised). */
void ks_fields_reset(struct ks_fields *f);
/* Empties f after a decoder gave up: only the fields it set. */
void ks_fields_undo(struct ks_fields *f);

/* Sets a field to a slice (of the message, or of static text). */
static inline void
ks_fields_set(struct ks_fields *f, enum ks_field k, const char *p, size_t n)
{
	f->v[k] = ks_str_make(p, n);
	f->set |= 1u << k;
}
static inline void
ks_fields_sets(struct ks_fields *f, enum ks_field k, const char *lit)
{
	size_t n = 0;

	while (lit[n] != '\0')
		n++;
	ks_fields_set(f, k, lit, n);
}

/* Copies a value into the scratch space; false when it does not fit. */
bool ks_fields_copy(struct ks_fields *f, enum ks_field k, const char *p,
    size_t n);

/*
 * An address as a log wrote it: "192.0.2.1", "::ffff:192.0.2.1",
 * "fe80::1%eth0", "[2001:db8::1]".  A valid IP address is set, in
 * canonical text form, as ip_field; anything else that looks like a host
 * name (letters, digits, '-', '.', '_') as domain_field.  False when it
 * is neither (the field is then left absent).
 */
bool ks_fields_addr(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n);

/*
 * Decodes ev into f.  Returns true when a decoder recognised the message
 * (f->decoder says which), false when none did; f is reset either way.
 */
bool ks_decode(const struct ks_event *ev, struct ks_fields *f);
/*
 * The same for an f that ks_decode (or ks_fields_reset, or zeroing) made:
 * only the fields the last decoding set are cleared, not all of them, on
 * the per-line path of a reader that keeps one f for every event.
 */
bool ks_decode_next(const struct ks_event *ev, struct ks_fields *f);

/* Name of decoder i ("sshd", "sendmail", ...), for `rules test`. */
const char *ks_decoder_name(int i);

/*
 * Appends the present fields as members of a JSON object that already has
 * members: ,"source":{"ip":...,"port":22},"user":{"name":...}.  The
 * event.* fields are left to ks_fields_event_members, which appends
 * ,"action":...,"outcome":... inside the caller's own "event" object.
 */
void ks_fields_to_json(struct ks_buf *b, const struct ks_fields *f);
/* The present fields but event.*, as key/value pairs in enum order. */
size_t ks_fields_kv(const struct ks_fields *f, struct ks_kv *out);
void ks_fields_event_members(struct ks_buf *b, const struct ks_fields *f);

#endif
