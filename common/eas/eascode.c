/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eas/eascode.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define OK EAS_CA_OK
#define PROV EAS_CA_PROVISION
#define RESYNC EAS_CA_RESYNC
#define LATER EAS_CA_RETRY_LATER
#define WIPE EAS_CA_WIPE
#define BLOCK EAS_CA_BLOCKED
#define MBX EAS_CA_MAILBOX
#define CLIENT EAS_CA_CLIENT
#define FAIL EAS_CA_FAIL
#define SIB EAS_CF_SIBLING
#define NOPOL EAS_CF_NO_POLICY

/* A row names its flags only when it has one. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Each table is sorted by code (the lookup bisects; the unit test checks
 * the order). Names of the common codes are the specification's; the
 * per-command codes have none there, so theirs follow the meaning. */

/* MS-ASPROV 2.2.2.54.2 and 3.1.5.2. */
static const struct eas_code_meaning provision[] = {
	{ 1, "Success", OK, "the provisioning request succeeded" },
	{ 2, "ProtocolError", CLIENT,
	  "the server found a syntax error in the Provision request: a check-eas or protocol version problem" },
	{ 3, "ServerError", LATER,
	  "{Exchange|the server} failed while provisioning (often transient): retry; if it persists, check {the Exchange event log|the server's log}" },
};

/* MS-ASPROV 2.2.2.54.1, in a response. */
static const struct eas_code_meaning policy[] = {
	{ 1, "Success", OK, "the policy was sent" },
	/* No policy: nothing to acknowledge, the device may go on. */
	{ 2, "NoPolicy", OK, "the server has no policy for this device: nothing to acknowledge",
	  NOPOL },
	{ 3, "UnknownPolicyType", CLIENT,
	  "the server does not know the requested PolicyType: a check-eas or protocol version problem" },
	{ 4, "PolicyDataCorrupted", FAIL,
	  "the policy data on the server is corrupt: re-save or recreate the {mobile device mailbox policy|device policy} of the monitoring account" },
	{ 5, "WrongPolicyKey", PROV,
	  "the acknowledged policy key is not the current one: provision again from policy key 0",
	  SIB },
};

/* MS-ASCMD 2.2.3.177.5. */
static const struct eas_code_meaning foldersync[] = {
	{ 1, "Success", OK, "the folder hierarchy was synchronized" },
	{ 6, "ServerError", LATER,
	  "{Exchange|the server} failed during FolderSync (often transient): retry; if it persists, check the mailbox and {the Exchange event log|the server's log}" },
	{ 9, "InvalidSyncKey", RESYNC,
	  "the server does not know the folder sync key (state lost or reset): start again with SyncKey 0",
	  SIB },
	{ 10, "IncorrectlyFormattedRequest", CLIENT,
	  "the server rejected the FolderSync request as malformed: a check-eas or protocol version problem" },
	{ 11, "UnknownError", FAIL,
	  "{Exchange|the server} reported an unknown FolderSync error: retry; if it persists, check {the Exchange event log|the server's log}" },
	{ 12, "CodeUnknown", FAIL,
	  "{Exchange|the server} reported an unusual back-end problem during FolderSync: check the mailbox and {the Exchange event log|the server's log}" },
};

/* MS-ASCMD 2.2.3.177.15: the Settings element's codes; the per-element
 * ones (DeviceInformation, UserInformation, Oof, ...) are a subset with
 * the same meanings. */
static const struct eas_code_meaning settings[] = {
	{ 1, "Success", OK, "the settings request succeeded" },
	{ 2, "ProtocolError", CLIENT,
	  "the server found a syntax error in the Settings request: a check-eas or protocol version problem" },
	{ 3, "AccessDenied", BLOCK,
	  "the server denied access to the setting for the monitoring account: check its permissions" },
	{ 4, "ServerUnavailable", LATER,
	  "the server could not serve the setting right now: retry; if it persists, check {the Exchange event log|the server's log}" },
	{ 5, "InvalidArguments", CLIENT,
	  "the server rejected the Settings arguments: a check-eas problem" },
	{ 6, "ConflictingArguments", CLIENT,
	  "the server found conflicting Settings arguments: a check-eas problem" },
	{ 7, "DeniedByPolicy", BLOCK,
	  "the setting is denied by policy for the monitoring account: check its {mobile device mailbox policy|device policy}" },
};

