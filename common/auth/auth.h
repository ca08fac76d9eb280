/* SPDX-License-Identifier: GPL-3.0-or-later */
/* auth/: the face of the subsystem, what code outside auth/ includes.
 * The authentication checks:
 *   one probe's request and meaning: eas_auth_request, eas_auth_classify,
 *     eas_auth_verdict_name, eas_auth_json, eas_auth_outcome_detail, _json
 *   the policy table: eas_policy_parse, eas_policy_judge
 *   the policy check's run: eas_authrun_build, eas_authrun_probe,
 *     eas_authrun_judge, eas_authrun_report, eas_authrun_free */
#ifndef EAS_FACE_AUTH_H
#define EAS_FACE_AUTH_H

#include "auth/authverdict.h"
#include "auth/authrequest.h"
#include "auth/authpolicy.h"
#include "auth/authrun.h"

#endif
