/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eas/eassync.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/http.h"
#include "eas/eascode.h"
#include "run/run.h"
#include "eas/eassteps.h"
#include "eas/mailloop.h"
#include "eas/syncrun.h"
#include "util/text.h"

static const char *const step_names[EAS_STEP_COUNT] = {
	"options", "provision", "foldersync", "settings", "sync", "estimate", "ping", "trigger",
};

const char *eas_sync_step_name(enum eas_sync_step s)
{
	return step_names[s];
}

/* A step's finding, as a sub-check in step order. */
void eas_sr_note(struct eas_syncrun *x, enum eas_sync_step step, enum eas_state s, const char *fmt,
		 ...)
{
	char text[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	eas_out_sub(x->run->out, step_names[step], s, step, "%s", text);
	/* In -v, each verdict right after the step's requests. */
	eas_out_detail(x->run->out, "[%s] %s", eas_state_name(s), text);
}

/* -vv: the WBXML of a request or an answer, secrets masked. */
void eas_sr_dump(struct eas_syncrun *x, const char *what, const unsigned char *buf, size_t len)
{
	struct eas_wbxml_doc doc;
	char err[160], *text, *line, *nl;

	if (x->run->o->verbose < 2 || !len)
		return;
	if (eas_wbxml_decode(buf, len, NULL, &doc, err, sizeof err)) {
		eas_out_detail(x->run->out, "%s: %zu bytes, not WBXML (%s)", what, len, err);
		return;
	}
	text = eas_wbxml_dump(doc.root);
	eas_out_detail(x->run->out, "%s:", what);
	for (line = text; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		eas_out_detail(x->run->out, "  %s", line);
		if (!nl)
			break;
	}
	free(text);
	eas_wbxml_doc_free(&doc);
}

/* The request of one command: target, credentials, query, headers. */
int eas_sr_prepare(struct eas_syncrun *x, const char *cmd, bool with_key,
		   struct eas_wbxml_writer *w, struct eas_request *req, struct eas_cmdreq *c,
		   char *url, size_t urlsize, char *err, size_t errlen)
{
	struct eas_runner *run = x->run;

	if (eas_run_target(run, req, url, urlsize, err, errlen)) {
		if (w)
			eas_wbxml_writer_free(w);
		memset(c, 0, sizeof *c);
		return -1;
	}
	if (x->moved) { /* another server: -I and --sni were for the first */
		req->connect_ip = req->connect_host = NULL;
		req->url = x->base; /* for the credential rule */
	}
	if ((run->creds->password || run->creds->token) &&
	    eas_creds_apply_basic_to(run->creds, x->moved ? EAS_CRED_MOVED : run->creds->path, req,
				     err, errlen)) {
		if (w)
			eas_wbxml_writer_free(w);
		memset(c, 0, sizeof *c);
		return -1;
	}
	if (run->creds->id.cert)
		req->identity = &run->creds->id;
	return eas_cmd_prepare(c, req, x->base, &x->so->dev, x->so->form, cmd, x->r->version,
			       with_key && x->key[0] ? x->key : NULL, w, err, errlen);
}

const char *eas_sync_own_address(const struct eas_sync_result *r, const char *user)
{
	const char *a = r->mailbox[0] ? r->mailbox : user;

	return a && strchr(a, '@') ? a : NULL;
}

int eas_sr_prepare_sendmail(struct eas_syncrun *x, const struct eas_sendmail_msg *m,
			    struct eas_request *req, struct eas_cmdreq *c, char *url,
			    size_t urlsize, char *err, size_t errlen)
{
	struct eas_wbxml_writer w;

	if (x->r->version >= 1400) {
		eas_ml_sendmail_body(&w, m->client_id, m->mime, m->len);
		return eas_sr_prepare(x, "SendMail", true, &w, req, c, url, urlsize, err, errlen);
	}
	if (eas_sr_prepare(x, "SendMail", true, NULL, req, c, url, urlsize, err, errlen))
		return -1;
	eas_cmd_rfc822(c, req, m->mime, m->len);
	return 0;
}

/* A 451: the mailbox is on another server (X-MS-Location). Followed once,
 * and only to an https:// URL; the credentials go there only as the
 * credential rule allows (found by redirection: a trusted domain,
 * verified TLS, after its challenge), else the step fails as a device
 * would, with the reason. */
static enum eas_sr_outcome moved(struct eas_syncrun *x, enum eas_sync_step step, const char *cmd,
				 const char *location)
{
	const struct eas_creds *c = x->run->creds;
	struct eas_cred_verdict v;
	char shown[200];

	snprintf(shown, sizeof shown, "%s", location);
	eas_text_clean(shown, 1);
	/* The rule's verdict names a host only for a URL it could read. */
	if (!eas_credrule_is_https(location) || strlen(location) >= sizeof x->base ||
	    (eas_credrule_decide(&c->rule, location, EAS_CRED_MOVED, &v) && !v.host[0])) {
		eas_sr_note(
			x, step, EAS_CRITICAL,
			"%s: the server moved the mailbox (451) to '%s', which is not a valid https URL: devices cannot follow it; check X-MS-Location on the server",
			cmd, shown);
		return EAS_SR_FAILED;
	}
	if ((c->user || c->token || c->id.cert) &&
	    eas_credrule_decide(&c->rule, location, EAS_CRED_MOVED, &v)) {
		eas_sr_note(x, step, EAS_CRITICAL, "%s: the server moved the mailbox (451): %s",
			    cmd, v.why);
		return EAS_SR_FAILED;
	}
	x->moved = true;
	snprintf(x->base, sizeof x->base, "%s", location);
	snprintf(x->r->moved_to, sizeof x->r->moved_to, "%s", x->base);
	return EAS_SR_AGAIN;
}

/* Send one command and get its WBXML answer. EAS_SR_AGAIN: provision first
 * (449), or the mailbox moved (451, followed once): build the request
 * anew and send it again. */
enum eas_sr_outcome eas_sr_exchange(struct eas_syncrun *x, enum eas_sync_step step, const char *cmd,
				    bool with_key, struct eas_wbxml_writer *w,
				    struct eas_wbxml_doc *doc, bool *provision)
{
	struct eas_runner *run = x->run;
	struct eas_request req;
	struct eas_response res;
	struct eas_http_diag d;
	struct eas_cmdreq c;
	char url[2048], err[400];
	enum eas_sr_outcome o = EAS_SR_FAILED;

	memset(doc, 0, sizeof *doc);
	*provision = false;
	if (x->mail && !strcmp(cmd, "SendMail"))
		eas_wbxml_writer_free(w); /* the message decides the body */
	if (x->mail && !strcmp(cmd, "SendMail")
		    ? eas_sr_prepare_sendmail(x, x->mail, &req, &c, url, sizeof url, err,
					      sizeof err)
		    : eas_sr_prepare(x, cmd, with_key, w, &req, &c, url, sizeof url, err,
				     sizeof err)) {
		eas_sr_note(x, step, EAS_UNKNOWN, "%s: %s", cmd, err);
		eas_cmd_free(&c);
		return EAS_SR_FAILED;
	}
	eas_sr_dump(x, cmd, c.body, c.body_len);
	if (x->side && step == EAS_STEP_PING) {
		struct eas_sr_side *sd = x->side;

		x->side = NULL; /* once */
		sd->sent = true;
		eas_run_step_with(run, cmd, x->conn, &req, &res,
				  sd->name ? sd->name : "trigger Sync", &sd->req, &sd->res,
				  sd->delay_ms, &sd->at);
	} else {
		eas_run_step(run, cmd, x->conn, &req, &res);
	}
	x->r->ran[step] = true;
	x->r->time[step] += res.t.total;
	x->r->total += res.t.total;
	eas_report_details(run->out, cmd, &res);
	eas_report_served_step(run->out, cmd, &res);
	if (x->on_fail &&
	    (res.fail != EAS_FAIL_NONE ||
	     (res.status != 200 && eas_http_status_class(res.status) != EAS_HC_PROVISION &&
	      eas_http_status_class(res.status) != EAS_HC_ELSEWHERE)) &&
	    x->on_fail(x, step, &res)) {
		/* noted by the hook */
	} else if (res.fail != EAS_FAIL_NONE) {
		eas_sr_note(x, step, eas_fail_state(res.fail, run->o->timeout_state), "%s: %s", cmd,
			    res.what);
	} else if (res.status == 200) {
		eas_sr_dump(x, "answer", (const unsigned char *)res.body, res.body_len);
		if (eas_cmd_answer(&res, doc, err, sizeof err))
			eas_sr_note(x, step, EAS_CRITICAL, "%s: %s", cmd, err);
		else if (!doc->root && (!strcmp(cmd, "Sync") || !strcmp(cmd, "SendMail")))
			o = EAS_SR_ANSWER; /* [MS-ASCMD] 2.2.1.21.2: no changes (sync_read);
					      2.2.1.17: SendMail's success has no body */
		else if (!doc->root)
			eas_sr_note(x, step, EAS_CRITICAL,
				    "%s: an empty answer where the command's result belongs", cmd);
		else
			o = EAS_SR_ANSWER;
	} else if (eas_http_status_class(res.status) == EAS_HC_PROVISION) {
		*provision = true;
		o = EAS_SR_AGAIN;
	} else if (eas_http_status_class(res.status) == EAS_HC_ELSEWHERE && !x->moved) {
		o = moved(x, step, cmd,
			  res.hdr[EAS_HDR_MS_LOCATION] ? res.hdr[EAS_HDR_MS_LOCATION] : "");
	} else {
		eas_http_diagnose(&res, &d);
		eas_sr_note(x, step, EAS_CRITICAL, "%s: %s", cmd, d.meaning);
	}
	eas_response_free(&res);
	eas_cmd_free(&c);
	return o;
}

/* Another client with our device ID (a second satellite, a run outside
 * the lock) replaces the policy key or resets the sync state under us: a
 * step that fails so starts over, once per run. Returns true when it may
 * (x->disturbed set; why goes to -v). */
static bool eas_sr_start_over(struct eas_syncrun *x, const char *why)
{
	struct timespec ts;
	long ms;
	double pause;

	if (x->retried)
		return false;
	x->retried = x->disturbed = true;
	/* Let the sibling finish its run first: a pause of 0.5 to 2 s that
	 * differs between runs (never more than a quarter of the time left),
	 * or the two would take turns disturbing each other. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	pause = 0.5 + (double)(ts.tv_nsec / 1000 % 1500) / 1000.0;
	if (eas_deadline_left(&ms) && ms && pause > ms / 4000.0)
		pause = ms / 4000.0;
	ts.tv_sec = (time_t)pause;
	ts.tv_nsec = (long)((pause - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
	eas_out_detail(
		x->run->out,
		"%s: another run with this device ID may have disturbed it; starting over once",
		why);
	return true;
}

/* The step failed that way again: the likely cause, and what to do (the
 * table's words in -v). */
static void sibling_note(struct eas_syncrun *x, enum eas_sync_step step, enum eas_cmd table,
			 int status)
{
	char text[400];

	eas_code_explain(table, status, x->so->dev.type, x->so->dev.id, x->microsoft, text,
			 sizeof text);
	eas_out_detail(x->run->out, "%s", text);
	eas_sr_note(
		x, step, EAS_CRITICAL,
		"%s status %d twice: another device with this ID (another satellite?) %s; give each its own --device-id",
		eas_code_cmd_name(table), status,
		eas_code_lookup(table, status)->action == EAS_CA_PROVISION
			? "replaced the policy key"
			: "reset the sync state");
}

/* Take the disturbance flag: true when the failed step runs once more. */
static bool step_again(struct eas_syncrun *x)
{
	bool again = x->disturbed;

	x->disturbed = false;
	return again;
}

/* A command's Status: OK goes on; 142-144 provision again; a wipe or
 * anything else ends the run with the table's words. */
enum eas_sr_outcome eas_sr_judge(struct eas_syncrun *x, enum eas_sync_step step, enum eas_cmd table,
				 int status, bool *provision)
{
	const struct eas_code_meaning *m;
	char text[400];
	enum eas_state s;

	*provision = false;
	if (status < 0) {
		eas_sr_note(x, step, EAS_CRITICAL,
			    "%s: the answer carries no Status: not a valid ActiveSync answer",
			    eas_code_cmd_name(table));
		return EAS_SR_FAILED;
	}
	m = eas_code_lookup(table, status);
	if (m->action == EAS_CA_OK)
		return EAS_SR_ANSWER;
	if (m->action == EAS_CA_PROVISION) {
		*provision = true;
		return EAS_SR_AGAIN;
	}
	eas_code_explain(table, status, x->so->dev.type, x->so->dev.id, x->microsoft, text,
			 sizeof text);
	if (m->flags & EAS_CF_SIBLING) {
		if (!eas_sr_start_over(x, text))
			sibling_note(x, step, table, status);
		return EAS_SR_FAILED;
	}
	s = m->action == EAS_CA_RETRY_LATER ? EAS_WARNING
	    : m->action == EAS_CA_CLIENT    ? EAS_UNKNOWN
					    : EAS_CRITICAL;
	eas_sr_note(x, step, s, "%s%s%s", text, x->judged_extra[0] ? "; " : "", x->judged_extra);
	x->judged_extra[0] = 0;
	return EAS_SR_FAILED;
}

/* A wipe of the whole device, or (16.1) of the account's data on it:
 * either is an order to erase, and a monitor acknowledges neither. */
static void wiped(struct eas_syncrun *x, bool account_only)
{
	eas_sr_note(
		x, EAS_STEP_PROVISION, EAS_CRITICAL,
		"a remote wipe%s was issued for the monitoring device (type %s, ID %s): check-eas never acknowledges it; cancel the wipe request and remove the device partnership",
		account_only ? " of the account (AccountOnlyRemoteWipe)" : "", x->so->dev.type,
		x->so->dev.id);
}

/* What a Status means is the table's (eascode.c), never a number here. */
static bool is_action(enum eas_cmd table, int status, enum eas_code_action action)
{
	return status >= 0 && eas_code_lookup(table, status)->action == action;
}

/* The status orders a wipe (140 today). */
static bool is_wipe(enum eas_cmd table, int status)
{
	return is_action(table, status, EAS_CA_WIPE);
}

/* Provision's own answer asks to provision: nothing left to try, unless
 * a sibling replaced the key between our two phases. */
static bool refused(struct eas_syncrun *x, bool again, enum eas_cmd table, int status)
{
	const char *what = eas_code_cmd_name(table);
	char text[400];

	if (again && (eas_code_lookup(table, status)->flags & EAS_CF_SIBLING)) {
		eas_code_explain(table, status, x->so->dev.type, x->so->dev.id, x->microsoft, text,
				 sizeof text);
		if (!eas_sr_start_over(x, text))
			sibling_note(x, EAS_STEP_PROVISION, table, status);
	} else if (again)
		eas_sr_note(
			x, EAS_STEP_PROVISION, EAS_CRITICAL,
			"Provision: the server refuses the policy acknowledgement it asked for (%s status %d)",
			what, status);
	return false;
}

/* Both phases: get the policy and a temporary key, acknowledge it. */
static bool provision_phases(struct eas_syncrun *x)
{
	const struct eas_devinfo info = {
		.model = "check-eas",
		.friendly_name = "check-eas monitoring",
		.os = "check-eas",
		.user_agent = x->so->dev.user_agent,
	};
	struct eas_provision_answer a;
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc doc;
	char err[320], temp[EAS_KEY_MAX + 1] = "";
	enum eas_sr_outcome o;
	bool again;

	for (int phase = 1; phase <= 2; phase++) {
		/* DeviceInformation is required from 14.1 on, forbidden before;
		 * the acknowledgement carries the temporary key in the header
		 * too. */
		eas_provision_body(&w, phase == 1 ? NULL : temp,
				   x->r->version >= 1401 ? &info : NULL);
		if (phase == 2)
			snprintf(x->key, sizeof x->key, "%s", temp);
		o = eas_sr_exchange(x, EAS_STEP_PROVISION, "Provision", phase == 2, &w, &doc,
				    &again);
		if (o == EAS_SR_AGAIN && !again) {
			phase--; /* followed a 451: this phase again */
			continue;
		}
		if (o != EAS_SR_ANSWER) {
			if (again)
				eas_sr_note(
					x, EAS_STEP_PROVISION, EAS_CRITICAL,
					"Provision: the server asks to provision (449) in answer to Provision itself");
			return false;
		}
		if (eas_provision_parse(doc.root, &a, err, sizeof err)) {
			eas_sr_note(x, EAS_STEP_PROVISION, EAS_CRITICAL, "Provision: %s", err);
			eas_wbxml_doc_free(&doc);
			return false;
		}
		eas_wbxml_doc_free(&doc);
		if (a.remote_wipe || a.account_wipe || is_wipe(EAS_CMD_PROVISION, a.status)) {
			wiped(x, a.account_wipe && !a.remote_wipe);
			return false;
		}
		if (eas_sr_judge(x, EAS_STEP_PROVISION, EAS_CMD_PROVISION, a.status, &again) !=
		    EAS_SR_ANSWER)
			return refused(x, again, EAS_CMD_PROVISION, a.status);
		if (phase == 1 && a.policy_status >= 0 &&
		    (eas_code_lookup(EAS_CMD_POLICY, a.policy_status)->flags & EAS_CF_NO_POLICY)) {
			x->key[0] = 0; /* no policy for us: nothing to acknowledge */
			x->r->policy = false;
			return true;
		}
		if (eas_sr_judge(x, EAS_STEP_PROVISION, EAS_CMD_POLICY, a.policy_status, &again) !=
		    EAS_SR_ANSWER)
			return refused(x, again, EAS_CMD_POLICY, a.policy_status);
		if (!a.policy_key[0]) {
			eas_sr_note(x, EAS_STEP_PROVISION, EAS_CRITICAL,
				    "Provision: the answer carries no policy key");
			return false;
		}
		if (phase == 1) {
			snprintf(temp, sizeof temp, "%s", a.policy_key);
			x->r->policy_settings = a.settings;
		} else {
			snprintf(x->key, sizeof x->key, "%s", a.policy_key);
		}
	}
	x->r->policy = true;
	return true;
}

/* Both phases, from the start once more when a sibling replaced the key
 * between them. */
bool eas_sr_provision(struct eas_syncrun *x)
{
	return provision_phases(x) || (step_again(x) && provision_phases(x));
}

/* A command after Provision, its body made by body(), its answer read by
 * read() (which returns the Status); provisions again once when asked. */
bool eas_sr_command(struct eas_syncrun *x, enum eas_sync_step step, const char *cmd,
		    enum eas_cmd table,
		    void (*body)(struct eas_syncrun *, struct eas_wbxml_writer *),
		    int (*read)(struct eas_syncrun *, const struct eas_wbxml_node *, char *,
				size_t))
{
	for (int tries = 0; tries < 4; tries++) {
		struct eas_wbxml_writer w;
		struct eas_wbxml_doc doc;
		char err[320];
		enum eas_sr_outcome o;
		bool again;
		int status;

		body(x, &w);
		o = eas_sr_exchange(x, step, cmd, true, &w, &doc, &again);
		if (o == EAS_SR_ANSWER) {
			status = read(x, doc.root, err, sizeof err);
			eas_wbxml_doc_free(&doc);
			if (status == -2) {
				eas_sr_note(x, step, EAS_CRITICAL, "%s: %s", cmd, err);
				return false;
			}
			if (is_wipe(table, status)) {
				wiped(x, false);
				return false;
			}
			o = eas_sr_judge(x, step, table, status, &again);
			if (o == EAS_SR_ANSWER)
				return true;
		}
		if (o == EAS_SR_FAILED)
			return false;
		if (again) {
			/* Again after a new Provision: a sibling took the key
			 * (once more), or the server will never be content. */
			if (x->reprovisioned &&
			    !eas_sr_start_over(
				    x,
				    "the server wants the device provisioned again after a new Provision")) {
				eas_sr_note(
					x, step, EAS_CRITICAL,
					"%s: still not provisioned after two new Provisions: another device with this ID (another satellite?) or a server fault",
					cmd);
				return false;
			}
			x->disturbed = false;
			x->reprovisioned = x->r->reprovisioned = true;
			if (!eas_sr_provision(x))
				return false;
		}
	}
	eas_sr_note(x, step, EAS_CRITICAL, "%s: the server sent us around in circles", cmd);
	return false;
}

static void foldersync_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	(void)x;
	eas_foldersync_body(w, "0");
}

static int foldersync_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
			   size_t errlen)
{
	eas_foldersync_free(&x->fs);
	if (eas_foldersync_parse(root, &x->fs, err, errlen))
		return -2;
	return x->fs.status;
}

