#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_autodiscover against real servers on 127.0.0.1 only
# (t/lib/autodiscover.sh): Apache vhosts for example.test and
# autodiscover.example.test with certificates from the test PKI (and one
# with a certificate for the wrong name), dnsmasq serving the A and SRV
# records on a loopback port (--dns-server; the machine's resolver is never
# touched). Each candidate working alone and failing alone, redirect chains
# and loops, the HTTP 302 path, error answers, malformed and hostile XML,
# the JSON endpoint, and --autodiscover in the other plugins, check_eas_sync
# against Horde's ActiveSync server included.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki

ad_test_setup
URL="https://mail\\.example\\.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync"
OK="^EAS AUTODISCOVER OK - $URL for user@example\\.test from"
D=https://example.test/autodiscover/autodiscover.xml
A=https://autodiscover.example.test/autodiscover/autodiscover.xml
H=http://autodiscover.example.test/autodiscover/autodiscover.xml

# ------------------------------------------------ each candidate alone
ad_reset
ad -v
expect_first "candidate 1 (the domain) answers: OK" 0 "$OK candidate 1 \\|"
expect_out "^candidate 1 answered from $D\$" "-v: the candidate's URL"
expect_perf time '^[0-9.]+s;;;0$' "total time perfdata"
expect_perf domain_time '^[0-9.]+s;;;0$' "candidate 1 time perfdata"
t_is "$(t_perf autodiscover_time)" "" "no perfdata for candidates not tried"
expect_perf redirects '^0;;;0$' "no redirects"
expect_out "^autodiscover candidate 1 $D for user@example\\.test: MobileSync URL $URL \\([0-9.]+s\\)$" \
	"-v: candidate 1's outcome in words"
t_is "$(ad_requests)" "example.test POST https" "one request, a POST over https"
t_like "$(ad_requests_full)" 'auth=none user=- cert=-' \
	"no credential to a host that answers without asking for one (t/75-credentials.t has the rest)"
t_like "$(ad_requests_full)" 'email=user@example.test' "the mobilesync request names the address"

ad_reset
ad_case example.test 404
ad -v
expect_first "candidate 1 404, candidate 2 answers: OK" 0 "$OK candidate 2 \\|"
expect_out "^candidate 2 answered from $A\$" "-v: the candidate's URL"
expect_out "^autodiscover candidate 1 $D .*: HTTP 404: no Autodiscover service at this URL" \
	"-v: candidate 1's 404 in words"
expect_perf autodiscover_time '^[0-9.]+s' "candidate 2 time perfdata"

ad_case autodiscover.example.test 404
: >"$AD_LOG"
ad -v
expect_first "candidates 1 and 2 404, the HTTP redirect to https answers: OK" 0 "$OK candidate 3 \\|"
expect_out "^candidate 3 answered from https://mail\\.example\\.test:$AD_PORT_MAIL/autodiscover/autodiscover\\.xml\$" \
	"-v: the URL candidate 3 was redirected to"
expect_out "^autodiscover candidate 3 .*: redirected from $H: MobileSync URL" \
	"-v: candidate 3 names the plain-HTTP URL it was redirected from"
t_is "$(ad_requests | tr '\n' ';')" \
	"example.test POST https;autodiscover.example.test POST https;http GET http;mail.example.test POST https;" \
	"the candidates in a device's order: POST, POST, GET over HTTP, POST to the redirect"
t_like "$(grep 'scheme=http ' "$AD_LOG")" 'auth=none user=-' "no credentials over plain HTTP"
expect_perf http_redirect_time '^[0-9.]+s' "candidate 3 time perfdata"

ADDR=user@srvonly.test ad -v
expect_first "only the SRV record exists: candidate 4 answers: OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@srvonly\\.test from candidate 4 \\(SRV\\) \\|"
expect_out "^candidate 4 \\(SRV\\) answered from https://mail\\.example\\.test:$AD_PORT_MAIL/" "-v: the URL of the SRV target"
expect_out "^autodiscover candidate 1 https://srvonly\\.test/.*: DNS lookup failed: srvonly\\.test has no address" \
	"-v: candidate 1: the domain has no address"
expect_out "^autodiscover candidate 2 .*: DNS lookup failed: the DNS name autodiscover\\.srvonly\\.test does not exist" \
	"-v: candidate 2: the name does not exist"
