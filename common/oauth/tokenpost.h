/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside oauth/: one POST of a form to an endpoint of the authorization
 * server (token, device authorization), for every grant: the credential
 * rule first (the form holds a secret), the server's certificate verified
 * whatever -k says, the answer bounded, through the step runner (so
 * within -t). */
#ifndef EAS_OAUTH_TOKENPOST_H
#define EAS_OAUTH_TOKENPOST_H

#include <stddef.h>

#include "http/http.h"
#include "oauth/tokenresp.h"
#include "run/run.h"

/* Entra ID's endpoints of a tenant (--oauth-tenant). */
#define EAS_ENTRA_TOKEN_URL "https://login.microsoftonline.com/%s/oauth2/v2.0/token"
#define EAS_ENTRA_DEVICE_URL "https://login.microsoftonline.com/%s/oauth2/v2.0/devicecode"

/* Append name=value (value escaped) to the form *body (malloc'd; start
 * with NULL, *len 0). On failure *body becomes NULL for good (the old
 * one wiped). Escaped copies are wiped: a value may be a secret. */
void eas_oauth_form_add(char **body, size_t *len, const char *name, const char *value);

/* POST body to url as step. Returns 0 with res filled (wipe it with
 * eas_oauth_response_free), or -1 with err when the credential rule
 * refuses url (res untouched). */
int eas_oauth_post(struct eas_runner *run, const char *url, const char *step, const char *body,
		   struct eas_response *res, char *err, size_t errlen);
/* The answer read (eas_oauth_answer_parse): one cut short by the probe's
 * bound counts as too long, never as a shorter document. */
enum eas_oauth_answer_kind eas_oauth_answer_read(const struct eas_response *res,
						 struct eas_oauth_answer *a, char *why,
						 size_t whylen);
/* The answer's copy of the tokens in the probe's buffer: wiped, freed. */
void eas_oauth_response_free(struct eas_response *res);

#endif
