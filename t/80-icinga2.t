#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A real Icinga 2 (Debian's icinga2) runs the shipped CheckCommands
# (contrib/icinga2/check-eas.conf, or the installed file given in
# I2_COMMANDS) against the test Apache: a host whose name does not resolve
# (exch01.invalid) with address 127.0.0.1, a service per plugin the build
# makes (plugin_PROGRAMS). Each check is forced through the REST API
# (reschedule-check) and its result read back: exit status, output, the
# performance data; the Graphite writer sends to a listener of the test,
# which must receive every metric's value and its warn/crit thresholds.
# Autodiscover (t/lib/autodiscover.sh, its Apache only, no DNS server): the
# eas_autodiscover service maps the test names to 127.0.0.1 with its own
# eas_autodiscover_connect_to and _resolve, and the host's eas_ca_file and
# eas_port (meant for its EAS server) must not reach it; eas_basic with
# eas_autodiscover_for does it with eas_connect_to and eas_resolve.
#
# Icinga 2 (2.13, Debian 12) keeps only plain numbers as perfdata
# thresholds: a range such as "30:" would be dropped. So the expiry metrics
# carry their boundaries as plain numbers (30;14), and every threshold the
# plugins write by default reaches Graphite; an operator's own range (e.g.
# -w @0:30) is still dropped, asserted below as it is.
#
# Push and the mail loop (t/lib/horde-eas.sh, t/lib/mailchain.sh: Horde's
# ActiveSync over a private Dovecot fed by a private Postfix, when their
# packages are there): eas_push with eas_push_hold and a heartbeat of 2 s
# held to its end; eas_mailloop run twice, the second run collecting what
# the first sent, through the command's --state-dir, --lost-after, -w, -c.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/plugins.sh"
. "$(dirname "$0")/lib/icinga2.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
. "$(dirname "$0")/lib/mailchain.sh"
t_setup

if ! command -v icinga2 >/dev/null; then
	if [[ -n ${CI:-} || $(id -u) == 0 ]]; then
		t_bail "icinga2 is not installed (bash contrib/setup.sh installs it)"
	fi
	t_skip "Icinga 2 runs the shipped CheckCommands" "icinga2 is not installed and not root (CI installs it)"
	t_done
fi

