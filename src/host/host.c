/*
 * host.c - one run of host triage: opening the analysed system, running
 * the checks the options ask for in a fixed order, the notes that say
 * what could not be read or was skipped, and the small builder the checks
 * make their findings with.
 *
 * The checks share what they load (the package lists, the accounts, the
 * login records, the process table) through this context, so that each
 * file is read once however many checks look at it.  Out of memory is
 * recorded once (h->oom) and reported at the end of the check, so that
 * the checks stay readable: they build findings without testing every
 * call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_int.h"
#include "util/i18n.h"

static const struct {
	const char *name;
	void (*fn)(struct ks_host *);
	bool live_only;
} checks[KS_HOST_NCHECKS] = {
	[KS_HOST_LOGINS] = { "logins", ks_check_logins, false },
	[KS_HOST_PROCESSES] = { "processes", ks_check_processes, true },
	[KS_HOST_ACCOUNTS] = { "accounts", ks_check_accounts, false },
	[KS_HOST_PERSISTENCE] = { "persistence", ks_check_persistence, false },
	[KS_HOST_FILES] = { "files", ks_check_files, false },
	[KS_HOST_HISTORY] = { "history", ks_check_history, false },
	[KS_HOST_BOOTS] = { "boots", ks_check_boots, false },
	[KS_HOST_KERNEL] = { "kernel", ks_check_kernel, true },
	[KS_HOST_SOCKETS] = { "sockets", ks_check_sockets, true },
};

static const char *const view_names[KS_VIEW_COUNT] = {
	[KS_VIEW_LOGINS] = "logins",
	[KS_VIEW_PROCESSES] = "processes",
	[KS_VIEW_ACCOUNTS] = "accounts",
	[KS_VIEW_PERSISTENCE] = "persistence",
	[KS_VIEW_SOCKETS] = "sockets",
};

const char *
ks_host_check_name(enum ks_host_check c)
{
	return (unsigned)c < KS_HOST_NCHECKS ? checks[c].name : "?";
}

int
ks_host_checks_parse(const char *list, unsigned *mask, struct ks_err *err)
{
	const char *p = list, *e;
	size_t n;
	int i;

	*mask = 0;
	while (*p != '\0') {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < KS_HOST_NCHECKS; i++)
			if (strlen(checks[i].name) == n &&
			    memcmp(checks[i].name, p, n) == 0)
				break;
		if (i == KS_HOST_NCHECKS)
			return ks_err_set(err, "unknown check '%.*s' (one of "
			    "logins, processes, accounts, persistence, files, "
			    "history, boots, kernel)", (int)(n > 64 ? 64 : n), p);
		*mask |= 1u << i;
		p = e ? e + 1 : p + n;
	}
	if (*mask == 0)
		return ks_err_set(err, "no check named");
	return 0;
}

int
ks_host_view_parse(const char *s)
{
	for (int i = 0; i < KS_VIEW_COUNT; i++)
		if (strcmp(s, view_names[i]) == 0)
			return i;
	return -1;
}

void
ks_host_note(struct ks_host *h, const char *fmt, ...)
{
	struct ks_buf raw, esc;
	va_list ap;
	char **nv;

	ks_buf_init(&raw);
	ks_buf_init(&esc);
	va_start(ap, fmt);
	if (ks_buf_reserve(&raw, 256)) {
		int n = vsnprintf(raw.p, raw.cap, fmt, ap);

		raw.len = n < 0 ? 0 : (size_t)n < raw.cap ? (size_t)n :
		    raw.cap - 1;
	}
	va_end(ap);
	ks_escape_text(&esc, raw.p, raw.len);
	ks_buf_addc(&esc, '\0');
	ks_buf_free(&raw);
	if (ks_buf_failed(&esc))
		goto oom;
	if (h->nnotes == h->capnotes) {
		size_t cap = h->capnotes ? h->capnotes * 2 : 16;

		if ((nv = realloc(h->notes, cap * sizeof(*nv))) == NULL)
			goto oom;
		h->notes = nv;
		h->capnotes = cap;
	}
	h->notes[h->nnotes++] = esc.p;
	return;
oom:
	ks_buf_free(&esc);
	h->oom = true;
}

size_t
ks_host_notes(const struct ks_host *h, const char *const **out)
{
	*out = (const char *const *)h->notes;
	return h->nnotes;
}

int32_t
ks_host_off(const struct ks_host *h, int64_t ts_us)
{
	int64_t s = ts_us / 1000000;

	return h->o.tz != NULL ? ks_tz_offset_utc(h->o.tz, s) : 0;
}

void
ks_host_time(const struct ks_host *h, struct ks_buf *b, int64_t ts_us)
{
	int64_t s = ts_us / 1000000 + ks_host_off(h, ts_us);
	int64_t days = s / 86400, sod = s % 86400, y;
	unsigned m, d;

	if (sod < 0) {
		sod += 86400;
		days--;
	}
	ks_civil_from_days(days, &y, &m, &d);
	ks_buf_addf(b, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)y, m, d,
	    (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60),
	    (unsigned)(sod % 60));
}

struct ks_finding *
ks_hf_new(struct ks_host *h, const struct ks_rule_info *r, int64_t ts_us)
{
	struct ks_finding *fd = ks_finding_new(r, h->hostname);

	if (fd == NULL) {
		h->oom = true;
		return NULL;
	}
	fd->count = 1;
	ks_finding_seen(fd, ts_us, ks_host_off(h, ts_us));
	return fd;
}

void
ks_hf_attr(struct ks_host *h, struct ks_finding *fd, const char *key,
    const char *val)
{
	if (fd != NULL && !ks_finding_attr(fd, key, val, false))
		h->oom = true;
}

void
ks_hf_num(struct ks_host *h, struct ks_finding *fd, const char *key,
    int64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	if (fd != NULL && !ks_finding_attr(fd, key, tmp, true))
		h->oom = true;
}

void
ks_hf_field(struct ks_host *h, struct ks_finding *fd, enum ks_field k,
    const char *v)
{
	if (fd != NULL && !ks_finding_set(fd, k, v, strlen(v)))
		h->oom = true;
}

void
ks_hf_ev(struct ks_host *h, struct ks_finding *fd, const char *path,
    uint64_t line, const char *text, size_t n)
{
	if (fd != NULL && !ks_finding_evidence(fd, path, line, NULL, text, n))
		h->oom = true;
}

void
ks_hf_evf(struct ks_host *h, struct ks_finding *fd, const char *path,
    uint64_t line, const char *fmt, ...)
{
	char tmp[KS_EVIDENCE_TEXT + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	ks_hf_ev(h, fd, path, line, tmp,
	    (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void
ks_hf_seen(struct ks_host *h, struct ks_finding *fd, int64_t ts_us)
{
	if (fd != NULL)
		ks_finding_seen(fd, ts_us, ks_host_off(h, ts_us));
}

void
ks_hf_add(struct ks_host *h, struct ks_finding *fd)
{
	if (fd == NULL)
		return;
	if (h->oom || h->out == NULL) {
		ks_finding_free(fd);
		return;
	}
	if (!ks_findings_add(h->out, fd))
		h->oom = true;
}

int
ks_hgroups_init(struct ks_host *h, struct ks_hgroups *g, size_t cap)
{
	struct ks_err err;

	memset(g, 0, sizeof(*g));
	g->cap = cap;
	if (ks_map_new(&g->map, cap, &err) < 0 ||
	    (g->v = calloc(cap, sizeof(*g->v))) == NULL) {
		ks_hgroups_free(g);
		h->oom = true;
		return -1;
	}
	return 0;
}

struct ks_finding *
ks_hgroups_get(struct ks_host *h, struct ks_hgroups *g, const char *key,
    size_t n, const struct ks_rule_info *r, int64_t ts_us)
{
	struct ks_err err;
	size_t i;

	if (g->map == NULL)
		return NULL;
	if (ks_map_get(g->map, key, n, &i)) {
		g->v[i]->count++;
		ks_hf_seen(h, g->v[i], ts_us);
		return g->v[i];
	}
	if (g->n == g->cap) {
		g->overflow++;
		return NULL;
	}
	if ((g->v[g->n] = ks_hf_new(h, r, ts_us)) == NULL)
		return NULL;
	if (ks_map_put(g->map, key, n, g->n, &err) < 0) {
		ks_finding_free(g->v[g->n]);
		g->v[g->n] = NULL;
		h->oom = true;
		return NULL;
	}
	return g->v[g->n++];
}

void
ks_hgroups_flush(struct ks_host *h, struct ks_hgroups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		ks_hf_add(h, g->v[i]);
		g->v[i] = NULL;
	}
	g->n = 0;
}

void
ks_hgroups_free(struct ks_hgroups *g)
{
	for (size_t i = 0; i < g->n; i++)
		ks_finding_free(g->v[i]);
	free(g->v);
	ks_map_free(g->map);
	memset(g, 0, sizeof(*g));
}

/* The first line of the image's /etc/hostname, else its root's name. */
static void
image_hostname(struct ks_host *h)
{
	struct ks_hfile f;
	size_t n = 0;

	if (ks_hfs_read(h, "/etc/hostname", 4096, &f) == 0) {
		while (n < f.n && n < sizeof(h->hostname) - 1 &&
		    f.p[n] != '\n' && f.p[n] != ' ' && f.p[n] != '\t')
			n++;
		memcpy(h->hostname, f.p, n);
		h->hostname[n] = '\0';
		ks_hfile_free(&f);
	}
	if (h->hostname[0] == '\0')
		snprintf(h->hostname, sizeof(h->hostname), "unknown");
}

