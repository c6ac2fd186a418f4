/*
 * show.c - the plain views of `kansatsu host --show`: what w, who, last
 * and lastb, ps -axf, the account files and the crontabs would show, but
 * read the way the checks read them, without running any of the host's
 * programs.  For a person at a terminal: aligned columns, every string
 * from the system escaped.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

#define TREE_DEPTH 64
#define COMMAND_MAX 400

/* An escaped string padded to width columns (by bytes). */
static void
col(struct ks_buf *b, const char *s, size_t width)
{
	size_t before = b->len;

	ks_escape_text(b, s, strlen(s));
	for (size_t n = b->len - before; n < width; n++)
		ks_buf_addc(b, ' ');
	ks_buf_addc(b, ' ');
}

static void
esc(struct ks_buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	ks_escape_text(b, s, n > max ? max : n);
	if (n > max)
		ks_buf_adds(b, "...");
}

static void
when(const struct ks_host *h, struct ks_buf *b, int64_t t)
{
	size_t before = b->len;

	if (t == 0)
		ks_buf_adds(b, "-");
	else
		ks_host_time(h, b, t);
	for (size_t n = b->len - before; n < 19; n++)
		ks_buf_addc(b, ' ');
	ks_buf_addc(b, ' ');
}

/* ---- logins ------------------------------------------------------------ */

static void
who(struct ks_host *h, const struct ks_utmpfile *f, struct ks_buf *b)
{
	struct ks_utmp u;
	size_t shown = 0;

	ks_buf_addf(b, "Logged in now (%s):\n", f->present ? f->path :
	    "no utmp");
	ks_buf_adds(b, "  USER     TTY          FROM                     "
	    "SINCE               PID\n");
	for (size_t i = 0; i < f->nrec; i++) {
		ks_utmp_parse(f->p + i * KS_UTMP_SIZE, &u);
		if (u.type != KS_UT_USER || u.user[0] == '\0' || (h->live &&
		    kill(u.pid, 0) < 0 && errno == ESRCH))
			continue;
		ks_buf_adds(b, "  ");
		col(b, u.user, 8);
		col(b, u.line, 12);
		col(b, u.host, 24);
		when(h, b, u.time_us);
		ks_buf_addf(b, "%d\n", (int)u.pid);
		shown++;
	}
	if (shown == 0)
		ks_buf_adds(b, "  (nobody)\n");
}

/* What ended the session of record i: its logout, a shutdown, a crash. */
static void
session_end(struct ks_host *h, const struct ks_utmpfile *f, size_t i,
    const struct ks_utmp *login, struct ks_buf *b)
{
	struct ks_utmp u;

	for (size_t j = i + 1; j < f->nrec; j++) {
		ks_utmp_parse(f->p + j * KS_UTMP_SIZE, &u);
		if (u.type == KS_UT_DEAD && strcmp(u.line, login->line) == 0) {
			ks_host_time(h, b, u.time_us);
			return;
		}
		if (u.type == KS_UT_USER && strcmp(u.line, login->line) == 0) {
			ks_buf_adds(b, "gone, no logout");
			return;
		}
		if (ks_utmp_is_shutdown(&u)) {
			ks_buf_adds(b, "down (shutdown)");
			return;
		}
		if (u.type == KS_UT_BOOT_TIME) {
			ks_buf_adds(b, "crash (boot without shutdown)");
			return;
		}
	}
	ks_buf_adds(b, h->live && kill(login->pid, 0) == 0 ? "still logged in" :
	    "no logout recorded");
}

static void
last(struct ks_host *h, const struct ks_utmpfile *f, struct ks_buf *b,
    bool failed)
{
	struct ks_utmp u;
	size_t shown = 0;

	ks_buf_addf(b, "\n%s since ", failed ? "Failed logins" : "Logins and "
	    "boots");
	ks_host_time(h, b, h->o.since_us);
	ks_buf_addf(b, " (%s), newest first:\n", f->present ? f->path :
	    "file missing");
	ks_buf_addf(b, "  USER     TTY          FROM                     "
	    "%s\n", failed ? "WHEN" : "LOGIN               LOGOUT");
	for (size_t i = f->nrec; i-- > 0; ) {
		ks_utmp_parse(f->p + i * KS_UTMP_SIZE, &u);
		if (u.zero) {
			ks_buf_addf(b, "  (record %zu is all zeros)\n",
			    f->skipped + i + 1);
			continue;
		}
		if (u.time_us < h->o.since_us)
			continue;
		if (!(u.type == KS_UT_USER || u.type == KS_UT_BOOT_TIME ||
		    (failed && u.type == KS_UT_LOGIN) || ks_utmp_is_shutdown(&u)))
			continue;
		ks_buf_adds(b, "  ");
		col(b, u.user, 8);
		col(b, u.type == KS_UT_BOOT_TIME ? "system boot" : u.line, 12);
		col(b, u.host, 24);
		when(h, b, u.time_us);
		if (u.type == KS_UT_USER && !failed)
			session_end(h, f, i, &u, b);
		ks_buf_addc(b, '\n');
		shown++;
	}
	if (shown == 0)
		ks_buf_adds(b, "  (none)\n");
}

