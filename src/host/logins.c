/*
 * logins.c - check 1: who is on, who came from outside, who failed, and
 * whether the login records were doctored.
 *
 * The first three answer `w`, `last` and `lastb` (seed 002 starts with
 * them).  The rest are what chkwtmp, chklastlog and chkutmp look for,
 * because an intruder's first act is to erase his own logins:
 *  - zeroed records in wtmp or btmp (wtmp editors such as zap overwrite
 *    a record with zeros instead of removing it, which would shift the
 *    file);
 *  - a file whose size is not a whole number of records;
 *  - logins that lastlog or utmp remember and wtmp does not (records
 *    removed from wtmp), or network logins wtmp remembers and lastlog
 *    does not (lastlog zeroed);
 *  - processes on a terminal that utmp does not list (a session removed
 *    from utmp; on the running system only).
 * Evidence names the file and the 1-based record number.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define GROUPS_MAX 4096
#define FAILED_MANY 20
#define LASTLOG_SLACK_US (300 * 1000000LL)

static const struct ks_rule_info r_session = {
	.id = "login-session",
	.title = N_("A user is logged in now"),
	.severity = "info", .taxonomy = "other", .type = "other",
	.advice = N_("Make sure you know every session; an unknown one from "
	    "outside may be the intruder (seed 002: check w and who first)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_remote = {
	.id = "login-remote",
	.title = N_("Logins from outside the local networks"),
	.severity = "info", .taxonomy = "other", .type = "other",
	.advice = N_("Confirm each source with its user."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_remote_root = {
	.id = "login-remote-root",
	.title = N_("root logged in directly from outside"),
	.severity = "low", .taxonomy = "other", .type = "other",
	.advice = N_("Direct root logins leave no trace of who it was; allow "
	    "them only by key, or not at all (PermitRootLogin)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_failed = {
	.id = "login-failed",
	.title = N_("Failed logins recorded in btmp"),
	.severity = "low", .taxonomy = "intrusion-attempts",
	.type = "brute-force", .outcome = "attempt",
	.advice = N_("Look for a later successful login from the same "
	    "source (kansatsu host --show logins)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_failed_many = {
	.id = "login-failed-many",
	.title = N_("Many failed logins from one source (password guessing)"),
	.severity = "medium", .taxonomy = "intrusion-attempts",
	.type = "brute-force", .outcome = "attempt",
	.advice = N_("Block the source, check whether any login from it "
	    "succeeded, and allow only key logins."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_zeroed = {
	.id = "login-record-zeroed",
	.title = N_("Login records overwritten with zeros"),
	.severity = "high", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("A wtmp editor erased these logins (what chkwtmp finds). "
	    "Compare with a log host and the auth logs for the time between "
	    "the neighbouring records; treat the host as intruded."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_partial = {
	.id = "login-record-partial",
	.title = N_("A login record file is not a whole number of records"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("The file was cut or edited by something other than "
	    "the login programs; compare it with a backup."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_wtmp_missing = {
	.id = "login-wtmp-missing",
	.title = N_("A login that wtmp should hold is missing from it"),
	.severity = "high", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("lastlog or utmp remember a login that wtmp does not: "
	    "its record was removed (what chklastlog and chkutmp find). "
	    "Treat the host as intruded and read the auth logs of that time."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_lastlog_missing = {
	.id = "login-lastlog-missing",
	.title = N_("Network logins in wtmp that lastlog does not remember"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("lastlog was zeroed for this user after a login (what "
	    "chklastlog finds); read the auth logs for the user's sessions."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_tty_unknown = {
	.id = "login-tty-unknown",
	.title = N_("Processes on a terminal that utmp does not list"),
	.severity = "low", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("A session removed from utmp hides from w and who (what "
	    "chkutmp finds); terminal multiplexers and containers also run "
	    "terminals without utmp. Check who owns these processes."),
	.path = KS_HOST_RULE_PATH,
};

static const char *
type_name(int type)
{
	static const char *const names[] = { "EMPTY", "RUN_LVL", "BOOT_TIME",
	    "NEW_TIME", "OLD_TIME", "INIT_PROCESS", "LOGIN_PROCESS",
	    "USER_PROCESS", "DEAD_PROCESS", "ACCOUNTING" };

	return type >= 0 && type <= 9 ? names[type] : "type?";
}

/* "USER_PROCESS mity pts/0 from 192.0.2.7 at 2026-... pid 14483" */
static void
record_text(const struct ks_host *h, const struct ks_utmp *u,
    struct ks_buf *b)
{
	ks_buf_reset(b);
	ks_buf_addf(b, "%s %s %s", type_name(u->type), u->user, u->line);
	if (u->host[0] != '\0')
		ks_buf_addf(b, " from %s", u->host);
	if (u->addr[0] != '\0' && strcmp(u->addr, u->host) != 0)
		ks_buf_addf(b, " (%s)", u->addr);
	ks_buf_adds(b, " at ");
	ks_host_time(h, b, u->time_us);
	ks_buf_addf(b, " pid %d", (int)u->pid);
}

