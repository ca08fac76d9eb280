# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/test.sh - helpers for the check-eas integration test scripts.
#
#   #!/bin/bash
#   . "$(dirname "$0")/lib/test.sh"
#   t_setup; t_pki
#   httpd_start main vhost-eas || t_bail "apache did not start"
#   run check_eas_foo -H localhost -p "$HTTPD_PORT" --cacert "$PKI/ca.pem"
#   expect_first "healthy server is OK" 0 '^EAS OK'
#   expect_perf time '^[0-9.]+s;' "time perfdata"
#   t_done
#
# Output is TAP-like ("ok N - desc" / "not ok N - desc", diagnostics as
# "# ..."), counted by t/run.
#
# Variables for scripts:
#   T        per-script temp dir (removed at exit; T_KEEP=1 keeps it)
#   XDG_RUNTIME_DIR  $T/xdg: the plugins' run locks (--state-dir) stay there
#   PKI      test PKI dir (after t_pki), see $PKI/README
#   SRCDIR, BUILDDIR   top source / build dir (default: repo root)
#   OUT ERR RC LINE1   results of the last run/run_cmd
# Every "run" also checks the plugin's first line (at most 160 characters
# before '|', no ';'): a bad one is a "not ok" (see _t_guard_line1).
#   HTTPD_PORT, HTTPD_PORT_<NAME>   from httpd_start
#   BLACKHOLE_PORT, GARBAGE_PORT    from t_blackhole / t_garbage
# Background jobs: Apache instances and tcp-helpers are children of the
# script, so never use a bare "wait"; wait for specific pids.
# Environment knobs: T_VERBOSE=1 (echo commands and output),
#   T_TIMEOUT (seconds per run/run_cmd, default 60), HTTPD_DEBUG=1.
#
# Kinds of result line, counted apart by t/run: "ok N - desc" (a check of
# the plugins or their code), "ok N - desc # SKIP why" (t_skip: not run,
# never a pass), and "ok N - desc # SETUP" (t_setup_check: a check of the
# test's own servers and fixtures, not of the plugins). Every "not ok" is a
# failure, whatever its kind.

T_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SRCDIR:=$(cd "$T_LIB/../.." && pwd)}"
: "${BUILDDIR:=$SRCDIR}"
export SRCDIR BUILDDIR

. "$T_LIB/pki.sh"
. "$T_LIB/httpd.sh"

T_NAME=$(basename "$0")
T_NUM=0
T_PASS=0
T_FAIL=0
T_SKIP=0
T_SETUP_N=0 # setup checks passed
T_SETUP=    # non-empty: the assertion running is a setup check
T_PIDS=()
T=

# ---------------------------------------------------------------- setup

t_setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/check-eas-t.XXXXXX") || {
		echo "Bail out! mktemp failed"
		exit 1
	}
	chmod 755 "$T"
	# The plugins' run locks (--state-dir's default) stay in the test's
	# own directory, never in the machine's.
	mkdir -m 700 "$T/xdg" && export XDG_RUNTIME_DIR=$T/xdg
	trap _t_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

_t_cleanup() {
	local pid
	[[ -n ${_T_CLEANED:-} ]] && return
	_T_CLEANED=1
	trap '' PIPE # the reader may be gone (interrupted run); clean up anyway
	httpd_stop_all
	for pid in "${T_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${T_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	T_PIDS=()
	if [[ -n $T && -d $T ]]; then
		if [[ ${T_KEEP:-0} == 1 ]]; then
			echo "# kept $T"
		else
			rm -rf "$T"
		fi
	fi
}

# t_pki - PKI in $PKI: reuse $CHECK_EAS_PKI (built once by t/run) or build
# one into $T/pki.
t_pki() {
	if [[ -n ${CHECK_EAS_PKI:-} && -f $CHECK_EAS_PKI/README ]]; then
		PKI=$CHECK_EAS_PKI
		export PKI
		return 0
	fi
	pki_init "$T/pki" || t_bail "PKI generation failed"
}

# ------------------------------------------------------ TCP fixtures

# t_freeport - print a free 127.0.0.1 port
t_freeport() {
	"$BUILDDIR/t/tcp-helper" freeport
}

