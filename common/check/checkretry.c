/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one retry of a step the server refused the cached bearer token for,
 * as TbSync does it: one refresh, one more try, never a loop. */
#include "check/check.h"

int eas_check_run_bearer(struct eas_check *chk, const char *step, struct eas_request *req,
			 struct eas_response *res)
{
	bool again;
	int rc;

	eas_check_run(chk, step, NULL, req, res);
	if (res->fail != EAS_FAIL_NONE || res->status != 401 || req->auth != EAS_HTTPAUTH_BEARER)
		return -1;
	if ((rc = eas_check_token_again(chk, &again)) >= 0) {
		eas_response_free(res);
		return rc;
	}
	if (again) {
		eas_response_free(res);
		req->token = chk->creds.token;
		eas_check_run(chk, step, NULL, req, res);
	}
	return -1;
}
