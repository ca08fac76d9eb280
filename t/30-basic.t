#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_basic against real Apache in every authentication mode (TLS 1.3
# post-handshake and TLS 1.2 renegotiation), every password source, bad
# input, failures, and no secret in any output.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

basic() { run check_eas_basic "${TGT[@]}" "$@"; }
NOCERT='the server requires a client certificate and none was sent \(TLS alert: (certificate required|handshake failure)\)'

# --- every mode, both ways of asking for a certificate late
for tls in 13 12; do
	port=PORT$tls
	v=1.3; [[ $tls == 12 ]] && v=1.2
	at "${!port}" basic
	basic "${BASIC[@]}"
	expect_first "TLS $v, mode 1 (basic): OK" 0 \
		'^EAS BASIC OK - basic auth accepted for user@example\.com: ActiveSync 15\.1, protocol 16\.1 \|'
	basic "${BASIC_DOMAIN[@]}"
	expect_first "TLS $v, mode 1, DOMAIN\\user sent as given: OK" 0 \
		'^EAS BASIC OK - basic auth accepted for EXAMPLE\\user:'
	basic -v "${BASIC_WRONG[@]}"
	expect_summary "TLS $v, mode 1, wrong password: CRITICAL, credentials rejected" 2 \
		'^EAS BASIC CRITICAL - basic auth for user@example\.com refused: HTTP 401: credentials rejected \(wrong password'
	at "${!port}" cert
	basic "${BASIC[@]}"
	expect_first "TLS $v, mode 2 (cert only): CRITICAL, certificate now required" 2 \
		"^EAS BASIC CRITICAL - basic auth for user@example\\.com refused: $NOCERT"
	at "${!port}" both
	basic "${BASIC[@]}"
	expect_first "TLS $v, mode 3 (cert+basic): CRITICAL, certificate required" 2 \
		"^EAS BASIC CRITICAL - basic auth for user@example\\.com refused: $NOCERT"
	at "${!port}" fallback
	basic "${BASIC[@]}"
	expect_first "TLS $v, mode 4 (fallback): OK on the password" 0 '^EAS BASIC OK - basic auth accepted'
	basic "${BASIC_WRONG[@]}"
	expect_first "TLS $v, mode 4, wrong password: CRITICAL" 2 'refused: HTTP 401: credentials rejected'
	at "${!port}" s/certmap
	basic "${BASIC[@]}"
	expect_first "TLS $v, IIS cert-only (403.7): CRITICAL with its meaning" 2 \
		'^EAS BASIC CRITICAL - basic auth for user@example\.com refused: HTTP 403\.7: the server requires a client certificate'
done
at "$PORT13" basic
basic "${BASIC[@]}" -v
expect_out '^TLS TLSv1\.3, ' "-v shows the TLS version (1.3)"
at "$PORT12" basic
basic "${BASIC[@]}" -v
expect_out '^TLS TLSv1\.2, ' "-v shows the TLS version (1.2)"

# --- the user name reaches the server exactly as given (the responder
# compares the Authorization header byte for byte)
at "$PORT13" s/basic
basic "${BASIC[@]}"
expect_first "responder: user@example.com accepted" 0 '^EAS BASIC OK'
basic "${BASIC_DOMAIN[@]}"
expect_first "responder: EXAMPLE\\user accepted" 0 '^EAS BASIC OK'
basic --user 'example\user' --password-file "$T/pass"
expect_first "responder: the user name is not rewritten (case)" 2 'credentials rejected'

