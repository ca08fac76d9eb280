/* Shared between the probe's own files; not for plugins. */
#ifndef EAS_PROBE_INTERNAL_H
#define EAS_PROBE_INTERNAL_H

#include <curl/curl.h>

#include "probe.h"

struct probe_ctx {
	const struct eas_request *req;
	struct eas_response *res;
	CURL *curl;
	struct curl_slist *headers, *resolve;
	char errbuf[CURL_ERROR_SIZE];
	bool limit_hit;
};

/* probe_tls.c: install our hooks into libcurl's SSL_CTX. */
CURLcode eas_probe_ssl_ctx(CURL *curl, void *ssl_ctx, void *userptr);
/* probe_error.c: turn a libcurl result into res->fail and plain words. */
void eas_probe_classify(struct probe_ctx *pc, CURLcode rc);

#endif
