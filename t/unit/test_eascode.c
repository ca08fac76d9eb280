/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one table of in-body ActiveSync status codes: lookups, overrides,
 * placeholders and the shape of every row. */
#include "eas/eascode.h"
#include "tap.h"

/* Every row named, explained in under 200 characters, the table sorted
 * and without duplicates. */
static void check_rows(struct tap *t, const char *what, const struct eas_code_meaning *rows,
		       size_t n)
{
	int bad = 0, sorted = 1;

	for (size_t i = 0; i < n; i++) {
		const struct eas_code_meaning *r = &rows[i];

		if (!r->name || !*r->name || !r->text || !*r->text || strlen(r->text) >= 200 ||
		    (unsigned)r->action >= EAS_CA_COUNT) {
			bad++;
			printf("# %s %d: bad row\n", what, r->code);
		}
		if (i && rows[i - 1].code >= r->code) {
			sorted = 0;
			printf("# %s %d: out of order or duplicate\n", what, r->code);
		}
	}
	TAP_OK(t, n > 0 && !bad, "%s: %zu rows named, texts under 200 chars", what, n);
	TAP_OK(t, sorted, "%s: sorted, no duplicate code", what);
}

/* The expected action of every row, written out here independently of
 * common/eas/eascode.c (MS-ASCMD 2.2.2 and 2.2.3.177, MS-ASPROV
 * 2.2.2.54): a changed action, a lost row or a new row without a line here
 * fails. COMMON marks the codes common to every command (101 and up). */
