#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every node behind the name (--node, --each-address, --min-nodes) in
# check_eas_options and check_eas_certexpiry, on loopback addresses as
# nodes of "localhost" (127.0.0.2..5 all reach the loopback on Linux):
# 127.0.0.1 and .2 work (Exchange's answer, front end EX01), .3 refuses
# connections (nothing listens there), .4 serves another certificate (the
# test PKI's srv-soon.pem, 5 days left), .5 has a failing back end (503,
# X-FailureContext: BackEnd), .6 serves another certificate that is valid
# for a year (server.pem). --each-address asks the test DNS server
# (dnsmasq) for several A records. Asserted: exit codes, exact first
# lines, the per-node perfdata labels, -v blocks and the JSON "nodes" array,
# and that the server saw one request per node. check_eas_basic and
# check_eas_cert on nodes with their own authentication (.7 to .12), the
# bearer token refreshed once for the run when nodes refuse it, and
# check_eas_auth's probes on each node. IPv6: ::1 as a node and an AAAA
# record (skipped, with the reason, where lo has no IPv6).
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki

# IPv6: ::1 as a node where this machine has it (a container may not:
# then those tests are skipped with the reason, never failed).
V6=
if [[ $(cat /proc/sys/net/ipv6/conf/lo/disable_ipv6 2>/dev/null) == 0 ]] &&
	python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	V6=1
fi

