/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside eas/: the push run's state, shared by its Ping (easpush.c) and
 * --trigger item's second device (pushtrigger.c). */
#ifndef EAS_PUSHRUN_INNER_H
#define EAS_PUSHRUN_INNER_H

#include <stdbool.h>
#include <stddef.h>

#include "eas/syncrun.h"

/* The test items of --trigger item carry this in their subject, and a
 * unique part after it: what an interrupted run left is found by it. */
#define EAS_PUSH_MARKER "check-eas push probe "

struct eas_push_state {
	const struct eas_folder *watch[EAS_PUSH_MAX_FOLDERS];
	char keys[EAS_PUSH_MAX_FOLDERS][EAS_KEY_MAX + 1]; /* each one's SyncKey */
	size_t n, cal; /* cal: the Calendar's index, --trigger item */
	struct eas_ping_answer answer;
	bool hierarchy_changed; /* status 7, the first time */
	double t0;              /* the Ping's start, monotonic seconds */
	double wall0;           /* and on the wall clock */
	/* The Syncs' items: test items (by EAS_PUSH_MARKER) and the one sought. */
	char left[EAS_SYNC_MAX_ITEMS][EAS_KEY_MAX + 1];
	size_t nleft;
	const char *marker; /* NULL: none sought */
	bool found;
	char found_id[EAS_KEY_MAX + 1]; /* the sought one's ServerId */
};

/* --trigger item: the second device of the account, its own run. */
struct eas_push_trigger {
	struct eas_syncrun x;
	struct eas_sync_opts so;
	struct eas_sync_result r;
	struct eas_push_state p; /* its Syncs' findings */
	char id[EAS_DEVICE_ID_MAX + 1];
	const struct eas_folder *folder;
	char marker[96];
	struct eas_sr_side side;
	struct eas_cmdreq c;
	char url[2048];
	char added[EAS_KEY_MAX + 1]; /* the item's ServerId, "" none */
};

/* Sync a folder from SyncKey 0 to its end (the Sync body and reader
 * collect test items by their marker into x->push). */
bool eas_push_prime(struct eas_syncrun *x, const struct eas_folder *f);
void eas_push_prime_body(struct eas_syncrun *x, struct eas_wbxml_writer *w);
int eas_push_prime_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
			size_t errlen);

/* The items in p->left (test items of earlier runs) deleted from
 * x->folder by a Sync at x->synckey, counted in step. */
bool eas_push_remove(struct eas_syncrun *x, enum eas_sync_step step);

/* --trigger sendmail: the message the device sends itself. */
struct eas_push_mail {
	char marker[96], client_id[24], mime[1024];
	struct eas_sendmail_msg msg;
	struct eas_sr_side side;
	struct eas_cmdreq c;
	char url[2048];
};

/* pushmail.c: the SendMail made ready beside the next Ping (x->side);
 * its answer; after a Ping that expired, whether the message came at
 * all (the words either way); the message deleted, all released. */
bool eas_push_mail_setup(struct eas_syncrun *x, struct eas_push_mail *m);
bool eas_push_mail_sent(struct eas_syncrun *x, struct eas_push_mail *m);
void eas_push_mail_missing(struct eas_syncrun *x, struct eas_push_state *p,
			   struct eas_push_mail *m);
void eas_push_mail_cleanup(struct eas_syncrun *x, struct eas_push_state *p,
			   struct eas_push_mail *m);

/* pushtrigger.c: the monotonic clock and the wall clock in seconds; the second device set
 * up with its Add ready beside the next Ping (x->side); what the Add
 * brought; the test item (marker) synced down by the monitoring device
 * in its watched folder i from t0 on; the item deleted and everything
 * released. */
double eas_push_now(void);
double eas_push_wall(void);
bool eas_push_trigger_setup(struct eas_syncrun *x, struct eas_push_trigger *t);
bool eas_push_trigger_added(struct eas_syncrun *x, struct eas_push_trigger *t);
bool eas_push_delivered(struct eas_syncrun *x, struct eas_push_state *p, size_t i,
			const char *marker, double t0);
void eas_push_trigger_cleanup(struct eas_syncrun *x, struct eas_push_trigger *t);

#endif
