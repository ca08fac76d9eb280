#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package: built with dpkg-buildpackage from the distribution
# files (make distdir, so exactly what make dist ships), lintian-clean
# (no error, no warning), installed, its plugins run against the test
# server, its Icinga 2 and Nagios definitions run by the daemons from where
# the package put them (80-icinga2.t and 81-nagios.t again, on the
# installed files), every man page renders and lists every option of the
# plugin's --help, and removal and purge leave none of its files behind.
# Installing needs root: outside CI a non-root run skips, with the reason.
# A package build and t/80 and t/81 again (t/80 with Horde and the mail
# chain): 283 s on a loaded 2-core machine, close to t/run's default 300 s.
# t/run timeout: 600
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/plugins.sh"
. "$(dirname "$0")/lib/icinga2.sh"
t_setup

missing=
for c in dpkg-buildpackage dh lintian fakeroot man; do
	command -v "$c" >/dev/null || missing+=" $c"
done
if [[ -n $missing || $(id -u) != 0 ]]; then
	why="not root"
	[[ -n $missing ]] && why="missing:$missing (bash contrib/setup.sh installs them)"
	[[ -n ${CI:-} ]] && t_bail "cannot test the package in CI: $why"
	t_skip "the Debian package" "$why"
	t_done
fi
if dpkg-query -W -f='${Status}' check-eas 2>/dev/null | grep -q 'ok installed'; then
	t_bail "a check-eas package is already installed on this machine; remove it first (dpkg -r check-eas)"
fi

