/*
 * fuzz_fimconf.c - libFuzzer target for the integrity configuration: the
 * parser (a baseline made with --insecure hands it back whatever is in
 * the file), then the matcher and the roots on the rules it accepted.
 */
#include <stdint.h>
#include <string.h>

#include "integrity/integrity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/", "/usr", "/usr/bin/ls", "/etc/a.conf", "/usr/lib/__pycache__/x",
		"/var/log/wtmp", "/etc/.pwd.lock",
	};
	struct ks_fim_config cfg;
	const char *roots[16];
	uint32_t attrs;

	if (size > 65536 ||
	    ks_fim_config_parse(&cfg, (const char *)data, size, NULL) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		ks_fim_config_match(&cfg, paths[i], strlen(paths[i]), &attrs);
	ks_fim_config_roots(&cfg, roots, 16);
	ks_fim_config_free(&cfg);
	return 0;
}
