/*
 * tamper.c - signs that a log was altered, read from the events'
 * own order, not from any rule: time running backwards inside one file,
 * runs of NUL bytes where lines were overwritten, and a long silence in a
 * file that was busy just before it.  Seed 002 warns that an intruder may
 * have wiped or edited the logs; these are the marks such editing leaves
 * (a wiper that zeroes entries leaves NULs; one that deletes lines leaves
 * a gap; one that pastes lines back leaves time out of order).
 *
 * The state is per source file and small: the last time and a ring of
 * recent times to judge how busy the file was.  Zone-less and journal
 * events are judged alike, on UTC time.
 */
#include <string.h>

#include "detect/detect_int.h"
#include "util/i18n.h"

#define BACKWARDS_US (10 * 60 * 1000000LL)     /* more than disorder */
#define GAP_US (6 * 3600 * 1000000LL)
#define BUSY_EVENTS 100                        /* ... within an hour */
#define BUSY_US (3600 * 1000000LL)
#define NUL_RUN 16

static const struct ks_rule_info infos[] = {
	[KS_TAMPER_BACKWARDS] = {
		.id = "log-time-backwards",
		.title = N_("Time runs backwards inside a log file"),
		.severity = "medium",
		.taxonomy = "information-content-security",
		.type = "unauthorised-information-modification",
		.outcome = "unknown",
		.advice = N_("Compare the file with a copy kept elsewhere (a log "
		    "host, a backup): lines pasted back or edited keep their "
		    "old times. A clock set back shows the same."),
		.path = "(built in)",
	},
	[KS_TAMPER_NUL] = {
		.id = "log-nul-run",
		.title = N_("Run of NUL bytes in a log file"),
		.severity = "medium",
		.taxonomy = "information-content-security",
		.type = "unauthorised-information-modification",
		.outcome = "unknown",
		.advice = N_("NULs where lines were are what a log wiper or an "
		    "unclean shutdown leaves; check the time around them against "
		    "wtmp and a log host."),
		.path = "(built in)",
	},
	[KS_TAMPER_GAP] = {
		.id = "log-silent-gap",
		.title = N_("A busy log file falls silent for hours"),
		.severity = "low",
		.taxonomy = "information-content-security",
		.type = "unauthorised-information-modification",
		.outcome = "unknown",
		.advice = N_("Lines may have been deleted; compare with a log host, "
		    "and with wtmp and the journal for the same hours."),
		.path = "(built in)",
	},
};

const struct ks_rule_info *
ks_tamper_info(enum ks_tamper_kind k)
{
	return &infos[k];
}

void
ks_tamper_reset(struct ks_tamper *t, const char *path)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
}

static bool
nul_run(struct ks_str raw)
{
	size_t run = 0;

	for (size_t i = 0; i < raw.n; i++) {
		run = raw.p[i] == '\0' ? run + 1 : 0;
		if (run >= NUL_RUN)
			return true;
	}
	return false;
}

unsigned
ks_tamper_check(struct ks_tamper *t, const struct ks_event *ev)
{
	unsigned found = 0;
	int64_t oldest;

	if (ev->path != t->path && (ev->path == NULL || t->path == NULL ||
	    strcmp(ev->path, t->path) != 0))
		ks_tamper_reset(t, ev->path);
	if (memchr(ev->raw.p, '\0', ev->raw.n) != NULL && nul_run(ev->raw))
		found |= 1u << KS_TAMPER_NUL;
	if (t->n > 0) {
		if (ev->ts_us < t->last_us - BACKWARDS_US)
			found |= 1u << KS_TAMPER_BACKWARDS;
		oldest = t->ring[t->n < KS_TAMPER_RING ? 0 : t->head];
		if (ev->ts_us - t->last_us > GAP_US && t->n >= BUSY_EVENTS &&
		    t->last_us - oldest <= BUSY_US)
			found |= 1u << KS_TAMPER_GAP;
	}
	if (t->n < KS_TAMPER_RING)
		t->ring[t->n++] = ev->ts_us;
	else {
		t->ring[t->head] = ev->ts_us;
		t->head = (t->head + 1) % KS_TAMPER_RING;
	}
	if (ev->ts_us > t->last_us || t->n == 1)
		t->last_us = ev->ts_us;
	return found;
}
