#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "probe_internal.h"

#define BODY_KEEP_DEFAULT (64 * 1024)
#define READ_LIMIT_DEFAULT (1024 * 1024)
#define SYSTEM_CA_PATH "/etc/ssl/certs"

const char *eas_phase_name(int phase)
{
	static const char *const names[] = {
		"starting", "DNS lookup", "TCP connect", "TLS handshake",
		"waiting for the response", "reading the response", "done",
	};
	return phase >= 0 && phase <= EAS_PHASE_DONE ? names[phase] : "unknown";
}

int eas_probe_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void eas_probe_global_cleanup(void)
{
	curl_global_cleanup();
}

static int on_sockopt(void *p, curl_socket_t fd, curlsocktype purpose)
{
	struct probe_ctx *pc = p;

	(void)fd;
	(void)purpose;
	pc->res->phase = EAS_PHASE_CONNECT;
	return CURL_SOCKOPT_OK;
}

static int on_prereq(void *p, char *conn_ip, char *local_ip, int conn_port,
		     int local_port)
{
	struct probe_ctx *pc = p;

	(void)local_ip;
	(void)conn_port;
	(void)local_port;
	snprintf(pc->res->ip, sizeof pc->res->ip, "%s", conn_ip);
	pc->res->phase = EAS_PHASE_WAIT;
	return CURL_PREREQFUNC_OK;
}

static void set_header(char **slot, const char *v, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		return;
	memcpy(s, v, len);
	s[len] = 0;
	free(*slot);
	*slot = s;
}

static void clear_headers(struct eas_headers *h)
{
	char **all[] = { &h->eas_server, &h->versions, &h->commands,
			 &h->www_authenticate, &h->ms_location, &h->location,
			 &h->retry_after, &h->content_type, &h->server };

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		free(*all[i]);
		*all[i] = NULL;
	}
}

static size_t on_header(char *buf, size_t size, size_t n, void *p)
{
	static const struct { const char *name; size_t off; } wanted[] = {
		{ "MS-Server-ActiveSync", offsetof(struct eas_headers, eas_server) },
		{ "MS-ASProtocolVersions", offsetof(struct eas_headers, versions) },
		{ "MS-ASProtocolCommands", offsetof(struct eas_headers, commands) },
		{ "WWW-Authenticate", offsetof(struct eas_headers, www_authenticate) },
		{ "X-MS-Location", offsetof(struct eas_headers, ms_location) },
		{ "Location", offsetof(struct eas_headers, location) },
		{ "Retry-After", offsetof(struct eas_headers, retry_after) },
		{ "Content-Type", offsetof(struct eas_headers, content_type) },
		{ "Server", offsetof(struct eas_headers, server) },
	};
	struct probe_ctx *pc = p;
	struct eas_response *res = pc->res;
	size_t len = size * n;
	const char *colon;

	res->phase = EAS_PHASE_READ;
	res->bytes += len;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len > 5 && !strncmp(buf, "HTTP/", 5)) {
		/* A new response (after 100 Continue, say): start afresh. */
		const char *sp = memchr(buf, ' ', len), *sp2;

		clear_headers(&res->hdr);
		res->reason[0] = 0;
		if (sp) {
			sp2 = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - buf));
			if (sp2) {
				size_t rl = len - (size_t)(sp2 + 1 - buf);

				if (rl >= sizeof res->reason)
					rl = sizeof res->reason - 1;
				memcpy(res->reason, sp2 + 1, rl);
				res->reason[rl] = 0;
			}
		}
		return size * n;
	}
	colon = memchr(buf, ':', len);
	if (!colon)
		return size * n;
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
		size_t nl = strlen(wanted[i].name);
		const char *v;

		if ((size_t)(colon - buf) != nl || strncasecmp(buf, wanted[i].name, nl))
			continue;
		v = colon + 1;
		while (v < buf + len && (*v == ' ' || *v == '\t'))
			v++;
		set_header((char **)((char *)&res->hdr + wanted[i].off), v,
			   (size_t)(buf + len - v));
		break;
	}
	return size * n;
}

