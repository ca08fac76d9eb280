/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every node behind the name for a plugin's one request: run/nodes.c
 * does the nodes, this adds the check's part (the bearer token's one
 * refresh, the failure as the plugin's output). */
#include "check/check.h"

int eas_check_nodes(struct eas_check *chk, const struct eas_node_opts *no, const char *step,
		    const struct eas_request *req, eas_node_judge_fn judge, void *ctx)
{
	struct eas_nodes nodes;
	char err[320];
	int rc;

	/* No address to check (a name without one) is the DNS's verdict. */
	if (eas_nodes_make(&chk->run, no, req, &nodes, err, sizeof err))
		return eas_check_fail(chk, EAS_CRITICAL, "%s", err);
	if ((rc = eas_check_send_bearer(chk, &nodes, step, err, sizeof err)) < 0) {
		eas_nodes_judge(&chk->run, &nodes, judge, ctx);
		eas_nodes_report(&chk->run, &nodes, no->min_nodes, &chk->o.th);
	}
	eas_nodes_free(&nodes);
	return rc;
}
