#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# DNS through --dns-server, against real servers on 127.0.0.1 only: dnsmasq
# (t/lib/autodiscover.sh) with CNAME chains and SRV answers of 300 records
# (some 18 KB: over TCP), the Autodiscover Apache vhosts behind them; and
# t/dns-responder.py for what dnsmasq cannot send: answers of 60 KB,
# answers that claim 64 KiB and stop, no usable address, malformed ones,
# compression loops, CNAME loops and endless chains, 1400 SRV records.
# Every hostile answer ends in a clean CRITICAL with plain words, never a
# crash or a sanitizer report.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki

PATH=$PATH:/usr/sbin
command -v dnsmasq >/dev/null || t_bail "no dnsmasq (dnsmasq-base, see contrib/setup.sh)"
command -v dig >/dev/null || t_bail "no dig (bind9-dnsutils)"
{ ad_certs && ad_httpd_start; } || t_bail "the Autodiscover test servers did not start"
CLOSED=$(t_freeport)

# mail.example.test is only an alias: mail.example.test -> mailhost.test,
# autodiscover.cname.test -> mail.example.test (a chain of 2).
AD_DNS_HOSTS=(example.test autodiscover.example.test other.test autodiscover.other.test
	www.other.test mail.other.test)
AD_DNS_EXTRA=("--host-record=mailhost.test,127.0.0.1"
	"--cname=mail.example.test,mailhost.test"
	"--cname=autodiscover.cname.test,mail.example.test"
	--srv-host="_autodiscover._tcp.cname.test,mail.example.test,$AD_PORT_MAIL,0,0")
# order.test: dnsmasq sends its records last given first, so the packet
# holds priority 20 (mail.example.test) before priority 10 (example.test).
AD_DNS_EXTRA+=(--srv-host="_autodiscover._tcp.order.test,example.test,$AD_PORT,10,0"
	--srv-host="_autodiscover._tcp.order.test,mail.example.test,$AD_PORT_MAIL,20,0")
# many.test: 300 records; priority 0: example.test and
# autodiscover.example.test (both will say 404) and a closed port; priority
# 5: mail.example.test, which answers; the rest, priorities 100 and on,
# hosts that do not exist (never asked).
AD_DNS_EXTRA+=(--srv-host="_autodiscover._tcp.many.test,mail.example.test,$AD_PORT_MAIL,5,1")
for ((i = 0; i < 296; i++)); do
	AD_DNS_EXTRA+=(--srv-host="_autodiscover._tcp.many.test,mailbox-$i.filler-server.nx.test,443,$((100 + i % 7)),$((i % 3))")
done
AD_DNS_EXTRA+=(--srv-host="_autodiscover._tcp.many.test,mail.example.test,$CLOSED,0,0"
	--srv-host="_autodiscover._tcp.many.test,autodiscover.example.test,$AD_PORT,0,0"
	--srv-host="_autodiscover._tcp.many.test,example.test,$AD_PORT,0,0")
ad_dns_start || t_bail "dnsmasq did not start"

printf '%s\n' "$AD_PASSWORD" >"$T/pw"
chmod 600 "$T/pw"
DNS=(--dns-server "127.0.0.1:$AD_DNS_PORT")
NET=(--ca-file "$PKI/ca.pem" "${DNS[@]}")
CRED=(--user "$AD_USER" --password-file "$T/pw")
ad() { run check_eas_autodiscover --address "${ADDR:-user@example.test}" "${NET[@]}" "${CRED[@]}" "$@"; }
URL="https://mail\\.example\\.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync"
SAN='Sanitizer|runtime error|LeakSanitizer'

# ------------------------------------------------------------- CNAME
run_cmd dig +noall +answer -p "$AD_DNS_PORT" @127.0.0.1 mail.example.test A
t_setup_check t_like "$OUT" 'mail\.example\.test\..*CNAME.*mailhost\.test\.' "DNS: mail.example.test is a CNAME"
run check_eas_options -H mail.example.test -p "$AD_PORT_MAIL" "${NET[@]}" -v
expect_first "check_eas_options resolves mail.example.test through its CNAME: OK" 0 '^EAS OPTIONS OK - '
run check_eas_options -H autodiscover.cname.test -p "$AD_PORT_MAIL" -k "${DNS[@]}"
expect_first "a CNAME chain of 2 (autodiscover.cname.test): the server behind it answers" 0 '^EAS OPTIONS OK - '

