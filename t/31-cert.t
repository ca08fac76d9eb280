#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_cert against real Apache: every authentication mode with every
# credential set (PEM, encrypted-key PEM, modern and legacy PKCS#12,
# expired, foreign CA, wrong PKCS#12 password, key mismatch), over TLS 1.3
# post-handshake auth and TLS 1.2 renegotiation; each outcome the issue
# names; the certificate's own expiry; no secret in any output.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
t_setup
t_pki
auth_setup hs || t_bail "apache did not start"

cert() { run check_eas_cert "${TGT[@]}" "$@"; }
ACCEPTED='^EAS CERT OK - client certificate user@example\.com accepted: ActiveSync 15\.1, protocol 16\.1, client certificate expires in 36[45] days'
NOTASKED_401='^EAS CERT CRITICAL - the server never asked for a client certificate: HTTP 401'
ALONE='^EAS CERT CRITICAL - client certificate user@example\.com refused: HTTP 401: the client certificate alone is not enough'
EXPIRED_TLS='^EAS CERT CRITICAL - client certificate user@example\.com refused: the server refused our client certificate as expired \(TLS alert: certificate expired\), .*client certificate expired 10 days ago'
FOREIGN_TLS='^EAS CERT CRITICAL - client certificate user@example\.com refused: the server does not trust the CA of our client certificate \(TLS alert: unknown CA\)'

# --- every mode x every credential set, both ways of asking late
for tls in 13 12; do
	port=PORT$tls
	v=1.3; [[ $tls == 12 ]] && v=1.2
	for set in PEM ENCPEM P12 P12LEGACY; do
		declare -n creds=$set
		at "${!port}" basic
		bq "TLS $v, mode 1 (basic), $set: CRITICAL, never asked for a certificate" 2 "$NOTASKED_401" \
			check_eas_cert "${TGT[@]}" "${creds[@]}"
		at "${!port}" cert
		bq "TLS $v, mode 2 (cert), $set: OK" 0 "$ACCEPTED" \
			check_eas_cert "${TGT[@]}" "${creds[@]}"
		at "${!port}" both
		bq "TLS $v, mode 3 (both), $set without --user: CRITICAL, password needed too" 2 "$ALONE" \
			check_eas_cert "${TGT[@]}" "${creds[@]}"
		at "${!port}" fallback
		bq "TLS $v, mode 4 (fallback), $set: OK" 0 "$ACCEPTED" \
			check_eas_cert "${TGT[@]}" "${creds[@]}"
		unset -n creds
	done
	at "${!port}" basic
	bq "TLS $v, mode 1, EXPIRED: never asked, expired" 2 \
		"$NOTASKED_401.*client certificate expired 10 days ago" \
		check_eas_cert "${TGT[@]}" "${EXPIRED[@]}"
	bq "TLS $v, mode 1, FOREIGN: never asked" 2 "$NOTASKED_401" \
		check_eas_cert "${TGT[@]}" "${FOREIGN[@]}"
	for mode in cert both fallback; do
		at "${!port}" "$mode"
		bq "TLS $v, mode $mode, EXPIRED: handshake refused (certificate expired), cert_days < 0" 2 \
			"$EXPIRED_TLS.* 'cert_days'=-10;30;14\$" \
			check_eas_cert "${TGT[@]}" "${EXPIRED[@]}"
		bq "TLS $v, mode $mode, FOREIGN: handshake refused (unknown CA)" 2 "$FOREIGN_TLS" \
			check_eas_cert "${TGT[@]}" "${FOREIGN[@]}"
	done
	for mode in basic cert both fallback; do
		at "${!port}" "$mode"
		bq "TLS $v, mode $mode, wrong PKCS#12 password: UNKNOWN naming the file" 3 \
			"^EAS CERT UNKNOWN - $PKI/client\\.p12: wrong PKCS#12 password\$" \
			check_eas_cert "${TGT[@]}" "${WRONGPW[@]}"
		bq "TLS $v, mode $mode, key mismatch: UNKNOWN naming the file" 3 \
			"^EAS CERT UNKNOWN - the private key in $PKI/client-nomatch\\.key does not match the certificate in $PKI/client\\.pem\$" \
			check_eas_cert "${TGT[@]}" "${MISMATCH[@]}"
	done
	# Two factors: --with-basic adds the basic credentials.
	at "${!port}" both
	bq "TLS $v, mode 3 with --with-basic: OK" 0 \
		'^EAS CERT OK - client certificate user@example\.com accepted with basic auth for user@example\.com: ActiveSync' \
		check_eas_cert "${TGT[@]}" "${P12[@]}" --with-basic "${BASIC[@]}"
	bq "TLS $v, mode 3, wrong password: CRITICAL, credentials rejected" 2 \
		'refused with basic auth for user@example\.com: HTTP 401: credentials rejected' \
		check_eas_cert "${TGT[@]}" "${PEM[@]}" --with-basic "${BASIC_WRONG[@]}"
	bq "TLS $v, mode 3, a shared credential set without --with-basic: the certificate alone is tested" 2 \
		'refused: HTTP 401: the client certificate alone is not enough' \
		check_eas_cert "${TGT[@]}" "${P12[@]}" "${BASIC[@]}"
	at "${!port}" basic
	bq "TLS $v, mode 1 with --with-basic: CRITICAL, in on the password alone" 2 \
		'^EAS CERT CRITICAL - the server never asked for a client certificate: it let us in without one on the password alone' \
		check_eas_cert "${TGT[@]}" "${PEM[@]}" --with-basic "${BASIC[@]}"
	at "${!port}" cert
	cert "${PEM[@]}" -v
	expect_out "^TLS TLSv$v, .*server asked for a client certificate" "TLS $v: the certificate was asked for after the handshake"