# One Apache, one port, a virtual host per address: Listen adds the
# other loopback addresses (httpd_start's own Listen is 127.0.0.1).
node_vhost() { # ADDRS CERT CASE [DIRECTIVE...]
	local a hosts=
	for a in $1; do hosts+=" $a:@PORT@"; done
	cat <<EOV
<VirtualHost$hosts>
    ServerName localhost
    SSLEngine on
    SSLProtocol -all +TLSv1.2 +TLSv1.3
    SSLCertificateFile "$2"
    SSLCertificateKeyFile "$PKI/server.key"
    ScriptAlias /Microsoft-Server-ActiveSync "@RESPONDER@"
    SetEnv EAS_CASE $3
    CustomLog "@DIR@/nodes.log" "%A %m %U %>s"
    <Location />
        CGIPassAuth On
    </Location>
$(shift 3; printf '    %s\n' "$@")
</VirtualHost>
EOV
}
# check_eas_basic and check_eas_cert: .7 checks the password (ex-basic),
# .8 refuses every password (ex-401, a node that lost its directory), .9
# asks for our client certificate in the handshake, .10 asks for one of
# another CA (so refuses ours).
{
	printf 'Listen 127.0.0.%s:@PORT@\n' 2 4 5 6 7 8 9 10 13 14
	node_vhost "127.0.0.1 127.0.0.2" "$PKI/srv-valid.pem" ex-exchange
	node_vhost 127.0.0.4 "$PKI/srv-soon.pem" ex-exchange
	node_vhost 127.0.0.5 "$PKI/srv-valid.pem" ex-503-backend
	node_vhost 127.0.0.6 "$PKI/server.pem" ex-exchange
	node_vhost "127.0.0.7 127.0.0.13 127.0.0.14" "$PKI/srv-valid.pem" ex-basic
	node_vhost 127.0.0.8 "$PKI/srv-valid.pem" ex-401
	node_vhost 127.0.0.9 "$PKI/srv-valid.pem" ex-exchange "SSLCACertificateFile \"$PKI/ca.pem\"" \
		"SSLVerifyClient require" "SSLVerifyDepth 2"
	node_vhost 127.0.0.10 "$PKI/srv-valid.pem" ex-exchange \
		"SSLCACertificateFile \"$PKI/foreign-ca.pem\"" "SSLVerifyClient require" "SSLVerifyDepth 2"
	if [[ -n $V6 ]]; then
		printf 'Listen [::1]:@PORT@\n'
		node_vhost "[::1]" "$PKI/srv-valid.pem" ex-exchange
	fi
} >"$T/nodes.conf"
httpd_start nodes "$T/nodes.conf" || t_bail "apache did not start"
P=$HTTPD_PORT
ALL=(--node 127.0.0.2 --node 127.0.0.3 --node 127.0.0.4 --node 127.0.0.5)
opts() { run check_eas_options -H localhost -p "$P" --ca-file "$PKI/ca.pem" "$@"; }
cexp() { run check_eas_certexpiry -H localhost -p "$P" --ca-file "$PKI/ca.pem" "$@"; }
json() { python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$OUT" "$1" 2>&1; }
NLOG=$T/nodes/nodes.log
# seen [LINES [LOG]] - the requests of the last run (address, method,
# path, status), sorted; Apache logs a request after its answer went out,
# so it waits up to 3 s for LINES lines first
seen() {
	local i log=${2:-$NLOG}
	for ((i = 0; i < 60 && $(wc -l <"$log") < ${1:-0}; i++)); do sleep 0.05; done
	sort "$log" | tr '\n' ' ' | sed 's/ $//'
}
M='OPTIONS /Microsoft-Server-ActiveSync'
EACH="127.0.0.2 $M 200 127.0.0.4 $M 200 127.0.0.5 $M 503"
reset_log() { : >"$NLOG"; }
CUT='connection refused'
SOON='serves another certificate expiring [0-9]{4}-[0-9]{2}-[0-9]{2}, serial [0-9A-F]+'

# ---------------------------------------------------------------- --node
reset_log
opts "${ALL[@]}" -v
expect_first "options, 4 nodes, 2 failing: WARNING naming the failing nodes first" 1 \
	"^EAS OPTIONS WARNING - 2 of 4 nodes fail: 127\.0\.0\.3 $CUT: nothing listens on that port, 127\.0\.0\.5 on front end EX01, back end EX03: HTTP 503 \|"
expect_perf node_127_0_0_2_time '^[0-9.]+s;;;0$' "perfdata node_127_0_0_2_time for a working node"
expect_perf node_127_0_0_5_time '^[0-9.]+s;;;0$' "perfdata for the node that answered 503 too (it answered)"
t_is "$(t_perf node_127_0_0_3_time >/dev/null 2>&1 && echo yes || echo no)" no \
	"no time perfdata for the refusing node (no 0 to dive graphs)"
expect_perf nodes_working '^2;;;0;4$' "nodes_working 2 of 4"
expect_out '^node 127\.0\.0\.2: OK - ActiveSync 15\.1 answers: protocol 16\.1 \(9 versions\), 24 commands$' "-v: the working node's verdict"
expect_out '^node 127\.0\.0\.3: CRITICAL - connection refused: nothing listens on that port' "-v: the refusing node's verdict"
expect_out '^node 127\.0\.0\.5: CRITICAL - on front end EX01, back end EX03: HTTP 503: the back end failed \(HTTP 503 there, Service Unavailable\)' "-v: the failing back end, whole"
expect_out '^127\.0\.0\.4: connected to 127\.0\.0\.4$' "-v: each node's probe lines under its address"
expect_out '^127\.0\.0\.5: failing part: the back end failed' "-v: the node's failing part"
t_is "$(seen 3)" "$EACH" "the server saw the same OPTIONS request once on each listening node"

opts "${ALL[@]}" --output-format json
t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]]')" \
	"[('127.0.0.2', 'OK'), ('127.0.0.3', 'CRITICAL'), ('127.0.0.4', 'OK'), ('127.0.0.5', 'CRITICAL')]" \
	"JSON nodes: address and state of each, in the order given"
t_is "$(json 'j["nodes"][3]["served_by"]["failing_part"], j["nodes"][3]["served_by"]["front_end"]')" \
	"('back_end', 'EX01')" "JSON nodes[].served_by: the 503 node's front end and failing part"
t_is "$(json '"served_by" in j["nodes"][1], j["nodes"][1]["summary"][:18]')" "(False, '$CUT')" \
	"JSON: the refusing node has its summary and no served_by"
t_is "$(json 'j["state"], j["exit_code"]')" "('WARNING', 1)" "JSON: WARNING as in text"

# --min-nodes: fewer working than asked is CRITICAL
opts "${ALL[@]}" --min-nodes 3
expect_first "--min-nodes 3 with 2 working: CRITICAL, saying so" 2 \
	"^EAS OPTIONS CRITICAL - only 2 of 4 nodes work \(--min-nodes 3\): 127\.0\.0\.3 $CUT"
opts "${ALL[@]}" --min-nodes 2
expect_first "--min-nodes 2 with 2 working: WARNING" 1 '^EAS OPTIONS WARNING - 2 of 4 nodes fail: '

# every node working; one node alone
opts --node 127.0.0.1 --node 127.0.0.2 --node 127.0.0.4
expect_first "three working nodes: OK, the first node's words" 0 \
	'^EAS OPTIONS OK - all 3 nodes OK: ActiveSync 15\.1 answers: protocol 16\.1 \(9 versions\), 24 commands \|'
