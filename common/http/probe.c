/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running requests: on a fresh connection each, several at once, or one
 * after another over a shared connection. All three go through the same
 * preparation, the same libcurl multi loop and the same finish. */
#include "http/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/probe_internal.h"

const char *eas_phase_name(int phase)
{
	static const char *const names[] = {
		"starting",
		"DNS lookup",
		"TCP connect",
		"TLS handshake",
		"waiting for the response",
		"reading the response",
		"done",
	};
	return phase >= 0 && phase <= EAS_PHASE_DONE ? names[phase] : "unknown";
}

static void put(char *buf, size_t *len, size_t size, const char *s)
{
	while (s && *s && *len + 1 < size)
		buf[(*len)++] = *s++;
}

size_t eas_phase_text(int phase, const char *step, char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return 0;
	if ((phase == EAS_PHASE_WAIT || phase == EAS_PHASE_READ) && step) {
		put(buf, &len, size, phase == EAS_PHASE_WAIT ? "waiting for the " : "reading the ");
		put(buf, &len, size, step);
		put(buf, &len, size, " response");
	} else {
		put(buf, &len, size, "in the ");
		put(buf, &len, size, eas_phase_name(phase));
		if (step && phase != EAS_PHASE_DONE) {
			put(buf, &len, size, " (");
			put(buf, &len, size, step);
			put(buf, &len, size, ")");
		}
	}
	buf[len] = 0;
	return len;
}

int eas_probe_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void eas_probe_global_cleanup(void)
{
	curl_global_cleanup();
}

/* What one request leaves on the handle: released before the next. */
static void release_request(struct eas_conn *pc)
{
	curl_slist_free_all(pc->headers);
	curl_slist_free_all(pc->resolve);
	curl_slist_free_all(pc->connect_to);
	curl_slist_free_all(pc->rcpt);
	curl_url_cleanup(pc->url);
	pc->headers = pc->resolve = pc->connect_to = pc->rcpt = NULL;
	pc->uploaded = 0;
	pc->url = NULL;
}

static int conn_init(struct eas_conn *pc, bool keep)
{
	memset(pc, 0, sizeof *pc);
	pc->keep = keep;
	eas_probe_tls_clear(&pc->tls);
	pc->curl = curl_easy_init();
	return pc->curl ? 0 : -1;
}

static void conn_release(struct eas_conn *pc)
{
	release_request(pc);
	if (pc->curl)
		curl_easy_cleanup(pc->curl);
	pc->curl = NULL;
	eas_probe_tls_clear(&pc->tls);
}

static int prepare(struct eas_conn *pc, const struct eas_request *req, struct eas_response *res)
{
	memset(res, 0, sizeof *res);
	res->tls.alert_received = res->tls.alert_sent = -1;
	res->phase = EAS_PHASE_DNS;
	res->cert_offered = req->identity != NULL;
	res->token_offered = req->auth == EAS_HTTPAUTH_BEARER && req->token && *req->token;
	pc->req = req;
	pc->res = res;
	pc->limit_hit = false;
	pc->new_response = true;
	pc->t_sock.tv_sec = pc->t_tls.tv_sec = 0;
	pc->t_sock.tv_nsec = pc->t_tls.tv_nsec = 0;
	pc->errbuf[0] = 0;
	release_request(pc);
	curl_easy_reset(pc->curl);
	if (!pc->curl || eas_probe_setup(pc)) {
		res->fail = EAS_FAIL_SETUP;
		snprintf(res->what, sizeof res->what, "cannot set up the request for %s", req->url);
		return -1;
	}
	return 0;
}

/* The connection's TLS facts into the response: moved when the connection
 * ends with this request, shared when it stays open for the next. */
static void tls_to_response(struct eas_conn *pc)
{
	struct eas_tls_info *ti = &pc->res->tls;

	*ti = pc->tls;
	if (pc->keep) {
		ti->sent = pc->tls.sent ? X509_chain_up_ref(pc->tls.sent) : NULL;
		ti->chain = pc->tls.chain ? X509_chain_up_ref(pc->tls.chain) : NULL;
	} else {
		pc->tls.sent = pc->tls.chain = NULL;
	}
}

