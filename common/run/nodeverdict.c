/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the nodes' verdicts make together: pure, unit-tested
 * (t/unit/test_nodeverdict.c). */
#include "run/nodes.h"

#include "out/output.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool fails(enum eas_state s)
{
	return s == EAS_CRITICAL || s == EAS_UNKNOWN;
}

static size_t count(const struct eas_nodes *nodes, enum eas_state s)
{
	size_t n = 0;

	for (size_t i = 0; i < nodes->n; i++)
		n += nodes->node[i].state == s;
	return n;
}

enum eas_state eas_nodes_verdict(const struct eas_nodes *nodes, long min_nodes)
{
	size_t failing = count(nodes, EAS_CRITICAL) + count(nodes, EAS_UNKNOWN);
	size_t working = nodes->n - failing;

	if (!nodes->n)
		return EAS_UNKNOWN;
	if (!failing)
		return count(nodes, EAS_WARNING) ? EAS_WARNING : EAS_OK;
	if (!working)
		return count(nodes, EAS_UNKNOWN) == nodes->n ? EAS_UNKNOWN : EAS_CRITICAL;
	return min_nodes > 0 && working < (size_t)min_nodes ? EAS_CRITICAL : EAS_WARNING;
}

/* Append s to buf (its text *len long), cut at size. */
static void put(char *buf, size_t size, size_t *len, const char *s)
{
	while (*s && *len + 1 < size)
		buf[(*len)++] = *s++;
	buf[*len] = 0;
}

static bool is_listed(const struct eas_node *nd, bool failing)
{
	return nd->state != EAS_OK && fails(nd->state) == failing;
}

/* What each listed node's words may take of room: as much as it needs
 * when that is less than an equal share, the rest shared by the others
 * (water-filling). */
static void shares(const struct eas_nodes *nodes, size_t room, size_t *share)
{
	size_t open = 0, fixed;

	for (size_t i = 0; i < nodes->n; i++) {
		share[i] = SIZE_MAX;
		open += nodes->node[i].state != EAS_OK;
	}
	do {
		size_t each = open ? room / open : 0;

		fixed = 0;
		for (size_t i = 0; i < nodes->n; i++) {
			size_t need = strlen(nodes->node[i].summary);

			if (nodes->node[i].state == EAS_OK || share[i] != SIZE_MAX || need > each)
				continue;
			share[i] = need;
			room -= need;
			open--;
			fixed++;
		}
	} while (fixed && open);
	for (size_t i = 0; i < nodes->n; i++)
		if (share[i] == SIZE_MAX)
			share[i] = open ? room / open : 0;
}

/* Each node of the kind: "ADDRESS words", separated by ", ", the words
 * cut at a clause to their share (0: whole); what one leaves over, the
 * next may use. */
static void list(const struct eas_nodes *nodes, bool failing, const size_t *share, char *buf,
		 size_t size, size_t *len, size_t *carry, bool *first)
{
	for (size_t i = 0; i < nodes->n; i++) {
		const struct eas_node *nd = &nodes->node[i];
		size_t wl = strlen(nd->summary), used;

		if (!is_listed(nd, failing))
			continue;
		put(buf, size, len, *first ? "" : ", ");
		*first = false;
		put(buf, size, len, nd->addr);
		put(buf, size, len, " ");
		if (share) {
			size_t max = share[i] + *carry;

			size_t cut = eas_out_clause_cut(nd->summary, wl, max, false);

			/* Whole clauses, or words when no clause fits. */
			wl = cut ? cut : eas_out_clause_cut(nd->summary, wl, max, true);
			*carry = max - wl;
		}
		used = *len;
		for (size_t k = 0; k < wl && used + 1 < size; k++)
			buf[used++] = nd->summary[k];
		buf[used] = 0;
		*len = used;
	}
}

void eas_nodes_words(const struct eas_nodes *nodes, long min_nodes, size_t budget, char *buf,
		     size_t size)
{
	size_t failing = count(nodes, EAS_CRITICAL) + count(nodes, EAS_UNKNOWN);
	size_t warning = count(nodes, EAS_WARNING), len = 0, carry = 0;
	size_t share[EAS_NODES_MAX] = { 0 }, fixed = 0;
	bool first = true;
	char head[160];

	if (!size)
		return;
	buf[0] = 0;
	if (!nodes->n) {
		put(buf, size, &len, "no node to check");
		return;
	}
	if (!failing && !warning) {
		snprintf(head, sizeof head, "%s %zu node%s OK: ", nodes->n > 1 ? "all" : "the",
			 nodes->n, nodes->n > 1 ? "s" : "");
		put(buf, size, &len, head);
		put(buf, size, &len, nodes->node[0].summary);
		return;
	}
	if (failing) {
		size_t working = nodes->n - failing;

		if (min_nodes > 0 && working && working < (size_t)min_nodes)
			snprintf(head, sizeof head,
				 "only %zu of %zu nodes work (--min-nodes %ld): ", working,
				 nodes->n, min_nodes);
		else
			snprintf(head, sizeof head, "%zu of %zu node%s fail%s: ", failing, nodes->n,
				 nodes->n > 1 ? "s" : "", failing > 1 ? "" : "s");
	} else {
		snprintf(head, sizeof head, "%zu of %zu node%s warn%s: ", warning, nodes->n,
			 nodes->n > 1 ? "s" : "", warning > 1 ? "" : "s");
	}
	put(buf, size, &len, head);
	/* The room for the words: the budget less the head, the addresses
	 * and the separators. */
	fixed = len;
	for (size_t i = 0; i < nodes->n; i++)
		if (nodes->node[i].state != EAS_OK)
			fixed += strlen(nodes->node[i].addr) + 3;
	if (budget && nodes->n <= EAS_NODES_MAX)
		shares(nodes, budget > fixed ? budget - fixed : 0, share);
	list(nodes, true, budget && nodes->n <= EAS_NODES_MAX ? share : NULL, buf, size, &len,
	     &carry, &first);
	list(nodes, false, budget && nodes->n <= EAS_NODES_MAX ? share : NULL, buf, size, &len,
	     &carry, &first);
}

void eas_node_label(const char *addr, const char *suffix, char *buf, size_t size)
{
	size_t len;

	if (!size)
		return;
	snprintf(buf, size, "node_%s%s", addr, suffix);
	len = strlen(buf);
	for (size_t i = 5; i < len; i++)
		if (buf[i] == '.' || buf[i] == ':')
			buf[i] = '_';
}
