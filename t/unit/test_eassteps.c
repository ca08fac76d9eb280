/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The EAS command layer and the sync check's command bodies and answers:
 * query forms, version choice, request bodies as WBXML,
 * and every answer field read back, including servers' odd placements. */
#include <stdlib.h>
#include <string.h>

#include "eas/eascmd.h"
#include "eas/eassteps.h"
#include "tap.h"
#include "wbxmldoc.h"

#define PROV EAS_WB_PAGE_PROVISION
#define FH EAS_WB_PAGE_FOLDERHIERARCHY
#define SET EAS_WB_PAGE_SETTINGS
#define AS EAS_WB_PAGE_AIRSYNC
#define GIE EAS_WB_PAGE_GETITEMESTIMATE
#define PING EAS_WB_PAGE_PING

static const char *text(const struct eas_wbxml_node *n)
{
	const char *s = eas_wbxml_str(n);

	return s ? s : "(none)";
}

/* Version choice (the device ID: test_eascmd). */
static void test_versions(struct tap *t)
{
	TAP_OK(t, eas_cmd_pick_version("2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1") == 1601,
	       "16.1 chosen when offered");
	TAP_OK(t, eas_cmd_pick_version("2.5,12.0,12.1,14.0,14.1,16.0") == 1600,
	       "16.0 from Horde's list");
	TAP_OK(t, eas_cmd_pick_version("2.5,12.0,12.1") == 1201, "12.1 from Exchange 2007's list");
	TAP_OK(t, eas_cmd_pick_version("2.5,12.0") == -1 && eas_cmd_pick_version(NULL) == -1,
	       "nothing in common: -1");
}

static void test_query(struct tap *t)
{
	const struct eas_device dev = { .id = "v140Device",
					.type = "SmartPhone",
					.user_agent = "x" };
	const struct eas_device dev2 = {
		.user = "user@example.com", .id = "ABC", .type = "CheckEAS", .user_agent = "x"
	};
	struct eas_request req = { 0 };
	struct eas_cmdreq c;
	char err[160];
	int rc;

	/* The example of [MS-ASHTTP] 2.2.1.1.1.1: Sync at 14.0, no key. */
	rc = eas_cmd_prepare(&c, &req, "https://h/Microsoft-Server-ActiveSync", &dev,
			     EAS_QUERY_BASE64, "Sync", 1400, NULL, NULL, err, sizeof err);
	TAP_OK(t,
	       !rc && !strcmp(req.url, "https://h/Microsoft-Server-ActiveSync?"
				       "jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l"),
	       "base64 query: the specification's example: %s", c.url);
	TAP_OK(t, !req.headers[1] || strncmp(req.headers[0], "MS-ASProtocolVersion", 20),
	       "base64 form: no MS-ASProtocolVersion header");
	eas_cmd_free(&c);
	rc = eas_cmd_prepare(&c, &req, "https://h/e", &dev2, EAS_QUERY_BASE64, "FolderSync", 1401,
			     "3942919513", NULL, err, sizeof err);
	TAP_OK(t,
	       !rc && /* expected bytes made with Python's struct and base64 */
		       strstr(req.url, "?jQkJBANBQkMEWS0E6whDaGVja0VBUwgQdXNlckBleGFtcGxlLmNvbQ=="),
	       "base64: policy key little-endian, User parameter, sent as it is: %s", c.url);
	eas_cmd_free(&c);
	TAP_OK(t,
	       !eas_cmd_prepare(&c, &req, "https://h/e", &dev2, EAS_QUERY_PLAIN, "Provision", 1401,
				"123", NULL, err, sizeof err) &&
		       !strcmp(req.query[0].name, "Cmd") &&
		       !strcmp(req.query[0].value, "Provision") &&
		       !strcmp(req.query[1].name, "User") && !strcmp(req.query[2].value, "ABC") &&
		       !strcmp(req.query[3].value, "CheckEAS") && !req.query[4].name &&
		       !strcmp(req.headers[0], "MS-ASProtocolVersion: 14.1") &&
		       !strcmp(req.headers[1], "X-MS-PolicyKey: 123") &&
		       !strcmp(req.content_type, "application/vnd.ms-sync.wbxml") &&
		       !strcmp(req.method, "POST"),
	       "plain query: Cmd, User, DeviceId, DeviceType and the headers");
	eas_cmd_free(&c);
	TAP_OK(t,
	       eas_cmd_prepare(&c, &req, "https://h/e", &dev2, EAS_QUERY_BASE64, "Provision", 1401,
			       "not-a-number", NULL, err, sizeof err) == -1,
	       "base64 form refuses a policy key that is not a number: %s", err);
	eas_cmd_free(&c);
}