static void settings_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	(void)x;
	eas_settings_body(w);
}

static int settings_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
			 size_t errlen)
{
	struct eas_settings_answer a;

	if (eas_settings_parse(root, &a, err, errlen))
		return -2;
	snprintf(x->r->mailbox, sizeof x->r->mailbox, "%s", a.primary);
	x->primary_given = a.primary_given;
	x->addresses = a.addresses;
	x->has_expected =
		x->so->expect_mailbox && eas_settings_has_address(root, x->so->expect_mailbox);
	/* UserInformation has a status of its own. */
	return is_action(EAS_CMD_SETTINGS, a.status, EAS_CA_OK) && a.userinfo_status > 0 &&
			       !is_action(EAS_CMD_SETTINGS, a.userinfo_status, EAS_CA_OK)
		       ? a.userinfo_status
		       : a.status;
}

static const char *folder_class(struct eas_syncrun *x)
{
	return x->r->version < 1400 ? eas_folder_class(x->folder->type) : NULL;
}

static void sync_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	eas_sync_body(w, x->synckey, x->folder->id, folder_class(x), 1, NULL, 0);
}

static int sync_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
		     size_t errlen)
{
	struct eas_sync_answer a;

	if (eas_sync_parse(root, &a, err, errlen))
		return -2;
	if (a.empty && !strcmp(x->synckey, "0")) {
		snprintf(err, errlen,
			 "the first Sync (SyncKey 0) got an empty answer: no SyncKey to go on");
		return -2;
	}
	if (a.empty) {
		eas_out_detail(
			x->run->out,
			"Sync: an empty answer, which means no changes since SyncKey %s (MS-ASCMD 2.2.1.21.2)",
			x->synckey);
		x->r->synced = 0;
		return a.status;
	}
	if (is_action(EAS_CMD_SYNC, a.status, EAS_CA_OK) && !a.synckey[0]) {
		snprintf(err, errlen, "the answer carries no SyncKey");
		return -2;
	}
	snprintf(x->synckey, sizeof x->synckey, "%s", a.synckey);
	x->r->synced = a.added + a.changed;
	return a.status;
}

