/*
 * rules.c - `kansatsu rules`: what the rule set holds, and whether each
 * rule still does what its samples say.
 *
 *   rules list              id, level, classification, title, file
 *   rules test              every rule's own samples (the test suite runs
 *                           this over the bundled set)
 *   rules test RULE.yml [SAMPLE]
 *                           RULE.yml's samples; with SAMPLE (a file or -),
 *                           each line of it framed, decoded and matched,
 *                           printed with its fields and the rules that
 *                           fired, as wazuh-logtest does for OSSEC rules
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "detect/detect.h"
#include "pipeline/pipeline.h"
#include "util/i18n.h"

static const char *const usage_rules = N_(
"usage: kansatsu rules list [--rules PATH]... [--no-bundled-rules]\n"
"       kansatsu rules test [--rules PATH]... [RULE.yml [SAMPLE]]\n"
"       kansatsu rules pot [--rules PATH]... [--no-bundled-rules]\n"
"\n"
"list   the rules: id, level, type, title and file\n"
"test   run each rule's samples (kansatsu.samples: match, nomatch);\n"
"       with RULE.yml only that rule's, and with SAMPLE (a log file or -)\n"
"       show each line's event, decoded fields and the rules that fired\n"
"pot    the rules' titles and advice as a gettext template, to translate\n");

struct rules_opts {
	const char **paths;
	size_t npaths;
	bool bundled;
};

static int
rules_list(const struct ks_ruleset *rs)
{
	struct ks_buf b;

	ks_buf_init(&b);
	for (size_t i = 0; i < ks_ruleset_size(rs); i++) {
		const struct ks_rule_info *in = ks_ruleset_info(rs, i);

		ks_buf_addf(&b, "%-32s %-8s %-20s %s\n", in->id, in->severity,
		    in->type, in->title);
	}
	ks_buf_flush(&b, STDOUT_FILENO);
	ks_buf_free(&b);
	return KS_EXIT_OK;
}

/* A PO string: quoted, with C escapes for what PO escapes. */
static void
po_str(struct ks_buf *b, const char *s)
{
	ks_buf_addc(b, '"');
	for (; *s != '\0'; s++)
		switch (*s) {
		case '"': ks_buf_adds(b, "\\\""); break;
		case '\\': ks_buf_adds(b, "\\\\"); break;
		case '\n': ks_buf_adds(b, "\\n"); break;
		case '\t': ks_buf_adds(b, "\\t"); break;
		default: ks_buf_addc(b, *s);
		}
	ks_buf_addc(b, '"');
}

/* The rule file's path from its "rules/" directory on, as in the tree. */
static const char *
po_ref(const char *path)
{
	const char *p = path, *hit = NULL;

	while ((p = strstr(p, "rules/")) != NULL) {
		if (p == path || p[-1] == '/')
			hit = p;
		p++;
	}
	return hit != NULL ? hit : path;
}

/*
 * The titles and advice of the rules as a PO template: xgettext cannot
 * read YAML, so po/rules.pot is made by this and read by xgettext with
 * the C sources (see po/README.md).  A text used by several rules is
 * one message with several references.
 */
static int
rules_pot(const struct ks_ruleset *rs)
{
	const char **texts = calloc(2 * ks_ruleset_size(rs) + 1,
	    sizeof(char *));
	struct ks_buf b;
	size_t n = 0;

	if (texts == NULL)
		return KS_EXIT_USAGE;
	ks_buf_init(&b);
	ks_buf_adds(&b, "# The titles and advice of kansatsu's rules: "
	    "kansatsu rules pot.\nmsgid \"\"\nmsgstr \"Content-Type: "
	    "text/plain; charset=UTF-8\\n\"\n");
	for (size_t i = 0; i < ks_ruleset_size(rs); i++) {
		const struct ks_rule_info *in = ks_ruleset_info(rs, i);
		const char *t[2] = { in->title, in->advice };

		for (int k = 0; k < 2; k++) {
			size_t j;

			if (t[k] == NULL || t[k][0] == '\0')
				continue;
			for (j = 0; j < n && strcmp(texts[j], t[k]) != 0; j++)
				;
			if (j < n)
				continue;
			texts[n++] = t[k];
			ks_buf_adds(&b, "\n");
			for (size_t m = i; m < ks_ruleset_size(rs); m++) {
				const struct ks_rule_info *o = ks_ruleset_info(rs, m);

				if ((o->title && strcmp(o->title, t[k]) == 0) ||
				    (o->advice && strcmp(o->advice, t[k]) == 0))
					ks_buf_addf(&b, "#: %s\n", po_ref(o->path));
			}
			ks_buf_adds(&b, "msgid ");
			po_str(&b, t[k]);
			ks_buf_adds(&b, "\nmsgstr \"\"\n");
		}
	}
	ks_buf_flush(&b, STDOUT_FILENO);
	ks_buf_free(&b);
	free(texts);
	return KS_EXIT_OK;
}

/* Index of the rule loaded from path, or SIZE_MAX for none or all. */
static size_t
rule_from(const struct ks_ruleset *rs, const char *path)
{
	char rp[PATH_MAX];

	if (path == NULL || realpath(path, rp) == NULL)
		return SIZE_MAX;
	for (size_t i = 0; i < ks_ruleset_size(rs); i++)
		if (strcmp(ks_ruleset_info(rs, i)->path, rp) == 0)
			return i;
	return SIZE_MAX;
}

