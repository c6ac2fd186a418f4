/*
 * test_corpus.c - sshguard's own parser test cases (tests/data/corpora,
 * see its README) run through kansatsu's framer and decoders.
 *
 * Each case is a log line, the expected "SERVICE ADDRESS FAMILY DANGER"
 * or "*" (not an attack), and "M".  For every attack line the decoded
 * source.ip must equal the expected address (compared in canonical form,
 * so "2001:0DB8::..." and "::ffff:192.0.2.1" are normalised); "*" lines
 * are not counted.  A line that does not frame is decoded as a bare
 * message of an unknown program, as sshguard reads it.
 *
 * Usage: test_corpus FILE MIN - fails when fewer than MIN attack lines
 * decode, and with -v lists the ones that do not.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static void
canonical(const char *in, char *out, size_t n)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, in, a) == 1)
		inet_ntop(AF_INET, a, out, (socklen_t)n);
	else if (inet_pton(AF_INET6, in, a) == 1)
		inet_ntop(AF_INET6, a, out, (socklen_t)n);
	else
		snprintf(out, n, "%s", in);
}

static bool
decodes_to(struct ks_framer *fr, const char *line, const char *want)
{
	struct ks_event ev;
	struct ks_fields f;
	char w[INET6_ADDRSTRLEN + 128];
	size_t n = strlen(line);

	if (!ks_frame_line(fr, line, n, &ev)) {
		memset(&ev, 0, sizeof(ev));
		ev.message = ks_str_make(line, n);
		ev.raw = ev.message;
		ev.pid = -1;
		ev.facility = ev.severity = -1;
	}
	if (!ks_decode(&ev, &f))
		return false;
	canonical(want, w, sizeof(w));
	return ks_str_eq(f.v[KS_F_SOURCE_IP], w);
}

static void
chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

int
main(int argc, char **argv)
{
	char line[65536], expect[256], mark[16], addr[128];
	struct ks_framer fr;
	struct ks_tz tz;
	unsigned total = 0, ok = 0, min;
	bool verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
	FILE *fp;

	if (argc < 3 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: test_corpus FILE MIN [-v]\n");
		return 2;
	}
	min = (unsigned)strtoul(argv[2], NULL, 10);
	ks_tz_init(&tz, "UTC", NULL);
	ks_framer_init(&fr, &tz, 2020, true);
	while (fgets(line, sizeof(line), fp) != NULL) {
		chomp(line);
		if (line[0] == '#' || line[0] == '\0' || strcmp(line, "M") == 0)
			continue;
		if (fgets(expect, sizeof(expect), fp) == NULL ||
		    fgets(mark, sizeof(mark), fp) == NULL)
			break;
		chomp(expect);
		if (strcmp(expect, "*") == 0 ||
		    sscanf(expect, "%*u %127s", addr) != 1)
			continue;
		total++;
		if (decodes_to(&fr, line, addr))
			ok++;
		else if (verbose)
			printf("missed: %s\n  want %s\n", line, addr);
	}
	fclose(fp);
	printf("sshguard corpus: %u of %u attack lines decoded to their "
	    "source.ip\n", ok, total);
	printf("%u passed, %u failed\n", ok, total - ok);
	return ok >= min ? 0 : 1;
}