expect_perf node_127_0_0_1_time '^[0-9.]+s;;;0$' "perfdata node_127_0_0_1_time"
expect_perf nodes_working '^3;;;0;3$' "nodes_working 3 of 3"
opts --node 127.0.0.3 --node 127.0.0.5
expect_first "every node failing: CRITICAL" 2 \
	"^EAS OPTIONS CRITICAL - 2 of 2 nodes fail: 127\.0\.0\.3 $CUT.*, 127\.0\.0\.5 on front end EX01, back end EX03: HTTP 503"
opts --node 127.0.0.2 -w 0.000001 -c 10
expect_first "-w on each node's time: a slow node warns" 1 '^EAS OPTIONS WARNING - 1 of 1 node warns: 127\.0\.0\.2 .*slow: [0-9.]+s'
expect_perf node_127_0_0_2_time '^[0-9.]+s;0\.000001;10;0$' "-w/-c in each node's perfdata"

# what nodes refuse
opts --node 127.0.0.2 -I 127.0.0.1
expect_first "--node with -I: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - -I names one address to connect to: give it as --node instead'
opts --node 127.0.0.2 --each-address
expect_first "--node with --each-address: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - give --node ADDRESS or --each-address, not both'
opts --min-nodes 2
expect_first "--min-nodes alone: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --min-nodes needs --node ADDRESS or --each-address'
opts --node mail.example.com
expect_first "--node takes an address, not a name" 3 "^EAS OPTIONS UNKNOWN - .*'mail\.example\.com' is not an IPv4 or IPv6 address"
opts --node 127.0.0.2 --min-nodes 0
expect_first "--min-nodes 0 is refused" 3 "^EAS OPTIONS UNKNOWN - --min-nodes: '0' is not a number of nodes from 1 to 16"
run check_eas_options -H localhost -p "$P" $(for i in $(seq 1 17); do echo --node 127.0.0.$i; done)
expect_first "a 17th --node is refused" 3 '^EAS OPTIONS UNKNOWN - at most 16 --node \(this is the 17th\)'
opts --node 127.0.0.2 --node 127.0.0.3 --min-nodes 3
expect_first "--min-nodes above the nodes given: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --min-nodes 3 is more than the 2 nodes given'

# ---------------------------------------------------------------- certexpiry
reset_log
cexp "${ALL[@]}" -v
expect_first "certexpiry: the node with another certificate named with its expiry and serial" 1 \
	"^EAS CERTEXPIRY WARNING - 2 of 4 nodes fail: 127\.0\.0\.3 $CUT, 127\.0\.0\.4 $SOON \|"
expect_out "^node 127\.0\.0\.4: CRITICAL - $SOON: leaf soon\.check-eas\.test expires in [45] days" \
	"-v: the odd node's own verdict after the difference"
expect_out '^node 127\.0\.0\.5: OK - leaf valid\.check-eas\.test expires in 36[45] days' \
	"-v: a node with the usual certificate is OK (certexpiry makes no HTTP request)"
expect_out '^  leaf soon\.check-eas\.test \[server\]: .*serial [0-9A-F]+, valid ' "-v: the node's certificate lines"
expect_perf node_127_0_0_4_time '^[0-9.]+s;;;0$' "certexpiry: perfdata per node"
t_is "$(wc -l <"$NLOG")" 0 "certexpiry sends no HTTP request to any node"
cexp --node 127.0.0.2 --node 127.0.0.4 --node 127.0.0.5 --min-nodes 3
expect_first "certexpiry --min-nodes 3: the expiring node makes it CRITICAL" 2 \
	"^EAS CERTEXPIRY CRITICAL - only 2 of 3 nodes work \(--min-nodes 3\): 127\.0\.0\.4 $SOON"
cexp --node 127.0.0.2 --node 127.0.0.5 --node 127.0.0.6 -v
expect_first "certexpiry: a node with another certificate, valid for a year, is a WARNING naming it" 1 \
	"^EAS CERTEXPIRY WARNING - 1 of 3 nodes warns: 127\.0\.0\.6 serves another certificate expiring [0-9-]{10}, serial [0-9A-F]+ \|"
