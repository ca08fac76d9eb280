#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The plugins against a hostile server of our own (t/hostile-server.c):
# drips and hangs, endless and huge headers, huge, cut and broken bodies,
# ports that do not speak HTTP, redirect loops, long and non-UTF-8 server
# strings, status lines where headers and trailers belong, a server that
# echoes the Authorization header, TLS alerts, a close in the handshake and
# certificates with odd names. Every case asserts the exit code, the words,
# the time taken against -t, that -v keeps the state, that the JSON parses,
# that all output is valid UTF-8 without control characters, and that the
# password and its base64 never appear (every run is given the password).
#
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/hostile.sh"
t_setup
t_pki

TMO=3
LIMIT_MS=$((TMO * 1000 + 700)) # the deadline, plus start-up and a loaded machine
S=s3cret
PW="pass-$S-word"
B64=$(printf 'u:%s' "$PW" | base64 -w0)
printf '%s\n' "$PW" >"$T/pw"
chmod 600 "$T/pw"
URL='http://127.0.0.1:@PORT@/Microsoft-Server-ActiveSync'
CRED=(--user u --password-file "$T/pw" --allow-plaintext)
TLS=(-H 127.0.0.1 -p @PORT@ --ca-file "$PKI/ca.pem")


# _clean WHAT - the last run's output is valid UTF-8, has no control
# characters but newline (and tab), and carries neither the password nor
# the base64 of the credentials (an anonymous run: only the first half)
_clean() {
	local bad='' what="clean UTF-8, no secret"
	[[ -n ${anon:-} ]] && what="clean UTF-8 (anonymous)"
	printf '%s\n%s' "$OUT" "$ERR" | python3 -c '
import sys
b = sys.stdin.buffer.read()
b.decode("utf-8")
sys.exit(any(c < 32 and c not in (9, 10) or c == 127 for c in b))' || bad="not valid UTF-8, or control characters"
	[[ $OUT$ERR == *"$S"* ]] && bad="${bad:+$bad; }the password appears"
	[[ $OUT$ERR == *"$B64"* ]] && bad="${bad:+$bad; }the base64 credentials appear"
	if [[ -z $bad ]]; then t_pass "... $1: $what"; else
		t_fail "... $1: $what" "$bad"
		_t_diag_run
	fi
}

# hcase [-q] [-a] DESC RC ERE MODE PLUGIN ARGS... - start MODE, run PLUGIN
# with ARGS (@PORT@ replaced), the password (not with -a: an anonymous run)
# and -t $TMO as text, with -v (not with -q: the slow cases) and as JSON.
# Leaves LINE1 and RC of the text run.
hcase() {
	local quick='' anon=''
	[[ $1 == -q ]] && quick=1 && shift
	[[ $1 == -a ]] && anon=1 && shift
	local desc=$1 rc=$2 ere=$3 mode=$4 plugin=$5 t0 t1 ms first
	shift 5
	if ! t_hostile "$mode"; then
		t_fail "$desc [$mode]: the server did not start"
		return
	fi
	local -a args=("${@//@PORT@/$HOSTILE_PORT}")
	# Every run holds the password, so that "no secret" can fail.
	if [[ -z $anon && " ${args[*]} " != *" --password-file "* ]]; then
		if [[ $plugin == check_eas_certexpiry ]]; then
			args+=(--user u --password-file "$T/pw")
		else
			args+=("${CRED[@]}")
		fi
	fi
	t0=${EPOCHREALTIME/[.,]/}
	run "$plugin" "${args[@]}" -t "$TMO"
	t1=${EPOCHREALTIME/[.,]/}
	ms=$(((t1 - t0) / 1000))
	# The words: on the first line, or with -v the whole summary when the
	# line leaves them to -v; the first line the same either way.
	[[ -n $quick ]] && expect_first "$desc [$mode, $plugin]" "$rc" "$ere"
	t_ok "... within -t $TMO ($ms ms)" test "$ms" -lt "$LIMIT_MS"
	_clean text
	first=$LINE1
	if [[ -z $quick ]]; then
		local words
		words=$(t_line1_text)
		run "$plugin" "${args[@]}" -t "$TMO" -v
		expect_summary "$desc [$mode, $plugin]" "$rc" "$ere"
		t_is "$(t_line1_text)" "$words" "... -v: the same state and words"
		_clean -v
	fi
	run "$plugin" "${args[@]}" -t "$TMO" --output-format=json
	expect_rc "$rc" "... JSON keeps the exit code"
	t_ok "... the JSON parses" python3 -c 'import json, sys; json.loads(sys.argv[1])' "$OUT"
	_clean JSON
	LINE1=$first
	# shellcheck disable=SC2034 # for the caller's assertions
	RC=$rc
}