done
bq_run

# --- the outcomes the issue names, IIS style
at "$PORT13" s/certmap
cert "${PEM[@]}"
expect_first "IIS mapping, mapped certificate: OK" 0 "$ACCEPTED"
cert "${OTHERCN[@]}"
expect_first "IIS mapping, unmapped certificate: CRITICAL, 401.2" 2 \
	'^EAS CERT CRITICAL - client certificate other@example\.com refused: HTTP 401\.2: the client certificate passed TLS but is not mapped to an account'
cert "${FOREIGN[@]}"
expect_first "IIS, certificate of an untrusted CA: CRITICAL, 403.16" 2 \
	'refused: HTTP 403\.16: the client certificate is untrusted'
at "$PORT13" s/403.17
cert "${PEM[@]}"
expect_first "IIS 403.17: CRITICAL, expired or not yet valid" 2 'refused: HTTP 403\.17: the client certificate has expired'
at "$PORT13" noask
cert -v "${PEM[@]}"
expect_summary "403.7 from a server that never asked: CRITICAL, explained" 2 \
	"^EAS CERT CRITICAL - HTTP 403\\.7: the server demands a client certificate but never asked for one during TLS"
at "$PORT13" open
cert "${PEM[@]}"
expect_first "anonymous access open: CRITICAL" 2 'never asked for a client certificate: it let us in without one \(anonymous access is open\)'

# --- certificate required in the handshake itself
at "$PORTHS" basic
cert "${P12[@]}" --with-basic "${BASIC[@]}"
expect_first "handshake-time client auth: OK" 0 'accepted with basic auth'
cert "${FOREIGN[@]}"
expect_first "handshake-time client auth, foreign CA: CRITICAL, refused in the handshake" 2 "$FOREIGN_TLS"

# --- check_eas_options: a certificate demanded in the handshake is the
# same outcome as 401 or 403.7 (alive, enforcing), with the same state
for p in "$PORTHS" "$PORT13"; do
	at "$p" cert
	run check_eas_options "${TGT[@]}"
	expect_first "options, certificate demanded ($p): OK, authentication enforced" 0 \
		'^EAS OPTIONS OK - alive, authentication enforced: (the server requires a client certificate and none was sent|HTTP 403: )'
	run check_eas_options "${TGT[@]}" --on-auth-required WARNING
	expect_first "options, certificate demanded ($p), --on-auth-required WARNING" 1 \
		'^EAS OPTIONS WARNING - '
done
at "$PORTHS" basic
run check_eas_options "${TGT[@]}" --output-format json
expect_json_field state '"OK"' "options, handshake demand: JSON state OK"

