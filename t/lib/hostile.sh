# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/hostile.sh - start t/hostile-server (source after test.sh).
#
#   t_hostile MODE [VAR]   start "hostile-server MODE" (TLS modes get the
#                          test PKI's server certificate and key, and its
#                          CA to sign the odd certificates with), wait
#                          for its port, set VAR (default HOSTILE_PORT)
#
# The server and the children it forks for each connection end with the
# script (see t/hostile-server.c for the modes).

t_hostile() {
	local mode=$1 var=${2:-HOSTILE_PORT} pf="$T/hostile-$1.$RANDOM.port" pid i
	local -a tls=()
	[[ $mode == tls-* ]] && tls=("$PKI/server.pem" "$PKI/server.key" "$PKI/ca.pem" "$PKI/ca.key")
	"$BUILDDIR/t/hostile-server" "$mode" "$pf" "${tls[@]}" </dev/null >/dev/null 2>"$pf.err" &
	pid=$!
	T_PIDS+=("$pid")
	for ((i = 0; i < 200; i++)); do
		if [[ -s $pf ]]; then
			printf -v "$var" '%s' "$(<"$pf")"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "# hostile-server $mode did not start: $(cat "$pf.err" 2>/dev/null)"
	return 1
}