t_pki
auth_setup || t_bail "apache did not start"
ad_httpd_start || t_bail "the Autodiscover apache did not start"
HORDE_OK=
if missing_pkgs=$( (horde_missing; mailchain_missing) | tr '\n' ' '); [[ -n ${missing_pkgs// /} ]]; then
	HORDE_SKIP="Debian packages missing for Horde and the mail chain: $missing_pkgs"
else
	horde_setup || t_bail "the Horde ActiveSync server did not start"
	mailchain_setup "$HORDE_USER" "$HORDE_PASSWORD" || t_bail "the mail chain (Postfix, Dovecot) did not start"
	horde_config mail_imap_port "$MC_IMAP_PORT"
	horde_config mail_smtp_port "$MC_SMTP_PORT"
	horde_config heartbeat_min 2 # Horde's range is 60 to 2700 s
	horde_config ping_wait 1
	printf '%s\n' "$HORDE_PASSWORD" >"$T/hordepw" && chmod 600 "$T/hordepw"
	mkdir -m 700 "$T/eas-state"
	HORDE_OK=1
fi
# i2_array --opt A --opt B ... -> "A", "B" (an Icinga 2 array's items)
i2_array() {
	local a out=
	for a in "$@"; do
		[[ $a == --* ]] || out+="\"$a\", "
	done
	printf '%s' "${out%, }"
}
COMMANDS=${I2_COMMANDS:-$SRCDIR/contrib/icinga2/check-eas.conf}
HOST=exch01.invalid
GHOST=${HOST//./_}
plugins=$(eas_plugins)
[[ -n $plugins ]] || t_bail "no plugins in plugin_PROGRAMS"

# --- the objects: one host, a service per plugin (name = command name)
printf '%s\n' "$PASSWORD" >"$T/pass" && chmod 600 "$T/pass"
printf '%s\n' "$AD_PASSWORD" >"$T/adpw" && chmod 600 "$T/adpw"
{
	cat <<EOF
object Host "$HOST" {
	check_command = "dummy"
	address = "127.0.0.1"
	/* Host-wide values for its EAS server: every eas-test service sets
	 * its own; eas_autodiscover has variables of its own and must not
	 * take these (no -p, not this CA file). */
	vars.eas_ca_file = "$T/host-eas-ca.pem"
	vars.eas_port = 1
	check_interval = 1h
	enable_active_checks = false
}
template Service "eas-test" {
	host_name = "$HOST"
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.eas_port = $PORT13
	vars.eas_ca_file = "$PKI/ca.pem"
	vars.eas_hostname = "localhost"	/* verified name; connects to the host's address */
}
/* eas_autodiscover: its own variables only */
template Service "eas-ad-own" {
	host_name = "$HOST"
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.eas_autodiscover_ca_file = "$PKI/ca.pem"
	vars.eas_autodiscover_connect_to = [ $(i2_array "${AD_CONNECT_TO[@]}") ]
	vars.eas_autodiscover_resolve = [ $(i2_array "${AD_RESOLVE[@]}") ]
	vars.eas_autodiscover_timeout = 20
}
/* eas_basic with eas_autodiscover_for: the test names to the Autodiscover
 * apache on 127.0.0.1 */
template Service "eas-ad-test" {
	host_name = "$HOST"
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.eas_ca_file = "$PKI/ca.pem"
	vars.eas_connect_to = [ $(i2_array "${AD_CONNECT_TO[@]}") ]
	vars.eas_resolve = [ $(i2_array "${AD_RESOLVE[@]}") ]
}
EOF
	for p in $plugins; do
		cmd=${p#check_}
		tmpl=eas-test
		[[ $cmd == eas_autodiscover ]] && tmpl=eas-ad-own
		echo "object Service \"$cmd\" {"
		echo "	import \"$tmpl\""
		echo "	check_command = \"$cmd\""
		case $cmd in
		eas_options)
			echo "	vars.eas_url_path = \"/open$EAS\""
			echo "	vars.eas_options_time_warning = 5"
			echo "	vars.eas_options_time_critical = 10"
			echo "	vars.eas_options_require_version = [ \"14.1\", \"16.1\" ]"
			;;
		eas_basic)
			echo "	vars.eas_url_path = \"/basic$EAS\""
			echo "	vars.eas_user = \"user@example.com\""
			echo "	vars.eas_password = \"$PASSWORD\"	/* through env.EAS_PASSWORD */"
			echo "	vars.eas_basic_time_warning = 5"
			echo "	vars.eas_basic_time_critical = 10"
			;;
		eas_cert)
			echo "	vars.eas_url_path = \"/cert$EAS\""
			echo "	vars.eas_cert = \"$PKI/client.p12\""
			echo "	vars.eas_cert_password_file = \"$PKI/client.p12.pass\""
			echo "	vars.eas_cert_time_warning = 5"
			echo "	vars.eas_cert_time_critical = 10"
			echo "	vars.eas_cert_days_warning = 30"
			echo "	vars.eas_cert_days_critical = 14"
			;;
		eas_auth)
			echo "	vars.eas_url_path = \"/cert$EAS\""
			echo "	vars.eas_auth_policy = \"cert\""
			echo "	vars.eas_cert = \"$PKI/client.p12\""
			echo "	vars.eas_cert_password_file = \"$PKI/client.p12.pass\""
			echo "	vars.eas_user = \"user@example.com\""
			echo "	vars.eas_password_file = \"$T/pass\""
			echo "	vars.eas_auth_time_warning = 5"
			echo "	vars.eas_auth_time_critical = 10"
			;;
		eas_certexpiry)
			echo "	vars.eas_certexpiry_days_warning = 30"
			echo "	vars.eas_certexpiry_days_critical = 14"
			;;
		eas_autodiscover)
			echo "	vars.eas_autodiscover_address = \"$AD_USER\""
			echo "	vars.eas_autodiscover_expect_url = \"$AD_EAS_URL\""
			echo "	vars.eas_autodiscover_candidate_timeout = 5"
			echo "	vars.eas_autodiscover_time_warning = 5"
			echo "	vars.eas_autodiscover_time_critical = 10"
			echo "	vars.eas_hostname = \"localhost\"	/* not passed: no -H */"
			echo "	vars.eas_sni = \"localhost\"	/* nor --sni */"
			;;
		*)	# a plugin this test does not know yet: the anonymous path
			echo "	vars.eas_url_path = \"/open$EAS\""
			;;
		esac
		echo "}"
	done
	# The host's name as the server name, the certificate's name as SNI.
	cat <<EOF
