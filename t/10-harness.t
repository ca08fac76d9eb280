#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 10-harness.t - smoke test of the test harness itself: PKI, Apache
# instances, eas-responder cases, tcp-helper fixtures, TLS versions and
# client certificates (TLS 1.3 post-handshake auth, TLS 1.2 renegotiation).
. "$(dirname "$0")/lib/test.sh"
t_setup
t_setup_script # it checks the test servers, not the plugins
t_pki

EAS=/Microsoft-Server-ActiveSync

# hcurl URL [curl options...] - OUT = HTTP status (+ $W write-out), headers
# in $T/h, body in $T/b
hcurl() {
	local url=$1
	shift
	rm -f "$T/h" "$T/b"
	run_cmd curl -sS --cacert "$PKI/ca.pem" -D "$T/h" -o "$T/b" \
		-w "%{http_code}${W:-}" "$@" "$url"
}
# hdr NAME - value of response header NAME from the last hcurl
hdr() {
	local line key
	while IFS= read -r line; do
		line=${line%$'\r'}
		key=${line%%:*}
		if [[ ${key,,} == "${1,,}" ]]; then
			line=${line#*:}
			printf '%s\n' "${line# }"
			return 0
		fi
	done <"$T/h"
	return 1
}
body() {
	[[ -f $T/b ]] && printf '%s\n' "$(<"$T/b")"
}

# ---------------------------------------------------------------- PKI
t_ok "PKI README exists" test -s "$PKI/README"
t_ok "server.pem verifies against capath/" \
	openssl verify -CApath "$PKI/capath" "$PKI/server.pem"
t_ok "server-chain.pem verifies with its intermediate" \
	openssl verify -CAfile "$PKI/ca.pem" -untrusted "$PKI/int.pem" "$PKI/server-chain.pem"
run_cmd openssl verify -CAfile "$PKI/ca.pem" "$PKI/srv-expired.pem"
expect_err 'certificate has expired|error 10' "srv-expired.pem is expired"
run_cmd openssl verify -CAfile "$PKI/ca.pem" "$PKI/srv-future.pem"
expect_err 'not yet valid|error 9' "srv-future.pem is not yet valid"
run_cmd openssl verify -CAfile "$PKI/ca.pem" "$PKI/client-expired.pem"
expect_err 'certificate has expired|error 10' "client-expired.pem is expired"
run_cmd openssl pkcs12 -in "$PKI/client-legacy.p12" -legacy -nodes \
	-passin "file:$PKI/client.p12.pass"
expect_out 'BEGIN PRIVATE KEY' "legacy PKCS#12 decodes (-legacy)"
expect_out 'CN ?= ?user@example.com' "legacy PKCS#12 holds the client cert"
run_cmd openssl pkcs12 -in "$PKI/client.p12" -nodes -passin "file:$PKI/client.p12.pass"
expect_out 'BEGIN PRIVATE KEY' "modern PKCS#12 decodes"
run_cmd openssl pkcs12 -in "$PKI/client.p12" -info -noout -passin "file:$PKI/client.p12.pass"
expect_err 'AES-256-CBC' "modern PKCS#12 uses AES-256-CBC"
run_cmd openssl pkcs12 -in "$PKI/client-nopass.p12" -nodes -passin pass:
expect_out 'BEGIN PRIVATE KEY' "password-less PKCS#12 decodes"
run_cmd openssl pkcs12 -in "$PKI/client.p12" -nodes -passin "file:$PKI/client-wrong.pass"
expect_rc '[1-9][0-9]*' "wrong PKCS#12 password is rejected"
t_ok "client-enc.key decrypts with client-key.pass" \
	openssl pkey -in "$PKI/client-enc.key" -passin "file:$PKI/client-key.pass" -noout
mod() { openssl pkey -in "$1" -pubout 2>/dev/null | sha256sum; }
t_ok "client-nomatch.key does not match client.pem" \
	test "$(mod "$PKI/client-nomatch.key")" != "$(openssl x509 -in "$PKI/client.pem" -pubkey -noout | sha256sum)"

# ------------------------------------------------------ standard vhost
t0=${EPOCHREALTIME/[.,]/}
httpd_start main vhost-eas || t_bail "standard TLS vhost did not start"
t1=${EPOCHREALTIME/[.,]/}
echo "# apache start: $(((t1 - t0) / 1000)) ms, port $HTTPD_PORT"
t_like "$HTTPD_PORT_main" '^[1-9][0-9]*$' "HTTPD_PORT_main is set to a port number"
t_ok "apache accepts connections on HTTPD_PORT_main" \
	bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$HTTPD_PORT_main"
base="https://localhost:$HTTPD_PORT"

hcurl "$base$EAS" -X OPTIONS
t_is "$OUT" 200 "OPTIONS $EAS -> 200"
t_is "$(hdr MS-ASProtocolVersions)" "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1" \
	"MS-ASProtocolVersions header"
t_is "$(hdr MS-Server-ActiveSync)" "15.1" "MS-Server-ActiveSync header"
cmds=$(hdr MS-ASProtocolCommands)
t_is "$(tr ',' '\n' <<<"$cmds" | grep -c .)" 24 "24 MS-ASProtocolCommands"
hcurl "$base$EAS"
t_is "$OUT" 501 "GET $EAS -> 501"
hcurl "$base$EAS?Cmd=Sync" -X POST -d x
t_is "$OUT" 400 "POST $EAS -> 400"

hcurl "$base/s/403.7$EAS" -X OPTIONS
t_is "$OUT" 403 "403.7 case -> 403"
t_like "$(body)" 'HTTP Error 403\.7 - Forbidden' "403.7 body"
hcurl "$base/s/449$EAS" -X OPTIONS
t_is "$OUT" 449 "449 case -> 449"
t_like "$(head -n 1 "$T/h")" '^HTTP/1\.1 449 Retry after sending a PROVISION command' \
	"449 keeps its reason phrase"
hcurl "$base/s/451$EAS" -X OPTIONS
t_is "$OUT $(hdr X-MS-Location)" "451 https://mail2.example.com/Microsoft-Server-ActiveSync" \
	"451 + X-MS-Location"
hcurl "$base/s/503$EAS" -X OPTIONS
t_is "$OUT $(hdr Retry-After)" "503 120" "503 + Retry-After"
hcurl "$base/s/redirect$EAS" -X OPTIONS
t_like "$OUT $(hdr Location)" '^302 https://login\.example\.com/adfs/' "redirect -> 302 to ADFS"
hcurl "$base/s/login$EAS" -X OPTIONS
t_like "$OUT $(hdr MS-Server-ActiveSync)|$(body)" '^200 \|<html><title>Outlook Web App' \
	"login page: 200, no MS-* headers"
hcurl "$base/s/old$EAS" -X OPTIONS
t_is "$(hdr MS-Server-ActiveSync) $(hdr MS-ASProtocolVersions)" "8.3 2.0,2.1,2.5,12.0,12.1" \
	"old Exchange headers"
hcurl "$base/s/badheaders$EAS" -X OPTIONS
t_is "$(hdr MS-ASProtocolCommands)" ",,," "badheaders case"
for c in 401.2 403 403.4 403.16 403.17 404 500 501 505; do
	hcurl "$base/s/$c$EAS" -X OPTIONS
	t_is "$OUT" "${c%%.*}" "case $c -> ${c%%.*}"
done
t_like "$(body)" 'HTTP Version Not Supported' "505 body"
hcurl "$base/s/nosuchcase$EAS" -X OPTIONS
t_like "$OUT $(body)" "^500 .*unknown case 'nosuchcase'" "unknown case -> 500 + message"
W=' %{size_download}' hcurl "$base/s/big$EAS" -X OPTIONS
t_is "$OUT" "200 5242880" "big case -> 5 MiB"

hcurl "$base/s/basic$EAS" -X OPTIONS -u 'user@example.com:s3cret pass'
t_is "$OUT" 200 "basic: right UPN credentials -> 200"
hcurl "$base/s/basic$EAS" -X OPTIONS -u 'EXAMPLE\user:s3cret pass'
t_is "$OUT" 200 "basic: right DOMAIN\\user credentials -> 200"
hcurl "$base/s/basic$EAS" -X OPTIONS -u 'user@example.com:wrong'
t_is "$OUT" 401 "basic: wrong password -> 401"
hcurl "$base/s/basic$EAS" -X OPTIONS
t_is "$OUT $(hdr WWW-Authenticate)" '401 Basic realm="mail.example.com"' \
	"basic: no credentials -> 401 + WWW-Authenticate"
hcurl "$base/s/certmap$EAS" -X OPTIONS
t_is "$OUT" 403 "certmap without client cert -> 403 (403.7)"

run_cmd curl -sS -v -o /dev/null --cacert "$PKI/ca.pem" --tlsv1.3 -X OPTIONS "$base$EAS"
expect_err 'SSL connection using TLSv1\.3' "TLS 1.3 handshake"
run_cmd curl -sS -v -o /dev/null --cacert "$PKI/ca.pem" --tls-max 1.2 -X OPTIONS "$base$EAS"
expect_err 'SSL connection using TLSv1\.2' "TLS 1.2 handshake (--tls-max 1.2)"
run_cmd curl -sS -o /dev/null --cacert "$PKI/ca.pem" --tls-max 1.1 "$base$EAS"
expect_rc 35 "TLS 1.1 is refused"
run_cmd curl -sS -o /dev/null --cacert "$PKI/foreign-ca.pem" "$base$EAS"
expect_rc 60 "foreign CA does not verify the server"

# The three ~1 s waits run in parallel: slow n=1, slow n=30 with
# --max-time 1, and a blackhole that accepts but never answers.
t_blackhole || t_bail "blackhole helper did not start"
slow=(curl -sS -o /dev/null --cacert "$PKI/ca.pem" -X OPTIONS)
{ "${slow[@]}" -w '%{http_code} %{time_total}' "$base/s/slow$EAS?n=1"; echo " rc=$?"; } >"$T/p1" 2>&1 &
p1=$!
{ "${slow[@]}" --max-time 1 "$base/s/slow$EAS?n=30"; echo "rc=$?"; } >"$T/p2" 2>&1 &
p2=$!
t0=${EPOCHREALTIME/[.,]/}
{ "${slow[@]}" --max-time 1 "https://localhost:$BLACKHOLE_PORT/"; echo "rc=$?"; } >"$T/p3" 2>&1
t1=${EPOCHREALTIME/[.,]/}
wait "$p1" "$p2" # never a bare "wait": Apache and tcp-helper are children too
t_like "$(<"$T/p1")" '^200 (1|2)\.[0-9]+ rc=0' "slow n=1: 200 after about 1 s"
t_like "$(<"$T/p2")" 'rc=28' "slow n=30 with --max-time 1: curl times out"
t_like "$(<"$T/p3")" 'rc=28' "blackhole: connection accepted, TLS handshake times out"
t_ok "blackhole: curl gave up after ~1 s" test $(((t1 - t0) / 1000)) -lt 3000
responders() {
	ps -eo args= | while read -r a; do [[ $a == "$T/bin/eas-responder" ]] && echo x; done | wc -l
}
for ((i = 0; i < 20; i++)); do
	(($(responders) == 0)) && break
	sleep 0.05
done
t_is "$(responders)" 0 "slow responder exits once the client has given up"

# ------------------------------------------------------- TCP fixtures
t_garbage || t_bail "garbage helper did not start"
run_cmd curl -sS --max-time 5 --cacert "$PKI/ca.pem" "https://localhost:$GARBAGE_PORT/"
t_is "$RC" 35 "garbage: TLS handshake fails (curl 35)"
run_cmd bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1; cat <&3' _ "$GARBAGE_PORT"
t_is "$OUT" $'HELLO\r' "garbage: sends HELLO and closes"

# ------------------------------------------------- client certificates
httpd_start cc vhost-eas-clientcert || t_bail "client-cert vhost did not start"
t_ok "second instance has its own port" test "$HTTPD_PORT_cc" != "$HTTPD_PORT_main"
cc="https://localhost:$HTTPD_PORT_cc"
cert=(--cert "$PKI/client.pem" --key "$PKI/client.key")
hcurl "$cc$EAS" -X OPTIONS --tlsv1.3 "${cert[@]}"
t_is "$OUT" 200 "client cert, TLS 1.3 post-handshake auth -> 200"
hcurl "$cc$EAS" -X OPTIONS --tls-max 1.2 "${cert[@]}"
t_is "$OUT" 200 "client cert, TLS 1.2 renegotiation -> 200"
hcurl "$cc$EAS" -X OPTIONS --tlsv1.3
t_ok "no client cert, TLS 1.3 -> refused (rc $RC, status $OUT)" test "$OUT" != 200
hcurl "$cc$EAS" -X OPTIONS --tls-max 1.2
t_ok "no client cert, TLS 1.2 -> refused (rc $RC, status $OUT)" test "$OUT" != 200
hcurl "$cc$EAS" -X OPTIONS --cert "$PKI/client-foreign.pem" --key "$PKI/client-foreign.key"
t_ok "foreign client cert -> refused (rc $RC, status $OUT)" test "$OUT" != 200
hcurl "$cc$EAS" -X OPTIONS --cert "$PKI/client-expired.pem" --key "$PKI/client-expired.key"
t_ok "expired client cert -> refused (rc $RC, status $OUT)" test "$OUT" != 200
hcurl "$cc$EAS" -X OPTIONS --cert-type P12 --cert "$PKI/client.p12:s3cret-p12"
t_is "$OUT" 200 "client.p12 via curl -> 200"
hcurl "$cc/s/certmap$EAS" -X OPTIONS "${cert[@]}"
t_is "$OUT" 200 "certmap with user@example.com cert -> 200"
hcurl "$cc/s/certmap$EAS" -X OPTIONS
t_is "$OUT" 403 "certmap without cert -> 403"
t_like "$(body)" 'HTTP Error 403\.7' "... with the 403.7 page"
hcurl "$cc/s/exchange$EAS" -X OPTIONS
t_is "$OUT" 200 "other cases need no client cert"

# ------------------------------------------------------ plain HTTP vhost
httpd_start plain vhost-eas-plain || t_bail "plain vhost did not start"
hcurl "http://127.0.0.1:$HTTPD_PORT_plain$EAS" -X OPTIONS
t_is "$OUT" 403 "plain HTTP $EAS -> 403"
t_like "$(body)" 'HTTP Error 403\.4' "... with the 403.4 (SSL required) page"
hcurl "http://127.0.0.1:$HTTPD_PORT_plain/s/exchange$EAS" -X OPTIONS
t_is "$OUT" 200 "plain HTTP /s/exchange -> 200"

# ------------------------------------------ weak server certificates
HTTPD_CERT=$PKI/srv-sha1.pem HTTPD_EXTRA='SSLCipherSuite DEFAULT:@SECLEVEL=0' \
	httpd_start sha1 vhost-eas
t_is $? 0 "apache serves srv-sha1.pem with SSLCipherSuite DEFAULT:@SECLEVEL=0"
run_cmd curl -sS -o /dev/null -w '%{http_code}' -k -X OPTIONS "https://localhost:$HTTPD_PORT_sha1$EAS"
t_is "$OUT" 200 "srv-sha1.pem reachable (curl -k)"
HTTPD_CERT=$PKI/srv-rsa1024.pem HTTPD_KEY=$PKI/rsa1024.key \
	HTTPD_EXTRA='SSLCipherSuite DEFAULT:@SECLEVEL=1' httpd_start rsa1024 vhost-eas
t_is $? 0 "apache serves srv-rsa1024.pem with SSLCipherSuite DEFAULT:@SECLEVEL=1"
run_cmd curl -sS -o /dev/null -w '%{http_code}' -k -X OPTIONS "https://localhost:$HTTPD_PORT_rsa1024$EAS"
t_is "$OUT" 200 "srv-rsa1024.pem reachable (curl -k)"
HTTPD_CERT=$PKI/srv-intshort.pem httpd_start intshort vhost-eas
run_cmd curl -sS -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" -X OPTIONS \
	"https://localhost:$HTTPD_PORT_intshort$EAS"
t_is "$OUT" 200 "srv-intshort.pem chain verifies"
httpd_stop intshort
run_cmd curl -sS -o /dev/null --max-time 2 -k "https://localhost:$HTTPD_PORT$EAS"
t_is "$RC" 7 "httpd_stop: port closed afterwards"

# --------------------------------------------------- failure handling
printf 'Listen 127.0.0.1:%s\n' "$BLACKHOLE_PORT" >"$T/taken.conf"
httpd_start taken "$T/taken.conf" 2>"$T/taken.err"
t_ok "httpd_start fails when the snippet's port is taken" test $? -ne 0
t_like "$(<"$T/taken.err")" 'Address already in use' "... and prints the error log"
echo 'ThisIsNotADirective on' | httpd_start broken 2>"$T/broken.err"
t_ok "httpd_start fails on a broken snippet" test $? -ne 0
t_like "$(<"$T/broken.err")" 'ThisIsNotADirective' "... and shows why"

t_done
