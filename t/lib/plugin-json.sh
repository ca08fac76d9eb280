# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/plugin-json.sh - plugin_json DIR: each plugin's real JSON output
# (--output-format=json) as DIR/<plugin>.json, for the checks that the
# contrib definitions (Zabbix JSONPaths, Checkmk translations) name only
# perfdata labels the plugins emit. Source after test.sh and
# auth-servers.sh; call after auth_setup. No DNS leaves the machine:
# Autodiscover asks a dead --dns-server.
plugin_json() {
	local dir=$1 dead
	mkdir -p "$dir"
	_pj() {
		local name=$1
		shift
		run "$@" --output-format=json
		printf '%s\n' "$OUT" >"$dir/$name.json"
		t_setup_check t_ok "$name: the plugin's JSON parses" /usr/bin/python3 -m json.tool "$dir/$name.json"
	}
	at "$PORT13" open
	_pj options check_eas_options "${TGT[@]}"
	at "$PORT13" basic
	_pj basic check_eas_basic "${TGT[@]}" "${BASIC[@]}"
	_pj auth check_eas_auth "${TGT[@]}" "${BASIC[@]}" --policy basic
	at "$PORT13" cert
	_pj cert check_eas_cert "${TGT[@]}" "${PEM[@]}"
	# the server's chain: several certificates, so days_min too
	_pj certexpiry check_eas_certexpiry -H localhost -p "$PORT13" --ca-file "$PKI/ca.pem"
	dead=$(t_freeport)
	_pj sync check_eas_sync -H 127.0.0.1 -p "$dead" "${BASIC[@]}"
	_pj autodiscover check_eas_autodiscover --address user@example.invalid \
		--resolve "autodiscover.example.invalid:443:127.0.0.1" \
		--resolve "example.invalid:443:127.0.0.1" --dns-server "127.0.0.1:$dead" -t 5
}