object Service "eas_options_sni" {
	import "eas-test"
	check_command = "eas_options"
	vars.eas_hostname = "\$host.name\$"
	vars.eas_sni = "localhost"
	vars.eas_url_path = "/open$EAS"
}
object Service "eas_basic_nopassword" {
	import "eas-test"
	check_command = "eas_basic"
	vars.eas_url_path = "/basic$EAS"
	vars.eas_user = "user@example.com"
}
object Service "eas_basic_autodiscover" {
	import "eas-ad-test"
	check_command = "eas_basic"
	vars.eas_autodiscover_for = "$AD_USER"	/* instead of -H, -I and --sni */
	vars.eas_sni = "localhost"
	vars.eas_user = "$AD_USER"
	vars.eas_password_file = "$T/adpw"
}
/* Every command that authenticates takes the token (eas-bearer-token),
 * the cache path per host as services-example.conf shows it. */
apply Service "bearer_" for (cmd in [ "eas_options", "eas_basic", "eas_cert", "eas_auth", "eas_sync", "eas_autodiscover" ]) {
	check_command = cmd
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.eas_port = $PORT13
	vars.eas_ca_file = "$PKI/ca.pem"
	vars.eas_hostname = "localhost"
	vars.eas_url_path = "/open$EAS"
	vars.eas_oauth_token_cache = "$T/tokens/" + host.name + ".json"
	vars.eas_oauth_client_id = "check-eas"
	vars.eas_oauth_token_url = "https://127.0.0.1:1/token"
	vars.eas_oauth_scope = "openid offline_access"
	vars.eas_auth_policy = "bearer"
	vars.eas_cert_with_bearer = true
	vars.eas_autodiscover_address = "$AD_USER"
	assign where host.name == "$HOST"
}
/* Every node behind the name (eas-nodes): -I left out, each --node */
object Service "eas_options_nodes" {
	import "eas-test"
	check_command = "eas_options"
	vars.eas_url_path = "/open$EAS"
	vars.eas_node = [ "127.0.0.1", "127.0.0.3" ]
}
object Service "eas_auth_nodes" {
	import "eas-test"
	check_command = "eas_auth"
	vars.eas_url_path = "/basic$EAS"
	vars.eas_auth_policy = "basic"
	vars.eas_user = "user@example.com"
	vars.eas_password_file = "$T/pass"
	vars.eas_node = [ "127.0.0.1", "127.0.0.3" ]
	vars.eas_min_nodes = 2
}
object Service "eas_certexpiry_nodes" {
	import "eas-test"
	check_command = "eas_certexpiry"
	vars.eas_node = [ "127.0.0.1", "127.0.0.3" ]
	vars.eas_min_nodes = 2
}
object Service "eas_options_resolve" {
	import "eas-test"
	check_command = "eas_options"
	vars.eas_hostname = "\$host.name\$"
	vars.eas_address = ""		/* resolve the host name instead */
	vars.eas_timeout = 5
}
EOF
	[[ -n $HORDE_OK ]] && cat <<EOF
