#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_sync on every node (--node, --each-address, --min-nodes): the
# one device's whole run on each node, one node after another, against
# the Horde ActiveSync server (t/lib/horde-eas.sh) answering on several
# loopback addresses as the front ends of "localhost": 127.0.0.1, .2 and
# .3 run Horde (one mailbox, one state database: the device's keys are
# shared as Exchange shares them between front ends), .4 refuses (nothing
# listens there), .5 has a failing back end (Exchange's 503 with
# X-FailureContext), .6 never answers (a CGI that sleeps). Asserted: exit
# codes, exact first lines, per-node perfdata, -v and JSON, that every
# step of a node's run went to that node and the nodes ran one after
# another, that the device's sync state stays valid from node to node and
# run to run (one partnership), and that a hanging node gets only its
# share of -t.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup
t_pki
if missing_pkgs=$(horde_missing); then
	t_bail "Debian packages missing for the Horde test server: $missing_pkgs (see contrib/setup.sh)"
fi
mkdir -p "$T/bin"
printf '#!/bin/sh\nsleep 30\n' >"$T/bin/hang.cgi"
chmod 755 "$T/bin" "$T/bin/hang.cgi"
# t/lib/vhost-horde.conf on three addresses, a log naming the address of
# each request, and the odd nodes beside it.
cat >"$T/horde-nodes.conf" <<'EOC'
Listen 127.0.0.2:@PORT@
Listen 127.0.0.3:@PORT@
Listen 127.0.0.5:@PORT@
Listen 127.0.0.6:@PORT@
<VirtualHost 127.0.0.1:@PORT@ 127.0.0.2:@PORT@ 127.0.0.3:@PORT@>
    ServerName localhost
    SSLEngine on
    SSLProtocol -all +TLSv1.2 +TLSv1.3
    SSLCertificateFile "@CERT@"
    SSLCertificateKeyFile "@KEY@"
    ScriptAlias /Microsoft-Server-ActiveSync "@T@/bin/horde-eas.cgi"
    <Location />
        CGIPassAuth On
    </Location>
    CustomLog "@DIR@/nodes.log" "%A %m %U%q %>s"
</VirtualHost>
<VirtualHost 127.0.0.5:@PORT@>
    ServerName localhost
    SSLEngine on
    SSLCertificateFile "@CERT@"
    SSLCertificateKeyFile "@KEY@"
    ScriptAlias /Microsoft-Server-ActiveSync "@RESPONDER@"
    SetEnv EAS_CASE ex-503-backend
    CustomLog "@DIR@/nodes.log" "%A %m %U%q %>s"
</VirtualHost>
<VirtualHost 127.0.0.6:@PORT@>
    ServerName localhost
    SSLEngine on
    SSLCertificateFile "@CERT@"
    SSLCertificateKeyFile "@KEY@"
    ScriptAlias /Microsoft-Server-ActiveSync "@T@/bin/hang.cgi"