static void test_bodies(struct tap *t)
{
	const struct eas_devinfo di = { "m", "f", "o", "ua" };
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	const struct eas_wbxml_node *n;

	eas_provision_body(&w, NULL, &di);
	TAP_OK(t,
	       !decode(&w, &d) &&
		       (n = eas_wbxml_path(d.root, SET, EAS_WB_SETTINGS_DEVICEINFORMATION, SET,
					   EAS_WB_SETTINGS_SET, SET, EAS_WB_SETTINGS_USERAGENT,
					   -1)) &&
		       !strcmp(text(n), "ua") &&
		       !strcmp(text(eas_wbxml_path(d.root, PROV, EAS_WB_PROVISION_POLICIES, PROV,
						   EAS_WB_PROVISION_POLICY, PROV,
						   EAS_WB_PROVISION_POLICYTYPE, -1)),
			       "MS-EAS-Provisioning-WBXML") &&
		       d.root->child->page == SET,
	       "Provision phase 1 with DeviceInformation first");
	eas_wbxml_doc_free(&d);
	eas_provision_body(&w, NULL, NULL);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_wbxml_child(d.root, SET, EAS_WB_SETTINGS_DEVICEINFORMATION),
	       "Provision phase 1 without DeviceInformation (12.x, 14.0)");
	eas_wbxml_doc_free(&d);
	eas_provision_body(&w, "1234", &di);
	n = NULL;
	TAP_OK(t,
	       !decode(&w, &d) &&
		       (n = eas_wbxml_path(d.root, PROV, EAS_WB_PROVISION_POLICIES, PROV,
					   EAS_WB_PROVISION_POLICY, -1)) &&
		       !strcmp(text(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_POLICYKEY)),
			       "1234") &&
		       !strcmp(text(eas_wbxml_child(n, PROV, EAS_WB_PROVISION_STATUS)), "1") &&
		       !eas_wbxml_child(d.root, SET, EAS_WB_SETTINGS_DEVICEINFORMATION),
	       "Provision phase 2: the key acknowledged with status 1, no DeviceInformation");
	eas_wbxml_doc_free(&d);
	eas_sync_body(&w, "0", "5", NULL, 1, NULL, 0);
	n = NULL;
	TAP_OK(t,
	       !decode(&w, &d) &&
		       (n = eas_wbxml_path(d.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS,
					   EAS_WB_AIRSYNC_COLLECTION, -1)) &&
		       !eas_wbxml_child(n, AS, EAS_WB_AIRSYNC_GETCHANGES) &&
		       !strcmp(text(eas_wbxml_child(n, AS, EAS_WB_AIRSYNC_COLLECTIONID)), "5"),
	       "initial Sync: key 0, no GetChanges");
	eas_wbxml_doc_free(&d);
	eas_sync_body(&w, "s1", "5", "Email", 1, NULL, 0);
	n = NULL;
	TAP_OK(t,
	       !decode(&w, &d) &&
		       (n = eas_wbxml_path(d.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS,
					   EAS_WB_AIRSYNC_COLLECTION, -1)) &&
		       n->child->tag == EAS_WB_AIRSYNC_CLASS &&
		       eas_wbxml_child(n, AS, EAS_WB_AIRSYNC_GETCHANGES) &&
		       !strcmp(text(eas_wbxml_child(n, AS, EAS_WB_AIRSYNC_WINDOWSIZE)), "1"),
	       "Sync with a window of one, Class first for 12.x");
	eas_wbxml_doc_free(&d);
	eas_estimate_body(&w, "s1", "5", NULL);
	n = NULL;
	TAP_OK(t,
	       !decode(&w, &d) &&
		       (n = eas_wbxml_path(d.root, GIE, EAS_WB_GIE_COLLECTIONS, GIE,
					   EAS_WB_GIE_COLLECTION, -1)) &&
		       !strcmp(text(eas_wbxml_child(n, AS, EAS_WB_AIRSYNC_SYNCKEY)), "s1"),
	       "GetItemEstimate with the AirSync sync key (14.0+)");
	eas_wbxml_doc_free(&d);
}

