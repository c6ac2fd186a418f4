/*
 * persist.c - check 5: what starts by itself, and how an intruder makes
 * sure he gets back in.
 *
 * Seed 002 reads /etc/inetd.conf, /etc/rc.d/rc*, /etc/crontab,
 * /etc/cron.d, /etc/xinetd.d for "entries never seen before" and "odd
 * time stamps".  Today's equivalents are added: systemd units (system
 * and per user), /etc/ld.so.preload (how user-space rootkits load into
 * every process), authorized_keys, and the shell profiles that run at
 * every login.  One walk (ks_persist_walk) yields every file and every
 * entry in it, for the checks here and for `--show persistence`.
 *
 * Each entry's command goes through the shell-command classifier
 * (cmdline.c): fetch-and-execute, a program run from /tmp, a reverse
 * shell.  An inetd service that runs a shell is the classic backdoor
 * ("ingreslock stream tcp nowait root /bin/sh sh -i").  Per file: files
 * in directories that packages fill (cron.d, init.d, systemd units) that
 * no package installed, and files changed within --since that the
 * package database does not explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define HOMES_MAX 10000

static const struct ks_rule_info r_fetch = {
	.id = "persist-fetch-exec",
	.title = N_("Something that starts by itself downloads code and runs "
	    "it"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Fetch-and-execute in a cron job, unit or profile is how "
	    "miners and bots come back after being killed. Save the entry, "
	    "the URL and the file, then remove it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_tmp = {
	.id = "persist-tmp-exec",
	.title = N_("Something that starts by itself runs a program from a "
	    "temporary directory"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Nothing installed lives in /tmp, /var/tmp or /dev/shm. "
	    "Save the program it names, find out who added the entry, and "
	    "remove it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_revshell = {
	.id = "persist-reverse-shell",
	.title = N_("Something that starts by itself opens a shell to a "
	    "remote host"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("A reverse shell started by cron, a unit or a profile is "
	    "an intruder's way back in. Note the address, take the host off "
	    "the network and rebuild it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_inetd_shell = {
	.id = "persist-inetd-shell",
	.title = N_("An inetd service runs a shell"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("A shell on a network port is a backdoor (the classic "
	    "ingreslock line). Remove it, see who connected to the port, and "
	    "treat the host as intruded."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_preload = {
	.id = "persist-ld-preload",
	.title = N_("A library is preloaded into every program"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("User-space rootkits (Jynx, Azazel) load through "
	    "/etc/ld.so.preload or LD_PRELOAD to hide files and processes. "
	    "Identify the library; if you did not put it there, rebuild."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_key_system = {
	.id = "persist-ssh-key-system",
	.title = N_("A system account accepts SSH keys"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "likely-success",
	.advice = N_("Service accounts (www-data, daemon) do not log in; a key "
	    "there is an intruder's door. Save and remove it, then look for "
	    "logins by that account."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_key_recent = {
	.id = "persist-ssh-key-recent",
	.title = N_("SSH keys allowed to log in changed recently"),
	.severity = "medium", .taxonomy = "intrusions",
	.type = "unprivileged-account-compromise", .outcome = "unknown",
	.advice = N_("An added key is the quietest way back in. Ask the "
	    "account's owner about every key in the file."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_recent = {
	.id = "persist-changed-recently",
	.title = N_("A file that starts programs changed recently"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("No package update explains the change: confirm it with "
	    "whoever administers the host (seed 002: odd time stamps on rc "
	    "scripts and crontabs)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_unpackaged = {
	.id = "persist-unpackaged",
	.title = N_("A file that starts programs belongs to no package"),
	.severity = "low", .taxonomy = "other", .type = "other",
	.advice = N_("Local jobs and units show here too; each should be one "
	    "you can name."),
	.path = KS_HOST_RULE_PATH,
};

static const char *const kind_names[KS_PK_COUNT] = {
	[KS_PK_CRON] = "cron", [KS_PK_CRON_SCRIPT] = "cron-script",
	[KS_PK_INETD] = "inetd", [KS_PK_UNIT] = "systemd",
	[KS_PK_RC] = "rc", [KS_PK_PROFILE] = "profile",
	[KS_PK_PRELOAD] = "preload", [KS_PK_SSH_KEY] = "ssh-key",
};

const char *
ks_persist_kind_name(enum ks_persist_kind k)
{
	return (unsigned)k < KS_PK_COUNT ? kind_names[k] : "?";
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
	struct ks_host *h;
	int (*fn)(void *, const struct ks_persist_entry *);
	void *ctx;
	int rc;
	uint64_t bad_cron;
	const char *first_bad;
	dev_t unit_dev[16];
	ino_t unit_ino[16];
	size_t nunit;
};

/* One file being read: its entry template and the line at hand. */
struct file {
	struct ks_persist_entry e;
	struct ks_hfile f;
	char path[4096];
	const char *user;
};