</VirtualHost>
EOC
HORDE_VHOST=$T/horde-nodes.conf horde_setup || t_bail "the Horde ActiveSync server did not start"
printf '%s\n' "$HORDE_PASSWORD" >"$T/pw"
chmod 600 "$T/pw"
P=$HORDE_PORT
# Horde takes up to 0.5 s a request on a busy machine, and a node's run
# is five to eight requests, the nodes one after another: -t 40 unless
# TMO says otherwise.
sync() { run check_eas_sync -H localhost -p "$P" --ca-file "$PKI/ca.pem" --user "$HORDE_USER" --password-file "$T/pw" -t "${TMO:-40}" "$@"; }
json() { python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$OUT" "$1" 2>&1; }
NLOG=$T/$HORDE_INSTANCE/nodes.log
reset_log() { : >"$NLOG"; }
# by_node - the node log as "ADDRESS:Cmd ..." in the order served
by_node() { sed -E 's/^([0-9.]+) [A-Z]+ .*Cmd=([A-Za-z]+).*/\1:\2/; s/^([0-9.]+) OPTIONS .*/\1:OPTIONS/' "$NLOG" | awk '{ printf "%s%s", sep, $1; sep = " " }'; }
OK3='mailbox user@example\.com syncs over ActiveSync 16\.0: policy acknowledged, 6 folders'
THREE=(--node 127.0.0.1 --node 127.0.0.2 --node 127.0.0.3)
CUT='OPTIONS: connection refused'

# ---------------------------------------------------------------- every node OK
reset_log
sync "${THREE[@]}"
expect_first "three nodes: OK, the run's words" 0 "^EAS SYNC OK - all 3 nodes OK: $OK3 \\|"
for a in 1 2 3; do
	expect_perf "node_127_0_0_${a}_time" '^[0-9.]+s;;;0$' "perfdata node_127_0_0_${a}_time: the node's whole run"
done
expect_perf nodes_working '^3;;;0;3$' "nodes_working 3 of 3"
expect_perf lock_wait '^[0-9.]+s;;;0$' "lock_wait: the lock taken once"
t_is "$(t_perf foldersync_time)" "" "no per-step perfdata in node mode (node_..._time is the run's)"
steps() { echo "127.0.0.$1:OPTIONS 127.0.0.$1:Provision 127.0.0.$1:Provision 127.0.0.$1:FolderSync 127.0.0.$1:Settings"; }
t_is "$(by_node)" "$(steps 1) $(steps 2) $(steps 3)" \
	"every step of a node's run went to that node, the nodes one after another"
t_is "$(horde_device_count "$HORDE_USER")" 1 "one device partnership for all nodes"

reset_log
sync "${THREE[@]}" --sync-folder inbox -v
expect_first "again, with Sync on every node: the device's keys stay valid from node to node" 0 \
	"^EAS SYNC OK - all 3 nodes OK: $OK3, Inbox: 1 item synced, [0-9]+ to sync \\|"
expect_no_out 'invalid|Status (3|12)\b' "no invalid sync or policy key on any node"
expect_out '^node 127\.0\.0\.2: OK - '"$OK3"', Inbox: 1 item synced' "-v: a block per node, its verdict"
expect_out '^  OPTIONS: connected to 127\.0\.0\.2$' "-v: the node's OPTIONS connected to that node"
expect_out '^  Sync: connected to 127\.0\.0\.3 \(connection reused\)$' "-v: one connection per node, reused for its Sync"
expect_out '^  \[OK\] FolderSync: 6 folders, Inbox present$' "-v: the node's steps"
expect_no_out '^127\.0\.0\.[123]: ' "-v: no probe lines of a request of its own for a node"
t_is "$(grep -c 'Cmd=Sync' "$NLOG")" 6 "Sync(0) and Sync on each of the three nodes"
sync
expect_first "the next single run (no --node) after the nodes: OK" 0 "^EAS SYNC OK - $OK3 \\|"
t_is "$(horde_device_count "$HORDE_USER")" 1 "still one device partnership"

sync "${THREE[@]}" --output-format json
t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]], j["state"], j["url"]')" \
	"([('127.0.0.1', 'OK'), ('127.0.0.2', 'OK'), ('127.0.0.3', 'OK')], 'OK', 'https://localhost:$P/Microsoft-Server-ActiveSync')" \
	"JSON nodes: address and state of each, in the order given; the URL"
t_is "$(json 'all(n["time"] > 0 for n in j["nodes"]), j["nodes"][1]["protocol_version"], j["nodes"][1]["mailbox"]')" \
	"(True, '16.0', 'user@example.com')" "JSON nodes[]: each node's time and its run's findings"

# ---------------------------------------------------------------- failing nodes
reset_log
sync --node 127.0.0.1 --node 127.0.0.5 --node 127.0.0.2 -v
expect_first "a node with a failing back end: WARNING naming it first" 1 \
	'^EAS SYNC WARNING - 1 of 3 nodes fails: 127\.0\.0\.5 OPTIONS: on front end EX01, back end EX03: HTTP 503'
expect_perf nodes_working '^2;;;0;3$' "nodes_working 2 of 3"
expect_perf node_127_0_0_5_time '^[0-9.]+s;;;0$' "the failing node answered: its time"
expect_out '^node 127\.0\.0\.5: CRITICAL - OPTIONS: on front end EX01, back end EX03: HTTP 503' "-v: the failing node's verdict"
t_is "$(by_node)" "$(steps 1) 127.0.0.5:OPTIONS $(steps 2)" "the failing node stopped at OPTIONS, the next node ran whole"
sync --node 127.0.0.1 --node 127.0.0.5 --output-format json
t_is "$(json '[(n["address"], n["state"]) for n in j["nodes"]], j["state"], j["nodes"][1]["served_by"]["OPTIONS"]["front_end"], j["nodes"][1]["served_by"]["OPTIONS"]["failing_part"]')" \
	"([('127.0.0.1', 'OK'), ('127.0.0.5', 'CRITICAL')], 'WARNING', 'EX01', 'back_end')" \
	"JSON: the failing node, who served its OPTIONS and the failing part"
