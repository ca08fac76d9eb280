/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eas/eassteps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define P_AS EAS_WB_PAGE_AIRSYNC
#define P_PROV EAS_WB_PAGE_PROVISION
#define P_FH EAS_WB_PAGE_FOLDERHIERARCHY
#define P_SET EAS_WB_PAGE_SETTINGS
#define P_GIE EAS_WB_PAGE_GETITEMESTIMATE
#define P_PING EAS_WB_PAGE_PING
#define P_CAL EAS_WB_PAGE_CALENDAR
#define CAL_TIMEZONE 0x05
#define CAL_ALLDAY 0x06
#define CAL_BUSY 0x0D
#define CAL_DTSTAMP 0x11
#define CAL_END 0x12
#define CAL_SENSITIVITY 0x25
#define CAL_SUBJECT 0x26
#define CAL_START 0x27
#define MAX_FOLDERS 10000
#define POLICY_TYPE "MS-EAS-Provisioning-WBXML"
#define GIE_CLASS 0x09 /* GetItemEstimate:Class, 12.x only */

static const struct eas_wbxml_node *child(const struct eas_wbxml_node *n, int page, int tag)
{
	return eas_wbxml_child(n, page, tag);
}

/* A number from an element's text; -1 when absent or not a number. */
static long number(const struct eas_wbxml_node *n)
{
	const char *s = eas_wbxml_str(n);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

/* A command's Status. Some servers (Horde) put it in the AirSync code
 * page instead of the command's own: read that too. */
static int status_of(const struct eas_wbxml_node *n, int page, int tag)
{
	const struct eas_wbxml_node *s = child(n, page, tag);

	if (!s)
		s = child(n, P_AS, EAS_WB_AIRSYNC_STATUS);
	return (int)number(s);
}

static void copy_text(char *dst, size_t size, const struct eas_wbxml_node *n)
{
	const char *s = eas_wbxml_str(n);

	snprintf(dst, size, "%s", s ? s : "");
}

/* The answer's root must be the command's element. */
static int expect_root(const struct eas_wbxml_node *root, int page, int tag, char *err,
		       size_t errlen)
{
	if (root && root->page == page && root->tag == tag)
		return 0;
	snprintf(err, errlen, "the answer is not a %s response (its root is %s:%s)",
		 eas_wbxml_tag_name(page, tag), root ? eas_wbxml_page_name(root->page) : "nothing",
		 root && eas_wbxml_tag_name(root->page, root->tag)
			 ? eas_wbxml_tag_name(root->page, root->tag)
			 : "?");
	return -1;
}

void eas_provision_body(struct eas_wbxml_writer *w, const char *policy_key,
			const struct eas_devinfo *d)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_PROV, EAS_WB_PROVISION_PROVISION);
	if (d && !policy_key) {
		eas_wbxml_open(w, P_SET, EAS_WB_SETTINGS_DEVICEINFORMATION);
		eas_wbxml_open(w, P_SET, EAS_WB_SETTINGS_SET);
		eas_wbxml_text(w, P_SET, EAS_WB_SETTINGS_MODEL, d->model);
		eas_wbxml_text(w, P_SET, EAS_WB_SETTINGS_FRIENDLYNAME, d->friendly_name);
		eas_wbxml_text(w, P_SET, EAS_WB_SETTINGS_OS, d->os);
		eas_wbxml_text(w, P_SET, EAS_WB_SETTINGS_USERAGENT, d->user_agent);
		eas_wbxml_close(w);
		eas_wbxml_close(w);
	}
	eas_wbxml_open(w, P_PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(w, P_PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_text(w, P_PROV, EAS_WB_PROVISION_POLICYTYPE, POLICY_TYPE);
	if (policy_key) {
		eas_wbxml_text(w, P_PROV, EAS_WB_PROVISION_POLICYKEY, policy_key);
		eas_wbxml_text(w, P_PROV, EAS_WB_PROVISION_STATUS, "1");
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

bool eas_provision_key_valid(const char *key)
{
	size_t n = strspn(key, "0123456789");

	/* 4294967295 is the largest: ten digits compare as text. */
	return n >= 1 && n <= 10 && !key[n] && (n < 10 || strcmp(key, "4294967295") <= 0);
}

/* The PolicyKey element as it may be shown: one line, printable ASCII,
 * cut with its length named. */
static void key_shown(const char *key, char *out, size_t size)
{
	size_t len = strlen(key), o = 0;

	for (size_t i = 0; i < len && i < 20 && o + 1 < size; i++)
		out[o++] = key[i] >= 0x20 && key[i] < 0x7f ? key[i] : '?';
	out[o] = 0;
	if (len > 20)
		snprintf(out + o, size - o, "... (%zu characters)", len);
}

int eas_provision_parse(const struct eas_wbxml_node *root, struct eas_provision_answer *a,
			char *err, size_t errlen)
{
	const struct eas_wbxml_node *pol, *doc, *key;

	memset(a, 0, sizeof *a);
	a->status = a->policy_status = a->devinfo_status = -1;
	if (expect_root(root, P_PROV, EAS_WB_PROVISION_PROVISION, err, errlen))
		return -1;
	a->status = status_of(root, P_PROV, EAS_WB_PROVISION_STATUS);
	a->remote_wipe = child(root, P_PROV, EAS_WB_PROVISION_REMOTEWIPE) != NULL;
	a->devinfo_status =
		(int)number(eas_wbxml_path(root, P_SET, EAS_WB_SETTINGS_DEVICEINFORMATION, P_SET,
					   EAS_WB_SETTINGS_STATUS, -1));
	pol = eas_wbxml_path(root, P_PROV, EAS_WB_PROVISION_POLICIES, P_PROV,
			     EAS_WB_PROVISION_POLICY, -1);
	a->account_wipe = child(root, P_PROV, EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE) != NULL;
	a->policy_status = (int)number(child(pol, P_PROV, EAS_WB_PROVISION_STATUS));
	key = child(pol, P_PROV, EAS_WB_PROVISION_POLICYKEY);
	if (key) {
		const char *k = eas_wbxml_str(key) ? eas_wbxml_str(key) : "";
		char shown[64];

		if (!eas_provision_key_valid(k)) {
			key_shown(k, shown, sizeof shown);
			snprintf(
				err, errlen,
				"the server sent a policy key that is not a number (\"%s\"; MS-ASPROV: 1 to 10 digits, at most 4294967295)",
				shown);
			return -1;
		}
		snprintf(a->policy_key, sizeof a->policy_key, "%s", k);
	}
	doc = eas_wbxml_path(pol, P_PROV, EAS_WB_PROVISION_DATA, P_PROV,
			     EAS_WB_PROVISION_EASPROVISIONDOC, -1);
	for (const struct eas_wbxml_node *n = doc ? doc->child : NULL; n; n = n->next)
		a->settings++;
	return 0;
}

void eas_foldersync_body(struct eas_wbxml_writer *w, const char *synckey)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_FH, EAS_WB_FH_FOLDERSYNC);
	eas_wbxml_text(w, P_FH, EAS_WB_FH_SYNCKEY, synckey);
	eas_wbxml_close(w);
}

int eas_foldersync_parse(const struct eas_wbxml_node *root, struct eas_foldersync_answer *a,
			 char *err, size_t errlen)
{
	const struct eas_wbxml_node *changes;
	size_t n = 0;

	memset(a, 0, sizeof *a);
	a->status = -1;
	a->count = -1;
	if (expect_root(root, P_FH, EAS_WB_FH_FOLDERSYNC, err, errlen))
		return -1;
	a->status = status_of(root, P_FH, EAS_WB_FH_STATUS);
	copy_text(a->synckey, sizeof a->synckey, child(root, P_FH, EAS_WB_FH_SYNCKEY));
	changes = child(root, P_FH, EAS_WB_FH_CHANGES);
	a->count = number(child(changes, P_FH, EAS_WB_FH_COUNT));
	for (const struct eas_wbxml_node *c = changes ? changes->child : NULL; c; c = c->next)
		n += c->page == P_FH && c->tag == EAS_WB_FH_ADD;
	if (n > MAX_FOLDERS) {
		snprintf(err, errlen,
			 "the answer lists %zu folders, more than the %d a check reads", n,
			 MAX_FOLDERS);
		return -1;
	}
	if (n && !(a->folders = calloc(n, sizeof *a->folders))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (const struct eas_wbxml_node *c = changes ? changes->child : NULL; c; c = c->next) {
		struct eas_folder *f;

		if (c->page != P_FH || c->tag != EAS_WB_FH_ADD)
			continue;
		f = &a->folders[a->nfolders];
		copy_text(f->id, sizeof f->id, child(c, P_FH, EAS_WB_FH_SERVERID));
		copy_text(f->parent, sizeof f->parent, child(c, P_FH, EAS_WB_FH_PARENTID));
		copy_text(f->name, sizeof f->name, child(c, P_FH, EAS_WB_FH_DISPLAYNAME));
		f->type = (int)number(child(c, P_FH, EAS_WB_FH_TYPE));
		a->nfolders++;
	}
	return 0;
}

void eas_foldersync_free(struct eas_foldersync_answer *a)
{
	free(a->folders);
	a->folders = NULL;
	a->nfolders = 0;
}

static const struct {
	int type;
	const char *name, *cls;
} folder_types[] = {
	{ 1, "folder", NULL },
	{ 2, "Inbox", "Email" },
	{ 3, "Drafts", "Email" },
	{ 4, "Deleted Items", "Email" },
	{ 5, "Sent Items", "Email" },
	{ 6, "Outbox", "Email" },
	{ 7, "Tasks", "Tasks" },
	{ 8, "Calendar", "Calendar" },
	{ 9, "Contacts", "Contacts" },
	{ 10, "Notes", "Notes" },
	{ 11, "Journal", NULL },
	{ 12, "mail folder", "Email" },
	{ 13, "calendar folder", "Calendar" },
	{ 14, "contacts folder", "Contacts" },
	{ 15, "tasks folder", "Tasks" },
	{ 16, "journal folder", NULL },
	{ 17, "notes folder", "Notes" },
};

const char *eas_folder_type_name(int type)
{
	for (size_t i = 0; i < sizeof folder_types / sizeof folder_types[0]; i++)
		if (folder_types[i].type == type)
			return folder_types[i].name;
	return "folder";
}

const char *eas_folder_class(int type)
{
	for (size_t i = 0; i < sizeof folder_types / sizeof folder_types[0]; i++)
		if (folder_types[i].type == type)
			return folder_types[i].cls;
	return NULL;
}

const struct eas_folder *eas_folder_find(const struct eas_foldersync_answer *a, const char *what)
{
	int type = -1;

	/* The default folders by their type, in any language. */
	for (size_t i = 1; i < 11; i++)
		if (!strcasecmp(what, folder_types[i].name))
			type = folder_types[i].type;
	for (size_t i = 0; i < a->nfolders; i++)
		if (type > 0 ? a->folders[i].type == type : !strcasecmp(a->folders[i].name, what))
			return &a->folders[i];
	return NULL;
}

void eas_settings_body(struct eas_wbxml_writer *w)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_open(w, P_SET, EAS_WB_SETTINGS_USERINFORMATION);
	eas_wbxml_empty(w, P_SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

/* The addresses of an EmailAddresses element: primary first. */
static void addresses(const struct eas_wbxml_node *ea, struct eas_settings_answer *a)
{
	const struct eas_wbxml_node *p = child(ea, P_SET, EAS_WB_SETTINGS_PRIMARYSMTPADDRESS);

	if (p && !a->primary[0]) {
		copy_text(a->primary, sizeof a->primary, p);
		a->primary_given = true;
	}
	for (const struct eas_wbxml_node *n = ea ? ea->child : NULL; n; n = n->next) {
		if (n->page != P_SET || (n->tag != EAS_WB_SETTINGS_SMTPADDRESS &&
					 n->tag != EAS_WB_SETTINGS_PRIMARYSMTPADDRESS))
			continue;
		a->addresses++;
		if (!a->primary[0])
			copy_text(a->primary, sizeof a->primary, n);
	}
}

int eas_settings_parse(const struct eas_wbxml_node *root, struct eas_settings_answer *a, char *err,
		       size_t errlen)
{
	const struct eas_wbxml_node *ui, *get, *accounts;

	memset(a, 0, sizeof *a);
	a->status = a->userinfo_status = -1;
	if (expect_root(root, P_SET, EAS_WB_SETTINGS_SETTINGS, err, errlen))
		return -1;
	a->status = status_of(root, P_SET, EAS_WB_SETTINGS_STATUS);
	ui = child(root, P_SET, EAS_WB_SETTINGS_USERINFORMATION);
	a->userinfo_status = (int)number(child(ui, P_SET, EAS_WB_SETTINGS_STATUS));
	get = child(ui, P_SET, EAS_WB_SETTINGS_GET);
	/* 14.1 and later: Accounts/Account/EmailAddresses; 14.0: directly. */
	accounts = child(get, P_SET, EAS_WB_SETTINGS_ACCOUNTS);
	for (const struct eas_wbxml_node *acc = accounts ? accounts->child : NULL; acc;
	     acc = acc->next)
		addresses(child(acc, P_SET, EAS_WB_SETTINGS_EMAILADDRESSES), a);
	addresses(child(get, P_SET, EAS_WB_SETTINGS_EMAILADDRESSES), a);
	return 0;
}

/* Whether addr is among the addresses of an EmailAddresses element. */
static bool in_list(const struct eas_wbxml_node *ea, const char *addr)
{
	for (const struct eas_wbxml_node *n = ea ? ea->child : NULL; n; n = n->next) {
		const char *s = eas_wbxml_str(n);

		if (n->page == P_SET &&
		    (n->tag == EAS_WB_SETTINGS_SMTPADDRESS ||
		     n->tag == EAS_WB_SETTINGS_PRIMARYSMTPADDRESS) &&
		    s && !strcasecmp(s, addr))
			return true;
	}
	return false;
}

bool eas_settings_has_address(const struct eas_wbxml_node *root, const char *addr)
{
	const struct eas_wbxml_node *get =
		eas_wbxml_path(root, P_SET, EAS_WB_SETTINGS_USERINFORMATION, P_SET,
			       EAS_WB_SETTINGS_GET, -1);
	const struct eas_wbxml_node *accounts = child(get, P_SET, EAS_WB_SETTINGS_ACCOUNTS);

	for (const struct eas_wbxml_node *acc = accounts ? accounts->child : NULL; acc;
	     acc = acc->next)
		if (in_list(child(acc, P_SET, EAS_WB_SETTINGS_EMAILADDRESSES), addr))
			return true;
	return in_list(child(get, P_SET, EAS_WB_SETTINGS_EMAILADDRESSES), addr);
}

/* A Delete command for each ServerId, inside an open Commands. */
static void sync_deletes(struct eas_wbxml_writer *w, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_DELETE);
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_SERVERID, ids[i]);
		eas_wbxml_close(w);
	}
}