# The whole summary of the last run (hcase ends with --output-format=json):
# the first line leaves long names to -v.
json_summary() {
	python3 -c 'import json, sys; print(json.load(sys.stdin)["summary"])' <<<"$OUT"
}

OPT=check_eas_options
NOTHTTP='^EAS OPTIONS CRITICAL - (the server does not speak HTTP here|the answer is not valid HTTP)'

# --- hangs: each ends within -t, naming the phase
hcase -q "one byte a second: ends within -t, naming the phase" 3 \
	'^EAS OPTIONS UNKNOWN - no answer within 3s: hung (waiting for|reading) the OPTIONS response' \
	drip $OPT -U "$URL"
hcase -q "silent after accept: ends within -t" 3 \
	'^EAS OPTIONS UNKNOWN - no answer within 3s: hung waiting for the OPTIONS response' \
	hang $OPT -U "$URL"
hcase -q "silent after the headers: ends within -t" 3 \
	'^EAS OPTIONS UNKNOWN - no answer within 3s: hung reading the OPTIONS response' \
	hang-headers $OPT -U "$URL"
t_hostile hang
t0=${EPOCHREALTIME/[.,]/}
run $OPT -U "${URL//@PORT@/$HOSTILE_PORT}" -t 2:CRITICAL
t1=${EPOCHREALTIME/[.,]/}
expect_first "-t 2:CRITICAL: the state given" 2 '^EAS OPTIONS CRITICAL - no answer within 2s: hung waiting'
t_ok "... within 2 s ($(((t1 - t0) / 1000)) ms)" test $(((t1 - t0) / 1000)) -lt 2700

# --- huge, endless and broken answers
hcase "endless headers: CRITICAL at once" 2 \
	'^EAS OPTIONS CRITICAL - (connection broken while reading the answer|the answer is not valid HTTP)' \
	endless-headers $OPT -U "$URL"
hcase "one 1 MiB header line: CRITICAL at once" 2 '^EAS OPTIONS CRITICAL - ' bigheader $OPT -U "$URL"
t_like "$LINE1" '^EAS OPTIONS CRITICAL - (the answer is not valid HTTP|.*header.*(too long|too large|longer))' \
	"a 1 MiB header line is named as such, not 'Out of memory'"
hcase "5 MiB body: read stops at the cap, OK" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1' \
	hugebody $OPT -U "$URL"
t_like "$(t_perf size)" '^10[0-9]{5}B' "... size shows the read stopped near 1 MiB"
hcase "broken chunked encoding: CRITICAL" 2 \
	'^EAS OPTIONS CRITICAL - (connection broken while reading the answer|the answer is not valid HTTP)' \
	badchunk $OPT -U "$URL"
hcase "EAS headers, Content-Length larger than sent, close: CRITICAL" 2 \
	'^EAS OPTIONS CRITICAL - .*(broken|partial|closed|cut)' shortbody $OPT -U "$URL"
t_like "$LINE1" '^EAS OPTIONS CRITICAL - connection broken while reading the answer' \
	"a cut body is named in plain words"

# --- not HTTP at all: CRITICAL, never UNKNOWN "invalid URL"
hcase "malformed status line 'HTTP/1.1 abc'" 2 "$NOTHTTP" badstatus $OPT -U "$URL"
hcase "HTTP/0.9, no status line" 2 "$NOTHTTP" http09 $OPT -U "$URL"
hcase "an IMAP banner" 2 "$NOTHTTP" imap $OPT -U "$URL"
hcase "an SMTP banner" 2 "$NOTHTTP" smtp $OPT -U "$URL"
hcase "a header line 'HTTP/1.1 200 OK' (no colon): not valid HTTP" 2 "$NOTHTTP" \
	statusline-hdr-nocolon $OPT -U "$URL"

# --- status lines where headers and trailers belong keep the EAS headers
hcase "a header line 'HTTP/1.1 200 OK: x' keeps the EAS headers" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1 \(7 versions\), 24 commands' \
	statusline-hdr $OPT -U "$URL"
hcase "a trailer 'HTTP/1.1 200 OK: x' keeps the EAS headers" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1 \(7 versions\), 24 commands' \
	trailer $OPT -U "$URL"
