/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oauth/: the face of the subsystem, what code outside oauth/ includes.
 * OAuth 2.0 bearer tokens held headless (issue 17):
 *   the refresh-token flow over the step runner: eas_oauth_obtain
 *   the token cache file: eas_oauth_cache_read, _write, _parse, _format,
 *     _fresh
 *   the token endpoint's answer and its errors in words:
 *     eas_oauth_answer_parse, eas_oauth_error_words
 *   the device-code flow of check_eas_oauth_setup: eas_oauth_device_start,
 *     _poll, _parse
 * The token a run sends is a credential of run/creds.h (c->token), put
 * into requests under the credential rule like a password. */
#ifndef EAS_FACE_OAUTH_H
#define EAS_FACE_OAUTH_H

#include "oauth/tokenresp.h"
#include "oauth/tokencache.h"
#include "oauth/oauthflow.h"
#include "oauth/devflow.h"

#endif