static size_t on_body(char *buf, size_t size, size_t n, void *p)
{
	struct probe_ctx *pc = p;
	struct eas_response *res = pc->res;
	size_t len = size * n;
	size_t keep = pc->req->body_keep ? pc->req->body_keep : BODY_KEEP_DEFAULT;
	size_t limit = pc->req->read_limit ? pc->req->read_limit : READ_LIMIT_DEFAULT;

	res->phase = EAS_PHASE_READ;
	res->bytes += len;
	if (res->body_len < keep) {
		size_t take = keep - res->body_len < len ? keep - res->body_len : len;

		if (!res->body) {
			res->body = malloc(keep + 1);
			if (!res->body)
				return 0;
		}
		memcpy(res->body + res->body_len, buf, take);
		res->body_len += take;
		res->body[res->body_len] = 0;
	}
	if (res->bytes > limit) {
		/* A hostile or broken server cannot make us read forever. */
		pc->limit_hit = true;
		res->truncated = true;
		return 0;
	}
	return len;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static long curl_tls_version(long v)
{
	switch (v) {
	case 10: return CURL_SSLVERSION_TLSv1_0;
	case 11: return CURL_SSLVERSION_TLSv1_1;
	case 12: return CURL_SSLVERSION_TLSv1_2;
	case 13: return CURL_SSLVERSION_TLSv1_3;
	default: return CURL_SSLVERSION_DEFAULT;
	}
}

static long curl_tls_max(long v)
{
	switch (v) {
	case 10: return CURL_SSLVERSION_MAX_TLSv1_0;
	case 11: return CURL_SSLVERSION_MAX_TLSv1_1;
	case 12: return CURL_SSLVERSION_MAX_TLSv1_2;
	case 13: return CURL_SSLVERSION_MAX_TLSv1_3;
	default: return CURL_SSLVERSION_MAX_DEFAULT;
	}
}

/* host and port of a URL, for CURLOPT_RESOLVE / CONNECT_TO entries. */
static int url_host_port(const char *url, char *host, size_t hsize, long *port)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	int rc = -1;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &h, 0) &&
	    !curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT)) {
		snprintf(host, hsize, "%s", h);
		*port = strtol(p, NULL, 10);
		rc = 0;
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

static int setup(struct probe_ctx *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = curl_easy_init();

	if (!c)
		return -1;
	pc->curl = c;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, pc->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(c, CURLOPT_PRIVATE, pc);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "check-eas/" PACKAGE_VERSION);
	/* Each probe stands alone: no reused connection or TLS session. */
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (req->timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(c, CURLOPT_SOCKOPTDATA, pc);
	curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(c, CURLOPT_PREREQDATA, pc);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, pc);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, pc);

	/* Trust store: a hashed directory is looked up lazily, one file per
	 * issuer, while a bundle is parsed whole on every run. So by default
	 * use the system directory and not the bundle compiled into libcurl. */
	if (req->ca_file || req->ca_path) {
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
		curl_easy_setopt(c, CURLOPT_CAPATH, req->ca_path);
	} else if (is_dir(SYSTEM_CA_PATH)) {
		curl_easy_setopt(c, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(c, CURLOPT_CAPATH, SYSTEM_CA_PATH);
	}
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION,
			 curl_tls_version(req->tls_min) | curl_tls_max(req->tls_max));
	curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, eas_probe_ssl_ctx);
	curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, pc);

	if (req->connect_ip || req->connect_host) {
		char host[256], entry[512];
		long port;

		if (url_host_port(req->url, host, sizeof host, &port))
			return -1;
		if (req->connect_ip)
			snprintf(entry, sizeof entry, "%s:%ld:%s", host, port,
				 req->connect_ip);
		else
			snprintf(entry, sizeof entry, "%s:%ld:%s:%ld", host, port,
				 req->connect_host, port);
		pc->resolve = curl_slist_append(NULL, entry);
		curl_easy_setopt(c, req->connect_ip ? CURLOPT_RESOLVE
				 : CURLOPT_CONNECT_TO, pc->resolve);
	}
	if (!req->method) {
		curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	} else {
		if (!strcmp(req->method, "HEAD"))
			curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		else if (strcmp(req->method, "GET"))
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
		for (const char *const *h = req->headers; h && *h; h++)
			pc->headers = curl_slist_append(pc->headers, *h);
		if (pc->headers)
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, pc->headers);
	}
	if (req->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, req->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
				 req->password ? req->password : "");
	}
	return 0;
}