static void estimate_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	eas_estimate_body(w, x->synckey, x->folder->id, folder_class(x));
}

static int estimate_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
			 size_t errlen)
{
	struct eas_estimate_answer a;

	if (eas_estimate_parse(root, &a, err, errlen))
		return -2;
	x->r->estimate = a.estimate;
	return a.status;
}

/* OPTIONS: alive, and the version both sides speak. */
static bool options(struct eas_syncrun *x)
{
	const struct eas_sync_opts *so = x->so;
	struct eas_runner *run = x->run;
	struct eas_request req;
	struct eas_response res;
	struct eas_http_diag d;
	static const char *const headers[] = { "Accept: */*", NULL };
	char url[2048], err[320], v[16], min[16];
	bool ok = false, again = false;

send:
	if (eas_run_target(run, &req, url, sizeof url, err, sizeof err)) {
		eas_sr_note(x, EAS_STEP_OPTIONS, EAS_UNKNOWN, "%s", err);
		return false;
	}
	req.method = "OPTIONS";
	req.headers = headers;
	if ((run->creds->password || run->creds->token) &&
	    eas_creds_apply_basic(run->o, run->creds, &req, err, sizeof err)) {
		eas_sr_note(x, EAS_STEP_OPTIONS, EAS_UNKNOWN, "%s", err);
		return false;
	}
	if (run->creds->id.cert)
		req.identity = &run->creds->id;
	snprintf(x->base, sizeof x->base, "%s", req.url);
	eas_run_step(run, "OPTIONS", x->conn, &req, &res);
	x->r->ran[EAS_STEP_OPTIONS] = true;
	x->r->time[EAS_STEP_OPTIONS] = x->r->total = res.t.total;
	eas_report_details(run->out, "OPTIONS", &res);
	eas_report_served_step(run->out, "OPTIONS", &res);
	/* A cached token revoked or expired before its time: refreshed once,
	 * as a device does, before the 401 counts. */
	if (res.fail == EAS_FAIL_NONE && res.status == 401 && run->creds->token &&
	    so->token_again && !again) {
		x->r->stopped = so->token_again(so->token_ctx, &again);
		if (x->r->stopped >= 0 || again) {
			eas_response_free(&res);
			if (x->r->stopped >= 0)
				return false;
			goto send;
		}
	}
	eas_http_diagnose(&res, &d);
	x->microsoft = eas_from_microsoft(&res);
	if (res.fail != EAS_FAIL_NONE) {
		eas_sr_note(x, EAS_STEP_OPTIONS, eas_fail_state(res.fail, run->o->timeout_state),
			    "OPTIONS: %s", res.what);
		goto out;
	}
	if (d.cls != EAS_HC_EAS) {
		eas_sr_note(x, EAS_STEP_OPTIONS, EAS_CRITICAL, "OPTIONS: %s", d.meaning);
		goto out;
	}
	snprintf(x->r->offered, sizeof x->r->offered, "%s", res.hdr[EAS_HDR_VERSIONS]);
	snprintf(x->r->server, sizeof x->r->server, "%s",
		 res.hdr[EAS_HDR_EAS_SERVER] ? res.hdr[EAS_HDR_EAS_SERVER] : "");
	x->r->version = so->force_version ? so->force_version : eas_cmd_pick_version(x->r->offered);
	/* A device speaks only a version the server offers: so must we. */
	if (so->force_version && !eas_versions_has(x->r->offered, so->force_version)) {
		char list[sizeof x->r->offered * 2];
		size_t o = 0;

		for (const char *p = x->r->offered; *p && o + 3 < sizeof list; p++)
			if (*p != ' ') {
				list[o++] = *p;
				if (*p == ',')
					list[o++] = ' ';
			}
		list[o] = 0;
		eas_cmd_version_text(so->force_version, v, sizeof v);
		eas_sr_note(
			x, EAS_STEP_OPTIONS, EAS_CRITICAL,
			"OPTIONS: the server offers only %s; --protocol-version %s is not among them",
			o ? list : "no versions", v);
		goto out;
	}
	if (x->r->version < 0) {
		eas_sr_note(
			x, EAS_STEP_OPTIONS, EAS_CRITICAL,
			"OPTIONS: the server offers no protocol version check-eas speaks (12.1 to 16.1): %s",
			x->r->offered);
		goto out;
	}
	eas_cmd_version_text(x->r->version, v, sizeof v);
	if (so->min_version && x->r->version < so->min_version) {
		eas_cmd_version_text(so->min_version, min, sizeof min);
		eas_sr_note(
			x, EAS_STEP_OPTIONS, EAS_CRITICAL,
			"OPTIONS: the server speaks ActiveSync %s at most, below the required %s",
			v, min);
		goto out;
	}
	eas_sr_note(x, EAS_STEP_OPTIONS, EAS_OK,
		    "OPTIONS: ActiveSync %s answers, protocol %s %s (offered: %s)",
		    x->r->server[0] ? x->r->server : "server", v,
		    so->force_version ? "as asked" : "chosen", x->r->offered);
	ok = true;
out:
	eas_response_free(&res);
	return ok;
}

