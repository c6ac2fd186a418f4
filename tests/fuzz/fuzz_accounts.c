/*
 * fuzz_accounts.c - libFuzzer target for the account file parsers: the
 * input read as /etc/passwd, /etc/shadow and /etc/group at once (through
 * ks_accounts_parse, which cuts lines, counts malformed ones and indexes
 * names), then every entry looked up by its name and uid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
copy(struct ks_hfile *f, const uint8_t *data, size_t size)
{
	if ((f->p = malloc(size + 1)) == NULL)
		return -1;
	memcpy(f->p, data, size);
	f->p[size] = '\0';
	f->n = size;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_accounts *a = calloc(1, sizeof(*a));

	if (a == NULL || copy(&a->passwd, data, size) < 0 ||
	    copy(&a->shadow, data, size) < 0 || copy(&a->group, data, size) < 0)
		goto out;
	a->have_shadow = a->have_group = true;
	a->uid_min = 1000;
	a->uid_max = 60000;
	if (ks_accounts_parse(a) < 0)
		goto out;
	for (size_t i = 0; i < a->npw; i++) {
		if (ks_accounts_by_name(a, a->pw[i].name) == NULL ||
		    ks_accounts_by_uid(a, a->pw[i].uid) == NULL)
			abort();
		ks_accounts_shadow(a, a->pw[i].name);
		ks_shell_is_login(a->pw[i].shell);
		ks_uid_is_system(a, a->pw[i].uid);
	}
out:
	ks_accounts_free(a);
	return 0;
}
