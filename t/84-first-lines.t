#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first line of every plugin in every state fits a pager and Nagios:
# at most 160 characters before '|', no ';' (Nagios reads it as a
# separator), the cause first with the words that did not fit in -v.
# Each plugin runs through an OK, WARNING, CRITICAL and UNKNOWN case
# against the real test servers (t/lib: Apache in the authentication
# modes, t/eas-syncd, the Autodiscover servers and dnsmasq); a table
# "plugin state length line" closes the output as TAP comments.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/syncd.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki

auth_setup || t_bail "apache (authentication modes) did not start"
httpd_start main vhost-eas || t_bail "apache (vhost-eas) did not start"
MAIN=$HTTPD_PORT_main
ad_test_setup
printf 's3cret pass\n' >"$T/syncpw" && chmod 600 "$T/syncpw"

ROWS=()
# fl PLUGIN STATE WORDS ARGS... - run PLUGIN ARGS... -v: its exit code is
# STATE's, its first line at most 160 characters before '|' without ';',
# and the whole summary (the first line, or the first -v line when the line
# left words to -v) matches the ERE WORDS: the case is the one meant.
fl() {
	local plugin=$1 state=$2 words=$3 text rc
	shift 3
	case $state in OK) rc=0 ;; WARNING) rc=1 ;; CRITICAL) rc=2 ;; *) rc=3 ;; esac
	run "$plugin" "$@" -v
	text=$(t_line1_text)
	ROWS+=("$(printf '%-22s %-8s %3d %s' "$plugin" "$state" "${#text}" "$text")")
	if [[ $RC == "$rc" && $text == "EAS "*" $state - "* && ${#text} -le 160 &&
		$text != *';'* ]] && _t_match "$(t_summary)" "$words"; then
		t_pass "$plugin $state: ${#text} characters, no ';', the cause named"
	else
		t_fail "$plugin $state: exit $rc, at most 160 characters, no ';', whole summary =~ $words" \
			"rc: $RC, length ${#text}" "line: $LINE1" "summary: $(t_summary)"
	fi
}

# --- check_eas_options (the main vhost: Exchange-like answers per path)
OPTS=(-H localhost -p "$MAIN" --ca-file "$PKI/ca.pem")
S=/Microsoft-Server-ActiveSync
fl check_eas_options OK 'answers: protocol 16\.1' "${OPTS[@]}"
fl check_eas_options WARNING 'HTTP 449: retry after Provision' "${OPTS[@]}" -u "/s/449$S"
fl check_eas_options CRITICAL 'HTTP 503: throttled, retry after 30s: the device sends commands too often' \
	"${OPTS[@]}" -u "/s/503-throttle$S"
fl check_eas_options UNKNOWN 'cannot check --require-version: OPTIONS wants credentials \(HTTP 401\)' \
	"${OPTS[@]}" -u "/s/401$S" --require-version 14.1

# --- check_eas_basic (Apache in mode 1, basic authentication)
at "$PORT13" basic
fl check_eas_basic OK 'basic auth accepted for user@example\.com: ActiveSync 15\.1' \
	"${TGT[@]}" "${BASIC[@]}"
at "$PORT13" s/451
fl check_eas_basic WARNING 'basic auth accepted for user@example\.com, but HTTP 451: .*mail2\.example\.com' \
	"${TGT[@]}" "${BASIC[@]}"
at "$PORT13" basic
fl check_eas_basic CRITICAL 'refused: HTTP 401: credentials rejected \(wrong password' \
	"${TGT[@]}" "${BASIC_WRONG[@]}"
fl check_eas_basic UNKNOWN '^EAS BASIC UNKNOWN - no password for user@example\.com' \
	"${TGT[@]}" --user user@example.com

# --- check_eas_cert (mode 2, client certificate)
at "$PORT13" cert
fl check_eas_cert OK 'client certificate user@example\.com accepted: .*expires in 36[45] days' \
	"${TGT[@]}" "${PEM[@]}"
fl check_eas_cert WARNING 'accepted: .*client certificate expires in 36[45] days' \
	"${TGT[@]}" "${PEM[@]}" --cert-warn 400
fl check_eas_cert CRITICAL 'refused: the server refused our client certificate as expired.*client certificate expired' \
	"${TGT[@]}" "${EXPIRED[@]}"
fl check_eas_cert UNKNOWN 'the private key in .*client-nomatch\.key does not match the certificate in .*client\.pem$' \
	"${TGT[@]}" "${MISMATCH[@]}"

# --- check_eas_auth (the policy against mode 1)
at "$PORT13" basic
fl check_eas_auth OK 'policy basic only holds: anonymous refused, basic accepted' \
	"${TGT[@]}" --policy basic "${BASIC[@]}" "${PEM[@]}"
fl check_eas_auth WARNING 'policy basic only holds: .*slow: ' \
	"${TGT[@]}" --policy basic "${BASIC[@]}" "${PEM[@]}" -w 0.000001
fl check_eas_auth CRITICAL 'cert refused: 401, credentials required' \
	"${TGT[@]}" --policy cert "${BASIC[@]}" "${PEM[@]}"
fl check_eas_auth UNKNOWN 'policy cert names client certificates, but no --cert was given' \
	"${TGT[@]}" --policy cert "${BASIC[@]}"

# --- check_eas_sync (t/eas-syncd behind the main vhost)
sync() { # CASE STATE WORDS ARGS...
	local c=$1 state=$2 words=$3
	shift 3
	syncd_reset
	fl check_eas_sync "$state" "$words" -U "$(syncd_url "$c" "$MAIN")" --ca-file "$PKI/ca.pem" \
		--user user@example.com --password-file "$T/syncpw" "$@"
}
sync ok OK 'mailbox user@example\.com syncs over ActiveSync 16\.1' --sync-folder inbox
sync status-111-sync WARNING 'Sync status 111 \(ServerErrorRetryLater\)' --sync-folder inbox
sync accountwipe CRITICAL 'a remote wipe of the account \(AccountOnlyRemoteWipe\) was issued .*never acknowledges it'
mkdir -m 777 "$T/ww" && chmod 777 "$T/ww"
sync ok UNKNOWN 'the state directory .*/ww is writable by group or others .*chmod 700 it' --state-dir "$T/ww"

# --- check_eas_certexpiry (client certificate files, the test PKI)
fl check_eas_certexpiry OK 'certificate user@example\.com in client\.pem expires in 36[45] days' \
	--cert "$PKI/client.pem"
fl check_eas_certexpiry WARNING 'certificate user@example\.com in client-soon\.pem expires in [45] days' \
	--cert "$PKI/client-soon.pem" --cert "$PKI/client.pem" -w 10 -c 2
fl check_eas_certexpiry CRITICAL 'client-expired\.pem expired (10|11) days ago.*client-soon\.pem expires in [45] days' \
	--cert "$PKI/client-expired.pem" --cert "$PKI/client-soon.pem" --cert "$PKI/client.pem"
fl check_eas_certexpiry UNKNOWN 'no-such\.pem' --cert "$T/no-such.pem"

# --- check_eas_autodiscover (Apache vhosts, dnsmasq)
ad_reset
fl check_eas_autodiscover OK 'Microsoft-Server-ActiveSync for user@example\.test from candidate 1' \
	--address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
ad_case example.test malformed
fl check_eas_autodiscover WARNING 'found https://.* \(candidate 2\), candidate 1: malformed answer' \
	--address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
ad_case example.test error 601
fl check_eas_autodiscover CRITICAL 'answered error 601: ' \
	--address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
ad_case example.test hang 30
fl check_eas_autodiscover UNKNOWN 'Autodiscover for user@example\.test ran out of time: no answer within 2s' \
	--address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}" -t 2
ad_reset

echo "# plugin                 state    len first line (text before '|')"
for row in "${ROWS[@]}"; do
	printf '# %s\n' "$row"
done
t_done
