/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/target.h"

#include <stdio.h>
#include <string.h>

int eas_target_request(const struct eas_opts *o, struct eas_request *req, char *urlbuf,
		       size_t urlsize, char *err, size_t errlen)
{
	const char *name = o->sni ? o->sni : o->hostname;
	int n;

	eas_target_transport(o, req);
	if (o->url) {
		n = snprintf(urlbuf, urlsize, "%s", o->url);
	} else {
		/* An IPv6 literal needs brackets in a URL. */
		bool v6 = strchr(name, ':') && name[0] != '[';

		n = snprintf(urlbuf, urlsize, "https://%s%s%s:%ld%s", v6 ? "[" : "", name,
			     v6 ? "]" : "", o->port, o->url_path);
	}
	if (n < 0 || (size_t)n >= urlsize) {
		snprintf(err, errlen, "URL too long");
		return -1;
	}
	req->url = urlbuf;
	if (o->ip)
		req->connect_ip = o->ip;
	else if (o->ip_name)
		req->connect_host = o->ip_name;
	else if (o->sni && o->hostname && strcmp(o->sni, o->hostname))
		req->connect_host = o->hostname;
	return 0;
}

void eas_target_transport(const struct eas_opts *o, struct eas_request *req)
{
	memset(req, 0, sizeof *req);
	req->ca_file = o->ca_file;
	req->ca_path = o->ca_path;
	req->insecure = o->insecure;
	req->tls_min = o->tls_min;
	req->tls_max = o->tls_max;
	req->ip_version = o->ip_version;
	req->resolve = o->resolve;
	req->connect_to = o->connect_to;
	req->proxy = o->proxy;
	req->noproxy = o->noproxy;
}
