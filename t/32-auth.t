#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_auth against real Apache: every policy against every mode (TLS
# 1.3 post-handshake auth and TLS 1.2 renegotiation), every credential set,
# skipped probes, missing credentials, fresh connections per probe,
# concurrency, and no secret in any output.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

auth() { run check_eas_auth "${TGT[@]}" "$@"; }
ALL=("${PEM[@]}" "${BASIC[@]}")

# --- the policy table against the four modes: OK where they match, else
# CRITICAL naming the regression. Rows: mode, then policy=ERE per policy
# (rc 0 when the ERE is "OK").
matrix=(
	"basic      basic=OK
	            cert=basic auth accepted although policy is cert only
	            cert+basic=basic auth accepted although policy is cert\\+basic \\(two factors\\)
	            cert-or-basic=cert refused: 401, credentials required, the server never asked for the certificate"
	"cert       basic=basic auth refused: TLS: client certificate required
	            cert=OK
	            cert+basic=cert alone accepted although policy is cert\\+basic
	            cert-or-basic=basic auth refused: TLS: client certificate required"
	"both       basic=basic auth refused: TLS: client certificate required
	            cert=cert refused: 401, a password is required as well
	            cert+basic=OK
	            cert-or-basic=basic auth refused: TLS: client certificate required .*, cert refused: 401"
	"fallback   basic=cert alone accepted although policy is basic only
	            cert=basic auth accepted although policy is cert only
	            cert+basic=basic auth accepted although policy is cert\\+basic .*, cert alone accepted"
	"open       basic=anonymous access accepted although policy is basic only
	            cert=anonymous access accepted although policy is cert only, basic auth accepted
	            cert+basic=anonymous access accepted although policy is cert\\+basic
	            cert-or-basic=anonymous access accepted although policy is cert or basic \\(fallback\\)"
)
for tls in 13 12; do
	port=PORT$tls
	v=1.3; [[ $tls == 12 ]] && v=1.2
	for row in "${matrix[@]}"; do
		read -r mode first <<<"$row"
		at "${!port}" "$mode"
		while IFS= read -r cell; do
			cell=${cell#"${cell%%[![:space:]]*}"}
			[[ -n $cell ]] || continue
			policy=${cell%%=*}
			want=${cell#*=}
			if [[ $want == OK ]]; then
				bq "TLS $v, mode $mode, policy $policy: OK" 0 \
					"^EAS AUTH OK - policy .* holds: anonymous refused, basic [a-z]+, cert [a-z]+, cert\\+basic [a-z]+ \\|" \
					check_eas_auth "${TGT[@]}" --policy "$policy" "${ALL[@]}"
			else
				bq "TLS $v, mode $mode, policy $policy: CRITICAL names the regression" 2 \
					"^EAS AUTH CRITICAL - $want" \
					check_eas_auth "${TGT[@]}" --policy "$policy" "${ALL[@]}"
			fi
		done <<<"$first"$'\n'"${row#*$'\n'}"
	done
done
# The fallback row lacks cert-or-basic above: that is the match.
at "$PORT13" fallback
bq "mode fallback, policy cert-or-basic: OK" 0 \
	'^EAS AUTH OK - policy cert or basic \(fallback\) holds: anonymous refused, basic accepted, cert accepted, cert\+basic accepted' \
	check_eas_auth "${TGT[@]}" --policy cert-or-basic "${ALL[@]}"

# --- every credential set, each mode under its own policy
policy_of() { case $1 in basic) echo basic ;; cert) echo cert ;; both) echo cert+basic ;; fallback) echo cert-or-basic ;; esac; }
for tls in 13 12; do
	port=PORT$tls
	v=1.3; [[ $tls == 12 ]] && v=1.2
	for mode in basic cert both fallback; do
		at "${!port}" "$mode"
		pol=$(policy_of "$mode")
		sets=(PEM ENCPEM P12 P12LEGACY EXPIRED FOREIGN WRONGPW MISMATCH)
		for set in "${sets[@]}"; do
			declare -n creds=$set
			a=(check_eas_auth "${TGT[@]}" --policy "$pol" "${creds[@]}" "${BASIC[@]}")
			if [[ $set == WRONGPW ]]; then
				bq "TLS $v, $mode/$pol, $set: UNKNOWN naming the file" 3 \
					"^EAS AUTH UNKNOWN - $PKI/client\\.p12: wrong PKCS#12 password\$" "${a[@]}"
			elif [[ $set == MISMATCH ]]; then
				bq "TLS $v, $mode/$pol, $set: UNKNOWN naming the file" 3 \
					"^EAS AUTH UNKNOWN - the private key in $PKI/client-nomatch\\.key does not match the certificate in $PKI/client\\.pem\$" "${a[@]}"
			elif [[ $mode == basic || $set != EXPIRED && $set != FOREIGN ]]; then
				# valid certificates; and mode 1 ignores certificates
				bq "TLS $v, $mode/$pol, $set: OK" 0 '^EAS AUTH OK' "${a[@]}"
			elif [[ $set == EXPIRED ]]; then
				bq "TLS $v, $mode/$pol, $set: CRITICAL, refused as expired" 2 \
					'^EAS AUTH CRITICAL - cert(\+basic)? refused: TLS handshake refused the certificate \(alert: certificate expired\)' "${a[@]}"
			else
				bq "TLS $v, $mode/$pol, $set: CRITICAL, unknown CA" 2 \
					'^EAS AUTH CRITICAL - cert(\+basic)? refused: TLS handshake refused the certificate \(alert: unknown CA\)' "${a[@]}"
			fi
			unset -n creds
		done
	done