hcase "a trailer 'HTTP/1.1 200 OK' (no colon): CRITICAL" 2 '^EAS OPTIONS CRITICAL - ' \
	trailer-nocolon $OPT -U "$URL"
t_like "$LINE1" '^EAS OPTIONS CRITICAL - (the answer is not valid HTTP|connection broken while reading the answer)' \
	"a broken trailer is blamed on the server"

# --- redirect loop: not followed
hcase "302 loop /a -> /b -> /a: CRITICAL, not followed" 2 \
	'^EAS OPTIONS CRITICAL - HTTP 302 redirect to http://127\.0\.0\.1:[0-9]+/[ab]' redirect $OPT -U "$URL"

# --- long and non-UTF-8 server strings
hcase "a 10 KB reason phrase: the 503 and its meaning stay in the summary" 2 \
	'^EAS OPTIONS CRITICAL - HTTP 503: service unavailable .*retry after 120s' longreason $OPT -U "$URL"
t_ok "... the first line stays short (${#LINE1} bytes)" test "${#LINE1}" -lt 2048
hcase "a 10 KB MS-Server-ActiveSync, 14.1 required: CRITICAL" 2 '^EAS OPTIONS CRITICAL - ' \
	longserver $OPT -U "$URL" --require-version 14.1
t_like "$LINE1" 'required protocol 14\.1 not offered' \
	"a 10 KB server string does not push the reason out of the summary"
hcase "non-UTF-8 reason phrase and headers: OK, clean output" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 .*answers' \
	nonutf8 $OPT -U "$URL"
hcase "non-UTF-8 reason phrase on a 503" 2 '^EAS OPTIONS CRITICAL - HTTP 503: service unavailable' \
	nonutf8-503 $OPT -U "$URL"

# --- a server that echoes the Authorization header
BAS=check_eas_basic
hcase "403 echoing Authorization in a header and the body: masked" 2 \
	'^EAS BASIC CRITICAL - basic auth for u refused: HTTP 403' authecho $BAS -U "$URL" "${CRED[@]}"
hcase "200 login page echoing Authorization: masked" 2 \
	'^EAS BASIC CRITICAL - HTTP 200 but without the ActiveSync headers' authecho-200 $BAS -U "$URL" "${CRED[@]}"
hcase "401 echoing Authorization in the realm: masked" 2 \
	'^EAS BASIC CRITICAL - basic auth for u refused: HTTP 401' authecho-401 $BAS -U "$URL" "${CRED[@]}"
hcase "302 echoing Authorization in Location: masked" 2 \
	'^EAS BASIC CRITICAL - HTTP 302 redirect to https://login\.example\.com/\?a=Basic \*+&c=u:\*+' \
	authecho-302 $BAS -U "$URL" "${CRED[@]}"
hcase -q "check_eas_basic against a drip: ends within -t" 3 '^EAS BASIC UNKNOWN - .*no answer within 3s' \
	drip $BAS -U "$URL" "${CRED[@]}"

hcase "check_eas_basic against an IMAP banner" 2 '^EAS BASIC CRITICAL - the server does not speak HTTP here' \
	imap $BAS -U "$URL" "${CRED[@]}"

# --- the policy check: both probes get the words, the deadline is shared
AUT=check_eas_auth
hcase "auth: HTTP/0.9 on both probes" 2 \
	'^EAS AUTH CRITICAL - anonymous probe: the server does not speak HTTP here .*, basic probe: the same \|' \
	http09 $AUT -U "$URL" --policy basic "${CRED[@]}"
hcase -q "auth: a drip on both probes ends within -t" 3 \
	'^EAS AUTH UNKNOWN - anonymous probe: no answer within 3s: .*basic probe: no answer within 3s' \
	drip $AUT -U "$URL" --policy basic "${CRED[@]}"
hcase "auth: 401 echoing Authorization: masked" 2 '^EAS AUTH CRITICAL - basic auth refused: 401, credentials rejected' \
	authecho-401 $AUT -U "$URL" --policy basic "${CRED[@]}"

# --- the sync check
SYN=check_eas_sync
hcase "sync: malformed status line" 2 '^EAS SYNC CRITICAL - OPTIONS: the server does not speak HTTP here' \
	badstatus $SYN -U "$URL" "${CRED[@]}"
hcase "sync: an IMAP banner" 2 '^EAS SYNC CRITICAL - OPTIONS: the server does not speak HTTP here' \
	imap $SYN -U "$URL" "${CRED[@]}"
