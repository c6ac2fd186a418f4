/*
 * event_json.c - the `logs --events` view: one event as one JSON object.
 *
 * Field names are those of the findings contract and ECS where they exist
 * (@timestamp, host.name, process.name, process.pid, message,
 * log.file.path, log.file.line), written nested so that `jq .host.name`
 * works.  Fields the line did not carry are left out rather than written
 * empty; the decoded fields (source.ip, user.name, ...) follow.  Every
 * string from the log passes through ks_escape_json.
 */
#include <string.h>

#include "pipeline/pipeline.h"

static const char *
dataset(enum ks_fmt f)
{
	switch (f) {
	case KS_FMT_ACCESS: return "http.access";
	case KS_FMT_APACHE_ERROR: return "apache.error";
	case KS_FMT_NGINX_ERROR: return "nginx.error";
	case KS_FMT_XFERLOG: return "ftp.xferlog";
	case KS_FMT_JOURNAL: return "journald";
	default: return "syslog";
	}
}

static void
key(struct ks_buf *b, const char *k, bool *first)
{
	if (!*first)
		ks_buf_addc(b, ',');
	*first = false;
	ks_buf_addc(b, '"');
	ks_buf_adds(b, k);
	ks_buf_add(b, "\":", 2);
}

static void
syslog_fields(struct ks_buf *b, const struct ks_event *ev)
{
	bool first = true;

	if (ev->facility < 0 && ev->severity < 0 && ev->msgid.n == 0 &&
	    ev->sdata.n == 0)
		return;
	ks_buf_adds(b, ",\"syslog\":{");
	if (ev->facility >= 0) {
		key(b, "facility", &first);
		ks_buf_adds(b, "{\"code\":");
		ks_buf_addi(b, ev->facility);
		ks_buf_addc(b, '}');
	}
	if (ev->severity >= 0) {
		key(b, "severity", &first);
		ks_buf_adds(b, "{\"code\":");
		ks_buf_addi(b, ev->severity);
		ks_buf_addc(b, '}');
	}
	if (ev->msgid.n > 0) {
		key(b, "msgid", &first);
		ks_json_str(b, ev->msgid.p, ev->msgid.n);
	}
	if (ev->sdata.n > 0) {
		key(b, "structured_data", &first);
		ks_json_str(b, ev->sdata.p, ev->sdata.n);
	}
	ks_buf_addc(b, '}');
}

static void
log_fields(struct ks_buf *b, const struct ks_event *ev)
{
	ks_buf_adds(b, ",\"log\":{\"file\":{\"path\":");
	ks_json_str(b, ev->path, strlen(ev->path));
	ks_buf_adds(b, ",\"line\":");
	if (ev->line > 0)
		ks_buf_addu(b, ev->line);
	else
		ks_buf_adds(b, "null");
	ks_buf_addc(b, '}');
	if (ev->cursor != NULL) {
		ks_buf_adds(b, ",\"journal\":{\"cursor\":");
		ks_json_str(b, ev->cursor, strlen(ev->cursor));
		ks_buf_addc(b, '}');
	}
	syslog_fields(b, ev);
	if (ev->orig_len > ev->raw.n) {
		ks_buf_adds(b, ",\"truncated\":true,\"original_length\":");
		ks_buf_addu(b, ev->orig_len);
	}
	ks_buf_addc(b, '}');
}

void
ks_event_to_json(struct ks_buf *b, const struct ks_event *ev,
    const struct ks_fields *f)
{
	ks_buf_adds(b, "{\"@timestamp\":\"");
	ks_time_format(b, ev->ts_us, ev->utc_off);
	ks_buf_addc(b, '"');
	if (ev->host.n > 0) {
		ks_buf_adds(b, ",\"host\":{\"name\":");
		ks_json_str(b, ev->host.p, ev->host.n);
		ks_buf_addc(b, '}');
	}
	if (ev->program.n > 0 || ev->pid >= 0) {
		bool first = true;

		ks_buf_adds(b, ",\"process\":{");
		if (ev->program.n > 0) {
			key(b, "name", &first);
			ks_json_str(b, ev->program.p, ev->program.n);
		}
		if (ev->pid >= 0) {
			key(b, "pid", &first);
			ks_buf_addi(b, ev->pid);
		}
		ks_buf_addc(b, '}');
	}
	ks_buf_adds(b, ",\"message\":");
	ks_json_str(b, ev->message.p, ev->message.n);
	ks_buf_adds(b, ",\"event\":{\"dataset\":\"");
	ks_buf_adds(b, dataset(ev->fmt));
	ks_buf_adds(b, "\",\"format\":\"");
	ks_buf_adds(b, ks_fmt_name(ev->fmt));
	ks_buf_addc(b, '"');
	if (ev->repeat > 0) {
		ks_buf_adds(b, ",\"repeat\":");
		ks_buf_addu(b, ev->repeat);
	}
	if (f != NULL)
		ks_fields_event_members(b, f);
	ks_buf_addc(b, '}');
	log_fields(b, ev);
	if (f != NULL)
		ks_fields_to_json(b, f);
	ks_buf_adds(b, "}\n");
}
