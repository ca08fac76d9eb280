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
	local mode=$1 var=${2:-HOSTILE_PORT}
	local -a tls=()
	[[ $mode == tls-* ]] && tls=("$PKI/server.pem" "$PKI/server.key" "$PKI/ca.pem" "$PKI/ca.key")
	t_start_server hostile-server "$mode" "$var" "${tls[@]}"
}