# --- password sources
at "$PORT13" basic
run_cmd env EAS_PASSWORD="$PASSWORD" "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}" --user user@example.com
expect_first "password from EAS_PASSWORD" 0 '^EAS BASIC OK'
run_cmd env MY_EAS_PW="$PASSWORD" "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}" --user user@example.com --password-env MY_EAS_PW
expect_first "password from --password-env VAR" 0 '^EAS BASIC OK'
basic --user user@example.com --password "$PASSWORD"
expect_first "password on the command line (unsafe, but accepted)" 0 '^EAS BASIC OK'
cat >"$T/eas.ini" <<EOF
[eas]
user=user@example.com
password=$PASSWORD
EOF
basic --extra-opts="eas@$T/eas.ini"
expect_first "user and password from --extra-opts" 0 '^EAS BASIC OK'
run_cmd env EAS_PASSWORD=wrong "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}" "${BASIC[@]}"
expect_first "--password-file wins over EAS_PASSWORD" 0 '^EAS BASIC OK'

# --- bad input: UNKNOWN, one line naming the problem
basic --password-file "$T/pass"
expect_first "password but no --user: UNKNOWN" 3 '^EAS BASIC UNKNOWN - a password was given but no --user$'
run_cmd env -u EAS_PASSWORD "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}"
expect_first "no --user: UNKNOWN" 3 '^EAS BASIC UNKNOWN - no --user given: basic authentication needs the user'
run_cmd env -u EAS_PASSWORD "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}" --user user@example.com
expect_first "no password: UNKNOWN naming the sources" 3 \
	'^EAS BASIC UNKNOWN - no password for user@example\.com: use --password-file FILE, the EAS_PASSWORD environment variable'
basic --user user@example.com --password-file "$T/nonexistent.pass"
expect_first "unreadable password file: UNKNOWN naming it" 3 \
	"^EAS BASIC UNKNOWN - cannot read password file $T/nonexistent\\.pass: No such file or directory\$"
run_cmd env -u NO_SUCH_VAR "$BUILDDIR/plugins/check_eas_basic" "${TGT[@]}" --user user@example.com --password-env NO_SUCH_VAR
expect_first "--password-env names an unset variable: UNKNOWN" 3 'environment variable NO_SUCH_VAR is not set'
t_like "$(wc -l <<<"$OUT")" '^1$' "... in one line"

# --- never basic credentials over plain http
httpd_start plain vhost-eas-plain || t_bail "plain vhost did not start"
# shellcheck disable=SC2154 # set by httpd_start
plainurl="http://127.0.0.1:$HTTPD_PORT_plain/s/basic$EAS"
run check_eas_basic -U "$plainurl" "${BASIC[@]}"
expect_first "plain http: refused without --allow-plaintext (UNKNOWN)" 3 \
	'^EAS BASIC UNKNOWN - refusing to send basic credentials over plain http:// \(use https, or --allow-plaintext\)'
t_is "$(grep -c 's/basic' "$T/plain/access.log" 2>/dev/null)" 0 "... and nothing was sent"
run check_eas_basic -U "$plainurl" "${BASIC[@]}" --allow-plaintext
expect_first "plain http with --allow-plaintext: OK" 0 '^EAS BASIC OK'

# --- other answers and failures, explained
at "$PORT13" s/403
basic "${BASIC[@]}"
expect_first "plain 403: CRITICAL with its meaning" 2 'refused: HTTP 403: access forbidden'
at "$PORT13" s/401.2
basic "${BASIC[@]}"
expect_first "401.2: CRITICAL" 2 'refused: HTTP 401\.2'
at "$PORT13" s/500
basic "${BASIC[@]}"
expect_first "500: CRITICAL, internal server error" 2 '^EAS BASIC CRITICAL - HTTP 500: internal server error'
at "$PORT13" s/login
basic "${BASIC[@]}"
expect_first "a login page instead of Exchange: CRITICAL" 2 'not Exchange'
at "$PORT13" s/451
basic -v "${BASIC[@]}"
expect_summary "451: WARNING, accepted but served elsewhere" 1 'basic auth accepted for user@example\.com, but HTTP 451: .*mail2\.example\.com'
mkdir -p "$T/no-anchors" # a trust store without our CA
run check_eas_basic -H localhost -p "$PORT13" -u "/basic$EAS" "${BASIC[@]}" --ca-path "$T/no-anchors"
expect_first "untrusted server certificate: CRITICAL" 2 '^EAS BASIC CRITICAL - server certificate not trusted'
run check_eas_basic -H localhost -p "$(t_freeport)" "${BASIC[@]}"
expect_first "nothing listens: CRITICAL, connection refused" 2 '^EAS BASIC CRITICAL - connection refused'
t_blackhole || t_bail "blackhole helper did not start"
run check_eas_basic -H localhost -p "$BLACKHOLE_PORT" "${BASIC[@]}" -t 1
expect_first "server hangs in the handshake: UNKNOWN (timeout state)" 3 '^EAS BASIC UNKNOWN - no answer within .*TLS handshake'
run check_eas_basic -H localhost -p "$BLACKHOLE_PORT" "${BASIC[@]}" -t 1:CRITICAL
expect_rc 2 "-t 1:CRITICAL makes the timeout CRITICAL"

