/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eas/: the face of the subsystem, what code outside eas/ includes.
 * ActiveSync itself:
 *   the sync run over the step runner: eas_sync_run, eas_sync_step_name
 *   commands as a device sends them: eas_cmd_prepare, eas_cmd_answer
 *   status codes and their meaning: eas_code_lookup, eas_code_explain
 *   command bodies and answers: eas_provision_body, eas_foldersync_parse, ...
 *   the WBXML codec: eas_wbxml_decode, eas_wbxml_writer_init, ...
 *   the mail loop (check_eas_mailloop): eas_ml_steps, eas_ml_load, ... */
#ifndef EAS_FACE_EAS_H
#define EAS_FACE_EAS_H

#include "eas/eassync.h"
#include "eas/eascmd.h"
#include "eas/eascode.h"
#include "eas/eassteps.h"
#include "eas/wbxml.h"
#include "eas/mailloop.h"
#include "eas/mailrun.h"

#endif
