/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From the common options to a probe request: URL, address, TLS. */
#ifndef EAS_TARGET_H
#define EAS_TARGET_H

#include <stddef.h>

#include "cli/cli.h"
#include "http/http.h"

/* Fill req (URL into urlbuf) from o; the time it may take is the
 * deadline's to give. Returns 0, or -1 with a reason in err. */
int eas_target_request(const struct eas_opts *o, struct eas_request *req, char *urlbuf,
		       size_t urlsize, char *err, size_t errlen);

/* The transport part alone (TLS, proxy, IP version, name mappings), for
 * requests to URLs the check finds itself. */
void eas_target_transport(const struct eas_opts *o, struct eas_request *req);

#endif
