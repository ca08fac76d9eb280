#include "httpdiag.h"
#include "tap.h"

int main(void)
{
	struct tap t = { 0 };
	struct eas_response res = { 0 };
	char buf[320];

	TAP_OK(&t, eas_iis_substatus("<h3>HTTP Error 403.7 - Forbidden</h3>", 403) == 7, "403.7 found");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 403.16 - Forbidden", 403) == 16, "403.16 found");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 401.2 - Unauthorized", 401) == 2, "401.2 found");
	TAP_OK(&t, eas_iis_substatus("403 - Forbidden: Access is denied.", 403) == -1, "plain 403 has none");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 403.7", 401) == -1, "other status ignored");
	TAP_OK(&t, eas_iis_substatus("1403.7 and 403.x", 403) == -1, "no false matches");
	TAP_OK(&t, eas_iis_substatus(NULL, 403) == -1, "no body");
	TAP_OK(&t, eas_iis_substatus("403.99999999999999999999", 403) == -1, "overlong sub-status ignored");

	res.status = 403;
	eas_http_meaning(&res, 7, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "client certificate") != NULL, "403.7 explains client certificate: %s", buf);
	res.status = 451;
	res.hdr.ms_location = "https://mail2.example.com/Microsoft-Server-ActiveSync";
	eas_http_meaning(&res, -1, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "mail2.example.com") != NULL, "451 names X-MS-Location");
	res.hdr.ms_location = NULL;
	res.status = 503;
	res.hdr.retry_after = "120";
	eas_http_meaning(&res, -1, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "retry after 120s") != NULL, "503 gives Retry-After: %s", buf);
	res.hdr.retry_after = NULL;
	res.status = 200;
	eas_http_meaning(&res, -1, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "not Exchange") != NULL, "200 without headers is a proxy page");
	res.status = 999;
	eas_http_meaning(&res, -1, buf, sizeof buf);
	TAP_OK(&t, strstr(buf, "unexpected HTTP 999") != NULL, "unknown status named");
	return tap_done(&t);
}
