#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_push: Direct Push, as a device holds it. Against Horde's
# ActiveSync (t/lib/horde-eas.sh, its heartbeat minimum lowered to 2 s so
# that a Ping held to its end takes seconds): the Ping held the whole
# heartbeat; nginx in front with a shorter proxy_read_timeout cuts it
# (CRITICAL naming when); the server's heartbeat limit; -t not above the
# heartbeat; two runs of one device at once. Against t/eas-syncd: every
# other Ping status (6, 7 then FolderSync and again, 7 twice, 8, 3, 4).
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
. "$(dirname "$0")/lib/syncd.sh"
. "$(dirname "$0")/lib/nginx-proxy.sh"
t_setup
t_pki
if missing_pkgs=$(horde_missing); then
	t_bail "Debian packages missing for the Horde test server: $missing_pkgs (see contrib/setup.sh)"
fi
horde_setup || t_bail "the Horde ActiveSync server did not start"
# Horde's own range is 60 to 2700 s: a test holds a Ping for seconds.
horde_config heartbeat_min 2
horde_config ping_wait 1
printf '%s\n' "$HORDE_PASSWORD" > "$T/pw"
chmod 600 "$T/pw"
TGT=(-H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost)
CRED=(--user "$HORDE_USER" --password-file "$T/pw")
push() { run check_eas_push "${TGT[@]}" "${CRED[@]}" "$@"; }
ALOG=$T/$HORDE_INSTANCE/access.log
cmds_since() {
	tail -n "+$(($1 + 1))" "$ALOG" | grep -o 'Cmd=[A-Za-z]*' | cut -d= -f2 | tr '\n' ' '
}

# --- the Ping held for the whole heartbeat
n0=$(wc -l <"$ALOG")
push --hold --heartbeat 4 -t 30 -v
expect_first "--hold: the Ping expires after the heartbeat: OK" 0 \
	'^EAS PUSH OK - Direct Push works: the Ping on the Inbox was held [45] s, until its heartbeat of 4 s expired \|'
expect_perf held '^(4|5)\.[0-9]+s;;;0$' "held perfdata: the heartbeat"
expect_perf ping_time '^(4|5)\.[0-9]+s;;;0$' "ping_time perfdata"
t_is "$(cmds_since "$n0")" "Provision Provision FolderSync Sync Sync Ping " \
	"the server's access log: set up as a device, the Inbox synced from key 0 to its end, then Ping"
expect_out '^Sync: Inbox in sync \(3 items\)$' "-v: the Inbox primed to its end (3 items)"
expect_out '^\[OK\] Ping: held [45]\.[0-9] s, until the heartbeat of 4 s expired \(status 1\)$' "-v: the Ping step"
t_ok "Horde's log: the Ping was held with the heartbeat asked (4 s)" \
	grep -q 'Actual heartbeat value in use is 4\.' "$HORDE_LOG"
t_is "$(horde_device_count "$HORDE_USER")" 1 "one device partnership"
run check_eas_sync "${TGT[@]}" "${CRED[@]}"
expect_first "check_eas_sync afterwards: OK" 0 '^EAS SYNC OK'
t_is "$(horde_device_count "$HORDE_USER")" 1 "the sync check is the same device: still one partnership"

push --heartbeat 3 --ping-folder calendar --ping-folder contacts -t 30
expect_first "--ping-folder calendar and contacts: OK" 0 \
	'^EAS PUSH OK - Direct Push works: the Ping on the Inbox and 2 more folders was held [234] s, until its heartbeat of 3 s expired'
push --heartbeat 3 --ping-folder nosuchfolder -t 30
expect_first "--ping-folder of a folder the mailbox lacks: CRITICAL" 2 \
	'^EAS PUSH CRITICAL - Ping: no folder nosuchfolder in the mailbox to watch'

