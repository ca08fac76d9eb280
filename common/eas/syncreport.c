/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync run as the output shows it besides its steps' findings: the
 * device's lock and the run's perfdata, -v lines and JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include <json-c/json.h>

#include "eas/eassync.h"

int eas_sync_creds_given(const struct eas_opts *o, const char *plugin, char *err, size_t errlen)
{
	if ((o->user && (o->password || o->password_file || o->password_env ||
			 getenv("EAS_PASSWORD") || o->bearer_token_file || o->oauth_token_cache)) ||
	    o->cert)
		return 0;
	snprintf(
		err, errlen,
		"no --user or --cert given: %s needs --user with a password (--password-file, EAS_PASSWORD) or a bearer token (--oauth-token-cache, --bearer-token-file), or a client certificate (--cert), or both",
		plugin);
	return -1;
}

int eas_sync_lock(struct eas_runner *run, const char *id, struct eas_runlock *l, char *err,
		  size_t errlen)
{
	char name[64];

	snprintf(name, sizeof name, "device-%s", id);
	switch (eas_runlock_take(l, run->o->state_dir, name, err, errlen)) {
	case EAS_RUNLOCK_TAKEN:
		if (l->waited >= 0.05)
			eas_out_detail(run->out,
				       "waited %.1f s for another run of this device (lock %s)",
				       l->waited, l->path);
		else
			eas_out_detail(run->out, "lock %s taken at once", l->path);
		return 0;
	case EAS_RUNLOCK_TIMEOUT:
		eas_out_raise(run->out, run->o->timeout_state);
		eas_out_summary(
			run->out,
			"another run for device %s has held its lock for %.1f s: overlapping runs; raise -t or the check interval",
			id, l->waited);
		eas_out_detail(run->out, "%s (lock %s)", err, l->path);
		eas_out_perf(run->out, "lock_wait", l->waited, "s", NULL, 0, NAN);
		return 1;
	case EAS_RUNLOCK_ERROR: break;
	}
	return -1;
}

void eas_sync_report(struct eas_runner *run, const struct eas_sync_opts *so, const char *derived,
		     const struct eas_sync_result *r)
{
	struct json_object *root = eas_out_json(run->out), *dev;
	char label[32], v[16], recorded[2 * EAS_DEVICE_ID_MAX + 1];

	/* With a push trigger, -w/-c are the push latency's (the plugin's). */
	eas_out_perf(run->out, "time", r->total, "s",
		     so->push && so->push->trigger ? NULL : &run->o->th, 0, NAN);
	for (int s = 0; s < EAS_STEP_COUNT; s++)
		if (r->ran[s]) {
			snprintf(label, sizeof label, "%s_time",
				 eas_sync_step_name((enum eas_sync_step)s));
			eas_out_perf(run->out, label, r->time[s], "s", NULL, 0, NAN);
		}
	if (r->folders >= 0)
		eas_out_perf(run->out, "folders", (double)r->folders, "", NULL, 0, NAN);
	if (r->estimate >= 0)
		eas_out_perf(run->out, "items", (double)r->estimate, "", NULL, 0, NAN);
	eas_out_detail(run->out, "device: type %s, ID %s, user %s, User-Agent %s", so->dev.type,
		       so->dev.id, so->dev.user ? so->dev.user : "(none)", so->dev.user_agent);
	eas_out_detail(run->out, "device ID %s %s", so->dev.id,
		       derived[0] ? derived : "as given by --device-id");
	if (so->form == EAS_QUERY_BASE64) {
		unsigned char b[EAS_DEVICE_ID_MAX];
		size_t n = eas_device_id_bytes(so->dev.id, b);

		eas_device_id_recorded(so->dev.id, EAS_QUERY_BASE64, recorded, sizeof recorded);
		eas_out_detail(
			run->out,
			"base64 query form: the device ID goes as %zu bytes, the server records the partnership as %s (%s)",
			n, recorded,
			strcasecmp(recorded, so->dev.id) ? "another one than the plain form's"
							 : "the same as the plain form's");
	}
	if (!root)
		return;
	dev = json_object_new_object();
	json_object_object_add(dev, "id", json_object_new_string(so->dev.id));
	json_object_object_add(dev, "type", json_object_new_string(so->dev.type));
	json_object_object_add(dev, "user_agent", json_object_new_string(so->dev.user_agent));
	json_object_object_add(root, "device", dev);
	if (r->version > 0) {
		eas_cmd_version_text(r->version, v, sizeof v);
		json_object_object_add(root, "protocol_version", json_object_new_string(v));
	}
	if (r->mailbox[0])
		json_object_object_add(root, "mailbox", json_object_new_string(r->mailbox));
	if (r->moved_to[0])
		json_object_object_add(root, "moved_to", json_object_new_string(r->moved_to));
}