static bool folders(struct eas_syncrun *x)
{
	const struct eas_sync_opts *so = x->so;
	bool inbox = eas_folder_find(&x->fs, "inbox") != NULL;

	x->r->folders = (long)x->fs.nfolders;
	if (!inbox) {
		eas_sr_note(x, EAS_STEP_FOLDERSYNC, EAS_CRITICAL,
			    "FolderSync: no Inbox among the %zu folders of the mailbox",
			    x->fs.nfolders);
		return false;
	}
	for (size_t i = 0; i < so->nrequire; i++)
		if (!eas_folder_find(&x->fs, so->require[i])) {
			eas_sr_note(x, EAS_STEP_FOLDERSYNC, EAS_CRITICAL,
				    "FolderSync: the required folder %s is missing",
				    so->require[i]);
			return false;
		}
	eas_sr_note(x, EAS_STEP_FOLDERSYNC, EAS_OK, "FolderSync: %zu folders, Inbox present",
		    x->fs.nfolders);
	return true;
}

/* --expect-mailbox: from 14.1 the primary address names the mailbox;
 * before (12.x, 14.0) there is no primary, and any of the mailbox's
 * addresses counts. No address at all: the requirement cannot be
 * evaluated, and the result says so. */
static bool mailbox(struct eas_syncrun *x)
{
	const char *want = x->so->expect_mailbox;
	char v[16];

	if (want && !x->addresses) {
		eas_cmd_version_text(x->r->version, v, sizeof v);
		eas_sr_note(
			x, EAS_STEP_SETTINGS, EAS_WARNING,
			"Settings: the server names no address for the mailbox (ActiveSync %s): --expect-mailbox %s cannot be checked",
			v, want);
		return true;
	}
	if (want && !x->primary_given && x->has_expected) {
		snprintf(x->r->mailbox, sizeof x->r->mailbox, "%s", want);
		eas_sr_note(
			x, EAS_STEP_SETTINGS, EAS_OK,
			"Settings: mailbox %s (among its %zu address%s; no primary named before 14.1)",
			want, x->addresses, x->addresses == 1 ? "" : "es");
		return true;
	}
	if (want && (x->primary_given ? strcasecmp(want, x->r->mailbox) : !x->has_expected)) {
		eas_sr_note(
			x, EAS_STEP_SETTINGS, EAS_CRITICAL,
			"Settings: the mailbox is %s, not %s (is the client certificate mapped to the wrong account?)",
			x->r->mailbox[0] ? x->r->mailbox : "not named", want);
		return false;
	}
	eas_sr_note(x, EAS_STEP_SETTINGS, EAS_OK, "Settings: mailbox %s",
		    x->r->mailbox[0] ? x->r->mailbox : "(no address given)");
	return true;
}

