/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside eas/: the sync run's state and the steps a device's run is made
 * of (eassync.c), shared with the push run (easpush.c) so that both go
 * through one OPTIONS, Provision, FolderSync and one command loop. */
#ifndef EAS_SYNCRUN_INNER_H
#define EAS_SYNCRUN_INNER_H

#include <stdbool.h>
#include <stddef.h>

#include "eas/eascode.h"
#include "eas/eassteps.h"
#include "eas/eassync.h"

struct eas_syncrun {
	struct eas_runner *run;
	const struct eas_sync_opts *so;
	struct eas_sync_result *r;
	struct eas_conn *conn;
	char base[1024];           /* the EAS URL, changed by a 451 */
	char key[EAS_KEY_MAX + 1]; /* the policy key, "" none */
	bool moved, reprovisioned;
	bool retried;   /* the one start-over after a sibling's disturbance */
	bool disturbed; /* the step failed that way: start it over */
	struct eas_foldersync_answer fs;
	const struct eas_folder *folder; /* --sync-folder; the push run's folder */
	char synckey[EAS_KEY_MAX + 1];
	bool primary_given, has_expected; /* Settings: see mailbox() */
	bool microsoft;                   /* OPTIONS came from IIS/Exchange */
	size_t addresses;
	bool more; /* the push run's priming: MoreAvailable */
	/* A request that ended without an answer, or with an HTTP error:
	 * when set and it returns true, it has noted the finding itself (the
	 * push run names a proxy's cut). */
	bool (*on_fail)(struct eas_syncrun *x, enum eas_sync_step step,
			const struct eas_response *res);
	char judged_extra[200];              /* appended to a judged status's words, once */
	struct eas_sr_side *side;            /* sent alongside the next Ping, then NULL */
	void *push;                          /* the push run's own state */
	struct eas_sync_dev *dev;            /* a plugin's own steps (so->then) */
	const struct eas_sendmail_msg *mail; /* what the next SendMail carries */
};

enum eas_sr_outcome { EAS_SR_ANSWER, EAS_SR_AGAIN, EAS_SR_FAILED };

/* A request sent while the Ping is held (eas_run_step_with): another
 * device's change. */
struct eas_sr_side {
	struct eas_request req;
	struct eas_response res; /* the caller frees it when sent */
	long delay_ms;           /* after the Ping was sent */
	double at;               /* when it started, seconds from the Ping's start; -1 */
	bool sent;               /* the Ping went, with it alongside */
	const char *name;        /* in timeouts; NULL: "trigger Sync" */
};

/* A step's finding, as a sub-check in step order (and in -v). */
void eas_sr_note(struct eas_syncrun *x, enum eas_sync_step step, enum eas_state s, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
/* -vv: the WBXML of a request or an answer. */
void eas_sr_dump(struct eas_syncrun *x, const char *what, const unsigned char *buf, size_t len);
/* The request of one command: target, credentials, query, headers. */
int eas_sr_prepare(struct eas_syncrun *x, const char *cmd, bool with_key,
		   struct eas_wbxml_writer *w, struct eas_request *req, struct eas_cmdreq *c,
		   char *url, size_t urlsize, char *err, size_t errlen);
/* SendMail's request, its one builder (check_eas_mailloop's send, the
 * side request of check_eas_push --trigger sendmail): from 14.0 the WBXML
 * SendMail, before it the message itself as message/rfc822. */
int eas_sr_prepare_sendmail(struct eas_syncrun *x, const struct eas_sendmail_msg *m,
			    struct eas_request *req, struct eas_cmdreq *c, char *url,
			    size_t urlsize, char *err, size_t errlen);
/* Send one command, get its WBXML answer (449 and 451 handled). */
enum eas_sr_outcome eas_sr_exchange(struct eas_syncrun *x, enum eas_sync_step step, const char *cmd,
				    bool with_key, struct eas_wbxml_writer *w,
				    struct eas_wbxml_doc *doc, bool *provision);
/* A command's Status judged by the table. */
enum eas_sr_outcome eas_sr_judge(struct eas_syncrun *x, enum eas_sync_step step, enum eas_cmd table,
				 int status, bool *provision);
/* A command after Provision, body made by body(), answer read by read()
 * (its Status, or -2 with err); provisions again once when asked. */
bool eas_sr_command(struct eas_syncrun *x, enum eas_sync_step step, const char *cmd,
		    enum eas_cmd table,
		    void (*body)(struct eas_syncrun *, struct eas_wbxml_writer *),
		    int (*read)(struct eas_syncrun *, const struct eas_wbxml_node *, char *,
				size_t));
/* Provision, both phases (once more after a sibling). */
bool eas_sr_provision(struct eas_syncrun *x);
/* FolderSync from key 0 into x->fs (once more after a sibling). */
bool eas_sr_foldersync(struct eas_syncrun *x);

/* The push run after FolderSync (easpush.c): prime the watched folders,
 * Ping, and with a trigger the change and its Sync. */
bool eas_push_steps(struct eas_syncrun *x);

#endif