static void test_answers(struct tap *t)
{
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	struct eas_provision_answer p;
	struct eas_foldersync_answer f;
	struct eas_settings_answer s;
	struct eas_sync_answer y;
	struct eas_estimate_answer e;
	char err[200];

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_PROVISION);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYTYPE, "MS-EAS-Provisioning-WBXML");
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYKEY, "1307199584");
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_DATA);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_EASPROVISIONDOC);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_DEVICEPASSWORDENABLED, "0");
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_ALLOWCAMERA, "1");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_REMOTEWIPE);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_provision_parse(d.root, &p, err, sizeof err) &&
		       p.status == 1 && p.policy_status == 1 &&
		       !strcmp(p.policy_key, "1307199584") && p.settings == 2 && p.remote_wipe &&
		       p.devinfo_status == -1,
	       "Provision answer: status, policy, key, settings, the remote wipe");
	TAP_OK(t,
	       eas_foldersync_parse(d.root, &f, err, sizeof err) == -1 &&
		       strstr(err, "not a FolderSync response"),
	       "a Provision answer is no FolderSync: %s", err);
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, FH, EAS_WB_FH_FOLDERSYNC);
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "142"); /* as Horde does */
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_foldersync_parse(d.root, &f, err, sizeof err) &&
		       f.status == 142 && f.nfolders == 0,
	       "a Status in the AirSync page is read too (Horde)");
	eas_foldersync_free(&f);
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, FH, EAS_WB_FH_FOLDERSYNC);
	eas_wbxml_text(&w, FH, EAS_WB_FH_STATUS, "1");
	eas_wbxml_text(&w, FH, EAS_WB_FH_SYNCKEY, "1");
	eas_wbxml_open(&w, FH, EAS_WB_FH_CHANGES);
	eas_wbxml_text(&w, FH, EAS_WB_FH_COUNT, "2");
	eas_wbxml_open(&w, FH, EAS_WB_FH_ADD);
	eas_wbxml_text(&w, FH, EAS_WB_FH_SERVERID, "5");
	eas_wbxml_text(&w, FH, EAS_WB_FH_PARENTID, "0");
	eas_wbxml_text(&w, FH, EAS_WB_FH_DISPLAYNAME, "Posteingang");
	eas_wbxml_text(&w, FH, EAS_WB_FH_TYPE, "2");
	eas_wbxml_close(&w);
	eas_wbxml_open(&w, FH, EAS_WB_FH_ADD);
	eas_wbxml_text(&w, FH, EAS_WB_FH_SERVERID, "9");
	eas_wbxml_text(&w, FH, EAS_WB_FH_DISPLAYNAME, "Archive");
	eas_wbxml_text(&w, FH, EAS_WB_FH_TYPE, "12");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_foldersync_parse(d.root, &f, err, sizeof err) &&
		       f.status == 1 && f.count == 2 && f.nfolders == 2 &&
		       !strcmp(f.synckey, "1") && f.folders[0].type == 2,
	       "FolderSync answer: status, key, count and the folders");
	TAP_OK(t,
	       eas_folder_find(&f, "inbox") == &f.folders[0] &&
		       eas_folder_find(&f, "archive") == &f.folders[1] &&
		       !eas_folder_find(&f, "calendar"),
	       "folders found by type in any language, or by name");
	TAP_OK(t,
	       !strcmp(eas_folder_class(12), "Email") &&
		       !strcmp(eas_folder_type_name(8), "Calendar"),
	       "folder classes and type names");
	eas_foldersync_free(&f);
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_USERINFORMATION);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_ACCOUNTS);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_ACCOUNT);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_EMAILADDRESSES);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_SMTPADDRESS, "alias@example.com");
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_PRIMARYSMTPADDRESS, "user@example.com");
	for (int i = 0; i < 5; i++)
		eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_settings_parse(d.root, &s, err, sizeof err) &&
		       s.status == 1 && s.userinfo_status == 1 &&
		       !strcmp(s.primary, "user@example.com") && s.addresses == 2,
	       "Settings (14.1+): the primary address wins: %s", s.primary);
	eas_wbxml_doc_free(&d);
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_USERINFORMATION);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_EMAILADDRESSES);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_SMTPADDRESS, "old@example.com");
	for (int i = 0; i < 4; i++)
		eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_settings_parse(d.root, &s, err, sizeof err) &&
		       !strcmp(s.primary, "old@example.com") && s.userinfo_status == -1,
	       "Settings (14.0): the first SmtpAddress");
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTION);
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, "s2");
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, "5");
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "1");
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COMMANDS);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_ADD);
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SERVERID, "5:1");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_empty(&w, AS, EAS_WB_AIRSYNC_MOREAVAILABLE);
	for (int i = 0; i < 3; i++)
		eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_sync_parse(d.root, &y, err, sizeof err) && y.status == 1 &&
		       !strcmp(y.synckey, "s2") && y.added == 1 && y.more,
	       "Sync answer: status, new key, one item, more available");
	eas_wbxml_doc_free(&d);
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "110");
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_sync_parse(d.root, &y, err, sizeof err) && y.status == 110,
	       "a Sync-level status when the collection has none");
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, GIE, EAS_WB_GIE_GETITEMESTIMATE);
	eas_wbxml_open(&w, GIE, EAS_WB_GIE_RESPONSE);
	eas_wbxml_text(&w, GIE, EAS_WB_GIE_STATUS, "1");
	eas_wbxml_open(&w, GIE, EAS_WB_GIE_COLLECTION);
	eas_wbxml_text(&w, GIE, EAS_WB_GIE_COLLECTIONID, "5");
	eas_wbxml_text(&w, GIE, EAS_WB_GIE_ESTIMATE, "3");
	for (int i = 0; i < 3; i++)
		eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_estimate_parse(d.root, &e, err, sizeof err) &&
		       e.status == 1 && e.estimate == 3,
	       "GetItemEstimate answer: status and estimate");
	eas_wbxml_doc_free(&d);
}