/* Horde's ActiveSync: the monitoring device's checks, one state directory */
template Service "eas-horde" {
	host_name = "$HOST"
	enable_active_checks = false	/* only the forced checks: the mail loop counts its runs */
	check_interval = 1h
	retry_interval = 1h
	max_check_attempts = 1
	vars.eas_port = $HORDE_PORT
	vars.eas_ca_file = "$PKI/ca.pem"
	vars.eas_hostname = "localhost"
	vars.eas_user = "$HORDE_USER"
	vars.eas_password_file = "$T/hordepw"
	vars.eas_state_dir = "$T/eas-state"
}
object Service "eas_push_hold" {
	import "eas-horde"
	check_command = "eas_push"
	vars.eas_push_hold = true
	vars.eas_push_heartbeat = 2
	vars.eas_timeout = 20
}
object Service "eas_mailloop_horde" {
	import "eas-horde"
	check_command = "eas_mailloop"
	vars.eas_mailloop_lost_after = 600
	vars.eas_mailloop_roundtrip_warning = 30
	vars.eas_mailloop_roundtrip_critical = 60
}
EOF
} >"$T/objects.conf"

i2_graphite_start || t_bail "graphite listener did not start"
i2_start "$COMMANDS" "$T/objects.conf" || t_bail "icinga2 did not start"
t_setup_check t_pass "icinga2 $(icinga2 --version | sed -n 's/.*(version: \(.*\))/\1/p') runs $COMMANDS (API on 127.0.0.1:$I2_API_PORT)"

# result.json -> "key<TAB>value" lines: exit, output (first line), command
# line, and per perfdata item: label, value, warn, crit as the plugin wrote
# them, and whether Icinga parsed the item at all.
facts() {
	python3 - "$T/i2/result.json" <<'PY'
import json, re, sys
a = json.load(open(sys.argv[1]))["results"][0]["attrs"]
r = a["last_check_result"]
print("exit\t%d" % int(r["exit_status"]))
print("output\t%s" % (r["output"] or "").split("\n")[0])
print("command\t%s" % " ".join(r.get("command") or []))
for item in r.get("performance_data") or []:
    if isinstance(item, dict):
        print("perf\t%s\t%s\t%s\t%s" % (item.get("label"), item.get("value"), item.get("warn"), item.get("crit")))
        continue
    m = re.match(r"^'?(.*?)'?=([^;]*)(?:;([^;]*))?(?:;([^;]*))?", item)
    if m:
        print("perf\t%s\t%s\t%s\t%s" % (m.group(1), m.group(2), m.group(3) or "", m.group(4) or ""))
PY
}

# graphite PREFIX - the metric lines the listener got under PREFIX (waits
# up to 15 s for the .value lines to come in)
graphite_lines() {
	local prefix=$1 i
	for ((i = 0; i < 150; i++)); do
		grep -q "^$prefix\.perfdata\.[^ ]*\.value " "$I2_GRAPHITE_LOG" && break
		sleep 0.1
	done
	sleep 0.3 # the rest of the batch
	grep "^$prefix\." "$I2_GRAPHITE_LOG"
}

is_number() { [[ $1 =~ ^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]]; }