/* Sync once from scratch, then once with a window of one item: the data
 * path works. Then how many items the folder holds. */
static bool sync_folder_once(struct eas_syncrun *x)
{
	x->folder = eas_folder_find(&x->fs, x->so->sync_folder);
	if (!x->folder) {
		eas_sr_note(x, EAS_STEP_SYNC, EAS_CRITICAL, "Sync: no folder %s in the mailbox",
			    x->so->sync_folder);
		return false;
	}
	snprintf(x->r->folder_name, sizeof x->r->folder_name, "%s",
		 x->folder->name[0] ? x->folder->name : eas_folder_type_name(x->folder->type));
	snprintf(x->synckey, sizeof x->synckey, "0");
	/* As devices do: the key first, then the estimate, then the items
	 * (some servers hand out items only in this order). */
	if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, sync_body, sync_read) ||
	    !eas_sr_command(x, EAS_STEP_ESTIMATE, "GetItemEstimate", EAS_CMD_GETITEMESTIMATE,
			    estimate_body, estimate_read))
		return false;
	eas_sr_note(x, EAS_STEP_ESTIMATE, EAS_OK, "GetItemEstimate: %ld items to sync in %s",
		    x->r->estimate, x->r->folder_name);
	if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, sync_body, sync_read))
		return false;
	eas_sr_note(x, EAS_STEP_SYNC, EAS_OK, "Sync: %s, %ld item%s in a window of 1",
		    x->r->folder_name, x->r->synced, x->r->synced == 1 ? "" : "s");
	return true;
}