static void
show_logins(struct ks_host *h, struct ks_buf *b)
{
	struct ks_wtmp *w = ks_host_wtmp(h);

	if (w == NULL)
		return;
	who(h, &w->utmp, b);
	last(h, &w->wtmp, b, false);
	last(h, &w->btmp, b, true);
}

/* ---- processes --------------------------------------------------------- */

static void
user_col(struct ks_host *h, struct ks_buf *b, uint32_t uid)
{
	struct ks_accounts *a = ks_host_accounts(h);
	const struct ks_pwent *pw = a ? ks_accounts_by_uid(a, uid) : NULL;
	char num[16];

	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	col(b, pw ? pw->name : num, 9);
}

static void
proc_line(struct ks_host *h, const struct ks_proc *p, int depth,
    struct ks_buf *b)
{
	char tty[32];

	ks_buf_addf(b, "%7d %7d ", p->pid, p->ppid);
	user_col(h, b, p->have_status ? p->uid : 0);
	col(b, ks_tty_name(p->tty_nr, tty, sizeof(tty)) ? tty : "?", 7);
	when(h, b, p->start_us);
	for (int i = 0; i < depth; i++)
		ks_buf_adds(b, i + 1 == depth ? " \\_ " : "    ");
	if (p->kthread || p->cmdline == NULL) {
		ks_buf_addc(b, '[');
		esc(b, p->comm, COMMAND_MAX);
		ks_buf_addc(b, ']');
	} else
		esc(b, p->cmdline, COMMAND_MAX);
	if (p->exe_deleted)
		ks_buf_adds(b, "  <exe deleted: ");
	else if (p->exe != NULL && !p->kthread && p->cmdline != NULL &&
	    p->exe[0] == '/' && strstr(p->cmdline, p->exe) == NULL)
		ks_buf_adds(b, "  <exe: ");
	else {
		ks_buf_addc(b, '\n');
		return;
	}
	esc(b, p->exe, COMMAND_MAX);
	ks_buf_adds(b, ">\n");
}

static bool
has_parent(const struct ks_proclist *l, const struct ks_proc *p)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].pid == p->ppid && p->ppid != p->pid)
			return true;
	return false;
}

static void
tree(struct ks_host *h, const struct ks_proclist *l, size_t i, int depth,
    struct ks_buf *b)
{
	proc_line(h, &l->v[i], depth, b);
	if (depth >= TREE_DEPTH)
		return;
	for (size_t j = 0; j < l->n; j++)
		if (l->v[j].ppid == l->v[i].pid && j != i)
			tree(h, l, j, depth + 1, b);
}

static void
show_processes(struct ks_host *h, struct ks_buf *b)
{
	struct ks_proclist *l = ks_host_procs(h);

	if (l == NULL) {
		ks_buf_adds(b, "Processes can only be shown on the running "
		    "system, not under --root.\n");
		return;
	}
	ks_buf_adds(b, "    PID    PPID USER      TTY     STARTED             "
	    "COMMAND\n");
	for (size_t i = 0; i < l->n; i++)
		if (!has_parent(l, &l->v[i]))
			tree(h, l, i, 0, b);
}

/* ---- accounts ---------------------------------------------------------- */

static const char *
password_state(const struct ks_accounts *a, const struct ks_pwent *pw)
{
	const struct ks_spent *sp;
	const char *hash = pw->passwd;

	if (strcmp(hash, "x") == 0) {
		if (!a->have_shadow)
			return "?";
		if ((sp = ks_accounts_shadow(a, pw->name)) == NULL)
			return "no shadow";
		hash = sp->hash;
	} else if (hash[0] != '\0' && hash[0] != '*' && hash[0] != '!')
		return "in passwd";
	if (hash[0] == '\0')
		return "EMPTY";
	return hash[0] == '!' || hash[0] == '*' ? "locked" : "set";
}

