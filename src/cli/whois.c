/*
 * whois.c - `kansatsu whois ADDR...`: the offline attribution that every
 * finding carries, for addresses a person types (or, with -, one per line
 * on stdin, which is also how bench/geo.sh times the look-ups).
 *
 * Nothing is asked of the network: the answer is the location database's,
 * and private or documentation addresses are labelled as such.  Also home
 * of ks_cli_geo, which opens the database for every command the same way.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "geo/geo.h"
#include "util/i18n.h"
#include "util/util.h"

static const char usage_whois[] = N_(
"usage: kansatsu whois [OPTIONS] ADDR...\n"
"       kansatsu whois [OPTIONS] -      (addresses on stdin, one a line)\n"
"\n"
"Prints the country, AS number and name, network and flags (anycast,\n"
"satellite, anonymous-proxy, drop) of each address from the offline IP\n"
"location database, or the kind of special-purpose address it is\n"
"(private, loopback, documentation, ...).  Nothing is sent anywhere.\n"
"\n"
"  --location-db FILE  the location database (default\n"
"                      /usr/share/libloc-location/location.db)\n"
"  --format text|jsonl one line of text, or one JSON object, an address\n"
"  --stats             print cache hits and libloc look-ups on stderr\n"
"  -h, --help          this help\n"
"\n"
"A missing database is noted once on stderr; special-purpose addresses\n"
"are still labelled.  Exit status: 0 all addresses looked up, 2 one was\n"
"not an address.\n");

enum { OPT_DB = 256, OPT_FORMAT, OPT_STATS };

static const struct option long_opts[] = {
	{ "location-db", required_argument, NULL, OPT_DB },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct ks_geo *
ks_cli_geo(const char *path, bool quiet)
{
	struct ks_geo *g;
	struct ks_err err;

	if (ks_geo_open(&g, path, &err) < 0) {
		if (!quiet)
			ks_cli_warn("%s", err.msg);
		return NULL;
	}
	return g;
}

static void
json_member(struct ks_buf *b, const char *key, const char *val, bool num)
{
	if (val[0] == '\0')
		return;
	ks_buf_addf(b, ",\"%s\":", key);
	if (num)
		ks_buf_adds(b, val);
	else
		ks_json_str(b, val, strlen(val));
}

static void
print_json(struct ks_buf *b, const char *addr, const struct ks_geo_info *in)
{
	char asn[16] = "", flags[64];

	ks_buf_adds(b, "{\"ip\":");
	ks_json_str(b, addr, strlen(addr));
	if (in->scope != KS_SCOPE_GLOBAL) {
		ks_buf_adds(b, ",\"network\":{\"scope\":\"");
		ks_buf_adds(b, ks_geo_scope_name(in->scope));
		ks_buf_adds(b, "\"}}\n");
		return;
	}
	if (in->asn != 0)
		snprintf(asn, sizeof(asn), "%u", in->asn);
	ks_geo_flags_str(in->flags, flags, sizeof(flags));
	if (in->cc[0] != '\0') {
		ks_buf_adds(b, ",\"geo\":{\"country_iso_code\":");
		ks_json_str(b, in->cc, strlen(in->cc));
		json_member(b, "country_name", in->country, false);
		ks_buf_addc(b, '}');
	}
	if (in->asn != 0) {
		ks_buf_adds(b, ",\"as\":{\"number\":");
		ks_buf_adds(b, asn);
		if (in->as_name[0] != '\0') {
			ks_buf_adds(b, ",\"organization\":{\"name\":");
			ks_json_str(b, in->as_name, strlen(in->as_name));
			ks_buf_addc(b, '}');
		}
		ks_buf_addc(b, '}');
	}
	if (in->cidr[0] != '\0') {
		ks_buf_adds(b, ",\"network\":{\"cidr\":");
		ks_json_str(b, in->cidr, strlen(in->cidr));
		json_member(b, "flags", flags, false);
		ks_buf_addc(b, '}');
	}
	ks_buf_adds(b, "}\n");
}

/* One address; false when it is not one. */
static bool
whois_one(struct ks_geo *g, struct ks_buf *b, const char *addr, bool jsonl)
{
	struct ks_geo_info in;

	if (!ks_geo_lookup(g, addr, &in))
		return false;
	if (jsonl) {
		print_json(b, addr, &in);
		return true;
	}
	ks_buf_adds(b, addr);
	ks_buf_adds(b, "  ");
	if (g == NULL && in.scope == KS_SCOPE_GLOBAL)
		ks_buf_adds(b, _("not attributed (no location database)"));
	else
		ks_geo_describe(b, &in);
	ks_buf_addc(b, '\n');
	return true;
}

static void
warn_bad(const char *what, size_t n, uint64_t line)
{
	struct ks_buf e;

	ks_buf_init(&e);
	ks_escape_text(&e, what, n);
	ks_buf_addc(&e, '\0');
	if (line > 0)
		ks_cli_warn(_("stdin:%llu: '%s' is not an IP address"),
		    (unsigned long long)line, e.failed ? "" : e.p);
	else
		ks_cli_warn(_("'%s' is not an IP address"),
		    e.failed ? "" : e.p);
	ks_buf_free(&e);
}

/* Addresses from stdin, one a line; the number of bad lines. */
static uint64_t
whois_stdin(struct ks_geo *g, struct ks_buf *b, bool jsonl)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t no = 0, bad = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		no++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (strlen(line) != (size_t)n || !whois_one(g, b, line, jsonl)) {
			if (bad++ < 10)
				warn_bad(line, (size_t)n, no);
		}
		if (b->len >= 64 * 1024 && ks_buf_flush(b, STDOUT_FILENO) < 0)
			break;
	}
	free(line);
	return bad;
}

int
ks_cmd_whois(int argc, char **argv)
{
	const char *db = NULL;
	bool jsonl = false, stats = false;
	struct ks_geo *g;
	struct ks_buf b;
	uint64_t bad = 0, hits, misses;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: db = optarg; break;
		case OPT_STATS: stats = true; break;
		case OPT_FORMAT:
			if (ks_cli_format_opt(optarg, &jsonl) < 0)
				return KS_EXIT_USAGE;
			break;
		case 'h':
			fputs(_(usage_whois), stdout);
			return KS_EXIT_OK;
		default:
			fputs(_(usage_whois), stderr);
			return KS_EXIT_USAGE;
		}
	}
	if (optind == argc) {
		fputs(_(usage_whois), stderr);
		return KS_EXIT_USAGE;
	}
	g = ks_cli_geo(db, false);
	ks_buf_init(&b);
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			bad += whois_stdin(g, &b, jsonl);
		else if (!whois_one(g, &b, argv[i], jsonl) && bad++ < 10)
			warn_bad(argv[i], strlen(argv[i]), 0);
	}
	rc = bad > 0 ? KS_EXIT_USAGE : KS_EXIT_OK;
	if (ks_buf_flush(&b, STDOUT_FILENO) < 0) {
		ks_cli_warn(_("write error on standard output"));
		rc = KS_EXIT_USAGE;
	}
	if (bad > 10)
		ks_cli_warn(_("%llu lines were not IP addresses"),
		    (unsigned long long)bad);
	ks_geo_stats(g, &hits, &misses);
	if (stats)
		fprintf(stderr, _("kansatsu: %llu look-ups, %llu from the "
		    "cache, %llu from libloc\n"),
		    (unsigned long long)(hits + misses),
		    (unsigned long long)hits, (unsigned long long)misses);
	ks_geo_close(g);
	ks_buf_free(&b);
	return rc;
}
