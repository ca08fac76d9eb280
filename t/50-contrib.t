#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging: make install with DESTDIR puts every plugin into the plugin
# directory; the Icinga 2 CheckCommands load and validate (when icinga2 is
# installed); the Nagios definitions name exactly the plugins we build;
# the push examples wait longer than the Ping is held.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/plugins.sh"
. "$(dirname "$0")/lib/icinga2.sh"
t_setup
built=$(eas_plugins)

if command -v icinga2 > /dev/null; then
	# The examples need an Endpoint and Zones, as zones.conf would have.
	cat > "$T/icinga2.conf" <<CONF
const PluginDir = "$BUILDDIR/plugins"
const NodeName = "master1"
include <itl>
include <plugins>
include "$SRCDIR/contrib/icinga2/check-eas.conf"
object Host "mail.example.com" { check_command = "dummy" }
object Service "options" { host_name = "mail.example.com"; check_command = "eas_options"; vars.eas_options_require_version = [ "14.1" ] }
object Service "basic" { host_name = "mail.example.com"; check_command = "eas_basic"; vars.eas_extra_opts = "eas@/etc/eas.ini" }
object Service "cert" { host_name = "mail.example.com"; check_command = "eas_cert"; vars.eas_cert = "/etc/eas/device.pfx" }
object Service "sync" { host_name = "mail.example.com"; check_command = "eas_sync"; vars.eas_sync_require_folder = [ "inbox", "calendar" ] }
object Service "auth" { host_name = "mail.example.com"; check_command = "eas_auth"; vars.eas_auth_policy = "cert" }
object Service "expiry" { host_name = "mail.example.com"; check_command = "eas_certexpiry"; vars.eas_certexpiry_cert = [ "/etc/eas/a.p12" ] }
object Service "autodiscover" { host_name = "mail.example.com"; check_command = "eas_autodiscover"; vars.eas_autodiscover_address = "monitor@example.com" }
object Service "discovered" { host_name = "mail.example.com"; check_command = "eas_sync"; vars.eas_autodiscover_for = "monitor@example.com" }
template Host "generic-host" { check_command = "dummy" }
template Service "generic-service" { }
object Endpoint "master1" { }
object Zone "master" { endpoints = [ "master1" ] }
object Endpoint "sat-berlin.example.com" { }
object Zone "berlin" { endpoints = [ "sat-berlin.example.com" ]; parent = "master" }
include "$SRCDIR/contrib/icinga2/services-example.conf"
CONF
	# Its own state directories: never the machine's /var/lib/icinga2.
	i2_own_state "$T/i2" || t_bail "cannot make $T/i2"
	run_cmd icinga2 daemon -C -c "$T/icinga2.conf" -x critical "${I2_DEFINES[@]}" \
		-DConfiguration.ConfigDir="$T/i2/etc"
	expect_rc 0 "icinga2 daemon -C accepts contrib/icinga2/check-eas.conf and services-example.conf"
else
	t_skip "icinga2 daemon -C accepts contrib/icinga2/check-eas.conf" "icinga2 is not installed"
fi

# Every command line in the Nagios definitions names a plugin we build,
# and every plugin we build has a definition.
defined=$(sed -n 's|.*\$USER1\$/\(check_eas_[a-z]*\).*|\1|p' "$SRCDIR/contrib/nagios/check-eas.cfg" | sort)
t_is "$defined" "$built" "contrib/nagios/check-eas.cfg defines every plugin"
icinga=$(sed -n 's|.*PluginDir + "/\(check_eas_[a-z]*\)".*|\1|p' "$SRCDIR/contrib/icinga2/check-eas.conf" | sort)
t_is "$icinga" "$built" "contrib/icinga2/check-eas.conf defines every plugin"

# Every long option of every plugin can be given through both sets of
# definitions (or is left out on purpose, like --password).
for p in $built; do
	"$BUILDDIR/plugins/$p" --help > "$T/$p.help"
	missing=$(python3 "$SRCDIR/t/lib/contrib-reach.py" "$p" "$T/$p.help" \
		"$SRCDIR/contrib/icinga2/check-eas.conf" "$SRCDIR/contrib/nagios/check-eas.cfg")
	t_is "$missing" "" "$p: every option reachable from contrib/icinga2 and contrib/nagios"
done

# Every vars.eas_X a service of the Icinga 2 examples sets is read by its
# command (eas_autodiscover has its own eas_autodiscover_* variables: an
# eas_extra_opts there would do nothing).
t_is "$(python3 "$SRCDIR/t/lib/contrib-vars.py" "$SRCDIR/contrib/icinga2/check-eas.conf" \
	"$SRCDIR/contrib/icinga2/services-example.conf")" "" \
	"services-example.conf sets only variables its services' commands read"