static int
open_root(struct ks_host *h, const char *root, struct ks_err *err)
{
	char *real = realpath(root, NULL);

	if (real == NULL)
		return ks_err_set(err, "%s: %s", root, strerror(errno));
	h->live = strcmp(real, "/") == 0;
	free(real);
	if ((h->root = strdup(root)) == NULL)
		return ks_err_set(err, "out of memory");
	h->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->rootfd < 0)
		return ks_err_set(err, "%s: %s", root, strerror(errno));
	return 0;
}

int
ks_host_open(struct ks_host **out, const struct ks_host_opts *o,
    struct ks_err *err)
{
	struct ks_host *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (h == NULL)
		return ks_err_set(err, "out of memory");
	h->o = *o;
	h->rootfd = -1;
	h->clk_tck = sysconf(_SC_CLK_TCK);
	if (h->clk_tck <= 0)
		h->clk_tck = 100;
	if (open_root(h, o->root != NULL ? o->root : "/", err) < 0) {
		ks_host_close(h);
		return -1;
	}
	h->resolve_in_root = true;
	if (o->hostname != NULL)
		snprintf(h->hostname, sizeof(h->hostname), "%s", o->hostname);
	else if (!h->live)
		image_hostname(h);
	else if (gethostname(h->hostname, sizeof(h->hostname) - 1) < 0)
		snprintf(h->hostname, sizeof(h->hostname), "localhost");
	h->container = ks_host_detect_container(h);
	if (h->container != NULL)
		ks_host_note(h, _("runs in a container (%s): no alarm for files "
		    "the runtime mounts into /dev"), h->container);
	*out = h;
	return 0;
}