expect_out "^node 127\.0\.0\.6: WARNING - serves another certificate expiring [0-9-]{10}, serial [0-9A-F]+: leaf localhost expires in 36[45] days" \
	"-v: the odd node's certificate is itself fine"
opts --node 127.0.0.2 --node 127.0.0.5 --node 127.0.0.6
expect_first "options: the node with another valid certificate answers, OK for options" 1 \
	"^EAS OPTIONS WARNING - 1 of 3 nodes fails: 127\.0\.0\.5 on front end EX01, back end EX03: HTTP 503"
cexp --node 127.0.0.2 --node 127.0.0.5 --output-format json
t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]], j["summary"][:22]')" \
	"([('127.0.0.2', 'OK'), ('127.0.0.5', 'OK')], 'all 2 nodes OK: leaf v')" \
	"certexpiry JSON: the nodes, all OK"
t_is "$(json '[n["certificates"][0]["serial"] == j["nodes"][0]["certificates"][0]["serial"] for n in j["nodes"]], len(j["nodes"][0]["certificates"])')" \
	"([True, True], 2)" "certexpiry JSON: each node's certificates (the same leaf on both, leaf and root)"
cexp --node 127.0.0.2 --node 127.0.0.6 --node 127.0.0.5 --output-format json
t_is "$(json 'j["nodes"][1]["certificates"][0]["serial"] != j["nodes"][0]["certificates"][0]["serial"], j["nodes"][1]["state"], j["nodes"][1]["summary"].split(":")[0] == "serves another certificate expiring " + j["nodes"][1]["certificates"][0]["not_after"][:10] + ", serial " + j["nodes"][1]["certificates"][0]["serial"]')" \
	"(True, 'WARNING', True)" "certexpiry JSON: the odd node's certificate, its serial and expiry as the summary names them"
run check_eas_certexpiry -H localhost -p "$P" --node 127.0.0.2 --cert "$PKI/client.pem"
expect_first "certexpiry: nodes and client files in one run are refused" 3 '^EAS CERTEXPIRY UNKNOWN - --node and --each-address check the server'

# ---------------------------------------------------------------- check_eas_basic
printf 's3cret pass\n' >"$T/pass" && chmod 600 "$T/pass"
basic() { run check_eas_basic -H localhost -p "$P" --ca-file "$PKI/ca.pem" --user user@example.com --password-file "$T/pass" "$@"; }
REJ='HTTP 401: credentials rejected'
reset_log
basic --node 127.0.0.7 --node 127.0.0.8 --node 127.0.0.2 -v
expect_first "basic: the node refusing the password named, WARNING" 1 \
	"^EAS BASIC WARNING - 1 of 3 nodes fails: 127\.0\.0\.8 basic auth for user@example\.com refused: on front end EX01, back end EX03: $REJ \|"
expect_perf node_127_0_0_7_time '^[0-9.]+s;;;0$' "basic: perfdata node_127_0_0_7_time"
expect_perf node_127_0_0_8_time '^[0-9.]+s;;;0$' "basic: the refusing node answered: its time too"
expect_perf nodes_working '^2;;;0;3$' "basic: nodes_working 2 of 3"
expect_out '^node 127\.0\.0\.7: OK - basic auth accepted for user@example\.com: ActiveSync 15\.1, protocol 16\.1$' \
	"basic -v: the node that checked the password accepted it"
expect_out '^node 127\.0\.0\.8: CRITICAL - basic auth for user@example\.com refused: .*\(wrong password, locked or expired account' \
	"basic -v: the refusing node's verdict whole"
expect_out '^  outcome: refused \(401, credentials rejected\): ' "basic -v: the node's outcome line in its block"
t_is "$(seen 3)" "127.0.0.2 $M 200 127.0.0.7 $M 200 127.0.0.8 $M 401" "basic: one request per node"
basic --node 127.0.0.7 --node 127.0.0.8 --output-format json
t_is "$(json '[(n["address"], n["state"], n["outcome"]["verdict"]) for n in j["nodes"]], j["nodes"][1]["served_by"]["front_end"]')" \
	"([('127.0.0.7', 'OK', 'accepted'), ('127.0.0.8', 'CRITICAL', 'refused')], 'EX01')" \
	"basic JSON: each node's state and outcome, the front end that refused"
