/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The authenticated OPTIONS request of the authentication checks (no
 * device partnership is created): the target and the credentials chosen
 * for one probe. */
#ifndef EAS_AUTHREQUEST_H
#define EAS_AUTHREQUEST_H

#include <stddef.h>

#include "auth/authverdict.h"
#include "run/run.h"
#include "cli/cli.h"
#include "http/http.h"

/* req (URL into urlbuf, which must outlive req) for o's target, carrying
 * the credentials in creds_mask (EAS_CRED_*). Returns 0, or -1 with one
 * line in err (plain http refused, ...). */
int eas_auth_request(const struct eas_opts *o, const struct eas_creds *c, unsigned creds_mask,
		     struct eas_request *req, char *urlbuf, size_t urlsize, char *err,
		     size_t errlen);

/* Returns 0 when c holds a user and a password, else -1 with one line in
 * err saying what is missing and where a password may come from. */
int eas_auth_need_basic(const struct eas_creds *c, char *err, size_t errlen);

/* Returns 0 when c holds a bearer token, else -1 with one line in err
 * naming the options that give one. */
int eas_auth_need_bearer(const struct eas_creds *c, char *err, size_t errlen);

#endif
