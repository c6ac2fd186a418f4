/*
 * fuzz_history.c - libFuzzer target for shell histories: each line
 * parsed as bash (with stamp lines) or zsh extended history, classified
 * by the shell-command lexer with the working directory followed from
 * one line to the next through cd, as the history check does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	char cwd[4096] = "/root", next[4096];
	const char *dir = cwd;
	int64_t stamp = 0;
	struct ks_hist_line l;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!ks_hist_parse(p, (size_t)(nl - p), &stamp, &l))
			continue;
		if (l.cmd.n > 0 && (l.cmd.p < p || l.cmd.p + l.cmd.n > nl))
			abort();
		ks_cmd_classify(l.cmd.p, l.cmd.n, dir);
		dir = ks_cmd_cd(l.cmd.p, l.cmd.n, dir, next, sizeof(next));
		if (dir == next) {
			memcpy(cwd, next, sizeof(cwd));
			dir = cwd;
		}
		if (dir != NULL && dir != cwd)
			abort();
	}
	return 0;
}
