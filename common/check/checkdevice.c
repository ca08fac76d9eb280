/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The device's part of a plugin's life cycle (check_eas_sync, _push,
 * _mailloop): its identity, its lock, its run with the one token retry. */
#include "check/check.h"

#include "eas/eas.h"

int eas_check_device(struct eas_check *chk, struct eas_sync_opts *so, char *device_id,
		     char *derived, size_t derived_size, struct eas_runlock *lock)
{
	struct eas_request req;
	char url[2048], err[1024];
	int rc;

	if (eas_check_target(chk, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	eas_device_defaults(&so->dev, &chk->creds, url, device_id, derived, derived_size);
	rc = eas_sync_lock(&chk->run, so->dev.id, lock, err, sizeof err);
	if (rc)
		return rc > 0 ? eas_check_end(chk) : eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	return -1;
}

int eas_check_device_run(struct eas_check *chk, struct eas_sync_opts *so, struct eas_runlock *lock,
			 struct eas_sync_result *r)
{
	so->token_again = eas_check_token_hook;
	so->token_ctx = chk;
	eas_sync_run(&chk->run, so, r);
	eas_runlock_release(lock);
	return r->stopped;
}