/* Ping: the request a device sends, the answers a server gives. */
static void test_ping(struct tap *t)
{
	const char *ids[] = { "5", "10" }, *cls[] = { "Email", "Calendar" };
	const struct eas_wbxml_node *f;
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	struct eas_ping_answer a;
	char err[200];

	eas_ping_body(&w, 480, ids, cls, 2);
	TAP_OK(t, !decode(&w, &d), "Ping request decodes");
	f = eas_wbxml_path(d.root, PING, EAS_WB_PING_FOLDERS, PING, EAS_WB_PING_FOLDER, -1);
	TAP_OK(t,
	       d.root && d.root->tag == EAS_WB_PING_PING &&
		       !strcmp(text(eas_wbxml_child(d.root, PING, EAS_WB_PING_HEARTBEATINTERVAL)),
			       "480") &&
		       !strcmp(text(eas_wbxml_child(f, PING, EAS_WB_PING_ID)), "5") &&
		       !strcmp(text(eas_wbxml_child(f, PING, EAS_WB_PING_CLASS)), "Email") &&
		       f->next &&
		       !strcmp(text(eas_wbxml_child(f->next, PING, EAS_WB_PING_CLASS)), "Calendar"),
	       "Ping request: HeartbeatInterval, then each Folder with Id and Class");
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PING, EAS_WB_PING_PING);
	eas_wbxml_text(&w, PING, EAS_WB_PING_STATUS, "2");
	eas_wbxml_open(&w, PING, EAS_WB_PING_FOLDERS);
	eas_wbxml_text(&w, PING, EAS_WB_PING_FOLDER, "10");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_ping_parse(d.root, &a, err, sizeof err) && a.status == 2 &&
		       a.nchanged == 1 && !strcmp(a.changed[0], "10") && a.heartbeat == -1,
	       "Ping answer, status 2: the changed folder's id");
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PING, EAS_WB_PING_PING);
	eas_wbxml_text(&w, PING, EAS_WB_PING_STATUS, "5");
	eas_wbxml_text(&w, PING, EAS_WB_PING_HEARTBEATINTERVAL, "60");
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_ping_parse(d.root, &a, err, sizeof err) && a.status == 5 &&
		       a.heartbeat == 60 && a.max_folders == -1,
	       "Ping answer, status 5: the server's heartbeat limit");
	eas_wbxml_doc_free(&d);

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PING, EAS_WB_PING_PING);
	eas_wbxml_text(&w, PING, EAS_WB_PING_STATUS, "6");
	eas_wbxml_text(&w, PING, EAS_WB_PING_MAXFOLDERS, "3");
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_ping_parse(d.root, &a, err, sizeof err) && a.status == 6 &&
		       a.max_folders == 3,
	       "Ping answer, status 6: MaxFolders");
	eas_wbxml_doc_free(&d);

	/* The trigger's Add and Delete, and what a Sync answer brings. */
	eas_sync_add_event_body(&w, "k1", "A1", "1", "check-eas push probe 1-2", "20261208T120000Z",
				"20261208T123000Z", false);
	TAP_OK(t, !decode(&w, &d), "Sync Add request decodes");
	f = eas_wbxml_path(d.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS, EAS_WB_AIRSYNC_COLLECTION,
			   AS, EAS_WB_AIRSYNC_COMMANDS, AS, EAS_WB_AIRSYNC_ADD, AS,
			   EAS_WB_AIRSYNC_APPLICATIONDATA, -1);
	TAP_OK(t,
	       f &&
		       !strcmp(text(eas_wbxml_child(f, EAS_WB_PAGE_CALENDAR, 0x26)),
			       "check-eas push probe 1-2") &&
		       !eas_wbxml_child(f, EAS_WB_PAGE_CALENDAR, 0x11) &&
		       !strcmp(text(eas_wbxml_child(f, EAS_WB_PAGE_CALENDAR, 0x27)),
			       "20261208T120000Z"),
	       "Sync Add: a calendar item with its subject and start, no DtStamp at 16.0");
	eas_wbxml_doc_free(&d);
	{
		const char *dels[] = { "ev1", "ev2" };

		eas_sync_delete_body(&w, "k2", "A1", dels, 2);
		TAP_OK(t, !decode(&w, &d), "Sync Delete request decodes");
		f = eas_wbxml_path(d.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS,
				   EAS_WB_AIRSYNC_COLLECTION, AS, EAS_WB_AIRSYNC_COMMANDS, -1);
		TAP_OK(t,
		       f && f->child && f->child->next &&
			       !strcmp(text(eas_wbxml_child(f->child->next, AS,
							    EAS_WB_AIRSYNC_SERVERID)),
				       "ev2"),
		       "Sync Delete: one Delete per ServerId");
		eas_wbxml_doc_free(&d);
	}
	{
		struct eas_sync_items it;

		eas_wbxml_writer_init(&w);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTION);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, "k3");
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_RESPONSES);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_ADD);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_CLIENTID, "1");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SERVERID, "ev9");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "1");
		eas_wbxml_close(&w);
		eas_wbxml_close(&w);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COMMANDS);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_ADD);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SERVERID, "ev8");
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
		eas_wbxml_text(&w, EAS_WB_PAGE_CALENDAR, 0x26, "dentist");
		for (int i = 0; i < 6; i++)
			eas_wbxml_close(&w);
		TAP_OK(t, !decode(&w, &d), "Sync answer with Responses and Commands decodes");
		eas_sync_items_read(d.root, &it);
		TAP_OK(t,
		       it.n == 1 && !strcmp(it.items[0].server_id, "ev8") &&
			       !strcmp(it.items[0].subject, "dentist") &&
			       !strcmp(it.added_id, "ev9") && it.added_status == 1,
		       "Sync answer: the item with its subject, the added item's ServerId and Status");
		eas_wbxml_doc_free(&d);
	}

	eas_settings_body(&w);
	TAP_OK(t,
	       !decode(&w, &d) && eas_ping_parse(d.root, &a, err, sizeof err) == -1 &&
		       a.status == -1 && strstr(err, "not a Ping response"),
	       "an answer that is not a Ping's is refused");
	eas_wbxml_doc_free(&d);
}

