#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_certexpiry, client-certificate mode: PEM, DER, PKCS#12 (with,
# without and with the wrong password, legacy RC2/3DES), expired and
# expiring files, a directory mixing them, unreadable and bogus files, and
# server + client mode in one run.
. "$(dirname "$0")/lib/test.sh"
t_setup
t_pki

P=check_eas_certexpiry
PW=$PKI/client.p12.pass
DAYS='-?[0-9]+;30;14$'

# ------------------------------------------------------------ formats
run "$P" --cert "$PKI/client.pem"
expect_first "PEM: OK, no -H needed" 0 \
	'^EAS CERTEXPIRY OK - certificate user@example\.com in client\.pem expires in 36[45] days \([0-9-]{10}\), 1 certificate checked \|'
expect_perf days_client_pem '^36[45];30;14$' "PEM: perfdata labelled by the file name"
expect_no_out "'time'=" "client mode only: no handshake time"

run "$P" --cert "$PKI/client.der"
expect_first "DER: OK" 0 '^EAS CERTEXPIRY OK - certificate user@example\.com in client\.der expires'
expect_perf days_client_der "$DAYS" "DER: perfdata"

run "$P" --cert "$PKI/client.p12" --cert-password-file "$PW"
expect_first "PKCS#12 with password: OK, every certificate inside" 0 \
	'^EAS CERTEXPIRY OK - certificate user@example\.com in client\.p12 expires in 36[45] days \([0-9-]{10}\), 2 certificates checked'
expect_perf days_client_p12 "$DAYS" "PKCS#12: the client certificate is the file's label"
expect_perf days_client_p12_check_eas_test_root_ca "$DAYS" "PKCS#12: the CA inside is labelled by file and CN"

run "$P" --cert "$PKI/client-legacy.p12" --cert-password-file "$PW"
expect_first "legacy RC2/3DES PKCS#12: OK" 0 '^EAS CERTEXPIRY OK - certificate user@example\.com in client-legacy\.p12 expires'
expect_perf days_client_legacy_p12 "$DAYS" "legacy PKCS#12: perfdata"

run "$P" --cert "$PKI/client-nopass.p12"
expect_first "PKCS#12 with an empty password, none given: OK" 0 '^EAS CERTEXPIRY OK - certificate user@example\.com in client-nopass\.p12'

cat "$PKI/client.pem" "$PKI/ca.pem" >"$T/bundle.pem"
run "$P" --cert "$T/bundle.pem"
expect_first "PEM bundle: every certificate" 0 '^EAS CERTEXPIRY OK - .*2 certificates checked'
expect_perf days_bundle_pem_check_eas_test_root_ca "$DAYS" "PEM bundle: second certificate labelled by CN"

# ------------------------------------------------------------ expiry
run "$P" --cert "$PKI/client-expired.pem"
expect_first "expired client certificate: CRITICAL" 2 \
	'^EAS CERTEXPIRY CRITICAL - certificate user@example\.com in client-expired\.pem expired (10|11) days ago \([0-9-]{10}\), 1 certificate checked'
expect_perf days_client_expired_pem '^-(10|11);30;14$' "expired: negative days"

run "$P" --cert "$PKI/client-soon.pem"
expect_first "client certificate expiring in 5 days: CRITICAL (-c 14)" 2 \
	'^EAS CERTEXPIRY CRITICAL - certificate user@example\.com in client-soon\.pem expires in [45] days'
run "$P" --cert "$PKI/client-soon.pem" -w 10 -c 3
expect_first "... WARNING with -w 10 -c 3" 1 '^EAS CERTEXPIRY WARNING - certificate user@example\.com in client-soon\.pem expires in [45] days'
expect_perf days_client_soon_pem '^[45];10;3$' "soon: thresholds in perfdata"
run "$P" --cert "$PKI/client-soon.pem" -w 50% -c 10%
expect_first "... OK by percentage (a 5-day certificate with ~100% left)" 0 '^EAS CERTEXPIRY OK'

# The worst file decides; the summary names the first to expire.
run "$P" --cert "$PKI/client.pem" --cert "$PKI/client-soon.pem" -w 10 -c 3
expect_first "two files: the expiring one decides and is named" 1 \
	'^EAS CERTEXPIRY WARNING - certificate user@example\.com in client-soon\.pem expires in [45] days .*, 2 certificates checked'
