/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The classic after a renewal: one node behind the name still serves the
 * old certificate. Most nodes' leaf is the one expected; a node that
 * sends another is named with its serial and expiry. */
#include "certexpiry/certnodes.h"

#include <stdio.h>
#include <string.h>

#include "tls/tls.h"

static X509 *leaf(const struct eas_node *nd)
{
	STACK_OF(X509) *sent = nd->res.tls.sent;

	return sent && sk_X509_num(sent) ? sk_X509_value(sent, 0) : NULL;
}

static size_t same(const struct eas_nodes *nodes, X509 *x)
{
	size_t n = 0;

	for (size_t i = 0; i < nodes->n; i++)
		n += leaf(&nodes->node[i]) && !X509_cmp(leaf(&nodes->node[i]), x);
	return n;
}

void eas_chain_nodes_differ(struct eas_nodes *nodes, time_t now)
{
	X509 *most = NULL;
	size_t most_n = 0;

	for (size_t i = 0; i < nodes->n; i++) {
		X509 *x = leaf(&nodes->node[i]);
		size_t n = x ? same(nodes, x) : 0;

		if (n > most_n) {
			most = x;
			most_n = n;
		}
	}
	for (size_t i = 0; most && i < nodes->n; i++) {
		struct eas_node *nd = &nodes->node[i];
		X509 *x = leaf(nd);
		struct eas_certinfo ci;
		char was[sizeof nd->summary];

		if (!x || !X509_cmp(x, most) || eas_certinfo_get(x, now, &ci))
			continue;
		if (nd->state == EAS_OK)
			nd->state = EAS_WARNING;
		snprintf(was, sizeof was, "%s", nd->summary);
		snprintf(nd->summary, sizeof nd->summary,
			 "serves another certificate expiring %.10s, serial %s: %.800s",
			 ci.not_after, ci.serial, was);
	}
}