void eas_sync_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
		   const char *cls, int window, const char *const *deletes, size_t ndel)
{
	char win[16];
	bool initial = !strcmp(synckey, "0");

	snprintf(win, sizeof win, "%d", window);
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COLLECTION);
	if (cls)
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_CLASS, cls);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_SYNCKEY, synckey);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_COLLECTIONID, folder_id);
	if (!initial) {
		if (ndel)
			eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_DELETESASMOVES, "0");
		eas_wbxml_empty(w, P_AS, EAS_WB_AIRSYNC_GETCHANGES);
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_WINDOWSIZE, win);
		if (ndel) {
			eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COMMANDS);
			sync_deletes(w, deletes, ndel);
			eas_wbxml_close(w);
		}
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

int eas_sync_parse(const struct eas_wbxml_node *root, struct eas_sync_answer *a, char *err,
		   size_t errlen)
{
	const struct eas_wbxml_node *col, *cmds;

	memset(a, 0, sizeof *a);
	a->status = -1;
	if (!root) {
		a->empty = true;
		a->status = 1;
		return 0;
	}
	if (expect_root(root, P_AS, EAS_WB_AIRSYNC_SYNC, err, errlen))
		return -1;
	col = eas_wbxml_path(root, P_AS, EAS_WB_AIRSYNC_COLLECTIONS, P_AS,
			     EAS_WB_AIRSYNC_COLLECTION, -1);
	a->status = (int)number(child(col, P_AS, EAS_WB_AIRSYNC_STATUS));
	if (a->status < 0)
		a->status = (int)number(child(root, P_AS, EAS_WB_AIRSYNC_STATUS));
	copy_text(a->synckey, sizeof a->synckey, child(col, P_AS, EAS_WB_AIRSYNC_SYNCKEY));
	a->more = child(col, P_AS, EAS_WB_AIRSYNC_MOREAVAILABLE) != NULL;
	cmds = child(col, P_AS, EAS_WB_AIRSYNC_COMMANDS);
	for (const struct eas_wbxml_node *c = cmds ? cmds->child : NULL; c; c = c->next) {
		a->added += c->page == P_AS && c->tag == EAS_WB_AIRSYNC_ADD;
		a->changed += c->page == P_AS && c->tag == EAS_WB_AIRSYNC_CHANGE;
	}
	return 0;
}