typedef void line_fn(struct walk *w, struct file *fl, char *line, size_t n);

static void
emit(struct walk *w, const struct ks_persist_entry *e)
{
	if (w->rc == 0 && w->fn(w->ctx, e) < 0)
		w->rc = -1;
}

static void
entry(struct walk *w, struct file *fl, const char *user, const char *what,
    const char *cmd, size_t n)
{
	struct ks_persist_entry e = fl->e;

	e.user = user;
	e.what = what;
	e.command = ks_str_make(cmd, n);
	emit(w, &e);
}

static bool
blank_or_comment(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' || *p == '#' || *p == '\r';
}

/* Reads path, emits the file, then hands each line to fn. */
static void
each_line(struct walk *w, const char *path, enum ks_persist_kind k,
    const char *user, unsigned flags, line_fn *fn)
{
	struct file *fl = calloc(1, sizeof(*fl));
	char *p, *nl, *end;

	if (fl == NULL) {
		w->h->oom = true;
		return;
	}
	snprintf(fl->path, sizeof(fl->path), "%s", path);
	if (ks_hfs_read(w->h, path, KS_HFILE_MAX, &fl->f) != 0) {
		free(fl);
		return;
	}
	fl->user = user;
	fl->e = (struct ks_persist_entry){ .kind = k, .path = fl->path,
	    .st = &fl->f.st, .user = user, .dropin = flags & 1,
	    .user_file = flags & 2 };
	emit(w, &fl->e);
	end = fl->f.p + fl->f.n;
	for (p = fl->f.p; p < end && w->rc == 0; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		fl->e.line++;
		fn(w, fl, p, (size_t)(nl - p));
	}
	ks_hfile_free(&fl->f);
	free(fl);
}

#define DROPIN 1u
#define USERFILE 2u

static bool
skipped_name(const char *name)
{
	static const char *const suffixes[] = { ".dpkg-old", ".dpkg-dist",
	    ".dpkg-new", ".dpkg-tmp", ".ucf-old", ".ucf-dist", ".rpmsave",
	    ".rpmnew", "~" };
	size_t n = strlen(name);

	if (name[0] == '.' && strcmp(name, ".placeholder") == 0)
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		size_t m = strlen(suffixes[i]);

		if (n > m && strcmp(name + n - m, suffixes[i]) == 0)
			return true;
	}
	return false;
}

/* Every regular file of dir (symlinks too when follow). */
static void
each_file(struct walk *w, const char *dir, enum ks_persist_kind k,
    bool user_from_name, unsigned flags, bool follow, line_fn *fn)
{
	struct ks_hdir d;
	char path[4096];
	struct stat st;

	if (ks_hfs_list(w->h, dir, &d) != 0)
		return;
	for (size_t i = 0; i < d.n && w->rc == 0; i++) {
		if (skipped_name(d.names[i]) ||
		    !ks_path_join(path, sizeof(path), dir, d.names[i]) ||
		    (follow ? ks_hfs_stat(w->h, path, &st) :
		    ks_hfs_lstat(w->h, path, &st)) < 0 || !S_ISREG(st.st_mode))
			continue;
		each_line(w, path, k, user_from_name ? d.names[i] : NULL, flags,
		    fn);
	}
	ks_hdir_free(&d);
}

