/* SPDX-License-Identifier: GPL-3.0-or-later */
/* autodiscover/: the face of the subsystem, what code outside
 * autodiscover/ includes (linked from libeas-ad.a). Autodiscover as a device
 * does it, every name eas_ad_ / EAS_AD_:
 *   the run over the step runner: eas_ad_discover (struct eas_ad_opts in,
 *     struct eas_ad_result out)
 *   its output: eas_ad_details (-v), eas_ad_json, eas_ad_words,
 *     eas_ad_stumble_text, eas_ad_cand_text
 *   requests and answers: eas_ad_request_body, eas_ad_parse_pox, _json */
#ifndef EAS_FACE_AUTODISCOVER_H
#define EAS_FACE_AUTODISCOVER_H

#include "autodiscover/addiscover.h"
#include "autodiscover/adreport.h"
#include "autodiscover/adanswer.h"

#endif
