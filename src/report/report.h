/*
 * report.h - findings written out: JSON Lines by the findings contract
 * (shared/contract/findings.md), or text for a person at a terminal.
 */
#ifndef KS_REPORT_H
#define KS_REPORT_H

#include "detect/detect.h"
#include "util/util.h"

/* One finding as one JSON object and a newline. */
void ks_finding_json(struct ks_buf *b, const struct ks_finding *fd);

/*
 * One finding for a person: a headline with the severity, rule and title,
 * a line with host, parties, time and count, up to `lines` lines of
 * evidence, and the advice.  Everything from the logs is escaped.
 */
void ks_finding_text(struct ks_buf *b, const struct ks_finding *fd,
    size_t lines);

#endif
