#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_certexpiry, server mode: one Apache on 127.0.0.1 serves every
# test certificate as a name-based (SNI) virtual host, plus two ports whose
# handshake demands a client certificate (TLS 1.2 only and TLS 1.3 only).
. "$(dirname "$0")/lib/test.sh"
t_setup
t_pki

P=check_eas_certexpiry
CA=$PKI/ca.pem
DAYS='-?[0-9]+;30;14$'   # a days_ perfdata item with the default thresholds

# vhost and the expiry cases' virtual hosts (expiry_vhosts)
. "$T_LIB/expiry-vhosts.sh"

# A leaf without subjectAltName (CN only), signed by the test root.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/cnonly.key" \
	-subj "/CN=cnonly.check-eas.test" -out "$T/cnonly.csr" 2>/dev/null &&
	openssl x509 -req -in "$T/cnonly.csr" -CA "$CA" -CAkey "$PKI/ca.key" \
		-CAcreateserial -CAserial "$T/cnonly.srl" -days 100 \
		-out "$T/cnonly.pem" 2>/dev/null || t_bail "cannot make a CN-only certificate"
chmod 644 "$T/cnonly.key"
cat "$CA" "$PKI/int.pem" >"$T/ca+int.pem"

CC12=$(t_freeport) && CC13=$(t_freeport) || t_bail "no free ports"
{
	expiry_vhosts
	vhost cnonly.check-eas.test "$T/cnonly.pem" "$T/cnonly.key"
	# Client certificate demanded in the handshake itself.
	need='SSLCACertificateFile "'$CA'"
    SSLVerifyClient require'
	printf 'Listen 127.0.0.1:%s\nListen 127.0.0.1:%s\n' "$CC12" "$CC13"
	VPORT=$CC12 VPROTO='-all +TLSv1.2' vhost localhost "$PKI/server.pem" "" "$need"
	VPORT=$CC13 VPROTO='-all +TLSv1.3' vhost localhost "$PKI/server.pem" "" "$need"
} >"$T/vhosts.conf"
httpd_start srv "$T/vhosts.conf" || t_bail "Apache did not start"
PORT=$HTTPD_PORT

# srv NAME [ARGS] - check NAME.check-eas.test on the test server
srv() {
	local name=$1
	shift
	run "$P" -H "$name.check-eas.test" -I 127.0.0.1 -p "$PORT" --ca-file "$CA" "$@"
}

# ------------------------------------------------------------ healthy
run "$P" -H localhost -p "$PORT" --ca-file "$CA"
expect_first "localhost: OK" 0 '^EAS CERTEXPIRY OK - leaf localhost expires in 36[45] days \([0-9-]{10}\), 2 certificates checked \|'
expect_perf days_leaf '^36[45];30;14$' "leaf perfdata with default thresholds 30/14 as ranges"
expect_perf days_root '^3[0-9]{3};30;14$' "the root (not sent) has its own perfdata"
expect_perf time '^0\.[0-9]+s;;;0$' "handshake time perfdata"

srv valid
expect_first "valid (-I, SNI): OK" 0 '^EAS CERTEXPIRY OK - leaf valid\.check-eas\.test expires in 36[45] days'
expect_perf days_leaf "$DAYS" "valid: days_leaf"

run "$P" -H 127.0.0.1 -p "$PORT" --ca-file "$CA"
expect_first "IP address matched against the IP SAN: OK" 0 '^EAS CERTEXPIRY OK - leaf localhost '

run "$P" -H localhost -p "$PORT" --ca-path "$PKI/capath"
expect_first "--ca-path (hashed directory): OK" 0 '^EAS CERTEXPIRY OK'

run "$P" -H localhost -p "$PORT" --ca-file "$CA" -v
expect_rc 0 "-v: OK"
expect_out '^leaf localhost \[server\]: CN=localhost,O=check-eas test, issuer CN=check-eas Test Root CA' \
	"-v: one line per certificate with subject and issuer"
expect_out '^root check-eas Test Root CA \[chain\]: .*valid [0-9T:-]+Z to [0-9T:-]+Z' \
	"-v: the root comes from the trust store (chain), with its validity"
expect_out '^TLS TLSv1\.3' "-v: TLS details of the handshake"

# ------------------------------------------------------- thresholds
srv soon
expect_first "soon (5 days), default -c 14: CRITICAL" 2 \
	'^EAS CERTEXPIRY CRITICAL - leaf soon\.check-eas\.test expires in [45] days \([0-9-]{10}\), 2 certificates checked'