# t_start_server PROGRAM MODE VAR [ARGS...] - start t/PROGRAM MODE
# PORTFILE ARGS... (a test server of our own that writes the port it
# listens on into PORTFILE), wait for the port, set VAR
t_start_server() {
	local prog=$1 mode=$2 var=$3 pf="$T/$1-$2.$RANDOM.port" pid i
	shift 3
	"$BUILDDIR/t/$prog" "$mode" "$pf" "$@" </dev/null >/dev/null 2>"$pf.err" &
	pid=$!
	T_PIDS+=("$pid")
	for ((i = 0; i < 200; i++)); do
		if [[ -s $pf ]]; then
			printf -v "$var" '%s' "$(<"$pf")"
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "# $prog $mode did not start: $(cat "$pf.err" 2>/dev/null)"
	return 1
}

# _t_tcp_helper MODE VAR - start tcp-helper MODE, wait for its port, set VAR
_t_tcp_helper() { t_start_server tcp-helper "$1" "$2"; }

# t_blackhole - accepts connections, never answers: sets BLACKHOLE_PORT
t_blackhole() { _t_tcp_helper blackhole BLACKHOLE_PORT; }
# t_garbage - answers "HELLO\r\n" (not TLS) and closes: sets GARBAGE_PORT
t_garbage() { _t_tcp_helper garbage GARBAGE_PORT; }

# ------------------------------------------------------------- running

# run_cmd CMD ARGS... - run anything (60 s guard); sets OUT ERR RC LINE1
# (OUT/ERR without trailing newlines, like $(...))
run_cmd() {
	[[ -n $T && -d $T ]] || { echo "Bail out! run_cmd before t_setup"; exit 1; }
	printf -v T_LASTCMD '%q ' "$@"
	timeout --foreground -k 5 "${T_TIMEOUT:-60}" "$@" </dev/null >"$T/.run.out" 2>"$T/.run.err"
	RC=$?
	IFS= read -r -d '' OUT <"$T/.run.out"
	IFS= read -r -d '' ERR <"$T/.run.err"
	while [[ $OUT == *$'\n' ]]; do OUT=${OUT%$'\n'}; done
	while [[ $ERR == *$'\n' ]]; do ERR=${ERR%$'\n'}; done
	LINE1=${OUT%%$'\n'*}
	if [[ ${T_VERBOSE:-0} == 1 ]]; then
		printf '# $ %s\n# rc=%s\n' "$T_LASTCMD" "$RC"
		[[ -n $OUT ]] && printf '%s\n' "$OUT" | sed 's/^/# out: /'
		[[ -n $ERR ]] && printf '%s\n' "$ERR" | sed 's/^/# err: /'
	fi
	return 0
}

# run PLUGIN ARGS... - run $BUILDDIR/plugins/PLUGIN
run() {
	local plugin=${1:?usage: run PLUGIN ARGS...}
	shift
	run_cmd "$BUILDDIR/plugins/$plugin" "$@"
	_t_guard_line1 "$plugin"
	return 0
}

# t_line1_text - the first line's text before the perfdata ('|'), without
# the blank before it
t_line1_text() {
	local text=${LINE1%%|*}
	printf '%s' "${text% }"
}

