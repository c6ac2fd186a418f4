/*
 * kernel.c - check 9: what the running kernel says about sniffing and
 * about itself.
 *
 *  - An interface in promiscuous mode receives every frame on its wire:
 *    a sniffer collecting passwords (seed 004 lists sniffers among the
 *    year's incidents).  The flag is read from /sys/class/net/IF/flags.
 *    Bridge ports are promiscuous by design (a bridge must see frames
 *    for its other ports) and are not reported.
 *  - Kernel modules: /proc/modules lists the loaded modules, and so does
 *    /sys/module (those with an initstate file are loadable modules, the
 *    others are built in).  A rootkit module unlinks itself from the
 *    module list to hide from lsmod but often leaves its kobject, or the
 *    other way round; a name in one view and not the other is read
 *    again, to rule out a module loading meanwhile, and then reported.
 * Both read the running kernel, so both are skipped under --root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

#define IFF_PROMISC_FLAG 0x100
#define MODULES_MAX 65536

static const struct ks_rule_info r_promisc = {
	.id = "net-promiscuous",
	.title = N_("A network interface is in promiscuous mode"),
	.severity = "high", .taxonomy = "information-gathering",
	.type = "sniffing",
	.advice = N_("Something is capturing all traffic on this wire: a "
	    "sniffer gathers passwords. Find the program holding a packet "
	    "socket; if it is not your capture tool, the host is intruded."),
	.path = KS_HOST_RULE_PATH,
};

static const struct ks_rule_info r_module = {
	.id = "kernel-module-hidden",
	.title = N_("A kernel module hidden from one of the kernel's lists"),
	.severity = "critical", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("A module missing from /proc/modules or /sys/module is "
	    "how kernel rootkits hide. Nothing on the running host can be "
	    "trusted: image it and rebuild from trusted media."),
	.path = KS_HOST_RULE_PATH,
};

static ssize_t
read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void
promiscuous(struct ks_host *h)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *de;
	char path[512], buf[64];
	struct stat st;

	if (d == NULL) {
		ks_host_note(h, _("/sys/class/net: cannot list: %s"),
		    strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		unsigned long flags;
		struct ks_finding *fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/brport",
		    de->d_name);
		if (stat(path, &st) == 0)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/flags",
		    de->d_name);
		if (read_text(path, buf, sizeof(buf)) <= 0)
			continue;
		flags = strtoul(buf, NULL, 16);
		if (!(flags & IFF_PROMISC_FLAG))
			continue;
		fd = ks_hf_new(h, &r_promisc, h->o.now_us);
		ks_hf_attr(h, fd, "observer.ingress.interface.name", de->d_name);
		ks_hf_evf(h, fd, path, 0, "flags 0x%lx: IFF_PROMISC is set",
		    flags);
		ks_hf_add(h, fd);
	}
	closedir(d);
}

struct names {
	char **v;
	size_t n;
};

static void
names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
names_add(struct names *s, const char *name, size_t n)
{
	char **nv;

	if (s->n == MODULES_MAX)
		return 0;
	if ((nv = realloc(s->v, (s->n + 1) * sizeof(*nv))) == NULL)
		return -1;
	s->v = nv;
	if ((s->v[s->n] = strndup(name, n)) == NULL)
		return -1;
	s->n++;
	return 0;
}

static bool
names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

/* The first word of each line of /proc/modules; -1 absent, -2 memory. */
static int
proc_modules(struct names *s)
{
	FILE *f = fopen("/proc/modules", "re");
	char line[1024];
	int rc = 0;

	if (f == NULL)
		return -1;
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL)
		if (names_add(s, line, strcspn(line, " \n")) < 0)
			rc = -2;
	fclose(f);
	return rc;
}

/* The loadable modules of /sys/module (those with an initstate). */
static int
sys_modules(struct names *s)
{
	DIR *d = opendir("/sys/module");
	struct dirent *de;
	char path[512];
	struct stat st;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/module/%s/initstate",
		    de->d_name);
		if (stat(path, &st) == 0 && names_add(s, de->d_name,
		    strlen(de->d_name)) < 0)
			rc = -2;
	}
	closedir(d);
	return rc;
}

/* Names of a that b lacks, in both readings (the second ends a race). */
static void
compare(struct ks_host *h, const struct names *a, const struct names *b,
    const struct names *a2, const struct names *b2, const char *in,
    const char *not_in)
{
	for (size_t i = 0; i < a->n; i++) {
		struct ks_finding *fd;

		if (names_has(b, a->v[i]) || !names_has(a2, a->v[i]) ||
		    names_has(b2, a->v[i]))
			continue;
		fd = ks_hf_new(h, &r_module, h->o.now_us);
		ks_hf_attr(h, fd, "file.name", a->v[i]);
		ks_hf_evf(h, fd, in, 0, "module %s is listed here", a->v[i]);
		ks_hf_evf(h, fd, not_in, 0, "but not here (read twice)");
		ks_hf_add(h, fd);
	}
}

static void
modules(struct ks_host *h)
{
	struct names p = { 0 }, s = { 0 }, p2 = { 0 }, s2 = { 0 };
	int rc = proc_modules(&p);

	if (rc == -1) {
		ks_host_note(h, _("kernel: no /proc/modules: the kernel loads "
		    "no modules, or hides the list"));
		return;
	}
	if (rc < 0 || sys_modules(&s) == -2 || proc_modules(&p2) == -2 ||
	    sys_modules(&s2) == -2)
		h->oom = true;
	else {
		compare(h, &p, &s, &p2, &s2, "/proc/modules", "/sys/module");
		compare(h, &s, &p, &s2, &p2, "/sys/module", "/proc/modules");
	}
	names_free(&p);
	names_free(&s);
	names_free(&p2);
	names_free(&s2);
}

void
ks_check_kernel(struct ks_host *h)
{
	promiscuous(h);
	modules(h);
}
