#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The documentation cannot go stale (README.md and doc/*.md):
#  - every example shown in a ```console block ("$ check_eas_... ARGS", the
#    output, "(exit code N)") runs against the test servers below and must
#    end with the exit code, the state word and the perfdata labels (names,
#    in order) shown; ```console-norun examples (servers the test cannot be)
#    are counted and reported, never run;
#  - every ```icinga2 block is accepted by "icinga2 daemon -C" and every
#    ```nagios block by "nagios4 -v", each together with the shipped
#    definitions (contrib/) and minimal stubs (templates, a host);
#  - every relative link and #anchor resolves.
# DOC_REFRESH=1 (make doc-refresh) rewrites the shown output of every
# example in place with the real one (paths and ports as the variables
# below), after the summaries' wording changed; an example whose output
# changed only in its numbers (times, sizes, dates) is left as it is,
# unless DOC_REFRESH=all (make doc-refresh DOC_REFRESH=all).
#
# The variables the examples use (the servers are those of contrib/demo.sh
# and the t/*.t scripts):
#   $PKI           the test PKI (t/lib/pki.sh, see $PKI/README)
#   $T             this run's directory: $T/pass ('s3cret pass', the
#                  password of user@example.com and EXAMPLE\user),
#                  $T/wrong.pass, $T/other.pem (CN=other@example.com, not
#                  mapped), $T/pw (user@example.test's), $T/phones/ (client
#                  certificates of phones), $T/eas.ini
#   $PORT          Apache + t/eas-responder (vhost-eas): Exchange 2016 at
#                  /Microsoft-Server-ActiveSync, every responder case at
#                  /s/CASE/Microsoft-Server-ActiveSync
#   $AUTH, $AUTH12 the four authentication modes (t/lib/auth-servers.sh):
#                  /basic/ /cert/ /both/ /fallback/ /noask/ /s/certmap/...;
#                  $AUTH12 offers TLS 1.2 only (renegotiation)
#   $EXP           name-based vhosts NAME.check-eas.test for every expiry
#                  case of the PKI (as t/40-certexpiry-server.t);
#                  $EXP12: TLS 1.2, demands a client certificate
#   $HORDE_PORT, $HORDE_USER  Horde's ActiveSync server (t/lib/horde-eas.sh)
#   $AD_DNS_PORT, "${AD_CONNECT_TO[@]}"  the Autodiscover servers
#                  (t/lib/autodiscover.sh); ad_case sets their answers
#   $BLACKHOLE_PORT (never answers), $GARBAGE_PORT (not TLS),
#   $CLOSED_PORT (nothing listens)
# Before each example the Autodiscover cases are reset and Horde blocks no
# device; <!-- doc-setup: SHELL --> before a block sets a scenario.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
. "$(dirname "$0")/lib/icinga2.sh"
. "$(dirname "$0")/lib/plugins.sh"
t_setup
t_pki
PY=$SRCDIR/t/lib/docs.py
cd "$SRCDIR" || t_bail "no $SRCDIR"
DOCS=(README.md doc/*.md)

# ------------------------------------------------------------ links
run_cmd python3 "$PY" links "${DOCS[@]}"
broken=$OUT
t_is "$broken" "" "every relative link and #anchor in README.md and doc/*.md resolves"
# The README's doc/ pages are installed beside it (the package's
# /usr/share/doc/check-eas/doc/), so its links hold there too.
installed=$(sed -n '/^dist_docpages_DATA/,/[^\\]$/p' Makefile.am | tr -s ' \\\t\n' '\n' | grep '^doc/')
missing=
for p in $(grep -o '](doc/[^)#]*' README.md | cut -c3- | sort -u); do
	grep -qx "$p" <<<"$installed" || missing+="$p "
done
t_is "$missing" "" "every doc/ page the README links to is installed (dist_docpages_DATA in Makefile.am)"

# ------------------------------------------------------------ pages
# Every plugin built has its page, with the sections the man pages take.
for p in $(eas_plugins); do
	got=$(grep -E '^## (Synopsis|Options|States|Perfdata|Examples)$' "doc/$p.md" 2>/dev/null | tr '\n' ' ')
	t_is "$got" "## Synopsis ## Options ## States ## Perfdata ## Examples " \
		"doc/$p.md: Synopsis, Options, States, Perfdata, Examples"
	# The synopsis shows only options the plugin takes (its --help lists).
	help=$("$BUILDDIR/plugins/$p" --help)
	stale=
	for o in $(sed -n '/^## Synopsis$/,/^## /p' "doc/$p.md" | sed -n '/^```/,/^```/p' |
		grep -oE '(^|[[ |])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed 's/^[[ |]//' | sort -u); do
		grep -qE -- "(^|[ ,])$o([ =,]|\$)" <<<"$help" || stale+="$o "
	done
	t_is "$stale" "" "doc/$p.md: every option of the synopsis is in $p --help"
done

# ------------------------------------------------------------ extract
X=$T/examples
python3 "$PY" extract "$X" "${DOCS[@]}" || t_bail "docs.py extract failed"
read -r n_run n_norun _ <"$X/count"
t_setup_check t_ok "the docs show examples to run ($n_run)" test "$n_run" -gt 0

# ------------------------------------------------------------ servers
httpd_start main vhost-eas || t_bail "apache did not start"
PORT=$HTTPD_PORT_main
auth_setup || t_bail "the authentication apache did not start"
AUTH=$PORT13 AUTH12=$PORT12
# shellcheck disable=SC2034 # the examples use them
{
	{ t_blackhole && t_garbage; } || t_bail "the TCP helpers did not start"
	CLOSED_PORT=$(t_freeport) || t_bail "no free port"
}

# The expiry cases (as t/40-certexpiry-server.t).
. "$T_LIB/expiry-vhosts.sh"
EXP12=$(t_freeport) || t_bail "no free port"
{
	expiry_vhosts
	printf 'Listen 127.0.0.1:%s\n' "$EXP12"
	VPORT=$EXP12 VPROTO='-all +TLSv1.2' vhost localhost "$PKI/server.pem" "" \
		"SSLCACertificateFile \"$PKI/ca.pem\"
    SSLVerifyClient require"
} >"$T/expiry.conf"
httpd_start expiry "$T/expiry.conf" || t_bail "the expiry apache did not start"
EXP=$HTTPD_PORT_expiry

# Phones' certificates, an ini file.
mkdir -p "$T/phones"
cp "$PKI/client.p12" "$T/phones/alice.pfx"
cp "$PKI/client-legacy.p12" "$T/phones/bob.p12"
cp "$PKI/client-expired.pem" "$PKI/client-soon.pem" "$PKI/client.pem" "$PKI/client.key" "$T/phones/"
{
	printf '[eas]\nuser = user@example.com\npassword = %s\n' "$PASSWORD"
	printf 'cert = %s\ncert-password-file = %s\n' "$PKI/client.p12" "$PKI/client.p12.pass"
} >"$T/eas.ini"
chmod 600 "$T/eas.ini"

HORDE_UP=
# shellcheck disable=SC2034
# Horde on 127.0.0.2 too: check_eas_sync's nodes (doc/check_eas_sync.md).
{
	echo 'Listen 127.0.0.2:@PORT@'
	sed 's|^<VirtualHost 127\.0\.0\.1:@PORT@>|<VirtualHost 127.0.0.1:@PORT@ 127.0.0.2:@PORT@>|' "$T_LIB/vhost-horde.conf"
} >"$T/vhost-horde-nodes.conf"
if HORDE_VHOST=$T/vhost-horde-nodes.conf horde_setup dochorde >/dev/null 2>&1; then HORDE_UP=1; else HORDE_PORT=0 HORDE_USER=-; fi
AD_UP=
PATH=$PATH:/usr/sbin
if command -v dnsmasq >/dev/null && ad_setup >/dev/null 2>&1; then
	AD_UP=1
	printf '%s\n' "$AD_PASSWORD" >"$T/pw" && chmod 600 "$T/pw"
fi

doc_reset() {
	[[ -n $AD_UP ]] && ad_reset
	[[ -n $HORDE_UP ]] && horde_config blocked_devices ""
	return 0
}

# ------------------------------------------------------------ examples
PATH=$BUILDDIR/plugins:$PATH
for ((i = 1; i <= n_run; i++)); do
	where=$(<"$X/$i.where")
	cmd=$(<"$X/$i.cmd")
	desc="$where: ${cmd%% *} ends as shown (exit code, state, perfdata labels)"
	if [[ -z $HORDE_UP && ( $cmd == *HORDE* || $cmd == check_eas_sync* ) ]]; then
		t_skip "$desc" "Horde's ActiveSync server did not start"
		continue
	fi
	if [[ -z $AD_UP && $cmd == *AD_* ]]; then
		t_skip "$desc" "the Autodiscover servers did not start (dnsmasq)"
		continue
	fi
	doc_reset
	# shellcheck disable=SC1090
	. "$X/$i.setup" >/dev/null 2>&1
	(eval "timeout -k 5 60 $cmd") </dev/null >"$X/$i.out" 2>"$X/$i.err"
	echo $? >"$X/$i.rc"
	want=$(<"$X/$i.want")
	got=$(python3 "$PY" got "$X/$i.out" "$X/$i.rc")
	if [[ -n ${DOC_REFRESH:-} ]]; then
		t_pass "$where: ran for the refresh"
		continue
	fi
	if [[ $got == "$want" ]]; then t_pass "$desc"; else
		t_fail "$desc" "\$ $cmd" "shown: ${want//$'\n'/ | }" "real:  ${got//$'\n'/ | }"
		head -n 3 "$X/$i.out" "$X/$i.err" | sed 's/^/#   /'
	fi
done
if [[ -n ${DOC_REFRESH:-} ]]; then
	all=
	[[ $DOC_REFRESH == all ]] && all=--all
	python3 "$PY" refresh "$X" $all "PKI=$PKI" "T=$T" "PORT=$PORT" "AUTH=$AUTH" "AUTH12=$AUTH12" \
		"EXP=$EXP" "EXP12=$EXP12" "HORDE_PORT=$HORDE_PORT" "AD_DNS_PORT=${AD_DNS_PORT:-}" \
		"AD_PORT=${AD_PORT:-}" "AD_PORT_MAIL=${AD_PORT_MAIL:-}" "AD_PORT_HTTP=${AD_PORT_HTTP:-}" \
		"BLACKHOLE_PORT=$BLACKHOLE_PORT" "GARBAGE_PORT=$GARBAGE_PORT" "CLOSED_PORT=$CLOSED_PORT" ||
		t_fail "docs.py refresh"
fi
echo "# examples: $n_run run, $n_norun not run (console-norun):"
sed 's/^/#   /' "$X/norun.list" 2>/dev/null

# ------------------------------------------------------------ snippets
n_i2=0 n_ng=0
for f in "$X"/snip-*.icinga2; do
	[[ -e $f ]] || break
	where=$(<"${f%.icinga2}.where")
	if ! command -v icinga2 >/dev/null; then
		t_skip "$where: icinga2 daemon -C accepts the snippet" "icinga2 is not installed"
		continue
	fi
	n_i2=$((n_i2 + 1))
	d=$T/i2-$n_i2
	mkdir -p "$d/etc"
	cat >"$d/icinga2.conf" <<CONF
const PluginDir = "$BUILDDIR/plugins"
const NodeName = "master1"
include <itl>
include <plugins>
include "$SRCDIR/contrib/icinga2/check-eas.conf"
template Host "generic-host" { check_command = "dummy" }
template Service "generic-service" { }
object Endpoint "master1" { }
object Zone "master" { endpoints = [ "master1" ] }
include "$f"
CONF
	i2_own_state "$d" || t_bail "cannot make $d"
	run_cmd icinga2 daemon -C -c "$d/icinga2.conf" -x critical "${I2_DEFINES[@]}" \
		-DConfiguration.ConfigDir="$d/etc"
	expect_rc 0 "$where: icinga2 daemon -C accepts the snippet with contrib/icinga2/check-eas.conf"
done
if [[ $(id -u) == 0 ]]; then nuser=nagios ngroup=nagios; else nuser=$(id -un) ngroup=$(id -gn); fi
for f in "$X"/snip-*.nagios; do
	[[ -e $f ]] || break
	where=$(<"${f%.nagios}.where")
	if ! command -v nagios4 >/dev/null; then
		t_skip "$where: nagios4 -v accepts the snippet" "nagios4 is not installed"
		continue
	fi
	n_ng=$((n_ng + 1))
	d=$T/nagios-$n_ng
	mkdir -p "$d"
	python3 "$PY" nagios-stubs "$f" >"$d/stubs.cfg"
	printf '$USER1$=%s\n' "$BUILDDIR/plugins" >"$d/resource.cfg"
	cat >"$d/nagios.cfg" <<EOF
log_file=$d/nagios.log
cfg_file=/etc/nagios4/objects/commands.cfg
cfg_file=/etc/nagios4/objects/contacts.cfg
cfg_file=/etc/nagios4/objects/timeperiods.cfg
cfg_file=/etc/nagios4/objects/templates.cfg
cfg_file=$SRCDIR/contrib/nagios/check-eas.cfg
cfg_file=$d/stubs.cfg
cfg_file=$f
resource_file=$d/resource.cfg
object_cache_file=$d/objects.cache
precached_object_file=$d/objects.precache
status_file=$d/status.dat
command_file=$d/nagios.cmd
lock_file=$d/nagios.pid
temp_file=$d/nagios.tmp
temp_path=$d
check_result_path=$d
nagios_user=$nuser
nagios_group=$ngroup
illegal_macro_output_chars=\`~\$&|'"<>
EOF
	[[ $(id -u) == 0 ]] && chown -R "$nuser:$ngroup" "$d"
	run_cmd nagios4 -v "$d/nagios.cfg"
	if [[ $RC == 0 && $OUT =~ Total\ Errors:\ +0 && $OUT =~ Total\ Warnings:\ +0 ]]; then
		t_pass "$where: nagios4 -v accepts the snippet with contrib/nagios/check-eas.cfg, no errors or warnings"
	else
		t_fail "$where: nagios4 -v accepts the snippet with contrib/nagios/check-eas.cfg, no errors or warnings"
		grep -E 'Error|Warning' <<<"$OUT" | head -n 10 | sed 's/^/#   /'
	fi
done
echo "# snippets validated: $n_i2 by icinga2 daemon -C, $n_ng by nagios4 -v"
t_done
