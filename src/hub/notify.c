/*
 * notify.c - `hub notify`: one mail draft per site related to an
 * incident, holding only what each element's TLP allows that site to
 * see (seed 004: "JPCERT/CC needs permission to pass information on").
 *
 * Who may see an element of report R (by site O):
 *   - O itself, always (it is O's own report);
 *   - any site of the incident, when the element is CLEAR or GREEN;
 *   - the site owning a source address of R (it needs to know: its host
 *     attacked others), when AMBER; never when AMBER+STRICT or RED.
 * The sites of an incident are its reporters and the sites whose
 * declared networks hold a source address of its reports.
 *
 * Each draft has: a section for every other report the site may see
 * something of (a stepping-stone notice when the source is the site's
 * own address, then the findings, log lines and systems it may see,
 * with the reporter named only when the reporter's contact may be
 * passed on); a section on the site's own report saying what was passed
 * on, to whom (described by role, never by name) and what was withheld,
 * and which source sites were contacted; the advice for its own report.
 * Every other report a draft has a section on is attached as IODEF v2
 * (report-N.xml): as it came when it came as IODEF and all of it may go
 * to the recipient (the reporter's own bytes are the better evidence),
 * else written anew from only what the recipient may see of it
 * (disclose.c), the reporter named only as the section names it.  Every
 * draft is recorded as a coordination, with an entry in the incident's
 * audit trail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define ELEMENTS_MAX 500
#define SOURCES_MAX 1000
#define EVIDENCE_SHOWN 20

/* ---- the texts of a draft, in both languages ---------------------------------- */

struct texts {
	const char *subject, *greeting, *intro, *from_site, *other_site;
	const char *stepping, *stepping_hidden, *related, *findings, *logs;
	const char *systems, *notes, *own, *passed_to, *withheld, *none_passed;
	const char *all_passed, *contacted, *advice, *closing, *owner_desc;
	const char *other_desc, *attached, *attached_part, *unwritten;
	const char *events;
	const char *kind[KS_EL_COUNT];
};

static const struct texts en = {
	.subject = "[Incident #%s] %s",
	.greeting = "Dear %s,\n\n",
	.intro = "This is %s. We are handling incident #%s, which "
	    "concerns your site. This message holds only what each reporter "
	    "allowed us to pass on.\n\n",
	.from_site = "== A report from %s ==\n",
	.other_site = "another site",
	.stepping = "Activity from %s was reported, and that address lies "
	    "inside your network %s. A host of yours may have been intruded "
	    "and used as a stepping stone to attack other sites. Please check "
	    "it.\n",
	.stepping_hidden = "Activity from an address inside your network %s "
	    "was reported. A host of yours may have been used as a stepping "
	    "stone. Please check it.\n",
	.related = "It is related to your report: %s.\n",
	.findings = "Findings:\n",
	.logs = "Log lines (as the reporter sent them):\n",
	.systems = "Systems:\n",
	.notes = "Notes:\n",
	.own = "== Your report #%s (%s) ==\n",
	.passed_to = "Passed on to %s: %s.\n",
	.withheld = "Withheld from every other site (your disclosure level "
	    "%s): %s.\n",
	.none_passed = "Nothing of your report was passed on to another "
	    "site.\n",
	.all_passed = "Nothing of your report was withheld.\n",
	.contacted = "The site responsible for the source address %s has "
	    "been contacted.\n",
	.advice = "Advice:\n",
	.closing = "Please reply to this message with any question.\n\n-- \n"
	    "%s\n",
	.owner_desc = "the site responsible for the source address %s",
	.other_desc = "another site involved in this incident",
	.attached = "The original report (IODEF) is attached.\n",
	.attached_part = "The part of this report that may be passed on to "
	    "you is attached (IODEF).\n",
	.unwritten = "%s of its elements could not be put in the attachment; "
	    "this message holds them.\n",
	.events = "events",
	.kind = { "finding(s)", "log line(s)", "system(s)", "advice",
	    "note(s)", "contact details" },
};

static const struct texts ja = {
	.subject = "[インシデント #%s] %s",
	.greeting = "%s ご担当者様\n\n",
	.intro = "%sです。貴サイトに関係するインシデント #%s について"
	    "ご連絡します。このメールには、各報告者が開示を認めた情報だけを"
	    "記載しています。\n\n",
	.from_site = "== %s からの報告 ==\n",
	.other_site = "他のサイト",
	.stepping = "%s からのアクセスが報告されました。このアドレスは"
	    "貴サイトのネットワーク %s 内にあります。貴サイトのホストが侵入"
	    "され、他サイトへの攻撃の踏み台として使われている可能性があります。"
	    "ご確認ください。\n",
	.stepping_hidden = "貴サイトのネットワーク %s 内のアドレスからの"
	    "アクセスが報告されました。貴サイトのホストが踏み台として使われて"
	    "いる可能性があります。ご確認ください。\n",
	.related = "貴サイトの報告と関連しています: %s。\n",
	.findings = "検知内容:\n",
	.logs = "ログ (報告者から提供されたもの):\n",
	.systems = "関係するシステム:\n",
	.notes = "備考:\n",
	.own = "== 貴サイトの報告 #%s (%s) ==\n",
	.passed_to = "%s に伝えた情報: %s。\n",
	.withheld = "開示条件 (%s) に従い、他のサイトには伝えていない情報: "
	    "%s。\n",
	.none_passed = "貴サイトの報告の内容は、他のサイトには伝えて"
	    "いません。\n",
	.all_passed = "伝えずにおいた情報はありません。\n",
	.contacted = "送信元アドレス %s を管理するサイトに連絡しました。\n",
	.advice = "対策:\n",
	.closing = "ご不明な点がございましたら、このメールにご返信ください。"
	    "\n\n-- \n%s\n",
	.owner_desc = "送信元アドレス %s を管理するサイト",
	.other_desc = "このインシデントに関係する他のサイト",
	.attached = "元の報告 (IODEF) を添付します。\n",
	.attached_part = "この報告のうち貴サイトにお伝えできる部分を IODEF "
	    "形式で添付します。\n",
	.unwritten = "このうち %s 件の情報は添付ファイルに含められません"
	    "でした (本文に記載しています)。\n",
	.events = "件",
	.kind = { "検知内容", "ログ", "システム情報", "対策", "備考",
	    "連絡先" },
};