/* From SyncKey 0 once more when a sibling reset the sync state. */
static bool sync_folder(struct eas_syncrun *x)
{
	return sync_folder_once(x) || (step_again(x) && sync_folder_once(x));
}

/* FolderSync and Settings: once more when a sibling disturbed them. */
bool eas_sr_foldersync(struct eas_syncrun *x)
{
	return eas_sr_command(x, EAS_STEP_FOLDERSYNC, "FolderSync", EAS_CMD_FOLDERSYNC,
			      foldersync_body, foldersync_read) ||
	       (step_again(x) &&
		eas_sr_command(x, EAS_STEP_FOLDERSYNC, "FolderSync", EAS_CMD_FOLDERSYNC,
			       foldersync_body, foldersync_read));
}

static bool settings(struct eas_syncrun *x)
{
	return eas_sr_command(x, EAS_STEP_SETTINGS, "Settings", EAS_CMD_SETTINGS, settings_body,
			      settings_read) ||
	       (step_again(x) && eas_sr_command(x, EAS_STEP_SETTINGS, "Settings", EAS_CMD_SETTINGS,
						settings_body, settings_read));
}

/* A plugin's own steps (check_eas_mailloop): its commands through the
 * device's command loop. */
struct eas_sync_dev {
	struct eas_syncrun *x;
	const struct eas_sync_cmdspec *spec;
};

