/* From the common options to a probe request: URL, address, TLS. */
#ifndef EAS_TARGET_H
#define EAS_TARGET_H

#include <stddef.h>

#include "options.h"
#include "probe.h"

/* Fill req (URL into urlbuf) from o. timeout_ms is set a little under -t
 * so that libcurl reports the hung phase before the hard timeout fires.
 * Returns 0, or -1 with a reason in err. */
int eas_target_request(const struct eas_opts *o, struct eas_request *req,
		       char *urlbuf, size_t urlsize, char *err, size_t errlen);

#endif