expect_perf srv_time '^[0-9.]+s' "candidate 4 time perfdata"

for c in 1 2 3 4; do
	ad_reset
	ad_case example.test 404
	ad --candidate "$c"
	case $c in
	1) expect_first "--candidate 1 alone: its 404 is CRITICAL" 2 \
		"^EAS AUTODISCOVER CRITICAL - no Autodiscover candidate answered for user@example\\.test, HTTP 404" ;;
	2) expect_first "--candidate 2 alone: OK" 0 "$OK candidate 2 " ;;
	3) expect_first "--candidate 3 alone: OK" 0 "$OK candidate 3 " ;;
	4) expect_first "--candidate 4 alone: OK" 0 "$OK candidate 4 " ;;
	esac
	t_is "$(ad_requests | grep -c POST)" 1 "--candidate $c: one POST only"
done

# ------------------------------------------------ each candidate failing
ad_reset
run check_eas_autodiscover -v --address user@example.test "${NET[@]}" "${AD_CONNECT_TO_WRONGNAME[@]}" \
	"${CRED[@]}" -v
expect_summary "the domain's web host has a certificate for another name: WARNING" 1 \
	"^EAS AUTODISCOVER WARNING - found $URL \\(candidate 2\\), candidate 1: server certificate does not match the host name we connected to, example\\.test \\(it names DNS:www\\.other\\.test\\) \\(fix that host's certificate or remove its DNS record, or check one candidate alone with --candidate N\\) \\(devices stumble here\\)"
expect_no_out '-H/--sni' "... and no advice for options this plugin refuses (-H, --sni), -v included"
expect_out "^autodiscover candidate 2 .*: MobileSync URL" "-v: ... and candidate 2 gave the URL"
run check_eas_autodiscover --address user@example.test "${NET[@]}" "${AD_CONNECT_TO_WRONGNAME[@]}" \
	"${CRED[@]}" --candidate 1 --output-format json
expect_json_field state '"CRITICAL"' "that candidate alone: CRITICAL"
expect_json_field why '"[^"]*\(it names DNS:www\.other\.test\) \(fix that host.s certificate or remove its DNS record' \
	"... its reason with what to do, in JSON too"
expect_no_out '-H/--sni' "... and no -H/--sni advice anywhere in the document"
ad --candidate 1 -v
expect_first "(the right certificate with --candidate 1: OK)" 0 "$OK candidate 1 "

ad_reset
ad_case example.test hang 30
ad -v --candidate-timeout 1 -t 10 -w 0.5 -v
expect_summary "candidate 1 hangs: a device waits, then candidate 2: WARNING" 1 \
	"^EAS AUTODISCOVER WARNING - found $URL \\(candidate 2\\), candidate 1: no answer within 1s: hung waiting for the Autodiscover candidate 1 \\(the domain\\) response \\(devices wait here\\)"
t_like "$(t_perf domain_time)" '^1\.[0-9]+s;;;0$' "the wait shows in candidate 1's perfdata"
t_like "$(t_perf time)" '^1\.[0-9]+s;0\.5;;0$' "... and in the total, with -w"
ad -v --candidate-timeout 1 -t 10 -c 0.5
expect_summary "-c on the total time: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - .*hung"
ad -t 2
expect_first "-t runs out in candidate 1: UNKNOWN naming the candidate" 3 \
	"^EAS AUTODISCOVER UNKNOWN - Autodiscover for user@example\\.test ran out of time: no answer within 2s: hung waiting for the Autodiscover candidate 1"

ad_reset
ad_case autodiscover.example.test basic
run check_eas_autodiscover --address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" \
	--candidate 2 --user "$AD_USER" --password-file "$T/pw"
expect_first "candidate 2 wants basic auth, right password: OK" 0 "$OK candidate 2 "
printf 'wrong\n' >"$T/badpw" && chmod 600 "$T/badpw"
run check_eas_autodiscover --address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" \
	--candidate 2 --user "$AD_USER" --password-file "$T/badpw"
expect_first "wrong password: CRITICAL, 401 in words" 2 \
	"^EAS AUTODISCOVER CRITICAL - .*HTTP 401: credentials refused or missing"
expect_no_str "wrong" "the password is not in the output"

