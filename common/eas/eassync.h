/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync check's run, as a device goes through it over one connection:
 * OPTIONS and the protocol version, Provision (policy, then its
 * acknowledgement), FolderSync, Settings UserInformation and, when asked,
 * Sync and GetItemEstimate on one folder. Like a device it provisions
 * again once on 449 or status 142-144 and follows a 451 once; unlike a
 * careless one it never acknowledges a remote wipe. Each step is a
 * sub-check with its time; the first step that fails ends the run. */
#ifndef EAS_SYNCRUN_H
#define EAS_SYNCRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "eas/eascmd.h"
#include "eas/eascode.h"
#include "eas/eassteps.h"
#include "run/run.h"

#define EAS_SYNC_MAX_REQUIRED 16
#define EAS_PUSH_MAX_FOLDERS 8 /* the Inbox and --ping-folder */

/* check_eas_push: what the Ping watches and how long it is held. */
struct eas_push_opts {
	long heartbeat;                                /* --heartbeat, seconds */
	const char *folders[EAS_PUSH_MAX_FOLDERS - 1]; /* --ping-folder, besides the Inbox */
	size_t nfolders;
	bool hold;   /* --hold: no change expected, the Ping must expire */
	int trigger; /* --trigger: EAS_PUSH_TRIGGER_* */
};

enum { EAS_PUSH_TRIGGER_NONE, EAS_PUSH_TRIGGER_ITEM, EAS_PUSH_TRIGGER_SENDMAIL };

/* How the Ping ended. */
enum eas_push_end {
	EAS_PUSH_NONE,    /* no Ping was answered (a step before failed) */
	EAS_PUSH_EXPIRED, /* status 1 after the heartbeat */
	EAS_PUSH_CHANGED, /* status 2: a watched folder changed */
	EAS_PUSH_CUT,     /* closed before the heartbeat ended, no Ping answer */
	EAS_PUSH_FAILED,  /* another status or failure (its sub-check says) */
};

struct eas_push_result {
	enum eas_push_end end;
	double held;      /* seconds the Ping was held */
	char folder[256]; /* status 2: the first changed folder's name */
	char cut_by[330]; /* EAS_PUSH_CUT: what ended it */
	size_t watched;   /* folders the Ping watched */
	int retried;      /* status 7: FolderSync and Ping again */
	/* --trigger: seconds from the change (the Add, the SendMail) to the
	 * Ping's answer and to the item synced down; -1 when not measured. */
	double latency, delivery;
	size_t leftovers; /* test items of earlier runs removed */
};

/* The device in the middle of its run (after FolderSync, Settings and any
 * Sync asked for): its connection and policy key, for a plugin's own
 * commands (check_eas_mailloop). */
struct eas_sync_dev;

/* What the operator asked for. */
struct eas_sync_opts {
	struct eas_device dev;
	enum eas_query_form form;
	int force_version;                          /* --protocol-version, 0: pick */
	int min_version;                            /* --min-version, 0: any */
	const char *sync_folder;                    /* --sync-folder, NULL: no Sync */
	const char *expect_mailbox;                 /* --expect-mailbox */
	const char *require[EAS_SYNC_MAX_REQUIRED]; /* --require-folder */
	size_t nrequire;
	/* A bearer token refused (401) at OPTIONS: the plugin's one refresh
	 * (check/checktoken.c), NULL: none. Returns -1 when the run goes on
	 * (*again: OPTIONS once more with the new token), else the check's
	 * exit code, already printed: the run stops at once (r->stopped). */
	int (*token_again)(void *ctx, bool *again);
	void *token_ctx;
	const struct eas_push_opts *push; /* check_eas_push: prime, then Ping */
	/* After the steps above, as the same device: a plugin's own steps
	 * (eas_sync_dev_command), NULL: none. Returns false when they failed
	 * (their finding noted); the run is done only when it returns true. */
	bool (*then)(struct eas_sync_dev *d, void *ctx);
	void *then_ctx;
};

enum eas_sync_step {
	EAS_STEP_OPTIONS,
	EAS_STEP_PROVISION,
	EAS_STEP_FOLDERSYNC,
	EAS_STEP_SETTINGS,
	EAS_STEP_SYNC,
	EAS_STEP_ESTIMATE,
	EAS_STEP_PING,
	EAS_STEP_TRIGGER, /* the second device's requests */
	EAS_STEP_COUNT
};

/* What the run found. */
struct eas_sync_result {
	bool ran[EAS_STEP_COUNT];
	double time[EAS_STEP_COUNT]; /* seconds, all requests of the step */
	double total;
	bool done;         /* every step passed */
	int stopped;       /* >= 0: token_again ended the check with this code */
	int version;       /* the protocol version used */
	char offered[256]; /* MS-ASProtocolVersions */
	char server[64];   /* MS-Server-ActiveSync */
	bool policy;       /* a policy was provisioned */
	size_t policy_settings;
	bool reprovisioned;
	char moved_to[1024]; /* a 451 sent us here */
	long folders;
	char mailbox[320];
	char folder_name[256]; /* --sync-folder, as found */
	long synced, estimate; /* items: in the window, estimated */
	struct eas_push_result push;
};

/* The device a sync or push check plays, as option rows of a plugin
 * whose context holds a struct eas_sync_opts: AT(field) is the offset of
 * that struct's field in the context. One declaration for both checks. */
