#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging: make install with DESTDIR puts every plugin into the plugin
# directory; the Icinga 2 CheckCommands load and validate (when icinga2 is
# installed); the Nagios definitions name exactly the plugins we build.
. "$(dirname "$0")/lib/test.sh"
t_setup

if command -v icinga2 > /dev/null; then
	cat > "$T/icinga2.conf" <<CONF
const PluginDir = "$BUILDDIR/plugins"
include <itl>
include "$SRCDIR/contrib/icinga2/check-eas.conf"
object Host "mail.example.com" { check_command = "dummy" }
object Service "options" { host_name = "mail.example.com"; check_command = "eas_options"; vars.eas_require_version = [ "14.1" ] }
object Service "basic" { host_name = "mail.example.com"; check_command = "eas_basic"; vars.eas_extra_opts = "eas@/etc/eas.ini" }
object Service "cert" { host_name = "mail.example.com"; check_command = "eas_cert"; vars.eas_cert = "/etc/eas/device.pfx" }
object Service "sync" { host_name = "mail.example.com"; check_command = "eas_sync"; vars.eas_require_folder = [ "inbox", "calendar" ] }
object Service "auth" { host_name = "mail.example.com"; check_command = "eas_auth"; vars.eas_policy = "cert" }
object Service "expiry" { host_name = "mail.example.com"; check_command = "eas_certexpiry"; vars.eas_client_certs = [ "/etc/eas/a.p12" ] }
CONF
	run_cmd icinga2 daemon -C -c "$T/icinga2.conf" -x critical
	expect_rc 0 "icinga2 daemon -C accepts contrib/icinga2/check-eas.conf"
else
	t_skip "icinga2 daemon -C accepts contrib/icinga2/check-eas.conf" "icinga2 is not installed"
fi

# Every command line in the Nagios definitions names a plugin we build,
# and every plugin we build has a definition.
defined=$(sed -n 's|.*\$USER1\$/\(check_eas_[a-z]*\).*|\1|p' "$SRCDIR/contrib/nagios/check-eas.cfg" | sort)
built=$(cd "$BUILDDIR/plugins" && ls check_eas_* | grep -v '\.o$' | sort)
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

# make install DESTDIR=...: every plugin lands in plugindir, runnable.
run_cmd make -C "$BUILDDIR" -s install-pluginPROGRAMS DESTDIR="$T/stage"
expect_rc 0 "make install with DESTDIR"
installed=$(find "$T/stage" -type f -perm -u+x -name 'check_eas_*' -printf '%f\n' | sort)
t_is "$installed" "$built" "every plugin installed under DESTDIR, executable"
dirs=$(find "$T/stage" -type f -name 'check_eas_*' -printf '%h\n' | sort -u)
t_like "$dirs" "^$T/stage/.+/nagios/plugins\$" "... all in the plugin directory (.../nagios/plugins)"

t_done