expect_perf days_leaf '^[45];30;14$' "soon: days_leaf 4 or 5"
srv soon -w 10 -c 3
expect_first "soon, -w 10 -c 3: WARNING" 1 '^EAS CERTEXPIRY WARNING - leaf soon\.check-eas\.test expires in [45] days'
expect_perf days_leaf '^[45];10;3$' "soon: thresholds follow -w/-c"
srv soon -w 3 -c 2
expect_first "soon, -w 3 -c 2: OK" 0 '^EAS CERTEXPIRY OK - leaf soon'
srv soon -w @0:10 -c @0:2
expect_first "soon, range -w @0:10: WARNING" 1 '^EAS CERTEXPIRY WARNING - leaf soon'
expect_perf days_leaf '^[45];@0:10;@0:2$' "soon: range thresholds in perfdata as given"
srv soon -w 20% -c 10%
expect_first "soon (5-day lifetime, ~100% left), -w 20%: OK" 0 '^EAS CERTEXPIRY OK - leaf soon'
expect_perf days_leaf '^[45];1;0\.5$' "percent thresholds become days per certificate"
sleep 1   # a certificate made this very second still has 100% of its lifetime
srv valid -w 100% -c 1%
expect_first "valid, -w 100%: WARNING with the share of the lifetime left" 1 \
	'^EAS CERTEXPIRY WARNING - leaf valid\.check-eas\.test expires in 36[45] days \([0-9-]{10}, 100% of its lifetime left\)'
expect_perf days_leaf '^36[45];365;3\.65$' "valid: 100% / 1% of 365 days"

# ------------------------------------------------ validity window
srv expired
expect_first "expired: CRITICAL" 2 '^EAS CERTEXPIRY CRITICAL - leaf expired\.check-eas\.test expired [34] days ago \([0-9-]{10}\)'
expect_perf days_leaf '^-[34];30;14$' "expired: negative days"
srv expired --no-verify -w 0 -c 0
expect_first "expired is CRITICAL whatever the thresholds" 2 '^EAS CERTEXPIRY CRITICAL - leaf expired'
srv future
expect_first "not yet valid: CRITICAL" 2 \
	'^EAS CERTEXPIRY CRITICAL - leaf future\.check-eas\.test is not valid yet: not before [0-9-]{10} \(in (29|30) days\)'
expect_perf days_leaf "$DAYS" "future: days_leaf"

# ------------------------------------------------------ chain
srv intshort
expect_first "intermediate expiring before the leaf: named in the summary" 2 \
	'^EAS CERTEXPIRY CRITICAL - intermediate check-eas Test Short-lived Intermediate CA expires in (9|10) days \([0-9-]{10}\), 3 certificates checked'
expect_perf days_leaf '^36[45];30;14$' "intshort: leaf perfdata"
expect_perf days_intermediate_1 '^(9|10);30;14$' "intshort: intermediate perfdata by position"
expect_perf days_root "$DAYS" "intshort: root perfdata"
expect_perf days_min '^(9|10);30;14$' "intshort: days_min, the next expiry in the chain, with the thresholds"
srv intshort -c 5
expect_first "intshort, -c 5: WARNING" 1 '^EAS CERTEXPIRY WARNING - intermediate check-eas Test Short-lived Intermediate CA expires'

run "$P" -H shortroot.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$PKI/shortroot.pem" -c 3
expect_first "root not sent by the server expires first: named" 1 \
	'^EAS CERTEXPIRY WARNING - root check-eas Test Short-lived Root CA expires in [67] days \([0-9-]{10}\), 2 certificates checked'
expect_perf days_root '^[67];30;3$' "shortroot: root perfdata"
run "$P" -H shortroot.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$PKI/shortroot.pem" --output-format=json
expect_rc 2 "shortroot JSON: CRITICAL with default thresholds"
t_like "${OUT//$'\n'/}" '"source": ?"chain",[^}]*"role": ?"root",[^}]*"subject": ?"CN=check-eas Test Short-lived Root CA,O=check-eas test"' \
	"JSON: the root comes from the trust store (source chain)"

srv nochain -v
expect_summary "incomplete chain: CRITICAL with OpenSSL's reason and the likely cause" 2 \
	'^EAS CERTEXPIRY CRITICAL - chain not trusted at leaf nochain\.check-eas\.test: unable to get local issuer certificate: the server does not send its intermediate certificate'