/* ---- line readers ------------------------------------------------------ */

static void
cron_line(struct walk *w, struct file *fl, char *line, size_t n, bool system)
{
	struct ks_cron_entry ce;
	char user[64], sched[128];

	switch (ks_cron_parse(line, n, system, &ce)) {
	case KS_CRON_ENTRY:
		snprintf(user, sizeof(user), "%.*s", (int)ce.user.n, ce.user.p);
		snprintf(sched, sizeof(sched), "%.*s", (int)ce.schedule.n,
		    ce.schedule.p);
		entry(w, fl, system ? user : fl->user, sched, ce.command.p,
		    ce.command.n);
		break;
	case KS_CRON_BAD:
		w->bad_cron++;
		break;
	default:
		break;
	}
}

static void
cron_system(struct walk *w, struct file *fl, char *line, size_t n)
{
	cron_line(w, fl, line, n, true);
}

static void
cron_user(struct walk *w, struct file *fl, char *line, size_t n)
{
	cron_line(w, fl, line, n, false);
}

static void
plain_line(struct walk *w, struct file *fl, char *line, size_t n)
{
	if (!blank_or_comment(line))
		entry(w, fl, fl->user, NULL, line, n);
}

/* inetd.conf: service socktype proto wait user server [args] */
static void
inetd_line(struct walk *w, struct file *fl, char *line, size_t n)
{
	char *f[6], *p = line, *save = NULL;
	size_t i;

	(void)n;
	if (blank_or_comment(line))
		return;
	for (i = 0; i < 5 && (f[i] = strtok_r(p, " \t", &save)) != NULL; i++)
		p = NULL;
	if (i < 5 || save == NULL)
		return;
	while (*save == ' ' || *save == '\t')
		save++;
	if (*save != '\0')
		entry(w, fl, f[4], f[0], save, strlen(save));
}

/* xinetd: "server" and "server_args" of each enabled service block. */
struct xstate {
	char service[64], user[64], server[1024], args[1024];
	bool disabled;
	uint64_t line;
};

/* "key = value" into out; false when the line sets another key. */
static bool
xinetd_value(const char *line, const char *key, char *out, size_t size)
{
	size_t k = strlen(key);
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, key, k) != 0)
		return false;
	for (p += k; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '=')
		return false;
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	snprintf(out, size, "%s", p);
	return true;
}

static void
xinetd_line(struct walk *w, struct file *fl, struct xstate *x, char *p)
{
	char dis[16], cmd[2048];

	if (sscanf(p, " service %63s", x->service) == 1) {
		x->disabled = false;
		x->server[0] = x->args[0] = x->user[0] = '\0';
	}
	if (xinetd_value(p, "server", x->server, sizeof(x->server)))
		x->line = fl->e.line;
	xinetd_value(p, "server_args", x->args, sizeof(x->args));
	xinetd_value(p, "user", x->user, sizeof(x->user));
	if (xinetd_value(p, "disable", dis, sizeof(dis)) &&
	    strncmp(dis, "yes", 3) == 0)
		x->disabled = true;
	if (strchr(p, '}') == NULL || x->server[0] == '\0' || x->disabled)
		return;
	snprintf(cmd, sizeof(cmd), "%s %s", x->server, x->args);
	fl->e.line = x->line;
	entry(w, fl, x->user[0] ? x->user : NULL, x->service, cmd, strlen(cmd));
	x->server[0] = '\0';
}

static void
xinetd_file(struct walk *w, const char *path)
{
	struct ks_hfile f;
	struct xstate x;
	struct file fl;
	uint64_t no = 0;
	char *p, *nl;

	if (ks_hfs_read(w->h, path, KS_HFILE_MAX, &f) != 0)
		return;
	memset(&x, 0, sizeof(x));
	memset(&fl, 0, sizeof(fl));
	snprintf(fl.path, sizeof(fl.path), "%s", path);
	fl.e = (struct ks_persist_entry){ .kind = KS_PK_INETD, .path = fl.path,
	    .st = &f.st, .dropin = strncmp(path, "/etc/xinetd.d/", 14) == 0 };
	emit(w, &fl.e);
	for (p = f.p; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		fl.e.line = ++no;
		xinetd_line(w, &fl, &x, p);
	}
	ks_hfile_free(&f);
}