void eas_estimate_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
		       const char *cls)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_GIE, EAS_WB_GIE_GETITEMESTIMATE);
	eas_wbxml_open(w, P_GIE, EAS_WB_GIE_COLLECTIONS);
	eas_wbxml_open(w, P_GIE, EAS_WB_GIE_COLLECTION);
	if (cls) {
		/* 12.x: the class, the folder, a filter, then the key. */
		eas_wbxml_text(w, P_GIE, GIE_CLASS, cls);
		eas_wbxml_text(w, P_GIE, EAS_WB_GIE_COLLECTIONID, folder_id);
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_FILTERTYPE, "0");
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_SYNCKEY, synckey);
	} else {
		eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_SYNCKEY, synckey);
		eas_wbxml_text(w, P_GIE, EAS_WB_GIE_COLLECTIONID, folder_id);
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

int eas_estimate_parse(const struct eas_wbxml_node *root, struct eas_estimate_answer *a, char *err,
		       size_t errlen)
{
	const struct eas_wbxml_node *resp;

	memset(a, 0, sizeof *a);
	a->status = -1;
	a->estimate = -1;
	if (expect_root(root, P_GIE, EAS_WB_GIE_GETITEMESTIMATE, err, errlen))
		return -1;
	resp = child(root, P_GIE, EAS_WB_GIE_RESPONSE);
	a->status = status_of(resp, P_GIE, EAS_WB_GIE_STATUS);
	if (a->status < 0)
		a->status = status_of(root, P_GIE, EAS_WB_GIE_STATUS);
	a->estimate = number(
		eas_wbxml_path(resp, P_GIE, EAS_WB_GIE_COLLECTION, P_GIE, EAS_WB_GIE_ESTIMATE, -1));
	return 0;
}

