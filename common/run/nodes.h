/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every node behind a load-balanced name: --node ADDRESS (repeatable) or
 * --each-address (every A/AAAA address of the host, through --dns-server
 * when given). Each node gets the same request, with the host name kept
 * for TLS and Host, all of them at once on one multi handle; the plugin
 * judges each answer as it would a single one, and the report says which
 * nodes fail first. */
#ifndef EAS_NODES_H
#define EAS_NODES_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "http/http.h"
#include "out/output.h"
#include "run/runner.h"

#define EAS_NODES_MAX 16

/* What the options ask for; a plugin embeds it and takes the rows below. */
struct eas_node_opts {
	const char *node[EAS_NODES_MAX];
	size_t nnode;
	bool each_address;
	long min_nodes; /* 0: CRITICAL only when every node fails */
};

/* An IPv4 or IPv6 address literal. */
bool eas_node_valid(const char *arg);

/* The three option rows, into the struct eas_node_opts at offset at_ of
 * the plugin's option struct (one declaration for every plugin); how_:
 * how the nodes run, for --node's help. */
#define EAS_NODE_OPTROWS_AS(at_, how_)                                                            \
	{ EAS_OPTROW("node", "ADDRESS",                                                           \
		     "check this node behind the host name: the same request, the "               \
		     "name kept for TLS and Host, " how_,                                         \
		     EAS_OPT_LIST, (at_) + offsetof(struct eas_node_opts, node)),                 \
	  .count_at = (at_) + offsetof(struct eas_node_opts, nnode), .max = EAS_NODES_MAX,        \
	  .valid = eas_node_valid, .what = "an IPv4 or IPv6 address" },                           \
		{ EAS_OPTROW("each-address", NULL,                                                \
			     "check every address of the host (A and AAAA, through --dns-server " \
			     "when given) as a node",                                             \
			     EAS_OPT_FLAG,                                                        \
			     (at_) + offsetof(struct eas_node_opts, each_address)) },             \
	{                                                                                         \
		EAS_OPTROW("min-nodes", "N",                                                      \
			   "with --node/--each-address: CRITICAL when fewer than N nodes work "   \
			   "(default: only when all fail; some failing is a WARNING)",            \
			   EAS_OPT_LONG, (at_) + offsetof(struct eas_node_opts, min_nodes)),      \
			.min = 1, .max = EAS_NODES_MAX, .what = "a number of nodes"               \
	}

#define EAS_NODE_OPTROWS(at_) EAS_NODE_OPTROWS_AS(at_, "every node at once")

/* Whether the options ask for nodes at all. */
static inline bool eas_nodes_wanted(const struct eas_node_opts *no)
{
	return no->nnode || no->each_address;
}

/* For a plugin's validate: the combinations nodes refuse (-I, both ways
 * of naming nodes, --min-nodes alone). 0, or -1 with err. */
int eas_node_opts_check(const struct eas_node_opts *no, const struct eas_opts *o, char *err,
			size_t errlen);

/* One node: its request and answer, and the plugin's verdict on it. */
struct eas_node {
	char addr[64];
	char label[80]; /* its perfdata label, node_ADDRESS_time */
	struct eas_request req;
	struct eas_response res;
	/* A node of several requests (check_eas_auth's probes), set by the
	 * plugin between eas_nodes_make and eas_nodes_send: nprobe requests
	 * (probe_skip[i]: left out), req/res then unused. Every node's every
	 * request goes on the one multi handle; the node's time is its
	 * longest request's; eas_nodes_free frees the answers, the arrays
	 * stay the plugin's. */
	size_t nprobe;
	struct eas_request *probe_req;
	struct eas_response *probe_res;
	const char *const *probe_step;
	const bool *probe_skip;
	void *data; /* the plugin's, for this node */
	enum eas_state state;
	char summary[1024];
	char *details;            /* the plugin's -v lines for this node (heap, may be NULL) */
	struct json_object *json; /* the plugin's JSON members for it (JSON only) */
	bool whole_run; /* a device's whole run (eas_nodes_each): res holds its time alone */
};

/* A node's requests: how many, and the i-th (NULL when left out). */
static inline size_t eas_node_nreq(const struct eas_node *nd)
{
	return nd->nprobe ? nd->nprobe : 1;
}
static inline struct eas_request *eas_node_req(struct eas_node *nd, size_t i,
					       struct eas_response **res)
{
	if (!nd->nprobe) {
		*res = &nd->res;
		return &nd->req;
	}
	if (nd->probe_skip && nd->probe_skip[i])
		return NULL;
	*res = &nd->probe_res[i];
	return &nd->probe_req[i];
}