ad_reset
ad_case autodiscover.example.test certmap
ad --candidate 2 --cert "$PKI/client.pem" --key "$PKI/client.key"
expect_first "client certificate for candidate 2: OK" 0 "$OK candidate 2 "
t_like "$(ad_requests_full)" 'cert=user@example.com' "the client certificate was sent"
ad --candidate 2
expect_first "without the client certificate: CRITICAL, 403 in words" 2 "^EAS AUTODISCOVER CRITICAL - .*HTTP 403"

ad_reset
ad_case example.test 404
ad_case autodiscover.example.test 404
ad_case http 302-http
ad -v
expect_summary "the HTTP candidate redirects to plain HTTP: refused, the SRV record saves it: WARNING" 1 \
	"^EAS AUTODISCOVER WARNING - found https://[^ ]+ \\(candidate 4 \\(SRV\\)\\), candidate 3: redirect to plain HTTP \\(http://[^)]*\\) refused: a device would send the password unencrypted"
ad -v --candidate 3
expect_summary "the HTTP candidate alone redirecting to plain HTTP: CRITICAL" 2 \
	"^EAS AUTODISCOVER CRITICAL - .*redirect to plain HTTP \\(http://[^)]*\\) refused"
ad_case http 404
ad --candidate 3
expect_first "the HTTP candidate without a redirect: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - .*HTTP 404"

ad_reset
ADDR=user@badsrv.test ad --candidate 4 -v
expect_first "an SRV record naming a host that does not exist: CRITICAL" 2 \
	"^EAS AUTODISCOVER CRITICAL - .*mail\\.nx\\.test does not exist"
AD_DNS_EXTRA=(--srv-host=_autodiscover._tcp.dot.test)
ad_dns_restart || t_fail "dnsmasq restart with an SRV record for no service"
ADDR=user@dot.test ad -v --candidate 4
expect_summary "an SRV record with the target '.': no such service, CRITICAL" 2 \
	"^EAS AUTODISCOVER CRITICAL - .*_autodiscover\\._tcp\\.dot\\.test says there is no such service"
ADDR=user@nx.test ad -v
expect_first "a domain unknown to DNS: CRITICAL" 2 \
	"^EAS AUTODISCOVER CRITICAL - no Autodiscover candidate answered for user@nx\\.test"
expect_out "^autodiscover candidate 4 \\(SRV\\) .*no SRV record _autodiscover\\._tcp\\.nx\\.test" \
	"-v: candidate 4: no SRV record"
expect_out '^autodiscover candidate 1 https://nx\.test/.*does not exist' "-v: candidate 1: no such name"

# --------------------------------------------------- redirects and loops
ad_reset
ad_case example.test chain 3
ADDR=chain0@example.test ad -v
expect_first "a chain of 3 address redirects: OK" 0 "^EAS AUTODISCOVER OK - $URL for chain3@example\\.test from candidate 1 after 3 redirects"
expect_perf redirects '^3;;;0$' "3 redirects in perfdata"
ad_case example.test chain 10
ADDR=chain0@example.test ad
expect_first "10 redirects: still OK" 0 "^EAS AUTODISCOVER OK - .* after 10 redirects"
ad_case example.test chain 11
ADDR=chain0@example.test ad
expect_first "11 redirects: CRITICAL, devices give up" 2 "^EAS AUTODISCOVER CRITICAL - more than 10 redirects"
ad_case example.test loop
ADDR=a@example.test ad
expect_first "a redirect loop: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - redirect loop: .* a@example\\.test asked before"
ad_case example.test redirect-addr user@other.test
ad -v --output-format json
t_ok "JSON output is valid" python3 -m json.tool <<<"$OUT"
expect_json_field found true "JSON: found"
t_is "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["autodiscover"]["pox"]["redirects"])' <<<"$OUT")" \
	"['address user@other.test']" "JSON: the redirect followed"
ad_case example.test redirect-addr user@other.test
ad -v
expect_first "a redirect to another domain's address: OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@other\\.test from candidate 1 after 1 redirect"
expect_out "^candidate 1 answered from https://other\\.test/" "-v: candidate 1 of the other domain answered"
ad_case example.test redirect-url "$AD_REDIRECT_URL"
ad -v
expect_first "a redirect to an https URL: OK" 0 "^EAS AUTODISCOVER OK - $URL .* from the redirect URL after 1 redirect"
expect_out "^the redirect URL answered from $AD_REDIRECT_URL\$" "-v: the redirect URL that answered"
ad_case example.test redirect-url "http://mail.example.test:$AD_PORT_HTTP/autodiscover/autodiscover.xml"
ad -v
expect_summary "a redirect to a plain-HTTP URL, candidate 2 works: WARNING" 1 \
	"^EAS AUTODISCOVER WARNING - found $URL \\(candidate 2\\), candidate 1: malformed answer: .*neither an e-mail address nor an https:// URL"
