#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every plugin under valgrind (memcheck): a good answer with -v and a
# failure as JSON against the test Apache, check_eas_sync against
# t/eas-syncd, check_eas_certexpiry on client files, a timeout (the hard
# timer's path) and two hostile answers. Each run must have zero errors and
# zero definite leaks.
#
# valgrind and ASan do not mix and the suite runs from the sanitizer build:
# the plugins come from the plain build named by CHECK_EAS_PLAIN_BUILD
# (contrib/run-tests.sh exports it), else from $BUILDDIR if that is not a
# sanitizer build; otherwise the test is skipped. T_VALGRIND_JOBS runs
# (default 2) go in parallel.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/syncd.sh"
. "$(dirname "$0")/lib/hostile.sh"
t_setup

sanitized() { ldd "$1" 2>/dev/null | grep -Eq 'lib(asan|ubsan)'; }
PLAIN=${CHECK_EAS_PLAIN_BUILD:-}
if [[ -z $PLAIN ]] && ! sanitized "$BUILDDIR/plugins/check_eas_options"; then
	PLAIN=$BUILDDIR
fi
if ! command -v valgrind >/dev/null; then
	t_skip "valgrind runs" "valgrind is not installed"
	t_done
fi
if [[ -z $PLAIN ]]; then
	t_skip "valgrind runs" "CHECK_EAS_PLAIN_BUILD unset and $BUILDDIR is a sanitizer build"
	t_done
fi
if [[ ! -x $PLAIN/plugins/check_eas_options ]] || sanitized "$PLAIN/plugins/check_eas_options"; then
	t_fail "CHECK_EAS_PLAIN_BUILD=$PLAIN holds a plain (non-sanitizer) build"
	t_done
fi
echo "# plugins from $PLAIN"

t_pki
auth_setup || t_bail "apache (auth) did not start"
httpd_start main vhost-eas || t_bail "apache (main) did not start"
# shellcheck disable=SC2154 # set by httpd_start
MAIN=$HTTPD_PORT_main
t_blackhole || t_bail "no blackhole"
t_hostile authecho-401 ECHO_PORT || t_bail "no hostile server"
t_hostile nonutf8 NONUTF8_PORT || t_bail "no hostile server"
syncd_reset

mkdir -p "$T/vg"
VG=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--track-fds=no --num-callers=30)
N=0
NAMES=() DESCS=() RCS=() ERES=()

# vg NAME DESC RC ERE PLUGIN ARGS... - queue a run
vg() {
	local name=$1 desc=$2 rc=$3 ere=$4 plugin=$5
	shift 5
	NAMES+=("$name") DESCS+=("$desc") RCS+=("$rc") ERES+=("$ere")
	# valgrind runs a plugin some 20 times slower, more on a busy machine:
	# -t 40 unless the case sets its own (the outer timeout is 60 s).
	local a has_t=
	for a in "$@"; do [[ $a == -t ]] && has_t=1; done
	[[ -n $has_t ]] || set -- "$@" -t 40
	printf '%q ' "${VG[@]}" "--log-file=$T/vg/$name.%p.log" "$PLAIN/plugins/$plugin" "$@" \
		>"$T/vg/$name.cmd"
	N=$((N + 1))
}

OPTS=(-H localhost -p "$MAIN" --ca-file "$PKI/ca.pem")
vg options-ok "options: a good answer, -v" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers' \
	check_eas_options "${OPTS[@]}" -v
vg options-503 "options: 503 as JSON" 2 '"state":"CRITICAL"' \
	check_eas_options "${OPTS[@]}" -u /s/503/Microsoft-Server-ActiveSync --output-format json
# Under valgrind the start-up alone may take a second: either the deadline
# or the hard timer behind it ends the run.
vg options-timeout "options: a silent server, -t 1" 3 \
	'^EAS OPTIONS UNKNOWN - (no answer within 1s|plugin timed out after 1s)' \
	check_eas_options -H localhost -p "$BLACKHOLE_PORT" -t 1
vg options-nonutf8 "options: non-UTF-8 headers, -v" 0 '^EAS OPTIONS OK' \
	check_eas_options -U "http://127.0.0.1:$NONUTF8_PORT/Microsoft-Server-ActiveSync" -v
at "$PORT13" basic
vg basic-ok "basic: accepted, -v" 0 '^EAS BASIC OK - basic auth accepted' check_eas_basic "${TGT[@]}" "${BASIC[@]}" -v
vg basic-wrong "basic: wrong password as JSON" 2 '"state":"CRITICAL"' \
	check_eas_basic "${TGT[@]}" "${BASIC_WRONG[@]}" --output-format json
vg basic-echo "basic: a server echoing Authorization, JSON" 2 '"state":"CRITICAL"' \
	check_eas_basic -U "http://127.0.0.1:$ECHO_PORT/Microsoft-Server-ActiveSync" "${BASIC[@]}" \
	--allow-plaintext --output-format json
at "$PORT13" cert
vg cert-ok "cert: PKCS#12 accepted, -v" 0 '^EAS CERT OK - client certificate user@example\.com accepted' \
	check_eas_cert "${TGT[@]}" "${P12[@]}" -v
vg cert-foreign "cert: a foreign CA as JSON" 2 '"state":"CRITICAL"' \
	check_eas_cert "${TGT[@]}" "${FOREIGN[@]}" --output-format json