/*
 * The template with its "%s" replaced by a, then b: the texts are data,
 * not formats, so no argument is ever read by a format it does not fit.
 */
static void
fill(struct ks_buf *out, const char *tmpl, const char *a, const char *b)
{
	const char *args[2] = { a, b };
	int next = 0;

	for (const char *p = tmpl; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			ks_buf_adds(out, next < 2 && args[next] ? args[next] :
			    "");
			next++;
			p++;
			continue;
		}
		ks_buf_addc(out, *p);
	}
}

/* A number as text, for fill. */
struct num {
	char s[24];
};

static struct num
num(long long v)
{
	struct num n;

	snprintf(n.s, sizeof(n.s), "%lld", v);
	return n;
}

/* ---- what the incident holds ---------------------------------------------------- */

struct nsrc {
	unsigned char ip[16];
	char *value;
	enum ks_tlp tlp;
};

struct nrep {
	int64_t id, reporter;
	char *site, *format, *hash;
	enum ks_tlp tlp;
	enum ks_cat cat;
	struct ks_hub_element *el;
	size_t nel;
	struct nsrc *src;
	size_t nsrc;
	bool clipped;           /* more elements or sources than loaded */
	struct ks_hub_links links;
};

struct nsite {
	int64_t id;
	char *site, *org, *name, *email, *phone, *lang;
	enum ks_tlp contact_tlp;
};

struct incident {
	struct ks_hub *h;
	int64_t id;
	char *from_name, *from_addr;
	struct nrep *r;
	size_t nr;
	struct nsite *s;
	size_t ns;
	struct ks_hub_net *nets;
	size_t nnets;
	int64_t now_us;
	bool oom;
};

static void *
grow1(void *v, size_t n, size_t sz, bool *oom)
{
	void *p = reallocarray(v, n + 1, sz);

	if (p == NULL)
		*oom = true;
	return p;
}

/* Body of an element kept as raw[off, +len) of its report's original. */
static char *
raw_slice(const struct ks_buf *raw, int64_t off, int64_t len, bool *ok)
{
	size_t o = off < 0 ? 0 : (size_t)off, n = len < 0 ? 0 : (size_t)len;

	if (o > raw->len)
		o = raw->len;
	if (n > raw->len - o)
		n = raw->len - o;
	return ks_hub_strndup(raw->p != NULL ? raw->p + o : "", n, ok);
}

static int
load_elements(struct incident *x, struct nrep *r, struct ks_err *err)
{
	struct ks_stmt *st;
	struct ks_buf raw;
	bool have_raw = false, ok = true;
	int rc;

	if (ks_store_prepare(x->h->s, "SELECT kind, tlp, title, body, raw_off,"
	    " raw_len FROM elements WHERE report_id = ? ORDER BY seq LIMIT ?",
	    &st, err) < 0)
		return -1;
	ks_buf_init(&raw);
	ks_stmt_bind_int(st, 1, r->id);
	ks_stmt_bind_int(st, 2, ELEMENTS_MAX + 1);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		struct ks_hub_element *v;

		if (r->nel == ELEMENTS_MAX) {
			r->clipped = true;
			break;
		}
		if ((v = grow1(r->el, r->nel, sizeof(*v), &x->oom)) == NULL)
			break;
		r->el = v;
		memset(&v[r->nel], 0, sizeof(*v));
		v[r->nel].kind = (enum ks_elem)(ks_stmt_int(st, 0) % KS_EL_COUNT);
		v[r->nel].tlp = (enum ks_tlp)(ks_stmt_int(st, 1) % KS_TLP_COUNT);
		v[r->nel].title = ks_stmt_is_null(st, 2) ? NULL :
		    ks_hub_strdup(ks_stmt_text(st, 2), &ok);
		if (!ks_stmt_is_null(st, 3)) {
			v[r->nel].body = ks_hub_strdup(ks_stmt_text(st, 3), &ok);
		} else {
			/* the original is read once, for the first such */
			if (!have_raw && (rc = ks_hub_report_raw(x->h, r->id,
			    &raw, err)) < 0)
				break;
			have_raw = true;
			v[r->nel].body = raw_slice(&raw, ks_stmt_int(st, 4),
			    ks_stmt_int(st, 5), &ok);
		}
		if (v[r->nel].body == NULL)
			break;
		r->nel++;
	}
	ks_stmt_free(st);
	ks_buf_free(&raw);
	if (!ok)
		x->oom = true;
	return rc < 0 ? -1 : 0;
}