ad -v --candidate 1
expect_summary "a redirect to a plain-HTTP URL alone: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - .*nor an https:// URL"

# ------------------------------------------------------ error answers
ad_reset
for e in 600 601 602; do
	ad_case example.test error "$e"
	ad -v
	expect_summary "error $e: CRITICAL, explained" 2 "^EAS AUTODISCOVER CRITICAL - Autodiscover error: .* answered error $e: "
done
ad_case example.test error 600
ad
expect_out 'Invalid request|invalid request|not a valid' "error 600 means an invalid request"
ad_case example.test error-status 2
ad
expect_first "a mobilesync Status error: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - "

# --------------------------------------------- malformed and hostile XML
ad_reset
for c in malformed truncated; do
	ad_case example.test "$c"
	ad -v
	expect_summary "$c answer, candidate 2 works: WARNING" 1 "^EAS AUTODISCOVER WARNING - found $URL \\(candidate 2\\), candidate 1: malformed answer: .*devices stumble here"
	ad --candidate 1
	expect_first "$c answer alone: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - .*malformed answer"
done
for c in laughs xxe big; do
	ad_case example.test "$c"
	ad -t 5
	expect_first "$c answer: a clear CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - $D: (hostile answer, not read|the answer is larger than 1024 KiB)"
	expect_no_str "root:" "$c: nothing of /etc/passwd in the output"
	ad --candidate 1 -t 5 --output-format json
	t_ok "$c: JSON output stays valid" python3 -m json.tool <<<"$OUT"
	expect_json_field how '"hostile"' "$c: JSON marks the try hostile"
done

# ------------------------------------------------------- JSON endpoint
ad_reset
ad --method json -v
expect_first "the JSON endpoint: OK" 0 "^EAS AUTODISCOVER OK - JSON: $URL for user@example\\.test from the JSON endpoint \\|"
expect_out "^JSON: the JSON endpoint answered from https://autodiscover\\.example\\.test/autodiscover/autodiscover\\.json/v1\\.0/user@example\\.test\\?Protocol=ActiveSync\$" \
	"-v: the JSON endpoint's URL"
t_like "$(ad_requests_full)" 'auth=none' "the JSON endpoint is asked anonymously"
expect_perf json_time '^[0-9.]+s' "JSON time perfdata"
ad --method both
expect_first "both methods agree: OK" 0 "^EAS AUTODISCOVER OK - $URL .*, the JSON method gives the same URL \\|"
ad_case_json autodiscover.example.test settings https://elsewhere.example.test/Microsoft-Server-ActiveSync
ad -v --method both
expect_summary "the methods disagree: WARNING" 1 "^EAS AUTODISCOVER WARNING - the XML method gives .* JSON gives https://elsewhere"
for c in error malformed http-url; do
	ad_case_json autodiscover.example.test "$c"
	ad --method json
	expect_first "JSON $c: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - "
done

# --------------------------------------------------------- --expect-url
ad_reset
ad --expect-url "https://mail.example.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync"
expect_first "--expect-url matches: OK" 0 "$OK"
ad -v --expect-url https://mail.example.test/Microsoft-Server-ActiveSync
expect_summary "--expect-url differs: CRITICAL" 2 "^EAS AUTODISCOVER CRITICAL - Autodiscover gives an unexpected URL .* \\(expected https://mail\\.example\\.test/Microsoft-Server-ActiveSync"