/* MS-ASCMD 2.2.3.177.17: the Sync, Collection and item codes. */
static const struct eas_code_meaning sync[] = {
	{ 1, "Success", OK, "the collection was synchronized" },
	{ 3, "InvalidSyncKey", RESYNC,
	  "the server does not know the sync key (state lost or reset): start again with SyncKey 0",
	  SIB },
	{ 4, "ProtocolError", CLIENT,
	  "the server found an error in the Sync request: a check-eas or protocol version problem" },
	{ 5, "ServerError", LATER,
	  "{Exchange|the server} failed during Sync (often transient): retry; if it persists, check the mailbox and {the Exchange event log|the server's log}" },
	{ 6, "ConversionError", CLIENT,
	  "the server could not convert an item sent by the client: a check-eas problem" },
	{ 7, "Conflict", FAIL,
	  "an item changed on the client and the server at once; the server's version wins: harmless unless it repeats" },
	{ 8, "ObjectNotFound", RESYNC,
	  "the item is gone from the server (deleted meanwhile): synchronize the folder again",
	  SIB },
	{ 9, "CannotComplete", MBX,
	  "the Sync cannot be completed, the mailbox may be out of space: check the mailbox quota and its database" },
	{ 12, "FolderHierarchyChanged", RESYNC,
	  "the folder hierarchy changed since the last FolderSync: run FolderSync again, then Sync",
	  SIB },
	{ 13, "RequestIncomplete", CLIENT,
	  "the server has no cached Sync request to complete the empty or partial one: a check-eas problem",
	  SIB },
	{ 14, "InvalidWaitOrHeartbeat", CLIENT,
	  "the Wait or HeartbeatInterval is out of the server's range: a check-eas problem" },
	{ 15, "InvalidRequest", CLIENT,
	  "the Sync request is invalid (too many collections?): a check-eas problem" },
	{ 16, "Retry", LATER,
	  "the server had a retriable problem during Sync: retry later; if it persists, check {the Exchange event log|the server's log}" },
};

/* MS-ASCMD 2.2.3.177.7. */
static const struct eas_code_meaning getitemestimate[] = {
	{ 1, "Success", OK, "the estimate was returned" },
	{ 2, "InvalidCollection", RESYNC,
	  "the folder ID is unknown to the server (deleted or hierarchy changed): run FolderSync again",
	  SIB },
	{ 3, "SyncStateNotPrimed", RESYNC,
	  "the folder was never synchronized from SyncKey 0 for this device: run Sync with SyncKey 0 first",
	  SIB },
	{ 4, "InvalidSyncKey", RESYNC,
	  "the server does not know the sync key (state lost or reset): start again with SyncKey 0",
	  SIB },
};

/* MS-ASCMD 2.2.3.177.11. */
static const struct eas_code_meaning ping[] = {
	{ 1, "HeartbeatExpired", OK,
	  "the heartbeat interval expired without a change in the watched folders" },
	{ 2, "ChangesFound", OK, "a watched folder changed: the device should Sync it" },
	{ 3, "MissingParameters", CLIENT,
	  "the Ping request lacks required parameters (the server has no earlier Ping to take them from): a check-eas problem" },
	{ 4, "SyntaxError", CLIENT,
	  "the server found a syntax error in the Ping request: a check-eas or protocol version problem" },
	{ 5, "HeartbeatOutOfRange", CLIENT,
	  "the heartbeat is out of the server's range: use one within it" },
	{ 6, "TooManyFolders", CLIENT,
	  "the Ping watches more folders than the server allows: watch fewer" },
	{ 7, "FolderSyncRequired", RESYNC,
	  "the folder hierarchy changed since the last FolderSync: run FolderSync again, then Ping" },
	{ 8, "ServerError", LATER,
	  "{Exchange|the server} failed while holding the Ping (often transient): retry; if it persists, check {the Exchange event log|the server's log}" },
};