sync --node 127.0.0.1 --node 127.0.0.5 --node 127.0.0.2 --min-nodes 3
expect_first "--min-nodes 3 with 2 working: CRITICAL" 2 \
	'^EAS SYNC CRITICAL - only 2 of 3 nodes work \(--min-nodes 3\): 127\.0\.0\.5 OPTIONS: on front end EX01'
sync --node 127.0.0.4 --node 127.0.0.5
expect_first "every node failing: CRITICAL, each named" 2 \
	"^EAS SYNC CRITICAL - 2 of 2 nodes fail: 127\\.0\\.0\\.4 $CUT, 127\\.0\\.0\\.5 OPTIONS: on front end EX01"
t_is "$(t_perf node_127_0_0_4_time >/dev/null 2>&1 && echo yes || echo no)" yes \
	"the refusing node: its run's time (a run that stopped at once)"

# ---------------------------------------------------------------- -t shared
t0=$(date +%s.%N)
TMO=9 sync --node 127.0.0.6 --node 127.0.0.1 --node 127.0.0.2
t1=$(date +%s.%N)
expect_first "a node that never answers gets its share of -t, the others run" 1 \
	'^EAS SYNC WARNING - 1 of 3 nodes fails: 127\.0\.0\.6 OPTIONS: no answer within (2\.9|3)s: hung waiting for the OPTIONS response'
expect_perf nodes_working '^2;;;0;3$' "... the two others work"
t_ok "... and all within -t 9 ($(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')s)" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 9) }'

# The wall time of the nodes one after another against one node (for the
# record, not asserted: it depends on the machine's load).
# wall ARGS - the fastest of three runs, in ms
wall() {
	local i t0 t1 best=
	for i in 1 2 3; do
		t0=$(date +%s%N)
		sync "$@" >/dev/null
		t1=$(date +%s%N)
		((best == 0 || (t1 - t0) / 1000000 < best)) && best=$(((t1 - t0) / 1000000))
	done
	echo "$best"
}
w1=$(wall --node 127.0.0.1) w3=$(wall "${THREE[@]}") ws=$(wall)
echo "# wall time (fastest of 3): a single run ${ws} ms, one node ${w1} ms, three nodes ${w3} ms"

# ---------------------------------------------------------------- refused
sync --node 127.0.0.2 -I 127.0.0.1
expect_first "--node with -I: UNKNOWN" 3 '^EAS SYNC UNKNOWN - -I names one address to connect to: give it as --node instead'
sync --min-nodes 2
expect_first "--min-nodes alone: UNKNOWN" 3 '^EAS SYNC UNKNOWN - --min-nodes needs --node ADDRESS or --each-address'

# ---------------------------------------------------------------- --each-address
PATH=$PATH:/usr/sbin
if command -v dnsmasq >/dev/null; then
	AD_DNS_HOSTS=()
	AD_DNS_EXTRA=(--host-record=localhost,127.0.0.1 --host-record=localhost,127.0.0.2
		--host-record=localhost,127.0.0.3 --host-record=localhost,127.0.0.5)
	ad_dns_start || t_bail "dnsmasq did not start"
	reset_log
	sync --each-address --dns-server "127.0.0.1:$AD_DNS_PORT"
	expect_first "--each-address: the four A records of localhost as nodes, the failing one named" 1 \
		'^EAS SYNC WARNING - 1 of 4 nodes fails: 127\.0\.0\.5 OPTIONS: on front end EX01'
	expect_perf nodes_working '^3;;;0;4$' "--each-address: nodes_working 3 of 4"
	t_is "$(by_node)" "$(steps 1) $(steps 2) $(steps 3) 127.0.0.5:OPTIONS" "--each-address: every address in order, one after another"
	t_like "$(cat "$T/dnsmasq.log")" 'query\[A\] localhost from 127\.0\.0\.1' "the name was asked at --dns-server"
	run check_eas_sync -H nx.test -p "$P" --ca-file "$PKI/ca.pem" --user "$HORDE_USER" --password-file "$T/pw" \
		--each-address --dns-server "127.0.0.1:$AD_DNS_PORT"
	expect_first "--each-address for a name without address: CRITICAL with the DNS words" 2 \
		'^EAS SYNC CRITICAL - the DNS name nx\.test does not exist'
else
	t_skip "--each-address" "no dnsmasq (dnsmasq-base, see contrib/setup.sh)"
fi
t_is "$(horde_device_count "$HORDE_USER")" 1 "one device partnership after every node run"

t_done