# _t_guard_line1 PLUGIN - every plugin run of every script: the first
# line's text at most 160 bytes and without ';' (Nagios reads it as a
# separator). A failure is a "not ok" naming the command and the line; a
# fine line counts nothing (it is no test of its own). Not for --help
# or --version (no status line) nor JSON (-j). T_FIRSTLINES=FILE logs
# "script plugin rc length line" for surveys.
_t_guard_line1() {
	local text
	[[ $LINE1 == "EAS "* ]] || return 0
	text=$(t_line1_text)
	[[ -n ${T_FIRSTLINES:-} ]] &&
		printf '%s\t%s\t%s\t%s\t%s\n' "$T_NAME" "$1" "$RC" "${#text}" "$LINE1" >>"$T_FIRSTLINES"
	if ((${#text} > 160)); then
		t_fail "$1: first line at most 160 characters before '|' (${#text})" \
			"cmd: $T_LASTCMD" "line: $LINE1"
	elif [[ $text == *';'* ]]; then
		t_fail "$1: no ';' in the first line's text" "cmd: $T_LASTCMD" "line: $LINE1"
	fi
}

# ---------------------------------------------------------- assertions

# _t_match STRING ERE - like grep -Eq on STRING's lines (single-line
# strings are matched in bash, without spawning grep)
_t_match() {
	if [[ $1 == *$'\n'* ]]; then
		grep -Eq -- "$2" <<<"$1"
	else
		[[ $1 =~ $2 ]]
	fi
}

# Diagnostics about the last run, as TAP comments.
_t_diag_run() {
	printf '#   cmd: %s\n#   rc: %s\n' "${T_LASTCMD:-(none)}" "${RC:-}"
	printf '%s\n' "${OUT:-}" | head -n 20 | sed 's/^/#   stdout: /'
	[[ -n ${ERR:-} ]] && printf '%s\n' "$ERR" | head -n 20 | sed 's/^/#   stderr: /'
	return 0
}

# t_pass DESC / t_fail DESC [DIAG-LINE...]
t_pass() {
	T_NUM=$((T_NUM + 1))
	if [[ -n $T_SETUP ]]; then
		T_SETUP_N=$((T_SETUP_N + 1))
		printf 'ok %d - %s # SETUP\n' "$T_NUM" "$1"
	else
		T_PASS=$((T_PASS + 1))
		printf 'ok %d - %s\n' "$T_NUM" "$1"
	fi
}

t_fail() {
	local d
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	printf 'not ok %d - %s%s\n' "$T_NUM" "$1" "${T_SETUP:+ # SETUP}"
	shift
	for d in "$@"; do
		printf '#   %s\n' "$d"
	done
}

# t_skip DESC REASON - counted as skipped (t/run lists it with REASON)
t_skip() {
	T_NUM=$((T_NUM + 1))
	T_SKIP=$((T_SKIP + 1))
	printf 'ok %d - %s # SKIP %s\n' "$T_NUM" "$1" "${2:-}"
}

# t_setup_check ASSERTION ARGS... - run any assertion helper (t_ok, t_is,
# t_like, expect_*, t_pass) as a check of the test's own servers or
# fixtures ("apache started", "dig answers", "the responder logged 4
# lines"): it fails like any other, but a pass counts as a setup check,
# not as a passed test of the plugins.
t_setup_check() {
	local T_SETUP=1
	"$@"
}

# t_setup_ok DESC CMD ARGS... - t_ok as a setup check
t_setup_ok() { t_setup_check t_ok "$@"; }

# t_setup_script - every assertion of this script is a setup check: the
# scripts that test the test servers themselves (t/10-harness.t,
# t/65-eas-syncd.t, ...), which the plugin scripts rely on.
t_setup_script() { T_SETUP=1; }

# t_ok DESC CMD ARGS... - passes if the command exits 0 (its output is
# shown only on failure)
t_ok() {
	local desc=$1 rc
	shift
	"$@" >"$T/.t_ok.out" 2>&1
	rc=$?
	if ((rc == 0)); then t_pass "$desc"; else
		t_fail "$desc" "command failed (rc $rc): $*"
		head -n 20 "$T/.t_ok.out" | sed 's/^/#   /'
	fi
}

# t_is GOT EXPECTED DESC
t_is() {
	if [[ $1 == "$2" ]]; then t_pass "$3"; else t_fail "$3" "got:      '$1'" "expected: '$2'"; fi
}

# t_like STRING ERE DESC
t_like() {
	if _t_match "$1" "$2"; then t_pass "$3"; else
		t_fail "$3" "pattern: $2"
		printf '%s\n' "$1" | head -n 20 | sed 's/^/#   got: /'
	fi
}

# expect_rc N DESC - N may be an ERE, e.g. '[12]'
expect_rc() {
	if [[ ${RC:-} =~ ^($1)$ ]]; then t_pass "$2"; else
		t_fail "$2" "expected rc $1"
		_t_diag_run
	fi
}

# expect_line1 ERE DESC - grep -E on the first stdout line
expect_line1() {
	if _t_match "${LINE1:-}" "$1"; then t_pass "$2"; else
		t_fail "$2" "expected line 1 =~ $1" "got: ${LINE1:-}"
		_t_diag_run
	fi
}

# expect_out ERE DESC - anywhere in stdout
expect_out() {
	if _t_match "${OUT:-}" "$1"; then t_pass "$2"; else
		t_fail "$2" "expected stdout =~ $1"
		_t_diag_run
	fi
}

# expect_err ERE DESC - anywhere in stderr
expect_err() {
	if _t_match "${ERR:-}" "$1"; then t_pass "$2"; else
		t_fail "$2" "expected stderr =~ $1"
		_t_diag_run
	fi
}

# expect_no_out ERE DESC - must match neither stdout nor stderr
expect_no_out() {
	local hits
	hits=$(printf '%s\n%s\n' "${OUT:-}" "${ERR:-}" | grep -E -- "$1")
	if [[ -z $hits ]]; then t_pass "$2"; else
		t_fail "$2" "must not match: $1"
		printf '%s\n' "$hits" | head -n 10 | sed 's/^/#   matched: /'
	fi
}

# expect_no_str STRING DESC - fixed STRING (e.g. a password) must appear in
# neither stdout nor stderr
expect_no_str() {
	if [[ ${OUT:-}$'\n'${ERR:-} != *"$1"* ]]; then t_pass "$2"; else
		t_fail "$2" "must not contain the string given"
		printf '%s\n%s\n' "${OUT:-}" "${ERR:-}" | grep -F -- "$1" | head -n 10 | sed 's/^/#   matched: /'
	fi
}

# expect_first DESC RC ERE - rc and first line in one test
expect_first() {
	local desc=$1 rc=$2 ere=$3
	if [[ ${RC:-} =~ ^($rc)$ ]] && _t_match "${LINE1:-}" "$ere"; then
		t_pass "$desc"
	else
		t_fail "$desc" "expected rc $rc and line 1 =~ $ere" "got: ${LINE1:-}"
		_t_diag_run
	fi
}

# t_summary - the whole first line: LINE1, or where the plugin fitted a
# longer summary into 160 characters (its text ends in " (see -v)"), the
# head "EAS ASPECT STATE - ", the whole summary from the first -v line (run
# the plugin with -v) and LINE1's perfdata.
t_summary() {
	local text rest perf=
	text=$(t_line1_text)
	if [[ $text != *' (see -v)' ]]; then
		printf '%s' "${LINE1:-}"
		return
	fi
	[[ $LINE1 == *'|'* ]] && perf=" |${LINE1#*|}"
	rest=
	[[ $OUT == *$'\n'* ]] && rest=${OUT#*$'\n'} && rest=${rest%%$'\n'*}
	printf '%s - %s%s' "${LINE1%% - *}" "$rest" "$perf"
}

# expect_summary DESC RC ERE - like expect_first, on the whole summary
# (t_summary): for words the first line leaves to -v
expect_summary() {
	local desc=$1 rc=$2 ere=$3 sum
	sum=$(t_summary)
	if [[ ${RC:-} =~ ^($rc)$ ]] && _t_match "$sum" "$ere"; then
		t_pass "$desc"
	else
		t_fail "$desc" "expected rc $rc and the whole summary =~ $ere" "got: $sum"
		_t_diag_run
	fi
}

# t_perf LABEL - print the perfdata value of LABEL from line 1
# ("value[UOM];warn;crit;min;max"); returns 1 if there is no such item.
t_perf() {
	local want=$1 perf label val
	local re_q="^'((''|[^'])*)'=([^ ]*)(.*)$" re_b="^([^ =]+)=([^ ]*)(.*)$"
	[[ ${LINE1:-} == *'|'* ]] || return 1
	perf=${LINE1#*|}
	while :; do
		perf=${perf#"${perf%%[! ]*}"}
		[[ -n $perf ]] || return 1
		if [[ $perf =~ $re_q ]]; then
			label=${BASH_REMATCH[1]//\'\'/\'}
			val=${BASH_REMATCH[3]}
			perf=${BASH_REMATCH[4]}
		elif [[ $perf =~ $re_b ]]; then
			label=${BASH_REMATCH[1]}
			val=${BASH_REMATCH[2]}
			perf=${BASH_REMATCH[3]}
		else
			return 1
		fi
		if [[ $label == "$want" ]]; then
			printf '%s\n' "$val"
			return 0
		fi
	done
}

# expect_perf LABEL ERE DESC - the item's "value[UOM];warn;crit;min;max"
# must match ERE
expect_perf() {
	local val
	if val=$(t_perf "$1"); then
		if _t_match "$val" "$2"; then t_pass "$3"; return; fi
		t_fail "$3" "perfdata '$1'='$val' does not match $2"
	else
		t_fail "$3" "no perfdata item '$1'" "perfdata: ${LINE1#*|}"
	fi
	_t_diag_run
}

# expect_json_field KEY ERE [DESC] - loose grep for "KEY": VALUE in stdout
# (the ERE is matched right after the colon, e.g. '"OK"' or '[0-9]+')
expect_json_field() {
	local desc=${3:-json field $1 =~ $2}
	if _t_match "${OUT:-}" "\"$1\"[[:space:]]*:[[:space:]]*($2)"; then
		t_pass "$desc"
	else
		t_fail "$desc" "expected \"$1\": $2"
		_t_diag_run
	fi
}

# ----------------------------------------------------------------- end

# t_bail MSG - count one failure and stop the script
t_bail() {
	t_fail "bail out: $*"
	t_done
}

t_done() {
	echo "1..$T_NUM"
	echo "# $T_NAME: $T_PASS passed, $T_FAIL failed, $T_SKIP skipped, $T_SETUP_N setup checks"
	if ((T_FAIL == 0)); then exit 0; else exit 1; fi
}