/* systemd: Exec* lines, run as the unit's User= (root by default). */
static void
unit_file(struct walk *w, const char *path, const char *user, unsigned flags)
{
	static const char *const keys[] = { "ExecStart", "ExecStartPre",
	    "ExecStartPost", "ExecStop", "ExecStopPost", "ExecReload",
	    "ExecCondition" };
	struct ks_hfile f;
	struct file fl;
	char run_as[64] = "", *p, *nl;

	if (ks_hfs_read(w->h, path, KS_HFILE_MAX, &f) != 0)
		return;
	memset(&fl, 0, sizeof(fl));
	snprintf(fl.path, sizeof(fl.path), "%s", path);
	fl.e = (struct ks_persist_entry){ .kind = KS_PK_UNIT, .path = fl.path,
	    .st = &f.st, .user = user, .dropin = flags & DROPIN,
	    .user_file = flags & USERFILE };
	emit(w, &fl.e);
	if ((p = strstr(f.p, "\nUser=")) != NULL)
		snprintf(run_as, sizeof(run_as), "%.*s",
		    (int)strcspn(p + 6, " \t\r\n"), p + 6);
	for (p = f.p; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		char *eq;

		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		fl.e.line++;
		if ((eq = strchr(p, '=')) == NULL)
			continue;
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			if ((size_t)(eq - p) != strlen(keys[i]) ||
			    strncmp(p, keys[i], strlen(keys[i])) != 0)
				continue;
			for (eq++; *eq == '-' || *eq == '@' || *eq == ':' ||
			    *eq == '+' || *eq == '!'; eq++)
				;
			entry(w, &fl, user ? user : run_as[0] ? run_as : "root",
			    keys[i], eq, strlen(eq));
		}
	}
	ks_hfile_free(&f);
}

static bool
unit_name(const char *name)
{
	static const char *const suffixes[] = { ".service", ".socket",
	    ".timer", ".path", ".conf" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		size_t m = strlen(suffixes[i]);

		if (n > m && strcmp(name + n - m, suffixes[i]) == 0)
			return true;
	}
	return false;
}

/* A directory of units seen already (/lib is /usr/lib on merged /usr). */
static bool
seen_unit_dir(struct walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nunit; i++)
		if (w->unit_dev[i] == st->st_dev && w->unit_ino[i] == st->st_ino)
			return true;
	if (w->nunit < 16) {
		w->unit_dev[w->nunit] = st->st_dev;
		w->unit_ino[w->nunit++] = st->st_ino;
	}
	return false;
}

/* Units of dir and of its drop-in directories (NAME.d, their .conf). */
static void
unit_dir(struct walk *w, const char *dir, const char *user, unsigned flags,
    int depth)
{
	struct ks_hdir d;
	char path[4096];
	struct stat st;
	size_t n;

	if (depth == 0 && (ks_hfs_stat(w->h, dir, &st) < 0 ||
	    seen_unit_dir(w, &st)))
		return;
	if (ks_hfs_list(w->h, dir, &d) != 0)
		return;
	for (size_t i = 0; i < d.n && w->rc == 0; i++) {
		if (!ks_path_join(path, sizeof(path), dir, d.names[i]) ||
		    ks_hfs_lstat(w->h, path, &st) < 0)
			continue;
		n = strlen(d.names[i]);
		if (S_ISREG(st.st_mode) && unit_name(d.names[i]))
			unit_file(w, path, user, flags);
		else if (S_ISDIR(st.st_mode) && depth == 0 && n > 2 &&
		    strcmp(d.names[i] + n - 2, ".d") == 0)
			unit_dir(w, path, user, flags, 1);
	}
	ks_hdir_free(&d);
}

static void
key_line(struct walk *w, struct file *fl, char *line, size_t n)
{
	plain_line(w, fl, line, n);
}

