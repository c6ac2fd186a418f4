/*
 * accounts.c - check 4: /etc/passwd, /etc/shadow and /etc/group as an
 * intruder leaves them.
 *
 * Seed 001's intruder "added a user id" and seed 002 starts the file
 * review with /etc/passwd.  What such edits look like: a second account
 * with uid 0 (a root under another name), an account without password,
 * a system account (daemon, www-data) given a login shell or a password,
 * a name or uid that appears twice (the second wins for some programs),
 * an ordinary user put into the root group, and, against a saved
 * baseline, accounts that are new or changed.  Malformed lines are
 * reported as well: a hand-edited file is evidence in itself.
 *
 * Password hashes never appear in evidence; only whether a password is
 * set, locked or empty.
 */
#include <stdio.h>
#include <string.h>

#include "host/host_int.h"
#include "util/i18n.h"

static const struct ks_rule_info r_uid0 = {
	.id = "account-uid0",
	.title = N_("An account besides root has uid 0"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "likely-success",
	.advice = N_("A second uid-0 account is a root backdoor. Find when it "
	    "was added (file times, logs), lock it, and treat the host as "
	    "intruded."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_empty = {
	.id = "account-empty-password",
	.title = N_("An account has no password"),
	.severity = "high", .taxonomy = "vulnerable", .type = "vulnerable-system",
	.advice = N_("Anyone can log in as this account. Lock it (passwd -l) "
	    "or set a password, and check its logins."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_sys_password = {
	.id = "account-system-password",
	.title = N_("A system account has a login shell and a password"),
	.severity = "medium", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "unknown",
	.advice = N_("Service accounts need neither; an intruder gives them "
	    "both to log in unnoticed. Lock the password and set the shell to "
	    "nologin unless you know why."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_sys_shell = {
	.id = "account-system-shell",
	.title = N_("A system account has a login shell"),
	.severity = "low", .taxonomy = "other", .type = "other",
	.advice = N_("Some packages do this (postgres); others should use "
	    "nologin."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_dup_name = {
	.id = "account-duplicate-name",
	.title = N_("An account name appears twice"),
	.severity = "high", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Programs disagree on which entry counts; an intruder "
	    "adds a second entry to change an account unnoticed."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_dup_uid = {
	.id = "account-duplicate-uid",
	.title = N_("Two accounts share a uid"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Both names own the same files and processes; make sure "
	    "it was meant."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_root_group = {
	.id = "account-root-group",
	.title = N_("An account besides root is in the root group"),
	.severity = "medium", .taxonomy = "intrusions",
	.type = "privileged-account-compromise", .outcome = "unknown",
	.advice = N_("Group root can write files root meant to keep; check "
	    "why this account is in it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_new = {
	.id = "account-new",
	.title = N_("An account that the baseline does not have"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("Seed 001's intruder added a user id. Find who added "
	    "this account and when (auth logs, file times)."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_changed = {
	.id = "account-changed",
	.title = N_("An account differs from the baseline"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("A changed uid, home or shell turns an account into a "
	    "backdoor; confirm the change with whoever made it."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_malformed = {
	.id = "account-file-malformed",
	.title = N_("Lines of an account file that are not well formed"),
	.severity = "low", .taxonomy = "information-content-security",
	.type = "unauthorised-information-modification",
	.advice = N_("The account tools never write such lines: the file was "
	    "edited by hand. Read the lines named."),
	.path = KS_HOST_RULE_PATH,
};

static int64_t
file_time(const struct ks_hfile *f)
{
	return (int64_t)f->st.st_mtim.tv_sec * 1000000;
}

/* The passwd line of e as evidence, the password field summarised. */
static void
pw_ev(struct ks_host *h, struct ks_finding *fd, const struct ks_pwent *e)
{
	const char *pw = e->passwd[0] == '\0' ? "" :
	    strcmp(e->passwd, "x") == 0 ? "x" : "(hash)";

	ks_hf_evf(h, fd, "/etc/passwd", e->line, "%s:%s:%u:%u:%s:%s:%s",
	    e->name, pw, (unsigned)e->uid, (unsigned)e->gid, e->gecos, e->home,
	    e->shell);
}

static struct ks_finding *
account_finding(struct ks_host *h, const struct ks_accounts *a,
    const struct ks_rule_info *r, const struct ks_pwent *e)
{
	struct ks_finding *fd = ks_hf_new(h, r, file_time(&a->passwd));

	ks_hf_field(h, fd, KS_F_USER_NAME, e->name);
	ks_hf_num(h, fd, "user.id", e->uid);
	pw_ev(h, fd, e);
	return fd;
}

/* The password state of an account: what shadow (or passwd) holds. */
static const char *
password_of(const struct ks_accounts *a, const struct ks_pwent *e)
{
	const struct ks_spent *sp;

	if (strcmp(e->passwd, "x") != 0)
		return e->passwd;
	sp = ks_accounts_shadow(a, e->name);
	return sp != NULL ? sp->hash : NULL;
}

static bool
password_usable(const char *pw)
{
	return pw != NULL && pw[0] != '\0' && pw[0] != '!' && pw[0] != '*';
}

static void
one_account(struct ks_host *h, const struct ks_accounts *a, size_t i)
{
	const struct ks_pwent *e = &a->pw[i];
	const char *pw = password_of(a, e);
	struct ks_finding *fd;

	if (e->uid == 0 && strcmp(e->name, "root") != 0)
		ks_hf_add(h, account_finding(h, a, &r_uid0, e));
	if (pw != NULL && pw[0] == '\0') {
		fd = account_finding(h, a, &r_empty, e);
		if (strcmp(e->passwd, "x") == 0)
			ks_hf_evf(h, fd, "/etc/shadow",
			    ks_accounts_shadow(a, e->name)->line,
			    "%s: empty password field", e->name);
		ks_hf_add(h, fd);
	}
	if (ks_uid_is_system(a, e->uid) && ks_shell_is_login(e->shell))
		ks_hf_add(h, account_finding(h, a, password_usable(pw) ?
		    &r_sys_password : &r_sys_shell, e));
	if (e->gid == 0 && e->uid != 0)
		ks_hf_add(h, account_finding(h, a, &r_root_group, e));
}

/* A second entry with a key seen before (in m) is a duplicate. */
static void
dup_key(struct ks_host *h, const struct ks_accounts *a, struct ks_map *m,
    const char *key, size_t i, const struct ks_rule_info *r)
{
	struct ks_finding *fd;
	struct ks_err err;
	size_t first;

	if (ks_map_get(m, key, strlen(key), &first)) {
		fd = account_finding(h, a, r, &a->pw[i]);
		pw_ev(h, fd, &a->pw[first]);
		ks_hf_add(h, fd);
	} else if (ks_map_put(m, key, strlen(key), i, &err) < 0)
		h->oom = true;
}

static void
duplicates(struct ks_host *h, const struct ks_accounts *a)
{
	struct ks_map *names = NULL, *uids = NULL;
	struct ks_err err;
	char uid[16];

	if (ks_map_new(&names, a->npw + 1, &err) < 0 ||
	    ks_map_new(&uids, a->npw + 1, &err) < 0) {
		h->oom = true;
		ks_map_free(names);
		return;
	}
	for (size_t i = 0; i < a->npw; i++) {
		dup_key(h, a, names, a->pw[i].name, i, &r_dup_name);
		snprintf(uid, sizeof(uid), "%u", (unsigned)a->pw[i].uid);
		if (a->pw[i].uid != 0)
			dup_key(h, a, uids, uid, i, &r_dup_uid);
	}
	ks_map_free(names);
	ks_map_free(uids);
}

/* Whether name is a member in a comma-separated list. */
static bool
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p != '\0';) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && memcmp(p, name, n) == 0)
			return true;
		p += len + (c != NULL);
	}
	return false;
}

static void
root_group_members(struct ks_host *h, const struct ks_accounts *a)
{
	for (size_t g = 0; g < a->ngr; g++) {
		if (a->gr[g].gid != 0)
			continue;
		for (size_t i = 0; i < a->npw; i++) {
			struct ks_finding *fd;

			if (a->pw[i].uid == 0 || a->pw[i].gid == 0 ||
			    !in_list(a->gr[g].members, a->pw[i].name))
				continue;
			fd = account_finding(h, a, &r_root_group, &a->pw[i]);
			ks_hf_evf(h, fd, "/etc/group", a->gr[g].line,
			    "%s:%s:%u:%s", a->gr[g].name,
			    a->gr[g].passwd[0] ? "x" : "", (unsigned)a->gr[g].gid,
			    a->gr[g].members);
			ks_hf_add(h, fd);
		}
	}
}

static void
against_baseline(struct ks_host *h, const struct ks_accounts *a)
{
	const struct ks_baseline *b = h->o.baseline;

	for (size_t i = 0; i < a->npw && b != NULL; i++) {
		const struct ks_pwent *e = &a->pw[i];
		const struct ks_baseline_account *ba =
		    ks_baseline_find_account(b, e->name);
		struct ks_finding *fd;

		if (ba == NULL) {
			ks_hf_add(h, account_finding(h, a, &r_new, e));
			continue;
		}
		if (ba->uid == e->uid && ba->gid == e->gid &&
		    strcmp(ba->home, e->home) == 0 &&
		    strcmp(ba->shell, e->shell) == 0)
			continue;
		fd = account_finding(h, a, &r_changed, e);
		ks_hf_evf(h, fd, "baseline", 0, "baseline: %s uid %u gid %u "
		    "home %s shell %s", ba->name, (unsigned)ba->uid,
		    (unsigned)ba->gid, ba->home, ba->shell);
		ks_hf_add(h, fd);
	}
}

static void
malformed(struct ks_host *h, const struct ks_hfile *f, const char *path,
    uint64_t bad, uint64_t first)
{
	struct ks_finding *fd;

	if (bad == 0)
		return;
	fd = ks_hf_new(h, &r_malformed, file_time(f));
	ks_hf_attr(h, fd, "file.path", path);
	if (fd != NULL)
		fd->count = bad;
	ks_hf_evf(h, fd, path, first, "%llu line%s not of the form of %s, the "
	    "first at line %llu", (unsigned long long)bad, bad == 1 ? "" : "s",
	    path, (unsigned long long)first);
	ks_hf_add(h, fd);
}

void
ks_check_accounts(struct ks_host *h)
{
	struct ks_accounts *a = ks_host_accounts(h);

	if (a == NULL)
		return;
	if (!a->have_shadow)
		ks_host_note(h, _("accounts: /etc/shadow not read: empty "
		    "passwords there cannot be seen (run as root)"));
	for (size_t i = 0; i < a->npw; i++)
		one_account(h, a, i);
	duplicates(h, a);
	root_group_members(h, a);
	against_baseline(h, a);
	malformed(h, &a->passwd, "/etc/passwd", a->bad_pw, a->first_bad_pw);
	malformed(h, &a->shadow, "/etc/shadow", a->bad_sp, a->first_bad_sp);
	malformed(h, &a->group, "/etc/group", a->bad_gr, a->first_bad_gr);
}

int
ks_host_baseline_accounts(struct ks_host *h, struct ks_baseline *b,
    struct ks_err *err)
{
	struct ks_accounts *a = ks_host_accounts(h);

	if (a == NULL)
		return h->oom ? ks_err_set(err, "out of memory") :
		    ks_err_set(err, "/etc/passwd could not be read");
	for (size_t i = 0; i < a->npw; i++)
		if (ks_baseline_add_account(b, a->pw[i].name, a->pw[i].uid,
		    a->pw[i].gid, a->pw[i].home, a->pw[i].shell, err) < 0)
			return -1;
	return 0;
}