static void finish(struct eas_conn *pc, CURLcode rc)
{
	struct eas_response *res = pc->res;
	curl_off_t dns = 0, conn = 0, app = 0, pre = 0, first = 0, total = 0;
	long status = 0, connects = 0;

	curl_easy_getinfo(pc->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(pc->curl, CURLINFO_NUM_CONNECTS, &connects);
	curl_easy_getinfo(pc->curl, CURLINFO_NAMELOOKUP_TIME_T, &dns);
	curl_easy_getinfo(pc->curl, CURLINFO_CONNECT_TIME_T, &conn);
	curl_easy_getinfo(pc->curl, CURLINFO_APPCONNECT_TIME_T, &app);
	curl_easy_getinfo(pc->curl, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(pc->curl, CURLINFO_STARTTRANSFER_TIME_T, &first);
	curl_easy_getinfo(pc->curl, CURLINFO_TOTAL_TIME_T, &total);
	res->status = status;
	res->reused = pc->keep && connects == 0 && rc == CURLE_OK;
	res->t.dns = dns / 1e6;
	res->t.connect = conn > dns ? (conn - dns) / 1e6 : 0;
	res->t.has_connect = conn > 0;
	if (!conn && pc->t_sock.tv_sec && pc->t_tls.tv_sec) {
		/* Connected, then the handshake failed: curl keeps no time. */
		res->t.connect = (double)(pc->t_tls.tv_sec - pc->t_sock.tv_sec) +
				 (double)(pc->t_tls.tv_nsec - pc->t_sock.tv_nsec) / 1e9;
		res->t.has_connect = res->t.connect >= 0;
	}
	res->t.tls = app > conn ? (app - conn) / 1e6 : 0;
	res->t.has_tls = app > 0;
	{
		curl_off_t ready = app > conn ? app : conn;

		if (pre > ready)
			ready = pre;
		res->t.firstbyte = first > ready ? (first - ready) / 1e6 : 0;
		res->t.has_firstbyte = first > 0 && status != 0;
	}
	res->t.total = total / 1e6;
	if (!res->ip[0]) {
		char *ip = NULL;

		if (!curl_easy_getinfo(pc->curl, CURLINFO_PRIMARY_IP, &ip) && ip)
			snprintf(res->ip, sizeof res->ip, "%s", ip);
	}
	tls_to_response(pc);
	eas_probe_scrub(pc);
	if (rc == CURLE_WRITE_ERROR && pc->limit_hit)
		rc = CURLE_OK; /* we stopped reading on purpose */
	eas_probe_classify(pc, rc);
	if (res->fail == EAS_FAIL_NONE)
		res->phase = EAS_PHASE_DONE;
}

/* eas_conn_run_with's second request: it joins the loop once the first
 * has waited delay_ms for its answer. */
struct side {
	struct eas_conn *pc;
	long delay_ms;
	bool started;
	struct timespec t0, waiting; /* the loop's start; the first began to wait */
	double *at;                  /* seconds from t0 to its start */
};

static double since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->tv_sec) + (double)(now.tv_nsec - a->tv_nsec) / 1e9;
}

/* Start the side request when its time has come; the milliseconds until
 * then (at most 1000, the loop's usual wake-up). */
static long side_due(CURLM *multi, struct eas_conn *first, struct side *sd, int *running)
{
	double left;

	if (!sd || sd->started || first->res->phase < EAS_PHASE_WAIT)
		return 1000;
	if (!sd->waiting.tv_sec)
		clock_gettime(CLOCK_MONOTONIC, &sd->waiting);
	left = (double)sd->delay_ms / 1000.0 - since(&sd->waiting);
	if (left > 0)
		return left > 1.0 ? 1000 : (long)(left * 1000) + 1;
	sd->started = true;
	*sd->at = since(&sd->t0);
	curl_multi_add_handle(multi, sd->pc->curl);
	(*running)++;
	return 0;
}

/* The one loop every request goes through. */
static void drive(CURLM *multi, struct eas_conn **pcs, size_t n, struct side *sd)
{
	int running = 0;

	for (size_t i = 0; i < n; i++)
		if (pcs[i] && pcs[i]->res->fail == EAS_FAIL_NONE)
			curl_multi_add_handle(multi, pcs[i]->curl);
	if (sd)
		clock_gettime(CLOCK_MONOTONIC, &sd->t0);
	do {
		CURLMcode mc = curl_multi_perform(multi, &running);
		CURLMsg *msg;
		int left;
		long wait;

		while ((msg = curl_multi_info_read(multi, &left))) {
			struct eas_conn *pc = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&pc);
			finish(pc, msg->data.result);
		}
		if (mc != CURLM_OK)
			break;
		wait = running && n ? side_due(multi, pcs[0], sd, &running) : 1000;
		if (running && wait)
			curl_multi_poll(multi, NULL, 0, (int)wait, NULL);
	} while (running);
	for (size_t i = 0; i < n; i++)
		if (pcs[i])
			curl_multi_remove_handle(multi, pcs[i]->curl);
	if (sd && sd->started)
		curl_multi_remove_handle(multi, sd->pc->curl);
}

