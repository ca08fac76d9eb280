#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Autodiscover test servers of t/lib/autodiscover.sh, checked with curl,
# dig and openssl before check_eas_autodiscover relies on them: the DNS
# records, each vhost's certificate, every responder case, the request log.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_setup_script # it checks the test servers, not the plugins
t_pki

PATH=$PATH:/usr/sbin
for tool in dnsmasq dig; do
	command -v "$tool" >/dev/null ||
		{ t_skip "Autodiscover servers" "no $tool (dnsmasq-base, bind9-dnsutils)"; t_done; }
done
ad_setup || t_bail "Autodiscover servers did not start"

# ---------------------------------------------------------------- DNS
q() { run_cmd dig +time=2 +tries=1 @127.0.0.1 -p "$AD_DNS_PORT" "$@"; }
qs() { q +short "$@"; }
for n in example.test autodiscover.example.test mail.example.test other.test \
	autodiscover.other.test www.other.test; do
	qs "$n" A
	t_is "$OUT" 127.0.0.1 "DNS: $n A 127.0.0.1"
done
qs _autodiscover._tcp.example.test SRV
t_is "$OUT" "0 0 $AD_PORT_MAIL mail.example.test." "DNS: SRV of example.test points at mail.example.test:\$AD_PORT_MAIL"
qs _autodiscover._tcp.srvonly.test SRV
t_is "$OUT" "0 0 $AD_PORT_MAIL mail.example.test." "DNS: SRV of srvonly.test"
qs _autodiscover._tcp.badsrv.test SRV
t_is "$OUT" "0 0 443 mail.nx.test." "DNS: SRV of badsrv.test names a host that does not exist"
q nx.test A
expect_out 'status: NXDOMAIN' "DNS: nx.test is NXDOMAIN"
q autodiscover.nx.test A
expect_out 'status: NXDOMAIN' "DNS: autodiscover.nx.test is NXDOMAIN"
q _autodiscover._tcp.nx.test SRV
expect_out 'status: NXDOMAIN' "DNS: no SRV for nx.test (NXDOMAIN)"
q srvonly.test A
expect_out 'status: NOERROR.*|ANSWER: 0,' "DNS: srvonly.test has no address"
t_like "$OUT" 'ANSWER: 0,' "DNS: srvonly.test: no answer"
q _autodiscover._tcp.example.test SRV +tcp
expect_out "IN[[:space:]]+SRV[[:space:]]+0 0 $AD_PORT_MAIL mail.example.test" "DNS over TCP answers too"
q example.test AAAA
t_like "$OUT" 'status: NOERROR' "DNS: AAAA of example.test: no error" && t_like "$OUT" 'ANSWER: 0,' "DNS: ... and no IPv6 address"
q www.debian.org A
expect_out 'status: REFUSED' "DNS: names outside .test are refused, never forwarded"
AD_DNS_EXTRA=(--srv-host=_autodiscover._tcp.late.test,mail.example.test,4443,10,5
	--host-record=late.test,127.0.0.1 --txt-record=late.test,"hello there")
old_port=$AD_DNS_PORT
ad_dns_restart || t_fail "ad_dns_restart"
t_is "$AD_DNS_PORT" "$old_port" "ad_dns_restart keeps the port"
qs _autodiscover._tcp.late.test SRV
t_is "$OUT" "10 5 4443 mail.example.test." "DNS: a record added with AD_DNS_EXTRA"
qs late.test TXT
t_is "$OUT" '"hello there"' "DNS: TXT record added"
qs example.test A
t_is "$OUT" 127.0.0.1 "DNS: the standard records are still there"
t_like "$(cat "$AD_DNS_LOG")" 'query\[SRV\] _autodiscover\._tcp\.late\.test' "DNS: queries are logged in \$AD_DNS_LOG"

# -------------------------------------------------------- certificates
# subject CN of what PORT sends for SNI NAME
cn_of() {
	openssl s_client -connect "127.0.0.1:$1" -servername "$2" </dev/null 2>/dev/null |
		openssl x509 -noout -subject -nameopt multiline 2>/dev/null |
		sed -n 's/^ *commonName *= *//p'
}
for n in example.test autodiscover.example.test other.test autodiscover.other.test; do
	t_is "$(cn_of "$AD_PORT" "$n")" "$n" "certificate of $n on \$AD_PORT"
done
t_is "$(cn_of "$AD_PORT_MAIL" mail.example.test)" mail.example.test "certificate of mail.example.test on \$AD_PORT_MAIL"
t_is "$(cn_of "$AD_PORT_WRONG" example.test)" www.other.test "\$AD_PORT_WRONG: www.other.test's certificate for example.test"
t_is "$(cn_of "$AD_PORT" nosuch.test)" localhost "unknown names get the default vhost (localhost)"

