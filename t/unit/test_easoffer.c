/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/easoffer.h"
#include "tap.h"

int main(void)
{
	struct tap t = { 0 };
	struct eas_versions v;
	const char *full = "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1";

	TAP_OK(&t, eas_version_parse("16.1", 4) == 1601, "16.1 parses");
	TAP_OK(&t, eas_version_parse(" 2.5 ", 5) == 205, "spaces are trimmed");
	TAP_OK(&t, eas_version_parse("14.x", 4) < 0, "14.x is malformed");
	TAP_OK(&t, eas_version_parse("99999999999999999999", 20) < 0,
	       "overlong number is malformed");
	TAP_OK(&t,
	       eas_version_parse("14", 2) < 0 && eas_version_parse(".1", 2) < 0 &&
		       eas_version_parse("1.", 2) < 0 && eas_version_parse("", 0) < 0,
	       "partial versions are malformed");
	eas_versions_parse(full, &v);
	TAP_OK(&t, v.count == 9 && v.bad == 0 && v.highest == 1601,
	       "Exchange list: 9 versions, highest 16.1");
	eas_versions_parse("abc,,14.x,99999999999999999999999,", &v);
	TAP_OK(&t, v.count == 0 && v.bad == 3 && v.highest == -1,
	       "garbage list: nothing valid, 3 bad");
	eas_versions_parse(NULL, &v);
	TAP_OK(&t, v.count == 0 && v.highest == -1, "absent list");
	eas_versions_parse("12.1, 2.0 ,14.0", &v);
	TAP_OK(&t, v.highest == 1400 && v.count == 3, "unsorted list: highest found");
	TAP_OK(&t, eas_versions_has(full, 1401) && !eas_versions_has(full, 1402),
	       "version membership");
	TAP_OK(&t, eas_list_count("Sync,SendMail,,Provision, ") == 3, "empty entries not counted");
	TAP_OK(&t, eas_list_count(",,,") == 0 && eas_list_count(NULL) == 0, "empty lists count 0");
	TAP_OK(&t,
	       eas_list_has("Sync,SendMail,Provision", "provision") &&
		       !eas_list_has("Sync,SendMail,Provision", "Prov") &&
		       !eas_list_has("Sync,ProvisionX", "Provision"),
	       "command membership is exact, case-insensitive");
	return tap_done(&t);
}
