/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside check/: the token glue (checktoken.c) the life cycle calls. */
#ifndef EAS_CHECK_TOKEN_H
#define EAS_CHECK_TOKEN_H

#include "check/check.h"

/* --oauth-token-cache: the access token into chk->creds, obtained or
 * refreshed when due (refused: the token the server just refused, NULL
 * none). Returns -1 when the check goes on, else the exit code (printed). */
int eas_check_token_flow(struct eas_check *chk, const char *refused);

/* The token's perfdata (token_time, token_lifetime, refresh_token_age), once, at the end:
 * a retry after a 401 replaces the first run's. */
void eas_check_token_perf(struct eas_check *chk);

/* --oauth-rotation-warn: WARNING (the cause first) when the cache's
 * refresh token has not rotated for that many days; called by
 * eas_check_end() before the output. */
void eas_check_token_judge(struct eas_check *chk);

#endif