# --- --trigger item: a second device adds a calendar item during the Ping
CAL=$HORDE_DIR/state/calendar.json
n0=$(wc -l <"$ALOG")
push --trigger item --heartbeat 20 -t 60 -v
expect_first "--trigger item: the Ping announces the new item: OK with the latency" 0 \
	'^EAS PUSH OK - Direct Push works: a new calendar item was announced by the Ping [0-9]+\.[0-9]{2} s after it was added, synced down after [0-9]+\.[0-9]{2} s \|'
expect_perf push_latency '^[0-9.]+s;;;0$' "push_latency perfdata"
expect_perf delivery_time '^[0-9.]+s;;;0$' "delivery_time perfdata"
expect_perf trigger_time '^[0-9.]+s;;;0$' "trigger_time perfdata (the second device's requests)"
lat=$(t_perf push_latency) held=$(t_perf held)
t_ok "the Ping was answered long before its heartbeat of 20 s (held $held)" \
	awk -v h="${held%%s*}" 'BEGIN { exit !(h > 0.9 && h < 10) }'
t_ok "push_latency ($lat) is far below the heartbeat: the change ended the Ping" \
	awk -v l="${lat%%s*}" 'BEGIN { exit !(l >= 0 && l < 5) }'
t_ok "push_latency ($lat) counts from the Add, sent a second into the Ping (held $held)" \
	awk -v l="${lat%%s*}" -v h="${held%%s*}" 'BEGIN { exit !(l + 0.99 <= h) }'
expect_out '^trigger: the second device, ID CT[0-9A-F]{30}$' "-v: the second device, an ID of its own"
expect_out '^trigger: the item added 1\.[0-9]{2} s into the Ping, announced [0-9.]+ s later$' \
	"-v: the item was added once the Ping had been held a second"
expect_out '^\[OK\] Ping: answered after [0-9.]+ s: Calendar changed$' "-v: status 2, the Calendar named"
expect_out '^trigger: the test item ev[0-9a-f]+ deleted$' "-v: the test item deleted afterwards"
got=($(cmds_since "$n0"))
t_is "${got[*]:0:12}" \
	"Provision Provision FolderSync Provision Provision FolderSync Sync Sync Sync Sync Sync Sync" \
	"the access log: the device set up, then the second device (Provision, FolderSync, the Calendar from key 0), then the Inbox and Calendar primed"
t_is "$(printf '%s\n' "${got[@]:12}" | sort | tr '\n' ' ')" "Ping Sync Sync Sync " \
	"then the Ping and the Add alongside it, the item synced down, deleted (logged as each ends)"
t_is "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$CAL")" 0 \
	"the backend's calendar store holds no test item afterwards"
t_is "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["deleted"]))' "$CAL")" 1 \
	"... and records the one deletion"
t_is "$(horde_device_count "$HORDE_USER")" 2 "two partnerships now: the monitoring device and the trigger device"
push --trigger item --heartbeat 20 -t 60 -w 0.00001
expect_first "-w on push_latency: WARNING, push slow" 1 '^EAS PUSH WARNING - Direct Push works: .*, push slow: [0-9.]+ s \|'
expect_perf push_latency '^[0-9.]+s;0\.00001;;0$' "push_latency carries -w"
# What an interrupted run left in the store: removed by its marker.
python3 - "$CAL" <<'PY'
import json, sys
cal = json.load(open(sys.argv[1]))
cal["items"] = cal["items"] or {}  # PHP writes an empty map as []
cal["modseq"] += 1
cal["items"]["evleftover1"] = {"subject": "check-eas push probe 1700000000-4242", "start": 1800000000, "mod": cal["modseq"]}
cal["items"]["evkeepme1"] = {"subject": "dentist", "start": 1800000000, "mod": cal["modseq"]}
json.dump(cal, open(sys.argv[1], "w"))
PY
push --trigger item --heartbeat 20 -t 60 -v
expect_first "a leftover of an interrupted run in the calendar: OK" 0 '^EAS PUSH OK - Direct Push works: a new calendar item'
expect_out '^trigger: removed 1 test item of earlier runs$' "-v: the leftover removed by its marker"
t_is "$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["items"])))' "$CAL")" "evkeepme1" \
	"the store: the leftover gone, the user's own item kept"
