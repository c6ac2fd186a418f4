/*
 * model.c - the report model every input format is read into: names of
 * the enumerations (TLP, roles, kinds, requests, categories), building
 * a report element by element, and finishing it (indicators merged, the
 * category derived).  The parsers of the four formats only fill this in;
 * storing, linking and notifying only read it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "frame/frame.h"
#include "hub/hub_int.h"
#include "util/i18n.h"

int64_t
ks_hub_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *
ks_hub_strndup(const char *s, size_t n, bool *ok)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = malloc(n + 1)) == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
ks_hub_strdup(const char *s, bool *ok)
{
	return s != NULL ? ks_hub_strndup(s, strlen(s), ok) : NULL;
}

/* ---- names ---------------------------------------------------------------- */

const char *
ks_ind_name(enum ks_ind k)
{
	static const char *const names[] = { "ip", "network", "as", "domain",
	    "account" };

	return names[k];
}

static const char *const req_names[] = { "investigate", "contact-source",
    "block", "nothing" };

unsigned
ks_req_parse(const char *s)
{
	for (unsigned i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, req_names[i]) == 0)
			return 1u << i;
	return 0;
}

void
ks_req_format(struct ks_buf *b, unsigned req)
{
	bool first = true;

	for (unsigned i = 0; i < 4; i++)
		if (req & (1u << i)) {
			if (!first)
				ks_buf_addc(b, ' ');
			ks_buf_adds(b, req_names[i]);
			first = false;
		}
}

const char *
ks_elem_name(enum ks_elem e)
{
	static const char *const names[KS_EL_COUNT] = { "finding", "excerpt",
	    "system", "advice", "description", "contact" };

	return names[e];
}

/* ---- categories ------------------------------------------------------------ */

static const struct {
	const char *jpcert, *english, *rsit;
} cats[KS_CAT_COUNT] = {
	[KS_CAT_SCAN] = { "スキャン", N_("scanning"),
	    "information-gathering/scanner" },
	[KS_CAT_INTRUSION] = { "不正侵入", N_("intrusion"),
	    "intrusions/system-compromise" },
	[KS_CAT_STEPPING_STONE] = { "踏み台", N_("stepping stone"),
	    "intrusions/system-compromise" },
	[KS_CAT_RELAY] = { "メール不正中継", N_("spam relay"),
	    "abusive-content/spam" },
	[KS_CAT_DEFACEMENT] = { "Web改ざん", N_("web defacement"),
	    "information-content-security/unauthorised-information-modification" },
	[KS_CAT_DOS] = { "DoS", N_("denial of service"), "availability/dos" },
	[KS_CAT_OTHER] = { "その他", N_("other"), "other/other" },
};

const char *
ks_cat_jpcert(enum ks_cat c)
{
	return cats[c].jpcert;
}

const char *
ks_cat_english(enum ks_cat c)
{
	return cats[c].english;
}

const char *
ks_cat_rsit(enum ks_cat c)
{
	return cats[c].rsit;
}

int
ks_cat_from_jpcert(const char *label)
{
	for (int i = 0; label != NULL && i < KS_CAT_COUNT; i++)
		if (strcmp(label, cats[i].jpcert) == 0)
			return i;
	return -1;
}

enum ks_cat
ks_cat_from_rsit(const char *taxonomy, const char *type, bool intermediate)
{
	if (taxonomy == NULL)
		return KS_CAT_OTHER;
	if (strcmp(taxonomy, "information-gathering") == 0 ||
	    strcmp(taxonomy, "intrusion-attempts") == 0)
		return KS_CAT_SCAN;
	if (strcmp(taxonomy, "intrusions") == 0)
		return intermediate ? KS_CAT_STEPPING_STONE : KS_CAT_INTRUSION;
	if (strcmp(taxonomy, "abusive-content") == 0 && type != NULL &&
	    strcmp(type, "spam") == 0)
		return KS_CAT_RELAY;
	if (strcmp(taxonomy, "information-content-security") == 0 &&
	    type != NULL &&
	    strcmp(type, "unauthorised-information-modification") == 0)
		return KS_CAT_DEFACEMENT;
	if (strcmp(taxonomy, "availability") == 0)
		return KS_CAT_DOS;
	return KS_CAT_OTHER;
}

/* ---- time ------------------------------------------------------------------- */

