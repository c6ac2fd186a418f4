/*
 * rules.c - what the integrity checks say of themselves, and the
 * findings they make.
 *
 * Verify and package verification share these descriptions and the way
 * a finding about one file is built (file.path, one piece of evidence,
 * the time), so that `scan` merges their findings with the logs' and a
 * reader filters them by rule id alike.  The severity follows where the
 * file is: a changed program or library in the system's directories is
 * what a rootkit does (seed 001: "various system files were replaced"),
 * a changed file elsewhere is more often an administrator's edit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integrity/fim_int.h"
#include "util/i18n.h"

#define BUILT_IN "(built in)"
#define MODIFIED "information-content-security"
#define MOD_TYPE "unauthorised-information-modification"

static const char advice_system[] = N_("Compare the file with the one in "
    "its package (kansatsu verify --packages-from with the .deb files from "
    "a trusted mirror). If no update explains the change, take the host "
    "off the network and rebuild it from trusted media: a replaced system "
    "program hides an intruder from every check that runs it.");
static const char advice_file[] = N_("Check who changed the file and "
    "why; if nobody did, treat the host as intruded. Make a new baseline "
    "only once the change is understood.");

static const struct ks_rule_info infos[KS_CHK_COUNT] = {
	[KS_CHK_CHANGED_SYSTEM] = {
		.id = "file-changed-system",
		.title = N_("A system program or library changed since the "
		    "baseline"),
		.severity = "high", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_system,
		.path = BUILT_IN,
	},
	[KS_CHK_CHANGED] = {
		.id = "file-changed",
		.title = N_("A file changed since the baseline"),
		.severity = "medium", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_file, .path = BUILT_IN,
	},
	[KS_CHK_PRIVILEGE] = {
		.id = "file-privilege-gained",
		.title = N_("A file gained set-user-ID, set-group-ID or file "
		    "capabilities"),
		.severity = "high", .taxonomy = "intrusions",
		.type = "system-compromise", .outcome = "unknown",
		.advice = N_("A program that gained privileges is a classic "
		    "back door: remove the bits or capabilities (chmod u-s, "
		    "setcap -r) and find out who set them."),
		.path = BUILT_IN,
	},
	[KS_CHK_ADDED_SYSTEM] = {
		.id = "file-added-system",
		.title = N_("A file appeared among the system programs or "
		    "libraries"),
		.severity = "medium", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = N_("Find the package that owns "
		    "it (dpkg -S on a trusted copy of the database); a file no "
		    "package owns in a system directory deserves a close "
		    "look."), .path = BUILT_IN,
	},
	[KS_CHK_ADDED] = {
		.id = "file-added",
		.title = N_("A file appeared since the baseline"),
		.severity = "low", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_file, .path = BUILT_IN,
	},
	[KS_CHK_REMOVED_SYSTEM] = {
		.id = "file-removed-system",
		.title = N_("A system program or library is gone since the "
		    "baseline"),
		.severity = "medium", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_file, .path = BUILT_IN,
	},
	[KS_CHK_REMOVED] = {
		.id = "file-removed",
		.title = N_("A file is gone since the baseline"),
		.severity = "low", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_file, .path = BUILT_IN,
	},
	[KS_CHK_UNREADABLE] = {
		.id = "file-unreadable",
		.title = N_("A file could not be read to verify it"),
		.severity = "low", .taxonomy = "other", .type = "other",
		.outcome = "unknown", .advice = N_("Root should be able to "
		    "read every system file; find out what stops it (a "
		    "failing disk, a file system that lies, a kernel module "
		    "hiding files)."), .path = BUILT_IN,
	},
	[KS_CHK_PKG_CHANGED_SYSTEM] = {
		.id = "package-file-changed-system",
		.title = N_("A system program or library differs from its "
		    "package"),
		.severity = "high", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_system,
		.path = BUILT_IN,
	},
	[KS_CHK_PKG_CHANGED] = {
		.id = "package-file-changed",
		.title = N_("A file differs from its package"),
		.severity = "medium", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = advice_file, .path = BUILT_IN,
	},
	[KS_CHK_PKG_CONFFILE] = {
		.id = "package-conffile-changed",
		.title = N_("A configuration file differs from its package"),
		.severity = "low", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = N_("Configuration files are "
		    "meant to be edited; make sure this edit is one you know "
		    "of."), .path = BUILT_IN,
	},
	[KS_CHK_PKG_MISSING] = {
		.id = "package-file-missing",
		.title = N_("A file of an installed package is missing"),
		.severity = "low", .taxonomy = MODIFIED, .type = MOD_TYPE,
		.outcome = "unknown", .advice = N_("Reinstall the package from "
		    "a trusted mirror, unless the file was left out on purpose "
		    "(dpkg path-exclude)."), .path = BUILT_IN,
	},
	[KS_CHK_PKG_SUMS_TAMPERED] = {
		.id = "package-sums-tampered",
		.title = N_("dpkg's checksum of a file disagrees with its "
		    "package"),
		.severity = "critical", .taxonomy = "intrusions",
		.type = "system-compromise", .outcome = "likely-success",
		.advice = N_("Someone with root rewrote dpkg's own record of "
		    "the file to hide a change, which no update does: the host "
		    "is compromised. Take it off the network, keep the disk "
		    "for analysis, and rebuild it from trusted media."),
		.path = BUILT_IN,
	},
};

const struct ks_rule_info *
ks_fim_check_info(enum ks_fim_check c)
{
	return &infos[c];
}

bool
ks_fim_system_path(const char *path, size_t n)
{
	static const char *const dirs[] = {
		"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
		"/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32",
		"/usr/lib64", "/usr/libx32", "/usr/libexec", "/usr/local/bin",
		"/usr/local/sbin", "/usr/local/lib", "/boot",
	};
	size_t len;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		len = strlen(dirs[i]);
		if (n >= len && memcmp(path, dirs[i], len) == 0 &&
		    (n == len || path[len] == '/'))
			return true;
	}
	return false;
}

struct ks_finding *
ks_fim_finding(enum ks_fim_check c, const char *host, const char *path,
    int64_t ts_us, const char *text, size_t n)
{
	struct ks_finding *fd = ks_finding_new(&infos[c], host);

	if (fd == NULL)
		return NULL;
	fd->count = 1;
	ks_finding_seen(fd, ts_us, 0);
	if (!ks_finding_attr(fd, "file.path", path, false) ||
	    !ks_finding_evidence(fd, path, 0, NULL, text, n)) {
		ks_finding_free(fd);
		return NULL;
	}
	return fd;
}

bool
ks_fim_attrf(struct ks_finding *fd, const char *key, bool num,
    const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ks_finding_attr(fd, key, buf, num);
}

static int
cmp_findings(const void *a, const void *b)
{
	const struct ks_finding *x = *(const struct ks_finding *const *)a;
	const struct ks_finding *y = *(const struct ks_finding *const *)b;
	int rx = ks_severity_rank(x->rule->severity);
	int ry = ks_severity_rank(y->rule->severity);
	const char *px = ks_finding_get_attr(x, "file.path");
	const char *py = ks_finding_get_attr(y, "file.path");

	if (rx != ry)
		return ry - rx;
	return strcmp(px != NULL ? px : "", py != NULL ? py : "");
}

void
ks_fim_findings_sort(struct ks_findings *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_findings);
}

void
ks_hex(struct ks_buf *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		ks_buf_addc(b, digits[p[i] >> 4]);
		ks_buf_addc(b, digits[p[i] & 15]);
	}
}
