#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nagios 4 (Debian's nagios4-core) on the shipped definitions
# (contrib/nagios/check-eas.cfg, or the installed file given in
# NAGIOS_COMMANDS):
#  - nagios4 -v accepts them with Debian's stock templates, contacts and
#    time periods and the examples (contrib/nagios/services-example.cfg);
#  - every command line, expanded as Nagios expands it ($USER1$, $HOSTNAME$,
#    $HOSTADDRESS$, $ARG1$ given and empty) and run through /bin/sh as
#    Nagios runs it, gives a plugin result, never a usage error;
#  - a running nagios4 executes three checks (forced through its command
#    file) against the test Apache: with arguments, with none, and
#    check_eas_autodiscover against the Autodiscover test Apache
#    (t/lib/autodiscover.sh, names mapped with --connect-to/--resolve).
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/plugins.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
t_setup

if ! command -v nagios4 >/dev/null; then
	if [[ -n ${CI:-} || $(id -u) == 0 ]]; then
		t_bail "nagios4 is not installed (bash contrib/setup.sh installs nagios4-core)"
	fi
	t_skip "Nagios 4 runs the shipped commands" "nagios4 is not installed and not root (CI installs it)"
	t_done
fi

t_pki
httpd_start main vhost-eas || t_bail "apache did not start"
P=$HTTPD_PORT
ad_httpd_start || t_bail "the Autodiscover apache did not start"
AD_ARGS="--address $AD_USER --ca-file $PKI/ca.pem ${AD_CONNECT_TO[*]} ${AD_RESOLVE[*]} --expect-url $AD_EAS_URL"
COMMANDS=${NAGIOS_COMMANDS:-$SRCDIR/contrib/nagios/check-eas.cfg}
EXAMPLES=$SRCDIR/contrib/nagios/services-example.cfg
PLUGINDIR=${NAGIOS_PLUGINDIR:-$BUILDDIR/plugins}
N=$T/nagios
mkdir -p "$N/spool" "$N/rw"
if [[ $(id -u) == 0 ]]; then user=nagios; group=nagios; else user=$(id -un); group=$(id -gn); fi