void eas_ping_body(struct eas_wbxml_writer *w, long heartbeat, const char *const *ids,
		   const char *const *cls, size_t n)
{
	char hb[24];

	snprintf(hb, sizeof hb, "%ld", heartbeat);
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_PING, EAS_WB_PING_PING);
	eas_wbxml_text(w, P_PING, EAS_WB_PING_HEARTBEATINTERVAL, hb);
	eas_wbxml_open(w, P_PING, EAS_WB_PING_FOLDERS);
	for (size_t i = 0; i < n; i++) {
		eas_wbxml_open(w, P_PING, EAS_WB_PING_FOLDER);
		eas_wbxml_text(w, P_PING, EAS_WB_PING_ID, ids[i]);
		eas_wbxml_text(w, P_PING, EAS_WB_PING_CLASS, cls[i]);
		eas_wbxml_close(w);
	}
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

int eas_ping_parse(const struct eas_wbxml_node *root, struct eas_ping_answer *a, char *err,
		   size_t errlen)
{
	const struct eas_wbxml_node *folders;

	memset(a, 0, sizeof *a);
	a->status = -1;
	a->heartbeat = a->max_folders = -1;
	if (expect_root(root, P_PING, EAS_WB_PING_PING, err, errlen))
		return -1;
	a->status = status_of(root, P_PING, EAS_WB_PING_STATUS);
	a->heartbeat = number(child(root, P_PING, EAS_WB_PING_HEARTBEATINTERVAL));
	a->max_folders = number(child(root, P_PING, EAS_WB_PING_MAXFOLDERS));
	folders = child(root, P_PING, EAS_WB_PING_FOLDERS);
	/* In an answer, each Folder holds the id as its text. */
	for (const struct eas_wbxml_node *f = folders ? folders->child : NULL;
	     f && a->nchanged < EAS_PING_MAX_CHANGED; f = f->next)
		if (f->page == P_PING && f->tag == EAS_WB_PING_FOLDER)
			copy_text(a->changed[a->nchanged++], sizeof a->changed[0], f);
	return 0;
}