/* MS-ASCMD 2.2.2: the same meaning in every command's answer. */
static const struct eas_code_meaning common[] = {
	{ 101, "InvalidContent", CLIENT,
	  "the request body could not be parsed (wrong Content-Type?): a check-eas problem" },
	{ 102, "InvalidWBXML", CLIENT,
	  "the server could not decode the WBXML request: a check-eas problem" },
	{ 103, "InvalidXML", CLIENT,
	  "the request is not valid for the command's schema: a check-eas or protocol version problem" },
	{ 104, "InvalidDateTime", CLIENT,
	  "a date or time in the request is invalid: a check-eas problem" },
	{ 105, "InvalidCombinationOfIDs", CLIENT,
	  "the request names IDs that do not go together: a check-eas problem" },
	{ 106, "InvalidIDs", CLIENT, "an ID in the request is invalid: a check-eas problem" },
	{ 107, "InvalidMIME", CLIENT,
	  "the MIME content of the request is invalid: a check-eas problem" },
	{ 108, "DeviceIdMissingOrInvalid", CLIENT,
	  "the device ID {device_id} is missing or invalid: use letters and digits only" },
	{ 109, "DeviceTypeMissingOrInvalid", CLIENT,
	  "the device type {device_type} is missing or invalid: use letters and digits only" },
	{ 110, "ServerError", MBX,
	  "{Exchange|the server} failed to serve the mailbox: check the mailbox's {database and the Exchange event log|storage and the server's log}" },
	{ 111, "ServerErrorRetryLater", LATER,
	  "{Exchange|the server} had a transient error (busy or throttled): retry later; if it persists, check load and throttling policies" },
	{ 112, "ActiveDirectoryAccessDenied", FAIL,
	  "{Exchange was denied access to Active Directory|the server was denied access to the directory} for this user: check the permissions and inheritance on the user object" },
	{ 113, "MailboxQuotaExceeded", MBX,
	  "the mailbox of the monitoring account is over its quota: empty it or raise the quota" },
	{ 114, "MailboxServerOffline", MBX,
	  "the mailbox database is offline or being moved: check the database copy status" },
	{ 115, "SendQuotaExceeded", MBX,
	  "the mailbox is over its send quota: empty it or raise the quota" },
	{ 116, "MessageRecipientUnresolved", FAIL,
	  "a recipient of the message could not be resolved: check the address" },
	{ 117, "MessageReplyNotAllowed", FAIL,
	  "the server does not allow a reply to this message" },
	{ 118, "MessagePreviouslySent", FAIL,
	  "the message was already sent (same ClientId): nothing to do unless it repeats" },
	{ 119, "MessageHasNoRecipient", FAIL, "the message has no recipient: a check-eas problem" },
	{ 120, "MailSubmissionFailed", FAIL,
	  "{Exchange|the server} could not submit the message: check the transport service and the event log" },
	{ 121, "MessageReplyFailed", FAIL,
	  "{Exchange|the server} could not send the reply or forward: check the transport service and the event log" },
	{ 122, "AttachmentIsTooLarge", FAIL, "the attachment exceeds the server's size limit" },
	{ 123, "UserHasNoMailbox", MBX,
	  "the monitoring account has no mailbox: create one or use a mailbox-enabled account" },
	{ 124, "UserCannotBeAnonymous", CLIENT,
	  "the request was anonymous: send credentials (a check-eas or reverse-proxy problem)" },
	{ 125, "UserPrincipalCouldNotBeFound", FAIL,
	  "the user was not found in Active Directory: check the user name (UPN or DOMAIN\\user)" },
	{ 126, "UserDisabledForSync", BLOCK,
	  "the user is not enabled for ActiveSync: {Set-CASMailbox -ActiveSyncEnabled $true|enable ActiveSync for the account}" },
	{ 127, "UserOnNewMailboxCannotSync", MBX,
	  "the mailbox is on a newer {Exchange|server} version than this server can proxy to: check the namespace and the CAS version" },
	{ 128, "UserOnLegacyMailboxCannotSync", MBX,
	  "the mailbox is on a legacy {Exchange|server} version this server cannot serve: check the namespace and the migration" },
	{ 129, "DeviceIsBlockedForThisUser", BLOCK,
	  "the monitoring device is quarantined or blocked: allow device type {device_type} / ID {device_id} in the device access rules" },
	{ 130, "AccessDenied", BLOCK,
	  "the server denied access to the user or device: check the device access rules and the user's ActiveSync settings" },
	{ 131, "AccountDisabled", BLOCK,
	  "the monitoring account is disabled: enable it in Active Directory" },
	{ 132, "SyncStateNotFound", RESYNC,
	  "the server lost the sync state (partnership removed or mailbox moved): start again with SyncKey 0",
	  SIB },
	/* Locked means another request for the same device is running: two
	 * checks sharing one device ID, not a broken state. */
	{ 133, "SyncStateLocked", LATER,
	  "the sync state is locked by another request: give each check its own device ID {device_id}, or retry later",
	  SIB },
	{ 134, "SyncStateCorrupt", RESYNC,
	  "the sync state on the server is corrupt: start again with SyncKey 0; if it repeats, remove the device partnership" },
	{ 135, "SyncStateAlreadyExists", RESYNC,
	  "the sync state already exists: start again with SyncKey 0" },
	{ 136, "SyncStateVersionInvalid", RESYNC,
	  "the sync state has an invalid version (after {an Exchange|a server} upgrade?): start again with SyncKey 0" },
	{ 137, "CommandNotSupported", CLIENT,
	  "the server does not support this command: check the protocol version and commands it offers" },
	{ 138, "VersionNotSupported", CLIENT,
	  "the server does not support the protocol version used: choose one from MS-ASProtocolVersions" },
	{ 139, "DeviceNotFullyProvisionable", BLOCK,
	  "the policy requires settings the device cannot apply: allow non-provisionable devices in the {mobile device mailbox policy|device policy}" },
	{ 140, "RemoteWipeRequested", WIPE,
	  "remote wipe requested for device {device_id}: check-eas never acknowledges a wipe; remove the wipe request and the device partnership" },
	{ 141, "LegacyDeviceOnStrictPolicy", BLOCK,
	  "the policy does not allow devices without a policy key: provision first, or allow non-provisionable devices in the policy" },
	{ 142, "DeviceNotProvisioned", PROV, "the device is not provisioned: provision and retry",
	  SIB },
	{ 143, "PolicyRefresh", PROV,
	  "the server wants a new policy acknowledgement: provision again and retry" },
	{ 144, "InvalidPolicyKey", PROV,
	  "the policy key is not the current one: provision again and retry", SIB },
	{ 145, "ExternallyManagedDevicesNotAllowed", BLOCK,
	  "the server does not allow externally managed devices: acknowledge the policy instead, or change the policy" },
	{ 146, "NoRecurrenceInCalendar", FAIL, "the meeting has no recurrence: a client problem" },
	{ 147, "UnexpectedItemClass", FAIL,
	  "the item class is not valid for this folder or command" },
	{ 148, "RemoteServerHasNoSSL", FAIL, "the remote server has no TLS enabled" },
	{ 149, "InvalidStoredRequest", CLIENT,
	  "the server's cached request is invalid: send the full request (a check-eas problem)" },
	{ 150, "ItemNotFound", FAIL,
	  "the item or folder was not found (deleted meanwhile?): synchronize again" },
	{ 151, "TooManyFolders", MBX,
	  "the mailbox has too many folders for ActiveSync: reduce the folders of the monitoring account" },
	{ 152, "NoFoldersFound", MBX,
	  "the server found no folders in the mailbox: check the mailbox of the monitoring account" },
	{ 153, "ItemsLostAfterMove", FAIL, "items were lost after a move" },
	{ 154, "FailureInMoveOperation", FAIL, "the move operation failed" },
	{ 155, "MoveCommandDisallowedForNonPersistentMoveAction", FAIL,
	  "a move of a conversation with a non-persistent action is not allowed" },
	{ 156, "MoveCommandInvalidDestinationFolder", FAIL,
	  "the destination folder of the move is invalid" },
	{ 160, "AvailabilityTooManyRecipients", FAIL,
	  "the availability request has too many recipients" },
	{ 161, "AvailabilityDLLimitReached", FAIL,
	  "the distribution list in the availability request is too large" },
	{ 162, "AvailabilityTransientFailure", LATER,
	  "the availability service failed transiently: retry later" },
	{ 163, "AvailabilityFailure", FAIL,
	  "the availability service failed: check {the Exchange event log|the server's log}" },
	{ 164, "BodyPartPreferenceTypeNotSupported", CLIENT,
	  "the requested BodyPartPreference type is not supported: a check-eas problem" },
	{ 165, "DeviceInformationRequired", CLIENT,
	  "the server requires the device information in Settings or Provision first: a check-eas problem" },
	{ 166, "InvalidAccountId", CLIENT, "the AccountId is invalid: a check-eas problem" },
	{ 167, "AccountSendDisabled", BLOCK,
	  "sending is disabled for this account: check its send permissions" },
	{ 168, "IRM_FeatureDisabled", FAIL,
	  "Information Rights Management is disabled on the server" },
	{ 169, "IRM_TransientError", LATER,
	  "Information Rights Management failed transiently: retry later" },
	{ 170, "IRM_PermanentError", FAIL,
	  "Information Rights Management failed: check its configuration" },
	{ 171, "IRM_InvalidTemplateID", FAIL, "the rights management template ID is invalid" },
	{ 172, "IRM_OperationNotPermitted", FAIL,
	  "the rights management license does not permit this operation" },
	{ 173, "NoPicture", FAIL, "the contact has no picture" },
	{ 174, "PictureTooLarge", FAIL, "the picture exceeds the requested size" },
	{ 175, "PictureLimitReached", FAIL, "more pictures than the requested limit" },
	{ 176, "BodyPart_ConversationTooLarge", FAIL,
	  "the conversation is too large to return as a body part" },
	{ 177, "MaximumDevicesReached", BLOCK,
	  "the device limit of the mailbox is reached: remove old partnerships of the monitoring account (Remove-MobileDevice)" },
};