# nagios.cfg: Debian's stock object files, the shipped commands, and OBJECTS
main_cfg() {
	cat <<EOF
log_file=$N/nagios.log
cfg_file=/etc/nagios4/objects/commands.cfg
cfg_file=/etc/nagios4/objects/contacts.cfg
cfg_file=/etc/nagios4/objects/timeperiods.cfg
cfg_file=/etc/nagios4/objects/templates.cfg
cfg_file=$COMMANDS
$(for f in "$@"; do echo "cfg_file=$f"; done)
resource_file=$N/resource.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
status_file=$N/status.dat
status_update_interval=1
command_file=$N/rw/nagios.cmd
check_external_commands=1
lock_file=$N/nagios.pid
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/spool
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
nagios_user=$user
nagios_group=$group
use_syslog=0
enable_notifications=0
enable_flap_detection=0
execute_host_checks=0
interval_length=60
illegal_macro_output_chars=\`~\$&|'"<>
EOF
}
printf '$USER1$=%s\n' "$PLUGINDIR" >"$N/resource.cfg"

# --- nagios4 -v: the definitions and the examples
mkdir -p "$N/verify"
main_cfg "$EXAMPLES" >"$N/verify/nagios.cfg"
[[ $(id -u) == 0 ]] && chown -R "$user:$group" "$N"
run_cmd nagios4 -v "$N/verify/nagios.cfg"
expect_rc 0 "nagios4 -v accepts the shipped commands and services-example.cfg"
expect_out 'Total Errors: +0' "... with no errors"
expect_out 'Total Warnings: +0' "... and no warnings"

# --- every command line as Nagios expands it, with $ARG1$ and without
# command_line of PLUGIN in the shipped file
command_line() {
	sed -n "/^[[:space:]]*command_name[[:space:]]\\+$1[[:space:]]*\$/,/}/s/^[[:space:]]*command_line[[:space:]]\\+//p" "$COMMANDS"
}
expand() { # LINE ARG1 -> the line Nagios hands to /bin/sh
	local l=$1
	l=${l//'$USER1$'/$PLUGINDIR}
	l=${l//'$HOSTNAME$'/localhost}
	l=${l//'$HOSTADDRESS$'/127.0.0.1}
	l=${l//'$ARG1$'/$2}
	printf '%s\n' "$l"
}
for p in $(eas_plugins); do
	line=$(command_line "$p")
	if [[ $p == check_eas_autodiscover ]]; then
		# the servers come from the address: no -H, -I (refused)
		t_is "$line" "'\$USER1\$/$p' \$ARG1\$" "$p: command line passes only \$ARG1\$ (no -H, -I)"
	else
		t_like "$line" "^'\\\$USER1\\\$/$p' -H '\\\$HOSTNAME\\\$' -I '\\\$HOSTADDRESS\\\$'( |\$)" \
			"$p: command line passes -H '\$HOSTNAME\$' -I '\$HOSTADDRESS\$'"
	fi
	[[ -n $line ]] || continue
	# Empty: a check result, or for the plugins that need credentials or a
	# policy the one complaint that they are missing (nothing malformed).
	run_cmd /bin/sh -c "$(expand "$line" "")"
	if [[ $RC == 3 ]]; then
		expect_first "$p with empty \$ARG1\$: well-formed, only names what it needs" 3 '^EAS [A-Z]+ UNKNOWN - no --[a-z-]+( or --[a-z-]+)? given: '
	else
		expect_first "$p with empty \$ARG1\$: a check result" '[0-2]' '^EAS [A-Z]+ (OK|WARNING|CRITICAL) - '
	fi
done
line=$(command_line check_eas_options)
run_cmd /bin/sh -c "$(expand "$line" "-p $P --ca-file $PKI/ca.pem --require-version 14.1 -w 5 -c 10")"
expect_first "check_eas_options with \$ARG1\$ against the test server: OK" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers'
expect_perf time ';5;10;0$' "... thresholds from \$ARG1\$ in the perfdata"
line=$(command_line check_eas_certexpiry)
run_cmd /bin/sh -c "$(expand "$line" "")"
expect_no_out ' -w -c|-w: |-c: ' "check_eas_certexpiry with empty \$ARG1\$: no empty -w/-c"
line=$(command_line check_eas_autodiscover)
run_cmd /bin/sh -c "$(expand "$line" "$AD_ARGS -w 5 -c 10")"
expect_first "check_eas_autodiscover with \$ARG1\$ against the Autodiscover test server: OK" 0 \
	"^EAS AUTODISCOVER OK - $AD_EAS_URL for $AD_USER from candidate 1 "
expect_perf time ';5;10;0$' "... thresholds from \$ARG1\$ in the perfdata"
line=$(command_line check_eas_by_autodiscover)
t_is "$line" "'\$USER1\$/\$ARG1\$' --autodiscover '\$ARG2\$' \$ARG3\$" \
	"check_eas_by_autodiscover: plugin, address, options"
line=${line//'$ARG2$'/$AD_USER}
printf '%s\n' "$AD_PASSWORD" >"$T/adpw"
line=${line//'$ARG3$'/"--ca-file $PKI/ca.pem ${AD_CONNECT_TO[*]} ${AD_RESOLVE[*]} --user $AD_USER --password-file $T/adpw"}
run_cmd /bin/sh -c "$(expand "${line//'$ARG1$'/check_eas_basic}" "")"
expect_first "check_eas_by_autodiscover!check_eas_basic!ADDRESS: the URL found, then checked" 0 \
	"^EAS BASIC OK - basic auth accepted for $AD_USER: ActiveSync 15\\.1, .*URL from Autodiscover for $AD_USER \\(candidate 1\\)"

# Modern auth: the plugin with the host's token cache and the token options.
line=$(command_line check_eas_bearer)
t_is "$line" "'\$USER1\$/\$ARG1\$' -H '\$HOSTNAME\$' --oauth-token-cache '/var/lib/nagios/check-eas/\$HOSTNAME\$.json' --oauth-client-id '\$ARG2\$' --oauth-tenant '\$ARG3\$' \$ARG4\$" \
	"check_eas_bearer: the token cache per host, the client, the tenant"
for p in check_eas_options check_eas_basic check_eas_cert check_eas_auth check_eas_sync; do
	l=${line//'$ARG2$'/check-eas}
	l=${l//'$ARG3$'/example.com}
	l=${l//'$ARG4$'/"--user monitor@example.com --policy bearer --cert $PKI/client.pem --key $PKI/client.key --with-bearer"}
	[[ $p == check_eas_auth ]] || l=${l//--policy bearer/}
	[[ $p == check_eas_cert ]] || l=${l//"--cert $PKI/client.pem --key $PKI/client.key --with-bearer"/}
	run_cmd /bin/sh -c "$(expand "${l//'$ARG1$'/$p}" "")"
	expect_first "check_eas_bearer!$p: the plugin takes every token option, reads the host's cache" 3 \
		"^EAS [A-Z]+ UNKNOWN - .*/var/lib/nagios/check-eas/localhost\\.json"
done
l=$(command_line check_eas_autodiscover)
run_cmd /bin/sh -c "$(expand "$l" "--address $AD_USER --oauth-token-cache /var/lib/nagios/check-eas/localhost.json --oauth-client-id check-eas --oauth-tenant example.com")"
expect_first "check_eas_autodiscover with the token options in \$ARG1\$: reads the host's cache" 3 \
	"^EAS AUTODISCOVER UNKNOWN - .*/var/lib/nagios/check-eas/localhost\\.json"

# --- a running nagios4 executes the checks
cat >"$N/test-objects.cfg" <<EOF
define host {
    use                     generic-host
    host_name               localhost
    address                 127.0.0.1
    max_check_attempts      1
    check_period            24x7
    contact_groups          admins
    notification_interval   0
    notification_period     24x7
}
define service {
    use                     generic-service
    host_name               localhost
    service_description     eas options
    check_command           check_eas_options!-p $P --ca-file $PKI/ca.pem -w 5 -c 10
    check_interval          60
    max_check_attempts      1
}
define service {
    use                     generic-service
    host_name               localhost
    service_description     eas certexpiry
    check_command           check_eas_certexpiry
    check_interval          60
    max_check_attempts      1
}
define service {
    use                     generic-service
    host_name               localhost
    service_description     eas autodiscover
    check_command           check_eas_autodiscover!$AD_ARGS -w 5 -c 10
    check_interval          60
    max_check_attempts      1
}
EOF
main_cfg "$N/test-objects.cfg" >"$N/nagios.cfg"
[[ $(id -u) == 0 ]] && chown -R "$user:$group" "$N"
nagios4 "$N/nagios.cfg" </dev/null >"$N/stdout.log" 2>&1 &
npid=$!
T_PIDS+=("$npid")
for ((i = 0; i < 200; i++)); do
	[[ -p $N/rw/nagios.cmd && -s $N/status.dat ]] && break
	kill -0 "$npid" 2>/dev/null || break
	sleep 0.1
done
if [[ ! -p $N/rw/nagios.cmd ]]; then
	t_setup_check t_fail "nagios4 started" "$(tail -n 20 "$N/nagios.log" "$N/stdout.log" 2>/dev/null)"
	t_done
fi
t_setup_check t_pass "nagios4 started"
now=$(date +%s)
for svc in "eas options" "eas certexpiry" "eas autodiscover"; do
	printf '[%s] SCHEDULE_FORCED_SVC_CHECK;localhost;%s;%s\n' "$now" "$svc" "$now" >"$N/rw/nagios.cmd"
done

# status SERVICE -> "state<TAB>output<TAB>perfdata" once it has been checked
status() {
	awk -v svc="$1" '
		/^servicestatus \{/ { s = 1; delete a; next }
		s && /^\t}/ { if (a["service_description"] == svc && a["has_been_checked"] == 1)
				print a["current_state"] "\t" a["plugin_output"] "\t" a["performance_data"]
			s = 0; next }
		s { i = index($0, "="); k = substr($0, 1, i - 1); sub(/^\t/, "", k); a[k] = substr($0, i + 1) }
	' "$N/status.dat" 2>/dev/null
}
for svc in "eas options" "eas certexpiry" "eas autodiscover"; do
	got=
	for ((i = 0; i < 300; i++)); do
		got=$(status "$svc")
		[[ -n $got ]] && break
		sleep 0.1
	done
	echo "# nagios4 $svc: $got"
	IFS=$'\t' read -r state output perf <<<"$got"
	case $svc in
	"eas options")
		t_is "$state" 0 "nagios4 ran check_eas_options: OK"
		t_like "$output" '^EAS OPTIONS OK - ActiveSync 15\.1 answers' "... output"
		t_like "$perf" "'time'=[0-9.]+s;5;10;0" "... perfdata with the thresholds"
		;;
	"eas autodiscover")
		t_is "$state" 0 "nagios4 ran check_eas_autodiscover: OK"
		t_like "$output" "^EAS AUTODISCOVER OK - $AD_EAS_URL for $AD_USER" "... output"
		t_like "$perf" "'time'=[0-9.]+s;5;10;0" "... perfdata with the thresholds"
		;;
	*)
		# no arguments: -H localhost -I 127.0.0.1, port 443, where nothing
		# listens: a real result about the server, not a usage error
		t_like "$state" '^[0-2]$' "nagios4 ran check_eas_certexpiry without arguments: a check result"
		t_like "$output" '^EAS CERTEXPIRY (OK|WARNING|CRITICAL) - ' "... output"
		;;
	esac
done
kill -TERM "$npid" 2>/dev/null
for ((i = 0; i < 100; i++)); do kill -0 "$npid" 2>/dev/null || break; sleep 0.1; done
wait "$npid" 2>/dev/null
t_done