# check_service NAME RC ERE LABELS - force the check, assert on its result
check_service() {
	local svc=$1 rc=$2 ere=$3 labels=$4 f k v label val warn crit got_labels
	local prefix gl cmdname
	LAST_CMD=
	if ! i2_check "$HOST" "$svc"; then
		t_fail "$svc: Icinga 2 ran the check" "$(tail -n 5 "$I2_DIR/log/icinga2.log")"
		return
	fi
	f=$(facts)
	declare -A F=()
	while IFS=$'\t' read -r k v; do
		[[ $k == perf ]] || F[$k]=$v
	done <<<"$f"
	LAST_CMD=${F[command]}
	echo "# $svc: exit ${F[exit]}: ${F[output]}"
	echo "#   command: ${F[command]}"
	t_like "${F[exit]}" "^($rc)\$" "$svc: exit status $rc"
	t_like "${F[output]}" "$ere" "$svc: output"
	got_labels=$(awk -F'\t' '$1 == "perf" { print $2 }' <<<"$f" | sort | tr '\n' ' ')
	if [[ -n $labels ]]; then
		t_like "$got_labels" "$labels" "$svc: performance data labels ($got_labels)"
	fi
	[[ ${F[exit]} == 3 ]] && return
	cmdname=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["attrs"]["last_check_result"]["command"][0].rsplit("/",1)[-1])' "$T/i2/result.json")
	prefix="icinga2\\.$GHOST\\.services\\.$svc\\.${cmdname#check_}"
	gl=$(graphite_lines "$prefix")
	[[ -n $got_labels ]] || { t_fail "$svc: performance data to graph" "none in the result"; return; }
	while IFS=$'\t' read -r k label val warn crit; do
		[[ $k == perf ]] || continue
		t_like "$gl" "^$prefix\\.perfdata\\.$label\\.value [-0-9.e]+ [0-9]+\$" "$svc: Graphite got $label.value"
		for t in warn crit; do
			local thr=${!t}
			if [[ -z $thr ]]; then
				continue
			elif is_number "$thr"; then
				t_like "$gl" "^$prefix\\.perfdata\\.$label\\.$t [-0-9.e]+ [0-9]+\$" \
					"$svc: Graphite got $label.$t ($thr)"
			else
				# Known limitation (see the header): a range is dropped.
				if _t_match "$gl" "^$prefix\\.perfdata\\.$label\\.$t "; then
					t_fail "$svc: range threshold $label.$t ($thr) dropped by Icinga 2's parser" \
						"it arrived: Icinga 2 or the plugin changed; update this test and the README"
				else
					t_pass "$svc: range threshold $label.$t ($thr) does not reach Graphite (known Icinga 2 limitation)"
					echo "# KNOWN LIMITATION: $svc $label $t='$thr' dropped by Icinga 2's perfdata parser"
				fi
			fi
		done
	done <<<"$f"
}

TIMES='time time_connect time_firstbyte time_ssl'
for p in $plugins; do
	cmd=${p#check_}
	case $cmd in
	eas_options)
		check_service "$cmd" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1' \
			"^commands size $TIMES versions \$"
		t_like "$LAST_CMD" " -H localhost -I 127\.0\.0\.1 " \
			"eas_options: -H is the server name, -I the host's address"
		;;
	eas_basic)
		check_service "$cmd" 0 '^EAS BASIC OK - basic auth accepted for user@example\.com' \
			"^size $TIMES \$"
		t_like "$LAST_CMD" '^[^ ]*/check_eas_basic .* --user user@example\.com' \
			"eas_basic: --user given"
		if [[ $LAST_CMD == *"$PASSWORD"* || $LAST_CMD == *--password* ]]; then
			t_fail "eas_basic: password only in the environment"
		else
			t_pass "eas_basic: password only in the environment (env.EAS_PASSWORD)"
		fi
		;;
	eas_cert)
		check_service "$cmd" 0 '^EAS CERT OK' ''
		;;
	eas_auth)
		check_service "$cmd" 0 '^EAS AUTH OK - policy cert only holds' ''
		;;
	eas_certexpiry)
		check_service "$cmd" 0 '^EAS CERTEXPIRY OK - leaf localhost expires in [0-9]+ days' \
			'^days_leaf days_min days_root time $'
		;;
	eas_autodiscover)
		check_service "$cmd" 0 '^EAS AUTODISCOVER OK - ' '(^| )time '
		t_like "$LAST_CMD" "^[^ ]*/check_eas_autodiscover .*--address $AD_USER( |\$)" \
			"eas_autodiscover: --address from eas_autodiscover_address"
		t_like "$LAST_CMD" " --connect-to example\.test:443:127\.0\.0\.1:$AD_PORT .*--resolve " \
			"eas_autodiscover: --connect-to and --resolve from the arrays"
		if [[ $LAST_CMD =~ \ (-H|-I|-p|--sni)\  ]]; then
			t_fail "eas_autodiscover: no -H, -I, -p or --sni" "got: $LAST_CMD"
		else
			t_pass "eas_autodiscover: no -H, -I, -p or --sni (the host's eas_port = 1 stays out)"
		fi
		t_like "$LAST_CMD" " --ca-file $PKI/ca\.pem( |\$)" \
			"eas_autodiscover: --ca-file from eas_autodiscover_ca_file"
		t_like "$LAST_CMD" " -t 20( |\$)" "eas_autodiscover: -t from eas_autodiscover_timeout"
		if [[ $LAST_CMD == *host-eas-ca* ]]; then
			t_fail "eas_autodiscover: the host's eas_ca_file does not reach it" "got: $LAST_CMD"
		else
			t_pass "eas_autodiscover: the host's eas_ca_file does not reach it"
		fi
		;;
	*)
		check_service "$cmd" '[0-3]' "^EAS [A-Z]+ (OK|WARNING|CRITICAL|UNKNOWN) - " ''
		;;
	esac
