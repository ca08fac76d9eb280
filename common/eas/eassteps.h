/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bodies of the commands a sync check sends, and what their answers
 * say ([MS-ASCMD], [MS-ASPROV]): Provision (both phases), FolderSync,
 * Settings UserInformation, Sync and GetItemEstimate. Pure: WBXML in and
 * out, no I/O. A status that is absent from an answer reads -1. */
#ifndef EAS_EASSTEPS_H
#define EAS_EASSTEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "eas/wbxml.h"

#define EAS_KEY_MAX 64 /* policy and sync keys */

/* What the device says of itself in Provision (14.1 and later). */
struct eas_devinfo {
	const char *model, *friendly_name, *os, *user_agent;
};

/* Provision, phase 1 (policy_key NULL: ask for the policy, with devinfo
 * when given) or phase 2 (acknowledge policy_key with status 1). */
void eas_provision_body(struct eas_wbxml_writer *w, const char *policy_key,
			const struct eas_devinfo *devinfo);

struct eas_provision_answer {
	int status;                       /* Provision */
	int policy_status;                /* Policy's Status (eascode's table) */
	int devinfo_status;               /* settings:DeviceInformation */
	char policy_key[EAS_KEY_MAX + 1]; /* a valid one, else "" */
	bool remote_wipe;                 /* a wipe is requested: never ack it */
	bool account_wipe;                /* AccountOnlyRemoteWipe (16.1): the same */
	size_t settings;                  /* policy settings in EASProvisionDoc */
};
/* Returns 0, or -1 with one line in err: not a Provision answer, or a
 * PolicyKey that is not a valid key (see eas_provision_key_valid). */
int eas_provision_parse(const struct eas_wbxml_node *root, struct eas_provision_answer *a,
			char *err, size_t errlen);

/* [MS-ASPROV] 2.2.2.42: a PolicyKey is an unsigned 32-bit number in
 * decimal, 1 to 10 digits. Anything else must never reach a header or
 * the base64 query. */
bool eas_provision_key_valid(const char *key);

/* FolderSync with a sync key ("0": the whole hierarchy). */
void eas_foldersync_body(struct eas_wbxml_writer *w, const char *synckey);

struct eas_folder {
	char id[EAS_KEY_MAX + 1], parent[EAS_KEY_MAX + 1];
	char name[256];
	int type; /* [MS-ASCMD] 2.2.3.186.3: 2 Inbox, ... */
};

struct eas_foldersync_answer {
	int status;
	char synckey[EAS_KEY_MAX + 1];
	long count;                 /* Changes/Count, -1 absent */
	struct eas_folder *folders; /* the Adds, owned */
	size_t nfolders;
};
int eas_foldersync_parse(const struct eas_wbxml_node *root, struct eas_foldersync_answer *a,
			 char *err, size_t errlen);
void eas_foldersync_free(struct eas_foldersync_answer *a);
/* The folder a device syncs for "inbox", "calendar", ... (by type) or by
 * its display name (case-insensitive); NULL when there is none. */
const struct eas_folder *eas_folder_find(const struct eas_foldersync_answer *a, const char *what);
/* "Inbox", "Calendar", ... for a folder type; "folder" when unknown. */
const char *eas_folder_type_name(int type);
/* The item class a folder type holds ("Email"), for 12.x requests. */
const char *eas_folder_class(int type);

/* Settings: UserInformation Get. */
void eas_settings_body(struct eas_wbxml_writer *w);

struct eas_settings_answer {
	int status, userinfo_status;
	char primary[320];  /* PrimarySmtpAddress, else the first
					SmtpAddress; "" when none */
	bool primary_given; /* a PrimarySmtpAddress (14.1+) named it */
	size_t addresses;
};
int eas_settings_parse(const struct eas_wbxml_node *root, struct eas_settings_answer *a, char *err,
		       size_t errlen);
/* Whether addr (case-insensitive) is among the SmtpAddress and
 * PrimarySmtpAddress elements of a Settings answer: where no primary is
 * named (12.x, 14.0), any address of the mailbox counts. */
bool eas_settings_has_address(const struct eas_wbxml_node *root, const char *addr);

/* Sync of one folder: synckey "0" starts it; otherwise ask for changes,
 * window items at most, and delete the ndel items named (DeletesAsMoves
 * 0: gone, not in Deleted Items). cls is the item class for 12.x (NULL:
 * none). */
void eas_sync_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
		   const char *cls, int window, const char *const *deletes, size_t ndel);

struct eas_sync_answer {
	bool empty; /* an empty answer: no changes, the key stays */
	int status; /* the collection's, else the Sync's */
	char synckey[EAS_KEY_MAX + 1];
	long added, changed;
	bool more; /* MoreAvailable */
};
/* root NULL is the empty answer (HTTP 200, no body) of [MS-ASCMD]
 * 2.2.1.21.2: nothing changed since the key sent; status 1, no items, no
 * new key (the caller keeps its own). */
int eas_sync_parse(const struct eas_wbxml_node *root, struct eas_sync_answer *a, char *err,
		   size_t errlen);

/* GetItemEstimate of one folder at a sync key; cls for 12.x. */
void eas_estimate_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
		       const char *cls);

struct eas_estimate_answer {
	int status;
	long estimate; /* -1 absent */
};
int eas_estimate_parse(const struct eas_wbxml_node *root, struct eas_estimate_answer *a, char *err,
		       size_t errlen);

/* A Sync that changes a folder as a device does: add one calendar item
 * with subject (Calendar code page: a half-hour appointment at start, a
 * UTC time "YYYYMMDDTHHMMSSZ"; clientid names it in the answer), or
 * delete the items of ids (n of them). dtstamp: send DtStamp (before
 * 16.0, which forbids it in a request). */
void eas_sync_add_event_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
			     const char *clientid, const char *subject, const char *start,
			     const char *end, bool dtstamp);
void eas_sync_delete_body(struct eas_wbxml_writer *w, const char *synckey, const char *folder_id,
			  const char *const *ids, size_t n);

/* The items a Sync answer brings (Commands Add and Change) and what it
 * says of the items sent (Responses Add). */
#define EAS_SYNC_MAX_ITEMS 64
struct eas_sync_item {
	char server_id[EAS_KEY_MAX + 1];
	char subject[256]; /* the item's Subject in any code page, "" none */
};
struct eas_sync_items {
	struct eas_sync_item items[EAS_SYNC_MAX_ITEMS];
	size_t n;
	char added_id[EAS_KEY_MAX + 1]; /* Responses/Add ServerId, "" none */
	int added_status;               /* its Status, -1 none */
};
/* root NULL (an empty answer) gives no items. */
void eas_sync_items_read(const struct eas_wbxml_node *root, struct eas_sync_items *it);

/* Ping ([MS-ASCMD] 2.2.1.13): hold the request up to heartbeat seconds
 * and answer when one of the folders changes. ids[i] with its class
 * (cls[i]: "Email", "Calendar", ...). */
void eas_ping_body(struct eas_wbxml_writer *w, long heartbeat, const char *const *ids,
		   const char *const *cls, size_t n);

#define EAS_PING_MAX_CHANGED 8

struct eas_ping_answer {
	int status;       /* -1 absent */
	long heartbeat;   /* HeartbeatInterval (status 5: the limit), -1 */
	long max_folders; /* MaxFolders (status 6), -1 */
	char changed[EAS_PING_MAX_CHANGED][EAS_KEY_MAX + 1]; /* status 2: folder ids */
	size_t nchanged;
};
int eas_ping_parse(const struct eas_wbxml_node *root, struct eas_ping_answer *a, char *err,
		   size_t errlen);

#endif
