/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http/: the face of the subsystem, what code outside http/ includes.
 * The one request path and what an answer means:
 *   requests: eas_probe_run, eas_probe_run_many, keep-alive eas_conn_open,
 *     eas_conn_run, eas_conn_close (global init/cleanup once per process)
 *   failure classes (no HTTP answer): eas_fail_name, eas_fail_state
 *   HTTP meaning: eas_http_status_class, eas_http_diagnose, eas_iis_substatus
 *   Exchange's diagnostic headers: eas_served_read, eas_served_text,
 *     eas_throttle_words
 *   the OPTIONS offer: eas_versions_parse, eas_versions_has, eas_list_has
 *   a 401's challenges: eas_challenge_parse, eas_challenge_offer,
 *     eas_challenge_describe, eas_scheme_policy_check, eas_bearer_refusal
 *   DNS at --dns-server: eas_dns_open, eas_dns_srv, eas_dns_addr, eas_dns_close
 *   where credentials may go: eas_credrule_init, eas_credrule_decide
 * probe_internal.h is the probe's own (probe_*.c). */
#ifndef EAS_FACE_HTTP_H
#define EAS_FACE_HTTP_H

#include "http/probe.h"
#include "http/fail.h"
#include "http/httpclass.h"
#include "http/diaghdr.h"
#include "http/easoffer.h"
#include "http/challenge.h"
#include "http/dns.h"
#include "http/credrule.h"

#endif