CURL=(curl -sS -i --max-time 20 --cacert "$PKI/ca.pem")
U=/autodiscover/autodiscover.xml
AD_POX_BODY user@example.test >"$T/req.xml"
POST=(-H 'Content-Type: text/xml; charset=utf-8' --data-binary "@$T/req.xml")
# pox HOST [curl options]: POST the request to https://HOST/autodiscover/...
pox() {
	local host=$1
	shift
	run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" "${AD_RESOLVE[@]}" "${POST[@]}" "$@" "https://$host$U"
}
status() { t_like "$LINE1" "^HTTP/[0-9.]+ $1( |\$)" "$2"; }

for n in example.test autodiscover.example.test other.test autodiscover.other.test \
	mail.example.test; do
	pox "$n"
	status 200 "curl verifies $n (--connect-to $n:443) and gets 200"
done
run_cmd "${CURL[@]}" "${AD_CONNECT_TO_WRONGNAME[@]}" "${POST[@]}" "https://example.test$U"
t_is "$RC" 60 "AD_CONNECT_TO_WRONGNAME: curl refuses the www.other.test certificate (rc 60)"
t_like "$ERR" "example.test" "... naming the host it wanted"
run_cmd "${CURL[@]}" --insecure "${AD_CONNECT_TO_WRONGNAME[@]}" "${POST[@]}" "https://example.test$U"
t_like "$OUT" 'MobileSync' "the wrong-name host answers when not verified"
run_cmd "${CURL[@]}" --resolve "mail.example.test:$AD_PORT_MAIL:127.0.0.1" "${POST[@]}" \
	"https://mail.example.test:$AD_PORT_MAIL$U"
status 200 "curl --resolve with the real port reaches mail.example.test (the SRV target)"
run_cmd "${CURL[@]}" "${AD_RESOLVE[@]}" -X OPTIONS "$AD_EAS_URL"
t_like "$OUT" 'MS-ASProtocolVersions:' "mail.example.test serves ActiveSync at \$AD_EAS_URL"

# --------------------------------------------------------- POX cases
A=autodiscover.example.test
ad_reset
pox $A
status 200 "settings: 200"
t_like "$OUT" "<Type>MobileSync</Type>" "settings: MobileSync server"
t_like "$OUT" "<Url>$AD_EAS_URL</Url>" "settings: Url is \$AD_EAS_URL"
t_like "$OUT" "<EMailAddress>user@example.test</EMailAddress>" "settings: the address echoed"
xml_ok() { python3 -c 'import sys, xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read().split(b"\r\n\r\n", 1)[1])' <<<"$OUT" 2>/dev/null; }
t_ok "settings: well-formed XML" xml_ok
ad_case $A settings https://eas.example.test/Microsoft-Server-ActiveSync
pox $A
t_like "$OUT" "<Url>https://eas.example.test/Microsoft-Server-ActiveSync</Url>" "settings URL: that Url"

run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" "https://$A$U"
status 400 "GET of the POX endpoint: 400"
run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary 'hello' "https://$A$U"
status 400 "POST of something else: 400"
sed 's/mobilesync/outlook/g' "$T/req.xml" >"$T/req-outlook.xml"
run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary "@$T/req-outlook.xml" "https://$A$U"
status 400 "POST of the outlook schema: 400"
grep -v EMailAddress "$T/req.xml" >"$T/req-noaddr.xml"
run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary "@$T/req-noaddr.xml" "https://$A$U"
status 400 "POST without EMailAddress: 400"

ad_case $A basic
pox $A
status 401 "basic without credentials: 401"
t_like "$OUT" 'WWW-Authenticate: Basic' "basic: asks for Basic"
pox $A -u "$AD_USER:wrong"
status 401 "basic with a wrong password: 401"
pox $A -u "$AD_USER:$AD_PASSWORD"
status 200 "basic with \$AD_USER/\$AD_PASSWORD: 200"
t_like "$OUT" '<Type>MobileSync</Type>' "basic: then the settings"

ad_case $A certmap
pox $A
status 403 "certmap without a client certificate: 403"
pox $A --cert "$PKI/client.pem" --key "$PKI/client.key"
status 200 "certmap with the PKI's client certificate: 200"

ad_case $A redirect-addr a@other.test
pox $A
t_like "$OUT" '<Redirect>a@other.test</Redirect>' "redirect-addr: Action/Redirect"
t_ok "redirect-addr: well-formed XML" xml_ok
ad_case $A redirect-url "https://autodiscover.other.test$U"
pox $A
t_like "$OUT" '<Action>redirectUrl</Action>' "redirect-url: Action redirectUrl"
t_like "$OUT" "<RedirectUrl>https://autodiscover.other.test$U</RedirectUrl>" "redirect-url: RedirectUrl"