#define COMMON EAS_CMD_COUNT
static const struct expect {
	int cmd;
	int code;
	const char *name;
	enum eas_code_action action;
} expected[] = {
	{ EAS_CMD_PROVISION, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_PROVISION, 2, "ProtocolError", EAS_CA_CLIENT },
	{ EAS_CMD_PROVISION, 3, "ServerError", EAS_CA_RETRY_LATER },
	{ EAS_CMD_POLICY, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_POLICY, 2, "NoPolicy", EAS_CA_OK },
	{ EAS_CMD_POLICY, 3, "UnknownPolicyType", EAS_CA_CLIENT },
	{ EAS_CMD_POLICY, 4, "PolicyDataCorrupted", EAS_CA_FAIL },
	{ EAS_CMD_POLICY, 5, "WrongPolicyKey", EAS_CA_PROVISION },
	{ EAS_CMD_FOLDERSYNC, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_FOLDERSYNC, 6, "ServerError", EAS_CA_RETRY_LATER },
	{ EAS_CMD_FOLDERSYNC, 9, "InvalidSyncKey", EAS_CA_RESYNC },
	{ EAS_CMD_FOLDERSYNC, 10, "IncorrectlyFormattedRequest", EAS_CA_CLIENT },
	{ EAS_CMD_FOLDERSYNC, 11, "UnknownError", EAS_CA_FAIL },
	{ EAS_CMD_FOLDERSYNC, 12, "CodeUnknown", EAS_CA_FAIL },
	{ EAS_CMD_SETTINGS, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_SETTINGS, 2, "ProtocolError", EAS_CA_CLIENT },
	{ EAS_CMD_SETTINGS, 3, "AccessDenied", EAS_CA_BLOCKED },
	{ EAS_CMD_SETTINGS, 4, "ServerUnavailable", EAS_CA_RETRY_LATER },
	{ EAS_CMD_SETTINGS, 5, "InvalidArguments", EAS_CA_CLIENT },
	{ EAS_CMD_SETTINGS, 6, "ConflictingArguments", EAS_CA_CLIENT },
	{ EAS_CMD_SETTINGS, 7, "DeniedByPolicy", EAS_CA_BLOCKED },
	{ EAS_CMD_SYNC, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_SYNC, 3, "InvalidSyncKey", EAS_CA_RESYNC },
	{ EAS_CMD_SYNC, 4, "ProtocolError", EAS_CA_CLIENT },
	{ EAS_CMD_SYNC, 5, "ServerError", EAS_CA_RETRY_LATER },
	{ EAS_CMD_SYNC, 6, "ConversionError", EAS_CA_CLIENT },
	{ EAS_CMD_SYNC, 7, "Conflict", EAS_CA_FAIL },
	{ EAS_CMD_SYNC, 8, "ObjectNotFound", EAS_CA_RESYNC },
	{ EAS_CMD_SYNC, 9, "CannotComplete", EAS_CA_MAILBOX },
	{ EAS_CMD_SYNC, 12, "FolderHierarchyChanged", EAS_CA_RESYNC },
	{ EAS_CMD_SYNC, 13, "RequestIncomplete", EAS_CA_CLIENT },
	{ EAS_CMD_SYNC, 14, "InvalidWaitOrHeartbeat", EAS_CA_CLIENT },
	{ EAS_CMD_SYNC, 15, "InvalidRequest", EAS_CA_CLIENT },
	{ EAS_CMD_SYNC, 16, "Retry", EAS_CA_RETRY_LATER },
	{ EAS_CMD_GETITEMESTIMATE, 1, "Success", EAS_CA_OK },
	{ EAS_CMD_GETITEMESTIMATE, 2, "InvalidCollection", EAS_CA_RESYNC },
	{ EAS_CMD_GETITEMESTIMATE, 3, "SyncStateNotPrimed", EAS_CA_RESYNC },
	{ EAS_CMD_GETITEMESTIMATE, 4, "InvalidSyncKey", EAS_CA_RESYNC },
	{ EAS_CMD_PING, 1, "HeartbeatExpired", EAS_CA_OK },
	{ EAS_CMD_PING, 2, "ChangesFound", EAS_CA_OK },
	{ EAS_CMD_PING, 3, "MissingParameters", EAS_CA_CLIENT },
	{ EAS_CMD_PING, 4, "SyntaxError", EAS_CA_CLIENT },
	{ EAS_CMD_PING, 5, "HeartbeatOutOfRange", EAS_CA_CLIENT },
	{ EAS_CMD_PING, 6, "TooManyFolders", EAS_CA_CLIENT },
	{ EAS_CMD_PING, 7, "FolderSyncRequired", EAS_CA_RESYNC },
	{ EAS_CMD_PING, 8, "ServerError", EAS_CA_RETRY_LATER },
	{ COMMON, 101, "InvalidContent", EAS_CA_CLIENT },
	{ COMMON, 102, "InvalidWBXML", EAS_CA_CLIENT },
	{ COMMON, 103, "InvalidXML", EAS_CA_CLIENT },
	{ COMMON, 104, "InvalidDateTime", EAS_CA_CLIENT },
	{ COMMON, 105, "InvalidCombinationOfIDs", EAS_CA_CLIENT },
	{ COMMON, 106, "InvalidIDs", EAS_CA_CLIENT },
	{ COMMON, 107, "InvalidMIME", EAS_CA_CLIENT },
	{ COMMON, 108, "DeviceIdMissingOrInvalid", EAS_CA_CLIENT },
	{ COMMON, 109, "DeviceTypeMissingOrInvalid", EAS_CA_CLIENT },
	{ COMMON, 110, "ServerError", EAS_CA_MAILBOX },
	{ COMMON, 111, "ServerErrorRetryLater", EAS_CA_RETRY_LATER },
	{ COMMON, 112, "ActiveDirectoryAccessDenied", EAS_CA_FAIL },
	{ COMMON, 113, "MailboxQuotaExceeded", EAS_CA_MAILBOX },
	{ COMMON, 114, "MailboxServerOffline", EAS_CA_MAILBOX },
	{ COMMON, 115, "SendQuotaExceeded", EAS_CA_MAILBOX },
	{ COMMON, 116, "MessageRecipientUnresolved", EAS_CA_FAIL },
	{ COMMON, 117, "MessageReplyNotAllowed", EAS_CA_FAIL },
	{ COMMON, 118, "MessagePreviouslySent", EAS_CA_FAIL },
	{ COMMON, 119, "MessageHasNoRecipient", EAS_CA_FAIL },
	{ COMMON, 120, "MailSubmissionFailed", EAS_CA_FAIL },
	{ COMMON, 121, "MessageReplyFailed", EAS_CA_FAIL },
	{ COMMON, 122, "AttachmentIsTooLarge", EAS_CA_FAIL },
	{ COMMON, 123, "UserHasNoMailbox", EAS_CA_MAILBOX },
	{ COMMON, 124, "UserCannotBeAnonymous", EAS_CA_CLIENT },
	{ COMMON, 125, "UserPrincipalCouldNotBeFound", EAS_CA_FAIL },
	{ COMMON, 126, "UserDisabledForSync", EAS_CA_BLOCKED },
	{ COMMON, 127, "UserOnNewMailboxCannotSync", EAS_CA_MAILBOX },
	{ COMMON, 128, "UserOnLegacyMailboxCannotSync", EAS_CA_MAILBOX },
	{ COMMON, 129, "DeviceIsBlockedForThisUser", EAS_CA_BLOCKED },
	{ COMMON, 130, "AccessDenied", EAS_CA_BLOCKED },
	{ COMMON, 131, "AccountDisabled", EAS_CA_BLOCKED },
	{ COMMON, 132, "SyncStateNotFound", EAS_CA_RESYNC },
	{ COMMON, 133, "SyncStateLocked", EAS_CA_RETRY_LATER },
	{ COMMON, 134, "SyncStateCorrupt", EAS_CA_RESYNC },
	{ COMMON, 135, "SyncStateAlreadyExists", EAS_CA_RESYNC },
	{ COMMON, 136, "SyncStateVersionInvalid", EAS_CA_RESYNC },
	{ COMMON, 137, "CommandNotSupported", EAS_CA_CLIENT },
	{ COMMON, 138, "VersionNotSupported", EAS_CA_CLIENT },
	{ COMMON, 139, "DeviceNotFullyProvisionable", EAS_CA_BLOCKED },
	{ COMMON, 140, "RemoteWipeRequested", EAS_CA_WIPE },
	{ COMMON, 141, "LegacyDeviceOnStrictPolicy", EAS_CA_BLOCKED },
	{ COMMON, 142, "DeviceNotProvisioned", EAS_CA_PROVISION },
	{ COMMON, 143, "PolicyRefresh", EAS_CA_PROVISION },
	{ COMMON, 144, "InvalidPolicyKey", EAS_CA_PROVISION },
	{ COMMON, 145, "ExternallyManagedDevicesNotAllowed", EAS_CA_BLOCKED },
	{ COMMON, 146, "NoRecurrenceInCalendar", EAS_CA_FAIL },
	{ COMMON, 147, "UnexpectedItemClass", EAS_CA_FAIL },
	{ COMMON, 148, "RemoteServerHasNoSSL", EAS_CA_FAIL },
	{ COMMON, 149, "InvalidStoredRequest", EAS_CA_CLIENT },
	{ COMMON, 150, "ItemNotFound", EAS_CA_FAIL },
	{ COMMON, 151, "TooManyFolders", EAS_CA_MAILBOX },
	{ COMMON, 152, "NoFoldersFound", EAS_CA_MAILBOX },
	{ COMMON, 153, "ItemsLostAfterMove", EAS_CA_FAIL },
	{ COMMON, 154, "FailureInMoveOperation", EAS_CA_FAIL },
	{ COMMON, 155, "MoveCommandDisallowedForNonPersistentMoveAction", EAS_CA_FAIL },
	{ COMMON, 156, "MoveCommandInvalidDestinationFolder", EAS_CA_FAIL },
	{ COMMON, 160, "AvailabilityTooManyRecipients", EAS_CA_FAIL },
	{ COMMON, 161, "AvailabilityDLLimitReached", EAS_CA_FAIL },
	{ COMMON, 162, "AvailabilityTransientFailure", EAS_CA_RETRY_LATER },
	{ COMMON, 163, "AvailabilityFailure", EAS_CA_FAIL },
	{ COMMON, 164, "BodyPartPreferenceTypeNotSupported", EAS_CA_CLIENT },
	{ COMMON, 165, "DeviceInformationRequired", EAS_CA_CLIENT },
	{ COMMON, 166, "InvalidAccountId", EAS_CA_CLIENT },
	{ COMMON, 167, "AccountSendDisabled", EAS_CA_BLOCKED },
	{ COMMON, 168, "IRM_FeatureDisabled", EAS_CA_FAIL },
	{ COMMON, 169, "IRM_TransientError", EAS_CA_RETRY_LATER },
	{ COMMON, 170, "IRM_PermanentError", EAS_CA_FAIL },
	{ COMMON, 171, "IRM_InvalidTemplateID", EAS_CA_FAIL },
	{ COMMON, 172, "IRM_OperationNotPermitted", EAS_CA_FAIL },
	{ COMMON, 173, "NoPicture", EAS_CA_FAIL },
	{ COMMON, 174, "PictureTooLarge", EAS_CA_FAIL },
	{ COMMON, 175, "PictureLimitReached", EAS_CA_FAIL },
	{ COMMON, 176, "BodyPart_ConversationTooLarge", EAS_CA_FAIL },
	{ COMMON, 177, "MaximumDevicesReached", EAS_CA_BLOCKED },
};

