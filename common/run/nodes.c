/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every node behind the name: the list, the concurrent run, the report. */
#include "run/nodes.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <curl/curl.h>

#include "run/report.h"
#include "util/text.h"

bool eas_node_valid(const char *arg)
{
	return arg && eas_text_ip(arg, NULL, 0);
}

int eas_node_opts_check(const struct eas_node_opts *no, const struct eas_opts *o, char *err,
			size_t errlen)
{
	if (no->nnode && no->each_address) {
		snprintf(err, errlen, "give --node ADDRESS or --each-address, not both");
		return -1;
	}
	if (no->min_nodes && !eas_nodes_wanted(no)) {
		snprintf(err, errlen, "--min-nodes needs --node ADDRESS or --each-address");
		return -1;
	}
	if (eas_nodes_wanted(no) && (o->ip || o->ip_name)) {
		snprintf(err, errlen,
			 "-I names one address to connect to: give it as --node instead");
		return -1;
	}
	if (no->nnode && no->min_nodes > (long)no->nnode) {
		snprintf(err, errlen, "--min-nodes %ld is more than the %zu nodes given",
			 no->min_nodes, no->nnode);
		return -1;
	}
	return 0;
}

/* IPv4 before IPv6, each in numeric order. */
static int by_address(const void *pa, const void *pb)
{
	unsigned char a[17] = { 0 }, b[17] = { 0 };

	a[0] = inet_pton(AF_INET, pa, a + 1) == 1 ? 4 : (inet_pton(AF_INET6, pa, a + 1), 6);
	b[0] = inet_pton(AF_INET, pb, b + 1) == 1 ? 4 : (inet_pton(AF_INET6, pb, b + 1), 6);
	return memcmp(a, b, sizeof a);
}

/* Every address of the URL's host, at --dns-server or the system's. */
static int each_address(const struct eas_opts *o, const char *url, struct eas_dns_addrs *a,
			char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *host = NULL;
	struct eas_dns dns;
	int rc = -1;

	a->n = 0;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0)) {
		snprintf(err, errlen, "invalid URL %s", url);
		goto out;
	}
	if (eas_text_ip(host, NULL, 0)) {
		snprintf(err, errlen, "--each-address needs a host name, not the address %s", host);
		goto out;
	}
	if (eas_dns_open(&dns, o->dns_server, err, errlen))
		goto out;
	rc = eas_dns_addrs(&dns, host, a, err, errlen);
	eas_dns_close(&dns);
	/* Servers rotate their answers: sorted, the nodes keep their order
	 * in the output from run to run. */
	if (!rc)
		qsort(a->addr, a->n, sizeof a->addr[0], by_address);
out:
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* The nodes no names: listed, or every address of url's host. */
static int addresses(const struct eas_runner *run, const struct eas_node_opts *no, const char *url,
		     struct eas_dns_addrs *a, char *err, size_t errlen)
{
	a->n = 0;
	if (no->each_address)
		return each_address(run->o, url, a, err, errlen);
	for (size_t i = 0; i < no->nnode; i++)
		snprintf(a->addr[a->n++], sizeof a->addr[0], "%s", no->node[i]);
	return 0;
}

int eas_nodes_list(const struct eas_runner *run, const struct eas_node_opts *no, const char *url,
		   struct eas_nodes *out, char *err, size_t errlen)
{
	struct eas_dns_addrs *a = calloc(1, sizeof *a);
	int rc = -1;

	out->node = NULL;
	out->n = 0;
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (addresses(run, no, url, a, err, errlen))
		goto out;
	if (a->n && !(out->node = calloc(a->n, sizeof *out->node))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < a->n; i++) {
		struct eas_node *nd = &out->node[i];

		snprintf(nd->addr, sizeof nd->addr, "%s", a->addr[i]);
		eas_node_label(nd->addr, "_time", nd->label, sizeof nd->label);
		nd->req.url = url;
		nd->req.connect_ip = nd->addr;
	}
	out->n = a->n;
	rc = 0;
out:
	free(a);
	return rc;
}

