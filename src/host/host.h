/*
 * host.h - host triage: the checklist of seed 002, answered from the
 * kernel's and the files' own data.
 *
 * An admin who fears an intrusion runs w, who, last, ps, netstat, reads
 * /etc/passwd, crontab, inetd.conf and the rc scripts, the shell
 * histories, looks for reboots nobody planned, SUID files and `...`
 * directories.  On an intruded host those programs may lie, so kansatsu
 * runs none of them: it reads utmp and wtmp record by record, /proc and
 * /sys, and the files themselves.  The same checks run on a system
 * mounted from a disk image (`--root DIR`); there the checks that need
 * the running kernel are skipped, with a note saying so.
 *
 * Rules that never bend: no program of the host is run and PATH is never
 * used; nothing under the analysed root is written, and files are opened
 * with O_NOATIME where the kernel allows it; what cannot be read (as a
 * normal user, say) is listed in the notes, never silently dropped.
 *
 * A check produces findings (finding/finding.h), each naming a built-in
 * rule with a stable id (`account-uid0`, `process-exe-deleted`, ...).
 * The baseline file at the end of this header keeps what a later run
 * compares with: accounts now, listening sockets once they are read.
 */
#ifndef KS_HOST_H
#define KS_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding/finding.h"
#include "frame/frame.h"
#include "util/util.h"

enum ks_host_check {
	KS_HOST_LOGINS,         /* utmp, wtmp, btmp, lastlog */
	KS_HOST_PROCESSES,      /* /proc (live only) */
	KS_HOST_ACCOUNTS,       /* passwd, shadow, group */
	KS_HOST_PERSISTENCE,    /* cron, inetd, systemd, rc, preload, keys */
	KS_HOST_FILES,          /* the file system walk */
	KS_HOST_HISTORY,        /* shell histories */
	KS_HOST_BOOTS,          /* wtmp boot records, /proc/stat btime */
	KS_HOST_KERNEL,         /* promiscuous interfaces, modules (live) */
	KS_HOST_SOCKETS,        /* listeners, sessions, sniffers (live) */
	KS_HOST_NCHECKS
};

#define KS_HOST_ALL ((1u << KS_HOST_NCHECKS) - 1)

const char *ks_host_check_name(enum ks_host_check c);
/* "logins,processes" -> a mask of (1 << check); -1 naming a bad word. */
int ks_host_checks_parse(const char *list, unsigned *mask,
    struct ks_err *err);

/* The plain views for a person (--show). */
enum ks_host_view {
	KS_VIEW_LOGINS,         /* who, last, lastb */
	KS_VIEW_PROCESSES,      /* ps -axf */
	KS_VIEW_ACCOUNTS,       /* passwd with password state and lastlog */
	KS_VIEW_PERSISTENCE,    /* what runs by itself: cron, inetd, units */
	KS_VIEW_SOCKETS,        /* netstat -anp: every socket, its program */
	KS_VIEW_COUNT
};

/* "logins" -> KS_VIEW_LOGINS; -1 when unknown. */
int ks_host_view_parse(const char *s);

struct ks_baseline;

struct ks_host_opts {
	const char *root;       /* NULL or "/": this host, live */
	const char *hostname;   /* host.name of findings; NULL: the host's */
	int64_t now_us;
	int64_t since_us;       /* start of "recent": logins, changes, boots */
	struct ks_tz *tz;       /* the zone times are shown in */
	const struct ks_baseline *baseline;   /* or NULL */
	unsigned checks;        /* mask of (1 << enum ks_host_check) */
	/* Called as work advances: the check's name and, in long checks,
	 * the path being read (or NULL); may be NULL. */
	void (*on_progress)(void *ctx, const char *check, const char *path);
	void *ctx;
};

struct ks_host;

/* Opens the analysed system; -1 when the root cannot be opened. */
int ks_host_open(struct ks_host **out, const struct ks_host_opts *o,
    struct ks_err *err);
