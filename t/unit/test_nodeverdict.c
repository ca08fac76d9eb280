/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The nodes' verdict and words (common/run/nodeverdict.c). */
#include <stdio.h>
#include <string.h>

#include "run/nodes.h"
#include "tap.h"

static struct eas_node nd[4];

static struct eas_nodes make(const enum eas_state *s, size_t n)
{
	static const char *const addr[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4", "::1" };
	static const char *const words[] = { "up", "refuses connections", "503", "slow" };

	memset(nd, 0, sizeof nd);
	for (size_t i = 0; i < n; i++) {
		snprintf(nd[i].addr, sizeof nd[i].addr, "%s", addr[i]);
		snprintf(nd[i].summary, sizeof nd[i].summary, "%s", words[i]);
		nd[i].state = s[i];
	}
	return (struct eas_nodes){ nd, n };
}

int main(void)
{
	struct tap t = { 0 };
	char buf[512], label[80];
	struct eas_nodes ns;

	ns = make((enum eas_state[]){ EAS_OK, EAS_OK, EAS_OK, EAS_OK }, 4);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_OK, "every node OK: OK");
	eas_nodes_words(&ns, 0, 0, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "all 4 nodes OK: up"), "all OK: the first node's words");
	ns = make((enum eas_state[]){ EAS_OK }, 1);
	eas_nodes_words(&ns, 0, 0, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "the 1 node OK: up"), "one node");

	ns = make((enum eas_state[]){ EAS_OK, EAS_OK, EAS_OK, EAS_WARNING }, 4);
	TAP_OK(&t, eas_nodes_verdict(&ns, 4) == EAS_WARNING,
	       "a slow node works: WARNING, even with --min-nodes 4");
	eas_nodes_words(&ns, 0, 0, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "1 of 4 nodes warns: ::1 slow"), "the warning node named");

	ns = make((enum eas_state[]){ EAS_OK, EAS_CRITICAL, EAS_CRITICAL, EAS_WARNING }, 4);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_WARNING, "some failing: WARNING");
	TAP_OK(&t, eas_nodes_verdict(&ns, 2) == EAS_WARNING, "2 work, --min-nodes 2: WARNING");
	TAP_OK(&t, eas_nodes_verdict(&ns, 3) == EAS_CRITICAL, "2 work, --min-nodes 3: CRITICAL");
	eas_nodes_words(&ns, 0, 0, buf, sizeof buf);
	TAP_OK(&t,
	       !strcmp(buf,
		       "2 of 4 nodes fail: 127.0.0.3 refuses connections, 127.0.0.4 503, ::1 slow"),
	       "failing nodes first, then the warning one: %s", buf);
	eas_nodes_words(&ns, 3, 0, buf, sizeof buf);
	TAP_OK(&t,
	       !strcmp(buf, "only 2 of 4 nodes work (--min-nodes 3): 127.0.0.3 refuses "
			    "connections, 127.0.0.4 503, ::1 slow"),
	       "--min-nodes named: %s", buf);

	snprintf(nd[1].summary, sizeof nd[1].summary,
		 "connection refused: nothing listens on that port (service down)");
	snprintf(
		nd[2].summary, sizeof nd[2].summary,
		"on front end EX01, back end EX03: HTTP 503: the back end failed (HTTP 503 there)");
	eas_nodes_words(&ns, 0, 120, buf, sizeof buf);
	TAP_OK(&t,
	       !strcmp(buf, "2 of 4 nodes fail: 127.0.0.3 connection refused, 127.0.0.4 on front "
			    "end EX01, back end EX03: HTTP 503, ::1 slow"),
	       "a budget: each node's words cut at a clause, every node named: %s", buf);
	TAP_OK(&t, strlen(buf) <= 120, "... within the budget");

	ns = make((enum eas_state[]){ EAS_OK, EAS_UNKNOWN }, 2);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_WARNING, "an UNKNOWN node fails");
	eas_nodes_words(&ns, 0, 0, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "1 of 2 nodes fails: 127.0.0.3 refuses connections"),
	       "one failing: %s", buf);

	ns = make((enum eas_state[]){ EAS_CRITICAL, EAS_UNKNOWN }, 2);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_CRITICAL, "all failing: CRITICAL");
	ns = make((enum eas_state[]){ EAS_UNKNOWN, EAS_UNKNOWN }, 2);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_UNKNOWN, "all UNKNOWN: UNKNOWN");
	ns = make(NULL, 0);
	TAP_OK(&t, eas_nodes_verdict(&ns, 0) == EAS_UNKNOWN, "no node: UNKNOWN");

	eas_node_label("127.0.0.2", "_time", label, sizeof label);
	TAP_OK(&t, !strcmp(label, "node_127_0_0_2_time"), "IPv4 label");
	eas_node_label("2001:db8::5", "_time", label, sizeof label);
	TAP_OK(&t, !strcmp(label, "node_2001_db8__5_time"), "IPv6 label");
	TAP_OK(&t,
	       eas_node_valid("10.0.0.5") && eas_node_valid("::1") &&
		       !eas_node_valid("mail.example.com") && !eas_node_valid(""),
	       "--node takes addresses only");
	return tap_done(&t);
}