static int
rules_selftest(const struct ks_ruleset *rs, size_t only)
{
	struct ks_buf report;
	struct ks_err err;
	size_t rules = 0, samples = 0, bad = 0;
	int fails = 0, r;

	ks_buf_init(&report);
	for (size_t i = 0; i < ks_ruleset_size(rs); i++) {
		const struct ks_rule_info *in = ks_ruleset_info(rs, i);

		if (only != SIZE_MAX && i != only)
			continue;
		if ((r = ks_ruleset_selftest(rs, i, &report, &err)) < 0) {
			ks_cli_warn("%s", err.msg);
			ks_buf_free(&report);
			return KS_EXIT_USAGE;
		}
		fails += r;
		bad += r > 0;
		rules++;
		samples += in->nmatch + in->nnomatch;
	}
	ks_buf_addf(&report, _("rules: %zu rules, %zu samples, %d failures\n"
	    "%zu passed, %zu failed\n"), rules, samples, fails, rules - bad, bad);
	ks_buf_flush(&report, STDOUT_FILENO);
	ks_buf_free(&report);
	return fails ? KS_EXIT_FINDINGS : KS_EXIT_OK;
}

/* One sample line: its event and fields, and the rules that match it. */
static void
explain(const struct ks_ruleset *rs, struct ks_framer *fr,
    const struct ks_line *line, struct ks_buf *b)
{
	struct ks_event ev;
	struct ks_fields f;
	size_t hits = 0;

	ks_buf_adds(b, _("line "));
	ks_buf_addu(b, line->no);
	ks_buf_adds(b, ": ");
	ks_escape_text(b, line->p, line->n);
	ks_buf_addc(b, '\n');
	if (!ks_frame_line(fr, line->p, line->n, &ev)) {
		ks_buf_adds(b, _("  not framed: no header format fits\n"));
		return;
	}
	ev.path = "-";
	ev.line = line->no;
	ev.orig_len = line->orig_len;
	ks_decode(&ev, &f);
	ks_buf_addf(b, _("  decoder: %s\n  event: "), ks_decoder_name(f.decoder));
	ks_event_to_json(b, &ev, &f);
	for (size_t i = 0; i < ks_ruleset_size(rs); i++)
		if (ks_ruleset_rule_matches(rs, i, &ev, &f)) {
			ks_buf_addf(b, _("  fired: %s (%s)\n"),
			    ks_ruleset_info(rs, i)->id,
			    ks_ruleset_info(rs, i)->severity);
			hits++;
		}
	if (hits == 0)
		ks_buf_adds(b, _("  fired: no detection rule\n"));
}

static int
rules_explain(const struct ks_ruleset *rs, const char *sample)
{
	struct ks_stream *s;
	struct ks_lines *l;
	struct ks_line line;
	struct ks_tz tz;
	struct ks_framer fr;
	struct ks_err err;
	struct ks_buf b;
	int fd, r;

	fd = strcmp(sample, "-") == 0 ? dup(STDIN_FILENO) : open(sample, O_RDONLY);
	if (fd < 0) {
		ks_cli_warn(_("%s: cannot open"), sample);
		return KS_EXIT_USAGE;
	}
	if (ks_tz_init(&tz, NULL, &err) < 0 || ks_stream_open_fd(&s, fd, &err) < 0 ||
	    ks_lines_open(&l, s, &err) < 0) {
		ks_cli_warn("%s: %s", sample, err.msg);
		return KS_EXIT_USAGE;
	}
	ks_framer_init(&fr, &tz, 2000, true);
	ks_buf_init(&b);
	while ((r = ks_lines_next(l, &line, &err)) > 0) {
		explain(rs, &fr, &line, &b);
		ks_buf_flush(&b, STDOUT_FILENO);
	}
	ks_lines_close(l);
	ks_buf_free(&b);
	if (r < 0) {
		ks_cli_warn("%s: %s", sample, err.msg);
		return KS_EXIT_USAGE;
	}
	return KS_EXIT_OK;
}

static int
parse(int argc, char **argv, struct rules_opts *o)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "no-bundled-rules", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->bundled = true;
	o->npaths = 0;
	if ((o->paths = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return KS_EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		switch (c) {
		case 'r': o->paths[o->npaths++] = optarg; break;
		case 'n': o->bundled = false; break;
		case 'h': fputs(_(usage_rules), stdout); return -1;
		default: fputs(_(usage_rules), stderr); return KS_EXIT_USAGE;
		}
	return 0;
}

int
ks_cmd_rules(int argc, char **argv)
{
	struct rules_opts o;
	struct ks_ruleset *rs = NULL;
	const char *verb, *rule = NULL, *sample = NULL;
	int rc;

	if ((rc = parse(argc, argv, &o)) != 0) {
		free(o.paths);
		return rc < 0 ? KS_EXIT_OK : rc;
	}
	rc = KS_EXIT_USAGE;
	verb = optind < argc ? argv[optind++] : NULL;
	if (optind < argc)
		rule = o.paths[o.npaths++] = argv[optind++];
	if (optind < argc)
		sample = argv[optind++];
	if (verb == NULL || optind < argc || (strcmp(verb, "list") != 0 &&
	    strcmp(verb, "test") != 0 && strcmp(verb, "pot") != 0) ||
	    (rule && strcmp(verb, "test") != 0)) {
		fputs(_(usage_rules), stderr);
		goto out;
	}
	if (ks_cli_load_rules(&rs, o.paths, o.npaths, o.bundled) < 0)
		goto out;
	if (strcmp(verb, "list") == 0)
		rc = rules_list(rs);
	else if (strcmp(verb, "pot") == 0)
		rc = rules_pot(rs);
	else if (sample != NULL)
		rc = rules_explain(rs, sample);
	else if (rule != NULL && rule_from(rs, rule) == SIZE_MAX) {
		ks_cli_warn(_("%s: holds no rule"), rule);
	} else
		rc = rules_selftest(rs, rule_from(rs, rule));
out:
	ks_ruleset_free(rs);
	free(o.paths);
	return rc;
}