/* The plugin's verdict on one node, through a scratch output. */
void eas_node_judge(struct eas_runner *run, struct eas_node *nd, eas_node_judge_fn judge, void *ctx)
{
	struct eas_runner node_run = *run;
	struct eas_output scratch;

	eas_out_init(&scratch, run->out->plugin, run->out->aspect);
	scratch.verbose = run->out->verbose;
	if (eas_out_json(run->out))
		eas_out_set_format(&scratch, EAS_FMT_JSON);
	node_run.out = &scratch;
	judge(ctx, &node_run, nd);
	nd->state = scratch.state;
	snprintf(nd->summary, sizeof nd->summary, "%s", scratch.summary);
	nd->details = scratch.details;
	nd->json = scratch.json;
	scratch.details = NULL;
	scratch.json = NULL;
	eas_out_free(&scratch);
}

int eas_nodes_make(struct eas_runner *run, const struct eas_node_opts *no,
		   const struct eas_request *tmpl, struct eas_nodes *out, char *err, size_t errlen)
{
	if (eas_nodes_list(run, no, tmpl->url, out, err, errlen))
		return -1;
	for (size_t i = 0; i < out->n; i++) {
		struct eas_node *nd = &out->node[i];

		nd->req = *tmpl;
		/* The name stays in the URL (TLS and Host); only where to
		 * connect changes. */
		nd->req.connect_ip = nd->addr;
		nd->req.connect_host = NULL;
	}
	return 0;
}

int eas_nodes_send(struct eas_runner *run, struct eas_nodes *nodes, const char *step,
		   eas_node_pick_fn pick, char *err, size_t errlen)
{
	struct eas_request *reqs = NULL;
	struct eas_response *res = NULL, **back = NULL;
	const char **steps = NULL;
	size_t total = 0, n = 0;
	int rc = -1;

	for (size_t i = 0; i < nodes->n; i++)
		total += eas_node_nreq(&nodes->node[i]);
	reqs = calloc(total ? total : 1, sizeof *reqs);
	res = calloc(total ? total : 1, sizeof *res);
	back = calloc(total ? total : 1, sizeof *back);
	steps = calloc(total ? total : 1, sizeof *steps);
	if (!reqs || !res || !back || !steps) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* The runner takes the requests side by side: copied there and
	 * the answers back, so that all go on the one multi handle. */
	for (size_t i = 0; i < nodes->n; i++) {
		struct eas_node *nd = &nodes->node[i];

		for (size_t p = 0; p < eas_node_nreq(nd); p++) {
			struct eas_response *r;
			struct eas_request *q = eas_node_req(nd, p, &r);

			if (!q || (pick && !pick(q, r)))
				continue;
			eas_response_free(r);
			q->connect_ip = nd->addr;
			q->connect_host = NULL;
			reqs[n] = *q;
			steps[n] = nd->nprobe ? nd->probe_step[p] : step;
			back[n++] = r;
		}
	}
	eas_run_many(run, steps, reqs, res, n);
	for (size_t k = 0; k < n; k++)
		*back[k] = res[k];
	rc = 0;
out:
	free(steps);
	free(back);
	free(res);
	free(reqs);
	return rc;
}

void eas_nodes_judge(struct eas_runner *run, struct eas_nodes *nodes, eas_node_judge_fn judge,
		     void *ctx)
{
	for (size_t i = 0; i < nodes->n; i++)
		eas_node_judge(run, &nodes->node[i], judge, ctx);
}

int eas_nodes_run(struct eas_runner *run, const struct eas_node_opts *no, const char *step,
		  const struct eas_request *tmpl, eas_node_judge_fn judge, void *ctx,
		  struct eas_nodes *out, char *err, size_t errlen)
{
	if (eas_nodes_make(run, no, tmpl, out, err, errlen))
		return -1;
	if (eas_nodes_send(run, out, step, NULL, err, errlen)) {
		eas_nodes_free(out);
		return -1;
	}
	eas_nodes_judge(run, out, judge, ctx);
	return 0;
}

/* A node's time: its longest request that got an answer. false: none. */
static bool node_time(const struct eas_node *nd, double *t)
{
	bool got = false;

	*t = 0;
	for (size_t p = 0; p < eas_node_nreq(nd); p++) {
		struct eas_response *res;

		if (!eas_node_req((struct eas_node *)nd, p, &res) || res->fail != EAS_FAIL_NONE)
			continue;
		got = true;
		*t = res->t.total > *t ? res->t.total : *t;
	}
	return got;
}