ADDR=user@cname.test ad --candidate 4 -v
expect_first "SRV target behind a CNAME: candidate 4 answers: OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@cname\\.test from candidate 4 \\(SRV\\) \\|"
expect_out "^candidate 4 \\(SRV\\) answered from https://mail\\.example\\.test:$AD_PORT_MAIL/" "-v: the SRV target that answered"
ADDR=user@cname.test ad --candidate 2 -v
expect_out "^autodiscover candidate 2 https://autodiscover\\.cname\\.test/.*refused" \
	"candidate 2: autodiscover.cname.test (a CNAME) is found and connected to (port 443: refused)"
expect_no_out 'DNS lookup failed' "candidate 2: no DNS failure for the CNAME"

# ---------------------------------------------------------- SRV order
run_cmd dig +noall +answer -p "$AD_DNS_PORT" @127.0.0.1 _autodiscover._tcp.order.test SRV
t_setup_check t_like "${OUT%%$'\n'*}" 'SRV[[:space:]]+20 0 ' "DNS: order.test's packet holds priority 20 first"
ad_reset
ADDR=user@order.test ad --candidate 4 -v
expect_first "two SRV records in reverse packet order: the lower priority value answers" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@order\\.test from candidate 4 \\(SRV\\) \\|"
expect_out "^candidate 4 \\(SRV\\) answered from https://example\\.test:$AD_PORT/" "-v: the SRV target that answered"
t_is "$(ad_requests)" "example.test POST https" "only the priority-10 target was asked"
expect_out "SRV target 1 of 2 example\\.test:$AD_PORT: MobileSync URL" "-v: target 1 of 2 answered"

# ------------------------------------------- 300 SRV records, over TCP
run_cmd dig +tcp +noall +stats -p "$AD_DNS_PORT" @127.0.0.1 _autodiscover._tcp.many.test SRV
size=$(sed -n 's/.*MSG SIZE  rcvd: \([0-9]*\).*/\1/p' <<<"$OUT")
t_setup_ok "DNS: the SRV answer of many.test is ${size:-?} bytes (> 13.5 KB)" test "${size:-0}" -gt 13500
run_cmd dig +ignore +noedns +noall +comments -p "$AD_DNS_PORT" @127.0.0.1 _autodiscover._tcp.many.test SRV
t_setup_check t_like "$OUT" 'flags:.* tc' "DNS: over UDP it is truncated (TCP is needed)"
ad_reset
ad_case example.test 404
ad_case autodiscover.example.test 404
ADDR=user@many.test ad --candidate 4 -v
expect_first "300 SRV records: priority 0 fails (404, 404, refused), priority 5 answers: OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@many\\.test from candidate 4 \\(SRV\\) \\|"
expect_out "^candidate 4 \\(SRV\\) answered from https://mail\\.example\\.test:$AD_PORT_MAIL/" "-v: the SRV target that answered"
t_is "$(ad_requests | head -2 | sort | tr '\n' ';')" \
	"autodiscover.example.test POST https;example.test POST https;" \
	"the two priority-0 hosts were asked first"
t_is "$(ad_requests | sed -n '3,$p' | tr '\n' ';')" "mail.example.test POST https;" \
	"then the priority-5 host, and nothing after it"
expect_out "SRV target 4 of 300 mail\\.example\\.test:$AD_PORT_MAIL: MobileSync URL .*\\(after target 1 of 300 .*; target 2 of 300 .*; target 3 of 300 .*\\)" \
	"-v: the answering target, after the three asked before it"
expect_out "target [123] of 300 mail\\.example\\.test:$CLOSED: connection refused" "-v: the closed port in words"
expect_out "target [123] of 300 example\\.test:$AD_PORT: HTTP 404" "-v: a 404 in words"

# ---------------------------------- answers dnsmasq cannot give (responder)
t_start_server_py() {
	local pf=$T/dns-responder.port i
	python3 "$SRCDIR/t/dns-responder.py" "$pf" </dev/null >/dev/null 2>"$T/dns-responder.log" &
	T_PIDS+=("$!")
	for ((i = 0; i < 200; i++)); do
		[[ -s $pf ]] && {
			RESP_PORT=$(<"$pf")
			return 0
		}
		sleep 0.05
	done
	return 1
}
t_start_server_py || t_bail "t/dns-responder.py did not start: $(cat "$T/dns-responder.log")"
HDNS=(--dns-server "127.0.0.1:$RESP_PORT")
opt() { run check_eas_options -H "$1" -p "$CLOSED" "${HDNS[@]}" -t 20 "${@:2}"; }

