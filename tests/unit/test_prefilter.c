/*
 * test_prefilter.c - the Vectorscan prefilter never changes a result.
 *
 * Every bundled rule is evaluated on every line of the test data (the
 * seed samples, the benign set, the format mix, sshguard's corpus), on
 * every rule's own samples, and on hostile variants of them (case
 * flipped, cut short, control bytes and overlong runs appended), once
 * through the matcher alone and once through the prefilter; the two
 * must agree on each, and so must ks_decode and ks_decode_next (which
 * clears only what the last line set).  Files are named on the command
 * line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/ruleset_int.h"
#include "detect/detect_int.h"

static unsigned long checked, differ, hits;

/* One ks_fields kept across every line, for ks_decode_next. */
static struct ks_fields kept;

static void
same_fields(const struct ks_fields *a, const struct ks_fields *b,
    const char *line, size_t n)
{
	bool same = a->decoder == b->decoder;

	for (int k = 0; same && k < KS_F_COUNT; k++)
		same = a->v[k].n == b->v[k].n && (a->v[k].n == 0 ||
		    memcmp(a->v[k].p, b->v[k].p, a->v[k].n) == 0);
	if (!same) {
		differ++;
		printf("decode_next differs: %.*s\n", (int)n, line);
	}
}

static void
check(const struct ks_ruleset *rs, struct ks_pfscan *ps,
    struct ks_framer *fr, const char *line, size_t n)
{
	struct ks_event ev;
	struct ks_fields f;

	if (!ks_frame_line(fr, line, n, &ev)) {
		memset(&ev, 0, sizeof(ev));
		ev.raw = ev.message = ks_str_make(line, n);
	}
	ks_decode(&ev, &f);
	ks_decode_next(&ev, &kept);
	same_fields(&f, &kept, line, n);
	ks_pfscan_next(ps);
	for (size_t i = 0; i < rs->nrules; i++) {
		bool plain = ks_rule_match(rs->rules[i], &ev, &f);
		bool fast = ks_rule_match_pf(rs->rules[i], &ev, &f, ps);

		checked++;
		hits += plain;
		if (plain != fast) {
			differ++;
			printf("differ (%s, plain %d): %.*s\n",
			    ks_rule_info(rs->rules[i])->id, plain, (int)n, line);
		}
	}
}

/* The line, and variants an attacker might write. */
static void
variants(const struct ks_ruleset *rs, struct ks_pfscan *ps,
    struct ks_framer *fr, const char *line)
{
	static char buf[70000];
	size_t n = strlen(line);

	if (n > 60000)
		n = 60000;
	check(rs, ps, fr, line, n);
	for (size_t i = 0; i < n; i++) {
		char c = line[i];

		buf[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 :
		    c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	check(rs, ps, fr, buf, n);
	check(rs, ps, fr, line, n / 2);
	static const char tail[] =
	    " \x01\x02\x03\x04\x05 %8x%8x%n ^X^X^X^X^X^X^X^X #220#220#220";

	memcpy(buf, line, n);
	memcpy(buf + n, tail, sizeof(tail) - 1);
	check(rs, ps, fr, buf, n + sizeof(tail) - 1);
	memset(buf + n, 'A', 1100);
	check(rs, ps, fr, buf, n + 1100);
}

int
main(int argc, char **argv)
{
	struct ks_ruleset *rs;
	struct ks_pfscan ps;
	struct ks_framer fr;
	struct ks_tz tz;
	struct ks_err err;
	static char line[65536];

	if (argc < 2) {
		fprintf(stderr, "usage: test_prefilter RULES FILE...\n");
		return 2;
	}
	if (ks_ruleset_new(&rs, &err) < 0 ||
	    ks_ruleset_add_path(rs, argv[1], &err) < 0 ||
	    ks_ruleset_finish(rs, &err) < 0 ||
	    ks_pfscan_init(&ps, rs->pf, &err) < 0) {
		fprintf(stderr, "test_prefilter: %s\n", err.msg);
		return 2;
	}
	if (rs->pf == NULL) {
		fprintf(stderr, "test_prefilter: the rules have no message "
		    "tests, nothing to compare\n");
		return 1;
	}
	ks_tz_init(&tz, "UTC", NULL);
	ks_framer_init(&fr, &tz, 2020, true);
	for (size_t i = 0; i < ks_ruleset_size(rs); i++) {
		const struct ks_rule_info *in = ks_ruleset_info(rs, i);

		for (size_t j = 0; j < in->nmatch; j++)
			variants(rs, &ps, &fr, in->match[j]);
		for (size_t j = 0; j < in->nnomatch; j++)
			variants(rs, &ps, &fr, in->nomatch[j]);
	}
	for (int a = 2; a < argc; a++) {
		FILE *fp = fopen(argv[a], "r");

		if (fp == NULL) {
			perror(argv[a]);
			return 2;
		}
		while (fgets(line, sizeof(line), fp) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			variants(rs, &ps, &fr, line);
		}
		fclose(fp);
	}
	printf("prefilter: %lu rule evaluations, %lu matched, %lu differ\n",
	    checked, hits, differ);
	ks_pfscan_free(&ps);
	ks_ruleset_free(rs);
	return differ == 0 && hits > 0 ? 0 : 1;
}
