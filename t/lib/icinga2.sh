# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/icinga2.sh - a real Icinga 2 (Debian's icinga2) for the tests: its
# own instance on 127.0.0.1 with the shipped CheckCommands, driven through
# its REST API, and a Graphite listener that records what the Graphite
# writer sends. Source after test.sh; needs $T.
#
#   i2_graphite_start          the listener: sets I2_GRAPHITE_PORT; every line
#                              received goes to $I2_GRAPHITE_LOG
#   i2_start CONF OBJECTS      start icinga2 with the CheckCommands file CONF
#                              and the object file OBJECTS (hosts, services);
#                              PluginDir is $I2_PLUGINDIR. Sets I2_API_PORT;
#                              returns non-zero (after printing the log) if
#                              the API does not answer within 60 s.
#   i2_api METHOD PATH [JSON]  curl the API; the body goes to stdout
#   i2_check HOST SERVICE      force a check now (reschedule-check) and wait
#                              until its result is in: writes the service's
#                              attributes (JSON) to $T/i2/result.json
#   i2_stop                    stop the daemon (also done at exit by the
#                              test's cleanup: the pid is in T_PIDS)
#   i2_own_state DIR           I2_DEFINES: icinga2's state under DIR, for
#                              "icinga2 daemon -C" runs of other tests
#
# Everything lives in $T/i2: config, state, logs, the API certificate (a
# self-signed one for the node, as "icinga2 pki" would make) and the
# listener's log. The daemon runs as the user running the tests.

I2_DIR=
I2_API_PORT=
I2_PID=
I2_GRAPHITE_PORT=
I2_GRAPHITE_LOG=
I2_API_PASSWORD=check-eas-api-test
I2_NODE=check-eas-test.localdomain
I2_PLUGINDIR=${I2_PLUGINDIR:-$BUILDDIR/plugins}

_i2_dirs() {
	I2_DIR=$T/i2
	mkdir -p "$I2_DIR"/{etc,lib/certs,log,cache,spool,run} || return 1
}

i2_graphite_start() {
	local pf pid i
	_i2_dirs || return 1
	I2_GRAPHITE_LOG=$I2_DIR/graphite.log
	pf=$I2_DIR/graphite.port
	: >"$I2_GRAPHITE_LOG"
	python3 - "$pf" "$I2_GRAPHITE_LOG" <<'PY' >"$I2_DIR/graphite.err" 2>&1 &
import socketserver, sys
port_file, log = sys.argv[1], sys.argv[2]
class Lines(socketserver.StreamRequestHandler):
    def handle(self):
        open(log + ".connected", "a").close()
        for line in self.rfile:
            with open(log, "ab") as f:
                f.write(line)
class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
srv = Server(("127.0.0.1", 0), Lines)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
PY
	pid=$!
	T_PIDS+=("$pid")
	for ((i = 0; i < 200; i++)); do
		if [[ -s $pf ]]; then
			I2_GRAPHITE_PORT=$(<"$pf")
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "# graphite listener did not start: $(cat "$I2_DIR/graphite.err")"
	return 1
}

# The API listener's certificate: the node's own, self-signed, as its CA.
_i2_cert() {
	local certs=$I2_DIR/lib/certs
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$I2_NODE" \
		-keyout "$certs/$I2_NODE.key" -out "$certs/$I2_NODE.crt" 2>/dev/null &&
		cp "$certs/$I2_NODE.crt" "$certs/ca.crt"
}

# i2_own_state DIR - set I2_DEFINES to the -D options that keep every
# directory icinga2 reads or writes state in (data, API zones and packages,
# logs, cache, spool, run, state file, modified attributes) under DIR, never
# the machine's /var/lib/icinga2 (a system icinga2 may have left its own
# there); the configuration directory stays as it is.
i2_own_state() {
	local d=$1
	mkdir -p "$d"/{lib/certs,log,cache,spool,run} || return 1
	I2_DEFINES=(
		-DConfiguration.DataDir="$d/lib"
		-DConfiguration.LogDir="$d/log" -DConfiguration.CacheDir="$d/cache"
		-DConfiguration.SpoolDir="$d/spool" -DConfiguration.InitRunDir="$d/run"
		-DConfiguration.PidPath="$d/run/icinga2.pid"
		-DConfiguration.VarsPath="$d/cache/icinga2.vars"
		-DConfiguration.ObjectsPath="$d/cache/icinga2.debug"
		-DConfiguration.StatePath="$d/lib/icinga2.state"
		-DConfiguration.ModAttrPath="$d/lib/modified-attributes.conf"
		-DConfiguration.RunAsUser="$(id -un)" -DConfiguration.RunAsGroup="$(id -gn)"
	)
}

_i2_defines() {
	i2_own_state "$I2_DIR" && I2_DEFINES+=(-DConfiguration.ConfigDir="$I2_DIR/etc")
}