push --trigger item --hold --heartbeat 20 -t 60
expect_first "--hold with --trigger: UNKNOWN" 3 '^EAS PUSH UNKNOWN - --hold and --trigger exclude each other'

# --- the server's limits: status 5 names them
push --heartbeat 1 -t 30
expect_first "a heartbeat below the server's minimum: status 5 with its limit" 3 \
	'^EAS PUSH UNKNOWN - Ping status 5 \(HeartbeatOutOfRange\): the heartbeat is out of the server.s range: use one within it, its limit is 2 s, asked for 1 s \|'
horde_config heartbeat_max 5
push --heartbeat 8 -t 30
expect_first "a heartbeat above the server's maximum: status 5 with its limit" 3 \
	'^EAS PUSH UNKNOWN - Ping status 5 \(HeartbeatOutOfRange\): .*its limit is 5 s, asked for 8 s'
horde_config heartbeat_max 2700

# --- -t must be longer than the heartbeat
push --heartbeat 30
expect_first "-t (default 10) not above the heartbeat: UNKNOWN naming both" 3 \
	'^EAS PUSH UNKNOWN - -t 10 s is not longer than the heartbeat of 30 s, for which the Ping is held: give -t 50 or more'
push --heartbeat 20 -t 20
expect_first "-t equal to the heartbeat: UNKNOWN" 3 '^EAS PUSH UNKNOWN - -t 20 s is not longer than the heartbeat of 20 s'
push -t 100
expect_first "the default heartbeat is 480 s" 3 'heartbeat of 480 s'
push --heartbeat 0 -t 30
expect_first "--heartbeat 0 refused" 3 '^EAS PUSH UNKNOWN - .*heartbeat'

# --- a proxy whose idle timeout is shorter than the heartbeat
if ! nginx_missing > /dev/null; then
	nginx_proxy_start "$HORDE_PORT" 3 || t_bail "nginx did not start"
	NGPORT=$NGINX_PORT
	PTGT=(-H 127.0.0.1 -p "$NGPORT" --ca-file "$PKI/ca.pem" --sni localhost)
	run check_eas_push "${PTGT[@]}" "${CRED[@]}" --heartbeat 2 -t 30
	expect_first "through nginx (proxy_read_timeout 3 s), a heartbeat of 2 s: OK" 0 \
		'^EAS PUSH OK - Direct Push works: .*held [123] s, until its heartbeat of 2 s expired'
	run check_eas_push "${PTGT[@]}" "${CRED[@]}" --heartbeat 10 -t 30 -v
	expect_first "through nginx, a heartbeat of 10 s: the proxy cuts the Ping after 3 s: CRITICAL naming the time" 2 \
		'^EAS PUSH CRITICAL - Ping cut after 3 s: a proxy or load balancer between here and the server closes idle requests after 3 s, shorter than the heartbeat of 10 s \|'
	expect_perf held '^3\.[0-9]+s;;;0$' "held perfdata: when it was cut"
	expect_out '^Ping: ended by HTTP 504 Gateway Time-out instead of the Ping.s answer$' "-v: what ended it (nginx's 504)"
	t_ok "nginx's log: the upstream timed out" grep -q 'upstream timed out' "$NGINX_DIR/error.log"
else
	t_skip "the proxy cut" "nginx is not installed (Debian: nginx-light)"
fi

# --- two runs of one device at once take turns (the sync check's lock)
check_eas_push() { "$BUILDDIR/plugins/check_eas_push" "$@"; }
check_eas_push "${TGT[@]}" "${CRED[@]}" --heartbeat 3 -t 30 > "$T/a.out" 2>&1 &
pa=$!
sleep 0.3
check_eas_push "${TGT[@]}" "${CRED[@]}" --heartbeat 3 -t 30 -v > "$T/b.out" 2>&1
rb=$?
wait "$pa"
ra=$?
t_is "$ra $rb" "0 0" "two runs of one device at once: both OK"
t_ok "the first held its Ping for the whole heartbeat" \
	grep -q '^EAS PUSH OK - Direct Push works: .*until its heartbeat of 3 s expired' "$T/a.out"