/* cmd has its own row for code (in the expectation, not the table). */
static int own_row(int cmd, int code)
{
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (expected[i].cmd == cmd && expected[i].code == code)
			return 1;
	return 0;
}

/* Every expected row is what the lookup answers: a command's own rows for
 * it, a common row for every command without its own. Then the tables
 * hold no row more than expected. */
static void check_expected(struct tap *t)
{
	size_t want[EAS_CMD_COUNT + 1] = { 0 };
	const struct eas_code_meaning *rows;

	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct expect *e = &expected[i];
		const char *bad = NULL;

		want[e->cmd]++;
		for (int c = 0; c < EAS_CMD_COUNT && !bad; c++) {
			const struct eas_code_meaning *m;

			if (e->cmd == COMMON ? own_row(c, e->code) : c != e->cmd)
				continue;
			m = eas_code_lookup(c, e->code);
			if (m->code != e->code || m->action != e->action ||
			    strcmp(m->name, e->name))
				bad = eas_code_cmd_name(c);
		}
		TAP_OK(t, !bad, "%s %d (%s): %s%s%s",
		       e->cmd == COMMON ? "common" : eas_code_cmd_name(e->cmd), e->code, e->name,
		       eas_code_action_name(e->action), bad ? ", not in " : "", bad ? bad : "");
	}
	for (int c = 0; c < EAS_CMD_COUNT; c++)
		TAP_OK(t, eas_code_table(c, &rows) == want[c], "%s: %zu rows, as expected",
		       eas_code_cmd_name(c), want[c]);
	TAP_OK(t, eas_code_common_table(&rows) == want[COMMON], "common: %zu rows, as expected",
	       want[COMMON]);
}

