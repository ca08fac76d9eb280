#include "httpdiag.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eas_iis_substatus(const char *body, long status)
{
	char code[8];
	const char *p;
	int n;

	if (!body || status < 100 || status > 599)
		return -1;
	snprintf(code, sizeof code, "%ld.", status);
	/* "HTTP Error 403.7 - Forbidden", "403.16 - Forbidden: ..." */
	for (p = strstr(body, code); p; p = strstr(p + 1, code)) {
		const char *d = p + strlen(code);

		if (p > body && isdigit((unsigned char)p[-1]))
			continue;
		if (!isdigit((unsigned char)*d))
			continue;
		n = 0;
		while (isdigit((unsigned char)*d) && n < 1000)
			n = n * 10 + (*d++ - '0');
		if (isdigit((unsigned char)*d))
			continue;
		return n;
	}
	return -1;
}

int eas_has_eas_headers(const struct eas_response *res)
{
	return res->hdr.versions && res->hdr.commands;
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "(not given)";
}

void eas_http_meaning(const struct eas_response *res, int sub, char *buf,
		      size_t size)
{
	long st = res->status;

	switch (st) {
	case 200:
		if (eas_has_eas_headers(res))
			snprintf(buf, size, "HTTP 200 with the ActiveSync headers");
		else
			snprintf(buf, size, "HTTP 200 but without the ActiveSync "
				 "headers: a reverse-proxy or login page answers, "
				 "not Exchange");
		return;
	case 301: case 302: case 303: case 307: case 308:
		snprintf(buf, size, "HTTP %ld redirect to %s: a reverse proxy "
			 "sends clients to a login page, or the URL is wrong "
			 "(devices do not follow this)", st,
			 or_unknown(res->hdr.location));
		return;
	case 401:
		if (sub == 1)
			snprintf(buf, size, "HTTP 401.1: logon failed, the user "
				 "name or password was rejected");
		else if (sub == 2)
			snprintf(buf, size, "HTTP 401.2: no accepted authentication "
				 "(a client certificate passed TLS but is not mapped "
				 "to an account: IIS client certificate mapping is "
				 "off or misconfigured)");
		else if (sub == 3)
			snprintf(buf, size, "HTTP 401.3: the account lacks file "
				 "permissions on the EAS virtual directory");
		else
			snprintf(buf, size, "HTTP 401: authentication required or "
				 "credentials rejected (by Exchange or a reverse "
				 "proxy in front of it)%s%s",
				 res->hdr.www_authenticate ? "; server offers " : "",
				 res->hdr.www_authenticate ? res->hdr.www_authenticate : "");
		return;
	case 403:
		switch (sub) {
		case 4:
			snprintf(buf, size, "HTTP 403.4: SSL required, the server "
				 "refuses plain HTTP (use https://)");
			return;
		case 7:
			snprintf(buf, size, "HTTP 403.7: the server requires a "
				 "client certificate and none was sent");
			return;
		case 16:
			snprintf(buf, size, "HTTP 403.16: the client certificate is "
				 "untrusted or invalid (its CA is not trusted by "
				 "IIS, or revocation cannot be checked)");
			return;
		case 17:
			snprintf(buf, size, "HTTP 403.17: the client certificate has "
				 "expired or is not yet valid");
			return;
		default:
			snprintf(buf, size, "HTTP 403: access forbidden; the service "
				 "is up but refuses this client (device access rule, "
				 "SSL or client-certificate requirement, proxy rule)");
			return;
		}
	case 404:
		snprintf(buf, size, "HTTP 404: not found, wrong path or the EAS "
			 "virtual directory (Microsoft-Server-ActiveSync) is "
			 "missing or not published by the proxy");
		return;
	case 449:
		snprintf(buf, size, "HTTP 449: retry after Provision; the service "
			 "is up but wants the device to accept its policy first");
		return;
	case 451:
		snprintf(buf, size, "HTTP 451: the mailbox is served elsewhere, "
			 "clients are told to use %s", or_unknown(res->hdr.ms_location));
		return;
	case 500:
		snprintf(buf, size, "HTTP 500: internal server error in Exchange "
			 "or IIS (application pool or back end down?)");
		return;
	case 501:
		snprintf(buf, size, "HTTP 501 not implemented: the server is "
			 "alive but does not accept this method");
		return;
	case 502: case 504:
		snprintf(buf, size, "HTTP %ld: the reverse proxy cannot reach "
			 "Exchange behind it", st);
		return;
	case 503:
		snprintf(buf, size, "HTTP 503: service unavailable (overloaded, "
			 "stopped or in maintenance)%s%s%s",
			 res->hdr.retry_after ? ", retry after " : "",
			 res->hdr.retry_after ? res->hdr.retry_after : "",
			 res->hdr.retry_after && isdigit((unsigned char)res->hdr.retry_after[0])
				 ? "s" : "");
		return;
	case 505:
		snprintf(buf, size, "HTTP 505 version not supported: the server is "
			 "alive but refuses this HTTP version");
		return;
	default:
		snprintf(buf, size, "unexpected HTTP %ld%s%s", st,
			 res->reason[0] ? " " : "", res->reason);
		return;
	}
}