t_ok "the second too" grep -q '^EAS PUSH OK - Direct Push works: .*until its heartbeat of 3 s expired' "$T/b.out"
t_ok "the second waited for the first (the device's lock)" \
	grep -Eq '^waited [0-9.]+ s for another run of this device' "$T/b.out"

# --- the wait costs no CPU: one --hold run against one check_eas_sync run
cpu() { # PLUGIN ARGS... - the CPU seconds (user + system) of one run
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (r.ru_utime + r.ru_stime))' "$BUILDDIR/plugins/$1" "${@:2}"
}
c_sync=$(cpu check_eas_sync "${TGT[@]}" "${CRED[@]}" --sync-folder inbox)
c_push=$(cpu check_eas_push "${TGT[@]}" "${CRED[@]}" --hold --heartbeat 8 -t 30)
t_ok "CPU of a --hold run with 8 s of Ping ($c_push s) is at most twice a sync run's ($c_sync s, 20 ms of slack)" \
	awk -v p="$c_push" -v s="$c_sync" 'BEGIN { exit !(p <= 2 * s + 0.02) }'

# --- the other Ping statuses, from t/eas-syncd
httpd_start main vhost-eas || t_bail "apache did not start"
printf 's3cret pass\n' > "$T/spw"
chmod 600 "$T/spw"
spush() { # CASE ARGS...
	local c=$1; shift
	syncd_reset
	run check_eas_push -U "$(syncd_url "$c")" --ca-file "$PKI/ca.pem" \
		--user user@example.com --password-file "$T/spw" "$@"
}
spush ok --heartbeat 2 -t 30
expect_first "eas-syncd (Exchange-like): OK" 0 '^EAS PUSH OK - Direct Push works: .*until its heartbeat of 2 s expired'
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" "OPTIONS Provision Provision FolderSync Sync Sync Ping " \
	"eas-syncd's log: the steps as a device sends them"
spush once7-ping --heartbeat 2 -t 30
expect_first "status 7 once: FolderSync again, Ping again: OK" 0 '^EAS PUSH OK - Direct Push works'
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" \
	"OPTIONS Provision Provision FolderSync Sync Sync Ping FolderSync Sync Sync Ping " \
	"status 7: FolderSync, the folder primed again, then the Ping again"
spush status-7-ping --heartbeat 2 -t 30
expect_first "status 7 twice: CRITICAL" 2 \
	'^EAS PUSH CRITICAL - Ping status 7 \(FolderSyncRequired\): the folder hierarchy changed since the last FolderSync'
spush status-8-ping --heartbeat 2 -t 30
expect_first "status 8: WARNING, a server error" 1 '^EAS PUSH WARNING - Ping status 8 \(ServerError\): .*failed while holding the Ping'
spush status-6-ping --heartbeat 2 -t 30
expect_first "status 6: too many folders, with the server's maximum" 3 \
	'^EAS PUSH UNKNOWN - Ping status 6 \(TooManyFolders\): the Ping watches more folders than the server allows: watch fewer, it watches at most 1, asked for 1'
spush status-5-ping --heartbeat 2 -t 30
expect_first "status 5 from an Exchange-like server: its limit" 3 'its limit is 60 s, asked for 2 s'
spush status-3-ping --heartbeat 2 -t 30
expect_first "status 3: missing parameters" 3 '^EAS PUSH UNKNOWN - Ping status 3 \(MissingParameters\)'
spush status-4-ping --heartbeat 2 -t 30
expect_first "status 4: syntax error" 3 '^EAS PUSH UNKNOWN - Ping status 4 \(SyntaxError\)'
spush http-503-ping --heartbeat 2 -t 30
expect_first "an HTTP 503 at once is no cut: CRITICAL with its meaning" 2 '^EAS PUSH CRITICAL - Ping: '
expect_no_str "a proxy or load balancer" "an answer at once is not called a proxy's cut"
t_done
