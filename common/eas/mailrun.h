/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_mailloop's run: its steps after the sync run's set-up
 * (eas_sync_opts.then), and its state file (one per device: account and
 * server), read and written under the device's lock. */
#ifndef EAS_MAILRUN_H
#define EAS_MAILRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "eas/eassync.h"
#include "eas/mailloop.h"

struct eas_ml_run {
	/* in */
	const char *host; /* in the marker: this monitoring host */
	const char *user; /* where to send when Settings names no address */
	const char *path; /* the state file */
	double lost_after;
	/* --send-smtp: the relay's smtp:// or smtps:// URL, NULL: SendMail;
	 * --smtp-from: the envelope sender, NULL: the mailbox itself. */
	const char *smtp_url, *smtp_from;
	const struct eas_sync_result *r; /* the run's: version, mailbox */
	struct eas_output *out;
	struct eas_ml_state st; /* as loaded; as saved */
	/* out */
	bool sent;
	char marker[EAS_ML_MARKER_MAX];
	size_t collected, pending, lost, leftovers, seen;
	double roundtrip; /* of the newest collected now, -1: none */
	char err[600];
	/* private */
	double newest_collected;
	bool deleting;
	const struct eas_folder *inbox;
	char synckey[EAS_KEY_MAX + 1];
	struct eas_ml_sync sync;
	const char *dels[EAS_ML_ITEMS];
	size_t ndel;
	char client_id[24];
	char mime[1024];
	size_t mimelen;
};

/* The state of device id in the state directory dir (NULL: the default):
 * its path into path, *fresh when there is none yet. Returns 0, or -1
 * with one sentence in err. */
int eas_ml_load(const char *dir, const char *id, struct eas_ml_state *st, bool *fresh, char *path,
		size_t pathsize, char *err, size_t errlen);
/* Replace it (written beside, then renamed). Returns 0, or -1 with err. */
int eas_ml_save(const char *path, const struct eas_ml_state *st, char *err, size_t errlen);
/* The then-hook: ctx is a struct eas_ml_run. */
bool eas_ml_steps(struct eas_sync_dev *d, void *ctx);

#endif
