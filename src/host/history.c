/*
 * history.c - check 7: what the shell histories of every account say.
 *
 * Seed 002 reads root's history for work nobody remembers.  Intruders'
 * histories have a pattern: fetch a tool and run it (curl | sh, wget then
 * chmod +x), build it in /tmp, make a shell setuid, open a shell back to
 * their host, and finally cover the tracks (unset HISTFILE, HISTFILE=
 * /dev/null, history -c).  A careful intruder leaves no history at all:
 * a history file that is a symlink (to /dev/null, usually) or not a
 * regular file, or that was emptied, is reported too.
 *
 * bash, sh, ash and ksh histories are one command a line, bash's with
 * "#1700000000" stamp lines when HISTTIMEFORMAT is set; zsh's extended
 * form is ": 1700000000:0;command".  `cd` is followed from the home
 * directory on, so that "cd /tmp" then "gcc x.c" counts as compiling in
 * /tmp.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

static const struct ks_rule_info r_fetch = {
	.id = "history-fetch-exec",
	.title = N_("A shell history downloads code and runs it"),
	.severity = "high", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Fetch the URL's content from a safe place to see what "
	    "ran, find the files it left and the time it ran."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_revshell = {
	.id = "history-reverse-shell",
	.title = N_("A shell history opens a shell to a remote host"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("Someone handed a shell on this host to the address in "
	    "the command; treat the account as compromised."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_setuid = {
	.id = "history-setuid",
	.title = N_("A shell history makes a file setuid"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "unknown",
	.advice = N_("A setuid copy of a shell is a root backdoor; find the "
	    "file (kansatsu host lists SUID files outside the packages)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_cleared = {
	.id = "history-cleared",
	.title = N_("A shell history turns history off or clears it"),
	.severity = "high", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Covering tracks: what ran before or after this line was "
	    "not recorded. Look at the logins and process accounting of that "
	    "time."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_compile = {
	.id = "history-compile-tmp",
	.title = N_("A shell history compiles in a temporary directory"),
	.severity = "medium", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Exploits and rootkits are built where they are "
	    "dropped; look for what was built and whether it is still there."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_tmp = {
	.id = "history-tmp-exec",
	.title = N_("A shell history runs a program from a temporary "
	    "directory"),
	.severity = "medium", .taxonomy = "malicious-code", .type = "malware",
	.advice = N_("Check what the program was and whether it still runs."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_redirected = {
	.id = "history-redirected",
	.title = N_("A shell history is a symlink or not a regular file"),
	.severity = "high", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Linking the history to /dev/null keeps a shell from "
	    "recording anything; someone wanted no trace of this account's "
	    "work."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_emptied = {
	.id = "history-emptied",
	.title = N_("A shell history was emptied"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("The shell writes its history on exit; an empty file "
	    "was truncated. Compare with a backup and the logins of that "
	    "time."),
	.path = KS_HOST_RULE_PATH,
};

static const struct {
	unsigned bit;
	const struct ks_rule_info *rule;
} by_bit[] = {
	{ KS_CMD_FETCH_EXEC, &r_fetch },
	{ KS_CMD_REVSHELL, &r_revshell },
	{ KS_CMD_SETUID, &r_setuid },
	{ KS_CMD_HIST_OFF, &r_cleared },
	{ KS_CMD_COMPILE_TMP, &r_compile },
	{ KS_CMD_TMP_EXEC, &r_tmp },
};

#define NBITS (sizeof(by_bit) / sizeof(*by_bit))

static bool
digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ks_isdigit(p[i]))
			return false;
	return n > 0;
}

/* The decimal number of the n digits at p (not terminated: no strtoll). */
static int64_t
number(const char *p, size_t n)
{
	int64_t v = 0;

	for (size_t i = 0; i < n && i < 18; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

bool
ks_hist_parse(const char *p, size_t n, int64_t *stamp_us,
    struct ks_hist_line *out)
{
	const char *semi;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (n >= 10 && n <= 12 && p[0] == '#' && digits(p + 1, n - 1)) {
		*stamp_us = number(p + 1, n - 1) * 1000000;
		return false;
	}
	out->time_us = *stamp_us;
	if (n > 3 && p[0] == ':' && p[1] == ' ' &&
	    (semi = memchr(p, ';', n)) != NULL) {
		const char *colon = memchr(p + 2, ':', (size_t)(semi - p - 2));

		if (colon != NULL && digits(p + 2, (size_t)(colon - p - 2)) &&
		    colon - p - 2 <= 11) {
			out->time_us = number(p + 2, (size_t)(colon - p - 2)) *
			    1000000;
			out->cmd = ks_str_make(semi + 1,
			    (size_t)(p + n - semi - 1));
			return true;
		}
	}
	out->cmd = ks_str_make(p, n);
	return true;
}

struct hfile {
	struct ks_host *h;
	const char *path;
	const char *user;
	struct ks_finding *fd[NBITS];
	int64_t mtime_us;
};

static void
judge(struct hfile *hf, const struct ks_hist_line *l, uint64_t no,
    unsigned m)
{
	for (size_t b = 0; b < NBITS; b++) {
		struct ks_finding **fd = &hf->fd[b];
		int64_t t = l->time_us ? l->time_us : hf->mtime_us;

		if (!(m & by_bit[b].bit))
			continue;
		if (*fd == NULL) {
			*fd = ks_hf_new(hf->h, by_bit[b].rule, t);
			ks_hf_attr(hf->h, *fd, "file.path", hf->path);
			ks_hf_field(hf->h, *fd, KS_F_USER_NAME, hf->user);
		} else if (*fd != NULL) {
			(*fd)->count++;
			ks_hf_seen(hf->h, *fd, t);
		}
		ks_hf_ev(hf->h, *fd, hf->path, no, l->cmd.p, l->cmd.n);
	}
}

static void
read_history(struct ks_host *h, const char *path, const struct ks_pwent *pw,
    const struct ks_hfile *f)
{
	struct hfile hf = { .h = h, .path = path, .user = pw->name,
	    .mtime_us = (int64_t)f->st.st_mtim.tv_sec * 1000000 };
	char cwd[4096], next[4096];
	const char *dir = pw->home, *p = f->p, *end = f->p + f->n, *nl;
	int64_t stamp = 0;
	uint64_t no = 0;
	struct ks_hist_line l;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		no++;
		if (!ks_hist_parse(p, (size_t)(nl - p), &stamp, &l) ||
		    l.cmd.n == 0)
			continue;
		judge(&hf, &l, no, ks_cmd_classify(l.cmd.p, l.cmd.n, dir));
		dir = ks_cmd_cd(l.cmd.p, l.cmd.n, dir, next, sizeof(next));
		if (dir == next) {
			memcpy(cwd, next, sizeof(cwd));
			dir = cwd;
		}
	}
	for (size_t b = 0; b < NBITS; b++)
		ks_hf_add(h, hf.fd[b]);
}

static void
file_finding(struct ks_host *h, const struct ks_rule_info *r,
    const char *path, const struct ks_pwent *pw, const struct stat *st,
    const char *text)
{
	struct ks_finding *fd = ks_hf_new(h, r,
	    (int64_t)st->st_mtim.tv_sec * 1000000);

	ks_hf_attr(h, fd, "file.path", path);
	ks_hf_field(h, fd, KS_F_USER_NAME, pw->name);
	ks_hf_ev(h, fd, path, 0, text, strlen(text));
	ks_hf_add(h, fd);
}

static void
one_history(struct ks_host *h, const char *path, const struct ks_pwent *pw)
{
	struct stat st;
	struct ks_hfile f;
	char target[1024], text[1200];

	if (ks_hfs_lstat(h, path, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			ks_host_note(h, _("%s: cannot read: %s"), path,
			    strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if (ks_hfs_readlink(h, path, target, sizeof(target)) < 0)
			snprintf(target, sizeof(target), "?");
		snprintf(text, sizeof(text), "symlink to %s", target);
		file_finding(h, &r_redirected, path, pw, &st, text);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(text, sizeof(text), "not a regular file (mode %06o)",
		    (unsigned)st.st_mode);
		file_finding(h, &r_redirected, path, pw, &st, text);
		return;
	}
	if (st.st_size == 0) {
		if (ks_shell_is_login(pw->shell))
			file_finding(h, &r_emptied, path, pw, &st, "empty file");
		return;
	}
	if (ks_hfs_read(h, path, KS_HFILE_MAX, &f) != 0)
		return;
	read_history(h, path, pw, &f);
	ks_hfile_free(&f);
}

void
ks_check_history(struct ks_host *h)
{
	static const char *const names[] = { ".bash_history", ".zsh_history",
	    ".zhistory", ".sh_history", ".ash_history", ".history",
	    ".ksh_history" };
	struct ks_accounts *a = ks_host_accounts(h);
	char path[4096];

	for (size_t i = 0; a != NULL && i < a->npw && !h->oom; i++) {
		const struct ks_pwent *pw = &a->pw[i];
		bool dup = false;

		if (pw->home[0] != '/' || strcmp(pw->home, "/") == 0)
			continue;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(a->pw[j].home, pw->home) == 0;
		if (dup || !ks_hfs_home_ok(h, pw->home, "history"))
			continue;
		for (size_t k = 0; k < sizeof(names) / sizeof(*names) && !dup;
		    k++)
			if (ks_path_join(path, sizeof(path), pw->home, names[k]))
				one_history(h, path, pw);
	}
}