#define EAS_SYNC_VERSIONS "12.1, 14.0, 14.1, 16.0 or 16.1"
#define EAS_SYNC_DEVICE_OPTROWS(AT)                                                                                                               \
	{ EAS_OPTROW(                                                                                                                             \
		  "protocol-version", "X.Y",                                                                                                      \
		  "speak this protocol version (12.1, 14.0, 14.1, 16.0, 16.1) instead of the highest both sides offer",                           \
		  EAS_OPT_VALUE, AT(force_version)),                                                                                              \
	  .parse = eas_cmd_version_arg, .what = EAS_SYNC_VERSIONS },                                                                              \
		{ EAS_OPTROW("min-version", "X.Y",                                                                                                \
			     "CRITICAL when the server offers no version this high",                                                              \
			     EAS_OPT_VALUE, AT(min_version)),                                                                                     \
		  .parse = eas_cmd_version_arg, .what = EAS_SYNC_VERSIONS },                                                                      \
		{ EAS_OPTROW(                                                                                                                     \
			  "device-id", "ID",                                                                                                      \
			  "DeviceId (1-32 letters and digits; default derived from the server and the account, so every run is the same device)", \
			  EAS_OPT_STRING, AT(dev.id)),                                                                                            \
		  .valid = eas_device_id_valid, .what = "1 to 32 letters and digits" },                                                           \
		{ EAS_OPTROW("device-type", "TYPE", "DeviceType (default CheckEAS)",                                                              \
			     EAS_OPT_STRING, AT(dev.type)) },                                                                                     \
		{ EAS_OPTROW("user-agent", "UA", "User-Agent (default check-eas/VERSION)",                                                        \
			     EAS_OPT_STRING, AT(dev.user_agent)) },                                                                               \
	{                                                                                                                                         \
		EAS_OPTROW(                                                                                                                       \
			"query-encoding", "plain|base64",                                                                                         \
			"the request query as plain parameters (default) or base64 (MS-ASHTTP)",                                                  \
			EAS_OPT_CHOICE, AT(form)),                                                                                                \
			.words = eas_query_form_words, .values = eas_query_form_values                                                            \
	}

/* Run the steps through run; every finding goes to run->out as a
 * sub-check. */
void eas_sync_run(struct eas_runner *run, const struct eas_sync_opts *so,
		  struct eas_sync_result *r);

/* "options", "provision", ...: step names for perfdata and JSON. */
const char *eas_sync_step_name(enum eas_sync_step s);

/* A device authenticates: --user with a password or a bearer token, or
 * a client certificate. Returns 0, or -1 with the sentence (naming
 * plugin) in err. (common/eas/syncreport.c) */
int eas_sync_creds_given(const struct eas_opts *o, const char *plugin, char *err, size_t errlen);

/* Runs for one device (id), one after the other: two at once would
 * replace each other's policy key and sync state on the server. Takes the
 * lock device-ID in --state-dir. Returns 0 with the lock held (the wait
 * in -v), 1 when -t ran out while waiting (the state and words in
 * run->out), or -1 with the sentence in err. (common/eas/syncreport.c) */
int eas_sync_lock(struct eas_runner *run, const char *id, struct eas_runlock *l, char *err,
		  size_t errlen);
/* The run's perfdata (time against -w/-c, each step's time, folders,
 * items), the device in -v (derived: how its ID came about, "" when
 * given) and device, protocol version, mailbox and move in JSON. */
void eas_sync_report(struct eas_runner *run, const struct eas_sync_opts *so, const char *derived,
		     const struct eas_sync_result *r);

/* The address a device sends its test messages to, its own mailbox:
 * the one Settings named (--expect-mailbox before 14.1), else user when
 * it is an address; NULL: none. */
const char *eas_sync_own_address(const struct eas_sync_result *r, const char *user);

/* A message for SendMail: its ClientId and the whole MIME text. The
 * request is built in one place (eas_sr_prepare_sendmail), in the form
 * the protocol version asks for. */
struct eas_sendmail_msg {
	const char *client_id;
	const char *mime;
	size_t len;
};

/* One command of a plugin's own steps: body() writes the request,
 * read() reads the answer (root NULL: an empty answer, HTTP 200 without
 * a body) and returns its Status, or -2 with one sentence in err. The
 * Status is judged by table's words (and the common ones). */
struct eas_sync_cmdspec {
	const char *cmd; /* "SendMail", "Sync", ... */
	enum eas_cmd table;
	void (*body)(void *ctx, struct eas_wbxml_writer *w);
	int (*read)(void *ctx, const struct eas_wbxml_node *root, char *err, size_t errlen);
	void *ctx;
	const struct eas_sendmail_msg *mail; /* SendMail: its message; body NULL */
};
/* Send it as the device, in step (its time counted there); provisions
 * again once when asked. Returns false with the finding noted. */
bool eas_sync_dev_command(struct eas_sync_dev *d, enum eas_sync_step step,
			  const struct eas_sync_cmdspec *spec);
/* A request of a plugin's own beside the device's connection (the mail
 * loop's SMTP relay): req as the check's transport (--ca-file,
 * --insecure, --tls-*, --resolve, ...) for the caller to complete. */
void eas_sync_dev_transport(const struct eas_sync_dev *d, struct eas_request *req);
/* Send it on a fresh connection through the runner (named name in
 * timeouts, its time counted in step, its details in -v; a failure
 * without an answer noted as "NAME: words"). Returns as eas_run_step;
 * the caller frees res. */
int eas_sync_dev_request(struct eas_sync_dev *d, enum eas_sync_step step, const char *name,
			 struct eas_request *req, struct eas_response *res);
/* The folders FolderSync listed. */
const struct eas_foldersync_answer *eas_sync_dev_folders(const struct eas_sync_dev *d);
/* A step's finding, as a sub-check (and in -v). */
void eas_sync_dev_note(struct eas_sync_dev *d, enum eas_sync_step step, enum eas_state s,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