# The push examples hold a Ping for the heartbeat: -t is longer, and the
# command's timeout and the check and retry intervals longer still (else a
# run is killed, or the next one starts, while the Ping is held).
push_times() { # Icinga 2 and Nagios: "heartbeat -t timeout check retry" (seconds)
	python3 - "$SRCDIR/contrib/icinga2/check-eas.conf" "$SRCDIR/contrib/icinga2/services-example.conf" \
		"$SRCDIR/contrib/nagios/services-example.cfg" <<'PY'
import re, sys
conf, i2, ng = (open(f).read() for f in sys.argv[1:4])
def sec(v):
    m = re.fullmatch(r"(\d+)([smh]?)", v)
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]
cmd = conf[conf.index('object CheckCommand "eas_push"'):]
cmd = cmd[:cmd.index("\n}\n")]
svc = i2[i2.index('apply Service "activesync-push"'):]
svc = svc[:svc.index("\n}\n")]
get = lambda text, key: sec(re.search(r"\b%s = (\w+)" % re.escape(key), text).group(1))
print(get(svc, "vars.eas_push_heartbeat"), get(svc, "vars.eas_timeout"), get(cmd, "timeout"),
      get(svc, "check_interval"), get(svc, "retry_interval"))
end = ng.index("service_description     ActiveSync push\n")
start = ng.rindex("define service {", 0, end)
d = ng[start:ng.index("}", end)]
note = ng[ng.rindex("}", 0, start):start]  # the comment above: nagios.cfg's timeout
arg = lambda opt: int(re.search(r" %s (\d+)" % opt, d).group(1))
num = lambda key: int(re.search(r"^\s*%s\s+(\d+)$" % key, d, re.M).group(1)) * 60
to = int(re.search(r"service_check_timeout in\s+#?\s*nagios\.cfg \(e\.g\. (\d+)\)", note).group(1))
print(arg("--heartbeat"), arg("-t"), to, num("check_interval"), num("retry_interval"))
PY
}
times=$(push_times)
t_is "$(grep -c . <<<"$times")" 2 "the push service found in both examples (Icinga 2, Nagios)"
while read -r hb t to ci ri; do
	t_ok "push example: heartbeat $hb s < -t $t s < timeout $to s <= check interval $ci s, retry interval $ri s" \
		test "$hb" -lt "$t" -a "$t" -lt "$to" -a "$to" -le "$ci" -a "$to" -le "$ri"
done <<<"$times"

# check_eas_autodiscover lists no -H, -I, -p or --sni (Autodiscover finds
# the servers from the address), refuses them, and the definitions pass
# none of them (contrib-reach.py: "passes").
if grep -qx check_eas_autodiscover <<<"$built"; then
	for o in "-H mail.example.com" "-I 192.0.2.1" "-p 443" "--sni mail.example.com"; do
		# shellcheck disable=SC2086 # option and value
		run_cmd "$BUILDDIR/plugins/check_eas_autodiscover" $o --address monitor@example.com
		expect_first "check_eas_autodiscover refuses ${o%% *}" 3 \
			"^EAS AUTODISCOVER UNKNOWN - '${o%% *}' is not an option of check_eas_autodiscover \\(see --help\\)\$"
		n=$(grep -c -- "^ *\(-[A-Za-z], \)\{0,1\}${o%% *}[ =,]" "$T/check_eas_autodiscover.help")
		t_is "$n" 0 "... and its --help does not list ${o%% *}"
	done
fi

# make install DESTDIR=...: every plugin lands in plugindir, runnable.
run_cmd make -C "$BUILDDIR" -s install DESTDIR="$T/stage"
expect_rc 0 "make install with DESTDIR"
installed=$(find "$T/stage" -type f -perm -u+x -name 'check_eas_*' -printf '%f\n' | sort)
# ...and the bootstrap (tool_PROGRAMS: check_eas_oauth_setup) beside them
shipped=$( (printf '%s\n' "$built"; printf 'eas-print-tools:\n\t@echo $(tool_PROGRAMS)\n' |
	env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory -C "$BUILDDIR" -f Makefile -f - \
		eas-print-tools | tr ' ' '\n' | sed -n 's|^.*/||p') | sort)
t_is "$installed" "$shipped" "every plugin and the bootstrap installed under DESTDIR, executable"
dirs=$(find "$T/stage" -type f -name 'check_eas_*' -printf '%h\n' | sort -u)
t_like "$dirs" "^$T/stage/.+/nagios/plugins\$" "... all in the plugin directory (.../nagios/plugins)"

# ... and the definitions where the daemons look, the examples, a man page
# per plugin.
mkvar() { printf 'eas-print-var:\n\t@echo $(%s)\n' "$1" | env -u MAKEFLAGS -u MAKELEVEL \
	make -s --no-print-directory -C "$BUILDDIR" -f Makefile -f - eas-print-var; }
t_ok "Icinga 2 CheckCommands installed in icinga2dir" test -f "$T/stage$(mkvar icinga2dir)/check-eas.conf"
t_ok "Nagios commands installed in nagiosdir" test -f "$T/stage$(mkvar nagiosdir)/check-eas.cfg"
t_like "$(cd "$T/stage" && find . -path '*/examples/*' -type f | sort)" 'icinga2/services-example\.conf' "Icinga 2 examples installed"
t_like "$(cd "$T/stage" && find . -path '*/examples/*' -type f | sort)" 'nagios/services-example\.cfg' "Nagios examples installed"
if [[ $(mkvar man1_MANS) ]]; then
	mans=$(find "$T/stage" -path '*/man1/*' -name 'check_eas_*.1' -printf '%f\n' | sed 's/\.1$//' | sort)
	t_is "$mans" "$shipped" "a man page per plugin and the bootstrap in man1"
else
	t_skip "a man page per plugin in man1" "configured with --disable-man"
fi

t_done