expect_perf days_client_pem '^36[45];10;3$' "two files: first file's perfdata"
expect_perf days_client_soon_pem '^[45];10;3$' "two files: second file's perfdata"

# ---------------------------------------------------------- directory
D=$T/phones
mkdir -p "$D"
cp "$PKI/client.pem" "$PKI/client.der" "$PKI/client-expired.pem" "$PKI/client-soon.pem" "$D/"
cp "$PKI/client.p12" "$D/alice.pfx"
cp "$PKI/client-legacy.p12" "$D/bob.P12"
cp "$PKI/client.key" "$D/client.key"          # not a certificate file name: skipped
echo "phones of the sales team" >"$D/README.txt"
mkdir "$D/old.pem"                            # a directory, not a file: skipped
run "$P" -v --cert-dir "$D" --cert-password-file "$PW"
expect_summary "directory: the expired file decides, named first" 2 \
	'^EAS CERTEXPIRY CRITICAL - certificate user@example\.com in client-expired\.pem expired (10|11) days ago \([0-9-]{10}\), certificate user@example\.com in client-soon\.pem expires in [45] days \([0-9-]{10}\), 8 certificates checked'
for l in alice_pfx alice_pfx_check_eas_test_root_ca bob_p12 client_der client_expired_pem client_pem client_soon_pem; do
	expect_perf "days_$l" "$DAYS" "directory: perfdata days_$l"
done
expect_no_out 'client_key|readme' "directory: key and text files are not checked"

run "$P" -v --cert-dir "$D" --cert-password-file "$PKI/client-wrong.pass"
expect_summary "directory, wrong PKCS#12 password: UNKNOWN beats the warning, CRITICAL stays" 2 \
	'^EAS CERTEXPIRY CRITICAL - .*expired.*, .*alice\.pfx: wrong PKCS#12 password, .*bob\.P12: wrong PKCS#12 password'
expect_no_out 'wrong-password' "the password itself never appears"

run "$P" --cert-dir "$T/empty-$RANDOM"
expect_first "missing directory: UNKNOWN naming it" 3 "^EAS CERTEXPIRY UNKNOWN - cannot read directory $T/empty-[0-9]+: No such file or directory"
mkdir "$T/none"
run "$P" -v --cert-dir "$T/none"
expect_summary "directory without certificate files: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - no certificate files .* in $T/none\$"

# A directory of many phones: days_min and the count stand for them all.
mkdir "$T/fleet"
for i in $(seq 1 70); do cp "$PKI/client.pem" "$T/fleet/phone$i.pem"; done
run "$P" --cert-dir "$T/fleet" -v
expect_first "70 certificates: checked, one line" 0 '^EAS CERTEXPIRY OK - .*70 certificates checked \| '
expect_perf days_min '^-?[0-9]+;30;14$' "70 certificates: days_min, with the thresholds"
expect_perf certificates '^70;;;0$' "70 certificates: their number"
t_is "$(t_perf days_phone1_pem)" "" "70 certificates: no perfdata per certificate"
expect_out '^70 certificates: no perfdata per certificate above 64' "-v says why"
cp "$PKI/client.pem" "$T/fleet/phone0.pem" && rm -f "$T/fleet"/phone{7,8,9}?.pem "$T/fleet"/phone{2,3,4,5,6}?.pem
run "$P" --cert-dir "$T/fleet"
expect_perf days_phone1_pem "$DAYS" "a few certificates: perfdata for each"

# ------------------------------------------------------------ bad input
run "$P" --cert "$PKI/client.p12" --cert-password-file "$PKI/client-wrong.pass"
expect_first "wrong PKCS#12 password: UNKNOWN naming the file" 3 \
	"^EAS CERTEXPIRY UNKNOWN - $PKI/client.p12: wrong PKCS#12 password\$"
expect_no_out 'wrong-password|s3cret' "wrong password: no password in the output"
run "$P" --cert "$PKI/client.p12"
expect_first "PKCS#12 without a password: UNKNOWN saying what to do" 3 \
	"^EAS CERTEXPIRY UNKNOWN - $PKI/client.p12: PKCS#12 file needs a password \(--cert-password-file\)\$"