static void
record_ev(struct ks_host *h, struct ks_finding *fd,
    const struct ks_utmpfile *f, size_t i, const struct ks_utmp *u,
    struct ks_buf *b)
{
	record_text(h, u, b);
	ks_hf_ev(h, fd, f->path, f->skipped + i + 1, b->p, b->len);
}

static void
get_record(const struct ks_utmpfile *f, size_t i, struct ks_utmp *u)
{
	ks_utmp_parse(f->p + i * KS_UTMP_SIZE, u);
}

/* The login's remote party: the address when recorded, else the host. */
static const char *
login_source(const struct ks_utmp *u)
{
	return u->addr[0] != '\0' && strcmp(u->addr, "0.0.0.0") != 0 ?
	    u->addr : u->host;
}

static bool
pid_alive(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static void
sessions(struct ks_host *h, const struct ks_wtmp *w, struct ks_buf *b)
{
	struct ks_utmp u;

	for (size_t i = 0; i < w->utmp.nrec; i++) {
		struct ks_finding *fd;

		get_record(&w->utmp, i, &u);
		if (u.type != KS_UT_USER || u.user[0] == '\0' ||
		    (h->live && !pid_alive(u.pid)))
			continue;
		fd = ks_hf_new(h, &r_session, u.time_us);
		ks_hf_field(h, fd, KS_F_USER_NAME, u.user);
		if (ks_host_is_remote(u.host))
			ks_hf_field(h, fd, KS_F_SOURCE_IP, login_source(&u));
		ks_hf_attr(h, fd, "process.tty.name", u.line);
		ks_hf_num(h, fd, "process.pid", u.pid);
		record_ev(h, fd, &w->utmp, i, &u, b);
		ks_hf_add(h, fd);
	}
}

/* Group key "user\0source" into b. */
static void
user_source_key(struct ks_buf *b, const char *user, const char *source)
{
	ks_buf_reset(b);
	ks_buf_adds(b, user);
	ks_buf_addc(b, '\0');
	ks_buf_adds(b, source);
}

static void
remote_logins(struct ks_host *h, const struct ks_utmpfile *f,
    struct ks_buf *b)
{
	struct ks_hgroups g;
	struct ks_buf key;
	struct ks_utmp u;

	if (ks_hgroups_init(h, &g, GROUPS_MAX) < 0)
		return;
	ks_buf_init(&key);
	for (size_t i = 0; i < f->nrec; i++) {
		struct ks_finding *fd;
		size_t before = g.n;

		get_record(f, i, &u);
		if (u.type != KS_UT_USER || u.time_us < h->o.since_us ||
		    !ks_host_is_remote(u.host))
			continue;
		user_source_key(&key, u.user, login_source(&u));
		fd = ks_hgroups_get(h, &g, key.p, key.len, strcmp(u.user,
		    "root") == 0 ? &r_remote_root : &r_remote, u.time_us);
		if (fd == NULL)
			continue;
		if (before != g.n) {
			ks_hf_field(h, fd, KS_F_USER_NAME, u.user);
			ks_hf_field(h, fd, KS_F_SOURCE_IP, login_source(&u));
		}
		record_ev(h, fd, f, i, &u, b);
	}
	if (g.overflow > 0)
		ks_host_note(h, _("%s: %llu logins of more than %d user and "
		    "source pairs were not reported"), f->path,
		    (unsigned long long)g.overflow, GROUPS_MAX);
	ks_hgroups_flush(h, &g);
	ks_hgroups_free(&g);
	ks_buf_free(&key);
}

static void
failed_logins(struct ks_host *h, const struct ks_utmpfile *f,
    struct ks_buf *b)
{
	struct ks_hgroups g;
	struct ks_utmp u;

	if (ks_hgroups_init(h, &g, GROUPS_MAX) < 0)
		return;
	for (size_t i = 0; i < f->nrec; i++) {
		const char *src;
		struct ks_finding *fd;
		size_t before = g.n;

		get_record(f, i, &u);
		if (u.zero || u.time_us < h->o.since_us)
			continue;
		src = login_source(&u)[0] != '\0' ? login_source(&u) : u.line;
		fd = ks_hgroups_get(h, &g, src, strlen(src), &r_failed,
		    u.time_us);
		if (fd != NULL && before != g.n && ks_host_is_remote(u.host))
			ks_hf_field(h, fd, KS_F_SOURCE_IP, src);
		if (fd != NULL && before != g.n)
			ks_hf_field(h, fd, KS_F_USER_NAME, u.user);
		if (fd != NULL)
			record_ev(h, fd, f, i, &u, b);
	}
	for (size_t i = 0; i < g.n; i++)
		if (g.v[i]->count >= FAILED_MANY)
			g.v[i]->rule = &r_failed_many;
	ks_hgroups_flush(h, &g);
	ks_hgroups_free(&g);
}

/* The time of record i, or fallback when i is out of the file. */
static int64_t
record_time(const struct ks_utmpfile *f, size_t i, bool valid,
    int64_t fallback)
{
	struct ks_utmp u;

	if (!valid || i >= f->nrec)
		return fallback;
	get_record(f, i, &u);
	return u.time_us;
}

/* One finding per file, each run of zeroed records one evidence. */
static void
zeroed(struct ks_host *h, const struct ks_utmpfile *f, struct ks_buf *b)
{
	struct ks_finding *fd = NULL;
	struct ks_utmp u;
	size_t i = 0, start;

	while (i < f->nrec) {
		int64_t before, after;

		get_record(f, i, &u);
		if (!u.zero) {
			i++;
			continue;
		}
		for (start = i; i < f->nrec; i++) {
			get_record(f, i, &u);
			if (!u.zero)
				break;
		}
		before = record_time(f, start - 1, start > 0, 0);
		after = record_time(f, i, true, 0);
		if (fd == NULL) {
			fd = ks_hf_new(h, &r_zeroed, before ? before :
			    after ? after : h->o.now_us);
			ks_hf_attr(h, fd, "file.path", f->path);
			if (fd == NULL)
				return;
			fd->count = 0;
		}
		fd->count += i - start;
		ks_buf_reset(b);
		ks_buf_addf(b, "%zu zeroed record%s", i - start,
		    i - start == 1 ? "" : "s");
		if (before != 0) {
			ks_buf_adds(b, " after ");
			ks_host_time(h, b, before);
			ks_hf_seen(h, fd, before);
		}
		if (after != 0) {
			ks_buf_adds(b, " before ");
			ks_host_time(h, b, after);
			ks_hf_seen(h, fd, after);
		}
		ks_hf_ev(h, fd, f->path, f->skipped + start + 1, b->p, b->len);
	}
	ks_hf_add(h, fd);
}

static void
partial(struct ks_host *h, const struct ks_utmpfile *f)
{
	struct ks_finding *fd;
	int64_t mt = (int64_t)f->st.st_mtim.tv_sec * 1000000;

	if (!f->present || f->tail == 0)
		return;
	fd = ks_hf_new(h, &r_partial, mt);
	ks_hf_attr(h, fd, "file.path", f->path);
	ks_hf_evf(h, fd, f->path, 0, "size %lld is %zu bytes past its last "
	    "whole %d-byte record", (long long)f->st.st_size, f->tail,
	    KS_UTMP_SIZE);
	ks_hf_add(h, fd);
}

/* The latest network login of user in wtmp (0: none) and its record. */
static int64_t
latest_login(const struct ks_utmpfile *f, const char *user, bool network,
    size_t *at)
{
	struct ks_utmp u;
	int64_t best = 0;

	for (size_t i = 0; i < f->nrec; i++) {
		get_record(f, i, &u);
		if (u.type == KS_UT_USER && strcmp(u.user, user) == 0 &&
		    (!network || u.host[0] != '\0') && u.time_us > best) {
			best = u.time_us;
			*at = i;
		}
	}
	return best;
}

static int64_t
first_time(const struct ks_utmpfile *f)
{
	struct ks_utmp u;

	for (size_t i = 0; i < f->nrec; i++) {
		get_record(f, i, &u);
		if (!u.zero && u.time_us > 0)
			return u.time_us;
	}
	return INT64_MAX;
}

static void
lastlog_one(struct ks_host *h, const struct ks_wtmp *w,
    const struct ks_pwent *pw, int64_t first, struct ks_buf *b)
{
	struct ks_lastlog ll;
	struct ks_finding *fd;
	struct ks_utmp u;
	size_t at = 0;
	bool have = ks_wtmp_lastlog(w, pw->uid, &ll);
	int64_t any = latest_login(&w->wtmp, pw->name, false, &at);
	int64_t net;

	if (have && ll.time_us >= first && ll.time_us > any + LASTLOG_SLACK_US) {
		fd = ks_hf_new(h, &r_wtmp_missing, ll.time_us);
		ks_hf_field(h, fd, KS_F_USER_NAME, pw->name);
		ks_hf_evf(h, fd, w->lastlog_path, 0, "lastlog: %s logged in on "
		    "%s from %s", pw->name, ll.line, ll.host);
		ks_buf_reset(b);
		ks_buf_adds(b, w->wtmp.present ? "wtmp: no login of this user "
		    "at that time" : "wtmp: the file is missing");
		ks_hf_ev(h, fd, w->wtmp.present ? w->wtmp.path :
		    "/var/log/wtmp", 0, b->p, b->len);
		ks_hf_add(h, fd);
		return;
	}
	net = latest_login(&w->wtmp, pw->name, true, &at);
	if (have || net == 0)
		return;
	get_record(&w->wtmp, at, &u);
	fd = ks_hf_new(h, &r_lastlog_missing, net);
	ks_hf_field(h, fd, KS_F_USER_NAME, pw->name);
	record_ev(h, fd, &w->wtmp, at, &u, b);
	ks_hf_evf(h, fd, w->lastlog_path, 0, "lastlog: no entry for uid %u",
	    (unsigned)pw->uid);
	ks_hf_add(h, fd);
}

static void
lastlog_vs_wtmp(struct ks_host *h, const struct ks_wtmp *w, struct ks_buf *b)
{
	struct ks_accounts *a;
	int64_t first;

	if (w->lastlog_fd < 0 || (a = ks_host_accounts(h)) == NULL)
		return;
	first = w->wtmp.present ? first_time(&w->wtmp) : 0;
	for (size_t i = 0; i < a->npw; i++)
		lastlog_one(h, w, &a->pw[i], first, b);
}

/* Each live utmp session should have its login record in wtmp. */
static void
utmp_vs_wtmp(struct ks_host *h, const struct ks_wtmp *w, struct ks_buf *b)
{
	int64_t first = first_time(&w->wtmp);
	struct ks_utmp u, v;

	for (size_t i = 0; i < w->utmp.nrec && w->wtmp.present; i++) {
		bool found = false;
		struct ks_finding *fd;

		get_record(&w->utmp, i, &u);
		if (u.type != KS_UT_USER || u.time_us < first)
			continue;
		for (size_t j = 0; j < w->wtmp.nrec && !found; j++) {
			get_record(&w->wtmp, j, &v);
			found = v.type == KS_UT_USER &&
			    strcmp(v.line, u.line) == 0 &&
			    strcmp(v.user, u.user) == 0 &&
			    (v.time_us - u.time_us) / 1000000 == 0;
		}
		if (found)
			continue;
		fd = ks_hf_new(h, &r_wtmp_missing, u.time_us);
		ks_hf_field(h, fd, KS_F_USER_NAME, u.user);
		record_ev(h, fd, &w->utmp, i, &u, b);
		ks_hf_ev(h, fd, w->wtmp.path, 0, "wtmp: no such login record",
		    strlen("wtmp: no such login record"));
		ks_hf_add(h, fd);
	}
}

static bool
utmp_has_line(const struct ks_utmpfile *f, const char *line)
{
	struct ks_utmp u;

	for (size_t i = 0; i < f->nrec; i++) {
		get_record(f, i, &u);
		if (u.type == KS_UT_USER && strcmp(u.line, line) == 0)
			return true;
	}
	return false;
}

static void
unknown_ttys(struct ks_host *h, const struct ks_wtmp *w)
{
	struct ks_proclist *pl = ks_host_procs(h);
	struct ks_hgroups g;
	char tty[32];

	if (pl == NULL)
		return;
	if (!w->utmp.present) {
		ks_host_note(h, _("no utmp: which terminals are logged in "
		    "cannot be checked"));
		return;
	}
	if (ks_hgroups_init(h, &g, GROUPS_MAX) < 0)
		return;
	for (size_t i = 0; i < pl->n; i++) {
		const struct ks_proc *p = &pl->v[i];
		struct ks_finding *fd;
		size_t before = g.n;

		if (p->kthread || !ks_tty_name(p->tty_nr, tty, sizeof(tty)) ||
		    utmp_has_line(&w->utmp, tty))
			continue;
		fd = ks_hgroups_get(h, &g, tty, strlen(tty), &r_tty_unknown,
		    p->start_us);
		if (before != g.n)
			ks_hf_attr(h, fd, "process.tty.name", tty);
		ks_hf_evf(h, fd, "/proc", 0, "pid %d %s uid %u on %s", p->pid,
		    p->comm, (unsigned)p->uid, tty);
	}
	ks_hgroups_flush(h, &g);
	ks_hgroups_free(&g);
}

void
ks_check_logins(struct ks_host *h)
{
	struct ks_wtmp *w = ks_host_wtmp(h);
	struct ks_buf b;

	if (w == NULL)
		return;
	ks_buf_init(&b);
	if (!w->wtmp.present)
		ks_host_note(h, _("no /var/log/wtmp: past logins cannot be "
		    "checked"));
	sessions(h, w, &b);
	remote_logins(h, &w->wtmp, &b);
	failed_logins(h, &w->btmp, &b);
	zeroed(h, &w->wtmp, &b);
	zeroed(h, &w->btmp, &b);
	partial(h, &w->utmp);
	partial(h, &w->wtmp);
	partial(h, &w->btmp);
	lastlog_vs_wtmp(h, w, &b);
	utmp_vs_wtmp(h, w, &b);
	if (h->live)
		unknown_ttys(h, w);
	if (ks_buf_failed(&b))
		h->oom = true;
	ks_buf_free(&b);
}