ad_case $A loop
pox $A
t_like "$OUT" '<Redirect>a@example.test</Redirect>' "loop: user -> a"
AD_POX_BODY a@example.test >"$T/req-a.xml"
run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary "@$T/req-a.xml" "https://$A$U"
t_like "$OUT" '<Redirect>b@example.test</Redirect>' "loop: a -> b"
AD_POX_BODY b@example.test >"$T/req-b.xml"
run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary "@$T/req-b.xml" "https://$A$U"
t_like "$OUT" '<Redirect>a@example.test</Redirect>' "loop: b -> a"

ad_case $A chain 11
addr=user@example.test hops=0
while ((hops < 20)); do
	AD_POX_BODY "$addr" >"$T/req-c.xml"
	run_cmd "${CURL[@]}" "${AD_CONNECT_TO[@]}" --data-binary "@$T/req-c.xml" "https://$A$U"
	[[ $OUT =~ \<Redirect\>([^<]+)\</Redirect\> ]] || break
	addr=${BASH_REMATCH[1]} hops=$((hops + 1))
done
t_is "$hops" 11 "chain 11: eleven redirects"
t_is "$addr" chain11@example.test "chain 11: ending at chain11@example.test"
t_like "$OUT" '<Type>MobileSync</Type>' "chain 11: then the settings"

for code in 600 601 602; do
	ad_case $A error $code
	pox $A
	t_like "$OUT" "<ErrorCode>$code</ErrorCode>" "error $code: ErrorCode"
	t_like "$OUT" '<Message>[A-Z][^<]+</Message>' "error $code: a Message"
done
ad_case $A error-status 2
pox $A
t_like "$OUT" '<Status>2</Status>' "error-status 2: mobilesync Action/Error/Status"

ad_case $A 404
pox $A
status 404 "404"
ad_case $A 500
pox $A
status 500 "500"
ad_case $A login
pox $A
status 200 "login: 200"
t_like "$OUT" 'type="password"' "login: an HTML login form"

ad_case $A hang 30
start=$SECONDS
pox $A --max-time 2
t_is "$RC" 28 "hang: curl times out (rc 28)"
t_like "$((SECONDS - start))" '^[0-4]$' "hang: within the client's time limit"
gone=no
for ((i = 0; i < 40; i++)); do
	pgrep -f "$T/bin/autodiscover-responder" >/dev/null || { gone=yes; break; }
	sleep 0.1
done
t_is "$gone" yes "hang: the CGI quits once the client has gone"

ad_case $A malformed
pox $A
status 200 "malformed: 200"
t_ok "malformed: not well-formed XML" bash -c '! python3 -c "import sys, xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read().split(b\"\r\n\r\n\", 1)[1])"' <<<"$OUT"
ad_case $A truncated
pox $A
t_like "$OUT" '<Ty$' "truncated: the document ends inside <Type>"

ad_case $A big
run_cmd curl -sS --cacert "$PKI/ca.pem" "${AD_CONNECT_TO[@]}" "${POST[@]}" -o "$T/big.xml" \
	-w '%{size_download}' "https://$A$U"
t_is "$OUT" 5242880 "big: 5 MiB"
t_like "$(tail -c 400 "$T/big.xml")" "<Url>$AD_EAS_URL</Url>" "big: the Url comes at the end"
t_ok "big: well-formed XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/big.xml"

ad_case $A laughs
pox $A
t_like "$OUT" '<!ENTITY lol9 "&lol8;&lol8;' "laughs: a billion-laughs DTD"
t_like "$OUT" '<Url>https://mail.example.test/&lol9;</Url>' "laughs: lol9 inside the Url"
ad_case $A xxe
pox $A
t_like "$OUT" '<!ENTITY xxe SYSTEM "file:///etc/passwd">' "xxe: an external entity on /etc/passwd"
t_like "$OUT" '<Url>https://mail.example.test/&xxe;</Url>' "xxe: inside the Url"

ad_case $A echo
pox $A
t_like "$OUT" '<EMailAddress>user@example.test</EMailAddress>' "echo: the request body"

ad_case $A 302 https://elsewhere.example.test/x
pox $A
status 302 "302 URL on a TLS vhost"
t_like "$OUT" 'Location: https://elsewhere.example.test/x' "302: Location"

