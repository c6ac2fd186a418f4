/*
 * fuzz_hub_disclose.c - libFuzzer target for the IODEF attachment of a
 * notification, whose elements are other sites' hostile text: findings
 * JSON, systems JSON, log lines.  The input is pieces separated by NUL
 * bytes; a piece's first byte is the element's kind, modulo 6 ('0' a
 * finding, '1' a log line, '2' a system, '4' a description), or a
 * source address when its high bit is set; its second byte the level,
 * modulo 5 ('2' CLEAR, '4' AMBER); the rest the body.
 * Whatever the pieces, the document must be written, and be well-formed
 * XML.
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"

#define PIECES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_hub_element el[PIECES];
	const struct ks_hub_element *shown[PIECES];
	struct ks_hub_source src[PIECES];
	struct ks_hub_disclosed d = { .hash = "sha256:00", .cat = KS_CAT_SCAN,
	    .unnamed = "another site", .lang = "en", .el = shown, .src = src };
	char *copy = malloc(size + 1), *p, *end;
	struct ks_buf b;
	struct ks_err err;
	size_t unwritten;
	xmlDocPtr doc;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy, end = copy + size; p + 2 <= end && d.nel < PIECES &&
	    d.nsrc < PIECES; p += strlen(p) + 1) {
		size_t n = strlen(p);
		enum ks_tlp tlp = (enum ks_tlp)((unsigned char)p[1] %
		    KS_TLP_COUNT);

		if (n < 2)
			continue;
		if ((unsigned char)p[0] & 0x80) {
			src[d.nsrc++] = (struct ks_hub_source){ p + 2, tlp };
			continue;
		}
		el[d.nel] = (struct ks_hub_element){
		    (enum ks_elem)((unsigned char)p[0] % KS_EL_COUNT), tlp,
		    "place", p + 2, 0, 0 };
		shown[d.nel] = &el[d.nel];
		d.nel++;
	}
	ks_buf_init(&b);
	if (ks_hub_disclosed_iodef(&b, &d, &unwritten, &err) < 0)
		abort();
	doc = xmlReadMemory(b.p, (int)b.len, NULL, NULL, XML_PARSE_NONET);
	if (doc == NULL)
		abort();
	xmlFreeDoc(doc);
	ks_buf_free(&b);
	free(copy);
	return 0;
}
