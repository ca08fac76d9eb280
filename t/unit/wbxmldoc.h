/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the unit tests of request bodies: what a WBXML writer made, read
 * back as a document, so a test asserts on elements, not on bytes. */
#ifndef EAS_T_WBXMLDOC_H
#define EAS_T_WBXMLDOC_H

#include <stdlib.h>

#include "eas/wbxml.h"

/* Finish w and decode its bytes into doc (the caller frees doc).
 * 0, or -1 when either step fails. */
static inline int decode(struct eas_wbxml_writer *w, struct eas_wbxml_doc *doc)
{
	unsigned char *buf;
	size_t len;
	char err[160];
	int rc;

	if (eas_wbxml_finish(w, &buf, &len, err, sizeof err))
		return -1;
	rc = eas_wbxml_decode(buf, len, NULL, doc, err, sizeof err);
	free(buf);
	return rc;
}

#endif
