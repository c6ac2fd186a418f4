/*
 * hub.c - opening the hub: the store (SQLite or PostgreSQL), its schema
 * brought up to date, the warninglist with the CSIRT's own entries, and
 * the analyst's name for the audit trail.
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"

int
ks_hub_open(struct ks_hub **out, const struct ks_hub_opts *o,
    struct ks_err *err)
{
	struct ks_hub *h = calloc(1, sizeof(*h));
	bool ok = true;

	*out = NULL;
	if (h == NULL)
		return ks_err_set(err, "out of memory");
	/* before any reading thread: libxml2 initialises itself once */
	xmlInitParser();
	h->max_links = o->max_links > 0 ? o->max_links : 20;
	h->window_us = o->window_us > 0 ? o->window_us :
	    (int64_t)7 * 86400 * 1000000;
	h->who = ks_hub_strdup(o->who != NULL ? o->who : "kansatsu", &ok);
	if (!ok || ks_warninglist_new(&h->wl, err) < 0 ||
	    (o->warninglist != NULL &&
	    ks_warninglist_load(h->wl, o->warninglist, err) < 0) ||
	    ks_store_open(&h->s, o->db, err) < 0 ||
	    ks_hub_migrate(h->s, &h->schema, err) < 0) {
		if (!ok)
			ks_err_set(err, "out of memory");
		ks_hub_close(h);
		return -1;
	}
	*out = h;
	return 0;
}

void
ks_hub_close(struct ks_hub *h)
{
	if (h == NULL)
		return;
	ks_store_close(h->s);
	ks_warninglist_free(h->wl);
	free(h->who);
	free(h);
}

int64_t
ks_hub_schema_version(const struct ks_hub *h)
{
	return h->schema;
}
