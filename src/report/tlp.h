/*
 * tlp.h - the disclosure levels, system roles and requests that the
 * report writer and the hub share: TLP 2.0 names, the roles of a system
 * in an incident, and what a reporter asks of its CSIRT
 * (docs/report-model.md).  Kept in one header so that a file may use
 * both report.h and hub.h.
 */
#ifndef KS_TLP_H
#define KS_TLP_H

/* TLP 2.0, least restricted first: an element is shown to an audience
   at level L when its own level is <= L. */
enum ks_tlp {
	KS_TLP_CLEAR,
	KS_TLP_GREEN,
	KS_TLP_AMBER,
	KS_TLP_AMBER_STRICT,
	KS_TLP_RED,
};
#define KS_TLP_COUNT 5

/* "CLEAR" .. "RED". */
const char *ks_tlp_name(enum ks_tlp t);
/* A level in any case (TLP 1.0's WHITE for CLEAR); -1 when unknown or
   NULL. */
int ks_tlp_parse(const char *s);

enum ks_role {
	KS_ROLE_SOURCE,         /* the attacker */
	KS_ROLE_TARGET,         /* a system attacked */
	KS_ROLE_INTERMEDIATE,   /* this site's host used as a hop point */
};
/* "source", "target", "intermediate"; parse: -1 when unknown or NULL. */
const char *ks_role_name(enum ks_role r);
int ks_role_parse(const char *s);

/* What the reporter asks of the CSIRT: a bit set. */
enum {
	KS_REQ_INVESTIGATE = 1 << 0,
	KS_REQ_CONTACT_SOURCE = 1 << 1,
	KS_REQ_BLOCK = 1 << 2,
	KS_REQ_NOTHING = 1 << 3,
};
#define KS_REQ_COUNT 4

#endif