# --- thresholds and perfdata
at "$PORT13" basic
basic "${BASIC[@]}" -w 0.000001
expect_first "-w below the response time: WARNING" 1 '^EAS BASIC WARNING - basic auth accepted.*slow: '
basic "${BASIC[@]}" -w 5 -c 10
expect_perf time '^[0-9]+\.[0-9]{6}s;5;10;0$' "time perfdata with thresholds"
for p in time_connect time_ssl time_firstbyte; do
	expect_perf "$p" '^[0-9]+\.[0-9]{6}s;;;0$' "$p perfdata"
done
expect_perf size '^[0-9]+B;;;0$' "size perfdata"

# --- secrets never show, whatever the output mode or outcome
for mode in "" -v "--output-format json" "-v --output-format json"; do
	# shellcheck disable=SC2086 # the mode is words
	basic "${BASIC[@]}" $mode
	expect_no_out 's3cret' "password absent (OK, mode '${mode:-text}')"
	expect_no_out "$AUTH_B64|Authorization" "Authorization absent (OK, mode '${mode:-text}')"
	# shellcheck disable=SC2086
	basic "${BASIC_WRONG[@]}" $mode
	expect_no_out 's3cret|not the password' "password absent (refused, mode '${mode:-text}')"
done
basic --user user@example.com --password "$PASSWORD" -v
expect_no_out 's3cret' "--password on the command line is not echoed"

# --password is wiped from argv once parsed: ps and /proc do not show it
t_blackhole || t_bail "no blackhole"
"$BUILDDIR/plugins/check_eas_basic" -H localhost -p "$BLACKHOLE_PORT" -t 3 \
	--user user@example.com --password "$PASSWORD" >/dev/null 2>&1 &
bg=$!
sleep 0.5
cmdline=$(tr '\0' ' ' <"/proc/$bg/cmdline" 2>/dev/null)
wait "$bg"
t_like "$cmdline" '--password \*+' "argv holds no password while the check runs"
t_is "$([[ $cmdline == *s3cret* ]] && echo leaked || echo clean)" clean \
	"the password is not in /proc/PID/cmdline"
"$BUILDDIR/plugins/check_eas_basic" -H localhost -p "$BLACKHOLE_PORT" -t 3 \
	--user user@example.com "--password=$PASSWORD" >/dev/null 2>&1 &
bg=$!
sleep 0.5
cmdline=$(tr '\0' ' ' <"/proc/$bg/cmdline" 2>/dev/null)
wait "$bg"
t_like "$cmdline" '--password=\*+ ' "--password=VALUE is wiped too"
t_is "$([[ $cmdline == *s3cret* ]] && echo leaked || echo clean)" clean \
	"... and nothing of it is left"
basic "${BASIC[@]}" --output-format json
expect_json_field state '"OK"' "JSON state"
expect_json_field user '"user@example\.com"' "JSON names the user"
expect_json_field verdict '"accepted"' "JSON outcome verdict"
expect_json_field http_status '200' "JSON HTTP status"
basic "${BASIC_WRONG[@]}" --output-format json
expect_json_field reason '"401, credentials rejected"' "JSON reason of a refusal"

t_done
