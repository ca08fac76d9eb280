/* SPDX-License-Identifier: GPL-3.0-or-later */
/* curlmin: the minimal libcurl program doing what check_eas_options does
 * on the wire (one OPTIONS request over TLS, verified against a hashed
 * trust-store directory), the floor the benchmark measures the plugin
 * against. Usage: curlmin URL CA_DIR. Exit 0 when the request completed. */
#include <stdio.h>

#include <curl/curl.h>

static size_t discard(char *buf, size_t size, size_t n, void *p)
{
	(void)buf;
	(void)p;
	return size * n;
}

int main(int argc, char **argv)
{
	CURL *c;
	CURLcode rc;

	if (argc != 3 || curl_global_init(CURL_GLOBAL_DEFAULT))
		return 3;
	c = curl_easy_init();
	if (!c)
		return 3;
	curl_easy_setopt(c, CURLOPT_URL, argv[1]);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "OPTIONS");
	curl_easy_setopt(c, CURLOPT_CAINFO, NULL);
	curl_easy_setopt(c, CURLOPT_CAPATH, argv[2]);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc == CURLE_OK ? 0 : 2;
}
