/* SPDX-License-Identifier: GPL-3.0-or-later */
/* certexpiry/: the face of the subsystem, what code outside
 * certexpiry/ includes. The certificate expiry check:
 *   its thresholds and verdict: eas_expiry_th_parse, eas_expiry_judge
 *   the set it reports on: eas_certset_init, eas_certset_add_server,
 *     eas_certset_add_file, eas_certset_add_dir, eas_certset_add_handshake,
 *     eas_certset_report, eas_certset_json, eas_certset_free
 *   every node behind the name: eas_chain_nodes_differ */
#ifndef EAS_FACE_CERTEXPIRY_H
#define EAS_FACE_CERTEXPIRY_H

#include "certexpiry/expiry.h"
#include "certexpiry/certset.h"
#include "certexpiry/certchain.h"
#include "certexpiry/clientcert.h"
#include "certexpiry/certnodes.h"

#endif