static struct eas_sync_dev *dev_of(struct eas_syncrun *x)
{
	return x->dev;
}

static void dev_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	const struct eas_sync_cmdspec *s = dev_of(x)->spec;

	if (s->body)
		s->body(s->ctx, w);
	else
		eas_wbxml_writer_init(w);
}

static int dev_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
		    size_t errlen)
{
	const struct eas_sync_cmdspec *s = dev_of(x)->spec;

	return s->read(s->ctx, root, err, errlen);
}

bool eas_sync_dev_command(struct eas_sync_dev *d, enum eas_sync_step step,
			  const struct eas_sync_cmdspec *spec)
{
	bool ok;

	d->spec = spec;
	d->x->mail = spec->mail;
	ok = eas_sr_command(d->x, step, spec->cmd, spec->table, dev_body, dev_read);
	d->x->mail = NULL;
	d->spec = NULL;
	return ok;
}

void eas_sync_dev_transport(const struct eas_sync_dev *d, struct eas_request *req)
{
	eas_target_transport(d->x->run->o, req);
}

int eas_sync_dev_request(struct eas_sync_dev *d, enum eas_sync_step step, const char *name,
			 struct eas_request *req, struct eas_response *res)
{
	struct eas_syncrun *x = d->x;
	int rc = eas_run_step(x->run, name, NULL, req, res);