printf 'wrong\n' >"$T/wrong" && chmod 600 "$T/wrong"
basic --node 127.0.0.7 --node 127.0.0.3 --password-file "$T/wrong" --min-nodes 1
expect_first "basic, a wrong password and a dead node: CRITICAL, both named" 2 \
	"^EAS BASIC CRITICAL - 2 of 2 nodes fail: 127\.0\.0\.7 basic auth for user@example\.com refused, 127\.0\.0\.3 $CUT: nothing listens on that port \|"
basic --node 127.0.0.7 --node 127.0.0.2
expect_first "basic: every node accepts: OK" 0 \
	'^EAS BASIC OK - all 2 nodes OK: basic auth accepted for user@example\.com: ActiveSync 15\.1, protocol 16\.1 \|'
basic --node 127.0.0.7 -I 127.0.0.1
expect_first "basic: --node with -I: UNKNOWN" 3 '^EAS BASIC UNKNOWN - -I names one address to connect to: give it as --node instead'

# ---------------------------------------------------------------- check_eas_cert
certp() { run check_eas_cert -H localhost -p "$P" --ca-file "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key" "$@"; }
reset_log
certp --node 127.0.0.9 --node 127.0.0.10 --node 127.0.0.2 -v
expect_first "cert: the node of another CA and the node never asking named, WARNING" 1 \
	'^EAS CERT WARNING - 2 of 3 nodes fail: 127\.0\.0\.10 client certificate user@example\.com refused, 127\.0\.0\.2 the server never asked for a client certificate \|'
expect_perf node_127_0_0_9_time '^[0-9.]+s;;;0$' "cert: perfdata for the node that took the certificate"
expect_perf nodes_working '^1;;;0;3$' "cert: nodes_working 1 of 3"
expect_perf cert_days '^36[45];30;14$' "cert: the certificate's own days once for the run"
expect_out '^node 127\.0\.0\.10: CRITICAL - client certificate user@example\.com refused: the server does not trust the CA of our client certificate \(TLS alert: unknown CA\)$' \
	"cert -v: the node of another CA, whole"
expect_out '^node 127\.0\.0\.2: CRITICAL - the server never asked for a client certificate: it let us in without one \(anonymous access is open\)$' \
	"cert -v: the node that never asked"
expect_out '^127\.0\.0\.9: TLS TLSv1\.[23], cipher [A-Z0-9_]+, server asked for a client certificate$' "cert -v: the node asked for it"
t_is "$(seen 2)" "127.0.0.2 $M 200 127.0.0.9 $M 200" "cert: the server saw the requests of the nodes that let us in"
certp --node 127.0.0.9 --node 127.0.0.2 --output-format json
t_is "$(json '[(n["address"], n["state"], n["outcome"].get("client_cert_requested", True)) for n in j["nodes"]], j["client_certificate"]["subject"]')" \
	"([('127.0.0.9', 'OK', True), ('127.0.0.2', 'CRITICAL', False)], 'CN=user@example.com,O=check-eas test')" \
	"cert JSON: per node state and whether it asked; the client certificate once"
certp --node 127.0.0.9 --cert-warn 400
expect_first "cert: one node OK, the certificate's expiry still judged for the run" 1 \
	'^EAS CERT WARNING - the 1 node OK: client certificate user@example\.com accepted: ActiveSync 15\.1, protocol 16\.1, client certificate expires in 36[45] days'

# ---------------------------------------------------------------- check_eas_auth
# Policy basic (anonymous refused, the password accepted): .7, .13 and
# .14 check the password; .2 lets anyone in.
authp() { run check_eas_auth -H localhost -p "$P" --ca-file "$PKI/ca.pem" --user user@example.com --password-file "$T/pass" --policy basic "$@"; }
reset_log
authp --node 127.0.0.7 --node 127.0.0.13 --node 127.0.0.14 --node 127.0.0.2 -v
expect_first "auth: the policy holds on 3 nodes, broken on the open one: WARNING naming it" 1 \
	'^EAS AUTH WARNING - 1 of 4 nodes fails: 127\.0\.0\.2 anonymous access accepted although policy is basic only \|'
