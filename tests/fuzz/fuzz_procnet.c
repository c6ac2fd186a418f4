/*
 * fuzz_procnet.c - libFuzzer target for the /proc/net line parsers (tcp,
 * tcp6, udp, raw, unix, packet): each input line is given to every one,
 * and what a parser accepts is shown both ways.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
show(const struct ks_sock *s)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_sock_format(&b, s);
	ks_sock_json(&b, s);
	ks_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct ks_sock s;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	for (int v6 = 0; v6 < 2; v6++)
		for (int k = KS_SOCK_TCP; k <= KS_SOCK_RAW; k++)
			if (ks_net_proc_inet_line(line, (enum ks_sock_kind)k,
			    v6, &s))
				show(&s);
	if (ks_net_proc_unix_line(line, &s))
		show(&s);
	if (ks_net_proc_packet_line(line, &s))
		show(&s);
	free(line);
	return 0;
}