bool
ks_host_is_live(const struct ks_host *h)
{
	return h->live;
}

const char *
ks_host_name(const struct ks_host *h)
{
	return h->hostname;
}

int
ks_host_run(struct ks_host *h, struct ks_findings *out, struct ks_err *err)
{
	h->out = out;
	for (int i = 0; i < KS_HOST_NCHECKS && !h->oom; i++) {
		if (!(h->o.checks & (1u << i)))
			continue;
		if (checks[i].live_only && !h->live) {
			ks_host_note(h, _("%s: skipped: needs the running system, "
			    "not an image under --root"), checks[i].name);
			continue;
		}
		if (h->o.on_progress != NULL)
			h->o.on_progress(h->o.ctx, checks[i].name, NULL);
		checks[i].fn(h);
	}
	h->out = NULL;
	if (h->oom)
		return ks_err_set(err, "out of memory");
	return 0;
}

void
ks_host_close(struct ks_host *h)
{
	if (h == NULL)
		return;
	if (h->rootfd >= 0)
		close(h->rootfd);
	ks_pkgdb_free(h->pkg);
	ks_accounts_free(h->acc);
	ks_wtmp_free(h->wtmp);
	ks_proclist_free(h->procs);
	for (size_t i = 0; i < h->nnotes; i++)
		free(h->notes[i]);
	free(h->notes);
	free(h->root);
	free(h);
}
