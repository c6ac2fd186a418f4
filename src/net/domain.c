/*
 * domain.c - host names and networks as the analysis needs them: which
 * domain a name is in (also when the listing cut its end off), which
 * domains are a government's or a military's, which names look like a
 * dial-up pool, and CIDR networks for "local".
 *
 * No name is ever resolved: a listing's names are what the admin's
 * resolver said then, and asking today's DNS would both leak the
 * investigation and answer for a different time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/geo.h"
#include "net/net_int.h"

const char *
ks_name_parent(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static bool
prefix_ci(const char *p, const char *of)
{
	size_t n = strlen(p);

	return n > 0 && strlen(of) >= n && strncasecmp(p, of, n) == 0;
}

bool
ks_name_in_domain(const char *name, bool cut, const char *dom)
{
	size_t n = strlen(name), d = strlen(dom);

	if (d == 0 || n == 0)
		return false;
	if (strcasecmp(name, dom) == 0 ||
	    (n > d && name[n - d - 1] == '.' &&
	    strcasecmp(name + n - d, dom) == 0))
		return true;
	if (!cut)
		return false;
	/* the end was cut off: some tail of labels begins the domain */
	for (const char *dot = strchr(name, '.'); dot != NULL;
	    dot = strchr(dot + 1, '.'))
		if (prefix_ci(dot + 1, dom))
			return true;
	return false;
}

const char *
ks_domain_official(const char *dom)
{
	const char *last = strrchr(dom, '.'), *second;
	size_t n;

	last = last != NULL ? last + 1 : dom;
	if (strcasecmp(last, "mil") == 0)
		return "US military";
	if (strcasecmp(last, "gov") == 0)
		return "US government";
	if (strlen(last) != 2 || last == dom)
		return NULL;
	for (second = last - 1; second > dom && second[-1] != '.'; second--)
		;
	n = (size_t)(last - 1 - second);
	if ((n == 3 && strncasecmp(second, "mil", 3) == 0))
		return "military";
	if ((n == 3 && strncasecmp(second, "gov", 3) == 0) ||
	    (n == 2 && strncasecmp(second, "go", 2) == 0) ||
	    (n == 4 && strncasecmp(second, "gouv", 4) == 0) ||
	    (n == 3 && strncasecmp(second, "gob", 3) == 0))
		return "government";
	return NULL;
}

bool
ks_name_dialup(const char *name)
{
	static const char *const words[] = { "ppp", "dial", "dyn", "pool",
	    "dhcp", "adsl", "dsl", "cable", "modem", "isdn" };
	const char *p;

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcasestr(name, words[i]) != NULL)
			return true;
	for (p = name; (p = strcasestr(p, "pop")) != NULL; p += 3)
		if ((p == name || p[-1] == '.') && ks_isdigit(p[3]))
			return true;
	return false;
}