# ---------------------------------------------------------- bad options
run check_eas_autodiscover "${NET[@]}"
expect_first "no --address: UNKNOWN" 3 "^EAS AUTODISCOVER UNKNOWN - no --address given"
run check_eas_autodiscover --address 'not an address' "${NET[@]}"
expect_first "a non-address: UNKNOWN" 3 "^EAS AUTODISCOVER UNKNOWN - .*is not an e-mail address"
run check_eas_autodiscover --address user@example.test -H mail.example.test
expect_first "-H: UNKNOWN, not an option of this plugin" 3 "^EAS AUTODISCOVER UNKNOWN - '-H' is not an option of check_eas_autodiscover \\(see --help\\)$"
for o in --sni=mail.example.test -p=443 -I=192.0.2.1; do
	run check_eas_autodiscover --address user@example.test "${o%%=*}" "${o#*=}"
	expect_first "${o%%=*}: UNKNOWN, not an option of this plugin" 3 \
		"^EAS AUTODISCOVER UNKNOWN - '${o%%=*}' is not an option of check_eas_autodiscover \\(see --help\\)$"
done
run check_eas_autodiscover --address user@example.test --candidate 5
expect_first "--candidate 5: UNKNOWN" 3 "^EAS AUTODISCOVER UNKNOWN - .*must be 1, 2, 3 or 4"
run check_eas_autodiscover --address user@example.test --method soap
expect_first "--method soap: UNKNOWN" 3 "^EAS AUTODISCOVER UNKNOWN - .*must be pox, json or both"

# ----------------------------------------- --autodiscover in the plugins
ad_reset
run check_eas_basic --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}" -v
expect_first "check_eas_basic --autodiscover: the discovered URL checked, both reported" 0 \
	"^EAS BASIC OK - basic auth accepted for user@example\\.test: .*URL from Autodiscover for user@example\\.test \\(candidate 1\\)"
expect_perf autodiscover_time '^[0-9.]+s' "autodiscover_time perfdata"
expect_out "MobileSync URL $URL " "-v: the URL found (then checked: the first line)"
ADDR=user@nx.test
run check_eas_basic --autodiscover user@nx.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
expect_first "--autodiscover finds nothing: CRITICAL" 2 \
	"^EAS BASIC CRITICAL - Autodiscover found no server for user@nx\\.test: "
unset ADDR
run check_eas_basic --autodiscover user@example.test -H mail.example.test "${CRED[@]}"
expect_first "--autodiscover with -H: UNKNOWN" 3 "^EAS BASIC UNKNOWN - --autodiscover finds the server"
# check_eas_options checks the URL it is given: discovery (and expat) stay
# out of the cheapest check (t/05-layers.t checks the link).
run check_eas_options --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}"
expect_first "check_eas_options refuses --autodiscover: UNKNOWN" 3 \
	"^EAS OPTIONS UNKNOWN - '--autodiscover' is not an option of check_eas_options \\(see --help\\)$"

# check_eas_sync finds Horde's ActiveSync server by Autodiscover.
. "$T_LIB/horde-eas.sh"
if missing_pkgs=$(horde_missing); then
	t_skip "check_eas_sync --autodiscover" "no Horde: $missing_pkgs"
elif ! HTTPD_CERT=$PKI/srv-valid.pem horde_setup; then
	t_fail "the Horde ActiveSync server did not start"
else
	# Horde's certificate names valid.check-eas.test: outside example.test,
	# so the password goes there only with --trust-domain check-eas.test.
	ad_case example.test settings "https://valid.check-eas.test:$HORDE_PORT/Microsoft-Server-ActiveSync"
	printf '%s\n' "$HORDE_PASSWORD" >"$T/hpw" && chmod 600 "$T/hpw"
	HSYNC=(check_eas_sync --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}"
		--resolve "valid.check-eas.test:$HORDE_PORT:127.0.0.1" --user "$HORDE_USER"
		--password-file "$T/hpw")
	run "${HSYNC[@]}" -v
	expect_summary "check_eas_sync --autodiscover, the URL found outside the domain: CRITICAL, nothing sent" 2 \
		"^EAS SYNC CRITICAL - Autodiscover for user@example\\.test gives https://valid\\.check-eas\\.test:$HORDE_PORT/Microsoft-Server-ActiveSync: Autodiscover host valid\\.check-eas\\.test: not in a trusted domain, credentials not sent; allow it with --trust-domain check-eas\\.test"
	run "${HSYNC[@]}" --trust-domain check-eas.test
	expect_first "check_eas_sync --autodiscover: the mailbox syncs at the URL found" 0 \
		"^EAS SYNC OK - mailbox .* syncs over ActiveSync .*URL from Autodiscover for user@example\\.test \\(candidate 1\\)"
fi
t_done