# --- content, not file names, decides the format
cp "$PKI/client.p12" "$T/device.pem"
at "$PORT13" cert
cert --cert "$T/device.pem" --cert-password-file "$PKI/client.p12.pass"
expect_first "PKCS#12 named .pem: recognised by content" 0 "$ACCEPTED"
cert --cert "$PKI/client-nopass.p12"
expect_first "PKCS#12 without a password" 0 "$ACCEPTED"
cert "${P12LEGACY[@]}" -v
expect_out '1 chain certificate' "the chain inside the PKCS#12 file is loaded"
cert "${INTP12[@]}"
expect_first "certificate by an intermediate, PKCS#12 with the chain: OK (the chain is sent)" 0 "$ACCEPTED"
cert "${INTLEAF[@]}"
expect_first "... the same certificate without its chain: refused (unknown CA)" 2 "$FOREIGN_TLS"

# --- bad input: UNKNOWN, one line naming the file
cert
expect_first "no --cert: UNKNOWN" 3 '^EAS CERT UNKNOWN - no --cert given'
cert --cert "$T/nonexistent.pem" --key "$PKI/client.key"
expect_first "unreadable certificate: UNKNOWN naming it" 3 "^EAS CERT UNKNOWN - cannot read --cert $T/nonexistent\\.pem: No such file"
cert --cert "$PKI/client.p12"
expect_first "PKCS#12 without --cert-password-file: UNKNOWN" 3 "client\\.p12: PKCS#12 file needs a password \\(--cert-password-file\\)"
cert --cert "$PKI/client.pem" --key "$PKI/client-enc.key"
expect_first "encrypted key without --key-password-file: UNKNOWN" 3 'client-enc\.key: the private key is encrypted and no password was given'
cert --cert "$PKI/client.pem" --key "$PKI/client-enc.key" --key-password-file "$PKI/client-wrong.pass"
expect_first "wrong key password: UNKNOWN" 3 'client-enc\.key: wrong password for the private key'
cert --cert "$PKI/client.pem"
expect_first "PEM certificate without --key: UNKNOWN" 3 'client\.pem holds no private key: give it with --key'
cert "${P12[@]}" --cert-password-file "$T/nonexistent.pass"
expect_first "unreadable PKCS#12 password file: UNKNOWN naming it" 3 "cannot read password file $T/nonexistent\\.pass"
cert "${PEM[@]}" --cert-warn x
expect_first "bad --cert-warn: UNKNOWN" 3 '^EAS CERT UNKNOWN - --cert-warn: .x. is not a number of days'

# --- the client certificate's own expiry
at "$PORT13" cert
cert "${PEM[@]}"
expect_perf cert_days '^36[45];30;14$' "cert_days perfdata with default thresholds"
expect_perf time '^[0-9.]+s;;;0$' "time perfdata"
cert "${PEM[@]}" --cert-warn 400
expect_first "--cert-warn 400: WARNING" 1 '^EAS CERT WARNING - client certificate user@example\.com accepted.*expires in 36[45] days'
expect_perf cert_days '^36[45];400;14$' "... thresholds in perfdata"
cert "${PEM[@]}" --cert-warn 500 --cert-crit 400
expect_first "--cert-crit 400: CRITICAL" 2 '^EAS CERT CRITICAL - client certificate user@example\.com accepted'
cert --cert "$PKI/client-soon.pem" --key "$PKI/client.key"
expect_first "certificate expiring in 5 days: CRITICAL though accepted" 2 'accepted: .*client certificate expires in [45] days'

# --- secrets never show
for mode in "" -v "--output-format json"; do
	# shellcheck disable=SC2086 # the mode is words
	cert "${P12[@]}" --with-basic "${BASIC[@]}" $mode
	expect_no_out 's3cret' "passwords absent (P12 + basic, mode '${mode:-text}')"
	expect_no_out "$AUTH_B64|Authorization" "Authorization absent (mode '${mode:-text}')"
	# shellcheck disable=SC2086
	cert "${ENCPEM[@]}" $mode
	expect_no_out 's3cret' "key password absent (mode '${mode:-text}')"
	# shellcheck disable=SC2086
	cert "${WRONGPW[@]}" $mode
	expect_no_out 's3cret|wrong-password' "wrong password absent (mode '${mode:-text}')"
done
cert "${P12[@]}" --output-format json
expect_json_field state '"OK"' "JSON state"
expect_json_field days_left '36[45]\.[0-9]+' "JSON days left"
expect_json_field client_cert_requested 'true' "JSON: the server asked for the certificate"

t_done