hcase -q "sync: silent after the headers" 3 '^EAS SYNC UNKNOWN - OPTIONS: no answer within 3s: hung reading the OPTIONS response' \
	hang-headers $SYN -U "$URL" "${CRED[@]}"
hcase "sync: 401 echoing Authorization: masked" 2 '^EAS SYNC CRITICAL - OPTIONS: HTTP 401' \
	authecho-401 $SYN -U "$URL" "${CRED[@]}"
hcase "sync: a 5 MiB answer" 2 '^EAS SYNC CRITICAL - Provision: the answer is larger than 1 MiB' \
	hugebody $SYN -U "$URL" "${CRED[@]}"
hcase "sync: redirect loop" 2 '^EAS SYNC CRITICAL - OPTIONS: HTTP 302' redirect $SYN -U "$URL" "${CRED[@]}"

# --- TLS: alerts, a close in the handshake
hcase "TLS alert handshake_failure" 2 \
	'^EAS OPTIONS CRITICAL - TLS handshake refused by the server \(TLS alert: handshake failure\)' \
	tls-handshake-failure $OPT "${TLS[@]}"
hcase "TLS alert internal_error" 2 \
	'^EAS OPTIONS CRITICAL - TLS handshake refused by the server \(TLS alert: internal error\)' \
	tls-internal-error $OPT "${TLS[@]}"
hcase -a "TLS 1.3 certificate_required after a CertificateRequest: auth enforced" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: the server requires a client certificate and none was sent \(TLS alert: certificate required\)' \
	tls-certreq $OPT "${TLS[@]}"
hcase "TLS 1.3 certificate_required, with a password: alive, not with our credentials" 0 \
	'^EAS OPTIONS OK - alive, but not with our credentials \(basic auth for u\): the server requires a client certificate and none was sent \(TLS alert: certificate required\)' \
	tls-certreq $OPT "${TLS[@]}"
hcase "a close in the middle of the handshake" 2 \
	'^EAS OPTIONS CRITICAL - TLS handshake failed: the server closed the connection during the handshake' \
	tls-midclose $OPT "${TLS[@]}"
hcase "CN '127.0.0.1\\0.evil.com' does not match 127.0.0.1" 2 \
	'^EAS OPTIONS CRITICAL - server certificate does not match the host name' tls-nulcn $OPT "${TLS[@]}"

CE=check_eas_certexpiry
hcase "certexpiry: TLS alert handshake_failure" 2 \
	'^EAS CERTEXPIRY CRITICAL - TLS handshake refused by the server \(TLS alert: handshake failure\)' \
	tls-handshake-failure $CE "${TLS[@]}"
hcase "certexpiry: certificate_required: the chain is judged" 0 \
	'^EAS CERTEXPIRY OK - leaf localhost expires in [0-9]+ days' tls-certreq $CE "${TLS[@]}"
hcase "certexpiry: a close in the handshake" 2 \
	'^EAS CERTEXPIRY CRITICAL - TLS handshake failed: the server closed the connection during the handshake' \
	tls-midclose $CE "${TLS[@]}"
hcase "certexpiry: CN with an embedded NUL does not match 127.0.0.1" 2 \
	'^EAS CERTEXPIRY CRITICAL - host name 127\.0\.0\.1 does not match the certificate' tls-nulcn $CE "${TLS[@]}"
t_like "$(json_summary)" 'it names CN=127\.0\.0\.1[^)].*evil\.com' \
	"a CN with an embedded NUL is shown whole"
hcase "certexpiry: a 4000-byte CN" 2 \
	'^EAS CERTEXPIRY CRITICAL - host name 127\.0\.0\.1 does not match the certificate' tls-longcn $CE "${TLS[@]}"
t_ok "... the first line stays bounded (${#LINE1} bytes)" test "${#LINE1}" -lt 2048
hcase "certexpiry -k: a 4000-byte CN, the expiry stays in the summary" 0 \
	'^EAS CERTEXPIRY OK - .*expires in (89|90) days' tls-longcn $CE "${TLS[@]}" -k
hcase "certexpiry: non-UTF-8 bytes in the subject" 2 \
	'^EAS CERTEXPIRY CRITICAL - host name 127\.0\.0\.1 does not match the certificate' tls-nonutf8 $CE "${TLS[@]}"
t_like "$(json_summary)" 'it names CN=bad .*leaf bad ' "a non-UTF-8 CN is shown cleaned, not dropped"

t_done