	x->r->ran[step] = true;
	x->r->time[step] += res->t.total;
	x->r->total += res->t.total;
	eas_report_details(x->run->out, name, res);
	if (res->fail != EAS_FAIL_NONE)
		eas_sr_note(x, step, eas_fail_state(res->fail, x->run->o->timeout_state), "%s: %s",
			    name, res->what);
	return rc;
}

const struct eas_foldersync_answer *eas_sync_dev_folders(const struct eas_sync_dev *d)
{
	return &d->x->fs;
}

void eas_sync_dev_note(struct eas_sync_dev *d, enum eas_sync_step step, enum eas_state s,
		       const char *fmt, ...)
{
	char text[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	eas_sr_note(d->x, step, s, "%s", text);
}

void eas_sync_run(struct eas_runner *run, const struct eas_sync_opts *so, struct eas_sync_result *r)
{
	struct eas_syncrun x = { .run = run, .so = so, .r = r };
	struct eas_sync_dev dev = { .x = &x };

	memset(r, 0, sizeof *r);
	r->folders = r->synced = r->estimate = r->stopped = -1;
	if (eas_conn_open(&x.conn)) {
		eas_sr_note(&x, EAS_STEP_OPTIONS, EAS_UNKNOWN, "cannot set up a connection");
		return;
	}
	if (!options(&x) || !eas_sr_provision(&x))
		goto out;
	if (r->policy)
		eas_sr_note(&x, EAS_STEP_PROVISION, EAS_OK,
			    "Provision: policy acknowledged (policy key %s, %zu settings)", x.key,
			    r->policy_settings);
	else
		eas_sr_note(&x, EAS_STEP_PROVISION, EAS_OK, "Provision: no policy for this device");
	if (!eas_sr_foldersync(&x) || !folders(&x))
		goto out;
	/* The push run: its own steps after the hierarchy. */
	if (so->push) {
		/* --trigger sendmail: the address to send to, as the mail loop. */
		r->done = (so->push->trigger != EAS_PUSH_TRIGGER_SENDMAIL ||
			   (settings(&x) && mailbox(&x))) &&
			  eas_push_steps(&x);
		goto out;
	}
	/* Settings UserInformation Get exists from 12.0 on ([MS-ASCMD]
	 * 2.2.1.18): the mailbox is checked at every version. */
	if (!settings(&x) || !mailbox(&x))
		goto out;
	if (so->sync_folder && !sync_folder(&x))
		goto out;
	x.dev = &dev;
	if (so->then && !so->then(&dev, so->then_ctx))
		goto out;
	r->done = true;
out:
	if (r->moved_to[0])
		eas_sr_note(&x, EAS_STEP_OPTIONS, EAS_WARNING,
			    "the server moved the mailbox (451) to %s: update the monitored URL",
			    r->moved_to);
	eas_foldersync_free(&x.fs);
	eas_conn_close(x.conn);
}