/* A Provision answer whose phase-1 policy key is key, with an
 * AccountOnlyRemoteWipe when account_wipe. */
static int provision_with(const char *key, bool account_wipe, struct eas_provision_answer *p,
			  char *err, size_t errlen)
{
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	int rc;

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_PROVISION);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	if (account_wipe)
		eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	if (key)
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYKEY, key);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	if (decode(&w, &d))
		return -2;
	rc = eas_provision_parse(d.root, p, err, errlen);
	eas_wbxml_doc_free(&d);
	return rc;
}

/* What a server hands us that must be checked before use: the policy
 * key, an account-only wipe, an empty Sync, the mailbox's addresses. */
static void test_server_input(struct tap *t)
{
	struct eas_provision_answer p;
	struct eas_sync_answer y;
	struct eas_settings_answer s;
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	struct eas_cmdreq c;
	struct eas_request req = { 0 };
	const struct eas_device dev = { .id = "ABC", .type = "T", .user_agent = "x" };
	char err[200], long_key[1001];

	TAP_OK(t,
	       eas_provision_key_valid("0") && eas_provision_key_valid("1307199584") &&
		       eas_provision_key_valid("4294967295"),
	       "policy keys: 1 to 10 digits up to 4294967295");
	TAP_OK(t,
	       !eas_provision_key_valid("") && !eas_provision_key_valid("4294967296") &&
		       !eas_provision_key_valid("12345678901") && !eas_provision_key_valid("-1") &&
		       !eas_provision_key_valid("12 ") &&
		       !eas_provision_key_valid("12\r\nX-Evil: 1"),
	       "not policy keys: empty, past 32 bits, 11 digits, signs, blanks, CR LF");
	TAP_OK(t,
	       provision_with("12\r\nX-Evil: 1", false, &p, err, sizeof err) == -1 &&
		       strstr(err, "policy key that is not a number (\"12??X-Evil: 1\"") &&
		       !p.policy_key[0],
	       "a key with CR LF: refused, shown on one line: %s", err);
	memset(long_key, '7', 1000);
	long_key[1000] = 0;
	TAP_OK(t,
	       provision_with(long_key, false, &p, err, sizeof err) == -1 &&
		       strstr(err, "(\"77777777777777777777... (1000 characters)\"") &&
		       strlen(err) < 160,
	       "a 1000-digit key: refused, shown cut: %s", err);
	TAP_OK(t,
	       !provision_with("4294967295", true, &p, err, sizeof err) && p.account_wipe &&
		       !p.remote_wipe && !strcmp(p.policy_key, "4294967295"),
	       "AccountOnlyRemoteWipe read, apart from RemoteWipe");
	TAP_OK(t,
	       !provision_with(NULL, false, &p, err, sizeof err) && !p.policy_key[0] &&
		       !p.account_wipe,
	       "no key at all: no error here (the run says what is missing)");
	TAP_OK(t,
	       eas_cmd_prepare(&c, &req, "https://h/e", &dev, EAS_QUERY_PLAIN, "Sync", 1601,
			       "12\r\nX-Evil: 1", NULL, err, sizeof err) == -1 &&
		       strstr(err, "not a number"),
	       "plain form: a key that is not a number never becomes a header: %s", err);
	eas_cmd_free(&c);

	TAP_OK(t,
	       !eas_sync_parse(NULL, &y, err, sizeof err) && y.empty && y.status == 1 && !y.added &&
		       !y.changed && !y.synckey[0],
	       "an empty Sync answer: no changes, status 1, no new key");

	/* 12.x: EmailAddresses without a primary; any address counts. */
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_USERINFORMATION);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_GET);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_EMAILADDRESSES);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_SMTPADDRESS, "alias@example.com");
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_SMTPADDRESS, "user@example.com");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	TAP_OK(t,
	       !decode(&w, &d) && !eas_settings_parse(d.root, &s, err, sizeof err) &&
		       !s.primary_given && s.addresses == 2 &&
		       !strcmp(s.primary, "alias@example.com") &&
		       eas_settings_has_address(d.root, "USER@example.com") &&
		       !eas_settings_has_address(d.root, "other@example.com"),
	       "12.x Settings: no primary, every address of the mailbox found");
	eas_wbxml_doc_free(&d);
}

int main(void)
{
	struct tap t = { 0 };

	test_versions(&t);
	test_query(&t);
	test_bodies(&t);
	test_answers(&t);
	test_ping(&t);
	test_server_input(&t);
	return tap_done(&t);
}