int eas_probe_run(const struct eas_request *req, struct eas_response *res)
{
	return eas_probe_run_many(req, res, 1) ? -1 : 0;
}

size_t eas_probe_run_many(const struct eas_request *reqs, struct eas_response *res, size_t n)
{
	struct eas_conn *conns = calloc(n ? n : 1, sizeof *conns);
	struct eas_conn **pcs = calloc(n ? n : 1, sizeof *pcs);
	CURLM *multi = curl_multi_init();
	struct eas_store_share share = { NULL, NULL };
	size_t failed = 0;

	for (size_t i = 0; i < n; i++) {
		if (!conns || !pcs || !multi || conn_init(&conns[i], false)) {
			memset(&res[i], 0, sizeof res[i]);
			res[i].fail = EAS_FAIL_SETUP;
			snprintf(res[i].what, sizeof res[i].what, "out of memory");
			continue;
		}
		pcs[i] = &conns[i];
		conns[i].share = &share;
		prepare(&conns[i], &reqs[i], &res[i]);
	}
	if (conns && pcs && multi)
		drive(multi, pcs, n, NULL);
	for (size_t i = 0; i < n; i++) {
		if (conns)
			conn_release(&conns[i]);
		if (res[i].fail != EAS_FAIL_NONE)
			failed++;
	}
	if (multi)
		curl_multi_cleanup(multi);
	X509_STORE_free(share.store);
	free(pcs);
	free(conns);
	return failed;
}

/* A shared connection keeps its own multi handle: that is where libcurl
 * keeps the open connection between two requests. */
struct shared_conn {
	struct eas_conn pc;
	CURLM *multi;
};

int eas_conn_open(struct eas_conn **conn)
{
	struct shared_conn *sc = calloc(1, sizeof *sc);

	*conn = NULL;
	if (!sc)
		return -1;
	sc->multi = curl_multi_init();
	if (!sc->multi || conn_init(&sc->pc, true)) {
		eas_conn_close(&sc->pc);
		return -1;
	}
	*conn = &sc->pc;
	return 0;
}

int eas_conn_run(struct eas_conn *conn, const struct eas_request *req, struct eas_response *res)
{
	struct shared_conn *sc = (struct shared_conn *)conn;
	struct eas_conn *pc = &sc->pc;

	if (!prepare(pc, req, res))
		drive(sc->multi, &pc, 1, NULL);
	return res->fail == EAS_FAIL_NONE ? 0 : -1;
}

int eas_conn_run_with(struct eas_conn *conn, const struct eas_request *req,
		      struct eas_response *res, const struct eas_request *side_req,
		      struct eas_response *side_res, long delay_ms, double *side_at)
{
	struct shared_conn *sc = (struct shared_conn *)conn;
	struct eas_conn *pc = &sc->pc, side_conn;
	struct side sd = { .pc = &side_conn, .delay_ms = delay_ms, .at = side_at };

	*side_at = -1;
	if (conn_init(&side_conn, false)) {
		memset(side_res, 0, sizeof *side_res);
		side_res->fail = EAS_FAIL_SETUP;
		snprintf(side_res->what, sizeof side_res->what, "out of memory");
		return eas_conn_run(conn, req, res);
	}
	prepare(&side_conn, side_req, side_res);
	if (!prepare(pc, req, res))
		drive(sc->multi, &pc, 1, side_res->fail == EAS_FAIL_NONE ? &sd : NULL);
	if (!sd.started && side_res->fail == EAS_FAIL_NONE) {
		side_res->fail = EAS_FAIL_SETUP;
		snprintf(side_res->what, sizeof side_res->what,
			 "not sent: the first request ended before its time");
	}
	conn_release(&side_conn);
	return res->fail == EAS_FAIL_NONE ? 0 : -1;
}

void eas_conn_close(struct eas_conn *conn)
{
	struct shared_conn *sc = (struct shared_conn *)conn;

	if (!sc)
		return;
	/* The handle goes first: the multi handle closes its connections. */
	conn_release(&sc->pc);
	if (sc->multi)
		curl_multi_cleanup(sc->multi);
	free(sc);
}

void eas_response_free(struct eas_response *res)
{
	eas_probe_clear_headers(res);
	free(res->body);
	res->body = NULL;
	sk_X509_pop_free(res->tls.sent, X509_free);
	sk_X509_pop_free(res->tls.chain, X509_free);
	res->tls.sent = res->tls.chain = NULL;
}
