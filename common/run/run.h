/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run/: the face of the subsystem, what code outside run/ includes.
 * One run of a check below the plugin life cycle:
 *   the step runner: eas_run_init, eas_run_step, eas_run_many,
 *     eas_run_target, eas_run_report, eas_run_failed
 *   the deadline (-t): eas_deadline_start, eas_deadline_left
 *   the target: eas_target_request, eas_target_transport
 *   credentials: eas_creds_load, eas_creds_free, eas_creds_rule
 *   the standard report: eas_report_details, _json, _served_json,
 *     _served_step, _perf, _time
 *   run locks: eas_statedir_open, eas_runlock_take, eas_runlock_release
 *   every node behind the name: eas_nodes_run, eas_nodes_each (one
 *     after another, pinned), eas_nodes_report, eas_nodes_free,
 *     EAS_NODE_OPTROWS, eas_node_opts_check */
#ifndef EAS_FACE_RUN_H
#define EAS_FACE_RUN_H

#include "run/runner.h"
#include "run/deadline.h"
#include "run/target.h"
#include "run/creds.h"
#include "run/report.h"
#include "run/runlock.h"
#include "run/nodes.h"

#endif