static int
load_sources(struct incident *x, struct nrep *r, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;
	bool ok = true;

	if (ks_store_prepare(x->h->s, "SELECT ikey, value, tlp FROM indicators"
	    " WHERE report_id = ? AND kind = 0 AND role = 0 LIMIT ?", &st,
	    err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, r->id);
	ks_stmt_bind_int(st, 2, SOURCES_MAX + 1);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		size_t kn;
		const void *k = ks_stmt_blob(st, 0, &kn);
		struct nsrc *v;

		if (r->nsrc == SOURCES_MAX) {
			r->clipped = true;
			break;
		}
		if (kn != 16 || (v = grow1(r->src, r->nsrc, sizeof(*v),
		    &x->oom)) == NULL)
			continue;
		r->src = v;
		memcpy(v[r->nsrc].ip, k, 16);
		v[r->nsrc].value = ks_hub_strdup(ks_stmt_text(st, 1), &ok);
		v[r->nsrc].tlp = (enum ks_tlp)(ks_stmt_int(st, 2) % KS_TLP_COUNT);
		r->nsrc++;
	}
	ks_stmt_free(st);
	if (!ok)
		x->oom = true;
	return rc < 0 ? -1 : 0;
}

static int
load_reports(struct incident *x, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;
	bool ok = true;

	if (ks_store_prepare(x->h->s, "SELECT r.id, r.reporter_id, p.site,"
	    " r.format, r.tlp, r.category, r.recipient_name, r.recipient_email,"
	    " r.hash FROM reports r JOIN reporters p ON p.id = r.reporter_id"
	    " WHERE r.incident_id = ? ORDER BY r.id", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, x->id);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		struct nrep *v = grow1(x->r, x->nr, sizeof(*v), &x->oom);

		if (v == NULL)
			break;
		x->r = v;
		memset(&v[x->nr], 0, sizeof(*v));
		v[x->nr].id = ks_stmt_int(st, 0);
		v[x->nr].reporter = ks_stmt_int(st, 1);
		v[x->nr].site = ks_hub_strdup(ks_stmt_text(st, 2), &ok);
		v[x->nr].format = ks_hub_strdup(ks_stmt_text(st, 3), &ok);
		v[x->nr].hash = ks_hub_strdup(ks_stmt_text(st, 8), &ok);
		v[x->nr].tlp = (enum ks_tlp)(ks_stmt_int(st, 4) % KS_TLP_COUNT);
		v[x->nr].cat = (enum ks_cat)(ks_stmt_int(st, 5) % KS_CAT_COUNT);
		if (x->from_addr == NULL && !ks_stmt_is_null(st, 7)) {
			x->from_name = ks_hub_strdup(ks_stmt_text(st, 6), &ok);
			x->from_addr = ks_hub_strdup(ks_stmt_text(st, 7), &ok);
		}
		x->nr++;
	}
	ks_stmt_free(st);
	if (!ok)
		x->oom = true;
	if (rc < 0)
		return -1;
	if (x->nr == 0)
		return ks_err_set(err, _("no incident %lld"), (long long)x->id);
	for (size_t i = 0; i < x->nr; i++)
		if (load_elements(x, &x->r[i], err) < 0 ||
		    load_sources(x, &x->r[i], err) < 0 ||
		    ks_hub_strong_links(x->h, x->r[i].id, &x->r[i].links,
		    err) < 0)
			return -1;
	return 0;
}