/* ---- what is walked ---------------------------------------------------- */

static void
xinetd_dir(struct walk *w)
{
	struct ks_hdir d;
	char path[4096];

	if (ks_hfs_list(w->h, "/etc/xinetd.d", &d) != 0)
		return;
	for (size_t i = 0; i < d.n && w->rc == 0; i++)
		if (!skipped_name(d.names[i]) && ks_path_join(path, sizeof(path),
		    "/etc/xinetd.d", d.names[i]))
			xinetd_file(w, path);
	ks_hdir_free(&d);
}

static void
system_files(struct walk *w)
{
	static const char *const cron_dirs[] = { "/etc/cron.hourly",
	    "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly" };
	static const char *const rc_files[] = { "/etc/rc.local",
	    "/etc/rc.d/rc.local", "/etc/rc.d/rc", "/etc/rc.d/rc.boot",
	    "/etc/rc.d/rc.sysinit" };
	static const char *const profiles[] = { "/etc/profile",
	    "/etc/bash.bashrc", "/etc/bashrc", "/etc/environment",
	    "/etc/zsh/zshrc", "/etc/zsh/zprofile", "/etc/zshrc",
	    "/etc/csh.cshrc", "/etc/csh.login" };
	static const char *const unit_dirs[] = { "/etc/systemd/system",
	    "/run/systemd/system", "/lib/systemd/system",
	    "/usr/lib/systemd/system", "/etc/systemd/user",
	    "/usr/lib/systemd/user", "/lib/systemd/user" };
	size_t i;

	each_line(w, "/etc/crontab", KS_PK_CRON, NULL, 0, cron_system);
	each_file(w, "/etc/cron.d", KS_PK_CRON, false, DROPIN, true, cron_system);
	each_file(w, "/var/spool/cron/crontabs", KS_PK_CRON, true, USERFILE,
	    false, cron_user);
	each_file(w, "/var/spool/cron", KS_PK_CRON, true, USERFILE, false,
	    cron_user);
	for (i = 0; i < sizeof(cron_dirs) / sizeof(*cron_dirs); i++)
		each_file(w, cron_dirs[i], KS_PK_CRON_SCRIPT, false, DROPIN, true,
		    plain_line);
	each_line(w, "/etc/inetd.conf", KS_PK_INETD, NULL, 0, inetd_line);
	xinetd_file(w, "/etc/xinetd.conf");
	xinetd_dir(w);
	for (i = 0; i < sizeof(unit_dirs) / sizeof(*unit_dirs); i++)
		unit_dir(w, unit_dirs[i], NULL, DROPIN, 0);
	for (i = 0; i < sizeof(rc_files) / sizeof(*rc_files); i++)
		each_line(w, rc_files[i], KS_PK_RC, "root", 0, plain_line);
	each_file(w, "/etc/init.d", KS_PK_RC, false, DROPIN, true, plain_line);
	each_file(w, "/etc/rc.d/init.d", KS_PK_RC, false, DROPIN, true,
	    plain_line);
	each_line(w, "/etc/ld.so.preload", KS_PK_PRELOAD, NULL, 0, plain_line);
	for (i = 0; i < sizeof(profiles) / sizeof(*profiles); i++)
		each_line(w, profiles[i], KS_PK_PROFILE, NULL, 0, plain_line);
	each_file(w, "/etc/profile.d", KS_PK_PROFILE, false, DROPIN, true,
	    plain_line);
}

/* Whether home was handled already (accounts share /, /nonexistent). */
static bool
home_seen(const struct ks_accounts *a, size_t i)
{
	const char *home = a->pw[i].home;

	if (home[0] != '/' || strcmp(home, "/") == 0 ||
	    strcmp(home, "/nonexistent") == 0)
		return true;
	for (size_t j = 0; j < i; j++)
		if (strcmp(a->pw[j].home, home) == 0)
			return true;
	return false;
}

