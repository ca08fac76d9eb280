/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every node one after another, for a device's run: Exchange keeps the
 * device's sync and policy keys in the mailbox, so the one device run on
 * several front ends at once would invalidate its own keys (Status 3, 12),
 * and a device per node would leave a partnership per node behind. */
#include "run/nodes.h"

#include <stdio.h>

#include "run/deadline.h"

/* fn through eas_node_judge, which takes no exit code. */
struct node_call {
	eas_node_run_fn fn;
	void *ctx;
	int rc;
};

static void call(void *p, struct eas_runner *node_run, struct eas_node *node)
{
	struct node_call *c = p;

	c->rc = c->fn(c->ctx, node_run, node);
}

int eas_nodes_each(struct eas_runner *run, const struct eas_node_opts *no, const char *url,
		   eas_node_run_fn fn, void *ctx, struct eas_nodes *out, int *stopped, char *err,
		   size_t errlen)
{
	*stopped = -1;
	if (eas_nodes_list(run, no, url, out, err, errlen))
		return -1;
	for (size_t i = 0; i < out->n; i++) {
		struct eas_node *nd = &out->node[i];
		struct eas_runner pinned = *run;
		struct node_call c = { fn, ctx, -1 };
		long ms, share;

		nd->whole_run = true;
		if (!eas_deadline_left(&ms)) {
			nd->state = EAS_UNKNOWN;
			nd->res.fail = EAS_FAIL_TIMEOUT;
			snprintf(nd->summary, sizeof nd->summary, "not reached: -t ran out");
			continue;
		}
		pinned.pin = nd->addr;
		/* ms 0: no -t, no shares. */
		share = ms / (long)(out->n - i);
		pinned.pin_reserve_ms = ms - share;
		/* For the words: tenths ("no answer within 3s"). */
		pinned.pin_share = ms ? (double)((share + 50) / 100) / 10 : 0;
		eas_node_judge(&pinned, nd, call, &c);
		if (c.rc >= 0) {
			*stopped = c.rc;
			return 0;
		}
	}
	return 0;
}