#define N(t) (sizeof t / sizeof t[0])

static const struct {
	const char *name;
	const struct eas_code_meaning *rows;
	size_t n;
} cmds[EAS_CMD_COUNT] = {
	[EAS_CMD_PROVISION] = { "Provision", provision, N(provision) },
	[EAS_CMD_POLICY] = { "Policy", policy, N(policy) },
	[EAS_CMD_FOLDERSYNC] = { "FolderSync", foldersync, N(foldersync) },
	[EAS_CMD_SETTINGS] = { "Settings", settings, N(settings) },
	[EAS_CMD_SYNC] = { "Sync", sync, N(sync) },
	[EAS_CMD_GETITEMESTIMATE] = { "GetItemEstimate", getitemestimate, N(getitemestimate) },
	[EAS_CMD_PING] = { "Ping", ping, N(ping) },
};

const char *eas_code_cmd_name(enum eas_cmd c)
{
	return (unsigned)c < EAS_CMD_COUNT ? cmds[c].name : "command";
}

const char *eas_code_action_name(enum eas_code_action a)
{
	static const char *const names[EAS_CA_COUNT] = {
		"ok",      "provision", "resync", "retry_later", "wipe",
		"blocked", "mailbox",   "client", "fail",
	};
	return (unsigned)a < EAS_CA_COUNT ? names[a] : "fail";
}