run "$P" -v --cert "$PKI/client.p12" --cert-password-file "$T/no-such.pass"
expect_summary "unreadable password file: UNKNOWN naming it" 3 \
	"^EAS CERTEXPIRY UNKNOWN - cannot read password file $T/no-such.pass: No such file or directory\$"
run "$P" --cert "$T/no-such.pem"
expect_first "unreadable file: UNKNOWN naming it" 3 "^EAS CERTEXPIRY UNKNOWN - cannot read $T/no-such.pem: No such file or directory\$"
echo "this is not a certificate" >"$T/notes.pem"
run "$P" --cert "$T/notes.pem"
expect_first "not a certificate: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - $T/notes.pem: not a certificate file"
head -c 300 /dev/urandom | { printf '\x30'; cat; } >"$T/garbage.der"
run "$P" --cert "$T/garbage.der"
expect_first "garbage DER: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - $T/garbage.der: neither PEM, DER certificate, DER key nor PKCS#12"
: >"$T/empty.pem"
run "$P" --cert "$T/empty.pem"
expect_first "empty file: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - $T/empty.pem is empty"
run "$P" --cert "$PKI/client.key"
expect_first "a key, no certificate: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - $PKI/client.key holds no certificate"
run "$P" -v --cert "$T/no-such.pem" --cert "$PKI/client-expired.pem"
expect_summary "unreadable file and an expired one: CRITICAL, both named" 2 \
	"^EAS CERTEXPIRY CRITICAL - certificate user@example.com in client-expired.pem expired .*, cannot read $T/no-such.pem"
run "$P" --cert "$PKI/client.pem" -w 1x
expect_first "bad -w: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - --warning: '1x' is not a threshold"

# ---------------------------------------------------------------- JSON
run "$P" --cert "$PKI/client.p12" --cert-password-file "$PW" --output-format=json
expect_rc 0 "JSON: OK"
J=${OUT//$'\n'/}
t_like "$J" '"source": ?"client", *"file": ?"[^"]*/client\.p12", *"role": ?"client", *"subject": ?"CN=user@example\.com,O=check-eas test"' \
	"JSON: source, file and subject of the client certificate"
for f in issuer serial not_before not_after days_left key signature state; do
	t_like "$J" "\"$f\": ?[^,]+,.*\"$f\": ?[^,]+" "JSON: $f for both certificates"
done
t_ok "JSON parses: 2 certificates, OK" python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["state"] == "OK" and len(d["certificates"]) == 2
assert all(c["source"] == "client" for c in d["certificates"])' <<<"$OUT"

# ------------------------------------------- server and client together
httpd_start srv vhost-eas || t_bail "Apache did not start"
run "$P" -H localhost -p "$HTTPD_PORT" --ca-file "$PKI/ca.pem" --cert "$PKI/client-soon.pem" -w 10 -c 3
expect_first "server and client in one run: the client file expires first" 1 \
	'^EAS CERTEXPIRY WARNING - certificate user@example\.com in client-soon\.pem expires in [45] days .*, 3 certificates checked'
expect_perf days_leaf '^36[45];10;3$' "combined: server leaf"
expect_perf days_root '^3[0-9]{3};10;3$' "combined: server root"
expect_perf days_client_soon_pem '^[45];10;3$' "combined: client file"
expect_perf time '^0\.[0-9]+s;;;0$' "combined: handshake time"
run "$P" -H localhost -p "$HTTPD_PORT" --ca-file "$PKI/ca.pem" --cert "$PKI/client.pem"
expect_first "client certificate names no host: host rules not applied to it" 0 '^EAS CERTEXPIRY OK - .*3 certificates checked'

# A PEM with the certificate and its encrypted key: no password needed to
# read the certificate's dates.
cat "$PKI/client.pem" "$PKI/client-enc.key" > "$T/cert-and-enc-key.pem"
run "$P" --cert "$T/cert-and-enc-key.pem"
expect_first "PEM with an encrypted key, no password: the certificate is checked" 0 '^EAS CERTEXPIRY OK'

t_done