# Run a command as a child subreaper: forward SIGTERM/SIGINT to it, reap it
# and every orphan of it, exit with its status.
_I2_REAPER='
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
for s in (signal.SIGTERM, signal.SIGINT):
    signal.signal(s, lambda n, f: os.kill(pid, n))
rc = 0
while True:
    try:
        p, st = os.wait()
    except ChildProcessError:
        break
    if p == pid:
        rc = os.waitstatus_to_exitcode(st)
sys.exit(rc if rc >= 0 else 128 - rc)
'

# i2_start CONF OBJECTS
i2_start() {
	local conf=$1 objects=$2 i code
	_i2_dirs || return 1
	_i2_cert || { echo "# icinga2: cannot make the API certificate"; return 1; }
	_i2_defines || return 1
	I2_API_PORT=$(t_freeport) || return 1
	local graphite=
	[[ -n $I2_GRAPHITE_PORT ]] && graphite="object GraphiteWriter \"graphite\" {
	host = \"127.0.0.1\"
	port = $I2_GRAPHITE_PORT
	enable_send_thresholds = true
}"
	cat >"$I2_DIR/etc/icinga2.conf" <<EOF
const NodeName = "$I2_NODE"
const ZoneName = NodeName
const PluginDir = "$I2_PLUGINDIR"
include <itl>
include <plugins>
include "$conf"

object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $I2_API_PORT
}
object ApiUser "check-eas" {
	password = "$I2_API_PASSWORD"
	permissions = [ "*" ]
}
object CheckerComponent "checker" { }
object FileLogger "main-log" {
	severity = "information"
	path = "$I2_DIR/log/icinga2.log"
}
$graphite
include "$objects"
EOF
	# Under a subreaper: icinga2's process-spawn helper outlives the daemon
	# for a moment, and this machine's init is slow to reap orphans.
	python3 -c "$_I2_REAPER" icinga2 daemon -c "$I2_DIR/etc/icinga2.conf" "${I2_DEFINES[@]}" \
		</dev/null >"$I2_DIR/log/stdout.log" 2>&1 &
	I2_PID=$!
	T_PIDS+=("$I2_PID")
	for ((i = 0; i < 600; i++)); do
		kill -0 "$I2_PID" 2>/dev/null || break
		code=$(curl -s -o /dev/null -w '%{http_code}' -k -u "check-eas:$I2_API_PASSWORD" \
			-H 'Accept: application/json' "https://127.0.0.1:$I2_API_PORT/v1/status/IcingaApplication" 2>/dev/null)
		if [[ $code == 200 ]]; then
			# The Graphite writer drops what it cannot send: wait for it
			# to connect before any check runs.
			[[ -z $I2_GRAPHITE_PORT ]] && return 0
			[[ -e $I2_GRAPHITE_LOG.connected ]] && return 0
		fi
		sleep 0.1
	done
	echo "# icinga2 did not come up (API on 127.0.0.1:$I2_API_PORT):"
	tail -n 30 "$I2_DIR/log/stdout.log" | sed 's/^/#   /'
	i2_stop
	return 1
}

# i2_api METHOD PATH [JSON]
i2_api() {
	local method=$1 path=$2 data=${3:-}
	curl -sS -k -u "check-eas:$I2_API_PASSWORD" -H 'Accept: application/json' \
		-X "$method" ${data:+--data "$data"} "https://127.0.0.1:$I2_API_PORT$path"
}

# i2_check HOST SERVICE - force a check, wait (60 s) for its result
i2_check() {
	local host=$1 svc=$2 start i name
	name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$host!$svc")
	start=$(date +%s.%N)
	i2_api POST /v1/actions/reschedule-check \
		"{\"type\":\"Service\",\"filter\":\"host.name==\\\"$host\\\" && service.name==\\\"$svc\\\"\",\"force\":true}" \
		>"$T/i2/reschedule.json" || return 1
	for ((i = 0; i < 600; i++)); do
		i2_api GET "/v1/objects/services/$name?attrs=last_check_result&attrs=state&attrs=last_check" \
			>"$T/i2/result.json" 2>/dev/null
		if python3 - "$T/i2/result.json" "$start" <<'PY'; then return 0; fi
import json, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]["attrs"]["last_check_result"]
except Exception:
    sys.exit(1)
sys.exit(0 if r and r.get("execution_end", 0) >= float(sys.argv[2]) else 1)
PY
		sleep 0.1
	done
	echo "# no check result for $host!$svc within 60 s"
	return 1
}

i2_stop() {
	local i
	[[ -n $I2_PID ]] || return 0
	kill -TERM "$I2_PID" 2>/dev/null
	for ((i = 0; i < 300; i++)); do
		kill -0 "$I2_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$I2_PID" 2>/dev/null
	wait "$I2_PID" 2>/dev/null
	I2_PID=
}