/* Who served the node: the first of its answers that says. */
static struct json_object *node_served(const struct eas_node *nd)
{
	struct json_object *served = NULL;

	for (size_t p = 0; !served && p < eas_node_nreq(nd); p++) {
		struct eas_response *res;

		if (eas_node_req((struct eas_node *)nd, p, &res))
			served = eas_report_served_json(res);
	}
	return served;
}

static void node_json(struct json_object *arr, const struct eas_node *nd)
{
	struct json_object *o = json_object_new_object(), *served = node_served(nd);
	double t;

	json_object_object_add(o, "address", json_object_new_string(nd->addr));
	json_object_object_add(o, "state", json_object_new_string(eas_state_name(nd->state)));
	json_object_object_add(o, "summary", json_object_new_string(nd->summary));
	if (served)
		json_object_object_add(o, "served_by", served);
	if (node_time(nd, &t))
		json_object_object_add(o, "time", eas_json_double(t));
	/* What the plugin's verdict added (certexpiry: the certificates). */
	if (nd->json) {
		json_object_object_foreach(nd->json, key, val)
		{
			if (!json_object_object_get_ex(o, key, NULL))
				json_object_object_add(o, key, json_object_get(val));
		}
	}
	json_object_array_add(arr, o);
}

void eas_nodes_report(struct eas_runner *run, const struct eas_nodes *nodes, long min_nodes,
		      const struct eas_thresholds *th)
{
	struct eas_output *out = run->out;
	struct json_object *root = eas_out_json(out), *arr = NULL;
	enum eas_state s = eas_nodes_verdict(nodes, min_nodes);
	char words[1024];
	size_t working = 0, budget;
	double t;

	eas_out_raise(out, s);
	/* The first line names every failing node: each gets its share of
	 * the line, -v and JSON have its words whole. */
	budget = EAS_OUT_LINE_MAX - strlen("EAS  - ") - strlen(out->aspect ? out->aspect : "") -
		 strlen(eas_state_name(out->state));
	eas_nodes_words(nodes, min_nodes, budget, words, sizeof words);
	eas_out_summary(out, "%s", words);
	if (root)
		arr = json_object_new_array();
	for (size_t i = 0; i < nodes->n; i++) {
		const struct eas_node *nd = &nodes->node[i];
		const char *line = nd->details;

		working += nd->state == EAS_OK || nd->state == EAS_WARNING;
		eas_out_detail(out, "node %s: %s - %s", nd->addr, eas_state_name(nd->state),
			       nd->summary);
		while (line && *line) {
			const char *end = strchr(line, '\n');
			int len = end ? (int)(end - line) : (int)strlen(line);

			eas_out_detail(out, "  %.*s", len, line);
			line = end ? end + 1 : line + len;
		}
		/* A node of several requests, or a whole run: the plugin's
		 * lines say each. */
		if (!nd->nprobe && !nd->whole_run)
			eas_report_details(out, nd->addr, &nd->res);
		if (node_time(nd, &t))
			eas_out_perf(out, nd->label, t, "s", th, 0, NAN);
		if (arr)
			node_json(arr, nd);
	}
	eas_out_perf(out, "nodes_working", (double)working, "", NULL, 0, (double)nodes->n);
	if (root) {
		json_object_object_add(root, "url",
				       json_object_new_string(nodes->n ? nodes->node[0].req.url
								       : ""));
		json_object_object_add(root, "nodes", arr);
	}
}

void eas_nodes_free(struct eas_nodes *nodes)
{
	for (size_t i = 0; i < nodes->n; i++) {
		/* The answers this file filled in; the probe arrays are the
		 * plugin's. */
		for (size_t p = 0; p < eas_node_nreq(&nodes->node[i]); p++) {
			struct eas_response *res;

			if (eas_node_req(&nodes->node[i], p, &res))
				eas_response_free(res);
		}
		free(nodes->node[i].details);
		json_object_put(nodes->node[i].json);
	}
	free(nodes->node);
	nodes->node = NULL;
	nodes->n = 0;
}
