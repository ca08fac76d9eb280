/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every node behind the name (run/nodes.h): which ones serve a
 * certificate other than the rest. */
#ifndef EAS_CERTNODES_H
#define EAS_CERTNODES_H

#include <time.h>

#include "run/run.h"

/* Each node whose leaf differs from the one most nodes send: at least a
 * WARNING, its summary naming the certificate's serial and expiry first. */
void eas_chain_nodes_differ(struct eas_nodes *nodes, time_t now);

#endif