/* A Sync of one collection with one command in it, opened by the caller. */
static void sync_commands(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COLLECTION);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_SYNCKEY, synckey);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_COLLECTIONID, folder_id);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_DELETESASMOVES, "0");
	eas_wbxml_empty(w, P_AS, EAS_WB_AIRSYNC_GETCHANGES);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_COMMANDS);
}

static void sync_commands_end(struct eas_wbxml_writer *w)
{
	for (int i = 0; i < 4; i++)
		eas_wbxml_close(w);
}

void eas_sync_add_event_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
			     const char *clientid, const char *subject, const char *start,
			     const char *end, bool dtstamp)
{
	/* MS-ASDTYPE 2.6.4: a TIME_ZONE_INFORMATION of zeros is UTC. */
	static const unsigned char utc[172];

	sync_commands(w, synckey, folder_id);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_ADD);
	eas_wbxml_text(w, P_AS, EAS_WB_AIRSYNC_CLIENTID, clientid);
	eas_wbxml_open(w, P_AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
	eas_wbxml_opaque(w, P_CAL, CAL_TIMEZONE, utc, sizeof utc);
	eas_wbxml_text(w, P_CAL, CAL_ALLDAY, "0");
	eas_wbxml_text(w, P_CAL, CAL_BUSY, "0");
	if (dtstamp) /* a device sends it before 16.0; 16.0 forbids it */
		eas_wbxml_text(w, P_CAL, CAL_DTSTAMP, start);
	eas_wbxml_text(w, P_CAL, CAL_START, start);
	eas_wbxml_text(w, P_CAL, CAL_END, end);
	eas_wbxml_text(w, P_CAL, CAL_SENSITIVITY, "0");
	eas_wbxml_text(w, P_CAL, CAL_SUBJECT, subject);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	sync_commands_end(w);
}