done
bq_run

# --- IIS-style certificate mapping
at "$PORT13" s/certmap
auth --policy cert "${PEM[@]}" "${BASIC[@]}"
expect_first "IIS mapping, policy cert: OK" 0 '^EAS AUTH OK - policy cert only holds'
auth --policy cert "${OTHERCN[@]}" "${BASIC[@]}"
expect_first "IIS mapping lost: CRITICAL, 401.2 named" 2 '^EAS AUTH CRITICAL - cert refused: 401\.2, certificate mapping \|'
at "$PORT13" noask
auth --policy cert "${PEM[@]}"
expect_first "server stopped asking for certificates: CRITICAL" 2 \
	'^EAS AUTH CRITICAL - cert refused: 403\.7, client certificate required, the server never asked for the certificate'

# --- probes without credentials are skipped; a policy naming a method
# without credentials is UNKNOWN
at "$PORT13" basic
auth --policy basic "${BASIC[@]}"
expect_first "policy basic without --cert: cert probes skipped, OK" 0 \
	'^EAS AUTH OK - policy basic only holds: anonymous refused, basic accepted, cert not probed \(no --cert given\), cert\+basic not probed \(no --cert given\)'
at "$PORT13" cert
auth --policy cert "${PEM[@]}"
expect_first "policy cert without --user: basic probes skipped, OK" 0 \
	'^EAS AUTH OK - policy cert only holds: anonymous refused, cert accepted, basic not probed \(no --user given\), cert\+basic not probed'
auth --policy cert "${PEM[@]}" -v
expect_out '^\[skipped\] basic: no --user given$' "-v lists skipped probes"
auth --policy cert "${PEM[@]}" --output-format json
expect_json_field skipped '"no --user given"' "JSON lists skipped probes"
auth --policy cert "${BASIC[@]}"
expect_first "policy cert without --cert: UNKNOWN" 3 \
	'^EAS AUTH UNKNOWN - policy cert names client certificates, but no --cert was given'
auth --policy basic "${PEM[@]}"
expect_first "policy basic without --user: UNKNOWN" 3 '^EAS AUTH UNKNOWN - policy basic names basic auth, but no --user given'
auth --policy cert+basic "${PEM[@]}"
expect_first "policy cert+basic without --user: UNKNOWN" 3 '^EAS AUTH UNKNOWN - policy cert\+basic names basic auth'
auth --policy cert-or-basic "${BASIC[@]}"
expect_first "policy cert-or-basic without --cert: UNKNOWN" 3 '^EAS AUTH UNKNOWN - policy cert-or-basic names client certificates'
run_cmd env -u EAS_PASSWORD "$BUILDDIR/plugins/check_eas_auth" "${TGT[@]}" --policy cert "${PEM[@]}" --user user@example.com
expect_first "--user without a password: UNKNOWN" 3 'no password for user@example\.com'
auth "${ALL[@]}"
expect_first "no --policy: UNKNOWN" 3 '^EAS AUTH UNKNOWN - no --policy given: basic, cert, cert\+basic, cert-or-basic, bearer or cert\+bearer$'
auth --policy certificate "${ALL[@]}"
expect_first "unknown policy: UNKNOWN" 3 "^EAS AUTH UNKNOWN - --policy: 'certificate' is not basic, cert"
auth --policy basic --user user@example.com --password-file "$T/nonexistent.pass"
expect_first "unreadable password file: UNKNOWN naming it" 3 "cannot read password file $T/nonexistent\\.pass"

# --- each probe on its own connection and TLS session, identities apart
at "$PORT12" fallback
: >"$T/auth12/tls.log"
auth --policy cert-or-basic "${ALL[@]}"
expect_first "fallback over TLS 1.2: OK" 0 '^EAS AUTH OK'
log=$(tlslog auth12)
t_is "$(grep -c . <<<"$log")" 4 "four requests reached the server"
t_is "$(grep -c ' Initial ' <<<"$log")" 4 "four full handshakes, no resumed TLS session"
t_is "$(cut -d' ' -f3 <<<"$log" | sort -u | grep -c .)" 4 "four distinct TLS sessions"
t_is "$(awk '$4 != 0' <<<"$log" | grep -c .)" 0 "no request on a kept-alive connection"
t_is "$(grep -c ' user@example\.com$' <<<"$log")" 2 "a certificate only on the two certificate probes"