# Build outside the source tree and without make's environment.
unmake=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES)
mkdir -p "$T/src"
run_cmd "${unmake[@]}" make -s -C "$BUILDDIR" distdir distdir="$T/src/check-eas"
expect_rc 0 "make distdir: the source as make dist ships it"
[[ -f $T/src/check-eas/debian/control ]] || t_bail "no debian/ in the distribution files"
version=$(dpkg-parsechangelog -l "$T/src/check-eas/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb=$T/src/check-eas_${version}_$arch.deb
changes=$T/src/check-eas_${version}_$arch.changes
(cd "$T/src/check-eas" && "${unmake[@]}" DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	timeout 240 dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
RC=$?
if ((RC == 0)) && [[ -f $deb ]]; then
	t_pass "dpkg-buildpackage -us -uc -b builds $(basename "$deb")"
else
	t_fail "dpkg-buildpackage -us -uc -b" "rc $RC" "$(tail -n 30 "$T/build.log")"
	t_done
fi

# lintian: no error, no warning (info and pedantic are listed)
run_cmd lintian --display-info --pedantic --fail-on error,warning "$changes" "$deb"
printf '%s\n' "$OUT" | grep -v '^$' | sed 's/^/# lintian: /'
expect_rc 0 "lintian --fail-on error,warning passes"
t_is "$(printf '%s\n' "$OUT" | grep -cE '^[EW]: ')" 0 "lintian reports no E: and no W: lines"

# Contents: the plugins (plugin_PROGRAMS) where Nagios and Icinga look,
# the definitions, a man page each, the README and the Naemon set-up.
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for p in $(eas_plugins); do
	t_like "$contents" "^/usr/lib/nagios/plugins/$p\$" "package: $p in /usr/lib/nagios/plugins"
	t_like "$contents" "^/usr/share/man/man1/$p\\.1\\.gz\$" "package: man page $p.1"
	if [[ -f $SRCDIR/doc/$p.md ]]; then
		t_like "$contents" "^/usr/share/doc/check-eas/doc/$p\\.md(\\.gz)?\$" "package: $p's page doc/$p.md"
	fi
done
t_like "$contents" '^/usr/share/icinga2/include/plugins-contrib\.d/check-eas\.conf$' "package: Icinga 2 CheckCommands in plugins-contrib.d"
t_like "$contents" '^/etc/nagios-plugins/config/check-eas\.cfg$' "package: Nagios commands in /etc/nagios-plugins/config"
t_like "$contents" '^/usr/share/doc/check-eas/README\.md(\.gz)?$' "package: the README"
t_like "$contents" '^/usr/share/doc/check-eas/doc/naemon\.md(\.gz)?$' "package: the Naemon set-up (man pages point to it)"
t_like "$contents" '^/usr/share/doc/check-eas/doc/check_eas_options\.md(\.gz)?$' "package: the plugins' pages the README links to"
t_like "$contents" '^/usr/share/doc/check-eas/examples/icinga2/' "package: Icinga 2 examples"
t_like "$contents" '^/usr/share/doc/check-eas/examples/zabbix/check-eas-template\.yaml$' "package: the Zabbix template"
t_like "$contents" '^/usr/share/doc/check-eas/examples/zabbix/check-eas\.conf$' "package: the Zabbix UserParameters"
t_like "$contents" '^/usr/share/doc/check-eas/examples/checkmk/check_eas\.py$' "package: the Checkmk metrics"
t_like "$contents" '^/usr/share/doc/check-eas/doc/prometheus\.md(\.gz)?$' "package: doc/prometheus.md"

# --- install
# The stock configurations of the daemons must pick the definitions up
# from where the package puts them: count the commands nagios4 -v and
# icinga2 see with Debian's own /etc/nagios4/nagios.cfg and
# /etc/icinga2/icinga2.conf, before and after.
nagios_commands() {
	nagios4 -v /etc/nagios4/nagios.cfg 2>&1 | sed -n 's/^[[:space:]]*Checked \([0-9]*\) commands\./\1/p'
}
icinga2_eas_commands() {
	# Debian's configuration, but the test's own state directories.
	i2_own_state "$T/i2stock" || return 1
	rm -f "$T/i2stock/cache/icinga2.debug"
	icinga2 daemon -C -x critical "${I2_DEFINES[@]}" >"$T/i2stock/check.log" 2>&1 || {
		sed 's/^/# icinga2 -C: /' "$T/i2stock/check.log"
		return 1
	}
	# The objects file (netstrings of JSON) "icinga2 object list" reads:
	# the eas_* CheckCommands and the file each comes from.
	python3 - "$T/i2stock/cache/icinga2.debug" <<'PY' | sort
import json, sys
data = open(sys.argv[1], "rb").read()
i = 0
while i < len(data):
    colon = data.index(b":", i)
    n = int(data[i:colon])
    obj = json.loads(data[colon + 1:colon + 1 + n])
    i = colon + 1 + n + 1
    p = obj.get("properties", {})
    if obj.get("type") == "CheckCommand" and obj.get("name", "").startswith("eas_"):
        print(obj["name"], p.get("source_location", {}).get("path", "?"))
PY
}
nagios_before=$(nagios_commands)
icinga_before=$(icinga2_eas_commands) || icinga_before="(icinga2 -C failed on Debian's configuration)"
run_cmd apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$deb"
expect_rc 0 "apt-get install ./$(basename "$deb")"
files=$(dpkg -L check-eas | while read -r f; do [[ -f $f || -L $f ]] && echo "$f"; done)
nplugins=$(eas_plugins | wc -l)
t_is "$(($(nagios_commands) - ${nagios_before:-0}))" "$((nplugins + 3))" \
	"Debian's nagios.cfg reads the package's commands (cfg_dir=/etc/nagios-plugins/config): one per plugin, check_eas_by_autodiscover, check_eas_bearer and check_eas_nodes"
t_is "$icinga_before" "" "no eas_* CheckCommand before the package"
t_is "$(icinga2_eas_commands | tr '\n' ' ')" \
	"$(eas_plugins | sed 's|^check_\(.*\)|\1 /usr/share/icinga2/include/plugins-contrib.d/check-eas.conf|' | tr '\n' ' ')" \
	"Debian's icinga2.conf loads the package's CheckCommands (include <plugins-contrib>): one per plugin"

t_pki
httpd_start main vhost-eas || t_bail "apache did not start"
for p in $(eas_plugins); do
	run_cmd "/usr/lib/nagios/plugins/$p" --version
	expect_first "installed $p --version" 0 "^$p $version"
done
run_cmd /usr/lib/nagios/plugins/check_eas_options -H localhost -p "$HTTPD_PORT" --ca-file "$PKI/ca.pem"
expect_first "installed check_eas_options against the test server: OK" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers'
run_cmd /usr/lib/nagios/plugins/check_eas_certexpiry -H localhost -I 127.0.0.1 -p "$HTTPD_PORT" --ca-file "$PKI/ca.pem"
expect_first "installed check_eas_certexpiry against the test server: OK" 0 '^EAS CERTEXPIRY OK - leaf localhost'

# Man pages: render, and name every option of the plugin's --help.
for p in $(eas_plugins); do
	run_cmd env MANWIDTH=200 man -l "/usr/share/man/man1/$p.1.gz"
	expect_rc 0 "man -l $p.1.gz renders"
	page=$OUT
	opts=$("/usr/lib/nagios/plugins/$p" --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p')
	missing=
	for o in $opts; do
		grep -q -- "$o" <<<"$page" || missing+=" $o"
	done
	t_is "${missing# }" "" "man page of $p lists every option of its --help"
done

# The daemons, on the installed definitions and plugins: 80-icinga2.t and
# 81-nagios.t again. Their checks were counted in their own run, so here
# each re-run is one assertion (every check passes, none is skipped); its
# lines are shown as comments.
# rerun SCRIPT VAR=VALUE... - run t/SCRIPT with the environment given
rerun() {
	local script=$1 log=$T/rerun-$1.log rc ok nok skip
	shift
	echo "# ---- $script on the installed files"
	env "$@" bash "$SRCDIR/t/$script" </dev/null >"$log" 2>&1
	rc=$?
	sed 's/^/#   installed: /' "$log"
	nok=$(grep -c '^not ok' "$log")
	skip=$(grep -ciE '^ok .*# skip' "$log")
	ok=$(grep -c '^ok ' "$log")
	if ((rc == 0 && nok == 0 && skip == 0 && ok > 0)); then
		t_pass "$script on the installed files: all $ok checks pass"
	else
		t_fail "$script on the installed files" "exit $rc, $ok ok ($skip skipped), $nok not ok"
	fi
}
rerun 80-icinga2.t I2_COMMANDS=/usr/share/icinga2/include/plugins-contrib.d/check-eas.conf \
	I2_PLUGINDIR=/usr/lib/nagios/plugins
rerun 81-nagios.t NAGIOS_COMMANDS=/etc/nagios-plugins/config/check-eas.cfg \
	NAGIOS_PLUGINDIR=/usr/lib/nagios/plugins

# --- remove, then purge: nothing of the package is left
run_cmd apt-get -o DPkg::Lock::Timeout=300 remove -y check-eas
expect_rc 0 "apt-get remove check-eas"
left=$(for f in $files; do [[ -e $f && $f != /etc/* ]] && echo "$f"; done)
t_is "$left" "" "after remove: no file of the package left (conffiles aside)"
run_cmd apt-get -o DPkg::Lock::Timeout=300 purge -y check-eas
expect_rc 0 "apt-get purge check-eas"
left=$(for f in $files; do [[ -e $f ]] && echo "$f"; done)
t_is "$left" "" "after purge: no file of the package left"
t_like "$(dpkg-query -W -f='${db:Status-Status}' check-eas 2>/dev/null)" '^(not-installed)?$' "dpkg knows it no more"

t_done