void eas_sync_delete_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
			  const char *const *ids, size_t n)
{
	sync_commands(w, synckey, folder_id);
	sync_deletes(w, ids, n);
	sync_commands_end(w);
}

/* The Subject of an item's ApplicationData, whatever its class. */
static const struct eas_wbxml_node *subject_of(const struct eas_wbxml_node *data)
{
	for (const struct eas_wbxml_node *n = data ? data->child : NULL; n; n = n->next) {
		const char *name = eas_wbxml_tag_name(n->page, n->tag);

		if (name && !strcmp(name, "Subject"))
			return n;
	}
	return NULL;
}

void eas_sync_items_read(const struct eas_wbxml_node *root, struct eas_sync_items *it)
{
	const struct eas_wbxml_node *col, *cmds, *resp, *add;

	memset(it, 0, sizeof *it);
	it->added_status = -1;
	col = eas_wbxml_path(root, P_AS, EAS_WB_AIRSYNC_COLLECTIONS, P_AS,
			     EAS_WB_AIRSYNC_COLLECTION, -1);
	cmds = child(col, P_AS, EAS_WB_AIRSYNC_COMMANDS);
	for (const struct eas_wbxml_node *c = cmds ? cmds->child : NULL;
	     c && it->n < EAS_SYNC_MAX_ITEMS; c = c->next) {
		if (c->page != P_AS ||
		    (c->tag != EAS_WB_AIRSYNC_ADD && c->tag != EAS_WB_AIRSYNC_CHANGE))
			continue;
		copy_text(it->items[it->n].server_id, sizeof it->items[0].server_id,
			  child(c, P_AS, EAS_WB_AIRSYNC_SERVERID));
		copy_text(it->items[it->n].subject, sizeof it->items[0].subject,
			  subject_of(child(c, P_AS, EAS_WB_AIRSYNC_APPLICATIONDATA)));
		it->n++;
	}
	resp = child(col, P_AS, EAS_WB_AIRSYNC_RESPONSES);
	add = child(resp, P_AS, EAS_WB_AIRSYNC_ADD);
	if (add) {
		copy_text(it->added_id, sizeof it->added_id,
			  child(add, P_AS, EAS_WB_AIRSYNC_SERVERID));
		it->added_status = (int)number(child(add, P_AS, EAS_WB_AIRSYNC_STATUS));
	}
}