expect_perf node_127_0_0_13_time '^[0-9.]+s;;;0$' "auth: perfdata per node (its longest probe)"
expect_perf nodes_working '^3;;;0;4$' "auth: nodes_working 3 of 4"
t_is "$(t_perf time >/dev/null 2>&1 && echo yes || echo no)" no "auth: no run-wide probe perfdata beside the nodes'"
expect_out '^node 127\.0\.0\.7: OK - policy basic only holds: anonymous refused, basic accepted, ' "auth -v: a holding node's policy verdict"
expect_out '^node 127\.0\.0\.2: CRITICAL - anonymous access accepted although policy is basic only$' "auth -v: the broken node's verdict"
expect_out '^  \[CRITICAL\] anonymous access accepted although policy is basic only \(HTTP 200, [0-9.]+s\)$' "auth -v: the node's probe lines"
expect_out '^  anonymous: connected to 127\.0\.0\.2$' "auth -v: each probe went to its node"
t_is "$(seen 8)" "127.0.0.13 $M 200 127.0.0.13 $M 401 127.0.0.14 $M 200 127.0.0.14 $M 401 127.0.0.2 $M 200 127.0.0.2 $M 200 127.0.0.7 $M 200 127.0.0.7 $M 401" \
	"auth: two probes (anonymous, basic) on each node, all at once"
authp --node 127.0.0.7 --node 127.0.0.2 --output-format json
t_is "$(json '[(n["address"], n["state"], [(p["name"], p.get("outcome")) for p in n["probes"][:2]]) for n in j["nodes"]]')" \
	"[('127.0.0.7', 'OK', [('anonymous', 'refused'), ('basic', 'accepted')]), ('127.0.0.2', 'CRITICAL', [('anonymous', 'accepted'), ('basic', 'accepted')])]" \
	"auth JSON: each node's probes and outcomes"
authp --node 127.0.0.7 --node 127.0.0.13
expect_first "auth: the policy holds on every node: OK" 0 \
	'^EAS AUTH OK - all 2 nodes OK: policy basic only holds: anonymous refused, basic accepted, '
authp --node 127.0.0.7 --node 127.0.0.2 --min-nodes 2
expect_first "auth --min-nodes 2 with one holding: CRITICAL" 2 \
	'^EAS AUTH CRITICAL - only 1 of 2 nodes work \(--min-nodes 2\): 127\.0\.0\.2 anonymous access accepted'
authp --node 127.0.0.7 --sequential
expect_first "auth: --sequential with nodes is refused" 3 \
	'^EAS AUTH UNKNOWN - --sequential runs the probes of one endpoint: give it without --node or --each-address'