# --- concurrency: four probes of a 1-second server take about one second
at "$PORT13" s/slow
TGT[-1]="/s/slow$EAS?n=1"
auth --policy cert-or-basic "${ALL[@]}" --output-format json
t_like "$(grep -m1 '"time":' <<<"$OUT")" '"time":1\.[0-9]+' "concurrent: four 1 s probes in under 2 s"
expect_json_field concurrent 'true' "JSON says concurrent"
auth --policy cert "${PEM[@]}" --output-format json --sequential
t_like "$(grep -m1 '"time":' <<<"$OUT")" '"time":[2-9]\.[0-9]+' "--sequential: two 1 s probes take 2 s"
expect_json_field concurrent 'false' "JSON says sequential"

# --- failures: timeout and nothing listening
t_blackhole || t_bail "blackhole helper did not start"
run check_eas_auth -H localhost -p "$BLACKHOLE_PORT" --policy basic "${BASIC[@]}" -t 1
expect_first "all probes hang: UNKNOWN (timeout state)" 3 '^EAS AUTH UNKNOWN - anonymous probe: no answer within .*TLS handshake'
t_like "$LINE1" 'hung in the TLS handshake \(anonymous OPTIONS\)' "... naming the probe and the phase"
run check_eas_auth -H localhost -p "$BLACKHOLE_PORT" --policy basic "${BASIC[@]}" -t 1:CRITICAL --output-format json
expect_json_field state '"CRITICAL"' "the -t state, in JSON too"
t0=${EPOCHREALTIME/[.,]/}
run check_eas_auth -H localhost -p "$BLACKHOLE_PORT" --policy basic "${BASIC[@]}" -t 2 --sequential
t1=${EPOCHREALTIME/[.,]/}
expect_first "one deadline for the run: the second probe gets what is left" 3 \
	'^EAS AUTH UNKNOWN - .*no answer within 2s'
t_ok "-t 2 bounds both sequential probes together ($(((t1 - t0) / 1000)) ms)" test $(((t1 - t0) / 1000)) -lt 2900
run check_eas_auth -H localhost -p "$(t_freeport)" --policy basic "${BASIC[@]}"
expect_first "nothing listens: CRITICAL" 2 '^EAS AUTH CRITICAL - anonymous probe: connection refused'

# --- output: long output, JSON, perfdata per probe
at "$PORT13" cert
auth --policy cert "${ALL[@]}" -v
expect_out '^policy cert, cert only: anonymous must be refused, basic refused, cert accepted, cert\+basic either$' "-v states the policy"
expect_out '^\[OK\] anonymous refused as expected: TLS: client certificate required .*\(no HTTP answer, [0-9.]+s\)$' "-v: anonymous probe with outcome and time"
expect_out '^\[OK\] cert accepted as expected: 200 \(HTTP 200, [0-9.]+s\)$' "-v: cert probe with HTTP status and time"
expect_out '^\[OK\] cert\+basic accepted \(either is fine for policy cert only\)' "-v: cert+basic may go either way"
for k in anon basic cert certbasic; do
	expect_perf "${k}_time" '^[0-9]+\.[0-9]{6}s;;;0$' "${k}_time perfdata"
done
expect_perf certbasic_time_ssl '^[0-9.]+s' "per-probe check_curl names (certbasic_time_ssl)"
expect_perf time '^[0-9.]+s;;;0$' "time: all probes together"
at "$PORT13" fallback
auth --policy cert "${ALL[@]}" --output-format json
expect_json_field state '"CRITICAL"' "JSON state"
expect_json_field summary '"basic auth accepted although policy is cert only"' "JSON summary names the regression"
expect_json_field regression 'true' "JSON marks the regression"
expect_json_field http_status '401' "JSON lists HTTP statuses"
expect_json_field policy '"cert"' "JSON names the policy"
at "$PORT13" basic
auth --policy basic "${ALL[@]}" -w 0.000001
expect_first "-w below the total time: WARNING" 1 '^EAS AUTH WARNING - policy basic only holds.*slow: '

# --- secrets never show (JSON always carries the long output)
for mode in "" -v "--output-format json"; do
	for pol in cert cert+basic; do
		# shellcheck disable=SC2086 # the mode is words
		auth --policy "$pol" "${ALL[@]}" $mode
		expect_no_out 's3cret' "passwords absent (policy $pol, mode '${mode:-text}')"
		expect_no_out "$AUTH_B64|Authorization" "Authorization absent (policy $pol, mode '${mode:-text}')"
	done
	# shellcheck disable=SC2086
	auth --policy cert "${ENCPEM[@]}" "${BASIC[@]}" $mode
	expect_no_out 's3cret' "key password absent (mode '${mode:-text}')"
done

t_done