opt huge.test
expect_first "an A answer of 60 KB (UDP truncated, then TCP): read whole, its address used" 2 \
	'^EAS OPTIONS CRITICAL - connection refused'
expect_no_out "$SAN" "60 KB answer: no sanitizer report"
t_like "$(grep -ac '^tcp huge.test 1$' "$T/dns-responder.log")" '^[1-9]' "the 60 KB answer went over TCP"

opt liar.test
expect_first "a TCP answer that claims 65535 bytes and stops after 5000: CRITICAL in words" 2 \
	"^EAS OPTIONS CRITICAL - DNS lookup failed: no answer from the DNS server 127\\.0\\.0\\.1:$RESP_PORT for liar\\.test"
expect_no_out "$SAN" "claimed length: no sanitizer report"

opt refused.other -v
expect_summary "a server that refuses the query (REFUSED, which glibc drops): CRITICAL in words" 2 \
	"^EAS OPTIONS CRITICAL - DNS lookup failed: no answer from the DNS server 127\\.0\\.0\\.1:$RESP_PORT for refused\\.other: it is down or unreachable, or refused or failed the query"
run check_eas_options -H mail.example.test -p "$CLOSED" --dns-server "127.0.0.1:$CLOSED"
expect_first "no DNS server on that port: CRITICAL in words" 2 \
	"^EAS OPTIONS CRITICAL - DNS lookup failed: the DNS server 127\\.0\\.0\\.1:$CLOSED refuses connections \\(asked for mail\\.example\\.test\\): is it running, on that port\\?"

opt noaddr.test
expect_first "A of 3 bytes, AAAA of 5: no usable address, CRITICAL in words" 2 \
	'^EAS OPTIONS CRITICAL - DNS lookup failed: noaddr\.test has no address in the DNS'
expect_no_out "$SAN" "no usable address: no sanitizer report"

opt malformed.test
expect_first "an answer that says 3 records and has none: malformed, CRITICAL" 2 \
	'^EAS OPTIONS CRITICAL - DNS lookup failed: the DNS answer for malformed\.test is malformed'

opt compress.test
expect_first "an owner name that points at itself: skipped, no address" 2 \
	'^EAS OPTIONS CRITICAL - DNS lookup failed: compress\.test has no address in the DNS'
expect_no_out "$SAN" "compression loop: no sanitizer report"

opt loop.test
expect_first "a CNAME loop: CRITICAL in words" 2 \
	'^EAS OPTIONS CRITICAL - DNS lookup failed: loop\.test leads into a CNAME loop'

: >"$T/dns-responder.log"
opt a.chain.test
expect_first "an endless CNAME chain: CRITICAL after 8 aliases" 2 \
	'^EAS OPTIONS CRITICAL - DNS lookup failed: a\.chain\.test is a CNAME chain longer than 8'
t_is "$(grep -ac 'chain.test 1$' "$T/dns-responder.log")" 9 "9 queries for the chain, no more"

: >"$T/dns-responder.log"
opt h0.hop.test
expect_first "a chain of 3 aliases, one per answer: followed to the address" 2 \
	'^EAS OPTIONS CRITICAL - connection refused'
t_is "$(grep -ao 'h[0-9].hop.test 1$' "$T/dns-responder.log" | tr '\n' ';')" \
	"h0.hop.test 1;h1.hop.test 1;h2.hop.test 1;h3.hop.test 1;" "each alias asked in turn"

run check_eas_autodiscover --address user@hugesrv.test --candidate 4 "${HDNS[@]}" -t 20 -v
expect_first "1400 SRV records (60 KB) whose hosts do not exist: CRITICAL" 2 '^EAS AUTODISCOVER CRITICAL - '
expect_out "8 of 1400 SRV targets asked \\(at most 8 are\\): target 1 of 1400 down-[0-9]+\\.hugesrv\\.test:9: DNS lookup failed: the DNS name down-[0-9]+\\.hugesrv\\.test does not exist; target 2 of 1400" \
	"-v: 8 of 1400 targets asked, each in words, the rest said"
expect_no_out "$SAN" "1400 SRV records: no sanitizer report"
t_done