static void
home_files(struct walk *w, const struct ks_pwent *pw)
{
	static const char *const profiles[] = { ".bashrc", ".profile",
	    ".bash_profile", ".bash_login", ".bash_logout", ".zshrc",
	    ".zprofile", ".zshenv", ".cshrc", ".login", ".kshrc" };
	static const char *const keys[] = { ".ssh/authorized_keys",
	    ".ssh/authorized_keys2" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(*profiles); i++)
		if (ks_path_join(path, sizeof(path), pw->home, profiles[i]))
			each_line(w, path, KS_PK_PROFILE, pw->name, USERFILE,
			    plain_line);
	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (ks_path_join(path, sizeof(path), pw->home, keys[i]))
			each_line(w, path, KS_PK_SSH_KEY, pw->name, USERFILE,
			    key_line);
	if (ks_path_join(path, sizeof(path), pw->home, ".config/systemd/user"))
		unit_dir(w, path, pw->name, USERFILE, 0);
}

int
ks_persist_walk(struct ks_host *h,
    int (*fn)(void *ctx, const struct ks_persist_entry *e), void *ctx)
{
	struct walk w = { .h = h, .fn = fn, .ctx = ctx };
	struct ks_accounts *a = ks_host_accounts(h);

	system_files(&w);
	for (size_t i = 0; a != NULL && i < a->npw && i < HOMES_MAX &&
	    w.rc == 0; i++)
		if (!home_seen(a, i) && ks_hfs_home_ok(h, a->pw[i].home,
		    "persistence"))
			home_files(&w, &a->pw[i]);
	if (w.bad_cron > 0)
		ks_host_note(h, _("persistence: %llu crontab lines that cron "
		    "would reject"), (unsigned long long)w.bad_cron);
	return w.rc;
}

/* ---- the check --------------------------------------------------------- */

struct pcheck {
	struct ks_host *h;
	const struct ks_pkgdb *db;
	const struct ks_accounts *acc;
	struct ks_hgroups g;
	/* the file whose entries are coming */
	char path[4096];
	struct stat st;
	enum ks_persist_kind kind;
	bool dropin, user_file, flagged, open;
};

static int64_t
us(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000 + ts->tv_nsec / 1000;
}

static bool
is_shell(const char *cmd, size_t n)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ksh",
	    "csh", "tcsh", "zsh", "ash", "mksh" };
	size_t w = 0, b;

	while (w < n && cmd[w] != ' ' && cmd[w] != '\t')
		w++;
	for (b = w; b > 0 && cmd[b - 1] != '/'; b--)
		;
	for (size_t i = 0; i < sizeof(shells) / sizeof(*shells); i++)
		if (w - b == strlen(shells[i]) &&
		    memcmp(cmd + b, shells[i], w - b) == 0)
			return true;
	return false;
}

/* The finding of rule r for the file at hand, made on first use. */
static struct ks_finding *
file_finding(struct pcheck *c, const struct ks_rule_info *r, const char *user)
{
	struct ks_buf key;
	struct ks_finding *fd;
	size_t before = c->g.n;

	ks_buf_init(&key);
	ks_buf_adds(&key, r->id);
	ks_buf_addc(&key, '\0');
	ks_buf_adds(&key, c->path);
	if (ks_buf_failed(&key)) {
		c->h->oom = true;
		ks_buf_free(&key);
		return NULL;
	}
	fd = ks_hgroups_get(c->h, &c->g, key.p, key.len, r,
	    us(&c->st.st_mtim));
	ks_buf_free(&key);
	if (before != c->g.n) {
		ks_hf_attr(c->h, fd, "file.path", c->path);
		if (user != NULL && user[0] != '\0')
			ks_hf_field(c->h, fd, KS_F_USER_NAME, user);
	}
	c->flagged = true;
	return fd;
}

static void
entry_ev(struct pcheck *c, const struct ks_rule_info *r,
    const struct ks_persist_entry *e)
{
	struct ks_finding *fd = file_finding(c, r, e->user);

	if (e->what != NULL && e->kind == KS_PK_CRON)
		ks_hf_evf(c->h, fd, e->path, e->line, "%s %s %.*s", e->what,
		    e->user ? e->user : "", (int)e->command.n, e->command.p);
	else
		ks_hf_ev(c->h, fd, e->path, e->line, e->command.p, e->command.n);
}