/* Whether this is the running system (no --root). */
bool ks_host_is_live(const struct ks_host *h);
/* The host name findings carry. */
const char *ks_host_name(const struct ks_host *h);
/*
 * Runs the checks of the options' mask, adding findings to out (not
 * sorted); -1 only when out of memory or when out cannot grow.
 */
int ks_host_run(struct ks_host *h, struct ks_findings *out,
    struct ks_err *err);
/* Writes a view into out; -1 when out of memory. */
int ks_host_show(struct ks_host *h, enum ks_host_view v, struct ks_buf *out,
    struct ks_err *err);
/* Adds the system's accounts to b (for --save-baseline). */
int ks_host_baseline_accounts(struct ks_host *h, struct ks_baseline *b,
    struct ks_err *err);
/* Adds the live system's listening sockets to b (none under --root). */
int ks_host_baseline_listeners(struct ks_host *h, struct ks_baseline *b,
    struct ks_err *err);
/*
 * What could not be read, what was skipped and why: one line each,
 * escaped already, valid until ks_host_close.
 */
size_t ks_host_notes(const struct ks_host *h, const char *const **out);
void ks_host_close(struct ks_host *h);

/* ---- the baseline file ------------------------------------------------ */

/*
 * A host baseline: what a later run compares with.  A line-oriented
 * text file (see baseline.c and kansatsu(1), HOST BASELINE):
 *
 *   kansatsu-baseline 1
 *   host srv01
 *   created 2026-11-22T03:00:00+09:00
 *   account root 0 0 /root /bin/bash
 *   listener tcp 22 sshd
 *
 * one record a line, fields separated by one space, each field
 * percent-escaped (%20 for a space, %25 for '%'; "-" alone is an empty
 * field).  Lines of record types a reader does not know are counted and
 * skipped, so that a newer file still loads.
 */
struct ks_baseline_account {
	char *name;
	uint32_t uid, gid;
	char *home, *shell;
};

struct ks_baseline_listener {
	char proto[8];          /* tcp, tcp6, udp, udp6, raw, ... */
	uint16_t port;
	char *program;          /* "" when not known */
};

int ks_baseline_new(struct ks_baseline **out, const char *host,
    struct ks_err *err);
/* Parses a baseline file's text; the error names the line. */
int ks_baseline_parse(struct ks_baseline **out, const char *text, size_t n,
    struct ks_err *err);
int ks_baseline_load(struct ks_baseline **out, const char *path,
    struct ks_err *err);
/* The file's text. */
void ks_baseline_write(const struct ks_baseline *b, int64_t now_us,
    int32_t utc_off, struct ks_buf *out);
/* Writes the file atomically (a temporary file renamed over path). */
int ks_baseline_save(const struct ks_baseline *b, const char *path,
    int64_t now_us, int32_t utc_off, struct ks_err *err);
void ks_baseline_free(struct ks_baseline *b);

/* Adds a record (an exact duplicate is kept once); -1 on bad values. */
int ks_baseline_add_account(struct ks_baseline *b, const char *name,
    uint32_t uid, uint32_t gid, const char *home, const char *shell,
    struct ks_err *err);
int ks_baseline_add_listener(struct ks_baseline *b, const char *proto,
    unsigned port, const char *program, struct ks_err *err);

const char *ks_baseline_host(const struct ks_baseline *b);
const struct ks_baseline_account *ks_baseline_find_account(
    const struct ks_baseline *b, const char *name);
/*
 * The predicate of the listener checks: whether the baseline holds a
 * listener of proto on port run by program (NULL or "": any program;
 * a record without a program matches any).
 */
bool ks_baseline_listener_known(const struct ks_baseline *b,
    const char *proto, unsigned port, const char *program);
size_t ks_baseline_accounts(const struct ks_baseline *b,
    const struct ks_baseline_account **out);
size_t ks_baseline_listeners(const struct ks_baseline *b,
    const struct ks_baseline_listener **out);
/* Lines of unknown record types skipped by the parser. */
size_t ks_baseline_unknown(const struct ks_baseline *b);

#endif
