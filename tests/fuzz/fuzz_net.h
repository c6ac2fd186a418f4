/*
 * fuzz_net.h - what the listing fuzzers share: the input read as a
 * listing in one layout (or any), analysed, and every socket shown both
 * ways, so that parser, analysis and writers all see hostile text.
 */
#ifndef KS_FUZZ_NET_H
#define KS_FUZZ_NET_H

#include <stdint.h>
#include <stdlib.h>

#include "net/net.h"

static inline void
fuzz_listing(const uint8_t *data, size_t size, enum ks_net_format f)
{
	struct ks_net_table t;
	struct ks_net_parser p;
	struct ks_net_opts o = { .host = NULL, .fanout = 2 };
	struct ks_findings fs;
	struct ks_err err;
	struct ks_buf b;

	ks_net_table_init(&t, "fuzz");
	ks_net_parser_init(&p, &t, f);
	if (ks_net_parse_buf(&p, (const char *)data, size) < 0)
		abort();
	if (t.n + t.unknown + t.cut > t.lines)
		abort();
	ks_findings_init(&fs);
	if (ks_net_analyze(&t, &o, &fs, &err) < 0)
		abort();
	ks_buf_init(&b);
	for (size_t i = 0; i < t.n; i++) {
		ks_sock_format(&b, &t.v[i]);
		ks_sock_json(&b, &t.v[i]);
		ks_buf_reset(&b);
	}
	ks_buf_free(&b);
	ks_findings_free(&fs);
	ks_net_table_free(&t);
}

#endif