int main(void)
{
	struct tap t = { 0 };
	const struct eas_code_meaning *rows, *m, *f, *s;
	char buf[512], bad[512];
	size_t n;

	for (int c = 0; c < EAS_CMD_COUNT; c++) {
		n = eas_code_table(c, &rows);
		check_rows(&t, eas_code_cmd_name(c), rows, n);
		m = eas_code_lookup(c, 1);
		/* Ping's 1 is success too, named for what it says: the
		 * heartbeat expired with nothing to announce. */
		TAP_OK(&t,
		       m->action == EAS_CA_OK &&
			       !strcmp(m->name, c == EAS_CMD_PING ? "HeartbeatExpired" : "Success"),
		       "%s: 1 is success", eas_code_cmd_name(c));
		for (int code = 142; code <= 144; code++)
			TAP_OK(&t, eas_code_lookup(c, code)->action == EAS_CA_PROVISION,
			       "%s: %d provisions", eas_code_cmd_name(c), code);
		TAP_OK(&t, eas_code_lookup(c, 140)->action == EAS_CA_WIPE, "%s: 140 is a wipe",
		       eas_code_cmd_name(c));
		/* The low codes never fall through to another meaning. */
		m = eas_code_lookup(c, 2);
		if (m->action != EAS_CA_FAIL || strcmp(m->name, "Unknown"))
			TAP_OK(&t, m->code == 2 && strcmp(m->name, "Unknown"),
			       "%s: 2 is its own row", eas_code_cmd_name(c));
	}
	n = eas_code_common_table(&rows);
	check_rows(&t, "common", rows, n);
	TAP_OK(&t, rows[0].code == 101 && rows[n - 1].code == 177, "common: 101 to 177");
	for (size_t i = 0; i < n; i++)
		if (rows[i].code >= 157 && rows[i].code <= 159)
			TAP_OK(&t, 0, "common: 157-159 are not defined");

	/* Per-command codes override: FolderSync 9 and Sync 9 differ. */
	f = eas_code_lookup(EAS_CMD_FOLDERSYNC, 9);
	s = eas_code_lookup(EAS_CMD_SYNC, 9);
	TAP_OK(&t, f != s && f->action == EAS_CA_RESYNC && s->action == EAS_CA_MAILBOX,
	       "FolderSync 9 resyncs, Sync 9 is the mailbox");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SYNC, 3)->action == EAS_CA_RESYNC,
	       "Sync 3: invalid sync key resyncs");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SYNC, 16)->action == EAS_CA_RETRY_LATER,
	       "Sync 16: retry later");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_GETITEMESTIMATE, 4)->action == EAS_CA_RESYNC,
	       "GetItemEstimate 4 resyncs");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_POLICY, 5)->action == EAS_CA_PROVISION,
	       "Policy 5: wrong key provisions again");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SETTINGS, 7)->action == EAS_CA_BLOCKED,
	       "Settings 7: denied by policy");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SYNC, 132)->action == EAS_CA_RESYNC, "132 resyncs");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SYNC, 111)->action == EAS_CA_RETRY_LATER,
	       "111 retry later");
	TAP_OK(&t,
	       eas_code_lookup(EAS_CMD_SYNC, 126)->action == EAS_CA_BLOCKED &&
		       strstr(eas_code_lookup(EAS_CMD_SYNC, 126)->text, "ActiveSyncEnabled"),
	       "126: user not enabled, with the cmdlet");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_FOLDERSYNC, 177)->action == EAS_CA_BLOCKED,
	       "177: device limit blocked");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_FOLDERSYNC, 114)->action == EAS_CA_MAILBOX,
	       "114: mailbox server offline");
	TAP_OK(&t, eas_code_lookup(EAS_CMD_SYNC, 102)->action == EAS_CA_CLIENT, "102: our WBXML");

	/* What another client with our device ID causes: started over once
	 * (EAS_CF_SIBLING); nothing else is. */
	{
		static const struct {
			enum eas_cmd cmd;
			int code;
		} sib[] = {
			{ EAS_CMD_POLICY, 5 },
			{ EAS_CMD_FOLDERSYNC, 9 },
			{ EAS_CMD_SYNC, 3 },
			{ EAS_CMD_SYNC, 8 },
			{ EAS_CMD_SYNC, 12 },
			{ EAS_CMD_SYNC, 13 },
			{ EAS_CMD_GETITEMESTIMATE, 2 },
			{ EAS_CMD_GETITEMESTIMATE, 3 },
			{ EAS_CMD_GETITEMESTIMATE, 4 },
			{ EAS_CMD_SETTINGS, 132 },
			{ EAS_CMD_SYNC, 133 },
			{ EAS_CMD_FOLDERSYNC, 142 },
			{ EAS_CMD_FOLDERSYNC, 144 },
		};
		size_t flagged = 0, total = 0;

		for (size_t i = 0; i < sizeof sib / sizeof sib[0]; i++)
			TAP_OK(&t, eas_code_lookup(sib[i].cmd, sib[i].code)->flags & EAS_CF_SIBLING,
			       "%s %d: a sibling can cause it", eas_code_cmd_name(sib[i].cmd),
			       sib[i].code);
		for (int c = 0; c < EAS_CMD_COUNT; c++) {
			n = eas_code_table(c, &rows);
			for (size_t i = 0; i < n; i++, total++)
				flagged += (rows[i].flags & EAS_CF_SIBLING) != 0;
		}
		n = eas_code_common_table(&rows);
		for (size_t i = 0; i < n; i++, total++)
			flagged += (rows[i].flags & EAS_CF_SIBLING) != 0;
		TAP_OK(&t, flagged == 13, "%zu of %zu rows flagged, no others", flagged, total);
		TAP_OK(&t,
		       !(eas_code_lookup(EAS_CMD_POLICY, 1)->flags & EAS_CF_SIBLING) &&
			       !(eas_code_lookup(EAS_CMD_SYNC, 143)->flags & EAS_CF_SIBLING) &&
			       !(eas_code_lookup(EAS_CMD_SYNC, 99)->flags & EAS_CF_SIBLING),
		       "success, 143 and unknown codes are not flagged");
	}

	/* Nothing to acknowledge: the policy table's NoPolicy (2) alone. */
	{
		size_t nopol = 0;

		for (int c = 0; c < EAS_CMD_COUNT; c++) {
			n = eas_code_table(c, &rows);
			for (size_t i = 0; i < n; i++)
				nopol += (rows[i].flags & EAS_CF_NO_POLICY) != 0;
		}
		n = eas_code_common_table(&rows);
		for (size_t i = 0; i < n; i++)
			nopol += (rows[i].flags & EAS_CF_NO_POLICY) != 0;
		TAP_OK(&t,
		       nopol == 1 &&
			       (eas_code_lookup(EAS_CMD_POLICY, 2)->flags & EAS_CF_NO_POLICY) &&
			       eas_code_lookup(EAS_CMD_POLICY, 2)->action == EAS_CA_OK,
		       "NoPolicy: Policy status 2 alone means nothing to acknowledge (%zu rows)",
		       nopol);
	}

	/* Unknown codes: named as such, FAIL, never NULL. */
	m = eas_code_lookup(EAS_CMD_SYNC, 2);
	TAP_OK(&t,
	       m && m->action == EAS_CA_FAIL && m->code == 2 && strstr(m->text, "unknown status 2"),
	       "Sync 2 is unknown: %s", m->text);
	m = eas_code_lookup(EAS_CMD_FOLDERSYNC, 158);
	TAP_OK(&t, m->action == EAS_CA_FAIL && strstr(m->text, "unknown status 158"),
	       "158 is unknown");
	m = eas_code_lookup(EAS_CMD_SETTINGS, 99);
	TAP_OK(&t, strstr(m->text, "unknown status 99") != NULL, "99 is not a common code");
	m = eas_code_lookup(EAS_CMD_COUNT, 1);
	TAP_OK(&t, m && m->action == EAS_CA_FAIL, "bad command: unknown, not NULL");
	m = eas_code_lookup(EAS_CMD_SYNC, -1);
	TAP_OK(&t, strstr(m->text, "unknown status -1") != NULL, "negative code");

	/* Placeholders filled. */
	eas_code_explain(EAS_CMD_FOLDERSYNC, 129, "CheckEAS", "MON01", true, buf, sizeof buf);
	TAP_OK(&t,
	       !strncmp(buf, "FolderSync status 129 (DeviceIsBlockedForThisUser): ",
			strlen("FolderSync status 129 (DeviceIsBlockedForThisUser): ")) &&
		       strstr(buf, "device type CheckEAS / ID MON01") && !strchr(buf, '{'),
	       "129 explained: %s", buf);
	eas_code_explain(EAS_CMD_SYNC, 140, NULL, NULL, true, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "device (unknown)") && strstr(buf, "never acknowledges"),
	       "140 without device ID: %s", buf);
	eas_code_explain(EAS_CMD_SYNC, 3, "T", "I", true, buf, sizeof buf);
	TAP_OK(&t, !strncmp(buf, "Sync status 3 (InvalidSyncKey): ", 32), "Sync 3 explained");
	eas_code_explain(EAS_CMD_GETITEMESTIMATE, 7, "T", "I", true, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "GetItemEstimate status 7 (Unknown): unknown status 7") == buf,
	       "unknown explained: %s", buf);
	eas_code_explain(EAS_CMD_FOLDERSYNC, 129, "CheckEAS", "MON01", true, buf, 40);
	TAP_OK(&t, strlen(buf) == 39, "explain truncates to the buffer");
	eas_code_explain(EAS_CMD_FOLDERSYNC, 129, "CheckEAS", "MON01", true, buf, 90);
	TAP_OK(&t, strlen(buf) <= 89, "explain truncates inside the text");

	/* Exchange's own steps only for Exchange. */
	eas_code_explain(EAS_CMD_SYNC, 110, "T", "I", true, buf, sizeof buf);
	TAP_OK(&t,
	       strstr(buf, "Exchange failed to serve the mailbox") &&
		       strstr(buf, "Exchange event log"),
	       "110 from Exchange: Exchange's words: %s", buf);
	eas_code_explain(EAS_CMD_SYNC, 110, "T", "I", false, buf, sizeof buf);
	TAP_OK(&t,
	       !strcmp(buf,
		       "Sync status 110 (ServerError): the server failed to serve the mailbox: "
		       "check the mailbox's storage and the server's log"),
	       "110 from another server: any server's words: %s", buf);
	eas_code_explain(EAS_CMD_PROVISION, 126, "T", "I", false, buf, sizeof buf);
	TAP_OK(&t,
	       !strstr(buf, "Set-CASMailbox") && strstr(buf, "enable ActiveSync for the account"),
	       "126 from another server: no PowerShell: %s", buf);
	eas_code_explain(EAS_CMD_PROVISION, 126, "T", "I", true, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "Set-CASMailbox -ActiveSyncEnabled $true") != NULL,
	       "126 from Exchange: Set-CASMailbox");
	bad[0] = 0;
	for (int c = 0; c < EAS_CMD_COUNT && !bad[0]; c++)
		for (int code = -1; code < 200 && !bad[0]; code++) {
			eas_code_explain((enum eas_cmd)c, code, "T", "I", false, buf, sizeof buf);
			if (strstr(buf, "Exchange") || strpbrk(buf, "{|"))
				snprintf(bad, sizeof bad, "%s", buf);
			eas_code_explain((enum eas_cmd)c, code, "T", "I", true, buf, sizeof buf);
			if (strpbrk(buf, "{|"))
				snprintf(bad, sizeof bad, "%s", buf);
		}
	TAP_OK(&t, !bad[0],
	       "every status of every command: no Exchange words for another server, no "
	       "placeholder left%s%s",
	       bad[0] ? ": " : "", bad);

	check_expected(&t);
	TAP_OK(&t, !strcmp(eas_code_cmd_name(EAS_CMD_GETITEMESTIMATE), "GetItemEstimate"),
	       "command name");
	TAP_OK(&t, !strcmp(eas_code_action_name(EAS_CA_RETRY_LATER), "retry_later"), "action name");
	return tap_done(&t);
}