static void finish(struct probe_ctx *pc, CURLcode rc)
{
	struct eas_response *res = pc->res;
	curl_off_t dns = 0, conn = 0, app = 0, pre = 0, first = 0, total = 0;
	long status = 0;

	curl_easy_getinfo(pc->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(pc->curl, CURLINFO_NAMELOOKUP_TIME_T, &dns);
	curl_easy_getinfo(pc->curl, CURLINFO_CONNECT_TIME_T, &conn);
	curl_easy_getinfo(pc->curl, CURLINFO_APPCONNECT_TIME_T, &app);
	curl_easy_getinfo(pc->curl, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(pc->curl, CURLINFO_STARTTRANSFER_TIME_T, &first);
	curl_easy_getinfo(pc->curl, CURLINFO_TOTAL_TIME_T, &total);
	res->status = status;
	res->t.dns = dns / 1e6;
	res->t.connect = conn > dns ? (conn - dns) / 1e6 : 0;
	res->t.tls = app > conn ? (app - conn) / 1e6 : 0;
	{
		curl_off_t ready = app > conn ? app : conn;

		if (pre > ready)
			ready = pre;
		res->t.firstbyte = first > ready ? (first - ready) / 1e6 : 0;
	}
	res->t.total = total / 1e6;
	if (!res->ip[0]) {
		char *ip = NULL;

		if (!curl_easy_getinfo(pc->curl, CURLINFO_PRIMARY_IP, &ip) && ip)
			snprintf(res->ip, sizeof res->ip, "%s", ip);
	}
	if (rc == CURLE_WRITE_ERROR && pc->limit_hit)
		rc = CURLE_OK;  /* we stopped reading on purpose */
	eas_probe_classify(pc, rc);
	if (res->fail == EAS_FAIL_NONE)
		res->phase = EAS_PHASE_DONE;
}

static void release(struct probe_ctx *pc)
{
	curl_slist_free_all(pc->headers);
	curl_slist_free_all(pc->resolve);
	if (pc->curl)
		curl_easy_cleanup(pc->curl);
	pc->curl = NULL;
	pc->headers = pc->resolve = NULL;
}

static void prepare(struct probe_ctx *pc, const struct eas_request *req,
		    struct eas_response *res)
{
	memset(pc, 0, sizeof *pc);
	memset(res, 0, sizeof *res);
	res->tls.alert_received = res->tls.alert_sent = -1;
	res->phase = EAS_PHASE_DNS;
	pc->req = req;
	pc->res = res;
}

int eas_probe_run(const struct eas_request *req, struct eas_response *res)
{
	return eas_probe_run_many(req, res, 1) ? -1 : 0;
}

size_t eas_probe_run_many(const struct eas_request *reqs,
			  struct eas_response *res, size_t n)
{
	struct probe_ctx *pcs = calloc(n ? n : 1, sizeof *pcs);
	CURLM *multi = curl_multi_init();
	size_t failed = 0;
	int running = 0;

	if (!pcs || !multi) {
		for (size_t i = 0; i < n; i++) {
			memset(&res[i], 0, sizeof res[i]);
			res[i].fail = EAS_FAIL_SETUP;
			snprintf(res[i].what, sizeof res[i].what, "out of memory");
		}
		free(pcs);
		if (multi)
			curl_multi_cleanup(multi);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		prepare(&pcs[i], &reqs[i], &res[i]);
		if (setup(&pcs[i])) {
			res[i].fail = EAS_FAIL_SETUP;
			snprintf(res[i].what, sizeof res[i].what,
				 "cannot set up the request for %s", reqs[i].url);
			release(&pcs[i]);
			continue;
		}
		curl_multi_add_handle(multi, pcs[i].curl);
	}
	do {
		CURLMcode mc = curl_multi_perform(multi, &running);
		CURLMsg *msg;
		int left;

		while ((msg = curl_multi_info_read(multi, &left))) {
			struct probe_ctx *pc = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&pc);
			finish(pc, msg->data.result);
		}
		if (mc != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	} while (running);
	for (size_t i = 0; i < n; i++) {
		if (pcs[i].curl)
			curl_multi_remove_handle(multi, pcs[i].curl);
		release(&pcs[i]);
		if (res[i].fail != EAS_FAIL_NONE)
			failed++;
	}
	curl_multi_cleanup(multi);
	free(pcs);
	return failed;
}

void eas_response_free(struct eas_response *res)
{
	clear_headers(&res->hdr);
	free(res->body);
	res->body = NULL;
	sk_X509_pop_free(res->tls.sent, X509_free);
	sk_X509_pop_free(res->tls.chain, X509_free);
	res->tls.sent = res->tls.chain = NULL;
}
