# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by contrib/demo.sh and contrib/run-tests.sh: install the Debian 12
# packages check-eas needs (when run as root), then configure and build into
# $BUILD (default ./build). Sourced, not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}

# Build and test dependencies, by Debian package name.
# The tests also use procps (process clean-up) and python3 (JSON checks; the build makes
# the man pages' SYNOPSIS, STATES, PERFDATA and EXAMPLES with it).
# The Horde ActiveSync test server (t/lib/horde-eas.sh) needs the php-*
# packages; libwbxml2-utils makes and reads WBXML bodies in its tests.
# help2man makes the man pages. The packaging tests run Debian's icinga2
# and nagios4 (nagios4-core) on the shipped definitions, build the .deb
# (debhelper, dpkg-dev, fakeroot), check it with lintian and read the man
# pages with man-db.
EAS_PACKAGES="build-essential autoconf automake pkg-config libcurl4-openssl-dev
 libssl-dev libjson-c-dev libexpat1-dev libpsl-dev publicsuffix apache2 openssl curl ca-certificates procps python3
 php-cgi php-cli php-horde-activesync php-horde-db php-horde-controller
 php-sqlite3 php-mbstring libwbxml2-utils help2man
 icinga2 nagios4-core debhelper dpkg-dev fakeroot lintian man-db"
# The fuzz stage (t/90-fuzz.t, make fuzz): clang with libFuzzer, which
# Debian ships in libclang-rt-14-dev (only recommended by clang).
EAS_PACKAGES="$EAS_PACKAGES clang libclang-rt-14-dev"
# The formatting check of contrib/run-tests.sh.
EAS_PACKAGES="$EAS_PACKAGES clang-format git"

eas_install_deps() {
	local missing=() p
	for p in $EAS_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
			|| missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
		return 1
	fi
	echo "== installing ${missing[*]}"
	# Keep the apache2 package from starting a system-wide server: the
	# tests start their own, on 127.0.0.1 only.
	local policy=/usr/sbin/policy-rc.d made_policy=
	if [ ! -e $policy ]; then
		printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy && made_policy=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	# postfix (t/lib/mailchain.sh): no system configuration, never asked.
	echo "postfix postfix/main_mailer_type select No configuration" \
		| debconf-set-selections 2>/dev/null
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
		> "${TMPDIR:-/tmp}/check-eas-apt.log" 2>&1
	local rc=$?
	[ -n "$made_policy" ] && rm -f $policy
	if [ $rc != 0 ]; then
		tail -20 "${TMPDIR:-/tmp}/check-eas-apt.log" >&2
		echo "apt-get failed (log: ${TMPDIR:-/tmp}/check-eas-apt.log)" >&2
		return 1
	fi
}

# eas_build DIR [configure args...]
eas_build() {
	local dir=$1; shift
	if [ ! -x "$TOP/configure" ] || [ "$TOP/configure.ac" -nt "$TOP/configure" ] \
		|| [ "$TOP/Makefile.am" -nt "$TOP/Makefile.in" ]; then
		echo "== autoreconf"
		(cd "$TOP" && autoreconf -fi > /dev/null) || return 1
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$TOP/configure" -nt "$dir/config.status" ]; then
		echo "== configure $*"
		(cd "$dir" && "$TOP/configure" "$@" > configure.out 2>&1) \
			|| { tail -20 "$dir/configure.out" >&2; return 1; }
	fi
	echo "== make ($dir)"
	make -C "$dir" -j"$(nproc)" > "$dir/make.out" 2>&1 \
		|| { grep -E 'error|warning' "$dir/make.out" | head -40 >&2; tail -5 "$dir/make.out" >&2; return 1; }
}
# The Autodiscover tests (t/lib/autodiscover.sh): dnsmasq-base runs a DNS
# server on a loopback port (the binary only, no system service), dig from
# bind9-dnsutils queries it.
EAS_PACKAGES="$EAS_PACKAGES dnsmasq-base bind9-dnsutils"

# t/87-push.t (issue 18): nginx in front of the Horde server, a proxy
# whose idle timeout cuts the held Ping (started by the test on a free
# port, its own configuration; the package's service is never used).
EAS_PACKAGES="$EAS_PACKAGES nginx-light"

# t/92-valgrind.t runs the plain build's plugins under valgrind.
EAS_PACKAGES="$EAS_PACKAGES valgrind"
# t/51-openmetrics.t: promtool (in prometheus), node_exporter's textfile
# collector, and the strict OpenMetrics parser of the Python client;
# t/52-zabbix.t: a real zabbix_agentd and PyYAML for the template.
EAS_PACKAGES="$EAS_PACKAGES prometheus prometheus-node-exporter python3-prometheus-client
 zabbix-agent python3-yaml"
# t/78-oauth.t: the authorization server is oidc-provider from npm, on
# Node.js 20 or later (the nodejs package with its npm: NodeSource's on
# Debian 12, whose own nodejs is 18); Apache's mod_oauth2 accepts its
# tokens in front of the ActiveSync test server.
EAS_PACKAGES="$EAS_PACKAGES nodejs libapache2-mod-oauth2"
# t/35-challenge.t: mod_auth_gssapi offers Negotiate (and Basic) in two
# WWW-Authenticate lines, as a real module does; no KDC is needed for that.
EAS_PACKAGES="$EAS_PACKAGES libapache2-mod-auth-gssapi"
# t/89-mailloop.t: a real delivery chain on 127.0.0.1 (t/lib/mailchain.sh):
# a private Postfix instance delivering over LMTP to a private Dovecot,
# whose IMAP store Horde's test backend serves (php-horde-imap-client).
# Their system services are never started (policy-rc.d above) nor used.
EAS_PACKAGES="$EAS_PACKAGES postfix dovecot-core dovecot-imapd dovecot-lmtpd php-horde-imap-client"

# eas_install_npm - the npm packages of the tests, exactly as
# t/oauth/package-lock.json pins them (npm ci), into t/oauth/node_modules;
# never at test time. Nothing to do when they are there.
eas_install_npm() {
	local dir=$TOP/t/oauth
	[ -f "$dir/node_modules/oidc-provider/package.json" ] &&
		[ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
	command -v npm >/dev/null || { echo "npm is missing (package nodejs)" >&2; return 1; }
	echo "== npm ci (t/oauth)"
	(cd "$dir" && npm ci --no-audit --no-fund --omit=dev) > "${TMPDIR:-/tmp}/check-eas-npm.log" 2>&1 || {
		tail -20 "${TMPDIR:-/tmp}/check-eas-npm.log" >&2
		echo "npm ci failed (log: ${TMPDIR:-/tmp}/check-eas-npm.log)" >&2
		return 1
	}
}