expect_perf days_leaf "$DAYS" "nochain: the leaf is still reported"
srv nochain --no-verify
expect_first "incomplete chain, --no-verify: expiry only, OK" 0 '^EAS CERTEXPIRY OK - leaf nochain\.check-eas\.test expires in 36[45] days \([0-9-]{10}\), 1 certificate checked'
# libcurl accepts a trusted intermediate as the anchor (partial chain).
run "$P" -H nochain.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$T/ca+int.pem"
expect_first "incomplete chain, intermediate in the trust store: OK" 0 '^EAS CERTEXPIRY OK - leaf nochain.*, 2 certificates checked'
expect_perf days_intermediate_1 "$DAYS" "nochain: intermediate from the trust store"

srv selfsigned
expect_first "self-signed: CRITICAL" 2 \
	'^EAS CERTEXPIRY CRITICAL - chain not trusted at leaf selfsigned\.check-eas\.test: self-signed certificate'
srv selfsigned -k
expect_first "self-signed, -k: OK" 0 '^EAS CERTEXPIRY OK - leaf selfsigned'
run "$P" -H selfsigned.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$PKI/srv-selfsigned.pem"
expect_first "self-signed, pinned as trust anchor: OK" 0 '^EAS CERTEXPIRY OK - leaf selfsigned.*, 1 certificate checked'

run "$P" -H localhost -p "$PORT" --ca-file "$PKI/foreign-ca.pem"
expect_first "untrusted CA: CRITICAL" 2 '^EAS CERTEXPIRY CRITICAL - chain not trusted at leaf localhost: unable to get local issuer certificate'

# ---------------------------------------------------------- host name
srv wronghost -v
expect_summary "wrong host name: CRITICAL, naming what the certificate holds" 2 \
	'^EAS CERTEXPIRY CRITICAL - host name wronghost\.check-eas\.test does not match the certificate \(it names DNS:wrong\.example\.net\)'
expect_perf days_leaf "$DAYS" "wronghost: expiry still reported"
run "$P" -H wrong.example.net -I 127.0.0.1 -p "$PORT" --ca-file "$CA"
expect_first "the name the certificate holds: OK" 0 '^EAS CERTEXPIRY OK - leaf wrong\.example\.net'
run "$P" -H wronghost.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$CA" --no-verify
expect_first "wrong host name, --no-verify: OK" 0 '^EAS CERTEXPIRY OK'
run "$P" -H localhost -I 127.0.0.1 --sni wronghost.check-eas.test -p "$PORT" --ca-file "$CA"
expect_first "--sni: the SNI name is the one verified" 2 '^EAS CERTEXPIRY CRITICAL - host name wronghost\.check-eas\.test does not match'
srv cnonly -v
expect_summary "no SAN, CN matches: OK, and the fallback is reported" 0 \
	'^EAS CERTEXPIRY OK - leaf cnonly\.check-eas\.test expires in (99|100) days \([0-9-]{10}\), host name cnonly\.check-eas\.test matched only by the subject CN \(no subjectAltName for it\), 2 certificates checked'

# ------------------------------------------------------- weak crypto
srv rsa1024
expect_first "RSA-1024 leaf: WARNING" 1 \
	'^EAS CERTEXPIRY WARNING - leaf rsa1024\.check-eas\.test: weak RSA-1024 key, leaf rsa1024\.check-eas\.test expires in 36[45] days .*, 2 certificates checked'
expect_perf days_root "$DAYS" "RSA-1024: chain still built to the root"
srv sha1
expect_first "SHA-1 signed leaf: WARNING" 1 \
	'^EAS CERTEXPIRY WARNING - leaf sha1\.check-eas\.test: SHA-1 signature, leaf sha1\.check-eas\.test expires in 36[45] days'
expect_perf days_leaf "$DAYS" "SHA-1: days_leaf"
run "$P" -H sha1.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$PKI/foreign-ca.pem"
expect_first "SHA-1 and untrusted: the distrust still shows" 2 '^EAS CERTEXPIRY CRITICAL - chain not trusted at leaf sha1'

# ------------------------------------------- client certificate demanded
for v in 12 13; do
	port=CC$v
	run "$P" -v -H localhost -p "${!port}" --ca-file "$CA"
	expect_summary "TLS 1.${v#1} server demanding a client certificate: OK, chain shown" 0 \
		'^EAS CERTEXPIRY OK - leaf localhost expires in 36[45] days \([0-9-]{10}\), .*2 certificates checked'
	expect_perf days_leaf "$DAYS" "TLS 1.${v#1} client-cert server: days_leaf"
	expect_perf days_root "$DAYS" "TLS 1.${v#1} client-cert server: root"
