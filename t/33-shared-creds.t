#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One credential set for a host serves every plugin: an --extra-opts
# section with user, password and client certificate works for each, and
# each uses only what its check is about. Errors from the file name the
# file, the section and the key, never the value.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

ini=$T/plugins.ini
cat > "$ini" <<INI
[eas_mail]
hostname = localhost
port = $PORT13
ca-file = $PKI/ca.pem
user = user@example.com
password = $PASSWORD
cert = $PKI/client.p12
cert-password-file = $PKI/client.p12.pass
INI
chmod 600 "$ini"
X=(--extra-opts="eas_mail@$ini")

run check_eas_options "${X[@]}" -u "/basic$EAS" -v
expect_first "check_eas_options takes the section and sends OPTIONS as a device does" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1'
expect_out '^OPTIONS https://.* with client certificate and basic auth as user@example\.com$' \
	"... with the section's certificate and password (-v says so)"

# check_eas_options: a requirement is checked on an authenticated OPTIONS,
# never passed over as OK when the server hides its offer behind a 401.
at "$PORT13" basic
run check_eas_options "${TGT[@]}" --require-version 16.1 --require-command Provision
expect_first "anonymous OPTIONS got 401: --require-version cannot be checked, UNKNOWN says so" 3 \
	'^EAS OPTIONS UNKNOWN - cannot check --require-version/--require-command: OPTIONS wants credentials \(HTTP 401\), give --user and a password, or --cert \|'
run check_eas_options "${TGT[@]}" --require-command Provision
expect_first "... names only the option asked" 3 '^EAS OPTIONS UNKNOWN - cannot check --require-command: '
run check_eas_options "${TGT[@]}"
expect_first "anonymous 401 without a requirement: alive, as before" 0 '^EAS OPTIONS OK - alive, authentication enforced: HTTP 401'
run check_eas_options "${TGT[@]}" --user user@example.com
expect_first "--user without a password: still anonymous" 0 '^EAS OPTIONS OK - alive, authentication enforced: HTTP 401'
run check_eas_options "${TGT[@]}" "${BASIC[@]}" --require-version 16.1 --require-command Provision
expect_first "with --user and a password: the requirements are checked (OK)" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers'
run check_eas_options "${TGT[@]}" "${BASIC[@]}" --require-version 2.5 --require-version 17.0
expect_first "... and a version the server lacks is CRITICAL" 2 'required protocol 17\.0 not offered'
run check_eas_options "${TGT[@]}" "${BASIC_WRONG[@]}" --require-version 16.1
expect_first "refused credentials: the requirement cannot be checked, UNKNOWN" 3 \
	'^EAS OPTIONS UNKNOWN - cannot check --require-version: credentials refused \(HTTP 401\), check_eas_basic or check_eas_cert tells why'
run check_eas_options "${TGT[@]}" "${BASIC_WRONG[@]}"
expect_first "refused credentials without a requirement: alive, and says the credentials were refused" 0 \
	'^EAS OPTIONS OK - alive, but not with our credentials \(basic auth for user@example\.com\): HTTP 401'
at "$PORT13" cert
run check_eas_options "${TGT[@]}" "${PEM[@]}" --require-version 16.1
expect_first "with --cert: the certificate is sent, the requirement checked" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers'
run check_eas_options "${TGT[@]}" --require-version 16.1
expect_first "no certificate where one is required: UNKNOWN, not OK" 3 '^EAS OPTIONS UNKNOWN - cannot check --require-version: OPTIONS wants credentials \((HTTP 403\.7|TLS asks for a certificate)\)'
run check_eas_options "${TGT[@]}" --require-version 16.1 --output-format json
expect_json_field state '"UNKNOWN"' "... in JSON too"
run check_eas_basic "${X[@]}" -u "/basic$EAS"
expect_first "check_eas_basic takes the section and uses the password" 0 '^EAS BASIC OK - basic auth accepted for user@example\.com'
run check_eas_basic "${X[@]}" -u "/cert$EAS"
expect_first "check_eas_basic never sends the certificate it was not asked to test" 2 \
	'^EAS BASIC CRITICAL - basic auth for user@example\.com refused'
run check_eas_cert "${X[@]}" -u "/cert$EAS"
expect_first "check_eas_cert takes the section and tests the certificate alone" 0 \
	'^EAS CERT OK - client certificate user@example\.com accepted: '
run check_eas_cert "${X[@]}" -u "/both$EAS"
expect_first "... not certificate plus password, unless asked" 2 'the client certificate alone is not enough'
run check_eas_cert "${X[@]}" -u "/both$EAS" --with-basic
expect_first "... with --with-basic: both" 0 'accepted with basic auth for user@example\.com'
run check_eas_auth "${X[@]}" -u "/cert$EAS" --policy cert
expect_first "check_eas_auth takes the section, both credentials" 0 '^EAS AUTH OK - policy cert only holds'
run check_eas_certexpiry "${X[@]}"
expect_first "check_eas_certexpiry takes the section: the server and the client certificate" 0 \
	'^EAS CERTEXPIRY OK - .*[3-9] certificates checked'
expect_perf days_client_p12 '^36[45];' "... the section's client certificate is checked"
for mode in "" -v "--output-format json"; do
	# shellcheck disable=SC2086
	run check_eas_basic "${X[@]}" -u "/basic$EAS" $mode
	expect_no_out 's3cret' "no password in the output (${mode:-text})"
done

# Errors from the file: file, section and key, never the value.
cat > "$T/bad.ini" <<INI
[eas_mail]
hostname = localhost
timeout = s3cret-not-a-number
INI
run check_eas_options -v --extra-opts="eas_mail@$T/bad.ini"
expect_summary "a bad value in the file: UNKNOWN naming file, section and key" 3 \
	"^EAS OPTIONS UNKNOWN - key 'timeout' has a value that option does not take \\(see --help\\), in $T/bad\\.ini \\[eas_mail\\]$"
expect_no_out 's3cret' "... but not the value"
cat > "$T/unknown.ini" <<INI
[eas_mail]
hostname = localhost
pasword = s3cret
INI
run check_eas_basic -v --extra-opts="eas_mail@$T/unknown.ini"
expect_summary "an unknown key in the file: UNKNOWN naming file, section and key" 3 \
	"^EAS BASIC UNKNOWN - key 'pasword' is not an option of check_eas_basic \\(see --help\\), in $T/unknown\\.ini \\[eas_mail\\]$"
expect_no_out 's3cret' "... but not the value"

t_done
