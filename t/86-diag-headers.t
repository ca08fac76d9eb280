#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Which server failed: Exchange's diagnostic headers (X-FEServer,
# X-BEServer, X-CalculatedBETarget, request-id, X-FailureContext,
# X-MS-Diagnostics, X-BackEndHttpStatus, X-MS-ASThrottle) as the test
# servers send them in Exchange's own forms (eas-responder's and
# eas-syncd's ex-<case>, autodiscover-responder's ex-500), in every plugin
# that talks HTTP: the first line names the front end and back end of a
# failure and the failing part, -v says who served each step, JSON has
# served_by; a server without the headers gets the same words as before,
# and values that are no host names never reach the first line.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/syncd.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki
httpd_start main vhost-eas || t_bail "apache did not start"
P=$HTTPD_PORT
CA=(--ca-file "$PKI/ca.pem")
printf 's3cret pass\n' > "$T/eas.pass"
chmod 600 "$T/eas.pass"
CREDS=(--user user@example.com --password-file "$T/eas.pass")
case_path() { echo "/s/$1/Microsoft-Server-ActiveSync"; }
opts() { local c=$1; shift; run check_eas_options -H localhost -p "$P" "${CA[@]}" -u "$(case_path "$c")" "$@"; }
# json EXPR - a Python expression over the JSON document j, printed
json() { python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$OUT" "$1" 2>&1; }
RID=5a1e7c3b-9f2d-4c1a-8e6b-0d4f3a2b1c90
SERVED="served by front end EX01, back end EX03, request-id $RID"

# --- check_eas_options: a healthy Exchange says who served it, only in -v
opts ex-exchange -v
expect_first "Exchange with its diagnostic headers: OK, the line as without them" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1 \(9 versions\), 24 commands \|'
expect_out "^$SERVED\$" "-v: which front end and back end served it, and the request-id"
opts ex-exchange --output-format json
t_is "$(json 'sorted(j["probe"]["served_by"].items())')" \
	"[('back_end', 'EX03'), ('front_end', 'EX01'), ('request_id', '$RID')]" \
	"JSON probe.served_by: front_end, back_end, request_id and nothing else for a good answer"
t_is "$(json 'j["probe"]["headers"]["X-CalculatedBETarget"] + " " + j["probe"]["headers"]["X-DiagInfo"]')" \
	"ex03.example.com EX03" "the other headers are captured through the one table"

# --- a failing back end (X-FailureContext: BackEnd, X-BackEndHttpStatus)
opts ex-503-backend -v
expect_summary "503 from the back end: CRITICAL, front end and back end first, then the failing part" 2 \
	'^EAS OPTIONS CRITICAL - on front end EX01, back end EX03: HTTP 503: the back end failed \(HTTP 503 there, Service Unavailable\): service unavailable'
expect_first "... and the first line keeps the servers and the part" 2 \
	'^EAS OPTIONS CRITICAL - on front end EX01, back end EX03: HTTP 503: the back end failed '
expect_out '^failing part: the back end failed \(HTTP 503 there, Service Unavailable\)$' "-v: the failing part"
opts ex-503-backend --output-format json
t_is "$(json 'j["probe"]["served_by"]["failing_part"], j["probe"]["served_by"]["back_end_status"]')" \
	"('back_end', 503)" "JSON: failing_part back_end, back_end_status 503"
t_is "$RC" 2 "JSON: exit code 2 as in text"

# --- the front end cannot reach the back end (WebExceptionStatus)
opts ex-503-proxy
expect_first "front end without its back end: the proxy named" 2 \
	'^EAS OPTIONS CRITICAL - on front end EX01, back end EX03: HTTP 503: the front end could not reach the back end'
opts ex-503-proxy --output-format json
t_is "$(json 'j["probe"]["served_by"]["failing_part"]')" proxy "JSON: failing_part proxy"

# --- throttling: the budget and the back-off on the line
opts ex-503-budget -v
expect_first "throttled by budget: the back-off and the budget on the first line" 2 \
	"^EAS OPTIONS CRITICAL - on front end EX01, back end EX03: HTTP 503: throttled, retry after 45s: the user's throttling budget is used up"
expect_out '^throttled \(X-MS-ASThrottle: OutOfBudgets\): the user.s throttling budget is used up, back off 45s \(Retry-After\)$' \
	"-v: the reason, its meaning and the back-off"
opts ex-503-budget --output-format json
t_is "$(json 'sorted(j["probe"]["served_by"]["throttle"].items())')" \
	"[('meaning', \"the user's throttling budget is used up\"), ('reason', 'OutOfBudgets'), ('retry_after_s', 45)]" \
	"JSON: throttle reason, meaning, retry_after_s"
opts ex-503-throttle
expect_first "an autoblock threshold: named the same way" 2 \
	'^EAS OPTIONS CRITICAL - on front end EX01, back end EX03: HTTP 503: throttled, retry after 30s: the device sends commands too often'

# --- an OK answer keeps its line: a 401 to OPTIONS without credentials
opts ex-401 -v
expect_summary "401 behind EX01 without credentials: OK, the words as without the headers" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Basic \(Bearer off\) \|'

# --- no diagnostic headers: no change
opts 503 -v
expect_first "a server without the headers: the sentence as before" 2 \
	'^EAS OPTIONS CRITICAL - HTTP 503: service unavailable \(overloaded, throttling, stopped or in maintenance\), retry after 120s \|'
expect_no_out '^(served by|failing part|throttled)' "-v: no served-by lines without the headers"
opts 503 --output-format json
t_is "$(json '"served_by" in j["probe"]')" False "JSON: no served_by without the headers"

# --- values that are no host names: quoted in -v, never on the line
opts odd-names -v
expect_first "markup and an overlong name: the cause first, no names on the line" 2 \
	'^EAS OPTIONS CRITICAL - HTTP 500: internal server error in Exchange or IIS'
expect_out '^served by front end "\?img\?src\?x\?onerror\?alert\?1\?\?", back end "EX[0-9]{64}\.\.\.", request-id "\?\?jndi\?ldap\?\?\?x\?"$' \
	"-v: such values quoted, only name characters, cut"
opts odd-names --output-format json
t_is "$(json 'len(j["probe"]["served_by"]["back_end"]) < 72 and "<" not in j["probe"]["served_by"]["front_end"]')" \
	True "JSON: the same safe values"

# --- check_eas_basic: Exchange's authentication names why (X-MS-Diagnostics)
run check_eas_basic -H localhost -p "$P" "${CA[@]}" -u "$(case_path ex-401-oauth)" "${CREDS[@]}" -v
expect_summary "401 with X-MS-Diagnostics: CRITICAL, the servers and the authentication's reason" 2 \
	"^EAS BASIC CRITICAL - basic auth for user@example\\.com refused: on front end EX01, back end EX03: HTTP 401: authentication refused: the bearer token is for another audience \\(X-MS-Diagnostics 2000003: The audience claim value is invalid 'aud'\\.\\): credentials rejected"
expect_out "^$SERVED\$" "-v: who served it"
run check_eas_basic -H localhost -p "$P" "${CA[@]}" -u "$(case_path ex-401-oauth)" "${CREDS[@]}" --output-format json
t_is "$(json 'j["probe"]["served_by"]["failing_part"]')" authentication "JSON: failing_part authentication"
run check_eas_basic -H localhost -p "$P" "${CA[@]}" -u "$(case_path ex-basic)" "${CREDS[@]}"
expect_first "basic accepted behind EX01: the line as without the headers" 0 \
	'^EAS BASIC OK - basic auth accepted for user@example\.com: ActiveSync 15\.1, protocol 16\.1 \|'

# --- check_eas_auth: every probe says who served it
run check_eas_auth -H localhost -p "$P" "${CA[@]}" -u "$(case_path ex-basic)" --policy basic "${CREDS[@]}" --output-format json
t_is "$RC" 0 "auth policy basic behind EX01: OK"
t_is "$(python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(sorted({p["probe"]["served_by"]["front_end"] for p in j["probes"] if "probe" in p}), len([p for p in j["probes"] if "probe" in p]))' "$OUT" 2>&1)" \
	"['EX01'] 2" "JSON: each probe's served_by names the front end (anonymous and basic)"
run check_eas_auth -H localhost -p "$P" "${CA[@]}" -u "$(case_path ex-503-backend)" --policy basic "${CREDS[@]}"
expect_first "auth probes against a failing back end: the servers and the part on the line" 2 \
	'^EAS AUTH CRITICAL - .*on front end EX01, back end EX03: HTTP 503: the back end failed'

# --- check_eas_sync: each step's answer (eas-syncd's ex-CASE)
sync() { # CASE ARGS...
	local c=$1; shift
	syncd_reset
	run check_eas_sync -U "$(syncd_url "$c")" "${CA[@]}" "${CREDS[@]}" "$@"
}
sync ex-ok --sync-folder inbox
expect_first "sync through EX01 to EX03: OK, the line as without the headers" 0 \
	'^EAS SYNC OK - mailbox user@example\.com syncs over ActiveSync 16\.1: policy acknowledged, 6 folders'
sync ex-ok --sync-folder inbox --output-format json
t_is "$(json 'sorted(j["served_by"])')" \
	"['FolderSync', 'GetItemEstimate', 'OPTIONS', 'Provision', 'Settings', 'Sync']" \
	"JSON: served_by for every step"
t_is "$(json 'j["served_by"]["Sync"]["back_end"]')" EX03 "JSON: the Sync step's back end"
sync ex-http-500-foldersync -v
expect_first "FolderSync fails in the back end: the step, the servers, the part" 2 \
	'^EAS SYNC CRITICAL - FolderSync: on front end EX01, back end EX03: HTTP 500: the back end failed \(HTTP 500 there, Internal Server Error\)'
expect_out '^FolderSync: failing part: the back end failed \(HTTP 500 there, Internal Server Error\)$' \
	"-v: the step's failing part"
expect_out '^Provision: served by front end EX01, back end EX03, request-id 0f6c2d4e-8a1b-4c3d-9e5f-7a6b5c4d3e2f$' \
	"-v: who served each step"
sync ex-http-500-foldersync --output-format json
t_is "$(json 'j["served_by"]["FolderSync"]["failing_part"]')" back_end "JSON: the failing step's part"
sync ex-http-503-settings
expect_first "Settings throttled: the back-off and the reason" 2 \
	'^EAS SYNC CRITICAL - Settings: on front end EX01, back end EX03: HTTP 503: throttled, retry after 30s: the device sends commands too often'
sync http-500-foldersync
expect_first "the same failure without the headers: the sentence as before" 2 \
	'^EAS SYNC CRITICAL - FolderSync: HTTP 500: internal server error in Exchange or IIS \(application pool or back end down\?\)'

# --- check_eas_autodiscover: a candidate answered by a failing back end
ad_test_setup
ad_reset
ad_case example.test ex-500
ad -v --candidate 1
expect_first "Autodiscover's candidate fails in the back end: the servers and the part on the line" 2 \
	'^EAS AUTODISCOVER CRITICAL - no Autodiscover candidate answered for user@example\.test, on front end EX01, back end EX03: HTTP 500: the back end failed '
expect_out '^autodiscover candidate 1: served by front end EX01, back end EX03, request-id 7c9e4b1a-2d3f-4e5a-8b6c-1d2e3f4a5b6c$' \
	"-v: who served the candidate"
ad --candidate 1 --output-format json
t_is "$(json 'j["autodiscover"]["tries"][0]["served_by"]["back_end"], j["autodiscover"]["tries"][0]["served_by"]["failing_part"]')" \
	"('EX03', 'back_end')" "JSON: each try's served_by"
ad_case example.test 500
ad -v --candidate 1
expect_no_out '^autodiscover candidate 1: served by' "the same failure without the headers: no served-by line"
expect_first "... and the words as before" 2 \
	'^EAS AUTODISCOVER CRITICAL - no Autodiscover candidate answered for user@example\.test, HTTP 500: internal server error'

# --- check_eas_certexpiry only shakes hands (no HTTP): nothing to say
run check_eas_certexpiry -H localhost -p "$P" "${CA[@]}" -v
expect_no_out '^(served by|failing part)' "certexpiry: no HTTP, no served-by lines"

t_done