done

check_service eas_options_sni 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers' ''
t_like "$LAST_CMD" " -H $HOST -I 127\\.0\\.0\\.1 " \
	"eas_options_sni: -H \$host.name\$ (does not resolve), -I the host's address"
t_like "$LAST_CMD" " --sni localhost " "eas_options_sni: --sni the certificate's name"
# Icinga 2 (2.13) exports env.EAS_PASSWORD as "" when eas_password is not
# set: the plugin takes an empty variable for no password at all, sends
# nothing, and says what is missing.
check_service eas_basic_nopassword 3 '^EAS BASIC UNKNOWN - no password for user@example\.com' ''
check_service eas_basic_autodiscover 0 "^EAS BASIC OK - basic auth accepted for $AD_USER: .*URL from Autodiscover for $AD_USER \\(candidate 1\\)" ''
t_like "$LAST_CMD" "^[^ ]*/check_eas_basic .*--autodiscover $AD_USER( |\$)" \
	"eas_basic_autodiscover: --autodiscover from eas_autodiscover_for"
if [[ $LAST_CMD =~ \ (-H|-I|-p|--sni)\  ]]; then
	t_fail "eas_basic_autodiscover: no -H, -I, -p or --sni with --autodiscover" "got: $LAST_CMD"
else
	t_pass "eas_basic_autodiscover: no -H, -I, -p or --sni with --autodiscover (not the host's eas_port)"
fi
declare -A BCMD=()
for cmd in eas_options eas_basic eas_cert eas_auth eas_sync eas_autodiscover; do
	check_service "bearer_$cmd" 3 "^EAS [A-Z]+ UNKNOWN - " ''
	BCMD[$cmd]=$LAST_CMD
	for opt in "--oauth-token-cache $T/tokens/$HOST\\.json" "--oauth-client-id check-eas" \
		"--oauth-token-url https://127\\.0\\.0\\.1:1/token" "--oauth-scope openid offline_access"; do
		t_like "$LAST_CMD" "^[^ ]*/check_$cmd .* $opt( |\$)" "bearer_$cmd: ${opt%% *} (the cache per host)"
	done
done
t_like "${BCMD[eas_cert]}" " --with-bearer( |\$)" "bearer_eas_cert: --with-bearer from eas_cert_with_bearer"
t_like "${BCMD[eas_auth]}" " --policy bearer( |\$)" "bearer_eas_auth: --policy bearer"
# Every node: the eas-nodes template passes each --node and leaves -I out
# (the plugin refuses the two together).
check_service eas_options_nodes 1 '^EAS OPTIONS WARNING - 1 of 2 nodes fails: 127\.0\.0\.3 connection refused' \
	'node_127_0_0_1_time nodes_working'
t_like "$LAST_CMD" ' --node 127\.0\.0\.1 --node 127\.0\.0\.3( |$)' "eas_options_nodes: eas_node as repeated --node"
t_is "$([[ $LAST_CMD == *" -I "* ]] && echo "-I passed" || echo "no -I")" "no -I" "eas_options_nodes: -I left out"
check_service eas_auth_nodes 2 '^EAS AUTH CRITICAL - only 1 of 2 nodes work \(--min-nodes 2\): 127\.0\.0\.3 anonymous probe: connection refused' \
	'node_127_0_0_1_time nodes_working'