done
run "$P" -H localhost -p "$CC12" --ca-file "$CA"
expect_line1 'the server demands a client certificate \(expiry checked, authentication not\)' \
	"TLS 1.2: the refusal (alert 40) is a note, not a failure"
run "$P" -H localhost -p "$CC13" --ca-file "$CA" -v
expect_out 'server asked for a client certificate' "TLS 1.3: -v notes the certificate request"

# ---------------------------------------------------------------- JSON
run "$P" -H intshort.check-eas.test -I 127.0.0.1 -p "$PORT" --ca-file "$CA" --output-format=json
expect_rc 2 "JSON: CRITICAL exit code"
expect_json_field state '"CRITICAL"' "JSON: state"
for f in source subject issuer serial not_before not_after days_left key signature state; do
	n=$(grep -c "\"$f\":" <<<"$OUT")
	t_ok "JSON: each of the 3 certificates has $f" test "$n" -ge 3
done
t_like "$OUT" '"certificates": ?\[' "JSON: certificates array"
t_like "$OUT" '"key": ?"RSA 2048"' "JSON: key type and size"
t_like "$OUT" '"not_after": ?"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' "JSON: ISO 8601 dates"
t_like "${OUT//$'\n'/}" '"source": ?"server",[^}]*"role": ?"intermediate"' "JSON: intermediate sent by the server"
t_ok "JSON parses" python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["certificates"]) == 3' <<<"$OUT"

# ------------------------------------------------------ failures
t_garbage || t_bail "garbage helper did not start"
run "$P" -H localhost -p "$GARBAGE_PORT"
expect_first "not TLS: CRITICAL in plain words" 2 '^EAS CERTEXPIRY CRITICAL - TLS handshake failed: the port does not speak TLS'
expect_no_out 'certificates? checked' "not TLS: no certificate count"

run "$P" -H localhost -p "$(t_freeport)"
expect_first "nothing listening: CRITICAL connection refused" 2 '^EAS CERTEXPIRY CRITICAL - connection refused'

run "$P" -H no-such-host.invalid -t 5
expect_first "unknown host: CRITICAL DNS" 2 '^EAS CERTEXPIRY CRITICAL - DNS lookup failed'

t_blackhole || t_bail "blackhole helper did not start"
t0=${EPOCHREALTIME/[.,]/}
run "$P" -H localhost -p "$BLACKHOLE_PORT" -t 2
t1=${EPOCHREALTIME/[.,]/}
expect_first "blackhole, -t 2: UNKNOWN naming the TLS handshake" 3 \
	'^EAS CERTEXPIRY UNKNOWN - .*(hung in the TLS handshake|timed out after 2s, hung in the TLS handshake)'
t_ok "blackhole: ended within 2.5 s ($(((t1 - t0) / 1000)) ms)" test $(((t1 - t0) / 1000)) -lt 2500
run "$P" -H localhost -p "$BLACKHOLE_PORT" -t 1:CRITICAL
expect_first "blackhole, -t 1:CRITICAL" 2 '^EAS CERTEXPIRY CRITICAL - .*TLS handshake'

run "$P" -H localhost -p "$PORT" -w abc
expect_first "bad -w: UNKNOWN explaining the forms" 3 \
	"^EAS CERTEXPIRY UNKNOWN - --warning: 'abc' is not a threshold in days \(30\), a range over days left \(@0:30, 10:\) or a percentage of the lifetime \(20%\)$"
run "$P" -H localhost -p "$PORT" -c 150%
expect_first "bad -c percentage: UNKNOWN" 3 "^EAS CERTEXPIRY UNKNOWN - --critical: '150%': a percentage of the lifetime must lie between 0 and 100"
run "$P" -H localhost -p "$PORT" --ca-file "$T/missing.pem"
expect_first "unreadable --ca-file: UNKNOWN naming it" 3 "^EAS CERTEXPIRY UNKNOWN - cannot read --ca-file $T/missing\\.pem: No such file"
run "$P"
expect_first "nothing to check: UNKNOWN" 3 '^EAS CERTEXPIRY UNKNOWN - nothing to check: give -H HOST and/or --cert FILE'
run "$P" --help
expect_rc 0 "--help"
expect_out '--cert-dir=DIR' "--help lists --cert-dir"
# (descriptions are wrapped at 80 columns: read them as one text)
t_like "$(tr -s ' \n' '  ' <<<"$OUT")" 'days left: N \(fewer than N days\)' "--help explains the thresholds"

t_done
