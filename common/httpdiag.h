/* What an HTTP answer from an EAS endpoint means for an operator. */
#ifndef EAS_HTTPDIAG_H
#define EAS_HTTPDIAG_H

#include <stddef.h>

#include "probe.h"

/* The IIS sub-status (403.7 -> 7) from an IIS error page, or -1. IIS sends
 * the plain status on the wire; the sub-status only appears in the page. */
int eas_iis_substatus(const char *body, long status);

/* One sentence on what res's HTTP answer means, written to buf. substatus
 * as from eas_iis_substatus(). */
void eas_http_meaning(const struct eas_response *res, int substatus,
		      char *buf, size_t size);

/* True when the answer carries the EAS headers Exchange sends to OPTIONS. */
int eas_has_eas_headers(const struct eas_response *res);

#endif