t_like "$LAST_CMD" ' --node 127\.0\.0\.1 --node 127\.0\.0\.3 .*--min-nodes 2( |$)|--min-nodes 2 .*--node 127\.0\.0\.1 --node 127\.0\.0\.3' \
	"eas_auth_nodes: eas_node and eas_min_nodes passed to check_eas_auth"
t_is "$([[ $LAST_CMD == *" -I "* ]] && echo "-I passed" || echo "no -I")" "no -I" "eas_auth_nodes: -I left out"
check_service eas_certexpiry_nodes 2 '^EAS CERTEXPIRY CRITICAL - only 1 of 2 nodes work \(--min-nodes 2\): 127\.0\.0\.3 connection refused' \
	'node_127_0_0_1_time nodes_working'
t_like "$LAST_CMD" ' --min-nodes 2( |$)' "eas_certexpiry_nodes: eas_min_nodes"

check_service eas_options_resolve 2 '^EAS OPTIONS CRITICAL - DNS lookup failed' ''
t_like "$LAST_CMD" " -H $HOST( |\$)" "eas_options_resolve: -H \$host.name\$"
if [[ $LAST_CMD == *" -I "* ]]; then
	t_fail "eas_options_resolve: eas_address = \"\" leaves -I out" "got: $LAST_CMD"
else
	t_pass "eas_options_resolve: eas_address = \"\" leaves -I out"
fi

if [[ -n $HORDE_OK ]]; then
	check_service eas_push_hold 0 \
		'^EAS PUSH OK - Direct Push works: the Ping on the Inbox was held [0-9]+ s, until its heartbeat of 2 s expired' \
		'(^| )held .*(^| )ping_time '
	t_like "$LAST_CMD" "^[^ ]*/check_eas_push .* --heartbeat 2 --hold( |\$)" \
		"eas_push_hold: --heartbeat from eas_push_heartbeat, --hold from eas_push_hold"
	t_like "$LAST_CMD" " -H localhost -I 127\\.0\\.0\\.1 " "eas_push_hold: -H the server name, -I the host's address"
	t_like "$LAST_CMD" " -t 20( |\$)" "eas_push_hold: -t from eas_timeout, longer than the heartbeat"
	t_like "$LAST_CMD" " --state-dir $T/eas-state( |\$)" "eas_push_hold: --state-dir from eas_state_dir"
	check_service eas_mailloop_horde 0 '^EAS MAILLOOP OK - first run, nothing to collect yet: test message sent' \
		'(^| )lost .*(^| )pending .*(^| )roundtrip '
	t_like "$LAST_CMD" "^[^ ]*/check_eas_mailloop .*--lost-after 600( |\$)" \
		"eas_mailloop_horde: --lost-after from eas_mailloop_lost_after"
	t_like "$LAST_CMD" " --state-dir $T/eas-state( |\$)" "eas_mailloop_horde: --state-dir from eas_state_dir"
	t_setup_ok "the first run's message is delivered" bash -c \
		'for ((i = 0; i < 100; i++)); do [[ $(find "$1"/{new,cur} -type f | wc -l) -ge 1 ]] && exit 0; sleep 0.1; done; exit 1' \
		_ "$MC_MAILDIR"
	check_service eas_mailloop_horde 0 '^EAS MAILLOOP OK - mail comes back: round trip [0-9.]+ s' \
		'(^| )lost .*(^| )pending .*(^| )roundtrip .*(^| )since_delivery '
	t_like "$(facts | awk -F'\t' '$1 == "perf" && $2 == "roundtrip"')" $'^perf\troundtrip\t[0-9.e-]+s?\t30(\\.0)?\t60(\\.0)?$' \
		"eas_mailloop_horde: roundtrip carries -w 30 and -c 60 from the round-trip variables"
else
	t_skip "eas_push and eas_mailloop against Horde through Icinga 2" "$HORDE_SKIP"
fi

i2_stop
t_done
