/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe-run: drive the probe's request model directly, for t/12-probe.t.
 *   probe-run [--keep] [--post BODY] [--type CT] [--query NAME=VALUE]...
 *             [--header H]... [--basic USER:PASS] [--bearer TOKEN]
 *             --ca-file FILE URL COUNT
 * Makes COUNT requests (over one shared connection with --keep, else each
 * on a fresh one) and prints one line per request:
 *   status=200 reused=0 fail=none body=<the body, newlines as '|'> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/probe.h"

#define MAXQ 8

int main(int argc, char **argv)
{
	struct eas_param query[MAXQ + 1] = { { 0 } };
	const char *headers[MAXQ + 1] = { 0 };
	struct eas_request req = { .method = "GET" };
	struct eas_conn *conn = NULL;
	size_t nq = 0, nh = 0;
	bool keep = false;
	int i, count;

	for (i = 1; i < argc - 2; i++) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--keep")) {
			keep = true;
			continue;
		}
		i++;
		if (!strcmp(a, "--post")) {
			req.method = "POST";
			req.body = v;
			req.body_len = strlen(v);
		} else if (!strcmp(a, "--type")) {
			req.content_type = v;
		} else if (!strcmp(a, "--query") && nq < MAXQ) {
			char *eq = strchr(argv[i], '=');

			if (!eq)
				return 2;
			*eq = 0;
			query[nq].name = argv[i];
			query[nq++].value = eq + 1;
		} else if (!strcmp(a, "--header") && nh < MAXQ) {
			headers[nh++] = v;
		} else if (!strcmp(a, "--basic")) {
			char *colon = strchr(argv[i], ':');

			if (!colon)
				return 2;
			*colon = 0;
			req.auth = EAS_HTTPAUTH_BASIC;
			req.user = argv[i];
			req.password = colon + 1;
		} else if (!strcmp(a, "--bearer")) {
			req.auth = EAS_HTTPAUTH_BEARER;
			req.token = v;
		} else if (!strcmp(a, "--ca-file")) {
			req.ca_file = v;
		} else {
			fprintf(stderr, "probe-run: unknown option %s\n", a);
			return 2;
		}
	}
	if (i != argc - 2)
		return 2;
	req.url = argv[argc - 2];
	req.query = query;
	req.headers = headers;
	req.timeout_ms = 10000;
	count = atoi(argv[argc - 1]);
	if (eas_probe_global_init() || (keep && eas_conn_open(&conn)))
		return 2;
	for (int n = 0; n < count; n++) {
		struct eas_response res;

		if (keep)
			eas_conn_run(conn, &req, &res);
		else
			eas_probe_run(&req, &res);
		for (char *c = res.body; c && *c; c++)
			if (*c == '\n')
				*c = '|';
		printf("status=%ld reused=%d fail=%s tls=%s body=%s\n", res.status, res.reused,
		       eas_fail_name(res.fail), res.tls.version, res.body ? res.body : "");
		eas_response_free(&res);
	}
	eas_conn_close(conn);
	eas_probe_global_cleanup();
	return 0;
}