# ---------------------------------------------------------------- the bearer token over nodes
# A second Apache: .2 and .7 take only the test authorization server's
# tokens (mod_oauth2), .11 takes any request, .12 refuses every one (401).
# A cached token revoked at the server: .2, .7 and .12 refuse it; ONE
# refresh for the run, then only those three asked again.
. "$T_LIB/oauth.sh"
if oauth_available && [[ -f ${HTTPD_MODDIR:-/usr/lib/apache2/modules}/mod_oauth2.so ]]; then
	t_setup_ok "the authorization server starts" oauth_start
	tok_vhost() { # ADDRS CASE OAUTH
		local a hosts=
		for a in $1; do hosts+=" $a:@PORT@"; done
		cat <<EOV
<VirtualHost$hosts>
    ServerName localhost
    SSLEngine on
    SSLCertificateFile "$PKI/srv-valid.pem"
    SSLCertificateKeyFile "$PKI/server.key"
    ScriptAlias /Microsoft-Server-ActiveSync "@RESPONDER@"
    SetEnv EAS_CASE $2
    CustomLog "@DIR@/nodes.log" "%A %m %U %>s"
    <Location />
        CGIPassAuth On
$([[ $3 == oauth ]] && printf '        AuthType oauth2\n@EXTRA@\n        Require valid-user\n')
    </Location>
</VirtualHost>
EOV
	}
	{
		printf 'LoadModule oauth2_module "%s/mod_oauth2.so"\n' "${HTTPD_MODDIR:-/usr/lib/apache2/modules}"
		printf 'Listen 127.0.0.%s:@PORT@\n' 2 7 11 12
		tok_vhost "127.0.0.2 127.0.0.7" ex-exchange oauth
		tok_vhost 127.0.0.11 ex-exchange open
		tok_vhost 127.0.0.12 ex-401 open
	} >"$T/tok.conf"
	t_setup_ok "Apache with mod_oauth2 on the nodes starts" oauth_httpd_start tok "$T/tok.conf"
	TP=$HTTPD_PORT
	TLOG=$T/tok/nodes.log
	C=$T/nodes-token.json
	TOKEN=(-H localhost -p "$TP" --ca-file "$PKI/ca.pem" --user monitor@example.com --oauth-token-url "$OAUTH_URL"
		--oauth-client-id check-eas --oauth-scope "openid offline_access" --oauth-token-cache "$C")
	t_setup_ok "cache seeded" oauth_cache_seed "$C"
	run check_eas_basic "${TOKEN[@]}" --node 127.0.0.2 --node 127.0.0.7 --node 127.0.0.11
	expect_first "basic with a bearer token on 3 nodes: OK" 0 \
		'^EAS BASIC OK - all 3 nodes OK: bearer token accepted for monitor@example\.com: ActiveSync 15\.1, protocol 16\.1 \|'
	t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$C"
	oauth_revoke_at "$(oauth_cache_get "$C" access_token)"
	calls=$(oauth_calls)
	: >"$TLOG"
	run check_eas_basic "${TOKEN[@]}" --node 127.0.0.2 --node 127.0.0.7 --node 127.0.0.11 --node 127.0.0.12 -v
	expect_first "basic, the cached token revoked: refreshed once, the node that refuses every token named" 1 \
		'^EAS BASIC WARNING - 1 of 4 nodes fails: 127\.0\.0\.12 bearer token for monitor@example\.com refused: on front end EX01, back end EX03: HTTP 401'
	t_is "$(($(oauth_calls) - calls))" 1 "one token endpoint call for the whole run, not one per refusing node"
	t_is "$(grep -c '^the server refused the cached bearer token sha256:[0-9a-f]\{12\} (HTTP 401): refreshing it once$' <<<"$OUT")" 1 \
		"-v: the refresh said once"
	t_is "$(seen 7 "$TLOG")" \
		"127.0.0.11 $M 200 127.0.0.12 $M 401 127.0.0.12 $M 401 127.0.0.2 $M 200 127.0.0.2 $M 401 127.0.0.7 $M 200 127.0.0.7 $M 401" \
		"the refusing nodes asked twice (the revoked token, then the new one), the accepting node once"
	expect_perf nodes_working '^3;;;0;4$' "nodes_working 3 of 4 after the retry"
	expect_perf token_time '^0\.[0-9]+s;;;0$' "token_time once: the refresh"
	t_is "$(grep -o "'token_time'" <<<"$LINE1" | wc -l)" 1 "token_time once in the perfdata"
	# check_eas_auth's bearer probes on each node: the same one refresh.
	t_setup_ok "refreshed behind the check's back again" oauth_direct_refresh "$C"
	oauth_revoke_at "$(oauth_cache_get "$C" access_token)"
	calls=$(oauth_calls)
	: >"$TLOG"
	run check_eas_auth "${TOKEN[@]}" --password-file "$T/pass" --policy bearer --node 127.0.0.2 --node 127.0.0.7 -v
	expect_first "auth policy bearer on 2 nodes, the cached token revoked: refreshed once, OK" 0 \
		'^EAS AUTH OK - all 2 nodes OK: policy bearer only holds: anonymous refused, basic refused, bearer accepted \|'
	t_is "$(($(oauth_calls) - calls))" 1 "auth: one token endpoint call for both nodes' bearer probes"
	t_is "$(seen 8 "$TLOG")" \
		"127.0.0.2 $M 200 127.0.0.2 $M 401 127.0.0.2 $M 401 127.0.0.2 $M 401 127.0.0.7 $M 200 127.0.0.7 $M 401 127.0.0.7 $M 401 127.0.0.7 $M 401" \
		"auth: on each node anonymous, basic and the revoked token refused, then only the bearer probe again"
else
	t_skip "the bearer token over nodes" "no node/t/oauth/node_modules or mod_oauth2 (contrib/setup.sh installs them)"
fi

# ---------------------------------------------------------------- IPv6
if [[ -n $V6 ]]; then
	reset_log
	opts --node ::1 --node 127.0.0.2 -v
	expect_first "options: ::1 as a node beside 127.0.0.2: OK" 0 \
		'^EAS OPTIONS OK - all 2 nodes OK: ActiveSync 15\.1 answers: protocol 16\.1 \(9 versions\), 24 commands \|'
	expect_perf node___1_time '^[0-9.]+s;;;0$' "perfdata label of ::1: node___1_time (':' as '_')"
	expect_out '^node ::1: OK - ActiveSync 15\.1 answers' "-v: the IPv6 node's block"
	expect_out '^::1: connected to ::1$' "-v: connected to ::1 itself"
	t_is "$(seen 2)" "127.0.0.2 $M 200 ::1 $M 200" "the server saw the request on ::1"
	basic --node ::1 --node 127.0.0.3 --output-format json
	t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]], j["summary"].startswith("1 of 2 nodes fails: 127.0.0.3 connection refused")')" \
		"([('::1', 'OK'), ('127.0.0.3', 'CRITICAL')], True)" \
		"basic JSON: the address \"::1\" as given"