# ------------------------------------------ candidate (3): plain HTTP
ad_reset
H=(-sS -i --max-time 20 "${AD_CONNECT_TO[@]}")
run_cmd curl "${H[@]}" "http://autodiscover.example.test$U"
status 302 "http vhost: 302 by default"
t_like "$OUT" "Location: $AD_REDIRECT_URL" "... to \$AD_REDIRECT_URL (https, mail.example.test)"
run_cmd curl "${CURL[@]}" "${AD_CONNECT_TO[@]}" "${AD_RESOLVE[@]}" "${POST[@]}" "$AD_REDIRECT_URL"
status 200 "POST to the redirect target: 200"
ad_case http 302-http
run_cmd curl "${H[@]}" "http://autodiscover.example.test$U"
t_like "$OUT" "Location: http://mail.example.test:$AD_PORT_HTTP$U" "302-http: to an http:// URL"
ad_case http 302-https https://autodiscover.other.test$U
run_cmd curl "${H[@]}" "http://autodiscover.example.test$U"
t_like "$OUT" "Location: https://autodiscover.other.test$U" "302-https URL: that URL"
ad_case http 404
run_cmd curl "${H[@]}" "http://autodiscover.example.test$U"
status 404 "http vhost: 404"

# ------------------------------------------------------------- JSON
ad_reset
J=/autodiscover/autodiscover.json/v1.0
json() { run_cmd curl "${CURL[@]}" "${AD_CONNECT_TO[@]}" "$@"; }
json "https://$A$J/user@example.test?Protocol=ActiveSync"
status 200 "JSON: 200"
t_like "$OUT" "^\\{\"Protocol\":\"ActiveSync\",\"Url\":\"$AD_EAS_URL\"\\}\$" "JSON: Protocol and Url"
json "https://$A$J/user@example.test?Protocol=Ews"
status 400 "JSON: other protocol: 400"
t_like "$OUT" '"ErrorCode":"InvalidProtocol"' "JSON: InvalidProtocol"
ad_case_json $A error
json "https://$A$J/user@example.test?Protocol=ActiveSync"
status 400 "JSON error: 400"
t_like "$OUT" '"ErrorCode":"InternalServerError","ErrorMessage":"' "JSON error: ErrorCode and ErrorMessage"
ad_case_json $A http-url
json "https://$A$J/user@example.test?Protocol=ActiveSync"
t_like "$OUT" "\"Url\":\"http://mail.example.test:$AD_PORT_HTTP/Microsoft-Server-ActiveSync\"" "JSON http-url: an http:// Url"
ad_case_json $A malformed
json "https://$A$J/user@example.test?Protocol=ActiveSync"
t_like "$OUT" '"Url":"https://mail.exa$' "JSON malformed: cut off"
ad_case_json $A settings https://x.example.test/Microsoft-Server-ActiveSync
json "https://$A$J/user@example.test?Protocol=activesync"
t_like "$OUT" '"Url":"https://x.example.test/Microsoft-Server-ActiveSync"' "JSON settings URL (protocol name in any case)"
pox $A
t_like "$OUT" "<Url>$AD_EAS_URL</Url>" "the JSON case leaves the POX answer alone"

# ------------------------------------------------------- request log
ad_reset
ad_case example.test 404
ad_case $A basic
pox example.test
pox $A
pox $A -u "$AD_USER:$AD_PASSWORD"
run_cmd curl "${H[@]}" "http://autodiscover.example.test$U"
json "https://$A$J/user@example.test?Protocol=ActiveSync"
t_is "$(ad_requests)" "example.test POST https
autodiscover.example.test POST https
autodiscover.example.test POST https
http GET http
autodiscover.example.test GET https" "ad_requests: vhost, method, scheme in order"
log=$(ad_requests_full)
t_like "$(sed -n 1p <<<"$log")" '^vhost=example\.test scheme=https host=example\.test method=POST uri=/autodiscover/autodiscover\.xml auth=none user=- cert=- email=user@example\.test case=404$' "log line: every field"
t_like "$(sed -n 2p <<<"$log")" 'auth=none user=- .*case=basic$' "log: no credentials"
t_like "$(sed -n 3p <<<"$log")" 'auth=basic user=user@example\.test .*case=basic$' "log: Basic credentials and the user"
t_like "$(sed -n 4p <<<"$log")" "host=autodiscover\\.example\\.test method=GET .*email=- case=302-https\$" "log: the plain-HTTP GET"
t_like "$(sed -n 5p <<<"$log")" 'uri=/autodiscover/autodiscover\.json/v1\.0/user@example\.test\?Protocol=ActiveSync .*email=user@example\.test case=settings$' "log: the JSON request"
t_is "$(grep -c 'autodiscover-responder: unknown' "$T/ad/error.log")" 0 "no unknown case in Apache's log"

ad_dns_stop
t_ok "ad_dns_stop stopped dnsmasq" bash -c "! kill -0 $(cat "$T/dnsmasq.pid") 2>/dev/null"
t_done