static const struct eas_code_meaning *find(const struct eas_code_meaning *t, size_t n, int code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].code == code)
			return &t[mid];
		if (t[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct eas_code_meaning *eas_code_lookup(enum eas_cmd cmd, int code)
{
	static _Thread_local char text[96];
	static _Thread_local struct eas_code_meaning unknown;
	const struct eas_code_meaning *m = NULL;

	if ((unsigned)cmd < EAS_CMD_COUNT)
		m = find(cmds[cmd].rows, cmds[cmd].n, code);
	/* The low codes are per command: a common row never answers them. */
	if (!m && code >= 101)
		m = find(common, N(common), code);
	if (m)
		return m;
	snprintf(
		text, sizeof text,
		"unknown status %d in a %s answer: check {the Exchange event log|the server's log}",
		code, eas_code_cmd_name(cmd));
	unknown.code = code;
	unknown.name = "Unknown";
	unknown.action = FAIL;
	unknown.text = text;
	return &unknown;
}

/* text into buf with {device_type} and {device_id} filled, and each
 * {EXCHANGE WORDS|OTHER WORDS} as the server is Exchange or not. The
 * texts are data, never format strings. */
static void fill(char *buf, size_t size, const char *text, const char *device_type,
		 const char *device_id, bool exchange)
{
	static const char tk[] = "{device_type}", ik[] = "{device_id}";
	size_t len = strlen(buf);

	while (*text && len + 1 < size) {
		const char *v = NULL, *bar, *end;
		int n;

		if (!strncmp(text, tk, sizeof tk - 1)) {
			v = device_type ? device_type : "(unknown)";
			n = (int)strlen(v);
			text += sizeof tk - 1;
		} else if (!strncmp(text, ik, sizeof ik - 1)) {
			v = device_id ? device_id : "(unknown)";
			n = (int)strlen(v);
			text += sizeof ik - 1;
		} else if (*text == '{' && (end = strchr(text, '}')) &&
			   (bar = memchr(text, '|', (size_t)(end - text)))) {
			v = exchange ? text + 1 : bar + 1;
			n = (int)(exchange ? bar - text - 1 : end - bar - 1);
			text = end + 1;
		} else {
			buf[len++] = *text++;
			buf[len] = '\0';
			continue;
		}
		snprintf(buf + len, size - len, "%.*s", n, v);
		len += strlen(buf + len);
	}
}

void eas_code_explain(enum eas_cmd cmd, int code, const char *device_type, const char *device_id,
		      bool exchange, char *buf, size_t size)
{
	const struct eas_code_meaning *m = eas_code_lookup(cmd, code);

	if (!size)
		return;
	snprintf(buf, size, "%s status %d (%s): ", eas_code_cmd_name(cmd), code, m->name);
	fill(buf, size, m->text, device_type, device_id, exchange);
}

size_t eas_code_table(enum eas_cmd cmd, const struct eas_code_meaning **rows)
{
	if ((unsigned)cmd >= EAS_CMD_COUNT) {
		*rows = NULL;
		return 0;
	}
	*rows = cmds[cmd].rows;
	return cmds[cmd].n;
}

size_t eas_code_common_table(const struct eas_code_meaning **rows)
{
	*rows = common;
	return N(common);
}