static int
add_site(struct incident *x, int64_t id, struct ks_err *err)
{
	struct ks_stmt *st;
	struct nsite *v;
	int rc;
	bool ok = true;

	for (size_t i = 0; i < x->ns; i++)
		if (x->s[i].id == id)
			return 0;
	if ((v = grow1(x->s, x->ns, sizeof(*v), &x->oom)) == NULL)
		return ks_err_set(err, "out of memory");
	x->s = v;
	if (ks_store_prepare(x->h->s, "SELECT site, organisation, contact_name,"
	    " contact_email, contact_tlp, language, contact_phone"
	    " FROM reporters WHERE id = ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, id);
	if ((rc = ks_stmt_step(st, err)) > 0) {
		struct nsite *s = &v[x->ns++];

		memset(s, 0, sizeof(*s));
		s->id = id;
		s->site = ks_hub_strdup(ks_stmt_text(st, 0), &ok);
		for (int c = 1; c <= 3; c++) {
			char **dst = c == 1 ? &s->org : c == 2 ? &s->name :
			    &s->email;

			if (!ks_stmt_is_null(st, c))
				*dst = ks_hub_strdup(ks_stmt_text(st, c), &ok);
		}
		s->contact_tlp = (enum ks_tlp)(ks_stmt_int(st, 4) %
		    KS_TLP_COUNT);
		if (!ks_stmt_is_null(st, 5))
			s->lang = ks_hub_strdup(ks_stmt_text(st, 5), &ok);
		if (!ks_stmt_is_null(st, 6))
			s->phone = ks_hub_strdup(ks_stmt_text(st, 6), &ok);
	}
	ks_stmt_free(st);
	if (!ok)
		x->oom = true;
	return rc < 0 ? -1 : 0;
}

/* The reporters, and the owners of the reports' source addresses. */
static int
load_sites(struct incident *x, struct ks_err *err)
{
	if (ks_hub_nets_load(x->h, &x->nets, &x->nnets, err) < 0)
		return -1;
	for (size_t i = 0; i < x->nr; i++) {
		if (add_site(x, x->r[i].reporter, err) < 0)
			return -1;
		for (size_t k = 0; k < x->r[i].nsrc; k++)
			for (size_t n = 0; (n = ks_hub_nets_find(x->nets,
			    x->nnets, n, x->r[i].src[k].ip)) < x->nnets; n++)
				if (add_site(x, x->nets[n].reporter_id,
				    err) < 0)
					return -1;
	}
	return 0;
}

static void
incident_free(struct incident *x)
{
	for (size_t i = 0; i < x->nr; i++) {
		struct nrep *r = &x->r[i];

		for (size_t k = 0; k < r->nel; k++) {
			free(r->el[k].title);
			free(r->el[k].body);
		}
		for (size_t k = 0; k < r->nsrc; k++)
			free(r->src[k].value);
		free(r->el);
		free(r->src);
		free(r->site);
		free(r->format);
		free(r->hash);
		ks_hub_links_free(&r->links);
	}
	for (size_t i = 0; i < x->ns; i++) {
		free(x->s[i].site);
		free(x->s[i].org);
		free(x->s[i].name);
		free(x->s[i].email);
		free(x->s[i].phone);
		free(x->s[i].lang);
	}
	free(x->r);
	free(x->s);
	free(x->from_name);
	free(x->from_addr);
	ks_hub_nets_free(x->nets, x->nnets);
}

/* ---- who may see what ----------------------------------------------------------------- */

/* The network of site s holding a source of r, or NULL (the source: *src). */
static const struct ks_hub_net *
owned_source(const struct incident *x, const struct nrep *r,
    const struct nsite *s, const struct nsrc **src)
{
	for (size_t k = 0; k < r->nsrc; k++)
		for (size_t n = 0; (n = ks_hub_nets_find(x->nets, x->nnets, n,
		    r->src[k].ip)) < x->nnets; n++)
			if (x->nets[n].reporter_id == s->id) {
				*src = &r->src[k];
				return &x->nets[n];
			}
	return NULL;
}

static bool
may_see(const struct incident *x, enum ks_tlp tlp, const struct nrep *r,
    const struct nsite *s)
{
	const struct nsrc *src;

	if (r->reporter == s->id || tlp <= KS_TLP_GREEN)
		return true;
	return tlp == KS_TLP_AMBER && owned_source(x, r, s, &src) != NULL;
}

/* Elements of r that s may see (contact and advice not counted). */
static size_t
count_visible(const struct incident *x, const struct nrep *r,
    const struct nsite *s, bool visible)
{
	size_t n = 0;

	for (size_t k = 0; k < r->nel; k++)
		if (r->el[k].kind != KS_EL_CONTACT &&
		    r->el[k].kind != KS_EL_ADVICE &&
		    may_see(x, r->el[k].tlp, r, s) == visible)
			n++;
	return n;
}

/* Does s get a section on r in its draft? */
static bool
has_section(const struct incident *x, const struct nrep *r,
    const struct nsite *s)
{
	const struct nsrc *src;

	return r->reporter != s->id && (count_visible(x, r, s, true) > 0 ||
	    owned_source(x, r, s, &src) != NULL);
}

/* ---- writing a draft ------------------------------------------------------------------- */

static void
line(struct ks_buf *b, const char *indent, const char *s)
{
	ks_buf_adds(b, indent);
	ks_escape_text(b, s, strlen(s));
	ks_buf_addc(b, '\n');
}

/* A finding: its title, span and count, and its evidence as log lines. */
static void
finding_text(struct ks_buf *b, struct ks_buf *logs, const struct ks_hub_element *e,
    const struct texts *t)
{
	json_error_t je;
	json_t *f = json_loads(e->body, 0, &je), *ev;
	const char *first, *last, *src;
	size_t i;

	line(b, "  - ", e->title ? e->title : "");
	if (f == NULL)
		return;
	first = ks_hub_jstr(f, "first_seen");
	last = ks_hub_jstr(f, "last_seen");
	src = ks_hub_jstr(f, "source.ip");
	ks_buf_adds(b, "    ");
	if (first != NULL)
		ks_escape_text(b, first, strlen(first));
	if (last != NULL && (first == NULL || strcmp(first, last) != 0)) {
		ks_buf_adds(b, " .. ");
		ks_escape_text(b, last, strlen(last));
	}
	if (json_is_integer(json_object_get(f, "count")))
		ks_buf_addf(b, ", %lld %s", (long long)json_integer_value(
		    json_object_get(f, "count")), t->events);
	if (src != NULL) {
		ks_buf_adds(b, ", source ");
		ks_escape_text(b, src, strlen(src));
	}
	ks_buf_addc(b, '\n');
	json_array_foreach(json_object_get(f, "evidence"), i, ev) {
		const char *text = ks_hub_jstr(ev, "text");

		if (text != NULL && i < EVIDENCE_SHOWN)
			line(logs, "  ", text);
	}
	json_decref(f);
}

/* Adds a log line unless the same text is there already. */
static void
add_log(struct ks_buf *logs, const char *text)
{
	struct ks_buf one;

	ks_buf_init(&one);
	line(&one, "  ", text);
	if (!one.failed && (logs->len == 0 || memmem(logs->p, logs->len,
	    one.p, one.len) == NULL))
		ks_buf_add(logs, one.p, one.len);
	ks_buf_free(&one);
}

/* The elements of r that s may see, by kind. */
static void
visible_elements(struct ks_buf *b, const struct incident *x,
    const struct nrep *r, const struct nsite *s, const struct texts *t)
{
	struct ks_buf find, logs, sys, notes, tmp;

	ks_buf_init(&find);
	ks_buf_init(&logs);
	ks_buf_init(&sys);
	ks_buf_init(&notes);
	ks_buf_init(&tmp);
	for (size_t k = 0; k < r->nel; k++) {
		const struct ks_hub_element *e = &r->el[k];

		if (!may_see(x, e->tlp, r, s))
			continue;
		if (e->kind == KS_EL_FINDING) {
			ks_buf_reset(&tmp);
			finding_text(&find, &tmp, e, t);
			for (char *p = tmp.p, *nl; p != NULL &&
			    p < tmp.p + tmp.len; p = nl + 1) {
				nl = memchr(p, '\n', (size_t)(tmp.p + tmp.len - p));
				*nl = '\0';
				add_log(&logs, p + 2);
			}
		} else if (e->kind == KS_EL_EXCERPT) {
			add_log(&logs, e->body);
		} else if (e->kind == KS_EL_SYSTEM) {
			line(&sys, "  - ", e->title ? e->title : e->body);
		} else if (e->kind == KS_EL_DESCRIPTION) {
			line(&notes, "  ", e->body);
		}
	}
	if (find.len > 0) {
		ks_buf_adds(b, t->findings);
		ks_buf_add(b, find.p, find.len);
	}
	if (logs.len > 0) {
		ks_buf_adds(b, t->logs);
		ks_buf_add(b, logs.p, logs.len);
	}
	if (sys.len > 0) {
		ks_buf_adds(b, t->systems);
		ks_buf_add(b, sys.p, sys.len);
	}
	if (notes.len > 0) {
		ks_buf_adds(b, t->notes);
		ks_buf_add(b, notes.p, notes.len);
	}
	ks_buf_free(&find);
	ks_buf_free(&logs);
	ks_buf_free(&sys);
	ks_buf_free(&notes);
	ks_buf_free(&tmp);
}

static const struct ks_hub_element *
contact_of(const struct nrep *r)
{
	for (size_t k = 0; k < r->nel; k++)
		if (r->el[k].kind == KS_EL_CONTACT)
			return &r->el[k];
	return NULL;
}

/* "report 3 ...": how r relates to the site's own reports. */
static void
relation(struct ks_buf *b, const struct incident *x, const struct nrep *r,
    const struct nsite *s, const struct texts *t)
{
	for (size_t i = 0; i < r->links.n; i++) {
		const struct ks_hub_link *l = &r->links.v[i];

		for (size_t k = 0; k < x->nr; k++)
			if (x->r[k].id == l->report_id &&
			    x->r[k].reporter == s->id &&
			    l->why == KS_WHY_SAME_SOURCE) {
				struct ks_buf w;

				ks_buf_init(&w);
				ks_buf_addf(&w, "%s %s", ks_why_name(l->why),
				    l->value);
				ks_buf_addc(&w, '\0');
				if (!w.failed)
					fill(b, t->related, w.p, NULL);
				ks_buf_free(&w);
				return;
			}
	}
}

static size_t
section_other(struct ks_buf *b, const struct incident *x,
    const struct nrep *r, const struct nsite *s, const struct texts *t)
{
	const struct ks_hub_element *c = contact_of(r);
	const struct ks_hub_net *net;
	const struct nsrc *src;
	struct ks_buf who;

	ks_buf_init(&who);
	if (c != NULL && may_see(x, c->tlp, r, s))
		ks_escape_text(&who, c->body, strlen(c->body));
	else
		ks_buf_adds(&who, t->other_site);
	ks_buf_addc(&who, '\0');
	if (!who.failed)
		fill(b, t->from_site, who.p, NULL);
	ks_buf_free(&who);
	if ((net = owned_source(x, r, s, &src)) != NULL) {
		if (may_see(x, src->tlp, r, s))
			fill(b, t->stepping, src->value, net->value);
		else
			fill(b, t->stepping_hidden, net->value, NULL);
	}
	relation(b, x, r, s, t);
	visible_elements(b, x, r, s, t);
	return count_visible(x, r, s, true);
}

/* "2 log line(s), 1 finding(s)" of the elements matching the test. */
static void
kinds_summary(struct ks_buf *b, const struct nrep *r, const bool *pick,
    const struct texts *t)
{
	size_t count[KS_EL_COUNT] = { 0 };
	bool first = true;

	for (size_t k = 0; k < r->nel; k++)
		if (pick[k])
			count[r->el[k].kind]++;
	for (int k = 0; k < KS_EL_COUNT; k++) {
		if (count[k] == 0)
			continue;
		ks_buf_adds(b, first ? "" : t == &ja ? "、" : ", ");
		if (t == &ja)
			ks_buf_addf(b, "%s %zu", t->kind[k], count[k]);
		else
			ks_buf_addf(b, "%zu %s", count[k], t->kind[k]);
		first = false;
	}
	ks_buf_addc(b, '\0');
}

/* How the site s2 is named to r's reporter: by its role, never by name. */
static void
describe_site(struct ks_buf *b, const struct incident *x,
    const struct nrep *r, const struct nsite *s2, const struct texts *t)
{
	const struct nsrc *src;

	if (owned_source(x, r, s2, &src) != NULL)
		fill(b, t->owner_desc, src->value, NULL);
	else
		ks_buf_adds(b, t->other_desc);
	ks_buf_addc(b, '\0');
}

static void
passed_on(struct ks_buf *b, const struct incident *x, const struct nrep *r,
    const struct nsite *s, const struct texts *t, bool *withheld)
{
	bool *pick = calloc(r->nel + 1, sizeof(bool)), any = false;
	struct ks_buf d, k;

	if (pick == NULL)
		return;
	for (size_t i = 0; i < r->nel; i++)
		withheld[i] = r->el[i].kind != KS_EL_ADVICE;
	for (size_t j = 0; j < x->ns; j++) {
		const struct nsite *s2 = &x->s[j];

		if (s2 == s || s2->email == NULL || !has_section(x, r, s2))
			continue;
		for (size_t i = 0; i < r->nel; i++) {
			pick[i] = r->el[i].kind != KS_EL_ADVICE &&
			    may_see(x, r->el[i].tlp, r, s2);
			if (pick[i])
				withheld[i] = false;
		}
		ks_buf_init(&d);
		ks_buf_init(&k);
		describe_site(&d, x, r, s2, t);
		kinds_summary(&k, r, pick, t);
		if (!d.failed && !k.failed && k.p[0] != '\0') {
			fill(b, t->passed_to, d.p, k.p);
			any = true;
		}
		ks_buf_free(&d);
		ks_buf_free(&k);
	}
	if (!any)
		ks_buf_adds(b, t->none_passed);
	free(pick);
}

static void
section_own(struct ks_buf *b, const struct incident *x, const struct nrep *r,
    const struct nsite *s, const struct texts *t)
{
	bool *withheld = calloc(r->nel + 1, sizeof(bool)), any = false;
	struct ks_buf k;

	if (withheld == NULL)
		return;
	fill(b, t->own, num(r->id).s, t == &ja ? ks_cat_jpcert(r->cat) :
	    ks_cat_english(r->cat));
	passed_on(b, x, r, s, t, withheld);
	for (size_t i = 0; i < r->nel; i++)
		any |= withheld[i];
	ks_buf_init(&k);
	kinds_summary(&k, r, withheld, t);
	if (any && !k.failed)
		fill(b, t->withheld, ks_tlp_name(r->tlp), k.p);
	else
		ks_buf_adds(b, t->all_passed);
	ks_buf_free(&k);
	for (size_t j = 0; j < x->ns; j++) {
		const struct nsrc *src;

		if (x->s[j].id != s->id && x->s[j].email != NULL &&
		    owned_source(x, r, &x->s[j], &src) != NULL)
			fill(b, t->contacted, src->value, NULL);
	}
	for (size_t i = 0, head = 0; i < r->nel; i++)
		if (r->el[i].kind == KS_EL_ADVICE) {
			if (head++ == 0)
				ks_buf_adds(b, t->advice);
			line(b, "  - ", r->el[i].body);
		}
	ks_buf_addc(b, '\n');
	free(withheld);
}

/* ---- one draft ---------------------------------------------------------------------------- */

/* An attachment of a draft: its file name and bytes. */
struct att {
	char name[32];
	struct ks_buf data;
};

struct draft {
	struct ks_buf text, passed, withheld;
	struct att *att;
	size_t natt, npassed, nwithheld;
};

/* A new, empty attachment report-N.xml for r; NULL: out of memory. */
static struct ks_buf *
new_attachment(struct draft *d, const struct nrep *r)
{
	struct att *v = reallocarray(d->att, d->natt + 1, sizeof(*v));

	if (v == NULL)
		return NULL;
	d->att = v;
	snprintf(v[d->natt].name, sizeof(v->name), "report-%lld.xml",
	    (long long)r->id);
	ks_buf_init(&v[d->natt].data);
	return &v[d->natt++].data;
}

/* r's original bytes, as the reporter sent them. */
static int
attach_raw(struct incident *x, struct draft *d, const struct nrep *r,
    struct ks_err *err)
{
	struct ks_buf *b = new_attachment(d, r);

	if (b == NULL)
		return ks_err_set(err, "out of memory");
	return ks_hub_report_raw(x->h, r->id, b, err);
}

static const struct nsite *
site_of(const struct incident *x, int64_t id)
{
	for (size_t i = 0; i < x->ns; i++)
		if (x->s[i].id == id)
			return &x->s[i];
	return NULL;
}

/*
 * What s may see of r, as IODEF: the elements and source addresses
 * their levels allow it (not the advice: that is written to r's own
 * reporter, and never counted as passed on), the reporter named only
 * when its contact may be passed on, as section_other names it.
 */
static int
attach_disclosed(struct incident *x, struct draft *d, const struct nrep *r,
    const struct nsite *s, const struct texts *t, size_t *unwritten,
    struct ks_err *err)
{
	const struct ks_hub_element **el = calloc(r->nel + 1, sizeof(*el));
	struct ks_hub_source *src = calloc(r->nsrc + 1, sizeof(*src));
	const struct ks_hub_element *c = contact_of(r);
	const struct nsite *who = c != NULL && may_see(x, c->tlp, r, s) ?
	    site_of(x, r->reporter) : NULL;
	struct ks_hub_disclosed dd = {
		.hash = r->hash, .cat = r->cat, .tlp = r->tlp,
		.site = who ? who->site : NULL,
		.organisation = who ? who->org : NULL,
		.contact_name = who ? who->name : NULL,
		.contact_email = who ? who->email : NULL,
		.contact_phone = who ? who->phone : NULL,
		.contact_tlp = c ? c->tlp : r->tlp, .unnamed = t->other_site,
		.lang = t == &ja ? "ja" : "en", .now_us = x->now_us,
		.el = el, .src = src,
	};
	struct ks_buf *b;
	int rc = -1;

	if (el == NULL || src == NULL || (b = new_attachment(d, r)) == NULL) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < r->nel; k++)
		if (r->el[k].kind != KS_EL_ADVICE &&
		    may_see(x, r->el[k].tlp, r, s))
			el[dd.nel++] = &r->el[k];
	for (size_t k = 0; k < r->nsrc; k++)
		if (may_see(x, r->src[k].tlp, r, s))
			src[dd.nsrc++] = (struct ks_hub_source){
			    r->src[k].value, r->src[k].tlp };
	rc = ks_hub_disclosed_iodef(b, &dd, unwritten, err);
out:
	free(el);
	free(src);
	return rc;
}

/*
 * Does s see all of r: every element and every source address?  Not
 * when r holds more than was loaded: what was not read may be private.
 */
static bool
sees_all(const struct incident *x, const struct nrep *r,
    const struct nsite *s)
{
	if (r->clipped)
		return false;
	for (size_t k = 0; k < r->nel; k++)
		if (!may_see(x, r->el[k].tlp, r, s))
			return false;
	for (size_t k = 0; k < r->nsrc; k++)
		if (!may_see(x, r->src[k].tlp, r, s))
			return false;
	return true;
}

/*
 * r as IODEF in s's draft: the original when r came as IODEF and s may
 * see all of it (the reporter's own bytes are the better evidence),
 * else the part s may see, written anew.
 */
static int
attach_report(struct incident *x, struct draft *d, const struct nrep *r,
    const struct nsite *s, const struct texts *t, struct ks_err *err)
{
	size_t unwritten = 0;

	if (strcmp(r->format, "iodef") == 0 && sees_all(x, r, s)) {
		if (attach_raw(x, d, r, err) < 0)
			return -1;
		ks_buf_adds(&d->text, t->attached);
		return 0;
	}
	if (attach_disclosed(x, d, r, s, t, &unwritten, err) < 0)
		return -1;
	ks_buf_adds(&d->text, t->attached_part);
	if (unwritten > 0)
		fill(&d->text, t->unwritten, num((long long)unwritten).s, NULL);
	return 0;
}

static int
compose(struct incident *x, const struct nsite *s, const struct texts *t,
    struct draft *d, struct ks_err *err)
{
	struct ks_buf *b = &d->text;

	fill(b, t->greeting, s->name ? s->name : s->org ? s->org : s->site,
	    NULL);
	fill(b, t->intro, x->from_name ? x->from_name : x->from_addr,
	    num(x->id).s);
	for (size_t i = 0; i < x->nr; i++) {
		const struct nrep *r = &x->r[i];
		size_t seen, hidden;

		if (r->reporter == s->id)
			continue;
		hidden = count_visible(x, r, s, false);
		if (!has_section(x, r, s)) {
			d->nwithheld += hidden;
			ks_buf_addf(&d->withheld, "report %lld: %zu; ",
			    (long long)r->id, hidden);
			continue;
		}
		seen = section_other(b, x, r, s, t);
		d->npassed += seen;
		d->nwithheld += hidden;
		ks_buf_addf(&d->passed, "report %lld: %zu; ", (long long)r->id,
		    seen);
		ks_buf_addf(&d->withheld, "report %lld: %zu; ",
		    (long long)r->id, hidden);
		if (attach_report(x, d, r, s, t, err) < 0)
			return -1;
		ks_buf_addc(b, '\n');
	}
	for (size_t i = 0; i < x->nr; i++)
		if (x->r[i].reporter == s->id)
			section_own(b, x, &x->r[i], s, t);
	fill(b, t->closing, x->from_name ? x->from_name : x->from_addr, NULL);
	ks_buf_addc(b, '\0');
	ks_buf_addc(&d->passed, '\0');
	ks_buf_addc(&d->withheld, '\0');
	if (b->failed || d->passed.failed || d->withheld.failed)
		return ks_err_set(err, "out of memory");
	return 0;
}

/* outbox/incident-N-SITE.eml, the site's name made safe for a path. */
static void
draft_path(struct ks_buf *b, const char *outbox, int64_t id, const char *site)
{
	ks_buf_addf(b, "%s/incident-%lld-", outbox, (long long)id);
	for (const char *p = site; *p != '\0' && p - site < 64; p++)
		ks_buf_addc(b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || ks_isdigit(*p) || *p == '.' || *p == '-' ?
		    *p : '_');
	ks_buf_adds(b, ".eml");
	ks_buf_addc(b, '\0');
}

static int
write_file(const char *path, const struct ks_buf *b, struct ks_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	size_t done = 0;
	ssize_t w;

	if (fd < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	while (done < b->len) {
		if ((w = write(fd, b->p + done, b->len - done)) < 0) {
			if (errno == EINTR)
				continue;
			ks_err_set(err, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return ks_err_set(err, "%s: %s", path, strerror(errno));
	return 0;
}

static int
record(struct incident *x, const struct nsite *s, const char *path,
    const char *msgid, const char *lang, const struct draft *d,
    struct ks_err *err)
{
	struct ks_stmt *st;
	struct ks_buf note;
	int rc;

	if (ks_store_prepare(x->h->s, "INSERT INTO coordinations(incident_id,"
	    " site, email, at_us, who, path, message_id, lang, passed,"
	    " withheld) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, x->id);
	ks_stmt_bind_str(st, 2, s->site);
	ks_stmt_bind_str(st, 3, s->email);
	ks_stmt_bind_int(st, 4, ks_hub_now_us());
	ks_stmt_bind_str(st, 5, x->h->who);
	ks_stmt_bind_str(st, 6, path);
	ks_stmt_bind_str(st, 7, msgid);
	ks_stmt_bind_str(st, 8, lang);
	ks_stmt_bind_str(st, 9, d->passed.p);
	ks_stmt_bind_str(st, 10, d->withheld.p);
	rc = ks_stmt_run(st, err);
	ks_stmt_free(st);
	if (rc < 0)
		return -1;
	ks_buf_init(&note);
	ks_buf_addf(&note, "%s <%s>: %s", s->site, s->email, path);
	ks_buf_addc(&note, '\0');
	rc = note.failed ? ks_err_set(err, "out of memory") :
	    ks_hub_audit(x->h, x->id, "draft written", note.p, err);
	ks_buf_free(&note);
	return rc;
}

static void
draft_free(struct draft *d)
{
	ks_buf_free(&d->text);
	ks_buf_free(&d->passed);
	ks_buf_free(&d->withheld);
	for (size_t i = 0; i < d->natt; i++)
		ks_buf_free(&d->att[i].data);
	free(d->att);
}

/* The draft's attachments as MIME parts (they point into d). */
static struct ks_mime_part *
mime_parts(const struct draft *d)
{
	struct ks_mime_part *p = calloc(d->natt + 1, sizeof(*p));

	for (size_t i = 0; p != NULL && i < d->natt; i++)
		p[i] = (struct ks_mime_part){ d->att[i].name,
		    "application/xml", d->att[i].data.p, d->att[i].data.len };
	return p;
}

/*
 * The category in the subject: of the site's own report, else of the
 * first report it may see; never one of a report it may not see.
 */
static enum ks_cat
subject_category(const struct incident *x, const struct nsite *s)
{
	for (size_t i = 0; i < x->nr; i++)
		if (x->r[i].reporter == s->id)
			return x->r[i].cat;
	for (size_t i = 0; i < x->nr; i++)
		if (has_section(x, &x->r[i], s))
			return x->r[i].cat;
	return KS_CAT_OTHER;
}

static int
one_draft(struct incident *x, const struct nsite *s,
    const struct ks_hub_notify_opts *o, struct ks_hub_draft *out,
    struct ks_err *err)
{
	const char *lang = o->lang ? o->lang : s->lang && strcmp(s->lang,
	    "ja") == 0 ? "ja" : "en";
	const struct texts *t = strcmp(lang, "ja") == 0 ? &ja : &en;
	struct draft d;
	struct ks_buf subject, msg, path, msgid;
	struct ks_mime_part *parts = NULL;
	const char *at = strchr(x->from_addr, '@');
	enum ks_cat cat;
	int rc = -1;
	bool ok = true;

	memset(&d, 0, sizeof(d));
	ks_buf_init(&subject);
	ks_buf_init(&msg);
	ks_buf_init(&path);
	ks_buf_init(&msgid);
	if (compose(x, s, t, &d, err) < 0)
		goto out;
	cat = subject_category(x, s);
	fill(&subject, t->subject, num(x->id).s, t == &ja ?
	    ks_cat_jpcert(cat) : ks_cat_english(cat));
	ks_buf_addc(&subject, '\0');
	draft_path(&path, o->outbox, x->id, s->site);
	ks_buf_addf(&msgid, "incident-%lld.%lld.%zu@%s", (long long)x->id,
	    (long long)(o->now_us / 1000000), (size_t)(s - x->s),
	    at ? at + 1 : "localhost");
	ks_buf_addc(&msgid, '\0');
	if (subject.failed || path.failed || msgid.failed ||
	    (parts = mime_parts(&d)) == NULL) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	struct ks_mime_msg m = {
		.from_name = x->from_name, .from_addr = x->from_addr,
		.to_name = s->name ? s->name : s->org, .to_addr = s->email,
		.subject = subject.p, .message_id = msgid.p,
		.date_us = o->now_us, .date_off = 0, .text = d.text.p,
		.att = parts, .natt = d.natt,
	};
	if (ks_mime_write(&msg, &m, err) < 0 ||
	    write_file(path.p, &msg, err) < 0 ||
	    record(x, s, path.p, msgid.p, lang, &d, err) < 0)
		goto out;
	out->site = ks_hub_strdup(s->site, &ok);
	out->to = ks_hub_strdup(s->email, &ok);
	out->path = ks_hub_strdup(path.p, &ok);
	out->passed = d.npassed;
	out->withheld = d.nwithheld;
	rc = ok ? 0 : ks_err_set(err, "out of memory");
out:
	draft_free(&d);
	free(parts);
	ks_buf_free(&subject);
	ks_buf_free(&msg);
	ks_buf_free(&path);
	ks_buf_free(&msgid);
	return rc;
}

void
ks_hub_drafts_free(struct ks_hub_drafts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].site);
		free(l->v[i].to);
		free(l->v[i].path);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
all_drafts(struct incident *x, const struct ks_hub_notify_opts *o,
    struct ks_hub_drafts *out, struct ks_err *err)
{
	if ((out->v = calloc(x->ns + 1, sizeof(*out->v))) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < x->ns; i++) {
		if (x->s[i].email == NULL || !ks_mime_addr_ok(x->s[i].email))
			continue;
		if (one_draft(x, &x->s[i], o, &out->v[out->n], err) < 0)
			return -1;
		out->n++;
	}
	return ks_hub_audit(x->h, x->id, "notified", NULL, err);
}

int
ks_hub_notify(struct ks_hub *h, int64_t incident,
    const struct ks_hub_notify_opts *o, struct ks_hub_drafts *out,
    struct ks_err *err)
{
	struct incident x = { .h = h, .id = incident, .now_us = o->now_us };
	bool ok = true;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (load_reports(&x, err) < 0 || load_sites(&x, err) < 0)
		goto out;
	if (x.oom) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	if (o->from != NULL) {
		const char *lt = strrchr(o->from, '<');

		free(x.from_name);
		free(x.from_addr);
		x.from_name = lt ? ks_hub_strndup(o->from, (size_t)(lt - o->from),
		    &ok) : NULL;
		x.from_addr = ks_hub_strndup(lt ? lt + 1 : o->from, lt ?
		    strcspn(lt + 1, ">") : strlen(o->from), &ok);
		for (size_t n = x.from_name ? strlen(x.from_name) : 0;
		    n > 0 && x.from_name[n - 1] == ' '; n--)
			x.from_name[n - 1] = '\0';
	}
	if (!ok || x.from_addr == NULL || !ks_mime_addr_ok(x.from_addr)) {
		ks_err_set(err, _("no sender: give --from \"CSIRT <address>\" "
		    "(or a report naming its recipient)"));
		goto out;
	}
	if (ks_store_begin(h->s, err) < 0)
		goto out;
	if (all_drafts(&x, o, out, err) < 0 || ks_store_commit(h->s, err) < 0) {
		ks_store_rollback(h->s);
		ks_hub_drafts_free(out);
		goto out;
	}
	rc = 0;
out:
	incident_free(&x);
	return rc;
}