struct eas_nodes {
	struct eas_node *node;
	size_t n;
};

/* The plugin's verdict on one node's answer: into node_run->out (a
 * scratch output of its own), as for a single request. */
typedef void (*eas_node_judge_fn)(void *ctx, struct eas_runner *node_run, struct eas_node *node);

/* The nodes (from no: listed, or every address of the URL's host), the
 * request tmpl sent to each at once as step, each judged. Returns 0, or
 * -1 with err (no address to check). Free with eas_nodes_free. */
int eas_nodes_run(struct eas_runner *run, const struct eas_node_opts *no, const char *step,
		  const struct eas_request *tmpl, eas_node_judge_fn judge, void *ctx,
		  struct eas_nodes *out, char *err, size_t errlen);

/* The nodes no names for url's host (listed, or every A/AAAA address,
 * sorted), each with its address, label and req.url = url (which must
 * outlive them): into out. Returns 0, or -1 with err. */
int eas_nodes_list(const struct eas_runner *run, const struct eas_node_opts *no, const char *url,
		   struct eas_nodes *out, char *err, size_t errlen);
/* judge's verdict on node through a scratch output of run's kind: the
 * node's state, summary, -v lines and JSON. */
void eas_node_judge(struct eas_runner *run, struct eas_node *node, eas_node_judge_fn judge,
		    void *ctx);

/* nodeseq.c: one after another, for a device's run (check_eas_sync: the
 * device's state on the server would be disturbed by runs at once). Each
 * node gets run pinned to it (struct eas_runner.pin) and its share of the
 * time left (that time divided by the nodes still to run, so all fit in
 * -t; a node reached with no time left is UNKNOWN "not reached: -t ran
 * out"). fn runs the whole check on the pinned runner: its output is the
 * node's verdict, and it puts the node's time into node->res.t.total; it
 * returns -1 to go on, or the exit code of a check it ended (printed),
 * which stops the nodes (into *stopped, else -1). Returns 0, or -1 with
 * err (no address to check). Free with eas_nodes_free. */
typedef int (*eas_node_run_fn)(void *ctx, struct eas_runner *node_run, struct eas_node *node);
int eas_nodes_each(struct eas_runner *run, const struct eas_node_opts *no, const char *url,
		   eas_node_run_fn fn, void *ctx, struct eas_nodes *out, int *stopped, char *err,
		   size_t errlen);

/* eas_nodes_run in its three steps, for a plugin that acts between them
 * (the bearer token's one refresh, check/checknodes.c): the nodes, each
 * with tmpl, nothing sent (0, or -1 with err; free with eas_nodes_free); */
int eas_nodes_make(struct eas_runner *run, const struct eas_node_opts *no,
		   const struct eas_request *tmpl, struct eas_nodes *out, char *err, size_t errlen);
/* every node's requests at once (step: the name of a node's one
 * request), or only those pick says (their earlier answer replaced); 0,
 * or -1 with err (out of memory); */
typedef bool (*eas_node_pick_fn)(const struct eas_request *req, const struct eas_response *res);
int eas_nodes_send(struct eas_runner *run, struct eas_nodes *nodes, const char *step,
		   eas_node_pick_fn pick, char *err, size_t errlen);
/* and the plugin's verdict on each. */
void eas_nodes_judge(struct eas_runner *run, struct eas_nodes *nodes, eas_node_judge_fn judge,
		     void *ctx);

/* Into run->out: the state and summary (the failing nodes first), a -v
 * block per node, perfdata node_ADDRESS_time (th on each) and
 * nodes_working, and the JSON "nodes" array. */
void eas_nodes_report(struct eas_runner *run, const struct eas_nodes *nodes, long min_nodes,
		      const struct eas_thresholds *th);

void eas_nodes_free(struct eas_nodes *nodes);

/* nodeverdict.c, pure: the state over the nodes' states (every one OK or
 * WARNING: the worst of them; every one failing, CRITICAL or UNKNOWN:
 * CRITICAL, UNKNOWN when all are; some failing: WARNING, CRITICAL when
 * fewer than min_nodes work), and the summary naming the failing nodes
 * first, then the warning ones, each with its words. */
enum eas_state eas_nodes_verdict(const struct eas_nodes *nodes, long min_nodes);
/* budget: the most bytes the words may take (0: whole); each node's
 * words are cut at a clause to share it. */
void eas_nodes_words(const struct eas_nodes *nodes, long min_nodes, size_t budget, char *buf,
		     size_t size);
/* "node_" and the address with '.' and ':' as '_', then suffix. */
void eas_node_label(const char *addr, const char *suffix, char *buf, size_t size);

#endif