static void
show_accounts(struct ks_host *h, struct ks_buf *b)
{
	struct ks_accounts *a = ks_host_accounts(h);
	struct ks_wtmp *w = ks_host_wtmp(h);
	char num[16];

	if (a == NULL)
		return;
	ks_buf_adds(b, "NAME             UID    GID    PASSWORD  SHELL"
	    "                HOME                     LAST LOGIN\n");
	for (size_t i = 0; i < a->npw; i++) {
		const struct ks_pwent *pw = &a->pw[i];
		struct ks_lastlog ll;

		col(b, pw->name, 16);
		snprintf(num, sizeof(num), "%u", (unsigned)pw->uid);
		col(b, num, 6);
		snprintf(num, sizeof(num), "%u", (unsigned)pw->gid);
		col(b, num, 6);
		col(b, password_state(a, pw), 9);
		col(b, pw->shell, 20);
		col(b, pw->home, 24);
		if (w != NULL && ks_wtmp_lastlog(w, pw->uid, &ll)) {
			ks_host_time(h, b, ll.time_us);
			ks_buf_adds(b, " ");
			esc(b, ll.line, 32);
			if (ll.host[0] != '\0') {
				ks_buf_adds(b, " from ");
				esc(b, ll.host, 64);
			}
		} else
			ks_buf_adds(b, "-");
		ks_buf_addc(b, '\n');
	}
}

/* ---- persistence ------------------------------------------------------- */

struct pshow {
	struct ks_host *h;
	struct ks_buf *b;
	bool lines;
};

/* An authorized_keys line without its key blob: options, type, comment. */
static void
key_text(struct ks_buf *b, struct ks_str line)
{
	const char *p = line.p, *end = line.p + line.n;
	bool skip_next = false;

	while (p < end) {
		const char *w = p;

		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if (skip_next)
			ks_buf_adds(b, "(key)");
		else
			ks_escape_text(b, w, (size_t)(p - w));
		skip_next = !skip_next && ((size_t)(p - w) > 4 &&
		    (strncmp(w, "ssh-", 4) == 0 || strncmp(w, "ecdsa-", 6) == 0 ||
		    strncmp(w, "sk-", 3) == 0));
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end)
			ks_buf_addc(b, ' ');
	}
}

/* Whether the lines of a file are worth listing (not whole scripts). */
static bool
list_lines(const struct ks_persist_entry *e)
{
	switch (e->kind) {
	case KS_PK_CRON:
	case KS_PK_INETD:
	case KS_PK_UNIT:
	case KS_PK_PRELOAD:
	case KS_PK_SSH_KEY:
		return true;
	case KS_PK_RC:
		return strstr(e->path, "init.d/") == NULL;
	default:
		return false;
	}
}

static int
show_entry(void *ctx, const struct ks_persist_entry *e)
{
	struct pshow *s = ctx;
	struct ks_buf *b = s->b;

	if (e->line == 0) {
		s->lines = list_lines(e);
		esc(b, e->path, 1024);
		ks_buf_addf(b, "  [%s] mode %04o uid %u modified ",
		    ks_persist_kind_name(e->kind),
		    (unsigned)(e->st->st_mode & 07777), (unsigned)e->st->st_uid);
		ks_host_time(s->h, b, (int64_t)e->st->st_mtim.tv_sec * 1000000);
		ks_buf_addc(b, '\n');
		return 0;
	}
	if (!s->lines)
		return 0;
	ks_buf_addf(b, "  %5llu  ", (unsigned long long)e->line);
	if (e->user != NULL)
		col(b, e->user, 8);
	if (e->what != NULL)
		col(b, e->what, 14);
	if (e->kind == KS_PK_SSH_KEY)
		key_text(b, e->command);
	else
		ks_escape_text(b, e->command.p, e->command.n > COMMAND_MAX ?
		    COMMAND_MAX : e->command.n);
	ks_buf_addc(b, '\n');
	return 0;
}

int
ks_host_show(struct ks_host *h, enum ks_host_view v, struct ks_buf *out,
    struct ks_err *err)
{
	struct pshow s = { .h = h, .b = out };

	switch (v) {
	case KS_VIEW_LOGINS:
		show_logins(h, out);
		break;
	case KS_VIEW_PROCESSES:
		show_processes(h, out);
		break;
	case KS_VIEW_ACCOUNTS:
		show_accounts(h, out);
		break;
	case KS_VIEW_PERSISTENCE:
		ks_persist_walk(h, show_entry, &s);
		break;
	case KS_VIEW_SOCKETS:
		return ks_host_show_sockets(h, out, err);
	default:
		return ks_err_set(err, "no such view");
	}
	if (h->oom || ks_buf_failed(out))
		return ks_err_set(err, "out of memory");
	return 0;
}