at "$PORT13" both
vg auth-ok "auth: policy cert+basic met, -v" 0 '^EAS AUTH OK' \
	check_eas_auth "${TGT[@]}" --policy cert+basic "${PEM[@]}" "${BASIC[@]}" -v
at "$PORT13" basic
vg auth-fail "auth: policy cert on a basic server, JSON" 2 '"state":"CRITICAL"' \
	check_eas_auth "${TGT[@]}" --policy cert "${PEM[@]}" "${BASIC[@]}" --output-format json
vg certexpiry-ok "certexpiry: server, -v" 0 '^EAS CERTEXPIRY OK - leaf localhost expires' \
	check_eas_certexpiry "${OPTS[@]}" -v
vg certexpiry-untrusted "certexpiry: untrusted as JSON" 2 '"state":"CRITICAL"' \
	check_eas_certexpiry -H localhost -p "$MAIN" --ca-file "$PKI/foreign-ca.pem" --output-format json
vg certexpiry-files "certexpiry: client files (PKCS#12, legacy, DER, expired PEM)" 2 \
	'^EAS CERTEXPIRY CRITICAL - certificate .* in client-expired\.pem expired' \
	check_eas_certexpiry --cert "$PKI/client.p12" --cert "$PKI/client-legacy.p12" \
	--cert-password-file "$PKI/client.p12.pass" --cert "$PKI/client.der" --cert "$PKI/client-expired.pem"
SYNC=(--ca-file "$PKI/ca.pem" --user user@example.com --password-file "$T/pass")
vg sync-ok "sync: eas-syncd, Sync of the Inbox, -v" 0 '^EAS SYNC OK - mailbox user@example\.com syncs' \
	check_eas_sync -U "$(syncd_url ok "$MAIN")" "${SYNC[@]}" --sync-folder inbox -v
vg sync-odd "sync: Sync status 110 as JSON" '[12]' '"state":"(WARNING|CRITICAL)"' \
	check_eas_sync -U "$(syncd_url status-110-sync "$MAIN")" "${SYNC[@]}" --sync-folder inbox \
	--output-format json

# Run them, T_VALGRIND_JOBS at a time.
t0=${EPOCHREALTIME/[.,]/}
jobs=${T_VALGRIND_JOBS:-2}
pids=()
for ((i = 0; i < N; i++)); do
	n=${NAMES[i]}
	(
		s=${EPOCHREALTIME/[.,]/}
		timeout -k 5 60 bash -c "$(<"$T/vg/$n.cmd")" </dev/null >"$T/vg/$n.out" 2>"$T/vg/$n.err"
		echo $? >"$T/vg/$n.rc"
		e=${EPOCHREALTIME/[.,]/}
		echo $(((e - s) / 1000)) >"$T/vg/$n.ms"
	) &
	pids+=($!)
	if ((${#pids[@]} >= jobs)); then
		wait "${pids[0]}"
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do wait "$p"; done
t1=${EPOCHREALTIME/[.,]/}
echo "# $N valgrind runs in $(((t1 - t0) / 1000)) ms"

# _vg_load NAME - RC OUT ERR T_LASTCMD LINE1 of a run, as run_cmd sets them
# shellcheck disable=SC2034 # read by test.sh's assertions
_vg_load() {
	RC=$(<"$T/vg/$1.rc")
	IFS= read -r -d '' OUT <"$T/vg/$1.out"
	IFS= read -r -d '' ERR <"$T/vg/$1.err"
	T_LASTCMD=$(<"$T/vg/$1.cmd")
	LINE1=${OUT%%$'\n'*}
}

for ((i = 0; i < N; i++)); do
	n=${NAMES[i]}
	_vg_load "$n"
	if [[ $RC =~ ^(${RCS[i]})$ ]] && _t_match "$OUT" "${ERES[i]}"; then
		t_pass "${DESCS[i]}: exit $RC and the words ($(<"$T/vg/$n.ms") ms)"
	else
		t_fail "${DESCS[i]}: exit $RC and the words" "expected rc ${RCS[i]} and =~ ${ERES[i]}"
		_t_diag_run
	fi
	bad=
	logs=("$T/vg/$n".*.log)
	[[ -f ${logs[0]} ]] || bad="no valgrind log"
	for l in "${logs[@]}"; do
		[[ -f $l ]] || continue
		grep -q 'ERROR SUMMARY: 0 errors' "$l" || bad="${bad:+$bad; }errors in ${l##*/}"
		if grep -Eq 'definitely lost: [1-9]' "$l"; then
			bad="${bad:+$bad; }definite leaks in ${l##*/}"
		fi
	done
	if [[ -z $bad && $RC != 99 ]]; then
		t_pass "${DESCS[i]}: valgrind: 0 errors, 0 definite leaks"
	else
		t_fail "${DESCS[i]}: valgrind: 0 errors, 0 definite leaks" "$bad (rc $RC)"
		for l in "${logs[@]}"; do
			[[ -f $l ]] && grep -v '^==[0-9]*== *$' "$l" | head -n 60 | sed 's/^/#   /'
		done
	fi
done
# About 30 s on two idle cores; the bound is for a busy machine.
t_ok "all $N runs within 120 s ($(((t1 - t0) / 1000)) ms)" test $(((t1 - t0) / 1000)) -lt 120000

t_done