static void
file_done(struct pcheck *c)
{
	struct ks_finding *fd;
	const struct ks_rule_info *r = NULL;
	int64_t when;

	if (!c->open)
		return;
	c->open = false;
	if (c->kind != KS_PK_SSH_KEY && (!c->user_file ||
	    c->kind == KS_PK_CRON) && ks_host_changed(c->h, c->db, c->path,
	    &c->st, true, &when))
		r = &r_recent;
	else if (c->dropin && !c->flagged && c->db != NULL &&
	    !ks_pkgdb_has(c->db, c->path, NULL))
		r = &r_unpackaged;
	if (r == NULL)
		return;
	fd = ks_hf_new(c->h, r, r == &r_recent ? when : us(&c->st.st_mtim));
	ks_hf_attr(c->h, fd, "file.path", c->path);
	ks_hf_evf(c->h, fd, c->path, 0, "%s file, mode %04o, uid %u, %llu "
	    "bytes", ks_persist_kind_name(c->kind),
	    (unsigned)(c->st.st_mode & 07777), (unsigned)c->st.st_uid,
	    (unsigned long long)c->st.st_size);
	ks_hf_add(c->h, fd);
}

static void
file_start(struct pcheck *c, const struct ks_persist_entry *e)
{
	file_done(c);
	snprintf(c->path, sizeof(c->path), "%s", e->path);
	c->st = *e->st;
	c->kind = e->kind;
	c->dropin = e->dropin;
	c->user_file = e->user_file;
	c->flagged = false;
	c->open = true;
}

static void
ssh_key(struct pcheck *c, const struct ks_persist_entry *e)
{
	const struct ks_pwent *pw = c->acc && e->user ?
	    ks_accounts_by_name(c->acc, e->user) : NULL;
	int64_t when;

	if (pw != NULL && ks_uid_is_system(c->acc, pw->uid))
		entry_ev(c, &r_key_system, e);
	if (ks_host_changed(c->h, NULL, c->path, &c->st, false, &when))
		entry_ev(c, &r_key_recent, e);
}

static int
on_entry(void *ctx, const struct ks_persist_entry *e)
{
	struct pcheck *c = ctx;
	unsigned m;

	if (e->line == 0) {
		file_start(c, e);
		return c->h->oom ? -1 : 0;
	}
	if (e->kind == KS_PK_PRELOAD || (e->kind == KS_PK_PROFILE &&
	    memmem(e->command.p, e->command.n, "LD_PRELOAD=", 11) != NULL))
		entry_ev(c, &r_preload, e);
	if (e->kind == KS_PK_SSH_KEY)
		ssh_key(c, e);
	if (e->kind == KS_PK_INETD && is_shell(e->command.p, e->command.n))
		entry_ev(c, &r_inetd_shell, e);
	m = ks_cmd_classify(e->command.p, e->command.n, NULL);
	if (m & KS_CMD_REVSHELL)
		entry_ev(c, &r_revshell, e);
	if (m & KS_CMD_FETCH_EXEC)
		entry_ev(c, &r_fetch, e);
	if (m & KS_CMD_TMP_EXEC)
		entry_ev(c, &r_tmp, e);
	return c->h->oom ? -1 : 0;
}

void
ks_check_persistence(struct ks_host *h)
{
	struct pcheck c;

	memset(&c, 0, sizeof(c));
	c.h = h;
	c.db = ks_host_pkgdb(h);
	c.acc = ks_host_accounts(h);
	if (ks_hgroups_init(h, &c.g, 4096) < 0)
		return;
	ks_persist_walk(h, on_entry, &c);
	file_done(&c);
	if (c.g.overflow > 0)
		ks_host_note(h, _("persistence: more than 4096 files with "
		    "findings; %llu entries were not reported"),
		    (unsigned long long)c.g.overflow);
	ks_hgroups_flush(h, &c.g);
	ks_hgroups_free(&c.g);
}