else
	t_skip "IPv6 nodes" "no IPv6 loopback here (lo has IPv6 disabled or ::1 cannot be bound)"
fi

# ---------------------------------------------------------------- --each-address
PATH=$PATH:/usr/sbin
if command -v dnsmasq >/dev/null; then
	AD_DNS_HOSTS=()
	AD_DNS_EXTRA=(--host-record=localhost,127.0.0.2 --host-record=localhost,127.0.0.3
		--host-record=localhost,127.0.0.4 --host-record=localhost,127.0.0.5
		--host-record=two.test,127.0.0.1 --host-record=two.test,127.0.0.2
		--host-record=valid.check-eas.test,127.0.0.2,::1)
	ad_dns_start || t_bail "dnsmasq did not start"
	DNS=(--dns-server "127.0.0.1:$AD_DNS_PORT")
	reset_log
	opts --each-address "${DNS[@]}"
	expect_first "--each-address: the four A records of localhost checked as nodes" 1 \
		"^EAS OPTIONS WARNING - 2 of 4 nodes fail: 127\.0\.0\.3 $CUT.*, 127\.0\.0\.5 on front end EX01"
	expect_perf nodes_working '^2;;;0;4$' "--each-address: nodes_working 2 of 4"
	t_is "$(seen 3)" "$EACH" "--each-address: one request to each listening address"
	t_like "$(cat "$T/dnsmasq.log")" 'query\[A\] localhost from 127\.0\.0\.1' "the name was asked at --dns-server"
	basic --each-address "${DNS[@]}"
	expect_first "basic --each-address: the four A records of localhost, the failing ones named" 1 \
		"^EAS BASIC WARNING - 2 of 4 nodes fail: 127\.0\.0\.3 $CUT.*, 127\.0\.0\.5 .*on front end EX01"
	expect_perf nodes_working '^2;;;0;4$' "basic --each-address: nodes_working 2 of 4"
	cexp --each-address "${DNS[@]}" --min-nodes 3
	expect_first "certexpiry --each-address --min-nodes 3: CRITICAL" 2 \
		"^EAS CERTEXPIRY CRITICAL - only 2 of 4 nodes work \(--min-nodes 3\): 127\.0\.0\.3 $CUT, 127\.0\.0\.4 serves another certificate expiring [0-9-]{10} \|"
	if [[ -n $V6 ]]; then
		reset_log
		run check_eas_options -H valid.check-eas.test -p "$P" --ca-file "$PKI/ca.pem" --each-address "${DNS[@]}" --output-format json
		t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]], [p["label"] for p in j["perfdata"]]')" \
			"([('127.0.0.2', 'OK'), ('::1', 'OK')], ['node_127_0_0_2_time', 'node___1_time', 'nodes_working'])" \
			"--each-address over a name with an A and an AAAA record: both nodes, IPv4 first, ::1 as node___1_time"
		t_like "$(cat "$T/dnsmasq.log")" 'query\[AAAA\] valid\.check-eas\.test from 127\.0\.0\.1' "the AAAA record was asked"
		t_is "$(seen 2)" "127.0.0.2 $M 200 ::1 $M 200" "--each-address: the request reached ::1 itself"
	else
		t_skip "--each-address with an AAAA record" "no IPv6 loopback here (lo has IPv6 disabled or ::1 cannot be bound)"
	fi
	run check_eas_options -H nx.test -p "$P" --ca-file "$PKI/ca.pem" --each-address "${DNS[@]}"
	expect_first "--each-address for a name without address: CRITICAL with the DNS words" 2 \
		'^EAS OPTIONS CRITICAL - the DNS name nx\.test does not exist'
else
	t_skip "--each-address" "no dnsmasq (dnsmasq-base, see contrib/setup.sh)"
fi
run check_eas_options -H 127.0.0.1 -p "$P" --ca-file "$PKI/ca.pem" --each-address
expect_first "--each-address needs a name" 2 '^EAS OPTIONS CRITICAL - --each-address needs a host name, not the address 127\.0\.0\.1'

t_done
