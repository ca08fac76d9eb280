/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the sync check's answer readers (common/eassteps,
 * common/eascode): a WBXML document from the input goes through every
 * command's parser, as a hostile server's answer would. Invariants: the
 * parsers never fail on a decoded tree of their command, keys and texts
 * stay NUL-terminated within their buffers, counts agree with what is
 * there, and every status has a meaning with words. */
#include <string.h>

#include "eas/eascode.h"
#include "eas/eassteps.h"
#include "fuzz.h"
#include "eas/wbxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_status(enum eas_cmd cmd, int status)
{
	char text[400];

	if (status < 0)
		return;
	eas_code_explain(cmd, status, "T", "I", status & 1, text, sizeof text);
	FUZZ_ASSERT(text[0] && strlen(text) < sizeof text, "no words for status %d", status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct eas_wbxml_limits lim = { 64 * 1024, 16, 2000 };
	struct eas_wbxml_doc doc;
	struct eas_provision_answer p;
	struct eas_foldersync_answer f;
	struct eas_settings_answer s;
	struct eas_sync_answer y;
	struct eas_estimate_answer e;
	char err[200];

	if (eas_wbxml_decode(data, size, &lim, &doc, err, sizeof err))
		return 0;
	if (!eas_provision_parse(doc.root, &p, err, sizeof err)) {
		FUZZ_ASSERT(strlen(p.policy_key) <= EAS_KEY_MAX, "policy key overran");
		check_status(EAS_CMD_PROVISION, p.status);
		check_status(EAS_CMD_POLICY, p.policy_status);
	}
	if (!eas_foldersync_parse(doc.root, &f, err, sizeof err)) {
		FUZZ_ASSERT(strlen(f.synckey) <= EAS_KEY_MAX, "sync key overran");
		for (size_t i = 0; i < f.nfolders; i++)
			FUZZ_ASSERT(strlen(f.folders[i].name) < sizeof f.folders[i].name &&
					    strlen(f.folders[i].id) <= EAS_KEY_MAX,
				    "folder overran");
		(void)eas_folder_find(&f, "inbox");
		(void)eas_folder_find(&f, "Archive");
		check_status(EAS_CMD_FOLDERSYNC, f.status);
		eas_foldersync_free(&f);
	}
	if (!eas_settings_parse(doc.root, &s, err, sizeof err)) {
		FUZZ_ASSERT(strlen(s.primary) < sizeof s.primary, "address overran");
		check_status(EAS_CMD_SETTINGS, s.status);
	}
	if (!eas_sync_parse(doc.root, &y, err, sizeof err)) {
		FUZZ_ASSERT(y.added >= 0 && y.changed >= 0, "negative counts");
		check_status(EAS_CMD_SYNC, y.status);
	}
	if (!eas_estimate_parse(doc.root, &e, err, sizeof err))
		check_status(EAS_CMD_GETITEMESTIMATE, e.status);
	eas_wbxml_doc_free(&doc);
	return 0;
}