static bool
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!ks_isdigit(s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int
ks_hub_time_parse(const char *s, int64_t *us, int32_t *off)
{
	int y, mo, d, h, mi, se, oh, om;
	int64_t frac = 0, scale = 1000000;
	const char *p;

	if (s == NULL || strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; ks_isdigit(*p); p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	if (*p == 'Z' || *p == 'z') {
		*off = 0;
		p++;
	} else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
	    p[3] == ':' && digits(p + 4, 2, &om) && oh < 24 && om < 60) {
		*off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	*us = ((ks_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se - *off) * 1000000) + frac;
	return 0;
}

/* ---- the report --------------------------------------------------------------- */

void
ks_hub_report_init(struct ks_hub_report *r)
{
	memset(r, 0, sizeof(*r));
	r->clock_sync = -1;
	r->severity = -1;
	r->tlp = KS_TLP_AMBER;
	r->reporter.tlp = KS_TLP_AMBER;
	r->reporter.contact_tlp = KS_TLP_AMBER;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
ks_hub_profile_free(struct ks_hub_profile *p)
{
	free(p->site);
	free(p->organisation);
	free(p->contact_name);
	free(p->contact_email);
	free(p->contact_phone);
	free(p->timezone);
	free_strv(p->networks, p->nnetworks);
	free_strv(p->domains, p->ndomains);
	free(p->language);
	free(p->recipient_name);
	free(p->recipient_email);
	memset(p, 0, sizeof(*p));
}

struct ks_hub_block {
	struct ks_hub_block *next;
	size_t used, cap;
	char data[];
};

/* Strings up to this size share blocks; a larger one has its own. */
#define BLOCK_SIZE ((size_t)64 << 10)

/* A copy of s[0, n) and a NUL in the report's blocks; NULL: no memory. */
static char *
report_strndup(struct ks_hub_report *r, const char *s, size_t n)
{
	struct ks_hub_block *b = r->strings, *nb;
	char *d;

	if (b == NULL || b->cap - b->used <= n) {
		size_t cap = n + 1 > BLOCK_SIZE / 4 ? n + 1 : BLOCK_SIZE;

		if ((nb = malloc(sizeof(*nb) + cap)) == NULL)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		/* a string of its own goes behind the block being filled */
		if (b != NULL && cap != BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			r->strings = nb;
		}
		b = nb;
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	d[n] = '\0';
	b->used += n + 1;
	return d;
}

void
ks_hub_report_free(struct ks_hub_report *r)
{
	struct ks_hub_block *b, *next;

	ks_hub_profile_free(&r->reporter);
	free(r->taxonomy);
	free(r->type);
	free(r->outcome);
	free(r->discovery);
	free(r->timezone);
	free(r->title);
	free(r->el);
	free(r->ind);
	for (b = r->strings; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	memset(r, 0, sizeof(*r));
}

static char **
copy_strv(char *const *v, size_t n, bool *ok)
{
	char **d;

	if (n == 0)
		return NULL;
	if ((d = calloc(n, sizeof(*d))) == NULL) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = ks_hub_strdup(v[i], ok);
	return d;
}

int
ks_hub_profile_copy(struct ks_hub_profile *d, const struct ks_hub_profile *s)
{
	bool ok = true;

	ks_hub_profile_free(d);
	*d = *s;
	d->site = ks_hub_strdup(s->site, &ok);
	d->organisation = ks_hub_strdup(s->organisation, &ok);
	d->contact_name = ks_hub_strdup(s->contact_name, &ok);
	d->contact_email = ks_hub_strdup(s->contact_email, &ok);
	d->contact_phone = ks_hub_strdup(s->contact_phone, &ok);
	d->timezone = ks_hub_strdup(s->timezone, &ok);
	d->networks = copy_strv(s->networks, s->nnetworks, &ok);
	d->domains = copy_strv(s->domains, s->ndomains, &ok);
	d->language = ks_hub_strdup(s->language, &ok);
	d->recipient_name = ks_hub_strdup(s->recipient_name, &ok);
	d->recipient_email = ks_hub_strdup(s->recipient_email, &ok);
	if (!d->networks)
		d->nnetworks = 0;
	if (!d->domains)
		d->ndomains = 0;
	return ok ? 0 : -1;
}

bool
ks_hub_grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 16;
	if ((p = reallocarray(*v, nc, sz)) == NULL)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

/* A new element at the end of the report, with its title; NULL: no memory. */
static struct ks_hub_element *
new_element(struct ks_hub_report *r, enum ks_elem kind, enum ks_tlp tlp,
    const char *title)
{
	struct ks_hub_element *e;

	if (!ks_hub_grow((void **)&r->el, &r->capel, r->nel, sizeof(*r->el)))
		return NULL;
	e = &r->el[r->nel];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->tlp = tlp;
	if (title != NULL &&
	    (e->title = report_strndup(r, title, strlen(title))) == NULL)
		return NULL;
	r->nel++;
	return e;
}

int
ks_hub_add_element(struct ks_hub_report *r, enum ks_elem kind,
    enum ks_tlp tlp, const char *title, const char *body, size_t bodyn)
{
	struct ks_hub_element *e = new_element(r, kind, tlp, title);

	if (e == NULL)
		return -1;
	if ((e->body = report_strndup(r, body != NULL ? body : "",
	    body != NULL ? bodyn : 0)) == NULL) {
		r->nel--;
		return -1;
	}
	return 0;
}

int
ks_hub_add_indicator(struct ks_hub_report *r, enum ks_ind kind,
    enum ks_role role, enum ks_tlp tlp, const unsigned char *key,
    size_t keylen, const char *value)
{
	struct ks_hub_indicator *in;

	if (!ks_hub_grow((void **)&r->ind, &r->capind, r->nind, sizeof(*r->ind)))
		return -1;
	in = &r->ind[r->nind];
	memset(in, 0, sizeof(*in));
	in->kind = kind;
	in->role = role;
	in->tlp = tlp;
	if (keylen > 0)
		memcpy(in->key, key, keylen);
	in->keylen = keylen;
	in->valuelen = strlen(value);
	if ((in->value = report_strndup(r, value, in->valuelen)) == NULL)
		return -1;
	r->nind++;
	return 0;
}

int
ks_hub_add_element_raw(struct ks_hub_report *r, enum ks_elem kind,
    enum ks_tlp tlp, const char *title, size_t off, size_t len)
{
	struct ks_hub_element *e = new_element(r, kind, tlp, title);

	if (e == NULL)
		return -1;
	e->raw_off = off;
	e->raw_len = len;
	return 0;
}

int
ks_hub_add_contact(struct ks_hub_report *r)
{
	const struct ks_hub_profile *p = &r->reporter;
	struct ks_buf b;
	int rc;

	if (p->contact_email == NULL && p->contact_name == NULL)
		return 0;
	ks_buf_init(&b);
	if (p->organisation != NULL)
		ks_buf_addf(&b, "%s: ", p->organisation);
	if (p->contact_name != NULL)
		ks_buf_adds(&b, p->contact_name);
	if (p->contact_email != NULL)
		ks_buf_addf(&b, "%s<%s>", p->contact_name ? " " : "",
		    p->contact_email);
	if (p->contact_phone != NULL)
		ks_buf_addf(&b, ", %s", p->contact_phone);
	rc = ks_buf_failed(&b) ? -1 : ks_hub_add_element(r, KS_EL_CONTACT,
	    p->contact_tlp, NULL, b.p, b.len);
	ks_buf_free(&b);
	return rc;
}

void
ks_hub_seen(struct ks_hub_report *r, int64_t us)
{
	if (!r->has_times || us < r->first_us)
		r->first_us = us;
	if (!r->has_times || us > r->last_us)
		r->last_us = us;
	r->has_times = true;
}

/* The bytes the database indexes an indicator by (indicators.ikey). */
static const unsigned char *
ind_key(const struct ks_hub_indicator *in, size_t *n)
{
	*n = in->keylen > 0 ? in->keylen : in->valuelen;
	return in->keylen > 0 ? in->key : (const unsigned char *)in->value;
}

/* The order of the indicators table's key (a key is its value's bytes
   or derived one to one from them), then the least restricted first. */
static int
ind_cmp(const void *a, const void *b)
{
	const struct ks_hub_indicator *x = a, *y = b;
	const unsigned char *kx, *ky;
	size_t nx, ny;
	int c;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->role != y->role)
		return (int)x->role - (int)y->role;
	kx = ind_key(x, &nx);
	ky = ind_key(y, &ny);
	if ((c = memcmp(kx, ky, nx < ny ? nx : ny)) != 0)
		return c;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return (int)x->tlp - (int)y->tlp;
}

/*
 * Sorts and keeps one of each (kind, role, value): the least restricted.
 * In the order of the database's keys, so that storing them walks the
 * indexes from one end to the other instead of all over them.
 */
static void
merge_indicators(struct ks_hub_report *r)
{
	size_t w = 0;

	if (r->nind == 0)
		return;
	qsort(r->ind, r->nind, sizeof(*r->ind), ind_cmp);
	for (size_t i = 1; i < r->nind; i++) {
		struct ks_hub_indicator *k = &r->ind[w];

		if (r->ind[i].kind == k->kind && r->ind[i].role == k->role &&
		    r->ind[i].valuelen == k->valuelen &&
		    memcmp(r->ind[i].value, k->value, k->valuelen) == 0)
			continue;
		r->ind[++w] = r->ind[i];
	}
	r->nind = w + 1;
}

static bool
has_intermediate(const struct ks_hub_report *r)
{
	for (size_t i = 0; i < r->nind; i++)
		if (r->ind[i].role == KS_ROLE_INTERMEDIATE)
			return true;
	return false;
}

int
ks_hub_report_finish(struct ks_hub_report *r, struct ks_err *err)
{
	if (r->reporter.site == NULL || r->reporter.site[0] == '\0')
		return ks_err_set(err, _("the report names no reporting site"));
	if (r->reporter.contact_email == NULL ||
	    r->reporter.contact_email[0] == '\0')
		return ks_err_set(err, _("the report names no contact address "
		    "of its reporter"));
	merge_indicators(r);
	/* a report is at least one event, even one that counts none */
	if (r->nevents == 0)
		r->nevents = 1;
	if (!r->has_cat)
		r->cat = ks_cat_from_rsit(r->taxonomy, r->type,
		    has_intermediate(r));
	r->has_cat = true;
	if (!r->has_reported && r->has_times) {
		r->reported_us = r->last_us;
		r->has_reported = true;
	}
	return 0;
}
