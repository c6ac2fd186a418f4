/*
 * fuzz_frame.c - libFuzzer target for the line path: the input becomes a
 * file (a memfd) read through the whole pipeline (stream, line cutting,
 * year pre-scan, framing of every format, decoding) with every event
 * written as JSON, in two zones and with the year both inferred and fixed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
to_json(void *ctx, const struct ks_event *ev)
{
	struct ks_buf *b = ctx;
	struct ks_fields f;

	ks_buf_reset(b);
	ks_decode(ev, &f);
	ks_event_to_json(b, ev, &f);
	return 0;
}

static void
run(const uint8_t *data, size_t size, const char *zone, int year)
{
	struct ks_pipeline_opts po;
	struct ks_srcstat st;
	struct ks_tz tz;
	struct ks_buf b;
	struct ks_err err;
	int fd;

	if ((fd = memfd_create("fuzz", 0)) < 0)
		return;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	lseek(fd, 0, SEEK_SET);
	if (ks_tz_init(&tz, zone, &err) < 0)
		abort();
	ks_buf_init(&b);
	memset(&po, 0, sizeof(po));
	memset(&st, 0, sizeof(st));
	po.tz = &tz;
	po.year = year;
	po.since_us = INT64_MIN;
	po.until_us = INT64_MAX;
	po.now_us = 1700000000LL * 1000000;
	po.hostname = "fuzz";
	po.on_event = to_json;
	po.ctx = &b;
	ks_pipeline_read_fd(fd, "fuzz", true, &po, &st, &err);
	if (st.events + st.unparsed != st.lines && !st.skipped && !st.failed)
		abort();
	ks_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, "UTC", 0);
	run(data, size, "-05:30", 2003);
	return 0;
}
